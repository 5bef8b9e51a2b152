//! Checking worked examples (示例): their households, members, records and expectations are
//! typed against the compact's declarations, and every subject they name is resolved.

use super::{CheckError, Checker};
use crate::model::{
    Example, ExampleEvent, ExampleExpectation, ExampleSubject, Expected, Field, HOUSEHOLD, KindId,
    Literal,
};
use crate::syntax::Spanned;
use crate::syntax::ast::{self, ExampleItem, Expectation};

/// The id given to an example's only household when it is written without one.
pub const UNNAMED_HOUSEHOLD: &str = "本户";

impl Checker<'_> {
    pub(crate) fn examples(&mut self) {
        let file = self.file;
        for example in &file.examples {
            if let Some(typed) = self.example(example) {
                self.compact.examples.push(typed);
            }
        }
    }

    fn typed_values(
        &mut self,
        values: &[ast::Assignment],
        fields: &[Field],
        unknown: &mut dyn FnMut(&mut Self, &ast::Name),
    ) -> Vec<Option<Literal>> {
        let mut out: Vec<Option<Literal>> = vec![None; fields.len()];
        for assignment in values {
            match fields.iter().position(|f| f.name == assignment.name.node) {
                Some(index) => {
                    let Some(field) = fields.get(index) else {
                        continue;
                    };
                    let literal = self.literal(&assignment.value, &field.ty, &field.name);
                    if let Some(slot) = out.get_mut(index) {
                        *slot = literal;
                    }
                }
                None => unknown(self, &assignment.name),
            }
        }
        out
    }

    fn example(&mut self, example: &ast::Example) -> Option<Example> {
        let name = example.name.node.clone();
        let mut typed = Example {
            name: name.clone(),
            subjects: Vec::new(),
            events: Vec::new(),
            pool_fen: None,
            expectations: Vec::new(),
            span: example.span,
        };
        let subject_error = |this: &mut Self, span, problem: String, help: &str| {
            this.error(CheckError::ExampleSubject {
                span,
                example: name.clone(),
                problem,
                help: help.to_string(),
            });
        };
        // Subjects first, so that records and expectations may name them.
        for item in &example.items {
            match &item.node {
                ExampleItem::Household { id, values } => {
                    let attributes = self
                        .compact
                        .kinds
                        .get(HOUSEHOLD)
                        .map(|k| k.attributes.clone())
                        .unwrap_or_default();
                    let values = self.typed_values(values, &attributes, &mut |this, n| {
                        this.unknown_attribute(n, HOUSEHOLD)
                    });
                    let id = id
                        .as_ref()
                        .map_or(UNNAMED_HOUSEHOLD.to_string(), |i| i.node.clone());
                    if typed.subjects.iter().any(|s| s.id == id) {
                        subject_error(
                            self,
                            item.span,
                            format!("列出了两个「{id}」"),
                            "每户用不同的名称，例如 户「甲」、户「乙」",
                        );
                        continue;
                    }
                    typed.subjects.push(ExampleSubject {
                        kind: HOUSEHOLD,
                        id,
                        household: None,
                        values,
                        span: item.span,
                    });
                }
                ExampleItem::Member {
                    roster,
                    id,
                    household,
                    values,
                } => {
                    let Some(kind) = self.kind_of(Some(roster)) else {
                        continue;
                    };
                    let attributes = self
                        .compact
                        .kinds
                        .get(kind)
                        .map(|k| k.attributes.clone())
                        .unwrap_or_default();
                    let values = self.typed_values(values, &attributes, &mut |this, n| {
                        this.unknown_attribute(n, kind)
                    });
                    if household.is_none()
                        && let Some(clause) = self.compact.household_clause_of(kind)
                    {
                        let label = crate::model::describe::clause_label(clause.number);
                        subject_error(
                            self,
                            item.span,
                            format!(
                                "「{}」没有写属哪一户，而{label}把他的分计入所在的户",
                                id.node
                            ),
                            &format!("写成 {}「{}」属「户名」：…", roster.node, id.node),
                        );
                    }
                    typed.subjects.push(ExampleSubject {
                        kind,
                        id: id.node.clone(),
                        household: household.as_ref().map(|h| h.node.clone()),
                        values,
                        span: item.span,
                    });
                }
                _ => {}
            }
        }
        for item in &example.items {
            match &item.node {
                ExampleItem::Event {
                    date,
                    subject,
                    event,
                    values,
                } => {
                    let Some(event_id) = self.event_of(event) else {
                        continue;
                    };
                    let Some(kind) = self.compact.events.get(event_id).map(|e| e.owner) else {
                        continue;
                    };
                    let Some(subject) =
                        self.example_subject(&typed, subject.as_ref(), kind, item.span, &name)
                    else {
                        continue;
                    };
                    let (fields, event_name) = self
                        .compact
                        .events
                        .get(event_id)
                        .map(|e| (e.fields.clone(), e.name.clone()))
                        .unwrap_or_default();
                    let values = self.typed_values(values, &fields, &mut |this, n| {
                        let suggestion =
                            super::closest(&n.node, fields.iter().map(|f| f.name.as_str()));
                        this.error(CheckError::UnknownField {
                            span: n.span,
                            event: event_name.clone(),
                            name: n.node.clone(),
                            suggestion,
                        });
                    });
                    typed.events.push(ExampleEvent {
                        date: date.node,
                        subject,
                        event: event_id,
                        values,
                        span: item.span,
                    });
                }
                ExampleItem::Pool(fen) => typed.pool_fen = Some(fen.node),
                ExampleItem::Expect {
                    subject,
                    expectations,
                } => {
                    for expectation in expectations {
                        if let Some(e) =
                            self.expectation(&typed, subject.as_ref(), expectation, &name)
                        {
                            typed.expectations.push(e);
                        }
                    }
                }
                _ => {}
            }
        }
        Some(typed)
    }

    /// The subject a record or expectation is about: named, or the only one of its kind.
    fn example_subject(
        &mut self,
        example: &Example,
        named: Option<&ast::Name>,
        kind: KindId,
        at: crate::syntax::Span,
        example_name: &str,
    ) -> Option<String> {
        let of_kind: Vec<&ExampleSubject> =
            example.subjects.iter().filter(|s| s.kind == kind).collect();
        let kind_label = self.kind_label(kind);
        match named {
            Some(name) => {
                if of_kind.iter().any(|s| s.id == name.node) {
                    return Some(name.node.clone());
                }
                self.error(CheckError::ExampleSubject {
                    span: name.span,
                    example: example_name.to_string(),
                    problem: format!("没有列出{kind_label}「{}」", name.node),
                    help: format!("先写一行 {kind_label}「{}」：…", name.node),
                });
                None
            }
            None => match of_kind.as_slice() {
                [one] => Some(one.id.clone()),
                [] => {
                    self.error(CheckError::ExampleSubject {
                        span: at,
                        example: example_name.to_string(),
                        problem: format!("没有列出{kind_label}"),
                        help: format!("先写一行 {kind_label}：…，列出它的属性"),
                    });
                    None
                }
                _ => {
                    self.error(CheckError::ExampleSubject {
                        span: at,
                        example: example_name.to_string(),
                        problem: if kind == HOUSEHOLD {
                            "列出了好几户，这一行没说是哪一户".to_string()
                        } else {
                            format!("列出了好几名{kind_label}，这一行没说是哪一名")
                        },
                        help: "在日期或「应得」后写明名称，例如 2024年3月1日「甲」义务投工"
                            .to_string(),
                    });
                    None
                }
            },
        }
    }

    fn expectation(
        &mut self,
        example: &Example,
        subject: Option<&ast::Name>,
        expectation: &Spanned<Expectation>,
        example_name: &str,
    ) -> Option<ExampleExpectation> {
        let (kind, expected) = match &expectation.node {
            Expectation::Points {
                account,
                group,
                points,
            } => {
                let id = self.account_of(account)?;
                let owner = self.compact.accounts.get(id).map(|a| a.owner)?;
                let group = match group {
                    Some(name) => Some(self.group_of(id, name)?),
                    None => None,
                };
                (
                    owner,
                    Expected::Points {
                        account: id,
                        group,
                        points: *points,
                    },
                )
            }
            Expectation::Rating { rating, .. } | Expectation::RatingCancelled { rating } => {
                let Some(&id) = self.rating_names.get(&rating.node) else {
                    let suggestion =
                        super::closest(&rating.node, self.rating_names.keys().map(String::as_str));
                    self.error(CheckError::UnknownRating {
                        span: rating.span,
                        name: rating.node.clone(),
                        suggestion,
                    });
                    return None;
                };
                let owner = self
                    .compact
                    .ratings
                    .get(id)
                    .and_then(|r| self.compact.accounts.get(r.account))
                    .map(|a| a.owner)
                    .unwrap_or(HOUSEHOLD);
                let expected = match &expectation.node {
                    Expectation::Rating { label, .. } => Expected::Rating {
                        rating: id,
                        label: label.clone(),
                    },
                    _ => Expected::RatingCancelled { rating: id },
                };
                (owner, expected)
            }
            Expectation::Dividend(fen) => (HOUSEHOLD, Expected::Dividend(*fen)),
            Expectation::Eligible(eligible) => (HOUSEHOLD, Expected::Eligible(*eligible)),
        };
        let subject =
            self.example_subject(example, subject, kind, expectation.span, example_name)?;
        Some(ExampleExpectation {
            subject,
            expected,
            span: expectation.span,
        })
    }
}
