//! Linux cooked captures: SLL (v1, 16-byte header) and SLL2 (v2, 20-byte header), what
//! libpcap records on the `any` device.

use super::context::PacketContext;
use super::ethernet::{ETHERTYPES, dispatch_ethertype};
use super::field::kinds::*;
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;

#[rustfmt::skip]
const PACKET_TYPES: &[(u64, &str)] = &[
    (0, "Unicast to us"), (1, "Broadcast"), (2, "Multicast"), (3, "Unicast to another host"),
    (4, "Sent by us"),
];

/// The protocol values below 1536 that are not EtherTypes (Linux's `ETH_P_*`).
#[rustfmt::skip]
const LINUX_TYPES: &[(u64, &str)] = &[
    (0x1, "Raw 802.3"), (0x3, "Ethernet"), (0x4, "802.2 LLC"), (0x7, "PPP (HDLC)"), (0xc, "CAN"),
    (0xd, "CAN FD"), (0x17, "IrDA LAP"), (0xf5, "ISI"), (0xf6, "IEEE 802.15.4"),
];

/// ARPHRD types (Linux's link-layer address types), as tshark names them.
#[rustfmt::skip]
const HATYPES: &[(u64, &str)] = &[
    (0, "NET/ROM pseudo"), (1, "Ethernet"), (2, "Experimental Ethernet"), (3, "AX.25"),
    (4, "ProNET"), (5, "Chaos"), (6, "IEEE 802"), (7, "ARCNET"), (8, "Hyperchannel"),
    (9, "Lanstar"), (10, "Autonet Short Address"), (11, "Localtalk"), (12, "LocalNet"),
    (13, "Ultra link"), (14, "SMDS"), (15, "Frame Relay DLCI"), (16, "ATM"), (17, "HDLC"),
    (18, "Fibre Channel"), (19, "ATM (RFC 2225)"), (20, "Serial Line"), (21, "ATM"),
    (22, "MIL-STD-188-220"), (23, "Metricom STRIP"), (24, "IEEE 1394.1995"), (25, "MAPOS"),
    (26, "Twinaxial"), (27, "EUI-64"), (28, "HIPARP"), (29, "IP and ARP over ISO 7816-3"),
    (30, "ARPSec"), (31, "IPsec tunnel"), (32, "InfiniBand"), (33, "TIA-102 Project 25 CAI"),
    (34, "Wiegand Interface"), (35, "Pure IP"), (36, "Experimental 1"), (37, "HFI"),
    (256, "Experimental 2"), (257, "AEthernet"), (260, "Notional KISS type"), (264, "ADAPT"),
    (270, "ROSE"), (271, "CCITT X.25"), (272, "Boards with X.25 in firmware"),
    (280, "Controller Area Network"), (512, "PPP"), (513, "Cisco HDLC"), (516, "LAPB"),
    (517, "Digital's DDCMP protocol"), (518, "Raw HDLC"), (519, "Raw IP"),
    (768, "IPIP tunnel"), (769, "IP6IP6 tunnel"), (770, "Frame Relay Access Device"),
    (771, "SKIP vif"), (772, "Loopback"), (774, "Fiber Distributed Data Interface"),
    (775, "AP1000 BIF"), (776, "sit0 device - IPv6-in-IPv4"), (777, "IP over DDP tunneller"),
    (778, "GRE over IP"), (779, "PIMSM register interface"),
    (780, "High Performance Parallel Interface"), (781, "Nexus 64Mbps Ash"),
    (782, "Acorn Econet"), (783, "Linux-IrDA"), (784, "Point to point fibrechannel"),
    (785, "Fibrechannel arbitrated loop"), (786, "Fibrechannel public loop"),
    (787, "Fibrechannel fabric"), (800, "Magic type ident for TR"), (801, "IEEE 802.11"),
    (802, "IEEE 802.11 + Prism2 header"), (803, "IEEE 802.11 + radiotap header"),
    (804, "IEEE 802.15.4"), (805, "IEEE 802.15.4 network monitor"), (820, "PhoNet media type"),
    (821, "PhoNet pipe header"), (822, "CAIF media type"), (823, "GRE over IPv6"),
    (824, "Netlink"), (825, "IPv6 over LoWPAN"), (826, "Vsock monitor header"),
    (65535, "Void type, nothing is known"), (65534, "zero header length"),
];

