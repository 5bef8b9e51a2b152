//! What a clerk expects in every output of `eval` (table, CSV, XLSX, the HTML 公示表, JSON), run
//! from the user's side on the sample village and on Wendeng:
//!
//! - the 户主 beside each 户号 (and each roster member's 姓名 and 户号);
//! - roster (党员, 居民) results in CSV (a second file beside the first), XLSX (a sheet per
//!   roster) and HTML (a section per roster);
//! - in the workbook, dates as dates, money as numbers with a money format, points as numbers,
//!   and the same bytes for the same input;
//! - the period, every input file with its SHA-256, and the time of evaluation
//!   (`XIANGYUE_NOW`) stated;
//! - the 公示表's list of cited clauses complete against the ledger.

#![allow(
    clippy::panic,
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::indexing_slicing
)]

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use calamine::{Data, Reader};

const SAMPLE: &str = "compacts/youxiqiao-demo";
const WENDENG: &str = "compacts/wendeng-2020";
/// The time of evaluation every run here is given, and how outputs write it.
const NOW: &str = "2025-01-15T09:30+08:00";
const NOW_WORDS: &str = "2025年1月15日 09:30";
const NOW_JSON: &str = "2025-01-15T09:30:00+08:00";

/// Runs the binary in the crate root with `XIANGYUE_NOW` set: (exit code, stdout, stderr).
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

/// Runs `eval village --format format -o dir/file` and returns the file's path and stderr.
fn eval_to(village: &str, format: &str, dir: &Path, file: &str) -> (std::path::PathBuf, String) {
    let path = dir.join(file);
    let (code, _, err) = xiangyue(&[
        "eval",
        village,
        "--format",
        format,
        "-o",
        &path.to_string_lossy(),
    ]);
    assert_eq!(code, 0, "{err}");
    (path, err)
}

