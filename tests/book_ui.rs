//! Every refusal of the village's book (E03xx) as a clerk sees it: one scenario a code, run
//! from the command line on a copy of the sample village, its message a reviewed snapshot.
//! `tests/ui.rs` reads the `期望：E03xx` lines below as these codes' fixtures.

// Helpers that run the binary fail the test with a message when the machine cannot run it;
// tests index the rows they built themselves.
#![allow(clippy::panic, clippy::indexing_slicing)]

mod common;

use std::path::Path;

/// Runs the binary in `dir` on day `today`: exit code and stderr.
fn xy(dir: &Path, today: &str, args: &[&str]) -> (i32, String) {
    let (code, _, err) = common::run_on(dir, today, args);
    (code, err)
}

fn ok(dir: &Path, today: &str, args: &[&str]) {
    let (code, err) = xy(dir, today, args);
    assert_eq!(code, 0, "{args:?}: {err}");
}

/// The sample village with its first 40 records registered and approved, the first 20
/// published through 2022-06-30 (on 2022-07-01, so on show until 2022-07-07).
fn village() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let sample = common::root().join("compacts/youxiqiao-demo");
    for file in ["youxiqiao.xy", "register.csv", "党员.csv", "分红.txt"] {
        std::fs::copy(sample.join(file), dir.path().join(file)).unwrap_or_else(|e| panic!("{e}"));
    }
    let log = std::fs::read_to_string(sample.join("events.csv")).unwrap_or_default();
    let lines: Vec<&str> = log.lines().collect();
    std::fs::write(dir.path().join("a.csv"), lines[..21].join("\n") + "\n")
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.path().join("b.csv"),
        [lines[0]]
            .iter()
            .chain(&lines[21..41])
            .copied()
            .collect::<Vec<_>>()
            .join("\n")
            + "\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.path().join("again.csv"),
        [lines[0], lines[20], lines[45]].join("\n") + "\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let v = dir.path();
    ok(v, "2022-07-01", &["init", ".", "--by", "张会计"]);
    ok(
        v,
        "2022-07-01",
        &["record", ".", "--import", "a.csv", "--by", "李登记"],
    );
    ok(
        v,
        "2022-07-01",
        &["review", ".", "--approve", "全部", "--by", "王审核"],
    );
    ok(
        v,
        "2022-07-01",
        &[
            "publish",
            ".",
            "--through",
            "2022-06-30",
            "--by",
            "张会计",
            "-o",
            "p.html",
        ],
    );
    ok(
        v,
        "2022-12-31",
        &["record", ".", "--import", "b.csv", "--by", "李登记"],
    );
    dir
}

fn refusal(name: &str, code: &str, message: &str) {
    assert!(
        message.contains(&format!("错误[{code}]")),
        "{name}: {message}"
    );
    insta::assert_snapshot!(name, message);
}

