//! 乡约 xiangyue — a language for Chinese village compacts (村规民约) and their points systems.
//!
//! The core (`syntax`, `check`, `model`, `eval`, `diff`, `fmt`, `report`, `diagnostic`,
//! `compile`, `synth`) is pure: no files, no threads, no allocator choice; it builds for
//! `wasm32-unknown-unknown` with `--no-default-features`. The `native` feature (on by default)
//! adds `data` (reading registers and logs), `book` (the SQLite book), `cli`, the results
//! workbook and evaluating on several threads.

#[cfg(feature = "native")]
pub mod book;
pub mod check;
#[cfg(feature = "native")]
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
#[cfg(feature = "native")]
pub mod server;
pub mod syntax;
pub mod synth;
