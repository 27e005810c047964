//! Session Traversal Utilities for NAT (RFC 8489, formerly RFC 5389; TURN's methods
//! and attributes from RFC 8656) on UDP 3478 and by tshark's UDP heuristic: the
//! 20-byte header with its magic cookie, the attributes (addresses in the clear and
//! XOR-ed, strings, FINGERPRINT's CRC-32 checked), TURN ChannelData on the port, and
//! tshark's Info `Binding Success Response XOR-MAPPED-ADDRESS: 192.0.2.1:50743`.

use super::context::{PacketContext, TransactionKey};
use super::field::Base;
use super::field::kinds::*;
use super::ipv4::{Addr, NetInfo};
use super::node::{Expert, Severity};
use super::tree::Dissection;
use super::value::{self, Value};
use crate::bytes;

/// RFC 8489 section 6: the fixed value every message carries after its length.
const MAGIC_COOKIE: u32 = 0x2112_a442;
/// The message header's length.
const HEADER_LEN: usize = 20;
/// What the transaction keys of STUN say their protocol is (no IP protocol number).
const KEY_PROTO: u8 = 0xb5;
/// Most attributes read from one message (a 64 KiB message holds at most 16384).
const MAX_ATTRIBUTES: usize = 16384;

#[rustfmt::skip]
const CLASSES: &[(u64, &str)] = &[
    (0, "Request"), (1, "Indication"), (2, "Success Response"), (3, "Error Response"),
];
#[rustfmt::skip]
const METHODS: &[(u64, &str)] = &[
    (0x001, "Binding"), (0x002, "SharedSecret"), (0x003, "Allocate"), (0x004, "Refresh"),
    (0x006, "Send"), (0x007, "Data"), (0x008, "CreatePermission"), (0x009, "Channel-Bind"),
    (0x00a, "Connect"), (0x00b, "ConnectionBind"), (0x00c, "ConnectionAttempt"),
    (0x080, "GooglePing"),
];
const ASSIGNMENTS: &[(u64, &str)] = &[(0, "IETF Review"), (1, "Designated Expert")];
const COMPREHENSIONS: &[(u64, &str)] = &[(0, "Required"), (1, "Optional")];
const FAMILIES: &[(u64, &str)] = &[(1, "IPv4"), (2, "IPv6")];
const TRANSPORTS: &[(u64, &str)] = &[(17, "UDP"), (6, "TCP")];
#[rustfmt::skip]
const NETWORK_VERSIONS: &[(u64, &str)] = &[
    (1, "MS-TURN"), (2, "RFC-3489 and earlier"), (3, "RFC-5389/8489"),
];
#[rustfmt::skip]
const ERROR_CODES: &[(u64, &str)] = &[
    (274, "Disable Candidate"), (275, "Disable Candidate Pair"), (300, "Try Alternate"),
    (400, "Bad Request"), (401, "Unauthenticated"), (403, "Forbidden"),
    (405, "Mobility Forbidden"), (420, "Unknown Attribute"),
    (430, "Stale Credentials (legacy)"), (431, "Integrity Check Failure (legacy)"),
    (432, "Missing Username (legacy)"), (433, "Use TLS (legacy)"),
    (434, "Missing Realm (legacy)"), (435, "Missing Nonce (legacy)"),
    (436, "Unknown User (legacy)"), (437, "Allocation Mismatch"), (438, "Stale Nonce"),
    (439, "Wrong Credentials (legacy)"), (440, "Address Family not Supported"),
    (441, "Wrong Credentials"), (442, "Unsupported Transport Protocol"),
    (443, "Peer Address Family Mismatch"), (446, "Connection Already Exists"),
    (447, "Connection Timeout or Failure"), (481, "Connection does not exist (legacy)"),
    (486, "Allocation Quota Reached"), (487, "Role Conflict"), (500, "Server Error"),
    (503, "Service Unavailable (legacy)"), (507, "Insufficient Bandwidth Capacity (legacy)"),
    (508, "Insufficient Port Capacity"), (600, "Global Failure"),
];
/// IANA's attribute names as tshark 4.0 writes them (its typos included).
#[rustfmt::skip]
const ATTRIBUTES: &[(u64, &str)] = &[
    (0x0001, "MAPPED-ADDRESS"), (0x0002, "RESPONSE_ADDRESS"), (0x0003, "CHANGE_REQUEST"),
    (0x0004, "SOURCE_ADDRESS"), (0x0005, "CHANGED_ADDRESS"), (0x0006, "USERNAME"),
    (0x0007, "PASSWORD"), (0x0008, "MESSAGE-INTEGRITY"), (0x0009, "ERROR-CODE"),
    (0x000a, "UNKNOWN-ATTRIBUTES"), (0x000b, "REFLECTED-FROM"), (0x000c, "CHANNEL-NUMBER"),
    (0x000d, "LIFETIME"), (0x000e, "MS-ALTERNATE-SERVER"), (0x000f, "MAGIC-COOKIE"),
    (0x0010, "BANDWIDTH"), (0x0011, "DESTINATION-ADDRESS"), (0x0012, "XOR-PEER-ADDRESS"),
    (0x0013, "DATA"), (0x0014, "REALM"), (0x0015, "NONCE"), (0x0016, "XOR-RELAYED-ADDRESS"),
    (0x0017, "REQUESTED-ADDRESS-FAMILY"), (0x0018, "EVEN-PORT"),
    (0x0019, "REQUESTED-TRANSPORT"), (0x001a, "DONT-FRAGMENT"), (0x001b, "ACCESS-TOKEN"),
    (0x001c, "MESSAGE-INTEGRITY-SHA256"), (0x001d, "PASSWORD-ALGORITHM"), (0x001e, "USERHASH"),
    (0x0020, "XOR-MAPPED-ADDRESS"), (0x0022, "RESERVATION-TOKEN"), (0x0024, "PRIORITY"),
    (0x0025, "USE-CANDIDATE"), (0x0026, "PADDING"), (0x0027, "XOR-RESPONSE-TARGET"),
    (0x0028, "XOR-REFELECTED-FROM"), (0x002a, "CONNECTION-ID"), (0x0030, "LEGACY-ICMP"),
    (0x8000, "ADDITIONAL-ADDRESS-FAMILY"), (0x8001, "ADDRESS-ERROR-CODE"),
    (0x8002, "PASSWORD-ALGORITHMS"), (0x8003, "ALTERNATE-DOMAIN"), (0x8004, "ICMP"),
    (0x8006, "MS-TURN UNKNOWN 8006"), (0x8008, "MS-VERSION"), (0x8020, "XOR-MAPPED-ADDRESS"),
    (0x8022, "SOFTWARE"), (0x8023, "ALTERNATE-SERVER"),
    (0x8025, "TRANSACTION-TRANSMIT-COUNTER"), (0x8027, "CACHE-TIMEOUT"),
    (0x8028, "FINGERPRINT"), (0x8029, "ICE-CONTROLLED"), (0x802a, "ICE-CONTROLLING"),
    (0x802b, "RESPONSE-ORIGIN"), (0x802c, "OTHER-ADDRESS"), (0x802d, "ECN-CHECK-STUN"),
    (0x802e, "THIRD-PARTY-AUTHORIZATION"), (0x8030, "MOBILITY-TICKET"),
    (0x8032, "MS-ALTERNATE-HOST-NAME"), (0x8037, "MS-APP-ID"), (0x8039, "MS-SECURE-TAG"),
    (0x8050, "MS-SEQUENCE-NUMBER"), (0x8054, "MS-CANDIDATE-IDENTIFIER"),
    (0x8055, "MS-SERVICE-QUALITY"), (0x8056, "Bandwidth Admission Control Message"),
    (0x8057, "Bandwidth Reservation Identifier"), (0x8058, "Bandwidth Reservation Amount"),
    (0x8059, "Remote Site Address"), (0x805a, "Remote Relay Site Address"),
    (0x805b, "Local Site Address"), (0x805c, "Local Relay Site Address"),
    (0x805d, "Remote Site Address Response"), (0x805e, "Remote Relay Site Address Response"),
    (0x805f, "Local Site Address Response"), (0x8060, "Local Relay Site Address Response"),
    (0x8061, "SIP Dialog Identifier"), (0x8062, "SIP Call Identifier"),
    (0x8068, "Location Profile"), (0x8070, "MS-IMPLEMENTATION-VERSION"),
    (0x8090, "MS-ALT-MAPPED-ADDRESS"), (0x8095, "MS-MULTIPLEXED-TURN-SESSION-ID"),
    (0xc000, "CISCO-STUN-FLOWDATA"), (0xc001, "ENF-FLOW-DESCRIPTION"),
    (0xc002, "ENF-NETWORK-STATUS"), (0xc057, "GOOG-NETWORK-INFO"),
    (0xc058, "GOOG-LAST-ICE-CHECK-RECEIVED"), (0xc059, "GOOG-MISC-INFO"),
    (0xc05a, "GOOG-OBSOLETE-1"), (0xc05b, "GOOG-CONNECTION-ID"), (0xc05c, "GOOG-DELTA"),
    (0xc05d, "GOOG-DELTA-ACK"), (0xc060, "GOOG-MESSAGE_INTEGRITY-32"),
    (0xff04, "GOOG-MULTI-MAPPING"), (0xff05, "GOOG-LOGGING-ID"),
];

