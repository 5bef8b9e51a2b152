//! Helpers shared by the integration tests: fixture discovery and header expectations.
//!
//! A fixture is a `.xy` file whose first lines may carry its expectations as comments:
//!
//! ```text
//! # 期望：E0101            codes that checking must report (or 无 for none), in any order
//! ```

#![allow(dead_code)]
// Helpers fail the test that calls them with a message; they are not library code.
#![allow(
    clippy::panic,
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};

/// One fixture file.
pub struct Fixture {
    /// File name without extension.
    pub name: String,
    /// Path relative to the crate root, as shown in diagnostics.
    pub path: PathBuf,
    /// Its text.
    pub source: String,
    /// The codes its header says checking reports.
    pub expected_codes: Vec<String>,
}

/// The crate root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.xy` file in `dir` (relative to the crate root), sorted by name.
pub fn fixtures(dir: &str) -> Vec<Fixture> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "xy"))
                .collect()
        })
        .unwrap_or_default();
    paths.sort();
    paths.into_iter().map(|p| load(&p)).collect()
}

/// Loads one fixture.
pub fn load(path: &Path) -> Fixture {
    let source = std::fs::read_to_string(path).unwrap_or_default();
    let mut expected_codes = Vec::new();
    for line in source.lines() {
        let line = line.trim();
        if let Some(rest) = line
            .strip_prefix("# 期望：")
            .or_else(|| line.strip_prefix("# 期望:"))
        {
            expected_codes.extend(
                rest.split(['、', ',', '，', ' '])
                    .map(str::trim)
                    .filter(|c| !c.is_empty() && *c != "无")
                    .map(str::to_string),
            );
        }
    }
    let relative = path
        .strip_prefix(root())
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf());
    Fixture {
        name: path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default(),
        path: relative,
        source,
        expected_codes,
    }
}

/// Every compact file in the repository's `compacts/` folders, templates and the villages in
/// a township's subfolders included (compacts/zetou-demo/镇模板.xy, …/dongshan/dongshan.xy).
pub fn repository_compacts() -> Vec<Fixture> {
    fn walk(dir: &Path, all: &mut Vec<Fixture>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut dirs: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        dirs.sort();
        for dir in dirs {
            if dir.is_dir()
                && let Ok(relative) = dir.strip_prefix(root())
            {
                all.extend(fixtures(&relative.to_string_lossy()));
                walk(&dir, all);
            }
        }
    }
    let mut all = Vec::new();
    walk(&root().join("compacts"), &mut all);
    all
}

/// Checks a repository compact with the template its 依据「…」 names, found from its folder
/// upwards as the command line finds it.
pub fn compile_in_place(fixture: &Fixture) -> xiangyue::compile::Compiled {
    compile_text_in_place(fixture, &fixture.source)
}

/// Checks `text` (a repository compact's text, changed or formatted) as if it were in the
/// fixture's folder: its template found from there.
pub fn compile_text_in_place(fixture: &Fixture, text: &str) -> xiangyue::compile::Compiled {
    let folder = root().join(&fixture.path);
    let folder = folder.parent().map(Path::to_path_buf).unwrap_or_else(root);
    xiangyue::compile::compile_with(text, &|name| {
        xiangyue::data::find_template(&folder, name).map(|(_, text)| text)
    })
}

/// A small village evaluated in memory: the compact, its registers, the results and the full
/// ledger.
pub struct Village {
    pub compact: xiangyue::model::Compact,
    pub registers: Vec<xiangyue::data::Register>,
    pub results: xiangyue::eval::Results,
    pub entries: Vec<xiangyue::eval::Entry>,
}

impl Village {
    /// A household's points in the named account.
    pub fn points(&self, household: &str, account: &str) -> String {
        self.points_of(0, household, account)
    }

    /// A subject's points in the named account.
    pub fn points_of(&self, kind: usize, id: &str, account: &str) -> String {
        let account_id = self
            .compact
            .accounts
            .iter()
            .position(|a| a.name == account)
            .unwrap_or_else(|| panic!("no account {account}"));
        let kind = self
            .results
            .kinds
            .iter()
            .find(|k| k.kind == kind)
            .expect("kind");
        let column = kind
            .accounts
            .iter()
            .position(|a| *a == account_id)
            .expect("column");
        let subject = kind
            .subjects
            .iter()
            .find(|s| s.id == id)
            .unwrap_or_else(|| panic!("no {id}"));
        subject.points[column].normalize().to_string()
    }

