//! Synthetic villages: a register, rosters and an event log that conform to a compact, for
//! trying a draft before real data exists and for benchmarks. Sits beside the pipeline: it
//! reads a checked [`Compact`] and produces rows as text; `cli::synth` writes them to files.
//!
//! Deterministic: a hand-written SplitMix64 seeded from `--seed` drives every choice, and only
//! exactly rounded float operations (`sqrt`, division) are used, so the same arguments give
//! byte-identical files on any machine.
//!
//! Realism, roughly: household (and person) activity follows a Pareto law of shape 2 — most
//! subjects have a few records, a few have many; awards are common, deductions rarer, vetoes
//! and repairs rare; a repair follows an offence of the same subject; 审核 is mostly 通过 with a
//! few 待审 and 驳回. Each period starts with one record of every event kind a clause uses
//! (round-robin), so every clause has something to work on once the log is large enough.
//! Field values are valid for their types and aimed at the compact's own thresholds: numbers
//! land below, on and above every bound a condition compares them with, and a 分值区间 field
//! always lies inside its range.

mod values;

use std::fmt::Write as _;

use crate::eval::Period;
use crate::model::value::{Day, date_of};
use crate::model::{Action, Compact, EventId, HOUSEHOLD, KindId, Rule, ValueType};

use values::Marks;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SynthOptions {
    /// Households in the register.
    pub households: u32,
    /// Event records in the log.
    pub events: u64,
    /// The seed; the same seed gives the same files.
    pub seed: u64,
    /// How many periods (years) the log spans.
    pub years: u32,
    /// The year the last period starts in; by default the log starts with the period the
    /// compact takes effect in.
    pub last_year: Option<i32>,
}

/// SplitMix64 (Steele, Lea and Flood): tiny, fast, and good enough for synthetic data.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`0` when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        // Lemire's multiply-shift: unbiased enough for data, no division.
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// A float in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Whether an event of probability `percent`/100 happens.
    pub fn percent(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One of `items` (none when empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len() as u64) as usize)
    }
}

/// Draws indexes with given weights: a cumulative table searched by bisection.
#[derive(Debug, Clone)]
struct Weighted {
    cumulative: Vec<f64>,
}

impl Weighted {
    fn new(weights: impl IntoIterator<Item = f64>) -> Self {
        let mut total = 0.0;
        let cumulative = weights
            .into_iter()
            .map(|w| {
                total += w;
                total
            })
            .collect();
        Weighted { cumulative }
    }

    /// Pareto weights of shape 2 (`1/sqrt(u)`): mean 2, median 1.4, the busiest of 200,000
    /// about 450.
    fn pareto(n: usize, rng: &mut Rng) -> Self {
        Weighted::new((0..n).map(|_| 1.0 / (1.0 - rng.unit()).sqrt()))
    }

    fn draw(&self, rng: &mut Rng) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let x = rng.unit() * total;
        self.cumulative
            .partition_point(|c| *c <= x)
            .min(self.cumulative.len().saturating_sub(1))
    }
}

/// Per event kind: how often it happens relative to others (awards 100, deductions 40,
/// repairs 10, vetoes 2, kinds no clause uses 20).
fn kind_weights(compact: &Compact) -> Vec<f64> {
    compact
        .events
        .iter()
        .enumerate()
        .map(|(e, _)| {
            let mut weight: f64 = 20.0;
            let mut used = false;
            for rule in compact.clauses.iter().flat_map(|c| &c.rules) {
                let Rule::Event(rule) = rule else { continue };
                if !rule.events.contains(&e) {
                    continue;
                }
                let w = match &rule.action {
                    Action::Veto(_) => 2.0,
                    Action::Repair { .. } => 10.0,
                    Action::Fixed { points } | Action::PerUnit { points, .. }
                        if points.is_sign_negative() =>
                    {
                        40.0
                    }
                    Action::Range {
                        sign: crate::model::Sign::Deduct,
                        ..
                    } => 40.0,
                    _ => 100.0,
                };
                weight = if used { weight.min(w) } else { w };
                used = true;
            }
            weight
        })
        .collect()
}

