//! tcpdump's TCP part, from `src.port > dst.port:` to `length N`: flags, its own
//! relative numbers, the checksum, the options and a RST's data.

use super::{Printer, addr_text, name_of, should_be};
use crate::bytes;
use crate::dissect::checksum;
use crate::dissect::ipv4::Addr;
use crate::dissect::value::hex_text;
use crate::wire::{Limit, TcpView};

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
/// tcpdump's key for a connection: the lower port's side first (on equal ports, the
/// lower address), so that both directions find the same entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct Conversation {
    first: Addr,
    second: Addr,
    /// First side's port in the high 16 bits.
    ports: u32,
}

/// What tcpdump subtracts: the numbers each side started from.
#[derive(Debug, Clone, Copy)]
pub(super) struct Bases {
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
pub(super) struct Segment<'a> {
    /// The frame cut at the end of the IP datagram, as tcpdump limits what it reads.
    pub(super) data: &'a [u8],
    /// Offset of the TCP header in `data`.
    pub(super) at: usize,
    /// TCP header and payload length from the IP header (may exceed what was captured).
    pub(super) length: u32,
    pub(super) src: Addr,
    pub(super) dst: Addr,
    /// Destination in the checksum pseudo-header (the last hop of a source route).
    pub(super) sum_dst: Addr,
    /// The IP header names TCP directly (no IPv6 extension header between), so
    /// tcpdump prints addresses with the ports.
    pub(super) with_addresses: bool,
    /// Part of a fragmented datagram: tcpdump does not check the checksum.
    pub(super) fragmented: bool,
}
impl Printer {
    /// tcpdump's TCP part, from `src.port > dst.port:` to `length N`.
    pub(super) fn tcp(&mut self, out: &mut String, s: &Segment<'_>) {
        let data = s.data;
        let header = bytes::tail(data, s.at);
        let Some((sport, dport)) = TcpView::ports_of(header) else {
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
        let Ok(tcp) = TcpView::new(header) else {
            out.push_str(" [|tcp]");
            return;
        };
        let raw_seq = tcp.seq_number().raw();
        let raw_ack = tcp.ack_number().raw();
        // tcpdump 4.99 reads the flags as one byte: AE (0x100) is left out.
        let flags = (tcp.flags().bits() & 0xff) as u8;
        let window = tcp.window_len();
        let stored_sum = tcp.checksum();
        let urgent = tcp.urgent_at();
        let hlen = u32::from(tcp.data_offset()) * 4;
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
            let whole = usize::try_from(s.length).ok().and_then(|n| header.get(..n));
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
            match self.tcp_options(out, s, &tcp, numbers.sack_base, &mut separated) {
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
        let header_len = tcp.header_len();
        if header.len() < header_len {
            out.push_str(&format!(
                " [remaining caplen({}) < header length({header_len})] [|tcp]",
                header.len()
            ));
            return;
        }
        if flags & flag::RST != 0 && self.verbose {
            rst_data(out, tcp.payload(), payload_len);
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
        tcp: &TcpView<'_>,
        sack_base: u32,
        separated: &mut bool,
    ) -> Result<(), OptionStop> {
        let mut options = tcp.options();
        loop {
            // tcpdump writes the comma before it reads the next kind byte.
            if options.is_at_end() {
                return Ok(());
            }
            if *separated {
                out.push(',');
            }
            let option = match options.next() {
                None => return Ok(()),
                Some(Ok(option)) => option,
                // A type or length byte was not captured: tcpdump gives up.
                Some(Err(short)) if short.limit == Limit::Captured => {
                    return Err(OptionStop::Abandoned);
                }
                Some(Err(_)) => return Err(OptionStop::Bad),
            };
            let kind = option.kind;
            let len = usize::from(option.len);
            let zero_len = kind == 0 || kind == 1;
            // tcpdump reads each kind's usual size whatever the length says, within
            // the declared header and the capture.
            let left = option.following_declared();
            let following = option.following();
            let check = |n: usize| -> Result<(), OptionStop> {
                if n > left {
                    return Err(OptionStop::Bad);
                }
                if n > following.len() {
                    return Err(OptionStop::Truncated);
                }
                Ok(())
            };
            match name_of(TCP_OPTION_NAMES, kind) {
                Some(name) => out.push_str(name),
                None => out.push_str(&format!("unknown-{kind}")),
            }
            let u8_at = |off: usize| bytes::u8_at(following, off).unwrap_or(0);
            let u16_at = |off: usize| bytes::be_u16(following, off).unwrap_or(0);
            let u32_at = |off: usize| bytes::be_u32(following, off).unwrap_or(0);
            // Data bytes in hex, each checked before it is read, as tcpdump does.
            let hex_run = |out: &mut String, range: std::ops::Range<usize>| {
                for i in range {
                    check(i + 1)?;
                    out.push_str(&format!("{:02x}", u8_at(i)));
                }
                Ok(())
            };
            let datalen = match kind {
                2 => {
                    check(2)?;
                    out.push_str(&format!(" {}", u16_at(0)));
                    2
                }
                3 => {
                    check(1)?;
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
                            check(i + 4)?;
                            let start = u32_at(i).wrapping_sub(sack_base);
                            check(i + 8)?;
                            let end = u32_at(i + 4).wrapping_sub(sack_base);
                            out.push_str(&format!("{{{start}:{end}}}"));
                        }
                    }
                    datalen
                }
                6 | 7 | 11 | 12 | 13 => {
                    check(4)?;
                    out.push_str(&format!(" {}", u32_at(0)));
                    4
                }
                8 => {
                    check(8)?;
                    out.push_str(&format!(" val {} ecr {}", u32_at(0), u32_at(4)));
                    8
                }
                19 => {
                    check(16)?;
                    // tcpdump cannot verify without the whole payload, and has no
                    // key unless given one with -M.
                    let captured = usize::try_from(s.length)
                        .ok()
                        .and_then(|n| bytes::slice(s.data, s.at, n))
                        .is_some();
                    out.push(' ');
                    if !captured {
                        out.push_str("snaplen too short, ");
                    } else {
                        out.push_str("shared secret not supplied with -M, ");
                    }
                    out.push_str("can't check - ");
                    out.push_str(&hex_text(following.get(..16).unwrap_or(&[]), None));
                    16
                }
                20 => {
                    check(2)?;
                    out.push_str(&format!(" cap {:02x} id {}", u8_at(0), u8_at(1)));
                    2
                }
                28 => {
                    check(2)?;
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
                        check(1)?;
                        out.push_str(&format!(" keyid {}", u8_at(0)));
                        check(2)?;
                        out.push_str(&format!(" rnextkeyid {}", u8_at(1)));
                        if datalen > 2 {
                            out.push_str(" mac 0x");
                            hex_run(out, 2..datalen)?;
                        }
                    }
                    datalen
                }
                30 => {
                    // TODO(synack): decode MPTCP subtypes as tcpdump's mptcp printer.
                    check(len - 2)?;
                    len - 2
                }
                34 => {
                    let datalen = len - 2;
                    check(datalen)?;
                    out.push(' ');
                    fast_open(out, following.get(..datalen).unwrap_or(&[]), false);
                    datalen
                }
                254 => {
                    let datalen = len - 2;
                    check(datalen)?;
                    if datalen < 2 {
                        return Err(OptionStop::Bad);
                    }
                    let magic = u16_at(0);
                    out.push('-');
                    // RFC 6994 experiment ids; 0xf989 is TCP Fast Open (RFC 7413).
                    if magic == 0xf989 {
                        let cookie = following.get(2..datalen).unwrap_or(&[]);
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
                    hex_run(out, 0..datalen)?;
                    datalen
                }
            };
            let header_bytes = if zero_len { 1 } else { 2 };
            let accounted = datalen + header_bytes;
            if accounted != len {
                out.push_str(&format!("[len {len}]"));
            }
            *separated = true;
            if kind == 0 {
                return Ok(());
            }
            // tcpdump steps over what it read, not over what the length says.
            options.resume_at(option.offset + accounted);
        }
    }
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
pub(super) fn rst_data(out: &mut String, captured: &[u8], length: u32) {
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
