//! Caps that say the same thing twice: two caps over one window and in one direction on the same
//! chapter, rule or account (本章 每年 至多 扣 100 分。 and 本章 每年 至多 扣 200 分。). Only one
//! of them could ever bite, and which one the villagers meant is not written anywhere, so it is
//! an error (E0126) rather than a silent choice of the smaller.
//!
//! And accounts declared 只加不减 (an honour account, 累计不扣减): every rule that could take
//! points from one is an error (E0131).

use crate::model::{Sign, Window};
use crate::syntax::Span;
use crate::syntax::ast::Declaration;

use super::{CheckError, Checker};

/// One cap as the duplicate check sees it: its window, the direction it limits (settled, so a
/// cap written without 加/扣 counts with the direction it takes), its limit and where it is.
#[derive(Clone)]
pub(crate) struct CapSite {
    pub(crate) window: Window,
    pub(crate) direction: Sign,
    pub(crate) limit: String,
    pub(crate) span: Span,
}

impl Checker<'_> {
    /// Duplicate caps on every chapter (directions settled) and every account.
    pub(crate) fn duplicate_chapter_and_account_caps(&mut self) {
        let file = self.file;
        for (index, chapter) in file.chapters.iter().enumerate() {
            let Some(settled) = self.compact.chapters.get(index) else {
                continue;
            };
            let sites: Vec<CapSite> = chapter
                .caps
                .iter()
                .zip(&settled.caps)
                .map(|(written, cap)| CapSite {
                    window: cap.window,
                    direction: cap.direction,
                    limit: cap.limit.to_string(),
                    span: written.span,
                })
                .collect();
            self.duplicate_caps(&sites, "本章");
        }
        let accounts = file.declarations.iter().filter_map(|d| match &d.node {
            Declaration::Account(account) => Some(account),
            _ => None,
        });
        for decl in accounts {
            let sites: Vec<CapSite> = decl
                .caps
                .iter()
                .map(|cap| CapSite {
                    window: cap.node.window,
                    direction: cap.node.sign.unwrap_or(Sign::Add),
                    limit: cap.node.limit.to_string(),
                    span: cap.span,
                })
                .collect();
            self.duplicate_caps(&sites, &format!("账户「{}」", decl.name.node));
        }
    }

    /// Reports every cap that repeats the window and direction of an earlier one on the same
    /// owner (`place` is 本章, 本条 or the account's name).
    pub(crate) fn duplicate_caps(&mut self, sites: &[CapSite], place: &str) {
        for (index, site) in sites.iter().enumerate() {
            let earlier = sites
                .iter()
                .take(index)
                .find(|e| e.window == site.window && e.direction == site.direction);
            if let Some(first) = earlier {
                self.error(CheckError::DuplicateCap {
                    span: site.span,
                    first: first.span,
                    place: place.to_string(),
                    window: window_words(site.window).to_string(),
                    direction: direction_words(site.direction).to_string(),
                    first_limit: first.limit.clone(),
                    limit: site.limit.clone(),
                });
            }
        }
    }
}

/// 每年 / 每季度 / 每月, as the message says it.
fn window_words(window: Window) -> &'static str {
    match window {
        Window::Period => "每年",
        Window::Quarter => "每季度",
        Window::Month => "每月",
    }
}

fn direction_words(direction: Sign) -> &'static str {
    match direction {
        Sign::Add => "加分",
        Sign::Deduct => "扣分",
    }
}

/// Whether a rule's action can book a negative amount (a deduction, or a ladder whose rungs
/// pay less than an earlier one).
fn may_deduct(action: &crate::model::Action) -> bool {
    use crate::model::Action;
    use rust_decimal::Decimal;
    match action {
        Action::Fixed { points } | Action::PerUnit { points, .. } => *points < Decimal::ZERO,
        Action::Range { sign, .. } => *sign == crate::model::Sign::Deduct,
        Action::Table {
            rows, otherwise, ..
        } => rows
            .iter()
            .map(|r| r.points)
            .chain(*otherwise)
            .any(|p| p < Decimal::ZERO),
        Action::Ladder { rungs, .. } => {
            rungs.iter().any(|r| r.points < Decimal::ZERO)
                || rungs.windows(2).any(|w| match w {
                    [a, b] => b.points < a.points,
                    _ => false,
                })
        }
        Action::Repair { points, .. } => points.is_some_and(|p| p < Decimal::ZERO),
        Action::Redeem { .. } | Action::Zero | Action::Veto(_) => false,
    }
}

