//! Compact + register + event records → ledger, totals, ratings, vetoes and dividends.
//!
//! The evaluator is fed records one at a time, in date order (ties in input order), and keeps
//! per subject only what the rules need (balances, counts, running sums) — memory grows with
//! subjects × rules, not with records. It does no IO. Records before the evaluated period are
//! read for history only (streaks); records after it are not used.
//!
//! ```text
//!   new ──► push(record) … ──► finish(pool) ──► Results (+ the sink's ledger)
//!             │ apply: conditions → exceptions → amounts → take-the-highest → caps → credit
//!             └ period end (close): streaks → zeroed accounts → ranks → ratings → dividend
//! ```

mod apply;
mod buckets;
mod carry;
mod close;
pub mod conditions;
pub mod dividend;
pub mod examples;
pub mod ledger;
pub mod parallel;
pub mod period;
pub mod results;
pub mod state;
mod sums;

use rustc_hash::FxHashMap;

pub use ledger::{Entry, Ledger, NoLedger, Sink, SubjectLedger};
pub use period::Period;
pub use results::{KindResults, RatingOutcome, Results, SubjectResult, Summary, VetoRecord};

use crate::model::value::Day;
use crate::model::{Compact, KindId};
use crate::model::{EventRecord, Register};
use state::{KindState, Plan};

/// 同一 F 只计一次: (kind, subject, clause, rule, F's value in words).
type OnceKey = (KindId, u32, usize, usize, String);

/// A record came before one already applied: the log is not in date order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfOrder {
    /// The record's line.
    pub line: u64,
}

/// Which period to evaluate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodChoice {
    /// The period starting in this year.
    Year(i32),
    /// The latest period with records (earlier ones are evaluated, then replaced).
    Latest,
}

/// An evaluation in progress.
pub struct Evaluator<'a, S: Sink> {
    compact: &'a Compact,
    registers: &'a [Register],
    plan: Plan,
    states: Vec<KindState>,
    sink: S,
    choice: PeriodChoice,
    /// The period being evaluated, once known.
    period: Option<Period>,
    /// Whether the period's base points have been given.
    started: bool,
    last_day: Option<Day>,
    first_day: Option<Day>,
    summary: Summary,
    vetoes: FxHashMap<(KindId, u32), Vec<VetoRecord>>,
    titles: FxHashMap<(KindId, u32), Vec<String>>,
    scratch: apply::Scratch,
    /// When evaluating in shards: (this shard, number of shards). A shard applies only the
    /// records of its own subjects (see [`parallel::shard_of`]).
    shard: Option<(usize, usize)>,
    /// Records valid for several periods, repairs and downgrades (see [`carry`]).
    carrying: carry::Carrying,
    /// Records of the period waiting to be applied subject by subject (see [`buckets`]);
    /// `None` when records must be applied as they come.
    buckets: Option<buckets::Buckets>,
    /// 同一 活动编号 只计一次: per (kind, subject, clause, rule, the field's value in words),
    /// the day and line of the record that counted, this period.
    once_seen: FxHashMap<OnceKey, (Day, u64)>,
}

impl<'a, S: Sink> Evaluator<'a, S> {
    /// Starts evaluating. `registers` are indexed by subject kind (households first); a kind
    /// without a register is treated as having no subjects.
    pub fn new(
        compact: &'a Compact,
        registers: &'a [Register],
        choice: PeriodChoice,
        sink: S,
    ) -> Self {
        Self::for_shard(compact, registers, choice, sink, None)
    }

