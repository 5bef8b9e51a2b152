//! Evaluating on several threads with a register large enough for what the small villages of
//! the other tests never reach: subjects in many blocks of 1,024 (dealt out to the shards in
//! turn), records parked in buckets (from 16,384 subjects), and parked records applied by all
//! shards together in the middle of the log. The results must be those of one thread.

// Fails the test outright when the bundled compact does not check or the data do not read.
#![allow(clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use xiangyue::data::{EventReader, EventRecord, Next, Register, TableReader};
use xiangyue::eval::parallel::{Batch, Shards, evaluate, shard_of};
use xiangyue::eval::{NoLedger, PeriodChoice};
use xiangyue::model::Compact;
use xiangyue::synth::{Synth, SynthOptions};

const HOUSEHOLDS: u32 = 20_000;
const EVENTS: u64 = 300_000;

/// Something that hands CSV lines, one by one, to a writer.
type Fill<'a> = &'a dyn Fn(&mut dyn FnMut(&str));

fn village() -> (Compact, Vec<Register>, Vec<EventRecord>) {
    village_of(include_str!("../compacts/youxiqiao-demo/youxiqiao.xy"))
}

fn village_of(source: &str) -> (Compact, Vec<Register>, Vec<EventRecord>) {
    let compact = xiangyue::compile::compile(source)
        .compact
        .expect("the sample compact checks");
    let synth = Synth::new(
        &compact,
        SynthOptions {
            households: HOUSEHOLDS,
            events: EVENTS,
            seed: 7,
            years: 1,
            last_year: None,
        },
    );
    let text = |fill: Fill<'_>| {
        let mut text = String::new();
        fill(&mut |line: &str| text.push_str(line));
        text
    };
    let households = text(&|line| synth.subjects(0, line));
    let members = text(&|line| synth.subjects(1, line));
    let registers = common::households_and_roster(&compact, &households, &members);
    assert_eq!(registers[0].len(), HOUSEHOLDS as usize);

    let log = text(&|line| synth.events(line));
    let table = TableReader::from_csv_text(&log, "events.csv").expect("events");
    let mut reader = EventReader::new(table, &compact, &registers).expect("columns");
    let mut records = Vec::new();
    let mut record = EventRecord::new();
    while let Next::Record = reader.next(&mut record).expect("every record reads") {
        records.push(record.clone());
    }
    assert_eq!(records.len() as u64, EVENTS);
    records.sort_by_key(|r| (r.day, r.line));
    (compact, registers, records)
}

#[test]
fn many_blocks_and_buckets_give_the_results_of_one_thread() {
    let (compact, registers, records) = village();
    let choice = PeriodChoice::Latest;
    let pool = Some(12_800_000);
    let one = evaluate(&compact, &registers, &records, choice, 1, pool).expect("in order");
    // Every household is in the results, most with points from records.
    let households = &one.kinds[0].subjects;
    assert_eq!(households.len(), HOUSEHOLDS as usize);
    for threads in [2, 3] {
        let all_at_once =
            evaluate(&compact, &registers, &records, choice, threads, pool).expect("in order");
        assert_eq!(all_at_once, one, "{threads} threads, one batch");
        // In batches, as the command line hands them over: the shards park, and apply their
        // parked records together whenever one of them has enough.
        let Ok(mut shards) = Shards::new(&compact, &registers, choice, NoLedger, threads) else {
            panic!("totals can be split");
        };
        for batch in records.chunks(5_000) {
            shards.push_all(&[Batch::from(batch)]).expect("in order");
        }
        let (batched, _) = shards.finish(pool);
        assert_eq!(batched, one, "{threads} threads, in batches");
    }
}

