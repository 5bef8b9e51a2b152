//! 乡约 xiangyue — a language for Chinese village compacts (村规民约) and their points systems.

pub mod book;
pub mod check;
pub mod cli;
pub mod compile;
pub mod data;
pub mod diagnostic;
pub mod diff;
pub mod eval;
pub mod fmt;
pub mod lsp;
pub mod model;
pub mod report;
pub mod syntax;
pub mod synth;
