//! IGMP (IP protocol 2): version 1 (RFC 1112), 2 (RFC 2236) and 3 (RFC 3376) queries,
//! reports and leaves, with the Info texts tshark 4.0 prints.

use super::checksum;
use super::context::PacketContext;
use super::field::Base;
use super::field::kinds::*;
use super::ipv4::{NetInfo, STATUS_NAMES};
use super::tree::Dissection;
use super::value::{Value, ipv4_text};
use crate::bytes;

#[rustfmt::skip]
const TYPES: &[(u64, &str)] = &[
    (0x11, "Membership Query"), (0x12, "Membership Report"), (0x16, "Membership Report"),
    (0x13, "DVMRP Protocol"), (0x14, "PIM Routing Message"), (0x17, "Leave Group"),
    (0x1e, "Traceroute Response"), (0x1f, "Traceroute Query or Request"),
    (0x22, "Membership Report"),
];
#[rustfmt::skip]
const RECORD_TYPES: &[(u64, &str)] = &[
    (1, "Mode Is Include"), (2, "Mode Is Exclude"), (3, "Change To Include Mode"),
    (4, "Change To Exclude Mode"), (5, "Allow New Sources"), (6, "Block Old Sources"),
];

crate::define_fields! { after super::gquic::END;
    IGMP = "igmp", "Internet Group Management Protocol", PROTO;
    VERSION = "igmp.version", "IGMP Version", dec(8);
    TYPE = "igmp.type", "Type", hex_named(8, TYPES);
    RESERVED = "igmp.reserved", "Reserved", BYTES;
    MAX_RESP = "igmp.max_resp", "Max Resp Time", dec(8);
    CHECKSUM = "igmp.checksum", "Checksum", hex(16);
    CHECKSUM_STATUS = "igmp.checksum.status", "Checksum Status", dec_named(8, STATUS_NAMES);
    MADDR = "igmp.maddr", "Multicast Address", IPV4;
    S = "igmp.s", "S", flag(8, 0x08);
    MAX_RESP_EXP = "igmp.max_resp.exp", "Exponent", uint(8, Base::Hex, 0x70, None);
    MAX_RESP_MANT = "igmp.max_resp.mant", "Mantissa", uint(8, Base::Hex, 0x0f, None);
    QRV = "igmp.qrv", "QRV", uint(8, Base::Dec, 0x07, None);
    QQIC = "igmp.qqic", "QQIC", dec(8);
    NUM_SRC = "igmp.num_src", "Num Src", dec(16);
    SADDR = "igmp.saddr", "Source Address", IPV4;
    NUM_GRP_RECS = "igmp.num_grp_recs", "Num Group Records", dec(16);
    RECORD_TYPE = "igmp.record_type", "Record Type", dec_named(8, RECORD_TYPES);
    AUX_DATA_LEN = "igmp.aux_data_len", "Aux Data Len", dec(8);
    AUX_DATA = "igmp.aux_data", "Aux Data", BYTES;
}

/// The Max Resp Time label: tenths of a second, in version 3 a floating-point code
/// from 128 on.
fn max_resp_label(code: u8, v3: bool) -> String {
    let tenths = if v3 && code >= 128 {
        (u32::from(code & 0x0f) | 0x10) << (u32::from((code >> 4) & 0x07) + 3)
    } else {
        u32::from(code)
    };
    format!(
        "Max Resp Time: {}.{} sec (0x{code:02x})",
        tenths / 10,
        tenths % 10
    )
}

/// The addresses of `count` sources at `rel` in `msg`, or `None` when cut (with
/// those that were there).
fn sources(msg: &[u8], rel: usize, count: usize) -> (Vec<[u8; 4]>, bool) {
    let mut out = Vec::new();
    for i in 0..count {
        match bytes::array::<4>(msg, rel + 4 * i) {
            Some(a) => out.push(a),
            None => return (out, false),
        }
    }
    (out, true)
}

