//! A compact built on a template (依据「…」) checked against it: the template's items kept
//! (必选) and only narrowed, the village's own items (自选项) within the template's limits.
//!
//! Both compacts are already checked; this compares the two typed compacts (no IO: the caller,
//! `compile::compile_with`, gets the template's text from its resolver). A village item is the
//! template item of the same clause title (titles compared after full-width folding); a
//! village clause with scoring rules and a title the template does not have is a 自选项, an
//! award item or a deduction item by the sign of its amounts.
//!
//! What "within the template" means, rule by rule (docs/language.md §5.7):
//! - amounts: every amount the village's rule can give lies within the template rule's range
//!   (a fixed amount is a range of one value; 酌情 5～10 分 may become 6～8 分 or 8 分);
//!   tables and ladders row by row (a row the template lacks is a widening);
//! - per-unit awards: the points per unit lie within the template's;
//! - caps: each cap of the template's rule is kept (same window and direction) at or below
//!   its limit; the village may add caps;
//! - ratings: the same grades, each threshold at or above the template's;
//! - a rule of the village's item that the template's item lacks is a widening; a rule left
//!   out is a narrowing. Conditions, multipliers, chapter caps, ranks and the dividend are not
//!   compared.

use rust_decimal::Decimal;

use super::CheckError;
use crate::model::width::fold_width;
use crate::model::{Action, Clause, Compact, OptionalLimit, Rating, Rule};
use crate::syntax::Span;
use crate::syntax::ast::{Sign, Window};

fn cn(n: u32) -> String {
    crate::fmt::chinese_numeral(n)
}

fn num(d: Decimal) -> String {
    crate::fmt::text::number(d)
}

/// The key an item is matched by: its title, folded, or 第N条 when it has none.
fn item_key(clause: &Clause) -> String {
    match &clause.title {
        Some(t) => fold_width(t.trim()).into_owned(),
        None => format!("第{}条", cn(clause.number)),
    }
}

fn item_name(clause: &Clause) -> String {
    clause
        .title
        .clone()
        .unwrap_or_else(|| format!("第{}条", cn(clause.number)))
}

/// Whether a clause is an item: it has scoring rules.
fn is_item(clause: &Clause) -> bool {
    !clause.rules.is_empty()
}

/// A closed range of signed points.
#[derive(Clone, Copy, PartialEq)]
struct Span2 {
    lo: Decimal,
    hi: Decimal,
}

impl Span2 {
    fn one(p: Decimal) -> Self {
        Span2 { lo: p, hi: p }
    }
    fn within(self, outer: Span2) -> bool {
        self.lo >= outer.lo && self.hi <= outer.hi
    }
    fn text(self) -> String {
        let word = |d: Decimal| {
            if d < Decimal::ZERO {
                format!("扣 {}", num(-d))
            } else {
                format!("加 {}", num(d))
            }
        };
        if self.lo == self.hi {
            format!("{} 分", word(self.lo))
        } else if self.lo >= Decimal::ZERO {
            format!("加 {}～{} 分", num(self.lo), num(self.hi))
        } else if self.hi <= Decimal::ZERO {
            format!("扣 {}～{} 分", num(-self.hi), num(-self.lo))
        } else {
            format!("{}～{} 分", word(self.lo), word(self.hi))
        }
    }
}

fn hull(points: impl IntoIterator<Item = Decimal>) -> Option<Span2> {
    points.into_iter().fold(None, |acc, p| {
        Some(match acc {
            None => Span2::one(p),
            Some(s) => Span2 {
                lo: s.lo.min(p),
                hi: s.hi.max(p),
            },
        })
    })
}

