//! ICMP's extensions, as tshark 4.0 reads them: RFC 4884's length of the original
//! datagram in an error message and the multi-part extension structure after it,
//! with RFC 4950's MPLS label stack (what routers of an MPLS network add to a
//! traceroute's "Time-to-live exceeded"), RFC 5837's interface information and RFC
//! 8335's interface identification objects; and RFC 8335's extended echo (PROBE).

use super::field::kinds::*;
use super::field::{Base, FieldId};
use super::ipv4::STATUS_NAMES;
use super::packet::{malformed_pdu, short, truncated};
use super::tree::Dissection;
use super::value::Value;
use super::{PacketContext, checksum};
use crate::bytes;
use std::borrow::Cow;

/// Object classes (IANA "ICMP Extension Object Classes").
const CLASSES: &[(u64, &str)] = &[
    (1, "MPLS Label Stack Class"),
    (2, "Interface Information Object"),
    (3, "Interface Identification Object"),
];
/// RFC 5837's interface roles.
const ROLES: &[(u64, &str)] = &[
    (0, "IP interface upon which datagram arrived"),
    (
        1,
        "sub-IP component of an IP interface upon which datagram arrived",
    ),
    (2, "IP interface through which datagram would be forwarded"),
    (3, "IP next-hop to which datagram would be forwarded"),
];
/// RFC 8335's neighbor states in an extended echo reply.
pub(crate) const STATES: &[(u64, &str)] = &[
    (0, "Reserved"),
    (1, "Incomplete"),
    (2, "Reachable"),
    (3, "Stale"),
    (4, "Delay"),
    (5, "Probe"),
    (6, "Failed"),
];
/// RFC 8335's ways to name the probed interface (the object's C-Type).
const IDENT_KINDS: &[(u64, &str)] = &[
    (1, "Identifies Interface By Name"),
    (2, "Identifies Interface By Index"),
    (3, "Identifies Interface By Address"),
];
/// IANA address family numbers, as tshark names them.
#[rustfmt::skip]
const FAMILIES: &[(u64, &str)] = &[
    (0, "Reserved"), (1, "IPv4"), (2, "IPv6"), (3, "NSAP"), (4, "HDLC (8-bit multidrop)"),
    (5, "BBN 1822"), (6, "802 (includes all 802 media plus Ethernet)"), (7, "E.163"),
    (8, "E.164 (SMDS, Frame Relay, ATM)"), (9, "F.69 (Telex)"), (10, "X.121 (X.25, Frame Relay)"),
    (11, "IPX"), (12, "Appletalk"), (13, "Decnet IV"), (14, "Banyan Vines"),
    (15, "E.164 with NSAP subaddress"), (16, "DNS (Domain Name System)"),
    (17, "Distinguished Name"), (18, "AS Number"), (19, "XTP over IP version 4"),
    (20, "XTP over IP version 6"), (21, "XTP native mode XTP"),
    (22, "Fibre Channel World-Wide Port Name"), (23, "Fibre Channel World-Wide Node Name"),
    (24, "GWID"), (25, "Layer-2 VPN"), (26, "MPLS-TP Section Endpoint Identifier"),
    (27, "MPLS-TP LSP Endpoint Identifier"), (28, "MPLS-TP Pseudowire Endpoint Identifier"),
    (29, "MT IP: Multi-Topology IP version 4"), (30, "MT IPv6: Multi-Topology IP version 6"),
    (196, "Layer-2 VPN (old)"), (16384, "EIGRP Common Service Family"),
    (16385, "EIGRP IPv4 Service Family"), (16386, "EIGRP IPv6 Service Family"),
    (16387, "LISP Canonical Address Format (LCAF)"), (16388, "BGP-LS"),
    (16389, "48-bit MAC Address"), (16390, "64-bit MAC Address"), (16391, "OUI"),
    (16392, "MAC/24"), (16393, "MAC/40"), (16394, "IPv6/64"), (16395, "RBridge Port ID"),
    (16396, "TRILL Nickname"), (65535, "Reserved"),
];
/// Words of RFC 5837's presence bits.
const PRESENT: &[&str; 2] = &["Present", "Not Present"];

