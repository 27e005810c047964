//! TCP (RFC 9293): every header field, the 12 flag bits, the options, the checksum,
//! and what the load-time analysis says about the segment (relative numbers, stream,
//! tshark's analysis flags), then the hand-off of the payload to HTTP, TLS or DNS.

use super::context::{PacketContext, TcpFrameInfo, TcpSegment, flag};
use super::field::Base;
use super::field::kinds::*;
use super::ipv4::NetInfo;
use super::tree::{Dissection, Expert, Severity};
use super::value::Value;
use super::{apps, teach};
use crate::bytes;

const CHECKSUM_STATUS: &[(u64, &str)] = &[(0, "Bad"), (1, "Good"), (2, "Unverified")];
const OPTION_KINDS: &[(u64, &str)] = &[
    (0, "End of Option List (EOL)"),
    (1, "No-Operation (NOP)"),
    (2, "Maximum Segment Size"),
    (3, "Window Scale"),
    (4, "SACK Permitted"),
    (5, "SACK"),
    (8, "Time Stamp Option"),
    (19, "MD5 signature"),
    (28, "User Timeout"),
    (29, "TCP Authentication Option"),
    (30, "Multipath TCP"),
    (34, "TCP Fast Open Cookie"),
    (253, "RFC3692-style Experiment 1"),
    (254, "RFC3692-style Experiment 2"),
];
const COMPLETENESS: &[(u64, &str)] = &[];

crate::define_fields! { after super::udp::END;
    TCP = "tcp", "Transmission Control Protocol", PROTO;
    SRCPORT = "tcp.srcport", "Source Port", dec(16);
    DSTPORT = "tcp.dstport", "Destination Port", dec(16);
    PORT = "tcp.port", "Source or Destination Port", dec(16);
    STREAM = "tcp.stream", "Stream index", dec(32);
    COMPLETENESS_FIELD = "tcp.completeness", "Conversation completeness", dec_named(8, COMPLETENESS);
    LEN = "tcp.len", "TCP Segment Len", dec(32);
    SEQ = "tcp.seq", "Sequence Number", dec(32);
    SEQ_RAW = "tcp.seq_raw", "Sequence Number (raw)", dec(32);
    NXTSEQ = "tcp.nxtseq", "Next Sequence Number", dec(32);
    ACK = "tcp.ack", "Acknowledgment Number", dec(32);
    ACK_RAW = "tcp.ack_raw", "Acknowledgment number (raw)", dec(32);
    HDR_LEN = "tcp.hdr_len", "Header Length", dec(8);
    FLAGS = "tcp.flags", "Flags", uint(16, Base::Hex, 0x0fff, None);
    FLAGS_RES = "tcp.flags.res", "Reserved", flag(12, 0x0e00);
    FLAGS_AE = "tcp.flags.ae", "Accurate ECN", flag(12, 0x0100);
    FLAGS_CWR = "tcp.flags.cwr", "Congestion Window Reduced", flag(12, 0x0080);
    FLAGS_ECE = "tcp.flags.ece", "ECN-Echo", flag(12, 0x0040);
    FLAGS_URG = "tcp.flags.urg", "Urgent", flag(12, 0x0020);
    FLAGS_ACK = "tcp.flags.ack", "Acknowledgment", flag(12, 0x0010);
    FLAGS_PUSH = "tcp.flags.push", "Push", flag(12, 0x0008);
    FLAGS_RESET = "tcp.flags.reset", "Reset", flag(12, 0x0004);
    FLAGS_SYN = "tcp.flags.syn", "Syn", flag(12, 0x0002);
    FLAGS_FIN = "tcp.flags.fin", "Fin", flag(12, 0x0001);
    FLAGS_STR = "tcp.flags.str", "TCP Flags", STR;
    WINDOW_SIZE_VALUE = "tcp.window_size_value", "Window", dec(16);
    WINDOW_SIZE = "tcp.window_size", "Calculated window size", dec(32);
    WINDOW_SIZE_SCALEFACTOR = "tcp.window_size_scalefactor", "Window size scaling factor", int(32);
    CHECKSUM = "tcp.checksum", "Checksum", hex(16);
    CHECKSUM_CALCULATED = "tcp.checksum_calculated", "Calculated Checksum", hex(16);
    CHECKSUM_STATUS_FIELD = "tcp.checksum.status", "Checksum Status", dec_named(8, CHECKSUM_STATUS);
    URGENT_POINTER = "tcp.urgent_pointer", "Urgent Pointer", dec(16);
    OPTIONS = "tcp.options", "Options", BYTES;
    OPTION_KIND = "tcp.option_kind", "Kind", dec_named(8, OPTION_KINDS);
    OPTION_LEN = "tcp.option_len", "Length", dec(8);
    OPT_NOP = "tcp.options.nop", "TCP Option - No-Operation (NOP)", BYTES;
    OPT_EOL = "tcp.options.eol", "TCP Option - End of Option List (EOL)", BYTES;
    OPT_MSS = "tcp.options.mss", "TCP Option - Maximum segment size", BYTES;
    OPT_MSS_VAL = "tcp.options.mss_val", "MSS Value", dec(16);
    OPT_WSCALE = "tcp.options.wscale", "TCP Option - Window scale", BYTES;
    OPT_WSCALE_SHIFT = "tcp.options.wscale.shift", "Shift count", dec(8);
    OPT_WSCALE_MULTIPLIER = "tcp.options.wscale.multiplier", "Multiplier", dec(16);
    OPT_SACK_PERM = "tcp.options.sack_perm", "TCP Option - SACK permitted", BYTES;
    OPT_SACK = "tcp.options.sack", "TCP Option - SACK", BYTES;
    OPT_SACK_LE = "tcp.options.sack_le", "left edge", dec(32);
    OPT_SACK_RE = "tcp.options.sack_re", "right edge", dec(32);
    OPT_SACK_COUNT = "tcp.options.sack.count", "TCP SACK Count", dec(8);
    OPT_SACK_DSACK = "tcp.options.sack.dsack", "D-SACK Sequence", NONE;
    OPT_TIMESTAMP = "tcp.options.timestamp", "TCP Option - Timestamps", BYTES;
    OPT_TSVAL = "tcp.options.timestamp.tsval", "Timestamp value", dec(32);
    OPT_TSECR = "tcp.options.timestamp.tsecr", "Timestamp echo reply", dec(32);
    OPT_UNKNOWN = "tcp.options.unknown", "TCP Option - Unknown", BYTES;
    OPT_UNKNOWN_PAYLOAD = "tcp.options.unknown.payload", "Payload", BYTES;
    ANALYSIS = "tcp.analysis", "SEQ/ACK analysis", NONE;
    ACKS_FRAME = "tcp.analysis.acks_frame", "This is an ACK to the segment in frame", FRAME;
    ACK_RTT = "tcp.analysis.ack_rtt", "The RTT to ACK the segment was", REL_TIME;
    INITIAL_RTT = "tcp.analysis.initial_rtt", "iRTT", REL_TIME;
    BYTES_IN_FLIGHT = "tcp.analysis.bytes_in_flight", "Bytes in flight", dec(32);
    PUSH_BYTES_SENT = "tcp.analysis.push_bytes_sent", "Bytes sent since last PSH flag", dec(32);
    ANALYSIS_FLAGS = "tcp.analysis.flags", "TCP Analysis Flags", NONE;
    REUSED_PORTS = "tcp.analysis.reused_ports", "TCP Port numbers reused", NONE;
    RETRANSMISSION = "tcp.analysis.retransmission", "Retransmission", NONE;
    RTO = "tcp.analysis.rto", "The RTO for this segment was", REL_TIME;
    RTO_FRAME = "tcp.analysis.rto_frame", "RTO based on delta from frame", FRAME;
    SPURIOUS_RETRANSMISSION = "tcp.analysis.spurious_retransmission", "Spurious retransmission", NONE;
    FAST_RETRANSMISSION = "tcp.analysis.fast_retransmission", "Fast retransmission", NONE;
    OUT_OF_ORDER = "tcp.analysis.out_of_order", "Out-Of-Order segment", NONE;
    LOST_SEGMENT = "tcp.analysis.lost_segment", "Previous segment not captured", NONE;
    ACK_LOST_SEGMENT = "tcp.analysis.ack_lost_segment", "ACKed unseen segment", NONE;
    WINDOW_UPDATE = "tcp.analysis.window_update", "Window update", NONE;
    WINDOW_FULL = "tcp.analysis.window_full", "Window full", NONE;
    KEEP_ALIVE = "tcp.analysis.keep_alive", "Keep-Alive", NONE;
    KEEP_ALIVE_ACK = "tcp.analysis.keep_alive_ack", "Keep-Alive ACK", NONE;
    DUPLICATE_ACK = "tcp.analysis.duplicate_ack", "Duplicate ACK", NONE;
    DUPLICATE_ACK_NUM = "tcp.analysis.duplicate_ack_num", "Duplicate ACK #", dec(32);
    DUPLICATE_ACK_FRAME = "tcp.analysis.duplicate_ack_frame", "Duplicate to the ACK in frame", FRAME;
    ZERO_WINDOW_PROBE = "tcp.analysis.zero_window_probe", "Zero Window Probe", NONE;
    ZERO_WINDOW = "tcp.analysis.zero_window", "Zero Window", NONE;
    ZERO_WINDOW_PROBE_ACK = "tcp.analysis.zero_window_probe_ack", "Zero Window Probe Ack", NONE;
    TIMESTAMPS = "tcp.timestamps", "Timestamps", NONE;
    TIME_RELATIVE = "tcp.time_relative", "Time since first frame in this TCP stream", REL_TIME;
    TIME_DELTA = "tcp.time_delta", "Time since previous frame in this TCP stream", REL_TIME;
    PAYLOAD = "tcp.payload", "TCP payload", BYTES;
    SEGMENT_DATA = "tcp.segment_data", "TCP segment data", BYTES;
    SEGMENTS = "tcp.segments", "Reassembled TCP Segments", PROTO;
    SEGMENT = "tcp.segment", "TCP Segment", FRAME;
    SEGMENT_COUNT = "tcp.segment.count", "Segment count", dec(32);
    REASSEMBLED_LENGTH = "tcp.reassembled.length", "Reassembled TCP length", dec(32);
    REASSEMBLED_DATA = "tcp.reassembled.data", "Reassembled TCP Data", BYTES;
    REASSEMBLED_IN = "tcp.reassembled_in", "Reassembled PDU in frame", FRAME;
    PDU_SIZE = "tcp.pdu.size", "PDU Size", dec(32);
    NON_ZERO_BYTES = "tcp.ack.nonzero", "Acknowledgment number: Broken TCP", NONE;
}

