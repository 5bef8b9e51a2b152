//! `xiangyue synth`: the folder it writes is a village `eval` reads with no bad record, the
//! same arguments give byte-identical files, and on a modest size every clause with an event
//! rule scores (applies, not beaten by an exception or a take-the-highest partner) at least once.

#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use std::path::Path;
use std::process::Command;

use xiangyue::data::{EventReader, EventRecord, Next, Register, TableReader, read_register};
use xiangyue::eval::{Evaluator, Ledger, PeriodChoice};
use xiangyue::model::{Compact, Rule};

fn synth(compact: &str, out: &Path, households: &str, events: &str, seed: &str) {
    let status = Command::new(env!("CARGO_BIN_EXE_xiangyue"))
        .args([
            "synth",
            compact,
            "--households",
            households,
            "--events",
            events,
        ])
        .args(["--seed", seed, "--out"])
        .arg(out)
        .current_dir(common::root())
        .status()
        .expect("run xiangyue synth");
    assert!(status.success());
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut all: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("folder")
        .map(|e| {
            let e = e.expect("entry");
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).expect("file"),
            )
        })
        .collect();
    all.sort();
    all
}

#[test]
fn the_same_arguments_give_byte_identical_files() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (a, b, c) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    synth("compacts/youxiqiao-demo", &a, "300", "5000", "42");
    synth("compacts/youxiqiao-demo", &b, "300", "5000", "42");
    synth("compacts/youxiqiao-demo", &c, "300", "5000", "43");
    let (fa, fb, fc) = (files(&a), files(&b), files(&c));
    let names: Vec<&str> = fa.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "events.csv",
            "register.csv",
            "youxiqiao.xy",
            "党员.csv",
            "分红.txt"
        ]
    );
    assert_eq!(fa, fb);
    assert_ne!(fa, fc);
}

/// Reads a synth folder through the library: every record must read without error.
fn load(dir: &Path, compact_file: &str) -> (Compact, Vec<Register>, Vec<EventRecord>) {
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).expect(name);
    let compact = xiangyue::compile::compile(&read(compact_file))
        .compact
        .expect("the compact checks");
    let (mut errors, mut warnings) = (Vec::new(), Vec::new());
    let text = read("register.csv");
    let mut t = TableReader::from_csv_text(&text, "register.csv").expect("register");
    let households = read_register(&mut t, &compact, 0, None, &mut errors, &mut warnings);
    let mut registers = vec![households];
    for kind in compact.kinds.iter().skip(1) {
        let name = format!("{}.csv", kind.name);
        let text = read(&name);
        let mut t = TableReader::from_csv_text(&text, &name).expect("roster");
        let k = registers.len();
        let roster = read_register(
            &mut t,
            &compact,
            k,
            registers.first(),
            &mut errors,
            &mut warnings,
        );
        registers.push(roster);
    }
    assert!(errors.is_empty(), "register errors: {errors:?}");
    assert!(warnings.is_empty(), "register warnings: {warnings:?}");
    let text = read("events.csv");
    let table = TableReader::from_csv_text(&text, "events.csv").expect("log");
    let mut reader = EventReader::new(table, &compact, &registers).expect("columns");
    let mut records = Vec::new();
    let mut record = EventRecord::new();
    loop {
        match reader.next(&mut record).expect("read") {
            Next::End => break,
            Next::Record => records.push(record.clone()),
            Next::Bad(errors) => panic!("a bad record: {errors:?}"),
        }
    }
    assert!(reader.take_warnings().is_empty(), "log warnings");
    (compact, registers, records)
}

fn every_clause_scores(compact_dir: &str, compact_file: &str) {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("village");
    synth(compact_dir, &dir, "2000", "50000", "1");
    let (compact, registers, records) = load(&dir, compact_file);
    assert_eq!(records.len(), 50_000);
    assert!(records.windows(2).all(|w| w[0].day <= w[1].day));
    let mut e = Evaluator::new(
        &compact,
        &registers,
        PeriodChoice::Latest,
        Ledger::default(),
    );
    for r in &records {
        e.push(r).expect("in date order");
    }
    let (_, ledger) = e.finish(None);
    let applied = common::applied_clauses(&ledger.entries);
    let missing: Vec<u32> = compact
        .clauses
        .iter()
        .enumerate()
        .filter(|(_, c)| c.rules.iter().any(|r| matches!(r, Rule::Event(_))))
        .filter(|(id, _)| !applied.contains(id))
        .map(|(_, c)| c.number)
        .collect();
    assert!(
        missing.is_empty(),
        "clauses no record exercises: {missing:?}"
    );

    // And the command line agrees: eval succeeds on the folder.
    let output = Command::new(env!("CARGO_BIN_EXE_xiangyue"))
        .arg("eval")
        .arg(&dir)
        .args(["--format", "json"])
        .output()
        .expect("run xiangyue eval");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn every_clause_of_the_sample_scores_on_synthetic_data() {
    every_clause_scores("compacts/youxiqiao-demo", "youxiqiao.xy");
}

#[test]
fn every_clause_of_wendeng_scores_on_synthetic_data() {
    every_clause_scores("compacts/wendeng-2020", "wendeng-2020.xy");
}

#[test]
fn a_compact_with_errors_gives_exit_1_and_a_folder_with_another_compact_exit_2() {
    let tmp = tempfile::tempdir().expect("tmp");
    let bad = tmp.path().join("bad.xy");
    std::fs::write(
        &bad,
        "乡约「坏」\n第一条 甲\n  凡 不存在的事项，每次 加 1 分。\n",
    )
    .expect("write");
    let out = tmp.path().join("out");
    let run = |compact: &Path| {
        Command::new(env!("CARGO_BIN_EXE_xiangyue"))
            .arg("synth")
            .arg(compact)
            .args(["--households", "10", "--events", "10", "--out"])
            .arg(&out)
            .output()
            .expect("run xiangyue synth")
    };
    assert_eq!(run(&bad).status.code(), Some(1));
    assert!(!out.join("events.csv").exists());
    std::fs::create_dir_all(&out).expect("out");
    std::fs::write(out.join("other.xy"), "乡约「别的」\n").expect("write");
    let sample = common::root().join("compacts/youxiqiao-demo/youxiqiao.xy");
    let refused = run(&sample);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("other.xy"));
}
