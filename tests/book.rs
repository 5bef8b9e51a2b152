//! The village's book (积分账本.db) from the command line: a month walked end to end on the
//! sample village — 登记, 审核 (with a rejection), 公示, an objection upheld with a correction,
//! 积分超市 refused and accepted, the next month chained to the first, `verify` clean, then a
//! row edited behind the program's back found — and the book's figures checked against `eval`
//! of the same records written as a CSV log.

// Helpers that run the binary fail the test with a message when the machine cannot run it;
// tests index the rows they built themselves.
#![allow(clippy::panic, clippy::indexing_slicing)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

const SAMPLE: &str = "compacts/youxiqiao-demo";

/// Runs the binary in `dir` on day `today`.
fn xy(dir: &Path, today: &str, args: &[&str]) -> (i32, String, String) {
    common::run_on(dir, today, args)
}

/// Runs and insists on success.
fn ok(dir: &Path, today: &str, args: &[&str]) -> String {
    let (code, out, err) = xy(dir, today, args);
    assert_eq!(code, 0, "xiangyue {args:?} failed:\n{out}\n{err}");
    out
}

/// A fresh copy of the sample village without its event log.
fn village() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for file in ["youxiqiao.xy", "register.csv", "党员.csv", "分红.txt"] {
        std::fs::copy(
            common::root().join(SAMPLE).join(file),
            dir.path().join(file),
        )
        .unwrap_or_else(|e| panic!("{file}: {e}"));
    }
    dir
}

/// The sample's log: header and rows.
fn sample_log() -> (String, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(common::root().join(SAMPLE).join("events.csv"))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut lines = text.lines();
    let header = lines.next().unwrap_or_default().to_string();
    let rows = lines
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    (header, rows)
}

const DATE: usize = 1;
const HOUSEHOLD: usize = 2;
const ITEM: usize = 4;
const DAYS: usize = 5;
const STATUS: usize = 17;

