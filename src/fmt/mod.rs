//! AST (+ comments) → canonical text.
//!
//! The layout is fixed: the header, one declaration per line (field blocks on one line when
//! short), a blank line before every chapter, clause and example, clause statements indented by
//! two spaces, full-width punctuation, ASCII digits, clause numbers in Chinese numerals. 原文 and
//! comments are kept verbatim. Formatting never changes the AST (spans aside): re-parsing the
//! output gives the same tree, and formatting twice gives the same text.

mod numeral;
pub mod text;

pub use numeral::chinese_numeral;

use unicode_width::UnicodeWidthStr;

use crate::syntax::ast::*;
use crate::syntax::{NameContext, Span, SyntaxError, parse};

/// Lines of a field block longer than this (in display columns) are split, one field a line.
const ONE_LINE_WIDTH: usize = 64;

/// Formats a compact's text, or returns its syntax errors.
pub fn format_source(source: &str) -> Result<String, Vec<SyntaxError>> {
    let file = parse(source)?;
    Ok(format_file(&file, source))
}

/// Formats a parsed compact. `source` is the text it was parsed from (for comment places).
pub fn format_file(file: &SourceFile, source: &str) -> String {
    let mut printer = Printer {
        out: String::new(),
        comments: &file.comments,
        next_comment: 0,
        source,
        pending_blank: false,
    };
    printer.file(file);
    printer.finish()
}

struct Printer<'a> {
    out: String,
    comments: &'a [Spanned<String>],
    next_comment: usize,
    source: &'a str,
    pending_blank: bool,
}

