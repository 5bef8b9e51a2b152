//! The canonical text of each piece of the AST: names, values, conditions, effects and
//! statements, each on one line. Layout across lines (indentation, blank lines, comments) is
//! in the parent module.

use jiff::civil::Date;
use rust_decimal::Decimal;

use super::numeral::chinese_numeral;
use crate::syntax::ast::*;
use crate::syntax::{NameContext, name_reads_bare, value_reads_bare};

/// Quotes text in 「」, or in “” / 『』 when it contains a 」.
pub fn quote(text: &str) -> String {
    if !text.contains('」') {
        format!("「{text}」")
    } else if !text.contains('”') {
        format!("“{text}”")
    } else {
        format!("『{text}』")
    }
}

/// A name, bare where it reads back the same, quoted otherwise.
pub fn name(context: NameContext, text: &str) -> String {
    if name_reads_bare(context, text) {
        text.to_string()
    } else {
        quote(text)
    }
}

pub fn number(n: Decimal) -> String {
    n.normalize().to_string()
}

pub fn money(fen: i64) -> String {
    format!("{} 元", number(Decimal::new(fen, 2)))
}

pub fn date(d: Date) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

pub fn month_day(md: MonthDay) -> String {
    format!("{}月{}日", md.month, md.day)
}

pub fn clause_ref(n: u32) -> String {
    format!("第{}条", chinese_numeral(n))
}

pub fn sign(s: Sign) -> &'static str {
    match s {
        Sign::Add => "加",
        Sign::Deduct => "扣",
    }
}

pub fn value(v: &Value) -> String {
    match v {
        Value::Text(t) if value_reads_bare(t) => t.clone(),
        Value::Text(t) => quote(t),
        Value::Number { value, unit } => match unit {
            Some(unit) => format!("{} {unit}", number(*value)),
            None => number(*value),
        },
        Value::Money(fen) => money(*fen),
        Value::Date(d) => date(*d),
        Value::MonthDay(md) => month_day(*md),
    }
}

pub fn ty(t: &TypeExpr) -> String {
    match t {
        TypeExpr::Integer => "整数".into(),
        TypeExpr::Quantity(None) => "数量".into(),
        TypeExpr::Quantity(Some(unit)) => format!("数量（{}）", name(NameContext::Unit, unit)),
        TypeExpr::Money => "金额".into(),
        TypeExpr::Text => "文本".into(),
        TypeExpr::Bool => "是否".into(),
        TypeExpr::Date => "日期".into(),
        TypeExpr::Points => "分数".into(),
        TypeExpr::Choice(options) => format!(
            "选项（{}）",
            options
                .iter()
                .map(|o| name(NameContext::Declaration, o))
                .collect::<Vec<_>>()
                .join("、")
        ),
    }
}

pub fn field(f: &FieldDecl) -> String {
    format!("{}：{}", name(NameContext::Declaration, &f.name), ty(&f.ty))
}

fn window(w: Window) -> &'static str {
    match w {
        Window::Period => "每年",
        Window::Quarter => "每季度",
        Window::Month => "每月",
    }
}

/// `四舍五入 保留 1 位小数`: the mode is always written, the target as it was written.
pub fn rounding(r: &Rounding) -> String {
    let mode = match r.mode {
        RoundingMode::HalfUp => "四舍五入",
        RoundingMode::Up => "进一",
        RoundingMode::Down => "去尾",
    };
    match r.target {
        RoundingTarget::Whole => format!("{mode} 取整"),
        RoundingTarget::Places(n) => format!("{mode} 保留 {n} 位小数"),
        RoundingTarget::Step(step) => format!("{mode} 到 {} 分", number(step)),
    }
}

pub fn cap(c: &Cap) -> String {
    let scope = match c.scope {
        Some(Whose::Person) => "每人 ",
        Some(Whose::Household) => "每户 ",
        None => "",
    };
    let limit = match c.sign {
        Some(s) => format!(
            "{} 至多 {} {} 分",
            window(c.window),
            sign(s),
            number(c.limit)
        ),
        None => format!("{} 至多 {} 分", window(c.window), number(c.limit)),
    };
    format!("{scope}{limit}")
}

