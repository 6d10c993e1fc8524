//! Fuzz target `numbers`: see `cchc_fuzz::numbers` for what it feeds and which invariants it checks.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    cchc_fuzz::numbers(data);
});
