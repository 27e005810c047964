//! ERSPAN, Cisco's Encapsulated Remote Switch Port ANalysis, inside GRE: a switch
//! mirrors a port's frames to a collector. GRE type 0x88be carries Type I (no header,
//! when the GRE sequence number is absent) or Type II (an 8-byte header), 0x22eb Type
//! III (a 12-byte header and an optional 8-byte platform subheader). As tshark 4.0
//! shows it: Protocol `ERSPAN`, Info `ERSPAN:`, then the mirrored Ethernet frame
//! (without FCS), whose dissectors write both columns again.

use super::context::PacketContext;
use super::field::kinds::*;
use super::field::{Base, FieldId};
use super::tree::{Dissection, Expert, Severity};
use super::value::Value;
use crate::bytes;

/// GRE protocol type of Types I and II.
pub const GRE_TYPE_88BE: u16 = 0x88be;
/// GRE protocol type of Type III.
pub const GRE_TYPE_22EB: u16 = 0x22eb;

const VERSIONS: &[(u64, &str)] = &[(1, "Type II"), (2, "Type III")];
const ENCAPS: &[(u64, &str)] = &[
    (0, "Originally without VLAN tag"),
    (1, "ISL encapsulated"),
    (2, "802.1Q encapsulated"),
    (3, "VLAN tag preserved in frame"),
];
const BSO: &[(u64, &str)] = &[
    (0, "Good or unknown integrity"),
    (1, "Short frame"),
    (2, "Oversized frame"),
    (3, "CRC or alignment error"),
];
const TRUNCATED: &[(u64, &str)] = &[(0, "Not truncated"), (1, "Truncated")];
const FRAME_TYPES: &[(u64, &str)] = &[(0, "Ethernet"), (2, "IP")];
const GRANULARITY: &[(u64, &str)] = &[
    (0, "100 microseconds"),
    (1, "100 nanoseconds"),
    (2, "IEEE 1588"),
    (3, "Custom granularity"),
];
const DIRECTION: &[&str; 2] = &["Egress", "Ingress"];

crate::define_fields! { after super::msnms::END;
    ERSPAN = "erspan", "Encapsulated Remote Switch Packet ANalysis", PROTO;
    VERSION = "erspan.version", "Version", uint(16, Base::Dec, 0xf000, Some(VERSIONS));
    VLAN = "erspan.vlan", "Vlan", uint(16, Base::Dec, 0x0fff, None);
    COS = "erspan.cos", "COS", uint(16, Base::Dec, 0xe000, None);
    ENCAP = "erspan.encap", "Encap", uint(16, Base::Dec, 0x1800, Some(ENCAPS));
    BSO_FIELD = "erspan.bso", "Bad/Short/Oversized", uint(16, Base::Dec, 0x1800, Some(BSO));
    TRUNCATED_FIELD = "erspan.truncated", "Truncated", uint(16, Base::Dec, 0x0400, Some(TRUNCATED));
    SPANID = "erspan.spanid", "SpanID", uint(16, Base::Dec, 0x03ff, None);
    RESERVED = "erspan.reserved", "Reserved", uint(32, Base::Dec, 0xfff0_0000, None);
    INDEX = "erspan.index", "Index", uint(32, Base::Dec, 0x000f_ffff, None);
    TIMESTAMP = "erspan.timestamp", "Timestamp", uint(32, Base::Dec, 0xffff_ffff, None);
    SGT = "erspan.sgt", "Security Group Tag", uint(16, Base::Dec, 0xffff, None);
    P = "erspan.p", "Has Ethernet PDU", uint(16, Base::Dec, 0x8000, None);
    FT = "erspan.ft", "Frame Type", uint(16, Base::Dec, 0x7c00, Some(FRAME_TYPES));
    HW = "erspan.hw", "Hardware ID", uint(16, Base::Dec, 0x03f0, None);
    DIRECTION_FIELD = "erspan.direction", "Direction", bool_words(16, 0x0008, DIRECTION);
    GRA = "erspan.gra", "Timestamp granularity", uint(16, Base::Dec, 0x0006, Some(GRANULARITY));
    O = "erspan.o", "Optional Sub headers", uint(16, Base::Dec, 0x0001, None);
    PLATID = "erspan.platid", "Platform ID", uint(32, Base::Dec, 0xfc00_0000, None);
}

