//! The names a compact declares (事项, fields, register attributes, accounts, rosters, ratings,
//! clause numbers) and every place each is written, found from the AST.
//!
//! Uses of names are found generically: every `Spanned<String>` of the AST (its serde form
//! `{node, span}`) whose text is a declared name. A name declared twice (a field 天数 of two
//! 事项) is one name for references and renaming.

use serde_json::Value;

use super::{clause_label, clause_span};
use crate::syntax::Span;
use crate::syntax::ast::{Clause, Declaration, SourceFile, Statement};

/// What a declared name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolKindZh {
    /// 事项
    Event,
    /// A field of a 事项 or a roster.
    Field,
    /// A column of 户籍.
    Attribute,
    /// 账户
    Account,
    /// 名册
    Roster,
    /// 评定 …
    Rating,
    /// 第N条
    Clause,
}

impl SymbolKindZh {
    /// The word for it.
    pub fn word(self) -> &'static str {
        match self {
            SymbolKindZh::Event => "事项",
            SymbolKindZh::Field => "字段",
            SymbolKindZh::Attribute => "户籍字段",
            SymbolKindZh::Account => "账户",
            SymbolKindZh::Roster => "名册",
            SymbolKindZh::Rating => "评定",
            SymbolKindZh::Clause => "条文",
        }
    }
}

/// A declared name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    /// What it is.
    pub kind: SymbolKindZh,
    /// The name (for a clause, its label 第N条).
    pub name: String,
    /// The clause's number (0 for other symbols).
    pub number: u32,
    /// Where the name is written in its declaration.
    pub name_span: Span,
    /// The whole declaration (for a field, the field's line; for a clause, the clause).
    pub declaration: Span,
}

/// Declared names and the places they are used.
#[derive(Debug, Clone, Default)]
pub struct SymbolIndex {
    symbols: Vec<Symbol>,
    /// Names written outside declarations, with their spans.
    names: Vec<(String, Span)>,
    /// 第N条 references (例外于, 取最高).
    clause_refs: Vec<(u32, Span)>,
}

pub(super) fn clauses(ast: &SourceFile) -> impl Iterator<Item = &Clause> {
    ast.loose_clauses.iter().chain(
        ast.chapters
            .iter()
            .flat_map(|chapter| chapter.clauses.iter()),
    )
}

/// The clause numbered `number`.
pub(super) fn clause(ast: &SourceFile, number: u32) -> Option<&Clause> {
    clauses(ast).find(|clause| clause.number.node == number)
}

impl SymbolIndex {
    /// Indexes a file's names.
    pub fn new(ast: &SourceFile, source: &str) -> SymbolIndex {
        let mut index = SymbolIndex::default();
        let mut push = |kind, name: &crate::syntax::ast::Name, declaration: Span| {
            index.symbols.push(Symbol {
                kind,
                name: name.node.clone(),
                number: 0,
                name_span: name.span,
                declaration,
            });
        };
        for declaration in &ast.declarations {
            match &declaration.node {
                Declaration::Register(fields) => {
                    for field in fields {
                        push(
                            SymbolKindZh::Attribute,
                            &field.name,
                            field.name.span.join(field.ty.span),
                        );
                    }
                }
                Declaration::Roster { name, fields } => {
                    push(SymbolKindZh::Roster, name, declaration.span);
                    for field in fields {
                        push(
                            SymbolKindZh::Field,
                            &field.name,
                            field.name.span.join(field.ty.span),
                        );
                    }
                }
                Declaration::Account(account) => {
                    push(SymbolKindZh::Account, &account.name, declaration.span);
                }
                Declaration::Event(event) => {
                    push(SymbolKindZh::Event, &event.name, declaration.span);
                    for field in &event.fields {
                        push(
                            SymbolKindZh::Field,
                            &field.name,
                            field.name.span.join(field.ty.span),
                        );
                    }
                }
            }
        }
        for clause in clauses(ast) {
            for statement in &clause.statements {
                match &statement.node {
                    Statement::Rating(rating) => {
                        push(SymbolKindZh::Rating, &rating.name, statement.span);
                    }
                    Statement::Except(numbers) | Statement::Highest(numbers) => {
                        index
                            .clause_refs
                            .extend(numbers.iter().map(|n| (n.node, n.span)));
                    }
                    _ => {}
                }
            }
        }
        for clause in clauses(ast) {
            index.symbols.push(Symbol {
                kind: SymbolKindZh::Clause,
                name: clause_label(clause),
                number: clause.number.node,
                name_span: clause_head(clause, source),
                declaration: clause_span(clause),
            });
        }
        // Declarations, and titles of chapters, clauses and examples, are not uses.
        let mut declared: std::collections::HashSet<Span> =
            index.symbols.iter().map(|s| s.name_span).collect();
        declared.extend(clauses(ast).filter_map(|c| c.title.as_ref().map(|t| t.span)));
        declared.extend(
            ast.chapters
                .iter()
                .filter_map(|c| c.title.as_ref().map(|t| t.span)),
        );
        declared.extend(ast.examples.iter().map(|e| e.name.span));
        let mut values = Vec::new();
        values.extend(serde_json::to_value(&ast.declarations).ok());
        values.extend(serde_json::to_value(&ast.loose_clauses).ok());
        values.extend(serde_json::to_value(&ast.chapters).ok());
        values.extend(serde_json::to_value(&ast.examples).ok());
        let mut names = Vec::new();
        for value in &values {
            collect_names(value, &mut names);
        }
        names.retain(|(_, span)| !declared.contains(span));
        index.names = names;
        index
    }

