//! `xiangyue diff` as text for the terminal and as Markdown: the clause changes in order of
//! clause number, then (with data) the impact on households. The HTML report is in
//! `diff_html`, the JSON document in `diff_json`. No IO.

use rust_decimal::Decimal;

use crate::diff::impact::{ClauseImpact, Impact};
use crate::diff::money::MoneyMover;
use crate::diff::{Change, ClauseDiff, CompactDiff};
use crate::model::Compact;
use crate::model::describe::{clause_label, number, yuan};

/// What a diff document shows.
pub struct DiffDocument<'a> {
    /// OLD's file, as given.
    pub old_file: &'a str,
    /// NEW's file.
    pub new_file: &'a str,
    /// OLD.
    pub old: &'a Compact,
    /// NEW.
    pub new: &'a Compact,
    /// The clause changes.
    pub diff: &'a CompactDiff,
    /// The impact, when data was given.
    pub impact: Option<&'a Impact>,
    /// Where the register and events came from, when data was given.
    pub data: Option<(&'a str, &'a str)>,
}

/// A signed number: +3, -2, 0.
pub fn signed(d: Decimal) -> String {
    let d = d.normalize();
    if d > Decimal::ZERO {
        format!("+{}", number(d))
    } else {
        number(d)
    }
}

/// Signed money: +12.5 元.
pub fn signed_yuan(fen: i64) -> String {
    if fen > 0 {
        format!("+{}", yuan(fen))
    } else {
        yuan(fen)
    }
}

/// 「油溪桥村…」（版本「2024 修订」）
pub fn version_words(compact: &Compact) -> String {
    match &compact.version {
        Some(v) => format!("「{}」版本「{v}」", compact.title),
        None => format!("「{}」", compact.title),
    }
}

/// 修改 5 条，新增 1 条 … 未变 15 条
pub fn counts_line(diff: &CompactDiff) -> String {
    let mut parts: Vec<String> = diff
        .counts()
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| format!("{} {n} 条", k.words()))
        .collect();
    parts.push(format!("未变 {} 条", diff.unchanged));
    parts.join("，")
}

/// A clause's heading: 第五条（原第四条）「义务投工」 修改 · 从宽
pub fn clause_heading(c: &ClauseDiff) -> String {
    let title = c
        .title
        .as_deref()
        .map(|t| format!(" {t}"))
        .unwrap_or_default();
    let direction = c
        .direction
        .map(|d| format!(" · {}", d.words()))
        .unwrap_or_default();
    format!("{}{title}  【{}{direction}】", c.label(), c.kind.words())
}

fn change_line(c: &Change) -> String {
    match c.direction {
        Some(d) => format!("{}（{}）", c.text, d.words()),
        None => c.text.clone(),
    }
}

/// 第四条 / 原第三条 / 其他 for a row of the clause impact table.
pub fn impact_label(c: &ClauseImpact) -> String {
    match (c.old, c.new) {
        (Some(o), Some(n)) if o != n => format!("{}（原{}）", clause_label(n), clause_label(o)),
        (_, Some(n)) => clause_label(n),
        (Some(o), None) => format!("原{}（已删去）", clause_label(o)),
        (None, None) => "不属于任何一条".to_string(),
    }
}

/// 户积分 +120（增 130，减 10）；兑换积分 +120
pub fn impact_points(c: &ClauseImpact) -> String {
    c.accounts
        .iter()
        .map(|a| {
            if a.lost.is_zero() || a.gained.is_zero() {
                format!("{} {}", a.name, signed(a.delta))
            } else {
                format!(
                    "{} {}（增 {}，减 {}）",
                    a.name,
                    signed(a.delta),
                    number(a.gained),
                    number(-a.lost)
                )
            }
        })
        .collect::<Vec<_>>()
        .join("；")
}

