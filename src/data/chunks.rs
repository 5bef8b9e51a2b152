//! A CSV event log read in chunks of whole records (about a megabyte each), so that several
//! threads can check the rows of one log at once and the rows cost no copying.
//!
//! [`LogChunks`] cuts the file at record boundaries, exactly where [`super::csv_rows`] would
//! end a record (a line break outside quotes), and numbers each chunk's first line.
//! [`check_chunk`] turns a chunk into records with the same [`RecordChecker`] that checks rows
//! read one at a time, so both ways give the same records and the same errors:
//!
//! - a chunk that is UTF-8 and has no double quote (almost every chunk of a real log) is split
//!   line by line at its commas, each cell a slice of the chunk;
//! - any other chunk is read row by row through [`CsvRows`] (quoted cells, bytes that are not
//!   UTF-8), as the one-at-a-time reader does.

use std::io::Read;

use super::cells::{Cells, SplitLine};
use super::csv_rows::CsvRows;
use super::error::DataError;
use super::events::{EventRecord, RecordChecker, RecordKey};
use super::table::check_row;
use super::value::{Day, LastDate};
use crate::model::EventId;

/// About how many bytes a chunk holds (it ends at the first record boundary past this):
/// small enough that a round's checked records (about 64 bytes each, 4,500 a chunk of a
/// typical log) are still in the core's cache when they are evaluated (1 MB chunks took about
/// 5% more time on one core).
pub const CHUNK_BYTES: usize = 256 << 10;

/// Whole records of a log, with the line the first starts on.
#[derive(Debug, Default)]
pub struct Chunk {
    /// The records' bytes, line breaks included.
    pub bytes: Vec<u8>,
    /// The line of the chunk's first byte (from 1).
    pub first_line: u64,
}

/// Cuts a log into chunks of whole records.
pub struct LogChunks {
    source: Box<dyn Read + Send>,
    /// Bytes read and not yet handed out (the start of a record).
    pending: Vec<u8>,
    eof: bool,
    /// The line `pending` starts on.
    next_line: u64,
    /// About how many bytes a chunk holds.
    target: usize,
}

impl LogChunks {
    /// Goes on reading `source` after `pending`, which starts on line `next_line`.
    pub(super) fn new(
        source: Box<dyn Read + Send>,
        pending: Vec<u8>,
        eof: bool,
        next_line: u64,
    ) -> Self {
        LogChunks {
            source,
            pending,
            eof,
            next_line,
            target: CHUNK_BYTES,
        }
    }

    /// Chunks of about `bytes` bytes instead of [`CHUNK_BYTES`] (for tests of the boundaries).
    pub fn with_chunk_bytes(mut self, bytes: usize) -> Self {
        self.target = bytes.max(1);
        self
    }

    /// Fills `chunk` with the next records (reusing its memory); `false` at the end of the log.
    pub fn next_into(&mut self, chunk: &mut Chunk) -> std::io::Result<bool> {
        chunk.bytes.clear();
        chunk.bytes.append(&mut self.pending);
        loop {
            if chunk.bytes.len() >= self.target || self.eof {
                // The last record ending within the chunk size; else the first ending after
                // it (a record longer than a chunk); else, at the end of the log, the rest.
                let within = chunk.bytes.get(..self.target).unwrap_or(&chunk.bytes);
                let mut cut = record_boundary(within);
                if cut == 0 {
                    cut = record_boundary(&chunk.bytes);
                }
                if cut == 0 && self.eof {
                    cut = chunk.bytes.len();
                }
                if cut > 0 {
                    self.pending
                        .extend_from_slice(chunk.bytes.get(cut..).unwrap_or_default());
                    chunk.bytes.truncate(cut);
                    chunk.first_line = self.next_line;
                    self.next_line += memchr::memchr_iter(b'\n', &chunk.bytes).count() as u64;
                    return Ok(true);
                }
                if self.eof {
                    return Ok(false);
                }
            }
            // Read at least up to the chunk size; a record longer than that grows the chunk.
            let have = chunk.bytes.len();
            let want = (have + self.target / 4).max(self.target).max(have + 64);
            // Appended as read (no zeroing of the room first); short only at the end of the log.
            let read = (&mut self.source)
                .take((want - have) as u64)
                .read_to_end(&mut chunk.bytes)?;
            if read < want - have {
                self.eof = true;
            }
        }
    }
}

