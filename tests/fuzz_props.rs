//! The five fuzz targets of `fuzz/` (docs/fuzzing.md) as short property tests, so that every
//! `cargo test` runs a few hundred inputs of each. The targets' bodies are included from
//! `fuzz/src/harness.rs` as they are: a law the fuzzer checks is checked here the same way.
//!
//! Inputs are built from the same seeds as the fuzzers' corpora (the repository's compacts,
//! the fixtures of tests/ui/ and tests/fixtures/, the sample village's files) and mutated at
//! random. Raise the count with PROPTEST_CASES=5000 for a longer run.

// Mutations index the seed texts at positions reduced modulo their length.
#![allow(clippy::indexing_slicing, clippy::expect_used)]

mod common;

#[path = "../fuzz/src/harness.rs"]
mod harness;

use proptest::prelude::*;

fn config(default: u32) -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(default),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Every compact and fixture of the repository.
fn seeds() -> Vec<String> {
    let mut all: Vec<String> = common::repository_compacts()
        .into_iter()
        .map(|f| f.source)
        .collect();
    all.extend(common::fixtures("tests/ui").into_iter().map(|f| f.source));
    all.extend(
        common::fixtures("tests/fixtures")
            .into_iter()
            .map(|f| f.source),
    );
    all
}

const WORDS: &[&str] = &[
    "乡约",
    "事项",
    "账户",
    "户籍",
    "名册",
    "第一条",
    "凡",
    "且",
    "或",
    "非",
    "每次",
    "加",
    "扣",
    "分",
    "元",
    "至多",
    "取最高",
    "例外于",
    "一票否决",
    "示例",
    "应得",
    "评定",
    "分红",
    "清零",
    "有效期",
    "先进先出",
    "「",
    "」",
    "，",
    "。",
    "：",
    "（",
    "）",
    "｛",
    "｝",
    "\n",
    "\n  ",
    " ",
    "3",
    "十二",
    "0.5",
    "-",
];

/// One edit of a text: characters deleted, a word of the language inserted, or a line
/// deleted or doubled.
#[derive(Debug, Clone)]
enum Edit {
    Delete(usize, usize),
    Insert(usize, usize),
    DeleteLine(usize),
    DoubleLine(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 1usize..10).prop_map(|(a, n)| Edit::Delete(a, n)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, w)| Edit::Insert(a, w)),
        any::<usize>().prop_map(Edit::DeleteLine),
        any::<usize>().prop_map(Edit::DoubleLine),
    ]
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut text = text.to_string();
    for e in edits {
        let chars: Vec<char> = text.chars().collect();
        let mut lines: Vec<&str> = text.lines().collect();
        let n = lines.len().max(1);
        text = match *e {
            Edit::Delete(at, len) => {
                let at = at % chars.len().max(1);
                let end = (at + len).min(chars.len());
                chars[..at].iter().chain(&chars[end..]).collect()
            }
            Edit::Insert(at, word) => {
                let at = at % (chars.len() + 1);
                let mut out: String = chars[..at].iter().collect();
                out.push_str(WORDS[word % WORDS.len()]);
                out.extend(&chars[at..]);
                out
            }
            Edit::DeleteLine(line) => {
                if !lines.is_empty() {
                    lines.remove(line % n);
                }
                lines.join("\n")
            }
            Edit::DoubleLine(line) => {
                if let Some(&l) = lines.get(line % n) {
                    lines.insert(line % n, l);
                }
                lines.join("\n")
            }
        };
    }
    text
}

/// A seed compact with a few edits.
fn mutated_compact() -> impl Strategy<Value = String> {
    (any::<usize>(), prop::collection::vec(edit(), 0..4)).prop_map(|(seed, edits)| {
        let seeds = seeds();
        apply(&seeds[seed % seeds.len()], &edits)
    })
}

/// One of the sample village's tables (register, 党员 roster, events: the role's number), with
/// a few edits.
fn mutated_table() -> impl Strategy<Value = (usize, String)> {
    (0usize..3, prop::collection::vec(edit(), 0..4)).prop_map(|(role, edits)| {
        let text = match role {
            0 => harness::REGISTER
                .lines()
                .take(30)
                .collect::<Vec<_>>()
                .join("\n"),
            1 => harness::MEMBERS.to_string(),
            _ => harness::sample_events(60),
        };
        (role, apply(&text, &edits))
    })
}

