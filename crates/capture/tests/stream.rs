//! The streamed pcapng reads back through the engine exactly as written, and a write
//! that fails part-way leaves a file that is readable up to its last whole block.

use synack_capture::pcapng_stream::{LiveInterface, PcapNgStream};
use synack_engine::capture::Capture;

fn iface(name: &str) -> LiveInterface {
    LiveInterface {
        name: name.into(),
        link_type: 1,
        snaplen: 262_144,
        filter: "tcp".into(),
    }
}

#[test]
fn a_streamed_capture_of_two_interfaces_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("live.pcapng");
    let file = std::fs::File::create(&path).unwrap();
    let mut stream = PcapNgStream::new(file, &[iface("lo"), iface("eth0")]);
    stream.packet(0, 1_700_000_000_123_456, 60, &[0xAB; 42]);
    stream.packet(1, 1_700_000_001_000_000, 5, &[1, 2, 3, 4, 5]);
    stream.statistics(0, 1_700_000_002_000_000, 2, 0, 0);
    stream.statistics(1, 1_700_000_002_000_000, 1, 0, 0);
    stream.flush().unwrap();
    assert_eq!(stream.committed().packets, 2);
    assert_eq!(
        stream.committed().bytes,
        std::fs::metadata(&path).unwrap().len()
    );
    let capture = Capture::open(&path).unwrap();
    assert_eq!(capture.len(), 2);
    assert!(capture.damage().is_none());
    let (record, data) = capture.packet(0).unwrap();
    assert_eq!({ record.ts_nanos }, 1_700_000_000_123_456_000);
    assert_eq!((record.orig_len, data.len()), (60, 42));
    assert_eq!(capture.packet(1).unwrap().1, &[1, 2, 3, 4, 5]);
    let names: Vec<_> = capture
        .interfaces()
        .iter()
        .map(|i| i.name.clone())
        .collect();
    assert_eq!(names, [Some("lo".into()), Some("eth0".into())]);
}

/// A writer that takes `room` bytes, then fails as a full disk does.
struct Full {
    written: Vec<u8>,
    room: usize,
}

impl std::io::Write for Full {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = buf.len().min(self.room - self.written.len());
        if n == 0 {
            return Err(std::io::ErrorKind::StorageFull.into());
        }
        self.written.extend_from_slice(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_full_disk_keeps_the_whole_blocks_written_before() {
    let mut stream = PcapNgStream::new(
        Full {
            written: Vec::new(),
            room: 0,
        },
        &[iface("lo")],
    );
    // Room for the headers and a packet and a half.
    let mut probe = PcapNgStream::new(Vec::new(), &[iface("lo")]);
    probe.flush().unwrap();
    let header = probe.committed().bytes as usize;
    stream.get_mut().room = header + 64 + 32;
    for n in 0..3u8 {
        stream.packet(0, 1_700_000_000_000_000, 32, &[n; 32]);
    }
    let error = stream.flush().unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::StorageFull);
    // Each packet block is 32 + 32 bytes: one fits whole.
    assert_eq!(stream.committed().packets, 1);
    assert_eq!(stream.committed().bytes as usize, header + 64);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cut.pcapng");
    let written = &stream.get_mut().written;
    std::fs::write(&path, &written[..header + 64]).unwrap();
    let capture = Capture::open(&path).unwrap();
    assert_eq!(capture.len(), 1);
    assert!(capture.damage().is_none());
}
