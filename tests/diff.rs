//! `xiangyue diff`: each kind of change on small inline compacts (text and JSON in one reviewed
//! snapshot each), equivalence of every repository compact with itself and with its formatted
//! text, the impact against separate evaluations, and the HTML report.

#![allow(
    clippy::panic,
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::indexing_slicing
)]

mod common;

use std::process::Command;

use xiangyue::compile::compile;
use xiangyue::diff::{ClauseKind, Direction, compare};
use xiangyue::fmt::format_source;
use xiangyue::model::Compact;
use xiangyue::report::diff::{DiffDocument, render_text};
use xiangyue::report::diff_json::render_json;

const BASE: &str = "乡约「测试村积分细则」
版本「1」
生效 2024年1月1日

户籍 { 人口：整数；党员户：是否 }

账户 户积分（默认）：最低 0 分

事项 义务投工 { 天数：数量（天） }
事项 获得表彰 { 级别：选项（县级、市级） }
事项 乱倒垃圾 { 当场改正：是否 }
事项 违法犯罪

第一章 基础分

第一条 基础分
  原文：按户籍人口确定基础分，每人 10 分。
  每户 加 人口 × 10 分。

第二章 奖惩

第二条 义务投工
  原文：参加义务投工的，每天加 2 分，每年最多加 40 分。
  凡 义务投工，每天 加 2 分；每年 至多 40 分。

第三条 获得表彰
  凡 获得表彰，按 级别：县级 加 10 分，市级 加 20 分。

第四条 乱倒垃圾
  凡 乱倒垃圾，每次 扣 5 分；党员户 加倍。

第五条 初犯改正
  例外于 第四条。
  凡 乱倒垃圾 且 当场改正 且 本年第一次，不扣分。

第六条 违法犯罪
  凡 违法犯罪，一票否决：取消 分红资格。

第三章 结果

第七条 星级
  评定 星级（按 户积分）：不低于 120 分 为「五星」，不低于 80 分 为「三星」，其余 为「一星」。

第八条 分红
  分红：净利润 的 49%，按 户积分 比例 分配。
";

fn checked(source: &str) -> Compact {
    let compiled = compile(source);
    let errors: Vec<String> = compiled
        .problems
        .iter()
        .filter(|p| p.is_error())
        .map(|p| p.code())
        .collect();
    compiled
        .compact
        .unwrap_or_else(|| panic!("does not check: {errors:?}\n{source}"))
}

/// BASE with each (from, to) replaced once (each `from` must occur).
fn edit(edits: &[(&str, &str)]) -> String {
    let mut text = BASE.to_string();
    for (from, to) in edits {
        assert!(text.contains(from), "not in BASE: {from}");
        text = text.replacen(from, to, 1);
    }
    text
}

/// The text report, then the JSON document, of BASE against `new`.
fn report(new: &str) -> String {
    let (old, new) = (checked(BASE), checked(new));
    let diff = compare(&old, &new);
    let doc = DiffDocument {
        old_file: "旧.xy",
        new_file: "新.xy",
        old: &old,
        new: &new,
        diff: &diff,
        impact: None,
        data: None,
    };
    format!(
        "{}\n---- json ----\n{}",
        render_text(&doc),
        render_json(&doc)
    )
}

/// (kind, OLD number, NEW number, direction) of each clause that differs.
type Row = (ClauseKind, Option<u32>, Option<u32>, Option<Direction>);

fn kinds(new: &str) -> Vec<Row> {
    let diff = compare(&checked(BASE), &checked(new));
    diff.clauses
        .iter()
        .map(|c| (c.kind, c.old, c.new, c.direction))
        .collect()
}

#[test]
fn the_base_compact_checks() {
    let compiled = compile(BASE);
    assert!(compiled.compact.is_some());
    assert!(compare(&checked(BASE), &checked(BASE)).is_equivalent());
}

#[test]
fn added_clause() {
    let new = edit(&[
        ("事项 违法犯罪\n", "事项 违法犯罪\n事项 调解纠纷\n"),
        (
            "第八条 分红\n  分红：净利润 的 49%，按 户积分 比例 分配。\n",
            "第八条 分红\n  分红：净利润 的 49%，按 户积分 比例 分配。\n\n第九条 调解纠纷\n  凡 调解纠纷，每次 加 3 分；每月 至多 6 分。\n",
        ),
    ]);
    assert_eq!(
        kinds(&new),
        vec![(ClauseKind::Added, None, Some(9), Some(Direction::Looser))]
    );
    insta::assert_snapshot!(report(&new));
}

