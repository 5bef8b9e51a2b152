//! A village's data as the page loaded it — register, rosters, event log as text (or a
//! workbook's cells), the dividend's amount — and what the page asks of it: evaluate a compact
//! over it, explain one household, compare two versions (the vote report).
//!
//! The tables are read by the core's one reader (`xiangyue::data::TableReader`, the same that
//! reads files for `xiangyue eval`), checked against the compact, and evaluated by the core's
//! evaluator in date order. Bad rows are never dropped in silence: they are left out of the
//! computation and every one is reported with its file, line and reason, as `eval
//! --reject-file` does. The checked records are kept while the compact's declarations (the
//! register's columns, the rosters, the 事项 and their fields) stay the same, so that typing in
//! a clause re-runs only the evaluator.

use crate::templates::compile;
use indexmap::IndexMap;
use miette::Diagnostic;
use rust_decimal::Decimal;
use serde::Serialize;
use xiangyue::data::{
    DataError, DataWarning, EventReader, EventRecord, Next, Register, TableReader, read_register,
};
use xiangyue::diff::impact::{Side, impact};
use xiangyue::diff::{ClauseSums, compare};
use xiangyue::eval::ledger::{NoLedger, Sink, SubjectLedger};
use xiangyue::eval::{Evaluator, PeriodChoice, Results};
use xiangyue::model::value::{Day, parse_money};
use xiangyue::model::{Compact, HOUSEHOLD};
use xiangyue::report::explain::{ExplainInput, explain_json};
use xiangyue::report::results::{HouseholdJson, PeriodInfo, household_json, period_json};

/// A table as loaded: its file name and its content.
#[derive(Debug, Clone)]
pub enum Source {
    /// CSV (or, for a name ending in .jsonl, JSON Lines) text, already decoded to UTF-8.
    Text { file: String, text: String },
    /// A workbook's sheet: the header, then rows with their row numbers.
    Rows {
        file: String,
        header: Vec<String>,
        rows: Vec<(u64, Vec<String>)>,
    },
}

impl Source {
    fn file(&self) -> &str {
        match self {
            Source::Text { file, .. } | Source::Rows { file, .. } => file,
        }
    }

    fn open(&self) -> Result<TableReader, DataError> {
        match self {
            Source::Text { file, text } if is_jsonl(file) => {
                TableReader::from_jsonl_text(text, file)
            }
            Source::Text { file, text } => TableReader::from_csv_text(text, file),
            Source::Rows { file, header, rows } => {
                TableReader::from_rows(header.clone(), rows.clone(), file)
            }
        }
    }
}

fn is_jsonl(file: &str) -> bool {
    let lower = file.to_lowercase();
    lower.ends_with(".jsonl") || lower.ends_with(".ndjson")
}

/// A problem with the data, for the page.
#[derive(Debug, Clone, Serialize)]
pub struct ProblemJson {
    /// E02xx / W02xx.
    pub code: String,
    /// The file.
    pub file: String,
    /// The line (0 for the whole file).
    pub line: u64,
    /// What is wrong, and what to do.
    pub message: String,
}

fn error_json(error: &DataError) -> ProblemJson {
    let mut message = error.to_string();
    if let Some(help) = error.help() {
        message.push('；');
        message.push_str(&help.to_string());
    }
    ProblemJson {
        code: error.code(),
        file: error.file().to_string(),
        line: error.line(),
        message,
    }
}

fn warning_json(warning: &DataWarning) -> ProblemJson {
    ProblemJson {
        code: warning.code().to_string(),
        file: String::new(),
        line: 0,
        message: warning.to_string(),
    }
}

/// A bad row of the log: left out, with every reason.
#[derive(Debug, Clone, Serialize)]
pub struct RejectedJson {
    /// The file.
    pub file: String,
    /// The line.
    pub line: u64,
    /// Why (one entry per error in the row).
    pub errors: Vec<ProblemJson>,
}

/// The data read for one compact's declarations.
struct Checked {
    /// The declarations the records were checked against (their JSON), the cache's key.
    key: String,
    /// The data's version when read.
    version: u64,
    registers: Vec<Register>,
    /// Good records in date order (ties in file order).
    records: Vec<EventRecord>,
    /// Errors that stop the evaluation (a register's, or a log that cannot be read at all).
    errors: Vec<ProblemJson>,
    /// Bad rows of the log.
    rejected: Vec<RejectedJson>,
    warnings: Vec<ProblemJson>,
    /// Rows in the log (good and bad).
    rows: u64,
}

