//! ISAKMP and IKE (RFC 2408, RFC 7296) on UDP 500 and, after the zero non-ESP
//! marker, UDP 4500: the 28-byte header (SPIs, next payload, version, exchange type,
//! flags, message ID, length) and the chain of generic payload headers.

use super::context::PacketContext;
use super::field::Base;
use super::field::kinds::*;
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;

#[rustfmt::skip]
const EXCHANGES_V1: &[(u64, &str)] = &[
    (0, "NONE"), (1, "Base"), (2, "Identity Protection (Main Mode)"), (3, "Authentication Only"),
    (4, "Aggressive"), (5, "Informational"), (6, "Transaction (Config Mode)"), (32, "Quick Mode"),
    (33, "New Group Mode"),
];
#[rustfmt::skip]
const EXCHANGES_V2: &[(u64, &str)] = &[
    (34, "IKE_SA_INIT"), (35, "IKE_AUTH"), (36, "CREATE_CHILD_SA"), (37, "INFORMATIONAL"),
    (38, "IKE_SESSION_RESUME"),
];
#[rustfmt::skip]
const PAYLOADS: &[(u64, &str)] = &[
    (0, "NONE / No Next Payload "), (1, "Security Association"), (2, "Proposal"),
    (3, "Transform"), (4, "Key Exchange"), (5, "Identification"), (6, "Certificate"),
    (7, "Certificate Request"), (8, "Hash"), (9, "Signature"), (10, "Nonce"),
    (11, "Notification"), (12, "Delete"), (13, "Vendor ID"), (14, "Attributes"),
    (15, "SA KEK Payload"), (16, "SA TEK Payload"), (17, "Key Download"),
    (18, "Sequence Number"), (19, "Proof of Possession"), (20, "NAT-D (RFC 3947)"),
    (21, "NAT-OA (RFC 3947)"), (22, "Group Associated Policy"), (33, "Security Association"),
    (34, "Key Exchange"), (35, "Identification - Initiator"), (36, "Identification - Responder"),
    (37, "Certificate"), (38, "Certificate Request"), (39, "Authentication"), (40, "Nonce"),
    (41, "Notify"), (42, "Delete"), (43, "Vendor ID"), (44, "Traffic Selector - Initiator"),
    (45, "Traffic Selector - Responder"), (46, "Encrypted and Authenticated"),
    (47, "Configuration"), (48, "Extensible Authentication"),
    (49, "Generic Secure Password Method"), (50, "Group Identification"),
    (51, "Group Security Association"), (52, "Key Download"),
    (53, "Encrypted and Authenticated Fragment"),
    (130, "NAT-D (draft-ietf-ipsec-nat-t-ike-01 to 03)"),
    (131, "NAT-OA (draft-ietf-ipsec-nat-t-ike-01 to 03)"), (132, "Cisco-Fragmentation"),
];

crate::define_fields! { after super::pppoe::END;
    ISAKMP = "isakmp", "Internet Security Association and Key Management Protocol", PROTO;
    ISPI = "isakmp.ispi", "Initiator SPI", BYTES;
    RSPI = "isakmp.rspi", "Responder SPI", BYTES;
    NEXT_PAYLOAD = "isakmp.nextpayload", "Next payload", Kind::UInt { bits: 8, base: Base::Dec, mask: 0, strings: None };
    VERSION = "isakmp.version", "Version", hex(8);
    MJVER = "isakmp.mjver", "MjVer", uint(8, Base::Hex, 0xf0, None);
    MNVER = "isakmp.mnver", "MnVer", uint(8, Base::Hex, 0x0f, None);
    EXCHTYPE = "isakmp.exchangetype", "Exchange type", dec(8);
    FLAGS = "isakmp.flags", "Flags", hex(8);
    FLAG_E = "isakmp.flag_e", "Encryption", bool_words(8, 0x01, &["Encrypted", "Not encrypted"]);
    FLAG_C = "isakmp.flag_c", "Commit", bool_words(8, 0x02, &["Commit", "No commit"]);
    FLAG_A = "isakmp.flag_a", "Authentication", bool_words(8, 0x04, &["Authentication", "No authentication"]);
    FLAG_I = "isakmp.flag_i", "Initiator", bool_words(8, 0x08, &["Initiator", "Responder"]);
    FLAG_V = "isakmp.flag_v", "Version", bool_words(8, 0x10, &["A higher version enabled", "No higher version"]);
    FLAG_R = "isakmp.flag_r", "Response", bool_words(8, 0x20, &["Response", "Request"]);
    MESSAGEID = "isakmp.messageid", "Message ID", hex(32);
    LENGTH = "isakmp.length", "Length", dec(32);
    TYPEPAYLOAD = "isakmp.typepayload", "Payload", dec(8);
    CRITICAL = "isakmp.criticalpayload", "Critical Bit", bool_words(8, 0x80, &["Critical", "Not critical"]);
    PAYLOAD_LENGTH = "isakmp.payloadlength", "Payload length", dec(16);
    ENC_DATA = "isakmp.enc.data", "Encrypted Data", NONE;
}

