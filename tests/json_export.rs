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

/// `-T json -e …` and `-T ek -e …` write each selected value as `-T fields` prints it
/// (bytes without colons, flags as 1 or 0, an empty byte string `<MISSING>`, a
/// protocol's summary line): the whole output equals tshark's.
#[test]
fn selected_fields_equal_tsharks() {
    if !runs("tshark", "-v") {
        eprintln!("SKIPPED -e comparison: tshark is missing");
        return;
    }
    let fields = [
        "tcp.srcport",
        "tcp.flags.syn",
        "ip.src",
        "tls.handshake.random",
        "tls.handshake.extension.data",
        "tcp.analysis.ack_rtt",
        "frame.time",
        "tcp",
        "quic.version",
        "tls.quic.parameter.initial_source_connection_id",
    ];
    for cap in ["tls12_cert.pcap", "quic_handshake.pcap"] {
        let path = root().join("tests/captures").join(cap);
        for format in ["json", "ek"] {
            let mut args = vec!["-r".to_string(), path.display().to_string()];
            args.extend(["-T".to_string(), format.to_string()]);
            for f in fields {
                args.extend(["-e".to_string(), f.to_string()]);
            }
            let theirs = Command::new("tshark").args(&args).output().unwrap();
            let ours = Command::new(env!("CARGO_BIN_EXE_synack"))
                .arg("dump")
                .args(&args)
                .output()
                .unwrap();
            assert_eq!(
                String::from_utf8_lossy(&ours.stdout),
                String::from_utf8_lossy(&theirs.stdout),
                "{cap} -T {format}"
            );
        }
    }
}
