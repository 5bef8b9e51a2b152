//! Records valid for several periods (有效 N 年), direct downgrades (降为) and repairs (修复),
//! each on a small compact whose worked examples state what the reference says: periods that
//! do not start on 1月1日, gaps of a year in the log, the lowest of several downgrades, a repair
//! with nothing to repair, carried records in counts, and take-the-highest ties.

// A test fails outright when its compact does not check.
#![allow(clippy::expect_used, clippy::panic)]

fn examples_pass(source: &str) {
    let compact = xiangyue::compile::compile(source)
        .compact
        .unwrap_or_else(|| panic!("does not check:\n{source}"));
    assert!(!compact.examples.is_empty());
    for example in &compact.examples {
        let run = xiangyue::eval::examples::run_example(&compact, example);
        assert!(run.checked > 0, "{}", run.name);
        assert!(
            run.mismatches.is_empty(),
            "示例「{}」: {:?}",
            run.name,
            run.mismatches
                .iter()
                .map(|m| format!("{} 应为 {}，实为 {}", m.subject, m.expected, m.actual))
                .collect::<Vec<_>>()
        );
    }
}

const HEAD: &str = "乡约「甲村」\n周期 每年 自 3月1日 起\n\n事项 砍伐\n事项 献血\n事项 再犯\n\n";

#[test]
fn validity_counts_in_periods_not_calendar_years() {
    // Periods run 3月1日 – 2月底: a record of 2021-02-01 belongs to the 2020 period, so with
    // 有效 2 年 it counts in 2020 and 2021 (to 2022-02-28), not in 2022.
    examples_pass(&format!(
        "{HEAD}第一条 基础分\n  每户 加 100 分。\n\n第二条 砍伐\n  凡 砍伐，每次 扣 50 分；有效 2 年。\n\n\
         示例「有效期按积分年度算」\n  户「甲」。\n  户「乙」。\n  2021年2月1日「甲」砍伐。\n  2021年3月1日「乙」砍伐。\n  \
         2022年3月5日「甲」献血。\n  应得「甲」：积分 100 分。\n  应得「乙」：积分 50 分。\n"
    ));
}

#[test]
fn a_record_counts_in_later_periods_even_when_the_log_skips_a_year() {
    examples_pass(&format!(
        "{HEAD}第一条 基础分\n  每户 加 100 分。\n\n第二条 砍伐\n  凡 砍伐，每次 扣 30 分；有效 3 年。\n\n\
         第三条 献血\n  凡 献血，每次 加 10 分。\n\n\
         示例「中间一年没有记录」\n  户。\n  2020年5月1日 砍伐。\n  2022年5月1日 献血。\n  应得：积分 80 分。\n\n\
         示例「过了三年」\n  户。\n  2020年5月1日 砍伐。\n  2023年5月1日 献血。\n  应得：积分 110 分。\n"
    ));
}

#[test]
fn still_valid_records_count_as_earlier_occurrences() {
    // 第二次起 加倍: the 2021 record is still valid in 2022, so 2022's is the second.
    examples_pass(&format!(
        "{HEAD}第一条 基础分\n  每户 加 100 分。\n\n第二条 砍伐\n  凡 砍伐，每次 扣 10 分；第二次起 加倍；有效 2 年。\n\n\
         第三条 再犯\n  凡 再犯，每次 扣 10 分；第二次起 加倍。\n\n\
         示例「有效期内再犯」\n  户。\n  2021年4月1日 砍伐。\n  2022年4月1日 砍伐。\n  应得：积分 70 分。\n\n\
         示例「上一年的记录已过期」\n  户。\n  2021年4月1日 再犯。\n  2022年4月1日 再犯。\n  应得：积分 90 分。\n"
    ));
}

#[test]
fn the_lowest_downgrade_wins_and_a_low_score_stays_low() {
    examples_pass(
        "乡约「甲村」\n\n事项 甲事\n事项 乙事\n\n第一条 基础分\n  每户 加 100 分。\n\n\
         第二条 甲事\n  凡 甲事，一票否决：等级 降为「B」。\n\n第三条 乙事\n  凡 乙事，一票否决：等级 降为「C」。\n\n\
         第四条 等级\n  评定 等级：不低于 90 分 为「A」，不低于 60 分 为「B」，不低于 30 分 为「C」，其余 为「D」。\n\n\
         示例「两次降级取低」\n  户。\n  2024年3月1日 甲事。\n  2024年4月1日 乙事。\n  应得：等级 为「C」。\n\n\
         示例「只降不升」\n  户。\n  2024年3月1日 甲事。\n  应得：等级 为「B」。\n",
    );
}

#[test]
fn a_repair_with_nothing_to_repair_scores_nothing() {
    examples_pass(
        "乡约「甲村」\n\n事项 拒不改正\n事项 修复申请\n\n第一条 基础分\n  每户 加 100 分。\n\n\
         第二条 直接判级\n  凡 拒不改正，一票否决：积分 清零。\n\n第三条 修复\n  凡 修复申请，修复 第二条 为 扣 20 分。\n\n\
         示例「没有可修复的」\n  户。\n  2024年3月1日 修复申请。\n  应得：积分 100 分。\n\n\
         示例「先修复后判级」\n  户。\n  2024年3月1日 修复申请。\n  2024年4月1日 拒不改正。\n  应得：积分 0 分。\n\n\
         示例「判级后修复」\n  户。\n  2024年3月1日 拒不改正。\n  2024年4月1日 修复申请。\n  应得：积分 80 分。\n",
    );
}

#[test]
fn a_repair_reverses_points_of_earlier_years_and_stops_them() {
    examples_pass(
        "乡约「甲村」\n\n事项 违建\n事项 修复申请\n\n第一条 基础分\n  每户 加 100 分。\n\n\
         第二条 违建\n  凡 违建，每次 扣 40 分；有效 5 年。\n\n第三条 修复\n  凡 修复申请，修复 第二条 为 扣 10 分；有效 2 年。\n\n\
         示例「修复当年」\n  户。\n  2020年3月1日 违建。\n  2022年3月1日 修复申请。\n  应得：积分 90 分。\n\n\
         示例「修复次年」\n  户。\n  2020年3月1日 违建。\n  2022年3月1日 修复申请。\n  2023年3月1日 修复申请。\n  应得：积分 90 分。\n\n\
         示例「修复两年后」\n  户。\n  2020年3月1日 违建。\n  2022年3月1日 修复申请。\n  2024年3月1日 修复申请。\n  应得：积分 100 分。\n",
    );
}

#[test]
fn equal_amounts_in_a_take_the_highest_group_count_once() {
    examples_pass(
        "乡约「甲村」\n\n事项 养犬 { 伤人：是否 }\n\n第一条 养犬\n  凡 养犬，每次 扣 10 分。\n\n\
         第二条 养犬伤人\n  与 第一条 取最高。\n  凡 养犬 且 伤人，每次 扣 10 分。\n\n\
         示例「同分只计一条」\n  户。\n  2024年3月1日 养犬：伤人 是。\n  应得：积分 -10 分。\n",
    );
}