fn compare_op(op: CompareOp) -> &'static str {
    match op {
        CompareOp::Eq => "为",
        CompareOp::Ne => "不为",
        CompareOp::Ge => "不低于",
        CompareOp::Gt => "高于",
        CompareOp::Le => "不高于",
        CompareOp::Lt => "低于",
        CompareOp::NotBefore => "不早于",
        CompareOp::NotAfter => "不晚于",
        CompareOp::Before => "早于",
        CompareOp::After => "晚于",
    }
}

/// A condition; `nested` wraps 或 in parentheses (inside 且 or 非).
pub fn condition(c: &Condition) -> String {
    condition_at(c, false)
}

fn condition_at(c: &Condition, inside_all: bool) -> String {
    match c {
        Condition::All(items) => items
            .iter()
            .map(|i| condition_at(i, true))
            .collect::<Vec<_>>()
            .join(" 且 "),
        Condition::Any(items) => {
            let text = items
                .iter()
                .map(|i| condition_at(i, false))
                .collect::<Vec<_>>()
                .join(" 或 ");
            if inside_all {
                format!("（{text}）")
            } else {
                text
            }
        }
        Condition::Not(inner) => match &inner.node {
            Condition::Flag(n) => format!("非 {}", name(NameContext::Reference, n)),
            other => format!("非（{}）", condition_at(other, false)),
        },
        Condition::Flag(n) => name(NameContext::Reference, n),
        Condition::Compare {
            subject,
            op,
            values,
        } => format!(
            "{} {} {}",
            name(NameContext::Reference, subject),
            compare_op(*op),
            values
                .iter()
                .map(|v| value(v))
                .collect::<Vec<_>>()
                .join("、")
        ),
        Condition::Between { subject, from, to } => format!(
            "{} 在 {} 至 {}",
            name(NameContext::Reference, subject),
            value(from),
            value(to)
        ),
        Condition::Count { count, period_word } => {
            let word = period_word.as_deref().unwrap_or("");
            match count {
                CountCondition::Nth(n) => format!("{word}第{}次", chinese_numeral(*n)),
                CountCondition::From(n) => format!("{word}第{}次起", chinese_numeral(*n)),
                // 前两次 rather than 前二次: 两 before a measure word.
                CountCondition::FirstN(2) => format!("{word}前两次"),
                CountCondition::FirstN(n) => format!("{word}前{}次", chinese_numeral(*n)),
            }
        }
    }
}

fn factor(f: Decimal) -> String {
    if f == Decimal::TWO {
        "加倍".into()
    } else if f == Decimal::new(5, 1) {
        "减半".into()
    } else {
        format!("按 {} 倍", number(f))
    }
}

pub fn multiplier(m: &Multiplier) -> String {
    format!("{} {}", condition(&m.condition), factor(m.factor))
}

fn per_unit(p: &PerUnit) -> String {
    match p {
        PerUnit::Occurrence => "每次".into(),
        PerUnit::Unit { whole, step, unit } => {
            let unit = name(NameContext::Unit, unit);
            match (whole, *step == Decimal::ONE) {
                // `每次` is per record; a unit named 次 (a field in 次) keeps its space.
                (false, true) if unit == "次" => "每 次".into(),
                (false, true) => format!("每{unit}"),
                (false, false) => format!("每 {} {unit}", number(*step)),
                (true, _) => format!("每满 {} {unit}", number(*step)),
            }
        }
    }
}

