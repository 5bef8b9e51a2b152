//! `xiangyue eval 镇或县文件夹`: every village folder under a township or county folder,
//! evaluated as `xiangyue eval 村文件夹` evaluates it (through [`super::eval::eval_village`],
//! which loads it with [`super::inputs::load_village`]), a few at a time across the cores, each
//! on one thread. Only a summary of each village is kept ([`VillageFigures`]); with `-o 目录`
//! each village's results are written under it as they are made. Then the rankings and the
//! summaries ([`crate::report::county`]).
//!
//! A folder is a village when it holds a .xy file and its data (户籍, 事项记录 or 积分账本.db),
//! or a .xy file and no village folders. A folder holding village folders is a township; one
//! holding townships, a county. A .xy file in a township's folder (a township template) is not
//! a village and is left alone.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::eval::{EvalArgs, EvalFormat, OneVillage, eval_village};
use super::inputs::find_table;
use super::out::{Printed, captured};
use super::{EXIT_ERRORS, EXIT_OK, EXIT_USAGE, ErrorFormat, write_text};
use crate::report::county::{CountyReport, Level, VillageFigures, VillageRow};
use crate::report::provenance::Provenance;

/// How deep below the folder given villages are looked for (county / township / village, and
/// one level more for a folder of counties).
const MAX_DEPTH: usize = 4;

/// Villages evaluated between two printings of their messages (in folder order).
const ROUND: usize = 32;

/// A folder found under the one given.
enum Node {
    Village,
    Group(Vec<(String, Node)>),
}

fn has_xy(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .filter_map(Result::ok)
            .any(|e| e.path().extension().is_some_and(|x| x == "xy") && e.path().is_file())
    })
}

fn has_data(dir: &Path) -> bool {
    find_table(dir, &["register", "户籍", "花名册"]).is_some()
        || find_table(dir, &["events", "事项记录"]).is_some()
        || super::book::has_book(dir)
}

/// The sub-folders of `dir`, by name (hidden ones left out).
fn subfolders(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut found: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.path().is_dir())
                .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
                .filter(|(name, _)| !name.starts_with('.'))
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

fn classify(dir: &Path, depth: usize) -> Option<Node> {
    let xy = has_xy(dir);
    if xy && has_data(dir) {
        return Some(Node::Village);
    }
    let children: Vec<(String, Node)> = if depth < MAX_DEPTH {
        subfolders(dir)
            .into_iter()
            .filter_map(|(name, path)| classify(&path, depth + 1).map(|n| (name, n)))
            .collect()
    } else {
        Vec::new()
    };
    if !children.is_empty() {
        Some(Node::Group(children))
    } else if xy || has_data(dir) {
        // A folder with a village's records but no compact is a village too: evaluated, it
        // fails with why, and is named among those not evaluated — never skipped.
        Some(Node::Village)
    } else {
        None
    }
}

/// A village to evaluate.
struct Place {
    /// Its township's key: the group folder holding it, relative to the folder given.
    township: String,
    /// Its folder's name.
    name: String,
    /// Its place relative to the folder given (镇/村).
    relative: String,
    /// Its folder.
    path: PathBuf,
}

fn flatten(top: &Path, prefix: &str, children: Vec<(String, Node)>, out: &mut Vec<Place>) {
    for (name, node) in children {
        let relative = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        match node {
            Node::Village => out.push(Place {
                township: prefix.to_string(),
                path: top.join(&relative),
                name,
                relative,
            }),
            Node::Group(inner) => flatten(top, &relative, inner, out),
        }
    }
}

