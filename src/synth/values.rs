//! Values for synthetic cells: valid for their declared types and aimed at the compact's own
//! thresholds (the numbers its conditions compare with, its per-unit steps, its ranges).

use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::Rng;
use crate::model::value::{Day, date_of};
use crate::model::{
    Action, Compact, Cond, EventId, Field, FieldRef, KindId, Literal, Operand, Rule, ValueType,
};

/// What the compact says about each field and attribute.
#[derive(Debug, Default)]
pub struct Marks {
    /// Per event kind, per field: numbers the compact compares it with or steps it by.
    field_numbers: Vec<Vec<Vec<Decimal>>>,
    /// Per event kind, per field: texts the compact compares it with.
    field_texts: Vec<Vec<Vec<String>>>,
    /// Per event kind, per field: the range a 分值区间 rule reads it in.
    ranges: Vec<Vec<Option<(Decimal, Decimal)>>>,
    /// Per subject kind, per attribute: numbers conditions compare it with.
    attribute_numbers: Vec<Vec<Vec<Decimal>>>,
}

/// A literal as a plain number (money in yuan).
fn number(literal: &Literal) -> Option<Decimal> {
    match literal {
        Literal::Number(n) => Some(*n),
        Literal::Money(fen) => Some(Decimal::new(*fen, 2)),
        _ => None,
    }
}

impl Marks {
    pub fn new(compact: &Compact) -> Self {
        let mut marks = Marks {
            field_numbers: compact
                .events
                .iter()
                .map(|e| vec![Vec::new(); e.fields.len()])
                .collect(),
            field_texts: compact
                .events
                .iter()
                .map(|e| vec![Vec::new(); e.fields.len()])
                .collect(),
            ranges: compact
                .events
                .iter()
                .map(|e| vec![None; e.fields.len()])
                .collect(),
            attribute_numbers: compact
                .kinds
                .iter()
                .map(|k| vec![Vec::new(); k.attributes.len()])
                .collect(),
        };
        for rule in compact.clauses.iter().flat_map(|c| &c.rules) {
            let Rule::Event(rule) = rule else { continue };
            if let Some(condition) = &rule.condition {
                marks.condition(&rule.events, condition);
            }
            for m in &rule.multipliers {
                marks.condition(&rule.events, &m.condition);
            }
            match &rule.action {
                Action::PerUnit { field, step, .. } => {
                    marks.numbers(&rule.events, field, [*step, *step * Decimal::TEN]);
                }
                Action::Range {
                    field, min, max, ..
                } => {
                    for (e, i) in rule.events.iter().zip(&field.indexes) {
                        if let Some(slot) = marks.ranges.get_mut(*e).and_then(|r| r.get_mut(*i)) {
                            *slot = Some((*min, *max));
                        }
                    }
                }
                Action::Table { field, rows, .. } => {
                    let keys: Vec<&Literal> = rows.iter().flat_map(|r| &r.keys).collect();
                    marks.numbers(&rule.events, field, keys.iter().filter_map(|k| number(k)));
                    marks.texts(&rule.events, field, &keys);
                }
                _ => {}
            }
        }
        marks
    }

    fn numbers(
        &mut self,
        events: &[EventId],
        field: &FieldRef,
        values: impl IntoIterator<Item = Decimal>,
    ) {
        let values: Vec<Decimal> = values.into_iter().collect();
        for (e, i) in events.iter().zip(&field.indexes) {
            if let Some(slot) = self.field_numbers.get_mut(*e).and_then(|r| r.get_mut(*i)) {
                for v in &values {
                    if !slot.contains(v) {
                        slot.push(*v);
                    }
                }
            }
        }
    }

    fn texts(&mut self, events: &[EventId], field: &FieldRef, values: &[&Literal]) {
        for (e, i) in events.iter().zip(&field.indexes) {
            if let Some(slot) = self.field_texts.get_mut(*e).and_then(|r| r.get_mut(*i)) {
                for v in values {
                    if let Literal::Text(t) = v
                        && !slot.contains(t)
                    {
                        slot.push(t.clone());
                    }
                }
            }
        }
    }

    fn condition(&mut self, events: &[EventId], condition: &Cond) {
        match condition {
            Cond::All(parts) | Cond::Any(parts) => {
                for p in parts {
                    self.condition(events, p);
                }
            }
            Cond::Not(inner) => self.condition(events, inner),
            Cond::Compare {
                operand, values, ..
            } => self.operand(events, operand, values.iter()),
            Cond::Between { operand, from, to } => self.operand(events, operand, [from, to]),
            Cond::Flag(_) | Cond::Count(_) => {}
        }
    }

