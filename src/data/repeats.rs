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

use std::collections::hash_map::Entry;
use std::hash::{BuildHasher, Hasher};

use rustc_hash::FxHashMap;

use super::TextMap;
use super::cells::{RowCells, trim_cell};
use super::register::eight_digits;
use super::value::Day;

/// The hash of a row's cells (trimmed), for finding rows alike: the trimmed cells joined by
/// commas, then — only when a cell holds a comma, so that the joined text alone could stand
/// for other cells — where each cell ends. A line split in place whose cells need no trimming
/// is that joined text already: it is hashed as it lies, without a copy.
pub fn row_hash(cells: &impl RowCells, width: usize) -> u64 {
    let mut hasher = foldhash::quality::FixedState::with_seed(0x1d_5eed).build_hasher();
    if let Some((line, count)) = cells.plain_line()
        && count == width
    {
        // Split at every comma: no cell holds one.
        hasher.write(line.as_bytes());
        return hasher.finish();
    }
    let mut joined = String::new();
    let mut ends = Vec::with_capacity(width);
    let mut comma = false;
    for column in 0..width {
        if column > 0 {
            joined.push(',');
        }
        let cell = trim_cell(cells.cell(column).unwrap_or(""));
        comma |= cell.contains(',');
        joined.push_str(cell);
        ends.push(joined.len());
    }
    hasher.write(joined.as_bytes());
    if comma {
        hasher.write_u8(0xFF);
        for end in ends {
            hasher.write_usize(end);
        }
    }
    hasher.finish()
}

/// The records of a log seen so far, by 编号 and by content.
#[derive(Debug, Default)]
pub struct Repeats {
    ids: Ids,
    /// (day, row hash) → the first line with it, and 1 + its index in `groups` once a second
    /// row alike has come (0 before).
    rows: FxHashMap<(Day, u64), (u64, usize)>,
    /// The lines of each set of two or more rows alike.
    groups: Vec<Vec<u64>>,
    day: Option<Day>,
    /// Whether the dates have gone back: every day is kept from then on.
    out_of_order: bool,
}

/// 编号 seen: by number while they follow one pattern, else by text.
#[derive(Debug)]
enum Ids {
    Numbered(Numbered),
    Texts(TextMap<u64>),
}

impl Default for Ids {
    fn default() -> Self {
        Ids::Numbered(Numbered::default())
    }
}

/// 编号 of one pattern (a prefix, then so many digits), by number.
#[derive(Debug, Default)]
struct Numbered {
    prefix: String,
    digits: usize,
    lines: Lines,
}

/// The line of each number seen. A log numbered as it is written (R0001 on the first record's
/// line, R0002 a line or more further on, …) is held as runs — one bit a number and a few
/// runs, not a table of lines as long as the numbers (40 MB for ten million records); ids
/// that go back to an unseen number, or too many runs, turn it into that table.
#[derive(Debug)]
enum Lines {
    Runs {
        /// One bit a number: seen.
        seen: Vec<u64>,
        /// Runs of numbers in ascending order: (first number, its line, end) — every number
        /// seen from the first up to the end (not included) is on the first's line plus the
        /// difference of the numbers.
        runs: Vec<(u32, u32, u32)>,
    },
    /// Line by number (0 where none).
    Table(Vec<u32>),
}

impl Default for Lines {
    fn default() -> Self {
        Lines::Runs {
            seen: Vec::new(),
            runs: Vec::new(),
        }
    }
}

/// Numbers above this are not worth a table.
const MAX_NUMBER: usize = 1 << 26;

/// Runs kept before the table of lines takes over: this many, or one for every eight numbers.
const FEW_RUNS: usize = 1 << 12;

impl Lines {
    /// Notes `number` at `line` (not 0); the line it was first seen on if it was.
    fn see(&mut self, number: usize, line: u32) -> Option<u32> {
        if let Lines::Runs { seen, runs } = self {
            let (word, bit) = (number / 64, 1u64 << (number % 64));
            if seen.get(word).is_some_and(|w| w & bit != 0) {
                return Self::in_runs(runs, number);
            }
            let number32 = u32::try_from(number).ok()?;
            let last = runs.last_mut();
            let extends = last.as_ref().is_some_and(|&&mut (first, first_line, end)| {
                number32 >= end
                    && u64::from(number32 - first) + u64::from(first_line) == u64::from(line)
            });
            let ahead = last
                .as_ref()
                .is_none_or(|&&mut (_, _, end)| number32 >= end);
            if extends {
                if let Some(run) = runs.last_mut() {
                    run.2 = number32 + 1;
                }
            } else if ahead && (runs.len() < FEW_RUNS || runs.len() * 8 < number) {
                runs.push((number32, line, number32 + 1));
            } else {
                *self = Lines::Table(self.table());
                return self.see(number, line);
            }
            if word >= seen.len() {
                seen.resize((word + 1).max(seen.len() * 2), 0);
            }
            if let Some(w) = seen.get_mut(word) {
                *w |= bit;
            }
            return None;
        }
        let Lines::Table(lines) = self else {
            return None;
        };
        if number >= lines.len() {
            lines.resize(number + 1, 0);
        }
        let slot = lines.get_mut(number)?;
        if *slot != 0 {
            return Some(*slot);
        }
        *slot = line;
        None
    }

