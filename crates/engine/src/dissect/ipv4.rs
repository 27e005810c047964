//! IPv4 (RFC 791): header, options, fragments, and the hand-off to the transport layer
//! (shared with IPv6).

use super::context::PacketContext;
use super::field::Base;
use super::field::kinds::*;
use super::tree::Dissection;
use super::value::{Value, ipv4_text, ipv6_text};
use super::{icmp, icmpv6, ipv6, tcp, udp};
use crate::bytes;
use crate::wire::Ipv4View;
use std::hint::cold_path;

pub use super::ip_protocols::PROTOCOLS;
const CHECKSUM_STATUS: &[(u64, &str)] = &[
    (0, "Bad"),
    (1, "Good"),
    (2, "Unverified"),
    (3, "Not present"),
    (4, "Illegal"),
];
/// DSCP names, shared with IPv6's traffic class.
pub const DSCP: &[(u64, &str)] = &[
    (0, "Default"),
    (1, "Lower Effort"),
    (8, "Class Selector 1"),
    (10, "Assured Forwarding 11"),
    (12, "Assured Forwarding 12"),
    (14, "Assured Forwarding 13"),
    (16, "Class Selector 2"),
    (18, "Assured Forwarding 21"),
    (20, "Assured Forwarding 22"),
    (22, "Assured Forwarding 23"),
    (24, "Class Selector 3"),
    (26, "Assured Forwarding 31"),
    (28, "Assured Forwarding 32"),
    (30, "Assured Forwarding 33"),
    (32, "Class Selector 4"),
    (34, "Assured Forwarding 41"),
    (36, "Assured Forwarding 42"),
    (38, "Assured Forwarding 43"),
    (40, "Class Selector 5"),
    (44, "Voice Admit"),
    (46, "Expedited Forwarding"),
    (48, "Class Selector 6"),
    (56, "Class Selector 7"),
];
/// ECN names, shared with IPv6's traffic class.
pub const ECN: &[(u64, &str)] = &[
    (0, "Not ECN-Capable Transport"),
    (1, "ECN-Capable Transport codepoint '01'"),
    (2, "ECN-Capable Transport codepoint '10'"),
    (3, "Congestion Experienced"),
];
/// Checksum status names shared by the protocols that carry a checksum.
pub const STATUS_NAMES: &[(u64, &str)] = CHECKSUM_STATUS;

