//! IEEE 802.11 frames (link type 105, or after radiotap): the MAC header, the
//! management body (fixed and tagged parameters, in `ieee80211_mgt.rs`), control
//! frames, and data frames handed to LLC; the Info column as tshark writes it
//! ("Beacon frame, SN=…, FN=…, Flags=…, BI=…, SSID=…").

use super::context::PacketContext;
use super::ethernet::mac_label;
use super::field::Base;
use super::field::kinds::*;
use super::tree::Dissection;
use super::value::{Value, bit_chart};
use super::{data, ieee80211_mgt, llc};
use crate::bytes;
use crate::wire::{Ieee80211View, wlan_flags, wlan_type};

#[rustfmt::skip]
/// `wlan.fc.type_subtype` names (type << 4 | subtype), as tshark writes them.
pub const TYPE_SUBTYPES: &[(u64, &str)] = &[
    (0x00, "Association Request"), (0x01, "Association Response"),
    (0x02, "Reassociation Request"), (0x03, "Reassociation Response"),
    (0x04, "Probe Request"), (0x05, "Probe Response"), (0x06, "Measurement Pilot"),
    (0x08, "Beacon frame"), (0x09, "ATIM"), (0x0a, "Disassociate"),
    (0x0b, "Authentication"), (0x0c, "Deauthentication"), (0x0d, "Action"),
    (0x0e, "Action No Ack"), (0x0f, "Aruba Management"),
    (0x12, "Trigger"), (0x13, "TACK"), (0x14, "Beamforming Report Poll"),
    (0x15, "VHT/HE NDP Announcement"), (0x16, "Control Frame Extension"),
    (0x17, "Control Wrapper"), (0x18, "802.11 Block Ack Req"), (0x19, "802.11 Block Ack"),
    (0x1a, "Power-Save poll"), (0x1b, "Request-to-send"), (0x1c, "Clear-to-send"),
    (0x1d, "Acknowledgement"), (0x1e, "CF-End (Control-frame)"), (0x1f, "CF-End + CF-Ack (Control-frame)"),
    (0x20, "Data"), (0x21, "Data + CF-Ack"), (0x22, "Data + CF-Poll"),
    (0x23, "Data + CF-Ack + CF-Poll"), (0x24, "Null function (No data)"),
    (0x25, "Acknowledgement (No data)"), (0x26, "CF-Poll (No data)"),
    (0x27, "CF-Ack/Poll (No data)"), (0x28, "QoS Data"), (0x29, "QoS Data + CF-Acknowledgment"),
    (0x2a, "QoS Data + CF-Poll"), (0x2b, "QoS Data + CF-Ack + CF-Poll"),
    (0x2c, "QoS Null function (No data)"), (0x2e, "QoS CF-Poll (No Data)"),
    (0x2f, "QoS CF-Ack + CF-Poll (No Data)"), (0x30, "DMG Beacon"), (0x31, "S1G Beacon"),
];
const TYPES: &[(u64, &str)] = &[
    (0, "Management frame"),
    (1, "Control frame"),
    (2, "Data frame"),
    (3, "Extension frame"),
];
#[rustfmt::skip]
const DS_NAMES: [&str; 4] = [
    "Not leaving DS or network is operating in AD-HOC mode (To DS: 0 From DS: 0)",
    "Frame from STA to DS via an AP (To DS: 1 From DS: 0)",
    "Frame from DS to a STA via AP(To DS: 0 From DS: 1)",
    "WDS (AP to AP) or Mesh (MP to MP) Frame (To DS: 1 From DS: 1)",
];
const FCS_STATUS: &[(u64, &str)] = &[(0, "Bad"), (1, "Good"), (2, "Unverified")];

