//! Township templates (模板「…」 and 依据「…」): a village's compact checked against its
//! template — narrowing allowed, widening refused, 自选项 counted and limited, 必选项 required —,
//! the template found on disk from the village's folder, and the sample township
//! (compacts/zetou-demo) against its hand-computed expected.json.

// Helpers that run the binary fail the test with a message when the machine cannot run it.
#![allow(clippy::panic, clippy::expect_used, clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;
use std::process::Command;

use xiangyue::compile::{compile, compile_with};

const TEMPLATE: &str = "模板「甲镇模板」
自选加分项 至多 2 项，每项 至多 2 分。
自选扣分项 至多 1 项，每项 至多 1 分。
账户 积分
事项 投工
事项 好事 { 评定分：分数 }
事项 上访
第一条 投工
  凡 投工，每次 加 2 分；每年 至多 10 分。
第二条 好事
  凡 好事，每次 加 5～10 分。
第三条 上访
  本条 可选。
  凡 上访，每次 扣 10 分。
第四条 星级
  评定 星级（按 积分）：高于 20 分 为「五星」，其余 为「一星」。
";

const VILLAGE_HEAD: &str = "乡约「乙村」
依据「甲镇模板」
账户 积分
事项 投工
事项 好事 { 评定分：分数 }
事项 扫雪
事项 修路
事项 植树
事项 晾晒
";

fn codes(village_clauses: &str) -> BTreeSet<String> {
    let source = format!("{VILLAGE_HEAD}{village_clauses}");
    let compiled = compile_with(&source, &|name| {
        (name == "甲镇模板").then(|| TEMPLATE.to_string())
    });
    compiled
        .problems
        .iter()
        .filter(|p| p.is_error())
        .map(|p| p.code())
        .collect()
}

fn set(codes: &[&str]) -> BTreeSet<String> {
    codes.iter().map(|c| c.to_string()).collect()
}

/// The template's items, narrowed: cap 10 → 6, range 5～10 → 6 (one value inside), 五星 above
/// 20 → above 25, the optional 上访 left out, two 自选加分项 of 2 and 1 分 and one 自选扣分项
/// of 1 分 — all within the template.
const NARROWED: &str = "第一条 投工
  凡 投工，每次 加 2 分；每年 至多 6 分。
第二条 好事
  凡 好事，每次 加 6 分。
第三条 扫雪
  凡 扫雪，每次 加 2 分。
第四条 修路
  凡 修路，每次 加 1 分。
第五条 晾晒
  凡 晾晒，每次 扣 1 分。
第六条 星级
  评定 星级（按 积分）：高于 25 分 为「五星」，其余 为「一星」。
";

#[test]
fn a_village_that_narrows_its_template_checks_and_evaluates_narrowed() {
    assert_eq!(codes(NARROWED), set(&[]));
    // Evaluated by hand: 投工 4 times (2 each, cap 6 → 6), 好事 once (6), 扫雪 once (2),
    // 晾晒 once (−1): 6 + 6 + 2 − 1 = 13 分, not above 25 → 一星. Under the template the
    // same records give 8 + 好事's 评定分 … — the village's narrowing is what counts.
    // A village's compact is whole in itself: the template only checks it, so it evaluates
    // the same without its 依据 line.
    let source = format!("{VILLAGE_HEAD}{NARROWED}").replace("依据「甲镇模板」\n", "");
    let village = common::evaluate(
        &source,
        "户号\nA01\n",
        &[],
        "日期,户号,事项,评定分\n\
         2024-03-01,A01,投工,\n2024-04-01,A01,投工,\n2024-05-01,A01,投工,\n2024-06-01,A01,投工,\n\
         2024-07-01,A01,好事,6\n2024-08-01,A01,扫雪,\n2024-09-01,A01,晾晒,\n",
        None,
        None,
    );
    assert_eq!(village.points("A01", "积分"), "13");
}

#[test]
fn widening_a_range_a_cap_or_a_threshold_is_e0143() {
    let widened = [
        NARROWED.replace("每年 至多 6 分", "每年 至多 12 分"),
        NARROWED.replace("；每年 至多 6 分", ""),
        NARROWED.replace("每次 加 6 分", "每次 加 4～8 分"),
        NARROWED.replace("每次 加 6 分", "每次 加 11 分"),
        NARROWED.replace("高于 25 分", "高于 15 分"),
    ];
    for village in &widened {
        assert_eq!(codes(village), set(&["E0143"]), "{village}");
    }
}

