//! Tables from files: CSV (UTF-8 with or without BOM, or GB18030), JSON Lines and XLSX, all
//! read as a header and rows of text cells with their line numbers.
//!
//! CSV and JSON Lines are streamed; a workbook is read sheet-at-once (Excel caps a sheet at
//! about a million rows anyway).

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use csv::StringRecord;
use encoding_rs_io::DecodeReaderBytesBuilder;

use super::error::DataError;

/// How a file's text is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// UTF-8 unless the first 64 KB are not, then GB18030 (what Excel in China writes).
    #[default]
    Auto,
    /// UTF-8, with or without a byte order mark.
    Utf8,
    /// GB18030 (and its subsets GBK and GB2312).
    Gb18030,
}

/// The file formats tables are read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated values.
    Csv,
    /// One JSON object a line.
    Jsonl,
    /// An Excel workbook.
    Xlsx,
}

impl Format {
    /// The format a file's extension names.
    pub fn of(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "csv" | "txt" => Some(Format::Csv),
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            "xlsx" | "xlsm" | "xls" => Some(Format::Xlsx),
            _ => None,
        }
    }
}

/// Options for reading a table.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// The text encoding of CSV and JSON Lines files.
    pub encoding: Encoding,
    /// The sheet of a workbook (the first when absent).
    pub sheet: Option<String>,
}

/// A table being read.
pub struct TableReader {
    file: String,
    header: Vec<String>,
    inner: Inner,
}

enum Inner {
    Csv(Box<csv::Reader<LineTracker>>),
    Jsonl {
        lines: Box<dyn BufRead + Send>,
        line: u64,
        keys: Vec<String>,
        pending: Option<(u64, StringRecord)>,
    },
    Rows(std::vec::IntoIter<(u64, StringRecord)>),
}

fn cannot_read(file: &str, reason: impl Into<String>, help: impl Into<String>) -> DataError {
    DataError::CannotRead {
        file: file.to_string(),
        reason: reason.into(),
        help: help.into(),
    }
}

fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "文件不存在".to_string(),
        std::io::ErrorKind::PermissionDenied => "没有权限".to_string(),
        std::io::ErrorKind::InvalidData => "文字编码不对".to_string(),
        _ => error.to_string(),
    }
}

/// Whether `bytes` is UTF-8, allowing a character cut off at the end.
fn looks_utf8(bytes: &[u8]) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(_) => true,
        Err(error) => error.error_len().is_none() && bytes.len() - error.valid_up_to() < 4,
    }
}

