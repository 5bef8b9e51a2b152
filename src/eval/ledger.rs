//! The ledger: one entry per scoring decision — which subject, on which day, which clause,
//! which record, how much, computed how, and anything that changed it (a cap, an exception, a
//! veto, take-the-highest). Totals are sums of entries; nothing is computed that the ledger
//! cannot show.
//!
//! Entries hold the computation as data ([`Computation`], [`Note`]); [`computation_words`] and
//! [`note_words`] say them in Chinese.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::model::describe::{number, signed_points, yuan};
use crate::model::value::{Day, date_of};
use crate::model::{AccountId, ClauseId, Compact, EventId, KindId, Window};

/// One scoring decision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// The subject's kind.
    pub kind: KindId,
    /// The subject (index in its register).
    pub subject: u32,
    /// The day it is dated.
    pub day: Day,
    /// The account credited (none for decisions that credit nothing: pending records, vetoes).
    pub account: Option<AccountId>,
    /// The clause that decided it.
    pub clause: Option<ClauseId>,
    /// The event record (its line in the log), if one.
    pub line: Option<u64>,
    /// The record's event kind, if one.
    pub event: Option<EventId>,
    /// Signed points credited (zero for decisions that credited nothing).
    pub amount: Decimal,
    /// How the amount was computed, before the notes' adjustments.
    pub computation: Computation,
    /// What changed it, or why it is zero.
    pub notes: Vec<Note>,
}

/// Where an entry comes from. In JSON (`explain`): `base`, `record`, `streak`, `rank`,
/// `veto_clearing`, `carried_balance`, `date_clearing`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// Points given at the start of the period, not from a record (基础分).
    Base,
    /// A decision on one event record (scored or not).
    Record,
    /// A streak award at the end of the period (连续 N 年 无 …).
    Streak,
    /// A rank award's points at the end of the period (按 … 排名).
    Rank,
    /// At the end of the period, an account taken back to zero by a veto (… 清零). The entry's
    /// `line` is the record that caused the veto, not a record of this entry's own.
    VetoClearing,
    /// At the start of the period, the balance an account that carries (余额结转) closed the
    /// last period with.
    CarriedBalance,
    /// On the account's 每年 M月D日 清零 day, its balance set to 0 (before the day's records).
    DateClearing,
    /// At the end of a period, points of an account with 积分有效期 that have expired.
    Expiry,
}

impl Entry {
    /// Where the entry comes from.
    pub fn entry_kind(&self) -> EntryKind {
        match (&self.computation, self.line) {
            (Computation::Zeroed { .. }, _) => EntryKind::VetoClearing,
            (Computation::BalanceCarried { .. }, _) => EntryKind::CarriedBalance,
            (Computation::ClearedOnDate { .. }, _) => EntryKind::DateClearing,
            (Computation::Expired { .. }, _) => EntryKind::Expiry,
            (_, Some(_)) => EntryKind::Record,
            (Computation::Streak { .. }, None) => EntryKind::Streak,
            (Computation::Rank { .. }, None) => EntryKind::Rank,
            (_, None) => EntryKind::Base,
        }
    }

    /// The event record this entry decides (its line), if it is a record's entry.
    pub fn record_line(&self) -> Option<u64> {
        match self.entry_kind() {
            EntryKind::Record => self.line,
            _ => None,
        }
    }

    /// For a veto-clearing entry, the line of the record that caused the veto.
    pub fn veto_line(&self) -> Option<u64> {
        match self.entry_kind() {
            EntryKind::VetoClearing => self.line,
            _ => None,
        }
    }
}

