//! The typed compact: what the checker produces and the evaluator, differ and renderer use.
//!
//! Every name is resolved to an index, every literal has its declared type, every clause knows
//! its chapter, accounts, exceptions and take-the-highest group. Spans are kept so that ledgers
//! and diagnostics can point back at the text.

pub mod describe;
pub mod record;
pub mod register;
pub mod value;
pub mod width;

pub use record::{EventRecord, FieldValues, Status};
pub use register::Register;
pub use value::{Day, FieldValue};

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::syntax::Span;
pub use crate::syntax::ast::{
    CompareOp, CountCondition, MonthDay, RoundingMode, Sign, TiePolicy, Window,
};

/// Index of a subject kind in [`Compact::kinds`]; 0 is always the household (户).
pub type KindId = usize;
/// Index of an account in [`Compact::accounts`].
pub type AccountId = usize;
/// Index of an event kind in [`Compact::events`].
pub type EventId = usize;
/// Index of a clause in [`Compact::clauses`].
pub type ClauseId = usize;
/// Index of a rating in [`Compact::ratings`].
pub type RatingId = usize;

/// A map keyed by text (户号, 事项 names). Keys up to 24 bytes are stored inside the table
/// (no pointer to follow, so a lookup among 200,000 households costs one cache miss, not
/// two), hashed by foldhash with a fixed seed (fast on short strings, same results every run).
pub type TextMap<V> =
    std::collections::HashMap<compact_str::CompactString, V, foldhash::fast::FixedState>;

/// The household kind's index.
pub const HOUSEHOLD: KindId = 0;

/// A checked compact, ready to evaluate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Compact {
    /// 乡约「…」
    pub title: String,
    /// 版本「…」
    pub version: Option<String>,
    /// 生效 — the effective date.
    pub effective: Option<Date>,
    /// 周期 — the first day of each period (1月1日 for calendar years).
    pub period_start: MonthDay,
    /// Subject kinds: households first, then rosters (名册).
    pub kinds: Vec<SubjectKind>,
    /// 账户 — points accounts (tracks).
    pub accounts: Vec<Account>,
    /// 事项 — event kinds.
    pub events: Vec<EventKind>,
    /// 第N章
    pub chapters: Vec<Chapter>,
    /// 第N条, in source order.
    pub clauses: Vec<Clause>,
    /// 评定 — ratings.
    pub ratings: Vec<Rating>,
    /// 排名 — rank awards.
    pub ranks: Vec<RankRule>,
    /// 分红 — the dividend.
    pub dividend: Option<Dividend>,
    /// 示例 — worked examples.
    pub examples: Vec<Example>,
    /// 模板「…」 — `Some` when this is a template, with its limits on villages' own items.
    pub template: Option<TemplateLimits>,
    /// 依据「…」 — the template this compact is built on.
    pub basis: Option<Basis>,
}

/// A template's limits on the items a village adds of its own (自选项).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TemplateLimits {
    /// 自选加分项 至多 N 项，每项 至多 M 分 — `None`: the village may add no award items.
    pub awards: Option<OptionalLimit>,
    /// 自选扣分项 至多 N 项，每项 至多 M 分.
    pub deductions: Option<OptionalLimit>,
}

/// 至多 N 项，每项 至多 M 分.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct OptionalLimit {
    /// At most this many items.
    pub count: u32,
    /// At most this many points per item (positive).
    pub points: Decimal,
}

/// 依据「…」.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Basis {
    /// The template's title as written.
    pub name: String,
    /// The quoted name.
    pub span: Span,
}

/// 户 or a roster (名册) of persons.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubjectKind {
    /// 户 for households, the roster's name otherwise.
    pub name: String,
    /// Declared attributes (register columns).
    pub attributes: Vec<Field>,
    /// The declaration.
    pub span: Span,
}

/// A typed attribute of a subject or field of an event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    /// Its name.
    pub name: String,
    /// Its type.
    pub ty: ValueType,
    /// The declaration.
    pub span: Span,
}

