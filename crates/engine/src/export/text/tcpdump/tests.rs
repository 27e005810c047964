//! The printer against lines tcpdump 4.99 printed for real frames.

use super::ip_options::ip_route;
use super::tcp_part::rst_data;
use super::*;
use crate::capture::{BlockKind, Interface, LinkType};
use crate::dissect::{FieldSet, PacketContext, Want, dissect_packet, registry};
use crate::wire::testing::{SACK as BULK_SACK, SYN, V6_REQUEST, hex};

/// tcp_clean_close.pcap frame 10: the server's SYN/ACK.
const SYN_ACK: &str = "7e 7d b9 f1 43 58 46 8a 89 72 3f d1 08 00 45 00
    00 3c 00 00 40 00 40 06 26 a6 0a 0a 00 02 0a 0a 00 01 2a 35 e9 9c 70 6d
    d2 5d fe 13 25 9c a0 12 fe 88 33 af 00 00 02 04 05 b4 04 02 08 0a f3 60
    1e 18 c6 f5 ae e2 01 03 03 0a";
/// tcp_clean_close.pcap frame 12: the client's 18-byte request.
const REQUEST: &str = "46 8a 89 72 3f d1 7e 7d b9 f1 43 58 08 00 45 00
    00 46 49 b5 40 00 40 06 dc e6 0a 0a 00 01 0a 0a 00 02 e9 9c 2a 35 fe 13
    25 9c 70 6d d2 5e 80 18 00 3f 82 0d 00 00 01 01 08 0a c6 f5 ae e3 f3 60
    1e 18 47 45 54 20 2f 20 48 54 54 50 2f 31 2e 30 0d 0a 0d 0a";
/// tcp_lossy_bulk.pcap frame 9: the server's SYN/ACK.
const BULK_SYN_ACK: &str = "0e fc c6 a6 05 9b 36 bf e1 76 03 2b 08 00 45 00
    00 3c 00 00 40 00 40 06 26 a6 0a 0a 00 02 0a 0a 00 01 ca 9e d5 c6 15 2f
    1c 1c 6e e3 d4 df a0 12 fe 88 ad d2 00 00 02 04 05 b4 04 02 08 0a 89 42
    b7 f6 b9 b9 77 14 01 03 03 0a";

const SYN_OPTIONS: &str = "options [mss 1460,sackOK,TS val 3337989858 ecr 0,nop,wscale 10]";

/// Dissects `frame` (captured from `orig_len` bytes on the wire) as `synack dump
/// --tcpdump` does and returns the line without its local-time stamp.
fn print_wire(printer: &mut Printer, frame: &[u8], orig_len: usize) -> Option<String> {
    let record = PacketRecord::new(
        0,
        0,
        u32::try_from(frame.len()).unwrap(),
        u32::try_from(orig_len).unwrap(),
        0,
        BlockKind::PcapRecord,
        false,
    );
    let iface = Interface::new(LinkType::ETHERNET);
    let ctx = PacketContext {
        number: 1,
        record,
        iface: &iface,
        first_ts_nanos: 0,
        prev_ts_nanos: 0,
        prev_displayed_ts_nanos: 0,
        analysis: None,
        marked: false,
        prefs: crate::prefs::Prefs::default(),
    };
    let mut want = FieldSet::new();
    for name in FIELDS {
        want.insert(registry::lookup(name).unwrap());
    }
    let mut d = Dissection::new(Want::Fields(want), false, false);
    dissect_packet(&mut d, &ctx, frame);
    let line = printer.line(&record, frame, &d)?;
    let (time, rest) = line.split_once(' ').unwrap();
    assert_eq!(time.len(), "00:00:00.000000".len(), "{line}");
    Some(rest.to_string())
}

fn print(printer: &mut Printer, frame: &[u8]) -> String {
    print_wire(printer, frame, frame.len()).unwrap()
}

