//! The checker's errors and warnings.
//!
//! Each variant has a stable code, a page under `docs/diagnostics/`, a fixture under
//! `tests/ui/`, and carries names and spans as data. Suggestions ("did you mean") are data too,
//! so an editor can offer them as quick fixes.

use miette::Diagnostic;
use serde::Serialize;
use thiserror::Error;

use crate::diagnostic::Fix;
use crate::syntax::Span;

/// `，可能是「X」` when there is a suggestion, nothing otherwise.
fn did_you_mean(suggestion: &Option<String>) -> String {
    match suggestion {
        Some(s) => format!("，是不是「{s}」"),
        None => String::new(),
    }
}

/// An error that stops a compact from being used.
#[derive(Debug, Clone, PartialEq, Error, Diagnostic, Serialize)]
pub enum CheckError {
    /// E0101 — a rule names an event kind (事项) that is not declared.
    #[error("没有声明事项「{name}」")]
    #[diagnostic(code(E0101), help("{}", unknown_help("事项", suggestion)))]
    UnknownEvent {
        #[label("未声明的事项{}", did_you_mean(suggestion))]
        span: Span,
        name: String,
        suggestion: Option<String>,
    },

    /// E0102 — a rule names a field that the event kind does not have (nor the subject).
    #[error("事项「{event}」没有字段「{name}」")]
    #[diagnostic(code(E0102), help("{}", unknown_help("字段", suggestion)))]
    UnknownField {
        #[label("未声明的字段{}", did_you_mean(suggestion))]
        span: Span,
        event: String,
        name: String,
        suggestion: Option<String>,
    },

    /// E0103 — an attribute that the register (户籍) or roster does not declare.
    #[error("{kind}没有属性「{name}」")]
    #[diagnostic(code(E0103), help("{}", unknown_help("属性", suggestion)))]
    UnknownAttribute {
        #[label("未声明的属性{}", did_you_mean(suggestion))]
        span: Span,
        kind: String,
        name: String,
        suggestion: Option<String>,
    },

    /// E0104 — an account (账户) that is not declared.
    #[error("没有声明账户「{name}」")]
    #[diagnostic(code(E0104), help("{}", unknown_help("账户", suggestion)))]
    UnknownAccount {
        #[label("未声明的账户{}", did_you_mean(suggestion))]
        span: Span,
        name: String,
        suggestion: Option<String>,
    },

    /// E0105 — a roster (名册) that is not declared.
    #[error("没有声明名册「{name}」")]
    #[diagnostic(code(E0105), help("{}", unknown_help("名册", suggestion)))]
    UnknownRoster {
        #[label("未声明的名册{}", did_you_mean(suggestion))]
        span: Span,
        name: String,
        suggestion: Option<String>,
    },

    /// E0106 — a rating (评定) that no clause defines.
    #[error("没有名为「{name}」的评定")]
    #[diagnostic(code(E0106), help("{}", unknown_help("评定", suggestion)))]
    UnknownRating {
        #[label("未定义的评定{}", did_you_mean(suggestion))]
        span: Span,
        name: String,
        suggestion: Option<String>,
    },

    /// E0107 — a per-unit award (每天, 每满 100 元) whose unit no field of the event kind has.
    #[error("事项「{event}」没有以「{unit}」计的字段")]
    #[diagnostic(code(E0107), help("{available}"))]
    UnknownUnit {
        #[label("找不到单位为「{unit}」的字段")]
        span: Span,
        event: String,
        unit: String,
        available: String,
    },

