//! Tables from files (native only): opening a CSV or JSON Lines file in its encoding (UTF-8 with
//! or without BOM, or GB18030, detected from the first 64 KB), an .xlsx workbook through calamine,
//! and writing a reject file back in the log's encoding. The rows are then read by the pure
//! [`TableReader`] of `table`, the same reader the browser workbench feeds with text.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;

use encoding_rs_io::DecodeReaderBytesBuilder;
use indexmap::IndexSet;

use super::error::DataError;
use super::table::{
    Encoding, Format, ReadOptions, TableReader, cannot_read, io_reason, jsonl_keys,
};

/// Whether `bytes` is UTF-8, allowing a character cut off at the end.
fn looks_utf8(bytes: &[u8]) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(_) => true,
        Err(error) => error.error_len().is_none() && bytes.len() - error.valid_up_to() < 4,
    }
}

/// Whether the first line of `head` is UTF-8 with characters beyond ASCII (a GB18030 line of
/// Chinese text almost never is).
fn first_line_is_utf8_text(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let line = head.split(|b| *b == b'\n').next().unwrap_or_default();
    std::str::from_utf8(line).is_ok_and(|text| !text.is_ascii())
}

/// Opens a text file, choosing or detecting its encoding, and returns a UTF-8 reader and the
/// encoding found.
fn text_reader(
    path: &Path,
    file: &str,
    encoding: Encoding,
) -> Result<(Box<dyn Read + Send>, Encoding), DataError> {
    let mut raw = File::open(path).map_err(|e| cannot_read(file, io_reason(&e), "检查文件路径"))?;
    let chosen = match encoding {
        Encoding::Utf8 => encoding_rs::UTF_8,
        Encoding::Gb18030 => encoding_rs::GB18030,
        Encoding::Auto => {
            let mut head = vec![0; 64 * 1024];
            let mut filled = 0;
            while filled < head.len() {
                match raw.read(head.get_mut(filled..).unwrap_or_default()) {
                    Ok(0) => break,
                    Ok(n) => filled += n,
                    Err(e) => return Err(cannot_read(file, io_reason(&e), "检查文件是否损坏")),
                }
            }
            head.truncate(filled);
            let utf8 = looks_utf8(&head);
            if !utf8 && first_line_is_utf8_text(&head) {
                return Err(cannot_read(
                    file,
                    "文件里混有两种文字编码：第一行是 UTF-8，后面有 GB18030（GBK）的文字",
                    "用 Excel 或 WPS 打开后整个另存为「CSV UTF-8」",
                ));
            }
            raw = File::open(path).map_err(|e| cannot_read(file, io_reason(&e), "检查文件路径"))?;
            if utf8 {
                encoding_rs::UTF_8
            } else {
                encoding_rs::GB18030
            }
        }
    };
    if chosen == encoding_rs::UTF_8 {
        // UTF-8 needs no decoding: read the file as it is, past a byte order mark.
        let mut prefix = [0u8; 3];
        let mut filled = 0;
        while filled < prefix.len() {
            match raw.read(prefix.get_mut(filled..).unwrap_or_default()) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) => return Err(cannot_read(file, io_reason(&e), "检查文件是否损坏")),
            }
        }
        let kept = if prefix == [0xEF, 0xBB, 0xBF] {
            Vec::new()
        } else {
            prefix.get(..filled).unwrap_or_default().to_vec()
        };
        return Ok((
            Box::new(std::io::Cursor::new(kept).chain(raw)),
            Encoding::Utf8,
        ));
    }
    let decoder = DecodeReaderBytesBuilder::new()
        .encoding(Some(chosen))
        .bom_override(true)
        .strip_bom(true)
        .utf8_passthru(true)
        .build(BufReader::with_capacity(256 * 1024, raw));
    Ok((Box::new(decoder), Encoding::Gb18030))
}

impl TableReader {
    /// Opens `path`, shown in messages as `file`.
    pub fn open(path: &Path, file: &str, options: &ReadOptions) -> Result<Self, DataError> {
        let format = Format::of(path).ok_or_else(|| {
            cannot_read(
                file,
                "不认识这种文件",
                "名册和事项记录可以是 .csv、.jsonl 或 .xlsx 文件",
            )
        })?;
        match format {
            Format::Csv => Self::open_csv(path, file, options.encoding),
            Format::Jsonl => Self::open_jsonl(path, file, options.encoding),
            Format::Xlsx => Self::open_xlsx(path, file, options.sheet.as_deref()),
        }
    }

    fn open_csv(path: &Path, file: &str, encoding: Encoding) -> Result<Self, DataError> {
        let (reader, found) = text_reader(path, file, encoding)?;
        let mut table = Self::csv_from(reader, file)?;
        table.encoding = found;
        Ok(table)
    }

