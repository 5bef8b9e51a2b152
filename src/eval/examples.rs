//! Running a compact's worked examples (示例): each example's households, members and records
//! are evaluated like a tiny village, and its expectations compared with the results.

use rust_decimal::Decimal;

use super::ledger::{Entry, Ledger};
use super::results::{RatingOutcome, Results};
use super::{Evaluator, PeriodChoice};
use crate::model::value::{FieldValue, day_of};
use crate::model::{Compact, Example, Expected, HOUSEHOLD, Literal, ValueType};
use crate::model::{EventRecord, Register, Status};

/// One expectation that did not hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    /// The subject's id.
    pub subject: String,
    /// What was expected, in words.
    pub expected: String,
    /// What came out, in words.
    pub actual: String,
    /// Where the expectation is written.
    pub span: crate::syntax::Span,
}

/// The outcome of one example.
#[derive(Debug, Clone)]
pub struct ExampleRun {
    /// The example's name.
    pub name: String,
    /// Expectations that did not hold (empty when the example passes).
    pub mismatches: Vec<Mismatch>,
    /// How many expectations were checked.
    pub checked: usize,
    /// The ledger of the example, for explaining a failure.
    pub ledger: Vec<Entry>,
    /// The registers built from the example (to name subjects in the ledger).
    pub registers: Vec<Register>,
    /// The results.
    pub results: Results,
}

fn field_value(literal: &Literal, ty: &ValueType) -> Option<FieldValue> {
    Some(match (literal, ty) {
        (Literal::Text(t), ValueType::Choice(options)) => {
            FieldValue::Choice(u16::try_from(options.iter().position(|o| o == t)?).ok()?)
        }
        (Literal::Text(t), _) => FieldValue::Text(t.as_str().into()),
        (Literal::Number(n), _) => FieldValue::Number(*n),
        (Literal::Money(f), _) => FieldValue::Money(*f),
        (Literal::Bool(b), _) => FieldValue::Bool(*b),
        (Literal::Date(d), _) => FieldValue::Date(day_of(*d)),
        (Literal::MonthDay(_), _) => return None,
    })
}

/// Runs one example of `compact`.
pub fn run_example(compact: &Compact, example: &Example) -> ExampleRun {
    let mut registers: Vec<Register> = compact
        .kinds
        .iter()
        .enumerate()
        .map(|(kind, k)| Register::empty(kind, k.attributes.len(), &example.name))
        .collect();
    for subject in example.subjects.iter().filter(|s| s.kind == HOUSEHOLD) {
        let attributes = compact
            .kinds
            .get(HOUSEHOLD)
            .map(|k| k.attributes.as_slice())
            .unwrap_or(&[]);
        let values = subject
            .values
            .iter()
            .zip(attributes)
            .map(|(v, a)| v.as_ref().and_then(|v| field_value(v, &a.ty)))
            .collect();
        if let Some(register) = registers.get_mut(HOUSEHOLD) {
            register.push(&subject.id, values, 0, None);
        }
    }
    for subject in example.subjects.iter().filter(|s| s.kind != HOUSEHOLD) {
        let attributes = compact
            .kinds
            .get(subject.kind)
            .map(|k| k.attributes.as_slice())
            .unwrap_or(&[]);
        let values = subject
            .values
            .iter()
            .zip(attributes)
            .map(|(v, a)| v.as_ref().and_then(|v| field_value(v, &a.ty)))
            .collect();
        let household = subject
            .household
            .as_ref()
            .and_then(|h| registers.get(HOUSEHOLD).and_then(|r| r.find(h)));
        if let Some(register) = registers.get_mut(subject.kind) {
            register.push(&subject.id, values, 0, household);
        }
    }
    let mut records: Vec<EventRecord> = Vec::new();
    for (line, event) in example.events.iter().enumerate() {
        let Some(kind) = compact.events.get(event.event) else {
            continue;
        };
        let Some(subject) = registers
            .get(kind.owner)
            .and_then(|r| r.find(&event.subject))
        else {
            continue;
        };
        let values = event
            .values
            .iter()
            .zip(&kind.fields)
            .map(|(v, f)| match v {
                Some(v) => field_value(v, &f.ty),
                None => crate::model::value::empty_value(&f.ty),
            })
            .collect();
        records.push(EventRecord {
            line: line as u64 + 1,
            day: day_of(event.date),
            subject,
            kind: event.event,
            status: Status::Approved,
            missing_evidence: None,
            values,
        });
    }
    records.sort_by_key(|r| r.day);
    let mut evaluator =
        Evaluator::new(compact, &registers, PeriodChoice::Latest, Ledger::default());
    for record in &records {
        // Sorted above, so never out of order.
        let _ = evaluator.push(record);
    }
    let (results, ledger) = evaluator.finish(example.pool_fen);
    let mut mismatches = Vec::new();
    for expectation in &example.expectations {
        if let Some(m) = check(compact, &results, expectation) {
            mismatches.push(m);
        }
    }
    ExampleRun {
        name: example.name.clone(),
        checked: example.expectations.len(),
        mismatches,
        ledger: ledger.entries,
        registers,
        results,
    }
}

