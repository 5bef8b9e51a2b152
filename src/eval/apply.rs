//! Applying one record: which rules' conditions hold, which exceptions switch rules off, how
//! much each remaining rule gives, which of a take-the-highest group counts, then caps, floors
//! and crediting — with a ledger entry for every decision when the sink wants them.

use std::cmp::Ordering;

use rust_decimal::Decimal;

use super::conditions::{Context, holds, number_of, words};
use super::ledger::{CapLevel, Computation, Entry, Note, Sink};
use super::period::{month_key, quarter_key};
use super::results::VetoRecord;
use super::state::{RuleRef, Slot};
use super::sums::{add, compare, negative, positive};
use super::{Evaluator, Period};
use crate::model::describe::{unit_step, veto_effect};
use crate::model::value::{Day, FieldValue};
use crate::model::{
    Action, Cap, ClauseId, Compact, EventRule, HOUSEHOLD, KindId, Multiplier, Per, Rule, Sign,
    ValueType, VetoEffect, Window,
};
use crate::model::{EventRecord, Status};

/// Buffers reused from record to record.
#[derive(Debug, Default)]
pub(super) struct Scratch {
    applicable: Vec<RuleRef>,
    suppressed: Vec<(ClauseId, ClauseId)>,
    candidates: Vec<Candidate>,
}

/// One rule's outcome for a record, before take-the-highest and caps.
#[derive(Debug)]
struct Candidate {
    clause: ClauseId,
    rule: usize,
    amount: Decimal,
    /// Kept only when the sink wants entries; boxed so that the many records without one move
    /// a pointer, not the whole computation.
    computation: Option<Box<Computation>>,
    notes: Vec<Note>,
    /// Set when another clause of its group wins.
    beaten_by: Option<ClauseId>,
}

/// What to credit: one amount from one clause, with where it came from.
pub(super) struct Credit {
    pub kind: KindId,
    pub subject: u32,
    pub day: Day,
    pub clause: ClauseId,
    pub rule: Option<usize>,
    pub line: Option<u64>,
    pub event: Option<usize>,
    pub amount: Decimal,
    /// Kept only when the sink wants entries (boxed, as in [`Candidate`]).
    pub computation: Option<Box<Computation>>,
    pub notes: Vec<Note>,
}

fn event_rule(compact: &Compact, clause: ClauseId, rule: usize) -> Option<&EventRule> {
    match compact.clauses.get(clause)?.rules.get(rule)? {
        Rule::Event(e) => Some(e),
        _ => None,
    }
}

fn window_key(window: Window, day: Day) -> i32 {
    match window {
        Window::Period => 0,
        Window::Month => month_key(day),
        Window::Quarter => quarter_key(day),
    }
}

/// Whether `cap` limits `amount`: an award cap awards, a deduction cap deductions.
fn cap_applies(cap: &Cap, amount: Decimal) -> bool {
    match cap.direction {
        Sign::Add => positive(amount),
        Sign::Deduct => negative(amount),
    }
}

/// The ledger's note of a cap that cut `wanted` to `allowed`.
fn capped_note(
    level: CapLevel,
    cap: &Cap,
    before: Decimal,
    wanted: Decimal,
    allowed: Decimal,
) -> Note {
    Note::Capped {
        level,
        window: cap.window,
        limit: cap.limit,
        before,
        wanted,
        allowed,
    }
}

/// Limits `amount` by a cap whose running sum is `slot`.
fn capped(
    slot: &mut Slot,
    cap: &Cap,
    level: CapLevel,
    day: Day,
    amount: Decimal,
    mut notes: Option<&mut Vec<Note>>,
) -> Decimal {
    let applies = cap_applies(cap, amount);
    if !applies {
        return amount;
    }
    enter_window(slot, cap, day);
    if let Some(allowed) = capped_whole(slot, cap, level, amount, notes.as_deref_mut()) {
        return allowed;
    }
    capped_in_window(slot, cap, level, amount, notes)
}

/// Moves a cap's running sum to `day`'s window (a new window starts from zero).
fn enter_window(slot: &mut Slot, cap: &Cap, day: Day) {
    let key = window_key(cap.window, day);
    if slot.window != key {
        slot.window = key;
        slot.sum = Decimal::ZERO;
    }
}

/// The room a cap has left in `day`'s window (never below zero).
fn room_in_window(slot: &mut Slot, cap: &Cap, day: Day) -> Decimal {
    enter_window(slot, cap, day);
    (cap.limit - slot.sum).max(Decimal::ZERO)
}

/// Limits `amount` by every cap of one level (a rule's, a chapter's or an account's) at once:
/// the record gets the least room any of them has left, and that — what is booked — is what
/// each of them counts. (Cut by each in turn, a cap would count room a later one took away.)
/// One cap, the usual case, is [`capped`] itself.
fn capped_together(
    state: &mut super::KindState,
    subject: u32,
    caps: &[(usize, Cap)],
    level: CapLevel,
    day: Day,
    amount: Decimal,
    notes: Option<&mut Vec<Note>>,
) -> Decimal {
    match caps {
        [] => return amount,
        [(slot, cap)] => {
            return match state.slot(subject, *slot) {
                Some(slot) => capped(slot, cap, level, day, amount, notes),
                None => amount,
            };
        }
        _ => {}
    }
    least_room(&mut (state, subject), caps, &|_| level, day, amount, notes)
}

/// Where a cap's running sum is: a subject's slot in one kind's state, or — for a person's
/// record under 每人 and 每户 caps — the person's or the household's.
trait CapSlots {
    fn slot_of(&mut self, per: Per, slot: usize) -> Option<&mut Slot>;
}

impl CapSlots for (&mut super::KindState, u32) {
    fn slot_of(&mut self, _: Per, slot: usize) -> Option<&mut Slot> {
        self.0.slot(self.1, slot)
    }
}

impl CapSlots
    for (
        &mut [super::KindState],
        &dyn Fn(Per) -> Option<(KindId, u32)>,
    )
{
    fn slot_of(&mut self, per: Per, slot: usize) -> Option<&mut Slot> {
        let (kind, subject) = (self.1)(per)?;
        self.0.get_mut(kind)?.slot(subject, slot)
    }
}

/// Limits `amount` by several caps at once: the record gets the least room any applicable cap
/// has left in the amount's window, and that — what is booked — is what each of them counts.
fn least_room(
    slots: &mut impl CapSlots,
    caps: &[(usize, Cap)],
    level: &dyn Fn(Per) -> CapLevel,
    day: Day,
    amount: Decimal,
    notes: Option<&mut Vec<Note>>,
) -> Decimal {
    let wanted = amount.abs();
    let mut allowed = wanted;
    let mut binding: Option<(&Cap, Decimal)> = None;
    for (slot, cap) in caps.iter().filter(|(_, cap)| cap_applies(cap, amount)) {
        let Some(slot) = slots.slot_of(cap.per, *slot) else {
            continue;
        };
        let room = room_in_window(slot, cap, day);
        if room < allowed {
            allowed = room;
            binding = Some((cap, slot.sum));
        }
    }
    for (slot, cap) in caps.iter().filter(|(_, cap)| cap_applies(cap, amount)) {
        if let Some(slot) = slots.slot_of(cap.per, *slot) {
            slot.sum += allowed;
        }
    }
    if let (Some((cap, before)), Some(notes)) = (binding, notes) {
        notes.push(capped_note(level(cap.per), cap, before, wanted, allowed));
    }
    if negative(amount) { -allowed } else { allowed }
}

