//! Ethernet II (and 802.3 length frames), and the EtherType dispatch shared with VLAN
//! tags and Linux cooked captures.

use super::context::PacketContext;
use super::field::kinds::*;
use super::tree::Dissection;
use super::value::{Value, ether_text};
use super::{arp, data, ipv4, ipv6, vlan};
use crate::bytes;
use std::hint::cold_path;

pub use super::ethertype_names::ETHERTYPES;

/// The EtherTypes tshark hands to a dissector of its own that synack does not have:
/// such a frame is shown as Ethernet with the type's name (the rest are dissected here,
/// or shown as tshark shows a type nothing dissects).
const DISSECTED_ELSEWHERE: &[(u64, &str)] = &[
    (0x8847, "MPLS label switched packet"),
    (0x8848, "MPLS multicast label switched packet"),
];

const LG_NAMES: &[(u64, &str)] = &[
    (0, "Globally unique address (factory default)"),
    (
        1,
        "Locally administered address (this is NOT the factory default)",
    ),
];
const IG_NAMES: &[(u64, &str)] = &[
    (0, "Individual address (unicast)"),
    (1, "Group address (multicast/broadcast)"),
];

crate::define_fields! { after super::frame::END;
    ETH = "eth", "Ethernet II", PROTO;
    DST = "eth.dst", "Destination", ETHER;
    DST_RESOLVED = "eth.dst_resolved", "Destination (resolved)", STR;
    SRC = "eth.src", "Source", ETHER;
    SRC_RESOLVED = "eth.src_resolved", "Source (resolved)", STR;
    ADDR = "eth.addr", "Address", ETHER;
    ADDR_RESOLVED = "eth.addr_resolved", "Address (resolved)", STR;
    LG = "eth.lg", "LG bit", uint(24, super::field::Base::Names, 0x020000, Some(LG_NAMES));
    IG = "eth.ig", "IG bit", uint(24, super::field::Base::Names, 0x010000, Some(IG_NAMES));
    TYPE = "eth.type", "Type", hex_named(16, ETHERTYPES);
    INVALID_LENTYPE = "eth.invalid_lentype", "Invalid length/type", hex_dec(16);
    LEN = "eth.len", "Length", dec(16);
    PADDING = "eth.padding", "Padding", BYTES;
    TRAILER = "eth.trailer", "Trailer", BYTES;
    REALTEK = "realtek", "Realtek Layer 2 Protocols", PROTO;
    REALTEK_PACKET = "realtek.packet", "Unknown packet", BYTES;
}

/// A MAC address as tshark shows it in columns and `*_resolved` fields: its vendor or
/// well-known name (`Intel_b7:f2:f5`, `Broadcast`), or its hex form when it has none
/// or names are off (`-n`).
pub fn mac_name(addr: &[u8; 6]) -> String {
    if crate::manuf::enabled()
        && let Some(name) = crate::manuf::resolve(addr)
    {
        return name;
    }
    ether_text(addr)
}

/// `Name (aa:bb:cc:dd:ee:ff)` as tshark labels addresses; the hex form alone with `-n`.
pub fn mac_label(addr: &[u8; 6]) -> String {
    if crate::manuf::enabled() {
        format!("{} ({})", mac_name(addr), ether_text(addr))
    } else {
        ether_text(addr)
    }
}

/// Adds one MAC address item with its Address/LG/IG children.
pub fn address_tree<'a>(
    d: &mut Dissection<'a>,
    field: super::field::FieldId,
    resolved: super::field::FieldId,
    name: &'static str,
    addr: [u8; 6],
    start: usize,
) {
    let item = d.add_labeled(field, start, 6, Value::Ether(addr), || {
        format!("{name}: {}", mac_label(&addr))
    });
    d.begin(item);
    if d.wants(resolved) {
        d.add_hidden(
            resolved,
            start,
            6,
            Value::Str(mac_name(&addr).into_bytes().into()),
        );
    }
    d.add_labeled(ADDR, start, 6, Value::Ether(addr), || {
        format!("Address: {}", mac_label(&addr))
    });
    if d.wants(ADDR_RESOLVED) {
        d.add_hidden(
            ADDR_RESOLVED,
            start,
            6,
            Value::Str(mac_name(&addr).into_bytes().into()),
        );
    }
    let first = u64::from(addr[0]);
    d.add(LG, start, 3, Value::UInt((first >> 1) & 1));
    d.add(IG, start, 3, Value::UInt(first & 1));
    d.end();
}