#[test]
fn own_items_are_counted_and_limited_per_item() {
    // A third 自选加分项 (limit 2): E0144.
    let three = format!("{NARROWED}第七条 植树\n  凡 植树，每次 加 1 分。\n");
    assert_eq!(codes(&three), set(&["E0144"]));
    // A 自选扣分项 of 2 分 (limit 1 分 each): E0145.
    let heavy = NARROWED.replace("每次 扣 1 分", "每次 扣 2 分");
    assert_eq!(codes(&heavy), set(&["E0145"]));
}

#[test]
fn a_mandatory_item_left_out_is_e0146_an_optional_one_is_not() {
    let without = NARROWED.replace("第二条 好事\n  凡 好事，每次 加 6 分。\n", "");
    assert!(codes(&without).contains("E0146"));
}

#[test]
fn a_missing_or_self_naming_template_is_reported_not_a_panic() {
    // No resolver (the language server, the browser): E0147 at 依据.
    let source = format!("{VILLAGE_HEAD}{NARROWED}");
    let alone = compile(&source);
    assert!(alone.compact.is_none());
    assert_eq!(
        alone
            .problems
            .iter()
            .filter(|p| p.is_error())
            .map(|p| p.code())
            .collect::<Vec<_>>(),
        vec!["E0147".to_string()]
    );
    // A template built on itself: E0148.
    let looped = TEMPLATE.replace("模板「甲镇模板」\n", "模板「甲镇模板」\n依据「甲镇模板」\n");
    let compiled = compile_with(&looped, &|_| Some(looped.clone()));
    assert!(compiled.problems.iter().any(|p| p.code() == "E0148"));
    // Two templates built on each other: E0148, not a stack overflow.
    let a = "模板「甲」\n依据「乙」\n账户 积分\n";
    let b = "模板「乙」\n依据「甲」\n账户 积分\n";
    let compiled = compile_with(a, &|name| {
        Some(if name == "甲" { a } else { b }.to_string())
    });
    assert!(compiled.problems.iter().any(|p| p.code() == "E0148"));
    // A 乡约 named as a template: E0147.
    let compiled = compile_with(&source, &|_| {
        Some("乡约「甲镇模板」\n账户 积分\n".to_string())
    });
    assert!(compiled.problems.iter().any(|p| p.code() == "E0147"));
}

#[test]
fn the_template_is_found_from_the_village_folder_upwards() {
    let path = common::root().join("compacts/zetou-demo/dongshan/dongshan.xy");
    let loaded = xiangyue::data::load_compact_with_template(&path).expect("reads");
    assert!(
        loaded.compiled.compact.is_some(),
        "{:?}",
        loaded.compiled.problems
    );
    let (file, template) = loaded.template.expect("found");
    assert_eq!(file.file_name().and_then(|f| f.to_str()), Some("镇模板.xy"));
    assert_eq!(template.title, "泽头镇农村居民信用积分模板");
}

#[test]
fn the_sample_villages_match_their_hand_computed_expected_results() {
    for village in ["dongshan", "nanhe"] {
        let dir = format!("compacts/zetou-demo/{village}");
        let output = Command::new(env!("CARGO_BIN_EXE_xiangyue"))
            .args(["eval", &dir, "--format", "json"])
            .current_dir(common::root())
            .env("XIANGYUE_NOW", "2025-01-15T09:30+08:00")
            .output()
            .unwrap_or_else(|e| panic!("run: {e}"));
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let actual: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let expected: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(common::root().join(&dir).join("expected.json")).unwrap(),
        )
        .unwrap();
        assert_eq!(actual["compact"]["title"], expected["compact"]);
        assert_eq!(actual["period"]["label"], expected["period"]);
        let households = actual["households"].as_array().unwrap();
        let wanted = expected["households"].as_array().unwrap();
        assert_eq!(households.len(), wanted.len(), "{village}");
        for (got, want) in households.iter().zip(wanted) {
            assert_eq!(got["id"], want["id"]);
            assert_eq!(
                got["tracks"]["信用积分"], want["信用积分"],
                "{village} {}",
                want["id"]
            );
            assert_eq!(
                got["rating"]["label"], want["星级"],
                "{village} {}",
                want["id"]
            );
        }
    }
}

#[test]
fn diff_of_a_template_and_a_village_lists_its_departures() {
    let output = Command::new(env!("CARGO_BIN_EXE_xiangyue"))
        .args(["diff", "镇模板.xy", "dongshan/dongshan.xy"])
        .current_dir(common::root().join("compacts/zetou-demo"))
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    let out = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{out}");
    assert!(
        out.contains("收窄 2 项，照搬 4 项，未选 1 项，自选 3 项"),
        "{out}"
    );
    assert!(
        out.contains("本村：凡「志愿服务」的，每次加 2 分；每年最多加 10 分。"),
        "{out}"
    );
    assert!(out.contains("模板第五条「无理上访」"), "{out}");
    assert!(
        out.contains("第八条「占道晾晒」：凡「占道晾晒」的，每次扣 1 分。"),
        "{out}"
    );
}

