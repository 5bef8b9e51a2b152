//! Tables: CSV, JSON Lines and XLSX, all read as a header and rows of text cells with their
//! line numbers.
//!
//! This part is pure (in the core, built for WebAssembly too): a table from CSV text in memory
//! ([`TableReader::from_csv_text`]) or from rows of cells already split
//! ([`TableReader::from_rows`], a workbook's sheet as the browser workbench reads it), and the
//! reading of rows. Opening files — detecting GB18030, calamine for workbooks — is in `files`,
//! behind `native`; both end in this one reader. CSV and JSON Lines are streamed; a workbook is
//! read sheet-at-once (Excel caps a sheet at about a million rows anyway).

use std::io::{BufRead, Read};
use std::path::Path;

use indexmap::{IndexMap, IndexSet};

use super::cells::Cells;
use super::csv_rows::CsvRows;
use super::error::{DataError, Place};

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

/// One step of reading a table.
#[derive(Debug)]
pub enum Row {
    /// A row of cells, with the line it starts on.
    Cells(u64),
    /// A row that cannot be read as a row of the table (too many cells, a quote left open, a
    /// line that is not a JSON object, text in the wrong encoding); the record holds its raw
    /// cells (for JSON Lines, the whole line as one cell), so that it can be written back.
    Bad(u64, DataError),
    /// The end of the table.
    End,
}

/// A table being read.
pub struct TableReader {
    pub(super) file: String,
    header: Vec<String>,
    inner: Inner,
    /// The text's encoding as read (UTF-8 or GB18030; UTF-8 for workbooks).
    pub(super) encoding: Encoding,
}

enum Inner {
    Csv(Box<CsvRows>),
    Jsonl {
        lines: Box<dyn BufRead + Send>,
        line: u64,
        keys: Vec<String>,
    },
    Rows(std::vec::IntoIter<(u64, Vec<String>)>),
}

pub(super) fn cannot_read(
    file: &str,
    reason: impl Into<String>,
    help: impl Into<String>,
) -> DataError {
    DataError::CannotRead {
        file: file.to_string(),
        reason: reason.into(),
        help: help.into(),
    }
}

pub(super) fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "文件不存在".to_string(),
        std::io::ErrorKind::PermissionDenied => "没有权限".to_string(),
        std::io::ErrorKind::InvalidData => "文字编码不对".to_string(),
        _ => "读取时出错（文件可能损坏，或在别的程序里正被改写）".to_string(),
    }
}

/// A header with characters that could not be decoded is read in the wrong encoding.
fn check_header(header: &[String], file: &str) -> Result<(), DataError> {
    if header.iter().any(|h| h.contains('\u{FFFD}')) {
        return Err(garbled_header(file));
    }
    // Two columns of one name: which one a field reads would be a guess.
    let mut seen: super::TextMap<usize> = super::TextMap::default();
    for (at, name) in header.iter().enumerate() {
        if name.is_empty() {
            continue;
        }
        if let Some(&first) = seen.get(name.as_str()) {
            return Err(DataError::DuplicateColumn {
                file: file.to_string(),
                column: name.clone(),
                first: first + 1,
                second: at + 1,
            });
        }
        seen.insert(name.as_str().into(), at);
    }
    Ok(())
}

fn garbled_header(file: &str) -> DataError {
    cannot_read(
        file,
        "文字编码不对，第一行的列名读出来是乱码",
        "用 --encoding gb18030 或 --encoding utf-8 指明文件的编码，或用 Excel、WPS 另存为「CSV UTF-8」",
    )
}

/// Shared text read as bytes.
struct SharedText(std::sync::Arc<str>);