/// Flag bits in the order tshark names them ("[SYN, ACK]").
const FLAG_NAMES: [(u16, &str); 9] = [
    (0x001, "FIN"),
    (0x002, "SYN"),
    (0x004, "RST"),
    (0x008, "PSH"),
    (0x010, "ACK"),
    (0x020, "URG"),
    (0x040, "ECE"),
    (0x080, "CWR"),
    (0x100, "AE"),
];

/// TCP flag bits.
pub mod bits {
    /// FIN.
    pub const FIN: u16 = 0x001;
    /// SYN.
    pub const SYN: u16 = 0x002;
    /// RST.
    pub const RST: u16 = 0x004;
    /// PSH.
    pub const PSH: u16 = 0x008;
    /// ACK.
    pub const ACK: u16 = 0x010;
    /// URG.
    pub const URG: u16 = 0x020;
}

/// The flag names joined as tshark writes them: `SYN, ACK` (`<None>` when none).
pub fn flag_names(flags: u16) -> String {
    let names: Vec<&str> = FLAG_NAMES
        .iter()
        .filter(|(bit, _)| flags & bit != 0)
        .map(|(_, n)| *n)
        .collect();
    if flags & 0x0e00 != 0 {
        let mut all = names;
        all.push("Reserved");
        return all.join(", ");
    }
    if names.is_empty() {
        "<None>".to_string()
    } else {
        names.join(", ")
    }
}

/// `tcp.flags.str`: twelve characters, a letter per set flag, `·` otherwise.
pub fn flag_string(flags: u16) -> String {
    const LETTERS: [char; 12] = ['R', 'R', 'R', 'A', 'C', 'E', 'U', 'A', 'P', 'R', 'S', 'F'];
    LETTERS
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if flags & (1 << (11 - i)) != 0 {
                *c
            } else {
                '\u{b7}'
            }
        })
        .collect()
}

/// Options parsed for the analysis (window scale, SACK) and the Info column.
#[derive(Debug, Default)]
struct OptionSummary {
    wscale: Option<u8>,
    sack_bytes: u32,
}

/// Parses the option list enough for the analysis without building fields.
fn option_summary(options: &[u8]) -> OptionSummary {
    let mut out = OptionSummary::default();
    let mut pos = 0usize;
    while let Some(kind) = bytes::u8_at(options, pos) {
        match kind {
            0 => break,
            1 => pos += 1,
            _ => {
                let Some(len) = bytes::u8_at(options, pos + 1).map(usize::from) else {
                    break;
                };
                if len < 2 || pos + len > options.len() {
                    break;
                }
                if kind == 3 && len == 3 {
                    out.wscale = bytes::u8_at(options, pos + 2);
                }
                if kind == 5 && len >= 10 {
                    let mut at = pos + 2;
                    while at + 8 <= pos + len {
                        let le = bytes::be_u32(options, at).unwrap_or(0);
                        let re = bytes::be_u32(options, at + 4).unwrap_or(0);
                        out.sack_bytes = out.sack_bytes.wrapping_add(re.wrapping_sub(le));
                        at += 8;
                    }
                }
                pos += len;
            }
        }
    }
    out
}