/// 影响 37 户、5 人
pub fn impact_subjects(c: &ClauseImpact) -> String {
    match (c.households, c.persons) {
        (h, 0) => format!("{h} 户"),
        (0, p) => format!("{p} 人"),
        (h, p) => format!("{h} 户、{p} 人"),
    }
}

/// 「A069 朱武兰」: a household's id and, when known, its 户主.
pub fn who(id: &str, name: Option<&str>) -> String {
    match name {
        Some(name) => format!("{id} {name}"),
        None => id.to_string(),
    }
}

/// A069 朱武兰 +50，A233 李某 +48 (points).
pub fn points_movers(movers: &[crate::diff::impact::Mover], limit: usize) -> String {
    movers
        .iter()
        .take(limit)
        .map(|m| format!("{} {}", who(&m.id, m.name.as_deref()), signed(m.delta)))
        .collect::<Vec<_>>()
        .join("，")
}

/// A069 朱武兰 +96.3 元，… (money).
pub fn money_movers(movers: &[MoneyMover], limit: usize) -> String {
    movers
        .iter()
        .take(limit)
        .map(|m| {
            format!(
                "{} {}",
                who(&m.id, m.name.as_deref()),
                signed_yuan(m.delta_fen)
            )
        })
        .collect::<Vec<_>>()
        .join("，")
}

/// The money in sentences: who gets more, less, the same; how much moved; households whose
/// points and money went opposite ways. Or why the money is not compared.
pub fn money_lines(impact: &Impact) -> Vec<String> {
    let m = &impact.money;
    if let Some(reason) = m.not_compared {
        return vec![reason.words().to_string()];
    }
    let t = &impact.totals;
    let mut lines = vec![format!(
        "{} 户中，分红多得的 {} 户，少得的 {} 户，不变的 {} 户",
        t.households, m.gaining, m.losing, m.unchanged
    )];
    let moved = if m.gaining == 0 && m.losing == 0 {
        "各户分到的钱都不变".to_string()
    } else {
        format!(
            "多得的共多得 {}，少得的共少得 {}",
            yuan(m.gained_fen),
            yuan(-m.lost_fen)
        )
    };
    let paid = |pool: Option<i64>, per_point: Option<i64>, paid: i64| match (pool, per_point) {
        (_, Some(per_point)) => Some(format!(
            "每分 {} 计发，共发 {}",
            yuan(per_point),
            yuan(paid)
        )),
        (Some(pool), None) => Some(format!("分红总额 {}", yuan(pool))),
        (None, None) => None,
    };
    let old_paid = paid(m.old_pool_fen, m.old_per_point_fen, m.old_paid_fen);
    let new_paid = paid(m.new_pool_fen, m.new_per_point_fen, m.new_paid_fen);
    lines.push(match (m.old_per_point_fen, m.new_per_point_fen) {
        (Some(old), Some(new)) => {
            let rate = if old == new {
                format!("每分 {}", yuan(new))
            } else {
                format!("每分 {} 变为 每分 {}", yuan(old), yuan(new))
            };
            format!(
                "每分计发：{rate}，共发 {} 变为 {}；{moved}",
                yuan(m.old_paid_fen),
                yuan(m.new_paid_fen)
            )
        }
        _ => match (m.old_pool_fen, m.new_pool_fen, old_paid, new_paid) {
            (Some(old), Some(new), _, _) if old == new => {
                format!("分红总额不变：{}，钱只在各户之间转移——{moved}", yuan(new))
            }
            (Some(old), Some(new), _, _) => {
                format!("分红总额由 {} 变为 {}；{moved}", yuan(old), yuan(new))
            }
            (_, _, None, Some(new)) => format!("原版本没有分红，新版本{new}；{moved}"),
            (_, _, Some(old), None) => format!("新版本不再分红（原版本{old}）；{moved}"),
            (_, _, Some(old), Some(new)) => format!("原版本{old}，新版本{new}；{moved}"),
            (_, _, None, None) => moved,
        },
    });
    let mut opposite = Vec::new();
    if m.points_up_money_down > 0 {
        opposite.push(format!(
            "「{}」增加的 {} 户中，有 {} 户分红反而减少",
            impact.account, t.gaining, m.points_up_money_down
        ));
    }
    if m.points_down_money_up > 0 {
        opposite.push(format!(
            "「{}」减少的 {} 户中，有 {} 户分红反而增加",
            impact.account, t.losing, m.points_down_money_up
        ));
    }
    if !opposite.is_empty() {
        let why = if m.old_pool_fen == m.new_pool_fen {
            "（分红按各户积分占全村的比例分：一户分多少，不光看自己的积分，也看别的户变了多少）"
        } else {
            ""
        };
        lines.push(format!("注意：{}{why}", opposite.join("；")));
    }
    lines
}