#[test]
fn removed_clause_and_renumbered_ones() {
    let new = edit(&[
        (
            "第六条 违法犯罪\n  凡 违法犯罪，一票否决：取消 分红资格。\n\n",
            "",
        ),
        ("第七条 星级", "第六条 星级"),
        ("第八条 分红", "第七条 分红"),
    ]);
    assert_eq!(
        kinds(&new),
        vec![
            (ClauseKind::Removed, Some(6), None, Some(Direction::Looser)),
            (ClauseKind::Moved, Some(7), Some(6), None),
            (ClauseKind::Moved, Some(8), Some(7), None),
        ]
    );
    insta::assert_snapshot!(report(&new));
}

#[test]
fn changed_amount_and_cap() {
    let new = edit(&[(
        "每天 加 2 分；每年 至多 40 分",
        "每天 加 3 分；每年 至多 60 分",
    )]);
    let diff = compare(&checked(BASE), &checked(&new));
    assert_eq!(
        diff.clauses[0].summary(),
        "第二条 每天加分由 2 分改为 3 分；每年上限由 40 分改为 60 分"
    );
    insta::assert_snapshot!(report(&new));
}

#[test]
fn changed_unit() {
    let new = edit(&[("每天 加 2 分；", "每次 加 2 分；")]);
    assert_eq!(
        kinds(&new),
        vec![(
            ClauseKind::Changed,
            Some(2),
            Some(2),
            Some(Direction::Unclear)
        )]
    );
    insta::assert_snapshot!(report(&new));
}

#[test]
fn changed_condition() {
    // Dropping 本年第一次 from the exception: it relieves more deductions (从宽).
    let new = edit(&[("且 当场改正 且 本年第一次，不扣分", "且 当场改正，不扣分")]);
    assert_eq!(
        kinds(&new),
        vec![(
            ClauseKind::Changed,
            Some(5),
            Some(5),
            Some(Direction::Looser)
        )]
    );
    insta::assert_snapshot!(report(&new));
}

#[test]
fn changed_cap_added_and_removed() {
    let new = edit(&[
        ("每天 加 2 分；每年 至多 40 分。", "每天 加 2 分。"),
        (
            "每次 扣 5 分；党员户 加倍。",
            "每次 扣 5 分；党员户 加倍；每年 至多 扣 20 分。",
        ),
    ]);
    assert_eq!(
        kinds(&new),
        vec![
            (
                ClauseKind::Changed,
                Some(2),
                Some(2),
                Some(Direction::Looser)
            ),
            (
                ClauseKind::Changed,
                Some(4),
                Some(4),
                Some(Direction::Looser)
            ),
        ]
    );
    insta::assert_snapshot!(report(&new));
}

#[test]
fn changed_multiplier() {
    let new = edit(&[("党员户 加倍。", "党员户 按 3 倍。")]);
    assert_eq!(
        kinds(&new),
        vec![(
            ClauseKind::Changed,
            Some(4),
            Some(4),
            Some(Direction::Stricter)
        )]
    );
    insta::assert_snapshot!(report(&new));
}

#[test]
fn changed_table_rows() {
    let new = edit(&[(
        "县级 加 10 分，市级 加 20 分",
        "县级 加 15 分，市级 加 18 分",
    )]);
    assert_eq!(
        kinds(&new),
        vec![(
            ClauseKind::Changed,
            Some(3),
            Some(3),
            Some(Direction::Unclear)
        )]
    );
    insta::assert_snapshot!(report(&new));
}

#[test]
fn changed_exception_target() {
    let new = edit(&[("  例外于 第四条。\n", "")]);
    assert_eq!(
        kinds(&new),
        vec![(
            ClauseKind::Changed,
            Some(5),
            Some(5),
            Some(Direction::Unclear)
        )]
    );
    insta::assert_snapshot!(report(&new));
}

#[test]
fn changed_veto_effect() {
    let new = edit(&[(
        "一票否决：取消 分红资格。",
        "一票否决：取消 分红资格、取消 星级 评定资格。",
    )]);
    assert_eq!(
        kinds(&new),
        vec![(
            ClauseKind::Changed,
            Some(6),
            Some(6),
            Some(Direction::Stricter)
        )]
    );
    insta::assert_snapshot!(report(&new));
}