/// How an amount was computed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Computation {
    /// Base points: a fixed amount, or an attribute's value times points.
    Base {
        attribute: Option<(String, Decimal)>,
        points: Decimal,
        amount: Decimal,
    },
    /// 每次 N 分.
    Fixed { points: Decimal },
    /// Per unit of a quantity: `quantity` (in `unit`) in steps of `step` (whole steps only when
    /// `whole`), `points` a step.
    PerUnit {
        quantity: Decimal,
        unit: String,
        step: Decimal,
        whole: bool,
        steps: Decimal,
        points: Decimal,
        amount: Decimal,
    },
    /// The record's own points within a range.
    Range {
        field: String,
        value: Decimal,
        min: Decimal,
        max: Decimal,
        amount: Decimal,
    },
    /// A table row: the field's value and its points.
    Table {
        field: String,
        key: String,
        points: Decimal,
    },
    /// A cumulative ladder: the total reached, the rung's total points, what was paid before.
    Ladder {
        field: String,
        unit: String,
        cumulative: Decimal,
        threshold: Decimal,
        rung_points: Decimal,
        paid_before: Decimal,
        amount: Decimal,
    },
    /// Spending from an account.
    Redeem { points: Decimal },
    /// 不计分.
    Zero,
    /// 一票否决.
    Veto,
    /// 连续 N 年 无 …
    Streak { periods: u32, points: Decimal },
    /// A rank award's points.
    Rank { rank: usize, points: Decimal },
    /// An account zeroed by a veto: the balance taken away.
    Zeroed { balance: Decimal },
    /// The record was not scored (see the notes).
    NotScored,
    /// A record of an earlier period still valid (有效 N 年): its points counted again.
    Carried {
        from: Day,
        years: u32,
        amount: Decimal,
    },
    /// 修复: points of clause `target` (its number) that counted this period, taken back.
    Repaired { target: u32, amount: Decimal },
    /// 修复: vetoes lifted (see the notes).
    Lifted,
    /// 修复 … 为 …: the amount booked instead of what was lifted.
    RepairedTo { points: Decimal },
    /// 余额结转: the balance the account closed the period starting in `year` with.
    BalanceCarried { year: i32, amount: Decimal },
    /// 账户 …：基础分 N 分 — the account's base, or one group's (分为「环境卫生」30 分).
    AccountBase {
        group: Option<String>,
        points: Decimal,
    },
    /// 积分有效期 `years` 年: what is left of the points earned in the period starting in
    /// `year` (`amount`; the entry's amount is its negation) expires.
    Expired {
        year: i32,
        years: u32,
        amount: Decimal,
    },
    /// 每年 M月D日 清零: the balance `cleared` (the entry's amount is its negation) set to 0.
    ClearedOnDate {
        month: u8,
        day: u8,
        cleared: Decimal,
    },
}

/// Something that changed an amount, or why there is none.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Note {
    /// Multiplied by `factor` because `condition` held.
    Multiplied { factor: Decimal, condition: String },
    /// A cap: `limit` over the window, `before` already counted; `allowed` of `wanted` went in.
    Capped {
        level: CapLevel,
        window: Window,
        limit: Decimal,
        before: Decimal,
        wanted: Decimal,
        allowed: Decimal,
    },
    /// The account's floor: the balance could only fall to `floor`.
    Floor {
        floor: Decimal,
        balance: Decimal,
        wanted: Decimal,
        allowed: Decimal,
    },
    /// Counted in a group of the account (计入 户积分「环境卫生」): its balance after.
    InGroup { group: String, after: Decimal },
    /// A group's floor (扣完为止): the group's balance could only fall to `floor`.
    GroupFloor {
        group: String,
        floor: Decimal,
        balance: Decimal,
        wanted: Decimal,
        allowed: Decimal,
    },
    /// 加满为止: the group's balance could only rise to its base `full`.
    GroupFull {
        group: String,
        full: Decimal,
        balance: Decimal,
        wanted: Decimal,
        allowed: Decimal,
    },
    /// Another clause, an exception to this one, applied instead.
    Excepted { by: ClauseId },
    /// Another clause of the take-the-highest group gave more.
    NotHighest { winner: ClauseId },
    /// A veto took effect.
    Vetoed { effect: String },
    /// The record is pending review (待审).
    Pending,
    /// The record was refused in review (驳回).
    Rejected,
    /// The record lacks the evidence named.
    MissingEvidence { evidence: String },
    /// The record's points lie outside the clause's range.
    OutOfRange {
        value: Decimal,
        min: Decimal,
        max: Decimal,
    },
    /// The account's balance is too low to spend from.
    InsufficientBalance { balance: Decimal, wanted: Decimal },
    /// No clause applies to the record.
    NoClause,
    /// The subject's account is zeroed this period: later points still count in the ledger
    /// and are taken away at the end.
    AccountZeroed,
    /// A veto of an earlier period's record that is still valid (有效 N 年).
    StillValid { from: Day, years: u32 },
    /// 修复: the vetoes of clause `target` (its number) are lifted.
    VetoLifted { target: u32 },
    /// 修复: nothing of the named clauses counted for the subject this period.
    NothingToRepair,
    /// The record's (or base rule's) points would be beyond what points can be.
    TooLarge,
    /// 按 物品：…: the good is not in the price table.
    NoPrice { good: String },
    /// 同一 `field` 只计一次: a record of this `value` already counted on `day` (line `line`).
    AlreadyCounted {
        field: String,
        value: String,
        day: Day,
        line: u64,
    },
    /// 计入 户积分（按 50%）: the account took `percent` of the clause's `whole`, `part`.
    Share {
        percent: Decimal,
        whole: Decimal,
        part: Decimal,
    },
    /// The entry is a household's, from the record of one of its members (名册「roster」的
    /// `person`: 姓名（编号）).
    Member { roster: String, person: String },
    /// On a person's own ledger: the record was counted in the household `household` (its 户号),
    /// `amount` in its `account` (the household's entry has the caps' and floors' notes).
    InHousehold {
        household: String,
        account: String,
        amount: Decimal,
    },
    /// The rule's 四舍五入 / 进一 / 去尾 turned `exact` into `rounded`.
    Rounded {
        rounding: crate::model::Rounding,
        exact: Decimal,
        rounded: Decimal,
    },
}

