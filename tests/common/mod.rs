//! Helpers shared by the integration tests: fixture discovery and header expectations.
//!
//! A fixture is a `.xy` file whose first lines may carry its expectations as comments:
//!
//! ```text
//! # 期望：E0101            codes that checking must report (or 无 for none), in any order
//! ```

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// One fixture file.
pub struct Fixture {
    /// File name without extension.
    pub name: String,
    /// Path relative to the crate root, as shown in diagnostics.
    pub path: PathBuf,
    /// Its text.
    pub source: String,
    /// The codes its header says checking reports.
    pub expected_codes: Vec<String>,
}

/// The crate root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.xy` file in `dir` (relative to the crate root), sorted by name.
pub fn fixtures(dir: &str) -> Vec<Fixture> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "xy"))
                .collect()
        })
        .unwrap_or_default();
    paths.sort();
    paths.into_iter().map(|p| load(&p)).collect()
}

/// Loads one fixture.
pub fn load(path: &Path) -> Fixture {
    let source = std::fs::read_to_string(path).unwrap_or_default();
    let mut expected_codes = Vec::new();
    for line in source.lines() {
        let line = line.trim();
        if let Some(rest) = line
            .strip_prefix("# 期望：")
            .or_else(|| line.strip_prefix("# 期望:"))
        {
            expected_codes.extend(
                rest.split(['、', ',', '，', ' '])
                    .map(str::trim)
                    .filter(|c| !c.is_empty() && *c != "无")
                    .map(str::to_string),
            );
        }
    }
    let relative = path
        .strip_prefix(root())
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf());
    Fixture {
        name: path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default(),
        path: relative,
        source,
        expected_codes,
    }
}

/// Every compact file in the repository's `compacts/` folders.
pub fn repository_compacts() -> Vec<Fixture> {
    let mut all = Vec::new();
    if let Ok(entries) = std::fs::read_dir(root().join("compacts")) {
        let mut dirs: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        dirs.sort();
        for dir in dirs {
            if dir.is_dir()
                && let Ok(relative) = dir.strip_prefix(root())
            {
                all.extend(fixtures(&relative.to_string_lossy()));
            }
        }
    }
    all
}
