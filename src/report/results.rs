//! Evaluation results as data for people and programs: the stable JSON schema (docs/json.md),
//! and the rows that the table, CSV, HTML and workbook outputs print.
//!
//! Points are decimal strings ("12.5"), money is integer fen, dates are "2024-03-05".

use indexmap::IndexMap;
use serde::Serialize;

use crate::data::Register;
use crate::data::value::date_of;
use crate::eval::{RatingOutcome, Results};
use crate::model::{Compact, HOUSEHOLD, describe};

/// Where the data came from, for the report's header.
#[derive(Debug, Clone, Serialize)]
pub struct Sources {
    /// The compact file.
    pub compact: String,
    /// The register file.
    pub register: String,
    /// The event log.
    pub events: String,
}

/// `eval --format json`.
#[derive(Debug, Clone, Serialize)]
pub struct EvalJson {
    /// The compact.
    pub compact: CompactInfo,
    /// The period.
    pub period: PeriodInfo,
    /// One object per household, in register order.
    pub households: Vec<HouseholdJson>,
    /// Roster members by roster name.
    pub members: IndexMap<String, Vec<MemberJson>>,
    /// Counts.
    pub summary: SummaryJson,
}

/// Which compact and data.
#[derive(Debug, Clone, Serialize)]
pub struct CompactInfo {
    /// 乡约「…」.
    pub title: String,
    /// 版本.
    pub version: Option<String>,
    /// Files read.
    pub sources: Sources,
}

/// The evaluated period.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodInfo {
    /// The year it starts in.
    pub year: i32,
    /// First day.
    pub start: String,
    /// Last day.
    pub end: String,
    /// 2024年度.
    pub label: String,
}

/// One household.
#[derive(Debug, Clone, Serialize)]
pub struct HouseholdJson {
    /// 户号.
    pub id: String,
    /// Points per account, by account name.
    pub tracks: IndexMap<String, String>,
    /// Points of the default account.
    pub total: String,
    /// The first rating's label (null when none or cancelled).
    pub rating: Option<String>,
    /// Every rating by name: its label, null when none, "取消" when cancelled.
    pub ratings: IndexMap<String, Option<String>>,
    /// Whether it takes part in the dividend.
    pub eligible: bool,
    /// Vetoes that took effect.
    pub vetoes: Vec<VetoJson>,
    /// Its dividend in fen.
    pub dividend_fen: i64,
    /// Titles from rank awards.
    pub titles: Vec<String>,
}

/// One roster member.
#[derive(Debug, Clone, Serialize)]
pub struct MemberJson {
    /// The person's id.
    pub id: String,
    /// Their household's 户号.
    pub household: Option<String>,
    /// Points per account.
    pub tracks: IndexMap<String, String>,
    /// Ratings by name.
    pub ratings: IndexMap<String, Option<String>>,
    /// Vetoes.
    pub vetoes: Vec<VetoJson>,
}

/// A veto that took effect.
#[derive(Debug, Clone, Serialize)]
pub struct VetoJson {
    /// 第N条.
    pub clause: String,
    /// The record's date.
    pub date: String,
    /// The record.
    pub record: RecordRef,
    /// What it did, in words.
    pub effects: Vec<String>,
}

/// An event record: its file and line.
#[derive(Debug, Clone, Serialize)]
pub struct RecordRef {
    /// The log file.
    pub file: String,
    /// Its line.
    pub line: u64,
}

/// Counts of records.
#[derive(Debug, Clone, Serialize)]
pub struct SummaryJson {
    /// Households in the register.
    pub households: usize,
    /// Persons in rosters.
    pub persons: usize,
    /// Records in the log (good and bad, all periods).
    pub events: u64,
    /// Records in the period.
    pub in_period: u64,
    /// Records evaluated by the rules.
    pub scored: u64,
    /// Records pending review or evidence.
    pub pending: u64,
    /// Records refused in review (驳回).
    pub rejected: u64,
    /// Bad records left out (with --reject-file).
    pub invalid: u64,
    /// Records refused by a rule (points out of range, balance too low).
    pub refused: u64,
    /// Records before and after the period.
    pub outside_period: u64,
    /// The dividend pool in fen (null without --pool or without a dividend rule).
    pub pool_fen: Option<i64>,
    /// What was shared out, in fen.
    pub distributed_fen: i64,
}

fn rating_json(outcome: &RatingOutcome) -> Option<String> {
    match outcome {
        RatingOutcome::Label(l) => Some(l.clone()),
        RatingOutcome::None => None,
        RatingOutcome::Cancelled => Some("取消".to_string()),
    }
}

