//! `xiangyue render COMPACT [--format html|md] [-o FILE]`: the printable compact.

use std::path::Path;

use clap::ValueEnum;

use super::{EXIT_ERRORS, EXIT_OK, ErrorFormat, diagnostics, read_text, write_text};
use crate::report::compact::{render_html, render_markdown};

/// Output format of the printable compact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RenderFormat {
    /// 可打印的网页（A4）
    Html,
    /// Markdown
    Md,
}

pub fn run(path: &Path, format: RenderFormat, output: Option<&Path>, errors: ErrorFormat) -> u8 {
    let source = match read_text(path) {
        Ok(source) => source,
        Err(code) => return code,
    };
    let compiled = super::diagnostics::compile_at(path, &source);
    let Some(compact) = compiled.compact else {
        diagnostics::print(
            &compiled.problems,
            &path.display().to_string(),
            &source,
            errors,
        );
        return EXIT_ERRORS;
    };
    let text = match format {
        RenderFormat::Html => render_html(&compact),
        RenderFormat::Md => render_markdown(&compact),
    };
    match output {
        Some(file) => match write_text(file, text.as_bytes()) {
            Ok(()) => EXIT_OK,
            Err(code) => code,
        },
        None => {
            print!("{text}");
            EXIT_OK
        }
    }
}
