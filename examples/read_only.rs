//! Times reading and validating an event log without evaluating it (a profiling aid).
//!
//! ```sh
//! cargo run --release --example read_only -- target/bench-data/eval-1000000-20000
//! ```

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::path::Path;
use std::time::Instant;

use xiangyue::data::chunks::{Checked, Chunk, check_chunk};
use xiangyue::data::{
    EventReader, EventRecord, Next, ReadOptions, Register, TableReader, read_register,
};

fn main() {
    let dir = std::env::args().nth(1).expect("a village folder");
    let dir = Path::new(&dir);
    let source = std::fs::read_to_string(dir.join("village.xy")).unwrap();
    let compact = xiangyue::compile::compile(&source).compact.unwrap();
    let options = ReadOptions::default();
    let (mut errors, mut warnings) = (Vec::new(), Vec::new());
    let mut table = TableReader::open(&dir.join("register.csv"), "r", &options).unwrap();
    let households = read_register(&mut table, &compact, 0, None, &mut errors, &mut warnings);
    let mut registers: Vec<Register> = vec![households];
    let mut table = TableReader::open(&dir.join("党员.csv"), "p", &options).unwrap();
    let roster = read_register(
        &mut table,
        &compact,
        1,
        registers.first(),
        &mut errors,
        &mut warnings,
    );
    registers.push(roster);
    let started = Instant::now();
    let table = TableReader::open(&dir.join("events.csv"), "e", &options).unwrap();
    let mut reader = EventReader::new(table, &compact, &registers).unwrap();
    let (mut good, mut bad) = (0u64, 0u64);
    if let Some(mut chunks) = reader.take_chunks() {
        // CSV: in chunks, on this thread only (as `xiangyue eval` on one core).
        let (mut chunk, mut checked) = (Chunk::default(), Checked::default());
        while chunks.next_into(&mut chunk).unwrap() {
            check_chunk(reader.checker(), &chunk, &mut checked);
            good += checked.records().len() as u64;
            bad += checked.bad.len() as u64;
        }
    } else {
        let mut record = EventRecord::new();
        loop {
            match reader.next(&mut record).unwrap() {
                Next::Record => good += 1,
                Next::Bad(_) => bad += 1,
                Next::End => break,
            }
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{good} good, {bad} bad records in {seconds:.2} s = {:.2} M/s",
        (good + bad) as f64 / seconds / 1e6
    );
}
