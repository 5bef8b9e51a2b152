//! Lowering: pest's parse tree → the AST ([`super::ast`]).
//!
//! This is the only module that reads pest pairs. It normalises what the grammar accepts in
//! several spellings (full-width marks, Chinese numerals, 扣/减, 「」/“”) and reports numbers and
//! dates that do not exist. Errors are collected, never the first one only.

use jiff::civil::Date;
use pest::iterators::Pair;
use rust_decimal::Decimal;

use super::ast::*;
use super::error::SyntaxError;
use super::numeral::{NumeralError, parse_money, parse_number, parse_whole};
use super::parser::Rule;

/// Builds the AST from the `file` pair, collecting errors.
pub(crate) struct Lowerer {
    errors: Vec<SyntaxError>,
    /// Where the parsed text starts in the whole text (non-zero for the second half of a
    /// text read in two halves).
    offset: usize,
    /// How deeply conditions are nested at the moment (see [`super::MAX_NESTING`]).
    depth: usize,
}

/// The span of a pair in the whole text: `offset` is where the parsed text starts in it.
fn span_at(pair: &Pair<'_, Rule>, offset: usize) -> Span {
    Span::from_pest(pair.as_span(), offset)
}

/// The largest number a compact may write, either way (10^12, 一万亿); with at most
/// [`MAX_DECIMALS`] decimals. See E0009.
const MAX_NUMBER: i64 = 1_000_000_000_000;
const MAX_DECIMALS: u32 = 10;
const TOO_LARGE: &str = "太大了，超过一万亿";

/// Why `value` is out of a compact's range, if it is.
fn out_of_range(value: Decimal) -> Option<String> {
    if value.abs() >= Decimal::from(MAX_NUMBER) {
        Some(TOO_LARGE.to_string())
    } else if value.normalize().scale() > MAX_DECIMALS {
        Some(format!("的小数位太多（最多 {MAX_DECIMALS} 位）"))
    } else {
        None
    }
}

/// The inner pairs of `pair`, without end-of-input markers.
fn children<'i>(pair: Pair<'i, Rule>) -> impl Iterator<Item = Pair<'i, Rule>> {
    pair.into_inner().filter(|p| p.as_rule() != Rule::EOI)
}

/// 每人 / 每户.
fn whose(pair: &Pair<'_, Rule>) -> Whose {
    if pair.as_str() == "每人" {
        Whose::Person
    } else {
        Whose::Household
    }
}

fn sign_of(pair: &Pair<'_, Rule>) -> Sign {
    if pair.as_str() == "加" {
        Sign::Add
    } else {
        Sign::Deduct
    }
}

impl Lowerer {
    pub(crate) fn new() -> Self {
        Lowerer {
            errors: Vec::new(),
            offset: 0,
            depth: 0,
        }
    }

