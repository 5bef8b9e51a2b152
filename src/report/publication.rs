//! A publication (公示) of the village's book: its canonical standing — what the seal covers
//! and `verify` recomputes — and the printable 公示表 posted for everyone.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use indexmap::IndexMap;
use rust_decimal::Decimal;

use super::html::{PRINT_STYLE, escape};
use super::tables::{clause_label, points, rating_cell};
use crate::eval::Results;
use crate::eval::ledger::{Entry, date_words, entry_words_citing, line_of_log};
use crate::model::Register;
use crate::model::{Compact, HOUSEHOLD};

/// Each subject's standing as one line of JSON with its keys in a fixed order: households
/// (户号, 户主, each account's exact balance, each rating, vetoes, 分红资格), then each
/// roster's persons. The same results always give the same lines.
pub fn standing_lines(compact: &Compact, results: &Results, registers: &[Register]) -> Vec<String> {
    let mut lines = Vec::new();
    for kind in &results.kinds {
        let register = registers.get(kind.kind);
        let kind_name = compact
            .kinds
            .get(kind.kind)
            .map(|k| k.name.clone())
            .unwrap_or_default();
        for subject in &kind.subjects {
            let mut line: IndexMap<String, String> = IndexMap::new();
            let index = register.and_then(|r| r.find(&subject.id));
            let name = register
                .zip(index)
                .and_then(|(r, i)| r.name(i))
                .unwrap_or("")
                .to_string();
            if kind.kind == HOUSEHOLD {
                line.insert("户号".into(), subject.id.clone());
                line.insert("户主".into(), name);
            } else {
                line.insert("名册".into(), kind_name.clone());
                line.insert("编号".into(), subject.id.clone());
                line.insert("姓名".into(), name);
                let household = register
                    .zip(index)
                    .and_then(|(r, i)| r.households.get(i as usize).copied().flatten())
                    .and_then(|h| registers.get(HOUSEHOLD).and_then(|r| r.id(h)))
                    .unwrap_or("")
                    .to_string();
                line.insert("户号".into(), household);
            }
            for (account, balance) in kind.accounts.iter().zip(&subject.points) {
                if let Some(account) = compact.accounts.get(*account) {
                    line.insert(account.name.clone(), balance.normalize().to_string());
                }
            }
            for (rating, outcome) in kind.ratings.iter().zip(&subject.ratings) {
                if let Some(r) = compact.ratings.get(*rating) {
                    line.insert(
                        r.name.clone(),
                        rating_cell(compact, subject, *rating, outcome),
                    );
                }
            }
            if !subject.vetoes.is_empty() {
                line.insert(
                    "一票否决".into(),
                    subject
                        .vetoes
                        .iter()
                        .map(|v| {
                            format!(
                                "{}（{}）",
                                clause_label(compact, v.clause),
                                crate::model::value::date_of(v.day)
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("；"),
                );
            }
            if compact.dividend.is_some() && kind.kind == HOUSEHOLD {
                line.insert(
                    "分红资格".into(),
                    if subject.eligible { "有" } else { "无" }.into(),
                );
            }
            if !subject.titles.is_empty() {
                line.insert("称号".into(), subject.titles.join("、"));
            }
            lines.push(serde_json::to_string(&line).unwrap_or_default());
        }
    }
    lines
}

/// The fields of one standing line, in order (for telling people what differs).
pub fn standing_fields(line: &str) -> IndexMap<String, String> {
    serde_json::from_str(line).unwrap_or_default()
}

/// Everything a printed 公示表 shows.
pub struct Page<'a> {
    /// The compact in force.
    pub compact: &'a Compact,
    /// The standing.
    pub results: &'a Results,
    /// Registers (names).
    pub registers: &'a [Register],
    /// The ledger entries of records new in this publication, each subject's in the order
    /// decided.
    pub entries: &'a [Entry],
    /// Every clause that gave, took or noted something in the period.
    pub cited: &'a BTreeSet<usize>,
    /// The book's record id of each entry's line, if the record is new in this publication.
    pub new_record: &'a dyn Fn(u64) -> Option<i64>,
    /// The book's record id of any line of the exported log (for notes naming an earlier
    /// record: 已计).
    pub record_id: &'a dyn Fn(u64) -> Option<i64>,
    /// Its number (1 for the first).
    pub number: i64,
    /// Standing as of (YYYY-MM-DD).
    pub through: &'a str,
    /// Published on (YYYY-MM-DD).
    pub published_on: &'a str,
    /// The last day to object.
    pub deadline: &'a str,
    /// Days on show.
    pub days: i64,
    /// Who published it, and when (to the second).
    pub by: &'a str,
    /// When.
    pub at: &'a str,
    /// Sources: (what, file, SHA-256 or other detail).
    pub sources: &'a [(String, String, String)],
    /// This publication's seal and the previous one's.
    pub seal: &'a str,
    /// The previous publication's seal.
    pub prev_seal: &'a str,
    /// Records new in this publication.
    pub new_records: usize,
}

/// The printable 公示表 (A4 landscape): each household's balances, ratings and this
/// publication's items with their clauses; the clauses cited; the objection deadline; the
/// sources; the seal; a signature block.
pub fn render_page(page: &Page<'_>) -> String {
    let compact = page.compact;
    // （黑榜 不公布姓名）: posted as counts only, as on `eval`'s 公示表.
    let (masked, hidden_counts) = super::eval_output::mask_hidden(compact, page.results);
    let results = &masked;
    let title = format!("{} 积分公示（第 {} 期）", compact.title, page.number);
    // Room for the whole page at once (a large village's page is tens of megabytes).
    let subjects: usize = results.kinds.iter().map(|k| k.subjects.len()).sum();
    let mut out = String::with_capacity(64 * 1024 + subjects * 160 + page.entries.len() * 120);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>{t}</title>\n<style>{PRINT_STYLE}\n{PAGE_STYLE}</style>\n</head>\n<body>\n<h1>{t}</h1>\n<div class=\"meta\">{period}积分，截至 {through}　｜　公示期 {from} 至 {deadline}（{days} 天）　｜　本期新公示记录 {n} 条</div>\n",
        t = escape(&title),
        period = escape(&results.period.label()),
        through = escape(page.through),
        from = escape(page.published_on),
        deadline = escape(page.deadline),
        days = page.days,
        n = page.new_records,
    );
    let _ = writeln!(
        out,
        "<p class=\"notice\">对本表有异议的，请于 <b>{}</b> 前（含当日）向村积分管理小组提出，写明记录号和理由；期满无异议或异议处理完毕的，记入各户积分档案（归档）。</p>",
        escape(page.deadline)
    );
    for line in &hidden_counts {
        let _ = writeln!(out, "<p class=\"notice\">{}</p>", escape(line));
    }
    // Items new in this publication: the entries in order of subject and record (each
    // subject's in the order decided), so that a subject's items are one run of them.
    let mut order: Vec<usize> = (0..page.entries.len()).collect();
    order.sort_by_key(|&i| {
        page.entries
            .get(i)
            .map(|e| (e.kind, e.subject, e.line.unwrap_or(0)))
    });
    let mut next = 0;
    for kind in &results.kinds {
        let register = page.registers.get(kind.kind);
        let heading = if kind.kind == HOUSEHOLD {
            "各户积分".to_string()
        } else {
            format!(
                "名册「{}」",
                compact
                    .kinds
                    .get(kind.kind)
                    .map(|k| k.name.as_str())
                    .unwrap_or("")
            )
        };
        let _ = write!(out, "<h2>{}</h2>\n<table>\n<thead><tr>", escape(&heading));
        let mut header: Vec<String> = if kind.kind == HOUSEHOLD {
            vec!["户号".into(), "户主".into()]
        } else {
            vec!["编号".into(), "姓名".into()]
        };
        header.extend(super::tables::figure_columns(compact, kind));
        header.push("本期事项（加减分、依据条文、记录号）".into());
        for cell in &header {
            let _ = write!(out, "<th>{}</th>", escape(cell));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for (index, subject) in kind.subjects.iter().enumerate() {
            let name = register
                .and_then(|r| r.find(&subject.id).and_then(|i| r.name(i)))
                .unwrap_or("");
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td>",
                escape(&subject.id),
                escape(name)
            );
            for balance in &subject.points {
                let _ = write!(out, "<td>{}</td>", escape(&points(*balance)));
            }
            for (rating, outcome) in kind.ratings.iter().zip(&subject.ratings) {
                let _ = write!(
                    out,
                    "<td>{}</td>",
                    escape(&rating_cell(compact, subject, *rating, outcome))
                );
            }
            out.push_str("<td class=\"detail\">");
            let subject_index = u32::try_from(index).unwrap_or(u32::MAX);
            let start = next;
            while order
                .get(next)
                .and_then(|&i| page.entries.get(i))
                .is_some_and(|e| (e.kind, e.subject) <= (kind.kind, subject_index))
            {
                next += 1;
            }
            let mut first = true;
            for run in group_by_record(&order, start, next, page.entries) {
                if !first {
                    out.push_str("<br>");
                }
                first = false;
                write_item(&mut out, compact, page, run);
            }
            for veto in &subject.vetoes {
                if !first {
                    out.push_str("<br>");
                }
                first = false;
                out.push_str(&escape(&format!(
                    "{}一票否决",
                    clause_label(compact, veto.clause)
                )));
            }
            out.push_str("</td></tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("<h2>所引条文</h2>\n<ol class=\"clauses\">\n");
    let mut cited = page.cited.clone();
    cited.extend(super::eval_output::clauses_behind_results(
        compact, results, false,
    ));
    super::eval_output::write_cited_clauses(&mut out, compact, cited);
    out.push_str("</ol>\n<h2>依据与封存</h2>\n<table class=\"sources\">\n");
    for (what, file, detail) in page.sources {
        let _ = writeln!(
            out,
            "<tr><th>{}</th><td>{}</td><td class=\"hash\">{}</td></tr>",
            escape(what),
            escape(file),
            escape(detail)
        );
    }
    let _ = write!(
        out,
        "<tr><th>本期封存（SHA-256）</th><td colspan=\"2\" class=\"hash\"><b>{}</b></td></tr>\n<tr><th>上一期封存</th><td colspan=\"2\" class=\"hash\">{}</td></tr>\n</table>\n<p class=\"note\">封存值由本期公示的全部内容和上一期的封存值算出；账本或已公示的内容事后被改动，用 <code>xiangyue verify 村文件夹</code> 核验时会指出改在哪里。公布：{}，{}。</p>\n",
        escape(page.seal),
        escape(page.prev_seal),
        escape(page.by),
        escape(page.at)
    );
    out.push_str("<div class=\"signatures\"><span>登记人：__________</span><span>审核人：__________</span><span>村务监督委员会：__________</span><span>村民委员会（盖章）</span><span>日期：____年__月__日</span></div>\n</body>\n</html>\n");
    out
}

/// The entries `order[start..end]` in runs of one record each.
fn group_by_record<'e>(
    order: &'e [usize],
    start: usize,
    end: usize,
    entries: &'e [Entry],
) -> impl Iterator<Item = Vec<&'e Entry>> + 'e {
    let mut at = start;
    std::iter::from_fn(move || {
        let first = entries.get(*order.get(at)?)?;
        if at >= end {
            return None;
        }
        let mut run = vec![first];
        at += 1;
        while at < end {
            match order.get(at).and_then(|&i| entries.get(i)) {
                Some(e) if e.line == first.line => {
                    run.push(e);
                    at += 1;
                }
                _ => break,
            }
        }
        Some(run)
    })
}

/// One record's line: 「3月5日 义务投工 户积分 +4、兑换积分 +4（第四条，记录 17）」, with what
/// changed or refused its points.
fn write_item(out: &mut String, compact: &Compact, page: &Page<'_>, run: Vec<&Entry>) {
    let Some(first) = run.first() else { return };
    let id = first
        .line
        .and_then(|l| (page.new_record)(l))
        .unwrap_or_default();
    let event = first
        .event
        .and_then(|e| compact.events.get(e))
        .map_or("", |e| e.name.as_str());
    let mut clauses: Vec<String> = Vec::new();
    let mut amounts: Vec<String> = Vec::new();
    let mut words: Vec<String> = Vec::new();
    for entry in &run {
        if let Some(clause) = entry.clause {
            let label = clause_label(compact, clause);
            if !clauses.contains(&label) {
                clauses.push(label);
            }
        }
        if entry.amount.is_zero() || !entry.notes.is_empty() {
            let (computation, notes) = entry_words_citing(compact, entry, &|line| {
                (page.record_id)(line)
                    .map_or_else(|| line_of_log(line), |id| format!("的记录 {id}"))
            });
            if entry.amount.is_zero() && !computation.is_empty() && !words.contains(&computation) {
                words.push(computation);
            }
            for note in notes {
                if !words.contains(&note) {
                    words.push(note);
                }
            }
        }
        if !entry.amount.is_zero() {
            let account = entry
                .account
                .and_then(|a| compact.accounts.get(a))
                .map_or("", |a| a.name.as_str());
            let sign = if entry.amount > Decimal::ZERO {
                "+"
            } else {
                ""
            };
            amounts.push(format!("{account} {sign}{}", points(entry.amount)));
        }
    }
    let amounts = if amounts.is_empty() {
        "0 分".to_string()
    } else {
        amounts.join("、")
    };
    let clauses = if clauses.is_empty() {
        "不计分".to_string()
    } else {
        clauses.join("、")
    };
    let mut text = format!(
        "{} {event} {amounts}（{clauses}，记录 {id}）",
        short_date(&date_words(first.day)),
    );
    if !words.is_empty() {
        text.push('：');
        text.push_str(&words.join("；"));
    }
    out.push_str(&escape(&text));
}

/// 2024年3月5日 → 3月5日 (the year is in the heading).
fn short_date(words: &str) -> String {
    words
        .split_once('年')
        .map_or_else(|| words.to_string(), |(_, rest)| rest.to_string())
}

const PAGE_STYLE: &str = r#"
@page { size: A4 landscape; margin: 1.2cm; }
body { max-width: none; }
.notice { border: 1px solid #000; padding: 4px 8px; font-size: 10.5pt; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; }
th, td { border: 1px solid #555; padding: 2px 4px; text-align: center; vertical-align: top; }
td.detail { text-align: left; font-size: 9pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
ol.clauses { font-size: 10pt; list-style: none; padding-left: 0; }
table.sources td { text-align: left; }
.hash { font-family: monospace; font-size: 8.5pt; word-break: break-all; }
.signatures { margin-top: 2em; display: flex; justify-content: space-between; font-size: 11pt; break-inside: avoid; }
"#;
