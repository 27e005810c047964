//! Link Layer Discovery Protocol (IEEE 802.1AB, EtherType 0x88cc): the mandatory
//! Chassis ID, Port ID and Time to Live TLVs, then the optional ones (port and system
//! names and descriptions, capabilities, management address, organization-specific),
//! with tshark's Info `MA/00:19:2f:a7:b2:8d IA/Uplink to S1 120 SysN=S2 SysD=… `.

use super::field::kinds::*;
use super::tree::Dissection;
use super::value::{Value, ether_text, ipv4_text, ipv6_text};
use crate::bytes;

#[rustfmt::skip]
const TLV_TYPES: &[(u64, &str)] = &[
    (0, "End of LLDPDU"), (1, "Chassis Id"), (2, "Port Id"), (3, "Time to Live"),
    (4, "Port Description"), (5, "System Name"), (6, "System Description"),
    (7, "System Capabilities"), (8, "Management Address"), (127, "Organization Specific"),
];
#[rustfmt::skip]
const CHASSIS_SUBTYPES: &[(u64, &str)] = &[
    (0, "Reserved"), (1, "Chassis component"), (2, "Interface alias"), (3, "Port component"),
    (4, "MAC address"), (5, "Network address"), (6, "Interface name"), (7, "Locally assigned"),
];
#[rustfmt::skip]
const PORT_SUBTYPES: &[(u64, &str)] = &[
    (0, "Reserved"), (1, "Interface alias"), (2, "Port component"), (3, "MAC address"),
    (4, "Network address"), (5, "Interface name"), (6, "Agent circuit Id"),
    (7, "Locally assigned"),
];

crate::define_fields! { after super::stp::END;
    LLDP = "lldp", "Link Layer Discovery Protocol", PROTO;
    TLV_TYPE = "lldp.tlv.type", "TLV Type", uint(16, super::field::Base::Dec, 0xfe00, Some(TLV_TYPES));
    TLV_LEN = "lldp.tlv.len", "TLV Length", uint(16, super::field::Base::Dec, 0x01ff, None);
    CHASSIS_SUBTYPE = "lldp.chassis.subtype", "Chassis Id Subtype", dec_named(8, CHASSIS_SUBTYPES);
    CHASSIS_ID = "lldp.chassis.id", "Chassis Id", BYTES;
    CHASSIS_ID_MAC = "lldp.chassis.id.mac", "Chassis Id", ETHER;
    CHASSIS_ID_IP4 = "lldp.chassis.id.ip4", "Chassis Id", IPV4;
    PORT_SUBTYPE = "lldp.port.subtype", "Port Id Subtype", dec_named(8, PORT_SUBTYPES);
    PORT_ID = "lldp.port.id", "Port Id", STR;
    PORT_ID_MAC = "lldp.port.id.mac", "Port Id", ETHER;
    PORT_ID_IP4 = "lldp.port.id.ip4", "Port Id", IPV4;
    TIME_TO_LIVE = "lldp.time_to_live", "Seconds", dec(16);
    PORT_DESC = "lldp.port.desc", "Port Description", STR;
    SYSTEM_NAME = "lldp.tlv.system.name", "System Name", STR;
    SYSTEM_DESC = "lldp.tlv.system.desc", "System Description", STR;
    SYSTEM_CAP = "lldp.tlv.system_cap", "Capabilities", hex(16);
    ENABLE_SYSTEM_CAP = "lldp.tlv.enable_system_cap", "Enabled Capabilities", hex(16);
    MGN_ADDRESS_LEN = "lldp.mgn.address.len", "Address String Length", dec(8);
    MGN_ADDRESS_SUBTYPE = "lldp.mgn.address.subtype", "Address Subtype", dec(8);
    MGN_ADDR_IP4 = "lldp.mgn.addr.ip4", "Management Address", IPV4;
    MGN_ADDR_IP6 = "lldp.mgn.addr.ip6", "Management Address", IPV6;
    ORGTLV_OUI = "lldp.orgtlv.oui", "Organization Unique Code", dec(24);
}

/// TLVs read at most from one LLDPDU.
const MAX_TLVS: usize = 256;

/// One TLV's header: type (7 bits), length (9 bits), and its value.
fn tlv(b: &[u8], at: usize) -> Option<(u8, usize, &[u8])> {
    let head = bytes::be_u16(b, at)?;
    let kind = (head >> 9) as u8;
    let len = usize::from(head & 0x01ff);
    let value = bytes::clamped(b, at + 2, len);
    Some((kind, len, value))
}

