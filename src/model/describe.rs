//! Rules → plain Chinese sentences, for people: the printable compact uses them for clauses
//! written without 原文, and explanations and diffs quote them.

use rust_decimal::Decimal;

use super::*;
use crate::fmt::chinese_numeral;

/// A number as people write it (no trailing zeros).
pub fn number(n: Decimal) -> String {
    n.normalize().to_string()
}

/// Money in fen as 元.
pub fn yuan(fen: i64) -> String {
    format!("{} 元", number(Decimal::new(fen, 2)))
}

/// 第N条
pub fn clause_label(number: u32) -> String {
    format!("第{}条", chinese_numeral(number))
}

/// 四舍五入保留 1 位小数, 去尾取整 … in words.
pub fn rounding(r: crate::model::Rounding) -> String {
    let mode = match r.mode {
        crate::model::RoundingMode::HalfUp => "四舍五入",
        crate::model::RoundingMode::Up => "进一",
        crate::model::RoundingMode::Down => "去尾",
    };
    match r.places {
        0 => format!("{mode}取整"),
        n => format!("{mode}保留 {n} 位小数"),
    }
}

/// Points as people read them in tables and the 公示表: exact when they have at most
/// [`SHOWN_DECIMALS`] decimals, otherwise rounded half away from zero (四舍五入) to that many.
/// The exact value stays inside (sums, ratings, dividends) and in the JSON output.
pub fn shown_points(p: Decimal) -> String {
    number(p.round_dp_with_strategy(
        SHOWN_DECIMALS,
        rust_decimal::RoundingStrategy::MidpointAwayFromZero,
    ))
}

/// Decimals of points shown to people (see [`shown_points`]).
pub const SHOWN_DECIMALS: u32 = 2;

/// 加 N 分 / 扣 N 分 for a signed amount.
pub fn signed_points(points: Decimal) -> String {
    if points < Decimal::ZERO {
        format!("扣 {} 分", number(-points))
    } else {
        format!("加 {} 分", number(points))
    }
}

fn literal(l: &Literal) -> String {
    match l {
        Literal::Text(t) => t.clone(),
        Literal::Number(n) => number(*n),
        Literal::Money(f) => yuan(*f),
        Literal::Bool(true) => "是".into(),
        Literal::Bool(false) => "否".into(),
        Literal::Date(d) => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        Literal::MonthDay(md) => format!("{}月{}日", md.month, md.day),
    }
}

fn literals(values: &[Literal]) -> String {
    values.iter().map(literal).collect::<Vec<_>>().join("或")
}

/// A condition in words.
pub fn condition(c: &Cond) -> String {
    match c {
        Cond::All(items) => items.iter().map(condition).collect::<Vec<_>>().join("且"),
        Cond::Any(items) => {
            let parts: Vec<String> = items.iter().map(condition).collect();
            format!("（{}）", parts.join("或"))
        }
        Cond::Not(inner) => match inner.as_ref() {
            Cond::Flag(op) => format!("「{}」为否", op.name()),
            other => format!("不属于{}的情形", condition(other)),
        },
        Cond::Flag(op) => format!("「{}」为是", op.name()),
        Cond::Compare {
            operand,
            op,
            values,
        } => {
            let word = match op {
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
            };
            format!("「{}」{word}{}", operand.name(), literals(values))
        }
        Cond::Between { operand, from, to } => format!(
            "{}在{}至{}之间",
            match operand {
                Operand::Date => "日期".to_string(),
                other => format!("「{}」", other.name()),
            },
            literal(from),
            literal(to)
        ),
        Cond::Count(count) => match count {
            CountCondition::Nth(1) => "为本年第一次".to_string(),
            CountCondition::Nth(n) => format!("为本年第{}次", chinese_numeral(*n)),
            CountCondition::From(n) => format!("为本年第{}次及以后", chinese_numeral(*n)),
            CountCondition::FirstN(n) => format!("为本年前{}次", chinese_numeral(*n)),
        },
    }
}

fn unit_of(field: &FieldRef) -> String {
    match &field.ty {
        ValueType::Quantity(Some(unit)) => unit.clone(),
        ValueType::Money => "元".into(),
        _ => String::new(),
    }
}

/// The step of a per-unit rule in the field's own unit (money steps are held in fen).
pub fn unit_step(field: &FieldRef, step: Decimal) -> Decimal {
    if field.ty == ValueType::Money {
        step / Decimal::ONE_HUNDRED
    } else {
        step
    }
}

