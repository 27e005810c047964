//! What PPP carries (RFC 1661): its control protocols (LCP with its options, IPCP
//! RFC 1332/1877, IPv6CP RFC 5072, CCP RFC 1962 by name), PAP (RFC 1334) and CHAP
//! (RFC 1994), and IPv4/IPv6/MPLS, for the PPP link type and for PPPoE sessions.

use super::context::PacketContext;
use super::field::Base;
use super::field::kinds::*;
use super::format_text::format_text;
use super::node::{Expert, Severity};
use super::tree::Dissection;
use super::value::Value;
use super::{ipv4, ipv6};
use crate::bytes;
use std::borrow::Cow;

/// PPP protocol numbers tshark names (the `ppp.protocol` field's names).
#[rustfmt::skip]
pub const PROTOCOLS: &[(u64, &str)] = &[
    (0x0021, "Internet Protocol version 4"), (0x0057, "Internet Protocol version 6"),
    (0x0281, "MPLS Unicast"), (0xc021, "Link Control Protocol"),
    (0x8021, "Internet Protocol Control Protocol"), (0x8057, "IPv6 Control Protocol"),
    (0x80fd, "Compression Control Protocol"), (0xc023, "Password Authentication Protocol"),
    (0xc223, "Challenge Handshake Authentication Protocol"), (0x003d, "Multi-Link"),
];
/// RFC 1661 section 5's codes (LCP's; the NCPs use 1 to 7).
#[rustfmt::skip]
const CODES: &[(u64, &str)] = &[
    (0, "Vendor Specific"), (1, "Configuration Request"), (2, "Configuration Ack"),
    (3, "Configuration Nak"), (4, "Configuration Reject"), (5, "Termination Request"),
    (6, "Termination Ack"), (7, "Code Reject"), (8, "Protocol Reject"), (9, "Echo Request"),
    (10, "Echo Reply"), (11, "Discard Request"), (12, "Identification"), (13, "Time Remaining"),
];
#[rustfmt::skip]
const LCP_OPTIONS: &[(u64, &str)] = &[
    (0, "Vendor Specific"), (1, "Maximum Receive Unit"), (2, "Async Control Character Map"),
    (3, "Authentication Protocol"), (4, "Quality Protocol"), (5, "Magic Number"),
    (7, "Protocol Field Compression"), (8, "Address and Control Field Compression"),
    (9, "FCS-Alternatives"), (10, "Self Describing Pad"), (11, "Numbered Mode"),
    (13, "Callback"), (17, "Multilink MRRU"), (18, "Multilink Short Sequence Number Header"),
    (19, "Multilink Endpoint Discriminator"), (23, "Link Discriminator for BACP"),
];
#[rustfmt::skip]
const IPCP_OPTIONS: &[(u64, &str)] = &[
    (1, "IP Addresses"), (2, "IP Compression Protocol"), (3, "IP Address"),
    (4, "Mobile Node's Home IP Address"), (129, "Primary DNS Server IP Address"),
    (130, "Primary NBNS Server IP Address"), (131, "Secondary DNS Server IP Address"),
    (132, "Secondary NBNS Server IP Address"),
];
const IPV6CP_OPTIONS: &[(u64, &str)] = &[
    (1, "Interface Identifier"),
    (2, "IPv6 Compression Protocol"),
];
#[rustfmt::skip]
const CHAP_ALGORITHMS: &[(u64, &str)] = &[
    (5, "CHAP with MD5"), (128, "MS-CHAP"), (129, "MS-CHAP-2"),
];
#[rustfmt::skip]
const CHAP_CODES: &[(u64, &str)] = &[
    (1, "Challenge"), (2, "Response"), (3, "Success"), (4, "Failure"),
];
#[rustfmt::skip]
const PAP_CODES: &[(u64, &str)] = &[
    (1, "Authenticate-Request"), (2, "Authenticate-Ack"), (3, "Authenticate-Nak"),
];