crate::define_fields! { after super::arp::END;
    IP = "ip", "Internet Protocol Version 4", PROTO;
    VERSION = "ip.version", "Version", uint(8, Base::Dec, 0xf0, None);
    HDR_LEN = "ip.hdr_len", "Header Length", uint(8, Base::Dec, 0x0f, None);
    DSFIELD = "ip.dsfield", "Differentiated Services Field", hex(8);
    DSCP_FIELD = "ip.dsfield.dscp", "Differentiated Services Codepoint", uint(8, Base::Dec, 0xfc, Some(DSCP));
    ECN_FIELD = "ip.dsfield.ecn", "Explicit Congestion Notification", uint(8, Base::Dec, 0x03, Some(ECN));
    LEN = "ip.len", "Total Length", dec(16);
    ID = "ip.id", "Identification", hex_dec(16);
    FLAGS = "ip.flags", "Flags", uint(8, Base::Hex, 0xe0, None);
    FLAGS_RB = "ip.flags.rb", "Reserved bit", flag(8, 0x80);
    FLAGS_DF = "ip.flags.df", "Don't fragment", flag(8, 0x40);
    FLAGS_MF = "ip.flags.mf", "More fragments", flag(8, 0x20);
    FRAG_OFFSET = "ip.frag_offset", "Fragment Offset", uint(16, Base::Dec, 0x1fff, None);
    TTL = "ip.ttl", "Time to Live", dec(8);
    PROTO_FIELD = "ip.proto", "Protocol", dec_named(8, PROTOCOLS);
    CHECKSUM = "ip.checksum", "Header Checksum", hex(16);
    CHECKSUM_CALCULATED = "ip.checksum_calculated", "Calculated Checksum", hex(16);
    CHECKSUM_STATUS_FIELD = "ip.checksum.status", "Header checksum status", named(8, CHECKSUM_STATUS);
    SRC = "ip.src", "Source Address", IPV4;
    ADDR = "ip.addr", "Source or Destination Address", IPV4;
    SRC_HOST = "ip.src_host", "Source Host", STR;
    HOST = "ip.host", "Source or Destination Host", STR;
    DST = "ip.dst", "Destination Address", IPV4;
    DST_HOST = "ip.dst_host", "Destination Host", STR;
    OPTIONS = "ip.options", "Options", BYTES;
    OPT_TYPE = "ip.opt.type", "Type", dec(8);
    OPT_LEN = "ip.opt.len", "Length", dec(8);
    OPT_ROUTER_ALERT = "ip.opt.ra", "Router Alert", dec(16);
    FRAGMENT_OVERLAP = "ip.fragment.overlap", "Fragment overlap", flag(0, 0);
    FRAGMENT_CONFLICT = "ip.fragment.overlap.conflict", "Conflicting data in fragment overlap", flag(0, 0);
    FRAGMENT_MULTIPLE_TAILS = "ip.fragment.multipletails", "Multiple tail fragments found", flag(0, 0);
    FRAGMENT_TOO_LONG = "ip.fragment.toolongfragment", "Fragment too long", flag(0, 0);
    FRAGMENT_ERROR = "ip.fragment.error", "Defragmentation error", FRAME;
    FRAGMENT_COUNT = "ip.fragment.count", "Fragment count", dec(32);
    FRAGMENT = "ip.fragment", "IPv4 Fragment", FRAME;
    FRAGMENTS = "ip.fragments", "IPv4 Fragments", BYTES;
    REASSEMBLED_IN = "ip.reassembled_in", "Reassembled IPv4 in frame", FRAME;
    REASSEMBLED_LENGTH = "ip.reassembled.length", "Reassembled IPv4 length", dec(32);
    REASSEMBLED_DATA = "ip.reassembled.data", "Reassembled IPv4 data", BYTES;
}

/// IPv4's fragment list fields.
const FRAGMENT_FIELDS: super::fragments::Fields = super::fragments::Fields {
    name: "IPv4",
    fragments: FRAGMENTS,
    fragments_bytes: true,
    fragment: FRAGMENT,
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

/// A network-layer address. Ordered as the derived order would be (every IPv4
/// address before every IPv6 one, then byte by byte), but compared and hashed as one
/// integer: every TCP segment and UDP datagram orders and hashes its addresses for
/// its conversation, and the byte-wise forms cost several times more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Addr {
    /// IPv4.
    V4([u8; 4]),
    /// IPv6.
    V6([u8; 16]),
}

impl Ord for Addr {
    #[inline]
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        // Big-endian integers order as their bytes do.
        match (self, other) {
            (Addr::V4(a), Addr::V4(b)) => u32::from_be_bytes(*a).cmp(&u32::from_be_bytes(*b)),
            (Addr::V6(a), Addr::V6(b)) => u128::from_be_bytes(*a).cmp(&u128::from_be_bytes(*b)),
            (Addr::V4(_), Addr::V6(_)) => std::cmp::Ordering::Less,
            (Addr::V6(_), Addr::V4(_)) => std::cmp::Ordering::Greater,
        }
    }
}

impl PartialOrd for Addr {
    #[inline]
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl std::hash::Hash for Addr {
    #[inline]
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        match self {
            Addr::V4(a) => state.write_u32(u32::from_ne_bytes(*a)),
            Addr::V6(a) => state.write_u128(u128::from_ne_bytes(*a)),
        }
    }
}

impl Addr {
    /// The address as text.
    pub fn text(&self) -> String {
        match self {
            Addr::V4(a) => ipv4_text(a),
            Addr::V6(a) => ipv6_text(a),
        }
    }
}

/// What the network layer hands to the transport layer.
#[derive(Debug, Clone, Copy)]
pub struct NetInfo {
    /// Source address.
    pub src: Addr,
    /// Destination address.
    pub dst: Addr,
    /// Offset of the transport header in the frame.
    pub payload_offset: usize,
    /// Transport length the IP header reports (may exceed what was captured).
    pub payload_len: usize,
    /// The datagram is a fragment (not the whole transport PDU).
    pub fragment: bool,
    /// Time to live / hop limit (for ICMP echo's Info).
    pub ttl: u8,
}

