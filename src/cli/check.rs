//! `xiangyue check COMPACT`: parse and check, print diagnostics, exit 1 on errors.

use std::path::Path;

use super::{EXIT_ERRORS, EXIT_OK, ErrorFormat, diagnostics, read_text};

pub fn run(path: &Path, format: ErrorFormat) -> u8 {
    let source = match read_text(path) {
        Ok(source) => source,
        Err(code) => return code,
    };
    let compiled = super::diagnostics::compile_at(path, &source);
    let file = path.display().to_string();
    diagnostics::print(&compiled.problems, &file, &source, format);
    let errors = compiled.problems.iter().filter(|p| p.is_error()).count();
    let warnings = compiled.problems.len() - errors;
    if format != ErrorFormat::Json {
        if errors > 0 {
            eprintln!("{file}：{errors} 个错误，{warnings} 个警告");
        } else if let Some(compact) = &compiled.compact {
            eprintln!(
                "{file}：检查通过（{} 条，{} 个事项，{warnings} 个警告）",
                compact.clauses.len(),
                compact.events.len()
            );
        }
    }
    if errors > 0 { EXIT_ERRORS } else { EXIT_OK }
}
