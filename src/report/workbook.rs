//! The results as an Excel/WPS workbook (.xlsx): a sheet of households, a sheet per roster, the
//! ledger (积分明细) and a sheet of notes (说明: the period, the time of evaluation, the input
//! files with their SHA-256). Points are numbers, money is a number of 元 with the format
//! `#,##0.00`, dates are dates (`yyyy-mm-dd`). The same input and time of evaluation give the
//! same bytes: the workbook's creation time is the time of evaluation, not the clock.

use rust_decimal::Decimal;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::provenance::Provenance;
use super::tables::summary_words;
use super::tables::{Cell, LedgerRow, Rows, household_rows, member_rows, period_words};
use crate::eval::Results;
use crate::model::Register;
use crate::model::value::{Day, date_of};
use crate::model::{Compact, describe};

/// Number formats of the workbook.
struct Formats {
    bold: Format,
    money: Format,
    date: Format,
    time: Format,
}

impl Formats {
    fn new() -> Self {
        Formats {
            bold: Format::new().set_bold(),
            money: Format::new().set_num_format("#,##0.00"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            time: Format::new().set_num_format("yyyy-mm-dd hh:mm"),
        }
    }
}

/// A column number (a workbook has at most 16,384 columns; more is an error when written).
fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// A row number (at most 1,048,576 rows; more is an error when written).
fn row(r: usize) -> u32 {
    u32::try_from(r).unwrap_or(u32::MAX)
}

/// Points as the number people are shown (rounded to two places like every table), so that
/// Excel's sums are the sums of the figures on the sheet.
fn points_number(p: Decimal) -> f64 {
    describe::shown_points(p).parse().unwrap_or(0.0)
}

/// Money in 元 from fen. Every amount here is below 2^53 fen, so `fen` and 100 are exact
/// doubles and their quotient is the double nearest the amount — the number Excel would hold
/// had the clerk typed it.
fn money_number(fen: i64) -> f64 {
    // Amounts are below 10^15 fen (data::value's limits): exact in a double.
    let fen = fen as f64;
    fen / 100.0
}

/// A day as an Excel date.
fn excel_date(day: Day) -> Result<ExcelDateTime, XlsxError> {
    let date = date_of(day);
    ExcelDateTime::from_ymd(
        u16::try_from(date.year()).unwrap_or(1900),
        u8::try_from(date.month()).unwrap_or(1),
        u8::try_from(date.day()).unwrap_or(1),
    )
}

/// A date and time as an Excel one.
fn excel_time(t: jiff::civil::DateTime) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(
        u16::try_from(t.year()).unwrap_or(1900),
        u8::try_from(t.month()).unwrap_or(1),
        u8::try_from(t.day()).unwrap_or(1),
    )?
    .and_hms(
        u16::try_from(t.hour()).unwrap_or(0),
        u8::try_from(t.minute()).unwrap_or(0),
        f64::from(t.second()),
    )
}

/// How wide a column should be for its cells, in Excel's units (a character of the default
/// font; a CJK character counts two), between 6 and 60.
fn width_of<'a>(cells: impl Iterator<Item = &'a str>) -> f64 {
    let widest = cells
        .map(|text| {
            text.chars()
                .map(|c| if u32::from(c) >= 0x2E80 { 2 } else { 1 })
                .sum::<u32>()
        })
        .max()
        .unwrap_or(0);
    f64::from(widest.clamp(4, 58) + 2)
}

/// A header row in bold, frozen, filtered, repeated on every printed page; columns as wide
/// as their cells; landscape pages as wide as one page.
fn lay_out(
    sheet: &mut Worksheet,
    header: &[String],
    widths: &[f64],
    rows: usize,
    frozen_columns: u16,
    formats: &Formats,
) -> Result<(), XlsxError> {
    for (c, cell) in header.iter().enumerate() {
        sheet.write_string_with_format(0, col(c), cell, &formats.bold)?;
    }
    for (c, width) in widths.iter().enumerate() {
        sheet.set_column_width(col(c), *width)?;
    }
    sheet.set_freeze_panes(1, frozen_columns)?;
    if !header.is_empty() {
        sheet.autofilter(0, 0, row(rows), col(header.len() - 1))?;
    }
    sheet.set_repeat_rows(0, 0)?;
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    Ok(())
}

