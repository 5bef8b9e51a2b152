//! Two versions of a clause → one plain Chinese sentence per change, each classified as 从宽
//! (more generous to households), 从严 (stricter) or 不确定.
//!
//! Rules are compared by what they mean, never by their text: names, not indexes; no spans.
//! Within a clause, rules are paired by position when the counts agree, otherwise by the 事项
//! they apply to (`rules`); exceptions and take-the-highest partners are followed through the
//! matching (`links`); ratings, ranks and the dividend are compared in `results`; what decides a
//! direction is in `direction`. A clause whose rules say the same but whose 原文 or title
//! differ is a wording change; numbering and chapter moves are reported but have no direction.

use super::direction::{Polarity, clause_polarity, polarity};
use super::links::compare_links;
use super::matching::{Matching, squeeze};
use super::results::compare_results;
use super::rules::{compare_rule, pair_rules};
use super::{Change, ClauseDiff, ClauseKind, Direction};
use crate::model::describe::{self, clause_label};
use crate::model::{ClauseId, Compact};

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
    let rules = moves.len()..moves.len() + semantic.len();
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
        rules,
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
        rules: 0..1,
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
        rules: 0..1,
    }
}
