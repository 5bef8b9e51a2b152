//! What the editor draws over the text: semantic tokens (declared names by kind, clause numbers,
//! 原文, comments) and inlay hints (a clause's caps and its exceptions, at the end of its head
//! line).

use lsp_types::{
    InlayHint, InlayHintKind, InlayHintLabel, SemanticToken, SemanticTokenType, SemanticTokens,
};

use super::Document;
use super::symbols::{SymbolKindZh, clause_head, clauses};
use crate::syntax::Span;
use crate::syntax::ast::{Modifier, Statement};

/// The token types, in the order the legend announces them.
pub const TOKEN_TYPES: &[SemanticTokenType] = &[
    SemanticTokenType::ENUM,        // 0 事项
    SemanticTokenType::PROPERTY,    // 1 field, register column
    SemanticTokenType::VARIABLE,    // 2 account
    SemanticTokenType::CLASS,       // 3 roster
    SemanticTokenType::ENUM_MEMBER, // 4 rating
    SemanticTokenType::NAMESPACE,   // 5 第N条
    SemanticTokenType::STRING,      // 6 原文
    SemanticTokenType::COMMENT,     // 7 comment
];

fn token_type(kind: SymbolKindZh) -> u32 {
    match kind {
        SymbolKindZh::Event => 0,
        SymbolKindZh::Field | SymbolKindZh::Attribute => 1,
        SymbolKindZh::Account => 2,
        SymbolKindZh::Roster => 3,
        SymbolKindZh::Rating => 4,
        SymbolKindZh::Clause => 5,
    }
}

/// Semantic tokens of the whole document (none while the text does not read).
pub fn semantic_tokens(doc: &Document) -> SemanticTokens {
    let Some(ast) = doc.ast() else {
        return SemanticTokens::default();
    };
    let Some(index) = doc.index() else {
        return SemanticTokens::default();
    };
    let mut spans: Vec<(Span, u32)> = Vec::new();
    for symbol in index.symbols() {
        let kind = token_type(symbol.kind);
        spans.push((symbol.name_span, kind));
        spans.extend(index.uses(symbol).into_iter().map(|span| (span, kind)));
    }
    for clause in clauses(ast) {
        for statement in &clause.statements {
            if matches!(statement.node, Statement::Prose(_)) {
                spans.push((statement.span, 6));
            }
        }
    }
    spans.extend(ast.comments.iter().map(|comment| (comment.span, 7)));
    spans.sort_by_key(|(span, _)| (span.start, span.end));
    spans.dedup_by_key(|(span, _)| *span);

    let mut data = Vec::new();
    let (mut line, mut column) = (0u32, 0u32);
    let mut last_end = 0u32;
    for (span, kind) in spans {
        if span.start < last_end || span.is_empty() {
            continue;
        }
        let range = doc.range(span);
        // A token does not cross lines; a multi-line one is cut at its first line's end.
        let length = if range.end.line == range.start.line {
            range.end.character.saturating_sub(range.start.character)
        } else {
            let text = span.text(&doc.text);
            let first = text.split('\n').next().unwrap_or("");
            first.trim_end_matches('\r').encode_utf16().count() as u32
        };
        let delta_line = range.start.line.saturating_sub(line);
        let delta_start = if delta_line == 0 {
            range.start.character.saturating_sub(column)
        } else {
            range.start.character
        };
        data.push(SemanticToken {
            delta_line,
            delta_start,
            length,
            token_type: kind,
            token_modifiers_bitset: 0,
        });
        line = range.start.line;
        column = range.start.character;
        last_end = span.end;
    }
    SemanticTokens {
        result_id: None,
        data,
    }
}

/// At the end of each clause's head line: its chapter's caps, its own caps, what it is an
/// exception to and which clauses are exceptions to it.
pub fn inlay_hints(doc: &Document) -> Vec<InlayHint> {
    let Some(ast) = doc.ast() else {
        return Vec::new();
    };
    let mut exceptions: Vec<(u32, u32)> = Vec::new(); // (exception, clause it is an exception to)
    for clause in clauses(ast) {
        for statement in &clause.statements {
            if let Statement::Except(numbers) = &statement.node {
                exceptions.extend(numbers.iter().map(|n| (clause.number.node, n.node)));
            }
        }
    }
    let mut hints = Vec::new();
    let mut hint = |clause: &crate::syntax::ast::Clause, chapter_caps: &[String]| {
        let mut parts: Vec<String> = chapter_caps.to_vec();
        for statement in &clause.statements {
            if let Statement::Event(rule) = &statement.node {
                for modifier in &rule.modifiers {
                    if let Modifier::Cap(_) = modifier.node {
                        parts.push(modifier.span.text(&doc.text).trim().to_string());
                    }
                }
            }
        }
        let of: Vec<String> = exceptions
            .iter()
            .filter(|(e, _)| *e == clause.number.node)
            .map(|(_, of)| crate::model::describe::clause_label(*of))
            .collect();
        if !of.is_empty() {
            parts.push(format!("例外于 {}", of.join("、")));
        }
        let by: Vec<String> = exceptions
            .iter()
            .filter(|(_, of)| *of == clause.number.node)
            .map(|(e, _)| crate::model::describe::clause_label(*e))
            .collect();
        if !by.is_empty() {
            parts.push(format!("例外：{}", by.join("、")));
        }
        if parts.is_empty() {
            return;
        }
        let head = clause_head(clause, &doc.text);
        let head_end = clause
            .title
            .as_ref()
            .map_or(head.end, |title| title.span.end.max(head.end));
        hints.push(InlayHint {
            position: doc
                .range(Span::new(head_end as usize, head_end as usize))
                .start,
            label: InlayHintLabel::String(format!("（{}）", parts.join("；"))),
            kind: Some(InlayHintKind::PARAMETER),
            text_edits: None,
            tooltip: None,
            padding_left: Some(true),
            padding_right: None,
            data: None,
        });
    };
    for clause in &ast.loose_clauses {
        hint(clause, &[]);
    }
    for chapter in &ast.chapters {
        let caps: Vec<String> = chapter
            .caps
            .iter()
            .map(|cap| {
                format!(
                    "本章 {}",
                    cap.span
                        .text(&doc.text)
                        .trim()
                        .trim_start_matches("本章")
                        .trim()
                        .trim_end_matches('。')
                )
            })
            .collect();
        for clause in &chapter.clauses {
            hint(clause, &caps);
        }
    }
    hints
}
