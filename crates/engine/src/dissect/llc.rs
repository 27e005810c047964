//! IEEE 802.2 Logical-Link Control with the SNAP extension (RFC 1042): how 802.11 data
//! frames carry IP, ARP and EAPOL (DSAP/SSAP 0xaa, UI, an OUI and an EtherType).

use super::context::PacketContext;
use super::ethernet::{ETHERTYPES, ethertype_payload};
use super::field::FieldId;
use super::field::kinds::*;
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;

/// SAP names as tshark 4.0 prints them (`llc.dsap`, `llc.ssap` and the Info column, which
/// looks the SAP up without its IG/CR bit).
#[rustfmt::skip]
const SAPS: &[(u64, &str)] = &[
    (0x00, "NULL LSAP"), (0x01, "NULL LSAP"), (0x02, "LLC Sub-Layer Management"),
    (0x04, "SNA Path Control"), (0x06, "TCP/IP"), (0x08, "SNA"), (0x0c, "SNA"),
    (0x0e, "PROWAY (IEC955) Network Management and Initialization"),
    (0x10, "NetWare (unofficial?)"), (0x14, "ISO Network Layer (OSLAN 1)"),
    (0x18, "Texas Instruments"), (0x20, "ISO Network Layer (unofficial?)"),
    (0x34, "ISO Network Layer (unofficial?)"), (0x42, "Spanning Tree BPDU"),
    (0x4e, "EIA RS-511 Manufacturing Message Service"), (0x54, "ISO Network Layer (OSLAN 2)"),
    (0x7e, "ISO 8208 (X.25 over 802.2)"), (0x7f, "ISO 802.2"), (0x80, "XNS"), (0x82, "BACnet"),
    (0x86, "Nestar"), (0x8e, "PROWAY (IEC955) Active Station List Maintenance"), (0x98, "ARP"),
    (0xb4, "HP JetDirect Printer"), (0xaa, "SNAP"), (0xba, "Banyan Vines"), (0xbc, "Banyan Vines"),
    (0xe0, "NetWare"), (0xf0, "NetBIOS"), (0xf4, "IBM Net Management"), (0xf8, "HP Extended LLC"),
    (0xfa, "Ungermann-Bass"), (0xfc, "Remote Program Load"), (0xfe, "ISO Network Layer"),
    (0xff, "Global LSAP"),
];

/// The vendors tshark names in a SNAP header's Info (the long names of Wireshark's
/// `manuf` file) for the organization codes seen on LANs.
#[rustfmt::skip]
const OUIS: &[(u64, &str)] = &[
    (0x000000, "Officially Xerox, but 0:0:0:0:0:0 is more common"), (0x00000c, "Cisco Systems, Inc"),
    (0x0000f8, "Digital Equipment Corporation"), (0x0080c2, "IEEE"), (0x080007, "Apple, Inc."),
    (0x00e02b, "Extreme Networks Headquarters"), (0x506f9a, "Wi-Fi Alliance"),
    (0x001018, "Broadcom"), (0x00a0c9, "Intel (PRO100B and PRO100+)"),
];

