//! Registers and event logs: reading them from CSV, JSON Lines and XLSX and validating every
//! row against the compact's declarations.
//!
//! Reading text already in memory — CSV text, or rows of cells — is pure and part of the core
//! (the browser workbench reads its files through it); `files`, behind `native`, opens files
//! (encodings, workbooks) and hands them to the same reader, and `chunks` checks a log's chunks
//! on several threads. It never drops a bad row in silence: every error names the file, line,
//! column and value, and what was expected.

#![allow(
    clippy::result_large_err,
    reason = "a data error names file, line, column, value and hint; errors are the rare path"
)]

pub mod cells;
pub mod chunks;
mod csv_rows;
pub mod error;
pub mod events;
#[cfg(feature = "native")]
mod files;
mod names;
pub mod register;
pub mod repeats;
pub mod table;
mod template_names;
#[cfg(feature = "native")]
mod templates;

pub use crate::model::Register;
pub use crate::model::record::{self, EventRecord, FieldValues, Status};
pub use crate::model::value::{self, Day, FieldValue};
pub use cells::Cells;
pub use error::{DataError, DataWarning, Place};
pub use events::{EventReader, Next};
#[cfg(feature = "native")]
pub use files::EncodedWriter;
pub use register::read_register;
pub use table::{Encoding, ReadOptions, TableReader};
pub use template_names::{is_template_named, template_title};
#[cfg(feature = "native")]
pub use templates::{LoadedCompact, find_template, load_compact_with_template};

pub use crate::model::TextMap;
