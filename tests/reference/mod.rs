//! A deliberately simple second evaluator, for the differential test (`tests/differential.rs`).
//!
//! Written from docs/language.md's semantics, not from `src/eval`: one household at a time is
//! not even tried — it is a straight loop over periods and records (households' and persons'
//! mixed, in date order) with plain `BTreeMap`s,
//! `rust_decimal` for points and `i64`/`i128` for fen. It takes the checked
//! `model::Compact` (the language's meaning, names resolved to indexes) but does all of its own
//! arithmetic: conditions, counts, exceptions, amounts, multipliers, take-the-highest, rule,
//! chapter and account caps, floors, redeeming, vetoes (cancel, zero, downgrade), validity
//! (有效 N 年), repair (修复), once per activity (同一 F 只计一次), each record's rounding (取整, its own arithmetic on the scaled
//! magnitude, after multipliers and before caps), ranks (also without the vetoed: 不含
//! 被一票否决), ratings and the dividend with largest remainders (in whole 元 or 角 when written, the
//! remainder kept when written, a minimum) or money per point.
//!
//! Persons in households (language.md 6.5, 按人记录，计入户): one roster whose persons each
//! name a household, and records naming a person. A person's record counts among the person's
//! records (第N次), reads the person's attributes, and its points (fixed or per unit,
//! multiplied, rounded) go through the rule's caps — 每人 (the person's sum), 每户 (the
//! household's, shared by its members in date order, ties in log order) or unwritten (the
//! household's when every account of the clause is a household's, else the person's), all at
//! once: the least room left, each counting what was booked — then the chapter's caps (the
//! household's, shared with the chapter's household items, or the person's, likewise), then
//! the same amount to each account of the clause (the household's or the person's own), each
//! through its own caps and floor. 只计一次 compares per person or per household, as written,
//! or unwritten as the caps. How a scope was written comes from the generator
//! ([`Roster::scopes`]), not from the checked compact, so that the checker's settling of
//! unwritten scopes is checked too. Persons' items have no exceptions, take-the-highest,
//! ladders, redeeming, vetoes, validity or repair, and persons' accounts no base points,
//! carrying, groups or expiry (asserted).
//!
//! No 连续 streaks; the generator of the differential test only writes what is covered here.
//! Where docs/language.md leaves a choice open, the generator avoids the construct rather than
//! this file guessing (see the list in `tests/differential.rs`).

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use rust_decimal::Decimal;
use xiangyue::model::{
    AccountId, Action, Cap, ClauseId, Compact, CompareOp, Cond, CountCondition, KindId, Literal,
    MonthDay, Operand, RankPrize, RankTop, RoundingMode, Rule, Sign, TiePolicy, VetoEffect, Window,
};

/// A value in a register or a record, typed as the compact declares.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// 整数, 数量, 分数.
    Num(Decimal),
    /// 金额, in fen.
    Money(i64),
    /// 是否.
    Bool(bool),
    /// 选项 or 文本.
    Text(String),
}

/// A household: its 户号 and attribute values by the compact's attribute index.
#[derive(Debug, Clone)]
pub struct Household {
    pub id: String,
    pub attrs: Vec<Option<Value>>,
}

/// A person of the roster: 编号, the household the roster names (register index), attribute
/// values by the roster's attribute index.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: String,
    pub household: usize,
    pub attrs: Vec<Option<Value>>,
}

/// Whose sum a cap or 只计一次 on a person's item counts, as the text wrote it (language.md
/// 6.5): 每人, 每户, or nothing — then the household's when every account the clause counts
/// in is a household's (the clause scores the household), else the person's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Unwritten,
    PerPerson,
    PerHousehold,
}

/// As written on one rule of a person's item: each cap's scope (in the rule's order of caps)
/// and its 只计一次's.
#[derive(Debug, Clone)]
pub struct Scopes {
    pub caps: Vec<Scope>,
    pub once: Scope,
}

/// The one roster: its kind, its persons, and per (clause number, rule index) of its items'
/// rules the scopes as written — taken from the text, not from the checked compact, so that
/// how the checker settles an unwritten scope is checked too.
#[derive(Debug, Clone)]
pub struct Roster {
    pub kind: KindId,
    pub persons: Vec<Person>,
    pub scopes: BTreeMap<(u32, usize), Scopes>,
}

/// A record of the log: date, household (register index), event kind, field values by index.
/// A person's record names the person (roster index) and, in `household`, the person's
/// household.
#[derive(Debug, Clone)]
pub struct Record {
    pub date: Date,
    pub household: usize,
    pub person: Option<usize>,
    pub event: usize,
    pub values: Vec<Option<Value>>,
}

/// Whose state a sum, a balance or an attribute is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Household(usize),
    Person(usize),
}

/// A rating's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grade {
    Label(String),
    None,
    Cancelled,
    NotRated,
}

/// One household's results for the last period.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub id: String,
    /// Per household account (in the compact's order of accounts).
    pub points: BTreeMap<AccountId, Decimal>,
    /// Per rating.
    pub grades: Vec<Grade>,
    pub eligible: bool,
    /// The clauses whose vetoes are in force in the period.
    pub vetoed_by: BTreeSet<ClauseId>,
    pub dividend_fen: i64,
    pub titles: Vec<String>,
}

/// One person's points for the last period, per account of the roster.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonOutcome {
    pub id: String,
    pub points: BTreeMap<AccountId, Decimal>,
}

/// The results: the last period's start year, every household's outcome, every person's.
#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    pub year: i32,
    pub households: Vec<Outcome>,
    pub persons: Vec<PersonOutcome>,
}

/// A veto in force: its clause, effects and the last period year it holds in.
#[derive(Debug, Clone)]
struct Veto {
    /// The record's event kind and its place in the log, and the period it was booked in.
    origin: Origin,
    clause: ClauseId,
    effects: Vec<VetoEffect>,
    until: i32,
}

/// Points booked by a rule with 有效 N 年, booked again at the start of later periods.
#[derive(Debug, Clone)]
struct Carry {
    origin: Origin,
    clause: ClauseId,
    account: AccountId,
    amount: Decimal,
    until: i32,
}