/// Event kinds that some clause uses (scoring rules and streaks), in declaration order.
pub fn used_kinds(compact: &Compact) -> Vec<EventId> {
    (0..compact.events.len())
        .filter(|e| {
            compact
                .clauses
                .iter()
                .flat_map(|c| &c.rules)
                .any(|r| match r {
                    Rule::Event(rule) => rule.events.contains(e),
                    Rule::Streak(rule) => rule.events.contains(e),
                    Rule::Base(_) => false,
                })
        })
        .collect()
}

/// Persons on a roster: twice the households when the roster's events are all the events
/// (a compact that scores residents), fewer in proportion otherwise, at least one.
fn roster_size(compact: &Compact, kind: KindId, households: u32) -> u32 {
    let all = compact.events.len().max(1) as u64;
    let own = compact.events.iter().filter(|e| e.owner == kind).count() as u64;
    let share = if own == 0 { 1 } else { own };
    u32::try_from((u64::from(households) * 2 * share / all).max(1)).unwrap_or(u32::MAX)
}

/// A generator for one compact: the register, the rosters and the log, row by row.
pub struct Synth<'a> {
    compact: &'a Compact,
    options: SynthOptions,
    marks: Marks,
    /// Persons per subject kind (households first).
    sizes: Vec<u32>,
}

impl<'a> Synth<'a> {
    /// Plans a village for `compact`.
    pub fn new(compact: &'a Compact, options: SynthOptions) -> Self {
        let sizes = compact
            .kinds
            .iter()
            .enumerate()
            .map(|(k, _)| {
                if k == HOUSEHOLD {
                    options.households.max(1)
                } else {
                    roster_size(compact, k, options.households.max(1))
                }
            })
            .collect();
        Synth {
            compact,
            options,
            marks: Marks::new(compact),
            sizes,
        }
    }

    /// How many subjects of `kind` there are.
    pub fn size(&self, kind: KindId) -> u32 {
        self.sizes.get(kind).copied().unwrap_or(0)
    }

    /// The id of subject `index` of `kind`: H0000001 for households, P0000001 for persons.
    pub fn id(kind: KindId, index: u32) -> String {
        let mut s = String::new();
        push_id(&mut s, kind, index);
        s
    }

    /// The periods the log spans: `years` periods ending with the one starting in `last_year`
    /// when it is given, else starting with the one the compact takes effect in (2024 when it
    /// has no effective date).
    pub fn periods(&self) -> Vec<Period> {
        let years = i32::try_from(self.options.years.max(1)).unwrap_or(1);
        if let Some(last) = self.options.last_year {
            return (last - years + 1..=last)
                .map(|year| Period::starting(year, self.compact.period_start))
                .collect();
        }
        let first = self.compact.effective.map_or_else(
            || Period::starting(2024, self.compact.period_start),
            |d| Period::containing(crate::model::value::day_of(d), self.compact.period_start),
        );
        (0..self.options.years.max(1))
            .map(|i| {
                Period::starting(
                    first.year + i32::try_from(i).unwrap_or(0),
                    self.compact.period_start,
                )
            })
            .collect()
    }

    /// The register (when `kind` is households) or a roster, as CSV lines, each ending in a
    /// newline, passed one by one to `line`.
    pub fn subjects(&self, kind: KindId, mut line: impl FnMut(&str)) {
        let Some(subject) = self.compact.kinds.get(kind) else {
            return;
        };
        let mut rng = Rng::new(self.options.seed ^ (0x5157_0000 + kind as u64));
        let mut row = String::new();
        row.push_str(if kind == HOUSEHOLD {
            "户号"
        } else {
            "编号,户号"
        });
        for a in &subject.attributes {
            row.push(',');
            push_cell(&mut row, &a.name);
        }
        row.push('\n');
        line(&row);
        let households = self.size(HOUSEHOLD);
        for i in 0..self.size(kind) {
            row.clear();
            push_id(&mut row, kind, i);
            if kind != HOUSEHOLD {
                row.push(',');
                let household = if self.size(kind) >= households {
                    i % households
                } else {
                    rng.below(u64::from(households)) as u32
                };
                push_id(&mut row, HOUSEHOLD, household);
            }
            for (a, attribute) in subject.attributes.iter().enumerate() {
                row.push(',');
                let value = self.marks.attribute_value(kind, a, attribute, i, &mut rng);
                push_cell(&mut row, &value);
            }
            row.push('\n');
            line(&row);
        }
    }

