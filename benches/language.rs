//! Parse and check speed of large compacts (`cargo bench --bench language`).
//!
//! The target from the language issue: parse+check of a 1,000-clause compact in under 20 ms.
//! The compact is generated with every kind of rule the language has, so no kind is left out
//! of the measurement.

fn main() {
    divan::main();
}

include!("support/compact_gen.rs");

/// The same allocator as the binary (src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[divan::bench(args = [100, 1000])]
fn parse_and_check(bencher: divan::Bencher, clauses: usize) {
    let text = large_compact(clauses);
    bencher.bench(|| {
        let compiled = xiangyue::compile::compile(divan::black_box(&text));
        assert!(!compiled.has_errors());
        compiled
    });
}

#[divan::bench(args = [1000])]
fn parse_only(bencher: divan::Bencher, clauses: usize) {
    let text = large_compact(clauses);
    bencher.bench(|| xiangyue::syntax::parse(divan::black_box(&text)).is_ok());
}

#[divan::bench(args = [1000])]
fn format(bencher: divan::Bencher, clauses: usize) {
    let text = large_compact(clauses);
    bencher.bench(|| xiangyue::fmt::format_source(divan::black_box(&text)).is_ok());
}