/// Dissects a TCP segment.
pub fn dissect<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, data: &'a [u8], net: &NetInfo) {
    let at = net.payload_offset;
    if bytes::slice(data, at, 20).is_none() {
        super::truncated(d, ctx, data, at, "TCP");
        return;
    }
    let sport = bytes::be_u16(data, at).unwrap_or(0);
    let dport = bytes::be_u16(data, at + 2).unwrap_or(0);
    let seq = bytes::be_u32(data, at + 4).unwrap_or(0);
    let ack = bytes::be_u32(data, at + 8).unwrap_or(0);
    let off_flags = bytes::be_u16(data, at + 12).unwrap_or(0);
    let window = bytes::be_u16(data, at + 14).unwrap_or(0);
    let sum = bytes::be_u16(data, at + 16).unwrap_or(0);
    let urgent = bytes::be_u16(data, at + 18).unwrap_or(0);
    let hdr_len = usize::from(off_flags >> 12) * 4;
    let flags = off_flags & 0x0fff;
    let short_segment = net.payload_len < hdr_len || hdr_len < 20;
    let seglen = net.payload_len.saturating_sub(hdr_len);
    let options_bytes = if hdr_len > 20 {
        bytes::slice(data, at + 20, hdr_len - 20).unwrap_or_else(|| bytes::tail(data, at + 20))
    } else {
        &[]
    };
    let summary = option_summary(options_bytes);
    let payload_at = at + hdr_len;
    let payload = if short_segment {
        &[][..]
    } else {
        bytes::slice(data, payload_at, seglen).unwrap_or_else(|| bytes::tail(data, payload_at))
    };
    let segment = TcpSegment {
        src: net.src,
        dst: net.dst,
        src_port: sport,
        dst_port: dport,
        seq,
        ack,
        flags,
        window,
        seglen: u32::try_from(seglen).unwrap_or(u32::MAX),
        hdr_len: hdr_len as u32,
        wscale: summary.wscale,
        sack_bytes: summary.sack_bytes,
        payload,
        ts_nanos: ctx.record.ts_nanos,
    };
    let info: Option<TcpFrameInfo> = if d.in_error || short_segment || net.fragment {
        None
    } else {
        ctx.analysis.and_then(|a| a.tcp(ctx.number, &segment))
    };
    let has_ack = flags & bits::ACK != 0;
    let rel_seq = info.as_ref().map_or(seq, |i| seq.wrapping_sub(i.seq_base));
    let rel_ack = match (&info, has_ack) {
        (
            Some(TcpFrameInfo {
                ack_base: Some(base),
                ..
            }),
            true,
        ) => ack.wrapping_sub(*base),
        _ => ack,
    };
    let syn_fin = u32::from(flags & (bits::SYN | bits::FIN) != 0);
    let nxtseq = rel_seq.wrapping_add(seglen as u32).wrapping_add(syn_fin);

    let item = d.add_labeled(TCP, at, hdr_len.max(20), Value::None, || {
        let mut label = format!(
            "Transmission Control Protocol, Src Port: {sport}, Dst Port: {dport}, Seq: {rel_seq}"
        );
        if has_ack {
            label.push_str(&format!(", Ack: {rel_ack}"));
        }
        label.push_str(&format!(", Len: {seglen}"));
        label
    });
    d.push_layer("tcp");
    d.set_protocol("TCP");
    let keeps = d.keeps_fields_of(TCP);
    let relative = info.is_some();
    if keeps {
        d.begin(item);
    }
    // Each run of fields is skipped whole when a filter reads none of it.
    if keeps && d.wants_any(SRCPORT.0, NXTSEQ.0 + 1) {
        d.add(SRCPORT, at, 2, Value::UInt(u64::from(sport)));
        d.add(DSTPORT, at + 2, 2, Value::UInt(u64::from(dport)));
        d.add_hidden(PORT, at, 2, Value::UInt(u64::from(sport)));
        d.add_hidden(PORT, at + 2, 2, Value::UInt(u64::from(dport)));
        if let Some(i) = &info {
            d.add_generated(STREAM, 0, 0, Value::UInt(u64::from(i.stream)));
            let c = i.completeness;
            d.add_generated_labeled(COMPLETENESS_FIELD, Value::UInt(u64::from(c)), || {
                format!("Conversation completeness: {} ({c})", completeness_text(c))
            });
        }
        d.add_generated(LEN, 0, 0, Value::UInt(seglen as u64));
        d.add_labeled(SEQ, at + 4, 4, Value::UInt(u64::from(rel_seq)), || {
            if relative {
                format!("Sequence Number: {rel_seq}    (relative sequence number)")
            } else {
                format!("Sequence Number: {rel_seq}")
            }
        });
        d.add(SEQ_RAW, at + 4, 4, Value::UInt(u64::from(seq)));
        if !short_segment {
            d.add_generated_labeled(NXTSEQ, Value::UInt(u64::from(nxtseq)), || {
                if relative {
                    format!("Next Sequence Number: {nxtseq}    (relative sequence number)")
                } else {
                    format!("Next Sequence Number: {nxtseq}")
                }
            });
        }
    }
    let ack_relative = relative && has_ack;
    let ack_item = if keeps && d.wants_any(ACK.0, ACK_RAW.0 + 1) {
        let item = d.add_labeled(ACK, at + 8, 4, Value::UInt(u64::from(rel_ack)), || {
            if ack_relative {
                format!("Acknowledgment Number: {rel_ack}    (relative ack number)")
            } else {
                format!("Acknowledgment Number: {rel_ack}")
            }
        });
        d.add(ACK_RAW, at + 8, 4, Value::UInt(u64::from(ack)));
        item
    } else {
        usize::MAX
    };
    if !has_ack && ack != 0 {
        d.expert(
            ack_item,
            Expert {
                severity: Severity::Note,
                group: "Protocol",
                protocol: "TCP",
                message: std::borrow::Cow::Borrowed(
                    "The acknowledgment number field is nonzero while the ACK flag is not set",
                ),
            },
        );
    }
    if keeps && d.wants(HDR_LEN) {
        let nibble = off_flags >> 12;
        d.add_labeled(HDR_LEN, at + 12, 1, Value::UInt(hdr_len as u64), || {
            format!(
                "{} = Header Length: {hdr_len} bytes ({nibble})",
                super::value::bit_chart(8, 0xf0, u64::from(nibble))
            )
        });
    }
    if hdr_len < 20 {
        d.end_all();
        super::expert_malformed(
            d,
            at + 12,
            1,
            "TCP",
            format!("Bogus TCP header length ({hdr_len}, must be at least 20)"),
        );
        d.set_info(|| {
            format!(
                "{sport} → {dport} [{}] Bogus TCP header length ({hdr_len}, must be at least 20)",
                flag_names(flags)
            )
        });
        return;
    }
    flags_tree(d, ctx, at, flags, &info, sport, dport);
    let win_calc: i64 = match (&info, flags & bits::SYN != 0) {
        (Some(i), false) if i.window_shift >= 0 => i64::from(window) << i.window_shift,
        _ => i64::from(window),
    };
    if keeps && d.wants_any(WINDOW_SIZE_VALUE.0, URGENT_POINTER.0 + 1) {
        d.add(
            WINDOW_SIZE_VALUE,
            at + 14,
            2,
            Value::UInt(u64::from(window)),
        );
        if info.is_some() {
            d.add_generated(WINDOW_SIZE, at + 14, 2, Value::UInt(win_calc as u64));
            if flags & bits::SYN == 0 {
                let factor: i64 = match info.as_ref().map_or(-1, |i| i.window_shift) {
                    s if s >= 0 => 1i64 << s,
                    s => i64::from(s),
                };
                d.add_generated(WINDOW_SIZE_SCALEFACTOR, at + 14, 2, Value::Int(factor));
            }
        } else {
            d.add_generated(WINDOW_SIZE, at + 14, 2, Value::UInt(u64::from(window)));
        }
        d.add_labeled(CHECKSUM, at + 16, 2, Value::UInt(u64::from(sum)), || {
            format!("Checksum: 0x{sum:04x} [unverified]")
        });
        d.add_generated(CHECKSUM_STATUS_FIELD, at + 16, 2, Value::UInt(2));
        d.add(URGENT_POINTER, at + 18, 2, Value::UInt(u64::from(urgent)));
    }
    let mut option_info = String::new();
    // Without TCP fields or columns the options only matter for the D-SACK expert item.
    let wants_options = keeps && d.wants_any(OPTIONS.0, OPT_UNKNOWN_PAYLOAD.0 + 1);
    if !options_bytes.is_empty() && (wants_options || d.columns_on()) {
        options_tree(
            d,
            options_bytes,
            at + 20,
            &info,
            ack,
            &mut option_info,
            flags,
        );
    } else if !options_bytes.is_empty() && info.is_some() && d.wants_experts() {
        // Only the D-SACK expert item is wanted: no option items to build.
        for (kind, body) in walk_options(options_bytes) {
            if kind == 5 && is_dsack(body, flags, ack) {
                d.expert(usize::MAX, dsack_expert());
            }
        }
    }
    if flags & bits::SYN != 0 && !options_bytes.is_empty() && !has_option(options_bytes, 2) {
        d.expert(
            usize::MAX,
            Expert {
                severity: Severity::Note,
                group: "Protocol",
                protocol: "TCP",
                message: std::borrow::Cow::Borrowed("The SYN packet does not contain a MSS option"),
            },
        );
    }
    if let Some(i) = &info {
        if keeps && d.wants_any(TIMESTAMPS.0, TIME_DELTA.0 + 1) {
            let ts = d.add_generated_labeled(TIMESTAMPS, Value::None, || "Timestamps".into());
            d.begin(ts);
            d.add_generated(TIME_RELATIVE, 0, 0, Value::Time(i.time_relative_nanos));
            d.add_generated(TIME_DELTA, 0, 0, Value::Time(i.time_delta_nanos));
            d.end();
        }
        // Its expert items count even when no field is kept.
        if d.wants_experts() || keeps && d.wants_any(ANALYSIS.0, ZERO_WINDOW_PROBE_ACK.0 + 1) {
            analysis_tree(d, i, ctx);
        }
        teach::dissect(d, ctx, &segment);
    }
    if keeps {
        if !payload.is_empty() {
            d.add_labeled(
                PAYLOAD,
                payload_at,
                payload.len(),
                Value::Bytes(payload.into()),
                || format!("TCP payload ({} bytes)", payload.len()),
            );
        }
        d.end();
    }

    let win_shown = win_calc;
    d.set_info(|| {
        let mut text = format!("{sport} → {dport} [{}] Seq={rel_seq}", flag_names(flags));
        if has_ack {
            text.push_str(&format!(" Ack={rel_ack}"));
        }
        text.push_str(&format!(" Win={win_shown}"));
        if flags & bits::URG != 0 {
            text.push_str(&format!(" Urg={urgent}"));
        }
        text.push_str(&format!(" Len={seglen}"));
        text.push_str(&option_info);
        text
    });
    if let Some(i) = &info {
        analysis_info_prefixes(d, i);
    }
    if seglen > 0 && !short_segment && payload_matters(d) {
        apps::tcp_payload(
            d,
            ctx,
            data,
            payload_at,
            payload,
            net,
            info.as_ref(),
            sport,
            dport,
        );
    }
}

