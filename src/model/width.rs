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
