//! VRRP (RFC 3768 version 2, RFC 5798 version 3) on IP protocol 112: tshark 4.0's
//! `Announcement (vN)` and the fixed header's fields; the addresses and
//! authentication after them are not decoded.

use super::context::PacketContext;
use super::field::Base;
use super::field::kinds::*;
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;

const TYPES: &[(u64, &str)] = &[(1, "Advertisement")];

crate::define_fields! { after super::ospf::END;
    VRRP = "vrrp", "Virtual Router Redundancy Protocol", PROTO;
    VERSION = "vrrp.version", "Protocol Version", uint(8, Base::Dec, 0xf0, None);
    TYPE = "vrrp.type", "Packet type", uint(8, Base::Dec, 0x0f, Some(TYPES));
    VIRT_RTR_ID = "vrrp.virt_rtr_id", "Virtual Rtr ID", dec(8);
    PRIO = "vrrp.prio", "Priority", dec(8);
    ADDR_COUNT = "vrrp.addr_count", "Addr Count", dec(8);
}

/// Dissects a VRRP packet at `at` in `data`.
pub fn dissect<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, data: &'a [u8], at: usize) {
    d.open_protocol(VRRP, (at, data.len().saturating_sub(at)), "vrrp", "VRRP");
    let Some(ver_type) = bytes::u8_at(data, at) else {
        d.end();
        super::truncated(d, ctx, data, at, "VRRP");
        return;
    };
    let version = ver_type >> 4;
    d.set_info(|| format!("Announcement (v{version})"));
    d.add(VERSION, at, 1, Value::UInt(u64::from(version)));
    d.add(TYPE, at, 1, Value::UInt(u64::from(ver_type & 0x0f)));
    // tshark reads the priority and address count next: a packet cut before them
    // throws after the Info is written.
    let (Some(id), Some(prio), Some(count)) = (
        bytes::u8_at(data, at + 1),
        bytes::u8_at(data, at + 2),
        bytes::u8_at(data, at + 3),
    ) else {
        d.end();
        super::truncated(d, ctx, data, at, "VRRP");
        return;
    };
    d.add(VIRT_RTR_ID, at + 1, 1, Value::UInt(u64::from(id)));
    d.add(PRIO, at + 2, 1, Value::UInt(u64::from(prio)));
    d.add(ADDR_COUNT, at + 3, 1, Value::UInt(u64::from(count)));
    d.end();
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_patched};

    /// Versions 2 and 3 written over the payload of icmp_arp_ping.pcap's frame 9 (an
    /// IPv4 echo request, protocol set to 112).
    #[test]
    fn announcements() {
        for (first, info) in [(0x21u8, "Announcement (v2)"), (0x31, "Announcement (v3)")] {
            with_patched(
                "icmp_arp_ping.pcap",
                9,
                |b| {
                    b[23] = 112;
                    b[34..42].copy_from_slice(&[first, 7, 100, 1, 0, 1, 0, 0]);
                },
                |d| {
                    assert_eq!(d.columns.protocol, "VRRP");
                    assert_eq!(d.columns.info, info);
                    assert_eq!(field(d, "vrrp.virt_rtr_id"), "7");
                    assert_eq!(field(d, "vrrp.prio"), "100");
                },
            );
        }
    }
}
