//! `eval`, `explain` and `test` from the command line: the sample village against its reviewed
//! expected results, every output format, bad records refused or set aside, and registers and
//! logs in every file format and encoding.

// Helpers that run the binary fail the test with a message when the machine cannot run it.
#![allow(clippy::panic)]

mod common;

use std::path::Path;
use std::process::Command;

/// The time of evaluation every run here is given (`XIANGYUE_NOW`), so that outputs that
/// state it — `expected.json` among them — are the same on every run.
const NOW: &str = "2025-01-15T09:30+08:00";

fn xiangyue(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_xiangyue"))
        .args(args)
        .current_dir(common::root())
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
    // expected.json names the files it was computed from by their SHA-256: a changed file
    // needs its results reviewed again.
    assert_eq!(
        actual["compact"]["files"], expected["compact"]["files"],
        "an input file of the sample changed since expected.json was reviewed; review the \
         results and regenerate it: XIANGYUE_NOW={NOW} xiangyue eval {SAMPLE} --format json"
    );
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
    assert!(summary["records"].as_u64().unwrap_or(0) >= 19_000);
}

fn count(summary: &serde_json::Value, key: &str) -> u64 {
    summary[key]
        .as_u64()
        .unwrap_or_else(|| panic!("summary.{key} is not a count: {summary}"))
}

