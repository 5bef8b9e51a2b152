//! Finding a file's comments (`#` or `＃` to the end of the line) for the formatter.
//!
//! The main grammar skips comments. This scan finds them again, stepping over quoted text
//! (「…」, “…”, 『…』, "…" on one line, as the grammar reads them) and over 原文 lines, so that a
//! 「#」 inside them is not taken for a comment.

use super::span::{Span, Spanned};

/// The comments of `source`, in order, without their `#` marker and trailing spaces.
pub(crate) fn comments(source: &str) -> Vec<Spanned<String>> {
    let mut found = Vec::new();
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        if let Some(at) = comment_start(content) {
            let text = content.get(at..).unwrap_or("").trim_end();
            let marker = if text.starts_with('#') { '#' } else { '＃' };
            let body = text.get(marker.len_utf8()..).unwrap_or("");
            found.push(Spanned::new(
                body.to_string(),
                Span::new(start + at, start + at + text.len()),
            ));
        }
    }
    found
}

/// Where a comment starts on one line, if it has one.
fn comment_start(line: &str) -> Option<usize> {
    let mut closing: Option<char> = None;
    for (i, c) in line.char_indices() {
        if let Some(close) = closing {
            if c == close {
                closing = None;
            }
            continue;
        }
        match c {
            '#' | '＃' => return Some(i),
            '「' => closing = Some('」'),
            '“' => closing = Some('”'),
            '『' => closing = Some('』'),
            '"' => closing = Some('"'),
            '原' if line.get(i..).is_some_and(is_prose_start) => return None,
            _ => {}
        }
    }
    None
}

/// 原文 followed by a colon: the rest of the line is prose.
fn is_prose_start(rest: &str) -> bool {
    rest.strip_prefix("原文")
        .map(|after| after.trim_start_matches([' ', '\t', '\u{3000}']))
        .is_some_and(|after| after.starts_with(':') || after.starts_with('：'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_skip_quotes_and_prose() {
        let source = "# 甲\n乡约「一#二」\n  原文：三#四\n＃ 乙 \n版本“#”  #丙\n";
        let found: Vec<String> = comments(source).into_iter().map(|c| c.node).collect();
        assert_eq!(
            found,
            vec![" 甲".to_string(), " 乙".to_string(), "丙".to_string()]
        );
    }

    #[test]
    fn an_unclosed_quote_hides_the_rest_of_its_line_only() {
        let source = "版本「甲 #乙\n# 丙\n";
        let found: Vec<String> = comments(source).into_iter().map(|c| c.node).collect();
        assert_eq!(found, vec![" 丙".to_string()]);
    }
}
