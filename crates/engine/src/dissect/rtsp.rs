//! RTSP (RFC 2326, TCP 554), so far only what sets RTP up: a reply's `Transport`
//! header with `client_port=a-b` opens RTP on the client's port `a` and RTCP on `b`
//! (tshark's RTSP conversation, its peer left open). The messages themselves are not
//! dissected yet.
//! TODO(sip): the RTSP dissector itself (Info `SETUP rtsp://... RTSP/1.0`, RTSP/SDP).

use super::context::{PacketContext, RtpAnnounce, RtpLink};
use super::ipv4::NetInfo;
use std::sync::Arc;

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