/// One side's address items: the address, the hidden either-side address, and (when a
/// filter reads them) the host and either-side host, in that order.
pub(super) fn address_fields(
    d: &mut Dissection<'_>,
    [field, any, host, any_host]: [super::FieldId; 4],
    at: usize,
    len: usize,
    addr: Addr,
) {
    let value = || match addr {
        Addr::V4(a) => Value::Ipv4(a),
        Addr::V6(a) => Value::Ipv6(a),
    };
    d.add(field, at, len, value());
    d.add_hidden(any, at, len, value());
    if d.wants(host) || d.wants(any_host) {
        let text = addr.text().into_bytes();
        d.add_hidden(host, at, len, Value::Str(text.clone().into()));
        d.add_hidden(any_host, at, len, Value::Str(text.into()));
    }
}

/// Maximum IP-in-IP nesting followed.
pub(crate) const MAX_IP_NESTING: usize = 4;

/// How many IP layers the dissection is inside (tunnels stop at [`MAX_IP_NESTING`]).
pub(crate) fn ip_nesting(d: &Dissection<'_>) -> usize {
    d.layer_names()
        .iter()
        .filter(|n| **n == "ip" || **n == "ipv6")
        .count()
}

/// Dissects an IPv4 header at `offset`; returns where the datagram ends (for
/// Ethernet padding).
pub fn dissect<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    data: &'a [u8],
    offset: usize,
) -> Option<usize> {
    let parsed = Ipv4View::new(bytes::tail(data, offset));
    // Nothing at all after the link layer is malformed whatever the capture says.
    if let Err(short) = parsed
        && short.available == 0
    {
        super::malformed(d, data, offset, "IPv4", short.needed);
        return None;
    }
    let ip = super::view_or_cut(d, ctx, parsed, offset)?;
    let version = ip.version();
    let hdr_len = ip.header_len();
    if version != 4 || hdr_len < 20 {
        cold_path();
        return bogus_header(d, ctx, data, offset, &ip);
    }
    let tos = ip.tos();
    let total_len = ip.total_len();
    let id = ip.ident();
    let frag = ip.flags_and_offset();
    let ttl = ip.ttl();
    let proto = ip.protocol();
    let checksum = ip.checksum();
    let src = ip.src_addr();
    let dst = ip.dst_addr();

    let item = d.add_labeled(IP, offset, hdr_len.max(20), Value::None, || {
        format!(
            "Internet Protocol Version 4, Src: {}, Dst: {}",
            ipv4_text(&src),
            ipv4_text(&dst)
        )
    });
    d.push_layer("ip");
    d.set_protocol("IPv4");
    d.set_addresses(|| (ipv4_text(&src), ipv4_text(&dst)));
    let frag_offset = usize::from(frag & 0x1fff) * 8;
    let keeps_fields = d.keeps_fields_of(IP);
    let mut ttl_item = usize::MAX;
    let mut len_item = usize::MAX;
    if keeps_fields {
        cold_path();
        d.begin(item);
        d.add(VERSION, offset, 1, Value::UInt(u64::from(version)));
        let nibble = ip.ihl();
        d.add_labeled(HDR_LEN, offset, 1, Value::UInt(hdr_len as u64), || {
            format!(
                "{} = Header Length: {hdr_len} bytes ({nibble})",
                super::value::bit_chart(8, 0x0f, u64::from(nibble))
            )
        });
        let ds = d.add_labeled(DSFIELD, offset + 1, 1, Value::UInt(u64::from(tos)), || {
            format!(
                "Differentiated Services Field: 0x{tos:02x} (DSCP: {}, ECN: {})",
                dscp_short(tos >> 2),
                ecn_short(tos & 3)
            )
        });
        d.begin(ds);
        d.add(DSCP_FIELD, offset + 1, 1, Value::UInt(u64::from(tos >> 2)));
        d.add(ECN_FIELD, offset + 1, 1, Value::UInt(u64::from(tos & 3)));
        d.end();
        len_item = if total_len == 0 {
            // TCP segmentation offload: tshark presumes the datagram runs to the end
            // of the frame and says so.
            let presumed = (ctx.record.orig_len as usize).saturating_sub(offset);
            d.add_generated_labeled_at(LEN, (offset + 2, 2), Value::UInt(presumed as u64), || {
                format!(
                    "Total Length: {presumed} bytes (reported as 0, presumed to be because of \"TCP segmentation offload\" (TSO))"
                )
            })
        } else {
            d.add(LEN, offset + 2, 2, Value::UInt(u64::from(total_len)))
        };
        d.add(ID, offset + 4, 2, Value::UInt(u64::from(id)));
        let flags = (frag >> 13) as u8;
        let flags_item = d.add_labeled(FLAGS, offset + 6, 1, Value::UInt(u64::from(flags)), || {
            let mut names = Vec::new();
            if flags & 4 != 0 {
                names.push("Reserved bit");
            }
            if flags & 2 != 0 {
                names.push("Don't fragment");
            }
            if flags & 1 != 0 {
                names.push("More fragments");
            }
            let chart = super::value::bit_chart(8, 0xe0, u64::from(flags));
            if names.is_empty() {
                format!("{chart} = Flags: 0x{flags:x}")
            } else {
                format!("{chart} = Flags: 0x{flags:x}, {}", names.join(", "))
            }
        });
        d.begin(flags_item);
        d.add(FLAGS_RB, offset + 6, 1, Value::Bool(flags & 4 != 0));
        d.add(FLAGS_DF, offset + 6, 1, Value::Bool(flags & 2 != 0));
        d.add(FLAGS_MF, offset + 6, 1, Value::Bool(flags & 1 != 0));
        d.end();
        d.add_labeled(
            FRAG_OFFSET,
            offset + 6,
            2,
            Value::UInt(u64::from(frag & 0x1fff)),
            || {
                format!(
                    "{} = Fragment Offset: {frag_offset}",
                    super::value::bit_chart(16, 0x1fff, u64::from(frag & 0x1fff))
                )
            },
        );
        ttl_item = d.add(TTL, offset + 8, 1, Value::UInt(u64::from(ttl)));
        d.add(PROTO_FIELD, offset + 9, 1, Value::UInt(u64::from(proto)));
        d.add_labeled(
            CHECKSUM,
            offset + 10,
            2,
            Value::UInt(u64::from(checksum)),
            || format!("Header Checksum: 0x{checksum:04x} [validation disabled]"),
        );
        d.add_generated(CHECKSUM_STATUS_FIELD, offset + 10, 0, Value::UInt(2));
        let (src_fields, dst_fields) = ([SRC, ADDR, SRC_HOST, HOST], [DST, ADDR, DST_HOST, HOST]);
        address_fields(d, src_fields, offset + 12, 4, Addr::V4(src));
        address_fields(d, dst_fields, offset + 16, 4, Addr::V4(dst));
    }
    // Counted in the load pass too, where no item is kept.
    ttl_note(d, ttl_item, ttl, dst, proto);
    if hdr_len > 20 {
        cold_path();
        options(d, data, offset + 20, hdr_len - 20);
    }

    // A total length of 0 comes from TCP segmentation offload: the datagram runs to
    // the end of what the sender handed the card (Wireshark makes the same guess).
    let reported = (ctx.record.orig_len as usize).saturating_sub(offset);
    let total = if total_len == 0 {
        reported
    } else if usize::from(total_len) > reported && !d.in_error {
        cold_path();
        // The frame on the wire is shorter than the datagram claims: tshark says so
        // and reads only the bytes the frame has (a TCP segment of Len=0, say).
        d.expert(
            len_item,
            super::tree::Expert {
                severity: super::tree::Severity::Error,
                group: "Protocol",
                protocol: "IPv4",
                message: format!("IPv4 total length exceeds packet length ({reported} bytes)")
                    .into(),
            },
        );
        reported
    } else {
        usize::from(total_len)
    };
    let fragment = ip.is_fragment();
    let net = NetInfo {
        src: Addr::V4(src),
        dst: Addr::V4(dst),
        payload_offset: offset + hdr_len,
        payload_len: total.saturating_sub(hdr_len),
        fragment,
        ttl,
    };
    // A fragment whose bytes are all there joins its datagram (tshark's
    // ip.defragment); the one that completes it carries the whole datagram. With
    // `-o ip.defragment:FALSE` nothing is joined: the first fragment's payload goes
    // to its protocol as it is, the others show as fragments.
    let mut kept = false;
    let mut reassembled = None;
    let mut completed_in = None;
    if fragment
        && ctx.prefs.ip_defragment
        && total >= hdr_len
        && let Some(payload) = bytes::slice(data, net.payload_offset, net.payload_len)
    {
        cold_path();
        kept = ctx.analysis.is_some() && !d.in_error;
        let piece = super::context::FragmentIn {
            key: super::context::FragmentKey {
                src: net.src,
                dst: net.dst,
                id: u32::from(id),
                proto,
            },
            offset: u32::try_from(frag_offset).unwrap_or(u32::MAX),
            more: frag & 0x2000 != 0,
            payload,
            at: u32::try_from(net.payload_offset).unwrap_or(u32::MAX),
        };
        reassembled = super::fragments::add(d, ctx, &piece)
            .map(|r| (super::fragments::tree(d, &FRAGMENT_FIELDS, &r), r));
        completed_in = super::fragments::reassembled_in(d, ctx, &FRAGMENT_FIELDS);
    }
    if keeps_fields {
        d.end();
    }

    if total < hdr_len {
        cold_path();
        super::expert_malformed(
            d,
            offset + 2,
            2,
            "IPv4",
            format!("Bogus IP length ({total}, less than header length {hdr_len})"),
        );
        return None;
    }
    let end = offset + total;
    if let Some((source, r)) = reassembled {
        cold_path();
        super::fragments::payload(d, ctx, &r, source, &net, proto);
        return Some(end);
    }
    if frag & 0x1fff != 0 || kept {
        cold_path();
        // Not the first fragment, or one the reassembly keeps: no transport header
        // is read here.
        d.set_info(|| {
            let reassembled = completed_in
                .map(|f| format!(" [Reassembled in #{f}]"))
                .unwrap_or_default();
            format!(
                "Fragmented IP protocol (proto={} {proto}, off={frag_offset}, ID={id:04x}){reassembled}",
                super::value::value_name(Some(PROTOCOLS), u64::from(proto)).unwrap_or("Unknown")
            )
        });
        super::data::dissect_len(d, data, net.payload_offset, net.payload_len);
        return Some(end);
    }
    transport(d, ctx, data, &net, proto);
    Some(end)
}

