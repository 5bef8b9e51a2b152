//! Finding a compact's template on disk (behind `native`): the one place that loads a
//! compact together with the template its 依据「…」 names, for the command line and for a
//! walker over a township's or county's folder.
//!
//! The rule (docs/language.md §5.7): the template named 依据「名称」 is looked for in the
//! compact's own folder, then in its parent folder, and so on up to the root; in each folder
//! the `.xy` files are read in name order, and the first whose head is 模板「名称」 — or whose
//! file name without `.xy` is 名称 and whose head is 模板「…」 — is it. A township folder thus
//! holds `镇模板.xy` and one subfolder per village; a county folder may hold the county's
//! template above the townships'. A template built on another template finds it the same way,
//! from the first compact's folder.

use std::path::{Path, PathBuf};

use super::template_names::is_template_named;
use crate::compile::{Compiled, compile_with_template};
use crate::model::Compact;

/// A compact read from a file and checked against its template.
#[derive(Debug)]
pub struct LoadedCompact {
    /// The compact's text (a leading BOM removed).
    pub source: String,
    /// Parsing and checking, the template's checks included.
    pub compiled: Compiled,
    /// The template it is built on, when it names one that was found and checks: its file
    /// and the checked template.
    pub template: Option<(PathBuf, Compact)>,
}

/// Reads a UTF-8 text file, dropping a leading BOM.
fn read_utf8(path: &Path) -> std::io::Result<String> {
    let bytes = std::fs::read(path)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, "不是 UTF-8 编码"))?;
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text))
}

/// The template named `name`, looked for from the folder `start` upwards: its file and text.
pub fn find_template(start: &Path, name: &str) -> Option<(PathBuf, String)> {
    // A relative folder (dongshan/) is made absolute so that its parents are walked too.
    let start = std::fs::canonicalize(start).unwrap_or_else(|_| start.to_path_buf());
    let mut folder = Some(start);
    while let Some(dir) = folder {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "xy"))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        for file in files {
            let Ok(text) = read_utf8(&file) else {
                continue;
            };
            let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned());
            if is_template_named(&text, stem.as_deref(), name) {
                return Some((file, text));
            }
        }
        folder = dir.parent().map(Path::to_path_buf);
    }
    None
}

/// Reads the compact at `path` and checks it, with the template its 依据「…」 names found by
/// [`find_template`] from the compact's folder. The one loader the command line and a folder
/// walker use; an unreadable compact file is the only `Err`.
pub fn load_compact_with_template(path: &Path) -> std::io::Result<LoadedCompact> {
    let source = read_utf8(path)?;
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let found = std::cell::RefCell::new(None::<PathBuf>);
    let resolve = |name: &str| {
        let (file, text) = find_template(&folder, name)?;
        let mut first = found.borrow_mut();
        if first.is_none() {
            *first = Some(file);
        }
        Some(text)
    };
    let (compiled, template) = compile_with_template(&source, &resolve);
    let template = match (template, found.into_inner()) {
        (Some(t), Some(file)) => Some((file, t)),
        _ => None,
    };
    Ok(LoadedCompact {
        source,
        compiled,
        template,
    })
}
