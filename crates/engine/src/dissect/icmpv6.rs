//! ICMPv6 (RFC 4443): echo with request/reply matching, errors, neighbour discovery
//! (RFC 4861) with its options, and multicast listener discovery (MLD v1 and v2).

use super::checksum;
use super::context::PacketContext;
use super::field::Base;
use super::field::kinds::*;
use super::icmp;
use super::ipv4::{NetInfo, STATUS_NAMES};
use super::tree::Dissection;
use super::value::{Value, ether_text, ipv6_text};
use crate::bytes;

/// Type names as tshark 4.0 has them (`tshark -G values`, `icmpv6.type`).
#[rustfmt::skip]
const TYPES: &[(u64, &str)] = &[
    (1, "Destination Unreachable"), (2, "Packet Too Big"), (3, "Time Exceeded"),
    (4, "Parameter Problem"), (100, "Private experimentation"), (101, "Private experimentation"),
    (127, "Reserved for expansion of ICMPv6 error messages"),
    (128, "Echo (ping) request"), (129, "Echo (ping) reply"),
    (130, "Multicast Listener Query"), (131, "Multicast Listener Report"),
    (132, "Multicast Listener Done"), (133, "Router Solicitation"), (134, "Router Advertisement"),
    (135, "Neighbor Solicitation"), (136, "Neighbor Advertisement"), (137, "Redirect"),
    (138, "Router Renumbering"), (139, "Node Information Query"), (140, "Node Information Reply"),
    (141, "Inverse Neighbor Discovery Solicitation"),
    (142, "Inverse Neighbor Discovery Advertisement"),
    (143, "Multicast Listener Report Message v2"),
    (144, "Home Agent Address Discovery Request"), (145, "Home Agent Address Discovery Reply"),
    (146, "Mobile Prefix Solicitation"), (147, "Mobile Prefix Advertisement"),
    (148, "Certification Path Solicitation"), (149, "Certification Path Advertisement"),
    (150, "Experimental Mobility"), (151, "Multicast Router Advertisement"),
    (152, "Multicast Router Solicitation"), (153, "Multicast Router Termination"),
    (154, "FMIPv6"), (155, "RPL Control"), (156, "Locator Update"),
    (157, "Duplicate Address Request"), (158, "Duplicate Address Confirmation"),
    (159, "MPL Control Message"), (160, "Extended Echo request"), (161, "Extended Echo reply"),
    (200, "Private experimentation"), (201, "Private experimentation"),
    (255, "Reserved for expansion of ICMPv6 informational messages"),
];
const UNREACHABLE: &[(u64, &str)] = &[
    (0, "no route to destination"),
    (1, "Administratively prohibited"),
    (2, "Beyond scope of source address"),
    (3, "Address unreachable"),
    (4, "Port unreachable"),
    (5, "Source address failed ingress/egress policy"),
    (6, "Reject route to destination"),
    (7, "Error in Source Routing Header"),
];
const TIME_EXCEEDED: &[(u64, &str)] = &[
    (0, "hop limit exceeded in transit"),
    (1, "fragment reassembly time exceeded"),
];
const PARAMETER_PROBLEM: &[(u64, &str)] = &[
    (0, "erroneous header field encountered"),
    (1, "unrecognized Next Header type encountered"),
    (2, "unrecognized IPv6 option encountered"),
    (3, "IPv6 First Fragment has incomplete IPv6 Header Chain"),
];
/// Router Renumbering (RFC 2894) codes.
const RENUMBERING: &[(u64, &str)] = &[
    (0, "Command"),
    (1, "Result"),
    (255, "Sequence number reset"),
];
/// Node Information (RFC 4620) query and reply codes.
const NI_QUERY: &[(u64, &str)] = &[
    (0, "Query subject = IPv6 addresses"),
    (1, "Query subject = DNS name or empty"),
    (2, "Query subject = IPv4 addresses"),
];
const NI_REPLY: &[(u64, &str)] = &[(0, "Successful"), (1, "Refused"), (2, "Unknown query type")];
/// RPL control message codes (RFC 6550, RFC 6997's P2P).
#[rustfmt::skip]
const RPL_CODES: &[(u64, &str)] = &[
    (0x00, "DODAG Information Solicitation"), (0x01, "DODAG Information Object"),
    (0x02, "Destination Advertisement Object"),
    (0x03, "Destination Advertisement Object Acknowledgment"),
    (0x80, "Secure DODAG Information Solicitation"), (0x81, "Secure DODAG Information Object"),
    (0x82, "Secure Destination Advertisement Object"),
    (0x83, "Secure Destination Advertisement Object Acknowledgment"),
    (0x8a, "Consistency Check"), (0x04, "P2P Discovery Reply Object"),
    (0x84, "P2P Secure Discovery Reply Object"),
    (0x05, "P2P Discovery Reply Object Acknowledgement"),
    (0x85, "P2P Secure Discovery Reply Object Acknowledgement"),
];
#[rustfmt::skip]
const OPTION_TYPES: &[(u64, &str)] = &[
    (1, "Source link-layer address"), (2, "Target link-layer address"), (3, "Prefix information"),
    (4, "Redirected header"), (5, "MTU"), (14, "Nonce"), (25, "Recursive DNS Server"),
];
#[rustfmt::skip]
const RECORD_TYPES: &[(u64, &str)] = &[
    (1, "Mode is include"), (2, "Mode is exclude"), (3, "Change to include mode"),
    (4, "Changed to exclude"), (5, "Allow new sources"), (6, "Block old sources"),
];

