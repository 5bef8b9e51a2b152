//! The bodies of the five fuzz targets (docs/fuzzing.md). Each takes the fuzzer's bytes, runs
//! a part of xiangyue on them and panics only when a law is broken — any other panic comes
//! from the library itself, which must never panic.
//!
//! This file is compiled twice: as the `xiangyue-fuzz` crate's library (for `cargo fuzz`) and,
//! through `#[path]`, as a module of the main crate's `tests/fuzz_props.rs`, whose short
//! proptest run feeds it the same kinds of input. It reads the repository's files with
//! `include_str!`, relative to this file.

// A broken law is reported by panicking, as the fuzzer and proptest expect; the seed tables
// are indexed modulo their length.
#![allow(
    dead_code,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::expect_used,
    clippy::unwrap_used
)]

use std::path::PathBuf;
use std::sync::OnceLock;

use rust_decimal::Decimal;
use xiangyue::compile::compile;
use xiangyue::data::chunks::{Checked, Chunk, check_chunk};
use xiangyue::data::value::{date_of, parse_money, parse_value};
use xiangyue::data::{
    Encoding, EventReader, EventRecord, FieldValue, Next, ReadOptions, Register, TableReader,
    read_register,
};
use xiangyue::diagnostic::render::{render_human, render_json, render_plain};
use xiangyue::diff::compare;
use xiangyue::eval::examples::run_example;
use xiangyue::eval::{Entry, Evaluator, Ledger, PeriodChoice, Results};
use xiangyue::fmt::format_source;
use xiangyue::model::{Compact, Example, HOUSEHOLD, Literal, ValueType};
use xiangyue::report::diff::{DiffDocument, render_md, render_text};
use xiangyue::syntax::parse;

/// The repository's compacts and the fixtures with worked examples (示例), by name.
pub const COMPACTS: &[(&str, &str)] = &[
    (
        "youxiqiao",
        include_str!("../../compacts/youxiqiao-demo/youxiqiao.xy"),
    ),
    (
        "youxiqiao-2025",
        include_str!("../../compacts/youxiqiao-demo-2025/youxiqiao-2025.xy"),
    ),
    (
        "wendeng-2020",
        include_str!("../../compacts/wendeng-2020/wendeng-2020.xy"),
    ),
    (
        "spelling-ascii",
        include_str!("../../tests/fixtures/spelling-ascii.xy"),
    ),
    (
        "spelling-chinese",
        include_str!("../../tests/fixtures/spelling-chinese.xy"),
    ),
    (
        "spelling-fullwidth",
        include_str!("../../tests/fixtures/spelling-fullwidth.xy"),
    ),
];

/// The sample village's register and roster, and the first records of its log.
pub const REGISTER: &str = include_str!("../../compacts/youxiqiao-demo/register.csv");
pub const MEMBERS: &str = include_str!("../../compacts/youxiqiao-demo/党员.csv");
const EVENTS: &str = include_str!("../../compacts/youxiqiao-demo/events.csv");

/// The dividend pool used wherever a village is evaluated (fen).
const POOL_FEN: i64 = 12_345_678;

/// KNOWN BUG, kept out of the targets so that they can look for others (docs/fuzzing.md,
/// "What the fuzzers found"): the reader accepts numbers up to 28 digits, and evaluation then overflows
/// `Decimal` (rust_decimal panics: "Multiplication overflowed" in `eval/apply.rs`, the
/// multiplier of a rule) — e.g. 党员公益活动 with 时长 40000000000000000000000000000 for the
/// 书记. Until the reader bounds values, the targets evaluate only records and registers whose
/// numbers stay below 10^15 (what a cell of 15 digits holds) and money below 10^17 fen;
/// reading itself is fuzzed without the bound. `tests/fuzz_props.rs` keeps the crashing input
/// as an ignored regression test.
pub fn within_bounds(value: &FieldValue) -> bool {
    match value {
        FieldValue::Number(n) => n.abs() < Decimal::from(1_000_000_000_000_000_i64),
        FieldValue::Money(fen) => fen.unsigned_abs() < 100_000_000_000_000_000,
        _ => true,
    }
}

fn register_within_bounds(register: &Register, attributes: usize) -> bool {
    (0..u32::try_from(register.len()).unwrap_or(u32::MAX)).all(|subject| {
        (0..attributes).all(|a| register.value(subject, a).is_none_or(within_bounds))
    })
}

