//! NetBIOS Session Service (RFC 1002 section 4.3, TCP 139; the same framing with a
//! 24-bit length on TCP 445): session requests and responses, keep-alives, and the
//! session messages that carry SMB, with tshark 4.0's sanity checks that call a
//! segment that does not start with a plausible header a continuation.

use super::context::PacketContext;
use super::field::kinds::*;
use super::ipv4::NetInfo;
use super::nbns::{name_type_text, read_name};
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;

const SESSION_MESSAGE: u8 = 0x00;
const SESSION_REQUEST: u8 = 0x81;
const POSITIVE_RESPONSE: u8 = 0x82;
const NEGATIVE_RESPONSE: u8 = 0x83;
const RETARGET_RESPONSE: u8 = 0x84;
const KEEP_ALIVE: u8 = 0x85;

#[rustfmt::skip]
const MESSAGE_TYPES: &[(u64, &str)] = &[
    (0x00, "Session message"), (0x81, "Session request"), (0x82, "Positive session response"),
    (0x83, "Negative session response"), (0x84, "Retarget session response"),
    (0x85, "Session keep-alive"),
];
#[rustfmt::skip]
const ERROR_CODES: &[(u64, &str)] = &[
    (0x80, "Not listening on called name"), (0x81, "Not listening for called name"),
    (0x82, "Called name not present"), (0x83, "Called name present, but insufficient resources"),
    (0x8f, "Unspecified error"),
];
const EXTEND: &[(u64, &str)] = &[(0, "Add 0 to length"), (1, "Add 65536 to length")];

crate::define_fields! { after super::multipart::END;
    NBSS = "nbss", "NetBIOS Session Service", PROTO;
    TYPE = "nbss.type", "Message Type", hex_named(8, MESSAGE_TYPES);
    FLAGS = "nbss.flags", "Flags", hex(8);
    FLAGS_E = "nbss.flags.e", "Extend", uint(8, super::field::Base::Dec, 0x01, Some(EXTEND));
    LENGTH = "nbss.length", "Length", dec(24);
    ERROR_CODE = "nbss.error_code", "Error code", hex_named(8, ERROR_CODES);
    RETARGET_IP = "nbss.retarget_ip_address", "Retarget IP address", IPV4;
    RETARGET_PORT = "nbss.retarget_port", "Retarget port", dec(16);
    CONTINUATION_DATA = "nbss.continuation_data", "Continuation data", BYTES;
    CALLED_NAME = "nbss.called_name", "Called name", STR;
    CALLING_NAME = "nbss.calling_name", "Calling name", STR;
}

/// At most this many messages are read from one segment (each takes 4 bytes at
/// least, so a segment of keep-alives is bounded anyway; this keeps trees small).
const MAX_MESSAGES: usize = 4096;

/// The header of the first message: type, flags and length, with `cifs` (a session
/// message carrying SMB or SMB2, whose length takes 24 bits) as tshark decides it.
fn header(b: &[u8], cifs: bool) -> Option<(u8, u8, u32)> {
    let kind = bytes::u8_at(b, 0)?;
    if cifs {
        return Some((kind, 0, bytes::be_u24(b, 1)?));
    }
    let flags = bytes::u8_at(b, 1)?;
    let len = u32::from(bytes::be_u16(b, 2)?) + if flags & 1 != 0 { 0x10000 } else { 0 };
    Some((kind, flags, len))
}

/// Whether the segment starts a session message holding SMB or SMB2 (`?SMB` after
/// the 4-byte header): tshark then reads the length as 24 bits.
fn is_cifs(b: &[u8]) -> bool {
    bytes::u8_at(b, 0) == Some(SESSION_MESSAGE) && b.get(5..8) == Some(b"SMB".as_slice())
}

/// Whether the first header is plausible (tshark's checks before it believes a
/// segment starts a message rather than continuing one).
fn plausible(b: &[u8], cifs: bool) -> bool {
    let Some((kind, flags, len)) = header(b, cifs).filter(|_| b.len() >= 4) else {
        return false;
    };
    if flags & !1 != 0 {
        return false;
    }
    match kind {
        SESSION_MESSAGE => len != 0,
        SESSION_REQUEST => (2..=256).contains(&len),
        POSITIVE_RESPONSE | KEEP_ALIVE => len == 0,
        NEGATIVE_RESPONSE => len == 1,
        RETARGET_RESPONSE => len == 6,
        _ => false,
    }
}

