//! xiangyue's browser workbench core: the pure library compiled to WebAssembly, answering the
//! page (web/src/) in JSON. Every function takes text and returns a JSON string; nothing here
//! touches files, the network or threads.
//!
//! - `check`, `format`, `hover`, `complete`: the editor pane (the language server's answers,
//!   `editor`).
//! - `render`: the printable compact (`xiangyue render`).
//! - `add_template`, `clear_templates`, `held_templates`: the township templates the page holds;
//!   every compact above is checked against the one its 依据「…」 names (`templates`).
//! - [`Workbench`]: the village loaded in the page (`village`) — `evaluate`, `explain`, `diff`
//!   (the vote report) and `synth` (a made-up village from the compact).

pub mod editor;
pub mod templates;
pub mod village;

use serde::Serialize;
use wasm_bindgen::prelude::wasm_bindgen;
use xiangyue::model::HOUSEHOLD;
use xiangyue::model::ValueType;
use xiangyue::model::value::{Day, FieldValue, parse_value};

use village::{Source, Village};

fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|e| serde_json::json!({ "error": format!("内部错误：{e}") }).to_string())
}

fn error(message: impl Into<String>) -> String {
    serde_json::json!({ "error": message.into() }).to_string()
}

/// Diagnostics of the compact's text, with quick fixes and the clauses' places.
#[wasm_bindgen]
pub fn check(text: &str) -> String {
    json(&editor::check(text))
}

/// The canonical layout of the compact's text: `{text}` or `{error}`.
#[wasm_bindgen]
pub fn format(text: &str) -> String {
    json(&editor::format(text))
}

/// Hover text (Markdown) at a position (line from 0, UTF-16 column), or `null`.
#[wasm_bindgen]
pub fn hover(text: &str, line: u32, character: u32) -> String {
    json(&editor::hover(text, line, character))
}

/// Completions at a position.
#[wasm_bindgen]
pub fn complete(text: &str, line: u32, character: u32) -> String {
    json(&editor::complete(text, line, character))
}

/// The printable compact (HTML, A4, offline): `{html}` or `{error}`.
#[wasm_bindgen]
pub fn render(text: &str) -> String {
    match templates::compile(text).compact {
        Some(compact) => serde_json::json!({
            "html": xiangyue::report::compact::render_html(&compact)
        })
        .to_string(),
        None => error("乡约有错误，改正后才能生成文本"),
    }
}

/// Holds a template (a text whose head is 模板「…」) for the compacts that name it:
/// `{title}`, or `{error}` when the text is not a template.
#[wasm_bindgen]
pub fn add_template(file: &str, text: &str) -> String {
    match templates::add(file, text) {
        Ok(title) => serde_json::json!({ "title": title }).to_string(),
        Err(e) => error(e),
    }
}

/// Forgets every template held.
#[wasm_bindgen]
pub fn clear_templates() {
    templates::clear();
}

/// The templates held: `[{file, title}]` (file without `.xy`), in loading order.
#[wasm_bindgen]
pub fn held_templates() -> String {
    serde_json::Value::Array(
        templates::held()
            .into_iter()
            .map(|(file, title)| serde_json::json!({ "file": file, "title": title }))
            .collect(),
    )
    .to_string()
}

/// The village loaded in the page, and what it is asked.
#[wasm_bindgen]
pub struct Workbench {
    village: Village,
}

impl Default for Workbench {
    fn default() -> Self {
        Self::new()
    }
}

