//! Checking the header and the declarations: settings, the register and rosters, accounts and
//! event kinds. Fills the compact's kinds, accounts and events and the name tables.

use indexmap::IndexMap;
use rust_decimal::Decimal;

use super::{CheckError, CheckWarning, Checker};
use crate::model::width::fold_width;
use crate::model::{
    Account, AccountId, Cap, EventKind, Field, HOUSEHOLD, KindId, Per, SubjectKind, ValueType,
};
use crate::syntax::Span;
use crate::syntax::ast::{self, Declaration, Setting, Sign};

/// The name of the implicit household account when a compact declares none.
pub const IMPLICIT_ACCOUNT: &str = "积分";

impl Checker<'_> {
    pub(crate) fn declarations(&mut self) {
        self.settings();
        self.compact.kinds.push(SubjectKind {
            name: "户".to_string(),
            attributes: Vec::new(),
            span: Span::default(),
        });
        self.kind_names.insert("户".to_string(), HOUSEHOLD);
        let file = self.file;
        // Kinds first, so that accounts and events may name a roster declared after them.
        let mut register_seen: Option<Span> = None;
        for declaration in &file.declarations {
            match &declaration.node {
                Declaration::Register(fields) => {
                    if let Some(first) = register_seen {
                        self.error(CheckError::DuplicateSetting {
                            span: declaration.span,
                            first,
                            what: "户籍".to_string(),
                        });
                        continue;
                    }
                    register_seen = Some(declaration.span);
                    let attributes = self.fields(fields, "属性");
                    if let Some(household) = self.compact.kinds.get_mut(HOUSEHOLD) {
                        household.attributes = attributes;
                        household.span = declaration.span;
                    }
                }
                Declaration::Roster { name, fields } => {
                    if let Some(&first) = self.kind_names.get(&*fold_width(&name.node)) {
                        let first = self
                            .compact
                            .kinds
                            .get(first)
                            .map(|k| k.span)
                            .unwrap_or_default();
                        self.error(CheckError::DuplicateName {
                            span: name.span,
                            first,
                            what: "名册".to_string(),
                            name: name.node.clone(),
                        });
                        continue;
                    }
                    let attributes = self.fields(fields, "属性");
                    self.kind_names.insert(
                        fold_width(&name.node).into_owned(),
                        self.compact.kinds.len(),
                    );
                    self.compact.kinds.push(SubjectKind {
                        name: name.node.clone(),
                        attributes,
                        span: name.span,
                    });
                }
                _ => {}
            }
        }
        let mut defaults: IndexMap<KindId, Span> = IndexMap::new();
        for declaration in &file.declarations {
            match &declaration.node {
                Declaration::Account(account) => self.account(account, &mut defaults),
                Declaration::Event(event) => self.event_kind(event),
                _ => {}
            }
        }
        // A compact that declares no household account gets one, 积分, so that simple compacts
        // need no 账户 line.
        if !self.compact.accounts.iter().any(|a| a.owner == HOUSEHOLD) {
            self.account_names
                .insert(IMPLICIT_ACCOUNT.to_string(), self.compact.accounts.len());
            self.compact.accounts.push(Account {
                name: IMPLICIT_ACCOUNT.to_string(),
                owner: HOUSEHOLD,
                is_default: true,
                floor: None,
                caps: Vec::new(),
                never_reduced: false,
                carries: false,
                base: None,
                groups: Vec::new(),
                clears_on: None,
                expires_after: None,
                span: Span::default(),
            });
        }
        // Where no account of a kind is marked 默认, its first account is the default.
        for kind in 0..self.compact.kinds.len() {
            if !defaults.contains_key(&kind)
                && let Some(first) = self.compact.accounts.iter_mut().find(|a| a.owner == kind)
            {
                first.is_default = true;
            }
        }
        self.used_events = vec![false; self.compact.events.len()];
        self.credited_accounts = vec![false; self.compact.accounts.len()];
    }

    fn settings(&mut self) {
        if self.file.template {
            self.compact.template = Some(Default::default());
        }
        let mut seen: IndexMap<&'static str, Span> = IndexMap::new();
        for setting in &self.file.settings {
            let what = match &setting.node {
                Setting::Version(_) => "版本",
                Setting::Effective(_) => "生效日期",
                Setting::Period(_) => "周期",
                Setting::Basis(_) => "依据",
                Setting::OptionalLimit {
                    sign: ast::Sign::Add,
                    ..
                } => "自选加分项",
                Setting::OptionalLimit { .. } => "自选扣分项",
            };
            if let Some(&first) = seen.get(what) {
                self.error(CheckError::DuplicateSetting {
                    span: setting.span,
                    first,
                    what: what.to_string(),
                });
                continue;
            }
            seen.insert(what, setting.span);
            match &setting.node {
                Setting::Version(v) => self.compact.version = Some(v.clone()),
                Setting::Effective(d) => self.compact.effective = Some(*d),
                Setting::Period(Some(start)) => self.compact.period_start = *start,
                Setting::Period(None) => {}
                Setting::Basis(name) => {
                    self.compact.basis = Some(crate::model::Basis {
                        name: name.node.clone(),
                        span: name.span,
                    });
                }
                Setting::OptionalLimit {
                    sign,
                    count,
                    points,
                } => {
                    if !self.file.template {
                        self.warn(CheckWarning::TemplateOnlySetting {
                            span: setting.span,
                            what: what.to_string(),
                        });
                        continue;
                    }
                    let limit = crate::model::OptionalLimit {
                        count: *count,
                        points: *points,
                    };
                    let limits = self.compact.template.get_or_insert_with(Default::default);
                    if *sign == ast::Sign::Add {
                        limits.awards = Some(limit);
                    } else {
                        limits.deductions = Some(limit);
                    }
                }
            }
        }
    }

    /// Typed fields from declarations, reporting duplicates.
    pub(crate) fn fields(&mut self, decls: &[ast::FieldDecl], what: &str) -> Vec<Field> {
        let mut fields: Vec<Field> = Vec::new();
        for decl in decls {
            if let Some(first) = fields.iter().find(|f| f.name == decl.name.node) {
                self.error(CheckError::DuplicateName {
                    span: decl.name.span,
                    first: first.span,
                    what: what.to_string(),
                    name: decl.name.node.clone(),
                });
                continue;
            }
            let ty = match &decl.ty.node {
                ast::TypeExpr::Integer => ValueType::Integer,
                ast::TypeExpr::Quantity(unit) => {
                    ValueType::Quantity(unit.as_ref().map(|u| u.node.clone()))
                }
                ast::TypeExpr::Money => ValueType::Money,
                ast::TypeExpr::Text => ValueType::Text,
                ast::TypeExpr::Bool => ValueType::Bool,
                ast::TypeExpr::Date => ValueType::Date,
                ast::TypeExpr::Points => ValueType::Points,
                ast::TypeExpr::Choice(options) => {
                    let mut names: Vec<String> = Vec::new();
                    for option in options {
                        if names.contains(&option.node) {
                            let first = options
                                .iter()
                                .find(|o| o.node == option.node)
                                .map(|o| o.span)
                                .unwrap_or_default();
                            self.error(CheckError::DuplicateName {
                                span: option.span,
                                first,
                                what: "选项".to_string(),
                                name: option.node.clone(),
                            });
                        } else {
                            names.push(option.node.clone());
                        }
                    }
                    ValueType::Choice(names)
                }
            };
            fields.push(Field {
                name: decl.name.node.clone(),
                ty,
                span: decl.name.span,
            });
        }
        fields
    }

    /// Resolves a roster's name to its kind (households when `name` is `None`).
    pub(crate) fn kind_of(&mut self, name: Option<&ast::Name>) -> Option<KindId> {
        let Some(name) = name else {
            return Some(HOUSEHOLD);
        };
        if let Some(&kind) = self.kind_names.get(&*fold_width(&name.node)) {
            return Some(kind);
        }
        let suggestion = super::closest(
            &name.node,
            self.kind_names
                .keys()
                .map(String::as_str)
                .filter(|k| *k != "户"),
        );
        self.error(CheckError::UnknownRoster {
            span: name.span,
            name: name.node.clone(),
            suggestion,
        });
        None
    }

    fn account(&mut self, decl: &ast::AccountDecl, defaults: &mut IndexMap<KindId, Span>) {
        if let Some(&first) = self.account_names.get(&decl.name.node) {
            let first = self
                .compact
                .accounts
                .get(first)
                .map(|a| a.span)
                .unwrap_or_default();
            self.error(CheckError::DuplicateName {
                span: decl.name.span,
                first,
                what: "账户".to_string(),
                name: decl.name.node.clone(),
            });
            return;
        }
        let Some(owner) = self.kind_of(decl.owner.as_ref()) else {
            return;
        };
        if decl.is_default {
            if let Some(&first) = defaults.get(&owner) {
                self.error(CheckError::TooManyDefaults {
                    span: decl.name.span,
                    first,
                    subject: self.kind_label(owner),
                });
            } else {
                defaults.insert(owner, decl.name.span);
            }
        }
        let caps = decl
            .caps
            .iter()
            .map(|cap| Cap {
                per: Per::Subject,
                window: cap.window,
                direction: cap.sign.unwrap_or(Sign::Add),
                limit: cap.limit,
            })
            .collect();
        let groups = self.groups(decl);
        self.clearing_dates(decl);
        let expires_after = self.expiry(decl);
        if decl.spend_oldest && decl.expiry.is_empty() {
            self.warn(CheckWarning::SpendOrderWithoutExpiry {
                span: decl.name.span,
                account: decl.name.node.clone(),
            });
        }
        self.account_names
            .insert(decl.name.node.clone(), self.compact.accounts.len());
        self.compact.accounts.push(Account {
            name: decl.name.node.clone(),
            owner,
            is_default: decl.is_default && defaults.get(&owner) == Some(&decl.name.span),
            floor: decl.floor.as_ref().map(|f| f.node),
            caps,
            never_reduced: decl.never_reduced,
            carries: decl.carries,
            base: decl.base.as_ref().map(|b| b.node),
            groups,
            clears_on: decl.clears.first().map(|c| c.node),
            expires_after,
            span: decl.name.span,
        });
    }

    /// An account's groups (分为 「甲」30 分、…), checked: names once (E0141), bases adding up
    /// to the account's 基础分 (E0139), floors below each base, no floor without groups and no
    /// groups on an account that carries its balance (E0142).
    fn groups(&mut self, decl: &ast::AccountDecl) -> Vec<crate::model::Group> {
        let account = decl.name.node.clone();
        let floor = decl.group_floor.as_ref().map_or(Decimal::ZERO, |f| f.node);
        let mut groups: Vec<crate::model::Group> = Vec::new();
        for group in &decl.groups {
            if let Some(first) = groups
                .iter()
                .find(|g| fold_width(&g.name) == fold_width(&group.name.node))
            {
                self.error(CheckError::DuplicateGroup {
                    span: group.name.span,
                    first: first.span,
                    account: account.clone(),
                    group: group.name.node.clone(),
                });
                continue;
            }
            if floor >= group.base.node {
                self.error(CheckError::BadGroups {
                    span: decl
                        .group_floor
                        .as_ref()
                        .map_or(group.base.span, |f| f.span),
                    account: account.clone(),
                    problem: format!(
                        "的分项「{}」只有 {} 分，最低 {} 分的规定使它一开始就扣不动",
                        group.name.node,
                        group.base.node.normalize(),
                        floor.normalize()
                    ),
                    label: "各项的最低分".to_string(),
                    help: "各项的最低分要低于每个分项的分值；扣完为止就是最低 0 分，可以不写最低"
                        .to_string(),
                });
            }
            groups.push(crate::model::Group {
                name: group.name.node.clone(),
                base: group.base.node,
                floor,
                full_at_base: decl.group_full,
                span: group.name.span,
            });
        }
        if groups.is_empty()
            && (decl.group_floor.is_some() || decl.group_to_zero || decl.group_full)
        {
            if let Some(base) = &decl.base {
                self.error(CheckError::BadGroups {
                    span: base.span,
                    account: account.clone(),
                    problem: "没有分项，「各项」无所指".to_string(),
                    label: "这里没有「分为」".to_string(),
                    help: "写出分项：基础分 100 分，分为「环境卫生」30 分、「遵纪守法」40 分、「邻里和睦」30 分，各项 扣完为止".to_string(),
                });
            }
        }
        if let (Some(base), false) = (&decl.base, groups.is_empty()) {
            let sum = decl.groups.iter().fold(Decimal::ZERO, |s, g| {
                s.checked_add(g.base.node).unwrap_or(s)
            });
            if sum != base.node {
                let span = decl
                    .groups
                    .first()
                    .zip(decl.groups.last())
                    .map_or(base.span, |(a, b)| a.name.span.join(b.base.span));
                self.error(CheckError::GroupsDoNotSum {
                    span,
                    account: account.clone(),
                    base: base.node.normalize().to_string(),
                    sum: sum.normalize().to_string(),
                    help: format!(
                        "核对原文：各分项的分值加起来应是基础分；把基础分改为 {} 分，或改正分项的分值",
                        sum.normalize()
                    ),
                });
            }
            if decl.carries {
                self.error(CheckError::BadGroups {
                    span: base.span,
                    account: account.clone(),
                    problem: "余额结转，又分项给基础分：分项的基础分每年重新给，与结转的余额对不上"
                        .to_string(),
                    label: "分项的基础分".to_string(),
                    help:
                        "分项计分的账户（如户积分）不结转；要结转的余额记在另一个账户（如兑换积分）"
                            .to_string(),
                });
            }
            if let Some(span) = decl
                .clears
                .first()
                .map(|c| c.span)
                .or_else(|| decl.expiry.first().map(|e| e.span))
            {
                self.error(CheckError::BadGroups {
                    span,
                    account: account.clone(),
                    problem: "分项给基础分，又每年清零或积分过期：清零、过期只动账户的余额，分项的余额对不上"
                        .to_string(),
                    label: "清零或有效期".to_string(),
                    help: "分项计分的账户不清零、不设有效期；要清零或过期的积分记在另一个账户（如兑换积分）"
                        .to_string(),
                });
            }
        }
        groups
    }

    /// 每年 M月D日 清零 (E0133): written once, on a day every year has, on an account that may
    /// be reduced.
    fn clearing_dates(&mut self, decl: &ast::AccountDecl) {
        let account = decl.name.node.clone();
        let mut problems: Vec<(Span, String, String)> = Vec::new();
        for (i, clear) in decl.clears.iter().enumerate() {
            let md = clear.node;
            if i > 0 {
                problems.push((
                    clear.span,
                    format!("写了两个清零日期（又写了 {}月{}日）", md.month, md.day),
                    "一个账户每年只清零一次：删去多余的一处".to_string(),
                ));
                continue;
            }
            if (md.month, md.day) == (2, 29) {
                problems.push((
                    clear.span,
                    "每年 2月29日 清零，但不是每年都有 2月29日".to_string(),
                    "改为每年都有的日子，如 2月28日 或 3月1日".to_string(),
                ));
            }
            if decl.never_reduced {
                problems.push((
                    clear.span,
                    "只加不减，却又每年清零，两者矛盾".to_string(),
                    "删去「只加不减」或删去清零".to_string(),
                ));
            }
        }
        for (span, problem, help) in problems {
            self.error(CheckError::ClearingDate {
                span,
                account: account.clone(),
                problem,
                help,
            });
        }
    }

    /// 积分有效期 N 年: N whole from 1, written once (E0134); not with 每年清零 or 只加不减
    /// (E0135); on an account that carries (W0112).
    fn expiry(&mut self, decl: &ast::AccountDecl) -> Option<u32> {
        let account = decl.name.node.clone();
        let first = decl.expiry.first()?;
        for extra in decl.expiry.iter().skip(1) {
            self.error(CheckError::BadExpiry {
                span: extra.span,
                account: account.clone(),
                problem: format!("写了两个积分有效期（又写了 {} 年）", extra.node.normalize()),
                help: "一个账户只有一个有效期：删去多余的一处".to_string(),
            });
        }
        let years = first.node;
        let whole = (years.fract().is_zero() && years >= Decimal::ONE)
            .then(|| rust_decimal::prelude::ToPrimitive::to_u32(&years))
            .flatten()
            .filter(|y| *y <= 100);
        let Some(whole) = whole else {
            let problem = if years.is_zero() {
                "的积分有效期是 0 年：积分一得到就作废".to_string()
            } else {
                format!(
                    "的积分有效期「{} 年」不是 1 到 100 之间的整年数",
                    years.normalize()
                )
            };
            self.error(CheckError::BadExpiry {
                span: first.span,
                account,
                problem,
                help: "有效期按整年（积分周期）计，写成 积分有效期 1 年、积分有效期 2 年 等；\
                       积分只在当年有效的，不写余额结转即可"
                    .to_string(),
            });
            return None;
        };
        if let Some(clear) = decl.clears.first() {
            self.error(CheckError::ExpiryConflict {
                span: first.span,
                with: Some(clear.span),
                other: "每年清零".to_string(),
                account: account.clone(),
                problem: "既有积分有效期，又每年清零：每年清零后积分活不到过期，两者矛盾"
                    .to_string(),
                help: "积分跨年有效、到期作废的，删去清零；每年清零的，删去有效期".to_string(),
            });
        }
        if decl.never_reduced {
            self.error(CheckError::ExpiryConflict {
                span: first.span,
                with: None,
                other: "只加不减".to_string(),
                account: account.clone(),
                problem: "只加不减，积分却会过期作废，两者矛盾".to_string(),
                help: "荣誉积分永久有效的，删去有效期；会过期的，删去「只加不减」".to_string(),
            });
        }
        if !decl.carries {
            self.warn(CheckWarning::ExpiryWithoutCarry {
                span: first.span,
                account,
                years: whole.to_string(),
            });
        }
        Some(whole)
    }

    fn event_kind(&mut self, decl: &ast::EventDecl) {
        if let Some(&first) = self.event_names.get(&*fold_width(&decl.name.node)) {
            let first = self
                .compact
                .events
                .get(first)
                .map(|e| e.span)
                .unwrap_or_default();
            self.error(CheckError::DuplicateName {
                span: decl.name.span,
                first,
                what: "事项".to_string(),
                name: decl.name.node.clone(),
            });
            return;
        }
        let owner = self.kind_of(decl.attribution.as_ref()).unwrap_or(HOUSEHOLD);
        let fields = self.fields(&decl.fields, "字段");
        self.event_names.insert(
            fold_width(&decl.name.node).into_owned(),
            self.compact.events.len(),
        );
        self.compact.events.push(EventKind {
            name: decl.name.node.clone(),
            owner,
            fields,
            evidence: decl.evidence.iter().map(|e| e.node.clone()).collect(),
            span: decl.name.span,
        });
    }

    /// Resolves an account's name, reporting an unknown one.
    pub(crate) fn account_of(&mut self, name: &ast::Name) -> Option<AccountId> {
        if let Some(&id) = self.account_names.get(&name.node) {
            return Some(id);
        }
        let suggestion = super::closest(&name.node, self.account_names.keys().map(String::as_str));
        self.error(CheckError::UnknownAccount {
            span: name.span,
            name: name.node.clone(),
            suggestion,
        });
        None
    }

    /// The default account of `kind`, or an error at `at` (where its points are scored) when the
    /// kind has no account.
    pub(crate) fn default_account_for(&mut self, kind: KindId, at: Span) -> Option<AccountId> {
        if let Some(id) = self.compact.default_account(kind) {
            return Some(id);
        }
        self.error(CheckError::NoAccount {
            span: at,
            subject: self.kind_label(kind),
        });
        None
    }

    /// Resolves an event kind's name, reporting an unknown one and marking it used.
    pub(crate) fn event_of(&mut self, name: &ast::Name) -> Option<usize> {
        if let Some(&id) = self.event_names.get(&*fold_width(&name.node)) {
            if let Some(used) = self.used_events.get_mut(id) {
                *used = true;
            }
            return Some(id);
        }
        let suggestion = super::closest(&name.node, self.event_names.keys().map(String::as_str));
        self.error(CheckError::UnknownEvent {
            span: name.span,
            name: name.node.clone(),
            suggestion,
        });
        None
    }
}