/// Where the last complete record in `bytes` ends (0 when none does): after a line without a
/// double quote, or after a record read through csv-core from a line with one — the same
/// boundaries [`CsvRows`] finds.
fn record_boundary(bytes: &[u8]) -> usize {
    if memchr::memchr(b'"', bytes).is_none() {
        return memchr::memrchr(b'\n', bytes).map_or(0, |at| at + 1);
    }
    let mut reader = csv_core::Reader::new();
    let mut output = Vec::new();
    let mut ends = Vec::new();
    let mut at = 0;
    loop {
        let rest = bytes.get(at..).unwrap_or_default();
        let Some(newline) = memchr::memchr(b'\n', rest) else {
            return at;
        };
        if memchr::memchr(b'"', rest.get(..newline).unwrap_or_default()).is_none() {
            at += newline + 1;
            continue;
        }
        reader.reset();
        if output.len() < rest.len() + 1 {
            output.resize(rest.len() + 1, 0);
            ends.resize(rest.len() + 1, 0);
        }
        let (result, consumed, _, _) = reader.read_record(rest, &mut output, &mut ends);
        match result {
            // csv-core stops at the record's line break, outside quotes: a complete record
            // when more input follows it.
            csv_core::ReadRecordResult::Record if consumed < rest.len() => at += consumed,
            _ => return at,
        }
    }
}

/// A row that could not be made a record: its cells (for the reject file) and its errors.
#[derive(Debug)]
pub struct BadRow {
    /// Its line.
    pub line: u64,
    /// Its cells as read.
    pub cells: Cells,
    /// Every error found in it.
    pub errors: Vec<DataError>,
}

/// The records of one chunk, checked.
#[derive(Debug, Default)]
pub struct Checked {
    /// The good records: the first [`Checked::len`] (the rest is memory kept for reuse).
    records: Vec<EventRecord>,
    len: usize,
    /// The bad rows, in order.
    pub bad: Vec<BadRow>,
    /// The event kinds of its rows, each once, in the order they first appear.
    pub kinds: Vec<EventId>,
    /// Whether each event kind is in `kinds` (by kind).
    seen: Vec<bool>,
    /// How many rows (good and bad).
    pub rows: u64,
    ends: Vec<u32>,
    errors: Vec<DataError>,
    last_date: LastDate,
    /// When set, the good records are also sorted out by the shard (of this many) that
    /// evaluates their subject: the evaluator's rule for it.
    router: Option<(usize, ShardOf)>,
    /// Per shard, the indexes of its records.
    routes: Vec<Vec<u32>>,
    /// The first and last day of the good records, and whether their days never go back.
    days: Option<(Day, Day)>,
    in_order: bool,
    /// Each good record's key (by index), to find repeats in file order afterwards.
    keys: Vec<(u32, StoredKey)>,
    /// The 编号 of `keys`, one after another.
    key_text: String,
}

/// A [`RecordKey`] kept in a chunk's [`Checked`]: an 编号 as its place in `key_text`.
#[derive(Debug, Clone, Copy)]
enum StoredKey {
    Id(u32, u32),
    Row(Day, u64),
    None,
}

/// The shard (of a number of them) that evaluates a subject's records.
pub type ShardOf = fn(u32, usize) -> usize;

/// Each shard's records of a chunk (their indexes), with the chunk's first and last day.
pub use crate::eval::parallel::Routes;

impl Checked {
    /// The good records, in file order.
    pub fn records(&self) -> &[EventRecord] {
        self.records.get(..self.len).unwrap_or_default()
    }

    /// Sorts the good records out by shard from the next chunk on: `shard_of(subject, count)`
    /// for `count` shards (none when `count` is 1).
    pub fn route_by(&mut self, count: usize, shard_of: ShardOf) {
        self.router = (count > 1).then_some((count, shard_of));
    }