    /// JSON Lines: the columns are every key any line uses, in order of first appearance, so
    /// that records of different event kinds may carry different fields. Finding them takes a
    /// first pass over the file that reads keys only.
    fn open_jsonl(path: &Path, file: &str, encoding: Encoding) -> Result<Self, DataError> {
        let mut keys: IndexSet<String> = IndexSet::new();
        let (text, found) = text_reader(path, file, encoding)?;
        let mut lines = BufReader::with_capacity(256 * 1024, text);
        let mut text = String::new();
        loop {
            text.clear();
            let read = lines
                .read_line(&mut text)
                .map_err(|e| cannot_read(file, io_reason(&e), "用 UTF-8 保存"))?;
            if read == 0 {
                break;
            }
            jsonl_keys(&text, &mut keys);
        }
        let lines: Box<dyn BufRead + Send> = Box::new(BufReader::with_capacity(
            256 * 1024,
            text_reader(path, file, encoding)?.0,
        ));
        let mut table = TableReader::jsonl_from(keys, lines, file)?;
        table.encoding = found;
        Ok(table)
    }

    fn open_xlsx(path: &Path, file: &str, sheet: Option<&str>) -> Result<Self, DataError> {
        use calamine::{Reader, open_workbook_auto};
        let unreadable = |_| {
            cannot_read(
                file,
                "打不开这个 Excel 文件：文件可能损坏，或不是 .xlsx 格式",
                "用 Excel 或 WPS 打开后另存为 .xlsx（或另存为 CSV）",
            )
        };
        let mut workbook = open_workbook_auto(path).map_err(unreadable)?;
        let names = workbook.sheet_names();
        let name = match sheet {
            Some(s) => {
                if !names.iter().any(|n| n == s) {
                    return Err(cannot_read(
                        file,
                        format!("没有名为「{s}」的工作表"),
                        format!("现有的工作表：{}", names.join("、")),
                    ));
                }
                s.to_string()
            }
            None => names
                .first()
                .cloned()
                .ok_or_else(|| cannot_read(file, "工作簿里没有工作表", "检查文件"))?,
        };
        let range = match &mut workbook {
            calamine::Sheets::Xlsx(xlsx) => xlsx_range(xlsx, &name, file)?,
            other => other.worksheet_range(&name).map_err(unreadable)?,
        };
        let start_row = range.start().map_or(0, |(r, _)| u64::from(r));
        let mut rows = range.rows().enumerate();
        let header: Vec<String> = match rows.next() {
            Some((_, cells)) => cells.iter().map(cell_text).collect(),
            None => Vec::new(),
        };
        let records: Vec<(u64, Vec<String>)> = rows
            .map(|(i, cells)| {
                (
                    start_row + i as u64 + 1,
                    cells.iter().map(cell_text).collect(),
                )
            })
            .collect();
        // The same reader as a sheet read in the browser: trimmed header, blank rows skipped.
        TableReader::from_rows(header, records, file)
    }
}

/// Writes UTF-8 text (what a CSV writer gives) to `inner` in another encoding: GB18030 for a
/// reject file of a GB18030 log, so that it opens in the same programs as the log did.
pub struct EncodedWriter<W: Write> {
    inner: W,
    encoding: &'static encoding_rs::Encoding,
    /// Bytes of a character cut between two writes.
    pending: Vec<u8>,
}

impl<W: Write> EncodedWriter<W> {
    /// A writer to `inner` in `encoding` (UTF-8 for anything but [`Encoding::Gb18030`]; then
    /// with a byte order mark first, so that Excel opens it as UTF-8).
    pub fn new(mut inner: W, encoding: Encoding) -> std::io::Result<Self> {
        let encoding = if encoding == Encoding::Gb18030 {
            encoding_rs::GB18030
        } else {
            inner.write_all("\u{feff}".as_bytes())?;
            encoding_rs::UTF_8
        };
        Ok(EncodedWriter {
            inner,
            encoding,
            pending: Vec::new(),
        })
    }
}

impl<W: Write> Write for EncodedWriter<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if self.encoding == encoding_rs::UTF_8 {
            return self.inner.write(bytes);
        }
        self.pending.extend_from_slice(bytes);
        let whole = match std::str::from_utf8(&self.pending) {
            Ok(text) => text.len(),
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            // Not UTF-8 at all (a CSV writer never gives this): written as it is.
            Err(_) => self.pending.len(),
        };
        let (text, rest) = self.pending.split_at(whole);
        match std::str::from_utf8(text) {
            Ok(text) => {
                let (encoded, _, _) = self.encoding.encode(text);
                self.inner.write_all(&encoded)?;
            }
            Err(_) => self.inner.write_all(text)?,
        }
        self.pending = rest.to_vec();
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.pending.is_empty() {
            let rest = std::mem::take(&mut self.pending);
            self.inner.write_all(&rest)?;
        }
        self.inner.flush()
    }
}