pub fn effect(e: &Effect) -> String {
    match e {
        Effect::Award {
            per,
            sign: s,
            points,
        } => {
            let amount = match &points.node {
                AwardPoints::Fixed(p) => format!("{} {} 分", sign(*s), number(*p)),
                AwardPoints::Range { min, max, field } => {
                    let base = format!("{} {}～{} 分", sign(*s), number(*min), number(*max));
                    match field {
                        Some(f) => format!("{base}（以 {} 为准）", name(NameContext::Reference, f)),
                        None => base,
                    }
                }
            };
            match per {
                Some(p) => format!("{} {amount}", per_unit(p)),
                None => amount,
            }
        }
        Effect::Table { field, rows } => format!(
            "按 {}：{}",
            name(NameContext::Reference, field),
            rows.iter()
                .map(|r| {
                    let keys = if r.keys.is_empty() {
                        "其余".to_string()
                    } else {
                        r.keys
                            .iter()
                            .map(|k| value(k))
                            .collect::<Vec<_>>()
                            .join("、")
                    };
                    format!("{keys} {} {} 分", sign(r.sign), number(r.points))
                })
                .collect::<Vec<_>>()
                .join("，")
        ),
        Effect::Ladder { field, rungs } => format!(
            "按 {} 累计：{}",
            name(NameContext::Reference, field),
            rungs
                .iter()
                .map(|r| {
                    let unit = r
                        .unit
                        .as_ref()
                        .map(|u| format!(" {}", name(NameContext::Unit, u)))
                        .unwrap_or_default();
                    format!(
                        "满 {}{unit} {} {} 分",
                        number(r.threshold),
                        sign(r.sign),
                        number(r.points)
                    )
                })
                .collect::<Vec<_>>()
                .join("，")
        ),
        Effect::Redeem {
            account,
            field,
            prices: Some(rows),
        } => format!(
            "从 {} 支出，按 {}：{}",
            name(NameContext::Reference, account),
            name(NameContext::Reference, field),
            rows.iter()
                .map(|r| {
                    let goods: Vec<String> = r
                        .node
                        .goods
                        .iter()
                        .map(|g| {
                            if !g.node.is_empty()
                                && !g
                                    .node
                                    .chars()
                                    .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
                                && name_reads_bare(NameContext::Declaration, &g.node)
                            {
                                g.node.clone()
                            } else {
                                quote(&g.node)
                            }
                        })
                        .collect();
                    format!("{} {} 分", goods.join("、"), number(r.node.points))
                })
                .collect::<Vec<_>>()
                .join("，")
        ),
        Effect::Redeem { account, field, .. } => format!(
            "从 {} 支出 {}",
            name(NameContext::Reference, account),
            name(NameContext::Reference, field)
        ),
        Effect::NoPoints(word) => match word {
            NoPointsWord::Score => "不计分".into(),
            NoPointsWord::Deduct => "不扣分".into(),
            NoPointsWord::Add => "不加分".into(),
        },
        Effect::Veto(items) => format!(
            "一票否决：{}",
            items
                .iter()
                .map(|i| match &i.node {
                    VetoItem::CancelDividend => "取消 分红资格".to_string(),
                    VetoItem::CancelRating(r) =>
                        format!("取消 {} 评定资格", name(NameContext::Rating, r)),
                    VetoItem::ZeroAccount(a) => format!("{} 清零", name(NameContext::Reference, a)),
                    VetoItem::Downgrade { rating, label } => format!(
                        "{} 降为「{}」",
                        name(NameContext::Downgraded, rating),
                        value_plain(label)
                    ),
                })
                .collect::<Vec<_>>()
                .join("、")
        ),
        Effect::Repair {
            targets,
            replacement,
        } => {
            let mut text = format!("修复 {}", clause_refs(targets));
            if let Some((s, p)) = replacement {
                text.push_str(&format!(" 为 {} {} 分", sign(*s), number(*p)));
            }
            text
        }
    }
}

/// A grade's label as plain text (it is written in 「」).
fn value_plain(v: &Spanned<Value>) -> String {
    match &v.node {
        Value::Text(t) => t.clone(),
        _ => value(&v.node)
            .trim_matches(|c| c == '「' || c == '」')
            .to_string(),
    }
}

fn names(context: NameContext, list: &[Name]) -> String {
    list.iter()
        .map(|n| name(context, n))
        .collect::<Vec<_>>()
        .join("、")
}

fn clause_refs(list: &[Spanned<u32>]) -> String {
    list.iter()
        .map(|n| clause_ref(n.node))
        .collect::<Vec<_>>()
        .join("、")
}

