//! The data the workbench page reads (a fixed contract with web/):
//!
//! - `GET /api/villages` → `[{"id":"0","name":"油溪桥村","has_book":true}]`
//! - `GET /api/villages/{id}/compact` — the text of the compact in force (today);
//! - `GET /api/villages/{id}/register` — the register as UTF-8 CSV;
//! - `GET /api/villages/{id}/events` — UTF-8 CSV: for a book, the records in force as
//!   `cli::book::village_from_book` exports them (编号 is the record's id in the book); for a
//!   folder, its events file converted to UTF-8 CSV;
//! - `GET /api/villages/{id}/adopted` — the latest adopted version's text (the folder's compact
//!   without a book);
//! - `GET /api/villages/{id}/rosters` — `{"党员": "CSV text", …}`;
//! - `GET /api/villages/{id}/pool` — the amount in 分红.txt (empty without one);
//! - `GET /api/villages/{id}/templates` — `{"镇模板": "text", …}`: the templates its compact
//!   stands on (依据「…」), found from its folder upwards; `{}` for none.
//!
//! Everyone who may read the 公示 may read these: no login. A refusal is JSON
//! `{"error":{"code","message","hint"}}` with its status.

use super::error::ServeError;
use super::http::Reply;
use super::{Site, State};
use crate::cli::ErrorFormat;
use crate::cli::book::{View, folder_args, village_from_book};
use crate::cli::inputs::{Which, load_village};
use crate::cli::out::captured;

/// A refusal as JSON.
pub fn error_reply(error: &ServeError) -> Reply {
    Reply::json(
        error.status(),
        &serde_json::json!({
            "error": {
                "code": error.code(),
                "message": error.to_string(),
                "hint": error.hint(),
            }
        }),
    )
}

/// What a command printed when it could not give the data: its first error line and hint.
fn printed_failure(code: u8, err: &str) -> Reply {
    let mut lines = err.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or("读取失败").to_string();
    let hint = lines
        .find_map(|l| l.strip_prefix("提示："))
        .unwrap_or("")
        .to_string();
    let (code_text, message) = match first.strip_prefix("错误[").and_then(|r| r.split_once(']')) {
        Some((c, m)) => (c.to_string(), m.trim().to_string()),
        None => (
            String::new(),
            first.trim_start_matches("错误：").trim().to_string(),
        ),
    };
    Reply::json(
        if code == crate::cli::EXIT_USAGE {
            500
        } else {
            422
        },
        &serde_json::json!({
            "error": {"code": code_text, "message": message, "hint": hint, "printed": err}
        }),
    )
}

/// The answer to `/api/…` (the segments after `api`).
pub fn answer(state: &State, rest: &[&str]) -> Reply {
    match rest {
        ["villages"] => Reply::json(
            200,
            &serde_json::Value::Array(
                state
                    .sites
                    .iter()
                    .map(|s| {
                        serde_json::json!({"id": s.id, "name": s.name, "has_book": s.has_book()})
                    })
                    .collect(),
            ),
        ),
        ["villages", id, what] => {
            let Some(site) = state.sites.iter().find(|s| s.id == *id) else {
                return error_reply(&ServeError::not_found(
                    format!("村 {id}"),
                    "村的列表见 /api/villages",
                ));
            };
            match *what {
                "compact" | "adopted" | "register" | "events" => data(site, what),
                "rosters" => rosters(site),
                "pool" => pool(site),
                "templates" => templates(site),
                _ => error_reply(&ServeError::not_found(
                    format!("数据「{what}」"),
                    "可以读的有 compact、register、events、adopted、rosters、pool、templates",
                )),
            }
        }
        _ => error_reply(&ServeError::not_found(
            format!("接口 /api/{}", rest.join("/")),
            "接口有 /api/villages 和 /api/villages/{id}/compact|register|events|adopted|rosters|pool|templates",
        )),
    }
}

/// The village's rosters (名册, e.g. 党员) as a JSON object: the roster's name → its CSV text.
fn rosters(site: &Site) -> Reply {
    let folder = &site.folder;
    let (result, printed) = captured(
        || -> Result<serde_json::Map<String, serde_json::Value>, u8> {
            let mut out = serde_json::Map::new();
            if site.has_book() {
                let book = crate::cli::book::open(folder, ErrorFormat::Plain)?;
                let registers = book
                    .registers()
                    .map_err(|e| crate::cli::book::refuse(&e, ErrorFormat::Plain))?;
                for r in registers.into_iter().filter(|r| r.kind != "户籍") {
                    out.insert(r.kind, serde_json::Value::String(r.text));
                }
            } else {
                let village = load_village(&folder_args(folder, ErrorFormat::Plain))?;
                for (kind, path) in &village.rosters {
                    let name = village
                        .compact
                        .kinds
                        .get(*kind)
                        .map(|k| k.name.clone())
                        .unwrap_or_default();
                    let file = path.display().to_string();
                    let text = village
                        .open_table(Which::Roster(*kind), &file)
                        .and_then(|mut t| crate::cli::record::table_as_csv(&mut t))
                        .map_err(|e| {
                            crate::cli::out::write(
                                true,
                                format_args!("错误[{}] {e}", e.code()),
                                true,
                            );
                            crate::cli::EXIT_ERRORS
                        })?;
                    out.insert(name, serde_json::Value::String(text));
                }
            }
            Ok(out)
        },
    );
    match result {
        Ok(map) => Reply::json(200, &serde_json::Value::Object(map)),
        Err(code) => printed_failure(code, &printed.err),
    }
}

