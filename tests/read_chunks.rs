//! Reading a CSV log in chunks (as `eval` does, on every core) gives exactly what reading it
//! one record at a time gives: the same good records and the same errors on the same lines,
//! wherever the chunk boundaries fall — quoted cells spanning lines, CRLF, blank lines, rows
//! too long, text in the wrong encoding and bad values included.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::indexing_slicing)]

use xiangyue::data::chunks::{Checked, Chunk, check_chunk};
use xiangyue::data::{EventReader, EventRecord, Next, Register, TableReader};
use xiangyue::model::Compact;

mod common;

fn sample() -> (Compact, Vec<Register>) {
    let dir = common::root().join("compacts/youxiqiao-demo");
    let source = std::fs::read_to_string(dir.join("youxiqiao.xy")).unwrap();
    let compact = xiangyue::compile::compile(&source).compact.unwrap();
    let households = std::fs::read_to_string(dir.join("register.csv")).unwrap();
    let members = std::fs::read_to_string(dir.join("党员.csv")).unwrap();
    let registers = common::households_and_roster(&compact, &households, &members);
    (compact, registers)
}

/// What reading found: good records, and (line, error codes) for bad rows, each in order.
#[derive(Debug, Default, PartialEq)]
struct Found {
    good: Vec<EventRecord>,
    bad: Vec<(u64, Vec<String>, Vec<String>)>,
    warnings: Vec<String>,
}

fn one_at_a_time(compact: &Compact, registers: &[Register], text: &str) -> Found {
    let table = TableReader::from_csv_text(text, "events.csv").unwrap();
    let mut reader = EventReader::new(table, compact, registers).unwrap();
    let mut found = Found::default();
    let mut record = EventRecord::new();
    loop {
        match reader.next(&mut record).unwrap() {
            Next::End => break,
            Next::Record => found.good.push(record.clone()),
            Next::Bad(errors) => found.bad.push((
                record.line,
                errors.iter().map(|e| e.to_string()).collect(),
                reader.raw().texts().map(|c| c.into_owned()).collect(),
            )),
        }
    }
    found.warnings = reader
        .take_warnings()
        .iter()
        .map(|w| w.to_string())
        .collect();
    found
}

fn in_chunks(compact: &Compact, registers: &[Register], text: &str, bytes: usize) -> Found {
    let table = TableReader::from_csv_text(text, "events.csv").unwrap();
    let mut reader = EventReader::new(table, compact, registers).unwrap();
    let mut chunks = reader.take_chunks().expect("CSV").with_chunk_bytes(bytes);
    let mut found = Found::default();
    let (mut chunk, mut checked) = (Chunk::default(), Checked::default());
    while chunks.next_into(&mut chunk).unwrap() {
        check_chunk(reader.checker(), &chunk, &mut checked);
        reader.find_repeats(&chunk, &mut checked);
        for &kind in &checked.kinds {
            reader.saw_kind(kind);
        }
        found.good.extend(checked.records().iter().cloned());
        for bad in &checked.bad {
            found.bad.push((
                bad.line,
                bad.errors.iter().map(|e| e.to_string()).collect(),
                bad.cells.texts().map(|c| c.into_owned()).collect(),
            ));
        }
    }
    found.warnings = reader
        .take_warnings()
        .iter()
        .map(|w| w.to_string())
        .collect();
    found
}

