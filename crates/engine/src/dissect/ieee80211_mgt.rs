//! The body of 802.11 management frames ("IEEE 802.11 Wireless Management"): the fixed
//! parameters each subtype starts with, then the tagged parameters (SSID, rates, DS
//! channel, TIM, country, RSN, HT/VHT capabilities, vendor-specific, mesh ID).

use super::field::Base;
use super::field::kinds::*;
use super::ieee80211_codes::{REASON_CODES, STATUS_CODES};
use super::tree::Dissection;
use super::value::{Value, string_label_text};
use crate::bytes;

#[rustfmt::skip]
const TAG_NAMES: &[(u64, &str)] = &[
    (0, "SSID parameter set"), (1, "Supported Rates"), (2, "FH Parameter set"),
    (3, "DS Parameter set"), (4, "CF Parameter set"), (5, "Traffic Indication Map (TIM)"),
    (6, "IBSS Parameter set"), (7, "Country Information"), (10, "Request"),
    (11, "QBSS Load Element"), (12, "EDCA Parameter Set"), (16, "Challenge text"),
    (32, "Power Constraint"), (33, "Power Capability"), (35, "TPC Report Transmit Power"),
    (36, "Supported Channels"), (37, "Channel Switch Announcement"), (42, "ERP Information"),
    (45, "HT Capabilities (802.11n D1.10)"), (46, "QoS Capability"),
    (48, "RSN Information"), (50, "Extended Supported Rates"),
    (51, "AP Channel Report"), (54, "Mobility Domain"), (59, "Supported Operating Classes"),
    (61, "HT Information (802.11n D1.10)"), (70, "RM Enabled Capabilities (5 octets)"),
    (74, "Overlapping BSS Scan Parameters"), (107, "Interworking"),
    (113, "Mesh Configuration"), (114, "Mesh ID"), (127, "Extended Capabilities"),
    (191, "VHT Capabilities"), (192, "VHT Operation"), (195, "VHT Tx Power Envelope"),
    (199, "Operating Mode Notification"), (221, "Vendor Specific"), (255, "Element ID Extension"),
];
const AUTH_ALGS: &[(u64, &str)] = &[
    (0, "Open System"),
    (1, "Shared key"),
    (2, "Fast BSS Transition"),
    (3, "Simultaneous Authentication of Equals (SAE)"),
];
#[rustfmt::skip]
const CATEGORIES: &[(u64, &str)] = &[
    (0, "Spectrum Management"), (1, "QoS"), (2, "DLS"), (3, "Block Ack"), (4, "Public Action"),
    (5, "Radio Measurement"), (6, "Fast BSS Transition"), (7, "HT"), (8, "SA Query"),
    (9, "Protected Dual of Public Action"), (10, "WNM"), (13, "Mesh"), (14, "Multihop"),
    (15, "Self-protected"), (21, "VHT"), (127, "Vendor-specific"),
];

