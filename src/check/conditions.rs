//! Checking conditions and literal values against declared types.
//!
//! A name in a condition is, in order: a field of the rule's event kinds, an attribute of the
//! subject, or 日期 (the record's date). Literal values are typed by what they are compared with.

use rust_decimal::Decimal;

use super::{CheckError, Checker};
use crate::model::width::fold_width;
use crate::model::{Cond, EventId, FieldRef, KindId, Literal, Operand, ValueType};
use crate::syntax::Spanned;
use crate::syntax::ast::{self, CompareOp, Condition, Value};

/// Where a condition is evaluated: on an event record, or on a subject alone (base rules).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Scope<'s> {
    /// A record of one of these event kinds, scoring subjects of `kind`.
    Event { events: &'s [EventId], kind: KindId },
    /// A subject of `kind`, with no record.
    Subject { kind: KindId },
}

impl Scope<'_> {
    fn kind(self) -> KindId {
        match self {
            Scope::Event { kind, .. } | Scope::Subject { kind } => kind,
        }
    }
}

/// Words for how a value was written, for type errors.
fn found_text(value: &Value) -> String {
    match value {
        Value::Text(t) => format!("写了文字「{t}」"),
        Value::Number { value, unit } => {
            format!("写了数字「{value}{}」", unit.clone().unwrap_or_default())
        }
        Value::Money(fen) => format!("写了金额「{}元」", Decimal::new(*fen, 2).normalize()),
        Value::Date(d) => format!("写了日期「{d}」"),
        Value::MonthDay(md) => format!("写了月日「{}月{}日」", md.month, md.day),
    }
}

/// The text of a value as a clerk would read it (for options written as numbers).
fn value_as_text(value: &Value) -> Option<String> {
    match value {
        Value::Text(t) => Some(t.clone()),
        Value::Number { value, unit } => {
            Some(format!("{value}{}", unit.clone().unwrap_or_default()))
        }
        _ => None,
    }
}

