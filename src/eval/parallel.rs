//! Evaluating on several threads: subjects are split into shards (blocks of 1,024
//! neighbouring subjects dealt out in turn, so that a shard's subjects lie together in memory
//! and each shard gets its share of every part of the register); each shard sees every record
//! (to keep the date order and the periods in step) but applies only those of its own
//! subjects, and holds only their state; at the end the shards' states are put together and
//! the steps that compare subjects (ranks, ratings, the dividend) run once. The results are
//! the same, bit for bit, whatever the number of threads.

#[cfg(feature = "native")]
use rayon::prelude::*;

#[cfg(feature = "native")]
use super::ledger::Sink;
#[cfg(feature = "native")]
use super::results::Results;
#[cfg(feature = "native")]
use super::state::KindState;
#[cfg(feature = "native")]
use super::{Evaluator, OutOfOrder, Period, PeriodChoice};
#[cfg(feature = "native")]
use crate::model::{Compact, Register};
use crate::model::{Day, EventRecord};

/// Neighbouring subjects a block, dealt to the shards in turn: 2^10 (as a bucket).
const BLOCK_SHIFT: u32 = 10;

/// The shard (of `count`) that applies the records of `subject`.
pub fn shard_of(subject: u32, count: usize) -> usize {
    let block = (subject >> BLOCK_SHIFT) as usize;
    // Asked for every record and every state access: a mask, not a division, for the usual
    // counts (2, 4, 8 cores).
    if count.is_power_of_two() {
        block & (count - 1)
    } else {
        block % count.max(1)
    }
}

/// Where `subject` lies among the subjects of its shard (of `count`): its shard's blocks one
/// after the other.
pub(super) fn local_index(subject: u32, count: usize) -> usize {
    let block = (subject >> BLOCK_SHIFT) as usize;
    let block = if count.is_power_of_two() {
        block >> count.trailing_zeros()
    } else {
        block / count.max(1)
    };
    (block << BLOCK_SHIFT) | (subject as usize & ((1 << BLOCK_SHIFT) - 1))
}

/// Room for the subjects of shard `index` of `count` among `subjects`: its blocks, whole.
pub(super) fn held_by(subjects: usize, index: usize, count: usize) -> usize {
    let blocks = subjects.div_ceil(1 << BLOCK_SHIFT);
    blocks.saturating_sub(index).div_ceil(count.max(1)) << BLOCK_SHIFT
}

/// A batch's records sorted out by shard (their indexes), the first day and the last (see
/// [`Batch::routes`]).
pub type Routes<'c> = (&'c [Vec<u32>], Day, Day);

/// Date-ordered records handed to the shards together.
#[derive(Debug, Clone, Copy)]
pub struct Batch<'r> {
    /// The records, in file order.
    pub records: &'r [EventRecord],
    /// When the reader sorted them out by shard (see [`shard_of`]) and their days never go
    /// back: each shard's records (their indexes), the first day and the last. A shard then
    /// reads only its own records, not every record of the batch to follow the dates.
    pub routes: Option<Routes<'r>>,
}

impl<'r> From<&'r [EventRecord]> for Batch<'r> {
    fn from(records: &'r [EventRecord]) -> Self {
        Batch {
            records,
            routes: None,
        }
    }
}

/// An evaluation split into shards of subjects, one thread each.
#[cfg(feature = "native")]
pub struct Shards<'a, S: Sink> {
    /// Shard 0, which takes in the others at the end.
    first: Evaluator<'a, S>,
    /// The other shards.
    rest: Vec<Evaluator<'a, S>>,
}

#[cfg(feature = "native")]
impl<'a, S: Sink + Send> Shards<'a, S> {
    /// Starts an evaluation in `threads` shards; gives the sink back when it cannot be split
    /// (a ledger whose order across subjects matters). A compact that counts persons' records
    /// in their households (按人记录，计入户) is evaluated in one shard: a person and the
    /// household may lie in different shards, and the household's caps count its members'
    /// records in date order.
    pub fn new(
        compact: &'a Compact,
        registers: &'a [Register],
        choice: PeriodChoice,
        sink: S,
        threads: usize,
    ) -> Result<Self, S> {
        let threads = if compact.rolls_up() {
            1
        } else {
            threads.max(1)
        };
        let mut sinks = Vec::with_capacity(threads);
        for _ in 1..threads {
            match sink.fork() {
                Some(forked) => sinks.push(forked),
                None => return Err(sink),
            }
        }
        let shard = |index: usize, sink: S| {
            let shard = (threads > 1).then_some((index, threads));
            Evaluator::for_shard(compact, registers, choice, sink, shard)
        };
        let rest = sinks
            .into_iter()
            .enumerate()
            .map(|(index, sink)| shard(index + 1, sink))
            .collect();
        Ok(Shards {
            first: shard(0, sink),
            rest,
        })
    }