/// What an action does, in words.
pub fn action(compact: &Compact, a: &Action) -> String {
    match a {
        Action::Fixed { points } => format!("每次{}", signed_points(*points)),
        Action::PerUnit {
            field,
            step,
            whole,
            points,
        } => {
            let unit = unit_of(field);
            let step = unit_step(field, *step);
            match (whole, step == Decimal::ONE) {
                (false, true) => format!("每{unit}{}", signed_points(*points)),
                (false, false) => format!("每 {} {unit}{}", number(step), signed_points(*points)),
                (true, _) => format!("每满 {} {unit}{}", number(step), signed_points(*points)),
            }
        }
        Action::Range {
            field,
            sign,
            min,
            max,
        } => format!(
            "每次{} {} 至 {} 分（具体分值以记录中的「{}」为准）",
            if *sign == Sign::Add { "加" } else { "扣" },
            number(*min),
            number(*max),
            field.name
        ),
        Action::Table {
            field,
            rows,
            otherwise,
        } => {
            let mut parts: Vec<String> = rows
                .iter()
                .map(|r| format!("{}{}", literals(&r.keys), signed_points(r.points)))
                .collect();
            if let Some(p) = otherwise {
                parts.push(format!("其余{}", signed_points(*p)));
            }
            format!("按「{}」：{}", field.name, parts.join("，"))
        }
        Action::Ladder { field, rungs } => {
            let unit = unit_of(field);
            let parts: Vec<String> = rungs
                .iter()
                .map(|r| {
                    format!(
                        "满 {} {unit}{}",
                        number(unit_step(field, r.threshold)),
                        signed_points(r.points)
                    )
                })
                .collect();
            format!(
                "按「{}」累计：{}（按所达最高一档计，不重复计）",
                field.name,
                parts.join("，")
            )
        }
        Action::Redeem {
            account,
            field,
            prices: Some(rows),
        } => format!(
            "从「{}」中支出所兑换物品的分数，按「{}」定价：{}；价目表中没有的物品和余额不足的不予支出",
            compact
                .accounts
                .get(*account)
                .map(|a| a.name.as_str())
                .unwrap_or(""),
            field.name,
            rows.iter()
                .map(|r| {
                    let goods: Vec<String> = r.keys.iter().map(literal).collect();
                    format!("{} {} 分", goods.join("、"), number(r.points))
                })
                .collect::<Vec<_>>()
                .join("，")
        ),
        Action::Redeem { account, field, .. } => format!(
            "从「{}」中支出记录所填的「{}」，余额不足的不予支出",
            compact
                .accounts
                .get(*account)
                .map(|a| a.name.as_str())
                .unwrap_or(""),
            field.name
        ),
        Action::Zero => "不计分".to_string(),
        Action::Veto(effects) => {
            let parts: Vec<String> = effects
                .iter()
                .filter(|e| effect_shown(compact, e))
                .map(|e| veto_effect(compact, e))
                .collect();
            format!("一票否决：{}", parts.join("，"))
        }
        Action::Repair { targets, points } => {
            let named: Vec<String> = targets
                .iter()
                .filter_map(|t| compact.clauses.get(*t))
                .map(|c| clause_label(c.number))
                .collect();
            let mut text = format!(
                "撤销{}对本人仍在计算的扣分和一票否决（信用修复）",
                named.join("、")
            );
            if let Some(p) = points {
                text.push_str(&format!("，改为{}", signed_points(*p)));
            }
            text
        }
    }
}

/// A grade a rating is lowered to (降为), by name.
pub fn grade_name(compact: &Compact, rating: usize, grade: usize) -> String {
    compact
        .ratings
        .get(rating)
        .and_then(|r| {
            r.rows
                .get(grade)
                .map(|row| row.label.clone())
                .or_else(|| r.otherwise.clone())
        })
        .unwrap_or_default()
}

/// Whether a veto effect is said in words: cancelling the second and later windows of a
/// windowed rating is said once, by its first (取消本年度「红黑榜」（各季度）评定资格).
pub fn effect_shown(compact: &Compact, effect: &VetoEffect) -> bool {
    match effect {
        VetoEffect::CancelRating(r) => compact
            .ratings
            .get(*r)
            .and_then(|r| r.window.as_ref())
            .is_none_or(|w| w.index == 0),
        _ => true,
    }
}

