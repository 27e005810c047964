//! The window on the packets course labs ask about (issues 16 and 17), at 1366x768:
//! vendor names in the packet list, a beacon's SSID, a reassembled fragment, the
//! segment that starts an HTTP POST, an image response, a TLS Certificate and a QUIC
//! Initial. Each test selects the packet, opens the protocol's subtrees as a student
//! would, checks what the tree says and keeps a snapshot to look at.

mod snapshot_helpers;

use egui_kittest::Harness;
use snapshot_helpers::*;
use std::path::PathBuf;
use synack::ui::App;
use synack::ui::action::Action;

/// A capture of tcpdump's test corpus (tests/corpus/tcpdump holds copies).
fn corpus(name: &str) -> PathBuf {
    repo_file(&format!("tests/corpus/tcpdump/{name}"))
}

/// Opens `file`, selects frame `frame` (1-based), opens every subtree of the
/// top-level item whose label starts with `protocol`, selects the first line that
/// contains `line` (the tree scrolls to it) and returns the tree's lines.
fn show(
    file: PathBuf,
    frame: usize,
    protocol: &str,
    line: &str,
) -> (Harness<'static, App>, Vec<String>, usize) {
    let mut h = opened(file);
    h.state_mut().apply(Action::Select(frame - 1));
    settle(&mut h);
    let lines: Vec<(u8, String, bool)> = h
        .state()
        .state
        .details
        .as_ref()
        .map(|d| {
            d.lines
                .iter()
                .map(|l| (l.depth, l.label.clone(), l.has_children))
                .collect()
        })
        .unwrap_or_default();
    let mut inside = false;
    for (depth, label, has_children) in &lines {
        if *depth == 0 {
            inside = label.starts_with(protocol);
        }
        if inside && *has_children {
            h.state_mut().state.tree.open(*depth, label);
        }
    }
    let Some(wanted) = lines.iter().position(|(_, l, _)| l.contains(line)) else {
        panic!("frame {frame} has no line with {line:?}: {lines:#?}");
    };
    h.state_mut().apply(Action::SelectLine(wanted));
    h.run_steps(3);
    assert!(
        lines
            .iter()
            .any(|(d, l, _)| *d == 0 && l.starts_with(protocol)),
        "frame {frame} has no {protocol}"
    );
    (h, lines.into_iter().map(|(_, l, _)| l).collect(), wanted)
}

/// The snapshot, the tree scrolled to line `wanted` (the snapshot starts from cleared
/// memory, scroll offsets included: the line is selected again once that is done).
fn snap(h: &mut Harness<'static, App>, name: &str, wanted: usize) {
    snapshot_after(h, name, |h| {
        h.state_mut().apply(Action::SelectLine(0));
        h.run_steps(2);
        h.state_mut().apply(Action::SelectLine(wanted));
        h.run_steps(3);
    });
}

/// The summary line of the selected packet.
fn summary(h: &Harness<'static, App>) -> synack::export::text::Summary {
    h.state()
        .state
        .details
        .as_ref()
        .map(|d| d.summary.clone())
        .unwrap_or_default()
}

fn has(lines: &[String], text: &str) -> bool {
    lines.iter().any(|l| l.contains(text))
}

#[test]
fn a_beacon_shows_its_ssid_and_the_senders_vendor() {
    let (mut h, lines, wanted) = show(
        corpus("ieee802.11_meshid.pcap"),
        1,
        "IEEE 802.11 Wireless Management",
        "Tag: SSID parameter set",
    );
    assert!(
        has(&lines, "Tag: SSID parameter set: Wildcard SSID"),
        "{lines:#?}"
    );
    assert!(
        has(&lines, "Beacon Interval: 1.024000 [Seconds]"),
        "{lines:#?}"
    );
    // The packet list names the sender by its vendor, as Wireshark does.
    assert_eq!(summary(&h).source, "ASUSTekC_57:da:1c");
    snap(&mut h, "protocol_wifi_beacon", wanted);
}

#[test]
fn a_reassembled_fragment_lists_its_fragments() {
    let (mut h, lines, wanted) = show(
        capture("ip_fragments.pcap"),
        3,
        "Internet Protocol Version 4",
        "IPv4 Fragments",
    );
    assert!(
        has(&lines, "[2 IPv4 Fragments (1408 bytes): #2(1256), #3(152)]"),
        "{lines:#?}"
    );
    assert!(
        has(&lines, "[Frame: 2, payload: 0-1255 (1256 bytes)]"),
        "{lines:#?}"
    );
    assert!(has(&lines, "[Reassembled IPv4 length: 1408]"), "{lines:#?}");
    snap(&mut h, "protocol_ip_reassembled", wanted);
}

#[test]
fn the_segment_that_starts_a_post_says_so() {
    let (mut h, lines, wanted) = show(
        capture("http_post.pcap"),
        4,
        "Transmission Control Protocol",
        "TCP segment data",
    );
    let info = summary(&h).info;
    // Wireshark's window reads the file twice: once the PDU is known to end in frame
    // 20, its first segment reads as TCP (as `tshark -2` prints it; one pass prints
    // "POST /upload HTTP/1.1  [TCP segment of a reassembled PDU]").
    assert_eq!(
        info,
        "45700 → 80 [ACK] Seq=1 Ack=1 Win=65536 Len=548 TSval=1293210218 TSecr=343018094 \
         [TCP segment of a reassembled PDU]"
    );
    assert!(has(&lines, "TCP segment data (548 bytes)"), "{lines:#?}");
    snap(&mut h, "protocol_http_post_first_segment", wanted);
}

#[test]
fn an_image_response_names_its_media_type() {
    let (mut h, lines, wanted) = show(
        capture("http_media.pcap"),
        15,
        "Hypertext Transfer Protocol",
        "Content-Type: image/jpeg",
    );
    assert!(has(&lines, "Content-Type: image/jpeg"), "{lines:#?}");
    assert!(
        has(&lines, "[4 Reassembled TCP Segments (1252 bytes)"),
        "{lines:#?}"
    );
    let info = summary(&h).info;
    assert_eq!(info, "HTTP/1.1 200 OK  (JPEG JFIF image)");
    snap(&mut h, "protocol_http_jpeg", wanted);
}

#[test]
fn a_tls_certificate_shows_subject_and_issuer() {
    let (mut h, lines, wanted) = show(
        capture("tls12_cert.pcap"),
        7,
        "Transport Layer Security",
        "subject: rdnSequence",
    );
    assert!(
        has(&lines, "Handshake Type: Certificate (11)"),
        "{lines:#?}"
    );
    assert!(has(&lines, "issuer: rdnSequence"), "{lines:#?}");
    assert!(has(&lines, "subject: rdnSequence"), "{lines:#?}");
    snap(&mut h, "protocol_tls_certificate", wanted);
}

#[test]
fn a_quic_initial_is_decrypted_to_its_client_hello() {
    let (mut h, lines, wanted) = show(
        capture("quic_handshake.pcap"),
        1,
        "QUIC IETF",
        "Handshake Type: Client Hello",
    );
    assert!(has(&lines, "Packet Type: Initial"), "{lines:#?}");
    assert!(
        has(&lines, "Handshake Type: Client Hello (1)"),
        "{lines:#?}"
    );
    snap(&mut h, "protocol_quic_initial", wanted);
}