crate::define_fields! { after super::radiotap::END;
    WLAN = "wlan", "IEEE 802.11 wireless LAN", PROTO;
    FC_TYPE_SUBTYPE = "wlan.fc.type_subtype", "Type/Subtype", hex_named(16, TYPE_SUBTYPES);
    FC = "wlan.fc", "Frame Control Field", hex(16);
    FC_VERSION = "wlan.fc.version", "Version", uint(8, Base::Dec, 0x03, None);
    FC_TYPE = "wlan.fc.type", "Type", uint(8, Base::Dec, 0x0c, Some(TYPES));
    FC_SUBTYPE = "wlan.fc.subtype", "Subtype", uint(8, Base::Dec, 0xf0, None);
    FLAGS = "wlan.flags", "Flags", hex(8);
    FC_DS = "wlan.fc.ds", "DS status", uint(8, Base::Hex, 0x03, None);
    FC_TODS = "wlan.fc.tods", "To DS", flag(8, 0x01);
    FC_FROMDS = "wlan.fc.fromds", "From DS", flag(8, 0x02);
    FC_FRAG = "wlan.fc.frag", "More Fragments", flag(8, 0x04);
    FC_RETRY = "wlan.fc.retry", "Retry", flag(8, 0x08);
    FC_PWRMGT = "wlan.fc.pwrmgt", "PWR MGT", flag(8, 0x10);
    FC_MOREDATA = "wlan.fc.moredata", "More Data", flag(8, 0x20);
    FC_PROTECTED = "wlan.fc.protected", "Protected flag", flag(8, 0x40);
    FC_ORDER = "wlan.fc.order", "+HTC/Order flag", flag(8, 0x80);
    DURATION = "wlan.duration", "Duration", uint(16, Base::Dec, 0x7fff, None);
    AID = "wlan.aid", "Association ID", uint(16, Base::Dec, 0x3fff, None);
    RA = "wlan.ra", "Receiver address", ETHER;
    RA_RESOLVED = "wlan.ra_resolved", "Receiver address (resolved)", STR;
    DA = "wlan.da", "Destination address", ETHER;
    DA_RESOLVED = "wlan.da_resolved", "Destination address (resolved)", STR;
    TA = "wlan.ta", "Transmitter address", ETHER;
    TA_RESOLVED = "wlan.ta_resolved", "Transmitter address (resolved)", STR;
    SA = "wlan.sa", "Source address", ETHER;
    SA_RESOLVED = "wlan.sa_resolved", "Source address (resolved)", STR;
    BSSID = "wlan.bssid", "BSS Id", ETHER;
    BSSID_RESOLVED = "wlan.bssid_resolved", "BSS Id (resolved)", STR;
    STAA = "wlan.staa", "STA address", ETHER;
    STAA_RESOLVED = "wlan.staa_resolved", "STA address (resolved)", STR;
    ADDR = "wlan.addr", "Hardware address", ETHER;
    ADDR_RESOLVED = "wlan.addr_resolved", "Hardware address (resolved)", STR;
    FRAG = "wlan.frag", "Fragment number", uint(16, Base::Dec, 0x000f, None);
    SEQ = "wlan.seq", "Sequence number", uint(16, Base::Dec, 0xfff0, None);
    QOS = "wlan.qos", "Qos Control", hex(16);
    QOS_TID = "wlan.qos.tid", "TID", uint(16, Base::Dec, 0x000f, None);
    QOS_EOSP = "wlan.qos.eosp", "EOSP", flag(16, 0x0010);
    QOS_ACK = "wlan.qos.ack", "Ack Policy", uint(16, Base::Hex, 0x0060, None);
    HTC = "wlan.htc", "HT Control (+HTC)", hex(32);
    CCMP_EXTIV = "wlan.ccmp.extiv", "CCMP Ext. Initialization Vector", hex(48);
    KEYIDX = "wlan.wep.key", "Key Index", dec(8);
    BA_CONTROL = "wlan.ba.control", "Block Ack Request (BAR) Control", hex(16);
    BA_SSC = "wlan.fixed.ssc", "Block Ack Starting Sequence Control (SSC)", hex(16);
    FCS = "wlan.fcs", "Frame check sequence", hex(32);
    FCS_STATUS_FIELD = "wlan.fcs.status", "FCS Status", dec_named(8, FCS_STATUS);
}

