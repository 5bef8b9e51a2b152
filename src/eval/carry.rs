//! Records that count for more than one period (有效 N 年), direct downgrades (降为) and
//! credit repair (修复).
//!
//! - A rule with `有效 N 年` books a record's points (and vetoes) in the record's own period as
//!   usual, and keeps a *carry*: at the start of each of the next N − 1 periods the same
//!   amount (after the caps of its own period) and the same vetoes are booked again, dated the
//!   period's first day, with the original record's line. A carried record also counts as a
//!   record of its event kind in that period (so `第二次起` means "while an earlier one is still
//!   valid"). To have the carries, a compact with such rules is evaluated period by period from
//!   the first record of the log up to the period asked for.
//! - `修复 第N条 [为 扣 M 分]`: the subject's points from clause N that count in the period
//!   (its own records' and carried ones) are reversed, its vetoes from clause N lifted, its
//!   carries from clause N stop; if anything was lifted, M is booked instead.
//! - `评定 降为「…」`: at the end of the period the rating is at most that grade.
//!
//! Memory: one carry per scored record of a rule with `有效 N 年` still valid (N ≤ a few years),
//! and per subject one running sum per clause that a repair names.

use rust_decimal::Decimal;

use super::ledger::{Computation, Entry, Note, Sink};
use super::results::VetoRecord;
use super::state::Vetoes;
use super::{Evaluator, Period, PeriodChoice};
use crate::model::EventRecord;
use crate::model::value::Day;
use crate::model::{AccountId, ClauseId, Compact, EventId, KindId, MonthDay, Rule, VetoEffect};

/// A record still valid in later periods.
#[derive(Debug, Clone)]
pub(super) struct Carry {
    kind: KindId,
    subject: u32,
    clause: ClauseId,
    event: EventId,
    line: u64,
    /// The record's date.
    day: Day,
    /// The points booked in its own period (after that period's caps), signed.
    amount: Decimal,
    /// Its vetoes, if the rule is a veto.
    vetoes: Vec<VetoEffect>,
    /// The rule's 有效 N 年.
    years: u32,
    /// The last period (by starting year) it counts in.
    until: i32,
    /// Lifted by a repair: it no longer counts.
    repaired: bool,
}

/// What the evaluator keeps for validity, downgrades and repairs.
#[derive(Debug, Default)]
pub(super) struct Carrying {
    /// Whether the compact has a rule valid for more than one period.
    pub enabled: bool,
    /// Clauses named by a 修复 (indexed by clause).
    repair_targets: Vec<bool>,
    /// Carries from earlier periods (posted at the start of the period) and from this one.
    carries: Vec<Carry>,
    /// Points counting in this period per (kind, subject, account, clause), for repaired
    /// clauses only.
    booked: rustc_hash::FxHashMap<(KindId, u32, AccountId, ClauseId), Decimal>,
    /// 余额结转: the accounts that carry their balance into the next period.
    carrying_accounts: Vec<AccountId>,
    /// Balances closed at the end of the last period, to open this one: (kind, subject,
    /// account, the closed period's year, amount).
    balances: Vec<(KindId, u32, AccountId, i32, Decimal)>,
    /// 每年 M月D日 清零: the accounts cleared on a day of each period, and whether that day's
    /// clearing is done in the current period.
    clearing: Vec<(AccountId, MonthDay, bool)>,
    /// 积分有效期 N 年 on an account that carries: the account and N.
    expiring: Vec<(AccountId, u32)>,
    /// The points of an expiring account still held, per (kind, subject, account), oldest
    /// first: (the period year they were earned in, amount). Amounts are above zero but for a
    /// debt (a negative balance), which is the only lot when there is one and never expires.
    lots: rustc_hash::FxHashMap<(KindId, u32, AccountId), Vec<(i32, Decimal)>>,
}

