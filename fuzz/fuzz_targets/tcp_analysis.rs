//! Many Ethernet/IPv4/TCP frames of one shape with fuzzed header fields (see
//! `synack_fuzz::tcp_shape`): the load pass and the TCP analysis over all of them, then
//! every packet dissected again with the recorded analysis, a full tree and labels, and
//! every stream's flow graph and followed payload. Stateful bugs live here.
#![no_main]

use libfuzzer_sys::fuzz_target;
use synack_engine::tcp::Loaded;

fuzz_target!(|data: &[u8]| {
    let Some(pcap) = synack_fuzz::tcp_shape::pcap_file(data) else {
        return;
    };
    let file = synack_fuzz::temp_file(&pcap);
    let loaded = match Loaded::open(file.path()) {
        Ok(loaded) => loaded,
        Err(error) => panic!("the harness wrote a capture synack cannot open: {error}"),
    };
    assert!(
        loaded.capture.damage().is_none(),
        "the harness wrote a damaged capture"
    );
    synack_fuzz::dissect_loaded(&loaded, usize::MAX);
});
