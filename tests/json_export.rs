//! `synack dump -T json` and `-T ek` against tshark 4.0's, key by key, for every
//! field both know (`tests/tables/check_json.py`): the output parses as JSON, has
//! the same packets, and each key synack writes carries tshark's values. Skips,
//! saying so, without python3 or tshark.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

mod common;
use common::{root, runs};
use std::path::PathBuf;
use std::process::Command;

#[test]
fn json_and_ek_match_tshark() {
    if !runs("python3", "--version") || !runs("tshark", "-v") {
        eprintln!("SKIPPED -T json/ek comparison: python3 or tshark is missing");
        return;
    }
    // The shared captures' copies (tcp_many_streams left out: 55 times the shape of
    // tcp_clean_close, and the slowest for tshark).
    let names = [
        "dns_udp.pcap",
        "http_keepalive.pcap",
        "icmp_arp_ping.pcap",
        "linux_cooked_any.pcap",
        "multi_iface.pcapng",
        "tcp_abort_rst.pcap",
        "tcp_clean_close.pcap",
        "tcp_half_close.pcap",
        "tcp_ipv6.pcapng",
        "tcp_nanosecond.pcap",
        "tcp_refused.pcap",
        "tcp_server_closes_first.pcapng",
        "tcp_simultaneous_close.pcap",
        "tcp_snaplen_96_head.pcap",
        "tls_sni.pcapng",
        "vlan_tagged.pcap",
    ];
    let captures: Vec<PathBuf> = names
        .iter()
        .map(|n| root().join("tests/captures").join(n))
        .collect();
    let out = Command::new("python3")
        .arg(root().join("tests/tables/check_json.py"))
        .arg(env!("CARGO_BIN_EXE_synack"))
        .args(&captures)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}{stderr}");
    eprintln!("{stdout}");
}