/// When the folder given is a township or county, runs it and gives the exit code; `None` for
/// a village (or a file), which `eval` evaluates as before.
pub fn run_if_county(args: &EvalArgs) -> Option<Result<u8, u8>> {
    let top = &args.village.village;
    if !top.is_dir() {
        return None;
    }
    match classify(top, 0) {
        Some(Node::Village) => None,
        Some(Node::Group(children)) => {
            let mut places = Vec::new();
            flatten(top, "", children, &mut places);
            Some(run_county(args, top, &places))
        }
        None => {
            eprintln!(
                "错误：文件夹 {} 里没有乡约文件（.xy），也没有村的文件夹：它既不是一个村，也不是镇或县的文件夹\n提示：村的文件夹里放乡约（.xy）、户籍（register.csv）和事项记录（events.csv）；镇的文件夹里放各村的文件夹，县的文件夹里放各镇的文件夹",
                top.display()
            );
            Some(Err(EXIT_USAGE))
        }
    }
}

/// Options that name one village's files, or its reject file, cannot be given for many.
fn refuse_options(args: &EvalArgs) -> Result<(), u8> {
    let v = &args.village;
    let named = [
        (v.register.is_some(), "--register"),
        (v.events.is_some(), "--events"),
        (!v.rosters.is_empty(), "--roster"),
        (args.pool.is_some(), "--pool"),
        (args.reject_file.is_some(), "--reject-file"),
        (args.years.is_some(), "--years"),
    ];
    if let Some((_, flag)) = named.iter().find(|(given, _)| *given) {
        eprintln!(
            "错误：{} 是镇或县的文件夹，各村的文件在各村的文件夹里，不能用 {flag}\n提示：户籍、事项记录、名册和 分红.txt 放在各村的文件夹里；要退回某村有误的记录，对那个村单独运行 xiangyue eval 村文件夹 --reject-file 退回.csv",
            v.village.display()
        );
        return Err(EXIT_USAGE);
    }
    if args.format == EvalFormat::Xlsx {
        eprintln!(
            "错误：镇或县一次计算时不输出 xlsx；用 --format csv 或 html（各村一份，另有汇总），或对某个村单独输出 xlsx"
        );
        return Err(EXIT_USAGE);
    }
    Ok(())
}

fn extension(format: EvalFormat) -> &'static str {
    match format {
        EvalFormat::Table => "txt",
        EvalFormat::Json => "json",
        EvalFormat::Csv => "csv",
        EvalFormat::Html | EvalFormat::Xlsx => "html",
    }
}

/// The file of one village's results under `-o 目录`.
fn village_file(format: EvalFormat) -> String {
    match format {
        EvalFormat::Html => "公示表.html".to_string(),
        other => format!("结果.{}", extension(other)),
    }
}

/// The reason to show for a village that failed: the first line of what it printed that says
/// 错误, else its first line.
fn first_problem(printed: &Printed, code: u8) -> String {
    let text = strip_ansi(&printed.err);
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if let Some(line) = lines.iter().find(|l| l.starts_with("错误")) {
        return (*line).to_string();
    }
    // A compact's diagnostic drawn for people: its code on a line, then「× 说明」and
    // 「╭─[文件:行:列]」.
    let message = lines.iter().find_map(|l| l.strip_prefix('×'));
    if let Some(message) = message {
        let code = lines
            .iter()
            .find(|l| l.len() == 5 && l.starts_with(['E', 'W']))
            .map_or_else(String::new, |c| format!("[{c}]"));
        let place = lines
            .iter()
            .find_map(|l| {
                l.split_once("─[")
                    .and_then(|(_, rest)| rest.strip_suffix(']'))
            })
            .map_or_else(String::new, |p| format!("（{p}）"));
        return format!("乡约有错误{code}：{}{place}", message.trim());
    }
    lines
        .first()
        .map_or_else(|| format!("未计算（退出码 {code}）"), |l| (*l).to_string())
}

fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn run_county(args: &EvalArgs, top: &Path, places: &[Place]) -> Result<u8, u8> {
    refuse_options(args)?;
    let evaluated_at = super::now()?;
    let out_dir = args.output.as_deref();
    if let Some(dir) = out_dir {
        if dir.exists() && !dir.is_dir() {
            eprintln!(
                "错误：{} 是一个文件；镇或县一次计算时 -o 指明的是文件夹（各村的结果和汇总写在里面）",
                dir.display()
            );
            return Err(EXIT_USAGE);
        }
        std::fs::create_dir_all(dir).map_err(|e| {
            eprintln!(
                "错误：无法建立文件夹 {}：{}",
                dir.display(),
                super::io_reason(&e)
            );
            EXIT_USAGE
        })?;
    }
    let level = if places.iter().any(|p| !p.township.is_empty()) {
        Level::County
    } else {
        Level::Township
    };
    let mut rows: Vec<VillageRow> = Vec::with_capacity(places.len());
    for round in places.chunks(ROUND) {
        let done: Vec<(VillageRow, Printed)> = round
            .par_iter()
            .map(|place| one_village(args, place, out_dir, evaluated_at))
            .collect();
        for (row, printed) in done {
            let said = format!("{}{}", printed.out, printed.err);
            if !said.is_empty() {
                say_for_village(&row, &said, args.village.error_format);
            }
            rows.push(row);
        }
    }
    let name = top
        .canonicalize()
        .ok()
        .as_deref()
        .unwrap_or(top)
        .file_name()
        .map_or_else(
            || top.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
    let time = Provenance {
        files: Vec::new(),
        evaluated_at: evaluated_at.0,
        utc_offset: evaluated_at.1,
    };
    let report = CountyReport::new(
        top.display().to_string(),
        name,
        level,
        (time.time_json(), time.time_words()),
        rows,
    );
    write_summaries(args, &report, out_dir)?;
    let failed: Vec<String> = report
        .failed()
        .map(|(v, why)| format!("  {}（{}）：{why}", v.village, v.path))
        .collect();
    if failed.is_empty() {
        return Ok(EXIT_OK);
    }
    // In JSON the villages not evaluated are in each village's line above (and, with
    // `--format json`, in the summary's `not_evaluated`).
    if args.village.error_format == ErrorFormat::Json {
        return Ok(EXIT_ERRORS);
    }
    eprintln!(
        "以下 {} 个村未计算（其余 {} 个村已计算）：\n{}",
        failed.len(),
        report.villages.len() - failed.len(),
        failed.join("\n")
    );
    Ok(EXIT_ERRORS)
}

/// Prints what evaluating a village said, under its name; with `--error-format json`, one JSON
/// line per village instead — `{"village", "path", "evaluated", "diagnostics"}`, the village's
/// own diagnostics JSON as it is, or `"text"` when it said words (warnings of a village that
/// was evaluated) — so that standard error stays machine-readable.
fn say_for_village(row: &VillageRow, said: &str, format: ErrorFormat) {
    if format != ErrorFormat::Json {
        eprintln!("—— {}（{}）——", row.village, row.path);
        eprint!("{said}");
        return;
    }
    let (key, value) = match serde_json::from_str::<serde_json::Value>(said.trim()) {
        Ok(diagnostics) => ("diagnostics", diagnostics),
        Err(_) => ("text", serde_json::Value::String(said.to_string())),
    };
    let mut line = serde_json::Map::new();
    line.insert(key.to_string(), value);
    line.insert("evaluated".to_string(), row.outcome.is_ok().into());
    line.insert("path".to_string(), row.path.clone().into());
    line.insert("village".to_string(), row.village.clone().into());
    let line = serde_json::Value::Object(line);
    eprintln!("{line}");
}

/// Evaluates one village on this thread, with what it prints kept.
fn one_village(
    args: &EvalArgs,
    place: &Place,
    out_dir: Option<&Path>,
    evaluated_at: (jiff::civil::DateTime, jiff::tz::Offset),
) -> (VillageRow, Printed) {
    let path_words = place.path.display().to_string();
    let output = out_dir.map(|dir| dir.join(&place.relative).join(village_file(args.format)));
    let (result, printed) = captured(|| {
        if let Some(file) = &output
            && let Some(parent) = file.parent()
            && let Err(e) = std::fs::create_dir_all(parent)
        {
            eprintln!(
                "错误：无法建立文件夹 {}：{}",
                parent.display(),
                super::io_reason(&e)
            );
            return Err(EXIT_USAGE);
        }
        let mut village_args = args.village.clone();
        village_args.village.clone_from(&place.path);
        let one = EvalArgs {
            village: village_args,
            pool: None,
            format: args.format,
            output: output.clone(),
            reject_file: None,
            years: None,
        };
        let how = OneVillage {
            evaluated_at,
            threads: Some(1),
            output: output.as_deref(),
            write: output.is_some(),
            in_county: true,
        };
        let mut figures = None;
        eval_village(&one, &how, &mut |compact, results| {
            figures = Some(VillageFigures::of(compact, results));
        })
        .and_then(|()| figures.ok_or(EXIT_ERRORS))
    });
    let outcome = result.map_err(|code| first_problem(&printed, code));
    if outcome.is_err()
        && let Some(parent) = output.as_deref().and_then(Path::parent)
    {
        // Nothing was written for it: leave no empty folder (a folder with files stays).
        let _ = std::fs::remove_dir(parent);
    }
    let row = VillageRow {
        township: place.township.clone(),
        village: place.name.clone(),
        path: path_words,
        output: output
            .filter(|_| outcome.is_ok())
            .map(|p| p.display().to_string()),
        outcome,
    };
    (row, printed)
}

/// The summaries: to standard output, or under `-o 目录` (汇总.* for the whole, and in each
/// township's folder for a county).
fn write_summaries(
    args: &EvalArgs,
    report: &CountyReport,
    out_dir: Option<&Path>,
) -> Result<(), u8> {
    let render = |r: &CountyReport| match args.format {
        EvalFormat::Table => r.render_table(),
        EvalFormat::Json => r.json(),
        EvalFormat::Csv => r.villages_csv(),
        EvalFormat::Html | EvalFormat::Xlsx => r.render_html(),
    };
    let ext = extension(args.format);
    let Some(dir) = out_dir else {
        super::eval::output(None, render(report).as_bytes())?;
        if args.format == EvalFormat::Csv && report.level == Level::County {
            eprintln!("提示：各镇的汇总没有输出到屏幕；用 -o 目录 时另写一份 汇总-镇.csv");
        }
        return Ok(());
    };
    let whole = dir.join(format!("汇总.{ext}"));
    write_text(&whole, render(report).as_bytes())?;
    let mut written = vec![whole.display().to_string()];
    if args.format == EvalFormat::Csv && report.level == Level::County {
        let towns = dir.join("汇总-镇.csv");
        write_text(&towns, report.townships_csv().as_bytes())?;
        written.push(towns.display().to_string());
    }
    if report.level == Level::County {
        for t in &report.townships {
            if t.key.is_empty() {
                continue;
            }
            let folder = dir.join(&t.key);
            std::fs::create_dir_all(&folder).map_err(|e| {
                eprintln!(
                    "错误：无法建立文件夹 {}：{}",
                    folder.display(),
                    super::io_reason(&e)
                );
                EXIT_USAGE
            })?;
            write_text(
                &folder.join(format!("汇总.{ext}")),
                render(&report.township(&t.key)).as_bytes(),
            )?;
        }
    }
    let evaluated = report.villages.iter().filter(|v| v.outcome.is_ok()).count();
    eprintln!(
        "已计算 {evaluated} 个村（共 {} 个）；各村的结果写在 {} 下（镇/村/{}），汇总写入 {}{}",
        report.villages.len(),
        dir.display(),
        village_file(args.format),
        written.join("、"),
        if report.level == Level::County {
            format!("，各镇的汇总写在各镇的文件夹里（汇总.{ext}）")
        } else {
            String::new()
        }
    );
    Ok(())
}