    /// Every declared name, in source order of declarations, clauses last.
    pub fn symbols(&self) -> &[Symbol] {
        &self.symbols
    }

    /// The symbols meant by what is written at byte `offset`, and where that is written.
    pub fn at(&self, offset: usize) -> Option<(Vec<&Symbol>, Span)> {
        let inside = |span: &Span| span.start as usize <= offset && offset <= span.end as usize;
        if let Some(symbol) = self.symbols.iter().find(|s| inside(&s.name_span)) {
            if symbol.kind == SymbolKindZh::Clause {
                return Some((vec![symbol], symbol.name_span));
            }
            return Some((self.named(&symbol.name), symbol.name_span));
        }
        if let Some((number, span)) = self.clause_refs.iter().find(|(_, span)| inside(span)) {
            let found: Vec<&Symbol> = self
                .symbols
                .iter()
                .filter(|s| s.kind == SymbolKindZh::Clause && s.number == *number)
                .collect();
            return (!found.is_empty()).then_some((found, *span));
        }
        let (name, span) = self.names.iter().find(|(_, span)| inside(span))?;
        let found = self.named(name);
        (!found.is_empty()).then_some((found, *span))
    }

    fn named(&self, name: &str) -> Vec<&Symbol> {
        self.symbols
            .iter()
            .filter(|s| s.kind != SymbolKindZh::Clause && s.name == name)
            .collect()
    }

    /// Where a symbol is used (not declared).
    pub fn uses(&self, symbol: &Symbol) -> Vec<Span> {
        if symbol.kind == SymbolKindZh::Clause {
            return self
                .clause_refs
                .iter()
                .filter(|(number, _)| *number == symbol.number)
                .map(|(_, span)| *span)
                .collect();
        }
        self.names
            .iter()
            .filter(|(name, _)| *name == symbol.name)
            .map(|(_, span)| *span)
            .collect()
    }

    /// The labels of the clauses that use a symbol, in source order.
    pub fn clauses_using<'a>(&self, ast: &'a SourceFile, symbol: &Symbol) -> Vec<&'a Clause> {
        let uses = self.uses(symbol);
        clauses(ast)
            .filter(|clause| {
                let span = clause_span(clause);
                uses.iter()
                    .any(|u| span.start <= u.start && u.end <= span.end)
            })
            .collect()
    }
}

/// Where 第N条 is written at the head of a clause (the number's span when the text does not
/// read as expected).
pub(super) fn clause_head(clause: &Clause, source: &str) -> Span {
    let number = clause.number.span;
    let start = clause.span.start.min(number.start);
    let end = source.get(number.end as usize..).and_then(|rest| {
        rest.find('条')
            .map(|i| number.end as usize + i + '条'.len_utf8())
    });
    match end {
        Some(end) if end <= clause.span.end as usize => Span::new(start as usize, end),
        _ => number,
    }
}

/// Every `{node: "text", span: {start, end}}` inside a serialized AST.
fn collect_names(value: &Value, out: &mut Vec<(String, Span)>) {
    match value {
        Value::Object(map) => {
            if let (2, Some(Value::String(node)), Some(Value::Object(span))) =
                (map.len(), map.get("node"), map.get("span"))
            {
                let start = span.get("start").and_then(Value::as_u64);
                let end = span.get("end").and_then(Value::as_u64);
                if let (Some(start), Some(end)) = (start, end) {
                    out.push((node.clone(), Span::new(start as usize, end as usize)));
                }
                return;
            }
            for value in map.values() {
                collect_names(value, out);
            }
        }
        Value::Array(values) => {
            for value in values {
                collect_names(value, out);
            }
        }
        _ => {}
    }
}