crate::define_fields! { after super::syslog::END;
    CODE = "ppp.code", "Code", dec_named(8, CODES);
    IDENTIFIER = "ppp.identifier", "Identifier", uint(8, Base::DecHex, 0, None);
    LENGTH = "ppp.length", "Length", dec(16);
    OUI = "ppp.oui", "OUI", hex(24);
    KIND = "ppp.kind", "Kind", uint(8, Base::DecHex, 0, None);
    MAGIC = "ppp.magic_number", "Magic Number", hex(32);
    DATA = "ppp.data", "Data", BYTES;
    LCP = "lcp", "PPP Link Control Protocol", PROTO;
    LCP_MAGIC = "lcp.magic_number", "Magic Number", hex(32);
    LCP_DATA = "lcp.data", "Data", BYTES;
    LCP_MESSAGE = "lcp.message", "Message", STR;
    LCP_SECS = "lcp.secs_remaining", "Seconds Remaining", dec(32);
    LCP_REJ_PROTO = "lcp.rej_proto", "Rejected Protocol", hex_named(16, PROTOCOLS);
    LCP_OPT_TYPE = "lcp.opt.type", "Type", dec_named(8, LCP_OPTIONS);
    LCP_OPT_LENGTH = "lcp.opt.length", "Length", dec(8);
    LCP_OPT_DATA = "lcp.opt.data", "Data", BYTES;
    LCP_OPT_MRU = "lcp.opt.mru", "Maximum Receive Unit", dec(16);
    LCP_OPT_ASYNCMAP = "lcp.opt.asyncmap", "Async Control Character Map", hex(32);
    LCP_ACCM_NUL = "lcp.opt.asyncmap.nul", "NUL", flag_tf(32, 1 << 0);
    LCP_ACCM_SOH = "lcp.opt.asyncmap.soh", "SOH", flag_tf(32, 1 << 1);
    LCP_ACCM_STX = "lcp.opt.asyncmap.stx", "STX", flag_tf(32, 1 << 2);
    LCP_ACCM_ETX = "lcp.opt.asyncmap.etx", "ETX", flag_tf(32, 1 << 3);
    LCP_ACCM_EOT = "lcp.opt.asyncmap.eot", "EOT", flag_tf(32, 1 << 4);
    LCP_ACCM_ENQ = "lcp.opt.asyncmap.enq", "ENQ", flag_tf(32, 1 << 5);
    LCP_ACCM_ACK = "lcp.opt.asyncmap.ack", "ACK", flag_tf(32, 1 << 6);
    LCP_ACCM_BEL = "lcp.opt.asyncmap.bel", "BEL", flag_tf(32, 1 << 7);
    LCP_ACCM_BS = "lcp.opt.asyncmap.bs", "BS", flag_tf(32, 1 << 8);
    LCP_ACCM_HT = "lcp.opt.asyncmap.ht", "HT", flag_tf(32, 1 << 9);
    LCP_ACCM_LF = "lcp.opt.asyncmap.lf", "LF", flag_tf(32, 1 << 10);
    LCP_ACCM_VT = "lcp.opt.asyncmap.vt", "VT", flag_tf(32, 1 << 11);
    LCP_ACCM_FF = "lcp.opt.asyncmap.ff", "FF", flag_tf(32, 1 << 12);
    LCP_ACCM_CR = "lcp.opt.asyncmap.cr", "CR", flag_tf(32, 1 << 13);
    LCP_ACCM_SO = "lcp.opt.asyncmap.so", "SO", flag_tf(32, 1 << 14);
    LCP_ACCM_SI = "lcp.opt.asyncmap.si", "SI", flag_tf(32, 1 << 15);
    LCP_ACCM_DLE = "lcp.opt.asyncmap.dle", "DLE", flag_tf(32, 1 << 16);
    LCP_ACCM_DC1 = "lcp.opt.asyncmap.dc1", "DC1 (XON)", flag_tf(32, 1 << 17);
    LCP_ACCM_DC2 = "lcp.opt.asyncmap.dc2", "DC2", flag_tf(32, 1 << 18);
    LCP_ACCM_DC3 = "lcp.opt.asyncmap.dc3", "DC3 (XOFF)", flag_tf(32, 1 << 19);
    LCP_ACCM_DC4 = "lcp.opt.asyncmap.dc4", "DC4", flag_tf(32, 1 << 20);
    LCP_ACCM_NAK = "lcp.opt.asyncmap.nak", "NAK", flag_tf(32, 1 << 21);
    LCP_ACCM_SYN = "lcp.opt.asyncmap.syn", "SYN", flag_tf(32, 1 << 22);
    LCP_ACCM_ETB = "lcp.opt.asyncmap.etb", "ETB", flag_tf(32, 1 << 23);
    LCP_ACCM_CAN = "lcp.opt.asyncmap.can", "CAN", flag_tf(32, 1 << 24);
    LCP_ACCM_EM = "lcp.opt.asyncmap.em", "EM", flag_tf(32, 1 << 25);
    LCP_ACCM_SUB = "lcp.opt.asyncmap.sub", "SUB", flag_tf(32, 1 << 26);
    LCP_ACCM_ESC = "lcp.opt.asyncmap.esc", "ESC", flag_tf(32, 1 << 27);
    LCP_ACCM_FS = "lcp.opt.asyncmap.fs", "FS", flag_tf(32, 1 << 28);
    LCP_ACCM_GS = "lcp.opt.asyncmap.gs", "GS", flag_tf(32, 1 << 29);
    LCP_ACCM_RS = "lcp.opt.asyncmap.rs", "RS", flag_tf(32, 1 << 30);
    LCP_ACCM_US = "lcp.opt.asyncmap.us", "US", flag_tf(32, 1 << 31);
    LCP_OPT_AUTH = "lcp.opt.auth_protocol", "Authentication Protocol", hex_named(16, PROTOCOLS);
    LCP_OPT_ALGORITHM = "lcp.opt.algorithm", "Algorithm", dec_named(8, CHAP_ALGORITHMS);
    LCP_OPT_MAGIC = "lcp.opt.magic_number", "Magic Number", hex(32);
    LCP_OPT_MRRU = "lcp.opt.mrru", "MRRU", dec(16);
    IPCP = "ipcp", "PPP IP Control Protocol", PROTO;
    IPCP_OPT_TYPE = "ipcp.opt.type", "Type", dec_named(8, IPCP_OPTIONS);
    IPCP_OPT_LENGTH = "ipcp.opt.length", "Length", dec(8);
    IPCP_IP = "ipcp.opt.ip_address", "IP Address", IPV4;
    IPCP_PRI_DNS = "ipcp.opt.pri_dns_address", "Primary DNS Address", IPV4;
    IPCP_PRI_NBNS = "ipcp.opt.pri_nbns_address", "Primary NBNS Address", IPV4;
    IPCP_SEC_DNS = "ipcp.opt.sec_dns_address", "Secondary DNS Address", IPV4;
    IPCP_SEC_NBNS = "ipcp.opt.sec_nbns_address", "Secondary NBNS Address", IPV4;
    IPCP_COMPRESS = "ipcp.opt.compress_proto", "IP Compression Protocol", hex(16);
    IPV6CP = "ipv6cp", "PPP IPv6 Control Protocol", PROTO;
    IPV6CP_OPT_TYPE = "ipv6cp.opt.type", "Type", dec_named(8, IPV6CP_OPTIONS);
    IPV6CP_OPT_LENGTH = "ipv6cp.opt.length", "Length", dec(8);
    IPV6CP_IFID = "ipv6cp.interface_identifier", "Interface Identifier", Kind::Bytes { sep: Some(':') };
    CCP = "ccp", "PPP Compression Control Protocol", PROTO;
    PAP = "pap", "PPP Password Authentication Protocol", PROTO;
    PAP_CODE = "pap.code", "Code", dec_named(8, PAP_CODES);
    PAP_IDENTIFIER = "pap.identifier", "Identifier", dec(8);
    PAP_LENGTH = "pap.length", "Length", dec(16);
    PAP_DATA = "pap.data", "Data", NONE;
    PAP_PEER_ID_LENGTH = "pap.peer_id.length", "Peer-ID-Length", dec(8);
    PAP_PEER_ID = "pap.peer_id", "Peer-ID", STR;
    PAP_PASSWORD_LENGTH = "pap.password.length", "Password-Length", dec(8);
    PAP_PASSWORD = "pap.password", "Password", STR;
    PAP_MESSAGE_LENGTH = "pap.message.length", "Message-Length", dec(8);
    PAP_MESSAGE = "pap.message", "Message", STR;
    PAP_STUFF = "pap.stuff", "Stuff", BYTES;
    CHAP = "chap", "PPP Challenge Handshake Authentication Protocol", PROTO;
    CHAP_CODE = "chap.code", "Code", dec_named(8, CHAP_CODES);
    CHAP_IDENTIFIER = "chap.identifier", "Identifier", dec(8);
    CHAP_LENGTH = "chap.length", "Length", dec(16);
    CHAP_DATA = "chap.data", "Data", NONE;
    CHAP_VALUE_SIZE = "chap.value_size", "Value Size", dec(8);
    CHAP_VALUE = "chap.value", "Value", BYTES;
    CHAP_NAME = "chap.name", "Name", STR;
    CHAP_MESSAGE = "chap.message", "Message", STR;
    CHAP_STUFF = "chap.stuff", "Stuff", BYTES;
    MP = "mp", "PPP Multilink Protocol", PROTO;
    MP_FIRST = "mp.first", "First fragment", flag_tf(8, 0x80);
    MP_LAST = "mp.last", "Last fragment", flag_tf(8, 0x40);
    MP_SEQ = "mp.seq", "Sequence number", dec(24);
}

