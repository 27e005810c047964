//! SNMP v1 and v2c (RFC 1157, RFC 3416; UDP ports 161 and 162) as tshark 4.0 shows
//! them: version, community, the PDU with its request id, error status and index (or
//! GetBulk's repeaters), and each variable binding's object name and typed value; a
//! response is linked to its request by request id (`snmp.response_to`, `snmp.time`).
//! The BER reader is bounded: lengths are checked against the datagram, nesting is
//! fixed by the message's shape.

use super::context::{PacketContext, TransactionKey};
use super::field::kinds::*;
use super::ipv4::NetInfo;
use super::tree::{Dissection, Expert, Severity};
use super::value::Value;
use std::borrow::Cow;

/// The agent's port.
pub const PORT: u16 = 161;
/// The trap port.
pub const TRAP_PORT: u16 = 162;

const VERSIONS: &[(u64, &str)] = &[(0, "version-1"), (1, "v2c"), (2, "v2u"), (3, "snmpv3")];

#[rustfmt::skip]
const PDUS: &[(u64, &str)] = &[
    (0, "get-request"), (1, "get-next-request"), (2, "get-response"), (3, "set-request"),
    (4, "trap"), (5, "getBulkRequest"), (6, "informRequest"), (7, "snmpV2-trap"), (8, "report"),
];

#[rustfmt::skip]
const ERRORS: &[(u64, &str)] = &[
    (0, "noError"), (1, "tooBig"), (2, "noSuchName"), (3, "badValue"), (4, "readOnly"),
    (5, "genErr"), (6, "noAccess"), (7, "wrongType"), (8, "wrongLength"), (9, "wrongEncoding"),
    (10, "wrongValue"), (11, "noCreation"), (12, "inconsistentValue"),
    (13, "resourceUnavailable"), (14, "commitFailed"), (15, "undoFailed"),
    (16, "authorizationError"), (17, "notWritable"), (18, "inconsistentName"),
];

crate::define_fields! { after super::imap::END;
    SNMP = "snmp", "Simple Network Management Protocol", PROTO;
    VERSION = "snmp.version", "version", int(32);
    COMMUNITY = "snmp.community", "community", STR;
    DATA = "snmp.data", "data", dec_named(32, PDUS);
    GET_REQUEST = "snmp.get_request_element", "get-request", NONE;
    GET_NEXT_REQUEST = "snmp.get_next_request_element", "get-next-request", NONE;
    GET_RESPONSE = "snmp.get_response_element", "get-response", NONE;
    SET_REQUEST = "snmp.set_request_element", "set-request", NONE;
    TRAP = "snmp.trap_element", "trap", NONE;
    GET_BULK = "snmp.getBulkRequest_element", "getBulkRequest", NONE;
    INFORM = "snmp.informRequest_element", "informRequest", NONE;
    V2_TRAP = "snmp.snmpV2_trap_element", "snmpV2-trap", NONE;
    REPORT = "snmp.report_element", "report", NONE;
    REQUEST_ID = "snmp.request_id", "request-id", int(32);
    ERROR_STATUS = "snmp.error_status", "error-status", int(32);
    ERROR_INDEX = "snmp.error_index", "error-index", int(32);
    NON_REPEATERS = "snmp.non_repeaters", "non-repeaters", dec(32);
    MAX_REPETITIONS = "snmp.max_repetitions", "max-repetitions", dec(32);
    VARIABLE_BINDINGS = "snmp.variable_bindings", "variable-bindings", dec(32);
    NAME = "snmp.name", "Object Name", STR;
    VALUE_INT = "snmp.value.int", "Value (Integer32)", int(64);
    VALUE_OCTETS = "snmp.value.octets", "Value (OctetString)", BYTES;
    VAR_BIND_STR = "snmp.var-bind_str", "Variable-binding-string", STR;
    VALUE_OID = "snmp.value.oid", "Value (OID)", STR;
    VALUE_NULL = "snmp.value.null", "Value (Null)", NONE;
    VALUE_IPV4 = "snmp.value.ipv4", "Value (IpAddress)", IPV4;
    VALUE_G32 = "snmp.value.g32", "Value (Gauge32)", int(64);
    VALUE_COUNTER = "snmp.value.counter", "Value (Counter32)", dec(64);
    VALUE_TIMETICKS = "snmp.value.timeticks", "Value (Timeticks)", dec(64);
    VALUE_OPAQUE = "snmp.value.opaque", "Value (Opaque)", BYTES;
    VALUE_UNKNOWN = "snmp.value.unk", "Value (Unknown)", BYTES;
    NO_SUCH_OBJECT = "snmp.noSuchObject", "noSuchObject", NONE;
    NO_SUCH_INSTANCE = "snmp.noSuchInstance", "noSuchInstance", NONE;
    END_OF_MIB_VIEW = "snmp.endOfMibView", "endOfMibView", NONE;
    RESPONSE_TO = "snmp.response_to", "Response To", FRAME;
    TIME = "snmp.time", "Time", REL_TIME;
}