/// A declared type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ValueType {
    /// 整数
    Integer,
    /// 数量, with its unit.
    Quantity(Option<String>),
    /// 金额 (fen)
    Money,
    /// 文本
    Text,
    /// 是否
    Bool,
    /// 日期
    Date,
    /// 分数
    Points,
    /// 选项（…）
    Choice(Vec<String>),
}

impl ValueType {
    /// The type's name as written in the language.
    pub fn describe(&self) -> String {
        match self {
            ValueType::Integer => "整数".into(),
            ValueType::Quantity(None) => "数量".into(),
            ValueType::Quantity(Some(unit)) => format!("数量（{unit}）"),
            ValueType::Money => "金额".into(),
            ValueType::Text => "文本".into(),
            ValueType::Bool => "是否".into(),
            ValueType::Date => "日期".into(),
            ValueType::Points => "分数".into(),
            ValueType::Choice(options) => format!("选项（{}）", options.join("、")),
        }
    }

    /// Whether values of this type can be compared by size and multiplied.
    pub fn is_numeric(&self) -> bool {
        matches!(
            self,
            ValueType::Integer | ValueType::Quantity(_) | ValueType::Money | ValueType::Points
        )
    }
}

/// A typed literal value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub enum Literal {
    /// Text or an option.
    Text(String),
    /// A number (integer, quantity or points).
    Number(Decimal),
    /// Money in fen.
    Money(i64),
    /// 是 / 否
    Bool(bool),
    /// A date.
    Date(Date),
    /// A month and day, in any year.
    MonthDay(MonthDay),
}

/// 账户
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Account {
    /// Its name.
    pub name: String,
    /// Whose account it is.
    pub owner: KindId,
    /// Whether rules of its owner land here unless they say 计入.
    pub is_default: bool,
    /// 最低 N 分 — the period balance never goes below this.
    pub floor: Option<Decimal>,
    /// Caps on the account per window.
    pub caps: Vec<Cap>,
    /// 只加不减 — the checker lets no rule take points from it.
    pub never_reduced: bool,
    /// 余额结转 — its balance at a period's end opens the next period.
    pub carries: bool,
    /// 基础分 N 分 — given to each subject at the start of every period (with groups: each
    /// group's base, which add up to this).
    pub base: Option<Decimal>,
    /// 分为「环境卫生」30 分、… — groups of items, each with its base and floor.
    pub groups: Vec<Group>,
    /// 每年 M月D日 清零 — on that day of each period, before the day's records, its balance is
    /// set to 0.
    pub clears_on: Option<MonthDay>,
    /// 积分有效期 N 年 — points earned in a period leave the balance at the end of the Nth
    /// period counted from it (its own the first); spending takes the oldest first.
    pub expires_after: Option<u32>,
    /// The declaration.
    pub span: Span,
}

/// 「环境卫生」30 分 — a group of items in an account: its base points each period, the floor
/// deductions in it stop at (扣完为止: 0), and whether additions stop at its base (加满为止).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// Its name.
    pub name: String,
    /// Its base points each period.
    pub base: Decimal,
    /// Deductions in the group stop where its balance reaches this.
    pub floor: Decimal,
    /// 加满为止 — additions in the group stop where its balance reaches its base.
    pub full_at_base: bool,
    /// Where it is declared.
    pub span: Span,
}

/// 事项
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventKind {
    /// Its name.
    pub name: String,
    /// Whose account its records land on.
    pub owner: KindId,
    /// Its typed fields.
    pub fields: Vec<Field>,
    /// 需 … — evidence a record must carry to score.
    pub evidence: Vec<String>,
    /// The declaration.
    pub span: Span,
}

impl EventKind {
    /// The index of the field named `name`.
    pub fn field(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }
}

/// 第N章
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chapter {
    /// N.
    pub number: u32,
    /// Its title.
    pub title: Option<String>,
    /// 本章 每年 至多 … — caps over all its clauses.
    pub caps: Vec<Cap>,
    /// The head line.
    pub span: Span,
}