crate::define_fields! { after super::icmp_ext::END;
    ICMPV6 = "icmpv6", "Internet Control Message Protocol v6", PROTO;
    TYPE = "icmpv6.type", "Type", dec_named(8, TYPES);
    CODE = "icmpv6.code", "Code", dec(8);
    CHECKSUM = "icmpv6.checksum", "Checksum", hex(16);
    CHECKSUM_STATUS = "icmpv6.checksum.status", "Checksum Status", named(8, STATUS_NAMES);
    RESERVED = "icmpv6.reserved", "Reserved", BYTES;
    ECHO_ID = "icmpv6.echo.identifier", "Identifier", hex(16);
    ECHO_SEQ = "icmpv6.echo.sequence_number", "Sequence", dec(16);
    EXT_ECHO_SEQ = "icmpv6.ext.echo.seq", "Sequence number", uint(8, super::field::Base::DecHex, 0, None);
    EXT_ECHO_REQ_RES = "icmpv6.ext.echo.req.res", "Reserved", uint(8, super::field::Base::Hex, 0xfe, None);
    EXT_ECHO_REQ_LOCAL = "icmpv6.ext.echo.req.local", "Local bit", flag(8, 0x01);
    EXT_ECHO_RSP_STATE = "icmpv6.ext.echo.rsp.state", "State", uint(8, super::field::Base::Dec, 0xe0, Some(super::icmp_ext::STATES));
    EXT_ECHO_RSP_RES = "icmpv6.ext.echo.rsp.res", "Reserved", uint(8, super::field::Base::Hex, 0x18, None);
    EXT_ECHO_RSP_ACTIVE = "icmpv6.ext.echo.rsp.active", "Active bit", flag(8, 0x04);
    EXT_ECHO_RSP_IPV4 = "icmpv6.ext.echo.rsp.ipv4", "IPv4 bit", flag(8, 0x02);
    EXT_ECHO_RSP_IPV6 = "icmpv6.ext.echo.rsp.ipv6", "IPv6 bit", flag(8, 0x01);
    RESP_TO = "icmpv6.resp_to", "Response To", FRAME;
    RESP_IN = "icmpv6.resp_in", "Response In", FRAME;
    RESPTIME = "icmpv6.resptime", "Response Time", FLOAT;
    MTU = "icmpv6.mtu", "MTU", dec(32);
    POINTER = "icmpv6.pointer", "Pointer", dec(32);
    NS_TARGET = "icmpv6.nd.ns.target_address", "Target Address", IPV6;
    NA_FLAG = "icmpv6.nd.na.flag", "Flags", hex(32);
    NA_FLAG_R = "icmpv6.nd.na.flag.r", "Router", flag(32, 0x8000_0000);
    NA_FLAG_S = "icmpv6.nd.na.flag.s", "Solicited", flag(32, 0x4000_0000);
    NA_FLAG_O = "icmpv6.nd.na.flag.o", "Override", flag(32, 0x2000_0000);
    NA_FLAG_RSV = "icmpv6.nd.na.flag.rsv", "Reserved", uint(32, Base::Dec, 0x1fff_ffff, None);
    NA_TARGET = "icmpv6.nd.na.target_address", "Target Address", IPV6;
    RA_HOP_LIMIT = "icmpv6.nd.ra.cur_hop_limit", "Cur hop limit", dec(8);
    RA_ROUTER_LIFETIME = "icmpv6.nd.ra.router_lifetime", "Router lifetime (s)", dec(16);
    OPT = "icmpv6.opt", "ICMPv6 Option", NONE;
    OPT_TYPE = "icmpv6.opt.type", "Type", dec_named(8, OPTION_TYPES);
    OPT_LENGTH = "icmpv6.opt.length", "Length", dec(8);
    OPT_LINKADDR = "icmpv6.opt.linkaddr", "Link-layer address", ETHER;
    OPT_SRC_LINKADDR = "icmpv6.opt.src_linkaddr", "Source Link-layer address", ETHER;
    OPT_TARGET_LINKADDR = "icmpv6.opt.target_linkaddr", "Target Link-layer address", ETHER;
    MLD_MAX_RESPONSE_DELAY = "icmpv6.mld.maximum_response_delay", "Maximum Response Delay [ms]", dec(16);
    MLD_MULTICAST_ADDRESS = "icmpv6.mld.multicast_address", "Multicast Address", IPV6;
    MLDR_NB_RECORDS = "icmpv6.mldr.nb_mcast_records", "Number of Multicast Address Records", dec(16);
    MLDR_MAR = "icmpv6.mldr.mar", "Multicast Address Record", NONE;
    MLDR_RECORD_TYPE = "icmpv6.mldr.mar.record_type", "Record Type", dec_named(8, RECORD_TYPES);
    MLDR_AUX_LEN = "icmpv6.mldr.mar.aux_data_len", "Aux Data Len", dec(8);
    MLDR_NB_SOURCES = "icmpv6.mldr.mar.nb_sources", "Number of Sources", dec(16);
    MLDR_MULTICAST_ADDRESS = "icmpv6.mldr.mar.multicast_address", "Multicast Address", IPV6;
    MLDR_SOURCE = "icmpv6.mldr.mar.source_address", "Source Address", IPV6;
    RR_SEQUENCE = "icmpv6.rr.sequence_number", "Sequence Number", dec(32);
    RR_SEGMENT = "icmpv6.rr.segment_number", "Segment Number", dec(8);
    RR_FLAG = "icmpv6.rr.flag", "Flags", hex(8);
    RR_FLAG_T = "icmpv6.rr.flag.t", "Test Command", flag(8, 0x80);
    RR_FLAG_R = "icmpv6.rr.flag.r", "Result requested", flag(8, 0x40);
    RR_FLAG_A = "icmpv6.rr.flag.a", "All Interfaces", flag(8, 0x20);
    RR_FLAG_S = "icmpv6.rr.flag.s", "Site-specific", flag(8, 0x10);
    RR_FLAG_P = "icmpv6.rr.flag.p", "Processed previously", flag(8, 0x08);
    RR_FLAG_RSV = "icmpv6.rr.flag.rsv", "Reserved", uint(8, Base::Dec, 0x07, None);
    RR_MAXDELAY = "icmpv6.rr.maxdelay", "Max Delay", dec(16);
    NI_QTYPE = "icmpv6.ni.qtype", "Qtype", dec_named(16, NI_QTYPES);
    NI_FLAG = "icmpv6.ni.flag", "Flags", hex(16);
    NI_FLAG_G = "icmpv6.ni.flag.g", "Global-scope addresses", flag(16, 0x20);
    NI_FLAG_S = "icmpv6.ni.flag.s", "Site-local addresses", flag(16, 0x10);
    NI_FLAG_L = "icmpv6.ni.flag.l", "Link-local addresses", flag(16, 0x08);
    NI_FLAG_C = "icmpv6.ni.flag.c", "Compression", flag(16, 0x04);
    NI_FLAG_A = "icmpv6.ni.flag.a", "Unicast Addresses", flag(16, 0x02);
    NI_FLAG_T = "icmpv6.ni.flag.t", "Truncated", flag(16, 0x01);
    NI_FLAG_RSV = "icmpv6.ni.flag.rsv", "Reserved", uint(16, Base::Hex, 0xffc0, None);
    NI_NONCE = "icmpv6.ni.nonce", "Nonce", hex(64);
    NI_SUBJECT_IPV6 = "icmpv6.ni.query.subject_ipv6", "IPv6 subject address", IPV6;
    NI_SUBJECT_IPV4 = "icmpv6.ni.query.subject_ipv4", "IPv4 subject address", IPV4;
    NI_NODE_TTL = "icmpv6.ni.reply.node_ttl", "TTL", dec(32);
    NI_NODE_ADDRESS = "icmpv6.ni.reply.node_address", "IPv6 Node address", IPV6;
    NI_IPV4_ADDRESS = "icmpv6.ni.reply.ipv4_address", "IPv4 Node address", IPV4;
}