/// A header whose version is not 4 or whose header length is under 20 bytes: as
/// tshark, only the version (and the length) are shown, with an error, and no
/// address is read; a version-6 header is then read as IPv6.
fn bogus_header<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    data: &'a [u8],
    offset: usize,
    ip: &Ipv4View<'_>,
) -> Option<usize> {
    let (version, hdr_len, nibble) = (ip.version(), ip.header_len(), ip.ihl());
    let item = d.add_labeled(IP, offset, hdr_len.clamp(1, 20), Value::None, || {
        "Internet Protocol Version 4".to_string()
    });
    d.push_layer("ip");
    d.set_protocol("IPv4");
    d.begin(item);
    let version_item = d.add(VERSION, offset, 1, Value::UInt(u64::from(version)));
    let error = |message: String| super::tree::Expert {
        severity: super::tree::Severity::Error,
        group: "Protocol",
        protocol: "IPv4",
        message: message.into(),
    };
    if version != 4 {
        d.expert(version_item, error("Bogus IPv4 version".to_string()));
        d.end();
        d.set_info(|| format!("Bogus IPv4 version ({version}, must be 4)"));
        // tshark hands a version-6 header on to IPv6.
        return if version == 6 {
            super::ipv6::dissect(d, ctx, data, offset)
        } else {
            None
        };
    }
    let message = format!("Bogus IP header length ({hdr_len}, must be at least 20)");
    let length_item = d.add_labeled(HDR_LEN, offset, 1, Value::UInt(hdr_len as u64), || {
        format!(
            "{} = Header Length: {hdr_len} bytes ({nibble})",
            super::value::bit_chart(8, 0x0f, u64::from(nibble))
        )
    });
    d.expert(length_item, error(message.clone()));
    d.end();
    d.set_info(|| message);
    None
}

