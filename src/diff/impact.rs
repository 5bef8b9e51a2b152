//! The same event log evaluated under both versions → per household the old and new points,
//! ratings, eligibility and dividend; per clause how many subjects and points it moved;
//! totals (gaining, losing, unchanged, largest movers, rating counts, dividend moved) and the
//! money (`money`: who gets more or less of the dividend). Households and persons carry their
//! name from the register (户主, 姓名).
//!
//! The command line evaluates the log twice, each time with a [`ClauseSums`] sink (the ledger
//! summed per subject, clause and account: memory grows with subjects × clauses, not records),
//! and hands both to [`impact`]. Clauses are followed through the matching: a clause's points
//! under OLD are compared with its partner's under NEW.

use indexmap::IndexMap;
use rust_decimal::Decimal;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use super::money::{MoneyImpact, money_impact};
use super::{ClauseKind, CompactDiff};
use crate::eval::ledger::{Entry, Sink};
use crate::eval::{KindResults, RatingOutcome, Results};
use crate::model::Register;
use crate::model::{AccountId, ClauseId, Compact, HOUSEHOLD, KindId};

/// The ledger summed per (subject kind, subject, clause, account).
#[derive(Debug, Default)]
pub struct ClauseSums {
    /// The sums.
    pub sums: FxHashMap<(KindId, u32, Option<ClauseId>, AccountId), Decimal>,
}

impl Sink for ClauseSums {
    fn wants(&self, _: KindId, _: u32) -> bool {
        true
    }
    fn push(&mut self, entry: Entry) {
        if let Some(account) = entry.account
            && !entry.amount.is_zero()
        {
            *self
                .sums
                .entry((entry.kind, entry.subject, entry.clause, account))
                .or_default() += entry.amount;
        }
    }
    fn clear(&mut self) {
        self.sums.clear();
    }
    fn fork(&self) -> Option<Self> {
        Some(ClauseSums::default())
    }
    fn join(&mut self, shard: Self) {
        // Shards hold different subjects, so no key is in both.
        for (key, amount) in shard.sums {
            *self.sums.entry(key).or_default() += amount;
        }
    }
}

/// One version's evaluation.
#[derive(Clone, Copy)]
pub struct Side<'a> {
    /// The compact.
    pub compact: &'a Compact,
    /// Its results.
    pub results: &'a Results,
    /// Its ledger, summed.
    pub sums: &'a ClauseSums,
    /// The registers it was evaluated with, one per kind (households first), for the names
    /// beside the ids; an empty slice when there are none.
    pub registers: &'a [Register],
}

impl<'a> Side<'a> {
    fn kind(&self, kind: KindId) -> Option<&'a KindResults> {
        self.results.kinds.iter().find(|k| k.kind == kind)
    }

    fn kind_name(&self, kind: KindId) -> &'a str {
        self.compact.kinds.get(kind).map_or("", |k| k.name.as_str())
    }

    /// The name (户主, 姓名) of subject `id` of kind `kind`, when its register has one.
    fn subject_name(&self, kind: KindId, id: &str) -> Option<String> {
        let register = self.registers.get(kind)?;
        register
            .find(id)
            .and_then(|s| register.name(s))
            .map(str::to_string)
    }

    fn account_name(&self, account: AccountId) -> &'a str {
        self.compact
            .accounts
            .get(account)
            .map_or("", |a| a.name.as_str())
    }
}

/// The impact of the change on one log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Impact {
    /// The period evaluated (NEW's).
    pub period: String,
    /// The account whose points are each household's total (NEW's default household account).
    pub account: String,
    /// Every household, in register order.
    pub households: Vec<HouseholdImpact>,
    /// Each roster of NEW (党员 …): its members under both versions.
    pub members: Vec<RosterImpact>,
    /// Clauses whose points moved, in order of clause number; entries credited by no clause
    /// come last with neither number.
    pub clauses: Vec<ClauseImpact>,
    /// Totals.
    pub totals: Totals,
    /// The households' money (the dividend) under both versions.
    pub money: MoneyImpact,
}

/// One household under both versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HouseholdImpact {
    /// 户号
    pub id: String,
    /// 户主 (a person's 姓名), when the register has the column.
    pub name: Option<String>,
    /// Its total (see [`Impact::account`]) under OLD.
    pub old_total: Decimal,
    /// Under NEW.
    pub new_total: Decimal,
    /// NEW − OLD.
    pub delta: Decimal,
    /// Every account of households, by name.
    pub accounts: Vec<AccountChange>,
    /// Every rating of households, by name.
    pub ratings: Vec<RatingChange>,
    /// Dividend eligibility under OLD.
    pub old_eligible: bool,
    /// Under NEW.
    pub new_eligible: bool,
    /// Dividend under OLD, in fen.
    pub old_dividend_fen: i64,
    /// Under NEW, in fen.
    pub new_dividend_fen: i64,
    /// NEW − OLD, in fen.
    pub dividend_delta_fen: i64,
}