#[test]
fn changed_rating_thresholds() {
    let new = edit(&[("不低于 120 分 为「五星」", "不低于 110 分 为「五星」")]);
    assert_eq!(
        kinds(&new),
        vec![(
            ClauseKind::Changed,
            Some(7),
            Some(7),
            Some(Direction::Looser)
        )]
    );
    insta::assert_snapshot!(report(&new));
}

#[test]
fn changed_dividend_rule() {
    let new = edit(&[("净利润 的 49%", "净利润 的 51%")]);
    assert_eq!(
        kinds(&new),
        vec![(
            ClauseKind::Changed,
            Some(8),
            Some(8),
            Some(Direction::Looser)
        )]
    );
    insta::assert_snapshot!(report(&new));
}

#[test]
fn moved_between_chapters_unchanged() {
    // 第六条 moves from 第二章 to 第三章, keeping its number and its rule.
    let new = edit(&[
        (
            "第六条 违法犯罪\n  凡 违法犯罪，一票否决：取消 分红资格。\n\n",
            "",
        ),
        (
            "第三章 结果\n\n",
            "第三章 结果\n\n第六条 违法犯罪\n  凡 违法犯罪，一票否决：取消 分红资格。\n\n",
        ),
    ]);
    assert_eq!(
        kinds(&new),
        vec![(ClauseKind::Moved, Some(6), Some(6), None)]
    );
    insta::assert_snapshot!(report(&new));
}

#[test]
fn wording_only() {
    let new = edit(&[
        (
            "原文：参加义务投工的，每天加 2 分，每年最多加 40 分。",
            "原文：参加村级义务投工投劳的，每天加 2 分，每户每年最多加 40 分。",
        ),
        ("第三条 获得表彰", "第三条 表彰奖励"),
    ]);
    assert_eq!(
        kinds(&new),
        vec![
            (ClauseKind::Wording, Some(2), Some(2), None),
            (ClauseKind::Wording, Some(3), Some(3), None),
        ]
    );
    insta::assert_snapshot!(report(&new));
}

#[test]
fn header_changes() {
    let new = edit(&[
        (
            "版本「1」\n生效 2024年1月1日\n",
            "版本「2」\n生效 2025年1月1日\n周期 每年 自 3月1日 起\n",
        ),
        ("乡约「测试村积分细则」", "乡约「测试村积分细则（修订）」"),
    ]);
    let diff = compare(&checked(BASE), &checked(&new));
    assert_eq!(diff.header.len(), 4);
    assert!(diff.clauses.is_empty());
    insta::assert_snapshot!(report(&new));
}

#[test]
fn schema_changes() {
    let new = edit(&[
        (
            "户籍 { 人口：整数；党员户：是否 }",
            "户籍 { 人口：整数；党员户：是否；村民小组：文本 }",
        ),
        (
            "事项 获得表彰 { 级别：选项（县级、市级） }",
            "事项 获得表彰（需 证书）{ 级别：选项（县级、市级、省级） }",
        ),
        ("事项 违法犯罪\n", "事项 违法犯罪\n事项 调解纠纷\n"),
    ]);
    let diff = compare(&checked(BASE), &checked(&new));
    assert!(diff.clauses.is_empty());
    assert_eq!(diff.schema.len(), 4);
    insta::assert_snapshot!(report(&new));
}

#[test]
fn layout_and_comments_are_no_change() {
    let new = edit(&[
        ("第二条 义务投工\n", "# 投工的规定\n第二条   义务投工\n"),
        (
            "县级 加 10 分，市级 加 20 分",
            "县级 加 十 分，市级 加 20 分",
        ),
        (
            "每天 加 2 分；每年 至多 40 分",
            "每天 加 ２ 分，每年 至多 40 分",
        ),
    ]);
    let diff = compare(&checked(BASE), &checked(&new));
    assert!(diff.is_equivalent(), "{:?}", diff.clauses);
}