/// The Info column's flag string: one letter per set frame control flag, most
/// significant first (`opmPRMFT`), then `C` when the frame carries an FCS.
pub fn flag_string(flags: u8, fcs: bool) -> String {
    let mut s: String = "opmPRMFT"
        .chars()
        .enumerate()
        .map(|(i, c)| if flags & (0x80 >> i) != 0 { c } else { '.' })
        .collect();
    if fcs {
        s.push('C');
    }
    s
}

/// The role each address of a frame plays, in tshark's tree order.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Ra,
    Da,
    Ta,
    Sa,
    Bssid,
    Staa,
}

impl Role {
    fn fields(self) -> (super::field::FieldId, super::field::FieldId, &'static str) {
        match self {
            Role::Ra => (RA, RA_RESOLVED, "Receiver address"),
            Role::Da => (DA, DA_RESOLVED, "Destination address"),
            Role::Ta => (TA, TA_RESOLVED, "Transmitter address"),
            Role::Sa => (SA, SA_RESOLVED, "Source address"),
            Role::Bssid => (BSSID, BSSID_RESOLVED, "BSS Id"),
            Role::Staa => (STAA, STAA_RESOLVED, "STA address"),
        }
    }
}

/// The addresses of a frame: which header address plays which role, in tree order
/// (constant tables: nothing is allocated per frame).
fn roles(h: &Ieee80211View<'_>) -> &'static [(Role, u8)] {
    match h.frame_type() {
        wlan_type::MANAGEMENT => &[
            (Role::Ra, 1),
            (Role::Da, 1),
            (Role::Ta, 2),
            (Role::Sa, 2),
            (Role::Bssid, 3),
        ],
        // PS-Poll: the receiver is the BSSID.
        wlan_type::CONTROL if h.subtype() == 0x0a => {
            &[(Role::Ra, 1), (Role::Bssid, 1), (Role::Ta, 2)]
        }
        wlan_type::CONTROL => {
            if h.addr(2).is_some() && h.header_len() >= 16 {
                &[(Role::Ra, 1), (Role::Ta, 2)]
            } else {
                &[(Role::Ra, 1)]
            }
        }
        wlan_type::DATA => match h.ds() {
            0 => &[
                (Role::Ra, 1),
                (Role::Ta, 2),
                (Role::Da, 1),
                (Role::Sa, 2),
                (Role::Bssid, 3),
            ],
            1 => &[
                (Role::Ra, 1),
                (Role::Ta, 2),
                (Role::Da, 3),
                (Role::Sa, 2),
                (Role::Bssid, 1),
                (Role::Staa, 2),
            ],
            2 => &[
                (Role::Ra, 1),
                (Role::Ta, 2),
                (Role::Da, 1),
                (Role::Sa, 3),
                (Role::Bssid, 2),
                (Role::Staa, 1),
            ],
            _ => &[(Role::Ra, 1), (Role::Ta, 2), (Role::Da, 3), (Role::Sa, 4)],
        },
        _ => &[(Role::Ra, 1)],
    }
}

/// The address playing `role`, if the frame has one.
fn address_of(h: &Ieee80211View<'_>, roles: &[(Role, u8)], role: Role) -> Option<[u8; 6]> {
    let n = roles.iter().find(|(r, _)| *r == role)?.1;
    h.addr(n).map(|(_, a)| a)
}

/// Dissects an 802.11 frame starting at `offset`; `fcs`: its last 4 bytes are an FCS.
pub fn dissect<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    data: &'a [u8],
    offset: usize,
    fcs: bool,
) {
    let frame = bytes::tail(data, offset);
    let parsed = Ieee80211View::new(frame);
    if parsed.is_err() {
        // tshark names the frame from its first byte before the header runs out.
        if let Some(fc0) = bytes::u8_at(frame, 0) {
            let ts = u64::from(((fc0 >> 2) & 0x03) << 4 | fc0 >> 4);
            if let Some(name) = super::value::value_name(Some(TYPE_SUBTYPES), ts) {
                d.set_info(|| name.to_string());
            }
        }
        d.set_protocol("802.11");
    }
    let Some(h) = super::view_or_cut(d, ctx, parsed, offset) else {
        return;
    };
    if h.version() != 0 {
        let item = d.add(WLAN, offset, frame.len(), Value::None);
        d.push_layer("wlan");
        d.set_protocol("802.11");
        let version = h.version();
        d.set_info(|| format!("Unknown protocol version: {version}"));
        if d.keeps_fields_of(WLAN) {
            d.begin(item);
            let fc0 = u64::from(h.fc() >> 8);
            d.add(FC_VERSION, offset, 1, Value::UInt(fc0 & 0x03));
            d.end();
        }
        if ctx.record.cap_len < ctx.record.orig_len {
            super::short(d, "IEEE 802.11", None);
        }
        return;
    }
    // The FCS, when present, is the frame's last 4 bytes (if they were captured).
    let fcs_at = if fcs {
        frame
            .len()
            .checked_sub(4)
            .filter(|&at| at >= h.header_len() && ctx.record.cap_len >= ctx.record.orig_len)
    } else {
        None
    };
    let body_end = offset + fcs_at.unwrap_or(frame.len());
    let ts = u64::from(h.type_subtype());
    let name = super::value::value_name(Some(TYPE_SUBTYPES), ts)
        .unwrap_or("Unrecognized (Reserved frame)");
    let flags = h.flags();
    // The flag letters are written only for a label or the Info column (the load pass
    // writes neither).
    let item = d.add_labeled(WLAN, offset, h.header_len(), Value::None, || {
        format!("IEEE 802.11 {name}, Flags: {}", flag_string(flags, fcs))
    });
    d.push_layer("wlan");
    d.set_protocol("802.11");
    let roles = roles(&h);
    let seq = h.seq_ctl();
    d.set_info(|| {
        let flag_text = flag_string(flags, fcs);
        match (h.frame_type(), seq) {
            (wlan_type::CONTROL, _) | (_, None) => format!("{name}, Flags={flag_text}"),
            (_, Some(s)) => format!("{name}, SN={}, FN={}, Flags={flag_text}", s >> 4, s & 0x0f),
        }
    });
    set_columns(d, &h, roles);
    if d.keeps_fields_of(WLAN) {
        d.begin(item);
        header_tree(d, &h, roles, offset);
        if let Some(at) = fcs_at
            && let Some(v) = bytes::le_u32(frame, at)
        {
            d.add_labeled(FCS, offset + at, 4, Value::UInt(u64::from(v)), || {
                format!("Frame check sequence: 0x{v:08x} [unverified]")
            });
            d.add_generated_labeled(FCS_STATUS_FIELD, Value::UInt(2), || {
                "FCS Status: Unverified".to_string()
            });
        }
        qos_tree(d, &h, offset);
        if h.frame_type() == wlan_type::DATA && flags & wlan_flags::PROTECTED != 0 {
            let body = offset + h.header_len();
            ccmp_tree(d, data.get(body..body_end).unwrap_or(&[]), body);
        }
        d.end();
    }
    let body = offset + h.header_len();
    let body_bytes = data.get(body..body_end).unwrap_or(&[]);
    match h.frame_type() {
        wlan_type::MANAGEMENT => {
            if flags & wlan_flags::PROTECTED != 0 {
                data::dissect_bytes(d, body_bytes, body);
            } else {
                let cut = ctx.record.cap_len < ctx.record.orig_len;
                ieee80211_mgt::dissect(d, h.subtype(), body_bytes, body, cut);
            }
        }
        wlan_type::CONTROL => control_body(d, &h, frame, offset),
        wlan_type::DATA => {
            if body_bytes.is_empty() {
                return;
            }
            if flags & wlan_flags::PROTECTED != 0 {
                protected_body(d, body_bytes, body);
            } else {
                // LLC sees the frame without its FCS.
                let upto = data.get(..body_end).unwrap_or(data);
                llc::dissect(d, ctx, upto, body);
            }
        }
        _ => data::dissect_bytes(d, body_bytes, body),
    }
}

