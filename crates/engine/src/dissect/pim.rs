//! PIM version 2 (RFC 7761) on IP protocol 103: tshark 4.0's `PIMv2` column and the
//! message type in Info (`Hello`, `Join/Prune`, `Register`, ...), with the common
//! header's fields and a Register's encapsulated packet; other bodies are not decoded.

use super::context::PacketContext;
use super::field::Base;
use super::field::kinds::*;
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;

/// Message types by tshark's names (`tshark -G values`, `pim.type`).
#[rustfmt::skip]
const TYPES: &[(u64, &str)] = &[
    (0, "Hello"), (1, "Register"), (2, "Register-stop"), (3, "Join/Prune"), (4, "Bootstrap"),
    (5, "Assert"), (6, "Graft"), (7, "Graft-Ack"), (8, "Candidate-RP-Advertisement"),
    (9, "State-Refresh"), (10, "DF election"), (11, "ECMP redirect"),
    (12, "PFM source discovery"),
];

crate::define_fields! { after super::vrrp::END;
    PIM = "pim", "Protocol Independent Multicast", PROTO;
    VERSION = "pim.version", "Version", uint(8, Base::Dec, 0xf0, None);
    TYPE = "pim.type", "Type", uint(8, Base::Dec, 0x0f, Some(TYPES));
    CKSUM = "pim.cksum", "Checksum", hex(16);
}

/// Dissects a PIM message at `at` in `data`; false when it is no version 2 message
/// (IP then shows the protocol number as before).
pub fn dissect<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    data: &'a [u8],
    at: usize,
) -> bool {
    let Some(first) = bytes::u8_at(data, at) else {
        return false;
    };
    if first >> 4 != 2 {
        return false;
    }
    d.open_protocol(PIM, (at, data.len().saturating_sub(at)), "pim", "PIMv2");
    let kind = first & 0x0f;
    let name = super::value::value_name(Some(TYPES), u64::from(kind)).unwrap_or("Unknown");
    d.set_info(|| name.to_string());
    d.add(VERSION, at, 1, Value::UInt(2));
    d.add(TYPE, at, 1, Value::UInt(u64::from(kind)));
    let Some(sum) = bytes::be_u16(data, at + 2) else {
        d.end();
        super::truncated(d, ctx, data, at, "PIM");
        return true;
    };
    d.add(CKSUM, at + 2, 2, Value::UInt(u64::from(sum)));
    d.end();
    // A Register carries the multicast packet it registers after its flags word: the
    // address columns show that packet's, the Protocol and Info columns stay PIM's.
    if kind == 1 && bytes::be_u32(data, at + 4).is_some_and(|flags| flags & 0x4000_0000 == 0) {
        let inner = at + 8;
        match bytes::u8_at(data, inner).map(|b| b >> 4) {
            Some(4) => {
                super::ipv4::dissect(d, ctx, data, inner);
            }
            Some(6) => {
                super::ipv6::dissect(d, ctx, data, inner);
            }
            _ => {}
        }
        d.set_protocol("PIMv2");
        d.set_info(|| name.to_string());
    }
    true
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_patched};

    /// PIMv2 Hello and Join/Prune written over icmp_arp_ping.pcap's frame 9 (IPv4,
    /// protocol set to 103); a version 1 header is left to IP.
    #[test]
    fn version_two_by_type() {
        for (first, protocol, info) in [
            (0x20u8, "PIMv2", "Hello"),
            (0x23, "PIMv2", "Join/Prune"),
            (0x2f, "PIMv2", "Unknown"),
            (0x10, "IPv4", "PIM (103)"),
        ] {
            with_patched(
                "icmp_arp_ping.pcap",
                9,
                |b| {
                    b[23] = 103;
                    b[34..38].copy_from_slice(&[first, 0, 0xab, 0xcd]);
                },
                |d| {
                    assert_eq!(d.columns.protocol, protocol);
                    assert_eq!(d.columns.info, info);
                    if protocol == "PIMv2" {
                        assert_eq!(field(d, "pim.cksum"), "0xabcd");
                    }
                },
            );
        }
    }
}
