//! The streamed pcapng reads back through the engine exactly as written.

use synack_capture::pcapng_stream::{LiveInterface, PcapNgStream};
use synack_engine::capture::Capture;

#[test]
fn a_streamed_capture_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("live.pcapng");
    let file = std::fs::File::create(&path).unwrap();
    let iface = LiveInterface {
        name: "lo".into(),
        link_type: 1,
        snaplen: 262_144,
        filter: "tcp".into(),
    };
    let mut stream = PcapNgStream::new(std::io::BufWriter::new(file), &iface).unwrap();
    stream
        .packet(1_700_000_000_123_456, 60, &[0xAB; 42])
        .unwrap();
    stream
        .packet(1_700_000_001_000_000, 5, &[1, 2, 3, 4, 5])
        .unwrap();
    stream.statistics(1_700_000_002_000_000, 2, 0, 0).unwrap();
    stream.flush().unwrap();
    let capture = Capture::open(&path).unwrap();
    assert_eq!(capture.len(), 2);
    assert!(capture.damage().is_none());
    let (record, data) = capture.packet(0).unwrap();
    assert_eq!({ record.ts_nanos }, 1_700_000_000_123_456_000);
    assert_eq!((record.orig_len, data.len()), (60, 42));
    assert_eq!(capture.packet(1).unwrap().1, &[1, 2, 3, 4, 5]);
    assert_eq!(capture.interfaces()[0].name.as_deref(), Some("lo"));
}
