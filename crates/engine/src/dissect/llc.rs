//! IEEE 802.2 Logical-Link Control with the SNAP extension (RFC 1042): how 802.11 data
//! frames carry IP, ARP and EAPOL (DSAP/SSAP 0xaa, UI, an OUI and an EtherType).

use super::context::PacketContext;
use super::ethernet::{ETHERTYPES, ethertype_payload};
use super::field::kinds::*;
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;

#[rustfmt::skip]
const SAPS: &[(u64, &str)] = &[
    (0x00, "NULL LSAP"), (0x02, "LLC Sub-Layer Management Individual"), (0x06, "TCP/IP"),
    (0x42, "Spanning Tree BPDU"), (0xaa, "SNAP"), (0xe0, "NetWare"), (0xf0, "NetBIOS"),
    (0xfe, "ISO Network Layer (OSLAN 1)"), (0xff, "Global LSAP"),
];

/// Cisco's OUI and the SNAP protocol IDs it carries (PVST+ BPDUs).
const CISCO_OUI: u32 = 0x00000c;
const PVST_PID: u16 = 0x010b;
const CDP_PID: u16 = 0x2000;

crate::define_fields! { after super::ieee80211_mgt::END;
    LLC = "llc", "Logical-Link Control", PROTO;
    DSAP = "llc.dsap", "DSAP", hex_named(8, SAPS);
    SSAP = "llc.ssap", "SSAP", hex_named(8, SAPS);
    CONTROL = "llc.control", "Control field", hex(16);
    OUI = "llc.oui", "Organization Code", hex(24);
    TYPE = "llc.type", "Type", hex_named(16, ETHERTYPES);
    PID = "llc.pid", "Protocol ID", hex(16);
}

/// Dissects an LLC header at `offset` and hands SNAP-encapsulated payloads on by their
/// EtherType.
pub fn dissect<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, data: &'a [u8], offset: usize) {
    let (Some(dsap), Some(ssap), Some(control)) = (
        bytes::u8_at(data, offset),
        bytes::u8_at(data, offset + 1),
        bytes::u8_at(data, offset + 2),
    ) else {
        super::truncated(d, ctx, data, offset, "LLC");
        return;
    };
    let snap = dsap == 0xaa && ssap == 0xaa && control == 0x03;
    let len = if snap { 8 } else { 3 };
    let item = d.add(LLC, offset, len, Value::None);
    d.push_layer("llc");
    d.set_protocol("LLC");
    let keep = d.keeps_fields_of(LLC);
    if keep {
        d.begin(item);
        d.add(DSAP, offset, 1, Value::UInt(u64::from(dsap)));
        d.add(SSAP, offset + 1, 1, Value::UInt(u64::from(ssap)));
        d.add_labeled(
            CONTROL,
            offset + 2,
            1,
            Value::UInt(u64::from(control)),
            || {
                if control & 0x03 == 0x03 && control & 0xef == 0x03 {
                    format!("Control field: U, func=UI (0x{control:02X})")
                } else {
                    format!("Control field: 0x{control:02x}")
                }
            },
        );
    }
    if !snap {
        if keep {
            d.end();
        }
        // 802.1D 7.12.3: BPDUs use the LSAP 0x42 in both address fields.
        if dsap == 0x42
            && ssap == 0x42
            && super::stp::dissect(d, ctx, offset + 3, bytes::tail(data, offset + 3))
        {
            return;
        }
        // NetWare's SAP carries IPX.
        if dsap == 0xe0 && ssap == 0xe0 {
            super::ipx::dissect(d, ctx, data, offset + 3);
            return;
        }
        d.set_info(|| format!("DSAP 0x{dsap:02x} SSAP 0x{ssap:02x}"));
        super::data::dissect(d, data, offset + 3);
        return;
    }
    let (Some(oui), Some(kind)) = (
        bytes::be_u24(data, offset + 3),
        bytes::be_u16(data, offset + 6),
    ) else {
        if keep {
            d.end();
        }
        super::truncated(d, ctx, data, offset + 3, "LLC");
        return;
    };
    if keep {
        d.add_labeled(OUI, offset + 3, 3, Value::UInt(u64::from(oui)), || {
            let addr = [(oui >> 16) as u8, (oui >> 8) as u8, oui as u8, 0, 0, 0];
            let hex = format!("{:02x}:{:02x}:{:02x}", addr[0], addr[1], addr[2]);
            match oui {
                0 => format!("Organization Code: {hex} (Officially Xerox, but"),
                _ => format!("Organization Code: {hex}"),
            }
        });
        let field = if oui == 0 || oui == 0xf8 { TYPE } else { PID };
        d.add(field, offset + 6, 2, Value::UInt(u64::from(kind)));
        d.end();
    }
    if oui == 0 || oui == 0xf8 {
        ethertype_payload(d, ctx, data, offset + 8, kind);
    } else if oui == CISCO_OUI
        && kind == PVST_PID
        && super::stp::dissect(d, ctx, offset + 8, bytes::tail(data, offset + 8))
    {
        // Cisco's per-VLAN spanning tree (PVST+) sends 802.1D BPDUs over SNAP.
    } else if oui == CISCO_OUI
        && kind == CDP_PID
        && super::cdp::dissect(d, offset + 8, bytes::tail(data, offset + 8))
    {
    } else {
        super::data::dissect(d, data, offset + 8);
    }
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_frame, with_truncated};

    /// In tcpdump's test corpus (tests/corpus/tcpdump).
    const HTC: &str = "../corpus/tcpdump/ieee802.11_htc.pcap";

    /// ieee802.11_htc.pcap frame 1: a QoS data frame carrying IPv4 over SNAP.
    #[test]
    fn snap_to_ipv4() {
        with_frame(HTC, 1, |d| {
            assert_eq!(field(d, "llc.dsap"), "0xaa");
            assert_eq!(field(d, "llc.type"), "0x0800");
            assert_eq!(field(d, "ip.dst"), "255.255.255.255");
        });
    }

    /// The same frame cut inside the SNAP header.
    #[test]
    fn truncated_snap() {
        // Radiotap 60 + 802.11 header 32: the LLC header starts at 92.
        with_truncated(HTC, 1, 96, |d| {
            assert_eq!(field(d, "llc.type"), "");
            assert!(d.has(crate::dissect::ws::SHORT));
        });
    }
}
