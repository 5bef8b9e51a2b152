//! Diagnostics: every fixture under tests/ui/ reports exactly the codes its header names, and
//! its rendered report matches a reviewed snapshot (the source first, then the report).

mod common;

use std::collections::BTreeSet;

use xiangyue::compile::compile_with;
use xiangyue::diagnostic::render::{render_human, render_plain};

#[test]
fn every_fixture_reports_exactly_its_codes_and_matches_its_snapshot() {
    let fixtures = common::fixtures("tests/ui");
    assert!(
        fixtures.len() >= 30,
        "found only {} fixtures",
        fixtures.len()
    );
    let mut failures = Vec::new();
    for fixture in &fixtures {
        // Templates named by 依据 are looked for in tests/ui/templates/ (and its parents).
        let templates = common::root().join("tests/ui/templates");
        let compiled = compile_with(&fixture.source, &|name| {
            xiangyue::data::find_template(&templates, name).map(|(_, text)| text)
        });
        let found: BTreeSet<String> = compiled.problems.iter().map(|p| p.code()).collect();
        let expected: BTreeSet<String> = fixture.expected_codes.iter().cloned().collect();
        if found != expected {
            failures.push(format!(
                "{}: expected {expected:?}, found {found:?}",
                fixture.name
            ));
            continue;
        }
        let file = fixture.path.to_string_lossy().to_string();
        let plain = render_plain(&compiled.problems, &file, &fixture.source);
        let human = render_human(&compiled.problems, &file, &fixture.source, false);
        let snapshot = format!(
            "{}\n──────── plain ────────\n{plain}\n──────── human ────────\n{human}",
            fixture.source
        );
        insta::with_settings!({
            snapshot_path => "ui/snapshots",
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(fixture.name.clone(), snapshot);
        });
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The codes declared in the error enums, read from the source.
fn declared_codes() -> BTreeSet<String> {
    let mut codes = BTreeSet::new();
    for file in [
        "src/syntax/error.rs",
        "src/check/error.rs",
        "src/data/error.rs",
        "src/book/error.rs",
        "src/server/error.rs",
    ] {
        let text = std::fs::read_to_string(common::root().join(file)).unwrap_or_default();
        for part in text.split("code(").skip(1) {
            let code: String = part
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            if code.len() == 5 {
                codes.insert(code);
            }
        }
    }
    codes
}

#[test]
fn every_code_has_a_fixture_and_a_documentation_page() {
    let codes = declared_codes();
    assert!(codes.len() >= 30, "found only {} codes", codes.len());
    let mut fixtures: BTreeSet<String> = common::fixtures("tests/ui")
        .iter()
        .flat_map(|f| f.expected_codes.clone())
        .collect();
    // Data diagnostics have their fixtures as village folders under tests/data-ui/.
    if let Ok(entries) = std::fs::read_dir(common::root().join("tests/data-ui")) {
        for entry in entries.filter_map(Result::ok) {
            if let Ok(text) = std::fs::read_to_string(entry.path().join("期望.txt"))
                && let Some(code) = text.lines().next()
            {
                fixtures.insert(code.trim().to_string());
            }
        }
    }
    // The book's refusals have their fixtures as scenarios in tests/book_ui.rs, the server's
    // in tests/serve.rs.
    for file in ["tests/book_ui.rs", "tests/serve.rs"] {
        let scenarios = std::fs::read_to_string(common::root().join(file)).unwrap_or_default();
        for part in scenarios.split("// 期望：").skip(1) {
            fixtures.insert(part.chars().take(5).collect());
        }
    }
    let missing_fixtures: Vec<&String> = codes.iter().filter(|c| !fixtures.contains(*c)).collect();
    assert!(
        missing_fixtures.is_empty(),
        "codes without a fixture: {missing_fixtures:?}"
    );
    let missing_pages: Vec<&String> = codes
        .iter()
        .filter(|c| {
            !common::root()
                .join(format!("docs/diagnostics/{c}.md"))
                .exists()
        })
        .collect();
    assert!(
        missing_pages.is_empty(),
        "codes without a page in docs/diagnostics: {missing_pages:?}"
    );
}