/// The first `lines` lines of the sample's event log.
pub fn sample_events(lines: usize) -> String {
    let mut out = String::new();
    for line in EVENTS.lines().take(lines) {
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn compiled() -> &'static Vec<Compact> {
    static COMPILED: OnceLock<Vec<Compact>> = OnceLock::new();
    COMPILED.get_or_init(|| {
        COMPACTS
            .iter()
            .map(|(name, source)| {
                compile(source)
                    .compact
                    .unwrap_or_else(|| panic!("the seed compact {name} does not check"))
            })
            .collect()
    })
}

/// The sample compact with its register and roster, read from the repository's CSV files.
fn sample() -> &'static (Compact, Vec<Register>) {
    static SAMPLE: OnceLock<(Compact, Vec<Register>)> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let compact = compiled()[0].clone();
        let (mut errors, mut warnings) = (Vec::new(), Vec::new());
        let mut t = TableReader::from_csv_text(REGISTER, "register.csv").expect("register");
        let households = read_register(
            &mut t,
            &compact,
            HOUSEHOLD,
            None,
            &mut errors,
            &mut warnings,
        );
        let mut t = TableReader::from_csv_text(MEMBERS, "党员.csv").expect("roster");
        let members = read_register(
            &mut t,
            &compact,
            1,
            Some(&households),
            &mut errors,
            &mut warnings,
        );
        assert!(errors.is_empty(), "the sample's register does not read");
        (compact, vec![households, members])
    })
}

/// The sample log's good records (sorted by date), for evaluating a fuzzed register.
fn sample_records(compact: &Compact, registers: &[Register]) -> Vec<EventRecord> {
    let table = TableReader::from_csv_text(&sample_events(400), "events.csv").expect("events");
    let Ok(mut reader) = EventReader::new(table, compact, registers) else {
        return Vec::new();
    };
    read_all(&mut reader).0
}

/// Every good record of a log, sorted by (date, line), and the lines of the bad ones.
fn read_all(reader: &mut EventReader<'_>) -> (Vec<EventRecord>, Vec<u64>) {
    let mut good = Vec::new();
    let mut bad = Vec::new();
    let mut record = EventRecord::new();
    loop {
        match reader.next(&mut record) {
            Ok(Next::End) | Err(_) => break,
            Ok(Next::Record) => good.push(record.clone()),
            Ok(Next::Bad(errors)) => {
                assert!(!errors.is_empty(), "a bad record without an error");
                for e in &errors {
                    let _ = e.to_string();
                }
                bad.push(record.line);
            }
        }
    }
    for w in reader.take_warnings() {
        let _ = w.to_string();
    }
    good.sort_by_key(|r| (r.day, r.line));
    (good, bad)
}

/// The laws of every evaluation: each account's total is the sum of its ledger entries; the
/// dividend shares sum to what was distributed, which is the whole pool when an amount was
/// given and anyone has points to share it by (nothing otherwise), and none is negative.
pub fn check_results(results: &Results, entries: &[Entry]) {
    for kind in &results.kinds {
        for (s, subject) in kind.subjects.iter().enumerate() {
            for (column, account) in kind.accounts.iter().enumerate() {
                let sum: Decimal = entries
                    .iter()
                    .filter(|e| {
                        e.kind == kind.kind
                            && e.subject as usize == s
                            && e.account == Some(*account)
                    })
                    .map(|e| e.amount)
                    .sum();
                assert_eq!(
                    sum.normalize(),
                    subject.points[column].normalize(),
                    "{}'s account {account} is not the sum of its ledger entries",
                    subject.id
                );
            }
        }
    }
    if let Some(d) = &results.dividend {
        let households = results
            .kinds
            .iter()
            .find(|k| k.kind == HOUSEHOLD)
            .map(|k| k.subjects.as_slice())
            .unwrap_or_default();
        let shares: i64 = households.iter().map(|s| s.dividend_fen).sum();
        assert_eq!(
            shares, d.distributed_fen,
            "the shares do not sum to what was distributed"
        );
        // The whole pool goes out when anyone has points to share it by; nothing otherwise
        // (no amount given, nothing to give, nobody eligible).
        let expected = match d.pool_fen {
            Some(pool) if pool > 0 && d.eligible > 0 => pool,
            _ => 0,
        };
        assert_eq!(d.distributed_fen, expected, "the dividend is not the pool");
        assert!(
            households.iter().all(|s| s.dividend_fen >= 0),
            "a negative dividend share"
        );
    }
}