/// Where a record is: its event kind, its place in the date-ordered log, its period.
type Origin = (usize, usize, i32);

/// A household's state in one period.
#[derive(Debug, Default, Clone)]
struct State {
    balance: BTreeMap<AccountId, Decimal>,
    /// Records per event kind this period.
    counts: BTreeMap<usize, u32>,
    /// Used room per cap: (what, window key, award?) → sum of magnitudes.
    used: BTreeMap<(String, (i32, u32), bool), Decimal>,
    /// Ladder: (clause, rule) → (cumulative value, points paid).
    ladder: BTreeMap<(ClauseId, usize), (Decimal, Decimal)>,
    /// Points each clause booked this period per account (repair takes them back).
    booked: BTreeMap<(ClauseId, AccountId), Decimal>,
    /// 同一 F 只计一次: (clause, rule, F's value) of the records that counted this period.
    once: BTreeSet<(ClauseId, usize, String)>,
    /// 分项: (account, group) → the group's balance this period.
    groups: BTreeMap<(AccountId, usize), Decimal>,
    /// 积分有效期 (language.md 3.4): per expiring account, its points by the year they were
    /// earned, oldest first; a debt (negative) stands alone.
    lots: BTreeMap<AccountId, Vec<(i32, Decimal)>>,
}

impl State {
    /// Moves `amount` in or out of account `a`'s points of `year`, one change at a time as
    /// it happens: a gain pays a debt first, then adds to `year`'s points; a loss takes the
    /// oldest points first, and what is left of it becomes a debt.
    fn moved(&mut self, compact: &Compact, a: AccountId, year: i32, amount: Decimal) {
        let account = &compact.accounts[a];
        if !(account.carries && account.expires_after.is_some()) || amount.is_zero() {
            return;
        }
        let lots = self.lots.entry(a).or_default();
        let mut amount = amount;
        if amount > Decimal::ZERO {
            if let Some(debt) = lots.iter_mut().find(|(_, p)| *p < Decimal::ZERO) {
                let paid = amount.min(-debt.1);
                debt.1 += paid;
                amount -= paid;
            }
            if amount > Decimal::ZERO {
                match lots
                    .iter_mut()
                    .find(|(y, p)| *y == year && *p > Decimal::ZERO)
                {
                    Some(lot) => lot.1 += amount,
                    None => lots.push((year, amount)),
                }
            }
        } else {
            let mut owed = -amount;
            for lot in lots.iter_mut().filter(|(_, p)| *p > Decimal::ZERO) {
                let taken = owed.min(lot.1);
                lot.1 -= taken;
                owed -= taken;
            }
            if owed > Decimal::ZERO {
                match lots.iter_mut().find(|(_, p)| *p < Decimal::ZERO) {
                    Some(debt) => debt.1 -= owed,
                    None => lots.insert(0, (year, -owed)),
                }
            }
        }
        lots.retain(|(_, p)| !p.is_zero());
    }

    /// At the end of `year`: the points of each expiring account earned `N` years back or
    /// more (the earning year the first) leave the balance.
    fn expire(&mut self, compact: &Compact, year: i32) {
        for (a, lots) in &mut self.lots {
            let Some(years) = compact.accounts[*a].expires_after else {
                continue;
            };
            let mut gone = Decimal::ZERO;
            lots.retain(|(earned, points)| {
                let expires = *points > Decimal::ZERO && earned + years as i32 - 1 <= year;
                if expires {
                    gone += *points;
                }
                !expires
            });
            *self.balance.get_mut(a).expect("account") -= gone;
        }
    }
}

/// The period (its start year) that `date` falls in.
fn period_year(date: Date, start: MonthDay) -> i32 {
    let (m, d) = (date.month() as u8, date.day() as u8);
    if (m, d) >= (start.month, start.day) {
        i32::from(date.year())
    } else {
        i32::from(date.year()) - 1
    }
}

fn window_key(window: Window, date: Date) -> (i32, u32) {
    let (y, m) = (i32::from(date.year()), date.month() as u32);
    match window {
        Window::Period => (0, 0),
        Window::Quarter => (y, 100 + (m - 1) / 3),
        Window::Month => (y, m),
    }
}

struct Ctx<'a> {
    compact: &'a Compact,
    households: &'a [Household],
    roster: Option<&'a Roster>,
}