/// A workbook cell as text: numbers without a trailing .0, dates as 2024-03-05.
/// Excel's grid: 1,048,576 rows of 16,384 columns.
const EXCEL_ROWS: u32 = 1 << 20;
const EXCEL_COLUMNS: u32 = 1 << 14;
/// The most cells a sheet's rectangle may span (a million rows of 64 columns): calamine holds a
/// sheet as one dense rectangle from its first to its last cell.
const MAX_SHEET_CELLS: u64 = 1 << 26;

/// A cell's name as Excel writes it (CV700000), from its 0-based position.
fn cell_name(row: u32, column: u32) -> String {
    let mut letters = Vec::new();
    let mut n = u64::from(column) + 1;
    while n > 0 {
        let rest = (n - 1) % 26;
        letters.push(char::from(b'A' + u8::try_from(rest).unwrap_or(0)));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(u64::from(row) + 1).to_string()
}

/// An .xlsx sheet read cell by cell, as calamine's `worksheet_range` reads it (empty cells
/// before the first value skipped), but a cell outside Excel's grid — a damaged file, or a cell
/// reference too long for calamine to read right — or a sheet whose rectangle spans more than
/// [`MAX_SHEET_CELLS`] is an error instead of a rectangle allocated to reach it.
fn xlsx_range<RS: Read + std::io::Seek>(
    xlsx: &mut calamine::Xlsx<RS>,
    name: &str,
    file: &str,
) -> Result<calamine::Range<calamine::Data>, DataError> {
    let damaged = || {
        cannot_read(
            file,
            "打不开这个 Excel 文件：文件可能损坏，或不是 .xlsx 格式",
            "用 Excel 或 WPS 打开后另存为 .xlsx（或另存为 CSV）",
        )
    };
    let mut reader = match xlsx.worksheet_cells_reader(name) {
        Ok(reader) => reader,
        Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(calamine::Range::empty()),
        Err(_) => return Err(damaged()),
    };
    let mut cells = Vec::new();
    let (mut first, mut last) = ((u32::MAX, u32::MAX), (0, 0));
    while let Some(cell) = reader.next_cell().map_err(|_| damaged())? {
        if cells.is_empty() && matches!(cell.get_value(), calamine::DataRef::Empty) {
            continue;
        }
        let (row, column) = cell.get_position();
        if row >= EXCEL_ROWS || column >= EXCEL_COLUMNS {
            return Err(cannot_read(
                file,
                "打不开这个 Excel 文件：有单元格的位置超出了 Excel 表格的范围，文件可能损坏",
                "用 Excel 或 WPS 打开后另存为 .xlsx（或另存为 CSV）",
            ));
        }
        first = (first.0.min(row), first.1.min(column));
        last = (last.0.max(row), last.1.max(column));
        let span = u64::from(last.0 - first.0 + 1) * u64::from(last.1 - first.1 + 1);
        if span > MAX_SHEET_CELLS {
            return Err(cannot_read(
                file,
                format!(
                    "工作表「{name}」的内容从 {} 到 {}，范围太大（超过 {MAX_SHEET_CELLS} 格）",
                    cell_name(first.0, first.1),
                    cell_name(last.0, last.1)
                ),
                format!(
                    "删去远处多余的内容（如 {}）后另存，或另存为 CSV",
                    cell_name(row, column)
                ),
            ));
        }
        let value = calamine::Data::from(cell.get_value().clone());
        cells.push(calamine::Cell::new((row, column), value));
    }
    Ok(calamine::Range::from_sparse(cells))
}

fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{f:.0}")
            } else {
                f.to_string()
            }
        }
        Data::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        Data::DateTime(dt) => {
            let (year, month, day, ..) = dt.to_ymd_hms_milli();
            format!("{year:04}-{month:02}-{day:02}")
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#错误（{e:?}）"),
    }
}

#[cfg(test)]
mod tests {
    use super::looks_utf8;

    #[test]
    fn utf8_detection_tolerates_a_character_cut_at_the_end() {
        let text = "户号".as_bytes();
        assert!(looks_utf8(text));
        assert!(looks_utf8(text.get(..4).unwrap_or_default()));
        let gb = encoding_rs::GB18030.encode("户号,人口").0;
        assert!(!looks_utf8(&gb));
    }
}