crate::define_fields! { after super::ieee80211::END;
    MGT = "wlan.mgt", "IEEE 802.11 Wireless Management", PROTO;
    FIXED_ALL = "wlan.fixed.all", "Fixed parameters", NONE;
    TIMESTAMP = "wlan.fixed.timestamp", "Timestamp", dec(64);
    BEACON = "wlan.fixed.beacon", "Beacon Interval", dec(32);
    CAPABILITIES = "wlan.fixed.capabilities", "Capabilities Information", hex(16);
    CAP_ESS = "wlan.fixed.capabilities.ess", "ESS capabilities", flag(16, 0x0001);
    CAP_IBSS = "wlan.fixed.capabilities.ibss", "IBSS status", flag(16, 0x0002);
    CAP_PRIVACY = "wlan.fixed.capabilities.privacy", "Privacy", flag(16, 0x0010);
    CAP_PREAMBLE = "wlan.fixed.capabilities.short_preamble", "Short Preamble", flag(16, 0x0020);
    CAP_SPEC_MAN = "wlan.fixed.capabilities.spec_man", "Spectrum Management", flag(16, 0x0100);
    CAP_QOS = "wlan.fixed.capabilities.qos", "QoS", flag(16, 0x0200);
    CAP_SHORT_SLOT = "wlan.fixed.capabilities.short_slot_time", "Short Slot Time", flag(16, 0x0400);
    CAP_APSD = "wlan.fixed.capabilities.apsd", "Automatic Power Save Delivery", flag(16, 0x0800);
    CAP_RADIO_MEASUREMENT = "wlan.fixed.capabilities.radio_measurement", "Radio Measurement", flag(16, 0x1000);
    LISTEN_IVAL = "wlan.fixed.listen_ival", "Listen Interval", hex(16);
    CURRENT_AP = "wlan.fixed.current_ap", "Current AP", ETHER;
    STATUS_CODE = "wlan.fixed.status_code", "Status code", hex_named(16, STATUS_CODES);
    AID = "wlan.fixed.aid", "Association ID", uint(16, Base::Hex, 0x3fff, None);
    AUTH_ALG = "wlan.fixed.auth.alg", "Authentication Algorithm", dec_named(16, AUTH_ALGS);
    AUTH_SEQ = "wlan.fixed.auth_seq", "Authentication SEQ", hex(16);
    REASON_CODE = "wlan.fixed.reason_code", "Reason code", hex_named(16, REASON_CODES);
    CATEGORY = "wlan.fixed.category_code", "Category code", dec_named(16, CATEGORIES);
    ACTION_CODE = "wlan.fixed.action_code", "Action code", dec(8);
    TAGGED_ALL = "wlan.tagged.all", "Tagged parameters", NONE;
    TAG = "wlan.tag", "Tag", NONE;
    TAG_NUMBER = "wlan.tag.number", "Tag Number", dec_named(8, TAG_NAMES);
    TAG_LENGTH = "wlan.tag.length", "Tag length", dec(32);
    SSID = "wlan.ssid", "SSID", BYTES;
    SUPPORTED_RATES = "wlan.supported_rates", "Supported Rates", hex(8);
    EXTENDED_RATES = "wlan.extended_supported_rates", "Extended Supported Rates", hex(8);
    DS_CHANNEL = "wlan.ds.current_channel", "Current Channel", dec(8);
    TIM_DTIM_COUNT = "wlan.tim.dtim_count", "DTIM count", dec(8);
    TIM_DTIM_PERIOD = "wlan.tim.dtim_period", "DTIM period", dec(8);
    TIM_BMAPCTL = "wlan.tim.bmapctl", "Bitmap control", hex(8);
    TIM_BITMAP = "wlan.tim.partial_virtual_bitmap", "Partial Virtual Bitmap", BYTES;
    COUNTRY_CODE = "wlan.country_info.code", "Code", STR;
    COUNTRY_ENV = "wlan.country_info.environment", "Environment", hex(8);
    RSN_VERSION = "wlan.rsn.version", "RSN Version", dec(16);
    RSN_GCS = "wlan.rsn.gcs", "Group Cipher Suite", hex(32);
    RSN_PCS_COUNT = "wlan.rsn.pcs.count", "Pairwise Cipher Suite Count", dec(16);
    RSN_AKMS_COUNT = "wlan.rsn.akms.count", "Auth Key Management (AKM) Suite Count", dec(16);
    HT_CAPABILITIES = "wlan.ht.capabilities", "HT Capabilities Info", hex(16);
    HT_PRIMARY_CHANNEL = "wlan.ht.info.primarychannel", "Primary Channel", dec(8);
    VHT_CAPABILITIES = "wlan.vht.capabilities", "VHT Capabilities Info", hex(32);
    TAG_OUI = "wlan.tag.oui", "OUI", dec(24);
    TAG_OUI_TYPE = "wlan.tag.vendor.oui.type", "Vendor Specific OUI Type", dec(8);
    MESH_ID = "wlan.mesh.id", "Mesh ID", STR;
    TAG_DATA = "wlan.tag.data", "Tag Data", BYTES;
}

/// Tags read at most in one frame (a body of 0-length tags cannot make us loop long).
const MAX_TAGS: usize = 1024;