    /// Applies batches of date-ordered records, each shard on its own thread.
    pub fn push_all(&mut self, batches: &[Batch<'_>]) -> Result<(), OutOfOrder> {
        // Parked records are applied by all shards at once, before the batches, when any
        // shard has enough: one shard's long turn would otherwise keep the others waiting.
        let apply_parked = self.first.parked_full() || self.rest.iter().any(|s| s.parked_full());
        let push = |shard: &mut Evaluator<'a, S>| -> Result<(), OutOfOrder> {
            if apply_parked {
                shard.apply_parked();
            }
            for batch in batches {
                shard.push_batch(batch)?;
            }
            Ok(())
        };
        if self.rest.is_empty() {
            return push(&mut self.first);
        }
        // On the pool's threads, which live as long as the process (see `cli::inputs`).
        let (first, rest) = rayon::join(
            || push(&mut self.first),
            || {
                self.rest
                    .par_iter_mut()
                    .map(push)
                    .reduce(|| Ok(()), Result::and)
            },
        );
        first.and(rest)
    }

    /// Ends the evaluation: each shard's own period-end steps, then the shards put together
    /// and the steps that compare subjects. `pool_fen` as for [`Evaluator::finish`].
    pub fn finish(self, pool_fen: Option<i64>) -> (Results, S) {
        let Shards {
            mut first,
            mut rest,
        } = self;
        if rest.is_empty() {
            return first.finish(pool_fen);
        }
        let first_day = rest
            .iter()
            .chain([&first])
            .filter_map(|e| e.first_day)
            .min();
        let close = |e: &mut Evaluator<'a, S>| {
            e.first_day = first_day;
            let period = e.final_period();
            e.close_local(period);
        };
        rayon::join(|| close(&mut first), || rest.par_iter_mut().for_each(close));
        let mut merged = first;
        // Every subject's state: the shards' own parts put together, not copied (a city's
        // state is hundreds of megabytes).
        let mut states: Vec<Vec<KindState>> = std::mem::take(&mut merged.states)
            .into_iter()
            .map(|state| vec![state])
            .collect();
        for mut shard in rest {
            for (parts, state) in states.iter_mut().zip(std::mem::take(&mut shard.states)) {
                parts.push(state);
            }
            merged.vetoes.extend(shard.vetoes);
            merged.titles.extend(shard.titles);
            merged.sink.join(shard.sink);
            let (a, b) = (&mut merged.summary, &shard.summary);
            a.records += b.records;
            a.in_period += b.in_period;
            a.scored += b.scored;
            a.pending += b.pending;
            a.rejected_in_review += b.rejected_in_review;
            a.refused += b.refused;
            a.before_period += b.before_period;
            a.after_period += b.after_period;
            a.periods.merge(&b.periods);
        }
        merged.states = states.into_iter().filter_map(KindState::join).collect();
        merged.shard = None;
        let period = merged
            .period
            .unwrap_or_else(|| Period::starting(1970, merged.compact.period_start));
        let results = merged.close_global(period, pool_fen);
        (results, merged.sink)
    }
}

/// Evaluates date-ordered `records` on `threads` threads (totals only, no ledger).
#[cfg(feature = "native")]
pub fn evaluate(
    compact: &Compact,
    registers: &[Register],
    records: &[EventRecord],
    choice: PeriodChoice,
    threads: usize,
    pool_fen: Option<i64>,
) -> Result<Results, OutOfOrder> {
    let mut shards = Shards::new(compact, registers, choice, super::ledger::NoLedger, threads)
        .map_err(|_| OutOfOrder { line: 0 })?;
    shards.push_all(&[Batch::from(records)])?;
    Ok(shards.finish(pool_fen).0)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing)]

    use super::{held_by, local_index, shard_of};

    #[test]
    fn each_shard_holds_its_subjects_each_in_its_own_place() {
        for subjects in [0usize, 1, 1023, 1024, 1025, 5 * 1024 + 3] {
            for count in 1..=8 {
                let mut places = vec![Vec::new(); count];
                for subject in 0..subjects as u32 {
                    let shard = shard_of(subject, count);
                    let at = local_index(subject, count);
                    // (Masks and shifts for powers of two: the same as dividing.)
                    let block = subject as usize >> 10;
                    assert_eq!(shard, block % count);
                    assert_eq!(at, (block / count) << 10 | (subject as usize & 1023));
                    assert!(
                        at < held_by(subjects, shard, count),
                        "{subject} of {subjects}"
                    );
                    places[shard].push(at);
                }
                for (shard, mut at) in places.into_iter().enumerate() {
                    let held = at.len();
                    at.sort_unstable();
                    at.dedup();
                    assert_eq!(
                        at.len(),
                        held,
                        "shard {shard} of {count}: two subjects in one place"
                    );
                }
            }
        }
    }
}