/// The ERSPAN payload of a GRE packet of type `gre_type` at `at`; `gre_sequence`:
/// whether the GRE header carries a sequence number (a 0x88be packet has an ERSPAN
/// header only then).
pub fn dissect<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    data: &'a [u8],
    at: usize,
    gre_type: u16,
    gre_sequence: bool,
) {
    if gre_type == GRE_TYPE_88BE && !gre_sequence {
        // Type I: a placeholder item, then the frame itself.
        d.add_labeled(ERSPAN, at, 0, Value::None, || {
            "Encapsulated Remote Switch Packet ANalysis Type I".into()
        });
        d.push_layer("erspan");
        columns(d);
        super::ethernet::dissect(d, ctx, data, at);
        return;
    }
    let Some(word) = bytes::be_u16(data, at) else {
        super::truncated(d, ctx, data, at, "ERSPAN");
        return;
    };
    let version = word >> 12;
    let item = d.add_labeled(
        ERSPAN,
        at,
        data.len().saturating_sub(at),
        Value::None,
        || {
            let name = super::value::value_name(Some(VERSIONS), u64::from(version));
            format!(
                "Encapsulated Remote Switch Packet ANalysis {}",
                name.unwrap_or("Unknown")
            )
        },
    );
    d.push_layer("erspan");
    columns(d);
    d.begin(item);
    let version_item = d.add(VERSION, at, 2, Value::UInt(u64::from(version)));
    let header = match version {
        1 => type_ii(d, ctx, data, at),
        2 => type_iii(d, ctx, data, at),
        _ => {
            d.expert(
                version_item,
                Expert {
                    severity: Severity::Warning,
                    group: "Undecoded",
                    protocol: "ERSPAN",
                    message: std::borrow::Cow::Borrowed(
                        "Unknown version, please report or test to use fake ERSPAN preference",
                    ),
                },
            );
            d.end();
            return;
        }
    };
    d.end();
    match header {
        Some((len, 0)) => super::ethernet::dissect(d, ctx, data, at + len),
        Some((len, _)) => super::data::dissect(d, data, at + len),
        None => {}
    }
}

/// ERSPAN's columns, before the frame's dissectors write theirs.
fn columns(d: &mut Dissection<'_>) {
    d.set_protocol("ERSPAN");
    d.set_info(|| "ERSPAN:".into());
}

/// The VLAN and session words both header types open with; `two_bits`: the field
/// bits 11-12 hold (Type II's encapsulation, Type III's bad/short/oversized).
fn session_words(d: &mut Dissection<'_>, at: usize, first: u16, second: u16, two_bits: FieldId) {
    d.add(VLAN, at, 2, Value::UInt(u64::from(first & 0x0fff)));
    d.add(COS, at + 2, 2, Value::UInt(u64::from(second >> 13)));
    d.add(
        two_bits,
        at + 2,
        2,
        Value::UInt(u64::from((second >> 11) & 3)),
    );
    d.add(
        TRUNCATED_FIELD,
        at + 2,
        2,
        Value::UInt(u64::from((second >> 10) & 1)),
    );
    d.add(SPANID, at + 2, 2, Value::UInt(u64::from(second & 0x03ff)));
}

/// Where the mirrored Ethernet frame starts in the ERSPAN payload `payload` of a GRE
/// packet of type `gre_type`, or `None` when it carries none (an unknown version, a
/// Type III frame type other than Ethernet, a cut header). The parallel load routes
/// by it.
pub fn frame_offset(gre_type: u16, gre_sequence: bool, payload: &[u8]) -> Option<usize> {
    if gre_type == GRE_TYPE_88BE && !gre_sequence {
        return Some(0);
    }
    match bytes::be_u16(payload, 0)? >> 12 {
        1 => Some(8),
        2 => {
            let bits = bytes::be_u16(payload, 10)?;
            ((bits >> 10) & 0x1f == 0).then_some(if bits & 1 == 0 { 12 } else { 20 })
        }
        _ => None,
    }
}