/// Node Information query types (RFC 4620).
const NI_QTYPES: &[(u64, &str)] = &[
    (0, "NOOP"),
    (1, "Supported query types (Obsolete)"),
    (2, "Node Name"),
    (3, "Node addresses"),
    (4, "IPv4 node addresses"),
];

/// The fields ICMPv6 shares with ICMP.
const COMMON: icmp::Common = icmp::Common {
    proto: ICMPV6,
    layer: "icmpv6",
    name: "ICMPv6",
    kind: TYPE,
    code: CODE,
    checksum: CHECKSUM,
    checksum_status: CHECKSUM_STATUS,
    resp_to: RESP_TO,
    resp_in: RESP_IN,
    resptime: RESPTIME,
    resptime_label: "Response Time",
    ip_proto: 58,
    number_first: false,
};

fn code_name(kind: u8, code: u8) -> Option<&'static str> {
    let table = match kind {
        1 => UNREACHABLE,
        3 => TIME_EXCEEDED,
        4 => PARAMETER_PROBLEM,
        138 => RENUMBERING,
        139 => NI_QUERY,
        140 => NI_REPLY,
        155 => RPL_CODES,
        160 => icmp::EXTECHO,
        161 => icmp::EXTECHO_REPLY,
        _ => return None,
    };
    super::value::value_name(Some(table), u64::from(code))
}