/// How long the first message of `bytes` is, header included (for TCP reassembly).
pub fn pdu_len(bytes: &[u8]) -> super::apps::PduLen {
    use super::apps::PduLen;
    match header(bytes, is_cifs(bytes)).filter(|_| bytes.len() >= 4) {
        // A header cut short: tshark asks for one more segment.
        None => PduLen::NeedMore(None),
        Some((_, _, len)) => {
            let whole = usize::try_from(len).unwrap_or(usize::MAX).saturating_add(4);
            if bytes.len() >= whole {
                PduLen::Complete(whole)
            } else {
                PduLen::NeedMore(Some(whole))
            }
        }
    }
}

/// Whether a segment's payload starts a message: tshark's checks (a whole header,
/// no unknown flag, a length that fits the type) before it reassembles anything;
/// otherwise the segment is a continuation of a message it never saw begin.
pub fn starts_message(payload: &[u8]) -> bool {
    plausible(payload, is_cifs(payload))
}

/// The Info NBSS leaves on the first segment of a message that continues: its type.
pub fn partial_info(bytes: &[u8]) -> Option<String> {
    let kind = bytes::u8_at(bytes, 0)?;
    let name = super::value::value_name(Some(MESSAGE_TYPES), u64::from(kind));
    Some(name.map_or_else(|| format!("Unknown ({kind:02x})"), str::to_string))
}

/// Dissects the NBSS messages of one TCP segment's payload at `at` of the frame.
/// `ports` are (source, destination).
pub fn dissect<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    net: &NetInfo,
    payload: &'a [u8],
    at: usize,
    ports: (u16, u16),
) {
    d.set_protocol("NBSS");
    d.set_info(String::new);
    let cifs = is_cifs(payload);
    if !plausible(payload, cifs) {
        d.set_info(|| "NBSS Continuation Message".into());
        let item = d.add(NBSS, at, payload.len(), Value::None);
        d.push_layer("nbss");
        d.begin(item);
        d.add(
            CONTINUATION_DATA,
            at,
            payload.len(),
            Value::Bytes(std::borrow::Cow::Borrowed(payload)),
        );
        d.end();
        return;
    }
    if let Some(kind) = bytes::u8_at(payload, 0) {
        let name = super::value::value_name(Some(MESSAGE_TYPES), u64::from(kind));
        let text = name.map_or_else(|| format!("Unknown ({kind:02x})"), str::to_string);
        d.set_info(|| text);
    }
    // One layer for the segment however many messages it holds (tshark's NBSS reads
    // them in one call; SMB is called for each).
    d.push_layer("nbss");
    let mut off = 0usize;
    for _ in 0..MAX_MESSAGES {
        let rest = bytes::tail(payload, off);
        // A header cut by the segment's end: tshark asks TCP for more; nothing is
        // shown of it here.
        let Some((kind, flags, len)) = header(rest, cifs).filter(|_| rest.len() >= 4) else {
            break;
        };
        let whole = usize::try_from(len).unwrap_or(usize::MAX).saturating_add(4);
        let msg = rest.get(..whole.min(rest.len())).unwrap_or(rest);
        message(d, ctx, net, msg, at + off, (kind, flags, len, cifs), ports);
        off = off.saturating_add(whole);
        if off >= payload.len() {
            break;
        }
    }
}