use super::field::Kind;

/// The fixed header's size (RFC 2408 section 3.1).
const HEADER: usize = 28;
/// Payloads followed at most in one message.
const MAX_PAYLOADS: usize = 64;

/// A payload type's name, with the ranges tshark names.
fn payload_name(kind: u8) -> &'static str {
    match super::value::value_name(Some(PAYLOADS), u64::from(kind)) {
        Some(name) => name,
        None if (54..=127).contains(&kind) => "Unassigned",
        None => "Private Use",
    }
}

/// Dissects an ISAKMP message in `payload` (at `offset` in the frame; `reported`
/// bytes on the wire); what is too short to be one is data under ISAKMP's column, as
/// tshark leaves it.
pub fn dissect<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    offset: usize,
    payload: &'a [u8],
    reported: usize,
) -> bool {
    // tshark names the protocol and clears Info before it decides to refuse.
    d.set_protocol("ISAKMP");
    d.set_info(String::new);
    // RFC 2408 section 3.1: a message is at least its 28-byte header, and says so;
    // anything else stays data under tshark's ISAKMP column.
    let length = bytes::be_u32(payload, HEADER - 4);
    if reported < HEADER || length.is_some_and(|l| l < HEADER as u32) {
        super::data::dissect_bytes(d, payload, offset);
        return true;
    }
    let Some(length) = length else {
        super::truncated(d, ctx, payload, offset + payload.len(), "ISAKMP");
        return true;
    };
    let (Some(ispi), Some(rspi), Some(next), Some(version), Some(exch), Some(flags), Some(mid)) = (
        bytes::slice(payload, 0, 8),
        bytes::slice(payload, 8, 8),
        bytes::u8_at(payload, 16),
        bytes::u8_at(payload, 17),
        bytes::u8_at(payload, 18),
        bytes::u8_at(payload, 19),
        bytes::be_u32(payload, 20),
    ) else {
        super::truncated(d, ctx, payload, offset + payload.len(), "ISAKMP");
        return true;
    };
    let major = version >> 4;
    d.open_protocol(ISAKMP, (offset, payload.len()), "isakmp", "ISAKMP");
    let exch_name = |table| {
        super::value::value_name(Some(table), u64::from(exch))
            .map_or_else(|| format!("Unknown {exch}"), str::to_string)
    };
    match major {
        1 => d.set_info(|| exch_name(EXCHANGES_V1)),
        2 => d.set_info(|| {
            // RFC 7296 section 3.1: the Initiator (bit 3) and Response (bit 5) flags.
            let who = if flags & 0x08 != 0 {
                "Initiator"
            } else {
                "Responder"
            };
            let what = if flags & 0x20 != 0 {
                "Response"
            } else {
                "Request"
            };
            format!("{} MID={mid:02} {who} {what}", exch_name(EXCHANGES_V2))
        }),
        _ => {}
    }
    d.add(ISPI, offset, 8, Value::Bytes(ispi.into()));
    d.add(RSPI, offset + 8, 8, Value::Bytes(rspi.into()));
    let name = payload_name(next);
    d.add_labeled(
        NEXT_PAYLOAD,
        offset + 16,
        1,
        Value::UInt(u64::from(next)),
        || format!("Next payload: {name} ({next})"),
    );
    let v = d.add_labeled(
        VERSION,
        offset + 17,
        1,
        Value::UInt(u64::from(version)),
        || format!("Version: {}.{}", major, version & 0x0f),
    );
    d.begin(v);
    d.add(MJVER, offset + 17, 1, Value::UInt(u64::from(major)));
    d.add(
        MNVER,
        offset + 17,
        1,
        Value::UInt(u64::from(version & 0x0f)),
    );
    d.end();
    let table = if major == 2 {
        EXCHANGES_V2
    } else {
        EXCHANGES_V1
    };
    let exch_label = super::value::value_name(Some(table), u64::from(exch)).unwrap_or("Unknown");
    // Only IKEv1 and IKEv2 have an exchange type tshark shows.
    if major == 1 || major == 2 {
        d.add_labeled(
            EXCHTYPE,
            offset + 18,
            1,
            Value::UInt(u64::from(exch)),
            || format!("Exchange type: {exch_label} ({exch})"),
        );
    }
    let f = d.add(FLAGS, offset + 19, 1, Value::UInt(u64::from(flags)));
    d.begin(f);
    let bit = |mask: u8| Value::Bool(flags & mask != 0);
    match major {
        1 => {
            d.add(FLAG_E, offset + 19, 1, bit(0x01));
            d.add(FLAG_C, offset + 19, 1, bit(0x02));
            d.add(FLAG_A, offset + 19, 1, bit(0x04));
        }
        2 => {
            d.add(FLAG_I, offset + 19, 1, bit(0x08));
            d.add(FLAG_V, offset + 19, 1, bit(0x10));
            d.add(FLAG_R, offset + 19, 1, bit(0x20));
            let words = |set: bool, yes: &'static str, no: &'static str| if set { yes } else { no };
            let label = format!(
                "Flags: 0x{flags:02x} ({}, {}, {})",
                words(flags & 0x08 != 0, "Initiator", "Responder"),
                words(
                    flags & 0x10 != 0,
                    "A higher version enabled",
                    "No higher version"
                ),
                words(flags & 0x20 != 0, "Response", "Request"),
            );
            d.set_label(f, || label);
        }
        _ => {}
    }
    d.end();
    d.add(MESSAGEID, offset + 20, 4, Value::UInt(u64::from(mid)));
    // tshark takes the body's length as a signed 32-bit number: a length 2^31 or more
    // past the header is "too large" and ends the dissection, without an error.
    if length - HEADER as u32 > i32::MAX as u32 {
        d.add_labeled(
            LENGTH,
            offset + 24,
            4,
            Value::UInt(u64::from(length)),
            || format!("Length: (bogus, length is {length}, which is too large)"),
        );
        d.end();
        return true;
    }
    let total = usize::try_from(length).unwrap_or(usize::MAX);
    let body_len = total - HEADER;
    if payload.len() < total {
        // tshark makes sure the whole message is there before its length item.
        d.end();
        let cut = ctx.record.cap_len < ctx.record.orig_len && reported >= total;
        if cut {
            super::packet::short(d, "ISAKMP", None);
        } else {
            super::packet::malformed_pdu(d, "ISAKMP", offset + payload.len(), 0);
        }
        return true;
    }
    d.add(LENGTH, offset + 24, 4, Value::UInt(u64::from(length)));
    let body = payload.get(HEADER..HEADER + body_len).unwrap_or_default();
    let mut bad = false;
    if major == 1 && flags & 0x01 != 0 {
        if !body.is_empty() {
            let len = body.len();
            d.add_labeled(ENC_DATA, offset + HEADER, len, Value::None, || {
                format!(
                    "Encrypted Data ({len} byte{})",
                    if len == 1 { "" } else { "s" }
                )
            });
        }
    } else {
        // Walked without a tree too: a proposal that does not fit is an error in
        // the summary line.
        payloads(d, offset + HEADER, body, (next, major, false), &mut bad);
    }
    d.end();
    if bad {
        super::packet::malformed_pdu(d, "ISAKMP", offset + payload.len(), 0);
    }
    true
}

