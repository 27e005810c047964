//! `dump -V` prints the TCP layer's detail tree line for line as `tshark -V` does:
//! flags with their expert items, options, the analysis with its expert items, the
//! window scaling factor's reason, TCP segment data. synack's own teaching lines
//! (`synack: …` and below) are its addition and are left out of the comparison.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;

/// The captures whose TCP trees are held (tshark's in `tests/expected/NAME.tcp-tree`,
/// written by `tests/regen-expected.sh`).
const CAPTURES: &[&str] = &[
    "tcp_clean_close.pcap",
    "tcp_abort_rst.pcap",
    "tcp_refused.pcap",
    "tcp_half_close.pcap",
    "tcp_simultaneous_close.pcap",
    "tcp_ipv6.pcapng",
    "http_keepalive.pcap",
    "tcp_tso_gso.pcap",
];

/// The lines of every TCP layer: from its top-level line to the next top-level one,
/// without synack's teaching item and its children, nor blank lines.
fn tcp_layers(tree: &str) -> String {
    let mut out = String::new();
    let (mut in_tcp, mut in_teaching) = (false, false);
    // Blank lines only separate frames.
    for line in tree.lines().filter(|l| !l.is_empty()) {
        if !line.starts_with(' ') {
            in_tcp = line.starts_with("Transmission Control Protocol");
            in_teaching = false;
        }
        if !in_tcp {
            continue;
        }
        if line.starts_with("    synack:") {
            in_teaching = true;
            continue;
        }
        if in_teaching && line.starts_with("        ") {
            continue;
        }
        in_teaching = false;
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[test]
fn tcp_detail_trees_equal_tsharks() {
    let mut failures = Vec::new();
    for cap in CAPTURES {
        let got = tcp_layers(&synack_ok(&[
            "dump",
            "-r",
            capture(cap).to_str().unwrap(),
            "-V",
        ]));
        let want = expected(&format!("{cap}.tcp-tree"));
        if got != want {
            let first = got
                .lines()
                .zip(want.lines())
                .enumerate()
                .find(|(_, (g, w))| g != w)
                .map(|(i, (g, w))| format!("line {}: synack {g:?}, tshark {w:?}", i + 1))
                .unwrap_or_else(|| "one tree is longer".into());
            failures.push(format!("{cap}: {first}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `tree` without synack's teaching items (`synack: …` and the lines under it).
fn without_teaching(tree: &str) -> String {
    let mut out = String::new();
    let mut teaching_depth = None;
    for line in tree.lines() {
        let depth = line.len() - line.trim_start().len();
        if let Some(d) = teaching_depth {
            if depth > d && !line.is_empty() {
                continue;
            }
            teaching_depth = None;
        }
        // synack's own items: the teaching subtree, and the checksum offload note.
        if line.trim_start().starts_with("[Offload: ") {
            continue;
        }
        if line.trim_start().starts_with("synack: ") {
            teaching_depth = Some(depth);
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Whole trees, every layer, as `TZ=UTC tshark -V` prints them (`NAME.tree`):
/// uninterpreted data followed by its bytes in hex, interfaces, ICMP, ARP, UDP
/// conversations, DNS with EDNS options, SMTP messages reassembled into IMF, and
/// JPEG, PNG and GIF bodies, whole, cut, refused or impossible, found by their
/// signature (`gen-images.py`).
#[test]
fn whole_detail_trees_equal_tsharks() {
    for cap in [
        "tcp_clean_close.pcap",
        "multi_iface.pcapng",
        "gen3.pcap",
        "dns_udp.pcap",
        "smtp_session.pcap",
        "smtp_mails.pcap",
        "http_images.pcap",
        "quic_handshake.pcap",
        "quic_retry.pcap",
        "quic_vn.pcap",
        "quic_handshake_truncated.pcap",
        "icmp_extensions.pcapng",
        "mpls_traceroute_ppp.pcap",
    ] {
        let got = synack_ok(&["dump", "-r", capture(cap).to_str().unwrap(), "-V"]);
        assert_same_lines(
            cap,
            &expected(&format!("{cap}.tree")),
            &without_teaching(&got),
        );
    }
}

/// tcp_tso_gso.pcap was recorded on the sending end of a veth pair with TSO/GSO on:
/// both SYNs announce MSS 1460 (tshark: `MSS=1460` on frames 1 and 2), and frames 4,
/// 6, 8, 10, 12 and 13 carry 7240 to 27512 bytes (`Len=`), segments the kernel built
/// for the NIC to cut up. The TSO/GSO lesson is on exactly those, in the tree and in
/// `-e synack.offload`; the small packets only have checksum offload's note.
#[test]
fn the_tso_gso_lesson_is_on_exactly_the_segments_larger_than_the_mss() {
    let path = capture("tcp_tso_gso.pcap");
    let path = path.to_str().unwrap();
    let fields = synack_ok(&[
        "dump",
        "-r",
        path,
        "-T",
        "fields",
        "-e",
        "frame.number",
        "-e",
        "tcp.len",
        "-e",
        "synack.offload",
    ]);
    let mut tso = Vec::new();
    for line in fields.lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 3, "{line}");
        let len: u32 = cols[1].parse().unwrap();
        if cols[2].contains("TSO/GSO") {
            tso.push(cols[0].to_string());
            assert!(len > 1460, "{line}");
            assert!(
                cols[2].starts_with(&format!(
                    "This segment carries {len} bytes, more than the 1460-byte MSS (maximum segment size) the SYNs announced"
                )),
                "{line}"
            );
        } else {
            assert!(len <= 1460, "{line}");
            // Every small packet here has a partial checksum.
            assert!(cols[2].contains("(checksum offload)"), "{line}");
        }
    }
    assert_eq!(tso, ["4", "6", "8", "10", "12", "13"]);
    let tree = synack_ok(&["dump", "-r", path, "-V", "-Y", "frame.number == 12"]);
    assert!(
        tree.contains(
            "        [Offload: This segment carries 27512 bytes, more than the 1460-byte MSS"
        ),
        "{tree}"
    );
    assert!(tree.contains("network card cuts it into packets of at most 1460 bytes"));
    // The ladder says it under the same arrows.
    let flow = synack_ok(&["flow", "-r", path]);
    let mut frame = "";
    let mut in_flow = Vec::new();
    for line in flow.lines() {
        if let Some(rest) = line.strip_prefix('#') {
            frame = rest.split_whitespace().next().unwrap_or("");
        } else if line.contains("(TSO/GSO, segmentation offload)") {
            in_flow.push(frame.to_string());
        }
    }
    assert_eq!(in_flow, ["4", "6", "8", "10", "12", "13"], "{flow}");
}