impl Printer<'_> {
    /// Whether a comment follows other text on its line (and so belongs at that line's end).
    fn is_trailing(&self, comment: &Spanned<String>) -> bool {
        let start = comment.span.start as usize;
        let before = self.source.get(..start).unwrap_or("");
        let line = before.rsplit('\n').next().unwrap_or("");
        !line.trim().is_empty()
    }

    /// Prints the comments that come before `at`: trailing ones at the end of the last line
    /// printed, then — after any pending blank line — the others on lines of their own.
    fn comments_before(&mut self, at: u32, indent: &str) {
        while let Some(comment) = self.comments.get(self.next_comment) {
            if comment.span.start >= at || !self.is_trailing(comment) || self.out.is_empty() {
                break;
            }
            self.next_comment += 1;
            if self.out.ends_with('\n') {
                self.out.pop();
            }
            self.out.push_str("  #");
            self.out.push_str(&comment.node);
            self.out.push('\n');
        }
        if self.pending_blank {
            self.pending_blank = false;
            if !self.out.is_empty() && !self.out.ends_with("\n\n") {
                self.out.push('\n');
            }
        }
        while let Some(comment) = self.comments.get(self.next_comment) {
            if comment.span.start >= at {
                break;
            }
            self.next_comment += 1;
            if self.is_trailing(comment) && !self.out.is_empty() {
                if self.out.ends_with('\n') {
                    self.out.pop();
                }
                self.out.push_str("  #");
                self.out.push_str(&comment.node);
                self.out.push('\n');
            } else {
                self.out.push_str(indent);
                self.out.push('#');
                self.out.push_str(&comment.node);
                self.out.push('\n');
                if self.blank_line_after(comment.span.end) {
                    self.out.push('\n');
                }
            }
        }
    }

    /// Whether the line after the one ending at `offset` is blank (a comment block set apart
    /// from what follows keeps its blank line).
    fn blank_line_after(&self, offset: u32) -> bool {
        let rest = self.source.get(offset as usize..).unwrap_or("");
        let mut lines = rest.split('\n').skip(1);
        lines.next().is_some_and(|line| line.trim().is_empty()) && !rest.trim().is_empty()
    }

    fn has_comment_within(&self, span: Span) -> bool {
        self.comments
            .iter()
            .any(|c| c.span.start > span.start && c.span.start < span.end)
    }

    fn line(&mut self, indent: &str, text: &str, at: u32) {
        self.comments_before(at, indent);
        self.out.push_str(indent);
        self.out.push_str(text);
        self.out.push('\n');
    }

    /// Asks for a blank line before the next line printed.
    fn blank(&mut self) {
        self.pending_blank = true;
    }

    fn finish(mut self) -> String {
        self.comments_before(u32::MAX, "");
        let trimmed = self.out.trim_end_matches('\n').len();
        self.out.truncate(trimmed);
        self.out.push('\n');
        self.out
    }

    fn file(&mut self, file: &SourceFile) {
        // Leading comments stay at the top, separated from the title by a blank line when
        // they were.
        self.line(
            "",
            &format!(
                "{}{}",
                if file.template { "模板" } else { "乡约" },
                text::quote(&file.title.node)
            ),
            file.title.span.start,
        );
        for setting in &file.settings {
            let line = match &setting.node {
                Setting::Version(v) => format!("版本{}", text::quote(v)),
                Setting::Effective(d) => format!("生效 {}", text::date(*d)),
                Setting::Period(None) => "周期 每年".to_string(),
                Setting::Period(Some(md)) => format!("周期 每年 自 {} 起", text::month_day(*md)),
                Setting::Basis(name) => format!("依据{}", text::quote(&name.node)),
                Setting::OptionalLimit {
                    sign,
                    count,
                    points,
                } => format!(
                    "自选{}分项 至多 {count} 项，每项 至多 {} 分。",
                    if *sign == Sign::Add { "加" } else { "扣" },
                    text::number(*points)
                ),
            };
            self.line("", &line, setting.span.start);
        }
        let mut previous: Option<(std::mem::Discriminant<Declaration>, bool)> = None;
        for declaration in &file.declarations {
            let multi = self.declaration_is_multiline(declaration);
            let kind = std::mem::discriminant(&declaration.node);
            let same_group =
                previous.is_some_and(|(k, was_multi)| k == kind && !was_multi && !multi);
            if !same_group {
                self.blank();
            }
            self.declaration(declaration, multi);
            previous = Some((kind, multi));
        }
        for clause in &file.loose_clauses {
            self.blank();
            self.clause(clause);
        }
        for chapter in &file.chapters {
            self.blank();
            let head = match &chapter.title {
                Some(t) => format!("第{}章 {}", chinese_numeral(chapter.number.node), t.node),
                None => format!("第{}章", chinese_numeral(chapter.number.node)),
            };
            self.line("", &head, chapter.span.start);
            for cap in &chapter.caps {
                self.line("", &format!("本章 {}。", text::cap(cap)), cap.span.start);
            }
            for clause in &chapter.clauses {
                self.blank();
                self.clause(clause);
            }
        }
        for example in &file.examples {
            self.blank();
            self.line(
                "",
                &format!("示例{}", text::quote(&example.name.node)),
                example.span.start,
            );
            for item in &example.items {
                self.line("  ", &text::example_item(&item.node), item.span.start);
            }
        }
    }

    fn clause(&mut self, clause: &Clause) {
        let head = match &clause.title {
            Some(t) => format!("第{}条 {}", chinese_numeral(clause.number.node), t.node),
            None => format!("第{}条", chinese_numeral(clause.number.node)),
        };
        self.line("", &head, clause.span.start);
        for statement in &clause.statements {
            self.line(
                "  ",
                &text::statement(&statement.node),
                statement.span.start,
            );
        }
    }

    fn fields_one_line(fields: &[FieldDecl]) -> String {
        fields
            .iter()
            .map(text::field)
            .collect::<Vec<_>>()
            .join("；")
    }

    fn declaration_head(declaration: &Declaration) -> (String, Option<&[FieldDecl]>) {
        match declaration {
            Declaration::Register(fields) => ("户籍".to_string(), Some(fields.as_slice())),
            Declaration::Roster { name, fields } => (
                format!("名册 {}", text::name(NameContext::Declaration, name)),
                Some(fields.as_slice()),
            ),
            Declaration::Event(event) => {
                let mut options = Vec::new();
                if let Some(kind) = &event.attribution {
                    options.push(format!("归 {}", text::name(NameContext::Declaration, kind)));
                }
                if !event.evidence.is_empty() {
                    options.push(format!(
                        "需 {}",
                        event
                            .evidence
                            .iter()
                            .map(|e| text::name(NameContext::Declaration, e))
                            .collect::<Vec<_>>()
                            .join("、")
                    ));
                }
                let options = if options.is_empty() {
                    String::new()
                } else {
                    format!("（{}）", options.join("；"))
                };
                let head = format!(
                    "事项 {}{options}",
                    text::name(NameContext::Declaration, &event.name)
                );
                let fields = (!event.fields.is_empty()).then_some(event.fields.as_slice());
                (head, fields)
            }
            Declaration::Account(account) => {
                let mut options = Vec::new();
                if let Some(owner) = &account.owner {
                    options.push(format!(
                        "属 {}",
                        text::name(NameContext::Declaration, owner)
                    ));
                }
                if account.is_default {
                    options.push("默认".to_string());
                }
                let options = if options.is_empty() {
                    String::new()
                } else {
                    format!("（{}）", options.join("；"))
                };
                let mut limits = Vec::new();
                if let Some(base) = &account.base {
                    let mut text = format!("基础分 {} 分", text::number(base.node));
                    if !account.groups.is_empty() {
                        let groups: Vec<String> = account
                            .groups
                            .iter()
                            .map(|g| format!("「{}」{} 分", g.name.node, text::number(g.base.node)))
                            .collect();
                        text.push_str(&format!("，分为{}", groups.join("、")));
                        let floor = match &account.group_floor {
                            Some(f) => Some(format!("最低 {} 分", text::number(f.node))),
                            None => (account.group_to_zero || account.group_full)
                                .then(|| "扣完为止".to_string()),
                        };
                        if let Some(floor) = floor {
                            text.push_str(&format!("，各项 {floor}"));
                            if account.group_full {
                                text.push_str("、加满为止");
                            }
                        }
                    }
                    limits.push(text);
                }
                if let Some(floor) = &account.floor {
                    limits.push(format!("最低 {} 分", text::number(floor.node)));
                }
                limits.extend(account.caps.iter().map(|c| text::cap(c)));
                if account.never_reduced {
                    limits.push("只加不减".to_string());
                }
                if account.carries {
                    limits.push("余额结转".to_string());
                }
                limits.extend(
                    account
                        .clears
                        .iter()
                        .map(|c| format!("每年 {}月{}日 清零", c.node.month, c.node.day)),
                );
                limits.extend(
                    account
                        .expiry
                        .iter()
                        .map(|y| format!("积分有效期 {} 年", text::number(y.node))),
                );
                if account.spend_oldest {
                    limits.push("先进先出".to_string());
                }
                let limits = if limits.is_empty() {
                    String::new()
                } else {
                    format!("：{}", limits.join("，"))
                };
                (
                    format!(
                        "账户 {}{options}{limits}",
                        text::name(NameContext::Declaration, &account.name)
                    ),
                    None,
                )
            }
        }
    }

    fn declaration_is_multiline(&self, declaration: &Spanned<Declaration>) -> bool {
        let (head, fields) = Self::declaration_head(&declaration.node);
        match fields {
            None => false,
            Some(fields) => {
                let line = format!(
                    "{head}{}{{ {} }}",
                    gap(&head),
                    Self::fields_one_line(fields)
                );
                fields.len() > 3
                    || line.width() > ONE_LINE_WIDTH
                    || self.has_comment_within(declaration.span)
            }
        }
    }

    fn declaration(&mut self, declaration: &Spanned<Declaration>, multi: bool) {
        let (head, fields) = Self::declaration_head(&declaration.node);
        let at = declaration.span.start;
        match fields {
            None => self.line("", &head, at),
            Some(fields) if !multi => {
                let line = if fields.is_empty() {
                    format!("{head}{}{{}}", gap(&head))
                } else {
                    format!(
                        "{head}{}{{ {} }}",
                        gap(&head),
                        Self::fields_one_line(fields)
                    )
                };
                self.line("", &line, at);
            }
            Some(fields) => {
                self.line("", &format!("{head}{}{{", gap(&head)), at);
                for field in fields {
                    self.line("  ", &text::field(field), field.name.span.start);
                }
                self.comments_before(declaration.span.end, "  ");
                self.out.push_str("}\n");
            }
        }
    }
}

