//! Evaluation results for people: the terminal table (aligned for CJK widths), CSV for Excel
//! and the printable public ledger (公示表, HTML). The workbook (.xlsx) is in
//! [`super::workbook`]. Each states the period, the time of evaluation and the input files
//! with their SHA-256 ([`super::provenance`]).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::html::{PRINT_STYLE, escape};
use super::provenance::Provenance;
use super::tables::{Rows, household_rows, member_rows, notes, points, summary_words};
use crate::eval::ledger::Entry;
use crate::eval::{KindResults, Results};
use crate::model::Register;
use crate::model::{ClauseId, Compact, HOUSEHOLD, KindId, RankPrize, describe};

/// A table of rows, aligned, figures to the right as in a ledger.
pub fn aligned(rows: &Rows) -> String {
    table(rows)
}

fn table(rows: &Rows) -> String {
    let mut table = comfy_table::Table::new();
    table
        .load_style(comfy_table::presets::UTF8_FULL_CONDENSED)
        .set_header(rows.header.clone());
    for row in &rows.rows {
        table.add_row(row.iter().map(ToString::to_string));
    }
    for (index, column) in table.column_iter_mut().enumerate() {
        let numeric = !rows.rows.is_empty()
            && rows
                .rows
                .iter()
                .all(|row| row.get(index).is_some_and(|cell| cell.is_figure()));
        if numeric {
            column.set_cell_alignment(comfy_table::CellAlignment::Right);
        }
    }
    table.to_string()
}