/// Dissects the management body `body` (found at `at` in the frame) of `subtype`;
/// `cut`: the capture kept less than the frame (what runs out is then "[Packet size
/// limited during capture]", not malformed).
pub fn dissect<'a>(d: &mut Dissection<'a>, subtype: u8, body: &'a [u8], at: usize, cut: bool) {
    let item = d.add(MGT, at, body.len(), Value::None);
    let keep = d.keeps_fields_of(MGT);
    if keep {
        d.begin(item);
    }
    let fixed_len = fixed(d, subtype, body, at, keep);
    if fixed_len.is_none() {
        if keep {
            d.end();
        }
        ran_out(d, at, body.len(), cut, "Fixed parameters cut short".into());
        return;
    }
    let fixed_len = fixed_len.unwrap_or(0);
    let tags = bytes::tail(body, fixed_len);
    if !tags.is_empty() {
        tagged(d, tags, at + fixed_len, keep, cut);
    }
    if keep {
        d.end();
    }
}

/// The fixed parameters of `subtype`; their length, or `None` when cut.
fn fixed(d: &mut Dissection<'_>, subtype: u8, body: &[u8], at: usize, keep: bool) -> Option<usize> {
    let len = match subtype {
        0 => 4,
        1 | 3 => 6,
        2 => 10,
        5 | 8 => 12,
        10 | 12 => 2,
        11 => 6,
        13 | 14 => 2,
        _ => 0,
    };
    if len == 0 {
        return Some(0);
    }
    if body.len() < len {
        return None;
    }
    let u16_at = |i: usize| u64::from(bytes::le_u16(body, i).unwrap_or(0));
    if (subtype == 5 || subtype == 8) && d.columns_on() {
        let bi = u16_at(8);
        d.append_info(&format!(", BI={bi}"));
    }
    if !keep {
        return Some(len);
    }
    let all = d.add_labeled(FIXED_ALL, at, len, Value::None, || {
        format!("Fixed parameters ({len} bytes)")
    });
    d.begin(all);
    match subtype {
        0 | 2 => {
            capabilities(d, u16_at(0), at);
            d.add(LISTEN_IVAL, at + 2, 2, Value::UInt(u16_at(2)));
            if subtype == 2
                && let Some(ap) = bytes::array::<6>(body, 4)
            {
                d.add(CURRENT_AP, at + 4, 6, Value::Ether(ap));
            }
        }
        1 | 3 => {
            capabilities(d, u16_at(0), at);
            code(d, STATUS_CODE, at + 2, u16_at(2));
            d.add(AID, at + 4, 2, Value::UInt(u16_at(4) & 0x3fff));
        }
        5 | 8 => {
            let ts = crate::bytes::Endian::Little.u64(body, 0).unwrap_or(0);
            d.add(TIMESTAMP, at, 8, Value::UInt(ts));
            let bi = u16_at(8);
            d.add_labeled(BEACON, at + 8, 2, Value::UInt(bi), || {
                format!(
                    "Beacon Interval: {:.6} [Seconds]",
                    bi as f64 * 1024.0 / 1_000_000.0
                )
            });
            capabilities(d, u16_at(10), at + 10);
        }
        10 | 12 => {
            code(d, REASON_CODE, at, u16_at(0));
        }
        11 => {
            d.add(AUTH_ALG, at, 2, Value::UInt(u16_at(0)));
            d.add(AUTH_SEQ, at + 2, 2, Value::UInt(u16_at(2)));
            code(d, STATUS_CODE, at + 4, u16_at(4));
        }
        13 | 14 => {
            let b = |i| u64::from(bytes::u8_at(body, i).unwrap_or(0));
            d.add(CATEGORY, at, 1, Value::UInt(b(0)));
            d.add(ACTION_CODE, at + 1, 1, Value::UInt(b(1)));
        }
        _ => {}
    }
    d.end();
    Some(len)
}

/// A body that ends before its parameters do: short when the capture cut the frame,
/// else malformed (tshark's two marks).
fn ran_out(d: &mut Dissection<'_>, at: usize, len: usize, cut: bool, why: String) {
    if cut {
        super::short(d, "IEEE 802.11", None);
    } else {
        super::expert_malformed(d, at, len, "802.11", why);
        d.append_info("[Malformed Packet]");
    }
}

/// A reason or status code: its name, or "Unknown", and its value in hex.
fn code(d: &mut Dissection<'_>, field: super::field::FieldId, at: usize, v: u64) {
    let def = super::registry::def(field);
    let table = if field == REASON_CODE {
        REASON_CODES
    } else {
        STATUS_CODES
    };
    d.add_labeled(field, at, 2, Value::UInt(v), || {
        let name = super::value::value_name(Some(table), v).unwrap_or("Unknown");
        format!("{}: {name} (0x{v:04x})", def.name)
    });
}