/// The members of one roster under both versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RosterImpact {
    /// The roster's name.
    pub roster: String,
    /// The account whose points are each member's total (the roster's default account).
    pub account: String,
    /// Members whose total went up.
    pub gaining: usize,
    /// Went down.
    pub losing: usize,
    /// Stayed.
    pub unchanged: usize,
    /// Every member, in roster order (dividend fields are 0: the dividend goes to households).
    pub people: Vec<HouseholdImpact>,
}

/// An account's points under both versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccountChange {
    /// The account's name.
    pub name: String,
    /// Under OLD (0 when OLD has no such account).
    pub old: Decimal,
    /// Under NEW.
    pub new: Decimal,
    /// NEW − OLD.
    pub delta: Decimal,
}

/// A rating's outcome under both versions: the label, 「—」 when no band matched, 「取消」 when a
/// veto cancelled it, 「无」 when the version has no such rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RatingChange {
    /// The rating's name.
    pub name: String,
    /// Under OLD.
    pub old: String,
    /// Under NEW.
    pub new: String,
}

/// What one clause moved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClauseImpact {
    /// Its number in OLD.
    pub old: Option<u32>,
    /// Its number in NEW.
    pub new: Option<u32>,
    /// What happened to the clause (`null` when it is unchanged and moved points only through
    /// caps or other clauses).
    pub kind: Option<ClauseKind>,
    /// Households whose points from it changed.
    pub households: usize,
    /// Roster members (persons) whose points from it changed.
    pub persons: usize,
    /// Per account.
    pub accounts: Vec<ClauseAccountImpact>,
}

/// What one clause moved in one account.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClauseAccountImpact {
    /// The account.
    pub name: String,
    /// NEW − OLD over all subjects.
    pub delta: Decimal,
    /// The sum of the gains.
    pub gained: Decimal,
    /// The sum of the losses (negative or zero).
    pub lost: Decimal,
}

/// Totals over households.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Totals {
    /// Households.
    pub households: usize,
    /// Whose total went up.
    pub gaining: usize,
    /// Went down.
    pub losing: usize,
    /// Stayed.
    pub unchanged: usize,
    /// The largest gains (up to 5), largest first; ties in register order.
    pub largest_gains: Vec<Mover>,
    /// The largest losses (up to 5), largest first.
    pub largest_losses: Vec<Mover>,
    /// Households per rating label before and after.
    pub ratings: Vec<RatingCount>,
    /// Households eligible for the dividend under OLD.
    pub old_eligible: usize,
    /// Under NEW.
    pub new_eligible: usize,
    /// The dividend shared out under OLD, in fen.
    pub old_distributed_fen: i64,
    /// Under NEW.
    pub new_distributed_fen: i64,
    /// The money that changed hands: the sum of the households' dividend gains, in fen.
    pub dividend_moved_fen: i64,
}

/// A household and its change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mover {
    /// 户号
    pub id: String,
    /// 户主, when the register has the column.
    pub name: Option<String>,
    /// NEW − OLD.
    pub delta: Decimal,
}

/// How many households one label of a rating had before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RatingCount {
    /// The rating.
    pub rating: String,
    /// The label.
    pub label: String,
    /// Under OLD.
    pub old: usize,
    /// Under NEW.
    pub new: usize,
}

/// How many movers are listed.
const MOVERS: usize = 5;

fn outcome_words(outcome: Option<&RatingOutcome>) -> String {
    match outcome {
        Some(RatingOutcome::Label(l)) => l.to_string(),
        Some(RatingOutcome::None) => "—".to_string(),
        Some(RatingOutcome::NotRated) => "不参评".to_string(),
        Some(RatingOutcome::Cancelled) => "取消".to_string(),
        None => "无".to_string(),
    }
}

/// Union of names, NEW's order first.
fn union(new: Vec<String>, old: Vec<String>) -> Vec<String> {
    let mut all = new;
    for name in old {
        if !all.contains(&name) {
            all.push(name);
        }
    }
    all
}

