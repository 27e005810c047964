//! Spanning Tree BPDUs (IEEE 802.1D, RSTP 802.1w, MSTP 802.1s, SPB's version 4),
//! reached by LLC's DSAP 0x42 or Cisco's PVST+ SNAP: the configuration and
//! topology-change BPDUs, with tshark's Info
//! `Conf. Root = 32768/0/00:19:06:ea:b8:80  Cost = 0  Port = 0x8005`.

use super::context::PacketContext;
use super::field::kinds::*;
use super::tree::Dissection;
use super::value::{Value, ether_text};
use crate::bytes;

const PROTOCOLS: &[(u64, &str)] = &[(0, "Spanning Tree Protocol")];
#[rustfmt::skip]
const VERSIONS: &[(u64, &str)] = &[
    (0, "Spanning Tree"), (2, "Rapid Spanning Tree"), (3, "Multiple Spanning Tree"),
    (4, "Shortest Path Tree"),
];
#[rustfmt::skip]
const TYPES: &[(u64, &str)] = &[
    (0x00, "Configuration"), (0x80, "Topology Change Notification"),
    (0x02, "Rapid/Multiple Spanning Tree"),
];
#[rustfmt::skip]
const ROLES: &[(u64, &str)] = &[
    (0, "Unknown"), (1, "Alternate or Backup"), (2, "Root"), (3, "Designated"),
];

crate::define_fields! { after super::nbdgm::END;
    STP = "stp", "Spanning Tree Protocol", PROTO;
    PROTOCOL = "stp.protocol", "Protocol Identifier", hex_named(16, PROTOCOLS);
    VERSION = "stp.version", "Protocol Version Identifier", dec_named(8, VERSIONS);
    TYPE = "stp.type", "BPDU Type", hex_named(8, TYPES);
    FLAGS = "stp.flags", "BPDU flags", hex(8);
    FLAGS_TCACK = "stp.flags.tcack", "Topology Change Acknowledgment", bool_words(8, 0x80, &["Yes", "No"]);
    FLAGS_AGREEMENT = "stp.flags.agreement", "Agreement", flag(8, 0x40);
    FLAGS_FORWARDING = "stp.flags.forwarding", "Forwarding", flag(8, 0x20);
    FLAGS_LEARNING = "stp.flags.learning", "Learning", flag(8, 0x10);
    FLAGS_PORT_ROLE = "stp.flags.port_role", "Port Role", uint(8, super::field::Base::Dec, 0x0c, Some(ROLES));
    FLAGS_PROPOSAL = "stp.flags.proposal", "Proposal", flag(8, 0x02);
    FLAGS_TC = "stp.flags.tc", "Topology Change", bool_words(8, 0x01, &["Yes", "No"]);
    ROOT_PRIO = "stp.root.prio", "Root Bridge Priority", dec(16);
    ROOT_EXT = "stp.root.ext", "Root Bridge System ID Extension", dec(16);
    ROOT_HW = "stp.root.hw", "Root Bridge System ID", ETHER;
    ROOT_COST = "stp.root.cost", "Root Path Cost", dec(32);
    BRIDGE_PRIO = "stp.bridge.prio", "Bridge Priority", dec(16);
    BRIDGE_EXT = "stp.bridge.ext", "Bridge System ID Extension", dec(16);
    BRIDGE_HW = "stp.bridge.hw", "Bridge System ID", ETHER;
    PORT = "stp.port", "Port identifier", hex(16);
    MSG_AGE = "stp.msg_age", "Message Age", FLOAT;
    MAX_AGE = "stp.max_age", "Max Age", FLOAT;
    HELLO = "stp.hello", "Hello Time", FLOAT;
    FORWARD = "stp.forward", "Forward Delay", FLOAT;
    VERSION_1_LENGTH = "stp.version_1_length", "Version 1 Length", dec(8);
    VERSION_3_LENGTH = "mstp.version_3_length", "Version 3 Length", dec(16);
    MSTI_FLAGS = "mstp.msti.flags", "MSTI flags", hex(8);
}

/// A configuration BPDU's length (802.1D 9.3.1); RSTP adds the version 1 length byte.
const CONFIG_LEN: usize = 35;