    /// The event log as CSV lines (header first), in date order, passed one by one to `line`.
    /// Memory does not grow with the number of events.
    pub fn events(&self, mut line: impl FnMut(&str)) {
        let compact = self.compact;
        let mut rng = Rng::new(self.options.seed ^ 0xe7e7_5eed);
        let subject_weights: Vec<Weighted> = self
            .sizes
            .iter()
            .map(|n| Weighted::pareto(*n as usize, &mut rng))
            .collect();
        let kinds = Weighted::new(kind_weights(compact));
        let round_robin = used_kinds(compact);
        let persons = compact.events.iter().any(|e| e.owner != HOUSEHOLD);
        let households = compact.events.iter().any(|e| e.owner == HOUSEHOLD);
        // Columns: every field and evidence name once, in declaration order.
        let mut columns: Vec<(String, ValueType)> = Vec::new();
        for e in &compact.events {
            for f in &e.fields {
                if !columns.iter().any(|(n, _)| *n == f.name) {
                    columns.push((f.name.clone(), f.ty.clone()));
                }
            }
        }
        let mut evidence: Vec<String> = Vec::new();
        for e in &compact.events {
            for p in &e.evidence {
                if !evidence.contains(p) && !columns.iter().any(|(n, _)| n == p) {
                    evidence.push(p.clone());
                }
            }
        }
        // For each event kind: the column of each field, and of each evidence.
        let field_columns: Vec<Vec<usize>> = compact
            .events
            .iter()
            .map(|e| {
                e.fields
                    .iter()
                    .filter_map(|f| columns.iter().position(|(n, _)| *n == f.name))
                    .collect()
            })
            .collect();
        let evidence_columns: Vec<Vec<usize>> = compact
            .events
            .iter()
            .map(|e| {
                e.evidence
                    .iter()
                    .filter_map(|p| {
                        evidence
                            .iter()
                            .position(|n| n == p)
                            .map(|i| i + columns.len())
                    })
                    .collect()
            })
            .collect();
        let width = columns.len() + evidence.len();
        let mut row = String::from("日期");
        if households {
            row.push_str(",户号");
        }
        if persons {
            row.push_str(",人员");
        }
        row.push_str(",事项");
        for name in columns.iter().map(|(n, _)| n).chain(&evidence) {
            row.push(',');
            push_cell(&mut row, name);
        }
        // 编号 last: each record its own, so that rows alike (one household's two days of
        // work on one day) are two records, not a suspected double entry.
        row.push_str(",审核,编号\n");
        line(&row);

        // The offender behind each repairable kind, so that repairs follow offences.
        let repair_targets = values::repair_targets(compact);
        let mut last_subject: Vec<Option<u32>> = vec![None; compact.events.len()];
        let periods = self.periods();
        let first = periods.first().map_or(0, |p| p.start);
        let end = periods.last().map_or(first + 1, |p| p.end);
        let days = u64::try_from(end - first).unwrap_or(1).max(1);
        let total = self.options.events;
        let mut cells: Vec<String> = vec![String::new(); width];
        let mut written: u64 = 0;
        let mut in_period: usize = 0;
        let mut period_end = first;
        for d in 0..days {
            let day: Day = first + i32::try_from(d).unwrap_or(0);
            if day >= period_end {
                in_period = 0;
                period_end = periods
                    .iter()
                    .find(|p| p.start <= day && day < p.end)
                    .map_or(end, |p| p.end);
                last_subject.iter_mut().for_each(|s| *s = None);
            }
            let until = (u128::from(total) * u128::from(d + 1) / u128::from(days)) as u64;
            if written >= until {
                continue;
            }
            let mut date = String::new();
            let _ = write!(date, "{}", date_of(day));
            while written < until {
                written += 1;
                let forced = round_robin.get(in_period).copied();
                in_period += 1;
                let event = forced.unwrap_or_else(|| kinds.draw(&mut rng));
                let Some(kind) = compact.events.get(event) else {
                    continue;
                };
                let owner = kind.owner;
                let offender = repair_targets
                    .get(event)
                    .and_then(|targets| {
                        // Only an offender of the same kind (a repair of a household's
                        // offence is the household's).
                        targets
                            .iter()
                            .filter(|t| compact.events.get(**t).is_some_and(|k| k.owner == owner))
                            .find_map(|t| last_subject.get(*t)?.as_ref())
                    })
                    .copied();
                let subject = offender.unwrap_or_else(|| {
                    subject_weights
                        .get(owner)
                        .map_or(0, |w| w.draw(&mut rng) as u32)
                });
                if let Some(s) = last_subject.get_mut(event) {
                    *s = Some(subject);
                }
                cells.iter_mut().for_each(String::clear);
                if let Some(fields) = field_columns.get(event) {
                    for (f, column) in fields.iter().enumerate() {
                        if let (Some(cell), Some(field)) =
                            (cells.get_mut(*column), kind.fields.get(f))
                        {
                            self.marks
                                .field_value(event, f, &field.ty, day, &mut rng, cell);
                        }
                    }
                }
                if let Some(proofs) = evidence_columns.get(event) {
                    for column in proofs {
                        if let Some(cell) = cells.get_mut(*column) {
                            cell.push('有');
                        }
                    }
                }
                row.clear();
                row.push_str(&date);
                if households {
                    row.push(',');
                    if owner == HOUSEHOLD {
                        push_id(&mut row, HOUSEHOLD, subject);
                    }
                }
                if persons {
                    row.push(',');
                    if owner != HOUSEHOLD {
                        push_id(&mut row, owner, subject);
                    }
                }
                row.push(',');
                push_cell(&mut row, &kind.name);
                for cell in &cells {
                    row.push(',');
                    push_cell(&mut row, cell);
                }
                let status = if forced.is_some() {
                    "通过"
                } else {
                    match rng.below(100) {
                        0..=2 => "待审",
                        3..=4 => "驳回",
                        _ => "通过",
                    }
                };
                row.push(',');
                row.push_str(status);
                let _ = write!(row, ",R{written:09}");
                row.push('\n');
                line(&row);
            }
        }
    }
}