    /// A lowerer for text that starts at byte `offset` of the whole text.
    pub(crate) fn at_offset(offset: usize) -> Self {
        Lowerer {
            offset,
            ..Lowerer::new()
        }
    }

    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        span_at(pair, self.offset)
    }

    pub(crate) fn finish(self) -> Vec<SyntaxError> {
        self.errors
    }

    // ---------------------------------------------------------------- atoms

    fn number(&mut self, pair: &Pair<'_, Rule>) -> Decimal {
        // `number` wraps arabic_number / chinese_number; accept either level.
        let text = pair.as_str();
        match parse_number(text.trim()) {
            Ok(value) if let Some(reason) = out_of_range(value) => {
                self.errors.push(SyntaxError::NumberOutOfRange {
                    span: self.span(pair),
                    text: text.to_string(),
                    reason,
                });
                Decimal::ZERO
            }
            Ok(value) => value,
            Err(_) => {
                self.errors.push(SyntaxError::BadNumber {
                    span: self.span(pair),
                    text: text.to_string(),
                });
                Decimal::ZERO
            }
        }
    }

    fn whole(&mut self, pair: &Pair<'_, Rule>) -> u32 {
        match parse_whole(pair.as_str().trim()) {
            Ok(value) => value,
            Err(NumeralError::Malformed | NumeralError::TooLarge) => {
                self.errors.push(SyntaxError::BadNumber {
                    span: self.span(pair),
                    text: pair.as_str().to_string(),
                });
                0
            }
        }
    }

    /// The first `number` inside `pair`, as a decimal.
    fn inner_number(&mut self, pair: Pair<'_, Rule>) -> Decimal {
        let whole_span = self.span(&pair);
        match pair.into_inner().find(|p| p.as_rule() == Rule::number) {
            Some(number) => self.number(&number),
            None => {
                self.errors.push(SyntaxError::BadNumber {
                    span: whole_span,
                    text: String::new(),
                });
                Decimal::ZERO
            }
        }
    }

    fn signed_number(&mut self, pair: Pair<'_, Rule>) -> Decimal {
        let mut negative = false;
        let mut value = Decimal::ZERO;
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::minus => negative = true,
                Rule::number => value = self.number(&part),
                _ => {}
            }
        }
        if negative { -value } else { value }
    }

    fn name(&mut self, pair: Pair<'_, Rule>) -> Name {
        let whole = self.span(&pair);
        let text = name_text(pair);
        Spanned::new(text, whole)
    }

    fn date(&mut self, pair: Pair<'_, Rule>) -> Option<Date> {
        let whole = self.span(&pair);
        let text = pair.as_str().to_string();
        let is_part = |p: &Pair<'_, Rule>| matches!(p.as_rule(), Rule::number | Rule::date_part);
        let numbers: Vec<Pair<'_, Rule>> = pair
            .into_inner()
            .flat_map(|p| {
                if is_part(&p) {
                    vec![p]
                } else {
                    p.into_inner().filter(is_part).collect()
                }
            })
            .collect();
        let [y, m, d] = numbers.as_slice() else {
            self.errors.push(SyntaxError::BadDate { span: whole, text });
            return None;
        };
        let (y, m, d) = (self.whole(y), self.whole(m), self.whole(d));
        let date = i16::try_from(y)
            .ok()
            .zip(i8::try_from(m).ok())
            .zip(i8::try_from(d).ok())
            .and_then(|((y, m), d)| Date::new(y, m, d).ok())
            .filter(|_| (1000..=9999).contains(&y));
        if date.is_none() {
            self.errors.push(SyntaxError::BadDate { span: whole, text });
        }
        date
    }

    fn month_day(&mut self, pair: Pair<'_, Rule>) -> MonthDay {
        let whole = self.span(&pair);
        let text = pair.as_str().to_string();
        let numbers: Vec<Pair<'_, Rule>> = pair
            .into_inner()
            .filter(|p| p.as_rule() == Rule::number)
            .collect();
        let [m, d] = numbers.as_slice() else {
            self.errors.push(SyntaxError::BadDate { span: whole, text });
            return MonthDay { month: 1, day: 1 };
        };
        let (m, d) = (self.whole(m), self.whole(d));
        // A leap year, so that 2月29日 is a valid month-day.
        let valid = i8::try_from(m)
            .ok()
            .zip(i8::try_from(d).ok())
            .and_then(|(m, d)| Date::new(2024, m, d).ok());
        match valid {
            Some(_) => MonthDay {
                month: u8::try_from(m).unwrap_or(1),
                day: u8::try_from(d).unwrap_or(1),
            },
            None => {
                self.errors.push(SyntaxError::BadDate { span: whole, text });
                MonthDay { month: 1, day: 1 }
            }
        }
    }

    fn money(&mut self, pair: Pair<'_, Rule>) -> i64 {
        // The number and its unit (1.5万元, 1.5 万元, 十万元) read as data cells read them.
        match parse_money(pair.as_str()) {
            Ok(fen) if fen.unsigned_abs() >= MAX_NUMBER.unsigned_abs() * 100 => {
                self.errors.push(SyntaxError::NumberOutOfRange {
                    span: self.span(&pair),
                    text: pair.as_str().to_string(),
                    reason: TOO_LARGE.to_string(),
                });
                0
            }
            Ok(fen) => fen,
            Err(_) => {
                self.errors.push(SyntaxError::BadNumber {
                    span: self.span(&pair),
                    text: pair.as_str().to_string(),
                });
                0
            }
        }
    }

    fn percent(&mut self, pair: Pair<'_, Rule>) -> Decimal {
        self.inner_number(pair)
    }

    fn value(&mut self, pair: Pair<'_, Rule>) -> Spanned<Value> {
        let whole = self.span(&pair);
        let inner = pair.into_inner().next();
        let value = match inner {
            None => Value::Text(String::new()),
            Some(inner) => match inner.as_rule() {
                Rule::quoted => Value::Text(quoted_text(inner)),
                Rule::date => match self.date(inner) {
                    Some(d) => Value::Date(d),
                    None => Value::Text(String::new()),
                },
                Rule::month_day => Value::MonthDay(self.month_day(inner)),
                Rule::money => Value::Money(self.money(inner)),
                Rule::number_unit => {
                    let mut value = Decimal::ZERO;
                    let mut unit = None;
                    for part in inner.into_inner() {
                        match part.as_rule() {
                            Rule::number => value = self.number(&part),
                            Rule::unit_word => unit = Some(part.as_str().to_string()),
                            _ => {}
                        }
                    }
                    Value::Number { value, unit }
                }
                _ => Value::Text(inner.as_str().to_string()),
            },
        };
        Spanned::new(value, whole)
    }

    fn points(&mut self, pair: Pair<'_, Rule>) -> Decimal {
        self.inner_number(pair)
    }

    // ---------------------------------------------------------------- file

    pub(crate) fn file(&mut self, pair: Pair<'_, Rule>) -> SourceFile {
        let mut file = SourceFile {
            title: Spanned::new(String::new(), Span::default()),
            template: false,
            settings: Vec::new(),
            declarations: Vec::new(),
            loose_clauses: Vec::new(),
            chapters: Vec::new(),
            examples: Vec::new(),
            comments: Vec::new(),
        };
        for item in children(pair) {
            match item.as_rule() {
                Rule::header => self.header(item, &mut file),
                Rule::register_decl | Rule::roster_decl | Rule::account_decl | Rule::event_decl => {
                    let declaration = self.declaration(item);
                    file.declarations.push(declaration);
                }
                Rule::clause => {
                    let clause = self.clause(item);
                    file.loose_clauses.push(clause);
                }
                Rule::chapter => {
                    let chapter = self.chapter(item);
                    file.chapters.push(chapter);
                }
                Rule::example => {
                    let example = self.example(item);
                    file.examples.push(example);
                }
                _ => {}
            }
        }
        file
    }

    fn header(&mut self, pair: Pair<'_, Rule>, file: &mut SourceFile) {
        for item in pair.into_inner() {
            let item_span = self.span(&item);
            match item.as_rule() {
                Rule::title_decl | Rule::template_decl => {
                    file.template = item.as_rule() == Rule::template_decl;
                    if let Some(q) = item.into_inner().next() {
                        let s = self.span(&q);
                        file.title = Spanned::new(quoted_text(q), s);
                    }
                }
                Rule::basis_decl => {
                    if let Some(q) = item.into_inner().next() {
                        let s = self.span(&q);
                        let name = Spanned::new(quoted_text(q), s);
                        file.settings
                            .push(Spanned::new(Setting::Basis(name), item_span));
                    }
                }
                Rule::optional_limit => {
                    let mut sign = Sign::Add;
                    let mut count = 0;
                    let mut points = Decimal::ZERO;
                    for part in item.into_inner() {
                        match part.as_rule() {
                            Rule::optional_kind if part.as_str() == "自选扣分项" => {
                                sign = Sign::Deduct;
                            }
                            Rule::number => count = self.whole(&part),
                            Rule::points => points = self.points(part),
                            _ => {}
                        }
                    }
                    file.settings.push(Spanned::new(
                        Setting::OptionalLimit {
                            sign,
                            count,
                            points,
                        },
                        item_span,
                    ));
                }
                Rule::version_decl => {
                    if let Some(q) = item.into_inner().next() {
                        file.settings
                            .push(Spanned::new(Setting::Version(quoted_text(q)), item_span));
                    }
                }
                Rule::effective_decl => {
                    if let Some(d) = item.into_inner().next()
                        && let Some(date) = self.date(d)
                    {
                        file.settings
                            .push(Spanned::new(Setting::Effective(date), item_span));
                    }
                }
                Rule::period_decl => {
                    let start = item
                        .into_inner()
                        .next()
                        .and_then(|spec| spec.into_inner().next())
                        .map(|md| self.month_day(md));
                    file.settings
                        .push(Spanned::new(Setting::Period(start), item_span));
                }
                _ => {}
            }
        }
    }

    // ---------------------------------------------------------------- declarations

    fn declaration(&mut self, pair: Pair<'_, Rule>) -> Spanned<Declaration> {
        let whole = self.span(&pair);
        let rule = pair.as_rule();
        let mut parts = pair.into_inner();
        let declaration = match rule {
            Rule::register_decl => {
                let fields = parts
                    .next()
                    .map(|b| self.field_block(b))
                    .unwrap_or_default();
                Declaration::Register(fields)
            }
            Rule::roster_decl => {
                let name = parts
                    .next()
                    .map(|n| self.name(n))
                    .unwrap_or_else(|| Spanned::new(String::new(), whole));
                let fields = parts
                    .next()
                    .map(|b| self.field_block(b))
                    .unwrap_or_default();
                Declaration::Roster { name, fields }
            }
            Rule::account_decl => Declaration::Account(self.account(parts, whole)),
            _ => Declaration::Event(self.event_decl(parts, whole)),
        };
        Spanned::new(declaration, whole)
    }

    fn field_block(&mut self, pair: Pair<'_, Rule>) -> Vec<FieldDecl> {
        let mut fields = Vec::new();
        for field in pair.into_inner() {
            let mut parts = field.into_inner();
            let (Some(name), Some(ty)) = (parts.next(), parts.next()) else {
                continue;
            };
            let name = self.name(name);
            let ty_span = self.span(&ty);
            let ty = match ty.as_rule() {
                Rule::type_integer => TypeExpr::Integer,
                Rule::type_quantity => {
                    TypeExpr::Quantity(ty.into_inner().next().map(|u| self.name_plain(u)))
                }
                Rule::type_money => TypeExpr::Money,
                Rule::type_text => TypeExpr::Text,
                Rule::type_bool => TypeExpr::Bool,
                Rule::type_date => TypeExpr::Date,
                Rule::type_points => TypeExpr::Points,
                _ => TypeExpr::Choice(ty.into_inner().map(|v| self.name(v)).collect()),
            };
            fields.push(FieldDecl {
                name,
                ty: Spanned::new(ty, ty_span),
            });
        }
        fields
    }

    /// A name from a plain atomic rule (unit_name, head_title): its text, trimmed.
    fn name_plain(&mut self, pair: Pair<'_, Rule>) -> Name {
        let s = self.span(&pair);
        Spanned::new(pair.as_str().trim().to_string(), s)
    }

    fn account(&mut self, parts: pest::iterators::Pairs<'_, Rule>, whole: Span) -> AccountDecl {
        let mut account = AccountDecl {
            name: Spanned::new(String::new(), whole),
            is_default: false,
            owner: None,
            floor: None,
            caps: Vec::new(),
            never_reduced: false,
            carries: false,
            base: None,
            groups: Vec::new(),
            group_floor: None,
            group_to_zero: false,
            group_full: false,
            clears: Vec::new(),
            expiry: Vec::new(),
            spend_oldest: false,
        };
        for part in parts {
            match part.as_rule() {
                Rule::decl_name => account.name = self.name(part),
                Rule::account_opts => {
                    for opt in part.into_inner() {
                        match opt.as_rule() {
                            Rule::default_kw => account.is_default = true,
                            Rule::owner => {
                                account.owner = opt.into_inner().next().map(|n| self.name(n));
                            }
                            _ => {}
                        }
                    }
                }
                Rule::floor_limit => {
                    let s = self.span(&part);
                    if let Some(n) = part.into_inner().next() {
                        let value = self.signed_number(n);
                        account.floor = Some(Spanned::new(value, s));
                    }
                }
                Rule::cap => {
                    let cap = self.cap(part);
                    account.caps.push(cap);
                }
                Rule::never_reduced => account.never_reduced = true,
                Rule::carry_over => account.carries = true,
                Rule::base_groups => self.base_groups(part, &mut account),
                Rule::expiry => {
                    let s = self.span(&part);
                    if let Some(n) = part.into_inner().find(|p| p.as_rule() == Rule::number) {
                        let years = self.number(&n);
                        account.expiry.push(Spanned::new(years, s));
                    }
                }
                Rule::spend_oldest => account.spend_oldest = true,
                Rule::yearly_clear => {
                    let s = self.span(&part);
                    if let Some(md) = part.into_inner().find(|p| p.as_rule() == Rule::month_day) {
                        let md = self.month_day(md);
                        account.clears.push(Spanned::new(md, s));
                    }
                }
                _ => {}
            }
        }
        account
    }

    /// 基础分 100 分，分为「甲」30 分、…，各项 扣完为止
    fn base_groups(&mut self, pair: Pair<'_, Rule>, account: &mut AccountDecl) {
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::points => {
                    let s = self.span(&part);
                    let value = self.points(part);
                    account.base = Some(Spanned::new(value, s));
                }
                Rule::group_decl => {
                    let mut name = None;
                    let mut base = None;
                    for p in part.into_inner() {
                        match p.as_rule() {
                            Rule::quoted => {
                                let s = self.span(&p);
                                name = Some(Spanned::new(quoted_text(p), s));
                            }
                            Rule::points => {
                                let s = self.span(&p);
                                let value = self.points(p);
                                base = Some(Spanned::new(value, s));
                            }
                            _ => {}
                        }
                    }
                    if let (Some(name), Some(base)) = (name, base) {
                        account.groups.push(GroupDecl { name, base });
                    }
                }
                Rule::group_floors => {
                    for p in part.into_inner() {
                        match p.as_rule() {
                            Rule::group_to_zero => account.group_to_zero = true,
                            Rule::group_full => account.group_full = true,
                            Rule::floor_limit => {
                                let s = self.span(&p);
                                if let Some(n) = p.into_inner().next() {
                                    let value = self.signed_number(n);
                                    account.group_floor = Some(Spanned::new(value, s));
                                }
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn event_decl(&mut self, parts: pest::iterators::Pairs<'_, Rule>, whole: Span) -> EventDecl {
        let mut event = EventDecl {
            name: Spanned::new(String::new(), whole),
            attribution: None,
            evidence: Vec::new(),
            fields: Vec::new(),
        };
        for part in parts {
            match part.as_rule() {
                Rule::decl_name => event.name = self.name(part),
                Rule::event_opts => {
                    for opt in part.into_inner() {
                        match opt.as_rule() {
                            Rule::attribution => {
                                event.attribution = opt.into_inner().next().map(|n| self.name(n));
                            }
                            Rule::evidence => {
                                for n in opt.into_inner() {
                                    let n = self.name(n);
                                    event.evidence.push(n);
                                }
                            }
                            _ => {}
                        }
                    }
                }
                Rule::field_block => event.fields = self.field_block(part),
                _ => {}
            }
        }
        event
    }

    fn cap(&mut self, pair: Pair<'_, Rule>) -> Spanned<Cap> {
        let whole = self.span(&pair);
        let mut cap = Cap {
            scope: None,
            window: Window::Period,
            sign: None,
            limit: Decimal::ZERO,
        };
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::window => {
                    cap.window = match part.as_str() {
                        "每季度" | "每季" => Window::Quarter,
                        "每月" => Window::Month,
                        _ => Window::Period,
                    }
                }
                Rule::sign => cap.sign = Some(sign_of(&part)),
                Rule::points => cap.limit = self.points(part),
                _ => {}
            }
        }
        Spanned::new(cap, whole)
    }

    // ---------------------------------------------------------------- chapters and clauses

    fn chapter(&mut self, pair: Pair<'_, Rule>) -> Chapter {
        let mut chapter = Chapter {
            number: Spanned::new(0, Span::default()),
            title: None,
            caps: Vec::new(),
            clauses: Vec::new(),
            span: Span::default(),
        };
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::chapter_head => {
                    chapter.span = self.span(&part);
                    let (number, title) = self.head(part);
                    chapter.number = number;
                    chapter.title = title;
                }
                Rule::chapter_stmt => {
                    if let Some(cap) = part.into_inner().next() {
                        let cap = self.cap(cap);
                        chapter.caps.push(cap);
                    }
                }
                Rule::clause => {
                    let clause = self.clause(part);
                    chapter.clauses.push(clause);
                }
                _ => {}
            }
        }
        chapter
    }

    fn head(&mut self, pair: Pair<'_, Rule>) -> (Spanned<u32>, Option<Name>) {
        let mut number = Spanned::new(0, self.span(&pair));
        let mut title = None;
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::number => number = Spanned::new(self.whole(&part), self.span(&part)),
                Rule::head_title | Rule::clause_title => {
                    let trimmed = part.as_str().trim_end();
                    if !trimmed.is_empty() {
                        let start = self.span(&part).start as usize;
                        title = Some(Spanned::new(
                            trimmed.to_string(),
                            Span::new(start, start + trimmed.len()),
                        ));
                    }
                }
                _ => {}
            }
        }
        (number, title)
    }

    fn clause(&mut self, pair: Pair<'_, Rule>) -> Clause {
        let mut clause = Clause {
            number: Spanned::new(0, Span::default()),
            title: None,
            statements: Vec::new(),
            span: Span::default(),
        };
        for part in pair.into_inner() {
            if part.as_rule() == Rule::clause_head {
                clause.span = self.span(&part);
                let options: Vec<Pair<'_, Rule>> = part
                    .clone()
                    .into_inner()
                    .filter(|p| p.as_rule() == Rule::head_option)
                    .collect();
                let (number, title) = self.head(part);
                clause.number = number;
                clause.title = title;
                for option in options {
                    let Some(inner) = option.into_inner().next() else {
                        continue;
                    };
                    let s = self.span(&inner);
                    let statement = match inner.as_rule() {
                        Rule::head_except => Statement::Except(self.clause_refs(inner)),
                        Rule::head_optional => Statement::Optional,
                        _ => Statement::Highest(self.clause_refs(inner)),
                    };
                    clause.statements.push(Spanned::new(statement, s));
                }
            } else {
                let statement = self.statement(part);
                clause.statements.push(statement);
            }
        }
        clause
    }

    fn clause_refs(&mut self, pair: Pair<'_, Rule>) -> Vec<Spanned<u32>> {
        pair.into_inner()
            .filter(|p| p.as_rule() == Rule::clause_ref)
            .map(|r| {
                let s = self.span(&r);
                let n = r.into_inner().next().map(|n| self.whole(&n)).unwrap_or(0);
                Spanned::new(n, s)
            })
            .collect()
    }

    fn statement(&mut self, pair: Pair<'_, Rule>) -> Spanned<Statement> {
        let whole = self.span(&pair);
        let statement = match pair.as_rule() {
            Rule::prose => {
                let text = pair
                    .into_inner()
                    .next()
                    .map(|t| t.as_str().trim_end().to_string())
                    .unwrap_or_default();
                Statement::Prose(text)
            }
            Rule::optional_stmt => Statement::Optional,
            Rule::except_stmt => Statement::Except(self.clause_refs(pair)),
            Rule::highest_stmt => Statement::Highest(self.clause_refs(pair)),
            Rule::credit_stmt => {
                let mut accounts = Vec::new();
                let mut groups = Vec::new();
                let mut shares = Vec::new();
                for target in pair.into_inner() {
                    let mut inner = target.into_inner();
                    let Some(account) = inner.next() else {
                        continue;
                    };
                    accounts.push(self.name(account));
                    let mut group = None;
                    let mut share = None;
                    for part in inner {
                        match part.as_rule() {
                            Rule::credit_share => {
                                let s = self.span(&part);
                                let percent = part.into_inner().next().map(|p| self.percent(p));
                                share = percent.map(|p| Spanned::new(p, s));
                            }
                            _ => {
                                group = part.into_inner().next().map(|q| {
                                    let s = self.span(&q);
                                    Spanned::new(quoted_text(q), s)
                                });
                            }
                        }
                    }
                    groups.push(group);
                    shares.push(share);
                }
                Statement::Credit(accounts, groups, shares)
            }
            Rule::base_rule => Statement::Base(self.base_rule(pair)),
            Rule::event_rule => Statement::Event(self.event_rule(pair)),
            Rule::streak_rule => Statement::Streak(self.streak_rule(pair)),
            Rule::rating_rule => Statement::Rating(self.rating_rule(pair)),
            Rule::rank_rule => Statement::Rank(self.rank_rule(pair)),
            _ => Statement::Dividend(self.dividend_rule(pair)),
        };
        Spanned::new(statement, whole)
    }

    fn base_rule(&mut self, pair: Pair<'_, Rule>) -> BaseRule {
        let mut rule = BaseRule {
            subject: None,
            sign: Sign::Add,
            amount: Spanned::new(BaseAmount::Fixed(Decimal::ZERO), self.span(&pair)),
            multipliers: Vec::new(),
        };
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::subject_word => rule.subject = part.into_inner().next().map(|k| self.name(k)),
                Rule::sign => rule.sign = sign_of(&part),
                Rule::base_amount => {
                    let s = self.span(&part);
                    let amount = match part.into_inner().next() {
                        Some(inner) => self.base_amount(inner),
                        None => BaseAmount::Fixed(Decimal::ZERO),
                    };
                    rule.amount = Spanned::new(amount, s);
                }
                Rule::multiplier => {
                    let m = self.multiplier(part);
                    rule.multipliers.push(m);
                }
                _ => {}
            }
        }
        rule
    }

    fn base_amount(&mut self, pair: Pair<'_, Rule>) -> BaseAmount {
        match pair.as_rule() {
            Rule::points => BaseAmount::Fixed(self.points(pair)),
            Rule::attr_times | Rule::times_attr => {
                let mut attribute = None;
                let mut points = Decimal::ZERO;
                for part in pair.into_inner() {
                    match part.as_rule() {
                        Rule::ref_name => attribute = Some(self.name(part)),
                        Rule::points => points = self.points(part),
                        Rule::number => points = self.number(&part),
                        _ => {}
                    }
                }
                match attribute {
                    Some(attribute) => BaseAmount::PerAttribute { attribute, points },
                    None => BaseAmount::Fixed(points),
                }
            }
            _ => BaseAmount::Fixed(Decimal::ZERO),
        }
    }

    fn event_rule(&mut self, pair: Pair<'_, Rule>) -> EventRule {
        let whole = self.span(&pair);
        let mut rule = EventRule {
            events: Vec::new(),
            condition: None,
            effect: Spanned::new(Effect::NoPoints(NoPointsWord::Score), whole),
            modifiers: Vec::new(),
        };
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::event_list => rule.events = part.into_inner().map(|n| self.name(n)).collect(),
                Rule::condition => rule.condition = Some(self.condition(part)),
                Rule::cap => {
                    let s = self.span(&part);
                    let cap = self.cap(part);
                    rule.modifiers
                        .push(Spanned::new(Modifier::Cap(cap.node), s));
                }
                Rule::scoped_cap => {
                    let s = self.span(&part);
                    let mut scope = None;
                    let mut cap = None;
                    for inner in part.into_inner() {
                        match inner.as_rule() {
                            Rule::per_scope => scope = Some(whose(&inner)),
                            _ => cap = Some(self.cap(inner).node),
                        }
                    }
                    if let Some(mut cap) = cap {
                        cap.scope = scope;
                        rule.modifiers.push(Spanned::new(Modifier::Cap(cap), s));
                    }
                }
                Rule::multiplier => {
                    let s = self.span(&part);
                    let m = self.multiplier(part);
                    rule.modifiers
                        .push(Spanned::new(Modifier::Multiplier(m.node), s));
                }
                Rule::rounding => {
                    let s = self.span(&part);
                    let rounding = self.rounding(part);
                    rule.modifiers
                        .push(Spanned::new(Modifier::Rounding(rounding), s));
                }
                Rule::once => {
                    let s = self.span(&part);
                    let mut scope = None;
                    let mut field = None;
                    for inner in part.into_inner() {
                        match inner.as_rule() {
                            Rule::per_scope => scope = Some(whose(&inner)),
                            _ => field = Some(self.name(inner)),
                        }
                    }
                    if let Some(field) = field {
                        rule.modifiers
                            .push(Spanned::new(Modifier::Once(Once { scope, field }), s));
                    }
                }
                Rule::validity => {
                    let s = self.span(&part);
                    let years = part
                        .into_inner()
                        .next()
                        .map(|n| self.whole(&n))
                        .unwrap_or(0);
                    rule.modifiers
                        .push(Spanned::new(Modifier::Validity(years), s));
                }
                _ => {
                    let s = self.span(&part);
                    let effect = self.effect(part);
                    rule.effect = Spanned::new(effect, s);
                }
            }
        }
        rule
    }

    fn effect(&mut self, pair: Pair<'_, Rule>) -> Effect {
        match pair.as_rule() {
            Rule::veto => Effect::Veto(
                pair.into_inner()
                    .map(|item| {
                        let s = self.span(&item);
                        let node = match item.as_rule() {
                            Rule::cancel_dividend => VetoItem::CancelDividend,
                            Rule::downgrade => {
                                let mut parts = item.into_inner();
                                let rating = parts
                                    .next()
                                    .map(|n| self.name(n))
                                    .unwrap_or_else(|| Spanned::new(String::new(), s));
                                let label = parts
                                    .next()
                                    .map(|v| self.value(v))
                                    .unwrap_or_else(|| Spanned::new(Value::Text(String::new()), s));
                                VetoItem::Downgrade { rating, label }
                            }
                            Rule::cancel_rating => VetoItem::CancelRating(
                                item.into_inner()
                                    .find(|p| p.as_rule() == Rule::rating_ref)
                                    .map(|n| self.name(n))
                                    .unwrap_or_else(|| Spanned::new(String::new(), s)),
                            ),
                            _ => VetoItem::ZeroAccount(
                                item.into_inner()
                                    .next()
                                    .map(|n| self.name(n))
                                    .unwrap_or_else(|| Spanned::new(String::new(), s)),
                            ),
                        };
                        Spanned::new(node, s)
                    })
                    .collect(),
            ),
            Rule::no_points => Effect::NoPoints(match pair.as_str() {
                "不扣分" => NoPointsWord::Deduct,
                "不加分" => NoPointsWord::Add,
                _ => NoPointsWord::Score,
            }),
            Rule::table => {
                let mut parts = pair.into_inner();
                let field = parts
                    .next()
                    .map(|n| self.name(n))
                    .unwrap_or_else(|| Spanned::new(String::new(), Span::default()));
                let rows = parts.map(|row| self.table_row(row)).collect();
                Effect::Table { field, rows }
            }
            Rule::ladder => {
                let mut parts = pair.into_inner();
                let field = parts
                    .next()
                    .map(|n| self.name(n))
                    .unwrap_or_else(|| Spanned::new(String::new(), Span::default()));
                let rungs = parts.map(|rung| self.rung(rung)).collect();
                Effect::Ladder { field, rungs }
            }
            Rule::repair => {
                let mut targets = Vec::new();
                let mut sign = None;
                let mut points = None;
                for part in pair.into_inner() {
                    match part.as_rule() {
                        Rule::clause_ref => {
                            let s = self.span(&part);
                            let n = part
                                .into_inner()
                                .next()
                                .map(|n| self.whole(&n))
                                .unwrap_or(0);
                            targets.push(Spanned::new(n, s));
                        }
                        Rule::sign => sign = Some(sign_of(&part)),
                        Rule::points => points = Some(self.points(part)),
                        _ => {}
                    }
                }
                Effect::Repair {
                    targets,
                    replacement: sign.zip(points),
                }
            }
            Rule::redeem => {
                let empty = || Spanned::new(String::new(), Span::default());
                let mut account = None;
                let mut field = None;
                let mut prices = None;
                for part in pair.into_inner() {
                    match part.as_rule() {
                        Rule::price_table => {
                            let mut rows = Vec::new();
                            for p in part.into_inner() {
                                match p.as_rule() {
                                    Rule::ref_name => field = Some(self.name(p)),
                                    Rule::price_row => {
                                        let s = self.span(&p);
                                        let mut row = PriceRow {
                                            goods: Vec::new(),
                                            points: Decimal::ZERO,
                                        };
                                        for q in p.into_inner() {
                                            match q.as_rule() {
                                                Rule::price_item => row.goods.push(self.name(q)),
                                                _ => row.points = self.inner_number(q),
                                            }
                                        }
                                        rows.push(Spanned::new(row, s));
                                    }
                                    _ => {}
                                }
                            }
                            prices = Some(rows);
                        }
                        _ if account.is_none() => account = Some(self.name(part)),
                        _ => field = Some(self.name(part)),
                    }
                }
                Effect::Redeem {
                    account: account.unwrap_or_else(empty),
                    field: field.unwrap_or_else(empty),
                    prices,
                }
            }
            _ => self.award(pair),
        }
    }

    fn table_row(&mut self, pair: Pair<'_, Rule>) -> Spanned<TableRow> {
        let whole = self.span(&pair);
        let mut row = TableRow {
            keys: Vec::new(),
            sign: Sign::Add,
            points: Decimal::ZERO,
        };
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::value => {
                    let v = self.value(part);
                    row.keys.push(v);
                }
                Rule::sign => row.sign = sign_of(&part),
                Rule::points => row.points = self.points(part),
                _ => {}
            }
        }
        Spanned::new(row, whole)
    }

    fn rung(&mut self, pair: Pair<'_, Rule>) -> Spanned<Rung> {
        let whole = self.span(&pair);
        let mut rung = Rung {
            threshold: Decimal::ZERO,
            unit: None,
            sign: Sign::Add,
            points: Decimal::ZERO,
        };
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::number => rung.threshold = self.number(&part),
                Rule::unit_name => rung.unit = Some(self.name_plain(part)),
                Rule::sign => rung.sign = sign_of(&part),
                Rule::points => rung.points = self.points(part),
                _ => {}
            }
        }
        Spanned::new(rung, whole)
    }

    fn award(&mut self, pair: Pair<'_, Rule>) -> Effect {
        let whole = self.span(&pair);
        let mut per = None;
        let mut sign = Sign::Add;
        let mut points = Spanned::new(AwardPoints::Fixed(Decimal::ZERO), whole);
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::per_unit => {
                    let s = self.span(&part);
                    let mut whole_steps = false;
                    let mut step = Decimal::ONE;
                    let mut unit = None;
                    for p in part.into_inner() {
                        match p.as_rule() {
                            Rule::whole => whole_steps = true,
                            Rule::number => step = self.number(&p),
                            Rule::unit_name => unit = Some(self.name_plain(p)),
                            _ => {}
                        }
                    }
                    per = Some(Spanned::new(
                        match unit {
                            Some(unit) => PerUnit::Unit {
                                whole: whole_steps,
                                step,
                                unit,
                            },
                            None => PerUnit::Occurrence,
                        },
                        s,
                    ));
                }
                Rule::sign => sign = sign_of(&part),
                Rule::award_points => {
                    let s = self.span(&part);
                    let mut numbers = Vec::new();
                    let mut range: Option<Option<Name>> = None;
                    for p in part.into_inner() {
                        match p.as_rule() {
                            Rule::number => numbers.push(self.number(&p)),
                            Rule::range_points => {
                                let mut field = None;
                                for q in p.into_inner() {
                                    match q.as_rule() {
                                        Rule::number => numbers.push(self.number(&q)),
                                        Rule::range_field => {
                                            field = q.into_inner().next().map(|n| self.name(n));
                                        }
                                        _ => {}
                                    }
                                }
                                range = Some(field);
                            }
                            _ => {}
                        }
                    }
                    let first = numbers.first().copied().unwrap_or_default();
                    let node = match range {
                        Some(field) => AwardPoints::Range {
                            min: first,
                            max: numbers.get(1).copied().unwrap_or_default(),
                            field,
                        },
                        None => AwardPoints::Fixed(first),
                    };
                    points = Spanned::new(node, s);
                }
                _ => {}
            }
        }
        Effect::Award { per, sign, points }
    }

    fn multiplier(&mut self, pair: Pair<'_, Rule>) -> Spanned<Multiplier> {
        let whole = self.span(&pair);
        let mut condition = Spanned::new(Condition::All(Vec::new()), whole);
        let mut factor = Decimal::TWO;
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::condition => condition = self.condition(part),
                Rule::factor => {
                    factor = match part.as_str() {
                        "加倍" => Decimal::TWO,
                        "减半" => Decimal::new(5, 1),
                        _ => self.inner_number(part),
                    }
                }
                _ => {}
            }
        }
        Spanned::new(Multiplier { condition, factor }, whole)
    }

    // ---------------------------------------------------------------- conditions

    fn condition(&mut self, pair: Pair<'_, Rule>) -> Spanned<Condition> {
        let whole = self.span(&pair);
        // Each level of parentheses is a few levels of condition rules; the text scan before
        // parsing catches deep nesting on one line, this catches it across lines.
        if self.depth > super::MAX_NESTING * 4 {
            if !self
                .errors
                .iter()
                .any(|e| matches!(e, SyntaxError::TooDeep { .. }))
            {
                self.errors.push(SyntaxError::TooDeep {
                    span: whole,
                    limit: super::MAX_NESTING,
                });
            }
            return Spanned::new(Condition::All(Vec::new()), whole);
        }
        self.depth += 1;
        let result = self.condition_inner(pair, whole);
        self.depth -= 1;
        result
    }

    fn condition_inner(&mut self, pair: Pair<'_, Rule>, whole: Span) -> Spanned<Condition> {
        match pair.as_rule() {
            Rule::condition | Rule::conjunction => {
                let is_any = pair.as_rule() == Rule::condition;
                let mut parts: Vec<Spanned<Condition>> = Vec::new();
                for inner in pair.into_inner() {
                    let c = self.condition(inner);
                    // Flatten 甲 且 (乙 且 丙) into one list: the AST keeps one canonical shape.
                    match c.node {
                        Condition::Any(items) if is_any => parts.extend(items),
                        Condition::All(items) if !is_any => parts.extend(items),
                        node => parts.push(Spanned::new(node, c.span)),
                    }
                }
                if parts.len() == 1 {
                    parts
                        .pop()
                        .unwrap_or_else(|| Spanned::new(Condition::All(Vec::new()), whole))
                } else if is_any {
                    Spanned::new(Condition::Any(parts), whole)
                } else {
                    Spanned::new(Condition::All(parts), whole)
                }
            }
            Rule::paren_cond => match pair.into_inner().next() {
                Some(inner) => self.condition(inner),
                None => Spanned::new(Condition::All(Vec::new()), whole),
            },
            Rule::count_cond => {
                let mut count = CountCondition::Nth(1);
                let mut period_word = None;
                for part in pair.into_inner() {
                    let kind = part.as_rule();
                    if kind == Rule::period_word {
                        period_word = Some(part.as_str().to_string());
                        continue;
                    }
                    if matches!(kind, Rule::nth | Rule::nth_from | Rule::first_n) {
                        let n = part
                            .into_inner()
                            .find(|p| p.as_rule() == Rule::number)
                            .map(|p| self.whole(&p))
                            .unwrap_or(1);
                        count = match kind {
                            Rule::nth => CountCondition::Nth(n),
                            Rule::nth_from => CountCondition::From(n),
                            _ => CountCondition::FirstN(n),
                        };
                    }
                }
                Spanned::new(Condition::Count { count, period_word }, whole)
            }
            Rule::negated => {
                let inner = match pair.into_inner().next() {
                    Some(inner) => self.condition(inner),
                    None => Spanned::new(Condition::All(Vec::new()), whole),
                };
                Spanned::new(Condition::Not(Box::new(inner)), whole)
            }
            Rule::operand_cond => {
                let mut parts = pair.into_inner();
                let subject = parts
                    .next()
                    .map(|n| self.name(n))
                    .unwrap_or_else(|| Spanned::new(String::new(), whole));
                let Some(tail) = parts.next() else {
                    return Spanned::new(Condition::Flag(subject), whole);
                };
                if tail.as_rule() == Rule::date_between {
                    let mut bounds = tail.into_inner();
                    let from = self.date_bound(bounds.next(), whole);
                    let to = self.date_bound(bounds.next(), whole);
                    return Spanned::new(Condition::Between { subject, from, to }, whole);
                }
                let mut tail = tail.into_inner();
                let op = tail
                    .next()
                    .map(|o| compare_op(o.as_str()))
                    .unwrap_or(CompareOp::Eq);
                let values = tail.map(|v| self.value(v)).collect();
                Spanned::new(
                    Condition::Compare {
                        subject,
                        op,
                        values,
                    },
                    whole,
                )
            }
            _ => {
                // flag
                let name = pair
                    .into_inner()
                    .next()
                    .map(|n| self.name(n))
                    .unwrap_or_else(|| Spanned::new(String::new(), whole));
                Spanned::new(Condition::Flag(name), whole)
            }
        }
    }

    /// One end of 在 … 至 …: a date or a month-day.
    fn date_bound(&mut self, pair: Option<Pair<'_, Rule>>, whole: Span) -> Spanned<Value> {
        match pair {
            Some(p) if p.as_rule() == Rule::date => {
                let s = self.span(&p);
                match self.date(p) {
                    Some(d) => Spanned::new(Value::Date(d), s),
                    None => Spanned::new(Value::Text(String::new()), s),
                }
            }
            Some(p) => {
                let s = self.span(&p);
                Spanned::new(Value::MonthDay(self.month_day(p)), s)
            }
            None => Spanned::new(Value::Text(String::new()), whole),
        }
    }

    // ---------------------------------------------------------------- results

    fn streak_rule(&mut self, pair: Pair<'_, Rule>) -> StreakRule {
        let whole = self.span(&pair);
        let mut rule = StreakRule {
            periods: Spanned::new(1, whole),
            unit: "年".to_string(),
            events: Vec::new(),
            sign: Sign::Add,
            points: Spanned::new(Decimal::ZERO, whole),
        };
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::number => rule.periods = Spanned::new(self.whole(&part), self.span(&part)),
                Rule::streak_unit => rule.unit = part.as_str().to_string(),
                Rule::event_list => rule.events = part.into_inner().map(|n| self.name(n)).collect(),
                Rule::sign => rule.sign = sign_of(&part),
                Rule::points => {
                    let s = self.span(&part);
                    rule.points = Spanned::new(self.points(part), s);
                }
                _ => {}
            }
        }
        rule
    }

    fn rating_rule(&mut self, pair: Pair<'_, Rule>) -> RatingRule {
        let whole = self.span(&pair);
        let mut rule = RatingRule {
            name: Spanned::new(String::new(), whole),
            account: None,
            rows: Vec::new(),
            otherwise: None,
            limit: None,
            every: None,
            own: None,
            hidden: Vec::new(),
            series: Vec::new(),
        };
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::rating_every => {
                    let unit = if part.as_str().contains('季') {
                        Every::Quarter
                    } else {
                        Every::Month
                    };
                    rule.every = Some(Spanned::new(unit, self.span(&part)));
                }
                Rule::rating_hide => {
                    if let Some(label) = part.into_inner().next() {
                        let span = self.span(&label);
                        let text = match label.into_inner().next() {
                            Some(q) if q.as_rule() == Rule::quoted => {
                                q.into_inner().next().map_or("", |t| t.as_str()).to_string()
                            }
                            Some(b) => b.as_str().to_string(),
                            None => String::new(),
                        };
                        rule.hidden.push(Spanned::new(text, span));
                    }
                }
                Rule::series_row => {
                    let s = self.span(&part);
                    let mut test = None;
                    let mut label = None;
                    for p in part.into_inner() {
                        match p.as_rule() {
                            Rule::series_all => {
                                let mut unit = Every::Quarter;
                                let mut value = None;
                                for q in p.into_inner() {
                                    match q.as_rule() {
                                        Rule::series_span if q.as_str().contains('月') => {
                                            unit = Every::Month;
                                        }
                                        Rule::value => value = Some(self.label_of(q)),
                                        _ => {}
                                    }
                                }
                                test = value.map(|label| SeriesTest::All { unit, label });
                            }
                            Rule::series_run => {
                                let (mut times, mut unit, mut value) = (0, None, None);
                                for q in p.into_inner() {
                                    match q.as_rule() {
                                        Rule::number => times = count_of(self.number(&q)),
                                        Rule::series_unit => {
                                            unit = match q.as_str() {
                                                "个季度" => Some(Every::Quarter),
                                                "个月" => Some(Every::Month),
                                                _ => None,
                                            }
                                        }
                                        Rule::value => value = Some(self.label_of(q)),
                                        _ => {}
                                    }
                                }
                                test = value.map(|label| SeriesTest::Run { times, unit, label });
                            }
                            Rule::series_times => {
                                let (mut times, mut more, mut value) = (0, false, None);
                                for q in p.into_inner() {
                                    match q.as_rule() {
                                        Rule::number => times = count_of(self.number(&q)),
                                        Rule::series_more => more = true,
                                        Rule::value => value = Some(self.label_of(q)),
                                        _ => {}
                                    }
                                }
                                test = value.map(|label| SeriesTest::Times { label, times, more });
                            }
                            Rule::value => label = Some(value_label(self.value(p).node)),
                            _ => {}
                        }
                    }
                    if let Some(test) = test {
                        rule.series.push(Spanned::new(SeriesRow { test, label }, s));
                    }
                }
                Rule::decl_name => rule.name = self.name(part),
                Rule::rating_limit => {
                    if let Some(c) = part.into_inner().next() {
                        rule.limit = Some(self.condition(c));
                    }
                }
                Rule::rating_track => {
                    for p in part.into_inner() {
                        match p.as_rule() {
                            Rule::window_own => {
                                let unit = if p.as_str().contains('月') {
                                    Every::Month
                                } else {
                                    Every::Quarter
                                };
                                rule.own = Some(Spanned::new(unit, self.span(&p)));
                            }
                            _ => rule.account = Some(self.name(p)),
                        }
                    }
                }
                Rule::rating_row => {
                    let s = self.span(&part);
                    let mut row = RatingRow {
                        inclusive: true,
                        threshold: Decimal::ZERO,
                        label: String::new(),
                        form: RowForm::Bound,
                    };
                    for p in part.into_inner() {
                        match p.as_rule() {
                            Rule::rating_range => {
                                // lo [（不含）] — hi [（不含）], in that order.
                                let mut numbers = 0;
                                let mut upper = None;
                                let mut upper_counts = true;
                                for b in p.into_inner() {
                                    match b.as_rule() {
                                        Rule::signed_number if numbers == 0 => {
                                            row.threshold = self.signed_number(b);
                                            numbers = 1;
                                        }
                                        Rule::signed_number => {
                                            upper = Some(self.signed_number(b));
                                            numbers = 2;
                                        }
                                        Rule::bound_counts => {
                                            let counts = !bound_is_excluded(b);
                                            if numbers == 1 {
                                                row.inclusive = counts;
                                            } else {
                                                upper_counts = counts;
                                            }
                                        }
                                        _ => {}
                                    }
                                }
                                row.form = RowForm::Range {
                                    upper: upper.unwrap_or(row.threshold),
                                    upper_counts,
                                };
                            }
                            Rule::rating_above => {
                                row.inclusive = !excludes_bound(&p);
                                if let Some(lo) = p.into_inner().next() {
                                    row.threshold = self.signed_number(lo);
                                }
                                row.form = RowForm::Above;
                            }
                            Rule::bound_op => {
                                row.inclusive = matches!(
                                    p.as_str(),
                                    "不低于"
                                        | "不少于"
                                        | "不小于"
                                        | "大于等于"
                                        | "≥"
                                        | ">="
                                        | "＞＝"
                                );
                            }
                            Rule::signed_number => row.threshold = self.signed_number(p),
                            Rule::rank_top => {
                                if let Some(inner) = p.into_inner().next() {
                                    row.form = RowForm::Top(if inner.as_rule() == Rule::percent {
                                        RankTop::Percent(self.percent(inner))
                                    } else {
                                        RankTop::Count(self.whole(&inner))
                                    });
                                }
                            }
                            Rule::value => row.label = value_label(self.value(p).node),
                            _ => {}
                        }
                    }
                    rule.rows.push(Spanned::new(row, s));
                }
                Rule::rating_else => {
                    let s = self.span(&part);
                    if let Some(v) = part.into_inner().next() {
                        rule.otherwise = Some(Spanned::new(value_label(self.value(v).node), s));
                    }
                }
                _ => {}
            }
        }
        rule
    }

    /// A label written as a value (「红榜」), with its span.
    fn label_of(&mut self, pair: Pair<'_, Rule>) -> Spanned<String> {
        let span = self.span(&pair);
        Spanned::new(value_label(self.value(pair).node), span)
    }

    fn rounding(&mut self, pair: Pair<'_, Rule>) -> Rounding {
        let mut rounding = Rounding {
            mode: RoundingMode::HalfUp,
            target: RoundingTarget::Whole,
        };
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::round_mode => {
                    rounding.mode = match part.as_str() {
                        "进一" => RoundingMode::Up,
                        "去尾" => RoundingMode::Down,
                        _ => RoundingMode::HalfUp,
                    };
                }
                Rule::round_places => {
                    if let Some(n) = part.into_inner().next() {
                        rounding.target = RoundingTarget::Places(self.whole(&n));
                    }
                }
                Rule::round_to => {
                    if let Some(n) = part.into_inner().next() {
                        rounding.target = RoundingTarget::Step(self.number(&n));
                    }
                }
                _ => {}
            }
        }
        rounding
    }

    fn rank_rule(&mut self, pair: Pair<'_, Rule>) -> RankRule {
        let whole = self.span(&pair);
        let mut rule = RankRule {
            account: Spanned::new(String::new(), whole),
            group: None,
            excludes_vetoed: None,
            awards: Vec::new(),
            ties: TiePolicy::AllTied,
        };
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::ref_name => rule.account = self.name(part),
                Rule::rank_exclude => {
                    let who = part
                        .into_inner()
                        .find(|p| p.as_rule() == Rule::rank_excluded)
                        .map(|p| p.as_str().chars().filter(|c| !c.is_whitespace()).collect())
                        .unwrap_or_default();
                    rule.excludes_vetoed = Some(who);
                }
                Rule::rank_group => {
                    rule.group = part
                        .into_inner()
                        .find(|p| p.as_rule() == Rule::ref_name)
                        .map(|p| self.name(p));
                }
                Rule::rank_award => {
                    let s = self.span(&part);
                    let mut top = RankTop::Count(0);
                    let mut prize = RankPrize::Title(String::new());
                    for p in part.into_inner() {
                        match p.as_rule() {
                            Rule::rank_top => {
                                if let Some(inner) = p.into_inner().next() {
                                    top = if inner.as_rule() == Rule::percent {
                                        RankTop::Percent(self.percent(inner))
                                    } else {
                                        RankTop::Count(self.whole(&inner))
                                    };
                                }
                            }
                            Rule::grant_title => {
                                if let Some(v) = p.into_inner().next() {
                                    prize = RankPrize::Title(value_label(self.value(v).node));
                                }
                            }
                            Rule::rank_points => {
                                let mut sign = Sign::Add;
                                let mut points = Decimal::ZERO;
                                let mut account = None;
                                for q in p.into_inner() {
                                    match q.as_rule() {
                                        Rule::sign => sign = sign_of(&q),
                                        Rule::points => points = self.points(q),
                                        Rule::ref_name => account = Some(self.name(q)),
                                        _ => {}
                                    }
                                }
                                prize = RankPrize::Points {
                                    sign,
                                    points,
                                    account,
                                };
                            }
                            _ => {}
                        }
                    }
                    rule.awards.push(Spanned::new(RankAward { top, prize }, s));
                }
                Rule::tie_rule if part.into_inner().any(|p| p.as_rule() == Rule::tie_by_id) => {
                    rule.ties = TiePolicy::ById;
                }
                _ => {}
            }
        }
        rule
    }

    fn dividend_rule(&mut self, pair: Pair<'_, Rule>) -> DividendRule {
        let whole = self.span(&pair);
        let mut rule = DividendRule {
            pool: None,
            account: Spanned::new(String::new(), whole),
            per_point: None,
            options: Vec::new(),
        };
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::pool_share => {
                    let mut name = Spanned::new(String::new(), whole);
                    let mut percent = None;
                    for p in part.into_inner() {
                        match p.as_rule() {
                            Rule::ref_name => name = self.name(p),
                            Rule::percent => {
                                let s = self.span(&p);
                                percent = Some(Spanned::new(self.percent(p), s));
                            }
                            _ => {}
                        }
                    }
                    rule.pool = Some(PoolShare { name, percent });
                }
                Rule::ref_name => rule.account = self.name(part),
                Rule::per_point_pay => {
                    for p in part.into_inner() {
                        match p.as_rule() {
                            Rule::ref_name => rule.account = self.name(p),
                            Rule::money => {
                                let s = self.span(&p);
                                rule.per_point = Some(Spanned::new(self.money(p), s));
                            }
                            _ => {}
                        }
                    }
                }
                Rule::min_share => {
                    let s = self.span(&part);
                    let points = self.inner_number(part);
                    rule.options
                        .push(Spanned::new(DividendOption::MinPoints(points), s));
                }
                Rule::money_round => {
                    let s = self.span(&part);
                    let mut mode = None;
                    let mut unit_fen = 100;
                    for p in part.into_inner() {
                        match p.as_rule() {
                            Rule::round_mode => {
                                mode = Some(match p.as_str() {
                                    "进一" => RoundingMode::Up,
                                    "去尾" => RoundingMode::Down,
                                    _ => RoundingMode::HalfUp,
                                });
                            }
                            Rule::money_step if p.as_str() == "角" => unit_fen = 10,
                            _ => {}
                        }
                    }
                    rule.options
                        .push(Spanned::new(DividendOption::Round { mode, unit_fen }, s));
                }
                Rule::remainder_rule => {
                    let s = self.span(&part);
                    let largest = part
                        .into_inner()
                        .next()
                        .is_some_and(|p| p.as_rule() == Rule::rem_largest);
                    rule.options
                        .push(Spanned::new(DividendOption::Remainder { largest }, s));
                }
                Rule::negative_rule => {
                    let s = self.span(&part);
                    let deduct = part
                        .into_inner()
                        .next()
                        .is_some_and(|p| p.as_rule() == Rule::neg_deduct);
                    rule.options
                        .push(Spanned::new(DividendOption::Negative { deduct }, s));
                }
                _ => {}
            }
        }
        rule
    }

    // ---------------------------------------------------------------- examples

    fn example(&mut self, pair: Pair<'_, Rule>) -> Example {
        let whole = self.span(&pair);
        let mut example = Example {
            name: Spanned::new(String::new(), whole),
            items: Vec::new(),
            span: whole,
        };
        for part in pair.into_inner() {
            let s = self.span(&part);
            let item = match part.as_rule() {
                Rule::quoted => {
                    example.name = Spanned::new(quoted_text(part), s);
                    continue;
                }
                Rule::ex_household => {
                    let mut id = None;
                    let mut values = Vec::new();
                    for p in part.into_inner() {
                        match p.as_rule() {
                            Rule::quoted => {
                                let qs = self.span(&p);
                                id = Some(Spanned::new(quoted_text(p), qs));
                            }
                            Rule::assignment => values.push(self.assignment(p)),
                            _ => {}
                        }
                    }
                    ExampleItem::Household { id, values }
                }
                Rule::ex_member => {
                    let mut roster = Spanned::new(String::new(), s);
                    let mut ids: Vec<Name> = Vec::new();
                    let mut values = Vec::new();
                    for p in part.into_inner() {
                        match p.as_rule() {
                            Rule::kind_ref => roster = self.name(p),
                            Rule::quoted => {
                                let qs = self.span(&p);
                                ids.push(Spanned::new(quoted_text(p), qs));
                            }
                            Rule::assignment => values.push(self.assignment(p)),
                            _ => {}
                        }
                    }
                    let mut ids = ids.into_iter();
                    let id = ids.next().unwrap_or_else(|| Spanned::new(String::new(), s));
                    ExampleItem::Member {
                        roster,
                        id,
                        household: ids.next(),
                        values,
                    }
                }
                Rule::ex_event => {
                    let mut date = Spanned::new(Date::constant(2000, 1, 1), s);
                    let mut subject = None;
                    let mut event = Spanned::new(String::new(), s);
                    let mut values = Vec::new();
                    for p in part.into_inner() {
                        match p.as_rule() {
                            Rule::date => {
                                let ds = self.span(&p);
                                if let Some(d) = self.date(p) {
                                    date = Spanned::new(d, ds);
                                }
                            }
                            Rule::quoted => {
                                let qs = self.span(&p);
                                subject = Some(Spanned::new(quoted_text(p), qs));
                            }
                            Rule::event_ref => event = self.name(p),
                            Rule::assignment => values.push(self.assignment(p)),
                            _ => {}
                        }
                    }
                    ExampleItem::Event {
                        date,
                        subject,
                        event,
                        values,
                    }
                }
                Rule::ex_pool => {
                    let fen = part
                        .into_inner()
                        .next()
                        .map(|m| {
                            let ms = self.span(&m);
                            Spanned::new(self.money(m), ms)
                        })
                        .unwrap_or_else(|| Spanned::new(0, s));
                    ExampleItem::Pool(fen)
                }
                Rule::ex_expect => {
                    let mut subject = None;
                    let mut expectations = Vec::new();
                    for p in part.into_inner() {
                        let ps = self.span(&p);
                        match p.as_rule() {
                            Rule::quoted => subject = Some(Spanned::new(quoted_text(p), ps)),
                            Rule::expect_dividend => {
                                // 分红 -12.5 元: a household that pays (负分 照扣).
                                let mut fen = 0;
                                let mut negative = false;
                                for m in p.into_inner() {
                                    match m.as_rule() {
                                        Rule::minus => negative = true,
                                        _ => fen = self.money(m),
                                    }
                                }
                                let fen = if negative { -fen } else { fen };
                                expectations.push(Spanned::new(Expectation::Dividend(fen), ps));
                            }
                            Rule::expect_eligible => {
                                let eligible = p.as_str().ends_with('有');
                                expectations
                                    .push(Spanned::new(Expectation::Eligible(eligible), ps));
                            }
                            Rule::expect_points => {
                                let mut account = Spanned::new(String::new(), ps);
                                let mut group = None;
                                let mut points = Decimal::ZERO;
                                for q in p.into_inner() {
                                    match q.as_rule() {
                                        Rule::asg_name => account = self.name(q),
                                        Rule::group_ref => {
                                            group = q.into_inner().next().map(|r| {
                                                let s = self.span(&r);
                                                Spanned::new(quoted_text(r), s)
                                            });
                                        }
                                        Rule::signed_number => points = self.signed_number(q),
                                        _ => {}
                                    }
                                }
                                expectations.push(Spanned::new(
                                    Expectation::Points {
                                        account,
                                        group,
                                        points,
                                    },
                                    ps,
                                ));
                            }
                            Rule::expect_cancelled => {
                                let rating = p
                                    .into_inner()
                                    .next()
                                    .map(|q| self.name(q))
                                    .unwrap_or_else(|| Spanned::new(String::new(), ps));
                                expectations.push(Spanned::new(
                                    Expectation::RatingCancelled { rating },
                                    ps,
                                ));
                            }
                            Rule::expect_rating => {
                                let mut rating = Spanned::new(String::new(), ps);
                                let mut label = String::new();
                                for q in p.into_inner() {
                                    match q.as_rule() {
                                        Rule::asg_name => rating = self.name(q),
                                        Rule::value => label = value_label(self.value(q).node),
                                        _ => {}
                                    }
                                }
                                expectations
                                    .push(Spanned::new(Expectation::Rating { rating, label }, ps));
                            }
                            _ => {}
                        }
                    }
                    ExampleItem::Expect {
                        subject,
                        expectations,
                    }
                }
                _ => continue,
            };
            example.items.push(Spanned::new(item, s));
        }
        example
    }

    fn assignment(&mut self, pair: Pair<'_, Rule>) -> Assignment {
        let whole = self.span(&pair);
        let mut name = Spanned::new(String::new(), whole);
        let mut value = Spanned::new(Value::Text(String::new()), whole);
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::asg_name => name = self.name(part),
                Rule::value => value = self.value(part),
                _ => {}
            }
        }
        Assignment { name, value }
    }
}