/// Dissects an Ethernet header at `offset`.
pub fn dissect<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, data: &'a [u8], offset: usize) {
    let (Some(dst), Some(src), Some(kind)) = (
        bytes::array::<6>(data, offset),
        bytes::array::<6>(data, offset + 6),
        bytes::be_u16(data, offset + 12),
    ) else {
        super::malformed(d, data, offset, "Ethernet", 14);
        return;
    };
    // Up to 1500 the field is 802.3's length (0 excepted: tshark reads it as an
    // unknown type); from 1536 (0x0600) an EtherType; in between, neither.
    let is_length = kind != 0 && kind <= 1500;
    let invalid = (1501..0x0600).contains(&kind);
    let item = d.add_labeled(ETH, offset, 14, Value::None, || {
        if is_length {
            // tshark's label for a length frame ends with a space.
            return "IEEE 802.3 Ethernet ".to_string();
        }
        format!(
            "Ethernet {}, Src: {}, Dst: {}",
            if invalid { "Unknown" } else { "II" },
            mac_label(&src),
            mac_label(&dst)
        )
    });
    d.push_layer("eth");
    d.set_protocol("Ethernet");
    d.set_addresses(|| (mac_name(&src), mac_name(&dst)));
    if d.keeps_fields_of(ETH) {
        cold_path();
        d.begin(item);
        address_tree(d, DST, DST_RESOLVED, "Destination", dst, offset);
        address_tree(d, SRC, SRC_RESOLVED, "Source", src, offset + 6);
        // Ethernet adds eth.addr for the destination first, then the source.
        if is_length {
            d.add(LEN, offset + 12, 2, Value::UInt(u64::from(kind)));
        } else if invalid {
            let at = d.add(
                INVALID_LENTYPE,
                offset + 12,
                2,
                Value::UInt(u64::from(kind)),
            );
            d.expert(
                at,
                super::tree::Expert {
                    severity: super::tree::Severity::Warning,
                    group: "Protocol",
                    protocol: "Ethernet",
                    message: format!("Invalid length/type: 0x{kind:04x} ({kind})").into(),
                },
            );
        } else {
            d.add(TYPE, offset + 12, 2, Value::UInt(u64::from(kind)));
        }
        d.end();
    }
    if invalid {
        cold_path();
        d.set_info(|| format!("Ethernet Unknown: Invalid length/type: 0x{kind:04x} ({kind})"));
        data::dissect(d, data, offset + 14);
        return;
    }
    if is_length {
        cold_path();
        // IEEE 802.3: the length field bounds the LLC frame; what follows is padding.
        let end = (offset + 14 + usize::from(kind)).min(data.len());
        let frame = data.get(..end).unwrap_or(data);
        // "Raw" 802.3 (Novell): IPX straight after the header, its checksum 0xffff.
        if bytes::be_u16(frame, offset + 14) == Some(0xffff) {
            super::ipx::dissect(d, ctx, frame, offset + 14);
        } else {
            super::llc::dissect(d, ctx, frame, offset + 14);
        }
        trailer_into(d, item, data, Some(end));
        return;
    }
    // Ethernet's own Info, which the payload's dissector replaces.
    d.set_info(|| "Ethernet II".to_string());
    let consumed = dispatch_ethertype(d, ctx, data, offset + 14, kind);
    trailer_into(d, item, data, consumed);
}

/// [`trailer`] as Ethernet's own item, at the end of the Ethernet subtree of `item`:
/// Wireshark adds it there once the payload is dissected, so it shows under Ethernet
/// (after the type), not after the last layer.
fn trailer_into<'a>(d: &mut Dissection<'a>, item: usize, data: &'a [u8], end: Option<usize>) {
    // Most frames end with their payload: nothing to show, no subtree to reopen.
    if end.is_none_or(|end| end >= data.len()) {
        return;
    }
    d.in_subtree(item, |d| trailer(d, data, end));
}

