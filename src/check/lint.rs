//! Warnings about a compact that checks: clauses that can both score one record, caps below a
//! single award, vetoes and exceptions that change nothing, unused event kinds and accounts.
//!
//! Runs only when there are no errors, so every statement of the AST has its typed rule.

use rust_decimal::Decimal;

use super::{CheckWarning, Checker};
use crate::model::{Action, Cond, CountCondition, Literal, Rule};
use crate::syntax::ast::{self, AwardPoints, CompareOp, Effect, Modifier, Statement};

impl Checker<'_> {
    pub(crate) fn lint(&mut self) {
        self.caps_below_award();
        self.overlaps();
        self.exceptions_without_overlap();
        self.vetoes_without_effect();
        self.unused();
    }

    fn ast_clauses(&self) -> Vec<&'_ ast::Clause> {
        self.file
            .loose_clauses
            .iter()
            .chain(self.file.chapters.iter().flat_map(|c| c.clauses.iter()))
            .collect()
    }

    /// W0102: 每年 至多 3 分 on a clause that awards 5 分 each time.
    fn caps_below_award(&mut self) {
        let mut found = Vec::new();
        for clause in self.ast_clauses() {
            for statement in &clause.statements {
                let Statement::Event(rule) = &statement.node else {
                    continue;
                };
                let single = match &rule.effect.node {
                    Effect::Award { points, .. } => match &points.node {
                        AwardPoints::Fixed(p) => Some(*p),
                        AwardPoints::Range { min, .. } => Some(*min),
                    },
                    Effect::Table { rows, .. } => rows.iter().map(|r| r.node.points).min(),
                    Effect::Ladder { rungs, .. } => rungs.first().map(|r| r.node.points),
                    _ => None,
                };
                let Some(single) = single else { continue };
                for modifier in &rule.modifiers {
                    if let Modifier::Cap(cap) = &modifier.node
                        && cap.limit < single
                    {
                        found.push(CheckWarning::CapBelowAward {
                            span: modifier.span,
                            award_span: rule.effect.span,
                            limit: cap.limit.to_string(),
                            award: single.to_string(),
                        });
                    }
                }
            }
        }
        for warning in found {
            self.warn(warning);
        }
    }

    /// W0103: two clauses that can score the same record, with nothing deciding between them.
    /// One warning per clause, naming every earlier clause it overlaps.
    fn overlaps(&mut self) {
        let clauses = &self.compact.clauses;
        // Which clauses score each event kind, so that only clauses sharing one are compared.
        let mut by_event: Vec<Vec<usize>> = vec![Vec::new(); self.compact.events.len()];
        for (index, clause) in clauses.iter().enumerate() {
            for rule in &clause.rules {
                if let Rule::Event(e) = rule
                    && scores(&e.action)
                {
                    for &event in &e.events {
                        if let Some(list) = by_event.get_mut(event)
                            && list.last() != Some(&index)
                        {
                            list.push(index);
                        }
                    }
                }
            }
        }
        let mut found = Vec::new();
        for (j, b) in clauses.iter().enumerate() {
            let mut earlier: Vec<u32> = Vec::new();
            let mut event = String::new();
            // Two rules of this very clause.
            let own: Vec<Rule> = b.rules.clone();
            for (k, rule) in own.iter().enumerate() {
                if let Some(shared) =
                    overlapping_event(std::slice::from_ref(rule), own.get(k + 1..).unwrap_or(&[]))
                {
                    event = self
                        .compact
                        .events
                        .get(shared)
                        .map(|e| e.name.clone())
                        .unwrap_or_default();
                    earlier.push(b.number);
                    break;
                }
            }
            let mut candidates: Vec<usize> = b
                .rules
                .iter()
                .filter_map(|r| match r {
                    Rule::Event(e) => Some(e.events.iter()),
                    _ => None,
                })
                .flatten()
                .filter_map(|event| by_event.get(*event))
                .flatten()
                .copied()
                .filter(|&i| i < j)
                .collect();
            candidates.sort_unstable();
            candidates.dedup();
            for (i, a) in candidates
                .into_iter()
                .filter_map(|i| clauses.get(i).map(|a| (i, a)))
            {
                if a.exceptions_to.contains(&j) || b.exceptions_to.contains(&i) {
                    continue;
                }
                if a.highest_group.is_some() && a.highest_group == b.highest_group {
                    continue;
                }
                if !a.accounts.iter().any(|x| b.accounts.contains(x)) {
                    continue;
                }
                if let Some(shared) = overlapping_event(&a.rules, &b.rules) {
                    if earlier.is_empty() {
                        event = self
                            .compact
                            .events
                            .get(shared)
                            .map(|e| e.name.clone())
                            .unwrap_or_default();
                    }
                    earlier.push(a.number);
                }
            }
            if !earlier.is_empty() {
                let span = b
                    .rules
                    .iter()
                    .find_map(|r| match r {
                        Rule::Event(e) => Some(e.span),
                        _ => None,
                    })
                    .unwrap_or(b.span);
                found.push(CheckWarning::Overlap {
                    span,
                    clause: b.number,
                    others: earlier
                        .iter()
                        .map(|n| {
                            if *n == b.number {
                                "本条的另一条规则".to_string()
                            } else {
                                crate::model::describe::clause_label(*n)
                            }
                        })
                        .collect::<Vec<_>>()
                        .join("、"),
                    event,
                    help: overlap_help(b.number, &earlier),
                });
            }
        }
        for warning in found {
            self.warn(warning);
        }
    }

    /// W0107: 例外于 a clause that never applies to the same event kind.
    fn exceptions_without_overlap(&mut self) {
        let mut found = Vec::new();
        for clause in &self.compact.clauses {
            for &target in &clause.exceptions_to {
                let Some(other) = self.compact.clauses.get(target) else {
                    continue;
                };
                let events_of = |c: &crate::model::Clause| -> Vec<usize> {
                    c.rules
                        .iter()
                        .flat_map(|r| match r {
                            Rule::Event(e) => e.events.clone(),
                            Rule::Streak(s) => s.events.clone(),
                            Rule::Base(_) => Vec::new(),
                        })
                        .collect()
                };
                let mine = events_of(clause);
                let theirs = events_of(other);
                let shares_event = mine.iter().any(|e| theirs.contains(e));
                // Same event kind, but conditions that can never hold together.
                let can_meet = clause.rules.iter().any(|a| {
                    other.rules.iter().any(|b| match (a, b) {
                        (Rule::Event(a), Rule::Event(b)) => {
                            a.events.iter().any(|e| b.events.contains(e))
                                && may_both_hold(a.condition.as_ref(), b.condition.as_ref())
                        }
                        _ => false,
                    })
                });
                let only_streaks = !clause.rules.iter().any(|r| matches!(r, Rule::Event(_)));
                if !shares_event || (!can_meet && !only_streaks) {
                    found.push(CheckWarning::ExceptionWithoutOverlap {
                        span: clause.span,
                        clause: clause.number,
                        target: other.number,
                    });
                }
            }
        }
        for warning in found {
            self.warn(warning);
        }
    }

    /// W0105: 取消分红资格 with no 分红 rule.
    fn vetoes_without_effect(&mut self) {
        if self.compact.dividend.is_some() {
            return;
        }
        let account = self
            .compact
            .default_account(crate::model::HOUSEHOLD)
            .and_then(|a| self.compact.accounts.get(a))
            .map(|a| crate::fmt::text::name(crate::syntax::NameContext::Reference, &a.name))
            .unwrap_or_else(|| "积分".to_string());
        let mut found = Vec::new();
        for clause in self.ast_clauses() {
            for statement in &clause.statements {
                let Statement::Event(rule) = &statement.node else {
                    continue;
                };
                let Effect::Veto(items) = &rule.effect.node else {
                    continue;
                };
                for item in items {
                    if item.node == ast::VetoItem::CancelDividend {
                        found.push(CheckWarning::VetoWithoutEffect {
                            span: item.span,
                            effect: "取消分红资格".to_string(),
                            help: format!("这部乡约没有分红规则；补上一条 分红：按 {account} 比例 分配。或删去这一项"),
                        });
                    }
                }
            }
        }
        for warning in found {
            self.warn(warning);
        }
    }

    /// W0104 and W0108: event kinds no rule uses, accounts no rule credits.
    fn unused(&mut self) {
        let mut found = Vec::new();
        for (event, used) in self.compact.events.iter().zip(&self.used_events) {
            if !used {
                found.push(CheckWarning::UnusedEvent {
                    span: event.span,
                    name: event.name.clone(),
                });
            }
        }
        for (account, credited) in self.compact.accounts.iter().zip(&self.credited_accounts) {
            // The implicit account (积分) was not written, so there is nothing to point at.
            let implicit = account.span == crate::syntax::Span::default();
            if !credited && !implicit {
                found.push(CheckWarning::UnusedAccount {
                    span: account.span,
                    name: account.name.clone(),
                });
            }
        }
        // W0114: groups no clause counts into.
        for (id, account) in self.compact.accounts.iter().enumerate() {
            for (g, group) in account.groups.iter().enumerate() {
                let used = self.compact.clauses.iter().any(|c| {
                    c.accounts
                        .iter()
                        .zip(&c.groups)
                        .any(|(a, cg)| *a == id && *cg == Some(g))
                });
                if !used {
                    found.push(CheckWarning::UnusedGroup {
                        span: group.span,
                        account: account.name.clone(),
                        group: group.name.clone(),
                        help: format!(
                            "在这一项的条文里写 计入 {}「{}」；没有条文计入时，这一项只有基础分",
                            account.name, group.name
                        ),
                    });
                }
            }
        }
        for warning in found {
            self.warn(warning);
        }
    }
}

