//! What makes a change 从宽 or 从严: whether a rule gives or takes points (its polarity), and
//! the comparisons whose direction follows from it — amounts, caps, multipliers, conditions.

use rust_decimal::Decimal;

use super::{Change, Direction};
use crate::model::describe::{self, number, signed_points};
use crate::model::{
    Action, Cap, ClauseId, Compact, CompareOp, Cond, CountCondition, Literal, Multiplier, Rule,
    Sign, Window,
};

/// Whether a rule gives points or takes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Polarity {
    /// Gives points (or relieves a deduction: an exception that scores nothing).
    Award,
    /// Takes points, or vetoes.
    Deduction,
    /// Both or neither (tables with both signs, redemptions).
    Unknown,
}

impl Polarity {
    /// The direction of the rule applying more often (a broader condition).
    pub fn broader(self) -> Direction {
        match self {
            Polarity::Award => Direction::Looser,
            Polarity::Deduction => Direction::Stricter,
            Polarity::Unknown => Direction::Unclear,
        }
    }

    fn of_sign(points: Decimal) -> Polarity {
        match points.cmp(&Decimal::ZERO) {
            std::cmp::Ordering::Greater => Polarity::Award,
            std::cmp::Ordering::Less => Polarity::Deduction,
            std::cmp::Ordering::Equal => Polarity::Unknown,
        }
    }

    fn all(points: impl IntoIterator<Item = Decimal>) -> Polarity {
        let mut all = points.into_iter().map(Polarity::of_sign);
        let Some(first) = all.next() else {
            return Polarity::Unknown;
        };
        if all.all(|p| p == first) {
            first
        } else {
            Polarity::Unknown
        }
    }
}

/// Whether a rule of clause `clause` gives or takes points.
pub fn polarity(compact: &Compact, clause: ClauseId, rule: &Rule) -> Polarity {
    match rule {
        Rule::Base(b) => Polarity::of_sign(b.points),
        Rule::Streak(s) => Polarity::of_sign(s.points),
        Rule::Event(e) => match &e.action {
            Action::Fixed { points } | Action::PerUnit { points, .. } => Polarity::of_sign(*points),
            Action::Range { sign, .. } => match sign {
                Sign::Add => Polarity::Award,
                Sign::Deduct => Polarity::Deduction,
            },
            Action::Table {
                rows, otherwise, ..
            } => Polarity::all(rows.iter().map(|r| r.points).chain(*otherwise)),
            Action::Ladder { rungs, .. } => Polarity::all(rungs.iter().map(|r| r.points)),
            Action::Redeem { .. } => Polarity::Unknown,
            Action::Veto(_) => Polarity::Deduction,
            // A repair (修复) gives back what a deduction or veto took.
            Action::Repair { .. } => Polarity::Award,
            Action::Zero => {
                // An exception that scores nothing relieves what its targets would have done.
                let Some(c) = compact.clauses.get(clause) else {
                    return Polarity::Unknown;
                };
                let targets: Vec<Polarity> = c
                    .exceptions_to
                    .iter()
                    .filter_map(|t| compact.clauses.get(*t).map(|tc| (*t, tc)))
                    .flat_map(|(t, tc)| tc.rules.iter().map(move |r| (t, r)))
                    .map(|(t, r)| polarity(compact, t, r))
                    .collect();
                match targets.as_slice() {
                    [] => Polarity::Unknown,
                    [first, rest @ ..] if rest.iter().all(|p| p == first) => match first {
                        Polarity::Award => Polarity::Deduction,
                        Polarity::Deduction => Polarity::Award,
                        Polarity::Unknown => Polarity::Unknown,
                    },
                    _ => Polarity::Unknown,
                }
            }
        },
    }
}

/// The polarity of a whole clause: its rules together.
pub(super) fn clause_polarity(compact: &Compact, clause: ClauseId) -> Option<Polarity> {
    let c = compact.clauses.get(clause)?;
    let mut all = c.rules.iter().map(|r| polarity(compact, clause, r));
    let first = all.next()?;
    Some(if all.all(|p| p == first) {
        first
    } else {
        Polarity::Unknown
    })
}

