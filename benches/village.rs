//! Reading logs, evaluating, explaining one household and diffing with impact
//! (`cargo bench --bench village`).
//!
//! The data is the sample compact's village made by the synth library (`xiangyue synth`):
//! 2,000 households and 100,000 records in 2024, written once to
//! target/bench-data/village-100000/ as CSV, JSON Lines and XLSX and reused by later runs.
//! Parse + check of a 1,000-clause compact is in `benches/language.rs`. The 10-million-record
//! figures (eval, explain) are whole-process runs documented in docs/performance.md.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::io::Write as _;
use std::path::{Path, PathBuf};

use xiangyue::data::chunks::{Checked, Chunk, check_chunk};
use xiangyue::data::{
    EventReader, EventRecord, Next, ReadOptions, Register, TableReader, read_register,
};
use xiangyue::diff::impact::{Side, impact};
use xiangyue::diff::{ClauseSums, compare};
use xiangyue::eval::{Evaluator, Ledger, NoLedger, PeriodChoice, Sink, SubjectLedger};
use xiangyue::model::Compact;
use xiangyue::synth::{Synth, SynthOptions};

fn main() {
    divan::main();
}

/// The same allocator as the binary (src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const EVENTS: u64 = 100_000;
const HOUSEHOLDS: u32 = 2_000;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sample() -> Compact {
    let text = std::fs::read_to_string(root().join("compacts/youxiqiao-demo/youxiqiao.xy"))
        .expect("sample");
    xiangyue::compile::compile(&text).compact.expect("checks")
}

/// The bench village's folder, written on first use: register, roster, and the log as
/// events.csv, events.jsonl and events.xlsx.
/// Something that hands CSV lines, one by one, to a writer.
type Fill<'a> = &'a dyn Fn(&mut dyn FnMut(&str));

fn village() -> PathBuf {
    let dir = root().join(format!("target/bench-data/village-{EVENTS}"));
    if dir.join("events.xlsx").is_file() {
        return dir;
    }
    std::fs::create_dir_all(&dir).expect("folder");
    let compact = sample();
    let synth = Synth::new(
        &compact,
        SynthOptions {
            households: HOUSEHOLDS,
            events: EVENTS,
            seed: 1,
            years: 1,
            last_year: None,
        },
    );
    let write = |name: &str, fill: Fill<'_>| {
        let mut out = std::io::BufWriter::new(std::fs::File::create(dir.join(name)).unwrap());
        fill(&mut |line: &str| out.write_all(line.as_bytes()).unwrap());
        out.flush().unwrap();
    };
    write("register.csv", &|line| synth.subjects(0, line));
    write("党员.csv", &|line| synth.subjects(1, line));
    write("events.csv", &|line| synth.events(line));
    // The same rows as JSON Lines (empty cells left out) and as a workbook.
    let text = std::fs::read_to_string(dir.join("events.csv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let mut jsonl =
        std::io::BufWriter::new(std::fs::File::create(dir.join("events.jsonl")).unwrap());
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, name) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, *name).unwrap();
    }
    for (r, line) in lines.enumerate() {
        let mut object = serde_json::Map::new();
        for (c, cell) in line.split(',').enumerate() {
            if !cell.is_empty() {
                object.insert(header[c].to_string(), cell.into());
                sheet.write_string(r as u32 + 1, c as u16, cell).unwrap();
            }
        }
        writeln!(jsonl, "{}", serde_json::Value::Object(object)).unwrap();
    }
    jsonl.flush().unwrap();
    book.save(dir.join("events.xlsx")).unwrap();
    dir
}

fn registers(compact: &Compact, dir: &Path) -> Vec<Register> {
    let (mut errors, mut warnings) = (Vec::new(), Vec::new());
    let options = ReadOptions::default();
    let mut t = TableReader::open(&dir.join("register.csv"), "register.csv", &options).unwrap();
    let households = read_register(&mut t, compact, 0, None, &mut errors, &mut warnings);
    let mut t = TableReader::open(&dir.join("党员.csv"), "党员.csv", &options).unwrap();
    let members = read_register(
        &mut t,
        compact,
        1,
        Some(&households),
        &mut errors,
        &mut warnings,
    );
    assert!(errors.is_empty());
    vec![households, members]
}

/// Reads a log, calling `each` on every good record; returns how many there were.
fn read_log(
    compact: &Compact,
    registers: &[Register],
    path: &Path,
    mut each: impl FnMut(&EventRecord),
) -> usize {
    let file = path.file_name().unwrap().to_string_lossy().into_owned();
    let table = TableReader::open(path, &file, &ReadOptions::default()).unwrap();
    let mut reader = EventReader::new(table, compact, registers).unwrap();
    let mut n = 0;
    if let Some(mut chunks) = reader.take_chunks() {
        // CSV: in chunks, as `xiangyue eval` reads it (here on one thread).
        let (mut chunk, mut checked) = (Chunk::default(), Checked::default());
        while chunks.next_into(&mut chunk).unwrap() {
            check_chunk(reader.checker(), &chunk, &mut checked);
            assert!(checked.bad.is_empty());
            for record in checked.records() {
                n += 1;
                each(record);
            }
        }
        return n;
    }
    let mut record = EventRecord::new();
    loop {
        match reader.next(&mut record).unwrap() {
            Next::End => return n,
            Next::Record => {
                n += 1;
                each(&record);
            }
            Next::Bad(errors) => panic!("{errors:?}"),
        }
    }
}

