//! Cisco HDLC (LINKTYPE_C_HDLC 104): address, control and a protocol field that
//! names IPv4, IPv6, CDP or SLARP; and SLARP (Cisco's serial line address resolution
//! and keepalives) as tshark 4.0 shows them.

use super::context::PacketContext;
use super::field::kinds::*;
use super::tree::{Dissection, Expert, Severity};
use super::value::Value;
use super::{ipv4, ipv6};
use crate::bytes;
use std::borrow::Cow;

const ADDRESSES: &[(u64, &str)] = &[(0x0f, "Unicast"), (0x8f, "Multicast")];

#[rustfmt::skip]
const PROTOCOLS: &[(u64, &str)] = &[
    (0x0800, "IP"), (0x86dd, "IPv6"), (0x8035, "SLARP"), (0x2000, "Cisco Discovery Protocol"),
    (0xfefe, "OSI"),
];

const SLARP_TYPES: &[(u64, &str)] = &[(0, "Request"), (1, "Reply"), (2, "Line keepalive")];

crate::define_fields! { after super::snmp::END;
    CHDLC = "chdlc", "Cisco HDLC", PROTO;
    ADDRESS = "chdlc.address", "Address", hex_named(8, ADDRESSES);
    CONTROL = "chdlc.control", "Control", hex(8);
    PROTOCOL = "chdlc.protocol", "Protocol", hex_named(16, PROTOCOLS);
    SLARP = "slarp", "Cisco SLARP", PROTO;
    SLARP_PTYPE = "slarp.ptype", "Packet type", dec_named(32, SLARP_TYPES);
    SLARP_ADDRESS = "slarp.address", "Address", IPV4;
    SLARP_NETMASK = "slarp.netmask", "Netmask", IPV4;
    SLARP_MYSEQ = "slarp.mysequence", "Outgoing sequence number", dec(32);
    SLARP_YOURSEQ = "slarp.yoursequence", "Returned sequence number", dec(32);
    SLARP_RELIABILITY = "slarp.reliability", "Reliability", hex(16);
}

/// A Cisco HDLC frame.
pub fn dissect<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, data: &'a [u8]) {
    d.set_protocol("CHDLC");
    d.set_addresses(|| ("N/A".to_string(), "N/A".to_string()));
    let (Some(address), Some(control), Some(proto)) = (
        bytes::u8_at(data, 0),
        bytes::u8_at(data, 1),
        bytes::be_u16(data, 2),
    ) else {
        super::truncated(d, ctx, data, 0, "CHDLC");
        return;
    };
    let item = d.add(CHDLC, 0, 4, Value::None);
    d.push_layer("chdlc");
    d.begin(item);
    // Values without a name read "Unknown", as tshark labels them.
    let name = |table: &'static [(u64, &'static str)], v: u64| {
        super::value::value_name(Some(table), v).unwrap_or("Unknown")
    };
    d.add_labeled(ADDRESS, 0, 1, Value::UInt(u64::from(address)), || {
        format!(
            "Address: {} (0x{address:02x})",
            name(ADDRESSES, u64::from(address))
        )
    });
    d.add(CONTROL, 1, 1, Value::UInt(u64::from(control)));
    d.add_labeled(PROTOCOL, 2, 2, Value::UInt(u64::from(proto)), || {
        format!(
            "Protocol: {} (0x{proto:04x})",
            name(PROTOCOLS, u64::from(proto))
        )
    });
    d.end();
    let body = bytes::tail(data, 4);
    match proto {
        0x0800 => {
            ipv4::dissect(d, ctx, data, 4);
        }
        0x86dd => {
            ipv6::dissect(d, ctx, data, 4);
        }
        0x8035 => slarp(d, ctx, data, 4),
        0x2000 if super::cdp::dissect(d, 4, body) => {}
        _ if body.is_empty() && ctx.record.orig_len > ctx.record.cap_len => {
            super::packet::short(d, "CHDLC", None);
        }
        _ => super::data::dissect(d, data, 4),
    }
}