/// 「…加分由 2 分改为 3 分」: a signed amount changed; more is looser.
pub fn amount(what: &str, old: Decimal, new: Decimal) -> Change {
    let (o, n) = (old.normalize(), new.normalize());
    let text = if o >= Decimal::ZERO && n >= Decimal::ZERO {
        format!("{what}加分由 {} 分改为 {} 分", number(o), number(n))
    } else if o <= Decimal::ZERO && n <= Decimal::ZERO {
        format!("{what}扣分由 {} 分改为 {} 分", number(-o), number(-n))
    } else {
        format!("{what}由{}改为{}", signed_points(o), signed_points(n))
    };
    Change::new(text, Direction::from_more(n > o))
}

fn window_words(w: Window) -> &'static str {
    match w {
        Window::Period => "每年",
        Window::Quarter => "每季度",
        Window::Month => "每月",
    }
}

/// Caps compared by window and direction: a higher cap on awards is looser, on deductions
/// stricter. `prefix` names whose caps they are (「本条」 is left out).
pub fn compare_caps(prefix: &str, old: &[Cap], new: &[Cap], persons: bool) -> Vec<Change> {
    let mut out = Vec::new();
    // 每人 and 每户 caps of one window are different caps.
    let key = |c: &Cap| (c.per, c.window, c.direction);
    // A roster's records: a cap without 每户 is each person's.
    let noun = |c: &Cap| match (c.per, c.direction) {
        (crate::model::Per::Subject, Sign::Add) if persons => "每人上限",
        (crate::model::Per::Subject, Sign::Deduct) if persons => "每人扣分上限",
        (crate::model::Per::Subject, Sign::Add) => "上限",
        (crate::model::Per::Subject, Sign::Deduct) => "扣分上限",
        (crate::model::Per::Household, Sign::Add) => "每户上限",
        (crate::model::Per::Household, Sign::Deduct) => "每户扣分上限",
    };
    for n in new {
        match old.iter().find(|o| key(o) == key(n)) {
            Some(o) if o.limit != n.limit => {
                let more = n.limit > o.limit;
                out.push(Change::new(
                    format!(
                        "{prefix}{}{}由 {} 分改为 {} 分",
                        window_words(n.window),
                        noun(n),
                        number(o.limit),
                        number(n.limit)
                    ),
                    match n.direction {
                        Sign::Add => Direction::from_more(more),
                        Sign::Deduct => Direction::from_more(!more),
                    },
                ));
            }
            Some(_) => {}
            None => out.push(Change::new(
                format!("{prefix}新增{}：{}", noun(n), describe::cap(n)),
                match n.direction {
                    Sign::Add => Direction::Stricter,
                    Sign::Deduct => Direction::Looser,
                },
            )),
        }
    }
    for o in old {
        if !new.iter().any(|n| key(n) == key(o)) {
            out.push(Change::new(
                format!("{prefix}取消{}：{}", noun(o), describe::cap(o)),
                match o.direction {
                    Sign::Add => Direction::Looser,
                    Sign::Deduct => Direction::Stricter,
                },
            ));
        }
    }
    out
}

fn factor_words(f: Decimal) -> String {
    if f == Decimal::TWO {
        "加倍".into()
    } else if f == Decimal::new(5, 1) {
        "减半".into()
    } else {
        format!("按 {} 倍计", number(f))
    }
}