    /// Each shard's good records, when they were sorted out and their days never go back.
    pub fn routes(&self) -> Option<Routes<'_>> {
        let (first, last) = self.days?;
        (self.router.is_some() && self.in_order).then_some((self.routes.as_slice(), first, last))
    }

    fn clear(&mut self) {
        for route in &mut self.routes {
            route.clear();
        }
        if let Some((count, _)) = self.router {
            self.routes.resize_with(count, Vec::new);
        }
        self.days = None;
        self.in_order = true;
        self.len = 0;
        self.bad.clear();
        for &kind in &self.kinds {
            if let Some(seen) = self.seen.get_mut(kind) {
                *seen = false;
            }
        }
        self.kinds.clear();
        self.rows = 0;
        self.keys.clear();
        self.key_text.clear();
    }

    /// Each good record's index and key, in file order.
    pub fn keys(&self) -> impl Iterator<Item = (usize, RecordKey<'_>)> {
        self.keys.iter().map(|&(index, key)| {
            let key = match key {
                StoredKey::Id(start, end) => self
                    .key_text
                    .get(start as usize..end as usize)
                    .map_or(RecordKey::None, RecordKey::Id),
                StoredKey::Row(day, hash) => RecordKey::Row(day, hash),
                StoredKey::None => RecordKey::None,
            };
            (index as usize, key)
        })
    }

    /// Moves the good records at `refused` (indexes in file order, each with its error) to
    /// the bad rows, with their cells read again from `chunk`.
    pub fn refuse(&mut self, chunk: &Chunk, refused: Vec<(usize, DataError)>) {
        let lines: Vec<u64> = refused
            .iter()
            .filter_map(|(i, _)| self.records.get(*i).map(|r| r.line))
            .collect();
        let mut found: Vec<(u64, Cells)> = Vec::new();
        let mut rows = CsvRows::new(Box::new(std::io::Cursor::new(chunk.bytes.clone())));
        let mut cells = Cells::new();
        while found.len() < lines.len()
            && let Ok(Some(line)) = rows.next(&mut cells)
        {
            let line = chunk.first_line + line - 1;
            if lines.contains(&line) {
                found.push((line, std::mem::take(&mut cells)));
            }
        }
        let mut gone = vec![false; self.len];
        for ((index, error), line) in refused.into_iter().zip(lines) {
            if let Some(gone) = gone.get_mut(index) {
                *gone = true;
            }
            let cells = found
                .iter()
                .position(|(l, _)| *l == line)
                .map(|at| found.swap_remove(at).1)
                .unwrap_or_default();
            self.bad.push(BadRow {
                line,
                cells,
                errors: vec![error],
            });
        }
        self.bad.sort_by_key(|b| b.line);
        // The records kept move down; the routes follow their new indexes.
        let mut new_index = Vec::with_capacity(self.len);
        let mut kept = 0u32;
        for &gone in &gone {
            new_index.push(kept);
            kept += u32::from(!gone);
        }
        let mut at = 0;
        self.records.retain(|_| {
            let keep = !gone.get(at).copied().unwrap_or(false);
            at += 1;
            keep
        });
        self.len = kept as usize;
        for route in &mut self.routes {
            route.retain(|&i| !gone.get(i as usize).copied().unwrap_or(true));
            for i in route.iter_mut() {
                *i = new_index.get(*i as usize).copied().unwrap_or(*i);
            }
        }
        if self.days.is_some() {
            self.days = None;
            self.in_order = true;
            for record in self.records.get(..self.len).unwrap_or_default() {
                let day = record.day;
                self.days = Some(match self.days {
                    None => (day, day),
                    Some((first, last)) => {
                        self.in_order &= day >= last;
                        (first, day.max(last))
                    }
                });
            }
        }
        self.keys.clear();
    }

    /// Checks one row; a good one is kept as the next record.
    fn row(&mut self, checker: &RecordChecker<'_>, cells: &impl super::cells::RowCells, line: u64) {
        self.rows += 1;
        if self.len == self.records.len() {
            self.records.push(EventRecord::new());
        }
        let Some(record) = self.records.get_mut(self.len) else {
            return;
        };
        self.errors.clear();
        let kind = checker.check(cells, line, record, &mut self.last_date, &mut self.errors);
        if let Some(kind) = kind {
            if self.seen.len() <= kind {
                self.seen.resize(kind + 1, false);
            }
            if let Some(seen) = self.seen.get_mut(kind)
                && !*seen
            {
                *seen = true;
                self.kinds.push(kind);
            }
        }
        if self.errors.is_empty() {
            if let Some((count, shard_of)) = self.router {
                let (subject, day) = (record.subject, record.day);
                if let Some(route) = self.routes.get_mut(shard_of(subject, count)) {
                    route.push(self.len as u32);
                }
                self.days = Some(match self.days {
                    None => (day, day),
                    Some((first, last)) => {
                        self.in_order &= day >= last;
                        (first, day.max(last))
                    }
                });
            }
            let key = match checker.key(cells, record.day) {
                RecordKey::Id(id) => {
                    let start = self.key_text.len() as u32;
                    self.key_text.push_str(id);
                    StoredKey::Id(start, self.key_text.len() as u32)
                }
                RecordKey::Row(day, hash) => StoredKey::Row(day, hash),
                RecordKey::None => StoredKey::None,
            };
            self.keys.push((self.len as u32, key));
            self.len += 1;
        }
    }
}