fn evaluate(
    compact: &Compact,
    registers: &[Register],
    records: &[EventRecord],
) -> (Results, Vec<Entry>) {
    let mut evaluator = Evaluator::new(compact, registers, PeriodChoice::Latest, Ledger::default());
    for r in records {
        evaluator.push(r).expect("records are sorted by date");
    }
    let (results, ledger) = evaluator.finish(Some(POOL_FEN));
    (results, ledger.entries)
}

// ---------------------------------------------------------------------------------------------
// parse_check

/// Arbitrary text → parse + check + every rendering of the diagnostics and of the printable
/// compact. Laws: no panic; a compact comes out exactly when there is no error; the AST is
/// there exactly when the text parses.
pub fn parse_check(data: &[u8]) {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    let compiled = compile(source);
    let _ = render_plain(&compiled.problems, "x.xy", source);
    let _ = render_json(&compiled.problems, "x.xy", source);
    let _ = render_human(&compiled.problems, "x.xy", source, false);
    assert_eq!(
        compiled.compact.is_some(),
        !compiled.has_errors(),
        "a compact with errors, or none without"
    );
    assert_eq!(
        compiled.ast.is_some(),
        parse(source).is_ok(),
        "the AST and parsing disagree"
    );
    if let Some(compact) = &compiled.compact {
        let _ = xiangyue::report::compact::render_html(compact);
        let _ = xiangyue::report::compact::render_markdown(compact);
    }
}

// ---------------------------------------------------------------------------------------------
// fmt_roundtrip

/// Text that parses → fmt → reparse: the same AST; formatting the result again changes nothing;
/// and checking the formatted text finds the same error codes as checking the original.
pub fn fmt_roundtrip(data: &[u8]) {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(before) = parse(source) else {
        return;
    };
    let once = format_source(source).expect("text that parses formats");
    let after = match parse(&once) {
        Ok(ast) => ast,
        Err(e) => panic!("the formatted text does not parse: {e:?}\n{once}"),
    };
    assert!(
        before == after,
        "formatting changed the AST:\n{source}\n---\n{once}"
    );
    let twice = format_source(&once).expect("formatted text formats");
    assert!(
        twice == once,
        "formatting is not idempotent:\n{once}\n---\n{twice}"
    );
    let codes = |text: &str| {
        let mut codes: Vec<String> = compile(text)
            .problems
            .iter()
            .filter(|p| p.is_error())
            .map(|p| p.code())
            .collect();
        codes.sort();
        codes
    };
    assert_eq!(codes(source), codes(&once), "formatting changed the errors");
}

// ---------------------------------------------------------------------------------------------
// read_data

/// What the bytes are read as: the first byte chooses the format (CSV, JSON Lines, XLSX), the
/// file's role (register, the 党员 roster, event log) and the encoding; the rest is the file.
pub fn read_data_choice(byte: u8) -> (&'static str, usize, Encoding) {
    let ext = ["csv", "jsonl", "xlsx"][usize::from(byte % 3)];
    let role = usize::from(byte / 3 % 3);
    let encoding = [Encoding::Auto, Encoding::Utf8, Encoding::Gb18030][usize::from(byte / 9 % 3)];
    (ext, role, encoding)
}

/// A file of this process and thread in the temporary folder (the library reads tables from
/// paths, as the command line does).
fn scratch(ext: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xiangyue-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let thread = format!("{:?}", std::thread::current().id())
        .chars()
        .filter(char::is_ascii_digit)
        .collect::<String>();
    dir.join(format!("input-{thread}.{ext}"))
}

/// Arbitrary bytes as a CSV, JSON Lines or XLSX register, roster or event log of the sample
/// compact, read with `TableReader::open` as `xiangyue eval` reads them. Laws: no panic; a bad
/// record has at least one error; a CSV log read in chunks (as the command line reads it, with
/// tiny chunks to try every boundary) gives exactly the records and bad lines that reading it
/// row by row gives; whatever reads without error evaluates, and the totals are the ledger's
/// sums and the dividend is the pool.
pub fn read_data(data: &[u8]) {
    let Some((&first, bytes)) = data.split_first() else {
        return;
    };
    let (ext, role, encoding) = read_data_choice(first);
    let path = scratch(ext);
    if std::fs::write(&path, bytes).is_err() {
        return;
    }
    read_file(&path, ext, role, encoding);
    let _ = std::fs::remove_file(&path);
}