/// [`capped_together`] for a rule whose caps count on different subjects — a person's record
/// under 每人 and 每户 caps —: `whose` says where each cap's running sum is (the person, or the
/// household), `level` how the ledger names it.
fn capped_across(
    states: &mut [super::KindState],
    caps: &[(usize, Cap)],
    whose: &dyn Fn(Per) -> Option<(KindId, u32)>,
    level: &dyn Fn(Per) -> CapLevel,
    day: Day,
    amount: Decimal,
    notes: Option<&mut Vec<Note>>,
) -> Decimal {
    least_room(&mut (states, whose), caps, level, day, amount, notes)
}

/// The ledger's note on a household's entry that came from one of its members' records.
fn member_note(
    compact: &Compact,
    registers: &[crate::model::Register],
    kind: KindId,
    person: u32,
) -> Note {
    let register = registers.get(kind);
    let id = register
        .and_then(|r| r.id(person))
        .map(str::to_string)
        .unwrap_or_default();
    let name = register.and_then(|r| r.name(person)).unwrap_or_default();
    Note::Member {
        roster: compact
            .kinds
            .get(kind)
            .map(|k| k.name.clone())
            .unwrap_or_default(),
        person: if name.is_empty() || name == id {
            id
        } else {
            format!("{name}（{id}）")
        },
    }
}

/// [`capped`] once the cap applies and the running sum is the amount's window's, for any
/// scale.
fn capped_in_window(
    slot: &mut Slot,
    cap: &Cap,
    level: CapLevel,
    amount: Decimal,
    notes: Option<&mut Vec<Note>>,
) -> Decimal {
    let wanted = amount.abs();
    // (`sums`: the same results as the operators, faster for sums of one scale.)
    let allowed = if compare(slot.sum, cap.limit) != Ordering::Less {
        Decimal::ZERO
    } else {
        // Room left: more than zero here.
        let room = add(cap.limit, -slot.sum);
        if compare(wanted, room) == Ordering::Greater {
            room
        } else {
            wanted
        }
    };
    let before = slot.sum;
    slot.sum = add(slot.sum, allowed);
    if compare(allowed, wanted) == Ordering::Less
        && let Some(notes) = notes
    {
        notes.push(capped_note(level, cap, before, wanted, allowed));
    }
    if negative(amount) { -allowed } else { allowed }
}

/// [`capped`] for whole numbers (the running sum, the limit and the amount all of scale 0 —
/// every cap of a whole-number compact): the same results, sign of zero included, on the
/// integers; `None` for any other scale. The window is already the amount's.
fn capped_whole(
    slot: &mut Slot,
    cap: &Cap,
    level: CapLevel,
    amount: Decimal,
    notes: Option<&mut Vec<Note>>,
) -> Option<Decimal> {
    if slot.sum.scale() != 0 || cap.limit.scale() != 0 || amount.scale() != 0 {
        return None;
    }
    let (sum, limit, wanted) = (
        slot.sum.mantissa(),
        cap.limit.mantissa(),
        amount.mantissa().abs(),
    );
    let allowed = if sum >= limit {
        0
    } else {
        wanted.min(limit - sum)
    };
    if allowed == wanted {
        // All of it: the sum grows by the amount's magnitude, the amount passes unchanged.
        slot.sum = Decimal::try_from_i128_with_scale(sum + allowed, 0).ok()?;
        return Some(amount);
    }
    let before = slot.sum;
    let allowed_decimal = if allowed == 0 {
        Decimal::ZERO
    } else {
        let allowed_decimal = Decimal::try_from_i128_with_scale(allowed, 0).ok()?;
        slot.sum = Decimal::try_from_i128_with_scale(sum + allowed, 0).ok()?;
        allowed_decimal
    };
    if let Some(notes) = notes {
        notes.push(capped_note(
            level,
            cap,
            before,
            amount.abs(),
            allowed_decimal,
        ));
    }
    Some(if negative(amount) {
        -allowed_decimal
    } else {
        allowed_decimal
    })
}

