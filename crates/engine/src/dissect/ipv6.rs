//! IPv6 (RFC 8200) and its extension headers: hop-by-hop, routing, fragment and
//! destination options, followed for at most [`MAX_EXTENSION_HEADERS`].

use super::context::PacketContext;
use super::field::Base;
use super::field::kinds::*;
use super::ipv4::{Addr, NetInfo, PROTOCOLS, address_fields, transport};
use super::tree::Dissection;
use super::value::{Value, ipv6_text};
use crate::bytes;
use crate::wire::Ipv6View;

/// Extension headers followed before giving up (a chain of them must not loop).
pub const MAX_EXTENSION_HEADERS: usize = 16;

/// What a node does with an option it does not know (the type's top two bits).
const OPTION_ACTIONS: &[(u64, &str)] = &[
    (0, "Skip and continue"),
    (1, "Discard"),
    (2, "Discard and send ICMP Parameter Problem"),
    (3, "Discard and send ICMP if not multicast"),
];
/// The option type's "may change en route" bit, named as tshark names it.
const YES_NO: &[(u64, &str)] = &[(0, "No"), (1, "Yes")];
const OPTION_TYPES: &[(u64, &str)] = &[
    (0x00, "Pad1"),
    (0x01, "PadN"),
    (0x05, "Router Alert"),
    (0xc2, "Jumbo Payload"),
    (0x04, "Tunnel Encapsulation Limit"),
];