/// 第N条
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Clause {
    /// N.
    pub number: u32,
    /// Its title.
    pub title: Option<String>,
    /// 原文 paragraphs, verbatim.
    pub prose: Vec<String>,
    /// The chapter it is in.
    pub chapter: Option<usize>,
    /// Its scoring rules.
    pub rules: Vec<Rule>,
    /// 例外于 — clauses this one replaces where it applies.
    pub exceptions_to: Vec<ClauseId>,
    /// 与 … 取最高 — the take-the-highest group it belongs to, if any.
    pub highest_group: Option<usize>,
    /// 计入 — the accounts its points go to (resolved, never empty for scoring clauses).
    pub accounts: Vec<AccountId>,
    /// 计入 账户「分项」 — per account of `accounts` (same order), the group of that account its
    /// points count in, if any.
    pub groups: Vec<Option<usize>>,
    /// 计入 户积分（按 50%） — per account of `accounts` (same order), the share of the
    /// clause's points (in percent, above 0 and below 100) it takes; `None`: all of them.
    pub shares: Vec<Option<Decimal>>,
    /// 本条 可选 — in a template, an item a village may leave out.
    pub optional: bool,
    /// Whose points the clause counts, for its caps written without 每人/每户 and its chapter's
    /// caps: the subject its records name, or — when a roster's records count in household
    /// accounts only (按人记录，计入户) — that person's household.
    pub per: Per,
    /// The head line (第N条 标题).
    pub span: Span,
    /// The whole clause.
    pub full_span: Span,
}

/// A scoring rule of a clause.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[expect(
    clippy::large_enum_variant,
    reason = "a compact holds a few hundred rules; boxing the common variant buys nothing"
)]
pub enum Rule {
    /// 每户 加 …
    Base(BaseRule),
    /// 凡 …
    Event(EventRule),
    /// 连续 N 年 无 …
    Streak(StreakRule),
}

/// 每户 加 人口 × 10 分。
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BaseRule {
    /// Which subjects (households or a roster).
    pub kind: KindId,
    /// Signed points (per unit of the attribute when there is one).
    pub points: Decimal,
    /// The attribute multiplied, if any.
    pub attribute: Option<usize>,
    /// Multipliers on subject attributes.
    pub multipliers: Vec<Multiplier>,
    /// The statement.
    pub span: Span,
}

/// 凡 事项 …
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventRule {
    /// The event kinds it applies to.
    pub events: Vec<EventId>,
    /// The condition a record must meet.
    pub condition: Option<Cond>,
    /// What it does.
    pub action: Action,
    /// Multipliers, in order.
    pub multipliers: Vec<Multiplier>,
    /// Caps of this rule.
    pub caps: Vec<Cap>,
    /// 有效 N 年 — how many periods a record's points and vetoes count in, its own first
    /// (1 when not written: the record's own period only).
    pub validity: u32,
    /// 四舍五入 保留 1 位小数 — how each record's points are rounded (after multipliers,
    /// before caps); `None` keeps them exact.
    pub rounding: Option<Rounding>,
    /// 同一 活动编号 只计一次 — of the records this rule scores for one subject (the one the
    /// record lands on) in a period, the first with a value of this field counts; later ones
    /// with the same value are booked at 0 分 as 已计.
    pub once: Option<FieldRef>,
    /// Whose records 只计一次 compares: the subject's own, or (每户 on a roster's records, or a
    /// clause that counts them in household accounts) every member's of one household.
    pub once_per: Per,
    /// The statement.
    pub span: Span,
}

