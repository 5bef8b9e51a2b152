//! Registers: the households (户籍) and the rosters of persons (名册), validated against the
//! attributes the compact declares.

use super::TextMap;
pub use crate::model::register::Register;
pub(crate) use crate::model::register::eight_digits;

use super::cells::Cells;
use super::error::{DataError, DataWarning, Place};
use super::table::{Row, TableReader};
use super::value::{empty_value, expected_words, normalize, parse_value};
use crate::model::width::fold_width;
use crate::model::{Compact, Field, HOUSEHOLD, KindId, ValueType};

/// Column names accepted for the household id.
pub const HOUSEHOLD_COLUMNS: &[&str] = &["户号", "household", "household_id"];
/// Column names accepted for a person's id in a roster.
pub const PERSON_COLUMNS: &[&str] = &["编号", "人员编号", "人员", "person", "person_id", "id"];
/// Column names of the household head's name, shown beside the 户号 in every output.
pub const HEAD_COLUMNS: &[&str] = &["户主", "户主姓名", "head", "name"];
/// Column names of a person's name in a roster.
pub const NAME_COLUMNS: &[&str] = &["姓名", "name"];

/// The index of the first header column matching one of `names` (ASCII names case-insensitively,
/// full-width letters as ASCII ones).
pub fn find_column(header: &[String], names: &[&str]) -> Option<usize> {
    names.iter().find_map(|name| {
        let name = fold_width(name);
        header.iter().position(|h| {
            let h = fold_width(h);
            h == name || (name.is_ascii() && h.eq_ignore_ascii_case(&name))
        })
    })
}

/// The register's display name for messages: 户籍 or 名册「党员」.
pub fn register_label(compact: &Compact, kind: KindId) -> String {
    if kind == HOUSEHOLD {
        "户籍".to_string()
    } else {
        format!(
            "名册「{}」",
            compact
                .kinds
                .get(kind)
                .map(|k| k.name.as_str())
                .unwrap_or("")
        )
    }
}