/// Evaluates `records` (any order; applied by date, ties in the given order) and returns the
/// last period's results, with `pool_fen` shared as the dividend.
pub fn evaluate(
    compact: &Compact,
    households: &[Household],
    roster: Option<&Roster>,
    records: &[Record],
    pool_fen: Option<i64>,
) -> Results {
    let ctx = Ctx {
        compact,
        households,
        roster,
    };
    // A person's account: zero at every period's start, no more (the generator writes no
    // base points, carrying, groups or expiry on it).
    let person_accounts: Vec<AccountId> = roster.map_or_else(Vec::new, |roster| {
        (0..compact.accounts.len())
            .filter(|&a| compact.accounts[a].owner == roster.kind)
            .collect()
    });
    for &a in &person_accounts {
        let account = &compact.accounts[a];
        assert!(
            account.base.is_none()
                && !account.carries
                && account.groups.is_empty()
                && account.expires_after.is_none(),
            "not generated on a person's account"
        );
    }
    let persons = roster.map_or(0, |r| r.persons.len());
    let mut person_states: Vec<State> = Vec::new();
    let mut order: Vec<&Record> = records.iter().collect();
    order.sort_by_key(|r| r.date);
    let start = compact.period_start;
    let first = order.first().map_or(2024, |r| period_year(r.date, start));
    let last = order.last().map_or(2024, |r| period_year(r.date, start));
    let n = households.len();
    let mut vetoes: Vec<Vec<Veto>> = vec![Vec::new(); n];
    let mut carries: Vec<Vec<Carry>> = vec![Vec::new(); n];
    // Per household, per event kind: records of earlier periods still valid in this one.
    let mut valid_records: Vec<BTreeMap<usize, u32>> = vec![BTreeMap::new(); n];
    let mut states: Vec<State> = Vec::new();
    for year in first..=last {
        let day_one = Date::new(year as i16, start.month as i8, start.day as i8).expect("start");
        // 余额结转: the balances the last period closed with, for the accounts that carry.
        let closed = std::mem::take(&mut states);
        states = vec![State::default(); n];
        person_states = vec![State::default(); persons];
        for state in &mut person_states {
            for &a in &person_accounts {
                state.balance.insert(a, Decimal::ZERO);
            }
        }
        for (h, state) in states.iter_mut().enumerate() {
            for (a, acc) in compact.accounts.iter().enumerate() {
                if acc.owner == 0 {
                    state.balance.insert(a, Decimal::ZERO);
                }
            }
            vetoes[h].retain(|v| v.until >= year);
            // 基础分 of accounts, each group's apart (language.md 5.7), before the clauses'.
            for (a, acc) in compact.accounts.iter().enumerate() {
                if acc.owner != 0 {
                    continue;
                }
                if let Some(base) = acc.base {
                    *state.balance.entry(a).or_default() += base;
                }
                for (g, group) in acc.groups.iter().enumerate() {
                    state.groups.insert((a, g), group.base);
                }
            }
            // Base points, in clause order, on the period's first day.
            for (c, clause) in compact.clauses.iter().enumerate() {
                for (r, rule) in clause.rules.iter().enumerate() {
                    if let Rule::Base(base) = rule {
                        if base.kind != 0 {
                            continue;
                        }
                        let mut amount = base.points;
                        if let Some(attr) = base.attribute {
                            amount *= number(households[h].attrs[attr].as_ref());
                        }
                        for m in &base.multipliers {
                            if ctx.holds(&m.condition, Who::Household(h), None, 0) {
                                amount *= m.factor;
                            }
                        }
                        ctx.credit(state, c, r, &[], amount, day_one, None, year);
                    }
                }
            }
            // Points carried from earlier periods, as booked then.
            carries[h].retain(|carry| carry.until >= year);
            // A record of an earlier period still carrying points or a veto into this one
            // counts among its kind's records (once, however many of its rules carry).
            let origins: BTreeSet<Origin> = carries[h]
                .iter()
                .map(|c| c.origin)
                .chain(vetoes[h].iter().map(|v| v.origin))
                .filter(|o| o.2 < year)
                .collect();
            valid_records[h].clear();
            for (event, _, _) in origins {
                *valid_records[h].entry(event).or_default() += 1;
            }
            if let Some(previous) = closed.get(h) {
                for (a, acc) in compact.accounts.iter().enumerate() {
                    if acc.carries {
                        *state.balance.entry(a).or_default() +=
                            previous.balance.get(&a).copied().unwrap_or_default();
                        // Older than the base points just given, which pay a debt first.
                        if let Some(lots) = previous.lots.get(&a) {
                            let now = state.lots.insert(a, lots.clone()).unwrap_or_default();
                            for (y, p) in now {
                                state.moved(compact, a, y, p);
                            }
                        }
                    }
                }
            }
            for carry in &carries[h] {
                *state.balance.entry(carry.account).or_default() += carry.amount;
                state.moved(compact, carry.account, year, carry.amount);
                *state
                    .booked
                    .entry((carry.clause, carry.account))
                    .or_default() += carry.amount;
            }
        }
        for (index, record) in order.iter().enumerate() {
            if period_year(record.date, start) != year {
                continue;
            }
            let h = record.household;
            if let Some(p) = record.person {
                ctx.apply_person(&mut states, &mut person_states, record, p, year);
                continue;
            }
            ctx.apply(
                &mut states[h],
                (record, index),
                year,
                &mut vetoes[h],
                &mut carries[h],
                &valid_records[h],
            );
        }
        for state in &mut states {
            state.expire(compact, year);
        }
    }
    let mut results = ctx.close(&mut states, &vetoes, last, pool_fen);
    if let Some(roster) = roster {
        results.persons = roster
            .persons
            .iter()
            .zip(&person_states)
            .map(|(person, state)| PersonOutcome {
                id: person.id.clone(),
                points: state.balance.clone(),
            })
            .collect();
    }
    results
}

/// The state of `who`: a household's or a person's.
fn state_of<'s>(households: &'s mut [State], persons: &'s mut [State], who: Who) -> &'s mut State {
    match who {
        Who::Household(h) => &mut households[h],
        Who::Person(p) => &mut persons[p],
    }
}

/// Cuts `amount` to the least room any of `caps` has left — each cap with the subject whose
/// sum it counts and its name there — and adds what is left to every one of them
/// (language.md 4.13 and 6.5: several caps work together, each counting what was booked).
fn cut_across(
    households: &mut [State],
    persons: &mut [State],
    caps: &[(Who, String, &Cap)],
    amount: Decimal,
    date: Date,
) -> Decimal {
    if amount.is_zero() {
        return amount;
    }
    let award = amount > Decimal::ZERO;
    let mut size = amount.abs();
    for (who, what, cap) in caps {
        if (cap.direction == Sign::Add) != award {
            continue;
        }
        let key = (what.clone(), window_key(cap.window, date), award);
        let used = state_of(households, persons, *who)
            .used
            .get(&key)
            .copied()
            .unwrap_or_default();
        size = size.min((cap.limit - used).max(Decimal::ZERO));
    }
    for (who, what, cap) in caps {
        if (cap.direction == Sign::Add) != award {
            continue;
        }
        let key = (what.clone(), window_key(cap.window, date), award);
        *state_of(households, persons, *who)
            .used
            .entry(key)
            .or_default() += size;
    }
    if award { size } else { -size }
}

