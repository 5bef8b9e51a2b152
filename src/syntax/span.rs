//! Byte spans into a compact's source text, and values that carry one.
//!
//! Every node of the AST and every diagnostic points into the source with a [`Span`]. The
//! conversion from pest's spans happens in one place ([`Span::from_pest`]); [`LineIndex`]
//! turns byte offsets into lines and columns for people and editors.

use serde::Serialize;

/// A range of bytes `start..end` in one source text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Span {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// A span from byte offsets; offsets beyond `u32::MAX` are clamped (sources are far smaller).
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start: u32::try_from(start).unwrap_or(u32::MAX),
            end: u32::try_from(end).unwrap_or(u32::MAX),
        }
    }

    /// The span of a pest span in a text that starts `offset` bytes into the whole text: the
    /// only place pest positions become ours.
    pub(crate) fn from_pest(span: pest::Span<'_>, offset: usize) -> Self {
        Span::new(span.start() + offset, span.end() + offset)
    }

    /// The smallest span covering both.
    pub fn join(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// Length in bytes.
    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start) as usize
    }

    /// Whether the span covers no bytes.
    pub fn is_empty(self) -> bool {
        self.end <= self.start
    }

    /// The text this span covers in `source`, or "" when it is out of range.
    pub fn text(self, source: &str) -> &str {
        source
            .get(self.start as usize..self.end as usize)
            .unwrap_or("")
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(span: Span) -> Self {
        miette::SourceSpan::new((span.start as usize).into(), span.len())
    }
}

/// A value with the span it came from. Equality ignores the span, so that tests compare the
/// structure of two ASTs parsed from differently laid-out text.
#[derive(Debug, Clone, Serialize)]
pub struct Spanned<T> {
    /// The value.
    pub node: T,
    /// Where it was written.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Wraps a value with its span.
    pub fn new(node: T, span: Span) -> Self {
        Spanned { node, span }
    }
}

impl<T: PartialEq> PartialEq for Spanned<T> {
    fn eq(&self, other: &Self) -> bool {
        self.node == other.node
    }
}

impl<T: Eq> Eq for Spanned<T> {}

impl<T> std::ops::Deref for Spanned<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.node
    }
}

/// Line starts of one source text: byte offsets to (line, column) positions.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

/// A position in a source text, 1-based for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Position {
    /// Line, from 1.
    pub line: u32,
    /// Column in display cells, from 1 (a Han character takes two cells).
    pub column: u32,
    /// Column in characters (Unicode scalar values), from 1.
    pub char_column: u32,
    /// Column in UTF-16 code units, from 0, as editors (LSP) count.
    pub utf16_column: u32,
}

impl LineIndex {
    /// Indexes the line starts of `source`.
    pub fn new(source: &str) -> Self {
        let mut line_starts = vec![0];
        for (offset, byte) in source.bytes().enumerate() {
            if byte == b'\n' {
                line_starts.push(offset + 1);
            }
        }
        LineIndex { line_starts }
    }

    /// The position of byte `offset` in `source` (the text this index was built from).
    /// Offsets inside a character or past the end are moved back to the nearest boundary.
    pub fn position(&self, source: &str, offset: u32) -> Position {
        let mut offset = (offset as usize).min(source.len());
        while offset > 0 && !source.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self
            .line_starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1);
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        let before = source.get(start..offset).unwrap_or("");
        let width = unicode_width::UnicodeWidthStr::width(before);
        Position {
            line: u32::try_from(line + 1).unwrap_or(u32::MAX),
            column: u32::try_from(width + 1).unwrap_or(u32::MAX),
            char_column: u32::try_from(before.chars().count() + 1).unwrap_or(u32::MAX),
            utf16_column: u32::try_from(before.encode_utf16().count()).unwrap_or(u32::MAX),
        }
    }

    /// The text of line `line` (1-based), without its line break.
    pub fn line_text<'a>(&self, source: &'a str, line: u32) -> &'a str {
        let index = (line as usize).saturating_sub(1);
        let start = self.line_starts.get(index).copied().unwrap_or(source.len());
        let end = self
            .line_starts
            .get(index + 1)
            .copied()
            .unwrap_or(source.len());
        source
            .get(start..end)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_cjk_as_two_cells_and_astral_as_two_utf16_units() {
        let source = "乡约「甲」\n第一条 𠀀x\n";
        let index = LineIndex::new(source);
        // "x" comes after "第一条 𠀀" on line 2.
        let x = source.find('x').map(|o| o as u32).unwrap_or(0);
        let pos = index.position(source, x);
        assert_eq!(pos.line, 2);
        // 第一条 = 6 cells, space = 1, 𠀀 = 2 cells → column 10.
        assert_eq!(pos.column, 10);
        assert_eq!(pos.char_column, 6);
        // 第一条 (3) + space (1) + 𠀀 (2 UTF-16 units) = 6.
        assert_eq!(pos.utf16_column, 6);
        assert_eq!(index.line_text(source, 2), "第一条 𠀀x");
    }

    #[test]
    fn offsets_inside_a_character_move_back_to_its_start() {
        let source = "甲乙";
        let index = LineIndex::new(source);
        assert_eq!(index.position(source, 4).column, 3);
        assert_eq!(index.position(source, 99).char_column, 3);
    }

    #[test]
    fn spanned_equality_ignores_spans() {
        assert_eq!(
            Spanned::new(1, Span::new(0, 1)),
            Spanned::new(1, Span::new(5, 9))
        );
    }
}
