//! `xiangyue test COMPACT`: runs the worked examples (示例) written in the compact; a failure
//! shows what was expected, what came out, and the ledger that led there.

use std::path::Path;

use super::{EXIT_ERRORS, EXIT_OK, ErrorFormat, diagnostics, read_text};
use crate::eval::examples::run_example;
use crate::report::tables::ledger_row;

pub fn run(path: &Path, format: ErrorFormat) -> u8 {
    let source = match read_text(path) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let file = path.display().to_string();
    let compiled = super::diagnostics::compile_at(path, &source);
    let Some(compact) = compiled.compact else {
        diagnostics::print(&compiled.problems, &file, &source, format);
        return EXIT_ERRORS;
    };
    if compact.examples.is_empty() {
        println!("{file}：没有示例（在乡约末尾写 示例「…」 …）");
        return EXIT_OK;
    }
    let index = crate::syntax::LineIndex::new(&source);
    let mut failed = 0;
    for example in &compact.examples {
        let run = run_example(&compact, example);
        if run.mismatches.is_empty() {
            println!("✓ 示例「{}」：{} 项全部相符", run.name, run.checked);
            continue;
        }
        failed += 1;
        println!(
            "✗ 示例「{}」：{} 项中 {} 项不符",
            run.name,
            run.checked,
            run.mismatches.len()
        );
        for m in &run.mismatches {
            let line = index.position(&source, m.span.start).line;
            let who = if m.subject == crate::check::UNNAMED_HOUSEHOLD {
                String::new()
            } else {
                format!("「{}」", m.subject)
            };
            println!(
                "    {file}:{line}  应得{who}：{}，实际：{}",
                m.expected, m.actual
            );
        }
        let subjects: Vec<&String> = run.mismatches.iter().map(|m| &m.subject).collect();
        println!("    计分经过：");
        for entry in &run.ledger {
            let row = ledger_row(&compact, &run.registers, "示例", entry);
            if !subjects.contains(&&row.subject) {
                continue;
            }
            let notes = if row.notes.is_empty() {
                String::new()
            } else {
                format!("（{}）", row.notes)
            };
            println!(
                "      {} {} {} {} {}：{}{notes}",
                row.subject, row.date, row.clause, row.account, row.amount, row.computation
            );
        }
    }
    let passed = compact.examples.len() - failed;
    println!(
        "{file}：{} 个示例，{passed} 个通过，{failed} 个不符",
        compact.examples.len()
    );
    if failed > 0 { EXIT_ERRORS } else { EXIT_OK }
}