#[test]
fn every_repository_compact_equals_itself_and_its_formatted_text() {
    let compacts = common::repository_compacts();
    assert!(compacts.len() >= 2);
    for fixture in compacts {
        let in_place = |text: &str| {
            common::compile_text_in_place(&fixture, text)
                .compact
                .unwrap_or_else(|| panic!("{} does not check", fixture.name))
        };
        let compact = in_place(&fixture.source);
        let formatted = format_source(&fixture.source).expect("formats");
        let same = compare(&compact, &in_place(&fixture.source));
        assert!(same.is_equivalent(), "{}: {:?}", fixture.name, same);
        let after_fmt = compare(&compact, &in_place(&formatted));
        assert!(
            after_fmt.is_equivalent(),
            "{}: {:?}",
            fixture.name,
            after_fmt
        );
    }
}

fn xiangyue(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_xiangyue"))
        .args(args)
        .current_dir(common::root())
        .output()
        .expect("run xiangyue");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).to_string(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}

#[test]
fn the_command_exits_0_for_the_same_compact_and_3_for_different_ones() {
    for fixture in common::repository_compacts() {
        let path = fixture.path.to_string_lossy().to_string();
        let (code, out, err) = xiangyue(&["diff", &path, &path]);
        assert_eq!(code, 0, "{path}: {out}{err}");
        assert!(out.contains("没有变化"));
    }
    // A compact and its formatted text.
    let dir = tempfile::tempdir().unwrap();
    for fixture in common::repository_compacts() {
        // A village built on a template finds it from its own folder, not from the copy's.
        if fixture.source.contains("依据「") {
            continue;
        }
        let formatted = dir.path().join(format!("{}.xy", fixture.name));
        std::fs::write(&formatted, format_source(&fixture.source).unwrap()).unwrap();
        let path = fixture.path.to_string_lossy().to_string();
        let (code, out, err) = xiangyue(&["diff", &path, formatted.to_str().unwrap()]);
        assert_eq!(code, 0, "{path}: {out}{err}");
    }
    let (code, _, err) = xiangyue(&[
        "diff",
        "compacts/youxiqiao-demo/youxiqiao.xy",
        "compacts/youxiqiao-demo-2025/youxiqiao-2025.xy",
    ]);
    assert_eq!(code, 3, "{err}");
    let (code, _, _) = xiangyue(&[
        "diff",
        "compacts/youxiqiao-demo/youxiqiao.xy",
        "没有这个.xy",
    ]);
    assert_eq!(code, 2);
}

const OLD_VILLAGE: &str = "compacts/youxiqiao-demo";
const NEW_VILLAGE: &str = "compacts/youxiqiao-demo-2025";

