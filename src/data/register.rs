//! Registers: the households (户籍) and the rosters of persons (名册), validated against the
//! attributes the compact declares.

use compact_str::CompactString;
use rustc_hash::FxHashMap;

use super::TextMap;

use super::cells::Cells;
use super::error::{DataError, DataWarning, Place};
use super::table::{Row, TableReader};
use super::value::{FieldValue, empty_value, expected_words, normalize, parse_value};
use crate::model::width::{fold_width, may_fold};
use crate::model::{Compact, Field, HOUSEHOLD, KindId, ValueType};

/// Column names accepted for the household id.
pub const HOUSEHOLD_COLUMNS: &[&str] = &["户号", "household", "household_id"];
/// Column names accepted for a person's id in a roster.
pub const PERSON_COLUMNS: &[&str] = &["编号", "人员编号", "人员", "person", "person_id", "id"];
/// Column names of the household head's name, shown beside the 户号 in every output.
pub const HEAD_COLUMNS: &[&str] = &["户主", "户主姓名", "head", "name"];
/// Column names of a person's name in a roster.
pub const NAME_COLUMNS: &[&str] = &["姓名", "name"];

/// The index of the first header column matching one of `names` (ASCII names case-insensitively,
/// full-width letters as ASCII ones).
pub fn find_column(header: &[String], names: &[&str]) -> Option<usize> {
    names.iter().find_map(|name| {
        let name = fold_width(name);
        header.iter().position(|h| {
            let h = fold_width(h);
            h == name || (name.is_ascii() && h.eq_ignore_ascii_case(&name))
        })
    })
}

/// The subjects of one kind: households, or the persons of a roster.
///
/// Kept small, since a city register has a million households: ids are one text with the
/// ends of each; an attribute's distinct values are stored once and each subject holds the
/// number of its value (a register repeats few values: 是/否, the same 村民小组, small
/// numbers); ids numbered like H0000001 are found through a dense table, without a hash map.
#[derive(Debug, Clone)]
pub struct Register {
    /// Which kind of subject.
    pub kind: KindId,
    /// The file it was read from, as shown in messages.
    pub file: String,
    /// Ids (户号 or person ids), in file order.
    ids: Ids,
    /// Names (户主 of a household, 姓名 of a person), in file order; empty when the file has
    /// no such column.
    names: Ids,
    /// Id → index, only while the ids are not numbered (see `numbered`).
    index: TextMap<u32>,
    /// Id → index without hashing, while every id is one prefix and a fixed number of digits.
    numbered: Option<NumberedIds>,
    /// Attribute values, `attributes` per subject, row by row: each the position of the value
    /// in its attribute's `pools`, or `NO_VALUE`.
    codes: Vec<u32>,
    /// Each attribute's distinct values.
    pools: Vec<Vec<FieldValue>>,
    /// Each attribute's values → their position in `pools`, while reading.
    seen: Vec<FxHashMap<ValueKey, u32>>,
    /// How many attributes each subject has.
    pub attributes: usize,
    /// The line of each subject in its file.
    pub lines: Vec<u64>,
    /// For a roster, each person's household (index into the household register), if given.
    pub households: Vec<Option<u32>>,
    /// Ids whose rows were left out for their errors (already reported): a roster naming one
    /// is not told again that it is not in the register.
    left_out: TextMap<u64>,
}

/// The code of a missing attribute value.
const NO_VALUE: u32 = u32::MAX;

/// The ids of a register, one after another in one text.
#[derive(Debug, Clone, Default)]
struct Ids {
    text: String,
    /// Where each id ends in `text`.
    ends: Vec<usize>,
}

impl Ids {
    fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = match i.checked_sub(1) {
            Some(before) => *self.ends.get(before)?,
            None => 0,
        };
        self.text.get(start..end)
    }

    fn push(&mut self, id: &str) {
        self.text.push_str(id);
        self.ends.push(self.text.len());
    }

    fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.ends.len()).filter_map(|i| self.get(i))
    }
}

/// A value as a map key: its variant and its exact bits (1.0 and 1.00 stay apart), or its text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum ValueKey {
    Bits(u8, [u8; 16]),
    Text(CompactString),
}

