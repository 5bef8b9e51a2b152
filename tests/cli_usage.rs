//! The command line's usage rules, from the user's side: a village folder holding two event
//! logs or two registers is refused (like two .xy files), `synth --out` does not overwrite a
//! folder that has files unless `--force`, `check`/`render`/`test` read a village folder, and
//! clap's usage errors and help are in Chinese.

// Helpers that run the binary fail the test with a message when the machine cannot run it.
#![allow(clippy::panic, clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn xiangyue_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_xiangyue"))
        .args(args)
        .current_dir(dir)
        .env("XIANGYUE_TODAY", "2026-12-04")
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).to_string(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}

fn xiangyue(args: &[&str]) -> (i32, String, String) {
    xiangyue_in(&common::root(), args)
}

/// A copy of a small village (one .xy, register.csv, events.csv) in a fresh folder.
fn small_village(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xiangyue-usage-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let from = common::root().join("tests/data-ui/W0210-period-before-effective");
    for file in ["村.xy", "register.csv", "events.csv"] {
        std::fs::copy(from.join(file), dir.join(file)).unwrap();
    }
    dir
}

#[test]
fn two_event_logs_in_a_folder_are_refused_naming_both() {
    let dir = small_village("two-logs");
    std::fs::copy(dir.join("events.csv"), dir.join("事项记录.csv")).unwrap();
    for command in [&["eval", "."][..], &["explain", ".", "--household", "A001"]] {
        let (code, out, err) = xiangyue_in(&dir, command);
        assert_eq!(code, 2, "{out}\n{err}");
        assert!(
            err.contains("events.csv") && err.contains("事项记录.csv"),
            "{err}"
        );
        assert!(err.contains("--events"), "{err}");
    }
    // Naming one on the command line settles it.
    let (code, _, err) = xiangyue_in(&dir, &["eval", ".", "--events", "events.csv"]);
    assert_eq!(code, 0, "{err}");
    // Two formats of one name are two logs too.
    let dir = small_village("two-formats");
    std::fs::write(dir.join("events.jsonl"), "").unwrap();
    let (code, _, err) = xiangyue_in(&dir, &["eval", "."]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("events.csv") && err.contains("events.jsonl"),
        "{err}"
    );
}

#[test]
fn two_registers_in_a_folder_are_refused_naming_both() {
    let dir = small_village("two-registers");
    std::fs::copy(dir.join("register.csv"), dir.join("户籍.csv")).unwrap();
    let (code, _, err) = xiangyue_in(&dir, &["eval", "."]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("register.csv") && err.contains("户籍.csv"),
        "{err}"
    );
    assert!(err.contains("--register"), "{err}");
}

