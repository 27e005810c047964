//! BSD loopback (LINKTYPE_NULL, host byte order) and OpenBSD loopback (LINKTYPE_LOOP,
//! network byte order): a 4-byte address family before the IP packet.

use super::context::PacketContext;
use super::field::kinds::*;
use super::tree::Dissection;
use super::value::Value;
use super::{ipv4, ipv6};
use crate::bytes::Endian;

#[rustfmt::skip]
const FAMILIES: &[(u64, &str)] = &[
    (2, "IP"), (10, "IPv6 (Linux)"), (24, "IPv6 (NetBSD/OpenBSD/BSD/OS)"),
    (28, "IPv6 (FreeBSD/DragonFlyBSD)"), (30, "IPv6 (Darwin)"),
];

crate::define_fields! { after super::sll::END;
    NULL = "null", "Null/Loopback", PROTO;
    FAMILY = "null.family", "Family", dec_named(32, FAMILIES);
}

/// Dissects the 4-byte family header; `endian` is the order the family is stored in
/// (little for LINKTYPE_NULL written on x86; big for LINKTYPE_LOOP).
pub fn dissect<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    data: &'a [u8],
    endian: Endian,
) {
    let Some(raw) = endian.u32(data, 0) else {
        super::malformed(d, data, 0, "Null/Loopback", 4);
        return;
    };
    // LINKTYPE_NULL is in the capturing host's order; a value above 0xffff means the
    // host was of the other byte order.
    let family = if raw > 0xffff { raw.swap_bytes() } else { raw };
    d.open_protocol(NULL, (0, 4), "null", "Null");
    d.add(FAMILY, 0, 4, Value::UInt(u64::from(family)));
    d.end();
    match family {
        2 => {
            ipv4::dissect(d, ctx, data, 4);
        }
        10 | 24 | 28 | 30 => {
            ipv6::dissect(d, ctx, data, 4);
        }
        _ => super::data::dissect(d, data, 4),
    }
}

#[cfg(test)]
mod tests {
    use crate::capture::{Capture, Interface, LinkType};
    use crate::dissect::testing::{field, with_bytes};

    /// The IPv4 packet of tcp_clean_close.pcap frame 12 behind a BSD loopback header
    /// (family 2 written little-endian, as on x86), and with a byte-swapped family.
    #[test]
    fn family_in_either_byte_order() {
        let path = crate::dissect::testing::capture_path("tcp_clean_close.pcap");
        let capture = Capture::open(&path).unwrap();
        let (record, bytes) = capture.packet(11).unwrap();
        let mut iface: Interface = capture.interface_of(&record).clone();
        iface.link_type = LinkType::NULL;
        for family in [[2u8, 0, 0, 0], [0, 0, 0, 2]] {
            let mut frame = family.to_vec();
            frame.extend_from_slice(&bytes[14..]);
            let mut rec = record;
            rec.cap_len = frame.len() as u32;
            with_bytes(&rec, &iface, &frame, |d| {
                assert_eq!(field(d, "null.family"), "2");
                assert_eq!(field(d, "ip.src"), "10.10.0.1");
                assert_eq!(field(d, "tcp.dstport"), "10805");
            });
        }
        with_bytes(&record, &iface, &[2, 0], |d| {
            assert_eq!(field(d, "ip.src"), "")
        });
    }
}
