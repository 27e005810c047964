//! IEEE 1905.1 (EtherType 0x893a): the control messages of home networks' convergence
//! layer (Wi-Fi mesh routers send "Topology discovery" every minute to
//! 01:80:c2:00:00:13): the message header, then its TLVs, each with type and length,
//! the AL MAC and MAC address TLVs read, the others as data; tshark's Info is the
//! message type.

use super::field::Base;
use super::field::kinds::*;
use super::tree::{Dissection, Expert, Severity};
use super::value::Value;
use crate::bytes;
use std::borrow::Cow;

#[rustfmt::skip]
const MESSAGE_TYPES: &[(u64, &str)] = &[
    (0x0000, "Topology discovery"), (0x0001, "Topology notification"),
    (0x0002, "Topology query"), (0x0003, "Topology response"),
    (0x0004, "Vendor specific"), (0x0005, "Link metric query"),
    (0x0006, "Link metric response"), (0x0007, "AP autoconfiguration search"),
    (0x0008, "AP autoconfiguration response"), (0x0009, "AP autoconfiguration Wi-Fi simple configuration (WSC)"),
    (0x000a, "AP autoconfiguration renew"), (0x000b, "1905.1 push button event notification"),
    (0x000c, "1905.1 push button join notification"), (0x000d, "Higher layer query"),
    (0x000e, "Higher layer response"), (0x000f, "Interface power change request"),
    (0x0010, "Interface power change response"), (0x0011, "Generic phy query"),
    (0x0012, "Generic phy response"),
];

#[rustfmt::skip]
const TLV_TYPES: &[(u64, &str)] = &[
    (0x00, "End of message"), (0x01, "1905 AL MAC address type"), (0x02, "MAC address type"),
    (0x03, "1905 device information type"), (0x04, "Device bridging capability"),
    (0x06, "Non-1905 neighbor device list"), (0x07, "1905 neighbor device"),
    (0x08, "Link metric query"), (0x09, "1905 transmitter link metric"),
    (0x0a, "1905 receiver link metric"), (0x0b, "Vendor specific"),
    (0x0c, "1905 link metric result code"), (0x0d, "Searched role"),
    (0x0e, "Autoconfig frequency band"), (0x0f, "Supported role"),
    (0x10, "Supported frequency band"), (0x11, "WSC"), (0x12, "Push button event notification"),
    (0x13, "Push button join notification"), (0x14, "Generic PHY device information"),
    (0x15, "Device identification type"), (0x16, "Control URL type"), (0x17, "IPv4 type"),
    (0x18, "IPv6 type"), (0x19, "Push button generic PHY event notification"),
    (0x1a, "1905 profile version"), (0x1b, "Power off interface"),
    (0x1c, "Interface power change information"), (0x1d, "Interface power change status"),
    (0x1e, "L2 neighbor device"),
];

const LAST_FRAGMENT_WORDS: &[&str; 2] =
    &["This is the last fragment", "This is not the last fragment"];
const RELAY_WORDS: &[&str; 2] = &["Relayed multicast", "Neighbor multicast or unicast"];

crate::define_fields! { after super::ppi::END;
    IEEE1905 = "ieee1905", "IEEE 1905.1a", PROTO;
    VERSION = "ieee1905.version", "Message version", dec(8);
    RESERVED = "ieee1905.reserved", "Message reserved", dec(8);
    MESSAGE_TYPE = "ieee1905.message_type", "Message type", hex_named(16, MESSAGE_TYPES);
    MESSAGE_ID = "ieee1905.message_id", "Message id", hex(16);
    FRAGMENT_ID = "ieee1905.fragment_id", "Fragment id", hex(8);
    FLAGS = "ieee1905.flags", "Flags", hex(8);
    LAST_FRAGMENT = "ieee1905.last_fragment", "Last fragment", bool_words(8, 0x80, LAST_FRAGMENT_WORDS);
    RELAY_INDICATOR = "ieee1905.relay_indicator", "Relay indicator", bool_words(8, 0x40, RELAY_WORDS);
    TLV_TYPE = "ieee1905.tlv_type", "TLV type", hex_named(8, TLV_TYPES);
    TLV_LENGTH = "ieee1905.tlv_length", "TLV length", dec(16);
    TLV_LENGTH_RESERVED = "ieee1905.tlv_length.reserved", "TLV length reserved", uint(16, Base::Hex, 0xc000, None);
    TLV_LENGTH_LENGTH = "ieee1905.tlv_length.length", "TLV length length", uint(16, Base::Dec, 0x3fff, None);
    TLV_DATA = "ieee1905.tlv_data", "TLV data", BYTES;
    AL_MAC_ADDRESS = "ieee1905.1905_al_mac_addr", "1905 AL MAC address type", ETHER;
    MAC_ADDRESS = "ieee1905.mac_addr", "MAC address type", ETHER;
    EXTRANEOUS = "ieee1905.data", "Extraneous message data", BYTES;
}

/// Most TLVs read from one message.
const MAX_TLVS: usize = 256;

