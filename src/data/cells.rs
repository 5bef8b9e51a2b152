//! One row of a table as it was read: the cells' bytes back to back and where each lies, reused
//! from row to row so that reading millions of rows allocates nothing per row.

/// The cells of one row.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Cells {
    bytes: Vec<u8>,
    spans: Vec<(usize, usize)>,
}

impl Cells {
    /// No cells.
    pub fn new() -> Self {
        Cells::default()
    }

    /// Empties the row, keeping its memory.
    pub fn clear(&mut self) {
        self.bytes.clear();
        self.spans.clear();
    }

    /// Adds a cell.
    pub fn push(&mut self, cell: &[u8]) {
        let start = self.bytes.len();
        self.bytes.extend_from_slice(cell);
        self.spans.push((start, self.bytes.len()));
    }

    /// Replaces the row by `line` split at every `separator` (a line without quotes).
    pub fn split(&mut self, line: &[u8], separator: u8) {
        self.clear();
        self.bytes.extend_from_slice(line);
        let mut start = 0;
        for at in memchr::memchr_iter(separator, line) {
            self.spans.push((start, at));
            start = at + 1;
        }
        self.spans.push((start, line.len()));
    }

    /// Replaces the row by unescaped cell bytes and the end of each cell (as csv-core gives).
    pub fn set(&mut self, bytes: &[u8], ends: &[usize]) {
        self.clear();
        self.bytes.extend_from_slice(bytes);
        let mut start = 0;
        for &end in ends {
            self.spans.push((start, end));
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

    /// Cell `index`'s bytes.
    pub fn bytes(&self, index: usize) -> Option<&[u8]> {
        let &(start, end) = self.spans.get(index)?;
        self.bytes.get(start..end)
    }

    /// Cell `index` as text; `None` past the last cell or when it is not UTF-8 (rows that are
    /// not are refused before anyone reads their cells).
    pub fn get(&self, index: usize) -> Option<&str> {
        std::str::from_utf8(self.bytes(index)?).ok()
    }

    /// The cells' bytes, in order.
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> {
        self.spans
            .iter()
            .map(|&(start, end)| self.bytes.get(start..end).unwrap_or_default())
    }

    /// The cells as text, with anything that is not UTF-8 replaced (for messages and the
    /// reject file).
    pub fn texts(&self) -> impl Iterator<Item = std::borrow::Cow<'_, str>> {
        self.iter().map(String::from_utf8_lossy)
    }

    /// All the cells' bytes together (with the separators of a split line), for whole-row
    /// checks.
    pub fn all_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Whether every cell is empty or white space.
    pub fn is_blank(&self) -> bool {
        self.iter()
            .all(|cell| cell.iter().all(u8::is_ascii_whitespace))
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
    }
}