fn write_log(path: &Path, header: &str, rows: &[Vec<String>]) {
    let mut text = format!("{header}\n");
    for row in rows {
        text.push_str(&row.join(","));
        text.push('\n');
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{e}"));
}

fn rows_between(rows: &[Vec<String>], from: &str, to: &str) -> Vec<Vec<String>> {
    rows.iter()
        .filter(|r| r[DATE].as_str() >= from && r[DATE].as_str() <= to)
        .cloned()
        .collect()
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// Each household's points per account in `eval`'s JSON.
fn points(eval: &serde_json::Value) -> Vec<(String, String)> {
    eval["households"]
        .as_array()
        .unwrap_or_else(|| panic!("no households"))
        .iter()
        .map(|h| (h["id"].to_string(), h["tracks"].to_string()))
        .collect()
}

/// The household's points in one account.
fn balance(eval: &serde_json::Value, household: &str, account: &str) -> String {
    eval["households"]
        .as_array()
        .and_then(|hs| hs.iter().find(|h| h["id"] == household))
        .map(|h| {
            h["tracks"][account]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .unwrap_or_else(|| panic!("no {household}"))
}

fn book(dir: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(dir.join("积分账本.db")).unwrap_or_else(|e| panic!("{e}"))
}

fn query_i64(dir: &Path, sql: &str) -> i64 {
    book(dir)
        .query_row(sql, [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

fn query_text(dir: &Path, sql: &str) -> String {
    book(dir)
        .query_row(sql, [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// `eval` of a CSV log of the same register (as an independent check of the book's figures).
fn eval_csv(dir: &Path, log: &Path, today: &str) -> serde_json::Value {
    let other = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for file in ["youxiqiao.xy", "register.csv", "党员.csv", "分红.txt"] {
        std::fs::copy(dir.join(file), other.path().join(file)).unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::copy(log, other.path().join("events.csv")).unwrap_or_else(|e| panic!("{e}"));
    json(&ok(
        other.path(),
        today,
        &["eval", ".", "--period", "2024", "--format", "json"],
    ))
}

#[test]
fn a_month_walked_end_to_end_on_the_sample_village() {
    let dir = village();
    let v = dir.path();
    let (header, rows) = sample_log();
    // History before March, already reviewed in the old spreadsheet (the file's 审核 column).
    let history = rows_between(&rows, "2000-01-01", "2024-02-29");
    let march = rows_between(&rows, "2024-03-01", "2024-03-31");
    let april = rows_between(&rows, "2024-04-01", "2024-04-30");
    write_log(&v.join("history.csv"), &header, &history);
    write_log(&v.join("march.csv"), &header, &march);
    write_log(&v.join("april.csv"), &header, &april);

    let out = ok(v, "2024-04-01", &["init", ".", "--by", "张会计"]);
    assert!(
        out.contains("户籍 300 户") && out.contains("名册「党员」60 人"),
        "{out}"
    );
    ok(
        v,
        "2024-04-01",
        &[
            "record",
            ".",
            "--import",
            "history.csv",
            "--by",
            "李登记",
            "--reviewed-by",
            "王审核",
        ],
    );

    // 登记: March's records wait for review, each with a stable id.
    let out = ok(
        v,
        "2024-04-01",
        &["record", ".", "--import", "march.csv", "--by", "李登记"],
    );
    let first = history.len() as i64 + 1;
    let last = first + march.len() as i64 - 1;
    assert!(out.contains(&format!("记录 {first}–{last}")), "{out}");
    let waiting = ok(v, "2024-04-01", &["pending", "."]);
    let history_waiting = history.iter().filter(|r| r[STATUS] == "待审").count();
    assert!(
        waiting.contains(&format!("待审的记录 {} 条", march.len() + history_waiting)),
        "{waiting}"
    );
    assert!(
        waiting.contains("朱武兰") || waiting.contains("户主"),
        "names beside ids:\n{waiting}"
    );

    // 审核: one March record rejected, the rest approved; a reviewed record is never reviewed again.
    let rejected = first + 3;
    ok(
        v,
        "2024-04-01",
        &[
            "review",
            ".",
            "--reject",
            &rejected.to_string(),
            "--reason",
            "没有签字",
            "--by",
            "王审核",
        ],
    );
    ok(
        v,
        "2024-04-01",
        &["review", ".", "--approve", "全部", "--by", "王审核"],
    );
    let (code, _, err) = xy(
        v,
        "2024-04-01",
        &[
            "review",
            ".",
            "--approve",
            &rejected.to_string(),
            "--by",
            "王审核",
        ],
    );
    assert_eq!(code, 1);
    assert!(err.contains("E0308") && err.contains("驳回"), "{err}");

    // 公示 through March: the standing equals `eval` of the same approved records as a CSV.
    let out = ok(
        v,
        "2024-04-01",
        &[
            "publish",
            ".",
            "--through",
            "2024-03-31",
            "--by",
            "张会计",
            "-o",
            "公示1.html",
        ],
    );
    let seal1 = query_text(v, "SELECT seal FROM publications WHERE id = 1");
    assert!(out.contains(&seal1), "{out}");
    assert_eq!(
        query_text(v, "SELECT deadline FROM publications WHERE id = 1"),
        "2024-04-07"
    );
    let page = std::fs::read_to_string(v.join("公示1.html")).unwrap_or_default();
    for needle in [
        seal1.as_str(),
        "朱武兰",
        "2024-04-07",
        "第四条",
        "本期事项",
        "登记人",
        "SHA-256",
    ] {
        assert!(page.contains(needle), "the page lacks {needle}");
    }
    // Every clause `eval`'s 公示表 cites for the same records is cited on the publication's page
    // (but the dividend, which a monthly publication does not share out).
    ok(
        v,
        "2024-04-01",
        &["eval", ".", "--format", "html", "-o", "eval.html"],
    );
    let cited = |html: &str| -> Vec<String> {
        html.split("<li><b>")
            .skip(1)
            .map(|li| li.split("</li>").next().unwrap_or_default().to_string())
            .collect()
    };
    let on_page: Vec<String> = cited(&page)
        .iter()
        .map(|li| li.split("</b>").next().unwrap_or_default().to_string())
        .collect();
    let from_eval = cited(&std::fs::read_to_string(v.join("eval.html")).unwrap_or_default());
    assert!(from_eval.len() > 10, "{from_eval:?}");
    for li in from_eval.iter().filter(|li| !li.contains("分红")) {
        let heading = li.split("</b>").next().unwrap_or_default().to_string();
        assert!(
            on_page.contains(&heading),
            "{heading} is not cited on the page: {on_page:?}"
        );
    }
    let mut as_csv: Vec<Vec<String>> = history.clone();
    for (i, row) in march.iter().enumerate() {
        let mut row = row.clone();
        row[STATUS] = if first + i as i64 == rejected {
            "驳回"
        } else {
            "通过"
        }
        .to_string();
        as_csv.push(row);
    }
    // History rows still waiting were approved with March's (「全部」).
    for row in &mut as_csv {
        if row[STATUS] == "待审" {
            row[STATUS] = "通过".to_string();
        }
    }
    write_log(&v.join("expected-march.csv"), &header, &as_csv);
    let expected = eval_csv(v, &v.join("expected-march.csv"), "2024-04-01");
    let from_book = json(&ok(v, "2024-04-01", &["eval", ".", "--format", "json"]));
    assert_eq!(
        points(&from_book),
        points(&expected),
        "the book and the CSV disagree"
    );

    // 异议 within the window, upheld with a correction: the effect is shown.
    let target = march
        .iter()
        .position(|r| r[ITEM] == "义务投工" && r[DAYS] == "2")
        .unwrap_or_else(|| panic!("no 义务投工 of 2 days in March"));
    let record = first + target as i64;
    let household = march[target][HOUSEHOLD].clone();
    let (code, out, err) = xy(
        v,
        "2024-04-03",
        &[
            "object",
            ".",
            "--record",
            &record.to_string(),
            "--by",
            "村民甲",
            "--reason",
            "那天只干了一天",
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    let pending = ok(v, "2024-04-03", &["pending", "."]);
    assert!(
        pending.contains("异议 1") && pending.contains("那天只干了一天"),
        "{pending}"
    );
    let before = json(&ok(v, "2024-04-03", &["eval", ".", "--format", "json"]));
    let out = ok(
        v,
        "2024-04-03",
        &[
            "resolve",
            ".",
            "--objection",
            "1",
            "--correct",
            "天数=1",
            "--reason",
            "核实为一天",
            "--by",
            "村委会",
        ],
    );
    assert!(
        out.contains(&household),
        "the household corrected is shown:\n{out}"
    );
    let after = json(&ok(v, "2024-04-03", &["eval", ".", "--format", "json"]));
    let mut corrected = as_csv.clone();
    corrected[history.len() + target][DAYS] = "1".to_string();
    write_log(&v.join("expected-corrected.csv"), &header, &corrected);
    assert_eq!(
        points(&after),
        points(&eval_csv(
            v,
            &v.join("expected-corrected.csv"),
            "2024-04-03"
        )),
        "the correction is scored as the corrected record"
    );
    let old = balance(&before, &household, "户积分");
    let new = balance(&after, &household, "户积分");
    assert!(out.contains(&format!("户积分 {old} → {new}")), "{out}");
    // Both records stay in the book.
    assert_eq!(
        query_i64(
            v,
            &format!("SELECT COUNT(*) FROM records WHERE id = {record} OR supersedes = {record}")
        ),
        2
    );

    // 积分超市: an overdraft refused with the balance; a redemption within it accepted.
    let balance_before = balance(&after, "A001", "兑换积分");
    let (code, _, err) = xy(
        v,
        "2024-04-03",
        &[
            "redeem",
            ".",
            "--household",
            "A001",
            "--points",
            "100000",
            "--item",
            "洗衣液",
            "--by",
            "张会计",
        ],
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("E0309") && err.contains(&format!("余额 {balance_before} 分")),
        "{err}"
    );
    ok(
        v,
        "2024-04-03",
        &[
            "redeem",
            ".",
            "--household",
            "A001",
            "--points",
            "20",
            "--item",
            "洗衣液",
            "--by",
            "张会计",
        ],
    );
    let spent = json(&ok(v, "2024-04-03", &["eval", ".", "--format", "json"]));
    let expected_balance = balance_before.parse::<i64>().unwrap_or(0) - 20;
    assert_eq!(
        balance(&spent, "A001", "兑换积分"),
        expected_balance.to_string()
    );
    let explained = ok(v, "2024-04-03", &["explain", ".", "--household", "A001"]);
    assert!(
        explained.contains("兑换支出 20 分") && explained.contains("积分账本.db 记录"),
        "{explained}"
    );

    // After the window, objections are refused: the record is archived.
    let (code, _, err) = xy(
        v,
        "2024-04-09",
        &[
            "object",
            ".",
            "--record",
            &record.to_string(),
            "--by",
            "村民乙",
            "--reason",
            "晚了",
        ],
    );
    assert_eq!(code, 1);
    assert!(err.contains("E0310") && err.contains("归档"), "{err}");

    // The next month, chained to the first.
    ok(
        v,
        "2024-05-01",
        &["record", ".", "--import", "april.csv", "--by", "李登记"],
    );
    ok(
        v,
        "2024-05-01",
        &["review", ".", "--approve", "全部", "--by", "王审核"],
    );
    ok(
        v,
        "2024-05-01",
        &[
            "publish",
            ".",
            "--through",
            "2024-04-30",
            "--by",
            "张会计",
            "-o",
            "公示2.html",
        ],
    );
    assert_eq!(
        query_text(v, "SELECT prev_seal FROM publications WHERE id = 2"),
        seal1
    );
    let page2 = std::fs::read_to_string(v.join("公示2.html")).unwrap_or_default();
    assert!(
        page2.contains(&seal1),
        "the second page prints the first seal"
    );
    assert!(
        page2.contains("洗衣液") || page2.contains("积分兑换"),
        "the redemption is on the page"
    );

    let out = ok(v, "2024-05-01", &["verify", "."]);
    assert!(
        out.contains("核验通过") && out.contains("2 次公示"),
        "{out}"
    );

    // A row edited with raw SQL (the append-only trigger dropped first) is found and named: a
    // county-level honour made national (荣誉积分 has no cap, so the standing changes).
    let edited = first
        + march
            .iter()
            .position(|r| r[ITEM] == "获得表彰" && r[7] == "县级")
            .unwrap_or_else(|| panic!("no 县级 honour in March")) as i64;
    let edited_household = query_text(
        v,
        &format!("SELECT household FROM records WHERE id = {edited}"),
    );
    book(v)
        .execute_batch(&format!(
            "DROP TRIGGER records_no_update; UPDATE records SET cells = replace(cells, '县级', '国家级') WHERE id = {edited};"
        ))
        .unwrap_or_else(|e| panic!("{e}"));
    let (code, _, err) = xy(v, "2024-05-01", &["verify", "."]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(&format!("记录 {edited} 与它的封存不符")),
        "{err}"
    );
    assert!(err.contains("records_no_update"), "{err}");
    assert!(
        err.contains("第 1 次公示") && err.contains(&edited_household),
        "{err}"
    );
}

#[test]
fn the_same_file_twice_and_a_number_already_in_the_book_are_refused() {
    let dir = village();
    let v = dir.path();
    let (header, rows) = sample_log();
    write_log(&v.join("a.csv"), &header, &rows[..50]);
    write_log(&v.join("b.csv"), &header, &rows[40..60]);
    ok(v, "2024-04-01", &["init", ".", "--by", "张会计"]);
    ok(
        v,
        "2024-04-01",
        &["record", ".", "--import", "a.csv", "--by", "李登记"],
    );
    let (code, _, err) = xy(
        v,
        "2024-04-01",
        &["record", ".", "--import", "a.csv", "--by", "李登记"],
    );
    assert_eq!(code, 1);
    assert!(err.contains("E0305") && err.contains("第 1 批"), "{err}");
    let (code, _, err) = xy(
        v,
        "2024-04-01",
        &["record", ".", "--import", "b.csv", "--by", "李登记"],
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("10 条记录的编号已在账本中") && err.contains(&rows[40][0]),
        "{err}"
    );
    assert_eq!(
        query_i64(v, "SELECT COUNT(*) FROM records"),
        50,
        "nothing of b.csv"
    );
    // A file with no records writes nothing, not even a batch that would block it later.
    write_log(&v.join("empty.csv"), &header, &[]);
    let out = ok(
        v,
        "2024-04-01",
        &["record", ".", "--import", "empty.csv", "--by", "李登记"],
    );
    assert!(out.contains("没有要登记的记录"), "{out}");
    assert_eq!(query_i64(v, "SELECT COUNT(*) FROM imports"), 1);
}

#[test]
fn bad_rows_are_refused_as_eval_refuses_them_and_nothing_is_half_imported() {
    let dir = village();
    let v = dir.path();
    let (header, rows) = sample_log();
    let mut bad = rows[..30].to_vec();
    bad[7][ITEM] = "义务投劳".to_string();
    bad[12][HOUSEHOLD] = "Z999".to_string();
    write_log(&v.join("bad.csv"), &header, &bad);
    ok(v, "2024-04-01", &["init", ".", "--by", "张会计"]);
    let (code, _, err) = xy(
        v,
        "2024-04-01",
        &["record", ".", "--import", "bad.csv", "--by", "李登记"],
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("E0204") && err.contains("义务投工"),
        "unknown 事项 with a suggestion: {err}"
    );
    assert!(err.contains("E0203") && err.contains("Z999"), "{err}");
    assert!(err.contains("一条也没有登记"), "{err}");
    assert_eq!(query_i64(v, "SELECT COUNT(*) FROM records"), 0);
    // With a reject file the good ones are registered and the bad ones written back.
    let out = ok(
        v,
        "2024-04-01",
        &[
            "record",
            ".",
            "--import",
            "bad.csv",
            "--by",
            "李登记",
            "--reject-file",
            "退回.csv",
        ],
    );
    assert!(out.contains("已登记 28 条记录"), "{out}");
    let rejects = std::fs::read_to_string(v.join("退回.csv")).unwrap_or_default();
    assert_eq!(rejects.lines().count(), 3, "{rejects}");
    assert!(rejects.contains("错误原因") && rejects.contains("Z999"));
    // One record from flags, checked the same way.
    let (code, _, err) = xy(
        v,
        "2024-04-01",
        &[
            "record",
            ".",
            "--date",
            "2024-03-05",
            "--household",
            "A001",
            "--item",
            "义务投工",
            "--field",
            "天数=-2",
            "--by",
            "李登记",
        ],
    );
    assert_eq!(code, 1);
    assert!(err.contains("E0212"), "{err}");
    let out = ok(
        v,
        "2024-04-01",
        &[
            "record",
            ".",
            "--date",
            "2024-03-05",
            "--household",
            "A001",
            "--item",
            "义务投工",
            "--field",
            "天数=两",
            "--by",
            "李登记",
        ],
    );
    assert!(out.contains("已登记记录 29"), "{out}");
    assert_eq!(
        query_text(v, "SELECT cells FROM records WHERE id = 29"),
        "{\"天数\":\"两\"}"
    );
}

/// A CSV log of `n` 义务投工 records with 编号 starting at `from`.
fn big_log(path: &Path, from: usize, n: usize) {
    let mut text = String::with_capacity(n * 40);
    text.push_str("编号,日期,户号,人员,事项,天数\n");
    for i in 0..n {
        let day = 1 + (i % 28);
        let month = 1 + (i / 28) % 3;
        text.push_str(&format!(
            "X{:08},2024-{month:02}-{day:02},A{:03},,义务投工,1\n",
            from + i,
            1 + i % 300
        ));
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{e}"));
}

fn spawn(dir: &Path, args: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_xiangyue"))
        .args(args)
        .current_dir(dir)
        .env("XIANGYUE_TODAY", "2024-04-01")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn two_clerks_importing_at_once_lose_and_duplicate_nothing() {
    let dir = village();
    let v = dir.path();
    ok(v, "2024-04-01", &["init", ".", "--by", "张会计"]);
    big_log(&v.join("one.csv"), 0, 4000);
    big_log(&v.join("two.csv"), 10_000, 4000);
    // Two different files at once, and the same file twice at once.
    let children: Vec<_> = [("one.csv", "甲"), ("two.csv", "乙"), ("one.csv", "丙")]
        .iter()
        .map(|(file, by)| spawn(v, &["record", ".", "--import", file, "--by", by]))
        .collect();
    let outputs: Vec<_> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap_or_else(|e| panic!("{e}")))
        .collect();
    let codes: Vec<i32> = outputs
        .iter()
        .map(|o| o.status.code().unwrap_or(-1))
        .collect();
    let said: Vec<String> = outputs
        .iter()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr)
        })
        .collect();
    assert_eq!(codes[1], 0, "{said:?}");
    assert_eq!(
        codes.iter().filter(|c| **c == 0).count(),
        2,
        "one of the two imports of one.csv is refused: {codes:?} {said:?}"
    );
    assert!(said.iter().any(|s| s.contains("E0305")), "{said:?}");
    assert_eq!(
        query_i64(v, "SELECT COUNT(*) FROM records"),
        8000,
        "{said:?}"
    );
    assert_eq!(
        query_i64(v, "SELECT COUNT(DISTINCT number) FROM records"),
        8000
    );
    assert_eq!(
        query_i64(v, "SELECT MAX(id) FROM records"),
        8000,
        "ids without gaps"
    );
    let out = ok(v, "2024-04-01", &["verify", "."]);
    assert!(out.contains("核验通过"), "{out}");
}

#[test]
fn an_import_killed_halfway_leaves_the_book_as_before() {
    let dir = village();
    let v = dir.path();
    ok(v, "2024-04-01", &["init", ".", "--by", "张会计"]);
    big_log(&v.join("small.csv"), 0, 100);
    ok(
        v,
        "2024-04-01",
        &["record", ".", "--import", "small.csv", "--by", "甲"],
    );
    big_log(&v.join("big.csv"), 1_000_000, 600_000);
    let mut child = spawn(v, &["record", ".", "--import", "big.csv", "--by", "乙"]);
    // Wait until it writes to the book (its journal grows), then kill it.
    let wal: PathBuf = v.join("积分账本.db-wal");
    let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
    let start = size(&wal);
    let began = std::time::Instant::now();
    while size(&wal) < start + 4 * 1024 * 1024 {
        assert!(
            child.try_wait().ok().flatten().is_none(),
            "the import ended before it could be killed"
        );
        assert!(began.elapsed().as_secs() < 120, "the import never wrote");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap_or_else(|e| panic!("{e}"));
    let _ = child.wait();
    assert_eq!(
        query_i64(v, "SELECT COUNT(*) FROM records"),
        100,
        "none of the killed import"
    );
    assert_eq!(query_i64(v, "SELECT COUNT(*) FROM imports"), 1);
    let out = ok(v, "2024-04-01", &["verify", "."]);
    assert!(out.contains("核验通过"), "{out}");
    // The same file can be imported again, whole.
    big_log(&v.join("again.csv"), 2_000_000, 1000);
    ok(
        v,
        "2024-04-01",
        &["record", ".", "--import", "again.csv", "--by", "乙"],
    );
    assert_eq!(query_i64(v, "SELECT COUNT(*) FROM records"), 1100);
}

#[test]
fn a_new_version_applies_from_its_effective_date_with_its_vote() {
    let dir = village();
    let v = dir.path();
    ok(v, "2024-12-20", &["init", ".", "--by", "张会计"]);
    let v2 = common::root().join("compacts/youxiqiao-demo-2025/youxiqiao-2025.xy");
    let v2 = v2.to_string_lossy();
    // A vote that does not carry is not stored.
    let (code, _, err) = xy(
        v,
        "2024-12-20",
        &[
            "adopt",
            ".",
            &v2,
            "--vote",
            "赞成",
            "20",
            "反对",
            "20",
            "弃权",
            "6",
            "--date",
            "2024-12-20",
            "--by",
            "张会计",
        ],
    );
    assert_eq!(code, 1);
    assert!(err.contains("没有超过到会 46 人的半数"), "{err}");
    // A version taking effect inside a year is refused with the next year's first day.
    let text = std::fs::read_to_string(v2.as_ref()).unwrap_or_default();
    let elsewhere = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mid = elsewhere.path().join("mid.xy");
    std::fs::write(&mid, text.replace("生效 2025年1月1日", "生效 2025年7月1日"))
        .unwrap_or_else(|e| panic!("{e}"));
    let (code, _, err) = xy(
        v,
        "2024-12-20",
        &[
            "adopt",
            ".",
            &mid.to_string_lossy(),
            "--vote",
            "赞成",
            "41",
            "反对",
            "3",
            "弃权",
            "2",
            "--date",
            "2024-12-20",
            "--by",
            "张会计",
        ],
    );
    assert_eq!(code, 1);
    assert!(err.contains("E0311") && err.contains("2026-01-01"), "{err}");
    let out = ok(
        v,
        "2024-12-20",
        &[
            "adopt",
            ".",
            &v2,
            "--vote",
            "赞成",
            "41",
            "反对",
            "3",
            "弃权",
            "2",
            "--date",
            "2024-12-20",
            "--by",
            "张会计",
        ],
    );
    assert!(out.contains("第 2 版") && out.contains("赞成 41"), "{out}");
    // A 2-day 义务投工 in 2024 scores 2 a day (version 1), in 2025 3 a day (version 2).
    for date in ["2024-12-10", "2025-01-15"] {
        ok(
            v,
            "2025-01-20",
            &[
                "record",
                ".",
                "--date",
                date,
                "--household",
                "A300",
                "--item",
                "义务投工",
                "--field",
                "天数=2",
                "--by",
                "李登记",
            ],
        );
    }
    ok(
        v,
        "2025-01-20",
        &["review", ".", "--approve", "全部", "--by", "王审核"],
    );
    let year = |period: &str| {
        json(&ok(
            v,
            "2025-01-20",
            &["eval", ".", "--period", period, "--format", "json"],
        ))
    };
    let base =
        |eval: &serde_json::Value| balance(eval, "A300", "户积分").parse::<i64>().unwrap_or(0);
    let y2024 = year("2024");
    let y2025 = year("2025");
    // The rest is base points (人口 × 10, 山林): the same in both years.
    assert_eq!(
        base(&y2025) - base(&y2024),
        6 - 4,
        "2024: {y2024}\n2025: {y2025}"
    );
    assert_eq!(
        y2025["compact"]["version"], "2025 修订",
        "{}",
        y2025["compact"]
    );
}

/// A 积分超市 whose compact prices the goods (按 物品：洗衣液 20 分，…).
const PRICED: &str = "乡约「价目表超市」

户籍 { 人口：整数 }

账户 户积分（默认）
账户 兑换积分

事项 义务投工 { 天数：数量（天） }
事项 兑换 { 物品：选项（洗衣液、香皂、肥皂、大米） }

第一条 义务投工
  凡 义务投工，每天 加 10 分。
  计入 户积分、兑换积分。

第二条 兑换
  原文：5 分可换一块香皂或肥皂，20 分可换一瓶洗衣液。
  凡 兑换，从 兑换积分 支出，按 物品：洗衣液 20 分，香皂、肥皂 5 分。
";

#[test]
fn redeem_takes_the_price_from_the_compacts_table() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let v = dir.path();
    std::fs::write(v.join("超市.xy"), PRICED).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(v.join("register.csv"), "户号,户主,人口\nA001,朱武兰,3\n")
        .unwrap_or_else(|e| panic!("{e}"));
    ok(v, "2024-04-01", &["init", ".", "--by", "张会计"]);
    // 5 days of 投工: 兑换积分 50 分.
    std::fs::write(
        v.join("work.csv"),
        "日期,户号,事项,天数,审核\n2024-03-01,A001,义务投工,5,通过\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    ok(
        v,
        "2024-04-01",
        &[
            "record",
            ".",
            "--import",
            "work.csv",
            "--by",
            "李登记",
            "--reviewed-by",
            "王审核",
        ],
    );
    let redeem = |extra: &[&str]| {
        let mut args = vec![
            "redeem",
            ".",
            "--household",
            "A001",
            "--by",
            "张会计",
            "--date",
            "2024-04-01",
        ];
        args.extend_from_slice(extra);
        xy(v, "2024-04-01", &args)
    };
    // Not in the table: refused, the table in the hint; the book unchanged.
    let (code, _, err) = redeem(&["--item", "大米"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("价目表里没有「大米」") && err.contains("洗衣液 20 分，香皂、肥皂 5 分"),
        "{err}"
    );
    // --points that disagrees with the table: refused with the table's price.
    let (code, _, err) = redeem(&["--item", "洗衣液", "--points", "15"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("15 分与乡约的价目表不符") && err.contains("每件 20 分"),
        "{err}"
    );
    // More than the balance: 3 bottles are 60 分 of 50.
    let (code, _, err) = redeem(&["--item", "洗衣液", "--count", "3"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("E0309") && err.contains("余额 50 分"), "{err}");
    assert_eq!(
        query_i64(v, "SELECT COUNT(*) FROM records WHERE kind = '兑换'"),
        0
    );
    // Priced by the table: 2 bottles of 洗衣液 = 40 分, then a 香皂 at 5 分 with --points
    // agreeing with the table.
    let (code, out, err) = redeem(&["--item", "洗衣液", "--count", "2"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("40 分（按价目表）兑换 洗衣液 2 件") && out.contains("余额 50 → 10 分"),
        "{out}"
    );
    let (code, out, err) = redeem(&["--item", "香皂", "--points", "5"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("余额 10 → 5 分"), "{out}");
    // eval of the book agrees: 50 − 2 × 20 − 5 = 5; 户积分 untouched at 50.
    let eval = json(&ok(v, "2024-04-01", &["eval", ".", "--format", "json"]));
    assert_eq!(balance(&eval, "A001", "兑换积分"), "5");
    assert_eq!(balance(&eval, "A001", "户积分"), "50");
    let explained = ok(v, "2024-04-01", &["explain", ".", "--household", "A001"]);
    assert_eq!(
        explained.matches("兑换支出 20 分").count(),
        2,
        "{explained}"
    );
}

#[test]
fn redeem_without_a_price_table_still_takes_points() {
    let dir = village();
    let v = dir.path();
    ok(v, "2024-04-01", &["init", ".", "--by", "张会计"]);
    let (code, _, err) = xy(
        v,
        "2024-04-01",
        &[
            "redeem",
            ".",
            "--household",
            "A001",
            "--item",
            "洗衣液",
            "--by",
            "张会计",
        ],
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("没有价目表") && err.contains("--points"),
        "{err}"
    );
}

/// Family members' records counted in their household, kept in the book: the 公示表 lists each
/// member's record under the household with whose it was, and a repeat of one activity (已计)
/// names the earlier record by its number in the book — not by a line of a file the villagers
/// never see.
#[test]
fn members_records_in_the_book_are_published_under_their_household() {
    const FAMILY: &str = "乡约「家庭成员」

户籍 { 人口：整数 }

名册 村民 { 性别：文本 }

账户 户积分（默认）

事项 志愿服务（归 村民）{ 活动编号：文本 }

第一条 志愿服务
  原文：家庭成员参加志愿服务的，每人次加 2 分，同一次活动一户只计一次，每户每年最多加 10 分。
  凡 志愿服务，每次 加 2 分；同一 活动编号 只计一次；每年 至多 10 分。
  计入 户积分。
";
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let v = dir.path();
    let write = |name: &str, text: &str| {
        std::fs::write(v.join(name), text).unwrap_or_else(|e| panic!("{name}: {e}"));
    };
    write("家庭成员.xy", FAMILY);
    write(
        "register.csv",
        "户号,户主,人口\nA001,朱武兰,3\nA002,王五,2\n",
    );
    write(
        "村民.csv",
        "编号,姓名,户号,性别\nP1,朱武兰,A001,女\nP2,朱小明,A001,男\nP3,王五,A002,男\n",
    );
    let made = ok(v, "2024-04-01", &["init", ".", "--by", "张会计"]);
    assert!(
        made.contains("（家庭成员.xy，未写生效日期，从头适用）"),
        "{made}"
    );
    write(
        "march.csv",
        "日期,户号,人员,事项,活动编号,审核\n\
         2024-03-01,A001,P1,志愿服务,三月清扫,通过\n\
         2024-03-01,A001,P2,志愿服务,三月清扫,通过\n\
         2024-03-02,A002,P3,志愿服务,三月清扫,通过\n\
         2024-03-09,A001,P2,志愿服务,植树,通过\n",
    );
    ok(
        v,
        "2024-04-01",
        &[
            "record",
            ".",
            "--import",
            "march.csv",
            "--by",
            "李登记",
            "--reviewed-by",
            "王审核",
        ],
    );
    let eval = json(&ok(v, "2024-04-01", &["eval", ".", "--format", "json"]));
    assert_eq!(balance(&eval, "A001", "户积分"), "4");
    assert_eq!(balance(&eval, "A002", "户积分"), "2");
    ok(
        v,
        "2024-04-01",
        &[
            "publish",
            ".",
            "--through",
            "2024-03-31",
            "--by",
            "张会计",
            "-o",
            "公示.html",
        ],
    );
    let page = std::fs::read_to_string(v.join("公示.html")).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        page.contains("村民「朱小明（P2）」的记录，计入本户"),
        "the member is named under the household"
    );
    assert!(
        page.contains("同一活动编号「三月清扫」已计（2024年3月1日的记录 1）"),
        "the earlier record is named by its number in the book"
    );
    assert!(!page.contains("行的记录"), "no line of an exported file");
    assert!(page.contains("未写生效日期"), "no year 1 on the page");
    let explained = ok(v, "2024-04-01", &["explain", ".", "--household", "A001"]);
    assert!(
        explained.contains("已计（2024年3月1日的记录 1）")
            && explained.contains("积分账本.db 记录 2"),
        "{explained}"
    );
    ok(v, "2024-04-01", &["verify", "."]);
}
