//! BSD loopback (LINKTYPE_NULL, host byte order) and OpenBSD loopback (LINKTYPE_LOOP,
//! network byte order): a 4-byte address family before the IP packet.

use super::context::PacketContext;
use super::field::kinds::*;
use super::tree::Dissection;
use super::value::Value;
use super::{ipv4, ipv6};
use crate::bytes::Endian;

/// The BSD address families as tshark names them: the BSDs number AF_INET6 24 (NetBSD,
/// OpenBSD, BSD/OS, Npcap), 28 (FreeBSD) or 30 (macOS, iOS), all shown as "IPv6";
/// Linux's 10 is no BSD family and stays unknown.
#[rustfmt::skip]
const FAMILIES: &[(u64, &str)] = &[
    (2, "IP"), (7, "OSI"), (16, "Appletalk"), (23, "Netware IPX/SPX"), (24, "IPv6"),
    (28, "IPv6"), (30, "IPv6"),
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
    // tshark's columns until a network layer fills them.
    d.set_addresses(|| ("N/A".to_string(), "N/A".to_string()));
    d.open_protocol(NULL, (0, 4), "null", "N/A");
    d.add(FAMILY, 0, 4, Value::UInt(u64::from(family)));
    d.end();
    match family {
        2 => {
            ipv4::dissect(d, ctx, data, 4);
        }
        24 | 28 | 30 => {
            ipv6::dissect(d, ctx, data, 4);
        }
        _ => super::data::dissect(d, data, 4),
    }
    if d.columns.info.is_empty() {
        d.set_info(|| "Null/Loopback".to_string());
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

    /// macOS's loopback (family 30) is IPv6 as tshark names it; Linux's AF_INET6 (10)
    /// is no BSD family: its bytes stay data under tshark's "N/A" columns.
    #[test]
    fn families_and_columns_as_tshark_shows_them() {
        let path = crate::dissect::testing::capture_path("tcp_clean_close.pcap");
        let capture = Capture::open(&path).unwrap();
        let (mut record, _) = capture.packet(0).unwrap();
        let mut iface: Interface = capture.interface_of(&record).clone();
        iface.link_type = LinkType::NULL;
        let frame = [10u8, 0, 0, 0, 0x60, 0, 0, 0];
        record.cap_len = frame.len() as u32;
        record.orig_len = record.cap_len;
        with_bytes(&record, &iface, &frame, |d| {
            assert_eq!(field(d, "null.family"), "10");
            assert!(field(d, "ipv6.version").is_empty());
            assert_eq!(d.columns.protocol, "N/A");
            assert_eq!(d.columns.source, "N/A");
            assert_eq!(d.columns.info, "Null/Loopback");
        });
        assert_eq!(
            super::FAMILIES.iter().find(|f| f.0 == 30).map(|f| f.1),
            Some("IPv6")
        );
    }
}
