// Times the phases of reading a large compact (for tuning; not a benchmark).
include!("../benches/support/compact_gen.rs");
fn main() {
    let text = large_compact(1000);
    let mut best = [f64::MAX; 3];
    for _ in 0..30 {
        let t = std::time::Instant::now();
        let ast = xiangyue::syntax::parse(&text).ok();
        let a = t.elapsed().as_secs_f64() * 1000.0;
        let t = std::time::Instant::now();
        let checked = ast.as_ref().map(xiangyue::check::check);
        let b = t.elapsed().as_secs_f64() * 1000.0;
        let t = std::time::Instant::now();
        let _ = xiangyue::fmt::format_source(&text);
        let c = t.elapsed().as_secs_f64() * 1000.0;
        best = [best[0].min(a), best[1].min(b), best[2].min(c)];
        drop(checked);
    }
    println!(
        "parse {:.1} ms, check {:.1} ms, fmt {:.1} ms",
        best[0], best[1], best[2]
    );
}