/// The table as a JSON Lines file.
fn to_jsonl(text: &str) -> String {
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
    let mut out = String::new();
    for line in lines {
        let object: serde_json::Map<String, serde_json::Value> = header
            .iter()
            .zip(line.split(','))
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| ((*k).to_string(), serde_json::Value::from(v)))
            .collect();
        out.push_str(&serde_json::Value::Object(object).to_string());
        out.push('\n');
    }
    out
}

/// The table as an Excel workbook.
fn to_xlsx(text: &str) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (r, line) in text.lines().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            if !cell.is_empty() {
                let _ = sheet.write_string(r as u32, c as u16, cell);
            }
        }
    }
    workbook.save_to_buffer().expect("a workbook in memory")
}

/// The fuzz target's input for `role` and format `format` (0 CSV, 1 JSON Lines, 2 XLSX).
fn read_data_input(role: usize, format: usize, text: &str) -> Vec<u8> {
    let mut input = vec![u8::try_from(format + 3 * role).unwrap_or(0)];
    match format {
        0 => input.extend(text.as_bytes()),
        1 => input.extend(to_jsonl(text).as_bytes()),
        _ => input.extend(to_xlsx(text)),
    }
    input
}

#[test]
fn the_seeds_pass_every_target() {
    for seed in seeds() {
        harness::parse_check(seed.as_bytes());
        harness::fmt_roundtrip(seed.as_bytes());
        harness::diff_mutation(seed.as_bytes());
    }
    for role in 0..3 {
        for format in 0..3 {
            let text = match role {
                0 => harness::REGISTER.to_string(),
                1 => harness::MEMBERS.to_string(),
                _ => harness::sample_events(100),
            };
            harness::read_data(&read_data_input(role, format, &text));
        }
    }
    for compact in 0..harness::COMPACTS.len() {
        for example in 0..8u8 {
            harness::eval_examples(&[u8::try_from(compact).unwrap_or(0), example]);
        }
    }
}

#[test]
fn the_example_laws_can_fail() {
    // The law the eval_examples target checks notices a total that is not its ledger's sum.
    let compact = xiangyue::compile::compile(harness::COMPACTS[0].1)
        .compact
        .expect("the sample checks");
    let mut run = xiangyue::eval::examples::run_example(&compact, &compact.examples[0]);
    harness::check_results(&run.results, &run.ledger);
    let entry = run
        .ledger
        .iter()
        .position(|e| e.account.is_some() && !e.amount.is_zero())
        .expect("an entry that scores");
    run.ledger.remove(entry);
    let broken = std::panic::catch_unwind(|| harness::check_results(&run.results, &run.ledger));
    assert!(broken.is_err());
}

/// Found while fuzzing (docs/fuzzing.md, "What the fuzzers found"): a 28-digit 时长 for the 书记's 党员公益活动
/// makes evaluation panic — the rule's 加倍 multiplies the amount past `Decimal`'s range
/// (`eval/apply.rs`, where a rule's multipliers are applied). Fixed: the reader refuses it
/// (E0216), and the evaluator checks its products.
#[test]
fn a_huge_value_does_not_make_evaluation_panic() {
    let log = format!(
        "{}R1,2024-03-01,,P001,党员公益活动,,,,,,40000000000000000000000000000,,,,,,,通过,\n",
        harness::sample_events(1)
    );
    let compact = xiangyue::compile::compile(harness::COMPACTS[0].1)
        .compact
        .expect("the sample checks");
    let registers = common::households_and_roster(&compact, harness::REGISTER, harness::MEMBERS);
    let table = xiangyue::data::TableReader::from_csv_text(&log, "events.csv").expect("log");
    let mut reader =
        xiangyue::data::EventReader::new(table, &compact, &registers).expect("columns");
    let mut record = xiangyue::data::EventRecord::new();
    let mut evaluator = xiangyue::eval::Evaluator::new(
        &compact,
        &registers,
        xiangyue::eval::PeriodChoice::Latest,
        xiangyue::eval::NoLedger,
    );
    while let Ok(xiangyue::data::Next::Record) = reader.next(&mut record) {
        evaluator.push(&record).expect("one record");
    }
    let _ = evaluator.finish(None);
}