impl ValueKey {
    fn of(value: &FieldValue) -> Self {
        let bits = |tag: u8, bytes: &[u8]| {
            let mut all = [0u8; 16];
            for (to, from) in all.iter_mut().zip(bytes) {
                *to = *from;
            }
            ValueKey::Bits(tag, all)
        };
        match value {
            FieldValue::Number(d) => ValueKey::Bits(0, d.serialize()),
            FieldValue::Money(m) => bits(1, &m.to_le_bytes()),
            FieldValue::Bool(b) => bits(2, &[u8::from(*b)]),
            FieldValue::Choice(c) => bits(3, &c.to_le_bytes()),
            FieldValue::Date(d) => bits(4, &d.to_le_bytes()),
            FieldValue::Text(t) => ValueKey::Text(CompactString::from(&**t)),
        }
    }
}

impl Register {
    /// An empty register of `kind` with `attributes` attributes.
    pub fn empty(kind: KindId, attributes: usize, file: &str) -> Self {
        Register {
            kind,
            file: file.to_string(),
            ids: Ids::default(),
            names: Ids::default(),
            index: TextMap::default(),
            numbered: None,
            codes: Vec::new(),
            pools: vec![Vec::new(); attributes],
            seen: vec![FxHashMap::default(); attributes],
            attributes,
            lines: Vec::new(),
            households: Vec::new(),
            left_out: TextMap::default(),
        }
    }

    /// How many subjects.
    pub fn len(&self) -> usize {
        self.ids.ends.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ids.ends.is_empty()
    }

    /// The id (户号 or person id) of subject `subject`.
    pub fn id(&self, subject: u32) -> Option<&str> {
        self.ids.get(subject as usize)
    }

    /// The name of subject `subject` — the 户主 of a household, a person's 姓名 — when the
    /// register has a column for it and the cell is not empty.
    pub fn name(&self, subject: u32) -> Option<&str> {
        self.names
            .get(subject as usize)
            .filter(|name| !name.is_empty())
    }

    /// Sets the name of the subject added last (readers call it after `push`).
    fn name_last(&mut self, name: &str) {
        while self.names.ends.len() + 1 < self.ids.ends.len() {
            self.names.push("");
        }
        self.names.push(name.trim());
    }