/// Opens a text file, choosing or detecting its encoding, and returns a UTF-8 reader.
fn text_reader(
    path: &Path,
    file: &str,
    encoding: Encoding,
) -> Result<Box<dyn Read + Send>, DataError> {
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
            raw = File::open(path).map_err(|e| cannot_read(file, io_reason(&e), "检查文件路径"))?;
            if utf8 {
                encoding_rs::UTF_8
            } else {
                encoding_rs::GB18030
            }
        }
    };
    let decoder = DecodeReaderBytesBuilder::new()
        .encoding(Some(chosen))
        .bom_override(true)
        .strip_bom(true)
        .utf8_passthru(true)
        .build(BufReader::with_capacity(256 * 1024, raw));
    Ok(Box::new(decoder))
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

    /// Reads a CSV table from text already in memory (for tests and worked examples).
    pub fn from_csv_text(text: &str, file: &str) -> Result<Self, DataError> {
        let reader: Box<dyn Read + Send> = Box::new(std::io::Cursor::new(
            text.strip_prefix('\u{feff}')
                .unwrap_or(text)
                .as_bytes()
                .to_vec(),
        ));
        Self::csv_from(reader, file)
    }

    fn open_csv(path: &Path, file: &str, encoding: Encoding) -> Result<Self, DataError> {
        let reader = text_reader(path, file, encoding)?;
        Self::csv_from(reader, file)
    }

    fn csv_from(reader: Box<dyn Read + Send>, file: &str) -> Result<Self, DataError> {
        let mut csv = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(true)
            .buffer_capacity(256 * 1024)
            .from_reader(LineTracker::new(reader));
        let header = csv
            .headers()
            .map_err(|e| cannot_read(file, csv_reason(&e), "用 Excel 或 WPS 另存为 CSV（UTF-8）"))?
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
            .collect();
        Ok(TableReader {
            file: file.to_string(),
            header,
            inner: Inner::Csv(Box::new(csv)),
        })
    }

    fn open_jsonl(path: &Path, file: &str, encoding: Encoding) -> Result<Self, DataError> {
        let mut lines: Box<dyn BufRead + Send> = Box::new(BufReader::with_capacity(
            256 * 1024,
            text_reader(path, file, encoding)?,
        ));
        // The keys of the first object are the columns.
        let mut line_number = 0;
        let mut text = String::new();
        loop {
            text.clear();
            let read = lines
                .read_line(&mut text)
                .map_err(|e| cannot_read(file, io_reason(&e), "用 UTF-8 保存"))?;
            if read == 0 {
                return Ok(TableReader {
                    file: file.to_string(),
                    header: Vec::new(),
                    inner: Inner::Rows(Vec::new().into_iter()),
                });
            }
            line_number += 1;
            if !text.trim().is_empty() {
                break;
            }
        }
        let object = json_object(&text, file, line_number)?;
        let keys: Vec<String> = object.keys().cloned().collect();
        let record = json_record(&object, &keys, file, line_number)?;
        Ok(TableReader {
            file: file.to_string(),
            header: keys.clone(),
            inner: Inner::Jsonl {
                lines,
                line: line_number,
                keys,
                pending: Some((line_number, record)),
            },
        })
    }

    fn open_xlsx(path: &Path, file: &str, sheet: Option<&str>) -> Result<Self, DataError> {
        use calamine::{Reader, open_workbook_auto};
        let mut workbook = open_workbook_auto(path)
            .map_err(|e| cannot_read(file, e.to_string(), "用 Excel 或 WPS 打开后另存为 .xlsx"))?;
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
        let range = workbook
            .worksheet_range(&name)
            .map_err(|e| cannot_read(file, e.to_string(), "用 Excel 或 WPS 打开后另存为 .xlsx"))?;
        let start_row = range.start().map_or(0, |(r, _)| u64::from(r));
        let mut rows = range.rows().enumerate();
        let header: Vec<String> = match rows.next() {
            Some((_, cells)) => cells
                .iter()
                .map(|c| cell_text(c).trim().to_string())
                .collect(),
            None => Vec::new(),
        };
        let records: Vec<(u64, StringRecord)> = rows
            .filter(|(_, cells)| cells.iter().any(|c| !cell_text(c).trim().is_empty()))
            .map(|(i, cells)| {
                let record: StringRecord = cells.iter().map(cell_text).collect();
                (start_row + i as u64 + 1, record)
            })
            .collect();
        Ok(TableReader {
            file: file.to_string(),
            header,
            inner: Inner::Rows(records.into_iter()),
        })
    }

    /// The column names, trimmed.
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// The file as shown in messages.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Reads the next row into `record`; returns its line number, or `None` at the end.
    /// Blank lines are skipped.
    pub fn read(&mut self, record: &mut StringRecord) -> Result<Option<u64>, DataError> {
        match &mut self.inner {
            Inner::Csv(csv) => loop {
                let more = csv.read_record(record).map_err(|e| {
                    let line = e.position().map_or(0, |p| p.line());
                    match e.kind() {
                        csv::ErrorKind::Utf8 { .. } => cannot_read(
                            &self.file,
                            format!("第 {line} 行的文字编码不对"),
                            "用 --encoding gb18030 或 --encoding utf-8 指明编码，或另存为 UTF-8",
                        ),
                        _ => cannot_read(&self.file, csv_reason(&e), "检查这一行的引号是否成对"),
                    }
                })?;
                if !more {
                    return Ok(None);
                }
                if record.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                // csv's own line numbers are off for CRLF files and after blank lines; the
                // tracker counts the line from the record's byte offset instead.
                let start = record.position().map_or(0, |p| p.byte());
                return Ok(Some(csv.get_mut().line_of(start)));
            },
            Inner::Jsonl {
                lines,
                line,
                keys,
                pending,
            } => {
                if let Some((number, first)) = pending.take() {
                    *record = first;
                    return Ok(Some(number));
                }
                let mut text = String::new();
                loop {
                    text.clear();
                    let read = lines
                        .read_line(&mut text)
                        .map_err(|e| cannot_read(&self.file, io_reason(&e), "用 UTF-8 保存"))?;
                    if read == 0 {
                        return Ok(None);
                    }
                    *line += 1;
                    if text.trim().is_empty() {
                        continue;
                    }
                    let object = json_object(&text, &self.file, *line)?;
                    *record = json_record(&object, keys, &self.file, *line)?;
                    return Ok(Some(*line));
                }
            }
            Inner::Rows(rows) => match rows.next() {
                Some((line, row)) => {
                    *record = row;
                    Ok(Some(line))
                }
                None => Ok(None),
            },
        }
    }
}

/// Passes a CSV text through unchanged while noting where its line breaks are, so that the
/// line a record starts on can be told from the byte offset csv reports — csv's own line
/// numbers count a CRLF's line feed with the next record and do not see skipped blank lines.
struct LineTracker {
    inner: Box<dyn Read + Send>,
    /// Bytes passed through so far.
    offset: u64,
    /// Line breaks not yet counted: their offset, and whether their line held only `\r`.
    breaks: std::collections::VecDeque<(u64, bool)>,
    /// Whether the current line (since the last break) has held only `\r` so far.
    line_blank: bool,
    /// Line breaks before the breaks still queued.
    counted: u64,
    /// The offset just after the last break counted.
    line_start: u64,
}

impl LineTracker {
    fn new(inner: Box<dyn Read + Send>) -> Self {
        LineTracker {
            inner,
            offset: 0,
            breaks: std::collections::VecDeque::new(),
            line_blank: true,
            counted: 0,
            line_start: 0,
        }
    }