fn json(args: &[&str]) -> serde_json::Value {
    let (code, out, err) = xiangyue(args);
    assert!(code == 0 || code == 3, "{args:?}: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

#[test]
fn the_sample_amendment_text_is_the_reviewed_one() {
    let (code, out, err) = xiangyue(&["diff", OLD_VILLAGE, NEW_VILLAGE]);
    assert_eq!(code, 3, "{err}");
    insta::assert_snapshot!(out);
}

#[test]
fn the_sample_amendment_json_is_the_reviewed_one() {
    let mut doc = json(&["diff", OLD_VILLAGE, NEW_VILLAGE, "--format", "json"]);
    // Households are checked against separate evaluations below; keep the snapshot readable.
    let households = doc["households"].as_array().map_or(0, Vec::len);
    assert_eq!(households, 300);
    doc["households"] = serde_json::json!(format!("{households} 户（见下一个测试）"));
    let people = doc["members"][0]["people"].as_array().map_or(0, Vec::len);
    assert_eq!(people, 60);
    doc["members"][0]["people"] = serde_json::json!(format!("{people} 人（见下一个测试）"));
    insta::assert_snapshot!(serde_json::to_string_pretty(&doc).unwrap());
}

#[test]
fn each_households_delta_equals_the_two_separate_evaluations() {
    let diff = json(&["diff", OLD_VILLAGE, NEW_VILLAGE, "--format", "json"]);
    let old = json(&["eval", OLD_VILLAGE, "--format", "json"]);
    // The amended folder holds only the compact: eval it with the demo's data.
    let new = json(&[
        "eval",
        "compacts/youxiqiao-demo-2025/youxiqiao-2025.xy",
        "--register",
        "compacts/youxiqiao-demo/register.csv",
        "--events",
        "compacts/youxiqiao-demo/events.csv",
        "--roster",
        "党员=compacts/youxiqiao-demo/党员.csv",
        "--pool",
        "300000元",
        "--format",
        "json",
    ]);
    let by_id = |doc: &serde_json::Value| -> std::collections::HashMap<String, serde_json::Value> {
        doc["households"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| (h["id"].as_str().unwrap().to_string(), h.clone()))
            .collect()
    };
    let (old_doc, new_doc) = (old.clone(), new.clone());
    let (old, new) = (by_id(&old), by_id(&new));
    let households = diff["households"].as_array().unwrap();
    assert_eq!(households.len(), new.len());
    let dec =
        |v: &serde_json::Value| -> rust_decimal::Decimal { v.as_str().unwrap().parse().unwrap() };
    let mut dividend_sum: i64 = 0;
    for h in households {
        let id = h["id"].as_str().unwrap();
        let (o, n) = (&old[id], &new[id]);
        let (op, np) = (dec(&o["tracks"]["户积分"]), dec(&n["tracks"]["户积分"]));
        assert_eq!(dec(&h["old_total"]), op, "{id}");
        assert_eq!(dec(&h["new_total"]), np, "{id}");
        assert_eq!(dec(&h["delta"]), np - op, "{id}");
        assert_eq!(h["old_dividend_fen"], o["dividend_fen"], "{id}");
        assert_eq!(h["new_dividend_fen"], n["dividend_fen"], "{id}");
        let delta =
            h["new_dividend_fen"].as_i64().unwrap() - h["old_dividend_fen"].as_i64().unwrap();
        assert_eq!(h["dividend_delta_fen"].as_i64().unwrap(), delta);
        dividend_sum += delta;
        // Every account, not only the total.
        for account in h["accounts"].as_array().unwrap() {
            let name = account["name"].as_str().unwrap();
            assert_eq!(dec(&account["old"]), dec(&o["tracks"][name]), "{id} {name}");
            assert_eq!(dec(&account["new"]), dec(&n["tracks"][name]), "{id} {name}");
        }
    }
    // Roster members (党员): every account against the two evaluations.
    for roster in diff["members"].as_array().unwrap() {
        let name = roster["roster"].as_str().unwrap();
        let people =
            |doc: &serde_json::Value| -> std::collections::HashMap<String, serde_json::Value> {
                doc["members"][name]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| (p["id"].as_str().unwrap().to_string(), p.clone()))
                    .collect()
            };
        let (old_people, new_people) = (people(&old_doc), people(&new_doc));
        assert_eq!(roster["people"].as_array().unwrap().len(), new_people.len());
        for p in roster["people"].as_array().unwrap() {
            let id = p["id"].as_str().unwrap();
            for account in p["accounts"].as_array().unwrap() {
                let track = account["name"].as_str().unwrap();
                assert_eq!(
                    dec(&account["old"]),
                    dec(&old_people[id]["tracks"][track]),
                    "{id}"
                );
                assert_eq!(
                    dec(&account["new"]),
                    dec(&new_people[id]["tracks"][track]),
                    "{id}"
                );
            }
        }
    }
    // The pool is the same under both versions: the dividend only moves between households.
    assert_eq!(dividend_sum, 0);
    // The per-clause impact adds up to the households' total change in each account.
    let total_delta: rust_decimal::Decimal = households.iter().map(|h| dec(&h["delta"])).sum();
    let clause_delta: rust_decimal::Decimal = diff["impact"]["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["accounts"].as_array().unwrap().clone())
        .filter(|a| a["name"] == "户积分")
        .map(|a| dec(&a["delta"]))
        .sum();
    assert_eq!(total_delta, clause_delta);
}

/// Tags opened and closed in order (void elements aside).
fn assert_well_formed(html: &str) {
    const VOID: &[&str] = &["meta", "br", "hr", "img", "link", "input", "!doctype"];
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let after = &rest[start + 1..];
        let end = after.find('>').expect("unclosed <");
        let tag = &after[..end];
        rest = &after[end + 1..];
        if tag.ends_with('/') {
            continue;
        }
        let name: String = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace())
            .next()
            .unwrap()
            .to_ascii_lowercase();
        if VOID.contains(&name.as_str()) {
            continue;
        }
        if tag.starts_with('/') {
            let open = stack.pop();
            assert_eq!(open.as_deref(), Some(name.as_str()), "closing </{name}>");
        } else {
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "not closed: {stack:?}");
}

#[test]
fn the_html_report_is_well_formed_and_has_the_chart() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("对照.html");
    let (code, _, err) = xiangyue(&[
        "diff",
        OLD_VILLAGE,
        NEW_VILLAGE,
        "--format",
        "html",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert_eq!(code, 3, "{err}");
    let html = std::fs::read_to_string(&file).unwrap();
    assert_well_formed(&html);
    assert!(html.contains("<svg"));
    // One bar per bin, at least one household in a bar, no network: the only addresses are
    // the SVG namespaces of the two charts (money and points).
    assert!(html.matches("<rect").count() >= 2);
    assert_eq!(
        html.matches("http://").count(),
        html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count()
    );
    assert_eq!(html.matches("<svg").count(), 2);
    assert!(!html.contains("https://"));
    // The changes come in order of clause number.
    let fourth = html.find("第四条").unwrap();
    let twenty_sixth = html.find("第二十六条").unwrap();
    assert!(fourth < twenty_sixth);
    assert!(html.contains("每天加分由 2 分改为 3 分"));
}

#[test]
fn markdown_report_lists_the_changes() {
    let (code, out, _) = xiangyue(&["diff", OLD_VILLAGE, NEW_VILLAGE, "--format", "md"]);
    assert_eq!(code, 3);
    assert!(out.starts_with("# 乡约修订对照"));
    assert!(out.contains("| 第四条 义务投工 | 修改 | 从宽 |"));
}

#[test]
fn any_two_compacts_compare_without_panic_and_equivalence_is_symmetric() {
    let mut all = common::repository_compacts();
    all.extend(common::fixtures("tests/ui"));
    all.extend(common::fixtures("tests/fixtures"));
    let compacts: Vec<(String, Compact)> = all
        .into_iter()
        .filter_map(|f| compile(&f.source).compact.map(|c| (f.name, c)))
        .collect();
    assert!(compacts.len() > 10, "{}", compacts.len());
    let mut differing = 0;
    for (a_name, a) in &compacts {
        assert!(compare(a, a).is_equivalent(), "{a_name}");
        for (b_name, b) in &compacts {
            let ab = compare(a, b);
            let ba = compare(b, a);
            assert_eq!(
                ab.is_equivalent(),
                ba.is_equivalent(),
                "{a_name} / {b_name}"
            );
            // Every clause of each side is accounted for exactly once.
            let m = &ab.matching;
            assert_eq!(m.pairs.len() + m.removed.len(), a.clauses.len());
            assert_eq!(m.pairs.len() + m.added.len(), b.clauses.len());
            assert_eq!(
                ab.unchanged + ab.clauses.len(),
                m.pairs.len() + m.removed.len() + m.added.len()
            );
            if !ab.is_equivalent() {
                differing += 1;
            }
        }
    }
    assert!(differing > 0);
}

#[test]
fn two_files_compare_clauses_only_unless_data_is_given() {
    let (old, new) = (
        "compacts/youxiqiao-demo/youxiqiao.xy",
        "compacts/youxiqiao-demo-2025/youxiqiao-2025.xy",
    );
    let (code, out, _) = xiangyue(&["diff", old, new]);
    assert_eq!(code, 3);
    assert!(!out.contains("对各户的影响"));
    // Rosters and 分红.txt are found beside the register.
    let (code, out, err) = xiangyue(&[
        "diff",
        old,
        new,
        "--register",
        "compacts/youxiqiao-demo/register.csv",
        "--events",
        "compacts/youxiqiao-demo/events.csv",
    ]);
    assert_eq!(code, 3, "{err}");
    assert!(out.contains("300 户中，「户积分」增加的 280 户，减少的 14 户，不变的 6 户"));
    assert!(out.contains("原分配 147000 元，新分配 147000 元"));
}

#[test]
fn the_amended_sample_checks_clean_is_canonical_and_its_examples_pass() {
    let path = "compacts/youxiqiao-demo-2025/youxiqiao-2025.xy";
    let source = std::fs::read_to_string(common::root().join(path)).unwrap();
    let compiled = compile(&source);
    assert!(compiled.compact.is_some());
    assert!(
        compiled.problems.is_empty(),
        "{:?}",
        compiled
            .problems
            .iter()
            .map(|p| p.code())
            .collect::<Vec<_>>()
    );
    assert_eq!(format_source(&source).unwrap(), source);
    let (code, out, err) = xiangyue(&["test", path]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("3 个示例，3 个通过，0 个不符"), "{out}");
}

#[test]
fn changed_validity_and_downgrade() {
    // A deduction that now counts for two years is stricter.
    let longer = edit(&[(
        "凡 乱倒垃圾，每次 扣 5 分；党员户 加倍。",
        "凡 乱倒垃圾，每次 扣 5 分；党员户 加倍；有效 2 年。",
    )]);
    let diff = compare(&checked(BASE), &checked(&longer));
    let changed: Vec<_> = diff.clauses.iter().filter(|c| c.old == Some(4)).collect();
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].direction, Some(Direction::Stricter));
    let text = render_text(&DiffDocument {
        old_file: "旧.xy",
        new_file: "新.xy",
        old: &checked(BASE),
        new: &checked(&longer),
        diff: &diff,
        impact: None,
        data: None,
    });
    assert!(text.contains("记录有效期由 1 年改为 2 年"), "{text}");
    // A veto that now also lowers the rating is stricter.
    let downgrade = edit(&[(
        "一票否决：取消 分红资格。",
        "一票否决：取消 分红资格、星级 降为「一星」。",
    )]);
    assert_eq!(
        kinds(&downgrade),
        vec![(
            ClauseKind::Changed,
            Some(6),
            Some(6),
            Some(Direction::Stricter)
        )]
    );
}

