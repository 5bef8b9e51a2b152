//! Applying records grouped by subject, for speed: with hundreds of thousands of households
//! the state of the household a record belongs to is almost never in the processor's cache,
//! and fetching it costs more than the rules. Records of the period are parked in buckets of
//! neighbouring subjects (about a thousand a bucket) and applied a bucket at a time, when many
//! are parked; a bucket's states then stay in cache while its records are applied, subject
//! after subject in ascending order.
//!
//! Each subject's records are still applied in file order, and everything a record changes
//! belongs to its subject alone, so the results are the same as applying them as they come.
//! That holds only when no entry's order across subjects matters (no whole ledger kept) and no
//! record carries into later periods; otherwise records are applied as they come.

use super::Evaluator;
use super::ledger::Sink;
use crate::model::EventId;
use crate::model::value::{Day, FieldValue};
use crate::model::{EventRecord, Status};

/// Subjects a bucket: 2^10 (their states fit in a core's cache).
const SHIFT: u32 = 10;
/// Parked records before applying them: at least this many…
const MIN_PARKED: usize = 1 << 18;
/// …about two a subject, so that a subject's state is fetched once for several records…
const PER_SUBJECT: usize = 2;
/// …but never more than this many in all shards together (bounded memory: 64 bytes a record
/// with its first value, 24 more for each further one).
const MAX_PARKED: usize = 1 << 20;

/// A record waiting in its bucket.
#[derive(Debug, Clone)]
struct Parked {
    line: u64,
    day: Day,
    subject: u32,
    kind: u32,
    /// How many field values it has.
    values: u32,
    /// Where its values after the first start in the bucket's values.
    rest_at: u32,
    status: Status,
    missing_evidence: Option<u16>,
    /// Its first value (almost every 事项 has one field or none), kept with the record: its
    /// bucket's records are read in file order before being applied subject by subject, so
    /// the value is then in cache, where one in the bucket's values was not.
    first: Option<FieldValue>,
}

/// One bucket: its records and the values of those with more than one.
#[derive(Debug, Default)]
struct Bucket {
    records: Vec<Parked>,
    values: Vec<Option<FieldValue>>,
}

/// Records parked by subject.
#[derive(Debug)]
pub(super) struct Buckets {
    /// Per subject kind, its buckets.
    kinds: Vec<Vec<Bucket>>,
    parked: usize,
    limit: usize,
    /// How many buckets this evaluator fills (a shard fills only its own subjects').
    buckets: usize,
    /// The record being applied, rebuilt from a parked one.
    record: EventRecord,
    /// A bucket's records in the order they are applied (indexes), reused.
    order: Vec<u32>,
}

impl Buckets {
    /// Whether grouping pays for kinds with `subjects` subjects each: below about 16,000
    /// subjects their state stays in cache without it, and parking is only extra work
    /// (measured: 100,000 records of 2,000 households, 32 ms applied as they come, 40 ms parked).
    pub fn worth_it(subjects: &[usize]) -> bool {
        subjects.iter().sum::<usize>() >= 1 << 14
    }

    /// Buckets for kinds with `subjects` subjects each.
    pub fn new(subjects: &[usize]) -> Self {
        let total: usize = subjects.iter().sum();
        let buckets = subjects.iter().map(|n| n.div_ceil(1 << SHIFT)).sum();
        Buckets {
            buckets,
            kinds: subjects
                .iter()
                .map(|&n| {
                    (0..n.div_ceil(1 << SHIFT))
                        .map(|_| Bucket::default())
                        .collect()
                })
                .collect(),
            parked: 0,
            limit: (total * PER_SUBJECT).clamp(MIN_PARKED, MAX_PARKED),
            record: EventRecord::new(),
            order: Vec::new(),
        }
    }

    /// Parks for one shard of `count`: it holds about 1/`count` of the subjects. The shards
    /// apply their parked records together, when any is full (see [`Shards::push_all`]), so
    /// that no thread waits for another's long turn: one may park a round's records (a few
    /// tens of thousands) past its limit.
    ///
    /// [`Shards::push_all`]: super::parallel::Shards::push_all
    pub fn for_shard(&mut self, count: usize) {
        self.limit = (self.limit / count.max(1)).max(MIN_PARKED / count.max(1));
        self.buckets = self.buckets.div_ceil(count.max(1));
    }

