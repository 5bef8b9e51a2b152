//! `eval`, `explain` and `test` from the command line: the sample village against its reviewed
//! expected results, every output format, bad records refused or set aside, and registers and
//! logs in every file format and encoding.

// Helpers that run the binary fail the test with a message when the machine cannot run it.
#![allow(clippy::panic)]

mod common;

use std::path::Path;
use std::process::Command;

fn xiangyue(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_xiangyue"))
        .args(args)
        .current_dir(common::root())
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).to_string(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}

const SAMPLE: &str = "compacts/youxiqiao-demo";

#[test]
fn the_sample_village_matches_its_reviewed_expected_results() {
    let (code, out, err) = xiangyue(&["eval", SAMPLE, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let expected = std::fs::read_to_string(common::root().join(SAMPLE).join("expected.json"))
        .unwrap_or_default();
    let actual: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    let expected: serde_json::Value =
        serde_json::from_str(&expected).unwrap_or_else(|e| panic!("{e}"));
    if actual != expected {
        let households =
            |v: &serde_json::Value| v["households"].as_array().cloned().unwrap_or_default();
        let first = households(&actual)
            .iter()
            .zip(households(&expected))
            .find(|(a, b)| *a != b)
            .map(|(a, b)| format!("actual {a}\nexpected {b}"));
        panic!(
            "results differ from expected.json: {first:?}\nsummary {} vs {}",
            actual["summary"], expected["summary"]
        );
    }
    // Hand-checked household (see compacts/youxiqiao-demo/README.md): A189 has 69 points.
    let a189 = actual["households"]
        .as_array()
        .and_then(|h| h.iter().find(|h| h["id"] == "A189"))
        .cloned();
    assert_eq!(
        a189.map(|h| h["total"].clone()),
        Some(serde_json::json!("69"))
    );
    let summary = &actual["summary"];
    assert_eq!(summary["pool_fen"], summary["distributed_fen"]);
    assert!(summary["events"].as_u64().unwrap_or(0) >= 19_000);
}

#[test]
fn the_sample_compacts_worked_examples_pass() {
    let (code, out, _) = xiangyue(&["test", "compacts/youxiqiao-demo/youxiqiao.xy"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("3 个示例，3 个通过"), "{out}");
}

#[test]
fn a_failing_example_shows_expected_actual_and_the_ledger() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("甲.xy");
    std::fs::write(
        &path,
        "乡约「甲」\n户籍 { 人口：整数 }\n事项 投工 { 天数：数量（天） }\n\n第一条\n  每户 加 人口 × 10 分。\n\n第二条\n  凡 投工，每天 加 2 分。\n\n示例「算错了」\n  户：人口 2。\n  2024年3月1日 投工：天数 3。\n  应得：积分 25 分。\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (code, out, _) = xiangyue(&["test", &path.to_string_lossy()]);
    assert_eq!(code, 1);
    assert!(out.contains("✗ 示例「算错了」"), "{out}");
    assert!(out.contains("应得：积分 25 分，实际：积分 26 分"), "{out}");
    assert!(out.contains("3 天 × 2 分 = 6 分"), "{out}");
}

#[test]
fn every_output_format() {
    let (code, table, _) = xiangyue(&["eval", SAMPLE]);
    assert_eq!(code, 0);
    assert!(
        table.contains("户号") && table.contains("A189") && table.contains("分红总额 147000 元"),
        "{table}"
    );
    let (_, csv, _) = xiangyue(&["eval", SAMPLE, "--format", "csv"]);
    assert!(csv.starts_with('\u{feff}'));
    assert_eq!(csv.lines().count(), 301);
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let html = dir.path().join("公示.html");
    let (code, _, err) = xiangyue(&[
        "eval",
        SAMPLE,
        "--format",
        "html",
        "-o",
        &html.to_string_lossy(),
    ]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&html).unwrap_or_default();
    assert!(
        text.contains("2024年度积分公示表")
            && text.contains("第四条 +")
            && text.trim_end().ends_with("</html>")
    );
    assert!(!text.contains("http://") && !text.contains("https://"));
    let xlsx = dir.path().join("积分.xlsx");
    let (code, _, err) = xiangyue(&[
        "eval",
        SAMPLE,
        "--format",
        "xlsx",
        "-o",
        &xlsx.to_string_lossy(),
    ]);
    assert_eq!(code, 0, "{err}");
    use calamine::Reader;
    let mut workbook = calamine::open_workbook_auto(&xlsx).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(workbook.sheet_names(), ["各户积分", "积分明细"]);
    let households = workbook
        .worksheet_range("各户积分")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(households.height(), 301);
    let ledger = workbook
        .worksheet_range("积分明细")
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(ledger.height() > 19_000);
    let (code, _, err) = xiangyue(&["eval", SAMPLE, "--format", "xlsx"]);
    assert_eq!(code, 2);
    assert!(err.contains("-o"), "{err}");
}

#[test]
fn explain_traces_each_line_to_clause_and_record() {
    let (code, text, err) = xiangyue(&["explain", SAMPLE, "--household", "A189"]);
    assert_eq!(code, 0, "{err}");
    assert!(text.starts_with("户号 A189 ·"), "{text}");
    assert!(
        text.contains("+30 分  户积分  第一条 户籍人口基础分"),
        "{text}"
    );
    assert!(text.contains("人口 3 × 10 分 = 30 分"));
    assert!(
        text.contains("第十七条适用，本条不再适用（例外）"),
        "{text}"
    );
    assert!(
        text.contains("youxiqiao.xy:"),
        "clause source snippet missing"
    );
    assert!(text.contains("记录：compacts/youxiqiao-demo/events.csv 第"));
    assert!(text.contains("合计：户积分 69 分"), "{text}");
    let (code, json, _) = xiangyue(&["explain", SAMPLE, "--household", "A189", "--format", "json"]);
    assert_eq!(code, 0);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(value["household"], "A189");
    assert_eq!(value["totals"]["户积分"], "69");
    let entry = &value["entries"][0];
    for key in [
        "date",
        "track",
        "clause",
        "clause_source",
        "record",
        "amount",
        "reason",
        "notes",
    ] {
        assert!(entry.get(key).is_some(), "missing {key}: {entry}");
    }
    assert_eq!(
        entry["clause_source"]["file"],
        "compacts/youxiqiao-demo/youxiqiao.xy"
    );
    let (code, _, err) = xiangyue(&["explain", SAMPLE, "--household", "A999"]);
    assert_eq!(code, 1);
    assert!(err.contains("A999"), "{err}");
    let (code, text, _) = xiangyue(&["explain", SAMPLE, "--person", "P001"]);
    assert_eq!(code, 0);
    assert!(text.contains("党员积分"), "{text}");
}

fn village(dir: &Path, register: &str, events: &str) {
    std::fs::write(
        dir.join("村.xy"),
        "乡约「甲」\n户籍 { 人口：整数 }\n事项 义务投工 { 天数：数量（天） }\n\n第一条\n  每户 加 人口 × 10 分。\n\n第二条\n  凡 义务投工，每天 加 2 分。\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join("register.csv"), register).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join("events.csv"), events).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn bad_records_refuse_the_log_unless_set_aside() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    village(
        dir.path(),
        "户号,人口\nA1,2\nA2,3\n",
        "日期,户号,事项,天数\n2024-03-01,A1,义务投工,2\n2024-02-30,A1,义务投工,1\n2024-03-02,A3,义务投工,1\n2024-03-03,A2,义务投劳,1\n2024-03-04,A2,义务投工,很多\n",
    );
    let path = dir.path().to_string_lossy().to_string();
    let (code, out, err) = xiangyue(&["eval", &path]);
    assert_eq!(code, 1, "{out}");
    assert!(out.is_empty());
    for expected in [
        "E0205",
        "第 3 行",
        "E0203",
        "A3",
        "E0204",
        "是不是「义务投工」",
        "E0206",
        "很多",
        "4 条记录有误",
    ] {
        assert!(err.contains(expected), "missing {expected}:\n{err}");
    }
    let reject = dir.path().join("退回.csv");
    let (code, out, err) = xiangyue(&[
        "eval",
        &path,
        "--format",
        "json",
        "--reject-file",
        &reject.to_string_lossy(),
    ]);
    assert_eq!(code, 0, "{err}");
    let value: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(value["summary"]["invalid"], 4);
    assert_eq!(value["summary"]["scored"], 1);
    assert_eq!(value["households"][0]["total"], "24");
    let rejected = std::fs::read_to_string(&reject).unwrap_or_default();
    assert_eq!(rejected.lines().count(), 5, "{rejected}");
    assert!(
        rejected
            .lines()
            .next()
            .is_some_and(|h| h.ends_with("错误原因"))
    );
    assert!(rejected.contains("2024-02-30") && rejected.contains("[E0205]"));
}

#[test]
fn logs_out_of_date_order_are_sorted_first() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    village(
        dir.path(),
        "户号,人口\nA1,1\n",
        "日期,户号,事项,天数\n2024-05-01,A1,义务投工,1\n2024-01-01,A1,义务投工,2\n2023-12-31,A1,义务投工,5\n",
    );
    let (code, out, err) = xiangyue(&["eval", &dir.path().to_string_lossy(), "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let value: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    // 2024: 10 + 2 + 4; the 2023 record is outside the period.
    assert_eq!(value["households"][0]["total"], "16");
    assert_eq!(value["summary"]["outside_period"], 1);
}

#[test]
fn registers_and_logs_in_every_format_and_encoding() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    village(
        dir.path(),
        "户号,人口\nA1,2\n",
        "日期,户号,事项,天数\n2024-03-01,A1,义务投工,2\n",
    );
    let path = dir.path().to_string_lossy().to_string();
    let total = |args: &[&str]| {
        let mut all = vec!["eval", path.as_str(), "--format", "json"];
        all.extend_from_slice(args);
        let (code, out, err) = xiangyue(&all);
        assert_eq!(code, 0, "{err}");
        let value: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
        value["households"][0]["total"].clone()
    };
    assert_eq!(total(&[]), "24");
    // GB18030, detected.
    let gb = encoding_rs::GB18030
        .encode("日期,户号,事项,天数\n2024-03-01,A1,义务投工,3\n")
        .0;
    std::fs::write(dir.path().join("events.csv"), &gb).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(total(&[]), "26");
    // JSON Lines.
    let jsonl = dir.path().join("events.jsonl");
    std::fs::write(
        &jsonl,
        "{\"日期\":\"2024-03-01\",\"户号\":\"A1\",\"事项\":\"义务投工\",\"天数\":4}\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(total(&["--events", &jsonl.to_string_lossy()]), "28");
    // A workbook, with dates as Excel dates.
    let xlsx = dir.path().join("事项.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (c, h) in ["日期", "户号", "事项", "天数"].iter().enumerate() {
        sheet
            .write_string(0, c as u16, *h)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let date =
        rust_xlsxwriter::ExcelDateTime::from_ymd(2024, 3, 1).unwrap_or_else(|e| panic!("{e}"));
    let format = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    sheet
        .write_datetime_with_format(1, 0, &date, &format)
        .unwrap_or_else(|e| panic!("{e}"));
    sheet
        .write_string(1, 1, "A1")
        .unwrap_or_else(|e| panic!("{e}"));
    sheet
        .write_string(1, 2, "义务投工")
        .unwrap_or_else(|e| panic!("{e}"));
    sheet
        .write_number(1, 3, 5.0)
        .unwrap_or_else(|e| panic!("{e}"));
    workbook.save(&xlsx).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(total(&["--events", &xlsx.to_string_lossy()]), "30");
}