/// Capability information and its bits.
fn capabilities(d: &mut Dissection<'_>, cap: u64, at: usize) {
    let it = d.add(CAPABILITIES, at, 2, Value::UInt(cap));
    d.begin(it);
    const IMPLEMENTED: (&str, &str) = ("Implemented", "Not Implemented");
    for (field, mask, name, (on, off)) in [
        (
            CAP_ESS,
            0x0001,
            "ESS capabilities",
            ("Transmitter is an AP", "Transmitter is a STA"),
        ),
        (
            CAP_IBSS,
            0x0002,
            "IBSS status",
            (
                "Transmitter belongs to an IBSS",
                "Transmitter belongs to a BSS",
            ),
        ),
        (
            CAP_PRIVACY,
            0x0010,
            "Privacy",
            (
                "Data confidentiality required",
                "Data confidentiality not required",
            ),
        ),
        (
            CAP_PREAMBLE,
            0x0020,
            "Short Preamble",
            ("Allowed", "Not Allowed"),
        ),
        (CAP_SPEC_MAN, 0x0100, "Spectrum Management", IMPLEMENTED),
        (CAP_QOS, 0x0200, "QoS", IMPLEMENTED),
        (
            CAP_SHORT_SLOT,
            0x0400,
            "Short Slot Time",
            ("In use", "Not in use"),
        ),
        (
            CAP_APSD,
            0x0800,
            "Automatic Power Save Delivery",
            IMPLEMENTED,
        ),
        (
            CAP_RADIO_MEASUREMENT,
            0x1000,
            "Radio Measurement",
            IMPLEMENTED,
        ),
    ] {
        let set = cap & mask != 0;
        d.add_labeled(field, at, 2, Value::Bool(set), || {
            let chart = super::value::bit_chart(16, mask, u64::from(set));
            format!("{chart} = {name}: {}", if set { on } else { off })
        });
    }
    d.end();
}

/// A rate byte as tshark names it: Mb/s, with `(B)` for a basic rate.
fn rate_text(b: u8) -> String {
    let half = u32::from(b & 0x7f);
    let rate = if half % 2 == 0 {
        format!("{}", half / 2)
    } else {
        format!("{}.5", half / 2)
    };
    if b & 0x80 != 0 {
        format!("{rate}(B)")
    } else {
        rate
    }
}

/// Tagged parameters outside a management frame (an EAPOL-Key frame's key data):
/// each element under the current item.
pub fn elements<'a>(d: &mut Dissection<'a>, data: &'a [u8], at: usize) {
    let keep = d.keeps_fields_of(MGT);
    tagged(d, data, at, keep, false);
}

/// The tagged parameters: (number, length, value) elements to the body's end.
fn tagged<'a>(d: &mut Dissection<'a>, tags: &'a [u8], at: usize, keep: bool, cut: bool) {
    let total = tags.len();
    let all = if keep {
        d.add_labeled(TAGGED_ALL, at, total, Value::None, || {
            format!("Tagged parameters ({total} bytes)")
        })
    } else {
        usize::MAX
    };
    if keep {
        d.begin(all);
    }
    let mut pos = 0usize;
    for _ in 0..MAX_TAGS {
        if pos >= total {
            break;
        }
        let (Some(number), Some(len)) = (bytes::u8_at(tags, pos), bytes::u8_at(tags, pos + 1))
        else {
            ran_out(d, at + pos, total - pos, cut, "Tag header cut short".into());
            break;
        };
        let len = usize::from(len);
        let Some(value) = bytes::slice(tags, pos + 2, len) else {
            let left = total.saturating_sub(pos + 2);
            let why = format!("Tag Length {len} wrong, only {left} bytes left");
            ran_out(d, at + pos, total - pos, cut, why);
            break;
        };
        tag(d, number, value, at + pos, keep);
        pos += 2 + len;
    }
    if keep {
        d.end();
    }
}