crate::define_fields! { after super::ipv4::END;
    IPV6_PROTO = "ipv6", "Internet Protocol Version 6", PROTO;
    VERSION = "ipv6.version", "Version", uint(8, Base::Dec, 0xf0, None);
    TCLASS = "ipv6.tclass", "Traffic Class", uint(32, Base::Hex, 0x0ff0_0000, None);
    TCLASS_DSCP = "ipv6.tclass.dscp", "Differentiated Services Codepoint", uint(32, Base::Dec, 0x0fc0_0000, Some(super::ipv4::DSCP));
    TCLASS_ECN = "ipv6.tclass.ecn", "Explicit Congestion Notification", uint(32, Base::Dec, 0x0030_0000, Some(super::ipv4::ECN));
    FLOW = "ipv6.flow", "Flow Label", uint(24, Base::Hex, 0x0f_ffff, None);
    PLEN = "ipv6.plen", "Payload Length", dec(16);
    NXT = "ipv6.nxt", "Next Header", dec_named(8, PROTOCOLS);
    HLIM = "ipv6.hlim", "Hop Limit", dec(8);
    SRC = "ipv6.src", "Source Address", IPV6;
    ADDR = "ipv6.addr", "Source or Destination Address", IPV6;
    SRC_HOST = "ipv6.src_host", "Source Host", STR;
    HOST = "ipv6.host", "Source or Destination Host", STR;
    DST = "ipv6.dst", "Destination Address", IPV6;
    DST_HOST = "ipv6.dst_host", "Destination Host", STR;
    SRC_SLAAC_MAC = "ipv6.src_slaac_mac", "Source SLAAC MAC", ETHER;
    DST_SLAAC_MAC = "ipv6.dst_slaac_mac", "Destination SLAAC MAC", ETHER;
    SLAAC_MAC = "ipv6.slaac_mac", "SLAAC MAC", ETHER;
    HOPOPTS = "ipv6.hopopts", "IPv6 Hop-by-Hop Option", PROTO;
    HOPOPTS_NXT = "ipv6.hopopts.nxt", "Next Header", dec_named(8, PROTOCOLS);
    HOPOPTS_LEN = "ipv6.hopopts.len", "Length", dec(8);
    HOPOPTS_LEN_OCT = "ipv6.hopopts.len_oct", "Length", dec(16);
    DSTOPTS = "ipv6.dstopts", "Destination Options for IPv6", PROTO;
    DSTOPTS_NXT = "ipv6.dstopts.nxt", "Next Header", dec_named(8, PROTOCOLS);
    DSTOPTS_LEN = "ipv6.dstopts.len", "Length", dec(8);
    DSTOPTS_LEN_OCT = "ipv6.dstopts.len_oct", "Length", dec(16);
    OPT = "ipv6.opt", "IPv6 Option", NONE;
    OPT_TYPE = "ipv6.opt.type", "Type", hex_named(8, OPTION_TYPES);
    OPT_TYPE_ACTION = "ipv6.opt.type.action", "Action", uint(8, Base::Dec, 0xc0, Some(OPTION_ACTIONS));
    OPT_TYPE_CHANGE = "ipv6.opt.type.change", "May Change", uint(8, Base::Names, 0x20, Some(YES_NO));
    OPT_TYPE_REST = "ipv6.opt.type.rest", "Low-Order Bits", uint(8, Base::Hex, 0x1f, None);
    OPT_LENGTH = "ipv6.opt.length", "Length", dec(8);
    OPT_ROUTER_ALERT = "ipv6.opt.router_alert", "Router Alert", dec(16);
    OPT_PADN = "ipv6.opt.padn", "PadN", BYTES;
    ROUTING = "ipv6.routing", "Routing Header for IPv6", PROTO;
    ROUTING_NXT = "ipv6.routing.nxt", "Next Header", dec_named(8, PROTOCOLS);
    ROUTING_LEN = "ipv6.routing.len", "Length", dec(8);
    ROUTING_TYPE = "ipv6.routing.type", "Type", dec(8);
    ROUTING_SEGLEFT = "ipv6.routing.segleft", "Segments Left", dec(8);
    FRAGMENT = "ipv6.fraghdr", "Fragment Header for IPv6", PROTO;
    FRAGMENT_NXT = "ipv6.fraghdr.nxt", "Next header", dec_named(8, PROTOCOLS);
    FRAGMENT_RESERVED_OCTET = "ipv6.fraghdr.reserved_octet", "Reserved octet", hex(8);
    FRAGMENT_OFFSET = "ipv6.fraghdr.offset", "Offset", uint(16, Base::Dec, 0xfff8, None);
    FRAGMENT_RESERVED_BITS = "ipv6.fraghdr.reserved_bits", "Reserved bits", uint(16, Base::Dec, 0x0006, None);
    FRAGMENT_MORE = "ipv6.fraghdr.more", "More Fragments", flag(16, 0x0001);
    FRAGMENT_ID = "ipv6.fraghdr.ident", "Identification", hex(32);
    FRAGMENT_PART = "ipv6.fragment", "IPv6 Fragment", FRAME;
    FRAGMENT_OVERLAP = "ipv6.fragment.overlap", "Fragment overlap", flag(0, 0);
    FRAGMENT_CONFLICT = "ipv6.fragment.overlap.conflict", "Conflicting data in fragment overlap", flag(0, 0);
    FRAGMENT_MULTIPLE_TAILS = "ipv6.fragment.multipletails", "Multiple tail fragments found", flag(0, 0);
    FRAGMENT_TOO_LONG = "ipv6.fragment.toolongfragment", "Fragment too long", flag(0, 0);
    FRAGMENT_ERROR = "ipv6.fragment.error", "Defragmentation error", FRAME;
    FRAGMENT_COUNT = "ipv6.fragment.count", "Fragment count", dec(32);
    FRAGMENTS = "ipv6.fragments", "IPv6 Fragments", NONE;
    REASSEMBLED_IN = "ipv6.reassembled.in", "Reassembled IPv6 in frame", FRAME;
    REASSEMBLED_LENGTH = "ipv6.reassembled.length", "Reassembled IPv6 length", dec(32);
    REASSEMBLED_DATA = "ipv6.reassembled.data", "Reassembled IPv6 data", BYTES;
}

/// IPv6's fragment list fields.
const FRAGMENT_FIELDS: super::fragments::Fields = super::fragments::Fields {
    name: "IPv6",
    fragments: FRAGMENTS,
    fragments_bytes: false,
    fragment: FRAGMENT_PART,
    overlap: FRAGMENT_OVERLAP,
    conflict: FRAGMENT_CONFLICT,
    multiple_tails: FRAGMENT_MULTIPLE_TAILS,
    too_long: FRAGMENT_TOO_LONG,
    error: FRAGMENT_ERROR,
    count: FRAGMENT_COUNT,
    length: REASSEMBLED_LENGTH,
    data: REASSEMBLED_DATA,
    reassembled_in: REASSEMBLED_IN,
};