const FRAME_TYPES: &[(u64, &str)] = &[
    (0, "Information frame"),
    (1, "Supervisory frame"),
    (3, "Unnumbered frame"),
];
const S_TYPES: &[(u64, &str)] = &[
    (0, "Receiver ready"),
    (1, "Receiver not ready"),
    (2, "Reject"),
    (3, "Selective reject"),
];
/// The modifier bits of a U frame (mask 0xec, shifted right by 2): short names for the
/// Info column and long ones for the tree, as a command and as a response.
#[rustfmt::skip]
const U_COMMANDS: &[(u64, &str, &str)] = &[
    (0x00, "UI", "Unnumbered Information"), (0x08, "UP", "Unnumbered Poll"),
    (0x10, "DISC", "Disconnect"), (0x18, "UA", "Unnumbered Acknowledge"),
    (0x20, "SNRM", "Set Normal Response Mode"), (0x33, "SNRME", "Set Normal Response Mode Extended"),
    (0x38, "TEST", "Test"), (0x01, "SIM", "Set Initialization Mode"), (0x21, "FRMR", "Frame reject"),
    (0x31, "CFGR", "Configure"), (0x03, "SARM", "Set Asynchronous Response Mode"),
    (0x0b, "SABM", "Set Asynchronous Balanced Mode"),
    (0x13, "SARME", "Set Asynchronous Response Mode Extended"),
    (0x1b, "SABME", "Set Asynchronous Balanced Mode Extended"), (0x23, "RESET", "Reset"),
    (0x2b, "XID", "Exchange identification"), (0x3b, "BCN", "Beacon"),
];
#[rustfmt::skip]
const U_RESPONSES: &[(u64, &str, &str)] = &[
    (0x00, "UI", "Unnumbered Information"), (0x08, "UP", "Unnumbered Poll"),
    (0x10, "RD", "Request Disconnect"), (0x18, "UA", "Unnumbered Acknowledge"),
    (0x20, "SNRM", "Set Normal Response Mode"), (0x38, "TEST", "Test"),
    (0x01, "RIM", "Request Initialization Mode"), (0x21, "FRMR", "Frame reject"),
    (0x31, "CFGR", "Configure"), (0x03, "DM", "Disconnected mode"),
    (0x0b, "SABM", "Set Asynchronous Balanced Mode"),
    (0x13, "SARME", "Set Asynchronous Response Mode Extended"),
    (0x1b, "SABME", "Set Asynchronous Balanced Mode Extended"), (0x23, "RESET", "Reset"),
    (0x2b, "XID", "Exchange identification"), (0x33, "SNRME", "Set Normal Response Mode Extended"),
    (0x3b, "BCN", "Beacon"),
];
const U_COMMAND_NAMES: &[(u64, &str)] = &[
    (0x00, "Unnumbered Information"),
    (0x08, "Unnumbered Poll"),
    (0x10, "Disconnect"),
    (0x18, "Unnumbered Acknowledge"),
    (0x20, "Set Normal Response Mode"),
    (0x38, "Test"),
    (0x01, "Set Initialization Mode"),
    (0x21, "Frame reject"),
    (0x31, "Configure"),
    (0x03, "Set Asynchronous Response Mode"),
    (0x0b, "Set Asynchronous Balanced Mode"),
    (0x13, "Set Asynchronous Response Mode Extended"),
    (0x1b, "Set Asynchronous Balanced Mode Extended"),
    (0x23, "Reset"),
    (0x2b, "Exchange identification"),
    (0x33, "Set Normal Response Mode Extended"),
    (0x3b, "Beacon"),
];
const U_RESPONSE_NAMES: &[(u64, &str)] = &[
    (0x00, "Unnumbered Information"),
    (0x08, "Unnumbered Poll"),
    (0x10, "Request Disconnect"),
    (0x18, "Unnumbered Acknowledge"),
    (0x20, "Set Normal Response Mode"),
    (0x38, "Test"),
    (0x01, "Request Initialization Mode"),
    (0x21, "Frame reject"),
    (0x31, "Configure"),
    (0x03, "Disconnected mode"),
    (0x0b, "Set Asynchronous Balanced Mode"),
    (0x13, "Set Asynchronous Response Mode Extended"),
    (0x1b, "Set Asynchronous Balanced Mode Extended"),
    (0x23, "Reset"),
    (0x2b, "Exchange identification"),
    (0x33, "Set Normal Response Mode Extended"),
    (0x3b, "Beacon"),
];
const IG_WORDS: &[&str; 2] = &["Group", "Individual"];
const CR_WORDS: &[&str; 2] = &["Response", "Command"];

/// Cisco's OUI and the SNAP protocol IDs it carries (PVST+ BPDUs).
const CISCO_OUI: u32 = 0x00000c;
const PVST_PID: u16 = 0x010b;
const CDP_PID: u16 = 0x2000;