impl<S: Sink> Evaluator<'_, S> {
    /// Gives the period's base points (每户 加 …), dated the period's first day.
    pub(super) fn start_period(&mut self) {
        self.started = true;
        let compact = self.compact;
        let Some(period) = self.period else { return };
        for state in &mut self.states {
            state.start_months(period.start);
        }
        self.account_bases(period.start);
        for (clause_id, clause) in compact.clauses.iter().enumerate() {
            for rule in &clause.rules {
                let Rule::Base(base) = rule else { continue };
                let Some(register) = self.register(base.kind) else {
                    continue;
                };
                for subject in 0..u32::try_from(register.len()).unwrap_or(0) {
                    if self.owns(subject) {
                        self.base_points(clause_id, base, register, subject, period.start);
                    }
                }
            }
        }
        self.post_carries();
        // A window's own points (本季度 户积分) are what its records earned: the base points
        // and carried amounts that open the period are in the balance, not in a month's sum.
        for state in &mut self.states {
            state.open_months();
        }
    }

    /// 账户 …：基础分 N 分[，分为「甲」…] — each subject's account opens the period with its
    /// base, a ledger line per group (each group's running balance starts there).
    fn account_bases(&mut self, day: Day) {
        let compact = self.compact;
        for (id, account) in compact.accounts.iter().enumerate() {
            let Some(base) = account.base else { continue };
            let Some(register) = self.register(account.owner) else {
                continue;
            };
            let subjects = u32::try_from(register.len()).unwrap_or(0);
            let local = self.plan.account_slot.get(id).map_or(0, |(_, l)| *l);
            let slots = self.plan.group_slots.get(id).cloned().unwrap_or_default();
            let parts: Vec<(Option<&str>, Decimal, Option<usize>)> = if account.groups.is_empty() {
                vec![(None, base, None)]
            } else {
                account
                    .groups
                    .iter()
                    .enumerate()
                    .map(|(g, group)| {
                        (Some(group.name.as_str()), group.base, slots.get(g).copied())
                    })
                    .collect()
            };
            for subject in 0..subjects {
                if !self.owns(subject) {
                    continue;
                }
                let wants = self.sink.wants(account.owner, subject);
                for (group, points, slot) in &parts {
                    if let Some(state) = self.states.get_mut(account.owner) {
                        state.credit(subject, local, *points);
                        if let Some(slot) = slot.and_then(|slot| state.slot(subject, slot)) {
                            slot.sum = *points;
                        }
                    }
                    if wants {
                        self.sink.push(Entry {
                            kind: account.owner,
                            subject,
                            day,
                            account: Some(id),
                            clause: None,
                            line: None,
                            event: None,
                            amount: *points,
                            computation: Computation::AccountBase {
                                group: group.map(str::to_string),
                                points: *points,
                            },
                            notes: Vec::new(),
                        });
                    }
                }
            }
        }
    }

    fn base_points(
        &mut self,
        clause: ClauseId,
        base: &crate::model::BaseRule,
        register: &crate::model::Register,
        subject: u32,
        day: Day,
    ) {
        let wants = self.wants_credit(clause, base.kind, subject);
        let (amount, attribute) = match base.attribute {
            None => (Some(base.points), None),
            Some(index) => {
                let value = register
                    .value(subject, index)
                    .and_then(number_of)
                    .unwrap_or_default();
                let name = self
                    .compact
                    .kinds
                    .get(base.kind)
                    .and_then(|k| k.attributes.get(index))
                    .map(|a| a.name.clone())
                    .unwrap_or_default();
                (base.points.checked_mul(value), Some((name, value)))
            }
        };
        let mut notes = Vec::new();
        let context = Context {
            record: None,
            event_position: 0,
            register,
            subject,
            count: 0,
        };
        let factor = multiplier(&base.multipliers, &context, wants.then_some(&mut notes));
        let Some(amount) = amount
            .zip(factor)
            .and_then(|(a, f)| within_reach(a.checked_mul(f)?))
        else {
            // Beyond what points can be (a register value or rule far too large): not booked,
            // counted as refused and said in the ledger.
            self.summary.refused += 1;
            if wants {
                self.emit(Entry {
                    kind: base.kind,
                    subject,
                    day,
                    account: None,
                    clause: Some(clause),
                    line: None,
                    event: None,
                    amount: Decimal::ZERO,
                    computation: Computation::NotScored,
                    notes: vec![Note::TooLarge],
                });
            }
            return;
        };
        if amount == Decimal::ZERO {
            return;
        }
        let computation = wants.then(|| {
            Box::new(Computation::Base {
                attribute,
                points: base.points,
                amount,
            })
        });
        self.credit(Credit {
            kind: base.kind,
            subject,
            day,
            clause,
            rule: None,
            line: None,
            event: None,
            amount,
            computation,
            notes,
        });
    }

    /// Notes a record of a period before the evaluated one, for streaks.
    pub(super) fn history(&mut self, record: &EventRecord) {
        if record.status == Status::Approved && record.missing_evidence.is_none() {
            let year = Period::containing(record.day, self.compact.period_start).year;
            self.mark_breaking(record, year);
        }
    }

    /// Records that the subject had a record breaking a streak in period `year`.
    fn mark_breaking(&mut self, record: &EventRecord, year: i32) {
        let Some(streaks) = self.plan.streaks_by_event.get(record.kind) else {
            return;
        };
        if streaks.is_empty() {
            return;
        }
        let owner = self.compact.events.get(record.kind).map_or(0, |e| e.owner);
        if let Some(state) = self.states.get_mut(owner) {
            for &streak in streaks {
                if let Some(last) = state.breaking_mut(record.subject, streak) {
                    *last = (*last).max(year);
                }
            }
        }
    }

    /// Applies one record of the period.
    pub(super) fn apply(&mut self, record: &EventRecord) {
        let compact = self.compact;
        let Some(event) = compact.events.get(record.kind) else {
            return;
        };
        let kind = event.owner;
        let subject = record.subject;
        let wants = self.wants_record(record.kind, kind, subject);
        self.summary.in_period += 1;
        let not_scored = match record.status {
            Status::Pending => Some(Note::Pending),
            Status::Rejected => Some(Note::Rejected),
            Status::Approved => record.missing_evidence.map(|i| Note::MissingEvidence {
                evidence: event
                    .evidence
                    .get(usize::from(i))
                    .cloned()
                    .unwrap_or_default(),
            }),
        };
        if let Some(note) = not_scored {
            if matches!(note, Note::Rejected) {
                self.summary.rejected_in_review += 1;
            } else {
                self.summary.pending += 1;
            }
            if wants {
                self.emit(Entry {
                    kind,
                    subject,
                    day: record.day,
                    account: None,
                    clause: None,
                    line: Some(record.line),
                    event: Some(record.kind),
                    amount: Decimal::ZERO,
                    computation: Computation::NotScored,
                    notes: vec![note],
                });
            }
            return;
        }
        self.summary.scored += 1;
        if let Some(period) = self.period {
            self.mark_breaking(record, period.year);
        }
        let local_event = self.plan.event_slot.get(record.kind).copied().unwrap_or(0);
        let count = self
            .states
            .get_mut(kind)
            .map_or(1, |s| s.bump(subject, local_event));
        let Some(register) = self.register(kind) else {
            return;
        };

        if let Some(&[rule_ref]) = self.plan.by_event.get(record.kind).map(Vec::as_slice) {
            self.apply_single(rule_ref, record, register, count, wants);
            return;
        }

        // Which rules' conditions hold.
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.applicable.clear();
        if let Some(rules) = self.plan.by_event.get(record.kind) {
            for rule_ref in rules {
                let Some(rule) = event_rule(compact, rule_ref.clause, rule_ref.rule) else {
                    continue;
                };
                let context = Context {
                    record: Some(record),
                    event_position: rule_ref.position,
                    register,
                    subject,
                    count,
                };
                if rule.condition.as_ref().is_none_or(|c| holds(c, &context)) {
                    scratch.applicable.push(*rule_ref);
                }
            }
        }
        if scratch.applicable.is_empty() {
            if wants {
                self.emit(self.zero_entry(record, None, Note::NoClause));
            }
            self.scratch = scratch;
            return;
        }

        // Exceptions: an applicable clause that is not itself switched off switches off the
        // clauses it is an exception to. Exceptions have no cycles (the checker sees to it).
        scratch.suppressed.clear();
        loop {
            let mut changed = false;
            for rule_ref in &scratch.applicable {
                let by = rule_ref.clause;
                if scratch.suppressed.iter().any(|(c, _)| *c == by) {
                    continue;
                }
                let Some(clause) = compact.clauses.get(by) else {
                    continue;
                };
                for &target in &clause.exceptions_to {
                    let present = scratch.applicable.iter().any(|r| r.clause == target);
                    if present && !scratch.suppressed.iter().any(|(c, _)| *c == target) {
                        scratch.suppressed.push((target, by));
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }

        // What each remaining rule gives.
        scratch.candidates.clear();
        for rule_ref in &scratch.applicable {
            if let Some(&(_, by)) = scratch
                .suppressed
                .iter()
                .find(|(c, _)| *c == rule_ref.clause)
            {
                if wants {
                    self.emit(Entry {
                        kind,
                        subject,
                        day: record.day,
                        account: None,
                        clause: Some(rule_ref.clause),
                        line: Some(record.line),
                        event: Some(record.kind),
                        amount: Decimal::ZERO,
                        computation: Computation::NotScored,
                        notes: vec![Note::Excepted { by }],
                    });
                }
                continue;
            }
            let Some(rule) = event_rule(compact, rule_ref.clause, rule_ref.rule) else {
                continue;
            };
            let context = Context {
                record: Some(record),
                event_position: rule_ref.position,
                register,
                subject,
                count,
            };
            if let Some(candidate) = self.outcome(rule_ref, rule, record, &context, wants) {
                scratch.candidates.push(candidate);
            }
        }

        // Take the highest within each group.
        let n = scratch.candidates.len();
        for i in 0..n {
            let Some(group) = scratch
                .candidates
                .get(i)
                .and_then(|c| compact.clauses.get(c.clause))
                .and_then(|c| c.highest_group)
            else {
                continue;
            };
            let mut best = i;
            for j in 0..n {
                let (Some(a), Some(b)) = (scratch.candidates.get(best), scratch.candidates.get(j))
                else {
                    continue;
                };
                let same_group =
                    compact.clauses.get(b.clause).and_then(|c| c.highest_group) == Some(group);
                // Equal amounts: the clause written first counts (never both).
                let better = b.amount.abs() > a.amount.abs()
                    || (b.amount.abs() == a.amount.abs() && j < best);
                if same_group && better {
                    best = j;
                }
            }
            if best != i {
                let winner = scratch.candidates.get(best).map(|c| c.clause);
                if let (Some(candidate), Some(winner)) = (scratch.candidates.get_mut(i), winner) {
                    candidate.beaten_by = Some(winner);
                }
            }
        }

        // Credit the rest, in clause order.
        // Drained, not taken: the buffer is kept for the next record.
        for candidate in scratch.candidates.drain(..) {
            if let Some(winner) = candidate.beaten_by {
                if wants {
                    let mut notes = candidate.notes;
                    notes.push(Note::NotHighest { winner });
                    self.emit(Entry {
                        kind,
                        subject,
                        day: record.day,
                        account: None,
                        clause: Some(candidate.clause),
                        line: Some(record.line),
                        event: Some(record.kind),
                        amount: Decimal::ZERO,
                        computation: candidate.computation.map_or(Computation::NotScored, |c| *c),
                        notes,
                    });
                }
                continue;
            }
            self.credit_candidate(kind, record, candidate);
        }
        self.scratch = scratch;
    }

    /// Applies a record of an event kind that triggers one rule only — most kinds. With one
    /// rule there is no exception to weigh (an exception needs two clauses on the record), no
    /// take-the-highest (a group of one always wins) and no order of candidates, so the rule's
    /// outcome is credited directly: the same decisions as [`Self::apply`]'s general path,
    /// without its buffers.
    fn apply_single(
        &mut self,
        rule_ref: RuleRef,
        record: &EventRecord,
        register: &crate::model::Register,
        count: u32,
        wants: bool,
    ) {
        let compact = self.compact;
        let Some(rule) = event_rule(compact, rule_ref.clause, rule_ref.rule) else {
            return;
        };
        let kind = compact.events.get(record.kind).map_or(0, |e| e.owner);
        let context = Context {
            record: Some(record),
            event_position: rule_ref.position,
            register,
            subject: record.subject,
            count,
        };
        if !rule.condition.as_ref().is_none_or(|c| holds(c, &context)) {
            if wants {
                self.emit(self.zero_entry(record, None, Note::NoClause));
            }
            return;
        }
        if let Some(candidate) = self.outcome(&rule_ref, rule, record, &context, wants) {
            self.credit_candidate(kind, record, candidate);
        }
    }

    /// Credits what a rule gives for `record` to the subject of `kind`.
    fn credit_candidate(&mut self, kind: KindId, record: &EventRecord, candidate: Candidate) {
        self.credit(Credit {
            kind,
            subject: record.subject,
            day: record.day,
            clause: candidate.clause,
            rule: Some(candidate.rule),
            line: Some(record.line),
            event: Some(record.kind),
            amount: candidate.amount,
            computation: candidate.computation,
            notes: candidate.notes,
        });
    }

    /// What one rule gives for a record, or `None` when it has already been handled (vetoes,
    /// redemptions and refusals are recorded here).
    fn outcome(
        &mut self,
        rule_ref: &RuleRef,
        rule: &EventRule,
        record: &EventRecord,
        context: &Context<'_>,
        wants: bool,
    ) -> Option<Candidate> {
        let compact = self.compact;
        let kind = compact.events.get(record.kind).map_or(0, |e| e.owner);
        let subject = record.subject;
        let field_value = |field: &crate::model::FieldRef| {
            field
                .indexes
                .get(rule_ref.position)
                .and_then(|&i| record.values.get(i))
                .and_then(Option::as_ref)
        };
        let mut notes = Vec::new();
        // 同一 活动编号 只计一次: a later record of the same activity is 已计.
        let (once_kind, once_subject) = match rule.once_per {
            Per::Household if rule.once.is_some() => (
                HOUSEHOLD,
                self.household_of(kind, subject).unwrap_or(u32::MAX),
            ),
            _ => (kind, subject),
        };
        let once_key = rule.once.as_ref().and_then(|field| {
            field_value(field).map(|v| {
                (
                    once_kind,
                    once_subject,
                    rule_ref.clause,
                    rule_ref.rule,
                    value_text(v, &field.ty),
                )
            })
        });
        if let (Some(key), Some(field)) = (&once_key, &rule.once)
            && let Some(&(day, line)) = self.once_seen.get(key)
        {
            if wants {
                notes.push(Note::AlreadyCounted {
                    field: field.name.clone(),
                    value: key.4.clone(),
                    day,
                    line,
                });
            }
            return Some(Candidate {
                clause: rule_ref.clause,
                rule: rule_ref.rule,
                amount: Decimal::ZERO,
                computation: wants.then(|| Box::new(Computation::NotScored)),
                notes,
                beaten_by: None,
            });
        }
        let (amount, computation) = match &rule.action {
            Action::Fixed { points } => (
                *points,
                wants.then(|| Box::new(Computation::Fixed { points: *points })),
            ),
            Action::PerUnit {
                field,
                step,
                whole,
                points,
            } => {
                let quantity = field_value(field).and_then(number_of).unwrap_or_default();
                let ratio = if step.is_zero() {
                    Decimal::ZERO
                } else if step.scale() == 0 && step.mantissa() == 1 {
                    // 每天, 每小时: a step of one, no division.
                    quantity
                } else {
                    quantity / step
                };
                let steps = if *whole { ratio.floor() } else { ratio };
                let Some(amount) = steps.checked_mul(*points).map(|a| a.normalize()) else {
                    self.refuse_too_large(record, rule_ref.clause, wants);
                    return None;
                };
                let computation = wants.then(|| {
                    Box::new(Computation::PerUnit {
                        quantity: unit_step(field, quantity),
                        unit: unit_name(&field.ty),
                        step: unit_step(field, *step),
                        whole: *whole,
                        steps: steps.normalize(),
                        points: *points,
                        amount,
                    })
                });
                (amount, computation)
            }
            Action::Range {
                field,
                sign,
                min,
                max,
            } => {
                let value = field_value(field).and_then(number_of).unwrap_or_default();
                if value < *min || value > *max {
                    self.summary.refused += 1;
                    if wants {
                        self.emit(self.zero_entry(
                            record,
                            Some(rule_ref.clause),
                            Note::OutOfRange {
                                value,
                                min: *min,
                                max: *max,
                            },
                        ));
                    }
                    return None;
                }
                let amount = if *sign == Sign::Deduct { -value } else { value };
                let computation = wants.then(|| {
                    Box::new(Computation::Range {
                        field: field.name.clone(),
                        value,
                        min: *min,
                        max: *max,
                        amount,
                    })
                });
                (amount, computation)
            }
            Action::Table {
                field,
                rows,
                otherwise,
            } => {
                let value = field_value(field);
                let found = rows.iter().find(|row| {
                    row.keys.iter().any(|k| {
                        value.is_some_and(|v| {
                            crate::eval::conditions::literal_equals(v, &field.ty, k)
                        })
                    })
                });
                let points = found.map(|r| r.points).or(*otherwise);
                let Some(points) = points else {
                    if wants {
                        self.emit(self.zero_entry(record, Some(rule_ref.clause), Note::NoClause));
                    }
                    return None;
                };
                let computation = wants.then(|| {
                    Box::new(Computation::Table {
                        field: field.name.clone(),
                        key: value.map(|v| value_text(v, &field.ty)).unwrap_or_default(),
                        points,
                    })
                });
                (points, computation)
            }
            Action::Ladder { field, rungs } => {
                let quantity = field_value(field).and_then(number_of).unwrap_or_default();
                let slot_index = self
                    .plan
                    .ladders
                    .get(rule_ref.clause)
                    .and_then(|c| c.get(rule_ref.rule))
                    .copied()
                    .flatten();
                // Two slots: the cumulative quantity, then the points paid so far.
                let state = self.states.get_mut(kind)?;
                let index = slot_index?;
                let cumulative = {
                    let slot = state.slot(subject, index)?;
                    slot.sum += quantity;
                    slot.sum
                };
                let paid = state.slot(subject, index + 1)?;
                let paid_before = paid.sum;
                let reached = rungs.iter().rev().find(|r| r.threshold <= cumulative);
                let Some(rung) = reached else {
                    return Some(Candidate {
                        clause: rule_ref.clause,
                        rule: rule_ref.rule,
                        amount: Decimal::ZERO,
                        computation: wants.then(|| {
                            Box::new(Computation::Ladder {
                                field: field.name.clone(),
                                unit: unit_name(&field.ty),
                                cumulative: unit_step(field, cumulative),
                                threshold: rungs
                                    .first()
                                    .map(|r| unit_step(field, r.threshold))
                                    .unwrap_or_default(),
                                rung_points: Decimal::ZERO,
                                paid_before,
                                amount: Decimal::ZERO,
                            })
                        }),
                        notes,
                        beaten_by: None,
                    });
                };
                let amount = rung.points - paid_before;
                paid.sum = rung.points;
                let computation = wants.then(|| {
                    Box::new(Computation::Ladder {
                        field: field.name.clone(),
                        unit: unit_name(&field.ty),
                        cumulative: unit_step(field, cumulative),
                        threshold: unit_step(field, rung.threshold),
                        rung_points: rung.points,
                        paid_before,
                        amount,
                    })
                });
                (amount, computation)
            }
            Action::Redeem {
                account,
                field,
                prices: Some(rows),
            } => {
                // 按 物品：洗衣液 20 分，…: the good's price; a good not in the table is not
                // redeemed.
                let value = field_value(field);
                let price = rows.iter().find(|row| {
                    row.keys.iter().any(|k| {
                        value.is_some_and(|v| {
                            crate::eval::conditions::literal_equals(v, &field.ty, k)
                        })
                    })
                });
                match price {
                    Some(row) => self.redeem(record, rule_ref.clause, *account, row.points, wants),
                    None => {
                        self.summary.refused += 1;
                        if wants {
                            let good = value.map(|v| value_text(v, &field.ty)).unwrap_or_default();
                            self.emit(self.zero_entry(
                                record,
                                Some(rule_ref.clause),
                                Note::NoPrice { good },
                            ));
                        }
                    }
                }
                return None;
            }
            Action::Redeem { account, field, .. } => {
                let points = field_value(field).and_then(number_of).unwrap_or_default();
                self.redeem(record, rule_ref.clause, *account, points, wants);
                return None;
            }
            Action::Zero => (Decimal::ZERO, wants.then(|| Box::new(Computation::Zero))),
            Action::Veto(effects) => {
                self.veto(record, rule_ref.clause, effects, wants);
                self.keep_carry(
                    kind,
                    rule_ref.clause,
                    rule_ref.rule,
                    (subject, record.kind, record.line, record.day),
                    Decimal::ZERO,
                    effects,
                );
                return None;
            }
            Action::Repair { targets, points } => {
                let lifted = self.repair(record, rule_ref.clause, targets, wants);
                match points {
                    Some(points) if lifted => (
                        *points,
                        wants.then(|| Box::new(Computation::RepairedTo { points: *points })),
                    ),
                    _ => return None,
                }
            }
        };
        // Most rules have no multiplier: no product, no comparison of decimals.
        let amount = if rule.multipliers.is_empty() {
            Some(amount)
        } else {
            match multiplier(&rule.multipliers, context, wants.then_some(&mut notes)) {
                Some(factor) if factor == Decimal::ONE => Some(amount),
                Some(factor) => amount.checked_mul(factor),
                None => None,
            }
        };
        let Some(amount) = amount.and_then(within_reach) else {
            self.refuse_too_large(record, rule_ref.clause, wants);
            return None;
        };
        // 四舍五入 保留 N 位小数: each record's points, after multipliers and before caps.
        let amount = match rule.rounding {
            Some(rounding) => {
                let rounded = rounding.apply(amount);
                if wants && rounded != amount {
                    notes.push(Note::Rounded {
                        rounding,
                        exact: amount,
                        rounded,
                    });
                }
                rounded
            }
            None => amount,
        };
        if let Some(key) = once_key {
            self.once_seen.insert(key, (record.day, record.line));
        }
        if rule.validity > 1 {
            // Counts include earlier records still valid (有效 N 年): say so.
            for note in &mut notes {
                if let Note::Multiplied { condition, .. } = note {
                    *condition = condition.replace("为本年第", "为有效期内第");
                }
            }
        }
        Some(Candidate {
            clause: rule_ref.clause,
            rule: rule_ref.rule,
            // Normalising is costly; whole numbers are already normal.
            amount: if amount.scale() == 0 {
                amount
            } else {
                amount.normalize()
            },
            computation,
            notes,
            beaten_by: None,
        })
    }

    /// A record whose points would be beyond [`MAX_POINTS`]: refused, and said in the ledger.
    fn refuse_too_large(&mut self, record: &EventRecord, clause: ClauseId, wants: bool) {
        self.summary.refused += 1;
        if wants {
            self.emit(self.zero_entry(record, Some(clause), Note::TooLarge));
        }
    }

    /// The household of person `subject` of roster `kind`, if the roster names one.
    pub(super) fn household_of(&self, kind: KindId, subject: u32) -> Option<u32> {
        if kind == HOUSEHOLD {
            return None;
        }
        self.registers
            .get(kind)
            .and_then(|r| r.households.get(subject as usize).copied().flatten())
    }

    /// Whether the sink wants the entries of the household person `subject` belongs to.
    fn household_wants(&self, kind: KindId, subject: u32) -> bool {
        self.household_of(kind, subject)
            .is_some_and(|h| self.sink.wants(HOUSEHOLD, h))
    }

    /// Whether the sink wants what `clause` credits to `subject` of `kind`: its own entries,
    /// or — when the clause reaches the person's household — the household's.
    pub(super) fn wants_credit(&self, clause: ClauseId, kind: KindId, subject: u32) -> bool {
        self.sink.wants(kind, subject)
            || (self
                .plan
                .credits
                .get(clause)
                .is_some_and(|c| c.reaches_household)
                && self.household_wants(kind, subject))
    }

    /// Whether the sink wants entries about a record of `event` for `subject` of `kind`: its
    /// own, or — when the record reaches the person's household — the household's.
    fn wants_record(&self, event: usize, kind: KindId, subject: u32) -> bool {
        self.sink.wants(kind, subject)
            || (self
                .plan
                .reaches_household
                .get(event)
                .copied()
                .unwrap_or(false)
                && self.household_wants(kind, subject))
    }

    /// Gives the sink an entry that credits nothing, if it wants its subject's; one about a
    /// person's record that reaches the household goes to the household too (its explain
    /// lists the members' records that did not count, and why).
    fn emit(&mut self, entry: Entry) {
        let reaches = entry.kind != HOUSEHOLD
            && entry.account.is_none()
            && entry
                .event
                .and_then(|e| self.plan.reaches_household.get(e).copied())
                .unwrap_or(false);
        let household = if reaches {
            self.household_of(entry.kind, entry.subject)
                .filter(|&h| self.sink.wants(HOUSEHOLD, h))
        } else {
            None
        };
        let copy = household.map(|h| {
            let mut copy = entry.clone();
            copy.notes.insert(
                0,
                member_note(self.compact, self.registers, entry.kind, entry.subject),
            );
            copy.kind = HOUSEHOLD;
            copy.subject = h;
            copy
        });
        if self.sink.wants(entry.kind, entry.subject) {
            self.sink.push(entry);
        }
        if let Some(copy) = copy {
            self.sink.push(copy);
        }
    }

    /// The entry of a record that scored nothing here, and why.
    fn zero_entry(&self, record: &EventRecord, clause: Option<ClauseId>, note: Note) -> Entry {
        Entry {
            kind: self.compact.events.get(record.kind).map_or(0, |e| e.owner),
            subject: record.subject,
            day: record.day,
            account: None,
            clause,
            line: Some(record.line),
            event: Some(record.kind),
            amount: Decimal::ZERO,
            computation: Computation::NotScored,
            notes: vec![note],
        }
    }

    fn veto(
        &mut self,
        record: &EventRecord,
        clause: ClauseId,
        effects: &[VetoEffect],
        wants: bool,
    ) {
        let compact = self.compact;
        let kind = compact.events.get(record.kind).map_or(0, |e| e.owner);
        let subject = record.subject;
        let accounts = self.plan.account_slot.clone();
        if let Some(flags) = self
            .states
            .get_mut(kind)
            .and_then(|s| s.vetoes_mut(subject))
        {
            for effect in effects {
                match effect {
                    VetoEffect::CancelDividend => flags.dividend = true,
                    VetoEffect::CancelRating(r) => flags.ratings.insert(*r),
                    VetoEffect::ZeroAccount(a) => {
                        let local = accounts.get(*a).map_or(0, |(_, l)| *l);
                        flags.zeroed.insert(local);
                    }
                    // Read from the veto records at the end of the period.
                    VetoEffect::Downgrade { .. } => {}
                }
            }
        }
        self.vetoes
            .entry((kind, subject))
            .or_default()
            .push(VetoRecord {
                clause,
                line: record.line,
                day: record.day,
                effects: effects.to_vec(),
            });
        if wants {
            let notes = effects
                .iter()
                .filter(|e| crate::model::describe::effect_shown(compact, e))
                .map(|e| Note::Vetoed {
                    effect: veto_effect(compact, e),
                })
                .collect();
            self.emit(Entry {
                kind,
                subject,
                day: record.day,
                account: None,
                clause: Some(clause),
                line: Some(record.line),
                event: Some(record.kind),
                amount: Decimal::ZERO,
                computation: Computation::Veto,
                notes,
            });
        }
    }

    fn redeem(
        &mut self,
        record: &EventRecord,
        clause: ClauseId,
        account: usize,
        points: Decimal,
        wants: bool,
    ) {
        let kind = self.compact.events.get(record.kind).map_or(0, |e| e.owner);
        let subject = record.subject;
        let local = self.plan.account_slot.get(account).map_or(0, |(_, l)| *l);
        let balance = self
            .states
            .get(kind)
            .map_or(Decimal::ZERO, |s| s.balance(subject, local));
        let (amount, notes) = if points > balance || points < Decimal::ZERO {
            self.summary.refused += 1;
            (
                Decimal::ZERO,
                vec![Note::InsufficientBalance {
                    balance,
                    wanted: points,
                }],
            )
        } else {
            (-points, Vec::new())
        };
        if let Some(state) = self.states.get_mut(kind) {
            state.credit_on(subject, local, amount, record.day);
        }
        if wants {
            self.emit(Entry {
                kind,
                subject,
                day: record.day,
                account: Some(account),
                clause: Some(clause),
                line: Some(record.line),
                event: Some(record.kind),
                amount,
                computation: Computation::Redeem { points },
                notes,
            });
        }
    }

    /// Puts an amount through the caps (clause, chapter, account) and the floor, and credits
    /// it to each of the clause's accounts.
    pub(super) fn credit(&mut self, credit: Credit) {
        let Some(plan) = self.plan.credits.get(credit.clause) else {
            return;
        };
        let wants = credit.computation.is_some();
        // A person's record counted in the household (按人记录，计入户): the household the
        // roster names (every person of such a roster names one: `data` and the checker of
        // 示例 see to it).
        let household = (plan.reaches_household && credit.kind != HOUSEHOLD)
            .then(|| {
                self.registers
                    .get(credit.kind)
                    .and_then(|r| r.households.get(credit.subject as usize).copied().flatten())
            })
            .flatten();
        let mut notes = credit.notes;
        let mut amount = credit.amount;
        let rule_caps = credit.rule.and_then(|r| plan.rule_caps.get(r));
        if plan.reaches_household {
            let whose = |per: Per| match per {
                Per::Subject => Some((credit.kind, credit.subject)),
                Per::Household => household.map(|h| (HOUSEHOLD, h)),
            };
            let clause_level = |per: Per| match (per, plan.per) {
                (Per::Household, _) => CapLevel::PerHousehold,
                (Per::Subject, Per::Household) => CapLevel::PerPerson,
                (Per::Subject, Per::Subject) => CapLevel::Clause,
            };
            amount = capped_across(
                &mut self.states,
                rule_caps.map_or(&[], Vec::as_slice),
                &whose,
                &clause_level,
                credit.day,
                amount,
                wants.then_some(&mut notes),
            );
            let counted = match plan.per {
                Per::Subject => credit.kind,
                Per::Household => HOUSEHOLD,
            };
            amount = capped_across(
                &mut self.states,
                plan.chapter_caps.get(counted).map_or(&[], Vec::as_slice),
                &|_| whose(plan.per),
                &|_| CapLevel::Chapter,
                credit.day,
                amount,
                wants.then_some(&mut notes),
            );
        } else {
            let Some(state) = self.states.get_mut(credit.kind) else {
                return;
            };
            amount = capped_together(
                state,
                credit.subject,
                rule_caps.map_or(&[], Vec::as_slice),
                CapLevel::Clause,
                credit.day,
                amount,
                wants.then_some(&mut notes),
            );
            amount = capped_together(
                state,
                credit.subject,
                plan.chapter_caps
                    .get(credit.kind)
                    .map_or(&[], Vec::as_slice),
                CapLevel::Chapter,
                credit.day,
                amount,
                wants.then_some(&mut notes),
            );
        }
        // Kept for later periods (有效 N 年): the amount after the clause's and chapter's caps.
        let carried = amount;
        // Only clauses a 修复 names keep their amounts (no allocation otherwise).
        let repairable = self.carrying.is_repair_target(credit.clause);
        let mut booked = Vec::new();
        // The person's own explanation (a ledger kept for the person but not for the household,
        // which already names the member): a line saying where the record was counted.
        let mut pointer = household
            .filter(|&h| {
                wants
                    && self.sink.wants(credit.kind, credit.subject)
                    && !self.sink.wants(HOUSEHOLD, h)
            })
            .map(|_| Entry {
                kind: credit.kind,
                subject: credit.subject,
                day: credit.day,
                account: None,
                clause: Some(credit.clause),
                line: credit.line,
                event: credit.event,
                amount: Decimal::ZERO,
                computation: credit
                    .computation
                    .as_deref()
                    .cloned()
                    .unwrap_or(Computation::NotScored),
                notes: notes.clone(),
            });
        for account in &plan.accounts {
            // The person's own account, or the household's the person belongs to.
            let (kind, subject) = if account.owner == credit.kind {
                (credit.kind, credit.subject)
            } else {
                match household {
                    Some(h) => (HOUSEHOLD, h),
                    None => continue,
                }
            };
            let Some(state) = self.states.get_mut(kind) else {
                continue;
            };
            let entry_wanted = wants && self.sink.wants(kind, subject);
            let mut account_notes = if entry_wanted {
                notes.clone()
            } else {
                Vec::new()
            };
            if entry_wanted && kind != credit.kind {
                account_notes.insert(
                    0,
                    member_note(self.compact, self.registers, credit.kind, credit.subject),
                );
            }
            // 计入 户积分（按 50%）: this account's share, exact (a percent of an amount
            // within MAX_POINTS stays far inside a decimal).
            let shared = match account.share {
                Some(percent) => {
                    let part = amount * percent / Decimal::ONE_HUNDRED;
                    if entry_wanted {
                        account_notes.push(Note::Share {
                            percent,
                            whole: amount,
                            part,
                        });
                    }
                    part
                }
                None => amount,
            };
            let mut a = capped_together(
                state,
                subject,
                &account.caps,
                CapLevel::Account,
                credit.day,
                shared,
                entry_wanted.then_some(&mut account_notes),
            );
            // 计入 账户「分项」: the group's floor (扣完为止) and, 加满为止, its base as a ceiling.
            let mut group_after = None;
            if let Some(group) = &account.group {
                let balance = state
                    .slot(subject, group.slot)
                    .map_or(Decimal::ZERO, |s| s.sum);
                let name = || {
                    self.compact
                        .accounts
                        .get(account.id)
                        .and_then(|acc| acc.groups.get(group.index))
                        .map(|g| g.name.clone())
                        .unwrap_or_default()
                };
                if negative(a) {
                    let allowed = if balance <= group.floor {
                        Decimal::ZERO
                    } else {
                        a.max(group.floor - balance)
                    };
                    if allowed != a && entry_wanted {
                        account_notes.push(Note::GroupFloor {
                            group: name(),
                            floor: group.floor,
                            balance,
                            wanted: a,
                            allowed,
                        });
                    }
                    a = allowed;
                } else if let Some(full) = group.ceiling
                    && a > Decimal::ZERO
                {
                    let allowed = if balance >= full {
                        Decimal::ZERO
                    } else {
                        a.min(full - balance)
                    };
                    if allowed != a && entry_wanted {
                        account_notes.push(Note::GroupFull {
                            group: name(),
                            full,
                            balance,
                            wanted: a,
                            allowed,
                        });
                    }
                    a = allowed;
                }
                group_after = Some((group.slot, balance, name));
            }
            if let Some(floor) = account.floor
                && negative(a)
            {
                let balance = state.balance(subject, account.local);
                let allowed = if balance <= floor {
                    Decimal::ZERO
                } else {
                    a.max(floor - balance)
                };
                if allowed != a && entry_wanted {
                    account_notes.push(Note::Floor {
                        floor,
                        balance,
                        wanted: a,
                        allowed,
                    });
                }
                a = allowed;
            }
            state.credit_on(subject, account.local, a, credit.day);
            if let Some((slot, balance, name)) = group_after {
                let after = add(balance, a);
                if let Some(slot) = state.slot(subject, slot) {
                    slot.sum = after;
                }
                if entry_wanted {
                    account_notes.push(Note::InGroup {
                        group: name(),
                        after,
                    });
                }
            }
            if repairable {
                booked.push((kind, subject, account.id, a));
            }
            if kind != credit.kind
                && let Some(pointer) = pointer.as_mut()
            {
                pointer.notes.push(Note::InHousehold {
                    household: self
                        .registers
                        .get(HOUSEHOLD)
                        .and_then(|r| r.id(subject))
                        .unwrap_or_default()
                        .to_string(),
                    account: self
                        .compact
                        .accounts
                        .get(account.id)
                        .map(|acc| acc.name.clone())
                        .unwrap_or_default(),
                    amount: a,
                });
            }
            if entry_wanted {
                let zeroed = state.vetoes_of(subject).zeroed.contains(account.local);
                if zeroed {
                    account_notes.push(Note::AccountZeroed);
                }
                self.sink.push(Entry {
                    kind,
                    subject,
                    day: credit.day,
                    account: Some(account.id),
                    clause: Some(credit.clause),
                    line: credit.line,
                    event: credit.event,
                    amount: a,
                    computation: credit
                        .computation
                        .as_deref()
                        .cloned()
                        .unwrap_or(Computation::NotScored),
                    notes: account_notes,
                });
            }
        }
        if let Some(mut pointer) = pointer {
            // What the household got; a line of 「加 0 分」 only where nothing else says why.
            let into = |n: &Note| matches!(n, Note::InHousehold { .. });
            let counted =
                |n: &Note| matches!(n, Note::InHousehold { amount, .. } if !amount.is_zero());
            if pointer.notes.iter().any(counted) {
                pointer.notes.retain(|n| !into(n) || counted(n));
            } else if pointer.notes.iter().any(|n| !into(n)) {
                pointer.notes.retain(|n| !into(n));
            }
            self.sink.push(pointer);
        }
        for (kind, subject, account_id, a) in booked {
            self.note_booked(kind, subject, account_id, credit.clause, a);
        }
        // Only a compact with records valid for several periods keeps them (有效 N 年).
        if self.carrying.enabled
            && let (Some(rule), Some(line), Some(event)) = (credit.rule, credit.line, credit.event)
        {
            self.keep_carry(
                credit.kind,
                credit.clause,
                rule,
                (credit.subject, event, line, credit.day),
                carried,
                &[],
            );
        }
    }
}

/// The product of the factors whose conditions hold, noting each.
fn multiplier(
    multipliers: &[Multiplier],
    context: &Context<'_>,
    notes: Option<&mut Vec<Note>>,
) -> Option<Decimal> {
    let mut factor = Decimal::ONE;
    let mut notes = notes;
    for m in multipliers {
        if holds(&m.condition, context) {
            factor = factor.checked_mul(m.factor)?;
            if let Some(notes) = notes.as_deref_mut() {
                notes.push(Note::Multiplied {
                    factor: m.factor,
                    condition: words(&m.condition),
                });
            }
        }
    }
    Some(factor)
}

/// The most points one record (or one base rule) may give or take: 10^15. Cells and compacts
/// hold numbers below 10^12 (E0216, E0009), but a product of them, and of multipliers, may be
/// larger — or overflow a decimal. Such a record is refused (listed, never booked), so every
/// balance stays far inside what a decimal holds, however many records there are.
pub const MAX_POINTS: i64 = 1_000_000_000_000_000;

/// `amount` when it is within [`MAX_POINTS`] either way.
fn within_reach(amount: Decimal) -> Option<Decimal> {
    (amount.abs() <= Decimal::from(MAX_POINTS)).then_some(amount)
}

/// The unit a quantity field is measured in (元 for money).
fn unit_name(ty: &ValueType) -> String {
    match ty {
        ValueType::Quantity(Some(unit)) => unit.clone(),
        ValueType::Money => "元".to_string(),
        _ => String::new(),
    }
}

/// A field value as text (for the table computation).
fn value_text(value: &FieldValue, ty: &ValueType) -> String {
    match (value, ty) {
        (FieldValue::Choice(i), ValueType::Choice(options)) => {
            options.get(usize::from(*i)).cloned().unwrap_or_default()
        }
        (FieldValue::Text(t), _) => t.to_string(),
        (FieldValue::Number(n), _) => n.normalize().to_string(),
        (FieldValue::Money(f), _) => crate::model::describe::yuan(*f),
        (FieldValue::Bool(b), _) => if *b { "是" } else { "否" }.to_string(),
        (FieldValue::Date(d), _) => crate::eval::ledger::date_words(*d),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    use super::{CapLevel, Slot, capped_in_window, capped_whole};
    use crate::model::{Cap, Sign, Window};

    fn decimal(max_scale: u32) -> impl Strategy<Value = Decimal> {
        (-60i64..60, 0..=max_scale, any::<bool>()).prop_map(|(m, scale, minus_zero)| {
            let d = Decimal::new(m, scale);
            if m == 0 && minus_zero { -d } else { d }
        })
    }

    proptest! {
        /// The whole-number shortcut gives what the general path gives: the amount let
        /// through (value, scale, sign of zero), the running sum and the note.
        #[test]
        fn whole_numbers_are_capped_as_by_the_general_path(
            sum in decimal(1).prop_map(|d| d.abs()),
            limit in decimal(1).prop_map(|d| d.abs()),
            amount in decimal(1).prop_filter("a cap applies to amounts not zero", |d| !d.is_zero()),
        ) {
            let direction = if amount.is_sign_negative() { Sign::Deduct } else { Sign::Add };
            let cap = Cap { per: crate::model::Per::Subject, window: Window::Period, direction, limit };
            let (mut fast_slot, mut slow_slot) = (Slot { window: 0, sum }, Slot { window: 0, sum });
            let (mut fast_notes, mut slow_notes) = (Vec::new(), Vec::new());
            let fast = capped_whole(&mut fast_slot, &cap, CapLevel::Clause, amount, Some(&mut fast_notes));
            let slow = capped_in_window(&mut slow_slot, &cap, CapLevel::Clause, amount, Some(&mut slow_notes));
            let whole = sum.scale() == 0 && limit.scale() == 0 && amount.scale() == 0;
            prop_assert_eq!(fast.is_some(), whole);
            if let Some(fast) = fast {
                prop_assert_eq!(fast.to_string(), slow.to_string());
                prop_assert_eq!(fast.is_sign_negative(), slow.is_sign_negative());
                prop_assert_eq!(fast_slot.sum.to_string(), slow_slot.sum.to_string());
                prop_assert_eq!(fast_slot.sum.is_sign_negative(), slow_slot.sum.is_sign_negative());
                prop_assert_eq!(format!("{fast_notes:?}"), format!("{slow_notes:?}"));
            } else {
                prop_assert_eq!(fast_slot.sum, sum);
                prop_assert!(fast_notes.is_empty());
            }
        }
    }
}
