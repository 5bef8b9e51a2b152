//! Every construct of the language, evaluated on a small village whose results are computed by
//! hand in the comments. Each test also checks that totals are the sums of the ledger.

mod common;

use common::{assert_totals_are_ledger_sums, evaluate, explain_entries};

const REGISTER: &str = "户号,人口,党员户\nA1,4,是\nA2,3,否\nA3,1,否\n";

#[test]
fn base_points_from_an_attribute_and_fixed() {
    let v = evaluate(
        "乡约「甲」\n户籍 { 人口：整数；党员户：是否 }\n\n第一条\n  每户 加 人口 × 10 分。\n\n第二条\n  每户 加 5 分；党员户 加倍。\n",
        REGISTER,
        &[],
        "日期,户号,事项\n",
        Some(2024),
        None,
    );
    // A1: 4×10 + 5×2 = 50; A2: 30 + 5 = 35; A3: 10 + 5 = 15.
    assert_eq!(v.points("A1", "积分"), "50");
    assert_eq!(v.points("A2", "积分"), "35");
    assert_eq!(v.points("A3", "积分"), "15");
    assert_totals_are_ledger_sums(&v);
}

const PER_UNIT: &str = "乡约「甲」\n户籍 { 人口：整数 }\n事项 投工 { 天数：数量（天） }\n事项 捐款 { 金额：金额 }\n事项 值守 { 时长：数量（小时） }\n\n第一条\n  凡 投工，每天 加 2 分。\n\n第二条\n  凡 捐款，每满 100 元 加 1 分。\n\n第三条\n  凡 值守，每 2 小时 加 1 分。\n";

#[test]
fn per_unit_awards_proportional_and_in_whole_steps() {
    let v = evaluate(
        PER_UNIT,
        "户号,人口\nA1,1\n",
        &[],
        "日期,户号,事项,天数,金额,时长\n2024-03-01,A1,投工,2.5,,\n2024-03-02,A1,捐款,,350,\n2024-03-03,A1,捐款,,99.99,\n2024-03-04,A1,值守,,,3\n",
        None,
        None,
    );
    // 2.5 天 × 2 = 5; 350 元 → 3 steps = 3; 99.99 元 → 0; 3 小时 ÷ 2 × 1 = 1.5. Total 9.5.
    assert_eq!(v.points("A1", "积分"), "9.5");
    assert_totals_are_ledger_sums(&v);
}

const TABLES: &str = "乡约「甲」\n户籍 { 人口：整数 }\n事项 表彰 { 级别：选项（村级、县级、市级、省级） }\n事项 好事 { 评定分：分数 }\n\n第一条\n  凡 表彰，按 级别：县级 加 10 分，市级、省级 加 20 分，其余 加 2 分。\n\n第二条\n  凡 好事，每次 加 5～10 分。\n";

#[test]
fn tables_with_shared_rows_and_otherwise_and_ranges_checked() {
    let v = evaluate(
        TABLES,
        "户号,人口\nA1,1\n",
        &[],
        "日期,户号,事项,级别,评定分\n2024-01-02,A1,表彰,县级,\n2024-01-03,A1,表彰,省级,\n2024-01-04,A1,表彰,村级,\n2024-01-05,A1,好事,,8\n2024-01-06,A1,好事,,12\n",
        None,
        None,
    );
    // 10 + 20 + 2 + 8, and 12 is outside 5～10: refused.
    assert_eq!(v.points("A1", "积分"), "40");
    assert_eq!(v.results.summary.refused, 1);
    assert!(
        v.notes("A1")
            .iter()
            .any(|n| n.contains("不在 5～10 分之间")),
        "{:?}",
        v.notes("A1")
    );
    assert_totals_are_ledger_sums(&v);
}

const COUNTS: &str = "乡约「甲」\n户籍 { 人口：整数；党员户：是否 }\n事项 乱倒垃圾 { 当场改正：是否 }\n事项 缺会\n\n第一条 乱倒垃圾\n  凡 乱倒垃圾，每次 扣 5 分；党员户 加倍；本年第三次起 按 3 倍。\n\n第二条 初犯改正\n  例外于 第一条。\n  凡 乱倒垃圾 且 当场改正 且 本年第一次，不扣分。\n\n第三条 缺会\n  凡 缺会 且 本年第三次起，每次 扣 2 分。\n\n第四条 奖励\n  每户 加 100 分。\n";

#[test]
fn counts_exceptions_and_multipliers_that_multiply() {
    let v = evaluate(
        COUNTS,
        REGISTER,
        &[],
        "日期,户号,事项,当场改正\n\
         2024-01-01,A1,乱倒垃圾,是\n\
         2024-02-01,A1,乱倒垃圾,是\n\
         2024-03-01,A1,乱倒垃圾,否\n\
         2024-01-01,A2,缺会,\n2024-02-01,A2,缺会,\n2024-03-01,A2,缺会,\n2024-04-01,A2,缺会,\n",
        None,
        None,
    );
    // A1 (党员户): 1st corrected → 0 (exception); 2nd corrected but not first → 5×2 = 10;
    // 3rd → 5×2×3 = 30. 100 − 40 = 60.
    assert_eq!(v.points("A1", "积分"), "60");
    // A2: the 3rd and 4th absences: −4. 100 − 4 = 96.
    assert_eq!(v.points("A2", "积分"), "96");
    let notes = v.notes("A1");
    assert!(
        notes
            .iter()
            .any(|n| n.contains("第二条适用") && n.contains("例外")),
        "{notes:?}"
    );
    assert!(notes.iter().any(|n| n.contains("按 3 倍计")), "{notes:?}");
    assert_totals_are_ledger_sums(&v);
}

const CAPS: &str = "乡约「甲」\n户籍 { 人口：整数 }\n账户 户积分（默认）：最低 0 分，每年 至多 加 60 分\n事项 投工 { 天数：数量（天） }\n事项 调解\n事项 垃圾\n\n第一章 奖励\n本章 每年 至多 50 分。\n\n第一条\n  凡 投工，每天 加 2 分；每年 至多 40 分。\n\n第二条\n  凡 调解，每次 加 3 分；每月 至多 6 分。\n\n第二章 扣分\n\n第三条\n  凡 垃圾，每次 扣 5 分。\n";

#[test]
fn caps_bite_on_the_record_that_crosses_them_at_every_level() {
    let v = evaluate(
        CAPS,
        "户号,人口\nA1,1\nA2,1\n",
        &[],
        "日期,户号,事项,天数\n\
         2024-01-05,A1,投工,15\n2024-01-06,A1,投工,10\n\
         2024-01-10,A1,调解,\n2024-01-11,A1,调解,\n2024-01-12,A1,调解,\n\
         2024-02-10,A1,调解,\n2024-02-11,A1,调解,\n\
         2024-01-01,A2,垃圾,\n2024-06-01,A2,调解,\n2024-06-02,A2,垃圾,\n",
        None,
        None,
    );
    // A1: 投工 30, then 20 capped by the clause to 10 (40). 调解 January: 3 + 3, the third
    // capped by the month (0); February 3 → chapter total 49, then 3 more but the chapter has
    // only 1 left → 1. Total 50 (the account cap of 60 is not reached).
    assert_eq!(v.points("A1", "户积分"), "50");
    let notes = v.notes("A1");
    assert!(
        notes.iter().any(|n| n.starts_with("本条本年上限 40 分")),
        "{notes:?}"
    );
    assert!(
        notes.iter().any(|n| n.starts_with("本条本月已达上限 6 分")),
        "{notes:?}"
    );
    assert!(
        notes.iter().any(|n| n.starts_with("本章本年上限 50 分")),
        "{notes:?}"
    );
    // A2: −5 at a balance of 0 → floor: 0; +3; −5 → only −3. Total 0.
    assert_eq!(v.points("A2", "户积分"), "0");
    assert!(v.notes("A2").iter().any(|n| n.starts_with("账户最低 0 分")));
    assert_totals_are_ledger_sums(&v);
}

#[test]
fn an_account_cap_limits_awards_over_the_period() {
    let source = "乡约「甲」\n户籍 { 人口：整数 }\n账户 户积分（默认）：每年 至多 加 25 分\n事项 投工 { 天数：数量（天） }\n\n第一条\n  凡 投工，每天 加 10 分。\n";
    let v = evaluate(
        source,
        "户号,人口\nA1,1\n",
        &[],
        "日期,户号,事项,天数\n2024-01-01,A1,投工,2\n2024-01-02,A1,投工,2\n",
        None,
        None,
    );
    assert_eq!(v.points("A1", "户积分"), "25");
    assert!(
        v.notes("A1")
            .iter()
            .any(|n| n.starts_with("本账户本年上限 25 分"))
    );
}

const HIGHEST: &str = "乡约「甲」\n户籍 { 人口：整数 }\n事项 表彰 { 级别：选项（县级、市级）；类型：选项（综合、见义勇为） }\n\n第一条\n  凡 表彰，按 级别：县级 加 10 分，市级 加 20 分。\n\n第二条\n  与 第一条 取最高。\n  凡 表彰 且 类型 为 见义勇为，每次 加 15 分。\n";

#[test]
fn take_the_highest_counts_one_clause_per_record() {
    let v = evaluate(
        HIGHEST,
        "户号,人口\nA1,1\nA2,1\n",
        &[],
        "日期,户号,事项,级别,类型\n2024-01-01,A1,表彰,县级,见义勇为\n2024-01-01,A2,表彰,市级,见义勇为\n",
        None,
        None,
    );
    // A1: max(10, 15) = 15; A2: max(20, 15) = 20.
    assert_eq!(v.points("A1", "积分"), "15");
    assert_eq!(v.points("A2", "积分"), "20");
    assert!(
        v.notes("A1").iter().any(|n| n.contains("与第二条取最高")),
        "{:?}",
        v.notes("A1")
    );
    assert_totals_are_ledger_sums(&v);
}

const VETOES: &str = "乡约「甲」\n户籍 { 人口：整数 }\n账户 户积分（默认）\n账户 荣誉积分\n事项 违法\n事项 拒拆\n事项 投工 { 天数：数量（天） }\n\n第一条\n  每户 加 人口 × 10 分。\n\n第二条\n  凡 投工，每天 加 2 分。\n  计入 户积分、荣誉积分。\n\n第三条\n  凡 违法，一票否决：取消 分红资格、取消 星级 评定资格。\n\n第四条\n  凡 拒拆，一票否决：户积分 清零。\n\n第五条\n  评定 星级（按 户积分）：不低于 40 分 为「好」，高于 20 分 为「中」，其余 为「差」。\n\n第六条\n  分红：净利润 的 50%，按 户积分 比例 分配。\n";

#[test]
fn vetoes_ratings_and_the_dividend() {
    let v = evaluate(
        VETOES,
        "户号,人口\nA1,4\nA2,3\nA3,1\nA4,2\n",
        &[],
        "日期,户号,事项,天数\n2024-05-01,A1,违法,\n2024-06-01,A2,投工,5\n2024-07-01,A2,拒拆,\n2024-08-01,A2,投工,1\n2024-06-01,A4,投工,5\n",
        None,
        Some(1_000_000),
    );
    // A1 40 (ineligible, rating cancelled); A2 zeroed: 30 + 10 + 2 − 42 = 0, 荣誉积分 12;
    // A3 10; A4 20 + 10 = 30.
    assert_eq!(v.points("A1", "户积分"), "40");
    assert_eq!(v.points("A2", "户积分"), "0");
    assert_eq!(v.points("A2", "荣誉积分"), "12");
    assert_eq!(v.points("A4", "户积分"), "30");
    let a1 = v.household("A1");
    assert!(!a1.eligible);
    assert_eq!(a1.ratings[0], xiangyue::eval::RatingOutcome::Cancelled);
    // 不低于 40 → 好 (A1 cancelled); A4 30 > 20 → 中; A3 10 → 差; A2 0 → 差.
    assert_eq!(v.household("A4").ratings[0].label(), Some("中"));
    assert_eq!(v.household("A3").ratings[0].label(), Some("差"));
    // Pool 50% of 10000 元 = 5000 元 = 500000 fen among A3 (10) and A4 (30): 1:3.
    assert_eq!(a1.dividend_fen, 0);
    assert_eq!(v.household("A2").dividend_fen, 0);
    assert_eq!(v.household("A3").dividend_fen, 125_000);
    assert_eq!(v.household("A4").dividend_fen, 375_000);
    let dividend = v.results.dividend.as_ref().expect("dividend");
    assert_eq!(dividend.pool_fen, Some(500_000));
    assert_eq!(dividend.distributed_fen, 500_000);
    assert_totals_are_ledger_sums(&v);
}

