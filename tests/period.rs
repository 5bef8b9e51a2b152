//! Which period `eval` computes: never the one a stray record decides. The period holding the
//! most records is chosen (and the outputs say so and how many records fell outside it); a
//! record dated after today is refused (E0220) unless `--allow-future`; a period before the
//! compact's 生效 date (W0210) or holding fewer than half of the log's records (W0211) is
//! warned about; `--strict` makes every data warning an error. "Today" is fixed with the
//! environment variable XIANGYUE_TODAY so that these tests do not depend on the clock.

// Helpers that run the binary fail the test with a message when the machine cannot run it.
#![allow(clippy::panic, clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

const TODAY: &str = "2025-06-30";

fn xiangyue_in(dir: &Path, today: &str, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_xiangyue"))
        .args(args)
        .current_dir(dir)
        .env("XIANGYUE_TODAY", today)
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).to_string(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}

/// A copy of the sample village in a fresh folder, with `extra` lines appended to its log.
fn sample_with(name: &str, extra: &[&str]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xiangyue-period-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let sample = common::root().join("compacts/youxiqiao-demo");
    for entry in std::fs::read_dir(&sample).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
        }
    }
    let mut log = std::fs::read_to_string(dir.join("events.csv")).unwrap();
    for line in extra {
        log.push_str(line);
        log.push('\n');
    }
    std::fs::write(dir.join("events.csv"), log).unwrap();
    dir
}

const STRAY_2042: &str = "R099999,2042-06-01,A089,,调解纠纷,,,,,,,,,,,,双方签字,通过,";
const NEXT_YEAR: &str = "R099998,2026-02-01,A089,,调解纠纷,,,,,,,,,,,,双方签字,通过,";

fn json(out: &str) -> serde_json::Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}\n{out}"))
}