/// An SSID as tshark shows its bytes: in quotes when they are printable UTF-8, else
/// as hex (a corrupted beacon's SSID).
fn ssid_text(value: &[u8]) -> String {
    match std::str::from_utf8(value) {
        Ok(text) if !text.chars().any(char::is_control) => {
            format!("\"{}\"", string_label_text(value))
        }
        _ => value.iter().map(|b| format!("{b:02x}")).collect(),
    }
}

/// One tagged parameter; appends the SSID and mesh ID to the Info column as tshark does.
fn tag<'a>(d: &mut Dissection<'a>, number: u8, value: &'a [u8], at: usize, keep: bool) {
    let len = value.len();
    let name = super::value::value_name(Some(TAG_NAMES), u64::from(number)).unwrap_or("Reserved");
    match number {
        // The Info column's texts are written only when the columns are.
        _ if !d.columns_on() => {}
        0 => {
            let ssid = if value.is_empty() {
                "Wildcard (Broadcast)".to_string()
            } else {
                ssid_text(value)
            };
            d.append_info(&format!(", SSID={ssid}"));
        }
        // An empty mesh ID (a wildcard) adds nothing.
        114 if !value.is_empty() => {
            let id = string_label_text(value);
            d.append_info(&format!(", MESHID={id}"));
        }
        _ => {}
    }
    if !keep {
        return;
    }
    let header = match number {
        0 if value.is_empty() => format!("Tag: {name}: Wildcard SSID"),
        0 => format!("Tag: {name}: {}", ssid_text(value)),
        1 | 50 => {
            let rates: String = value
                .iter()
                .map(|&b| format!("{}, ", rate_text(b)))
                .collect();
            format!("Tag: {name} {rates}[Mbit/sec]")
        }
        3 => match value.first() {
            Some(c) => format!("Tag: {name}: Current Channel: {c}"),
            None => format!("Tag: {name}"),
        },
        114 => format!("Tag: {name}: {}", string_label_text(value)),
        _ => format!("Tag: {name}"),
    };
    let it = d.add_labeled(TAG, at, len + 2, Value::None, || header);
    d.begin(it);
    d.add(TAG_NUMBER, at, 1, Value::UInt(u64::from(number)));
    d.add(TAG_LENGTH, at + 1, 1, Value::UInt(len as u64));
    let v = at + 2;
    let b = |i: usize| u64::from(bytes::u8_at(value, i).unwrap_or(0));
    match number {
        0 => {
            // tshark prints an empty SSID's value as "<MISSING>".
            let shown = if value.is_empty() {
                Value::Str(b"<MISSING>".as_slice().into())
            } else {
                Value::Bytes(value.into())
            };
            d.add_labeled(SSID, v, len, shown, || {
                if value.is_empty() {
                    "SSID: Wildcard SSID".to_string()
                } else {
                    format!("SSID: {}", ssid_text(value))
                }
            });
        }
        1 | 50 => {
            let (field, label) = if number == 1 {
                (SUPPORTED_RATES, "Supported Rates")
            } else {
                (EXTENDED_RATES, "Extended Supported Rates")
            };
            for (i, &r) in value.iter().enumerate() {
                d.add_labeled(field, v + i, 1, Value::UInt(u64::from(r)), || {
                    format!("{label}: {} (0x{r:02x})", rate_text(r))
                });
            }
        }
        3 if len >= 1 => {
            d.add(DS_CHANNEL, v, 1, Value::UInt(b(0)));
        }
        5 if len >= 3 => {
            d.add(TIM_DTIM_COUNT, v, 1, Value::UInt(b(0)));
            d.add(TIM_DTIM_PERIOD, v + 1, 1, Value::UInt(b(1)));
            d.add(TIM_BMAPCTL, v + 2, 1, Value::UInt(b(2)));
            d.add(
                TIM_BITMAP,
                v + 3,
                len - 3,
                Value::Bytes(bytes::tail(value, 3).into()),
            );
        }
        7 if len >= 3 => {
            let code = bytes::slice(value, 0, 2).unwrap_or(&[]);
            d.add(COUNTRY_CODE, v, 2, Value::Str(code.into()));
            d.add(COUNTRY_ENV, v + 2, 1, Value::UInt(b(2)));
        }
        48 if len >= 2 => {
            let le16 = |i| u64::from(bytes::le_u16(value, i).unwrap_or(0));
            d.add(RSN_VERSION, v, 2, Value::UInt(le16(0)));
            if let Some(gcs) = bytes::be_u32(value, 2) {
                d.add(RSN_GCS, v + 2, 4, Value::UInt(u64::from(gcs)));
            }
            if let Some(n) = bytes::le_u16(value, 6) {
                d.add(RSN_PCS_COUNT, v + 6, 2, Value::UInt(u64::from(n)));
                let akm_at = 8 + 4 * usize::from(n);
                if let Some(a) = bytes::le_u16(value, akm_at) {
                    d.add(RSN_AKMS_COUNT, v + akm_at, 2, Value::UInt(u64::from(a)));
                }
            }
        }
        45 if len >= 2 => {
            let cap = u64::from(bytes::le_u16(value, 0).unwrap_or(0));
            d.add(HT_CAPABILITIES, v, 2, Value::UInt(cap));
        }
        61 if len >= 1 => {
            d.add(HT_PRIMARY_CHANNEL, v, 1, Value::UInt(b(0)));
        }
        191 if len >= 4 => {
            let cap = u64::from(bytes::le_u32(value, 0).unwrap_or(0));
            d.add(VHT_CAPABILITIES, v, 4, Value::UInt(cap));
        }
        221 if len >= 3 => {
            let oui = u64::from(bytes::be_u24(value, 0).unwrap_or(0));
            d.add_labeled(TAG_OUI, v, 3, Value::UInt(oui), || {
                let [_, x, y, z] = (oui as u32).to_be_bytes();
                format!("OUI: {x:02x}:{y:02x}:{z:02x}")
            });
            if len >= 4 {
                d.add(TAG_OUI_TYPE, v + 3, 1, Value::UInt(b(3)));
            }
        }
        114 => {
            d.add(MESH_ID, v, len, Value::Str(value.into()));
        }
        _ if len > 0 => {
            d.add(TAG_DATA, v, len, Value::Bytes(value.into()));
        }
        _ => {}
    }
    d.end();
}