/// The files of a test village as `eval` would list them (hashes made up) and a time.
fn provenance(events: &str) -> xiangyue::report::provenance::Provenance {
    use xiangyue::report::provenance::{Provenance, SourceFile, SourceKind};
    let file = |kind, label: &str, path: &str| SourceFile {
        kind,
        label: label.to_string(),
        path: path.to_string(),
        sha256: "0".repeat(64),
        bytes: 1,
    };
    Provenance {
        files: vec![
            file(SourceKind::Compact, "乡约", "村.xy"),
            file(SourceKind::Register, "户籍", "register.csv"),
            file(SourceKind::Events, "事项记录", events),
        ],
        evaluated_at: jiff::civil::date(2025, 1, 15).at(9, 30, 0, 0),
        utc_offset: jiff::tz::offset(8),
    }
}

fn eval_json(v: &common::Village) -> serde_json::Value {
    let provenance = provenance("events.csv");
    let json =
        xiangyue::report::results::eval_json(&v.compact, &v.results, &v.registers, &provenance);
    // Null (and failing assertions) if it does not serialize.
    serde_json::to_value(json).unwrap_or_default()
}

fn household_json(value: &serde_json::Value, id: &str) -> serde_json::Value {
    value["households"]
        .as_array()
        .and_then(|h| h.iter().find(|h| h["id"] == id))
        .cloned()
        .unwrap_or_default()
}

#[test]
fn a_cancelled_rating_says_cancelled_and_by_which_clause_everywhere() {
    let v = evaluate(
        VETOES,
        "户号,人口\nA1,4\nA2,3\nA3,1\nA4,2\n",
        &[],
        "日期,户号,事项,天数\n2024-05-01,A1,违法,\n2024-06-01,A2,投工,5\n2024-07-01,A2,拒拆,\n2024-08-01,A2,投工,1\n2024-06-01,A4,投工,5\n",
        None,
        Some(1_000_000),
    );
    let value = eval_json(&v);
    let a1 = household_json(&value, "A1");
    // A1 reached 40 (「好」) but 第三条's veto cancelled the rating: no label, cancelled, by 第三条.
    assert_eq!(
        a1["ratings"]["星级"],
        serde_json::json!({"label": null, "cancelled": true, "cancelled_by": "第三条"})
    );
    assert_eq!(
        a1["rating"],
        serde_json::json!({"name": "星级", "label": null, "cancelled": true, "cancelled_by": "第三条"})
    );
    let a4 = household_json(&value, "A4");
    assert_eq!(
        a4["ratings"]["星级"],
        serde_json::json!({"label": "中", "cancelled": false, "cancelled_by": null})
    );
    // The table and the CSV say 已取消 with the clause, never a bare 取消 that could be a band.
    let rows = xiangyue::report::tables::household_rows(&v.compact, &v.results, &v.registers);
    let column = rows
        .header
        .iter()
        .position(|h| h == "星级")
        .expect("星级 column");
    let cell = |id: &str| {
        rows.rows
            .iter()
            .find(|r| r[0].to_string() == id)
            .map(|r| r[column].to_string())
            .unwrap_or_default()
    };
    assert_eq!(cell("A1"), "已取消（第三条）");
    assert_eq!(cell("A4"), "中");
}

#[test]
fn a_rating_band_named_like_cancellation_is_told_apart() {
    // A band literally named 取消 is a band: cancelled stays false.
    let source = "乡约「甲」\n户籍 { 人口：整数 }\n事项 违法\n\n第一条\n  每户 加 人口 × 10 分。\n\n第二条\n  凡 违法，一票否决：取消 星级 评定资格。\n\n第三条\n  评定 星级：不低于 20 分 为「好」，其余 为「取消」。\n";
    let v = evaluate(
        source,
        "户号,人口\nA1,1\nA2,1\n",
        &[],
        "日期,户号,事项\n2024-03-01,A2,违法\n",
        Some(2024),
        None,
    );
    let value = eval_json(&v);
    assert_eq!(
        household_json(&value, "A1")["ratings"]["星级"],
        serde_json::json!({"label": "取消", "cancelled": false, "cancelled_by": null})
    );
    assert_eq!(
        household_json(&value, "A2")["ratings"]["星级"],
        serde_json::json!({"label": null, "cancelled": true, "cancelled_by": "第二条"})
    );
}

#[test]
fn the_year_end_clearing_is_its_own_kind_of_entry() {
    use xiangyue::eval::ledger::EntryKind;
    let v = evaluate(
        VETOES,
        "户号,人口\nA1,4\nA2,3\n",
        &[],
        "日期,户号,事项,天数\n2024-06-01,A2,投工,5\n2024-07-01,A2,拒拆,\n",
        None,
        None,
    );
    let a2 = v.registers[0].find("A2").expect("A2");
    let entries: Vec<&xiangyue::eval::Entry> = v
        .entries
        .iter()
        .filter(|e| e.kind == 0 && e.subject == a2)
        .collect();
    let kinds: Vec<EntryKind> = entries.iter().map(|e| e.entry_kind()).collect();
    // Base points, the work record (two accounts), the veto's record, then the clearing.
    assert_eq!(
        kinds,
        [
            EntryKind::Base,
            EntryKind::Record,
            EntryKind::Record,
            EntryKind::Record,
            EntryKind::VetoClearing
        ]
    );
    let clearing = entries.last().expect("clearing");
    assert_eq!(clearing.record_line(), None);
    // Line 3 of the log is the 拒拆 record that caused the veto.
    assert_eq!(clearing.veto_line(), Some(3));
    assert_eq!(entries[3].record_line(), Some(3));
    assert_eq!(entries[3].veto_line(), None);
    let row =
        xiangyue::report::tables::ledger_row(&v.compact, &v.registers, "events.csv", clearing);
    assert_eq!(row.record, "一票否决记录 events.csv:3");
    assert_eq!(row.amount, "-40");
}

#[test]
fn total_is_null_when_households_have_no_account() {
    use xiangyue::eval::{KindResults, Period, Results, SubjectResult, Summary};
    let mut compact = xiangyue::compile::compile("乡约「甲」\n户籍 { 人口：整数 }\n")
        .compact
        .expect("compact");
    // Every compact gets a household account (积分) when it declares none; without any, there
    // is no total to give, and it must not look like 0 points.
    compact.accounts.clear();
    let subject = |id: &str| SubjectResult {
        id: id.to_string(),
        points: Vec::new(),
        ratings: Vec::new(),
        eligible: true,
        vetoes: Vec::new(),
        dividend_fen: 0,
        judged: Vec::new(),
        titles: Vec::new(),
        groups: Vec::new(),
    };
    let results = Results {
        period: Period::starting(2024, compact.period_start),
        kinds: vec![KindResults {
            kind: 0,
            accounts: Vec::new(),
            ratings: Vec::new(),
            subjects: vec![subject("A1")],
        }],
        summary: Summary::default(),
        dividend: None,
    };
    let v = common::Village {
        compact,
        registers: Vec::new(),
        results,
        entries: Vec::new(),
    };
    let a1 = household_json(&eval_json(&v), "A1");
    assert_eq!(a1["total"], serde_json::Value::Null, "{a1}");
    assert_eq!(a1["tracks"], serde_json::json!({}));
    assert_eq!(a1["rating"], serde_json::Value::Null);
    // With the implicit account, total is that account's points, even when they are 0.
    let v = evaluate(
        "乡约「甲」\n户籍 { 人口：整数 }\n",
        "户号,人口\nA1,1\n",
        &[],
        "日期,户号,事项\n",
        Some(2024),
        None,
    );
    assert_eq!(household_json(&eval_json(&v), "A1")["total"], "0");
}

#[test]
fn a_rating_boundary_is_inclusive_or_exclusive_as_written() {
    let source = "乡约「甲」\n户籍 { 人口：整数 }\n\n第一条\n  每户 加 人口 × 10 分。\n\n第二条\n  评定 星级：高于 30 分 为「甲」，不低于 20 分 为「乙」，其余 为「丙」。\n";
    let v = evaluate(
        source,
        "户号,人口\nA1,3\nA2,2\nA3,1\nA4,4\n",
        &[],
        "日期,户号,事项\n",
        Some(2024),
        None,
    );
    // 30 is not above 30 → 乙; 20 → 乙; 10 → 丙; 40 → 甲.
    let label = |id| v.household(id).ratings[0].label().map(str::to_string);
    assert_eq!(label("A1").as_deref(), Some("乙"));
    assert_eq!(label("A2").as_deref(), Some("乙"));
    assert_eq!(label("A3").as_deref(), Some("丙"));
    assert_eq!(label("A4").as_deref(), Some("甲"));
}

const RANKS: &str = "乡约「甲」\n户籍 { 人口：整数 }\n账户 户积分（默认）\n账户 荣誉积分\n\n第一条\n  每户 加 人口 × 10 分。\n\n第二条\n  按 户积分 排名，前 2 名 授予「积分之星」，前 50% 加 5 分 计入 荣誉积分；并列 均得。\n\n第三条\n  按 户积分 排名，前 2 名 授予「按号」；并列 按户号。\n";

#[test]
fn rank_awards_with_ties_included_or_cut_by_id() {
    let v = evaluate(
        RANKS,
        "户号,人口\nA1,5\nA2,3\nA3,3\nA4,1\nA5,2\n",
        &[],
        "日期,户号,事项\n",
        Some(2024),
        None,
    );
    // Totals 50, 30, 30, 10, 20. Top 2 with ties: A1, A2, A3. Top 50% of 5 = 3 (rounded up):
    // A1, A2, A3 (+5 荣誉积分). Cut by id: A1, A2.
    let titles = |id| v.household(id).titles.clone();
    assert_eq!(titles("A1"), ["积分之星", "按号"]);
    assert_eq!(titles("A2"), ["积分之星", "按号"]);
    assert_eq!(titles("A3"), ["积分之星"]);
    assert!(titles("A4").is_empty());
    assert_eq!(v.points("A3", "荣誉积分"), "5");
    assert_eq!(v.points("A5", "荣誉积分"), "0");
    assert_totals_are_ledger_sums(&v);
}

const GROUPED_RANKS: &str = "乡约「甲」\n\n户籍 { 人口：整数；类别：选项（普通、重点） }\n\n账户 户积分（默认）\n\n第一条\n  每户 加 人口 × 10 分。\n\n第二条\n  按 户积分 排名，按 类别 分别排，前 50% 授予「先进」，前 1 名 授予「第一」；并列 均得。\n";

#[test]
fn grouped_ranks_rank_each_value_apart() {
    let v = evaluate(
        GROUPED_RANKS,
        "户号,人口,类别\nA1,5,普通\nA2,4,普通\nA3,3,重点\nA4,1,普通\nA5,2,重点\nA6,1,普通\n",
        &[],
        "日期,户号,事项\n",
        Some(2024),
        None,
    );
    // 普通: A1 50, A2 40, A4 10, A6 10 → top 50% of 4 = 2: A1, A2; first: A1.
    // 重点: A3 30, A5 20 → top 50% of 2 = 1: A3; first: A3 — though A3 is below A2 overall.
    let titles = |id| v.household(id).titles.clone();
    assert_eq!(titles("A1"), ["先进", "第一"]);
    assert_eq!(titles("A2"), ["先进"]);
    assert_eq!(titles("A3"), ["先进", "第一"]);
    assert!(titles("A4").is_empty() && titles("A5").is_empty() && titles("A6").is_empty());
    // The rule reads back in words, and formats to itself.
    let words = xiangyue::model::describe::clause(&v.compact, 1).join("");
    assert!(words.contains("「类别」不同的分别排名"), "{words}");
    let formatted = xiangyue::fmt::format_source(GROUPED_RANKS).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(formatted, GROUPED_RANKS);
}

const RANKS_WITHOUT_VETOED: &str = "乡约「甲」\n\n户籍 { 人口：整数 }\n\n账户 户积分（默认）\n账户 荣誉积分\n\n事项 违法犯罪\n事项 信用修复\n\n第一条\n  每户 加 人口 × 10 分。\n\n第二条\n  凡 违法犯罪，一票否决：取消 分红资格。\n\n第三条\n  凡 信用修复，修复 第二条。\n\n第四条\n  按 户积分 排名，不含 被一票否决 的户，前 2 名 授予「积分之星」，前 50% 加 10 分 计入 荣誉积分；并列 均得。\n";