/// Sentences summing up the impact, for every format: points, then money as prominently,
/// then the largest movers of each.
pub fn impact_summary(impact: &Impact) -> Vec<String> {
    let t = &impact.totals;
    let mut lines = vec![format!(
        "{} 户中，「{}」增加的 {} 户，减少的 {} 户，不变的 {} 户",
        t.households, impact.account, t.gaining, t.losing, t.unchanged
    )];
    lines.extend(money_lines(impact));
    if !t.largest_gains.is_empty() {
        lines.push(format!(
            "增加最多：{}",
            points_movers(&t.largest_gains, MOVERS)
        ));
    }
    if !t.largest_losses.is_empty() {
        lines.push(format!(
            "减少最多：{}",
            points_movers(&t.largest_losses, MOVERS)
        ));
    }
    let m = &impact.money;
    if !m.largest_gains.is_empty() {
        lines.push(format!(
            "分红多得最多：{}",
            money_movers(&m.largest_gains, MOVERS)
        ));
    }
    if !m.largest_losses.is_empty() {
        lines.push(format!(
            "分红少得最多：{}",
            money_movers(&m.largest_losses, MOVERS)
        ));
    }
    for roster in &impact.members {
        lines.push(format!(
            "名册「{}」{} 人中，「{}」增加的 {} 人，减少的 {} 人，不变的 {} 人",
            roster.roster,
            roster.people.len(),
            roster.account,
            roster.gaining,
            roster.losing,
            roster.unchanged
        ));
    }
    if t.old_distributed_fen != 0 || t.new_distributed_fen != 0 {
        // Money moves between households only when a fixed pool is shared under both.
        let moved = match (m.old_pool_fen, m.new_pool_fen) {
            (Some(old), Some(new)) if old == new => {
                format!("；在各户之间转移 {}", yuan(t.dividend_moved_fen))
            }
            _ => String::new(),
        };
        lines.push(format!(
            "分红：原分配 {}，新分配 {}；有分红资格的由 {} 户变为 {} 户{moved}",
            yuan(t.old_distributed_fen),
            yuan(t.new_distributed_fen),
            t.old_eligible,
            t.new_eligible,
        ));
    }
    lines
}

/// How many movers the sentences name.
const MOVERS: usize = 5;

/// Households whose points, ratings or dividend changed, largest change first (register order
/// among equals).
pub fn changed_households(impact: &Impact) -> Vec<&crate::diff::impact::HouseholdImpact> {
    let mut rows: Vec<_> = impact
        .households
        .iter()
        .filter(|h| {
            !h.delta.is_zero()
                || h.dividend_delta_fen != 0
                || h.old_eligible != h.new_eligible
                || h.accounts.iter().any(|a| !a.delta.is_zero())
                || h.ratings.iter().any(|r| r.old != r.new)
        })
        .collect();
    rows.sort_by_key(|h| std::cmp::Reverse(h.delta.abs()));
    rows
}

