//! The fuzz targets' bodies live in `harness.rs`, which `tests/fuzz_props.rs` of the main crate
//! also includes, so that the short property tests run exactly what the fuzzers run.

#[path = "harness.rs"]
mod harness;

pub use harness::*;