fn veto_json(compact: &Compact, veto: &crate::eval::VetoRecord, file: &str) -> VetoJson {
    VetoJson {
        clause: compact
            .clauses
            .get(veto.clause)
            .map(|c| describe::clause_label(c.number))
            .unwrap_or_default(),
        date: date_of(veto.day).to_string(),
        record: RecordRef {
            file: file.to_string(),
            line: veto.line,
        },
        effects: veto
            .effects
            .iter()
            .map(|e| describe::veto_effect(compact, e))
            .collect(),
    }
}

/// Builds the JSON document.
pub fn eval_json(
    compact: &Compact,
    results: &Results,
    registers: &[Register],
    sources: &Sources,
) -> EvalJson {
    let account_name = |a: &usize| {
        compact
            .accounts
            .get(*a)
            .map(|a| a.name.clone())
            .unwrap_or_default()
    };
    let rating_name = |r: &usize| {
        compact
            .ratings
            .get(*r)
            .map(|r| r.name.clone())
            .unwrap_or_default()
    };
    let mut households = Vec::new();
    let mut members = IndexMap::new();
    for kind in &results.kinds {
        let default_column = compact
            .default_account(kind.kind)
            .and_then(|d| kind.accounts.iter().position(|a| *a == d));
        if kind.kind == HOUSEHOLD {
            for s in &kind.subjects {
                let tracks: IndexMap<String, String> = kind
                    .accounts
                    .iter()
                    .zip(&s.points)
                    .map(|(a, p)| (account_name(a), p.normalize().to_string()))
                    .collect();
                let ratings: IndexMap<String, Option<String>> = kind
                    .ratings
                    .iter()
                    .zip(&s.ratings)
                    .map(|(r, o)| (rating_name(r), rating_json(o)))
                    .collect();
                households.push(HouseholdJson {
                    id: s.id.clone(),
                    total: default_column
                        .and_then(|c| s.points.get(c))
                        .map(|p| p.normalize().to_string())
                        .unwrap_or_else(|| "0".to_string()),
                    tracks,
                    rating: s
                        .ratings
                        .first()
                        .and_then(|o| o.label().map(str::to_string)),
                    ratings,
                    eligible: s.eligible,
                    vetoes: s
                        .vetoes
                        .iter()
                        .map(|v| veto_json(compact, v, &sources.events))
                        .collect(),
                    dividend_fen: s.dividend_fen,
                    titles: s.titles.clone(),
                });
            }
        } else {
            let register = registers.get(kind.kind);
            let household_ids = registers.get(HOUSEHOLD);
            let list: Vec<MemberJson> = kind
                .subjects
                .iter()
                .enumerate()
                .map(|(i, s)| MemberJson {
                    id: s.id.clone(),
                    household: register
                        .and_then(|r| r.households.get(i).copied().flatten())
                        .and_then(|h| household_ids.and_then(|r| r.ids.get(h as usize).cloned())),
                    tracks: kind
                        .accounts
                        .iter()
                        .zip(&s.points)
                        .map(|(a, p)| (account_name(a), p.normalize().to_string()))
                        .collect(),
                    ratings: kind
                        .ratings
                        .iter()
                        .zip(&s.ratings)
                        .map(|(r, o)| (rating_name(r), rating_json(o)))
                        .collect(),
                    vetoes: s
                        .vetoes
                        .iter()
                        .map(|v| veto_json(compact, v, &sources.events))
                        .collect(),
                })
                .collect();
            let name = compact
                .kinds
                .get(kind.kind)
                .map(|k| k.name.clone())
                .unwrap_or_default();
            members.insert(name, list);
        }
    }
    let summary = &results.summary;
    EvalJson {
        compact: CompactInfo {
            title: compact.title.clone(),
            version: compact.version.clone(),
            sources: sources.clone(),
        },
        period: PeriodInfo {
            year: results.period.year,
            start: date_of(results.period.start).to_string(),
            end: date_of(results.period.last_day()).to_string(),
            label: results.period.label(),
        },
        households,
        members,
        summary: SummaryJson {
            households: summary.households,
            persons: summary.persons,
            events: summary.records + summary.bad_records,
            in_period: summary.in_period,
            scored: summary.scored,
            pending: summary.pending,
            rejected: summary.rejected_in_review,
            invalid: summary.bad_records,
            refused: summary.refused,
            outside_period: summary.before_period + summary.after_period,
            pool_fen: results.dividend.as_ref().and_then(|d| d.pool_fen),
            distributed_fen: results.dividend.as_ref().map_or(0, |d| d.distributed_fen),
        },
    }
}