/// Compares the two evaluations.
pub fn impact(diff: &CompactDiff, old: Side<'_>, new: Side<'_>) -> Impact {
    let households = subject_rows(old, new, HOUSEHOLD, Some(HOUSEHOLD));
    let totals = totals(old, new, &households);
    let money = money_impact(
        old.results.dividend.as_ref(),
        new.results.dividend.as_ref(),
        &households,
    );
    let members = new
        .compact
        .kinds
        .iter()
        .enumerate()
        .skip(1)
        .map(|(kind, k)| {
            let old_kind = old
                .compact
                .kinds
                .iter()
                .enumerate()
                .skip(1)
                .find(|(_, o)| o.name == k.name)
                .map(|(i, _)| i);
            let people = subject_rows(old, new, kind, old_kind);
            let count = |f: fn(&Decimal) -> bool| people.iter().filter(|p| f(&p.delta)).count();
            RosterImpact {
                roster: k.name.clone(),
                account: new
                    .compact
                    .default_account(kind)
                    .map(|a| new.account_name(a).to_string())
                    .unwrap_or_default(),
                gaining: count(|d| *d > Decimal::ZERO),
                losing: count(|d| *d < Decimal::ZERO),
                unchanged: count(Decimal::is_zero),
                people,
            }
        })
        .collect();
    let account = new
        .compact
        .default_account(HOUSEHOLD)
        .map(|a| new.account_name(a).to_string())
        .unwrap_or_default();
    Impact {
        period: new.results.period.label(),
        account,
        clauses: clause_rows(diff, old, new),
        households,
        members,
        totals,
        money,
    }
}

/// One row per subject of NEW's kind `new_kind` (OLD's `old_kind`), in register order.
fn subject_rows(
    old: Side<'_>,
    new: Side<'_>,
    new_kind: KindId,
    old_kind: Option<KindId>,
) -> Vec<HouseholdImpact> {
    let (Some(nk), ok) = (new.kind(new_kind), old_kind.and_then(|k| old.kind(k))) else {
        return Vec::new();
    };
    let names = |side: Side<'_>, k: Option<&KindResults>| -> Vec<String> {
        k.map(|k| {
            k.accounts
                .iter()
                .map(|a| side.account_name(*a).to_string())
                .collect()
        })
        .unwrap_or_default()
    };
    let accounts = union(names(new, Some(nk)), names(old, ok));
    let rating_names = |side: Side<'_>, k: Option<&KindResults>| -> Vec<String> {
        k.map(|k| {
            k.ratings
                .iter()
                .filter_map(|r| side.compact.ratings.get(*r))
                .map(|r| r.name.clone())
                .collect()
        })
        .unwrap_or_default()
    };
    let ratings = union(rating_names(new, Some(nk)), rating_names(old, ok));
    let total_name = |side: Side<'_>, kind: Option<KindId>| {
        side.compact
            .default_account(kind?)
            .map(|a| side.account_name(a).to_string())
    };
    let (old_total_name, new_total_name) =
        (total_name(old, old_kind), total_name(new, Some(new_kind)));
    let old_by_id: FxHashMap<&str, usize> = ok
        .map(|k| {
            k.subjects
                .iter()
                .enumerate()
                .map(|(i, s)| (s.id.as_str(), i))
                .collect()
        })
        .unwrap_or_default();
    let points = |side: Side<'_>, k: Option<&KindResults>, index: Option<usize>, name: &str| {
        let Some(k) = k else {
            return Decimal::ZERO;
        };
        let column = k
            .accounts
            .iter()
            .position(|a| side.account_name(*a) == name);
        column
            .and_then(|c| index.and_then(|i| k.subjects.get(i)?.points.get(c)))
            .copied()
            .unwrap_or_default()
            .normalize()
    };
    let rating = |side: Side<'_>, k: Option<&KindResults>, index: Option<usize>, name: &str| {
        let outcome = k.and_then(|k| {
            let column = k
                .ratings
                .iter()
                .position(|r| side.compact.ratings.get(*r).is_some_and(|r| r.name == name))?;
            k.subjects.get(index?)?.ratings.get(column)
        });
        outcome_words(outcome)
    };
    nk.subjects
        .iter()
        .enumerate()
        .map(|(i, subject)| {
            let oi = old_by_id.get(subject.id.as_str()).copied();
            let old_subject = oi.and_then(|oi| ok?.subjects.get(oi));
            let old_total = old_total_name
                .as_deref()
                .map_or(Decimal::ZERO, |n| points(old, ok, oi, n));
            let new_total = new_total_name
                .as_deref()
                .map_or(Decimal::ZERO, |n| points(new, Some(nk), Some(i), n));
            let old_dividend = old_subject.map_or(0, |s| s.dividend_fen);
            HouseholdImpact {
                id: subject.id.clone(),
                name: new
                    .subject_name(new_kind, &subject.id)
                    .or_else(|| old_kind.and_then(|k| old.subject_name(k, &subject.id))),
                old_total,
                new_total,
                delta: (new_total - old_total).normalize(),
                accounts: accounts
                    .iter()
                    .map(|name| {
                        let o = points(old, ok, oi, name);
                        let n = points(new, Some(nk), Some(i), name);
                        AccountChange {
                            name: name.clone(),
                            old: o,
                            new: n,
                            delta: (n - o).normalize(),
                        }
                    })
                    .collect(),
                ratings: ratings
                    .iter()
                    .map(|name| RatingChange {
                        name: name.clone(),
                        old: rating(old, ok, oi, name),
                        new: rating(new, Some(nk), Some(i), name),
                    })
                    .collect(),
                old_eligible: old_subject.is_some_and(|s| s.eligible),
                new_eligible: subject.eligible,
                old_dividend_fen: old_dividend,
                new_dividend_fen: subject.dividend_fen,
                dividend_delta_fen: subject.dividend_fen - old_dividend,
            }
        })
        .collect()
}

