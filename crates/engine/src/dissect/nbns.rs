//! NetBIOS Name Service (RFC 1002 section 4.2, UDP 137): the DNS-like header, its
//! questions and resource records, with NetBIOS names decoded from their
//! first-level encoding (RFC 1001 section 14.1) as tshark shows them
//! (`ARBEITSGRUPPE<1b>`). The name helpers serve the datagram service too.

use super::context::PacketContext;
use super::field::kinds::*;
use super::field::{Base, FieldId};
use super::tree::Dissection;
use super::value::{Value, ipv4_text};
use crate::bytes;
use std::borrow::Cow;

#[rustfmt::skip]
const OPCODES: &[(u64, &str)] = &[
    (0, "Name query"), (5, "Registration"), (6, "Release"), (7, "Wait for acknowledgment"),
    (8, "Refresh"), (9, "Refresh (alternate opcode)"), (15, "Multi-homed registration"),
];
#[rustfmt::skip]
const RCODES: &[(u64, &str)] = &[
    (0, "No error"), (1, "Request was invalidly formatted"),
    (2, "Server failure"), (3, "Requested name does not exist"),
    (4, "Request is not implemented"), (5, "Request was refused"),
    (6, "Name is owned by another node"), (7, "Name is in conflict"),
];
#[rustfmt::skip]
const TYPES: &[(u64, &str)] = &[
    (1, "A"), (2, "NS"), (10, "NULL"), (32, "NB"), (33, "NBSTAT"),
];
const CLASSES: &[(u64, &str)] = &[(1, "IN"), (3, "CH"), (4, "HS")];
#[rustfmt::skip]
const ONT: &[(u64, &str)] = &[
    (0, "B-node"), (1, "P-node"), (2, "M-node"), (3, "Unknown"),
];
const GROUP: &[(u64, &str)] = &[(0, "Unique name"), (1, "Group name")];

crate::define_fields! { after super::dhcpv6::END;
    NBNS = "nbns", "NetBIOS Name Service", PROTO;
    ID = "nbns.id", "Transaction ID", hex(16);
    FLAGS = "nbns.flags", "Flags", hex(16);
    FLAGS_RESPONSE = "nbns.flags.response", "Response", bool_words(16, 0x8000, &["Message is a response", "Message is a query"]);
    FLAGS_OPCODE = "nbns.flags.opcode", "Opcode", uint(16, Base::Dec, 0x7800, Some(OPCODES));
    FLAGS_AUTHORITATIVE = "nbns.flags.authoritative", "Authoritative", bool_words(16, 0x0400, &["Server is an authority for domain", "Server is not an authority for domain"]);
    FLAGS_TRUNCATED = "nbns.flags.truncated", "Truncated", bool_words(16, 0x0200, &["Message is truncated", "Message is not truncated"]);
    FLAGS_RECDESIRED = "nbns.flags.recdesired", "Recursion desired", bool_words(16, 0x0100, &["Do query recursively", "Don't do query recursively"]);
    FLAGS_RECAVAIL = "nbns.flags.recavail", "Recursion available", bool_words(16, 0x0080, &["Server can do recursive queries", "Server can't do recursive queries"]);
    FLAGS_BROADCAST = "nbns.flags.broadcast", "Broadcast", bool_words(16, 0x0010, &["Broadcast packet", "Not a broadcast packet"]);
    FLAGS_RCODE = "nbns.flags.rcode", "Reply code", uint(16, Base::Dec, 0x000f, Some(RCODES));
    COUNT_QUERIES = "nbns.count.queries", "Questions", dec(16);
    COUNT_ANSWERS = "nbns.count.answers", "Answer RRs", dec(16);
    COUNT_AUTH_RR = "nbns.count.auth_rr", "Authority RRs", dec(16);
    COUNT_ADD_RR = "nbns.count.add_rr", "Additional RRs", dec(16);
    NAME = "nbns.name", "Name", STR;
    TYPE = "nbns.type", "Type", dec_named(16, TYPES);
    CLASS = "nbns.class", "Class", dec_named(16, CLASSES);
    TTL = "nbns.ttl", "Time to live", dec(32);
    DATA_LENGTH = "nbns.data_length", "Data length", dec(16);
    NB_FLAGS = "nbns.nb_flags", "Name flags", hex(16);
    NB_FLAGS_GROUP = "nbns.nb_flags.group", "Name type", uint(16, Base::Dec, 0x8000, Some(GROUP));
    NB_FLAGS_ONT = "nbns.nb_flags.ont", "ONT", uint(16, Base::Dec, 0x6000, Some(ONT));
    ADDR = "nbns.addr", "Addr", IPV4;
    NUMBER_OF_NAMES = "nbns.number_of_names", "Number of names", dec(8);
    NETBIOS_NAME = "nbns.netbios_name", "Name", STR;
    NAME_FLAGS = "nbns.name_flags", "Name flags", hex(16);
    UNIT_ID = "nbns.unit_id", "Unit ID", ETHER;
    DATA = "nbns.data", "Data", BYTES;
}

