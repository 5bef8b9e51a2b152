//! Text → AST: the grammar, lowering, comments and positions.
//!
//! `parse` is the entry point. Nothing outside this module sees pest's types; the rest of the
//! crate works on [`ast::SourceFile`].

pub mod ast;
mod comments;
mod error;
mod expected;
mod lower;
pub mod numeral;
pub(crate) mod parser;
pub use parser::{NameContext, name_reads_bare, value_reads_bare};
mod span;

pub use error::SyntaxError;
pub use span::{LineIndex, Position, Span, Spanned};

/// How deeply parentheses may nest in a condition.
pub const MAX_NESTING: usize = 16;

/// Parses a compact's text into its AST, or returns every syntax error found.
pub fn parse(source: &str) -> Result<ast::SourceFile, Vec<SyntaxError>> {
    if let Some(error) = too_deep(source) {
        return Err(vec![error]);
    }
    let pair = parser::parse_file(source)?;
    let mut lowerer = lower::Lowerer::new();
    let mut file = lowerer.file(pair);
    let errors = lowerer.finish();
    if !errors.is_empty() {
        return Err(errors);
    }
    file.comments = comments::comments(source);
    Ok(file)
}

/// The first parenthesis nested more than [`MAX_NESTING`] deep, outside quotes and 原文 lines.
/// Checked before parsing, so that neither the parser nor the checker recurses without bound.
fn too_deep(source: &str) -> Option<SyntaxError> {
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        if line.trim_start().starts_with("原文") {
            continue;
        }
        let mut depth: usize = 0;
        let mut in_quote = false;
        for (i, c) in line.char_indices() {
            match c {
                '「' | '“' | '『' => in_quote = true,
                '」' | '”' | '』' => in_quote = false,
                '#' | '＃' if !in_quote => break,
                '(' | '（' if !in_quote => {
                    depth += 1;
                    if depth > MAX_NESTING {
                        return Some(SyntaxError::TooDeep {
                            span: Span::new(start + i, start + i + c.len_utf8()),
                            limit: MAX_NESTING,
                        });
                    }
                }
                ')' | '）' if !in_quote => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    None
}
