//! Cisco Discovery Protocol (SNAP OUI 00:00:0c, PID 0x2000): version, TTL, checksum
//! and the TLVs (device ID, addresses, port ID, capabilities, software version,
//! platform), with tshark's Info `Device ID: S1  Port ID: FastEthernet0/13  `.

use super::field::kinds::*;
use super::tree::Dissection;
use super::value::{Value, ipv4_text};
use crate::bytes;

#[rustfmt::skip]
const TLV_TYPES: &[(u64, &str)] = &[
    (0x01, "Device ID"), (0x02, "Addresses"), (0x03, "Port ID"), (0x04, "Capabilities"),
    (0x05, "Software version"), (0x06, "Platform"), (0x0a, "Native VLAN"),
    (0x0b, "Duplex"), (0x16, "Management Address"),
];

crate::define_fields! { after super::lldp::END;
    CDP = "cdp", "Cisco Discovery Protocol", PROTO;
    VERSION = "cdp.version", "Version", dec(8);
    TTL = "cdp.ttl", "TTL", dec(8);
    CHECKSUM = "cdp.checksum", "Checksum", hex(16);
    TLV_TYPE = "cdp.tlv.type", "Type", hex_named(16, TLV_TYPES);
    TLV_LEN = "cdp.tlv.len", "Length", dec(16);
    DEVICEID = "cdp.deviceid", "Device ID", STR;
    PLATFORM = "cdp.platform", "Platform", STR;
    PORTID = "cdp.portid", "Sent through Interface", STR;
    CAPABILITIES = "cdp.capabilities", "Capabilities", hex(32);
    NUMBER_OF_ADDRESSES = "cdp.number_of_addresses", "Number of addresses", dec(32);
    NATIVE_VLAN = "cdp.native_vlan", "Native VLAN", dec(16);
}

/// TLVs read at most from one message.
const MAX_TLVS: usize = 256;

/// Dissects a CDP message at `offset`; false when shorter than its header.
pub fn dissect<'a>(d: &mut Dissection<'a>, offset: usize, b: &'a [u8]) -> bool {
    let (Some(version), Some(ttl), Some(sum)) =
        (bytes::u8_at(b, 0), bytes::u8_at(b, 1), bytes::be_u16(b, 2))
    else {
        return false;
    };
    d.open_protocol(CDP, (offset, b.len()), "cdp", "CDP");
    d.add(VERSION, offset, 1, Value::UInt(u64::from(version)));
    d.add_labeled(TTL, offset + 1, 1, Value::UInt(u64::from(ttl)), || {
        format!("TTL: {ttl} seconds")
    });
    d.add(CHECKSUM, offset + 2, 2, Value::UInt(u64::from(sum)));
    let mut info = String::new();
    let mut pos = 4usize;
    for _ in 0..MAX_TLVS {
        let (Some(kind), Some(len)) = (bytes::be_u16(b, pos), bytes::be_u16(b, pos + 2)) else {
            break;
        };
        let len = usize::from(len);
        // The length counts the 4-byte header; less cannot be.
        if len < 4 {
            break;
        }
        let value = bytes::clamped(b, pos + 4, len - 4);
        let at = offset + pos;
        let text = super::value::string_label_text(value);
        let label = match kind {
            0x01 => format!("Device ID: {text}"),
            0x03 => format!("Port ID: {text}"),
            0x06 => format!("Platform: {text}"),
            _ => super::value::value_name(Some(TLV_TYPES), u64::from(kind))
                .unwrap_or("Unknown")
                .to_string(),
        };
        let node = d.text(at, len.min(b.len().saturating_sub(pos)), || label);
        d.begin(node);
        d.add(TLV_TYPE, at, 2, Value::UInt(u64::from(kind)));
        d.add(TLV_LEN, at + 2, 2, Value::UInt(len as u64));
        let vat = at + 4;
        match kind {
            0x01 => {
                d.add(DEVICEID, vat, value.len(), Value::owned_str(value));
                info.push_str(&format!("Device ID: {text}  "));
            }
            0x03 => {
                d.add(PORTID, vat, value.len(), Value::owned_str(value));
                info.push_str(&format!("Port ID: {text}  "));
            }
            0x06 => {
                d.add(PLATFORM, vat, value.len(), Value::owned_str(value));
            }
            0x04 => {
                if let Some(caps) = bytes::be_u32(value, 0) {
                    d.add(CAPABILITIES, vat, 4, Value::UInt(u64::from(caps)));
                }
            }
            0x02 => {
                if let Some(n) = bytes::be_u32(value, 0) {
                    d.add(NUMBER_OF_ADDRESSES, vat, 4, Value::UInt(u64::from(n)));
                    // The first address, when it is IPv4 over NLPID (the usual case).
                    if let (Some(1), Some(1), Some(0xcc), Some(4), Some(a)) = (
                        bytes::u8_at(value, 4),
                        bytes::u8_at(value, 5),
                        bytes::u8_at(value, 6),
                        bytes::be_u16(value, 7),
                        bytes::array::<4>(value, 9),
                    ) {
                        d.text(vat + 4, 9, || format!("IP address: {}", ipv4_text(&a)));
                    }
                }
            }
            0x0a => {
                if let Some(vlan) = bytes::be_u16(value, 0) {
                    d.add(NATIVE_VLAN, vat, 2, Value::UInt(u64::from(vlan)));
                }
            }
            _ => {}
        }
        d.end();
        pos += len;
    }
    d.end();
    d.set_info(move || info);
    true
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_frame, with_patched, with_truncated};

    const CDP: &str = "../corpus/tcpdump/3560_CDP.pcap";

    /// 3560_CDP.pcap frame 1: a Catalyst 3560's announcement.
    #[test]
    fn announcement() {
        with_frame(CDP, 1, |d| {
            assert_eq!(d.columns.protocol, "CDP");
            assert_eq!(
                d.columns.info,
                "Device ID: Switch  Port ID: GigabitEthernet0/5  "
            );
            assert_eq!(field(d, "cdp.deviceid"), "Switch");
            assert_eq!(field(d, "cdp.ttl"), "180");
        });
    }

    #[test]
    fn cut_and_lying() {
        with_truncated(CDP, 1, 40, |d| {
            assert_eq!(field(d, "cdp.version"), "2");
        });
        // A TLV length of 2 (less than its own header) stops the walk.
        with_patched(
            CDP,
            1,
            |b| b[28..30].copy_from_slice(&[0, 2]),
            |d| {
                assert_eq!(d.columns.protocol, "CDP");
            },
        );
    }
}
