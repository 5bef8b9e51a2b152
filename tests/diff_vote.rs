//! The vote report (`diff` with a village's data), read as the villagers' representatives read
//! it: who gets more or less **money** as plainly as who gets more or fewer points, histograms
//! whose bars hold exactly the households of their range (0 a bar of its own), the household
//! table with 户主 names in 户号 order, and the one-page summary at the top of the HTML.
//!
//! Every figure is computed here from the per-household figures of the JSON document (which
//! `tests/diff.rs` checks against two separate `eval` runs) or from the register file itself.

#![allow(
    clippy::panic,
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::indexing_slicing
)]

mod common;

use std::collections::HashMap;
use std::process::Command;

use rust_decimal::Decimal;
use serde_json::Value;

const OLD_VILLAGE: &str = "compacts/youxiqiao-demo";
const NEW_VILLAGE: &str = "compacts/youxiqiao-demo-2025";

fn xiangyue(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_xiangyue"))
        .args(args)
        .current_dir(common::root())
        .output()
        .expect("run xiangyue");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).to_string(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}

/// `diff OLD_VILLAGE NEW_VILLAGE [extra…] --format <format>`, which must exit 3 (a change).
fn sample(format: &str, extra: &[&str]) -> String {
    let mut args = vec!["diff", OLD_VILLAGE, NEW_VILLAGE];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["--format", format]);
    let (code, out, err) = xiangyue(&args);
    assert_eq!(code, 3, "{args:?}: {err}");
    out
}

fn sample_json() -> Value {
    serde_json::from_str(&sample("json", &[])).unwrap()
}

fn dec(v: &Value) -> Decimal {
    v.as_str().unwrap().parse().unwrap()
}

/// 户号 → 户主, read from the register file.
fn heads() -> HashMap<String, String> {
    let text =
        std::fs::read_to_string(common::root().join(OLD_VILLAGE).join("register.csv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let (id, head) = (
        header.iter().position(|h| *h == "户号").unwrap(),
        header.iter().position(|h| *h == "户主").unwrap(),
    );
    lines
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            (cells[id].to_string(), cells[head].to_string())
        })
        .collect()
}

/// Money in fen as the report writes it: 1234.5 (元 left to the column or the sentence).
fn yuan_number(fen: i64) -> String {
    Decimal::new(fen, 2).normalize().to_string()
}

fn signed(d: Decimal) -> String {
    let d = d.normalize();
    if d > Decimal::ZERO {
        format!("+{d}")
    } else {
        d.to_string()
    }
}

/// The text of an HTML fragment without its tags and with entities decoded.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The value of attribute `name` in a start tag's text.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = tag[start..].find('"')? + start;
    Some(&tag[start..end])
}

/// The start tags `<name …>` in `html`, in order.
fn start_tags<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!("<{name} ");
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(&open) {
        let end = rest[at..].find('>').unwrap() + at;
        tags.push(&rest[at..=end]);
        rest = &rest[end..];
    }
    tags
}

/// The part of `html` from the first `from` to the next `to` after it.
fn between<'a>(html: &'a str, from: &str, to: &str) -> &'a str {
    let start = html.find(from).unwrap_or_else(|| panic!("no {from}"));
    let end = html[start..].find(to).unwrap_or_else(|| panic!("no {to}")) + start;
    &html[start..end]
}

/// Per household: (户号, points change of the total, money change in fen, points up, money up).
fn per_household(doc: &Value) -> Vec<(String, Decimal, i64)> {
    doc["households"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            let money =
                h["new_dividend_fen"].as_i64().unwrap() - h["old_dividend_fen"].as_i64().unwrap();
            (
                h["id"].as_str().unwrap().to_string(),
                dec(&h["new_total"]) - dec(&h["old_total"]),
                money,
            )
        })
        .collect()
}

/// The sample amendment's money figures, counted here from the households' fen.
struct Money {
    gaining: usize,
    losing: usize,
    unchanged: usize,
    gained: i64,
    lost: i64,
    points_up_money_down: usize,
}

