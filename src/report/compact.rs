//! The printable compact (`xiangyue render`): title, version, effective date, chapters and
//! numbered clauses with their 原文 — or, for a clause written without 原文, plain sentences
//! generated from its rules, marked as such. Beside a clause's 原文 stands the rule as the
//! evaluator reads it (「程序读作：…」, the sentences of `model::describe`), so that readers can
//! see when the text they voted on and the program disagree.

use std::fmt::Write as _;

use super::html::{PRINT_STYLE, escape};
use crate::fmt::chinese_numeral;
use crate::model::{Compact, describe};

/// One clause as people read it.
struct ClauseText {
    label: String,
    title: Option<String>,
    paragraphs: Vec<String>,
    generated: bool,
    /// For a clause with 原文: the rule as the program reads it, in sentences (empty when the
    /// clause has no rule).
    reading: Vec<String>,
}

/// One chapter (or the clauses before the first chapter).
struct Section {
    heading: Option<String>,
    /// 本章 每年 至多 … in words.
    caps: Vec<String>,
    clauses: Vec<ClauseText>,
}

fn chapter_caps(compact: &Compact, chapter: Option<usize>) -> Vec<String> {
    chapter
        .and_then(|c| compact.chapters.get(c))
        .map(|ch| {
            ch.caps
                .iter()
                .map(|c| format!("本章各条合计{}。", describe::cap(c)))
                .collect()
        })
        .unwrap_or_default()
}

fn period_text(compact: &Compact) -> String {
    let start = compact.period_start;
    if start.month == 1 && start.day == 1 {
        "按自然年度（1月1日至12月31日）计".to_string()
    } else {
        format!("每年自 {}月{}日 起计一个年度", start.month, start.day)
    }
}

fn meta_lines(compact: &Compact) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(version) = &compact.version {
        lines.push(format!("版本：{version}"));
    }
    if let Some(date) = compact.effective {
        lines.push(format!(
            "生效日期：{}年{}月{}日",
            date.year(),
            date.month(),
            date.day()
        ));
    }
    lines.push(format!("积分周期：{}", period_text(compact)));
    // 基础分 of accounts, with their groups (分项).
    for account in &compact.accounts {
        let Some(base) = account.base else { continue };
        let whose = if account.owner == crate::model::HOUSEHOLD {
            "每户".to_string()
        } else {
            compact
                .kinds
                .get(account.owner)
                .map(|k| format!("每名{}", k.name))
                .unwrap_or_default()
        };
        let mut line = format!(
            "{}：{whose}每期基础分 {} 分",
            account.name,
            crate::model::describe::number(base)
        );
        if !account.groups.is_empty() {
            let groups: Vec<String> = account
                .groups
                .iter()
                .map(|g| {
                    format!(
                        "「{}」{} 分",
                        g.name,
                        crate::model::describe::number(g.base)
                    )
                })
                .collect();
            line.push_str(&format!("，分为{}", groups.join("、")));
            let floor = account.groups.first().map(|g| g.floor).unwrap_or_default();
            line.push_str(&if floor.is_zero() {
                "，各项扣完为止".to_string()
            } else {
                format!("，各项最低 {} 分", crate::model::describe::number(floor))
            });
            if account.groups.iter().any(|g| g.full_at_base) {
                line.push_str("，加满为止");
            }
        }
        lines.push(line);
    }
    if let Some(basis) = &compact.basis {
        lines.push(format!("依据：{}", basis.name));
    }
    if let Some(limits) = &compact.template {
        lines.push("本文件是模板：依据它的乡约照写各项，分值只能在模板的范围之内收窄".to_string());
        for (what, limit) in [
            ("自选加分项", limits.awards),
            ("自选扣分项", limits.deductions),
        ] {
            lines.push(match limit {
                Some(l) => format!(
                    "{what}：至多 {} 项，每项至多 {} 分",
                    l.count,
                    describe::number(l.points)
                ),
                None => format!("{what}：不允许"),
            });
        }
    }
    lines.extend(compact.accounts.iter().filter_map(account_text));
    lines
}

/// An account that lives longer than a period, or is cleared within one, in words: 余额结转,
/// 每年 M月D日 清零, 积分有效期.
fn account_text(account: &crate::model::Account) -> Option<String> {
    let mut parts = Vec::new();
    if account.carries {
        parts.push("年末余额转入下一年度".to_string());
    }
    if let Some(md) = account.clears_on {
        parts.push(format!("每年{}月{}日余额清零", md.month, md.day));
    }
    if let Some(years) = account.expires_after.filter(|_| account.carries) {
        parts.push(format!(
            "每年所得的积分有效期 {years} 年（得分当年算第一年），到期未用的作废，兑换先用早得的积分"
        ));
    }
    (!parts.is_empty()).then(|| format!("{}：{}", account.name, parts.join("；")))
}