/// Dissects an LLDPDU at `offset` of the frame; returns where it ended.
pub fn dissect<'a>(d: &mut Dissection<'a>, offset: usize, b: &'a [u8]) -> Option<usize> {
    let item = d.open_protocol(LLDP, (offset, b.len()), "lldp", "LLDP");
    let mut info = String::new();
    let mut pos = 0usize;
    let mut invalid = None;
    for k in 0..MAX_TLVS {
        let Some((kind, len, value)) = tlv(b, pos) else {
            break;
        };
        let at = offset + pos;
        let head = bytes::be_u16(b, pos).unwrap_or(0);
        // 802.1AB 8.2: Chassis ID, Port ID and Time to Live come first, in order.
        let expected = match k {
            0 => Some((1, "Invalid Chassis ID TLV")),
            1 => Some((2, "Invalid Port ID TLV")),
            2 => Some((3, "Invalid Time-To-Live TLV")),
            _ => None,
        };
        if let Some((want, text)) = expected
            && (kind != want || !valid_len(kind, len, value))
        {
            invalid = Some(text);
            break;
        }
        let label = tlv_label(kind, value);
        let node = d.text(at, 2 + value.len(), || label);
        d.begin(node);
        d.add(TLV_TYPE, at, 2, Value::UInt(u64::from(head >> 9)));
        d.add(TLV_LEN, at, 2, Value::UInt(u64::from(head & 0x01ff)));
        tlv_fields(d, at + 2, kind, value, &mut info);
        d.end();
        pos += 2 + len;
        if kind == 0 {
            break;
        }
    }
    d.set_len(item, pos.min(b.len()));
    d.end();
    match invalid {
        Some(text) => d.set_info(|| text.to_string()),
        None => d.set_info(move || info),
    }
    Some(offset + pos.min(b.len()))
}

/// Whether a mandatory TLV's length fits its kind (802.1AB 8.5.2-8.5.4).
fn valid_len(kind: u8, len: usize, value: &[u8]) -> bool {
    if value.len() < len {
        return false;
    }
    match kind {
        1 | 2 => (2..=256).contains(&len),
        3 => len >= 2,
        _ => true,
    }
}

/// tshark's text for an ID: a MAC or IPv4 address, else the bytes as text.
fn id_text(subtype: u8, id: &[u8], mac_subtype: u8, net_subtype: u8) -> String {
    if subtype == mac_subtype
        && let Some(mac) = bytes::array::<6>(id, 0)
    {
        return ether_text(&mac);
    }
    if subtype == net_subtype {
        match (bytes::u8_at(id, 0), id.len()) {
            (Some(1), 5) => {
                if let Some(a) = bytes::array::<4>(id, 1) {
                    return ipv4_text(&a);
                }
            }
            (Some(2), 17) => {
                if let Some(a) = bytes::array::<16>(id, 1) {
                    return ipv6_text(&a);
                }
            }
            _ => {}
        }
    }
    super::value::string_label_text(id)
}

/// The Info column's abbreviation of an ID subtype.
fn abbrev(chassis: bool, subtype: u8) -> &'static str {
    const CHASSIS: [&str; 8] = ["Reserved", "CC", "IA", "PC", "MA", "NA", "IN", "LA"];
    const PORT: [&str; 8] = ["Reserved", "IA", "PC", "MA", "NA", "IN", "AC", "LA"];
    let table = if chassis { CHASSIS } else { PORT };
    table
        .get(usize::from(subtype))
        .copied()
        .unwrap_or("Reserved")
}

fn tlv_label(kind: u8, value: &[u8]) -> String {
    let sub = bytes::u8_at(value, 0).unwrap_or(0);
    let rest = bytes::tail(value, 1);
    let name = |t: &'static [(u64, &'static str)]| {
        super::value::value_name(Some(t), u64::from(sub)).unwrap_or("Reserved")
    };
    match kind {
        0 => "End of LLDPDU".into(),
        1 => format!(
            "Chassis Subtype = {}, Id: {}",
            name(CHASSIS_SUBTYPES),
            id_text(sub, rest, 4, 5)
        ),
        2 => format!(
            "Port Subtype = {}, Id: {}",
            name(PORT_SUBTYPES),
            id_text(sub, rest, 3, 4)
        ),
        3 => format!(
            "Time To Live = {} sec",
            bytes::be_u16(value, 0).unwrap_or(0)
        ),
        4 => format!(
            "Port Description = {}",
            super::value::string_label_text(value)
        ),
        5 => format!("System Name = {}", super::value::string_label_text(value)),
        6 => format!(
            "System Description = {}",
            super::value::string_label_text(value)
        ),
        7 => "Capabilities".into(),
        8 => "Management Address".into(),
        127 => "Organization Specific".into(),
        _ => format!("Unknown TLV ({kind})"),
    }
}

