//! The abstract syntax tree of a compact: what was written, with spans, before any name is
//! resolved or any type checked.
//!
//! Lowering (`lower.rs`) builds it from pest's parse tree; the checker (`crate::check`) turns it
//! into the typed [`crate::model::Compact`]; the formatter (`crate::fmt`) prints it back. Values
//! are normalised here — 十二, １２ and 12 are the same number, 「」 and “” the same quotes — so two
//! spellings of one compact give equal ASTs ([`Spanned`] equality ignores spans).

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::Serialize;

pub use super::span::{Span, Spanned};

/// A name as written (a quoted name is stored without its quotes).
pub type Name = Spanned<String>;

/// A parsed compact file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceFile {
    /// 乡约「…」 — the compact's title (or 模板「…」's, with `template`).
    pub title: Name,
    /// Whether the head is 模板「…」: a township's or county's template, whose clauses are the
    /// limits of the compacts built on it.
    pub template: bool,
    /// 版本, 生效, 周期 in the order written.
    pub settings: Vec<Spanned<Setting>>,
    /// 户籍, 名册, 账户, 事项 in the order written.
    pub declarations: Vec<Spanned<Declaration>>,
    /// Clauses written before the first chapter.
    pub loose_clauses: Vec<Clause>,
    /// 第N章 with their clauses.
    pub chapters: Vec<Chapter>,
    /// 示例 — worked examples.
    pub examples: Vec<Example>,
    /// Comments (`#` or `＃` to the end of a line), in source order, without the marker.
    pub comments: Vec<Spanned<String>>,
}

/// A header setting.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Setting {
    /// 版本「…」 — the version label.
    Version(String),
    /// 生效 — the effective date.
    Effective(Date),
    /// 周期 每年 [自 M月D日 起] — the period; `None` is the calendar year.
    Period(Option<MonthDay>),
    /// 依据「…」 — the template this compact is built on, by its title.
    Basis(Name),
    /// 自选加分项 至多 N 项，每项 至多 M 分 — in a template: how many items of its own (and
    /// how many points each) a village may add.
    OptionalLimit {
        /// 加分 (`Add`) or 扣分 (`Deduct`) items.
        sign: Sign,
        /// At most this many items.
        count: u32,
        /// At most this many points per item.
        points: Decimal,
    },
}

/// A month and day (3月1日), as in a period start or a date condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct MonthDay {
    /// 1–12.
    pub month: u8,
    /// 1–31.
    pub day: u8,
}

/// A declaration before the clauses.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Declaration {
    /// 户籍 { … } — the household register's columns.
    Register(Vec<FieldDecl>),
    /// 名册 党员 { … } — a roster of persons, a second kind of subject.
    Roster { name: Name, fields: Vec<FieldDecl> },
    /// 账户 户积分（默认）：最低 0 分 — a points account (track).
    Account(AccountDecl),
    /// 事项 义务投工 { 天数：数量（天） } — an event kind.
    Event(EventDecl),
}

/// `名称：类型` inside braces.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldDecl {
    /// The field or attribute name.
    pub name: Name,
    /// Its declared type.
    pub ty: Spanned<TypeExpr>,
}

/// A declared type.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum TypeExpr {
    /// 整数
    Integer,
    /// 数量 / 小数, with an optional unit: 数量（天）.
    Quantity(Option<Name>),
    /// 金额 — money in 元.
    Money,
    /// 文本
    Text,
    /// 是否
    Bool,
    /// 日期
    Date,
    /// 分数 — a points value given by the record (for discretionary ranges and redemptions).
    Points,
    /// 选项（甲、乙、丙）
    Choice(Vec<Name>),
}