#[test]
fn synth_does_not_overwrite_a_folder_with_files_unless_forced() {
    let dir = small_village("synth-out");
    let before = std::fs::read(dir.join("events.csv")).unwrap();
    let out = dir.display().to_string();
    let compact = common::root().join("compacts/youxiqiao-demo");
    let compact = compact.display().to_string();
    let args = [
        "synth",
        compact.as_str(),
        "--households",
        "20",
        "--events",
        "50",
        "--out",
        out.as_str(),
    ];
    let (code, _, err) = xiangyue(&args);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("events.csv") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(std::fs::read(dir.join("events.csv")).unwrap(), before);
    // An empty or new folder is fine.
    let fresh = dir.join("新村");
    let fresh_text = fresh.display().to_string();
    let mut fresh_args = args;
    fresh_args[7] = fresh_text.as_str();
    let (code, _, err) = xiangyue(&fresh_args);
    assert_eq!(code, 0, "{err}");
    // …and so is a second run there with --force (its own .xy is there, so it is not empty).
    let (code, _, err) = xiangyue(&fresh_args);
    assert_eq!(code, 2, "{err}");
    let mut forced = fresh_args.to_vec();
    forced.push("--force");
    let (code, _, err) = xiangyue(&forced);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn check_render_and_test_read_a_village_folder() {
    let sample = "compacts/youxiqiao-demo";
    let (code, _, err) = xiangyue(&["check", sample]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("youxiqiao.xy"), "{err}");
    let (code, out, err) = xiangyue(&["render", sample, "--format", "md"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("油溪桥村"), "{out}");
    let (code, _, err) = xiangyue(&["test", sample]);
    assert_eq!(code, 0, "{err}");
    // The same rules as eval's: a folder without a .xy, or with two, is a usage error.
    let dir = small_village("two-compacts");
    std::fs::copy(dir.join("村.xy"), dir.join("村2.xy")).unwrap();
    for command in ["check", "render", "test"] {
        let (code, _, err) = xiangyue_in(&dir, &[command, "."]);
        assert_eq!(code, 2, "{command}: {err}");
        assert!(err.contains("村.xy") && err.contains("村2.xy"), "{err}");
    }
    let empty = dir.join("空");
    std::fs::create_dir_all(&empty).unwrap();
    let (code, _, err) = xiangyue_in(&empty, &["check", "."]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("没有乡约文件"), "{err}");
}

/// No English from clap: no "error:", "Usage:", "help:", "tip:".
fn assert_no_english(text: &str) {
    for english in ["error:", "Usage:", "help:", "tip:", "For more information"] {
        assert!(!text.contains(english), "「{english}」 in\n{text}");
    }
}

#[test]
fn an_unknown_flag_is_reported_in_chinese_with_a_suggestion() {
    let (code, out, err) = xiangyue(&["eval", "compacts/youxiqiao-demo", "--perod", "2024"]);
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(err.contains("错误："), "{err}");
    assert!(err.contains("--perod"), "{err}");
    assert!(err.contains("是不是") && err.contains("--period"), "{err}");
    assert!(err.contains("用法："), "{err}");
    assert_no_english(&err);
}

#[test]
fn a_missing_argument_is_reported_in_chinese() {
    let (code, _, err) = xiangyue(&["eval"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("错误：") && err.contains("缺少"), "{err}");
    assert!(err.contains("<村文件夹>"), "{err}");
    assert!(err.contains("用法："), "{err}");
    assert_no_english(&err);
}

#[test]
fn a_bad_value_is_reported_in_chinese_with_the_possible_values() {
    let (code, _, err) = xiangyue(&["eval", "compacts/youxiqiao-demo", "--format", "pdf"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("「pdf」"), "{err}");
    assert!(
        err.contains("可以用") && err.contains("table") && err.contains("html"),
        "{err}"
    );
    assert_no_english(&err);
    let (code, _, err) = xiangyue(&["eval", "compacts/youxiqiao-demo", "--period", "二〇二四"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("「二〇二四」"), "{err}");
    assert_no_english(&err);
    let (code, _, err) = xiangyue(&["frobnicate"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("「frobnicate」"), "{err}");
    assert_no_english(&err);
}

#[test]
fn help_is_in_chinese() {
    for args in [
        &["--help"][..],
        &["-h"],
        &["eval", "--help"],
        &["help", "eval"],
    ] {
        let (code, out, err) = xiangyue(args);
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(out.contains("用法："), "{args:?}: {out}");
        assert!(out.contains("显示帮助"), "{args:?}: {out}");
        assert_no_english(&out);
        for english in ["Options:", "Commands:", "Arguments:", "Print help"] {
            assert!(!out.contains(english), "{args:?}: 「{english}」 in\n{out}");
        }
    }
    let (_, out, _) = xiangyue(&["--help"]);
    assert!(out.contains("命令：") && out.contains("选项："), "{out}");
    let (code, out, _) = xiangyue(&["--version"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("xiangyue "), "{out}");
    // No subcommand: the help, on stderr, with exit 2.
    let (code, _, err) = xiangyue(&[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("用法："), "{err}");
    assert_no_english(&err);
}
