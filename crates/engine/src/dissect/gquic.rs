//! Google QUIC's Q046 long header, as tshark 4.0 summarises a handshake packet:
//! "Client Hello, PKN: 3, CID: 2442460965746936605". Only the long header of
//! Q046 (the IETF-like invariant header with a `Q0xx` version) is read.

use super::context::PacketContext;
use super::field::kinds::*;
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;
use crate::wire::GquicLongView;

crate::define_fields! { after super::quic::END;
    GQUIC = "gquic", "GQUIC (Google Quick UDP Internet Connections)", PROTO;
    PUFLAGS = "gquic.puflags", "Public Flags", hex(8);
    VERSION = "gquic.version", "Version", STR;
    CID = "gquic.cid", "CID", dec(64);
    PACKET_NUMBER = "gquic.packet_number", "Packet Number", dec(64);
    MESSAGE_AUTHENTICATION_HASH = "gquic.message_authentication_hash", "Message Authentication Hash", BYTES;
    FRAME_TYPE = "gquic.frame_type", "Frame Type", hex(8);
    STREAM_ID = "gquic.stream_id", "Stream ID", dec(32);
    TAG = "gquic.tag", "Tag", STR;
    PAYLOAD = "gquic.payload", "Payload", BYTES;
}

/// Handshake message tags and the names tshark gives them.
const TAG_NAMES: &[(&[u8; 4], &str)] = &[
    (b"CHLO", "Client Hello"),
    (b"SHLO", "Server Hello"),
    (b"REJ\0", "Rejection"),
    (b"PRST", "Public Reset"),
];

/// Google's Q050 version number: an IETF long header whose Initial (sealed with its
/// own salt) carries gQUIC frames, the handshake as tagged messages in CRYPTO frames.
pub const Q050: u32 = 0x5130_3530;

/// A handshake message's name by its tag, tshark's "Unknown" for others.
fn message_name(tag: &[u8]) -> &'static str {
    TAG_NAMES
        .iter()
        .find(|(t, _)| t.as_slice() == tag)
        .map_or("Unknown", |(_, n)| *n)
}

/// The handshake message of a decrypted Q050 Initial's frames, as tshark names it in
/// the Info column: the last CRYPTO frame's message, and whether its index fits its
/// frame (tshark reads every CRYPTO frame's data as a message of its own, so one that
/// continues an earlier message reads as "Unknown" and runs past its end).
pub fn q050_message(frames: &[u8]) -> Option<(&'static str, bool)> {
    let mut pos = 0usize;
    let mut message = None;
    for _ in 0..64 {
        let Some(&ftype) = frames.get(pos) else {
            break;
        };
        pos += 1;
        match ftype {
            // CRYPTO: offset and length as QUIC varints, then the data.
            0x08 => {
                let (_, n) = crate::wire::quic_varint(frames, pos).ok()?;
                let (len, m) = crate::wire::quic_varint(frames, pos + n).ok()?;
                let at = pos + n + m;
                let len = usize::try_from(len).ok()?;
                let data = bytes::tail(frames, at);
                let data = data.get(..len).unwrap_or(data);
                let tag = data.get(..4)?;
                // Tag, a little-endian count of entries, two bytes of padding, then
                // (tag, end offset) per entry: an index past the data is malformed (a
                // value cut short only earns a note).
                let fits = bytes::le_u16(data, 4)
                    .is_some_and(|count| 8 + 8 * usize::from(count) <= data.len());
                message = Some((message_name(tag), fits && data.len() == len));
                pos = at.checked_add(len)?;
            }
            // ACK (0b01nullmm): largest acknowledged (ll), delay, optional block
            // count (n), first block (mm), blocks, timestamps.
            0x40..=0x7f => {
                let width = |bits: u8| match bits & 3 {
                    0 => 1usize,
                    1 => 2,
                    2 => 4,
                    _ => 6,
                };
                let largest = width(ftype >> 2);
                let block = width(ftype);
                pos += largest + 2;
                let blocks = if ftype & 0x20 != 0 {
                    let b = usize::from(*frames.get(pos)?);
                    pos += 1;
                    b
                } else {
                    0
                };
                pos += block + blocks * (1 + block);
                let stamps = usize::from(*frames.get(pos)?);
                pos += 1;
                if stamps > 0 {
                    pos += 5 + (stamps - 1) * 3;
                }
            }
            // PING.
            0x07 => {}
            // PADDING to the end, or a frame not read here.
            _ => break,
        }
    }
    message
}

/// Whether a UDP payload is a Q046 long-header packet.
pub fn is_gquic(payload: &[u8]) -> bool {
    matches!(payload, [b, b'Q', b'0', b'4', b'6', ..] if b & 0x80 != 0)
}