#[wasm_bindgen]
impl Workbench {
    /// An empty village.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Workbench {
        Workbench {
            village: Village::default(),
        }
    }

    /// Loads a table from text (CSV, or JSON Lines for a .jsonl name) as `role`: `register`,
    /// `events`, or a roster's name (党员 …).
    pub fn set_text(&mut self, role: &str, file: &str, text: &str) {
        self.set(
            role,
            Source::Text {
                file: file.to_string(),
                text: text.to_string(),
            },
        );
    }

    /// Loads a workbook's sheet as `role`: `rows` is a JSON array of rows of cells (text), the
    /// header first; a row's line is its row number in the sheet.
    pub fn set_rows(&mut self, role: &str, file: &str, rows: &str) -> String {
        let Ok(mut rows) = serde_json::from_str::<Vec<Vec<String>>>(rows) else {
            return error(format!("{file}：读不出工作表的内容"));
        };
        if rows.is_empty() {
            return error(format!("{file}：工作表是空的"));
        }
        let header = rows.remove(0);
        let rows = rows
            .into_iter()
            .enumerate()
            .map(|(i, row)| (i as u64 + 2, row))
            .collect();
        self.set(
            role,
            Source::Rows {
                file: file.to_string(),
                header,
                rows,
            },
        );
        "{}".to_string()
    }

    fn set(&mut self, role: &str, source: Source) {
        match role {
            "register" => self.village.register = Some(source),
            "events" => self.village.events = Some(source),
            roster => {
                self.village.rosters.insert(roster.to_string(), source);
            }
        }
        self.village.changed();
    }

    /// The dividend's amount (what 分红.txt holds, e.g. 300000元); empty for none.
    pub fn set_pool(&mut self, text: &str) {
        let text = text.trim();
        self.village.pool = (!text.is_empty()).then(|| text.to_string());
        self.village.changed();
    }

    /// Today (2026-12-04): later records are refused, as `eval` refuses them.
    pub fn set_today(&mut self, date: &str) {
        self.village.today = match parse_value(date, &ValueType::Date) {
            Some(FieldValue::Date(day)) => Some(day),
            _ => None::<Day>,
        };
        self.village.changed();
    }

    /// Forgets every table.
    pub fn clear(&mut self) {
        self.village = Village::empty_on(self.village.today);
    }

    /// Which tables are loaded: `{register, events, rosters: [..], pool}` (file names).
    pub fn loaded(&self) -> String {
        let file = |s: &Source| match s {
            Source::Text { file, .. } | Source::Rows { file, .. } => file.clone(),
        };
        serde_json::json!({
            "register": self.village.register.as_ref().map(file),
            "events": self.village.events.as_ref().map(file),
            "rosters": self.village.rosters.iter().map(|(name, s)| (name.clone(), file(s))).collect::<Vec<_>>(),
            "pool": self.village.pool,
        })
        .to_string()
    }

    /// Every household's balances per account, rating, veto and dividend under `compact`.
    pub fn evaluate(&mut self, compact: &str) -> String {
        json(&self.village.evaluate(compact))
    }

    /// One household's explanation under `compact`.
    pub fn explain(&mut self, compact: &str, household: &str) -> String {
        match self.village.explain(compact, household) {
            Ok(value) => value.to_string(),
            Err(e) => error(e),
        }
    }

    /// The vote report: `old` (the adopted version) against `new` over the loaded data.
    pub fn diff(&mut self, old: &str, new: &str) -> String {
        match self.village.diff(old, new) {
            Ok(value) => json(&value),
            Err(e) => error(e),
        }
    }

    /// Makes up a village for `compact` (`xiangyue synth`): a register, its rosters and a log
    /// of `events` records, loaded as the data.
    pub fn synth(&mut self, compact: &str, households: u32, events: u32, seed: u32) -> String {
        let Some(compact) = templates::compile(compact).compact else {
            return error("乡约有错误，改正后才能生成模拟数据");
        };
        let options = xiangyue::synth::SynthOptions {
            households,
            events: u64::from(events),
            seed: u64::from(seed),
            years: 1,
            last_year: None,
        };
        let synth = xiangyue::synth::Synth::new(&compact, options);
        let mut register = String::new();
        synth.subjects(HOUSEHOLD, |line| register.push_str(line));
        let mut rosters = Vec::new();
        for (kind, subject) in compact.kinds.iter().enumerate().skip(1) {
            let mut text = String::new();
            synth.subjects(kind, |line| text.push_str(line));
            rosters.push((subject.name.clone(), text));
        }
        let mut log = String::new();
        synth.events(|line| log.push_str(line));
        self.village = Village::empty_on(self.village.today);
        self.village.register = Some(Source::Text {
            file: "register.csv".to_string(),
            text: register,
        });
        for (name, text) in rosters {
            self.village.rosters.insert(
                name.clone(),
                Source::Text {
                    file: format!("{name}.csv"),
                    text,
                },
            );
        }
        self.village.events = Some(Source::Text {
            file: "events.csv".to_string(),
            text: log,
        });
        if compact.dividend.is_some() {
            self.village.pool = Some(format!("{}元", u64::from(households) * 1000));
        }
        self.village.changed();
        self.loaded()
    }
}