/// The options of kind 2 and up with a valid length, as (kind, bytes after the kind
/// and length), in order; the walk stops where [`options_tree`] stops (an
/// end-of-list option, a missing or bogus length).
fn walk_options(options: &[u8]) -> impl Iterator<Item = (u8, &[u8])> {
    let mut pos = 0usize;
    std::iter::from_fn(move || {
        loop {
            let kind = bytes::u8_at(options, pos)?;
            match kind {
                0 => return None,
                1 => pos += 1,
                _ => {
                    let len = usize::from(bytes::u8_at(options, pos + 1)?);
                    let body = bytes::slice(options, pos, len)
                        .filter(|_| len >= 2)?
                        .get(2..)?;
                    pos += len;
                    return Some((kind, body));
                }
            }
        }
    })
}

/// RFC 2883: whether a SACK option (its blocks, `body`) reports a duplicate
/// segment: its first block at or below the cumulative ACK, or inside the second.
fn is_dsack(body: &[u8], flags: u16, ack_raw: u32) -> bool {
    let block = |i: usize| Some((bytes::be_u32(body, i * 8)?, bytes::be_u32(body, i * 8 + 4)?));
    let Some((le, re)) = block(0) else {
        return false;
    };
    let below_ack = flags & bits::ACK != 0 && (ack_raw.wrapping_sub(re) as i32) >= 0;
    let inside_second = block(1).is_some_and(|(le2, re2)| {
        (le.wrapping_sub(le2) as i32) >= 0 && (re2.wrapping_sub(re) as i32) >= 0
    });
    below_ack || inside_second
}

fn dsack_expert() -> Expert {
    Expert {
        severity: Severity::Warning,
        group: "Sequence",
        protocol: "TCP",
        message: std::borrow::Cow::Borrowed("D-SACK Sequence"),
    }
}

/// Whether the options hold one of kind `wanted` (2: MSS, 5: SACK), walking them as
/// `options_tree` does.
fn has_option(options: &[u8], wanted: u8) -> bool {
    let mut pos = 0usize;
    while let Some(kind) = bytes::u8_at(options, pos) {
        match kind {
            0 => return false,
            1 => pos += 1,
            k if k == wanted => return true,
            _ => match bytes::u8_at(options, pos + 1) {
                Some(len) if len >= 2 => pos += usize::from(len),
                _ => return false,
            },
        }
    }
    false
}