/// Ratings of a household that changed: 星级 三星→四星.
pub fn rating_changes(h: &crate::diff::impact::HouseholdImpact) -> String {
    h.ratings
        .iter()
        .filter(|r| r.old != r.new)
        .map(|r| format!("{} {}→{}", r.name, r.old, r.new))
        .collect::<Vec<_>>()
        .join("；")
}

/// How many household rows the text and Markdown outputs list.
const LISTED: usize = 30;

/// The text for the terminal.
pub fn render_text(doc: &DiffDocument<'_>) -> String {
    let mut out = String::new();
    let d = doc.diff;
    out.push_str(&format!(
        "比较 {}（{}）\n  与 {}（{}）\n",
        doc.old_file,
        version_words(doc.old),
        doc.new_file,
        version_words(doc.new)
    ));
    if d.is_equivalent() {
        out.push_str("两个版本的规则与文字相同（排版、注释不计），没有变化。\n");
    } else {
        out.push_str(&format!("条文：{}\n", counts_line(d)));
    }
    for (title, changes) in [
        ("文首", &d.header),
        ("户籍、事项与账户", &d.schema),
        ("章", &d.chapters),
    ] {
        if changes.is_empty() {
            continue;
        }
        out.push_str(&format!("\n{title}\n"));
        for c in changes {
            out.push_str(&format!("  · {}\n", change_line(c)));
        }
    }
    if !d.clauses.is_empty() {
        out.push_str("\n条文\n");
        for c in &d.clauses {
            out.push_str(&format!("  {}\n", clause_heading(c)));
            for change in &c.changes {
                out.push_str(&format!("    · {}\n", change_line(change)));
            }
        }
    }
    if let Some(impact) = doc.impact {
        out.push_str(&format!(
            "\n对各户的影响（{}，同一份记录按两个版本分别计算）\n",
            impact.period
        ));
        if let Some((register, events)) = doc.data {
            out.push_str(&format!("  户籍：{register}；事项记录：{events}\n"));
        }
        for line in impact_summary(impact) {
            out.push_str(&format!("  {line}\n"));
        }
        let ratings: Vec<String> = impact
            .totals
            .ratings
            .iter()
            .filter(|r| r.old != 0 || r.new != 0)
            .map(|r| format!("{} {}→{}", r.label, r.old, r.new))
            .collect();
        if !ratings.is_empty() {
            out.push_str(&format!("  评定户数（原→新）：{}\n", ratings.join("，")));
        }
        if !impact.clauses.is_empty() {
            out.push_str("\n  各条的影响\n");
            for c in &impact.clauses {
                let kind = c.kind.map_or("【未改，受上限等影响】".to_string(), |k| {
                    format!("【{}】", k.words())
                });
                out.push_str(&format!(
                    "    {}{kind}：{}，{}\n",
                    impact_label(c),
                    impact_subjects(c),
                    impact_points(c)
                ));
            }
        }
        let changed = changed_households(impact);
        if !changed.is_empty() {
            out.push_str(&format!(
                "\n  有变化的户（共 {} 户，按变化大小{}）\n",
                changed.len(),
                if changed.len() > LISTED {
                    format!("列出前 {LISTED} 户；全部见 --format json")
                } else {
                    String::new()
                }
            ));
            let mut table = comfy_table::Table::new();
            table.load_style(comfy_table::presets::UTF8_FULL_CONDENSED);
            table.set_header(vec![
                "户号".to_string(),
                "户主".to_string(),
                format!("原{}", impact.account),
                format!("新{}", impact.account),
                "变化".into(),
                "原分红".into(),
                "新分红".into(),
                "分红变化".into(),
                "评定".into(),
            ]);
            for h in changed.iter().take(LISTED) {
                table.add_row(vec![
                    h.id.clone(),
                    h.name.clone().unwrap_or_default(),
                    number(h.old_total),
                    number(h.new_total),
                    signed(h.delta),
                    yuan(h.old_dividend_fen),
                    yuan(h.new_dividend_fen),
                    signed_yuan(h.dividend_delta_fen),
                    rating_changes(h),
                ]);
            }
            out.push_str(&table.to_string());
            out.push('\n');
        }
    }
    out
}

