//! Printing what is wrong with registers and event logs: warnings, then errors (at most
//! [`SCREEN_LIMIT`] on screen), then one summary line saying what was not computed; or, with
//! `--error-format json`, one JSON document on stdout (see docs/json.md).

use miette::Diagnostic;
use serde::Serialize;

use super::ErrorFormat;
use crate::data::{DataError, DataWarning};

/// How many errors are printed for people; the rest are counted.
pub const SCREEN_LIMIT: usize = 200;

/// How many errors are kept for printing at all (the JSON lists this many).
pub const KEEP_LIMIT: usize = 1000;

/// Errors found in a village's tables, and what they stopped.
pub struct DataProblems<'a> {
    /// The errors kept (at most [`KEEP_LIMIT`]).
    pub errors: &'a [DataError],
    /// Every error found, kept or not.
    pub error_count: u64,
    /// Warnings.
    pub warnings: &'a [DataWarning],
    /// For an event log: how many records had errors.
    pub bad_records: Option<u64>,
    /// `--strict`: the warnings are errors (listed and counted as errors).
    pub strict: bool,
    /// The last line for people: what was not computed and what to do.
    pub summary: String,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    diagnostics: Vec<JsonItem<'a>>,
    error_count: u64,
    listed_errors: usize,
    bad_records: Option<u64>,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    code: String,
    severity: &'static str,
    message: String,
    file: &'a str,
    line: Option<u64>,
    column: Option<&'a str>,
    help: Option<String>,
}

impl DataProblems<'_> {
    /// Prints the problems: for people on stderr, JSON on stdout.
    pub fn print(&self, format: ErrorFormat) {
        match format {
            ErrorFormat::Json => println!("{}", self.to_json()),
            _ => {
                if self.strict {
                    print_warnings_as_errors(self.warnings);
                } else {
                    print_warnings(self.warnings);
                }
                for error in self.errors.iter().take(SCREEN_LIMIT) {
                    eprintln!("错误[{}] {error}", error.code());
                    if let Some(help) = error.help() {
                        eprintln!("  提示：{help}");
                    }
                }
                let shown = self.errors.len().min(SCREEN_LIMIT) as u64;
                if self.error_count > shown {
                    eprintln!("……另有 {} 个错误未列出", self.error_count - shown);
                }
                eprintln!("{}", self.summary);
            }
        }
    }

    /// The JSON document: warnings and errors in one list, like `check`'s diagnostics.
    fn to_json(&self) -> String {
        let warnings_len = self.warnings.len() as u64;
        let warnings = self.warnings.iter().map(|w| JsonItem {
            code: w.code().to_string(),
            severity: if self.strict { "error" } else { "warning" },
            message: w.to_string(),
            file: w.file(),
            line: None,
            column: None,
            help: w.help().map(|h| h.to_string()),
        });
        let errors = self.errors.iter().map(|e| JsonItem {
            code: e.code(),
            severity: "error",
            message: e.to_string(),
            file: e.file(),
            line: Some(e.line()).filter(|l| *l > 0),
            column: e.column(),
            help: e.help().map(|h| h.to_string()),
        });
        let report = JsonReport {
            diagnostics: warnings.chain(errors).collect(),
            error_count: self.error_count + if self.strict { warnings_len } else { 0 },
            listed_errors: self.errors.len() + if self.strict { self.warnings.len() } else { 0 },
            bad_records: self.bad_records,
        };
        serde_json::to_string_pretty(&report).unwrap_or_default()
    }
}

/// Prints warnings as errors (`--strict`), on stderr.
fn print_warnings_as_errors(warnings: &[DataWarning]) {
    for warning in warnings {
        eprintln!("错误[{}] {warning}", warning.code());
        if let Some(help) = warning.help() {
            eprintln!("  提示：{help}");
        }
        eprintln!("  提示：--strict 把这条警告当作错误");
    }
}

/// Prints warnings for people, on stderr (also when the results go to stdout as JSON).
pub fn print_warnings(warnings: &[DataWarning]) {
    for warning in warnings {
        eprintln!("警告[{}] {warning}", warning.code());
        if let Some(help) = warning.help() {
            eprintln!("  提示：{help}");
        }
    }
}
