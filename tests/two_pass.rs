//! `synack dump -2` shows what tshark's second pass shows: links to later frames
//! (`dns.response_in`, `icmp.resp_in` and "(reply in N)", `http.response_in` and the
//! next messages, `tcp.reassembled_in`, `ip.reassembled_in` and "[Reassembled in #N]"),
//! each conversation's final completeness and negotiated TLS version on every packet,
//! and a segment that starts a reassembled HTTP message keeping TCP's own Info.
//! Expected output: `TZ=UTC tshark -2 -r CAP` and `-T fields` with
//! tests/expected/two_pass/fields.txt.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;

const CAPTURES: &[&str] = &[
    "dns_udp.pcap",
    "http_keepalive.pcap",
    "http_post.pcap",
    "http_media.pcap",
    "icmp_arp_ping.pcap",
    "ip_fragments.pcap",
    "ip_fragments_odd.pcap",
    "tcp_abort_rst.pcap",
    "tls_sni.pcapng",
];

fn stem(name: &str) -> &str {
    name.split('.').next().unwrap_or(name)
}

#[test]
fn summaries_equal_tshark_two_pass() {
    for name in CAPTURES {
        let file = capture(name);
        let got = synack_ok(&["dump", "-2", "-r", file.to_str().unwrap()]);
        let want = expected(&format!("two_pass/{}.summary", stem(name)));
        assert_same_lines(name, &want, &got);
    }
}

#[test]
fn forward_links_equal_tshark_two_pass() {
    let fields = expected("two_pass/fields.txt");
    for name in CAPTURES {
        let file = capture(name);
        let mut args = vec!["dump", "-2", "-r", file.to_str().unwrap(), "-T", "fields"];
        for f in fields.split_whitespace() {
            args.extend(["-e", f]);
        }
        let got = synack_ok(&args);
        let want = expected(&format!("two_pass/{}.fields", stem(name)));
        assert_same_lines(name, &want, &got);
    }
}

#[test]
fn a_single_pass_knows_no_later_frame() {
    let file = capture("icmp_arp_ping.pcap");
    let got = synack_ok(&[
        "dump",
        "-r",
        file.to_str().unwrap(),
        "-T",
        "fields",
        "-e",
        "icmp.resp_in",
        "-e",
        "dns.response_in",
    ]);
    assert!(got.lines().all(|l| l.trim().is_empty()), "{got}");
}

#[test]
fn a_read_filter_needs_two_passes() {
    let file = capture("dns_udp.pcap");
    let out = synack(&["dump", "-r", file.to_str().unwrap(), "-R", "dns"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("-R without -2 is deprecated"));
    // With -2 it runs in the first pass, as tshark's: a link to a later frame is not
    // known yet, so `dns.response_in` keeps nothing.
    let got = synack_ok(&[
        "dump",
        "-2",
        "-r",
        file.to_str().unwrap(),
        "-R",
        "dns.response_in",
        "-T",
        "fields",
        "-e",
        "dns.response_in",
    ]);
    assert_eq!(got, "");
    // The queries it keeps are numbered 1 to 4, and each answer carries the number
    // tshark's first pass gave it (one more than the queries kept before it).
    let got = synack_ok(&[
        "dump",
        "-2",
        "-r",
        file.to_str().unwrap(),
        "-R",
        "dns.flags.response==0",
        "-T",
        "fields",
        "-e",
        "frame.number",
        "-e",
        "dns.response_in",
    ]);
    let links: Vec<&str> = got.lines().collect();
    assert_eq!(links, ["1\t2", "2\t3", "3\t4", "4\t5"]);
}