    /// Every id, in file order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.ids.iter()
    }

    /// The value of attribute `attribute` of subject `subject`.
    pub fn value(&self, subject: u32, attribute: usize) -> Option<&FieldValue> {
        let code = *self
            .codes
            .get(subject as usize * self.attributes + attribute)?;
        self.pools.get(attribute)?.get(code as usize)
    }

    /// The code of `value` for attribute `attribute`: its place among the attribute's values.
    fn code(&mut self, attribute: usize, value: FieldValue) -> u32 {
        let (Some(pool), Some(seen)) =
            (self.pools.get_mut(attribute), self.seen.get_mut(attribute))
        else {
            return NO_VALUE;
        };
        let next = u32::try_from(pool.len()).unwrap_or(NO_VALUE);
        let code = *seen.entry(ValueKey::of(&value)).or_insert(next);
        if code == next {
            pool.push(value);
        }
        code
    }

    /// The code of a text value, without making the value unless it is new.
    fn text_code(&mut self, attribute: usize, text: &str) -> u32 {
        let (Some(pool), Some(seen)) =
            (self.pools.get_mut(attribute), self.seen.get_mut(attribute))
        else {
            return NO_VALUE;
        };
        let next = u32::try_from(pool.len()).unwrap_or(NO_VALUE);
        let code = *seen
            .entry(ValueKey::Text(CompactString::from(text)))
            .or_insert(next);
        if code == next {
            pool.push(FieldValue::Text(text.into()));
        }
        code
    }

    /// Adds a subject (used by readers and by worked examples).
    pub fn push(
        &mut self,
        id: &str,
        values: Vec<Option<FieldValue>>,
        line: u64,
        household: Option<u32>,
    ) -> u32 {
        let mut codes = Vec::with_capacity(self.attributes);
        for (attribute, value) in values.into_iter().enumerate().take(self.attributes) {
            codes.push(value.map_or(NO_VALUE, |v| self.code(attribute, v)));
        }
        self.push_codes(id, &codes, line, household)
    }

    /// Adds a subject whose values are already coded.
    fn push_codes(&mut self, id: &str, codes: &[u32], line: u64, household: Option<u32>) -> u32 {
        // Ids written with full-width letters or digits are kept as ASCII (see `find`).
        let id = &*fold_width(id);
        let index = u32::try_from(self.len()).unwrap_or(u32::MAX);
        self.numbered = if self.is_empty() {
            NumberedIds::first(id, index)
        } else {
            self.numbered.take().and_then(|n| n.with(id, index))
        };
        if self.numbered.is_none() {
            if self.index.len() < self.len() {
                // The ids were numbered until now: index them all.
                let index = &mut self.index;
                for (i, earlier) in (0u32..).zip(self.ids.iter()) {
                    index.insert(earlier.into(), i);
                }
            }
            self.index.insert(id.into(), index);
        }
        self.ids.push(id);
        self.codes
            .extend_from_slice(codes.get(..self.attributes).unwrap_or(codes));
        for _ in codes.len()..self.attributes {
            self.codes.push(NO_VALUE);
        }
        self.lines.push(line);
        self.households.push(household);
        index
    }

    /// Ends reading: gives back the memory kept only for reading.
    fn finish_reading(&mut self) {
        for seen in &mut self.seen {
            *seen = FxHashMap::default();
        }
        self.names.text.shrink_to_fit();
        self.names.ends.shrink_to_fit();
        self.ids.text.shrink_to_fit();
        self.ids.ends.shrink_to_fit();
        self.codes.shrink_to_fit();
        self.lines.shrink_to_fit();
        self.households.shrink_to_fit();
    }

    /// The subject with id `id`.
    pub fn find(&self, id: &str) -> Option<u32> {
        let id = super::cells::trim_cell(id);
        // Ids are kept folded: one found as written folds to itself, so only an id not found
        // is folded and looked up again (when it may hold a full-width form).
        match self.find_folded(id) {
            Some(subject) => Some(subject),
            None if may_fold(id) => self.find_folded(&fold_width(id)),
            None => None,
        }
    }

    /// The subject with id `id`, trimmed and width-folded.
    #[inline(always)]
    fn find_folded(&self, id: &str) -> Option<u32> {
        match &self.numbered {
            Some(numbered) => numbered.find(id),
            None => self.index.get(id).copied(),
        }
    }

    /// The ids `id` may be a typo of (one character wrong, or two neighbours swapped): none,
    /// or up to three when that few are equally close.
    pub fn suggest(&self, id: &str) -> Vec<String> {
        let wanted: Vec<char> = id.trim().chars().collect();
        let close: Vec<&str> = self
            .ids()
            .filter(|candidate| one_slip(&wanted, candidate))
            .take(4)
            .collect();
        // More than three equally close ids suggest nothing useful.
        if close.len() > 3 {
            return Vec::new();
        }
        close.into_iter().map(str::to_string).collect()
    }
}

/// Ids that are all one prefix and a fixed number of digits (H0000001, 001, 三组-017), found
/// by their number in a dense table. Registers are usually numbered like this, and a table
/// lookup costs a fraction of hashing the text.
#[derive(Debug, Clone)]
struct NumberedIds {
    prefix: String,
    digits: usize,
    /// Subject index by number; `NONE` where no id has that number.
    by_number: Vec<u32>,
    /// While the ids come in order without gaps (H0000001, H0000002, …): the first number.
    /// An id's subject is then its number minus this — no table to read, no cache miss.
    consecutive: Option<u64>,
}