/// Which cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CapLevel {
    /// The clause's own cap.
    Clause,
    /// The clause's 每人 cap, where the clause scores the person's household.
    PerPerson,
    /// The clause's 每户 cap on a person's records.
    PerHousehold,
    /// 本章 …
    Chapter,
    /// The account's cap.
    Account,
}

/// Where ledger entries go: kept, filtered, or dropped (when only totals are wanted).
pub trait Sink {
    /// Whether entries for this subject are wanted (asked before building one, so that
    /// evaluation without a ledger builds none).
    fn wants(&self, kind: KindId, subject: u32) -> bool;
    /// Takes an entry.
    fn push(&mut self, entry: Entry);
    /// Forgets the entries taken so far (a new period begins).
    fn clear(&mut self);
    /// An empty sink for another shard of the subjects (evaluating on several threads), or
    /// `None` when one thread must make every entry (their order across subjects matters).
    fn fork(&self) -> Option<Self>
    where
        Self: Sized,
    {
        None
    }
    /// Takes in what a sink made by [`Sink::fork`] kept (for subjects this one never saw).
    fn join(&mut self, shard: Self)
    where
        Self: Sized,
    {
        let _ = shard;
    }
}

/// Keeps every entry.
#[derive(Debug, Default)]
pub struct Ledger {
    /// The entries, in the order decided.
    pub entries: Vec<Entry>,
}

impl Sink for Ledger {
    fn wants(&self, _: KindId, _: u32) -> bool {
        true
    }
    fn push(&mut self, entry: Entry) {
        self.entries.push(entry);
    }
    fn clear(&mut self) {
        self.entries.clear();
    }
}

/// Keeps the entries of one subject.
#[derive(Debug)]
pub struct SubjectLedger {
    /// The subject's kind.
    pub kind: KindId,
    /// The subject.
    pub subject: u32,
    /// Its entries.
    pub entries: Vec<Entry>,
}

impl Sink for SubjectLedger {
    fn wants(&self, kind: KindId, subject: u32) -> bool {
        kind == self.kind && subject == self.subject
    }
    fn push(&mut self, entry: Entry) {
        self.entries.push(entry);
    }
    fn clear(&mut self) {
        self.entries.clear();
    }
    fn fork(&self) -> Option<Self> {
        Some(SubjectLedger {
            kind: self.kind,
            subject: self.subject,
            entries: Vec::new(),
        })
    }
    fn join(&mut self, shard: Self) {
        // Only the shard of the subject made entries.
        self.entries.extend(shard.entries);
    }
}

/// Keeps no entries: totals only.
#[derive(Debug, Default)]
pub struct NoLedger;