/// The village loaded in the page.
#[derive(Default)]
pub struct Village {
    pub register: Option<Source>,
    pub events: Option<Source>,
    /// Rosters by name (党员 …), as the compact's 名册 names them.
    pub rosters: IndexMap<String, Source>,
    /// 分红.txt: the dividend's amount, e.g. 300000元.
    pub pool: Option<String>,
    /// Records dated after this day are refused (E0220), as `eval` does without
    /// `--allow-future`; the page gives today.
    pub today: Option<Day>,
    /// Bumped at every change of the data, so that cached records are read again.
    pub version: u64,
    checked: Option<Checked>,
}

/// How the evaluation went, for the page.
#[derive(Debug, Serialize)]
pub struct EvaluationJson {
    /// Whether results were computed.
    pub ok: bool,
    /// Why not, when not: the compact has errors, data is missing, a register has errors.
    pub reason: Option<String>,
    /// 乡约「…」.
    pub title: String,
    /// The period computed.
    pub period: Option<PeriodInfo>,
    /// The household accounts, in compact order (the columns of the table).
    pub accounts: Vec<String>,
    /// The default account (each household's 总分).
    pub total_account: Option<String>,
    /// The first household rating's name (星级).
    pub rating: Option<String>,
    /// Every household, in register order, as `eval --format json` writes it.
    pub households: Vec<HouseholdJson>,
    /// Errors that stopped the computation.
    pub errors: Vec<ProblemJson>,
    /// Bad rows left out of the computation, each with its reasons.
    pub rejected: Vec<RejectedJson>,
    /// How many bad rows there were (all of them are in `rejected`).
    pub rejected_count: usize,
    /// Data warnings.
    pub warnings: Vec<ProblemJson>,
    /// Rows in the log, good and bad.
    pub rows: u64,
    /// Good records.
    pub records: usize,
    /// Whether the compact pays a dividend (分红): the table has a column for it only then.
    pub has_dividend: bool,
    /// The dividend's amount, in fen.
    pub pool_fen: Option<i64>,
    /// What was shared out, in fen.
    pub distributed_fen: i64,
    /// The sum of the households' totals.
    pub total_points: Option<String>,
}

impl EvaluationJson {
    fn failed(reason: impl Into<String>) -> Self {
        EvaluationJson {
            ok: false,
            reason: Some(reason.into()),
            title: String::new(),
            period: None,
            accounts: Vec::new(),
            total_account: None,
            rating: None,
            households: Vec::new(),
            errors: Vec::new(),
            rejected: Vec::new(),
            rejected_count: 0,
            warnings: Vec::new(),
            rows: 0,
            records: 0,
            has_dividend: false,
            pool_fen: None,
            distributed_fen: 0,
            total_points: None,
        }
    }
}

/// The key of the records' cache: what checking a record depends on — the register's and
/// rosters' columns, the 事项 and their fields —, without where they are written (an edit
/// above them moves their spans, not their meaning).
fn declarations_key(compact: &Compact) -> String {
    fn strip_spans(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                map.remove("span");
                map.values_mut().for_each(strip_spans);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip_spans),
            _ => {}
        }
    }
    let mut value = serde_json::to_value((&compact.kinds, &compact.events)).unwrap_or_default();
    strip_spans(&mut value);
    value.to_string()
}

impl Village {
    /// No data, refusing records after `today`.
    pub fn empty_on(today: Option<Day>) -> Self {
        Village {
            today,
            ..Village::default()
        }
    }

    /// Notes a change of the data.
    pub fn changed(&mut self) {
        self.version += 1;
        self.checked = None;
    }

    /// The dividend's amount in fen, when 分红.txt gives a readable one.
    fn pool_fen(&self) -> Option<i64> {
        self.pool
            .as_deref()
            .and_then(parse_money)
            .filter(|fen| *fen >= 0)
    }

