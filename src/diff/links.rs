//! A matched clause's links compared through the matching: the clauses it is an exception to,
//! its take-the-highest partners, and the accounts its points go to.

use super::matching::Matching;
use super::{Change, Direction};
use crate::model::describe::clause_label;
use crate::model::{ClauseId, Compact};

pub(super) fn labels(compact: &Compact, ids: &[ClauseId]) -> String {
    ids.iter()
        .filter_map(|i| compact.clauses.get(*i))
        .map(|c| clause_label(c.number))
        .collect::<Vec<_>>()
        .join("、")
}

/// Exceptions, take-the-highest partners and accounts of a clause.
pub(super) fn compare_links(
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
    // Each account with the group the clause counts in and the share it takes.
    let names = |c: &Compact, clause: &crate::model::Clause| -> Vec<String> {
        clause
            .accounts
            .iter()
            .enumerate()
            .filter_map(|(k, a)| {
                let account = c.accounts.get(*a)?;
                let mut name = format!("「{}」", account.name);
                if let Some(group) = clause
                    .groups
                    .get(k)
                    .copied()
                    .flatten()
                    .and_then(|g| account.groups.get(g))
                {
                    name.push_str(&format!("「{}」", group.name));
                }
                if let Some(percent) = clause.shares.get(k).copied().flatten() {
                    name.push_str(&format!(
                        "（按 {}%）",
                        crate::model::describe::number(percent)
                    ));
                }
                Some(name)
            })
            .collect()
    };
    let (oa, na) = (names(old, oc), names(new, nc));
    if !oc.rules.is_empty() && !nc.rules.is_empty() && oa != na {
        out.push(Change::new(
            format!("计入账户由{}改为{}", oa.join("、"), na.join("、")),
            Direction::Unclear,
        ));
    }
    out
}
