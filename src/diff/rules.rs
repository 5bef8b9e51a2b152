//! Two rules of a matched clause compared: the 事项 they apply to, their condition, what they
//! do (amounts, units, table rows, ladders, vetoes), multipliers and caps.

use rust_decimal::Decimal;

use super::direction::{
    Polarity, amount, compare_caps, compare_condition, compare_multipliers, polarity, subset,
};
use super::{Change, Direction};
use crate::model::describe::{self, number, signed_points};
use crate::model::{Action, ClauseId, Compact, Literal, Rule, Sign};

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

pub(super) fn event_names(compact: &Compact, events: &[usize]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| compact.events.get(*e))
        .map(|e| format!("「{}」", e.name))
        .collect()
}

/// Two rules compared.
pub(super) fn compare_rule(
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
            let persons = n.events.iter().any(|&e| {
                new_c
                    .events
                    .get(e)
                    .is_some_and(|k| k.owner != crate::model::HOUSEHOLD)
            });
            out.extend(compare_caps("", &o.caps, &n.caps, persons));
            if o.rounding != n.rounding {
                let words = |r: Option<crate::model::Rounding>| {
                    r.map_or("不取整".to_string(), describe::rounding)
                };
                out.push(Change::new(
                    format!(
                        "每条记录的分数由{}改为{}",
                        words(o.rounding),
                        words(n.rounding)
                    ),
                    Direction::Unclear,
                ));
            }
            let once = |f: &Option<crate::model::FieldRef>| f.as_ref().map(|f| f.name.clone());
            if once(&o.once) != once(&n.once) {
                // Counting each activity once scores fewer records: narrower, like a
                // narrower condition; dropping it is broader.
                let words = |f: Option<String>| {
                    f.map_or("重复的活动都计分".to_string(), |f| {
                        format!("同一{f}只计一次")
                    })
                };
                let direction = match (&o.once, &n.once) {
                    (Some(_), None) => pol.broader(),
                    (None, Some(_)) => pol.broader().flip(),
                    _ => Direction::Unclear,
                };
                out.push(Change::new(
                    format!("由{}改为{}", words(once(&o.once)), words(once(&n.once))),
                    direction,
                ));
            }
            if o.validity != n.validity {
                // A record that counts for more years reaches further, like a broader rule.
                let direction = if n.validity > o.validity {
                    pol.broader()
                } else {
                    pol.broader().flip()
                };
                out.push(Change::new(
                    format!("记录有效期由 {} 年改为 {} 年", o.validity, n.validity),
                    direction,
                ));
            }
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
pub(super) fn pair_rules<'a>(
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