fn sections(compact: &Compact) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    let mut current: Option<Option<usize>> = None;
    for (id, clause) in compact.clauses.iter().enumerate() {
        if current != Some(clause.chapter) {
            current = Some(clause.chapter);
            let heading = clause
                .chapter
                .and_then(|c| compact.chapters.get(c))
                .map(|ch| match &ch.title {
                    Some(t) => format!("第{}章　{t}", chinese_numeral(ch.number)),
                    None => format!("第{}章", chinese_numeral(ch.number)),
                });
            sections.push(Section {
                heading,
                caps: chapter_caps(compact, clause.chapter),
                clauses: Vec::new(),
            });
        }
        let sentences = describe::clause(compact, id);
        let (paragraphs, generated, reading) = if clause.prose.is_empty() {
            (sentences, true, Vec::new())
        } else {
            (clause.prose.clone(), false, sentences)
        };
        if let Some(section) = sections.last_mut() {
            section.clauses.push(ClauseText {
                label: describe::clause_label(clause.number),
                title: clause.title.clone(),
                paragraphs,
                generated,
                reading,
            });
        }
    }
    // Chapters with no clauses still print their heading.
    for (index, chapter) in compact.chapters.iter().enumerate() {
        if !compact.clauses.iter().any(|c| c.chapter == Some(index)) {
            let heading = match &chapter.title {
                Some(t) => format!("第{}章　{t}", chinese_numeral(chapter.number)),
                None => format!("第{}章", chinese_numeral(chapter.number)),
            };
            sections.push(Section {
                heading: Some(heading),
                caps: chapter_caps(compact, Some(index)),
                clauses: Vec::new(),
            });
        }
    }
    sections
}

const GENERATED_NOTE: &str = "（本条未录入原文，以下文字根据规则自动生成）";

/// What marks the program's reading of a clause beside its 原文.
const READING_MARK: &str = "程序读作：";

/// The program's reading of a clause as one line, or `None` for a clause without rules.
fn reading_line(clause: &ClauseText) -> Option<String> {
    if clause.reading.is_empty() {
        None
    } else {
        Some(format!("{READING_MARK}{}", clause.reading.join("")))
    }
}

/// The printable compact as a standalone HTML page.
pub fn render_html(compact: &Compact) -> String {
    let mut out = String::new();
    let title = escape(&compact.title);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<style>{PRINT_STYLE}</style>\n</head>\n<body>\n<h1>{title}</h1>\n<div class=\"meta\">{}</div>\n",
        meta_lines(compact)
            .iter()
            .map(|l| escape(l))
            .collect::<Vec<_>>()
            .join("<br>")
    );
    for section in sections(compact) {
        if let Some(heading) = &section.heading {
            let _ = writeln!(out, "<h2>{}</h2>", escape(heading));
        }
        for cap in &section.caps {
            let _ = writeln!(out, "<p class=\"note\">{}</p>", escape(cap));
        }
        for clause in &section.clauses {
            let class = if clause.generated {
                "clause generated"
            } else {
                "clause"
            };
            let _ = writeln!(out, "<div class=\"{class}\">");
            let heading = match &clause.title {
                Some(t) => format!("{}　{}", clause.label, t),
                None => clause.label.clone(),
            };
            let _ = writeln!(
                out,
                "<p class=\"first\"><span class=\"no\">{}</span></p>",
                escape(&heading)
            );
            if clause.generated {
                let _ = writeln!(out, "<p class=\"note\">{}</p>", escape(GENERATED_NOTE));
            }
            for paragraph in &clause.paragraphs {
                let _ = writeln!(out, "<p>{}</p>", escape(paragraph));
            }
            if let Some(line) = reading_line(clause) {
                let _ = writeln!(out, "<p class=\"reading\">{}</p>", escape(&line));
            }
            let _ = writeln!(out, "</div>");
        }
    }
    let _ = write!(
        out,
        "<footer>本文由 xiangyue（乡约）根据乡约文件生成，条文编号与积分计算所引用的条号一致。</footer>\n</body>\n</html>\n"
    );
    out
}

/// The printable compact as Markdown.
pub fn render_markdown(compact: &Compact) -> String {
    let mut blocks: Vec<String> = vec![
        format!("# {}", compact.title),
        meta_lines(compact).join("  \n"),
    ];
    for section in sections(compact) {
        if let Some(heading) = &section.heading {
            blocks.push(format!("## {heading}"));
        }
        for cap in &section.caps {
            blocks.push(format!("*{cap}*"));
        }
        for clause in &section.clauses {
            blocks.push(match &clause.title {
                Some(t) => format!("**{}**　{}", clause.label, t),
                None => format!("**{}**", clause.label),
            });
            if clause.generated {
                blocks.push(format!("*{GENERATED_NOTE}*"));
            }
            blocks.extend(clause.paragraphs.iter().cloned());
            if let Some(line) = reading_line(clause) {
                blocks.push(format!("> {line}"));
            }
        }
    }
    blocks.join("\n\n") + "\n"
}
