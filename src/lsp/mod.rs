//! What the language server (`xiangyue lsp`) answers, as pure functions over a document's text:
//! diagnostics with their quick fixes, formatting, the outline, hover, definitions and
//! references, completion and renaming. The stdio loop lives in `cli/lsp.rs`.
//!
//! Positions: LSP counts columns in UTF-16 code units; the compiler counts bytes. [`Lines`]
//! converts both ways (a Han character is 3 bytes, 1 UTF-16 unit; an emoji 4 bytes, 2 units).

use lsp_types::{
    CodeAction, CodeActionKind, CompletionItem, CompletionItemKind, CompletionTextEdit, Diagnostic,
    DiagnosticSeverity, DocumentSymbol, Hover, HoverContents, MarkupContent, MarkupKind,
    NumberOrString, Position, Range, SymbolKind, TextEdit, WorkspaceEdit,
};

use crate::compile::{Compiled, Problem, compile};
use crate::diagnostic::Severity;
use crate::syntax::ast::{Clause, Declaration, SourceFile, Statement};
use crate::syntax::{LineIndex, Span};

mod decorate;
mod symbols;

pub use decorate::{TOKEN_TYPES, inlay_hints, semantic_tokens};

pub use symbols::{Symbol, SymbolIndex, SymbolKindZh};

/// Line starts of a text, for converting byte offsets and LSP positions.
#[derive(Debug, Clone)]
pub struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Lines { starts }
    }

    /// The LSP position (0-based line, UTF-16 column) of byte `offset`.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while offset > 0 && !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self
            .starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let column: usize = text
            .get(start..offset)
            .unwrap_or("")
            .chars()
            .map(char::len_utf16)
            .sum();
        Position::new(to_u32(line), to_u32(column))
    }

    /// The byte offset of an LSP position (clamped to its line and to the text).
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return text.len();
        };
        let line = text.get(start..).unwrap_or("");
        let mut units = 0usize;
        for (i, c) in line.char_indices() {
            if c == '\n' || units >= position.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        text.len()
    }

    /// The LSP range of a byte span.
    pub fn range(&self, text: &str, span: Span) -> Range {
        Range::new(
            self.position(text, span.start as usize),
            self.position(text, span.end as usize),
        )
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Where a document finds the template its 依据「…」 names: a function from the template's
/// name to its text, given by the host (the language server looks beside the file and in its
/// parent folders; without one, a compact built on a template reports E0147).
#[derive(Clone, Default)]
pub struct Templates(Option<std::sync::Arc<TemplateFn>>);

type TemplateFn = dyn Fn(&str) -> Option<String> + Send + Sync;

impl Templates {
    /// Templates found by `find`.
    pub fn new(find: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Templates {
        Templates(Some(std::sync::Arc::new(find)))
    }

    fn compile(&self, text: &str) -> Compiled {
        match &self.0 {
            Some(find) => crate::compile::compile_with(text, &|name| find(name)),
            None => compile(text),
        }
    }
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Templates(..)"
        } else {
            "Templates(none)"
        })
    }
}

/// One open document: its text, checked.
#[derive(Debug, Clone)]
pub struct Document {
    /// The text as the editor has it.
    pub text: String,
    /// Its line starts.
    pub lines: Lines,
    /// What parsing and checking gave.
    pub compiled: Compiled,
    /// The AST of the last text that read, while the current one does not (what completion
    /// offers while a line is half typed).
    stale: Option<SourceFile>,
    /// The names of the current AST, indexed on the first request that needs them.
    index: std::sync::OnceLock<SymbolIndex>,
    /// Where its template is found.
    templates: Templates,
}

impl Document {
    /// Reads and checks a text (a template it names is not found: E0147).
    pub fn new(text: String) -> Document {
        Document::with_templates(text, Templates::default())
    }

    /// Reads and checks a text, its template (依据「…」) found through `templates`.
    pub fn with_templates(text: String, templates: Templates) -> Document {
        let compiled = templates.compile(&text);
        let lines = Lines::new(&text);
        Document {
            text,
            lines,
            compiled,
            stale: None,
            index: std::sync::OnceLock::new(),
            templates,
        }
    }