impl Sink for NoLedger {
    fn wants(&self, _: KindId, _: u32) -> bool {
        false
    }
    fn push(&mut self, _: Entry) {}
    fn clear(&mut self) {}
    fn fork(&self) -> Option<Self> {
        Some(NoLedger)
    }
}

fn window_words(window: Window) -> &'static str {
    match window {
        Window::Period => "本年",
        Window::Quarter => "本季度",
        Window::Month => "本月",
    }
}

/// Computed points in words: exact when they have at most two decimals, otherwise
/// 「约 42.67」 (see [`crate::model::describe::shown_points`]); rule constants use `number`.
fn about(points: Decimal) -> String {
    let shown = crate::model::describe::shown_points(points);
    if shown == number(points) {
        shown
    } else {
        format!("约 {shown}")
    }
}

/// The computation in words: 「3 天 × 2 分 = 6 分」.
pub fn computation_words(computation: &Computation) -> String {
    match computation {
        Computation::Base {
            attribute: Some((name, value)),
            points,
            amount,
        } => format!(
            "{name} {} × {} 分 = {} 分",
            number(*value),
            number(*points),
            about(*amount)
        ),
        Computation::Base { amount, .. } => format!("基础分 {} 分", about(*amount)),
        Computation::Fixed { points } => format!("每次 {}", signed_points(*points)),
        Computation::PerUnit {
            quantity,
            unit,
            step,
            whole,
            steps,
            points,
            amount,
        } => {
            if *step == Decimal::ONE && !whole {
                format!(
                    "{} {unit} × {} 分 = {} 分",
                    number(*quantity),
                    number(*points),
                    about(*amount)
                )
            } else if *whole {
                format!(
                    "{} {unit}，每满 {} {unit} 计一次：{} 次 × {} 分 = {} 分",
                    number(*quantity),
                    number(*step),
                    number(*steps),
                    number(*points),
                    about(*amount)
                )
            } else {
                format!(
                    "{} {unit} ÷ {} {unit} × {} 分 = {} 分",
                    number(*quantity),
                    number(*step),
                    number(*points),
                    about(*amount)
                )
            }
        }
        Computation::Range {
            field,
            value,
            min,
            max,
            amount,
        } => format!(
            "{field} {} 分（在 {}～{} 分之间），计 {} 分",
            number(*value),
            number(*min),
            number(*max),
            about(*amount)
        ),
        Computation::Table { field, key, points } => {
            format!("{field}为{key}：{}", signed_points(*points))
        }
        Computation::Ladder {
            field,
            unit,
            cumulative,
            threshold,
            rung_points,
            ..
        } if rung_points.is_zero() => format!(
            "{field}累计 {} {unit}，尚未达到「满 {} {unit}」档",
            number(*cumulative),
            number(*threshold)
        ),
        Computation::Ladder {
            field,
            unit,
            cumulative,
            threshold,
            rung_points,
            paid_before,
            amount,
        } => format!(
            "{field}累计 {} {unit}，达到「满 {} {unit}」档 {} 分，已得 {} 分，本次计 {} 分",
            number(*cumulative),
            number(*threshold),
            number(*rung_points),
            number(*paid_before),
            about(*amount)
        ),
        Computation::Redeem { points } => format!("兑换支出 {} 分", number(*points)),
        Computation::AccountBase { group, points } => match group {
            Some(group) => format!("分项「{group}」基础分 {} 分", number(*points)),
            None => format!("账户基础分 {} 分", number(*points)),
        },
        Computation::Zero => "不计分".to_string(),
        Computation::Veto => "一票否决".to_string(),
        Computation::Streak { periods, points } => {
            format!("连续 {periods} 年无此类记录：{}", signed_points(*points))
        }
        Computation::Rank { rank, points } => format!("排名第 {rank}：{}", signed_points(*points)),
        Computation::Zeroed { balance } => format!("清零：减去本年已得的 {} 分", about(*balance)),
        Computation::NotScored => "未计分".to_string(),
        Computation::Carried {
            from,
            years,
            amount,
        } => format!(
            "{}的记录有效 {years} 年，本年继续计 {} 分",
            date_words(*from),
            about(*amount)
        ),
        Computation::Lifted => "撤销一票否决".to_string(),
        Computation::BalanceCarried { year, amount } => {
            format!("{year}年度结余 {} 分，余额结转", about(*amount))
        }
        Computation::ClearedOnDate {
            month,
            day,
            cleared,
        } => format!(
            "余额 {} 分清零（账户声明：每年 {month}月{day}日 清零）",
            about(*cleared)
        ),
        Computation::Expired {
            year,
            years,
            amount,
        } => format!(
            "{year}年度所得 {} 分 过期作废（积分有效期 {years} 年）",
            about(*amount)
        ),
        Computation::RepairedTo { points } => format!("修复为{}", signed_points(*points)),
        Computation::Repaired { target, amount } => format!(
            "撤销{}本年计入的 {} 分",
            crate::model::describe::clause_label(*target),
            about(-*amount)
        ),
    }
}

