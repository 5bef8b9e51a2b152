//! Evaluation results for people: the terminal table (aligned for CJK widths), CSV for Excel,
//! the printable public ledger (公示表, HTML) and the workbook (.xlsx).

use std::fmt::Write as _;

use indexmap::IndexMap;
use rust_decimal::Decimal;

use super::html::{PRINT_STYLE, escape};
use super::tables::{LedgerRow, Rows, household_rows, member_rows, points, summary_words};
use crate::eval::Results;
use crate::eval::ledger::Entry;
use crate::model::{Compact, HOUSEHOLD, describe};

/// The results as an aligned table, with the summary after it.
pub fn render_table(compact: &Compact, results: &Results) -> String {
    let rows = household_rows(compact, results);
    let mut table = comfy_table::Table::new();
    table
        .load_style(comfy_table::presets::UTF8_FULL_CONDENSED)
        .set_header(rows.header.clone());
    for row in &rows.rows {
        table.add_row(row.clone());
    }
    // Figures line up on the right, as in a ledger.
    for (index, column) in table.column_iter_mut().enumerate() {
        let numeric = !rows.rows.is_empty()
            && rows
                .rows
                .iter()
                .all(|row| row.get(index).is_some_and(|cell| is_figure(cell)));
        if numeric {
            column.set_cell_alignment(comfy_table::CellAlignment::Right);
        }
    }
    let mut out = table.to_string();
    out.push('\n');
    for (name, rows) in member_rows(compact, results) {
        let mut table = comfy_table::Table::new();
        table
            .load_style(comfy_table::presets::UTF8_FULL_CONDENSED)
            .set_header(rows.header.clone());
        for row in &rows.rows {
            table.add_row(row.clone());
        }
        out.push_str(&format!("名册「{name}」\n"));
        out.push_str(&table.to_string());
        out.push('\n');
    }
    for line in summary_words(compact, results) {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Rows as CSV, with a byte order mark so that Excel reads the Chinese correctly.
pub fn render_csv(rows: &Rows) -> String {
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    let _ = writer.write_record(&rows.header);
    for row in &rows.rows {
        let _ = writer.write_record(row);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    format!("\u{feff}{}", String::from_utf8(bytes).unwrap_or_default())
}

/// Per household, the points of the default household account by clause (from the ledger).
fn clause_sums(compact: &Compact, entries: &[Entry]) -> IndexMap<u32, IndexMap<usize, Decimal>> {
    let account = compact.default_account(HOUSEHOLD);
    let mut sums: IndexMap<u32, IndexMap<usize, Decimal>> = IndexMap::new();
    for entry in entries {
        if entry.kind != HOUSEHOLD || entry.account != account || entry.amount == Decimal::ZERO {
            continue;
        }
        let Some(clause) = entry.clause else { continue };
        *sums
            .entry(entry.subject)
            .or_default()
            .entry(clause)
            .or_default() += entry.amount;
    }
    for clauses in sums.values_mut() {
        clauses.sort_keys();
    }
    sums
}

/// The public ledger (公示表): every household's points with the clauses they came from, for
/// printing on A4 and posting on the village notice board.
pub fn render_html(compact: &Compact, results: &Results, entries: &[Entry]) -> String {
    let rows = household_rows(compact, results);
    let sums = clause_sums(compact, entries);
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
    out.push_str("</div>\n<table>\n<thead><tr>");
    for cell in &rows.header {
        let _ = write!(out, "<th>{}</th>", escape(cell));
    }
    let account_name = compact
        .default_account(HOUSEHOLD)
        .and_then(|a| compact.accounts.get(a))
        .map(|a| a.name.clone())
        .unwrap_or_default();
    let _ = write!(
        out,
        "<th>{}明细（按条）</th></tr></thead>\n<tbody>\n",
        escape(&account_name)
    );
    for (index, row) in rows.rows.iter().enumerate() {
        out.push_str("<tr>");
        for cell in row {
            let _ = write!(out, "<td>{}</td>", escape(cell));
        }
        let detail = sums
            .get(&u32::try_from(index).unwrap_or(u32::MAX))
            .map(|clauses| {
                clauses
                    .iter()
                    .filter_map(|(c, p)| {
                        let clause = compact.clauses.get(*c)?;
                        let sign = if *p > Decimal::ZERO { "+" } else { "" };
                        Some(format!(
                            "{} {sign}{}",
                            describe::clause_label(clause.number),
                            points(*p)
                        ))
                    })
                    .collect::<Vec<_>>()
                    .join("，")
            })
            .unwrap_or_default();
        let _ = writeln!(out, "<td class=\"detail\">{}</td></tr>", escape(&detail));
    }
    out.push_str("</tbody>\n</table>\n<h2>所引条文</h2>\n<ol class=\"clauses\">\n");
    let mut used: Vec<usize> = sums.values().flat_map(|c| c.keys().copied()).collect();
    used.sort_unstable();
    used.dedup();
    for clause_id in used {
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
    out.push_str("</ol>\n<footer>公示期间如有异议，请向村积分制管理领导小组提出。本表由 xiangyue（乡约）按乡约条文和事项记录计算生成，每一分都可用 xiangyue explain 查到所依据的条文和记录。</footer>\n</body>\n</html>\n");
    out
}

const LEDGER_STYLE: &str = r#"
@page { size: A4 landscape; margin: 1.5cm; }
body { max-width: none; }
table { border-collapse: collapse; width: 100%; font-size: 10pt; }
th, td { border: 1px solid #555; padding: 2px 4px; text-align: center; }
td.detail { text-align: left; font-size: 9pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
ol.clauses { font-size: 10pt; list-style: none; padding-left: 0; }
"#;

/// The workbook: one sheet of households, one of ledger entries (when given).
pub fn render_xlsx(
    compact: &Compact,
    results: &Results,
    ledger: &[LedgerRow],
) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format, Workbook};
    let rows = household_rows(compact, results);
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = workbook.add_worksheet();
    sheet.set_name("各户积分").map_err(|e| e.to_string())?;
    for (c, cell) in rows.header.iter().enumerate() {
        let col = u16::try_from(c).unwrap_or(u16::MAX);
        sheet
            .write_string_with_format(0, col, cell, &bold)
            .map_err(|e| e.to_string())?;
    }
    for (r, row) in rows.rows.iter().enumerate() {
        let line = u32::try_from(r + 1).unwrap_or(u32::MAX);
        for (c, cell) in row.iter().enumerate() {
            let col = u16::try_from(c).unwrap_or(u16::MAX);
            // Numbers as numbers, so that Excel can sum them; 户号 stays text.
            match cell.parse::<f64>() {
                Ok(n) if c > 0 => sheet.write_number(line, col, n),
                _ => sheet.write_string(line, col, cell),
            }
            .map_err(|e| e.to_string())?;
        }
    }
    sheet.set_freeze_panes(1, 1).map_err(|e| e.to_string())?;
    if !ledger.is_empty() {
        let sheet = workbook.add_worksheet();
        sheet.set_name("积分明细").map_err(|e| e.to_string())?;
        let header = [
            "户号", "日期", "条文", "账户", "分值", "计算", "说明", "记录",
        ];
        for (c, cell) in header.iter().enumerate() {
            let col = u16::try_from(c).unwrap_or(u16::MAX);
            sheet
                .write_string_with_format(0, col, *cell, &bold)
                .map_err(|e| e.to_string())?;
        }
        for (r, row) in ledger.iter().enumerate() {
            let line = u32::try_from(r + 1).unwrap_or(u32::MAX);
            let cells = [
                &row.subject,
                &row.date,
                &row.clause,
                &row.account,
                &row.amount,
                &row.computation,
                &row.notes,
                &row.record,
            ];
            for (c, cell) in cells.iter().enumerate() {
                let col = u16::try_from(c).unwrap_or(u16::MAX);
                match cell.parse::<f64>() {
                    Ok(n) if c == 4 => sheet.write_number(line, col, n),
                    _ => sheet.write_string(line, col, cell.as_str()),
                }
                .map_err(|e| e.to_string())?;
            }
        }
        sheet.set_freeze_panes(1, 0).map_err(|e| e.to_string())?;
    }
    workbook.save_to_buffer().map_err(|e| e.to_string())
}

/// Whether a cell is a number (points or yuan).
fn is_figure(cell: &str) -> bool {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && digits.bytes().filter(|&b| b == b'.').count() <= 1
}