/// Header length (RFC 1002 section 4.2.1.1).
const HEADER_LEN: usize = 12;
/// Records read per section at most (a lying count must not make us loop long).
const MAX_RECORDS: usize = 64;
/// Longest scope text we build.
const MAX_NAME_LEN: usize = 256;

/// What tshark calls a NetBIOS name's suffix byte.
pub fn name_type_text(t: u8) -> &'static str {
    match t {
        0x00 => "Workstation/Redirector",
        0x01 => "Browser",
        0x02 => "Workstation/Redirector",
        0x03 => "Messenger service/Main name",
        0x05 => "Forwarded name",
        0x06 => "RAS Server service",
        0x1b => "Domain Master Browser",
        0x1c => "Domain Controllers",
        0x1d => "Local Master Browser",
        0x1e => "Browser Election Service",
        0x1f => "Net DDE Service",
        0x20 => "Server service",
        0x21 => "RAS client service",
        0x22 => "Exchange Interchange (MSMail Connector)",
        0x23 => "Exchange Store",
        0x24 => "Exchange Directory",
        0x2b => "Lotus Notes Server service",
        0x30 => "Modem sharing server service",
        0x31 => "Modem sharing client service",
        0x43 => "SMS Clients Remote Control",
        0x44 => "SMS Administrators Remote Control Tool",
        0x45 => "SMS Clients Remote Chat",
        0x46 => "SMS Clients Remote Transfer",
        0x4c | 0x52 => "DEC Pathworks TCP/IP Service on Windows NT",
        0x6a => "Microsoft Exchange IMC",
        0x87 => "Microsoft Exchange MTA",
        0xbe => "Network Monitor Agent",
        0xbf => "Network Monitor Analyzer",
        _ => "Unknown",
    }
}

/// Sixteen raw NetBIOS name bytes as tshark prints them: the first fifteen with
/// trailing spaces dropped and unprintable bytes as `<xx>`, then `<suffix>`.
pub fn netbios_text(raw: &[u8; 16]) -> (String, u8) {
    let (head, suffix) = raw.split_at(15);
    let suffix = suffix.first().copied().unwrap_or(0);
    let trimmed = head
        .iter()
        .rposition(|&b| b != b' ')
        .map_or(&[][..], |end| head.get(..=end).unwrap_or(head));
    let mut text = String::new();
    for &b in trimmed {
        if b.is_ascii_graphic() || b == b' ' {
            text.push(char::from(b));
        } else {
            text.push_str(&format!("<{b:02x}>"));
        }
    }
    text.push_str(&format!("<{suffix:02x}>"));
    (text, suffix)
}

/// Reads an encoded NetBIOS name (a DNS-style label list whose first label is the
/// 32-byte first-level encoding) at `offset` of `msg`, following one compression
/// pointer. Returns (name text, name type, offset after the name in place).
pub fn read_name(msg: &[u8], offset: usize) -> Option<(String, u8, usize)> {
    let mut pos = offset;
    let mut after = None;
    // One pointer is all NBNS uses (a record pointing back at the question's name).
    for _ in 0..2 {
        let len = bytes::u8_at(msg, pos)?;
        if len & 0xc0 == 0xc0 {
            let low = bytes::u8_at(msg, pos + 1)?;
            after.get_or_insert(pos + 2);
            pos = (usize::from(len & 0x3f) << 8) | usize::from(low);
            continue;
        }
        let first = bytes::slice(msg, pos + 1, usize::from(len))?;
        pos += 1 + usize::from(len);
        let (mut text, kind) = match decode_first_level(first) {
            Some(raw) => netbios_text(&raw),
            None => (super::value::string_label_text(first), 0),
        };
        // The scope: more labels, dot-separated.
        while let Some(l) = bytes::u8_at(msg, pos) {
            if l == 0 || l & 0xc0 != 0 {
                break;
            }
            let label = bytes::slice(msg, pos + 1, usize::from(l))?;
            text.push('.');
            text.push_str(&super::value::string_label_text(label));
            if text.len() > MAX_NAME_LEN {
                return None;
            }
            pos += 1 + usize::from(l);
        }
        let end = match bytes::u8_at(msg, pos)? {
            0 => pos + 1,
            _ => pos + 2,
        };
        return Some((text, kind, after.unwrap_or(end)));
    }
    None
}