/// Source and Destination: SA and DA for management and data frames; TA and RA,
/// with their hex form and role, for control frames.
fn set_columns(d: &mut Dissection<'_>, h: &Ieee80211View<'_>, roles: &[(Role, u8)]) {
    // The load pass shows no columns: the addresses are looked up only for them.
    if !d.columns_on() {
        return;
    }
    let labelled = |addr: Option<[u8; 6]>, role: &str| {
        addr.map(|a| format!("{} ({role})", mac_label(&a)))
            .unwrap_or_default()
    };
    let name = |addr: Option<[u8; 6]>| {
        addr.map(|a| super::ethernet::mac_name(&a))
            .unwrap_or_default()
    };
    if h.frame_type() == wlan_type::CONTROL {
        let ra = address_of(h, roles, Role::Ra);
        let ta = address_of(h, roles, Role::Ta);
        let ra_role = if h.subtype() == 0x0a { "BSSID" } else { "RA" };
        d.set_addresses(|| (labelled(ta, "TA"), labelled(ra, ra_role)));
    } else {
        let sa = address_of(h, roles, Role::Sa);
        let da = address_of(h, roles, Role::Da);
        d.set_addresses(|| (name(sa), name(da)));
    }
}

/// Frame control, duration, addresses and sequence control.
fn header_tree(d: &mut Dissection<'_>, h: &Ieee80211View<'_>, roles: &[(Role, u8)], at: usize) {
    let fc = h.fc();
    let fc0 = u64::from(fc >> 8);
    let flags = h.flags();
    d.add(
        FC_TYPE_SUBTYPE,
        at,
        2,
        Value::UInt(u64::from(h.type_subtype())),
    );
    let fc_item = d.add(FC, at, 2, Value::UInt(u64::from(fc)));
    d.begin(fc_item);
    d.add(FC_VERSION, at, 1, Value::UInt(fc0 & 0x03));
    d.add(FC_TYPE, at, 1, Value::UInt((fc0 >> 2) & 0x03));
    d.add(FC_SUBTYPE, at, 1, Value::UInt(fc0 >> 4));
    let f = d.add(FLAGS, at + 1, 1, Value::UInt(u64::from(flags)));
    d.begin(f);
    let ds = flags & 0x03;
    d.add_labeled(FC_DS, at + 1, 1, Value::UInt(u64::from(ds)), || {
        let name = DS_NAMES.get(usize::from(ds)).copied().unwrap_or("");
        format!(
            "{} = DS status: {name} (0x{ds:x})",
            bit_chart(8, 0x03, u64::from(ds))
        )
    });
    d.add_hidden(FC_TODS, at + 1, 1, Value::Bool(flags & 0x01 != 0));
    d.add_hidden(FC_FROMDS, at + 1, 1, Value::Bool(flags & 0x02 != 0));
    for (field, mask, name, on, off) in [
        (
            FC_FRAG,
            0x04,
            "More Fragments",
            "More fragments follow",
            "This is the last fragment",
        ),
        (
            FC_RETRY,
            0x08,
            "Retry",
            "Frame is being retransmitted",
            "Frame is not being retransmitted",
        ),
        (
            FC_PWRMGT,
            0x10,
            "PWR MGT",
            "STA will go to sleep",
            "STA will stay up",
        ),
        (
            FC_MOREDATA,
            0x20,
            "More Data",
            "Data is buffered for STA at AP",
            "No data buffered",
        ),
        (
            FC_PROTECTED,
            0x40,
            "Protected flag",
            "Data is protected",
            "Data is not protected",
        ),
        (
            FC_ORDER,
            0x80,
            "+HTC/Order flag",
            "Strictly ordered",
            "Not strictly ordered",
        ),
    ] {
        let set = flags & mask != 0;
        d.add_labeled(field, at + 1, 1, Value::Bool(set), || {
            let chart = bit_chart(8, u64::from(mask), u64::from(set));
            format!("{chart} = {name}: {}", if set { on } else { off })
        });
    }
    d.end();
    d.end();
    if h.frame_type() == wlan_type::CONTROL && h.subtype() == 0x0a {
        // PS-Poll carries the association ID where other frames have a duration.
        let aid = u64::from(h.duration() & 0x3fff);
        d.add_labeled(AID, at + 2, 2, Value::UInt(aid), || {
            format!("{} = Association ID: {aid}", bit_chart(16, 0x3fff, aid))
        });
    } else {
        let duration = u64::from(h.duration() & 0x7fff);
        d.add_labeled(DURATION, at + 2, 2, Value::UInt(duration), || {
            format!(
                "{} = Duration: {duration} microseconds",
                bit_chart(16, 0x7fff, duration)
            )
        });
    }
    for &(role, n) in roles {
        let Some((off, addr)) = h.addr(n) else {
            continue;
        };
        let (field, resolved, name) = role.fields();
        d.add_labeled(field, at + off, 6, Value::Ether(addr), || {
            format!("{name}: {}", mac_label(&addr))
        });
        if d.wants(resolved) {
            let text = super::ethernet::mac_name(&addr);
            d.add_hidden(resolved, at + off, 6, Value::Str(text.into_bytes().into()));
        }
    }
    // wlan.addr: each header address once, in header order.
    for n in 1..=4 {
        if let Some((off, addr)) = h.addr(n) {
            if h.frame_type() == wlan_type::CONTROL && n == 2 && !roles.iter().any(|r| r.1 == 2) {
                continue;
            }
            d.add_hidden(ADDR, at + off, 6, Value::Ether(addr));
            if d.wants(ADDR_RESOLVED) {
                let text = super::ethernet::mac_name(&addr);
                d.add_hidden(
                    ADDR_RESOLVED,
                    at + off,
                    6,
                    Value::Str(text.into_bytes().into()),
                );
            }
        }
    }
    if let Some(s) = h.seq_ctl() {
        let s = u64::from(s);
        let off = at + Ieee80211View::SEQ_CTL_OFFSET;
        d.add(FRAG, off, 2, Value::UInt(s & 0x0f));
        d.add(SEQ, off, 2, Value::UInt(s >> 4));
    }
}