/// Reads a register of `kind` from `table`, validating every row. Rows with errors are left
/// out and their errors returned; the caller decides whether to go on.
pub fn read_register(
    table: &mut TableReader,
    compact: &Compact,
    kind: KindId,
    households: Option<&Register>,
    errors: &mut Vec<DataError>,
    warnings: &mut Vec<DataWarning>,
) -> Register {
    let file = table.file().to_string();
    let attributes: Vec<Field> = compact
        .kinds
        .get(kind)
        .map(|k| k.attributes.clone())
        .unwrap_or_default();
    let mut register = Register::empty(kind, attributes.len(), &file);
    let header = table.header().to_vec();
    let id_names = if kind == HOUSEHOLD {
        HOUSEHOLD_COLUMNS
    } else {
        PERSON_COLUMNS
    };
    let Some(id_column) = find_column(&header, id_names) else {
        errors.push(DataError::MissingColumn {
            file: file.clone(),
            column: id_names.first().copied().unwrap_or("户号").to_string(),
            found: header.join("、"),
            hint: if kind == HOUSEHOLD {
                "户籍的第一列通常是户号".to_string()
            } else {
                "名册要有「编号」列（每人一个编号），以及所属的「户号」".to_string()
            },
        });
        return register;
    };
    let household_column = (kind != HOUSEHOLD)
        .then(|| find_column(&header, HOUSEHOLD_COLUMNS))
        .flatten();
    // A clause that counts this roster's persons in their households (计入 户积分, 每户 …):
    // every person must name one.
    let needs_household = (kind != HOUSEHOLD)
        .then(|| compact.household_clause_of(kind))
        .flatten()
        .map(|clause| {
            format!(
                "{}把{}的人计入所在的户，每人都要填所属的户号",
                crate::model::describe::clause_label(clause.number),
                register_label(compact, kind)
            )
        });
    if let (Some(hint), None) = (&needs_household, household_column) {
        errors.push(DataError::MissingColumn {
            file: file.clone(),
            column: "户号".to_string(),
            found: header.join("、"),
            hint: hint.clone(),
        });
        return register;
    }
    let name_column = find_column(
        &header,
        if kind == HOUSEHOLD {
            HEAD_COLUMNS
        } else {
            NAME_COLUMNS
        },
    );
    let mut columns: Vec<Option<usize>> = Vec::new();
    for attribute in &attributes {
        let column = find_column(&header, &[attribute.name.as_str()]);
        if column.is_none() {
            errors.push(DataError::MissingColumn {
                file: file.clone(),
                column: attribute.name.clone(),
                found: header.join("、"),
                hint: format!(
                    "乡约声明了{}属性「{}」，每户（每人）都要有这一列",
                    register_label(compact, kind),
                    attribute.name
                ),
            });
        }
        columns.push(column);
    }
    let used: Vec<usize> = std::iter::once(id_column)
        .chain(household_column)
        .chain(name_column)
        .chain(columns.iter().flatten().copied())
        .collect();
    let ignored: Vec<String> = header
        .iter()
        .enumerate()
        .filter(|(i, h)| !used.contains(i) && !h.is_empty())
        .map(|(_, h)| format!("「{h}」"))
        .collect();
    if !ignored.is_empty() {
        warnings.push(DataWarning::IgnoredColumns {
            file: file.clone(),
            columns: ignored.join("、"),
        });
    }
    if columns.iter().any(Option::is_none) {
        return register;
    }
    let mut record = Cells::new();
    // The lines of ids whose rows were left out, to tell a repeat of them from a new id (the
    // ids kept are found in the register itself).
    let mut left_out: TextMap<u64> = TextMap::default();
    let mut codes: Vec<u32> = Vec::with_capacity(attributes.len());
    // Each attribute's cells as written → their codes: a register repeats few cell texts, and
    // a text read before needs neither reading nor checking again.
    let mut read_before: Vec<TextMap<u32>> = vec![TextMap::default(); attributes.len()];
    loop {
        let line = match table.read(&mut record) {
            Ok(Row::Cells(line)) => line,
            Ok(Row::Bad(_, error)) => {
                errors.push(error);
                continue;
            }
            Ok(Row::End) => break,
            Err(error) => {
                errors.push(error);
                break;
            }
        };
        let place = |column: usize| Place {
            file: file.clone(),
            line,
            column: header.get(column).cloned(),
        };
        let id = record.get(id_column).unwrap_or("").trim();
        if id.is_empty() {
            errors.push(DataError::MissingValue {
                place: place(id_column),
                hint: "每户（每人）都要有编号".to_string(),
            });
            continue;
        }
        let first_line = register
            .find(id)
            .and_then(|i| register.lines.get(i as usize).copied())
            .or_else(|| left_out.get(&*fold_width(id)).copied());
        if let Some(first_line) = first_line {
            errors.push(DataError::DuplicateSubject {
                place: place(id_column),
                value: id.to_string(),
                first_line,
            });
            continue;
        }
        let mut ok = true;
        codes.clear();
        for ((a, (attribute, column)), before) in attributes
            .iter()
            .zip(&columns)
            .enumerate()
            .zip(&mut read_before)
        {
            let column = column.unwrap_or(0);
            let text = record.get(column).unwrap_or("");
            if let Some(&code) = before.get(text) {
                codes.push(code);
                continue;
            }
            if attribute.ty == ValueType::Text {
                // As `parse_value` reads text (and `empty_value` an empty cell), without
                // making a copy of a value the register already has.
                let code = register.text_code(a, &normalize(text));
                before.insert(text.into(), code);
                codes.push(code);
                continue;
            }
            let value = if text.trim().is_empty() {
                empty_value(&attribute.ty)
            } else {
                parse_value(text, &attribute.ty)
            };
            match value {
                Some(v) if !super::value::within_limits(&v) => {
                    errors.extend(super::events::out_of_range(place(column), text, &v));
                    ok = false;
                }
                Some(v) if super::events::below_zero(&attribute.ty, &v) => {
                    errors.push(DataError::NegativeValue {
                        place: place(column),
                        value: text.trim().to_string(),
                        what: attribute.ty.describe(),
                        hint: format!(
                            "「{}」声明为{}；{}",
                            attribute.name,
                            attribute.ty.describe(),
                            super::events::NEGATIVE_HINT
                        ),
                    });
                    ok = false;
                }
                Some(v) => {
                    let code = register.code(a, v);
                    before.insert(text.into(), code);
                    codes.push(code);
                }
                None if text.trim().is_empty() => {
                    errors.push(DataError::MissingValue {
                        place: place(column),
                        hint: format!("填写{}", expected_words(&attribute.ty)),
                    });
                    ok = false;
                }
                None => {
                    errors.push(DataError::BadValue {
                        place: place(column),
                        value: text.trim().to_string(),
                        expected: expected_words(&attribute.ty),
                        hint: format!("「{}」声明为{}", attribute.name, attribute.ty.describe()),
                    });
                    ok = false;
                }
            }
        }
        let household = match (household_column, households) {
            (Some(column), Some(households)) => {
                let text = record.get(column).unwrap_or("").trim();
                if text.is_empty() {
                    if let Some(hint) = &needs_household {
                        errors.push(DataError::MissingValue {
                            place: place(column),
                            hint: hint.clone(),
                        });
                        ok = false;
                    }
                    None
                } else {
                    match households.find(text) {
                        Some(h) => Some(h),
                        // Its row had errors, reported there: no second error for each of its
                        // members.
                        None if households.left_out.contains_key(&*fold_width(text)) => {
                            ok = false;
                            None
                        }
                        None => {
                            errors.push(DataError::UnknownSubject {
                                place: place(column),
                                what: "户号".to_string(),
                                value: text.to_string(),
                                register: "户籍".to_string(),
                                suggestions: households.suggest(text),
                            });
                            ok = false;
                            None
                        }
                    }
                }
            }
            _ => None,
        };
        if ok {
            register.push_codes(id, &codes, line, household);
            if let Some(column) = name_column {
                register.name_last(record.get(column).unwrap_or(""));
            }
        } else {
            left_out.insert(fold_width(id).into(), line);
        }
    }
    register.left_out = left_out;
    register.finish_reading();
    register
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// Eight digits at once read as digit by digit; anything else is refused.
        #[test]
        fn eight_digits_read_as_one_by_one(text in "[0-9]{0,9}|[0-9/:a ]{0,9}") {
            let expected = (text.len() <= 8)
                .then(|| {
                    text.bytes().try_fold(0u64, |n, b| {
                        b.is_ascii_digit().then(|| n * 10 + u64::from(b - b'0'))
                    })
                })
                .flatten();
            prop_assert_eq!(super::eight_digits(text.as_bytes()), expected);
        }

        /// The digits at the end of an id read as the digits alone, whatever comes before.
        #[test]
        fn digits_at_end_read_as_the_digits_alone(
            prefix in "[A-Za-z0-9组-]{0,6}",
            digits in "[0-9]{0,9}|[0-9/:a ]{0,9}",
        ) {
            let id = format!("{prefix}{digits}");
            prop_assert_eq!(
                crate::model::register::digits_at_end(id.as_bytes(), digits.len()),
                super::eight_digits(digits.as_bytes())
            );
        }
    }

    use super::*;
    use crate::compile::compile;
    use crate::model::FieldValue;

    fn compact() -> Compact {
        compile("乡约「甲」\n户籍 { 人口：整数；党员户：是否 }\n")
            .compact
            .unwrap_or_else(|| unreachable!())
    }

    /// Finding by number (ids of one pattern) and by hash (any ids) agree on every id.
    #[test]
    fn numbered_ids_are_found_like_any_others() {
        let probes = [
            "H0000001",
            "H0000002",
            "H0000010",
            "H0000003",
            "H000001",
            "H00000010",
            "h0000001",
            "H00000a1",
            "X0000001",
            "",
            "0000001",
            "H9999999",
            " H0000002 ",
            "三组-017",
            "三组-17",
            "17",
            "017",
            "018",
            "H0000000",
            "H0000004",
            "H0000005",
            "H0000007",
        ];
        let sets: [&[&str]; 9] = [
            &["H0000001", "H0000002", "H0000010"],
            &["三组-017", "三组-002"],
            &["017", "002", "999"],
            &["H0000001", "三组-017"],
            &["H0000001", "H9999999"],
            // In order without gaps: found by subtraction.
            &["H0000001", "H0000002", "H0000003"],
            &["H0000005", "H0000006", "H0000007"],
            &["H0000002", "H0000001", "H0000003"],
            &["H0000001", "H0000002", "H0000002"],
        ];
        let consecutive = [false, false, false, false, false, true, true, false, false];
        for ((set, numbered), consecutive) in sets
            .iter()
            .zip([true, true, true, false, false, true, true, true, true])
            .zip(consecutive)
        {
            let mut register = Register::empty(HOUSEHOLD, 0, "户籍.csv");
            for id in set.iter() {
                register.push(id, Vec::new(), 1, None);
            }
            assert_eq!(register.numbered.is_some(), numbered, "{set:?}");
            assert_eq!(
                register
                    .numbered
                    .as_ref()
                    .is_some_and(|n| n.consecutive.is_some()),
                consecutive,
                "{set:?}"
            );
            let by_hash: TextMap<u32> = (0u32..)
                .zip(set.iter())
                .map(|(i, id)| ((*id).into(), i))
                .collect();
            for probe in probes {
                let by_hash = by_hash.get(probe.trim()).copied();
                assert_eq!(register.find(probe), by_hash, "{set:?} {probe}");
            }
        }
    }

    #[test]
    fn reads_a_register_and_reports_every_bad_row() {
        let compact = compact();
        let mut table = TableReader::from_csv_text(
            "户号,人口,党员户,姓名\nA1,4,是,张\nA2,三,,李\nA3,很多,否,王\nA1,2,否,赵\n,1,否,钱\n",
            "户籍.csv",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let (mut errors, mut warnings) = (Vec::new(), Vec::new());
        let register = read_register(
            &mut table,
            &compact,
            HOUSEHOLD,
            None,
            &mut errors,
            &mut warnings,
        );
        assert_eq!(register.ids().collect::<Vec<_>>(), ["A1", "A2"]);
        assert_eq!(register.value(1, 0), Some(&FieldValue::Number(3.into())));
        // An empty yes/no cell means 否.
        assert_eq!(register.value(1, 1), Some(&FieldValue::Bool(false)));
        let codes: Vec<(String, u64)> = errors.iter().map(|e| (e.code(), e.line())).collect();
        assert_eq!(
            codes,
            [
                ("E0206".into(), 4),
                ("E0209".into(), 5),
                ("E0207".into(), 6)
            ]
        );
        assert_eq!(warnings.len(), 1, "the 姓名 column is reported as unused");
    }

    #[test]
    fn members_of_a_household_left_out_for_its_errors_are_not_reported_again() {
        let compact = compile("乡约「甲」\n户籍 { 人口：整数 }\n名册 党员 { 姓名：文本 }\n")
            .compact
            .unwrap_or_else(|| unreachable!());
        let (mut errors, mut warnings) = (Vec::new(), Vec::new());
        let mut table = TableReader::from_csv_text("户号,人口\nA1,4\nA2,很多\n", "户籍.csv")
            .unwrap_or_else(|e| panic!("{e}"));
        let households = read_register(
            &mut table,
            &compact,
            HOUSEHOLD,
            None,
            &mut errors,
            &mut warnings,
        );
        let mut table = TableReader::from_csv_text(
            "编号,姓名,户号\nP1,张,A2\nP2,李,A2\nP3,王,A9\nP4,赵,A1\n",
            "党员.csv",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let roster = read_register(
            &mut table,
            &compact,
            1,
            Some(&households),
            &mut errors,
            &mut warnings,
        );
        let codes: Vec<(String, String, u64)> = errors
            .iter()
            .map(|e| (e.code(), e.file().to_string(), e.line()))
            .collect();
        // A2's bad row once; A9, which is nowhere, once; nothing for P1 and P2.
        assert_eq!(
            codes,
            [
                ("E0206".into(), "户籍.csv".into(), 3),
                ("E0203".into(), "党员.csv".into(), 4)
            ]
        );
        assert_eq!(roster.ids().collect::<Vec<_>>(), ["P4"]);
    }

    #[test]
    fn a_missing_declared_column_is_an_error_for_the_whole_file() {
        let compact = compact();
        let mut table = TableReader::from_csv_text("户号,人口\nA1,4\n", "户籍.csv")
            .unwrap_or_else(|e| panic!("{e}"));
        let (mut errors, mut warnings) = (Vec::new(), Vec::new());
        let register = read_register(
            &mut table,
            &compact,
            HOUSEHOLD,
            None,
            &mut errors,
            &mut warnings,
        );
        assert!(register.is_empty());
        assert_eq!(
            errors.first().map(DataError::code).as_deref(),
            Some("E0202")
        );
    }

    #[test]
    fn the_head_of_a_household_is_kept_declared_or_not() {
        let compact = crate::compile::compile(
            "乡约「甲」\n户籍 { 人口：整数 }\n第一条 基础\n  每户 加 人口 × 1 分。\n",
        )
        .compact
        .unwrap();
        let mut table = crate::data::TableReader::from_csv_text(
            "户号,户主,人口\nA1,张三,2\nA2,,3\nA3, 李四 ,1\n",
            "户籍.csv",
        )
        .unwrap();
        let (mut errors, mut warnings) = (Vec::new(), Vec::new());
        let register =
            super::read_register(&mut table, &compact, 0, None, &mut errors, &mut warnings);
        assert!(errors.is_empty(), "{errors:?}");
        assert!(
            warnings.is_empty(),
            "户主 is used, not an ignored column: {warnings:?}"
        );
        let names: Vec<_> = (0..3).map(|s| register.name(s)).collect();
        assert_eq!(names, [Some("张三"), None, Some("李四")]);
    }
}
