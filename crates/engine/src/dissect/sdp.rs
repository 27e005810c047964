//! SDP (RFC 8866) bodies carried by SIP: each `x=value` line as tshark lists it, and
//! the media streams it announces (`c=` address, `m=` port, `a=rtpmap` names), which
//! become RTP and RTCP conversations through [`crate::dissect::context::Analysis`].
//! The carrier adds `/SDP` to its protocol column (`SIP/SDP`); the Info stays its own.

use super::context::{PacketContext, RtpAnnounce, RtpLink};
use super::field::kinds::*;
use super::ipv4::Addr;
use super::tree::Dissection;
use super::value::Value;
use std::sync::Arc;

crate::define_fields! { after super::smb2::END;
    SDP = "sdp", "Session Description Protocol", PROTO;
    VERSION = "sdp.version", "Session Description Protocol Version (v)", STR;
    OWNER = "sdp.owner", "Owner/Creator, Session Id (o)", STR;
    SESSION_NAME = "sdp.session_name", "Session Name (s)", STR;
    SESSION_INFO = "sdp.session_info", "Session Information (i)", STR;
    URI = "sdp.uri", "URI of Description (u)", STR;
    EMAIL = "sdp.email", "E-mail Address (e)", STR;
    PHONE = "sdp.phone", "Phone Number (p)", STR;
    CONNECTION_INFO = "sdp.connection_info", "Connection Information (c)", STR;
    CONNECTION_ADDRESS = "sdp.connection_info.address", "Connection Address", STR;
    BANDWIDTH = "sdp.bandwidth", "Bandwidth Information (b)", STR;
    TIMEZONE = "sdp.timezone", "Time Zone Adjustments (z)", STR;
    ENCRYPTION_KEY = "sdp.encryption_key", "Encryption Key (k)", STR;
    SESSION_ATTR = "sdp.session_attr", "Session Attribute (a)", STR;
    MEDIA_ATTR = "sdp.media_attr", "Media Attribute (a)", STR;
    TIME = "sdp.time", "Time Description, active time (t)", STR;
    REPEAT_TIME = "sdp.repeat_time", "Repeat Time (r)", STR;
    MEDIA = "sdp.media", "Media Description, name and address (m)", STR;
    MEDIA_TITLE = "sdp.media_title", "Media Title (i)", STR;
    UNKNOWN = "sdp.unknown", "Unknown", STR;
    MEDIA_MEDIA = "sdp.media.media", "Media Type", STR;
    MEDIA_PORT = "sdp.media.port", "Media Port", dec(16);
    MEDIA_PROTO = "sdp.media.proto", "Media Protocol", STR;
    MEDIA_FORMAT = "sdp.media.format", "Media Format", STR;
    MIME_TYPE = "sdp.mime.type", "MIME Type", STR;
}

/// Lines read at most, and media descriptions followed at most, per body.
const MAX_LINES: usize = 512;
const MAX_MEDIA: usize = 32;

/// One media description (`m=`) as far as RTP needs it.
struct Media {
    port: u16,
    rtp: bool,
    addr: Option<Addr>,
}

/// Parses `IN IP4 a.b.c.d` (or IP6) of a `c=` line; a multicast `/ttl` is cut off.
fn connection_addr(value: &[u8]) -> Option<Addr> {
    let text = std::str::from_utf8(value).ok()?;
    let mut words = text.split_ascii_whitespace();
    if words.next()? != "IN" {
        return None;
    }
    let kind = words.next()?;
    let addr = words.next()?.split('/').next()?;
    match kind {
        "IP4" => addr
            .parse::<std::net::Ipv4Addr>()
            .ok()
            .map(|a| Addr::V4(a.octets())),
        "IP6" => addr
            .parse::<std::net::Ipv6Addr>()
            .ok()
            .map(|a| Addr::V6(a.octets())),
        _ => None,
    }
}

