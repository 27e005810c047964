//! Cisco's Hot Standby Router Protocol (RFC 2281, UDP 1985): version 1's fixed
//! message, its Advertise TLV, and version 2's TLVs (Group State, Text Authentication),
//! with tshark's Info `Hello (state Active)`.

use super::field::kinds::*;
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;
use std::borrow::Cow;

#[rustfmt::skip]
const OPCODES: &[(u64, &str)] = &[(0, "Hello"), (1, "Coup"), (2, "Resign"), (3, "Advertise")];
#[rustfmt::skip]
const STATES: &[(u64, &str)] = &[
    (0, "Initial"), (1, "Learn"), (2, "Listen"), (4, "Speak"), (8, "Standby"), (16, "Active"),
];
#[rustfmt::skip]
const STATES_V2: &[(u64, &str)] = &[
    (0, "Disabled"), (1, "Init"), (2, "Learn"), (3, "Listen"), (4, "Speak"), (5, "Standby"),
    (6, "Active"),
];
const ADV_STATES: &[(u64, &str)] = &[(1, "Dormant"), (2, "Passive"), (3, "Active")];
const IP_VERSIONS: &[(u64, &str)] = &[(4, "IPv4"), (6, "IPv6")];

crate::define_fields! { after super::ssdp::END;
    HSRP = "hsrp", "Cisco Hot Standby Router Protocol", PROTO;
    VERSION = "hsrp.version", "Version", dec(8);
    OPCODE = "hsrp.opcode", "Op Code", dec_named(8, OPCODES);
    STATE = "hsrp.state", "State", dec_named(8, STATES);
    HELLOTIME = "hsrp.hellotime", "Hellotime", dec(8);
    HOLDTIME = "hsrp.holdtime", "Holdtime", dec(8);
    PRIORITY = "hsrp.priority", "Priority", dec(8);
    GROUP = "hsrp.group", "Group", dec(8);
    RESERVED = "hsrp.reserved", "Reserved", dec(8);
    AUTH_DATA = "hsrp.auth_data", "Authentication Data", STR;
    VIRT_IP = "hsrp.virt_ip", "Virtual IP Address", IPV4;
    ADV_TLVTYPE = "hsrp.adv.tlvtype", "Adv type", dec(16);
    ADV_TLVLENGTH = "hsrp.adv.tlvlength", "Adv length", dec(16);
    ADV_STATE = "hsrp.adv.state", "Adv state", dec_named(8, ADV_STATES);
    ADV_ACTIVEGRP = "hsrp.adv.activegrp", "Adv active groups", dec(16);
    ADV_PASSIVEGRP = "hsrp.adv.passivegrp", "Adv passive groups", dec(16);
    V2_GROUP_STATE_TLV = "hsrp2.group_state_tlv", "Group State TLV", dec(8);
    V2_TEXT_AUTH_TLV = "hsrp2.text_auth_tlv", "Text Authentication TLV", dec(8);
    V2_VERSION = "hsrp2.version", "Version", dec(8);
    V2_OPCODE = "hsrp2.opcode", "Op Code", dec_named(8, OPCODES);
    V2_STATE = "hsrp2.state", "State", dec_named(8, STATES_V2);
    V2_IPVERSION = "hsrp2.ipversion", "IP Ver.", dec_named(8, IP_VERSIONS);
    V2_GROUP = "hsrp2.group", "Group", dec(16);
    V2_IDENTIFIER = "hsrp2.identifier", "Identifier", ETHER;
    V2_PRIORITY = "hsrp2.priority", "Priority", dec(32);
    V2_HELLOTIME = "hsrp2.hellotime", "Hellotime", dec(32);
    V2_HOLDTIME = "hsrp2.holdtime", "Holdtime", dec(32);
    V2_VIRT_IP = "hsrp2.virt_ip", "Virtual IP Address", IPV4;
    V2_VIRT_IP_V6 = "hsrp2.virt_ip_v6", "Virtual IPv6 Address", IPV6;
    V2_AUTH_DATA = "hsrp2.auth_data", "Authentication Data", STR;
}

/// Most TLVs read from one message.
const MAX_TLVS: usize = 32;

fn name(table: &'static [(u64, &'static str)], v: u8) -> &'static str {
    super::value::value_name(Some(table), u64::from(v)).unwrap_or("Unknown")
}

fn auth_value(raw: &[u8]) -> Value<'static> {
    let end = raw.iter().position(|&b| b == 0).unwrap_or(raw.len());
    Value::Str(Cow::Owned(raw.get(..end).unwrap_or(raw).to_vec()))
}

fn auth_label(raw: &[u8]) -> String {
    let end = raw.iter().position(|&b| b == 0).unwrap_or(raw.len());
    let text = super::value::string_label_text(raw.get(..end).unwrap_or(raw));
    let default = if text == "cisco" {
        "Default"
    } else {
        "Non-Default"
    };
    format!("Authentication Data: {default} ({text})")
}