fn money(rows: &[(String, Decimal, i64)]) -> Money {
    Money {
        gaining: rows.iter().filter(|r| r.2 > 0).count(),
        losing: rows.iter().filter(|r| r.2 < 0).count(),
        unchanged: rows.iter().filter(|r| r.2 == 0).count(),
        gained: rows.iter().map(|r| r.2.max(0)).sum(),
        lost: rows.iter().map(|r| r.2.min(0)).sum(),
        points_up_money_down: rows
            .iter()
            .filter(|r| r.1 > Decimal::ZERO && r.2 < 0)
            .count(),
    }
}

#[test]
fn money_winners_and_losers_are_stated_beside_the_points_in_every_format() {
    let doc = sample_json();
    let rows = per_household(&doc);
    let m = money(&rows);
    // The figures of the issue: with a fixed pool, 280 households gain points but only 135
    // get more money; 159 get less.
    assert_eq!((m.gaining, m.losing, m.unchanged), (135, 159, 6));
    assert_eq!(m.gained, -m.lost, "a fixed pool only moves money");
    assert_eq!(m.points_up_money_down, 141);
    let json = &doc["impact"]["money"];
    assert_eq!(json["compared"], true);
    assert_eq!(json["not_compared"], Value::Null);
    assert_eq!(json["gaining"], m.gaining);
    assert_eq!(json["losing"], m.losing);
    assert_eq!(json["unchanged"], m.unchanged);
    assert_eq!(json["gained_fen"], m.gained);
    assert_eq!(json["lost_fen"], m.lost);
    assert_eq!(json["points_up_money_down"], m.points_up_money_down);
    assert_eq!(json["given_fen"], 30_000_000);
    assert_eq!(json["old_pool_fen"], 14_700_000);
    assert_eq!(json["new_pool_fen"], 14_700_000);
    // The largest gain and loss, with the 户主's name from the register.
    let heads = heads();
    let top_gain = rows.iter().map(|r| r.2).max().unwrap();
    let top_loss = rows.iter().map(|r| r.2).min().unwrap();
    let first_with = |fen: i64| rows.iter().find(|r| r.2 == fen).unwrap().0.clone();
    let (gain_id, loss_id) = (first_with(top_gain), first_with(top_loss));
    assert_eq!(json["largest_gains"][0]["delta_fen"], top_gain);
    assert_eq!(json["largest_gains"][0]["id"], gain_id.as_str());
    assert_eq!(json["largest_gains"][0]["name"], heads[&gain_id].as_str());
    assert_eq!(json["largest_losses"][0]["delta_fen"], top_loss);
    assert_eq!(json["largest_losses"][0]["id"], loss_id.as_str());
    let gains = json["largest_gains"].as_array().unwrap();
    assert!(
        gains
            .windows(2)
            .all(|w| w[0]["delta_fen"].as_i64() >= w[1]["delta_fen"].as_i64())
    );

    let points_line = "300 户中，「户积分」增加的 280 户，减少的 14 户，不变的 6 户";
    let money_line = format!(
        "300 户中，分红多得的 {} 户，少得的 {} 户，不变的 {} 户",
        m.gaining, m.losing, m.unchanged
    );
    let moved = format!(
        "多得的共多得 {} 元，少得的共少得 {} 元",
        yuan_number(m.gained),
        yuan_number(-m.lost)
    );
    let warning = format!(
        "「户积分」增加的 280 户中，有 {} 户分红反而减少",
        m.points_up_money_down
    );
    let best = format!(
        "{gain_id} {} {} 元",
        heads[&gain_id],
        signed(Decimal::new(top_gain, 2))
    );
    let worst = format!(
        "{loss_id} {} {} 元",
        heads[&loss_id],
        signed(Decimal::new(top_loss, 2))
    );
    // Text and Markdown: the money line right after the points line.
    for format in ["text", "md"] {
        let out = sample(format, &[]);
        let lines: Vec<&str> = out.lines().collect();
        let at = lines.iter().position(|l| l.contains(points_line)).unwrap();
        assert!(
            lines[at + 1].contains(&money_line),
            "{format}: {}",
            lines[at + 1]
        );
        for words in [&moved, &warning, &best, &worst] {
            assert!(out.contains(words.as_str()), "{format}: no {words}\n{out}");
        }
    }
    // HTML: in the summary at the top.
    let html = sample("html", &[]);
    let summary = text_of(between(&html, "<section class=\"summary\"", "</section>"));
    for words in [points_line, &money_line, &moved, &warning, &best, &worst] {
        assert!(summary.contains(words), "summary: no {words}\n{summary}");
    }
}