/// One BER element: its tag, where it starts, where its contents start, and their
/// length (all within the datagram).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Tlv {
    tag: u8,
    start: usize,
    at: usize,
    len: usize,
}

impl Tlv {
    fn end(&self) -> usize {
        self.at + self.len
    }
}

/// The definite length whose first octet is at `pos` (short form, or long form of up
/// to four octets) and how many octets it takes.
fn length_at(msg: &[u8], pos: usize) -> Option<(usize, usize)> {
    let first = *msg.get(pos)?;
    if first < 0x80 {
        return Some((usize::from(first), 1));
    }
    let n = usize::from(first & 0x7f);
    if n == 0 || n > 4 {
        return None;
    }
    let mut len = 0usize;
    for i in 0..n {
        len = len << 8 | usize::from(*msg.get(pos + 1 + i)?);
    }
    Some((len, 1 + n))
}

/// The element at `pos` that must end by `limit`; single-byte tags, definite lengths
/// of up to four bytes.
fn tlv(msg: &[u8], pos: usize, limit: usize) -> Option<Tlv> {
    let tag = *msg.get(pos)?;
    let (len, octets) = length_at(msg, pos + 1)?;
    let at = pos + 1 + octets;
    let end = at.checked_add(len)?;
    (end <= limit && end <= msg.len()).then_some(Tlv {
        tag,
        start: pos,
        at,
        len,
    })
}

/// The message's SEQUENCE, its length clamped to the bytes captured, and the length
/// it claimed.
struct Outer {
    tlv: Tlv,
    claimed: usize,
}

/// The message's SEQUENCE, its length clamped to the bytes captured.
fn outer_sequence(msg: &[u8]) -> Option<Outer> {
    if msg.first() != Some(&0x30) {
        return None;
    }
    let (len, octets) = length_at(msg, 1)?;
    let at = 1 + octets;
    Some(Outer {
        tlv: Tlv {
            tag: 0x30,
            start: 0,
            at,
            len: len.min(msg.len().checked_sub(at)?),
        },
        claimed: len,
    })
}

/// A BER INTEGER's value (up to eight bytes, sign-extended).
fn integer(bytes: &[u8]) -> Option<i64> {
    if bytes.is_empty() || bytes.len() > 8 {
        return None;
    }
    let negative = bytes.first().is_some_and(|b| b & 0x80 != 0);
    let mut v: i64 = if negative { -1 } else { 0 };
    for b in bytes {
        v = v << 8 | i64::from(*b);
    }
    Some(v)
}

/// An unsigned BER integer (Counter, Gauge, TimeTicks: up to nine bytes with a
/// leading zero).
fn unsigned(bytes: &[u8]) -> Option<u64> {
    let trimmed = match bytes {
        [0, rest @ ..] if !rest.is_empty() => rest,
        b => b,
    };
    if trimmed.is_empty() || trimmed.len() > 8 {
        return None;
    }
    Some(trimmed.iter().fold(0u64, |v, b| v << 8 | u64::from(*b)))
}