    /// Starts evaluating the subjects of `shard` (this shard, number of shards) only; all of
    /// them when `shard` is `None`.
    fn for_shard(
        compact: &'a Compact,
        registers: &'a [Register],
        choice: PeriodChoice,
        sink: S,
        shard: Option<(usize, usize)>,
    ) -> Self {
        let plan = Plan::new(compact);
        let states = plan
            .layouts
            .iter()
            .enumerate()
            .map(|(kind, layout)| {
                let subjects = registers.get(kind).map_or(0, Register::len);
                KindState::for_shard(subjects, layout, shard)
            })
            .collect();
        let carrying = carry::Carrying::new(compact);
        let mut states: Vec<KindState> = states;
        for &(account, _) in carrying.expiring() {
            if let Some(state) = plan
                .account_slot
                .get(account)
                .and_then(|&(kind, _)| states.get_mut(kind))
            {
                state.track_spending();
            }
        }
        // Grouping records by subject changes the order of entries across subjects: only
        // when that order does not matter, no record carries into later periods, and there are
        // too many subjects for their state to stay in cache anyway.
        let subjects: Vec<usize> = (0..compact.kinds.len())
            .map(|kind| registers.get(kind).map_or(0, Register::len))
            .collect();
        // Nor when a household's caps count its members' records, which lie in other buckets.
        let buckets = (sink.fork().is_some()
            && !compact.rolls_up()
            && !carrying.enabled
            && !carrying.clears_on_dates()
            && buckets::Buckets::worth_it(&subjects))
        .then(|| {
            let mut buckets = buckets::Buckets::new(&subjects);
            if let Some((_, count)) = shard {
                buckets.for_shard(count);
            }
            buckets
        });
        let period = match choice {
            // With records valid for several periods, evaluation starts at the first record's
            // period and moves on to the chosen one.
            PeriodChoice::Year(_) if carrying.enabled => None,
            PeriodChoice::Year(year) => Some(Period::starting(year, compact.period_start)),
            PeriodChoice::Latest => None,
        };
        let summary = Summary {
            households: registers.first().map_or(0, Register::len),
            persons: registers.iter().skip(1).map(Register::len).sum(),
            ..Summary::default()
        };
        Evaluator {
            compact,
            registers,
            plan,
            states,
            sink,
            choice,
            period,
            started: false,
            last_day: None,
            first_day: None,
            summary,
            vetoes: FxHashMap::default(),
            titles: FxHashMap::default(),
            scratch: apply::Scratch::default(),
            shard,
            carrying,
            buckets,
            once_seen: FxHashMap::default(),
        }
    }

    /// Whether this evaluator (or shard) applies the records of `subject`.
    fn owns(&self, subject: u32) -> bool {
        match self.shard {
            None => true,
            Some((index, count)) => parallel::shard_of(subject, count) == index,
        }
    }

    /// The subjects of `kind` this evaluator (or shard) owns, in order: for the once-a-period
    /// passes over every subject (clearings, expiries, carried balances).
    fn owned_subjects(&self, kind: KindId) -> Vec<u32> {
        let subjects = self.states.get(kind).map_or(0, |s| s.subjects);
        (0..u32::try_from(subjects).unwrap_or(0))
            .filter(|&subject| self.owns(subject))
            .collect()
    }

    /// Applies one record. Records must come in date order; an earlier date than the last one
    /// applied is refused, and the caller sorts the log and starts again.
    pub fn push(&mut self, record: &EventRecord) -> Result<(), OutOfOrder> {
        if self.last_day.is_some_and(|last| record.day < last) {
            return Err(OutOfOrder { line: record.line });
        }
        self.last_day = Some(record.day);
        self.first_day.get_or_insert(record.day);
        // Every shard follows the periods on every record, so that all stay in step; only
        // the records of its own subjects are applied and counted.
        let owned = self.owns(record.subject);
        let period = match self.period {
            Some(p) => p,
            None => {
                let p = self.first_period_for(record.day);
                self.period = Some(p);
                p
            }
        };
        if record.day >= period.end {
            if let Some(next) = self.next_period_for(record.day) {
                self.roll_over(next);
                if record.day < next.end {
                    if owned {
                        self.count(record.day);
                        self.push_in_period(record);
                    }
                    return Ok(());
                }
            }
            if owned {
                self.count(record.day);
                self.summary.after_period += 1;
            }
            return Ok(());
        }
        if owned {
            self.push_owned(record, period);
        }
        Ok(())
    }

    /// Counts and applies a record of this evaluator's own subjects dated before the end of
    /// `period`, the current one: before its start only as history (for streaks).
    fn push_owned(&mut self, record: &EventRecord, period: Period) {
        self.count(record.day);
        if record.day < period.start {
            self.summary.before_period += 1;
            self.history(record);
        } else {
            self.push_in_period(record);
        }
    }

    /// Counts a good record of this evaluator's own subjects, and the period it is in.
    fn count(&mut self, day: Day) {
        self.summary.records += 1;
        self.summary.periods.add(day, self.compact.period_start);
    }