/// ICMPv6's extended echo fields (RFC 8335).
const EXT_ECHO: super::icmp_ext::EchoFields = super::icmp_ext::EchoFields {
    id: (ECHO_ID, None),
    seq: EXT_ECHO_SEQ,
    request: [EXT_ECHO_REQ_RES, EXT_ECHO_REQ_LOCAL],
    reply: [
        EXT_ECHO_RSP_STATE,
        EXT_ECHO_RSP_RES,
        EXT_ECHO_RSP_ACTIVE,
        EXT_ECHO_RSP_IPV4,
        EXT_ECHO_RSP_IPV6,
    ],
    own_layer: true,
};

/// Dissects an ICMPv6 message.
pub fn dissect<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, data: &'a [u8], net: &NetInfo) {
    // RFC 4443 2.3: the checksum covers an IPv6 pseudo-header.
    let pseudo = |len: usize| {
        let len = u32::try_from(len).unwrap_or(u32::MAX);
        checksum::pseudo_header(&net.src, &net.dst, 58, len)
    };
    let Some(header) = icmp::begin(d, ctx, data, net, &COMMON, code_name, pseudo) else {
        return;
    };
    let (at, kind, message) = (net.payload_offset, header.kind, header.message);
    let tname = super::value::value_name(Some(TYPES), u64::from(kind));
    let body = at + 4;
    let Some(tname) = tname else {
        d.end();
        d.set_info(|| format!("Unknown ({kind})"));
        super::data::dissect(d, data, body);
        return;
    };
    // tshark appends the code's name for these types, "Unknown" (Destination
    // Unreachable) or "Unknown (code)" (the others) when it has none.
    let code = header.code;
    let code_text = match (kind, header.code_name) {
        (_, Some(name)) => Some(name.to_string()),
        (1, None) => Some("Unknown".to_string()),
        (3 | 4 | 138..=140 | 155, None) => Some(format!("Unknown ({code})")),
        _ => None,
    };
    match kind {
        128 | 129 => {
            let id = bytes::be_u16(data, body).unwrap_or(0);
            let seq = bytes::be_u16(data, body + 2).unwrap_or(0);
            d.add(ECHO_ID, body, 2, Value::UInt(u64::from(id)));
            d.add(ECHO_SEQ, body + 2, 2, Value::UInt(u64::from(seq)));
            let request =
                icmp::echo_request(d, ctx, net, &COMMON, (id, seq, header.sum), kind == 129);
            super::data::dissect(d, data, body + 4);
            d.end();
            let hlim = net.ttl;
            d.set_info(|| {
                let mut info = format!("{tname} id=0x{id:04x}, seq={seq}, hop limit={hlim}");
                info.push_str(&icmp::echo_note(request, kind == 129));
                info
            });
        }
        160 | 161 => {
            super::icmp_ext::extended_echo(
                d,
                ctx,
                data,
                (at, kind == 160),
                net.payload_len,
                &EXT_ECHO,
            );
            d.end();
            d.set_info(|| match header.code_name {
                Some(c) => format!("{tname} ({c})"),
                None => format!("{tname} (Unknown code: {code})"),
            });
        }
        1..=4 => {
            match kind {
                2 => {
                    if let Some(mtu) = bytes::be_u32(data, body) {
                        d.add(MTU, body, 4, Value::UInt(u64::from(mtu)));
                    }
                }
                4 => {
                    if let Some(p) = bytes::be_u32(data, body) {
                        d.add(POINTER, body, 4, Value::UInt(u64::from(p)));
                    }
                }
                _ => {
                    let r = bytes::slice(data, body, 4).unwrap_or(&[]);
                    d.add(RESERVED, body, 4, Value::Bytes(r.into()));
                }
            }
            icmp::quoted_error(d, ctx, data, &header, tname, (body + 4, 6));
            if header.code_name.is_none()
                && let Some(c) = &code_text
            {
                d.set_info(|| format!("{tname} ({c})"));
            }
        }
        133 => {
            let r = bytes::slice(data, body, 4).unwrap_or(&[]);
            d.add(RESERVED, body, 4, Value::Bytes(r.into()));
            let src = options(d, data, body + 4, at + message.len());
            d.end();
            d.set_info(|| match src {
                Some(mac) => format!("Router Solicitation from {}", ether_text(&mac)),
                None => "Router Solicitation".into(),
            });
        }
        134 => {
            if let Some(h) = bytes::u8_at(data, body) {
                d.add(RA_HOP_LIMIT, body, 1, Value::UInt(u64::from(h)));
            }
            if let Some(l) = bytes::be_u16(data, body + 2) {
                d.add(RA_ROUTER_LIFETIME, body + 2, 2, Value::UInt(u64::from(l)));
            }
            let src = options(d, data, body + 12, at + message.len());
            d.end();
            d.set_info(|| match src {
                Some(mac) => format!("Router Advertisement from {}", ether_text(&mac)),
                None => "Router Advertisement".into(),
            });
        }
        135 => {
            let r = bytes::slice(data, body, 4).unwrap_or(&[]);
            d.add(RESERVED, body, 4, Value::Bytes(r.into()));
            let target = bytes::array::<16>(data, body + 4).unwrap_or_default();
            d.add(NS_TARGET, body + 4, 16, Value::Ipv6(target));
            let src = options(d, data, body + 20, at + message.len());
            d.end();
            d.set_info(|| match src {
                Some(mac) => format!(
                    "Neighbor Solicitation for {} from {}",
                    ipv6_text(&target),
                    ether_text(&mac)
                ),
                None => format!("Neighbor Solicitation for {}", ipv6_text(&target)),
            });
        }
        136 => {
            let flags = bytes::be_u32(data, body).unwrap_or(0);
            let item = d.add_labeled(NA_FLAG, body, 4, Value::UInt(u64::from(flags)), || {
                let mut names = Vec::new();
                for (bit, name) in [(31, "Router"), (30, "Solicited"), (29, "Override")] {
                    if flags >> bit & 1 != 0 {
                        names.push(name);
                    }
                }
                if names.is_empty() {
                    format!("Flags: 0x{flags:08x}")
                } else {
                    format!("Flags: 0x{flags:08x}, {}", names.join(", "))
                }
            });
            d.begin(item);
            d.add(NA_FLAG_R, body, 4, Value::Bool(flags & 0x8000_0000 != 0));
            d.add(NA_FLAG_S, body, 4, Value::Bool(flags & 0x4000_0000 != 0));
            d.add(NA_FLAG_O, body, 4, Value::Bool(flags & 0x2000_0000 != 0));
            d.add(
                NA_FLAG_RSV,
                body,
                4,
                Value::UInt(u64::from(flags & 0x1fff_ffff)),
            );
            d.end();
            let target = bytes::array::<16>(data, body + 4).unwrap_or_default();
            d.add(NA_TARGET, body + 4, 16, Value::Ipv6(target));
            let tll = options(d, data, body + 20, at + message.len());
            d.end();
            d.set_info(|| {
                let mut names = Vec::new();
                for (bit, name) in [(31, "rtr"), (30, "sol"), (29, "ovr")] {
                    if flags >> bit & 1 != 0 {
                        names.push(name);
                    }
                }
                let mut info = format!("Neighbor Advertisement {}", ipv6_text(&target));
                if !names.is_empty() {
                    info.push_str(&format!(" ({})", names.join(", ")));
                }
                if let Some(mac) = tll {
                    info.push_str(&format!(" is at {}", ether_text(&mac)));
                }
                info
            });
        }
        130..=132 => {
            if let Some(delay) = bytes::be_u16(data, body) {
                d.add(
                    MLD_MAX_RESPONSE_DELAY,
                    body,
                    2,
                    Value::UInt(u64::from(delay)),
                );
            }
            if let Some(addr) = bytes::array::<16>(data, body + 4) {
                d.add(MLD_MULTICAST_ADDRESS, body + 4, 16, Value::Ipv6(addr));
            }
            d.end();
            d.set_info(|| tname.to_string());
        }
        143 => {
            let r = bytes::slice(data, body, 2).unwrap_or(&[]);
            d.add(RESERVED, body, 2, Value::Bytes(r.into()));
            let count = bytes::be_u16(data, body + 2).unwrap_or(0);
            d.add(MLDR_NB_RECORDS, body + 2, 2, Value::UInt(u64::from(count)));
            let mut pos = body + 4;
            let mut parsed = 0u16;
            for _ in 0..count {
                let (Some(rtype), Some(aux), Some(nsrc), Some(addr)) = (
                    bytes::u8_at(data, pos),
                    bytes::u8_at(data, pos + 1),
                    bytes::be_u16(data, pos + 2),
                    bytes::array::<16>(data, pos + 4),
                ) else {
                    break;
                };
                let len = 20 + usize::from(nsrc) * 16 + usize::from(aux) * 4;
                let rname = super::value::value_name(Some(RECORD_TYPES), u64::from(rtype))
                    .unwrap_or("Unknown");
                let rec = d.add_labeled(MLDR_MAR, pos, len, Value::None, || {
                    format!("Multicast Address Record {rname}: {}", ipv6_text(&addr))
                });
                d.begin(rec);
                d.add(MLDR_RECORD_TYPE, pos, 1, Value::UInt(u64::from(rtype)));
                d.add(MLDR_AUX_LEN, pos + 1, 1, Value::UInt(u64::from(aux)));
                d.add(MLDR_NB_SOURCES, pos + 2, 2, Value::UInt(u64::from(nsrc)));
                d.add(MLDR_MULTICAST_ADDRESS, pos + 4, 16, Value::Ipv6(addr));
                for i in 0..usize::from(nsrc) {
                    if let Some(s) = bytes::array::<16>(data, pos + 20 + i * 16) {
                        d.add(MLDR_SOURCE, pos + 20 + i * 16, 16, Value::Ipv6(s));
                    }
                }
                d.end();
                pos += len;
                parsed += 1;
            }
            d.end();
            d.set_info(|| tname.to_string());
            if parsed < count {
                super::truncated(d, ctx, data, pos, "ICMPv6");
            }
        }
        138 => {
            router_renumbering(d, data, body);
            d.end();
            d.set_info(|| match &code_text {
                Some(c) => format!("{tname} ({c})"),
                None => tname.to_string(),
            });
            super::data::dissect(d, data, body + 12);
        }
        139 | 140 => {
            node_information(d, data, (body, at + message.len()), kind, header.code);
            d.end();
            d.set_info(|| match &code_text {
                Some(c) => format!("{tname} ({c})"),
                None => tname.to_string(),
            });
        }
        _ => {
            d.end();
            d.set_info(|| match &code_text {
                Some(c) => format!("{tname} ({c})"),
                None => tname.to_string(),
            });
            super::data::dissect(d, data, body);
        }
    }
}