impl Carrying {
    /// What `compact` needs.
    pub fn new(compact: &Compact) -> Self {
        let mut repair_targets = vec![false; compact.clauses.len()];
        let mut enabled = false;
        for clause in &compact.clauses {
            for rule in &clause.rules {
                let Rule::Event(e) = rule else { continue };
                enabled |= e.validity > 1;
                if let crate::model::Action::Repair { targets, .. } = &e.action {
                    for &t in targets {
                        if let Some(flag) = repair_targets.get_mut(t) {
                            *flag = true;
                        }
                    }
                }
            }
        }
        let carrying_accounts: Vec<AccountId> = compact
            .accounts
            .iter()
            .enumerate()
            .filter(|(_, a)| a.carries)
            .map(|(id, _)| id)
            .collect();
        let clearing = compact
            .accounts
            .iter()
            .enumerate()
            .filter_map(|(id, a)| a.clears_on.map(|md| (id, md, false)))
            .collect();
        let expiring = compact
            .accounts
            .iter()
            .enumerate()
            .filter(|(_, a)| a.carries)
            .filter_map(|(id, a)| a.expires_after.map(|years| (id, years)))
            .collect();
        Carrying {
            enabled: enabled || !carrying_accounts.is_empty(),
            repair_targets,
            carrying_accounts,
            clearing,
            expiring,
            ..Carrying::default()
        }
    }
}

impl Carrying {
    /// Whether some account carries its balance (余额结转).
    pub fn carries_balances(&self) -> bool {
        !self.carrying_accounts.is_empty()
    }

    /// Whether some account is cleared on a day of each period (每年 M月D日 清零).
    pub fn clears_on_dates(&self) -> bool {
        !self.clearing.is_empty()
    }

    /// The accounts whose points expire (积分有效期), each with its years.
    pub fn expiring(&self) -> &[(AccountId, u32)] {
        &self.expiring
    }

    /// Whether a 修复 names `clause`.
    pub fn is_repair_target(&self, clause: ClauseId) -> bool {
        self.repair_targets.get(clause).copied().unwrap_or(false)
    }
}

/// Sets a subject's veto flags for `effects`.
pub(super) fn set_flags(
    flags: &mut Vetoes,
    effects: &[VetoEffect],
    local_account: impl Fn(AccountId) -> usize,
) {
    for effect in effects {
        match effect {
            VetoEffect::CancelDividend => flags.dividend = true,
            VetoEffect::CancelRating(r) => flags.ratings.insert(*r),
            VetoEffect::ZeroAccount(a) => flags.zeroed.insert(local_account(*a)),
            // Read from the veto records at the end of the period.
            VetoEffect::Downgrade { .. } => {}
        }
    }
}