crate::define_fields! { after super::vlan::END;
    SLL = "sll", "Linux cooked capture", PROTO;
    PKTTYPE = "sll.pkttype", "Packet type", dec_named(16, PACKET_TYPES);
    HATYPE = "sll.hatype", "Link-layer address type", dec_named(16, HATYPES);
    HALEN = "sll.halen", "Link-layer address length", dec(16);
    SRC_ETH = "sll.src.eth", "Source", ETHER;
    SRC_OTHER = "sll.src.other", "Source", BYTES;
    UNUSED = "sll.unused", "Unused", BYTES;
    LTYPE = "sll.ltype", "Protocol", hex_named(16, LINUX_TYPES);
    ETYPE = "sll.etype", "Protocol", hex_named(16, ETHERTYPES);
    IFINDEX = "sll.ifindex", "Interface index", dec(32);
    TRAILER = "sll.trailer", "Trailer", BYTES;
}

/// The source address (`halen` of the 8 bytes at `offset`), then the bytes of the
/// field it leaves unused; returns the address as the Source column shows it.
fn address<'a>(d: &mut Dissection<'a>, data: &'a [u8], offset: usize, halen: u16) -> String {
    let len = usize::from(halen.min(8));
    let text = match bytes::array::<6>(data, offset) {
        Some(mac) if halen == 6 => {
            d.add(SRC_ETH, offset, 6, Value::Ether(mac));
            super::ethernet::mac_name(&mac)
        }
        _ => {
            let addr = bytes::slice(data, offset, len).unwrap_or(&[]);
            d.add(SRC_OTHER, offset, len, Value::Bytes(addr.into()));
            super::value::hex_text(addr, Some(':'))
        }
    };
    if len < 8 {
        let unused = bytes::clamped(data, offset + len, 8 - len);
        d.add(UNUSED, offset + len, 8 - len, Value::Bytes(unused.into()));
    }
    text
}

/// SLL's own Info, the packet type, which the payload's dissector replaces (it stays
/// when nothing dissects the payload).
fn packet_type_info(d: &mut Dissection<'_>, pkttype: u16) {
    d.set_info(
        || match super::value::value_name(Some(PACKET_TYPES), u64::from(pkttype)) {
            Some(name) => name.to_string(),
            None => format!("Unknown ({pkttype})"),
        },
    );
}

/// The protocol field (at `at`): one of Linux's own numbers up to 1536, else an
/// EtherType (Linux's rule, and tshark's).
fn protocol_item(d: &mut Dissection<'_>, proto: u16, at: usize) {
    let field = if proto <= 0x0600 { LTYPE } else { ETYPE };
    d.add(field, at, 2, Value::UInt(u64::from(proto)));
}

/// What the header's protocol carries, from `offset` (`item`: SLL's item).
fn payload<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    data: &'a [u8],
    (offset, item): (usize, usize),
    proto: u16,
) {
    match proto {
        // Novell's raw 802.3: IPX straight away.
        0x1 => super::ipx::dissect(d, ctx, data, offset),
        0x3 => super::ethernet::dissect(d, ctx, data, offset),
        0x4 => super::llc::dissect(d, ctx, data, offset),
        p if p <= 0x0600 => super::data::dissect(d, data, offset),
        _ => {
            let end = dispatch_ethertype(d, ctx, data, offset, proto);
            trailer(d, item, data, end);
        }
    }
}