#[test]
fn each_refusal_of_the_book_reads_as_its_snapshot() {
    let dir = village();
    let v = dir.path();
    let empty = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));

    // 期望：E0301
    let (code, err) = xy(empty.path(), "2022-07-01", &["pending", "."]);
    assert_eq!(code, 2);
    refusal("E0301_no_book", "E0301", &err);

    // 期望：E0302
    let (code, err) = xy(v, "2022-07-01", &["init", ".", "--by", "张会计"]);
    assert_eq!(code, 1);
    refusal("E0302_book_exists", "E0302", &err);

    // 期望：E0303
    std::fs::write(
        empty.path().join("积分账本.db"),
        "这不是数据库，是一张表格另存的文本".repeat(200),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (code, err) = xy(empty.path(), "2022-07-01", &["pending", "."]);
    assert_eq!(code, 2);
    refusal("E0303_not_a_book", "E0303", &err);

    // 期望：E0304
    let newer = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::copy(v.join("积分账本.db"), newer.path().join("积分账本.db"))
        .unwrap_or_else(|e| panic!("{e}"));
    rusqlite::Connection::open(newer.path().join("积分账本.db"))
        .and_then(|c| c.pragma_update(None, "user_version", 99))
        .unwrap_or_else(|e| panic!("{e}"));
    let (code, err) = xy(newer.path(), "2022-07-01", &["pending", "."]);
    assert_eq!(code, 1);
    refusal("E0304_newer_book", "E0304", &err);

    // 期望：E0305
    let (code, err) = xy(
        v,
        "2022-12-31",
        &["record", ".", "--import", "a.csv", "--by", "李登记"],
    );
    assert_eq!(code, 1);
    refusal("E0305_file_imported_before", "E0305", &err);

    // 期望：E0306
    let (code, err) = xy(
        v,
        "2022-12-31",
        &["record", ".", "--import", "again.csv", "--by", "李登记"],
    );
    assert_eq!(code, 1);
    refusal("E0306_number_in_book", "E0306", &err);

    // 期望：E0307
    let (code, err) = xy(
        v,
        "2022-12-31",
        &["review", ".", "--approve", "999", "--by", "王审核"],
    );
    assert_eq!(code, 1);
    refusal("E0307_no_such_record", "E0307", &err);

    // 期望：E0308
    let (code, err) = xy(
        v,
        "2022-12-31",
        &[
            "review",
            ".",
            "--reject",
            "3",
            "--reason",
            "重复",
            "--by",
            "王审核",
        ],
    );
    assert_eq!(code, 1);
    refusal("E0308_reviewed_before", "E0308", &err);

    // 期望：E0309
    let (code, err) = xy(
        v,
        "2022-12-31",
        &[
            "redeem",
            ".",
            "--household",
            "A089",
            "--points",
            "30",
            "--item",
            "洗衣液",
            "--by",
            "张会计",
        ],
    );
    assert_eq!(code, 1);
    refusal("E0309_overdraft", "E0309", &err);

    // 期望：E0310
    let (code, err) = xy(
        v,
        "2022-12-31",
        &[
            "object",
            ".",
            "--record",
            "25",
            "--by",
            "村民甲",
            "--reason",
            "不对",
        ],
    );
    assert_eq!(code, 1);
    refusal("E0310_not_published", "E0310", &err);
    let (code, err) = xy(
        v,
        "2022-12-31",
        &[
            "object",
            ".",
            "--record",
            "3",
            "--by",
            "村民甲",
            "--reason",
            "不对",
        ],
    );
    assert_eq!(code, 1);
    refusal("E0310_window_closed", "E0310", &err);

    // 期望：E0311
    let source = std::fs::read_to_string(v.join("youxiqiao.xy")).unwrap_or_default();
    let other = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        other.path().join("新版.xy"),
        source.replace("生效 2024年1月1日", "生效 2024年7月1日"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (code, err) = xy(
        v,
        "2023-12-20",
        &[
            "adopt",
            ".",
            &other.path().join("新版.xy").to_string_lossy(),
            "--vote",
            "赞成",
            "41",
            "反对",
            "3",
            "弃权",
            "2",
            "--date",
            "2023-12-20",
            "--by",
            "张会计",
        ],
    );
    assert_eq!(code, 1);
    refusal("E0311_mid_period", "E0311", &err);

    // 期望：E0312
    let (code, err) = xy(
        v,
        "2022-12-31",
        &["publish", ".", "--through", "2023-01-31", "--by", "张会计"],
    );
    assert_eq!(code, 1);
    refusal("E0312_through_after_today", "E0312", &err);
    let (code, err) = xy(
        v,
        "2022-12-31",
        &["publish", ".", "--through", "2022-05-31", "--by", "张会计"],
    );
    assert_eq!(code, 1);
    refusal("E0312_earlier_than_last", "E0312", &err);

    // 期望：E0314
    let tampered = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for file in ["youxiqiao.xy", "register.csv", "党员.csv", "积分账本.db"] {
        std::fs::copy(v.join(file), tampered.path().join(file)).unwrap_or_else(|e| panic!("{e}"));
    }
    rusqlite::Connection::open(tampered.path().join("积分账本.db"))
        .and_then(|c| {
            c.execute_batch(
                "DROP TRIGGER reviews_no_update; UPDATE reviews SET decision = '驳回' WHERE record = 7;",
            )
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let (code, err) = xy(tampered.path(), "2022-12-31", &["verify", "."]);
    assert_eq!(code, 1);
    refusal("E0314_tampered", "E0314", &err);

    // 期望：E0313
    let (code, err) = xy(
        v,
        "2022-12-31",
        &[
            "correct",
            ".",
            "--record",
            "25",
            "--set",
            "时长=3",
            "--reason",
            "记错",
            "--by",
            "李登记",
        ],
    );
    assert_eq!(code, 1);
    refusal("E0313_correct_a_pending_record", "E0313", &err);

    // 期望：E0315
    let weak = std::process::Command::new(env!("CARGO_BIN_EXE_xiangyue"))
        .args(["user", "add", ".", "--name", "王会计", "--role", "审核人"])
        .current_dir(v)
        .env("XIANGYUE_NOW", "2022-12-31 09:00:00")
        .env("XIANGYUE_PASSWORD", "12345678")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(weak.status.code(), Some(1));
    refusal(
        "E0315_weak_password",
        "E0315",
        &String::from_utf8_lossy(&weak.stderr),
    );

    // 期望：E0316
    let add = |password: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_xiangyue"))
            .args(["user", "add", ".", "--name", "王会计", "--role", "审核人"])
            .current_dir(v)
            .env("XIANGYUE_NOW", "2022-12-31 09:00:00")
            .env("XIANGYUE_PASSWORD", password)
            .output()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    assert!(add("油溪桥-三月-晴天").status.success());
    let twice = add("另一个很长的密码");
    assert_eq!(twice.status.code(), Some(1));
    refusal(
        "E0316_account_twice",
        "E0316",
        &String::from_utf8_lossy(&twice.stderr),
    );
}