/// Ratings judged per quarter and per month (每季度 评定 …) read sums per month that each shard
/// keeps for its own subjects, records applied from buckets: the same lists as one thread.
#[test]
fn quarterly_and_monthly_ratings_on_several_threads_are_those_of_one_thread() {
    let sample = include_str!("../compacts/youxiqiao-demo/youxiqiao.xy");
    let at = sample.find("示例「").expect("the sample has examples");
    let source = format!(
        "{}第三十条 红黑榜\n  每季度 评定 红黑榜（按 本季度 户积分）（「黑榜」 不公布姓名）：10 分 以上 为「红榜」，不低于 0 分 不上榜，其余 为「黑榜」。\n\n第三十一条 月榜\n  每月 评定 月榜（按 户积分）：不低于 80 分 为「达标」。\n\n第三十二条 年度评比\n  评定 年度评比：四个季度 均为「红榜」 为「年度文明户」，连续 2 次 登上「红榜」 为「进步户」。\n\n第三十三条 月度之星\n  评定 月度之星：连续 6 个月 登上「达标」。\n\n{}",
        &sample[..at],
        &sample[at..]
    );
    let (compact, registers, records) = village_of(&source);
    assert!(compact.ratings.len() > 16, "windows expanded");
    let choice = PeriodChoice::Latest;
    let one = evaluate(&compact, &registers, &records, choice, 1, None).expect("in order");
    let households = &one.kinds[0].subjects;
    // The lists are not all empty: some households are on each.
    for label in ["红榜", "黑榜", "达标", "进步户"] {
        assert!(
            households
                .iter()
                .any(|h| h.ratings.iter().any(|r| r.label() == Some(label))),
            "nobody is 「{label}」"
        );
    }
    for threads in [2, 3] {
        let many =
            evaluate(&compact, &registers, &records, choice, threads, None).expect("in order");
        assert_eq!(many, one, "{threads} threads");
    }
}

/// Each shard's records of `batch` (their indexes), as the chunk reader sorts them out.
fn routes_of(batch: &[EventRecord], count: usize) -> Vec<Vec<u32>> {
    let mut routes = vec![Vec::new(); count];
    for (at, record) in batch.iter().enumerate() {
        routes[shard_of(record.subject, count)].push(at as u32);
    }
    routes
}

/// Evaluates `records` on `threads` shards in batches of `size` sorted out by shard.
fn routed(
    compact: &Compact,
    registers: &[Register],
    records: &[EventRecord],
    threads: usize,
    size: usize,
) -> xiangyue::eval::Results {
    let Ok(mut shards) = Shards::new(compact, registers, PeriodChoice::Latest, NoLedger, threads)
    else {
        panic!("totals can be split");
    };
    for batch in records.chunks(size) {
        let routes = routes_of(batch, threads);
        let (first, last) = (batch[0].day, batch[batch.len() - 1].day);
        shards
            .push_all(&[Batch {
                records: batch,
                routes: Some((&routes, first, last)),
            }])
            .expect("in order");
    }
    shards.finish(Some(12_800_000)).0
}

#[test]
fn records_sorted_out_by_shard_give_the_results_of_one_thread() {
    let (compact, registers, records) = village();
    // A second year after the first, so that batches cross into a new period.
    let mut two_years = records.clone();
    for record in records.iter().step_by(7) {
        let mut later = record.clone();
        later.day += 366;
        later.line += 10_000_000;
        two_years.push(later);
    }
    two_years.sort_by_key(|r| (r.day, r.line));
    for log in [&records, &two_years] {
        let one = evaluate(
            &compact,
            &registers,
            log,
            PeriodChoice::Latest,
            1,
            Some(12_800_000),
        )
        .expect("in order");
        for threads in [2, 3] {
            for size in [5_000, 77_777] {
                assert_eq!(
                    routed(&compact, &registers, log, threads, size),
                    one,
                    "{threads} threads, batches of {size}"
                );
            }
        }
    }
}

#[test]
fn a_batch_sorted_out_by_shard_that_goes_back_in_time_is_refused() {
    let (compact, registers, records) = village();
    let (early, late) = (&records[..1_000], &records[200_000..201_000]);
    assert!(late[0].day > early[999].day);
    let Ok(mut shards) = Shards::new(&compact, &registers, PeriodChoice::Latest, NoLedger, 2)
    else {
        panic!("totals can be split");
    };
    let mut push = |batch: &[EventRecord]| {
        let routes = routes_of(batch, 2);
        let (first, last) = (batch[0].day, batch[batch.len() - 1].day);
        shards
            .push_all(&[Batch {
                records: batch,
                routes: Some((&routes, first, last)),
            }])
            .is_ok()
    };
    assert!(push(early));
    assert!(push(late));
    // After the first batch but earlier than the second: the log is not in date order,
    // whichever shard's subjects the records belong to.
    let between = &records[1_000..2_000];
    assert!(between[0].day >= early[999].day && between[999].day < late[0].day);
    assert!(!push(between));
}