use super::field::Kind;

/// The ACCM's flags, bit 0 (NUL) first.
#[rustfmt::skip]
const ACCM_BITS: [super::FieldId; 32] = [
    LCP_ACCM_NUL,
    LCP_ACCM_SOH,
    LCP_ACCM_STX,
    LCP_ACCM_ETX,
    LCP_ACCM_EOT,
    LCP_ACCM_ENQ,
    LCP_ACCM_ACK,
    LCP_ACCM_BEL,
    LCP_ACCM_BS,
    LCP_ACCM_HT,
    LCP_ACCM_LF,
    LCP_ACCM_VT,
    LCP_ACCM_FF,
    LCP_ACCM_CR,
    LCP_ACCM_SO,
    LCP_ACCM_SI,
    LCP_ACCM_DLE,
    LCP_ACCM_DC1,
    LCP_ACCM_DC2,
    LCP_ACCM_DC3,
    LCP_ACCM_DC4,
    LCP_ACCM_NAK,
    LCP_ACCM_SYN,
    LCP_ACCM_ETB,
    LCP_ACCM_CAN,
    LCP_ACCM_EM,
    LCP_ACCM_SUB,
    LCP_ACCM_ESC,
    LCP_ACCM_FS,
    LCP_ACCM_GS,
    LCP_ACCM_RS,
    LCP_ACCM_US,
];

/// Options read at most in one packet.
const MAX_OPTIONS: usize = 64;

/// A control protocol with RFC 1661's packet format.
#[derive(Clone, Copy, PartialEq)]
enum Cp {
    Lcp,
    Ipcp,
    Ipv6cp,
    Ccp,
}

impl Cp {
    fn item(self) -> super::FieldId {
        match self {
            Cp::Lcp => LCP,
            Cp::Ipcp => IPCP,
            Cp::Ipv6cp => IPV6CP,
            Cp::Ccp => CCP,
        }
    }
    fn layer(self) -> &'static str {
        match self {
            Cp::Lcp => "lcp",
            Cp::Ipcp => "ipcp",
            Cp::Ipv6cp => "ipv6cp",
            Cp::Ccp => "ccp",
        }
    }
    fn column(self) -> &'static str {
        match self {
            Cp::Lcp => "PPP LCP",
            Cp::Ipcp => "PPP IPCP",
            Cp::Ipv6cp => "PPP IPV6CP",
            Cp::Ccp => "PPP CCP",
        }
    }
    /// The codes it knows: LCP all of RFC 1661's, the others 1 to 7.
    fn knows(self, code: u8) -> bool {
        match self {
            Cp::Lcp => code <= 13,
            _ => (1..=7).contains(&code),
        }
    }
}