/// QoS control and HT control.
fn qos_tree(d: &mut Dissection<'_>, h: &Ieee80211View<'_>, at: usize) {
    if let Some((off, q)) = h.qos() {
        let q = u64::from(q);
        let it = d.add(QOS, at + off, 2, Value::UInt(q));
        d.begin(it);
        d.add(QOS_TID, at + off, 2, Value::UInt(q & 0x0f));
        let eosp = q & 0x10 != 0;
        d.add_labeled(QOS_EOSP, at + off, 2, Value::Bool(eosp), || {
            let chart = bit_chart(16, 0x10, u64::from(eosp));
            format!(
                "{chart} = EOSP: {}",
                if eosp {
                    "End of service period"
                } else {
                    "Service period"
                }
            )
        });
        let ack = (q >> 5) & 0x03;
        d.add_labeled(QOS_ACK, at + off, 2, Value::UInt(ack), || {
            let name = [
                "Normal Ack",
                "No Ack",
                "No explicit acknowledgment",
                "Block Ack",
            ]
            .get(ack as usize)
            .copied()
            .unwrap_or("");
            format!(
                "{} = Ack Policy: {name} (0x{ack:x})",
                bit_chart(16, 0x60, ack)
            )
        });
        d.end();
    }
    if let Some((off, v)) = h.ht_control() {
        d.add(HTC, at + off, 4, Value::UInt(u64::from(v)));
    }
}