/// The chain of generic payload headers (RFC 2408 section 3.2, RFC 7296 section
/// 3.2): each item names its type and holds next payload, flags and length; a
/// Security Association holds its proposals and their transforms the same way.
// TODO(lab5): the other payloads' bodies (KE, Nonce, Notify, Vendor ID names...).
fn payloads(
    d: &mut Dissection<'_>,
    at: usize,
    body: &[u8],
    (first, major, nested): (u8, u8, bool),
    bad: &mut bool,
) {
    let mut kind = first;
    let mut off = 0usize;
    for _ in 0..MAX_PAYLOADS {
        if kind == 0 {
            break;
        }
        let rest = body.get(off..).unwrap_or_default();
        let Some((item, len)) = header(d, at + off, rest, kind, major, nested) else {
            break;
        };
        let inner = body.get(off + 4..off + len).unwrap_or_default();
        let next = bytes::u8_at(body, off).unwrap_or_default();
        match kind {
            // RFC 2407 section 4.6.1: IKEv1's SA has a DOI and, for IPsec, a
            // situation before its proposals; IKEv2's starts with them.
            1 | 33 => {
                let skip = match (major, bytes::be_u32(inner, 0)) {
                    (2, _) => Some(0),
                    (_, Some(1)) => Some(8),
                    _ => None,
                };
                if let Some(skip) = skip
                    && let Some(proposals) = inner.get(skip..)
                {
                    payloads(d, at + off + 4 + skip, proposals, (2, major, true), bad);
                }
            }
            2 if nested => {
                // tshark numbers a proposal in its item.
                if let Some(number) = bytes::u8_at(inner, 0) {
                    d.set_label(item, || format!("Payload: Proposal (2) # {number}"));
                }
                proposal(d, at + off + 4, inner, major, bad);
            }
            _ => {}
        }
        d.end();
        if len < 4 {
            break;
        }
        off += len;
        kind = next;
        if off >= body.len() {
            break;
        }
    }
}

