//! No input makes the library panic, and the formatter's laws hold on whatever parses.
//!
//! Three sources of input: arbitrary text, "token soup" built from the language's own words
//! and marks (which gets deep into the grammar), and the repository's compacts mutated at
//! random (deleting, duplicating and swapping pieces). For every input: parsing, checking,
//! rendering diagnostics and the printable compact must not panic; when the input parses,
//! formatting must give text that parses to the same AST and formats to itself; when it checks,
//! `diff` finds no change between the compact and itself, nor between it and its formatted text.
//!
//! The number of cases is bounded for CI; raise it with PROPTEST_CASES=20000 for a longer run.

// Mutations index into the seed text at positions already reduced modulo its length.
#![allow(clippy::indexing_slicing)]

mod common;

use proptest::prelude::*;
use xiangyue::compile::compile;
use xiangyue::diagnostic::render::{render_human, render_json, render_plain};
use xiangyue::diff::compare;
use xiangyue::fmt::format_source;
use xiangyue::report::compact::{render_html, render_markdown};
use xiangyue::syntax::parse;

/// Runs everything on `source`; returns a description of a broken law, if any.
fn exercise(source: &str) -> Result<(), String> {
    let compiled = compile(source);
    let _ = render_plain(&compiled.problems, "x.xy", source);
    let _ = render_json(&compiled.problems, "x.xy", source);
    let _ = render_human(&compiled.problems, "x.xy", source, false);
    if let Some(compact) = &compiled.compact {
        let _ = render_html(compact);
        let _ = render_markdown(compact);
    }
    if let Ok(before) = parse(source) {
        let once = format_source(source).map_err(|e| format!("format failed: {e:?}"))?;
        let after =
            parse(&once).map_err(|e| format!("formatted text does not parse: {e:?}\n{once}"))?;
        if before != after {
            return Err(format!(
                "formatting changed the AST:\n{source}\n---\n{once}"
            ));
        }
        let twice = format_source(&once).map_err(|e| format!("{e:?}"))?;
        if twice != once {
            return Err(format!(
                "formatting is not idempotent:\n{once}\n---\n{twice}"
            ));
        }
        if let Some(compact) = &compiled.compact {
            let itself = compare(compact, compact);
            if !itself.is_equivalent() {
                return Err(format!(
                    "diff of a compact with itself reports changes:\n{source}\n{:?}",
                    itself.clauses
                ));
            }
            let formatted = compile(&once).compact.ok_or_else(|| {
                format!("the formatted text does not check:\n{source}\n---\n{once}")
            })?;
            let after_fmt = compare(compact, &formatted);
            if !after_fmt.is_equivalent() {
                return Err(format!(
                    "diff of a compact with its formatted text reports changes:\n{source}\n---\n{once}\n{:?}",
                    after_fmt.clauses
                ));
            }
        }
    }
    Ok(())
}

const WORDS: &[&str] = &[
    "乡约",
    "「甲村」",
    "版本",
    "生效",
    "周期",
    "每年",
    "自",
    "起",
    "户籍",
    "名册",
    "账户",
    "事项",
    "默认",
    "属",
    "归",
    "需",
    "整数",
    "数量",
    "金额",
    "文本",
    "是否",
    "日期",
    "分数",
    "选项",
    "第一章",
    "第二章",
    "第一条",
    "第二条",
    "第三条",
    "第十二条",
    "本章",
    "原文",
    "例外于",
    "与",
    "取最高",
    "计入",
    "每户",
    "每名",
    "党员",
    "凡",
    "且",
    "或",
    "非",
    "未",
    "为",
    "不为",
    "不低于",
    "高于",
    "低于",
    "在",
    "至",
    "每次",
    "每天",
    "每满",
    "每",
    "加",
    "扣",
    "分",
    "元",
    "天",
    "小时",
    "按",
    "累计",
    "满",
    "从",
    "支出",
    "不计分",
    "不扣分",
    "一票否决",
    "取消",
    "分红资格",
    "清零",
    "加倍",
    "减半",
    "倍",
    "至多",
    "最多",
    "最低",
    "本年第一次",
    "第三次起",
    "前两次",
    "连续",
    "年",
    "无",
    "评定",
    "其余",
    "排名",
    "前",
    "名",
    "授予",
    "并列",
    "均得",
    "按户号",
    "分红",
    "比例",
    "分配",
    "的",
    "示例",
    "应得",
    "户",
    "人口",
    "党员户",
    "义务投工",
    "乱倒垃圾",
    "级别",
    "县级",
    "市级",
    "户积分",
    "荣誉积分",
    "星级",
    "五星",
    "净利润",
    "10",
    "２０",
    "十二",
    "二点五",
    "0.5",
    "49%",
    "百分之五",
    "2024年3月1日",
    "6月1日",
    "2024-03-01",
    "，",
    "。",
    "；",
    "：",
    "、",
    "（",
    "）",
    "(",
    ")",
    "{",
    "}",
    "｛",
    "｝",
    "「",
    "」",
    "～",
    "×",
    "#",
    "＃ 注",
    " ",
    " ",
    "  ",
    "\n",
    "\n",
    "\n  ",
    "\u{3000}",
    "-",
    ".",
];