crate::define_fields! { after super::ieee80211_mgt::END;
    LLC = "llc", "Logical-Link Control", PROTO;
    DSAP = "llc.dsap", "DSAP", hex_named(8, SAPS);
    DSAP_SAP = "llc.dsap.sap", "SAP", dec(8);
    DSAP_IG = "llc.dsap.ig", "IG Bit", bool_words(8, 0x01, IG_WORDS);
    SSAP = "llc.ssap", "SSAP", hex_named(8, SAPS);
    SSAP_SAP = "llc.ssap.sap", "SAP", dec(8);
    SSAP_CR = "llc.ssap.cr", "CR Bit", bool_words(8, 0x01, CR_WORDS);
    CONTROL = "llc.control", "Control", hex(16);
    N_R = "llc.control.n_r", "N(R)", dec(16);
    N_S = "llc.control.n_s", "N(S)", dec(16);
    POLL = "llc.control.p", "Poll", flag(16, 0x0100);
    FINAL = "llc.control.f", "Final", flag(16, 0x0100);
    S_FTYPE = "llc.control.s_ftype", "Supervisory frame type", hex_named(16, S_TYPES);
    U_CMD = "llc.control.u_modifier_cmd", "Command", hex_named(8, U_COMMAND_NAMES);
    U_RESP = "llc.control.u_modifier_resp", "Response", hex_named(8, U_RESPONSE_NAMES);
    FTYPE = "llc.control.ftype", "Frame type", hex_named(16, FRAME_TYPES);
    OUI = "llc.oui", "Organization Code", hex(24);
    TYPE = "llc.type", "Type", hex_named(16, ETHERTYPES);
    PID = "llc.pid", "Protocol ID", hex(16);
}

/// An LLC control field (ISO/IEC 8802-2 5.4): LLC type 2 numbers its I and S frames
/// modulo 128, in two octets read little-endian; a U frame's is one octet.
#[derive(Clone, Copy)]
struct Control {
    raw: u16,
    len: usize,
}

impl Control {
    fn read(data: &[u8], at: usize) -> Option<Self> {
        let first = bytes::u8_at(data, at)?;
        if first & 0x03 == 0x03 {
            return Some(Control {
                raw: u16::from(first),
                len: 1,
            });
        }
        Some(Control {
            raw: bytes::le_u16(data, at)?,
            len: 2,
        })
    }
    fn unnumbered(self) -> bool {
        self.raw & 0x03 == 0x03
    }
    fn supervisory(self) -> bool {
        self.raw & 0x03 == 0x01
    }
    /// An I frame or a UI frame: the ones whose payload LLC hands on.
    fn information(self) -> bool {
        self.raw & 0x01 == 0 || (self.unnumbered() && self.raw & 0xef == 0x03)
    }
    /// The U frame's modifier bits (mask 0xec) shifted right by 2.
    fn modifier(self) -> u64 {
        u64::from((self.raw & 0xec) >> 2)
    }
    /// The summary tshark puts in Info and in the control field's label.
    fn summary(self, response: bool) -> String {
        let pf = |set: bool| match (set, response) {
            (false, _) => "",
            (true, true) => " F",
            (true, false) => " P",
        };
        let n_r = (self.raw >> 9) & 0x7f;
        if self.unnumbered() {
            let table = if response { U_RESPONSES } else { U_COMMANDS };
            let name = table
                .iter()
                .find(|(v, _, _)| *v == self.modifier())
                .map_or("Unknown", |(_, short, _)| short);
            format!("U{}, func={name}", pf(self.raw & 0x10 != 0))
        } else if self.supervisory() {
            let func = ["RR", "RNR", "REJ", "SREJ"]
                .get(usize::from((self.raw >> 2) & 0x03))
                .copied()
                .unwrap_or("RR");
            format!("S{}, func={func}, N(R)={n_r}", pf(self.raw & 0x0100 != 0))
        } else {
            let p = if self.raw & 0x0100 != 0 { " P" } else { "" };
            format!("I{p}, N(R)={n_r}, N(S)={}", (self.raw >> 1) & 0x7f)
        }
    }
}

