//! QUIC (RFC 9000) as tshark 4.0 shows it without a key log: long and short headers,
//! version, connection IDs, and Initial packets opened with the keys RFC 9001
//! section 5.2 derives from the client's Destination Connection ID, so their frames
//! (CRYPTO with the TLS ClientHello, ACK, PADDING) show. Info as tshark writes it:
//! "Initial, DCID=…, SCID=…, PKN: 0, CRYPTO, PADDING", "Protected Payload (KP0), DCID=…".
//!
//! What the connection decides comes from the analysis (`tcp/quic_link.rs`): whether
//! QUIC takes the datagram at all, which side sent it, how long a short header's DCID
//! is, and the DCID and version the Initial keys derive from. Each packet of a
//! datagram sets the Info column anew (tshark's `col_set_str`), so a coalesced
//! datagram shows its last packet; a packet whose DCID differs from the first's is
//! padding and ends the datagram.

use super::context::{PacketContext, QuicConn, QuicDatagram};
use super::field::kinds::*;
use super::quic_frames::{CryptoStream, frames_of};
pub(crate) use super::quic_keys::draft_version;
use super::quic_keys::{initial_keys, open, retry_tag};
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;
use crate::wire::{QuicLongView, Short, quic_varint};

/// The two header forms (RFC 9000 section 17).
const HEADER_FORMS: &[(u64, &str)] = &[(0, "Short Header"), (1, "Long Header")];
/// Long packet types of version 1 (RFC 9000 table 5).
const LONG_TYPES: &[(u64, &str)] = &[(0, "Initial"), (1, "0-RTT"), (2, "Handshake"), (3, "Retry")];
/// Frame types the Initial and Handshake spaces carry (RFC 9000 table 3).
pub(crate) const FRAME_TYPES: &[(u64, &str)] = &[
    (0x00, "PADDING"),
    (0x01, "PING"),
    (0x02, "ACK"),
    (0x03, "ACK"),
    (0x06, "CRYPTO"),
    (0x1c, "CONNECTION_CLOSE"),
    (0x1d, "CONNECTION_CLOSE"),
];

crate::define_fields! { after super::ssh::END;
    QUIC = "quic", "QUIC IETF", PROTO;
    PACKET_LENGTH = "quic.packet_length", "Packet Length", dec(32);
    HEADER_FORM = "quic.header_form", "Header Form", uint(8, super::field::Base::Dec, 0x80, Some(HEADER_FORMS));
    FIXED_BIT = "quic.fixed_bit", "Fixed Bit", flag_tf(8, 0x40);
    LONG_PACKET_TYPE = "quic.long.packet_type", "Packet Type", uint(8, super::field::Base::Dec, 0x30, Some(LONG_TYPES));
    SPIN_BIT = "quic.spin_bit", "Spin Bit", flag_tf(8, 0x20);
    VERSION = "quic.version", "Version", hex(32);
    DCIL = "quic.dcil", "Destination Connection ID Length", dec(8);
    DCID = "quic.dcid", "Destination Connection ID", BYTES;
    SCIL = "quic.scil", "Source Connection ID Length", dec(8);
    SCID = "quic.scid", "Source Connection ID", BYTES;
    TOKEN_LENGTH = "quic.token_length", "Token Length", dec(64);
    TOKEN = "quic.token", "Token", BYTES;
    LENGTH = "quic.length", "Length", dec(64);
    PACKET_NUMBER = "quic.packet_number", "Packet Number", dec(64);
    PAYLOAD = "quic.payload", "Payload", BYTES;
    REMAINING_PAYLOAD = "quic.remaining_payload", "Remaining Payload", BYTES;
    SUPPORTED_VERSION = "quic.supported_version", "Supported Version", hex(32);
    RETRY_TOKEN = "quic.retry_token", "Retry Token", BYTES;
    RETRY_TAG = "quic.retry_integrity_tag", "Retry Integrity Tag", BYTES;
    SHORT = "quic.short", "QUIC Short Header", NONE;
    FRAME = "quic.frame", "Frame", NONE;
    FRAME_TYPE = "quic.frame_type", "Frame Type", dec_named(64, FRAME_TYPES);
    PADDING_LENGTH = "quic.padding_length", "Padding Length", dec(32);
    ACK_LARGEST = "quic.ack.largest_acknowledged", "Largest Acknowledged", dec(64);
    ACK_DELAY = "quic.ack.ack_delay", "ACK Delay", dec(64);
    ACK_RANGE_COUNT = "quic.ack.ack_range_count", "ACK Range Count", dec(64);
    ACK_FIRST_RANGE = "quic.ack.first_ack_range", "First ACK Range", dec(64);
    CRYPTO_OFFSET = "quic.crypto.offset", "Offset", dec(64);
    CRYPTO_LENGTH = "quic.crypto.length", "Length", dec(64);
    CRYPTO_DATA = "quic.crypto.crypto_data", "Crypto Data", NONE;
    DECRYPTION_FAILED = "quic.decryption_failed", "Failed to decrypt handshake", NONE;
    CONNECTION_NUMBER = "quic.connection.number", "Connection Number", dec(32);
    VN_UNUSED = "quic.vn.unused", "Unused", uint(8, super::field::Base::Hex, 0x7f, None);
    RETRANSMISSION = "quic.retransmission", "This QUIC frame has a reused stream offset (retransmission?)", NONE;
    LONG_RESERVED = "quic.long.reserved", "Reserved", uint(8, super::field::Base::Dec, 0x0c, None);
    PN_LENGTH = "quic.packet_number_length", "Packet Number Length", uint(8, super::field::Base::Dec, 0x03, Some(PN_LENGTHS));
}