/// Found by the read_data target (docs/fuzzing.md, "What the fuzzers found"): a workbook whose cell
/// reference has sixteen letters. calamine's reading of the reference overflows — a panic in a
/// debug build; in a release build the column wraps around and the sheet's range was allocated
/// to reach it, and `xiangyue eval` was killed for want of memory. The file is now unreadable
/// (E0201) with the reason.
#[test]
fn a_workbook_cell_beyond_excels_grid_is_reported_not_allocated() {
    let path = common::root().join("tests/fuzz-regressions/xlsx-huge-column.xlsx");
    let options = xiangyue::data::ReadOptions::default();
    match xiangyue::data::TableReader::open(&path, "events.xlsx", &options) {
        Err(error) => assert!(error.to_string().contains("Excel"), "{error}"),
        Ok(_) => panic!("a damaged workbook was read"),
    }
}

/// A cell within Excel's grid but far from the rest (row 700,000, column 100): the sheet is
/// not allocated as 70 million cells; it is reported as too large, with where the far cell is.
#[test]
fn a_workbook_with_a_far_away_cell_is_reported_not_allocated() {
    let path = common::root().join("tests/fuzz-regressions/xlsx-far-cell.xlsx");
    let options = xiangyue::data::ReadOptions::default();
    match xiangyue::data::TableReader::open(&path, "events.xlsx", &options) {
        Err(error) => assert!(error.to_string().contains("CV700000"), "{error}"),
        Ok(_) => panic!("a sheet of 70 million cells was read"),
    }
}

/// Found by the eval_examples target (docs/fuzzing.md, "What the fuzzers found"), both in `eval/dividend.rs`:
/// a worked example given a dividend of about 7 × 10^15 元 and 8 × 10^12 points of fifteen
/// decimals, where
/// pool × points at twelve decimals overflowed i128 (a panic in a debug build, shares silently
/// wrong in a release build); and one whose only household had 0.00000000000000912483 points,
/// cut to nothing at twelve decimals, so that the pool was not given out at all.
#[test]
fn fuzz_inputs_that_once_failed_pass() {
    harness::eval_examples(include_bytes!(
        "fuzz-regressions/eval_examples-dividend-overflow.bin"
    ));
    harness::eval_examples(include_bytes!(
        "fuzz-regressions/eval_examples-dividend-fine-points.bin"
    ));
}

/// Found by the read_data target (docs/fuzzing.md, "What the fuzzers found"), shrunk by
/// libFuzzer to 26 bytes: a GB18030 log (the header 日期,户号,人员,事项) whose second line is
/// `A8 0D C1 0D 22 0A` — half characters, carriage returns alone and a quote left open. Read
/// row by row it gives two bad records on line 2; read in chunks (as `xiangyue eval` reads a
/// CSV log), one. Not fixed yet; un-ignore when the two agree.
#[test]
#[ignore = "known: chunked and row-by-row CSV reading disagree; see docs/fuzzing.md"]
fn chunks_and_rows_agree_on_carriage_returns_in_a_gb18030_log() {
    harness::read_data(include_bytes!("fuzz-regressions/read_data-lone-cr.bin"));
}

proptest! {
    #![proptest_config(config(300))]

    #[test]
    fn parse_check_on_text(text in any::<String>()) {
        harness::parse_check(text.as_bytes());
    }

    #[test]
    fn parse_check_on_mutated_compacts(text in mutated_compact()) {
        harness::parse_check(text.as_bytes());
    }

    #[test]
    fn fmt_roundtrip_on_mutated_compacts(text in mutated_compact()) {
        harness::fmt_roundtrip(text.as_bytes());
    }

    #[test]
    fn eval_examples_on_mutations(bytes in prop::collection::vec(any::<u8>(), 2..80)) {
        harness::eval_examples(&bytes);
    }

    #[test]
    fn read_data_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        harness::read_data(&bytes);
    }
}

proptest! {
    #![proptest_config(config(100))]

    #[test]
    fn read_data_on_mutated_tables((role, text) in mutated_table(), format in 0usize..3) {
        harness::read_data(&read_data_input(role, format, &text));
    }

    #[test]
    fn diff_mutation_on_mutated_compacts(seed in any::<usize>(), edits in prop::collection::vec(edit(), 1..4)) {
        let seeds = seeds();
        let old = &seeds[seed % seeds.len()];
        let new = apply(old, &edits);
        harness::diff_mutation(format!("{old}\0{new}").as_bytes());
    }
}
