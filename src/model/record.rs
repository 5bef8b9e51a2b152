//! One validated record of an event log, as the evaluator reads it. Pure data:
//! `data::events` reads and checks logs into it.

use super::EventId;
use super::value::{Day, FieldValue};

/// 审核 — whether a record counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// 通过 (or empty): it counts.
    Approved,
    /// 待审: not yet; listed, never scored.
    Pending,
    /// 驳回: refused; listed, never scored.
    Rejected,
}

/// A record's field values: one kept inline (most 事项 declare one field or none), more on
/// the heap — in a record buffer that is reused, so that memory stays for the next record.
pub type FieldValues = smallvec::SmallVec<[Option<FieldValue>; 1]>;

/// One validated record: 64 bytes, one cache line (a test holds it to that), since the
/// evaluator reads millions of them just after another core wrote them.
#[derive(Debug, Clone, PartialEq)]
pub struct EventRecord {
    /// Its line in the log.
    pub line: u64,
    /// Its date.
    pub day: Day,
    /// The subject (index in the register of the event kind's owner).
    pub subject: u32,
    /// Its event kind.
    pub kind: EventId,
    /// 审核.
    pub status: Status,
    /// The first required evidence (by index in the event kind's list) that is missing.
    pub missing_evidence: Option<u16>,
    /// Field values, in the event kind's field order (see [`FieldValues`]).
    pub values: FieldValues,
}

impl EventRecord {
    /// An empty record to read into.
    pub fn new() -> Self {
        EventRecord {
            line: 0,
            day: 0,
            subject: 0,
            kind: 0,
            status: Status::Approved,
            missing_evidence: None,
            values: FieldValues::new(),
        }
    }
}

impl Default for EventRecord {
    fn default() -> Self {
        EventRecord::new()
    }
}
