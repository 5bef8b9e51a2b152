//! Reading the book: its rows as plain structs, and the records in force at a moment.

use rusqlite::{OptionalExtension, Row, params};

use super::{Book, BookError};

/// A registered record (登记), correction (更正), cancellation (撤销) or redemption (兑换).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordRow {
    /// Its id in the book: stable, never reused.
    pub id: i64,
    /// 登记, 更正, 撤销 or 兑换.
    pub kind: String,
    /// The 编号 it was written with, if any.
    pub number: Option<String>,
    /// Its date (YYYY-MM-DD).
    pub day: String,
    /// The household.
    pub household: Option<String>,
    /// The person (a roster's 事项).
    pub person: Option<String>,
    /// The 事项.
    pub item: String,
    /// Its other cells as written, a JSON object keyed by column name.
    pub cells: String,
    /// The import batch it came in, if any.
    pub import: Option<i64>,
    /// Its line in that file.
    pub line: Option<i64>,
    /// The record it corrects or cancels.
    pub supersedes: Option<i64>,
    /// Why (for corrections, cancellations and redemptions).
    pub reason: Option<String>,
    /// Who registered it.
    pub by: String,
    /// When.
    pub at: String,
}

impl RecordRow {
    const COLUMNS: &'static str = "id, kind, number, day, household, person, item, cells, import, line, supersedes, reason, by, at";

    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(RecordRow {
            id: r.get(0)?,
            kind: r.get(1)?,
            number: r.get(2)?,
            day: r.get(3)?,
            household: r.get(4)?,
            person: r.get(5)?,
            item: r.get(6)?,
            cells: r.get(7)?,
            import: r.get(8)?,
            line: r.get(9)?,
            supersedes: r.get(10)?,
            reason: r.get(11)?,
            by: r.get(12)?,
            at: r.get(13)?,
        })
    }

    /// The cells as (column, text) pairs, in the order written.
    pub fn cell_pairs(&self) -> Vec<(String, String)> {
        serde_json::from_str::<indexmap::IndexMap<String, String>>(&self.cells)
            .map(|m| m.into_iter().collect())
            .unwrap_or_default()
    }

    /// The subject: the person for a roster's 事项, else the household.
    pub fn subject(&self) -> &str {
        self.person
            .as_deref()
            .filter(|p| !p.is_empty())
            .or(self.household.as_deref())
            .unwrap_or("")
    }
}

/// Column `i` of `row` as text ("" for NULL).
fn text<'r>(row: &'r Row<'_>, i: usize) -> &'r str {
    row.get_ref(i)
        .ok()
        .and_then(|v| v.as_str().ok())
        .unwrap_or("")
}

/// A record in force, borrowed from the row being read (see [`Book::each_in_force`]).
#[derive(Debug, Clone, Copy)]
pub struct InForce<'a> {
    /// Its id.
    pub id: i64,
    /// YYYY-MM-DD.
    pub day: &'a str,
    /// The household ("" for none).
    pub household: &'a str,
    /// The person ("" for none).
    pub person: &'a str,
    /// The 事项.
    pub item: &'a str,
    /// Its other cells as a JSON object.
    pub cells: &'a str,
}

/// A review (审核): 通过 or 驳回.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewRow {
    /// Its id.
    pub id: i64,
    /// The record.
    pub record: i64,
    /// 通过 or 驳回.
    pub decision: String,
    /// Why (a rejection's reason).
    pub reason: Option<String>,
    /// Who.
    pub by: String,
    /// When.
    pub at: String,
}

/// A version of the compact and the vote that adopted it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompactRow {
    /// Its id (1 is the version the book was made with).
    pub id: i64,
    /// The file it came from.
    pub file: String,
    /// Its text.
    pub text: String,
    /// The text's SHA-256.
    pub sha256: String,
    /// The day it takes effect (YYYY-MM-DD).
    pub effective: String,
    /// The day of the vote, if adopted by one.
    pub vote_date: Option<String>,
    /// Votes for, against, abstaining.
    pub votes: Option<(i64, i64, i64)>,
    /// Who entered it.
    pub by: String,
    /// When.
    pub at: String,
}

/// A register (户籍 or a roster) as stored: CSV text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterRow {
    /// Its id.
    pub id: i64,
    /// 户籍 or the roster's name.
    pub kind: String,
    /// The file it came from.
    pub file: String,
    /// The table as CSV text.
    pub text: String,
    /// The original file's SHA-256.
    pub sha256: String,
}