    /// E0108 — a value that is not one of a 选项 field's options.
    #[error("「{value}」不是「{field}」的选项")]
    #[diagnostic(
        code(E0108),
        help("「{field}」的选项有：{options}{}", did_you_mean(suggestion))
    )]
    UnknownOption {
        #[label("不在选项之中")]
        span: Span,
        value: String,
        field: String,
        options: String,
        suggestion: Option<String>,
    },

    /// E0109 — a value or operation that does not fit the declared type.
    #[error("「{name}」是{expected}，这里却{found}")]
    #[diagnostic(code(E0109), help("{help}"))]
    TypeMismatch {
        #[label("类型不符")]
        span: Span,
        name: String,
        expected: String,
        found: String,
        help: String,
    },

    /// E0110 — two clauses with the same number.
    #[error("第{}条出现了两次", crate::fmt::chinese_numeral(*number))]
    #[diagnostic(
        code(E0110),
        help("条号是村民引用条文的依据，每条应当不同；把后一条改为下一个未用的条号")
    )]
    DuplicateClause {
        #[label("重复的条号")]
        span: Span,
        #[label("第一次在这里")]
        first: Span,
        number: u32,
    },

    /// E0111 — a name declared twice (an attribute, a field, an event kind, an account …).
    #[error("{what}「{name}」声明了两次")]
    #[diagnostic(code(E0111), help("删去重复的一处，或改用不同的名称"))]
    DuplicateName {
        #[label("重复声明")]
        span: Span,
        #[label("第一次在这里")]
        first: Span,
        what: String,
        name: String,
    },

    /// E0112 — 例外于 / 取最高 names a clause that does not exist.
    #[error("没有第{}条", crate::fmt::chinese_numeral(*number))]
    #[diagnostic(code(E0112), help("检查条号；条文改号后，引用它的地方也要一起改"))]
    MissingClause {
        #[label("引用了不存在的条")]
        span: Span,
        number: u32,
    },

    /// E0113 — exceptions that go round in a circle (第五条 例外于 第六条, 第六条 例外于 第五条).
    #[error("例外关系成了循环：{cycle}")]
    #[diagnostic(
        code(E0113),
        help("例外是“这一条适用时，那一条不再适用”；互为例外时无法决定用哪一条，请删去其中一处")
    )]
    ExceptionCycle {
        #[label("这里的例外构成循环")]
        span: Span,
        cycle: String,
    },

    /// E0114 — rating rows or ladder rungs in an order where a later one can never apply.
    #[error("{what}的顺序不对：「{row}」永远不会适用")]
    #[diagnostic(code(E0114), help("{help}"))]
    OutOfOrder {
        #[label("前面的档次已经包含了这一档")]
        span: Span,
        what: String,
        row: String,
        help: String,
    },

    /// E0115 — a range whose lower end is above its upper end (10～5 分).
    #[error("分值区间 {min}～{max} 分 的下限大于上限")]
    #[diagnostic(code(E0115), help("写成 {max}～{min} 分"))]
    RangeReversed {
        #[label("下限大于上限")]
        span: Span,
        min: String,
        max: String,
    },

    /// E0116 — a rank award that puts points into the account it ranks by.
    #[error("按「{account}」排名的奖励分不能再计入「{account}」")]
    #[diagnostic(
        code(E0116),
        help("排名依据的积分加上排名奖励后名次会变；把奖励计入另一个账户，例如 计入 荣誉积分")
    )]
    RankIntoRankedAccount {
        #[label("奖励分计入了排名所依据的账户")]
        span: Span,
        account: String,
    },

    /// E0117 — a setting or result rule given twice (two 版本, two 分红 rules).
    #[error("{what}只能有一个")]
    #[diagnostic(code(E0117), help("删去其中一个"))]
    DuplicateSetting {
        #[label("又写了一次")]
        span: Span,
        #[label("第一次在这里")]
        first: Span,
        what: String,
    },

    /// E0118 — points of one kind of subject sent to another's account (党员 rules into 户积分).
    #[error("账户「{account}」属于{owner}，这条规则计分的是{subject}")]
    #[diagnostic(code(E0118), help("{help}"))]
    WrongOwner {
        #[label("账户的归属不符")]
        span: Span,
        account: String,
        owner: String,
        subject: String,
        help: String,
    },

    /// E0119 — a kind of subject is scored but has no account.
    #[error("{subject}还没有积分账户")]
    #[diagnostic(
        code(E0119),
        help("声明一个账户，例如 账户 {subject}积分（属 {subject}）")
    )]
    NoAccount {
        #[label("这里给{subject}计分")]
        span: Span,
        subject: String,
    },

    /// E0120 — two default accounts for one kind of subject.
    #[error("{subject}有两个默认账户")]
    #[diagnostic(code(E0120), help("只保留一个（默认）"))]
    TooManyDefaults {
        #[label("第二个默认账户")]
        span: Span,
        #[label("第一个在这里")]
        first: Span,
        subject: String,
    },

    /// E0121 — a rule needs one field of a type and the event kind has none or several.
    #[error("事项「{event}」{problem}")]
    #[diagnostic(code(E0121), help("{help}"))]
    AmbiguousField {
        #[label("不知道用哪个字段")]
        span: Span,
        event: String,
        problem: String,
        help: String,
    },

    /// E0122 — something written where it has no meaning (a count condition in a base rule).
    #[error("{place}里不能写{what}")]
    #[diagnostic(code(E0122), help("{help}"))]
    OutOfPlace {
        #[label("这里不能这样写")]
        span: Span,
        what: String,
        place: String,
        help: String,
    },

    /// E0124 — 本章 每年 至多 N 分 without 加/扣, in a chapter that both awards and deducts.
    #[error("本章既有加分也有扣分，上限 {limit} 分 没说是哪一种")]
    #[diagnostic(
        code(E0124),
        help("写明 本章 每年 至多 加 {limit} 分，或 本章 每年 至多 扣 {limit} 分")
    )]
    AmbiguousCap {
        #[label("是加分上限还是扣分上限")]
        span: Span,
        limit: String,
    },

    /// E0125 — 有效 0 年: a record counts at least in its own year.
    #[error("有效期至少是 1 年，这里写了 {years} 年")]
    #[diagnostic(
        code(E0125),
        help(
            "有效 1 年就是只在记录当年计分，可以不写；要在以后几年继续计分，写 有效 2 年、有效 3 年 等"
        )
    )]
    ZeroValidity {
        #[label("有效期不能是 0 年")]
        span: Span,
        years: u32,
    },

    /// E0126 — two caps over one window and in one direction on the same chapter, rule or
    /// account: `本章 每年 至多 扣 100 分。` and `本章 每年 至多 扣 200 分。`.
    #[error("{place}已有{window}{direction}上限 {first_limit} 分，这里又写了 {limit} 分")]
    #[diagnostic(
        code(E0126),
        help("{window}的{direction}上限只能有一个：留下村民表决的那个数，删去另一个")
    )]
    DuplicateCap {
        #[label("第二个上限")]
        span: Span,
        #[label("第一个上限")]
        first: Span,
        place: String,
        window: String,
        direction: String,
        first_limit: String,
        limit: String,
    },

    /// E0127 — a rounding that cannot be kept in decimal places: `四舍五入 到 0.5 分`,
    /// `保留 30 位小数`.
    #[error("「{written}」不是能用的取整方式")]
    #[diagnostic(
        code(E0127),
        help("取整到 1 分、0.1 分、0.01 分……，或保留 0 到 10 位小数，例如 四舍五入 保留 1 位小数")
    )]
    BadRounding {
        #[label("只能取整到十分位、百分位这样的位数")]
        span: Span,
        written: String,
    },

    /// E0128 — `每人` (before 只计一次 or a rule's cap) on a rule whose records are a
    /// household's: there is no person to count per.
    #[error("{problem}，不能写「{written}」")]
    #[diagnostic(code(E0128), help("{help}"))]
    ScopeMismatch {
        #[label("与记录计在谁身上不符")]
        span: Span,
        written: String,
        problem: String,
        help: String,
    },

    /// E0129 — a dividend option that does not fit the kind of dividend: 零头 with money per
    /// point (there is no pool), 四舍五入/进一 or 负分 照扣 when a pool is shared.
    #[error("{problem}")]
    #[diagnostic(code(E0129), help("{help}"))]
    DividendOption {
        #[label("这种分红不能这样写")]
        span: Span,
        problem: String,
        help: String,
    },

    /// E0130 — a rating row written as a range (60—79 分) whose bounds are reversed, or that
    /// overlaps the row above or leaves a gap of more than a point below it.
    #[error("评定「{rating}」的「{row}」档{problem}")]
    #[diagnostic(code(E0130), help("{help}"))]
    RatingRange {
        #[label("这一档的分数区间")]
        span: Span,
        rating: String,
        row: String,
        problem: String,
        help: String,
    },

    /// E0131 — a rule that can take points from an account declared 只加不减.
    #[error("账户「{account}」只加不减，{what}会减少它的分数")]
    #[diagnostic(code(E0131), help("{help}"))]
    ReducesNeverReduced {
        #[label("会减少「{account}」")]
        span: Span,
        account: String,
        what: String,
        help: String,
    },

    /// E0132 — an account that carries its balance (余额结转) and is also changed at the
    /// period's end (zeroed by a veto, given rank or streak points): what it carries would
    /// depend on an order the language does not state yet.
    #[error(
        "账户「{account}」余额结转，{what}要到年末才算，结转的余额是算它之前还是之后，尚无规定"
    )]
    #[diagnostic(code(E0132), help("{help}"))]
    CarriedAtPeriodEnd {
        #[label("年末才算")]
        span: Span,
        account: String,
        what: String,
        help: String,
    },

    /// E0136 — a year rating from windows (四个季度 均为「红榜」) naming a label that no rating
    /// judged per quarter or per month gives, or a label 不公布 that its rating does not give.
    #[error("评定「{rating}」{problem}")]
    #[diagnostic(code(E0136), help("{help}"))]
    WindowLabel {
        #[label("找不到这一档")]
        span: Span,
        rating: String,
        problem: String,
        help: String,
    },

    /// E0137 — quarters and months mixed up: 四个季度 over a monthly rating, 本季度 in a rating
    /// judged per month or once a year, 连续 3 个月 over a quarterly one.
    #[error("评定「{rating}」{problem}")]
    #[diagnostic(code(E0137), help("{help}"))]
    WindowUnit {
        #[label("季度与月对不上")]
        span: Span,
        rating: String,
        problem: String,
        help: String,
    },

    /// E0138 — a rating judged per quarter or month in a compact whose 周期 does not start on
    /// the first day of a month: its quarters and months would not be whole.
    #[error("评定「{rating}」按{unit}评定，但本细则的周期从 {start} 起，{unit}不能按整月划分")]
    #[diagnostic(
        code(E0138),
        help("把周期改为从某月 1 日起（如 `周期 每年 自 7月1日 起`），或改为每年评定一次")
    )]
    WindowPeriod {
        #[label("按{unit}评定")]
        span: Span,
        rating: String,
        unit: String,
        start: String,
    },

    /// E0139 — an account's groups (分为 …) whose base points do not add up to its 基础分.
    #[error("账户「{account}」基础分 {base} 分，分项合计 {sum} 分，两者不等")]
    #[diagnostic(code(E0139), help("{help}"))]
    GroupsDoNotSum {
        #[label("分项合计 {sum} 分")]
        span: Span,
        account: String,
        base: String,
        sum: String,
        help: String,
    },

    /// E0140 — 计入 账户「分项」 naming a group the account does not have.
    #[error("账户「{account}」没有分项「{group}」")]
    #[diagnostic(code(E0140), help("{help}"))]
    UnknownGroup {
        #[label("没有这个分项{}", did_you_mean(suggestion))]
        span: Span,
        account: String,
        group: String,
        suggestion: Option<String>,
        help: String,
    },

    /// E0141 — the same group twice in one account.
    #[error("账户「{account}」的分项「{group}」写了两次")]
    #[diagnostic(
        code(E0141),
        help("每个分项只写一次；两项内容不同的，给它们起不同的名称")
    )]
    DuplicateGroup {
        #[label("第二次")]
        span: Span,
        #[label("第一次")]
        first: Span,
        account: String,
        group: String,
    },

    /// E0142 — groups or their floors that cannot mean what they say: a group floor without
    /// groups, a floor not below a group's base, groups on an account that carries its balance.
    #[error("账户「{account}」{problem}")]
    #[diagnostic(code(E0142), help("{help}"))]
    BadGroups {
        #[label("{label}")]
        span: Span,
        account: String,
        problem: String,
        label: String,
        help: String,
    },

    /// E0150 — more ratings (each window counted) or more accounts of one subject than the
    /// evaluator can keep apart.
    #[error("本细则共有 {count} 个{what}{counting}，超过了程序能分开记录的 {limit} 个")]
    #[diagnostic(
        code(E0150),
        help("合并用途相同的{what}；按月评定的榜单可以改为按季度评定")
    )]
    TooMany {
        #[label("到这里已超过 {limit} 个")]
        span: Span,
        what: String,
        count: usize,
        counting: String,
        limit: usize,
    },

    /// E0133 — 每年 M月D日 清零 written twice, on 2月29日, or on an account that is 只加不减.
    #[error("账户「{account}」{problem}")]
    #[diagnostic(code(E0133), help("{help}"))]
    ClearingDate {
        #[label("清零日期")]
        span: Span,
        account: String,
        problem: String,
        help: String,
    },

    /// E0134 — 积分有效期 N 年 with N not a whole number of years from 1, or written twice.
    #[error("账户「{account}」{problem}")]
    #[diagnostic(code(E0134), help("{help}"))]
    BadExpiry {
        #[label("有效期")]
        span: Span,
        account: String,
        problem: String,
        help: String,
    },

    /// E0135 — 积分有效期 on an account that is also cleared each year or 只加不减.
    #[error("账户「{account}」{problem}")]
    #[diagnostic(code(E0135), help("{help}"))]
    ExpiryConflict {
        #[label("有效期")]
        span: Span,
        #[label("{other}")]
        with: Option<Span>,
        other: String,
        account: String,
        problem: String,
        help: String,
    },

    /// E0123 — a worked example names a household or member it does not list, or leaves one
    /// ambiguous.
    #[error("示例「{example}」{problem}")]
    #[diagnostic(code(E0123), help("{help}"))]
    ExampleSubject {
        #[label("无法确定是哪一户或哪一人")]
        span: Span,
        example: String,
        problem: String,
        help: String,
    },

    /// E0143 — a village's clause goes beyond its template: an amount outside the template's
    /// range, a cap raised or dropped, a rating threshold lowered, a rule the template's item
    /// does not have.
    #[error("第{}条「{item}」超出了模板「{template}」的范围：{detail}", crate::fmt::chinese_numeral(*number))]
    #[diagnostic(
        code(E0143),
        help(
            "依据模板的乡约只能在模板的范围之内收窄：分值取模板区间之内的值，上限不高于模板的上限（不能去掉），评定门槛不低于模板的门槛；要放宽，须先改模板"
        )
    )]
    TemplateWidened {
        #[label("超出模板第{}条", crate::fmt::chinese_numeral(*template_number))]
        span: Span,
        number: u32,
        item: String,
        template: String,
        template_number: u32,
        detail: String,
    },

    /// E0144 — more items of the village's own (自选项) of one direction than its template
    /// allows.
    #[error("自选{direction}项有 {count} 项，模板「{template}」至多允许 {limit} 项")]
    #[diagnostic(
        code(E0144),
        help("删去多出的自选项，或把它并入相近的模板项；模板里没有的条文都算自选项")
    )]
    TooManyOptional {
        #[label("第 {count} 项自选{direction}项")]
        span: Span,
        direction: String,
        count: usize,
        limit: u32,
        template: String,
    },

    /// E0145 — an item of the village's own worth more points than its template allows per
    /// item (or a veto, which a village cannot add of its own).
    #[error("自选{direction}项第{}条「{item}」{detail}，模板「{template}」规定每项至多 {limit} 分", crate::fmt::chinese_numeral(*number))]
    #[diagnostic(
        code(E0145),
        help("把这一项的分值改在限额之内；一票否决等重大事项须写进模板，不能作自选项")
    )]
    OptionalOverLimit {
        #[label("超过每项限额")]
        span: Span,
        direction: String,
        number: u32,
        item: String,
        detail: String,
        limit: String,
        template: String,
    },

    /// E0146 — a mandatory (必选) item of the template that the village's compact leaves out.
    #[error("缺少模板「{template}」的必选项第{}条「{item}」", crate::fmt::chinese_numeral(*template_number))]
    #[diagnostic(code(E0146), help("{help}"))]
    MandatoryItemMissing {
        #[label("依据的模板要求这一项")]
        span: Span,
        template: String,
        template_number: u32,
        item: String,
        help: String,
    },

    /// E0147 — the template named by 依据 cannot be used: not found, not a template (its head
    /// is not 模板「…」), or it has errors of its own.
    #[error("依据的模板「{name}」{problem}")]
    #[diagnostic(code(E0147), help("{help}"))]
    TemplateUnavailable {
        #[label("无法使用的模板")]
        span: Span,
        name: String,
        problem: String,
        help: String,
    },

    /// E0148 — a template that is built on itself, directly or through other templates.
    #[error("模板依据成环：{chain}")]
    #[diagnostic(
        code(E0148),
        help("模板只能依据上级（县、区）的模板；删去这行 依据，或改为上级模板的名称")
    )]
    TemplateCycle {
        #[label("这里又回到了「{name}」")]
        span: Span,
        name: String,
        chain: String,
    },
}

