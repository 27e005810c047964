//! What each packet gives the conversation tables: one [`Hit`] per top-level Ethernet,
//! IPv4, IPv6, TCP and UDP header, read from a dissection that keeps only their
//! address and port fields (tshark's taps see the same headers: a datagram quoted in
//! an ICMP error is not counted).

use super::conversations::{Address, Kind};
use crate::dissect::ipv4::Addr;
use crate::dissect::{
    Dissection, FieldSet, Node, Value, ethernet, icmp, icmpv6, ipv4, ipv6, tcp, udp,
};

/// One header's addresses as a conversation table counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// The table it counts in.
    pub kind: Kind,
    /// Source address.
    pub src: Address,
    /// Destination address.
    pub dst: Address,
    /// Source and destination ports (TCP and UDP; 0 otherwise).
    pub ports: (u16, u16),
    /// `tcp.stream` or `udp.stream` (0 otherwise or without analysis, [`NO_STREAM`]
    /// for a TCP segment without one): a reused 4-tuple is another conversation.
    pub stream: u32,
}

/// The fields [`hits`] reads.
pub fn fields() -> FieldSet {
    let mut set = FieldSet::new();
    for id in [
        ethernet::SRC,
        ethernet::DST,
        ipv4::SRC,
        ipv4::DST,
        ipv6::SRC,
        ipv6::DST,
        tcp::SRCPORT,
        tcp::DSTPORT,
        tcp::STREAM,
        udp::SRCPORT,
        udp::DSTPORT,
        udp::STREAM,
        icmp::ICMP,
        icmpv6::ICMPV6,
        ipv6::FRAGMENT_OFFSET,
        ipv6::FRAGMENT_MORE,
        ipv6::FRAGMENT_PART,
    ] {
        set.insert(id);
    }
    set
}

/// Depth of a top-level protocol's own fields (a quoted header's are deeper).
const FIELD_DEPTH: u8 = 1;

/// Appends to `out` the hits of the packet dissected into `d` (with [`fields`]), in
/// tree order.
pub fn hits(d: &Dissection<'_>, out: &mut Vec<Hit>) {
    let mut eth_dst: Option<[u8; 6]> = None;
    let mut ip_src: Option<Address> = None;
    // The addresses of the innermost network header so far: TCP and UDP count
    // their ports with them.
    let mut net: Option<(Address, Address)> = None;
    let mut sport: Option<u16> = None;
    // tshark's IPv6 tap skips a fragment that completes no datagram: the index of
    // its hit, dropped unless the fragment list of a reassembly follows.
    let mut v6_fragment: Option<usize> = None;
    for node in &d.nodes {
        let field = node.field;
        if field == icmp::ICMP || field == icmpv6::ICMPV6 {
            // What follows is a quoted datagram (an error's), which no table counts.
            break;
        }
        let fragment_bit = match (field, &node.value) {
            (f, Value::UInt(offset)) if f == ipv6::FRAGMENT_OFFSET => *offset != 0,
            (f, Value::Bool(more)) if f == ipv6::FRAGMENT_MORE => *more,
            _ => false,
        };
        if fragment_bit && v6_fragment.is_none() {
            v6_fragment = out
                .iter()
                .rposition(|h| h.kind == Kind::Ipv6)
                .filter(|i| i + 1 == out.len());
        } else if field == ipv6::FRAGMENT_PART {
            v6_fragment = None;
        }
        if node.depth != FIELD_DEPTH {
            continue;
        }
        if field == ethernet::DST {
            eth_dst = ether(node);
        } else if field == ethernet::SRC {
            if let (Some(dst), Some(src)) = (eth_dst.take(), ether(node)) {
                out.push(Hit {
                    kind: Kind::Ethernet,
                    src: Address::Ether(src),
                    dst: Address::Ether(dst),
                    ports: (0, 0),
                    stream: 0,
                });
            }
        } else if field == ipv4::SRC || field == ipv6::SRC {
            ip_src = ip(node);
        } else if field == ipv4::DST || field == ipv6::DST {
            if let (Some(src), Some(dst)) = (ip_src.take(), ip(node)) {
                let kind = if field == ipv4::DST {
                    Kind::Ipv4
                } else {
                    Kind::Ipv6
                };
                out.push(Hit {
                    kind,
                    src,
                    dst,
                    ports: (0, 0),
                    stream: 0,
                });
                net = Some((src, dst));
            }
        } else if field == tcp::SRCPORT || field == udp::SRCPORT {
            sport = port(node);
        } else if field == udp::DSTPORT {
            if let (Some((src, dst)), Some(s), Some(p)) = (net, sport.take(), port(node)) {
                out.push(Hit {
                    kind: Kind::Udp,
                    src,
                    dst,
                    ports: (s, p),
                    stream: 0,
                });
            }
        } else if field == tcp::DSTPORT {
            // Its stream follows; a segment the analysis did not see (a header
            // longer than the segment) has none and still counts, as in tshark,
            // under [`NO_STREAM`].
            if let (Some(s), Some(p)) = (sport.take(), port(node)) {
                pending_tcp(out, net, s, p);
            }
        } else if field == tcp::STREAM
            && let (Some(last), Value::UInt(stream)) = (out.last_mut(), &node.value)
            && last.kind == Kind::Tcp
            && last.stream == NO_STREAM
        {
            last.stream = u32::try_from(*stream).unwrap_or(NO_STREAM);
        }
        // tshark's UDP table keys a row by `udp.stream` too: the media of a call that
        // SDP announced per socket is a row per announced socket.
        else if field == udp::STREAM
            && let (Some(last), Value::UInt(stream)) = (out.last_mut(), &node.value)
            && last.kind == Kind::Udp
        {
            last.stream = u32::try_from(*stream).unwrap_or(0);
        }
    }
    if let Some(i) = v6_fragment
        && i < out.len()
    {
        out.remove(i);
    }
}

/// The `stream` of a TCP hit whose segment has no `tcp.stream`.
pub const NO_STREAM: u32 = u32::MAX;

/// Pushes a TCP hit whose stream is still to come.
fn pending_tcp(out: &mut Vec<Hit>, net: Option<(Address, Address)>, sport: u16, dport: u16) {
    if let Some((src, dst)) = net {
        out.push(Hit {
            kind: Kind::Tcp,
            src,
            dst,
            ports: (sport, dport),
            stream: NO_STREAM,
        });
    }
}

fn ether(node: &Node<'_>) -> Option<[u8; 6]> {
    match node.value {
        Value::Ether(a) => Some(a),
        _ => None,
    }
}

fn ip(node: &Node<'_>) -> Option<Address> {
    match node.value {
        Value::Ipv4(a) => Some(Address::Ip(Addr::V4(a))),
        Value::Ipv6(a) => Some(Address::Ip(Addr::V6(a))),
        _ => None,
    }
}

fn port(node: &Node<'_>) -> Option<u16> {
    match node.value {
        Value::UInt(p) => u16::try_from(p).ok(),
        _ => None,
    }
}
