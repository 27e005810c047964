//! The load pass on two threads (`Loaded::open_parallel`) must give exactly what one
//! pass gives (`Loaded::open_sequential`): the index with its stream numbers, every
//! packet's analysis record, the streams, the side tables and the counts.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;
use std::io::Write;
use std::path::Path;
use synack::tcp::Loaded;

/// Everything a load produces, as comparable text and values. Returns false when the
/// capture could not be split (and was not compared).
fn assert_same_load(path: &Path) -> bool {
    let one = Loaded::open_sequential(path);
    let two = Loaded::open_parallel(path);
    let (one, two) = match (one, two) {
        (Ok(_), Ok(None)) => return false,
        (Ok(a), Ok(Some(b))) => (a, b),
        (Err(a), Err(b)) => {
            assert_eq!(a.to_string(), b.to_string(), "{}", path.display());
            return true;
        }
        (a, b) => panic!("{}: {:?} vs {:?}", path.display(), a.err(), b.err()),
    };
    assert_same_loaded(&path.display().to_string(), &one, &two);
    true
}

#[test]
fn every_test_capture_loads_the_same_on_two_threads() {
    for path in captures() {
        assert!(assert_same_load(&path), "{} was not split", path.display());
    }
}

#[test]
fn the_tcpdump_corpus_loads_the_same_on_two_threads() {
    let dir = root().join("tests/corpus/tcpdump");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    let mut unsplit = Vec::new();
    for path in &files {
        if !assert_same_load(path) {
            unsplit.push(name(path));
        }
    }
    // Tunnels and ICMP errors quoting other connections cannot be split; they are
    // few, and loaded on one thread.
    assert!(unsplit.len() * 10 < files.len(), "not split: {unsplit:?}");
    eprintln!(
        "{} of {} corpus files not split: {unsplit:?}",
        unsplit.len(),
        files.len()
    );
}

/// A little-endian microsecond Ethernet pcap's records: (timestamp µs, orig len, bytes).
fn records_of(path: &Path) -> Vec<(u64, u32, Vec<u8>)> {
    let data = std::fs::read(path).unwrap();
    assert_eq!(&data[..4], &[0xd4, 0xc3, 0xb2, 0xa1], "{}", path.display());
    let mut out = Vec::new();
    let mut at = 24;
    while at + 16 <= data.len() {
        let word = |o: usize| u32::from_le_bytes(data[at + o..at + o + 4].try_into().unwrap());
        let (secs, micros, incl, orig) = (word(0), word(4), word(8) as usize, word(12));
        let bytes = data[at + 16..at + 16 + incl].to_vec();
        out.push((u64::from(secs) * 1_000_000 + u64::from(micros), orig, bytes));
        at += 16 + incl;
    }
    out
}

/// Gives a copy of a conversation its own hosts: the second octet of every IPv4
/// address of an Ethernet/IPv4 frame becomes `replica` (checksums are not verified).
fn readdress(frame: &mut [u8], replica: u8) {
    if frame.len() >= 34 && frame[12..14] == [0x08, 0x00] {
        frame[14 + 12 + 1] = replica;
        frame[14 + 16 + 1] = replica;
    }
}

#[test]
fn many_hosts_split_across_threads_load_the_same() {
    // Several real conversations, each replicated between other hosts and interleaved
    // in time, so that both partitions get packets of many streams in every order.
    let sources = [
        "tcp_clean_close.pcap",
        "http_keepalive.pcap",
        "tcp_many_streams.pcap",
        "tcp_half_close.pcap",
        "tcp_abort_rst.pcap",
        "tcp_simultaneous_close.pcap",
        "dns_udp.pcap",
        "icmp_arp_ping.pcap",
        "gen1.pcap",
        "gen3.pcap",
    ];
    let mut all = Vec::new();
    for (i, name) in sources.iter().enumerate() {
        let records = records_of(&capture(name));
        let start = records.first().map_or(0, |r| r.0);
        for replica in 0..6u8 {
            let shift = u64::from(replica) * 1_337 + i as u64 * 71;
            for (ts, orig, bytes) in &records {
                let mut bytes = bytes.clone();
                readdress(&mut bytes, replica.wrapping_mul(37).wrapping_add(i as u8));
                all.push((ts - start + 1_700_000_000_000_000 + shift, *orig, bytes));
            }
        }
    }
    all.sort_by_key(|r| r.0);
    let mut file = tempfile::Builder::new().suffix(".pcap").tempfile().unwrap();
    let mut out = Vec::new();
    out.extend_from_slice(&[0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0]);
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&262_144u32.to_le_bytes());
    out.extend_from_slice(&1u32.to_le_bytes());
    for (ts, orig, bytes) in &all {
        out.extend_from_slice(&((ts / 1_000_000) as u32).to_le_bytes());
        out.extend_from_slice(&((ts % 1_000_000) as u32).to_le_bytes());
        out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        out.extend_from_slice(&orig.to_le_bytes());
        out.extend_from_slice(bytes);
    }
    file.write_all(&out).unwrap();
    file.flush().unwrap();
    assert!(assert_same_load(file.path()), "the replicas were not split");
    let loaded = Loaded::open_sequential(file.path()).unwrap();
    assert!(
        loaded.tcp.streams.len() > 40,
        "{}",
        loaded.tcp.streams.len()
    );
    // Both partitions had work (this is the test of the merge).
    let mut seen = [false; 2];
    for record in loaded.capture.index().packets.iter() {
        let bytes = loaded.capture.bytes_of(&record);
        let p =
            synack::dissect::route::partition_of_packet(synack::capture::LinkType::ETHERNET, bytes);
        seen[usize::from(p)] = true;
    }
    assert_eq!(seen, [true, true]);
}