fn sap_text(sap: u8) -> String {
    match super::value::value_name(Some(SAPS), u64::from(sap & 0xfe)) {
        Some(name) => name.to_string(),
        None => format!("0x{:02x}", sap & 0xfe),
    }
}

/// The control field's item and its bits, as tshark's tree shows them.
fn control_tree(d: &mut Dissection<'_>, at: usize, control: Control, response: bool) {
    let summary = control.summary(response);
    let raw = u64::from(control.raw);
    let item = d.add_labeled(CONTROL, at, control.len, Value::UInt(raw), || {
        if control.len == 1 {
            format!("Control field: {summary} (0x{raw:02X})")
        } else {
            format!("Control field: {summary} (0x{raw:04X})")
        }
    });
    d.begin(item);
    let chart = super::value::bit_chart;
    let bits = if control.len == 1 { 8 } else { 16 };
    if control.unnumbered() {
        if control.raw & 0x10 != 0 {
            let (id, name) = if response {
                (FINAL, "Final")
            } else {
                (POLL, "Poll")
            };
            d.add_labeled(id, at, 1, Value::Bool(true), || {
                format!("{} = {name}: Set", chart(8, 0x10, 1))
            });
        }
        let (id, names) = if response {
            (U_RESP, U_RESPONSE_NAMES)
        } else {
            (U_CMD, U_COMMAND_NAMES)
        };
        let modifier = control.modifier();
        let word = if response { "Response" } else { "Command" };
        d.add_labeled(id, at, 1, Value::UInt(modifier), || {
            let name = super::value::value_name(Some(names), modifier).unwrap_or("Unknown");
            format!(
                "{} = {word}: {name} (0x{modifier:02x})",
                chart(8, 0xec, modifier)
            )
        });
        d.add_labeled(FTYPE, at, 1, Value::UInt(3), || {
            format!("{} = Frame type: Unnumbered frame (0x3)", chart(8, 0x03, 3))
        });
        d.end();
        return;
    }
    let n_r = (raw >> 9) & 0x7f;
    d.add_labeled(N_R, at, 2, Value::UInt(n_r), || {
        format!("{} = N(R): {n_r}", chart(bits, 0xfe00, n_r))
    });
    if !control.supervisory() {
        let n_s = (raw >> 1) & 0x7f;
        d.add_labeled(N_S, at, 2, Value::UInt(n_s), || {
            format!("{} = N(S): {n_s}", chart(bits, 0x00fe, n_s))
        });
    }
    if raw & 0x0100 != 0 {
        // An I frame's bit is always Poll; an S frame's is Final in a response.
        let (id, name) = if response && control.supervisory() {
            (FINAL, "Final")
        } else {
            (POLL, "Poll")
        };
        d.add_labeled(id, at, 2, Value::Bool(true), || {
            format!("{} = {name}: Set", chart(bits, 0x0100, 1))
        });
    }
    if control.supervisory() {
        let kind = (raw >> 2) & 0x03;
        d.add_labeled(S_FTYPE, at, 2, Value::UInt(kind), || {
            let name = super::value::value_name(Some(S_TYPES), kind).unwrap_or("Unknown");
            format!(
                "{} = Supervisory frame type: {name} (0x{kind:x})",
                chart(bits, 0x000c, kind)
            )
        });
        d.add_labeled(FTYPE, at, 2, Value::UInt(1), || {
            format!(
                "{} = Frame type: Supervisory frame (0x1)",
                chart(bits, 0x0003, 1)
            )
        });
    } else {
        d.add_labeled(FTYPE, at, 2, Value::UInt(0), || {
            format!(
                "{} = Frame type: Information frame (0x0)",
                chart(bits, 0x0001, 0)
            )
        });
    }
    d.end();
}