/// The PPP protocol field at `at` (one byte when compressed: its low bit set) and
/// its length.
pub fn protocol_field(data: &[u8], at: usize) -> Option<(u16, usize)> {
    match bytes::u8_at(data, at)? {
        b if b & 1 == 1 => Some((u16::from(b), 1)),
        _ => bytes::be_u16(data, at).map(|p| (p, 2)),
    }
}

/// Hands what PPP protocol `proto` carries at `at` to its dissector; returns where
/// an IP datagram ends, as the IP layers do.
pub fn payload<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    data: &'a [u8],
    at: usize,
    proto: u16,
) -> Option<usize> {
    match proto {
        0x0021 => return ipv4::dissect(d, ctx, data, at),
        0x0057 => return ipv6::dissect(d, ctx, data, at),
        0x0281 => return super::links::mpls(d, ctx, data, at),
        0xc021 => control(d, ctx, data, at, Cp::Lcp),
        0x8021 => control(d, ctx, data, at, Cp::Ipcp),
        0x8057 => control(d, ctx, data, at, Cp::Ipv6cp),
        0x80fd => control(d, ctx, data, at, Cp::Ccp),
        0xc023 => pap(d, ctx, data, at),
        0xc223 => chap(d, ctx, data, at),
        0x003d => multilink(d, ctx, data, at),
        _ => {
            d.set_protocol(format!("0x{proto:04x}"));
            d.set_info(|| format!("PPP Unknown (0x{proto:04x})"));
            super::data::dissect(d, data, at);
        }
    }
    Some(data.len())
}

/// The code, identifier and length every control and authentication packet starts
/// with; `None` (marked short or malformed) when the four bytes are not there.
fn header(
    d: &mut Dissection<'_>,
    ctx: &PacketContext<'_>,
    data: &[u8],
    at: usize,
    proto: &'static str,
    named_early: bool,
) -> Option<(u8, u8, u16)> {
    match (
        bytes::u8_at(data, at),
        bytes::u8_at(data, at + 1),
        bytes::be_u16(data, at + 2),
    ) {
        (Some(code), Some(id), Some(len)) => Some((code, id, len)),
        _ => {
            // The control protocols throw before they name themselves in the column;
            // PAP and CHAP name themselves and their code first.
            let column = d.columns.protocol.clone();
            super::truncated(d, ctx, data, at, proto);
            if !named_early {
                d.set_protocol(column);
            }
            None
        }
    }
}

/// tshark's exception for a read past the packet: short when the capture cut it,
/// else malformed.
fn thrown(d: &mut Dissection<'_>, ctx: &PacketContext<'_>, proto: &'static str, end: usize) {
    if ctx.record.cap_len < ctx.record.orig_len {
        super::packet::short(d, proto, None);
    } else {
        super::packet::malformed_pdu(d, proto, end, 0);
    }
}

/// The body a header's length gives (from `at` + 4), cut to what is there; whether
/// the length runs past the bytes.
fn body(data: &[u8], at: usize, len: u16) -> (usize, usize, bool) {
    let start = at + 4;
    let end = at.saturating_add(usize::from(len));
    let have = data.len();
    if end > have {
        (start, have.max(start), true)
    } else {
        (start, end.max(start), false)
    }
}

/// A control protocol packet (RFC 1661 section 5).
fn control<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, data: &'a [u8], at: usize, cp: Cp) {
    let Some((code, id, len)) = header(d, ctx, data, at, cp.column(), false) else {
        return;
    };
    let name = if cp.knows(code) {
        super::value::value_name(Some(CODES), u64::from(code)).unwrap_or("Unknown")
    } else {
        "Unknown"
    };
    d.open_protocol(cp.item(), (at, data.len() - at), cp.layer(), cp.column());
    d.set_info(|| name.to_string());
    let item = d.add(CODE, at, 1, Value::UInt(u64::from(code)));
    if !cp.knows(code) {
        d.set_label(item, || format!("Code: Unknown ({code})"));
    }
    d.add(IDENTIFIER, at + 1, 1, Value::UInt(u64::from(id)));
    d.add(LENGTH, at + 2, 2, Value::UInt(u64::from(len)));
    if len < 4 {
        d.end();
        return;
    }
    let (start, end, past) = body(data, at, len);
    // The table's first field stands for all of them (every control protocol here).
    let fields = d.keeps_fields_of(CODE);
    let mut malformed = past;
    // A Configure packet's options are read from a buffer of the declared length:
    // a cut one throws before any option.
    if fields && !(past && (1..=4).contains(&code)) {
        let body = data.get(start..end).unwrap_or_default();
        malformed |= control_body(d, cp, code, start, body);
    } else if cp == Cp::Lcp && code == 0 && end.saturating_sub(start) < 8 {
        malformed = true;
    }
    d.end();
    if malformed {
        thrown(d, ctx, cp.column(), end);
    }
}

