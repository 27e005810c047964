//! OSPF's common header (RFC 2328 A.3.1 for version 2, RFC 5340 A.3.1 for version 3)
//! on IP protocol 89, as tshark 4.0 names each packet by its type (`Hello Packet`,
//! `LS Update`, ...). The bodies (hellos' neighbours, LSAs) are not decoded.

use super::context::PacketContext;
use super::field::kinds::*;
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;

/// Packet types by the names tshark's Info gives them.
#[rustfmt::skip]
const TYPES: &[(u64, &str)] = &[
    (1, "Hello Packet"), (2, "DB Description"), (3, "LS Request"), (4, "LS Update"),
    (5, "LS Acknowledge"),
];

/// Bytes of the common header: 24 in version 2 (with authentication), 16 in version 3.
const HEADER_V2: usize = 24;
const HEADER_V3: usize = 16;

crate::define_fields! { after super::kerberos::END;
    OSPF = "ospf", "Open Shortest Path First", PROTO;
    VERSION = "ospf.version", "Version", dec(8);
    MSG = "ospf.msg", "Message Type", dec_named(8, TYPES);
    PACKET_LENGTH = "ospf.packet_length", "Packet Length", dec(16);
    SRCROUTER = "ospf.srcrouter", "Source OSPF Router", IPV4;
    AREA_ID = "ospf.area_id", "Area ID", IPV4;
    CHECKSUM = "ospf.checksum", "Checksum", hex(16);
    AUTH_TYPE = "ospf.auth.type", "Auth Type", dec(16);
    INSTANCE_ID = "ospf.instance_id", "Instance ID", dec(8);
}

/// Dissects an OSPF packet at `at` in `data`.
pub fn dissect<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, data: &'a [u8], at: usize) {
    d.open_protocol(OSPF, (at, data.len().saturating_sub(at)), "ospf", "OSPF");
    let (Some(version), Some(kind)) = (bytes::u8_at(data, at), bytes::u8_at(data, at + 1)) else {
        d.end();
        super::truncated(d, ctx, data, at, "OSPF");
        return;
    };
    d.add(VERSION, at, 1, Value::UInt(u64::from(version)));
    d.add(MSG, at + 1, 1, Value::UInt(u64::from(kind)));
    let name = super::value::value_name(Some(TYPES), u64::from(kind))
        .map_or_else(|| format!("Unknown ({kind})"), str::to_string);
    d.set_info(|| name);
    let header = if version == 3 { HEADER_V3 } else { HEADER_V2 };
    if bytes::slice(data, at, header).is_none() {
        d.end();
        super::truncated(d, ctx, data, at, "OSPF");
        return;
    }
    let word = |off: usize| bytes::be_u16(data, at + off).unwrap_or(0);
    let addr = |off: usize| bytes::array::<4>(data, at + off).unwrap_or_default();
    d.add(PACKET_LENGTH, at + 2, 2, Value::UInt(u64::from(word(2))));
    d.add(SRCROUTER, at + 4, 4, Value::Ipv4(addr(4)));
    d.add(AREA_ID, at + 8, 4, Value::Ipv4(addr(8)));
    d.add(CHECKSUM, at + 12, 2, Value::UInt(u64::from(word(12))));
    if version == 3 {
        let instance = bytes::u8_at(data, at + 14).unwrap_or(0);
        d.add(INSTANCE_ID, at + 14, 1, Value::UInt(u64::from(instance)));
    } else {
        d.add(AUTH_TYPE, at + 14, 2, Value::UInt(u64::from(word(14))));
    }
    d.end();
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_patched};

    /// A Hello, DB Description and an unknown type, written over the payload of
    /// icmp_arp_ping.pcap's frame 9 (an IPv4 echo request, protocol set to 89).
    #[test]
    fn types_and_header() {
        let hello = [
            2u8, 1, 0, 44, 192, 168, 1, 1, 0, 0, 0, 0, 0x12, 0x34, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        ];
        for (kind, info) in [
            (1u8, "Hello Packet"),
            (2, "DB Description"),
            (9, "Unknown (9)"),
        ] {
            with_patched(
                "icmp_arp_ping.pcap",
                9,
                |b| {
                    b[23] = 89;
                    b[34..58].copy_from_slice(&hello);
                    b[35] = kind;
                },
                |d| {
                    assert_eq!(d.columns.protocol, "OSPF");
                    assert_eq!(d.columns.info, info);
                    assert_eq!(field(d, "ospf.srcrouter"), "192.168.1.1");
                    assert_eq!(field(d, "ospf.checksum"), "0x1234");
                },
            );
        }
    }
}
