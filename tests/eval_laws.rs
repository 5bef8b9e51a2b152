//! Laws of evaluation, on generated registers and logs for the sample compact:
//! totals are the sums of the ledger; the dividend sums to the pool to the fen; the results do
//! not depend on the order of whole days in the file (the log is sorted first) nor on
//! whether the ledger is kept; and no record, however odd, makes evaluation panic.

// The generators index fixed tables with values reduced modulo their length, and fail the
// test outright when the bundled sample is missing.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use proptest::prelude::*;
use rust_decimal::Decimal;
use xiangyue::data::{EventReader, EventRecord, Next, Register, TableReader, read_register};
use xiangyue::eval::{Evaluator, Ledger, NoLedger, PeriodChoice, Results};
use xiangyue::model::Compact;

fn sample() -> (Compact, String) {
    let path = common::root().join("compacts/youxiqiao-demo/youxiqiao.xy");
    let source = std::fs::read_to_string(path).expect("sample");
    let compact = xiangyue::compile::compile(&source)
        .compact
        .expect("sample checks");
    (compact, source)
}

const ITEMS: &[(&str, &str)] = &[
    ("义务投工", "天数"),
    ("防汛抢险", "天数"),
    ("公益捐款", "金额"),
    ("获得表彰", "级别"),
    ("好人好事", "评定分"),
    ("见义勇为", ""),
    ("调解纠纷", ""),
    ("志愿服务", "时长"),
    ("环境卫生评比", "等次"),
    ("乱倒垃圾", "当场改正"),
    ("乱搭乱建", ""),
    ("缺席村民会议", ""),
    ("违法犯罪", ""),
    ("拒不拆除违建", ""),
    ("积分兑换", "所用积分"),
    ("党员缺会", ""),
    ("党员公益活动", "时长"),
];

/// One generated record: (day of year, household, person, item, value, status).
type Gen = (u16, u8, u8, usize, u8, u8);

fn record_line(r: &Gen) -> String {
    let (day, household, person, item, value, status) = *r;
    let date = xiangyue::data::value::date_of(
        xiangyue::data::value::days_from_civil(2024, 1, 1) + i32::from(day % 366),
    );
    let (name, field) = ITEMS[item % ITEMS.len()];
    let roster = name.starts_with("党员");
    let v = match field {
        "天数" => format!("{}", f64::from(value % 10) / 2.0),
        "金额" => format!("{}", u32::from(value) * 37),
        "级别" => ["县级", "市级", "省级", "国家级"][usize::from(value) % 4].to_string(),
        "评定分" => format!("{}", 3 + value % 10),
        "时长" => format!("{}", value % 9),
        "等次" => ["优", "良", "差"][usize::from(value) % 3].to_string(),
        "当场改正" => ["是", "否"][usize::from(value) % 2].to_string(),
        "所用积分" => format!("{}", value % 40),
        _ => String::new(),
    };
    let mut cells = vec![String::new(); 12];
    cells[0] = date.to_string();
    cells[1] = if roster {
        String::new()
    } else {
        format!("H{}", household % 12)
    };
    cells[2] = if roster {
        format!("P{}", person % 4)
    } else {
        String::new()
    };
    cells[3] = name.to_string();
    let columns = [
        "天数",
        "金额",
        "级别",
        "评定分",
        "时长",
        "等次",
        "当场改正",
        "所用积分",
    ];
    if let Some(i) = columns.iter().position(|c| *c == field) {
        cells[4 + i] = v;
    }
    let status = match status % 20 {
        0 => "待审",
        1 => "驳回",
        _ => "通过",
    };
    format!(
        "{},{},类型={}\n",
        cells.join(","),
        status,
        ["综合", "见义勇为"][usize::from(value) % 2]
    )
    .replace(",类型=", ",")
}

const HEADER: &str =
    "日期,户号,人员,事项,天数,金额,级别,评定分,时长,等次,当场改正,所用积分,审核,类型\n";

fn registers(compact: &Compact) -> Vec<Register> {
    let mut register = String::from("户号,户主,人口,村民小组,党员户,脱贫户,类别,入股山林\n");
    for i in 0..12 {
        register.push_str(&format!(
            "H{i},某,{},一组,{},{},一类户,{}\n",
            1 + i % 5,
            if i % 3 == 0 { "是" } else { "否" },
            if i % 7 == 0 { "是" } else { "否" },
            i % 4
        ));
    }
    let mut roster = String::from("编号,姓名,户号,职务\n");
    for i in 0..4 {
        roster.push_str(&format!(
            "P{i},某,H{i},{}\n",
            ["书记", "主任", "委员", "党员"][i]
        ));
    }
    let (mut errors, mut warnings) = (Vec::new(), Vec::new());
    let mut t = TableReader::from_csv_text(&register, "r.csv").expect("register");
    let households = read_register(&mut t, compact, 0, None, &mut errors, &mut warnings);
    let mut t = TableReader::from_csv_text(&roster, "p.csv").expect("roster");
    let members = read_register(
        &mut t,
        compact,
        1,
        Some(&households),
        &mut errors,
        &mut warnings,
    );
    assert!(
        errors.is_empty(),
        "{:?}",
        errors.iter().map(|e| e.to_string()).collect::<Vec<_>>()
    );
    vec![households, members]
}