/// RFC 1001 section 14.1: each half-byte is a letter 'A'..='P'.
fn decode_first_level(label: &[u8]) -> Option<[u8; 16]> {
    if label.len() != 32 {
        return None;
    }
    let mut raw = [0u8; 16];
    for (out, pair) in raw.iter_mut().zip(label.chunks_exact(2)) {
        let hi = pair.first()?.checked_sub(b'A').filter(|n| *n < 16)?;
        let lo = pair.get(1)?.checked_sub(b'A').filter(|n| *n < 16)?;
        *out = (hi << 4) | lo;
    }
    Some(raw)
}

fn str_value(text: String) -> Value<'static> {
    Value::Str(Cow::Owned(text.into_bytes()))
}

fn name_of(table: &'static [(u64, &'static str)], v: u16) -> &'static str {
    super::value::value_name(Some(table), u64::from(v)).unwrap_or("Unknown")
}

/// Dissects an NBNS message at `offset`; false when it is too short to be one.
pub fn dissect<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    offset: usize,
    msg: &'a [u8],
) -> bool {
    let Some([id, flags, qd, an, ns, ar]) = bytes::be_u16s(msg, 0) else {
        return false;
    };
    let response = flags & 0x8000 != 0;
    let opcode = (flags >> 11) & 0xf;
    let item = d.add(NBNS, offset, msg.len(), Value::None);
    d.push_layer("nbns");
    d.set_protocol("NBNS");
    let mut info = match super::value::value_name(Some(OPCODES), u64::from(opcode)) {
        Some(op) => op.to_string(),
        None => format!("Unknown operation ({opcode})"),
    };
    if response {
        info.push_str(" response");
        // A response with an error names its reply code, as DNS's Info does.
        let rcode = flags & 0xf;
        if rcode != 0 {
            match super::value::value_name(Some(RCODES), u64::from(rcode)) {
                Some(text) => info.push_str(&format!(", {text}")),
                None => info.push_str(&format!(", Unknown error ({rcode})")),
            }
        }
    }
    d.begin(item);
    d.add(ID, offset, 2, Value::UInt(u64::from(id)));
    flags_tree(d, offset + 2, flags);
    d.add(COUNT_QUERIES, offset + 4, 2, Value::UInt(u64::from(qd)));
    d.add(COUNT_ANSWERS, offset + 6, 2, Value::UInt(u64::from(an)));
    d.add(COUNT_AUTH_RR, offset + 8, 2, Value::UInt(u64::from(ns)));
    d.add(COUNT_ADD_RR, offset + 10, 2, Value::UInt(u64::from(ar)));
    let mut pos = HEADER_LEN;
    // A record that runs past the bytes: tshark's exception, short or malformed.
    let mut cut = false;
    if qd > 0 {
        let q = d.add_labeled(super::ws::TEXT, offset + pos, 0, Value::None, || {
            "Queries".into()
        });
        d.begin(q);
        let start = pos;
        for _ in 0..usize::from(qd).min(MAX_RECORDS) {
            match question(d, msg, offset, pos, (!response).then_some(&mut info)) {
                Some(next) => pos = next,
                None => {
                    cut = true;
                    break;
                }
            }
        }
        d.end();
        d.set_len(q, pos - start);
    }
    for (count, section, in_info) in [
        (an, "Answers", response),
        (ns, "Authoritative nameservers", false),
        (ar, "Additional records", false),
    ] {
        if count == 0 {
            continue;
        }
        let s = d.add_labeled(super::ws::TEXT, offset + pos, 0, Value::None, || {
            section.into()
        });
        d.begin(s);
        let start = pos;
        for _ in 0..usize::from(count).min(MAX_RECORDS) {
            let info = in_info.then_some(&mut info);
            match record(d, msg, offset, pos, opcode, info) {
                Some(next) => pos = next,
                None => {
                    cut = true;
                    break;
                }
            }
        }
        d.end();
        d.set_len(s, pos - start);
    }
    d.end();
    d.set_info(move || info);
    if cut {
        super::truncated(d, ctx, &[], 0, "NBNS");
    }
    true
}