/// The Type II header's fields; its length and frame type (always Ethernet), or
/// `None` when the packet is cut inside it.
fn type_ii(
    d: &mut Dissection<'_>,
    ctx: &PacketContext<'_>,
    data: &[u8],
    at: usize,
) -> Option<(usize, u16)> {
    let (Some(first), Some(second), Some(third)) = (
        bytes::be_u16(data, at),
        bytes::be_u16(data, at + 2),
        bytes::be_u32(data, at + 4),
    ) else {
        d.end();
        super::truncated(d, ctx, data, at, "ERSPAN");
        return None;
    };
    session_words(d, at, first, second, ENCAP);
    d.add(RESERVED, at + 4, 4, Value::UInt(u64::from(third >> 20)));
    d.add(
        INDEX,
        at + 4,
        4,
        Value::UInt(u64::from(third & 0x000f_ffff)),
    );
    Some((8, 0))
}

/// The Type III header's fields (and its platform subheader's ID, whose 8 bytes it
/// skips); its length and frame type, or `None` when the packet is cut inside it.
fn type_iii(
    d: &mut Dissection<'_>,
    ctx: &PacketContext<'_>,
    data: &[u8],
    at: usize,
) -> Option<(usize, u16)> {
    let (Some(first), Some(second), Some(timestamp), Some(sgt), Some(bits)) = (
        bytes::be_u16(data, at),
        bytes::be_u16(data, at + 2),
        bytes::be_u32(data, at + 4),
        bytes::be_u16(data, at + 8),
        bytes::be_u16(data, at + 10),
    ) else {
        d.end();
        super::truncated(d, ctx, data, at, "ERSPAN");
        return None;
    };
    session_words(d, at, first, second, BSO_FIELD);
    d.add(TIMESTAMP, at + 4, 4, Value::UInt(u64::from(timestamp)));
    d.add(SGT, at + 8, 2, Value::UInt(u64::from(sgt)));
    let frame_type = (bits >> 10) & 0x1f;
    d.add(P, at + 10, 2, Value::UInt(u64::from(bits >> 15)));
    d.add(FT, at + 10, 2, Value::UInt(u64::from(frame_type)));
    d.add(HW, at + 10, 2, Value::UInt(u64::from((bits >> 4) & 0x3f)));
    d.add(DIRECTION_FIELD, at + 10, 2, Value::Bool(bits & 0x0008 != 0));
    d.add(GRA, at + 10, 2, Value::UInt(u64::from((bits >> 1) & 3)));
    d.add(O, at + 10, 2, Value::UInt(u64::from(bits & 1)));
    if bits & 1 == 0 {
        return Some((12, frame_type));
    }
    // The platform subheader: its ID names the layout of the rest; every layout is
    // 8 bytes long.
    let Some(platform) = bytes::be_u32(data, at + 12) else {
        d.end();
        super::truncated(d, ctx, data, at + 12, "ERSPAN");
        return None;
    };
    d.add(PLATID, at + 12, 4, Value::UInt(u64::from(platform >> 26)));
    if bytes::slice(data, at + 12, 8).is_none() {
        d.end();
        super::truncated(d, ctx, data, at + 16, "ERSPAN");
        return None;
    }
    Some((20, frame_type))
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_frame, with_truncated};

    /// tcpdump's erspan-type-ii-1.pcap: a Type II header before a multicast frame.
    #[test]
    fn type_ii_header_then_the_frame() {
        with_frame("erspan-type-ii-1.pcap", 1, |d| {
            assert_eq!(field(d, "erspan.version"), "1");
            assert_eq!(field(d, "erspan.vlan"), "342");
            assert_eq!(field(d, "erspan.cos"), "6");
            assert_eq!(field(d, "erspan.spanid"), "666");
            assert_eq!(field(d, "erspan.index"), "32760");
            // The outer frame's source, then the mirrored one's.
            assert_eq!(field(d, "eth.src"), "00:25:9e:81:b3:54,00:1f:9e:d2:a9:80");
        });
    }

    /// tcpdump's erspan-type-iii-ft-0.pcap: a Type III header (frame type Ethernet).
    #[test]
    fn type_iii_header_then_the_frame() {
        with_frame("erspan-type-iii-ft-0.pcap", 1, |d| {
            assert_eq!(field(d, "erspan.version"), "2");
            assert_eq!(field(d, "erspan.ft"), "0");
            assert!(!field(d, "eth.dst").is_empty());
        });
    }

    /// Every cut inside the headers dissects without a panic.
    #[test]
    fn cut_headers() {
        for name in [
            "erspan-type-ii-1.pcap",
            "erspan-type-iii-ft-0.pcap",
            "erspan-type-i-3.pcap",
        ] {
            for len in 0..70 {
                with_truncated(name, 1, len, |_| ());
            }
        }
    }
}