/// Router Renumbering's fixed header (RFC 2894 3.1) after the type, code and checksum.
fn router_renumbering(d: &mut Dissection<'_>, data: &[u8], body: usize) {
    if let Some(seq) = bytes::be_u32(data, body) {
        d.add(RR_SEQUENCE, body, 4, Value::UInt(u64::from(seq)));
    }
    if let Some(segment) = bytes::u8_at(data, body + 4) {
        d.add(RR_SEGMENT, body + 4, 1, Value::UInt(u64::from(segment)));
    }
    if let Some(flags) = bytes::u8_at(data, body + 5) {
        let item = d.add(RR_FLAG, body + 5, 1, Value::UInt(u64::from(flags)));
        d.begin(item);
        for (field, mask) in [
            (RR_FLAG_T, 0x80),
            (RR_FLAG_R, 0x40),
            (RR_FLAG_A, 0x20),
            (RR_FLAG_S, 0x10),
            (RR_FLAG_P, 0x08),
        ] {
            d.add(field, body + 5, 1, Value::Bool(flags & mask != 0));
        }
        d.add(
            RR_FLAG_RSV,
            body + 5,
            1,
            Value::UInt(u64::from(flags & 0x07)),
        );
        d.end();
    }
    if let Some(delay) = bytes::be_u16(data, body + 6) {
        d.add(RR_MAXDELAY, body + 6, 2, Value::UInt(u64::from(delay)));
    }
}