/// Issue 14, item 7: two caps on one chapter over the same window and direction passed `check`,
/// and `diff X X` reported a change from one to the other and exited 3. It is now an error, so
/// neither `check` nor `diff` accepts the compact.
#[test]
fn a_chapter_capped_twice_is_an_error_not_a_change() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("两个上限.xy");
    std::fs::write(
        &path,
        "乡约「甲村」\n事项 乱倒垃圾\n\n第一章 扣分\n本章 每年 至多 扣 100 分。\n\
         本章 每年 至多 扣 200 分。\n\n第一条 乱倒垃圾\n  凡 乱倒垃圾，每次 扣 5 分。\n",
    )
    .unwrap();
    let path = path.to_string_lossy().to_string();
    let (code, out, err) = xiangyue(&["check", &path, "--error-format", "plain"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(format!("{out}{err}").contains("E0126"), "{out}{err}");
    let (code, out, err) = xiangyue(&["diff", &path, &path]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(!out.contains("改为"), "{out}");
}

/// A rule that starts rounding each record (四舍五入 保留 1 位小数) is a change, not the same rule.
#[test]
fn changed_rounding() {
    let new = edit(&[(
        "每天 加 2 分；每年 至多 40 分",
        "每天 加 2 分；四舍五入 保留 1 位小数；每年 至多 40 分",
    )]);
    let diff = compare(&checked(BASE), &checked(&new));
    assert!(!diff.is_equivalent());
    let text = report(&new);
    assert!(
        text.contains("每条记录的分数由不取整改为四舍五入保留 1 位小数"),
        "{text}"
    );
}

/// Rows of one rating with the same label (a typo as likely as not: 「80 分 为「二星」，60 分 为
/// 「二星」」) pair in order, so a compact is equivalent to itself (found by the diff_mutation
/// fuzz target: the second 二星 was paired with the first).
#[test]
fn rating_rows_with_the_same_label_pair_in_order() {
    let text = "乡约「甲」\n户籍 { 人口：整数 }\n事项 投工\n\n第一条 投工\n  凡 投工，每次 加 10 分。\n\n第二条 星级\n  评定 星级：不低于 80 分 为「二星」，不低于 60 分 为「二星」，其余 为「一星」。\n";
    let compact = checked(text);
    assert!(compare(&compact, &compact).is_equivalent());
    let looser = checked(&text.replace("不低于 60 分", "不低于 50 分"));
    let diff = compare(&compact, &looser);
    let changes: Vec<&str> = diff
        .clauses
        .iter()
        .flat_map(|c| c.changes.iter().map(|ch| ch.text.as_str()))
        .collect();
    assert_eq!(changes, ["「二星」由不低于 60 分改为不低于 50 分"]);
}