fn flags_tree(d: &mut Dissection<'_>, at: usize, flags: u16) {
    let response = flags & 0x8000 != 0;
    let opcode = (flags >> 11) & 0xf;
    let item = d.add_labeled(FLAGS, at, 2, Value::UInt(u64::from(flags)), || {
        let mut label = format!("Flags: 0x{flags:04x}");
        if response {
            label.push_str(", Response");
        }
        label.push_str(&format!(", Opcode: {}", name_of(OPCODES, opcode)));
        #[rustfmt::skip]
        let bits = [
            (0x0400, "Authoritative", true), (0x0200, "Truncated", false),
            (0x0100, "Recursion desired", false), (0x0080, "Recursion available", true),
            (0x0010, "Broadcast", false),
        ];
        for (bit, text, response_only) in bits {
            if flags & bit != 0 && (response || !response_only) {
                label.push_str(", ");
                label.push_str(text);
            }
        }
        if response {
            label.push_str(&format!(", Reply code: {}", name_of(RCODES, flags & 0xf)));
        }
        label
    });
    d.begin(item);
    d.add(FLAGS_RESPONSE, at, 2, Value::Bool(response));
    d.add(FLAGS_OPCODE, at, 2, Value::UInt(u64::from(opcode)));
    #[rustfmt::skip]
    const BITS: [(FieldId, u16, bool); 5] = [
        (FLAGS_AUTHORITATIVE, 0x0400, true), (FLAGS_TRUNCATED, 0x0200, false),
        (FLAGS_RECDESIRED, 0x0100, false), (FLAGS_RECAVAIL, 0x0080, true),
        (FLAGS_BROADCAST, 0x0010, false),
    ];
    for (field, bit, response_only) in BITS {
        if response || !response_only {
            d.add(field, at, 2, Value::Bool(flags & bit != 0));
        }
    }
    if response {
        d.add(FLAGS_RCODE, at, 2, Value::UInt(u64::from(flags & 0xf)));
    }
    d.end();
}

/// One question at `pos`; returns the offset after it.
fn question(
    d: &mut Dissection<'_>,
    msg: &[u8],
    base: usize,
    pos: usize,
    info: Option<&mut String>,
) -> Option<usize> {
    let (name, kind, after) = read_name(msg, pos)?;
    let qtype = bytes::be_u16(msg, after)?;
    let qclass = bytes::be_u16(msg, after + 2)?;
    let tname = name_of(TYPES, qtype);
    let entry = d.add_labeled(
        super::ws::TEXT,
        base + pos,
        after + 4 - pos,
        Value::None,
        || format!("{name}: type {tname}, class {}", name_of(CLASSES, qclass)),
    );
    d.begin(entry);
    let shown = name.clone();
    d.add_labeled(
        NAME,
        base + pos,
        after - pos,
        str_value(name.clone()),
        || format!("Name: {shown} ({})", name_type_text(kind)),
    );
    d.add(TYPE, base + after, 2, Value::UInt(u64::from(qtype)));
    d.add(CLASS, base + after + 2, 2, Value::UInt(u64::from(qclass)));
    d.end();
    if let Some(info) = info {
        info.push_str(&format!(" {tname} {name}"));
    }
    Some(after + 4)
}