/// The sample log's first rows, with rows of every awkward kind put in between.
fn awkward_log() -> String {
    let path = common::root().join("compacts/youxiqiao-demo/events.csv");
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines: Vec<String> = text.lines().take(1500).map(str::to_string).collect();
    let header = "编号,日期,户号,人员,事项,天数,金额,级别,类型,评定分,时长,等次,当场改正,所用积分,证书,证明,签字,审核,备注";
    assert_eq!(lines[0], header);
    let odd = [
        // A quoted remark with a comma and a line break inside.
        "X1,2024-03-01,A001,,义务投工,2,,,,,,,,,,,,通过,\"说明，\n第二行\"",
        // CRLF.
        "X2,2024-03-01,A002,,义务投工,1,,,,,,,,,,,,通过,\r",
        // Blank lines, with and without commas.
        "",
        ",,,, ,",
        // Too many cells.
        "X3,2024-03-01,A003,,义务投工,1,,,,,,,,,,,,通过,,多,余",
        // Bad values: date, item (with a close name), household, number, status.
        "X4,2024-13-01,A004,,义务投工,1,,,,,,,,,,,,通过,",
        "X5,2024-03-01,A005,,义务投功,1,,,,,,,,,,,,通过,",
        "X6,2024-03-01,Z999,,义务投工,1,,,,,,,,,,,,通过,",
        "X7,2024-03-01,A006,,义务投工,两天,,,,,,,,,,,,通过,",
        "X7b,2024-03-01,A006,,义务投工,许多,,,,,,,,,,,,通过,",
        "X8,2024-03-01,A007,,义务投工,1,,,,,,,,,,,,也许,",
        // A replacement character: text read in the wrong encoding.
        "X9,2024-03-01,A008,,义务投工,1,,,,,,,,,,,,通过,\u{FFFD}\u{FFFD}",
        // A short row (missing cells count as empty).
        "X10,2024-03-01,A009,,义务投工,3",
        // Other date forms and padded cells.
        "X11, 2024年3月2日 , A010 ,,义务投工, 2 ,,,,,,,,,,,,通过,",
        // A 编号 used before (refused, naming the first line), also in a quoted row.
        "X2,2024-03-01,A002,,义务投工,1,,,,,,,,,,,,通过,",
        "X1,2024-03-01,A001,,义务投工,2,,,,,,,,,,,,通过,\"又一次\"",
        // Rows alike without 编号 (counted, and one warning lists them).
        ",2024-03-01,A011,,义务投工,1,,,,,,,,,,,,通过,",
        ",2024-03-01,A011,,义务投工,1,,,,,,,,,,,,通过,",
    ];
    for (i, row) in odd.iter().enumerate() {
        lines.insert(100 + i * 77, (*row).to_string());
    }
    lines.join("\n") + "\n"
}

#[test]
fn chunks_give_what_one_record_at_a_time_gives() {
    let (compact, registers) = sample();
    let text = awkward_log();
    let expected = one_at_a_time(&compact, &registers, &text);
    assert!(expected.good.len() > 1400, "{}", expected.good.len());
    assert!(expected.bad.len() >= 7, "{:?}", expected.bad);
    let repeats = expected
        .bad
        .iter()
        .filter(|(_, errors, _)| errors.iter().any(|e| e.contains("已经用过")))
        .count();
    assert_eq!(repeats, 2, "{:?}", expected.bad);
    assert!(
        expected.warnings.iter().any(|w| w.contains("完全相同的行")),
        "{:?}",
        expected.warnings
    );
    for bytes in [1, 50, 333, 4096, 1 << 20] {
        let found = in_chunks(&compact, &registers, &text, bytes);
        assert_eq!(found.good.len(), expected.good.len(), "{bytes}-byte chunks");
        assert_eq!(found, expected, "{bytes}-byte chunks");
    }
}

#[test]
fn a_log_without_a_final_line_break_or_with_a_quote_left_open() {
    let (compact, registers) = sample();
    let header = "编号,日期,户号,人员,事项,天数,金额,级别,类型,评定分,时长,等次,当场改正,所用积分,证书,证明,签字,审核,备注\n";
    for tail in [
        "X1,2024-03-01,A001,,义务投工,2,,,,,,,,,,,,通过,",
        "X1,2024-03-01,A001,,义务投工,2,,,,,,,,,,,,通过,\"没有配对\nX2,2024-03-01,A002,,义务投工,1,,,,,,,,,,,,通过,\n",
    ] {
        let text = format!("{header}X0,2024-02-01,A003,,义务投工,1,,,,,,,,,,,,通过,\n{tail}");
        let expected = one_at_a_time(&compact, &registers, &text);
        for bytes in [1, 40, 1 << 20] {
            assert_eq!(
                in_chunks(&compact, &registers, &text, bytes),
                expected,
                "{bytes}: {tail}"
            );
        }
    }
}

#[test]
fn chunk_boundaries_at_every_offset_never_split_a_quoted_cell() {
    let (compact, registers) = sample();
    let mut text = "编号,日期,户号,人员,事项,天数,金额,级别,类型,评定分,时长,等次,当场改正,所用积分,证书,证明,签字,审核,备注\n".to_string();
    for i in 0..30 {
        let remark = if i % 3 == 0 {
            format!("\"第{i}条，\n跨两行\"")
        } else {
            String::new()
        };
        text.push_str(&format!(
            "Q{i},2024-03-{:02},A{:03},,义务投工,{},,,,,,,,,,,,通过,{remark}\n",
            i % 28 + 1,
            i + 1,
            i % 5 + 1
        ));
    }
    let expected = one_at_a_time(&compact, &registers, &text);
    assert_eq!(expected.good.len(), 30);
    assert!(expected.bad.is_empty());
    for bytes in 1..=400 {
        assert_eq!(
            in_chunks(&compact, &registers, &text, bytes),
            expected,
            "{bytes}"
        );
    }
}
