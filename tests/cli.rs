//! The command line contract: exit codes, output formats, files written.

// Helpers that run the binary fail the test with a message when the machine cannot run it.
#![allow(clippy::panic)]

mod common;

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

const SAMPLE: &str = "compacts/youxiqiao-demo/youxiqiao.xy";

#[test]
fn check_exits_0_on_a_clean_compact_1_on_errors_2_on_usage() {
    let (code, _, err) = xiangyue(&["check", SAMPLE]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("检查通过"), "{err}");
    let (code, _, err) = xiangyue(&["check", "tests/ui/E0101-unknown-event.xy"]);
    assert_eq!(code, 1);
    assert!(err.contains("E0101") && err.contains("义务投工"), "{err}");
    let (code, _, err) = xiangyue(&["check", "no-such-file.xy"]);
    assert_eq!(code, 2);
    assert!(err.contains("文件不存在"), "{err}");
    let (code, _, _) = xiangyue(&["check", SAMPLE, "--no-such-flag"]);
    assert_eq!(code, 2);
}

#[test]
fn warnings_alone_exit_0() {
    let (code, _, err) = xiangyue(&["check", "tests/ui/W0103-overlap.xy"]);
    assert_eq!(code, 0);
    assert!(err.contains("W0103"), "{err}");
}

#[test]
fn no_fixture_makes_the_binary_panic() {
    let mut fixtures = common::fixtures("tests/ui");
    fixtures.extend(common::fixtures("tests/fixtures"));
    for fixture in fixtures {
        let path = fixture.path.to_string_lossy().to_string();
        for format in ["human", "plain", "json"] {
            let (code, _, err) = xiangyue(&["check", &path, "--error-format", format]);
            assert!(
                code == 0 || code == 1,
                "{path} {format}: exit {code}\n{err}"
            );
        }
    }
}

#[test]
fn json_diagnostics_are_data_with_positions_and_fixes() {
    let (code, out, _) = xiangyue(&[
        "check",
        "tests/ui/E0101-unknown-event.xy",
        "--error-format",
        "json",
    ]);
    assert_eq!(code, 1);
    let value: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    let diagnostic = &value["diagnostics"][0];
    assert_eq!(diagnostic["code"], "E0101");
    assert_eq!(diagnostic["severity"], "error");
    assert_eq!(diagnostic["labels"][0]["start"]["line"], 6);
    assert_eq!(diagnostic["fix"]["replacement"], "义务投工");
    assert_eq!(value["file"], "tests/ui/E0101-unknown-event.xy");
}

#[test]
fn plain_diagnostics_are_one_line_each_with_character_columns() {
    let (_, _, err) = xiangyue(&[
        "check",
        "tests/ui/E0101-unknown-event.xy",
        "--error-format",
        "plain",
    ]);
    // 「  凡 义务投劳」: the name starts at the fifth character of line 6.
    assert!(
        err.starts_with(
            "tests/ui/E0101-unknown-event.xy:6:5: 错误[E0101] 没有声明事项「义务投劳」"
        ),
        "{err}"
    );
}

#[test]
fn fmt_prints_checks_and_writes() {
    let (code, out, _) = xiangyue(&["fmt", SAMPLE]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        std::fs::read_to_string(common::root().join(SAMPLE)).unwrap_or_default()
    );
    let (code, _, _) = xiangyue(&["fmt", "--check", SAMPLE]);
    assert_eq!(code, 0);

    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let messy = dir.path().join("甲村.xy");
    std::fs::write(
        &messy,
        "乡约「甲村」\n第1条\n原文：本细则自公布之日起施行。\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let path = messy.to_string_lossy().to_string();
    let (code, _, err) = xiangyue(&["fmt", "--check", &path]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("不是规范格式"), "{err}");
    let (code, _, _) = xiangyue(&["fmt", "--write", &path]);
    assert_eq!(code, 0);
    assert_eq!(
        std::fs::read_to_string(&messy).unwrap_or_default(),
        "乡约「甲村」\n\n第一条\n  原文：本细则自公布之日起施行。\n"
    );
    let (code, _, _) = xiangyue(&["fmt", "--check", &path]);
    assert_eq!(code, 0);
    // A file that does not parse is reported and left alone.
    let (code, _, err) = xiangyue(&["fmt", "--write", "tests/ui/E0001-missing-comma.xy"]);
    assert_eq!(code, 1);
    assert!(err.contains("E0001"), "{err}");
}

#[test]
fn render_writes_a_self_contained_printable_compact() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let html = dir.path().join("乡约.html");
    let (code, _, err) = xiangyue(&["render", SAMPLE, "-o", &html.to_string_lossy()]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&html).unwrap_or_default();
    assert!(text.starts_with("<!DOCTYPE html>") && text.trim_end().ends_with("</html>"));
    assert!(text.contains("<h1>油溪桥村村级事务积分制管理细则（演示版）</h1>"));
    assert!(text.contains("第二十九条"));
    assert!(text.contains("@page { size: A4"));
    assert!(
        !text.contains("http://") && !text.contains("https://"),
        "loads from the network"
    );
    // A clause written without 原文 gets sentences generated from its rule, marked as such.
    assert!(text.contains("根据规则自动生成"));
    let (code, md, _) = xiangyue(&["render", SAMPLE, "--format", "md"]);
    assert_eq!(code, 0);
    assert!(md.starts_with("# 油溪桥村"));
    assert!(md.contains("## 第二章　奖励分"));
    let (code, _, err) = xiangyue(&["render", "tests/ui/E0101-unknown-event.xy"]);
    assert_eq!(code, 1);
    assert!(err.contains("E0101"));
}

#[test]
fn render_shows_the_programs_reading_beside_each_clauses_original_text() {
    // The 原文 says 3 points a day, the rule gives 2: a reader must be able to see both.
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let compact = dir.path().join("试读村.xy");
    std::fs::write(
        &compact,
        "乡约「试读村」\n事项 义务投工 { 天数：数量（天） }\n\n第一条 义务投工\n原文：参加义务投工的，每天加 3 分。\n凡 义务投工，每天 加 2 分。\n\n第二条 打扫卫生\n原文：打扫卫生的加分。\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let path = compact.to_string_lossy().to_string();
    let reading = "程序读作：凡「义务投工」的，每天加 2 分。";

    let (code, html, err) = xiangyue(&["render", &path]);
    assert_eq!(code, 0, "{err}");
    let original = "<p>参加义务投工的，每天加 3 分。</p>\n";
    let beside = format!("{original}<p class=\"reading\">{reading}</p>\n</div>");
    assert!(html.contains(&beside), "{html}");
    assert!(
        html.contains(".clause p.reading {"),
        "the reading line has its own style"
    );
    // A clause without a rule has nothing to read: no empty 「程序读作」 line.
    assert_eq!(html.matches("程序读作").count(), 1, "{html}");

    let (code, md, err) = xiangyue(&["render", &path, "--format", "md"]);
    assert_eq!(code, 0, "{err}");
    let beside = format!("参加义务投工的，每天加 3 分。\n\n> {reading}\n\n**第二条**");
    assert!(md.contains(&beside), "{md}");
    assert_eq!(md.matches("程序读作").count(), 1, "{md}");
}