crate::define_fields! { after super::netbios::END;
    STUN = "stun", "Session Traversal Utilities for NAT", PROTO;
    CHANNEL = "stun.channel", "Channel Number", hex(16);
    TYPE = "stun.type", "Message Type", hex(16);
    TYPE_CLASS = "stun.type.class", "Message Class", uint(16, Base::Hex, 0x0110, None);
    TYPE_METHOD = "stun.type.method", "Message Method", uint(16, Base::Hex, 0x3eef, None);
    TYPE_METHOD_ASSIGNMENT = "stun.type.method-assignment", "Message Method Assignment",
        uint(16, Base::Hex, 0x2000, Some(ASSIGNMENTS));
    LENGTH = "stun.length", "Message Length", dec(16);
    COOKIE = "stun.cookie", "Message Cookie", BYTES;
    ID = "stun.id", "Message Transaction ID", BYTES;
    ATTRIBUTES_ITEM = "stun.attributes", "Attributes", NONE;
    ATTRIBUTE = "stun.attribute", "Attribute Type", hex(16);
    RESPONSE_IN = "stun.response-in", "Response In", FRAME;
    RESPONSE_TO = "stun.response-to", "Request In", FRAME;
    TIME = "stun.time", "Time", REL_TIME;
    ATT_TYPE = "stun.att.type", "Attribute Type", hex(16);
    ATT_COMPREHENSION = "stun.att.type.comprehension", "Attribute Type Comprehension",
        uint(16, Base::Hex, 0x8000, Some(COMPREHENSIONS));
    ATT_ASSIGNMENT = "stun.att.type.assignment", "Attribute Type Assignment",
        uint(16, Base::Hex, 0x4000, Some(ASSIGNMENTS));
    ATT_LENGTH = "stun.att.length", "Attribute Length", dec(16);
    ATT_FAMILY = "stun.att.family", "Protocol Family", hex_named(8, FAMILIES);
    ATT_IPV4 = "stun.att.ipv4", "IP", IPV4;
    ATT_IPV6 = "stun.att.ipv6", "IP", IPV6;
    ATT_PORT = "stun.att.port", "Port", dec(16);
    ATT_USERNAME = "stun.att.username", "Username", STR;
    ATT_PASSWORD = "stun.att.password", "Password", BYTES;
    ATT_PADDING = "stun.att.padding", "Padding", dec(16);
    ATT_HMAC = "stun.att.hmac", "HMAC-SHA1", BYTES;
    ATT_CRC32 = "stun.att.crc32", "CRC-32", hex(32);
    ATT_CRC32_STATUS = "stun.att.crc32.status", "CRC-32 Status",
        named(8, super::ipv4::STATUS_NAMES);
    ATT_ERROR_CLASS = "stun.att.error.class", "Error Class", uint(8, Base::Dec, 0x07, None);
    ATT_ERROR = "stun.att.error", "Error Code", dec(8);
    ATT_ERROR_REASON = "stun.att.error.reason", "Error Reason Phrase", STR;
    ATT_REALM = "stun.att.realm", "Realm", STR;
    ATT_NONCE = "stun.att.nonce", "Nonce", STR;
    ATT_UNKNOWN = "stun.att.unknown", "Unknown Attribute", hex(16);
    ATT_XOR_IPV4 = "stun.att.ipv4-xord", "IP (XOR-d)", BYTES;
    ATT_XOR_IPV6 = "stun.att.ipv6-xord", "IP (XOR-d)", BYTES;
    ATT_XOR_PORT = "stun.att.port-xord", "Port (XOR-d)", BYTES;
    ATT_SOFTWARE = "stun.att.software", "Software", STR;
    ATT_PRIORITY = "stun.att.priority", "Priority", dec(32);
    ATT_TIE_BREAKER = "stun.att.tie-breaker", "Tie breaker", BYTES;
    ATT_LIFETIME = "stun.att.lifetime", "Lifetime", dec(32);
    ATT_CHANGE_IP = "stun.att.change-ip", "Change IP", flag(16, 0x4);
    ATT_CHANGE_PORT = "stun.att.change-port", "Change Port", flag(16, 0x2);
    ATT_CACHE_TIMEOUT = "stun.att.cache-timeout", "Cache timeout", dec(32);
    ATT_TOKEN = "stun.att.token", "Token", BYTES;
    VALUE = "stun.value", "Value", BYTES;
    ATT_RESERVED = "stun.att.reserved", "Reserved", BYTES;
    ATT_TRANSP = "stun.att.transp", "Transport", hex_named(8, TRANSPORTS);
    ATT_CHANNELNUM = "stun.att.channelnum", "Channel-Number", hex(16);
    NETWORK_VERSION = "stun.network_version", "STUN Network Version",
        dec_named(8, NETWORK_VERSIONS);
    WRONG_MSGLEN = "stun.wrong_msglen", "Packet length is not multiple of 4 bytes", NONE;
    UNKNOWN_ATTRIBUTE = "stun.unknown_attribute", "Attribute unknown", NONE;
    CRC32_BAD = "stun.att.crc32.bad", "Bad Fingerprint", NONE;
}

