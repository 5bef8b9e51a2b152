//! The formatter is an invariant: on every compact in the repository (and every fixture that
//! parses), formatting is idempotent and re-parsing its output gives the same AST.

mod common;

use xiangyue::check::CheckWarning;
use xiangyue::compile::Problem;
use xiangyue::fmt::format_source;
use xiangyue::syntax::parse;

fn round_trip(name: &str, source: &str) -> Result<(), String> {
    let Ok(before) = parse(source) else {
        return Ok(()); // fixtures of syntax errors
    };
    let once = format_source(source).map_err(|e| format!("{name}: formatting failed: {e:?}"))?;
    let after = parse(&once)
        .map_err(|e| format!("{name}: formatted text does not parse: {e:?}\n{once}"))?;
    if before != after {
        return Err(format!("{name}: formatting changed the AST\n{once}"));
    }
    let twice = format_source(&once).map_err(|e| format!("{name}: {e:?}"))?;
    if once != twice {
        return Err(format!(
            "{name}: formatting is not idempotent\n--- once\n{once}\n--- twice\n{twice}"
        ));
    }
    Ok(())
}

#[test]
fn formatting_round_trips_on_every_compact_and_fixture() {
    let mut all = common::repository_compacts();
    all.extend(common::fixtures("tests/ui"));
    all.extend(common::fixtures("tests/fixtures"));
    assert!(all.len() > 40);
    let failures: Vec<String> = all
        .iter()
        .filter_map(|f| round_trip(&f.name, &f.source).err())
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_repository_compact_checks_clean_and_is_canonical() {
    let compacts = common::repository_compacts();
    assert!(!compacts.is_empty());
    for compact in compacts {
        let compiled = common::compile_in_place(&compact);
        // 原文 and rule disagreeing on a number (W0110/W0111) is allowed only where the
        // compact's coverage page lists it with the reason, exactly.
        let justified = justified_number_warnings(&compact.path);
        let mut disagreements = std::collections::BTreeSet::new();
        let mut codes: Vec<String> = Vec::new();
        for problem in &compiled.problems {
            match problem {
                Problem::Warning(CheckWarning::ProseNumberNotInRule { number, figure, .. }) => {
                    disagreements.insert((
                        number_words(*number),
                        "W0110".to_string(),
                        figure.clone(),
                    ));
                }
                Problem::Warning(CheckWarning::RuleNumberNotInProse { number, figure, .. }) => {
                    disagreements.insert((
                        number_words(*number),
                        "W0111".to_string(),
                        figure.clone(),
                    ));
                }
                other => codes.push(other.code()),
            }
        }
        assert!(codes.is_empty(), "{}: {codes:?}", compact.name);
        assert_eq!(
            disagreements, justified,
            "{}: 原文 and rule disagree where docs/coverage does not say why (left), or the \
             page lists a disagreement that is gone (right)",
            compact.name
        );
        let formatted = format_source(&compact.source).unwrap_or_default();
        assert_eq!(
            formatted, compact.source,
            "{} is not in canonical layout",
            compact.name
        );
    }
}

#[test]
fn messy_layout_becomes_canonical() {
    let messy = "乡约「甲村」版本“2024”生效2024-1-1 周期 每年自3月1日起\n\
        户籍{人口:整数;党员户:是否}\n账户 户积分(默认):最低0分\n\
        事项 乱倒垃圾{当场改正:是否}\n第1章 扣分\n本章 每年 至多 扣 30 分.\n\
        第１条 乱倒垃圾\n原文：乱倒垃圾的，每次扣 5 分。\n凡乱倒垃圾,每次扣5分;党员户加倍.\n\
        第2条 初犯\n例外于第1条.\n凡乱倒垃圾且当场改正且本年第一次,不扣分.\n";
    let expected = "乡约「甲村」\n版本「2024」\n生效 2024年1月1日\n周期 每年 自 3月1日 起\n\n\
        户籍 { 人口：整数；党员户：是否 }\n\n账户 户积分（默认）：最低 0 分\n\n\
        事项 乱倒垃圾 { 当场改正：是否 }\n\n第一章 扣分\n本章 每年 至多 扣 30 分。\n\n\
        第一条 乱倒垃圾\n  原文：乱倒垃圾的，每次扣 5 分。\n  凡 乱倒垃圾，每次 扣 5 分；党员户 加倍。\n\n\
        第二条 初犯\n  例外于 第一条。\n  凡 乱倒垃圾 且 当场改正 且 本年第一次，不扣分。\n";
    assert_eq!(format_source(messy).unwrap_or_default(), expected);
}

#[test]
fn names_that_need_quotes_keep_them() {
    let source = "乡约「甲村」\n事项 违规行为 { 行为类别：选项（酒驾、「为老不尊」） }\n\n第一条\n  凡 违规行为 且 「行为类别」 为 「为老不尊」，扣 5 分。\n";
    let formatted = format_source(source).unwrap_or_default();
    assert!(
        formatted.contains("凡 违规行为 且 「行为类别」 为 为老不尊，扣 5 分。"),
        "{formatted}"
    );
    assert_eq!(parse(&formatted).ok(), parse(source).ok());
}

/// `每次` is per record and `每 次` per unit of a field counted in 次: formatting keeps them apart
/// (fuzz_props found `每 次` written back as `每次`, which changed the rule).
#[test]
fn per_record_and_per_unit_named_ci_stay_apart() {
    let source = "乡约「甲村」\n事项 出工 { 次数：数量（次） }\n\n第一条\n  凡 出工，每 次 加 2 分。\n\n第二条\n  凡 出工，每次 加 1 分。\n";
    let formatted = format_source(source).unwrap_or_default();
    assert!(
        formatted.contains("凡 出工，每 次 加 2 分。"),
        "{formatted}"
    );
    assert!(formatted.contains("凡 出工，每次 加 1 分。"), "{formatted}");
    assert_eq!(parse(&formatted).ok(), parse(source).ok());
}

fn number_words(number: u32) -> String {
    format!("第{}条", xiangyue::fmt::chinese_numeral(number))
}

/// The (clause, code, figure) rows of the table in docs/coverage/<folder>.md that justifies each
/// W0110/W0111 of a repository compact; empty when there is no such page.
fn justified_number_warnings(
    path: &std::path::Path,
) -> std::collections::BTreeSet<(String, String, String)> {
    let folder = path
        .parent()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let page = common::root()
        .join("docs/coverage")
        .join(format!("{folder}.md"));
    let text = std::fs::read_to_string(page).unwrap_or_default();
    text.lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            match cells.as_slice() {
                ["", clause, code, figure, ..] if code.starts_with("W011") => {
                    Some((clause.to_string(), code.to_string(), figure.to_string()))
                }
                _ => None,
            }
        })
        .collect()
}