/// The signed points a rule can give one record (per unit for per-unit awards).
fn amounts(rule: &Rule) -> Option<Span2> {
    match rule {
        Rule::Base(b) => Some(Span2::one(b.points)),
        Rule::Streak(s) => Some(Span2::one(s.points)),
        Rule::Event(e) => match &e.action {
            Action::Fixed { points } => Some(Span2::one(*points)),
            Action::PerUnit { points, step, .. } if !step.is_zero() => {
                Some(Span2::one(*points / *step))
            }
            Action::PerUnit { points, .. } => Some(Span2::one(*points)),
            Action::Range { sign, min, max, .. } => Some(match sign {
                Sign::Add => Span2 { lo: *min, hi: *max },
                Sign::Deduct => Span2 {
                    lo: -*max,
                    hi: -*min,
                },
            }),
            Action::Table {
                rows, otherwise, ..
            } => hull(rows.iter().map(|r| r.points).chain(*otherwise)),
            Action::Ladder { rungs, .. } => hull(rungs.iter().map(|r| r.points)),
            Action::Zero => Some(Span2::one(Decimal::ZERO)),
            Action::Veto(_) | Action::Redeem { .. } | Action::Repair { .. } => None,
        },
    }
}

/// The names of the event kinds a rule applies to (the key rules are paired by).
fn rule_key(compact: &Compact, rule: &Rule) -> (u8, Vec<String>) {
    let names = |ids: &[usize]| {
        let mut v: Vec<String> = ids
            .iter()
            .filter_map(|&i| compact.events.get(i).map(|e| e.name.clone()))
            .collect();
        v.sort();
        v
    };
    match rule {
        Rule::Base(_) => (0, Vec::new()),
        Rule::Event(e) => (1, names(&e.events)),
        Rule::Streak(s) => (2, names(&s.events)),
    }
}

fn rule_span(rule: &Rule) -> Span {
    match rule {
        Rule::Base(b) => b.span,
        Rule::Event(e) => e.span,
        Rule::Streak(s) => s.span,
    }
}

fn window_word(w: Window) -> &'static str {
    match w {
        Window::Period => "每年",
        Window::Quarter => "每季度",
        Window::Month => "每月",
    }
}

/// One problem of a village item against the template's item: where, and what.
type Departure = (Span, String);

/// How a village rule departs from the template rule it is paired with.
fn compare_rules(village: &Rule, template: &Rule, out: &mut Vec<Departure>) {
    let span = rule_span(village);
    if let (Some(v), Some(t)) = (amounts(village), amounts(template))
        && !v.within(t)
    {
        out.push((span, format!("分值 {} 超出模板的 {}", v.text(), t.text())));
    }
    if let (Rule::Event(v), Rule::Event(t)) = (village, template) {
        // Rows of tables and ladders, key by key.
        match (&v.action, &t.action) {
            (Action::Table { rows: vr, .. }, Action::Table { rows: tr, .. }) => {
                for row in vr {
                    match tr.iter().find(|r| r.keys == row.keys) {
                        Some(t_row) if t_row.points == row.points => {}
                        Some(t_row) => out.push((
                            span,
                            format!(
                                "分档的一档 {} 与模板的 {} 不同",
                                Span2::one(row.points).text(),
                                Span2::one(t_row.points).text()
                            ),
                        )),
                        None => out.push((span, "多了模板没有的一档".to_string())),
                    }
                }
            }
            (Action::Ladder { rungs: vr, .. }, Action::Ladder { rungs: tr, .. }) => {
                for rung in vr {
                    match tr.iter().find(|r| r.threshold == rung.threshold) {
                        Some(t_rung) if t_rung.points == rung.points => {}
                        _ => out.push((
                            span,
                            format!("累计满 {} 的一档不在模板里", num(rung.threshold)),
                        )),
                    }
                }
            }
            _ => {}
        }
        for cap in &t.caps {
            match v
                .caps
                .iter()
                .find(|c| c.window == cap.window && c.direction == cap.direction)
            {
                Some(c) if c.limit <= cap.limit => {}
                Some(c) => out.push((
                    span,
                    format!(
                        "上限 {} 至多 {} 分高于模板的 {} 分",
                        window_word(c.window),
                        num(c.limit),
                        num(cap.limit)
                    ),
                )),
                None => out.push((
                    span,
                    format!(
                        "去掉了模板的上限 {} 至多 {} 分",
                        window_word(cap.window),
                        num(cap.limit)
                    ),
                )),
            }
        }
    }
}