/// Dissects the message at `offset` of `data` (the rest of the frame: tshark hands
/// 1905.1 the Ethernet padding too, and calls it extraneous data after the end TLV).
pub fn dissect<'a>(d: &mut Dissection<'a>, data: &'a [u8], offset: usize) {
    d.push_layer("ieee1905");
    d.set_protocol("ieee1905");
    let item = d.add(
        IEEE1905,
        offset,
        data.len().saturating_sub(offset),
        Value::None,
    );
    let Some(header) = bytes::slice(data, offset, 8) else {
        super::malformed(d, data, offset, "ieee1905", 8);
        return;
    };
    d.begin(item);
    let u8_at = |i: usize| header.get(i).copied().unwrap_or(0);
    let message_type = bytes::be_u16(header, 2).unwrap_or(0);
    d.add(VERSION, offset, 1, Value::UInt(u64::from(u8_at(0))));
    d.add(RESERVED, offset + 1, 1, Value::UInt(u64::from(u8_at(1))));
    d.add(
        MESSAGE_TYPE,
        offset + 2,
        2,
        Value::UInt(u64::from(message_type)),
    );
    let id = bytes::be_u16(header, 4).unwrap_or(0);
    d.add(MESSAGE_ID, offset + 4, 2, Value::UInt(u64::from(id)));
    d.add(FRAGMENT_ID, offset + 6, 1, Value::UInt(u64::from(u8_at(6))));
    let flags = u8_at(7);
    let flags_item = d.add_labeled(FLAGS, offset + 7, 1, Value::UInt(u64::from(flags)), || {
        let last = if flags & 0x80 != 0 {
            ", Last fragment"
        } else {
            ""
        };
        let relay = if flags & 0x40 != 0 {
            ", Relay indicator"
        } else {
            ""
        };
        format!("Flags: 0x{flags:02x}{last}{relay}")
    });
    d.begin(flags_item);
    d.add(LAST_FRAGMENT, offset + 7, 1, Value::Bool(flags & 0x80 != 0));
    d.add(
        RELAY_INDICATOR,
        offset + 7,
        1,
        Value::Bool(flags & 0x40 != 0),
    );
    d.end();
    d.set_info(|| {
        super::value::value_name(Some(MESSAGE_TYPES), u64::from(message_type))
            .map_or_else(|| format!("Unknown (0x{message_type:04x})"), str::to_string)
    });
    let mut at = offset + 8;
    for _ in 0..MAX_TLVS {
        let (Some(kind), Some(raw_len)) = (bytes::u8_at(data, at), bytes::be_u16(data, at + 1))
        else {
            break;
        };
        let len = usize::from(raw_len & 0x3fff);
        let Some(value) = bytes::slice(data, at + 3, len) else {
            super::malformed(d, data, at, "ieee1905", 3 + len);
            break;
        };
        let name = super::value::value_name(Some(TLV_TYPES), u64::from(kind)).unwrap_or("Unknown");
        let tlv = d.text(at, 3 + len, || name.to_string());
        d.begin(tlv);
        d.add(TLV_TYPE, at, 1, Value::UInt(u64::from(kind)));
        let length = d.add(TLV_LENGTH, at + 1, 2, Value::UInt(len as u64));
        d.begin(length);
        d.add(
            TLV_LENGTH_RESERVED,
            at + 1,
            2,
            Value::UInt(u64::from(raw_len >> 14)),
        );
        d.add(TLV_LENGTH_LENGTH, at + 1, 2, Value::UInt(len as u64));
        d.end();
        match (kind, bytes::array::<6>(value, 0)) {
            (1, Some(mac)) if len == 6 => {
                d.add(AL_MAC_ADDRESS, at + 3, 6, Value::Ether(mac));
            }
            (2, Some(mac)) if len == 6 => {
                d.add(MAC_ADDRESS, at + 3, 6, Value::Ether(mac));
            }
            _ if len > 0 && d.wants(TLV_DATA) => {
                d.add(TLV_DATA, at + 3, len, Value::Bytes(Cow::Borrowed(value)));
            }
            _ => {}
        }
        d.end();
        at += 3 + len;
        if kind == 0 {
            let rest = bytes::tail(data, at);
            if !rest.is_empty() {
                let extra = d.add(
                    EXTRANEOUS,
                    at,
                    rest.len(),
                    Value::Bytes(Cow::Borrowed(rest)),
                );
                d.expert(
                    extra,
                    Expert {
                        severity: Severity::Warning,
                        group: "Protocol",
                        protocol: "ieee1905",
                        message: Cow::Borrowed("Extraneous data after EOM TLV"),
                    },
                );
            }
            break;
        }
    }
    d.end();
}

#[cfg(test)]
mod tests {
    use crate::dissect::Dissection;

    /// A router's Topology discovery as a public lab capture holds it (its AL MAC
    /// and MAC TLVs, the end TLV, then the Ethernet padding).
    const DISCOVERY: &[u8] = &[
        0x00, 0x00, 0x00, 0x00, 0x1a, 0xa5, 0x00, 0x80, 0x01, 0x00, 0x06, 0x7e, 0xf1, 0x7e, 0x2f,
        0x74, 0x1f, 0x02, 0x00, 0x06, 0x7c, 0xf1, 0x7e, 0x2f, 0x74, 0x1e, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00,
    ];

    #[test]
    fn topology_discovery() {
        let mut d = Dissection::full();
        super::dissect(&mut d, DISCOVERY, 0);
        assert_eq!(d.columns.info, "Topology discovery");
        assert_eq!(d.columns.protocol, "ieee1905");
        assert!(d.has(super::AL_MAC_ADDRESS) && d.has(super::MAC_ADDRESS));
        assert!(d.has(super::EXTRANEOUS));
    }

    /// Cut anywhere, or with a TLV longer than the message: no panic, a mark.
    #[test]
    fn truncated_and_impossible() {
        for cut in 0..DISCOVERY.len() {
            let mut d = Dissection::full();
            super::dissect(&mut d, &DISCOVERY[..cut], 0);
        }
        let mut long = DISCOVERY.to_vec();
        long[10] = 0xff;
        let mut d = Dissection::full();
        super::dissect(&mut d, &long, 0);
        assert!(!d.has(super::AL_MAC_ADDRESS));
    }
}
