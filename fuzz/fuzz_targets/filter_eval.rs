//! A fuzzed frame under a filter from a fixed list: the first byte picks the filter,
//! the next two the link type (see `link_type_of`), the rest is the frame.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&[choice, a, b], frame)) = data.split_first_chunk::<3>() else {
        return;
    };
    synack_fuzz::filter::eval(choice, synack_fuzz::link_type_of([a, b]), frame);
});