/// The space before a field block's brace: none after a closing parenthesis.
fn gap(head: &str) -> &'static str {
    if head.ends_with('）') { "" } else { " " }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(source: &str) -> String {
        match format_source(source) {
            Ok(text) => text,
            Err(errors) => format!("{errors:?}"),
        }
    }

    #[test]
    fn lays_out_a_small_compact() {
        let source = "乡约「甲村」 版本“2024” 户籍{人口:整数} 事项 义务投工{天数:数量(天)}\n第1章 奖励\n第1条 投工\n凡义务投工,每天加2分;每年至多40分.\n";
        assert_eq!(
            fmt(source),
            "乡约「甲村」\n版本「2024」\n\n户籍 { 人口：整数 }\n\n事项 义务投工 { 天数：数量（天） }\n\n第一章 奖励\n\n第一条 投工\n  凡 义务投工，每天 加 2 分；每年 至多 40 分。\n"
        );
    }

    #[test]
    fn keeps_comments_in_place() {
        let source = "# 头注\n乡约「甲村」 # 标题注\n第一条\n  # 规则前\n  原文：文字 # 不是注释\n";
        assert_eq!(
            fmt(source),
            "# 头注\n乡约「甲村」  # 标题注\n\n第一条\n  # 规则前\n  原文：文字 # 不是注释\n"
        );
    }
}