crate::define_fields! { after super::icmp::END;
    LENGTH = "icmp.length", "Length", dec(8);
    LENGTH_ORIGINAL = "icmp.length.original_datagram", "Length of original datagram", dec(8);
    POINTER = "icmp.pointer", "Pointer", dec(32);
    EXT = "icmp.ext", "ICMP Extensions", NONE;
    EXT_VERSION = "icmp.ext.version", "Version", dec(8);
    EXT_RES = "icmp.ext.res", "Reserved", uint(16, Base::Hex, 0x0fff, None);
    EXT_CHECKSUM = "icmp.ext.checksum", "Checksum", hex(16);
    EXT_CHECKSUM_STATUS = "icmp.ext.checksum.status", "Checksum Status", named(8, STATUS_NAMES);
    EXT_LENGTH = "icmp.ext.length", "Length", dec(16);
    EXT_CLASS = "icmp.ext.class", "Class", dec_named(8, CLASSES);
    EXT_CTYPE = "icmp.ext.ctype", "C-Type", dec(8);
    EXT_DATA = "icmp.ext.data", "Data", BYTES;
    MPLS_LABEL = "icmp.mpls.label", "Label", uint(24, Base::Dec, 0xff_fff0, None);
    MPLS_EXP = "icmp.mpls.exp", "Experimental", uint(24, Base::Dec, 0x0e, None);
    MPLS_S = "icmp.mpls.s", "Stack bit", flag(24, 0x01);
    MPLS_TTL = "icmp.mpls.ttl", "Time to live", dec(8);
    MPLS_DATA = "icmp.mpls.data", "Data", BYTES;
    INFO_ROLE = "icmp.int_info.role", "Interface Role", uint(8, Base::Dec, 0xc0, Some(ROLES));
    INFO_RESERVED = "icmp.int_info.reserved", "Reserved", uint(8, Base::Dec, 0x30, None);
    INFO_IFINDEX = "icmp.int_info.ifindex", "ifIndex", flag_tf(8, 0x08);
    INFO_IPADDR = "icmp.int_info.ipaddr", "IP Address", bool_words(8, 0x04, PRESENT);
    INFO_NAME_PRESENT = "icmp.int_info.name_present", "Interface Name", bool_words(8, 0x02, PRESENT);
    INFO_MTU_PRESENT = "icmp.int_info.mtu_present", "MTU", bool_words(8, 0x01, PRESENT);
    INFO_INDEX = "icmp.int_info.index", "Interface Index", dec(32);
    INFO_AFI = "icmp.int_info.afi", "Address Family Identifier", dec(16);
    RESERVED = "icmp.reserved", "Reserved", BYTES;
    INFO_IPV4 = "icmp.int_info.ipv4", "Source", IPV4;
    INFO_IPV6 = "icmp.int_info.ipv6", "Source", IPV6;
    INFO_IPUNKNOWN = "icmp.int_info.ipunknown", "Source", BYTES;
    INFO_NAME_LENGTH = "icmp.int_info.name_length", "Name Length", dec(8);
    INFO_NAME = "icmp.int_info.name", "Name", STR;
    INFO_MTU = "icmp.int_info.mtu", "Maximum Transmission Unit", dec(32);
    ECHO_SEQ = "icmp.ext.echo.seq", "Sequence Number", uint(8, Base::DecHex, 0, None);
    ECHO_REQ_RES = "icmp.ext.echo.req.res", "Reserved", uint(8, Base::Hex, 0xfe, None);
    ECHO_REQ_LOCAL = "icmp.ext.echo.req.local", "Local bit", flag(8, 0x01);
    ECHO_RSP_STATE = "icmp.ext.echo.rsp.state", "State", uint(8, Base::Dec, 0xe0, Some(STATES));
    ECHO_RSP_RES = "icmp.ext.echo.rsp.res", "Reserved", uint(8, Base::Hex, 0x18, None);
    ECHO_RSP_ACTIVE = "icmp.ext.echo.rsp.active", "Active bit", flag(8, 0x04);
    ECHO_RSP_IPV4 = "icmp.ext.echo.rsp.ipv4", "IPv4 bit", flag(8, 0x02);
    ECHO_RSP_IPV6 = "icmp.ext.echo.rsp.ipv6", "IPv6 bit", flag(8, 0x01);
    IDENT_NAME = "icmp.int_ident.name", "Name", STR;
    IDENT_INDEX = "icmp.int_ident.index", "Interface Index", dec(32);
    IDENT_AFI = "icmp.int_ident.afi", "Address Family Identifier", dec_named(16, FAMILIES);
    IDENT_ADDR_LENGTH = "icmp.int_ident.addr_length", "Address Length", dec(8);
    IDENT_RESERVED = "icmp.int_ident.reserved", "Reserved", BYTES;
    IDENT_IPV4 = "icmp.int_ident.ipv4", "Address", IPV4;
    IDENT_IPV6 = "icmp.int_ident.ipv6", "Address", IPV6;
    IDENT_ADDRESS = "icmp.int_ident.address", "Address", BYTES;
}

