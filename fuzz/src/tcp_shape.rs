//! The input format of `tcp_analysis`: a sequence of Ethernet/IPv4/TCP frames of one
//! shape whose TCP header fields (and a few IP and capture facts) come from the fuzz
//! input, so the fuzzer spends its time on the TCP state machine, not on framing.
//!
//! ```text
//! input   = 16 bytes: 4 conversations x (client port, server port), big-endian
//!           then frames until the input ends (at most MAX_FRAMES)
//! frame   = 22-byte header, then the options, then the payload
//!  0      bit 0: sent by the server; bits 1-2: conversation; bit 3: time runs backwards
//!  1..5   sequence number          5..9   acknowledgment number
//!  9..11  TCP bytes 12-13: data offset, reserved bits, flags (as on the wire)
//!  11..13 window                   13..15 urgent pointer
//!  15     options length (mod 41)  16..18 payload length
//!  18     IPv4 total length minus the true one (i8; 0: correct)
//!  19     snapshot: 0 the frame is captured whole, n: only its first 34 + n bytes
//!  20..22 microseconds since the previous frame
//! ```
//! The client is 10.0.0.1, the server 10.0.0.2; checksums are correct.

/// Frames read from one input at most.
pub const MAX_FRAMES: usize = 512;
/// Bytes of the conversation table at the start of the input.
pub const PORTS_LEN: usize = 16;
/// Bytes of a frame header.
pub const HEADER_LEN: usize = 22;
/// Longest options area a frame may carry.
pub const MAX_OPTIONS: usize = 40;

/// (client port, server port) of each of the four conversations.
pub type Ports = [(u16, u16); 4];

/// One frame of the input, decoded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Segment {
    /// Sent by the server (else by the client).
    pub from_server: bool,
    /// Conversation 0..4.
    pub conversation: u8,
    /// The timestamp goes back by `delta_micros` instead of forward.
    pub backwards: bool,
    /// Sequence number.
    pub seq: u32,
    /// Acknowledgment number.
    pub ack: u32,
    /// Data offset, reserved bits and flags.
    pub off_flags: u16,
    /// Window.
    pub window: u16,
    /// Urgent pointer.
    pub urgent: u16,
    /// Options bytes (at most [`MAX_OPTIONS`]).
    pub options: Vec<u8>,
    /// Payload.
    pub payload: Vec<u8>,
    /// IPv4 total length minus the true one.
    pub ip_len_adjust: i8,
    /// Captured bytes after the first 34 (0: all).
    pub snap: u8,
    /// Microseconds since the previous frame.
    pub delta_micros: u16,
}

impl Segment {
    /// Appends the encoded frame to `out`.
    pub fn encode(&self, out: &mut Vec<u8>) {
        let options = self.options.get(..MAX_OPTIONS).unwrap_or(&self.options);
        let payload_len = self.payload.len().min(usize::from(u16::MAX));
        out.push(
            u8::from(self.from_server)
                | (self.conversation & 3) << 1
                | u8::from(self.backwards) << 3,
        );
        out.extend_from_slice(&self.seq.to_be_bytes());
        out.extend_from_slice(&self.ack.to_be_bytes());
        out.extend_from_slice(&self.off_flags.to_be_bytes());
        out.extend_from_slice(&self.window.to_be_bytes());
        out.extend_from_slice(&self.urgent.to_be_bytes());
        out.push(options.len() as u8);
        out.extend_from_slice(&(payload_len as u16).to_be_bytes());
        out.push(self.ip_len_adjust as u8);
        out.push(self.snap);
        out.extend_from_slice(&self.delta_micros.to_be_bytes());
        out.extend_from_slice(options);
        out.extend_from_slice(self.payload.get(..payload_len).unwrap_or(&[]));
    }
}

fn be16(data: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([byte(data, at), byte(data, at + 1)])
}

fn be32(data: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([
        byte(data, at),
        byte(data, at + 1),
        byte(data, at + 2),
        byte(data, at + 3),
    ])
}

fn byte(data: &[u8], at: usize) -> u8 {
    data.get(at).copied().unwrap_or(0)
}

/// Decodes the conversation table and the frames of `input`.
pub fn decode(input: &[u8]) -> Option<(Ports, Vec<Segment>)> {
    let table = input.get(..PORTS_LEN)?;
    let mut ports = [(0u16, 0u16); 4];
    for (i, pair) in ports.iter_mut().enumerate() {
        *pair = (be16(table, i * 4), be16(table, i * 4 + 2));
    }
    let mut rest = input.get(PORTS_LEN..)?;
    let mut segments = Vec::new();
    while segments.len() < MAX_FRAMES {
        let Some(h) = rest.get(..HEADER_LEN) else {
            break;
        };
        let ctl = byte(h, 0);
        let options_len = usize::from(byte(h, 15)) % (MAX_OPTIONS + 1);
        let payload_len = usize::from(be16(h, 16));
        let body = rest.get(HEADER_LEN..).unwrap_or(&[]);
        let options_len = options_len.min(body.len());
        let (options, body) = body.split_at(options_len);
        let payload_len = payload_len.min(body.len());
        let (payload, body) = body.split_at(payload_len);
        segments.push(Segment {
            from_server: ctl & 1 != 0,
            conversation: (ctl >> 1) & 3,
            backwards: ctl & 8 != 0,
            seq: be32(h, 1),
            ack: be32(h, 5),
            off_flags: be16(h, 9),
            window: be16(h, 11),
            urgent: be16(h, 13),
            options: options.to_vec(),
            payload: payload.to_vec(),
            ip_len_adjust: byte(h, 18) as i8,
            snap: byte(h, 19),
            delta_micros: be16(h, 20),
        });
        rest = body;
    }
    Some((ports, segments))
}