/// The text of a name pair (quoted or bare), without quotes.
fn name_text(pair: Pair<'_, Rule>) -> String {
    let text = pair.as_str();
    match pair.into_inner().next() {
        Some(inner) if inner.as_rule() == Rule::quoted => quoted_text(inner),
        Some(inner) => inner.as_str().to_string(),
        None => text.to_string(),
    }
}

/// The text inside a `quoted` pair.
fn quoted_text(pair: Pair<'_, Rule>) -> String {
    match pair.into_inner().next() {
        Some(inner) => inner.as_str().to_string(),
        None => String::new(),
    }
}

/// Whether a rating row's bound is written 「（不含）」 (a `rating_above`).
fn excludes_bound(pair: &Pair<'_, Rule>) -> bool {
    pair.clone()
        .into_inner()
        .any(|p| p.as_rule() == Rule::bound_counts && bound_is_excluded(p))
}

/// Whether a `bound_counts` is （不含） rather than （含）.
fn bound_is_excluded(pair: Pair<'_, Rule>) -> bool {
    pair.into_inner()
        .any(|e| e.as_rule() == Rule::bound_excluded)
}

/// A label (rating, title) from a value: its text as written.
fn value_label(value: Value) -> String {
    match value {
        Value::Text(t) => t,
        Value::Number { value, unit } => format!("{value}{}", unit.unwrap_or_default()),
        Value::Money(fen) => format!("{}元", Decimal::new(fen, 2).normalize()),
        Value::Date(d) => d.to_string(),
        Value::MonthDay(md) => format!("{}月{}日", md.month, md.day),
    }
}

fn compare_op(text: &str) -> CompareOp {
    match text {
        "不等于" | "不为" | "不是" => CompareOp::Ne,
        "等于" | "为" | "是" => CompareOp::Eq,
        "不低于" | "不少于" | "不小于" | "大于等于" | "≥" | ">=" | "＞＝" => {
            CompareOp::Ge
        }
        "不高于" | "不多于" | "不大于" | "不超过" | "小于等于" | "≤" | "<=" | "＜＝" => {
            CompareOp::Le
        }
        "低于" | "少于" | "小于" | "<" | "＜" => CompareOp::Lt,
        "高于" | "多于" | "大于" | "超过" | ">" | "＞" => CompareOp::Gt,
        "不早于" => CompareOp::NotBefore,
        "不晚于" => CompareOp::NotAfter,
        "早于" => CompareOp::Before,
        _ => CompareOp::After,
    }
}

/// A count written in a rating's series (连续 3 次): a whole number, 0 when it is not one.
fn count_of(n: Decimal) -> u32 {
    use rust_decimal::prelude::ToPrimitive;
    if n.fract().is_zero() {
        n.to_u32().unwrap_or(0)
    } else {
        0
    }
}
