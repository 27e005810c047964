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
use crate::dissect::value::{hex_text, ipv4_text, ipv6_text};
use crate::dissect::{Dissection, checksum, ipv4, ipv6, tcp};
use std::collections::HashMap;

/// Fields the printer reads from a dissection: the protocol items, whose byte ranges
/// locate the headers in the frame.
pub const FIELDS: &[&str] = &["ip", "ipv6", "tcp"];

/// TCP flag bits in tcpdump's order and letters (`.` is ACK, `W` is CWR). tcpdump
/// 4.99 reads the flags as one byte, so the AE bit (0x100) never shows.
const FLAG_LETTERS: [(u8, char); 8] = [
    (0x01, 'F'),
    (0x02, 'S'),
    (0x04, 'R'),
    (0x08, 'P'),
    (0x10, '.'),
    (0x20, 'U'),
    (0x40, 'E'),
    (0x80, 'W'),
];

/// Flag bits the printer tests.
mod flag {
    pub const FIN: u8 = 0x01;
    pub const SYN: u8 = 0x02;
    pub const RST: u8 = 0x04;
    pub const ACK: u8 = 0x10;
    pub const URG: u8 = 0x20;
}

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

/// IPv4 option names as tcpdump prints them.
const IP_OPTION_NAMES: &[(u8, &str)] = &[
    (0, "EOL"),
    (1, "NOP"),
    (68, "timestamp"),
    (130, "security"),
    (7, "RR"),
    (137, "SSRR"),
    (131, "LSRR"),
    (148, "RA"),
    (82, "traceroute"),
];

/// TCP option names as tcpdump prints them (13, CC.ECHO, has an empty name there).
const TCP_OPTION_NAMES: &[(u8, &str)] = &[
    (0, "eol"),
    (1, "nop"),
    (2, "mss"),
    (3, "wscale"),
    (4, "sackOK"),
    (5, "sack"),
    (6, "echo"),
    (7, "echoreply"),
    (8, "TS"),
    (11, "cc"),
    (12, "ccnew"),
    (13, ""),
    (19, "md5"),
    (20, "scps"),
    (28, "uto"),
    (29, "tcp-ao"),
    (30, "mptcp"),
    (34, "tfo"),
    (254, "exp"),
];

/// RST payload bytes tcpdump shows with `-v` before cutting with `+`.
const MAX_RST_DATA: u32 = 30;

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

/// tcpdump's key for a connection: the lower port's side first (on equal ports, the
/// lower address), so that both directions find the same entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Conversation {
    first: Addr,
    second: Addr,
    /// First side's port in the high 16 bits.
    ports: u32,
}

/// What tcpdump subtracts: the numbers each side started from.
#[derive(Debug, Clone, Copy)]
struct Bases {
    /// Initial sequence number of the side of [`Conversation::first`].
    first: u32,
    /// Initial sequence number of the other side.
    second: u32,
}

/// The numbers of one segment as tcpdump prints them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Numbers {
    seq: u32,
    ack: u32,
    /// Subtracted from SACK edges (they are in the peer's sequence space).
    sack_base: u32,
}

/// Where tcpdump's option loop stopped early.
enum OptionStop {
    /// A length that does not fit: `[bad opt]`.
    Bad,
    /// An option's data was not captured (tcpdump's `trunc` label).
    Truncated,
    /// A type or length byte was not captured (tcpdump gives up on the packet).
    Abandoned,
}