/// Issue 14, item 10: a household vetoed for 违法犯罪 could still be 「积分之星」 and get +10
/// 荣誉积分. With 不含 被一票否决 的户 it takes no place and does not count towards 前 x%.
#[test]
fn a_ranking_can_leave_out_the_vetoed() {
    let v = evaluate(
        RANKS_WITHOUT_VETOED,
        "户号,人口\nA1,6\nA2,5\nA3,4\nA4,3\nA5,2\n",
        &[],
        "日期,户号,事项\n2024-05-01,A1,违法犯罪\n2024-06-01,A3,违法犯罪\n2024-07-01,A3,信用修复\n",
        Some(2024),
        None,
    );
    // Totals 60, 50, 40, 30, 20. A1 is vetoed (A3's veto is lifted by 修复): ranked are A2 50,
    // A3 40, A4 30, A5 20. Top 2: A2, A3. Top 50% of the 4 taking part = 2: A2, A3 (+10).
    let titles = |id| v.household(id).titles.clone();
    assert!(titles("A1").is_empty(), "{:?}", titles("A1"));
    assert_eq!(titles("A2"), ["积分之星"]);
    assert_eq!(titles("A3"), ["积分之星"]);
    assert!(titles("A4").is_empty());
    assert_eq!(v.points("A1", "荣誉积分"), "0");
    assert_eq!(v.points("A2", "荣誉积分"), "10");
    assert_eq!(v.points("A3", "荣誉积分"), "10");
    assert_eq!(v.points("A4", "荣誉积分"), "0");
    assert_totals_are_ledger_sums(&v);
    let words = xiangyue::model::describe::clause(&v.compact, 3).join("");
    assert!(words.contains("被一票否决的不参加排名"), "{words}");
    let formatted =
        xiangyue::fmt::format_source(RANKS_WITHOUT_VETOED).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(formatted, RANKS_WITHOUT_VETOED);
    // Written in parentheses right after 排名, it formats to the canonical form.
    let written = RANKS_WITHOUT_VETOED.replace(
        "排名，不含 被一票否决 的户，",
        "排名（不含被一票否决的户），",
    );
    let formatted = xiangyue::fmt::format_source(&written).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(formatted, RANKS_WITHOUT_VETOED);
}

const LADDER: &str = "乡约「甲」\n户籍 { 人口：整数 }\n账户 户积分（默认）\n账户 兑换积分\n事项 志愿 { 时长：数量（小时） }\n事项 兑换 { 所用积分：分数 }\n\n第一条\n  凡 志愿，按 时长 累计：满 10 小时 加 2 分，满 20 小时 加 5 分，满 50 小时 加 10 分。\n  计入 户积分、兑换积分。\n\n第二条\n  凡 兑换，从 兑换积分 支出 所用积分。\n";

#[test]
fn ladders_pay_each_rung_once_and_redemptions_need_a_balance() {
    let v = evaluate(
        LADDER,
        "户号,人口\nA1,1\n",
        &[],
        "日期,户号,事项,时长,所用积分\n\
         2024-01-01,A1,志愿,8,\n2024-01-02,A1,志愿,4,\n2024-01-03,A1,兑换,,3\n\
         2024-01-04,A1,志愿,9,\n2024-01-05,A1,志愿,40,\n2024-01-06,A1,兑换,,20\n",
        None,
        None,
    );
    // 8 h: nothing; 12 h: +2; spend 3 of 2 → refused; 21 h: +3 (5 − 2); 61 h: +5 (10 − 5).
    // 户积分 10; 兑换积分 10, then spending 20 → refused again.
    assert_eq!(v.points("A1", "户积分"), "10");
    assert_eq!(v.points("A1", "兑换积分"), "10");
    assert_eq!(v.results.summary.refused, 2);
    // A refused redemption says it was not carried out and why, in its computation, once.
    let refused: Vec<(String, Vec<String>)> = v
        .entries
        .iter()
        .filter(|e| e.amount.is_zero() && e.line.is_some_and(|l| l == 4 || l == 7))
        .map(|e| xiangyue::eval::ledger::entry_words(&v.compact, e))
        .collect();
    assert_eq!(
        refused,
        [
            ("余额 2 分不足，兑换 3 分未执行".to_string(), Vec::new()),
            ("余额 10 分不足，兑换 20 分未执行".to_string(), Vec::new())
        ]
    );
    let spent = v
        .entries
        .iter()
        .filter(|e| e.line == Some(4))
        .map(|e| xiangyue::report::tables::ledger_row(&v.compact, &v.registers, "e.csv", e))
        .map(|r| (r.amount, r.computation, r.notes))
        .collect::<Vec<_>>();
    assert_eq!(
        spent,
        [(
            "0".to_string(),
            "兑换：余额 2 分不足，兑换 3 分未执行".to_string(),
            String::new()
        )]
    );
    let v = evaluate(
        LADDER,
        "户号,人口\nA1,1\n",
        &[],
        "日期,户号,事项,时长,所用积分\n2024-01-01,A1,志愿,25,\n2024-01-02,A1,兑换,,4\n",
        None,
        None,
    );
    assert_eq!(v.points("A1", "兑换积分"), "1");
    assert_totals_are_ledger_sums(&v);
}

const STREAK: &str = "乡约「甲」\n户籍 { 人口：整数 }\n事项 违法\n事项 投工 { 天数：数量（天） }\n\n第一条\n  凡 投工，每天 加 1 分。\n\n第二条\n  连续 3 年 无 违法，加 10 分。\n";

#[test]
fn streaks_need_the_log_to_cover_the_years_and_no_breaking_record() {
    let events = "日期,户号,事项,天数\n2022-01-01,A1,投工,1\n2022-06-01,A2,违法,\n2023-06-01,A3,投工,1\n2024-03-01,A1,投工,1\n";
    let v = evaluate(
        STREAK,
        "户号,人口\nA1,1\nA2,1\nA3,1\n",
        &[],
        events,
        Some(2024),
        None,
    );
    // Covered from 2022: A1 and A3 get 10; A2 broke it in 2022.
    assert_eq!(v.points("A1", "积分"), "11");
    assert_eq!(v.points("A2", "积分"), "0");
    assert_eq!(v.points("A3", "积分"), "10");
    // A log starting in 2023 cannot show three years.
    let v = evaluate(
        STREAK,
        "户号,人口\nA1,1\n",
        &[],
        "日期,户号,事项,天数\n2023-01-01,A1,投工,1\n2024-01-01,A1,投工,1\n",
        Some(2024),
        None,
    );
    assert_eq!(v.points("A1", "积分"), "1");
}

const REVIEW: &str = "乡约「甲」\n户籍 { 人口：整数 }\n事项 见义勇为（需 证明）\n\n第一条\n  凡 见义勇为，每次 加 30 分。\n";

#[test]
fn pending_rejected_and_unproven_records_do_not_score() {
    let v = evaluate(
        REVIEW,
        "户号,人口\nA1,1\n",
        &[],
        "日期,户号,事项,审核,证明\n2024-01-01,A1,见义勇为,通过,有\n2024-01-02,A1,见义勇为,待审,有\n2024-01-03,A1,见义勇为,驳回,有\n2024-01-04,A1,见义勇为,,\n",
        None,
        None,
    );
    assert_eq!(v.points("A1", "积分"), "30");
    let s = &v.results.summary;
    assert_eq!((s.scored, s.pending, s.rejected_in_review), (1, 2, 1));
    let summary = eval_json(&v)["summary"].clone();
    assert_eq!(summary["records"], 4);
    assert_eq!(summary["records_in_period"], 4);
    assert_eq!(summary["in_period_evaluated"], 1);
    assert_eq!(summary["in_period_pending"], 2);
    assert_eq!(summary["in_period_rejected"], 1);
    assert_eq!(summary["evaluated_refused"], 0);
    let notes = v.notes("A1");
    assert!(notes.contains(&"待审，未计分".to_string()), "{notes:?}");
    assert!(
        notes.contains(&"缺少证明，未计分（待补）".to_string()),
        "{notes:?}"
    );
}

#[test]
fn date_conditions_including_ranges_across_the_new_year() {
    let source = "乡约「甲」\n户籍 { 人口：整数 }\n事项 抢险\n\n第一条\n  凡 抢险 且 日期 在 11月1日 至 2月28日，每次 加 5 分。\n\n第二条\n  凡 抢险 且 日期 不早于 2024年6月1日 且 日期 早于 7月1日，每次 加 1 分。\n";
    let v = evaluate(
        source,
        "户号,人口\nA1,1\n",
        &[],
        "日期,户号,事项\n2024-01-15,A1,抢险\n2024-03-01,A1,抢险\n2024-06-15,A1,抢险\n2024-12-01,A1,抢险\n",
        None,
        None,
    );
    // Jan 15 and Dec 1 are in 11月1日–2月28日 (+10); Jun 15 → +1; Mar 1 nothing.
    assert_eq!(v.points("A1", "积分"), "11");
}

#[test]
fn periods_starting_on_another_day() {
    let source = "乡约「甲」\n周期 每年 自 3月1日 起\n户籍 { 人口：整数 }\n事项 投工\n\n第一条\n  凡 投工，每次 加 1 分。\n";
    let events = "日期,户号,事项\n2024-02-28,A1,投工\n2024-03-01,A1,投工\n2025-02-28,A1,投工\n2025-03-01,A1,投工\n";
    let v = evaluate(source, "户号,人口\nA1,1\n", &[], events, Some(2024), None);
    // Period 2024 is 2024-03-01 – 2025-02-28: two records.
    assert_eq!(v.points("A1", "积分"), "2");
    assert_eq!(
        v.results.summary.before_period + v.results.summary.after_period,
        2
    );
    // The latest period with records is 2025.
    let v = evaluate(source, "户号,人口\nA1,1\n", &[], events, None, None);
    assert_eq!(v.results.period.year, 2025);
    assert_eq!(v.points("A1", "积分"), "1");
}

const ROSTER: &str = "乡约「甲」\n户籍 { 人口：整数 }\n名册 党员 { 职务：选项（书记、党员） }\n账户 户积分（默认）\n账户 党员积分（属 党员）\n事项 公益（归 党员）{ 时长：数量（小时） }\n事项 投工\n\n第一条\n  每名 党员 加 100 分。\n\n第二条\n  凡 公益，每小时 加 1 分；职务 为 书记 加倍；每年 至多 30 分。\n\n第三条\n  凡 投工，每次 加 2 分。\n";

#[test]
fn roster_events_land_on_the_person() {
    let v = evaluate(
        ROSTER,
        "户号,人口\nA1,1\n",
        &[("党员", "编号,户号,职务\nP1,A1,书记\nP2,A1,党员\n")],
        "日期,户号,人员,事项,时长\n2024-01-01,,P1,公益,10\n2024-01-02,,P1,公益,10\n2024-01-03,,P2,公益,3\n2024-01-04,A1,,投工,\n",
        None,
        None,
    );
    // P1: 100 + 20 + 20 capped at 30 → 130; P2: 103; household A1: 2.
    assert_eq!(v.points_of(1, "P1", "党员积分"), "130");
    assert_eq!(v.points_of(1, "P2", "党员积分"), "103");
    assert_eq!(v.points("A1", "户积分"), "2");
    assert_totals_are_ledger_sums(&v);
}

#[test]
fn out_of_order_records_are_refused_by_the_evaluator() {
    use xiangyue::data::{EventRecord, Register};
    use xiangyue::eval::{Evaluator, NoLedger, PeriodChoice};
    let compact = xiangyue::compile::compile("乡约「甲」\n")
        .compact
        .expect("compact");
    let registers = vec![Register::empty(0, 0, "")];
    let mut e = Evaluator::new(&compact, &registers, PeriodChoice::Latest, NoLedger);
    let mut record = EventRecord::new();
    record.day = 100;
    assert!(e.push(&record).is_ok());
    record.day = 99;
    record.line = 7;
    assert_eq!(e.push(&record).err().map(|o| o.line), Some(7));
}