/// A statement inside a clause, on one line, with its final 「。」.
pub fn statement(s: &Statement) -> String {
    match s {
        Statement::Prose(text) => format!("原文：{text}"),
        Statement::Optional => "本条 可选。".to_string(),
        Statement::Except(refs) => format!("例外于 {}。", clause_refs(refs)),
        Statement::Highest(refs) => format!("与 {} 取最高。", clause_refs(refs)),
        Statement::Credit(accounts, groups, shares) => {
            let targets: Vec<String> = accounts
                .iter()
                .enumerate()
                .map(|(k, account)| {
                    let mut target = name(NameContext::Reference, account);
                    if let Some(group) = groups.get(k).and_then(Option::as_ref) {
                        target.push_str(&format!("「{}」", group.node));
                    }
                    if let Some(share) = shares.get(k).and_then(Option::as_ref) {
                        target.push_str(&format!("（按 {}%）", number(share.node)));
                    }
                    target
                })
                .collect();
            format!("计入 {}。", targets.join("、"))
        }
        Statement::Base(rule) => {
            let subject = match &rule.subject {
                None => "每户".to_string(),
                Some(kind) => format!("每名 {}", name(NameContext::Roster, kind)),
            };
            let amount = match &rule.amount.node {
                BaseAmount::Fixed(p) => format!("{} 分", number(*p)),
                BaseAmount::PerAttribute { attribute, points } => format!(
                    "{} × {} 分",
                    name(NameContext::Reference, attribute),
                    number(*points)
                ),
            };
            let mut text = format!("{subject} {} {amount}", sign(rule.sign));
            for m in &rule.multipliers {
                text.push('；');
                text.push_str(&multiplier(m));
            }
            text.push('。');
            text
        }
        Statement::Event(rule) => {
            let mut text = format!("凡 {}", names(NameContext::Event, &rule.events));
            if let Some(c) = &rule.condition {
                text.push_str(" 且 ");
                text.push_str(&condition(c));
            }
            text.push('，');
            text.push_str(&effect(&rule.effect));
            for m in &rule.modifiers {
                text.push('；');
                match &m.node {
                    Modifier::Cap(c) => text.push_str(&cap(c)),
                    Modifier::Multiplier(mul) => text.push_str(&multiplier(mul)),
                    Modifier::Validity(years) => text.push_str(&format!("有效 {years} 年")),
                    Modifier::Rounding(r) => text.push_str(&rounding(r)),
                    Modifier::Once(once) => {
                        match once.scope {
                            Some(Whose::Person) => text.push_str("每人 "),
                            Some(Whose::Household) => text.push_str("每户 "),
                            None => {}
                        }
                        text.push_str("同一 ");
                        text.push_str(&name(NameContext::Reference, &once.field.node));
                        text.push_str(" 只计一次");
                    }
                }
            }
            text.push('。');
            text
        }
        Statement::Streak(rule) => format!(
            "连续 {} {} 无 {}，{} {} 分。",
            rule.periods.node,
            rule.unit,
            names(NameContext::Event, &rule.events),
            sign(rule.sign),
            number(rule.points.node)
        ),
        Statement::Rating(rule) => {
            let every_word = |e: Every| match e {
                Every::Quarter => "季度",
                Every::Month => "月",
            };
            let own = rule
                .own
                .as_ref()
                .map(|o| format!("本{} ", every_word(o.node)))
                .unwrap_or_default();
            let account = rule
                .account
                .as_ref()
                .map(|a| format!("（按 {own}{}）", name(NameContext::Reference, a)))
                .unwrap_or_default();
            let every = rule
                .every
                .as_ref()
                .map(|e| format!("每{} ", every_word(e.node)))
                .unwrap_or_default();
            let hidden: String = rule
                .hidden
                .iter()
                .map(|h| format!("（{} 不公布姓名）", quote(&h.node)))
                .collect();
            let series = rule.series.iter().map(|r| {
                let test = match &r.node.test {
                    SeriesTest::All { unit, label } => format!(
                        "{} 均为{}",
                        match unit {
                            Every::Quarter => "四个季度",
                            Every::Month => "十二个月",
                        },
                        quote(&label.node)
                    ),
                    SeriesTest::Run { times, unit, label } => format!(
                        "连续 {times} {} 登上{}",
                        match unit {
                            None => "次",
                            Some(Every::Quarter) => "个季度",
                            Some(Every::Month) => "个月",
                        },
                        quote(&label.node)
                    ),
                    SeriesTest::Times { label, times, more } => format!(
                        "登上{} 达 {times} 次{}",
                        quote(&label.node),
                        if *more { " 以上" } else { "" }
                    ),
                };
                match &r.node.label {
                    Some(l) => format!("{test} 为{}", quote(l)),
                    None => test,
                }
            });
            let mut rows: Vec<String> = series.collect();
            rows.extend(rule.rows.iter().map(|r| match r.form {
                RowForm::Bound => format!(
                    "{} {} 分 {}",
                    if r.inclusive { "不低于" } else { "高于" },
                    number(r.threshold),
                    row_label(&r.label)
                ),
                RowForm::Range {
                    upper,
                    upper_counts,
                } => format!(
                    "{}{}—{} 分{} {}",
                    number(r.threshold),
                    if r.inclusive { "" } else { "（不含）" },
                    number(upper),
                    if upper_counts { "" } else { "（不含）" },
                    row_label(&r.label)
                ),
                RowForm::Above => format!(
                    "{} 分{}以上 {}",
                    number(r.threshold),
                    if r.inclusive { " " } else { "（不含）" },
                    row_label(&r.label)
                ),
                RowForm::Top(RankTop::Count(n)) => format!("前 {n} 名 {}", row_label(&r.label)),
                RowForm::Top(RankTop::Percent(p)) => {
                    format!("前 {}% {}", number(p), row_label(&r.label))
                }
            }));
            if let Some(otherwise) = &rule.otherwise {
                rows.push(format!("其余 为{}", quote(otherwise)));
            }
            let limit = rule
                .limit
                .as_ref()
                .map(|c| format!("（限 {}）", condition(c)))
                .unwrap_or_default();
            format!(
                "{every}评定 {}{account}{limit}{hidden}：{}。",
                name(NameContext::Declaration, &rule.name),
                rows.join("，")
            )
        }
        Statement::Rank(rule) => {
            let awards: Vec<String> = rule
                .awards
                .iter()
                .map(|a| {
                    let top = match a.node.top {
                        RankTop::Count(n) => format!("前 {n} 名"),
                        RankTop::Percent(p) => format!("前 {}%", number(p)),
                    };
                    let prize = match &a.node.prize {
                        RankPrize::Title(t) => format!("授予{}", quote(t)),
                        RankPrize::Points {
                            sign: s,
                            points,
                            account,
                        } => {
                            let into = account
                                .as_ref()
                                .map(|acc| format!(" 计入 {}", name(NameContext::Reference, acc)))
                                .unwrap_or_default();
                            format!("{} {} 分{into}", sign(*s), number(*points))
                        }
                    };
                    format!("{top} {prize}")
                })
                .collect();
            let ties = match rule.ties {
                TiePolicy::AllTied => "并列 均得",
                TiePolicy::ById => "并列 按户号",
            };
            let group = rule
                .group
                .as_ref()
                .map(|g| format!("按 {} 分别排，", name(NameContext::Reference, g)))
                .unwrap_or_default();
            let excludes = rule
                .excludes_vetoed
                .as_ref()
                .map(|who| match who.strip_prefix('的') {
                    Some(noun) => format!("不含 被一票否决 的{noun}，"),
                    None => format!("不含 被一票否决{who}，"),
                })
                .unwrap_or_default();
            format!(
                "按 {} 排名，{excludes}{group}{}；{ties}。",
                name(NameContext::Reference, &rule.account),
                awards.join("，")
            )
        }
        Statement::Dividend(rule) => {
            let pool = match &rule.pool {
                None => String::new(),
                Some(PoolShare { name: n, percent }) => match percent {
                    Some(p) => format!(
                        "{} 的 {}%，",
                        name(NameContext::Reference, n),
                        number(p.node)
                    ),
                    None => format!("{}，", name(NameContext::Reference, n)),
                },
            };
            let mut text = match &rule.per_point {
                Some(fen) => format!(
                    "分红：按 {} 每分 {} 计发",
                    name(NameContext::Reference, &rule.account),
                    money(fen.node)
                ),
                None => format!(
                    "分红：{pool}按 {} 比例 分配",
                    name(NameContext::Reference, &rule.account)
                ),
            };
            for option in &rule.options {
                text.push('；');
                text.push_str(&match &option.node {
                    DividendOption::MinPoints(points) => {
                        format!("不足 {} 分 的户 不参与", number(*points))
                    }
                    DividendOption::Round { mode, unit_fen } => {
                        let mode = match mode {
                            Some(RoundingMode::HalfUp) => "四舍五入 ",
                            Some(RoundingMode::Up) => "进一 ",
                            Some(RoundingMode::Down) => "去尾 ",
                            None => "",
                        };
                        let unit = if *unit_fen == 10 { "角" } else { "元" };
                        format!("{mode}取整到 {unit}")
                    }
                    DividendOption::Remainder { largest: true } => "零头 按 最大余数 分配".into(),
                    DividendOption::Remainder { largest: false } => "零头 留归集体".into(),
                    DividendOption::Negative { deduct: true } => "负分 照扣".into(),
                    DividendOption::Negative { deduct: false } => "负分 不参与".into(),
                });
            }
            text.push('。');
            text
        }
    }
}

