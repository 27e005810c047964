//! ARP (RFC 826) for any hardware and protocol address sizes; Ethernet/IPv4 addresses
//! get their typed fields.

use super::context::{ArpDuplicate, PacketContext};
use super::ethernet::ETHERTYPES;
use super::field::kinds::*;
use super::tree::Dissection;
use super::value::{Value, ether_text, hex_text, ipv4_text};
use crate::bytes;

#[rustfmt::skip]
const OPCODES: &[(u64, &str)] = &[
    (1, "request"), (2, "reply"), (3, "reverse request"), (4, "reverse reply"),
    (8, "inverse request"), (9, "inverse reply"),
];
const HW_TYPES: &[(u64, &str)] = &[(1, "Ethernet"), (6, "IEEE 802 Networks")];

crate::define_fields! { after super::null::END;
    ARP = "arp", "Address Resolution Protocol", PROTO;
    HW_TYPE = "arp.hw.type", "Hardware type", dec_named(16, HW_TYPES);
    PROTO_TYPE = "arp.proto.type", "Protocol type", hex_named(16, ETHERTYPES);
    HW_SIZE = "arp.hw.size", "Hardware size", dec(8);
    PROTO_SIZE = "arp.proto.size", "Protocol size", dec(8);
    OPCODE = "arp.opcode", "Opcode", dec_named(16, OPCODES);
    ISGRATUITOUS = "arp.isgratuitous", "Is gratuitous", flag(0, 0);
    ISPROBE = "arp.isprobe", "Is probe", flag(0, 0);
    ISANNOUNCEMENT = "arp.isannouncement", "Is announcement", flag(0, 0);
    SRC_HW_MAC = "arp.src.hw_mac", "Sender MAC address", ETHER;
    SRC_HW = "arp.src.hw", "Sender hardware address", BYTES;
    SRC_PROTO_IPV4 = "arp.src.proto_ipv4", "Sender IP address", IPV4;
    SRC_PROTO = "arp.src.proto", "Sender protocol address", BYTES;
    DST_HW_MAC = "arp.dst.hw_mac", "Target MAC address", ETHER;
    DST_HW = "arp.dst.hw", "Target hardware address", BYTES;
    DST_PROTO_IPV4 = "arp.dst.proto_ipv4", "Target IP address", IPV4;
    DST_PROTO = "arp.dst.proto", "Target protocol address", BYTES;
    DUPLICATE_FRAME = "arp.duplicate-address-frame", "Frame showing earlier use of IP address", FRAME;
    DUPLICATE_SECONDS = "arp.seconds-since-duplicate-address-frame", "Seconds since earlier frame seen", dec(32);
}

/// Where the ARP message starting at `offset` ends.
pub fn end_of(data: &[u8], offset: usize) -> Option<usize> {
    let hs = usize::from(bytes::u8_at(data, offset + 4)?);
    let ps = usize::from(bytes::u8_at(data, offset + 5)?);
    offset.checked_add(8 + 2 * hs + 2 * ps)
}

fn address<'a>(
    d: &mut Dissection<'a>,
    data: &'a [u8],
    at: usize,
    size: usize,
    typed: Option<(super::field::FieldId, bool)>,
    raw_field: super::field::FieldId,
) -> String {
    // The text is only for the Info column.
    let text = d.columns_on();
    let raw = bytes::slice(data, at, size).unwrap_or(&[]);
    match (typed, raw.len()) {
        (Some((field, true)), 6) => {
            let mac = bytes::array::<6>(raw, 0).unwrap_or_default();
            d.add(field, at, 6, Value::Ether(mac));
            if text {
                ether_text(&mac)
            } else {
                String::new()
            }
        }
        (Some((field, false)), 4) => {
            let ip = bytes::array::<4>(raw, 0).unwrap_or_default();
            d.add(field, at, 4, Value::Ipv4(ip));
            if text { ipv4_text(&ip) } else { String::new() }
        }
        _ => {
            d.add(raw_field, at, raw.len(), Value::Bytes(raw.into()));
            if text {
                hex_text(raw, Some(':'))
            } else {
                String::new()
            }
        }
    }
}