#[test]
fn a_record_after_today_is_refused_with_its_place_and_the_way_round() {
    let dir = sample_with("future", &[STRAY_2042]);
    let (code, out, err) = xiangyue_in(&dir, TODAY, &["eval", "."]);
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(err.contains("[E0220]"), "{err}");
    assert!(err.contains("第 19722 行「日期」列"), "{err}");
    assert!(err.contains("2042-06-01"), "{err}");
    assert!(err.contains("--allow-future"), "{err}");
    assert!(!out.contains("2042年度"), "{out}");
    // Next year relative to today is just as much in the future.
    let dir = sample_with("next-year", &[NEXT_YEAR]);
    let (code, _, err) = xiangyue_in(&dir, TODAY, &["eval", "."]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("[E0220]") && err.contains("2026-02-01"),
        "{err}"
    );
    // …and not when today is later.
    let (code, _, err) = xiangyue_in(&dir, "2026-12-04", &["eval", "."]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_future_record_goes_to_the_reject_file_and_the_rest_is_computed() {
    let dir = sample_with("future-reject", &[STRAY_2042]);
    let (code, out, err) = xiangyue_in(
        &dir,
        TODAY,
        &["eval", ".", "--reject-file", "退回.csv", "--format", "json"],
    );
    assert_eq!(code, 0, "{err}");
    let rejected = std::fs::read_to_string(dir.join("退回.csv")).unwrap();
    assert!(
        rejected.contains("2042-06-01") && rejected.contains("E0220"),
        "{rejected}"
    );
    assert_eq!(json(&out)["period"]["label"], "2024年度");
}

#[test]
fn with_allow_future_the_period_holding_the_most_records_is_evaluated_not_the_stray_one() {
    let dir = sample_with("allow-future", &[STRAY_2042]);
    let (code, out, err) = xiangyue_in(&dir, TODAY, &["eval", ".", "--allow-future"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("2024年度"), "{out}");
    assert!(!out.contains("2042年度 ·"), "{out}");
    assert!(out.contains("记录最多的年度"), "{out}");
    // The line names the periods outside and their counts.
    assert!(out.contains("2042年度 1 条"), "{out}");
    assert!(out.contains("2023年度 176 条"), "{out}");
    // The results are those of the sample without the stray record.
    let (_, with_stray, _) = xiangyue_in(
        &dir,
        TODAY,
        &["eval", ".", "--allow-future", "--format", "json"],
    );
    let sample = common::root().join("compacts/youxiqiao-demo");
    let (_, plain, _) = xiangyue_in(&sample, TODAY, &["eval", ".", "--format", "json"]);
    let (with_stray, plain) = (json(&with_stray), json(&plain));
    assert_eq!(with_stray["households"], plain["households"]);
    assert_eq!(with_stray["period"]["label"], "2024年度");
    assert_eq!(with_stray["period"]["chosen_by"], "记录最多的年度");
    assert_eq!(with_stray["period"]["records_outside"], 354);
    assert_eq!(
        with_stray["period"]["other_periods"],
        serde_json::json!([
            {"year": 2022, "label": "2022年度", "records": 177},
            {"year": 2023, "label": "2023年度", "records": 176},
            {"year": 2042, "label": "2042年度", "records": 1},
        ])
    );
}

#[test]
fn an_explicit_period_is_kept_and_says_so_with_what_fell_outside() {
    let sample = common::root().join("compacts/youxiqiao-demo");
    let (code, out, err) = xiangyue_in(&sample, TODAY, &["eval", ".", "--period", "2024"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("命令行指定"), "{out}");
    assert!(out.contains("353 条在其他年度"), "{out}");
    let (_, out, _) = xiangyue_in(
        &sample,
        TODAY,
        &["eval", ".", "--period", "2024", "--format", "html"],
    );
    assert!(out.contains("命令行指定"), "{out}");
    assert!(out.contains("2022年度 177 条"), "{out}");
}

#[test]
fn a_period_before_the_compact_took_effect_is_warned_about() {
    let sample = common::root().join("compacts/youxiqiao-demo");
    let (code, out, err) = xiangyue_in(
        &sample,
        TODAY,
        &["eval", ".", "--period", "2023", "--format", "json"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("[W0210]") && err.contains("2024-01-01"),
        "{err}"
    );
    // 176 of 19,720 records: few of the log's records.
    assert!(
        err.contains("[W0211]") && err.contains("2024年度 19367 条"),
        "{err}"
    );
    assert_eq!(json(&out)["period"]["chosen_by"], "命令行指定");
    // The default period holds most records and began after the compact took effect.
    let (code, _, err) = xiangyue_in(&sample, TODAY, &["eval", "."]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("W021"), "{err}");
}

#[test]
fn strict_turns_data_warnings_into_errors() {
    let sample = common::root().join("compacts/youxiqiao-demo");
    let (code, out, err) = xiangyue_in(
        &sample,
        TODAY,
        &["eval", ".", "--period", "2023", "--strict"],
    );
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(err.contains("错误[W0210]"), "{err}");
    assert!(!err.contains("警告[W0210]"), "{err}");
    assert!(out.is_empty(), "{out}");
    let (code, out, _) = xiangyue_in(
        &sample,
        TODAY,
        &[
            "eval",
            ".",
            "--period",
            "2023",
            "--strict",
            "--error-format",
            "json",
        ],
    );
    assert_eq!(code, 1);
    let report = json(&out);
    let severities: Vec<_> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["severity"].clone(),
            )
        })
        .collect();
    assert!(
        severities.contains(&("W0210".to_string(), serde_json::json!("error"))),
        "{severities:?}"
    );
    // A register warning too, in explain.
    let ui = common::root().join("tests/data-ui/W0201-ignored-columns");
    let (code, _, err) = xiangyue_in(&ui, TODAY, &["eval", ".", "--strict"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("错误[W0201]"), "{err}");
    let (code, _, err) = xiangyue_in(
        &ui,
        TODAY,
        &["explain", ".", "--household", "A001", "--strict"],
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("错误[W0201]"), "{err}");
    // Without --strict it is a warning and the run goes on.
    let (code, _, err) = xiangyue_in(&ui, TODAY, &["eval", "."]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("警告[W0201]"), "{err}");
}

#[test]
fn ties_go_to_the_latest_period() {
    // One record in each of two periods: the later one is evaluated, and the warning says
    // that it holds only half of the log.
    let dir = std::env::temp_dir().join(format!("xiangyue-period-tie-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let ui = common::root().join("tests/data-ui/W0201-ignored-columns");
    std::fs::copy(ui.join("村.xy"), dir.join("村.xy")).unwrap();
    std::fs::write(dir.join("register.csv"), "户号,人口,党员户\nA001,4,是\n").unwrap();
    std::fs::write(
        dir.join("events.csv"),
        "日期,户号,事项,天数,级别\n2023-03-01,A001,义务投工,2,\n2024-03-01,A001,义务投工,1,\n",
    )
    .unwrap();
    let (code, out, err) = xiangyue_in(&dir, TODAY, &["eval", ".", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&out)["period"]["year"], 2024);
    assert!(!err.contains("W0211"), "{err}");
}
