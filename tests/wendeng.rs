//! The Wendeng 2020 compact on its three-year log, through the library: totals are the sums of
//! the ledger (carried records, repairs and vetoes included), results do not depend on the
//! ledger or the number of threads, and every scoring clause applies to some record.

// Fails the test outright when the bundled compact or data are missing.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use std::collections::BTreeSet;

use xiangyue::data::{EventReader, EventRecord, Next, Register, TableReader, read_register};
use xiangyue::eval::{Evaluator, Ledger, NoLedger, PeriodChoice, Results, Sink};
use xiangyue::model::{Compact, Rule};

const DIR: &str = "compacts/wendeng-2020";

fn read(name: &str) -> String {
    std::fs::read_to_string(common::root().join(DIR).join(name)).expect(name)
}

fn load() -> (Compact, Vec<Register>, Vec<EventRecord>) {
    let compact = xiangyue::compile::compile(&read("wendeng-2020.xy"))
        .compact
        .expect("the compact checks");
    let (mut errors, mut warnings) = (Vec::new(), Vec::new());
    let text = read("户籍.csv");
    let mut t = TableReader::from_csv_text(&text, "户籍.csv").expect("households");
    let households = read_register(&mut t, &compact, 0, None, &mut errors, &mut warnings);
    let text = read("居民.csv");
    let mut t = TableReader::from_csv_text(&text, "居民.csv").expect("residents");
    let residents = read_register(
        &mut t,
        &compact,
        1,
        Some(&households),
        &mut errors,
        &mut warnings,
    );
    assert!(errors.is_empty(), "{}", errors.len());
    let registers = vec![households, residents];
    let text = read("events.csv");
    let table = TableReader::from_csv_text(&text, "events.csv").expect("log");
    let mut reader = EventReader::new(table, &compact, &registers).expect("columns");
    let mut records = Vec::new();
    let mut record = EventRecord::new();
    loop {
        match reader.next(&mut record).expect("read") {
            Next::End => break,
            Next::Record => records.push(record.clone()),
            Next::Bad(_) => panic!("a bad record in events.csv"),
        }
    }
    records.sort_by_key(|r| (r.day, r.line));
    (compact, registers, records)
}

fn run<S: Sink>(
    compact: &Compact,
    registers: &[Register],
    records: &[EventRecord],
    year: i32,
    sink: S,
) -> (Results, S) {
    let mut e = Evaluator::new(compact, registers, PeriodChoice::Year(year), sink);
    for r in records {
        e.push(r).expect("sorted");
    }
    e.finish(None)
}

#[test]
fn totals_are_ledger_sums_whatever_the_threads() {
    let (compact, registers, records) = load();
    for year in [2020, 2021, 2022] {
        let (results, ledger) = run(&compact, &registers, &records, year, Ledger::default());
        assert_eq!(results.period.year, year);
        let village = common::Village {
            compact: compact.clone(),
            registers: registers.clone(),
            results: results.clone(),
            entries: ledger.entries,
        };
        common::assert_totals_are_ledger_sums(&village);
        let (quiet, _) = run(&compact, &registers, &records, year, NoLedger);
        assert_eq!(quiet, results, "{year} without the ledger");
        for threads in [1, 2, 3, 5] {
            let parallel = xiangyue::eval::parallel::evaluate(
                &compact,
                &registers,
                &records,
                PeriodChoice::Year(year),
                threads,
                None,
            )
            .expect("sorted");
            assert_eq!(parallel, results, "{year} on {threads} threads");
        }
    }
}

#[test]
fn every_scoring_clause_applies_to_some_record() {
    let (compact, registers, records) = load();
    let mut applied = BTreeSet::new();
    for year in [2020, 2021, 2022] {
        let (_, ledger) = run(&compact, &registers, &records, year, Ledger::default());
        applied.extend(common::applied_clauses(&ledger.entries));
    }
    let missing: Vec<String> = compact
        .clauses
        .iter()
        .enumerate()
        .filter(|(_, c)| c.rules.iter().any(|r| matches!(r, Rule::Event(_))))
        .filter(|(id, _)| !applied.contains(id))
        .map(|(_, c)| c.number.to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "clauses no record exercises: {missing:?}"
    );
}