/// An OBJECT IDENTIFIER in dotted form (arcs past 64 bits make it invalid).
pub fn oid_text(bytes: &[u8]) -> Option<String> {
    let mut arcs: Vec<u64> = Vec::new();
    let mut v: u64 = 0;
    let mut pending = false;
    for b in bytes {
        v = v.checked_mul(128)? | u64::from(b & 0x7f);
        pending = true;
        if b & 0x80 == 0 {
            if arcs.is_empty() {
                let (first, second) = match v {
                    0..=39 => (0, v),
                    40..=79 => (1, v - 40),
                    _ => (2, v - 80),
                };
                arcs.push(first);
                arcs.push(second);
            } else {
                arcs.push(v);
            }
            v = 0;
            pending = false;
        }
    }
    if pending || arcs.is_empty() {
        return None;
    }
    Some(
        arcs.iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join("."),
    )
}

/// tshark's resolved form without MIBs: the first arc by name.
fn oid_resolved(dotted: &str) -> String {
    let (first, rest) = dotted.split_once('.').unwrap_or((dotted, ""));
    let name = match first {
        "0" => "itu-t",
        "1" => "iso",
        "2" => "joint-iso-itu-t",
        other => other,
    };
    if rest.is_empty() {
        name.to_string()
    } else {
        format!("{name}.{rest}")
    }
}

/// Objects whose value tshark 4.0 also shows as `snmp.var-bind_str` (it registers a
/// string dissector for them: sysDescr.0 and sysName.0).
const STRING_OIDS: [&str; 2] = ["1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.5.0"];

/// Whether tshark shows an OctetString as text.
fn printable(bytes: &[u8]) -> bool {
    bytes.iter().all(|b| (b' '..=b'~').contains(b))
}

/// Dissects an SNMP datagram at `at`; false when it is not a v1/v2c message.
pub fn dissect<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    net: &NetInfo,
    at: usize,
    msg: &'a [u8],
    ports: (u16, u16),
) -> bool {
    // A message cut by the capture's snap length is read as far as it goes.
    let Some(outer) = outer_sequence(msg) else {
        return false;
    };
    let Some(version) = tlv(msg, outer.tlv.at, outer.tlv.end()).filter(|t| t.tag == 0x02) else {
        return false;
    };
    let Some(v) = msg.get(version.at..version.end()).and_then(integer) else {
        return false;
    };
    d.set_protocol("SNMP");
    let item = d.add(SNMP, at, msg.len(), Value::None);
    d.push_layer("snmp");
    d.begin(item);
    // A message the snap length cut: tshark reads what is there, then flags it.
    let cut = outer.claimed > outer.tlv.len && ctx.record.cap_len < ctx.record.orig_len;
    if v == 3 {
        // SNMPv3's header (msgVersion, msgGlobalData, security) is not decoded.
        d.end();
        if cut {
            super::packet::short(d, "SNMP", None);
        }
        return true;
    }
    let name = VERSIONS
        .iter()
        .find(|(n, _)| *n as i64 == v)
        .map(|(_, s)| *s);
    d.add_labeled(VERSION, at + version.at, version.len, Value::Int(v), || {
        format!("version: {} ({v})", name.unwrap_or("Unknown"))
    });
    let outer = outer.tlv;
    let community = tlv(msg, version.end(), outer.end()).filter(|t| t.tag == 0x04);
    if let (true, Some(community)) = ((0..=1).contains(&v), community) {
        let text = msg.get(community.at..community.end()).unwrap_or(&[]);
        d.add(
            COMMUNITY,
            at + community.at,
            community.len,
            Value::owned_str(text),
        );
        if let Some(pdu) = tlv(msg, community.end(), outer.end()) {
            pdu_body(d, ctx, net, at, msg, pdu, ports);
        }
    }
    d.end();
    if cut {
        super::packet::short(d, "SNMP", None);
    }
    true
}