    /// Parks `record` of a subject of `kind`; true when enough are parked to apply them.
    pub fn park(&mut self, kind: usize, record: &EventRecord) -> bool {
        let Some(bucket) = self
            .kinds
            .get_mut(kind)
            .and_then(|b| b.get_mut((record.subject >> SHIFT) as usize))
        else {
            return false;
        };
        if bucket.records.capacity() == 0 {
            // About its share of the records parked before they are applied, once: growing
            // by doubling would copy them again and again.
            let share = self.limit.min(MAX_PARKED) / self.buckets.max(1);
            let room = share.saturating_add(share / 2).saturating_add(16);
            // The values of second fields and beyond are few: they grow as they come.
            bucket.records.reserve(room);
        }
        let start = bucket.values.len() as u32;
        let (first, rest) = match record.values.split_first() {
            Some((first, rest)) => (first.clone(), rest),
            None => (None, &[][..]),
        };
        if !rest.is_empty() {
            bucket.values.extend_from_slice(rest);
        }
        bucket.records.push(Parked {
            line: record.line,
            day: record.day,
            subject: record.subject,
            kind: record.kind as u32,
            values: record.values.len() as u32,
            rest_at: start,
            status: record.status,
            missing_evidence: record.missing_evidence,
            first,
        });
        self.parked += 1;
        self.is_full()
    }

    /// Whether any record is parked.
    pub fn is_empty(&self) -> bool {
        self.parked == 0
    }

    /// Whether enough records are parked to apply them.
    pub fn is_full(&self) -> bool {
        self.parked >= self.limit
    }
}

/// The indexes of `records` ordered by subject, each subject's in file order: a counting sort
/// on the subject's place in its bucket, in time proportional to the records.
fn order_by_subject(records: &[Parked], order: &mut Vec<u32>) {
    const MASK: u32 = (1 << SHIFT) - 1;
    let mut starts = [0u32; (1 << SHIFT) + 1];
    for parked in records {
        if let Some(count) = starts.get_mut((parked.subject & MASK) as usize + 1) {
            *count += 1;
        }
    }
    for at in 1..starts.len() {
        let before = starts.get(at - 1).copied().unwrap_or(0);
        if let Some(start) = starts.get_mut(at) {
            *start += before;
        }
    }
    order.clear();
    order.resize(records.len(), 0);
    for (index, parked) in records.iter().enumerate() {
        if let Some(next) = starts.get_mut((parked.subject & MASK) as usize)
            && let Some(slot) = order.get_mut(*next as usize)
        {
            *slot = index as u32;
            *next += 1;
        }
    }
}