/// Block Ack Request / Block Ack: the control and starting sequence fields.
fn control_body<'a>(d: &mut Dissection<'a>, h: &Ieee80211View<'a>, frame: &'a [u8], at: usize) {
    if !matches!(h.subtype(), 0x08 | 0x09) {
        return;
    }
    if let Some(c) = bytes::le_u16(frame, 16) {
        d.add(BA_CONTROL, at + 16, 2, Value::UInt(u64::from(c)));
    }
    if let Some(s) = bytes::le_u16(frame, 18) {
        d.add(BA_SSC, at + 18, 2, Value::UInt(u64::from(s)));
    }
}

/// Whether a protected body starts with an 8-byte CCMP header (the Ext IV bit).
fn has_ccmp_header(body: &[u8]) -> bool {
    body.len() >= 8 && bytes::u8_at(body, 3).is_some_and(|b| b & 0x20 != 0)
}

/// The CCMP header of a protected data frame, inside the 802.11 item.
fn ccmp_tree(d: &mut Dissection<'_>, body: &[u8], at: usize) {
    if !has_ccmp_header(body) {
        return;
    }
    let b = |i| u64::from(bytes::u8_at(body, i).unwrap_or(0));
    let pn = b(0) | b(1) << 8 | b(4) << 16 | b(5) << 24 | b(6) << 32 | b(7) << 40;
    let node = d.text(at, 8, || "CCMP parameters".to_string());
    d.begin(node);
    d.add(CCMP_EXTIV, at, 8, Value::UInt(pn));
    d.add(KEYIDX, at + 3, 1, Value::UInt(b(3) >> 6));
    d.end();
}

