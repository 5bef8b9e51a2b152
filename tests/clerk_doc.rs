//! docs/clerk.md walks a month of the village's book with real commands: this test runs them,
//! in order, on a copy of the sample village, and checks that each command's printed output
//! is the ```text block after it (`UPDATE_DOCS=1 cargo test --test clerk_doc` rewrites them).
//! A `<!-- 今天 2024-04-01 -->` line sets the day for the commands after it; a ```sql block is
//! run on the book directly (the tampering the chapter shows `verify` finding).

// Helpers that run the binary fail the test with a message when the machine cannot run it;
// tests index the rows they built themselves.
#![allow(clippy::panic, clippy::indexing_slicing)]

mod common;

use std::path::Path;
use std::process::Command;

/// The sample's log split the way the chapter tells: history before March, March, April.
fn prepare(root: &Path) {
    let sample = common::root().join("compacts/youxiqiao-demo");
    let village = root.join("油溪桥村");
    std::fs::create_dir_all(&village).unwrap_or_else(|e| panic!("{e}"));
    for file in ["youxiqiao.xy", "register.csv", "党员.csv", "分红.txt"] {
        std::fs::copy(sample.join(file), village.join(file)).unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::copy(
        common::root().join("compacts/youxiqiao-demo-2025/youxiqiao-2025.xy"),
        root.join("2025修订稿.xy"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let log = std::fs::read_to_string(sample.join("events.csv")).unwrap_or_default();
    let mut lines = log.lines();
    let header = lines.next().unwrap_or_default();
    let rows: Vec<&str> = lines.collect();
    let part = |from: &str, to: &str| {
        let mut text = format!("{header}\n");
        for row in &rows {
            let date = row.split(',').nth(1).unwrap_or("");
            if date >= from && date <= to {
                text.push_str(row);
                text.push('\n');
            }
        }
        text
    };
    for (file, from, to) in [
        ("旧账.csv", "2000-01-01", "2024-02-29"),
        ("三月.csv", "2024-03-01", "2024-03-31"),
        ("四月.csv", "2024-04-01", "2024-04-30"),
    ] {
        std::fs::write(root.join(file), part(from, to)).unwrap_or_else(|e| panic!("{e}"));
    }
}

struct Fence {
    info: String,
    body: String,
    /// Byte range of the body in the page.
    range: std::ops::Range<usize>,
    /// The day in force (the last 今天 marker before the fence).
    today: String,
}

fn fences(text: &str) -> Vec<Fence> {
    let mut out = Vec::new();
    let mut today = String::new();
    let mut offset = 0;
    let mut open: Option<(String, usize)> = None;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_end();
        match &open {
            None => {
                if let Some(day) = trimmed
                    .strip_prefix("<!-- 今天 ")
                    .and_then(|r| r.strip_suffix(" -->"))
                {
                    today = day.to_string();
                } else if let Some(info) = trimmed.strip_prefix("```") {
                    open = Some((info.to_string(), offset + line.len()));
                }
            }
            Some((info, start)) => {
                if trimmed == "```" {
                    out.push(Fence {
                        info: info.clone(),
                        body: text[*start..offset].to_string(),
                        range: *start..offset,
                        today: today.clone(),
                    });
                    open = None;
                }
            }
        }
        offset += line.len();
    }
    out
}

fn run(root: &Path, today: &str, line: &str) -> String {
    let args: Vec<&str> = line.split_whitespace().skip(1).collect();
    let output = Command::new(env!("CARGO_BIN_EXE_xiangyue"))
        .args(&args)
        .current_dir(root)
        .env("XIANGYUE_TODAY", today)
        .env("XIANGYUE_NOW", format!("{today} 09:00:00"))
        .env_remove("CI")
        .output()
        .unwrap_or_else(|e| panic!("{line}: {e}"));
    let mut text = String::from_utf8_lossy(&output.stdout).to_string();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    if !output.status.success() {
        text.push_str(&format!(
            "（退出码 {}）\n",
            output.status.code().unwrap_or(-1)
        ));
    }
    text
}

#[test]
fn the_clerks_chapter_shows_what_its_commands_print() {
    let page = common::root().join("docs/clerk.md");
    let mut text = std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path();
    prepare(root);
    let update = std::env::var_os("UPDATE_DOCS").is_some();
    let all = fences(&text);
    let mut replacements = Vec::new();
    let mut failures = Vec::new();
    let mut commands = 0;
    for (i, fence) in all.iter().enumerate() {
        match fence.info.as_str() {
            "sh" => {
                let mut printed = String::new();
                for line in fence.body.lines().filter(|l| l.starts_with("xiangyue ")) {
                    commands += 1;
                    printed.push_str(&run(root, &fence.today, line));
                }
                let Some(next) = all.get(i + 1).filter(|f| f.info == "text") else {
                    continue;
                };
                if next.body != printed {
                    if update {
                        replacements.push((next.range.clone(), printed));
                    } else {
                        failures.push(format!(
                            "after\n{}the chapter shows\n{}but the commands print\n{printed}",
                            fence.body, next.body
                        ));
                    }
                }
            }
            "sql" => {
                let book = rusqlite::Connection::open(root.join("油溪桥村/积分账本.db"))
                    .unwrap_or_else(|e| panic!("{e}"));
                book.execute_batch(&fence.body)
                    .unwrap_or_else(|e| panic!("{}: {e}", fence.body));
            }
            _ => {}
        }
    }
    assert!(
        commands >= 15,
        "found only {commands} commands in docs/clerk.md"
    );
    if update {
        for (range, printed) in replacements.into_iter().rev() {
            text.replace_range(range, &printed);
        }
        std::fs::write(&page, text).unwrap_or_else(|e| panic!("{e}"));
    }
    assert!(
        failures.is_empty(),
        "docs/clerk.md is out of date (UPDATE_DOCS=1 cargo test --test clerk_doc):\n{}",
        failures.join("\n")
    );
}