    /// Applies an edit (`None`: the whole text) and checks again.
    pub fn edit(&mut self, range: Option<Range>, new_text: &str) {
        self.edit_all(std::iter::once((range, new_text)));
    }

    /// Applies the edits of one change notification in order, then checks once.
    pub fn edit_all<'a>(&mut self, edits: impl IntoIterator<Item = (Option<Range>, &'a str)>) {
        for (range, new_text) in edits {
            match range {
                None => self.text = new_text.to_string(),
                Some(range) => {
                    let start = self.lines.offset(&self.text, range.start);
                    let end = self.lines.offset(&self.text, range.end).max(start);
                    self.text.replace_range(start..end, new_text);
                }
            }
            self.lines = Lines::new(&self.text);
        }
        let compiled = self.templates.compile(&self.text);
        self.index = std::sync::OnceLock::new();
        let previous = std::mem::replace(&mut self.compiled, compiled);
        if self.compiled.ast.is_some() {
            self.stale = None;
        } else if previous.ast.is_some() {
            self.stale = previous.ast;
        }
    }

    /// The AST, when the text reads.
    pub fn ast(&self) -> Option<&SourceFile> {
        self.compiled.ast.as_ref()
    }

    /// The names the current AST declares and uses.
    pub fn index(&self) -> Option<&SymbolIndex> {
        let ast = self.ast()?;
        Some(self.index.get_or_init(|| SymbolIndex::new(ast, &self.text)))
    }

    fn range(&self, span: Span) -> Range {
        self.lines.range(&self.text, span)
    }

    fn offset(&self, position: Position) -> usize {
        self.lines.offset(&self.text, position)
    }
}

/// The document's problems as LSP diagnostics: code, Chinese message with its hint, the place
/// of the first label (the whole first line when there is none).
pub fn diagnostics(doc: &Document) -> Vec<Diagnostic> {
    let index = LineIndex::new(&doc.text);
    doc.compiled
        .problems
        .iter()
        .map(|problem| diagnostic(doc, &index, problem))
        .collect()
}

fn diagnostic(doc: &Document, index: &LineIndex, problem: &Problem) -> Diagnostic {
    let report = problem.report(&doc.text, index);
    let span = report
        .labels
        .first()
        .map(|label| label.span)
        .unwrap_or_default();
    let mut message = report.message.clone();
    for label in report.labels.iter().skip(1) {
        if !label.message.is_empty() {
            let at = doc.range(label.span).start;
            message.push_str(&format!("\n（第 {} 行：{}）", at.line + 1, label.message));
        }
    }
    if let Some(help) = &report.help {
        message.push_str("\n提示：");
        message.push_str(help);
    }
    Diagnostic {
        range: doc.range(span),
        severity: Some(match report.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(report.code.clone())),
        source: Some("xiangyue".to_string()),
        message,
        ..Diagnostic::default()
    }
}

/// Quick fixes for the problems whose place touches `range`: one click replaces the misspelled
/// name with the one the diagnostic suggests.
#[expect(
    clippy::mutable_key_type,
    reason = "lsp-types keys WorkspaceEdit by Uri, whose cache clippy sees as interior mutability"
)]
pub fn code_actions(doc: &Document, uri: &lsp_types::Uri, range: Range) -> Vec<CodeAction> {
    let index = LineIndex::new(&doc.text);
    let mut actions = Vec::new();
    for problem in &doc.compiled.problems {
        let Some(fix) = problem.fix() else { continue };
        let fix_range = doc.range(fix.span);
        if fix_range.end < range.start || range.end < fix_range.start {
            continue;
        }
        let edit = TextEdit::new(fix_range, fix.replacement.clone());
        let changes = std::iter::once((uri.clone(), vec![edit])).collect();
        actions.push(CodeAction {
            title: format!("改为「{}」", fix.replacement),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![diagnostic(doc, &index, problem)]),
            edit: Some(WorkspaceEdit::new(changes)),
            is_preferred: Some(true),
            ..CodeAction::default()
        });
    }
    actions
}

/// The canonical layout (`xiangyue fmt`) as one edit of the whole text; nothing when the text
/// does not read or is already canonical.
pub fn formatting(doc: &Document) -> Option<Vec<TextEdit>> {
    let formatted = crate::fmt::format_source(&doc.text).ok()?;
    if formatted == doc.text {
        return Some(Vec::new());
    }
    let whole = Range::new(
        Position::new(0, 0),
        doc.lines.position(&doc.text, doc.text.len()),
    );
    Some(vec![TextEdit::new(whole, formatted)])
}