impl<S: Sink> Evaluator<'_, S> {
    /// With validity rules and a chosen year, the period a record at `day` moves the
    /// evaluation to (never past the chosen year); `None` to stay.
    pub(super) fn next_period_for(&self, day: Day) -> Option<Period> {
        let start = self.compact.period_start;
        let containing = Period::containing(day, start);
        match self.choice {
            PeriodChoice::Latest => Some(containing),
            PeriodChoice::Year(year) if self.carrying.enabled => {
                let current = self.period.map_or(i32::MIN, |p| p.year);
                if current >= year {
                    None
                } else if containing.year > year {
                    Some(Period::starting(year, start))
                } else {
                    Some(containing)
                }
            }
            PeriodChoice::Year(_) => None,
        }
    }

    /// The first period of an evaluation with validity rules (the first record's, never past
    /// the chosen year).
    pub(super) fn first_period_for(&self, day: Day) -> Period {
        let start = self.compact.period_start;
        let containing = Period::containing(day, start);
        match self.choice {
            PeriodChoice::Year(year) if containing.year > year => Period::starting(year, start),
            _ => containing,
        }
    }

    /// Before the results: an evaluation with validity rules that stopped short of the chosen
    /// year moves on to it (carries reach it even when it has no records).
    pub(super) fn settle(&mut self) {
        self.apply_parked();
        // No record comes after this: the buckets' memory goes before the results are made
        // (for a city, tens of megabytes off the peak).
        self.buckets = None;
        if let (PeriodChoice::Year(year), true) = (self.choice, self.carrying.enabled) {
            let start = self.compact.period_start;
            match self.period {
                Some(p) if p.year < year => {
                    if !self.started {
                        self.start_period();
                    }
                    self.roll_over(Period::starting(year, start));
                }
                None => self.period = Some(Period::starting(year, start)),
                _ => {}
            }
        }
    }

    /// At a new period: carries that no longer count, or were repaired, are dropped; what
    /// this period booked is forgotten.
    pub(super) fn carry_into(&mut self, next: Period) {
        self.carrying
            .carries
            .retain(|c| !c.repaired && c.until >= next.year);
        self.carrying.booked.clear();
    }

    /// Keeps a carry for a record booked by a rule valid for more than one period.
    pub(super) fn keep_carry(
        &mut self,
        kind: KindId,
        clause: ClauseId,
        rule: usize,
        record: (u32, EventId, u64, Day),
        amount: Decimal,
        vetoes: &[VetoEffect],
    ) {
        let years = match self
            .compact
            .clauses
            .get(clause)
            .and_then(|c| c.rules.get(rule))
        {
            Some(Rule::Event(e)) => e.validity,
            _ => 1,
        };
        // A record that scored nothing (its points rounded or capped to zero) is still a
        // record within its validity: it counts in later periods' 第N次 (language.md 6.6).
        if years <= 1 {
            return;
        }
        let (subject, event, line, day) = record;
        let own = Period::containing(day, self.compact.period_start).year;
        self.carrying.carries.push(Carry {
            kind,
            subject,
            clause,
            event,
            line,
            day,
            amount,
            vetoes: vetoes.to_vec(),
            years,
            until: own + i32::try_from(years).unwrap_or(1) - 1,
            repaired: false,
        });
    }

    /// Notes points booked for a clause that a repair may lift.
    pub(super) fn note_booked(
        &mut self,
        kind: KindId,
        subject: u32,
        account: AccountId,
        clause: ClauseId,
        amount: Decimal,
    ) {
        if self
            .carrying
            .repair_targets
            .get(clause)
            .copied()
            .unwrap_or(false)
        {
            *self
                .carrying
                .booked
                .entry((kind, subject, account, clause))
                .or_default() += amount;
        }
    }

    /// 每年 M月D日 清零: every clearing of the current period dated on or before `upto` and not
    /// yet done sets its account's balances (of this evaluator's own subjects) to 0, a ledger
    /// line each, dated the clearing day. Called before a record is applied (so a clearing
    /// comes before that day's records) and before a period closes.
    pub(super) fn clear_due(&mut self, upto: Day) {
        let Some(period) = self.period else { return };
        if self.carrying.clearing.is_empty() {
            return;
        }
        let mut clearing = std::mem::take(&mut self.carrying.clearing);
        for (account, md, done) in &mut clearing {
            if *done {
                continue;
            }
            let (month, day_of_month) = (u32::from(md.month), u32::from(md.day));
            let mut day = crate::model::value::days_from_civil(period.year, month, day_of_month);
            if day < period.start {
                day = crate::model::value::days_from_civil(period.year + 1, month, day_of_month);
            }
            if day > upto || day >= period.end {
                continue;
            }
            *done = true;
            let Some(&(kind, local)) = self.plan.account_slot.get(*account) else {
                continue;
            };
            for subject in self.owned_subjects(kind) {
                let Some(state) = self.states.get_mut(kind) else {
                    continue;
                };
                let cleared = state.balance(subject, local);
                if cleared.is_zero() {
                    continue;
                }
                state.adjust_on(subject, local, -cleared, day);
                if self.sink.wants(kind, subject) {
                    self.sink.push(Entry {
                        kind,
                        subject,
                        day,
                        account: Some(*account),
                        clause: None,
                        line: None,
                        event: None,
                        amount: -cleared,
                        computation: Computation::ClearedOnDate {
                            month: md.month,
                            day: md.day,
                            cleared,
                        },
                        notes: Vec::new(),
                    });
                }
            }
        }
        self.carrying.clearing = clearing;
    }

    /// 积分有效期 N 年, at the end of a period (before its balances close): the points each
    /// subject earned this period (what its balance gained besides what it brought in) become
    /// the period's lot; what it spent is taken from the oldest lots first (先进先出), then from
    /// this period's; then the lots earned N periods ago or more (the earning one counting as
    /// the first) leave the balance, a ledger line each, dated the period's last day.
    pub(super) fn expire_points(&mut self) {
        let Some(period) = self.period else { return };
        if self.carrying.expiring.is_empty() {
            return;
        }
        let day = period.last_day();
        for (account, years) in self.carrying.expiring.clone() {
            let Some(&(kind, local)) = self.plan.account_slot.get(account) else {
                continue;
            };
            for subject in self.owned_subjects(kind) {
                let Some(state) = self.states.get_mut(kind) else {
                    continue;
                };
                let key = (kind, subject, account);
                let old = self.carrying.lots.remove(&key).unwrap_or_default();
                let balance = state.balance(subject, local);
                let mut spent = state.spent(subject, local);
                let brought: Decimal = old.iter().map(|(_, a)| *a).sum();
                let mut earned = balance - brought + spent;
                if earned < Decimal::ZERO {
                    spent -= earned;
                    earned = Decimal::ZERO;
                }
                let mut debt: Decimal = old
                    .iter()
                    .map(|(_, a)| *a)
                    .filter(|a| *a < Decimal::ZERO)
                    .sum();
                let mut lots: Vec<(i32, Decimal)> = old
                    .into_iter()
                    .filter(|(_, a)| *a > Decimal::ZERO)
                    .collect();
                // Earnings pay a debt first.
                let paid = earned.min(-debt);
                debt += paid;
                earned -= paid;
                // Spending takes the oldest points first, then this period's.
                for (_, amount) in &mut lots {
                    let taken = spent.min(*amount);
                    *amount -= taken;
                    spent -= taken;
                }
                lots.retain(|(_, a)| *a > Decimal::ZERO);
                let current = earned - spent;
                if current > Decimal::ZERO {
                    lots.push((period.year, current));
                } else {
                    debt += current;
                }
                let mut kept = Vec::with_capacity(lots.len() + 1);
                for (year, amount) in lots {
                    let expires = i64::from(year) + i64::from(years) - 1 <= i64::from(period.year);
                    if !expires {
                        kept.push((year, amount));
                        continue;
                    }
                    state.adjust_on(subject, local, -amount, day);
                    if self.sink.wants(kind, subject) {
                        self.sink.push(Entry {
                            kind,
                            subject,
                            day,
                            account: Some(account),
                            clause: None,
                            line: None,
                            event: None,
                            amount: -amount,
                            computation: Computation::Expired {
                                year,
                                years,
                                amount,
                            },
                            notes: Vec::new(),
                        });
                    }
                }
                if debt < Decimal::ZERO {
                    kept.insert(0, (period.year, debt));
                }
                if !kept.is_empty() {
                    self.carrying.lots.insert(key, kept);
                }
            }
        }
    }

    /// A new period: none of its clearings done yet.
    pub(super) fn restart_clearing(&mut self) {
        for (_, _, done) in &mut self.carrying.clearing {
            *done = false;
        }
    }

    /// At the start of a period: books the carries from earlier periods.
    /// 余额结转: at the end of a period, before the state is reset, the balances of the
    /// accounts that carry (of this evaluator's own subjects).
    pub(super) fn close_balances(&mut self) {
        let Some(period) = self.period else { return };
        let mut balances = Vec::new();
        for &account in &self.carrying.carrying_accounts {
            let Some(&(kind, local)) = self.plan.account_slot.get(account) else {
                continue;
            };
            let Some(state) = self.states.get(kind) else {
                continue;
            };
            for subject in 0..u32::try_from(state.subjects).unwrap_or(0) {
                if !self.owns(subject) {
                    continue;
                }
                let amount = state.balance(subject, local);
                if !amount.is_zero() {
                    balances.push((kind, subject, account, period.year, amount));
                }
            }
        }
        self.carrying.balances = balances;
    }

    /// 余额结转: the closed balances open this period, a ledger line each, dated its first day.
    fn post_balances(&mut self, day: Day) {
        for (kind, subject, account, year, amount) in std::mem::take(&mut self.carrying.balances) {
            let local = self.plan.account_slot.get(account).map_or(0, |(_, l)| *l);
            if let Some(state) = self.states.get_mut(kind) {
                state.adjust(subject, local, amount);
            }
            if self.sink.wants(kind, subject) {
                self.sink.push(Entry {
                    kind,
                    subject,
                    day,
                    account: Some(account),
                    clause: None,
                    line: None,
                    event: None,
                    amount,
                    computation: Computation::BalanceCarried { year, amount },
                    notes: Vec::new(),
                });
            }
        }
    }

    pub(super) fn post_carries(&mut self) {
        let Some(period) = self.period else { return };
        self.post_balances(period.start);
        let carries: Vec<Carry> = self
            .carrying
            .carries
            .iter()
            .filter(|c| !c.repaired && c.until >= period.year && c.day < period.start)
            .cloned()
            .collect();
        let mut last_counted: Option<(KindId, u32, u64)> = None;
        for carry in carries {
            if !self.owns(carry.subject) {
                continue;
            }
            // One record counts once, however many of its rules carry.
            let key = (carry.kind, carry.subject, carry.line);
            if last_counted != Some(key) {
                let local_event = self.plan.event_slot.get(carry.event).copied().unwrap_or(0);
                if let Some(state) = self.states.get_mut(carry.kind) {
                    state.bump(carry.subject, local_event);
                }
                last_counted = Some(key);
            }
            let wants = self.sink.wants(carry.kind, carry.subject);
            let computation = Computation::Carried {
                from: carry.day,
                years: carry.years,
                amount: carry.amount,
            };
            if !carry.vetoes.is_empty() {
                self.post_veto(&carry, period.start, wants);
                continue;
            }
            if carry.amount.is_zero() {
                // Counted above; nothing to book.
                continue;
            }
            let (accounts, shares) = self
                .compact
                .clauses
                .get(carry.clause)
                .map(|c| (c.accounts.clone(), c.shares.clone()))
                .unwrap_or_default();
            for (k, account) in accounts.into_iter().enumerate() {
                // 计入 …（按 50%）: the account's share, as when the record was booked.
                let share = shares.get(k).copied().flatten();
                let amount = match share {
                    Some(percent) => carry.amount * percent / Decimal::ONE_HUNDRED,
                    None => carry.amount,
                };
                let local = self.plan.account_slot.get(account).map_or(0, |(_, l)| *l);
                if let Some(state) = self.states.get_mut(carry.kind) {
                    state.credit_on(carry.subject, local, amount, period.start);
                }
                self.note_booked(carry.kind, carry.subject, account, carry.clause, amount);
                if wants {
                    self.sink.push(Entry {
                        kind: carry.kind,
                        subject: carry.subject,
                        day: period.start,
                        account: Some(account),
                        clause: Some(carry.clause),
                        line: Some(carry.line),
                        event: Some(carry.event),
                        amount,
                        computation: computation.clone(),
                        notes: share
                            .map(|percent| Note::Share {
                                percent,
                                whole: carry.amount,
                                part: amount,
                            })
                            .into_iter()
                            .collect(),
                    });
                }
            }
        }
    }

    fn post_veto(&mut self, carry: &Carry, day: Day, wants: bool) {
        let accounts = self.plan.account_slot.clone();
        if let Some(flags) = self
            .states
            .get_mut(carry.kind)
            .and_then(|s| s.vetoes_mut(carry.subject))
        {
            set_flags(flags, &carry.vetoes, |a| {
                accounts.get(a).map_or(0, |(_, l)| *l)
            });
        }
        self.vetoes
            .entry((carry.kind, carry.subject))
            .or_default()
            .push(VetoRecord {
                clause: carry.clause,
                line: carry.line,
                day: carry.day,
                effects: carry.vetoes.clone(),
            });
        if wants {
            let compact = self.compact;
            let mut notes: Vec<Note> = carry
                .vetoes
                .iter()
                .filter(|e| crate::model::describe::effect_shown(compact, e))
                .map(|e| Note::Vetoed {
                    effect: crate::model::describe::veto_effect(compact, e),
                })
                .collect();
            notes.insert(
                0,
                Note::StillValid {
                    from: carry.day,
                    years: carry.years,
                },
            );
            self.sink.push(Entry {
                kind: carry.kind,
                subject: carry.subject,
                day,
                account: None,
                clause: Some(carry.clause),
                line: Some(carry.line),
                event: Some(carry.event),
                amount: Decimal::ZERO,
                computation: Computation::Veto,
                notes,
            });
        }
    }

    /// 修复: lifts what `targets` did to the record's subject in this period. Returns whether
    /// anything was lifted.
    pub(super) fn repair(
        &mut self,
        record: &EventRecord,
        clause: ClauseId,
        targets: &[ClauseId],
        wants: bool,
    ) -> bool {
        let compact = self.compact;
        let kind = compact.events.get(record.kind).map_or(0, |e| e.owner);
        let subject = record.subject;
        let mut lifted = false;
        for &target in targets {
            let accounts = compact
                .clauses
                .get(target)
                .map(|c| c.accounts.clone())
                .unwrap_or_default();
            for account in accounts {
                let amount = self
                    .carrying
                    .booked
                    .remove(&(kind, subject, account, target))
                    .unwrap_or_default();
                if amount.is_zero() {
                    continue;
                }
                lifted = true;
                let local = self.plan.account_slot.get(account).map_or(0, |(_, l)| *l);
                if let Some(state) = self.states.get_mut(kind) {
                    state.credit_on(subject, local, -amount, record.day);
                }
                if wants {
                    self.sink.push(Entry {
                        kind,
                        subject,
                        day: record.day,
                        account: Some(account),
                        clause: Some(clause),
                        line: Some(record.line),
                        event: Some(record.kind),
                        amount: -amount,
                        computation: Computation::Repaired {
                            target: compact.clauses.get(target).map_or(0, |c| c.number),
                            amount: -amount,
                        },
                        notes: Vec::new(),
                    });
                }
            }
        }
        // Vetoes of the repaired clauses are lifted; the flags are set again from the rest.
        if let Some(list) = self.vetoes.get_mut(&(kind, subject)) {
            let before = list.len();
            let mut lifted_clauses: Vec<ClauseId> = list
                .iter()
                .filter(|v| targets.contains(&v.clause))
                .map(|v| v.clause)
                .collect();
            lifted_clauses.dedup();
            list.retain(|v| !targets.contains(&v.clause));
            if list.len() != before {
                lifted = true;
                let remaining = list.clone();
                let accounts = self.plan.account_slot.clone();
                if let Some(flags) = self
                    .states
                    .get_mut(kind)
                    .and_then(|s| s.vetoes_mut(subject))
                {
                    *flags = Vetoes::default();
                    for v in &remaining {
                        set_flags(flags, &v.effects, |a| {
                            accounts.get(a).map_or(0, |(_, l)| *l)
                        });
                    }
                }
                if wants {
                    for target in lifted_clauses {
                        self.sink.push(Entry {
                            kind,
                            subject,
                            day: record.day,
                            account: None,
                            clause: Some(clause),
                            line: Some(record.line),
                            event: Some(record.kind),
                            amount: Decimal::ZERO,
                            computation: Computation::Lifted,
                            notes: vec![Note::VetoLifted {
                                target: compact.clauses.get(target).map_or(0, |c| c.number),
                            }],
                        });
                    }
                }
            }
        }
        for carry in &mut self.carrying.carries {
            if carry.kind == kind && carry.subject == subject && targets.contains(&carry.clause) {
                carry.repaired = true;
            }
        }
        if !lifted && wants {
            self.sink.push(Entry {
                kind,
                subject,
                day: record.day,
                account: None,
                clause: Some(clause),
                line: Some(record.line),
                event: Some(record.kind),
                amount: Decimal::ZERO,
                computation: Computation::NotScored,
                notes: vec![Note::NothingToRepair],
            });
        }
        lifted
    }

    /// The lowest grade (largest row index) rating `rating` is lowered to for a subject by a
    /// 降为 veto this period, if any.
    pub(super) fn downgrade_of(&self, kind: KindId, subject: u32, rating: usize) -> Option<usize> {
        self.vetoes
            .get(&(kind, subject))?
            .iter()
            .flat_map(|v| v.effects.iter())
            .filter_map(|e| match e {
                VetoEffect::Downgrade { rating: r, grade } if *r == rating => Some(*grade),
                _ => None,
            })
            .max()
    }
}