/// Wireshark's text for a completeness value, e.g. `Complete, WITH_DATA`.
pub fn completeness_text(c: u8) -> String {
    if c & 0x1f == 0x1f || c & 0x2f == 0x2f {
        let mut s = String::from("Complete, ");
        s.push_str(if c & 8 != 0 { "WITH_DATA" } else { "NO_DATA" });
        return s;
    }
    let mut parts = vec!["Incomplete"];
    for (bit, name) in [
        (1, "SYN_SENT"),
        (2, "CLIENT_ESTABLISHED"),
        (4, "ESTABLISHED"),
        (8, "DATA"),
        (16, "FIN"),
        (32, "RST"),
    ] {
        if c & bit != 0 {
            parts.push(name);
        }
    }
    if c == 0 {
        return "Incomplete".into();
    }
    let first = parts.remove(0);
    format!("{first}, {}", parts.join(", "))
}

fn flags_tree<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    at: usize,
    flags: u16,
    info: &Option<TcpFrameInfo>,
    _sport: u16,
    dport: u16,
) {
    // Without kept TCP fields only the expert items below are wanted; the items they
    // would attach to are then all usize::MAX.
    let keeps = d.keeps_fields_of(TCP) && d.wants_any(FLAGS.0, FLAGS_STR.0 + 1);
    if !keeps && !d.wants_experts() {
        return;
    }
    let at = at + 12;
    if keeps {
        let item = d.add_labeled(FLAGS, at, 2, Value::UInt(u64::from(flags)), || {
            format!("Flags: 0x{flags:03x} ({})", flag_names(flags))
        });
        d.begin(item);
        d.add(FLAGS_RES, at, 2, Value::Bool(flags & 0x0e00 != 0));
        d.add(FLAGS_AE, at, 2, Value::Bool(flags & 0x0100 != 0));
        d.add(FLAGS_CWR, at, 2, Value::Bool(flags & 0x0080 != 0));
        d.add(FLAGS_ECE, at, 2, Value::Bool(flags & 0x0040 != 0));
        d.add(FLAGS_URG, at, 2, Value::Bool(flags & 0x0020 != 0));
        d.add(FLAGS_ACK, at, 2, Value::Bool(flags & 0x0010 != 0));
        d.add(FLAGS_PUSH, at, 2, Value::Bool(flags & 0x0008 != 0));
    }
    let rst = d.add(FLAGS_RESET, at, 2, Value::Bool(flags & 0x0004 != 0));
    if flags & bits::RST != 0 {
        d.expert(
            rst,
            Expert {
                severity: Severity::Warning,
                group: "Sequence",
                protocol: "TCP",
                message: std::borrow::Cow::Borrowed("Connection reset (RST)"),
            },
        );
    }
    let syn = d.add(FLAGS_SYN, at, 2, Value::Bool(flags & 0x0002 != 0));
    if flags & bits::SYN != 0 {
        // tshark names the server port: the destination of a SYN, the source of a SYN+ACK.
        let server = info.as_ref().and_then(|i| i.server_port);
        let (message, port) = if flags & bits::ACK != 0 {
            (
                "Connection establish acknowledge (SYN+ACK): server port",
                server.unwrap_or(_sport),
            )
        } else {
            (
                "Connection establish request (SYN): server port",
                server.unwrap_or(dport),
            )
        };
        d.expert(
            syn,
            Expert {
                severity: Severity::Chat,
                group: "Sequence",
                protocol: "TCP",
                message: std::borrow::Cow::Owned({
                    let mut text = String::with_capacity(message.len() + 6);
                    text.push_str(message);
                    text.push(' ');
                    super::value::push_decimal(&mut text, u64::from(port));
                    text
                }),
            },
        );
    }
    let fin = d.add(FLAGS_FIN, at, 2, Value::Bool(flags & 0x0001 != 0));
    if flags & bits::FIN != 0 {
        d.expert(
            fin,
            Expert {
                severity: Severity::Chat,
                group: "Sequence",
                protocol: "TCP",
                message: std::borrow::Cow::Borrowed("Connection finish (FIN)"),
            },
        );
        if let Some(i) = info {
            if i.flags & flag::FIRST_FIN != 0 {
                d.expert(
                    fin,
                    Expert {
                        severity: Severity::Note,
                        group: "Sequence",
                        protocol: "TCP",
                        message: std::borrow::Cow::Borrowed(
                            "This frame initiates the connection closing",
                        ),
                    },
                );
            }
            if i.flags & flag::SECOND_FIN != 0 {
                d.expert(
                    fin,
                    Expert {
                        severity: Severity::Note,
                        group: "Sequence",
                        protocol: "TCP",
                        message: std::borrow::Cow::Borrowed(
                            "This frame undergoes the connection closing",
                        ),
                    },
                );
            }
        }
    }
    let _ = ctx;
    if d.wants(FLAGS_STR) {
        d.add_generated_labeled(
            FLAGS_STR,
            Value::Str(flag_string(flags).into_bytes().into()),
            || format!("TCP Flags: {}", flag_string(flags)),
        );
    }
    if keeps {
        d.end();
    }
}