fn clause_span(clause: &Clause) -> Span {
    clause
        .statements
        .iter()
        .fold(clause.span, |span, statement| span.join(statement.span))
}

fn clause_label(clause: &Clause) -> String {
    let number = crate::model::describe::clause_label(clause.number.node);
    match &clause.title {
        Some(title) => format!("{number} {}", title.node),
        None => number,
    }
}

#[expect(
    deprecated,
    reason = "DocumentSymbol's `deprecated` field must still be filled"
)]
fn symbol(
    doc: &Document,
    name: String,
    detail: Option<String>,
    kind: SymbolKind,
    span: Span,
    head: Span,
    children: Vec<DocumentSymbol>,
) -> DocumentSymbol {
    DocumentSymbol {
        name,
        detail,
        kind,
        tags: None,
        deprecated: None,
        range: doc.range(span),
        selection_range: doc.range(head),
        children: (!children.is_empty()).then_some(children),
    }
}

/// The outline: declarations, then chapters with their clauses, then worked examples.
pub fn document_symbols(doc: &Document) -> Vec<DocumentSymbol> {
    let Some(ast) = doc.ast() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for declaration in &ast.declarations {
        let (name, kind, head) = match &declaration.node {
            Declaration::Register(_) => ("户籍".to_string(), SymbolKind::STRUCT, declaration.span),
            Declaration::Roster { name, .. } => {
                (format!("名册 {}", name.node), SymbolKind::STRUCT, name.span)
            }
            Declaration::Account(account) => (
                format!("账户 {}", account.name.node),
                SymbolKind::VARIABLE,
                account.name.span,
            ),
            Declaration::Event(event) => (
                format!("事项 {}", event.name.node),
                SymbolKind::EVENT,
                event.name.span,
            ),
        };
        out.push(symbol(
            doc,
            name,
            None,
            kind,
            declaration.span,
            head,
            Vec::new(),
        ));
    }
    let clause_symbol = |clause: &Clause| {
        symbol(
            doc,
            clause_label(clause),
            prose(clause).first().map(|line| line.to_string()),
            SymbolKind::METHOD,
            clause_span(clause),
            symbols::clause_head(clause, &doc.text),
            Vec::new(),
        )
    };
    out.extend(ast.loose_clauses.iter().map(clause_symbol));
    for chapter in &ast.chapters {
        let children: Vec<DocumentSymbol> = chapter.clauses.iter().map(clause_symbol).collect();
        let span = chapter
            .clauses
            .iter()
            .fold(chapter.span, |span, clause| span.join(clause_span(clause)));
        let number = format!("第{}章", crate::fmt::chinese_numeral(chapter.number.node));
        let name = match &chapter.title {
            Some(title) => format!("{number} {}", title.node),
            None => number,
        };
        out.push(symbol(
            doc,
            name,
            None,
            SymbolKind::NAMESPACE,
            span,
            chapter.number.span,
            children,
        ));
    }
    for example in &ast.examples {
        out.push(symbol(
            doc,
            format!("示例「{}」", example.name.node),
            None,
            SymbolKind::OBJECT,
            example.span,
            example.name.span,
            Vec::new(),
        ));
    }
    out
}

/// The 原文 lines of a clause.
fn prose(clause: &Clause) -> Vec<&str> {
    clause
        .statements
        .iter()
        .filter_map(|statement| match &statement.node {
            Statement::Prose(text) => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

/// Hover: for a clause number (its head or a 第N条 reference), the clause with its 原文; for a
/// declared name (事项, field, account, roster, rating), its declaration and the clauses using it.
pub fn hover(doc: &Document, position: Position) -> Option<Hover> {
    let ast = doc.ast()?;
    let index = doc.index()?;
    let offset = doc.offset(position);
    let (symbols, span) = index.at(offset)?;
    let mut parts = Vec::new();
    for symbol in &symbols {
        parts.push(describe_symbol(doc, ast, index, symbol));
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: parts.join("\n\n---\n\n"),
        }),
        range: Some(doc.range(span)),
    })
}

