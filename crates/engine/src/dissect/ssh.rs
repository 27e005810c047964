//! SSH (RFC 4253) on TCP port 22 as tshark 4.0 labels it without keys: the protocol
//! banner, the key-exchange messages in clear, and encrypted packets ("Client: ").
//!
//! The dissector keeps no state: a segment is in clear when its bytes are a run of
//! binary packets whose lengths add up exactly and whose message codes are SSH's;
//! anything else after the banners is encrypted (a random length field passing
//! these checks is as unlikely as a chance 32-bit match).

use super::apps::PduLen;
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
    DIRECTION = "ssh.direction", "Direction", bool_words(0, 0, &["server-to-client", "client-to-server"]);
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

/// What tshark's SSH remembers of a connection that decides how it cuts the byte
/// stream into PDUs: the version the client's banner announced, and per side whether
/// its banner and its New Keys (the end of the key exchange in clear) have passed.
/// The load pass keeps one per TCP stream (one byte).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SshFlow(u8);

impl SshFlow {
    const VERSION_1: u8 = 1;
    const VERSION_2: u8 = 2;
    const VERSION: u8 = 3;
    const BANNER_CLIENT: u8 = 1 << 2;
    const BANNER_SERVER: u8 = 1 << 3;
    const NEW_KEYS_CLIENT: u8 = 1 << 4;
    const NEW_KEYS_SERVER: u8 = 1 << 5;

    fn side_bits(client: bool) -> (u8, u8) {
        if client {
            (Self::BANNER_CLIENT, Self::NEW_KEYS_CLIENT)
        } else {
            (Self::BANNER_SERVER, Self::NEW_KEYS_SERVER)
        }
    }

    /// Length of the PDU that starts `bytes`, sent by the client or the server, as
    /// tshark's SSH asks TCP for it: a banner runs to its LF; before the client's
    /// banner nothing is known and a segment is taken whole (as encrypted); SSH-2
    /// binary packets in clear (RFC 4253 section 6) are waited for until the side's
    /// New Keys, then taken whole; SSH-1 packets have 1 to 8 bytes of padding past
    /// their length.
    pub fn pdu_len(self, client: bool, bytes: &[u8]) -> PduLen {
        let (banner, new_keys) = Self::side_bits(client);
        if self.0 & banner == 0 && is_banner(bytes) {
            return match memchr::memchr(b'\n', bytes) {
                Some(lf) => PduLen::Complete(lf.saturating_add(1)),
                None => PduLen::NeedMore(None),
            };
        }
        let version = self.0 & Self::VERSION;
        if version == 0 || (version == Self::VERSION_2 && self.0 & new_keys != 0) {
            return PduLen::Complete(bytes.len());
        }
        let Some(plen) = bytes::be_u32(bytes, 0).and_then(|n| usize::try_from(n).ok()) else {
            return PduLen::NeedMore(None);
        };
        let padding = if version == Self::VERSION_1 {
            8 - plen % 8
        } else {
            0
        };
        let total = plen.saturating_add(4).saturating_add(padding);
        if total > bytes.len() {
            PduLen::NeedMore(Some(total))
        } else {
            PduLen::Complete(total)
        }
    }

    /// Takes in a PDU [`Self::pdu_len`] delimited: a banner (the client's sets the
    /// version: "SSH-2." and "SSH-1.99-" are 2, other "SSH-1." 1) or a New Keys.
    pub fn advance(&mut self, client: bool, pdu: &[u8]) {
        let (banner, new_keys) = Self::side_bits(client);
        if self.0 & banner == 0 && is_banner(pdu) {
            self.0 |= banner;
            if client {
                let starts = |p: &[u8]| {
                    pdu.get(..p.len())
                        .is_some_and(|b| b.eq_ignore_ascii_case(p))
                };
                let version = if starts(b"SSH-2.") || starts(b"SSH-1.99-") {
                    Self::VERSION_2
                } else if starts(b"SSH-1.") {
                    Self::VERSION_1
                } else {
                    self.0 & Self::VERSION
                };
                self.0 = (self.0 & !Self::VERSION) | version;
            }
        } else if self.0 & Self::VERSION == Self::VERSION_2 && pdu.get(5) == Some(&21) {
            self.0 |= new_keys;
        }
    }
}

