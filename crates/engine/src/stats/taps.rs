//! What each packet gives the conversation tables: one [`Hit`] per top-level Ethernet,
//! IPv4, IPv6, TCP and UDP header, read from a dissection that keeps only their
//! address and port fields (tshark's taps see the same headers: a datagram quoted in
//! an ICMP error is not counted).

use super::conversations::{Address, Kind};
use crate::capture::LinkType;
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

impl Hit {
    /// The hit of an Ethernet header.
    fn ethernet(src: [u8; 6], dst: [u8; 6]) -> Hit {
        Hit::of(Kind::Ethernet, Address::Ether(src), Address::Ether(dst))
    }

    /// A hit without ports or stream (Ethernet, IPv4, IPv6).
    fn of(kind: Kind, src: Address, dst: Address) -> Hit {
        Hit {
            kind,
            src,
            dst,
            ports: (0, 0),
            stream: 0,
        }
    }
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
                out.push(Hit::ethernet(src, dst));
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
                out.push(Hit::of(kind, src, dst));
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

/// The hits of a plain TCP segment read straight from its headers, without a
/// dissection: Ethernet II (VLAN tags allowed), then IPv4 (whole, not a fragment) or
/// IPv6 (no extension header), then a whole TCP header (the payload may be cut), with
/// `stream` (the segment's recorded `tcp.stream`). `false`, with nothing appended, for
/// anything else (tunnels, UDP with its streams, ICMP, fragments, cut or odd headers):
/// those go through [`hits`] on a dissection. Most packets of a big capture are plain
/// TCP, and the reports that count them (`-z conv`, `-z endpoints`, the Conversations
/// window) would otherwise dissect every packet again after the load. `taps::tests`
/// checks it gives what [`hits`] gives on every packet of the test captures it takes.
pub fn plain_tcp_hits(link: LinkType, data: &[u8], stream: u32, out: &mut Vec<Hit>) -> bool {
    use crate::wire::{Ipv4View, Ipv6View, TcpView};
    if link != LinkType::ETHERNET || stream == NO_STREAM {
        return false;
    }
    // VLAN tags are walked as the partitioner walks them; no table counts them.
    let (Some(dst), Some(src), Some((ethertype, at))) = (
        crate::bytes::array::<6>(data, 0),
        crate::bytes::array::<6>(data, 6),
        crate::dissect::route::ethernet(data),
    ) else {
        return false;
    };
    let ip = crate::bytes::tail(data, at);
    let (ip_src, ip_dst, kind, segment) = match ethertype {
        0x0800 => {
            let Ok(v4) = Ipv4View::new(ip) else {
                return false;
            };
            let header = v4.header_len();
            let total = usize::from(v4.total_len());
            if v4.version() != 4
                || header < 20
                || v4.is_fragment()
                || v4.protocol() != 6
                || total < header
            {
                return false;
            }
            // A segment cut by the snapshot length still counts whole (its TCP
            // header is checked below).
            let segment = ip.get(header..total.min(ip.len())).unwrap_or_default();
            (
                Addr::V4(v4.src_addr()),
                Addr::V4(v4.dst_addr()),
                Kind::Ipv4,
                segment,
            )
        }
        0x86dd => {
            let Ok(v6) = Ipv6View::new(ip) else {
                return false;
            };
            let total = 40 + usize::from(v6.payload_len());
            if v6.version() != 6 || v6.next_header() != 6 || v6.payload_len() == 0 {
                return false;
            }
            let segment = ip.get(40..total.min(ip.len())).unwrap_or_default();
            (
                Addr::V6(v6.src_addr()),
                Addr::V6(v6.dst_addr()),
                Kind::Ipv6,
                segment,
            )
        }
        _ => return false,
    };
    let Ok(tcp) = TcpView::new(segment) else {
        return false;
    };
    if tcp.header_len() < 20 || tcp.header_len() > segment.len() {
        return false;
    }
    let (src_ip, dst_ip) = (Address::Ip(ip_src), Address::Ip(ip_dst));
    out.push(Hit::ethernet(src, dst));
    out.push(Hit::of(kind, src_ip, dst_ip));
    out.push(Hit {
        kind: Kind::Tcp,
        src: src_ip,
        dst: dst_ip,
        ports: (tcp.src_port(), tcp.dst_port()),
        stream,
    });
    true
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::dissect::Want;
    use crate::tcp::Loaded;

    /// Every packet of the project's test captures (and of the shared real captures
    /// when they are beside the checkout) that [`plain_tcp_hits`] takes gets from it
    /// exactly what [`hits`] finds in a dissection; it takes most TCP segments.
    #[test]
    fn plain_tcp_hits_equal_the_dissections_on_every_test_capture() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut files = Vec::new();
        // SYNACK_TAPS_CORPUS names one more folder (the tcpdump corpus, say); its
        // files that do not open are passed over.
        let extra = std::env::var_os("SYNACK_TAPS_CORPUS").map(std::path::PathBuf::from);
        for dir in [
            Some(root.join("tests/captures")),
            Some(root.join("../shared/captures/real")),
            extra.clone(),
        ]
        .into_iter()
        .flatten()
        {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            files.extend(
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|e| e == "pcap" || e == "pcapng")),
            );
        }
        files.sort();
        assert!(files.len() >= 50, "{} captures", files.len());
        let (mut taken, mut tcp_packets) = (0usize, 0usize);
        for path in &files {
            let loaded = match Loaded::open(path) {
                Ok(loaded) => loaded,
                Err(_) if extra.as_ref().is_some_and(|e| path.starts_with(e)) => continue,
                Err(e) => panic!("{}: {e}", path.display()),
            };
            let analysis = loaded.analysis();
            let mut d = Dissection::new(Want::Fields(fields()), false, false);
            for i in 0..loaded.len() {
                d.clear();
                let record = loaded.dissect_into(i, None, &analysis, &mut d).unwrap();
                let mut dissected = Vec::new();
                hits(&d, &mut dissected);
                tcp_packets += usize::from(dissected.iter().any(|h| h.kind == Kind::Tcp));
                let (_, bytes) = loaded.capture.packet(i).unwrap();
                let link = loaded.capture.interface_of(&record).link_type;
                let mut plain = Vec::new();
                if plain_tcp_hits(link, bytes, record.stream, &mut plain) {
                    taken += 1;
                    assert_eq!(plain, dissected, "{} frame {}", path.display(), i + 1);
                } else {
                    assert!(plain.is_empty());
                }
            }
        }
        eprintln!("{taken} of {tcp_packets} TCP packets read from their headers");
        assert!(
            taken * 10 > tcp_packets * 7,
            "{taken} of {tcp_packets} TCP packets"
        );
    }
}
