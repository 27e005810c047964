//! One Ethernet frame (link type 1), dissected with every field, labels and columns.
#![no_main]

use libfuzzer_sys::fuzz_target;
use synack_engine::capture::LinkType;

fuzz_target!(|data: &[u8]| {
    synack_fuzz::dissect_frame(LinkType::ETHERNET, data);
});