/// A Node Information query or reply (RFC 4620): qtype, flags, nonce, then the
/// query's subject or the reply's data, from `body` to `end`.
fn node_information(
    d: &mut Dissection<'_>,
    data: &[u8],
    (body, end): (usize, usize),
    kind: u8,
    code: u8,
) {
    let Some(qtype) = bytes::be_u16(data, body) else {
        return;
    };
    d.add(NI_QTYPE, body, 2, Value::UInt(u64::from(qtype)));
    let Some(flags) = bytes::be_u16(data, body + 2) else {
        return;
    };
    let names: Vec<&str> = [
        (0x20, "Global-scope addresses"),
        (0x10, "Site-local addresses"),
        (0x08, "Link-local addresses"),
        (0x04, "Compression"),
        (0x02, "Unicast Addresses"),
        (0x01, "Truncated"),
    ]
    .iter()
    .filter(|(mask, _)| flags & mask != 0)
    .map(|(_, name)| *name)
    .collect();
    let item = d.add_labeled(NI_FLAG, body + 2, 2, Value::UInt(u64::from(flags)), || {
        if names.is_empty() {
            format!("Flags: 0x{flags:04x}")
        } else {
            format!("Flags: 0x{flags:04x}, {}", names.join(", "))
        }
    });
    d.begin(item);
    for (field, mask) in [
        (NI_FLAG_G, 0x20),
        (NI_FLAG_S, 0x10),
        (NI_FLAG_L, 0x08),
        (NI_FLAG_C, 0x04),
        (NI_FLAG_A, 0x02),
        (NI_FLAG_T, 0x01),
    ] {
        d.add(field, body + 2, 2, Value::Bool(flags & mask != 0));
    }
    d.add(
        NI_FLAG_RSV,
        body + 2,
        2,
        Value::UInt(u64::from(flags & 0xffc0)),
    );
    d.end();
    let Some(nonce) = bytes::be_u64(data, body + 4) else {
        return;
    };
    d.add(NI_NONCE, body + 4, 8, Value::UInt(nonce));
    let mut pos = body + 12;
    let end = end.min(data.len());
    if kind == 139 {
        match code {
            0 => {
                if let Some(a) = bytes::array::<16>(data, pos) {
                    d.add(NI_SUBJECT_IPV6, pos, 16, Value::Ipv6(a));
                }
            }
            2 => {
                if let Some(a) = bytes::array::<4>(data, pos) {
                    d.add(NI_SUBJECT_IPV4, pos, 4, Value::Ipv4(a));
                }
            }
            _ => {}
        }
        return;
    }
    // A successful reply to a Node Addresses (3) or IPv4 Addresses (4) query: each
    // address after its TTL.
    let (field, width) = match (code, qtype) {
        (0, 3) => (NI_NODE_ADDRESS, 16),
        (0, 4) => (NI_IPV4_ADDRESS, 4),
        _ => return,
    };
    while pos.saturating_add(4 + width) <= end {
        let (Some(ttl), Some(addr)) =
            (bytes::be_u32(data, pos), bytes::slice(data, pos + 4, width))
        else {
            break;
        };
        d.add(NI_NODE_TTL, pos, 4, Value::UInt(u64::from(ttl)));
        let value = match (<[u8; 16]>::try_from(addr), <[u8; 4]>::try_from(addr)) {
            (Ok(v6), _) => Value::Ipv6(v6),
            (_, Ok(v4)) => Value::Ipv4(v4),
            _ => break,
        };
        d.add(field, pos + 4, width, value);
        pos += 4 + width;
    }
}