    /// A household's result.
    pub fn household(&self, id: &str) -> &xiangyue::eval::SubjectResult {
        self.results.kinds[0]
            .subjects
            .iter()
            .find(|s| s.id == id)
            .unwrap_or_else(|| panic!("no {id}"))
    }

    /// The notes of every entry of a household, in words.
    pub fn notes(&self, id: &str) -> Vec<String> {
        let subject = self.registers[0].find(id).expect("household");
        self.entries
            .iter()
            .filter(|e| e.kind == 0 && e.subject == subject)
            .flat_map(|e| {
                e.notes
                    .iter()
                    .map(|n| xiangyue::eval::ledger::note_words(&self.compact, n))
            })
            .collect()
    }
}

/// Evaluates `events` (CSV text) for the compact `source` and the register `register` (CSV
/// text), with rosters given as (roster name, CSV text). Panics on any error: the tests using it
/// pass good data.
pub fn evaluate(
    source: &str,
    register: &str,
    rosters: &[(&str, &str)],
    events: &str,
    period: Option<i32>,
    pool_fen: Option<i64>,
) -> Village {
    use xiangyue::eval::{Evaluator, Ledger, PeriodChoice};
    let (compact, registers, records) = read_village(source, register, rosters, events);
    let choice = period.map_or(PeriodChoice::Latest, PeriodChoice::Year);
    let mut evaluator = Evaluator::new(&compact, &registers, choice, Ledger::default());
    for r in &records {
        evaluator.push(r).expect("sorted");
    }
    let (results, ledger) = evaluator.finish(pool_fen);
    let entries = ledger.entries;
    Village {
        compact,
        registers,
        results,
        entries,
    }
}

/// The ledger `explain` keeps for one subject (`kind` 0 for a household, a roster's index for
/// a person), of the same inputs as [`evaluate`], with each entry's notes in words.
pub fn explain_entries(
    source: &str,
    register: &str,
    rosters: &[(&str, &str)],
    events: &str,
    period: Option<i32>,
    (kind, id): (usize, &str),
) -> Vec<(xiangyue::eval::Entry, Vec<String>)> {
    use xiangyue::eval::{Evaluator, PeriodChoice, SubjectLedger};
    let (compact, registers, records) = read_village(source, register, rosters, events);
    let subject = registers[kind].find(id).expect("subject");
    let choice = period.map_or(PeriodChoice::Latest, PeriodChoice::Year);
    let sink = SubjectLedger {
        kind,
        subject,
        entries: Vec::new(),
    };
    let mut evaluator = Evaluator::new(&compact, &registers, choice, sink);
    for r in &records {
        evaluator.push(r).expect("sorted");
    }
    let (_, ledger) = evaluator.finish(None);
    ledger
        .entries
        .into_iter()
        .map(|e| {
            let words = e
                .notes
                .iter()
                .map(|n| xiangyue::eval::ledger::note_words(&compact, n))
                .collect();
            (e, words)
        })
        .collect()
}