const PN_LENGTHS: &[(u64, &str)] = &[
    (0, "1 bytes"),
    (1, "2 bytes"),
    (2, "3 bytes"),
    (3, "4 bytes"),
];

/// A version as tshark 4.0 names it (`quic_version_vals`), with its hex value.
fn version_text(version: u32) -> String {
    let name = match version {
        0 => "Version Negotiation".to_string(),
        1 => "1".to_string(),
        0x5130_3433 => "Google Q043".to_string(),
        0x5130_3434 => "Google Q044".to_string(),
        0x5130_3436 => "Google Q046".to_string(),
        0x5130_3530 => "Google Q050".to_string(),
        0x5430_3530 => "Google T050".to_string(),
        0x5430_3531 => "Google T051".to_string(),
        0xface_b001 => "Facebook mvfst (draft-22)".to_string(),
        0xface_b002 => "Facebook mvfst (draft-27)".to_string(),
        0xface_b00e => "Facebook mvfst (Experimental)".to_string(),
        v if (0xff00_0004..=0xff00_0022).contains(&v) => format!("draft-{:02}", v & 0xff),
        _ => "Unknown".to_string(),
    };
    format!("{name} (0x{version:08x})")
}

/// RFC 9000 section 15: versions 0x?a?a?a?a are reserved to exercise version
/// negotiation (tshark notes them "Forcing Version Negotiation", or "GREASE" in a list).
fn forces_negotiation(version: u32) -> bool {
    version & 0x0f0f_0f0f == 0x0a0a_0a0a
}

/// An expert item of QUIC's.
pub(super) fn quic_expert(
    severity: super::tree::Severity,
    group: &'static str,
    message: &'static str,
) -> super::tree::Expert {
    super::tree::Expert {
        severity,
        group,
        protocol: "QUIC",
        message: message.into(),
    }
}

/// tshark's warning on a packet whose keys it does not have (Handshake, 0-RTT and
/// 1-RTT packets need the TLS secrets of a key log).
fn secrets_missing(d: &mut Dissection<'_>) {
    d.add_expert_item(
        DECRYPTION_FAILED,
        quic_expert(
            super::tree::Severity::Warning,
            "Decryption",
            "Failed to create decryption context: Secrets are not available",
        ),
    );
}

/// The UDP port QUIC is registered on.
pub const PORT: u16 = 443;

/// Most frames listed for one packet.
pub(crate) const MAX_FRAMES: usize = 256;
/// Most QUIC packets taken from one datagram.
const MAX_COALESCED: usize = 8;

/// Whether a UDP payload between these ports is QUIC: port 443, or a version 1 long
/// header (tshark's heuristic accepts known versions).
pub fn is_quic(sport: u16, dport: u16, payload: &[u8]) -> bool {
    if sport == PORT || dport == PORT {
        return matches!(payload.first(), Some(b) if b & 0x40 != 0 || b & 0x80 != 0);
    }
    matches!(payload, [b, 0, 0, 0, 1, ..] if b & 0xc0 == 0xc0)
}