fn unknown_help(what: &str, suggestion: &Option<String>) -> String {
    match (suggestion, what) {
        (Some(s), "评定") => format!("改为「{s}」"),
        (Some(s), _) => format!("改为「{s}」，或先声明这个{what}"),
        (None, "评定") => "检查名称：它应与某条「评定 名称：…」里的名称一致".to_string(),
        (None, _) => format!("先声明这个{what}，或检查名称的写法"),
    }
}

impl CheckError {
    /// A quick fix an editor can apply, when there is an obvious one.
    pub fn fix(&self) -> Option<Fix> {
        match self {
            CheckError::UnknownEvent {
                span,
                suggestion: Some(s),
                ..
            }
            | CheckError::UnknownField {
                span,
                suggestion: Some(s),
                ..
            }
            | CheckError::UnknownAttribute {
                span,
                suggestion: Some(s),
                ..
            }
            | CheckError::UnknownAccount {
                span,
                suggestion: Some(s),
                ..
            }
            | CheckError::UnknownRoster {
                span,
                suggestion: Some(s),
                ..
            }
            | CheckError::UnknownRating {
                span,
                suggestion: Some(s),
                ..
            }
            | CheckError::UnknownOption {
                span,
                suggestion: Some(s),
                ..
            } => Some(Fix {
                span: *span,
                replacement: s.clone(),
            }),
            CheckError::RangeReversed { span, min, max } => Some(Fix {
                span: *span,
                replacement: format!("{max}～{min} 分"),
            }),
            _ => None,
        }
    }
}