/// The compact, registers and records (sorted by date) of a small village given as text.
fn read_village(
    source: &str,
    register: &str,
    rosters: &[(&str, &str)],
    events: &str,
) -> (
    xiangyue::model::Compact,
    Vec<xiangyue::data::Register>,
    Vec<xiangyue::data::EventRecord>,
) {
    use xiangyue::data::{EventReader, EventRecord, Next, Register, TableReader, read_register};
    let compiled = xiangyue::compile::compile(source);
    let codes: Vec<String> = compiled
        .problems
        .iter()
        .filter(|p| p.is_error())
        .map(|p| p.code())
        .collect();
    let compact = compiled
        .compact
        .unwrap_or_else(|| panic!("compact does not check: {codes:?}"));
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut registers: Vec<Register> = compact
        .kinds
        .iter()
        .enumerate()
        .map(|(k, kind)| Register::empty(k, kind.attributes.len(), ""))
        .collect();
    let mut table = TableReader::from_csv_text(register, "register.csv").expect("register");
    registers[0] = read_register(&mut table, &compact, 0, None, &mut errors, &mut warnings);
    for (name, text) in rosters {
        let kind = compact
            .kinds
            .iter()
            .position(|k| k.name == *name)
            .expect("roster kind");
        let mut table = TableReader::from_csv_text(text, "roster.csv").expect("roster");
        registers[kind] = read_register(
            &mut table,
            &compact,
            kind,
            registers.first(),
            &mut errors,
            &mut warnings,
        );
    }
    assert!(
        errors.is_empty(),
        "register errors: {:?}",
        errors.iter().map(|e| e.to_string()).collect::<Vec<_>>()
    );
    let table = TableReader::from_csv_text(events, "events.csv").expect("events");
    let mut reader = EventReader::new(table, &compact, &registers).expect("event columns");
    let mut records = Vec::new();
    let mut record = EventRecord::new();
    loop {
        match reader.next(&mut record).expect("read") {
            Next::End => break,
            Next::Record => records.push(record.clone()),
            Next::Bad(errors) => panic!(
                "bad record: {:?}",
                errors.iter().map(|e| e.to_string()).collect::<Vec<_>>()
            ),
        }
    }
    records.sort_by_key(|r| (r.day, r.line));
    (compact, registers, records)
}

/// Checks that every account's total equals the sum of its ledger entries.
pub fn assert_totals_are_ledger_sums(village: &Village) {
    use rust_decimal::Decimal;
    for kind in &village.results.kinds {
        for (s, subject) in kind.subjects.iter().enumerate() {
            for (column, account) in kind.accounts.iter().enumerate() {
                let sum: Decimal = village
                    .entries
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
                    "{} account {account}",
                    subject.id
                );
            }
        }
    }
}

/// The clauses that really scored or acted on some record: not beaten by take-the-highest, not
/// switched off by an exception, not a repair with nothing to repair.
#[allow(dead_code)]
pub fn applied_clauses(
    entries: &[xiangyue::eval::Entry],
) -> std::collections::BTreeSet<xiangyue::model::ClauseId> {
    use xiangyue::eval::ledger::{Computation, Note};
    let mut applied = std::collections::BTreeSet::new();
    for entry in entries {
        let beaten = entry.notes.iter().any(|n| {
            matches!(
                n,
                Note::NotHighest { .. } | Note::Excepted { .. } | Note::NothingToRepair
            )
        });
        if entry.line.is_some() && !beaten && entry.computation != Computation::NotScored {
            applied.extend(entry.clause);
        }
    }
    applied
}

/// The registers of a compact with households and one roster (kind 1) from CSV texts; fails
/// the test on any error.
pub fn households_and_roster(
    compact: &xiangyue::model::Compact,
    households: &str,
    roster: &str,
) -> Vec<xiangyue::data::Register> {
    use xiangyue::data::{TableReader, read_register};
    let (mut errors, mut warnings) = (Vec::new(), Vec::new());
    let mut table = TableReader::from_csv_text(households, "register.csv").expect("register");
    let households = read_register(&mut table, compact, 0, None, &mut errors, &mut warnings);
    let mut table = TableReader::from_csv_text(roster, "roster.csv").expect("roster");
    let members = read_register(
        &mut table,
        compact,
        1,
        Some(&households),
        &mut errors,
        &mut warnings,
    );
    assert!(errors.is_empty(), "{errors:?}");
    vec![households, members]
}

/// Runs the binary in `dir` as on day `today` (at 09:00 that day: `XIANGYUE_TODAY`,
/// `XIANGYUE_NOW`); gives the exit code, stdout and stderr.
pub fn run_on(dir: &Path, today: &str, args: &[&str]) -> (i32, String, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_xiangyue"))
        .args(args)
        .current_dir(dir)
        .env("XIANGYUE_TODAY", today)
        .env("XIANGYUE_NOW", format!("{today} 09:00:00"))
        .env_remove("CI")
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).to_string(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}