impl Checker<'_> {
    /// 只加不减 (E0131): no rule may take points from such an account — no deduction booked
    /// into it, no 支出 from it, no veto zeroing it, no 修复 lifting points booked into it, no
    /// rank prize deducted into it.
    pub(crate) fn never_reduced(&mut self) {
        use crate::model::{Action, RankPrize, Rule, VetoEffect};
        let guarded: Vec<bool> = self
            .compact
            .accounts
            .iter()
            .map(|a| a.never_reduced)
            .collect();
        if !guarded.iter().any(|g| *g) {
            self.carried_at_period_end();
            return;
        }
        let is_guarded = |a: usize| guarded.get(a).copied().unwrap_or(false);
        let help_deduct = "删去「只加不减」，或把这条的扣分计入别的账户（计入 …）";
        let mut found: Vec<(Span, usize, &'static str, &'static str)> = Vec::new();
        for clause in &self.compact.clauses {
            let into: Vec<usize> = clause
                .accounts
                .iter()
                .copied()
                .filter(|a| is_guarded(*a))
                .collect();
            for rule in &clause.rules {
                match rule {
                    Rule::Base(b) if b.points < rust_decimal::Decimal::ZERO => {
                        found.extend(
                            into.iter()
                                .map(|&a| (b.span, a, "扣分的基础分规则", help_deduct)),
                        );
                    }
                    Rule::Streak(s) if s.points < rust_decimal::Decimal::ZERO => {
                        found.extend(
                            into.iter()
                                .map(|&a| (s.span, a, "扣分的连续规则", help_deduct)),
                        );
                    }
                    Rule::Event(e) => match &e.action {
                        Action::Redeem { account, .. } if is_guarded(*account) => found.push((
                            e.span,
                            *account,
                            "从它支出",
                            "兑换从另一个账户支出（如 兑换积分），或删去「只加不减」",
                        )),
                        Action::Veto(effects) => {
                            for effect in effects {
                                if let VetoEffect::ZeroAccount(a) = effect
                                    && is_guarded(*a)
                                {
                                    found.push((
                                        e.span,
                                        *a,
                                        "一票否决清零",
                                        "删去对它的「清零」，或删去「只加不减」",
                                    ));
                                }
                            }
                        }
                        action => {
                            if may_deduct(action) {
                                found.extend(
                                    into.iter().map(|&a| (e.span, a, "扣分的规则", help_deduct)),
                                );
                            }
                            if let Action::Repair { targets, .. } = action {
                                for &t in targets {
                                    let lifted = self
                                        .compact
                                        .clauses
                                        .get(t)
                                        .map(|c| c.accounts.clone())
                                        .unwrap_or_default();
                                    found.extend(lifted.into_iter().filter(|a| is_guarded(*a)).map(
                                        |a| {
                                            (
                                                e.span,
                                                a,
                                                "修复撤销所修复条文计入的分数",
                                                "修复的条文不要计入只加不减的账户，或删去「只加不减」",
                                            )
                                        },
                                    ));
                                }
                            }
                        }
                    },
                    _ => {}
                }
            }
        }
        for rank in &self.compact.ranks {
            for award in &rank.awards {
                if let RankPrize::Points { account, points } = award.prize
                    && points < rust_decimal::Decimal::ZERO
                    && is_guarded(account)
                {
                    found.push((rank.span, account, "排名扣分", help_deduct));
                }
            }
        }
        self.carried_at_period_end();
        for (span, account, what, help) in found {
            let account = self
                .compact
                .accounts
                .get(account)
                .map(|a| a.name.clone())
                .unwrap_or_default();
            self.error(CheckError::ReducesNeverReduced {
                span,
                account,
                what: what.to_string(),
                help: help.to_string(),
            });
        }
    }
}

impl Checker<'_> {
    /// 余额结转 with what is booked at a period's end (E0132): a veto zeroing the account, a
    /// rank prize or a streak award into it.
    fn carried_at_period_end(&mut self) {
        use crate::model::{RankPrize, Rule, VetoEffect};
        let carries: Vec<bool> = self.compact.accounts.iter().map(|a| a.carries).collect();
        if !carries.iter().any(|c| *c) {
            return;
        }
        let carried = |a: usize| carries.get(a).copied().unwrap_or(false);
        let mut found: Vec<(Span, usize, &'static str)> = Vec::new();
        for clause in &self.compact.clauses {
            for rule in &clause.rules {
                match rule {
                    Rule::Event(e) => {
                        if let crate::model::Action::Veto(effects) = &e.action {
                            for effect in effects {
                                if let VetoEffect::ZeroAccount(a) = effect
                                    && carried(*a)
                                {
                                    found.push((e.span, *a, "一票否决的清零"));
                                }
                            }
                        }
                    }
                    Rule::Streak(s) => found.extend(
                        clause
                            .accounts
                            .iter()
                            .filter(|a| carried(**a))
                            .map(|&a| (s.span, a, "连续奖励")),
                    ),
                    Rule::Base(_) => {}
                }
            }
        }
        for rank in &self.compact.ranks {
            for award in &rank.awards {
                if let RankPrize::Points { account, .. } = award.prize
                    && carried(account)
                {
                    found.push((rank.span, account, "排名奖励"));
                }
            }
        }
        for (span, account, what) in found {
            let account = self
                .compact
                .accounts
                .get(account)
                .map(|a| a.name.clone())
                .unwrap_or_default();
            self.error(CheckError::CarriedAtPeriodEnd {
                span,
                account,
                what: what.to_string(),
                help: "把它计入不结转的账户，或删去「余额结转」".to_string(),
            });
        }
    }
}