/// tshark's note on a low TTL: under 5 for a unicast destination, except for PIM
/// and OSPF, which routers send one hop.
fn ttl_note(d: &mut Dissection<'_>, item: usize, ttl: u8, dst: [u8; 4], proto: u8) {
    let multicast = dst[0] & 0xf0 == 0xe0;
    if !multicast && ttl < 5 && proto != 103 && proto != 89 {
        cold_path();
        d.expert(
            item,
            super::tree::Expert {
                severity: super::tree::Severity::Note,
                group: "Sequence",
                protocol: "IPv4",
                message: format!("\"Time To Live\" only {ttl}").into(),
            },
        );
    }
}

/// DSCP as the DS field's summary names it (`CS0`, `AF11`, `EF PHB`).
pub(crate) fn dscp_short(dscp: u8) -> String {
    match dscp {
        0 => "CS0".into(),
        1 => "LE".into(),
        44 => "VA".into(),
        8 | 16 | 24 | 32 | 40 | 48 | 56 => format!("CS{}", dscp / 8),
        46 => "EF PHB".into(),
        10 | 12 | 14 | 18 | 20 | 22 | 26 | 28 | 30 | 34 | 36 | 38 => {
            format!("AF{}{}", dscp / 8, (dscp % 8) / 2)
        }
        _ => format!("Unknown ({dscp})"),
    }
}