#[test]
fn points_movers_carry_the_names_of_the_heads() {
    let doc = sample_json();
    let heads = heads();
    for h in doc["households"].as_array().unwrap() {
        let id = h["id"].as_str().unwrap();
        assert_eq!(h["name"], heads[id].as_str(), "{id}");
    }
    for m in doc["impact"]["totals"]["largest_gains"].as_array().unwrap() {
        assert_eq!(m["name"], heads[m["id"].as_str().unwrap()].as_str());
    }
    // Roster members carry their 姓名.
    let roster =
        std::fs::read_to_string(common::root().join(OLD_VILLAGE).join("党员.csv")).unwrap();
    let names: HashMap<&str, &str> = roster
        .lines()
        .skip(1)
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            (cells[0], cells[1])
        })
        .collect();
    let people = doc["members"][0]["people"].as_array().unwrap();
    assert_eq!(people.len(), names.len());
    for p in people {
        let id = p["id"].as_str().unwrap();
        assert_eq!(p["name"], names[id], "{id}");
    }
    let text = sample("text", &[]);
    let first = &doc["impact"]["totals"]["largest_gains"][0];
    let id = first["id"].as_str().unwrap();
    assert!(
        text.contains(&format!(
            "增加最多：{id} {} {}",
            heads[id],
            signed(dec(&first["delta"]))
        )),
        "{text}"
    );
}

/// Copies the sample's register, roster and log (not its 分红.txt) into a fresh folder.
fn data_without_amount() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for file in ["register.csv", "events.csv", "党员.csv"] {
        std::fs::copy(
            common::root().join(OLD_VILLAGE).join(file),
            dir.path().join(file),
        )
        .unwrap();
    }
    dir
}

#[test]
fn without_an_amount_the_report_says_money_is_not_compared_and_why() {
    let dir = data_without_amount();
    let data = dir.path().to_str().unwrap();
    let args = |format: &str| {
        let (code, out, err) = xiangyue(&[
            "diff",
            OLD_VILLAGE,
            NEW_VILLAGE,
            "--data",
            data,
            "--format",
            format,
        ]);
        assert_eq!(code, 3, "{err}");
        out
    };
    let doc: Value = serde_json::from_str(&args("json")).unwrap();
    let json = &doc["impact"]["money"];
    assert_eq!(json["compared"], false);
    assert_eq!(json["not_compared"], "no_pool");
    assert_eq!(json["given_fen"], Value::Null);
    let words = "不比较各户的钱：没有给出分红金额";
    for format in ["text", "md", "html"] {
        let out = args(format);
        assert!(out.contains(words), "{format}: {out}");
        assert!(out.contains("--pool"), "{format}");
        assert!(!out.contains("分红多得的"), "{format}");
    }
    // No money chart without money; the points chart is still drawn.
    let html = args("html");
    assert!(!html.contains("data-chart=\"money\""));
    assert!(html.contains("data-chart=\"points\""));
}

