//! SIP (RFC 3261, UDP 5060): the request or status line, the headers tshark names
//! (compact forms included), and the body: SDP goes to `sdp.rs`, which announces the
//! media streams. Info as tshark 4.0 writes it: `Request: METHOD URI | ` or
//! `Status: CODE REASON | `, a 2xx adding its CSeq method (`(INVITE)`), REGISTER its
//! bindings (`  (1 binding)`).

use super::context::{PacketContext, TransactionKey};
use super::field::kinds::*;
use super::ipv4::NetInfo;
use super::sdp;
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;

crate::define_fields! { after super::sdp::END;
    SIP = "sip", "Session Initiation Protocol", PROTO;
    REQUEST_LINE = "sip.Request-Line", "Request-Line", STR;
    METHOD = "sip.Method", "Method", STR;
    R_URI = "sip.r-uri", "Request-URI", STR;
    STATUS_LINE = "sip.Status-Line", "Status-Line", STR;
    STATUS_CODE = "sip.Status-Code", "Status-Code", dec(32);
    MSG_HDR = "sip.msg_hdr", "Message Header", STR;
    VIA = "sip.Via", "Via", STR;
    FROM = "sip.From", "From", STR;
    TO = "sip.To", "To", STR;
    CALL_ID = "sip.Call-ID", "Call-ID", STR;
    CSEQ = "sip.CSeq", "CSeq", STR;
    CSEQ_SEQ = "sip.CSeq.seq", "Sequence Number", dec(32);
    CSEQ_METHOD = "sip.CSeq.method", "Method", STR;
    CONTACT = "sip.Contact", "Contact", STR;
    MAX_FORWARDS = "sip.Max-Forwards", "Max-Forwards", dec(32);
    EXPIRES = "sip.Expires", "Expires", dec(32);
    USER_AGENT = "sip.User-Agent", "User-Agent", STR;
    SERVER = "sip.Server", "Server", STR;
    ALLOW = "sip.Allow", "Allow", STR;
    CONTENT_TYPE = "sip.Content-Type", "Content-Type", STR;
    CONTENT_LENGTH = "sip.Content-Length", "Content-Length", dec(32);
    AUTHORIZATION = "sip.Authorization", "Authorization", STR;
    WWW_AUTHENTICATE = "sip.WWW-Authenticate", "WWW-Authenticate", STR;
    MSG_BODY = "sip.msg_body", "Message Body", NONE;
    CONTINUATION = "sip.continuation", "Continuation data", BYTES;
}

/// UDP port registered for SIP.
pub const PORT: u16 = 5060;

/// Header lines read at most per message.
const MAX_LINES: usize = 256;

/// Methods tshark knows ("Request"; any other is an "Unknown request").
const METHODS: &[&[u8]] = &[
    b"INVITE",
    b"ACK",
    b"OPTIONS",
    b"BYE",
    b"CANCEL",
    b"REGISTER",
    b"PRACK",
    b"SUBSCRIBE",
    b"NOTIFY",
    b"PUBLISH",
    b"INFO",
    b"REFER",
    b"MESSAGE",
    b"UPDATE",
];

/// The first line's kind.
enum Start<'m> {
    Request { method: &'m [u8], uri: &'m [u8] },
    Status { code: u32, text: &'m [u8] },
}

fn parse_start(line: &[u8]) -> Option<Start<'_>> {
    if let Some(rest) = line.strip_prefix(b"SIP/2.0 ") {
        let code = rest.get(..3)?;
        if !code.iter().all(u8::is_ascii_digit) || rest.get(3).is_some_and(|&b| b != b' ') {
            return None;
        }
        let code = std::str::from_utf8(code).ok()?.parse().ok()?;
        return Some(Start::Status { code, text: rest });
    }
    let body = line.strip_suffix(b" SIP/2.0")?;
    let sp = body.iter().position(|&b| b == b' ')?;
    let method = body.get(..sp)?;
    let uri = body.get(sp + 1..)?;
    if method.is_empty() || uri.is_empty() || !method.iter().all(|b| b.is_ascii_graphic()) {
        return None;
    }
    Some(Start::Request { method, uri })
}

