//! The core (docs/ARCHITECTURE.md, "The pure core") touches no files, threads, processes or
//! environment: it builds for wasm32-unknown-unknown (`.ci/run` builds it), and this test
//! catches the uses that would still compile there but fail at run time (`std::fs`,
//! `std::thread` exist on that target and return errors or panic).

// The helpers below fail the test when src/ cannot be read.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::path::Path;

/// The core's modules (files or folders under src/).
const CORE: &[&str] = &[
    "syntax",
    "check",
    "model",
    "eval",
    "diff",
    "fmt",
    "report",
    "diagnostic",
    "synth",
    "lsp",
    "compile.rs",
    // Reading tables from text in memory (the browser workbench reads its files through it);
    // its file-opening part is `NATIVE_FILES` below.
    "data",
];

/// Files inside the core's folders that their `mod.rs` declares behind
/// `#[cfg(feature = "native")]` as a whole (checked below).
const NATIVE_FILES: &[(&str, &str)] = &[
    ("data/files.rs", "data/mod.rs"),
    ("data/templates.rs", "data/mod.rs"),
];

/// What the core must not use outside `#[cfg(feature = "native")]`.
const FORBIDDEN: &[&str] = &[
    "std::fs",
    "std::thread",
    "std::process",
    "std::env",
    "std::net",
    "std::time",
    "rayon",
    "crate::data",
    "crate::book",
    "crate::cli",
    "File::",
];

fn files(path: &Path, out: &mut Vec<std::path::PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for entry in entries {
            files(&entry, out);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        out.push(path.to_path_buf());
    }
}

/// Lines of `text` (before its tests) that use something forbidden outside an item marked
/// `#[cfg(feature = "native")]` (the item runs to its closing brace, or its `;`).
fn offending(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut depth = 0i64;
    // The depth a gated item started at, and whether its body has opened.
    let mut gate: Option<(i64, bool)> = None;
    for (i, line) in text.lines().enumerate() {
        if line.trim() == "#[cfg(test)]" {
            break;
        }
        if line.trim() == "#[cfg(feature = \"native\")]" && gate.is_none() {
            gate = Some((depth, false));
            continue;
        }
        let code = line.split("//").next().unwrap_or("");
        if gate.is_none() && FORBIDDEN.iter().any(|f| code.contains(f)) {
            found.push((i + 1, line.trim().to_string()));
        }
        for c in code.chars() {
            match c {
                '{' => {
                    depth += 1;
                    if let Some((_, opened)) = gate.as_mut() {
                        *opened = true;
                    }
                }
                '}' => depth -= 1,
                _ => {}
            }
        }
        if let Some((start, opened)) = gate {
            let ends = if opened {
                depth <= start
            } else {
                code.trim_end().ends_with(';') && depth <= start
            };
            if ends {
                gate = None;
            }
        }
    }
    found
}

#[test]
fn the_core_uses_no_files_threads_or_native_modules() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    for module in CORE {
        files(&src.join(module), &mut all);
    }
    for (file, declared_in) in NATIVE_FILES {
        let module = Path::new(file).file_stem().unwrap().to_str().unwrap();
        let parent = std::fs::read_to_string(src.join(declared_in)).unwrap();
        assert!(
            parent.contains(&format!("#[cfg(feature = \"native\")]\nmod {module};")),
            "{declared_in} must declare `mod {module};` behind the native feature"
        );
        all.retain(|f| f != &src.join(file));
    }
    assert!(
        all.len() > 50,
        "the core's files were not found: {}",
        all.len()
    );
    let mut bad = Vec::new();
    for file in &all {
        let text = std::fs::read_to_string(file).unwrap();
        for (line, code) in offending(&text) {
            bad.push(format!("{}:{line}: {code}", file.display()));
        }
    }
    assert!(
        bad.is_empty(),
        "the core must stay pure:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_check_finds_an_ungated_thread() {
    let text = "fn f() {\n    std::thread::scope(|_| {});\n}\n";
    assert_eq!(offending(text).len(), 1);
    let gated = "#[cfg(feature = \"native\")]\nfn f() {\n    std::thread::scope(|_| {});\n}\n";
    assert!(offending(gated).is_empty());
    let after = format!("{gated}fn g() {{\n    let _ = std::fs::read(\"x\");\n}}\n");
    assert_eq!(
        offending(&after),
        vec![(6, "let _ = std::fs::read(\"x\");".to_string())]
    );
    let import = "#[cfg(feature = \"native\")]\nuse rayon::prelude::*;\nuse std::fs;\n";
    assert_eq!(offending(import).len(), 1);
    let in_tests = "#[cfg(test)]\nmod tests {\n    use std::fs;\n}\n";
    assert!(offending(in_tests).is_empty());
}