#[test]
fn syn_plain_and_verbose() {
    let syn = hex(SYN);
    assert_eq!(
        print(&mut Printer::new(false, false), &syn),
        format!(
            "IP 10.10.0.1.59804 > 10.10.0.2.10805: Flags [S], seq 4262667675, \
             win 64240, {SYN_OPTIONS}, length 0"
        )
    );
    assert_eq!(
        print(&mut Printer::new(false, true), &syn),
        format!(
            "IP (tos 0x0, ttl 64, id 18867, offset 0, flags [DF], proto TCP (6), length 60)\n    \
             10.10.0.1.59804 > 10.10.0.2.10805: Flags [S], cksum 0x8b9c (correct), \
             seq 4262667675, win 64240, {SYN_OPTIONS}, length 0"
        )
    );
}

#[test]
fn relative_numbers_start_at_the_syn_ack() {
    let mut p = Printer::new(false, false);
    // The pure SYN has no ACK flag, so tcpdump's table ignores it.
    print(&mut p, &hex(SYN));
    // The SYN/ACK creates the entry and still prints absolute numbers.
    let syn_ack = print(&mut p, &hex(SYN_ACK));
    assert!(
        syn_ack.contains("Flags [S.], seq 1886245469, ack 4262667676, win 65160"),
        "{syn_ack}"
    );
    assert_eq!(
        print(&mut p, &hex(REQUEST)),
        "IP 10.10.0.1.59804 > 10.10.0.2.10805: Flags [P.], seq 1:19, ack 1, win 63, \
         options [nop,nop,TS val 3337989859 ecr 4083162648], length 18"
    );
    let mut absolute = Printer::new(true, false);
    print(&mut absolute, &hex(SYN_ACK));
    let request = print(&mut absolute, &hex(REQUEST));
    assert!(
        request.contains("seq 4262667676:4262667694, ack 1886245470,"),
        "{request}"
    );
}

#[test]
fn sack_edges_are_relative_to_the_peer() {
    let mut p = Printer::new(false, false);
    print(&mut p, &hex(BULK_SYN_ACK));
    assert_eq!(
        print(&mut p, &hex(BULK_SACK)),
        "IP 10.10.0.2.51870 > 10.10.0.1.54726: Flags [.], ack 21721, win 77, \
         options [nop,nop,TS val 2302851064 ecr 3115939606,nop,nop,sack 1 {23169:24617}], \
         length 0"
    );
}

#[test]
fn first_sight_mid_connection_prints_absolute_then_guesses_the_base() {
    // tcpdump -n on a file holding only frame 46: the ACK is printed raw, but the
    // SACK edges already use the entry that this very segment created (ack - 1).
    let line = print(&mut Printer::new(false, false), &hex(BULK_SACK));
    assert!(
        line.contains("ack 1860446647, win 77,") && line.contains("sack 1 {1449:2897}]"),
        "{line}"
    );
    let line = print(&mut Printer::new(true, false), &hex(BULK_SACK));
    assert!(line.contains("sack 1 {1860448095:1860449543}]"), "{line}");
}

#[test]
fn ipv6_verbose_on_one_line() {
    assert_eq!(
        print(&mut Printer::new(false, true), &hex(V6_REQUEST)),
        "IP6 (flowlabel 0x3ef07, hlim 64, next-header TCP (6) payload length: 50) \
         fd00::1.44970 > fd00::2.6135: Flags [P.], cksum 0x9b64 (correct), \
         seq 3386079807:3386079825, ack 2590676048, win 64, \
         options [nop,nop,TS val 3411199827 ecr 135081271], length 18"
    );
}

#[test]
fn incorrect_checksum_names_the_right_one() {
    let mut syn = hex(SYN);
    // Zero the TCP checksum (frame offset 0x32).
    syn.splice(0x32..0x34, [0, 0]);
    let line = print(&mut Printer::new(false, true), &syn);
    assert!(
        line.contains("Flags [S], cksum 0x0000 (incorrect -> 0x8b9c), seq"),
        "{line}"
    );
}