/// Checks every row of `chunk` into `out` (cleared first).
pub fn check_chunk(checker: &RecordChecker<'_>, chunk: &Chunk, out: &mut Checked) {
    out.clear();
    let width = checker.header().len();
    let plain = memchr::memchr(b'"', &chunk.bytes).is_none()
        && memchr::memmem::find(&chunk.bytes, "\u{FFFD}".as_bytes()).is_none();
    let text = if plain {
        simdutf8::basic::from_utf8(&chunk.bytes).ok()
    } else {
        None
    };
    match text {
        Some(text) => check_plain(checker, text, chunk.first_line, width, out),
        None => check_rows(checker, chunk, width, out),
    }
}

/// A chunk of UTF-8 without quotes: each line split at its commas in place.
fn check_plain(
    checker: &RecordChecker<'_>,
    text: &str,
    first_line: u64,
    width: usize,
    out: &mut Checked,
) {
    let mut ends = std::mem::take(&mut out.ends);
    let mut line = first_line;
    let mut start = 0;
    let bytes = text.as_bytes();
    while start < bytes.len() {
        let end = memchr::memchr(b'\n', bytes.get(start..).unwrap_or_default())
            .map_or(bytes.len(), |at| start + at);
        let row = text.get(start..end).unwrap_or_default();
        let row = row.strip_suffix('\r').unwrap_or(row);
        let count = split_commas(row.as_bytes(), &mut ends);
        let split = SplitLine {
            text: row,
            ends: ends.get(..count).unwrap_or_default(),
        };
        let blank = row.bytes().all(|b| b.is_ascii_whitespace() || b == b',');
        if !blank {
            if count > width {
                // Cells past the header: the row as a whole may be refused.
                let mut cells = Cells::new();
                cells.split(row.as_bytes(), b',');
                check_cells(checker, cells, line, width, out);
            } else {
                out.row(checker, &split, line);
                if !out.errors.is_empty() {
                    let mut cells = Cells::new();
                    cells.split(row.as_bytes(), b',');
                    out.bad.push(BadRow {
                        line,
                        cells,
                        errors: std::mem::take(&mut out.errors),
                    });
                }
            }
        }
        line += 1;
        start = end + 1;
    }
    out.ends = ends;
}

/// Where each cell of `row` ends, split at every comma: eight bytes at a time, each comma
/// found with word arithmetic rather than a comparison per byte. The ends are the first of
/// `ends` (the last one is the row's length; written by place in room kept from row to row,
/// not pushed one by one); gives how many cells there are. A cell starts one byte after the
/// end of the one before.
fn split_commas(row: &[u8], ends: &mut Vec<u32>) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    // A row has at most one cell more than it has bytes.
    if ends.len() <= row.len() {
        ends.resize(row.len() + 1, 0);
    }
    let mut count = 0;
    let words = row.chunks_exact(8);
    let tail = words.remainder();
    for (index, word) in words.enumerate() {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(word);
        let x = u64::from_le_bytes(bytes) ^ (ONES * u64::from(b','));
        // The high bit of each byte that was a comma (exact: no carry between bytes).
        let mut commas = !(((x & LOW7) + LOW7) | x | LOW7);
        let base = (index * 8) as u32;
        while commas != 0 {
            if let Some(end) = ends.get_mut(count) {
                *end = base + commas.trailing_zeros() / 8;
            }
            count += 1;
            commas &= commas - 1;
        }
    }
    let base = row.len() - tail.len();
    for (offset, &byte) in tail.iter().enumerate() {
        if byte == b',' {
            if let Some(end) = ends.get_mut(count) {
                *end = (base + offset) as u32;
            }
            count += 1;
        }
    }
    if let Some(end) = ends.get_mut(count) {
        *end = row.len() as u32;
    }
    count + 1
}

