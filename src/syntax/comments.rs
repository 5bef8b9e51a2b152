//! Finding a file's comments (`#` or `＃` to the end of the line) for the formatter.
//!
//! The main grammar skips comments. This pass reads the file once more with a small grammar of
//! its own (`comment_scan`) that steps over quoted text and 原文 prose, so that a 「#」 inside
//! them is not taken for a comment.

use super::parser::{Rule, parse_rule};
use super::span::{Span, Spanned};

/// The comments of `source`, in order, without their `#` marker and trailing spaces.
pub(crate) fn comments(source: &str) -> Vec<Spanned<String>> {
    let Ok(pairs) = parse_rule(Rule::comment_scan, source) else {
        return Vec::new();
    };
    pairs
        .flatten()
        .filter(|pair| pair.as_rule() == Rule::comment)
        .map(|pair| {
            let text = pair.as_str();
            let body = text
                .strip_prefix('#')
                .or_else(|| text.strip_prefix('＃'))
                .unwrap_or(text)
                .trim_end();
            let start = pair.as_span().start();
            Spanned::new(body.to_string(), Span::new(start, start + text.trim_end().len()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_skip_quotes_and_prose() {
        let source = "# 甲\n乡约「一#二」\n原文：三#四\n＃ 乙 \n";
        let found: Vec<String> = comments(source).into_iter().map(|c| c.node).collect();
        assert_eq!(found, vec![" 甲".to_string(), " 乙".to_string()]);
    }
}