fn md_escape(text: &str) -> String {
    text.replace('|', "\\|")
}

/// Markdown, for a wiki or a message.
pub fn render_md(doc: &DiffDocument<'_>) -> String {
    let d = doc.diff;
    let mut out = format!(
        "# 乡约修订对照\n\n- 原版本：{}（`{}`）\n- 新版本：{}（`{}`）\n",
        version_words(doc.old),
        doc.old_file,
        version_words(doc.new),
        doc.new_file
    );
    if d.is_equivalent() {
        out.push_str("\n两个版本的规则与文字相同（排版、注释不计），没有变化。\n");
    } else {
        out.push_str(&format!("- 条文：{}\n", counts_line(d)));
    }
    for (title, changes) in [
        ("文首", &d.header),
        ("户籍、事项与账户", &d.schema),
        ("章", &d.chapters),
    ] {
        if changes.is_empty() {
            continue;
        }
        out.push_str(&format!("\n## {title}\n\n"));
        for c in changes {
            out.push_str(&format!("- {}\n", change_line(c)));
        }
    }
    if !d.clauses.is_empty() {
        out.push_str("\n## 条文\n\n| 条 | 变化 | 方向 | 内容 |\n|---|---|---|---|\n");
        for c in &d.clauses {
            let changes: Vec<String> = c.changes.iter().map(change_line).collect();
            out.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                md_escape(&format!(
                    "{}{}",
                    c.label(),
                    c.title
                        .as_deref()
                        .map(|t| format!(" {t}"))
                        .unwrap_or_default()
                )),
                c.kind.words(),
                c.direction.map_or("", |d| d.words()),
                md_escape(&changes.join("；"))
            ));
        }
    }
    if let Some(impact) = doc.impact {
        out.push_str(&format!("\n## 对各户的影响（{}）\n\n", impact.period));
        for line in impact_summary(impact) {
            out.push_str(&format!("- {line}\n"));
        }
        if !impact.totals.ratings.is_empty() {
            out.push_str("\n| 评定 | 等次 | 原户数 | 新户数 |\n|---|---|---:|---:|\n");
            for r in &impact.totals.ratings {
                out.push_str(&format!(
                    "| {} | {} | {} | {} |\n",
                    r.rating, r.label, r.old, r.new
                ));
            }
        }
        if !impact.clauses.is_empty() {
            out.push_str("\n| 条 | 影响 | 分数变化 |\n|---|---|---|\n");
            for c in &impact.clauses {
                out.push_str(&format!(
                    "| {} | {} | {} |\n",
                    impact_label(c),
                    impact_subjects(c),
                    md_escape(&impact_points(c))
                ));
            }
        }
        let changed = changed_households(impact);
        if !changed.is_empty() {
            out.push_str(&format!(
                "\n有变化的户共 {} 户{}：\n\n| 户号 | 户主 | 原{} | 新{} | 变化 | 原分红 | 新分红 | 分红变化 | 评定 |\n|---|---|---:|---:|---:|---:|---:|---:|---|\n",
                changed.len(),
                if changed.len() > LISTED {
                    format!("，列出变化最大的 {LISTED} 户")
                } else {
                    String::new()
                },
                impact.account,
                impact.account
            ));
            for h in changed.iter().take(LISTED) {
                out.push_str(&format!(
                    "| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
                    md_escape(&h.id),
                    md_escape(h.name.as_deref().unwrap_or_default()),
                    number(h.old_total),
                    number(h.new_total),
                    signed(h.delta),
                    yuan(h.old_dividend_fen),
                    yuan(h.new_dividend_fen),
                    signed_yuan(h.dividend_delta_fen),
                    md_escape(&rating_changes(h))
                ));
            }
        }
    }
    out
}