/// A payload's generic header at `at` (`rest`: the bytes from there): its item,
/// left open for what it holds, and its length; `None` when it is cut.
fn header(
    d: &mut Dissection<'_>,
    at: usize,
    rest: &[u8],
    kind: u8,
    major: u8,
    nested: bool,
) -> Option<(usize, usize)> {
    let (Some(next), Some(flags), Some(len)) = (
        bytes::u8_at(rest, 0),
        bytes::u8_at(rest, 1),
        bytes::be_u16(rest, 2),
    ) else {
        return None;
    };
    let len = usize::from(len);
    let name = payload_name(kind);
    let shown = len.clamp(4, rest.len());
    let item = d.add_labeled(TYPEPAYLOAD, at, shown, Value::UInt(u64::from(kind)), || {
        format!("Payload: {name} ({kind})")
    });
    d.begin(item);
    let next_name = payload_name(next);
    d.add_labeled(NEXT_PAYLOAD, at, 1, Value::UInt(u64::from(next)), || {
        format!("Next payload: {next_name} ({next})")
    });
    if major == 2 && !nested {
        d.add(CRITICAL, at + 1, 1, Value::Bool(flags & 0x80 != 0));
    }
    d.add(PAYLOAD_LENGTH, at + 2, 2, Value::UInt(len as u64));
    Some((item, len))
}