/// 账户 …
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccountDecl {
    /// The account's name.
    pub name: Name,
    /// 默认 — the default account of its owner.
    pub is_default: bool,
    /// 属 党员 — whose account it is (households when absent).
    pub owner: Option<Name>,
    /// 最低 0 分 — the period balance never goes below this.
    pub floor: Option<Spanned<Decimal>>,
    /// 每年 至多 加 300 分 — caps on the account per window.
    pub caps: Vec<Spanned<Cap>>,
    /// 只加不减 — written.
    pub never_reduced: bool,
    /// 余额结转 — written.
    pub carries: bool,
    /// 每年 M月D日 清零 — each written (the checker refuses a second).
    pub clears: Vec<Spanned<MonthDay>>,
    /// 积分有效期 N 年 — each written, the years as written (the checker refuses 0, a fraction
    /// or a second).
    pub expiry: Vec<Spanned<Decimal>>,
    /// 先进先出 — written.
    pub spend_oldest: bool,
    /// 基础分 100 分 — the base points each period (with groups: their sum as written).
    pub base: Option<Spanned<Decimal>>,
    /// 分为「环境卫生」30 分、… — groups of items with their own base points.
    pub groups: Vec<GroupDecl>,
    /// 各项 最低 N 分 (扣完为止 is 0) — written.
    pub group_floor: Option<Spanned<Decimal>>,
    /// 各项 扣完为止 — written (the floor 0 said in words).
    pub group_to_zero: bool,
    /// 加满为止 — additions to a group stop at its base.
    pub group_full: bool,
}

/// 「环境卫生」30 分 — a group of items in an account.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupDecl {
    /// Its name.
    pub name: Name,
    /// Its base points.
    pub base: Spanned<Decimal>,
}

/// 事项 …
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventDecl {
    /// The event kind's name.
    pub name: Name,
    /// 归 党员 — whose account the event lands on (households when absent).
    pub attribution: Option<Name>,
    /// 需 证明、照片 — the evidence a record must carry to score.
    pub evidence: Vec<Name>,
    /// Its typed fields.
    pub fields: Vec<FieldDecl>,
}

/// 第N章 with its statements and clauses.
#[derive(Debug, Clone, Serialize)]
pub struct Chapter {
    /// N.
    pub number: Spanned<u32>,
    /// The title after 第N章.
    pub title: Option<Name>,
    /// 本章 每年 至多 100 分。
    pub caps: Vec<Spanned<Cap>>,
    /// Its clauses.
    pub clauses: Vec<Clause>,
    /// The head line.
    pub span: Span,
}

/// 第N条 with its statements.
#[derive(Debug, Clone, Serialize)]
pub struct Clause {
    /// N.
    pub number: Spanned<u32>,
    /// The title after 第N条.
    pub title: Option<Name>,
    /// Its statements, in order.
    pub statements: Vec<Spanned<Statement>>,
    /// The head line.
    pub span: Span,
}

// Equality of the nodes that carry a bare span ignores it, like `Spanned` does.

impl PartialEq for Chapter {
    fn eq(&self, other: &Self) -> bool {
        self.number == other.number
            && self.title == other.title
            && self.caps == other.caps
            && self.clauses == other.clauses
    }
}

impl PartialEq for Clause {
    fn eq(&self, other: &Self) -> bool {
        self.number == other.number
            && self.title == other.title
            && self.statements == other.statements
    }
}

impl PartialEq for Example {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.items == other.items
    }
}

/// A statement inside a clause.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Statement {
    /// 原文：… — the voted text, verbatim (one line; several make paragraphs).
    Prose(String),
    /// 本条 可选。 / （可选） on the head line — in a template, an item a village may leave out.
    Optional,
    /// 例外于 第N条。
    Except(Vec<Spanned<u32>>),
    /// 与 第N条 取最高。
    Highest(Vec<Spanned<u32>>),
    /// 计入 账户、账户「分项」。 — the accounts, and per account the group named (if any).
    Credit(Vec<Name>, Vec<Option<Name>>, Vec<Option<Spanned<Decimal>>>),
    /// 每户 加 人口 × 10 分。
    Base(BaseRule),
    /// 凡 事项 …，效果；修饰。
    Event(EventRule),
    /// 连续 3 年 无 违法犯罪，加 10 分。
    Streak(StreakRule),
    /// 评定 星级（按 户积分）：…
    Rating(RatingRule),
    /// 按 户积分 排名，前 10 名 …
    Rank(RankRule),
    /// 分红：净利润 的 49%，按 户积分 比例 分配。
    Dividend(DividendRule),
}

/// 加 or 扣.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Sign {
    /// 加 — an award.
    Add,
    /// 扣 / 减 — a deduction.
    Deduct,
}

/// `每户 …` or `每名 党员 …`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BaseRule {
    /// `None` for 每户; the roster's name for 每名 X.
    pub subject: Option<Name>,
    /// 加 / 扣.
    pub sign: Sign,
    /// The amount.
    pub amount: Spanned<BaseAmount>,
    /// Multipliers after 「；」.
    pub multipliers: Vec<Spanned<Multiplier>>,
}