fn join(addrs: &[[u8; 4]]) -> String {
    addrs.iter().map(ipv4_text).collect::<Vec<_>>().join(", ")
}

/// Dissects an IGMP message (the IP payload described by `net`).
pub fn dissect<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, data: &'a [u8], net: &NetInfo) {
    let at = net.payload_offset;
    let msg = bytes::clamped(data, at, net.payload_len);
    let (Some(kind), Some(code), Some(sum)) = (
        bytes::u8_at(msg, 0),
        bytes::u8_at(msg, 1),
        bytes::be_u16(msg, 2),
    ) else {
        d.set_protocol("IGMP");
        super::truncated(d, ctx, data, at, "IGMP");
        return;
    };
    let version: u8 = match kind {
        0x11 if net.payload_len >= 12 => 3,
        0x11 if code != 0 => 2,
        0x11 | 0x12 => 1,
        0x16 | 0x17 => 2,
        0x22 => 3,
        _ => 0,
    };
    let item = d.add(IGMP, at, msg.len(), Value::None);
    d.push_layer("igmp");
    let column = match version {
        1 => "IGMPv1",
        2 => "IGMPv2",
        3 => "IGMPv3",
        _ => "IGMP",
    };
    // tshark names the layer twice: the version's own dissector under IGMP's.
    if version != 0 {
        d.push_layer("igmp");
    }
    d.set_protocol(column);
    d.begin(item);
    if version != 0 {
        d.add_generated(VERSION, at, 0, Value::UInt(u64::from(version)));
    }
    d.add(TYPE, at, 1, Value::UInt(u64::from(kind)));
    if version == 0 {
        d.end();
        // Multicast traceroute: a query carries no response blocks yet.
        d.set_info(|| match kind {
            0x1e => "Traceroute Response".to_string(),
            0x1f if net.payload_len <= 24 => "Traceroute Query".to_string(),
            0x1f => "Traceroute Request".to_string(),
            _ => format!("Unknown Type:0x{kind:02x}"),
        });
        return;
    }
    if version == 1 || kind == 0x22 {
        d.add(
            RESERVED,
            at + 1,
            1,
            Value::Bytes(bytes::slice(msg, 1, 1).unwrap_or(&[]).into()),
        );
    } else {
        let node = d.add_labeled(MAX_RESP, at + 1, 1, Value::UInt(u64::from(code)), || {
            max_resp_label(code, version == 3)
        });
        if version == 3 && code >= 128 {
            d.begin(node);
            let (exp, mant) = ((code >> 4) & 0x07, code & 0x0f);
            d.add_labeled(MAX_RESP_EXP, at + 1, 1, Value::UInt(u64::from(exp)), || {
                format!(".{exp:03b} .... = Exponent: 0x{exp:x}")
            });
            d.add_labeled(
                MAX_RESP_MANT,
                at + 1,
                1,
                Value::UInt(u64::from(mant)),
                || format!(".... {mant:04b} = Mantissa: 0x{mant:x}"),
            );
            d.end();
        }
    }
    let complete = msg.len() == net.payload_len && !net.fragment;
    let status = checksum::add_checked(d, CHECKSUM, (at + 2, sum), complete, 0, msg);
    d.add_generated_labeled(CHECKSUM_STATUS, Value::UInt(status), || {
        let name = super::value::value_name(Some(STATUS_NAMES), status).unwrap_or("Unknown");
        format!("Checksum Status: {name}")
    });
    let mut info = String::new();
    let whole = if kind == 0x22 {
        report(d, msg, at, &mut info)
    } else {
        let Some(group) = bytes::array::<4>(msg, 4) else {
            d.end();
            d.set_info(|| TYPES_NAME(kind).to_string());
            super::truncated(d, ctx, data, at + 4, "IGMP");
            // tshark keeps the version in the Protocol column.
            d.set_protocol(column);
            return;
        };
        d.add(MADDR, at + 4, 4, Value::Ipv4(group));
        let g = ipv4_text(&group);
        match (kind, version) {
            (0x11, 1) | (0x12, _) => info.push_str(TYPES_NAME(kind)),
            (0x11, _) if group == [0; 4] => info.push_str("Membership Query, general"),
            (0x11, _) => info.push_str(&format!("Membership Query, specific for group {g}")),
            // A zero group reads "general" in every version 2 message, as tshark
            // writes it (a Leave from 0.0.0.0 to 224.0.0.2 in a VoIP trace).
            (0x16, _) if group == [0; 4] => info.push_str("Membership Report, general"),
            (0x16, _) => info.push_str(&format!("Membership Report group {g}")),
            _ if group == [0; 4] => info.push_str("Leave Group, general"),
            _ => info.push_str(&format!("Leave Group {g}")),
        }
        if version == 3 {
            query_v3(d, msg, at, &mut info)
        } else {
            true
        }
    };
    d.end();
    d.set_info(|| info);
    if !whole {
        super::truncated(d, ctx, data, at + msg.len(), "IGMP");
        d.set_protocol(column);
    }
}