/// A publication (公示).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicationRow {
    /// Its number: 1 for the first.
    pub id: i64,
    /// The standing is as of this day.
    pub through: String,
    /// The period (year it starts in).
    pub period: i64,
    /// Days on show.
    pub days: i64,
    /// The last day to object.
    pub deadline: String,
    /// The compact version used.
    pub compact: i64,
    /// The last record and review it saw.
    pub heads: Heads,
    /// Its canonical content (what the seal covers).
    pub content: String,
    /// Who published it.
    pub by: String,
    /// When.
    pub at: String,
    /// The previous publication's seal.
    pub prev_seal: String,
    /// Its seal.
    pub seal: String,
}

/// How far the book had come at a moment: the last record and the last review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Heads {
    /// The last record's id.
    pub records: i64,
    /// The last review's id.
    pub reviews: i64,
}

/// An objection (异议) to a published record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectionRow {
    /// Its id.
    pub id: i64,
    /// The record objected to.
    pub record: i64,
    /// The publication it was on.
    pub publication: i64,
    /// The objection.
    pub reason: String,
    /// Who objected.
    pub by: String,
    /// When.
    pub at: String,
}

/// How an objection was resolved: 维持 (the record stands), 更正 or 撤销.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolutionRow {
    /// Its id.
    pub id: i64,
    /// The objection.
    pub objection: i64,
    /// 维持, 更正 or 撤销.
    pub decision: String,
    /// The correcting (or cancelling) record.
    pub correction: Option<i64>,
    /// Why.
    pub reason: String,
    /// Who decided.
    pub by: String,
    /// When.
    pub at: String,
}

/// A past import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    /// Its batch number.
    pub id: i64,
    /// The file.
    pub file: String,
    /// How many records.
    pub rows: i64,
    /// Who.
    pub by: String,
    /// When.
    pub at: String,
}

impl Book {
    fn read_error(&self, e: &rusqlite::Error) -> BookError {
        BookError::storage(self.path(), "读取", e)
    }

    /// Every version of the compact, oldest first.
    pub fn compacts(&self) -> Result<Vec<CompactRow>, BookError> {
        let mut statement = self
            .conn()
            .prepare(
                "SELECT id, file, text, sha256, effective, vote_date, votes_for, votes_against, \
                 votes_abstain, by, at FROM compacts ORDER BY id",
            )
            .map_err(|e| self.read_error(&e))?;
        let rows = statement
            .query_map([], |r| {
                let votes = match (r.get(6)?, r.get(7)?, r.get(8)?) {
                    (Some(a), Some(b), Some(c)) => Some((a, b, c)),
                    _ => None,
                };
                Ok(CompactRow {
                    id: r.get(0)?,
                    file: r.get(1)?,
                    text: r.get(2)?,
                    sha256: r.get(3)?,
                    effective: r.get(4)?,
                    vote_date: r.get(5)?,
                    votes,
                    by: r.get(9)?,
                    at: r.get(10)?,
                })
            })
            .and_then(Iterator::collect)
            .map_err(|e| self.read_error(&e))?;
        Ok(rows)
    }

    /// The version in force on `day` (YYYY-MM-DD): of those effective on or before it, the one
    /// effective latest (of two effective the same day, the later adopted); the first version
    /// when none is effective yet.
    pub fn compact_in_force(&self, day: &str) -> Result<Option<CompactRow>, BookError> {
        let all = self.compacts()?;
        let in_force = all
            .iter()
            .filter(|c| c.effective.as_str() <= day)
            .max_by(|a, b| a.effective.cmp(&b.effective).then(a.id.cmp(&b.id)))
            .or(all.first())
            .cloned();
        Ok(in_force)
    }

    /// The latest stored version of each register (户籍 first, then rosters by name).
    pub fn registers(&self) -> Result<Vec<RegisterRow>, BookError> {
        let mut statement = self
            .conn()
            .prepare(
                "SELECT id, kind, file, text, sha256 FROM registers r WHERE id = \
                 (SELECT MAX(id) FROM registers s WHERE s.kind = r.kind) ORDER BY kind != '户籍', kind",
            )
            .map_err(|e| self.read_error(&e))?;
        let rows = statement
            .query_map([], |r| {
                Ok(RegisterRow {
                    id: r.get(0)?,
                    kind: r.get(1)?,
                    file: r.get(2)?,
                    text: r.get(3)?,
                    sha256: r.get(4)?,
                })
            })
            .and_then(Iterator::collect)
            .map_err(|e| self.read_error(&e))?;
        Ok(rows)
    }

