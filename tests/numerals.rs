//! Chinese numerals as people write them (issue 14): 二百五 is 250, not 205; 一万五 is 15000;
//! 一千零五 is 1005. Checked from the user's side — a compact checked, formatted and evaluated,
//! a data cell read and evaluated, the binary's `fmt --write` — and against an independent
//! numeral oracle written below (its own writer and reader, none of the crate's code), over
//! every number up to 10^8, in both directions.

// Helpers that run the binary fail the test with a message when the machine cannot run it.
#![allow(clippy::panic)]

mod common;

use std::process::Command;

use common::evaluate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use xiangyue::compile::compile;
use xiangyue::data::value::{parse_decimal, parse_money, parse_value};
use xiangyue::data::{EventReader, EventRecord, FieldValue, Next, Register, TableReader};
use xiangyue::fmt::{chinese_numeral, format_source};
use xiangyue::model::ValueType;
use xiangyue::syntax::numeral::{parse_number, parse_whole};

// ----------------------------------------------------------------------------- the oracle

/// The oracle's digits (its own table, not the crate's).
const ORACLE_DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

fn oracle_digit(d: u64) -> char {
    usize::try_from(d)
        .ok()
        .and_then(|d| ORACLE_DIGITS.get(d).copied())
        .unwrap_or('?')
}

/// One group of four places (1..=9999), 零 for each run of empty places between digits.
fn oracle_group(g: u64, out: &mut String) {
    let mut started = false;
    let mut gap = false;
    for (place, unit) in [(1000, "千"), (100, "百"), (10, "十"), (1, "")] {
        let d = g / place % 10;
        if d == 0 {
            gap |= started;
            continue;
        }
        if gap {
            out.push('零');
            gap = false;
        }
        out.push(oracle_digit(d));
        out.push_str(unit);
        started = true;
    }
}

/// The formal spelling: 二百五十, 一万零五, 一亿零五十万, 十五 (not 一十五) at the start.
fn oracle_formal(n: u64) -> String {
    if n == 0 {
        return "零".into();
    }
    let mut out = String::new();
    let mut skipped = false;
    for (g, unit) in [
        (n / 100_000_000, "亿"),
        (n / 10_000 % 10_000, "万"),
        (n % 10_000, ""),
    ] {
        if g == 0 {
            skipped |= !out.is_empty();
            continue;
        }
        if !out.is_empty() && (skipped || g < 1000) {
            out.push('零');
        }
        skipped = false;
        oracle_group(g, &mut out);
        out.push_str(unit);
    }
    match out.strip_prefix("一十") {
        Some(rest) => format!("十{rest}"),
        None => out,
    }
}

/// The everyday spelling that leaves out the last unit: 250 → 二百五, 15000 → 一万五,
/// 105000 → 十万五, 150000000 → 一亿五. None when the number has no such spelling.
fn oracle_elided(n: u64) -> Option<String> {
    for (k, unit) in [(2u32, '百'), (3, '千'), (4, '万'), (8, '亿')] {
        let low = 10u64.pow(k - 1);
        if n % low != 0 {
            continue;
        }
        let d = n / low % 10;
        let head = n - d * low;
        if d == 0 || head == 0 || head % (low * 10) != 0 {
            continue;
        }
        let head = oracle_formal(head);
        if head.ends_with(unit) {
            return Some(format!("{head}{}", oracle_digit(d)));
        }
    }
    None
}

/// 两 for a leading 二 before 百 and 千, and before 万 and 亿 when it is the whole group
/// (两万, 一亿两千万, 一亿零两万 — not 二十两万 or 一百零两万).
fn oracle_liang(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let back = |k: usize| i.checked_sub(k).and_then(|j| chars.get(j).copied());
        let before_small = matches!(next, Some('百' | '千'));
        // The whole group: at the start, after 亿, or after 亿零 (not 一百零两万).
        let whole_group = match back(1) {
            None | Some('亿') => true,
            Some('零') => back(2) == Some('亿'),
            _ => false,
        };
        let before_big = matches!(next, Some('万' | '亿')) && whole_group;
        if c == '二' && (before_small || before_big) {
            out.push('两');
        } else {
            out.push(c);
        }
    }
    out
}