/// The PDU: its type, fields and variable bindings; the Info column.
fn pdu_body(
    d: &mut Dissection<'_>,
    ctx: &PacketContext<'_>,
    net: &NetInfo,
    at: usize,
    msg: &[u8],
    pdu: Tlv,
    ports: (u16, u16),
) {
    if pdu.tag & 0xe0 != 0xa0 {
        return;
    }
    let kind = pdu.tag & 0x1f;
    let name = PDUS
        .iter()
        .find(|(n, _)| *n == u64::from(kind))
        .map_or("Unknown", |(_, s)| *s);
    let data = d.add(
        DATA,
        at + pdu.start,
        pdu.end() - pdu.start,
        Value::UInt(u64::from(kind)),
    );
    d.begin(data);
    let element = [
        GET_REQUEST,
        GET_NEXT_REQUEST,
        GET_RESPONSE,
        SET_REQUEST,
        TRAP,
        GET_BULK,
        INFORM,
        V2_TRAP,
        REPORT,
    ]
    .get(usize::from(kind))
    .copied();
    let mut info = name.to_string();
    let mut request_id = None;
    if let Some(element) = element {
        let node = d.add(element, at + pdu.at, pdu.len, Value::None);
        d.begin(node);
        if kind == 4 {
            // The v1 Trap-PDU's own fields are not decoded.
        } else {
            request_id = fields(d, at, msg, pdu, kind, &mut info);
        }
        d.end();
    }
    d.end();
    d.set_info(|| info);
    let (Some(id), Some(analysis)) = (request_id, ctx.analysis) else {
        return;
    };
    let is_response = kind == 2;
    if !matches!(kind, 0 | 1 | 2 | 3 | 5 | 6) {
        return;
    }
    let key = key(id, net, is_response, ports);
    let now = ctx.record.ts_nanos;
    if let Some((frame, ts)) = analysis.request_link(ctx.number, &key, now, is_response)
        && is_response
    {
        d.add_generated(RESPONSE_TO, at + pdu.start, 0, Value::Frame(frame));
        d.add_generated(TIME, at + pdu.start, 0, Value::Time(now.saturating_sub(ts)));
    }
}

/// The request/response key: the request id within the conversation.
fn key(id: i64, net: &NetInfo, is_response: bool, ports: (u16, u16)) -> TransactionKey {
    let (requester, responder, rport, sport) = if is_response {
        (net.dst, net.src, ports.1, ports.0)
    } else {
        (net.src, net.dst, ports.0, ports.1)
    };
    let mut hash: u32 = 0x811c_9dc5;
    let mut eat = |b: u8| hash = (hash ^ u32::from(b)).wrapping_mul(0x0100_0193);
    rport.to_be_bytes().into_iter().for_each(&mut eat);
    sport.to_be_bytes().into_iter().for_each(&mut eat);
    id.to_be_bytes().into_iter().for_each(&mut eat);
    TransactionKey {
        tag: 0,
        proto: 161,
        requester,
        responder,
        id: (hash >> 16) as u16,
        seq: hash as u16,
    }
}

/// request-id, error-status/-index (or GetBulk's counts) and the bindings; answers
/// the request id.
fn fields(
    d: &mut Dissection<'_>,
    at: usize,
    msg: &[u8],
    pdu: Tlv,
    kind: u8,
    info: &mut String,
) -> Option<i64> {
    let mut pos = pdu.at;
    let mut ints = [0i64; 3];
    for (i, slot) in ints.iter_mut().enumerate() {
        let t = tlv(msg, pos, pdu.end()).filter(|t| t.tag == 0x02)?;
        let v = msg.get(t.at..t.end()).and_then(integer)?;
        *slot = v;
        let (s, l) = (at + t.at, t.len);
        match (i, kind) {
            (0, _) => d.add(REQUEST_ID, s, l, Value::Int(v)),
            (1, 5) => d.add(NON_REPEATERS, s, l, Value::UInt(v as u64)),
            (2, 5) => d.add(MAX_REPETITIONS, s, l, Value::UInt(v as u64)),
            (1, _) => {
                let name = ERRORS.iter().find(|(n, _)| *n as i64 == v).map(|(_, s)| *s);
                d.add_labeled(ERROR_STATUS, s, l, Value::Int(v), || {
                    format!("error-status: {} ({v})", name.unwrap_or("Unknown"))
                })
            }
            _ => d.add(ERROR_INDEX, s, l, Value::Int(v)),
        };
        pos = t.end();
    }
    let list = tlv(msg, pos, pdu.end()).filter(|t| t.tag == 0x30)?;
    let mut binds = Vec::new();
    let mut p = list.at;
    while p < list.end() {
        let Some(b) = tlv(msg, p, list.end()) else {
            break;
        };
        binds.push(b);
        p = b.end();
    }
    let count = binds.len();
    let node = d.add_labeled(
        VARIABLE_BINDINGS,
        at + list.at,
        list.len,
        Value::UInt(count as u64),
        || {
            format!(
                "variable-bindings: {count} item{}",
                if count == 1 { "" } else { "s" }
            )
        },
    );
    d.begin(node);
    for b in binds {
        if let Some(oid) = varbind(d, at, msg, b) {
            info.push(' ');
            info.push_str(&oid);
        }
    }
    d.end();
    Some(ints[0])
}