    /// Reads (or takes from the cache) the registers and records for `compact`.
    fn checked(&mut self, compact: &Compact) -> Result<&Checked, String> {
        let key = declarations_key(compact);
        let fresh = self
            .checked
            .as_ref()
            .is_some_and(|c| c.key == key && c.version == self.version);
        if !fresh {
            let checked = self.read(compact, key)?;
            self.checked = Some(checked);
        }
        self.checked.as_ref().ok_or_else(String::new)
    }

    fn read(&self, compact: &Compact, key: String) -> Result<Checked, String> {
        let Some(register) = &self.register else {
            return Err("还没有户籍：拖入户籍（register.csv）或载入示例村".to_string());
        };
        let Some(events) = &self.events else {
            return Err("还没有事项记录：拖入事项记录（events.csv）或载入示例村".to_string());
        };
        let mut errors: Vec<DataError> = Vec::new();
        let mut warnings: Vec<DataWarning> = Vec::new();
        let mut registers: Vec<Register> = compact
            .kinds
            .iter()
            .enumerate()
            .map(|(kind, k)| Register::empty(kind, k.attributes.len(), ""))
            .collect();
        match register.open() {
            Ok(mut table) => {
                let households = read_register(
                    &mut table,
                    compact,
                    HOUSEHOLD,
                    None,
                    &mut errors,
                    &mut warnings,
                );
                if let Some(slot) = registers.get_mut(HOUSEHOLD) {
                    *slot = households;
                }
            }
            Err(e) => errors.push(e),
        }
        for (kind, subject) in compact.kinds.iter().enumerate().skip(1) {
            let Some(source) = self.rosters.get(&subject.name) else {
                continue;
            };
            match source.open() {
                Ok(mut table) => {
                    let roster = read_register(
                        &mut table,
                        compact,
                        kind,
                        registers.first(),
                        &mut errors,
                        &mut warnings,
                    );
                    if let Some(slot) = registers.get_mut(kind) {
                        *slot = roster;
                    }
                }
                Err(e) => errors.push(e),
            }
        }
        let mut checked = Checked {
            key,
            version: self.version,
            registers: Vec::new(),
            records: Vec::new(),
            errors: Vec::new(),
            rejected: Vec::new(),
            warnings: Vec::new(),
            rows: 0,
        };
        if errors.is_empty() {
            let mut log_errors = Vec::new();
            self.read_log(compact, &registers, events, &mut checked, &mut log_errors);
            errors.extend(log_errors);
        }
        checked.errors = errors.iter().map(error_json).collect();
        checked.warnings.extend(warnings.iter().map(warning_json));
        checked.registers = registers;
        Ok(checked)
    }

    fn read_log(
        &self,
        compact: &Compact,
        registers: &[Register],
        events: &Source,
        checked: &mut Checked,
        errors: &mut Vec<DataError>,
    ) {
        let table = match events.open() {
            Ok(table) => table,
            Err(e) => {
                errors.push(e);
                return;
            }
        };
        let mut reader = match EventReader::new(table, compact, registers) {
            Ok(reader) => reader,
            Err(e) => {
                errors.push(e);
                return;
            }
        };
        reader.refuse_after(self.today);
        // Read all, then sorted by date: rows alike may have later days between them.
        reader.keep_every_day();
        let mut record = EventRecord::new();
        loop {
            match reader.next(&mut record) {
                Ok(Next::End) => break,
                Ok(Next::Record) => {
                    checked.rows += 1;
                    checked.records.push(record.clone());
                }
                Ok(Next::Bad(found)) => {
                    checked.rows += 1;
                    checked.rejected.push(RejectedJson {
                        file: events.file().to_string(),
                        line: found.first().map_or(0, DataError::line),
                        errors: found.iter().map(error_json).collect(),
                    });
                }
                Err(e) => {
                    errors.push(e);
                    return;
                }
            }
        }
        checked
            .warnings
            .extend(reader.take_warnings().iter().map(warning_json));
        checked.records.sort_by_key(|r| (r.day, r.line));
    }

    /// Evaluates `records` under `compact` for the period with the most records (as `eval`
    /// does without `--period`), with the sink `make_sink` makes.
    fn run<S: Sink>(
        compact: &Compact,
        checked: &Checked,
        pool_fen: Option<i64>,
        make_sink: impl Fn() -> S,
    ) -> (Results, S) {
        let once = |choice| {
            let mut evaluator = Evaluator::new(compact, &checked.registers, choice, make_sink());
            for record in &checked.records {
                // Sorted by date: never out of order.
                let _ = evaluator.push(record);
            }
            evaluator.finish(pool_fen)
        };
        let (results, sink) = once(PeriodChoice::Latest);
        if let Some(most) = results.summary.periods.most()
            && most.year != results.period.year
        {
            return once(PeriodChoice::Year(most.year));
        }
        (results, sink)
    }