/// Digit by digit, with 〇 or 零 for zero: 二〇二四.
fn oracle_positional(n: u64, zero: char) -> String {
    n.to_string()
        .chars()
        .map(|c| match c.to_digit(10) {
            Some(0) => zero,
            Some(d) => oracle_digit(u64::from(d)),
            None => c,
        })
        .collect()
}

/// 大写: 壹佰贰拾.
fn oracle_capital(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '一' => '壹',
            '二' => '贰',
            '三' => '叁',
            '四' => '肆',
            '五' => '伍',
            '六' => '陆',
            '七' => '柒',
            '八' => '捌',
            '九' => '玖',
            '十' => '拾',
            '百' => '佰',
            '千' => '仟',
            _ => c,
        })
        .collect()
}

/// Every spelling of `n` the crate must read as `n`.
fn oracle_spellings(n: u64) -> Vec<String> {
    let formal = oracle_formal(n);
    let mut all = vec![
        formal.clone(),
        oracle_liang(&formal),
        oracle_capital(&formal),
    ];
    if formal.starts_with('十') {
        all.push(format!("一{formal}"));
    }
    if let Some(elided) = oracle_elided(n) {
        all.push(oracle_liang(&elided));
        all.push(oracle_capital(&elided));
        all.push(elided);
    }
    if formal.contains("二十") {
        all.push(formal.replacen("二十", "廿", 1));
    }
    if formal.contains("三十") {
        all.push(formal.replacen("三十", "卅", 1));
    }
    if formal.contains('零') && n >= 10 {
        all.push(formal.replace('零', "〇"));
    }
    if n == 2 {
        all.push("两".into());
    }
    all.push(oracle_positional(n, '〇'));
    all.push(oracle_positional(n, '零'));
    all.sort();
    all.dedup();
    all
}

/// The oracle's reader: a left-to-right scan (not the crate's way of reading), lenient —
/// it only has to read well-formed spellings.
fn oracle_read(text: &str) -> Option<u64> {
    let mut plain = String::new();
    for c in text.chars() {
        match c {
            '廿' => plain.push_str("二十"),
            '卅' => plain.push_str("三十"),
            '两' | '贰' => plain.push('二'),
            '〇' => plain.push('零'),
            '壹' => plain.push('一'),
            '叁' => plain.push('三'),
            '肆' => plain.push('四'),
            '伍' => plain.push('五'),
            '陆' => plain.push('六'),
            '柒' => plain.push('七'),
            '捌' => plain.push('八'),
            '玖' => plain.push('九'),
            '拾' => plain.push('十'),
            '佰' => plain.push('百'),
            '仟' => plain.push('千'),
            _ => plain.push(c),
        }
    }
    let digit = |c: char| ORACLE_DIGITS.iter().position(|&d| d == c).map(|d| d as u64);
    if !plain.chars().any(|c| "十百千万亿".contains(c)) {
        return plain
            .chars()
            .try_fold(0u64, |n, c| Some(n * 10 + digit(c)?));
    }
    let (mut yi, mut wan, mut section) = (0u64, 0u64, 0u64);
    let mut pending: Option<u64> = None;
    let mut last_unit = 1u64;
    let mut zero = false;
    for c in plain.chars() {
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            '万' => 10_000,
            '亿' => 100_000_000,
            _ => {
                match digit(c)? {
                    0 => {
                        zero = true;
                        pending = None;
                    }
                    d => pending = Some(d),
                }
                continue;
            }
        };
        match unit {
            10_000 => {
                wan = (section + pending.unwrap_or(0)) * 10_000;
                section = 0;
            }
            100_000_000 => {
                yi = (wan + section + pending.unwrap_or(0)) * 100_000_000;
                wan = 0;
                section = 0;
            }
            _ => section += pending.unwrap_or(1) * unit,
        }
        pending = None;
        last_unit = unit;
        zero = false;
    }
    if let Some(d) = pending {
        // A last digit right after a unit stands one place lower (二百五); after 零, for itself.
        section += if !zero && last_unit >= 100 {
            d * last_unit / 10
        } else {
            d
        };
    }
    Some(yi + wan + section)
}