/// The length RFC 4884 puts in an error's sixth byte, in 32-bit words (0: none).
pub(crate) fn original_length(data: &[u8], at: usize, kind: u8) -> u8 {
    // tshark reads it for every error but Alternate Host Address.
    if kind == 6 {
        0
    } else {
        bytes::u8_at(data, at + 5).unwrap_or(0)
    }
}

/// The items of an error's second word (`kind` 3, 11 or 12; `at`: the ICMP header)
/// as RFC 4884 lays them out when `words` (the original datagram's length) is set.
pub(crate) fn error_word<'a>(
    d: &mut Dissection<'a>,
    data: &'a [u8],
    at: usize,
    kind: u8,
    code: u8,
) {
    let words = original_length(data, at, kind);
    let unused = |d: &mut Dissection<'a>, start: usize, len: usize| {
        let bytes = bytes::slice(data, at + start, len).unwrap_or_default();
        d.add(
            super::icmp::UNUSED,
            at + start,
            len,
            Value::Bytes(bytes.into()),
        );
    };
    let length = |d: &mut Dissection<'a>| {
        d.add(LENGTH, at + 5, 1, Value::UInt(u64::from(words)));
        d.add_generated(
            LENGTH_ORIGINAL,
            at + 5,
            1,
            Value::UInt(u64::from(words) * 4),
        );
    };
    let mtu = |d: &mut Dissection<'a>| {
        let mtu = bytes::be_u16(data, at + 6).unwrap_or(0);
        d.add(super::icmp::MTU, at + 6, 2, Value::UInt(u64::from(mtu)));
    };
    match kind {
        3 if words > 0 => {
            unused(d, 4, 1);
            length(d);
            if code == 4 {
                mtu(d);
            } else {
                unused(d, 6, 2);
            }
        }
        3 if code == 4 => {
            unused(d, 4, 2);
            mtu(d);
        }
        12 => {
            let pointer = bytes::u8_at(data, at + 4).unwrap_or(0);
            d.add(POINTER, at + 4, 1, Value::UInt(u64::from(pointer)));
            if words > 0 {
                length(d);
                unused(d, 6, 2);
            } else {
                unused(d, 5, 3);
            }
        }
        11 if words > 0 => {
            unused(d, 4, 1);
            length(d);
            unused(d, 6, 2);
        }
        _ => unused(d, 4, 4),
    }
}

/// How many bytes of an error's payload (from `at + 8`, `reported` the ICMP
/// message's length) tshark hands to IP as the original datagram: a redirect's
/// header and 64 bits, RFC 4884's length (plus the header) when the datagram is
/// longer, otherwise all of it.
pub(crate) fn quoted_len(data: &[u8], at: usize, kind: u8, reported: usize) -> usize {
    let rest = reported.saturating_sub(8);
    let ihl = usize::from(bytes::u8_at(data, at + 8).unwrap_or(0) & 0x0f);
    let words = usize::from(original_length(data, at, kind));
    let inner_total = usize::from(bytes::be_u16(data, at + 10).unwrap_or(0));
    let wanted = if kind == 5 {
        ihl * 4 + 8
    } else if words > 0 && reported > 8 + words * 4 && inner_total > words * 4 {
        (ihl + words) * 4
    } else {
        rest
    };
    wanted.min(rest)
}

/// After an error's quoted datagram: the extension structure tshark looks for when
/// the message has more than 128 bytes past its header and the datagram itself is
/// no longer than that, at RFC 4884's length (or 128 bytes) into the payload. Where
/// that lies past the message, tshark's read fails: the packet is malformed.
pub(crate) fn after_error<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    data: &'a [u8],
    (at, kind): (usize, u8),
    reported: usize,
) {
    if reported <= 8 + 128 {
        return;
    }
    let Some(inner_total) = bytes::be_u16(data, at + 10) else {
        truncated(d, ctx, data, at + 10, "ICMP");
        return;
    };
    if inner_total > 128 {
        return;
    }
    let words = usize::from(original_length(data, at, kind));
    let ext = if words > 0 { words * 4 } else { 128 } + 8;
    let captured = data.len().saturating_sub(at).min(reported);
    if ext > reported {
        malformed_pdu(d, "ICMP", at, captured);
    } else if ext > captured {
        short(d, "ICMP", None);
    } else {
        extensions(d, ctx, data, at + ext, at + reported);
    }
}