/// What an event rule does.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Action {
    /// 每次 加 N 分 (signed).
    Fixed { points: Decimal },
    /// 每[满] step 单位 加 N 分.
    PerUnit {
        /// The quantity field, per event kind of the rule.
        field: FieldRef,
        /// Units per step.
        step: Decimal,
        /// Whole steps only.
        whole: bool,
        /// Signed points per step.
        points: Decimal,
    },
    /// 加 min～max 分 — the record's points field, checked against the range.
    Range {
        field: FieldRef,
        sign: Sign,
        min: Decimal,
        max: Decimal,
    },
    /// 按 字段：值 加 N 分，…
    Table {
        field: FieldRef,
        rows: Vec<TableRow>,
        otherwise: Option<Decimal>,
    },
    /// 按 字段 累计：满 N 加 M 分，… — the rung's points are the total for reaching it.
    Ladder { field: FieldRef, rungs: Vec<Rung> },
    /// 从 账户 支出 字段
    Redeem {
        account: AccountId,
        /// The points field, or with `prices` the field naming the good.
        field: FieldRef,
        /// 按 物品：洗衣液 20 分，… — each good's price (positive points); `None` takes the
        /// points from `field`.
        prices: Option<Vec<TableRow>>,
    },
    /// 不计分
    Zero,
    /// 一票否决
    Veto(Vec<VetoEffect>),
    /// 修复 第N条 [为 扣 M 分] — lifts the named clauses' effects on the subject (their points
    /// counting in the period, their vetoes) and, when something was lifted, books `points`.
    Repair {
        /// The clauses repaired.
        targets: Vec<ClauseId>,
        /// Signed points booked instead.
        points: Option<Decimal>,
    },
}

/// A field named in a rule, resolved in each of the rule's event kinds (same order as
/// [`EventRule::events`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldRef {
    /// The field's name.
    pub name: String,
    /// Its index in each event kind of the rule.
    pub indexes: Vec<usize>,
    /// Its type.
    pub ty: ValueType,
}

/// One row of a table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableRow {
    /// The values it matches.
    pub keys: Vec<Literal>,
    /// Signed points.
    pub points: Decimal,
}

/// One rung of a ladder.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rung {
    /// The cumulative amount to reach.
    pub threshold: Decimal,
    /// Signed points in total on reaching it.
    pub points: Decimal,
}

/// What a veto does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum VetoEffect {
    /// 取消分红资格
    CancelDividend,
    /// 取消 某评定 资格
    CancelRating(RatingId),
    /// 某账户 清零
    ZeroAccount(AccountId),
    /// 某评定 降为「…」 — the rating is at most this grade (its row index; the 其余 grade is
    /// the index after the last row).
    Downgrade { rating: RatingId, grade: usize },
}

/// Whose running sum a cap counts, whose records 只计一次 compares, whose points a clause
/// counts: the subject a record names (a household, or a person of a roster), or — for a
/// person — the household the roster says the person belongs to (每户).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
pub enum Per {
    /// The record's own subject (每户 for a household's records, 每人 for a person's).
    #[default]
    Subject,
    /// The household of the person the record names.
    Household,
}

/// 每年 至多 N 分.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Cap {
    /// Whose running sum it counts (a chapter's and an account's caps: the subject's).
    pub per: Per,
    /// The window it counts over.
    pub window: Window,
    /// Whether it limits awards or deductions.
    pub direction: Sign,
    /// The limit (positive).
    pub limit: Decimal,
}

/// How a rule rounds each record's points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rounding {
    /// 四舍五入, 进一 or 去尾.
    pub mode: RoundingMode,
    /// Decimal places kept (0: whole points).
    pub places: u32,
}

impl Rounding {
    /// `value` rounded as the rule says.
    pub fn apply(self, value: Decimal) -> Decimal {
        let strategy = match self.mode {
            RoundingMode::HalfUp => rust_decimal::RoundingStrategy::MidpointAwayFromZero,
            RoundingMode::Up => rust_decimal::RoundingStrategy::AwayFromZero,
            RoundingMode::Down => rust_decimal::RoundingStrategy::ToZero,
        };
        value.round_dp_with_strategy(self.places, strategy)
    }
}

