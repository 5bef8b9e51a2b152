//! Printing diagnostics in the format the user chose: JSON to stdout, the others to stderr.

use std::io::IsTerminal;

use super::ErrorFormat;
use crate::compile::Problem;
use crate::diagnostic::render::{render_human, render_json, render_plain};

/// Whether stderr is a terminal that wants colour.
pub fn stderr_color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Prints diagnostics in the chosen format: JSON to stdout, the others to stderr.
pub fn print(problems: &[Problem], file: &str, source: &str, format: ErrorFormat) {
    match format {
        ErrorFormat::Human => {
            if !problems.is_empty() {
                eprint!("{}", render_human(problems, file, source, stderr_color()));
            }
        }
        ErrorFormat::Plain => eprint!("{}", render_plain(problems, file, source)),
        ErrorFormat::Json => print!("{}", render_json(problems, file, source)),
    }
}

/// Reads and checks the compact at `path`; on errors prints its diagnostics and returns the
/// exit code. Gives its text and the checked compact.
pub fn compile_file(
    path: &std::path::Path,
    format: ErrorFormat,
) -> Result<(String, crate::model::Compact), u8> {
    // Read first through the cli's reader for its messages on unreadable files, then with the
    // template the compact names (data::load_compact_with_template).
    super::read_text(path)?;
    let Ok(loaded) = crate::data::load_compact_with_template(path) else {
        return Err(super::EXIT_USAGE);
    };
    let (source, compiled) = (loaded.source, loaded.compiled);
    match compiled.compact {
        Some(compact) => Ok((source, compact)),
        None => {
            print(
                &compiled.problems,
                &path.display().to_string(),
                &source,
                format,
            );
            Err(super::EXIT_ERRORS)
        }
    }
}

/// Checks a compact's text read from `path`, with the template its 依据「…」 names looked
/// for from the file's folder upwards (`data::find_template`).
pub fn compile_at(path: &std::path::Path, source: &str) -> crate::compile::Compiled {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    crate::compile::compile_with(source, &|name| {
        crate::data::find_template(&folder, name).map(|(_, text)| text)
    })
}
