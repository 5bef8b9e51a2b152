//! What the editor pane asks about the compact's text: diagnostics with their quick fixes,
//! the canonical layout, hover and completion — the language server's answers (`xiangyue::lsp`)
//! over one text, with positions as LSP gives them (line from 0, UTF-16 column, which is what
//! a JavaScript string and CodeMirror count).

use lsp_types::{HoverContents, MarkedString, Position, Range};
use serde::Serialize;
use xiangyue::lsp::{self, Document};

/// One diagnostic for the page.
#[derive(Debug, Serialize)]
pub struct DiagnosticJson {
    /// E0103 …
    pub code: String,
    /// `error` or `warning`.
    pub severity: &'static str,
    /// The Chinese message, with its hint.
    pub message: String,
    /// Where it is.
    pub range: Range,
    /// One-click fixes: replace `range` with `text`.
    pub fixes: Vec<FixJson>,
}

/// A quick fix.
#[derive(Debug, Serialize)]
pub struct FixJson {
    /// 改为「…」
    pub title: String,
    /// What to replace.
    pub range: Range,
    /// The replacement.
    pub text: String,
}

/// The answer to `check`.
#[derive(Debug, Serialize)]
pub struct CheckJson {
    /// Every diagnostic, in the checker's order.
    pub diagnostics: Vec<DiagnosticJson>,
    /// Errors among them.
    pub errors: usize,
    /// Warnings among them.
    pub warnings: usize,
    /// 乡约「…」 and its clauses' numbers and where their heads are, when the text reads.
    pub clauses: Vec<ClauseJson>,
}

/// A clause head, for links from an explanation or a vote report to the editor.
#[derive(Debug, Serialize)]
pub struct ClauseJson {
    /// The clause's number (4 for 第四条).
    pub number: u32,
    /// Its head line.
    pub range: Range,
}

/// Diagnostics and quick fixes of `text`.
pub fn check(text: &str) -> CheckJson {
    let doc = Document::with_templates(text.to_string(), crate::templates::for_editor());
    let found = lsp::diagnostics(&doc);
    let mut diagnostics = Vec::with_capacity(found.len());
    for (problem, diagnostic) in doc.compiled.problems.iter().zip(found) {
        let fixes = problem
            .fix()
            .map(|fix| FixJson {
                title: format!("改为「{}」", fix.replacement),
                range: doc.lines.range(&doc.text, fix.span),
                text: fix.replacement,
            })
            .into_iter()
            .collect();
        diagnostics.push(DiagnosticJson {
            code: match diagnostic.code {
                Some(lsp_types::NumberOrString::String(code)) => code,
                Some(lsp_types::NumberOrString::Number(n)) => n.to_string(),
                None => String::new(),
            },
            severity: if problem.is_error() {
                "error"
            } else {
                "warning"
            },
            message: diagnostic.message,
            range: diagnostic.range,
            fixes,
        });
    }
    let errors = diagnostics.iter().filter(|d| d.severity == "error").count();
    let clauses = doc
        .ast()
        .map(|ast| {
            ast.chapters
                .iter()
                .flat_map(|chapter| &chapter.clauses)
                .map(|clause| ClauseJson {
                    number: clause.number.node,
                    range: doc.lines.range(&doc.text, clause.span),
                })
                .collect()
        })
        .unwrap_or_default();
    CheckJson {
        warnings: diagnostics.len() - errors,
        errors,
        diagnostics,
        clauses,
    }
}

/// The answer to `format`.
#[derive(Debug, Serialize)]
pub struct FormatJson {
    /// The canonical text, when the text reads.
    pub text: Option<String>,
    /// Why not, otherwise.
    pub error: Option<String>,
}

/// The canonical layout (`xiangyue fmt`).
pub fn format(text: &str) -> FormatJson {
    match xiangyue::fmt::format_source(text) {
        Ok(formatted) => FormatJson {
            text: Some(formatted),
            error: None,
        },
        Err(errors) => FormatJson {
            text: None,
            error: Some(format!(
                "有 {} 处写法错误，改正后才能排版",
                errors.len().max(1)
            )),
        },
    }
}

/// Hover text (Markdown) at a position, if any.
pub fn hover(text: &str, line: u32, character: u32) -> Option<String> {
    let doc = Document::with_templates(text.to_string(), crate::templates::for_editor());
    let hover = lsp::hover(&doc, Position::new(line, character))?;
    Some(match hover.contents {
        HoverContents::Markup(markup) => markup.value,
        HoverContents::Scalar(MarkedString::String(s)) => s,
        HoverContents::Scalar(MarkedString::LanguageString(s)) => s.value,
        HoverContents::Array(parts) => parts
            .into_iter()
            .map(|p| match p {
                MarkedString::String(s) => s,
                MarkedString::LanguageString(s) => s.value,
            })
            .collect::<Vec<_>>()
            .join("\n\n"),
    })
}

/// A completion for the page.
#[derive(Debug, Serialize)]
pub struct CompletionJson {
    /// What is shown and inserted.
    pub label: String,
    /// What it is (事项, 字段 …).
    pub detail: Option<String>,
}

/// Completions at a position.
pub fn complete(text: &str, line: u32, character: u32) -> Vec<CompletionJson> {
    let doc = Document::with_templates(text.to_string(), crate::templates::for_editor());
    lsp::completion(&doc, Position::new(line, character))
        .into_iter()
        .map(|item| CompletionJson {
            label: item.insert_text.unwrap_or(item.label),
            detail: item.detail,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    const SAMPLE: &str = include_str!("../../../compacts/youxiqiao-demo/youxiqiao.xy");

    #[test]
    fn the_sample_is_clean_and_a_misspelled_name_gets_a_fix() {
        let clean = check(SAMPLE);
        assert_eq!(clean.errors, 0, "{:?}", clean.diagnostics);
        assert!(clean.clauses.len() > 5);
        // A 事项 misspelled where a clause uses it (its declaration stays right).
        let broken = SAMPLE.replacen("凡 义务投工", "凡 义务投功", 1);
        let found = check(&broken);
        assert!(found.errors > 0);
        let with_fix = found.diagnostics.iter().find(|d| !d.fixes.is_empty());
        let with_fix = with_fix.unwrap();
        assert_eq!(with_fix.code, "E0101");
        let fix = &with_fix.fixes[0];
        assert_eq!(fix.text, "义务投工");
        // The fix's range is the misspelled name, in LSP positions (line from 0).
        let line = broken.lines().nth(fix.range.start.line as usize).unwrap();
        assert!(line.contains("凡 义务投功"), "{line}");
    }
}