fn describe_symbol(
    doc: &Document,
    ast: &SourceFile,
    index: &SymbolIndex,
    symbol: &Symbol,
) -> String {
    let mut out = String::new();
    match symbol.kind {
        SymbolKindZh::Clause => {
            let Some(clause) = symbols::clause(ast, symbol.number) else {
                return out;
            };
            out.push_str(&format!("**{}**", clause_label(clause)));
            if let Some(chapter) = ast.chapters.iter().find(|chapter| {
                chapter
                    .clauses
                    .iter()
                    .any(|c| c.number.node == clause.number.node)
            }) {
                let title = chapter
                    .title
                    .as_ref()
                    .map(|t| t.node.as_str())
                    .unwrap_or("");
                out.push_str(&format!(
                    "（第{}章 {title}）",
                    crate::fmt::chinese_numeral(chapter.number.node)
                ));
            }
            out.push_str("\n\n");
            let quoted: Vec<String> = prose(clause)
                .iter()
                .map(|line| format!("> 原文：{line}"))
                .collect();
            out.push_str(&quoted.join("\n>\n"));
            let rules: Vec<&str> = clause
                .statements
                .iter()
                .filter(|s| !matches!(s.node, Statement::Prose(_)))
                .map(|s| s.span.text(&doc.text))
                .collect();
            if !rules.is_empty() {
                out.push_str("\n\n```xiangyue\n");
                for rule in rules {
                    out.push_str(rule.trim());
                    out.push('\n');
                }
                out.push_str("```");
            }
        }
        _ => {
            out.push_str(&format!("**{}** {}\n\n", symbol.kind.word(), symbol.name));
            out.push_str("```xiangyue\n");
            out.push_str(symbol.declaration.text(&doc.text).trim());
            out.push_str("\n```");
            let users = index.clauses_using(ast, symbol);
            if !users.is_empty() {
                out.push_str("\n\n用到它的条文：");
                for clause in users {
                    out.push_str(&format!("\n- **{}**", clause_label(clause)));
                    if let Some(first) = prose(clause).first() {
                        out.push_str(&format!("　原文：{first}"));
                    }
                }
            }
        }
    }
    out
}

/// Where the name or clause number under the cursor is declared.
pub fn definition(doc: &Document, position: Position) -> Vec<Range> {
    let Some(index) = doc.index() else {
        return Vec::new();
    };
    let Some((symbols, _)) = index.at(doc.offset(position)) else {
        return Vec::new();
    };
    symbols.iter().map(|s| doc.range(s.name_span)).collect()
}

/// Every place the name or clause number under the cursor is written.
pub fn references(doc: &Document, position: Position, include_declaration: bool) -> Vec<Range> {
    let Some(index) = doc.index() else {
        return Vec::new();
    };
    let Some((symbols, _)) = index.at(doc.offset(position)) else {
        return Vec::new();
    };
    let mut spans: Vec<Span> = Vec::new();
    for symbol in &symbols {
        if include_declaration {
            spans.push(symbol.name_span);
        }
        spans.extend(index.uses(symbol));
    }
    spans.sort();
    spans.dedup();
    spans.into_iter().map(|span| doc.range(span)).collect()
}

/// Renaming a name or a clause number: every place it is written, as edits. A clause's new
/// number may be written 17 or 十七; references are written 第十七条. `None` when there is
/// nothing to rename here or the new name is not usable.
pub fn rename(doc: &Document, position: Position, new_name: &str) -> Option<Vec<TextEdit>> {
    let index = doc.index()?;
    let (symbols, _) = index.at(doc.offset(position))?;
    let new_name = new_name.trim();
    if new_name.is_empty() {
        return None;
    }
    let mut edits = Vec::new();
    for symbol in &symbols {
        let replacement = if symbol.kind == SymbolKindZh::Clause {
            let digits = new_name
                .trim_start_matches('第')
                .trim_end_matches('条')
                .trim();
            let number = crate::syntax::numeral::parse_whole(digits).ok()?;
            if number != symbol.number
                && index
                    .symbols()
                    .iter()
                    .any(|s| s.kind == SymbolKindZh::Clause && s.number == number)
            {
                return None;
            }
            format!("第{}条", crate::fmt::chinese_numeral(number))
        } else {
            new_name.to_string()
        };
        let mut spans = vec![symbol.name_span];
        spans.extend(index.uses(symbol));
        spans.sort();
        spans.dedup();
        for span in spans {
            edits.push(TextEdit::new(doc.range(span), replacement.clone()));
        }
    }
    Some(edits)
}