/// One veto effect in words.
pub fn veto_effect(compact: &Compact, effect: &VetoEffect) -> String {
    match effect {
        VetoEffect::CancelDividend => "取消本年度分红资格".to_string(),
        VetoEffect::CancelRating(r)
            if let Some(w) = compact.ratings.get(*r).and_then(|r| r.window.as_ref()) =>
        {
            let unit = match w.unit {
                crate::syntax::ast::Every::Quarter => "各季度",
                crate::syntax::ast::Every::Month => "各月",
            };
            format!("取消本年度「{}」（{unit}）评定资格", w.base)
        }
        VetoEffect::CancelRating(r) => format!(
            "取消本年度「{}」评定资格",
            compact
                .ratings
                .get(*r)
                .map(|r| r.name.as_str())
                .unwrap_or("")
        ),
        VetoEffect::Downgrade { rating, grade } => format!(
            "「{}」直接降为「{}」（积分再高也不高于这一档）",
            compact
                .ratings
                .get(*rating)
                .map(|r| r.name.as_str())
                .unwrap_or(""),
            grade_name(compact, *rating, *grade)
        ),
        VetoEffect::ZeroAccount(a) => format!(
            "本年度「{}」清零",
            compact
                .accounts
                .get(*a)
                .map(|a| a.name.as_str())
                .unwrap_or("")
        ),
    }
}

fn window(w: Window) -> &'static str {
    match w {
        Window::Period => "每年",
        Window::Quarter => "每季度",
        Window::Month => "每月",
    }
}

/// A cap in words: 每年最多加 40 分.
pub fn cap(c: &Cap) -> String {
    format!(
        "{}最多{} {} 分",
        window(c.window),
        if c.direction == Sign::Add {
            "加"
        } else {
            "扣"
        },
        number(c.limit)
    )
}

fn factor(f: Decimal) -> String {
    if f == Decimal::TWO {
        "加倍".into()
    } else if f == Decimal::new(5, 1) {
        "减半".into()
    } else {
        format!("按 {} 倍计", number(f))
    }
}

fn kind_subject(compact: &Compact, kind: KindId) -> String {
    if kind == HOUSEHOLD {
        "每户".into()
    } else {
        format!(
            "每名{}",
            compact
                .kinds
                .get(kind)
                .map(|k| k.name.as_str())
                .unwrap_or("")
        )
    }
}

/// One rule in words.
pub fn rule(compact: &Compact, r: &Rule) -> String {
    match r {
        Rule::Base(base) => {
            let subject = kind_subject(compact, base.kind);
            let amount = match base.attribute {
                None => signed_points(base.points),
                Some(index) => {
                    let attribute = compact
                        .kinds
                        .get(base.kind)
                        .and_then(|k| k.attributes.get(index));
                    let name = attribute.map(|a| a.name.as_str()).unwrap_or("");
                    let unit = match attribute.map(|a| &a.ty) {
                        Some(ValueType::Quantity(Some(u))) => u.clone(),
                        _ => String::new(),
                    };
                    if unit.is_empty() {
                        format!("按「{name}」计，每 1 {}", signed_points(base.points))
                    } else {
                        format!("按「{name}」计，每{unit}{}", signed_points(base.points))
                    }
                }
            };
            let mut text = format!("{subject}{amount}");
            for m in &base.multipliers {
                text.push_str(&format!(
                    "；{}的{}",
                    condition(&m.condition),
                    factor(m.factor)
                ));
            }
            text + "。"
        }
        Rule::Event(event) => {
            let names: Vec<String> = event
                .events
                .iter()
                .filter_map(|e| compact.events.get(*e))
                .map(|e| format!("「{}」", e.name))
                .collect();
            let mut text = format!("凡{}", names.join("、"));
            if let Some(c) = &event.condition {
                text.push_str(&format!("且{}", condition(c)));
            }
            text.push_str("的，");
            text.push_str(&action(compact, &event.action));
            for m in &event.multipliers {
                text.push_str(&format!(
                    "；{}的{}",
                    condition(&m.condition),
                    factor(m.factor)
                ));
            }
            if let Some(r) = event.rounding {
                text.push_str(&format!("；每条记录的分数{}", rounding(r)));
            }
            // A roster's records: whose sums and records are meant — the person's or the
            // household's — is said every time.
            let persons = event.events.iter().any(|&e| {
                compact
                    .events
                    .get(e)
                    .is_some_and(|e| e.owner != crate::model::HOUSEHOLD)
            });
            let whose = |per: crate::model::Per| match (persons, per) {
                (false, _) => "",
                (true, crate::model::Per::Subject) => "每人",
                (true, crate::model::Per::Household) => "每户",
            };
            if let Some(field) = &event.once {
                let whose = match whose(event.once_per) {
                    "" => "每户",
                    w => w,
                };
                text.push_str(&format!(
                    "；{whose}同一{}的记录只计一次，重复的记为已计",
                    field.name
                ));
            }
            for c in &event.caps {
                text.push_str(&format!("；{}{}", whose(c.per), cap(c)));
            }
            if event.validity > 1 {
                // Counts include earlier records still valid.
                text = text.replace("为本年第", "为有效期内第");
                text.push_str(&format!(
                    "；有效 {} 年（记录当年及其后 {} 年都计入）",
                    event.validity,
                    event.validity - 1
                ));
            }
            text + "。"
        }
        Rule::Streak(streak) => {
            let names: Vec<String> = streak
                .events
                .iter()
                .filter_map(|e| compact.events.get(*e))
                .map(|e| format!("「{}」", e.name))
                .collect();
            format!(
                "连续 {} 年没有{}的，{}。",
                streak.periods,
                names.join("、"),
                signed_points(streak.points)
            )
        }
    }
}