/// The fields of an extended echo, ICMP's or ICMPv6's.
pub(crate) struct EchoFields {
    /// The identifier, and its little-endian reading (ICMP only).
    pub id: (FieldId, Option<FieldId>),
    /// The sequence number.
    pub seq: FieldId,
    /// A request's reserved bits and L bit.
    pub request: [FieldId; 2],
    /// A reply's state, reserved bits, A, 4 and 6 bits.
    pub reply: [FieldId; 5],
    /// Whether the extensions are a protocol layer of their own (ICMPv6 hands them to
    /// ICMP's extension dissector, which frame.protocols names `icmp`).
    pub own_layer: bool,
}

/// ICMP's extended echo fields.
pub(crate) const ICMP_ECHO: EchoFields = EchoFields {
    id: (super::icmp::IDENT, Some(super::icmp::IDENT_LE)),
    seq: ECHO_SEQ,
    request: [ECHO_REQ_RES, ECHO_REQ_LOCAL],
    reply: [
        ECHO_RSP_STATE,
        ECHO_RSP_RES,
        ECHO_RSP_ACTIVE,
        ECHO_RSP_IPV4,
        ECHO_RSP_IPV6,
    ],
    own_layer: false,
};

/// RFC 8335's extended echo request or reply (`is_request`) after its first word:
/// identifier, sequence number, flags, and (a request) the extension structure that
/// names the probed interface. `reported`: the message's length.
pub(crate) fn extended_echo<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    data: &'a [u8],
    (at, is_request): (usize, bool),
    reported: usize,
    fields: &EchoFields,
) {
    let Some(id) = bytes::be_u16(data, at + 4) else {
        truncated(d, ctx, data, at + 4, "ICMP");
        return;
    };
    d.add(fields.id.0, at + 4, 2, Value::UInt(u64::from(id)));
    if let Some(le) = fields.id.1 {
        d.add(le, at + 4, 2, Value::UInt(u64::from(id.swap_bytes())));
    }
    let (Some(seq), Some(bits)) = (bytes::u8_at(data, at + 6), bytes::u8_at(data, at + 7)) else {
        truncated(d, ctx, data, at + 6, "ICMP");
        return;
    };
    d.add(fields.seq, at + 6, 1, Value::UInt(u64::from(seq)));
    let bit = |mask: u8| Value::Bool(bits & mask != 0);
    if is_request {
        let [res, local] = fields.request;
        d.add(res, at + 7, 1, Value::UInt(u64::from(bits >> 1)));
        d.add(local, at + 7, 1, bit(0x01));
    } else {
        let [state, res, active, v4, v6] = fields.reply;
        d.add(state, at + 7, 1, Value::UInt(u64::from(bits >> 5)));
        d.add(res, at + 7, 1, Value::UInt(u64::from((bits >> 3) & 3)));
        d.add(active, at + 7, 1, bit(0x04));
        d.add(v4, at + 7, 1, bit(0x02));
        d.add(v6, at + 7, 1, bit(0x01));
    }
    // tshark reads the extensions of a request only.
    if is_request && reported > 8 {
        if data.len() <= at + 8 {
            short(d, "ICMP", None);
        } else {
            if fields.own_layer {
                d.push_layer("icmp");
            }
            extensions(d, ctx, data, at + 8, at + reported);
        }
    }
}