pub(super) fn compare_multipliers(
    old: &[Multiplier],
    new: &[Multiplier],
    polarity: Polarity,
) -> Vec<Change> {
    let mut out = Vec::new();
    // A larger factor on an award is looser, on a deduction stricter.
    let larger = |more: bool| {
        let d = Direction::from_more(more);
        match polarity {
            Polarity::Award => d,
            Polarity::Deduction => d.flip(),
            Polarity::Unknown => Direction::Unclear,
        }
    };
    let text = |m: &Multiplier| describe::condition(&m.condition);
    for n in new {
        match old.iter().find(|o| text(o) == text(n)) {
            Some(o) if o.factor != n.factor => out.push(Change::new(
                format!(
                    "{}的由{}改为{}",
                    text(n),
                    factor_words(o.factor),
                    factor_words(n.factor)
                ),
                larger(n.factor > o.factor),
            )),
            Some(_) => {}
            None => out.push(Change::new(
                format!("新增：{}的{}", text(n), factor_words(n.factor)),
                larger(n.factor > Decimal::ONE),
            )),
        }
    }
    for o in old {
        if !new.iter().any(|n| text(n) == text(o)) {
            out.push(Change::new(
                format!("取消：{}的{}", text(o), factor_words(o.factor)),
                larger(o.factor < Decimal::ONE),
            ));
        }
    }
    out
}

fn literal_texts(values: &[Literal]) -> Vec<String> {
    let mut texts: Vec<String> = values
        .iter()
        .map(|v| match v {
            Literal::Number(n) => number(*n),
            other => format!("{other:?}"),
        })
        .collect();
    texts.sort();
    texts
}

fn single_number(values: &[Literal]) -> Option<Decimal> {
    match values {
        [Literal::Number(n)] => Some(*n),
        [Literal::Money(f)] => Some(Decimal::from(*f)),
        _ => None,
    }
}

fn conjuncts(c: &Cond) -> Vec<String> {
    match c {
        Cond::All(items) => items.iter().map(describe::condition).collect(),
        other => vec![describe::condition(other)],
    }
}

pub(super) fn subset(a: &[String], b: &[String]) -> bool {
    a.iter().all(|x| b.contains(x))
}

/// Whether NEW's condition admits more records than OLD's (`Some(true)`), fewer
/// (`Some(false)`), or cannot be told.
pub fn broadens(old: &Cond, new: &Cond) -> Option<bool> {
    match (old, new) {
        (
            Cond::Compare {
                operand: oo,
                op: oop,
                values: ov,
            },
            Cond::Compare {
                operand: no,
                op: nop,
                values: nv,
            },
        ) if oo.name() == no.name() && oop == nop => {
            let (ot, nt) = (literal_texts(ov), literal_texts(nv));
            match oop {
                CompareOp::Eq | CompareOp::Ne => {
                    let wider = subset(&ot, &nt);
                    let narrower = subset(&nt, &ot);
                    let eq = *oop == CompareOp::Eq;
                    match (wider, narrower) {
                        (true, false) => Some(eq),
                        (false, true) => Some(!eq),
                        _ => None,
                    }
                }
                CompareOp::Ge | CompareOp::Gt | CompareOp::Le | CompareOp::Lt => {
                    let (o, n) = (single_number(ov)?, single_number(nv)?);
                    if o == n {
                        return None;
                    }
                    let lower = n < o;
                    Some(if matches!(oop, CompareOp::Ge | CompareOp::Gt) {
                        lower
                    } else {
                        !lower
                    })
                }
                _ => None,
            }
        }
        (Cond::Count(o), Cond::Count(n)) => match (o, n) {
            (CountCondition::FirstN(a), CountCondition::FirstN(b)) if a != b => Some(b > a),
            (CountCondition::From(a), CountCondition::From(b)) if a != b => Some(b < a),
            _ => None,
        },
        _ => {
            let (oc, nc) = (conjuncts(old), conjuncts(new));
            if oc.len() == nc.len() {
                return None;
            }
            if subset(&nc, &oc) {
                Some(true)
            } else if subset(&oc, &nc) {
                Some(false)
            } else {
                None
            }
        }
    }
}