/// What the fragment header says.
#[derive(Debug, Clone, Copy)]
struct FragHeader {
    next: u8,
    /// Offset in bytes.
    offset: u16,
    more: bool,
    id: u32,
}

/// The MAC address a stateless autoconfigured address (at `at`) was made from: its
/// interface identifier is a modified EUI-64 (`ff:fe` in the middle) with the
/// universal bit set, as tshark requires before it shows one.
fn slaac_mac(d: &mut Dissection<'_>, field: super::field::FieldId, at: usize, addr: &[u8; 16]) {
    let [.., a, b, c, 0xff, 0xfe, e, f, g] = *addr else {
        return;
    };
    if a & 0x02 == 0 {
        return;
    }
    let mac = [a ^ 0x02, b, c, e, f, g];
    d.add_generated(field, at + 8, 8, Value::Ether(mac));
    d.add_hidden(SLAAC_MAC, at + 8, 8, Value::Ether(mac));
}

/// Dissects an IPv6 header at `offset`; returns where the packet ends.
pub fn dissect<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    data: &'a [u8],
    offset: usize,
) -> Option<usize> {
    let ip = super::view_or_cut(d, ctx, Ipv6View::new(bytes::tail(data, offset)), offset)?;
    let plen = ip.payload_len();
    let mut next = ip.next_header();
    let hlim = ip.hop_limit();
    let src = ip.src_addr();
    let dst = ip.dst_addr();
    let version = ip.version();
    let tclass = u32::from(ip.traffic_class());
    let flow = ip.flow_label();

    let item = d.add_labeled(IPV6_PROTO, offset, 40, Value::None, || {
        format!(
            "Internet Protocol Version 6, Src: {}, Dst: {}",
            ipv6_text(&src),
            ipv6_text(&dst)
        )
    });
    d.push_layer("ipv6");
    d.set_protocol("IPv6");
    d.set_addresses(|| (ipv6_text(&src), ipv6_text(&dst)));
    d.begin(item);
    d.add(VERSION, offset, 1, Value::UInt(u64::from(version)));
    let tc = d.add_labeled(TCLASS, offset, 4, Value::UInt(u64::from(tclass)), || {
        format!(
            "{} = Traffic Class: 0x{tclass:02x} (DSCP: {}, ECN: {})",
            super::value::bit_chart(32, 0x0ff0_0000, u64::from(tclass)),
            super::ipv4::dscp_short(u8::try_from(tclass >> 2).unwrap_or_default()),
            super::ipv4::ecn_short(u8::try_from(tclass & 3).unwrap_or_default())
        )
    });
    d.begin(tc);
    d.add(TCLASS_DSCP, offset, 4, Value::UInt(u64::from(tclass >> 2)));
    d.add(TCLASS_ECN, offset, 4, Value::UInt(u64::from(tclass & 3)));
    d.end();
    d.add(FLOW, offset + 1, 3, Value::UInt(u64::from(flow)));
    d.add(PLEN, offset + 4, 2, Value::UInt(u64::from(plen)));
    d.add(NXT, offset + 6, 1, Value::UInt(u64::from(next)));
    d.add(HLIM, offset + 7, 1, Value::UInt(u64::from(hlim)));
    address_fields(
        d,
        [SRC, ADDR, SRC_HOST, HOST],
        offset + 8,
        16,
        Addr::V6(src),
    );
    address_fields(
        d,
        [DST, ADDR, DST_HOST, HOST],
        offset + 24,
        16,
        Addr::V6(dst),
    );
    // What tshark reads out of the addresses comes after both.
    slaac_mac(d, SRC_SLAAC_MAC, offset + 8, &src);
    slaac_mac(d, DST_SLAAC_MAC, offset + 24, &dst);

    let end = offset + 40 + usize::from(plen);
    let mut pos = offset + 40;
    let mut frag = None;
    for _ in 0..MAX_EXTENSION_HEADERS {
        let step = match next {
            0 | 60 => options_header(d, data, pos, next == 0),
            43 => routing_header(d, data, pos),
            44 => {
                // tshark reads the fragment header within the payload length: one
                // that does not fit is malformed, one not captured is cut short.
                if pos + 8 > end {
                    d.end();
                    super::malformed(d, data, pos, "IPv6 Fragment", 8);
                    // The header's name is in the marker; the column stays IPv6.
                    d.set_protocol("IPv6");
                    return Some(end);
                }
                let Some(h) = fragment_header(d, data, pos) else {
                    d.end();
                    super::truncated(d, ctx, data, pos, "IPv6 Fragment");
                    return Some(end);
                };
                frag = Some(h);
                Some((h.next, 8))
            }
            _ => break,
        };
        let Some((following, len)) = step else {
            d.end();
            return Some(end);
        };
        next = following;
        pos += len;
        // The headers after a fragment header belong to the reassembled payload.
        if frag.is_some_and(|h| h.offset != 0 || h.more) {
            break;
        }
    }
    let fragment = frag.is_some_and(|h| h.offset != 0 || h.more);
    let net = NetInfo {
        src: Addr::V6(src),
        dst: Addr::V6(dst),
        payload_offset: pos,
        payload_len: end.saturating_sub(pos),
        fragment,
        ttl: hlim,
    };
    // A fragment whose bytes are all there joins its datagram (tshark's
    // ipv6.defragment); the one that completes it carries the whole datagram.
    let mut kept = false;
    let mut reassembled = None;
    if let Some(h) = frag.filter(|_| fragment)
        && let Some(payload) = bytes::slice(data, pos, net.payload_len)
    {
        kept = ctx.analysis.is_some() && !d.in_error;
        let piece = super::context::FragmentIn {
            key: super::context::FragmentKey {
                src: net.src,
                dst: net.dst,
                id: h.id,
                proto: 0,
            },
            offset: u32::from(h.offset),
            more: h.more,
            payload,
            at: u32::try_from(pos).unwrap_or(u32::MAX),
        };
        reassembled = super::fragments::add(d, ctx, &piece)
            .map(|r| (super::fragments::tree(d, &FRAGMENT_FIELDS, &r), r));
        // IPv6's Info names no reassembling frame (IPv4's does).
        super::fragments::reassembled_in(d, ctx, &FRAGMENT_FIELDS);
    }
    d.end();
    if let Some((source, r)) = reassembled {
        super::fragments::payload(d, ctx, &r, source, &net, next);
        return Some(end);
    }
    if let Some(h) = frag.filter(|h| h.offset != 0 || kept) {
        d.set_info(|| {
            format!(
                "IPv6 fragment (off={} more={} ident=0x{:08x} nxt={})",
                h.offset,
                if h.more { 'y' } else { 'n' },
                h.id,
                h.next
            )
        });
        super::data::dissect_len(d, data, pos, net.payload_len);
        return Some(end);
    }
    if next == 59 {
        d.set_info(|| "IPv6 no next header".into());
        return Some(end);
    }
    transport(d, ctx, data, &net, next);
    Some(end)
}