/// The multi-part extension structure from `start` to `end` (the message's end as
/// IP reports it; the capture may hold less): the common header with its checksum,
/// then the objects, each at most as long as what remains.
fn extensions<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    data: &'a [u8],
    start: usize,
    end: usize,
) {
    let reported = end.saturating_sub(start);
    let captured = data.len().min(end).saturating_sub(start);
    let first = bytes::u8_at(data, start);
    let version = first.map(|b| b >> 4);
    let supported = matches!(version, Some(1 | 2)) || reported < 4;
    let item = d.add_labeled(EXT, start, captured, Value::None, || {
        let tail = if supported {
            ""
        } else {
            " (unsupported version)"
        };
        format!("ICMP Multi-Part Extensions{tail}")
    });
    if reported < 4 {
        return;
    }
    let (Some(version), Some(word)) = (version, bytes::be_u16(data, start)) else {
        truncated(d, ctx, data, start, "ICMP");
        return;
    };
    d.begin(item);
    d.add(EXT_VERSION, start, 1, Value::UInt(u64::from(version)));
    d.add(EXT_RES, start, 2, Value::UInt(u64::from(word & 0x0fff)));
    let Some(sum) = bytes::be_u16(data, start + 2) else {
        truncated(d, ctx, data, start + 2, "ICMP");
        d.end();
        return;
    };
    if !checksum_item(d, data, (start, end), sum) {
        truncated(d, ctx, data, start, "ICMP");
        d.end();
        return;
    }
    if !supported {
        d.end();
        return;
    }
    let mut at = start + 4;
    let mut info_objects = 0u32;
    while end.saturating_sub(at) >= 4 {
        let (Some(len), Some(class), Some(ctype)) = (
            bytes::be_u16(data, at),
            bytes::u8_at(data, at + 2),
            bytes::u8_at(data, at + 3),
        ) else {
            truncated(d, ctx, data, at, "ICMP");
            break;
        };
        let len = usize::from(len);
        let kept = len.min(end - at);
        if class == 2 {
            info_objects += 1;
        }
        // The object's line, set once its dissector has said whether it knows it.
        let node = d.text(at, kept.max(4), String::new);
        d.begin(node);
        d.add(EXT_LENGTH, at, 2, Value::UInt(len as u64));
        d.add(EXT_CLASS, at + 2, 1, Value::UInt(u64::from(class)));
        if len < 4 {
            d.set_label(node, || "Object with bad length".to_string());
            d.end();
            break;
        }
        let object = Object {
            at,
            end: at + kept,
            len,
            ctype,
            message_end: end,
        };
        let known = match class {
            1 => mpls_stack(d, data, &object),
            2 => interface_information(d, data, &object),
            3 => interface_identification(d, data, &object),
            _ => false,
        };
        if !known {
            d.add(EXT_CTYPE, at + 3, 1, Value::UInt(u64::from(ctype)));
            if kept > 4 {
                let bytes = bytes::clamped(data, at + 4, kept - 4);
                d.add(EXT_DATA, at + 4, kept - 4, Value::Bytes(bytes.into()));
            }
        }
        d.set_label(node, || {
            let name = match class {
                _ if !known => format!("Unknown object ({class}/{ctype})"),
                1 => "MPLS Stack Entry".to_string(),
                2 if info_objects > 4 => "More than 4 Interface Information Objects".to_string(),
                2 => "Interface Information Object".to_string(),
                _ => "Interface Identification Object".to_string(),
            };
            if len > kept {
                format!("{name} (truncated)")
            } else {
                name
            }
        });
        d.end();
        at += kept;
    }
    d.end();
}

/// One object of the structure: its header at `at`, its bytes to `end` (its length,
/// `len`, cut at the message's end, `message_end`).
struct Object {
    at: usize,
    end: usize,
    len: usize,
    ctype: u8,
    message_end: usize,
}

/// The structure's checksum over `start..end`: absent when zero, else checked (the
/// verdict in tshark's words, a warning when wrong). False when the capture holds
/// too little of the structure to check it.
fn checksum_item(
    d: &mut Dissection<'_>,
    data: &[u8],
    (start, end): (usize, usize),
    sum: u16,
) -> bool {
    let at = start + 2;
    if sum == 0 {
        d.add_labeled(EXT_CHECKSUM, at, 2, Value::UInt(0), || {
            "Checksum: 0x0000 [not present]".to_string()
        });
        d.add_generated(EXT_CHECKSUM_STATUS, at, 0, Value::UInt(3));
        return true;
    }
    let Some(covered) = bytes::slice(data, start, end - start) else {
        return false;
    };
    let status = checksum::add_in_cksum(d, EXT_CHECKSUM, (at, sum), covered, "ICMP");
    d.add_generated(EXT_CHECKSUM_STATUS, at, 0, Value::UInt(status));
    true
}