/// One resource record at `pos`; returns the offset after it.
fn record(
    d: &mut Dissection<'_>,
    msg: &[u8],
    base: usize,
    pos: usize,
    opcode: u16,
    info: Option<&mut String>,
) -> Option<usize> {
    let (name, kind, after) = read_name(msg, pos)?;
    let rtype = bytes::be_u16(msg, after)?;
    let class = bytes::be_u16(msg, after + 2)?;
    let ttl = bytes::be_u32(msg, after + 4)?;
    let rdlen = usize::from(bytes::be_u16(msg, after + 8)?);
    let data_at = after + 10;
    let tname = name_of(TYPES, rtype);
    let end = data_at + rdlen;
    let entry = d.add_labeled(super::ws::TEXT, base + pos, end - pos, Value::None, || {
        format!("{name}: type {tname}, class {}", name_of(CLASSES, class))
    });
    d.begin(entry);
    // tshark 4.0 stores an NB record's name with its type description appended.
    let stored = if rtype == 32 {
        format!("{name} ({})", name_type_text(kind))
    } else {
        name.clone()
    };
    let shown = stored.clone();
    d.add_labeled(NAME, base + pos, after - pos, str_value(stored), || {
        format!("Name: {shown}")
    });
    d.add(TYPE, base + after, 2, Value::UInt(u64::from(rtype)));
    d.add(CLASS, base + after + 2, 2, Value::UInt(u64::from(class)));
    d.add_labeled(
        TTL,
        base + after + 4,
        4,
        Value::UInt(u64::from(ttl)),
        || format!("Time to live: {}", super::value::duration_text(ttl)),
    );
    d.add(DATA_LENGTH, base + after + 8, 2, Value::UInt(rdlen as u64));
    let rdata = bytes::clamped(msg, data_at, rdlen);
    let at = base + data_at;
    match rtype {
        32 => {
            if let Some(info) = info
                && opcode != 7
            {
                let addr = bytes::array::<4>(rdata, 2).map_or(String::new(), |a| ipv4_text(&a));
                info.push_str(&format!(" NB {addr}"));
            }
            let mut p = 0usize;
            while let Some(flags) = bytes::be_u16(rdata, p) {
                nb_flags(d, at + p, flags);
                if opcode == 7 {
                    p += 2;
                    continue;
                }
                let Some(a) = bytes::array::<4>(rdata, p + 2) else {
                    break;
                };
                d.add(ADDR, at + p + 2, 4, Value::Ipv4(a));
                p += 6;
            }
        }
        33 => {
            if let Some(info) = info {
                info.push_str(" NBSTAT");
            }
            if let Some(n) = bytes::u8_at(rdata, 0) {
                d.add(NUMBER_OF_NAMES, at, 1, Value::UInt(u64::from(n)));
                let mut p = 1usize;
                for _ in 0..n {
                    let (Some(raw), Some(flags)) =
                        (bytes::array::<16>(rdata, p), bytes::be_u16(rdata, p + 16))
                    else {
                        break;
                    };
                    let (text, t) = netbios_text(&raw);
                    let label = format!("Name: {text} ({})", name_type_text(t));
                    // The value is the name alone, without its `<xx>` suffix.
                    let bare = text.get(..text.len().saturating_sub(4)).unwrap_or("");
                    d.add_labeled(NETBIOS_NAME, at + p, 16, str_value(bare.into()), || label);
                    d.add(NAME_FLAGS, at + p + 16, 2, Value::UInt(u64::from(flags)));
                    p += 18;
                }
                if let Some(unit) = bytes::array::<6>(rdata, p) {
                    d.add(UNIT_ID, at + p, 6, Value::Ether(unit));
                }
            }
        }
        _ => {
            if let Some(info) = info {
                info.push_str(&format!(" {tname}"));
            }
            if !rdata.is_empty() {
                d.add(DATA, at, rdata.len(), Value::Bytes(rdata.to_vec().into()));
            }
        }
    }
    d.end();
    Some(end)
}

