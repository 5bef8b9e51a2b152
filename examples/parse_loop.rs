// Parses the benchmark compact many times (for profiling the parser).
include!("../benches/support/compact_gen.rs");
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let text = large_compact(1000);
    let mut n = 0;
    for _ in 0..40 {
        n += usize::from(xiangyue::syntax::parse(&text).is_ok());
    }
    println!("{n}");
}