/// The amount to share written in the folder's 分红.txt (empty when there is none).
fn pool(site: &Site) -> Reply {
    let (_, amount) = crate::cli::inputs::folder_pool(&site.folder);
    Reply::text("text/plain; charset=utf-8", amount.unwrap_or_default())
}

/// The text of the village's compact: `compact`, the version in force today, or `adopted`, the
/// latest adopted one (for a folder without a book, both are the folder's compact).
fn compact_text(site: &Site, what: &str) -> Result<String, u8> {
    let folder = &site.folder;
    if !site.has_book() {
        let (path, _) = crate::cli::inputs::find_compact(folder)?;
        return crate::cli::read_text(&path);
    }
    let book = crate::cli::book::open(folder, ErrorFormat::Plain)?;
    let fail = |e: crate::book::BookError| crate::cli::book::refuse(&e, ErrorFormat::Plain);
    let versions = book.compacts().map_err(fail)?;
    let version = if what == "adopted" {
        versions.last().cloned()
    } else {
        let today = crate::cli::book::today_text()?;
        book.compact_in_force(&today)
            .map_err(fail)?
            .or_else(|| versions.first().cloned())
    };
    version.map(|v| v.text).ok_or(crate::cli::EXIT_ERRORS)
}

/// The templates the village's compact stands on (the version in force and the adopted one,
/// and a template's own template), found from its folder upwards as `xiangyue eval` finds
/// them: a JSON object, each name as 依据「…」 writes it → the template's text; `{}` for a
/// compact built on none. A template named but not found is left out: the page's checker then
/// says E0147, as `xiangyue check` does.
fn templates(site: &Site) -> Reply {
    let (result, printed) = captured(|| -> Result<Vec<String>, u8> {
        Ok(vec![
            compact_text(site, "compact")?,
            compact_text(site, "adopted")?,
        ])
    });
    let mut texts = match result {
        Ok(texts) => texts,
        Err(code) => return printed_failure(code, &printed.err),
    };
    // The adopted version is most often the one in force: checked once.
    texts.dedup();
    let found = std::cell::RefCell::new(serde_json::Map::new());
    let resolve = |name: &str| {
        let (_, text) = crate::data::find_template(&site.folder, name)?;
        found
            .borrow_mut()
            .insert(name.to_string(), serde_json::Value::String(text.clone()));
        Some(text)
    };
    for text in &texts {
        crate::compile::compile_with(text, &resolve);
    }
    Reply::json(200, &serde_json::Value::Object(found.into_inner()))
}

/// One of a village's texts.
fn data(site: &Site, what: &str) -> Reply {
    let folder = &site.folder;
    let (result, printed) = captured(|| -> Result<(&'static str, String), u8> {
        if matches!(what, "compact" | "adopted") {
            return Ok(("text/plain; charset=utf-8", compact_text(site, what)?));
        }
        let args = folder_args(folder, ErrorFormat::Plain);
        if site.has_book() {
            let book = crate::cli::book::open(folder, ErrorFormat::Plain)?;
            let fail = |e: crate::book::BookError| crate::cli::book::refuse(&e, ErrorFormat::Plain);
            match what {
                "register" => {
                    let register = book
                        .registers()
                        .map_err(fail)?
                        .into_iter()
                        .find(|r| r.kind == "户籍")
                        .map(|r| r.text)
                        .unwrap_or_default();
                    Ok(("text/csv; charset=utf-8", register))
                }
                _ => {
                    let from = village_from_book(&book, folder, &args, &View::default(), None)?;
                    let events = from
                        .village
                        .stored
                        .map(|s| s.events.to_string())
                        .unwrap_or_default();
                    Ok(("text/csv; charset=utf-8", events))
                }
            }
        } else {
            let village = load_village(&args)?;
            let (which, path) = if what == "register" {
                (Which::Register, &village.register_path)
            } else {
                (Which::Events, &village.events_path)
            };
            let file = path.display().to_string();
            let text = village
                .open_table(which, &file)
                .and_then(|mut t| crate::cli::record::table_as_csv(&mut t))
                .map_err(|e| {
                    crate::cli::out::write(true, format_args!("错误[{}] {e}", e.code()), true);
                    crate::cli::EXIT_ERRORS
                })?;
            Ok(("text/csv; charset=utf-8", text))
        }
    });
    match result {
        Ok((kind, text)) => Reply::text(kind, text),
        Err(code) => printed_failure(code, &printed.err),
    }
}