/// How a note names an earlier record of the log: 「第 12 行的记录」.
pub fn line_of_log(line: u64) -> String {
    format!("第 {line} 行的记录")
}

/// A note in words, naming clauses by number and earlier records by their line in the log.
pub fn note_words(compact: &Compact, note: &Note) -> String {
    note_words_citing(compact, note, &line_of_log)
}

/// A note in words, naming an earlier record (已计) as `cite` says — by its line in the log, or
/// by its number in the village's book.
pub fn note_words_citing(compact: &Compact, note: &Note, cite: &dyn Fn(u64) -> String) -> String {
    let clause = |id: &ClauseId| {
        compact
            .clauses
            .get(*id)
            .map(|c| crate::model::describe::clause_label(c.number))
            .unwrap_or_default()
    };
    match note {
        Note::Multiplied { factor, condition } => {
            format!("{condition}，按 {} 倍计", number(*factor))
        }
        Note::Rounded {
            rounding,
            exact,
            rounded,
        } => format!(
            "{}：{} 分计为 {} 分",
            crate::model::describe::rounding(*rounding),
            number(*exact),
            number(*rounded)
        ),
        Note::Capped {
            level,
            window,
            limit,
            before,
            wanted,
            allowed,
        } => {
            let whose = match level {
                CapLevel::Clause => "本条",
                CapLevel::PerPerson => "本条每人",
                CapLevel::PerHousehold => "本条每户",
                CapLevel::Chapter => "本章",
                CapLevel::Account => "本账户",
            };
            if *allowed == Decimal::ZERO {
                format!(
                    "{whose}{}已达上限 {} 分，本次应计 {} 分，不再计分",
                    window_words(*window),
                    number(*limit),
                    about(*wanted)
                )
            } else {
                format!(
                    "{whose}{}上限 {} 分，已计 {} 分，本次应计 {} 分，只计 {} 分",
                    window_words(*window),
                    number(*limit),
                    about(*before),
                    about(*wanted),
                    about(*allowed)
                )
            }
        }
        Note::Floor {
            floor,
            balance,
            wanted,
            allowed,
        } => format!(
            "账户最低 {} 分，原有 {} 分，应扣 {} 分，只扣 {} 分",
            number(*floor),
            about(*balance),
            about(wanted.abs()),
            number(allowed.abs())
        ),
        Note::InGroup { group, after } => {
            format!("计入分项「{group}」，这一项余 {} 分", about(*after))
        }
        Note::GroupFloor {
            group,
            floor,
            balance,
            wanted,
            allowed,
        } => {
            let stop = if floor.is_zero() {
                "扣完为止".to_string()
            } else {
                format!("最低 {} 分", number(*floor))
            };
            format!(
                "分项「{group}」{stop}：原有 {} 分，应扣 {} 分，只扣 {} 分，未扣 {} 分",
                about(*balance),
                about(wanted.abs()),
                number(allowed.abs()),
                about(wanted.abs() - allowed.abs())
            )
        }
        Note::GroupFull {
            group,
            full,
            balance,
            wanted,
            allowed,
        } => format!(
            "分项「{group}」加满为止（满分 {} 分）：原有 {} 分，应加 {} 分，只加 {} 分",
            number(*full),
            about(*balance),
            about(*wanted),
            number(*allowed)
        ),
        Note::Share {
            percent,
            whole,
            part,
        } => format!(
            "按 {}% 计入：{} 分的 {}% 是 {} 分",
            number(*percent),
            about(*whole),
            number(*percent),
            about(*part)
        ),
        Note::Member { roster, person } => format!("{roster}「{person}」的记录，计入本户"),
        Note::InHousehold {
            household,
            account,
            amount,
        } => {
            let verb = if amount.is_sign_negative() && !amount.is_zero() {
                "扣"
            } else {
                "加"
            };
            format!(
                "计入所在户「{household}」的{account}：{verb} {} 分",
                about(amount.abs())
            )
        }
        Note::Excepted { by } => format!("{}适用，本条不再适用（例外）", clause(by)),
        Note::NotHighest { winner } => format!(
            "与{}取最高，按{}计，本条不计",
            clause(winner),
            clause(winner)
        ),
        Note::Vetoed { effect } => format!("一票否决：{effect}"),
        Note::Pending => "待审，未计分".to_string(),
        Note::Rejected => "审核驳回，未计分".to_string(),
        Note::MissingEvidence { evidence } => format!("缺少{evidence}，未计分（待补）"),
        Note::OutOfRange { value, min, max } => format!(
            "记录的分值 {} 分不在 {}～{} 分之间，未计分",
            number(*value),
            number(*min),
            number(*max)
        ),
        Note::InsufficientBalance { balance, wanted } => refused_redemption(*balance, *wanted),
        Note::NoClause => "没有适用的条文，未计分".to_string(),
        Note::TooLarge => format!(
            "算出的分数超过 {} 分（数值或倍数太大，多半是填错了），未计分",
            crate::model::describe::number(Decimal::from(crate::eval::apply::MAX_POINTS))
        ),
        Note::AccountZeroed => "本账户本年已被一票否决清零，年末一并减去".to_string(),
        Note::StillValid { from, years } => {
            format!("{}的记录有效 {years} 年，本年仍然适用", date_words(*from))
        }
        Note::VetoLifted { target } => format!(
            "信用修复：撤销{}的一票否决",
            crate::model::describe::clause_label(*target)
        ),
        Note::NothingToRepair => "本年没有可修复的记录，未计分".to_string(),
        Note::NoPrice { good } => format!("价目表中没有「{good}」，兑换未执行"),
        Note::AlreadyCounted {
            field,
            value,
            day,
            line,
        } => format!(
            "同一{field}「{value}」已计（{}{}），本次不再计分",
            date_words(*day),
            cite(*line)
        ),
    }
}