fn records(compact: &Compact, registers: &[Register], csv: &str) -> Vec<EventRecord> {
    let table = TableReader::from_csv_text(csv, "e.csv").expect("log");
    let mut reader = EventReader::new(table, compact, registers).expect("columns");
    let mut out = Vec::new();
    let mut record = EventRecord::new();
    loop {
        match reader.next(&mut record).expect("read") {
            Next::End => break,
            Next::Record => out.push(record.clone()),
            Next::Bad(_) => {}
        }
    }
    out.sort_by_key(|r| (r.day, r.line));
    out
}

fn run<S: xiangyue::eval::Sink>(
    compact: &Compact,
    registers: &[Register],
    records: &[EventRecord],
    sink: S,
) -> (Results, S) {
    let mut e = Evaluator::new(compact, registers, PeriodChoice::Year(2024), sink);
    for r in records {
        e.push(r).expect("sorted");
    }
    e.finish(Some(12_345_678))
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(64),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn log() -> impl Strategy<Value = Vec<Gen>> {
    prop::collection::vec(
        (
            0u16..366,
            any::<u8>(),
            any::<u8>(),
            0usize..ITEMS.len(),
            any::<u8>(),
            any::<u8>(),
        ),
        0..300,
    )
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn totals_are_ledger_sums_and_the_dividend_is_the_pool(generated in log()) {
        let (compact, _) = sample();
        let registers = registers(&compact);
        let mut csv = HEADER.to_string();
        for r in &generated {
            csv.push_str(&record_line(r));
        }
        let records = records(&compact, &registers, &csv);
        let (results, ledger) = run(&compact, &registers, &records, Ledger::default());
        let village = common::Village { compact: compact.clone(), registers: registers.clone(), results: results.clone(), entries: ledger.entries };
        common::assert_totals_are_ledger_sums(&village);
        if let Some(d) = &results.dividend {
            let shares: i64 = results.kinds[0].subjects.iter().map(|s| s.dividend_fen).sum();
            prop_assert_eq!(shares, d.distributed_fen);
            if d.eligible > 0 {
                prop_assert_eq!(Some(d.distributed_fen), d.pool_fen);
            }
            prop_assert!(results.kinds[0].subjects.iter().all(|s| s.dividend_fen >= 0));
        }
        // Without the ledger, the same results.
        let (quiet, _) = run(&compact, &registers, &records, NoLedger);
        prop_assert_eq!(&quiet, &results);
        // On any number of threads, the same results.
        for threads in [1, 2, 3, 5] {
            let parallel = xiangyue::eval::parallel::evaluate(
                &compact, &registers, &records, PeriodChoice::Year(2024), threads, Some(12_345_678),
            ).expect("sorted");
            prop_assert_eq!(&parallel, &results, "{} threads", threads);
        }
    }

    #[test]
    fn reordering_whole_days_in_the_file_changes_nothing(generated in log(), seed in any::<u64>()) {
        let (compact, _) = sample();
        let registers = registers(&compact);
        // Group records by day, keeping the order within a day; shuffle the days.
        let mut days: Vec<Vec<&Gen>> = Vec::new();
        let mut by_day: std::collections::BTreeMap<u16, Vec<&Gen>> = std::collections::BTreeMap::new();
        for r in &generated {
            by_day.entry(r.0 % 366).or_default().push(r);
        }
        days.extend(by_day.into_values());
        let mut shuffled = days.clone();
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let text = |days: &[Vec<&Gen>]| {
            let mut csv = HEADER.to_string();
            for day in days {
                for r in day {
                    csv.push_str(&record_line(r));
                }
            }
            csv
        };
        let sorted = records(&compact, &registers, &text(&days));
        let reordered = records(&compact, &registers, &text(&shuffled));
        // Line numbers belong to the file, so they differ; everything else must not.
        let without_lines = |mut results: Results| {
            for kind in &mut results.kinds {
                for subject in &mut kind.subjects {
                    for veto in &mut subject.vetoes {
                        veto.line = 0;
                    }
                }
            }
            results
        };
        let (a, _) = run(&compact, &registers, &sorted, NoLedger);
        let (b, _) = run(&compact, &registers, &reordered, NoLedger);
        prop_assert_eq!(without_lines(a), without_lines(b));
    }

    #[test]
    fn no_record_makes_reading_or_evaluation_panic(lines in prop::collection::vec(".{0,80}", 0..40)) {
        let (compact, _) = sample();
        let registers = registers(&compact);
        let mut csv = HEADER.to_string();
        for line in &lines {
            csv.push_str(line);
            csv.push('\n');
        }
        if let Ok(table) = TableReader::from_csv_text(&csv, "e.csv")
            && let Ok(mut reader) = EventReader::new(table, &compact, &registers)
        {
            let mut record = EventRecord::new();
            let mut good = Vec::new();
            while let Ok(next) = reader.next(&mut record) {
                match next {
                    Next::End => break,
                    Next::Record => good.push(record.clone()),
                    Next::Bad(errors) => prop_assert!(!errors.is_empty()),
                }
            }
            good.sort_by_key(|r| (r.day, r.line));
            let (results, _) = run(&compact, &registers, &good, NoLedger);
            prop_assert!(results.kinds[0].subjects.iter().all(|s| s.points.iter().all(|p| *p >= Decimal::MIN)));
        }
    }
}