#[test]
fn without_a_dividend_clause_the_report_says_money_is_not_compared_and_why() {
    let dir = tempfile::tempdir().unwrap();
    let compact = |per_day: u32| {
        format!(
            "乡约「甲村」\n户籍 {{ 人口：整数 }}\n账户 户积分（默认）\n事项 义务投工 {{ 天数：数量（天） }}\n\n\
             第一章 奖励\n\n第一条 义务投工\n  凡 义务投工，每天 加 {per_day} 分。\n"
        )
    };
    let (old, new) = (dir.path().join("旧.xy"), dir.path().join("新.xy"));
    std::fs::write(&old, compact(2)).unwrap();
    std::fs::write(&new, compact(3)).unwrap();
    let register = dir.path().join("户籍.csv");
    std::fs::write(&register, "户号,户主,人口\nH1,张三,3\nH2,李四,2\n").unwrap();
    let events = dir.path().join("事项记录.csv");
    std::fs::write(
        &events,
        "编号,日期,户号,事项,天数\nR1,2024-03-01,H1,义务投工,2\nR2,2024-03-02,H2,义务投工,1\n",
    )
    .unwrap();
    let run = |format: &str| {
        let (code, out, err) = xiangyue(&[
            "diff",
            old.to_str().unwrap(),
            new.to_str().unwrap(),
            "--register",
            register.to_str().unwrap(),
            "--events",
            events.to_str().unwrap(),
            "--pool",
            "1000元",
            "--format",
            format,
        ]);
        assert_eq!(code, 3, "{err}");
        out
    };
    let doc: Value = serde_json::from_str(&run("json")).unwrap();
    assert_eq!(doc["impact"]["money"]["compared"], false);
    assert_eq!(doc["impact"]["money"]["not_compared"], "no_dividend");
    assert_eq!(doc["households"][0]["name"], "张三");
    for format in ["text", "md", "html"] {
        let out = run(format);
        assert!(
            out.contains("不比较各户的钱：两个版本都没有分红条款"),
            "{format}: {out}"
        );
    }
}

/// One bar of a chart: its range, how a value belongs to it, and its count.
#[derive(Debug)]
struct Bar {
    from: Decimal,
    to: Decimal,
    count: usize,
}

impl Bar {
    /// Negative bars hold from ≤ v < to, the zero bar v = 0, positive bars from < v ≤ to.
    fn holds(&self, v: Decimal) -> bool {
        if self.from.is_zero() && self.to.is_zero() {
            v.is_zero()
        } else if self.to <= Decimal::ZERO {
            self.from <= v && v < self.to
        } else {
            self.from < v && v <= self.to
        }
    }
}

fn bars(html: &str, chart: &str) -> Vec<Bar> {
    let svg = between(html, &format!("data-chart=\"{chart}\""), "</svg>");
    start_tags(svg, "rect")
        .into_iter()
        .filter(|r| attr(r, "data-count").is_some())
        .map(|r| Bar {
            from: attr(r, "data-from").unwrap().parse().unwrap(),
            to: attr(r, "data-to").unwrap().parse().unwrap(),
            count: attr(r, "data-count").unwrap().parse().unwrap(),
        })
        .collect()
}

fn check_bars(chart: &str, bars: &[Bar], values: &[Decimal]) {
    assert!(bars.len() >= 3, "{chart}: {bars:?}");
    // Exactly one zero bar; no bar reaches across 0; bars in order, not overlapping.
    assert_eq!(
        bars.iter()
            .filter(|b| b.from.is_zero() && b.to.is_zero())
            .count(),
        1,
        "{chart}"
    );
    for b in bars {
        assert!(b.from <= b.to, "{chart}: {b:?}");
        assert!(
            !(b.from < Decimal::ZERO && b.to > Decimal::ZERO),
            "{chart}: {b:?} reaches across 0"
        );
    }
    assert!(bars.windows(2).all(|w| w[0].to <= w[1].from), "{chart}");
    // Every bar holds exactly the households of its range; every household is in one bar.
    for b in bars {
        let expected = values.iter().filter(|v| b.holds(**v)).count();
        assert_eq!(b.count, expected, "{chart}: {b:?}");
    }
    for v in values {
        assert_eq!(
            bars.iter().filter(|b| b.holds(*v)).count(),
            1,
            "{chart}: {v}"
        );
    }
    assert_eq!(bars.iter().map(|b| b.count).sum::<usize>(), values.len());
}