/// The amount of a base rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum BaseAmount {
    /// 60 分
    Fixed(Decimal),
    /// 人口 × 10 分 (also written 10 × 人口 分)
    PerAttribute { attribute: Name, points: Decimal },
}

/// `凡 …`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventRule {
    /// The event kinds it applies to (凡 甲、乙).
    pub events: Vec<Name>,
    /// 且 … — the condition on the record, subject and counts.
    pub condition: Option<Spanned<Condition>>,
    /// What it does.
    pub effect: Spanned<Effect>,
    /// Multipliers and caps after 「；」, in order.
    pub modifiers: Vec<Spanned<Modifier>>,
}

/// What an event rule does to the subject.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Effect {
    /// `[每次|每天|每满 100 元] 加 N 分` or `加 5～10 分`.
    Award {
        per: Option<Spanned<PerUnit>>,
        sign: Sign,
        points: Spanned<AwardPoints>,
    },
    /// 按 级别：县级 加 10 分，…
    Table {
        field: Name,
        rows: Vec<Spanned<TableRow>>,
    },
    /// 按 时长 累计：满 10 小时 加 2 分，…
    Ladder {
        field: Name,
        rungs: Vec<Spanned<Rung>>,
    },
    /// 从 兑换积分 支出 所用积分
    Redeem {
        account: Name,
        field: Name,
        /// 按 物品：洗衣液 20 分，… — the price of each good (`field` names the good).
        prices: Option<Vec<Spanned<PriceRow>>>,
    },
    /// 不计分 / 不扣分 / 不加分 (the word is kept as written)
    NoPoints(NoPointsWord),
    /// 一票否决：…
    Veto(Vec<Spanned<VetoItem>>),
    /// 修复 第N条[、第M条] [为 扣 N 分]
    Repair {
        /// The clauses whose effects on the subject are lifted.
        targets: Vec<Spanned<u32>>,
        /// What is booked instead, if anything was lifted.
        replacement: Option<(Sign, Decimal)>,
    },
}

/// How 'no points' was said; all mean the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum NoPointsWord {
    /// 不计分 / 不计
    Score,
    /// 不扣分
    Deduct,
    /// 不加分
    Add,
}

/// 每次 / 每天 / 每 2 小时 / 每满 100 元.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum PerUnit {
    /// 每次 — per record.
    Occurrence,
    /// 每[满] [N] 单位.
    Unit {
        /// 满 — whole steps only (floor); otherwise proportional.
        whole: bool,
        /// N (1 when absent).
        step: Decimal,
        /// The unit word (天, 小时, 元 …).
        unit: Name,
    },
}

/// The points of an award.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum AwardPoints {
    /// N 分
    Fixed(Decimal),
    /// N～M 分（以 字段 为准） — the record fixes the amount within the range.
    Range {
        min: Decimal,
        max: Decimal,
        field: Option<Name>,
    },
}

/// One row of a table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableRow {
    /// The values it matches; empty for 其余.
    pub keys: Vec<Spanned<Value>>,
    /// 加 / 扣.
    pub sign: Sign,
    /// N 分.
    pub points: Decimal,
}

/// 洗衣液 20 分 / 香皂、肥皂 5 分 — a row of a redemption's price table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PriceRow {
    /// The goods at this price.
    pub goods: Vec<Spanned<String>>,
    /// The price in points.
    pub points: Decimal,
}

/// 满 N 单位 加 M 分.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rung {
    /// N.
    pub threshold: Decimal,
    /// The unit word, if written.
    pub unit: Option<Name>,
    /// 加 / 扣.
    pub sign: Sign,
    /// M.
    pub points: Decimal,
}

/// One effect of a veto.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum VetoItem {
    /// 取消 分红资格
    CancelDividend,
    /// 取消 星级 评定资格
    CancelRating(Name),
    /// 户积分 清零
    ZeroAccount(Name),
    /// 星级 降为「零星」 — the rating is at most this grade.
    Downgrade {
        /// The rating.
        rating: Name,
        /// The grade.
        label: Spanned<Value>,
    },
}

