//! Damaged captures made on purpose: cut at every byte, lying record and block
//! lengths, gzip that ends early, random bytes. None may panic or hang; the packets
//! before the damage are listed and the damage is reported with its offset.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;
use std::io::Write;
use synack::capture::Capture;

/// Offsets where each pcap record starts (24-byte header, 16-byte record headers).
fn pcap_record_starts(bytes: &[u8]) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut pos = 24;
    while pos + 16 <= bytes.len() {
        starts.push(pos);
        let caplen = u32::from_le_bytes(bytes[pos + 8..pos + 12].try_into().unwrap()) as usize;
        pos += 16 + caplen;
    }
    starts.push(pos);
    starts
}

#[test]
fn pcap_cut_at_every_byte_keeps_the_packets_before() {
    let bytes = std::fs::read(capture("tcp_clean_close.pcap")).unwrap();
    let starts = pcap_record_starts(&bytes);
    for cut in 0..bytes.len() {
        let file = write_temp(&bytes[..cut], ".pcap");
        let result = Capture::open(file.path());
        if cut < 24 {
            assert!(result.is_err(), "a {cut}-byte file has no pcap header");
            continue;
        }
        let cap = result.unwrap();
        let complete = starts.iter().filter(|s| **s <= cut).count() - 1;
        assert_eq!(cap.len(), complete, "cut at {cut}");
        let at_boundary = starts.contains(&cut);
        match cap.damage() {
            None => assert!(at_boundary, "cut at {cut} must be reported"),
            Some(d) => {
                assert!(!at_boundary, "cut at record boundary {cut} is not damage");
                assert_eq!(
                    d.offset as usize, starts[complete],
                    "offset of the broken record"
                );
                assert!(d.what.contains("cut short"), "{}", d.what);
            }
        }
    }
}

#[test]
fn lying_pcap_record_lengths_are_reported_not_allocated() {
    let bytes = std::fs::read(capture("tcp_clean_close.pcap")).unwrap();
    let starts = pcap_record_starts(&bytes);
    for (i, start) in starts.iter().take(starts.len() - 1).enumerate() {
        for lie in [u32::MAX, 262_145, 0x8000_0000, (bytes.len() as u32) * 2] {
            let mut damaged = bytes.clone();
            damaged[start + 8..start + 12].copy_from_slice(&lie.to_le_bytes());
            let file = write_temp(&damaged, ".pcap");
            let cap = Capture::open(file.path()).unwrap();
            assert_eq!(cap.len(), i, "record {i} lies with {lie}");
            let damage = cap.damage().expect("damage reported");
            assert_eq!(damage.offset as usize, *start);
        }
    }
}

#[test]
fn lying_pcapng_block_lengths_are_reported() {
    let bytes = std::fs::read(capture("multi_iface.pcapng")).unwrap();
    // Walk the blocks.
    let mut blocks = Vec::new();
    let mut pos = 0;
    while pos + 12 <= bytes.len() {
        let len = u32::from_le_bytes(bytes[pos + 4..pos + 8].try_into().unwrap()) as usize;
        blocks.push(pos);
        pos += len;
    }
    let good = Capture::open(&capture("multi_iface.pcapng")).unwrap().len();
    for start in blocks {
        for lie in [0u32, 7, 13, 0xFFFF_FFF0, 1 << 30] {
            let mut damaged = bytes.clone();
            damaged[start + 4..start + 8].copy_from_slice(&lie.to_le_bytes());
            let file = write_temp(&damaged, ".pcapng");
            match Capture::open(file.path()) {
                Ok(cap) => {
                    assert!(cap.len() <= good);
                    assert!(cap.damage().is_some(), "block at {start} lying {lie}");
                }
                Err(e) => assert!(
                    start == 0,
                    "only a broken first block refuses the file: {e}"
                ),
            }
        }
    }
}

/// Offsets where each pcapng block starts, and the end.
fn pcapng_block_starts(bytes: &[u8]) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut pos = 0;
    while pos + 12 <= bytes.len() {
        starts.push(pos);
        pos += u32::from_le_bytes(bytes[pos + 4..pos + 8].try_into().unwrap()) as usize;
    }
    starts.push(pos);
    starts
}