    /// Applies a batch of records: [`Self::push`] for each, or, when the batch comes sorted
    /// out by shard, in date order, after this shard's last day and inside its period, only
    /// this shard's own records — the others would only have moved the last day on, which is
    /// then set to the batch's last, and no period rolls over inside it.
    #[cfg(feature = "native")]
    pub(super) fn push_batch(&mut self, batch: &parallel::Batch<'_>) -> Result<(), OutOfOrder> {
        if let (Some((routes, first, last)), Some((index, count)), Some(period)) =
            (batch.routes, self.shard, self.period)
            && routes.len() == count
            && self.last_day.is_none_or(|day| first >= day)
            && last < period.end
            && let Some(own) = routes.get(index)
        {
            for &at in own {
                if let Some(record) = batch.records.get(at as usize) {
                    self.push_owned(record, period);
                }
            }
            self.first_day.get_or_insert(first);
            self.last_day = Some(last);
            return Ok(());
        }
        for record in batch.records {
            self.push(record)?;
        }
        Ok(())
    }

    fn push_in_period(&mut self, record: &EventRecord) {
        if !self.started {
            self.start_period();
        }
        // 每年 M月D日 清零 comes before that day's records.
        self.clear_due(record.day);
        match &mut self.buckets {
            Some(buckets) => {
                let owner = self.compact.events.get(record.kind).map_or(0, |e| e.owner);
                // A shard leaves it to the others' coordinator when to apply them.
                if buckets.park(owner, record) && self.shard.is_none() {
                    self.apply_parked();
                }
            }
            None => self.apply(record),
        }
    }

    /// Whether enough records are parked to apply them.
    #[cfg(feature = "native")]
    fn parked_full(&self) -> bool {
        self.buckets.as_ref().is_some_and(buckets::Buckets::is_full)
    }

    /// Ends the current period and starts `next` (only when evaluating the latest period).
    fn roll_over(&mut self, next: Period) {
        // 余额结转: a balance passes through every period on the way, each opening with its
        // base points (a year with no records is still a year).
        if self.carrying.carries_balances() {
            while let Some(current) = self.period
                && current.year + 1 < next.year
            {
                let between = Period::starting(current.year + 1, self.compact.period_start);
                self.roll_over_once(between);
            }
        }
        self.roll_over_once(next);
    }

    /// Ends the current period and starts `next`.
    fn roll_over_once(&mut self, next: Period) {
        self.apply_parked();
        if !self.started {
            // A period with no record of its own still opens with its base points and
            // carries before it closes (余额结转 passes its balance on).
            self.start_period();
        }
        if let Some(current) = self.period {
            self.clear_due(current.last_day());
        }
        self.expire_points();
        self.close_balances();
        self.summary.before_period += self.summary.in_period;
        self.summary.in_period = 0;
        self.summary.scored = 0;
        self.summary.pending = 0;
        self.summary.rejected_in_review = 0;
        self.summary.refused = 0;
        for state in &mut self.states {
            state.reset_period();
        }
        self.vetoes.clear();
        self.titles.clear();
        self.once_seen.clear();
        self.sink.clear();
        self.carry_into(next);
        self.restart_clearing();
        self.period = Some(next);
        self.started = false;
    }

    /// Ends the evaluation: period-end rules, ratings and the dividend. `pool_fen` is the
    /// amount given for the dividend (before the compact's share is taken).
    pub fn finish(mut self, pool_fen: Option<i64>) -> (Results, S) {
        let period = self.final_period();
        let results = self.close(period, pool_fen);
        (results, self.sink)
    }

    /// Before closing: every parked record applied, the chosen period reached (the compact's
    /// first year when the log had none) and its base points given. Returns that period.
    fn final_period(&mut self) -> Period {
        self.settle();
        let period = self.period.unwrap_or_else(|| {
            let year = self.compact.effective.map_or(1970, |d| i32::from(d.year()));
            Period::starting(year, self.compact.period_start)
        });
        self.period = Some(period);
        if !self.started {
            self.start_period();
        }
        // A clearing day of the period with no record after it still clears.
        self.clear_due(period.last_day());
        // 积分有效期: what expires at the period's end leaves the balance it closes with.
        self.expire_points();
        period
    }

    /// The subject's register, if its kind has one.
    fn register(&self, kind: KindId) -> Option<&'a Register> {
        self.registers.get(kind)
    }
}