fn check(
    compact: &Compact,
    results: &Results,
    expectation: &crate::model::ExampleExpectation,
) -> Option<Mismatch> {
    let mismatch = |expected: String, actual: String| Mismatch {
        subject: expectation.subject.clone(),
        expected,
        actual,
        span: expectation.span,
    };
    let find = |kind| {
        results.kinds.iter().find(|k| k.kind == kind).and_then(|k| {
            k.subjects
                .iter()
                .find(|s| s.id == expectation.subject)
                .map(|s| (k, s))
        })
    };
    let account_name = |a: usize| {
        compact
            .accounts
            .get(a)
            .map(|a| a.name.clone())
            .unwrap_or_default()
    };
    let rating_name = |r: usize| {
        compact
            .ratings
            .get(r)
            .map(|r| r.name.clone())
            .unwrap_or_default()
    };
    match &expectation.expected {
        Expected::Points {
            account,
            group,
            points,
        } => {
            let owner = compact
                .accounts
                .get(*account)
                .map_or(HOUSEHOLD, |a| a.owner);
            let actual = find(owner)
                .and_then(|(k, s)| match group {
                    None => {
                        let column = k.accounts.iter().position(|a| a == account)?;
                        s.points.get(column).copied()
                    }
                    // A group's place among the subject's groups: the groups of the accounts
                    // before this one (in the kind's order), then its index.
                    Some(group) => {
                        let before: usize = k
                            .accounts
                            .iter()
                            .take_while(|a| *a != account)
                            .filter_map(|a| compact.accounts.get(*a))
                            .map(|a| a.groups.len())
                            .sum();
                        s.groups.get(before + group).copied()
                    }
                })
                .unwrap_or(Decimal::ZERO);
            let what = match group {
                None => account_name(*account),
                Some(g) => format!(
                    "{}「{}」",
                    account_name(*account),
                    compact
                        .accounts
                        .get(*account)
                        .and_then(|a| a.groups.get(*g))
                        .map(|g| g.name.as_str())
                        .unwrap_or_default()
                ),
            };
            (actual != *points).then(|| {
                mismatch(
                    format!("{what} {} 分", points.normalize()),
                    format!("{what} {} 分", actual.normalize()),
                )
            })
        }
        Expected::Rating { rating, .. } | Expected::RatingCancelled { rating } => {
            let owner = compact
                .ratings
                .get(*rating)
                .and_then(|r| compact.accounts.get(r.account))
                .map_or(HOUSEHOLD, |a| a.owner);
            let actual = find(owner)
                .and_then(|(k, s)| {
                    let column = k.ratings.iter().position(|r| r == rating)?;
                    s.ratings.get(column).cloned()
                })
                .unwrap_or(RatingOutcome::None);
            let words = |o: &RatingOutcome| match o {
                RatingOutcome::Label(l) => format!("{} 为「{l}」", rating_name(*rating)),
                RatingOutcome::None => format!("{} 无", rating_name(*rating)),
                RatingOutcome::NotRated => format!("{} 不参评", rating_name(*rating)),
                RatingOutcome::Cancelled => format!("{} 已取消（一票否决）", rating_name(*rating)),
            };
            let expected = match &expectation.expected {
                // 不参评: outside a limited rating's class (unless a grade has that name).
                Expected::Rating { label, .. }
                    if label == "不参评"
                        && compact.ratings.get(*rating).is_some_and(|r| {
                            r.limit.is_some()
                                && !r.rows.iter().any(|row| row.label == *label)
                                && r.otherwise.as_deref() != Some(label.as_str())
                        }) =>
                {
                    RatingOutcome::NotRated
                }
                // 不上榜 / 无: no label (a 不上榜 row, or no row matched).
                Expected::Rating { label, .. }
                    if (label == "不上榜" || label == "无")
                        && compact.ratings.get(*rating).is_some_and(|r| {
                            !r.rows.iter().any(|row| row.label == *label)
                                && r.otherwise.as_deref() != Some(label.as_str())
                                && !r.series.iter().any(|row| row.label == *label)
                        }) =>
                {
                    RatingOutcome::None
                }
                Expected::Rating { label, .. } => RatingOutcome::Label(label.as_str().into()),
                _ => RatingOutcome::Cancelled,
            };
            (actual != expected).then(|| mismatch(words(&expected), words(&actual)))
        }
        Expected::Dividend(fen) => {
            let actual = find(HOUSEHOLD).map_or(0, |(_, s)| s.dividend_fen);
            (actual != *fen).then(|| {
                mismatch(
                    format!("分红 {}", crate::model::describe::yuan(*fen)),
                    format!("分红 {}", crate::model::describe::yuan(actual)),
                )
            })
        }
        Expected::Eligible(eligible) => {
            let actual = find(HOUSEHOLD).is_some_and(|(_, s)| s.eligible);
            let words = |e: bool| {
                if e {
                    "分红资格 有"
                } else {
                    "分红资格 无"
                }
                .to_string()
            };
            (actual != *eligible).then(|| mismatch(words(*eligible), words(actual)))
        }
    }
}