/// RFC 4950's label stack: one line per 4-byte entry, bytes left over as data.
fn mpls_stack<'a>(d: &mut Dissection<'a>, data: &'a [u8], o: &Object) -> bool {
    d.add(EXT_CTYPE, o.at + 3, 1, Value::UInt(u64::from(o.ctype)));
    if o.ctype != 1 {
        return false;
    }
    let mut at = o.at + 4;
    while at + 4 <= o.end {
        let Some(entry) = bytes::array::<4>(data, at) else {
            break;
        };
        let [a, b, c, ttl] = entry;
        let label = (u32::from(a) << 12) | (u32::from(b) << 4) | u32::from(c >> 4);
        let (exp, stack) = ((c >> 1) & 7, c & 1);
        let line = d.text(at, 4, || {
            format!("Label: {label}, Exp: {exp}, S: {stack}, TTL: {ttl}")
        });
        d.begin(line);
        d.add(MPLS_LABEL, at, 3, Value::UInt(u64::from(label)));
        d.add(MPLS_EXP, at + 2, 1, Value::UInt(u64::from(exp)));
        d.add(MPLS_S, at + 2, 1, Value::Bool(stack == 1));
        d.add(MPLS_TTL, at + 3, 1, Value::UInt(u64::from(ttl)));
        d.end();
        at += 4;
    }
    if at < o.end {
        let bytes = bytes::clamped(data, at, o.end - at);
        d.add(MPLS_DATA, at, o.end - at, Value::Bytes(bytes.into()));
    }
    true
}

/// RFC 5837's interface information: the C-Type's bits say which of the interface
/// index, IP address, name and MTU follow.
fn interface_information<'a>(d: &mut Dissection<'a>, data: &'a [u8], o: &Object) -> bool {
    let c = o.ctype;
    let (has_index, has_addr, has_name, has_mtu) =
        (c & 0x08 != 0, c & 0x04 != 0, c & 0x02 != 0, c & 0x01 != 0);
    let role = c >> 6;
    let ctype = d.add_labeled(EXT_CTYPE, o.at + 3, 1, Value::UInt(u64::from(c)), || {
        let mut label = format!("C-Type: {c}");
        if let Some(name) = super::value::value_name(Some(ROLES), u64::from(role)) {
            label.push_str(&format!(", Interface Role: {name}"));
        }
        for (set, name) in [
            (has_index, "ifIndex"),
            (has_addr, "IP Address"),
            (has_name, "Interface Name"),
            (has_mtu, "MTU"),
        ] {
            if set {
                label.push_str(", ");
                label.push_str(name);
            }
        }
        label
    });
    d.begin(ctype);
    let at = o.at + 3;
    d.add(INFO_ROLE, at, 1, Value::UInt(u64::from(role)));
    d.add(INFO_RESERVED, at, 1, Value::UInt(u64::from((c >> 4) & 3)));
    d.add(INFO_IFINDEX, at, 1, Value::Bool(has_index));
    d.add(INFO_IPADDR, at, 1, Value::Bool(has_addr));
    d.add(INFO_NAME_PRESENT, at, 1, Value::Bool(has_name));
    d.add(INFO_MTU_PRESENT, at, 1, Value::Bool(has_mtu));
    d.end();
    let mut at = o.at + 4;
    if has_index {
        let index = bytes::be_u32(data, at).unwrap_or(0);
        d.add(INFO_INDEX, at, 4, Value::UInt(u64::from(index)));
        at += 4;
    }
    if has_addr && o.end >= at + 2 {
        let afi = bytes::be_u16(data, at).unwrap_or(0);
        let node = d.text(at, if afi == 1 { 8 } else { 20 }, || {
            "IP Address Sub-Object".to_string()
        });
        d.begin(node);
        d.add(INFO_AFI, at, 2, Value::UInt(u64::from(afi)));
        let reserved = bytes::clamped(data, at + 2, 2);
        d.add(RESERVED, at + 2, 2, Value::Bytes(reserved.into()));
        at += 4;
        match afi {
            1 => {
                if let Some(addr) = bytes::array::<4>(data, at) {
                    d.add(INFO_IPV4, at, 4, Value::Ipv4(addr));
                }
                at += 4;
            }
            2 => {
                if let Some(addr) = bytes::array::<16>(data, at) {
                    d.add(INFO_IPV6, at, 16, Value::Ipv6(addr));
                }
                at += 16;
            }
            _ => {
                // tshark gives this item a negative length: the rest of the bytes.
                let rest = bytes::tail(data, at);
                let rest = rest.get(..o.message_end.saturating_sub(at)).unwrap_or(rest);
                d.add(INFO_IPUNKNOWN, at, rest.len(), Value::Bytes(rest.into()));
                d.end();
                return true;
            }
        }
        d.end();
    }
    if has_name {
        let mut name_len = 0usize;
        let mut open = false;
        if o.end > at {
            name_len = usize::from(bytes::u8_at(data, at).unwrap_or(0));
            let node = d.text(at, name_len, || "Interface Name Sub-Object".to_string());
            d.begin(node);
            open = true;
            d.add(INFO_NAME_LENGTH, at, 1, Value::UInt(name_len as u64));
            at += 1;
        }
        if o.end >= at + name_len {
            // The length counts its own byte; a length of 0 reads to the end.
            let len = match name_len.checked_sub(1) {
                Some(n) => n,
                None => o.message_end.saturating_sub(at),
            };
            let name = bytes::clamped(data, at, len);
            d.add(
                INFO_NAME,
                at,
                len,
                Value::Str(Cow::Borrowed(bytes::until_nul(name))),
            );
            at += len;
        }
        if open {
            d.end();
        }
    }
    if has_mtu {
        let mtu = bytes::be_u32(data, at).unwrap_or(0);
        d.add(INFO_MTU, at, 4, Value::UInt(u64::from(mtu)));
    }
    true
}