/// Words of the language offered by completion.
pub const KEYWORDS: &[&str] = &[
    "乡约",
    "模板",
    "依据",
    "自选加分项",
    "自选扣分项",
    "本条",
    "可选",
    "版本",
    "生效",
    "周期",
    "每年",
    "每月",
    "户籍",
    "名册",
    "账户",
    "事项",
    "默认",
    "最低",
    "余额结转",
    "只加不减",
    "清零",
    "有效期",
    "先进先出",
    "属",
    "归",
    "需",
    "原文",
    "凡",
    "且",
    "或",
    "非",
    "加",
    "扣",
    "每次",
    "每天",
    "每满",
    "至多",
    "本章",
    "计入",
    "例外于",
    "取最高",
    "评定",
    "每季度",
    "每月",
    "本季度",
    "本月",
    "不上榜",
    "不公布姓名",
    "四个季度",
    "十二个月",
    "均为",
    "登上",
    "排名",
    "分红",
    "示例",
    "每户",
    "每名",
    "连续",
    "无",
    "分",
    "整数",
    "数量",
    "金额",
    "文本",
    "是否",
    "日期",
    "分数",
    "选项",
    "基础分",
    "分为",
    "各项",
    "扣完为止",
    "加满为止",
];

/// Completion: declared names (事项, fields, accounts, rosters, ratings), clause numbers and
/// keywords whose start matches what is typed before the cursor. Full-width letters and digits
/// typed with a Chinese input method match as their ASCII forms.
pub fn completion(doc: &Document, position: Position) -> Vec<CompletionItem> {
    let offset = doc.offset(position);
    let before = doc.text.get(..offset).unwrap_or("");
    let prefix_start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| !is_separator(*c))
        .last()
        .map(|(i, _)| i)
        .unwrap_or(offset);
    let prefix = before.get(prefix_start..).unwrap_or("");
    let folded = crate::model::width::fold_width(prefix).into_owned();
    let replace = Range::new(doc.lines.position(&doc.text, prefix_start), position);
    let mut items: Vec<CompletionItem> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut offer = |label: String, kind: CompletionItemKind, detail: String| {
        let matches = crate::model::width::fold_width(&label).starts_with(folded.as_str());
        if matches && seen.insert(label.clone()) {
            items.push(CompletionItem {
                label: label.clone(),
                kind: Some(kind),
                detail: Some(detail),
                filter_text: Some(filter_text(prefix, &label)),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(replace, label))),
                ..CompletionItem::default()
            });
        }
    };
    let stale = match doc.index() {
        Some(_) => None,
        None => doc
            .stale
            .as_ref()
            .map(|ast| SymbolIndex::new(ast, &doc.text)),
    };
    if let Some(index) = doc.index().or(stale.as_ref()) {
        for symbol in index.symbols() {
            let kind = match symbol.kind {
                SymbolKindZh::Event => CompletionItemKind::EVENT,
                SymbolKindZh::Field | SymbolKindZh::Attribute => CompletionItemKind::FIELD,
                SymbolKindZh::Account => CompletionItemKind::VARIABLE,
                SymbolKindZh::Roster => CompletionItemKind::STRUCT,
                SymbolKindZh::Rating => CompletionItemKind::ENUM,
                SymbolKindZh::Clause => CompletionItemKind::REFERENCE,
            };
            let label = match symbol.kind {
                SymbolKindZh::Clause => crate::model::describe::clause_label(symbol.number),
                _ => symbol.name.clone(),
            };
            offer(label, kind, symbol.kind.word().to_string());
        }
    }
    for keyword in KEYWORDS {
        offer(
            (*keyword).to_string(),
            CompletionItemKind::KEYWORD,
            "关键词".to_string(),
        );
    }
    items
}

/// What the editor matches typed text against: the label, or — when the typed text matched it
/// only after folding full-width forms — the typed text followed by the rest of the label.
fn filter_text(prefix: &str, label: &str) -> String {
    if label.starts_with(prefix) {
        return label.to_string();
    }
    let rest: String = label.chars().skip(prefix.chars().count()).collect();
    format!("{prefix}{rest}")
}

fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '，' | '。'
                | '、'
                | '；'
                | '：'
                | '（'
                | '）'
                | '「'
                | '」'
                | '“'
                | '”'
                | '{'
                | '}'
                | '('
                | ')'
                | ','
                | ';'
                | ':'
                | '×'
                | '*'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units_both_ways() {
        let text = "乡约「甲」\n  凡 😀义务，加 2 分。\n";
        let lines = Lines::new(text);
        // 凡 is at byte 16 + 2 (two spaces); 😀 takes 2 UTF-16 units and 4 bytes.
        let start = text.find("义务").unwrap();
        let position = lines.position(text, start);
        assert_eq!(position, Position::new(1, 2 + 1 + 1 + 2));
        assert_eq!(lines.offset(text, position), start);
        // A column past the end of a line stops at the line break.
        let end = lines.offset(text, Position::new(0, 99));
        assert_eq!(&text[end..end + 1], "\n");
        assert_eq!(lines.offset(text, Position::new(9, 0)), text.len());
    }

    #[test]
    fn every_request_at_every_place_answers_without_panicking() {
        let sample = include_str!("../../compacts/youxiqiao-demo/youxiqiao.xy");
        for text in [
            sample,
            "乡约「甲」\n事项 甲\n第一条 😀\n  凡 乙，加 2 分。\n例外于 第九条",
            "",
        ] {
            let doc = Document::new(text.to_string());
            let lines = text.split('\n').count() as u32 + 1;
            for line in 0..lines {
                for character in [0, 1, 2, 3, 4, 5, 6, 8, 12, 40, 200] {
                    let at = Position::new(line, character);
                    let _ = hover(&doc, at);
                    let _ = definition(&doc, at);
                    let _ = references(&doc, at, true);
                    let _ = completion(&doc, at);
                    let _ = rename(&doc, at, "十九");
                }
            }
            let _ = semantic_tokens(&doc);
            let _ = inlay_hints(&doc);
            let _ = document_symbols(&doc);
            let _ = formatting(&doc);
            let _ = diagnostics(&doc);
        }
    }

    #[test]
    fn hover_on_a_rating_used_in_a_veto_shows_its_declaration() {
        let sample = include_str!("../../compacts/youxiqiao-demo/youxiqiao.xy");
        let doc = Document::new(sample.to_string());
        let offset = sample.find("取消 星级").unwrap() + "取消 ".len();
        let at = doc.lines.position(sample, offset + 3);
        let Some(Hover {
            contents: HoverContents::Markup(shown),
            ..
        }) = hover(&doc, at)
        else {
            panic!("no hover");
        };
        assert!(shown.value.starts_with("**评定** 星级"), "{}", shown.value);
        assert!(
            shown.value.contains("评定 星级（按 户积分）"),
            "{}",
            shown.value
        );
        let declared = sample.find("评定 星级").unwrap() + "评定 ".len();
        assert_eq!(
            definition(&doc, at),
            vec![
                doc.lines
                    .range(sample, Span::new(declared, declared + "星级".len()))
            ]
        );
    }

    #[test]
    fn a_clause_is_not_renamed_to_a_number_in_use() {
        let doc = Document::new("乡约「甲」\n事项 甲\n第一条 甲\n  凡 甲，加 2 分。\n第二条 乙\n  例外于 第一条。\n  凡 甲，加 1 分。\n".to_string());
        assert!(rename(&doc, Position::new(2, 1), "二").is_none());
        let edits = rename(&doc, Position::new(2, 1), "3").unwrap();
        let texts: Vec<&str> = edits.iter().map(|e| e.new_text.as_str()).collect();
        assert_eq!(texts, ["第三条", "第三条"]);
    }

    #[test]
    fn edits_apply_in_utf16_ranges() {
        let mut doc = Document::new("乡约「甲村」\n事项 义务投工\n".to_string());
        doc.edit(
            Some(Range::new(Position::new(1, 5), Position::new(1, 7))),
            "劳动",
        );
        assert_eq!(doc.text, "乡约「甲村」\n事项 义务劳动\n");
        assert!(!doc.compiled.has_errors());
    }
}