/// Hop-by-hop or destination options; returns (next header, header length).
fn options_header<'a>(
    d: &mut Dissection<'a>,
    data: &'a [u8],
    pos: usize,
    hop_by_hop: bool,
) -> Option<(u8, usize)> {
    let next = bytes::u8_at(data, pos)?;
    let len_field = bytes::u8_at(data, pos + 1)?;
    let len = (usize::from(len_field) + 1) * 8;
    let (proto, nxt, lenf, lenoct, name) = if hop_by_hop {
        (
            HOPOPTS,
            HOPOPTS_NXT,
            HOPOPTS_LEN,
            HOPOPTS_LEN_OCT,
            "ipv6.hopopts",
        )
    } else {
        (
            DSTOPTS,
            DSTOPTS_NXT,
            DSTOPTS_LEN,
            DSTOPTS_LEN_OCT,
            "ipv6.dstopts",
        )
    };
    let item = d.add(proto, pos, len, Value::None);
    d.push_layer(name);
    d.begin(item);
    d.add(nxt, pos, 1, Value::UInt(u64::from(next)));
    d.add(lenf, pos + 1, 1, Value::UInt(u64::from(len_field)));
    d.add_generated_labeled(lenoct, Value::UInt(len as u64), || {
        format!("Length: {len} bytes")
    });
    let mut at = pos + 2;
    let end = pos + len;
    while at < end {
        let Some(kind) = bytes::u8_at(data, at) else {
            break;
        };
        if kind == 0 {
            let o = d.add_labeled(OPT, at, 1, Value::None, || "Pad1".into());
            d.begin(o);
            option_type(d, at, 0);
            d.end();
            at += 1;
            continue;
        }
        let Some(olen) = bytes::u8_at(data, at + 1) else {
            break;
        };
        let olen = usize::from(olen);
        let name =
            super::value::value_name(Some(OPTION_TYPES), u64::from(kind)).unwrap_or("Unknown");
        let o = d.add_labeled(OPT, at, 2 + olen, Value::None, || name.to_string());
        d.begin(o);
        option_type(d, at, kind);
        d.add(OPT_LENGTH, at + 1, 1, Value::UInt(olen as u64));
        match kind {
            5 => {
                if let Some(ra) = bytes::be_u16(data, at + 2) {
                    d.add_labeled(
                        OPT_ROUTER_ALERT,
                        at + 2,
                        2,
                        Value::UInt(u64::from(ra)),
                        || match ra {
                            0 => "Router Alert: MLD (0)".to_string(),
                            1 => "Router Alert: RSVP (1)".to_string(),
                            _ => format!("Router Alert: {ra}"),
                        },
                    );
                }
            }
            1 => {
                let pad = bytes::slice(data, at + 2, olen).unwrap_or(&[]);
                d.add_labeled(OPT_PADN, at + 2, olen, Value::Bytes(pad.into()), || {
                    if pad.is_empty() {
                        "PadN: <none>".into()
                    } else {
                        format!("PadN: {}", super::value::hex_text(pad, None))
                    }
                });
            }
            _ => {}
        }
        d.end();
        at += 2 + olen;
    }
    d.end();
    Some((next, len))
}