impl AsRef<[u8]> for SharedText {
    fn as_ref(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl TableReader {
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

    /// Reads a CSV table (UTF-8) from text shared with its owner, without copying it: a
    /// village's book hands its records to the evaluator this way, once or twice (a second
    /// reading for another period), however large the text.
    pub fn from_shared_csv(text: std::sync::Arc<str>, file: &str) -> Result<Self, DataError> {
        let reader: Box<dyn Read + Send> = Box::new(std::io::Cursor::new(SharedText(text)));
        Self::csv_from(reader, file)
    }

    /// JSON Lines text already in memory (see `files` for the columns: every key any line
    /// uses, in order of first appearance).
    pub fn from_jsonl_text(text: &str, file: &str) -> Result<Self, DataError> {
        let mut keys = IndexSet::new();
        for line in text.lines() {
            jsonl_keys(line, &mut keys);
        }
        let lines: Box<dyn BufRead + Send> =
            Box::new(std::io::Cursor::new(text.as_bytes().to_vec()));
        Self::jsonl_from(keys, lines, file)
    }

    /// A JSON Lines table over `lines`, whose columns are `keys`.
    pub(super) fn jsonl_from(
        keys: IndexSet<String>,
        lines: Box<dyn BufRead + Send>,
        file: &str,
    ) -> Result<Self, DataError> {
        let header: Vec<String> = keys.into_iter().collect();
        check_header(&header, file)?;
        Ok(TableReader {
            file: file.to_string(),
            header: header.clone(),
            inner: Inner::Jsonl {
                lines,
                line: 0,
                keys: header,
            },
            encoding: Encoding::Utf8,
        })
    }

    /// A table of rows already split into cells — a workbook's sheet read elsewhere (the
    /// browser workbench reads .xlsx files with a JavaScript library and hands the first
    /// sheet's cells here) —, each row with the line (the sheet's row number) it is shown as.
    /// Rows whose cells are all blank are skipped, as for workbooks read from files.
    pub fn from_rows(
        header: Vec<String>,
        rows: Vec<(u64, Vec<String>)>,
        file: &str,
    ) -> Result<Self, DataError> {
        let header: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
        check_header(&header, file)?;
        let rows: Vec<(u64, Vec<String>)> = rows
            .into_iter()
            .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
            .collect();
        Ok(TableReader {
            file: file.to_string(),
            header,
            inner: Inner::Rows(rows.into_iter()),
            encoding: Encoding::Utf8,
        })
    }

    pub(super) fn csv_from(reader: Box<dyn Read + Send>, file: &str) -> Result<Self, DataError> {
        let mut rows = CsvRows::new(reader);
        let mut cells = Cells::new();
        rows.next(&mut cells)
            .map_err(|e| cannot_read(file, io_reason(&e), "检查文件是否损坏"))?;
        let mut header = Vec::with_capacity(cells.len());
        for cell in cells.iter() {
            let name = std::str::from_utf8(cell).map_err(|_| garbled_header(file))?;
            header.push(name.trim().trim_start_matches('\u{feff}').to_string());
        }
        check_header(&header, file)?;
        Ok(TableReader {
            file: file.to_string(),
            header,
            inner: Inner::Csv(Box::new(rows)),
            encoding: Encoding::Utf8,
        })
    }

    /// The text's encoding as read: [`Encoding::Utf8`] or [`Encoding::Gb18030`].
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// The column names, trimmed.
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// The file as shown in messages.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Reads the next row into `cells`. Blank lines are skipped. An error reading the file
    /// itself (not one row) is `Err`: the rest of the file cannot be read.
    pub fn read(&mut self, cells: &mut Cells) -> Result<Row, DataError> {
        let line = match &mut self.inner {
            Inner::Csv(rows) => match rows.next(cells) {
                Ok(Some(line)) => line,
                Ok(None) => return Ok(Row::End),
                Err(e) => {
                    return Err(cannot_read(
                        &self.file,
                        io_reason(&e),
                        "检查文件是否损坏，或在别的程序里正被改写",
                    ));
                }
            },
            Inner::Jsonl { lines, line, keys } => {
                let mut text = String::new();
                loop {
                    text.clear();
                    let read = lines
                        .read_line(&mut text)
                        .map_err(|e| cannot_read(&self.file, io_reason(&e), "用 UTF-8 保存"))?;
                    if read == 0 {
                        return Ok(Row::End);
                    }
                    *line += 1;
                    if !text.trim().is_empty() {
                        break;
                    }
                }
                match json_object(&text, &self.file, *line) {
                    Ok(object) => {
                        json_record(&object, keys, cells);
                        *line
                    }
                    Err(error) => {
                        cells.clear();
                        cells.push(text.trim_end().as_bytes());
                        return Ok(Row::Bad(*line, error));
                    }
                }
            }
            Inner::Rows(rows) => match rows.next() {
                Some((line, row)) => {
                    cells.clear();
                    for cell in &row {
                        cells.push(cell.as_bytes());
                    }
                    line
                }
                None => return Ok(Row::End),
            },
        };
        Ok(
            match check_row(cells, line, self.header.len(), &self.file) {
                Some(error) => Row::Bad(line, error),
                None => Row::Cells(line),
            },
        )
    }

    /// Hands the rest of a CSV table over to be read in chunks of whole records (see
    /// [`super::chunks`]); `None` for JSON Lines and workbooks.
    pub fn take_chunks(&mut self) -> Option<super::chunks::LogChunks> {
        if !matches!(self.inner, Inner::Csv(_)) {
            return None;
        }
        match std::mem::replace(&mut self.inner, Inner::Rows(Vec::new().into_iter())) {
            Inner::Csv(rows) => Some(rows.into_chunks()),
            other => {
                self.inner = other;
                None
            }
        }
    }
}

/// Adds the keys of one JSON Lines line, if it is an object, to `keys` in order of first
/// appearance (lines that are not objects are reported when the rows are read).
pub(super) fn jsonl_keys(line: &str, keys: &mut IndexSet<String>) {
    if let Ok(object) = serde_json::from_str::<IndexMap<String, serde::de::IgnoredAny>>(
        line.trim().trim_start_matches('\u{feff}'),
    ) {
        for key in object.into_keys() {
            if !keys.contains(&key) {
                keys.insert(key);
            }
        }
    }
}

/// What is wrong with a row of a table `width` columns wide as a whole, if anything.
pub(super) fn check_row(record: &Cells, line: u64, width: usize, file: &str) -> Option<DataError> {
    let bad = |reason: String, hint: &str| DataError::BadRow {
        place: Place {
            file: file.to_string(),
            line,
            column: None,
        },
        reason,
        hint: hint.to_string(),
    };
    // Most rows are fine: look at the whole row's text once before looking cell by cell.
    let text = record.all_bytes();
    let has_break = memchr::memchr(b'\n', text).is_some();
    let has_garbage =
        record.is_garbled() || memchr::memmem::find(text, "\u{FFFD}".as_bytes()).is_some();
    if !has_break && !has_garbage && record.len() <= width {
        return None;
    }
    if width >= 2 && has_break {
        // A quote opened and never closed swallows the lines after it into one cell: they
        // show up as lines inside a cell with a whole row's worth of commas.
        let commas = width - 1;
        let swallowed = record.texts().find_map(|cell| {
            let mut inner = cell.split('\n');
            inner.next();
            let lines: Vec<&str> = inner.filter(|l| !l.trim().is_empty()).collect();
            lines
                .iter()
                .any(|l| l.matches(',').count() >= commas)
                .then_some(lines.len())
        });
        if let Some(count) = swallowed {
            return Some(bad(
                format!("这一行有一个英文双引号没有配对，把后面 {count} 行都读进了同一格"),
                "在这一格的末尾补上英文双引号，或去掉开头多余的引号；含逗号或换行的文字才需要用引号括起来",
            ));
        }
    }
    let extra = record
        .iter()
        .skip(width)
        .filter(|c| !c.trim_ascii().is_empty())
        .count();
    if extra > 0 {
        return Some(bad(
            format!("这一行比第一行的 {width} 个列名多出 {extra} 格内容"),
            "检查是否有多余的逗号；含逗号的文字要用英文双引号括起来",
        ));
    }
    if has_garbage {
        return Some(bad(
            "这一行有读不出的文字（文字编码不对）".to_string(),
            "用 --encoding gb18030 或 --encoding utf-8 指明编码，或用 Excel、WPS 另存为「CSV UTF-8」",
        ));
    }
    None
}

type JsonObject = serde_json::Map<String, serde_json::Value>;

fn json_object(text: &str, file: &str, line: u64) -> Result<JsonObject, DataError> {
    let bad = |reason: String| DataError::BadRow {
        place: Place {
            file: file.to_string(),
            line,
            column: None,
        },
        reason,
        hint: "每行写一个 JSON 对象，例如 {\"户号\": \"A001\", \"人口\": 4}".to_string(),
    };
    let text = text.trim().trim_start_matches('\u{feff}');
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(object)) => Ok(object),
        Ok(_) => Err(bad("这一行不是 JSON 对象（要用 { } 括起来）".to_string())),
        Err(e) => {
            let what = match e.classify() {
                serde_json::error::Category::Eof => "没有写完，缺少结尾的 } 或引号",
                _ => "写法不对（检查引号、逗号和冒号）",
            };
            // serde_json counts bytes; people count characters.
            let bytes = e.column().min(text.len());
            let characters = text.char_indices().take_while(|(i, _)| *i < bytes).count();
            Err(bad(format!(
                "这一行不是正确的 JSON：{what}，在这一行第 {characters} 个字符附近"
            )))
        }
    }
}

