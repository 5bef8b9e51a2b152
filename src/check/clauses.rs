//! Checking chapters, clauses and their scoring rules: numbering, exceptions, take-the-highest
//! groups, accounts, and each rule's effect, caps and multipliers.

use rust_decimal::Decimal;

use super::caps::CapSite;
use super::conditions::Scope;
use super::{CheckError, CheckWarning, Checker};
use crate::model::width::fold_width;
use crate::model::{
    Action, BaseRule, Cap, Chapter, Clause, ClauseId, EventRule, FieldRef, HOUSEHOLD, KindId,
    Literal, MAX_ROUNDING_PLACES, Multiplier, Per, Rounding, Rule, Rung, StreakRule, TableRow,
    ValueType, VetoEffect,
};
use crate::syntax::ast::{self, AwardPoints, Effect, Modifier, PerUnit, Sign, Statement};
use crate::syntax::{Span, Spanned};

fn signed(sign: Sign, points: Decimal) -> Decimal {
    match sign {
        Sign::Add => points,
        Sign::Deduct => -points,
    }
}

impl Checker<'_> {
    /// Resolves the grades of 降为「…」 vetoes against their ratings' rows (known only once
    /// every clause is converted): E0108 for a grade the rating does not have.
    pub(crate) fn resolve_downgrades(&mut self) {
        let pending = std::mem::take(&mut self.pending_downgrades);
        let mut resolved = Vec::new();
        for (rating_id, label, span) in pending {
            let Some(rating) = self.compact.ratings.get(rating_id) else {
                continue;
            };
            let mut grades: Vec<&str> = rating.rows.iter().map(|r| r.label.as_str()).collect();
            if let Some(o) = &rating.otherwise {
                grades.push(o);
            }
            match grades.iter().position(|g| *g == label) {
                Some(grade) => resolved.push((rating_id, grade)),
                None => {
                    let suggestion = super::closest(&label, grades.iter().copied());
                    let error = CheckError::UnknownOption {
                        span,
                        value: label.clone(),
                        field: rating.name.clone(),
                        options: grades.join("、"),
                        suggestion,
                    };
                    self.error(error);
                    resolved.push((rating_id, usize::MAX));
                }
            }
        }
        // Fill in the grades in the order the vetoes were read.
        let mut next = resolved.into_iter();
        for clause in &mut self.compact.clauses {
            for rule in &mut clause.rules {
                let Rule::Event(EventRule {
                    action: Action::Veto(effects),
                    ..
                }) = rule
                else {
                    continue;
                };
                for effect in effects {
                    if let VetoEffect::Downgrade { rating, grade } = effect
                        && *grade == usize::MAX
                        && let Some((r, g)) = next.next()
                    {
                        *rating = r;
                        *grade = g;
                    }
                }
            }
        }
    }

    pub(crate) fn clauses(&mut self) {
        let file = self.file;
        // Pass 1: numbers and rating names, so that rules may refer forward.
        let all: Vec<(&ast::Clause, Option<usize>)> = file
            .loose_clauses
            .iter()
            .map(|c| (c, None))
            .chain(
                file.chapters
                    .iter()
                    .enumerate()
                    .flat_map(|(i, ch)| ch.clauses.iter().map(move |c| (c, Some(i)))),
            )
            .collect();
        self.numbering(&all);
        for (index, (clause, _)) in all.iter().enumerate() {
            for statement in &clause.statements {
                if let Statement::Rating(rating) = &statement.node {
                    if let Some(&first) = self.rating_names.get(&rating.name.node) {
                        let first_span = self
                            .compact
                            .ratings
                            .get(first)
                            .map(|r| r.span)
                            .unwrap_or_default();
                        self.error(CheckError::DuplicateName {
                            span: rating.name.span,
                            first: first_span,
                            what: "评定".to_string(),
                            name: rating.name.node.clone(),
                        });
                        continue;
                    }
                    let first = self.compact.ratings.len();
                    self.rating_names.insert(rating.name.node.clone(), first);
                    // A placeholder, filled in pass 2; a windowed rating (每季度 评定 …) is one
                    // rating per window, named as the tables head them (第一季度红黑榜).
                    let windows = match &rating.every {
                        Some(every) => (0..every.node.count())
                            .map(|i| {
                                let name =
                                    window_name(every.node, i, self.compact.period_start.month);
                                (
                                    format!("{name}{}", rating.name.node),
                                    Some(crate::model::RatingWindow {
                                        unit: every.node,
                                        index: i,
                                        own: rating.own.is_some(),
                                        group: first,
                                        base: rating.name.node.clone(),
                                    }),
                                )
                            })
                            .collect(),
                        None => vec![(rating.name.node.clone(), None)],
                    };
                    for (name, window) in windows {
                        if window.is_some() {
                            self.rating_names
                                .entry(name.clone())
                                .or_insert(self.compact.ratings.len());
                        }
                        self.compact.ratings.push(crate::model::Rating {
                            name,
                            account: 0,
                            rows: Vec::new(),
                            otherwise: None,
                            limit: None,
                            clause: index,
                            span: rating.name.span,
                            window,
                            hidden: Vec::new(),
                            series: Vec::new(),
                        });
                    }
                }
            }
        }
        // Chapters.
        let mut previous_chapter: Option<u32> = None;
        for chapter in &file.chapters {
            if let Some(first) = self
                .compact
                .chapters
                .iter()
                .find(|c| c.number == chapter.number.node)
            {
                self.error(CheckError::DuplicateName {
                    span: chapter.number.span,
                    first: first.span,
                    what: "章".to_string(),
                    name: format!("第{}章", crate::fmt::chinese_numeral(chapter.number.node)),
                });
            } else if chapter.number.node > previous_chapter.map_or(1, |p| p + 1) {
                let previous = previous_chapter.unwrap_or(0);
                self.warn(CheckWarning::SkippedChapterNumber {
                    span: chapter.number.span,
                    expected: previous + 1,
                    found: chapter.number.node,
                });
            }
            previous_chapter = Some(chapter.number.node);
            // A cap written without 加/扣 takes the direction of the chapter's clauses; it is
            // settled once the clauses are known (see `chapter_cap_directions`).
            let caps = chapter
                .caps
                .iter()
                .map(|cap| Cap {
                    per: Per::Subject,
                    window: cap.window,
                    direction: cap.sign.unwrap_or(Sign::Add),
                    limit: cap.limit,
                })
                .collect();
            self.compact.chapters.push(Chapter {
                number: chapter.number.node,
                title: chapter.title.as_ref().map(|t| t.node.clone()),
                caps,
                span: chapter.span,
            });
        }
        // Pass 2: the clauses themselves.
        let mut highest_groups: Vec<Vec<ClauseId>> = Vec::new();
        for (index, (clause, chapter)) in all.iter().enumerate() {
            let converted = self.clause(index, clause, *chapter, &mut highest_groups);
            self.compact.clauses.push(converted);
        }
        for (group, members) in highest_groups.iter().enumerate() {
            for &member in members {
                if let Some(clause) = self.compact.clauses.get_mut(member) {
                    clause.highest_group = Some(group);
                }
            }
        }
        self.exception_cycles();
        self.chapter_cap_directions();
        self.duplicate_chapter_and_account_caps();
        self.highest_groups_agree();
        self.repairs_within_subject();
    }

    /// 修复 lifts what the named clauses booked to the repairing record's own subject, and
    /// 有效 N 年 carries a record's points on its own subject: a clause that counts a person's
    /// records in the household (计入 户积分, 每户 …) books there, out of their reach (E0122).
    fn repairs_within_subject(&mut self) {
        let mut found = Vec::new();
        for clause in &self.compact.clauses {
            for rule in &clause.rules {
                let Rule::Event(rule) = rule else { continue };
                let Action::Repair { targets, .. } = &rule.action else {
                    continue;
                };
                for &target in targets {
                    if let Some(t) = self.compact.clauses.get(target)
                        && self.compact.reaches_household(t)
                    {
                        found.push((rule.span, t.number));
                    }
                }
            }
        }
        // 有效 N 年 carries a record's points into later periods on the record's own subject.
        let mut carried = Vec::new();
        for clause in &self.compact.clauses {
            if !self.compact.reaches_household(clause) {
                continue;
            }
            for rule in &clause.rules {
                if let Rule::Event(rule) = rule
                    && rule.validity > 1
                {
                    carried.push((rule.span, clause.number));
                }
            }
        }
        for (span, number) in carried {
            let label = crate::model::describe::clause_label(number);
            self.error(CheckError::OutOfPlace {
                span,
                what: "有效 N 年".to_string(),
                place: format!("按人记录、计入户的{label}"),
                help: "有效期只用于记在同一个人（或同一户）身上的分：删去「有效 N 年」，或把这一条分成计入个人账户的一条".to_string(),
            });
        }
        for (span, number) in found {
            let label = crate::model::describe::clause_label(number);
            self.error(CheckError::OutOfPlace {
                span,
                what: format!("按人记录、计入户的{label}"),
                place: "修复".to_string(),
                help: format!(
                    "修复只撤销记在同一个人（或同一户）身上的分，而{label}把人的分计入所在的户：从修复里删去{label}"
                ),
            });
        }
    }

    /// 本章 每年 至多 N 分 without 加/扣: the direction of the chapter's scoring clauses, which
    /// must all award or all deduct; otherwise the cap must say which.
    fn chapter_cap_directions(&mut self) {
        let file = self.file;
        for (index, chapter) in file.chapters.iter().enumerate() {
            let mut directions: Vec<Sign> = Vec::new();
            for clause in self
                .compact
                .clauses
                .iter()
                .filter(|c| c.chapter == Some(index))
            {
                for rule in &clause.rules {
                    let direction = match rule {
                        Rule::Event(e)
                            if !matches!(
                                e.action,
                                Action::Veto(_) | Action::Zero | Action::Redeem { .. }
                            ) =>
                        {
                            action_direction(&e.action)
                        }
                        Rule::Base(b) if b.points < Decimal::ZERO => Sign::Deduct,
                        Rule::Base(_) => Sign::Add,
                        Rule::Streak(s) if s.points < Decimal::ZERO => Sign::Deduct,
                        Rule::Streak(_) => Sign::Add,
                        _ => continue,
                    };
                    if !directions.contains(&direction) {
                        directions.push(direction);
                    }
                }
            }
            for (cap_index, cap) in chapter.caps.iter().enumerate() {
                if cap.sign.is_some() {
                    continue;
                }
                match directions.as_slice() {
                    [one] => {
                        if let Some(c) = self
                            .compact
                            .chapters
                            .get_mut(index)
                            .and_then(|ch| ch.caps.get_mut(cap_index))
                        {
                            c.direction = *one;
                        }
                    }
                    [] => {}
                    _ => self.error(CheckError::AmbiguousCap {
                        span: cap.span,
                        limit: cap.limit.to_string(),
                    }),
                }
            }
        }
    }

    /// A take-the-highest group compares like with like: all awards or all deductions, for one
    /// kind of subject.
    fn highest_groups_agree(&mut self) {
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for (index, clause) in self.compact.clauses.iter().enumerate() {
            if let Some(group) = clause.highest_group {
                if groups.len() <= group {
                    groups.resize(group + 1, Vec::new());
                }
                if let Some(members) = groups.get_mut(group) {
                    members.push(index);
                }
            }
        }
        for members in groups {
            let mut seen: Option<(Sign, Option<usize>, usize)> = None;
            for &member in &members {
                let Some(clause) = self.compact.clauses.get(member) else {
                    continue;
                };
                for rule in &clause.rules {
                    let Rule::Event(e) = rule else { continue };
                    if matches!(
                        e.action,
                        Action::Veto(_) | Action::Redeem { .. } | Action::Zero
                    ) {
                        continue;
                    }
                    let direction = action_direction(&e.action);
                    let kind = e
                        .events
                        .first()
                        .and_then(|ev| self.compact.events.get(*ev))
                        .map(|ev| ev.owner);
                    match seen {
                        None => seen = Some((direction, kind, member)),
                        Some((d, k, first)) if d != direction || k != kind => {
                            let first_number = self
                                .compact
                                .clauses
                                .get(first)
                                .map(|c| c.number)
                                .unwrap_or_default();
                            let span = clause.span;
                            self.error(CheckError::OutOfPlace {
                                span,
                                what: if d != direction {
                                    "加分与扣分混在一起".to_string()
                                } else {
                                    "不同对象的条文".to_string()
                                },
                                place: format!(
                                    "与{}的取最高",
                                    crate::model::describe::clause_label(first_number)
                                ),
                                help: "取最高只在同一类计分之间比较：都是加分，或都是扣分，且计给同一类对象".to_string(),
                            });
                            return;
                        }
                        _ => {}
                    }
                }
            }
        }
    }

    /// Duplicate and skipped clause numbers, and the number → index table.
    fn numbering(&mut self, all: &[(&ast::Clause, Option<usize>)]) {
        let mut previous: Option<u32> = None;
        for (index, (clause, _)) in all.iter().enumerate() {
            let number = clause.number.node;
            if let Some(&first) = self.clause_numbers.get(&number) {
                let first_span = all
                    .get(first)
                    .map(|(c, _)| c.number.span)
                    .unwrap_or_default();
                self.error(CheckError::DuplicateClause {
                    span: clause.number.span,
                    first: first_span,
                    number,
                });
            } else {
                self.clause_numbers.insert(number, index);
                let expected = previous.map_or(1, |p| p + 1);
                if number > expected {
                    self.warn(CheckWarning::SkippedClauseNumber {
                        span: clause.number.span,
                        expected,
                        found: number,
                    });
                }
            }
            previous = Some(previous.map_or(number, |p| p.max(number)));
        }
    }

    fn clause_id(&mut self, reference: &Spanned<u32>) -> Option<ClauseId> {
        match self.clause_numbers.get(&reference.node) {
            Some(&id) => Some(id),
            None => {
                self.error(CheckError::MissingClause {
                    span: reference.span,
                    number: reference.node,
                });
                None
            }
        }
    }

    fn clause(
        &mut self,
        index: ClauseId,
        clause: &ast::Clause,
        chapter: Option<usize>,
        highest_groups: &mut Vec<Vec<ClauseId>>,
    ) -> Clause {
        let mut converted = Clause {
            number: clause.number.node,
            title: clause.title.as_ref().map(|t| t.node.clone()),
            prose: Vec::new(),
            chapter,
            rules: Vec::new(),
            exceptions_to: Vec::new(),
            highest_group: None,
            accounts: Vec::new(),
            groups: Vec::new(),
            shares: Vec::new(),
            optional: false,
            per: Per::Subject,
            span: clause.span,
            full_span: clause
                .statements
                .iter()
                .fold(clause.span, |s, st| s.join(st.span)),
        };
        // 计入 applies to the whole clause wherever it is written, so read it first.
        let mut credit: Vec<Spanned<usize>> = Vec::new();
        let mut credit_groups: Vec<Option<usize>> = Vec::new();
        let mut credit_shares: Vec<Option<Decimal>> = Vec::new();
        for statement in &clause.statements {
            if let Statement::Credit(names, groups, shares) = &statement.node {
                for (k, name) in names.iter().enumerate() {
                    if let Some(id) = self.account_of(name) {
                        credit.push(Spanned::new(id, name.span));
                        let group = groups.get(k).and_then(Option::as_ref);
                        credit_groups.push(group.and_then(|g| self.group_of(id, g)));
                        let share = shares.get(k).and_then(Option::as_ref);
                        credit_shares.push(share.and_then(|s| self.credit_share(s)));
                    }
                }
            }
        }
        // The subject kind this clause scores, and where, for account checks.
        let mut scored: Option<(KindId, Span)> = None;
        // Per rule, its caps (and 只计一次) written without 每人/每户.
        let mut unscoped: Vec<(usize, Unscoped)> = Vec::new();
        for statement in &clause.statements {
            match &statement.node {
                Statement::Prose(text) => converted.prose.push(text.clone()),
                Statement::Optional => {
                    if self.file.template {
                        converted.optional = true;
                    } else {
                        self.warn(CheckWarning::TemplateOnlySetting {
                            span: statement.span,
                            what: "本条 可选".to_string(),
                        });
                    }
                }
                Statement::Except(refs) => {
                    for r in refs {
                        if let Some(id) = self.clause_id(r) {
                            if id == index {
                                self.error(CheckError::ExceptionCycle {
                                    span: r.span,
                                    cycle: format!(
                                        "第{}条例外于自身",
                                        crate::fmt::chinese_numeral(clause.number.node)
                                    ),
                                });
                            } else {
                                converted.exceptions_to.push(id);
                            }
                        }
                    }
                }
                Statement::Highest(refs) => {
                    let mut members = vec![index];
                    for r in refs {
                        if let Some(id) = self.clause_id(r)
                            && !members.contains(&id)
                        {
                            members.push(id);
                        }
                    }
                    merge_group(highest_groups, members);
                }
                Statement::Credit(..) => {}
                Statement::Base(rule) => {
                    if let Some(base) = self.base_rule(rule, statement.span) {
                        scored.get_or_insert((base.kind, statement.span));
                        converted.rules.push(Rule::Base(base));
                    }
                }
                Statement::Event(rule) => {
                    if let Some((event_rule, kind, written)) = self.event_rule(rule, statement.span)
                    {
                        if !matches!(event_rule.action, Action::Veto(_) | Action::Redeem { .. }) {
                            scored.get_or_insert((kind, statement.span));
                        }
                        unscoped.push((converted.rules.len(), written));
                        converted.rules.push(Rule::Event(event_rule));
                    }
                }
                Statement::Streak(rule) => {
                    if let Some(streak) = self.streak_rule(rule, statement.span) {
                        scored.get_or_insert((streak.kind, statement.span));
                        converted.rules.push(Rule::Streak(streak));
                    }
                }
                Statement::Rating(rule) => self.rating(rule, index, statement.span),
                Statement::Rank(rule) => {
                    let credited: Vec<usize> = credit.iter().map(|c| c.node).collect();
                    self.rank(rule, index, statement.span, &credited);
                }
                Statement::Dividend(rule) => self.dividend(rule, index, statement.span),
            }
        }
        // Accounts: 计入 …, or the default account of the kind scored.
        if let Some((kind, at)) = scored {
            if credit.is_empty() {
                if let Some(id) = self.default_account_for(kind, at) {
                    converted.accounts.push(id);
                }
            } else {
                for (k, c) in credit.iter().enumerate() {
                    let Some(account) = self.compact.accounts.get(c.node) else {
                        continue;
                    };
                    // A roster's records may count in household accounts: the person's
                    // household's (按人记录，计入户).
                    if account.owner != kind && account.owner != HOUSEHOLD {
                        let (name, owner) = (account.name.clone(), account.owner);
                        self.wrong_owner(c.span, name, owner, kind);
                    } else if !converted.accounts.contains(&c.node) {
                        converted.accounts.push(c.node);
                        converted
                            .groups
                            .push(credit_groups.get(k).copied().flatten());
                        converted
                            .shares
                            .push(credit_shares.get(k).copied().flatten());
                    }
                }
            }
        }
        if let Some((kind, _)) = scored {
            self.settle_per(&mut converted, kind, &unscoped);
        }
        self.duplicate_rule_caps(&converted, &unscoped);
        for &account in &converted.accounts {
            if let Some(flag) = self.credited_accounts.get_mut(account) {
                *flag = true;
            }
        }
        if converted.prose.is_empty() && clause.statements.is_empty() {
            self.warn(CheckWarning::EmptyClause {
                span: clause.span,
                number: clause.number.node,
            });
        }
        converted
    }

    /// The group `name` of account `account` (计入 户积分「环境卫生」), or E0140.
    pub(super) fn group_of(&mut self, account: usize, name: &ast::Name) -> Option<usize> {
        let account = self.compact.accounts.get(account)?;
        let wanted = fold_width(&name.node);
        if let Some(found) = account
            .groups
            .iter()
            .position(|g| fold_width(&g.name) == wanted)
        {
            return Some(found);
        }
        let suggestion = super::closest(&name.node, account.groups.iter().map(|g| g.name.as_str()));
        let help = if account.groups.is_empty() {
            format!(
                "账户「{0}」没有分项：在账户声明里写出分项（账户 {0}：基础分 100 分，分为「甲」50 分、「乙」50 分），或去掉「{1}」",
                account.name, name.node
            )
        } else {
            format!(
                "账户「{}」的分项有：{}",
                account.name,
                account
                    .groups
                    .iter()
                    .map(|g| format!("「{}」", g.name))
                    .collect::<Vec<_>>()
                    .join("、")
            )
        };
        let error = CheckError::UnknownGroup {
            span: name.span,
            account: account.name.clone(),
            group: name.node.clone(),
            suggestion,
            help,
        };
        self.error(error);
        None
    }

    fn base_rule(&mut self, rule: &ast::BaseRule, span: Span) -> Option<BaseRule> {
        let kind = self.kind_of(rule.subject.as_ref())?;
        let (points, attribute) = match &rule.amount.node {
            ast::BaseAmount::Fixed(points) => (*points, None),
            ast::BaseAmount::PerAttribute { attribute, points } => {
                let found = self
                    .compact
                    .kinds
                    .get(kind)
                    .and_then(|k| k.attributes.iter().position(|a| a.name == attribute.node));
                let Some(index) = found else {
                    self.unknown_attribute(attribute, kind);
                    return None;
                };
                let ty = self
                    .compact
                    .kinds
                    .get(kind)
                    .and_then(|k| k.attributes.get(index))
                    .map(|a| a.ty.clone())?;
                if !matches!(
                    ty,
                    ValueType::Integer | ValueType::Quantity(_) | ValueType::Points
                ) {
                    self.error(CheckError::TypeMismatch {
                        span: attribute.span,
                        name: attribute.node.clone(),
                        expected: ty.describe(),
                        found: "被用来乘以分值".to_string(),
                        help: "只有整数、数量或分数类的属性可以乘以分值".to_string(),
                    });
                    return None;
                }
                (*points, Some(index))
            }
        };
        let multipliers = self.multipliers(
            rule.multipliers
                .iter()
                .map(|m| (&m.node.condition, m.node.factor)),
            Scope::Subject { kind },
        )?;
        Some(BaseRule {
            kind,
            points: signed(rule.sign, points),
            attribute,
            multipliers,
            span,
        })
    }

    fn multipliers<'m>(
        &mut self,
        items: impl Iterator<Item = (&'m Spanned<ast::Condition>, Decimal)>,
        scope: Scope<'_>,
    ) -> Option<Vec<Multiplier>> {
        let mut out = Vec::new();
        let mut ok = true;
        for (condition, factor) in items {
            match self.condition(condition, scope) {
                Some(condition) => out.push(Multiplier { condition, factor }),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    /// A rule with the subject kind of its records, and which of its caps (and whether its
    /// 只计一次) were written without 每人/每户 — they count per the clause's subject, settled
    /// once its accounts are known (see [`Clause::per`]).
    fn event_rule(
        &mut self,
        rule: &ast::EventRule,
        span: Span,
    ) -> Option<(EventRule, KindId, Unscoped)> {
        let resolved: Vec<Option<usize>> = rule.events.iter().map(|e| self.event_of(e)).collect();
        let events = resolved.into_iter().collect::<Option<Vec<_>>>()?;
        let kind = self.events_kind(&events, &rule.events)?;
        let scope = Scope::Event {
            events: &events,
            kind,
        };
        let condition = match &rule.condition {
            Some(c) => Some(self.condition(c, scope)?),
            None => None,
        };
        let action = self.action(&rule.effect, &events, kind)?;
        let direction = action_direction(&action);
        let mut caps = Vec::new();
        let mut cap_sites = Vec::new();
        let mut multiplier_items = Vec::new();
        let mut validity = 1;
        let mut rounding: Option<(Rounding, Span)> = None;
        let mut once: Option<(FieldRef, Span)> = None;
        let mut once_per = Per::Subject;
        let mut unscoped = Unscoped::default();
        for modifier in &rule.modifiers {
            match &modifier.node {
                Modifier::Cap(cap) => {
                    let direction = cap.sign.unwrap_or(direction);
                    let per = match cap.scope {
                        Some(ast::Whose::Person) if kind == HOUSEHOLD => {
                            self.error(CheckError::ScopeMismatch {
                                span: modifier.span,
                                written: "每人".to_string(),
                                problem: "本条的记录按户登记、计在户上，上限分不出户里的哪个人"
                                    .to_string(),
                                help: "删去「每人」，即每户的上限；要按人设上限，把事项归到名册：事项 … （归 名册名）".to_string(),
                            });
                            continue;
                        }
                        Some(ast::Whose::Household) if kind != HOUSEHOLD => Per::Household,
                        Some(_) => Per::Subject,
                        None => {
                            unscoped.caps.push(caps.len());
                            Per::Subject
                        }
                    };
                    cap_sites.push(CapSite {
                        window: cap.window,
                        direction,
                        limit: cap.limit.to_string(),
                        span: modifier.span,
                    });
                    caps.push(Cap {
                        per,
                        window: cap.window,
                        direction,
                        limit: cap.limit,
                    });
                }
                Modifier::Multiplier(m) => multiplier_items.push((&m.condition, m.factor)),
                Modifier::Validity(0) => self.error(CheckError::ZeroValidity {
                    span: modifier.span,
                    years: 0,
                }),
                Modifier::Validity(years) => validity = *years,
                Modifier::Once(written) => {
                    let Some(field) = self.once(written, &action, &events, kind, modifier.span)
                    else {
                        continue;
                    };
                    match written.scope {
                        Some(ast::Whose::Household) if kind != HOUSEHOLD => {
                            once_per = Per::Household;
                        }
                        None => unscoped.once = true,
                        Some(_) => {}
                    }
                    match &once {
                        Some((_, first)) => self.error(CheckError::DuplicateSetting {
                            span: modifier.span,
                            first: *first,
                            what: "一条规则的「只计一次」".to_string(),
                        }),
                        None => once = Some((field, modifier.span)),
                    }
                }
                Modifier::Rounding(written) => {
                    let Some(checked) = self.rounding(written, &action, modifier.span) else {
                        continue;
                    };
                    match rounding {
                        Some((_, first)) => self.error(CheckError::DuplicateSetting {
                            span: modifier.span,
                            first,
                            what: "一条规则的取整方式".to_string(),
                        }),
                        None => rounding = Some((checked, modifier.span)),
                    }
                }
            }
        }
        // Two caps saying the same thing (E0126) are looked for once the clause's accounts
        // settle whose sums the caps written without 每人/每户 count (`duplicate_rule_caps`).
        unscoped.sites = cap_sites;
        let multipliers = self.multipliers(multiplier_items.into_iter(), scope)?;
        Some((
            EventRule {
                events,
                condition,
                action,
                multipliers,
                caps,
                validity,
                rounding: rounding.map(|(r, _)| r),
                once: once.map(|(f, _)| f),
                once_per,
                span,
            },
            kind,
            unscoped,
        ))
    }

    /// `[每人|每户] 同一 字段 只计一次` on a rule: a rule that scores, a field of every event
    /// kind of the rule, and 每人/每户 as the records land (a roster's member or a household).
    fn once(
        &mut self,
        written: &ast::Once,
        action: &Action,
        events: &[crate::model::EventId],
        kind: KindId,
        span: Span,
    ) -> Option<FieldRef> {
        if matches!(
            action,
            Action::Veto(_) | Action::Zero | Action::Redeem { .. } | Action::Repair { .. }
        ) {
            self.error(CheckError::OutOfPlace {
                span,
                what: "只计一次".to_string(),
                place: "不计分的规则".to_string(),
                help: "只计一次只用于加分、扣分的规则；删去它".to_string(),
            });
            return None;
        }
        let field = self.field_in_events(&written.field, events, true)?;
        if written.scope == Some(ast::Whose::Person) && kind == HOUSEHOLD {
            self.error(CheckError::ScopeMismatch {
                span,
                written: "每人".to_string(),
                problem: "本条的记录按户登记、计在户上，分不出是户里的哪个人".to_string(),
                help: "删去「每人」，即同一户同一活动只计一次；要按人计，把事项归到名册：事项 … （归 名册名）".to_string(),
            });
            return None;
        }
        Some(field)
    }

    /// 四舍五入 保留 N 位小数 on a rule: a step of ten, at most [`MAX_ROUNDING_PLACES`]
    /// places, on a rule that scores points.
    fn rounding(
        &mut self,
        written: &ast::Rounding,
        action: &Action,
        span: Span,
    ) -> Option<Rounding> {
        if matches!(
            action,
            Action::Veto(_) | Action::Zero | Action::Redeem { .. }
        ) {
            self.error(CheckError::OutOfPlace {
                span,
                what: "取整".to_string(),
                place: "不计分的规则".to_string(),
                help: "取整只用于加分、扣分的规则；删去它".to_string(),
            });
            return None;
        }
        let places = match written.target {
            ast::RoundingTarget::Whole => Some(0),
            ast::RoundingTarget::Places(n) => Some(n),
            ast::RoundingTarget::Step(step) => {
                let step = step.normalize();
                (step.mantissa() == 1).then(|| step.scale())
            }
        };
        match places.filter(|&p| p <= MAX_ROUNDING_PLACES) {
            Some(places) => Some(Rounding {
                mode: written.mode,
                places,
            }),
            None => {
                self.error(CheckError::BadRounding {
                    span,
                    written: crate::fmt::text::rounding(written),
                });
                None
            }
        }
    }

    /// The one subject kind the listed events score.
    fn events_kind(&mut self, events: &[usize], names: &[ast::Name]) -> Option<KindId> {
        let kinds: Vec<KindId> = events
            .iter()
            .filter_map(|&e| self.compact.events.get(e).map(|k| k.owner))
            .collect();
        let first = kinds.first().copied().unwrap_or(HOUSEHOLD);
        if let Some(position) = kinds.iter().position(|&k| k != first) {
            let span = names.get(position).map(|n| n.span).unwrap_or_default();
            self.error(CheckError::OutOfPlace {
                span,
                what: "归属不同的事项".to_string(),
                place: "同一条规则".to_string(),
                help: "一条规则列出的事项应计给同一类对象（都计给户，或都计给同一名册的人）"
                    .to_string(),
            });
            return None;
        }
        Some(first)
    }

    fn action(
        &mut self,
        effect: &Spanned<Effect>,
        events: &[usize],
        kind: KindId,
    ) -> Option<Action> {
        match &effect.node {
            Effect::NoPoints(_) => Some(Action::Zero),
            Effect::Award { per, sign, points } => self.award(per.as_ref(), *sign, points, events),
            Effect::Table { field, rows } => {
                let field_ref = self.field_in_events(field, events, true)?;
                if !matches!(
                    field_ref.ty,
                    ValueType::Choice(_) | ValueType::Text | ValueType::Integer | ValueType::Bool
                ) {
                    self.error(CheckError::TypeMismatch {
                        span: field.span,
                        name: field.node.clone(),
                        expected: field_ref.ty.describe(),
                        found: "被用来分档".to_string(),
                        help: "按值分档（按 级别：县级 …）用于选项、文本、整数或是否类字段；按数量分段请用「累计」或单位计分".to_string(),
                    });
                    return None;
                }
                let mut table_rows: Vec<TableRow> = Vec::new();
                let mut otherwise = None;
                let mut seen: Vec<Literal> = Vec::new();
                let mut ok = true;
                for row in rows {
                    let points = signed(row.sign, row.points);
                    if row.keys.is_empty() {
                        otherwise = Some(points);
                        continue;
                    }
                    let mut keys = Vec::new();
                    for key in &row.keys {
                        match self.literal(key, &field_ref.ty, &field.node) {
                            Some(literal) if seen.contains(&literal) => {
                                self.error(CheckError::DuplicateName {
                                    span: key.span,
                                    first: row.keys.first().map(|k| k.span).unwrap_or_default(),
                                    what: "分档取值".to_string(),
                                    name: literal_text(&literal),
                                });
                                ok = false;
                            }
                            Some(literal) => {
                                seen.push(literal.clone());
                                keys.push(literal);
                            }
                            None => ok = false,
                        }
                    }
                    table_rows.push(TableRow { keys, points });
                }
                ok.then_some(Action::Table {
                    field: field_ref,
                    rows: table_rows,
                    otherwise,
                })
            }
            Effect::Ladder { field, rungs } => {
                let field_ref = self.field_in_events(field, events, true)?;
                if !matches!(
                    field_ref.ty,
                    ValueType::Integer | ValueType::Quantity(_) | ValueType::Money
                ) {
                    self.error(CheckError::TypeMismatch {
                        span: field.span,
                        name: field.node.clone(),
                        expected: field_ref.ty.describe(),
                        found: "被用来累计".to_string(),
                        help: "累计只用于整数、数量或金额类字段".to_string(),
                    });
                    return None;
                }
                let mut out: Vec<Rung> = Vec::new();
                let mut previous_threshold: Option<Decimal> = None;
                for rung in rungs {
                    let unit_fits = |unit: &str| match &field_ref.ty {
                        ValueType::Quantity(Some(declared)) => unit == declared,
                        ValueType::Money => unit == "元" || unit == "万元",
                        _ => true,
                    };
                    if let Some(unit) = &rung.unit
                        && !unit_fits(&unit.node)
                    {
                        let declared = match &field_ref.ty {
                            ValueType::Quantity(Some(d)) => d.clone(),
                            _ => "元".to_string(),
                        };
                        self.error(CheckError::UnknownUnit {
                            span: unit.span,
                            event: self.event_names_text(events),
                            unit: unit.node.clone(),
                            available: format!("「{}」以「{declared}」计", field.node),
                        });
                        return None;
                    }
                    // Money is held in fen; a rung written in 万元 is ten thousand 元.
                    let written = match rung.unit.as_ref().map(|u| u.node.as_str()) {
                        Some("万元") => rung.threshold * Decimal::from(10_000),
                        _ => rung.threshold,
                    };
                    if previous_threshold.is_some_and(|p| written <= p) {
                        self.error(CheckError::OutOfOrder {
                            span: rung.span,
                            what: "累计档次".to_string(),
                            row: format!("满 {}", rung.threshold),
                            help: "累计档次从小到大排列，每档的门槛都要比前一档高".to_string(),
                        });
                        return None;
                    }
                    previous_threshold = Some(written);
                    let threshold = if field_ref.ty == ValueType::Money {
                        written * Decimal::ONE_HUNDRED
                    } else {
                        written
                    };
                    out.push(Rung {
                        threshold,
                        points: signed(rung.sign, rung.points),
                    });
                }
                Some(Action::Ladder {
                    field: field_ref,
                    rungs: out,
                })
            }
            Effect::Redeem {
                account,
                field,
                prices: Some(rows),
            } => {
                let account_id = self.account_of(account)?;
                let field_ref = self.field_in_events(field, events, true)?;
                if !matches!(field_ref.ty, ValueType::Choice(_) | ValueType::Text) {
                    self.error(CheckError::TypeMismatch {
                        span: field.span,
                        name: field.node.clone(),
                        expected: field_ref.ty.describe(),
                        found: "被当作兑换的物品".to_string(),
                        help: "按物品定价时，物品应是「文本」或「选项」类字段，例如 物品：选项（洗衣液、香皂）".to_string(),
                    });
                    return None;
                }
                let owner = self.compact.accounts.get(account_id).map(|a| a.owner)?;
                if owner != kind {
                    self.wrong_owner(account.span, account.node.clone(), owner, kind);
                    return None;
                }
                let mut prices: Vec<TableRow> = Vec::new();
                let mut seen: Vec<Literal> = Vec::new();
                let mut ok = true;
                for row in rows {
                    let mut keys = Vec::new();
                    for good in &row.node.goods {
                        let value = Spanned::new(ast::Value::Text(good.node.clone()), good.span);
                        match self.literal(&value, &field_ref.ty, &field.node) {
                            Some(literal) if seen.contains(&literal) => {
                                self.error(CheckError::DuplicateName {
                                    span: good.span,
                                    first: row
                                        .node
                                        .goods
                                        .first()
                                        .map(|g| g.span)
                                        .unwrap_or_default(),
                                    what: "兑换物品".to_string(),
                                    name: good.node.clone(),
                                });
                                ok = false;
                            }
                            Some(literal) => {
                                seen.push(literal.clone());
                                keys.push(literal);
                            }
                            None => ok = false,
                        }
                    }
                    prices.push(TableRow {
                        keys,
                        points: row.node.points,
                    });
                }
                if !ok {
                    return None;
                }
                if let Some(flag) = self.credited_accounts.get_mut(account_id) {
                    *flag = true;
                }
                Some(Action::Redeem {
                    account: account_id,
                    field: field_ref,
                    prices: Some(prices),
                })
            }
            Effect::Redeem { account, field, .. } => {
                let account_id = self.account_of(account)?;
                let field_ref = self.field_in_events(field, events, true)?;
                if field_ref.ty != ValueType::Points {
                    self.error(CheckError::TypeMismatch {
                        span: field.span,
                        name: field.node.clone(),
                        expected: field_ref.ty.describe(),
                        found: "被当作支出的分数".to_string(),
                        help: "支出的积分数应是「分数」类字段，例如 所用积分：分数".to_string(),
                    });
                    return None;
                }
                let owner = self.compact.accounts.get(account_id).map(|a| a.owner)?;
                if owner != kind {
                    self.wrong_owner(account.span, account.node.clone(), owner, kind);
                    return None;
                }
                if let Some(flag) = self.credited_accounts.get_mut(account_id) {
                    *flag = true;
                }
                Some(Action::Redeem {
                    account: account_id,
                    field: field_ref,
                    prices: None,
                })
            }
            Effect::Veto(items) => {
                let mut effects = Vec::new();
                for item in items {
                    match &item.node {
                        ast::VetoItem::CancelDividend => effects.push(VetoEffect::CancelDividend),
                        ast::VetoItem::CancelRating(name) => {
                            match self.rating_names.get(&name.node) {
                                Some(&id) => {
                                    // 取消 红黑榜 评定资格: every window of a windowed rating.
                                    let windows = self
                                        .compact
                                        .ratings
                                        .iter()
                                        .enumerate()
                                        .skip(id)
                                        .take_while(|(i, r)| {
                                            *i == id
                                                || r.window
                                                    .as_ref()
                                                    .is_some_and(|w| w.group == id && w.index > 0)
                                        })
                                        .map(|(i, _)| VetoEffect::CancelRating(i));
                                    effects.extend(windows);
                                }
                                None => {
                                    let suggestion = super::closest(
                                        &name.node,
                                        self.rating_names.keys().map(String::as_str),
                                    );
                                    self.error(CheckError::UnknownRating {
                                        span: name.span,
                                        name: name.node.clone(),
                                        suggestion,
                                    });
                                    return None;
                                }
                            }
                        }
                        ast::VetoItem::Downgrade { rating, label } => {
                            let Some(&id) = self.rating_names.get(&rating.node) else {
                                let suggestion = super::closest(
                                    &rating.node,
                                    self.rating_names.keys().map(String::as_str),
                                );
                                self.error(CheckError::UnknownRating {
                                    span: rating.span,
                                    name: rating.node.clone(),
                                    suggestion,
                                });
                                return None;
                            };
                            let text = match &label.node {
                                ast::Value::Text(t) => t.clone(),
                                other => crate::fmt::text::value(other),
                            };
                            // The grade is resolved once every rating's rows are known.
                            self.pending_downgrades.push((id, text, label.span));
                            effects.push(VetoEffect::Downgrade {
                                rating: id,
                                grade: usize::MAX,
                            });
                        }
                        ast::VetoItem::ZeroAccount(name) => {
                            let id = self.account_of(name)?;
                            let owner = self.compact.accounts.get(id).map(|a| a.owner)?;
                            if owner != kind {
                                self.wrong_owner(name.span, name.node.clone(), owner, kind);
                                return None;
                            }
                            effects.push(VetoEffect::ZeroAccount(id));
                        }
                    }
                }
                Some(Action::Veto(effects))
            }
            Effect::Repair {
                targets,
                replacement,
            } => {
                let mut ids = Vec::new();
                for target in targets {
                    ids.push(self.clause_id(target)?);
                }
                let points = replacement.map(|(sign, points)| match sign {
                    Sign::Deduct => -points,
                    Sign::Add => points,
                });
                Some(Action::Repair {
                    targets: ids,
                    points,
                })
            }
        }
    }

    fn event_names_text(&self, events: &[usize]) -> String {
        events
            .iter()
            .filter_map(|&e| self.compact.events.get(e).map(|k| k.name.clone()))
            .collect::<Vec<_>>()
            .join("、")
    }

    fn award(
        &mut self,
        per: Option<&Spanned<PerUnit>>,
        sign: Sign,
        points: &Spanned<AwardPoints>,
        events: &[usize],
    ) -> Option<Action> {
        match (&points.node, per.map(|p| &p.node)) {
            (AwardPoints::Fixed(n), None | Some(PerUnit::Occurrence)) => Some(Action::Fixed {
                points: signed(sign, *n),
            }),
            (AwardPoints::Fixed(n), Some(PerUnit::Unit { whole, step, unit })) => {
                let (field, step) = self.unit_field(unit, *step, events)?;
                if step <= Decimal::ZERO {
                    self.error(CheckError::OutOfPlace {
                        span: per.map(|p| p.span).unwrap_or(points.span),
                        what: "零".to_string(),
                        place: "每多少单位".to_string(),
                        help: "写成 每 100 元、每 2 小时 这样的正数".to_string(),
                    });
                    return None;
                }
                Some(Action::PerUnit {
                    field,
                    step,
                    whole: *whole,
                    points: signed(sign, *n),
                })
            }
            (AwardPoints::Range { min, max, field }, None | Some(PerUnit::Occurrence)) => {
                if min > max {
                    self.error(CheckError::RangeReversed {
                        span: points.span,
                        min: min.to_string(),
                        max: max.to_string(),
                    });
                    return None;
                }
                let field = self.points_field(field.as_ref(), events, points.span)?;
                Some(Action::Range {
                    field,
                    sign,
                    min: *min,
                    max: *max,
                })
            }
            (AwardPoints::Range { .. }, Some(PerUnit::Unit { .. })) => {
                self.error(CheckError::OutOfPlace {
                    span: points.span,
                    what: "分值区间".to_string(),
                    place: "按单位计分".to_string(),
                    help: "区间分值由记录给出具体分数，只能「每次」计；按单位计分请写固定分值"
                        .to_string(),
                });
                None
            }
        }
    }

    /// The field measured in `unit` (天, 小时, 元 …) in every event kind.
    fn unit_field(
        &mut self,
        unit: &crate::syntax::ast::Name,
        step: Decimal,
        events: &[usize],
    ) -> Option<(FieldRef, Decimal)> {
        let mut chosen: Option<String> = None;
        let mut scale = Decimal::ONE;
        for &event in events {
            let kind = self.compact.events.get(event)?;
            let matching: Vec<&crate::model::Field> = kind
                .fields
                .iter()
                .filter(|f| match &f.ty {
                    ValueType::Quantity(Some(u)) => *u == unit.node,
                    ValueType::Money => unit.node == "元" || unit.node == "万元",
                    _ => false,
                })
                .collect();
            match matching.as_slice() {
                [one] => {
                    if one.ty == ValueType::Money {
                        // Money is held in fen.
                        scale = if unit.node == "万元" {
                            Decimal::from(1_000_000)
                        } else {
                            Decimal::ONE_HUNDRED
                        };
                    }
                    if chosen.as_ref().is_some_and(|c| *c != one.name) {
                        self.error(CheckError::AmbiguousField {
                            span: unit.span,
                            event: self.event_names_text(events),
                            problem: format!("中以「{}」计的字段名称不一致", unit.node),
                            help: "一条规则列出的几个事项，按单位计分的字段应同名".to_string(),
                        });
                        return None;
                    }
                    chosen = Some(one.name.clone());
                }
                [] => {
                    let available: Vec<String> = kind
                        .fields
                        .iter()
                        .filter_map(|f| match &f.ty {
                            ValueType::Quantity(Some(u)) => {
                                Some(format!("「{}」以「{u}」计", f.name))
                            }
                            ValueType::Money => Some(format!("「{}」以「元」计", f.name)),
                            _ => None,
                        })
                        .collect();
                    let available = if available.is_empty() {
                        format!(
                            "在事项中声明带单位的字段，例如 事项 {} {{ 天数：数量（{}） }}",
                            kind.name, unit.node
                        )
                    } else {
                        format!("可用的有：{}", available.join("、"))
                    };
                    self.error(CheckError::UnknownUnit {
                        span: unit.span,
                        event: kind.name.clone(),
                        unit: unit.node.clone(),
                        available,
                    });
                    return None;
                }
                _ => {
                    self.error(CheckError::AmbiguousField {
                        span: unit.span,
                        event: kind.name.clone(),
                        problem: format!("有几个以「{}」计的字段", unit.node),
                        help: "每个单位只声明一个字段，或把其中一个改用别的单位".to_string(),
                    });
                    return None;
                }
            }
        }
        let name = chosen?;
        let field = self.field_in_events(&Spanned::new(name, unit.span), events, true)?;
        Some((field, step * scale))
    }

    /// The 分数 field that fixes a ranged award: named, or the only one.
    fn points_field(
        &mut self,
        named: Option<&crate::syntax::ast::Name>,
        events: &[usize],
        at: Span,
    ) -> Option<FieldRef> {
        if let Some(name) = named {
            let field = self.field_in_events(name, events, true)?;
            if field.ty != ValueType::Points {
                self.error(CheckError::TypeMismatch {
                    span: name.span,
                    name: name.node.clone(),
                    expected: field.ty.describe(),
                    found: "被用来给出区间内的分值".to_string(),
                    help: "给出分值的字段应是「分数」类，例如 评定分：分数".to_string(),
                });
                return None;
            }
            return Some(field);
        }
        let mut name: Option<String> = None;
        for &event in events {
            let kind = self.compact.events.get(event)?;
            let points: Vec<&crate::model::Field> = kind
                .fields
                .iter()
                .filter(|f| f.ty == ValueType::Points)
                .collect();
            match points.as_slice() {
                [one] => {
                    name.get_or_insert_with(|| one.name.clone());
                }
                [] => {
                    self.error(CheckError::AmbiguousField {
                        span: at,
                        event: kind.name.clone(),
                        problem: "没有「分数」类字段来给出区间内的分值".to_string(),
                        help: format!(
                            "在事项中声明一个，例如 事项 {} {{ 评定分：分数 }}；每条记录在这一列填写评定的分值",
                            kind.name
                        ),
                    });
                    return None;
                }
                _ => {
                    self.error(CheckError::AmbiguousField {
                        span: at,
                        event: kind.name.clone(),
                        problem: "有几个「分数」类字段，不知道用哪一个给出分值".to_string(),
                        help: "在分值后写明，例如 加 5～10 分（以 评定分 为准）".to_string(),
                    });
                    return None;
                }
            }
        }
        let name = name?;
        self.field_in_events(&Spanned::new(name, at), events, true)
    }

    fn streak_rule(&mut self, rule: &ast::StreakRule, span: Span) -> Option<StreakRule> {
        let resolved: Vec<Option<usize>> = rule.events.iter().map(|e| self.event_of(e)).collect();
        let events = resolved.into_iter().collect::<Option<Vec<_>>>()?;
        let kind = self.events_kind(&events, &rule.events)?;
        if rule.periods.node == 0 {
            self.error(CheckError::OutOfPlace {
                span: rule.periods.span,
                what: "零".to_string(),
                place: "连续的年数".to_string(),
                help: "写成 连续 3 年".to_string(),
            });
            return None;
        }
        Some(StreakRule {
            periods: rule.periods.node,
            events,
            kind,
            points: signed(rule.sign, rule.points.node),
            span,
        })
    }

    /// Finds cycles among exceptions (第五条 例外于 第六条 例外于 第五条).
    fn exception_cycles(&mut self) {
        let count = self.compact.clauses.len();
        // 0 = unvisited, 1 = on the path, 2 = done.
        let mut state = vec![0u8; count];
        for start in 0..count {
            let mut path: Vec<(usize, usize)> = vec![(start, 0)];
            if state.get(start).copied() != Some(0) {
                continue;
            }
            if let Some(s) = state.get_mut(start) {
                *s = 1;
            }
            while let Some(&(node, next)) = path.last() {
                let targets = self
                    .compact
                    .clauses
                    .get(node)
                    .map(|c| c.exceptions_to.clone())
                    .unwrap_or_default();
                if let Some(&target) = targets.get(next) {
                    if let Some(last) = path.last_mut() {
                        last.1 += 1;
                    }
                    match state.get(target).copied() {
                        Some(0) => {
                            if let Some(s) = state.get_mut(target) {
                                *s = 1;
                            }
                            path.push((target, 0));
                        }
                        Some(1) => {
                            let from = path.iter().position(|(n, _)| *n == target).unwrap_or(0);
                            let cycle: Vec<String> = path
                                .iter()
                                .skip(from)
                                .map(|(n, _)| *n)
                                .chain(std::iter::once(target))
                                .filter_map(|n| self.compact.clauses.get(n))
                                .map(|c| format!("第{}条", crate::fmt::chinese_numeral(c.number)))
                                .collect();
                            let span = self
                                .compact
                                .clauses
                                .get(node)
                                .map(|c| c.span)
                                .unwrap_or_default();
                            self.error(CheckError::ExceptionCycle {
                                span,
                                cycle: cycle.join(" → "),
                            });
                            // Stop following this path: one report per cycle is enough.
                            if let Some(s) = state.get_mut(target) {
                                *s = 2;
                            }
                        }
                        _ => {}
                    }
                } else {
                    if let Some(s) = state.get_mut(node) {
                        *s = 2;
                    }
                    path.pop();
                }
            }
        }
    }
}

impl Checker<'_> {
    /// 户积分（按 50%）: a share above 0% and at most 100%; 100% is the whole amount (`None`).
    fn credit_share(&mut self, share: &Spanned<Decimal>) -> Option<Decimal> {
        if share.node <= Decimal::ZERO || share.node > Decimal::ONE_HUNDRED {
            self.error(CheckError::OutOfPlace {
                span: share.span,
                what: format!("{}%", share.node.normalize()),
                place: "计入的比例".to_string(),
                help: "比例在 0% 与 100% 之间，例如 计入 党员积分、户积分（按 50%）".to_string(),
            });
            return None;
        }
        (share.node != Decimal::ONE_HUNDRED).then_some(share.node)
    }
}

/// Which caps of a rule (by index), and whether its 只计一次, were written without 每人/每户.
#[derive(Default)]
struct Unscoped {
    caps: Vec<usize>,
    once: bool,
    /// Every cap of the rule as written, in order, for E0126.
    sites: Vec<CapSite>,
}

impl Checker<'_> {
    /// A clause whose records are a roster's and whose accounts are all households' scores the
    /// person's household (按人记录，计入户): its caps and 只计一次 written without 每人/每户
    /// count per household, as its chapter's caps do.
    fn settle_per(&self, clause: &mut Clause, kind: KindId, unscoped: &[(usize, Unscoped)]) {
        let household_only = kind != HOUSEHOLD
            && !clause.accounts.is_empty()
            && clause.accounts.iter().all(|&id| {
                self.compact
                    .accounts
                    .get(id)
                    .is_some_and(|a| a.owner == HOUSEHOLD)
            });
        if !household_only {
            return;
        }
        clause.per = Per::Household;
        for (index, written) in unscoped {
            let Some(Rule::Event(rule)) = clause.rules.get_mut(*index) else {
                continue;
            };
            for &cap in &written.caps {
                if let Some(cap) = rule.caps.get_mut(cap) {
                    cap.per = Per::Household;
                }
            }
            if written.once {
                rule.once_per = Per::Household;
            }
        }
    }

    /// Two caps of one rule over one window and in one direction that count the same sums
    /// (E0126): 每人 and 每户 caps count different ones, and a cap written without either
    /// counts where the clause settled it.
    fn duplicate_rule_caps(&mut self, clause: &Clause, written: &[(usize, Unscoped)]) {
        for (index, rule) in written {
            let Some(Rule::Event(checked)) = clause.rules.get(*index) else {
                continue;
            };
            for per in [Per::Subject, Per::Household] {
                let sites: Vec<CapSite> = rule
                    .sites
                    .iter()
                    .zip(&checked.caps)
                    .filter(|(_, cap)| cap.per == per)
                    .map(|(site, _)| site.clone())
                    .collect();
                self.duplicate_caps(&sites, "本条");
            }
        }
    }

    /// E0118, with a help line naming the accounts the subject does have.
    pub(crate) fn wrong_owner(&mut self, span: Span, account: String, owner: KindId, kind: KindId) {
        let subject = self.kind_label(kind);
        let own: Vec<String> = self
            .compact
            .accounts
            .iter()
            .filter(|a| a.owner == kind)
            .map(|a| a.name.clone())
            .collect();
        let help = if own.is_empty() {
            format!("为{subject}声明一个账户，例如 账户 {subject}积分（属 {subject}），再计入它")
        } else {
            format!("改为计入{subject}的账户：{}", own.join("、"))
        };
        self.error(CheckError::WrongOwner {
            span,
            account,
            owner: self.kind_label(owner),
            subject,
            help,
        });
    }
}