/// Neighbour-discovery options from `start` to `end`; returns the first link-layer
/// address option's MAC (source or target), for the Info column.
fn options<'a>(
    d: &mut Dissection<'a>,
    data: &'a [u8],
    start: usize,
    end: usize,
) -> Option<[u8; 6]> {
    let mut pos = start;
    let mut mac = None;
    // Each option is at least 8 bytes, so this terminates; the bound guards anyway.
    for _ in 0..256 {
        if pos >= end {
            break;
        }
        let (Some(kind), Some(len8)) = (bytes::u8_at(data, pos), bytes::u8_at(data, pos + 1))
        else {
            break;
        };
        let len = usize::from(len8) * 8;
        if len == 0 {
            break;
        }
        let name =
            super::value::value_name(Some(OPTION_TYPES), u64::from(kind)).unwrap_or("Unknown");
        // A link-layer address option of 8 bytes holds a MAC (Ethernet's); a longer
        // one (a Teredo tunnel's 14 bytes) is shown as bytes and names no sender.
        let lladdr = if (kind == 1 || kind == 2) && len8 == 1 {
            bytes::array::<6>(data, pos + 2)
        } else {
            None
        };
        let item = d.add_labeled(OPT, pos, len, Value::None, || match lladdr {
            Some(m) => format!("ICMPv6 Option ({name} : {})", ether_text(&m)),
            None => format!("ICMPv6 Option ({name})"),
        });
        d.begin(item);
        d.add(OPT_TYPE, pos, 1, Value::UInt(u64::from(kind)));
        d.add_labeled(OPT_LENGTH, pos + 1, 1, Value::UInt(u64::from(len8)), || {
            format!("Length: {len8} ({len} bytes)")
        });
        if let Some(m) = lladdr {
            d.add_labeled(OPT_LINKADDR, pos + 2, 6, Value::Ether(m), || {
                format!("Link-layer address: {}", super::ethernet::mac_label(&m))
            });
            let f = if kind == 1 {
                OPT_SRC_LINKADDR
            } else {
                OPT_TARGET_LINKADDR
            };
            d.add_hidden(f, pos + 2, 6, Value::Ether(m));
            mac = mac.or(Some(m));
        } else if kind == 1 || kind == 2 {
            let raw = bytes::slice(data, pos + 2, len - 2).unwrap_or(&[]);
            d.text(pos + 2, raw.len(), || {
                let hex: String = raw.iter().map(|b| format!("{b:02x}")).collect();
                format!("Link-layer address: {hex}")
            });
        }
        d.end();
        pos += len;
    }
    mac
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_frame, with_truncated};

    /// icmp_arp_ping.pcap frame 18: a neighbour advertisement.
    #[test]
    fn neighbour_advertisement() {
        with_frame("icmp_arp_ping.pcap", 18, |d| {
            assert_eq!(field(d, "icmpv6.type"), "136");
            assert_eq!(field(d, "icmpv6.checksum.status"), "1");
            assert_eq!(field(d, "icmpv6.nd.na.flag.s"), "1");
            assert_eq!(field(d, "icmpv6.nd.na.target_address"), "fd00::2");
            assert_eq!(field(d, "icmpv6.opt.linkaddr"), "f2:06:b3:bb:ba:f6");
            assert_eq!(
                d.columns.info,
                "Neighbor Advertisement fd00::2 (sol, ovr) is at f2:06:b3:bb:ba:f6"
            );
        });
    }

    /// Dissects `hex` (an IPv6 packet) on the raw-IP link type.
    fn with_ipv6(hex: &str, f: impl FnOnce(&crate::dissect::tree::Dissection<'_>)) {
        use crate::capture::{Capture, Interface, LinkType};
        let bytes: Vec<u8> = (0..hex.len())
            .step_by(2)
            .filter_map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
            .collect();
        let path = crate::dissect::testing::capture_path("tcp_clean_close.pcap");
        let capture = Capture::open(&path).unwrap();
        let (mut record, _) = capture.packet(0).unwrap();
        let mut iface: Interface = capture.interface_of(&record).clone();
        iface.link_type = LinkType::RAW;
        record.cap_len = bytes.len() as u32;
        record.orig_len = record.cap_len;
        crate::dissect::testing::with_bytes(&record, &iface, &bytes, f);
    }

    /// Node Information (RFC 4620) from tcpdump's test captures: a query for a
    /// node's IPv6 addresses (icmpv6-ni-flags.pcap frame 1, without its Ethernet
    /// header) and the reply listing three (icmpv6_nodeinfo_replyipv6.pcap); then a
    /// reply cut inside its second address, and a Router Renumbering command's
    /// header with an unknown code.
    #[test]
    fn node_information_and_router_renumbering() {
        with_ipv6(
            "600183bf00203a40fe80000000000000505400fffe432ca8fe80000000000000505400fffe2c3629\
             8b00630d0003000200018b56bbf6472ffe80000000000000505400fffe2c3629",
            |d| {
                assert_eq!(
                    d.columns.info,
                    "Node Information Query (Query subject = IPv6 addresses)"
                );
                assert_eq!(field(d, "icmpv6.ni.qtype"), "3");
                assert_eq!(field(d, "icmpv6.ni.flag"), "0x0002");
                assert_eq!(field(d, "icmpv6.ni.flag.a"), "1");
                assert_eq!(field(d, "icmpv6.ni.nonce"), "0x00018b56bbf6472f");
                assert_eq!(
                    field(d, "icmpv6.ni.query.subject_ipv6"),
                    "fe80::5054:ff:fe2c:3629"
                );
            },
        );
        let reply = "60000000004c3a40000000000000000000000000000000010000000000000000000000000000\
                     00018c004a14000300026e0a44c1688eb28d0000000000000000000000000000000000000001\
                     0000000020010db80000000000000000000000010000000020020db8000000000000000000000001";
        with_ipv6(reply, |d| {
            assert_eq!(d.columns.info, "Node Information Reply (Successful)");
            assert_eq!(field(d, "icmpv6.ni.reply.node_ttl"), "0,0,0");
            assert_eq!(
                field(d, "icmpv6.ni.reply.node_address"),
                "::1,2001:db8::1,2002:db8::1"
            );
        });
        with_ipv6(&reply[..reply.len() - 20], |d| {
            assert_eq!(field(d, "icmpv6.ni.reply.node_address"), "::1,2001:db8::1");
        });
        // Type 138, code 7 (no such code), sequence number 5, flags T and A.
        with_ipv6(
            "6000000000103a40000000000000000000000000000000010000000000000000000000000000\
             00018a0700000000000500a0000a00000000",
            |d| {
                assert_eq!(d.columns.info, "Router Renumbering (Unknown (7))");
                assert_eq!(field(d, "icmpv6.rr.sequence_number"), "5");
                assert_eq!(field(d, "icmpv6.rr.flag.t"), "1");
                assert_eq!(field(d, "icmpv6.rr.flag.a"), "1");
                assert_eq!(field(d, "icmpv6.rr.maxdelay"), "10");
            },
        );
        // An unassigned type.
        with_ipv6(
            "6000000000083a400000000000000000000000000000000100000000000000000000000000000001\
             a200000000000000",
            |d| assert_eq!(d.columns.info, "Unknown (162)"),
        );
    }

    /// multi_iface.pcapng frame 1: MLDv2 records; cut short, it says so.
    #[test]
    fn mld_report_whole_and_cut() {
        with_frame("multi_iface.pcapng", 1, |d| {
            assert_eq!(field(d, "icmpv6.mldr.nb_mcast_records"), "2");
            assert_eq!(
                field(d, "icmpv6.mldr.mar.multicast_address"),
                "ff02::1:ff00:2,ff02::1:ff74:9796"
            );
        });
        with_truncated("multi_iface.pcapng", 1, 96, |d| {
            assert_eq!(
                field(d, "icmpv6.mldr.mar.multicast_address"),
                "ff02::1:ff00:2"
            );
            assert!(
                d.columns
                    .info
                    .ends_with("[Packet size limited during capture]")
            );
        });
    }
}
