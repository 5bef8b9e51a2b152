//! The register the evaluator runs on: the subjects of one kind (households, or the persons of
//! a roster) with their attribute values. Pure data: `data::register` reads files into it.

use compact_str::CompactString;
use rustc_hash::FxHashMap;

use super::value::FieldValue;
use super::width::{fold_width, may_fold};
use super::{KindId, TextMap};

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
    pub(crate) numbered: Option<NumberedIds>,
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
    #[cfg_attr(
        not(feature = "native"),
        allow(dead_code, reason = "used by the readers in data")
    )]
    pub(crate) left_out: TextMap<u64>,
}

/// The code of a missing attribute value.
pub(crate) const NO_VALUE: u32 = u32::MAX;

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
    #[cfg_attr(
        not(feature = "native"),
        allow(dead_code, reason = "used by the readers in data")
    )]
    pub(crate) fn name_last(&mut self, name: &str) {
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
    pub(crate) fn code(&mut self, attribute: usize, value: FieldValue) -> u32 {
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
    #[cfg_attr(
        not(feature = "native"),
        allow(dead_code, reason = "used by the readers in data")
    )]
    pub(crate) fn text_code(&mut self, attribute: usize, text: &str) -> u32 {
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
    pub(crate) fn push_codes(
        &mut self,
        id: &str,
        codes: &[u32],
        line: u64,
        household: Option<u32>,
    ) -> u32 {
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
    #[cfg_attr(
        not(feature = "native"),
        allow(dead_code, reason = "used by the readers in data")
    )]
    pub(crate) fn finish_reading(&mut self) {
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
        let id = super::width::trim_cell(id);
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
pub(crate) struct NumberedIds {
    prefix: String,
    digits: usize,
    /// Subject index by number; `NONE` where no id has that number.
    by_number: Vec<u32>,
    /// While the ids come in order without gaps (H0000001, H0000002, …): the first number.
    /// An id's subject is then its number minus this — no table to read, no cache miss.
    pub(crate) consecutive: Option<u64>,
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
pub(crate) fn digits_at_end(id: &[u8], digits: usize) -> Option<u64> {
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