const CLIENT: [u8; 4] = [10, 0, 0, 1];
const SERVER: [u8; 4] = [10, 0, 0, 2];
const CLIENT_MAC: [u8; 6] = [0x02, 0, 0, 0, 0, 1];
const SERVER_MAC: [u8; 6] = [0x02, 0, 0, 0, 0, 2];

/// The Internet checksum (RFC 1071) of `data` added to `sum`.
fn checksum(mut sum: u32, data: &[u8]) -> u16 {
    let mut pairs = data.chunks_exact(2);
    for pair in &mut pairs {
        sum += u32::from(u16::from_be_bytes([byte(pair, 0), byte(pair, 1)]));
    }
    if let [last] = pairs.remainder() {
        sum += u32::from(*last) << 8;
    }
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// The Ethernet frame of `s` (frame number `number`, for the IP identification).
pub fn frame(s: &Segment, ports: &Ports, number: usize) -> Vec<u8> {
    let (client_port, server_port) = ports
        .get(usize::from(s.conversation & 3))
        .copied()
        .unwrap_or_default();
    let (src, dst, src_mac, dst_mac, sport, dport) = if s.from_server {
        (
            SERVER,
            CLIENT,
            SERVER_MAC,
            CLIENT_MAC,
            server_port,
            client_port,
        )
    } else {
        (
            CLIENT,
            SERVER,
            CLIENT_MAC,
            SERVER_MAC,
            client_port,
            server_port,
        )
    };
    let mut tcp = Vec::with_capacity(20 + s.options.len() + s.payload.len());
    tcp.extend_from_slice(&sport.to_be_bytes());
    tcp.extend_from_slice(&dport.to_be_bytes());
    tcp.extend_from_slice(&s.seq.to_be_bytes());
    tcp.extend_from_slice(&s.ack.to_be_bytes());
    tcp.extend_from_slice(&s.off_flags.to_be_bytes());
    tcp.extend_from_slice(&s.window.to_be_bytes());
    tcp.extend_from_slice(&[0, 0]);
    tcp.extend_from_slice(&s.urgent.to_be_bytes());
    tcp.extend_from_slice(&s.options);
    tcp.extend_from_slice(&s.payload);
    let tcp_len = tcp.len();
    let mut pseudo = 0u32;
    for word in [
        u16::from_be_bytes([src[0], src[1]]),
        u16::from_be_bytes([src[2], src[3]]),
        u16::from_be_bytes([dst[0], dst[1]]),
        u16::from_be_bytes([dst[2], dst[3]]),
        6,
        tcp_len as u16,
    ] {
        pseudo += u32::from(word);
    }
    let sum = checksum(pseudo, &tcp);
    if let Some(field) = tcp.get_mut(16..18) {
        field.copy_from_slice(&sum.to_be_bytes());
    }

    let total = (20 + tcp_len) as u16;
    let total = total.wrapping_add_signed(i16::from(s.ip_len_adjust));
    let mut ip = Vec::with_capacity(20);
    ip.extend_from_slice(&[0x45, 0]);
    ip.extend_from_slice(&total.to_be_bytes());
    ip.extend_from_slice(&(number as u16).to_be_bytes());
    ip.extend_from_slice(&[0x40, 0, 64, 6, 0, 0]);
    ip.extend_from_slice(&src);
    ip.extend_from_slice(&dst);
    let sum = checksum(0, &ip);
    if let Some(field) = ip.get_mut(10..12) {
        field.copy_from_slice(&sum.to_be_bytes());
    }

    let mut out = Vec::with_capacity(14 + 20 + tcp_len);
    out.extend_from_slice(&dst_mac);
    out.extend_from_slice(&src_mac);
    out.extend_from_slice(&[0x08, 0x00]);
    out.extend_from_slice(&ip);
    out.extend_from_slice(&tcp);
    out
}

/// A nanosecond pcap file (Ethernet) holding the frames of `input`, or `None` when the
/// input is too short for the conversation table.
pub fn pcap_file(input: &[u8]) -> Option<Vec<u8>> {
    let (ports, segments) = decode(input)?;
    let mut out = Vec::new();
    out.extend_from_slice(&0xa1b2_3c4du32.to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&4u16.to_le_bytes());
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&262_144u32.to_le_bytes());
    out.extend_from_slice(&1u32.to_le_bytes());
    let mut ts: i64 = 1_700_000_000 * 1_000_000_000;
    for (i, s) in segments.iter().enumerate() {
        let delta = i64::from(s.delta_micros) * 1000;
        ts = if s.backwards { ts - delta } else { ts + delta };
        let bytes = frame(s, &ports, i + 1);
        let orig_len = bytes.len();
        let cap_len = match s.snap {
            0 => orig_len,
            n => orig_len.min(34 + usize::from(n)),
        };
        out.extend_from_slice(&((ts / 1_000_000_000) as u32).to_le_bytes());
        out.extend_from_slice(&((ts % 1_000_000_000) as u32).to_le_bytes());
        out.extend_from_slice(&(cap_len as u32).to_le_bytes());
        out.extend_from_slice(&(orig_len as u32).to_le_bytes());
        out.extend_from_slice(bytes.get(..cap_len).unwrap_or(&bytes));
    }
    Some(out)
}