/// The most decimal places a rule may keep.
pub const MAX_ROUNDING_PLACES: u32 = 10;

/// 条件 加倍.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Multiplier {
    /// When it applies.
    pub condition: Cond,
    /// The factor.
    pub factor: Decimal,
}

/// A typed condition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Cond {
    /// All hold.
    All(Vec<Cond>),
    /// Any holds.
    Any(Vec<Cond>),
    /// Does not hold.
    Not(Box<Cond>),
    /// A 是否 operand holds.
    Flag(Operand),
    /// operand op value (any of the values, for 为 / 不为).
    Compare {
        operand: Operand,
        op: CompareOp,
        values: Vec<Literal>,
    },
    /// The date lies within from..=to (month-days wrap around the year end).
    Between {
        operand: Operand,
        from: Literal,
        to: Literal,
    },
    /// The record is the N-th (…) of its kind for the subject in the period.
    Count(CountCondition),
}

/// What a condition reads.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Operand {
    /// A field of the record.
    Field(FieldRef),
    /// An attribute of the subject (index into its kind's attributes).
    Attribute {
        kind: KindId,
        index: usize,
        name: String,
        ty: ValueType,
    },
    /// The record's date (日期).
    Date,
}

impl Operand {
    /// The operand's name as written.
    pub fn name(&self) -> &str {
        match self {
            Operand::Field(f) => &f.name,
            Operand::Attribute { name, .. } => name,
            Operand::Date => "日期",
        }
    }

    /// The operand's type.
    pub fn ty(&self) -> ValueType {
        match self {
            Operand::Field(f) => f.ty.clone(),
            Operand::Attribute { ty, .. } => ty.clone(),
            Operand::Date => ValueType::Date,
        }
    }
}

/// 连续 N 年 无 …，加 M 分。
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StreakRule {
    /// N periods.
    pub periods: u32,
    /// The event kinds that break the streak.
    pub events: Vec<EventId>,
    /// The subject kind (the events' owner).
    pub kind: KindId,
    /// Signed points.
    pub points: Decimal,
    /// The statement.
    pub span: Span,
}

/// 评定
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rating {
    /// Its name (星级).
    pub name: String,
    /// The account it reads.
    pub account: AccountId,
    /// Rows, top-down, first match.
    pub rows: Vec<RatingRow>,
    /// The label when no row matches.
    pub otherwise: Option<String>,
    /// （限 类别 为 预备党员） — only subjects meeting it are rated; the others are 不参评.
    pub limit: Option<Cond>,
    /// The clause it is in.
    pub clause: ClauseId,
    /// The statement.
    pub span: Span,
    /// 每季度 / 每月: this rating is one window (quarter, month) of a windowed rating, which the
    /// checker writes as one rating per window (第一季度红黑榜, …), judged at the window's end.
    pub window: Option<RatingWindow>,
    /// （黑榜 不公布姓名） — labels the 公示表 shows as counts only.
    pub hidden: Vec<String>,
    /// 四个季度 均为「红榜」 …: a year rating from a windowed rating's labels (then `rows` is
    /// empty), first row that holds.
    pub series: Vec<SeriesRow>,
}

/// Which window of a windowed rating (每季度 评定 …) a rating is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RatingWindow {
    /// Quarters or months.
    pub unit: crate::syntax::ast::Every,
    /// Which one, from 0 (the period's first).
    pub index: usize,
    /// （按 本季度 户积分）: the window's own points; otherwise the balance at its end.
    pub own: bool,
    /// The first window's rating (a veto cancelling the rating cancels every window).
    pub group: RatingId,
    /// The name as written (红黑榜).
    pub base: String,
}

/// One row of a year rating from windows: a test on the labels, and the label given.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesRow {
    /// The test.
    pub test: SeriesTest,
    /// The label the windows must show (红榜).
    pub wanted: String,
    /// The windows' ratings, in order.
    pub windows: Vec<RatingId>,
    /// The label given.
    pub label: String,
}

