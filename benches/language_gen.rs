// The generated compact used by the language benchmark (included by benches/language.rs).

use std::fmt::Write as _;

/// A compact with `clauses` clauses cycling through every kind of rule.
fn large_compact(clauses: usize) -> String {
    let mut text = String::from(
        "乡约「基准村积分细则」\n版本「基准」\n生效 2024年1月1日\n周期 每年\n\n\
         户籍 { 人口：整数；党员户：是否；类别：选项（一类户、二类户、三类户）；入股山林：数量（亩） }\n\n\
         名册 党员 { 职务：选项（书记、主任、委员、党员） }\n\n\
         账户 户积分（默认）：最低 0 分\n账户 兑换积分\n账户 荣誉积分\n账户 党员积分（属 党员）\n\n",
    );
    let events = clauses / 4 + 1;
    for e in 0..events {
        let _ = writeln!(
            text,
            "事项 事项{e} {{ 天数：数量（天）；金额：金额；级别：选项（县级、市级、省级）；当场改正：是否；评定分：分数；时长：数量（小时） }}"
        );
    }
    for e in 0..events {
        let _ = writeln!(text, "事项 党员活动{e}（归 党员）{{ 时长：数量（小时） }}");
    }
    let mut chapter = 0;
    for c in 1..=clauses {
        if c % 50 == 1 {
            chapter += 1;
            let _ = write!(text, "\n第{chapter}章 第{chapter}部分\n本章 每年 至多 500 分。\n");
        }
        let e = c % events;
        let _ = write!(text, "\n第{c}条 条文{c}\n  原文：这是第 {c} 条的原文，说明本条的计分办法。\n");
        let rule = match c % 10 {
            0 => format!("凡 事项{e}，每天 加 2 分；每年 至多 40 分。"),
            1 => format!("凡 事项{e}，每满 100 元 加 1 分；每年 至多 20 分。"),
            2 => format!("凡 事项{e}，按 级别：县级 加 10 分，市级 加 20 分，省级 加 30 分。"),
            3 => format!("凡 事项{e} 且 当场改正 且 本年第一次，不扣分。\n  与 第{}条 取最高。", c - 1),
            4 => format!("凡 事项{e}，每次 扣 5 分；党员户 加倍；本年第三次起 按 3 倍。"),
            5 => format!("凡 事项{e}，每次 加 5～10 分。"),
            6 => format!("凡 事项{e}，按 时长 累计：满 10 小时 加 2 分，满 20 小时 加 5 分。"),
            7 => format!("凡 事项{e} 且 日期 在 6月1日 至 8月31日 且 （级别 为 县级 或 非 当场改正），每次 加 3 分。"),
            8 => "每户 加 人口 × 10 分；党员户 加倍。".to_string(),
            _ => format!("凡 党员活动{e}，每小时 加 1 分；职务 为 书记、主任 加倍；每年 至多 30 分。"),
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