/// ECN as the DS field's summary names it (`Not-ECT`, `CE`).
pub(crate) fn ecn_short(ecn: u8) -> &'static str {
    match ecn {
        0 => "Not-ECT",
        1 => "ECT(1)",
        2 => "ECT(0)",
        _ => "CE",
    }
}

fn options<'a>(d: &mut Dissection<'a>, data: &'a [u8], start: usize, len: usize) {
    let area = bytes::clamped(data, start, len);
    let item = d.add_labeled(
        OPTIONS,
        start,
        area.len(),
        Value::Bytes(area.into()),
        || format!("Options: ({} bytes)", area.len()),
    );
    d.begin(item);
    let mut pos = 0usize;
    while let Some(kind) = bytes::u8_at(area, pos) {
        let at = start + pos;
        if kind == 0 || kind == 1 {
            d.add_labeled(OPT_TYPE, at, 1, Value::UInt(u64::from(kind)), || {
                if kind == 0 {
                    "IP Option - End of Options List (EOL)"
                } else {
                    "IP Option - No-Operation (NOP)"
                }
                .into()
            });
            pos += 1;
            if kind == 0 {
                break;
            }
            continue;
        }
        let Some(olen) = bytes::u8_at(area, pos + 1).map(usize::from) else {
            break;
        };
        if olen < 2 {
            break;
        }
        d.add_labeled(
            OPT_TYPE,
            at,
            olen,
            Value::UInt(u64::from(kind)),
            || match kind {
                148 => "IP Option - Router Alert".to_string(),
                _ => format!("IP Option - Unknown (type {kind}), {olen} bytes"),
            },
        );
        d.add(OPT_LEN, at + 1, 1, Value::UInt(olen as u64));
        if kind == 148
            && let Some(ra) = bytes::be_u16(area, pos + 2)
        {
            d.add(OPT_ROUTER_ALERT, at + 2, 2, Value::UInt(u64::from(ra)));
        }
        pos += olen;
    }
    d.end();
}

/// Hands an IP payload to its transport protocol (used by IPv4 and IPv6).
pub fn transport<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    data: &'a [u8],
    net: &NetInfo,
    proto: u8,
) {
    match proto {
        6 => tcp::dissect(d, ctx, data, net),
        17 => udp::dissect(d, ctx, data, net),
        1 => icmp::dissect(d, ctx, data, net),
        58 => icmpv6::dissect(d, ctx, data, net),
        2 => super::igmp::dissect(d, ctx, data, net),
        _ => rare_transport(d, ctx, data, net, proto),
    }
}

