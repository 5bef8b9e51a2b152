//! Whether a condition holds for a record and its subject.

use rust_decimal::Decimal;

use super::period::civil_from_days;
use crate::model::value::{Day, FieldValue, day_of};
use crate::model::{CompareOp, Cond, CountCondition, Literal, Operand, ValueType};
use crate::model::{EventRecord, Register};

/// What a condition can look at.
pub struct Context<'a> {
    /// The record, when the condition is on an event rule.
    pub record: Option<&'a EventRecord>,
    /// Which of the rule's event kinds the record is (to find fields by [`crate::model::FieldRef`]).
    pub event_position: usize,
    /// The subject's register.
    pub register: &'a Register,
    /// The subject.
    pub subject: u32,
    /// How many records of this kind the subject has had this period, this one included.
    pub count: u32,
}

/// A value a condition compares, borrowed from the record or register.
enum Seen<'a> {
    Value(&'a FieldValue, &'a ValueType),
    Day(Day),
    Missing,
}

fn operand<'a>(op: &'a Operand, ctx: &'a Context<'a>) -> Seen<'a> {
    match op {
        Operand::Field(field) => {
            let index = field.indexes.get(ctx.event_position).copied();
            match (ctx.record, index) {
                (Some(record), Some(i)) => match record.values.get(i).and_then(Option::as_ref) {
                    Some(v) => Seen::Value(v, &field.ty),
                    None => Seen::Missing,
                },
                _ => Seen::Missing,
            }
        }
        Operand::Attribute { index, ty, .. } => match ctx.register.value(ctx.subject, *index) {
            Some(v) => Seen::Value(v, ty),
            None => Seen::Missing,
        },
        Operand::Date => match ctx.record {
            Some(r) => Seen::Day(r.day),
            None => Seen::Missing,
        },
    }
}

fn literal_day(literal: &Literal) -> Option<Day> {
    match literal {
        Literal::Date(d) => Some(day_of(*d)),
        _ => None,
    }
}

/// Compares a value with a literal: `Some(ordering)` when they are comparable.
fn compare(seen: &Seen<'_>, literal: &Literal) -> Option<std::cmp::Ordering> {
    match (seen, literal) {
        (Seen::Day(day), Literal::Date(_)) => literal_day(literal).map(|d| day.cmp(&d)),
        (Seen::Day(day), Literal::MonthDay(md)) => {
            let (_, m, d) = civil_from_days(*day);
            Some((m, d).cmp(&(u32::from(md.month), u32::from(md.day))))
        }
        (Seen::Value(FieldValue::Date(day), _), _) => compare(&Seen::Day(*day), literal),
        (Seen::Value(FieldValue::Number(n), _), Literal::Number(l)) => Some(n.cmp(l)),
        (Seen::Value(FieldValue::Money(f), _), Literal::Money(l)) => Some(f.cmp(l)),
        (Seen::Value(FieldValue::Bool(b), _), Literal::Bool(l)) => Some(b.cmp(l)),
        (Seen::Value(FieldValue::Text(t), _), Literal::Text(l)) => Some((**t).cmp(l.as_str())),
        (Seen::Value(FieldValue::Choice(i), ValueType::Choice(options)), Literal::Text(l)) => {
            let chosen = options.get(usize::from(*i))?;
            Some(chosen.as_str().cmp(l.as_str()))
        }
        _ => None,
    }
}

fn in_range(seen: &Seen<'_>, from: &Literal, to: &Literal) -> bool {
    let day = match seen {
        Seen::Day(d) | Seen::Value(FieldValue::Date(d), _) => *d,
        _ => return false,
    };
    match (from, to) {
        (Literal::MonthDay(a), Literal::MonthDay(b)) => {
            let (_, m, d) = civil_from_days(day);
            let x = (m, d);
            let (a, b) = (
                (u32::from(a.month), u32::from(a.day)),
                (u32::from(b.month), u32::from(b.day)),
            );
            if a <= b {
                a <= x && x <= b
            } else {
                // 11月1日 至 2月28日: across the new year.
                x >= a || x <= b
            }
        }
        _ => match (literal_day(from), literal_day(to)) {
            (Some(a), Some(b)) => a <= day && day <= b,
            _ => false,
        },
    }
}

/// Whether `cond` holds.
pub fn holds(cond: &Cond, ctx: &Context<'_>) -> bool {
    use std::cmp::Ordering::{Equal, Greater, Less};
    match cond {
        Cond::All(items) => items.iter().all(|c| holds(c, ctx)),
        Cond::Any(items) => items.iter().any(|c| holds(c, ctx)),
        Cond::Not(inner) => !holds(inner, ctx),
        Cond::Flag(op) => matches!(operand(op, ctx), Seen::Value(FieldValue::Bool(true), _)),
        Cond::Compare {
            operand: op,
            op: compare_op,
            values,
        } => {
            let seen = operand(op, ctx);
            if matches!(seen, Seen::Missing) {
                return false;
            }
            let orderings = values.iter().map(|v| compare(&seen, v));
            match compare_op {
                CompareOp::Eq => orderings.into_iter().any(|o| o == Some(Equal)),
                CompareOp::Ne => orderings.into_iter().all(|o| o.is_some_and(|o| o != Equal)),
                _ => {
                    let Some(ordering) = values.first().and_then(|v| compare(&seen, v)) else {
                        return false;
                    };
                    match compare_op {
                        CompareOp::Ge | CompareOp::NotBefore => ordering != Less,
                        CompareOp::Gt | CompareOp::After => ordering == Greater,
                        CompareOp::Le | CompareOp::NotAfter => ordering != Greater,
                        CompareOp::Lt | CompareOp::Before => ordering == Less,
                        CompareOp::Eq | CompareOp::Ne => false,
                    }
                }
            }
        }
        Cond::Between {
            operand: op,
            from,
            to,
        } => in_range(&operand(op, ctx), from, to),
        Cond::Count(count) => match count {
            CountCondition::Nth(n) => ctx.count == *n,
            CountCondition::From(n) => ctx.count >= *n,
            CountCondition::FirstN(n) => ctx.count <= *n,
        },
    }
}

/// A condition in words, for the multiplier note (「党员户为是」).
pub fn words(cond: &Cond) -> String {
    crate::model::describe::condition(cond)
}

/// The numeric value of a field (quantities, points; money in fen).
pub fn number_of(value: &FieldValue) -> Option<Decimal> {
    match value {
        FieldValue::Number(n) => Some(*n),
        FieldValue::Money(f) => Some(Decimal::from(*f)),
        _ => None,
    }
}

/// Whether a field value equals a literal (for table rows).
pub fn literal_equals(value: &FieldValue, ty: &ValueType, literal: &Literal) -> bool {
    compare(&Seen::Value(value, ty), literal) == Some(std::cmp::Ordering::Equal)
}