/// One TCP segment and what the IP layer tells about it.
struct Segment<'a> {
    /// The frame cut at the end of the IP datagram, as tcpdump limits what it reads.
    data: &'a [u8],
    /// Offset of the TCP header in `data`.
    at: usize,
    /// TCP header and payload length from the IP header (may exceed what was captured).
    length: u32,
    src: Addr,
    dst: Addr,
    /// Destination in the checksum pseudo-header (the last hop of a source route).
    sum_dst: Addr,
    /// The IP header names TCP directly (no IPv6 extension header between), so
    /// tcpdump prints addresses with the ports.
    with_addresses: bool,
    /// Part of a fragmented datagram: tcpdump does not check the checksum.
    fragmented: bool,
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
        let Some(first) = bytes::u8_at(frame, at) else {
            out.push_str(" [|ip]");
            return;
        };
        let version = first >> 4;
        if version != 4 {
            if version == 6 {
                out.push_str("IP6, wrong link-layer encapsulation (invalid)");
            } else {
                out.push_str(&format!("IP{version} (invalid)"));
            }
            return;
        }
        out.push_str("IP ");
        if bytes::slice(frame, at, 20).is_none() {
            out.push_str(" [|ip]");
            return;
        }
        // The fixed header is captured: these reads cannot fail.
        let tos = bytes::u8_at(frame, at + 1).unwrap_or(0);
        let total_len = bytes::be_u16(frame, at + 2).unwrap_or(0);
        let id = bytes::be_u16(frame, at + 4).unwrap_or(0);
        let off = bytes::be_u16(frame, at + 6).unwrap_or(0);
        let ttl = bytes::u8_at(frame, at + 8).unwrap_or(0);
        let proto = bytes::u8_at(frame, at + 9).unwrap_or(0);
        let stored_sum = bytes::be_u16(frame, at + 10).unwrap_or(0);
        let src = bytes::array::<4>(frame, at + 12).unwrap_or_default();
        let dst = bytes::array::<4>(frame, at + 16).unwrap_or_default();
        if wire_len < 20 {
            out.push_str(&format!("truncated-ip {wire_len}"));
            return;
        }
        let hlen = usize::from(first & 0x0f) * 4;
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
        let options = bytes::slice(data, at + 20, hlen - 20);
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
            if let Some(header) = bytes::slice(data, at, hlen) {
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
        let Some(header) = bytes::slice(frame, at, 40) else {
            out.push_str(" [|ip6]");
            return;
        };
        if wire_len < 40 {
            out.push_str(&format!("truncated-ip6 {wire_len}"));
            return;
        }
        out.push_str("IP6 ");
        let word = bytes::be_u32(header, 0).unwrap_or(0);
        if word >> 28 != 6 {
            out.push_str(&format!("version error: {} != 6", word >> 28));
            return;
        }
        let plen = usize::from(bytes::be_u16(header, 4).unwrap_or(0));
        let next = bytes::u8_at(header, 6).unwrap_or(0);
        let hlim = bytes::u8_at(header, 7).unwrap_or(0);
        let src = bytes::array::<16>(header, 8).unwrap_or_default();
        let dst = bytes::array::<16>(header, 24).unwrap_or_default();
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
            let class = (word >> 20) & 0xff;
            if class != 0 {
                out.push_str(&format!("class 0x{class:02x}, "));
            }
            let flow = word & 0x000f_ffff;
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

    /// tcpdump's TCP part, from `src.port > dst.port:` to `length N`.
    fn tcp(&mut self, out: &mut String, s: &Segment<'_>) {
        let data = s.data;
        let at = s.at;
        let (Some(sport), Some(dport)) = (bytes::be_u16(data, at), bytes::be_u16(data, at + 2))
        else {
            out.push_str(&format!(
                "{} > {}: [|tcp]",
                addr_text(&s.src),
                addr_text(&s.dst)
            ));
            return;
        };
        if s.with_addresses {
            out.push_str(&format!(
                "{}.{sport} > {}.{dport}: ",
                addr_text(&s.src),
                addr_text(&s.dst)
            ));
        } else {
            out.push_str(&format!("{sport} > {dport}: "));
        }
        if bytes::slice(data, at, 20).is_none() {
            out.push_str(" [|tcp]");
            return;
        }
        // The fixed header is captured: these reads cannot fail.
        let raw_seq = bytes::be_u32(data, at + 4).unwrap_or(0);
        let raw_ack = bytes::be_u32(data, at + 8).unwrap_or(0);
        let offset = bytes::u8_at(data, at + 12).unwrap_or(0);
        let flags = bytes::u8_at(data, at + 13).unwrap_or(0);
        let window = bytes::be_u16(data, at + 14).unwrap_or(0);
        let stored_sum = bytes::be_u16(data, at + 16).unwrap_or(0);
        let urgent = bytes::be_u16(data, at + 18).unwrap_or(0);
        let hlen = u32::from(offset >> 4) * 4;
        if hlen < 20 {
            out.push_str(&format!(
                " tcp {} [bad hdr length {hlen} - too short, < 20]",
                s.length.wrapping_sub(hlen)
            ));
            return;
        }
        let letters: String = FLAG_LETTERS
            .iter()
            .filter(|(bit, _)| flags & bit != 0)
            .map(|(_, c)| *c)
            .collect();
        out.push_str(&format!(
            "Flags [{}]",
            if letters.is_empty() { "none" } else { &letters }
        ));
        let numbers = if !self.absolute && flags & flag::ACK != 0 {
            self.relative(s, sport, dport, flags, raw_seq, raw_ack)
        } else {
            Numbers {
                seq: raw_seq,
                ack: raw_ack,
                sack_base: 0,
            }
        };
        if hlen > s.length {
            out.push_str(&format!(
                " [bad hdr length {hlen} - too long, > {}]",
                s.length
            ));
            return;
        }
        if self.verbose && !s.fragmented {
            let whole = usize::try_from(s.length)
                .ok()
                .and_then(|n| bytes::slice(data, at, n));
            if let Some(whole) = whole {
                let pseudo = checksum::pseudo_header(&s.src, &s.sum_dst, 6, s.length);
                let computed = checksum::finish(checksum::add(pseudo, whole));
                out.push_str(&format!(", cksum 0x{stored_sum:04x}"));
                if computed == 0 {
                    out.push_str(" (correct)");
                } else {
                    out.push_str(&format!(
                        " (incorrect -> 0x{:04x})",
                        should_be(stored_sum, computed)
                    ));
                }
            }
        }
        let payload_len = s.length - hlen;
        if payload_len > 0 || flags & (flag::SYN | flag::FIN | flag::RST) != 0 {
            out.push_str(&format!(", seq {}", numbers.seq));
            if payload_len > 0 {
                out.push_str(&format!(":{}", numbers.seq.wrapping_add(payload_len)));
            }
        }
        if flags & flag::ACK != 0 {
            out.push_str(&format!(", ack {}", numbers.ack));
        }
        out.push_str(&format!(", win {window}"));
        if flags & flag::URG != 0 {
            out.push_str(&format!(", urg {urgent}"));
        }
        if hlen > 20 {
            out.push_str(", options [");
            let mut separated = false;
            match self.tcp_options(out, s, hlen, numbers.sack_base, &mut separated) {
                Ok(()) => out.push(']'),
                Err(OptionStop::Bad) => {
                    out.push_str("[bad opt]");
                    if separated {
                        out.push(']');
                    }
                    return;
                }
                Err(OptionStop::Truncated) => {
                    out.push_str(" [|tcp]");
                    if separated {
                        out.push('>');
                    }
                    return;
                }
                Err(OptionStop::Abandoned) => {
                    out.push_str(" [|tcp]");
                    return;
                }
            }
        }
        out.push_str(&format!(", length {payload_len}"));
        if payload_len == 0 {
            return;
        }
        let header_len = usize::try_from(hlen).unwrap_or(usize::MAX);
        if data.len() < at + header_len {
            out.push_str(&format!(
                " [remaining caplen({}) < header length({header_len})] [|tcp]",
                data.len().saturating_sub(at)
            ));
            return;
        }
        if flags & flag::RST != 0 && self.verbose {
            rst_data(out, bytes::tail(data, at + header_len), payload_len);
        }
    }

    /// Looks up (or starts) tcpdump's entry for this connection and makes the numbers
    /// relative to it.
    fn relative(
        &mut self,
        s: &Segment<'_>,
        sport: u16,
        dport: u16,
        flags: u8,
        seq: u32,
        ack: u32,
    ) -> Numbers {
        let reversed = sport > dport || (sport == dport && s.src > s.dst);
        let key = if reversed {
            Conversation {
                first: s.dst,
                second: s.src,
                ports: u32::from(dport) << 16 | u32::from(sport),
            }
        } else {
            Conversation {
                first: s.src,
                second: s.dst,
                ports: u32::from(sport) << 16 | u32::from(dport),
            }
        };
        let known = self.bases.get(&key).copied();
        match known {
            Some(b) if flags & flag::SYN == 0 => {
                let (own, peer) = if reversed {
                    (b.second, b.first)
                } else {
                    (b.first, b.second)
                };
                Numbers {
                    seq: seq.wrapping_sub(own),
                    ack: ack.wrapping_sub(peer),
                    sack_base: peer,
                }
            }
            _ => {
                // The acknowledged number is the peer's next one, so its start is one
                // less (exact for a SYN/ACK, a guess for a connection seen mid-way).
                let peer = ack.wrapping_sub(1);
                let b = if reversed {
                    Bases {
                        first: peer,
                        second: seq,
                    }
                } else {
                    Bases {
                        first: seq,
                        second: peer,
                    }
                };
                self.bases.insert(key, b);
                Numbers {
                    seq,
                    ack,
                    sack_base: peer,
                }
            }
        }
    }

    /// The option list, without the brackets. `separated` tells whether a comma has
    /// been written (tcpdump closes differently then).
    fn tcp_options(
        &self,
        out: &mut String,
        s: &Segment<'_>,
        hlen: u32,
        sack_base: u32,
        separated: &mut bool,
    ) -> Result<(), OptionStop> {
        let data = s.data;
        // `left` counts declared header bytes not yet consumed; reads may still fail
        // when they were not captured.
        let mut left = usize::try_from(hlen - 20).unwrap_or(0);
        let mut cp = s.at + 20;
        // Both checks tcpdump makes before reading option data: within the declared
        // header, and captured.
        let check = |cp: usize, left: usize, n: usize| -> Result<(), OptionStop> {
            if n > left {
                return Err(OptionStop::Bad);
            }
            if bytes::slice(data, cp, n).is_none() {
                return Err(OptionStop::Truncated);
            }
            Ok(())
        };
        while left > 0 {
            if *separated {
                out.push(',');
            }
            let kind = bytes::u8_at(data, cp).ok_or(OptionStop::Abandoned)?;
            cp += 1;
            let zero_len = kind == 0 || kind == 1;
            let len = if zero_len {
                1
            } else {
                let len = usize::from(bytes::u8_at(data, cp).ok_or(OptionStop::Abandoned)?);
                cp += 1;
                if len < 2 || len > left {
                    return Err(OptionStop::Bad);
                }
                left -= 1;
                len
            };
            left -= 1;
            match name_of(TCP_OPTION_NAMES, kind) {
                Some(name) => out.push_str(name),
                None => out.push_str(&format!("unknown-{kind}")),
            }
            let u8_at = |off: usize| bytes::u8_at(data, cp + off).unwrap_or(0);
            let u16_at = |off: usize| bytes::be_u16(data, cp + off).unwrap_or(0);
            let u32_at = |off: usize| bytes::be_u32(data, cp + off).unwrap_or(0);
            let datalen = match kind {
                2 => {
                    check(cp, left, 2)?;
                    out.push_str(&format!(" {}", u16_at(0)));
                    2
                }
                3 => {
                    check(cp, left, 1)?;
                    out.push_str(&format!(" {}", u8_at(0)));
                    1
                }
                5 => {
                    let datalen = len - 2;
                    if !datalen.is_multiple_of(8) {
                        out.push_str(" invalid sack");
                    } else {
                        // RFC 2018: each block is a left and right edge in the
                        // sequence space of the data being acknowledged.
                        out.push_str(&format!(" {} ", datalen / 8));
                        for i in (0..datalen).step_by(8) {
                            check(cp, left, i + 4)?;
                            let start = u32_at(i).wrapping_sub(sack_base);
                            check(cp, left, i + 8)?;
                            let end = u32_at(i + 4).wrapping_sub(sack_base);
                            out.push_str(&format!("{{{start}:{end}}}"));
                        }
                    }
                    datalen
                }
                6 | 7 | 11 | 12 | 13 => {
                    check(cp, left, 4)?;
                    out.push_str(&format!(" {}", u32_at(0)));
                    4
                }
                8 => {
                    check(cp, left, 8)?;
                    out.push_str(&format!(" val {} ecr {}", u32_at(0), u32_at(4)));
                    8
                }
                19 => {
                    check(cp, left, 16)?;
                    // tcpdump cannot verify without the whole payload, and has no
                    // key unless given one with -M.
                    let captured = usize::try_from(s.length)
                        .ok()
                        .and_then(|n| bytes::slice(data, s.at, n))
                        .is_some();
                    out.push(' ');
                    if !captured {
                        out.push_str("snaplen too short, ");
                    } else {
                        out.push_str("shared secret not supplied with -M, ");
                    }
                    out.push_str("can't check - ");
                    out.push_str(&hex_text(bytes::slice(data, cp, 16).unwrap_or(&[]), None));
                    16
                }
                20 => {
                    check(cp, left, 2)?;
                    out.push_str(&format!(" cap {:02x} id {}", u8_at(0), u8_at(1)));
                    2
                }
                28 => {
                    check(cp, left, 2)?;
                    let raw = u32::from(u16_at(0));
                    // RFC 5482: the low bit says whether the rest counts minutes.
                    let timeout = if raw & 1 != 0 {
                        (raw >> 1) * 60
                    } else {
                        raw >> 1
                    };
                    out.push_str(&format!(" 0x{raw:x} {timeout}"));
                    2
                }
                29 => {
                    let datalen = len - 2;
                    if datalen < 2 {
                        out.push_str(" (invalid)");
                    } else {
                        check(cp, left, 1)?;
                        out.push_str(&format!(" keyid {}", u8_at(0)));
                        check(cp, left, 2)?;
                        out.push_str(&format!(" rnextkeyid {}", u8_at(1)));
                        if datalen > 2 {
                            out.push_str(" mac 0x");
                            for i in 2..datalen {
                                check(cp, left, i + 1)?;
                                out.push_str(&format!("{:02x}", u8_at(i)));
                            }
                        }
                    }
                    datalen
                }
                30 => {
                    // TODO(synack): decode MPTCP subtypes as tcpdump's mptcp printer.
                    check(cp, left, len - 2)?;
                    len - 2
                }
                34 => {
                    let datalen = len - 2;
                    check(cp, left, datalen)?;
                    out.push(' ');
                    fast_open(out, bytes::slice(data, cp, datalen).unwrap_or(&[]), false);
                    datalen
                }
                254 => {
                    let datalen = len - 2;
                    check(cp, left, datalen)?;
                    if datalen < 2 {
                        return Err(OptionStop::Bad);
                    }
                    let magic = u16_at(0);
                    out.push('-');
                    // RFC 6994 experiment ids; 0xf989 is TCP Fast Open (RFC 7413).
                    if magic == 0xf989 {
                        let cookie = bytes::slice(data, cp + 2, datalen - 2).unwrap_or(&[]);
                        fast_open(out, cookie, true);
                    } else {
                        out.push_str(&format!("{magic:04x}"));
                    }
                    datalen
                }
                0 | 1 | 4 => 0,
                _ => {
                    let datalen = len - 2;
                    if datalen > 0 {
                        out.push_str(" 0x");
                    }
                    for i in 0..datalen {
                        check(cp, left, i + 1)?;
                        out.push_str(&format!("{:02x}", u8_at(i)));
                    }
                    datalen
                }
            };
            cp += datalen;
            left = left.saturating_sub(datalen);
            let accounted = datalen + if zero_len { 1 } else { 2 };
            if accounted != len {
                out.push_str(&format!("[len {len}]"));
            }
            *separated = true;
            if kind == 0 {
                break;
            }
        }
        Ok(())
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

/// tcpdump's IPv4 option list; `None` when an option was not captured.
fn ip_options(out: &mut String, area: &[u8], declared: usize) -> Option<()> {
    let mut pos = 0usize;
    let mut left = declared;
    let mut first = true;
    while left > 0 {
        if !first {
            out.push(',');
        }
        first = false;
        let code = bytes::u8_at(area, pos)?;
        match name_of(IP_OPTION_NAMES, code) {
            Some(name) => out.push_str(name),
            None => out.push_str(&format!("unknown {code}")),
        }
        let len = if code == 0 || code == 1 {
            1
        } else {
            let len = usize::from(bytes::u8_at(area, pos + 1)?);
            if len < 2 {
                out.push_str(&format!(" [bad length {len}]"));
                return Some(());
            }
            len
        };
        if len > left {
            out.push_str(&format!(" [bad length {len}]"));
            return Some(());
        }
        let option = bytes::slice(area, pos, len)?;
        match code {
            0 => return Some(()),
            68 => ip_timestamps(out, option),
            7 | 131 | 137 => ip_route(out, option),
            148 => {
                if len < 4 {
                    out.push_str(&format!(" [bad length {len}]"));
                } else if let Some(value) = bytes::be_u16(option, 2).filter(|v| *v != 0) {
                    out.push_str(&format!(" value {value}"));
                }
            }
            _ => {}
        }
        pos += len;
        left -= len;
    }
    Some(())
}

/// A recorded or source route (RFC 791): the addresses, a comma after those already
/// passed.
fn ip_route(out: &mut String, option: &[u8]) {
    let len = option.len();
    if len < 3 {
        out.push_str(&format!(" [bad length {len}]"));
        return;
    }
    if (len + 1) & 3 != 0 {
        out.push_str(&format!(" [bad length {len}]"));
    }
    let pointer = bytes::u8_at(option, 2).unwrap_or(0);
    // tcpdump computes `pointer - 1` unsigned: a pointer of 0 wraps to the largest
    // value, which is bad and lies past every address (each gets a comma).
    let ptr = usize::from(pointer).checked_sub(1);
    if ptr.is_none_or(|p| p < 3 || (p + 1) & 3 != 0 || p > len + 1) {
        out.push_str(&format!(" [bad ptr {pointer}]"));
    }
    let mut at = 3;
    while at < len {
        let Some(addr) = bytes::array::<4>(option, at) else {
            break;
        };
        out.push_str(&format!(" {}", ipv4_text(&addr)));
        if ptr.is_none_or(|p| p > at) {
            out.push(',');
        }
        at += 4;
    }
}

/// The internet timestamp option (RFC 791).
fn ip_timestamps(out: &mut String, option: &[u8]) {
    let len = option.len();
    if len < 4 {
        out.push_str(&format!("[bad length {len}]"));
        return;
    }
    out.push_str(" TS{");
    let pointer = bytes::u8_at(option, 2).unwrap_or(0);
    let flags = bytes::u8_at(option, 3).unwrap_or(0);
    // Flag 1 and 3 carry an address before each stamp; 0 stamps only.
    let hop = if flags & 0x0f != 0 { 8 } else { 4 };
    if (len - 4) & (hop - 1) != 0 {
        out.push_str(&format!("[bad length {len}]"));
    }
    let ptr = usize::from(pointer).wrapping_sub(1);
    if ptr < 4 || (ptr.wrapping_sub(4)) & (hop - 1) != 0 || ptr > len + 1 {
        out.push_str(&format!("[bad ptr {pointer}]"));
    }
    let mut at = 4;
    match flags & 0x0f {
        0 => out.push_str("TSONLY"),
        1 => out.push_str("TS+ADDR"),
        3 => out.push_str("PRESPEC"),
        other => {
            out.push_str(&format!("[bad ts type {other}]"));
            at = 0;
        }
    }
    if at != 0 {
        while at < len {
            out.push_str(if ptr == at { " ^ " } else { " " });
            let stamp = bytes::be_u32(option, at + hop - 4).unwrap_or(0);
            let addr = if hop == 8 {
                bytes::array::<4>(option, at)
                    .map(|a| ipv4_text(&a))
                    .unwrap_or_default()
            } else {
                String::new()
            };
            out.push_str(&format!("{stamp}@{addr}"));
            at += hop;
        }
    }
    if ptr == at {
        out.push_str(" ^ ");
    }
    if flags >> 4 != 0 {
        out.push_str(&format!(" [{} hops not recorded]}} ", flags >> 4));
    } else {
        out.push('}');
    }
}

/// The final destination of a loose or strict source route (RFC 791), which the
/// transport checksum's pseudo-header uses instead of the header's destination.
fn source_route_destination(options: &[u8]) -> Option<[u8; 4]> {
    let mut pos = 0usize;
    while let Some(code) = bytes::u8_at(options, pos) {
        let len = match code {
            0 => return None,
            1 => 1,
            _ => usize::from(bytes::u8_at(options, pos + 1)?),
        };
        if len < 2 && code != 1 {
            return None;
        }
        let option = bytes::slice(options, pos, len)?;
        if (code == 131 || code == 137) && len >= 7 {
            return bytes::array::<4>(option, len - 4);
        }
        pos += len;
    }
    None
}

/// TCP Fast Open (RFC 7413): a cookie request when empty, else the cookie in hex.
fn fast_open(out: &mut String, cookie: &[u8], experimental: bool) {
    if experimental {
        out.push_str("tfo");
    }
    if cookie.is_empty() {
        out.push_str(" cookiereq");
    } else if !cookie.len().is_multiple_of(2) || cookie.len() < 4 || cookie.len() > 16 {
        out.push_str(" (invalid)");
    } else {
        out.push_str(" cookie ");
        out.push_str(&hex_text(cookie, None));
    }
}

/// `-v` on a RST with data (RFC 1122 4.2.2.12 lets it carry a reason): up to 30
/// bytes, non-ASCII as `M-`, controls as `^`.
fn rst_data(out: &mut String, captured: &[u8], length: u32) {
    let all = usize::try_from(length).is_ok_and(|n| captured.len() >= n);
    out.push_str(if all { " [RST" } else { " [!RST" });
    let mut shown = length;
    if length > MAX_RST_DATA {
        shown = MAX_RST_DATA;
        out.push('+');
    }
    out.push(' ');
    let shown = usize::try_from(shown).unwrap_or(usize::MAX);
    for &byte in captured.iter().take(shown) {
        let mut c = byte;
        if c & 0x80 != 0 {
            c &= 0x7f;
            out.push_str("M-");
        }
        if !(0x20..=0x7e).contains(&c) {
            c ^= 0x40;
            out.push('^');
        }
        out.push(char::from(c));
    }
    out.push(']');
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::{BlockKind, Interface, LinkType, TsResolution};
    use crate::dissect::{FieldSet, PacketContext, Want, dissect_packet, registry};

    fn hex(text: &str) -> Vec<u8> {
        text.split_whitespace()
            .map(|b| u8::from_str_radix(b, 16).unwrap())
            .collect()
    }

    /// tcp_clean_close.pcap frame 9: the client's SYN.
    const SYN: &str = "46 8a 89 72 3f d1 7e 7d b9 f1 43 58 08 00 45 00
        00 3c 49 b3 40 00 40 06 dc f2 0a 0a 00 01 0a 0a 00 02 e9 9c 2a 35 fe 13
        25 9b 00 00 00 00 a0 02 fa f0 8b 9c 00 00 02 04 05 b4 04 02 08 0a c6 f5
        ae e2 00 00 00 00 01 03 03 0a";
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
    /// tcp_lossy_bulk.pcap frame 46: the server's first ACK with a SACK block.
    const BULK_SACK: &str = "0e fc c6 a6 05 9b 36 bf e1 76 03 2b 08 00 45 00
        00 40 82 0f 40 00 40 06 a4 92 0a 0a 00 02 0a 0a 00 01 ca 9e d5 c6 15 2f
        1c 1d 6e e4 29 b7 b0 10 00 4d 0d bb 00 00 01 01 08 0a 89 42 b7 f8 b9 b9
        77 16 01 01 05 0a 6e e4 2f 5f 6e e4 35 07";
    /// tcp_ipv6.pcapng frame 12: the client's 18-byte request over IPv6.
    const V6_REQUEST: &str = "9e f6 6c a6 95 c7 c2 50 c5 75 57 45 86 dd 60 03
        ef 07 00 32 06 40 fd 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 fd 00
        00 00 00 00 00 00 00 00 00 00 00 00 00 02 af aa 17 f7 c9 d3 7a 3f 9a 6a
        94 50 80 18 00 40 9b 64 00 00 01 01 08 0a cb 52 c7 53 08 0d 2d 37 47 45
        54 20 2f 20 48 54 54 50 2f 31 2e 30 0d 0a 0d 0a";

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
        let iface = Interface {
            link_type: LinkType::ETHERNET,
            snaplen: 0,
            ts_resolution: TsResolution::MICROS,
            ts_offset_secs: 0,
            name: None,
            description: None,
            section: 0,
            options: Vec::new(),
        };
        let ctx = PacketContext {
            number: 1,
            record: &record,
            iface: &iface,
            first_ts_nanos: 0,
            prev_ts_nanos: 0,
            prev_displayed_ts_nanos: 0,
            analysis: None,
            marked: false,
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
}
