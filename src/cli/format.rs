//! `xiangyue fmt FILE… [--check] [--write]`: canonical layout on stdout, or checked, or written
//! back. Formatting never changes meaning; files that do not parse are reported and left alone.

use std::path::PathBuf;

use super::{
    EXIT_DIFFERENT, EXIT_ERRORS, EXIT_OK, ErrorFormat, diagnostics, read_text, write_text,
};
use crate::compile::Problem;
use crate::fmt::format_source;

pub fn run(files: &[PathBuf], check: bool, write: bool, format: ErrorFormat) -> u8 {
    let mut code = EXIT_OK;
    let mut not_canonical = 0;
    for path in files {
        let source = match read_text(path) {
            Ok(source) => source,
            Err(failure) => {
                code = code.max(failure);
                continue;
            }
        };
        let file = path.display().to_string();
        let formatted = match format_source(&source) {
            Ok(formatted) => formatted,
            Err(errors) => {
                let problems: Vec<Problem> = errors.into_iter().map(Problem::Syntax).collect();
                diagnostics::print(&problems, &file, &source, format);
                code = code.max(EXIT_ERRORS);
                continue;
            }
        };
        if check {
            if formatted != source {
                not_canonical += 1;
                eprintln!("{file}：不是规范格式（运行 xiangyue fmt --write {file} 可改正）");
                if let Some(line) = first_difference(&source, &formatted) {
                    eprintln!("  第 {line} 行起不同");
                }
            }
        } else if write {
            if formatted != source
                && let Err(failure) = write_text(path, formatted.as_bytes())
            {
                code = code.max(failure);
            }
        } else {
            print!("{formatted}");
        }
    }
    if code == EXIT_OK && not_canonical > 0 {
        EXIT_DIFFERENT
    } else {
        code
    }
}

/// The first line (1-based) where two texts differ.
fn first_difference(a: &str, b: &str) -> Option<usize> {
    let mut a_lines = a.lines();
    let mut b_lines = b.lines();
    let mut line = 1;
    loop {
        match (a_lines.next(), b_lines.next()) {
            (None, None) => return (a != b).then_some(line),
            (x, y) if x != y => return Some(line),
            _ => line += 1,
        }
    }
}