/// SLARP at `at`: a request or reply with an address and mask, or a keepalive.
fn slarp<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, data: &'a [u8], at: usize) {
    let word = |i: usize| bytes::be_u32(data, at + i);
    let Some(ptype) = word(0) else {
        super::truncated(d, ctx, data, at, "SLARP");
        return;
    };
    d.set_protocol("SLARP");
    let item = d.add(
        SLARP,
        at,
        14.min(data.len().saturating_sub(at)),
        Value::None,
    );
    d.push_layer("slarp");
    d.begin(item);
    d.add(SLARP_PTYPE, at, 4, Value::UInt(u64::from(ptype)));
    match ptype {
        0 | 1 => {
            let (Some(addr), Some(mask)) = (word(4), word(8)) else {
                d.end();
                super::truncated(d, ctx, data, at + 4, "SLARP");
                return;
            };
            let (addr, mask) = (addr.to_be_bytes(), mask.to_be_bytes());
            d.add(SLARP_ADDRESS, at + 4, 4, Value::Ipv4(addr));
            d.add(SLARP_NETMASK, at + 8, 4, Value::Ipv4(mask));
            let kind = if ptype == 0 { "Request" } else { "Reply" };
            d.set_info(|| {
                format!(
                    "{kind}, from {}, mask {}",
                    super::value::ipv4_text(&addr),
                    super::value::ipv4_text(&mask)
                )
            });
        }
        2 => {
            let (Some(mine), Some(yours), Some(reliability)) =
                (word(4), word(8), bytes::be_u16(data, at + 12))
            else {
                d.end();
                super::truncated(d, ctx, data, at + 4, "SLARP");
                return;
            };
            d.add(SLARP_MYSEQ, at + 4, 4, Value::UInt(u64::from(mine)));
            d.add(SLARP_YOURSEQ, at + 8, 4, Value::UInt(u64::from(yours)));
            let node = d.add(
                SLARP_RELIABILITY,
                at + 12,
                2,
                Value::UInt(u64::from(reliability)),
            );
            if reliability != 0xffff {
                let message = "Reliability must be 0xFFFF";
                d.expert(
                    node,
                    Expert {
                        severity: Severity::Error,
                        group: "Malformed",
                        protocol: "SLARP",
                        message: Cow::Borrowed(message),
                    },
                );
            }
            d.set_info(|| {
                format!("Line keepalive, outgoing sequence {mine}, returned sequence {yours}")
            });
        }
        _ => {
            d.set_info(|| format!("Unknown packet type 0x{ptype:08X}"));
        }
    }
    d.end();
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_frame, with_truncated};

    /// hdlc_slarp.pcapng frames 1 and 3: a keepalive and a reply with an address.
    #[test]
    fn slarp_keepalive_and_reply() {
        with_frame("../corpus/tcpdump/hdlc_slarp.pcapng", 1, |d| {
            assert_eq!(d.columns.protocol, "SLARP");
            assert_eq!(
                d.columns.info,
                "Line keepalive, outgoing sequence 1, returned sequence 0"
            );
            assert_eq!(field(d, "chdlc.address"), "0x8f");
            assert_eq!(field(d, "chdlc.protocol"), "0x8035");
        });
        with_frame("../corpus/tcpdump/hdlc_slarp.pcapng", 3, |d| {
            assert_eq!(d.columns.info, "Reply, from 15.0.0.1, mask 255.255.255.252");
            assert_eq!(field(d, "slarp.netmask"), "255.255.255.252");
        });
        // Cut inside the keepalive: what is there, and the cut flagged.
        with_truncated("../corpus/tcpdump/hdlc_slarp.pcapng", 1, 10, |d| {
            assert_eq!(field(d, "slarp.ptype"), "2");
            assert_eq!(field(d, "slarp.mysequence"), "");
        });
        with_truncated("../corpus/tcpdump/hdlc_slarp.pcapng", 1, 2, |d| {
            assert_eq!(field(d, "chdlc.address"), "");
        });
    }
}