/// The message header of RFC 8489 section 5, checked as tshark checks it before it
/// calls a datagram STUN.
#[derive(Debug, Clone, Copy)]
struct Header {
    msg_type: u16,
    length: u16,
    class: u16,
    method: u16,
    id: [u8; 12],
}

impl Header {
    /// The header of `msg`, a whole datagram `reported` bytes long on the wire; `None`
    /// when it is no STUN message (no cookie, a method in the range RFC 7983 keeps for
    /// DTLS-SRTP, or a length that disagrees with the datagram's).
    fn new(msg: &[u8], reported: usize) -> Option<Header> {
        let msg_type = bytes::be_u16(msg, 0)?;
        let length = bytes::be_u16(msg, 2)?;
        if msg_type & 0xc000 != 0 || bytes::be_u32(msg, 4)? != MAGIC_COOKIE {
            return None;
        }
        let class = ((msg_type & 0x0010) >> 4) | ((msg_type & 0x0100) >> 7);
        let method = (msg_type & 0x000f) | ((msg_type & 0x00e0) >> 1) | ((msg_type & 0x3e00) >> 2);
        if method > 0xff || reported != usize::from(length) + HEADER_LEN {
            return None;
        }
        Some(Header {
            msg_type,
            length,
            class,
            method,
            id: bytes::array::<12>(msg, 8)?,
        })
    }
}

/// Whether a datagram's payload passes tshark's STUN heuristic over UDP.
pub fn looks_like_stun(payload: &[u8], reported: usize) -> bool {
    Header::new(payload, reported).is_some()
}

