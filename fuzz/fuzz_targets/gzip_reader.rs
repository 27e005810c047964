//! A gzip-compressed capture: written to a file, inflated by `CaptureSource::open`,
//! scanned, loaded and dissected.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let file = synack_fuzz::temp_file(data);
    synack_fuzz::open_and_dissect(file.path());
});