/// What to do about an overlap: name the relation to write, or, for two rules of one clause,
/// say to split them (a clause cannot be an exception to itself).
fn overlap_help(clause: u32, earlier: &[u32]) -> String {
    let first_other = earlier.iter().find(|&&n| n != clause);
    match first_other {
        Some(&n) => {
            let other = crate::fmt::chinese_numeral(n);
            format!("若应同时计分，可以忽略；若只应适用一条，在本条写 例外于 第{other}条，或 与 第{other}条 取最高")
        }
        None => "若两条规则应同时计分，可以忽略；若只应适用一条，把其中一条移到新的一条，再写 例外于 或 取最高".to_string(),
    }
}

/// An event kind that a scoring rule of `a` and one of `b` can both score for one record.
fn overlapping_event(a: &[Rule], b: &[Rule]) -> Option<usize> {
    for ra in a {
        let Rule::Event(ra) = ra else { continue };
        if !scores(&ra.action) {
            continue;
        }
        for rb in b {
            let Rule::Event(rb) = rb else { continue };
            if !scores(&rb.action) {
                continue;
            }
            let Some(&shared) = ra.events.iter().find(|e| rb.events.contains(e)) else {
                continue;
            };
            if may_both_hold(ra.condition.as_ref(), rb.condition.as_ref()) {
                return Some(shared);
            }
        }
    }
    None
}

