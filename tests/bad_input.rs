//! Issue 14's data rules from the user's side (the binary on files): persons and their
//! households in every format, repeated 编号 in JSON Lines, names that differ only in
//! full-width forms, and the reject file in the log's own encoding.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

fn xiangyue(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_xiangyue"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).to_string(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}

const WITH_ROSTER: &str = "乡约「甲村」\n户籍 { 人口：整数 }\n名册 党员 { 姓名：文本 }\n账户 党员积分（属 党员）\n事项 党员公益活动（归 党员）{ 时长：数量（小时） }\n事项 义务投工 { 天数：数量（天） }\n\n第一条\n  凡 党员公益活动，每小时 加 1 分。\n\n第二条\n  凡 义务投工，每天 加 2 分。\n";

fn roster_village(dir: &Path) {
    std::fs::write(dir.join("村.xy"), WITH_ROSTER).unwrap();
    std::fs::write(dir.join("register.csv"), "户号,人口\nH002,4\nH080,2\n").unwrap();
    std::fs::write(dir.join("党员.csv"), "编号,姓名,户号\nW159,张三,H080\n").unwrap();
}

#[test]
fn a_persons_record_naming_another_or_no_household_is_refused_in_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    roster_village(dir.path());
    std::fs::write(
        dir.path().join("events.jsonl"),
        concat!(
            "{\"日期\":\"2024-03-01\",\"户号\":\"H080\",\"人员\":\"W159\",\"事项\":\"党员公益活动\",\"时长\":2}\n",
            "{\"日期\":\"2024-03-02\",\"户号\":\"H002\",\"人员\":\"W159\",\"事项\":\"党员公益活动\",\"时长\":2}\n",
            "{\"日期\":\"2024-03-03\",\"户号\":\"H999\",\"人员\":\"W159\",\"事项\":\"党员公益活动\",\"时长\":1}\n",
            "{\"日期\":\"2024-03-04\",\"人员\":\"W159\",\"事项\":\"党员公益活动\",\"时长\":1}\n",
        ),
    )
    .unwrap();
    let (code, _, err) = xiangyue(dir.path(), &["eval", ".", "--error-format", "plain"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("events.jsonl 第 2 行「户号」列：人员「W159」是户「H080」的人")
            && err.contains("[E0211]"),
        "{err}"
    );
    assert!(
        err.contains("第 3 行「户号」列：户号「H999」不在户籍中"),
        "{err}"
    );
    assert!(err.contains("是不是「H080」"), "{err}");
    assert!(err.contains("2 条记录有误"), "{err}");
}

#[test]
fn a_repeated_record_id_in_json_lines_names_both_lines() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("村.xy"),
        "乡约「甲村」\n户籍 { 人口：整数 }\n事项 义务投工 { 天数：数量（天） }\n\n第一条\n  凡 义务投工，每天 加 2 分。\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("register.csv"), "户号,人口\nH002,4\n").unwrap();
    std::fs::write(
        dir.path().join("events.jsonl"),
        concat!(
            "{\"编号\":\"R1\",\"日期\":\"2024-03-01\",\"户号\":\"H002\",\"事项\":\"义务投工\",\"天数\":1}\n",
            "{\"编号\":\"R2\",\"日期\":\"2024-03-01\",\"户号\":\"H002\",\"事项\":\"义务投工\",\"天数\":1}\n",
            "{\"编号\":\"R1\",\"日期\":\"2024-03-01\",\"户号\":\"H002\",\"事项\":\"义务投工\",\"天数\":1}\n",
        ),
    )
    .unwrap();
    let (code, _, err) = xiangyue(dir.path(), &["eval", ".", "--error-format", "plain"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("[E0213] events.jsonl 第 3 行「编号」列：编号「R1」第 1 行已经用过"),
        "{err}"
    );
}

#[test]
fn names_and_ids_written_full_width_are_the_same_names() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("村.xy"),
        "乡约「甲村」\n户籍 { 人口：整数 }\n事项 「出勤低于８５%」 { }\n\n第一条\n  凡 「出勤低于85%」，扣 2 分。\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("register.csv"), "户号,人口\nA001,3\n").unwrap();
    std::fs::write(
        dir.path().join("events.csv"),
        "日期,户号,事项\n2024-03-01,Ａ001,出勤低于85%\n2024-03-02,A001,出勤低于８５%\n",
    )
    .unwrap();
    let (code, out, err) = xiangyue(dir.path(), &["eval", ".", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(value["households"][0]["total"], "-4", "{out}");
}

#[test]
fn the_reject_file_is_written_in_the_logs_encoding() {
    let dir = tempfile::tempdir().unwrap();
    roster_village(dir.path());
    let log =
        "日期,户号,人员,事项,天数\n2024-03-01,H002,,义务投工,1\n2024-03-02,H002,,义务投工,-1\n";
    // GB18030 in, GB18030 out.
    let (gb, _, _) = encoding_rs::GB18030.encode(log);
    std::fs::write(dir.path().join("events.csv"), &gb).unwrap();
    let (code, _, err) = xiangyue(dir.path(), &["eval", ".", "--reject-file", "退回.csv"]);
    assert_eq!(code, 0, "{err}");
    let bytes = std::fs::read(dir.path().join("退回.csv")).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err(), "not GB18030");
    let (text, _, bad) = encoding_rs::GB18030.decode(&bytes);
    assert!(!bad);
    assert!(
        text.starts_with("日期,户号,人员,事项,天数,错误原因\n"),
        "{text}"
    );
    assert!(
        text.contains("2024-03-02,H002,,义务投工,-1,[E0212]"),
        "{text}"
    );
    // UTF-8 in: UTF-8 out with a byte order mark, which Excel needs to see UTF-8.
    std::fs::write(dir.path().join("events.csv"), log).unwrap();
    let (code, _, err) = xiangyue(dir.path(), &["eval", ".", "--reject-file", "退回.csv"]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(dir.path().join("退回.csv")).unwrap();
    assert!(
        text.starts_with("\u{feff}日期,户号,人员,事项,天数,错误原因\n"),
        "{text}"
    );
}

/// Rows alike are found even when a later day comes between them in a log out of date order
/// (the second, sorted reading keeps every day): no silent double count.
#[test]
fn rows_alike_out_of_date_order_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("村.xy"),
        "乡约「甲村」\n户籍 { 人口：整数 }\n事项 义务投工 { 天数：数量（天） }\n\n第一条\n  凡 义务投工，每天 加 2 分。\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("register.csv"), "户号,人口\nH1,1\nH2,1\n").unwrap();
    for events in [
        // In date order, then back: line 2 and line 5 are alike, line 3 is another day.
        "日期,户号,事项,天数\n2024-03-01,H1,义务投工,1\n2024-03-05,H2,义务投工,1\n2024-03-02,H2,义务投工,1\n2024-03-01,H1,义务投工,1\n",
        // Forward past the repeat's day before anything goes back.
        "日期,户号,事项,天数\n2024-03-01,H1,义务投工,1\n2024-03-09,H2,义务投工,2\n2024-03-10,H2,义务投工,3\n2024-03-01,H1,义务投工,1\n",
    ] {
        std::fs::write(dir.path().join("events.csv"), events).unwrap();
        let (code, out, err) = xiangyue(dir.path(), &["eval", ".", "--period", "2024"]);
        assert_eq!(code, 0, "{err}");
        assert!(
            err.contains("W0203") && err.contains("第 2、5 行"),
            "{events}\n{out}{err}"
        );
        let (code, _, err) = xiangyue(dir.path(), &["eval", ".", "--period", "2024", "--strict"]);
        assert_eq!(code, 1, "{err}");
    }
}
