//! What every diagnostic shares, whatever its phase: quick fixes, severity, and a plain data
//! form for `--error-format json` and editors.
//!
//! Each phase has its own error enum (`SyntaxError`, `CheckError`, `CheckWarning`, …) deriving
//! [`miette::Diagnostic`]; [`Report`] flattens any of them into data with line and column
//! positions, so that renderers (in `cli`) never look inside a phase's types.

use miette::Diagnostic;
use serde::Serialize;

pub mod render;

use crate::syntax::{LineIndex, Position, Span};

/// A replacement an editor can apply to fix a diagnostic ("did you mean").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// The text to replace.
    pub span: Span,
    /// What to put there.
    pub replacement: String,
}

/// Error or warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Stops the compact from being used (exit 1).
    Error,
    /// Worth a look; the compact still works.
    Warning,
}

/// A labelled place of a diagnostic, with positions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportLabel {
    /// The label's text.
    pub message: String,
    /// Byte span.
    pub span: Span,
    /// Where it starts.
    pub start: Position,
    /// Where it ends.
    pub end: Position,
}

/// A diagnostic as plain data: what `--error-format json` prints and editors consume.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Stable code (E0101, W0103 …).
    pub code: String,
    /// Error or warning.
    pub severity: Severity,
    /// One sentence, in Chinese.
    pub message: String,
    /// The places it points at.
    pub labels: Vec<ReportLabel>,
    /// What to do.
    pub help: Option<String>,
    /// A quick fix, when there is an obvious one.
    pub fix: Option<Fix>,
}

impl Report {
    /// Flattens a diagnostic, computing positions in `source`.
    pub fn new(
        diagnostic: &dyn Diagnostic,
        fix: Option<Fix>,
        source: &str,
        index: &LineIndex,
    ) -> Report {
        let severity = match diagnostic.severity() {
            Some(miette::Severity::Warning) | Some(miette::Severity::Advice) => Severity::Warning,
            _ => Severity::Error,
        };
        let labels = diagnostic
            .labels()
            .map(|labels| {
                labels
                    .map(|label| {
                        let start = label.offset();
                        let end = start + label.len();
                        let span = Span::new(start, end);
                        ReportLabel {
                            message: label.label().unwrap_or_default().to_string(),
                            span,
                            start: index.position(source, span.start),
                            end: index.position(source, span.end),
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        Report {
            code: diagnostic.code().map(|c| c.to_string()).unwrap_or_default(),
            severity,
            message: diagnostic.to_string(),
            labels,
            help: diagnostic.help().map(|h| h.to_string()),
            fix,
        }
    }
}