/// Dissects the Q046 packet at `offset` of `data` (`len` bytes of UDP payload).
pub fn dissect<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    data: &'a [u8],
    offset: usize,
    len: usize,
) {
    let pkt = bytes::clamped(data, offset, len);
    d.push_layer("gquic");
    d.set_protocol("GQUIC");
    let item = d.add(GQUIC, offset, pkt.len(), Value::None);
    d.begin(item);
    let first = pkt.first().copied().unwrap_or(0);
    d.add(PUFLAGS, offset, 1, Value::UInt(u64::from(first)));
    if let Some(v) = bytes::slice(pkt, 1, 4) {
        d.add(VERSION, offset + 1, 4, Value::Str(v.into()));
    }
    let Some(v) = super::view_or_cut(d, ctx, GquicLongView::new(pkt), offset) else {
        d.end();
        return;
    };
    // The destination's connection ID, or a server's source ID in its place (both
    // start after the length byte, as only one is present).
    let cid = if v.dcid().is_empty() {
        v.scid()
    } else {
        v.dcid()
    };
    let cid_value = cid.iter().fold(0u64, |x, b| (x << 8) | u64::from(*b));
    if !cid.is_empty() {
        d.add(CID, offset + 6, cid.len(), Value::UInt(cid_value));
    }
    let pn = v.packet_number();
    d.add(
        PACKET_NUMBER,
        offset + v.pn_at(),
        v.pn_len(),
        Value::UInt(pn),
    );
    // After the packet number: a 12-byte authentication hash, then frames.
    let hash_at = v.pn_at() + v.pn_len();
    // Only an Initial packet (type 0) is in clear; 0-RTT and Handshake packets carry
    // their frames encrypted.
    if (v.flags() >> 4) & 3 != 0 {
        let payload = bytes::tail(pkt, hash_at);
        if !payload.is_empty() {
            d.add(
                PAYLOAD,
                offset + hash_at,
                payload.len(),
                Value::Bytes(payload.into()),
            );
        }
        d.end();
        d.set_info(|| format!("Payload (Encrypted), PKN: {pn}, CID: {cid_value}"));
        return;
    }
    if let Some(hash) = bytes::slice(pkt, hash_at, 12) {
        d.add(
            MESSAGE_AUTHENTICATION_HASH,
            offset + hash_at,
            12,
            Value::Bytes(hash.into()),
        );
    }
    let mut message = None;
    let frame_at = hash_at + 12;
    if let Some(ftype) = bytes::u8_at(pkt, frame_at).filter(|t| t & 0x80 != 0) {
        // A STREAM frame (section "Frame types" of the gQUIC wire spec): stream ID of
        // (type & 3) + 1 bytes, an offset of 0 or 2 to 8 bytes, a 2-byte data length.
        d.add(
            FRAME_TYPE,
            offset + frame_at,
            1,
            Value::UInt(u64::from(ftype)),
        );
        let id_len = usize::from(ftype & 3) + 1;
        let off_bits = usize::from((ftype >> 2) & 7);
        let off_len = if off_bits == 0 { 0 } else { off_bits + 1 };
        let data_len = if ftype & 0x20 != 0 { 2 } else { 0 };
        let id_at = frame_at + 1;
        if let Some(id) = bytes::slice(pkt, id_at, id_len) {
            let id = id.iter().fold(0u64, |x, b| (x << 8) | u64::from(*b));
            d.add(STREAM_ID, offset + id_at, id_len, Value::UInt(id));
            let tag_at = id_at + id_len + off_len + data_len;
            if id == 1
                && let Some(tag) = bytes::array::<4>(pkt, tag_at)
            {
                d.add(TAG, offset + tag_at, 4, Value::Str(tag.to_vec().into()));
                message = TAG_NAMES.iter().find(|(t, _)| **t == tag).map(|(_, n)| *n);
            }
        }
    }
    d.end();
    let head = message.unwrap_or("Unknown");
    d.set_info(|| format!("{head}, PKN: {pn}, CID: {cid_value}"));
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_frame, with_truncated};

    /// gquic.pcap frame 1: a Q046 Client Hello.
    #[test]
    fn client_hello() {
        with_frame("gquic.pcap", 1, |d| {
            assert_eq!(d.columns.protocol, "GQUIC");
            assert_eq!(
                d.columns.info,
                "Client Hello, PKN: 3, CID: 2442460965746936605"
            );
            assert_eq!(field(d, "gquic.version"), "Q046");
            assert_eq!(field(d, "gquic.tag"), "CHLO");
        });
    }

    /// Q050 frames as a decrypted Initial holds them: an ACK, then a CRYPTO frame whose
    /// message is a REJ (complete), or a continuation (no tag: "Unknown", cut).
    #[test]
    fn q050_messages() {
        let mut rej = vec![0x40, 0x01, 0x13, 0xc7, 0x01, 0x00, 0x08, 0x00, 0x10];
        rej.extend_from_slice(b"REJ\0\x01\0\0\0STK\0\x00\0\0\0");
        assert_eq!(super::q050_message(&rej), Some(("Rejection", true)));
        let cont = [
            0x08, 0x45, 0x19, 0x08, 0x16, 0x8b, 0x29, 0x03, 0x6b, 0xaa, 0x1b, 0x56,
        ];
        assert_eq!(super::q050_message(&cont), Some(("Unknown", false)));
    }

    /// The same header as a 0-RTT packet (type 1), then as a server's (source CID
    /// only): its frames are encrypted, as lyc0930 1.pcapng frames 392 and 424.
    #[test]
    fn encrypted_payload() {
        use crate::dissect::testing::with_patched;
        with_patched(
            "gquic.pcap",
            1,
            |b| b[28] = (b[28] & 0xcf) | 0x10,
            |d| {
                assert_eq!(
                    d.columns.info,
                    "Payload (Encrypted), PKN: 3, CID: 2442460965746936605"
                );
                assert!(!field(d, "gquic.payload").is_empty());
                assert_eq!(field(d, "gquic.tag"), "");
            },
        );
        with_patched(
            "gquic.pcap",
            1,
            |b| {
                b[28] = (b[28] & 0xcf) | 0x10;
                b[33] = b[33].rotate_left(4);
            },
            |d| assert!(d.columns.info.ends_with("CID: 2442460965746936605")),
        );
    }

    #[test]
    fn truncated() {
        // Raw IPv4 (20) + UDP (8) + 10 bytes of the header.
        with_truncated("gquic.pcap", 1, 38, |d| {
            assert_eq!(field(d, "gquic.packet_number"), "");
            assert_eq!(field(d, "gquic.version"), "Q046");
        });
    }
}