impl<S: Sink> Evaluator<'_, S> {
    /// Applies every parked record, bucket by bucket (each subject's in file order).
    pub(super) fn apply_parked(&mut self) {
        let Some(mut buckets) = self.buckets.take() else {
            return;
        };
        if !buckets.is_empty() {
            let mut record = std::mem::take(&mut buckets.record);
            let mut order = std::mem::take(&mut buckets.order);
            for kind in &mut buckets.kinds {
                for bucket in kind.iter_mut() {
                    // Subject by subject, each one's records in file order: their states are
                    // then read in ascending order, which the processor fetches ahead.
                    order_by_subject(&bucket.records, &mut order);
                    for &index in &order {
                        let Some(parked) = bucket.records.get_mut(index as usize) else {
                            continue;
                        };
                        let (len, start) = (parked.values, parked.rest_at);
                        record.line = parked.line;
                        record.day = parked.day;
                        record.subject = parked.subject;
                        record.kind = parked.kind as EventId;
                        record.status = parked.status;
                        record.missing_evidence = parked.missing_evidence;
                        record.values.clear();
                        // Moved, not cloned: each parked value is applied once.
                        if len > 0 {
                            record.values.push(parked.first.take());
                            let rest = bucket
                                .values
                                .get_mut(start as usize..(start + len - 1) as usize)
                                .unwrap_or_default();
                            for value in rest {
                                record.values.push(value.take());
                            }
                        }
                        self.apply(&record);
                    }
                    bucket.records.clear();
                    bucket.values.clear();
                }
            }
            buckets.order = order;
            buckets.record = record;
            buckets.parked = 0;
        }
        self.buckets = Some(buckets);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used, clippy::indexing_slicing)]

    use super::Buckets;
    use crate::data::{EventReader, EventRecord, Next, Register, TableReader, read_register};
    use crate::eval::{Evaluator, Ledger, NoLedger, PeriodChoice, Results};
    use crate::model::Compact;

    fn sample() -> (Compact, Vec<Register>, Vec<EventRecord>) {
        let source = include_str!("../../compacts/youxiqiao-demo/youxiqiao.xy");
        let compact = crate::compile::compile(source).compact.expect("compact");
        let (mut errors, mut warnings) = (Vec::new(), Vec::new());
        let text = include_str!("../../compacts/youxiqiao-demo/register.csv");
        let mut table = TableReader::from_csv_text(text, "register.csv").expect("register");
        let households = read_register(&mut table, &compact, 0, None, &mut errors, &mut warnings);
        let text = include_str!("../../compacts/youxiqiao-demo/党员.csv");
        let mut table = TableReader::from_csv_text(text, "党员.csv").expect("roster");
        let members = read_register(
            &mut table,
            &compact,
            1,
            Some(&households),
            &mut errors,
            &mut warnings,
        );
        assert!(errors.is_empty());
        let registers = vec![households, members];
        let text = include_str!("../../compacts/youxiqiao-demo/events.csv");
        let table = TableReader::from_csv_text(text, "events.csv").expect("events");
        let mut reader = EventReader::new(table, &compact, &registers).expect("columns");
        let mut records = Vec::new();
        let mut record = EventRecord::new();
        while let Next::Record = reader.next(&mut record).expect("read") {
            records.push(record.clone());
        }
        records.sort_by_key(|r| (r.day, r.line));
        (compact, registers, records)
    }

    fn parked_every(
        compact: &Compact,
        registers: &[Register],
        records: &[EventRecord],
        limit: usize,
    ) -> Results {
        let mut e = Evaluator::new(compact, registers, PeriodChoice::Latest, NoLedger);
        // The sample is small enough not to group by itself: group it anyway.
        assert!(e.buckets.is_none());
        let mut buckets = Buckets::new(&[registers[0].len(), registers[1].len()]);
        buckets.limit = limit;
        e.buckets = Some(buckets);
        for r in records {
            e.push(r).expect("sorted");
        }
        e.finish(Some(1_000_000)).0
    }

    #[test]
    fn grouping_by_subject_changes_no_result() {
        let (compact, registers, records) = sample();
        assert!(records.len() > 10_000);
        // A whole ledger keeps entries in the order decided: records are applied as they come.
        let mut plain = Evaluator::new(
            &compact,
            &registers,
            PeriodChoice::Latest,
            Ledger::default(),
        );
        assert!(plain.buckets.is_none());
        for r in &records {
            plain.push(r).expect("sorted");
        }
        let (expected, _) = plain.finish(Some(1_000_000));
        // Applied every few records, at odd moments, and all at the end.
        for limit in [1, 7, 1000, usize::MAX] {
            assert_eq!(
                parked_every(&compact, &registers, &records, limit),
                expected,
                "{limit}"
            );
        }
        // Two years of records: parked ones are applied before the period rolls over.
        let mut next_year: Vec<EventRecord> = records.clone();
        for r in records.iter().take(500) {
            let mut later = r.clone();
            later.day += 366;
            later.line += 1_000_000;
            next_year.push(later);
        }
        next_year.sort_by_key(|r| (r.day, r.line));
        let mut plain = Evaluator::new(
            &compact,
            &registers,
            PeriodChoice::Latest,
            Ledger::default(),
        );
        for r in &next_year {
            plain.push(r).expect("sorted");
        }
        let (expected, _) = plain.finish(Some(1_000_000));
        assert_eq!(expected.period.year, 2025);
        for limit in [3, usize::MAX] {
            assert_eq!(
                parked_every(&compact, &registers, &next_year, limit),
                expected,
                "{limit}"
            );
        }
    }

    #[test]
    fn counting_order_is_a_stable_sort_by_subject() {
        use super::{Parked, order_by_subject};
        use crate::model::Status;
        // Subjects of two buckets' worth (the order looks only at a subject's place in its
        // bucket), with repeats so that stability shows.
        let mut seed = 7u64;
        let records: Vec<Parked> = (0..5000u64)
            .map(|line| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                Parked {
                    line,
                    day: 0,
                    subject: 1024 + (seed >> 33) as u32 % 1024,
                    kind: 0,
                    values: 0,
                    rest_at: 0,
                    status: Status::Approved,
                    missing_evidence: None,
                    first: None,
                }
            })
            .collect();
        let mut expected: Vec<u32> = (0..records.len() as u32).collect();
        expected.sort_by_key(|&i| records[i as usize].subject);
        let mut order = vec![99; 3];
        order_by_subject(&records, &mut order);
        assert_eq!(order, expected);
        order_by_subject(&[], &mut order);
        assert!(order.is_empty());
    }
}