#[test]
fn each_histogram_bar_holds_exactly_the_households_of_its_range() {
    let doc = sample_json();
    let rows = per_household(&doc);
    let html = sample("html", &[]);
    let money: Vec<Decimal> = rows.iter().map(|r| Decimal::from(r.2)).collect();
    let points: Vec<Decimal> = rows.iter().map(|r| r.1).collect();
    let money_bars = bars(&html, "money");
    check_bars("money", &money_bars, &money);
    check_bars("points", &bars(&html, "points"), &points);
    // The bug of the issue: losers were drawn in the grey 不变 bar.
    let zero = |bars: &[Bar]| {
        bars.iter()
            .find(|b| b.from.is_zero() && b.to.is_zero())
            .unwrap()
            .count
    };
    assert_eq!(zero(&money_bars), 6);
    assert_eq!(zero(&bars(&html, "points")), 6);
    // Losers are drawn red, gainers green, the unchanged grey.
    let svg = between(&html, "data-chart=\"money\"", "</svg>");
    for r in start_tags(svg, "rect")
        .into_iter()
        .filter(|r| attr(r, "data-count").is_some())
    {
        let to: Decimal = attr(r, "data-to").unwrap().parse().unwrap();
        let from: Decimal = attr(r, "data-from").unwrap().parse().unwrap();
        let class = attr(r, "class").unwrap();
        let expected = if to <= Decimal::ZERO && from < Decimal::ZERO {
            "loss"
        } else if from >= Decimal::ZERO && to > Decimal::ZERO {
            "gain"
        } else {
            "same"
        };
        assert_eq!(class, expected, "{r}");
    }
}

/// The natural order of 户号: runs of digits compared as numbers.
fn natural(id: &str) -> Vec<(String, u64)> {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut digits = String::new();
    for c in id.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else {
            if !digits.is_empty() {
                parts.push((std::mem::take(&mut text), digits.parse().unwrap()));
                digits.clear();
            }
            text.push(c);
        }
    }
    parts.push((text, digits.parse().unwrap_or(0)));
    parts
}

#[test]
fn the_household_table_lists_every_household_by_huhao_with_name_points_and_money() {
    let doc = sample_json();
    let heads = heads();
    let by_id: HashMap<&str, &Value> = doc["households"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["id"].as_str().unwrap(), h))
        .collect();
    let html = sample("html", &[]);
    let table = between(&html, "<table id=\"households\"", "</table>");
    // Two header rows: each account and the dividend over 原 / 新 / 变化.
    let head = text_of(between(table, "<thead>", "</thead>"));
    for words in [
        "户号",
        "户主",
        "户积分",
        "兑换积分",
        "荣誉积分",
        "分红（元）",
        "评定",
    ] {
        assert!(head.contains(words), "{head}");
    }
    let sortable = start_tags(table, "th")
        .into_iter()
        .filter(|t| attr(t, "data-sort").is_some())
        .count();
    // 户号, 户主, 3 accounts × 3, the dividend × 3, 评定.
    assert_eq!(sortable, 2 + 9 + 3 + 1);
    let body = between(table, "<tbody>", "</tbody>");
    let rows: Vec<Vec<String>> = body
        .split("</tr>")
        .filter(|r| r.contains("<td"))
        .map(|r| {
            r.split("</td>")
                .filter(|c| c.contains("<td"))
                .map(text_of)
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), 300, "every household, changed or not");
    let ids: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort_by_key(|id| natural(id));
    assert_eq!(ids, sorted, "default order by 户号");
    for row in &rows {
        let id = row[0].as_str();
        let h = by_id[id];
        assert_eq!(row[1], heads[id], "{id}");
        let mut expected = Vec::new();
        for a in h["accounts"].as_array().unwrap() {
            expected.push(dec(&a["old"]).normalize().to_string());
            expected.push(dec(&a["new"]).normalize().to_string());
            expected.push(signed(dec(&a["delta"])));
        }
        let (old, new) = (
            h["old_dividend_fen"].as_i64().unwrap(),
            h["new_dividend_fen"].as_i64().unwrap(),
        );
        expected.push(yuan_number(old));
        expected.push(yuan_number(new));
        expected.push(signed(Decimal::new(new - old, 2)));
        assert_eq!(&row[2..2 + expected.len()], expected.as_slice(), "{id}");
    }
    // Sorting is a small inline script: nothing from the network.
    let script = between(&html, "<script>", "</script>");
    assert!(script.contains("data-sort"));
    assert!(!html.contains("https://") && !html.contains("<script src"));
}