/// Shows bytes after the network layer as padding (Ethernet minimum frame size) or a
/// trailer.
pub fn trailer<'a>(d: &mut Dissection<'a>, data: &'a [u8], end: Option<usize>) {
    let Some(end) = end else { return };
    let rest = bytes::tail(data, end);
    if rest.is_empty() {
        return;
    }
    if data.len() > 60 {
        d.add(TRAILER, end, rest.len(), Value::Bytes(rest.into()));
        return;
    }
    if rest.iter().all(|b| *b == 0) {
        d.add(PADDING, end, rest.len(), Value::Bytes(rest.into()));
        return;
    }
    // Padding up to the minimum frame that is not zeros: tshark calls all of it a
    // trailer and notes that it may be padding after all.
    let item = d.add(TRAILER, end, rest.len(), Value::Bytes(rest.into()));
    d.expert(
        item,
        super::tree::Expert {
            severity: super::tree::Severity::Note,
            group: "Protocol",
            protocol: "Ethertype",
            message: std::borrow::Cow::Borrowed(
                "Didn't find padding of zeros, and an undecoded trailer exists. There may be padding of non-zeros.",
            ),
        },
    );
}

/// Hands the payload at `offset` to the protocol named by `ethertype`; returns where
/// that protocol's data ended, when it knows (for padding).
pub fn dispatch_ethertype<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    data: &'a [u8],
    offset: usize,
    ethertype: u16,
) -> Option<usize> {
    d.push_layer("ethertype");
    payload(d, ctx, data, offset, ethertype, true)
}

/// Hands the payload at `offset` to the protocol named by `ethertype` (as
/// [`dispatch_ethertype`], for parents such as LLC/SNAP that add no `ethertype` layer).
pub fn ethertype_payload<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    data: &'a [u8],
    offset: usize,
    ethertype: u16,
) -> Option<usize> {
    payload(d, ctx, data, offset, ethertype, false)
}

/// The payload by its EtherType; `label` says whether an undissected type names the
/// protocol column as tshark's ethertype dissector does.
fn payload<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    data: &'a [u8],
    offset: usize,
    ethertype: u16,
    label: bool,
) -> Option<usize> {
    match ethertype {
        0x0800 => ipv4::dissect(d, ctx, data, offset),
        0x86dd => ipv6::dissect(d, ctx, data, offset),
        _ => rare_payload(d, ctx, data, offset, ethertype, label),
    }
}