#[allow(clippy::too_many_arguments)]
fn options_tree<'a>(
    d: &mut Dissection<'a>,
    options: &'a [u8],
    start: usize,
    info: &Option<TcpFrameInfo>,
    ack_raw: u32,
    info_text: &mut String,
    flags: u16,
) {
    let columns = d.columns_on();
    let labels = d.labels();
    let mut names = Vec::new();
    let item = d.add(OPTIONS, start, options.len(), Value::Bytes(options.into()));
    d.begin(item);
    let mut pos = 0usize;
    let ack_base = info.as_ref().and_then(|i| i.ack_base);
    let mut first_sack_block: Option<(u32, u32)> = None;
    while let Some(kind) = bytes::u8_at(options, pos) {
        let at = start + pos;
        if kind == 0 || kind == 1 {
            let field = if kind == 0 { OPT_EOL } else { OPT_NOP };
            if labels {
                names.push(if kind == 0 {
                    "End of Option List (EOL)"
                } else {
                    "No-Operation (NOP)"
                });
            }
            let o = d.add(
                field,
                at,
                1,
                Value::Bytes(bytes::slice(options, pos, 1).unwrap_or(&[]).into()),
            );
            d.begin(o);
            d.add(OPTION_KIND, at, 1, Value::UInt(u64::from(kind)));
            d.end();
            pos += 1;
            if kind == 0 {
                break;
            }
            continue;
        }
        let Some(len) = bytes::u8_at(options, pos + 1).map(usize::from) else {
            d.text(at, 1, || "Option length missing".into());
            break;
        };
        if len < 2 || pos + len > options.len() {
            d.text(at, options.len() - pos, || {
                format!("Bogus option length {len}")
            });
            break;
        }
        let raw = bytes::slice(options, pos, len).unwrap_or(&[]);
        match kind {
            2 if len == 4 => {
                let mss = bytes::be_u16(options, pos + 2).unwrap_or(0);
                if labels {
                    names.push("Maximum segment size");
                }
                let o = d.add_labeled(OPT_MSS, at, len, Value::Bytes(raw.into()), || {
                    format!("TCP Option - Maximum segment size: {mss} bytes")
                });
                d.begin(o);
                d.add(OPTION_KIND, at, 1, Value::UInt(2));
                d.add(OPTION_LEN, at + 1, 1, Value::UInt(4));
                d.add(OPT_MSS_VAL, at + 2, 2, Value::UInt(u64::from(mss)));
                d.end();
                if columns {
                    info_text.push_str(&format!(" MSS={mss}"));
                }
            }
            3 if len == 3 => {
                let shift = bytes::u8_at(options, pos + 2).unwrap_or(0);
                let mult = 1u64 << shift.min(14);
                if labels {
                    names.push("Window scale");
                }
                let o = d.add_labeled(OPT_WSCALE, at, len, Value::Bytes(raw.into()), || {
                    format!("TCP Option - Window scale: {shift} (multiply by {mult})")
                });
                d.begin(o);
                d.add(OPTION_KIND, at, 1, Value::UInt(3));
                d.add(OPTION_LEN, at + 1, 1, Value::UInt(3));
                d.add(OPT_WSCALE_SHIFT, at + 2, 1, Value::UInt(u64::from(shift)));
                d.add_generated(OPT_WSCALE_MULTIPLIER, at + 2, 1, Value::UInt(mult));
                d.end();
                if columns {
                    info_text.push_str(&format!(" WS={mult}"));
                }
            }
            4 if len == 2 => {
                if labels {
                    names.push("SACK permitted");
                }
                let o = d.add(OPT_SACK_PERM, at, len, Value::Bytes(raw.into()));
                d.begin(o);
                d.add(OPTION_KIND, at, 1, Value::UInt(4));
                d.add(OPTION_LEN, at + 1, 1, Value::UInt(2));
                d.end();
                if columns {
                    info_text.push_str(" SACK_PERM");
                }
            }
            5 => {
                if labels {
                    names.push("SACK");
                }
                let count = (len - 2) / 8;
                let blocks: Vec<(usize, u32, u32)> = (0..count)
                    .map(|i| pos + 2 + i * 8)
                    .map(|p| {
                        let le = bytes::be_u32(options, p).unwrap_or(0);
                        let re = bytes::be_u32(options, p + 4).unwrap_or(0);
                        (p, le, re)
                    })
                    .collect();
                let rel = |v: u32| ack_base.map_or(v, |b| v.wrapping_sub(b));
                let o = d.add_labeled(OPT_SACK, at, len, Value::Bytes(raw.into()), || {
                    let parts: Vec<String> = blocks
                        .iter()
                        .map(|(_, le, re)| format!("{}-{}", rel(*le), rel(*re)))
                        .collect();
                    format!("TCP Option - SACK {}", parts.join(" "))
                });
                d.begin(o);
                d.add(OPTION_KIND, at, 1, Value::UInt(5));
                d.add(OPTION_LEN, at + 1, 1, Value::UInt(len as u64));
                for (p, le, re) in &blocks {
                    d.add(OPT_SACK_LE, start + p, 4, Value::UInt(u64::from(rel(*le))));
                    d.add(
                        OPT_SACK_RE,
                        start + p + 4,
                        4,
                        Value::UInt(u64::from(rel(*re))),
                    );
                    if columns {
                        info_text.push_str(&format!(" SLE={} SRE={}", rel(*le), rel(*re)));
                    }
                    if first_sack_block.is_none() {
                        first_sack_block = Some((*le, *re));
                    }
                }
                d.add_generated(OPT_SACK_COUNT, 0, 0, Value::UInt(count as u64));
                if info.is_some() && is_dsack(raw.get(2..).unwrap_or(&[]), flags, ack_raw) {
                    let ds = d.add_generated(OPT_SACK_DSACK, 0, 0, Value::None);
                    d.expert(ds, dsack_expert());
                }
                d.end();
            }
            8 if len == 10 => {
                let tsval = bytes::be_u32(options, pos + 2).unwrap_or(0);
                let tsecr = bytes::be_u32(options, pos + 6).unwrap_or(0);
                if labels {
                    names.push("Timestamps");
                }
                let o = d.add_labeled(OPT_TIMESTAMP, at, len, Value::Bytes(raw.into()), || {
                    format!("TCP Option - Timestamps: TSval {tsval}, TSecr {tsecr}")
                });
                d.begin(o);
                d.add(OPTION_KIND, at, 1, Value::UInt(8));
                d.add(OPTION_LEN, at + 1, 1, Value::UInt(10));
                d.add(OPT_TSVAL, at + 2, 4, Value::UInt(u64::from(tsval)));
                d.add(OPT_TSECR, at + 6, 4, Value::UInt(u64::from(tsecr)));
                d.end();
                if columns {
                    info_text.push_str(&format!(" TSval={tsval} TSecr={tsecr}"));
                }
            }
            _ => {
                let name = super::value::value_name(Some(OPTION_KINDS), u64::from(kind));
                if labels {
                    names.push(name.unwrap_or("Unknown"));
                }
                let o = d.add_labeled(
                    OPT_UNKNOWN,
                    at,
                    len,
                    Value::Bytes(raw.into()),
                    || match name {
                        Some(n) => format!("TCP Option - {n}"),
                        None => format!("TCP Option - Unknown (kind {kind}, {len} bytes)"),
                    },
                );
                d.begin(o);
                d.add(OPTION_KIND, at, 1, Value::UInt(u64::from(kind)));
                d.add(OPTION_LEN, at + 1, 1, Value::UInt(len as u64));
                let payload = bytes::slice(options, pos + 2, len - 2).unwrap_or(&[]);
                if !payload.is_empty() {
                    d.add(
                        OPT_UNKNOWN_PAYLOAD,
                        at + 2,
                        len - 2,
                        Value::Bytes(payload.into()),
                    );
                }
                d.end();
            }
        }
        pos += len;
    }
    d.end();
    let n = options.len();
    d.set_label(item, || {
        format!("Options: ({n} bytes), {}", names.join(", "))
    });
}