pub(super) fn compare_condition(
    old: Option<&Cond>,
    new: Option<&Cond>,
    polarity: Polarity,
) -> Vec<Change> {
    let broader = polarity.broader();
    match (old, new) {
        (None, None) => Vec::new(),
        (None, Some(n)) => vec![Change::new(
            format!("新增条件：{}", describe::condition(n)),
            broader.flip(),
        )],
        (Some(o), None) => vec![Change::new(
            format!("取消条件：{}", describe::condition(o)),
            broader,
        )],
        (Some(o), Some(n)) => {
            let (ot, nt) = (describe::condition(o), describe::condition(n));
            if ot == nt {
                return Vec::new();
            }
            let direction = match broadens(o, n) {
                Some(true) => broader,
                Some(false) => broader.flip(),
                None => Direction::Unclear,
            };
            vec![Change::new(format!("条件由“{ot}”改为“{nt}”"), direction)]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FieldRef, Operand, ValueType};

    fn field(name: &str) -> Operand {
        Operand::Field(FieldRef {
            name: name.into(),
            indexes: vec![0],
            ty: ValueType::Integer,
        })
    }

    fn compare(op: CompareOp, values: &[i64]) -> Cond {
        Cond::Compare {
            operand: field("天数"),
            op,
            values: values
                .iter()
                .map(|v| Literal::Number(Decimal::from(*v)))
                .collect(),
        }
    }

    #[test]
    fn lower_thresholds_and_more_values_broaden() {
        let ge = |n| compare(CompareOp::Ge, &[n]);
        assert_eq!(broadens(&ge(3), &ge(2)), Some(true));
        assert_eq!(broadens(&ge(2), &ge(3)), Some(false));
        let le = |n| compare(CompareOp::Le, &[n]);
        assert_eq!(broadens(&le(3), &le(5)), Some(true));
        let eq = |v: &[i64]| compare(CompareOp::Eq, v);
        assert_eq!(broadens(&eq(&[1]), &eq(&[1, 2])), Some(true));
        assert_eq!(broadens(&eq(&[1, 2]), &eq(&[1])), Some(false));
        assert_eq!(broadens(&eq(&[1]), &eq(&[2])), None);
    }

    #[test]
    fn dropping_a_conjunct_broadens() {
        let a = compare(CompareOp::Ge, &[3]);
        let b = Cond::Count(CountCondition::Nth(1));
        let both = Cond::All(vec![a.clone(), b]);
        assert_eq!(broadens(&both, &a), Some(true));
        assert_eq!(broadens(&a, &both), Some(false));
    }

    #[test]
    fn amounts_say_add_or_deduct_and_their_direction() {
        let up = amount("每天", Decimal::TWO, Decimal::from(3));
        assert_eq!(up.text, "每天加分由 2 分改为 3 分");
        assert_eq!(up.direction, Some(Direction::Looser));
        let harsher = amount("每次", Decimal::from(-5), Decimal::from(-8));
        assert_eq!(harsher.text, "每次扣分由 5 分改为 8 分");
        assert_eq!(harsher.direction, Some(Direction::Stricter));
        let flipped = amount("每次", Decimal::TWO, Decimal::from(-2));
        assert_eq!(flipped.text, "每次由加 2 分改为扣 2 分");
    }

    #[test]
    fn caps_on_awards_and_deductions_point_opposite_ways() {
        let cap = |direction, limit: i64| Cap {
            per: crate::model::Per::Subject,
            window: Window::Period,
            direction,
            limit: Decimal::from(limit),
        };
        let award = compare_caps("", &[cap(Sign::Add, 40)], &[cap(Sign::Add, 60)], false);
        assert_eq!(award[0].direction, Some(Direction::Looser));
        let deduct = compare_caps(
            "",
            &[cap(Sign::Deduct, 40)],
            &[cap(Sign::Deduct, 60)],
            false,
        );
        assert_eq!(deduct[0].direction, Some(Direction::Stricter));
        let removed = compare_caps("", &[cap(Sign::Add, 40)], &[], false);
        assert_eq!(removed[0].text, "取消上限：每年最多加 40 分");
        assert_eq!(removed[0].direction, Some(Direction::Looser));
    }

    #[test]
    fn directions_combine() {
        use Direction::*;
        assert_eq!(
            Direction::combine([Some(Looser), None, Some(Looser)]),
            Some(Looser)
        );
        assert_eq!(
            Direction::combine([Some(Looser), Some(Stricter)]),
            Some(Unclear)
        );
        assert_eq!(Direction::combine([None, None]), None);
    }
}
