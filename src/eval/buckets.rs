//! Applying records grouped by subject, for speed: with hundreds of thousands of households
//! the state of the household a record belongs to is almost never in the processor's cache,
//! and fetching it costs more than the rules. Records of the period are parked in buckets of
//! neighbouring subjects (about a thousand a bucket) and applied a bucket at a time, when many
//! are parked; a bucket's states then stay in cache while its records are applied.
//!
//! Each subject's records are still applied in file order, and everything a record changes
//! belongs to its subject alone, so the results are the same as applying them as they come.
//! That holds only when no entry's order across subjects matters (no whole ledger kept) and no
//! record carries into later periods; otherwise records are applied as they come.

use super::Evaluator;
use super::ledger::Sink;
use crate::data::value::{Day, FieldValue};
use crate::data::{EventRecord, Status};
use crate::model::EventId;

/// Subjects a bucket: 2^10 (their states fit in a core's cache).
const SHIFT: u32 = 10;
/// Parked records before applying them: at least this many…
const MIN_PARKED: usize = 1 << 18;
/// …about four a subject, so that a subject's state is fetched once for several records…
const PER_SUBJECT: usize = 4;
/// …but never more than this many (bounded memory).
const MAX_PARKED: usize = 1 << 21;

/// A record waiting in its bucket.
#[derive(Debug, Clone, Copy)]
struct Parked {
    line: u64,
    day: Day,
    subject: u32,
    kind: u32,
    /// Where its values start in the bucket's values, and how many.
    values: (u32, u32),
    status: Status,
    missing_evidence: Option<u32>,
}

/// One bucket: its records and their values.
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
    /// The record being applied, rebuilt from a parked one.
    record: EventRecord,
}

impl Buckets {
    /// Buckets for kinds with `subjects` subjects each.
    pub fn new(subjects: &[usize]) -> Self {
        let total: usize = subjects.iter().sum();
        Buckets {
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
        }
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
        let start = bucket.values.len() as u32;
        bucket.values.extend_from_slice(&record.values);
        bucket.records.push(Parked {
            line: record.line,
            day: record.day,
            subject: record.subject,
            kind: record.kind as u32,
            values: (start, record.values.len() as u32),
            status: record.status,
            missing_evidence: record.missing_evidence.map(|i| i as u32),
        });
        self.parked += 1;
        self.parked >= self.limit
    }

    /// Whether any record is parked.
    pub fn is_empty(&self) -> bool {
        self.parked == 0
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
            for kind in &mut buckets.kinds {
                for bucket in kind.iter_mut() {
                    for parked in &bucket.records {
                        let (start, len) = parked.values;
                        record.line = parked.line;
                        record.day = parked.day;
                        record.subject = parked.subject;
                        record.kind = parked.kind as EventId;
                        record.status = parked.status;
                        record.missing_evidence = parked.missing_evidence.map(|i| i as usize);
                        record.values.clear();
                        record.values.extend_from_slice(
                            bucket
                                .values
                                .get(start as usize..(start + len) as usize)
                                .unwrap_or_default(),
                        );
                        self.apply(&record);
                    }
                    bucket.records.clear();
                    bucket.values.clear();
                }
            }
            buckets.record = record;
            buckets.parked = 0;
        }
        self.buckets = Some(buckets);
    }
}