/// A redemption that was not carried out, and why.
fn refused_redemption(balance: Decimal, wanted: Decimal) -> String {
    if wanted < Decimal::ZERO {
        format!("兑换的分数 {} 分是负数，兑换未执行", number(wanted))
    } else {
        format!(
            "余额 {} 分不足，兑换 {} 分未执行",
            number(balance),
            number(wanted)
        )
    }
}

/// An entry's computation and notes in words. A refused redemption says in its computation
/// that it was not carried out and why (「余额 30 分不足，兑换 50 分未执行」), and that note is
/// not repeated among the notes.
pub fn entry_words(compact: &Compact, entry: &Entry) -> (String, Vec<String>) {
    entry_words_citing(compact, entry, &line_of_log)
}

/// [`entry_words`], naming earlier records as `cite` says (see [`note_words_citing`]).
pub fn entry_words_citing(
    compact: &Compact,
    entry: &Entry,
    cite: &dyn Fn(u64) -> String,
) -> (String, Vec<String>) {
    let refusal = entry.notes.iter().find_map(|n| match n {
        Note::InsufficientBalance { balance, wanted } => {
            Some(refused_redemption(*balance, *wanted))
        }
        _ => None,
    });
    let notes = entry
        .notes
        .iter()
        .filter(|n| refusal.is_none() || !matches!(n, Note::InsufficientBalance { .. }))
        .map(|n| note_words_citing(compact, n, cite))
        .collect();
    let computation = refusal.unwrap_or_else(|| computation_words(&entry.computation));
    (computation, notes)
}

/// The date of an entry as people write it.
pub fn date_words(day: Day) -> String {
    let date = date_of(day);
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// Money in words (for ledgers of dividends).
pub fn money_words(fen: i64) -> String {
    yuan(fen)
}