#[allow(non_snake_case)]
fn TYPES_NAME(kind: u8) -> &'static str {
    super::value::value_name(Some(TYPES), u64::from(kind)).unwrap_or("Unknown")
}

/// The version 3 query's fields after the group; false when cut.
fn query_v3<'a>(d: &mut Dissection<'a>, msg: &'a [u8], at: usize, info: &mut String) -> bool {
    let (Some(flags), Some(qqic), Some(num)) = (
        bytes::u8_at(msg, 8),
        bytes::u8_at(msg, 9),
        bytes::be_u16(msg, 10),
    ) else {
        return false;
    };
    let suppress = flags & 0x08 != 0;
    d.add_labeled(S, at + 8, 1, Value::Bool(suppress), || {
        if suppress {
            ".... 1... = S: SUPPRESS router side processing".to_string()
        } else {
            ".... 0... = S: Do not suppress router side processing".to_string()
        }
    });
    d.add(QRV, at + 8, 1, Value::UInt(u64::from(flags & 0x07)));
    d.add(QQIC, at + 9, 1, Value::UInt(u64::from(qqic)));
    d.add(NUM_SRC, at + 10, 2, Value::UInt(u64::from(num)));
    let (srcs, whole) = sources(msg, 12, usize::from(num));
    for (i, s) in srcs.iter().enumerate() {
        d.add(SADDR, at + 12 + 4 * i, 4, Value::Ipv4(*s));
    }
    if num > 0 {
        info.push_str(", sources {");
        info.push_str(&join(&srcs));
        if whole {
            info.push('}');
        } else if !srcs.is_empty() {
            info.push_str(", ");
        }
    }
    whole
}

