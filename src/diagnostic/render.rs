//! Rendering diagnostics as text: `human` (miette's graphical report with the source),
//! `plain` (one line each, file:line:column) and `json` (the data of [`Report`]). Returns
//! strings; printing is the command line's job.

use std::fmt;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, NamedSource};
use serde::Serialize;

use super::{Report, Severity};
use crate::compile::Problem;
use crate::syntax::LineIndex;

/// A diagnostic with its source attached, for miette's renderer.
struct WithSource<'a> {
    inner: &'a dyn Diagnostic,
    source: &'a NamedSource<String>,
}

impl fmt::Debug for WithSource<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.inner, f)
    }
}

impl fmt::Display for WithSource<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.inner, f)
    }
}

impl std::error::Error for WithSource<'_> {}

impl Diagnostic for WithSource<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.code()
    }
    fn severity(&self) -> Option<miette::Severity> {
        self.inner.severity()
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.help()
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        self.inner.labels()
    }
}

/// Renders diagnostics as people read them, with the source lines and underlines.
/// `color` is decided by the caller (a terminal, and no NO_COLOR).
pub fn render_human(problems: &[Problem], file: &str, source: &str, color: bool) -> String {
    let named = NamedSource::new(file, source.to_string());
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false);
    let index = LineIndex::new(source);
    let mut out = String::new();
    for problem in problems {
        let wrapped = WithSource {
            inner: problem.diagnostic(),
            source: &named,
        };
        let mut one = String::new();
        let _ = handler.render_report(&mut one, &wrapped);
        out.push_str(&character_columns(&one, problem, file, source, &index));
        out.push('\n');
    }
    out
}

/// miette's header `[file:line:column]` counts the column in bytes; people count characters.
fn character_columns(
    rendered: &str,
    problem: &Problem,
    file: &str,
    source: &str,
    index: &LineIndex,
) -> String {
    let report = problem.report(source, index);
    let Some(label) = report.labels.first() else {
        return rendered.to_string();
    };
    let line_start = source
        .get(..label.span.start as usize)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |i| i + 1);
    let byte_column = label.span.start as usize - line_start + 1;
    let miette_header = format!("[{file}:{}:{byte_column}]", label.start.line);
    let our_header = format!("[{file}:{}:{}]", label.start.line, label.start.char_column);
    rendered.replacen(&miette_header, &our_header, 1)
}

/// Renders one line per diagnostic: `file:line:column: 错误[E0101] message：label` and a help line.
pub fn render_plain(problems: &[Problem], file: &str, source: &str) -> String {
    let index = LineIndex::new(source);
    let mut out = String::new();
    for problem in problems {
        let report = problem.report(source, &index);
        let (line, column) = report
            .labels
            .first()
            .map(|l| (l.start.line, l.start.char_column))
            .unwrap_or((1, 1));
        let severity = match report.severity {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        };
        let label = report
            .labels
            .first()
            .filter(|l| adds_information(&l.message, &report.message))
            .map(|l| format!("（{}）", l.message))
            .unwrap_or_default();
        out.push_str(&format!(
            "{file}:{line}:{column}: {severity}[{}] {}{label}\n",
            report.code, report.message
        ));
        if let Some(help) = &report.help {
            out.push_str(&format!("  提示：{help}\n"));
        }
    }
    out
}

/// Whether a label says something the message does not: it quotes words (「…」) that the
/// message does not already quote. Labels such as 「这一条」 only make sense under an underline.
fn adds_information(label: &str, message: &str) -> bool {
    label
        .split('「')
        .skip(1)
        .filter_map(|part| part.split('」').next())
        .any(|quoted| !message.contains(&format!("「{quoted}」")))
}

#[derive(Serialize)]
struct JsonFile<'a> {
    file: &'a str,
    diagnostics: Vec<Report>,
}

/// Renders diagnostics as JSON: `{ "file": …, "diagnostics": [Report …] }`.
pub fn render_json(problems: &[Problem], file: &str, source: &str) -> String {
    let index = LineIndex::new(source);
    let data = JsonFile {
        file,
        diagnostics: problems.iter().map(|p| p.report(source, &index)).collect(),
    };
    serde_json::to_string_pretty(&data).unwrap_or_default() + "\n"
}