/// How a village rating departs from the template's rating of the same name.
fn compare_ratings(village: &Rating, template: &Rating, out: &mut Vec<Departure>) {
    for t_row in &template.rows {
        match village.rows.iter().find(|r| r.label == t_row.label) {
            None => out.push((
                village.span,
                format!("评定「{}」少了模板的等次「{}」", village.name, t_row.label),
            )),
            Some(v_row) => {
                let lower = v_row.threshold < t_row.threshold
                    || (v_row.threshold == t_row.threshold && v_row.inclusive && !t_row.inclusive);
                if lower {
                    out.push((
                        village.span,
                        format!(
                            "「{}」的门槛 {} 分低于模板的 {} 分",
                            t_row.label,
                            num(v_row.threshold),
                            num(t_row.threshold)
                        ),
                    ));
                }
            }
        }
    }
    for v_row in &village.rows {
        if !template.rows.iter().any(|r| r.label == v_row.label) {
            out.push((
                village.span,
                format!(
                    "评定「{}」多了模板没有的等次「{}」",
                    village.name, v_row.label
                ),
            ));
        }
    }
}

/// The departures of a village clause from the template clause of the same item.
fn compare_items(
    village: &Compact,
    v_clause: usize,
    template: &Compact,
    t_clause: usize,
) -> Vec<Departure> {
    let mut out = Vec::new();
    let (Some(vc), Some(tc)) = (
        village.clauses.get(v_clause),
        template.clauses.get(t_clause),
    ) else {
        return out;
    };
    // Rules paired by kind and event kinds, in order.
    let mut used = vec![false; tc.rules.len()];
    for rule in &vc.rules {
        let key = rule_key(village, rule);
        let partner =
            tc.rules.iter().enumerate().find(|(i, r)| {
                !used.get(*i).copied().unwrap_or(true) && rule_key(template, r) == key
            });
        match partner {
            Some((i, t_rule)) => {
                if let Some(u) = used.get_mut(i) {
                    *u = true;
                }
                compare_rules(rule, t_rule, &mut out);
            }
            None => out.push((rule_span(rule), "多了模板这一项没有的规则".to_string())),
        }
    }
    for t_rating in template.ratings.iter().filter(|r| r.clause == t_clause) {
        match village
            .ratings
            .iter()
            .find(|r| r.clause == v_clause && r.name == t_rating.name)
        {
            Some(v_rating) => compare_ratings(v_rating, t_rating, &mut out),
            None => out.push((vc.span, format!("少了模板的评定「{}」", t_rating.name))),
        }
    }
    out
}

/// What the village's item is as a 自选项: its direction and largest amount per record.
fn optional_item(compact: &Compact, clause: &Clause) -> Option<(Sign, Option<Decimal>)> {
    let _ = compact;
    let mut largest = Decimal::ZERO;
    let mut sign = None;
    let mut veto = false;
    for rule in &clause.rules {
        match amounts(rule) {
            Some(a) => {
                for p in [a.lo, a.hi] {
                    if p.abs() > largest {
                        largest = p.abs();
                    }
                    if sign.is_none() && !p.is_zero() {
                        sign = Some(if p > Decimal::ZERO {
                            Sign::Add
                        } else {
                            Sign::Deduct
                        });
                    }
                }
            }
            None => {
                if let Rule::Event(e) = rule
                    && matches!(e.action, Action::Veto(_))
                {
                    veto = true;
                    sign.get_or_insert(Sign::Deduct);
                }
            }
        }
    }
    let sign = sign?;
    Some((sign, (!veto).then_some(largest)))
}

/// The items of a template and of the compact built on it, paired.
pub struct Pairing {
    /// For each template clause that is an item: the village clause of the same item.
    pub kept: Vec<(usize, Option<usize>)>,
    /// Village clauses that are items the template does not have (自选项).
    pub own: Vec<usize>,
}

