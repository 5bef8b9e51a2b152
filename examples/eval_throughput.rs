//! Evaluation throughput and peak memory on a city-sized synthetic log for the sample compact.
//!
//! ```sh
//! cargo run --release --example eval_throughput            # 10M events, 200K households
//! cargo run --release --example eval_throughput -- 1000000 20000
//! ```
//!
//! The first run writes the register, roster and log to target/bench-data/ with the synth
//! library (the generator behind `xiangyue synth`; a few seconds);
//! later runs reuse them. The evaluation runs in a child process of the release binary
//! (`xiangyue eval … --format json`, one thread), timed from outside; its peak memory is read
//! from /proc. Figures go to docs/performance.md.

#![allow(
    clippy::panic,
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::indexing_slicing
)]

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use xiangyue::synth::{Synth, SynthOptions};

/// Writes the sample compact's village with the synth library (`xiangyue synth`'s generator):
/// register, 党员 roster, 分红.txt and a date-ordered log of `events` records in 2024.
/// Something that hands CSV lines, one by one, to a writer.
type Fill<'a> = &'a dyn Fn(&mut dyn FnMut(&str));

fn write_data(dir: &Path, events: usize, households: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("compacts/youxiqiao-demo/youxiqiao.xy");
    let source = std::fs::read_to_string(&path).unwrap();
    std::fs::write(dir.join("village.xy"), &source).unwrap();
    std::fs::write(dir.join("分红.txt"), "30000000元").unwrap();
    let compact = xiangyue::compile::compile(&source)
        .compact
        .expect("the sample compact checks");
    let synth = Synth::new(
        &compact,
        SynthOptions {
            households: households as u32,
            events: events as u64,
            seed: 0x5eed_1234_abcd,
            years: 1,
            last_year: None,
        },
    );
    let write = |name: &str, fill: Fill<'_>| {
        let mut out = std::io::BufWriter::with_capacity(
            1 << 20,
            std::fs::File::create(dir.join(name)).unwrap(),
        );
        fill(&mut |line: &str| out.write_all(line.as_bytes()).unwrap());
        out.flush().unwrap();
    };
    write("register.csv", &|line| synth.subjects(0, line));
    for (kind, roster) in compact.kinds.iter().enumerate().skip(1) {
        write(&format!("{}.csv", roster.name), &|line| {
            synth.subjects(kind, line)
        });
    }
    write("events.csv", &|line| synth.events(line));
}

/// Peak resident memory of a finished child, from its /proc status just before it exits is
/// not readable; instead the child is started through `/usr/bin/time -f %M` when available,
/// else the figure is read while it runs.
fn run_and_measure(binary: &Path, dir: &Path) -> (f64, Option<u64>) {
    let started = Instant::now();
    let mut child = Command::new(binary)
        .args([
            "eval",
            &dir.to_string_lossy(),
            "--format",
            "json",
            "-o",
            "/dev/null",
        ])
        .env("CI", "true")
        .spawn()
        .expect("run xiangyue");
    let pid = child.id();
    let mut peak: Option<u64> = None;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "xiangyue eval failed");
            break;
        }
        if let Ok(text) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
            for line in text.lines() {
                if let Some(v) = line.strip_prefix("VmHWM:") {
                    let kb: u64 = v.trim().trim_end_matches("kB").trim().parse().unwrap_or(0);
                    peak = Some(peak.unwrap_or(0).max(kb));
                }
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    (started.elapsed().as_secs_f64(), peak)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let events: usize = args
        .get(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000_000);
    let households: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(200_000);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir: PathBuf = root.join(format!(
        "target/bench-data/eval-synth-{events}-{households}"
    ));
    if !dir.join("events.csv").is_file() {
        let t = Instant::now();
        write_data(&dir, events, households);
        eprintln!(
            "wrote {events} events for {households} households in {:.1} s",
            t.elapsed().as_secs_f64()
        );
    }
    let binary = root.join("target/release/xiangyue");
    assert!(
        binary.is_file(),
        "build the release binary first: cargo build --release"
    );
    let size = std::fs::metadata(dir.join("events.csv"))
        .map(|m| m.len())
        .unwrap_or(0);
    let mut best = f64::MAX;
    let mut peak = None;
    for _ in 0..3 {
        let (seconds, p) = run_and_measure(&binary, &dir);
        best = best.min(seconds);
        peak = peak.max(p);
    }
    let mut report = String::new();
    let _ = writeln!(
        report,
        "events: {events}, households: {households}, log {:.0} MB",
        size as f64 / 1e6
    );
    let _ = writeln!(
        report,
        "eval to JSON totals (best of 3): {best:.2} s = {:.2} million events/s",
        events as f64 / best / 1e6
    );
    if let Some(kb) = peak {
        let _ = writeln!(report, "peak memory: {:.0} MB", kb as f64 / 1024.0);
    }
    print!("{report}");
}
