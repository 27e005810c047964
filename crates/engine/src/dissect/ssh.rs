//! SSH (RFC 4253) on TCP port 22 as tshark 4.0 labels it without keys: the protocol
//! banner, the key-exchange messages in clear, and encrypted packets ("Client: ").
//!
//! The dissector keeps no state: a segment is in clear when its bytes are a run of
//! binary packets whose lengths add up exactly and whose message codes are SSH's;
//! anything else after the banners is encrypted (a random length field passing
//! these checks is as unlikely as a chance 32-bit match).

use super::context::TcpFrameInfo;
use super::field::kinds::*;
use super::ipv4::NetInfo;
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;
use crate::wire::{SshPacketView, TcpView};

/// Message names (RFC 4250 section 4.1) that do not depend on the key exchange method.
const MESSAGE_NAMES: &[(u64, &str)] = &[
    (1, "Disconnect"),
    (2, "Ignore"),
    (3, "Unimplemented"),
    (4, "Debug"),
    (5, "Service Request"),
    (6, "Service Accept"),
    (7, "Extension Info"),
    (20, "Key Exchange Init"),
    (21, "New Keys"),
    (50, "User Authentication Request"),
    (51, "User Authentication Failure"),
    (52, "User Authentication Success"),
    (53, "User Authentication Banner"),
    (80, "Global Request"),
    (81, "Request Success"),
    (82, "Request Failure"),
    (90, "Channel Open"),
    (91, "Channel Open Confirmation"),
    (92, "Channel Open Failure"),
    (93, "Window Adjust"),
    (94, "Channel Data"),
    (95, "Channel Extended Data"),
    (96, "Channel EOF"),
    (97, "Channel Close"),
    (98, "Channel Request"),
    (99, "Channel Success"),
    (100, "Channel Failure"),
];

crate::define_fields! { after super::tftp::END;
    SSH = "ssh", "SSH Protocol", PROTO;
    PROTOCOL = "ssh.protocol", "Protocol", STR;
    DIRECTION = "ssh.direction", "Direction", flag(0, 0);
    PACKET_LENGTH = "ssh.packet_length", "Packet Length", dec(32);
    PADDING_LENGTH = "ssh.padding_length", "Padding Length", dec(8);
    MESSAGE_CODE = "ssh.message_code", "Message Code", dec(8);
    COOKIE = "ssh.cookie", "Cookie", BYTES;
    KEX_ALGORITHMS_LENGTH = "ssh.kex_algorithms_length", "kex_algorithms length", dec(32);
    KEX_ALGORITHMS = "ssh.kex_algorithms", "kex_algorithms string", STR;
    PADDING_STRING = "ssh.padding_string", "Padding String", BYTES;
}

/// The TCP port SSH is registered on.
pub const PORT: u16 = 22;

/// Whether a segment between `sport` and `dport` goes to SSH (by the port table, so
/// Decode As reaches it).
pub fn is_ssh_port(sport: u16, dport: u16) -> bool {
    use super::ports::{PortProto, Transport, by_ports};
    by_ports(Transport::Tcp, sport, dport) == Some(PortProto::Ssh)
}

/// Point sizes of the elliptic-curve key exchanges (curve25519, P-256, P-384, P-521,
/// curve448): an ECDH message's first string has one of these lengths, a DH mpint not.
const EC_POINT_LENS: [u32; 5] = [32, 65, 97, 133, 56];

/// The name tshark gives message `code`; 30 and 31 depend on the exchange method,
/// guessed from the message body.
fn message_name(code: u8, body: &[u8]) -> String {
    match code {
        30 | 31 => {
            // Init: string Q_C. Reply: string host key, then string Q_S.
            let first = bytes::be_u32(body, 0).unwrap_or(0);
            let point = if code == 30 {
                first
            } else {
                let skip = usize::try_from(first).unwrap_or(usize::MAX);
                skip.checked_add(4)
                    .and_then(|at| bytes::be_u32(body, at))
                    .unwrap_or(0)
            };
            let ec = EC_POINT_LENS.contains(&point);
            let what = if code == 30 { "Init" } else { "Reply" };
            if ec {
                format!("Elliptic Curve Diffie-Hellman Key Exchange {what}")
            } else {
                format!("Diffie-Hellman Key Exchange {what}")
            }
        }
        _ => MESSAGE_NAMES
            .iter()
            .find(|(k, _)| *k == u64::from(code))
            .map_or_else(|| format!("Unknown ({code})"), |(_, n)| (*n).to_string()),
    }
}

