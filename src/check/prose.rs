//! 原文 against the rule: the numbers the villagers voted on (原文：…每户每年最多加 40 分) and the
//! numbers the evaluator uses (每年 至多 22 分) must agree. A number in a clause's 原文 written
//! next to 分、元、块、天、次 or 小时 that no rule of the clause (or of its chapter's 本章 lines)
//! has is reported (W0110), and so is a number with one of those units in a rule that the 原文
//! never mentions (W0111). Both warnings label the two places.
//!
//! This is a text comparison on purpose: it reads the clause's lines as the representatives
//! read them, so it needs the source text, and it runs after the checker (see
//! [`crate::compile`]).

use rust_decimal::Decimal;

use crate::syntax::Span;
use crate::syntax::ast::{Clause, SourceFile, Statement};
use crate::syntax::numeral::parse_number;

use super::CheckWarning;

/// A number found in the text, with the unit written after it (if one of ours).
#[derive(Debug, Clone, PartialEq)]
struct Figure {
    value: Decimal,
    unit: Option<&'static str>,
    span: Span,
}

/// The units whose numbers must agree between 原文 and rule.
const UNITS: &[(&str, &str)] = &[
    ("个小时", "小时"),
    ("小时", "小时"),
    ("分", "分"),
    ("元", "元"),
    ("块", "元"),
    ("天", "天"),
    ("次", "次"),
];

/// What may follow 分 when it is not points (分钟, 三分之一, 分别, 分类 …) or 次 (一次性).
const NOT_POINTS_AFTER_FEN: &[char] = &['钟', '之', '别', '类', '配', '析', '工', '管', '组'];

/// Warnings for every clause whose 原文 and rules disagree on a number.
pub fn prose_numbers(file: &SourceFile, source: &str) -> Vec<CheckWarning> {
    let mut warnings = Vec::new();
    let loose = file.loose_clauses.iter().map(|c| (c, None));
    let chaptered = file
        .chapters
        .iter()
        .flat_map(|ch| ch.clauses.iter().map(move |c| (c, Some(ch))));
    for (clause, chapter) in loose.chain(chaptered) {
        let chapter_caps: Vec<Span> = chapter
            .map(|ch| ch.caps.iter().map(|c| c.span).collect())
            .unwrap_or_default();
        clause_numbers(clause, &chapter_caps, source, &mut warnings);
    }
    warnings
}

fn clause_numbers(
    clause: &Clause,
    chapter_caps: &[Span],
    source: &str,
    warnings: &mut Vec<CheckWarning>,
) {
    let mut prose: Vec<(Span, Vec<Figure>)> = Vec::new();
    let mut rules: Vec<(Span, Vec<Figure>)> = Vec::new();
    for statement in &clause.statements {
        let span = statement.span;
        let Some(text) = source.get(span.start as usize..span.end as usize) else {
            continue;
        };
        match &statement.node {
            Statement::Prose(words) => {
                // The prose is the statement's tail (原文：is before it).
                let start = span.end as usize - words.len().min(span.len());
                let tail = source.get(start..span.end as usize).unwrap_or_default();
                prose.push((span, figures(tail, start)));
            }
            _ => rules.push((span, figures(text, span.start as usize))),
        }
    }
    if prose.is_empty() || rules.is_empty() {
        return;
    }
    let chapter_figures: Vec<Figure> = chapter_caps
        .iter()
        .filter_map(|s| {
            let text = source.get(s.start as usize..s.end as usize)?;
            Some(figures(text, s.start as usize))
        })
        .flatten()
        .collect();
    let rule_values: Vec<Decimal> = rules
        .iter()
        .flat_map(|(_, f)| f.iter())
        .chain(chapter_figures.iter())
        .map(|f| f.value)
        .collect();
    let prose_values: Vec<Decimal> = prose
        .iter()
        .flat_map(|(_, f)| f.iter())
        .map(|f| f.value)
        .collect();
    // A bound the 原文 writes inclusively (1030至1049分, 1001—5000元) is the rule's exclusive
    // one (不低于 1050 分, 高于 1000 元), so a neighbour of a number counts as the same bound;
    // 1 分抵 1 元 and 一次 are rates, not amounts; and a 原文 that counts money in 万元
    // (100—200万元) is read in both scales.
    let in_wan = prose.iter().any(|(span, _)| {
        source
            .get(span.start as usize..span.end as usize)
            .is_some_and(|t| t.contains("万元"))
    });
    let prose_values: Vec<Decimal> = prose_values
        .iter()
        .flat_map(|&v| {
            [v, v * Decimal::from(10_000)]
                .into_iter()
                .take(if in_wan { 2 } else { 1 })
        })
        .collect();
    let neighbour = |values: &[Decimal], value: Decimal| {
        values.contains(&value)
            || (value.fract().is_zero()
                && (values.contains(&(value + Decimal::ONE))
                    || values.contains(&(value - Decimal::ONE))))
    };
    let agrees = |value: Decimal| value == Decimal::ONE || neighbour(&rule_values, value);
    let unmatched_rules: Vec<&Figure> = rules
        .iter()
        .flat_map(|(_, f)| f.iter())
        .filter(|f| f.unit.is_some() && !neighbour(&prose_values, f.value))
        .collect();
    let mut paired = vec![false; unmatched_rules.len()];
    for (_, figures) in &prose {
        for figure in figures {
            let Some(unit) = figure.unit else { continue };
            if agrees(figure.value) {
                continue;
            }
            // The rule's number it most likely stands for: the first unmatched one in the same
            // unit; otherwise the first rule line that has that unit at all.
            let counterpart = unmatched_rules
                .iter()
                .zip(paired.iter_mut())
                .find(|(r, used)| !**used && r.unit == Some(unit));
            let (rule, rule_says) = match counterpart {
                Some((r, used)) => {
                    *used = true;
                    (r.span, format!("规则写的是 {} {unit}", r.value.normalize()))
                }
                None => (
                    rules
                        .iter()
                        .find(|(_, f)| f.iter().any(|r| r.unit == Some(unit)))
                        .or(rules.first())
                        .map(|(span, _)| *span)
                        .unwrap_or(clause.span),
                    "规则里没有这个数".to_string(),
                ),
            };
            warnings.push(CheckWarning::ProseNumberNotInRule {
                span: figure.span,
                rule,
                number: clause.number.node,
                figure: format!("{} {unit}", figure.value.normalize()),
                rule_says,
            });
        }
    }
    for (figure, paired) in unmatched_rules.iter().zip(&paired) {
        if *paired {
            continue;
        }
        let unit = figure.unit.unwrap_or_default();
        let prose_span = prose.first().map(|(span, _)| *span).unwrap_or(clause.span);
        warnings.push(CheckWarning::RuleNumberNotInProse {
            span: figure.span,
            prose: prose_span,
            number: clause.number.node,
            figure: format!("{} {unit}", figure.value.normalize()),
        });
    }
}