    /// Every household's balances, rating, veto, dividend under the compact `source`.
    pub fn evaluate(&mut self, source: &str) -> EvaluationJson {
        let compiled = compile(source);
        let Some(compact) = compiled.compact else {
            return EvaluationJson::failed("乡约有错误，改正后才能计算");
        };
        let pool_fen = self.pool_fen();
        let events_file = self.events.as_ref().map_or("", Source::file).to_string();
        let checked = match self.checked(&compact) {
            Ok(checked) => checked,
            Err(reason) => return EvaluationJson::failed(reason),
        };
        let mut out = EvaluationJson::failed("");
        out.title = compact.title.clone();
        out.errors = checked.errors.clone();
        out.rejected_count = checked.rejected.len();
        out.rejected = checked.rejected.clone();
        out.warnings = checked.warnings.clone();
        out.rows = checked.rows;
        out.records = checked.records.len();
        if !checked.errors.is_empty() {
            out.reason = Some(format!(
                "户籍、名册或事项记录有 {} 处错误，未计算",
                checked.errors.len()
            ));
            return out;
        }
        let (results, _) = Self::run(&compact, checked, pool_fen, || NoLedger);
        let register = checked.registers.get(HOUSEHOLD);
        if let Some(kind) = results.kinds.iter().find(|k| k.kind == HOUSEHOLD) {
            out.accounts = kind
                .accounts
                .iter()
                .filter_map(|a| compact.accounts.get(*a).map(|a| a.name.clone()))
                .collect();
            out.rating = kind
                .ratings
                .first()
                .and_then(|r| compact.ratings.get(*r))
                .map(|r| r.name.clone());
            out.households = kind
                .subjects
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let name = u32::try_from(i)
                        .ok()
                        .and_then(|i| register.and_then(|r| r.name(i)));
                    household_json(&compact, kind, s, name, &events_file)
                })
                .collect();
        }
        out.total_account = compact
            .default_account(HOUSEHOLD)
            .and_then(|a| compact.accounts.get(a))
            .map(|a| a.name.clone());
        let mut sum = Decimal::ZERO;
        let mut any = false;
        for h in &out.households {
            if let Some(total) = h.total.as_deref().and_then(|t| t.parse::<Decimal>().ok()) {
                sum += total;
                any = true;
            }
        }
        out.total_points = any.then(|| sum.normalize().to_string());
        out.period = Some(period_json(&results));
        out.has_dividend = compact.dividend.is_some();
        out.pool_fen = results.dividend.as_ref().and_then(|d| d.pool_fen);
        out.distributed_fen = results.dividend.as_ref().map_or(0, |d| d.distributed_fen);
        out.ok = true;
        out.reason = None;
        out
    }

    /// One household's ledger: every line with its clause (number, 原文, where it is written)
    /// and record (file and line).
    pub fn explain(&mut self, source: &str, household: &str) -> Result<serde_json::Value, String> {
        let compiled = compile(source);
        let compact = compiled
            .compact
            .ok_or_else(|| "乡约有错误，改正后才能说明".to_string())?;
        let pool_fen = self.pool_fen();
        let events_file = self.events.as_ref().map_or("", Source::file).to_string();
        let checked = self.checked(&compact)?;
        if !checked.errors.is_empty() {
            return Err("户籍、名册或事项记录有错误".to_string());
        }
        let subject = checked
            .registers
            .get(HOUSEHOLD)
            .and_then(|r| r.find(household))
            .ok_or_else(|| format!("户籍中没有户号「{household}」"))?;
        let (results, ledger) = Self::run(&compact, checked, pool_fen, || SubjectLedger {
            kind: HOUSEHOLD,
            subject,
            entries: Vec::new(),
        });
        let input = ExplainInput {
            compact: &compact,
            source,
            compact_file: "乡约",
            events_file: &events_file,
            record_ids: &[],
            registers: &checked.registers,
            results: &results,
            kind: HOUSEHOLD,
            subject,
            entries: &ledger.entries,
        };
        let mut json = serde_json::to_value(explain_json(&input)).map_err(|e| e.to_string())?;
        if let Some(object) = json.as_object_mut() {
            let name = checked
                .registers
                .get(HOUSEHOLD)
                .and_then(|r| r.name(subject))
                .map(str::to_string);
            object.insert("name".to_string(), serde_json::json!(name));
            object.insert(
                "text".to_string(),
                serde_json::json!(xiangyue::report::explain::render_text(&input)),
            );
        }
        Ok(json)
    }

    /// The vote report: `old` (the adopted version) against `new`, with the village's data
    /// evaluated under each.
    pub fn diff(&mut self, old: &str, new: &str) -> Result<DiffJson, String> {
        let old_compact = compile(old)
            .compact
            .ok_or_else(|| "通过的版本有错误，不能比较".to_string())?;
        let new_compact = compile(new)
            .compact
            .ok_or_else(|| "乡约有错误，改正后才能比较".to_string())?;
        let diff = compare(&old_compact, &new_compact);
        let pool_fen = self.pool_fen();
        let has_data = self.register.is_some() && self.events.is_some();
        let (old_file, new_file) = ("通过的版本", "草稿");
        let (register_file, events_file) = (
            self.register.as_ref().map_or("", Source::file).to_string(),
            self.events.as_ref().map_or("", Source::file).to_string(),
        );
        let impact_found = if has_data {
            let old_checked = self.read(&old_compact, declarations_key(&old_compact))?;
            if !old_checked.errors.is_empty() {
                return Err("按通过的版本读数据时有错误".to_string());
            }
            let new_checked = self.checked(&new_compact)?;
            if !new_checked.errors.is_empty() {
                return Err("户籍、名册或事项记录有错误".to_string());
            }
            let (old_results, old_sums) =
                Self::run(&old_compact, &old_checked, pool_fen, ClauseSums::default);
            let (new_results, new_sums) =
                Self::run(&new_compact, new_checked, pool_fen, ClauseSums::default);
            Some(impact(
                &diff,
                Side {
                    compact: &old_compact,
                    results: &old_results,
                    sums: &old_sums,
                    registers: &old_checked.registers,
                },
                Side {
                    compact: &new_compact,
                    results: &new_results,
                    sums: &new_sums,
                    registers: &new_checked.registers,
                },
            ))
        } else {
            None
        };
        let doc = xiangyue::report::diff::DiffDocument {
            old_file,
            new_file,
            old: &old_compact,
            new: &new_compact,
            diff: &diff,
            impact: impact_found.as_ref(),
            data: has_data.then_some((register_file.as_str(), events_file.as_str())),
        };
        let summary = impact_found
            .as_ref()
            .map(xiangyue::report::diff::impact_summary)
            .unwrap_or_default();
        let money = impact_found
            .as_ref()
            .map(xiangyue::report::diff::money_lines)
            .unwrap_or_default();
        Ok(DiffJson {
            equivalent: diff.is_equivalent(),
            counts: xiangyue::report::diff::counts_line(&diff),
            summary,
            money,
            html: xiangyue::report::diff_html::render_html(&doc),
            json: serde_json::from_str(&xiangyue::report::diff_json::render_json(&doc))
                .unwrap_or_default(),
        })
    }
}