/// The connection a datagram belongs to: the analysis's when there is one; alone, a
/// client's Initial is taken as the first of its connection (its own DCID gives the
/// keys) and anything else as of an unknown connection.
fn connection_of(
    seen: Option<&QuicDatagram>,
    datagram: &[u8],
    from_server: bool,
) -> Option<QuicConn> {
    if let Some(seen) = seen {
        return seen.conn.clone();
    }
    if datagram.first()? & 0x80 == 0 {
        return None;
    }
    let v = QuicLongView::new(datagram).ok()?;
    let initial = v.version() != 0 && v.packet_type() == 0;
    (initial && !from_server).then(|| QuicConn {
        from_server,
        client_cid_len: u8::try_from(v.scid().1.len()).unwrap_or(0),
        server_cid_len: 0,
        initial_dcid: Some(v.dcid().1.into()),
        version: v.version(),
        number: 0,
        first_short: false,
    })
}

/// The length of the packet at the start of `rest` when another may follow it (a long
/// header other than Retry and Version Negotiation whose Length field ends before the
/// datagram does); `None`: it takes the rest of the datagram.
fn coalesced_len(rest: &[u8]) -> Option<usize> {
    if rest.first()? & 0x80 == 0 {
        return None;
    }
    let v = QuicLongView::new(rest).ok()?;
    if v.version() == 0 || v.packet_type() == 3 {
        return None;
    }
    let mut pos = v.after_cids();
    if v.packet_type() == 0 {
        let (token_len, n) = quic_varint(rest, pos).ok()?;
        pos = pos
            .checked_add(n)?
            .checked_add(usize::try_from(token_len).ok()?)?;
    }
    let (length, n) = quic_varint(rest, pos).ok()?;
    let total = pos
        .checked_add(n)?
        .checked_add(usize::try_from(length).ok()?)?;
    (length <= i32::MAX as u64 && total < rest.len()).then_some(total)
}

/// The Destination Connection ID of a packet as tshark compares them between the
/// packets of a datagram: a long header's (empty when longer than 20 bytes), a short
/// header's as long as its connection says; `None` when it cannot tell (a short
/// header of an unknown connection, or one cut before its ID ends).
fn packet_dcid<'a>(pkt: &'a [u8], conn: Option<&QuicConn>) -> Option<&'a [u8]> {
    let first = *pkt.first()?;
    if first & 0x80 != 0 {
        let dcil = usize::from(*pkt.get(5)?);
        if dcil > 20 {
            return Some(&[]);
        }
        return bytes::slice(pkt, 6, dcil);
    }
    let conn = conn?;
    let len = if conn.from_server {
        conn.client_cid_len
    } else {
        conn.server_cid_len
    };
    bytes::slice(pkt, 1, usize::from(len))
}

/// Dissects the QUIC datagram at `offset` of `data` (`len` bytes of UDP payload);
/// `seen` is what the analysis knows of its connection.
#[allow(clippy::too_many_arguments)]
pub fn dissect<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    data: &'a [u8],
    offset: usize,
    len: usize,
    sport: u16,
    dport: u16,
    seen: Option<&QuicDatagram>,
) {
    let datagram = bytes::clamped(data, offset, len);
    // Without a connection, which side is the server is guessed from the ports.
    let guessed = sport == PORT || (dport != PORT && sport < dport);
    let conn = connection_of(seen, datagram, guessed);
    let from_server = conn.as_ref().map_or(guessed, |c| c.from_server);
    d.push_layer("quic");
    d.set_protocol("QUIC");
    d.set_info(String::new);
    let mut at = 0usize;
    let mut first_dcid: &[u8] = &[];
    for n in 0..MAX_COALESCED {
        let rest = bytes::tail(datagram, at);
        if rest.is_empty() {
            break;
        }
        let pkt = coalesced_len(rest)
            .and_then(|l| bytes::slice(rest, 0, l))
            .unwrap_or(rest);
        let dcid = packet_dcid(pkt, conn.as_ref());
        if n == 0 {
            first_dcid = dcid.unwrap_or(&[]);
        } else if dcid.is_some_and(|id| id != first_dcid) {
            // Senders never coalesce packets of other connection IDs: padding.
            let item = d.add(QUIC, offset + at, rest.len(), Value::None);
            d.expert(
                item,
                quic_expert(
                    super::tree::Severity::Note,
                    "Protocol",
                    "(Random) padding data appended to the datagram",
                ),
            );
            break;
        }
        // A short header takes the rest of the datagram as sent, captured or not.
        let reported = len.saturating_sub(at);
        packet(
            d,
            ctx,
            (pkt, reported),
            offset + at,
            from_server,
            conn.as_ref(),
        );
        at += pkt.len();
        if pkt.is_empty() {
            break;
        }
    }
}

