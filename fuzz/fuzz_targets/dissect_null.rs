//! One BSD loopback frame, dissected as NULL (host byte order) and as LOOP (network order).
#![no_main]

use libfuzzer_sys::fuzz_target;
use synack_engine::capture::LinkType;

fuzz_target!(|data: &[u8]| {
    synack_fuzz::dissect_frame(LinkType::NULL, data);
    synack_fuzz::dissect_frame(LinkType::LOOP, data);
});