fn account_name(compact: &Compact, id: AccountId) -> &str {
    compact
        .accounts
        .get(id)
        .map(|a| a.name.as_str())
        .unwrap_or("")
}

/// The sentence that marks a template's optional item (本条 可选).
pub const OPTIONAL_ITEM: &str = "本条是模板的可选项，依据模板的乡约可以不选用。";

/// Every sentence a clause says, in order: its rules, exceptions, take-the-highest group,
/// accounts, and the result rules (ratings, ranks, dividend) it holds.
pub fn clause(compact: &Compact, id: ClauseId) -> Vec<String> {
    let Some(c) = compact.clauses.get(id) else {
        return Vec::new();
    };
    let mut sentences: Vec<String> = c.rules.iter().map(|r| rule(compact, r)).collect();
    if c.optional {
        sentences.push(OPTIONAL_ITEM.to_string());
    }
    for target in &c.exceptions_to {
        if let Some(t) = compact.clauses.get(*target) {
            sentences.push(format!("本条适用时，{}不再适用。", clause_label(t.number)));
        }
    }
    if let Some(group) = c.highest_group {
        let others: Vec<String> = compact
            .clauses
            .iter()
            .enumerate()
            .filter(|(i, o)| *i != id && o.highest_group == Some(group))
            .map(|(_, o)| clause_label(o.number))
            .collect();
        if !others.is_empty() {
            sentences.push(format!(
                "与{}同时适用于一件事时，取分值最高的一条，不重复计分。",
                others.join("、")
            ));
        }
    }
    let scoring = !c.rules.is_empty();
    let default_only = c.accounts.len() == 1
        && c.accounts
            .first()
            .and_then(|a| compact.accounts.get(*a))
            .is_some_and(|a| a.is_default);
    let grouped = c.groups.iter().any(Option::is_some);
    let shared = c.shares.iter().any(Option::is_some);
    if scoring && (!default_only || grouped || shared) && !c.accounts.is_empty() {
        let names: Vec<String> = c
            .accounts
            .iter()
            .enumerate()
            .map(|(k, a)| {
                let group = c
                    .groups
                    .get(k)
                    .copied()
                    .flatten()
                    .and_then(|g| compact.accounts.get(*a)?.groups.get(g));
                let target = match group {
                    Some(g) => format!(
                        "「{}」的「{}」一项（这一项基础分 {} 分，{}）",
                        account_name(compact, *a),
                        g.name,
                        number(g.base),
                        if g.floor.is_zero() {
                            "扣完为止".to_string()
                        } else {
                            format!("最低 {} 分", number(g.floor))
                        }
                    ),
                    None => format!("「{}」", account_name(compact, *a)),
                };
                match c.shares.get(k).copied().flatten() {
                    Some(percent) => format!("{target}（按 {}%）", number(percent)),
                    None => target,
                }
            })
            .collect();
        sentences.push(format!("所得分数计入{}。", names.join("、")));
    }
    if compact.reaches_household(c)
        && let Some(kind) = compact.clause_kind(c)
    {
        let roster = compact.kinds.get(kind).map_or("", |k| k.name.as_str());
        let household: Vec<String> = c
            .accounts
            .iter()
            .filter_map(|&a| compact.accounts.get(a))
            .filter(|a| a.owner == crate::model::HOUSEHOLD)
            .map(|a| format!("「{}」", a.name))
            .collect();
        sentences.push(if household.is_empty() {
            format!("记录是{roster}个人的，每户的上限合计同一户各人的记录。")
        } else {
            format!(
                "记录是{roster}个人的，分数计入他所在的户的{}。",
                household.join("、")
            )
        });
    }
    // A windowed rating is described once, by its first window.
    let described = compact
        .ratings
        .iter()
        .enumerate()
        .filter(|(i, r)| r.clause == id && r.window.as_ref().is_none_or(|w| w.group == *i))
        .map(|(_, r)| r);
    for rating in described {
        let mut rows: Vec<String> = rating
            .rows
            .iter()
            .map(|row| match row.upper {
                _ if row.top.is_some() => {
                    let top = match row.top {
                        Some(RankTop::Percent(p)) => format!("前 {}%", number(p)),
                        Some(RankTop::Count(n)) => format!("前 {n} 名"),
                        None => String::new(),
                    };
                    if row.label.is_empty() {
                        format!("{top}（并列的都算）不上榜")
                    } else {
                        format!("{top}（并列的都算）为「{}」", row.label)
                    }
                }
                // 60—79 分: read from its lower bound (a point between two rows' bounds
                // goes to the lower row).
                // 1040（不含）—1060 分: the lower bound itself goes to the row below; 60—80
                // 分（不含）: the upper one to the row above.
                Some(upper) => format!(
                    "{}{}—{} 分{}的为「{}」（{}、不到上一档的都算）",
                    number(row.threshold),
                    if row.inclusive { "" } else { "（不含）" },
                    number(upper),
                    if row.upper_counts { "" } else { "（不含）" },
                    row.label,
                    if row.inclusive {
                        format!("{} 分及以上", number(row.threshold))
                    } else {
                        format!("高于 {} 分", number(row.threshold))
                    }
                ),
                None if row.label.is_empty() => format!(
                    "{} {} 分的不上榜",
                    if row.inclusive { "不低于" } else { "高于" },
                    number(row.threshold),
                ),
                None => format!(
                    "{} {} 分的为「{}」",
                    if row.inclusive { "不低于" } else { "高于" },
                    number(row.threshold),
                    row.label
                ),
            })
            .collect();
        for row in &rating.series {
            let unit = row
                .windows
                .first()
                .and_then(|w| compact.ratings.get(*w))
                .and_then(|r| r.window.as_ref());
            let (count, word, base) = match unit {
                Some(w) => match w.unit {
                    crate::syntax::ast::Every::Quarter => ("四个季度", "季度", w.base.as_str()),
                    crate::syntax::ast::Every::Month => ("十二个月", "月", w.base.as_str()),
                },
                None => ("各期", "期", ""),
            };
            let test = match row.test {
                crate::model::SeriesTest::All => {
                    format!("{count}的「{base}」均为「{}」", row.wanted)
                }
                crate::model::SeriesTest::Run(n) => {
                    format!("「{base}」连续 {n} 个{word}为「{}」", row.wanted)
                }
                crate::model::SeriesTest::Times(n) => {
                    format!("「{base}」为「{}」的{word}达 {n} 个及以上", row.wanted)
                }
            };
            rows.push(format!("{test}的评为「{}」", row.label));
        }
        if let Some(o) = &rating.otherwise {
            rows.push(format!("其余为「{o}」"));
        }
        let limit = rating
            .limit
            .as_ref()
            .map(|c| format!("，只评{}的，其余不参评", condition(c)))
            .unwrap_or_default();
        let hidden = if rating.hidden.is_empty() {
            String::new()
        } else {
            let names: Vec<String> = rating.hidden.iter().map(|h| format!("「{h}」")).collect();
            format!("（{}只公布户数，不公布户号）", names.join("、"))
        };
        let sentence = match &rating.window {
            Some(w) => {
                let (every, own) = match w.unit {
                    crate::syntax::ast::Every::Quarter => ("每季度末", "本季度所得"),
                    crate::syntax::ast::Every::Month => ("每月末", "本月所得"),
                };
                let basis = if w.own {
                    format!("{own}「{}」", account_name(compact, rating.account))
                } else {
                    format!(
                        "「{}」截至当时的分数",
                        account_name(compact, rating.account)
                    )
                };
                format!(
                    "{every}按{basis}评定「{}」{limit}{hidden}：{}。",
                    w.base,
                    rows.join("，")
                )
            }
            None if !rating.series.is_empty() => {
                format!("年末评定「{}」{limit}：{}。", rating.name, rows.join("，"))
            }
            None => format!(
                "按年度「{}」评定「{}」{limit}{hidden}：{}。",
                account_name(compact, rating.account),
                rating.name,
                rows.join("，")
            ),
        };
        sentences.push(sentence);
    }
    for rank in compact.ranks.iter().filter(|r| r.clause == id) {
        let awards: Vec<String> = rank
            .awards
            .iter()
            .map(|a| {
                let top = match a.top {
                    RankTop::Count(n) => format!("前 {n} 名"),
                    RankTop::Percent(p) => format!("前 {}%", number(p)),
                };
                match &a.prize {
                    RankPrize::Title(t) => format!("{top}授予「{t}」"),
                    RankPrize::Points { account, points } => format!(
                        "{top}{}，计入「{}」",
                        signed_points(*points),
                        account_name(compact, *account)
                    ),
                }
            })
            .collect();
        let ties = match rank.ties {
            TiePolicy::AllTied => "分数并列的均得",
            TiePolicy::ById => "分数并列的按户号先后取",
        };
        let owner = compact.accounts.get(rank.account).map_or(0, |a| a.owner);
        let group = rank
            .group
            .and_then(|g| compact.kinds.get(owner)?.attributes.get(g))
            .map(|a| format!("，「{}」不同的分别排名", a.name))
            .unwrap_or_default();
        let excludes = if rank.excludes_vetoed {
            "，被一票否决的不参加排名"
        } else {
            ""
        };
        sentences.push(format!(
            "按年度「{}」从高到低排名{excludes}{group}，{}；{ties}。",
            account_name(compact, rank.account),
            awards.join("；")
        ));
    }
    if let Some(d) = compact.dividend.as_ref().filter(|d| d.clause == id) {
        let pool = match &d.pool_name {
            Some(name) if d.percent != Decimal::ONE_HUNDRED => {
                format!("以「{name}」的 {}% 为分红总额", number(d.percent))
            }
            Some(name) => format!("以「{name}」为分红总额"),
            None => "分红总额".to_string(),
        };
        let mut sentence = match d.per_point_fen {
            Some(fen) => format!(
                "按「{}」每分 {} 计发给有分红资格的户",
                account_name(compact, d.account),
                yuan(fen)
            ),
            None => format!(
                "{pool}，按「{}」比例分配给有分红资格的户",
                account_name(compact, d.account)
            ),
        };
        if let Some(min) = d.min_points {
            sentence.push_str(&format!("；不足 {} 分的户不参与", number(min)));
        }
        let unit = match d.unit_fen {
            100 => "元",
            10 => "角",
            _ => "分",
        };
        match (d.per_point_fen, d.unit_fen) {
            (Some(_), _) => {
                let mode = match d.rounding {
                    RoundingMode::HalfUp => "四舍五入",
                    RoundingMode::Up => "进一",
                    RoundingMode::Down => "去尾",
                };
                sentence.push_str(&format!("；各户金额{mode}取整到{unit}"));
                if d.deduct_negative {
                    sentence.push_str("；负分的户按分倒扣");
                } else {
                    sentence.push_str("；负分的户不参与");
                }
            }
            (None, unit_fen) => {
                if unit_fen != 1 {
                    sentence.push_str(&format!(
                        "；各户金额去尾取整到{unit}，分红总额中不足 1 {unit}的零头留归集体"
                    ));
                }
                if d.largest_remainder {
                    if unit_fen != 1 {
                        sentence.push_str(&format!("，其余零头按最大余数每户 1 {unit}补足"));
                    }
                } else {
                    sentence.push_str("；各户去尾后剩下的零头留归集体");
                }
            }
        }
        sentences.push(format!("{sentence}；被一票否决取消分红资格的不参与分配。"));
    }
    sentences
}