/// The body of a control packet after its header; true when it throws (too short
/// for what its code says it holds).
fn control_body<'a>(d: &mut Dissection<'a>, cp: Cp, code: u8, at: usize, body: &'a [u8]) -> bool {
    // What a code leaves undecoded is `ppp.data`; LCP's echo and discard data
    // after the magic number are `lcp.data`.
    let data_item = |d: &mut Dissection<'a>, field, from: usize| {
        if let Some(rest) = body.get(from..)
            && !rest.is_empty()
        {
            d.add(field, at + from, rest.len(), Value::Bytes(rest.into()));
        }
    };
    match code {
        1..=4 => options(d, cp, at, body),
        7 => {
            if !body.is_empty() {
                let hex = super::value::hex_text(body, None);
                let len = body.len();
                d.add_labeled(DATA, at, len, Value::Bytes(body.into()), || {
                    format!("Rejected Packet ({len} bytes): {hex}")
                });
            }
        }
        8 if cp == Cp::Lcp => {
            let Some(proto) = bytes::be_u16(body, 0) else {
                return true;
            };
            d.add(LCP_REJ_PROTO, at, 2, Value::UInt(u64::from(proto)));
            // TODO(lab5): the rejected packet dissected as its protocol, as tshark does.
            if body.len() > 2 {
                let len = body.len() - 2;
                d.text(at + 2, len, || format!("Rejected Packet ({len} bytes)"));
            }
        }
        0 | 9..=13 if cp == Cp::Lcp => {
            let Some(magic) = bytes::be_u32(body, 0) else {
                return !body.is_empty() || code == 0;
            };
            let magic_field = if code == 0 { MAGIC } else { LCP_MAGIC };
            d.add(magic_field, at, 4, Value::UInt(u64::from(magic)));
            match code {
                0 => {
                    let (Some(oui), Some(kind)) = (bytes::be_u24(body, 4), bytes::u8_at(body, 7))
                    else {
                        return true;
                    };
                    d.add(OUI, at + 4, 3, Value::UInt(u64::from(oui)));
                    d.add(KIND, at + 7, 1, Value::UInt(u64::from(kind)));
                    data_item(d, DATA, 8);
                }
                12 => message(d, at + 4, body.get(4..).unwrap_or_default()),
                13 => {
                    let Some(secs) = bytes::be_u32(body, 4) else {
                        return body.len() > 4;
                    };
                    d.add_labeled(LCP_SECS, at + 4, 4, Value::UInt(u64::from(secs)), || {
                        format!("Seconds Remaining: {secs} seconds")
                    });
                    message(d, at + 8, body.get(8..).unwrap_or_default());
                }
                _ => data_item(d, LCP_DATA, 4),
            }
        }
        _ => data_item(d, DATA, 0),
    }
    false
}

/// LCP's Identification and Time-Remaining message, when there is one.
fn message<'a>(d: &mut Dissection<'a>, at: usize, text: &'a [u8]) {
    if !text.is_empty() {
        d.add(LCP_MESSAGE, at, text.len(), Value::Str(text.into()));
    }
}

/// The (type, length) fields and the option names of `cp`.
fn option_fields(
    cp: Cp,
) -> (
    super::FieldId,
    super::FieldId,
    &'static [(u64, &'static str)],
) {
    match cp {
        Cp::Lcp => (LCP_OPT_TYPE, LCP_OPT_LENGTH, LCP_OPTIONS),
        Cp::Ipcp => (IPCP_OPT_TYPE, IPCP_OPT_LENGTH, IPCP_OPTIONS),
        Cp::Ipv6cp => (IPV6CP_OPT_TYPE, IPV6CP_OPT_LENGTH, IPV6CP_OPTIONS),
        Cp::Ccp => (LCP_OPT_TYPE, LCP_OPT_LENGTH, &[]),
    }
}

/// The options of a Configure packet (RFC 1661 section 6): a text item naming them,
/// then each with its type, length and value.
fn options<'a>(d: &mut Dissection<'a>, cp: Cp, at: usize, body: &'a [u8]) {
    if body.is_empty() {
        return;
    }
    let (type_field, len_field, names) = option_fields(cp);
    let list = d.text(at, body.len(), String::new);
    d.begin(list);
    let mut seen: Vec<&'static str> = Vec::new();
    let mut off = 0usize;
    for _ in 0..MAX_OPTIONS {
        let (Some(kind), Some(len)) = (bytes::u8_at(body, off), bytes::u8_at(body, off + 1)) else {
            break;
        };
        let name = super::value::value_name(Some(names), u64::from(kind));
        let len = usize::from(len);
        let left = body.len() - off;
        if name.is_some() && (len < 2 || len > left) {
            let name = name.unwrap_or_default();
            let message = if len < 2 {
                format!("{name} (with too-short option length = {len} bytes)")
            } else {
                format!("{name} (option length = {len} bytes says option goes past end of options)")
            };
            let item = d.text(at + off, left, || message.clone());
            d.expert(
                item,
                Expert {
                    severity: Severity::Warning,
                    group: "Protocol",
                    protocol: cp.column(),
                    message: Cow::Owned(message),
                },
            );
            seen.clear();
            break;
        }
        let len = len.clamp(2, left);
        let value = body.get(off + 2..off + len).unwrap_or_default();
        let start = at + off;
        match name {
            None => {
                d.text(start, len, || {
                    format!("Unknown (0x{kind:02x}) ({len} bytes)")
                });
            }
            Some(name) => {
                seen.push(name);
                let item = d.text(start, len, || name.to_string());
                d.begin(item);
                d.add(type_field, start, 1, Value::UInt(u64::from(kind)));
                d.add(len_field, start + 1, 1, Value::UInt(len as u64));
                if let Some(label) = option_value(d, cp, kind, start + 2, value) {
                    d.set_label(item, || label);
                }
                d.end();
            }
        }
        off += len;
        if off >= body.len() {
            break;
        }
    }
    d.end();
    let names = seen.iter().map(|n| format!(", {n}")).collect::<String>();
    d.set_label(list, || format!("Options: ({} bytes){names}", body.len()));
}