fn analysis_tree<'a>(d: &mut Dissection<'a>, i: &TcpFrameInfo, _ctx: &PacketContext<'_>) {
    if i.flags & flag::HAS_RECORD == 0 {
        return;
    }
    let item = d.add_generated_labeled(ANALYSIS, Value::None, || "SEQ/ACK analysis".into());
    d.begin(item);
    if let Some(frame) = i.acks_frame {
        d.add_generated(ACKS_FRAME, 0, 0, Value::Frame(frame));
        if let Some(rtt) = i.ack_rtt_nanos.filter(|r| *r != 0) {
            d.add_generated_labeled(ACK_RTT, Value::Time(rtt), || {
                format!(
                    "The RTT to ACK the segment was: {}",
                    super::frame::seconds_label(rtt)
                )
            });
        }
    }
    if let Some(irtt) = i.initial_rtt_nanos {
        d.add_generated_labeled(INITIAL_RTT, Value::Time(irtt), || {
            format!("iRTT: {}", super::frame::seconds_label(irtt))
        });
    }
    if let Some(bif) = i.bytes_in_flight {
        d.add_generated(BYTES_IN_FLIGHT, 0, 0, Value::UInt(u64::from(bif)));
        if let Some(push) = i.push_bytes_sent {
            d.add_generated(PUSH_BYTES_SENT, 0, 0, Value::UInt(u64::from(push)));
        }
    }
    let f = i.flags;
    if f & flag::ANY_ANALYSIS != 0 {
        let flags_item =
            d.add_generated_labeled(ANALYSIS_FLAGS, Value::None, || "TCP Analysis Flags".into());
        d.begin(flags_item);
        let note = |m: &'static str| Expert {
            severity: Severity::Note,
            group: "Sequence",
            protocol: "TCP",
            message: std::borrow::Cow::Borrowed(m),
        };
        let warn = |m: &'static str| Expert {
            severity: Severity::Warning,
            group: "Sequence",
            protocol: "TCP",
            message: std::borrow::Cow::Borrowed(m),
        };
        let chat = |m: &'static str| Expert {
            severity: Severity::Chat,
            group: "Sequence",
            protocol: "TCP",
            message: std::borrow::Cow::Borrowed(m),
        };
        let flag_item =
            |d: &mut Dissection<'a>, field, label: &'static str, expert: Option<Expert>| {
                let n = d.add_generated_labeled(field, Value::None, || label.into());
                if let Some(e) = expert {
                    d.expert(n, e);
                }
            };
        if f & flag::REUSED_PORTS != 0 {
            flag_item(
                d,
                REUSED_PORTS,
                "A new tcp session is started with the same ports as an earlier session in this trace",
                Some(note(
                    "A new tcp session is started with the same ports as an earlier session in this trace",
                )),
            );
        }
        if f & flag::RETRANSMISSION != 0 {
            flag_item(
                d,
                RETRANSMISSION,
                "This frame is a (suspected) retransmission",
                Some(note("This frame is a (suspected) retransmission")),
            );
            if let (Some(rto), Some(frame)) = (i.rto_nanos, i.rto_frame) {
                d.add_generated_labeled(RTO, Value::Time(rto), || {
                    format!(
                        "The RTO for this segment was: {}",
                        super::frame::seconds_label(rto)
                    )
                });
                d.add_generated(RTO_FRAME, 0, 0, Value::Frame(frame));
            }
        }
        if f & flag::SPURIOUS_RETRANSMISSION != 0 {
            flag_item(
                d,
                SPURIOUS_RETRANSMISSION,
                "This frame is a (suspected) spurious retransmission",
                Some(note("This frame is a (suspected) spurious retransmission")),
            );
            flag_item(
                d,
                RETRANSMISSION,
                "This frame is a (suspected) retransmission",
                Some(note("This frame is a (suspected) retransmission")),
            );
        }
        if f & flag::FAST_RETRANSMISSION != 0 {
            flag_item(
                d,
                FAST_RETRANSMISSION,
                "This frame is a (suspected) fast retransmission",
                Some(note("This frame is a (suspected) fast retransmission")),
            );
            flag_item(
                d,
                RETRANSMISSION,
                "This frame is a (suspected) retransmission",
                Some(note("This frame is a (suspected) retransmission")),
            );
        }
        if f & flag::OUT_OF_ORDER != 0 {
            flag_item(
                d,
                OUT_OF_ORDER,
                "This frame is a (suspected) out-of-order segment",
                Some(warn("This frame is a (suspected) out-of-order segment")),
            );
        }
        if f & flag::LOST_SEGMENT != 0 {
            flag_item(
                d,
                LOST_SEGMENT,
                "A segment before this frame wasn't captured",
                Some(warn(
                    "Previous segment(s) not captured (common at capture start)",
                )),
            );
        }
        if f & flag::ACK_LOST_SEGMENT != 0 {
            flag_item(
                d,
                ACK_LOST_SEGMENT,
                "This frame ACKs a segment we have not seen",
                Some(warn(
                    "ACKed segment that wasn't captured (common at capture start)",
                )),
            );
        }
        if f & flag::WINDOW_UPDATE != 0 {
            flag_item(
                d,
                WINDOW_UPDATE,
                "This is a tcp window update",
                Some(chat("TCP window update")),
            );
        }
        if f & flag::WINDOW_FULL != 0 {
            flag_item(
                d,
                WINDOW_FULL,
                "The transmission window is now completely full",
                Some(warn(
                    "TCP window specified by the receiver is now completely full",
                )),
            );
        }
        if f & flag::KEEP_ALIVE != 0 {
            flag_item(
                d,
                KEEP_ALIVE,
                "This is a TCP keep-alive segment",
                Some(note("TCP keep-alive segment")),
            );
        }
        if f & flag::KEEP_ALIVE_ACK != 0 {
            flag_item(
                d,
                KEEP_ALIVE_ACK,
                "This is an ACK to a TCP keep-alive segment",
                Some(note("ACK to a TCP keep-alive segment")),
            );
        }
        if f & flag::DUPLICATE_ACK != 0 {
            flag_item(d, DUPLICATE_ACK, "This is a TCP duplicate ack", None);
        }
        if f & flag::ZERO_WINDOW_PROBE != 0 {
            flag_item(
                d,
                ZERO_WINDOW_PROBE,
                "This is a TCP zero-window-probe",
                Some(note("TCP Zero Window Probe")),
            );
        }
        if f & flag::ZERO_WINDOW != 0 {
            flag_item(
                d,
                ZERO_WINDOW,
                "This is a ZeroWindow segment",
                Some(warn("TCP Zero Window segment")),
            );
        }
        if f & flag::ZERO_WINDOW_PROBE_ACK != 0 {
            flag_item(
                d,
                ZERO_WINDOW_PROBE_ACK,
                "This is an ACK to a TCP zero-window-probe",
                Some(note("ACK to a TCP Zero Window Probe")),
            );
        }
        d.end();
        if f & flag::DUPLICATE_ACK != 0
            && let (Some(num), Some(frame)) = (i.dup_ack_num, i.dup_ack_frame)
        {
            // tshark adds an expert item under the same name beside the count, so
            // `-e tcp.analysis.duplicate_ack` prints `1,1`.
            let dup = d.add_generated_labeled(DUPLICATE_ACK, Value::None, || {
                format!("Duplicate ACK (#{num})")
            });
            d.expert(
                dup,
                Expert {
                    severity: Severity::Note,
                    group: "Sequence",
                    protocol: "TCP",
                    message: std::borrow::Cow::Owned(format!("Duplicate ACK (#{num})")),
                },
            );
            d.add_generated(DUPLICATE_ACK_NUM, 0, 0, Value::UInt(u64::from(num)));
            d.add_generated(DUPLICATE_ACK_FRAME, 0, 0, Value::Frame(frame));
        }
    }
    d.end();
}