/// Dissects the datagram payload `msg` (`reported` bytes on the wire) at `offset`;
/// false when it is not STUN. `on_port`: the datagram came by STUN's port, where a
/// TURN ChannelData message is accepted too.
pub fn dissect<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    net: &NetInfo,
    offset: usize,
    msg: &'a [u8],
    reported: usize,
    on_port: bool,
) -> bool {
    // A datagram quoted in an ICMP error: tshark puts its payload's protocol at the
    // top level of the tree, after ICMP's item.
    if d.in_error {
        return d.at_top_level(|d| dissect_here(d, ctx, net, offset, msg, reported, on_port));
    }
    dissect_here(d, ctx, net, offset, msg, reported, on_port)
}

fn dissect_here<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    net: &NetInfo,
    offset: usize,
    msg: &'a [u8],
    reported: usize,
    on_port: bool,
) -> bool {
    let Some(h) = Header::new(msg, reported) else {
        return on_port && channel_data(d, offset, msg, reported);
    };
    d.set_protocol("STUN");
    let class_name = name(CLASSES, h.class);
    let method_name = name(METHODS, h.method);
    let mut info = format!("{method_name} {class_name}");
    let item = d.add(STUN, offset, reported.min(msg.len()), Value::None);
    d.push_layer("stun");
    d.begin(item);
    transaction(d, ctx, net, &h);
    let ty = d.add_labeled(TYPE, offset, 2, Value::UInt(u64::from(h.msg_type)), || {
        format!(
            "Message Type: 0x{:04x} ({method_name} {class_name})",
            h.msg_type
        )
    });
    d.begin(ty);
    let raw = u64::from(h.msg_type);
    masked(
        d,
        TYPE_CLASS,
        offset,
        raw,
        &format!(" {class_name} ({})", h.class),
    );
    masked(
        d,
        TYPE_METHOD,
        offset,
        raw,
        &format!(" {method_name} (0x{:03x})", h.method),
    );
    masked(d, TYPE_METHOD_ASSIGNMENT, offset, raw, "");
    d.end();
    d.add(LENGTH, offset + 2, 2, Value::UInt(u64::from(h.length)));
    d.add(
        COOKIE,
        offset + 4,
        4,
        Value::Bytes(MAGIC_COOKIE.to_be_bytes().to_vec().into()),
    );
    d.add(ID, offset + 8, 12, Value::Bytes(h.id.to_vec().into()));
    if h.length != 0 {
        // tshark's "auto" network version: MS-TURN puts its MAGIC-COOKIE first.
        let ms_turn = bytes::be_u16(msg, HEADER_LEN) == Some(0x000f);
        let version: u8 = if ms_turn { 1 } else { 3 };
        d.add_generated(
            NETWORK_VERSION,
            offset + HEADER_LEN,
            0,
            Value::UInt(u64::from(version)),
        );
        if version == 3 && h.length % 4 != 0 {
            let e = d.add(WRONG_MSGLEN, offset + 2, 2, Value::None);
            d.expert(
                e,
                expert(
                    Severity::Error,
                    "Malformed",
                    "Packet length is not multiple of 4 bytes",
                ),
            );
        }
        let all = d.add(
            ATTRIBUTES_ITEM,
            offset + HEADER_LEN,
            usize::from(h.length),
            Value::None,
        );
        d.begin(all);
        attributes(d, offset, msg, &h, version == 3, &mut info);
        d.end();
    }
    d.end();
    d.set_info(move || info);
    true
}

/// `Request In` and the time since, on a response whose request an earlier frame
/// sent with the same transaction ID (tshark keys them per conversation; the key here
/// is the two addresses and the ID folded to 48 bits).
fn transaction(d: &mut Dissection<'_>, ctx: &PacketContext<'_>, net: &NetInfo, h: &Header) {
    let Some(analysis) = ctx.analysis else {
        return;
    };
    let fold = |i: usize| {
        let w = |j: usize| bytes::be_u16(&h.id, j).unwrap_or(0);
        w(i) ^ w(i + 6)
    };
    let key = |requester: Addr, responder: Addr| TransactionKey {
        proto: KEY_PROTO,
        requester,
        responder,
        id: fold(0),
        seq: fold(2),
        tag: fold(4),
    };
    match h.class {
        0 => {
            if let Some(response) = analysis.transaction(ctx.number, &key(net.src, net.dst), false)
            {
                d.add_generated(RESPONSE_IN, 0, 0, Value::Frame(response.frame));
            }
        }
        2 | 3 => {
            if let Some(request) = analysis.transaction(ctx.number, &key(net.dst, net.src), true) {
                d.add_generated(RESPONSE_TO, 0, 0, Value::Frame(request.frame));
                let since = ctx.record.ts_nanos.saturating_sub(request.ts_nanos);
                d.add_generated(TIME, 0, 0, Value::Time(since));
            }
        }
        _ => {}
    }
}

