// Writes the benchmark's 1,000-clause compact to stdout (for profiling).
include!("../benches/support/compact_gen.rs");
fn main() {
    print!("{}", large_compact(1000));
}