/// tshark's Info prefixes for the analysis flags, prepended in tshark's order so
/// that the last one prepended comes first.
fn analysis_info_prefixes(d: &mut Dissection<'_>, i: &TcpFrameInfo) {
    if !d.columns_on() {
        return;
    }
    let f = i.flags;
    let mut prepend = |cond: bool, text: &str| {
        if cond {
            d.prepend_info(text);
        }
    };
    prepend(f & flag::REUSED_PORTS != 0, "[TCP Port numbers reused] ");
    prepend(f & flag::RETRANSMISSION != 0, "[TCP Retransmission] ");
    prepend(
        f & flag::SPURIOUS_RETRANSMISSION != 0,
        "[TCP Spurious Retransmission] ",
    );
    prepend(
        f & flag::FAST_RETRANSMISSION != 0,
        "[TCP Fast Retransmission] ",
    );
    prepend(f & flag::OUT_OF_ORDER != 0, "[TCP Out-Of-Order] ");
    prepend(
        f & flag::LOST_SEGMENT != 0,
        "[TCP Previous segment not captured] ",
    );
    prepend(
        f & flag::ACK_LOST_SEGMENT != 0,
        "[TCP ACKed unseen segment] ",
    );
    prepend(f & flag::WINDOW_UPDATE != 0, "[TCP Window Update] ");
    prepend(f & flag::WINDOW_FULL != 0, "[TCP Window Full] ");
    prepend(f & flag::KEEP_ALIVE != 0, "[TCP Keep-Alive] ");
    prepend(f & flag::KEEP_ALIVE_ACK != 0, "[TCP Keep-Alive ACK] ");
    if f & flag::DUPLICATE_ACK != 0
        && let (Some(num), Some(frame)) = (i.dup_ack_num, i.dup_ack_frame)
    {
        d.prepend_info(&format!("[TCP Dup ACK {frame}#{num}] "));
    }
    let mut prepend = |cond: bool, text: &str| {
        if cond {
            d.prepend_info(text);
        }
    };
    prepend(f & flag::ZERO_WINDOW_PROBE != 0, "[TCP ZeroWindowProbe] ");
    prepend(f & flag::ZERO_WINDOW != 0, "[TCP ZeroWindow] ");
    prepend(
        f & flag::ZERO_WINDOW_PROBE_ACK != 0,
        "[TCP ZeroWindowProbeAck] ",
    );
}

/// Protocols whose fields the TCP payload's dissection cannot change.
const BELOW_PAYLOAD: &[super::FieldId] = &[
    super::ethernet::ETH,
    super::vlan::VLAN,
    super::ipv4::IP,
    super::ipv6::IPV6_PROTO,
    TCP,
    super::teach::SYNACK,
];

/// Whether dissecting the payload can change what `d` keeps: always for the tree,
/// the columns and the load pass (protocols, expert items); for a filter only when it
/// reads an application protocol, the reassembly fields or the expert items.
fn payload_matters(d: &Dissection<'_>) -> bool {
    !d.keeps_fields()
        || d.columns_on()
        || d.labels()
        || d.wants_experts()
        || d.wants_any(SEGMENT_DATA.0, NON_ZERO_BYTES.0 + 1)
        || !d.keeps_only_fields_of(BELOW_PAYLOAD)
}

/// Whether the payload of a segment with this analysis goes to application
/// dissectors (tshark does not pass retransmitted or out-of-order data up).
pub fn payload_goes_up(info: Option<&TcpFrameInfo>) -> bool {
    info.is_none_or(|i| {
        i.flags & (flag::RETRANSMISSION | flag::SPURIOUS_RETRANSMISSION | flag::OUT_OF_ORDER) == 0
    })
}

#[cfg(test)]
mod tests {
    use super::{flag_names, flag_string};
    use crate::dissect::testing::{field, with_frame, with_patched, with_truncated};

    /// tcp_clean_close.pcap frame 9: the SYN, with its options.
    #[test]
    fn syn_header_and_options() {
        with_frame("tcp_clean_close.pcap", 9, |d| {
            assert_eq!(field(d, "tcp.srcport"), "59804");
            assert_eq!(field(d, "tcp.dstport"), "10805");
            assert_eq!(field(d, "tcp.seq_raw"), "4262667675");
            assert_eq!(field(d, "tcp.hdr_len"), "40");
            assert_eq!(field(d, "tcp.flags"), "0x0002");
            assert_eq!(field(d, "tcp.flags.syn"), "1");
            assert_eq!(field(d, "tcp.flags.ack"), "0");
            assert_eq!(field(d, "tcp.window_size_value"), "64240");
            assert_eq!(field(d, "tcp.option_kind"), "2,4,8,1,3");
            assert_eq!(field(d, "tcp.options.mss_val"), "1460");
            assert_eq!(field(d, "tcp.options.sack_perm"), "0402");
            assert_eq!(field(d, "tcp.options.timestamp.tsval"), "3337989858");
            assert_eq!(field(d, "tcp.options.wscale.shift"), "10");
            assert_eq!(field(d, "tcp.options.wscale.multiplier"), "1024");
            assert!(
                d.experts
                    .iter()
                    .any(|e| e.message == "Connection establish request (SYN): server port 10805")
            );
        });
    }

    /// Frame 12: data with PSH, the payload handed to HTTP.
    #[test]
    fn data_segment() {
        with_frame("tcp_clean_close.pcap", 12, |d| {
            assert_eq!(field(d, "tcp.len"), "18");
            assert_eq!(
                field(d, "tcp.flags.str"),
                "\u{b7}\u{b7}\u{b7}\u{b7}\u{b7}\u{b7}\u{b7}AP\u{b7}\u{b7}\u{b7}"
            );
            assert_eq!(
                field(d, "tcp.payload"),
                "474554202f20485454502f312e300d0a0d0a"
            );
            assert_eq!(field(d, "http.request.method"), "GET");
        });
    }

    #[test]
    fn flag_texts() {
        assert_eq!(flag_names(0x012), "SYN, ACK");
        assert_eq!(flag_names(0x011), "FIN, ACK");
        assert_eq!(flag_names(0), "<None>");
        assert_eq!(
            flag_string(0x002),
            "\u{b7}\u{b7}\u{b7}\u{b7}\u{b7}\u{b7}\u{b7}\u{b7}\u{b7}\u{b7}S\u{b7}"
        );
    }

    #[test]
    fn truncated_and_bogus_header_length() {
        with_truncated("tcp_clean_close.pcap", 9, 44, |d| {
            assert_eq!(field(d, "tcp.srcport"), "");
            assert!(d.has(crate::dissect::ws::SHORT));
        });
        // Data offset 2 (8 bytes) is less than the fixed header.
        with_patched(
            "tcp_clean_close.pcap",
            9,
            |b| b[46] = 0x20,
            |d| {
                assert_eq!(field(d, "tcp.hdr_len"), "8");
                assert!(
                    d.experts
                        .iter()
                        .any(|e| e.message.contains("Bogus TCP header length"))
                );
            },
        );
        // An option whose length runs past the header must not be read beyond it.
        with_patched(
            "tcp_clean_close.pcap",
            9,
            |b| b[55] = 200,
            |d| {
                assert_eq!(field(d, "tcp.options.mss_val"), "");
            },
        );
    }
}