/// The crate reads `text` as the whole number `n`, on the compact side (`parse_number`,
/// `parse_whole`) and the data side (a 整数 cell, a 金额 cell).
fn crate_reads(text: &str, n: u64) -> Result<(), String> {
    let expected = Decimal::from(n);
    let number = parse_number(text);
    if number != Ok(expected) {
        return Err(format!("parse_number({text}) = {number:?}, expected {n}"));
    }
    if let Ok(small) = u32::try_from(n) {
        let whole = parse_whole(text);
        if whole != Ok(small) {
            return Err(format!("parse_whole({text}) = {whole:?}, expected {n}"));
        }
    }
    let cell = parse_value(text, &ValueType::Integer);
    if cell != Some(FieldValue::Number(expected)) {
        return Err(format!("整数 cell {text} = {cell:?}, expected {n}"));
    }
    let fen = i64::try_from(n).map(|n| n * 100).ok();
    let money = parse_money(&format!("{text}元"));
    if money != fen {
        return Err(format!(
            "金额 cell {text}元 = {money:?} fen, expected {n} 元"
        ));
    }
    Ok(())
}

/// Both directions for one number.
fn check_number(n: u64) -> Result<(), String> {
    for spelling in oracle_spellings(n) {
        // The oracle agrees with itself first, so that a mistake in it shows as such.
        if oracle_read(&spelling) != Some(n) {
            return Err(format!(
                "oracle reads {spelling} as {:?}, not {n}",
                oracle_read(&spelling)
            ));
        }
        crate_reads(&spelling, n)?;
    }
    if let Ok(small) = u32::try_from(n) {
        let written = chinese_numeral(small);
        if oracle_read(&written) != Some(n) {
            return Err(format!(
                "the formatter writes {n} as {written}, which the oracle reads as {:?}",
                oracle_read(&written)
            ));
        }
        crate_reads(&written, n)?;
    }
    Ok(())
}

#[test]
fn the_oracle_spells_the_cases_of_the_issue() {
    assert_eq!(oracle_formal(250), "二百五十");
    assert_eq!(oracle_elided(250).as_deref(), Some("二百五"));
    assert_eq!(oracle_elided(120).as_deref(), Some("一百二"));
    assert_eq!(oracle_elided(15_000).as_deref(), Some("一万五"));
    assert_eq!(oracle_elided(3200).as_deref(), Some("三千二"));
    assert_eq!(oracle_elided(105_000).as_deref(), Some("十万五"));
    assert_eq!(oracle_elided(100_005_000), None);
    assert_eq!(oracle_formal(1005), "一千零五");
    assert_eq!(oracle_formal(10_010), "一万零一十");
    assert_eq!(oracle_formal(100_050_000), "一亿零五万");
    assert_eq!(oracle_formal(100_500_000), "一亿零五十万");
    assert_eq!(oracle_formal(100_000_000), "一亿");
    assert_eq!(oracle_liang("二万二千二百二十二"), "两万两千两百二十二");
    assert_eq!(oracle_liang("二十二万"), "二十二万");
    assert_eq!(oracle_liang("一百零二万"), "一百零二万");
    assert_eq!(oracle_liang("一亿零二万"), "一亿零两万");
    assert_eq!(oracle_read("二百五"), Some(250));
    assert_eq!(oracle_read("一千零五"), Some(1005));
    assert_eq!(oracle_read("廿五"), Some(25));
}