/// Whether an action awards or deducts (for caps written without 加/扣).
fn action_direction(action: &Action) -> Sign {
    let negative = match action {
        Action::Fixed { points } | Action::PerUnit { points, .. } => *points < Decimal::ZERO,
        Action::Range { sign, .. } => *sign == Sign::Deduct,
        Action::Table {
            rows, otherwise, ..
        } => rows
            .iter()
            .map(|r| r.points)
            .chain(*otherwise)
            .all(|p| p < Decimal::ZERO),
        Action::Ladder { rungs, .. } => rungs.iter().all(|r| r.points < Decimal::ZERO),
        Action::Redeem { .. } => true,
        Action::Repair { points, .. } => points.is_some_and(|p| p < Decimal::ZERO),
        Action::Zero | Action::Veto(_) => false,
    };
    if negative { Sign::Deduct } else { Sign::Add }
}

fn literal_text(literal: &Literal) -> String {
    match literal {
        Literal::Text(t) => t.clone(),
        Literal::Number(n) => n.to_string(),
        Literal::Money(f) => format!("{}元", Decimal::new(*f, 2).normalize()),
        Literal::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        Literal::Date(d) => d.to_string(),
        Literal::MonthDay(md) => format!("{}月{}日", md.month, md.day),
    }
}

/// Adds a take-the-highest group, merging it with any group that shares a clause.
fn merge_group(groups: &mut Vec<Vec<ClauseId>>, members: Vec<ClauseId>) {
    let mut merged = members;
    let mut index = 0;
    while index < groups.len() {
        let overlaps = groups
            .get(index)
            .is_some_and(|g| g.iter().any(|m| merged.contains(m)));
        if overlaps {
            let group = groups.remove(index);
            for m in group {
                if !merged.contains(&m) {
                    merged.push(m);
                }
            }
        } else {
            index += 1;
        }
    }
    merged.sort_unstable();
    groups.push(merged);
}

/// The name of window `index` (from 0) of a period whose first month is `first_month`:
/// 第一季度 … 第四季度 (the period's quarters), or the calendar month (1月 … 12月).
pub(crate) fn window_name(
    unit: crate::syntax::ast::Every,
    index: usize,
    first_month: u8,
) -> String {
    match unit {
        crate::syntax::ast::Every::Quarter => {
            let n = ["一", "二", "三", "四"].get(index).copied().unwrap_or("四");
            format!("第{n}季度")
        }
        crate::syntax::ast::Every::Month => {
            let month = (usize::from(first_month.max(1)) - 1 + index) % 12 + 1;
            format!("{month}月")
        }
    }
}