/// A bridge identifier: priority (top 4 bits of the first 16), system ID extension
/// (the other 12) and MAC address (802.1D-2004 9.2.5).
fn bridge_id(b: &[u8], at: usize) -> Option<(u16, u16, [u8; 6])> {
    let head = bytes::be_u16(b, at)?;
    Some((head & 0xf000, head & 0x0fff, bytes::array::<6>(b, at + 2)?))
}

/// Dissects a BPDU at `offset`; false when too short for its type.
pub fn dissect<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    offset: usize,
    b: &'a [u8],
) -> bool {
    let (Some(proto), Some(version), Some(kind)) =
        (bytes::be_u16(b, 0), bytes::u8_at(b, 2), bytes::u8_at(b, 3))
    else {
        return false;
    };
    d.open_protocol(STP, (offset, b.len().min(CONFIG_LEN + 1)), "stp", "STP");
    d.add(PROTOCOL, offset, 2, Value::UInt(u64::from(proto)));
    d.add(VERSION, offset + 2, 1, Value::UInt(u64::from(version)));
    d.add(TYPE, offset + 3, 1, Value::UInt(u64::from(kind)));
    if kind == 0x80 {
        d.end();
        d.set_info(|| "Topology Change Notification".into());
        return true;
    }
    let (Some(flags), Some(root), Some(cost), Some(bridge), Some(port)) = (
        bytes::u8_at(b, 4),
        bridge_id(b, 5),
        bytes::be_u32(b, 13),
        bridge_id(b, 17),
        bytes::be_u16(b, 25),
    ) else {
        d.end();
        super::truncated(d, ctx, &[], 0, "STP");
        return true;
    };
    let rapid = version >= 2;
    let f = d.add(FLAGS, offset + 4, 1, Value::UInt(u64::from(flags)));
    d.begin(f);
    flag_bits(d, offset + 4, flags, rapid);
    d.end();
    id_tree(
        d,
        offset + 5,
        root,
        "Root Identifier",
        [ROOT_PRIO, ROOT_EXT, ROOT_HW],
    );
    d.add(ROOT_COST, offset + 13, 4, Value::UInt(u64::from(cost)));
    id_tree(
        d,
        offset + 17,
        bridge,
        "Bridge Identifier",
        [BRIDGE_PRIO, BRIDGE_EXT, BRIDGE_HW],
    );
    d.add(PORT, offset + 25, 2, Value::UInt(u64::from(port)));
    // Timers travel in 1/256 s (802.1D 9.2.8).
    for (i, field) in [MSG_AGE, MAX_AGE, HELLO, FORWARD].into_iter().enumerate() {
        if let Some(t) = bytes::be_u16(b, 27 + 2 * i) {
            d.add(
                field,
                offset + 27 + 2 * i,
                2,
                Value::Float(f64::from(t) / 256.0),
            );
        }
    }
    if rapid && let Some(v1) = bytes::u8_at(b, CONFIG_LEN) {
        d.add(
            VERSION_1_LENGTH,
            offset + CONFIG_LEN,
            1,
            Value::UInt(u64::from(v1)),
        );
    }
    // MSTP's records follow for the version 3 length; tshark reads them all.
    let mut cut = false;
    if version >= 3 {
        match bytes::be_u16(b, CONFIG_LEN + 1) {
            Some(v3) => {
                d.add(
                    VERSION_3_LENGTH,
                    offset + CONFIG_LEN + 1,
                    2,
                    Value::UInt(u64::from(v3)),
                );
                cut = b.len() < CONFIG_LEN + 3 + usize::from(v3);
                msti_records(d, offset, b, usize::from(v3));
            }
            None => cut = true,
        }
    }
    d.end();
    let kind_text = match version {
        0 | 1 => "Conf.",
        2 => "RST.",
        3 => "MST.",
        _ => "SPT.",
    };
    let tc = if flags & 0x01 != 0 { "TC + " } else { "" };
    let (prio, ext, mac) = root;
    d.set_info(move || {
        format!(
            "{kind_text} {tc}Root = {prio}/{ext}/{}  Cost = {cost}  Port = 0x{port:04x}",
            ether_text(&mac)
        )
    });
    if cut {
        super::truncated(d, ctx, &[], 0, "STP");
    }
    true
}

