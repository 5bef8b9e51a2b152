#![no_main]
//! See docs/fuzzing.md and the function's comment in src/harness.rs.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    xiangyue_fuzz::diff_mutation(data);
});
