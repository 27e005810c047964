//! `dump -Y FILTER -w FILE` evaluates the filter during the load
//! (`Loaded::open_matching`): the packets it keeps, and the load itself, must be
//! exactly those of a plain load followed by `Loaded::matching`, on one thread and on
//! two, for filters the load can answer and for those it hands back to a second pass;
//! an export written during the load receives exactly those packets, in order.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;
use std::path::Path;
use synack::capture::writer::PacketRef;
use synack::filter::Filter;
use synack::prefs::Prefs;
use synack::tcp::{Loaded, answers_in_passing};

/// tshark-diff.py's filters, and some the load cannot answer in passing.
const FILTERS: &[&str] = &[
    "tcp",
    "udp",
    "arp or icmp or icmpv6",
    "dns",
    "http",
    "tls",
    "not ip",
    "tcp.flags.syn == 1 || tcp.analysis.retransmission",
    "tcp.flags & 0x12 == 0x12",
    "tcp.analysis.fast_retransmission or tcp.analysis.duplicate_ack",
    "tcp.analysis.zero_window or tcp.analysis.window_full or tcp.analysis.keep_alive",
    "tcp.analysis.out_of_order or tcp.analysis.lost_segment or tcp.analysis.ack_lost_segment",
    "tcp.analysis.flags",
    "tcp.analysis.acks_frame > 0 and tcp.analysis.bytes_in_flight > 100",
    "tcp.analysis.initial_rtt or tcp.time_delta > 0.01",
    "tcp.len > 0 and tcp.seq == 1",
    "tcp.completeness == 31",
    "tcp.port == 53 || udp.port == 53",
    "ip.src == 10.10.0.0/24 and ip.ttl == 64",
    "ipv6.addr == fd00::2",
    "frame.len > 1000 or frame.time_relative < 0.001",
    "frame.cap_len < frame.len",
    "tcp.payload contains \"GET\"",
    "http.request.method == \"GET\" or http.response.code == 404",
    "dns.response_to or icmp.resp_to or icmp.resptime > 0",
    "dns.flags.rcode != 0 or dns.flags.response == 0",
    "tls.handshake.type == 1",
    "_ws.expert.message contains \"Retransmission\"",
    "ip.src#2 or vlan",
    // Read only after the load: handed to a second pass (or, for stream numbers,
    // answered in passing on one thread only).
    "tcp.stream == 2",
    "udp.stream == 1 or udp.time_delta > 0.5",
    "tcp.analysis.ack_rtt > 0.0001",
    "tcp.analysis.rto",
    "synack.step",
];

/// Checks every filter on `path`; returns how many of them were written during the load.
fn check(path: &Path, filters: &[Filter], parallel: bool) -> usize {
    let mut streams = 0;
    let plain = if parallel {
        Loaded::open(path)
    } else {
        Loaded::open_sequential(path)
    };
    let Ok(plain) = plain else {
        for filter in filters {
            assert!(
                Loaded::open_matching_on(path, filter, parallel, Prefs::default(), None).is_err()
            );
        }
        return 0;
    };
    for (filter, text) in filters.iter().zip(FILTERS) {
        let what = format!("{} ({text}, parallel: {parallel})", path.display());
        // What an export written during the load receives: each kept packet's place
        // in the file, in order.
        let mut taken = Vec::new();
        let mut take = |packet: PacketRef<'_>| taken.push(packet.record.data_offset());
        let (loaded, kept, streamed) =
            Loaded::open_matching_on(path, filter, parallel, Prefs::default(), Some(&mut take))
                .unwrap();
        assert_same_loaded(&what, &plain, &loaded);
        assert_eq!(kept, plain.matching(filter, 0..plain.len()), "{what}");
        if streamed {
            streams += 1;
            let offsets: Vec<u64> = kept
                .iter()
                .filter_map(|i| loaded.capture.record(*i as usize))
                .map(|r| r.data_offset())
                .collect();
            assert_eq!(taken, offsets, "{what}: the packets taken during the load");
        }
    }
    streams
}

fn filters() -> Vec<Filter> {
    FILTERS
        .iter()
        .map(|f| Filter::compile(f).unwrap())
        .collect()
}

#[test]
fn every_test_capture_keeps_the_same_packets_when_the_load_filters() {
    let filters = filters();
    let mut streams = 0;
    for path in captures() {
        streams += check(&path, &filters, true);
        assert_eq!(
            check(&path, &filters, false),
            0,
            "one thread writes after the load"
        );
    }
    assert!(streams > 0, "no export was written during a load");
}

#[test]
fn the_tcpdump_corpus_keeps_the_same_packets_when_the_load_filters() {
    let filters = filters();
    let mut files: Vec<_> = std::fs::read_dir(root().join("tests/corpus/tcpdump"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for path in &files {
        check(path, &filters, true);
    }
}

#[test]
fn only_what_the_load_knows_is_answered_in_passing() {
    let answers = |f: &str| {
        let f = Filter::compile(f).unwrap();
        (answers_in_passing(&f, false), answers_in_passing(&f, true))
    };
    assert_eq!(answers("tcp.analysis.retransmission"), (true, true));
    assert_eq!(answers("tcp.stream == 2"), (true, false));
    assert_eq!(answers("udp.stream == 2"), (true, false));
    assert_eq!(answers("tcp.analysis.ack_rtt > 0"), (false, false));
    assert_eq!(answers("synack.step == \"handshake 1\""), (false, false));
}