/// One sheet of results rows (households or a roster's members).
fn rows_sheet(
    sheet: &mut Worksheet,
    name: &str,
    rows: &Rows,
    frozen_columns: u16,
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(name)?;
    let widths: Vec<f64> = (0..rows.header.len())
        .map(|c| {
            let texts: Vec<String> = rows
                .rows
                .iter()
                .filter_map(|r| r.get(c).map(ToString::to_string))
                .chain(rows.header.get(c).cloned())
                .collect();
            width_of(texts.iter().map(String::as_str))
        })
        .collect();
    lay_out(
        sheet,
        &rows.header,
        &widths,
        rows.rows.len(),
        frozen_columns,
        formats,
    )?;
    for (r, cells) in rows.rows.iter().enumerate() {
        let line = row(r + 1);
        for (c, cell) in cells.iter().enumerate() {
            match cell {
                Cell::Text(text) => sheet.write_string(line, col(c), text)?,
                Cell::Points(p) => sheet.write_number(line, col(c), points_number(*p))?,
                Cell::Money(fen) => sheet.write_number_with_format(
                    line,
                    col(c),
                    money_number(*fen),
                    &formats.money,
                )?,
            };
        }
    }
    Ok(())
}

/// A sheet name Excel accepts for a roster: at most 31 characters, none of `[]:*?/\`, not
/// already taken (else 名册N).
fn sheet_name(name: &str, taken: &[String], index: usize) -> String {
    let cleaned: String = name
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(31)
        .collect();
    let cleaned = cleaned.trim_matches('\'').to_string();
    if cleaned.is_empty() || taken.iter().any(|t| t.eq_ignore_ascii_case(&cleaned)) {
        format!("名册{}", index + 1)
    } else {
        cleaned
    }
}

/// The workbook: 各户积分, one sheet per roster (named after it), 积分明细 (when the ledger is
/// given) and 说明.
pub fn render_xlsx(
    compact: &Compact,
    results: &Results,
    registers: &[Register],
    ledger: &[LedgerRow],
    provenance: &Provenance,
) -> Result<Vec<u8>, String> {
    write_workbook(compact, results, registers, ledger, provenance).map_err(|e| e.to_string())
}

fn write_workbook(
    compact: &Compact,
    results: &Results,
    registers: &[Register],
    ledger: &[LedgerRow],
    provenance: &Provenance,
) -> Result<Vec<u8>, XlsxError> {
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    let title = format!("{} {}积分", compact.title, results.period.label());
    // The creation time written into docProps (in UTC) is the time of evaluation, so that the
    // same input and time give the same bytes (rust_xlsxwriter would write the clock's time).
    workbook.set_properties(
        &DocProperties::new()
            .set_title(&title)
            .set_creation_datetime(&excel_time(provenance.utc())?),
    );
    let households = household_rows(compact, results, registers);
    let named = households.header.get(1).is_some_and(|h| h == "户主");
    rows_sheet(
        workbook.add_worksheet(),
        "各户积分",
        &households,
        if named { 2 } else { 1 },
        &formats,
    )?;
    let mut taken = vec![
        "各户积分".to_string(),
        "积分明细".to_string(),
        "说明".to_string(),
    ];
    for (index, roster) in member_rows(compact, results, registers).iter().enumerate() {
        let name = sheet_name(&roster.name, &taken, index);
        let frozen = if roster.rows.header.get(1).is_some_and(|h| h == "姓名") {
            2
        } else {
            1
        };
        rows_sheet(
            workbook.add_worksheet(),
            &name,
            &roster.rows,
            frozen,
            &formats,
        )?;
        taken.push(name);
    }
    if !ledger.is_empty() {
        ledger_sheet(workbook.add_worksheet(), ledger, &formats)?;
    }
    notes_sheet(
        workbook.add_worksheet(),
        compact,
        results,
        provenance,
        &formats,
    )?;
    workbook.save_to_buffer()
}