/// One QUIC packet, `pkt` (frame offset `base`; `reported` bytes of the datagram
/// were sent from its start).
fn packet<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    (pkt, reported): (&'a [u8], usize),
    base: usize,
    from_server: bool,
    conn: Option<&QuicConn>,
) {
    let Some(&first) = pkt.first() else {
        return;
    };
    let item = d.add(QUIC, base, pkt.len(), Value::None);
    d.begin(item);
    if let Some(c) = conn {
        let info = d.text(base, 0, || "QUIC Connection information".to_string());
        d.begin(info);
        d.add_generated(CONNECTION_NUMBER, base, 0, Value::UInt(u64::from(c.number)));
        d.end();
    }
    if first & 0x80 == 0 {
        short_header(d, pkt, base, conn, reported);
    } else {
        match QuicLongView::new(pkt) {
            Ok(v) => long_header(d, ctx, pkt, base, &v, from_server, conn),
            Err(short) => super::cut_header(d, ctx, &short.shifted(base)),
        }
    }
    d.end();
}

/// tshark's Info after a long header's type: each non-empty connection ID.
fn cid_info(d: &mut Dissection<'_>, dcid: &[u8], scid: &[u8]) {
    for (name, cid) in [("DCID", dcid), ("SCID", scid)] {
        if !cid.is_empty() {
            d.append_info(&format!(", {name}={}", super::value::hex_text(cid, None)));
        }
    }
}

fn short_header<'a>(
    d: &mut Dissection<'a>,
    pkt: &'a [u8],
    base: usize,
    conn: Option<&QuicConn>,
    reported: usize,
) {
    d.add_generated(
        PACKET_LENGTH,
        0,
        0,
        Value::UInt(reported.max(pkt.len()) as u64),
    );
    let first = pkt.first().copied().unwrap_or(0);
    // The Destination Connection ID is as long as the receiver's first Source
    // Connection ID; without the connection it is unknown. Without 1-RTT keys the key
    // phase stays protected, so tshark names phase 0.
    let dcid_len = conn.map_or(0, |c| {
        usize::from(if c.from_server {
            c.client_cid_len
        } else {
            c.server_cid_len
        })
    });
    let dcid = bytes::slice(pkt, 1, dcid_len).filter(|id| !id.is_empty());
    let dcid_text = dcid.map(|id| super::value::hex_text(id, None));
    // The header's item spans the packet and names its DCID.
    let item = d.add_labeled(SHORT, base, pkt.len(), Value::None, || match &dcid_text {
        Some(text) => format!("QUIC Short Header DCID={text}"),
        None => "QUIC Short Header".to_string(),
    });
    d.begin(item);
    d.add(HEADER_FORM, base, 1, Value::UInt(0));
    d.add(FIXED_BIT, base, 1, Value::Bool(first & 0x40 != 0));
    d.add(SPIN_BIT, base, 1, Value::Bool(first & 0x20 != 0));
    if let Some(id) = dcid {
        d.add(DCID, base + 1, id.len(), Value::Bytes(id.into()));
    }
    d.end();
    if conn.is_some_and(|c| c.first_short) {
        secrets_missing(d);
    }
    d.set_info(|| "Protected Payload (KP0)".to_string());
    let mut at = 1;
    if let (Some(id), Some(text)) = (dcid, &dcid_text) {
        d.append_info(&format!(", DCID={text}"));
        at += id.len();
    }
    let rest = bytes::tail(pkt, at);
    d.add(
        REMAINING_PAYLOAD,
        base + at,
        rest.len(),
        Value::Bytes(rest.into()),
    );
}

