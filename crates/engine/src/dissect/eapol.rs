//! IEEE 802.1X EAPOL (EtherType 0x888e), with the EAPOL-Key frames of the WPA/RSN
//! 4-way and group handshakes named as tshark names them ("Key (Message 1 of 4)").

use super::field::kinds::*;
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;

const TYPES: &[(u64, &str)] = &[
    (0, "EAP Packet"),
    (1, "Start"),
    (2, "Logoff"),
    (3, "Key"),
    (4, "Encapsulated ASF Alert"),
];
const VERSIONS: &[(u64, &str)] = &[(1, "802.1X-2001"), (2, "802.1X-2004"), (3, "802.1X-2010")];
const KEY_DESCRIPTORS: &[(u64, &str)] = &[
    (1, "RC4 Descriptor"),
    (2, "EAPOL RSN Key"),
    (254, "EAPOL WPA Key"),
];

crate::define_fields! { after super::llc::END;
    EAPOL = "eapol", "802.1X Authentication", PROTO;
    VERSION = "eapol.version", "Version", dec_named(8, VERSIONS);
    TYPE = "eapol.type", "Type", dec_named(8, TYPES);
    LEN = "eapol.len", "Length", dec(16);
    KEYDES_TYPE = "eapol.keydes.type", "Key Descriptor Type", dec_named(8, KEY_DESCRIPTORS);
    MSGNR = "wlan_rsna_eapol.keydes.msgnr", "Message number", dec(8);
    KEY_INFO = "wlan_rsna_eapol.keydes.key_info", "Key Information", hex(16);
    KEY_LEN = "eapol.keydes.key_len", "Key Length", dec(16);
    REPLAY = "eapol.keydes.replay_counter", "Replay Counter", dec(64);
    NONCE = "wlan_rsna_eapol.keydes.nonce", "WPA Key Nonce", BYTES;
    MIC = "wlan_rsna_eapol.keydes.mic", "WPA Key MIC", BYTES;
    DATA_LEN = "wlan_rsna_eapol.keydes.data_len", "WPA Key Data Length", dec(16);
    KEY_DATA = "wlan_rsna_eapol.keydes.data", "WPA Key Data", BYTES;
}

/// Key information bits (IEEE 802.11-2020 12.7.2).
mod key_info {
    pub const PAIRWISE: u16 = 0x0008;
    pub const INSTALL: u16 = 0x0040;
    pub const ACK: u16 = 0x0080;
    pub const REQUEST: u16 = 0x0800;
    pub const ENCRYPTED_DATA: u16 = 0x1000;
}

/// Which message of the handshake a key frame is, from its key information and the
/// length of its key data, and the Info text tshark gives it.
pub fn key_message(info: u16, data_len: u16) -> (Option<u8>, &'static str) {
    if info & key_info::REQUEST != 0 {
        return (None, "Key (Request)");
    }
    if info & key_info::PAIRWISE != 0 {
        if info & key_info::ACK != 0 {
            if info & key_info::INSTALL != 0 {
                (Some(3), "Key (Message 3 of 4)")
            } else {
                (Some(1), "Key (Message 1 of 4)")
            }
        } else if data_len > 0 {
            (Some(2), "Key (Message 2 of 4)")
        } else {
            (Some(4), "Key (Message 4 of 4)")
        }
    } else if info & key_info::ACK != 0 {
        (Some(1), "Key (Group Message 1 of 2)")
    } else {
        (Some(2), "Key (Group Message 2 of 2)")
    }
}

