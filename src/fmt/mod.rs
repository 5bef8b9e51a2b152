//! AST (+ comments) → canonical text.

mod numeral;

pub use numeral::chinese_numeral;