/// A modifier after 「；」.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Modifier {
    /// 每年 至多 40 分
    Cap(Cap),
    /// 党员户 加倍
    Multiplier(Multiplier),
    /// 有效 2 年 — the record counts in this many periods, its own first.
    Validity(u32),
    /// 四舍五入 保留 1 位小数 — how each record's points are rounded.
    Rounding(Rounding),
    /// 同一 活动编号 只计一次 — one record per value of the field counts.
    Once(Once),
}

/// `[每人|每户] 同一 字段 只计一次`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Once {
    /// 每人 / 每户 if written.
    pub scope: Option<Whose>,
    /// The field naming the activity.
    pub field: Name,
}

/// 每人 / 每户 before 只计一次 or a rule's cap, as written: whose records are compared, or
/// whose running sum the cap counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Whose {
    /// 每人 — each person (a roster's member).
    Person,
    /// 每户 — each household.
    Household,
}

/// `[四舍五入|进一|去尾] 取整 | 保留 N 位小数 | 到 0.1 分`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rounding {
    /// How a value between two steps goes.
    pub mode: RoundingMode,
    /// To what.
    pub target: RoundingTarget,
}

/// What a rounding keeps, as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum RoundingTarget {
    /// 取整
    Whole,
    /// 保留 N 位小数
    Places(u32),
    /// 到 0.1 分 — the checker accepts 1, 0.1, 0.01 … only.
    Step(Decimal),
}

/// 四舍五入 (the default when only 保留 … is written), 进一 (up, away from zero), 去尾
/// (down, towards zero).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum RoundingMode {
    /// 四舍五入 — half away from zero.
    HalfUp,
    /// 进一 — any remainder goes up (away from zero).
    Up,
    /// 去尾 — the remainder is dropped (towards zero).
    Down,
}

/// `每年 至多 [加|扣] N 分`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cap {
    /// 每人 / 每户 before a rule's cap, if written (chapters and accounts have none).
    pub scope: Option<Whose>,
    /// The window the cap counts over.
    pub window: Window,
    /// 加 / 扣 if written; otherwise the rule's own direction.
    pub sign: Option<Sign>,
    /// N.
    pub limit: Decimal,
}

/// The window of a cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Window {
    /// 每年 / 本期 / 每期 — the evaluation period.
    Period,
    /// 每季度
    Quarter,
    /// 每月
    Month,
}

/// `条件 加倍` / `条件 按 N 倍` / `条件 减半`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Multiplier {
    /// When it applies.
    pub condition: Spanned<Condition>,
    /// The factor.
    pub factor: Decimal,
}

/// A condition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Condition {
    /// 甲 且 乙
    All(Vec<Spanned<Condition>>),
    /// 甲 或 乙
    Any(Vec<Spanned<Condition>>),
    /// 非 甲 / 未 甲 / 非 (…)
    Not(Box<Spanned<Condition>>),
    /// 甲 (a 是否 field or attribute that holds)
    Flag(Name),
    /// 甲 为 乙、丙 / 甲 不低于 3
    Compare {
        subject: Name,
        op: CompareOp,
        values: Vec<Spanned<Value>>,
    },
    /// 日期 在 6月1日 至 8月31日
    Between {
        subject: Name,
        from: Spanned<Value>,
        to: Spanned<Value>,
    },
    /// 本年第一次 / 第三次起 / 前两次; the period word (本年, 当年, 本期 …) as written.
    Count {
        count: CountCondition,
        period_word: Option<String>,
    },
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum CompareOp {
    /// 为 / 是 / 等于
    Eq,
    /// 不为 / 不是 / 不等于
    Ne,
    /// 不低于 / 不少于 / ≥
    Ge,
    /// 高于 / 多于 / 超过 / >
    Gt,
    /// 不高于 / 不超过 / ≤
    Le,
    /// 低于 / 少于 / <
    Lt,
    /// 不早于
    NotBefore,
    /// 不晚于
    NotAfter,
    /// 早于
    Before,
    /// 晚于
    After,
}

/// A condition on how many times the subject has had this event kind in the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CountCondition {
    /// 第 N 次 — exactly the N-th.
    Nth(u32),
    /// 第 N 次起 — the N-th and later.
    From(u32),
    /// 前 N 次 — the first N.
    FirstN(u32),
}

/// A literal value in a condition, a table row or an example.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Value {
    /// Text: an option, a name, 是/否 (quoted or bare).
    Text(String),
    /// A number with an optional unit word (3 天, 10).
    Number {
        value: Decimal,
        unit: Option<String>,
    },
    /// 100 元 (stored in fen).
    Money(i64),
    /// 2024年3月1日
    Date(Date),
    /// 3月1日
    MonthDay(MonthDay),
}