/// The number written by `digits` — up to eight ASCII digits — read eight bytes at once, or
/// `None` when it is longer or any byte is not a digit.
pub(crate) fn eight_digits(digits: &[u8]) -> Option<u64> {
    const ZEROS: u64 = 0x3030_3030_3030_3030;
    const HIGH: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    // Padded with '0' in front: the first byte read is the most significant digit.
    let mut bytes = [b'0'; 8];
    bytes
        .get_mut(8usize.checked_sub(digits.len())?..)?
        .copy_from_slice(digits);
    let word = u64::from_le_bytes(bytes);
    // Every byte 0x30..=0x39: its high nibble 3, and adding 6 does not carry out of it.
    if word & HIGH != ZEROS || (word.wrapping_add(0x0606_0606_0606_0606) & HIGH) != ZEROS {
        return None;
    }
    let value = word - ZEROS;
    // Neighbouring digits into pairs, pairs into fours, fours into the eight.
    let value = ((value & 0x0F0F_0F0F_0F0F_0F0F).wrapping_mul(10 * 256 + 1)) >> 8;
    let value = ((value & 0x00FF_00FF_00FF_00FF).wrapping_mul(100 * 65_536 + 1)) >> 16;
    let value = ((value & 0x0000_FFFF_0000_FFFF).wrapping_mul(10_000 * (1 << 32) + 1)) >> 32;
    Some(value)
}

/// The number written by the last `digits` bytes of `id` (up to eight ASCII digits), as
/// [`eight_digits`] reads them, but loaded as the id's last eight bytes with what comes before
/// the digits masked to '0': one load, where copying a shorter tail into a word went through
/// memory and stalled the processor. Ids shorter than eight bytes are read by [`eight_digits`].
fn digits_at_end(id: &[u8], digits: usize) -> Option<u64> {
    const ZEROS: u64 = 0x3030_3030_3030_3030;
    let tail = id.get(id.len().checked_sub(digits)?..)?;
    let last = id.len().checked_sub(8).and_then(|at| id.get(at..));
    let Some(Ok(last)) = last.map(<[u8; 8]>::try_from) else {
        return eight_digits(tail);
    };
    // The low bytes of the word are the first of the eight: those before the digits.
    let before = 8usize.checked_sub(digits)?;
    let mask = u64::MAX
        .checked_shl(8 * before as u32)
        .map_or(u64::MAX, |high| !high);
    let word = (u64::from_le_bytes(last) & !mask) | (ZEROS & mask);
    eight_digits(&word.to_le_bytes())
}

impl NumberedIds {
    const NONE: u32 = u32::MAX;
    /// Numbers above this are not worth a table (ids this sparse fall back to hashing).
    const MAX_NUMBER: u64 = 1 << 24;

    fn first(id: &str, index: u32) -> Option<Self> {
        let digits = id.bytes().rev().take_while(u8::is_ascii_digit).count();
        let prefix = id.get(..id.len() - digits)?;
        NumberedIds {
            prefix: prefix.to_string(),
            digits,
            by_number: Vec::new(),
            consecutive: None,
        }
        .with(id, index)
    }

    /// The table with `id` added, or `None` when `id` breaks the pattern or the table would
    /// be mostly empty.
    fn with(mut self, id: &str, index: u32) -> Option<Self> {
        let number = self.number(id)?;
        self.consecutive = match self.consecutive {
            None if index == 0 => Some(number),
            Some(first) if first + u64::from(index) == number => Some(first),
            _ => None,
        };
        let number = usize::try_from(number).ok()?;
        if number >= self.by_number.len() {
            // `index` is how many ids came before: keep the table at most 8 slots per id.
            let room = (index as usize + 1).saturating_mul(8).max(1 << 16);
            if number > room {
                return None;
            }
            self.by_number.resize(number + 1, Self::NONE);
        }
        *self.by_number.get_mut(number)? = index;
        Some(self)
    }

    /// The number of an id of the pattern.
    fn number(&self, id: &str) -> Option<u64> {
        if self.digits == 0 || self.digits > 9 || id.len() != self.prefix.len() + self.digits {
            return None;
        }
        let tail = id.strip_prefix(self.prefix.as_str())?;
        let number = digits_at_end(id.as_bytes(), self.digits).or_else(|| {
            tail.bytes().try_fold(0u64, |number, byte| {
                byte.is_ascii_digit()
                    .then(|| number * 10 + u64::from(byte - b'0'))
            })
        })?;
        (number < Self::MAX_NUMBER).then_some(number)
    }

