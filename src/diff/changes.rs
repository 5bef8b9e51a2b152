//! Typed rules compared → one plain Chinese sentence per change, each classified as 从宽
//! (more generous to households), 从严 (stricter) or 不确定.
//!
//! Rules are compared by what they mean, never by their text: names, not indexes; no spans.
//! Within a clause, rules are paired by position when the counts agree, otherwise by the 事项
//! they apply to. A clause whose rules say the same but whose 原文 or title differ is a
//! wording change; numbering and chapter moves are reported but have no direction.

use rust_decimal::Decimal;

use super::matching::{Matching, squeeze};
use super::{Change, ClauseDiff, ClauseKind, Direction};
use crate::model::describe::{self, clause_label, number, signed_points};
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
fn clause_polarity(compact: &Compact, clause: ClauseId) -> Option<Polarity> {
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
pub fn compare_caps(prefix: &str, old: &[Cap], new: &[Cap]) -> Vec<Change> {
    let mut out = Vec::new();
    let key = |c: &Cap| (c.window, c.direction);
    let noun = |c: &Cap| match c.direction {
        Sign::Add => "上限",
        Sign::Deduct => "扣分上限",
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

fn compare_multipliers(old: &[Multiplier], new: &[Multiplier], polarity: Polarity) -> Vec<Change> {
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

fn subset(a: &[String], b: &[String]) -> bool {
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

fn compare_condition(old: Option<&Cond>, new: Option<&Cond>, polarity: Polarity) -> Vec<Change> {
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

/// 「每天」「每满 100 元」「每 0.5 天」: the unit of a per-unit action.
fn per_words(action: &Action) -> String {
    match action {
        Action::PerUnit {
            field, step, whole, ..
        } => {
            let unit = match &field.ty {
                crate::model::ValueType::Quantity(Some(u)) => u.clone(),
                crate::model::ValueType::Money => "元".into(),
                _ => String::new(),
            };
            let step = describe::unit_step(field, *step);
            if *whole {
                format!("每满 {} {unit}", number(step))
            } else if step == Decimal::ONE {
                format!("每{unit}")
            } else {
                format!("每 {} {unit}", number(step))
            }
        }
        _ => "每次".into(),
    }
}

fn literal_key(keys: &[Literal]) -> String {
    let texts: Vec<String> = keys
        .iter()
        .map(|k| match k {
            Literal::Text(t) => t.clone(),
            Literal::Number(n) => number(*n),
            Literal::Bool(true) => "是".into(),
            Literal::Bool(false) => "否".into(),
            other => format!("{other:?}"),
        })
        .collect();
    texts.join("或")
}

/// Rows keyed by a label, compared: changed amounts, added and removed rows.
fn compare_rows(old: &[(String, Decimal)], new: &[(String, Decimal)]) -> Vec<Change> {
    let mut out = Vec::new();
    for (key, n) in new {
        match old.iter().find(|(k, _)| k == key) {
            Some((_, o)) if o != n => out.push(amount(key, *o, *n)),
            Some(_) => {}
            None => out.push(Change::new(
                format!("新增{key}{}", signed_points(*n)),
                Direction::from_more(*n >= Decimal::ZERO),
            )),
        }
    }
    for (key, o) in old {
        if !new.iter().any(|(k, _)| k == key) {
            out.push(Change::new(
                format!("删去{key}（原{}）", signed_points(*o)),
                Direction::from_more(*o < Decimal::ZERO),
            ));
        }
    }
    out
}

fn compare_action(old_c: &Compact, new_c: &Compact, old: &Action, new: &Action) -> Vec<Change> {
    let whole = || {
        let (o, n) = (describe::action(old_c, old), describe::action(new_c, new));
        if o == n {
            Vec::new()
        } else {
            vec![Change::new(
                format!("计分方式由“{o}”改为“{n}”"),
                Direction::Unclear,
            )]
        }
    };
    match (old, new) {
        (Action::Fixed { points: o }, Action::Fixed { points: n }) => {
            if o == n {
                Vec::new()
            } else {
                vec![amount("每次", *o, *n)]
            }
        }
        (
            Action::PerUnit {
                field: of,
                step: os,
                whole: ow,
                points: op,
            },
            Action::PerUnit {
                field: nf,
                step: ns,
                whole: nw,
                points: np,
            },
        ) => {
            if of.name != nf.name || os != ns || ow != nw || of.ty != nf.ty {
                return whole();
            }
            if op == np {
                Vec::new()
            } else {
                vec![amount(&per_words(new), *op, *np)]
            }
        }
        (
            Action::Range {
                field: of,
                sign: osg,
                min: omin,
                max: omax,
            },
            Action::Range {
                field: nf,
                sign: nsg,
                min: nmin,
                max: nmax,
            },
        ) if of.name == nf.name && osg == nsg => {
            if omin == nmin && omax == nmax {
                return Vec::new();
            }
            let up = nmin >= omin && nmax >= omax;
            let down = nmin <= omin && nmax <= omax;
            let direction = match (up, down, osg) {
                (true, false, Sign::Add) | (false, true, Sign::Deduct) => Direction::Looser,
                (false, true, Sign::Add) | (true, false, Sign::Deduct) => Direction::Stricter,
                _ => Direction::Unclear,
            };
            let verb = if *osg == Sign::Add { "加" } else { "扣" };
            vec![Change::new(
                format!(
                    "分值范围由{verb} {}～{} 分改为{verb} {}～{} 分",
                    number(*omin),
                    number(*omax),
                    number(*nmin),
                    number(*nmax)
                ),
                direction,
            )]
        }
        (
            Action::Table {
                field: of,
                rows: or,
                otherwise: oo,
            },
            Action::Table {
                field: nf,
                rows: nr,
                otherwise: no,
            },
        ) if of.name == nf.name => {
            let mut orows: Vec<(String, Decimal)> = or
                .iter()
                .map(|r| (format!("「{}」", literal_key(&r.keys)), r.points))
                .collect();
            let mut nrows: Vec<(String, Decimal)> = nr
                .iter()
                .map(|r| (format!("「{}」", literal_key(&r.keys)), r.points))
                .collect();
            orows.extend(oo.map(|p| ("其余".to_string(), p)));
            nrows.extend(no.map(|p| ("其余".to_string(), p)));
            compare_rows(&orows, &nrows)
        }
        (
            Action::Ladder {
                field: of,
                rungs: or,
            },
            Action::Ladder {
                field: nf,
                rungs: nr,
            },
        ) if of.name == nf.name && of.ty == nf.ty => {
            let unit = match &nf.ty {
                crate::model::ValueType::Quantity(Some(u)) => u.clone(),
                crate::model::ValueType::Money => "元".into(),
                _ => String::new(),
            };
            let key = |t: Decimal| format!("累计满 {} {unit}", number(describe::unit_step(nf, t)));
            let orows: Vec<(String, Decimal)> =
                or.iter().map(|r| (key(r.threshold), r.points)).collect();
            let nrows: Vec<(String, Decimal)> =
                nr.iter().map(|r| (key(r.threshold), r.points)).collect();
            compare_rows(&orows, &nrows)
        }
        (Action::Veto(o), Action::Veto(n)) => {
            let ot: Vec<String> = o.iter().map(|e| describe::veto_effect(old_c, e)).collect();
            let nt: Vec<String> = n.iter().map(|e| describe::veto_effect(new_c, e)).collect();
            let mut out = Vec::new();
            for t in nt.iter().filter(|t| !ot.contains(t)) {
                out.push(Change::new(
                    format!("一票否决新增：{t}"),
                    Direction::Stricter,
                ));
            }
            for t in ot.iter().filter(|t| !nt.contains(t)) {
                out.push(Change::new(format!("一票否决不再{t}"), Direction::Looser));
            }
            out
        }
        _ => whole(),
    }
}

fn event_names(compact: &Compact, events: &[usize]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| compact.events.get(*e))
        .map(|e| format!("「{}」", e.name))
        .collect()
}

/// Two rules compared.
fn compare_rule(
    old_c: &Compact,
    new_c: &Compact,
    old_clause: ClauseId,
    new_clause: ClauseId,
    old: &Rule,
    new: &Rule,
) -> Vec<Change> {
    let pol = polarity(new_c, new_clause, new);
    let pol = if pol == Polarity::Unknown {
        polarity(old_c, old_clause, old)
    } else {
        pol
    };
    let mut out = Vec::new();
    match (old, new) {
        (Rule::Base(o), Rule::Base(n))
            if o.kind == n.kind
                && o.attribute.is_some() == n.attribute.is_some()
                && base_attribute(old_c, o) == base_attribute(new_c, n) =>
        {
            if o.points != n.points {
                let what = match base_attribute(new_c, n) {
                    Some(name) => format!("按「{name}」计，每 1 "),
                    None => "基础分".to_string(),
                };
                out.push(amount(what.trim_end(), o.points, n.points));
            }
            out.extend(compare_multipliers(&o.multipliers, &n.multipliers, pol));
        }
        (Rule::Streak(o), Rule::Streak(n))
            if event_names(old_c, &o.events) == event_names(new_c, &n.events) =>
        {
            if o.periods != n.periods {
                out.push(Change::new(
                    format!("连续年数由 {} 年改为 {} 年", o.periods, n.periods),
                    match pol {
                        Polarity::Award => Direction::from_more(n.periods < o.periods),
                        Polarity::Deduction => Direction::from_more(n.periods > o.periods),
                        Polarity::Unknown => Direction::Unclear,
                    },
                ));
            }
            if o.points != n.points {
                out.push(amount("连续守法", o.points, n.points));
            }
        }
        (Rule::Event(o), Rule::Event(n)) => {
            let (oe, ne) = (event_names(old_c, &o.events), event_names(new_c, &n.events));
            if oe != ne {
                let direction = if subset(&oe, &ne) {
                    pol.broader()
                } else if subset(&ne, &oe) {
                    pol.broader().flip()
                } else {
                    Direction::Unclear
                };
                out.push(Change::new(
                    format!("适用事项由{}改为{}", oe.join("、"), ne.join("、")),
                    direction,
                ));
            }
            out.extend(compare_condition(
                o.condition.as_ref(),
                n.condition.as_ref(),
                pol,
            ));
            out.extend(compare_action(old_c, new_c, &o.action, &n.action));
            out.extend(compare_multipliers(&o.multipliers, &n.multipliers, pol));
            out.extend(compare_caps("", &o.caps, &n.caps));
        }
        _ => {
            let (ot, nt) = (describe::rule(old_c, old), describe::rule(new_c, new));
            if ot != nt {
                out.push(Change::new(
                    format!(
                        "规则由“{}”改为“{}”",
                        ot.trim_end_matches('。'),
                        nt.trim_end_matches('。')
                    ),
                    Direction::Unclear,
                ));
            }
        }
    }
    out
}

fn base_attribute<'a>(compact: &'a Compact, rule: &crate::model::BaseRule) -> Option<&'a str> {
    let index = rule.attribute?;
    compact
        .kinds
        .get(rule.kind)
        .and_then(|k| k.attributes.get(index))
        .map(|a| a.name.as_str())
}

/// The events a rule applies to, for pairing rules.
fn rule_key(compact: &Compact, rule: &Rule) -> String {
    match rule {
        Rule::Base(b) => format!("base{}", b.kind),
        Rule::Streak(s) => format!("streak{}", event_names(compact, &s.events).join("")),
        Rule::Event(e) => event_names(compact, &e.events).join(""),
    }
}

/// Pairs the rules of two clauses: by position when the counts agree, else by 事项.
fn pair_rules<'a>(
    old_c: &Compact,
    new_c: &Compact,
    old: &'a [Rule],
    new: &'a [Rule],
) -> Vec<(Option<&'a Rule>, Option<&'a Rule>)> {
    if old.len() == new.len() {
        return old
            .iter()
            .zip(new)
            .map(|(o, n)| (Some(o), Some(n)))
            .collect();
    }
    let mut used = vec![false; old.len()];
    let mut out = Vec::new();
    for n in new {
        let key = rule_key(new_c, n);
        let found = old
            .iter()
            .enumerate()
            .position(|(i, o)| !used.get(i).copied().unwrap_or(true) && rule_key(old_c, o) == key);
        match found.and_then(|i| used.get_mut(i).map(|u| (i, u))) {
            Some((i, u)) => {
                *u = true;
                out.push((old.get(i), Some(n)));
            }
            None => out.push((None, Some(n))),
        }
    }
    for (i, o) in old.iter().enumerate() {
        if !used.get(i).copied().unwrap_or(true) {
            out.push((Some(o), None));
        }
    }
    out
}

fn labels(compact: &Compact, ids: &[ClauseId]) -> String {
    ids.iter()
        .filter_map(|i| compact.clauses.get(*i))
        .map(|c| clause_label(c.number))
        .collect::<Vec<_>>()
        .join("、")
}

/// Exceptions, take-the-highest partners and accounts of a clause.
fn compare_links(
    old: &Compact,
    new: &Compact,
    matching: &Matching,
    o: ClauseId,
    n: ClauseId,
) -> Vec<Change> {
    let mut out = Vec::new();
    let (Some(oc), Some(nc)) = (old.clauses.get(o), new.clauses.get(n)) else {
        return out;
    };
    // Exceptions: OLD's targets in NEW's numbering.
    let mapped: Vec<Option<ClauseId>> = oc
        .exceptions_to
        .iter()
        .map(|t| matching.new_of(*t))
        .collect();
    for t in &nc.exceptions_to {
        if !mapped.contains(&Some(*t)) {
            out.push(Change::new(
                format!("新增例外：本条适用时，{}不再适用", labels(new, &[*t])),
                Direction::Unclear,
            ));
        }
    }
    for (t, m) in oc.exceptions_to.iter().zip(&mapped) {
        if !m.is_some_and(|m| nc.exceptions_to.contains(&m)) {
            let target = match m {
                Some(m) => labels(new, &[*m]),
                None => format!("原{}（已删去）", labels(old, &[*t])),
            };
            out.push(Change::new(
                format!("取消例外：不再替代{target}"),
                Direction::Unclear,
            ));
        }
    }
    // Take-the-highest partners.
    let partners = |c: &Compact, id: ClauseId| -> Vec<ClauseId> {
        let group = c.clauses.get(id).and_then(|c| c.highest_group);
        c.clauses
            .iter()
            .enumerate()
            .filter(|(i, x)| *i != id && group.is_some() && x.highest_group == group)
            .map(|(i, _)| i)
            .collect()
    };
    let old_partners: Vec<Option<ClauseId>> = partners(old, o)
        .into_iter()
        .map(|p| matching.new_of(p))
        .collect();
    let new_partners = partners(new, n);
    for p in &new_partners {
        if !old_partners.contains(&Some(*p)) {
            out.push(Change::new(
                format!("新增与{}取最高，不重复计分", labels(new, &[*p])),
                Direction::Unclear,
            ));
        }
    }
    for (p, m) in partners(old, o).iter().zip(&old_partners) {
        if !m.is_some_and(|m| new_partners.contains(&m)) {
            let other = match m {
                Some(m) => labels(new, &[*m]),
                None => format!("原{}（已删去）", labels(old, &[*p])),
            };
            out.push(Change::new(
                format!("不再与{other}取最高"),
                Direction::Unclear,
            ));
        }
    }
    // Accounts.
    let names = |c: &Compact, ids: &[usize]| -> Vec<String> {
        ids.iter()
            .filter_map(|a| c.accounts.get(*a))
            .map(|a| format!("「{}」", a.name))
            .collect()
    };
    let (oa, na) = (names(old, &oc.accounts), names(new, &nc.accounts));
    if !oc.rules.is_empty() && !nc.rules.is_empty() && oa != na {
        out.push(Change::new(
            format!("计入账户由{}改为{}", oa.join("、"), na.join("、")),
            Direction::Unclear,
        ));
    }
    out
}

/// Ratings, ranks and the dividend held by a clause.
fn compare_results(old: &Compact, new: &Compact, o: ClauseId, n: ClauseId) -> Vec<Change> {
    let mut out = Vec::new();
    let account = |c: &Compact, a: usize| c.accounts.get(a).map(|a| a.name.clone());
    let old_ratings: Vec<_> = old.ratings.iter().filter(|r| r.clause == o).collect();
    let new_ratings: Vec<_> = new.ratings.iter().filter(|r| r.clause == n).collect();
    for (i, nr) in new_ratings.iter().enumerate() {
        let or = old_ratings
            .iter()
            .find(|r| r.name == nr.name)
            .or_else(|| old_ratings.get(i));
        let Some(or) = or else {
            out.push(Change::new(
                format!("新增评定「{}」", nr.name),
                Direction::Unclear,
            ));
            continue;
        };
        if or.name != nr.name {
            out.push(Change::neutral(format!(
                "评定名称由「{}」改为「{}」",
                or.name, nr.name
            )));
        }
        if account(old, or.account) != account(new, nr.account) {
            out.push(Change::new(
                format!(
                    "评定「{}」所按账户由「{}」改为「{}」",
                    nr.name,
                    account(old, or.account).unwrap_or_default(),
                    account(new, nr.account).unwrap_or_default()
                ),
                Direction::Unclear,
            ));
        }
        let bound = |inclusive: bool, t: Decimal| {
            format!(
                "{} {} 分",
                if inclusive { "不低于" } else { "高于" },
                number(t)
            )
        };
        for row in &nr.rows {
            match or.rows.iter().find(|r| r.label == row.label) {
                Some(old_row)
                    if old_row.threshold != row.threshold || old_row.inclusive != row.inclusive =>
                {
                    let easier = row.threshold < old_row.threshold
                        || (row.threshold == old_row.threshold && row.inclusive);
                    out.push(Change::new(
                        format!(
                            "「{}」由{}改为{}",
                            row.label,
                            bound(old_row.inclusive, old_row.threshold),
                            bound(row.inclusive, row.threshold)
                        ),
                        Direction::from_more(easier),
                    ));
                }
                Some(_) => {}
                None => out.push(Change::new(
                    format!(
                        "新增等次：{}为「{}」",
                        bound(row.inclusive, row.threshold),
                        row.label
                    ),
                    Direction::Unclear,
                )),
            }
        }
        for row in &or.rows {
            if !nr.rows.iter().any(|r| r.label == row.label) {
                out.push(Change::new(
                    format!("删去等次「{}」", row.label),
                    Direction::Unclear,
                ));
            }
        }
        if or.otherwise != nr.otherwise {
            out.push(Change::neutral(format!(
                "其余等次由「{}」改为「{}」",
                or.otherwise.as_deref().unwrap_or("无"),
                nr.otherwise.as_deref().unwrap_or("无")
            )));
        }
    }
    for (i, or) in old_ratings.iter().enumerate() {
        let kept = new_ratings.iter().any(|r| r.name == or.name) || new_ratings.get(i).is_some();
        if !kept {
            out.push(Change::new(
                format!("取消评定「{}」", or.name),
                Direction::Unclear,
            ));
        }
    }
    // Ranks: compared as sentences.
    let rank_text = |c: &Compact, id: ClauseId| -> Vec<String> {
        describe::clause(c, id)
            .into_iter()
            .filter(|s| s.contains("排名"))
            .collect()
    };
    let (ort, nrt) = (rank_text(old, o), rank_text(new, n));
    if ort != nrt {
        out.push(Change::new(
            format!(
                "排名规则由“{}”改为“{}”",
                ort.join("").trim_end_matches('。'),
                nrt.join("").trim_end_matches('。')
            ),
            Direction::Unclear,
        ));
    }
    // The dividend.
    let od = old.dividend.as_ref().filter(|d| d.clause == o);
    let nd = new.dividend.as_ref().filter(|d| d.clause == n);
    match (od, nd) {
        (Some(od), Some(nd)) => {
            if od.pool_name != nd.pool_name {
                out.push(Change::new(
                    format!(
                        "分红总额的来源由「{}」改为「{}」",
                        od.pool_name.as_deref().unwrap_or("分红总额"),
                        nd.pool_name.as_deref().unwrap_or("分红总额")
                    ),
                    Direction::Unclear,
                ));
            }
            if od.percent != nd.percent {
                out.push(Change::new(
                    format!(
                        "分红比例由 {}% 改为 {}%",
                        number(od.percent),
                        number(nd.percent)
                    ),
                    Direction::from_more(nd.percent > od.percent),
                ));
            }
            if account(old, od.account) != account(new, nd.account) {
                out.push(Change::new(
                    format!(
                        "分红所按账户由「{}」改为「{}」",
                        account(old, od.account).unwrap_or_default(),
                        account(new, nd.account).unwrap_or_default()
                    ),
                    Direction::Unclear,
                ));
            }
        }
        (None, Some(_)) => out.push(Change::new("新增分红规则", Direction::Unclear)),
        (Some(_), None) => out.push(Change::new("取消分红规则", Direction::Unclear)),
        (None, None) => {}
    }
    out
}

/// A matched pair of clauses compared; `None` when they are the same.
pub fn compare_clause(
    old: &Compact,
    new: &Compact,
    matching: &Matching,
    chapter_map: &[Option<usize>],
    o: ClauseId,
    n: ClauseId,
) -> Option<ClauseDiff> {
    let (oc, nc) = (old.clauses.get(o)?, new.clauses.get(n)?);
    let mut semantic = Vec::new();
    for (orule, nrule) in pair_rules(old, new, &oc.rules, &nc.rules) {
        match (orule, nrule) {
            (Some(a), Some(b)) => semantic.extend(compare_rule(old, new, o, n, a, b)),
            (None, Some(b)) => semantic.push(Change::new(
                format!(
                    "新增规则：{}",
                    describe::rule(new, b).trim_end_matches('。')
                ),
                polarity(new, n, b).broader(),
            )),
            (Some(a), None) => semantic.push(Change::new(
                format!(
                    "删去规则：{}",
                    describe::rule(old, a).trim_end_matches('。')
                ),
                polarity(old, o, a).broader().flip(),
            )),
            (None, None) => {}
        }
    }
    semantic.extend(compare_links(old, new, matching, o, n));
    semantic.extend(compare_results(old, new, o, n));

    let mut wording = Vec::new();
    if oc.title != nc.title {
        wording.push(Change::neutral(format!(
            "标题由「{}」改为「{}」",
            oc.title.as_deref().unwrap_or(""),
            nc.title.as_deref().unwrap_or("")
        )));
    }
    let squeeze_all = |p: &[String]| p.iter().map(|x| squeeze(x)).collect::<Vec<_>>();
    if squeeze_all(&oc.prose) != squeeze_all(&nc.prose) {
        wording.push(Change::neutral(if nc.prose.is_empty() {
            "删去原文".to_string()
        } else {
            format!("原文改为：{}", nc.prose.join(""))
        }));
    }

    let mut moves = Vec::new();
    if oc.number != nc.number {
        moves.push(Change::neutral(format!(
            "由{}改为{}",
            clause_label(oc.number),
            clause_label(nc.number)
        )));
    }
    let mapped_chapter = oc
        .chapter
        .and_then(|c| chapter_map.get(c).copied().flatten());
    if mapped_chapter != nc.chapter {
        let chapter = |c: &Compact, i: Option<usize>| {
            i.and_then(|i| c.chapters.get(i))
                .map(|ch| format!("第{}章", crate::fmt::chinese_numeral(ch.number)))
                .unwrap_or_else(|| "章外".to_string())
        };
        moves.push(Change::neutral(format!(
            "由{}移至{}",
            chapter(old, oc.chapter),
            chapter(new, nc.chapter)
        )));
    }

    let kind = if !semantic.is_empty() {
        ClauseKind::Changed
    } else if !wording.is_empty() {
        ClauseKind::Wording
    } else if !moves.is_empty() {
        ClauseKind::Moved
    } else {
        return None;
    };
    let direction = Direction::combine(semantic.iter().map(|c| c.direction));
    let moved = !moves.is_empty();
    let mut changes = moves;
    changes.extend(semantic);
    changes.extend(wording);
    Some(ClauseDiff {
        kind,
        old_id: Some(o),
        new_id: Some(n),
        old: Some(oc.number),
        new: Some(nc.number),
        title: nc.title.clone().or_else(|| oc.title.clone()),
        moved,
        changes,
        direction,
    })
}

fn whole_clause(compact: &Compact, id: ClauseId, verb: &str) -> Change {
    let c = compact.clauses.get(id);
    let title = c
        .and_then(|c| c.title.as_deref())
        .map(|t| format!("「{t}」"))
        .unwrap_or_default();
    let mut sentences = describe::clause(compact, id);
    if sentences.is_empty() {
        sentences = c.map(|c| c.prose.clone()).unwrap_or_default();
    }
    let body = sentences.join("");
    let body = body.trim_end_matches('。');
    let direction = clause_polarity(compact, id).map(Polarity::broader);
    Change {
        text: if body.is_empty() {
            format!("{verb}{title}")
        } else {
            format!("{verb}{title}：{body}")
        },
        direction,
    }
}

/// A clause only OLD has.
pub fn removed_clause(old: &Compact, o: ClauseId) -> ClauseDiff {
    let mut change = whole_clause(old, o, "删去");
    change.direction = change.direction.map(Direction::flip);
    let c = old.clauses.get(o);
    ClauseDiff {
        kind: ClauseKind::Removed,
        old_id: Some(o),
        new_id: None,
        old: c.map(|c| c.number),
        new: None,
        title: c.and_then(|c| c.title.clone()),
        moved: false,
        direction: change.direction,
        changes: vec![change],
    }
}

/// A clause only NEW has.
pub fn added_clause(new: &Compact, n: ClauseId) -> ClauseDiff {
    let change = whole_clause(new, n, "新增");
    let c = new.clauses.get(n);
    ClauseDiff {
        kind: ClauseKind::Added,
        old_id: None,
        new_id: Some(n),
        old: None,
        new: c.map(|c| c.number),
        title: c.and_then(|c| c.title.clone()),
        moved: false,
        direction: change.direction,
        changes: vec![change],
    }
}
