//! Encapsulations that carry whole frames or packets: GRE (RFC 2784/2890), VXLAN
//! (RFC 7348) and Geneve (RFC 8926). Their nesting is bounded by [`MAX_LAYERS`].

use super::context::PacketContext;
use super::ethernet::{self, ETHERTYPES};
use super::field::kinds::*;
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;

/// Most layers a frame may have before tunnels are no longer followed.
pub const MAX_LAYERS: usize = 32;

crate::define_fields! { after super::data::END;
    GRE = "gre", "Generic Routing Encapsulation", PROTO;
    GRE_FLAGS = "gre.flags_and_version", "Flags and Version", hex(16);
    GRE_PROTO = "gre.proto", "Protocol Type", hex_named(16, GRE_TYPES);
    GRE_KEY = "gre.key", "Key", hex(32);
    GRE_SEQ = "gre.sequence_number", "Sequence Number", dec(32);
    VXLAN = "vxlan", "Virtual eXtensible Local Area Network", PROTO;
    VXLAN_FLAGS = "vxlan.flags", "Flags", hex(8);
    VXLAN_VNI = "vxlan.vni", "VXLAN Network Identifier (VNI)", dec(24);
    CMD = "cmd", "Cisco MetaData", PROTO;
    CMD_TYPE = "cmd.type", "Type", hex_named(16, ETHERTYPES);
    CMD_VERSION = "cmd.version", "Version", dec(8);
    CMD_LENGTH = "cmd.length", "Length", dec(8);
    CMD_OPTIONS = "cmd.options", "Options", hex(16);
    CMD_SGT = "cmd.sgt", "SGT", dec(16);
    GENEVE = "geneve", "Generic Network Virtualization Encapsulation", PROTO;
    GENEVE_VERSION = "geneve.version", "Version", dec(8);
    GENEVE_OPTLEN = "geneve.option_length", "Length", dec(8);
    GENEVE_PROTO = "geneve.proto_type", "Protocol Type", hex_named(16, ETHERTYPES);
    GENEVE_VNI = "geneve.vni", "Virtual Network Identifier (VNI)", hex(24);
}

/// Transparent Ethernet bridging: the payload is an Ethernet frame.
pub(crate) const TEB: u16 = 0x6558;

/// GRE's names for its protocol types (tshark's `gre.proto` values), which also name
/// the GRE item.
const GRE_TYPES: &[(u64, &str)] = &[
    (0x0000, "Possible GRE keepalive packet"),
    (0x880b, "PPP"),
    (0x0800, "IP"),
    (0x0806, "ARP"),
    (0x00fe, "OSI"),
    (0x883e, "WCCP"),
    (0x2000, "CDP (Cisco)"),
    (0x2001, "NHRP"),
    (0x88be, "ERSPAN"),
    (0x22eb, "ERSPAN III"),
    (0x6400, "MIKROTIK EoIP"),
    (0xfeae, "AIROHIVE AP AP"),
    (0x8137, "IPX"),
    (0x6558, "Transparent Ethernet bridging"),
    (0x6559, "Frame Relay"),
    (0x86dd, "IPv6"),
    (0x8847, "MPLS label switched packet"),
    (0x894f, "Network Service Header"),
    (0x8881, "CDMA2000 A10 Unstructured byte stream"),
    (0x88d2, "CDMA2000 A10 3GPP2 Packet"),
    (0x8909, "CiscoMetaData"),
    (0xb7ea, "Huawei GRE bonding"),
    (0x8200, "ARUBA WLAN"),
    (0x8210, "ARUBA WLAN"),
    (0x8220, "ARUBA WLAN"),
    (0x8230, "ARUBA WLAN"),
    (0x8240, "ARUBA WLAN"),
    (0x8250, "ARUBA WLAN"),
    (0x8260, "ARUBA WLAN"),
    (0x8270, "ARUBA WLAN"),
    (0x8280, "ARUBA WLAN"),
    (0x8290, "ARUBA WLAN"),
    (0x82a0, "ARUBA WLAN"),
    (0x82b0, "ARUBA WLAN"),
    (0x82c0, "ARUBA WLAN"),
    (0x82d0, "ARUBA WLAN"),
    (0x82e0, "ARUBA WLAN"),
    (0x82f0, "ARUBA WLAN"),
    (0x8300, "ARUBA WLAN"),
    (0x8310, "ARUBA WLAN"),
    (0x8320, "ARUBA WLAN"),
    (0x8330, "ARUBA WLAN"),
    (0x8340, "ARUBA WLAN"),
    (0x8350, "ARUBA WLAN"),
    (0x8360, "ARUBA WLAN"),
    (0x8370, "ARUBA WLAN"),
    (0x9000, "ARUBA WLAN"),
];