    fn find(&self, id: &str) -> Option<u32> {
        let number = self.number(id)?;
        if let Some(first) = self.consecutive {
            let count = (self.by_number.len() as u64).saturating_sub(first);
            return number
                .checked_sub(first)
                .filter(|&i| i < count)
                .and_then(|i| u32::try_from(i).ok());
        }
        let number = usize::try_from(number).ok()?;
        self.by_number
            .get(number)
            .copied()
            .filter(|&i| i != Self::NONE)
    }
}

/// Whether `candidate` differs from `wanted` by one mistyped character or two neighbours swapped.
fn one_slip(wanted: &[char], candidate: &str) -> bool {
    let chars: Vec<char> = candidate.chars().collect();
    if chars.len() != wanted.len() {
        return false;
    }
    let differing: Vec<usize> = (0..chars.len())
        .filter(|&i| chars.get(i) != wanted.get(i))
        .collect();
    match differing.as_slice() {
        [_] => true,
        [a, b] => *b == a + 1 && chars.get(*a) == wanted.get(*b) && chars.get(*b) == wanted.get(*a),
        _ => false,
    }
}

/// The register's display name for messages: 户籍 or 名册「党员」.
pub fn register_label(compact: &Compact, kind: KindId) -> String {
    if kind == HOUSEHOLD {
        "户籍".to_string()
    } else {
        format!(
            "名册「{}」",
            compact
                .kinds
                .get(kind)
                .map(|k| k.name.as_str())
                .unwrap_or("")
        )
    }
}

