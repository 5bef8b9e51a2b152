//! Checking the result rules: ratings (评定), rank awards (排名) and the dividend (分红).

use rust_decimal::Decimal;

use super::conditions::Scope;
use super::{CheckError, CheckWarning, Checker};
use crate::model::RoundingMode;
use crate::model::describe;
use crate::model::{
    AccountId, ClauseId, Dividend, HOUSEHOLD, RankAward, RankPrize, RankRule, RatingRow,
};
use crate::syntax::Span;
use crate::syntax::ast::{self, RankTop, Sign};

impl Checker<'_> {
    /// The account named, or the households' default account.
    fn account_or_default(&mut self, name: Option<&ast::Name>, at: Span) -> Option<AccountId> {
        match name {
            Some(name) => self.account_of(name),
            None => self.default_account_for(HOUSEHOLD, at),
        }
    }

    pub(crate) fn rating(&mut self, rule: &ast::RatingRule, clause: ClauseId, span: Span) {
        let Some(&id) = self.rating_names.get(&rule.name.node) else {
            return;
        };
        // A duplicate name was reported in pass 1; only the first definition is kept.
        if self.compact.ratings.get(id).map(|r| r.clause) != Some(clause) {
            return;
        }
        if !rule.series.is_empty() {
            // Resolved once every rating's rows are known (the windows may come later).
            self.pending_series.push((id, rule.clone(), span));
            return;
        }
        self.window_units(rule);
        let Some(account) = self.account_or_default(rule.account.as_ref(), span) else {
            return;
        };
        let mut rows: Vec<RatingRow> = Vec::new();
        let range_error = |row: &ast::RatingRow, span: Span, problem: String, help: String| {
            CheckError::RatingRange {
                span,
                rating: rule.name.node.clone(),
                row: row.label.clone(),
                problem,
                help,
            }
        };
        for row in &rule.rows {
            let (upper, upper_counts) = match row.form {
                ast::RowForm::Range {
                    upper,
                    upper_counts,
                } => (Some(upper), upper_counts),
                _ => (None, true),
            };
            if let Some(hi) = upper {
                let lo = row.threshold;
                let problem = if hi < lo {
                    Some((
                        format!("写成 {lo}—{hi} 分，下限大于上限"),
                        format!("写成 {hi}—{lo} 分"),
                    ))
                } else {
                    // How the row above starts (「1060 分起」, or 「高于 1060 分」 for 1060 分（不含）
                    // 以上).
                    let starts = |r: &RatingRow| {
                        if r.inclusive {
                            format!("{} 分起", r.threshold)
                        } else {
                            format!("高于 {} 分", r.threshold)
                        }
                    };
                    // Where this row's range must end to meet the row above: 79 分 (or 80 分
                    // （不含）) below 80 分起; 1060 分 below 高于 1060 分.
                    let meet = |r: &RatingRow| {
                        if r.inclusive && upper_counts {
                            format!("{} 分", r.threshold - Decimal::ONE)
                        } else if r.inclusive {
                            format!("{} 分（不含）", r.threshold)
                        } else {
                            format!("{} 分", r.threshold)
                        }
                    };
                    let lo_text = if row.inclusive {
                        format!("{lo}")
                    } else {
                        format!("{lo}（不含）")
                    };
                    // 到 80 分, or 到 80 分（不含） when the upper bound is not in the row.
                    let to = if upper_counts {
                        format!("到 {hi} 分")
                    } else {
                        format!("到 {hi} 分（不含）")
                    };
                    match rows.iter().rev().find(|r| r.top.is_none()) {
                        Some(previous)
                            if hi > previous.threshold
                                || (hi == previous.threshold
                                    && previous.inclusive
                                    && upper_counts) =>
                        {
                            Some((
                                format!(
                                    "{to}，与上一档「{}」（{}）重叠",
                                    previous.label,
                                    starts(previous)
                                ),
                                if previous.inclusive && upper_counts {
                                    format!(
                                        "上限写到上一档分数线以下，例如 {lo_text}—{}，或 {lo_text}—{} 分（不含）",
                                        meet(previous),
                                        previous.threshold
                                    )
                                } else {
                                    format!(
                                        "上限写到上一档分数线以下，例如 {lo_text}—{}",
                                        meet(previous)
                                    )
                                },
                            ))
                        }
                        // A gap: whole points between the two rows, or — the upper bound not
                        // counted — any point up to the row above.
                        Some(previous)
                            if (upper_counts && previous.threshold - hi > Decimal::ONE)
                                || (!upper_counts
                                    && (previous.threshold > hi
                                        || (previous.threshold == hi && !previous.inclusive))) =>
                        {
                            Some((
                                format!(
                                    "{to}，与上一档「{}」（{}）之间有空档",
                                    previous.label,
                                    starts(previous)
                                ),
                                format!(
                                    "分数区间要一档接一档：这一档写到 {}，或补上中间的一档",
                                    meet(previous)
                                ),
                            ))
                        }
                        _ => None,
                    }
                };
                if let Some((problem, help)) = problem {
                    self.error(range_error(row, row.span, problem, help));
                    return;
                }
            }
            let top = match row.form {
                ast::RowForm::Top(top) => Some(top),
                _ => None,
            };
            // 前 N 名 rows come first: below a row with a bound there is no "first N" left.
            if top.is_some()
                && let Some(previous) = rows.iter().rev().find(|r| r.top.is_none())
            {
                self.error(CheckError::OutOfOrder {
                    span: row.span,
                    what: format!("评定「{}」", rule.name.node),
                    row: format!("{}（在「{}」之后）", row.label, previous.label),
                    help: "按名次的档（前 N 名）写在按分数线的档之前".to_string(),
                });
                return;
            }
            if top.is_none()
                && let Some(previous) = rows.iter().rev().find(|r| r.top.is_none())
            {
                // A later row is reachable only below the previous bound, or exactly at it
                // when the previous row excluded it (高于 100, then 不低于 100).
                let reachable = row.threshold < previous.threshold
                    || (row.threshold == previous.threshold
                        && !previous.inclusive
                        && row.inclusive);
                if !reachable {
                    self.error(CheckError::OutOfOrder {
                        span: row.span,
                        what: format!("评定「{}」", rule.name.node),
                        row: row.label.clone(),
                        help: "评定从高到低排列，先满足的档次先评；每档的分数线要比上一档低"
                            .to_string(),
                    });
                    return;
                }
            }
            rows.push(RatingRow {
                inclusive: row.inclusive,
                threshold: row.threshold,
                label: row.label.clone(),
                upper,
                upper_counts,
                top,
            });
        }
        let owner = self
            .compact
            .accounts
            .get(account)
            .map_or(HOUSEHOLD, |a| a.owner);
        let limit = match &rule.limit {
            Some(c) => match self.condition(c, Scope::Subject { kind: owner }) {
                Some(c) => Some(c),
                None => return,
            },
            None => None,
        };
        let otherwise = rule.otherwise.as_ref().map(|o| o.node.clone());
        let mut hidden = Vec::new();
        for label in &rule.hidden {
            let known = rows.iter().any(|r| r.label == label.node)
                || otherwise.as_deref() == Some(label.node.as_str());
            if known {
                hidden.push(label.node.clone());
            } else {
                let mut labels: Vec<&str> = rows.iter().map(|r| r.label.as_str()).collect();
                labels.extend(otherwise.as_deref());
                self.error(CheckError::WindowLabel {
                    span: label.span,
                    rating: rule.name.node.clone(),
                    problem: format!("没有「{}」这一档，无法不公布它", label.node),
                    help: format!("不公布的档要写本评定的档名之一：{}", labels.join("、")),
                });
            }
        }
        // A windowed rating is one rating per window: each gets the same rows.
        let windows = match &rule.every {
            Some(every) => every.node.count(),
            None => 1,
        };
        for rating in self.compact.ratings.iter_mut().skip(id).take(windows) {
            rating.limit = limit.clone();
            rating.account = account;
            rating.rows = rows.clone();
            rating.otherwise = otherwise.clone();
            rating.hidden = hidden.clone();
            rating.span = span;
        }
    }

    /// 每季度 / 本季度: E0137 when the windows do not agree, E0138 when the period does not start
    /// on a month's first day.
    fn window_units(&mut self, rule: &ast::RatingRule) {
        let name = rule.name.node.clone();
        let word = |w: ast::Every| match w {
            ast::Every::Quarter => "季度",
            ast::Every::Month => "月",
        };
        match (&rule.every, &rule.own) {
            (None, Some(own)) => self.error(CheckError::WindowUnit {
                span: own.span,
                rating: name.clone(),
                problem: format!("按本{}的积分评定，但它每年只评一次", word(own.node)),
                help: format!(
                    "在「评定」前写 `每{}`（`每{} 评定 {name}（按 本{} …）`），或去掉「本{}」按全年积分评定",
                    word(own.node),
                    word(own.node),
                    word(own.node),
                    word(own.node)
                ),
            }),
            (Some(every), Some(own)) if every.node != own.node => {
                self.error(CheckError::WindowUnit {
                    span: own.span,
                    rating: name.clone(),
                    problem: format!(
                        "每{}评定一次，却按本{}的积分评定",
                        word(every.node),
                        word(own.node)
                    ),
                    help: format!(
                        "两处写成同一个：`每{} 评定 … （按 本{} …）`",
                        word(every.node),
                        word(every.node)
                    ),
                })
            }
            _ => {}
        }
        if let Some(every) = &rule.every {
            let start = self.compact.period_start;
            if start.day != 1 {
                self.error(CheckError::WindowPeriod {
                    span: every.span,
                    rating: name,
                    unit: word(every.node).to_string(),
                    start: format!("{}月{}日", start.month, start.day),
                });
            }
        }
    }

    /// Year ratings from windows (四个季度 均为「红榜」): each row's label found among the
    /// windowed ratings' (E0136), the units compared (E0137), rows no one can meet (W0113).
    pub(crate) fn resolve_series(&mut self) {
        for (id, rule, span) in std::mem::take(&mut self.pending_series) {
            let name = rule.name.node.clone();
            if let Some(every) = &rule.every {
                self.error(CheckError::WindowUnit {
                    span: every.span,
                    rating: name.clone(),
                    problem: "由各季度（月）的评定得出，本身只能每年评一次".to_string(),
                    help: "去掉「评定」前的 `每季度`/`每月`".to_string(),
                });
                continue;
            }
            if let Some(own) = &rule.own {
                self.error(CheckError::WindowUnit {
                    span: own.span,
                    rating: name.clone(),
                    problem: "由各季度（月）的评定得出，不按积分评定".to_string(),
                    help: "去掉（按 …），积分写在按季度（月）评定的那一条里".to_string(),
                });
                continue;
            }
            let mut rows = Vec::new();
            let mut account = None;
            let mut failed = false;
            for row in &rule.series {
                let wanted = row.test.label();
                // The windowed ratings (their first windows) giving this label.
                let groups: Vec<usize> = self
                    .compact
                    .ratings
                    .iter()
                    .enumerate()
                    .filter(|(i, r)| {
                        r.window.as_ref().is_some_and(|w| w.group == *i)
                            && (r.rows.iter().any(|x| x.label == wanted.node)
                                || r.otherwise.as_deref() == Some(wanted.node.as_str()))
                    })
                    .map(|(i, _)| i)
                    .collect();
                // Each windowed rating with its labels: 「红黑榜」：红榜、黑榜.
                let windowed: Vec<String> = self
                    .compact
                    .ratings
                    .iter()
                    .enumerate()
                    .filter_map(|(i, r)| {
                        let w = r.window.as_ref().filter(|w| w.group == i)?;
                        let mut labels: Vec<&str> = r
                            .rows
                            .iter()
                            .map(|x| x.label.as_str())
                            .filter(|l| !l.is_empty())
                            .collect();
                        labels.extend(r.otherwise.as_deref());
                        Some(format!("「{}」的档有 {}", w.base, labels.join("、")))
                    })
                    .collect();
                let &[group] = groups.as_slice() else {
                    let yearly = self.compact.ratings.iter().find(|r| {
                        r.window.is_none()
                            && (r.rows.iter().any(|x| x.label == wanted.node)
                                || r.otherwise.as_deref() == Some(wanted.node.as_str()))
                    });
                    let (problem, help) = if groups.len() > 1 {
                        (
                            format!("的「{}」有几个按季度（月）评定的评定都有", wanted.node),
                            "给这几个评定的档起不同的名字".to_string(),
                        )
                    } else if let Some(yearly) = yearly {
                        (
                            format!(
                                "要看各季度（月）是否为「{}」，但「{}」每年只评一次",
                                wanted.node, yearly.name
                            ),
                            format!("在「{}」的「评定」前写 `每季度` 或 `每月`", yearly.name),
                        )
                    } else if windowed.is_empty() {
                        (
                            format!(
                                "要看各季度（月）是否为「{}」，但没有按季度或按月的评定",
                                wanted.node
                            ),
                            "先写一条 `每季度 评定 红黑榜（按 本季度 户积分）：…`".to_string(),
                        )
                    } else {
                        (
                            format!(
                                "要看各季度（月）是否为「{}」，但按季度（月）评定的没有这一档",
                                wanted.node
                            ),
                            format!("写按季度（月）评定的档名之一：{}", windowed.join("；")),
                        )
                    };
                    self.error(CheckError::WindowLabel {
                        span: wanted.span,
                        rating: name.clone(),
                        problem,
                        help,
                    });
                    failed = true;
                    continue;
                };
                let Some(first) = self.compact.ratings.get(group) else {
                    continue;
                };
                let unit = first
                    .window
                    .as_ref()
                    .map_or(ast::Every::Quarter, |w| w.unit);
                let base = first
                    .window
                    .as_ref()
                    .map(|w| w.base.clone())
                    .unwrap_or_default();
                account.get_or_insert(first.account);
                let count = unit.count();
                let windows: Vec<usize> = (group..group + count).collect();
                let word = |w: ast::Every| match w {
                    ast::Every::Quarter => "季度",
                    ast::Every::Month => "月",
                };
                let (test, written) = match &row.test {
                    ast::SeriesTest::All { unit: u, .. } => {
                        (crate::model::SeriesTest::All, Some(*u))
                    }
                    ast::SeriesTest::Run { times, unit: u, .. } => {
                        (crate::model::SeriesTest::Run(*times), *u)
                    }
                    ast::SeriesTest::Times { times, .. } => {
                        (crate::model::SeriesTest::Times(*times), None)
                    }
                };
                if let Some(written) = written
                    && written != unit
                {
                    self.error(CheckError::WindowUnit {
                        span: row.span,
                        rating: name.clone(),
                        problem: format!(
                            "按{}数「{}」，但「{base}」是每{}评定的",
                            word(written),
                            wanted.node,
                            word(unit)
                        ),
                        help: match unit {
                            ast::Every::Quarter => "按季度写：`四个季度 均为「…」`、`连续 2 个季度 登上「…」`，或写 `连续 2 次`".to_string(),
                            ast::Every::Month => "按月写：`十二个月 均为「…」`、`连续 3 个月 登上「…」`，或写 `连续 3 次`".to_string(),
                        },
                    });
                    failed = true;
                    continue;
                }
                let label = row.label.clone().unwrap_or_else(|| name.clone());
                let times = match test {
                    crate::model::SeriesTest::Run(n) | crate::model::SeriesTest::Times(n) => {
                        Some(n)
                    }
                    crate::model::SeriesTest::All => None,
                };
                if let Some(n) = times
                    && (n == 0 || n as usize > count)
                {
                    self.warn(CheckWarning::SeriesNever {
                        span: row.span,
                        rating: name.clone(),
                        row: label.clone(),
                        problem: if n == 0 {
                            "要求 0 次，人人都满足".to_string()
                        } else {
                            format!(
                                "要求 {n} 次，但一年只有 {count} 个{}，谁也评不上",
                                word(unit)
                            )
                        },
                        help: format!("次数写 1 到 {count} 之间"),
                    });
                }
                rows.push(crate::model::SeriesRow {
                    test,
                    wanted: wanted.node.clone(),
                    windows,
                    label,
                });
            }
            if failed {
                continue;
            }
            let account = match &rule.account {
                Some(n) => self.account_of(n),
                None => account,
            };
            let Some(account) = account else { continue };
            let owner = self
                .compact
                .accounts
                .get(account)
                .map_or(HOUSEHOLD, |a| a.owner);
            let limit = match &rule.limit {
                Some(c) => match self.condition(c, Scope::Subject { kind: owner }) {
                    Some(c) => Some(c),
                    None => continue,
                },
                None => None,
            };
            // A year rating read from an unpublished label (登上「黑榜」 达 2 次) would name
            // who was on it: its label is unpublished too.
            let hidden: Vec<String> = rows
                .iter()
                .filter(|row| {
                    row.windows
                        .first()
                        .and_then(|w| self.compact.ratings.get(*w))
                        .is_some_and(|w| w.hidden.contains(&row.wanted))
                })
                .map(|row| row.label.clone())
                .collect();
            if let Some(rating) = self.compact.ratings.get_mut(id) {
                rating.hidden = hidden;
                rating.account = account;
                rating.series = rows;
                rating.limit = limit;
                rating.otherwise = rule.otherwise.as_ref().map(|o| o.node.clone());
                rating.span = span;
            }
        }
    }

    pub(crate) fn rank(
        &mut self,
        rule: &ast::RankRule,
        clause: ClauseId,
        span: Span,
        credited: &[AccountId],
    ) {
        let Some(account) = self.account_of(&rule.account) else {
            return;
        };
        let owner = self
            .compact
            .accounts
            .get(account)
            .map(|a| a.owner)
            .unwrap_or(HOUSEHOLD);
        let mut awards = Vec::new();
        for award in &rule.awards {
            match award.node.top {
                RankTop::Count(0) => {
                    self.error(CheckError::OutOfPlace {
                        span: award.span,
                        what: "前 0 名".to_string(),
                        place: "排名奖励".to_string(),
                        help: "写成 前 10 名 或 前 5%".to_string(),
                    });
                    continue;
                }
                RankTop::Percent(p) if p <= Decimal::ZERO || p > Decimal::ONE_HUNDRED => {
                    self.error(CheckError::OutOfPlace {
                        span: award.span,
                        what: format!("{p}%"),
                        place: "排名比例".to_string(),
                        help: "比例在 0% 与 100% 之间，例如 前 5%".to_string(),
                    });
                    continue;
                }
                _ => {}
            }
            let prize = match &award.node.prize {
                ast::RankPrize::Title(title) => RankPrize::Title(title.clone()),
                ast::RankPrize::Points {
                    sign,
                    points,
                    account: target,
                } => {
                    let target_id = match target {
                        Some(name) => self.account_of(name),
                        None => credited
                            .first()
                            .copied()
                            .or_else(|| self.compact.default_account(owner)),
                    };
                    let Some(target_id) = target_id else { continue };
                    if target_id == account {
                        self.error(CheckError::RankIntoRankedAccount {
                            span: award.span,
                            account: rule.account.node.clone(),
                        });
                        continue;
                    }
                    if let Some(flag) = self.credited_accounts.get_mut(target_id) {
                        *flag = true;
                    }
                    RankPrize::Points {
                        account: target_id,
                        points: match sign {
                            Sign::Add => *points,
                            Sign::Deduct => -*points,
                        },
                    }
                }
            };
            awards.push(RankAward {
                top: award.node.top,
                prize,
            });
        }
        let group = rule.group.as_ref().and_then(|name| {
            let found = self
                .compact
                .kinds
                .get(owner)
                .and_then(|k| k.attributes.iter().position(|a| a.name == name.node));
            if found.is_none() {
                self.unknown_attribute(name, owner);
            }
            found
        });
        self.compact.ranks.push(RankRule {
            account,
            group,
            excludes_vetoed: rule.excludes_vetoed.is_some(),
            awards,
            ties: rule.ties,
            clause,
            span,
        });
    }

    pub(crate) fn dividend(&mut self, rule: &ast::DividendRule, clause: ClauseId, span: Span) {
        if let Some(first) = &self.compact.dividend {
            self.error(CheckError::DuplicateSetting {
                span,
                first: first.span,
                what: "分红规则".to_string(),
            });
            return;
        }
        let Some(account) = self.account_of(&rule.account) else {
            return;
        };
        let percent = match &rule.pool {
            Some(ast::PoolShare {
                percent: Some(p), ..
            }) => {
                if p.node <= Decimal::ZERO || p.node > Decimal::ONE_HUNDRED {
                    self.error(CheckError::OutOfPlace {
                        span: p.span,
                        what: format!("{}%", p.node),
                        place: "分红比例".to_string(),
                        help: "比例在 0% 与 100% 之间，例如 净利润 的 49%".to_string(),
                    });
                    return;
                }
                p.node
            }
            _ => Decimal::ONE_HUNDRED,
        };
        let per_point = rule.per_point.as_ref().map(|p| p.node);
        let mut dividend = Dividend {
            account,
            pool_name: rule.pool.as_ref().map(|p| p.name.node.clone()),
            percent,
            per_point_fen: per_point,
            min_points: None,
            unit_fen: 1,
            rounding: RoundingMode::HalfUp,
            largest_remainder: true,
            deduct_negative: false,
            clause,
            span,
        };
        if let Some(p) = &rule.per_point
            && p.node <= 0
        {
            self.error(CheckError::OutOfPlace {
                span: p.span,
                what: describe::yuan(p.node),
                place: "每分计发的金额".to_string(),
                help: "每分的金额要大于 0，例如 每分 2.5 元".to_string(),
            });
            return;
        }
        // Each kind of option once: 不足, 取整, 零头, 负分.
        let mut seen: [Option<Span>; 4] = [None; 4];
        for option in &rule.options {
            let (slot, what) = match option.node {
                ast::DividendOption::MinPoints(_) => (0, "分红的最低分"),
                ast::DividendOption::Round { .. } => (1, "分红的取整"),
                ast::DividendOption::Remainder { .. } => (2, "分红零头的去处"),
                ast::DividendOption::Negative { .. } => (3, "负分户的分红"),
            };
            if let Some(Some(first)) = seen.get(slot) {
                self.error(CheckError::DuplicateSetting {
                    span: option.span,
                    first: *first,
                    what: what.to_string(),
                });
                continue;
            }
            if let Some(place) = seen.get_mut(slot) {
                *place = Some(option.span);
            }
            let misfit = match (&option.node, per_point) {
                (ast::DividendOption::Remainder { .. }, Some(_)) => Some((
                    "按每分计发的分红没有分红总额，也就没有零头可分",
                    "删去「零头 …」；各户金额怎样取整写 四舍五入 取整到 元（或 角）",
                )),
                (
                    ast::DividendOption::Round {
                        mode: Some(RoundingMode::HalfUp | RoundingMode::Up),
                        ..
                    },
                    None,
                ) => Some((
                    "按比例分配时各户金额先去尾取整，零头再分，不能四舍五入或进一（各户相加会超过分红总额）",
                    "写 取整到 元（或 去尾 取整到 元），再写 零头 按 最大余数 分配 或 零头 留归集体",
                )),
                (ast::DividendOption::Negative { deduct: true }, None) => Some((
                    "按比例分配的分红，负分户不能倒扣：分红总额只在正分户之间分",
                    "删去「负分 照扣」；要让负分户按分倒扣，改成 按 户积分 每分 N 元 计发",
                )),
                _ => None,
            };
            if let Some((problem, help)) = misfit {
                self.error(CheckError::DividendOption {
                    span: option.span,
                    problem: problem.to_string(),
                    help: help.to_string(),
                });
                continue;
            }
            match option.node {
                ast::DividendOption::MinPoints(points) => dividend.min_points = Some(points),
                ast::DividendOption::Round { mode, unit_fen } => {
                    dividend.unit_fen = unit_fen;
                    dividend.rounding = mode.unwrap_or(RoundingMode::HalfUp);
                }
                ast::DividendOption::Remainder { largest } => dividend.largest_remainder = largest,
                ast::DividendOption::Negative { deduct } => dividend.deduct_negative = deduct,
            }
        }
        self.compact.dividend = Some(dividend);
    }
}