/// One message (cut at the segment's end when it continues past it).
#[allow(clippy::too_many_arguments)]
fn message<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    net: &NetInfo,
    msg: &'a [u8],
    at: usize,
    (kind, flags, len, cifs): (u8, u8, u32, bool),
    ports: (u16, u16),
) {
    let item = d.add(NBSS, at, msg.len(), Value::None);
    d.begin(item);
    d.add(TYPE, at, 1, Value::UInt(u64::from(kind)));
    if !cifs {
        let f = d.add(FLAGS, at + 1, 1, Value::UInt(u64::from(flags)));
        d.begin(f);
        d.add(FLAGS_E, at + 1, 1, Value::UInt(u64::from(flags & 1)));
        d.end();
    }
    let len_at = if cifs { at + 1 } else { at + 2 };
    let len_size = if cifs { 3 } else { 2 };
    d.add(LENGTH, len_at, len_size, Value::UInt(u64::from(len)));
    match kind {
        SESSION_REQUEST => {
            let mut pos = 4usize;
            let mut info = String::new();
            for (field, title, word) in [
                (CALLED_NAME, "Called name", ", to "),
                (CALLING_NAME, "Calling name", "from "),
            ] {
                let Some((name, t, after)) = read_name(msg, pos) else {
                    break;
                };
                let label = format!("{title}: {name} ({})", name_type_text(t));
                d.add_labeled(
                    field,
                    at + pos,
                    after.saturating_sub(pos),
                    Value::owned_str(name.as_bytes()),
                    || label,
                );
                // tshark's ", to NAME " then "from NAME".
                info.push_str(word);
                info.push_str(&name);
                if field == CALLED_NAME {
                    info.push(' ');
                }
                pos = after;
            }
            d.append_info(&info);
        }
        NEGATIVE_RESPONSE => {
            if let Some(code) = bytes::u8_at(msg, 4) {
                d.add(ERROR_CODE, at + 4, 1, Value::UInt(u64::from(code)));
                let name = super::value::value_name(Some(ERROR_CODES), u64::from(code));
                let text = name.map_or_else(|| format!("Unknown ({code:x})"), str::to_string);
                d.append_info(&format!(", {text}"));
            }
        }
        RETARGET_RESPONSE => {
            if let Some(ip) = bytes::array::<4>(msg, 4) {
                d.add(RETARGET_IP, at + 4, 4, Value::Ipv4(ip));
            }
            if let Some(port) = bytes::be_u16(msg, 8) {
                d.add(RETARGET_PORT, at + 8, 2, Value::UInt(u64::from(port)));
            }
        }
        _ => {}
    }
    if kind != SESSION_MESSAGE {
        d.end();
        return;
    }
    d.set_len(item, 4.min(msg.len()));
    d.end();
    let body = bytes::tail(msg, 4);
    if body.get(..4) == Some(b"\xffSMB".as_slice()) {
        super::smb::dissect(d, ctx, net, body, at + 4, ports);
    } else if body.get(..4) == Some(b"\xfeSMB".as_slice()) {
        super::smb2::dissect(d, ctx, net, body, at + 4, ports);
    } else {
        super::data::dissect_bytes(d, body, at + 4);
    }
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_frame, with_patched, with_truncated};

    /// nbss_smb_lab.pcap frames 3 (session request) and 4 (positive response).
    #[test]
    fn session_request_and_response() {
        with_frame("nbss_smb_lab.pcap", 3, |d| {
            assert_eq!(d.columns.protocol, "NBSS");
            assert_eq!(
                d.columns.info,
                "Session request, to NOHO<20> from JULIE-ZJE0QSXPY<00>"
            );
            assert_eq!(field(d, "nbss.type"), "0x81");
            assert_eq!(field(d, "nbss.length"), "68");
            assert_eq!(field(d, "nbss.called_name"), "NOHO<20>");
            assert_eq!(field(d, "nbss.calling_name"), "JULIE-ZJE0QSXPY<00>");
        });
        with_frame("nbss_smb_lab.pcap", 4, |d| {
            assert_eq!(d.columns.info, "Positive session response");
            assert_eq!(field(d, "nbss.type"), "0x82");
        });
    }

    /// A session request cut inside its second name keeps the first.
    #[test]
    fn truncated() {
        with_truncated("nbss_smb_lab.pcap", 3, 54 + 4 + 20, |d| {
            assert_eq!(d.columns.protocol, "NBSS");
        });
    }

    /// A positive response claiming a length is not believed: a continuation.
    #[test]
    fn impossible_length() {
        with_patched(
            "nbss_smb_lab.pcap",
            4,
            |b| {
                if let Some(x) = b.get_mut(57) {
                    *x = 9;
                }
            },
            |d| {
                assert_eq!(d.columns.info, "NBSS Continuation Message");
            },
        );
    }
}