#[test]
fn the_summary_is_the_first_page_and_says_what_changed_in_plain_words() {
    let html = sample("html", &[]);
    let summary_at = html.find("<section class=\"summary\"").unwrap();
    let details_at = html.find("一、条文的变化").unwrap();
    assert!(summary_at < details_at);
    let summary = text_of(between(&html, "<section class=\"summary\"", "</section>"));
    // The rule changes with their direction; renumbering and wording only counted.
    for words in [
        "第四条 义务投工",
        "每天加分由 2 分改为 3 分",
        "从宽",
        "从严",
        "「五星」由不低于 120 分改为不低于 130 分",
        "第二章全章每年上限由 200 分改为 250 分",
        "4 条只是条号或所在的章变了、1 条只改了文字，计分都不变",
        "新增事项「垃圾分类示范」",
        "分红总额不变：147000 元",
    ] {
        assert!(summary.contains(words), "summary: no {words}\n{summary}");
    }
    // How many changes go each way, counted from the JSON document: changes of chapters, the
    // header and the schema with a direction, and clauses whose rules changed.
    let doc = sample_json();
    let mut looser = 0;
    let mut stricter = 0;
    let mut tally = |direction: &Value| match direction.as_str() {
        Some("looser") => looser += 1,
        Some("stricter") => stricter += 1,
        _ => {}
    };
    for part in ["header", "schema", "chapters"] {
        for change in doc[part].as_array().unwrap() {
            tally(&change["direction"]);
        }
    }
    for clause in doc["clauses"].as_array().unwrap() {
        if ["added", "removed", "changed"].contains(&clause["kind"].as_str().unwrap()) {
            tally(&clause["direction"]);
        }
    }
    assert_eq!((looser, stricter), (5, 3));
    assert!(
        summary.contains(&format!(
            "规则怎样改（从宽 {looser} 处，从严 {stricter} 处）"
        )),
        "{summary}"
    );
    assert!(!summary.contains("原文改为"), "{summary}");
    // It ends its page: the details begin on the next.
    assert!(html.contains(".summary { break-after: page;"));
}

/// A village of 10 households whose compact has 20 clauses; NEW adds `extra` points to each.
fn many_clauses(dir: &std::path::Path, name: &str, extra: u32) -> String {
    let mut text = String::from("乡约「乙村」\n户籍 { 人口：整数 }\n账户 户积分（默认）\n");
    for i in 1..=20 {
        text.push_str(&format!("事项 事务{i}\n"));
    }
    text.push_str("\n第一章 奖励\n\n");
    for i in 1..=20 {
        text.push_str(&format!(
            "第{i}条 事务{i}\n  凡 事务{i}，每次 加 {} 分。\n\n",
            i + extra
        ));
    }
    text.push_str("第21条 分红\n  分红：净利润 的 49%，按 户积分 比例 分配。\n");
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().to_string()
}

#[test]
fn a_large_amendment_keeps_the_summary_short() {
    let dir = tempfile::tempdir().unwrap();
    let old = many_clauses(dir.path(), "旧.xy", 0);
    let new = many_clauses(dir.path(), "新.xy", 1);
    let register = dir.path().join("户籍.csv");
    let households: String = (1..=10).map(|i| format!("H{i},户主{i},3\n")).collect();
    std::fs::write(&register, format!("户号,户主,人口\n{households}")).unwrap();
    let events = dir.path().join("事项记录.csv");
    let records: String = (0..60)
        .map(|i| {
            format!(
                "R{i},2024-03-{:02},H{},事务{}\n",
                i % 28 + 1,
                i % 10 + 1,
                i % 20 + 1
            )
        })
        .collect();
    std::fs::write(&events, format!("编号,日期,户号,事项\n{records}")).unwrap();
    let (code, html, err) = xiangyue(&[
        "diff",
        &old,
        &new,
        "--register",
        register.to_str().unwrap(),
        "--events",
        events.to_str().unwrap(),
        "--pool",
        "10000元",
        "--format",
        "html",
    ]);
    assert_eq!(code, 3, "{err}");
    let summary = between(&html, "<section class=\"summary\"", "</section>");
    let rules = between(summary, "<ul class=\"rules\">", "</ul>");
    let items: Vec<String> = rules
        .split("</li>")
        .filter(|i| i.contains("<li>"))
        .map(text_of)
        .collect();
    // Seven changes and a pointer to the rest, not twenty.
    assert_eq!(items.len(), 8, "{items:?}");
    assert_eq!(items[7], "另有 13 处规则变化，见“一、条文的变化”");
    assert_eq!(items[0], "第一条 事务1 【从宽】每次加分由 1 分改为 2 分");
    assert!(text_of(summary).contains("规则怎样改（从宽 20 处）"));
    // All twenty are in the details.
    let details = &html[html.find("一、条文的变化").unwrap()..];
    assert!(details.contains("第二十条"));
    assert!(details.contains("每次加分由 20 分改为 21 分"));
}

