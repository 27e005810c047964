//! One Linux cooked capture v1 frame (link type 113), dissected in full.
#![no_main]

use libfuzzer_sys::fuzz_target;
use synack_engine::capture::LinkType;

fuzz_target!(|data: &[u8]| {
    synack_fuzz::dissect_frame(LinkType::LINUX_SLL, data);
});
