//! PPP over Ethernet (RFC 2516): the Discovery stage (EtherType 0x8863, PADI, PADO,
//! PADR, PADS, PADT and their tags) and the Session stage (0x8864), whose payload is
//! PPP.

use super::context::PacketContext;
use super::field::Base;
use super::field::kinds::*;
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;

#[rustfmt::skip]
const CODES: &[(u64, &str)] = &[
    (0x00, "Session Data"), (0x07, "Active Discovery Offer (PADO)"),
    (0x09, "Active Discovery Initiation (PADI)"), (0x0a, "Active Discovery Session-Grant (PADG)"),
    (0x0b, "Active Discovery Session-Credit Resp.(PADC)"), (0x0c, "Active Discovery Quality (PADQ)"),
    (0x19, "Active Discovery Request (PADR)"), (0x65, "Active Discovery Session-confirmation (PADS)"),
    (0xa7, "Active Discovery Terminate (PADT)"), (0xd3, "Active Discovery Message (PADM)"),
    (0xd4, "Active Discovery Network (PADN)"),
];

crate::define_fields! { after super::ppp::END;
    PPPOED = "pppoed", "PPP-over-Ethernet Discovery", PROTO;
    PPPOES = "pppoes", "PPP-over-Ethernet Session", PROTO;
    VERSION = "pppoe.version", "Version", uint(8, Base::Dec, 0xf0, None);
    TYPE = "pppoe.type", "Type", uint(8, Base::Dec, 0x0f, None);
    CODE = "pppoe.code", "Code", hex_named(8, CODES);
    SESSION_ID = "pppoe.session_id", "Session ID", hex(16);
    PAYLOAD_LENGTH = "pppoe.payload_length", "Payload Length", dec(16);
    TAGS = "pppoed.tags", "PPPoE Tags", NONE;
    TAG_UNKNOWN = "pppoed.tag.unknown_data", "Unknown Data", BYTES;
    SERVICE_NAME = "pppoed.tags.service_name", "Service-Name", STR;
    AC_NAME = "pppoed.tags.ac_name", "AC-Name", STR;
    HOST_UNIQ = "pppoed.tags.host_uniq", "Host-Uniq", BYTES;
    AC_COOKIE = "pppoed.tags.ac_cookie", "AC-Cookie", BYTES;
    RELAY_SESSION_ID = "pppoed.tags.relay_session_id", "Relay-Session-Id", BYTES;
    MAX_PAYLOAD = "pppoed.tags.max_payload", "PPP-Max-Payload", BYTES;
    SERVICE_NAME_ERROR = "pppoed.tags.service_name_error", "Service-Name-Error", STR;
    AC_SYSTEM_ERROR = "pppoed.tags.ac_system_error", "AC-System-Error", STR;
    GENERIC_ERROR = "pppoed.tags.generic_error", "Generic-Error", STR;
}

/// The fixed header: version/type, code, session id, payload length.
const HEADER: usize = 6;
/// Tags read at most in one Discovery packet.
const MAX_TAGS: usize = 64;

/// The header's fields; (code, payload length), or `None` when it is cut.
fn header(
    d: &mut Dissection<'_>,
    ctx: &PacketContext<'_>,
    data: &[u8],
    at: usize,
    proto: &'static str,
) -> Option<(u8, u16)> {
    let (Some(vt), Some(code), Some(session), Some(len)) = (
        bytes::u8_at(data, at),
        bytes::u8_at(data, at + 1),
        bytes::be_u16(data, at + 2),
        bytes::be_u16(data, at + 4),
    ) else {
        super::truncated(d, ctx, data, at, proto);
        return None;
    };
    d.add(VERSION, at, 1, Value::UInt(u64::from(vt >> 4)));
    d.add(TYPE, at, 1, Value::UInt(u64::from(vt & 0x0f)));
    d.add(CODE, at + 1, 1, Value::UInt(u64::from(code)));
    d.add(SESSION_ID, at + 2, 2, Value::UInt(u64::from(session)));
    d.add(PAYLOAD_LENGTH, at + 4, 2, Value::UInt(u64::from(len)));
    Some((code, len))
}

/// A Discovery packet at `at` (EtherType 0x8863); returns where it ends.
pub fn discovery<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    data: &'a [u8],
    at: usize,
) -> Option<usize> {
    d.push_layer("pppoed");
    d.set_protocol("PPPoED");
    let item = d.add(PPPOED, at, data.len().saturating_sub(at), Value::None);
    d.begin(item);
    if let Some(code) = bytes::u8_at(data, at + 1) {
        let name = super::value::value_name(Some(CODES), u64::from(code));
        d.set_info(|| name.map_or_else(|| format!("Unknown (0x{code:02x})"), str::to_string));
    }
    let Some((code, len)) = header(d, ctx, data, at, "PPPoED") else {
        d.end();
        return None;
    };
    let name = super::value::value_name(Some(CODES), u64::from(code));
    d.set_info(|| name.map_or_else(|| format!("Unknown (0x{code:02x})"), str::to_string));
    let start = at + HEADER;
    let end = start.saturating_add(usize::from(len)).min(data.len());
    d.set_len(item, end - at);
    if len > 0 && d.keeps_fields_of(PPPOED) {
        tags(d, start, data.get(start..end).unwrap_or_default());
    }
    d.end();
    Some(end)
}

