//! One row of a table as it was read: the cells' text back to back and where each lies, reused
//! from row to row so that reading millions of rows allocates nothing per row.
//!
//! The row is checked to be UTF-8 once, as a whole; anything that is not is replaced by U+FFFD
//! and the row marked garbled (such rows are refused before anyone reads their cells). Cells
//! are then slices of one string, with no further checks.

use std::borrow::Cow;

pub use crate::model::width::trim_cell;
use crate::model::width::{plain_end, plain_start};

/// Whether `bytes` may hold whitespace: a byte below 0x21 or a lead byte C2 or E0–E3 (what
/// every whitespace character past ASCII starts with, see [`plain_start`]), eight bytes at
/// once. Without any, no cell of a line has anything to trim.
fn may_hold_whitespace(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A byte of `w` is zero (exact as to whether any is).
    let any_zero = |w: u64| w.wrapping_sub(ONES) & !w & HIGH != 0;
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let w = u64::from_le_bytes(<[u8; 8]>::try_from(word).unwrap_or([0; 8]));
        let below_21 = w.wrapping_sub(ONES * 0x21) & !w & HIGH != 0;
        if below_21 || any_zero(w ^ (ONES * 0xC2)) || any_zero((w & (ONES * 0xFC)) ^ (ONES * 0xE0))
        {
            return true;
        }
    }
    words
        .remainder()
        .iter()
        .any(|&b| b < 0x21 || b == 0xC2 || b & 0xFC == 0xE0)
}

/// The cells of one row, however they are held.
pub trait RowCells {
    /// Cell `index` as text; `None` past the last cell.
    fn cell(&self, index: usize) -> Option<&str>;

    /// The line the cells were split from in place at every comma, with how many cells there
    /// are, when they were and none has whitespace to trim: the trimmed cells joined by
    /// commas, as they lie.
    fn plain_line(&self) -> Option<(&str, usize)> {
        None
    }
}

impl RowCells for Cells {
    fn cell(&self, index: usize) -> Option<&str> {
        self.get(index)
    }
}

/// A line without quotes split at its commas, borrowed from the buffer it lies in (no copy).
#[derive(Debug, Clone, Copy)]
pub struct SplitLine<'a> {
    /// The line, without its line break.
    pub text: &'a str,
    /// Where each cell ends in `text` (the last at its end); each starts one byte (the comma)
    /// after the one before.
    pub ends: &'a [u32],
}

impl RowCells for SplitLine<'_> {
    fn cell(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)? as usize;
        let start = match index.checked_sub(1) {
            Some(before) => *self.ends.get(before)? as usize + 1,
            None => 0,
        };
        self.text.get(start..end)
    }

    fn plain_line(&self) -> Option<(&str, usize)> {
        let bytes = self.text.as_bytes();
        if !may_hold_whitespace(bytes) {
            return Some((self.text, self.ends.len()));
        }
        let mut start = 0;
        for &end in self.ends {
            let end = end as usize;
            // An empty cell is plain; another by its first and last byte, as `trim_cell` sees.
            if end > start {
                let cell = bytes.get(start..end)?;
                let (&first, &last) = (cell.first()?, cell.last()?);
                if !(plain_start(first) && plain_end(cell, last)) {
                    return None;
                }
            }
            start = end + 1;
        }
        Some((self.text, self.ends.len()))
    }
}

/// The cells of one row.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Cells {
    text: String,
    spans: Vec<(usize, usize)>,
    garbled: bool,
}

impl Cells {
    /// No cells.
    pub fn new() -> Self {
        Cells::default()
    }

    /// Empties the row, keeping its memory.
    pub fn clear(&mut self) {
        self.text.clear();
        self.spans.clear();
        self.garbled = false;
    }

    /// Appends bytes as text, replacing what is not UTF-8.
    fn append(&mut self, bytes: &[u8]) {
        // `from_utf8` has a fast path for ASCII that the lossy decoder lacks.
        match std::str::from_utf8(bytes) {
            Ok(text) => self.text.push_str(text),
            Err(_) => {
                self.garbled = true;
                self.text.push_str(&String::from_utf8_lossy(bytes));
            }
        }
    }

    /// Adds a cell.
    pub fn push(&mut self, cell: &[u8]) {
        let start = self.text.len();
        self.append(cell);
        self.spans.push((start, self.text.len()));
    }

    /// Replaces the row by `line` split at every `separator` (a line without quotes; the
    /// separator is ASCII, so replacing bytes that are not UTF-8 never moves a separator).
    pub fn split(&mut self, line: &[u8], separator: u8) {
        self.clear();
        self.append(line);
        let mut start = 0;
        for at in memchr::memchr_iter(separator, self.text.as_bytes()) {
            self.spans.push((start, at));
            start = at + 1;
        }
        self.spans.push((start, self.text.len()));
    }