/// `连续 N 年 无 事项，加 M 分`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StreakRule {
    /// N periods.
    pub periods: Spanned<u32>,
    /// 年 or 期, as written.
    pub unit: String,
    /// The event kinds that break the streak.
    pub events: Vec<Name>,
    /// 加 / 扣.
    pub sign: Sign,
    /// M.
    pub points: Spanned<Decimal>,
}

/// `评定 星级（按 户积分）：…`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RatingRule {
    /// The rating's name (星级).
    pub name: Name,
    /// The account it reads (the default when absent).
    pub account: Option<Name>,
    /// Rows, top-down, first match.
    pub rows: Vec<Spanned<RatingRow>>,
    /// 其余 为 … — the label when no row matches.
    pub otherwise: Option<Spanned<String>>,
    /// （限 类别 为 预备党员） — only subjects meeting it are rated.
    pub limit: Option<Spanned<Condition>>,
    /// 每季度 / 每月 — judged at the end of each quarter (month) of the period.
    pub every: Option<Spanned<Every>>,
    /// （按 本季度 户积分） — the window's own points rather than the balance so far.
    pub own: Option<Spanned<Every>>,
    /// （黑榜 不公布姓名） — labels published as counts only.
    pub hidden: Vec<Spanned<String>>,
    /// 四个季度 均为「红榜」 … — a year rating from the windows' lists (then `rows` is empty).
    pub series: Vec<Spanned<SeriesRow>>,
}

/// A part of the period a rating is judged in: a quarter or a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Every {
    /// 季度
    Quarter,
    /// 月
    Month,
}

impl Every {
    /// How many in a period.
    pub fn count(self) -> usize {
        match self {
            Every::Quarter => 4,
            Every::Month => 12,
        }
    }
}

/// `四个季度 均为「红榜」 为「年度文明户」`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesRow {
    /// What the windows' labels must show.
    pub test: SeriesTest,
    /// The label given (the rating's name when not written).
    pub label: Option<String>,
}

/// A test on the labels a subject had in each window of a windowed rating.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum SeriesTest {
    /// 四个季度 / 十二个月 均为「label」.
    All {
        /// The windows named.
        unit: Every,
        /// The label.
        label: Spanned<String>,
    },
    /// 连续 N 次 (个季度, 个月) 登上「label」.
    Run {
        /// N.
        times: u32,
        /// 个季度 / 个月; `None` for 次.
        unit: Option<Every>,
        /// The label.
        label: Spanned<String>,
    },
    /// 登上「label」 达 N 次 以上.
    Times {
        /// The label.
        label: Spanned<String>,
        /// N.
        times: u32,
        /// 以上 written.
        more: bool,
    },
}

impl SeriesTest {
    /// The label the test reads.
    pub fn label(&self) -> &Spanned<String> {
        match self {
            SeriesTest::All { label, .. }
            | SeriesTest::Run { label, .. }
            | SeriesTest::Times { label, .. } => label,
        }
    }
}

/// `不低于 120 分 为 五星`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RatingRow {
    /// 不低于 (inclusive) or 高于 (exclusive).
    pub inclusive: bool,
    /// The threshold.
    pub threshold: Decimal,
    /// The label.
    pub label: String,
    /// How the bound was written: 不低于 N 分, N—M 分 (with M) or N 分 以上.
    pub form: RowForm,
}

/// How a rating row's bound was written.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum RowForm {
    /// 不低于 N 分 / 高于 N 分.
    Bound,
    /// N—M 分: from N up to M (`upper`), counted unless written M 分（不含） (`upper_counts`).
    Range { upper: Decimal, upper_counts: bool },
    /// N 分 以上 (及以上).
    Above,
    /// 前 N 名 / 前 x%: the subjects with the most points (ties at the boundary all in).
    Top(RankTop),
}

/// `按 户积分 排名，前 10 名 …；并列 均得`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankRule {
    /// The account ranked.
    pub account: Name,
    /// 按 属性 分别排: the attribute whose values are ranked apart.
    pub group: Option<Name>,
    /// 不含 被一票否决 的户 — subjects vetoed in the period take no part; the words written
    /// after 被一票否决 (的户, 的家庭, 者 …, or nothing) are kept for the formatter.
    pub excludes_vetoed: Option<String>,
    /// The awards, in order.
    pub awards: Vec<Spanned<RankAward>>,
    /// How ties at the boundary are treated.
    pub ties: TiePolicy,
}

