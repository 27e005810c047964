//! RTSP (RFC 2326, TCP 554), one message per segment: the request or reply line as
//! tshark's Info (`SETUP rtsp://host/x RTSP/1.0`, `Reply: RTSP/1.0 200 OK`, other
//! text `Continuation`), the headers it names and an SDP body (`RTSP/SDP`); and a
//! reply's `Transport` header with `client_port=a-b`, which opens RTP on the client's
//! port `a` and RTCP on `b` (tshark's RTSP conversation, its peer left open).
//! TODO(sip): messages split over segments (tshark reassembles them).

use super::context::{PacketContext, RtpAnnounce, RtpLink};
use super::field::kinds::*;
use super::ipv4::NetInfo;
use super::tree::Dissection;
use super::value::Value;
use std::sync::Arc;

crate::define_fields! { after super::rtcp::END;
    RTSP = "rtsp", "Real Time Streaming Protocol", PROTO;
    REQUEST = "rtsp.request", "Request", STR;
    RESPONSE = "rtsp.response", "Response", STR;
    METHOD = "rtsp.method", "Method", STR;
    URL = "rtsp.url", "URL", STR;
    STATUS = "rtsp.status", "Status", dec(32);
    CONTENT_TYPE = "rtsp.content-type", "Content-type", STR;
    CONTENT_LENGTH = "rtsp.content-length", "Content-length", dec(32);
    SESSION = "rtsp.session", "Session", STR;
    TRANSPORT = "rtsp.transport", "Transport", STR;
}

/// RTSP's methods (RFC 2326 section 10 and RFC 7826's PLAY_NOTIFY).
const METHODS: &[&[u8]] = &[
    b"DESCRIBE",
    b"ANNOUNCE",
    b"GET_PARAMETER",
    b"OPTIONS",
    b"PAUSE",
    b"PLAY",
    b"RECORD",
    b"REDIRECT",
    b"SETUP",
    b"SET_PARAMETER",
    b"TEARDOWN",
    b"PLAY_NOTIFY",
];

/// Dissects one RTSP message (or continuation text) at `offset`.
pub fn dissect(
    d: &mut Dissection<'_>,
    ctx: &PacketContext<'_>,
    net: &NetInfo,
    offset: usize,
    msg: &[u8],
) {
    d.open_protocol(RTSP, (offset, msg.len()), "rtsp", "RTSP");
    let first_end = msg.iter().position(|&b| b == b'\n').unwrap_or(msg.len());
    let first = msg.get(..first_end).unwrap_or(msg);
    let first = first.strip_suffix(b"\r").unwrap_or(first);
    let reply = first.starts_with(b"RTSP/");
    let method = first.split(|&b| b == b' ').next().unwrap_or(&[]);
    let request = !reply && METHODS.contains(&method) && first.ends_with(b" RTSP/1.0");
    if !reply && !request {
        d.text(offset, msg.len(), || "Data (continuation)".to_string());
        d.end();
        d.set_info(|| "Continuation".to_string());
        return;
    }
    let line_text = String::from_utf8_lossy(first).into_owned();
    if reply {
        let line = d.add(RESPONSE, offset, first.len(), Value::owned_str(first));
        d.begin(line);
        let code = first
            .get(9..12)
            .and_then(|c| std::str::from_utf8(c).ok()?.parse::<u64>().ok());
        if let Some(code) = code {
            d.add(STATUS, offset + 9, 3, Value::UInt(code));
        }
        d.end();
    } else {
        let line = d.add(REQUEST, offset, first.len(), Value::owned_str(first));
        d.begin(line);
        d.add(METHOD, offset, method.len(), Value::owned_str(method));
        let url = first
            .get(method.len() + 1..first.len().saturating_sub(9))
            .unwrap_or(&[]);
        d.add(
            URL,
            offset + method.len() + 1,
            url.len(),
            Value::owned_str(url),
        );
        d.end();
    }
    let headers_at = (first_end + 1).min(msg.len());
    let mut sdp_body = false;
    let mut content_length: Option<usize> = None;
    let mut body_at = msg.len();
    let headers = crate::bytes::tail(msg, headers_at);
    for (start, raw) in super::lines::split(headers).take(MAX_LINES) {
        let at = offset + headers_at + start;
        let line = super::lines::trim_eol(raw);
        if line.is_empty() {
            body_at = headers_at + start + raw.len();
            break;
        }
        let label = || super::value::string_label_text(line);
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            d.text(at, raw.len(), label);
            continue;
        };
        let name = line
            .get(..colon)
            .unwrap_or(&[])
            .trim_ascii()
            .to_ascii_lowercase();
        let value = line.get(colon + 1..).unwrap_or(&[]).trim_ascii();
        match name.as_slice() {
            b"content-type" => {
                sdp_body = value.eq_ignore_ascii_case(b"application/sdp");
                d.add_labeled(CONTENT_TYPE, at, raw.len(), Value::owned_str(value), label);
            }
            b"content-length" => {
                let n = std::str::from_utf8(value)
                    .ok()
                    .and_then(|v| v.parse::<u32>().ok());
                content_length = n.and_then(|n| usize::try_from(n).ok());
                if let Some(n) = n {
                    d.add_labeled(
                        CONTENT_LENGTH,
                        at,
                        raw.len(),
                        Value::UInt(u64::from(n)),
                        label,
                    );
                }
            }
            b"session" => {
                d.add_labeled(SESSION, at, raw.len(), Value::owned_str(value), label);
            }
            b"transport" => {
                d.add_labeled(TRANSPORT, at, raw.len(), Value::owned_str(value), label);
            }
            _ => {
                d.text(at, raw.len(), label);
            }
        }
    }
    let body = crate::bytes::tail(msg, body_at);
    let body = match content_length {
        Some(n) => body.get(..n.min(body.len())).unwrap_or(body),
        None => body,
    };
    if sdp_body && !body.is_empty() {
        super::sdp::dissect(d, ctx, (net.src, net.dst), offset + body_at, body, None);
        d.set_protocol("RTSP/SDP");
    }
    d.end();
    if reply {
        d.set_info(move || format!("Reply: {line_text}"));
    } else {
        d.set_info(move || line_text);
    }
}