fn is_numeral_char(c: char) -> bool {
    c.is_ascii_digit()
        || ('０'..='９').contains(&c)
        || matches!(
            c,
            '.' | '．'
                | '零'
                | '〇'
                | '一'
                | '二'
                | '两'
                | '三'
                | '四'
                | '五'
                | '六'
                | '七'
                | '八'
                | '九'
                | '十'
                | '百'
                | '千'
                | '万'
                | '亿'
                | '廿'
                | '卅'
                | '点'
        )
}

/// The numbers in `text` (which starts at byte `offset` of the source), each with the unit
/// written after it when that is one of [`UNITS`]. Clause and count references (第三条,
/// 第二次) are not amounts and are skipped. The formal numerals (壹、伍、拾 …) are left out:
/// in prose they are mostly parts of words (队伍分队 is not 5 分).
fn figures(text: &str, offset: usize) -> Vec<Figure> {
    let mut found = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut previous: Option<char> = None;
    while let Some((start, c)) = chars.next() {
        if !is_numeral_char(c) || matches!(c, '.' | '．' | '点') {
            previous = Some(c);
            continue;
        }
        let mut end = start + c.len_utf8();
        while let Some(&(i, next)) = chars.peek() {
            if !is_numeral_char(next) {
                break;
            }
            end = i + next.len_utf8();
            chars.next();
        }
        let after_ordinal = previous == Some('第');
        previous = text.get(..end).and_then(|t| t.chars().last());
        let Some(run) = text.get(start..end) else {
            continue;
        };
        let run = run.trim_end_matches(['.', '．', '点']);
        let Ok(value) = parse_number(run) else {
            continue;
        };
        if after_ordinal {
            continue;
        }
        let rest = text.get(end..).unwrap_or_default();
        let unit = unit_after(rest.trim_start_matches([' ', '\u{3000}']));
        // 一次、一天 mean "each time", "each day": the rule says 每次, 每天.
        let unit = unit.filter(|u| !(value == Decimal::ONE && *u != "分" && *u != "元"));
        found.push(Figure {
            value,
            unit,
            span: Span::new(offset + start, offset + start + run.len()),
        });
    }
    found
}

fn unit_after(rest: &str) -> Option<&'static str> {
    let (written, unit) = UNITS.iter().find(|(w, _)| rest.starts_with(w))?;
    let next = rest.get(written.len()..).and_then(|r| r.chars().next());
    match (*unit, next) {
        ("分", Some(c)) if NOT_POINTS_AFTER_FEN.contains(&c) => None,
        ("次", Some('性')) => None,
        _ => Some(unit),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<(String, Option<&'static str>)> {
        figures(text, 0)
            .into_iter()
            .map(|f| (f.value.to_string(), f.unit))
            .collect()
    }

    #[test]
    fn numbers_with_their_units_and_no_ordinals() {
        assert_eq!(
            read("每户每年最多加40分，第三条除外；满十小时奖2分，一次性奖励"),
            vec![
                ("40".to_string(), Some("分")),
                ("10".to_string(), Some("小时")),
                ("2".to_string(), Some("分")),
                ("1".to_string(), None),
            ]
        );
        assert_eq!(
            read("三分之一、十分钟"),
            vec![
                ("3".to_string(), None),
                ("1".to_string(), None),
                ("10".to_string(), None)
            ]
        );
        assert_eq!(
            read("每次扣 5 分，每发现一次扣"),
            vec![("5".to_string(), Some("分")), ("1".to_string(), None)]
        );
    }
}