#[test]
fn summary_counts_add_up_as_their_names_say() {
    let (code, out, err) = xiangyue(&["eval", SAMPLE, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let value: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    let s = &value["summary"];
    assert_eq!(
        count(s, "records"),
        count(s, "records_in_period")
            + count(s, "records_outside_period")
            + count(s, "records_invalid"),
        "{s}"
    );
    assert_eq!(
        count(s, "records_in_period"),
        count(s, "in_period_evaluated")
            + count(s, "in_period_pending")
            + count(s, "in_period_rejected"),
        "{s}"
    );
    // Refused records are a part of the evaluated ones, and the sample has some.
    assert!(count(s, "evaluated_refused") > 0, "{s}");
    assert!(count(s, "evaluated_refused") < count(s, "in_period_evaluated"));
    for old in [
        "events",
        "in_period",
        "scored",
        "pending",
        "rejected",
        "invalid",
        "refused",
    ] {
        assert!(s.get(old).is_none(), "old name {old} still printed: {s}");
    }
    // The table's summary sentence says the same: the refused are 「其中」 of the evaluated.
    let (_, table, _) = xiangyue(&["eval", SAMPLE]);
    let sentence = format!(
        "本年度事项记录 {} 条：交条文计算 {} 条（其中被条文拒绝 {} 条），待审或缺证明 {} 条，驳回 {} 条",
        count(s, "records_in_period"),
        count(s, "in_period_evaluated"),
        count(s, "evaluated_refused"),
        count(s, "in_period_pending"),
        count(s, "in_period_rejected")
    );
    assert!(table.contains(&sentence), "{sentence}\n{table}");
}

#[test]
fn a_cancelled_rating_is_flagged_with_its_clause_not_named_like_a_band() {
    let (code, out, err) = xiangyue(&["eval", SAMPLE, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let value: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    let household = |id: &str| {
        value["households"]
            .as_array()
            .and_then(|h| h.iter().find(|h| h["id"] == id))
            .cloned()
            .unwrap_or_else(|| panic!("no {id}"))
    };
    // A071: 第二十条 (违法犯罪) cancelled its 星级.
    let a071 = household("A071");
    let cancelled =
        serde_json::json!({"label": null, "cancelled": true, "cancelled_by": "第二十条"});
    assert_eq!(a071["ratings"]["星级"], cancelled, "{a071}");
    assert_eq!(
        a071["rating"],
        serde_json::json!({"name": "星级", "label": null, "cancelled": true, "cancelled_by": "第二十条"})
    );
    assert_eq!(a071["vetoes"][0]["clause"], "第二十条");
    // A001 was rated; nobody's band is the word 取消.
    let a001 = household("A001");
    assert_eq!(
        a001["ratings"]["星级"],
        serde_json::json!({"label": "五星", "cancelled": false, "cancelled_by": null})
    );
    assert_eq!(a001["rating"]["name"], "星级");
    assert!(
        !out.contains("\"取消\""),
        "a rating printed as the word 取消"
    );
    // Party members' ratings have the same shape.
    let member = &value["members"]["党员"][0];
    let rating = member["ratings"]["党员等次"].clone();
    assert_eq!(rating["cancelled"], false, "{member}");
    assert!(rating["label"].is_string(), "{member}");
    // The table says 已取消 with the clause.
    let (_, table, _) = xiangyue(&["eval", SAMPLE]);
    let row = table
        .lines()
        .find(|l| l.contains("A071"))
        .unwrap_or_default();
    assert!(row.contains("已取消（第二十条）"), "{row}");
    let (_, csv, _) = xiangyue(&["eval", SAMPLE, "--format", "csv"]);
    let row = csv
        .lines()
        .find(|l| l.starts_with("A071"))
        .unwrap_or_default();
    assert!(row.contains("已取消（第二十条）"), "{row}");
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
    // The header and 300 households, then an empty row before the notes.
    assert_eq!(
        csv.lines().take_while(|l| !l.starts_with(",,")).count(),
        301
    );
    assert!(csv.contains("计算的年度：2024年度"));
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
    assert_eq!(
        workbook.sheet_names(),
        ["各户积分", "党员", "积分明细", "说明"]
    );
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
    assert_eq!(value["subject"], "A189");
    assert_eq!(value["subject_kind"], "户");
    assert_eq!(value["household"], "A189");
    assert!(value.get("reason").is_none());
    assert_eq!(value["totals"]["户积分"], "69");
    let entry = &value["entries"][0];
    for key in [
        "kind",
        "date",
        "track",
        "clause",
        "clause_source",
        "record",
        "event",
        "veto",
        "amount",
        "computation",
        "notes",
    ] {
        assert!(entry.get(key).is_some(), "missing {key}: {entry}");
    }
    assert!(entry.get("reason").is_none(), "{entry}");
    assert_eq!(entry["kind"], "base");
    assert_eq!(entry["computation"], "人口 3 × 10 分 = 30 分");
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

fn json_of(args: &[&str]) -> serde_json::Value {
    let (code, out, err) = xiangyue(args);
    assert_eq!(code, 0, "{args:?}: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}"))
}

#[test]
fn explain_names_its_subject_and_period_as_eval_does() {
    let eval = json_of(&["eval", SAMPLE, "--format", "json"]);
    let household = json_of(&["explain", SAMPLE, "--household", "A189", "--format", "json"]);
    assert_eq!(household["subject"], "A189");
    assert_eq!(household["subject_kind"], "户");
    assert_eq!(household["household"], "A189");
    assert!(household["period"].is_object(), "{}", household["period"]);
    assert_eq!(household["period"], eval["period"]);
    let person = json_of(&["explain", SAMPLE, "--person", "P001", "--format", "json"]);
    let member = eval["members"]["党员"]
        .as_array()
        .and_then(|m| m.iter().find(|m| m["id"] == "P001"))
        .cloned()
        .unwrap_or_else(|| panic!("no P001 in eval"));
    assert_eq!(person["subject"], "P001");
    assert_eq!(person["subject_kind"], "党员");
    assert_eq!(person["household"], member["household"]);
    assert_eq!(person["household"], "A002");
    assert_eq!(person["period"], eval["period"]);
    assert_eq!(person["totals"], member["tracks"]);
    assert!(person.get("reason").is_none() && person.get("household").is_some());
}

/// The account maps of `eval` and `explain`, read in their printed order.
#[derive(serde::Deserialize)]
struct EvalTracks {
    households: Vec<HouseholdTracks>,
}

#[derive(serde::Deserialize)]
struct HouseholdTracks {
    id: String,
    tracks: indexmap::IndexMap<String, String>,
}

#[derive(serde::Deserialize)]
struct ExplainTotals {
    totals: indexmap::IndexMap<String, String>,
}

#[test]
fn explain_totals_list_every_account_as_eval_tracks_do() {
    let (code, out, err) = xiangyue(&["eval", SAMPLE, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let eval: EvalTracks = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    // Every household account, in compact order, whatever the entries touch.
    for id in ["A001", "A042", "A071", "A189"] {
        let (code, out, err) =
            xiangyue(&["explain", SAMPLE, "--household", id, "--format", "json"]);
        assert_eq!(code, 0, "{err}");
        let explain: ExplainTotals = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
        let tracks = eval
            .households
            .iter()
            .find(|h| h.id == id)
            .map(|h| h.tracks.clone())
            .unwrap_or_default();
        let keys: Vec<&str> = explain.totals.keys().map(String::as_str).collect();
        assert_eq!(keys, ["户积分", "兑换积分", "荣誉积分"], "{id}");
        // Same keys in the same order, same values (IndexMap equality ignores order).
        assert!(
            explain.totals.iter().eq(tracks.iter()),
            "{id}: {:?} vs {tracks:?}",
            explain.totals
        );
    }
    // An account with no entry at all is still listed, as "0".
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    village(dir.path(), "户号,人口\nA1,2\n", "日期,户号,事项,天数\n");
    let compact = dir.path().join("村.xy");
    let text = std::fs::read_to_string(&compact).unwrap_or_default();
    std::fs::write(
        &compact,
        text.replace(
            "户籍 { 人口：整数 }\n",
            "户籍 { 人口：整数 }\n账户 户积分（默认）\n账户 荣誉积分\n",
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().to_string_lossy().to_string();
    let (code, out, err) = xiangyue(&["explain", &path, "--household", "A1", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let explain: ExplainTotals = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    let totals: Vec<(&str, &str)> = explain
        .totals
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(totals, [("户积分", "20"), ("荣誉积分", "0")]);
}

fn entries(value: &serde_json::Value) -> Vec<serde_json::Value> {
    value["entries"].as_array().cloned().unwrap_or_default()
}

#[test]
fn a_refused_redemption_says_it_was_not_carried_out_and_why() {
    let value = json_of(&["explain", SAMPLE, "--household", "A001", "--format", "json"]);
    let refused: Vec<serde_json::Value> = entries(&value)
        .into_iter()
        .filter(|e| e["event"] == "积分兑换" && e["amount"] == "0")
        .collect();
    assert!(!refused.is_empty(), "A001 has refused redemptions");
    for entry in &refused {
        let words = entry["computation"].as_str().unwrap_or_default();
        assert!(
            words.starts_with("余额 ")
                && words.contains("分不足，兑换 ")
                && words.ends_with("分未执行"),
            "{entry}"
        );
        assert!(!words.contains("兑换支出"), "{entry}");
        assert_eq!(entry["kind"], "record");
        assert_eq!(entry["track"], "兑换积分");
    }
    // The first one: the balance was 40, 50 were asked for (events.csv line 5185).
    let first = refused
        .iter()
        .find(|e| e["record"]["line"] == 5185)
        .unwrap_or_else(|| panic!("line 5185: {refused:?}"));
    assert_eq!(first["computation"], "余额 40 分不足，兑换 50 分未执行");
    assert_eq!(first["notes"], serde_json::json!([]));
    // Redemptions carried out still say what was spent.
    assert!(entries(&value).iter().any(|e| {
        e["event"] == "积分兑换"
            && e["computation"]
                .as_str()
                .is_some_and(|c| c.starts_with("兑换支出"))
    }),);
    let (_, text, _) = xiangyue(&["explain", SAMPLE, "--household", "A001"]);
    assert!(
        text.contains("积分兑换：余额 40 分不足，兑换 50 分未执行"),
        "{text}"
    );
    // Said once, in the computation: no note repeats it.
    assert!(
        !text.contains("· 余额"),
        "the refusal is said twice: {text}"
    );
}

#[test]
fn the_year_end_veto_clearing_entry_points_at_its_veto_not_at_a_record() {
    let value = json_of(&["explain", SAMPLE, "--household", "A042", "--format", "json"]);
    let all = entries(&value);
    let clearing: Vec<&serde_json::Value> = all
        .iter()
        .filter(|e| e["kind"] == "veto_clearing")
        .collect();
    assert_eq!(clearing.len(), 1, "{clearing:?}");
    let entry = clearing[0];
    assert_eq!(entry["record"], serde_json::Value::Null);
    assert_eq!(entry["event"], serde_json::Value::Null);
    assert_eq!(entry["track"], "户积分");
    assert_eq!(entry["amount"], "-92");
    assert_eq!(entry["date"], "2024-12-31");
    assert_eq!(
        entry["veto"],
        serde_json::json!({
            "clause": "第二十一条",
            "date": "2024-10-03",
            "record": {"file": "compacts/youxiqiao-demo/events.csv", "line": 15033},
            "effects": ["本年度「户积分」清零"]
        })
    );
    // The veto is the same object as in eval's vetoes.
    let eval = json_of(&["eval", SAMPLE, "--format", "json"]);
    let vetoes = eval["households"]
        .as_array()
        .and_then(|h| h.iter().find(|h| h["id"] == "A042"))
        .map(|h| h["vetoes"][0].clone());
    assert_eq!(vetoes.as_ref(), Some(&entry["veto"]));
    // Every other entry has no veto; record entries have a record and an event, others none.
    for e in &all {
        let record = e["kind"] == "record";
        assert_eq!(e["record"].is_object(), record, "{e}");
        assert_eq!(e["event"].is_string(), record, "{e}");
        if e["kind"] != "veto_clearing" {
            assert!(e["veto"].is_null(), "{e}");
        }
    }
    let kinds: std::collections::BTreeSet<&str> =
        all.iter().filter_map(|e| e["kind"].as_str()).collect();
    assert_eq!(
        kinds,
        ["base", "record", "streak", "veto_clearing"]
            .into_iter()
            .collect()
    );
    let (_, text, _) = xiangyue(&["explain", SAMPLE, "--household", "A042"]);
    assert!(
        text.contains("起因：第二十一条一票否决（2024年10月3日，记录：compacts/youxiqiao-demo/events.csv 第 15033 行）"),
        "{text}"
    );
}

#[test]
fn clause_positions_count_columns_as_diagnostics_do() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    // 第一条 is indented by a full-width space: 2 display cells, 1 character, 1 UTF-16 unit.
    // 第二条 is indented the same way and empty, so that check reports it (W0109).
    std::fs::write(
        dir.path().join("村.xy"),
        "乡约「甲」\n户籍 { 人口：整数 }\n\n\u{3000}第一条\n  每户 加 人口 × 10 分。\n\u{3000}第二条\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("register.csv"), "户号,人口\nA1,2\n")
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("events.csv"), "日期,户号,事项\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().to_string_lossy().to_string();
    let explain = json_of(&["explain", &path, "--household", "A1", "--format", "json"]);
    let source = &explain["entries"][0]["clause_source"];
    assert_eq!(source["line"], 4, "{source}");
    assert_eq!(source["column"], 3, "display cells from 1: {source}");
    assert_eq!(source["char_column"], 2, "characters from 1: {source}");
    assert_eq!(source["utf16_column"], 1, "UTF-16 units from 0: {source}");
    let compact = dir.path().join("村.xy");
    let (_, check, _) = xiangyue(&[
        "check",
        &compact.to_string_lossy(),
        "--error-format",
        "json",
    ]);
    let check: serde_json::Value = serde_json::from_str(&check).unwrap_or_else(|e| panic!("{e}"));
    let start = &check["diagnostics"][0]["labels"][0]["start"];
    assert_eq!(start["line"], 6, "{check}");
    for key in ["column", "char_column", "utf16_column"] {
        assert_eq!(
            start[key], source[key],
            "{key}: check {start} vs explain {source}"
        );
    }
}

/// Every key of an object printed by `eval`/`explain --format json`, except the keys of the
/// objects keyed by names from the compact (accounts, ratings, rosters).
fn keys(value: &serde_json::Value, out: &mut std::collections::BTreeSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                if matches!(key.as_str(), "tracks" | "totals" | "ratings" | "members") {
                    if let serde_json::Value::Object(named) = v {
                        out.insert(key.clone());
                        named.values().for_each(|v| keys(v, out));
                        continue;
                    }
                }
                out.insert(key.clone());
                keys(v, out);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| keys(v, out)),
        _ => {}
    }
}

#[test]
fn docs_json_describes_every_field_eval_and_explain_print() {
    let doc = std::fs::read_to_string(common::root().join("docs/json.md")).unwrap_or_default();
    let mut printed = std::collections::BTreeSet::new();
    keys(
        &json_of(&["eval", SAMPLE, "--format", "json"]),
        &mut printed,
    );
    for id in ["A042", "A189"] {
        keys(
            &json_of(&["explain", SAMPLE, "--household", id, "--format", "json"]),
            &mut printed,
        );
    }
    keys(
        &json_of(&["explain", SAMPLE, "--person", "P001", "--format", "json"]),
        &mut printed,
    );
    for key in &printed {
        // Each field has a row in a table: | `key` | or | `parent.key` |.
        let row = format!("| `{key}` |");
        let nested = format!(".{key}` |");
        assert!(
            doc.contains(&row) || doc.contains(&nested),
            "docs/json.md has no row for `{key}`"
        );
    }
    for gone in ["`reason`", "`scored`", "`refused`", "`in_period`"] {
        assert!(
            !doc.contains(&format!("| {gone} |")),
            "docs/json.md still lists {gone}"
        );
    }
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
    assert_eq!(value["summary"]["records_invalid"], 4);
    assert_eq!(value["summary"]["in_period_evaluated"], 1);
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
    assert_eq!(value["summary"]["records_outside_period"], 1);
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

const WENDENG: &str = "compacts/wendeng-2020";

/// Wendeng 2020 (文登区农村居民信用积分评价办法): the residents worked out by hand in
/// compacts/wendeng-2020/expected.json — validity over years, repeat doubling, take-the-highest,
/// direct downgrades and repair — against `eval` on the three-year log.
#[test]
fn wendeng_matches_its_hand_worked_residents() {
    let (code, out, err) = xiangyue(&["eval", WENDENG, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let actual: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    let expected = std::fs::read_to_string(common::root().join(WENDENG).join("expected.json"))
        .unwrap_or_default();
    let expected: serde_json::Value =
        serde_json::from_str(&expected).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(actual["period"]["year"], expected["period"]);
    let residents = actual["members"]["居民"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(residents.len() >= 200);
    let wanted = expected["residents"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(wanted.len() >= 12);
    for want in wanted {
        let id = &want["id"];
        let got = residents
            .iter()
            .find(|r| &r["id"] == id)
            .unwrap_or_else(|| panic!("no resident {id}"));
        assert!(
            want["why"].as_str().is_some_and(|w| !w.is_empty()),
            "{id}: say why"
        );
        assert_eq!(
            got["tracks"]["信用积分"], want["信用积分"],
            "{id}: {}",
            want["why"]
        );
        for rating in ["星级", "信用等级", "次年区级信用加分"] {
            assert_eq!(
                got["ratings"][rating]["label"], want[rating],
                "{id} {rating}: {}",
                want["why"]
            );
        }
    }
}

#[test]
fn wendeng_checks_formats_and_passes_its_worked_examples() {
    let compact = "compacts/wendeng-2020/wendeng-2020.xy";
    let (code, _, err) = xiangyue(&["check", compact]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = xiangyue(&["fmt", "--check", compact]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = xiangyue(&["test", compact]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("7 个示例，7 个通过"), "{out}");
    // The table shows the residents (a roster), not only the households.
    let (code, table, err) = xiangyue(&["eval", WENDENG]);
    assert_eq!(code, 0, "{err}");
    assert!(table.contains("名册「居民」"), "{table}");
    let row = table
        .lines()
        .find(|l| l.contains("W010"))
        .unwrap_or_default();
    assert!(
        row.contains("1100") && row.contains("五星") && row.contains("AAA"),
        "{row}"
    );
    assert!(table.contains("按有效期计入本年度"), "{table}");
}

/// The resident downgraded to 零星 and repaired in the same year: the ledger says so in words.
#[test]
fn wendeng_explains_a_downgrade_and_its_repair() {
    let (code, out, err) = xiangyue(&["explain", WENDENG, "--person", "W004"]);
    assert_eq!(code, 0, "{err}");
    for words in [
        "信用积分 950 分 · 星级「一星」",
        "「星级」直接降为「零星」",
        "本年度「信用积分」清零",
        "信用修复：撤销第二十九条的一票否决",
        "修复为扣 60 分",
        "合计：信用积分 950 分",
    ] {
        assert!(out.contains(words), "missing {words}:\n{out}");
    }
}

#[test]
fn explain_of_an_unknown_household_points_to_the_right_option_or_id() {
    let sample = common::root().join("compacts/youxiqiao-demo");
    let sample = sample.to_string_lossy();
    // A party member's id given as a household.
    let (code, _, err) = xiangyue(&["explain", &sample, "--household", "P001"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("名册「党员」") && err.contains("--person P001"),
        "{err}"
    );
    // A household id with two neighbours swapped (a one-character slip would match too many).
    let (code, _, err) = xiangyue(&["explain", &sample, "--household", "0A01"]);
    assert_eq!(code, 1);
    assert!(err.contains("是不是「A001」"), "{err}");
}

const LIANTANG: &str = "compacts/liantang-chaoshi";

/// As [`xiangyue`], evaluated in January 2026: the sample's log runs to the end of 2025.
/// A family member's own explanation: each of his records with where it was counted — 计入本户
/// with the household's figures, or why not (the per-household cap) —, none of it in his
/// totals (he has no account of his own), and where to read the household's.
#[test]
fn a_family_members_explain_says_where_each_record_was_counted() {
    let (code, out, err) =
        after_2025(&["explain", LIANTANG, "--person", "P0503", "--period", "2023"]);
    assert_eq!(code, 0, "{err}");
    let heads: Vec<&str> = out.lines().filter(|l| l.starts_with("2023年")).collect();
    assert_eq!(
        heads,
        [
            "2023年6月11日  计入本户  第七条 家庭成员志愿服务",
            "2023年8月6日  不计分  第七条 家庭成员志愿服务",
        ],
        "{out}"
    );
    assert!(
        out.contains("· 计入所在户「L05」的户积分：加 5 分"),
        "{out}"
    );
    assert!(
        out.contains("· 计入所在户「L05」的兑换积分：加 5 分"),
        "{out}"
    );
    assert!(
        out.contains("· 本条每户本年已达上限 20 分，本次应计 5 分，不再计分"),
        "{out}"
    );
    assert!(out.contains("合计：无计分（各行相加）"), "{out}");
    assert!(out.contains("计入所在户「L05」的分数见该户的说明"), "{out}");
    // The household's explanation is unchanged by it: its lines name the member (above).
    let (code, out, err) = after_2025(&[
        "explain", LIANTANG, "--person", "P0503", "--period", "2023", "--format", "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc["totals"], serde_json::json!({}), "{out}");
    assert_eq!(doc["household"], "L05");
}

/// The entries of `explain` of one 莲塘村 household in one period, as JSON.
fn liantang_explain_entries(household: &str, period: &str) -> Vec<serde_json::Value> {
    let (code, out, err) = after_2025(&[
        "explain",
        LIANTANG,
        "--household",
        household,
        "--period",
        period,
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    doc.get("entries")
        .and_then(|e| e.as_array())
        .cloned()
        .unwrap_or_default()
}

fn after_2025(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_xiangyue"))
        .args(args)
        .current_dir(common::root())
        .env("XIANGYUE_NOW", "2026-01-15T09:30+08:00")
        .env_remove("XIANGYUE_TODAY")
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).to_string(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}

/// 莲塘村积分超市 over three years (compacts/liantang-chaoshi/expected.json, worked out by hand
/// in its README): 户积分 carried and cleared on 1月10日, 兑换积分 carried with 积分有效期 2 年
/// spent oldest first, 荣誉积分 only growing — each household's flow per year from
/// `eval --years 2023-2025`.
#[test]
fn liantang_matches_its_hand_worked_years() {
    let (code, out, err) =
        after_2025(&["eval", LIANTANG, "--years", "2023-2025", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    // The years were asked for: no W0211 about records in other years.
    assert!(!err.contains("W0211"), "{err}");
    let actual: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    let expected = std::fs::read_to_string(common::root().join(LIANTANG).join("expected.json"))
        .unwrap_or_default();
    let expected: serde_json::Value =
        serde_json::from_str(&expected).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(actual["from"], expected["from"]);
    assert_eq!(actual["to"], expected["to"]);
    let years = actual["years"].as_array().cloned().unwrap_or_default();
    assert_eq!(years.len(), 3);
    let wanted = expected["households"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(wanted.len(), 10);
    let fields = [
        "opening", "added", "reduced", "cleared", "expired", "closing",
    ];
    for want in &wanted {
        let id = &want["id"];
        assert!(
            want["why"].as_str().is_some_and(|w| !w.is_empty()),
            "{id}: say why"
        );
        for year in &years {
            let label = year["period"]["year"].to_string();
            let got = year["households"]
                .as_array()
                .and_then(|hs| hs.iter().find(|h| &h["id"] == id))
                .unwrap_or_else(|| panic!("no household {id} in {label}"));
            let accounts = want["years"][&label]
                .as_object()
                .cloned()
                .unwrap_or_default();
            assert_eq!(accounts.len(), 3, "{id} {label}");
            for (account, figures) in accounts {
                let got: Vec<&serde_json::Value> = fields
                    .iter()
                    .map(|f| &got["accounts"][&account][f])
                    .collect();
                let figures: Vec<&serde_json::Value> = figures
                    .as_array()
                    .map(|a| a.iter().collect())
                    .unwrap_or_default();
                assert_eq!(got, figures, "{id} {label} {account}: {}", want["why"]);
            }
        }
    }
    // The closing of one year opens the next, for the accounts that carry.
    for pair in years.windows(2) {
        for (before, after) in pair[0]["households"]
            .as_array()
            .into_iter()
            .flatten()
            .zip(pair[1]["households"].as_array().into_iter().flatten())
        {
            for account in ["户积分", "兑换积分", "荣誉积分"] {
                assert_eq!(
                    before["accounts"][account]["closing"], after["accounts"][account]["opening"],
                    "{} {account}",
                    before["id"]
                );
            }
        }
    }
}

#[test]
fn liantang_checks_formats_passes_its_examples_and_shows_years() {
    let compact = "compacts/liantang-chaoshi/liantang.xy";
    let (code, out, err) = after_2025(&["check", compact]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(format!("{out}{err}").contains("0 个警告"), "{out}{err}");
    let (code, out, err) = after_2025(&["fmt", "--check", compact]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = after_2025(&["test", compact]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("3 个示例，3 个通过"), "{out}");
    // The table and the CSV: one row per year, household and account.
    let (code, table, err) = after_2025(&["eval", LIANTANG, "--years", "2023..2025"]);
    assert_eq!(code, 0, "{err}");
    assert!(table.contains("年初") && table.contains("过期"), "{table}");
    let (code, csv, err) =
        after_2025(&["eval", LIANTANG, "--years", "2024-2025", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(csv.lines().count(), 1 + 2 * 10 * 3, "{csv}");
    assert!(
        csv.contains("2024年度,L03,兑换积分,20,10,-5,0,-15,10"),
        "{csv}"
    );
    // --years and --period do not go together; a backwards range is a usage error.
    let (code, _, err) =
        after_2025(&["eval", LIANTANG, "--years", "2023-2025", "--period", "2024"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = after_2025(&["eval", LIANTANG, "--years", "2025-2023"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--years"), "{err}");
    // explain shows the carried balance, the clearing and the expiry as lines of their own.
    let (code, out, err) = after_2025(&[
        "explain",
        LIANTANG,
        "--household",
        "L03",
        "--period",
        "2024",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("上年余额结转"), "{out}");
    assert!(
        out.contains("2023年度所得 15 分 过期作废（积分有效期 2 年）"),
        "{out}"
    );
    let (code, out, err) = after_2025(&[
        "explain",
        LIANTANG,
        "--household",
        "L07",
        "--period",
        "2024",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("余额 20 分清零（账户声明：每年 1月10日 清零）"),
        "{out}"
    );
    // A family member's record counted in the household: its line names the member; the
    // second record of one activity is 已计, the caps per person and per household say so.
    let lines: Vec<(String, String, String, String)> = liantang_explain_entries("L05", "2023")
        .iter()
        .filter(|e| e["track"] == "户积分")
        .map(|e| {
            let notes: Vec<&str> = e["notes"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|n| n.as_str())
                .collect();
            (
                e["date"].as_str().unwrap_or("").to_string(),
                e["amount"].as_str().unwrap_or("").to_string(),
                e["record"]["line"].to_string(),
                notes.join("；"),
            )
        })
        .collect();
    let member = |name: &str, id: &str| format!("家庭成员「{name}（{id}）」的记录，计入本户");
    assert_eq!(
        lines,
        vec![
            (
                "2023-03-05".into(),
                "5".into(),
                "4".into(),
                member("陈志强", "P0501")
            ),
            (
                "2023-03-05".into(),
                "0".into(),
                "5".into(),
                format!(
                    "{}；同一活动编号「A2303」已计（2023年3月5日第 4 行的记录），本次不再计分",
                    member("林小芳", "P0502")
                )
            ),
            (
                "2023-04-09".into(),
                "5".into(),
                "8".into(),
                member("陈志强", "P0501")
            ),
            (
                "2023-05-07".into(),
                "0".into(),
                "11".into(),
                format!(
                    "{}；本条每人本年已达上限 10 分，本次应计 5 分，不再计分",
                    member("陈志强", "P0501")
                )
            ),
            (
                "2023-06-11".into(),
                "5".into(),
                "13".into(),
                member("陈小明", "P0503")
            ),
            (
                "2023-07-02".into(),
                "5".into(),
                "16".into(),
                member("林小芳", "P0502")
            ),
            (
                "2023-08-06".into(),
                "0".into(),
                "17".into(),
                format!(
                    "{}；本条每户本年已达上限 20 分，本次应计 5 分，不再计分",
                    member("陈小明", "P0503")
                )
            ),
        ],
        "{out}"
    );
    // In JSON: kinds carried_balance, date_clearing and expiry, on the days they happen.
    let lines: Vec<(String, String, String, String)> = liantang_explain_entries("L07", "2024")
        .iter()
        .filter(|e| e["clause"].is_null())
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap_or_default().to_string();
            (s("kind"), s("date"), s("track"), s("amount"))
        })
        .collect();
    let line = |kind: &str, date: &str, track: &str, amount: &str| {
        (
            kind.to_string(),
            date.to_string(),
            track.to_string(),
            amount.to_string(),
        )
    };
    assert_eq!(
        lines,
        [
            line("carried_balance", "2024-01-01", "户积分", "20"),
            line("carried_balance", "2024-01-01", "兑换积分", "20"),
            line("date_clearing", "2024-01-10", "户积分", "-20"),
            line("expiry", "2024-12-31", "兑换积分", "-20"),
        ]
    );
}

/// `--years` with `--reject-file`: the log is read once a year, but its bad row is written to
/// the reject file once and said once, and the years are still evaluated.
#[test]
fn several_years_refuse_a_bad_row_once() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let village = dir.path().join("莲塘");
    std::fs::create_dir(&village).unwrap_or_else(|e| panic!("{e}"));
    for entry in std::fs::read_dir(common::root().join(LIANTANG)).unwrap_or_else(|e| panic!("{e}"))
    {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        if let Some(name) = path.file_name() {
            std::fs::copy(&path, village.join(name)).unwrap_or_else(|e| panic!("{e}"));
        }
    }
    let events = village.join("events.csv");
    let mut log = std::fs::read_to_string(&events).unwrap_or_else(|e| panic!("{e}"));
    log.push_str("2024-13-01,L01,义务投工,1,,,,,\n");
    std::fs::write(&events, log).unwrap_or_else(|e| panic!("{e}"));
    let reject = dir.path().join("退回.csv");
    let (code, out, err) = after_2025(&[
        "eval",
        &village.to_string_lossy(),
        "--years",
        "2023-2025",
        "--reject-file",
        &reject.to_string_lossy(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("2025年度"), "{out}");
    assert_eq!(err.matches("1 条记录有误，未计算").count(), 1, "{err}");
    let rejected = std::fs::read_to_string(&reject).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rejected.lines().count(), 2, "{rejected}");
    assert!(rejected.contains("2024-13-01"), "{rejected}");
}