/// One `name value` pair; answers the object name.
fn varbind(d: &mut Dissection<'_>, at: usize, msg: &[u8], b: Tlv) -> Option<String> {
    let name = tlv(msg, b.at, b.end()).filter(|t| t.tag == 0x06)?;
    let oid = oid_text(msg.get(name.at..name.end())?)?;
    let value = tlv(msg, name.end(), b.end());
    let bytes = value.and_then(|v| msg.get(v.at..v.end())).unwrap_or(&[]);
    let shown = value.map_or(String::new(), |v| value_text(v.tag, bytes));
    let node = d.text(at + b.at, b.len, || format!("{oid}: {shown}"));
    d.begin(node);
    let resolved = oid_resolved(&oid);
    d.add_labeled(
        NAME,
        at + name.at,
        name.len,
        Value::owned_str(oid.as_bytes()),
        || format!("Object Name: {oid} ({resolved})"),
    );
    if let Some(v) = value {
        value_item(d, at + v.at, v, bytes, &oid);
    }
    d.end();
    Some(oid)
}

/// The value as the binding's one-line text shows it.
fn value_text(tag: u8, bytes: &[u8]) -> String {
    match tag {
        0x02 => integer(bytes).map_or_else(String::new, |v| v.to_string()),
        0x04 if printable(bytes) => format!("\"{}\"", String::from_utf8_lossy(bytes)),
        0x04 | 0x44 => super::value::hex_text(bytes, None),
        0x05 => "Value (Null)".to_string(),
        0x06 => oid_text(bytes).map_or_else(String::new, |o| {
            let r = oid_resolved(&o);
            format!("{o} ({r})")
        }),
        0x40 if bytes.len() == 4 => bytes
            .iter()
            .map(u8::to_string)
            .collect::<Vec<_>>()
            .join("."),
        0x41..=0x43 | 0x46 => unsigned(bytes).map_or_else(String::new, |v| v.to_string()),
        0x80 => "noSuchObject".to_string(),
        0x81 => "noSuchInstance".to_string(),
        0x82 => "endOfMibView".to_string(),
        _ => super::value::hex_text(bytes, None),
    }
}