/// A protected data frame's encrypted bytes, after its CCMP header, as data.
fn protected_body<'a>(d: &mut Dissection<'a>, body: &'a [u8], at: usize) {
    if has_ccmp_header(body) {
        data::dissect_bytes(d, bytes::tail(body, 8), at + 8);
    } else {
        data::dissect_bytes(d, body, at);
    }
}

#[cfg(test)]
mod tests {
    use super::flag_string;
    use crate::dissect::testing::{field, with_frame, with_truncated};

    /// In tcpdump's test corpus (tests/corpus/tcpdump).
    const RX_STBC: &str = "../corpus/tcpdump/ieee802.11_rx-stbc.pcap";

    #[test]
    fn flag_strings() {
        assert_eq!(flag_string(0x42, true), ".p....F.C");
        assert_eq!(flag_string(0x11, true), "...P...TC");
        assert_eq!(flag_string(0x81, false), "o......T");
    }

    /// ieee802.11_rx-stbc.pcap frame 1: a protected QoS data frame from the DS.
    #[test]
    fn qos_data_fields() {
        with_frame(RX_STBC, 1, |d| {
            assert_eq!(field(d, "wlan.fc.type_subtype"), "0x0028");
            assert_eq!(field(d, "wlan.fc.ds"), "0x02");
            assert_eq!(field(d, "wlan.duration"), "44");
            assert_eq!(field(d, "wlan.ra"), "68:a3:c4:03:46:da");
            assert_eq!(field(d, "wlan.bssid"), "20:7c:8f:50:3f:3a");
            assert_eq!(field(d, "wlan.staa"), "68:a3:c4:03:46:da");
            assert_eq!(field(d, "wlan.seq"), "18");
            assert_eq!(field(d, "wlan.fcs"), "0x872ca0c6");
            assert_eq!(field(d, "wlan_radio.data_rate"), "150");
            assert_eq!(d.columns.info, "QoS Data, SN=18, FN=0, Flags=.p....F.C");
        });
    }

    #[test]
    fn truncated_header_is_a_note() {
        with_truncated(RX_STBC, 1, 50, |d| {
            assert!(d.has(crate::dissect::ws::MALFORMED) || d.has(crate::dissect::ws::SHORT));
            assert_eq!(field(d, "wlan.seq"), "");
        });
    }
}