fn too_deep(d: &Dissection<'_>) -> bool {
    d.layer_names().len() >= MAX_LAYERS
}

fn payload<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    data: &'a [u8],
    at: usize,
    proto: u16,
) {
    if too_deep(d) {
        super::data::dissect(d, data, at);
    } else if proto == TEB {
        ethernet::dissect(d, ctx, data, at);
    } else {
        ethernet::dispatch_ethertype(d, ctx, data, at, proto);
    }
}

/// GRE at `at` (IP protocol 47).
pub fn gre<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, data: &'a [u8], at: usize) {
    let (Some(fv), Some(proto)) = (bytes::be_u16(data, at), bytes::be_u16(data, at + 2)) else {
        super::truncated(d, ctx, data, at, "GRE");
        return;
    };
    let GreHeader {
        key_at,
        seq_at,
        len,
    } = gre_header(data, at, fv, proto);
    let seq = seq_at.is_some();
    let type_name = super::value::value_name(Some(GRE_TYPES), u64::from(proto));
    let item = d.add_labeled(GRE, at, len, Value::None, || match type_name {
        Some(name) => format!("Generic Routing Encapsulation ({name})"),
        None => format!("Generic Routing Encapsulation (0x{proto:04X} - unknown)"),
    });
    d.push_layer("gre");
    d.set_protocol("GRE");
    d.begin(item);
    d.add(GRE_FLAGS, at, 2, Value::UInt(u64::from(fv)));
    d.add(GRE_PROTO, at + 2, 2, Value::UInt(u64::from(proto)));
    if let Some((k_at, k)) = key_at.and_then(|o| Some((o, bytes::be_u32(data, o)?))) {
        d.add(GRE_KEY, k_at, 4, Value::UInt(u64::from(k)));
    }
    if let Some((s_at, s)) = seq_at.and_then(|o| Some((o, bytes::be_u32(data, o)?))) {
        d.add(GRE_SEQ, s_at, 4, Value::UInt(u64::from(s)));
    }
    d.end();
    d.set_info(|| match type_name {
        Some(name) => format!("Encapsulated {name}"),
        None => format!("Encapsulated 0x{proto:04X} (unknown)"),
    });
    if fv & 0x0007 != 0 {
        // Version 1 is PPTP's enhanced GRE: not followed.
        super::data::dissect(d, data, at + len);
        return;
    }
    let rest = at + len;
    // Without a sequence number there may be no payload at all (a keepalive's reply).
    if !seq && rest >= data.len() {
        return;
    }
    if too_deep(d) {
        super::data::dissect(d, data, rest);
        return;
    }
    // tshark's GRE table: the types it has no dissector for are data.
    match proto {
        0x0800 | 0x86dd | 0x0806 | 0x8847 | 0x8848 | 0x8137 | TEB => {
            payload(d, ctx, data, rest, proto);
        }
        WCCP => {
            super::ipv4::dissect(d, ctx, data, rest);
        }
        super::erspan::GRE_TYPE_88BE | super::erspan::GRE_TYPE_22EB => {
            super::erspan::dissect(d, ctx, data, rest, proto, seq);
        }
        0x2000 if super::cdp::dissect(d, rest, bytes::tail(data, rest)) => {}
        CISCO_METADATA => cisco_metadata(d, ctx, data, rest),
        _ => super::data::dissect(d, data, rest),
    }
}

/// GRE type of Cisco's metadata header (a security group tag before the packet).
pub(crate) const CISCO_METADATA: u16 = 0x8909;

/// Cisco MetaData inside GRE at `at`: the EtherType of what follows, then version,
/// length, options and the security group tag (8 bytes in all).
fn cisco_metadata<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, data: &'a [u8], at: usize) {
    let (Some(kind), Some(version), Some(len), Some(options), Some(sgt)) = (
        bytes::be_u16(data, at),
        bytes::u8_at(data, at + 2),
        bytes::u8_at(data, at + 3),
        bytes::be_u16(data, at + 4),
        bytes::be_u16(data, at + 6),
    ) else {
        super::truncated(d, ctx, data, at, "CMD");
        return;
    };
    d.open_protocol(CMD, (at, 8), "cmd", "CMD");
    d.add(CMD_TYPE, at, 2, Value::UInt(u64::from(kind)));
    d.add(CMD_VERSION, at + 2, 1, Value::UInt(u64::from(version)));
    d.add(CMD_LENGTH, at + 3, 1, Value::UInt(u64::from(len)));
    d.add(CMD_OPTIONS, at + 4, 2, Value::UInt(u64::from(options)));
    d.add(CMD_SGT, at + 6, 2, Value::UInt(u64::from(sgt)));
    d.end();
    ethernet::ethertype_payload(d, ctx, data, at + 8, kind);
}