/// The vote report for the page.
#[derive(Debug, Serialize)]
pub struct DiffJson {
    /// Whether the two versions mean the same.
    pub equivalent: bool,
    /// 改了 N 条 …
    pub counts: String,
    /// The impact in a few lines.
    pub summary: Vec<String>,
    /// The money: winners and losers.
    pub money: Vec<String>,
    /// The printable meeting report (`diff --format html`), with its histogram.
    pub html: String,
    /// `diff --format json`.
    pub json: serde_json::Value,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    const SAMPLE: &str = include_str!("../../../compacts/youxiqiao-demo/youxiqiao.xy");

    fn text(file: &str, text: &str) -> Option<Source> {
        Some(Source::Text {
            file: file.to_string(),
            text: text.to_string(),
        })
    }

    fn sample(events: &str) -> Village {
        let mut village = Village {
            register: text(
                "register.csv",
                include_str!("../../../compacts/youxiqiao-demo/register.csv"),
            ),
            events: text("events.csv", events),
            pool: Some("300000元".to_string()),
            ..Village::default()
        };
        village.rosters.insert(
            "党员".to_string(),
            text(
                "党员.csv",
                include_str!("../../../compacts/youxiqiao-demo/党员.csv"),
            )
            .unwrap(),
        );
        village
    }