/// Any other chunk: row by row, as the one-at-a-time reader reads them.
fn check_rows(checker: &RecordChecker<'_>, chunk: &Chunk, width: usize, out: &mut Checked) {
    let mut rows = CsvRows::new(Box::new(std::io::Cursor::new(chunk.bytes.clone())));
    let mut cells = Cells::new();
    // Reading from memory cannot fail.
    while let Ok(Some(line)) = rows.next(&mut cells) {
        let line = chunk.first_line + line - 1;
        check_cells(checker, std::mem::take(&mut cells), line, width, out);
    }
}

/// Checks a row held as cells: the row as a whole, then as a record.
fn check_cells(
    checker: &RecordChecker<'_>,
    cells: Cells,
    line: u64,
    width: usize,
    out: &mut Checked,
) {
    if let Some(error) = check_row(&cells, line, width, checker.file()) {
        out.rows += 1;
        out.bad.push(BadRow {
            line,
            cells,
            errors: vec![error],
        });
        return;
    }
    out.row(checker, &cells, line);
    if !out.errors.is_empty() {
        out.bad.push(BadRow {
            line,
            cells,
            errors: std::mem::take(&mut out.errors),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks_of(text: &str) -> Vec<(u64, String)> {
        let mut chunks = LogChunks::new(
            Box::new(std::io::Cursor::new(text.as_bytes().to_vec())),
            Vec::new(),
            false,
            2,
        );
        let mut chunk = Chunk::default();
        let mut found = Vec::new();
        while chunks.next_into(&mut chunk).unwrap_or(false) {
            found.push((
                chunk.first_line,
                String::from_utf8_lossy(&chunk.bytes).into_owned(),
            ));
        }
        found
    }

    #[test]
    fn chunks_end_at_record_boundaries_and_number_their_lines() {
        let line = "2024-01-01,H0000001,义务投工,2\n";
        let text = line.repeat(3 * CHUNK_BYTES / line.len());
        let found = chunks_of(&text);
        assert!(found.len() >= 3, "{} chunks", found.len());
        let mut next_line = 2;
        for (first_line, bytes) in &found {
            assert_eq!(*first_line, next_line);
            assert!(bytes.ends_with('\n'));
            next_line += bytes.matches('\n').count() as u64;
        }
        assert_eq!(found.iter().map(|c| c.1.as_str()).collect::<String>(), text);
    }

    #[test]
    fn a_quoted_line_break_never_ends_a_chunk() {
        // Every record has a cell spanning two lines; no chunk may end inside one.
        let record = "2024-01-01,H1,\"两\n行\"\n";
        let text = record.repeat(2 * CHUNK_BYTES / record.len() + 7);
        let found = chunks_of(&text);
        assert!(found.len() >= 2);
        for (_, bytes) in &found {
            assert_eq!(bytes.matches(record).count() * record.len(), bytes.len());
        }
    }

    #[test]
    fn commas_split_as_byte_by_byte() {
        use crate::data::cells::RowCells;
        let mut ends = Vec::new();
        for row in [
            "",
            ",",
            "a",
            "2024-01-01,H0178988,,义务投工,12,,,,,,,,,,,,通过",
            ",,,,,,,,,,,,,,,,,,",
            "一二三,四五六七八九十,x,,y",
            ",",
            "2024-01-01,H0178988,,义务投工,12,,,,,,,,,,,,通过,,,,,,,,,,,,,,,,,,,,,,,,,",
            "a,b",
        ] {
            // The room is kept from row to row, longer and shorter ones.
            let count = super::split_commas(row.as_bytes(), &mut ends);
            let split = SplitLine {
                text: row,
                ends: &ends[..count],
            };
            let expected: Vec<&str> = row.split(',').collect();
            let found: Vec<&str> = (0..=count).map_while(|i| split.cell(i)).collect();
            assert_eq!(found, expected, "{row}");
        }
    }

    #[test]
    fn boundaries_follow_csv_rows() {
        assert_eq!(record_boundary(b"a,b\nc,d"), 4);
        assert_eq!(record_boundary(b"a,\"b\nc\",d\ne"), 10);
        // A quote still open: the record is not complete.
        assert_eq!(record_boundary(b"a,b\nc,\"d\ne,f\n"), 4);
        assert_eq!(record_boundary(b"no line break"), 0);
    }
}