/// A SAP item with its SAP and IG/CR bit.
fn sap_tree(d: &mut Dissection<'_>, at: usize, ids: [FieldId; 3], sap: u8) {
    let [id, sap_id, bit] = ids;
    let item = d.add(id, at, 1, Value::UInt(u64::from(sap)));
    d.begin(item);
    let masked = u64::from(sap >> 1);
    let name = super::value::value_name(Some(SAPS), u64::from(sap & 0xfe)).unwrap_or("Unknown");
    d.add_labeled(sap_id, at, 1, Value::UInt(masked), || {
        format!("{} = SAP: {name}", super::value::bit_chart(8, 0xfe, masked))
    });
    d.add(bit, at, 1, Value::Bool(sap & 1 == 1));
    d.end();
}

/// Dissects an LLC header at `offset` and hands I and UI frames' payloads on: by the
/// DSAP, or by the EtherType of a SNAP header.
pub fn dissect<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, data: &'a [u8], offset: usize) {
    let (Some(dsap), Some(ssap), Some(control)) = (
        bytes::u8_at(data, offset),
        bytes::u8_at(data, offset + 1),
        Control::read(data, offset + 2),
    ) else {
        super::truncated(d, ctx, data, offset, "LLC");
        return;
    };
    let response = ssap & 0x01 == 0x01;
    // tshark takes any frame between SNAP SAPs as SNAP, whatever its control field.
    let snap = dsap == 0xaa && ssap == 0xaa;
    let header = 2 + control.len;
    let len = if snap { header + 5 } else { header };
    let item = d.add(LLC, offset, len, Value::None);
    d.push_layer("llc");
    d.set_protocol("LLC");
    let summary = control.summary(response);
    d.set_info(|| summary);
    let keep = d.keeps_fields_of(LLC);
    if keep {
        d.begin(item);
        sap_tree(d, offset, [DSAP, DSAP_SAP, DSAP_IG], dsap);
        sap_tree(d, offset + 1, [SSAP, SSAP_SAP, SSAP_CR], ssap);
        control_tree(d, offset + 2, control, response);
    }
    let payload = offset + header;
    if !snap {
        if keep {
            d.end();
        }
        d.append_info(&format!(
            "; DSAP {} {}, SSAP {} {}",
            sap_text(dsap),
            if dsap & 1 == 1 { "Group" } else { "Individual" },
            sap_text(ssap),
            if response { "Response" } else { "Command" },
        ));
        if payload >= data.len() {
            return;
        }
        if control.information() {
            match dsap {
                // 802.1D 7.12.3: BPDUs use the LSAP 0x42.
                0x42 if super::stp::dissect(d, ctx, payload, bytes::tail(data, payload)) => return,
                // NetWare's SAPs carry IPX.
                0xe0 | 0x10 => return super::ipx::dissect(d, ctx, data, payload),
                // NetBIOS Frames (NetBEUI).
                0xf0 => return super::netbios::dissect(d, data, payload),
                0x06 => {
                    super::ipv4::dissect(d, ctx, data, payload);
                    return;
                }
                _ => {}
            }
        }
        super::data::dissect(d, data, payload);
        return;
    }
    let (Some(oui), Some(kind)) = (
        bytes::be_u24(data, payload),
        bytes::be_u16(data, payload + 3),
    ) else {
        if keep {
            d.end();
        }
        super::truncated(d, ctx, data, payload, "LLC");
        return;
    };
    let vendor = super::value::value_name(Some(OUIS), u64::from(oui)).unwrap_or("Unknown");
    d.append_info(&format!(
        "; SNAP, OUI 0x{oui:06X} ({vendor}), PID 0x{kind:04X}"
    ));
    let ethertype = oui == 0 || oui == 0xf8;
    if keep {
        d.add_labeled(OUI, payload, 3, Value::UInt(u64::from(oui)), || {
            let hex = format!(
                "{:02x}:{:02x}:{:02x}",
                oui >> 16,
                (oui >> 8) & 0xff,
                oui & 0xff
            );
            match super::value::value_name(Some(OUIS), u64::from(oui)) {
                // tshark cuts this label at 50 characters.
                Some(name) => format!("Organization Code: {hex} ({name})")
                    .chars()
                    .take(50)
                    .collect(),
                None => format!("Organization Code: {hex}"),
            }
        });
        // An Ethernet-encapsulating OUI names its type only on I and UI frames.
        if !ethertype {
            d.add(PID, payload + 3, 2, Value::UInt(u64::from(kind)));
        } else if control.information() {
            d.add(TYPE, payload + 3, 2, Value::UInt(u64::from(kind)));
        }
        d.end();
    }
    let rest = payload + 5;
    if !control.information() {
        super::data::dissect(d, data, rest);
    } else if ethertype {
        ethertype_payload(d, ctx, data, rest, kind);
    } else if oui == CISCO_OUI
        && kind == PVST_PID
        && super::stp::dissect(d, ctx, rest, bytes::tail(data, rest))
    {
        // Cisco's per-VLAN spanning tree (PVST+) sends 802.1D BPDUs over SNAP.
    } else if oui == CISCO_OUI
        && kind == CDP_PID
        && super::cdp::dissect(d, rest, bytes::tail(data, rest))
    {
    } else {
        super::data::dissect(d, data, rest);
    }
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_frame, with_patched, with_truncated};

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

    /// udp_pinger_llc.pcapng frame 1 (shichaoxia/computer-networking-a-top-down-approach,
    /// `code/ch5-ws-icmp/udp-ping.pcapng`): the Kurose-Ross UDP pinger's "Ping 03 ..."
    /// to port 12000, which tshark hands to LLC: "Pi" read as SAPs, "ng" as an I frame's
    /// two-octet control field (little-endian 0x676e).
    #[test]
    fn udp_port_12000_is_llc() {
        with_frame("udp_pinger_llc.pcapng", 1, |d| {
            assert_eq!(field(d, "llc.dsap"), "0x50");
            assert_eq!(field(d, "llc.ssap"), "0x69");
            assert_eq!(field(d, "llc.dsap.sap"), "40");
            assert_eq!(field(d, "llc.ssap.cr"), "1");
            assert_eq!(field(d, "llc.control"), "0x676e");
            assert_eq!(field(d, "llc.control.n_r"), "51");
            assert_eq!(field(d, "llc.control.n_s"), "55");
            assert_eq!(field(d, "llc.control.p"), "1");
            assert_eq!(field(d, "llc.control.ftype"), "0x0000");
            assert_eq!(d.columns.protocol, "LLC");
            assert_eq!(
                d.columns.info,
                "I P, N(R)=51, N(S)=55; DSAP 0x50 Individual, SSAP 0x68 Response"
            );
        });
        // Cut after the control field's first octet: an I frame needs two.
        with_truncated("udp_pinger_llc.pcapng", 1, 35, |d| {
            assert_eq!(field(d, "llc.control"), "");
            assert!(d.has(crate::dissect::ws::SHORT));
        });
    }

    /// The same frame with other control fields: U frames are one octet (P/F is 0x10),
    /// S frames two; a response's P/F bit is Final.
    #[test]
    fn control_field_summaries() {
        let cases: [(&[u8], &str); 4] = [
            (&[0x03], "U, func=UI"),
            (&[0x73], "U F, func=UA"),
            (&[0x05, 0x03], "S F, func=RNR, N(R)=1"),
            (&[0x27], "U, func=Unknown"),
        ];
        for (control, summary) in cases {
            with_patched(
                "udp_pinger_llc.pcapng",
                1,
                |b| {
                    for (i, byte) in control.iter().enumerate() {
                        b[34 + i] = *byte;
                    }
                },
                |d| {
                    assert_eq!(
                        d.columns.info,
                        format!("{summary}; DSAP 0x50 Individual, SSAP 0x68 Response")
                    );
                },
            );
        }
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