/// `eval --format json` writes households and members directly; the bytes are those of
/// serializing the document through serde with the same layout (vetoes, cancelled ratings,
/// titles, a dividend, a roster with and without households, an id that needs escaping).
#[test]
fn the_written_eval_json_is_the_serialized_document() {
    let villages = [
        evaluate(
            VETOES,
            "户号,户主,人口\nA1,张三,4\nA2,\"李\"\"四\\\",3\nA3,,1\n\"A\"\"4\\\",王五,2\n",
            &[],
            "日期,户号,事项,天数\n2024-05-01,A1,违法,\n2024-06-01,A2,投工,5\n2024-07-01,A2,拒拆,\n2024-08-01,A2,投工,1\n2024-06-01,\"A\"\"4\\\",投工,5\n",
            None,
            Some(1_000_000),
        ),
        evaluate(
            RANKS,
            "户号,人口\nA1,4\nA2,3\nA3,3\nA4,1\n",
            &[],
            "日期,户号,事项\n",
            None,
            None,
        ),
        evaluate(
            ROSTER,
            "户号,人口\nA1,1\n",
            &[("党员", "编号,姓名,户号,职务\nP1,赵六,A1,书记\nP2,,,党员\n")],
            "日期,户号,人员,事项,时长\n2024-01-01,,P1,公益,10\n",
            None,
            None,
        ),
        evaluate(
            "乡约「甲」\n",
            "户号\n",
            &[],
            "日期,户号,事项\n",
            None,
            None,
        ),
    ];
    let provenance = provenance("events\t\"记录\".csv");
    for v in &villages {
        let doc =
            xiangyue::report::results::eval_json(&v.compact, &v.results, &v.registers, &provenance);
        let mut written = Vec::new();
        xiangyue::report::results::write_eval_json(&mut written, &doc).expect("written");
        let mut serialized = Vec::new();
        let formatter = xiangyue::report::results::RowsFormatter::default();
        serde::Serialize::serialize(
            &doc,
            &mut serde_json::Serializer::with_formatter(&mut serialized, formatter),
        )
        .expect("serialized");
        serialized.push(b'\n');
        let text = String::from_utf8_lossy(&written);
        assert_eq!(text, String::from_utf8_lossy(&serialized));
        // And it is the fully indented document, but for whitespace.
        let value: serde_json::Value = serde_json::from_slice(&written).expect("JSON");
        assert_eq!(value, serde_json::to_value(&doc).expect("value"));
    }
    // The names are the registers' (one needing escaping, one empty cell).
    let doc = eval_json(&villages[0]);
    assert_eq!(doc["households"][1]["name"], "李\"四\\");
    assert_eq!(doc["households"][2]["name"], serde_json::Value::Null);
    assert_eq!(doc["households"][3]["name"], "王五");
    let doc = eval_json(&villages[2]);
    assert_eq!(doc["members"]["党员"][0]["name"], "赵六");
    assert_eq!(doc["members"]["党员"][1]["name"], serde_json::Value::Null);
}

const ROUNDED: &str = "乡约「甲」\n\n户籍 { 人口：整数 }\n\n账户 户积分（默认）\n\n事项 投工 { 天数：数量（天） }\n事项 值守 { 天数：数量（天） }\n事项 巡逻 { 天数：数量（天） }\n事项 植树 { 天数：数量（天） }\n\n第一条\n  凡 投工，每天 加 128 分；四舍五入 保留 1 位小数。\n\n第二条\n  凡 值守，每天 加 128 分；去尾 取整。\n\n第三条\n  凡 巡逻，每天 扣 128 分；进一 取整。\n\n第四条\n  凡 植树，每天 加 128 分；四舍五入 到 0.01 分；每年 至多 85.34 分。\n";

/// Issue 14, item 5: a clause may say how it rounds each record's points. 0.333333 天 × 128 分
/// is 42.666624 分: 四舍五入 to one place is 42.7; 去尾 取整 is 42; 进一 取整 on a deduction is
/// −43 (away from zero); to 0.01 it is 42.67, twice 85.34 — exactly the cap, so the cap takes
/// the rounded amounts.
#[test]
fn a_clause_says_how_it_rounds_each_record() {
    let v = evaluate(
        ROUNDED,
        "户号,人口\nA1,1\nA2,1\nA3,1\nA4,1\n",
        &[],
        "日期,户号,事项,天数\n2024-03-01,A1,投工,0.333333\n2024-03-01,A2,值守,0.333333\n\
         2024-03-01,A3,巡逻,0.333333\n2024-03-01,A4,植树,0.333333\n2024-03-02,A4,植树,0.333333\n",
        Some(2024),
        None,
    );
    assert_eq!(v.points("A1", "户积分"), "42.7");
    assert_eq!(v.points("A2", "户积分"), "42");
    assert_eq!(v.points("A3", "户积分"), "-43");
    assert_eq!(v.points("A4", "户积分"), "85.34");
    assert!(
        v.notes("A1")
            .iter()
            .any(|n| n == "四舍五入保留 1 位小数：42.666624 分计为 42.7 分"),
        "{:?}",
        v.notes("A1")
    );
    assert!(
        !v.notes("A4").iter().any(|n| n.contains("上限")),
        "{:?}",
        v.notes("A4")
    );
    assert_totals_are_ledger_sums(&v);
    // The rule reads back in words, and formats to itself.
    let words = xiangyue::model::describe::clause(&v.compact, 0).join("");
    assert!(
        words.contains("每条记录的分数四舍五入保留 1 位小数"),
        "{words}"
    );
    let formatted = xiangyue::fmt::format_source(ROUNDED).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(formatted, ROUNDED);
}

/// Without a rounding clause the points stay exact inside (JSON, sums, dividend shares) and
/// tables for people show two decimals, 四舍五入.
#[test]
fn exact_points_inside_and_two_decimals_for_people() {
    let v = evaluate(
        "乡约「甲」\n户籍 { 人口：整数 }\n事项 投工 { 天数：数量（天） }\n\n第一条\n  凡 投工，每天 加 128 分。\n",
        "户号,人口\nA1,1\n",
        &[],
        "日期,户号,事项,天数\n2024-03-01,A1,投工,0.333333\n",
        Some(2024),
        None,
    );
    assert_eq!(v.points("A1", "积分"), "42.666624");
    assert_eq!(
        xiangyue::report::tables::points(rust_decimal::Decimal::new(42_666_624, 6)),
        "42.67"
    );
    assert_eq!(
        xiangyue::report::tables::points(rust_decimal::Decimal::new(-42_665, 3)),
        "-42.67"
    );
    assert_eq!(
        xiangyue::report::tables::points(rust_decimal::Decimal::new(125, 1)),
        "12.5"
    );
}

/// Issue 14, fuzzing: numbers in range whose product is not — 999,999,999,999 天 × 999,999 分,
/// or multipliers that multiply past what a decimal holds — used to overflow and panic. Such a
/// record is refused and said in the ledger; the others count.
#[test]
fn a_record_whose_points_would_be_too_large_is_refused_not_a_panic() {
    let v = evaluate(
        "乡约「甲」\n户籍 { 人口：整数；党员户：是否 }\n事项 投工 { 天数：数量（天） }\n\n第一条\n  凡 投工，每天 加 999999 分；党员户 按 999999999999 倍；天数 高于 1 按 999999999999 倍。\n",
        "户号,人口,党员户\nA1,1,否\nA2,1,是\n",
        &[],
        "日期,户号,事项,天数\n2024-03-01,A1,投工,999999999999\n2024-03-02,A1,投工,1\n2024-03-03,A2,投工,2\n",
        Some(2024),
        None,
    );
    assert_eq!(v.points("A1", "积分"), "999999");
    assert_eq!(v.points("A2", "积分"), "0");
    assert_eq!(v.results.summary.refused, 2);
    assert!(
        v.notes("A1").iter().any(|n| n.contains("算出的分数超过")),
        "{:?}",
        v.notes("A1")
    );
    assert_totals_are_ledger_sums(&v);
}

const ONCE: &str = "乡约「甲」\n户籍 { 人口：整数 }\n名册 党员 { 职务：文本 }\n账户 户积分（默认）\n账户 党员积分（属 党员）\n事项 村级活动 { 活动编号：文本 }\n事项 党日活动签到（归 党员）{ 活动编号：文本 }\n事项 投工 { 活动编号：文本；天数：数量（天） }\n\n第一条 村级活动\n  凡 村级活动，每次 加 1 分；同一 活动编号 只计一次；每年 至多 3 分。\n\n第二条 党日活动\n  凡 党日活动签到，每次 加 2 分；每人 同一 活动编号 只计一次。\n\n第三条 投工\n  凡 投工，每天 加 2 分；每户 同一 活动编号 只计一次。\n";

/// 同一 活动编号 只计一次: per household for household records, per person for a roster's;
/// the duplicates are booked at 0 分 with 已计 and use no room under the cap; a refused or
/// pending record does not take the activity; each period starts afresh.
#[test]
fn once_per_activity_counts_the_first_record_and_lists_the_rest_as_counted() {
    let v = evaluate(
        ONCE,
        "户号,人口\nA1,1\nA2,1\n",
        &[("党员", "编号,户号,职务\nP1,A1,书记\nP2,A1,党员\n")],
        "日期,户号,人员,事项,活动编号,天数,审核\n\
         2024-03-01,A1,,村级活动,C1,,通过\n\
         2024-03-01,A1,,村级活动,C1,,通过\n\
         2024-03-01,A2,,村级活动,C1,,通过\n\
         2024-03-05,A1,,村级活动,C2,,待审\n\
         2024-03-06,A1,,村级活动,C2,,通过\n\
         2024-04-01,A1,,村级活动,C1,,通过\n\
         2024-04-02,A1,,村级活动,C3,,通过\n\
         2024-04-03,A1,,村级活动,C4,,通过\n\
         2024-05-01,,P1,党日活动签到,D1,,通过\n\
         2024-05-01,,P1,党日活动签到,D1,,通过\n\
         2024-05-01,,P2,党日活动签到,D1,,通过\n\
         2024-06-01,A2,,投工,W1,1.5,通过\n\
         2024-06-02,A2,,投工,W1,3,通过\n",
        Some(2024),
        None,
    );
    // A1 村级活动: C1 +1 (line 2); C1 again 已计 (line 3); C2 待审 (line 5) not scored and
    // does not take C2; C2 +1 (line 6); C1 已计 (line 7); C3 +1 (line 8) → 3, the cap;
    // C4 (line 9): capped to 0. Total 3.
    assert_eq!(v.points("A1", "户积分"), "3");
    // A2: C1 +1 (its own household, not A1's); 投工 W1 1.5 天 × 2 = 3, then W1 again 已计.
    assert_eq!(v.points("A2", "户积分"), "4");
    // P1: D1 +2, then 已计; P2 (same household, another person): D1 +2.
    assert_eq!(v.points_of(1, "P1", "党员积分"), "2");
    assert_eq!(v.points_of(1, "P2", "党员积分"), "2");
    let notes = v.notes("A1");
    let counted: Vec<&String> = notes.iter().filter(|n| n.contains("已计")).collect();
    assert_eq!(
        counted,
        [
            "同一活动编号「C1」已计（2024年3月1日第 2 行的记录），本次不再计分",
            "同一活动编号「C1」已计（2024年3月1日第 2 行的记录），本次不再计分",
        ],
        "{notes:?}"
    );
    assert!(
        v.notes("A2")
            .iter()
            .any(|n| n == "同一活动编号「W1」已计（2024年6月1日第 13 行的记录），本次不再计分"),
        "{:?}",
        v.notes("A2")
    );
    assert_totals_are_ledger_sums(&v);

    // A new period starts afresh: C1 in 2025 counts again.
    let v = evaluate(
        ONCE,
        "户号,人口\nA1,1\n",
        &[("党员", "编号,户号,职务\n")],
        "日期,户号,人员,事项,活动编号\n2024-12-31,A1,,村级活动,C1\n2025-01-02,A1,,村级活动,C1\n",
        None,
        None,
    );
    assert_eq!(v.points("A1", "户积分"), "1");
    assert!(!v.notes("A1").iter().any(|n| n.contains("已计")));
}

const MONEY_POOL: &str = "乡约「甲」\n户籍 { 人口：整数 }\n事项 投工 { 天数：数量（天） }\n事项 违法\n\n第一条\n  凡 投工，每天 加 1 分。\n\n第二条\n  凡 违法，一票否决：取消 分红资格。\n\n第三条\n  分红：净利润 的 50%，按 积分 比例 分配；不足 5 分 的户 不参与；取整到 元{rest}。\n";

const MONEY_PER_POINT: &str = "乡约「甲」\n户籍 { 人口：整数 }\n事项 投工 { 天数：数量（天） }\n事项 乱倒垃圾\n\n第一条\n  凡 投工，每天 加 1 分。\n\n第二条\n  凡 乱倒垃圾，每次 扣 5 分。\n\n第三条\n  分红：按 积分 每分 2.5 元 计发{rest}。\n";

