// The generated compact used by the language benchmark (included by benches/language.rs and
// the profiling examples).
//
// Shaped like a large real compact (Wendeng's 227-row table, scaled up): one event kind per
// clause, declaring only the fields its rule reads; every clause with its 原文; chapters of 50
// clauses with a cap; every kind of rule the language has, in turn.

use std::fmt::Write as _;

/// A compact with `clauses` clauses cycling through every kind of rule.
fn large_compact(clauses: usize) -> String {
    let mut text = String::from(
        "乡约「基准村积分细则」\n版本「基准」\n生效 2024年1月1日\n周期 每年\n\n\
         户籍 {\n  人口：整数\n  党员户：是否\n  类别：选项（一类户、二类户、三类户）\n  入股山林：数量（亩）\n}\n\n\
         名册 党员 { 职务：选项（书记、主任、委员、党员） }\n\n\
         账户 户积分（默认）：最低 0 分\n账户 党员积分（属 党员）\n\n",
    );
    for c in 1..=clauses {
        let fields = match c % 10 {
            0 => " { 天数：数量（天） }",
            1 => " { 金额：金额 }",
            2 => " { 级别：选项（县级、市级、省级） }",
            3 | 4 => " { 当场改正：是否 }",
            5 => " { 评定分：分数 }",
            6 => " { 时长：数量（小时） }",
            7 => " { 级别：选项（县级、市级、省级）；当场改正：是否 }",
            9 => "（归 党员）{ 时长：数量（小时） }",
            _ => "",
        };
        if c % 10 != 8 {
            let _ = writeln!(text, "事项 事项{c}{fields}");
        }
    }
    let mut chapter = 0;
    for c in 1..=clauses {
        if c % 50 == 1 {
            chapter += 1;
            let direction = if chapter % 2 == 0 { "扣" } else { "加" };
            let _ = write!(text, "\n第{chapter}章 第{chapter}部分\n本章 每年 至多 {direction} 500 分。\n");
        }
        let _ = write!(text, "\n第{c}条 条文{c}\n  原文：这是第 {c} 条的原文，说明本条的计分办法和适用的情形。\n");
        let deduct = chapter % 2 == 0;
        let (sign, verb) = if deduct { ("扣", "扣") } else { ("加", "加") };
        let rule = match c % 10 {
            0 => format!("凡 事项{c}，每天 {sign} 2 分；每年 至多 40 分。"),
            1 => format!("凡 事项{c}，每满 100 元 {sign} 1 分；每年 至多 20 分。"),
            2 => format!("凡 事项{c}，按 级别：县级 {verb} 10 分，市级 {verb} 20 分，省级 {verb} 30 分。"),
            3 => format!("凡 事项{c} 且 当场改正 且 本年第一次，每次 {sign} 1 分。"),
            4 => format!("凡 事项{c}，每次 {sign} 5 分；党员户 加倍；本年第三次起 按 3 倍。"),
            5 => format!("凡 事项{c}，每次 {sign} 5～10 分。"),
            6 => format!("凡 事项{c}，按 时长 累计：满 10 小时 {sign} 2 分，满 20 小时 {sign} 5 分。"),
            7 => format!("凡 事项{c} 且 日期 在 6月1日 至 8月31日 且 （级别 为 县级 或 非 当场改正），每次 {sign} 3 分。"),
            8 => format!("每户 {sign} 人口 × 10 分；党员户 加倍。"),
            _ => "凡 事项{c}，每小时 加 1 分；职务 为 书记、主任 加倍；每年 至多 30 分。".replace("{c}", &c.to_string()),
        };
        let _ = writeln!(text, "  {rule}");
    }
    let _ = write!(
        text,
        "\n第{}条 星级\n  评定 星级（按 户积分）：不低于 120 分 为「五星」，不低于 100 分 为「四星」，其余 为「一星」。\n",
        clauses + 1
    );
    text
}