/// The cells of `object` in the order of `keys`; keys a line lacks are empty cells.
fn json_record(object: &JsonObject, keys: &[String], cells: &mut Cells) {
    cells.clear();
    for key in keys {
        match object.get(key) {
            None | Some(serde_json::Value::Null) => cells.push(b""),
            Some(serde_json::Value::String(s)) => cells.push(s.as_bytes()),
            Some(serde_json::Value::Bool(b)) => {
                cells.push(if *b { "是" } else { "否" }.as_bytes());
            }
            Some(other) => cells.push(other.to_string().as_bytes()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The next row's line, or `None` at the end or on a bad row.
    fn next_line(table: &mut TableReader, record: &mut Cells) -> Option<u64> {
        match table.read(record) {
            Ok(Row::Cells(line)) => Some(line),
            _ => None,
        }
    }

    fn rows(text: &str) -> Vec<Result<u64, String>> {
        let mut table = TableReader::from_csv_text(text, "t.csv").unwrap_or_else(|e| panic!("{e}"));
        let mut record = Cells::new();
        let mut found = Vec::new();
        loop {
            match table.read(&mut record) {
                Ok(Row::Cells(line)) => found.push(Ok(line)),
                Ok(Row::Bad(line, error)) => found.push(Err(format!("{line}: {error}"))),
                Ok(Row::End) => return found,
                Err(error) => panic!("{error}"),
            }
        }
    }

    #[test]
    fn an_unpaired_quote_is_reported_instead_of_swallowing_rows() {
        let found =
            rows("日期,户号,备注\n2024-01-01,A1,\"开会\n2024-01-02,A2,x\n2024-01-03,A3,y\n");
        assert_eq!(found.len(), 1, "{found:?}");
        let Some(Err(message)) = found.first() else {
            panic!("{found:?}")
        };
        assert!(
            message.starts_with("2: ") && message.contains("后面 2 行"),
            "{message}"
        );
        // A note that really spans lines is fine.
        assert_eq!(
            rows("日期,户号,备注\n2024-01-01,A1,\"开会\n迟到\"\n"),
            [Ok(2)]
        );
    }

    #[test]
    fn extra_cells_with_content_are_reported_and_empty_ones_are_not() {
        let found = rows("户号,人口\nA1,4,,\nA2,3,多余\n");
        assert_eq!(found.first(), Some(&Ok(2)));
        assert!(
            matches!(found.get(1), Some(Err(m)) if m.contains("多出 1 格")),
            "{found:?}"
        );
    }

    #[test]
    fn json_lines_columns_are_every_key_in_order_of_first_appearance() {
        let dir = std::env::temp_dir().join(format!("xiangyue-jsonl-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        let path = dir.join("events.jsonl");
        std::fs::write(
            &path,
            "{\"日期\":\"2024-01-01\",\"户号\":\"A1\"}\n\nnot json\n{\"户号\":\"A2\",\"级别\":\"县级\"}\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let mut table = TableReader::open(&path, "events.jsonl", &ReadOptions::default())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(table.header(), ["日期", "户号", "级别"]);
        let mut record = Cells::new();
        assert_eq!(next_line(&mut table, &mut record), Some(1));
        assert_eq!(record.texts().collect::<Vec<_>>(), ["2024-01-01", "A1", ""]);
        match table.read(&mut record) {
            Ok(Row::Bad(3, error)) => {
                assert!(error.to_string().contains("不是正确的 JSON"), "{error}");
                assert_eq!(record.get(0), Some("not json"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(next_line(&mut table, &mut record), Some(4));
        assert_eq!(record.texts().collect::<Vec<_>>(), ["", "A2", "县级"]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn csv_rows_come_with_their_line_numbers_and_blank_lines_are_skipped() {
        let mut table =
            TableReader::from_csv_text("\u{feff}户号,人口\nA001,4\n\nA002,\"3\"\n", "户籍.csv")
                .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(table.header(), ["户号", "人口"]);
        let mut record = Cells::new();
        assert_eq!(next_line(&mut table, &mut record), Some(2));
        assert_eq!(record.get(0), Some("A001"));
        assert_eq!(next_line(&mut table, &mut record), Some(4));
        assert_eq!(record.get(1), Some("3"));
        assert_eq!(next_line(&mut table, &mut record), None);
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
            let mut record = Cells::new();
            let mut found = Vec::new();
            while let Some(line) = next_line(&mut table, &mut record) {
                found.push(line);
            }
            assert_eq!(found, lines, "{text:?}");
        }
    }

    #[test]
    fn rows_already_split_are_read_like_a_sheet_and_json_lines_text_like_a_file() {
        let cells = |row: &[&str]| row.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        let mut table = TableReader::from_rows(
            cells(&[" 户号 ", "人口"]),
            vec![
                (2, cells(&["A1", "3"])),
                (3, cells(&["", " "])),
                (4, cells(&["A2", "4", "多"])),
            ],
            "户籍.xlsx",
        )
        .unwrap();
        assert_eq!(table.header(), ["户号", "人口"]);
        let mut record = Cells::new();
        assert!(matches!(table.read(&mut record), Ok(Row::Cells(2))));
        assert_eq!(record.get(0), Some("A1"));
        // The blank row is skipped; a row with a cell beyond the header is refused, not cut.
        assert!(matches!(table.read(&mut record), Ok(Row::Bad(4, _))));
        assert!(matches!(table.read(&mut record), Ok(Row::End)));

        let mut table = TableReader::from_jsonl_text(
            "{\"户号\":\"A1\",\"人口\":3}\n\n{\"户号\":\"A2\",\"备注\":\"新\"}\n",
            "户籍.jsonl",
        )
        .unwrap();
        assert_eq!(table.header(), ["户号", "人口", "备注"]);
        assert!(matches!(table.read(&mut record), Ok(Row::Cells(1))));
        assert!(matches!(table.read(&mut record), Ok(Row::Cells(3))));
        assert_eq!(record.get(2), Some("新"));
        assert!(matches!(table.read(&mut record), Ok(Row::End)));
    }
}
