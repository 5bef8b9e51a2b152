//! Checking the result rules: ratings (评定), rank awards (排名) and the dividend (分红).

use rust_decimal::Decimal;

use super::conditions::Scope;
use super::{CheckError, Checker};
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
            let upper = match row.form {
                ast::RowForm::Range(hi) => Some(hi),
                _ => None,
            };
            if let Some(hi) = upper {
                let lo = row.threshold;
                let problem = if hi < lo {
                    Some((
                        format!("写成 {lo}—{hi} 分，下限大于上限"),
                        format!("写成 {hi}—{lo} 分"),
                    ))
                } else {
                    match rows.last() {
                        Some(previous)
                            if hi > previous.threshold
                                || (hi == previous.threshold && previous.inclusive) =>
                        {
                            Some((
                                format!(
                                    "到 {hi} 分，与上一档「{}」（{} 分起）重叠",
                                    previous.label, previous.threshold
                                ),
                                format!(
                                    "上限写到上一档分数线以下，例如 {lo}—{} 分",
                                    previous.threshold - Decimal::ONE
                                ),
                            ))
                        }
                        Some(previous) if previous.threshold - hi > Decimal::ONE => Some((
                            format!(
                                "到 {hi} 分，与上一档「{}」（{} 分起）之间有空档",
                                previous.label, previous.threshold
                            ),
                            format!(
                                "分数区间要一档接一档：这一档写到 {} 分，或补上中间的一档",
                                previous.threshold - Decimal::ONE
                            ),
                        )),
                        _ => None,
                    }
                };
                if let Some((problem, help)) = problem {
                    self.error(range_error(row, row.span, problem, help));
                    return;
                }
            }
            if let Some(previous) = rows.last() {
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
        if let Some(rating) = self.compact.ratings.get_mut(id) {
            rating.limit = limit;
            rating.account = account;
            rating.rows = rows;
            rating.otherwise = rule.otherwise.as_ref().map(|o| o.node.clone());
            rating.span = span;
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
