//! Decode As from the command line (`synack dump -d`), held to tshark 4.0: the
//! summaries with a port table changed (expected files written by tshark with the same
//! `-d`s, see the commands in each test), and tshark's message and exit status for
//! every malformed `-d` tshark refuses.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;

/// `tshark -r lan_chatter.pcap -d udp.port==5353,dns -d udp.port==137:2,data
/// -d udp.port==1900-1901,data`: mDNS shown as plain DNS, NBNS and SSDP as data
/// (a single port, a `:count` range and an `a-b` range).
#[test]
fn udp_ports_follow_decode_as() {
    let cap = capture("lan_chatter.pcap");
    let got = synack_ok(&[
        "dump",
        "-r",
        cap.to_str().unwrap(),
        "-d",
        "udp.port==5353,dns",
        "-d",
        "udp.port==137:2,data",
        "-d",
        "udp.port==1900-1901,data",
    ]);
    assert_same_lines(
        "lan_chatter.pcap -d",
        &expected("lan_chatter.pcap.decode-as"),
        &got,
    );
}

/// `tshark -r tcp_clean_close.pcap -d tcp.port==10805,data`: the port now names a
/// dissector, so the HTTP heuristic no longer runs on its segments.
#[test]
fn tcp_port_to_data_stops_the_heuristics() {
    let cap = capture("tcp_clean_close.pcap");
    let got = synack_ok(&[
        "dump",
        "-r",
        cap.to_str().unwrap(),
        "-d",
        "tcp.port==10805,data",
    ]);
    assert_same_lines(
        "tcp_clean_close.pcap -d",
        &expected("tcp_clean_close.pcap.decode-as"),
        &got,
    );
}

/// `-d tcp.port=…` (one `=`) is accepted with tshark's warning.
#[test]
fn single_equals_warns() {
    let cap = capture("tcp_clean_close.pcap");
    let out = synack(&[
        "dump",
        "-r",
        cap.to_str().unwrap(),
        "-c",
        "1",
        "-d",
        "tcp.port=8888,http",
    ]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.lines().next(),
        Some(
            "synack: WARNING: -d requires \"==\" instead of \"=\". Option will be treated as \"tcp.port==8888,http\""
        )
    );
}

/// Each bad `-d` with the first lines tshark 4.0 prints for it (`tshark:` read as
/// `synack:`; the lists that follow name synack's own protocols) and status 1.
#[test]
fn bad_decode_as_is_refused_as_tshark_refuses_it() {
    #[rustfmt::skip]
    let cases: &[(&str, &[&str])] = &[
        ("tcp.port==8888", &[
            "synack: Parameter \"tcp.port==8888\" doesn't follow the template \"<layer_type>==<selector>,<decode_as_protocol>\"",
            "synack: Valid protocols for layer type \"tcp.port\" are:",
        ]),
        ("tcp.port==", &[
            "synack: Parameter \"tcp.port==\" doesn't follow the template \"<layer_type>==<selector>,<decode_as_protocol>\"",
            "synack: Invalid selector number \"\"",
        ]),
        ("foo.port==1,http", &["synack: Unknown layer type -- foo.port", "synack: Valid layer types are:"]),
        ("tcp.port8888,http", &["synack: Unknown layer type -- tcp.port8888"]),
        ("tcp.port==abc,http", &["synack: Invalid selector number \"abc\""]),
        ("tcp.port==8888 ,http", &["synack: Invalid selector number \"8888 \""]),
        ("tcp.port==4294967296,http", &["synack: Invalid selector number \"4294967296\""]),
        ("tcp.port==1-2-3,http", &["synack: Invalid selector numeric range \"1-2-3\""]),
        ("tcp.port==8888-8880,http", &["synack: Invalid selector numeric range \"8888-8880\""]),
        ("tcp.port==1:0,http", &["synack: Invalid selector numeric range \"1:0\""]),
        ("tcp.port==8888,", &["synack: No protocol name specified"]),
        ("tcp.port==8888,nosuch", &[
            "synack: Unknown protocol -- \"nosuch\"",
            "synack: Valid protocols for layer type \"tcp.port\" are:",
        ]),
        ("tcp.port==8888,HTTP", &["synack: Unknown protocol -- \"HTTP\""]),
        ("udp.port==1,http", &[
            "synack: Protocol \"http\" isn't valid for layer type \"udp.port\"",
            "synack: Valid protocols for layer type \"udp.port\" are:",
        ]),
    ];
    let cap = capture("tcp_clean_close.pcap");
    for (arg, want) in cases {
        let out = synack(&["dump", "-r", cap.to_str().unwrap(), "-d", arg]);
        assert_eq!(out.status.code(), Some(1), "-d {arg}: exit status");
        assert!(out.stdout.is_empty(), "-d {arg}: printed packets");
        let err = String::from_utf8_lossy(&out.stderr);
        let got: Vec<&str> = err.lines().take(want.len()).collect();
        assert_eq!(&got, want, "-d {arg}");
    }
}
