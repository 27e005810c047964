//! TCP (RFC 9293): every header field, the 12 flag bits, the options, the checksum,
//! and what the load-time analysis says about the segment (relative numbers, stream,
//! tshark's analysis flags), then the hand-off of the payload to HTTP, TLS or DNS.

use super::context::{PacketContext, TcpFrameInfo, TcpSegment, flag};
use super::field::kinds::*;
use super::field::{Base, FieldId};
use super::ipv4::NetInfo;
use super::ports::Transport;
use super::tree::{Dissection, Expert, Severity};
use super::value::Value;
use super::{apps, tcp_analysis, tcp_options, teach};
use crate::bytes;
use crate::services;
use crate::wire::{SeqNumber, TcpView};
use std::hint::cold_path;

const CHECKSUM_STATUS: &[(u64, &str)] = &[(0, "Bad"), (1, "Good"), (2, "Unverified")];
/// Option kinds as tshark's `Kind:` line names them.
pub(super) const OPTION_KINDS: &[(u64, &str)] = &[
    (0, "End of Option List"),
    (1, "No-Operation"),
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
    SRCPORT = "tcp.srcport", "Source Port", port(Transport::Tcp);
    DSTPORT = "tcp.dstport", "Destination Port", port(Transport::Tcp);
    PORT = "tcp.port", "Source or Destination Port", port(Transport::Tcp);
    STREAM = "tcp.stream", "Stream index", dec(32);
    COMPLETENESS_FIELD = "tcp.completeness", "Conversation completeness", dec_named(8, COMPLETENESS);
    COMPLETENESS_RST = "tcp.completeness.rst", "RST", flag(8, 0x20);
    COMPLETENESS_FIN = "tcp.completeness.fin", "FIN", flag(8, 0x10);
    COMPLETENESS_DATA = "tcp.completeness.data", "Data", flag(8, 0x08);
    COMPLETENESS_ACK = "tcp.completeness.ack", "ACK", flag(8, 0x04);
    COMPLETENESS_SYN_ACK = "tcp.completeness.syn-ack", "SYN-ACK", flag(8, 0x02);
    COMPLETENESS_SYN = "tcp.completeness.syn", "SYN", flag(8, 0x01);
    COMPLETENESS_STR = "tcp.completeness.str", "Completeness Flags", STR;
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
    CHECKSUM_STATUS_FIELD = "tcp.checksum.status", "Checksum Status", named(8, CHECKSUM_STATUS);
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
    OPT_SACK_DSACK_LE = "tcp.options.sack.dsack_le", "TCP D-SACK Left Edge", dec(32);
    OPT_SACK_DSACK_RE = "tcp.options.sack.dsack_re", "TCP D-SACK Right Edge", dec(32);
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

/// TCP flag bits (the view's, under the names the analysis uses).
pub mod bits {
    use crate::wire::TcpFlags;

    /// FIN.
    pub const FIN: u16 = TcpFlags::FIN;
    /// SYN.
    pub const SYN: u16 = TcpFlags::SYN;
    /// RST.
    pub const RST: u16 = TcpFlags::RST;
    /// PSH.
    pub const PSH: u16 = TcpFlags::PSH;
    /// ACK.
    pub const ACK: u16 = TcpFlags::ACK;
    /// URG.
    pub const URG: u16 = TcpFlags::URG;
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

/// The parts of the completeness bitmask, as Wireshark 4.2 and later break it down
/// (`tcp.completeness.syn` ... `.rst`, and `tcp.completeness.str`), highest bit first.
const COMPLETENESS_PARTS: [(FieldId, u8, char); 6] = [
    (COMPLETENESS_RST, 0x20, 'R'),
    (COMPLETENESS_FIN, 0x10, 'F'),
    (COMPLETENESS_DATA, 0x08, 'D'),
    (COMPLETENESS_ACK, 0x04, 'A'),
    (COMPLETENESS_SYN_ACK, 0x02, 'S'),
    (COMPLETENESS_SYN, 0x01, 'S'),
];

/// `tcp.completeness.str`: a letter per part seen (`RFDASS`), `·` for one not seen.
pub fn completeness_string(c: u8) -> String {
    COMPLETENESS_PARTS
        .iter()
        .map(|(_, bit, letter)| if c & bit != 0 { *letter } else { '\u{b7}' })
        .collect()
}

/// The completeness parts as hidden fields: filterable and in `-T fields` under
/// their 4.2 names, while the tree stays as tshark 4.0 shows it.
fn completeness_parts(d: &mut Dissection<'_>, c: u8) {
    if !d.wants_any(COMPLETENESS_RST.0, COMPLETENESS_STR.0 + 1) {
        return;
    }
    for (field, bit, _) in COMPLETENESS_PARTS {
        d.add_hidden(field, 0, 0, Value::Bool(c & bit != 0));
    }
    if d.wants(COMPLETENESS_STR) {
        let text = completeness_string(c);
        d.add_hidden(COMPLETENESS_STR, 0, 0, Value::Str(text.into_bytes().into()));
    }
}

/// Dissects a TCP segment.
pub fn dissect<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, data: &'a [u8], net: &NetInfo) {
    let at = net.payload_offset;
    let Some(tcp) = super::view_or_cut(d, ctx, TcpView::new(bytes::tail(data, at)), at) else {
        return;
    };
    let sport = tcp.src_port();
    let dport = tcp.dst_port();
    let seq = tcp.seq_number();
    let ack = tcp.ack_number();
    let window = tcp.window_len();
    let sum = tcp.checksum();
    let urgent = tcp.urgent_at();
    let hdr_len = tcp.header_len();
    let flags = tcp.flags().bits();
    let short_segment = tcp.check_len(net.payload_len).is_err();
    let seglen = net.payload_len.saturating_sub(hdr_len);
    let summary = tcp_options::summary(tcp.options_bytes(), tcp.options());
    let payload_at = at + hdr_len;
    let payload = if short_segment {
        &[][..]
    } else {
        bytes::clamped(data, payload_at, seglen)
    };
    let segment = TcpSegment {
        src: net.src,
        dst: net.dst,
        src_port: sport,
        dst_port: dport,
        seq: seq.raw(),
        ack: ack.raw(),
        flags,
        window,
        seglen: u32::try_from(seglen).unwrap_or(u32::MAX),
        hdr_len: u32::from(tcp.data_offset()) * 4,
        wscale: summary.wscale,
        mss: summary.mss,
        sack_bytes: summary.sack_bytes,
        payload,
        ts_nanos: ctx.record.ts_nanos,
    };
    let mut info: Option<TcpFrameInfo> = if d.in_error || short_segment || net.fragment {
        None
    } else {
        ctx.analysis.and_then(|a| a.tcp(ctx.number, &segment))
    };
    let prefs = ctx.prefs;
    // With the preference off (or without the analysis it needs) tshark shows the raw
    // numbers, in the summary and the fields alike, and no raw-number fields.
    let relative = info.is_some() && prefs.tcp_relative();
    if !relative && let Some(i) = info.as_mut() {
        i.seq_base = 0;
        i.ack_base = None;
    }
    // A header quoted in an ICMP error: tshark finds its conversation and shows the
    // raw sequence number alone (no length, no next sequence number).
    let quoted = d.in_error;
    let quoted_conversation = if quoted {
        ctx.analysis
            .and_then(|a| a.quoted_tcp(ctx.number, &segment))
    } else {
        None
    };
    let has_ack = flags & bits::ACK != 0;
    // Without the analysis tshark shows the raw numbers in the relative fields.
    let rel_seq = seq.relative_to(SeqNumber(info.as_ref().map_or(0, |i| i.seq_base)));
    let rel_ack = match (&info, has_ack) {
        (
            Some(TcpFrameInfo {
                ack_base: Some(base),
                ..
            }),
            true,
        ) => ack.relative_to(SeqNumber(*base)),
        _ => ack.relative_to(SeqNumber(0)),
    };
    let syn_fin = u32::from(flags & (bits::SYN | bits::FIN) != 0);
    let nxtseq = rel_seq + u32::try_from(seglen).unwrap_or(u32::MAX) + syn_fin;

    let item = d.add_labeled(TCP, at, hdr_len.max(20), Value::None, || {
        let mut label = format!(
            "Transmission Control Protocol, Src Port: {}, Dst Port: {}, Seq: {rel_seq}",
            services::label_text(Transport::Tcp, sport),
            services::label_text(Transport::Tcp, dport)
        );
        if quoted {
            return label;
        }
        if has_ack {
            label.push_str(&format!(", Ack: {rel_ack}"));
        }
        label.push_str(&format!(", Len: {seglen}"));
        label
    });
    d.push_layer("tcp");
    d.set_protocol("TCP");
    let keeps = d.keeps_fields_of(TCP);
    let mut urgent_item = usize::MAX;
    if keeps {
        cold_path();
        d.begin(item);
    }
    // Each run of fields is skipped whole when a filter reads none of it.
    if keeps && d.wants_any(SRCPORT.0, NXTSEQ.0 + 1) {
        cold_path();
        d.add(SRCPORT, at, 2, Value::UInt(u64::from(sport)));
        d.add(DSTPORT, at + 2, 2, Value::UInt(u64::from(dport)));
        d.add_hidden(PORT, at, 2, Value::UInt(u64::from(sport)));
        d.add_hidden(PORT, at + 2, 2, Value::UInt(u64::from(dport)));
        let own = info.as_ref().map(|i| (i.stream, i.completeness));
        for (stream, c) in own.into_iter().chain(quoted_conversation) {
            d.add_generated(STREAM, 0, 0, Value::UInt(u64::from(stream)));
            d.add_generated_labeled(COMPLETENESS_FIELD, Value::UInt(u64::from(c)), || {
                format!(
                    "Conversation completeness: {} ({c})",
                    tcp_analysis::completeness_text(c)
                )
            });
            completeness_parts(d, c);
        }
        if !quoted {
            d.add_generated(LEN, 0, 0, Value::UInt(seglen as u64));
        }
        d.add_labeled(SEQ, at + 4, 4, Value::UInt(u64::from(rel_seq.0)), || {
            if relative {
                format!("Sequence Number: {rel_seq}    (relative sequence number)")
            } else {
                format!("Sequence Number: {rel_seq}")
            }
        });
        // With raw numbers shown, tshark keeps the raw field hidden (filterable).
        if !quoted && relative {
            d.add(SEQ_RAW, at + 4, 4, Value::UInt(u64::from(seq.raw())));
        } else if !quoted {
            d.add_hidden(SEQ_RAW, at + 4, 4, Value::UInt(u64::from(seq.raw())));
        }
        if !short_segment && !quoted {
            d.add_generated_labeled(NXTSEQ, Value::UInt(u64::from(nxtseq.0)), || {
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
        cold_path();
        let item = d.add_labeled(ACK, at + 8, 4, Value::UInt(u64::from(rel_ack.0)), || {
            if ack_relative {
                format!("Acknowledgment Number: {rel_ack}    (relative ack number)")
            } else {
                format!("Acknowledgment Number: {rel_ack}")
            }
        });
        if relative {
            d.add(ACK_RAW, at + 8, 4, Value::UInt(u64::from(ack.raw())));
        } else {
            d.add_hidden(ACK_RAW, at + 8, 4, Value::UInt(u64::from(ack.raw())));
        }
        item
    } else {
        usize::MAX
    };
    if !has_ack && ack.raw() != 0 {
        cold_path();
        d.expert(
            ack_item,
            tcp_expert(
                Severity::Note,
                "Protocol",
                std::borrow::Cow::Borrowed(
                    "The acknowledgment number field is nonzero while the ACK flag is not set",
                ),
            ),
        );
    }
    if keeps && d.wants(HDR_LEN) {
        cold_path();
        let nibble = tcp.data_offset();
        d.add_labeled(HDR_LEN, at + 12, 1, Value::UInt(hdr_len as u64), || {
            format!(
                "{} = Header Length: {hdr_len} bytes ({nibble})",
                super::value::bit_chart(8, 0xf0, u64::from(nibble))
            )
        });
    }
    if hdr_len < 20 {
        cold_path();
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
                "{} → {} [{}] Bogus TCP header length ({hdr_len}, must be at least 20)",
                services::info_text(Transport::Tcp, sport),
                services::info_text(Transport::Tcp, dport),
                flag_names(flags)
            )
        });
        return;
    }
    flags_tree(d, at, flags, &info, sport, dport);
    let win_calc: i64 = match (&info, flags & bits::SYN != 0) {
        (Some(i), false) if i.window_shift >= 0 => i64::from(window) << i.window_shift,
        _ => i64::from(window),
    };
    if keeps && d.wants_any(WINDOW_SIZE_VALUE.0, URGENT_POINTER.0 + 1) {
        cold_path();
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
                d.add_generated_labeled(WINDOW_SIZE_SCALEFACTOR, Value::Int(factor), || {
                    // tshark says why there is no factor: -1 unknown, -2 not used.
                    match factor {
                        -1 => "Window size scaling factor: -1 (unknown)".to_string(),
                        -2 => "Window size scaling factor: -2 (no window scaling used)".to_string(),
                        f => format!("Window size scaling factor: {f}"),
                    }
                });
            }
        } else {
            d.add_generated(WINDOW_SIZE, at + 14, 2, Value::UInt(u64::from(window)));
        }
        d.add_labeled(CHECKSUM, at + 16, 2, Value::UInt(u64::from(sum)), || {
            format!("Checksum: 0x{sum:04x} [unverified]")
        });
        d.add_generated(CHECKSUM_STATUS_FIELD, at + 16, 2, Value::UInt(2));
        urgent_item = d.add(URGENT_POINTER, at + 18, 2, Value::UInt(u64::from(urgent)));
    }
    if urgent != 0 && flags & bits::URG == 0 {
        cold_path();
        d.expert(
            urgent_item,
            tcp_expert(
                Severity::Note,
                "Protocol",
                std::borrow::Cow::Borrowed(
                    "The urgent pointer field is nonzero while the URG flag is not set",
                ),
            ),
        );
    }
    let mut option_info = String::new();
    // Without TCP fields or columns the options only matter for the D-SACK expert item.
    let wants_options = keeps && d.wants_any(OPTIONS.0, OPT_UNKNOWN_PAYLOAD.0 + 1);
    let has_options = !tcp.options_bytes().is_empty();
    if has_options && (wants_options || d.columns_on()) {
        cold_path();
        let input = tcp_options::TreeInput {
            bytes: tcp.options_bytes(),
            options: tcp.options(),
            start: at + 20,
            info: &info,
            ack,
            flags,
        };
        tcp_options::tree(d, input, &mut option_info);
    } else {
        if summary.has_sack_blocks && info.is_some() && d.wants_experts() {
            // Only the D-SACK expert item is wanted: no option items to build.
            tcp_options::dsack_experts(d, tcp.options(), flags, ack);
        }
        // The option items' own warnings, counted without their items.
        if summary.has_mss && flags & bits::SYN == 0 {
            d.expert(usize::MAX, tcp_options::non_syn_mss_expert());
        }
        if summary.wscale.is_some_and(|shift| shift > 14) {
            d.expert(usize::MAX, tcp_options::wscale_expert());
        }
    }
    if flags & bits::SYN != 0 && has_options && !summary.has_mss {
        cold_path();
        d.expert(
            usize::MAX,
            tcp_expert(
                Severity::Note,
                "Protocol",
                std::borrow::Cow::Borrowed("The SYN packet does not contain a MSS option"),
            ),
        );
    }
    if let Some(i) = &info {
        if prefs.tcp_calculate_timestamps && keeps && d.wants_any(TIMESTAMPS.0, TIME_DELTA.0 + 1) {
            cold_path();
            let ts = d.add_generated_labeled(TIMESTAMPS, Value::None, || "Timestamps".into());
            d.begin(ts);
            d.add_generated(TIME_RELATIVE, 0, 0, Value::Time(i.time_relative_nanos));
            d.add_generated(TIME_DELTA, 0, 0, Value::Time(i.time_delta_nanos));
            d.end();
        }
        // Its expert items count even when no field is kept.
        if prefs.tcp_analyze_seq
            && (d.wants_experts() || keeps && d.wants_any(ANALYSIS.0, ZERO_WINDOW_PROBE_ACK.0 + 1))
        {
            tcp_analysis::tree(d, i);
        }
        let offload = |path_mss| {
            let whole = bytes::slice(data, at, net.payload_len).unwrap_or(&[]);
            let ethernet = ctx.iface.link_type == crate::capture::LinkType::ETHERNET;
            teach::offload(net, whole, sum, seglen, ethernet, path_mss)
        };
        teach::dissect(d, ctx, &segment, offload);
    }
    if keeps {
        cold_path();
        if !payload.is_empty() {
            d.add_labeled(
                PAYLOAD,
                payload_at,
                payload.len(),
                Value::Bytes(payload.into()),
                // tshark counts the bytes the IP header reports, not those a snap
                // length left (a TSO segment cut to 128 bytes still carries 7240).
                || {
                    let unit = if seglen == 1 { "byte" } else { "bytes" };
                    format!("TCP payload ({seglen} {unit})")
                },
            );
        }
        d.end();
    }

    let win_shown = win_calc;
    d.set_info(|| {
        let mut text = format!(
            "{} → {} [{}] Seq={rel_seq}",
            services::info_text(Transport::Tcp, sport),
            services::info_text(Transport::Tcp, dport),
            flag_names(flags)
        );
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
    if let Some(i) = &info
        && prefs.tcp_analyze_seq
    {
        tcp_analysis::info_prefixes(d, i);
    }
    // A FIN without data can still complete a PDU: an HTTP body that ran to it.
    let completes = info
        .as_ref()
        .is_some_and(|i| matches!(i.pdu, super::context::Pdu::Completes { .. }));
    if (seglen > 0 || completes) && !short_segment && payload_matters(d) {
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

fn flags_tree<'a>(
    d: &mut Dissection<'a>,
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
        cold_path();
        let item = d.add_labeled(FLAGS, at, 2, Value::UInt(u64::from(flags)), || {
            format!("Flags: 0x{flags:03x} ({})", flag_names(flags))
        });
        d.begin(item);
        // A three-bit flag: its chart shows which reserved bits are set.
        let reserved = (flags >> 9) & 0x07;
        d.add_labeled(FLAGS_RES, at, 2, Value::Bool(reserved != 0), || {
            let set = if reserved != 0 { "Set" } else { "Not set" };
            format!(
                "{} = Reserved: {set}",
                super::value::bit_chart(12, 0x0e00, u64::from(reserved))
            )
        });
        d.add(FLAGS_AE, at, 2, Value::Bool(flags & 0x0100 != 0));
        d.add(FLAGS_CWR, at, 2, Value::Bool(flags & 0x0080 != 0));
        d.add(FLAGS_ECE, at, 2, Value::Bool(flags & 0x0040 != 0));
        d.add(FLAGS_URG, at, 2, Value::Bool(flags & 0x0020 != 0));
        d.add(FLAGS_ACK, at, 2, Value::Bool(flags & 0x0010 != 0));
        d.add(FLAGS_PUSH, at, 2, Value::Bool(flags & 0x0008 != 0));
    }
    // Without kept flag fields the items below are not stored either: their calls
    // are skipped (the load pass only wants the expert items).
    let add_flag = |d: &mut Dissection<'a>, field, mask: u16| {
        if keeps {
            d.add(field, at, 2, Value::Bool(flags & mask != 0))
        } else {
            usize::MAX
        }
    };
    let rst = add_flag(d, FLAGS_RESET, 0x0004);
    if flags & bits::RST != 0 {
        cold_path();
        d.expert(
            rst,
            tcp_expert(
                Severity::Warning,
                "Sequence",
                std::borrow::Cow::Borrowed("Connection reset (RST)"),
            ),
        );
    }
    let syn = add_flag(d, FLAGS_SYN, 0x0002);
    if flags & bits::SYN != 0 {
        cold_path();
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
            tcp_expert(
                Severity::Chat,
                "Sequence",
                std::borrow::Cow::Owned({
                    let mut text = String::with_capacity(message.len() + 6);
                    text.push_str(message);
                    text.push(' ');
                    super::value::push_decimal(&mut text, u64::from(port));
                    text
                }),
            ),
        );
    }
    let fin = add_flag(d, FLAGS_FIN, 0x0001);
    if flags & bits::FIN != 0 {
        cold_path();
        d.expert(
            fin,
            tcp_expert(
                Severity::Chat,
                "Sequence",
                std::borrow::Cow::Borrowed("Connection finish (FIN)"),
            ),
        );
    }
    let flags_str = if keeps && d.wants(FLAGS_STR) {
        d.add_generated_labeled(
            FLAGS_STR,
            Value::Str(flag_string(flags).into_bytes().into()),
            || format!("TCP Flags: {}", flag_string(flags)),
        )
    } else {
        usize::MAX
    };
    // tshark hangs the closing notes under the flags string, the FIN chat under Fin.
    if flags & bits::FIN != 0
        && let Some(i) = info
    {
        cold_path();
        if i.flags & flag::FIRST_FIN != 0 {
            d.expert(
                flags_str,
                tcp_expert(
                    Severity::Note,
                    "Sequence",
                    std::borrow::Cow::Borrowed("This frame initiates the connection closing"),
                ),
            );
        }
        if i.flags & flag::SECOND_FIN != 0 {
            d.expert(
                flags_str,
                tcp_expert(
                    Severity::Note,
                    "Sequence",
                    std::borrow::Cow::Borrowed("This frame undergoes the connection closing"),
                ),
            );
        }
    }
    if keeps {
        d.end();
    }
}