/// A TURN ChannelData message (RFC 8656 section 12.4): channel, length, application
/// data. tshark takes it only on the port, with channels 0x4000 to 0x7fff (and
/// MS-TURN's 0xff10), and a length matching the datagram's (padded or not).
fn channel_data<'a>(d: &mut Dissection<'a>, offset: usize, msg: &'a [u8], reported: usize) -> bool {
    let (Some(channel), Some(length)) = (bytes::be_u16(msg, 0), bytes::be_u16(msg, 2)) else {
        return false;
    };
    let whole = usize::from(length) + 4;
    if channel & 0xc000 == 0
        || (channel & 0x8000 != 0 && channel != 0xff10)
        || (reported != whole && reported != (whole + 3) & !3)
    {
        return false;
    }
    d.set_protocol("STUN");
    let item = d.add_labeled(STUN, offset, 4, Value::None, || {
        "Session Traversal Utilities for NAT, TURN ChannelData Message".to_string()
    });
    d.push_layer("stun");
    d.begin(item);
    d.add(CHANNEL, offset, 2, Value::UInt(u64::from(channel)));
    d.add(LENGTH, offset + 2, 2, Value::UInt(u64::from(length)));
    d.end();
    d.set_info(|| "ChannelData TURN Message".to_string());
    let data = bytes::clamped(msg, 4, usize::from(length));
    if !data.is_empty() {
        super::data::dissect_bytes(d, data, offset + 4);
    }
    true
}

/// The attributes after the header; `padded`: RFC 5389 and later pad each to 4 bytes.
fn attributes<'a>(
    d: &mut Dissection<'a>,
    base: usize,
    msg: &'a [u8],
    h: &Header,
    padded: bool,
    info: &mut String,
) {
    let end = HEADER_LEN + usize::from(h.length);
    let mut pos = HEADER_LEN;
    for _ in 0..MAX_ATTRIBUTES {
        if pos >= end {
            break;
        }
        let (Some(att_type), Some(att_len)) =
            (bytes::be_u16(msg, pos), bytes::be_u16(msg, pos + 2))
        else {
            super::packet::short(d, "STUN", None);
            return;
        };
        let len = usize::from(att_len);
        let padded_len = if padded { len.div_ceil(4) * 4 } else { len };
        let at = base + pos;
        let name = value::value_name(Some(ATTRIBUTES), u64::from(att_type));
        let item = match name {
            Some(name) => {
                let item = d.add_labeled(
                    ATTRIBUTE,
                    at,
                    4 + padded_len,
                    Value::UInt(u64::from(att_type)),
                    || name.to_string(),
                );
                d.begin(item);
                let t = d.add_labeled(ATT_TYPE, at, 2, Value::UInt(u64::from(att_type)), || {
                    format!("Attribute Type: {name}")
                });
                d.begin(t);
                masked(d, ATT_COMPREHENSION, at, u64::from(att_type), "");
                masked(d, ATT_ASSIGNMENT, at, u64::from(att_type), "");
                d.end();
                if pos + 4 + padded_len > end {
                    d.add_labeled(ATT_LENGTH, at + 2, 2, Value::UInt(padded_len as u64), || {
                        format!("Attribute Length: {padded_len} (bogus, goes past the end of the message)")
                    });
                    d.end();
                    return;
                }
                item
            }
            None => {
                let item = d.add_labeled(UNKNOWN_ATTRIBUTE, at, 2, Value::None, || {
                    format!("Unknown attribute 0x{att_type:04x}")
                });
                d.expert(
                    item,
                    expert(
                        Severity::Warning,
                        "Protocol",
                        &format!("Unknown attribute 0x{att_type:04x}"),
                    ),
                );
                d.begin(item);
                item
            }
        };
        d.add(ATT_LENGTH, at + 2, 2, Value::UInt(u64::from(att_len)));
        let vpos = pos + 4;
        let Some(body) = bytes::slice(msg, vpos, len) else {
            d.end();
            super::packet::short(d, "STUN", None);
            return;
        };
        let a = Attr {
            base,
            vpos,
            body,
            h,
            name: name.unwrap_or(""),
        };
        let mut label = String::new();
        if let Some(text) = attribute(d, msg, &a, att_type, &mut label) {
            info.push_str(&text);
        }
        if !label.is_empty() {
            let shown = name.map_or_else(
                || format!("Unknown attribute 0x{att_type:04x}"),
                str::to_string,
            );
            d.set_label(item, || format!("{shown}{label}"));
        }
        if padded && len < padded_len {
            let pad = padded_len - len;
            d.add(ATT_PADDING, base + vpos + len, pad, Value::UInt(pad as u64));
        }
        d.end();
        pos = vpos + padded_len;
    }
}

/// One attribute's value bytes and where they are.
struct Attr<'m, 'h> {
    base: usize,
    vpos: usize,
    body: &'m [u8],
    h: &'h Header,
    name: &'static str,
}

