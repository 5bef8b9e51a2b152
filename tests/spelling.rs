//! One compact, three spellings — ASCII punctuation and digits, full-width punctuation and
//! digits, Chinese numerals and alternative keywords — gives one AST (spans aside) and one
//! typed compact.

mod common;

use xiangyue::compile::compile;
use xiangyue::syntax::parse;

#[test]
fn ascii_full_width_and_chinese_numerals_give_the_same_ast() {
    let ascii = common::load(&common::root().join("tests/fixtures/spelling-ascii.xy"));
    let full = common::load(&common::root().join("tests/fixtures/spelling-fullwidth.xy"));
    let chinese = common::load(&common::root().join("tests/fixtures/spelling-chinese.xy"));
    let ascii_ast = parse(&ascii.source);
    assert!(ascii_ast.is_ok(), "{:?}", ascii_ast.err());
    assert_eq!(
        ascii_ast,
        parse(&full.source),
        "full-width spelling differs"
    );
    assert_eq!(
        ascii_ast,
        parse(&chinese.source),
        "Chinese-numeral spelling differs"
    );
    let compiled = [&ascii, &full, &chinese].map(|f| compile(&f.source).compact);
    assert!(compiled[0].is_some());
    // The typed compacts carry spans into their own text, so compare what the spans do not
    // touch: the clauses' rules as plain sentences.
    let describe = |c: &Option<xiangyue::model::Compact>| -> Vec<String> {
        c.as_ref()
            .map(|c| {
                (0..c.clauses.len())
                    .flat_map(|i| xiangyue::model::describe::clause(c, i))
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(describe(&compiled[0]), describe(&compiled[1]));
    assert_eq!(describe(&compiled[0]), describe(&compiled[2]));
}

#[test]
fn clause_numbers_in_either_numeral_are_the_same_clause() {
    let source = "乡约「甲」\n事项 乱倒垃圾\n\n第12条 甲\n  凡 乱倒垃圾，每次 扣 5 分。\n\n第十三条 乙\n  例外于 第十二条。\n  凡 乱倒垃圾，不扣分。\n";
    let compiled = compile(source);
    let codes: Vec<String> = compiled.problems.iter().map(|p| p.code()).collect();
    // Only the skipped numbers 1–11 are worth a warning; the exception resolves.
    assert_eq!(codes, vec!["W0101".to_string()]);
    let compact = compiled.compact.unwrap_or_else(|| unreachable!());
    assert_eq!(compact.clauses[1].exceptions_to, vec![0]);
}