/// Appends the id of subject `index` of `kind`.
fn push_id(out: &mut String, kind: KindId, index: u32) {
    let prefix = if kind == HOUSEHOLD {
        'H'
    } else if kind == 1 {
        'P'
    } else {
        // Further rosters get their own letters so ids never collide.
        char::from_u32(u32::from(b'P') + kind as u32 - 1).unwrap_or('Q')
    };
    let _ = write!(out, "{prefix}{:07}", u64::from(index) + 1);
}

/// Appends a CSV cell, quoted when it needs to be.
fn push_cell(out: &mut String, text: &str) {
    if text.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Compact {
        let source = include_str!("../../compacts/youxiqiao-demo/youxiqiao.xy");
        crate::compile::compile(source)
            .compact
            .unwrap_or_else(|| unreachable!("the sample checks"))
    }

    fn log(compact: &Compact, options: SynthOptions) -> String {
        let mut text = String::new();
        Synth::new(compact, options).events(|l| text.push_str(l));
        text
    }

    const SMALL: SynthOptions = SynthOptions {
        households: 50,
        events: 2_000,
        seed: 7,
        years: 2,
        last_year: None,
    };

    #[test]
    fn the_same_seed_gives_the_same_log_and_another_seed_another() {
        let compact = sample();
        assert_eq!(log(&compact, SMALL), log(&compact, SMALL));
        let other = SynthOptions { seed: 8, ..SMALL };
        assert_ne!(log(&compact, SMALL), log(&compact, other));
    }

    #[test]
    fn the_log_has_the_asked_number_of_records_in_date_order() {
        let compact = sample();
        let text = log(&compact, SMALL);
        let dates: Vec<&str> = text
            .lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap_or(""))
            .collect();
        assert_eq!(dates.len(), 2_000);
        assert!(dates.windows(2).all(|w| w.first() <= w.get(1)));
        assert!(dates.first().is_some_and(|d| d.starts_with("2024-01-01")));
        assert!(dates.last().is_some_and(|d| d.starts_with("2025-12")));
        let later = log(
            &compact,
            SynthOptions {
                last_year: Some(2030),
                ..SMALL
            },
        );
        let first = later.lines().nth(1).unwrap_or("");
        assert!(first.starts_with("2029-01-01"), "{first}");
    }

    #[test]
    fn activity_is_skewed() {
        let compact = sample();
        let options = SynthOptions {
            households: 1_000,
            events: 50_000,
            ..SMALL
        };
        let text = log(&compact, options);
        let mut counts = std::collections::HashMap::<&str, u32>::new();
        for l in text.lines().skip(1) {
            let household = l.split(',').nth(1).unwrap_or("");
            if !household.is_empty() {
                *counts.entry(household).or_default() += 1;
            }
        }
        let mut sorted: Vec<u32> = counts.values().copied().collect();
        sorted.sort_unstable();
        let median = sorted.get(sorted.len() / 2).copied().unwrap_or(0);
        let top = sorted.last().copied().unwrap_or(0);
        assert!(top > 5 * median, "top {top}, median {median}");
    }

    #[test]
    fn rng_below_stays_in_range() {
        let mut rng = Rng::new(1);
        assert!((0..10_000).all(|_| rng.below(7) < 7));
        assert_eq!(rng.below(0), 0);
    }
}