/// Whether `code` is a message SSH defines (RFC 4250 section 4.1 ranges).
fn known_code(code: u8) -> bool {
    matches!(code, 1..=7 | 20 | 21 | 30..=49 | 50..=79 | 80..=100)
}

/// The binary packets in clear that make up `payload` exactly, as (offset, length);
/// after a New Keys message the rest of the segment may be encrypted.
fn clear_packets(payload: &[u8]) -> Option<Vec<(usize, usize)>> {
    let mut out = Vec::new();
    let mut at = 0usize;
    let mut after_new_keys = false;
    while at < payload.len() {
        let packet = SshPacketView::new(bytes::tail(payload, at))
            .ok()
            .and_then(|v| Some((v.wire_len().ok()?, v.message_code())))
            .filter(|(_, code)| known_code(*code));
        let Some((len, code)) = packet.filter(|_| out.len() < 64) else {
            return after_new_keys.then_some(out);
        };
        out.push((at, len));
        after_new_keys = code == 21;
        at = at.checked_add(len)?;
    }
    (!out.is_empty()).then_some(out)
}

/// Dissects an SSH segment's payload (`payload` at `payload_at` of `frame`).
pub fn dissect<'a>(
    d: &mut Dissection<'a>,
    frame: &'a [u8],
    payload_at: usize,
    payload: &'a [u8],
    net: &NetInfo,
    info: Option<&TcpFrameInfo>,
    dport: u16,
) {
    let to_server = dport == PORT;
    let side = if to_server { "Client" } else { "Server" };
    d.push_layer("ssh");
    let item = d.add(SSH, payload_at, payload.len(), Value::None);
    d.begin(item);
    if payload.starts_with(b"SSH-") {
        // tshark learns the version from the first banner, so the first one of a
        // connection (the peer has sent nothing yet) is plain "SSH".
        let peer_silent = match (TcpView::new(bytes::tail(frame, net.payload_offset)), info) {
            (Ok(tcp), Some(i)) => i
                .ack_base
                .is_none_or(|base| tcp.ack_number().raw().wrapping_sub(base) <= 1),
            _ => true,
        };
        d.set_protocol(if peer_silent { "SSH" } else { "SSHv2" });
        let line_end = payload
            .iter()
            .position(|b| *b == b'\n')
            .unwrap_or(payload.len());
        let line = payload.get(..line_end).unwrap_or(payload);
        let text = line.strip_suffix(b"\r").unwrap_or(line);
        d.add(
            PROTOCOL,
            payload_at,
            line.len().saturating_add(1).min(payload.len()),
            Value::Str(text.into()),
        );
        d.set_info(|| format!("{side}: Protocol ({})", String::from_utf8_lossy(text)));
    } else {
        d.set_protocol("SSHv2");
        let mut names = Vec::new();
        if let Some(packets) = clear_packets(payload) {
            for (at, len) in packets {
                let Some(bytes) = payload.get(at..at.saturating_add(len)) else {
                    break;
                };
                let Ok(v) = SshPacketView::new(bytes) else {
                    break;
                };
                let base = payload_at + at;
                let code = v.message_code();
                let body = v.body();
                names.push(message_name(code, body));
                d.add(
                    PACKET_LENGTH,
                    base,
                    4,
                    Value::UInt(u64::from(v.packet_length())),
                );
                d.add(
                    PADDING_LENGTH,
                    base + 4,
                    1,
                    Value::UInt(u64::from(v.padding_length())),
                );
                d.add(MESSAGE_CODE, base + 5, 1, Value::UInt(u64::from(code)));
                if code == 20 {
                    kex_init(d, body, base + SshPacketView::HEADER_LEN);
                }
                let pad = v.padding();
                let pad_at = base + len - pad.len();
                d.add(PADDING_STRING, pad_at, pad.len(), Value::Bytes(pad.into()));
            }
        }
        // A stream caught mid-way (no SYN seen) never showed its banners: tshark does
        // not know the version, and names the bytes as one encrypted packet.
        let mid_stream = info.is_some_and(|i| i.completeness & 3 == 0);
        if names.is_empty() && mid_stream {
            d.set_protocol("SSH");
            let n = payload.len();
            d.set_info(|| format!("{side}: Encrypted packet (len={n})"));
        } else {
            d.set_info(|| format!("{side}: {}", names.join(", ")));
        }
    }
    d.add_generated(DIRECTION, 0, 0, Value::Bool(!to_server));
    d.end();
}