/// TCP port registered for RTSP.
pub const PORT: u16 = 554;

/// Header lines read at most.
const MAX_LINES: usize = 64;

/// The client ports of a `Transport` value (`client_port=6970-6971`), RTP's and
/// RTCP's; none when the media is interleaved in the TCP connection.
fn client_ports(value: &[u8]) -> Option<(u16, Option<u16>)> {
    let text = std::str::from_utf8(value).ok()?;
    // Only the first transport specification counts.
    let spec = text.split(',').next()?;
    let mut ports = None;
    for param in spec.split(';') {
        let param = param.trim();
        if param.starts_with("interleaved") {
            return None;
        }
        if let Some(p) = param.strip_prefix("client_port=") {
            let mut parts = p.split('-');
            let rtp = parts.next()?.trim().parse::<u16>().ok()?;
            let rtcp = parts.next().and_then(|r| r.trim().parse::<u16>().ok());
            ports = Some((rtp, rtcp));
        }
    }
    ports
}

/// Follows an RTSP reply from the server (`payload` of a segment from port 554):
/// its Transport header announces the client's RTP and RTCP ports.
pub fn follow_reply(ctx: &PacketContext<'_>, net: &NetInfo, payload: &[u8]) {
    let Some(analysis) = ctx.analysis else {
        return;
    };
    if !payload.starts_with(b"RTSP/1.0 ") {
        return;
    }
    for line in payload.split(|&b| b == b'\n').take(MAX_LINES).skip(1) {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            break;
        }
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            continue;
        };
        if !line
            .get(..colon)
            .is_some_and(|n| n.eq_ignore_ascii_case(b"transport"))
        {
            continue;
        }
        let value = line.get(colon + 1..).unwrap_or(&[]).trim_ascii();
        let Some((rtp, rtcp)) = client_ports(value) else {
            return;
        };
        let names: Arc<[(u8, Box<str>)]> = Arc::from(Vec::new());
        let link = |port: u16, rtcp: bool| RtpAnnounce {
            addr: net.dst,
            port,
            link: Arc::new(RtpLink {
                setup_frame: ctx.number,
                rtcp,
                socket: (net.dst, port),
                method: "RTSP",
                names: names.clone(),
            }),
        };
        let mut media = vec![link(rtp, false)];
        if let Some(p) = rtcp {
            media.push(link(p, true));
        }
        analysis.rtp_announce(ctx.number, (net.src, net.dst), &media);
        return;
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn transport_ports() {
        let t =
            b"RTP/AVP;unicast;destination=10.5.132.10;client_port=6970-6971;server_port=6970-6971";
        assert_eq!(super::client_ports(t), Some((6970, Some(6971))));
        assert_eq!(super::client_ports(b"RTP/AVP/TCP;interleaved=0-1"), None);
        assert_eq!(super::client_ports(b"RTP/AVP;client_port=x"), None);
    }
}
