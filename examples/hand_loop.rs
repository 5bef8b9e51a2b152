//! A yardstick for the machine, not part of xiangyue: the hand-written single-thread loop that
//! issue 3 measures against ("a loop that only sums capped points per household reads such a
//! file at about 5.7 million rows per second"). It reads an event log of the numbered synthetic
//! villages (`H0000001` …), gives every 事项 two points a record, caps each household's sum per
//! 事项 at twenty, and prints the rows a second (reading the file included) and a checksum of
//! the totals.
//! No validation, no dates, no decimals, no register: only the cost of reading the rows.
//!
//! ```sh
//! cargo run --release --example hand_loop -- target/bench-data/eval-synth-10000000-200000
//! ```
//!
//! Its rate divided by the 5.7 million of the issue says how much faster this machine is than
//! the one the targets were set on (docs/performance.md).

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::indexing_slicing)]

use std::collections::HashMap;
use std::time::Instant;

fn main() {
    let dir = std::env::args().nth(1).expect("a village folder");
    let path = std::path::Path::new(&dir).join("events.csv");
    let start = Instant::now();
    let (rows, checksum) = sum_capped(&std::fs::read(&path).expect("events.csv"));
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{rows} rows in {seconds:.2} s = {:.2} million rows a second (checksum {checksum})",
        rows as f64 / seconds / 1e6
    );
}

/// Rows read and the sum of every household's capped points.
fn sum_capped(bytes: &[u8]) -> (u64, i64) {
    const POINTS: i64 = 2;
    const CAP: i64 = 20;
    let mut lines = bytes.split(|&b| b == b'\n');
    let header: Vec<&[u8]> = lines
        .next()
        .unwrap_or_default()
        .split(|&b| b == b',')
        .collect();
    let column = |name: &str| header.iter().position(|c| *c == name.as_bytes()).unwrap();
    let (household, item) = (column("户号"), column("事项"));
    let mut items: HashMap<Vec<u8>, usize> = HashMap::new();
    let mut sums: Vec<i64> = Vec::new();
    let mut rows = 0;
    for line in lines {
        if line.is_empty() {
            continue;
        }
        rows += 1;
        let (mut id, mut name) = (&b""[..], &b""[..]);
        for (index, cell) in line.split(|&b| b == b',').enumerate() {
            if index == household {
                id = cell;
            } else if index == item {
                name = cell;
            }
        }
        let number = id
            .iter()
            .skip(1)
            .fold(0usize, |n, &d| n * 10 + usize::from(d - b'0'));
        let kind = match items.get(name) {
            Some(&kind) => kind,
            None => {
                let next = items.len();
                items.insert(name.to_vec(), next);
                next
            }
        };
        let at = number * 32 + kind;
        if at >= sums.len() {
            sums.resize(at + 1, 0);
        }
        sums[at] = (sums[at] + POINTS).min(CAP);
    }
    (rows, sums.iter().sum())
}