fn token_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 0..120).prop_map(|words| words.concat())
}

/// The repository's compacts and fixtures, as seeds for mutation.
fn seeds() -> Vec<String> {
    let mut all: Vec<String> = common::repository_compacts()
        .into_iter()
        .map(|f| f.source)
        .collect();
    all.extend(
        common::fixtures("tests/fixtures")
            .into_iter()
            .map(|f| f.source),
    );
    all.extend(common::fixtures("tests/ui").into_iter().map(|f| f.source));
    all
}

#[derive(Debug, Clone)]
enum Mutation {
    DeleteChars { at: usize, len: usize },
    InsertWord { at: usize, word: usize },
    DuplicateLine { line: usize },
    SwapLines { a: usize, b: usize },
    DeleteLine { line: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1usize..12).prop_map(|(at, len)| Mutation::DeleteChars { at, len }),
        (any::<usize>(), any::<usize>()).prop_map(|(at, word)| Mutation::InsertWord { at, word }),
        any::<usize>().prop_map(|line| Mutation::DuplicateLine { line }),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines { a, b }),
        any::<usize>().prop_map(|line| Mutation::DeleteLine { line }),
    ]
}

fn apply(source: &str, mutation: &Mutation) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut lines: Vec<&str> = source.lines().collect();
    let n = lines.len().max(1);
    match *mutation {
        Mutation::DeleteChars { at, len } => {
            let at = at % chars.len().max(1);
            let end = (at + len).min(chars.len());
            chars[..at].iter().chain(chars[end..].iter()).collect()
        }
        Mutation::InsertWord { at, word } => {
            let at = at % (chars.len() + 1);
            let word = WORDS[word % WORDS.len()];
            let mut out: String = chars[..at].iter().collect();
            out.push_str(word);
            out.extend(chars[at..].iter());
            out
        }
        Mutation::DuplicateLine { line } => {
            if let Some(&l) = lines.get(line % n) {
                lines.insert(line % n, l);
            }
            lines.join("\n")
        }
        Mutation::SwapLines { a, b } => {
            if !lines.is_empty() {
                lines.swap(a % n, b % n);
            }
            lines.join("\n")
        }
        Mutation::DeleteLine { line } => {
            if !lines.is_empty() {
                lines.remove(line % n);
            }
            lines.join("\n")
        }
    }
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(300),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_text_never_panics(source in any::<String>()) {
        prop_assert_eq!(exercise(&source), Ok(()));
    }

    #[test]
    fn token_soup_never_panics_and_formats_faithfully(source in token_soup()) {
        prop_assert_eq!(exercise(&format!("乡约「甲」\n{source}")), Ok(()));
    }

    #[test]
    fn mutated_compacts_never_panic_and_format_faithfully(
        seed in any::<usize>(),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let seeds = seeds();
        let mut source = seeds[seed % seeds.len()].clone();
        for m in &mutations {
            source = apply(&source, m);
        }
        prop_assert_eq!(exercise(&source), Ok(()));
    }
}