    #[test]
    fn the_sample_gives_what_eval_gave_and_a_bad_row_is_listed() {
        let events = include_str!("../../../compacts/youxiqiao-demo/events.csv");
        let mut village = sample(events);
        let out = village.evaluate(SAMPLE);
        assert!(out.ok, "{:?}", out.reason);
        assert!(out.has_dividend);
        let expected: serde_json::Value = serde_json::from_str(include_str!(
            "../../../compacts/youxiqiao-demo/expected.json"
        ))
        .unwrap();
        let expected = expected["households"].as_array().unwrap();
        assert_eq!(out.households.len(), expected.len());
        for (got, want) in out.households.iter().zip(expected) {
            assert_eq!(got.id, want["id"].as_str().unwrap());
            assert_eq!(got.name.as_deref(), want["name"].as_str());
            assert_eq!(got.total.as_deref(), want["total"].as_str(), "{}", got.id);
            assert_eq!(got.dividend_fen, want["dividend_fen"].as_i64().unwrap());
        }
        assert_eq!(out.rejected_count, 0);

        // One row naming an unknown household: computed without it, and listed.
        let bad = format!("{events}R999999,2024-05-05,A999,,义务投工,2,,,,,,,,,,,,通过,\n");
        let mut village = sample(&bad);
        let out = village.evaluate(SAMPLE);
        assert!(out.ok);
        assert_eq!(out.rejected_count, 1);
        assert_eq!(out.rejected[0].errors[0].code, "E0203");
        assert_eq!(out.rejected[0].line, events.lines().count() as u64 + 1);

        // Editing a clause keeps the records read; changing the data reads them again.
        let edited = SAMPLE.replace("人口 × 10 分", "人口 × 12 分");
        let changed = village.evaluate(&edited);
        assert_ne!(changed.households[0].total, out.households[0].total);
        let explained = village.explain(&edited, "A001").unwrap();
        assert_eq!(explained["subject"], "A001");
        assert_eq!(
            explained["totals"]["户积分"],
            changed.households[0].total.clone().unwrap()
        );
        let report = village.diff(SAMPLE, &edited).unwrap();
        assert!(!report.equivalent);
        assert!(report.html.contains("从宽"));
    }

    #[test]
    fn a_village_on_a_township_template_gives_its_expected_results() {
        let compact = include_str!("../../../compacts/zetou-demo/dongshan/dongshan.xy");
        let mut village = Village {
            register: text(
                "register.csv",
                include_str!("../../../compacts/zetou-demo/dongshan/register.csv"),
            ),
            events: text(
                "events.csv",
                include_str!("../../../compacts/zetou-demo/dongshan/events.csv"),
            ),
            ..Village::default()
        };
        crate::templates::clear();
        let refused = village.evaluate(compact);
        assert!(
            !refused.ok,
            "without its template the compact does not check"
        );
        crate::templates::add(
            "镇模板.xy",
            include_str!("../../../compacts/zetou-demo/镇模板.xy"),
        )
        .unwrap();
        let out = village.evaluate(compact);
        assert!(out.ok, "{:?}", out.reason);
        let expected: serde_json::Value = serde_json::from_str(include_str!(
            "../../../compacts/zetou-demo/dongshan/expected.json"
        ))
        .unwrap();
        let expected = expected["households"].as_array().unwrap();
        assert_eq!(out.households.len(), expected.len());
        for (got, want) in out.households.iter().zip(expected) {
            assert_eq!(got.id, want["id"].as_str().unwrap());
            assert_eq!(
                got.total.as_deref(),
                want["信用积分"].as_str(),
                "{}",
                got.id
            );
            let label = got.rating.as_ref().and_then(|r| r.label.as_deref());
            assert_eq!(label, want["星级"].as_str(), "{}", got.id);
        }
        assert!(
            !out.has_dividend,
            "东山村 pays no dividend: no column for it"
        );
        crate::templates::clear();
    }
}