fn assignments(values: &[Assignment]) -> String {
    values
        .iter()
        .map(|a| {
            format!(
                "{} {}",
                name(NameContext::Assignment, &a.name),
                value(&a.value)
            )
        })
        .collect::<Vec<_>>()
        .join("，")
}

/// A line of a worked example, with its final 「。」.
pub fn example_item(item: &ExampleItem) -> String {
    let with_values = |head: String, values: &[Assignment]| {
        if values.is_empty() {
            format!("{head}。")
        } else {
            format!("{head}：{}。", assignments(values))
        }
    };
    match item {
        ExampleItem::Household { id, values } => {
            let head = match id {
                Some(id) => format!("户{}", quote(id)),
                None => "户".to_string(),
            };
            with_values(head, values)
        }
        ExampleItem::Member {
            roster,
            id,
            household,
            values,
        } => {
            let of = household
                .as_ref()
                .map(|h| format!("属{}", quote(h)))
                .unwrap_or_default();
            with_values(
                format!("{}{}{of}", name(NameContext::Roster, roster), quote(id)),
                values,
            )
        }
        ExampleItem::Event {
            date: d,
            subject,
            event,
            values,
        } => {
            let who = subject
                .as_ref()
                .map(|s| quote(s))
                .unwrap_or_else(|| " ".into());
            with_values(
                format!("{}{who}{}", date(d.node), name(NameContext::Event, event)),
                values,
            )
        }
        ExampleItem::Pool(fen) => format!("分红 {}。", money(fen.node)),
        ExampleItem::Expect {
            subject,
            expectations,
        } => {
            let who = subject.as_ref().map(|s| quote(s)).unwrap_or_default();
            let list: Vec<String> = expectations
                .iter()
                .map(|e| match &e.node {
                    Expectation::Points {
                        account,
                        group,
                        points,
                    } => format!(
                        "{}{} {} 分",
                        name(NameContext::Assignment, account),
                        group.as_ref().map(|g| quote(g)).unwrap_or_default(),
                        number(*points)
                    ),
                    Expectation::Rating { rating, label } => format!(
                        "{} 为{}",
                        name(NameContext::Assignment, rating),
                        quote(label)
                    ),
                    Expectation::RatingCancelled { rating } => {
                        format!("{} 取消", name(NameContext::Assignment, rating))
                    }
                    Expectation::Dividend(fen) => format!("分红 {}", money(*fen)),
                    Expectation::Eligible(e) => {
                        format!("分红资格 {}", if *e { "有" } else { "无" })
                    }
                })
                .collect();
            format!("应得{who}：{}。", list.join("，"))
        }
    }
}

/// A rating row's label: 为「…」, or 不上榜 for a row that gives none.
fn row_label(label: &str) -> String {
    if label.is_empty() {
        "不上榜".to_string()
    } else {
        format!("为{}", quote(label))
    }
}
