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

/// Parses a compact's text into its AST, or returns every syntax error found.
pub fn parse(source: &str) -> Result<ast::SourceFile, Vec<SyntaxError>> {
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
