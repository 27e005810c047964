//! One frame of any link type: the first two bytes pick it (see `link_type_of`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((pick, frame)) = data.split_first_chunk::<2>() else {
        return;
    };
    synack_fuzz::dissect_frame(synack_fuzz::link_type_of(*pick), frame);
});