/// Dissects an HSRP message at `offset`; false when it is too short for one.
pub fn dissect<'a>(d: &mut Dissection<'a>, offset: usize, msg: &'a [u8]) -> bool {
    // Version 2 starts with its Group State TLV (type 1, 40 bytes); version 1 with
    // its version number, 0.
    let v2 = matches!(msg, [1, 40, ..]);
    let Some(&first) = msg.first() else {
        return false;
    };
    let item = d.add(HSRP, offset, msg.len(), Value::None);
    d.push_layer("hsrp");
    d.set_protocol(if v2 { "HSRPv2" } else { "HSRP" });
    d.begin(item);
    let info = if v2 {
        v2_tlvs(d, offset, msg)
    } else {
        v1(d, offset, msg, first)
    };
    d.end();
    if let Some(info) = info {
        d.set_info(move || info);
    }
    true
}

fn v1(d: &mut Dissection<'_>, offset: usize, msg: &[u8], version: u8) -> Option<String> {
    d.add(VERSION, offset, 1, Value::UInt(u64::from(version)));
    let opcode = bytes::u8_at(msg, 1)?;
    d.add(OPCODE, offset + 1, 1, Value::UInt(u64::from(opcode)));
    if opcode == 3 {
        // Advertise: one TLV of interface state.
        let (Some(t), Some(l), Some(state)) = (
            bytes::be_u16(msg, 2),
            bytes::be_u16(msg, 4),
            bytes::u8_at(msg, 6),
        ) else {
            return Some("Advertise".into());
        };
        d.add(ADV_TLVTYPE, offset + 2, 2, Value::UInt(u64::from(t)));
        d.add(ADV_TLVLENGTH, offset + 4, 2, Value::UInt(u64::from(l)));
        d.add(ADV_STATE, offset + 6, 1, Value::UInt(u64::from(state)));
        if let (Some(a), Some(p)) = (bytes::be_u16(msg, 8), bytes::be_u16(msg, 10)) {
            d.add(ADV_ACTIVEGRP, offset + 8, 2, Value::UInt(u64::from(a)));
            d.add(ADV_PASSIVEGRP, offset + 10, 2, Value::UInt(u64::from(p)));
        }
        return Some(format!("Advertise (state {})", name(ADV_STATES, state)));
    }
    let state = bytes::u8_at(msg, 2)?;
    d.add(STATE, offset + 2, 1, Value::UInt(u64::from(state)));
    let info = format!("{} (state {})", name(OPCODES, opcode), name(STATES, state));
    let (Some(hello), Some(hold), Some(prio), Some(group), Some(res)) = (
        bytes::u8_at(msg, 3),
        bytes::u8_at(msg, 4),
        bytes::u8_at(msg, 5),
        bytes::u8_at(msg, 6),
        bytes::u8_at(msg, 7),
    ) else {
        return Some(info);
    };
    let default = |v: u8, dflt: u8| if v == dflt { "Default" } else { "Non-Default" };
    d.add_labeled(
        HELLOTIME,
        offset + 3,
        1,
        Value::UInt(u64::from(hello)),
        || format!("Hellotime: {} ({hello})", default(hello, 3)),
    );
    d.add_labeled(
        HOLDTIME,
        offset + 4,
        1,
        Value::UInt(u64::from(hold)),
        || format!("Holdtime: {} ({hold})", default(hold, 10)),
    );
    d.add(PRIORITY, offset + 5, 1, Value::UInt(u64::from(prio)));
    d.add(GROUP, offset + 6, 1, Value::UInt(u64::from(group)));
    d.add(RESERVED, offset + 7, 1, Value::UInt(u64::from(res)));
    if let Some(auth) = bytes::slice(msg, 8, 8) {
        d.add_labeled(AUTH_DATA, offset + 8, 8, auth_value(auth), || {
            auth_label(auth)
        });
    }
    if let Some(ip) = bytes::array::<4>(msg, 16) {
        d.add(VIRT_IP, offset + 16, 4, Value::Ipv4(ip));
    }
    Some(info)
}

fn v2_tlvs(d: &mut Dissection<'_>, offset: usize, msg: &[u8]) -> Option<String> {
    let mut info = None;
    let mut pos = 0usize;
    for _ in 0..MAX_TLVS {
        let (Some(t), Some(l)) = (bytes::u8_at(msg, pos), bytes::u8_at(msg, pos + 1)) else {
            break;
        };
        let len = usize::from(l);
        let body = bytes::clamped(msg, pos + 2, len);
        let at = offset + pos + 2;
        match t {
            1 => {
                let tlv = d.add_labeled(
                    V2_GROUP_STATE_TLV,
                    offset + pos,
                    2 + len,
                    Value::UInt(u64::from(t)),
                    || format!("Group State TLV: Type={t} Len={l}"),
                );
                d.begin(tlv);
                info = group_state(d, at, body);
                d.end();
            }
            3 => {
                let tlv = d.add_labeled(
                    V2_TEXT_AUTH_TLV,
                    offset + pos,
                    2 + len,
                    Value::UInt(u64::from(t)),
                    || format!("Text Authentication TLV: Type={t} Len={l}"),
                );
                d.begin(tlv);
                d.add_labeled(V2_AUTH_DATA, at, body.len(), auth_value(body), || {
                    auth_label(body)
                });
                d.end();
            }
            _ => {}
        }
        pos += 2 + len;
    }
    info
}