/// An option's value fields; the option item's label when tshark shows the value in
/// it.
fn option_value<'a>(
    d: &mut Dissection<'a>,
    cp: Cp,
    kind: u8,
    at: usize,
    value: &'a [u8],
) -> Option<String> {
    let u16v = bytes::be_u16(value, 0);
    let u32v = bytes::be_u32(value, 0);
    let ipv4 = bytes::array::<4>(value, 0);
    match (cp, kind) {
        (Cp::Lcp, 1) => {
            let mru = u16v?;
            d.add(LCP_OPT_MRU, at, 2, Value::UInt(u64::from(mru)));
            Some(format!("Maximum Receive Unit: {mru}"))
        }
        (Cp::Lcp, 2) => {
            let map = u32v?;
            let none = if map == 0 { " (None)" } else { "" };
            let item = d.add_labeled(LCP_OPT_ASYNCMAP, at, 4, Value::UInt(u64::from(map)), || {
                format!("Async Control Character Map: 0x{map:08x}{none}")
            });
            // RFC 1662 section 7.1: bit n stands for the control character n; tshark
            // lists them from US (bit 31) down.
            d.begin(item);
            for (bit, field) in ACCM_BITS.iter().enumerate().rev() {
                d.add(*field, at, 4, Value::Bool(map & (1u32 << bit) != 0));
            }
            d.end();
            Some(format!("Async Control Character Map: 0x{map:08x}{none}"))
        }
        (Cp::Lcp, 3) => {
            let proto = u16v?;
            d.add(LCP_OPT_AUTH, at, 2, Value::UInt(u64::from(proto)));
            if proto == 0xc223
                && let Some(alg) = bytes::u8_at(value, 2)
            {
                d.add(LCP_OPT_ALGORITHM, at + 2, 1, Value::UInt(u64::from(alg)));
            }
            let name =
                super::value::value_name(Some(PROTOCOLS), u64::from(proto)).unwrap_or("Unknown");
            Some(format!("Authentication Protocol: {name} (0x{proto:04x})"))
        }
        (Cp::Lcp, 5) => {
            let magic = u32v?;
            d.add(LCP_OPT_MAGIC, at, 4, Value::UInt(u64::from(magic)));
            Some(format!("Magic Number: 0x{magic:08x}"))
        }
        (Cp::Lcp, 17) => {
            let mrru = u16v?;
            d.add(LCP_OPT_MRRU, at, 2, Value::UInt(u64::from(mrru)));
            Some(format!("Multilink MRRU: {mrru}"))
        }
        (Cp::Ipcp, 2) => {
            d.add(IPCP_COMPRESS, at, 2, Value::UInt(u64::from(u16v?)));
            None
        }
        (Cp::Ipcp, 3 | 129..=132) => {
            let field = match kind {
                3 => IPCP_IP,
                129 => IPCP_PRI_DNS,
                130 => IPCP_PRI_NBNS,
                131 => IPCP_SEC_DNS,
                _ => IPCP_SEC_NBNS,
            };
            d.add(field, at, 4, Value::Ipv4(ipv4?));
            None
        }
        (Cp::Ipv6cp, 1) => {
            let id = bytes::slice(value, 0, 8)?;
            d.add(IPV6CP_IFID, at, 8, Value::Bytes(id.into()));
            None
        }
        _ => {
            if !value.is_empty() && cp == Cp::Lcp {
                d.add(LCP_OPT_DATA, at, value.len(), Value::Bytes(value.into()));
            }
            None
        }
    }
}

/// The Multilink header (RFC 1990 section 3, long sequence numbers): first and last
/// fragment bits and a 24-bit sequence number.
// TODO(lab5): short sequence numbers and reassembly of the fragments, as tshark does.
fn multilink<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, data: &'a [u8], at: usize) {
    d.open_protocol(MP, (at, data.len().saturating_sub(at)), "mp", "PPP MP");
    d.set_info(|| "PPP Multilink".to_string());
    let (Some(flags), Some(seq)) = (bytes::u8_at(data, at), bytes::be_u24(data, at + 1)) else {
        d.end();
        super::truncated(d, ctx, data, at, "PPP MP");
        return;
    };
    d.add(MP_FIRST, at, 1, Value::Bool(flags & 0x80 != 0));
    d.add(MP_LAST, at, 1, Value::Bool(flags & 0x40 != 0));
    d.add(MP_SEQ, at + 1, 3, Value::UInt(u64::from(seq & 0x00ff_ffff)));
    d.end();
    super::data::dissect(d, data, at + 4);
}

/// A length-prefixed string of PAP at `off` of `body`: (its text, where it ends).
fn counted(body: &[u8], off: usize) -> Option<(&[u8], usize)> {
    let len = usize::from(bytes::u8_at(body, off)?);
    let text = bytes::slice(body, off + 1, len)?;
    Some((text, off + 1 + len))
}