/// Pairs the items of `village` with those of `template` by title.
pub fn pair_items(village: &Compact, template: &Compact) -> Pairing {
    let mut kept = Vec::new();
    let mut matched = vec![false; village.clauses.len()];
    for (ti, tc) in template.clauses.iter().enumerate() {
        let has_rating = template.ratings.iter().any(|r| r.clause == ti);
        if !is_item(tc) && !has_rating {
            continue;
        }
        let key = item_key(tc);
        let found = village
            .clauses
            .iter()
            .enumerate()
            .find(|(vi, vc)| !matched.get(*vi).copied().unwrap_or(true) && item_key(vc) == key)
            .map(|(vi, _)| vi);
        if let Some(vi) = found
            && let Some(m) = matched.get_mut(vi)
        {
            *m = true;
        }
        kept.push((ti, found));
    }
    let own = village
        .clauses
        .iter()
        .enumerate()
        .filter(|(vi, vc)| !matched.get(*vi).copied().unwrap_or(true) && is_item(vc))
        .map(|(vi, _)| vi)
        .collect();
    Pairing { kept, own }
}

/// Checks `village` against the template it names; `basis` is where it names it.
pub fn check_against(village: &Compact, template: &Compact, basis: Span) -> Vec<CheckError> {
    let mut errors = Vec::new();
    let name = template.title.clone();
    let pairing = pair_items(village, template);
    for &(ti, vi) in &pairing.kept {
        let Some(tc) = template.clauses.get(ti) else {
            continue;
        };
        match vi {
            Some(vi) => {
                let number = village.clauses.get(vi).map(|c| c.number).unwrap_or(0);
                let item = village.clauses.get(vi).map(item_name).unwrap_or_default();
                for (span, detail) in compare_items(village, vi, template, ti) {
                    errors.push(CheckError::TemplateWidened {
                        span,
                        number,
                        item: item.clone(),
                        template: name.clone(),
                        template_number: tc.number,
                        detail,
                    });
                }
            }
            None if tc.optional => {}
            None => {
                let wanted = item_key(tc);
                let close = super::closest(
                    &wanted,
                    pairing
                        .own
                        .iter()
                        .filter_map(|&vi| village.clauses.get(vi))
                        .filter_map(|c| c.title.as_deref()),
                );
                let help = match close {
                    Some(c) => format!(
                        "本村的「{c}」是不是这一项？标题要与模板一致；否则照模板写出这一条（分值可以在模板范围内收窄）"
                    ),
                    None => "照模板写出这一条，标题与模板一致（分值可以在模板范围内收窄）；只有模板写明 本条 可选 的项才能不写".to_string(),
                };
                errors.push(CheckError::MandatoryItemMissing {
                    span: basis,
                    template: name.clone(),
                    template_number: tc.number,
                    item: item_name(tc),
                    help,
                });
            }
        }
    }
    let limits = template.template.clone().unwrap_or_default();
    let mut counts = [0usize; 2];
    for &vi in &pairing.own {
        let Some(vc) = village.clauses.get(vi) else {
            continue;
        };
        let Some((sign, largest)) = optional_item(village, vc) else {
            continue;
        };
        let (slot, limit, direction): (usize, Option<OptionalLimit>, &str) = match sign {
            Sign::Add => (0, limits.awards, "加分"),
            Sign::Deduct => (1, limits.deductions, "扣分"),
        };
        let Some(count) = counts.get_mut(slot) else {
            continue;
        };
        *count += 1;
        let allowed = limit.map(|l| l.count).unwrap_or(0);
        if *count > allowed as usize {
            errors.push(CheckError::TooManyOptional {
                span: vc.span,
                direction: direction.to_string(),
                count: *count,
                limit: allowed,
                template: name.clone(),
            });
            continue;
        }
        if let Some(limit) = limit {
            let over = match largest {
                None => Some("是一票否决".to_string()),
                Some(p) if p > limit.points => Some(format!("每次可达 {} 分", num(p))),
                Some(_) => None,
            };
            if let Some(detail) = over {
                errors.push(CheckError::OptionalOverLimit {
                    span: vc.span,
                    direction: direction.to_string(),
                    number: vc.number,
                    item: item_name(vc),
                    detail,
                    limit: num(limit.points),
                    template: name.clone(),
                });
            }
        }
    }
    errors
}