#[test]
fn truncated_in_the_options() {
    // Snapshot after the MSS option: tcpdump gives up at the next option's type
    // byte, and skips the checksum it cannot compute.
    let syn = hex(SYN);
    let line = print_wire(&mut Printer::new(false, true), &syn[..58], syn.len()).unwrap();
    assert!(
        line.ends_with("Flags [S], seq 4262667675, win 64240, options [mss 1460, [|tcp]"),
        "{line}"
    );
}

#[test]
fn impossible_header_lengths() {
    let mut syn = hex(SYN);
    // Data offset 15 words: 60 bytes of header in a 40-byte segment.
    syn[0x2e] = 0xf2;
    assert_eq!(
        print(&mut Printer::new(false, false), &syn),
        "IP 10.10.0.1.59804 > 10.10.0.2.10805: Flags [S] [bad hdr length 60 - too long, > 40]"
    );
    // Data offset 4 words: shorter than the fixed header.
    syn[0x2e] = 0x42;
    assert_eq!(
        print(&mut Printer::new(false, false), &syn),
        "IP 10.10.0.1.59804 > 10.10.0.2.10805:  tcp 24 [bad hdr length 16 - too short, < 20]"
    );
}

#[test]
fn every_prefix_prints_or_declines_without_panic() {
    for frame in [hex(REQUEST), hex(V6_REQUEST), hex(BULK_SACK)] {
        for end in 0..=frame.len() {
            for (absolute, verbose) in [(false, false), (true, true)] {
                let mut p = Printer::new(absolute, verbose);
                print_wire(&mut p, &frame[..end], frame.len());
            }
        }
    }
}

/// Found by `fuzz/` (dissect_raw_ip): a route option whose pointer is 0 overflowed
/// `pointer - 1 + 1`. tcpdump 4.99 prints `-v` of this datagram (UDP, LSRR option
/// 83 07 00 01 02 03 04, then EOL) as asserted.
#[test]
fn route_option_with_pointer_zero() {
    let mut out = String::new();
    ip_route(&mut out, &[0x83, 7, 0, 1, 2, 3, 4]);
    assert_eq!(out, " [bad ptr 0] 1.2.3.4,");
    let frame = hex("02 00 00 00 00 02 02 00 00 00 00 01 08 00
        47 00 00 24 00 01 00 00 40 11 db ba 0a 00 00 01 0a 00 00 02
        83 07 00 01 02 03 04 00 03 e8 07 d0 00 08 00 00");
    let line = print(&mut Printer::new(false, true), &frame);
    assert!(
        line.contains("length 36, options (LSRR [bad ptr 0] 1.2.3.4,,EOL))"),
        "{line}"
    );
}

#[test]
fn rst_payload_as_tcpdump_escapes_it() {
    let mut out = String::new();
    rst_data(&mut out, b"no\n\xe9", 4);
    assert_eq!(out, " [RST no^JM-i]");
    let mut out = String::new();
    rst_data(&mut out, &[b'a'; 40], 40);
    assert_eq!(out, format!(" [RST+ {}]", "a".repeat(30)));
}

#[test]
fn ipv6_text_like_inet_ntop() {
    let mut compatible = [0u8; 16];
    compatible[12..].copy_from_slice(&[10, 0, 0, 1]);
    assert_eq!(ipv6_addr(&compatible), "::10.0.0.1");
    let mut loopback = [0u8; 16];
    loopback[15] = 1;
    assert_eq!(ipv6_addr(&loopback), "::1");
    let mut mapped = [0u8; 16];
    mapped[10..].copy_from_slice(&[0xff, 0xff, 10, 0, 0, 1]);
    assert_eq!(ipv6_addr(&mapped), "::ffff:10.0.0.1");
}