/// PAP (RFC 1334 section 2.2).
fn pap<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, data: &'a [u8], at: usize) {
    let code = bytes::u8_at(data, at).unwrap_or_default();
    let name = super::value::value_name(Some(PAP_CODES), u64::from(code)).unwrap_or("Unknown");
    if data.len() > at {
        d.set_protocol("PPP PAP");
        d.set_info(|| name.to_string());
    }
    let Some((code, id, len)) = header(d, ctx, data, at, "PPP PAP", data.len() > at) else {
        return;
    };
    d.open_protocol(PAP, (at, data.len() - at), "pap", "PPP PAP");
    d.add(PAP_CODE, at, 1, Value::UInt(u64::from(code)));
    d.add(PAP_IDENTIFIER, at + 1, 1, Value::UInt(u64::from(id)));
    d.add(PAP_LENGTH, at + 2, 2, Value::UInt(u64::from(len)));
    let (start, end, past) = body(data, at, len);
    let body = data.get(start..end).unwrap_or_default();
    let mut malformed = past;
    match code {
        1 => {
            let peer = counted(body, 0);
            let password = peer.and_then(|(_, next)| counted(body, next));
            if let (Some((peer, _)), Some((password, _))) = (peer, password) {
                let (p, w) = (format_text(peer), format_text(password));
                d.set_info(|| format!("{name} (Peer-ID='{p}', Password='{w}')"));
            } else {
                d.set_info(|| name.to_string());
                malformed = true;
            }
            let data_item = d.add(PAP_DATA, start, body.len(), Value::None);
            d.begin(data_item);
            if let Some((peer, next)) = peer {
                d.add(PAP_PEER_ID_LENGTH, start, 1, Value::UInt(peer.len() as u64));
                d.add(PAP_PEER_ID, start + 1, peer.len(), Value::Str(peer.into()));
                if let Some((password, _)) = password {
                    d.add(
                        PAP_PASSWORD_LENGTH,
                        start + next,
                        1,
                        Value::UInt(password.len() as u64),
                    );
                    d.add(
                        PAP_PASSWORD,
                        start + next + 1,
                        password.len(),
                        Value::Str(password.into()),
                    );
                }
            }
            d.end();
        }
        2 | 3 => match counted(body, 0) {
            Some((text, _)) => {
                let m = format_text(text);
                d.set_info(|| format!("{name} (Message='{m}')"));
                let data_item = d.add(PAP_DATA, start, body.len(), Value::None);
                d.begin(data_item);
                d.add(PAP_MESSAGE_LENGTH, start, 1, Value::UInt(text.len() as u64));
                d.add(PAP_MESSAGE, start + 1, text.len(), Value::Str(text.into()));
                d.end();
            }
            None => {
                d.set_info(|| name.to_string());
                malformed = true;
            }
        },
        _ => {
            d.set_info(|| name.to_string());
            if !body.is_empty() {
                d.add(PAP_STUFF, start, body.len(), Value::Bytes(body.into()));
            }
        }
    }
    d.end();
    if malformed {
        thrown(d, ctx, "PPP PAP", end);
    }
}

