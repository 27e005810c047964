//! A pcapng file: scanned in memory, then opened, loaded and dissected as the app does.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    synack_fuzz::scan(data);
    let file = synack_fuzz::temp_file(data);
    synack_fuzz::open_and_dissect(file.path());
});