/// Dissects one attribute's value; what it adds to Info (with its leading space) and,
/// as `: …`, to the attribute's label.
fn attribute<'a>(
    d: &mut Dissection<'a>,
    msg: &'a [u8],
    a: &Attr<'a, '_>,
    att_type: u16,
    label: &mut String,
) -> Option<String> {
    let at = a.base + a.vpos;
    let body = a.body;
    let len = body.len();
    match att_type {
        // MAPPED-ADDRESS, ALTERNATE-SERVER, RESPONSE-ORIGIN, OTHER-ADDRESS and MS-TURN's.
        0x0001 | 0x8023 | 0x802b | 0x802c | 0x8090 | 0x000e => address(d, a, false, label),
        // The deprecated RFC 3489 addresses.
        0x0002 | 0x0004 | 0x0005 | 0x000b | 0x0011 => {
            let mut text = String::new();
            address(d, a, false, &mut text);
            if let Some(rest) = text.strip_prefix(':') {
                label.push_str(" (Deprecated):");
                label.push_str(rest);
            }
            None
        }
        0x0012 | 0x0016 | 0x0020 | 0x0027 | 0x0028 | 0x8020 | 0x8059..=0x805c => {
            address(d, a, true, label)
        }
        0x0003 if len >= 4 => {
            let v = bytes::be_u32(body, 0).unwrap_or(0);
            d.add(ATT_CHANGE_IP, at, 4, Value::Bool(v & 4 != 0));
            d.add(ATT_CHANGE_PORT, at, 4, Value::Bool(v & 2 != 0));
            None
        }
        0x0006 => {
            d.add(ATT_USERNAME, at, len, Value::Str(body.into()));
            let text = value::string_label_text(body);
            label.push_str(&format!(": {text}"));
            Some(format!(" user: {text}"))
        }
        0x0007 => {
            d.add(ATT_PASSWORD, at, len, Value::Bytes(body.into()));
            None
        }
        0x0008 if len >= 20 => {
            d.add(ATT_HMAC, at, len, Value::Bytes(body.into()));
            None
        }
        0x0009 => error_code(d, at, body, label),
        0x000a => {
            for (i, pair) in body.chunks_exact(2).enumerate() {
                let v = bytes::be_u16(pair, 0).unwrap_or(0);
                d.add(ATT_UNKNOWN, at + 2 * i, 2, Value::UInt(u64::from(v)));
            }
            None
        }
        0x0014 => {
            d.add(ATT_REALM, at, len, Value::Str(body.into()));
            let text = value::string_label_text(body);
            label.push_str(&format!(": {text}"));
            Some(format!(" realm: {text}"))
        }
        0x0015 => {
            d.add(ATT_NONCE, at, len, Value::Str(body.into()));
            label.push_str(&format!(": {}", value::string_label_text(body)));
            Some(" with nonce".to_string())
        }
        0x0019 if len >= 1 => {
            let proto = bytes::u8_at(body, 0).unwrap_or(0);
            d.add(ATT_TRANSP, at, 1, Value::UInt(u64::from(proto)));
            if len < 4 {
                return None;
            }
            let text = match value::value_name(Some(TRANSPORTS), u64::from(proto)) {
                Some(n) => n.to_string(),
                None => format!("Unknown (0x{proto:8x})"),
            };
            d.add(
                ATT_RESERVED,
                at + 1,
                3,
                Value::Bytes(bytes::clamped(body, 1, 3).into()),
            );
            label.push_str(&format!(": {text}"));
            Some(format!(" {text}"))
        }
        0x000c if len >= 4 => {
            let chan = bytes::be_u16(body, 0).unwrap_or(0);
            d.add(ATT_CHANNELNUM, at, 2, Value::UInt(u64::from(chan)));
            d.add(
                ATT_RESERVED,
                at + 2,
                2,
                Value::Bytes(bytes::clamped(body, 2, 2).into()),
            );
            label.push_str(&format!(": 0x{chan:x}"));
            Some(format!(" ChannelNumber=0x{chan:x}"))
        }
        0x000d if len >= 4 => {
            let v = bytes::be_u32(body, 0).unwrap_or(0);
            d.add(ATT_LIFETIME, at, 4, Value::UInt(u64::from(v)));
            label.push_str(&format!(" {v}"));
            Some(format!(" lifetime: {v}"))
        }
        0x0022 if len >= 8 => {
            d.add(
                ATT_TOKEN,
                at,
                8,
                Value::Bytes(bytes::clamped(body, 0, 8).into()),
            );
            None
        }
        0x0024 if len >= 4 => {
            let v = bytes::be_u32(body, 0).unwrap_or(0);
            d.add(ATT_PRIORITY, at, 4, Value::UInt(u64::from(v)));
            None
        }
        0x0026 => {
            d.add(ATT_PADDING, at, len, Value::UInt(len as u64));
            None
        }
        0x8022 => {
            d.add(ATT_SOFTWARE, at, len, Value::Str(body.into()));
            None
        }
        0x8027 if len >= 4 => {
            let v = bytes::be_u32(body, 0).unwrap_or(0);
            d.add(ATT_CACHE_TIMEOUT, at, 4, Value::UInt(u64::from(v)));
            None
        }
        0x8028 if len >= 4 => {
            fingerprint(d, msg, a);
            None
        }
        0x8029 | 0x802a if len >= 8 => {
            d.add(
                ATT_TIE_BREAKER,
                at,
                8,
                Value::Bytes(bytes::clamped(body, 0, 8).into()),
            );
            None
        }
        // Attributes whose value tshark shows raw (DATA's goes to no heuristic here).
        0x0001..=0x0030 | 0x8000..=0xffff if !value_less(att_type) && len > 0 => {
            d.add(VALUE, at, len, Value::Bytes(body.into()));
            None
        }
        _ => None,
    }
}

/// Attributes tshark decodes field by field (a short one shows nothing, not `Value`).
fn value_less(att_type: u16) -> bool {
    matches!(
        att_type,
        0x0001..=0x000e | 0x0011 | 0x0012 | 0x0014..=0x0016 | 0x0019 | 0x0020 | 0x0022 | 0x0024
            | 0x0025..=0x0028 | 0x8020 | 0x8022 | 0x8023 | 0x8027..=0x802c | 0x8059..=0x805c
            | 0x8090
    )
}