/// The version 3 report's group records; false when cut.
fn report<'a>(d: &mut Dissection<'a>, msg: &'a [u8], at: usize, info: &mut String) -> bool {
    info.push_str("Membership Report");
    let (Some(reserved), Some(count)) = (bytes::slice(msg, 4, 2), bytes::be_u16(msg, 6)) else {
        return false;
    };
    d.add(RESERVED, at + 4, 2, Value::Bytes(reserved.into()));
    d.add(NUM_GRP_RECS, at + 6, 2, Value::UInt(u64::from(count)));
    if count == 0 {
        info.push_str(" - General query");
    }
    let mut rel = 8usize;
    for _ in 0..count {
        let (Some(rtype), Some(aux), Some(num), Some(group)) = (
            bytes::u8_at(msg, rel),
            bytes::u8_at(msg, rel + 1),
            bytes::be_u16(msg, rel + 2),
            bytes::array::<4>(msg, rel + 4),
        ) else {
            return false;
        };
        let num = usize::from(num);
        let len = 8 + 4 * num + 4 * usize::from(aux);
        let name = super::value::value_name(Some(RECORD_TYPES), u64::from(rtype));
        let g = ipv4_text(&group);
        let node = d.text(at + rel, len.min(msg.len().saturating_sub(rel)), || {
            format!("Group Record : {g}  {}", name.unwrap_or(""))
        });
        d.begin(node);
        d.add_labeled(
            RECORD_TYPE,
            at + rel,
            1,
            Value::UInt(u64::from(rtype)),
            || format!("Record Type: {} ({rtype})", name.unwrap_or("Unknown")),
        );
        d.add(AUX_DATA_LEN, at + rel + 1, 1, Value::UInt(u64::from(aux)));
        d.add(NUM_SRC, at + rel + 2, 2, Value::UInt(num as u64));
        d.add(MADDR, at + rel + 4, 4, Value::Ipv4(group));
        let (srcs, whole) = sources(msg, rel + 8, num);
        for (i, s) in srcs.iter().enumerate() {
            d.add(SADDR, at + rel + 8 + 4 * i, 4, Value::Ipv4(*s));
        }
        let list = join(&srcs);
        info.push_str(&match (rtype, num) {
            (1 | 3, 0) => format!(" / Leave group {g}"),
            (1 | 3, _) => format!(" / Join group {g} for source {{{list}}}"),
            (2 | 4, 0) => format!(" / Join group {g} for any sources"),
            (2 | 4, _) => format!(" / Join group {g}, for source not {{{list}}}"),
            (5, 0) => format!(" / Group {g}, ALLOW_NEW_SOURCES but no source specified (?)"),
            (5, _) => format!(" / Group {g}, new sources {{{list}}}"),
            (6, 0) => format!(" / Group {g}, BLOCK_OLD_SOURCES but no source specified (?)"),
            (6, _) => format!(" / Group {g}, block source {{{list}}}"),
            _ => format!(" / Group {g}, unknown record type (?)"),
        });
        if !whole {
            d.end();
            return false;
        }
        let aux_at = rel + 8 + 4 * num;
        if aux > 0 {
            let Some(a) = bytes::slice(msg, aux_at, 4 * usize::from(aux)) else {
                d.end();
                return false;
            };
            d.add(AUX_DATA, at + aux_at, a.len(), Value::Bytes(a.into()));
        }
        d.end();
        rel += len;
    }
    true
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, values, with_frame, with_truncated};

    /// IGMP_V2.pcap frames 1, 5 and 6: a general query, a leave and a group query.
    #[test]
    fn version_2() {
        with_frame("igmp_v2.pcap", 1, |d| {
            assert_eq!(d.columns.protocol, "IGMPv2");
            assert_eq!(field(d, "igmp.version"), "2");
            assert_eq!(field(d, "igmp.max_resp"), "100");
            assert_eq!(field(d, "igmp.checksum.status"), "1");
            assert_eq!(d.columns.info, "Membership Query, general");
        });
        with_frame("igmp_v2.pcap", 5, |d| {
            assert_eq!(d.columns.info, "Leave Group 225.1.1.3");
        });
        with_frame("igmp_v2.pcap", 6, |d| {
            assert_eq!(
                d.columns.info,
                "Membership Query, specific for group 225.1.1.3"
            );
        });
    }

    /// igmpv3-queries.pcap frame 1: a version 3 general query.
    #[test]
    fn version_3_query() {
        with_frame("igmpv3-queries.pcap", 1, |d| {
            assert_eq!(d.columns.protocol, "IGMPv3");
            assert_eq!(field(d, "igmp.qrv"), "2");
            assert_eq!(field(d, "igmp.qqic"), "125");
            assert_eq!(values(d, "igmp.num_src"), vec!["0".to_string()]);
            assert_eq!(d.columns.info, "Membership Query, general");
        });
    }

    #[test]
    fn cut_before_the_group() {
        with_truncated("igmp_v2.pcap", 2, 42, |d| {
            assert_eq!(field(d, "igmp.type"), "0x16");
            assert_eq!(field(d, "igmp.maddr"), "");
        });
    }
}
