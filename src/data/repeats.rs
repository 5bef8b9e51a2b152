//! Records written twice (issue 14, "never a silent double count").
//!
//! - In a log with a 编号 column, each 编号 names one record: a second record with the same
//!   编号 is refused (E0213, naming both lines). 编号 numbered like R000001 are found by their
//!   number in a table of lines, others through a hash map of the texts.
//! - In a log without 编号, rows exactly alike (every cell, trimmed) may be real repeats — two
//!   days of 义务投工 on one day — so they are counted as written, and one warning (W0203) lists
//!   their lines. Alike rows have one date: while the log is in date order only the current
//!   day's rows are held (a log of millions of rows keeps a day's worth); once the dates go
//!   back, every day from then on is kept. A log out of date order is read a second time to
//!   be sorted; that reading keeps every day from the start ([`Repeats::keep_every_day`]),
//!   so rows alike with later days between them are found too, and its findings are the ones
//!   reported.
//!
//! The keys are made where a row is checked (on any thread); [`Repeats`] sees them in file
//! order, on one thread.

use std::hash::{BuildHasher, Hasher};

use rustc_hash::FxHashMap;

use super::TextMap;
use super::cells::{RowCells, trim_cell};
use super::value::Day;

/// The hash of a row's cells (trimmed), for finding rows alike.
pub fn row_hash(cells: &impl RowCells, width: usize) -> u64 {
    let mut hasher = foldhash::quality::FixedState::with_seed(0x1d_5eed).build_hasher();
    for column in 0..width {
        hasher.write(trim_cell(cells.cell(column).unwrap_or("")).as_bytes());
        hasher.write_u8(0xFF);
    }
    hasher.finish()
}

/// The records of a log seen so far, by 编号 and by content.
#[derive(Debug, Default)]
pub struct Repeats {
    ids: Ids,
    /// (day, row hash) → index in `groups` of the rows alike.
    rows: FxHashMap<(Day, u64), usize>,
    /// The lines of each set of rows alike (one line until a second comes).
    groups: Vec<Vec<u64>>,
    day: Option<Day>,
    /// Whether the dates have gone back: every day is kept from then on.
    out_of_order: bool,
}

/// 编号 seen: by number while they follow one pattern, else by text.
#[derive(Debug)]
enum Ids {
    /// Prefix, digit count, line by number (0 where none).
    Numbered(String, usize, Vec<u32>),
    Texts(TextMap<u64>),
}

impl Default for Ids {
    fn default() -> Self {
        Ids::Numbered(String::new(), 0, Vec::new())
    }
}

/// Numbers above this are not worth a table.
const MAX_NUMBER: usize = 1 << 26;

impl Ids {
    /// The number of `id` if it fits the pattern (set by the first id).
    fn number(prefix: &str, digits: usize, id: &str) -> Option<usize> {
        let tail = id.strip_prefix(prefix)?;
        if tail.len() != digits || digits == 0 || digits > 9 {
            return None;
        }
        let number = tail.bytes().try_fold(0usize, |n, b| {
            b.is_ascii_digit().then(|| n * 10 + usize::from(b - b'0'))
        })?;
        (number < MAX_NUMBER).then_some(number)
    }

    /// Notes `id` at `line`; the line it was first seen on if it was.
    fn see(&mut self, id: &str, line: u64) -> Option<u64> {
        if let Ids::Numbered(prefix, digits, lines) = self {
            if lines.is_empty() && *digits == 0 {
                let count = id.bytes().rev().take_while(u8::is_ascii_digit).count();
                *prefix = id.get(..id.len() - count).unwrap_or("").to_string();
                *digits = count;
            }
            let line32 = u32::try_from(line).ok().filter(|l| *l > 0);
            match (Self::number(prefix, *digits, id), line32) {
                (Some(number), Some(line32)) => {
                    if number >= lines.len() {
                        lines.resize(number + 1, 0);
                    }
                    let slot = lines.get_mut(number)?;
                    if *slot != 0 {
                        return Some(u64::from(*slot));
                    }
                    *slot = line32;
                    return None;
                }
                _ => {
                    // The pattern breaks: every id seen so far into a map of texts.
                    let mut texts = TextMap::default();
                    for (number, &first) in lines.iter().enumerate() {
                        if first != 0 {
                            let text = format!("{prefix}{number:0width$}", width = *digits);
                            texts.insert(text.into(), u64::from(first));
                        }
                    }
                    *self = Ids::Texts(texts);
                }
            }
        }
        match self {
            Ids::Texts(texts) => match texts.get(id) {
                Some(&first) => Some(first),
                None => {
                    texts.insert(id.into(), line);
                    None
                }
            },
            Ids::Numbered(..) => None,
        }
    }
}