#[test]
fn every_number_up_to_a_hundred_thousand_in_both_directions() {
    let failures: Vec<String> = (0..=100_000u64)
        .filter_map(|n| check_number(n).err())
        .take(20)
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every number up to 10^8, both directions — too long for every `cargo test` (the proptest
/// below samples the same range); run it in release:
/// `cargo test --release --test numerals -- --ignored every_number` (the range can be narrowed
/// with NUMERALS_FROM and NUMERALS_TO).
#[test]
#[ignore = "exhaustive: about 10^8 numbers, run in release on demand"]
fn every_number_up_to_a_hundred_million_exhaustively() {
    let bound = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let (from, to) = (bound("NUMERALS_FROM", 0), bound("NUMERALS_TO", 100_000_000));
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get() as u64);
    let failures: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    (from..=to)
                        .filter(|n| n % threads == t)
                        .filter_map(|n| check_number(n).err())
                        .take(20)
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn round_numbers_up_to_a_hundred_million_in_both_directions() {
    // Every number with at most two non-zero digits, up to 10^8: the elided and 零 forms.
    let mut failures = Vec::new();
    for a_place in 0..=8u32 {
        for a in 1..=9u64 {
            let high = a * 10u64.pow(a_place);
            if high > 100_000_000 {
                continue;
            }
            for b_place in 0..a_place {
                for b in 0..=9u64 {
                    let n = high + b * 10u64.pow(b_place);
                    if let Err(e) = check_number(n) {
                        failures.push(e);
                    }
                }
            }
            if let Err(e) = check_number(high) {
                failures.push(e);
            }
        }
    }
    failures.truncate(20);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(20_000),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// Any number up to 10^8: the crate reads every oracle spelling, and what the formatter
    /// writes reads back (by the oracle and by the crate) to the same number.
    #[test]
    fn any_number_up_to_a_hundred_million_in_both_directions(n in 0u32..=100_000_000) {
        let checked = check_number(u64::from(n));
        prop_assert!(checked.is_ok(), "{}", checked.err().unwrap_or_default());
    }
}

// ------------------------------------------------------------------ from the user's side

const REGISTER: &str = "户号,人口\nA1,1\n";

fn base_points_compact(numeral: &str) -> String {
    format!("乡约「甲」\n户籍 {{ 人口：整数 }}\n\n第一条\n  每户 加 {numeral} 分。\n")
}

/// The cases of the issue, as they are written in a compact and what they mean.
const COMPACT_CASES: [(&str, &str); 15] = [
    ("二百五", "250"),
    ("一百二", "120"),
    ("一万五", "15000"),
    ("三千二", "3200"),
    ("两万三", "23000"),
    ("一万五千二", "15200"),
    ("廿", "20"),
    ("廿五", "25"),
    ("卅", "30"),
    ("两百", "200"),
    ("一千零五", "1005"),
    ("十万", "100000"),
    ("1.5万", "15000"),
    ("30万", "300000"),
    ("一点五万", "15000"),
];

#[test]
fn compacts_read_everyday_numerals_as_people_mean_them() {
    for (numeral, value) in COMPACT_CASES {
        let source = base_points_compact(numeral);
        let compiled = compile(&source);
        let codes: Vec<String> = compiled.problems.iter().map(|p| p.code()).collect();
        assert!(codes.is_empty(), "{numeral}: {codes:?}");
        let village = evaluate(&source, REGISTER, &[], "日期,户号,事项\n", Some(2024), None);
        assert_eq!(village.points("A1", "积分"), value, "{numeral}");
    }
}

#[test]
fn the_formatter_writes_the_value_people_mean() {
    for (numeral, value) in COMPACT_CASES {
        let formatted = format_source(&base_points_compact(numeral)).unwrap_or_default();
        assert!(
            formatted.contains(&format!("每户 加 {value} 分。")),
            "{numeral} → {formatted}"
        );
        // And what it wrote reads back to the same.
        assert_eq!(format_source(&formatted).unwrap_or_default(), formatted);
    }
}

#[test]
fn fmt_write_saves_250_for_er_bai_wu() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("甲.xy");
    std::fs::write(&file, base_points_compact("二百五")).unwrap_or_else(|e| panic!("{e}"));
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_xiangyue"))
            .args(args)
            .arg(&file)
            .output()
            .unwrap_or_else(|e| panic!("run: {e}"))
    };
    let check = run(&["check"]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let fmt = run(&["fmt", "--write"]);
    assert!(
        fmt.status.success(),
        "{}",
        String::from_utf8_lossy(&fmt.stderr)
    );
    let saved = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(saved.contains("每户 加 250 分。"), "{saved}");
}

const MONEY_COMPACT: &str = "乡约「甲」\n户籍 { 人口：整数 }\n事项 捐款 { 金额：金额 }\n\n第一条\n  凡 捐款 且 金额 不低于 12.8万元，加 1 分。\n\n第二条\n  凡 捐款 且 金额 不低于 十万元，加 10 分。\n";

#[test]
fn money_in_ten_thousands_is_exact_in_a_compact() {
    let formatted = format_source(MONEY_COMPACT).unwrap_or_default();
    assert!(formatted.contains("金额 不低于 128000 元"), "{formatted}");
    assert!(formatted.contains("金额 不低于 100000 元"), "{formatted}");
    let village = evaluate(
        MONEY_COMPACT,
        "户号,人口\nA1,1\nA2,1\nA3,1\nA4,1\n",
        &[],
        "日期,户号,事项,金额\n2024-03-01,A1,捐款,128000\n2024-03-01,A2,捐款,127999.99\n2024-03-01,A3,捐款,12.8万元\n2024-03-01,A4,捐款,十二万七千九百九十九\n",
        Some(2024),
        None,
    );
    assert_eq!(village.points("A1", "积分"), "11");
    assert_eq!(village.points("A2", "积分"), "10");
    assert_eq!(village.points("A3", "积分"), "11");
    assert_eq!(village.points("A4", "积分"), "10");
}

const PER_YUAN: &str = "乡约「甲」\n户籍 { 人口：整数 }\n事项 捐款 { 金额：金额 }\n\n第一条\n  凡 捐款，每满 1 元 加 1 分。\n";

/// The money cells of the issue and the 元 they stand for.
const MONEY_CELLS: [(&str, &str); 16] = [
    ("一千五", "1500"),
    ("一千五元", "1500"),
    ("二百五", "250"),
    ("一百二", "120"),
    ("一万五", "15000"),
    ("三千二", "3200"),
    ("一千零五", "1005"),
    ("两百", "200"),
    ("廿", "20"),
    ("卅", "30"),
    ("十万", "100000"),
    ("1.5万", "15000"),
    ("30万", "300000"),
    ("12.8万元", "128000"),
    ("12.8万", "128000"),
    ("一点五万元", "15000"),
];

#[test]
fn data_cells_read_everyday_numerals_as_people_mean_them() {
    for (cell, yuan) in MONEY_CELLS {
        let village = evaluate(
            PER_YUAN,
            REGISTER,
            &[],
            &format!("日期,户号,事项,金额\n2024-03-01,A1,捐款,{cell}\n"),
            Some(2024),
            None,
        );
        assert_eq!(village.points("A1", "积分"), yuan, "{cell}");
    }
}

#[test]
fn a_numeral_reads_the_same_in_a_compact_and_in_a_cell() {
    let spellings = [
        "二百五",
        "一百二",
        "一万五",
        "三千二",
        "一千零五",
        "十万",
        "1.5万",
        "30万",
        "12.8万",
        "廿",
        "廿五",
        "卅",
        "两百",
        "两万三",
        "一万五千二",
        "二〇二四",
        "壹佰贰拾",
        "零点五",
        "十二点五万",
        "1.5亿",
        "一亿五",
    ];
    for text in spellings {
        let compact = compile(&base_points_compact(text));
        let codes: Vec<String> = compact.problems.iter().map(|p| p.code()).collect();
        assert!(codes.is_empty(), "{text}: {codes:?}");
        let cell = parse_decimal(text, None);
        assert_eq!(cell.ok_or(()), parse_number(text).map_err(|_| ()), "{text}");
        let formatted = format_source(&base_points_compact(text)).unwrap_or_default();
        let cell = cell.unwrap_or_default().normalize().to_string();
        assert!(
            formatted.contains(&format!("每户 加 {cell} 分。")),
            "{text}: {formatted}"
        );
    }
}

/// Forms that are not numerals: an error, never a guess.
const MALFORMED: [&str; 16] = [
    "十十",
    "百二",
    "二三十",
    "十百",
    "一千五十",
    "一百十",
    "一千零零五",
    "一千零五百",
    "一百零",
    "两十",
    "二十两",
    "一万万",
    "一万五万",
    "廿十",
    "二廿",
    "1万5",
];

#[test]
fn malformed_numerals_are_refused_in_a_compact() {
    for text in MALFORMED {
        let compiled = compile(&base_points_compact(text));
        let codes: Vec<String> = compiled.problems.iter().map(|p| p.code()).collect();
        assert!(!codes.is_empty(), "{text} was read as a number");
        assert!(compiled.compact.is_none(), "{text}: {codes:?}");
        assert!(
            parse_number(text).is_err(),
            "{text} read as {:?}",
            parse_number(text)
        );
    }
    // The numeral itself is named, with the usual error for a bad number.
    let compiled = compile(&base_points_compact("一千五十"));
    let codes: Vec<String> = compiled.problems.iter().map(|p| p.code()).collect();
    assert_eq!(codes, vec!["E0003".to_string()]);
}

#[test]
fn malformed_numerals_in_a_cell_refuse_the_record() {
    let compiled = compile(PER_YUAN);
    let compact = compiled.compact.unwrap_or_else(|| panic!("compact"));
    let registers = vec![{
        let mut table = TableReader::from_csv_text(REGISTER, "register.csv")
            .unwrap_or_else(|e| panic!("{e:?}"));
        let (mut errors, mut warnings) = (Vec::new(), Vec::new());
        let register: Register = xiangyue::data::read_register(
            &mut table,
            &compact,
            0,
            None,
            &mut errors,
            &mut warnings,
        );
        assert!(errors.is_empty());
        register
    }];
    for text in MALFORMED {
        assert_eq!(parse_decimal(text, None), None, "{text}");
    }
    // Money that is not a number of 元: 分 after it (50分 is not 50 元), less than a fen.
    for text in MALFORMED
        .into_iter()
        .chain(["50分", "0.001元", "一万五 万元"])
    {
        assert_eq!(parse_money(text), None, "{text}");
        let events = format!("日期,户号,事项,金额\n2024-03-01,A1,捐款,{text}\n");
        let table =
            TableReader::from_csv_text(&events, "events.csv").unwrap_or_else(|e| panic!("{e:?}"));
        let mut reader =
            EventReader::new(table, &compact, &registers).unwrap_or_else(|e| panic!("{e:?}"));
        let mut record = EventRecord::new();
        match reader.next(&mut record) {
            Ok(Next::Bad(errors)) => {
                let codes: Vec<String> = errors.iter().map(|e| e.code()).collect();
                assert_eq!(codes, vec!["E0206".to_string()], "{text}");
                let message = errors.first().map(ToString::to_string).unwrap_or_default();
                assert!(
                    message.contains(&format!("「{text}」不是金额")),
                    "{text}: {message}"
                );
            }
            Ok(Next::Record) => panic!("{text} was read as {:?}", record),
            Ok(Next::End) => panic!("{text}: no record"),
            Err(e) => panic!("{text}: {e:?}"),
        }
    }
}