    fn operand<'l>(
        &mut self,
        events: &[EventId],
        operand: &Operand,
        values: impl IntoIterator<Item = &'l Literal>,
    ) {
        let values: Vec<&Literal> = values.into_iter().collect();
        match operand {
            Operand::Field(field) => {
                self.numbers(events, field, values.iter().filter_map(|v| number(v)));
                self.texts(events, field, &values);
            }
            Operand::Attribute { kind, index, .. } => {
                if let Some(slot) = self
                    .attribute_numbers
                    .get_mut(*kind)
                    .and_then(|k| k.get_mut(*index))
                {
                    slot.extend(values.iter().filter_map(|v| number(v)));
                }
            }
            Operand::Date => {}
        }
    }

    /// Writes a value for field `f` of event kind `event`, on a record dated `day`, into `out`.
    pub fn field_value(
        &self,
        event: EventId,
        f: usize,
        ty: &ValueType,
        day: Day,
        rng: &mut Rng,
        out: &mut String,
    ) {
        if let Some(Some((min, max))) = self.ranges.get(event).and_then(|r| r.get(f)) {
            // Whole points when both ends are whole, else halves.
            let step = if min.fract().is_zero() && max.fract().is_zero() {
                Decimal::ONE
            } else {
                Decimal::new(5, 1)
            };
            let steps = ((*max - *min) / step).floor();
            let n = u64::try_from(steps).unwrap_or(0);
            let value = *min + step * Decimal::from(rng.below(n + 1));
            let _ = write!(out, "{}", value.normalize());
            return;
        }
        let numbers = self
            .field_numbers
            .get(event)
            .and_then(|r| r.get(f))
            .map_or(&[][..], Vec::as_slice);
        let texts = self
            .field_texts
            .get(event)
            .and_then(|r| r.get(f))
            .map_or(&[][..], Vec::as_slice);
        match ty {
            ValueType::Text => match rng.pick(texts).filter(|_| rng.percent(70)) {
                Some(t) => out.push_str(t),
                None => out.push_str(
                    TEXTS
                        .get(rng.below(TEXTS.len() as u64) as usize)
                        .copied()
                        .unwrap_or("记录"),
                ),
            },
            ValueType::Date => {
                let back = i32::try_from(rng.below(30)).unwrap_or(0);
                let _ = write!(out, "{}", date_of(day - back));
            }
            _ => simple_value(ty, numbers, rng, out),
        }
    }

    /// A value for attribute `a` of subject `index` of `kind`.
    pub fn attribute_value(
        &self,
        kind: KindId,
        a: usize,
        attribute: &Field,
        index: u32,
        rng: &mut Rng,
    ) -> String {
        let numbers = self
            .attribute_numbers
            .get(kind)
            .and_then(|k| k.get(a))
            .map_or(&[][..], Vec::as_slice);
        let mut out = String::new();
        match &attribute.ty {
            ValueType::Text if attribute.name.ends_with('组') => {
                let _ = write!(out, "{}组", 1 + index % 12);
            }
            ValueType::Text => {
                let surname = SURNAMES.get(rng.below(SURNAMES.len() as u64) as usize);
                let given = GIVEN.get(rng.below(GIVEN.len() as u64) as usize);
                out.push_str(surname.copied().unwrap_or("王"));
                out.push_str(given.copied().unwrap_or("明"));
            }
            ValueType::Integer if numbers.is_empty() => {
                // Household sizes: 1–7, three and four most common.
                let _ = write!(out, "{}", 1 + rng.below(4) + rng.below(4));
            }
            ValueType::Date => {
                let day = crate::model::value::days_from_civil(1950, 1, 1)
                    + i32::try_from(rng.below(55 * 365)).unwrap_or(0);
                let _ = write!(out, "{}", date_of(day));
            }
            ValueType::Bool => out.push_str(if rng.percent(25) { "是" } else { "否" }),
            ty => simple_value(ty, numbers, rng, &mut out),
        }
        out
    }
}

/// A number, yes/no or option: numbers near the compact's marks (half, on, a little over,
/// twice) or, without marks, a small plausible amount.
fn simple_value(ty: &ValueType, marks: &[Decimal], rng: &mut Rng, out: &mut String) {
    match ty {
        ValueType::Bool => out.push_str(if rng.percent(50) { "是" } else { "否" }),
        ValueType::Choice(options) => {
            if let Some(o) = rng.pick(options) {
                out.push_str(o);
            }
        }
        ValueType::Integer | ValueType::Quantity(_) | ValueType::Money | ValueType::Points => {
            let value = if let Some(mark) = rng.pick(marks).filter(|_| rng.percent(80)) {
                let factor = [
                    Decimal::new(5, 1),
                    Decimal::ONE,
                    Decimal::new(12, 1),
                    Decimal::TWO,
                ];
                let f = factor
                    .get(rng.below(4) as usize)
                    .copied()
                    .unwrap_or(Decimal::ONE);
                (*mark * f).round()
            } else {
                let (low, spread) = match ty {
                    ValueType::Money => (50, 1_950),
                    ValueType::Points => (1, 10),
                    ValueType::Quantity(Some(unit)) if unit == "天" => (1, 3),
                    ValueType::Quantity(_) => (1, 8),
                    _ => (1, 9),
                };
                Decimal::from(low + rng.below(spread))
            };
            let _ = write!(out, "{}", value.max(Decimal::ONE).normalize());
        }
        ValueType::Text | ValueType::Date => {}
    }
}

/// Per event kind: the event kinds whose records its 修复 rules repair.
pub fn repair_targets(compact: &Compact) -> Vec<Vec<EventId>> {
    let mut targets = vec![Vec::new(); compact.events.len()];
    for rule in compact.clauses.iter().flat_map(|c| &c.rules) {
        let Rule::Event(rule) = rule else { continue };
        let Action::Repair {
            targets: clauses, ..
        } = &rule.action
        else {
            continue;
        };
        let repaired: Vec<EventId> = clauses
            .iter()
            .filter_map(|c| compact.clauses.get(*c))
            .flat_map(|c| &c.rules)
            .filter_map(|r| match r {
                Rule::Event(r) => Some(r.events.clone()),
                _ => None,
            })
            .flatten()
            .collect();
        for e in &rule.events {
            if let Some(slot) = targets.get_mut(*e) {
                slot.extend(repaired.iter().copied());
            }
        }
    }
    targets
}

const TEXTS: &[&str] = &["记录", "村委会登记", "已核实", "见附件"];
const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "朱", "胡", "彭",
];
const GIVEN: &[&str] = &[
    "建国", "秀英", "桂兰", "德明", "红梅", "志强", "海燕", "国华", "玉兰", "伟", "芳", "军",
];
