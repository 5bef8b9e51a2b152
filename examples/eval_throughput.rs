//! Evaluation throughput and peak memory on a city-sized synthetic log for the sample compact.
//!
//! ```sh
//! cargo run --release --example eval_throughput            # 10M events, 200K households
//! cargo run --release --example eval_throughput -- 1000000 20000
//! ```
//!
//! The first run writes the register, roster and log to target/bench-data/ (a few seconds);
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

/// A small deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn write_data(dir: &Path, events: usize, households: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let compact =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("compacts/youxiqiao-demo/youxiqiao.xy");
    std::fs::copy(compact, dir.join("village.xy")).unwrap();
    std::fs::write(dir.join("分红.txt"), "30000000元").unwrap();
    let mut rng = Rng(0x5eed_1234_abcd);
    let mut register =
        std::io::BufWriter::new(std::fs::File::create(dir.join("register.csv")).unwrap());
    writeln!(
        register,
        "户号,户主,人口,村民小组,党员户,脱贫户,类别,入股山林"
    )
    .unwrap();
    for h in 0..households {
        let population = 1 + rng.below(7);
        writeln!(
            register,
            "H{h:07},某,{population},{}组,{},{},{},{}",
            1 + h % 12,
            if rng.below(5) == 0 { "是" } else { "否" },
            if rng.below(12) == 0 { "是" } else { "否" },
            ["一类户", "二类户", "三类户"][h % 3],
            rng.below(10)
        )
        .unwrap();
    }
    let members = households / 300 + 1;
    let mut roster = std::io::BufWriter::new(std::fs::File::create(dir.join("党员.csv")).unwrap());
    writeln!(roster, "编号,姓名,户号,职务").unwrap();
    for p in 0..members {
        writeln!(
            roster,
            "P{p:06},某,H{:07},{}",
            (p * 7) % households,
            ["书记", "主任", "委员", "党员"][p.min(3)]
        )
        .unwrap();
    }
    // Skew: most records belong to a minority of busy households.
    let busy = |rng: &mut Rng| -> usize {
        if rng.below(10) < 7 {
            rng.below((households / 5).max(1) as u64) as usize
        } else {
            rng.below(households as u64) as usize
        }
    };
    let mut log = std::io::BufWriter::with_capacity(
        1 << 20,
        std::fs::File::create(dir.join("events.csv")).unwrap(),
    );
    writeln!(log, "日期,户号,人员,事项,天数,金额,级别,类型,评定分,时长,等次,当场改正,所用积分,证书,证明,签字,审核").unwrap();
    let per_day = events / 366 + 1;
    let mut written = 0;
    let mut line = String::with_capacity(128);
    for day in 0..366 {
        let date = xiangyue::data::value::date_of(
            xiangyue::data::value::days_from_civil(2024, 1, 1) + day,
        );
        for _ in 0..per_day {
            if written == events {
                break;
            }
            written += 1;
            line.clear();
            let h = busy(&mut rng);
            let roll = rng.below(100);
            let _ = match roll {
                0..=19 => write!(
                    line,
                    "{date},H{h:07},,义务投工,{},,,,,,,,,,,",
                    1 + rng.below(3)
                ),
                20..=21 => write!(line, "{date},H{h:07},,防汛抢险,1,,,,,,,,,,,"),
                22..=25 => write!(
                    line,
                    "{date},H{h:07},,公益捐款,,{},,,,,,,,,,",
                    50 * (1 + rng.below(20))
                ),
                26 => write!(
                    line,
                    "{date},H{h:07},,获得表彰,,,{},综合,,,,,,证书,,",
                    ["县级", "市级"][rng.below(2) as usize]
                ),
                27..=30 => write!(
                    line,
                    "{date},H{h:07},,好人好事,,,,,{},,,,,,证明,",
                    5 + rng.below(6)
                ),
                31..=35 => write!(line, "{date},H{h:07},,调解纠纷,,,,,,,,,,,,签字"),
                36..=59 => write!(
                    line,
                    "{date},H{h:07},,志愿服务,,,,,,{},,,,,,",
                    1 + rng.below(6)
                ),
                60..=64 => write!(
                    line,
                    "{date},H{h:07},,环境卫生评比,,,,,,,{},,,,,",
                    ["优", "良", "差"][rng.below(3) as usize]
                ),
                65..=74 => write!(
                    line,
                    "{date},H{h:07},,乱倒垃圾,,,,,,,,{},,,,",
                    ["是", "否"][rng.below(2) as usize]
                ),
                75 => write!(line, "{date},H{h:07},,乱搭乱建,,,,,,,,,,,,"),
                76..=83 => write!(line, "{date},H{h:07},,缺席村民会议,,,,,,,,,,,,"),
                84..=88 => write!(
                    line,
                    "{date},H{h:07},,积分兑换,,,,,,,,,{},,,",
                    5 + rng.below(20)
                ),
                89..=91 => write!(
                    line,
                    "{date},,P{:06},党员缺会,,,,,,,,,,,,",
                    rng.below(members as u64)
                ),
                _ => write!(
                    line,
                    "{date},,P{:06},党员公益活动,,,,,,{},,,,,,",
                    rng.below(members as u64),
                    1 + rng.below(3)
                ),
            };
            line.push_str(if rng.below(50) == 0 {
                ",待审"
            } else {
                ",通过"
            });
            line.push('\n');
            log.write_all(line.as_bytes()).unwrap();
        }
    }
    log.flush().unwrap();
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
    let dir: PathBuf = root.join(format!("target/bench-data/eval-{events}-{households}"));
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
