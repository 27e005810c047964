//! The lines `tcpdump -n [-S] [-v]` (tcpdump 4.99) prints for TCP packets, so that
//! students can put synack's output beside a textbook's tcpdump walk-through.
//!
//! The dissection says where the IP and TCP headers start; the printer reads them from
//! the frame's bytes itself, because tcpdump's text depends on details (option order,
//! its own relative sequence numbers, checksum arithmetic) that the field tree does
//! not keep. Not covered: IPv6 extension headers are not described (the TCP part
//! after them is), MPTCP options are not decoded, and payloads on well-known ports
//! (HTTP, DNS, BGP, ...) are not printed after `length N`.

#![deny(clippy::indexing_slicing)]

use crate::bytes;
use crate::capture::PacketRecord;
use crate::dissect::ipv4::Addr;
use crate::dissect::time::clock_text;
use crate::dissect::value::{ipv4_text, ipv6_text};
use crate::dissect::{Dissection, checksum, ipv4, ipv6, tcp};
use crate::wire::{Ipv4View, Ipv6View};
use std::collections::HashMap;

mod ip_options;
mod tcp_part;
#[cfg(test)]
mod tests;

use ip_options::{ip_options, source_route_destination};
use tcp_part::{Bases, Conversation, Segment};

/// Fields the printer reads from a dissection: the protocol items, whose byte ranges
/// locate the headers in the frame.
pub const FIELDS: &[&str] = &["ip", "ipv6", "tcp"];
/// IPv4 flags in the fragment word, in the order tcpdump lists them.
const IP_FLAGS: [(u16, &str); 3] = [(0x2000, "+"), (0x4000, "DF"), (0x8000, "rsvd")];
/// The protocol names tcpdump's `-v` header uses (its `ipproto_values`).
const PROTO_NAMES: &[(u8, &str)] = &[
    (0, "Options"),
    (1, "ICMP"),
    (2, "IGMP"),
    (4, "IPIP"),
    (6, "TCP"),
    (8, "EGP"),
    (9, "IGRP"),
    (17, "UDP"),
    (33, "DCCP"),
    (41, "IPv6"),
    (43, "Routing"),
    (44, "Fragment"),
    (46, "RSVP"),
    (47, "GRE"),
    (50, "ESP"),
    (51, "AH"),
    (55, "Mobile IP"),
    (58, "ICMPv6"),
    (62, "Mobile IP (old)"),
    (88, "EIGRP"),
    (89, "OSPF"),
    (103, "PIM"),
    (108, "Compressed IP"),
    (112, "VRRP"),
    (113, "PGM"),
    (132, "SCTP"),
    (135, "Mobility"),
    (143, "Ethernet"),
];
fn name_of(table: &[(u8, &'static str)], value: u8) -> Option<&'static str> {
    table.iter().find(|(v, _)| *v == value).map(|(_, n)| *n)
}

/// Prints packets one by one, keeping tcpdump's per-connection relative numbers.
///
/// tcpdump's table is not Wireshark's: it is keyed by the address and port pair
/// alone, consulted only for segments with ACK set, and an entry is (re)created from
/// the first such segment it sees or from any SYN with ACK. The segment that creates
/// an entry prints absolute numbers, which is why a SYN/ACK shows raw values.
#[derive(Debug, Default)]
pub struct Printer {
    absolute: bool,
    verbose: bool,
    bases: HashMap<Conversation, Bases>,
}
impl Printer {
    /// A printer for `-S` (absolute numbers) and `-v`.
    pub fn new(absolute: bool, verbose: bool) -> Self {
        Printer {
            absolute,
            verbose,
            bases: HashMap::new(),
        }
    }

    /// The line for one packet (captured bytes `frame`), or `None` when the dissection
    /// found no IP datagram at the top level. With `-v`, an IPv4 line holds a newline.
    pub fn line(
        &mut self,
        record: &PacketRecord,
        frame: &[u8],
        d: &Dissection<'_>,
    ) -> Option<String> {
        let (is_v6, net_at, tcp_at) = locate(d)?;
        let wire_len = usize::try_from(record.orig_len)
            .unwrap_or(usize::MAX)
            .saturating_sub(net_at);
        let mut out = clock_text(record.ts_nanos, 6);
        out.push(' ');
        if is_v6 {
            self.ipv6(&mut out, frame, net_at, wire_len, tcp_at);
        } else {
            self.ipv4(&mut out, frame, net_at, wire_len);
        }
        Some(out)
    }

    /// tcpdump's IPv4 part; `wire_len` is the datagram's length on the wire as the
    /// link layer reports it.
    fn ipv4(&mut self, out: &mut String, frame: &[u8], at: usize, wire_len: usize) {
        let header = bytes::tail(frame, at);
        let Some(version) = Ipv4View::version_of(header) else {
            out.push_str(" [|ip]");
            return;
        };
        if version != 4 {
            if version == 6 {
                out.push_str("IP6, wrong link-layer encapsulation (invalid)");
            } else {
                out.push_str(&format!("IP{version} (invalid)"));
            }
            return;
        }
        out.push_str("IP ");
        let Ok(ip) = Ipv4View::new(header) else {
            out.push_str(" [|ip]");
            return;
        };
        let tos = ip.tos();
        let total_len = ip.total_len();
        let id = ip.ident();
        let off = ip.flags_and_offset();
        let ttl = ip.ttl();
        let proto = ip.protocol();
        let stored_sum = ip.checksum();
        let src = ip.src_addr();
        let dst = ip.dst_addr();
        if wire_len < 20 {
            out.push_str(&format!("truncated-ip {wire_len}"));
            return;
        }
        let hlen = ip.header_len();
        if hlen < 20 {
            out.push_str(&format!("bad-hlen {hlen}"));
            return;
        }
        let len = usize::from(total_len);
        if wire_len < len {
            out.push_str(&format!(
                "truncated-ip - {} bytes missing! ",
                len - wire_len
            ));
        }
        if len < hlen {
            out.push_str(&format!("bad-len {len}"));
            return;
        }
        // tcpdump reads nothing past the datagram (Ethernet padding is not TCP data).
        let end = at.saturating_add(len).min(frame.len());
        let data = frame.get(..end).unwrap_or(frame);
        // The options whole, or none (the source route needs its last address).
        let options = Some(ip.options()).filter(|o| o.len() == hlen - 20);
        if self.verbose {
            out.push_str(&format!("(tos 0x{tos:x}"));
            out.push_str(match tos & 0x03 {
                1 => ",ECT(1)",
                2 => ",ECT(0)",
                3 => ",CE",
                _ => "",
            });
            if ttl >= 1 {
                out.push_str(&format!(", ttl {ttl}"));
            }
            let flags: Vec<&str> = IP_FLAGS
                .iter()
                .filter(|(bit, _)| off & bit != 0)
                .map(|(_, name)| *name)
                .collect();
            out.push_str(&format!(
                ", id {}, offset {}, flags [{}], proto {} ({proto}), length {len}",
                id,
                u32::from(off & 0x1fff) * 8,
                if flags.is_empty() {
                    "none".to_string()
                } else {
                    flags.join(", ")
                },
                name_of(PROTO_NAMES, proto).unwrap_or("unknown"),
            ));
            let mut truncated = false;
            if hlen > 20 {
                out.push_str(", options (");
                let area = bytes::tail(data, at + 20);
                if ip_options(out, area, hlen - 20).is_none() {
                    out.push_str(" [truncated-option]");
                    truncated = true;
                }
                out.push(')');
            }
            if let Some(header) = ip.header() {
                let computed = checksum::finish(checksum::add(0, header));
                if computed != 0 {
                    out.push_str(&format!(
                        ", bad cksum {stored_sum:x} (->{:x})!",
                        should_be(stored_sum, computed)
                    ));
                }
            }
            out.push_str(")\n    ");
            if truncated {
                out.push_str(&format!(
                    "{} > {}:  [|ip]",
                    ipv4_text(&src),
                    ipv4_text(&dst)
                ));
                return;
            }
        }
        if off & 0x1fff != 0 {
            // A later fragment: no TCP header here.
            out.push_str(&format!(
                "{} > {}: ip-proto-{proto}",
                ipv4_text(&src),
                ipv4_text(&dst)
            ));
            return;
        }
        if proto != 6 {
            out.push_str(&format!("{} > {}: ", ipv4_text(&src), ipv4_text(&dst)));
            return;
        }
        if data.len() < at + hlen {
            out.push_str(&format!(
                " [remaining caplen({}) < header length({hlen})] [|ip]",
                data.len().saturating_sub(at)
            ));
            return;
        }
        let sum_dst = options.and_then(source_route_destination).unwrap_or(dst);
        let segment = Segment {
            data,
            at: at + hlen,
            length: u32::try_from(len - hlen).unwrap_or(u32::MAX),
            src: Addr::V4(src),
            dst: Addr::V4(dst),
            sum_dst: Addr::V4(sum_dst),
            with_addresses: true,
            fragmented: off & 0x2000 != 0,
        };
        self.tcp(out, &segment);
    }

    /// tcpdump's IPv6 part; `tcp_at` is where the dissector found the TCP header (used
    /// when extension headers come first).
    fn ipv6(
        &mut self,
        out: &mut String,
        frame: &[u8],
        at: usize,
        wire_len: usize,
        tcp_at: Option<usize>,
    ) {
        let Ok(ip) = Ipv6View::new(bytes::tail(frame, at)) else {
            out.push_str(" [|ip6]");
            return;
        };
        if wire_len < Ipv6View::HEADER_LEN {
            out.push_str(&format!("truncated-ip6 {wire_len}"));
            return;
        }
        out.push_str("IP6 ");
        if ip.version() != 6 {
            out.push_str(&format!("version error: {} != 6", ip.version()));
            return;
        }
        let plen = usize::from(ip.payload_len());
        let next = ip.next_header();
        let hlim = ip.hop_limit();
        let src = ip.src_addr();
        let dst = ip.dst_addr();
        // A zero payload length announces a jumbogram; without extension headers
        // tcpdump then treats the datagram as the bare header.
        let len = if plen == 0 { 40 } else { plen + 40 };
        if plen != 0 && wire_len < len {
            out.push_str(&format!(
                "truncated-ip6 - {} bytes missing!",
                len - wire_len
            ));
        }
        if self.verbose {
            out.push('(');
            let class = ip.traffic_class();
            if class != 0 {
                out.push_str(&format!("class 0x{class:02x}, "));
            }
            let flow = ip.flow_label();
            if flow != 0 {
                out.push_str(&format!("flowlabel 0x{flow:05x}, "));
            }
            out.push_str(&format!(
                "hlim {hlim}, next-header {} ({next}) payload length: {plen}) ",
                name_of(PROTO_NAMES, next).unwrap_or("unknown")
            ));
        }
        let end = at.saturating_add(len).min(frame.len());
        let data = frame.get(..end).unwrap_or(frame);
        let (tcp_at, with_addresses) = if next == 6 {
            (at + 40, true)
        } else {
            // TODO(synack): describe extension headers as tcpdump does; for now the
            // addresses and then the TCP part it prints after them.
            out.push_str(&format!("{} > {}: ", ipv6_addr(&src), ipv6_addr(&dst)));
            match tcp_at.filter(|t| *t >= at + 40) {
                Some(tcp_at) => (tcp_at, false),
                None => return,
            }
        };
        let segment = Segment {
            data,
            at: tcp_at,
            length: u32::try_from(at.saturating_add(len).saturating_sub(tcp_at))
                .unwrap_or(u32::MAX),
            src: Addr::V6(src),
            dst: Addr::V6(dst),
            sum_dst: Addr::V6(dst),
            with_addresses,
            // Without the extension headers decoded, a fragment header may hide in
            // them: leave the checksum alone rather than call a fragment incorrect.
            fragmented: !with_addresses,
        };
        self.tcp(out, &segment);
    }
}

/// Finds the IP and TCP headers: the last IPv4 or IPv6 item at the top level of the
/// frame before the TCP item (or the last one at all when TCP was too short to get an
/// item). Returns (IPv6, network offset, TCP offset). Items nested deeper belong to a
/// datagram quoted in an ICMP error, which tcpdump's `tcp` filter does not select.
fn locate(d: &Dissection<'_>) -> Option<(bool, usize, Option<usize>)> {
    let mut net = None;
    for node in d.nodes.iter().filter(|n| n.depth == 0 && n.source == 0) {
        let start = usize::try_from(node.start).ok()?;
        if node.field == ipv4::IP {
            net = Some((false, start));
        } else if node.field == ipv6::IPV6_PROTO {
            net = Some((true, start));
        } else if node.field == tcp::TCP {
            let (is_v6, at) = net?;
            return Some((is_v6, at, Some(start)));
        }
    }
    net.map(|(is_v6, at)| (is_v6, at, None))
}

/// The value the checksum field should hold, from the stored one and the complement
/// of the sum over everything (tcpdump's arithmetic, so 0x0000/0xffff come out alike).
fn should_be(stored: u16, computed: u16) -> u16 {
    let mut sum = u32::from(stored) + u32::from(computed);
    sum = (sum & 0xffff) + (sum >> 16);
    sum = (sum & 0xffff) + (sum >> 16);
    (sum & 0xffff) as u16
}
/// An address as tcpdump writes it with `-n`.
fn addr_text(addr: &Addr) -> String {
    match addr {
        Addr::V4(a) => ipv4_text(a),
        Addr::V6(a) => ipv6_addr(a),
    }
}

/// IPv6 as tcpdump writes it: RFC 5952 like Rust's, except that an IPv4-compatible
/// address (first 96 bits zero, then not all zero in the next 16) ends in dotted
/// quad, as BIND's `inet_ntop` did.
fn ipv6_addr(addr: &[u8; 16]) -> String {
    let compatible =
        addr.iter().take(12).all(|b| *b == 0) && addr.iter().skip(12).take(2).any(|b| *b != 0);
    match bytes::array::<4>(addr, 12) {
        Some(v4) if compatible => format!("::{}", ipv4_text(&v4)),
        _ => ipv6_text(addr),
    }
}