/// Dissects an ARP message at `offset`.
pub fn dissect<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, data: &'a [u8], offset: usize) {
    let (Some(hw), Some(proto), Some(hs), Some(ps), Some(op)) = (
        bytes::be_u16(data, offset),
        bytes::be_u16(data, offset + 2),
        bytes::u8_at(data, offset + 4),
        bytes::u8_at(data, offset + 5),
        bytes::be_u16(data, offset + 6),
    ) else {
        super::malformed(d, data, offset, "ARP", 8);
        return;
    };
    let (hs, ps) = (usize::from(hs), usize::from(ps));
    let total = 8 + 2 * hs + 2 * ps;
    let ethernet_ipv4 = hw == 1 && proto == 0x0800 && hs == 6 && ps == 4;
    let op_name = super::value::value_name(Some(OPCODES), u64::from(op)).unwrap_or("unknown");
    let sender_ip = bytes::array::<4>(data, offset + 8 + hs);
    let target_ip = bytes::array::<4>(data, offset + 8 + 2 * hs + ps);
    let gratuitous = ethernet_ipv4 && sender_ip.is_some() && sender_ip == target_ip;
    // RFC 5227: a request with no target hardware address is an announcement when it
    // names its own address, a probe when it comes from 0.0.0.0.
    let target_mac_zero = bytes::array::<6>(data, offset + 8 + hs + ps) == Some([0; 6]);
    let announcement = gratuitous && op == 1 && target_mac_zero;
    let probe =
        ethernet_ipv4 && !gratuitous && op == 1 && target_mac_zero && sender_ip == Some([0; 4]);
    let item = d.add_labeled(ARP, offset, total, Value::None, || {
        if announcement {
            "Address Resolution Protocol (ARP Announcement)".to_string()
        } else if gratuitous {
            format!("Address Resolution Protocol ({op_name}/gratuitous ARP)")
        } else if probe {
            "Address Resolution Protocol (ARP Probe)".to_string()
        } else {
            format!("Address Resolution Protocol ({op_name})")
        }
    });
    d.push_layer("arp");
    d.set_protocol(match op {
        3 | 4 => "RARP",
        8 | 9 => "Inverse ARP",
        _ => "ARP",
    });
    d.begin(item);
    d.add(HW_TYPE, offset, 2, Value::UInt(u64::from(hw)));
    d.add(PROTO_TYPE, offset + 2, 2, Value::UInt(u64::from(proto)));
    d.add(HW_SIZE, offset + 4, 1, Value::UInt(hs as u64));
    d.add(PROTO_SIZE, offset + 5, 1, Value::UInt(ps as u64));
    d.add(OPCODE, offset + 6, 2, Value::UInt(u64::from(op)));
    if gratuitous {
        d.add_generated(ISGRATUITOUS, 0, 0, Value::Bool(true));
    }
    if probe {
        d.add_generated(ISPROBE, 0, 0, Value::Bool(true));
    }
    if announcement {
        d.add_generated(ISANNOUNCEMENT, 0, 0, Value::Bool(true));
    }
    let at = offset + 8;
    let eth = ethernet_ipv4 || (hw == 1 && hs == 6);
    let ip = ethernet_ipv4 || (proto == 0x0800 && ps == 4);
    let sha = address(d, data, at, hs, eth.then_some((SRC_HW_MAC, true)), SRC_HW);
    let spa = address(
        d,
        data,
        at + hs,
        ps,
        ip.then_some((SRC_PROTO_IPV4, false)),
        SRC_PROTO,
    );
    let tha = address(
        d,
        data,
        at + hs + ps,
        hs,
        eth.then_some((DST_HW_MAC, true)),
        DST_HW,
    );
    let tpa = address(
        d,
        data,
        at + 2 * hs + ps,
        ps,
        ip.then_some((DST_PROTO_IPV4, false)),
        DST_PROTO,
    );
    d.end();
    if data.len() < offset + total {
        super::malformed(d, data, offset, "ARP", total);
    }
    let sender_mac = bytes::array::<6>(data, at).filter(|_| eth);
    let duplicate = if ethernet_ipv4 && (op == 1 || op == 2) {
        duplicates(d, ctx, data, at, op)
    } else {
        None
    };
    d.set_info(|| match op {
        1 if announcement => format!("ARP Announcement for {tpa}"),
        1 if gratuitous => format!("Gratuitous ARP for {tpa} (Request)"),
        1 if probe => format!("Who has {tpa}? (ARP Probe)"),
        1 => format!("Who has {tpa}? Tell {spa}"),
        2 if gratuitous => format!("Gratuitous ARP for {tpa} (Reply)"),
        2 => format!(
            "{spa} is at {}",
            // tshark writes the sender's hardware address unresolved here.
            sender_mac.map_or(sha.clone(), |m| super::value::ether_text(&m))
        ),
        3 => format!("Who is {tha}? Tell {sha}"),
        4 => format!("{tha} is at {tpa}"),
        _ => format!("Unknown ARP opcode 0x{op:04x}"),
    });
    if let Some(ip) = duplicate {
        d.append_info(&format!(" (duplicate use of {} detected!)", ipv4_text(&ip)));
    }
}

