//! The filter targets' harness, kept apart and small because the filter language is
//! being rewritten: it needs only `Filter::compile`, `fields` and `matches`.

use crate::tcp_shape::{self, Segment};
use std::sync::OnceLock;
use synack_engine::capture::LinkType;
use synack_engine::dissect::{Dissection, PacketContext, Want, dissect_packet};
use synack_engine::filter::Filter;

/// Filters `filter_eval` picks from (tshark-diff's list and the examples of
/// docs/tshark-semantics.md section 6). Those the current language rejects are skipped.
pub const FILTERS: &[&str] = &[
    "tcp",
    "udp",
    "arp",
    "icmp",
    "icmpv6",
    "dns",
    "http",
    "tls",
    "ipv6",
    "vlan",
    "eth",
    "ip",
    "sll",
    "frame",
    "data",
    "tcp.payload",
    "tcp.analysis",
    "tcp.analysis.flags",
    "tcp.analysis.retransmission",
    "tcp.analysis.duplicate_ack",
    "http.request",
    "dns.qry.name",
    "tls.handshake.extensions_server_name",
    "synack.step",
    "_ws.malformed",
    "!arp",
    "not ip",
    "tcp.flags.syn == 1 && tcp.flags.ack == 0",
    "tcp.flags & 0x12 == 0x12",
    "tcp.flags.push == 1 or tcp.flags.urg == 1",
    "tcp.stream == 0",
    "tcp.len >= 1000",
    "tcp.port == 53 || udp.port == 53",
    "ip.src == 10.10.0.0/24",
    "ip.dst != 10.10.0.2",
    "ipv6.addr == fd00::2",
    "eth.dst == ff:ff:ff:ff:ff:ff",
    "frame.cap_len < frame.len",
    "tcp.payload contains \"GET\"",
    "http.request.method == \"GET\"",
    "dns.qry.name contains \"example\"",
    "dns.flags.rcode != 0",
    "tls.handshake.extensions_server_name contains \"example\"",
    "(tcp.srcport > 1024 && tcp.dstport > 1024) || udp",
    "!(tcp.flags.ack == 1)",
    "ip.addr === 10.10.0.1",
    "ip.addr !== 10.10.0.1",
    "ip.dst not in {10.10.0.2}",
    "http.request.method matches \"^g\"",
    "tcp.payload[3:1] == 20",
    "tcp.seq + 1 == 2",
    "max(tcp.srcport, tcp.dstport) == 10805",
    "count(tcp.option_kind) == 3",
    "len(tcp.payload) == 18",
    "frame.len in {60..70, 84}",
    "ip.src#1 == 10.10.0.1",
    "eth.dst == 468a.8972.3fd1",
    "frame contains \"GET\"",
    "eth contains 47:45:54",
    "tcp.payload[-1] == 0a",
    "upper(http.host) contains \"EXAMPLE\"",
];

fn compiled() -> &'static [Filter] {
    static COMPILED: OnceLock<Vec<Filter>> = OnceLock::new();
    COMPILED.get_or_init(|| {
        FILTERS
            .iter()
            .filter_map(|text| Filter::compile(text).ok())
            .collect()
    })
}

/// Runs `filter` on `frame` twice, keeping only the fields it reads (as `dump -Y`
/// does) and keeping everything with labels (as the GUI does with the detail pane
/// open): the answers must agree.
fn run(filter: &Filter, link: LinkType, frame: &[u8]) {
    let iface = crate::interface(link);
    let rec = crate::record(frame.len(), u32::try_from(frame.len()).unwrap_or(u32::MAX));
    let ctx = PacketContext::alone(1, rec, &iface);
    let mut narrow = Dissection::new(Want::Fields(filter.fields()), false, false);
    dissect_packet(&mut narrow, &ctx, frame);
    let mut full = Dissection::new(Want::All, true, true);
    dissect_packet(&mut full, &ctx, frame);
    let mut printer = synack_engine::export::text::tcpdump::Printer::new(false, false);
    crate::exercise(&full, 1, &rec, frame, rec.ts_nanos, &mut printer);
    assert_eq!(
        filter.matches(&narrow, frame),
        filter.matches(&full, frame),
        "the filter's answer depends on which fields were kept: {filter:?}"
    );
}

/// `filter_eval`: filter number `choice` of the compiled list on a fuzzed frame.
pub fn eval(choice: u8, link: LinkType, frame: &[u8]) {
    let filters = compiled();
    let Some(filter) = filters.get(usize::from(choice) % filters.len().max(1)) else {
        return;
    };
    run(filter, link, frame);
}

/// An HTTP request over Ethernet/IPv4/TCP, for filters to run on.
fn http_frame() -> &'static [u8] {
    static FRAME: OnceLock<Vec<u8>> = OnceLock::new();
    FRAME.get_or_init(|| {
        let segment = Segment {
            seq: 1000,
            ack: 2000,
            off_flags: 0x5018,
            window: 502,
            payload: b"GET / HTTP/1.1\r\nHost: example.test\r\n\r\n".to_vec(),
            ..Segment::default()
        };
        tcp_shape::frame(&segment, &[(40000, 80); 4], 1)
    })
}

/// `filter_parse`: compiles `text`; when it compiles, runs it on an HTTP request.
pub fn parse_and_run(text: &str) {
    match Filter::compile(text) {
        Ok(filter) => run(&filter, LinkType::ETHERNET, http_frame()),
        Err(error) => {
            assert!(
                error.position <= text.len(),
                "error position {} past the end of {text:?}",
                error.position
            );
            std::hint::black_box(error.to_string());
        }
    }
}
