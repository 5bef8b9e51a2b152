//! Every example in docs/ runs: compacts in ```xy blocks check, are in canonical layout and pass
//! their worked examples (示例);
//! each diagnostic page's example reports its code, its printed report is the real output,
//! and its corrected example checks clean.
//!
//! After changing a message, refresh the reports printed in docs/diagnostics with
//! `UPDATE_DOCS=1 cargo test --test docs` and review the diff.

// Helpers that run the binary fail the test with a message when the machine cannot run it.
#![allow(clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

struct Fence {
    info: String,
    body: String,
    /// Byte range of the body in the page.
    range: std::ops::Range<usize>,
}

fn fences(text: &str) -> Vec<Fence> {
    let mut out = Vec::new();
    let mut offset = 0;
    let mut open: Option<(String, usize)> = None;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if let Some(rest) = trimmed.strip_prefix("```") {
            match open.take() {
                None => open = Some((rest.trim().to_string(), offset + line.len())),
                Some((info, start)) => out.push(Fence {
                    info,
                    body: text.get(start..offset).unwrap_or("").to_string(),
                    range: start..offset,
                }),
            }
        }
        offset += line.len();
    }
    out
}

fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_xiangyue")
}

/// The templates a page shows in ```xy template blocks: a village example on the page is
/// checked with them beside it (written as 模板1.xy, 模板2.xy …), as a township folder holds them.
fn page_templates(text: &str) -> Vec<String> {
    fences(text)
        .into_iter()
        .filter(|f| f.info == "xy template")
        .map(|f| f.body)
        .collect()
}

/// Runs `xiangyue ARGS 例子.xy` on `source` in a fresh folder, with `templates` written beside
/// it; exit code and stderr+stdout.
fn run_with(source: &str, templates: &[String], args: &[&str]) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    for (i, template) in templates.iter().enumerate() {
        std::fs::write(dir.path().join(format!("模板{}.xy", i + 1)), template)
            .unwrap_or_else(|e| panic!("write: {e}"));
    }
    let file = dir.path().join("例子.xy");
    std::fs::write(&file, source).unwrap_or_else(|e| panic!("write: {e}"));
    let output = Command::new(binary())
        .args(args)
        .arg("例子.xy")
        .current_dir(dir.path())
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    let text = String::from_utf8_lossy(&output.stdout).to_string()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.code().unwrap_or(-1), text)
}

fn codes(output: &str) -> Vec<String> {
    output
        .split('[')
        .skip(1)
        .filter_map(|part| part.split(']').next())
        .filter(|c| c.len() == 5 && (c.starts_with('E') || c.starts_with('W')))
        .map(str::to_string)
        .collect()
}

fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                files.extend(markdown_files(&path));
            } else if path.extension().is_some_and(|e| e == "md") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn compacts_in_the_documentation_check_and_are_canonical() {
    let mut failures = Vec::new();
    let mut count = 0;
    let mut pages = markdown_files(&common::root().join("docs"));
    pages.push(common::root().join("README.md"));
    for page in pages {
        if page.components().any(|c| c.as_os_str() == "diagnostics") {
            continue;
        }
        let text = std::fs::read_to_string(&page).unwrap_or_default();
        let templates = page_templates(&text);
        let run = |body: &str, args: &[&str]| run_with(body, &templates, args);
        for fence in fences(&text)
            .into_iter()
            .filter(|f| f.info == "xy" || f.info == "xy template")
        {
            count += 1;
            let (code, output) = run(&fence.body, &["check", "--error-format", "plain"]);
            if code != 0 {
                failures.push(format!(
                    "{}: example does not check:\n{}\n{output}",
                    page.display(),
                    fence.body
                ));
                continue;
            }
            let (code, output) = run(&fence.body, &["fmt", "--check"]);
            if code != 0 {
                failures.push(format!(
                    "{}: example is not canonical:\n{}\n{output}",
                    page.display(),
                    fence.body
                ));
            }
            // Worked examples (示例) in the documentation give the results the text explains.
            if fence.body.contains("示例「") {
                let (code, output) = run(&fence.body, &["test"]);
                if code != 0 {
                    failures.push(format!(
                        "{}: worked examples do not pass:\n{}\n{output}",
                        page.display(),
                        fence.body
                    ));
                }
            }
        }
    }
    assert!(count > 0, "no ```xy examples found in docs/");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_diagnostic_page_shows_a_real_example_and_a_fix() {
    let update = std::env::var_os("UPDATE_DOCS").is_some();
    let mut failures = Vec::new();
    let pages = markdown_files(&common::root().join("docs/diagnostics"));
    assert!(pages.len() >= 40, "found only {} pages", pages.len());
    for page in pages {
        let code = page
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        if code == "README" {
            continue;
        }
        // Data diagnostics (E02xx, W02xx) are about registers and logs, not compacts: their
        // pages show the files and the report, checked by the fixtures in tests/data-ui.
        // So are the book's refusals (E03xx): their pages show the commands, checked by the
        // scenarios in tests/book_ui.rs; and the server's (E04xx), by tests/serve.rs.
        if code.starts_with("E02")
            || code.starts_with("W02")
            || code.starts_with("E03")
            || code.starts_with("E04")
        {
            let text = std::fs::read_to_string(&page).unwrap_or_default();
            if !text.contains(&code) || !text.contains("## 怎样改") {
                failures.push(format!(
                    "{code}: the page must name its code and say how to fix it"
                ));
            }
            continue;
        }
        let mut text = std::fs::read_to_string(&page).unwrap_or_default();
        let blocks = fences(&text);
        let templates = page_templates(&text);
        let run = |body: &str, args: &[&str]| run_with(body, &templates, args);
        let Some(example) = blocks.iter().find(|f| f.info == "xy") else {
            failures.push(format!("{code}: no ```xy example"));
            continue;
        };
        let (_, output) = run(&example.body, &["check", "--error-format", "plain"]);
        let found = codes(&output);
        if found.iter().any(|c| *c != code) || !found.contains(&code) {
            failures.push(format!("{code}: example reports {found:?}"));
        }
        if let Some(report) = blocks
            .iter()
            .find(|f| f.info == "text" && f.range.start > example.range.end)
        {
            if report.body != output {
                if update {
                    text.replace_range(report.range.clone(), &output);
                    std::fs::write(&page, &text).unwrap_or_else(|e| panic!("write: {e}"));
                } else {
                    failures.push(format!(
                        "{code}: the printed report is out of date (UPDATE_DOCS=1 cargo test --test docs)\n--- page\n{}--- real\n{output}",
                        report.body
                    ));
                }
            }
        } else {
            failures.push(format!("{code}: no ```text report after the example"));
        }
        let fixed: Vec<&Fence> = blocks.iter().filter(|f| f.info == "xy ok").collect();
        if fixed.is_empty() {
            failures.push(format!("{code}: no ```xy ok corrected example"));
        }
        for fence in fixed {
            let (exit, output) = run(&fence.body, &["check", "--error-format", "plain"]);
            if exit != 0 || !codes(&output).is_empty() {
                failures.push(format!(
                    "{code}: corrected example still reports:\n{output}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
