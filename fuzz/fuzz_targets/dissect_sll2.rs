//! One Linux cooked capture v2 frame (link type 276), dissected in full.
#![no_main]

use libfuzzer_sys::fuzz_target;
use synack_engine::capture::LinkType;

fuzz_target!(|data: &[u8]| {
    synack_fuzz::dissect_frame(LinkType::LINUX_SLL2, data);
});