/// One rank award.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankAward {
    /// 前 N 名 / 前 x%.
    pub top: RankTop,
    /// What the top get.
    pub prize: RankPrize,
}

/// 前 N 名 or 前 x%.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum RankTop {
    /// 前 N 名
    Count(u32),
    /// 前 x% (x as a percentage, 5 for 5%)
    Percent(Decimal),
}

/// The prize of a rank award.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum RankPrize {
    /// 授予「积分之星」
    Title(String),
    /// 加 10 分 计入 荣誉积分
    Points {
        sign: Sign,
        points: Decimal,
        account: Option<Name>,
    },
}

/// Ties at the boundary of a rank award.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TiePolicy {
    /// 并列 均得 — everyone tied with the last place included is included (the default).
    AllTied,
    /// 并列 按户号 — ties broken by household id, the list is cut exactly.
    ById,
}

/// `分红：[池 的 x%，] 按 账户 比例 分配`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DividendRule {
    /// The named amount given at evaluation (净利润), and the share of it.
    pub pool: Option<PoolShare>,
    /// The account whose points decide the shares.
    pub account: Name,
    /// 按 户积分 每分 2.5 元 计发 — money per point, in fen, instead of a pool.
    pub per_point: Option<Spanned<i64>>,
    /// What follows: 不足 N 分 不参与, 取整到 元, 零头 …, 负分 ….
    pub options: Vec<Spanned<DividendOption>>,
}

/// One statement after a dividend rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum DividendOption {
    /// 不足 60 分 的户 不参与.
    MinPoints(Decimal),
    /// [四舍五入|进一|去尾] 取整到 元/角 — the unit in fen (100 or 10).
    Round {
        /// The mode, if written.
        mode: Option<RoundingMode>,
        /// 100 for 元, 10 for 角.
        unit_fen: i64,
    },
    /// 零头 按 最大余数 分配 (`true`) / 零头 留归集体 (`false`).
    Remainder { largest: bool },
    /// 负分 照扣 (`true`) / 负分 不参与 (`false`).
    Negative { deduct: bool },
}

/// 净利润 的 49%.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PoolShare {
    /// The name of the amount given at evaluation.
    pub name: Name,
    /// The share in percent (100 when absent).
    pub percent: Option<Spanned<Decimal>>,
}

/// 示例「…」 — a worked example.
#[derive(Debug, Clone, Serialize)]
pub struct Example {
    /// Its name.
    pub name: Name,
    /// Its lines.
    pub items: Vec<Spanned<ExampleItem>>,
    /// The whole example.
    pub span: Span,
}

/// A line of a worked example.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ExampleItem {
    /// 户「甲」：人口 4，党员户 是。
    Household {
        id: Option<Name>,
        values: Vec<Assignment>,
    },
    /// 党员「张三」属「甲」：职务 书记。
    Member {
        roster: Name,
        id: Name,
        household: Option<Name>,
        values: Vec<Assignment>,
    },
    /// 2024年3月1日「甲」乱倒垃圾：当场改正 是。
    Event {
        date: Spanned<Date>,
        subject: Option<Name>,
        event: Name,
        values: Vec<Assignment>,
    },
    /// 分红 10000 元。
    Pool(Spanned<i64>),
    /// 应得「甲」：户积分 30 分，星级 为 无星，分红 100 元。
    Expect {
        subject: Option<Name>,
        expectations: Vec<Spanned<Expectation>>,
    },
}

/// `名称 值`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assignment {
    /// The attribute or field.
    pub name: Name,
    /// Its value.
    pub value: Spanned<Value>,
}

/// One expected figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Expectation {
    /// 户积分 30 分; 户积分「环境卫生」 0 分 (a group of the account).
    Points {
        account: Name,
        group: Option<Name>,
        points: Decimal,
    },
    /// 星级 为 五星
    Rating { rating: Name, label: String },
    /// 星级 取消 — the rating was cancelled by a veto.
    RatingCancelled { rating: Name },
    /// 分红 100 元 (in fen)
    Dividend(i64),
    /// 分红资格 有 / 无
    Eligible(bool),
}