/// Whether a datagram starts like SIP (a request or status line).
pub fn looks_like_sip(msg: &[u8]) -> bool {
    let end = msg.iter().position(|&b| b == b'\n').unwrap_or(msg.len());
    let line = msg.get(..end).unwrap_or(msg);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    parse_start(line).is_some()
}

/// The full name of a compact header form (RFC 3261 section 7.3.3 and extensions).
fn long_name(name: &[u8]) -> Vec<u8> {
    let lower = name.to_ascii_lowercase();
    let full: &[u8] = match lower.as_slice() {
        b"i" => b"call-id",
        b"m" => b"contact",
        b"e" => b"content-encoding",
        b"l" => b"content-length",
        b"c" => b"content-type",
        b"f" => b"from",
        b"s" => b"subject",
        b"k" => b"supported",
        b"t" => b"to",
        b"v" => b"via",
        _ => return lower,
    };
    full.to_vec()
}

/// Counts a Contact header's entries and those with `expires=0`, as tshark's
/// binding count does: commas outside quotes and angle brackets separate them.
fn count_contacts(value: &[u8], expires_0: &mut u32) -> u32 {
    let mut count = 0u32;
    let mut quoted = false;
    let mut angle = false;
    let mut start = 0usize;
    let mut entries = Vec::new();
    for (i, &b) in value.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'<' if !quoted => angle = true,
            b'>' if !quoted => angle = false,
            b',' if !quoted && !angle => {
                entries.push(value.get(start..i).unwrap_or(&[]));
                start = i + 1;
            }
            _ => {}
        }
    }
    entries.push(bytes::tail(value, start));
    for e in entries {
        if e.trim_ascii().is_empty() {
            continue;
        }
        count += 1;
        let lower = e.to_ascii_lowercase();
        if let Some(at) = lower.windows(8).position(|w| w == b"expires=") {
            let v = bytes::tail(&lower, at + 8);
            let digits: Vec<u8> = v
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .copied()
                .collect();
            if digits == b"0" {
                *expires_0 += 1;
            }
        }
    }
    count
}

/// The key that pairs a response with its request: the address pair (either way
/// round) and a hash of the Call-ID and the CSeq (number and method). tshark leaves
/// the addresses out; keeping them keeps the transaction in the address pair's
/// partition of a parallel load, at the cost of a response a NAT rewrote.
fn transaction(net: &NetInfo, call_id: &[u8], cseq: u32, method: &[u8]) -> TransactionKey {
    let mut hash: u32 = 0x811c_9dc5;
    let mut eat = |b: u8| hash = (hash ^ u32::from(b)).wrapping_mul(0x0100_0193);
    call_id.iter().copied().for_each(&mut eat);
    cseq.to_be_bytes().into_iter().for_each(&mut eat);
    method.iter().copied().for_each(&mut eat);
    TransactionKey {
        tag: 0,
        proto: TRANSACTION_PROTO,
        requester: net.src.min(net.dst),
        responder: net.src.max(net.dst),
        id: (hash >> 16) as u16,
        seq: hash as u16,
    }
}

/// [`TransactionKey::proto`] of SIP's transactions (no IP protocol or port fits a u8).
const TRANSACTION_PROTO: u8 = 0xc5;

fn bindings(n: u32) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Dissects a segment of a TCP connection on SIP's port: a message, or text that is
/// not one, which tshark's SIP shows as `Continuation`.
pub fn dissect_tcp<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    net: &NetInfo,
    offset: usize,
    msg: &'a [u8],
) {
    if dissect(d, ctx, net, offset, msg) {
        return;
    }
    d.open_protocol(SIP, (offset, msg.len()), "sip", "SIP");
    d.add(CONTINUATION, offset, msg.len(), Value::Bytes(msg.into()));
    d.end();
    d.set_info(|| "Continuation".to_string());
}