/// The results as aligned tables (households, then each roster), with the summary, the time
/// of evaluation and the input files after them.
pub fn render_table(
    compact: &Compact,
    results: &Results,
    registers: &[Register],
    provenance: &Provenance,
) -> String {
    let mut out = table(&household_rows(compact, results, registers));
    out.push('\n');
    for roster in member_rows(compact, results, registers) {
        out.push_str(&format!("名册「{}」\n", roster.name));
        out.push_str(&table(&roster.rows));
        out.push('\n');
    }
    for line in notes(compact, results, provenance) {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Rows as CSV, with a byte order mark so that Excel reads the Chinese correctly. The table
/// comes first, its header on the first line, so that Excel's sorting and filtering find it;
/// after an empty row, `notes` (the period, the time of evaluation, the files), one a row in
/// the first column. Every row has as many cells as the header.
pub fn render_csv(rows: &Rows, notes: &[String]) -> String {
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    let width = rows.header.len().max(1);
    let _ = writer.write_record(&rows.header);
    for row in &rows.rows {
        let _ = writer.write_record(row.iter().map(ToString::to_string));
    }
    if !notes.is_empty() {
        let _ = writer.write_record(vec![""; width]);
        for note in notes {
            let mut record = vec![note.as_str()];
            record.resize(width, "");
            let _ = writer.write_record(&record);
        }
    }
    let bytes = writer.into_inner().unwrap_or_default();
    format!("\u{feff}{}", String::from_utf8(bytes).unwrap_or_default())
}

/// Per subject, the points each clause gave or took, by account (from the ledger).
struct ClauseSums {
    /// (kind, subject) → (the account's column in its kind, clause) → points.
    sums: HashMap<(KindId, u32), BTreeMap<(usize, ClauseId), Decimal>>,
}

impl ClauseSums {
    fn of(results: &Results, entries: &[Entry]) -> Self {
        let columns: HashMap<(KindId, usize), usize> = results
            .kinds
            .iter()
            .flat_map(|k| {
                k.accounts
                    .iter()
                    .enumerate()
                    .map(move |(column, a)| ((k.kind, *a), column))
            })
            .collect();
        let mut sums: HashMap<(KindId, u32), BTreeMap<(usize, ClauseId), Decimal>> = HashMap::new();
        for entry in entries {
            if entry.amount == Decimal::ZERO {
                continue;
            }
            let (Some(clause), Some(account)) = (entry.clause, entry.account) else {
                continue;
            };
            let Some(column) = columns.get(&(entry.kind, account)) else {
                continue;
            };
            *sums
                .entry((entry.kind, entry.subject))
                .or_default()
                .entry((*column, clause))
                .or_default() += entry.amount;
        }
        ClauseSums { sums }
    }

    /// 第一条 +30，第四条 +40 — or, when the kind has several accounts, each account's clauses
    /// after its name: 户积分：第一条 +30，第四条 +40；兑换积分：第四条 +40.
    fn detail(&self, compact: &Compact, kind: &KindResults, subject: u32) -> String {
        let Some(sums) = self.sums.get(&(kind.kind, subject)) else {
            return String::new();
        };
        let mut groups: Vec<(usize, Vec<String>)> = Vec::new();
        for ((column, clause), p) in sums {
            let Some(clause) = compact.clauses.get(*clause) else {
                continue;
            };
            let sign = if *p > Decimal::ZERO { "+" } else { "" };
            let part = format!(
                "{} {sign}{}",
                describe::clause_label(clause.number),
                points(*p)
            );
            match groups.last_mut() {
                Some((last, parts)) if last == column => parts.push(part),
                _ => groups.push((*column, vec![part])),
            }
        }
        let named = kind.accounts.len() > 1;
        groups
            .into_iter()
            .map(|(column, parts)| {
                let parts = parts.join("，");
                let account = kind
                    .accounts
                    .get(column)
                    .and_then(|a| compact.accounts.get(*a));
                match account {
                    Some(account) if named => format!("{}：{parts}", account.name),
                    _ => parts,
                }
            })
            .collect::<Vec<_>>()
            .join("；")
    }
}

/// The clauses a 公示表 cites: every clause that gave or took points from anyone shown (any
/// account), every veto that took effect, every rating shown, the rank awards whose titles
/// were given and the dividend when its column is shown — in the compact's order.
fn cited_clauses(compact: &Compact, results: &Results, sums: &ClauseSums) -> BTreeSet<ClauseId> {
    let mut cited: BTreeSet<ClauseId> = sums
        .sums
        .values()
        .flat_map(|clauses| clauses.keys().map(|(_, clause)| *clause))
        .collect();
    cited.extend(clauses_behind_results(compact, results, true));
    cited
}

/// The items of a 公示表's list of cited clauses: each clause's 第N条, title and 原文 (or, with
/// no 原文, its rules in words), in the order given.
pub fn write_cited_clauses(
    out: &mut String,
    compact: &Compact,
    cited: impl IntoIterator<Item = ClauseId>,
) {
    for clause_id in cited {
        let Some(clause) = compact.clauses.get(clause_id) else {
            continue;
        };
        let text = if clause.prose.is_empty() {
            describe::clause(compact, clause_id).join("")
        } else {
            clause.prose.join("")
        };
        let heading = match &clause.title {
            Some(t) => format!("{} {t}", describe::clause_label(clause.number)),
            None => describe::clause_label(clause.number),
        };
        let _ = writeln!(
            out,
            "<li><b>{}</b>　{}</li>",
            escape(&heading),
            escape(&text)
        );
    }
}

/// The clauses behind results beyond the points of records: every veto that took effect,
/// every rating shown, the rank awards whose titles were given, and (with `dividend`) the
/// dividend's clause. The 公示表 of `eval` and of a publication cite them.
pub fn clauses_behind_results(
    compact: &Compact,
    results: &Results,
    dividend: bool,
) -> BTreeSet<ClauseId> {
    let mut cited = BTreeSet::new();
    let mut titles: BTreeSet<&str> = BTreeSet::new();
    for kind in &results.kinds {
        if kind.subjects.is_empty() {
            continue;
        }
        cited.extend(
            kind.ratings
                .iter()
                .filter_map(|r| compact.ratings.get(*r))
                .map(|r| r.clause),
        );
        for subject in &kind.subjects {
            cited.extend(subject.vetoes.iter().map(|v| v.clause));
            titles.extend(subject.titles.iter().map(String::as_str));
        }
    }
    for rank in &compact.ranks {
        let gave_title = rank.awards.iter().any(|award| {
            matches!(&award.prize, RankPrize::Title(title) if titles.contains(title.as_str()))
        });
        if gave_title {
            cited.insert(rank.clause);
        }
    }
    if dividend && let Some(dividend) = &compact.dividend {
        cited.insert(dividend.clause);
    }
    cited
}

/// One results table in HTML with a last column of details (per subject, in row order).
fn html_table(out: &mut String, rows: &Rows, details: &[String]) {
    out.push_str("<table>\n<thead><tr>");
    for cell in &rows.header {
        let _ = write!(out, "<th>{}</th>", escape(cell));
    }
    out.push_str("<th>明细（按条）</th></tr></thead>\n<tbody>\n");
    for (row, detail) in rows.rows.iter().zip(details) {
        out.push_str("<tr>");
        for cell in row {
            let class = if cell.is_figure() { " class=\"n\"" } else { "" };
            let _ = write!(out, "<td{class}>{}</td>", escape(&cell.to_string()));
        }
        let _ = writeln!(out, "<td class=\"detail\">{}</td></tr>", escape(detail));
    }
    out.push_str("</tbody>\n</table>\n");
}

/// Details of every subject of a kind, in register order.
fn details(compact: &Compact, results: &Results, sums: &ClauseSums, kind: KindId) -> Vec<String> {
    let Some(kind) = results.kinds.iter().find(|k| k.kind == kind) else {
        return Vec::new();
    };
    (0..kind.subjects.len())
        .map(|i| sums.detail(compact, kind, u32::try_from(i).unwrap_or(u32::MAX)))
        .collect()
}

/// The public ledger (公示表): every household's points — and every roster member's, a section
/// per roster — with the clauses they came from, the text of every clause cited, and the files
/// the results were computed from; for printing on A4 and posting on the village notice board.
pub fn render_html(
    compact: &Compact,
    results: &Results,
    registers: &[Register],
    entries: &[Entry],
    provenance: &Provenance,
) -> String {
    let sums = ClauseSums::of(results, entries);
    // （黑榜 不公布姓名）: the posted table shows those households as not listed, and only
    // how many there are.
    let (masked, hidden_counts) = mask_hidden(compact, results);
    let results = &masked;
    let title = format!("{} {}积分公示表", compact.title, results.period.label());
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{PRINT_STYLE}\n{LEDGER_STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n<div class=\"meta\">",
        escape(&title),
        escape(&title)
    );
    for line in summary_words(compact, results) {
        let _ = write!(out, "{}<br>", escape(&line));
    }
    for line in &hidden_counts {
        let _ = write!(out, "{}<br>", escape(line));
    }
    let _ = writeln!(out, "计算时间：{}</div>", escape(&provenance.time_words()));
    let rosters = member_rows(compact, results, registers);
    if !rosters.is_empty() {
        out.push_str("<h2>各户</h2>\n");
    }
    html_table(
        &mut out,
        &household_rows(compact, results, registers),
        &details(compact, results, &sums, HOUSEHOLD),
    );
    for roster in &rosters {
        let _ = writeln!(out, "<h2>名册「{}」</h2>", escape(&roster.name));
        html_table(
            &mut out,
            &roster.rows,
            &details(compact, results, &sums, roster.kind),
        );
    }
    out.push_str("<h2>所引条文</h2>\n<ol class=\"clauses\">\n");
    write_cited_clauses(&mut out, compact, cited_clauses(compact, results, &sums));
    out.push_str("</ol>\n<h2>所用文件</h2>\n<p class=\"sources\">");
    let _ = write!(
        out,
        "计算时间：{}。各文件的 SHA-256 校验值可用来核对文件在计算之后没有改动（例如 sha256sum 文件名）。</p>\n<table class=\"sources\">\n<thead><tr><th>文件</th><th>路径</th><th>SHA-256</th><th>字节</th></tr></thead>\n<tbody>\n",
        escape(&provenance.time_words())
    );
    for file in &provenance.files {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td class=\"hash\">{}</td><td class=\"n\">{}</td></tr>",
            escape(&file.label),
            escape(&file.path),
            escape(&file.sha256),
            file.bytes
        );
    }
    out.push_str("</tbody>\n</table>\n<footer>公示期间如有异议，请向村积分制管理领导小组提出。本表由 xiangyue（乡约）按乡约条文和事项记录计算生成，每一分都可用 xiangyue explain 查到所依据的条文和记录。</footer>\n</body>\n</html>\n");
    out
}

/// The results with every label the compact does not publish (（黑榜 不公布姓名）) taken out —
/// shown as not listed, like a subject no row matched — and, per rating and label, how many
/// subjects had it (「第一季度红黑榜「黑榜」2 户（不公布户号）」).
pub fn mask_hidden(compact: &Compact, results: &Results) -> (Results, Vec<String>) {
    let mut masked = results.clone();
    let mut lines = Vec::new();
    if compact.ratings.iter().all(|r| r.hidden.is_empty()) {
        return (masked, lines);
    }
    for kind in &mut masked.kinds {
        let unit = if kind.kind == HOUSEHOLD { "户" } else { "人" };
        for (at, r) in kind.ratings.iter().enumerate() {
            let Some(rating) = compact.ratings.get(*r) else {
                continue;
            };
            for label in &rating.hidden {
                let mut count = 0usize;
                for subject in &mut kind.subjects {
                    if let Some(outcome) = subject.ratings.get_mut(at)
                        && outcome.label() == Some(label.as_str())
                    {
                        *outcome = crate::eval::RatingOutcome::None;
                        count += 1;
                    }
                }
                lines.push(format!(
                    "{}「{label}」{count} {unit}（不公布{}）",
                    rating.name,
                    if kind.kind == HOUSEHOLD {
                        "户号"
                    } else {
                        "姓名"
                    }
                ));
            }
        }
    }
    (masked, lines)
}

const LEDGER_STYLE: &str = r#"
@page { size: A4 landscape; margin: 1.5cm; }
body { max-width: none; }
table { border-collapse: collapse; width: 100%; font-size: 10pt; }
th, td { border: 1px solid #555; padding: 2px 4px; text-align: center; white-space: nowrap; }
td.n { text-align: right; }
td.detail { text-align: left; font-size: 9pt; white-space: normal; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
ol.clauses { font-size: 10pt; list-style: none; padding-left: 0; }
p.sources { font-size: 9pt; }
table.sources { font-size: 9pt; }
table.sources td { text-align: left; }
table.sources td.n { text-align: right; }
td.hash { font-family: monospace; word-break: break-all; }
"#;
