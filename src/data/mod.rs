//! Registers and event logs: reading them from CSV, JSON Lines and XLSX files and validating
//! every row against the compact's declarations.
//!
//! This is the one module besides `cli` that touches files. It never drops a bad row in
//! silence: every error names the file, line, column and value, and what was expected.

#![allow(
    clippy::result_large_err,
    reason = "a data error names file, line, column, value and hint; errors are the rare path"
)]

pub mod cells;
pub mod chunks;
mod csv_rows;
pub mod error;
pub mod events;
mod names;
pub mod register;
pub mod repeats;
pub mod table;
pub mod value;

pub use cells::Cells;
pub use error::{DataError, DataWarning, Place};
pub use events::{EventReader, EventRecord, Next, Status};
pub use register::{Register, read_register};
pub use table::{Encoding, ReadOptions, TableReader};
pub use value::{Day, FieldValue};

/// A map keyed by text (户号, 事项 names). Keys up to 24 bytes are stored inside the table
/// (no pointer to follow, so a lookup among 200,000 households costs one cache miss, not
/// two), hashed by foldhash with a fixed seed (fast on short strings, same results every run).
pub type TextMap<V> =
    std::collections::HashMap<compact_str::CompactString, V, foldhash::fast::FixedState>;