/// The protocols IP carries seldom, out of the common path (tunnels, routing,
/// redundancy, IPsec, and the protocol numbers without a dissector).
#[cold]
#[inline(never)]
fn rare_transport<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    data: &'a [u8],
    net: &NetInfo,
    proto: u8,
) {
    let nesting = ip_nesting(d);
    match proto {
        4 if nesting < MAX_IP_NESTING => {
            dissect(d, ctx, data, net.payload_offset);
        }
        41 if nesting < MAX_IP_NESTING => {
            ipv6::dissect(d, ctx, data, net.payload_offset);
        }
        47 if nesting < MAX_IP_NESTING => super::tunnel::gre(d, ctx, data, net.payload_offset),
        50 => super::esp::dissect(d, ctx, data, net.payload_offset),
        89 => super::ospf::dissect(d, ctx, data, net.payload_offset),
        112 => super::vrrp::dissect(d, ctx, data, net.payload_offset),
        // A Register carries an IP packet: tunnels nest only so deep.
        103 if nesting < MAX_IP_NESTING
            && super::pim::dissect(d, ctx, data, net.payload_offset) => {}
        _ => {
            // No dissector: tshark leaves the Protocol column to IP and names the
            // protocol number in Info.
            let name = super::value::value_name(Some(PROTOCOLS), u64::from(proto));
            d.set_info(|| format!("{} ({proto})", name.unwrap_or("Unknown")));
            super::data::dissect_len(d, data, net.payload_offset, net.payload_len);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Addr;
    use crate::dissect::testing::{field, with_frame, with_patched, with_truncated};

    /// Addresses order as their bytes do, IPv4 before IPv6 (conversation keys and
    /// tshark's endpoint order rely on it).
    #[test]
    fn addresses_order_by_their_bytes() {
        let mut v6 = [0u8; 16];
        v6[15] = 1;
        let addrs = [
            Addr::V4([10, 0, 0, 2]),
            Addr::V4([9, 255, 255, 255]),
            Addr::V4([10, 0, 0, 1]),
            Addr::V6(v6),
            Addr::V6([0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
            Addr::V4([192, 168, 0, 1]),
        ];
        let key = |a: &Addr| match a {
            Addr::V4(b) => (0, b.to_vec()),
            Addr::V6(b) => (1, b.to_vec()),
        };
        for a in &addrs {
            for b in &addrs {
                assert_eq!(a.cmp(b), key(a).cmp(&key(b)), "{a:?} {b:?}");
            }
        }
    }

    /// tcp_clean_close.pcap frame 12: the HTTP request's IPv4 header.
    #[test]
    fn header_fields() {
        with_frame("tcp_clean_close.pcap", 12, |d| {
            assert_eq!(field(d, "ip.version"), "4");
            assert_eq!(field(d, "ip.hdr_len"), "20");
            assert_eq!(field(d, "ip.dsfield"), "0x00");
            assert_eq!(field(d, "ip.len"), "70");
            assert_eq!(field(d, "ip.id"), "0x49b5");
            assert_eq!(field(d, "ip.flags"), "0x02");
            assert_eq!(field(d, "ip.flags.df"), "1");
            assert_eq!(field(d, "ip.ttl"), "64");
            assert_eq!(field(d, "ip.proto"), "6");
            assert_eq!(field(d, "ip.checksum.status"), "2");
            assert_eq!(field(d, "ip.addr"), "10.10.0.1,10.10.0.2");
        });
    }

    #[test]
    fn truncated_and_impossible_lengths() {
        // Cut inside the IPv4 header: a note, the Ethernet layer stays.
        with_truncated("tcp_clean_close.pcap", 12, 20, |d| {
            assert_eq!(field(d, "eth.type"), "0x0800");
            assert!(d.has(crate::dissect::ws::SHORT));
        });
        // A header length of 12 bytes (nibble 3) is impossible: an expert error, no TCP.
        with_patched(
            "tcp_clean_close.pcap",
            12,
            |b| b[14] = 0x43,
            |d| {
                assert_eq!(field(d, "ip.hdr_len"), "12");
                assert_eq!(field(d, "tcp.srcport"), "");
                assert!(
                    d.experts
                        .iter()
                        .any(|e| e.message.contains("Bogus IP header length"))
                );
            },
        );
        // A total length below the header length.
        with_patched(
            "tcp_clean_close.pcap",
            12,
            |b| b[16..18].copy_from_slice(&[0, 8]),
            |d| {
                assert!(
                    d.experts
                        .iter()
                        .any(|e| e.message.contains("Bogus IP length"))
                );
            },
        );
    }
}