/// Where a GRE header's optional words lie and how long it is.
pub(crate) struct GreHeader {
    /// Offset of the key, when present.
    pub key_at: Option<usize>,
    /// Offset of the sequence number, when present.
    pub seq_at: Option<usize>,
    /// Length of the header up to the packet it carries (source routes and WCCP 2's
    /// redirect header included).
    pub len: usize,
}

/// The layout of the GRE header at `at` of `data` whose flags-and-version word is
/// `flags` and protocol type `proto`: read by the dissector and by the parallel
/// load's routing alike.
pub(crate) fn gre_header(data: &[u8], at: usize, flags: u16, proto: u16) -> GreHeader {
    let routing = flags & 0x4000 != 0;
    let mut len = 4;
    // The checksum and offset words come with either bit (RFC 1701).
    if flags & 0x8000 != 0 || routing {
        len += 4;
    }
    let key_at = (flags & 0x2000 != 0).then_some(at + len);
    if key_at.is_some() {
        len += 4;
    }
    let seq_at = (flags & 0x1000 != 0).then_some(at + len);
    if seq_at.is_some() {
        len += 4;
    }
    if routing {
        len += source_routes_len(data, at + len);
    }
    // WCCP version 2 puts a redirect header before the packet, which then does not
    // open as IPv4 does.
    if proto == WCCP && bytes::u8_at(data, at + len).is_some_and(|b| b & 0xf0 != 0x40) {
        len += 4;
    }
    GreHeader {
        key_at,
        seq_at,
        len,
    }
}

/// GRE type of WCCP's redirected packets (an IPv4 packet, after WCCP 2's header).
pub(crate) const WCCP: u16 = 0x883e;

/// Length of the source route entries at `at` (RFC 1701): each is an address
/// family, an offset and a length byte, then that many bytes; a family and length of
/// zero end the list. Stops at the end of the captured bytes.
fn source_routes_len(data: &[u8], at: usize) -> usize {
    let mut len = 0usize;
    while let (Some(family), Some(sre_len)) = (
        bytes::be_u16(data, at + len),
        bytes::u8_at(data, at + len + 3),
    ) {
        len += 4;
        if family == 0 && sre_len == 0 {
            break;
        }
        len += usize::from(sre_len);
    }
    len
}

/// VXLAN at `at` (UDP port 4789): an Ethernet frame follows the 8-byte header.
pub fn vxlan<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, data: &'a [u8], at: usize) {
    let (Some(flags), Some(vni)) = (bytes::u8_at(data, at), bytes::be_u24(data, at + 4)) else {
        super::truncated(d, ctx, data, at, "VXLAN");
        return;
    };
    d.open_protocol(VXLAN, (at, 8), "vxlan", "VXLAN");
    d.add(VXLAN_FLAGS, at, 1, Value::UInt(u64::from(flags)));
    d.add(VXLAN_VNI, at + 4, 3, Value::UInt(u64::from(vni)));
    d.end();
    payload(d, ctx, data, at + 8, TEB);
}

/// Geneve at `at` (UDP port 6081).
pub fn geneve<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, data: &'a [u8], at: usize) {
    let (Some(first), Some(proto), Some(vni)) = (
        bytes::u8_at(data, at),
        bytes::be_u16(data, at + 2),
        bytes::be_u24(data, at + 4),
    ) else {
        super::truncated(d, ctx, data, at, "Geneve");
        return;
    };
    let optlen = usize::from(first & 0x3f) * 4;
    let item = d.add_labeled(GENEVE, at, 8 + optlen, Value::None, || {
        format!("Generic Network Virtualization Encapsulation, VNI: 0x{vni:06x}")
    });
    d.push_layer("geneve");
    d.set_protocol("Geneve");
    d.begin(item);
    d.add(GENEVE_VERSION, at, 1, Value::UInt(u64::from(first >> 6)));
    d.add(GENEVE_OPTLEN, at, 1, Value::UInt(optlen as u64));
    d.add(GENEVE_PROTO, at + 2, 2, Value::UInt(u64::from(proto)));
    d.add(GENEVE_VNI, at + 4, 3, Value::UInt(u64::from(vni)));
    d.end();
    payload(d, ctx, data, at + 8 + optlen, proto);
}