fn read_file(path: &std::path::Path, ext: &str, role: usize, encoding: Encoding) {
    let (compact, sample_registers) = sample();
    let options = ReadOptions {
        encoding,
        sheet: None,
    };
    let file = format!("input.{ext}");
    let open = || TableReader::open(path, &file, &options).ok();
    let Some(mut table) = open() else {
        return;
    };
    match role {
        0 | 1 => {
            let (mut errors, mut warnings) = (Vec::new(), Vec::new());
            let register = if role == 0 {
                read_register(
                    &mut table,
                    compact,
                    HOUSEHOLD,
                    None,
                    &mut errors,
                    &mut warnings,
                )
            } else {
                read_register(
                    &mut table,
                    compact,
                    1,
                    sample_registers.first(),
                    &mut errors,
                    &mut warnings,
                )
            };
            for e in &errors {
                let _ = e.to_string();
            }
            for w in &warnings {
                let _ = w.to_string();
            }
            for id in register.ids() {
                assert!(
                    register.find(id).is_some(),
                    "a register id that is not found"
                );
            }
            if errors.is_empty() {
                // The command line evaluates only when the register and rosters read without
                // error; a new household register means reading the roster against it.
                let mut registers = sample_registers.clone();
                if role == 0 {
                    let mut t = TableReader::from_csv_text(MEMBERS, "党员.csv").expect("roster");
                    registers[1] = read_register(
                        &mut t,
                        compact,
                        1,
                        Some(&register),
                        &mut errors,
                        &mut warnings,
                    );
                    if !errors.is_empty() {
                        return;
                    }
                }
                registers[role] = register;
                let bounded = registers
                    .iter()
                    .zip(&compact.kinds)
                    .all(|(r, k)| register_within_bounds(r, k.attributes.len()));
                if !bounded {
                    return;
                }
                let records = sample_records(compact, &registers);
                let (results, entries) = evaluate(compact, &registers, &records);
                check_results(&results, &entries);
            }
        }
        _ => {
            let Ok(mut reader) = EventReader::new(table, compact, sample_registers) else {
                return;
            };
            let (good, bad) = read_all(&mut reader);
            if ext == "csv" {
                for chunk_bytes in [1, 64] {
                    let (chunked_good, chunked_bad) =
                        read_in_chunks(open(), compact, sample_registers, chunk_bytes);
                    assert!(
                        chunked_good == good,
                        "{chunk_bytes}-byte chunks give other records than row by row"
                    );
                    assert_eq!(
                        chunked_bad, bad,
                        "{chunk_bytes}-byte chunks find other bad lines than row by row"
                    );
                }
            }
            let mut good = good;
            good.retain(|r| r.values.iter().flatten().all(within_bounds));
            let (results, entries) = evaluate(compact, sample_registers, &good);
            check_results(&results, &entries);
        }
    }
}

fn read_in_chunks(
    table: Option<TableReader>,
    compact: &Compact,
    registers: &[Register],
    bytes: usize,
) -> (Vec<EventRecord>, Vec<u64>) {
    let table = table.expect("the file opened a moment ago opens again");
    let mut reader = EventReader::new(table, compact, registers).expect("the same columns");
    let mut chunks = reader
        .take_chunks()
        .expect("a CSV log")
        .with_chunk_bytes(bytes);
    let (mut chunk, mut checked) = (Chunk::default(), Checked::default());
    let (mut good, mut bad) = (Vec::new(), Vec::new());
    while let Ok(true) = chunks.next_into(&mut chunk) {
        check_chunk(reader.checker(), &chunk, &mut checked);
        good.extend(checked.records().iter().cloned());
        for b in &checked.bad {
            assert!(!b.errors.is_empty(), "a bad row without an error");
            bad.push(b.line);
        }
    }
    good.sort_by_key(|r| (r.day, r.line));
    (good, bad)
}

// ---------------------------------------------------------------------------------------------
// eval_examples

/// Bytes read one at a time; zeros once they run out.
pub struct Bytes<'a>(pub &'a [u8]);