/// [`payload`] for the EtherTypes other than IPv4 and IPv6: out of the common path.
#[cold]
#[inline(never)]
fn rare_payload<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    data: &'a [u8],
    offset: usize,
    ethertype: u16,
    label: bool,
) -> Option<usize> {
    match ethertype {
        // RARP has ARP's layout (tshark's ARP dissector reads both).
        0x0806 | 0x8035 => {
            arp::dissect(d, ctx, data, offset);
            arp::end_of(data, offset)
        }
        0x8100 | 0x88a8 | 0x9100 => vlan::dissect(d, ctx, data, offset, ethertype),
        0x888e => super::eapol::dissect(d, data, offset),
        0x8863 => super::pppoe::discovery(d, ctx, data, offset),
        0x8864 => super::pppoe::session(d, ctx, data, offset),
        0x8847 | 0x8848 => super::links::mpls(d, ctx, data, offset),
        0x9000 => {
            super::loopback::dissect(d, data, offset);
            Some(data.len())
        }
        0x88cc => super::lldp::dissect(d, offset, bytes::tail(data, offset)),
        0x88f7 => {
            super::ptp::dissect(d, ctx, data, offset, bytes::tail(data, offset));
            super::ptp::end_of(data, offset)
        }
        0x893a => {
            super::ieee1905::dissect(d, data, offset);
            Some(data.len())
        }
        // Realtek's switch protocols: tshark names the protocol and, for a type byte
        // none of its dissectors (RRCP 0x01, REP 0x02, RLDP 0x03 and 0x23) takes, shows
        // the bytes as an unknown packet with no Info (TP-Link switches' broadcasts).
        0x8899 if !matches!(bytes::u8_at(data, offset), Some(0x01..=0x03 | 0x23) | None) => {
            let rest = bytes::tail(data, offset);
            let item = d.add(REALTEK, offset, rest.len(), Value::None);
            d.push_layer("realtek");
            d.begin(item);
            d.add(
                REALTEK_PACKET,
                offset,
                rest.len(),
                Value::Bytes(rest.into()),
            );
            d.end();
            d.set_protocol("Realtek");
            d.set_info(String::new);
            Some(data.len())
        }
        _ => {
            // A type tshark dissects and synack does not: its name and number.
            if let Some(name) =
                super::value::value_name(Some(DISSECTED_ELSEWHERE), u64::from(ethertype))
            {
                d.set_protocol("Ethernet");
                d.set_info(|| format!("{name} (0x{ethertype:04x})"));
            } else if label {
                // No dissector at all: tshark's ethertype dissector names the protocol
                // by the number and, when the type has a name, puts it in Info; else
                // Info keeps what the parent said ("Ethernet II", SLL's packet type,
                // VLAN's tag). LLC's SNAP calls no such fallback.
                d.set_protocol(format!("0x{ethertype:04x}"));
                if let Some(name) = super::value::value_name(Some(ETHERTYPES), u64::from(ethertype))
                {
                    d.set_info(|| name.to_string());
                }
            }
            data::dissect(d, data, offset);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_frame, with_patched, with_truncated};

    /// tcp_clean_close.pcap frame 7: an ARP request broadcast.
    #[test]
    fn ethernet_header_fields() {
        with_frame("tcp_clean_close.pcap", 7, |d| {
            assert_eq!(field(d, "eth.dst"), "ff:ff:ff:ff:ff:ff");
            assert_eq!(field(d, "eth.src"), "7e:7d:b9:f1:43:58");
            assert_eq!(field(d, "eth.type"), "0x0806");
            assert_eq!(field(d, "eth.addr"), "ff:ff:ff:ff:ff:ff,7e:7d:b9:f1:43:58");
            assert_eq!(field(d, "eth.ig"), "1,0");
            assert_eq!(d.columns.source, "7e:7d:b9:f1:43:58");
            assert_eq!(d.columns.destination, "Broadcast");
        });
    }

    /// sll_any_chatter.pcapng frame 1 (Ricc9ccardo7/wireshark-lab-analysis,
    /// smb445.pcapng): EtherType 0x2e00, which nothing dissects and tshark has no name
    /// for: the number as protocol, Ethernet's own "Ethernet II" as Info. A type tshark
    /// names but does not dissect puts the name in Info; behind a VLAN tag, the tag's
    /// Info stays.
    #[test]
    fn undissected_ethertypes() {
        with_frame("sll_any_chatter.pcapng", 1, |d| {
            assert_eq!(field(d, "eth.type"), "0x2e00");
            assert_eq!(d.columns.protocol, "0x2e00");
            assert_eq!(d.columns.info, "Ethernet II");
        });
        with_patched(
            "sll_any_chatter.pcapng",
            1,
            |b| b[12..14].copy_from_slice(&[0x88, 0xb5]),
            |d| {
                assert_eq!(d.columns.protocol, "0x88b5");
                assert_eq!(d.columns.info, "Local Experimental Ethertype 1");
            },
        );
        with_patched(
            "sll_any_chatter.pcapng",
            1,
            |b| b[12..18].copy_from_slice(&[0x81, 0x00, 0x00, 0x0a, 0x2e, 0x00]),
            |d| {
                assert_eq!(field(d, "vlan.id"), "10");
                assert_eq!(d.columns.protocol, "0x2e00");
                assert_eq!(d.columns.info, "PRI: 0  DEI: 0  ID: 10");
            },
        );
    }

    #[test]
    fn truncated_header_is_a_note_not_a_failure() {
        with_truncated("tcp_clean_close.pcap", 7, 10, |d| {
            assert!(d.has(crate::dissect::ws::MALFORMED) || d.has(crate::dissect::ws::SHORT));
            assert_eq!(field(d, "eth.src"), "");
        });
    }
}