    /// The line (from 1) of the record whose parsing began at byte `start`: the breaks before
    /// `start`, then the blank lines (and a CRLF's leftover line feed) between `start` and the
    /// record's first character.
    fn line_of(&mut self, start: u64) -> u64 {
        while let Some(&(at, _)) = self.breaks.front() {
            if at >= start {
                break;
            }
            self.breaks.pop_front();
            self.counted += 1;
            self.line_start = at + 1;
        }
        let mut gap_end = start;
        while let Some(&(at, blank)) = self.breaks.front() {
            let in_gap = at == gap_end || (gap_end == self.line_start && blank);
            if !in_gap {
                break;
            }
            self.breaks.pop_front();
            self.counted += 1;
            self.line_start = at + 1;
            gap_end = at + 1;
        }
        self.counted + 1
    }
}

impl Read for LineTracker {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buffer)?;
        for (i, byte) in buffer.get(..n).unwrap_or_default().iter().enumerate() {
            match byte {
                b'\n' => {
                    self.breaks
                        .push_back((self.offset + i as u64, self.line_blank));
                    self.line_blank = true;
                }
                b'\r' => {}
                _ => self.line_blank = false,
            }
        }
        self.offset += n as u64;
        Ok(n)
    }
}

fn csv_reason(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::Io(e) => io_reason(e),
        csv::ErrorKind::Utf8 { .. } => "文字编码不对".to_string(),
        _ => error.to_string(),
    }
}

type JsonObject = serde_json::Map<String, serde_json::Value>;

fn json_object(text: &str, file: &str, line: u64) -> Result<JsonObject, DataError> {
    let bad = |reason: String| DataError::BadRow {
        place: super::error::Place {
            file: file.to_string(),
            line,
            column: None,
        },
        reason,
        hint: "每行写一个 JSON 对象，例如 {\"户号\": \"A001\", \"人口\": 4}".to_string(),
    };
    match serde_json::from_str::<serde_json::Value>(text.trim().trim_start_matches('\u{feff}')) {
        Ok(serde_json::Value::Object(object)) => Ok(object),
        Ok(_) => Err(bad("这一行不是 JSON 对象".to_string())),
        Err(e) => Err(bad(format!("不是正确的 JSON（{e}）"))),
    }
}

fn json_record(
    object: &JsonObject,
    keys: &[String],
    file: &str,
    line: u64,
) -> Result<StringRecord, DataError> {
    if let Some(extra) = object.keys().find(|k| !keys.contains(k)) {
        return Err(DataError::BadRow {
            place: super::error::Place {
                file: file.to_string(),
                line,
                column: Some(extra.clone()),
            },
            reason: format!("多出了第一行没有的键「{extra}」"),
            hint: format!("每行的键要与第一行相同：{}", keys.join("、")),
        });
    }
    Ok(keys
        .iter()
        .map(|k| match object.get(k) {
            None | Some(serde_json::Value::Null) => String::new(),
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Bool(b)) => if *b { "是" } else { "否" }.to_string(),
            Some(other) => other.to_string(),
        })
        .collect())
}

/// A workbook cell as text: numbers without a trailing .0, dates as 2024-03-05.
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
    use super::*;

    #[test]
    fn csv_rows_come_with_their_line_numbers_and_blank_lines_are_skipped() {
        let mut table =
            TableReader::from_csv_text("\u{feff}户号,人口\nA001,4\n\nA002,\"3\"\n", "户籍.csv")
                .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(table.header(), ["户号", "人口"]);
        let mut record = StringRecord::new();
        assert_eq!(table.read(&mut record).ok().flatten(), Some(2));
        assert_eq!(record.get(0), Some("A001"));
        assert_eq!(table.read(&mut record).ok().flatten(), Some(4));
        assert_eq!(record.get(1), Some("3"));
        assert_eq!(table.read(&mut record).ok().flatten(), None);
    }

    #[test]
    fn line_numbers_count_blank_lines_multi_line_cells_and_a_missing_final_newline() {
        let cases = [
            ("户号,备注\n\n\nA1,\"两\n行\"\r\n\nA2,x", vec![4, 7]),
            ("户号,备注\r\nA1,x\r\nA2,y\r\n", vec![2, 3]),
            ("户号,备注\r\n\r\nA1,x\r\n\r\n\r\nA2,y", vec![3, 6]),
            ("户号,备注\nA1,x\nA2,y\n", vec![2, 3]),
        ];
        for (text, lines) in cases {
            let mut table =
                TableReader::from_csv_text(text, "户籍.csv").unwrap_or_else(|e| panic!("{e}"));
            let mut record = StringRecord::new();
            let mut found = Vec::new();
            while let Some(line) = table.read(&mut record).ok().flatten() {
                found.push(line);
            }
            assert_eq!(found, lines, "{text:?}");
        }
    }

    #[test]
    fn utf8_detection_tolerates_a_character_cut_at_the_end() {
        let text = "户号".as_bytes();
        assert!(looks_utf8(text));
        assert!(looks_utf8(text.get(..4).unwrap_or_default()));
        let gb = encoding_rs::GB18030.encode("户号,人口").0;
        assert!(!looks_utf8(&gb));
    }
}
