//! Width folding of names: 事项, 名册 and 户号 written with full-width digits, Latin letters
//! or marks (`低于８５％`, `Ａ001`) are the same names as with ASCII ones (`低于85%`, `A001`).
//! The compact's declarations, its references and the data's cells are all compared after
//! this fold.
//!
//! Only the full-width forms of ASCII (U+FF01–U+FF5E) are folded — what an input method's
//! 全角/半角 switch changes. Full Unicode NFKC would also turn ① into 1, ㈠ into (一), ² into 2
//! and ㎡ into m2, which are different names to a clerk; so the fold is written here rather
//! than taken from a normalisation crate.

use std::borrow::Cow;

/// `text` with its full-width ASCII forms made ASCII. Text without any (every byte of those
/// forms' UTF-8 starts with 0xEF) is returned as it is, without a copy.
pub fn fold_width(text: &str) -> Cow<'_, str> {
    if !may_fold(text) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().map(fold_char).collect())
}

/// Whether `text` may hold a character that [`fold_width`] changes (a byte 0xEF).
pub fn may_fold(text: &str) -> bool {
    memchr::memchr(0xEF, text.as_bytes()).is_some()
}

fn fold_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// `text` without leading and trailing whitespace, as [`str::trim`] gives it, but without
/// decoding any character when the first and last are plainly not whitespace — almost every
/// cell of a log, and read several times a record.
pub fn trim_cell(text: &str) -> &str {
    let bytes = text.as_bytes();
    match (bytes.first(), bytes.last()) {
        (None, _) | (_, None) => text,
        (Some(&first), Some(&last)) if plain_start(first) && plain_end(bytes, last) => text,
        _ => text.trim(),
    }
}

/// Whether a character starting with `byte` cannot be whitespace: ASCII past the space, or
/// the first byte of a character outside U+0080–U+07FF, U+1000–U+3FFF (Unicode's whitespace
/// beyond ASCII — U+0085, U+00A0, U+1680, U+2000–U+205F, U+3000 — starts with C2, E1, E2 or E3).
/// One load from a table made at compile time.
pub(crate) fn plain_start(byte: u8) -> bool {
    PLAIN_START.get(usize::from(byte)).copied().unwrap_or(false)
}

#[allow(
    clippy::indexing_slicing,
    reason = "made at compile time: the loop stays inside the table"
)]
const PLAIN_START: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = (byte >= 0x21 && byte < 0x80)
            || (byte >= 0xC0 && byte != 0xC2 && byte != 0xE1 && byte != 0xE2 && byte != 0xE3);
        byte += 1;
    }
    table
};

/// Whether the last character of `bytes` (ending in `last`) cannot be whitespace. Past ASCII,
/// only a character led by C2 (two bytes) or E1–E3 (three) can be: in UTF-8 the byte two before
/// the end is C2 only as a two-byte character's lead, and the byte three before is E1–E3 only
/// as a three-byte one's.
pub(crate) fn plain_end(bytes: &[u8], last: u8) -> bool {
    if last < 0x80 {
        return last > 0x20;
    }
    let back = |n: usize| {
        bytes
            .len()
            .checked_sub(n)
            .and_then(|at| bytes.get(at))
            .copied()
    };
    !(back(2) == Some(0xC2) || matches!(back(3), Some(0xE1..=0xE3)))
}

#[cfg(test)]
mod tests {
    use super::fold_width;

    #[test]
    fn full_width_ascii_folds_and_nothing_else_does() {
        assert_eq!(fold_width("低于８５％"), "低于85%");
        assert_eq!(fold_width("Ａ００１"), "A001");
        assert_eq!(fold_width("（归）"), "(归)");
        // Not full-width forms of ASCII: kept.
        for kept in ["①", "㈠", "m²", "㎡", "义务投工", "", "。、"] {
            assert_eq!(fold_width(kept), kept);
        }
        assert!(matches!(
            fold_width("义务投工"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