/// One village of a synthetic county: its township's folder, its own folder and its seed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountyVillage {
    /// The township's folder: 镇01, 镇02, ….
    pub township: String,
    /// The village's folder: 村0001, 村0002, … (numbered across the county).
    pub village: String,
    /// The seed of its files: the county's seed plus the village's index, so that no two
    /// villages are alike and the same arguments give the same county.
    pub seed: u64,
}

/// The villages of a synthetic county of `villages` villages in `townships` townships (at
/// least one; at most one a village), dealt out in order: township `t` of `T` holds villages
/// `⌊t·N/T⌋ .. ⌊(t+1)·N/T⌋`. Names are padded with zeros so that they sort in order.
pub fn county_layout(villages: u32, townships: u32, seed: u64) -> Vec<CountyVillage> {
    let townships = townships.clamp(1, villages.max(1));
    let town_width = townships.to_string().len().max(2);
    let village_width = villages.to_string().len().max(4);
    let mut out = Vec::with_capacity(villages as usize);
    for t in 0..townships {
        let from = u64::from(t) * u64::from(villages) / u64::from(townships);
        let to = u64::from(t + 1) * u64::from(villages) / u64::from(townships);
        for v in from..to {
            out.push(CountyVillage {
                township: format!("镇{:0town_width$}", t + 1),
                village: format!("村{:0village_width$}", v + 1),
                seed: seed.wrapping_add(v),
            });
        }
    }
    out
}

#[cfg(test)]
mod county_tests {
    #[test]
    fn a_county_deals_its_villages_out_in_order() {
        let layout = super::county_layout(5, 2, 7);
        let names: Vec<(String, String, u64)> = layout
            .into_iter()
            .map(|v| (v.township, v.village, v.seed))
            .collect();
        assert_eq!(
            names,
            vec![
                ("镇01".into(), "村0001".into(), 7),
                ("镇01".into(), "村0002".into(), 8),
                ("镇02".into(), "村0003".into(), 9),
                ("镇02".into(), "村0004".into(), 10),
                ("镇02".into(), "村0005".into(), 11),
            ]
        );
        assert_eq!(super::county_layout(3, 9, 1).len(), 3);
    }
}
