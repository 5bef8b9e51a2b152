//! Which clause of OLD is which clause of NEW.
//!
//! 1. Clauses with the same content (title, 原文 and what their rules say) are paired, the same
//!    number first: a clause that was renumbered or moved to another chapter and not otherwise
//!    changed is found here.
//! 2. The rest are paired by similarity: the characters they share (Dice coefficient over
//!    character pairs of title, 原文 and rule sentences), with a bonus for the same title and a
//!    smaller one for the same number; the best pairs above a threshold first.
//! 3. What is left is removed (OLD) or added (NEW).

use std::cmp::Ordering;

use crate::model::{ClauseId, Compact, describe};

/// Pairs of OLD and NEW clauses, and the clauses only one side has.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Matching {
    /// (OLD, NEW), in NEW's order.
    pub pairs: Vec<(ClauseId, ClauseId)>,
    /// OLD's clauses with no partner.
    pub removed: Vec<ClauseId>,
    /// NEW's clauses with no partner.
    pub added: Vec<ClauseId>,
}

impl Matching {
    /// NEW's partner of OLD's clause `old`.
    pub fn new_of(&self, old: ClauseId) -> Option<ClauseId> {
        self.pairs.iter().find(|(o, _)| *o == old).map(|(_, n)| *n)
    }

    /// OLD's partner of NEW's clause `new`.
    pub fn old_of(&self, new: ClauseId) -> Option<ClauseId> {
        self.pairs.iter().find(|(_, n)| *n == new).map(|(o, _)| *o)
    }
}

/// Minimum score for a pair found by similarity.
const THRESHOLD: f64 = 0.5;

/// What a clause says, without its number, spans or layout.
fn content(compact: &Compact, id: ClauseId) -> String {
    let Some(clause) = compact.clauses.get(id) else {
        return String::new();
    };
    let prose: Vec<String> = clause.prose.iter().map(|p| squeeze(p)).collect();
    format!(
        "{}|{}|{}",
        clause.title.as_deref().unwrap_or(""),
        prose.join("\n"),
        describe::clause(compact, id).join("")
    )
}

/// Text without whitespace: layout is not content.
pub fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Sorted character pairs of a text.
fn bigrams(text: &str) -> Vec<(char, char)> {
    let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    let mut pairs: Vec<(char, char)> = chars
        .iter()
        .copied()
        .zip(chars.iter().copied().skip(1))
        .collect();
    pairs.sort_unstable();
    pairs
}

/// Dice coefficient of two sorted multisets.
fn dice(a: &[(char, char)], b: &[(char, char)]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.cmp(y) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    (2 * common) as f64 / (a.len() + b.len()) as f64
}

/// Pairs OLD's `o` with NEW's `n` if both are still free.
fn take(old_free: &mut [bool], partner: &mut [Option<ClauseId>], o: ClauseId, n: ClauseId) {
    if let (Some(free), Some(slot)) = (old_free.get_mut(o), partner.get_mut(n))
        && *free
        && slot.is_none()
    {
        *free = false;
        *slot = Some(o);
    }
}

/// Pairs the clauses of two compacts.
pub fn match_clauses(old: &Compact, new: &Compact) -> Matching {
    let old_content: Vec<String> = (0..old.clauses.len()).map(|i| content(old, i)).collect();
    let new_content: Vec<String> = (0..new.clauses.len()).map(|i| content(new, i)).collect();
    let mut old_free: Vec<bool> = vec![true; old.clauses.len()];
    let mut partner: Vec<Option<ClauseId>> = vec![None; new.clauses.len()];
    let number = |c: &Compact, i: ClauseId| c.clauses.get(i).map(|c| c.number);
    // 1. Same content: the same number first, then in source order.
    for same_number in [true, false] {
        for (n, text) in new_content.iter().enumerate() {
            let found = old_content.iter().enumerate().position(|(o, t)| {
                t == text
                    && old_free.get(o).copied().unwrap_or(false)
                    && (!same_number || number(old, o) == number(new, n))
            });
            if let Some(o) = found {
                take(&mut old_free, &mut partner, o, n);
            }
        }
    }
    // 2. By similarity.
    let old_grams: Vec<Vec<(char, char)>> = old_content.iter().map(|t| bigrams(t)).collect();
    let new_grams: Vec<Vec<(char, char)>> = new_content.iter().map(|t| bigrams(t)).collect();
    let mut candidates: Vec<(f64, ClauseId, ClauseId)> = Vec::new();
    for (n, ngrams) in new_grams.iter().enumerate() {
        if partner.get(n).is_some_and(Option::is_some) {
            continue;
        }
        for (o, ograms) in old_grams.iter().enumerate() {
            if !old_free.get(o).copied().unwrap_or(false) {
                continue;
            }
            let mut score = dice(ograms, ngrams);
            let (oc, nc) = (old.clauses.get(o), new.clauses.get(n));
            if let (Some(oc), Some(nc)) = (oc, nc) {
                if oc.title.is_some() && oc.title == nc.title {
                    score += 0.3;
                }
                if oc.number == nc.number {
                    score += 0.15;
                }
            }
            if score >= THRESHOLD {
                candidates.push((score, o, n));
            }
        }
    }
    candidates.sort_by(|a, b| {
        b.0.partial_cmp(&a.0)
            .unwrap_or(Ordering::Equal)
            .then(a.2.cmp(&b.2))
            .then(a.1.cmp(&b.1))
    });
    for (_, o, n) in candidates {
        take(&mut old_free, &mut partner, o, n);
    }
    let mut matching = Matching::default();
    for (n, slot) in partner.iter().enumerate() {
        match slot {
            Some(o) => matching.pairs.push((*o, n)),
            None => matching.added.push(n),
        }
    }
    matching.removed = old_free
        .iter()
        .enumerate()
        .filter(|(_, free)| **free)
        .map(|(o, _)| o)
        .collect();
    matching
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dice_of_equal_and_disjoint_texts() {
        let a = bigrams("每天加二分");
        let b = bigrams("每天加二分");
        let c = bigrams("乱倒垃圾");
        assert!((dice(&a, &b) - 1.0).abs() < 1e-9);
        assert!(dice(&a, &c).abs() < 1e-9);
    }
}
