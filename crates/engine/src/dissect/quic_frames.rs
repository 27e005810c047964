//! The frames of a decrypted QUIC Initial (RFC 9000 section 19) as tshark 4.0 shows
//! them: each titled by its type, PADDING runs as one, ACK ranges, CRYPTO frames with
//! the TLS handshake they start (unless the connection's CRYPTO stream had the bytes
//! already), CONNECTION_CLOSE.

use super::quic::{
    ACK_DELAY, ACK_FIRST_RANGE, ACK_LARGEST, ACK_RANGE_COUNT, CRYPTO_DATA, CRYPTO_LENGTH,
    CRYPTO_OFFSET, FRAME, FRAME_TYPE, FRAME_TYPES, MAX_FRAMES, PADDING_LENGTH, RETRANSMISSION,
};
use super::tls;
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;
use crate::wire::quic_varint;

/// Where an Initial's CRYPTO frames belong: the analysis that follows each
/// connection's CRYPTO stream, and this packet's frame, connection and sender.
pub(crate) struct CryptoStream<'c> {
    pub(crate) analysis: Option<&'c dyn super::context::Analysis>,
    pub(crate) frame: u32,
    pub(crate) conn: Option<u32>,
    pub(crate) from_server: bool,
}

impl CryptoStream<'_> {
    /// Whether the bytes at `offset` (`len` of them) were delivered before.
    fn reused(&self, offset: u64, len: u64) -> bool {
        match (self.analysis, self.conn) {
            (Some(a), Some(conn)) => {
                a.quic_crypto_reused(self.frame, conn, self.from_server, offset, len)
            }
            _ => false,
        }
    }
}

/// The frames of a decrypted payload (its own data source); returns their names
/// for the Info column, a run of PADDING as one.
pub(crate) fn frames_of<'a>(
    d: &mut Dissection<'a>,
    frames: &'a [u8],
    stream: &CryptoStream<'_>,
) -> Vec<&'static str> {
    let mut names = Vec::new();
    let mut pos = 0usize;
    while pos < frames.len() && names.len() < MAX_FRAMES {
        let Ok((ftype, n)) = quic_varint(frames, pos) else {
            break;
        };
        let type_name = FRAME_TYPES
            .iter()
            .find(|(k, _)| *k == ftype)
            .map(|(_, n)| *n);
        // The field and the tree name type 3 ACK, as type 2; tshark's Info says ACK_ECN.
        let name = match ftype {
            0x03 => Some("ACK_ECN"),
            _ => type_name,
        };
        let start = pos;
        // tshark titles a frame with its type's name (a run of PADDING with its length).
        let item = d.add_labeled(FRAME, start, 0, Value::None, || {
            type_name.unwrap_or("Frame").to_string()
        });
        d.begin(item);
        d.add_labeled(FRAME_TYPE, start, n, Value::UInt(ftype), || {
            format!(
                "Frame Type: {} (0x{ftype:016x})",
                type_name.unwrap_or("Unknown")
            )
        });
        pos += n;
        let next = match ftype {
            0x00 => {
                let run = bytes::tail(frames, pos)
                    .iter()
                    .take_while(|b| **b == 0)
                    .count();
                let padding = run + 1;
                d.set_label(item, || format!("PADDING Length: {padding}"));
                d.add_generated(PADDING_LENGTH, 0, 0, Value::UInt(padding as u64));
                Some(pos + run)
            }
            0x01 => Some(pos),
            0x02 | 0x03 => ack(d, frames, pos, ftype == 0x03),
            0x06 => crypto(d, frames, pos, stream),
            0x1c | 0x1d => close(frames, pos, ftype == 0x1c),
            _ => None,
        };
        d.end();
        let (Some(name), Some(next)) = (name, next) else {
            break;
        };
        names.push(name);
        pos = next;
    }
    names
}

/// A variable-length integer read from frames: (value, offset, length in bytes).
type Varint = (u64, usize, usize);

/// `N` variable-length integers from `pos`, and the offset after them.
fn varints<const N: usize>(data: &[u8], mut pos: usize) -> Option<([Varint; N], usize)> {
    let mut out: [Varint; N] = [(0, 0, 0); N];
    for slot in out.iter_mut() {
        let (v, n) = quic_varint(data, pos).ok()?;
        *slot = (v, pos, n);
        pos = pos.checked_add(n)?;
    }
    Some((out, pos))
}

fn ack(d: &mut Dissection<'_>, data: &[u8], pos: usize, ecn: bool) -> Option<usize> {
    let ([largest, delay, count, first], mut pos) = varints::<4>(data, pos)?;
    for (field, (v, at, n)) in [
        (ACK_LARGEST, largest),
        (ACK_DELAY, delay),
        (ACK_RANGE_COUNT, count),
        (ACK_FIRST_RANGE, first),
    ] {
        d.add(field, at, n, Value::UInt(v));
    }
    for _ in 0..count.0.min(MAX_FRAMES as u64) {
        let (_, next) = varints::<2>(data, pos)?;
        pos = next;
    }
    if ecn {
        let (_, next) = varints::<3>(data, pos)?;
        pos = next;
    }
    Some(pos)
}

fn crypto<'a>(
    d: &mut Dissection<'a>,
    data: &'a [u8],
    pos: usize,
    stream: &CryptoStream<'_>,
) -> Option<usize> {
    let ([offset, len], pos) = varints::<2>(data, pos)?;
    d.add(CRYPTO_OFFSET, offset.1, offset.2, Value::UInt(offset.0));
    d.add(CRYPTO_LENGTH, len.1, len.2, Value::UInt(len.0));
    let n = usize::try_from(len.0).ok()?;
    let body = bytes::slice(data, pos, n)?;
    d.add(CRYPTO_DATA, pos, n, Value::None);
    if stream.reused(offset.0, len.0) {
        // Bytes TLS has had: tshark notes them and does not hand them on again.
        let message = "This QUIC frame has a reused stream offset (retransmission?)";
        let item = d.add_labeled(RETRANSMISSION, pos, n, Value::None, || message.into());
        d.expert(
            item,
            super::quic::quic_expert(super::tree::Severity::Note, "Sequence", message),
        );
        return pos.checked_add(n);
    }
    // The first CRYPTO frame of a flight starts a TLS handshake message.
    if offset.0 == 0 && !body.is_empty() {
        let item = d.add_labeled(tls::TLS, pos, n, Value::None, || {
            format!(
                "TLSv1.3 Record Layer: Handshake Protocol: {}",
                tls::handshake_name(body)
            )
        });
        d.push_layer("tls");
        d.begin(item);
        tls::handshake(d, body, pos);
        d.end();
    }
    pos.checked_add(n)
}

fn close(data: &[u8], pos: usize, with_frame_type: bool) -> Option<usize> {
    let pos = if with_frame_type {
        varints::<2>(data, pos)?.1
    } else {
        varints::<1>(data, pos)?.1
    };
    let (reason_len, n) = quic_varint(data, pos).ok()?;
    pos.checked_add(n)?
        .checked_add(usize::try_from(reason_len).ok()?)
        .filter(|end| *end <= data.len())
}