fn routing_header<'a>(d: &mut Dissection<'a>, data: &'a [u8], pos: usize) -> Option<(u8, usize)> {
    let next = bytes::u8_at(data, pos)?;
    let len_field = bytes::u8_at(data, pos + 1)?;
    let kind = bytes::u8_at(data, pos + 2)?;
    let left = bytes::u8_at(data, pos + 3)?;
    let len = (usize::from(len_field) + 1) * 8;
    let item = d.add(ROUTING, pos, len, Value::None);
    d.push_layer("ipv6.routing");
    d.begin(item);
    d.add(ROUTING_NXT, pos, 1, Value::UInt(u64::from(next)));
    d.add(ROUTING_LEN, pos + 1, 1, Value::UInt(u64::from(len_field)));
    d.add(ROUTING_TYPE, pos + 2, 1, Value::UInt(u64::from(kind)));
    d.add(ROUTING_SEGLEFT, pos + 3, 1, Value::UInt(u64::from(left)));
    d.end();
    Some((next, len))
}

/// The fragment header (RFC 8200 section 4.5) and its items.
fn fragment_header<'a>(d: &mut Dissection<'a>, data: &'a [u8], pos: usize) -> Option<FragHeader> {
    let next = bytes::u8_at(data, pos)?;
    let reserved = bytes::u8_at(data, pos + 1)?;
    let off = bytes::be_u16(data, pos + 2)?;
    let id = bytes::be_u32(data, pos + 4)?;
    let item = d.add(FRAGMENT, pos, 8, Value::None);
    d.push_layer("ipv6.fraghdr");
    d.begin(item);
    d.add(FRAGMENT_NXT, pos, 1, Value::UInt(u64::from(next)));
    d.add(
        FRAGMENT_RESERVED_OCTET,
        pos + 1,
        1,
        Value::UInt(u64::from(reserved)),
    );
    let units = off >> 3;
    d.add_labeled(
        FRAGMENT_OFFSET,
        pos + 2,
        2,
        Value::UInt(u64::from(units)),
        || {
            format!(
                "{} = Offset: {units} ({} bytes)",
                super::value::bit_chart(16, 0xfff8, u64::from(units)),
                u32::from(units) * 8
            )
        },
    );
    d.add(
        FRAGMENT_RESERVED_BITS,
        pos + 2,
        2,
        Value::UInt(u64::from((off >> 1) & 3)),
    );
    let more = off & 1 != 0;
    d.add_labeled(FRAGMENT_MORE, pos + 2, 2, Value::Bool(more), || {
        format!(
            "{} = More Fragments: {}",
            super::value::bit_chart(16, 1, u64::from(more)),
            if more { "Yes" } else { "No" }
        )
    });
    d.add(FRAGMENT_ID, pos + 4, 4, Value::UInt(u64::from(id)));
    d.end();
    Some(FragHeader {
        next,
        offset: off & 0xfff8,
        more,
        id,
    })
}