/// 每分 N 元 计发 needs no amount: the money is compared without `--pool`, the report does not
/// say that an amount is missing, and a change of the money per point is stated as a change
/// of the total paid out (no fixed pool, so nothing "moves between households").
#[test]
fn money_paid_per_point_is_compared_without_an_amount() {
    let dir = tempfile::tempdir().unwrap();
    let compact = |per_point: &str| {
        format!(
            "乡约「每分」\n\n事项 投工 {{ 天数：数量（天） }}\n事项 乱倒垃圾\n\n\
             第一条 投工\n  凡 投工，每天 加 1 分。\n\n\
             第二条 乱倒垃圾\n  凡 乱倒垃圾，每次 扣 5 分。\n\n\
             第三条 分红\n  分红：按 积分 每分 {per_point} 元 计发；四舍五入 取整到 角；负分 照扣。\n"
        )
    };
    std::fs::write(dir.path().join("a.xy"), compact("2.5")).unwrap();
    std::fs::write(dir.path().join("b.xy"), compact("3")).unwrap();
    std::fs::write(
        dir.path().join("register.csv"),
        "户号,户主\nA001,张三\nA002,李四\nA003,王五\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("events.csv"),
        "日期,户号,事项,天数\n2024-03-01,A001,投工,12.3\n2024-03-01,A002,乱倒垃圾,\n2024-03-02,A003,投工,2\n",
    )
    .unwrap();
    let run = |format: &str| {
        let (code, out, err) = xiangyue(&[
            "diff",
            dir.path().join("a.xy").to_str().unwrap(),
            dir.path().join("b.xy").to_str().unwrap(),
            "--data",
            dir.path().to_str().unwrap(),
            "--format",
            format,
        ]);
        assert_eq!(code, 3, "{err}");
        out
    };
    let doc: Value = serde_json::from_str(&run("json")).unwrap();
    let money = &doc["impact"]["money"];
    assert_eq!(money["compared"], true, "{money}");
    assert_eq!(money["not_compared"], Value::Null);
    // 12.3 × 2.5 = 30.75 → 30.8 元, × 3 = 36.9 元: +6.1; −5 × 2.5 = −12.5, × 3 = −15: −2.5;
    // 2 × 2.5 = 5, × 3 = 6: +1.
    assert_eq!(money["gaining"], 2);
    assert_eq!(money["losing"], 1);
    assert_eq!(money["gained_fen"], 710);
    assert_eq!(money["lost_fen"], -250);
    assert_eq!(money["old_per_point_fen"], 250);
    assert_eq!(money["new_per_point_fen"], 300);
    for format in ["text", "md", "html"] {
        let out = run(format);
        assert!(!out.contains("不比较各户的钱"), "{format}: {out}");
        assert!(
            out.contains("分红多得的 2 户，少得的 1 户"),
            "{format}: {out}"
        );
        assert!(
            out.contains("每分计发：每分 2.5 元 变为 每分 3 元，共发 23.3 元 变为 27.9 元"),
            "{format}: {out}"
        );
        assert!(!out.contains("在各户之间转移"), "{format}: {out}");
    }
}
