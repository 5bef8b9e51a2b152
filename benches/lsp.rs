//! The language server's re-check after an edit (`cargo bench --bench lsp`).
//!
//! The target from the issue: a 1,000-clause compact re-checks in under 50 ms after an edit.
//! Each sample applies one keystroke-sized edit to the open document, as a didChange
//! notification does (UTF-16 range → bytes, text spliced, checked again), and turns the
//! problems into LSP diagnostics — everything the server does before publishing them.

use lsp_types::{Position, Range};
use xiangyue::lsp::{Document, diagnostics};

fn main() {
    divan::main();
}

include!("support/compact_gen.rs");

/// The same allocator as the binary (src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The position of the middle clause's 原文, where a person would be typing.
fn middle(doc: &Document) -> Position {
    let line = doc.text.lines().count() / 2;
    let line = (line..)
        .find(|&l| {
            doc.text
                .lines()
                .nth(l)
                .is_some_and(|t| t.contains("原文："))
        })
        .unwrap_or(line);
    Position::new(line as u32, 5)
}

/// A character typed into a 原文 and deleted again: the compact stays valid.
#[divan::bench(args = [100, 1000])]
fn recheck_after_edit(bencher: divan::Bencher, clauses: usize) {
    let mut doc = Document::new(large_compact(clauses));
    let at = middle(&doc);
    assert!(!doc.compiled.has_errors());
    let mut typed = false;
    bencher.bench_local(|| {
        if typed {
            doc.edit(
                Some(Range::new(at, Position::new(at.line, at.character + 1))),
                "",
            );
        } else {
            doc.edit(Some(Range::new(at, at)), "村");
        }
        typed = !typed;
        diagnostics(divan::black_box(&doc))
    });
}

/// An edit that breaks the text and one that mends it: the syntax-error path and back.
#[divan::bench(args = [1000])]
fn recheck_with_syntax_error(bencher: divan::Bencher, clauses: usize) {
    let mut doc = Document::new(large_compact(clauses));
    let line = doc
        .text
        .lines()
        .position(|t| t.trim_start().starts_with("凡 "))
        .unwrap_or(0) as u32;
    let at = Position::new(line + (clauses as u32 / 2) * 3, 2);
    doc.edit(Some(Range::new(at, at)), "，");
    assert!(doc.compiled.ast.is_none(), "the edit should break the text");
    doc.edit(
        Some(Range::new(at, Position::new(at.line, at.character + 1))),
        "",
    );
    assert!(!doc.compiled.has_errors());
    let mut broken = false;
    bencher.bench_local(|| {
        if broken {
            doc.edit(
                Some(Range::new(at, Position::new(at.line, at.character + 1))),
                "",
            );
        } else {
            doc.edit(Some(Range::new(at, at)), "，");
        }
        broken = !broken;
        diagnostics(divan::black_box(&doc))
    });
}
