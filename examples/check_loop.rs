// Checks the benchmark compact many times (for profiling the checker).
include!("../benches/support/compact_gen.rs");
fn main() {
    let text = large_compact(1000);
    let Ok(ast) = xiangyue::syntax::parse(&text) else {
        return;
    };
    let mut best = f64::MAX;
    for _ in 0..50 {
        let t = std::time::Instant::now();
        let checked = xiangyue::check::check(&ast);
        best = best.min(t.elapsed().as_secs_f64() * 1000.0);
        drop(checked);
    }
    println!("check {best:.2} ms");
}