/// RFC 2516 appendix A: each tag is a type, a length and its value.
fn tags<'a>(d: &mut Dissection<'a>, at: usize, body: &'a [u8]) {
    let list = d.add(TAGS, at, body.len(), Value::None);
    d.begin(list);
    let mut off = 0usize;
    for _ in 0..MAX_TAGS {
        let (Some(kind), Some(len)) = (bytes::be_u16(body, off), bytes::be_u16(body, off + 2))
        else {
            break;
        };
        let len = usize::from(len);
        let start = off + 4;
        let Some(value) = bytes::slice(body, start, len) else {
            break;
        };
        if len > 0 {
            let at = at + start;
            let (field, text) = match kind {
                0x0101 => (SERVICE_NAME, true),
                0x0102 => (AC_NAME, true),
                0x0103 => (HOST_UNIQ, false),
                0x0104 => (AC_COOKIE, false),
                0x0110 => (RELAY_SESSION_ID, false),
                0x0120 => (MAX_PAYLOAD, false),
                0x0201 => (SERVICE_NAME_ERROR, true),
                0x0202 => (AC_SYSTEM_ERROR, true),
                0x0203 => (GENERIC_ERROR, true),
                // TODO(lab5): Vendor-Specific (0x0105) and the RFC 5578 credit tags.
                _ => (TAG_UNKNOWN, false),
            };
            let value = if text {
                Value::Str(value.into())
            } else {
                Value::Bytes(value.into())
            };
            d.add(field, at, len, value);
        }
        // End-Of-List ends the tags (RFC 2516 appendix A).
        if kind == 0 {
            break;
        }
        off = start.saturating_add(len);
        if off >= body.len() {
            break;
        }
    }
    d.end();
}

/// A Session packet at `at` (EtherType 0x8864): the header, then PPP over the
/// payload length; returns where the payload ends.
pub fn session<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    data: &'a [u8],
    at: usize,
) -> Option<usize> {
    d.push_layer("pppoes");
    d.set_protocol("PPPoES");
    let item = d.add(
        PPPOES,
        at,
        HEADER.min(data.len().saturating_sub(at)),
        Value::None,
    );
    d.begin(item);
    if let Some(code) = bytes::u8_at(data, at + 1) {
        let name = super::value::value_name(Some(CODES), u64::from(code));
        d.set_info(|| name.map_or_else(|| format!("Unknown (0x{code:02x})"), str::to_string));
    }
    let Some((code, len)) = header(d, ctx, data, at, "PPPoES") else {
        d.end();
        return None;
    };
    d.end();
    let name = super::value::value_name(Some(CODES), u64::from(code));
    d.set_info(|| name.map_or_else(|| format!("Unknown (0x{code:02x})"), str::to_string));
    let start = at + HEADER;
    let end = start.saturating_add(usize::from(len)).min(data.len());
    // PPP sees the payload length's bytes, not the Ethernet padding after them.
    let inner = data.get(..end).unwrap_or(data);
    super::links::ppp_in_session(d, ctx, inner, start);
    Some(end)
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_frame, with_truncated};

    /// pppoe.pcap (tcpdump's tests) frame 1: a PADI with PPP-Max-Payload and
    /// Host-Uniq tags (and an empty Service-Name, which tshark does not show).
    #[test]
    fn padi() {
        with_frame("pppoe.pcap", 1, |d| {
            assert_eq!(d.columns.protocol, "PPPoED");
            assert_eq!(d.columns.info, "Active Discovery Initiation (PADI)");
            assert_eq!(field(d, "pppoe.code"), "0x09");
            assert_eq!(field(d, "pppoe.session_id"), "0x0000");
            assert_eq!(field(d, "pppoe.payload_length"), "18");
            assert_eq!(field(d, "pppoed.tags.max_payload"), "05dc");
            assert_eq!(field(d, "pppoed.tags.host_uniq"), "16372c16");
            assert_eq!(field(d, "pppoed.tags.service_name"), "");
        });
    }

    /// pppoes.pcap frame 1: an LCP Echo Request in a session.
    #[test]
    fn session_echo_request() {
        with_frame("pppoes.pcap", 1, |d| {
            assert_eq!(d.columns.protocol, "PPP LCP");
            assert_eq!(d.columns.info, "Echo Request");
            assert_eq!(field(d, "pppoe.session_id"), "0x0017");
            assert_eq!(field(d, "ppp.protocol"), "0xc021");
            assert_eq!(field(d, "ppp.identifier"), "106");
            assert_eq!(field(d, "lcp.magic_number"), "0xa4cbea34");
            assert_eq!(field(d, "lcp.data"), "0ee2f609");
            assert_eq!(d.layers_joined(), "eth:ethertype:pppoes:ppp:lcp");
        });
    }

    /// Cut inside the PPPoE header and inside LCP's: short, never a panic.
    #[test]
    fn truncated() {
        for len in [14, 17, 20, 22, 25] {
            with_truncated("pppoes.pcap", 1, len, |d| {
                assert!(d.has(crate::dissect::ws::SHORT), "{len}");
            });
        }
    }
}
