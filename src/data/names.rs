//! The 事项 names of a compact, looked up for every record of a log: a small open-addressing
//! table keyed by a name's length and its first and last eight bytes, which decide a name of
//! up to sixteen bytes (a 事项 name of five Chinese characters) without hashing it byte by byte
//! or comparing memory; longer names are compared in full.

use std::borrow::Cow;

use crate::model::EventId;
use crate::model::width::{fold_width, may_fold};

/// A name's length with its first and last eight bytes (zero-padded when shorter).
type Key = (u64, u64, usize);

/// Names to event kinds.
#[derive(Debug, Clone, Default)]
pub struct NameTable {
    /// Each slot empty (0) or an entry's index + 1; a power of two long.
    slots: Vec<u32>,
    entries: Vec<(Key, Box<str>, EventId)>,
}

impl NameTable {
    /// The table of `names`; of two equal names the first counts. Names are compared after
    /// width folding (`低于８５％` is `低于85%`, see [`fold_width`]).
    pub fn new<'n>(names: impl IntoIterator<Item = (&'n str, EventId)>) -> Self {
        let mut table = NameTable::default();
        let folded: Vec<(Cow<'n, str>, EventId)> = names
            .into_iter()
            .map(|(name, id)| (fold_width(name), id))
            .collect();
        let names: Vec<(&str, EventId)> = folded.iter().map(|(n, id)| (&**n, *id)).collect();
        // At most half full: a probe ends at an empty slot soon.
        let size = (names.len() * 2).next_power_of_two().max(8);
        table.slots = vec![0; size];
        for (name, id) in names {
            if table.get_folded(name).is_some() {
                continue;
            }
            let key = key(name.as_bytes());
            let mut at = slot_of(key, size);
            while table.slots.get(at).is_some_and(|&s| s != 0) {
                at = (at + 1) & (size - 1);
            }
            table.entries.push((key, name.into(), id));
            if let Some(slot) = table.slots.get_mut(at) {
                *slot = u32::try_from(table.entries.len()).unwrap_or(u32::MAX);
            }
        }
        table
    }

    /// The event kind named `name`, compared width-folded. The names in the table are
    /// folded, so a name found as written holds no full-width form and would fold to itself:
    /// only a name not found is folded and looked up again (when it may hold one).
    pub fn get(&self, name: &str) -> Option<EventId> {
        match self.get_folded(name) {
            Some(id) => Some(id),
            None if may_fold(name) => self.get_folded(&fold_width(name)),
            None => None,
        }
    }

    /// The event kind named `name`, already folded.
    #[inline(always)]
    fn get_folded(&self, name: &str) -> Option<EventId> {
        let bytes = name.as_bytes();
        let wanted = key(bytes);
        let mask = self.slots.len().checked_sub(1)?;
        let mut at = slot_of(wanted, self.slots.len());
        loop {
            let entry = match self.slots.get(at) {
                Some(0) | None => return None,
                Some(&slot) => self.entries.get(slot as usize - 1)?,
            };
            let (key, text, id) = entry;
            if *key == wanted && (bytes.len() <= 16 || text.as_bytes() == bytes) {
                return Some(*id);
            }
            at = (at + 1) & mask;
        }
    }
}

fn key(bytes: &[u8]) -> Key {
    let head = bytes.get(..8).map_or_else(|| padded(bytes), word);
    let tail = bytes
        .get(bytes.len().saturating_sub(8)..)
        .filter(|t| t.len() == 8)
        .map_or(head, word);
    (head, tail, bytes.len())
}

fn word(eight: &[u8]) -> u64 {
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(eight);
    u64::from_le_bytes(bytes)
}

fn padded(short: &[u8]) -> u64 {
    short
        .iter()
        .rev()
        .fold(0u64, |word, &byte| (word << 8) | u64::from(byte))
}

fn slot_of((head, tail, len): Key, size: usize) -> usize {
    let mixed = (head ^ tail.rotate_left(29) ^ len as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (mixed >> 32) as usize & (size - 1)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use proptest::prelude::*;

    use super::NameTable;

    #[test]
    fn names_of_every_length_are_found_and_others_are_not() {
        let names = [
            "义务投工",
            "党员公益活动",
            "环境卫生评比",
            "缺席村民会议",
            "a",
            "ab",
            "abcdefgh",
            "abcdefghi",
            "abcdefghXbcdefgh",
            "abcdefghYbcdefgh",
            "abcdefghXYbcdefgh",
            "abcdefghYXbcdefgh",
            "很长很长的事项名称第一种",
            "很长很长的事项名称第二种",
        ];
        let table = NameTable::new(names.iter().enumerate().map(|(i, n)| (*n, i)));
        for (i, name) in names.iter().enumerate() {
            assert_eq!(table.get(name), Some(i), "{name}");
        }
        for absent in [
            "",
            "义务投",
            "义务投工 ",
            "abcdefghZbcdefgh",
            "abcdefghXXbcdefgh",
            "很长很长的事项名称第三种",
            "abc",
        ] {
            assert_eq!(table.get(absent), None, "{absent}");
        }
        assert_eq!(NameTable::new([]).get("义务投工"), None);
        // Full-width forms are the same names, both ways.
        let widths = NameTable::new([("低于85%", 1), ("Ｂ级", 2)]);
        assert_eq!(widths.get("低于８５％"), Some(1));
        assert_eq!(widths.get("低于85%"), Some(1));
        assert_eq!(widths.get("B级"), Some(2));
        // Of two equal names the first counts.
        assert_eq!(NameTable::new([("甲", 3), ("甲", 4)]).get("甲"), Some(3));
    }

    proptest! {
        /// Found exactly as a hash map finds them, on names from a small alphabet (so that
        /// many share a length, a beginning and an end).
        #[test]
        fn lookups_agree_with_a_hash_map(
            names in prop::collection::vec("[ab投工]{0,12}", 0..40),
            probes in prop::collection::vec("[ab投工]{0,12}", 0..40),
        ) {
            let mut map = HashMap::new();
            for (i, name) in names.iter().enumerate() {
                map.entry(name.clone()).or_insert(i);
            }
            let table = NameTable::new(names.iter().enumerate().map(|(i, n)| (n.as_str(), i)));
            for probe in probes.iter().chain(&names) {
                prop_assert_eq!(table.get(probe), map.get(probe).copied(), "{}", probe);
            }
        }
    }
}