/// Whether an action puts points on an account (vetoes and redemptions do not compete).
fn scores(action: &Action) -> bool {
    !matches!(action, Action::Veto(_) | Action::Redeem { .. })
}

/// One condition atom with its polarity.
type Literal_<'c> = (bool, &'c Cond);

/// A condition in disjunctive normal form; `None` when it grows too large to be worth it.
fn dnf(cond: &Cond, positive: bool) -> Option<Vec<Vec<Literal_<'_>>>> {
    const LIMIT: usize = 64;
    match (cond, positive) {
        (Cond::All(items), true) | (Cond::Any(items), false) => {
            let mut acc: Vec<Vec<Literal_<'_>>> = vec![Vec::new()];
            for item in items {
                let part = dnf(item, positive)?;
                let mut next = Vec::new();
                for left in &acc {
                    for right in &part {
                        let mut joined = left.clone();
                        joined.extend(right.iter().copied());
                        next.push(joined);
                    }
                }
                if next.len() > LIMIT {
                    return None;
                }
                acc = next;
            }
            Some(acc)
        }
        (Cond::Any(items), true) | (Cond::All(items), false) => {
            let mut acc = Vec::new();
            for item in items {
                acc.extend(dnf(item, positive)?);
                if acc.len() > LIMIT {
                    return None;
                }
            }
            Some(acc)
        }
        (Cond::Not(inner), p) => dnf(inner, !p),
        (atom, p) => Some(vec![vec![(p, atom)]]),
    }
}