/// A warning: the compact works, but something is probably not what was meant.
#[derive(Debug, Clone, PartialEq, Error, Diagnostic, Serialize)]
pub enum CheckWarning {
    /// W0101 — clause numbers skip (第三条 is followed by 第五条, or the first is not 第一条).
    #[error("条号不连续：这里应为第{}条，写的是第{}条", crate::fmt::chinese_numeral(*expected), crate::fmt::chinese_numeral(*found))]
    #[diagnostic(
        code(W0101),
        severity(Warning),
        help("条号应从第一条起连续编排；若有意删去一条，可保留条号并写上 原文：（本条删除）")
    )]
    SkippedClauseNumber {
        #[label("应为第{}条", crate::fmt::chinese_numeral(*expected))]
        span: Span,
        expected: u32,
        found: u32,
    },

    /// W0102 — a cap smaller than one single award, so the award can never be paid in full.
    #[error("上限 {limit} 分 小于单次的 {award} 分")]
    #[diagnostic(
        code(W0102),
        severity(Warning),
        help("提高上限，或降低单次分值；否则每次都会被截到上限")
    )]
    CapBelowAward {
        #[label("这个上限")]
        span: Span,
        #[label("单次分值")]
        award_span: Span,
        limit: String,
        award: String,
    },

    /// W0103 — two clauses can score the same event record, with no 例外 or 取最高 between them.
    #[error("第{}条与{others}可能对同一条「{event}」记录都计分", crate::fmt::chinese_numeral(*clause))]
    #[diagnostic(code(W0103), severity(Warning), help("{help}"))]
    Overlap {
        #[label("这条规则与前面的规则重叠")]
        span: Span,
        clause: u32,
        /// The earlier clauses it overlaps (第一条、第三条).
        others: String,
        event: String,
        help: String,
    },

    /// W0104 — an event kind no clause uses: its records would score nothing.
    #[error("事项「{name}」没有任何条文使用")]
    #[diagnostic(code(W0104), severity(Warning), help("为它写一条规则，或删去这个事项"))]
    UnusedEvent {
        #[label("没有条文使用")]
        span: Span,
        name: String,
    },

    /// W0105 — a veto that changes nothing (取消分红资格 when there is no 分红 rule).
    #[error("一票否决「{effect}」不起作用")]
    #[diagnostic(code(W0105), severity(Warning), help("{help}"))]
    VetoWithoutEffect {
        #[label("没有效果")]
        span: Span,
        effect: String,
        help: String,
    },

    /// W0106 — chapter numbers skip.
    #[error("章号不连续：这里应为第{}章，写的是第{}章", crate::fmt::chinese_numeral(*expected), crate::fmt::chinese_numeral(*found))]
    #[diagnostic(code(W0106), severity(Warning), help("章号应从第一章起连续编排"))]
    SkippedChapterNumber {
        #[label("应为第{}章", crate::fmt::chinese_numeral(*expected))]
        span: Span,
        expected: u32,
        found: u32,
    },

    /// W0107 — 例外于 a clause that never applies to the same records.
    #[error("第{}条例外于第{}条，但两条不会对同一记录适用", crate::fmt::chinese_numeral(*clause), crate::fmt::chinese_numeral(*target))]
    #[diagnostic(
        code(W0107),
        severity(Warning),
        help("检查例外的条号：例外应指向针对同一事项的条文")
    )]
    ExceptionWithoutOverlap {
        #[label("这个例外不起作用")]
        span: Span,
        clause: u32,
        target: u32,
    },

    /// W0108 — an account that no rule credits.
    #[error("账户「{name}」没有任何条文计入")]
    #[diagnostic(
        code(W0108),
        severity(Warning),
        help("在条文中写 计入 {name}，或删去这个账户")
    )]
    UnusedAccount {
        #[label("没有条文计入")]
        span: Span,
        name: String,
    },

    /// W0114 — a group of an account that no clause counts into.
    #[error("账户「{account}」的分项「{group}」没有任何条文计入")]
    #[diagnostic(code(W0114), severity(Warning), help("{help}"))]
    UnusedGroup {
        #[label("没有条文计入这个分项")]
        span: Span,
        account: String,
        group: String,
        help: String,
    },

    /// W0109 — a clause with neither 原文 nor a rule.
    #[error("第{}条既没有原文也没有规则", crate::fmt::chinese_numeral(*number))]
    #[diagnostic(
        code(W0109),
        severity(Warning),
        help("写上 原文：…（条文的文字），或删去这一条")
    )]
    EmptyClause {
        #[label("空的条文")]
        span: Span,
        number: u32,
    },

    /// W0110 — a number in a clause's 原文, written next to 分/元/天/次/小时, that none of the
    /// clause's rules has: `原文：…每户每年最多加 40 分` over `每年 至多 22 分`.
    #[error("第{}条的原文写的是 {figure}，{rule_says}", crate::fmt::chinese_numeral(*number))]
    #[diagnostic(
        code(W0110),
        severity(Warning),
        help("村民表决的是原文，计分用的是规则：核对两处，改正写错的那一处")
    )]
    ProseNumberNotInRule {
        #[label("原文的数")]
        span: Span,
        #[label("规则")]
        rule: Span,
        number: u32,
        figure: String,
        /// 规则写的是 22 分, or 规则里没有这个数.
        rule_says: String,
    },

    /// W0111 — a number with a unit (分/元/天/次/小时) in a clause's rule that its 原文 does not
    /// mention.
    #[error("第{}条的规则用了 {figure}，原文里没有这个数", crate::fmt::chinese_numeral(*number))]
    #[diagnostic(
        code(W0111),
        severity(Warning),
        help("村民表决的是原文，计分用的是规则：核对两处，改正写错的那一处")
    )]
    RuleNumberNotInProse {
        #[label("规则的数")]
        span: Span,
        #[label("原文")]
        prose: Span,
        number: u32,
        figure: String,
    },

    /// W0113 — a row of a year rating from windows that no subject can meet (连续 5 个季度 in
    /// a year of four, 达 0 次).
    #[error("评定「{rating}」的「{row}」档{problem}")]
    #[diagnostic(code(W0113), severity(Warning), help("{help}"))]
    SeriesNever {
        #[label("这一档")]
        span: Span,
        rating: String,
        row: String,
        problem: String,
        help: String,
    },

    /// W0115 — 自选…项 limits or 本条 可选 in a compact that is not a template: they only mean
    /// something in a template (模板「…」).
    #[error("「{what}」只在模板里起作用，这份乡约不是模板")]
    #[diagnostic(
        code(W0115),
        severity(Warning),
        help("模板的开头写 模板「…」；村里的乡约不需要这一行，删去即可")
    )]
    TemplateOnlySetting {
        #[label("在这里不起作用")]
        span: Span,
        what: String,
    },

    /// W0116 — 先进先出 on an account without 积分有效期: points never expire, so which are
    /// spent first changes nothing.
    #[error(
        "账户「{account}」写了「先进先出」，但没有积分有效期：积分不会过期，先用哪一年的分都一样"
    )]
    #[diagnostic(
        code(W0116),
        severity(Warning),
        help("积分要过期作废，就写上 积分有效期 N 年（还要余额结转）；否则删去「先进先出」")
    )]
    SpendOrderWithoutExpiry {
        #[label("这个账户")]
        span: Span,
        account: String,
    },

    /// W0112 — 积分有效期 on an account that does not carry its balance: every period starts
    /// from zero, so nothing lives long enough to expire.
    #[error("账户「{account}」写了积分有效期 {years} 年，但不结转，每年从零算起，有效期不起作用")]
    #[diagnostic(
        code(W0112),
        severity(Warning),
        help("积分要跨年有效，就在账户声明里加上「余额结转」；否则删去有效期")
    )]
    ExpiryWithoutCarry {
        #[label("有效期")]
        span: Span,
        account: String,
        years: String,
    },
}

impl CheckWarning {
    /// The place the warning points at.
    pub fn span(&self) -> Span {
        match self {
            CheckWarning::SkippedClauseNumber { span, .. }
            | CheckWarning::CapBelowAward { span, .. }
            | CheckWarning::Overlap { span, .. }
            | CheckWarning::UnusedEvent { span, .. }
            | CheckWarning::VetoWithoutEffect { span, .. }
            | CheckWarning::SkippedChapterNumber { span, .. }
            | CheckWarning::ExceptionWithoutOverlap { span, .. }
            | CheckWarning::UnusedAccount { span, .. }
            | CheckWarning::UnusedGroup { span, .. }
            | CheckWarning::EmptyClause { span, .. }
            | CheckWarning::ProseNumberNotInRule { span, .. }
            | CheckWarning::RuleNumberNotInProse { span, .. }
            | CheckWarning::SeriesNever { span, .. }
            | CheckWarning::TemplateOnlySetting { span, .. }
            | CheckWarning::ExpiryWithoutCarry { span, .. }
            | CheckWarning::SpendOrderWithoutExpiry { span, .. } => *span,
        }
    }
}