/// language.md 6.3: a pool shared in whole 元 with the remainder shared by largest remainder or
/// kept, a minimum, and money per point rounded as written, with 负分 不参与 or 照扣.
#[test]
fn dividends_in_whole_yuan_per_point_minimum_and_negative_points() {
    let register = "户号,人口\nA1,1\nA2,1\nA3,1\nA4,1\nA5,1\n";
    let events = "日期,户号,事项,天数\n\
                  2024-03-01,A1,投工,12.3\n\
                  2024-03-01,A2,投工,5\n\
                  2024-03-01,A3,投工,6\n\
                  2024-03-01,A4,投工,4\n\
                  2024-03-01,A5,投工,20\n\
                  2024-04-01,A5,违法,\n";
    // Given 2001.01 元, the pool is half: 1000.50 元 (100050 fen, rounded down to the fen).
    // A4 (4 分) is below 5 and A5 vetoed: A1 12.3, A2 5, A3 6 share, 23.3 in all. In 元 the
    // pool's 1000 whole 元 are shared: 527.897, 214.592, 257.511 → 527, 214, 257 = 998; the
    // 0.50 元 is not shared. Largest remainder: the two 元 left go to A1 (.897) and A2 (.592).
    let pool = |rest: &str| MONEY_POOL.replace("{rest}", rest);
    let v = evaluate(&pool(""), register, &[], events, Some(2024), Some(200_101));
    let fen: Vec<i64> = ["A1", "A2", "A3", "A4", "A5"]
        .iter()
        .map(|h| v.household(h).dividend_fen)
        .collect();
    assert_eq!(fen, [52_800, 21_500, 25_700, 0, 0]);
    let v = evaluate(
        &pool("；零头 按 最大余数 分配"),
        register,
        &[],
        events,
        Some(2024),
        Some(200_101),
    );
    assert_eq!(v.household("A1").dividend_fen, 52_800);
    // 零头 留归集体: 527 + 214 + 257 = 998 元 shared, 2.50 元 kept.
    let v = evaluate(
        &pool("；零头 留归集体"),
        register,
        &[],
        events,
        Some(2024),
        Some(200_101),
    );
    let fen: Vec<i64> = ["A1", "A2", "A3"]
        .iter()
        .map(|h| v.household(h).dividend_fen)
        .collect();
    assert_eq!(fen, [52_700, 21_400, 25_700]);
    let d = v.results.dividend.as_ref().expect("dividend");
    assert_eq!(
        (d.pool_fen, d.distributed_fen, d.eligible),
        (Some(100_050), 99_800, 3)
    );

    // Money per point, no pool: A1 12.3 × 2.5 = 30.75 元; A2 −5 分.
    let per_point = |rest: &str| MONEY_PER_POINT.replace("{rest}", rest);
    let events = "日期,户号,事项,天数\n2024-03-01,A1,投工,12.3\n2024-03-01,A2,乱倒垃圾,\n2024-03-01,A3,投工,0.1\n";
    let register = "户号,人口\nA1,1\nA2,1\nA3,1\n";
    let fen = |rest: &str| {
        let v = evaluate(&per_point(rest), register, &[], events, Some(2024), None);
        ["A1", "A2", "A3"]
            .iter()
            .map(|h| v.household(h).dividend_fen)
            .collect::<Vec<i64>>()
    };
    // To the fen: 30.75, nothing for −5 (负分 不参与 by default), 0.1 × 2.5 = 0.25.
    assert_eq!(fen(""), [3_075, 0, 25]);
    // 四舍五入 到 角: 30.8, 0.3; 负分 照扣: −12.5.
    assert_eq!(fen("；四舍五入 取整到 角；负分 照扣"), [3_080, -1_250, 30]);
    // 去尾 到 元: 30, 0; 进一 到 元: 31, 1; −5 × 2.5 = −12.5 → 进一 −13.
    assert_eq!(fen("；去尾 取整到 元"), [3_000, 0, 0]);
    assert_eq!(fen("；进一 取整到 元；负分 照扣"), [3_100, -1_300, 100]);
    // 不足 1 分 的户 不参与: A3 (0.1) gets nothing.
    assert_eq!(fen("；不足 1 分 的户 不参与"), [3_075, 0, 0]);
    let v = evaluate(
        &per_point("；四舍五入 取整到 角；负分 照扣"),
        register,
        &[],
        events,
        Some(2024),
        None,
    );
    let d = v.results.dividend.as_ref().expect("dividend");
    assert_eq!(
        (d.pool_fen, d.distributed_fen, d.eligible),
        (None, 3_080 - 1_250 + 30, 3)
    );
}

const RATED: &str = "乡约「甲」\n户籍 { 类别：选项（普通户、党员户） }\n事项 投工 { 天数：数量（天） }\n事项 违法\n\n第一条\n  每户 加 60 分。\n\n第二条\n  凡 投工，每天 加 1 分。\n\n第三条\n  凡 违法，一票否决：取消 党员户考评 评定资格。\n\n第四条\n  评定 星级：90 分 以上 为「五星」，80—89 分 为「四星」，60—79 分 为「三星」，其余 为「无星」。\n\n第五条\n  评定 党员户考评（限 类别 为 党员户）：85 分 及以上 为「好」，其余 为「一般」。\n";

/// language.md 6.1: rows written 90 分 以上 and 80—89 分 (read from the lower bound, 79.5
/// in the 60—79 row), and a rating limited to one class: the others are 不参评, even vetoed.
#[test]
fn rating_ranges_and_a_rating_of_one_class() {
    let v = evaluate(
        RATED,
        "户号,类别\nA1,普通户\nA2,党员户\nA3,党员户\nA4,普通户\nA5,普通户\n",
        &[],
        "日期,户号,事项,天数\n\
         2024-03-01,A1,投工,30\n\
         2024-03-01,A2,投工,29.5\n\
         2024-03-01,A3,投工,19.5\n\
         2024-03-01,A4,投工,0\n\
         2024-03-01,A5,违法,\n",
        Some(2024),
        None,
    );
    let grades = |id: &str| -> Vec<String> {
        v.household(id)
            .ratings
            .iter()
            .map(|r| match r {
                xiangyue::eval::RatingOutcome::Label(l) => l.to_string(),
                xiangyue::eval::RatingOutcome::NotRated => "不参评".into(),
                other => format!("{other:?}"),
            })
            .collect()
    };
    // A1 90 → 五星 (90 分 以上 counts 90); 普通户: 不参评.
    assert_eq!(grades("A1"), ["五星", "不参评"]);
    // A2 89.5: not 90, so 80—89 → 四星; 党员户 89.5 ≥ 85 → 好.
    assert_eq!(grades("A2"), ["四星", "好"]);
    // A3 79.5: between 79 and 80 → the lower row, 三星; 79.5 < 85 → 一般.
    assert_eq!(grades("A3"), ["三星", "一般"]);
    // A4 60 → 三星; A5 vetoed for 党员户考评 but 普通户: 不参评 all the same.
    assert_eq!(grades("A4"), ["三星", "不参评"]);
    assert_eq!(grades("A5"), ["三星", "不参评"]);
}

/// language.md 6.1: rows written as the Wendeng text writes them — 1060 分（不含）以上,
/// 1040（不含）—1060 分 —: a score equal to a bound marked 不含 goes to the row below.
#[test]
fn rating_bounds_written_as_not_counting() {
    let v = evaluate(
        "乡约「甲」\n户籍 { 人口：整数 }\n账户 信用积分（默认）\n事项 好人好事\n\n第一条\n  每户 加 1000 分。\n\n第二条\n  凡 好人好事，每次 加 10 分。\n\n第三条\n  评定 星级（按 信用积分）：1060 分（不含）以上 为「五星」，1040（不含）—1060 分 为「四星」，1020（不含）—1040 分 为「三星」，1000—1020 分 为「二星」，其余 为「一星」。\n",
        "户号,人口\nA0,1\nA2,1\nA3,1\nA4,1\nA5,1\nA6,1\nA7,1\n",
        &[],
        "日期,户号,事项\n\
         2024-03-01,A2,好人好事\n2024-03-02,A2,好人好事\n\
         2024-03-01,A3,好人好事\n2024-03-02,A3,好人好事\n2024-03-03,A3,好人好事\n\
         2024-03-01,A4,好人好事\n2024-03-02,A4,好人好事\n2024-03-03,A4,好人好事\n2024-03-04,A4,好人好事\n\
         2024-03-01,A5,好人好事\n2024-03-02,A5,好人好事\n2024-03-03,A5,好人好事\n2024-03-04,A5,好人好事\n2024-03-05,A5,好人好事\n\
         2024-03-01,A6,好人好事\n2024-03-02,A6,好人好事\n2024-03-03,A6,好人好事\n2024-03-04,A6,好人好事\n2024-03-05,A6,好人好事\n2024-03-06,A6,好人好事\n\
         2024-03-01,A7,好人好事\n2024-03-02,A7,好人好事\n2024-03-03,A7,好人好事\n2024-03-04,A7,好人好事\n2024-03-05,A7,好人好事\n2024-03-06,A7,好人好事\n2024-03-07,A7,好人好事\n",
        Some(2024),
        None,
    );
    let grade = |id: &str| match &v.household(id).ratings[0] {
        xiangyue::eval::RatingOutcome::Label(l) => l.to_string(),
        other => format!("{other:?}"),
    };
    // A0 1000 → 二星; A2 1020: 1020 not counted by 三星's row → 二星; A3 1030 → 三星;
    // A4 1040 → 三星; A5 1050 → 四星; A6 1060 → 四星 (1060 not counted by 五星's); A7 1070 → 五星.
    let got: Vec<(String, String)> = ["A0", "A2", "A3", "A4", "A5", "A6", "A7"]
        .iter()
        .map(|id| (v.points(id, "信用积分"), grade(id)))
        .collect();
    let want: Vec<(String, String)> = [
        ("1000", "二星"),
        ("1020", "二星"),
        ("1030", "三星"),
        ("1040", "三星"),
        ("1050", "四星"),
        ("1060", "四星"),
        ("1070", "五星"),
    ]
    .iter()
    .map(|(p, g)| (p.to_string(), g.to_string()))
    .collect();
    assert_eq!(got, want);
}

/// language.md 6.1: 「80 分（含）—90 分（不含）为良好，60 分（含）—80 分（不含）为合格」 — both
/// bounds marked, as many texts write them: the compact checks (no gap, no overlap), reads the
/// same after `fmt`, and 80 and 90 go to the rows above.
#[test]
fn rating_rows_with_both_bounds_marked() {
    let source = "乡约「甲」\n户籍 { 人口：整数 }\n账户 积分（默认）\n事项 好事\n\n第一条 基础分\n  每户 加 60 分。\n\n第二条 好事\n  凡 好事，每次 加 10 分。\n\n第三条 等次\n  原文：90 分（含）以上为优秀，80 分（含）—90 分（不含）为良好，60 分（含）—80 分（不含）为合格，60 分以下为不合格。\n  评定 等次（按 积分）：90 分（含）以上 为「优秀」，80 分（含）—90 分（不含） 为「良好」，60 分（含）—80 分（不含） 为「合格」，其余 为「不合格」。\n\n示例「边界」\n  户「甲」。\n  户「乙」。\n  户「丙」。\n  2024年1月1日「乙」好事。\n  2024年1月1日「乙」好事。\n  2024年1月1日「丙」好事。\n  2024年1月1日「丙」好事。\n  2024年1月2日「丙」好事。\n  应得「甲」：积分 60 分，等次 为「合格」。\n  应得「乙」：积分 80 分，等次 为「良好」。\n  应得「丙」：积分 90 分，等次 为「优秀」。\n";
    let check = |text: &str| {
        let compiled = xiangyue::compile::compile(text);
        let codes: Vec<String> = compiled.problems.iter().map(|p| p.code()).collect();
        assert!(codes.is_empty(), "{codes:?}");
        compiled.compact.unwrap_or_else(|| panic!("does not check"))
    };
    let compact = check(source);
    let formatted = xiangyue::fmt::format_source(source).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(
        formatted.contains("80—90 分（不含） 为「良好」，60—80 分（不含） 为「合格」"),
        "{formatted}"
    );
    let reformatted = check(&formatted);
    assert_eq!(reformatted.ratings[0].rows, compact.ratings[0].rows);
    // 甲 60 → 合格, 乙 80 → 良好 (80 is not in 合格's range), 丙 90 → 优秀.
    let run = xiangyue::eval::examples::run_example(&compact, &compact.examples[0]);
    assert_eq!(run.checked, 6);
    assert!(run.mismatches.is_empty(), "{:?}", run.mismatches);
}

const PRICED: &str = "乡约「甲」\n户籍 { 人口：整数 }\n账户 户积分（默认）\n账户 兑换积分\n事项 投工 { 天数：数量（天） }\n事项 兑换 { 物品：文本 }\n\n第一条\n  凡 投工，每天 加 10 分。\n  计入 户积分、兑换积分。\n\n第二条\n  凡 兑换，从 兑换积分 支出，按 物品：洗衣液 20 分，香皂、肥皂 5 分，「5升油」 85 分。\n";

/// language.md 4.8: a redemption priced by a table: each record spends its good's price; a
/// good not in the table, or beyond the balance, is not redeemed.
#[test]
fn a_redemption_priced_by_a_table_of_goods() {
    let v = evaluate(
        PRICED,
        "户号,人口\nA1,1\n",
        &[],
        "日期,户号,事项,天数,物品\n\
         2024-03-01,A1,投工,3,\n\
         2024-03-02,A1,兑换,,洗衣液\n\
         2024-03-03,A1,兑换,,肥皂\n\
         2024-03-04,A1,兑换,,大米\n\
         2024-03-05,A1,兑换,,5升油\n\
         2024-03-06,A1,兑换,,香皂\n",
        Some(2024),
        None,
    );
    // 30 earned into both accounts; 洗衣液 −20 → 10; 肥皂 −5 → 5; 大米 not priced; 5升油 85 >
    // 5: refused; 香皂 −5 → 0.
    assert_eq!(v.points("A1", "户积分"), "30");
    assert_eq!(v.points("A1", "兑换积分"), "0");
    assert_eq!(v.results.summary.refused, 2);
    let notes = v.notes("A1");
    assert!(
        notes
            .iter()
            .any(|n| n == "价目表中没有「大米」，兑换未执行"),
        "{notes:?}"
    );
    assert!(
        notes.iter().any(|n| n == "余额 5 分不足，兑换 85 分未执行"),
        "{notes:?}"
    );
    assert_totals_are_ledger_sums(&v);
}