/// Dissects an EAPOL frame at `offset`; returns where it ended.
pub fn dissect<'a>(d: &mut Dissection<'a>, data: &'a [u8], offset: usize) -> Option<usize> {
    let (Some(version), Some(kind), Some(len)) = (
        bytes::u8_at(data, offset),
        bytes::u8_at(data, offset + 1),
        bytes::be_u16(data, offset + 2),
    ) else {
        super::malformed(d, data, offset, "EAPOL", 4);
        return None;
    };
    let total = 4 + usize::from(len);
    let item = d.add(
        EAPOL,
        offset,
        total.min(data.len().saturating_sub(offset)),
        Value::None,
    );
    d.push_layer("eapol");
    d.set_protocol("EAPOL");
    let name = super::value::value_name(Some(TYPES), u64::from(kind)).unwrap_or("Unknown");
    d.set_info(|| name.to_string());
    d.begin(item);
    d.add(VERSION, offset, 1, Value::UInt(u64::from(version)));
    d.add(TYPE, offset + 1, 1, Value::UInt(u64::from(kind)));
    d.add(LEN, offset + 2, 2, Value::UInt(u64::from(len)));
    match kind {
        3 => key(d, data, offset + 4),
        0 => {
            d.end();
            super::eap::dissect(d, data, offset + 4);
            return offset.checked_add(total);
        }
        _ => {}
    }
    d.end();
    offset.checked_add(total)
}

/// An EAPOL-Key body at `at`.
fn key<'a>(d: &mut Dissection<'a>, data: &'a [u8], at: usize) {
    // Only the WPA and RSN descriptors have key information; an RC4 key (802.1X-2001)
    // is named "Key" alone.
    if let Some(desc) = bytes::u8_at(data, at)
        && !matches!(desc, 2 | 254)
    {
        d.add(KEYDES_TYPE, at, 1, Value::UInt(u64::from(desc)));
        return;
    }
    let (Some(desc), Some(info), Some(data_len)) = (
        bytes::u8_at(data, at),
        bytes::be_u16(data, at + 1),
        bytes::be_u16(data, at + 93),
    ) else {
        super::malformed(d, data, at, "EAPOL", 95);
        return;
    };
    let (msg, text) = key_message(info, data_len);
    d.set_info(|| text.to_string());
    d.add(KEYDES_TYPE, at, 1, Value::UInt(u64::from(desc)));
    if let Some(m) = msg {
        d.add_generated(MSGNR, at, 0, Value::UInt(u64::from(m)));
    }
    d.add(KEY_INFO, at + 1, 2, Value::UInt(u64::from(info)));
    if let Some(l) = bytes::be_u16(data, at + 3) {
        d.add(KEY_LEN, at + 3, 2, Value::UInt(u64::from(l)));
    }
    if let Some(r) = bytes::be_u64(data, at + 5) {
        d.add(REPLAY, at + 5, 8, Value::UInt(r));
    }
    if let Some(n) = bytes::slice(data, at + 13, 32) {
        d.add(NONCE, at + 13, 32, Value::Bytes(n.into()));
    }
    if let Some(m) = bytes::slice(data, at + 77, 16) {
        d.add(MIC, at + 77, 16, Value::Bytes(m.into()));
    }
    d.add(DATA_LEN, at + 93, 2, Value::UInt(u64::from(data_len)));
    if data_len > 0 {
        match bytes::slice(data, at + 95, usize::from(data_len)) {
            Some(k) => {
                let item = d.add(KEY_DATA, at + 95, k.len(), Value::Bytes(k.into()));
                // Unencrypted key data (message 2's RSN element) is a list of elements.
                if info & key_info::ENCRYPTED_DATA == 0 {
                    d.begin(item);
                    super::ieee80211_mgt::elements(d, k, at + 95);
                    d.end();
                }
            }
            None => super::expert_malformed(
                d,
                at + 93,
                2,
                "EAPOL",
                format!("Key Data Length {data_len} past the frame's end"),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::key_message;

    /// Key information words of a WPA2 4-way handshake (0x008a, 0x010a, 0x13ca, 0x030a).
    #[test]
    fn four_way_handshake_messages() {
        assert_eq!(key_message(0x008a, 0).1, "Key (Message 1 of 4)");
        assert_eq!(key_message(0x010a, 22).1, "Key (Message 2 of 4)");
        assert_eq!(key_message(0x13ca, 56).1, "Key (Message 3 of 4)");
        assert_eq!(key_message(0x030a, 0).1, "Key (Message 4 of 4)");
        assert_eq!(key_message(0x1382, 40).1, "Key (Group Message 1 of 2)");
        assert_eq!(key_message(0x0302, 0).1, "Key (Group Message 2 of 2)");
    }
}
