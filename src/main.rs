//! The `xiangyue` binary: see `xiangyue --help`.

/// mimalloc: parsing and evaluation allocate many small values; it is measurably faster than the
/// system allocator here (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    xiangyue::cli::run()
}