impl Bytes<'_> {
    fn u8(&mut self) -> u8 {
        match self.0.split_first() {
            Some((&b, rest)) => {
                self.0 = rest;
                b
            }
            None => 0,
        }
    }
    fn index(&mut self, len: usize) -> Option<usize> {
        (len > 0).then(|| usize::from(self.u8()) % len)
    }
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A cell's text as a clerk might type it, made from the bytes.
fn cell_text(b: &mut Bytes<'_>, ty: &ValueType) -> String {
    // Between `least` and `least + spread - 1` digits.
    let digits = |b: &mut Bytes<'_>, least: u8, spread: u8| -> String {
        let n = least + b.u8() % spread;
        (0..n).map(|_| char::from(b'0' + b.u8() % 10)).collect()
    };
    match b.u8() % 8 {
        0 => digits(b, 1, 4),
        1 => format!("-{}", digits(b, 1, 4)),
        2 => {
            let whole = digits(b, 1, 30);
            let fraction = digits(b, 0, 30);
            format!(
                "{}{whole}.{fraction}",
                if b.u8() % 2 == 0 { "" } else { "-" }
            )
        }
        3 => match ty {
            ValueType::Choice(options) if !options.is_empty() => {
                options[usize::from(b.u8()) % options.len()].clone()
            }
            _ => ["是", "否", "有", "无", "优", "县级", "两", "十二"][usize::from(b.u8() % 8)]
                .to_string(),
        },
        4 => format!(
            "{:04}-{:02}-{:02}",
            1990 + u32::from(b.u8() % 80),
            1 + b.u8() % 12,
            1 + b.u8() % 31
        ),
        5 => format!("{}元", digits(b, 1, 20)),
        6 => {
            let n = usize::from(b.u8() % 8);
            let raw: Vec<u8> = (0..n).map(|_| b.u8()).collect();
            String::from_utf8_lossy(&raw).into_owned()
        }
        _ => digits(b, 1, 16),
    }
}

/// A value the data reader could have read from a cell, as the example's literal.
fn typed_literal(b: &mut Bytes<'_>, ty: &ValueType) -> Option<Literal> {
    let text = cell_text(b, ty);
    let value = parse_value(&text, ty).filter(within_bounds)?;
    Some(match value {
        FieldValue::Number(n) => Literal::Number(n),
        FieldValue::Money(f) => Literal::Money(f),
        FieldValue::Bool(v) => Literal::Bool(v),
        FieldValue::Choice(i) => match ty {
            ValueType::Choice(options) => Literal::Text(options.get(usize::from(i))?.clone()),
            _ => return None,
        },
        FieldValue::Text(t) => Literal::Text(t.into()),
        FieldValue::Date(d) => Literal::Date(date_of(d)),
    })
}

/// Mutates `example` of `compact` as the bytes say: records deleted, duplicated, moved in
/// time, given other values, subjects or kinds; households' attributes changed; the dividend
/// amount changed. Every value is one the data reader could have read from a cell.
pub fn mutate_example(compact: &Compact, example: &mut Example, b: &mut Bytes<'_>) {
    let mut steps = 0;
    while !b.is_empty() && steps < 64 {
        steps += 1;
        let op = b.u8() % 10;
        let events = example.events.len();
        match op {
            0 => {
                if let Some(i) = b.index(events) {
                    example.events.remove(i);
                }
            }
            1 => {
                if let Some(i) = b.index(events) {
                    let copy = example.events[i].clone();
                    example.events.insert(i, copy);
                }
            }
            2 => {
                // Move a record in time by up to about three years either way.
                if let Some(i) = b.index(events) {
                    let delta = i32::from(i16::from_le_bytes([b.u8(), b.u8()])) % 1100;
                    let day = xiangyue::data::value::day_of(example.events[i].date) + delta;
                    example.events[i].date = date_of(day);
                }
            }
            3 => {
                if let Some(i) = b.index(events) {
                    let event = &example.events[i];
                    let Some(kind) = compact.events.get(event.event) else {
                        continue;
                    };
                    if let Some(j) = b.index(kind.fields.len())
                        && let Some(literal) = typed_literal(b, &kind.fields[j].ty)
                    {
                        let values = &mut example.events[i].values;
                        values.resize(kind.fields.len(), None);
                        values[j] = Some(literal);
                    }
                }
            }
            4 => {
                let subjects = example.subjects.len();
                if let (Some(i), Some(s)) = (b.index(events), b.index(subjects)) {
                    example.events[i].subject = example.subjects[s].id.clone();
                }
            }
            5 => {
                // Another 事项 of the same owner, with values the reader could read.
                if let Some(i) = b.index(events) {
                    let owner = compact.events.get(example.events[i].event).map(|e| e.owner);
                    let Some(k) = b.index(compact.events.len()) else {
                        continue;
                    };
                    let kind = &compact.events[k];
                    if Some(kind.owner) != owner {
                        continue;
                    }
                    let values: Option<Vec<Option<Literal>>> = kind
                        .fields
                        .iter()
                        .map(|f| typed_literal(b, &f.ty).map(Some))
                        .collect();
                    if let Some(values) = values {
                        example.events[i].event = k;
                        example.events[i].values = values;
                    }
                }
            }
            6 => {
                let subjects = example.subjects.len();
                if let Some(s) = b.index(subjects) {
                    let kind = example.subjects[s].kind;
                    let Some(attributes) = compact.kinds.get(kind).map(|k| &k.attributes) else {
                        continue;
                    };
                    if let Some(j) = b.index(attributes.len())
                        && let Some(literal) = typed_literal(b, &attributes[j].ty)
                    {
                        let values = &mut example.subjects[s].values;
                        values.resize(attributes.len(), None);
                        values[j] = Some(literal);
                    }
                }
            }
            7 => {
                let text = cell_text(b, &ValueType::Money);
                example.pool_fen = if text.is_empty() {
                    None
                } else {
                    parse_money(&text)
                };
            }
            8 => {
                if let (Some(i), Some(j)) = (b.index(events), b.index(events)) {
                    example.events.swap(i, j);
                }
            }
            _ => {
                let subjects = example.subjects.len();
                if let Some(s) = b.index(subjects)
                    && subjects > 1
                {
                    example.subjects.remove(s);
                }
            }
        }
    }
}