/// An option's type byte with its three parts (RFC 8200 section 4.2): what a node
/// that does not know the option does, whether its data may change en route, and
/// the rest of the number.
fn option_type(d: &mut Dissection<'_>, at: usize, kind: u8) {
    let kind = u64::from(kind);
    let node = d.add(OPT_TYPE, at, 1, Value::UInt(kind));
    d.begin(node);
    d.add(OPT_TYPE_ACTION, at, 1, Value::UInt(kind >> 6));
    d.add(OPT_TYPE_CHANGE, at, 1, Value::UInt((kind >> 5) & 1));
    d.add(OPT_TYPE_REST, at, 1, Value::UInt(kind & 0x1f));
    d.end();
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_frame, with_patched, with_truncated};

    /// multi_iface.pcapng frame 1: an MLDv2 report behind a hop-by-hop header.
    #[test]
    fn header_and_hop_by_hop() {
        with_frame("multi_iface.pcapng", 1, |d| {
            assert_eq!(field(d, "ipv6.src"), "fe80::8c7e:e7ff:fe74:9796");
            assert_eq!(field(d, "ipv6.dst"), "ff02::16");
            assert_eq!(field(d, "ipv6.nxt"), "0");
            assert_eq!(field(d, "ipv6.hlim"), "1");
            assert_eq!(field(d, "ipv6.tclass"), "0x00000000");
            assert_eq!(field(d, "ipv6.hopopts.nxt"), "58");
            assert_eq!(field(d, "ipv6.opt.router_alert"), "0");
            assert_eq!(d.layers_joined(), "eth:ethertype:ipv6:ipv6.hopopts:icmpv6");
        });
        with_frame("tcp_ipv6.pcapng", 9, |d| {
            assert_eq!(field(d, "ipv6.flow"), "0x03ef07");
            assert_eq!(field(d, "tcp.dstport"), "6135");
        });
    }

    #[test]
    fn truncated_and_looping_extension_headers() {
        with_truncated("tcp_ipv6.pcapng", 9, 30, |d| {
            assert!(d.has(crate::dissect::ws::SHORT));
        });
        // A hop-by-hop header whose next header is hop-by-hop again, forever: the walk
        // stops after MAX_EXTENSION_HEADERS.
        with_patched(
            "multi_iface.pcapng",
            1,
            |b| {
                b[20] = 0; // IPv6 next header: hop-by-hop
                b[18..20].copy_from_slice(&[1, 64]); // payload length 320
                // Every following 8-byte header says: hop-by-hop again, length 0.
                b.truncate(54);
                b.resize(54 + 8 * 40, 0);
            },
            |d| {
                let count = d.nodes.iter().filter(|n| n.field == super::HOPOPTS).count();
                assert!(count <= super::MAX_EXTENSION_HEADERS);
            },
        );
    }

    /// ip_fragments.pcap frame 10 (the first fragment of a ping): its fragment header
    /// cut by the snap length, then not within a payload length of 0.
    #[test]
    fn fragment_header_cut_or_outside_the_payload() {
        with_truncated("ip_fragments.pcap", 10, 58, |d| {
            assert!(d.has(crate::dissect::ws::SHORT));
            assert_eq!(field(d, "ipv6.fraghdr.ident"), "");
        });
        with_patched(
            "ip_fragments.pcap",
            10,
            |b| b[18..20].copy_from_slice(&[0, 0]),
            |d| {
                assert!(d.columns.info.contains("[Malformed Packet]"));
                assert_eq!(d.columns.protocol, "IPv6");
            },
        );
    }
}