/// The bytes after what the EtherType's protocol used, under SLL's item `item` as
/// tshark adds them: a frame of at most 60 bytes as Ethernet's padding or trailer; a
/// longer one (a padded Ethernet frame seen on the `any` device: SLL's header is two
/// bytes longer than Ethernet's) as zero padding up to 60 bytes, then SLL's trailer.
fn trailer<'a>(d: &mut Dissection<'a>, item: usize, data: &'a [u8], end: Option<usize>) {
    let Some(end) = end else { return };
    let rest = bytes::tail(data, end);
    if rest.is_empty() {
        return;
    }
    d.in_subtree(item, |d| {
        if data.len() <= 60 {
            super::ethernet::trailer(d, data, Some(end));
            return;
        }
        let (padding, tail) = rest.split_at(60usize.saturating_sub(end).min(rest.len()));
        if padding.iter().any(|b| *b != 0) {
            d.add(TRAILER, end, rest.len(), Value::Bytes(rest.into()));
            return;
        }
        if !padding.is_empty() {
            d.add(
                super::ethernet::PADDING,
                end,
                padding.len(),
                Value::Bytes(padding.into()),
            );
        }
        if !tail.is_empty() {
            let at = end + padding.len();
            d.add(TRAILER, at, tail.len(), Value::Bytes(tail.into()));
        }
    });
}

/// SLL v1: packet type, ARPHRD type, address length, 8 address bytes, protocol.
pub fn dissect_v1<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, data: &'a [u8]) {
    let (Some(pkttype), Some(hatype), Some(halen), Some(proto)) = (
        bytes::be_u16(data, 0),
        bytes::be_u16(data, 2),
        bytes::be_u16(data, 4),
        bytes::be_u16(data, 14),
    ) else {
        super::malformed(d, data, 0, "Linux cooked capture", 16);
        return;
    };
    let item = d.add_labeled(SLL, 0, 16, Value::None, || "Linux cooked capture v1".into());
    d.push_layer("sll");
    d.set_protocol("SLL");
    d.begin(item);
    d.add(PKTTYPE, 0, 2, Value::UInt(u64::from(pkttype)));
    d.add(HATYPE, 2, 2, Value::UInt(u64::from(hatype)));
    d.add(HALEN, 4, 2, Value::UInt(u64::from(halen)));
    let src = address(d, data, 6, halen);
    d.set_addresses(|| (src, String::new()));
    packet_type_info(d, pkttype);
    protocol_item(d, proto, 14);
    d.end();
    payload(d, ctx, data, (16, item), proto);
}