/// CHAP (RFC 1994 section 4).
fn chap<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, data: &'a [u8], at: usize) {
    let code = bytes::u8_at(data, at).unwrap_or_default();
    let name = super::value::value_name(Some(CHAP_CODES), u64::from(code)).unwrap_or("Unknown");
    if data.len() > at {
        d.set_protocol("PPP CHAP");
        d.set_info(|| name.to_string());
    }
    let Some((code, id, len)) = header(d, ctx, data, at, "PPP CHAP", data.len() > at) else {
        return;
    };
    d.open_protocol(CHAP, (at, data.len() - at), "chap", "PPP CHAP");
    d.add(CHAP_CODE, at, 1, Value::UInt(u64::from(code)));
    d.add(CHAP_IDENTIFIER, at + 1, 1, Value::UInt(u64::from(id)));
    d.add(CHAP_LENGTH, at + 2, 2, Value::UInt(u64::from(len)));
    let (start, end, past) = body(data, at, len);
    let body = data.get(start..end).unwrap_or_default();
    let mut malformed = past;
    d.set_info(|| name.to_string());
    match code {
        1 | 2 if len >= 4 => {
            let size = bytes::u8_at(body, 0);
            let value = size.and_then(|n| bytes::slice(body, 1, usize::from(n)));
            match (size, value) {
                (Some(n), Some(value)) => {
                    let rest = body.get(1 + usize::from(n)..).unwrap_or_default();
                    let (v, who) = (super::value::hex_text(value, None), format_text(rest));
                    d.set_info(|| format!("{name} (NAME='{who}', VALUE=0x{v})"));
                    let item = d.add(CHAP_DATA, start, body.len(), Value::None);
                    d.begin(item);
                    d.add(CHAP_VALUE_SIZE, start, 1, Value::UInt(u64::from(n)));
                    d.add(
                        CHAP_VALUE,
                        start + 1,
                        value.len(),
                        Value::Bytes(value.into()),
                    );
                    if !rest.is_empty() {
                        d.add(
                            CHAP_NAME,
                            start + 1 + value.len(),
                            rest.len(),
                            Value::Str(rest.into()),
                        );
                    }
                    d.end();
                }
                _ => malformed |= !body.is_empty() || len > 4,
            }
        }
        3 | 4 if len >= 4 => {
            let m = format_text(body);
            if !past {
                d.set_info(|| format!("{name} (MESSAGE='{m}')"));
            }
            if !body.is_empty() {
                d.add(CHAP_MESSAGE, start, body.len(), Value::Str(body.into()));
            }
        }
        _ => {
            if !body.is_empty() {
                d.add(CHAP_STUFF, start, body.len(), Value::Bytes(body.into()));
            }
        }
    }
    d.end();
    if malformed {
        thrown(d, ctx, "PPP CHAP", end);
    }
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_frame, with_patched, with_truncated};

    /// ppp_chap.pcapng (realjimmy/sample-captures cs_wlan_ppp_CHAP(id_id).pcapng)
    /// frame 1: an LCP Configure-Request offering MRU, CHAP with MD5 and a magic
    /// number, on the raw PPP link (no addresses: N/A).
    #[test]
    fn lcp_configure_request() {
        with_frame("ppp_chap.pcapng", 1, |d| {
            assert_eq!(d.columns.protocol, "PPP LCP");
            assert_eq!(d.columns.info, "Configuration Request");
            assert_eq!(d.columns.source, "N/A");
            assert_eq!(field(d, "ppp.code"), "1");
            assert_eq!(field(d, "ppp.identifier"), "14");
            assert_eq!(field(d, "ppp.length"), "19");
            assert_eq!(field(d, "lcp.opt.type"), "1,3,5");
            assert_eq!(field(d, "lcp.opt.length"), "4,5,6");
            assert_eq!(field(d, "lcp.opt.mru"), "1500");
            assert_eq!(field(d, "lcp.opt.auth_protocol"), "0xc223");
            assert_eq!(field(d, "lcp.opt.algorithm"), "5");
            assert_eq!(field(d, "lcp.opt.magic_number"), "0x32a1fe74");
        });
    }

    /// Frames 5, 6 and 7: CHAP's challenge, the response naming `bb`, the failure.
    #[test]
    fn chap_exchange() {
        with_frame("ppp_chap.pcapng", 5, |d| {
            assert_eq!(d.columns.protocol, "PPP CHAP");
            assert_eq!(
                d.columns.info,
                "Challenge (NAME='', VALUE=0x978daf01b614d73346550e051dba843e)"
            );
            assert_eq!(field(d, "chap.value_size"), "16");
        });
        with_frame("ppp_chap.pcapng", 6, |d| {
            assert_eq!(field(d, "chap.code"), "2");
            assert_eq!(field(d, "chap.name"), "bb");
            assert_eq!(field(d, "chap.value"), "869c3a34e8d4b97512e79e3166a695a5");
        });
        with_frame("ppp_chap.pcapng", 7, |d| {
            assert_eq!(
                d.columns.info,
                "Failure (MESSAGE='Illegal User or password.')"
            );
            assert_eq!(field(d, "chap.message"), "Illegal User or password.");
        });
    }

    /// Cut inside LCP's header (tshark: the column stays PPP) and inside the options;
    /// a length past the packet's end (malformed) and an option length of 0 (a
    /// warning, the options stop). Checked against tshark 4.0 on the same bytes.
    #[test]
    fn truncated_and_impossible_lengths() {
        with_truncated("ppp_chap.pcapng", 1, 6, |d| {
            assert_eq!(d.columns.protocol, "PPP");
            assert!(d.has(crate::dissect::ws::SHORT));
        });
        with_truncated("ppp_chap.pcapng", 1, 14, |d| {
            assert_eq!(
                d.columns.info,
                "Configuration Request[Packet size limited during capture]"
            );
            // The options are read from a buffer of the declared length: none.
            assert_eq!(field(d, "lcp.opt.mru"), "");
        });
        with_patched(
            "ppp_chap.pcapng",
            1,
            |b| {
                if let Some(len) = b.get_mut(6..8) {
                    len.copy_from_slice(&[0, 200]);
                }
            },
            |d| assert!(d.columns.info.starts_with("Configuration Request")),
        );
        with_patched(
            "ppp_chap.pcapng",
            1,
            |b| {
                if let Some(len) = b.get_mut(9) {
                    *len = 0;
                }
            },
            |d| {
                assert_eq!(field(d, "lcp.opt.type"), "");
                let warning = "Maximum Receive Unit (with too-short option length = 0 bytes)";
                assert!(d.experts.iter().any(|e| e.message == warning));
            },
        );
    }

    /// ppp_hdlc_control.pcap (tcpdump's ppp_error_hexdump.pcap, LINKTYPE_PPP_HDLC):
    /// address 0xff with a control byte of 0x60, which tshark takes as address and
    /// control all the same, then an unknown protocol 0x7e80; mlppp_cut.pcap
    /// (tcpdump's mlppp-oobr.pcap): a Multilink header cut after one byte.
    #[test]
    fn hdlc_link_and_multilink() {
        with_frame("ppp_hdlc_control.pcap", 1, |d| {
            assert_eq!(field(d, "ppp.control"), "0x60");
            assert_eq!(field(d, "ppp.protocol"), "0x7e80");
            assert_eq!(d.columns.protocol, "0x7e80");
            assert_eq!(d.columns.info, "PPP Unknown (0x7e80)");
        });
        with_frame("mlppp_cut.pcap", 1, |d| {
            assert_eq!(d.columns.protocol, "PPP MP");
            assert_eq!(
                d.columns.info,
                "PPP Multilink[Packet size limited during capture]"
            );
        });
    }

    /// Every prefix of an LCP Configure-Request and of a CHAP response: a decode or
    /// a mark, never a panic.
    #[test]
    fn every_prefix() {
        for (number, len) in [(1, 23), (6, 27)] {
            for cut in 0..=len {
                with_truncated("ppp_chap.pcapng", number, cut, |d| {
                    assert!(cut < 4 || d.columns.protocol.starts_with("PPP"));
                });
            }
        }
    }
}