fn group_state(d: &mut Dissection<'_>, at: usize, b: &[u8]) -> Option<String> {
    let (version, opcode, state, ipver) = (
        bytes::u8_at(b, 0)?,
        bytes::u8_at(b, 1)?,
        bytes::u8_at(b, 2)?,
        bytes::u8_at(b, 3)?,
    );
    d.add(V2_VERSION, at, 1, Value::UInt(u64::from(version)));
    d.add(V2_OPCODE, at + 1, 1, Value::UInt(u64::from(opcode)));
    d.add(V2_STATE, at + 2, 1, Value::UInt(u64::from(state)));
    d.add(V2_IPVERSION, at + 3, 1, Value::UInt(u64::from(ipver)));
    let info = format!(
        "{} (state {})",
        name(OPCODES, opcode),
        name(STATES_V2, state)
    );
    let (Some(group), Some(id), Some(prio), Some(hello), Some(hold)) = (
        bytes::be_u16(b, 4),
        bytes::array::<6>(b, 6),
        bytes::be_u32(b, 12),
        bytes::be_u32(b, 16),
        bytes::be_u32(b, 20),
    ) else {
        return Some(info);
    };
    d.add(V2_GROUP, at + 4, 2, Value::UInt(u64::from(group)));
    d.add_labeled(V2_IDENTIFIER, at + 6, 6, Value::Ether(id), || {
        format!("Identifier: {}", super::ethernet::mac_label(&id))
    });
    d.add(V2_PRIORITY, at + 12, 4, Value::UInt(u64::from(prio)));
    let default = |v: u32, dflt: u32| if v == dflt { "Default" } else { "Non-Default" };
    d.add_labeled(
        V2_HELLOTIME,
        at + 16,
        4,
        Value::UInt(u64::from(hello)),
        || format!("Hellotime: {} ({hello})", default(hello, 3000)),
    );
    d.add_labeled(
        V2_HOLDTIME,
        at + 20,
        4,
        Value::UInt(u64::from(hold)),
        || format!("Holdtime: {} ({hold})", default(hold, 10000)),
    );
    if ipver == 6 {
        if let Some(ip) = bytes::array::<16>(b, 24) {
            d.add(V2_VIRT_IP_V6, at + 24, 16, Value::Ipv6(ip));
        }
    } else if let Some(ip) = bytes::array::<4>(b, 24) {
        d.add(V2_VIRT_IP, at + 24, 4, Value::Ipv4(ip));
    }
    Some(info)
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_frame, with_truncated};
    use crate::wire::testing::hex;

    const COUP: &str = "../corpus/tcpdump/HSRP_coup.pcap";

    /// HSRP_coup.pcap frame 1: an Active router's hello.
    #[test]
    fn hello_v1() {
        with_frame(COUP, 1, |d| {
            assert_eq!(d.columns.protocol, "HSRP");
            assert_eq!(d.columns.info, "Hello (state Active)");
            assert_eq!(field(d, "hsrp.priority"), "100");
            assert_eq!(field(d, "hsrp.auth_data"), "cisco");
            assert_eq!(field(d, "hsrp.virt_ip"), "192.168.0.1");
        });
    }

    /// erspan-type-ii-2.pcap frame 3's UDP payload (ERSPAN is not dissected yet):
    /// a version 2 hello with its text authentication.
    const V2_HELLO: &str = "01280200060400fe0011921a170000000069000003e800000bb80ac864010000000000000a000001fff60308636973636f000000";

    fn v2(bytes: &[u8]) -> crate::dissect::Dissection<'_> {
        let mut d = crate::dissect::Dissection::new(crate::dissect::Want::All, true, true);
        assert!(super::dissect(&mut d, 0, bytes));
        d
    }

    #[test]
    fn hello_v2() {
        let bytes = hex(V2_HELLO);
        let d = v2(&bytes);
        assert_eq!(d.columns.protocol, "HSRPv2");
        assert_eq!(d.columns.info, "Hello (state Active)");
        assert_eq!(field(&d, "hsrp2.group"), "254");
        assert_eq!(field(&d, "hsrp2.virt_ip"), "10.200.100.1");
        assert_eq!(field(&d, "hsrp2.auth_data"), "cisco");
        // A TLV claiming 255 bytes, and the message cut after it: no panic.
        let mut lying = bytes.clone();
        lying[43] = 255;
        assert_eq!(field(&v2(&lying), "hsrp2.auth_data"), "cisco");
        let cut = &bytes[..10];
        assert_eq!(field(&v2(cut), "hsrp2.virt_ip"), "");
    }

    #[test]
    fn cut_and_lying() {
        with_truncated(COUP, 1, 46, |d| {
            assert_eq!(field(d, "hsrp.opcode"), "0");
            assert_eq!(field(d, "hsrp.virt_ip"), "");
        });
    }
}