fn long_header<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    pkt: &'a [u8],
    base: usize,
    v: &QuicLongView<'a>,
    from_server: bool,
    conn: Option<&QuicConn>,
) {
    let first = v.first();
    let version = v.version();
    let (dcid_at, dcid) = v.dcid();
    let (scid_at, scid) = v.scid();
    let common = |d: &mut Dissection<'a>| {
        d.add(HEADER_FORM, base, 1, Value::UInt(1));
        d.add(FIXED_BIT, base, 1, Value::Bool(first & 0x40 != 0));
    };
    let cids = |d: &mut Dissection<'a>| {
        d.add_labeled(
            VERSION,
            base + 1,
            4,
            Value::UInt(u64::from(version)),
            || {
                let forcing = if forces_negotiation(version) {
                    " (Forcing Version Negotiation)"
                } else {
                    ""
                };
                format!("Version: {}{forcing}", version_text(version))
            },
        );
        d.add(DCIL, base + 5, 1, Value::UInt(dcid.len() as u64));
        if !dcid.is_empty() {
            d.add(DCID, base + dcid_at, dcid.len(), Value::Bytes(dcid.into()));
        }
        d.add(SCIL, base + scid_at - 1, 1, Value::UInt(scid.len() as u64));
        if !scid.is_empty() {
            d.add(SCID, base + scid_at, scid.len(), Value::Bytes(scid.into()));
        }
    };
    let mut pos = v.after_cids();
    if version == 0 {
        d.add_generated(PACKET_LENGTH, 0, 0, Value::UInt(pkt.len() as u64));
        // A Version Negotiation's other bits are unused (RFC 9000 section 17.2.1).
        d.add(HEADER_FORM, base, 1, Value::UInt(1));
        d.add(VN_UNUSED, base, 1, Value::UInt(u64::from(first & 0x7f)));
        cids(d);
        d.set_info(|| "Version Negotiation".to_string());
        cid_info(d, dcid, scid);
        while let Some(sv) = bytes::be_u32(pkt, pos) {
            d.add_labeled(
                SUPPORTED_VERSION,
                base + pos,
                4,
                Value::UInt(u64::from(sv)),
                || {
                    let grease = if forces_negotiation(sv) {
                        " (GREASE)"
                    } else {
                        ""
                    };
                    format!("Supported Version: {}{grease}", version_text(sv))
                },
            );
            pos += 4;
        }
        return;
    }
    let ptype = v.packet_type();
    let type_name = LONG_TYPES
        .iter()
        .find(|(k, _)| *k == u64::from(ptype))
        .map_or("Unknown", |(_, n)| *n);
    if ptype == 3 {
        d.add_generated(PACKET_LENGTH, 0, 0, Value::UInt(pkt.len() as u64));
        // tshark shows no Fixed Bit on a Retry.
        d.add(HEADER_FORM, base, 1, Value::UInt(1));
        d.add(LONG_PACKET_TYPE, base, 1, Value::UInt(u64::from(ptype)));
        cids(d);
        d.set_info(|| "Retry".to_string());
        cid_info(d, dcid, scid);
        let token = bytes::tail(pkt, pos);
        let tag_at = token.len().saturating_sub(16);
        let (token, tag) = token.split_at_checked(tag_at).unwrap_or((&[], &[]));
        d.add(
            RETRY_TOKEN,
            base + pos,
            token.len(),
            Value::Bytes(token.into()),
        );
        let odcid = conn.and_then(|c| c.initial_dcid.clone());
        let verified = odcid.is_some_and(|odcid| {
            let body = bytes::slice(pkt, 0, pos + tag_at).unwrap_or(&[]);
            retry_tag(version, &odcid, body).is_some_and(|t| t.as_slice() == tag)
        });
        d.add_labeled(
            RETRY_TAG,
            base + pos + tag_at,
            tag.len(),
            Value::Bytes(tag.into()),
            || {
                let hex = super::value::hex_text(tag, None);
                if verified {
                    format!("Retry Integrity Tag: {hex} [verified]")
                } else {
                    format!("Retry Integrity Tag: {hex}")
                }
            },
        );
        return;
    }
    // Initial: token; every type: Length (RFC 9000 section 17.2.2).
    let mut token_field = None;
    if ptype == 0 {
        let cut = |d: &mut Dissection<'_>, s: Short| super::cut_header(d, ctx, &s.shifted(base));
        let (token_len, n) = match quic_varint(pkt, pos) {
            Ok(x) => x,
            Err(s) => {
                cut(d, s);
                return;
            }
        };
        token_field = Some((pos, n, token_len));
        let Some(after) = usize::try_from(token_len)
            .ok()
            .and_then(|t| pos.checked_add(n)?.checked_add(t))
        else {
            return;
        };
        pos = after;
    }
    let (length, n) = match quic_varint(pkt, pos) {
        Ok(x) => x,
        Err(s) => {
            super::cut_header(d, ctx, &s.shifted(base));
            return;
        }
    };
    let length_at = pos;
    let Some((pn_at, length, total)) = pos.checked_add(n).and_then(|pn_at| {
        let length = usize::try_from(length).ok()?;
        Some((pn_at, length, pn_at.checked_add(length)?))
    }) else {
        return;
    };
    // Initial packets open with the keys of the client's first DCID, which tshark's
    // connection remembers; without a connection the packet number stays protected.
    // (Handshake and 0-RTT keys need a key log.)
    let opened = conn
        .filter(|_| ptype == 0)
        .and_then(|c| initial_keys(c.initial_dcid.as_deref()?, !from_server, c.version))
        .and_then(|k| open(pkt, pn_at, length, &k));
    // The Length field decides, even past what the capture kept.
    d.add_generated(PACKET_LENGTH, 0, 0, Value::UInt(total as u64));
    common(d);
    d.add(LONG_PACKET_TYPE, base, 1, Value::UInt(u64::from(ptype)));
    if let Some(o) = &opened {
        // Header protection removed: the bits it hid.
        d.add(
            LONG_RESERVED,
            base,
            1,
            Value::UInt(u64::from((o.first >> 2) & 3)),
        );
        d.add(PN_LENGTH, base, 1, Value::UInt(u64::from(o.first & 3)));
    }
    cids(d);
    if let Some((at, n, token_len)) = token_field {
        d.add(TOKEN_LENGTH, base + at, n, Value::UInt(token_len));
        let len = usize::try_from(token_len).unwrap_or(0);
        if let Some(token) = bytes::slice(pkt, at + n, len).filter(|t| !t.is_empty()) {
            d.add(TOKEN, base + at + n, len, Value::Bytes(token.into()));
        }
    }
    d.add(LENGTH, base + length_at, n, Value::UInt(length as u64));
    d.set_info(|| type_name.to_string());
    cid_info(d, dcid, scid);
    // A packet the snap length cut is not malformed: its bytes were not captured.
    let cut_by_capture = ctx.record.cap_len < ctx.record.orig_len;
    if length > pkt.len().saturating_sub(pn_at) && !cut_by_capture {
        super::expert_malformed(
            d,
            base + length_at,
            n,
            "QUIC",
            format!(
                "Length {length} exceeds the {} bytes left",
                pkt.len().saturating_sub(pn_at)
            ),
        );
    }
    match opened {
        Some(opened) => {
            d.add(
                PACKET_NUMBER,
                base + pn_at,
                opened.pn_len,
                Value::UInt(opened.pn),
            );
            d.append_info(&format!(", PKN: {}", opened.pn));
            let ct = bytes::clamped(
                pkt,
                pn_at + opened.pn_len,
                length.saturating_sub(opened.pn_len),
            );
            let payload = d.add(
                PAYLOAD,
                base + pn_at + opened.pn_len,
                ct.len(),
                Value::Bytes(ct.into()),
            );
            if opened.frames.is_none() {
                // The AEAD tag did not verify (or the capture cut the packet).
                d.expert(
                    payload,
                    quic_expert(
                        super::tree::Severity::Warning,
                        "Decryption",
                        "Decryption failed: Decryption (checktag) failed: Checksum error",
                    ),
                );
            }
            let q050 = opened
                .frames
                .as_deref()
                .filter(|_| version == super::gquic::Q050)
                .and_then(super::gquic::q050_message);
            if let Some((name, fits)) = q050 {
                // Q050's handshake message names the packet, as gQUIC's do.
                d.set_info(|| name.to_string());
                if !fits {
                    super::packet::malformed(d, pkt, base + pn_at, "QUIC", length);
                }
            } else if let Some(frames) = opened.frames {
                let source = d.add_source("Decrypted QUIC".to_string(), frames.clone());
                d.set_source(source);
                let mut scratch = d.scratch();
                let stream = CryptoStream {
                    analysis: ctx.analysis,
                    frame: ctx.number,
                    conn: conn.map(|c| c.number),
                    from_server,
                };
                let names = frames_of(&mut scratch, &frames, &stream);
                d.absorb(scratch);
                d.set_source(0);
                for name in names {
                    d.append_info(&format!(", {name}"));
                }
            }
        }
        None => {
            if ptype == 1 || ptype == 2 {
                secrets_missing(d);
            }
            let rest = bytes::clamped(pkt, pn_at, length);
            d.add(
                REMAINING_PAYLOAD,
                base + pn_at,
                rest.len(),
                Value::Bytes(rest.into()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_frame, with_patched, with_truncated};

    /// RFC 9001 appendix A.1: the client's Initial keys for DCID 8394c8f03e515708.
    #[test]
    fn rfc9001_keys() {
        let dcid = [0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08];
        let k = super::initial_keys(&dcid, true, 1).expect("keys");
        let hex = |b: &[u8]| crate::dissect::value::hex_text(b, None);
        assert_eq!(hex(&k.key), "1f369613dd76d5467730efcbe3b1a22d");
        assert_eq!(hex(&k.iv), "fa044b2f42a3fd3b46fb255c");
        assert_eq!(hex(&k.hp), "9f50449e04a0e810283a1e9933adedd2");
    }

    /// quic_handshake.pcap frame 1: the client's first Initial, opened.
    #[test]
    fn client_initial() {
        with_frame("quic_handshake.pcap", 1, |d| {
            assert_eq!(d.columns.protocol, "QUIC");
            assert_eq!(
                d.columns.info,
                "Initial, DCID=84acac06b42ed863, PKN: 0, CRYPTO, PADDING"
            );
            assert_eq!(field(d, "quic.version"), "0x00000001");
            assert_eq!(field(d, "quic.packet_number"), "0");
            assert_eq!(field(d, "quic.crypto.length"), "261");
            assert_eq!(field(d, "tls.handshake.type"), "1");
        });
    }

    /// quic_handshake.pcap frames 3 (Handshake) and 9 (short header).
    #[test]
    fn handshake_and_short() {
        with_frame("quic_handshake.pcap", 3, |d| {
            assert_eq!(d.columns.info, "Handshake, SCID=51d1e44dc57a579e");
        });
        with_frame("quic_handshake.pcap", 9, |d| {
            assert_eq!(d.columns.info, "Protected Payload (KP0)");
        });
    }

    /// quic_handshake.pcap as a loaded capture shows it: a client's short header
    /// names the server's 8-byte ID (the Handshake's SCID), a server's names the
    /// client's, which is empty; alone, the length is unknown.
    #[test]
    fn short_header_dcid_from_the_connection() {
        use crate::dissect::ftp_data::tests::loaded_frame;
        loaded_frame("quic_handshake.pcap", 11, |d| {
            assert_eq!(
                d.columns.info,
                "Protected Payload (KP0), DCID=51d1e44dc57a579e"
            );
            assert_eq!(field(d, "quic.dcid"), "51d1e44dc57a579e");
        });
        loaded_frame("quic_handshake.pcap", 9, |d| {
            assert_eq!(d.columns.info, "Protected Payload (KP0)");
        });
        with_frame("quic_handshake.pcap", 11, |d| {
            assert_eq!(d.columns.info, "Protected Payload (KP0)");
        });
    }

    /// quic_retry.pcap frames 3 and 4: after the Retry, the client's Initial and the
    /// server's open with the keys of the DCID the Retry gave (the connection's).
    #[test]
    fn initial_keys_after_retry() {
        use crate::dissect::ftp_data::tests::loaded_frame;
        loaded_frame("quic_retry.pcap", 3, |d| {
            assert_eq!(
                d.columns.info,
                "Initial, DCID=e1051eaa7adfb230, PKN: 0, CRYPTO, PADDING"
            );
        });
        loaded_frame("quic_retry.pcap", 4, |d| {
            assert_eq!(
                d.columns.info,
                "Initial, SCID=1bafab9fd70531bb, PKN: 0, CRYPTO, ACK"
            );
        });
    }

    /// Zero bytes after a client's first Initial are padding, not a short header
    /// (tshark compares the DCIDs of a datagram's packets).
    #[test]
    fn zero_padding_after_a_coalesced_packet() {
        with_patched(
            "quic_handshake.pcap",
            1,
            |b| {
                // Null (4) + IPv6 (40) + UDP (8): grow the datagram by 40 zero bytes.
                b.extend_from_slice(&[0; 40]);
                let plen = u16::from_be_bytes([b[8], b[9]]) + 40;
                b[8..10].copy_from_slice(&plen.to_be_bytes());
                let ulen = u16::from_be_bytes([b[48], b[49]]) + 40;
                b[48..50].copy_from_slice(&ulen.to_be_bytes());
            },
            |d| {
                assert_eq!(
                    d.columns.info,
                    "Initial, DCID=84acac06b42ed863, PKN: 0, CRYPTO, PADDING"
                );
                assert_eq!(field(d, "quic.short"), "");
            },
        );
    }

    /// A version reserved to force Version Negotiation: tshark 4.0 derives its Initial
    /// keys with draft 29's salt, so version 1's sealed packet does not open (and its
    /// packet number is noise).
    #[test]
    fn forcing_version_negotiation_keys() {
        with_patched(
            "quic_handshake.pcap",
            1,
            |b| b[53..57].copy_from_slice(&[0x1a, 0x2a, 0x3a, 0x4a]),
            |d| {
                assert!(
                    d.columns
                        .info
                        .starts_with("Initial, DCID=84acac06b42ed863, PKN: ")
                );
                assert!(!d.columns.info.contains("CRYPTO"));
            },
        );
        assert_eq!(super::draft_version(0xff00_001d), 29);
    }

    /// quic_retry.pcap frame 2: a Retry, its integrity tag verified with the client's
    /// first DCID; frame 3 repeats the ClientHello (CRYPTO offset 0 again), which tshark
    /// notes and does not hand to TLS.
    #[test]
    fn retry() {
        with_frame("quic_retry.pcap", 2, |d| {
            assert_eq!(d.columns.info, "Retry, SCID=e1051eaa7adfb230");
            assert!(field(d, "quic.fixed_bit").is_empty());
        });
        // The tag and the CRYPTO stream need the connection, as in a loaded capture.
        use crate::dissect::ftp_data::tests::loaded_frame;
        loaded_frame("quic_retry.pcap", 2, |d| {
            let tag = d
                .nodes
                .iter()
                .find(|n| n.def().abbrev == "quic.retry_integrity_tag");
            assert!(tag.is_some_and(|n| n.label().ends_with("[verified]")));
        });
        loaded_frame("quic_retry.pcap", 3, |d| {
            assert!(field(d, "tls.handshake.type").is_empty());
            assert!(
                d.experts
                    .iter()
                    .any(|e| e.message.contains("reused stream offset"))
            );
        });
    }

    /// Version labels as tshark writes them.
    #[test]
    fn version_names() {
        assert_eq!(super::version_text(1), "1 (0x00000001)");
        assert_eq!(super::version_text(0xff00_001d), "draft-29 (0xff00001d)");
        assert_eq!(super::version_text(0x1a2a_3a4a), "Unknown (0x1a2a3a4a)");
        assert!(super::forces_negotiation(0x1a2a_3a4a));
    }

    #[test]
    fn truncated_and_impossible() {
        // Cut inside the connection IDs: a note, no panic.
        with_truncated("quic_handshake.pcap", 1, 4 + 40 + 8 + 8, |d| {
            assert_eq!(field(d, "quic.dcid"), "");
        });
        // Cut inside the payload: the tag cannot verify, the packet number shows.
        with_truncated("quic_handshake.pcap", 1, 200, |d| {
            assert_eq!(
                d.columns.info.split(", PKN").next(),
                Some("Initial, DCID=84acac06b42ed863")
            );
        });
        // A Length field past the datagram.
        with_patched(
            "quic_handshake.pcap",
            1,
            |b| {
                // Null (4) + IPv6 (40) + UDP (8): the header's Length is at 15..17.
                let at = 4 + 40 + 8 + 16;
                b[at] = 0x7f;
                b[at + 1] = 0xff;
            },
            |d| assert!(d.columns.info.starts_with("Initial, DCID=84acac06b42ed863")),
        );
    }

    /// The decrypted payload of an Initial in a student's neverssl.com lab capture
    /// (mtwbusiness909/Wireshark-Lab-MTW, "2 - TCP Handshake (neverssl.com).pcapng",
    /// frame 113, its first 16 of 1183 bytes): an ACK frame of type 3, with ECN counts,
    /// then PADDING. The field reads ACK; tshark's Info says ACK_ECN.
    #[test]
    fn ack_with_ecn_counts_in_info() {
        let frames = [
            0x03, 0x01, 0x0d, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x00, 0x00,
        ];
        let alone = crate::dissect::quic_frames::CryptoStream {
            analysis: None,
            frame: 1,
            conn: None,
            from_server: false,
        };
        let mut d = crate::dissect::Dissection::full();
        assert_eq!(
            super::frames_of(&mut d, &frames, &alone),
            ["ACK_ECN", "PADDING"]
        );
        assert_eq!(crate::dissect::testing::field(&d, "quic.frame_type"), "3,0");
        assert!(d.nodes.iter().any(|n| n.label() == "ACK"));
        // Cut inside the ECN counts: the ACK frame is not named.
        let mut d = crate::dissect::Dissection::full();
        assert!(crate::dissect::quic_frames::frames_of(&mut d, &frames[..6], &alone).is_empty());
    }
}