fn records(compact: &Compact, registers: &[Register], path: &Path) -> Vec<EventRecord> {
    let mut all = Vec::new();
    read_log(compact, registers, path, |r| all.push(r.clone()));
    all
}

/// Reading and validating the 100,000-record log (no evaluation).
#[divan::bench(args = ["csv", "jsonl", "xlsx"], sample_count = 10)]
fn read_100k(bencher: divan::Bencher, format: &str) {
    let dir = village();
    let compact = sample();
    let registers = registers(&compact, &dir);
    let path = dir.join(format!("events.{format}"));
    bencher.bench(|| {
        let n = read_log(&compact, &registers, &path, |r| {
            divan::black_box(r);
        });
        assert_eq!(n as u64, EVENTS);
    });
}

fn evaluate<S: Sink>(
    compact: &Compact,
    registers: &[Register],
    records: &[EventRecord],
    sink: S,
) -> (xiangyue::eval::Results, S) {
    let mut e = Evaluator::new(compact, registers, PeriodChoice::Latest, sink);
    for r in records {
        e.push(r).unwrap();
    }
    e.finish(Some(3_000_000_000))
}

/// Evaluating 100,000 records already read, keeping every ledger entry or none.
#[divan::bench(args = ["ledger", "no_ledger"], sample_count = 20)]
fn eval_100k(bencher: divan::Bencher, sink: &str) {
    let dir = village();
    let compact = sample();
    let registers = registers(&compact, &dir);
    let records = records(&compact, &registers, &dir.join("events.csv"));
    bencher.bench(|| match sink {
        "ledger" => evaluate(&compact, &registers, &records, Ledger::default())
            .1
            .entries
            .len(),
        _ => evaluate(&compact, &registers, &records, NoLedger)
            .0
            .kinds
            .len(),
    });
}

/// `explain`'s work for the busiest household of the 100,000-record log: the evaluation with a
/// one-household ledger, then the text report.
#[divan::bench(sample_count = 20)]
fn explain_busiest_household_100k(bencher: divan::Bencher) {
    let dir = village();
    let compact = sample();
    let registers = registers(&compact, &dir);
    let records = records(&compact, &registers, &dir.join("events.csv"));
    let mut counts = vec![0u32; registers[0].len()];
    for r in records.iter().filter(|r| compact.events[r.kind].owner == 0) {
        counts[r.subject as usize] += 1;
    }
    let busiest = (0..counts.len()).max_by_key(|i| counts[*i]).unwrap() as u32;
    bencher.bench(|| {
        let sink = SubjectLedger {
            kind: 0,
            subject: busiest,
            entries: Vec::new(),
        };
        let (_, ledger) = evaluate(&compact, &registers, &records, sink);
        assert!(!ledger.entries.is_empty());
        ledger.entries.len()
    });
}

/// `diff` with impact on the sample and its 2025 revision (19,720 records, read beforehand):
/// both evaluations with per-clause sums, the clause comparison, the impact and the text report.
#[divan::bench(sample_count = 20)]
fn diff_with_impact_sample(bencher: divan::Bencher) {
    let read = |p: &str| std::fs::read_to_string(root().join(p)).unwrap();
    let old = sample();
    let new = xiangyue::compile::compile(&read("compacts/youxiqiao-demo-2025/youxiqiao-2025.xy"))
        .compact
        .unwrap();
    let dir = root().join("compacts/youxiqiao-demo");
    let old_registers = registers(&old, &dir);
    let new_registers = registers(&new, &dir);
    let old_records = records(&old, &old_registers, &dir.join("events.csv"));
    let new_records = records(&new, &new_registers, &dir.join("events.csv"));
    let sort = |mut v: Vec<EventRecord>| {
        v.sort_by_key(|r| (r.day, r.line));
        v
    };
    let (old_records, new_records) = (sort(old_records), sort(new_records));
    bencher.bench(|| {
        let (old_results, old_sums) =
            evaluate(&old, &old_registers, &old_records, ClauseSums::default());
        let (new_results, new_sums) =
            evaluate(&new, &new_registers, &new_records, ClauseSums::default());
        let diff = compare(&old, &new);
        let found = impact(
            &diff,
            Side {
                compact: &old,
                results: &old_results,
                sums: &old_sums,
                registers: &old_registers,
            },
            Side {
                compact: &new,
                results: &new_results,
                sums: &new_sums,
                registers: &new_registers,
            },
        );
        let doc = xiangyue::report::diff::DiffDocument {
            old_file: "youxiqiao.xy",
            new_file: "youxiqiao-2025.xy",
            old: &old,
            new: &new,
            diff: &diff,
            impact: Some(&found),
            data: Some(("register.csv", "events.csv")),
        };
        xiangyue::report::diff::render_text(&doc).len()
    });
}