/// What a year rating's row asks of the windows' labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SeriesTest {
    /// 四个季度 均为 …: every window.
    All,
    /// 连续 N 次 …: N windows in a row.
    Run(u32),
    /// … 达 N 次: N windows or more.
    Times(u32),
}

impl SeriesTest {
    /// Whether the windows' labels (`true` where the wanted label was given) pass.
    pub fn holds(self, hits: &[bool]) -> bool {
        match self {
            SeriesTest::All => !hits.is_empty() && hits.iter().all(|h| *h),
            SeriesTest::Run(n) => {
                let mut run = 0u32;
                let mut best = 0u32;
                for h in hits {
                    run = if *h { run + 1 } else { 0 };
                    best = best.max(run);
                }
                best >= n
            }
            SeriesTest::Times(n) => {
                u32::try_from(hits.iter().filter(|h| **h).count()).unwrap_or(u32::MAX) >= n
            }
        }
    }
}

/// 不低于 N 分 为 …
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RatingRow {
    /// ≥ (true) or > (false).
    pub inclusive: bool,
    /// The threshold.
    pub threshold: Decimal,
    /// The label.
    pub label: String,
    /// 60—79 分: the upper bound as written (the row is read from its lower bound up).
    pub upper: Option<Decimal>,
    /// Whether the upper bound is in the row (false for 60—80 分（不含）).
    pub upper_counts: bool,
    /// 前 N 名 / 前 x%: the row is by rank among the subjects rated, not by a threshold.
    pub top: Option<RankTop>,
}

/// 按 账户 排名 …
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankRule {
    /// The account ranked.
    pub account: AccountId,
    /// 按 属性 分别排: the attribute (of the account's owner) whose values are ranked apart.
    pub group: Option<usize>,
    /// 不含 被一票否决 的户: subjects with a veto in effect in the period are not ranked; they
    /// take no place and do not count towards 前 x%.
    pub excludes_vetoed: bool,
    /// The awards.
    pub awards: Vec<RankAward>,
    /// Ties at a boundary.
    pub ties: TiePolicy,
    /// The clause it is in.
    pub clause: ClauseId,
    /// The statement.
    pub span: Span,
}

/// 前 N 名 / 前 x% …
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankAward {
    /// How many.
    pub top: RankTop,
    /// What they get.
    pub prize: RankPrize,
}

pub use crate::syntax::ast::RankTop;

/// A rank prize.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum RankPrize {
    /// A title.
    Title(String),
    /// Signed points into an account.
    Points { account: AccountId, points: Decimal },
}

/// 分红
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dividend {
    /// The account whose points decide the shares.
    pub account: AccountId,
    /// The name of the amount given at evaluation (净利润), if named.
    pub pool_name: Option<String>,
    /// The share of that amount that is the pool, in percent.
    pub percent: Decimal,
    /// 按 户积分 每分 2.5 元 计发: money per point in fen; `None` shares a pool.
    pub per_point_fen: Option<i64>,
    /// 不足 N 分 的户 不参与: fewer points than this, no share.
    pub min_points: Option<Decimal>,
    /// 取整到 元 / 角: each household's money in whole units of this many fen (1: to the fen).
    pub unit_fen: i64,
    /// How money per point is rounded to the unit (四舍五入 unless written).
    pub rounding: RoundingMode,
    /// 零头 留归集体 (`false`) or 按 最大余数 分配 (`true`, the default) — a pool's units
    /// left over after each share is rounded down.
    pub largest_remainder: bool,
    /// 负分 照扣: with money per point, a household below zero pays its points' worth.
    pub deduct_negative: bool,
    /// The clause it is in.
    pub clause: ClauseId,
    /// The statement.
    pub span: Span,
}