impl Checker<'_> {
    /// Types a literal value for a field or attribute named `name` of type `ty`.
    pub(crate) fn literal(
        &mut self,
        value: &Spanned<Value>,
        ty: &ValueType,
        name: &str,
    ) -> Option<Literal> {
        let mismatch = |this: &mut Self, help: &str| {
            this.error(CheckError::TypeMismatch {
                span: value.span,
                name: name.to_string(),
                expected: ty.describe(),
                found: found_text(&value.node),
                help: help.to_string(),
            });
            None
        };
        match ty {
            ValueType::Choice(options) => match value_as_text(&value.node) {
                // Options compare after width folding (２级 is 2级); the literal is the option
                // as declared, which is what records are matched against.
                Some(text)
                    if let Some(option) =
                        options.iter().find(|o| fold_width(o) == fold_width(&text)) =>
                {
                    Some(Literal::Text(option.clone()))
                }
                Some(text) => {
                    let suggestion = super::closest(&text, options.iter().map(String::as_str));
                    self.error(CheckError::UnknownOption {
                        span: value.span,
                        value: text,
                        field: name.to_string(),
                        options: options.join("、"),
                        suggestion,
                    });
                    None
                }
                None => mismatch(self, &format!("写成其中一个选项：{}", options.join("、"))),
            },
            ValueType::Text => match value_as_text(&value.node) {
                // Text cells are read width-folded: so is the text they are compared with.
                Some(text) => Some(Literal::Text(fold_width(&text).into_owned())),
                None => mismatch(self, "文本值可以直接写，或用「」括起"),
            },
            ValueType::Bool => match &value.node {
                Value::Text(t) if matches!(t.as_str(), "是" | "有" | "真" | "对") => {
                    Some(Literal::Bool(true))
                }
                Value::Text(t) if matches!(t.as_str(), "否" | "无" | "没有" | "假" | "不是") => {
                    Some(Literal::Bool(false))
                }
                _ => mismatch(self, "是否类的值写「是」或「否」"),
            },
            ValueType::Integer => match &value.node {
                Value::Number { value: n, .. } if n.fract() == Decimal::ZERO => {
                    Some(Literal::Number(*n))
                }
                _ => mismatch(self, "整数写成 3 或 三"),
            },
            ValueType::Quantity(unit) => match &value.node {
                Value::Number {
                    value: n,
                    unit: written,
                } => {
                    if let (Some(written), Some(unit)) = (written, unit)
                        && written != unit
                    {
                        return mismatch(
                            self,
                            &format!("「{name}」以「{unit}」计，写成 {n} {unit}"),
                        );
                    }
                    Some(Literal::Number(*n))
                }
                _ => mismatch(self, "数量写成数字，例如 3 或 2.5"),
            },
            ValueType::Points => match &value.node {
                Value::Number { value: n, unit } if unit.as_deref().is_none_or(|u| u == "分") => {
                    Some(Literal::Number(*n))
                }
                _ => mismatch(self, "分数写成数字，例如 8 或 8 分"),
            },
            ValueType::Money => match &value.node {
                Value::Money(fen) => Some(Literal::Money(*fen)),
                Value::Number {
                    value: n,
                    unit: None,
                } => {
                    let fen = (*n * Decimal::ONE_HUNDRED).trunc();
                    i64::try_from(fen).ok().map(Literal::Money)
                }
                _ => mismatch(self, "金额写成 100 元"),
            },
            ValueType::Date => match &value.node {
                Value::Date(d) => Some(Literal::Date(*d)),
                // 不早于 7月1日: the month and day in the record's own year.
                Value::MonthDay(md) => Some(Literal::MonthDay(*md)),
                _ => mismatch(self, "日期写成 2024年3月5日，或只写月日 7月1日"),
            },
        }
    }

    /// Resolves a name in a condition to a field, an attribute or the date.
    pub(crate) fn operand(&mut self, name: &ast::Name, scope: Scope<'_>) -> Option<Operand> {
        if let Scope::Event { events, .. } = scope
            && let Some(field) = self.field_ref(name, events, false)
        {
            return Some(field);
        }
        let kind = scope.kind();
        if let Some(k) = self.compact.kinds.get(kind)
            && let Some(index) = k.attributes.iter().position(|a| a.name == name.node)
        {
            let ty = k.attributes.get(index).map(|a| a.ty.clone())?;
            return Some(Operand::Attribute {
                kind,
                index,
                name: name.node.clone(),
                ty,
            });
        }
        if name.node == "日期" && matches!(scope, Scope::Event { .. }) {
            return Some(Operand::Date);
        }
        match scope {
            Scope::Event { events, .. } => {
                // Report it as a missing field (which also explains partly-missing fields).
                self.field_ref(name, events, true);
            }
            Scope::Subject { kind } => self.unknown_attribute(name, kind),
        }
        None
    }

    pub(crate) fn unknown_attribute(&mut self, name: &ast::Name, kind: KindId) {
        let attributes: Vec<String> = self
            .compact
            .kinds
            .get(kind)
            .map(|k| k.attributes.iter().map(|a| a.name.clone()).collect())
            .unwrap_or_default();
        let suggestion = super::closest(&name.node, attributes.iter().map(String::as_str));
        let kind_label = match kind {
            0 => "户籍".to_string(),
            _ => format!("名册「{}」", self.kind_label(kind)),
        };
        self.error(CheckError::UnknownAttribute {
            span: name.span,
            kind: kind_label,
            name: name.node.clone(),
            suggestion,
        });
    }

    /// The field `name` in every one of `events`, with one type. With `report`, a missing
    /// field is an error (suggesting fields and attributes); otherwise `None` is returned
    /// quietly when no event has it.
    pub(crate) fn field_ref(
        &mut self,
        name: &ast::Name,
        events: &[EventId],
        report: bool,
    ) -> Option<Operand> {
        self.field_in_events(name, events, report)
            .map(Operand::Field)
    }

    pub(crate) fn field_in_events(
        &mut self,
        name: &ast::Name,
        events: &[EventId],
        report: bool,
    ) -> Option<FieldRef> {
        let mut indexes = Vec::new();
        let mut ty: Option<ValueType> = None;
        let mut missing_in: Option<usize> = None;
        for &event in events {
            let kind = self.compact.events.get(event)?;
            match kind.field(&name.node) {
                Some(index) => {
                    let field_ty = kind.fields.get(index).map(|f| f.ty.clone())?;
                    if let Some(previous) = &ty
                        && *previous != field_ty
                    {
                        self.error(CheckError::TypeMismatch {
                            span: name.span,
                            name: name.node.clone(),
                            expected: previous.describe(),
                            found: format!("在事项「{}」中是{}", kind.name, field_ty.describe()),
                            help: "同一规则列出的几个事项中，同名字段的类型应当相同".to_string(),
                        });
                        return None;
                    }
                    ty = Some(field_ty);
                    indexes.push(index);
                }
                None => {
                    missing_in.get_or_insert(event);
                }
            }
        }
        match (ty, missing_in) {
            (Some(ty), None) => Some(FieldRef {
                name: name.node.clone(),
                indexes,
                ty,
            }),
            (found, Some(missing)) if report || found.is_some() => {
                let event = self.compact.events.get(missing)?;
                let mut candidates: Vec<String> =
                    event.fields.iter().map(|f| f.name.clone()).collect();
                if let Some(kind) = self.compact.kinds.get(event.owner) {
                    candidates.extend(kind.attributes.iter().map(|a| a.name.clone()));
                }
                let suggestion = super::closest(&name.node, candidates.iter().map(String::as_str));
                let event_name = event.name.clone();
                self.error(CheckError::UnknownField {
                    span: name.span,
                    event: event_name,
                    name: name.node.clone(),
                    suggestion,
                });
                None
            }
            _ => None,
        }
    }

    /// Checks a condition in `scope`.
    pub(crate) fn condition(
        &mut self,
        condition: &Spanned<Condition>,
        scope: Scope<'_>,
    ) -> Option<Cond> {
        match &condition.node {
            Condition::All(items) => {
                let parts: Vec<Option<Cond>> =
                    items.iter().map(|c| self.condition(c, scope)).collect();
                parts.into_iter().collect::<Option<Vec<_>>>().map(Cond::All)
            }
            Condition::Any(items) => {
                let parts: Vec<Option<Cond>> =
                    items.iter().map(|c| self.condition(c, scope)).collect();
                parts.into_iter().collect::<Option<Vec<_>>>().map(Cond::Any)
            }
            Condition::Not(inner) => self.condition(inner, scope).map(|c| Cond::Not(Box::new(c))),
            Condition::Flag(name) => {
                let operand = self.operand(name, scope)?;
                if operand.ty() != ValueType::Bool {
                    self.error(CheckError::TypeMismatch {
                        span: name.span,
                        name: name.node.clone(),
                        expected: operand.ty().describe(),
                        found: "被当作是否条件".to_string(),
                        help: format!("写成比较，例如「{} 为 …」", name.node),
                    });
                    return None;
                }
                Some(Cond::Flag(operand))
            }
            Condition::Compare {
                subject,
                op,
                values,
            } => {
                let operand = self.operand(subject, scope)?;
                let ty = operand.ty();
                let ordered = matches!(
                    op,
                    CompareOp::Ge | CompareOp::Gt | CompareOp::Le | CompareOp::Lt
                );
                let temporal = matches!(
                    op,
                    CompareOp::Before
                        | CompareOp::After
                        | CompareOp::NotBefore
                        | CompareOp::NotAfter
                );
                if (ordered && !ty.is_numeric()) || (temporal && ty != ValueType::Date) {
                    self.error(CheckError::TypeMismatch {
                        span: subject.span,
                        name: subject.node.clone(),
                        expected: ty.describe(),
                        found: if temporal {
                            "被按日期先后比较".to_string()
                        } else {
                            "被按大小比较".to_string()
                        },
                        help: "大小比较（不低于、高于…）只用于数字和金额，先后比较（早于、晚于…）只用于日期；其他类型用「为」「不为」".to_string(),
                    });
                    return None;
                }
                if (ordered || temporal) && values.len() > 1 {
                    self.error(CheckError::OutOfPlace {
                        span: condition.span,
                        what: "多个值".to_string(),
                        place: "大小或先后比较".to_string(),
                        help: "多个值用「、」列出只适用于「为」和「不为」".to_string(),
                    });
                    return None;
                }
                let name = subject.node.clone();
                let typed: Vec<Option<Literal>> =
                    values.iter().map(|v| self.literal(v, &ty, &name)).collect();
                let values = typed.into_iter().collect::<Option<Vec<_>>>()?;
                Some(Cond::Compare {
                    operand,
                    op: *op,
                    values,
                })
            }
            Condition::Between { subject, from, to } => {
                let operand = self.operand(subject, scope)?;
                if operand.ty() != ValueType::Date {
                    self.error(CheckError::TypeMismatch {
                        span: subject.span,
                        name: subject.node.clone(),
                        expected: operand.ty().describe(),
                        found: "被当作日期使用".to_string(),
                        help: "「在 … 至 …」只用于日期，例如「日期 在 6月1日 至 8月31日」"
                            .to_string(),
                    });
                    return None;
                }
                let bound = |value: &Spanned<Value>| match &value.node {
                    Value::Date(d) => Some(Literal::Date(*d)),
                    Value::MonthDay(md) => Some(Literal::MonthDay(*md)),
                    _ => None,
                };
                match (bound(from), bound(to)) {
                    (Some(f @ Literal::Date(_)), Some(t @ Literal::Date(_)))
                    | (Some(f @ Literal::MonthDay(_)), Some(t @ Literal::MonthDay(_))) => {
                        Some(Cond::Between {
                            operand,
                            from: f,
                            to: t,
                        })
                    }
                    _ => {
                        self.error(CheckError::TypeMismatch {
                            span: condition.span,
                            name: subject.node.clone(),
                            expected: "日期".to_string(),
                            found: "起止写法不一致".to_string(),
                            help: "起止都写完整日期（2024年6月1日），或都只写月日（6月1日）"
                                .to_string(),
                        });
                        None
                    }
                }
            }
            Condition::Count { count, .. } => match scope {
                Scope::Event { .. } => Some(Cond::Count(*count)),
                Scope::Subject { .. } => {
                    self.error(CheckError::OutOfPlace {
                        span: condition.span,
                        what: "次数条件".to_string(),
                        place: "基础分规则".to_string(),
                        help: "次数条件（本年第一次、第三次起）只用于「凡 事项 …」的规则"
                            .to_string(),
                    });
                    None
                }
            },
        }
    }
}