/// Reads a register of `kind` from `table`, validating every row. Rows with errors are left
/// out and their errors returned; the caller decides whether to go on.
pub fn read_register(
    table: &mut TableReader,
    compact: &Compact,
    kind: KindId,
    households: Option<&Register>,
    errors: &mut Vec<DataError>,
    warnings: &mut Vec<DataWarning>,
) -> Register {
    let file = table.file().to_string();
    let attributes: Vec<Field> = compact
        .kinds
        .get(kind)
        .map(|k| k.attributes.clone())
        .unwrap_or_default();
    let mut register = Register::empty(kind, attributes.len(), &file);
    let header = table.header().to_vec();
    let id_names = if kind == HOUSEHOLD {
        HOUSEHOLD_COLUMNS
    } else {
        PERSON_COLUMNS
    };
    let Some(id_column) = find_column(&header, id_names) else {
        errors.push(DataError::MissingColumn {
            file: file.clone(),
            column: id_names.first().copied().unwrap_or("户号").to_string(),
            found: header.join("、"),
            hint: if kind == HOUSEHOLD {
                "户籍的第一列通常是户号".to_string()
            } else {
                "名册要有「编号」列（每人一个编号），以及所属的「户号」".to_string()
            },
        });
        return register;
    };
    let household_column = (kind != HOUSEHOLD)
        .then(|| find_column(&header, HOUSEHOLD_COLUMNS))
        .flatten();
    let name_column = find_column(
        &header,
        if kind == HOUSEHOLD {
            HEAD_COLUMNS
        } else {
            NAME_COLUMNS
        },
    );
    let mut columns: Vec<Option<usize>> = Vec::new();
    for attribute in &attributes {
        let column = find_column(&header, &[attribute.name.as_str()]);
        if column.is_none() {
            errors.push(DataError::MissingColumn {
                file: file.clone(),
                column: attribute.name.clone(),
                found: header.join("、"),
                hint: format!(
                    "乡约声明了{}属性「{}」，每户（每人）都要有这一列",
                    register_label(compact, kind),
                    attribute.name
                ),
            });
        }
        columns.push(column);
    }
    let used: Vec<usize> = std::iter::once(id_column)
        .chain(household_column)
        .chain(name_column)
        .chain(columns.iter().flatten().copied())
        .collect();
    let ignored: Vec<String> = header
        .iter()
        .enumerate()
        .filter(|(i, h)| !used.contains(i) && !h.is_empty())
        .map(|(_, h)| format!("「{h}」"))
        .collect();
    if !ignored.is_empty() {
        warnings.push(DataWarning::IgnoredColumns {
            file: file.clone(),
            columns: ignored.join("、"),
        });
    }
    if columns.iter().any(Option::is_none) {
        return register;
    }
    let mut record = Cells::new();
    // The lines of ids whose rows were left out, to tell a repeat of them from a new id (the
    // ids kept are found in the register itself).
    let mut left_out: TextMap<u64> = TextMap::default();
    let mut codes: Vec<u32> = Vec::with_capacity(attributes.len());
    // Each attribute's cells as written → their codes: a register repeats few cell texts, and
    // a text read before needs neither reading nor checking again.
    let mut read_before: Vec<TextMap<u32>> = vec![TextMap::default(); attributes.len()];
    loop {
        let line = match table.read(&mut record) {
            Ok(Row::Cells(line)) => line,
            Ok(Row::Bad(_, error)) => {
                errors.push(error);
                continue;
            }
            Ok(Row::End) => break,
            Err(error) => {
                errors.push(error);
                break;
            }
        };
        let place = |column: usize| Place {
            file: file.clone(),
            line,
            column: header.get(column).cloned(),
        };
        let id = record.get(id_column).unwrap_or("").trim();
        if id.is_empty() {
            errors.push(DataError::MissingValue {
                place: place(id_column),
                hint: "每户（每人）都要有编号".to_string(),
            });
            continue;
        }
        let first_line = register
            .find(id)
            .and_then(|i| register.lines.get(i as usize).copied())
            .or_else(|| left_out.get(&*fold_width(id)).copied());
        if let Some(first_line) = first_line {
            errors.push(DataError::DuplicateSubject {
                place: place(id_column),
                value: id.to_string(),
                first_line,
            });
            continue;
        }
        let mut ok = true;
        codes.clear();
        for ((a, (attribute, column)), before) in attributes
            .iter()
            .zip(&columns)
            .enumerate()
            .zip(&mut read_before)
        {
            let column = column.unwrap_or(0);
            let text = record.get(column).unwrap_or("");
            if let Some(&code) = before.get(text) {
                codes.push(code);
                continue;
            }
            if attribute.ty == ValueType::Text {
                // As `parse_value` reads text (and `empty_value` an empty cell), without
                // making a copy of a value the register already has.
                let code = register.text_code(a, &normalize(text));
                before.insert(text.into(), code);
                codes.push(code);
                continue;
            }
            let value = if text.trim().is_empty() {
                empty_value(&attribute.ty)
            } else {
                parse_value(text, &attribute.ty)
            };
            match value {
                Some(v) if !super::value::within_limits(&v) => {
                    errors.extend(super::events::out_of_range(place(column), text, &v));
                    ok = false;
                }
                Some(v) if super::events::below_zero(&attribute.ty, &v) => {
                    errors.push(DataError::NegativeValue {
                        place: place(column),
                        value: text.trim().to_string(),
                        what: attribute.ty.describe(),
                        hint: format!(
                            "「{}」声明为{}；{}",
                            attribute.name,
                            attribute.ty.describe(),
                            super::events::NEGATIVE_HINT
                        ),
                    });
                    ok = false;
                }
                Some(v) => {
                    let code = register.code(a, v);
                    before.insert(text.into(), code);
                    codes.push(code);
                }
                None if text.trim().is_empty() => {
                    errors.push(DataError::MissingValue {
                        place: place(column),
                        hint: format!("填写{}", expected_words(&attribute.ty)),
                    });
                    ok = false;
                }
                None => {
                    errors.push(DataError::BadValue {
                        place: place(column),
                        value: text.trim().to_string(),
                        expected: expected_words(&attribute.ty),
                        hint: format!("「{}」声明为{}", attribute.name, attribute.ty.describe()),
                    });
                    ok = false;
                }
            }
        }
        let household = match (household_column, households) {
            (Some(column), Some(households)) => {
                let text = record.get(column).unwrap_or("").trim();
                if text.is_empty() {
                    None
                } else {
                    match households.find(text) {
                        Some(h) => Some(h),
                        // Its row had errors, reported there: no second error for each of its
                        // members.
                        None if households.left_out.contains_key(&*fold_width(text)) => {
                            ok = false;
                            None
                        }
                        None => {
                            errors.push(DataError::UnknownSubject {
                                place: place(column),
                                what: "户号".to_string(),
                                value: text.to_string(),
                                register: "户籍".to_string(),
                                suggestions: households.suggest(text),
                            });
                            ok = false;
                            None
                        }
                    }
                }
            }
            _ => None,
        };
        if ok {
            register.push_codes(id, &codes, line, household);
            if let Some(column) = name_column {
                register.name_last(record.get(column).unwrap_or(""));
            }
        } else {
            left_out.insert(fold_width(id).into(), line);
        }
    }
    register.left_out = left_out;
    register.finish_reading();
    register
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// Eight digits at once read as digit by digit; anything else is refused.
        #[test]
        fn eight_digits_read_as_one_by_one(text in "[0-9]{0,9}|[0-9/:a ]{0,9}") {
            let expected = (text.len() <= 8)
                .then(|| {
                    text.bytes().try_fold(0u64, |n, b| {
                        b.is_ascii_digit().then(|| n * 10 + u64::from(b - b'0'))
                    })
                })
                .flatten();
            prop_assert_eq!(super::eight_digits(text.as_bytes()), expected);
        }

        /// The digits at the end of an id read as the digits alone, whatever comes before.
        #[test]
        fn digits_at_end_read_as_the_digits_alone(
            prefix in "[A-Za-z0-9组-]{0,6}",
            digits in "[0-9]{0,9}|[0-9/:a ]{0,9}",
        ) {
            let id = format!("{prefix}{digits}");
            prop_assert_eq!(
                super::digits_at_end(id.as_bytes(), digits.len()),
                super::eight_digits(digits.as_bytes())
            );
        }
    }

    use super::*;
    use crate::compile::compile;

    fn compact() -> Compact {
        compile("乡约「甲」\n户籍 { 人口：整数；党员户：是否 }\n")
            .compact
            .unwrap_or_else(|| unreachable!())
    }

    /// Finding by number (ids of one pattern) and by hash (any ids) agree on every id.
    #[test]
    fn numbered_ids_are_found_like_any_others() {
        let probes = [
            "H0000001",
            "H0000002",
            "H0000010",
            "H0000003",
            "H000001",
            "H00000010",
            "h0000001",
            "H00000a1",
            "X0000001",
            "",
            "0000001",
            "H9999999",
            " H0000002 ",
            "三组-017",
            "三组-17",
            "17",
            "017",
            "018",
            "H0000000",
            "H0000004",
            "H0000005",
            "H0000007",
        ];
        let sets: [&[&str]; 9] = [
            &["H0000001", "H0000002", "H0000010"],
            &["三组-017", "三组-002"],
            &["017", "002", "999"],
            &["H0000001", "三组-017"],
            &["H0000001", "H9999999"],
            // In order without gaps: found by subtraction.
            &["H0000001", "H0000002", "H0000003"],
            &["H0000005", "H0000006", "H0000007"],
            &["H0000002", "H0000001", "H0000003"],
            &["H0000001", "H0000002", "H0000002"],
        ];
        let consecutive = [false, false, false, false, false, true, true, false, false];
        for ((set, numbered), consecutive) in sets
            .iter()
            .zip([true, true, true, false, false, true, true, true, true])
            .zip(consecutive)
        {
            let mut register = Register::empty(HOUSEHOLD, 0, "户籍.csv");
            for id in set.iter() {
                register.push(id, Vec::new(), 1, None);
            }
            assert_eq!(register.numbered.is_some(), numbered, "{set:?}");
            assert_eq!(
                register
                    .numbered
                    .as_ref()
                    .is_some_and(|n| n.consecutive.is_some()),
                consecutive,
                "{set:?}"
            );
            let by_hash: TextMap<u32> = (0u32..)
                .zip(set.iter())
                .map(|(i, id)| ((*id).into(), i))
                .collect();
            for probe in probes {
                let by_hash = by_hash.get(probe.trim()).copied();
                assert_eq!(register.find(probe), by_hash, "{set:?} {probe}");
            }
        }
    }

    #[test]
    fn reads_a_register_and_reports_every_bad_row() {
        let compact = compact();
        let mut table = TableReader::from_csv_text(
            "户号,人口,党员户,姓名\nA1,4,是,张\nA2,三,,李\nA3,很多,否,王\nA1,2,否,赵\n,1,否,钱\n",
            "户籍.csv",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let (mut errors, mut warnings) = (Vec::new(), Vec::new());
        let register = read_register(
            &mut table,
            &compact,
            HOUSEHOLD,
            None,
            &mut errors,
            &mut warnings,
        );
        assert_eq!(register.ids().collect::<Vec<_>>(), ["A1", "A2"]);
        assert_eq!(register.value(1, 0), Some(&FieldValue::Number(3.into())));
        // An empty yes/no cell means 否.
        assert_eq!(register.value(1, 1), Some(&FieldValue::Bool(false)));
        let codes: Vec<(String, u64)> = errors.iter().map(|e| (e.code(), e.line())).collect();
        assert_eq!(
            codes,
            [
                ("E0206".into(), 4),
                ("E0209".into(), 5),
                ("E0207".into(), 6)
            ]
        );
        assert_eq!(warnings.len(), 1, "the 姓名 column is reported as unused");
    }

    #[test]
    fn members_of_a_household_left_out_for_its_errors_are_not_reported_again() {
        let compact = compile("乡约「甲」\n户籍 { 人口：整数 }\n名册 党员 { 姓名：文本 }\n")
            .compact
            .unwrap_or_else(|| unreachable!());
        let (mut errors, mut warnings) = (Vec::new(), Vec::new());
        let mut table = TableReader::from_csv_text("户号,人口\nA1,4\nA2,很多\n", "户籍.csv")
            .unwrap_or_else(|e| panic!("{e}"));
        let households = read_register(
            &mut table,
            &compact,
            HOUSEHOLD,
            None,
            &mut errors,
            &mut warnings,
        );
        let mut table = TableReader::from_csv_text(
            "编号,姓名,户号\nP1,张,A2\nP2,李,A2\nP3,王,A9\nP4,赵,A1\n",
            "党员.csv",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let roster = read_register(
            &mut table,
            &compact,
            1,
            Some(&households),
            &mut errors,
            &mut warnings,
        );
        let codes: Vec<(String, String, u64)> = errors
            .iter()
            .map(|e| (e.code(), e.file().to_string(), e.line()))
            .collect();
        // A2's bad row once; A9, which is nowhere, once; nothing for P1 and P2.
        assert_eq!(
            codes,
            [
                ("E0206".into(), "户籍.csv".into(), 3),
                ("E0203".into(), "党员.csv".into(), 4)
            ]
        );
        assert_eq!(roster.ids().collect::<Vec<_>>(), ["P4"]);
    }

    #[test]
    fn a_missing_declared_column_is_an_error_for_the_whole_file() {
        let compact = compact();
        let mut table = TableReader::from_csv_text("户号,人口\nA1,4\n", "户籍.csv")
            .unwrap_or_else(|e| panic!("{e}"));
        let (mut errors, mut warnings) = (Vec::new(), Vec::new());
        let register = read_register(
            &mut table,
            &compact,
            HOUSEHOLD,
            None,
            &mut errors,
            &mut warnings,
        );
        assert!(register.is_empty());
        assert_eq!(
            errors.first().map(DataError::code).as_deref(),
            Some("E0202")
        );
    }

    #[test]
    fn the_head_of_a_household_is_kept_declared_or_not() {
        let compact = crate::compile::compile(
            "乡约「甲」\n户籍 { 人口：整数 }\n第一条 基础\n  每户 加 人口 × 1 分。\n",
        )
        .compact
        .unwrap();
        let mut table = crate::data::TableReader::from_csv_text(
            "户号,户主,人口\nA1,张三,2\nA2,,3\nA3, 李四 ,1\n",
            "户籍.csv",
        )
        .unwrap();
        let (mut errors, mut warnings) = (Vec::new(), Vec::new());
        let register =
            super::read_register(&mut table, &compact, 0, None, &mut errors, &mut warnings);
        assert!(errors.is_empty(), "{errors:?}");
        assert!(
            warnings.is_empty(),
            "户主 is used, not an ignored column: {warnings:?}"
        );
        let names: Vec<_> = (0..3).map(|s| register.name(s)).collect();
        assert_eq!(names, [Some("张三"), None, Some("李四")]);
    }
}