fn totals(old: Side<'_>, new: Side<'_>, rows: &[HouseholdImpact]) -> Totals {
    let gaining = rows.iter().filter(|h| h.delta > Decimal::ZERO).count();
    let losing = rows.iter().filter(|h| h.delta < Decimal::ZERO).count();
    let mut by_gain: Vec<&HouseholdImpact> =
        rows.iter().filter(|h| h.delta > Decimal::ZERO).collect();
    by_gain.sort_by_key(|h| std::cmp::Reverse(h.delta));
    let mut by_loss: Vec<&HouseholdImpact> =
        rows.iter().filter(|h| h.delta < Decimal::ZERO).collect();
    by_loss.sort_by_key(|h| h.delta);
    let mover = |h: &&HouseholdImpact| Mover {
        id: h.id.clone(),
        name: h.name.clone(),
        delta: h.delta,
    };
    // Rating labels: NEW's bands in order, then OLD's, then the outcomes without a band.
    let mut ratings: Vec<RatingCount> = Vec::new();
    let mut labels: IndexMap<(String, String), ()> = IndexMap::new();
    for side in [new, old] {
        for r in &side.compact.ratings {
            let kind = side.compact.accounts.get(r.account).map(|a| a.owner);
            if kind != Some(HOUSEHOLD) {
                continue;
            }
            for row in &r.rows {
                labels.insert((r.name.clone(), row.label.clone()), ());
            }
            if let Some(o) = &r.otherwise {
                labels.insert((r.name.clone(), o.clone()), ());
            }
        }
    }
    for h in rows {
        for r in &h.ratings {
            for label in [&r.new, &r.old] {
                if label != "无" {
                    labels.insert((r.name.clone(), label.clone()), ());
                }
            }
        }
    }
    for (rating, label) in labels.into_keys() {
        let count = |pick: fn(&crate::diff::impact::RatingChange) -> &String| {
            rows.iter()
                .filter(|h| {
                    h.ratings
                        .iter()
                        .any(|r| r.name == rating && *pick(r) == label)
                })
                .count()
        };
        let old_count = count(|r| &r.old);
        let new_count = count(|r| &r.new);
        ratings.push(RatingCount {
            rating,
            label,
            old: old_count,
            new: new_count,
        });
    }
    let distributed = |side: Side<'_>| {
        side.results
            .dividend
            .as_ref()
            .map_or(0, |d| d.distributed_fen)
    };
    Totals {
        households: rows.len(),
        gaining,
        losing,
        unchanged: rows.len() - gaining - losing,
        largest_gains: by_gain.iter().take(MOVERS).map(mover).collect(),
        largest_losses: by_loss.iter().take(MOVERS).map(mover).collect(),
        ratings,
        old_eligible: rows.iter().filter(|h| h.old_eligible).count(),
        new_eligible: rows.iter().filter(|h| h.new_eligible).count(),
        old_distributed_fen: distributed(old),
        new_distributed_fen: distributed(new),
        dividend_moved_fen: rows.iter().map(|h| h.dividend_delta_fen.max(0)).sum(),
    }
}

/// A clause of either version, or none (entries credited by no clause).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Slot {
    old: Option<ClauseId>,
    new: Option<ClauseId>,
}