#[test]
fn pcapng_cut_at_every_byte_keeps_the_packets_before() {
    for name in ["multi_iface.pcapng", "tcp_ipv6.pcapng"] {
        let bytes = std::fs::read(capture(name)).unwrap();
        let starts = pcapng_block_starts(&bytes);
        let whole = Capture::open(&capture(name)).unwrap();
        // Packets whose blocks end at or before each block start.
        let packets_before = |cut: usize| {
            whole
                .index()
                .packets
                .iter()
                .filter(|r| {
                    (r.data_offset() as usize) < cut
                        && starts
                            .iter()
                            .any(|s| *s <= cut && *s > r.data_offset() as usize)
                })
                .count()
        };
        for cut in 0..bytes.len() {
            let file = write_temp(&bytes[..cut], ".pcapng");
            let Ok(cap) = Capture::open(file.path()) else {
                // Only a file without a whole section header block is refused.
                assert!(cut < 28, "{name} cut at {cut} refused");
                continue;
            };
            assert_eq!(cap.len(), packets_before(cut), "{name} cut at {cut}");
            let at_boundary = starts.contains(&cut);
            assert_eq!(
                cap.damage().is_some(),
                !at_boundary,
                "{name} cut at {cut}: {:?}",
                cap.damage()
            );
            if let Some(damage) = cap.damage() {
                let block = starts.iter().rev().find(|s| **s <= cut).copied().unwrap();
                assert_eq!(damage.offset as usize, block, "{name} cut at {cut}");
            }
        }
    }
}

#[test]
fn a_four_gib_record_length_is_an_error_through_the_whole_load() {
    // The first record claims 4 GiB - 1 bytes: the loader must report it, not
    // allocate or read past the file, and every command must say so.
    let mut bytes = std::fs::read(capture("tcp_clean_close.pcap")).unwrap();
    bytes[24 + 8..24 + 12].copy_from_slice(&u32::MAX.to_le_bytes());
    bytes[24 + 12..24 + 16].copy_from_slice(&u32::MAX.to_le_bytes());
    let file = write_temp(&bytes, ".pcap");
    let path = file.path().to_str().unwrap();
    let loaded = synack::tcp::Loaded::open(file.path()).unwrap();
    assert_eq!(loaded.len(), 0);
    assert_eq!(loaded.capture.damage().map(|d| d.offset), Some(24));
    for args in [
        vec!["dump", "-r", path],
        vec!["stats", "-r", path],
        vec!["flow", "-r", path],
    ] {
        let out = synack(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains("at byte 24"), "{args:?}: {stderr}");
    }
}

#[test]
fn gzip_that_ends_early_keeps_what_inflated() {
    let bytes = std::fs::read(capture("tcp_many_streams.pcap")).unwrap();
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&bytes).unwrap();
    let gz = encoder.finish().unwrap();
    let full = write_temp(&gz, ".gz");
    let whole = Capture::open(full.path()).unwrap();
    assert!(whole.damage().is_none());
    let total = whole.len();
    assert!(total > 100);
    for cut in [gz.len() / 4, gz.len() / 2, gz.len() - 10] {
        let file = write_temp(&gz[..cut], ".pcap");
        let cap = Capture::open(file.path()).unwrap();
        assert!(cap.len() < total, "cut at {cut}");
        assert!(
            cap.damage().is_some(),
            "a truncated gzip stream must be reported"
        );
    }
}

#[test]
fn random_bytes_never_panic() {
    // A small deterministic generator: the same bytes on every run.
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let magics: [&[u8]; 4] = [
        &[
            0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0,
            0,
        ],
        &[0x0a, 0x0d, 0x0d, 0x0a],
        &[0x1f, 0x8b],
        &[],
    ];
    for round in 0..400 {
        let magic = magics[round % magics.len()];
        let len = (next() % 4096) as usize;
        let mut bytes = magic.to_vec();
        bytes.extend((0..len).map(|_| next() as u8));
        let file = write_temp(&bytes, ".bin");
        let path = file.path().to_str().unwrap().to_string();
        // Through the binary, so the whole dump path runs.
        let out = synack(&["dump", "-r", &path, "-V"]);
        assert!(
            out.status.code().is_some(),
            "round {round}: killed by a signal"
        );
        assert!(
            out.status.code() != Some(101),
            "round {round}: panicked: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn damage_message_names_file_offset_and_problem() {
    let bytes = std::fs::read(capture("tcp_clean_close.pcap")).unwrap();
    let file = write_temp(&bytes[..bytes.len() - 5], ".pcap");
    let path = file.path().to_str().unwrap();
    let out = synack(&["dump", "-r", path]);
    assert!(
        out.status.success(),
        "packets were read, so the status is 0"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        stdout.lines().count(),
        18,
        "the 18 packets before the damage are listed"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(path), "{stderr}");
    let broken = pcap_record_starts(&bytes)[18];
    assert!(stderr.contains(&format!("at byte {broken}")), "{stderr}");
    assert!(stderr.contains("cut short"), "{stderr}");

    let text = write_temp(b"this is not a capture, just text\n", ".pcap");
    let out = synack(&["dump", "-r", text.path().to_str().unwrap()]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not a capture file"), "{stderr}");
}