#[test]
fn the_language_server_reports_a_missing_template_and_checks_with_one() {
    use xiangyue::lsp::{Document, Templates, diagnostics};
    let source = format!("{VILLAGE_HEAD}{NARROWED}");
    let code = |d: &lsp_types::Diagnostic| match &d.code {
        Some(lsp_types::NumberOrString::String(c)) => c.clone(),
        _ => String::new(),
    };
    // Alone (the browser, an unsaved buffer): a clear E0147 at 依据, no panic.
    let alone = Document::new(source.clone());
    let found: Vec<String> = diagnostics(&alone).iter().map(code).collect();
    assert!(found.contains(&"E0147".to_string()), "{found:?}");
    // With the template at hand, and after an edit that widens a range: E0143.
    let mut doc = Document::with_templates(
        source,
        Templates::new(|name| (name == "甲镇模板").then(|| TEMPLATE.to_string())),
    );
    assert!(!diagnostics(&doc).iter().any(|d| code(d).starts_with('E')));
    let widened = doc.text.replace("每次 加 6 分", "每次 加 12 分");
    doc.edit(None, &widened);
    let found: Vec<String> = diagnostics(&doc).iter().map(code).collect();
    assert!(found.contains(&"E0143".to_string()), "{found:?}");
}

/// A village built on a template keeps its records in a book like any other: `init`, `record`,
/// `review`, `publish` and `verify` find the template from the village folder upwards (they
/// once compiled the stored text without it, refusing every such village), and `eval` of the
/// book gives the hand-computed figures.
#[test]
fn a_village_on_a_template_keeps_a_book() {
    let township = tempfile::tempdir().unwrap();
    let source = common::root().join("compacts/zetou-demo");
    std::fs::copy(source.join("镇模板.xy"), township.path().join("镇模板.xy")).unwrap();
    let village = township.path().join("nanhe");
    std::fs::create_dir(&village).unwrap();
    for entry in std::fs::read_dir(source.join("nanhe")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), village.join(entry.file_name())).unwrap();
    }
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_xiangyue"))
            .args(args)
            .current_dir(township.path())
            .env("XIANGYUE_NOW", "2025-01-15T09:30+08:00")
            .output()
            .unwrap_or_else(|e| panic!("run: {e}"));
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).to_string()
    };
    run(&["init", "nanhe", "--by", "李会计"]);
    run(&[
        "record",
        "nanhe",
        "--import",
        "nanhe/events.csv",
        "--by",
        "张登记",
    ]);
    run(&["review", "nanhe", "--approve", "全部", "--by", "王审核"]);
    run(&[
        "publish",
        "nanhe",
        "--through",
        "2024-12-31",
        "-o",
        "公示.html",
        "--by",
        "王审核",
    ]);
    assert!(run(&["verify", "nanhe"]).contains("核验通过"));
    let actual: serde_json::Value =
        serde_json::from_str(&run(&["eval", "nanhe", "--format", "json"])).unwrap();
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(village.join("expected.json")).unwrap())
            .unwrap();
    let households = actual["households"].as_array().unwrap();
    let wanted = expected["households"].as_array().unwrap();
    assert_eq!(households.len(), wanted.len());
    for (got, want) in households.iter().zip(wanted) {
        assert_eq!(got["id"], want["id"]);
        assert_eq!(
            got["tracks"]["信用积分"], want["信用积分"],
            "{}",
            want["id"]
        );
        assert_eq!(got["rating"]["label"], want["星级"], "{}", want["id"]);
    }
}

/// A township folder holding its template and villages built on it is evaluated as a
/// township: the template file is not taken for a village, each village finds the template,
/// and each village's total is the sum of its hand-computed expected figures.
#[test]
fn the_sample_township_is_evaluated_in_one_run() {
    let output = Command::new(env!("CARGO_BIN_EXE_xiangyue"))
        .args(["eval", "compacts/zetou-demo", "--format", "json"])
        .current_dir(common::root())
        .env("XIANGYUE_NOW", "2025-01-15T09:30+08:00")
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let run: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(run["summary"]["villages"], 2, "{run}");
    assert_eq!(run["summary"]["not_evaluated"], 0, "{run}");
    for village in run["villages"].as_array().unwrap() {
        let name = village["village"].as_str().unwrap();
        let expected: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(
                common::root()
                    .join("compacts/zetou-demo")
                    .join(name)
                    .join("expected.json"),
            )
            .unwrap(),
        )
        .unwrap();
        let sum: i64 = expected["households"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["信用积分"].as_str().unwrap().parse::<i64>().unwrap())
            .sum();
        assert_eq!(village["total_points"], sum.to_string(), "{name}");
    }
}