fn clause_rows(diff: &CompactDiff, old: Side<'_>, new: Side<'_>) -> Vec<ClauseImpact> {
    let m = &diff.matching;
    let number =
        |c: &Compact, id: Option<ClauseId>| id.and_then(|i| c.clauses.get(i)).map(|c| c.number);
    let mut slots: Vec<Slot> = m
        .pairs
        .iter()
        .map(|(o, n)| Slot {
            old: Some(*o),
            new: Some(*n),
        })
        .chain(m.removed.iter().map(|o| Slot {
            old: Some(*o),
            new: None,
        }))
        .chain(m.added.iter().map(|n| Slot {
            old: None,
            new: Some(*n),
        }))
        .collect();
    slots.sort_by_key(|s| {
        let n = number(new.compact, s.new);
        let o = number(old.compact, s.old);
        (n.or(o).unwrap_or(0), n.is_some(), o.unwrap_or(0))
    });
    slots.push(Slot {
        old: None,
        new: None,
    });
    let other = slots.len().saturating_sub(1);
    let mut old_slot: Vec<usize> = vec![other; old.compact.clauses.len()];
    let mut new_slot: Vec<usize> = vec![other; new.compact.clauses.len()];
    for (i, s) in slots.iter().enumerate() {
        if let Some(slot) = s.old.and_then(|o| old_slot.get_mut(o)) {
            *slot = i;
        }
        if let Some(slot) = s.new.and_then(|n| new_slot.get_mut(n)) {
            *slot = i;
        }
    }
    // (slot, kind name, subject id, account name) → NEW − OLD.
    let mut deltas: FxHashMap<(usize, &str, &str, &str), Decimal> = FxHashMap::default();
    for (side, slots_of, sign) in [
        (new, &new_slot, Decimal::ONE),
        (old, &old_slot, -Decimal::ONE),
    ] {
        for ((kind, subject, clause, account), amount) in &side.sums.sums {
            let slot = clause
                .and_then(|c| slots_of.get(c).copied())
                .unwrap_or(other);
            let Some(id) = side
                .kind(*kind)
                .and_then(|k| k.subjects.get(*subject as usize))
                .map(|s| s.id.as_str())
            else {
                continue;
            };
            // Households are one kind in both versions; rosters are matched by name.
            let kind_name = if *kind == HOUSEHOLD {
                ""
            } else {
                side.kind_name(*kind)
            };
            *deltas
                .entry((slot, kind_name, id, side.account_name(*account)))
                .or_default() += *amount * sign;
        }
    }
    let account_order = union(
        new.compact
            .accounts
            .iter()
            .map(|a| a.name.clone())
            .collect(),
        old.compact
            .accounts
            .iter()
            .map(|a| a.name.clone())
            .collect(),
    );
    let mut per_slot: Vec<IndexMap<&str, ClauseAccountImpact>> = vec![IndexMap::new(); slots.len()];
    let mut moved: FxHashSet<(usize, &str, &str)> = FxHashSet::default();
    for ((slot, kind, id, account), delta) in &deltas {
        if delta.is_zero() {
            continue;
        }
        moved.insert((*slot, *kind, *id));
        if let Some(map) = per_slot.get_mut(*slot) {
            let row = map.entry(*account).or_insert_with(|| ClauseAccountImpact {
                name: (*account).to_string(),
                delta: Decimal::ZERO,
                gained: Decimal::ZERO,
                lost: Decimal::ZERO,
            });
            row.delta += *delta;
            if *delta > Decimal::ZERO {
                row.gained += *delta;
            } else {
                row.lost += *delta;
            }
        }
    }
    let mut households = vec![0usize; slots.len()];
    let mut persons = vec![0usize; slots.len()];
    for (slot, kind, _) in &moved {
        let counter = if kind.is_empty() {
            households.get_mut(*slot)
        } else {
            persons.get_mut(*slot)
        };
        if let Some(c) = counter {
            *c += 1;
        }
    }
    let kind_of = |s: &Slot| {
        diff.clauses
            .iter()
            .find(|c| c.old_id == s.old && c.new_id == s.new)
            .map(|c| c.kind)
    };
    slots
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let map = per_slot.get(i)?;
            if map.is_empty() {
                return None;
            }
            let mut accounts: Vec<ClauseAccountImpact> = map
                .values()
                .map(|r| ClauseAccountImpact {
                    name: r.name.clone(),
                    delta: r.delta.normalize(),
                    gained: r.gained.normalize(),
                    lost: r.lost.normalize(),
                })
                .collect();
            accounts.sort_by_key(|a| account_order.iter().position(|n| *n == a.name));
            Some(ClauseImpact {
                old: number(old.compact, s.old),
                new: number(new.compact, s.new),
                kind: kind_of(s),
                households: households.get(i).copied().unwrap_or(0),
                persons: persons.get(i).copied().unwrap_or(0),
                accounts,
            })
        })
        .collect()
}