fn nb_flags(d: &mut Dissection<'_>, at: usize, flags: u16) {
    let group = flags & 0x8000 != 0;
    let ont = (flags >> 13) & 3;
    let item = d.add_labeled(NB_FLAGS, at, 2, Value::UInt(u64::from(flags)), || {
        format!(
            "Name flags: 0x{flags:04x}, ONT: {} ({}-node, {})",
            name_of(ONT, ont),
            ["B", "P", "M", "H"].get(usize::from(ont)).unwrap_or(&"?"),
            if group { "group" } else { "unique" }
        )
    });
    d.begin(item);
    d.add(NB_FLAGS_GROUP, at, 2, Value::UInt(u64::from(group)));
    d.add(NB_FLAGS_ONT, at, 2, Value::UInt(u64::from(ont)));
    d.end();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dissect::testing::{field, with_ethernet, with_frame, with_patched, with_truncated};

    /// smb-browser-elections.pcapng (realjimmy/sample-captures) frame 24: a
    /// registration response refusing FDFJEOEFFCEJFEFJCA... (reply code 6).
    #[rustfmt::skip]
    const REFUSED: [u8; 104] = [
        0x00, 0x0e, 0xa6, 0x84, 0x19, 0xc1, 0x00, 0x0c, 0x6e, 0x74, 0x73, 0xf0,
        0x08, 0x00, 0x45, 0x00, 0x00, 0x5a, 0x02, 0x62, 0x00, 0x00, 0x80, 0x11,
        0xc0, 0xdc, 0xc0, 0xa8, 0x7b, 0x02, 0xc0, 0xa8, 0x7b, 0x01, 0x00, 0x89,
        0x00, 0x89, 0x00, 0x46, 0xa4, 0x7e, 0x80, 0xda, 0xad, 0x86, 0x00, 0x00,
        0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x20, 0x46, 0x44, 0x46, 0x4a, 0x45,
        0x4f, 0x45, 0x46, 0x46, 0x43, 0x45, 0x4a, 0x46, 0x45, 0x46, 0x4a, 0x43,
        0x41, 0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x43,
        0x41, 0x42, 0x4e, 0x00, 0x00, 0x20, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x06, 0x00, 0x00, 0xc0, 0xa8, 0x7b, 0x02,
    ];

    /// A response with an error names its reply code after the operation, as
    /// tshark's Info does; a reply code no table names is an unknown error.
    #[test]
    fn error_response_names_its_reply_code() {
        with_ethernet(&REFUSED, |d| {
            assert_eq!(field(d, "nbns.flags.rcode"), "6");
            assert_eq!(
                d.columns.info,
                "Registration response, Name is owned by another node NB 192.168.123.2"
            );
        });
        let mut unknown = REFUSED;
        unknown[45] = 0x8e;
        with_ethernet(&unknown, |d| {
            assert!(
                d.columns
                    .info
                    .starts_with("Registration response, Unknown error (14) NB")
            );
        });
    }

    /// In tcpdump's test corpus (tests/corpus/tcpdump).
    const EAPON: &str = "../corpus/tcpdump/eapon1.pcap";

    #[test]
    fn names_decode_as_tshark_prints_them() {
        let mut raw = *b"ARBEITSGRUPPE  \x1b";
        assert_eq!(netbios_text(&raw), ("ARBEITSGRUPPE<1b>".into(), 0x1b));
        raw = *b"\x01\x02__MSBROWSE__\x02\x01";
        assert_eq!(netbios_text(&raw).0, "<01><02>__MSBROWSE__<02><01>");
        assert_eq!(
            crate::dissect::value::duration_text(300000),
            "3 days, 11 hours, 20 minutes"
        );
        assert_eq!(decode_first_level(b"AZ"), None);
    }

    /// eapon1.pcap frame 4: a broadcast name query.
    #[test]
    fn name_query() {
        with_frame(EAPON, 4, |d| {
            assert_eq!(field(d, "nbns.id"), "0x8921");
            assert_eq!(field(d, "nbns.flags"), "0x0110");
            assert_eq!(field(d, "nbns.flags.broadcast"), "1");
            assert_eq!(field(d, "nbns.name"), "ARBEITSGRUPPE<1b>");
            assert_eq!(field(d, "nbns.type"), "32");
            assert_eq!(d.columns.protocol, "NBNS");
            assert_eq!(d.columns.info, "Name query NB ARBEITSGRUPPE<1b>");
        });
    }

    /// eapon1.pcap frame 45: a registration with its additional NB record.
    #[test]
    fn registration() {
        with_frame(EAPON, 45, |d| {
            assert_eq!(
                field(d, "nbns.name"),
                "DJP95S0J<00>,DJP95S0J<00> (Workstation/Redirector)"
            );
            assert_eq!(field(d, "nbns.ttl"), "300000");
            assert_eq!(field(d, "nbns.nb_flags"), "0x6000");
            assert_eq!(field(d, "nbns.nb_flags.ont"), "3");
            assert_eq!(field(d, "nbns.addr"), "169.254.67.194");
            assert_eq!(d.columns.info, "Registration NB DJP95S0J<00>");
        });
    }

    #[test]
    fn truncated_and_lying() {
        // Cut inside the question name (UDP payload starts at 42).
        with_truncated(EAPON, 4, 60, |d| {
            assert_eq!(field(d, "nbns.id"), "0x8921");
            assert_eq!(field(d, "nbns.name"), "");
        });
        // A record count of 65535 and a data length past the end.
        with_patched(
            EAPON,
            45,
            |b| {
                b[52..54].copy_from_slice(&[0xff, 0xff]);
                b[42 + 12 + 38 + 4 + 2 + 4 + 4..][..2].copy_from_slice(&[0xff, 0xff]);
            },
            |d| {
                assert_eq!(field(d, "nbns.count.add_rr"), "65535");
                assert_eq!(d.columns.protocol, "NBNS");
            },
        );
    }
}