const CARRIED: &str = "乡约「甲」\n户籍 { 人口：整数 }\n账户 户积分（默认）\n账户 兑换积分：余额结转\n事项 投工 { 天数：数量（天） }\n事项 兑换 { 物品：文本 }\n\n第一条\n  每户 加 5 分。\n  计入 户积分、兑换积分。\n\n第二条\n  凡 投工，每天 加 10 分。\n  计入 户积分、兑换积分。\n\n第三条\n  凡 兑换，从 兑换积分 支出，按 物品：洗衣液 20 分，香皂 5 分。\n";

/// language.md 3.4 余额结转: the balance a period closes with opens the next one (a ledger
/// line of its own, dated the first day), through a year without records; 户积分 starts
/// afresh each year.
#[test]
fn a_balance_carried_over_several_years() {
    let events = "日期,户号,事项,天数,物品\n\
                  2024-03-01,A1,投工,3,\n\
                  2024-05-01,A1,兑换,,洗衣液\n\
                  2026-02-01,A1,兑换,,洗衣液\n\
                  2026-03-01,A1,兑换,,香皂\n";
    // 2024: 5 + 30 − 20 = 15 in 兑换积分; 户积分 35.
    let v = evaluate(CARRIED, "户号,人口\nA1,1\n", &[], events, Some(2024), None);
    assert_eq!(v.points("A1", "兑换积分"), "15");
    assert_eq!(v.points("A1", "户积分"), "35");
    // 2025, no records: 15 carried + 5 base = 20; 户积分 5.
    let v = evaluate(CARRIED, "户号,人口\nA1,1\n", &[], events, Some(2025), None);
    assert_eq!(v.points("A1", "兑换积分"), "20");
    assert_eq!(v.points("A1", "户积分"), "5");
    // 2026: 5 base + 20 carried = 25 − 20 (洗衣液) − 5 (香皂) = 0; 户积分 5.
    let v = evaluate(CARRIED, "户号,人口\nA1,1\n", &[], events, None, None);
    assert_eq!(v.results.period.year, 2026);
    assert_eq!(v.points("A1", "兑换积分"), "0");
    assert_eq!(v.points("A1", "户积分"), "5");
    let carried: Vec<String> = v
        .entries
        .iter()
        .filter(|e| {
            matches!(
                e.computation,
                xiangyue::eval::ledger::Computation::BalanceCarried { .. }
            )
        })
        .map(|e| xiangyue::eval::ledger::computation_words(&e.computation))
        .collect();
    assert_eq!(carried, ["2025年度结余 20 分，余额结转"]);
    assert_totals_are_ledger_sums(&v);
}

const QUARTERLY: &str = "乡约「甲」\n户籍 { 人口：整数 }\n账户 户积分（默认）\n事项 好事\n事项 违规\n\n第一条\n  每户 加 10 分。\n\n第二条\n  凡 好事，每次 加 5 分。\n\n第三条\n  凡 违规，每次 扣 5 分。\n\n第四条 红黑榜\n  每季度 评定 红黑榜（按 本季度 户积分）（黑榜 不公布姓名）：不低于 10 分 为「红榜」，不低于 0 分 不上榜，其余 为「黑榜」。\n\n第五条 季度通报\n  每季度 评定 季度等次（按 户积分）：不低于 20 分 为「合格」，其余 为「不合格」。\n\n第六条 年度评比\n  评定 年度评比：四个季度 均为「红榜」 为「年度文明户」，连续 2 次 登上「红榜」 为「进步户」。\n\n第七条 黑榜户\n  评定 黑榜户：登上「黑榜」 达 2 次 以上。\n";

/// language.md 6.1 (按季度、按月评定): lists judged at each quarter's end on the quarter's own
/// points (本季度) or on the balance so far, and year ratings from the quarters' lists.
#[test]
fn quarterly_lists_and_a_year_rating_from_them() {
    let v = evaluate(
        QUARTERLY,
        "户号,人口\nA1,1\nA2,1\nA3,1\n",
        &[],
        "日期,户号,事项\n\
         2024-02-01,A1,好事\n2024-03-01,A1,好事\n2024-05-01,A1,好事\n2024-06-01,A1,好事\n\
         2024-08-01,A1,好事\n2024-09-01,A1,好事\n2024-11-01,A1,好事\n2024-12-31,A1,好事\n\
         2024-01-01,A2,好事\n2024-03-31,A2,好事\n2024-07-01,A2,好事\n2024-09-30,A2,好事\n\
         2024-10-01,A2,好事\n2024-12-01,A2,好事\n\
         2024-03-31,A3,违规\n2024-06-30,A3,好事\n2024-07-01,A3,违规\n2024-09-30,A3,违规\n",
        Some(2024),
        None,
    );
    let grades = |id: &str| -> Vec<String> {
        v.household(id)
            .ratings
            .iter()
            .map(|r| match r {
                xiangyue::eval::RatingOutcome::Label(l) => l.to_string(),
                _ => "—".into(),
            })
            .collect()
    };
    let judged = |id: &str| -> Vec<String> {
        v.household(id)
            .judged
            .iter()
            .map(|(_, p)| p.to_string())
            .collect()
    };
    // Columns: 第一…第四季度红黑榜, 第一…第四季度季度等次, 年度评比, 黑榜户. The base 10 points
    // open the year: they are in the balance (季度等次) but not in a quarter's own points.
    // A1: two 好事 a quarter (12-31 is Q4's last day): own 10, 10, 10, 10 → 红榜 × 4;
    // balance at each quarter's end 20, 30, 40, 50 → 合格 × 4; 四个季度 均为 红榜 → 年度文明户.
    assert_eq!(
        grades("A1"),
        [
            "红榜",
            "红榜",
            "红榜",
            "红榜",
            "合格",
            "合格",
            "合格",
            "合格",
            "年度文明户",
            "—"
        ]
    );
    assert_eq!(
        judged("A1"),
        ["10", "10", "10", "10", "20", "30", "40", "50"]
    );
    // A2: Q1 10 (01-01 and 03-31), Q2 0 (不上榜), Q3 10 (07-01, 09-30), Q4 10 → 红榜, —, 红榜,
    // 红榜: not all four, but Q3 and Q4 in a row → 进步户. Balances 20, 20, 30, 40.
    assert_eq!(
        grades("A2"),
        [
            "红榜",
            "—",
            "红榜",
            "红榜",
            "合格",
            "合格",
            "合格",
            "合格",
            "进步户",
            "—"
        ]
    );
    assert_eq!(
        judged("A2"),
        ["10", "0", "10", "10", "20", "20", "30", "40"]
    );
    // A3: Q1 −5 → 黑榜; Q2 +5 (06-30) → 不上榜; Q3 −10 (07-01, 09-30) → 黑榜; Q4 0 → 不上榜.
    // Balances 5, 10, 0, 0 → 不合格 × 4. 黑榜 twice → 黑榜户 (the rating's own name).
    assert_eq!(
        grades("A3"),
        [
            "黑榜",
            "—",
            "黑榜",
            "—",
            "不合格",
            "不合格",
            "不合格",
            "不合格",
            "—",
            "黑榜户"
        ]
    );
    assert_eq!(judged("A3"), ["-5", "5", "-10", "0", "5", "10", "0", "0"]);
    assert_eq!(v.points("A3", "户积分"), "0");
    assert_totals_are_ledger_sums(&v);
}

/// 每月 评定 on the balance so far, in a period starting on 7月1日: months are named as the
/// calendar's, counted from the period's first month.
#[test]
fn monthly_lists_in_a_period_starting_in_july() {
    let v = evaluate(
        "乡约「甲」\n周期 每年 自 7月1日 起\n户籍 { 人口：整数 }\n事项 好事\n\n第一条\n  凡 好事，每次 加 5 分。\n\n第二条\n  每月 评定 月榜（按 积分）：不低于 10 分 为「红榜」。\n\n第三条\n  评定 月度之星：连续 3 个月 登上「红榜」。\n",
        "户号,人口\nA1,1\n",
        &[],
        "日期,户号,事项\n2024-07-05,A1,好事\n2024-08-05,A1,好事\n2025-06-30,A1,好事\n",
        Some(2024),
        None,
    );
    let names: Vec<&str> = v.results.kinds[0]
        .ratings
        .iter()
        .map(|r| v.compact.ratings[*r].name.as_str())
        .collect();
    assert_eq!(names[0], "7月月榜");
    assert_eq!(names[11], "6月月榜");
    // Balance at each month's end: Jul 5, Aug 10, … May 10, Jun 15 → 红榜 from August on: 11
    // months in a row → 月度之星.
    let s = v.household("A1");
    let labels: Vec<Option<&str>> = s.ratings.iter().map(|r| r.label()).collect();
    assert_eq!(labels[0], None);
    assert!(labels[1..12].iter().all(|l| *l == Some("红榜")));
    assert_eq!(labels[12], Some("月度之星"));
    assert_eq!(s.judged[11].1.to_string(), "15");
}

/// 本月加分前 2 名 上红榜 (src04): a row by rank among the households rated, ties at the
/// boundary all in; rows by points below it.
#[test]
fn monthly_top_places_with_ties() {
    let v = evaluate(
        "乡约「甲」\n户籍 { 人口：整数 }\n事项 好事\n事项 违规\n\n第一条\n  每户 加 50 分。\n\n第二条\n  凡 好事，每次 加 5 分。\n\n第三条\n  凡 违规，每次 扣 5 分。\n\n第四条\n  每月 评定 月榜（按 本月 积分）：前 2 名 为「红榜」，不低于 0 分 不上榜，其余 为「黑榜」。\n",
        "户号,人口\nA1,1\nA2,1\nA3,1\nA4,1\n",
        &[],
        "日期,户号,事项\n\
         2024-01-03,A1,好事\n2024-01-04,A1,好事\n2024-01-05,A2,好事\n2024-01-06,A3,好事\n2024-01-07,A4,违规\n\
         2024-02-03,A2,好事\n",
        Some(2024),
        None,
    );
    let month = |id: &str, m: usize| v.household(id).ratings[m].label().map(str::to_string);
    // January's own points (the base 50 opens the year, not in January's): A1 10, A2 5, A3 5,
    // A4 −5. Second place is 5 points, shared by A2 and A3: three 红榜; A4 below 0 → 黑榜.
    assert_eq!(month("A1", 0).as_deref(), Some("红榜"));
    assert_eq!(month("A2", 0).as_deref(), Some("红榜"));
    assert_eq!(month("A3", 0).as_deref(), Some("红榜"));
    assert_eq!(month("A4", 0).as_deref(), Some("黑榜"));
    // February: A2 5, the others 0 — only points above 0 take a place: A2 alone 红榜, the
    // others 不上榜 (0 ≥ 0). March: nobody gained anything: nobody on the 红榜.
    assert_eq!(month("A2", 1).as_deref(), Some("红榜"));
    assert_eq!(month("A1", 1), None);
    assert_eq!(month("A4", 1), None);
    assert!(
        ["A1", "A2", "A3", "A4"]
            .iter()
            .all(|id| month(id, 2).is_none())
    );
}

/// 取消 红黑榜 评定资格 cancels every quarter of a windowed rating (each cell names the
/// clause); a year rating read from it then finds no 红榜.
#[test]
fn a_veto_cancels_every_window_of_a_quarterly_rating() {
    let v = evaluate(
        "乡约「甲」\n户籍 { 人口：整数 }\n事项 好事\n事项 违法\n\n第一条\n  凡 好事，每次 加 10 分。\n\n第二条\n  凡 违法，一票否决：取消 红黑榜 评定资格。\n\n第三条\n  每季度 评定 红黑榜（按 本季度 积分）：不低于 10 分 为「红榜」。\n\n第四条\n  评定 年度文明户：连续 2 次 登上「红榜」，其余 为「否」。\n",
        "户号,人口\nA1,1\nA2,1\n",
        &[],
        "日期,户号,事项\n2024-01-02,A1,好事\n2024-04-02,A1,好事\n2024-01-02,A2,好事\n2024-04-02,A2,好事\n2024-08-01,A2,违法\n",
        Some(2024),
        None,
    );
    // A1: Q1 10, Q2 10 → 红榜 twice in a row → 年度文明户; Q3, Q4 0 → no label.
    let a1: Vec<Option<&str>> = v
        .household("A1")
        .ratings
        .iter()
        .map(|r| r.label())
        .collect();
    assert_eq!(
        a1,
        [Some("红榜"), Some("红榜"), None, None, Some("年度文明户")]
    );
    // A2: the same points, but the veto (in Q3) cancels the rating for the whole year: every
    // quarter 取消, cancelled by 第二条; the year rating sees no 红榜 → 其余 「否」.
    let a2 = v.household("A2");
    for q in 0..4 {
        assert_eq!(a2.ratings[q], xiangyue::eval::RatingOutcome::Cancelled);
        assert_eq!(a2.cancelled_by(v.results.kinds[0].ratings[q]), Some(1));
    }
    assert_eq!(a2.ratings[4].label(), Some("否"));
}