/// SLL v2: protocol, reserved, interface index, ARPHRD type, packet type, address
/// length, 8 address bytes.
pub fn dissect_v2<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, data: &'a [u8]) {
    let (Some(proto), Some(ifindex), Some(hatype), Some(pkttype), Some(halen)) = (
        bytes::be_u16(data, 0),
        bytes::be_u32(data, 4),
        bytes::be_u16(data, 8),
        bytes::u8_at(data, 10),
        bytes::u8_at(data, 11),
    ) else {
        super::malformed(d, data, 0, "Linux cooked capture v2", 20);
        return;
    };
    if data.len() < 20 {
        super::malformed(d, data, 0, "Linux cooked capture v2", 20);
        return;
    }
    let item = d.add_labeled(SLL, 0, 20, Value::None, || "Linux cooked capture v2".into());
    d.push_layer("sll");
    d.set_protocol("SLL");
    d.begin(item);
    // The protocol comes first in SLL2's header and in tshark's tree; the two
    // reserved bytes after it are not shown.
    protocol_item(d, proto, 0);
    d.add(IFINDEX, 4, 4, Value::UInt(u64::from(ifindex)));
    d.add(HATYPE, 8, 2, Value::UInt(u64::from(hatype)));
    d.add(PKTTYPE, 10, 1, Value::UInt(u64::from(pkttype)));
    d.add(HALEN, 11, 1, Value::UInt(u64::from(halen)));
    let src = address(d, data, 12, u16::from(halen));
    d.set_addresses(|| (src, String::new()));
    packet_type_info(d, u16::from(pkttype));
    d.end();
    payload(d, ctx, data, (20, item), proto);
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_frame, with_patched, with_truncated};

    /// linux_cooked_any.pcap frame 9: SLL2 on the `any` device.
    #[test]
    fn sll2_fields() {
        with_frame("linux_cooked_any.pcap", 9, |d| {
            assert_eq!(field(d, "sll.etype"), "0x0800");
            assert_eq!(field(d, "sll.ifindex"), "2");
            assert_eq!(field(d, "sll.pkttype"), "4");
            assert_eq!(field(d, "sll.src.eth"), "ce:62:8d:83:a9:02");
            assert_eq!(field(d, "ip.src"), "10.10.0.1");
        });
        with_truncated("linux_cooked_any.pcap", 9, 12, |d| {
            assert_eq!(field(d, "ip.src"), "");
        });
    }

    /// sll_any_chatter.pcapng frame 2 (Ricc9ccardo7/wireshark-lab-analysis,
    /// smb445.pcapng): SLL v1, a multicast frame of protocol 0x2e00, which nothing
    /// dissects: tshark names the protocol by the number and keeps SLL's packet type
    /// as Info; the source column is the address with its vendor's name.
    #[test]
    fn undissected_protocol_keeps_the_packet_type() {
        with_frame("sll_any_chatter.pcapng", 2, |d| {
            assert_eq!(field(d, "sll.pkttype"), "2");
            assert_eq!(field(d, "sll.etype"), "0x2e00");
            assert_eq!(d.columns.protocol, "0x2e00");
            assert_eq!(d.columns.info, "Multicast");
            if crate::manuf::enabled() {
                assert_eq!(d.columns.source, "ZyxelCom_ed:2e:9e");
            }
        });
        // The same frame's header alone: no protocol field, nothing after it.
        with_truncated("sll_any_chatter.pcapng", 2, 14, |d| {
            assert_eq!(field(d, "sll.etype"), "");
        });
    }

    /// sll_any_chatter.pcapng frame 16: an ARP reply sent by us; ARP sets no
    /// addresses, so the source column is SLL's, named as tshark names it.
    #[test]
    fn arp_source_is_named() {
        with_frame("sll_any_chatter.pcapng", 16, |d| {
            assert_eq!(field(d, "sll.pkttype"), "4");
            assert_eq!(field(d, "arp.opcode"), "2");
            if crate::manuf::enabled() {
                assert_eq!(d.columns.source, "PcsCompu_16:84:27");
            }
        });
    }

    /// sll_any_chatter.pcapng frame 15: a broadcast ARP request seen on `any` keeps
    /// the padding of its 60-byte Ethernet frame: 16 zero bytes up to 60, then the
    /// 2 bytes past it as SLL's trailer, both in SLL's tree as tshark puts them.
    #[test]
    fn a_padded_frame_ends_in_padding_and_trailer() {
        with_frame("sll_any_chatter.pcapng", 15, |d| {
            assert_eq!(field(d, "sll.unused"), "0000");
            assert_eq!(field(d, "eth.padding"), "00000000000000000000000000000000");
            assert_eq!(field(d, "sll.trailer"), "0000");
            let depth = |f| d.nodes.iter().find(|n| n.field == f).map(|n| n.depth);
            assert_eq!(depth(super::TRAILER), Some(1));
        });
    }

    /// Protocol values up to 1536 are Linux's own: 4 is 802.2 LLC (an STP BPDU on a
    /// bridge seen through the `any` device); an unknown packet type reads "Unknown".
    #[test]
    fn linux_protocol_values() {
        with_patched(
            "sll_any_chatter.pcapng",
            2,
            |b| {
                b.truncate(16);
                b[0] = 0;
                b[1] = 7;
                b[14] = 0;
                b[15] = 4;
                b.extend_from_slice(&[0x42, 0x42, 0x03, 0, 0, 0, 0, 0]);
            },
            |d| {
                assert_eq!(field(d, "sll.ltype"), "0x0004");
                assert_eq!(field(d, "llc.dsap"), "0x42");
                assert!(!d.columns.info.is_empty());
                assert_eq!(d.columns.protocol, "STP");
            },
        );
        with_patched(
            "sll_any_chatter.pcapng",
            2,
            |b| {
                b[0] = 0;
                b[1] = 7;
            },
            |d| assert_eq!(d.columns.info, "Unknown (7)"),
        );
    }
}