/// 802.1Q-2005 14.4: after the MST configuration identifier and the CIST fields
/// (64 bytes), one 16-byte record per MSTI; tshark shows each record's flags with
/// the `stp.flags.*` fields.
fn msti_records(d: &mut Dissection<'_>, offset: usize, b: &[u8], v3_len: usize) {
    const FIRST: usize = CONFIG_LEN + 3 + 64;
    const RECORD: usize = 16;
    let count = v3_len.saturating_sub(64) / RECORD;
    for k in 0..count.min(64) {
        let at = FIRST + k * RECORD;
        let Some(flags) = bytes::u8_at(b, at) else {
            break;
        };
        let f = d.add(MSTI_FLAGS, offset + at, 1, Value::UInt(u64::from(flags)));
        d.begin(f);
        flag_bits(d, offset + at, flags, true);
        d.end();
    }
}

/// The flag bits of a BPDU's or an MSTI's flags byte (`rapid`: RSTP's six).
fn flag_bits(d: &mut Dissection<'_>, at: usize, flags: u8, rapid: bool) {
    d.add(FLAGS_TCACK, at, 1, Value::Bool(flags & 0x80 != 0));
    if rapid {
        d.add(FLAGS_AGREEMENT, at, 1, Value::Bool(flags & 0x40 != 0));
        d.add(FLAGS_FORWARDING, at, 1, Value::Bool(flags & 0x20 != 0));
        d.add(FLAGS_LEARNING, at, 1, Value::Bool(flags & 0x10 != 0));
        d.add(
            FLAGS_PORT_ROLE,
            at,
            1,
            Value::UInt(u64::from((flags >> 2) & 3)),
        );
        d.add(FLAGS_PROPOSAL, at, 1, Value::Bool(flags & 0x02 != 0));
    }
    d.add(FLAGS_TC, at, 1, Value::Bool(flags & 0x01 != 0));
}

fn id_tree(
    d: &mut Dissection<'_>,
    at: usize,
    (prio, ext, mac): (u16, u16, [u8; 6]),
    title: &'static str,
    [f_prio, f_ext, f_hw]: [super::field::FieldId; 3],
) {
    let node = d.text(at, 8, || {
        format!("{title}: {prio} / {ext} / {}", ether_text(&mac))
    });
    d.begin(node);
    d.add(f_prio, at, 2, Value::UInt(u64::from(prio)));
    d.add(f_ext, at, 2, Value::UInt(u64::from(ext)));
    d.add_labeled(f_hw, at + 2, 6, Value::Ether(mac), || {
        let name = super::registry::def(f_hw).name;
        format!("{name}: {}", super::ethernet::mac_label(&mac))
    });
    d.end();
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_frame, with_patched, with_truncated};

    const RSTP: &str = "../corpus/tcpdump/802.1w_rapid_STP.pcap";

    /// stp_bridge.pcap frame 1: a Linux bridge's configuration BPDU.
    #[test]
    fn configuration() {
        with_frame("stp_bridge.pcap", 1, |d| {
            assert_eq!(d.columns.protocol, "STP");
            assert_eq!(
                d.columns.info,
                "Conf. Root = 32768/0/02:00:00:00:0b:02  Cost = 0  Port = 0x8001"
            );
            assert_eq!(field(d, "llc.dsap"), "0x42");
            assert_eq!(field(d, "stp.root.hw"), "02:00:00:00:0b:02");
            assert_eq!(field(d, "stp.hello"), "1");
            assert_eq!(field(d, "stp.forward"), "4");
        });
    }

    /// 802.1w_rapid_STP.pcap frame 1: RSTP's flags.
    #[test]
    fn rapid() {
        with_frame(RSTP, 1, |d| {
            assert_eq!(
                d.columns.info,
                "RST. Root = 32768/1/00:19:06:ea:b8:80  Cost = 0  Port = 0x800c"
            );
            assert_eq!(field(d, "stp.root.ext"), "1");
            assert_eq!(field(d, "stp.version_1_length"), "0");
        });
    }

    #[test]
    fn cut_and_impossible() {
        // Cut inside the root identifier: the header is shown, no Info from STP.
        with_truncated("stp_bridge.pcap", 1, 25, |d| {
            assert_eq!(field(d, "stp.version"), "0");
            assert_eq!(field(d, "stp.root.hw"), "");
        });
        // An 802.3 length far past the frame.
        with_patched(
            "stp_bridge.pcap",
            1,
            |b| b[12..14].copy_from_slice(&[0x05, 0xdc]),
            |d| {
                assert_eq!(field(d, "eth.len"), "1500");
            },
        );
    }
}