/// tshark's duplicate address detection on an Ethernet/IPv4 request or reply whose
/// addresses start at `at`: the sender's binding, then a reply's target binding (a
/// request's target means nothing), each unless its MAC address is a group or zero
/// address or its IP address zero. Each duplicate gets its tree and expert item; the
/// address the Info column names is the one the last check found, and none when the
/// target's check found nothing (tshark keeps only the last check's verdict).
fn duplicates(
    d: &mut Dissection<'_>,
    ctx: &PacketContext<'_>,
    data: &[u8],
    at: usize,
    op: u16,
) -> Option<[u8; 4]> {
    let analysis = ctx.analysis?;
    let binding = |mac_at: usize| {
        let mac = bytes::array::<6>(data, mac_at)?;
        let ip = bytes::array::<4>(data, mac_at + 6)?;
        (mac[0] & 1 == 0 && mac != [0; 6] && ip != [0; 4]).then_some((mac, ip))
    };
    let mut detected = None;
    let mut shown = None;
    if let Some((mac, ip)) = binding(at) {
        detected = analysis.arp_binding(ctx.number, mac, ip, false);
        if let Some(earlier) = detected {
            duplicate_tree(d, mac, ip, &earlier);
            shown = Some(ip);
        }
    }
    if op == 2
        && let Some((mac, ip)) = binding(at + 10)
        && shown != Some(ip)
    {
        detected = analysis.arp_binding(ctx.number, mac, ip, true);
        if let Some(earlier) = detected {
            duplicate_tree(d, mac, ip, &earlier);
            shown = Some(ip);
        }
    }
    detected.and(shown)
}

/// The duplicate's subtree (beside ARP's, as tshark adds it) with its expert item.
fn duplicate_tree(d: &mut Dissection<'_>, mac: [u8; 6], ip: [u8; 4], earlier: &ArpDuplicate) {
    let ip_text = ipv4_text(&ip);
    d.note_top_field(super::ws::TEXT_LAYER);
    let node = d.text(0, 0, || {
        format!(
            "[Duplicate IP address detected for {ip_text} ({}) - also in use by {} (frame {})]",
            ether_text(&mac),
            ether_text(&earlier.mac),
            earlier.frame
        )
    });
    d.begin(node);
    let frame = d.add_generated(DUPLICATE_FRAME, 0, 0, Value::Frame(earlier.frame));
    d.expert(
        frame,
        super::tree::Expert {
            severity: super::tree::Severity::Warning,
            group: "Sequence",
            protocol: "ARP/RARP",
            message: format!("Duplicate IP address configured ({ip_text})").into(),
        },
    );
    let seconds = u64::try_from(earlier.seconds).unwrap_or(0);
    d.add_generated(DUPLICATE_SECONDS, 0, 0, Value::UInt(seconds));
    d.end();
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_frame, with_patched, with_truncated};

    /// arp_duplicate.pcapng frame 12 (lab-04_synscan frame 4159): a reply whose target
    /// 192.168.8.102 another MAC address held first. Dissected alone, without the load
    /// pass's table, nothing is flagged; the load pass's verdict is checked against
    /// tshark's by the capture's expected summaries, tree and expert counts.
    #[test]
    fn duplicate_needs_the_capture() {
        with_frame("arp_duplicate.pcapng", 12, |d| {
            assert_eq!(d.columns.info, "192.168.8.1 is at 24:00:ba:91:ff:8e");
            assert_eq!(field(d, "arp.duplicate-address-frame"), "");
        });
    }

    /// tcp_clean_close.pcap frames 7 and 8: who has 10.10.0.2, and the reply.
    #[test]
    fn request_and_reply() {
        with_frame("tcp_clean_close.pcap", 7, |d| {
            assert_eq!(field(d, "arp.opcode"), "1");
            assert_eq!(field(d, "arp.src.proto_ipv4"), "10.10.0.1");
            assert_eq!(field(d, "arp.dst.proto_ipv4"), "10.10.0.2");
            assert_eq!(d.columns.info, "Who has 10.10.0.2? Tell 10.10.0.1");
        });
        with_frame("tcp_clean_close.pcap", 8, |d| {
            assert_eq!(field(d, "arp.opcode"), "2");
            assert_eq!(d.columns.info, "10.10.0.2 is at 46:8a:89:72:3f:d1");
        });
    }

    /// The same request (its target MAC is zero) made an RFC 5227 announcement (the
    /// target IP is the sender's) and a probe (from 0.0.0.0), as tshark names them.
    #[test]
    fn announcement_and_probe() {
        with_patched(
            "tcp_clean_close.pcap",
            7,
            |b| {
                let sender: [u8; 4] = b[28..32].try_into().unwrap_or_default();
                b[38..42].copy_from_slice(&sender);
            },
            |d| {
                assert_eq!(field(d, "arp.isgratuitous"), "1");
                assert_eq!(field(d, "arp.isannouncement"), "1");
                assert_eq!(d.columns.info, "ARP Announcement for 10.10.0.1");
            },
        );
        with_patched(
            "tcp_clean_close.pcap",
            7,
            |b| b[28..32].copy_from_slice(&[0; 4]),
            |d| {
                assert_eq!(field(d, "arp.isprobe"), "1");
                assert_eq!(field(d, "arp.isannouncement"), "");
                assert_eq!(d.columns.info, "Who has 10.10.0.2? (ARP Probe)");
            },
        );
    }

    #[test]
    fn cut_in_the_addresses() {
        with_truncated("tcp_clean_close.pcap", 7, 24, |d| {
            assert_eq!(field(d, "arp.opcode"), "1");
            assert_eq!(field(d, "arp.dst.proto_ipv4"), "");
        });
    }
}