/// The typed value item.
fn value_item(d: &mut Dissection<'_>, at: usize, v: Tlv, bytes: &[u8], oid: &str) {
    let len = v.len;
    let owned = || Value::Bytes(Cow::Owned(bytes.to_vec()));
    match v.tag {
        0x02 => {
            if let Some(i) = integer(bytes) {
                d.add(VALUE_INT, at, len, Value::Int(i));
            }
        }
        0x04 => {
            let text = value_text(0x04, bytes);
            let node = d.add_labeled(VALUE_OCTETS, at, len, owned(), || {
                format!("Value (OctetString): {text}")
            });
            if STRING_OIDS.contains(&oid) {
                // tshark hands these to a string dissector, one more `snmp` layer.
                d.push_layer("snmp");
                d.begin(node);
                d.add(VAR_BIND_STR, at, len, Value::owned_str(bytes));
                d.end();
            }
        }
        0x05 => {
            d.add(VALUE_NULL, at, len, Value::None);
        }
        0x06 => {
            if let Some(o) = oid_text(bytes) {
                let r = oid_resolved(&o);
                d.add_labeled(VALUE_OID, at, len, Value::owned_str(o.as_bytes()), || {
                    format!("Value (OID): {o} ({r})")
                });
            }
        }
        0x40 if bytes.len() == 4 => {
            let ip = [0, 1, 2, 3].map(|i| bytes.get(i).copied().unwrap_or(0));
            d.add(VALUE_IPV4, at, len, Value::Ipv4(ip));
        }
        0x41 | 0x46 => {
            let label = if v.tag == 0x41 {
                "Counter32"
            } else {
                "Counter64"
            };
            if let Some(n) = unsigned(bytes) {
                d.add_labeled(VALUE_COUNTER, at, len, Value::UInt(n), || {
                    format!("Value ({label}): {n}")
                });
            }
        }
        0x42 => {
            if let Some(n) = unsigned(bytes) {
                d.add(VALUE_G32, at, len, Value::Int(n as i64));
            }
        }
        0x43 => {
            if let Some(n) = unsigned(bytes) {
                d.add(VALUE_TIMETICKS, at, len, Value::UInt(n));
            }
        }
        0x44 => {
            d.add(VALUE_OPAQUE, at, len, owned());
        }
        0x80..=0x82 => {
            let (field, name) = match v.tag {
                0x80 => (NO_SUCH_OBJECT, "noSuchObject"),
                0x81 => (NO_SUCH_INSTANCE, "noSuchInstance"),
                _ => (END_OF_MIB_VIEW, "endOfMibView"),
            };
            let node = d.add(field, at, len, Value::None);
            d.expert(
                node,
                Expert {
                    severity: Severity::Note,
                    group: "Response",
                    protocol: "SNMP",
                    message: Cow::Borrowed(name),
                },
            );
        }
        _ => {
            d.add(VALUE_UNKNOWN, at, len, owned());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{integer, oid_text, tlv, unsigned};
    use crate::dissect::ftp_data::tests::loaded_frame;
    use crate::dissect::testing::{field, with_frame, with_truncated};

    /// snmp_session.pcap frame 1: a v1 get-request for two objects.
    #[test]
    fn get_request() {
        with_frame("snmp_session.pcap", 1, |d| {
            assert_eq!(d.columns.protocol, "SNMP");
            assert_eq!(
                d.columns.info,
                "get-request 1.3.6.1.2.1.1.1.0 1.3.6.1.2.1.1.5.0"
            );
            assert_eq!(field(d, "snmp.community"), "public");
            assert_eq!(field(d, "snmp.request_id"), "1234");
            assert_eq!(field(d, "snmp.name"), "1.3.6.1.2.1.1.1.0,1.3.6.1.2.1.1.5.0");
        });
        // Cut inside the bindings: the message no longer parses as a whole.
        with_truncated("snmp_session.pcap", 1, 80, |d| {
            assert_eq!(field(d, "snmp.community"), "public");
            assert_eq!(field(d, "snmp.name"), "");
        });
    }

    /// snmp_session.pcap frame 8: every value type of a GetBulk's response, linked to
    /// its request.
    #[test]
    fn typed_values_and_response_link() {
        loaded_frame("snmp_session.pcap", 8, |d| {
            assert_eq!(field(d, "snmp.value.timeticks"), "123456");
            assert_eq!(field(d, "snmp.value.int"), "1");
            assert_eq!(field(d, "snmp.value.ipv4"), "10.0.0.1");
            assert_eq!(field(d, "snmp.value.counter"), "4000000000,1099511627776");
            assert_eq!(field(d, "snmp.response_to"), "7");
        });
    }

    #[test]
    fn ber_pieces() {
        assert_eq!(integer(&[0x04, 0xd2]), Some(1234));
        assert_eq!(integer(&[0xff]), Some(-1));
        assert_eq!(integer(&[]), None);
        assert_eq!(
            unsigned(&[0x00, 0xee, 0x6b, 0x28, 0x00]),
            Some(4_000_000_000)
        );
        assert_eq!(
            oid_text(&[0x2b, 6, 1, 2, 1]).as_deref(),
            Some("1.3.6.1.2.1")
        );
        assert_eq!(oid_text(&[0x2b, 0x86]), None);
        assert_eq!(oid_text(&[0xff; 12]), None);
        // A length past the datagram, a five-byte length.
        assert_eq!(tlv(&[0x30, 0x05, 0x00], 0, 3), None);
        assert_eq!(tlv(&[0x30, 0x85, 0, 0, 0, 0, 1], 0, 7), None);
        assert_eq!(tlv(&[0x30, 0x81, 0x01, 0x00], 0, 4).map(|t| t.at), Some(3));
    }
}