    /// The line of `number`, seen, from the runs.
    fn in_runs(runs: &[(u32, u32, u32)], number: usize) -> Option<u32> {
        let number = u32::try_from(number).ok()?;
        let at = runs.partition_point(|&(first, _, _)| first <= number);
        let &(first, first_line, end) = runs.get(at.checked_sub(1)?)?;
        (number < end).then(|| first_line + (number - first))
    }

    /// Every number seen with its line.
    fn each(&self) -> Vec<(usize, u32)> {
        match self {
            Lines::Runs { seen, runs } => runs
                .iter()
                .flat_map(|&(first, first_line, end)| {
                    (first..end).filter_map(move |n| {
                        let n = n as usize;
                        let seen = seen.get(n / 64).is_some_and(|w| w & (1 << (n % 64)) != 0);
                        seen.then(|| (n, first_line + (n as u32 - first)))
                    })
                })
                .collect(),
            Lines::Table(lines) => lines
                .iter()
                .enumerate()
                .filter(|(_, line)| **line != 0)
                .map(|(n, line)| (n, *line))
                .collect(),
        }
    }

    /// The table of lines by number of what is seen.
    fn table(&self) -> Vec<u32> {
        let mut table = Vec::new();
        for (number, line) in self.each() {
            if number >= table.len() {
                table.resize(number + 1, 0);
            }
            if let Some(slot) = table.get_mut(number) {
                *slot = line;
            }
        }
        table
    }
}

impl Ids {
    /// The number of `id` if it fits the pattern (set by the first id).
    fn number(prefix: &str, digits: usize, id: &str) -> Option<usize> {
        let tail = id.strip_prefix(prefix)?;
        if tail.len() != digits || digits == 0 || digits > 9 {
            return None;
        }
        // The last eight digits at once; a ninth before them one by one.
        let (high, low) = tail.as_bytes().split_at(digits.saturating_sub(8));
        let low = eight_digits(low)?;
        let number = match high {
            [] => low,
            [digit] if digit.is_ascii_digit() => u64::from(digit - b'0') * 100_000_000 + low,
            _ => return None,
        };
        usize::try_from(number).ok().filter(|&n| n < MAX_NUMBER)
    }