/// An address attribute, in the clear or XOR-ed with the cookie (and the
/// transaction ID for IPv6, RFC 8489 section 14.2); the text after its name.
fn address<'a>(
    d: &mut Dissection<'a>,
    a: &Attr<'a, '_>,
    xor: bool,
    label: &mut String,
) -> Option<String> {
    let at = a.base + a.vpos;
    let body = a.body;
    let len = body.len();
    if len < 1 {
        return None;
    }
    d.add(
        ATT_RESERVED,
        at,
        1,
        Value::Bytes(bytes::clamped(body, 0, 1).into()),
    );
    let family = bytes::u8_at(body, 1)?;
    d.add(ATT_FAMILY, at + 1, 1, Value::UInt(u64::from(family)));
    let raw_port = bytes::be_u16(body, 2)?;
    let port = if xor {
        d.add(
            ATT_XOR_PORT,
            at + 2,
            2,
            Value::Bytes(bytes::clamped(body, 2, 2).into()),
        );
        let clear = raw_port ^ (MAGIC_COOKIE >> 16) as u16;
        d.add_generated(ATT_PORT, at + 2, 2, Value::UInt(u64::from(clear)));
        clear
    } else {
        d.add(ATT_PORT, at + 2, 2, Value::UInt(u64::from(raw_port)));
        raw_port
    };
    if xor && len < 8 {
        return None;
    }
    let mask: Vec<u8> = MAGIC_COOKIE
        .to_be_bytes()
        .iter()
        .chain(a.h.id.iter())
        .copied()
        .collect();
    let ip = match family {
        1 if len >= 8 => {
            let raw = bytes::array::<4>(body, 4)?;
            let ip = if xor {
                d.add(ATT_XOR_IPV4, at + 4, 4, Value::Bytes(raw.to_vec().into()));
                let clear = xored(raw, &mask);
                d.add_generated(ATT_IPV4, at + 4, 4, Value::Ipv4(clear));
                clear
            } else {
                d.add(ATT_IPV4, at + 4, 4, Value::Ipv4(raw));
                raw
            };
            value::ipv4_text(&ip)
        }
        2 if len >= 20 => {
            let raw = bytes::array::<16>(body, 4)?;
            let ip = if xor {
                d.add(ATT_XOR_IPV6, at + 4, 16, Value::Bytes(raw.to_vec().into()));
                let clear = xored(raw, &mask);
                d.add_generated(ATT_IPV6, at + 4, 16, Value::Ipv6(clear));
                clear
            } else {
                d.add(ATT_IPV6, at + 4, 16, Value::Ipv6(raw));
                raw
            };
            value::ipv6_text(&ip)
        }
        _ => return None,
    };
    label.push_str(&format!(": {ip}:{port}"));
    Some(format!(" {}: {ip}:{port}", a.name))
}

/// ERROR-CODE (RFC 8489 section 14.8): class and number, then the reason phrase.
fn error_code<'a>(
    d: &mut Dissection<'a>,
    at: usize,
    body: &'a [u8],
    label: &mut String,
) -> Option<String> {
    let len = body.len();
    if len < 2 {
        return None;
    }
    d.add(
        ATT_RESERVED,
        at,
        2,
        Value::Bytes(bytes::clamped(body, 0, 2).into()),
    );
    let class = bytes::u8_at(body, 2)?;
    d.add(
        ATT_ERROR_CLASS,
        at + 2,
        1,
        Value::UInt(u64::from(class & 7)),
    );
    let number = bytes::u8_at(body, 3)?;
    d.add(ATT_ERROR, at + 3, 1, Value::UInt(u64::from(number)));
    let code = u64::from(class) * 100 + u64::from(number);
    let what = value::value_name(Some(ERROR_CODES), code).unwrap_or("*Unknown error code*");
    label.push_str(&format!(" {code} ({what})"));
    let mut info = format!(" error-code: {code} ({what})");
    if len >= 5 {
        let reason = bytes::tail(body, 4);
        d.add(
            ATT_ERROR_REASON,
            at + 4,
            reason.len(),
            Value::Str(reason.into()),
        );
        let text = value::string_label_text(reason);
        label.push_str(&format!(": {text}"));
        info.push(' ');
        info.push_str(&text);
    }
    Some(info)
}

/// FINGERPRINT (RFC 8489 section 14.7): the CRC-32 of the message up to it, XOR-ed
/// with 0x5354554e, checked.
fn fingerprint(d: &mut Dissection<'_>, msg: &[u8], a: &Attr<'_, '_>) {
    let at = a.base + a.vpos;
    let got = bytes::be_u32(a.body, 0).unwrap_or(0);
    let covered = bytes::clamped(msg, 0, a.vpos.saturating_sub(4));
    let want = crc32(covered) ^ 0x5354_554e;
    let good = got == want;
    d.add_labeled(ATT_CRC32, at, 4, Value::UInt(u64::from(got)), || {
        if good {
            format!("CRC-32: 0x{got:08x} [correct]")
        } else {
            format!("CRC-32: 0x{got:08x} [incorrect, should be 0x{want:08x}]")
        }
    });
    let status = d.add_generated(
        ATT_CRC32_STATUS,
        at,
        0,
        Value::UInt(if good { 1 } else { 0 }),
    );
    if !good {
        d.expert(
            status,
            expert(Severity::Error, "Checksum", "Bad Fingerprint"),
        );
    }
}