/// `value` rounded to `places` decimals as language.md 4.14 says: 四舍五入 takes an exact half
/// away from zero, 进一 any remainder away from zero, 去尾 drops it (towards zero). Done on
/// the magnitude scaled to whole units, not with the model's own helper.
fn round(value: Decimal, mode: RoundingMode, places: u32) -> Decimal {
    let unit = Decimal::from(10_i64.pow(places));
    let scaled = value.abs() * unit;
    let whole = match mode {
        RoundingMode::HalfUp => (scaled + Decimal::new(5, 1)).floor(),
        RoundingMode::Up => scaled.ceil(),
        RoundingMode::Down => scaled.floor(),
    };
    let magnitude = whole / unit;
    if value < Decimal::ZERO {
        -magnitude
    } else {
        magnitude
    }
}

fn number(value: Option<&Value>) -> Decimal {
    match value {
        Some(Value::Num(n)) => *n,
        Some(Value::Money(f)) => Decimal::from(*f),
        other => panic!("not a number: {other:?}"),
    }
}

impl Ctx<'_> {
    /// The value an operand reads for subject `who` and the record (with the position of its
    /// event kind among the rule's).
    fn operand(&self, op: &Operand, who: Who, record: Option<(&Record, usize)>) -> Option<Value> {
        match op {
            Operand::Field(f) => {
                let (record, at) = record?;
                record.values[f.indexes[at]].clone()
            }
            // The attribute of the subject the record names: a household's, or a person's in
            // the roster (never the person's household's: language.md 4.11).
            Operand::Attribute { kind, index, .. } => match who {
                Who::Household(h) => {
                    assert_eq!(*kind, 0, "a household's attribute");
                    self.households[h].attrs[*index].clone()
                }
                Who::Person(p) => {
                    let roster = self.roster.expect("a roster");
                    assert_eq!(*kind, roster.kind, "a person's attribute");
                    roster.persons[p].attrs[*index].clone()
                }
            },
            Operand::Date => None,
        }
    }

    /// Whether `cond` holds; `count` is the record's number among its kind this period.
    fn holds(&self, cond: &Cond, who: Who, record: Option<(&Record, usize)>, count: u32) -> bool {
        match cond {
            Cond::All(cs) => cs.iter().all(|c| self.holds(c, who, record, count)),
            Cond::Any(cs) => cs.iter().any(|c| self.holds(c, who, record, count)),
            Cond::Not(c) => !self.holds(c, who, record, count),
            Cond::Flag(op) => self.operand(op, who, record) == Some(Value::Bool(true)),
            Cond::Count(cc) => match *cc {
                CountCondition::Nth(k) => count == k,
                CountCondition::From(k) => count >= k,
                CountCondition::FirstN(k) => count <= k,
            },
            Cond::Between { operand, from, to } => {
                assert!(matches!(operand, Operand::Date));
                let date = record.expect("a record").0.date;
                match (from, to) {
                    (Literal::Date(a), Literal::Date(b)) => *a <= date && date <= *b,
                    (Literal::MonthDay(a), Literal::MonthDay(b)) => {
                        let md = (date.month() as u8, date.day() as u8);
                        let (a, b) = ((a.month, a.day), (b.month, b.day));
                        if a <= b {
                            a <= md && md <= b
                        } else {
                            md >= a || md <= b
                        }
                    }
                    other => panic!("range {other:?}"),
                }
            }
            Cond::Compare {
                operand,
                op,
                values,
            } => {
                if let Operand::Date = operand {
                    let date = record.expect("a record").0.date;
                    let than = match &values[0] {
                        Literal::Date(d) => *d,
                        Literal::MonthDay(md) => {
                            Date::new(date.year(), md.month as i8, md.day as i8).expect("day")
                        }
                        other => panic!("date literal {other:?}"),
                    };
                    return match op {
                        CompareOp::Before => date < than,
                        CompareOp::After => date > than,
                        CompareOp::NotBefore => date >= than,
                        CompareOp::NotAfter => date <= than,
                        CompareOp::Eq => date == than,
                        CompareOp::Ne => date != than,
                        other => panic!("date comparison {other:?}"),
                    };
                }
                let Some(value) = self.operand(operand, who, record) else {
                    return false;
                };
                let equal = |lit: &Literal| match (lit, &value) {
                    (Literal::Text(a), Value::Text(b)) => a == b,
                    (Literal::Number(a), Value::Num(b)) => a == b,
                    (Literal::Money(a), Value::Money(b)) => a == b,
                    (Literal::Bool(a), Value::Bool(b)) => a == b,
                    other => panic!("compare {other:?}"),
                };
                let num = |lit: &Literal| match lit {
                    Literal::Number(n) => *n,
                    Literal::Money(f) => Decimal::from(*f),
                    other => panic!("ordered comparison with {other:?}"),
                };
                match op {
                    CompareOp::Eq => values.iter().any(equal),
                    CompareOp::Ne => !values.iter().any(equal),
                    CompareOp::Ge => number(Some(&value)) >= num(&values[0]),
                    CompareOp::Gt => number(Some(&value)) > num(&values[0]),
                    CompareOp::Le => number(Some(&value)) <= num(&values[0]),
                    CompareOp::Lt => number(Some(&value)) < num(&values[0]),
                    other => panic!("comparison {other:?} on a non-date"),
                }
            }
        }
    }

    /// Cuts `amount` to the room left under `caps` (of what `what` names) and uses it up.
    fn cut(state: &mut State, what: &str, caps: &[Cap], amount: Decimal, date: Date) -> Decimal {
        if amount.is_zero() {
            return amount;
        }
        let award = amount > Decimal::ZERO;
        let mut size = amount.abs();
        for (i, cap) in caps.iter().enumerate() {
            if (cap.direction == Sign::Add) != award {
                continue;
            }
            let used = state
                .used
                .get(&(
                    format!("{what} cap {i}"),
                    window_key(cap.window, date),
                    award,
                ))
                .copied()
                .unwrap_or_default();
            size = size.min((cap.limit - used).max(Decimal::ZERO));
        }
        for (i, cap) in caps.iter().enumerate() {
            if (cap.direction == Sign::Add) != award {
                continue;
            }
            *state
                .used
                .entry((
                    format!("{what} cap {i}"),
                    window_key(cap.window, date),
                    award,
                ))
                .or_default() += size;
        }
        if award { size } else { -size }
    }

    /// Books `amount` of clause `c`'s rule `r`: its rule caps, its chapter's caps, then for each
    /// of the clause's accounts the account's caps and floor. Returns what each account got.
    #[allow(clippy::too_many_arguments)]
    fn credit(
        &self,
        state: &mut State,
        c: ClauseId,
        r: usize,
        rule_caps: &[Cap],
        amount: Decimal,
        date: Date,
        carry: Option<(&mut Vec<Carry>, Origin, u32)>,
        year: i32,
    ) {
        let clause = &self.compact.clauses[c];
        let mut amount = Self::cut(state, &format!("rule {c} {r}"), rule_caps, amount, date);
        if let Some(ch) = clause.chapter {
            let caps = &self.compact.chapters[ch].caps;
            amount = Self::cut(state, &format!("chapter {ch}"), caps, amount, date);
        }
        let mut carry = carry;
        for (k, &a) in clause.accounts.iter().enumerate() {
            let account = &self.compact.accounts[a];
            let share = share_of(clause, k, amount);
            let mut b = Self::cut(state, &format!("account {a}"), &account.caps, share, date);
            // 计入 账户「分项」: deductions stop at the group's floor; 加满为止, additions at
            // its base.
            let group = clause.groups.get(k).copied().flatten();
            if let Some(g) = group {
                let spec = &account.groups[g];
                let left = state.groups[&(a, g)];
                if b < Decimal::ZERO {
                    b = b.max((spec.floor - left).min(Decimal::ZERO));
                } else if spec.full_at_base {
                    b = b.min((spec.base - left).max(Decimal::ZERO));
                }
            }
            let balance = state.balance[&a];
            if let Some(floor) = account.floor
                && b < Decimal::ZERO
            {
                b = b.max((floor - balance).min(Decimal::ZERO));
            }
            *state.balance.get_mut(&a).expect("account") += b;
            if let Some(g) = group {
                *state.groups.get_mut(&(a, g)).expect("group") += b;
            }
            state.moved(self.compact, a, year, b);
            *state.booked.entry((c, a)).or_default() += b;
            if let Some((carries, origin, validity)) = carry.as_mut()
                && *validity > 1
            {
                carries.push(Carry {
                    origin: *origin,
                    clause: c,
                    account: a,
                    amount: b,
                    until: year + *validity as i32 - 1,
                });
            }
        }
    }

    /// A person's record (language.md 6.5, 按人记录，计入户): counted among the person's
    /// records, conditions on the person's attributes; its points go through the rule's caps
    /// (每人, 每户, unwritten: the household's when the clause scores the household), the
    /// chapter's (the household's or the person's, likewise), then to each account — a
    /// household account of the person's household, or the person's own — through that
    /// account's caps and floor. The generator writes on a person's item only what is
    /// handled here (fixed and per-unit amounts, multipliers, rounding, caps, 只计一次).
    fn apply_person(
        &self,
        households: &mut [State],
        persons: &mut [State],
        record: &Record,
        p: usize,
        year: i32,
    ) {
        let compact = self.compact;
        let roster = self.roster.expect("a roster");
        let h = record.household;
        assert_eq!(roster.persons[p].household, h, "the person's own household");
        let count = {
            let n = persons[p].counts.entry(record.event).or_default();
            *n += 1;
            *n
        };
        for (c, clause) in compact.clauses.iter().enumerate() {
            for (r, rule) in clause.rules.iter().enumerate() {
                let Rule::Event(ev) = rule else { continue };
                let Some(at) = ev.events.iter().position(|e| *e == record.event) else {
                    continue;
                };
                let who = Who::Person(p);
                if !ev
                    .condition
                    .as_ref()
                    .is_none_or(|cond| self.holds(cond, who, Some((record, at)), count))
                {
                    continue;
                }
                assert!(
                    clause.exceptions_to.is_empty()
                        && clause.highest_group.is_none()
                        && ev.validity == 1
                        && clause.groups.iter().all(Option::is_none),
                    "not generated on a person's item"
                );
                // The clause scores the household when all its accounts are households'.
                let household_only = clause
                    .accounts
                    .iter()
                    .all(|&a| compact.accounts[a].owner == 0);
                let scopes = &roster.scopes[&(clause.number, r)];
                let whose = |scope: Scope| match scope {
                    Scope::PerPerson => Who::Person(p),
                    Scope::PerHousehold => Who::Household(h),
                    Scope::Unwritten if household_only => Who::Household(h),
                    Scope::Unwritten => Who::Person(p),
                };
                // 只计一次: compared among the records of whoever its scope names.
                let once = ev
                    .once
                    .as_ref()
                    .and_then(|f| match &record.values[f.indexes[at]] {
                        Some(Value::Text(t)) => Some((c, r, t.clone())),
                        Some(other) => panic!("活动编号 as {other:?}"),
                        None => None,
                    });
                let once_at = whose(scopes.once);
                if let Some(key) = &once
                    && state_of(households, persons, once_at).once.contains(key)
                {
                    continue;
                }
                let multiplier: Decimal = ev
                    .multipliers
                    .iter()
                    .filter(|m| self.holds(&m.condition, who, Some((record, at)), count))
                    .map(|m| m.factor)
                    .product();
                let amount = match &ev.action {
                    Action::Fixed { points } => *points,
                    Action::PerUnit {
                        field: f,
                        step,
                        whole,
                        points,
                    } => {
                        let steps = number(record.values[f.indexes[at]].as_ref()) / *step;
                        (if *whole { steps.floor() } else { steps }) * *points
                    }
                    other => panic!("not generated on a person's item: {other:?}"),
                };
                if let Some(key) = once {
                    state_of(households, persons, once_at).once.insert(key);
                }
                let points = amount * multiplier;
                let points = ev.rounding.map_or(points, |rounding| {
                    round(points, rounding.mode, rounding.places)
                });
                // The rule's caps, each where its scope says, all at once.
                let caps: Vec<(Who, String, &Cap)> = ev
                    .caps
                    .iter()
                    .enumerate()
                    .map(|(i, cap)| (whose(scopes.caps[i]), format!("rule {c} {r} cap {i}"), cap))
                    .collect();
                let mut amount = cut_across(households, persons, &caps, points, record.date);
                // The chapter's caps: the household's (shared with the chapter's household
                // items) when the clause scores the household, else the person's.
                if let Some(ch) = clause.chapter {
                    let at = whose(Scope::Unwritten);
                    let caps: Vec<(Who, String, &Cap)> = compact.chapters[ch]
                        .caps
                        .iter()
                        .enumerate()
                        .map(|(i, cap)| (at, format!("chapter {ch} cap {i}"), cap))
                        .collect();
                    amount = cut_across(households, persons, &caps, amount, record.date);
                }
                // The same amount to every account (or the share written after it), each
                // through its own caps and floor.
                for (k, &a) in clause.accounts.iter().enumerate() {
                    let account = &compact.accounts[a];
                    let share = share_of(clause, k, amount);
                    let at = if account.owner == 0 {
                        Who::Household(h)
                    } else {
                        assert_eq!(account.owner, roster.kind, "the roster's own account");
                        Who::Person(p)
                    };
                    let caps: Vec<(Who, String, &Cap)> = account
                        .caps
                        .iter()
                        .enumerate()
                        .map(|(i, cap)| (at, format!("account {a} cap {i}"), cap))
                        .collect();
                    let mut b = cut_across(households, persons, &caps, share, record.date);
                    let state = state_of(households, persons, at);
                    if let Some(floor) = account.floor
                        && b < Decimal::ZERO
                    {
                        b = b.max((floor - state.balance[&a]).min(Decimal::ZERO));
                    }
                    *state.balance.get_mut(&a).expect("account") += b;
                    state.moved(compact, a, year, b);
                    *state.booked.entry((c, a)).or_default() += b;
                }
            }
        }
    }

    fn apply(
        &self,
        state: &mut State,
        (record, index): (&Record, usize),
        year: i32,
        vetoes: &mut Vec<Veto>,
        carries: &mut Vec<Carry>,
        valid_records: &BTreeMap<usize, u32>,
    ) {
        let h = record.household;
        let count = {
            let n = state.counts.entry(record.event).or_default();
            *n += 1;
            // Still-valid records of earlier periods count too.
            *n + valid_records.get(&record.event).copied().unwrap_or(0)
        };
        // Clauses whose rules apply to the record: (clause, rule, position of the event).
        let mut applying: Vec<(ClauseId, usize, usize)> = Vec::new();
        for (c, clause) in self.compact.clauses.iter().enumerate() {
            for (r, rule) in clause.rules.iter().enumerate() {
                let Rule::Event(ev) = rule else { continue };
                let Some(at) = ev.events.iter().position(|e| *e == record.event) else {
                    continue;
                };
                if ev.condition.as_ref().is_none_or(|cond| {
                    self.holds(cond, Who::Household(h), Some((record, at)), count)
                }) {
                    applying.push((c, r, at));
                }
            }
        }
        // 例外于: a clause that applies puts out the clauses it is an exception to.
        let out: BTreeSet<ClauseId> = applying
            .iter()
            .flat_map(|(c, _, _)| self.compact.clauses[*c].exceptions_to.iter().copied())
            .collect();
        applying.retain(|(c, _, _)| !out.contains(c));
        // Amounts (None: the rule refuses the record or has no amount).
        let mut scored: Vec<(ClauseId, usize, Decimal)> = Vec::new();
        for &(c, r, at) in &applying {
            let Rule::Event(ev) = &self.compact.clauses[c].rules[r] else {
                unreachable!()
            };
            let field = |f: &xiangyue::model::FieldRef| record.values[f.indexes[at]].clone();
            // language.md 4.15: a later record with a value already counted by this rule for
            // this household this period scores nothing (已计); a record that gets no amount
            // (refused) does not take the value.
            let once = ev.once.as_ref().and_then(|f| match field(f) {
                Some(Value::Text(t)) => Some((c, r, t)),
                Some(other) => panic!("活动编号 as {other:?}"),
                None => None,
            });
            if once.as_ref().is_some_and(|key| state.once.contains(key)) {
                continue;
            }
            let multiplier: Decimal = ev
                .multipliers
                .iter()
                .filter(|m| self.holds(&m.condition, Who::Household(h), Some((record, at)), count))
                .map(|m| m.factor)
                .product();
            let amount = match &ev.action {
                Action::Fixed { points } => Some(*points),
                Action::PerUnit {
                    field: f,
                    step,
                    whole,
                    points,
                } => {
                    let steps = number(field(f).as_ref()) / *step;
                    Some(if *whole { steps.floor() } else { steps } * *points)
                }
                Action::Range {
                    field: f,
                    sign,
                    min,
                    max,
                } => {
                    let v = number(field(f).as_ref());
                    (*min <= v && v <= *max).then(|| if *sign == Sign::Add { v } else { -v })
                }
                Action::Table {
                    field: f,
                    rows,
                    otherwise,
                } => {
                    let v = field(f);
                    rows.iter()
                        .find(|row| {
                            row.keys.iter().any(|k| match (k, &v) {
                                (Literal::Text(a), Some(Value::Text(b))) => a == b,
                                (Literal::Number(a), Some(Value::Num(b))) => a == b,
                                (Literal::Bool(a), Some(Value::Bool(b))) => a == b,
                                _ => false,
                            })
                        })
                        .map(|row| row.points)
                        .or(*otherwise)
                }
                Action::Ladder { field: f, rungs } => {
                    let entry = state.ladder.entry((c, r)).or_default();
                    entry.0 += number(field(f).as_ref());
                    let reached = rungs
                        .iter()
                        .filter(|rung| rung.threshold <= entry.0)
                        .map(|rung| rung.points)
                        .next_back()
                        .unwrap_or_default();
                    let delta = reached - entry.1;
                    entry.1 = reached;
                    Some(delta)
                }
                Action::Redeem {
                    account,
                    field: f,
                    prices,
                } => {
                    // 按 物品：… (language.md 4.8): the good's price; none, nothing spent.
                    let v = match prices {
                        Some(rows) => {
                            let good = field(f);
                            let price = rows.iter().find(|row| {
                                row.keys.iter().any(|k| match (k, &good) {
                                    (Literal::Text(a), Some(Value::Text(b))) => a == b,
                                    _ => false,
                                })
                            });
                            match price {
                                Some(row) => row.points,
                                None => continue,
                            }
                        }
                        None => number(field(f).as_ref()),
                    };
                    let balance = state.balance.get_mut(account).expect("account");
                    if *balance >= v {
                        *balance -= v;
                        *state.booked.entry((c, *account)).or_default() -= v;
                        state.moved(self.compact, *account, year, -v);
                    }
                    None
                }
                Action::Zero => Some(Decimal::ZERO),
                Action::Veto(effects) => {
                    vetoes.push(Veto {
                        origin: (record.event, index, year),
                        clause: c,
                        effects: effects.clone(),
                        until: year + ev.validity as i32 - 1,
                    });
                    None
                }
                Action::Repair { targets, points } => {
                    let mut lifted = false;
                    for &t in targets {
                        let keys: Vec<(ClauseId, AccountId)> = state
                            .booked
                            .keys()
                            .filter(|(bc, _)| *bc == t)
                            .copied()
                            .collect();
                        for key in keys {
                            let amount = state.booked.remove(&key).unwrap_or_default();
                            if !amount.is_zero() {
                                lifted = true;
                            }
                            *state.balance.get_mut(&key.1).expect("account") -= amount;
                            state.moved(self.compact, key.1, year, -amount);
                        }
                        let before = vetoes.len();
                        vetoes.retain(|v| v.clause != t);
                        lifted |= vetoes.len() != before;
                        // A carry stops; only one of points counts as lifted (a record
                        // rounded to 0 leaves nothing to repair: language.md 6.6).
                        lifted |= carries
                            .iter()
                            .any(|carry| carry.clause == t && !carry.amount.is_zero());
                        carries.retain(|carry| carry.clause != t);
                    }
                    if lifted { *points } else { None }
                }
            };
            if amount.is_some()
                && let Some(key) = once
            {
                state.once.insert(key);
            }
            if let Some(amount) = amount {
                // Each record's points: times the multipliers, then rounded (before caps).
                let points = amount * multiplier;
                let points = ev.rounding.map_or(points, |rounding| {
                    round(points, rounding.mode, rounding.places)
                });
                scored.push((c, r, points));
            }
        }
        // 取最高: in a group, only the largest award (deduction) counts, the first on ties.
        let mut kept: Vec<(ClauseId, usize, Decimal)> = Vec::new();
        for &(c, r, amount) in &scored {
            let group = self.compact.clauses[c].highest_group;
            let beaten = group.is_some()
                && scored.iter().any(|&(c2, _, a2)| {
                    c2 != c
                        && self.compact.clauses[c2].highest_group == group
                        && (a2.abs() > amount.abs() || (a2.abs() == amount.abs() && c2 < c))
                });
            if !beaten {
                kept.push((c, r, amount));
            }
        }
        for (c, r, amount) in kept {
            let Rule::Event(ev) = &self.compact.clauses[c].rules[r] else {
                unreachable!()
            };
            self.credit(
                state,
                c,
                r,
                &ev.caps,
                amount,
                record.date,
                Some((carries, (record.event, index, year), ev.validity)),
                year,
            );
        }
    }

    /// The period's end: zeroed accounts, ranks, ratings, the dividend.
    fn close(
        &self,
        states: &mut [State],
        vetoes: &[Vec<Veto>],
        year: i32,
        pool_fen: Option<i64>,
    ) -> Results {
        let compact = self.compact;
        let effects = |h: usize| vetoes[h].iter().flat_map(|v| v.effects.iter());
        for (h, state) in states.iter_mut().enumerate() {
            for effect in effects(h) {
                if let VetoEffect::ZeroAccount(a) = effect {
                    state.balance.insert(*a, Decimal::ZERO);
                }
            }
        }
        let mut titles: Vec<Vec<String>> = vec![Vec::new(); states.len()];
        for rank in &compact.ranks {
            assert!(rank.group.is_none(), "分别排 is not generated");
            // 不含 被一票否决: a household with a veto in force at the period's end (of this
            // period's records or still valid from earlier ones, not lifted by 修复) takes
            // no place and is not counted towards 前 x%.
            let mut ranked: Vec<usize> = (0..states.len())
                .filter(|&h| !rank.excludes_vetoed || vetoes[h].is_empty())
                .collect();
            let points = |h: usize| states[h].balance[&rank.account];
            ranked.sort_by(|&a, &b| {
                points(b)
                    .cmp(&points(a))
                    .then_with(|| self.households[a].id.cmp(&self.households[b].id))
            });
            let mut prizes: Vec<(usize, &RankPrize)> = Vec::new();
            for award in &rank.awards {
                let places = match award.top {
                    RankTop::Count(n) => n as usize,
                    RankTop::Percent(x) => {
                        let exact = x * Decimal::from(ranked.len()) / Decimal::from(100);
                        let places = exact.ceil().to_string().parse::<usize>().expect("places");
                        if ranked.is_empty() { 0 } else { places.max(1) }
                    }
                };
                let winners: Vec<usize> = match rank.ties {
                    TiePolicy::ById => ranked.iter().copied().take(places).collect(),
                    TiePolicy::AllTied => {
                        if places == 0 {
                            Vec::new()
                        } else if places >= ranked.len() {
                            ranked.clone()
                        } else {
                            let line = points(ranked[places - 1]);
                            ranked
                                .iter()
                                .copied()
                                .filter(|&h| points(h) >= line)
                                .collect()
                        }
                    }
                };
                prizes.extend(winners.into_iter().map(|h| (h, &award.prize)));
            }
            for (h, prize) in prizes {
                match prize {
                    RankPrize::Title(t) => titles[h].push(t.clone()),
                    RankPrize::Points { account, points } => {
                        *states[h].balance.get_mut(account).expect("account") += *points;
                    }
                }
            }
        }
        // Ratings judged per quarter or month (每季度 评定 …), 不上榜 rows and year ratings from
        // them are outside this reference: the generator writes none (tests/eval_constructs.rs
        // and the 示例 of language.md 6.1 check them by hand).
        assert!(
            compact.ratings.iter().all(|r| r.window.is_none()
                && r.series.is_empty()
                && r.hidden.is_empty()
                && r.rows
                    .iter()
                    .all(|row| !row.label.is_empty() && row.top.is_none())),
            "windowed ratings are not generated"
        );
        let mut outcomes: Vec<Outcome> = Vec::new();
        for (h, state) in states.iter().enumerate() {
            let grades = compact
                .ratings
                .iter()
                .enumerate()
                .map(|(ri, rating)| {
                    // （限 …）: outside the class, not rated (before any veto).
                    if let Some(limit) = &rating.limit
                        && !self.holds(limit, Who::Household(h), None, 0)
                    {
                        return Grade::NotRated;
                    }
                    if effects(h).any(|e| *e == VetoEffect::CancelRating(ri)) {
                        return Grade::Cancelled;
                    }
                    let p = state.balance[&rating.account];
                    let mut at = rating
                        .rows
                        .iter()
                        .position(|row| {
                            if row.inclusive {
                                p >= row.threshold
                            } else {
                                p > row.threshold
                            }
                        })
                        .unwrap_or(rating.rows.len());
                    for e in effects(h) {
                        if let VetoEffect::Downgrade { rating: r, grade } = e
                            && *r == ri
                        {
                            at = at.max(*grade);
                        }
                    }
                    match rating.rows.get(at) {
                        Some(row) => Grade::Label(row.label.clone()),
                        None => rating.otherwise.clone().map_or(Grade::None, Grade::Label),
                    }
                })
                .collect();
            outcomes.push(Outcome {
                id: self.households[h].id.clone(),
                points: state.balance.clone(),
                grades,
                eligible: !effects(h).any(|e| *e == VetoEffect::CancelDividend),
                vetoed_by: vetoes[h].iter().map(|v| v.clause).collect(),
                dividend_fen: 0,
                titles: titles[h].clone(),
            });
        }
        // language.md 6.3: money per point, rounded to the unit as written; nothing below
        // zero unless 负分 照扣; positive points below the minimum get nothing.
        if let Some(dividend) = &compact.dividend
            && let Some(per_point) = dividend.per_point_fen
        {
            for outcome in outcomes.iter_mut() {
                let p = outcome.points[&dividend.account];
                let takes = outcome.eligible
                    && if p > Decimal::ZERO {
                        dividend.min_points.is_none_or(|min| p >= min)
                    } else {
                        p < Decimal::ZERO && dividend.deduct_negative
                    };
                if takes {
                    let unit = Decimal::from(dividend.unit_fen);
                    let units = round(p * Decimal::from(per_point) / unit, dividend.rounding, 0);
                    outcome.dividend_fen = (units * unit).to_string().parse().expect("fen");
                }
            }
        }
        if let (Some(dividend), Some(given), None) = (
            &compact.dividend,
            pool_fen,
            compact.dividend.as_ref().and_then(|d| d.per_point_fen),
        ) {
            let pool = Decimal::from(given) * dividend.percent / Decimal::from(100);
            assert!(
                pool.fract().is_zero(),
                "the generator gives whole-fen pools"
            );
            let pool: i128 = pool.to_string().parse().expect("pool");
            // 取整到 元/角: only the pool's whole units are shared, in units.
            let unit = i128::from(dividend.unit_fen);
            let pool = pool / unit;
            // Points as integers of one scale, for exact shares and remainders.
            let sharing: Vec<usize> = (0..outcomes.len())
                .filter(|&h| {
                    let p = outcomes[h].points[&dividend.account];
                    outcomes[h].eligible
                        && p > Decimal::ZERO
                        && dividend.min_points.is_none_or(|min| p >= min)
                })
                .collect();
            let scale = sharing
                .iter()
                .map(|&h| outcomes[h].points[&dividend.account].scale())
                .max()
                .unwrap_or(0);
            let wholes: BTreeMap<usize, i128> = sharing
                .iter()
                .map(|&h| {
                    let mut p = outcomes[h].points[&dividend.account];
                    p.rescale(scale);
                    (h, p.mantissa())
                })
                .collect();
            let whole = |h: usize| wholes[&h];
            let total: i128 = sharing.iter().map(|&h| whole(h)).sum();
            if total > 0 {
                let mut parts: Vec<(i128, usize)> = Vec::new();
                let mut given_out = 0;
                for &h in &sharing {
                    let share = pool * whole(h);
                    outcomes[h].dividend_fen = (share / total) as i64;
                    given_out += share / total;
                    parts.push((share % total, h));
                }
                // Leftover fen to the largest remainders, ties by 户号.
                parts.sort_by(|a, b| {
                    b.0.cmp(&a.0)
                        .then_with(|| outcomes[a.1].id.cmp(&outcomes[b.1].id))
                });
                if dividend.largest_remainder {
                    for (_, h) in parts.iter().take((pool - given_out) as usize) {
                        outcomes[*h].dividend_fen += 1;
                    }
                }
                for &h in &sharing {
                    outcomes[h].dividend_fen *= unit as i64;
                }
            }
        }
        Results {
            year,
            households: outcomes,
            persons: Vec::new(),
        }
    }
}

/// 计入 A、B（按 50%）: what account `k` of the clause takes of `amount` — its share, worked
/// out as written (percent of the amount, divided by a hundred).
fn share_of(clause: &xiangyue::model::Clause, k: usize, amount: Decimal) -> Decimal {
    match clause.shares.get(k).copied().flatten() {
        Some(percent) => amount * percent / Decimal::from(100),
        None => amount,
    }
}