    /// Notes `id` at `line`; the line it was first seen on if it was.
    fn see(&mut self, id: &str, line: u64) -> Option<u64> {
        if let Ids::Numbered(numbered) = self {
            if numbered.digits == 0 {
                let count = id.bytes().rev().take_while(u8::is_ascii_digit).count();
                numbered.prefix = id.get(..id.len() - count).unwrap_or("").to_string();
                numbered.digits = count;
            }
            let line32 = u32::try_from(line).ok().filter(|l| *l > 0);
            let Numbered {
                prefix,
                digits,
                lines,
            } = numbered;
            match (Self::number(prefix, *digits, id), line32) {
                (Some(number), Some(line32)) => return lines.see(number, line32).map(u64::from),
                _ => {
                    // The pattern breaks: every id seen so far into a map of texts.
                    let mut texts = TextMap::default();
                    for (number, first) in lines.each() {
                        let text = format!("{prefix}{number:0width$}", width = *digits);
                        texts.insert(text.into(), u64::from(first));
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
            }
            _ => {}
        }
        self.day = Some(self.day.map_or(day, |d| d.max(day)));
        let (first, group) = match self.rows.entry((day, hash)) {
            Entry::Vacant(vacant) => {
                vacant.insert((line, 0));
                return;
            }
            Entry::Occupied(occupied) => occupied.into_mut(),
        };
        if *group == 0 {
            self.groups.push(vec![*first, line]);
            *group = self.groups.len();
        } else if let Some(lines) = self.groups.get_mut(*group - 1) {
            lines.push(line);
        }
    }

    /// The sets of rows alike, each as its lines, in order of their first line.
    pub fn alike(&self) -> Vec<&[u64]> {
        let mut groups: Vec<&[u64]> = self.groups.iter().map(Vec::as_slice).collect();
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
    use proptest::prelude::*;

    use super::*;
    use crate::data::cells::{Cells, SplitLine};

    /// A row's hash as a line split in place (when it can be one: no comma in a cell).
    fn hash_in_place(cells: &[String], width: usize) -> Option<u64> {
        if cells.iter().any(|c| c.contains(',')) {
            return None;
        }
        let line = cells.join(",");
        let mut ends = Vec::new();
        let mut end = 0;
        for (i, cell) in cells.iter().enumerate() {
            end += cell.len() + usize::from(i > 0);
            ends.push(u32::try_from(end).unwrap_or(u32::MAX));
        }
        Some(row_hash(
            &SplitLine {
                text: &line,
                ends: &ends,
            },
            width,
        ))
    }

    fn hash_of_cells(cells: &[String], width: usize) -> u64 {
        let mut row = Cells::new();
        for cell in cells {
            row.push(cell.as_bytes());
        }
        row_hash(&row, width)
    }

    proptest! {
        /// Rows alike (cells equal once trimmed, as wide as the header) hash alike whether
        /// split in place or read as cells; rows that differ do not (but by chance).
        #[test]
        fn row_hashes_agree_in_place_and_as_cells_and_see_cells_apart(
            a in proptest::collection::vec("[ab,　 ]{0,3}", 1..6),
            b in proptest::collection::vec("[ab,　 ]{0,3}", 1..6),
            width in 1usize..6,
        ) {
            for cells in [&a, &b] {
                let as_cells = hash_of_cells(cells, width);
                if let Some(in_place) = hash_in_place(cells, width) {
                    prop_assert_eq!(in_place, as_cells, "{:?}", cells);
                }
            }
            let trimmed = |cells: &Vec<String>| -> Vec<String> {
                (0..width)
                    .map(|i| cells.get(i).map_or("", |c| c.trim()).to_string())
                    .collect()
            };
            prop_assert_eq!(
                trimmed(&a) == trimmed(&b),
                hash_of_cells(&a, width) == hash_of_cells(&b, width),
                "{:?} {:?}", a, b
            );
        }

        /// 编号 are found as a map of texts finds them, whatever their order and lines: in
        /// file order with rows between, going back, repeated, breaking the pattern.
        #[test]
        fn repeated_ids_are_found_as_a_map_finds_them(
            steps in proptest::collection::vec((0u8..40, 1u64..4, 0usize..40), 1..300),
            width in 1usize..=10,
        ) {
            let mut seen = Repeats::default();
            let mut model: std::collections::HashMap<String, u64> = Default::default();
            let (mut line, mut number) = (1u64, 0usize);
            for (kind, gap, other) in steps {
                line += gap;
                let id = match kind {
                    // Mostly the next number, sometimes one further on.
                    0..=29 => { number += 1; format!("R{number:0width$}") }
                    30..=33 => { number += 1 + other; format!("R{number:0width$}") }
                    // An earlier number (a repeat or one skipped before).
                    34..=38 => format!("R{:0width$}", other.min(number)),
                    // Another pattern.
                    _ => format!("甲-{other}"),
                };
                let expected = match model.get(&id) {
                    Some(&first) => Some(first),
                    None => { model.insert(id.clone(), line); None }
                };
                prop_assert_eq!(seen.id(&id, line), expected, "{} at {}", id, line);
            }
        }
    }

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
    fn numbers_of_up_to_nine_digits_are_read() {
        assert_eq!(Ids::number("R", 9, "R012345678"), Some(12_345_678));
        assert_eq!(Ids::number("R", 9, "R060000001"), Some(60_000_001));
        assert_eq!(
            Ids::number("R", 9, "R070000001"),
            None,
            "past the table's numbers"
        );
        assert_eq!(Ids::number("R", 4, "R0042"), Some(42));
        for not in [
            "R0x2345678",
            "Rx12345678",
            "R01234567",
            "Q012345678",
            "R 12345678",
        ] {
            assert_eq!(Ids::number("R", 9, not), None, "{not}");
        }
    }

    #[test]
    fn ids_on_lines_of_their_own_pattern_turn_into_a_table_when_runs_are_many() {
        let mut seen = Repeats::default();
        // Every id two lines after the one before: a run each.
        for n in 1..=10_000u64 {
            assert_eq!(seen.id(&format!("R{n:05}"), 2 * n), None);
        }
        assert!(matches!(&seen.ids, Ids::Numbered(n) if matches!(n.lines, Lines::Table(_))));
        for n in [1u64, 77, 4_096, 10_000] {
            assert_eq!(seen.id(&format!("R{n:05}"), 30_000), Some(2 * n));
        }
        // Numbered as written (bad rows between leave gaps): runs, a bit a number.
        let mut seen = Repeats::default();
        for n in (1..=10_000u64).filter(|n| n % 7 != 0) {
            assert_eq!(seen.id(&format!("R{n:05}"), n + 1), None);
        }
        assert!(matches!(&seen.ids, Ids::Numbered(n) if matches!(n.lines, Lines::Runs { .. })));
        assert_eq!(seen.id("R09999", 30_000), Some(10_000));
        // Back to a number skipped: the table, which still knows every line.
        assert_eq!(seen.id("R00070", 30_001), None);
        assert!(matches!(&seen.ids, Ids::Numbered(n) if matches!(n.lines, Lines::Table(_))));
        assert_eq!(seen.id("R09999", 30_002), Some(10_000));
        assert_eq!(seen.id("R00070", 30_003), Some(30_001));
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