/// A veto cancelling one rating cancels that rating only, however many ratings the compact
/// has: six monthly ratings make 72 more, and the 65th is not the 1st (the flags were once
/// kept in 64 bits, folding rating 64 onto rating 0).
#[test]
fn a_veto_cancels_only_its_rating_among_many_windows() {
    let v = evaluate(
        "乡约「甲」\n户籍 { 人口：整数 }\n事项 好事\n事项 违法\n\n第一条\n  凡 好事，每次 加 10 分。\n\n第二条\n  凡 违法，一票否决：取消 甲榜 评定资格。\n\n第三条\n  评定 甲榜：不低于 0 分 为「上榜」。\n\n第四条\n  每月 评定 月榜1（按 本月 积分）：不低于 0 分 为「红榜」。\n\n第五条\n  每月 评定 月榜2（按 本月 积分）：不低于 0 分 为「红榜」。\n\n第六条\n  每月 评定 月榜3（按 本月 积分）：不低于 0 分 为「红榜」。\n\n第七条\n  每月 评定 月榜4（按 本月 积分）：不低于 0 分 为「红榜」。\n\n第八条\n  每月 评定 月榜5（按 本月 积分）：不低于 0 分 为「红榜」。\n\n第九条\n  每月 评定 月榜6（按 本月 积分）：不低于 0 分 为「红榜」。\n\n",
        "户号,人口\nA1,1\n",
        &[],
        "日期,户号,事项\n2024-01-02,A1,好事\n2024-08-01,A1,违法\n",
        Some(2024),
        None,
    );
    let a1 = v.household("A1");
    assert_eq!(a1.ratings.len(), 73);
    assert_eq!(a1.ratings[0], xiangyue::eval::RatingOutcome::Cancelled);
    for (r, outcome) in a1.ratings.iter().enumerate().skip(1) {
        assert_eq!(outcome.label(), Some("红榜"), "rating {r}");
    }
}

/// language.md 5.7 and 7: a 示例 states a group's points (户积分「环境卫生」 0 分) — of the
/// second of two accounts with groups too, whose groups follow the first's in the results —,
/// and a wrong figure is a mismatch naming the group.
#[test]
fn an_example_states_the_points_of_a_group() {
    let source = |ok: &str| {
        format!(
            "乡约「分项示例」\n\
             账户 户积分（默认）：基础分 100 分，分为「环境卫生」30 分、「遵纪守法」70 分，各项 扣完为止\n\
             账户 平安积分：基础分 20 分，分为「交通」10 分、「防火」10 分，各项 扣完为止\n\
             事项 乱倒垃圾\n事项 闯红灯\n\n\
             第一条 乱倒垃圾\n  凡 乱倒垃圾，每次 扣 12 分。\n  计入 户积分「环境卫生」。\n\n\
             第二条 闯红灯\n  凡 闯红灯，每次 扣 4 分。\n  计入 平安积分「交通」。\n\n\
             示例「分项」\n  户。\n  2024年3月1日 乱倒垃圾。\n  2024年4月1日 乱倒垃圾。\n  2024年5月1日 乱倒垃圾。\n\
             \x20 2024年6月1日 闯红灯。\n  2024年7月1日 闯红灯。\n  2024年8月1日 闯红灯。\n\
             \x20 应得：户积分 70 分，户积分「环境卫生」 0 分，户积分「遵纪守法」 70 分，\
             平安积分 10 分，平安积分「交通」 {ok} 分，平安积分「防火」 10 分。\n"
        )
    };
    // 环境卫生 30 − 12 − 12 − 6 (扣完为止) = 0, the account 100 − 30 = 70; 交通 10 − 4 − 4 − 2
    // = 0, 平安积分 20 − 10 = 10.
    let run = |ok: &str| {
        let compact = xiangyue::compile::compile(&source(ok))
            .compact
            .unwrap_or_else(|| panic!("does not check"));
        xiangyue::eval::examples::run_example(&compact, &compact.examples[0])
    };
    let passed = run("0");
    assert_eq!(passed.checked, 6);
    assert!(passed.mismatches.is_empty(), "{:?}", passed.mismatches);
    let failed = run("2");
    let words: Vec<(String, String)> = failed
        .mismatches
        .iter()
        .map(|m| (m.expected.clone(), m.actual.clone()))
        .collect();
    assert_eq!(
        words,
        [(
            "平安积分「交通」 2 分".to_string(),
            "平安积分「交通」 0 分".to_string()
        )]
    );
}

const GROUPS: &str = "乡约「分项」\n户籍 { 人口：整数 }\n\
账户 户积分（默认）：基础分 100 分，分为「环境卫生」30 分、「遵纪守法」40 分、「邻里和睦」30 分，各项 扣完为止、加满为止\n\
账户 荣誉积分\n\
事项 乱倒垃圾\n事项 打架\n事项 清扫\n事项 表彰\n\n\
第一条 乱倒垃圾\n  凡 乱倒垃圾，每次 扣 12 分。\n  计入 户积分「环境卫生」。\n\n\
第二条 清扫\n  凡 清扫，每次 加 5 分。\n  计入 户积分「环境卫生」。\n\n\
第三条 打架\n  凡 打架，每次 扣 15 分。\n  计入 户积分「遵纪守法」。\n\n\
第四条 表彰\n  凡 表彰，每次 加 10 分。\n  计入 户积分、荣誉积分。\n\n\
第五条 和睦\n  凡 清扫 且 本年第三次起，每次 加 1 分。\n  计入 户积分「邻里和睦」。\n";

#[test]
fn groups_of_items_stop_at_their_floor_and_their_base() {
    let v = evaluate(
        GROUPS,
        "户号,人口\nA1,3\nA2,2\n",
        &[],
        "日期,户号,事项\n\
         2024-03-01,A1,乱倒垃圾\n\
         2024-03-02,A1,乱倒垃圾\n\
         2024-03-03,A1,乱倒垃圾\n\
         2024-03-04,A1,清扫\n\
         2024-03-05,A1,清扫\n\
         2024-03-06,A1,打架\n\
         2024-03-07,A1,表彰\n\
         2024-03-08,A1,清扫\n",
        Some(2024),
        None,
    );
    // A1 opens with 100 (30 + 40 + 30). 环境卫生: 30 −12 −12 = 6, the third −12 only −6 (扣完为止,
    // 6 not deducted) → 0; 清扫 +5 → 5, +5 → 10; 打架 in 遵纪守法: 40 − 15 = 25; 表彰 +10 in no
    // group (户积分 and 荣誉积分); 3rd 清扫: 环境卫生 +5 → 15, and 第五条 +1 in 邻里和睦, which is
    // full at 30 (加满为止): 0. 户积分 = 100 − 12 − 12 − 6 + 5 + 5 − 15 + 10 + 5 + 0 = 80.
    // A2: no records, 100.
    assert_eq!(v.points("A1", "户积分"), "80");
    assert_eq!(v.points("A1", "荣誉积分"), "10");
    assert_eq!(v.points("A2", "户积分"), "100");
    let notes = v.notes("A1");
    assert!(
        notes
            .iter()
            .any(|n| n
                .contains("分项「环境卫生」扣完为止：原有 6 分，应扣 12 分，只扣 6 分，未扣 6 分")),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|n| n.contains("分项「邻里和睦」加满为止（满分 30 分）")),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|n| n.contains("计入分项「遵纪守法」，这一项余 25 分")),
        "{notes:?}"
    );
    assert_totals_are_ledger_sums(&v);
}

const CLEARED: &str = "乡约「甲」\n户籍 { 人口：整数 }\n账户 户积分（默认）\n账户 兑换积分：余额结转；每年 1月10日 清零\n事项 投工 { 天数：数量（天） }\n事项 兑换 { 物品：文本 }\n\n第一条\n  每户 加 5 分。\n  计入 户积分、兑换积分。\n\n第二条\n  凡 投工，每天 加 10 分。\n  计入 户积分、兑换积分。\n\n第三条\n  凡 兑换，从 兑换积分 支出，按 物品：洗衣液 20 分，香皂 5 分。\n";

/// language.md 3.5 每年清零: on 1月10日 of each period the balance (the carried one and the
/// base points of 1月1日 included) is set to 0 before that day's records, a ledger line of its
/// own; 户积分 is not touched.
#[test]
fn an_account_cleared_on_a_date_each_year() {
    use xiangyue::eval::ledger::{Computation, EntryKind, computation_words};
    let events = "日期,户号,事项,天数,物品\n\
                  2024-03-01,A1,投工,3,\n\
                  2024-12-01,A1,兑换,,洗衣液\n\
                  2025-01-05,A1,投工,1,\n\
                  2025-01-10,A1,投工,2,\n\
                  2025-02-01,A1,兑换,,香皂\n";
    // 2024: base 5 on 1月1日, cleared on 1月10日 (5 → 0), + 30 − 20 = 10; 户积分 5 + 30 = 35.
    let v = evaluate(CLEARED, "户号,人口\nA1,1\n", &[], events, Some(2024), None);
    assert_eq!(v.points("A1", "兑换积分"), "10");
    assert_eq!(v.points("A1", "户积分"), "35");
    assert_totals_are_ledger_sums(&v);
    // 2025: 10 carried + 5 base + 10 (1月5日) = 25, cleared on 1月10日 before that day's
    // 投工: 0 + 20 − 5 (香皂) = 15; 户积分 5 + 10 + 20 = 35.
    let v = evaluate(CLEARED, "户号,人口\nA1,1\n", &[], events, None, None);
    assert_eq!(v.results.period.year, 2025);
    assert_eq!(v.points("A1", "兑换积分"), "15");
    assert_eq!(v.points("A1", "户积分"), "35");
    let cleared: Vec<(i32, String, String)> = v
        .entries
        .iter()
        .filter(|e| e.entry_kind() == EntryKind::DateClearing)
        .map(|e| {
            (
                e.day,
                e.amount.to_string(),
                computation_words(&e.computation),
            )
        })
        .collect();
    let jan10 = xiangyue::model::value::days_from_civil(2025, 1, 10);
    assert_eq!(
        cleared,
        [(
            jan10,
            "-25".to_string(),
            "余额 25 分清零（账户声明：每年 1月10日 清零）".to_string()
        )]
    );
    // The clearing comes before 1月10日's own record.
    let order: Vec<bool> = v
        .entries
        .iter()
        .filter(|e| e.day == jan10)
        .map(|e| matches!(e.computation, Computation::ClearedOnDate { .. }))
        .collect();
    assert_eq!(order, [true, false, false]);
    assert_totals_are_ledger_sums(&v);
}

/// A period whose records all come before the clearing day still clears at its end.
#[test]
fn an_account_cleared_after_the_last_record() {
    let events = "日期,户号,事项,天数,物品\n2025-01-05,A1,投工,1,\n";
    let v = evaluate(CLEARED, "户号,人口\nA1,1\n", &[], events, None, None);
    // 5 base + 10 = 15, cleared on 1月10日; 户积分 15.
    assert_eq!(v.points("A1", "兑换积分"), "0");
    assert_eq!(v.points("A1", "户积分"), "15");
    assert_totals_are_ledger_sums(&v);
}

const EXPIRING: &str = "乡约「甲」\n户籍 { 人口：整数 }\n账户 户积分（默认）\n账户 兑换积分：余额结转，积分有效期 2 年，先进先出\n事项 投工 { 天数：数量（天） }\n事项 兑换 { 物品：文本 }\n\n第一条\n  凡 投工，每天 加 10 分。\n  计入 户积分、兑换积分。\n\n第二条\n  凡 兑换，从 兑换积分 支出，按 物品：洗衣液 20 分，香皂 5 分。\n";

