//! What an evaluation gives: per subject its points per account, ratings, vetoes, eligibility,
//! titles and dividend; and a summary of the records.

use std::sync::Arc;

use rust_decimal::Decimal;
use serde::Serialize;

use super::period::Period;
use crate::model::value::Day;
use crate::model::{AccountId, ClauseId, KindId, RatingId, VetoEffect};

/// The results of one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Results {
    /// The period evaluated.
    pub period: Period,
    /// Per subject kind (households first).
    pub kinds: Vec<KindResults>,
    /// Counts of records.
    pub summary: Summary,
    /// The dividend, when the compact has one.
    pub dividend: Option<DividendResult>,
}

/// The results of one kind of subject.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KindResults {
    /// Which kind.
    pub kind: KindId,
    /// Its accounts, in the order of [`SubjectResult::points`].
    pub accounts: Vec<AccountId>,
    /// Its ratings, in the order of [`SubjectResult::ratings`].
    pub ratings: Vec<RatingId>,
    /// Its subjects, in register order.
    pub subjects: Vec<SubjectResult>,
}

/// One subject's results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubjectResult {
    /// 户号 or person id.
    pub id: String,
    /// Points per account.
    pub points: Vec<Decimal>,
    /// Per rating.
    pub ratings: Vec<RatingOutcome>,
    /// Whether it takes part in the dividend (not vetoed).
    pub eligible: bool,
    /// Vetoes that took effect.
    pub vetoes: Vec<VetoRecord>,
    /// Its dividend in fen.
    pub dividend_fen: i64,
    /// The points each windowed rating (每季度 评定 …) was judged on: (rating, points); empty
    /// when the compact has none.
    pub judged: Vec<(RatingId, Decimal)>,
    /// Titles from rank awards.
    pub titles: Vec<String>,
    /// 分项: the balance of each group of the kind's accounts (accounts in the kind's order,
    /// each account's groups in declared order); empty when no account has groups.
    pub groups: Vec<Decimal>,
}

impl SubjectResult {
    /// The clause whose veto cancelled rating `rating` for this subject: the first such veto
    /// (vetoes are kept in date order), or `None` when no veto cancelled it.
    pub fn cancelled_by(&self, rating: RatingId) -> Option<ClauseId> {
        self.vetoes
            .iter()
            .find(|v| v.effects.contains(&VetoEffect::CancelRating(rating)))
            .map(|v| v.clause)
    }
}

/// A rating's outcome for one subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum RatingOutcome {
    /// The label of the first row that matched (or 其余), shared by every subject that has it
    /// (a city's million households hold a handful of labels, not a million copies).
    Label(Arc<str>),
    /// No row matched and there is no 其余.
    None,
    /// Cancelled by a veto.
    Cancelled,
    /// Outside the rating's class (（限 类别 为 预备党员）): not rated (不参评).
    NotRated,
}

impl RatingOutcome {
    /// The label, if there is one.
    pub fn label(&self) -> Option<&str> {
        match self {
            RatingOutcome::Label(l) => Some(l),
            _ => None,
        }
    }
}

/// A veto that took effect.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VetoRecord {
    /// The clause.
    pub clause: ClauseId,
    /// The record's line.
    pub line: u64,
    /// The record's date.
    pub day: Day,
    /// What it did.
    pub effects: Vec<VetoEffect>,
}

/// Counts of records, for the summary line and `summary` in JSON.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Households in the register.
    pub households: usize,
    /// Persons in rosters.
    pub persons: usize,
    /// Good records read (all periods).
    pub records: u64,
    /// Records in the period.
    pub in_period: u64,
    /// Records in the period that were evaluated: approved, with their evidence, and handed to
    /// the clauses (including the `refused` ones, and those no clause applies to).
    pub scored: u64,
    /// Records pending review or evidence.
    pub pending: u64,
    /// Records refused in review (驳回).
    pub rejected_in_review: u64,
    /// Bad records left out (written to the reject file by the command line).
    pub bad_records: u64,
    /// Records evaluated but refused by a rule (points out of range, balance too low): a part
    /// of `scored`.
    pub refused: u64,
    /// Records before the period (read for history only).
    pub before_period: u64,
    /// Records after the period (not used).
    pub after_period: u64,
    /// Good records per period (all of the log's, wherever the evaluation stopped).
    pub periods: super::period::PeriodCounts,
    /// How the period was chosen (set by whoever chose it; the evaluator is told a year or
    /// follows the records).
    pub chosen_by: super::period::PeriodSource,
}

/// The dividend of the period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DividendResult {
    /// The amount given at evaluation (`--pool`), in fen.
    pub given_fen: Option<i64>,
    /// The pool shared out (the given amount times the compact's share), in fen.
    pub pool_fen: Option<i64>,
    /// What was shared out (equal to the pool unless nobody is eligible).
    pub distributed_fen: i64,
    /// 每分 N 元 计发: the money per point, in fen (no pool then).
    pub per_point_fen: Option<i64>,
    /// The account whose points decide the shares.
    pub account: AccountId,
    /// The points of all eligible households.
    pub total_points: Decimal,
    /// How many households share.
    pub eligible: usize,
    /// The clause.
    pub clause: ClauseId,
}