/// 积分明细: one row per ledger entry, with the subject's name, the date as a date and the
/// points as a number.
fn ledger_sheet(
    sheet: &mut Worksheet,
    ledger: &[LedgerRow],
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name("积分明细")?;
    let persons = ledger.iter().any(|r| !r.household);
    let named = ledger.iter().any(|r| r.name.is_some());
    let mut header: Vec<String> = vec![if persons { "户号/编号" } else { "户号" }.to_string()];
    if named {
        header.push(if persons { "户主/姓名" } else { "户主" }.to_string());
    }
    header.extend(
        ["日期", "条文", "账户", "分值", "计算", "说明", "记录"]
            .iter()
            .map(|h| (*h).to_string()),
    );
    let text_width = |cells: &dyn Fn(&LedgerRow) -> &str| width_of(ledger.iter().map(cells));
    let mut widths = vec![text_width(&|r| r.subject.as_str()).max(9.0)];
    if named {
        widths.push(text_width(&|r| r.name.as_deref().unwrap_or_default()).max(9.0));
    }
    widths.extend([
        12.0,
        text_width(&|r| r.clause.as_str()),
        text_width(&|r| r.account.as_str()),
        8.0,
        text_width(&|r| r.computation.as_str()),
        text_width(&|r| r.notes.as_str()),
        text_width(&|r| r.record.as_str()),
    ]);
    lay_out(sheet, &header, &widths, ledger.len(), 0, formats)?;
    for (r, entry) in ledger.iter().enumerate() {
        let line = row(r + 1);
        let mut c = 0;
        let mut next = || {
            c += 1;
            col(c - 1)
        };
        sheet.write_string(line, next(), &entry.subject)?;
        if named {
            sheet.write_string(line, next(), entry.name.as_deref().unwrap_or_default())?;
        }
        sheet.write_datetime_with_format(line, next(), excel_date(entry.day)?, &formats.date)?;
        sheet.write_string(line, next(), &entry.clause)?;
        sheet.write_string(line, next(), &entry.account)?;
        sheet.write_number(line, next(), points_number(entry.points))?;
        sheet.write_string(line, next(), &entry.computation)?;
        sheet.write_string(line, next(), &entry.notes)?;
        sheet.write_string(line, next(), &entry.record)?;
    }
    Ok(())
}

/// 说明: the compact, the period (its first and last days as dates), the time of evaluation,
/// the summary, and the input files with their SHA-256 and sizes.
fn notes_sheet(
    sheet: &mut Worksheet,
    compact: &Compact,
    results: &Results,
    provenance: &Provenance,
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name("说明")?;
    sheet.set_column_width(0, 12)?;
    sheet.set_column_width(1, 60)?;
    sheet.set_column_width(2, 68)?;
    sheet.set_column_width(3, 12)?;
    let mut r = 0u32;
    let text = |sheet: &mut Worksheet, r: &mut u32, label: &str, value: &str| {
        let written = sheet
            .write_string_with_format(*r, 0, label, &formats.bold)
            .and_then(|s| s.write_string(*r, 1, value))
            .map(|_| ());
        *r += 1;
        written
    };
    text(sheet, &mut r, "乡约", &compact.title)?;
    if let Some(version) = &compact.version {
        text(sheet, &mut r, "版本", version)?;
    }
    let period = period_words(results);
    let period = period.strip_prefix("计算的年度：").unwrap_or(&period);
    text(sheet, &mut r, "计算的年度", period)?;
    for (label, day) in [
        ("年度开始", results.period.start),
        ("年度结束", results.period.last_day()),
    ] {
        sheet.write_string_with_format(r, 0, label, &formats.bold)?;
        sheet.write_datetime_with_format(r, 1, excel_date(day)?, &formats.date)?;
        r += 1;
    }
    sheet.write_string_with_format(r, 0, "计算时间", &formats.bold)?;
    sheet.write_datetime_with_format(r, 1, excel_time(provenance.evaluated_at)?, &formats.time)?;
    r += 1;
    // The summary's first two lines (title, period) are written above.
    for (i, line) in summary_words(compact, results).iter().skip(2).enumerate() {
        text(sheet, &mut r, if i == 0 { "汇总" } else { "" }, line)?;
    }
    r += 1;
    for (c, head) in ["文件", "路径", "SHA-256", "字节"].iter().enumerate() {
        sheet.write_string_with_format(r, col(c), *head, &formats.bold)?;
    }
    r += 1;
    for file in &provenance.files {
        sheet.write_string(r, 0, &file.label)?;
        sheet.write_string(r, 1, &file.path)?;
        sheet.write_string(r, 2, &file.sha256)?;
        // A file's size is far below 2^53 bytes: exact in a double.
        sheet.write_number(r, 3, file.bytes as f64)?;
        r += 1;
    }
    Ok(())
}