/// 示例 — a worked example, typed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Example {
    /// Its name.
    pub name: String,
    /// Its subjects (households and members), in order.
    pub subjects: Vec<ExampleSubject>,
    /// Its event records.
    pub events: Vec<ExampleEvent>,
    /// 分红 N 元 — the amount given at evaluation, in fen.
    pub pool_fen: Option<i64>,
    /// What is expected.
    pub expectations: Vec<ExampleExpectation>,
    /// The whole example.
    pub span: Span,
}

/// A household or member of an example.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExampleSubject {
    /// Its kind.
    pub kind: KindId,
    /// Its id (户号 or person id).
    pub id: String,
    /// The household a member belongs to.
    pub household: Option<String>,
    /// Attribute values by index; absent attributes are `None`.
    pub values: Vec<Option<Literal>>,
    /// Where it is written.
    pub span: Span,
}

/// An event record of an example.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExampleEvent {
    /// Its date.
    pub date: Date,
    /// The subject's id.
    pub subject: String,
    /// Its kind.
    pub event: EventId,
    /// Field values by index.
    pub values: Vec<Option<Literal>>,
    /// Where it is written.
    pub span: Span,
}

/// An expected figure of an example.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExampleExpectation {
    /// The subject's id.
    pub subject: String,
    /// What.
    pub expected: Expected,
    /// Where it is written.
    pub span: Span,
}

/// What is expected.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Expected {
    /// An account's total, or (`group`, its index among the account's groups) one of its
    /// groups' points (分项).
    Points {
        account: AccountId,
        group: Option<usize>,
        points: Decimal,
    },
    /// A rating's label.
    Rating { rating: RatingId, label: String },
    /// The rating was cancelled by a veto.
    RatingCancelled { rating: RatingId },
    /// The dividend in fen.
    Dividend(i64),
    /// Dividend eligibility.
    Eligible(bool),
}

impl Compact {
    /// The clause numbered `number`.
    pub fn clause_by_number(&self, number: u32) -> Option<&Clause> {
        self.clauses.iter().find(|c| c.number == number)
    }

    /// The subject kind whose points `clause` scores (its first rule's), if it scores any.
    pub fn clause_kind(&self, clause: &Clause) -> Option<KindId> {
        clause.rules.iter().find_map(|rule| match rule {
            Rule::Base(b) => Some(b.kind),
            Rule::Streak(s) => Some(s.kind),
            Rule::Event(e) => e
                .events
                .first()
                .and_then(|&id| self.events.get(id))
                .map(|k| k.owner),
        })
    }

    /// Whether `clause` counts the records (or base points) of a roster's persons in their
    /// households: in a household account, or under a 每户 cap or 只计一次. Every person of
    /// that roster must then name a household (户号).
    pub fn reaches_household(&self, clause: &Clause) -> bool {
        if self.clause_kind(clause).is_none_or(|k| k == HOUSEHOLD) {
            return false;
        }
        clause.per == Per::Household
            || clause
                .accounts
                .iter()
                .any(|&id| self.accounts.get(id).is_some_and(|a| a.owner == HOUSEHOLD))
            || clause.rules.iter().any(|rule| match rule {
                Rule::Event(e) => {
                    e.once_per == Per::Household || e.caps.iter().any(|c| c.per == Per::Household)
                }
                _ => false,
            })
    }

    /// The first clause that counts the persons of roster `kind` in their households (see
    /// [`Self::reaches_household`]), if any.
    pub fn household_clause_of(&self, kind: KindId) -> Option<&Clause> {
        self.clauses
            .iter()
            .find(|c| self.clause_kind(c) == Some(kind) && self.reaches_household(c))
    }

    /// Whether any clause counts a roster's persons in their households.
    pub fn rolls_up(&self) -> bool {
        self.clauses.iter().any(|c| self.reaches_household(c))
    }

    /// The default account of subject kind `kind`.
    pub fn default_account(&self, kind: KindId) -> Option<AccountId> {
        self.accounts
            .iter()
            .position(|a| a.owner == kind && a.is_default)
            .or_else(|| self.accounts.iter().position(|a| a.owner == kind))
    }
}
