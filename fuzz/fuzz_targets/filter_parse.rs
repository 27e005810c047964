//! A display filter's text: compiled, and when it compiles, run on one TCP frame.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    synack_fuzz::filter::parse_and_run(text);
});