/// An expert item of TCP in `group`.
pub(super) fn tcp_expert(
    severity: Severity,
    group: &'static str,
    message: std::borrow::Cow<'static, str>,
) -> Expert {
    Expert {
        severity,
        group,
        protocol: "TCP",
        message,
    }
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
    fn completeness_letters() {
        use super::completeness_string;
        assert_eq!(completeness_string(0), "\u{b7}".repeat(6));
        assert_eq!(completeness_string(0x2f), "R\u{b7}DASS");
        assert_eq!(completeness_string(0x01), "\u{b7}\u{b7}\u{b7}\u{b7}\u{b7}S");
        assert_eq!(completeness_string(0x3f), "RFDASS");
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

    /// tcp_nmap_os_probes.pcapng (kakshaykumar/wireshark-network-traffic-analysis-lab,
    /// nmap-active-network-recon.pcapng, frames 2100-2125): nmap's OS probes. Frame 7
    /// is a segment without flags carrying WS=10 on a conversation with no SYN yet: its
    /// window is unscaled (scale unknown), but tshark keeps the option, so the same
    /// probe again (frame 17) reads Win=128 as 131072.
    #[test]
    fn window_scale_option_outside_a_syn() {
        crate::dissect::testing::with_analysed("tcp_nmap_os_probes.pcapng", |dissect| {
            for (frame, window, factor) in [(7, "128", "-1"), (17, "131072", "1024")] {
                let d = dissect(frame);
                assert_eq!(field(&d, "tcp.window_size_value"), "128");
                assert_eq!(field(&d, "tcp.window_size"), window);
                assert_eq!(field(&d, "tcp.window_size_scalefactor"), factor);
            }
        });
    }

    /// tcp_nmap_os_probes.pcapng: nmap's probes carry what tshark warns about. Frame 2
    /// sets the highest reserved flag bit and a nonzero urgent pointer without URG;
    /// frame 15 (FIN, PSH, URG) carries an MSS option outside a SYN and a Window scale
    /// shift of 15.
    #[test]
    fn probe_oddities_have_tsharks_experts() {
        let messages = |d: &crate::dissect::Dissection<'_>| -> Vec<String> {
            d.experts.iter().map(|e| e.message.to_string()).collect()
        };
        with_frame("tcp_nmap_os_probes.pcapng", 2, |d| {
            assert_eq!(field(d, "tcp.flags"), "0x08c2");
            assert_eq!(field(d, "tcp.flags.res"), "1");
            let label = d
                .nodes
                .iter()
                .find(|n| n.label().ends_with("= Reserved: Set"));
            assert_eq!(
                label.map(|n| n.label()),
                Some("100. .... .... = Reserved: Set".to_string())
            );
            assert!(
                messages(d)
                    .iter()
                    .any(|m| m.starts_with("The urgent pointer field"))
            );
        });
        with_frame("tcp_nmap_os_probes.pcapng", 15, |d| {
            let m = messages(d);
            assert!(m.contains(&"Window scale shift exceeds 14".to_string()));
            assert!(m.contains(&"The non-SYN packet does contain a MSS option".to_string()));
            assert_eq!(field(d, "tcp.options.wscale.multiplier"), "16384");
        });
    }

    /// ssh.pcap frame 1: a Mac's SYN whose 24 option bytes end with SACK permitted and
    /// two zero bytes. tshark reads each zero as an End of Option List (kinds ...,4,0,0;
    /// the Options label lists both), where the option walk stops at the first.
    #[test]
    fn zero_padding_after_eol_is_more_eols() {
        with_frame("ssh.pcap", 1, |d| {
            assert_eq!(field(d, "tcp.option_kind"), "2,1,3,1,1,8,4,0,0");
            assert_eq!(field(d, "tcp.options.eol"), "00,00");
            let label = d
                .nodes
                .iter()
                .map(|n| n.label())
                .find(|l| l.starts_with("Options:"));
            assert!(label.is_some_and(|l| {
                l.ends_with("SACK permitted, End of Option List (EOL), End of Option List (EOL)")
            }));
        });
        // Cut after the first EOL: one.
        with_truncated("ssh.pcap", 1, 14 + 20 + 20 + 23, |d| {
            assert_eq!(field(d, "tcp.options.eol"), "00");
        });
    }
}