/// The CRC-32 of IEEE 802.3 (reflected polynomial 0xedb88320), as FINGERPRINT uses.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A bit field of the 16-bit word `raw`, its label followed by `suffix`.
fn masked(d: &mut Dissection<'_>, field: super::field::FieldId, at: usize, raw: u64, suffix: &str) {
    let def = super::registry::def(field);
    let mask = match def.kind {
        super::field::Kind::UInt { mask, .. } => mask,
        _ => 0,
    };
    let v = Value::UInt((raw & mask) >> mask.trailing_zeros());
    let label = format!("{}{suffix}", super::node::default_label(def, &v));
    d.add_labeled(field, at, 2, v, || label);
}

fn name(table: &'static [(u64, &'static str)], v: u16) -> &'static str {
    value::value_name(Some(table), u64::from(v)).unwrap_or("Unknown")
}

fn expert(severity: Severity, group: &'static str, message: &str) -> Expert {
    Expert {
        severity,
        group,
        protocol: "STUN",
        message: message.to_string().into(),
    }
}

/// `raw` XOR-ed with the leading bytes of `mask` (RFC 8489's X-ORed addresses).
fn xored<const N: usize>(raw: [u8; N], mask: &[u8]) -> [u8; N] {
    std::array::from_fn(|i| raw.get(i).copied().unwrap_or(0) ^ mask.get(i).copied().unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, values, with_frame, with_patched, with_truncated};

    /// stun_natpmp.pcapng frame 3 (rizztoy ip.pcapng frame 44): a Binding Request
    /// with only FINGERPRINT.
    #[test]
    fn binding_request() {
        with_frame("stun_natpmp.pcapng", 3, |d| {
            assert_eq!(d.columns.protocol, "STUN");
            assert_eq!(d.columns.info, "Binding Request");
            assert_eq!(field(d, "stun.type"), "0x0001");
            assert_eq!(field(d, "stun.type.class"), "0x0000");
            assert_eq!(field(d, "stun.type.method"), "0x0001");
            assert_eq!(field(d, "stun.length"), "8");
            assert_eq!(field(d, "stun.cookie"), "2112a442");
            assert_eq!(field(d, "stun.id"), "f59c025f41ff8044f533fd0d");
            assert_eq!(field(d, "stun.network_version"), "3");
            assert_eq!(field(d, "stun.attribute"), "0x8028");
            assert_eq!(field(d, "stun.att.crc32"), "0x986361f8");
            assert_eq!(field(d, "stun.att.crc32.status"), "1");
        });
    }

    /// Frame 7 (ip.pcapng frame 48): the Binding Success Response and its
    /// XOR-MAPPED-ADDRESS in the clear.
    #[test]
    fn binding_success_response() {
        with_frame("stun_natpmp.pcapng", 7, |d| {
            assert_eq!(
                d.columns.info,
                "Binding Success Response XOR-MAPPED-ADDRESS: 152.58.35.13:50743"
            );
            assert_eq!(field(d, "stun.type.class"), "0x0010");
            assert_eq!(field(d, "stun.att.family"), "0x01");
            assert_eq!(field(d, "stun.att.port-xord"), "e725");
            assert_eq!(field(d, "stun.att.port"), "50743");
            assert_eq!(field(d, "stun.att.ipv4-xord"), "b928874f");
            assert_eq!(field(d, "stun.att.ipv4"), "152.58.35.13");
        });
    }

    /// A bad FINGERPRINT is shown as tshark shows it, and an attribute length past the
    /// message stops the walk.
    #[test]
    fn bad_fingerprint_and_impossible_length() {
        with_patched(
            "stun_natpmp.pcapng",
            3,
            |b| b[69] ^= 1,
            |d| {
                assert_eq!(field(d, "stun.att.crc32.status"), "0");
                assert!(d.has(super::CRC32_BAD) || d.columns.info == "Binding Request");
            },
        );
        // FINGERPRINT's length 0x0104: past the 8 bytes of attributes.
        with_patched(
            "stun_natpmp.pcapng",
            3,
            |b| b[64] = 1,
            |d| {
                assert_eq!(d.columns.protocol, "STUN");
                assert_eq!(values(d, "stun.att.length"), vec!["260"]);
                assert!(values(d, "stun.att.crc32").is_empty());
            },
        );
        // A message length that disagrees with the datagram's: not STUN.
        with_patched(
            "stun_natpmp.pcapng",
            3,
            |b| b[45] = 12,
            |d| assert_eq!(d.columns.protocol, "UDP"),
        );
    }

    /// Cut inside the attributes: the header stays, nothing is read past the end.
    #[test]
    fn truncated() {
        with_truncated("stun_natpmp.pcapng", 7, 66, |d| {
            assert_eq!(d.columns.protocol, "STUN");
            assert_eq!(field(d, "stun.id"), "f59c025f41ff8044f533fd0d");
            assert!(values(d, "stun.att.ipv4").is_empty());
        });
    }

    #[test]
    fn crc32_is_ieee() {
        assert_eq!(super::crc32(b"123456789"), 0xcbf4_3926);
    }
}