    /// Replaces the row by unescaped cell bytes and the end of each cell (as csv-core gives).
    pub fn set(&mut self, bytes: &[u8], ends: &[usize]) {
        self.clear();
        if let Ok(text) = std::str::from_utf8(bytes) {
            self.text.push_str(text);
            let mut start = 0;
            for &end in ends {
                self.spans.push((start, end));
                start = end;
            }
            return;
        }
        // Not UTF-8: cell by cell, so that replacements keep each cell's bounds.
        let mut start = 0;
        for &end in ends {
            self.push(bytes.get(start..end).unwrap_or_default());
            start = end;
        }
    }

    /// How many cells.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Whether the row has no cells.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Whether some of the row was not UTF-8 (and was replaced by U+FFFD).
    pub fn is_garbled(&self) -> bool {
        self.garbled
    }

    /// Cell `index`'s bytes.
    pub fn bytes(&self, index: usize) -> Option<&[u8]> {
        self.get(index).map(str::as_bytes)
    }

    /// Cell `index` as text; `None` past the last cell.
    pub fn get(&self, index: usize) -> Option<&str> {
        let &(start, end) = self.spans.get(index)?;
        self.text.get(start..end)
    }

    /// The cells' bytes, in order.
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> {
        self.strs().map(str::as_bytes)
    }

    /// The cells as text (for messages and the reject file).
    pub fn texts(&self) -> impl Iterator<Item = Cow<'_, str>> {
        self.strs().map(Cow::Borrowed)
    }

    fn strs(&self) -> impl Iterator<Item = &str> {
        self.spans
            .iter()
            .map(|&(start, end)| self.text.get(start..end).unwrap_or_default())
    }

    /// All the cells' text together (with the separators of a split line), for whole-row
    /// checks.
    pub fn all_bytes(&self) -> &[u8] {
        self.text.as_bytes()
    }

    /// Whether every cell is empty or white space.
    pub fn is_blank(&self) -> bool {
        self.iter()
            .all(|cell| cell.iter().all(u8::is_ascii_whitespace))
    }
}

#[cfg(test)]
mod whitespace_tests {
    use proptest::prelude::*;

    proptest! {
        /// Eight bytes at a time, as byte by byte.
        #[test]
        fn whitespace_bytes_are_found_as_byte_by_byte(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            let expected = bytes.iter().any(|&b| b < 0x21 || b == 0xC2 || (0xE0..=0xE3).contains(&b));
            prop_assert_eq!(super::may_hold_whitespace(&bytes), expected);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_and_set_give_the_same_cells() {
        let mut split = Cells::new();
        split.split("日期,户号,,事项".as_bytes(), b',');
        let mut set = Cells::new();
        let text = "日期户号事项".as_bytes();
        set.set(text, &[6, 12, 12, 18]);
        assert_eq!(split.len(), 4);
        assert_eq!(
            split.texts().collect::<Vec<_>>(),
            set.texts().collect::<Vec<_>>()
        );
        assert_eq!(split.get(1), Some("户号"));
        assert_eq!(split.get(2), Some(""));
        assert_eq!(split.get(4), None);
        split.split(b" , \t", b',');
        assert!(split.is_blank());
        // Bytes that are not UTF-8 are replaced, cell bounds kept, and the row marked.
        split.split(b"a,\xff\xfe,b", b',');
        assert!(split.is_garbled());
        assert_eq!(split.len(), 3);
        assert_eq!(split.get(2), Some("b"));
        set.set(b"a\xffb", &[1, 2, 3]);
        assert!(set.is_garbled());
        assert_eq!(set.get(1), Some("\u{FFFD}"));
        assert_eq!(set.get(2), Some("b"));
    }

    #[test]
    fn trim_cell_is_str_trim() {
        let whitespace: Vec<char> = (0..=0x3000u32)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace())
            .collect();
        let others = [
            'a', '1', ',', '工', '过', 'é', 'ǅ', '\u{1000}', '\u{2100}', '\u{FFFD}', '😀',
        ];
        let mut samples = vec![String::new()];
        for &w in &whitespace {
            for &o in &others {
                for text in [
                    format!("{w}"),
                    format!("{w}{o}"),
                    format!("{o}{w}"),
                    format!("{w}{o}{w}"),
                    format!("{o}{w}{o}"),
                    format!("{o}"),
                    format!("{o}{o}"),
                ] {
                    samples.push(text);
                }
            }
        }
        for text in &samples {
            assert_eq!(super::trim_cell(text), text.trim(), "{text:?}");
        }
    }
}