/// Dissects a SIP message in a UDP datagram at `offset`; false when it does not
/// start like one.
pub fn dissect<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    net: &NetInfo,
    offset: usize,
    msg: &'a [u8],
) -> bool {
    let first_end = msg.iter().position(|&b| b == b'\n').unwrap_or(msg.len());
    let first = msg.get(..first_end).unwrap_or(msg);
    let first = first.strip_suffix(b"\r").unwrap_or(first);
    let Some(start) = parse_start(first) else {
        return false;
    };
    d.open_protocol(SIP, (offset, msg.len()), "sip", "SIP");
    let mut info = match &start {
        Start::Request { method, uri } => {
            let line = d.add(REQUEST_LINE, offset, first.len(), Value::owned_str(first));
            d.begin(line);
            d.add(METHOD, offset, method.len(), Value::owned_str(method));
            d.add(
                R_URI,
                offset + method.len() + 1,
                uri.len(),
                Value::owned_str(uri),
            );
            d.end();
            let known = METHODS.contains(method);
            let descr = if known { "Request" } else { "Unknown request" };
            format!(
                "{descr}: {} {}",
                String::from_utf8_lossy(method),
                String::from_utf8_lossy(uri)
            )
        }
        Start::Status { code, text } => {
            let line = d.add(STATUS_LINE, offset, first.len(), Value::owned_str(first));
            d.begin(line);
            d.add(STATUS_CODE, offset + 8, 3, Value::UInt(u64::from(*code)));
            d.end();
            format!("Status: {}", String::from_utf8_lossy(text))
        }
    };
    let mut pos = (first_end + 1).min(msg.len());
    // The header block runs through its blank line (or to the end of the message);
    let headers = bytes::tail(msg, pos);
    let hdr_len = headers
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(headers.len(), |i| i + 4);
    let hdr_block = headers.get(..hdr_len).unwrap_or(headers);
    // Its value is the rest of the message, body included, as tshark's.
    let hdr_item = d.add(
        MSG_HDR,
        offset + pos,
        hdr_block.len(),
        Value::owned_str(headers),
    );
    d.begin(hdr_item);
    let mut cseq_method: Vec<u8> = Vec::new();
    let mut cseq_number: Option<u32> = None;
    let mut call_id: &[u8] = &[];
    let mut content_type: Option<Vec<u8>> = None;
    let mut content_length: Option<usize> = None;
    let mut contacts = 0u32;
    let mut contact_star = false;
    let mut expires_0 = 0u32;
    let mut expires_header_0 = false;
    let mut to_tag = false;
    let mut body_at = msg.len();
    for _ in 0..MAX_LINES {
        let rest = bytes::tail(msg, pos);
        if rest.is_empty() {
            break;
        }
        let mut len = rest
            .iter()
            .position(|&b| b == b'\n')
            .map_or(rest.len(), |i| i + 1);
        // Folded lines (a continuation starts with white space) belong to the header.
        while matches!(rest.get(len), Some(b' ' | b'\t')) {
            let more = bytes::tail(rest, len);
            len += more
                .iter()
                .position(|&b| b == b'\n')
                .map_or(more.len(), |i| i + 1);
        }
        let raw = rest.get(..len).unwrap_or(rest);
        let at = offset + pos;
        pos += len;
        let line = super::lines::trim_eol(raw);
        if line.is_empty() {
            body_at = pos;
            break;
        }
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            d.text(at, raw.len(), || super::value::string_label_text(line));
            continue;
        };
        let name = long_name(line.get(..colon).unwrap_or(&[]).trim_ascii());
        let value = line.get(colon + 1..).unwrap_or(&[]).trim_ascii();
        let number = || {
            std::str::from_utf8(value)
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok())
        };
        let label = || super::value::string_label_text(line);
        let field = match name.as_slice() {
            b"via" => Some(VIA),
            b"from" => Some(FROM),
            b"to" => {
                to_tag = value.windows(4).any(|w| w.eq_ignore_ascii_case(b"tag="));
                Some(TO)
            }
            b"call-id" => {
                call_id = value;
                Some(CALL_ID)
            }
            b"contact" => {
                if value.first() == Some(&b'*') {
                    contact_star = true;
                } else {
                    contacts = contacts.saturating_add(count_contacts(value, &mut expires_0));
                }
                Some(CONTACT)
            }
            b"user-agent" => Some(USER_AGENT),
            b"server" => Some(SERVER),
            b"allow" => Some(ALLOW),
            b"authorization" => Some(AUTHORIZATION),
            b"www-authenticate" => Some(WWW_AUTHENTICATE),
            b"content-type" => {
                let media = value.split(|&b| b == b';').next().unwrap_or(&[]);
                content_type = Some(media.trim_ascii().to_ascii_lowercase());
                Some(CONTENT_TYPE)
            }
            b"cseq" => {
                let digits = value.iter().take_while(|b| b.is_ascii_digit()).count();
                let method = bytes::tail(value, digits).trim_ascii();
                cseq_method = method.to_vec();
                let cseq = d.add_labeled(CSEQ, at, raw.len(), Value::owned_str(value), label);
                d.begin(cseq);
                if let Some(n) = std::str::from_utf8(value.get(..digits).unwrap_or(&[]))
                    .ok()
                    .and_then(|v| v.parse::<u32>().ok())
                {
                    cseq_number = Some(n);
                    d.add(CSEQ_SEQ, at, raw.len(), Value::UInt(u64::from(n)));
                }
                d.add(CSEQ_METHOD, at, raw.len(), Value::owned_str(method));
                d.end();
                None
            }
            b"content-length" => {
                content_length = number().and_then(|n| usize::try_from(n).ok());
                if let Some(n) = number() {
                    d.add_labeled(CONTENT_LENGTH, at, raw.len(), Value::UInt(n), label);
                }
                None
            }
            b"max-forwards" | b"expires" => {
                let f = if name == b"expires" {
                    expires_header_0 = value == b"0";
                    EXPIRES
                } else {
                    MAX_FORWARDS
                };
                if let Some(n) = number() {
                    d.add_labeled(f, at, raw.len(), Value::UInt(n), label);
                }
                None
            }
            _ => {
                d.text(at, raw.len(), label);
                None
            }
        };
        if let Some(f) = field {
            d.add_labeled(f, at, raw.len(), Value::owned_str(value), label);
        }
    }
    d.end();
    let status_code = match start {
        Start::Status { code, .. } => Some(code),
        Start::Request { .. } => None,
    };
    let is_2xx = status_code.is_some_and(|c| (200..300).contains(&c));
    if is_2xx && !cseq_method.is_empty() {
        info.push_str(&format!(" ({})", String::from_utf8_lossy(&cseq_method)));
    }
    if let Start::Request { method, .. } = start {
        if matches!(method, b"INVITE" | b"SUBSCRIBE" | b"REFER") && to_tag {
            info.push_str(", in-dialog");
        }
        if method == b"REGISTER" {
            if expires_header_0 {
                // Every contact without its own expiry is removed too.
                expires_0 = contacts;
            }
            if contact_star && expires_header_0 {
                info.push_str("  (remove all bindings)");
            } else if expires_0 > 0 {
                info.push_str(&format!(
                    "  (remove {expires_0} binding{})",
                    bindings(expires_0)
                ));
                if contacts > expires_0 {
                    let add = contacts - expires_0;
                    info.push_str(&format!(" (add {add} binding{})", bindings(add)));
                }
            } else if contacts == 0 {
                info.push_str("  (fetch bindings)");
            } else {
                info.push_str(&format!("  ({contacts} binding{})", bindings(contacts)));
            }
        }
    } else if is_2xx && cseq_method == b"REGISTER" {
        if expires_0 > 0 {
            info.push_str(&format!(
                "  (removed {expires_0} binding{})",
                bindings(expires_0)
            ));
            if contacts > expires_0 {
                let kept = contacts - expires_0;
                info.push_str(&format!(" ({kept} binding{} kept)", bindings(kept)));
            }
        } else {
            info.push_str(&format!("  ({contacts} binding{})", bindings(contacts)));
        }
    }
    info.push_str(" | ");
    // A response's request: the last one with its Call-ID and CSeq.
    let request = match (ctx.analysis, cseq_number) {
        (Some(a), Some(n)) if !call_id.is_empty() => {
            let key = transaction(net, call_id, n, &cseq_method);
            a.request_link(ctx.number, &key, ctx.record.ts_nanos, status_code.is_some())
                .map(|(frame, _)| frame)
        }
        _ => None,
    };
    // The body: what Content-Length says, at most what the datagram holds.
    let body = bytes::tail(msg, body_at);
    let body = match content_length {
        Some(n) => body.get(..n.min(body.len())).unwrap_or(body),
        None => body,
    };
    if !body.is_empty() {
        let body_item = d.add(MSG_BODY, offset + body_at, body.len(), Value::None);
        if content_type.as_deref() == Some(b"application/sdp") {
            d.begin(body_item);
            // An answer refusing the offer (4xx and up) sets no media up; one that
            // accepts it sets its media up as of the offer's frame.
            let setup = match status_code {
                None => Some(ctx.number),
                Some(c) if c < 400 => Some(request.unwrap_or(ctx.number)),
                Some(_) => None,
            };
            sdp::dissect(d, ctx, (net.src, net.dst), offset + body_at, body, setup);
            d.end();
            d.set_protocol("SIP/SDP");
        }
    }
    d.end();
    d.set_info(move || info);
    true
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing)]
    use crate::dissect::testing::{field, with_frame, with_patched, with_truncated};

    const CALL: &str = "sip_call.pcap";

    /// sip_call.pcap frame 7: an INVITE carrying the caller's SDP offer.
    #[test]
    fn invite_with_sdp() {
        with_frame(CALL, 7, |d| {
            assert_eq!(d.columns.protocol, "SIP/SDP");
            assert_eq!(d.columns.info, "Request: INVITE sip:bob@10.0.0.9 | ");
            assert_eq!(field(d, "sip.Method"), "INVITE");
            assert_eq!(field(d, "sip.r-uri"), "sip:bob@10.0.0.9");
            assert_eq!(field(d, "sip.Call-ID"), "call-1@10.0.0.5");
            assert_eq!(field(d, "sip.CSeq.method"), "INVITE");
            assert_eq!(field(d, "sdp.connection_info.address"), "10.0.0.5");
            assert_eq!(field(d, "sdp.media.port"), "8000");
            assert_eq!(field(d, "sdp.mime.type"), "PCMU,telephone-event,speex");
        });
    }

    /// Frames 2, 4 and 6: a 2xx names its CSeq method, REGISTER's its binding.
    #[test]
    fn status_lines() {
        with_frame(CALL, 2, |d| {
            assert_eq!(d.columns.info, "Status: 200 OK (OPTIONS) | ");
            assert_eq!(field(d, "sip.Status-Code"), "200");
        });
        with_frame(CALL, 3, |d| {
            assert_eq!(
                d.columns.info,
                "Request: REGISTER sip:10.0.0.9  (1 binding) | "
            );
        });
        with_frame(CALL, 4, |d| {
            assert_eq!(d.columns.info, "Status: 401 Unauthorized | ")
        });
        with_frame(CALL, 6, |d| {
            assert_eq!(d.columns.info, "Status: 200 OK (REGISTER)  (1 binding) | ");
        });
    }

    /// Every cut of the INVITE dissects without a panic.
    #[test]
    fn truncated_invite() {
        for len in [14, 34, 42, 50, 120, 300, 480] {
            with_truncated(CALL, 7, len, |d| {
                assert!(!d.columns.protocol.is_empty());
            });
        }
    }

    /// A Content-Length past the datagram: the body is what was sent.
    #[test]
    fn content_length_past_the_datagram() {
        with_patched(
            CALL,
            7,
            |bytes| {
                let text = b"Content-Length: 2";
                if let Some(at) = bytes.windows(text.len()).position(|w| w == text) {
                    bytes[at + 16] = b'9';
                }
            },
            |d| {
                assert_eq!(d.columns.protocol, "SIP/SDP");
                assert_eq!(field(d, "sdp.media.port"), "8000");
            },
        );
    }

    #[test]
    fn start_lines() {
        assert!(super::looks_like_sip(b"OPTIONS sip:100@h SIP/2.0\r\n"));
        assert!(super::looks_like_sip(b"SIP/2.0 404 Not found\r\n"));
        assert!(!super::looks_like_sip(b"OPTIONS * RTSP/1.0\r\n"));
        assert!(!super::looks_like_sip(b"SIP/2.0 4x4 Bad\r\n"));
        assert!(!super::looks_like_sip(b""));
    }
}