fn json(village: &str) -> serde_json::Value {
    let (code, out, err) = xiangyue(&["eval", village, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

fn workbook(path: &Path) -> calamine::Xlsx<std::io::BufReader<std::fs::File>> {
    calamine::open_workbook(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A number cell's value (not text that looks like one).
fn float(cell: Option<&Data>) -> Option<f64> {
    match cell {
        Some(Data::Float(f)) => Some(*f),
        _ => None,
    }
}

fn text(cell: Option<&Data>) -> String {
    match cell {
        Some(Data::String(s)) => s.clone(),
        Some(other) => format!("{other:?}"),
        None => String::new(),
    }
}

/// The row of a sheet whose first cell is `id`.
fn sheet_row(range: &calamine::Range<Data>, id: &str) -> Vec<Data> {
    range
        .rows()
        .find(|r| text(r.first()) == id)
        .unwrap_or_else(|| panic!("no row {id}"))
        .to_vec()
}

fn column(range: &calamine::Range<Data>, name: &str) -> usize {
    range
        .rows()
        .next()
        .and_then(|h| h.iter().position(|c| text(Some(c)) == name))
        .unwrap_or_else(|| panic!("no column {name}"))
}

fn sha256(path: &str) -> String {
    use sha2::Digest;
    let bytes = std::fs::read(common::root().join(path)).unwrap();
    sha2::Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The sample's input files, as `eval` names them, with their hashes computed here.
fn sample_files() -> Vec<(&'static str, String)> {
    [
        "compacts/youxiqiao-demo/youxiqiao.xy",
        "compacts/youxiqiao-demo/register.csv",
        "compacts/youxiqiao-demo/党员.csv",
        "compacts/youxiqiao-demo/events.csv",
        "compacts/youxiqiao-demo/分红.txt",
    ]
    .into_iter()
    .map(|p| (p, sha256(p)))
    .collect()
}

// 1. 户主 beside 户号 ---------------------------------------------------------------------------

#[test]
fn the_head_of_each_household_stands_beside_its_number_in_every_format() {
    // From compacts/youxiqiao-demo/register.csv and 党员.csv, wendeng-2020/户籍.csv and 居民.csv.
    let (code, table, err) = xiangyue(&["eval", SAMPLE]);
    assert_eq!(code, 0, "{err}");
    // The cells of the table's first line holding `word`.
    let cells = |word: &str| -> Vec<String> {
        let line = table.lines().find(|l| l.contains(word)).unwrap();
        line.trim_matches('│')
            .split('┆')
            .map(|c| c.trim().to_string())
            .collect()
    };
    assert_eq!(cells("户号")[..3], ["户号", "户主", "户积分"]);
    assert_eq!(cells("A001")[..3], ["A001", "朱武兰", "220"]);
    assert_eq!(cells("编号")[..4], ["编号", "姓名", "户号", "党员积分"]);
    assert_eq!(cells("P001")[..4], ["P001", "彭伟国", "A002", "115"]);

    let (code, csv, err) = xiangyue(&["eval", SAMPLE, "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    assert!(lines.next().unwrap().starts_with("户号,户主,户积分,"));
    assert!(lines.next().unwrap().starts_with("A001,朱武兰,220,"));

    let dir = tempfile::tempdir().unwrap();
    let (html, _) = eval_to(SAMPLE, "html", dir.path(), "公示.html");
    let html = std::fs::read_to_string(html).unwrap();
    assert!(
        html.contains("<th>户号</th><th>户主</th>"),
        "no 户主 column"
    );
    assert!(html.contains("<td>A001</td><td>朱武兰</td>"));

    let (xlsx, _) = eval_to(SAMPLE, "xlsx", dir.path(), "积分.xlsx");
    let mut book = workbook(&xlsx);
    let households = book.worksheet_range("各户积分").unwrap();
    assert_eq!(text(households.get((0, 1))), "户主");
    assert_eq!(text(sheet_row(&households, "A001").get(1)), "朱武兰");
    let ledger = book.worksheet_range("积分明细").unwrap();
    let name = column(&ledger, "户主/姓名");
    assert_eq!(text(sheet_row(&ledger, "A001").get(name)), "朱武兰");
    assert_eq!(text(sheet_row(&ledger, "P001").get(name)), "彭伟国");

    let value = json(SAMPLE);
    assert_eq!(value["households"][0]["id"], "A001");
    assert_eq!(value["households"][0]["name"], "朱武兰");
    assert_eq!(value["members"]["党员"][0]["name"], "彭伟国");
    assert_eq!(value["members"]["党员"][0]["household"], "A002");

    let value = json(WENDENG);
    assert_eq!(value["households"][0]["name"], "林秀涛");
    assert_eq!(value["members"]["居民"][0]["name"], "龙梅兰");
}

#[test]
fn a_register_without_names_has_no_empty_name_column() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("村.xy"),
        "乡约「甲」\n户籍 { 人口：整数 }\n事项 投工 { 天数：数量（天） }\n\n第一条\n  每户 加 人口 × 10 分。\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("register.csv"), "户号,人口\nA1,2\n").unwrap();
    std::fs::write(
        dir.path().join("events.csv"),
        "日期,户号,事项,天数\n2024-03-01,A1,投工,1\n",
    )
    .unwrap();
    let village = dir.path().to_string_lossy().to_string();
    let (code, csv, err) = xiangyue(&["eval", &village, "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        csv.trim_start_matches('\u{feff}')
            .starts_with("户号,积分,说明\nA1,20,\n"),
        "{csv}"
    );
    let (code, out, err) = xiangyue(&["eval", &village, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(value["households"][0]["name"], serde_json::Value::Null);
}

// 2. Roster results ---------------------------------------------------------------------------

#[test]
fn roster_results_go_to_a_second_csv_a_sheet_and_a_section() {
    let dir = tempfile::tempdir().unwrap();
    // CSV: 结果.csv for households, 结果-党员.csv beside it, and stderr says so.
    let (csv, err) = eval_to(SAMPLE, "csv", dir.path(), "结果.csv");
    let roster = dir.path().join("结果-党员.csv");
    assert!(
        err.contains("名册「党员」") && err.contains(&*roster.to_string_lossy()),
        "{err}"
    );
    let households = std::fs::read_to_string(&csv).unwrap();
    assert!(!households.contains("P001"));
    let members = std::fs::read_to_string(&roster).unwrap();
    assert!(members.starts_with('\u{feff}'));
    let mut lines = members.trim_start_matches('\u{feff}').lines();
    assert_eq!(lines.next(), Some("编号,姓名,户号,党员积分,党员等次,说明"));
    // P001 (彭伟国, of A002): 115 points, 优秀 — docs/json.md's example.
    assert_eq!(lines.next(), Some("P001,彭伟国,A002,115,优秀,"));
    assert_eq!(
        members
            .lines()
            .filter(|l| l.starts_with('P') && l.contains(",A"))
            .count(),
        60
    );
    // Without -o the households go to the screen and stderr says how to get the roster too.
    let (code, out, err) = xiangyue(&["eval", SAMPLE, "--format", "csv"]);
    assert_eq!(code, 0);
    assert!(!out.contains("P001"));
    assert!(err.contains("名册「党员」") && err.contains("-o"), "{err}");

    // XLSX: a sheet named after the roster.
    let (xlsx, _) = eval_to(SAMPLE, "xlsx", dir.path(), "积分.xlsx");
    let mut book = workbook(&xlsx);
    assert_eq!(book.sheet_names(), ["各户积分", "党员", "积分明细", "说明"]);
    let party = book.worksheet_range("党员").unwrap();
    assert_eq!(party.height(), 61);
    let p001 = sheet_row(&party, "P001");
    assert_eq!(text(p001.get(1)), "彭伟国");
    assert_eq!(text(p001.get(2)), "A002");
    assert_eq!(p001.get(3), Some(&Data::Float(115.0)));
    assert_eq!(text(p001.get(4)), "优秀");

    // HTML: a section per roster, with the member's clauses.
    let (html, _) = eval_to(SAMPLE, "html", dir.path(), "公示.html");
    let html = std::fs::read_to_string(html).unwrap();
    assert!(html.contains("<h2>名册「党员」</h2>"));
    assert!(html.contains(
        "<td>P001</td><td>彭伟国</td><td>A002</td><td class=\"n\">115</td><td>优秀</td>"
    ));

    // Wendeng's results are the residents': all of them in the 公示表 and a CSV of their own.
    let (html, _) = eval_to(WENDENG, "html", dir.path(), "文登.html");
    let html = std::fs::read_to_string(html).unwrap();
    assert!(html.contains("<h2>名册「居民」</h2>"));
    // W001 (龙梅兰 of H001): no records, base 1000, 二星, A (expected.json).
    assert!(
        html.contains(
            "<td>W001</td><td>龙梅兰</td><td>H001</td><td class=\"n\">1000</td><td>二星</td>"
        ),
        "W001's row"
    );
    assert_eq!(html.matches("<tr><td>W").count(), 240);
    let (_, err) = eval_to(WENDENG, "csv", dir.path(), "文登.csv");
    let residents = std::fs::read_to_string(dir.path().join("文登-居民.csv")).unwrap();
    assert!(err.contains("文登-居民.csv"), "{err}");
    assert!(
        residents.contains("\nW001,龙梅兰,H001,1000,二星,"),
        "{residents}"
    );
}

// 3. XLSX cells and bytes --------------------------------------------------------------------

#[test]
fn the_workbook_has_dates_money_and_points_as_such_and_the_same_bytes_each_time() {
    let dir = tempfile::tempdir().unwrap();
    let (first, _) = eval_to(SAMPLE, "xlsx", dir.path(), "一.xlsx");
    let (second, _) = eval_to(SAMPLE, "xlsx", dir.path(), "二.xlsx");
    let (a, b) = (
        std::fs::read(&first).unwrap(),
        std::fs::read(&second).unwrap(),
    );
    assert!(a == b, "two runs gave different workbooks");
    // The time of evaluation is in it: another time, other bytes.
    let other = dir.path().join("三.xlsx");
    let output = Command::new(env!("CARGO_BIN_EXE_xiangyue"))
        .args(["eval", SAMPLE, "--format", "xlsx", "-o"])
        .arg(&other)
        .current_dir(common::root())
        .env("XIANGYUE_NOW", "2025-01-16T10:00+08:00")
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(std::fs::read(&other).unwrap() != a);

    let mut book = workbook(&first);
    let households = book.worksheet_range("各户积分").unwrap();
    let a001 = sheet_row(&households, "A001");
    // A001: 220 户积分, 958.31 元 (95831 fen in expected.json).
    assert_eq!(
        a001.get(column(&households, "户积分")),
        Some(&Data::Float(220.0))
    );
    let money = column(&households, "分红（元）");
    assert_eq!(a001.get(money), Some(&Data::Float(958.31)));
    let styles = book.worksheet_style("各户积分").unwrap();
    let format = |styles: &calamine::StyleRange, row: u32, col: usize| {
        styles
            .get((row, u32::try_from(col).unwrap()))
            .and_then(|s| s.number_format.as_ref())
            .map(|f| f.format_code.clone())
            .unwrap_or_default()
    };
    assert_eq!(format(&styles, 1, money), "#,##0.00");
    // Every money cell sums to the pool: 147000 元.
    let total: f64 = households
        .rows()
        .skip(1)
        .filter_map(|r| float(r.get(money)))
        .sum();
    assert!((total - 147_000.0).abs() < 1e-6, "{total}");

    let ledger = book.worksheet_range("积分明细").unwrap();
    let date = column(&ledger, "日期");
    let points = column(&ledger, "分值");
    let mut dates = 0;
    for (r, row) in ledger.rows().enumerate().skip(1) {
        match row.get(date) {
            Some(Data::DateTime(d)) => {
                assert!(d.is_datetime());
                // 2024年度: serial 45292 is 2024-01-01, 45657 is 2024-12-31.
                assert!((45292.0..=45657.0).contains(&d.as_f64()), "row {r}: {d:?}");
                dates += 1;
            }
            other => panic!("row {r}: 日期 is {other:?}, not a date"),
        }
        assert!(
            matches!(row.get(points), Some(Data::Float(_))),
            "row {r}: 分值 {:?}",
            row.get(points)
        );
    }
    assert!(dates > 19_000);
    let styles = book.worksheet_style("积分明细").unwrap();
    assert_eq!(format(&styles, 1, date), "yyyy-mm-dd");
    // The first entry of A189 in docs/json.md: 2024-02-16, +4 (义务投工, 第四条).
    let a189 = ledger
        .rows()
        .find(|r| {
            text(r.first()) == "A189"
                && matches!(r.get(date), Some(Data::DateTime(d)) if d.as_f64() == 45338.0)
        })
        .expect("A189 on 2024-02-16");
    assert_eq!(a189.get(points), Some(&Data::Float(4.0)));
}

// 4. Period, sources and time --------------------------------------------------------------------

#[test]
fn every_output_states_the_period_the_files_with_their_hashes_and_the_time() {
    let files = sample_files();
    let check = |format: &str, body: &str| {
        assert!(body.contains("2024年度"), "{format}: no period");
        assert!(body.contains(NOW_WORDS), "{format}: no time of evaluation");
        for (path, hash) in &files {
            let line = body
                .lines()
                .find(|l| l.contains(path))
                .unwrap_or_else(|| panic!("{format}: {path} not named"));
            assert!(
                line.contains(hash.as_str()),
                "{format}: {path} without its SHA-256: {line}"
            );
        }
    };
    let (code, table, err) = xiangyue(&["eval", SAMPLE]);
    assert_eq!(code, 0, "{err}");
    check("table", &table);
    let dir = tempfile::tempdir().unwrap();
    let (csv, _) = eval_to(SAMPLE, "csv", dir.path(), "结果.csv");
    check("csv", &std::fs::read_to_string(csv).unwrap());
    check(
        "roster csv",
        &std::fs::read_to_string(dir.path().join("结果-党员.csv")).unwrap(),
    );
    let (html, _) = eval_to(SAMPLE, "html", dir.path(), "公示.html");
    check("html", &std::fs::read_to_string(html).unwrap());

    let value = json(SAMPLE);
    assert_eq!(value["evaluated_at"], NOW_JSON);
    assert_eq!(value["period"]["label"], "2024年度");
    let listed = value["compact"]["files"].as_array().unwrap();
    assert_eq!(listed.len(), files.len());
    for ((path, hash), file) in files.iter().zip(listed) {
        assert_eq!(file["path"], *path);
        assert_eq!(file["sha256"], *hash);
        let bytes = std::fs::metadata(common::root().join(path)).unwrap().len();
        assert_eq!(file["bytes"], bytes);
    }
    let kinds: Vec<&str> = listed.iter().filter_map(|f| f["kind"].as_str()).collect();
    assert_eq!(kinds, ["compact", "register", "roster", "events", "pool"]);

    let (xlsx, _) = eval_to(SAMPLE, "xlsx", dir.path(), "积分.xlsx");
    let mut book = workbook(&xlsx);
    let notes = book.worksheet_range("说明").unwrap();
    let row = |label: &str| {
        notes
            .rows()
            .find(|r| text(r.first()) == label)
            .unwrap_or_else(|| panic!("说明 has no row {label}"))
            .to_vec()
    };
    assert!(text(row("计算的年度").get(1)).starts_with("2024年度"));
    // 2024-01-01 and 2024-12-31 as dates; 2025-01-15 09:30 as a date and time.
    assert!(matches!(row("年度开始").get(1), Some(Data::DateTime(d)) if d.as_f64() == 45292.0));
    assert!(matches!(row("年度结束").get(1), Some(Data::DateTime(d)) if d.as_f64() == 45657.0));
    let at = 45672.0 + 9.5 / 24.0;
    assert!(
        matches!(row("计算时间").get(1), Some(Data::DateTime(d)) if (d.as_f64() - at).abs() < 1e-9),
        "{:?}",
        row("计算时间")
    );
    for (path, hash) in &files {
        let found = notes.rows().any(|r| {
            r.iter().any(|c| text(Some(c)) == *path) && r.iter().any(|c| text(Some(c)) == *hash)
        });
        assert!(found, "说明 lacks {path} with its SHA-256");
    }
}

#[test]
fn the_time_of_evaluation_may_leave_out_its_offset_and_sets_today() {
    let run = |now: &str| {
        Command::new(env!("CARGO_BIN_EXE_xiangyue"))
            .args(["eval", SAMPLE, "--format", "json"])
            .current_dir(common::root())
            .env("XIANGYUE_NOW", now)
            .env_remove("XIANGYUE_TODAY")
            .output()
            .unwrap()
    };
    // Without an offset, the machine's own is added (whatever it is here).
    let output = run("2025-04-01T09:30");
    assert!(output.status.success());
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let at = value["evaluated_at"].as_str().unwrap();
    assert!(
        at.starts_with("2025-04-01T09:30:00") && at.len() == 25,
        "{at}"
    );
    // Its day is today when XIANGYUE_TODAY is not set: records after it are refused (E0220).
    let output = run("2024-06-30T18:00+08:00");
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("E0220"));
}

#[test]
fn a_bad_time_of_evaluation_is_refused_with_a_hint() {
    let output = Command::new(env!("CARGO_BIN_EXE_xiangyue"))
        .args(["eval", SAMPLE])
        .current_dir(common::root())
        .env("XIANGYUE_NOW", "下午三点")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains("XIANGYUE_NOW")
            && err.contains("下午三点")
            && err.contains("2024-04-01T09:30"),
        "{err}"
    );
}

// 5. The 公示表's cited clauses -------------------------------------------------------------------

/// Every clause's 原文 in a compact's text, by 第N条 label (clauses without 原文 are left out).
fn prose(compact: &str) -> std::collections::BTreeMap<String, String> {
    let text = std::fs::read_to_string(common::root().join(compact)).unwrap();
    let mut out = std::collections::BTreeMap::new();
    let mut label = None;
    for line in text.lines() {
        if line.starts_with('第') && line.contains('条') {
            label = line.split_whitespace().next().map(str::to_string);
        } else if let Some(p) = line.trim().strip_prefix("原文：") {
            if let Some(l) = &label {
                out.entry(l.clone())
                    .and_modify(|t: &mut String| t.push_str(p))
                    .or_insert_with(|| p.to_string());
            }
        }
    }
    out
}

/// The 第N条 labels cited in the HTML's list (`<li><b>第N条 …</b>`).
fn cited(html: &str) -> BTreeSet<String> {
    let list = html.split("<h2>所引条文</h2>").nth(1).unwrap_or_default();
    list.split("<li><b>")
        .skip(1)
        .filter_map(|item| item.split([' ', '<']).next().map(str::to_string))
        .collect()
}

/// The 第N条 labels of the clauses holding a statement whose line starts with `start` and
/// contains `contains` (found in the compact's text).
fn clauses_with(compact: &str, start: &str, contains: &str) -> BTreeSet<String> {
    let text = std::fs::read_to_string(common::root().join(compact)).unwrap();
    let mut out = BTreeSet::new();
    let mut label = String::new();
    for line in text.lines() {
        if line.starts_with('第') && line.contains('条') {
            label = line
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string();
        } else if line.trim_start().starts_with(start) && line.contains(contains) {
            out.insert(label.clone());
        }
    }
    out
}

/// Every clause that the ledger (the workbook's 积分明细) shows giving or taking points, every
/// veto that took effect (from the JSON), every rating (each is shown), the rank awards when a
/// title was given and the dividend when it was shared must be in the 公示表's list, each with
/// its 原文. Returns the list.
fn assert_cites_every_clause_that_counted(village: &str, compact: &str) -> BTreeSet<String> {
    let dir = tempfile::tempdir().unwrap();
    let (xlsx, _) = eval_to(village, "xlsx", dir.path(), "积分.xlsx");
    let mut book = workbook(&xlsx);
    let ledger = book.worksheet_range("积分明细").unwrap();
    let clause = column(&ledger, "条文");
    let points = column(&ledger, "分值");
    let mut wanted: BTreeSet<String> = ledger
        .rows()
        .skip(1)
        .filter(|r| float(r.get(points)).is_some_and(|p| p != 0.0))
        .filter_map(|r| text(r.get(clause)).split(' ').next().map(str::to_string))
        .filter(|l| !l.is_empty())
        .collect();
    assert!(wanted.len() >= 5, "{wanted:?}");
    let value = json(village);
    let mut subjects: Vec<serde_json::Value> =
        value["households"].as_array().cloned().unwrap_or_default();
    for members in value["members"].as_object().unwrap().values() {
        subjects.extend(members.as_array().cloned().unwrap_or_default());
    }
    for subject in &subjects {
        for veto in subject["vetoes"].as_array().unwrap() {
            wanted.insert(veto["clause"].as_str().unwrap().to_string());
        }
    }
    let ratings = clauses_with(compact, "评定 ", "");
    assert!(!ratings.is_empty());
    wanted.extend(ratings);
    if subjects
        .iter()
        .any(|s| s["titles"].as_array().is_some_and(|t| !t.is_empty()))
    {
        wanted.extend(clauses_with(compact, "按 ", "排名"));
    }
    if !value["summary"]["pool_fen"].is_null() {
        wanted.extend(clauses_with(compact, "分红：", ""));
    }
    let (html, _) = eval_to(village, "html", dir.path(), "公示.html");
    let html = std::fs::read_to_string(html).unwrap();
    let list = cited(&html);
    let missing: Vec<&String> = wanted.difference(&list).collect();
    assert!(
        missing.is_empty(),
        "{village}: the 公示表 does not cite {missing:?}"
    );
    let texts = prose(compact);
    for label in &list {
        if let Some(text) = texts.get(label) {
            let item = html
                .split("<li><b>")
                .find(|i| {
                    i.starts_with(&format!("{label} ")) || i.starts_with(&format!("{label}<"))
                })
                .unwrap();
            let escaped = text
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            assert!(item.contains(&escaped), "{label}: 原文 missing from {item}");
        }
    }
    list
}

#[test]
fn the_public_ledger_cites_every_clause_that_counted() {
    let list =
        assert_cites_every_clause_that_counted(SAMPLE, "compacts/youxiqiao-demo/youxiqiao.xy");
    // By hand, the sample cites these beyond the 户积分 column's details: 第三条 (党员基础分),
    // 第十五条 (荣誉积分), 第二十条 (a veto), 第二十二条 (党员缺会), 第二十四条 (党员等次),
    // 第二十五条 (兑换), 第二十六条 (星级), 第二十七条 (积分之星), 第二十八条 (分红); and never
    // 第二十九条, which has no rule.
    for label in [
        "第三条",
        "第十五条",
        "第二十条",
        "第二十二条",
        "第二十四条",
        "第二十五条",
        "第二十六条",
        "第二十七条",
        "第二十八条",
    ] {
        assert!(list.contains(label), "{label} not cited: {list:?}");
    }
    assert!(!list.contains("第二十九条"));
}

#[test]
fn wendengs_public_ledger_cites_every_clause_that_counted() {
    let list =
        assert_cites_every_clause_that_counted(WENDENG, "compacts/wendeng-2020/wendeng-2020.xy");
    assert!(list.len() >= 20, "{list:?}");
}

#[test]
fn groups_of_items_are_columns_of_the_table_and_csv_and_an_object_in_json() {
    // The compact of language.md 5.7: 户积分 100 = 环境卫生 30 + 遵纪守法 40 + 邻里和睦 30.
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let v = dir.path();
    let doc = std::fs::read_to_string(common::root().join("docs/language.md"))
        .unwrap_or_else(|e| panic!("{e}"));
    let start = doc
        .find("乡约「分项计分」")
        .unwrap_or_else(|| panic!("5.7"));
    let end = start + doc[start..].find("示例「").unwrap_or_else(|| panic!("5.7"));
    std::fs::write(v.join("c.xy"), &doc[start..end]).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(v.join("register.csv"), "户号,户主\nA1,张三\nA2,李四\n")
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        v.join("events.csv"),
        "日期,户号,事项\n2024-03-01,A1,乱倒垃圾\n2024-04-01,A1,乱倒垃圾\n2024-05-01,A1,乱倒垃圾\n2024-06-01,A1,打架\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let folder = v.to_string_lossy();
    let (code, csv, err) = xiangyue(&["eval", &folder, "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    // A1: 环境卫生 30 − 12 − 12 − 6 (扣完为止) = 0; 遵纪守法 40 − 15 = 25; 户积分 55.
    assert!(
        csv.contains("户积分「环境卫生」,户积分「遵纪守法」,户积分「邻里和睦」")
            && csv.contains("A1,张三,55,0,0,25,30,"),
        "{csv}"
    );
    let (code, out, err) = xiangyue(&["eval", &folder, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        json["households"][0]["groups"]["户积分"],
        serde_json::json!({"环境卫生": "0", "遵纪守法": "25", "邻里和睦": "30"})
    );
    let (code, out, err) = xiangyue(&["explain", &folder, "--household", "A1"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("分项 户积分「环境卫生」：基础分 30 分，加 0 分，扣 30 分（扣完为止，未扣 6 分），余 0 分"),
        "{out}"
    );
}