fn tlv_fields(d: &mut Dissection<'_>, at: usize, kind: u8, value: &[u8], info: &mut String) {
    let sub = bytes::u8_at(value, 0).unwrap_or(0);
    let rest = bytes::tail(value, 1);
    match kind {
        1 | 2 => {
            let chassis = kind == 1;
            let (f_sub, mac_sub, net_sub) = if chassis {
                (CHASSIS_SUBTYPE, 4, 5)
            } else {
                (PORT_SUBTYPE, 3, 4)
            };
            d.add(f_sub, at, 1, Value::UInt(u64::from(sub)));
            let mac = (sub == mac_sub)
                .then(|| bytes::array::<6>(rest, 0))
                .flatten();
            let ip4 = (sub == net_sub && rest.len() == 5 && bytes::u8_at(rest, 0) == Some(1))
                .then(|| bytes::array::<4>(rest, 1))
                .flatten();
            match (mac, ip4) {
                (Some(m), _) => {
                    let f = if chassis { CHASSIS_ID_MAC } else { PORT_ID_MAC };
                    d.add_labeled(f, at + 1, 6, Value::Ether(m), || {
                        let title = if chassis { "Chassis Id" } else { "Port Id" };
                        format!("{title}: {}", super::ethernet::mac_label(&m))
                    });
                }
                (None, Some(a)) => {
                    let f = if chassis { CHASSIS_ID_IP4 } else { PORT_ID_IP4 };
                    d.add(f, at + 2, 4, Value::Ipv4(a));
                }
                (None, None) if chassis => {
                    d.add(
                        CHASSIS_ID,
                        at + 1,
                        rest.len(),
                        Value::Bytes(rest.to_vec().into()),
                    );
                }
                (None, None) => {
                    d.add(PORT_ID, at + 1, rest.len(), Value::owned_str(rest));
                }
            }
            info.push_str(&format!(
                "{}/{} ",
                abbrev(chassis, sub),
                id_text(sub, rest, mac_sub, net_sub)
            ));
        }
        3 => {
            let ttl = bytes::be_u16(value, 0).unwrap_or(0);
            d.add(TIME_TO_LIVE, at, 2, Value::UInt(u64::from(ttl)));
            info.push_str(&format!("{ttl} "));
        }
        4 => {
            d.add(PORT_DESC, at, value.len(), Value::owned_str(value));
        }
        5 => {
            d.add(SYSTEM_NAME, at, value.len(), Value::owned_str(value));
            info.push_str(&format!("SysN={} ", super::value::string_label_text(value)));
        }
        6 => {
            d.add(SYSTEM_DESC, at, value.len(), Value::owned_str(value));
            info.push_str(&format!("SysD={} ", super::value::string_label_text(value)));
        }
        7 => {
            if let (Some(cap), Some(en)) = (bytes::be_u16(value, 0), bytes::be_u16(value, 2)) {
                d.add(SYSTEM_CAP, at, 2, Value::UInt(u64::from(cap)));
                d.add(ENABLE_SYSTEM_CAP, at + 2, 2, Value::UInt(u64::from(en)));
            }
        }
        8 => {
            let Some(len) = bytes::u8_at(value, 0) else {
                return;
            };
            d.add(MGN_ADDRESS_LEN, at, 1, Value::UInt(u64::from(len)));
            if let Some(family) = bytes::u8_at(value, 1) {
                d.add(
                    MGN_ADDRESS_SUBTYPE,
                    at + 1,
                    1,
                    Value::UInt(u64::from(family)),
                );
                match family {
                    1 => {
                        if let Some(a) = bytes::array::<4>(value, 2) {
                            d.add(MGN_ADDR_IP4, at + 2, 4, Value::Ipv4(a));
                        }
                    }
                    2 => {
                        if let Some(a) = bytes::array::<16>(value, 2) {
                            d.add(MGN_ADDR_IP6, at + 2, 16, Value::Ipv6(a));
                        }
                    }
                    _ => {}
                }
            }
        }
        127 => {
            if let Some(oui) = bytes::be_u24(value, 0) {
                d.add(ORGTLV_OUI, at, 3, Value::UInt(u64::from(oui)));
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_frame, with_patched, with_truncated};

    const LLDP_CDP: &str = "../corpus/tcpdump/LLDP_and_CDP.pcap";

    /// LLDP_and_CDP.pcap frame 3: a Cisco switch's LLDPDU.
    #[test]
    fn cisco_switch() {
        with_frame(LLDP_CDP, 3, |d| {
            assert_eq!(d.columns.protocol, "LLDP");
            assert!(d.columns.info.starts_with(
                "MA/00:19:2f:a7:b2:8d IA/Uplink to S1 120 SysN=S2.cisco.com SysD=Cisco IOS"
            ));
            assert!(d.columns.info.ends_with("by weiliu "));
            assert_eq!(field(d, "lldp.chassis.id.mac"), "00:19:2f:a7:b2:8d");
            assert_eq!(field(d, "lldp.port.id"), "Uplink to S1");
            assert_eq!(field(d, "lldp.time_to_live"), "120");
            assert_eq!(field(d, "lldp.tlv.system_cap"), "0x0014");
            assert_eq!(field(d, "lldp.tlv.type"), "1,2,3,5,6,4,7,127,127,0");
        });
    }

    #[test]
    fn cut_and_invalid() {
        // Cut inside the Port ID TLV.
        with_truncated(LLDP_CDP, 3, 26, |d| {
            assert_eq!(d.columns.info, "Invalid Port ID TLV");
        });
        // A Chassis ID TLV claiming 511 bytes.
        with_patched(
            LLDP_CDP,
            3,
            |b| b[14..16].copy_from_slice(&[0x03, 0xff]),
            |d| {
                assert_eq!(d.columns.info, "Invalid Chassis ID TLV");
            },
        );
    }
}