/// The compacts' worked examples (示例), mutated by the bytes (the first two choose the compact
/// and the example), evaluated as `xiangyue test` evaluates them. Laws: no panic; every
/// account's total is the sum of its ledger entries; the dividend shares sum to the pool.
pub fn eval_examples(data: &[u8]) {
    let mut b = Bytes(data);
    let compacts = compiled();
    let compact = &compacts[usize::from(b.u8()) % compacts.len()];
    let Some(e) = b.index(compact.examples.len()) else {
        return;
    };
    let mut example = compact.examples[e].clone();
    mutate_example(compact, &mut example, &mut b);
    let run = run_example(compact, &example);
    for m in &run.mismatches {
        let _ = (&m.expected, &m.actual);
    }
    check_results(&run.results, &run.ledger);
}

// ---------------------------------------------------------------------------------------------
// diff_mutation

/// Two texts separated by the first NUL byte (a compact and a mutation of it; without a NUL,
/// the text and itself). Laws: no panic in comparing them either way nor in rendering the diff
/// as text, Markdown, JSON and HTML; a compact compared with itself, and with its formatted
/// text, shows no change.
pub fn diff_mutation(data: &[u8]) {
    let (old, new) = match data.iter().position(|&b| b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, data),
    };
    let (Ok(old), Ok(new)) = (std::str::from_utf8(old), std::str::from_utf8(new)) else {
        return;
    };
    let old_compact = compile(old).compact;
    let new_compact = if new == old {
        old_compact.clone()
    } else {
        compile(new).compact
    };
    let sides = if new == old {
        vec![(old, &old_compact)]
    } else {
        vec![(old, &old_compact), (new, &new_compact)]
    };
    for (text, compact) in sides {
        let Some(compact) = compact else {
            continue;
        };
        let same = compare(compact, compact);
        assert!(
            same.is_equivalent(),
            "a compact differs from itself: {same:?}"
        );
        let formatted = format_source(text).expect("a compact that checks formats");
        let Some(reformatted) = compile(&formatted).compact else {
            panic!("the formatted compact does not check:\n{formatted}");
        };
        let after = compare(compact, &reformatted);
        assert!(
            after.is_equivalent(),
            "formatting changed the compact: {after:?}"
        );
    }
    if let (Some(a), Some(b)) = (&old_compact, &new_compact) {
        for (x, y) in [(a, b), (b, a)] {
            let diff = compare(x, y);
            let doc = DiffDocument {
                old_file: "旧.xy",
                new_file: "新.xy",
                old: x,
                new: y,
                diff: &diff,
                impact: None,
                data: None,
            };
            let _ = render_text(&doc);
            let _ = render_md(&doc);
            let _ = xiangyue::report::diff_json::render_json(&doc);
            let _ = xiangyue::report::diff_html::render_html(&doc);
            let _ = diff.counts();
        }
    }
}