/// The cookie and the first name-list of a Key Exchange Init (RFC 4253 section 7.1).
fn kex_init<'a>(d: &mut Dissection<'a>, body: &'a [u8], at: usize) {
    if let Some(cookie) = bytes::slice(body, 0, 16) {
        d.add(COOKIE, at, 16, Value::Bytes(cookie.into()));
    }
    if let Some(n) = bytes::be_u32(body, 16) {
        d.add(KEX_ALGORITHMS_LENGTH, at + 16, 4, Value::UInt(u64::from(n)));
        if let Some(list) = usize::try_from(n)
            .ok()
            .and_then(|n| bytes::slice(body, 20, n))
        {
            d.add(KEX_ALGORITHMS, at + 20, list.len(), Value::Str(list.into()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::clear_packets;
    use crate::dissect::testing::{field, with_frame, with_patched};

    /// ssh.pcap frame 4: the client's banner (alone, so no version is known yet).
    #[test]
    fn client_banner() {
        with_frame("ssh.pcap", 4, |d| {
            assert_eq!(d.columns.protocol, "SSH");
            assert_eq!(d.columns.info, "Client: Protocol (SSH-2.0-OpenSSH_7.8)");
            assert_eq!(field(d, "ssh.protocol"), "SSH-2.0-OpenSSH_7.8");
        });
    }

    /// ssh.pcap frames 14 (two messages in clear) and 18 (encrypted).
    #[test]
    fn kex_reply_and_encrypted() {
        with_frame("ssh.pcap", 14, |d| {
            assert_eq!(d.columns.protocol, "SSHv2");
            assert_eq!(
                d.columns.info,
                "Server: Elliptic Curve Diffie-Hellman Key Exchange Reply, New Keys"
            );
            assert_eq!(field(d, "ssh.message_code"), "31,21");
            assert_eq!(field(d, "ssh.packet_length"), "604,12");
        });
        with_frame("ssh.pcap", 18, |d| {
            assert_eq!(d.columns.info, "Client: ");
            assert_eq!(field(d, "ssh.message_code"), "");
        });
    }

    /// ssh.pcap frame 8: Key Exchange Init with its cookie.
    #[test]
    fn kex_init() {
        with_frame("ssh.pcap", 8, |d| {
            assert_eq!(d.columns.info, "Client: Key Exchange Init");
            assert_eq!(field(d, "ssh.message_code"), "20");
            assert!(field(d, "ssh.kex_algorithms").starts_with("curve25519-sha256"));
        });
    }

    #[test]
    fn truncated_and_impossible() {
        assert!(clear_packets(&[0, 0, 0, 12, 10]).is_none());
        assert!(clear_packets(&[0, 0, 0, 12, 10, 21, 0, 0]).is_none());
        // Frame 16's New Keys with a packet length past the segment: encrypted.
        with_patched(
            "ssh.pcap",
            16,
            |b| b[54..58].copy_from_slice(&[0x7f, 0xff, 0xff, 0xff]),
            |d| assert_eq!(d.columns.info, "Client: "),
        );
    }
}