/// Whether `bytes` start a protocol version line ("SSH-", any case, as tshark tests).
fn is_banner(bytes: &[u8]) -> bool {
    bytes
        .get(..4)
        .is_some_and(|b| b.eq_ignore_ascii_case(b"SSH-"))
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

/// The SSH item alone: what a segment SSH asked more bytes for shows of it.
pub fn empty_layer(d: &mut Dissection<'_>, offset: usize, len: usize) {
    d.add(SSH, offset, len, Value::None);
    d.push_layer("ssh");
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
    d.push_layer("ssh");
    let item = d.add(SSH, payload_at, payload.len(), Value::None);
    d.begin(item);
    if payload.starts_with(b"SSH-") {
        // tshark's version comes from the client's banner alone, and the column shows
        // what was known before this frame: the client's first banner is plain "SSH",
        // and so is the server's unless the client's came first (the server then
        // acknowledges it).
        let version_known = match (TcpView::new(bytes::tail(frame, net.payload_offset)), info) {
            (Ok(tcp), Some(i)) if to_server => tcp.seq_number().raw().wrapping_sub(i.seq_base) > 1,
            (Ok(tcp), Some(i)) => i
                .ack_base
                .is_some_and(|base| tcp.ack_number().raw().wrapping_sub(base) > 1),
            _ => false,
        };
        d.set_protocol(if version_known { "SSHv2" } else { "SSH" });
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
        d.set_info(|| format!("Protocol ({})", String::from_utf8_lossy(text)));
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
            d.set_info(|| format!("Encrypted packet (len={n})"));
        } else {
            d.set_info(|| names.join(", "));
        }
    }
    // tshark prepends the side last, before any analysis prefix TCP left
    // ("Client: [TCP Previous segment not captured] ").
    d.prepend_info(if to_server { "Client: " } else { "Server: " });
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
            // tshark names the direction in the label; the value stays a boolean.
            assert_eq!(field(d, "ssh.direction"), "0");
            assert!(
                d.nodes
                    .iter()
                    .any(|n| n.label().contains("Direction: client-to-server"))
            );
        });
    }

    /// The framing state on real banners and packets (ssh_kex_split.pcapng frames 4,
    /// 6, 8, 9; ssh_nmap_probes.pcapng frame 11), then cut and impossible lengths.
    #[test]
    fn flow_follows_banners_and_new_keys() {
        use super::{PduLen, SshFlow};
        let payload = |name: &str, frame: usize| {
            with_frame(name, frame, |d| {
                match d.first(crate::dissect::tcp::PAYLOAD) {
                    Some(crate::dissect::Value::Bytes(b)) => b.to_vec(),
                    _ => Vec::new(),
                }
            })
        };
        let mut flow = SshFlow::default();
        let kex = payload("ssh_kex_split.pcapng", 8);
        // Before the client's banner nothing is known: a segment is taken whole.
        assert_eq!(flow.pdu_len(true, &kex), PduLen::Complete(kex.len()));
        let banner = payload("ssh_kex_split.pcapng", 4);
        assert_eq!(flow.pdu_len(true, &banner), PduLen::Complete(banner.len()));
        flow.advance(true, &banner);
        assert_eq!(flow.pdu_len(true, &kex), PduLen::NeedMore(Some(1672)));
        let server_banner = payload("ssh_kex_split.pcapng", 6);
        assert_eq!(
            flow.pdu_len(false, &server_banner),
            PduLen::Complete(server_banner.len())
        );
        // A banner cut before its LF waits; a packet cut inside its length too.
        assert_eq!(flow.pdu_len(false, b"SSH-2.0-Op"), PduLen::NeedMore(None));
        assert_eq!(flow.pdu_len(true, &[0, 0]), PduLen::NeedMore(None));
        // An impossible length waits for bytes that never come (as tshark does).
        assert_eq!(
            flow.pdu_len(true, &[0xff, 0xff, 0xff, 0xff, 4, 20]),
            PduLen::NeedMore(Some(0xffff_ffff + 4))
        );
        // New Keys ends the clear packets of its side only.
        flow.advance(true, &[0, 0, 0, 12, 10, 21, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(flow.pdu_len(true, &kex), PduLen::Complete(kex.len()));
        assert_eq!(flow.pdu_len(false, &kex), PduLen::NeedMore(Some(1672)));
        // An SSH-1 banner: 1 to 8 bytes of padding past the length (5 + 4 + 3).
        let mut v1 = SshFlow::default();
        v1.advance(true, &payload("ssh_nmap_probes.pcapng", 11));
        v1.advance(false, &payload("ssh_nmap_probes.pcapng", 7));
        assert_eq!(
            v1.pdu_len(false, &[0, 0, 0, 5, 1, 2, 3, 4, 5]),
            PduLen::NeedMore(Some(12))
        );
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