/// RFC 8335's interface identification: the probed interface by name, index or
/// address.
fn interface_identification<'a>(d: &mut Dissection<'a>, data: &'a [u8], o: &Object) -> bool {
    if o.message_end.saturating_sub(o.at) < 5 {
        return false;
    }
    let c = o.ctype;
    d.add_labeled(EXT_CTYPE, o.at + 3, 1, Value::UInt(u64::from(c)), || {
        match super::value::value_name(Some(IDENT_KINDS), u64::from(c)) {
            Some(name) => format!("C-Type: {c} ({name})"),
            None => format!("C-Type: {c} (Unknown C-Type {c})"),
        }
    });
    let mut at = o.at + 4;
    let remaining = |at: usize| o.message_end.saturating_sub(at);
    match c {
        1 => {
            let len = o.len.saturating_sub(4);
            let name = bytes::clamped(data, at, len);
            d.add(
                IDENT_NAME,
                at,
                len,
                Value::Str(Cow::Borrowed(bytes::until_nul(name))),
            );
        }
        2 => {
            let index = bytes::be_u32(data, at).unwrap_or(0);
            d.add(IDENT_INDEX, at, 4, Value::UInt(u64::from(index)));
        }
        3 => {
            let afi = bytes::be_u16(data, at).unwrap_or(0);
            d.add(IDENT_AFI, at, 2, Value::UInt(u64::from(afi)));
            let mut addr_len = usize::from(bytes::u8_at(data, at + 2).unwrap_or(0));
            d.add(IDENT_ADDR_LENGTH, at + 2, 1, Value::UInt(addr_len as u64));
            let reserved = bytes::clamped(data, at + 3, 1);
            d.add(IDENT_RESERVED, at + 3, 1, Value::Bytes(reserved.into()));
            at += 4;
            match afi {
                1 => {
                    while addr_len >= 4 && remaining(at) >= 4 {
                        if let Some(addr) = bytes::array::<4>(data, at) {
                            d.add(IDENT_IPV4, at, 4, Value::Ipv4(addr));
                        }
                        at += 4;
                        addr_len -= 4;
                    }
                }
                2 => {
                    while addr_len >= 16 && remaining(at) >= 16 {
                        if let Some(addr) = bytes::array::<16>(data, at) {
                            d.add(IDENT_IPV6, at, 16, Value::Ipv6(addr));
                        }
                        at += 16;
                        addr_len -= 16;
                    }
                }
                _ => {
                    let rest = bytes::clamped(data, at, remaining(at));
                    d.add(IDENT_ADDRESS, at, rest.len(), Value::Bytes(rest.into()));
                }
            }
        }
        _ => {}
    }
    true
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_frame, with_patched, with_truncated};
    use crate::dissect::ws;

    /// icmp_extensions.pcapng frame 1: a router of an MPLS network answers a
    /// traceroute probe with the label the probe carried (RFC 4950).
    #[test]
    fn time_exceeded_carries_the_mpls_label_stack() {
        with_frame("icmp_extensions.pcapng", 1, |d| {
            assert_eq!(field(d, "icmp.ext.version"), "2");
            assert_eq!(field(d, "icmp.ext.checksum.status"), "1");
            assert_eq!(field(d, "icmp.ext.class"), "1");
            assert_eq!(field(d, "icmp.mpls.label"), "100704");
            assert_eq!(field(d, "icmp.mpls.s"), "1");
            assert_eq!(field(d, "icmp.mpls.ttl"), "1");
            // The probe's 12 bytes of UDP payload, not the padding and extensions
            // that follow the quoted datagram.
            assert_eq!(field(d, "data.len"), "12");
            assert_eq!(d.layers_joined(), "eth:ethertype:ip:icmp:ip:udp:data");
        });
    }

    /// Frame 7: RFC 5837's interface information (ifIndex, IPv4 address, name).
    #[test]
    fn interface_information_object() {
        with_frame("icmp_extensions.pcapng", 7, |d| {
            assert_eq!(field(d, "icmp.ext.class"), "2");
            assert_eq!(field(d, "icmp.int_info.index"), "15");
            assert_eq!(field(d, "icmp.int_info.ipv4"), "10.10.10.10");
            assert_eq!(field(d, "icmp.int_info.name_length"), "64");
        });
    }

    /// Frames 10 and 13: RFC 8335's extended echo, the interface named by address;
    /// the reply's extensions are not read, as tshark does not read them.
    #[test]
    fn extended_echo_request_and_reply() {
        with_frame("icmp_extensions.pcapng", 10, |d| {
            assert_eq!(d.columns.info, "Extended Echo request (No error)");
            assert_eq!(field(d, "icmp.int_ident.afi"), "1");
            assert_eq!(field(d, "icmp.int_ident.ipv4"), "149.28.74.237");
            assert_eq!(field(d, "icmp.ext.checksum.status"), "0");
        });
        with_frame("icmp_extensions.pcapng", 15, |d| {
            assert_eq!(d.columns.info, "Extended Echo reply  (Malformed Query)");
            assert_eq!(field(d, "icmp.ext.version"), "");
        });
    }

    /// Frames 28 and 29: ICMPv6's extended echo; the request's extensions are a layer
    /// of their own (`icmp`), and the addresses' SLAAC MACs are read out.
    #[test]
    fn icmpv6_extended_echo() {
        with_frame("icmp_extensions.pcapng", 28, |d| {
            assert_eq!(d.columns.info, "Extended Echo request (No error)");
            assert_eq!(field(d, "icmpv6.ext.echo.req.local"), "1");
            assert_eq!(field(d, "icmp.int_ident.index"), "1");
            assert_eq!(d.layers_joined(), "eth:ethertype:ipv6:icmpv6:icmp");
            // Only the universal EUI-64 identifier gives a MAC.
            assert_eq!(field(d, "ipv6.src_slaac_mac"), "");
            assert_eq!(field(d, "ipv6.dst_slaac_mac"), "00:25:90:a8:86:86");
        });
        with_frame("icmp_extensions.pcapng", 29, |d| {
            assert_eq!(field(d, "icmpv6.ext.echo.rsp.active"), "1");
            assert_eq!(d.layers_joined(), "eth:ethertype:ipv6:icmpv6");
        });
    }

    /// Frame 22: the router's RFC 4884 length (93 words) points past the message:
    /// tshark's read of the extensions fails there and calls the packet malformed.
    #[test]
    fn a_length_past_the_message_is_malformed() {
        with_frame("icmp_extensions.pcapng", 22, |d| {
            assert_eq!(field(d, "icmp.length"), "93");
            assert_eq!(field(d, "icmp.length.original_datagram"), "372");
            assert!(d.has(ws::MALFORMED));
            assert!(d.columns.info.ends_with("[Malformed Packet]"));
        });
    }

    /// Cut by the capture inside the extensions: short, never a panic; an object
    /// claiming more bytes than the message has is truncated to it.
    #[test]
    fn truncated_and_impossible_lengths() {
        for len in [14 + 20 + 8, 14 + 20 + 8 + 130, 14 + 20 + 8 + 134, 181] {
            with_truncated("icmp_extensions.pcapng", 1, len, |d| {
                assert_eq!(field(d, "icmp.mpls.label"), "");
            });
        }
        with_patched(
            "icmp_extensions.pcapng",
            1,
            |bytes| {
                // The MPLS object's length: 0xffff.
                let at = 14 + 20 + 8 + 128 + 4;
                bytes[at] = 0xff;
                bytes[at + 1] = 0xff;
            },
            |d| {
                assert_eq!(field(d, "icmp.ext.length"), "65535");
                assert_eq!(field(d, "icmp.mpls.label"), "100704");
            },
        );
        with_patched(
            "icmp_extensions.pcapng",
            1,
            |bytes| {
                // An object length under its own header.
                let at = 14 + 20 + 8 + 128 + 4;
                bytes[at] = 0;
                bytes[at + 1] = 2;
            },
            |d| assert_eq!(field(d, "icmp.mpls.label"), ""),
        );
    }
}