/// A proposal's body (RFC 2408 section 3.5): number, protocol, SPI size, the
/// transform count, the SPI, then that many transforms; `bad` is set when they do
/// not fit (tshark's Malformed errors).
fn proposal(d: &mut Dissection<'_>, at: usize, body: &[u8], major: u8, bad: &mut bool) {
    let (Some(spi_size), Some(count)) = (bytes::u8_at(body, 2), bytes::u8_at(body, 3)) else {
        return;
    };
    let mut off = 4 + usize::from(spi_size);
    for _ in 0..count {
        let rest = body.get(off..).unwrap_or_default();
        if rest.len() < 4 {
            d.text(at + off, rest.len(), || {
                "Not enough room in payload for all transforms".to_string()
            });
            *bad = true;
            break;
        }
        let Some((item, len)) = header(d, at + off, rest, 3, major, true) else {
            break;
        };
        // IKEv1 numbers its transforms (RFC 2408 section 3.6).
        if major == 1
            && let Some(number) = bytes::u8_at(rest, 4)
        {
            d.set_label(item, || format!("Payload: Transform (3) # {number}"));
        }
        d.end();
        if len > rest.len() {
            let left = rest.len();
            d.text(at + off, left, || {
                format!("Payload (bogus, length is {len}, greater than remaining length {left}")
            });
            *bad = true;
            break;
        }
        if len < 4 {
            break;
        }
        off += len;
    }
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_frame, with_truncated};

    /// ikev2four.pcap (tcpdump's tests) frame 1: an IKEv2 IKE_SA_INIT request.
    #[test]
    fn ikev2_sa_init() {
        with_frame("ikev2four.pcap", 1, |d| {
            assert_eq!(d.columns.protocol, "ISAKMP");
            assert_eq!(d.columns.info, "IKE_SA_INIT MID=00 Initiator Request");
            assert_eq!(field(d, "isakmp.ispi"), "a88875a8198992a6");
            assert_eq!(field(d, "isakmp.rspi"), "0000000000000000");
            // The SA's proposal and its transforms have payload headers too.
            assert!(field(d, "isakmp.nextpayload").starts_with("33,34,0,3,3,"));
            assert_eq!(field(d, "isakmp.version"), "0x20");
            assert_eq!(field(d, "isakmp.exchangetype"), "34");
            assert_eq!(field(d, "isakmp.flags"), "0x08");
            assert_eq!(field(d, "isakmp.messageid"), "0x00000000");
            assert_eq!(field(d, "isakmp.length"), "376");
            assert!(field(d, "isakmp.typepayload").ends_with(",3,34,40,41,41"));
            assert_eq!(field(d, "isakmp.criticalpayload"), "0,0,0,0,0");
        });
        with_frame("ikev2four.pcap", 2, |d| {
            assert_eq!(d.columns.info, "IKE_SA_INIT MID=00 Responder Response");
        });
    }

    /// isakmp4500.pcap frame 3: IKEv1 Main Mode on UDP 500; frame 11: an encrypted
    /// Quick Mode message behind UDP 4500's non-ESP marker.
    #[test]
    fn ikev1_over_udp_4500() {
        with_frame("isakmp4500.pcap", 3, |d| {
            assert_eq!(d.columns.info, "Identity Protection (Main Mode)");
            assert_eq!(field(d, "isakmp.exchangetype"), "2");
        });
        with_frame("isakmp4500.pcap", 11, |d| {
            assert_eq!(d.columns.info, "Quick Mode");
            assert_eq!(field(d, "isakmp.flag_e"), "1");
            assert!(d.has(super::ENC_DATA));
            assert!(d.has(crate::dissect::udpencap::NON_ESP_MARKER));
            assert_eq!(d.layers_joined(), "eth:ethertype:ip:udp:udpencap:isakmp");
        });
    }

    /// Cut inside the header (short, ISAKMP's column with an empty Info) and inside
    /// the message (short, the Info column already set).
    #[test]
    fn truncated() {
        // 4 bytes of the null link, 20 of IPv4, 8 of UDP: the header ends at 60.
        with_truncated("ikev2four.pcap", 1, 50, |d| {
            assert_eq!(d.columns.protocol, "ISAKMP");
            assert_eq!(d.columns.info, "[Packet size limited during capture]");
        });
        with_truncated("ikev2four.pcap", 1, 100, |d| {
            assert_eq!(
                d.columns.info,
                "IKE_SA_INIT MID=00 Initiator Request[Packet size limited during capture]"
            );
        });
    }

    /// Every prefix of an IKEv2 message and of an IKEv1 one behind the non-ESP
    /// marker: a decode or a mark, never a panic.
    #[test]
    fn every_prefix() {
        for (name, number, len) in [("ikev2four.pcap", 1, 408), ("isakmp4500.pcap", 11, 98)] {
            for cut in 0..=len {
                with_truncated(name, number, cut, |d| {
                    assert!(!d.columns.protocol.is_empty() || cut == 0);
                });
            }
        }
    }
}