#[cfg(test)]
mod tests {
    use super::rate_text;
    use crate::dissect::testing::{field, with_frame, with_patched};

    /// In tcpdump's test corpus (tests/corpus/tcpdump).
    const EXTHDR: &str = "../corpus/tcpdump/ieee802.11_exthdr.pcap";
    const MESHID: &str = "../corpus/tcpdump/ieee802.11_meshid.pcap";

    #[test]
    fn rates() {
        assert_eq!(rate_text(0x82), "1(B)");
        assert_eq!(rate_text(0x0b), "5.5");
        assert_eq!(rate_text(0x6c), "54");
    }

    /// ieee802.11_exthdr.pcap frame 3: a probe response for "omus".
    #[test]
    fn probe_response() {
        with_frame(EXTHDR, 3, |d| {
            assert_eq!(field(d, "wlan.fixed.beacon"), "100");
            assert_eq!(field(d, "wlan.ssid"), "6f6d7573");
            assert_eq!(field(d, "wlan.ds.current_channel"), "1");
            assert_eq!(
                d.columns.info,
                "Probe Response, SN=1788, FN=0, Flags=........, BI=100, SSID=\"omus\""
            );
        });
    }

    /// ieee802.11_meshid.pcap frame 1: a mesh beacon with a wildcard SSID.
    #[test]
    fn mesh_beacon() {
        with_frame(MESHID, 1, |d| {
            assert_eq!(
                d.columns.info,
                "Beacon frame, SN=268, FN=0, Flags=........C, BI=1000, \
                 SSID=Wildcard (Broadcast), MESHID=11s-mesh-network"
            );
        });
    }

    /// The same probe response with its SSID tag's length raised past the frame.
    #[test]
    fn impossible_tag_length() {
        with_patched(
            EXTHDR,
            3,
            |b| {
                // Radiotap 83 + header 24 + fixed 12: the first tag's length byte.
                if let Some(len) = b.get_mut(83 + 24 + 12 + 1) {
                    *len = 250;
                }
            },
            |d| {
                assert!(d.columns.info.contains("[Malformed Packet]"));
                assert_eq!(field(d, "wlan.ssid"), "");
            },
        );
    }
}