/// Dissects an SDP body at `offset`; with `setup` (an offer, or an answer that does
/// not refuse it), announces its RTP and RTCP streams as set up by that frame (an
/// answer's streams by its offer's frame, as tshark's offer/answer exchange does).
pub fn dissect(
    d: &mut Dissection<'_>,
    ctx: &PacketContext<'_>,
    carrier: (Addr, Addr),
    offset: usize,
    body: &[u8],
    setup: Option<u32>,
) {
    let item = d.add(SDP, offset, body.len(), Value::None);
    d.push_layer("sdp");
    d.begin(item);
    let mut session_addr: Option<Addr> = None;
    let mut media: Vec<Media> = Vec::new();
    let mut names: Vec<(u8, Box<str>)> = Vec::new();
    for (start, raw) in super::lines::split(body).take(MAX_LINES) {
        let at = offset + start;
        let line = super::lines::trim_eol(raw);
        let (Some(&kind), Some(b'=')) = (line.first(), line.get(1).copied()) else {
            if !line.is_empty() {
                d.add(UNKNOWN, at, line.len(), Value::owned_str(line));
            }
            continue;
        };
        let value = line.get(2..).unwrap_or(&[]);
        let in_media = !media.is_empty();
        let field = match kind {
            b'v' => VERSION,
            b'o' => OWNER,
            b's' => SESSION_NAME,
            b'i' if in_media => MEDIA_TITLE,
            b'i' => SESSION_INFO,
            b'u' => URI,
            b'e' => EMAIL,
            b'p' => PHONE,
            b'c' => CONNECTION_INFO,
            b'b' => BANDWIDTH,
            b'z' => TIMEZONE,
            b'k' => ENCRYPTION_KEY,
            b'a' if in_media => MEDIA_ATTR,
            b'a' => SESSION_ATTR,
            b't' => TIME,
            b'r' => REPEAT_TIME,
            b'm' => MEDIA,
            _ => UNKNOWN,
        };
        let sub = d.add(field, at, line.len(), Value::owned_str(value));
        match kind {
            b'c' => {
                let addr = connection_addr(value);
                if let Some(a) = addr {
                    d.begin(sub);
                    let text = a.text();
                    d.add(
                        CONNECTION_ADDRESS,
                        at + 2,
                        value.len(),
                        Value::owned_str(text.as_bytes()),
                    );
                    d.end();
                }
                match media.last_mut() {
                    Some(m) => m.addr = addr.or(m.addr),
                    None => session_addr = addr,
                }
            }
            b'm' => {
                let text = String::from_utf8_lossy(value);
                let mut words = text.split(' ');
                let kind_word = words.next().unwrap_or("");
                let port_word = words.next().unwrap_or("");
                let proto = words.next().unwrap_or("");
                let port = port_word
                    .split('/')
                    .next()
                    .and_then(|p| p.parse::<u16>().ok());
                d.begin(sub);
                d.add(
                    MEDIA_MEDIA,
                    at + 2,
                    kind_word.len(),
                    Value::owned_str(kind_word.as_bytes()),
                );
                if let Some(p) = port {
                    d.add(
                        MEDIA_PORT,
                        at + 3 + kind_word.len(),
                        port_word.len(),
                        Value::UInt(u64::from(p)),
                    );
                }
                d.add(
                    MEDIA_PROTO,
                    at,
                    line.len(),
                    Value::owned_str(proto.as_bytes()),
                );
                // RTP formats by their payload type's name, as tshark lists them.
                for f in words.filter(|w| !w.is_empty()) {
                    let name = match f.parse::<u8>() {
                        Ok(pt) if pt < 128 && proto.contains("RTP") => super::rtp::static_name(pt),
                        _ => f.to_string().into(),
                    };
                    d.add(
                        MEDIA_FORMAT,
                        at,
                        line.len(),
                        Value::owned_str(name.as_bytes()),
                    );
                }
                d.end();
                if media.len() < MAX_MEDIA {
                    media.push(Media {
                        port: port.unwrap_or(0),
                        rtp: proto.contains("RTP"),
                        addr: None,
                    });
                }
            }
            b'a' => {
                // An rtpmap or fmtp attribute names its format again, by number.
                let format = value
                    .strip_prefix(b"rtpmap:")
                    .or_else(|| value.strip_prefix(b"fmtp:"))
                    .and_then(|rest| rest.split(|&b| b == b' ').next());
                if let Some(pt) = format {
                    d.begin(sub);
                    d.add(MEDIA_FORMAT, at, line.len(), Value::owned_str(pt));
                    d.end();
                }
                if let Some(map) = value.strip_prefix(b"rtpmap:") {
                    let text = String::from_utf8_lossy(map);
                    let mut words = text.splitn(2, ' ');
                    let pt = words.next().and_then(|p| p.trim().parse::<u8>().ok());
                    let name = words.next().and_then(|n| n.trim().split('/').next());
                    if let (Some(pt), Some(name)) = (pt, name) {
                        d.begin(sub);
                        d.add(MIME_TYPE, at, line.len(), Value::owned_str(name.as_bytes()));
                        d.end();
                        if names.len() < 128 && !names.iter().any(|(p, _)| *p == pt) {
                            names.push((pt, name.into()));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    d.end();
    let Some(setup_frame) = setup else {
        return;
    };
    let Some(analysis) = ctx.analysis else {
        return;
    };
    let names: Arc<[(u8, Box<str>)]> = names.into();
    let mut announce = Vec::new();
    for m in media.iter().filter(|m| m.rtp && m.port != 0) {
        let Some(addr) = m.addr.or(session_addr) else {
            continue;
        };
        for (port, rtcp) in [(Some(m.port), false), (m.port.checked_add(1), true)] {
            if let Some(port) = port {
                let link = Arc::new(RtpLink {
                    setup_frame,
                    rtcp,
                    socket: (addr, port),
                    method: "SDP",
                    names: names.clone(),
                });
                announce.push(RtpAnnounce { addr, port, link });
            }
        }
    }
    if !announce.is_empty() {
        analysis.rtp_announce(ctx.number, carrier, &announce);
    }
}