/// language.md 3.4 积分有效期: points earned in 2023 are good through 2024 and expire at its
/// end; spending takes the oldest first (先进先出); the expiry is a ledger line of its own.
#[test]
fn points_expire_after_their_years_oldest_spent_first() {
    use xiangyue::eval::ledger::{EntryKind, computation_words};
    let events = "日期,户号,事项,天数,物品\n\
                  2023-01-05,A2,投工,1,\n\
                  2023-03-01,A1,投工,3,\n\
                  2023-06-01,A1,兑换,,香皂\n\
                  2024-02-01,A1,投工,2,\n\
                  2024-05-01,A1,兑换,,洗衣液\n\
                  2025-03-01,A1,兑换,,香皂\n\
                  2025-04-01,A1,投工,1,\n";
    let register = "户号,人口\nA1,1\nA2,1\n";
    // 2023: A1 earns 30, spends 5 (of 2023's) → 25; A2 10. Nothing expires yet.
    let v = evaluate(EXPIRING, register, &[], events, Some(2023), None);
    assert_eq!(v.points("A1", "兑换积分"), "25");
    assert_eq!(v.points("A2", "兑换积分"), "10");
    assert_totals_are_ledger_sums(&v);
    // 2024: A1 brings 25 (all of 2023), earns 20, spends 20 — taken from 2023's 25 first,
    // leaving 5 of 2023 and all 20 of 2024; at the end of 2024 (2023's second year) the 5
    // expire: 25 + 20 − 20 − 5 = 20. (Spending the newest first would have let all 25 of
    // 2023 expire, and taking the net gain would have left 20 of 2023 to expire.)
    // A2: its 10 of 2023 expire: 0. 户积分 does not carry: A1 20.
    let v = evaluate(EXPIRING, register, &[], events, Some(2024), None);
    assert_eq!(v.points("A1", "兑换积分"), "20");
    assert_eq!(v.points("A2", "兑换积分"), "0");
    assert_eq!(v.points("A1", "户积分"), "20");
    let expired: Vec<(String, String, String)> = v
        .entries
        .iter()
        .filter(|e| e.entry_kind() == EntryKind::Expiry)
        .map(|e| {
            (
                xiangyue::model::value::date_of(e.day).to_string(),
                e.amount.to_string(),
                computation_words(&e.computation),
            )
        })
        .collect();
    assert_eq!(
        expired,
        [
            (
                "2024-12-31".to_string(),
                "-5".to_string(),
                "2023年度所得 5 分 过期作废（积分有效期 2 年）".to_string()
            ),
            (
                "2024-12-31".to_string(),
                "-10".to_string(),
                "2023年度所得 10 分 过期作废（积分有效期 2 年）".to_string()
            ),
        ]
    );
    assert_totals_are_ledger_sums(&v);
    // 2025: A1 brings 20 (all of 2024), spends 5 of it (15 left), earns 10; at the end of 2025
    // the 15 of 2024 expire: 20 − 5 + 10 − 15 = 10.
    let v = evaluate(EXPIRING, register, &[], events, Some(2025), None);
    assert_eq!(v.points("A1", "兑换积分"), "10");
    assert_eq!(v.points("A2", "兑换积分"), "0");
    assert_totals_are_ledger_sums(&v);
}

/// 积分有效期 with a negative balance: a debt never expires, and later earnings pay it first
/// (language.md 3.4).
#[test]
fn a_negative_balance_does_not_expire_and_is_paid_first() {
    let compact = "乡约「甲」\n户籍 { 人口：整数 }\n账户 兑换积分（默认）：余额结转，积分有效期 1 年\n事项 投工 { 天数：数量（天） }\n事项 垃圾\n\n第一条\n  凡 投工，每天 加 10 分。\n\n第二条\n  凡 垃圾，每次 扣 15 分。\n";
    let events = "日期,户号,事项,天数\n\
                  2023-05-01,A1,垃圾,\n\
                  2024-05-01,A1,投工,1\n\
                  2025-05-01,A1,投工,2\n";
    let register = "户号,人口\nA1,1\n";
    // 2023: −15, a debt: nothing to expire.
    let v = evaluate(compact, register, &[], events, Some(2023), None);
    assert_eq!(v.points("A1", "兑换积分"), "-15");
    // 2024: the 10 earned pay 10 of the debt: −5; no points of 2024 are left to expire.
    let v = evaluate(compact, register, &[], events, Some(2024), None);
    assert_eq!(v.points("A1", "兑换积分"), "-5");
    assert_totals_are_ledger_sums(&v);
    // 2025: of the 20 earned, 5 pay the debt; the other 15 are 2025's and expire at its end
    // (有效期 1 年): 0.
    let v = evaluate(compact, register, &[], events, Some(2025), None);
    assert_eq!(v.points("A1", "兑换积分"), "0");
    assert_totals_are_ledger_sums(&v);
}

/// A quarter's balance (按 账户, not 本季度) is read at the quarter's end: a clearing in
/// July lowers Q3's and Q4's balances, not Q1's or Q2's.
#[test]
fn a_clearing_counts_in_the_quarter_it_happens() {
    let v = evaluate(
        "乡约「甲」\n户籍 { 人口：整数 }\n账户 兑换积分（默认）：每年 7月10日 清零\n事项 投工\n\n第一条\n  凡 投工，每次 加 10 分。\n\n第二条\n  每季度 评定 季榜（按 兑换积分）：不低于 10 分 为「达标」，其余 为「未达标」。\n",
        "户号,人口\nA1,1\n",
        &[],
        "日期,户号,事项\n2024-01-15,A1,投工\n",
        Some(2024),
        None,
    );
    // 1月15日 +10: the balance is 10 at the end of Q1 and Q2; 7月10日 clears it: 0 at the end of
    // Q3 and Q4.
    let labels: Vec<Option<&str>> = v
        .household("A1")
        .ratings
        .iter()
        .map(|r| r.label())
        .collect();
    assert_eq!(
        labels,
        [Some("达标"), Some("达标"), Some("未达标"), Some("未达标")]
    );
    assert_totals_are_ledger_sums(&v);
}

const MEMBERS: &str = "乡约「甲」
户籍 { 人口：整数 }
名册 村民 { 性别：文本 }
账户 户积分（默认）：最低 0 分
账户 个人积分（属 村民）
事项 志愿服务（归 村民）{ 活动编号：文本 }
事项 党员公益（归 村民）{ 时长：数量（小时） }
事项 乱倒垃圾（归 村民）

第一条 志愿服务
  凡 志愿服务，每次 加 2 分；每户 同一 活动编号 只计一次；每人 每年 至多 4 分；每户 每年 至多 6 分。
  计入 户积分。

第二条 党员公益
  凡 党员公益，每小时 加 2 分；每年 至多 10 分。
  计入 个人积分、户积分（按 50%）。

第三条 乱倒垃圾
  凡 乱倒垃圾，每次 扣 5 分。
  计入 户积分。
";

/// A roster's records counted in the person's household: 每人 and 每户 caps together, 每户
/// 只计一次 across the members, a clause counted in the person's account and half of it in
/// the household's, and the household's floor — each household's ledger lines summing to its
/// totals.
#[test]
fn persons_records_count_in_their_households() {
    let v = evaluate(
        MEMBERS,
        "户号,人口\nA1,3\nA2,1\n",
        &[(
            "村民",
            "编号,姓名,户号,性别\nP1,张,A1,男\nP2,李,A1,女\nP3,王,A2,男\n",
        )],
        "日期,户号,人员,事项,活动编号,时长\n\
         2024-03-01,A1,P1,志愿服务,一,\n\
         2024-03-01,A1,P2,志愿服务,一,\n\
         2024-03-02,A1,P1,志愿服务,二,\n\
         2024-03-03,A1,P1,志愿服务,三,\n\
         2024-03-04,A1,P2,志愿服务,四,\n\
         2024-03-05,A1,P2,志愿服务,五,\n\
         2024-03-06,A2,P3,志愿服务,一,\n\
         2024-04-01,A1,P1,党员公益,,3\n\
         2024-04-02,A1,P2,党员公益,,7\n\
         2024-05-01,A2,P3,乱倒垃圾,,\n",
        Some(2024),
        None,
    );
    // A1, 第一条: P1「一」+2; P2「一」the same activity of the household → 已计 0; P1「二」
    // +2 (P1 4); P1「三」P1's 每人 4 reached → 0; P2「四」+2 (household 6); P2「五」the
    // household's 每户 6 reached → 0. 第二条: P1 3 h × 2 = 6 → 个人 6, 户 +3; P2 7 h × 2 = 14,
    // P2's own 每年 10 → 10 → 个人 10, 户 +5. A1 户积分 6 + 3 + 5 = 14.
    assert_eq!(v.points("A1", "户积分"), "14");
    assert_eq!(v.points_of(1, "P1", "个人积分"), "6");
    assert_eq!(v.points_of(1, "P2", "个人积分"), "10");
    // A2: P3「一」+2 (another household: not 已计), then −5 stops at the floor 0.
    assert_eq!(v.points("A2", "户积分"), "0");
    let notes = v.notes("A1");
    for expected in [
        "村民「张（P1）」的记录，计入本户",
        "同一活动编号「一」已计（2024年3月1日第 2 行的记录），本次不再计分",
        "本条每人本年已达上限 4 分，本次应计 2 分，不再计分",
        "本条每户本年已达上限 6 分，本次应计 2 分，不再计分",
        "按 50% 计入：10 分的 50% 是 5 分",
    ] {
        assert!(
            notes.iter().any(|n| n == expected),
            "{expected} in {notes:?}"
        );
    }
    assert_totals_are_ledger_sums(&v);
}

/// A person's own ledger (what `explain --person` shows): his own account's entries sum to his
/// points; each record that counted in the household has a line of its own saying how much went
/// where (the share, after the person's own caps) and adding nothing to his totals; a record
/// that gave the household nothing says why, without a line of 「加 0 分」.
#[test]
fn a_persons_own_ledger_says_what_went_to_the_household() {
    let entries = explain_entries(
        MEMBERS,
        "户号,人口\nA1,3\n",
        &[("村民", "编号,姓名,户号,性别\nP1,张,A1,男\nP2,李,A1,女\n")],
        "日期,户号,人员,事项,活动编号,时长\n\
         2024-03-01,A1,P1,志愿服务,一,\n\
         2024-03-01,A1,P2,志愿服务,一,\n\
         2024-03-04,A1,P2,志愿服务,四,\n\
         2024-04-02,A1,P2,党员公益,,7\n",
        Some(2024),
        (1, "P2"),
    );
    let lines: Vec<(String, Option<String>, Vec<String>)> = entries
        .iter()
        .map(|(e, notes)| {
            (
                e.amount.normalize().to_string(),
                e.account.map(|a| a.to_string()),
                notes.clone(),
            )
        })
        .collect();
    // 个人积分 is account 1. 党员公益: 7 h × 2 = 14, P2's 每年 10 → 10 in 个人积分; the
    // household takes 50% of 10 = 5.
    let cap = "本条本年上限 10 分，已计 0 分，本次应计 14 分，只计 10 分".to_string();
    assert_eq!(
        lines,
        vec![
            (
                "0".into(),
                None,
                vec!["同一活动编号「一」已计（2024年3月1日第 2 行的记录），本次不再计分".into()]
            ),
            (
                "0".into(),
                None,
                vec!["计入所在户「A1」的户积分：加 2 分".into()]
            ),
            ("10".into(), Some("1".into()), vec![cap.clone()]),
            (
                "0".into(),
                None,
                vec![cap, "计入所在户「A1」的户积分：加 5 分".into()]
            ),
        ]
    );
}

/// A cap written without 每人/每户 in a clause that counts only in household accounts is the
/// household's: beside a 每人 cap of the same window it is a second cap, not a repeat (E0126).
#[test]
fn an_unscoped_cap_of_a_household_clause_counts_per_household() {
    let v = evaluate(
        "乡约「甲」
户籍 { 人口：整数 }
名册 村民 { 性别：文本 }
账户 户积分（默认）
事项 志愿服务（归 村民）

第一条 志愿服务
  凡 志愿服务，每次 加 2 分；每人 每年 至多 4 分；每年 至多 6 分。
  计入 户积分。
",
        "户号,人口\nA1,2\n",
        &[("村民", "编号,户号,性别\nP1,A1,男\nP2,A1,女\n")],
        "日期,户号,人员,事项\n\
         2024-03-01,A1,P1,志愿服务\n\
         2024-03-02,A1,P1,志愿服务\n\
         2024-03-03,A1,P1,志愿服务\n\
         2024-03-04,A1,P2,志愿服务\n\
         2024-03-05,A1,P2,志愿服务\n",
        Some(2024),
        None,
    );
    // P1: 2, 2, then his 4 is reached → 0; P2: 2 (household 6), then the household's 6 → 0.
    assert_eq!(v.points("A1", "户积分"), "6");
    let notes = v.notes("A1");
    assert!(
        notes
            .iter()
            .any(|n| n == "本条每户本年已达上限 6 分，本次应计 2 分，不再计分"),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|n| n == "本条每人本年已达上限 4 分，本次应计 2 分，不再计分"),
        "{notes:?}"
    );
    assert_totals_are_ledger_sums(&v);
}
