//! Data diagnostics: every folder under tests/data-ui/ is a small village with one mistake in
//! its register or event log. `xiangyue eval` on it must report the code named in its
//! 期望.txt, and the report matches a reviewed snapshot (the files first, then the report).

// Helpers that run the binary fail the test with a message when the machine cannot run it.
#![allow(clippy::panic)]

mod common;

use std::process::Command;

#[test]
fn every_data_fixture_reports_its_code_and_matches_its_snapshot() {
    let root = common::root().join("tests/data-ui");
    let mut folders: Vec<_> = std::fs::read_dir(&root)
        .map(|e| {
            e.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.join("期望.txt").is_file())
                .collect()
        })
        .unwrap_or_default();
    folders.sort();
    assert!(folders.len() >= 11, "found {} fixtures", folders.len());
    for folder in folders {
        let name = folder
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let expectation = std::fs::read_to_string(folder.join("期望.txt")).unwrap_or_default();
        let mut lines = expectation.lines();
        let code = lines.next().unwrap_or("").trim().to_string();
        let extra: Vec<&str> = lines
            .next()
            .map(|l| l.split_whitespace().collect())
            .unwrap_or_default();
        let mut args = vec!["eval", ".", "--error-format", "plain"];
        args.extend(extra);
        let output = Command::new(env!("CARGO_BIN_EXE_xiangyue"))
            .args(&args)
            .current_dir(&folder)
            // "Today" fixed, so that a record dated after it (E0220) stays so.
            .env("XIANGYUE_TODAY", "2026-12-04")
            .output()
            .unwrap_or_else(|e| panic!("run: {e}"));
        let stderr = String::from_utf8_lossy(&output.stderr).to_string();
        assert!(
            stderr.contains(&format!("[{code}]")),
            "{name}: no {code} in\n{stderr}"
        );
        let expected_exit = if code.starts_with('W') { 0 } else { 1 };
        assert_eq!(
            output.status.code(),
            Some(expected_exit),
            "{name}\n{stderr}"
        );
        let mut snapshot = String::new();
        for file in [
            "register.csv",
            "党员.csv",
            "村民.csv",
            "events.csv",
            "events.jsonl",
            "events.doc",
        ] {
            // Files in the wrong encoding are shown as far as they are UTF-8.
            if let Ok(bytes) = std::fs::read(folder.join(file)) {
                let text = String::from_utf8_lossy(&bytes);
                snapshot.push_str(&format!("──────── {file} ────────\n{text}"));
            }
        }
        snapshot.push_str(&format!(
            "──────── xiangyue {} ────────\n{stderr}",
            args.join(" ")
        ));
        insta::with_settings!({
            snapshot_path => "data-ui/snapshots",
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(name, snapshot);
        });
    }
}
