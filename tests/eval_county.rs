//! `xiangyue eval 县或镇文件夹` from the command line: a county of township and village folders
//! evaluated in one run — each village as `eval` gives it alone, rankings worked out by hand, a
//! broken village named while the others are evaluated, the same bytes twice — and `synth
//! --county`.

// Helpers that run the binary fail the test with a message when the machine cannot run it.
#![allow(clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

const NOW: &str = "2025-01-15T09:30+08:00";

fn xiangyue(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_xiangyue"))
        .args(args)
        .current_dir(dir)
        .env("XIANGYUE_NOW", NOW)
        .env_remove("XIANGYUE_TODAY")
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).to_string(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{e}"));
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

const COMPACT: &str = "乡约「甲」\n户籍 { 人口：整数 }\n事项 投工 { 天数：数量（天） }\n事项 违法\n\n第一条\n  每户 加 人口 × 10 分。\n\n第二条\n  凡 投工，每天 加 2 分。\n\n第三条\n  凡 违法，一票否决：取消 分红资格、取消 星级 评定资格。\n\n第四条\n  评定 星级：不低于 30 分 为「好」。\n\n第五条\n  分红：净利润 的 50%，按 积分 比例 分配。\n";

/// A village folder: the compact, a register of (户号, 人口), events, and its 分红.txt.
fn village(dir: &Path, register: &[(&str, u32)], events: &str, pool: &str) {
    write(&dir.join("乡约.xy"), COMPACT);
    let mut text = "户号,人口\n".to_string();
    for (id, people) in register {
        text.push_str(&format!("{id},{people}\n"));
    }
    write(&dir.join("register.csv"), &text);
    write(
        &dir.join("events.csv"),
        &format!("日期,户号,事项,天数\n{events}"),
    );
    write(&dir.join("分红.txt"), pool);
}

/// 县 with 东镇 (甲村, 乙村) and 西镇 (丙村, 丁村 — whose log names a household not in its
/// register), and a township template (.xy, no data) in 东镇's folder, which is not a village.
///
/// Worked out by hand (points: 人口 × 10, 投工 2 a day; 好 at 30 or more; the pool's half
/// shared by points among households not vetoed):
///
/// - 甲村: A1 人口 3 + 投工 3 天 = 36 (好); A2 人口 1 = 10, 违法 (vetoed, not rated). Total 46,
///   2 households: 23 a household; rated 1 (50%); vetoed 1; 分红 1000 元 × 50% = 500 元, all
///   to A1.
/// - 乙村: B1 20; B2 20 + 投工 5 天 = 30 (好); B3 10. Total 60, 3 households: 20; rated 1
///   (33.3%); vetoed 0; 分红 600 元 × 50% = 300 元.
/// - 丙村: C1 40 (好); C2 10 + 投工 1 天 = 12. Total 52, 2 households: 26; rated 1 (50%);
///   分红 200 元 × 50% = 100 元.
/// - 丁村: not evaluated.
///
/// Ranks by points a household: 丙村 26 → 1, 甲村 23 → 2, 乙村 20 → 3; in 东镇 甲村 1, 乙村 2;
/// in 西镇 丙村 1. Townships: 东镇 (46 + 60) / 5 = 21.2, 西镇 52 / 2 = 26 → 西镇 1, 东镇 2;
/// rated 东镇 2 of 5 = 40%, 西镇 1 of 2 = 50%; 分红 东镇 800 元, 西镇 100 元.
fn county(root: &Path) -> PathBuf {
    let county = root.join("县");
    village(
        &county.join("东镇/甲村"),
        &[("A1", 3), ("A2", 1)],
        "2024-03-01,A1,投工,3\n2024-04-01,A2,违法,\n",
        "1000元\n",
    );
    village(
        &county.join("东镇/乙村"),
        &[("B1", 2), ("B2", 2), ("B3", 1)],
        "2024-03-01,B2,投工,5\n",
        "600元\n",
    );
    write(&county.join("东镇/镇模板.xy"), COMPACT);
    village(
        &county.join("西镇/丙村"),
        &[("C1", 4), ("C2", 1)],
        "2024-03-02,C2,投工,1\n",
        "200元\n",
    );
    village(
        &county.join("西镇/丁村"),
        &[("D1", 1)],
        "2024-03-02,D9,投工,1\n",
        "100元\n",
    );
    county
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn a_county_is_ranked_as_worked_out_by_hand_and_a_broken_village_is_named() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    county(dir.path());
    let (code, out, err) = xiangyue(dir.path(), &["eval", "县", "--format", "json"]);
    assert_eq!(
        code, 1,
        "a village not evaluated makes the exit code 1: {err}"
    );
    assert!(
        err.contains("丁村（县/西镇/丁村）") && err.contains("E0203") && err.contains("D9"),
        "the broken village is named with its place and problem: {err}"
    );
    assert!(
        err.contains("以下 1 个村未计算（其余 3 个村已计算）"),
        "{err}"
    );
    let doc = json(&out);
    assert_eq!(doc["level"], "county");
    let summary = &doc["summary"];
    assert_eq!(summary["townships"], 2);
    assert_eq!(summary["villages"], 4);
    assert_eq!(summary["evaluated"], 3);
    assert_eq!(summary["not_evaluated"], 1);
    assert_eq!(summary["households"], 7);
    assert_eq!(summary["vetoed"], 1);
    assert_eq!(summary["dividend_fen"], 90_000);
    let villages = doc["villages"].as_array().cloned().unwrap_or_default();
    let row = |name: &str| {
        villages
            .iter()
            .find(|v| v["village"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("no {name}"))
    };
    // In folder order (names sorted by their characters: 乙 before 甲, 丁 before 丙): 东镇, then
    // 西镇; the template is not a village.
    let names: Vec<&str> = villages
        .iter()
        .filter_map(|v| v["village"].as_str())
        .collect();
    assert_eq!(names, ["乙村", "甲村", "丁村", "丙村"]);
    let figures = |name: &str| {
        let v = row(name);
        (
            v["households"].clone(),
            v["total_points"].clone(),
            v["average_points"].clone(),
            v["rated"].clone(),
            v["rated_share"].clone(),
            v["vetoed"].clone(),
            v["dividend_fen"].clone(),
            v["rank"].clone(),
            v["rank_in_township"].clone(),
        )
    };
    use serde_json::json as j;
    assert_eq!(
        figures("甲村"),
        (
            j!(2),
            j!("46"),
            j!("23"),
            j!(1),
            j!("50"),
            j!(1),
            j!(50_000),
            j!(2),
            j!(1)
        )
    );
    assert_eq!(
        figures("乙村"),
        (
            j!(3),
            j!("60"),
            j!("20"),
            j!(1),
            j!("33.3"),
            j!(0),
            j!(30_000),
            j!(3),
            j!(2)
        )
    );
    assert_eq!(
        figures("丙村"),
        (
            j!(2),
            j!("52"),
            j!("26"),
            j!(1),
            j!("50"),
            j!(0),
            j!(10_000),
            j!(1),
            j!(1)
        )
    );
    let broken = row("丁村");
    assert_eq!(broken["evaluated"], false);
    assert_eq!(broken["rank"], serde_json::Value::Null);
    assert!(
        broken["problem"]
            .as_str()
            .is_some_and(|p| p.contains("E0203")),
        "{broken}"
    );
    assert_eq!(doc["not_evaluated"][0]["village"], "丁村");
    assert_eq!(doc["not_evaluated"][0]["township"], "西镇");
    let towns = doc["townships"].as_array().cloned().unwrap_or_default();
    let town = |i: usize, key: &str| towns.get(i).map(|t| t[key].clone());
    assert_eq!(town(0, "township"), Some(j!("东镇")));
    assert_eq!(town(0, "average_points"), Some(j!("21.2")));
    assert_eq!(town(0, "rated_share"), Some(j!("40")));
    assert_eq!(town(0, "dividend_fen"), Some(j!(80_000)));
    assert_eq!(town(0, "rank"), Some(j!(2)));
    assert_eq!(town(1, "average_points"), Some(j!("26")));
    assert_eq!(town(1, "rated_share"), Some(j!("50")));
    assert_eq!(town(1, "villages"), Some(j!(2)));
    assert_eq!(town(1, "evaluated"), Some(j!(1)));
    assert_eq!(town(1, "rank"), Some(j!(1)));

    // --error-format json: standard error is one JSON line per village that said anything,
    // its diagnostics as `eval 村 --error-format json` gives them, and no words around them.
    let (code, _, err) = xiangyue(
        dir.path(),
        &["eval", "县", "--format", "json", "--error-format", "json"],
    );
    assert_eq!(code, 1, "{err}");
    let lines: Vec<serde_json::Value> = err.lines().map(json).collect();
    assert_eq!(lines.len(), 1, "{err}");
    let said = lines.first().cloned().unwrap_or_default();
    assert_eq!(said["village"], "丁村");
    assert_eq!(said["evaluated"], false);
    assert_eq!(
        said["diagnostics"]["diagnostics"][0]["code"], "E0203",
        "{err}"
    );
    assert_eq!(said["diagnostics"]["error_count"], 1, "{err}");

    // The table: one row a village, 丁村 marked 未计算, the townships ranked.
    let (code, table, _) = xiangyue(dir.path(), &["eval", "县"]);
    assert_eq!(code, 1);
    assert!(table.contains("东镇（2 个村，已计算 2 个）"), "{table}");
    assert!(table.contains("西镇（2 个村，已计算 1 个）"), "{table}");
    assert!(table.contains("各镇排名"), "{table}");
    assert!(table.contains("未计算"), "{table}");
    assert!(table.lines().count() < 40, "{table}");

    // One township alone: its villages ranked among themselves.
    let (code, out, err) = xiangyue(dir.path(), &["eval", "县/东镇", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let doc = json(&out);
    assert_eq!(doc["level"], "township");
    assert_eq!(doc["name"], "东镇");
    assert_eq!(doc["summary"]["villages"], 2);
}

#[test]
fn each_village_written_is_what_eval_gives_it_alone_and_twice_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    county(dir.path());
    for format in ["json", "csv", "table", "html"] {
        let (code, out, err) =
            xiangyue(dir.path(), &["eval", "县", "--format", format, "-o", "出"]);
        assert_eq!(code, 1, "{err}");
        assert!(out.is_empty(), "with -o nothing goes to stdout: {out}");
        let file = match format {
            "json" => "结果.json",
            "csv" => "结果.csv",
            "table" => "结果.txt",
            _ => "公示表.html",
        };
        for place in ["东镇/甲村", "东镇/乙村", "西镇/丙村"] {
            let (code, alone, err) = xiangyue(
                dir.path(),
                &["eval", &format!("县/{place}"), "--format", format],
            );
            assert_eq!(code, 0, "{err}");
            let written = read(&dir.path().join("出").join(place).join(file));
            assert_eq!(written, alone, "{place} {format}");
        }
        assert!(
            !dir.path().join("出/西镇/丁村").exists(),
            "nothing is written for a village not evaluated"
        );
        let ext = match format {
            "table" => "txt",
            other => other,
        };
        let whole = read(&dir.path().join("出").join(format!("汇总.{ext}")));
        let town = read(&dir.path().join("出/西镇").join(format!("汇总.{ext}")));
        assert!(whole.contains("丁村") && town.contains("丁村"));
        assert!(
            !town.contains("甲村"),
            "a township's summary holds its villages only"
        );
        // The same inputs, the same bytes.
        let (code, _, _) = xiangyue(dir.path(), &["eval", "县", "--format", format, "-o", "出"]);
        assert_eq!(code, 1);
        assert_eq!(
            read(&dir.path().join("出").join(format!("汇总.{ext}"))),
            whole
        );
    }
    assert!(dir.path().join("出/汇总-镇.csv").is_file());
}

#[test]
fn a_folder_that_is_neither_a_village_nor_holds_villages_is_refused_in_chinese() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir_all(dir.path().join("空/别的")).unwrap_or_else(|e| panic!("{e}"));
    let (code, out, err) = xiangyue(dir.path(), &["eval", "空"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("没有乡约文件（.xy），也没有村的文件夹") && err.contains("提示"),
        "{err}"
    );
    county(dir.path());
    let (code, _, err) = xiangyue(dir.path(), &["eval", "县", "--events", "x.csv"]);
    assert_eq!(code, 2);
    assert!(err.contains("不能用 --events"), "{err}");
}

#[test]
fn synth_makes_a_county_that_eval_reads_in_one_run() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let compact = common::root().join("compacts/youxiqiao-demo/youxiqiao.xy");
    let compact = compact.to_string_lossy();
    let synth = |out: &str| {
        xiangyue(
            dir.path(),
            &[
                "synth",
                &compact,
                "--county",
                "5",
                "--townships",
                "2",
                "--households",
                "20",
                "--records-per-household",
                "10",
                "--last-year",
                "2024",
                "--out",
                out,
            ],
        )
    };
    let (code, _, err) = synth("县");
    assert_eq!(code, 0, "{err}");
    let (code, _, _) = synth("县2");
    assert_eq!(code, 0);
    for place in [
        "镇01/村0001",
        "镇01/村0002",
        "镇02/村0003",
        "镇02/村0004",
        "镇02/村0005",
    ] {
        let events = read(&dir.path().join("县").join(place).join("events.csv"));
        assert_eq!(
            events.lines().count(),
            201,
            "{place}: 20 households × 10 records"
        );
        assert_eq!(
            events,
            read(&dir.path().join("县2").join(place).join("events.csv"))
        );
    }
    assert_ne!(
        read(&dir.path().join("县/镇01/村0001/events.csv")),
        read(&dir.path().join("县/镇01/村0002/events.csv")),
        "each village has a seed of its own"
    );
    let (code, out, err) = xiangyue(
        dir.path(),
        &[
            "eval",
            "县",
            "--format",
            "json",
            "--allow-future",
            "-o",
            "出",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty());
    let doc = json(&read(&dir.path().join("出/汇总.json")));
    assert_eq!(doc["summary"]["villages"], 5);
    assert_eq!(doc["summary"]["evaluated"], 5);
    assert_eq!(doc["summary"]["households"], 100);
    let (code, alone, _) = xiangyue(
        dir.path(),
        &[
            "eval",
            "县/镇02/村0004",
            "--format",
            "json",
            "--allow-future",
        ],
    );
    assert_eq!(code, 0);
    assert_eq!(read(&dir.path().join("出/镇02/村0004/结果.json")), alone);
}

/// A folder in a county with a village's records but no compact is not skipped: it is named
/// among the villages not evaluated, with why, and the run exits 1.
#[test]
fn a_village_folder_without_its_compact_is_named_not_skipped() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let county = county(dir.path());
    write(&county.join("西镇/戊村/register.csv"), "户号,人口\nE1,2\n");
    write(
        &county.join("西镇/戊村/events.csv"),
        "日期,户号,事项,天数\n2024-03-01,E1,投工,1\n",
    );
    let (code, out, err) = xiangyue(dir.path(), &["eval", "县", "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let run = json(&out);
    let missing: Vec<&str> = run["not_evaluated"]
        .as_array()
        .unwrap_or_else(|| panic!("{run}"))
        .iter()
        .filter_map(|v| v["village"].as_str())
        .collect();
    assert!(missing.contains(&"戊村"), "{run}");
    assert!(missing.contains(&"丁村"), "{run}");
}