impl Repeats {
    /// A record with 编号 `id` (trimmed, not empty) at `line`: the line of the first record
    /// with it, when this is a repeat.
    pub fn id(&mut self, id: &str, line: u64) -> Option<u64> {
        self.ids.see(id, line)
    }

    /// Keeps every day's rows from the start: for a log known to be out of date order (its
    /// second reading), where rows alike may be separated by later days.
    pub fn keep_every_day(&mut self) {
        self.out_of_order = true;
    }

    /// A record without 编号 on `day`, its cells hashing to `hash`, at `line`.
    pub fn row(&mut self, day: Day, hash: u64, line: u64) {
        match self.day {
            Some(current) if day < current => self.out_of_order = true,
            Some(current) if day > current && !self.out_of_order => {
                // Rows of earlier days never come again in a log in date order; their groups
                // of more than one row stay listed.
                self.rows.clear();
                self.groups.retain(|g| g.len() > 1);
            }
            _ => {}
        }
        self.day = Some(self.day.map_or(day, |d| d.max(day)));
        let next = self.groups.len();
        let group = *self.rows.entry((day, hash)).or_insert(next);
        if group == next {
            self.groups.push(vec![line]);
        } else if let Some(lines) = self.groups.get_mut(group) {
            lines.push(line);
        }
    }

    /// The sets of rows alike, each as its lines, in order of their first line.
    pub fn alike(&self) -> Vec<&[u64]> {
        let mut groups: Vec<&[u64]> = self
            .groups
            .iter()
            .filter(|g| g.len() > 1)
            .map(Vec::as_slice)
            .collect();
        groups.sort_by_key(|g| g.first().copied());
        groups
    }
}

/// The sets of rows alike as the warning lists them: 第 3、5 行；第 8、9 行 (at most
/// `shown` sets, then how many more).
pub fn describe_alike(groups: &[&[u64]], shown: usize) -> String {
    let mut text: Vec<String> = groups
        .iter()
        .take(shown)
        .map(|lines| {
            let lines: Vec<String> = lines.iter().map(u64::to_string).collect();
            format!("第 {} 行", lines.join("、"))
        })
        .collect();
    if groups.len() > shown {
        text.push(format!("另有 {} 组", groups.len() - shown));
    }
    text.join("；")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_ids_name_the_first_line_in_both_kinds_of_table() {
        let mut seen = Repeats::default();
        assert_eq!(seen.id("R001", 2), None);
        assert_eq!(seen.id("R002", 3), None);
        assert_eq!(seen.id("R001", 4), Some(2));
        // An id of another pattern: everything moves to the map, and is still found.
        assert_eq!(seen.id("甲-7", 5), None);
        assert_eq!(seen.id("R002", 6), Some(3));
        assert_eq!(seen.id("甲-7", 7), Some(5));
        assert_eq!(seen.id("R003", 8), None);
    }

    #[test]
    fn rows_alike_are_grouped_also_out_of_date_order() {
        let mut seen = Repeats::default();
        seen.row(1, 10, 2);
        seen.row(1, 11, 3);
        seen.row(1, 10, 4);
        seen.row(2, 10, 5); // another day: not alike
        seen.row(1, 11, 6); // back in time
        seen.row(1, 11, 7);
        seen.row(2, 10, 8);
        assert_eq!(seen.alike(), vec![&[2, 4][..], &[5, 8][..], &[6, 7][..]]);
        assert_eq!(
            describe_alike(&seen.alike(), 2),
            "第 2、4 行；第 5、8 行；另有 1 组"
        );
    }
}