/// Whether two rules' conditions can hold for one record (conservatively: `true` unless a
/// contradiction is certain).
fn may_both_hold(a: Option<&Cond>, b: Option<&Cond>) -> bool {
    let always = Cond::All(Vec::new());
    let (Some(da), Some(db)) = (
        dnf(a.unwrap_or(&always), true),
        dnf(b.unwrap_or(&always), true),
    ) else {
        return true;
    };
    da.iter().any(|ca| {
        db.iter().any(|cb| {
            let all: Vec<&Literal_<'_>> = ca.iter().chain(cb.iter()).collect();
            !all.iter()
                .enumerate()
                .any(|(i, x)| all.iter().skip(i + 1).any(|y| contradicts(x, y)))
        })
    })
}

fn contradicts(x: &Literal_<'_>, y: &Literal_<'_>) -> bool {
    let (px, cx) = *x;
    let (py, cy) = *y;
    if cx == cy {
        return px != py;
    }
    if !(px && py) {
        return false;
    }
    match (cx, cy) {
        (Cond::Count(a), Cond::Count(b)) => counts_disjoint(*a, *b) || counts_disjoint(*b, *a),
        (
            Cond::Compare {
                operand: oa,
                op: opa,
                values: va,
            },
            Cond::Compare {
                operand: ob,
                op: opb,
                values: vb,
            },
        ) if oa == ob => {
            compares_disjoint(*opa, va, *opb, vb) || compares_disjoint(*opb, vb, *opa, va)
        }
        (
            Cond::Flag(a),
            Cond::Compare {
                operand,
                op,
                values,
            },
        )
        | (
            Cond::Compare {
                operand,
                op,
                values,
            },
            Cond::Flag(a),
        ) if a == operand => {
            *op == CompareOp::Eq && values.iter().all(|v| *v == Literal::Bool(false))
        }
        _ => false,
    }
}

fn counts_disjoint(a: CountCondition, b: CountCondition) -> bool {
    match (a, b) {
        (CountCondition::Nth(x), CountCondition::Nth(y)) => x != y,
        (CountCondition::Nth(x), CountCondition::From(y)) => x < y,
        (CountCondition::Nth(x), CountCondition::FirstN(y)) => x > y,
        (CountCondition::FirstN(x), CountCondition::From(y)) => y > x,
        _ => false,
    }
}

fn number_of(literal: &Literal) -> Option<Decimal> {
    match literal {
        Literal::Number(n) => Some(*n),
        Literal::Money(f) => Some(Decimal::from(*f)),
        _ => None,
    }
}

fn compares_disjoint(opa: CompareOp, va: &[Literal], opb: CompareOp, vb: &[Literal]) -> bool {
    use CompareOp::*;
    match (opa, opb) {
        (Eq, Eq) => !va.iter().any(|v| vb.contains(v)),
        (Eq, Ne) => va.iter().all(|v| vb.contains(v)),
        (Eq, Ge | Gt | Le | Lt) => {
            let (Some(bound), true) = (vb.first().and_then(number_of), va.len() == 1) else {
                return false;
            };
            let Some(x) = va.first().and_then(number_of) else {
                return false;
            };
            match opb {
                Ge => x < bound,
                Gt => x <= bound,
                Le => x > bound,
                _ => x >= bound,
            }
        }
        (Ge | Gt, Le | Lt) => {
            let (Some(low), Some(high)) = (
                va.first().and_then(number_of),
                vb.first().and_then(number_of),
            ) else {
                return false;
            };
            low > high || (low == high && (opa == Gt || opb == Lt))
        }
        _ => false,
    }
}
