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
    GRE_PROTO = "gre.proto", "Protocol Type", hex_named(16, ETHERTYPES);
    GRE_KEY = "gre.key", "Key", hex(32);
    GRE_SEQ = "gre.sequence_number", "Sequence Number", dec(32);
    VXLAN = "vxlan", "Virtual eXtensible Local Area Network", PROTO;
    VXLAN_FLAGS = "vxlan.flags", "Flags", hex(8);
    VXLAN_VNI = "vxlan.vni", "VXLAN Network Identifier (VNI)", dec(24);
    GENEVE = "geneve", "Generic Network Virtualization Encapsulation", PROTO;
    GENEVE_VERSION = "geneve.version", "Version", dec(8);
    GENEVE_OPTLEN = "geneve.option_length", "Length", dec(8);
    GENEVE_PROTO = "geneve.proto_type", "Protocol Type", hex_named(16, ETHERTYPES);
    GENEVE_VNI = "geneve.vni", "Virtual Network Identifier (VNI)", hex(24);
}

/// Transparent Ethernet bridging: the payload is an Ethernet frame.
const TEB: u16 = 0x6558;

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
    let mut len = 4;
    let checksum = fv & 0x8000 != 0;
    let key = fv & 0x2000 != 0;
    let seq = fv & 0x1000 != 0;
    if checksum {
        len += 4;
    }
    let key_at = at + len;
    if key {
        len += 4;
    }
    let seq_at = at + len;
    if seq {
        len += 4;
    }
    d.open_protocol(GRE, (at, len), "gre", "GRE");
    d.add(GRE_FLAGS, at, 2, Value::UInt(u64::from(fv)));
    d.add(GRE_PROTO, at + 2, 2, Value::UInt(u64::from(proto)));
    if let (true, Some(k)) = (key, bytes::be_u32(data, key_at)) {
        d.add(GRE_KEY, key_at, 4, Value::UInt(u64::from(k)));
    }
    if let (true, Some(s)) = (seq, bytes::be_u32(data, seq_at)) {
        d.add(GRE_SEQ, seq_at, 4, Value::UInt(u64::from(s)));
    }
    d.end();
    d.set_info(|| format!("Encapsulated 0x{proto:04x}"));
    if fv & 0x0007 != 0 {
        // Version 1 is PPTP's enhanced GRE: not followed.
        super::data::dissect(d, data, at + len);
        return;
    }
    payload(d, ctx, data, at + len, proto);
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
