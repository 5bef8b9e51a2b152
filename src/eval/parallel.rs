//! Evaluating on several threads: subjects are split into shards (by index modulo the number
//! of shards); each shard applies the records of its own subjects, then the shards' states are
//! put together and the steps that compare subjects (ranks, ratings, the dividend) run once.
//! The results are the same, bit for bit, whatever the number of threads.

use super::ledger::NoLedger;
use super::results::Results;
use super::state::KindState;
use super::{Evaluator, OutOfOrder, Period, PeriodChoice};
use crate::data::{EventRecord, Register};
use crate::model::Compact;

/// Evaluates date-ordered `records` on `threads` threads (totals only, no ledger).
pub fn evaluate(
    compact: &Compact,
    registers: &[Register],
    records: &[EventRecord],
    choice: PeriodChoice,
    threads: usize,
    pool_fen: Option<i64>,
) -> Result<Results, OutOfOrder> {
    let threads = threads.max(1);
    // Every shard must evaluate the same period and see the same history.
    let choice = match (choice, records.last()) {
        (PeriodChoice::Latest, Some(last)) => {
            PeriodChoice::Year(Period::containing(last.day, compact.period_start).year)
        }
        (PeriodChoice::Latest, None) => {
            PeriodChoice::Year(compact.effective.map_or(1970, |d| i32::from(d.year())))
        }
        (choice, _) => choice,
    };
    let first_day = records.first().map(|r| r.day);
    let shards: Vec<Result<Evaluator<'_, NoLedger>, OutOfOrder>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|index| {
                scope.spawn(move || {
                    let mut e = Evaluator::new(compact, registers, choice, NoLedger);
                    e.shard = Some((index, threads));
                    for record in records {
                        e.push(record)?;
                    }
                    e.first_day = first_day;
                    e.settle();
                    let period = e.period.unwrap_or_else(|| match choice {
                        PeriodChoice::Year(y) => Period::starting(y, compact.period_start),
                        PeriodChoice::Latest => Period::starting(1970, compact.period_start),
                    });
                    e.period = Some(period);
                    if !e.started {
                        e.start_period();
                    }
                    e.close_local(period);
                    Ok(e)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or(Err(OutOfOrder { line: 0 })))
            .collect()
    });
    let mut shards: Vec<Evaluator<'_, NoLedger>> = shards.into_iter().collect::<Result<_, _>>()?;
    let Some(mut merged) = (!shards.is_empty()).then(|| shards.remove(0)) else {
        return Err(OutOfOrder { line: 0 });
    };
    for shard in shards {
        let (index, count) = shard.shard.unwrap_or((0, 1));
        for (kind, state) in shard.states.iter().enumerate() {
            if let Some(target) = merged.states.get_mut(kind) {
                take_subjects(target, state, index, count);
            }
        }
        merged.vetoes.extend(shard.vetoes);
        merged.titles.extend(shard.titles);
        let (a, b) = (&mut merged.summary, &shard.summary);
        a.records += b.records;
        a.in_period += b.in_period;
        a.scored += b.scored;
        a.pending += b.pending;
        a.rejected_in_review += b.rejected_in_review;
        a.refused += b.refused;
        a.before_period += b.before_period;
        a.after_period += b.after_period;
    }
    merged.shard = None;
    let period = merged
        .period
        .unwrap_or_else(|| Period::starting(1970, compact.period_start));
    Ok(merged.close_global(period, pool_fen))
}

/// Copies the state of the subjects of shard `index` of `count` from `source` into `target`.
fn take_subjects(target: &mut KindState, source: &KindState, index: usize, count: usize) {
    let subjects = source.subjects;
    let per = |len: usize| len.checked_div(subjects).unwrap_or(0);
    let (events, slots, streaks) = (
        per(source.counts.len()),
        per(source.sums.len()),
        per(source.last_breaking.len()),
    );
    for subject in (index..subjects).step_by(count) {
        copy_range(&mut target.counts, &source.counts, subject * events, events);
        copy_range(&mut target.sums, &source.sums, subject * slots, slots);
        copy_range(
            &mut target.last_breaking,
            &source.last_breaking,
            subject * streaks,
            streaks,
        );
        if let (Some(t), Some(s)) = (target.vetoes.get_mut(subject), source.vetoes.get(subject)) {
            *t = *s;
        }
    }
}

fn copy_range<T: Copy>(target: &mut [T], source: &[T], start: usize, len: usize) {
    if let (Some(t), Some(s)) = (
        target.get_mut(start..start + len),
        source.get(start..start + len),
    ) {
        t.copy_from_slice(s);
    }
}