    /// The import of a file with this SHA-256, if one was made.
    pub fn import_of(&self, sha256: &str) -> Result<Option<ImportRow>, BookError> {
        self.conn()
            .query_row(
                "SELECT id, file, rows, by, at FROM imports WHERE sha256 = ?1 ORDER BY id LIMIT 1",
                [sha256],
                |r| {
                    Ok(ImportRow {
                        id: r.get(0)?,
                        file: r.get(1)?,
                        rows: r.get(2)?,
                        by: r.get(3)?,
                        at: r.get(4)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.read_error(&e))
    }

    /// The record with id `id`.
    pub fn record(&self, id: i64) -> Result<Option<RecordRow>, BookError> {
        self.conn()
            .query_row(
                &format!("SELECT {} FROM records WHERE id = ?1", RecordRow::COLUMNS),
                [id],
                RecordRow::from_row,
            )
            .optional()
            .map_err(|e| self.read_error(&e))
    }

    /// The record written with 编号 `number`.
    pub fn record_numbered(&self, number: &str) -> Result<Option<RecordRow>, BookError> {
        self.conn()
            .query_row(
                &format!(
                    "SELECT {} FROM records WHERE number = ?1",
                    RecordRow::COLUMNS
                ),
                [number],
                RecordRow::from_row,
            )
            .optional()
            .map_err(|e| self.read_error(&e))
    }

    /// The review of record `record`, if reviewed.
    pub fn review_of(&self, record: i64) -> Result<Option<ReviewRow>, BookError> {
        self.conn()
            .query_row(
                "SELECT id, record, decision, reason, by, at FROM reviews WHERE record = ?1",
                [record],
                |r| {
                    Ok(ReviewRow {
                        id: r.get(0)?,
                        record: r.get(1)?,
                        decision: r.get(2)?,
                        reason: r.get(3)?,
                        by: r.get(4)?,
                        at: r.get(5)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.read_error(&e))
    }

    /// The records that correct or cancel record `record`, oldest first.
    pub fn superseding(&self, record: i64) -> Result<Vec<RecordRow>, BookError> {
        self.records_where("supersedes = ?1 ORDER BY id", params![record])
    }

    /// The records not reviewed yet, oldest first.
    pub fn pending(&self) -> Result<Vec<RecordRow>, BookError> {
        self.records_where(
            "NOT EXISTS (SELECT 1 FROM reviews v WHERE v.record = records.id) ORDER BY id",
            params![],
        )
    }

    fn records_where(
        &self,
        condition: &str,
        params: &[&dyn rusqlite::ToSql],
    ) -> Result<Vec<RecordRow>, BookError> {
        let mut statement = self
            .conn()
            .prepare(&format!(
                "SELECT {} FROM records WHERE {condition}",
                RecordRow::COLUMNS
            ))
            .map_err(|e| self.read_error(&e))?;
        let rows = statement
            .query_map(params, RecordRow::from_row)
            .and_then(Iterator::collect)
            .map_err(|e| self.read_error(&e))?;
        Ok(rows)
    }

    /// How far the book has come now.
    pub fn heads(&self) -> Result<Heads, BookError> {
        let max = |table: &str| -> Result<i64, BookError> {
            self.conn()
                .query_row(
                    &format!("SELECT COALESCE(MAX(id), 0) FROM {table}"),
                    [],
                    |r| r.get(0),
                )
                .map_err(|e| self.read_error(&e))
        };
        Ok(Heads {
            records: max("records")?,
            reviews: max("reviews")?,
        })
    }

    /// The records in force as the book stood at `heads`, dated on or before `through`, in
    /// date order (and, on one day, in the order registered): approved by a review the heads
    /// include, neither a cancellation nor corrected or cancelled by an approved record the
    /// heads include.
    pub fn records_in_force(
        &self,
        heads: Heads,
        through: &str,
    ) -> Result<Vec<RecordRow>, BookError> {
        self.records_where(
            "id <= ?1 AND day <= ?3 AND kind != '撤销' \
             AND EXISTS (SELECT 1 FROM reviews v WHERE v.record = records.id AND v.decision = '通过' AND v.id <= ?2) \
             AND NOT EXISTS (SELECT 1 FROM records s JOIN reviews sv ON sv.record = s.id \
                 WHERE s.supersedes = records.id AND s.id <= ?1 AND sv.decision = '通过' AND sv.id <= ?2) \
             ORDER BY day, id",
            params![heads.records, heads.reviews, through],
        )
    }

    /// Calls `each` with (id, day, household, person, item, cells) of every record in force
    /// as the book stood at `heads` (see [`Book::records_in_force`]) dated from `from` up to
    /// `until` (both YYYY-MM-DD, `until` included), in date order and, on one day, in the
    /// order registered — without holding them all.
    pub fn each_in_force(
        &self,
        heads: Heads,
        from: &str,
        until: &str,
        mut each: impl FnMut(InForce<'_>),
    ) -> Result<(), BookError> {
        let mut statement = self
            .conn()
            .prepare(
                "SELECT id, day, household, person, item, cells FROM records \
                 WHERE id <= ?1 AND day >= ?3 AND day <= ?4 AND kind != '撤销' \
                 AND EXISTS (SELECT 1 FROM reviews v WHERE v.record = records.id AND v.decision = '通过' AND v.id <= ?2) \
                 AND NOT EXISTS (SELECT 1 FROM records s JOIN reviews sv ON sv.record = s.id \
                     WHERE s.supersedes = records.id AND s.id <= ?1 AND sv.decision = '通过' AND sv.id <= ?2) \
                 ORDER BY day, id",
            )
            .map_err(|e| self.read_error(&e))?;
        let mut rows = statement
            .query(params![heads.records, heads.reviews, from, until])
            .map_err(|e| self.read_error(&e))?;
        while let Some(row) = rows.next().map_err(|e| self.read_error(&e))? {
            each(InForce {
                id: row.get(0).unwrap_or(0),
                day: text(row, 1),
                household: text(row, 2),
                person: text(row, 3),
                item: text(row, 4),
                cells: text(row, 5),
            });
        }
        Ok(())
    }

    /// Every publication, first to last.
    pub fn publications(&self) -> Result<Vec<PublicationRow>, BookError> {
        let mut statement = self
            .conn()
            .prepare(
                "SELECT id, through, period, days, deadline, compact, records_head, reviews_head, \
                 content, by, at, prev_seal, seal FROM publications ORDER BY id",
            )
            .map_err(|e| self.read_error(&e))?;
        let rows = statement
            .query_map([], |r| {
                Ok(PublicationRow {
                    id: r.get(0)?,
                    through: r.get(1)?,
                    period: r.get(2)?,
                    days: r.get(3)?,
                    deadline: r.get(4)?,
                    compact: r.get(5)?,
                    heads: Heads {
                        records: r.get(6)?,
                        reviews: r.get(7)?,
                    },
                    content: r.get(8)?,
                    by: r.get(9)?,
                    at: r.get(10)?,
                    prev_seal: r.get(11)?,
                    seal: r.get(12)?,
                })
            })
            .and_then(Iterator::collect)
            .map_err(|e| self.read_error(&e))?;
        Ok(rows)
    }

    /// Every objection, oldest first.
    pub fn objections(&self) -> Result<Vec<ObjectionRow>, BookError> {
        let mut statement = self
            .conn()
            .prepare("SELECT id, record, publication, reason, by, at FROM objections ORDER BY id")
            .map_err(|e| self.read_error(&e))?;
        let rows = statement
            .query_map([], |r| {
                Ok(ObjectionRow {
                    id: r.get(0)?,
                    record: r.get(1)?,
                    publication: r.get(2)?,
                    reason: r.get(3)?,
                    by: r.get(4)?,
                    at: r.get(5)?,
                })
            })
            .and_then(Iterator::collect)
            .map_err(|e| self.read_error(&e))?;
        Ok(rows)
    }

    /// Every resolution, oldest first.
    pub fn resolutions(&self) -> Result<Vec<ResolutionRow>, BookError> {
        let mut statement = self
            .conn()
            .prepare(
                "SELECT id, objection, decision, correction, reason, by, at FROM resolutions ORDER BY id",
            )
            .map_err(|e| self.read_error(&e))?;
        let rows = statement
            .query_map([], |r| {
                Ok(ResolutionRow {
                    id: r.get(0)?,
                    objection: r.get(1)?,
                    decision: r.get(2)?,
                    correction: r.get(3)?,
                    reason: r.get(4)?,
                    by: r.get(5)?,
                    at: r.get(6)?,
                })
            })
            .and_then(Iterator::collect)
            .map_err(|e| self.read_error(&e))?;
        Ok(rows)
    }

    /// How many records the book holds.
    pub fn record_count(&self) -> Result<i64, BookError> {
        self.conn()
            .query_row("SELECT COUNT(*) FROM records", [], |r| r.get(0))
            .map_err(|e| self.read_error(&e))
    }
}
