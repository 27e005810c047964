//! What the load-time TCP analysis says about a segment, as tshark shows it: the
//! `tcp.analysis` tree with its expert items, the Info prefixes, the completeness text.

use super::FieldId;
use super::context::{TcpFrameInfo, flag};
use super::frame::seconds_label;
use super::tcp::*;
use super::tree::{Dissection, Severity};
use super::value::Value;

/// Wireshark's text for a completeness value, e.g. `Complete, WITH_DATA`.
pub fn completeness_text(c: u8) -> String {
    if c & 0x1f == 0x1f || c & 0x2f == 0x2f {
        let mut s = String::from("Complete, ");
        s.push_str(if c & 8 != 0 { "WITH_DATA" } else { "NO_DATA" });
        return s;
    }
    // tshark 4.0 names only the steps of an opening in order; any other mix (a FIN
    // or RST without the handshake, data without the SYN) is plain "Incomplete".
    match c {
        1 => "Incomplete, SYN_SENT",
        3 => "Incomplete, CLIENT_ESTABLISHED",
        7 => "Incomplete, ESTABLISHED",
        15 => "Incomplete, DATA",
        _ => "Incomplete",
    }
    .to_string()
}

/// One `tcp.analysis.*` flag: its bit, field and label, and its expert item.
struct FlagItem {
    bit: u32,
    field: FieldId,
    label: &'static str,
    expert: Option<(Severity, &'static str)>,
    /// The Info column's prefix (the duplicate ACK's names its frame and count).
    info: &'static str,
}

/// The plain retransmission item.
const RETRANSMITTED: FlagItem = FlagItem {
    bit: flag::RETRANSMISSION,
    field: RETRANSMISSION,
    label: "This frame is a (suspected) retransmission",
    expert: Some((Severity::Note, "This frame is a (suspected) retransmission")),
    info: "[TCP Retransmission] ",
};

/// The flag items in tshark's order, with tshark's labels and expert texts.
const FLAG_ITEMS: [FlagItem; 15] = [
    FlagItem {
        bit: flag::REUSED_PORTS,
        field: REUSED_PORTS,
        label: "A new tcp session is started with the same ports as an earlier session in this trace",
        expert: Some((
            Severity::Note,
            "A new tcp session is started with the same ports as an earlier session in this trace",
        )),
        info: "[TCP Port numbers reused] ",
    },
    RETRANSMITTED,
    FlagItem {
        bit: flag::SPURIOUS_RETRANSMISSION,
        field: SPURIOUS_RETRANSMISSION,
        label: "This frame is a (suspected) spurious retransmission",
        expert: Some((
            Severity::Note,
            "This frame is a (suspected) spurious retransmission",
        )),
        info: "[TCP Spurious Retransmission] ",
    },
    FlagItem {
        bit: flag::FAST_RETRANSMISSION,
        field: FAST_RETRANSMISSION,
        label: "This frame is a (suspected) fast retransmission",
        expert: Some((
            Severity::Note,
            "This frame is a (suspected) fast retransmission",
        )),
        info: "[TCP Fast Retransmission] ",
    },
    FlagItem {
        bit: flag::OUT_OF_ORDER,
        field: OUT_OF_ORDER,
        label: "This frame is a (suspected) out-of-order segment",
        expert: Some((
            Severity::Warning,
            "This frame is a (suspected) out-of-order segment",
        )),
        info: "[TCP Out-Of-Order] ",
    },
    FlagItem {
        bit: flag::LOST_SEGMENT,
        field: LOST_SEGMENT,
        label: "A segment before this frame wasn't captured",
        expert: Some((
            Severity::Warning,
            "Previous segment(s) not captured (common at capture start)",
        )),
        info: "[TCP Previous segment not captured] ",
    },
    FlagItem {
        bit: flag::ACK_LOST_SEGMENT,
        field: ACK_LOST_SEGMENT,
        label: "This frame ACKs a segment we have not seen",
        expert: Some((
            Severity::Warning,
            "ACKed segment that wasn't captured (common at capture start)",
        )),
        info: "[TCP ACKed unseen segment] ",
    },
    FlagItem {
        bit: flag::WINDOW_UPDATE,
        field: WINDOW_UPDATE,
        label: "This is a tcp window update",
        expert: Some((Severity::Chat, "TCP window update")),
        info: "[TCP Window Update] ",
    },
    FlagItem {
        bit: flag::WINDOW_FULL,
        field: WINDOW_FULL,
        label: "The transmission window is now completely full",
        expert: Some((
            Severity::Warning,
            "TCP window specified by the receiver is now completely full",
        )),
        info: "[TCP Window Full] ",
    },
    FlagItem {
        bit: flag::KEEP_ALIVE,
        field: KEEP_ALIVE,
        label: "This is a TCP keep-alive segment",
        expert: Some((Severity::Note, "TCP keep-alive segment")),
        info: "[TCP Keep-Alive] ",
    },
    FlagItem {
        bit: flag::KEEP_ALIVE_ACK,
        field: KEEP_ALIVE_ACK,
        label: "This is an ACK to a TCP keep-alive segment",
        expert: Some((Severity::Note, "ACK to a TCP keep-alive segment")),
        info: "[TCP Keep-Alive ACK] ",
    },
    FlagItem {
        bit: flag::DUPLICATE_ACK,
        field: DUPLICATE_ACK,
        label: "This is a TCP duplicate ack",
        expert: None,
        info: "",
    },
    FlagItem {
        bit: flag::ZERO_WINDOW_PROBE,
        field: ZERO_WINDOW_PROBE,
        label: "This is a TCP zero-window-probe",
        expert: Some((Severity::Note, "TCP Zero Window Probe")),
        info: "[TCP ZeroWindowProbe] ",
    },
    FlagItem {
        bit: flag::ZERO_WINDOW,
        field: ZERO_WINDOW,
        label: "This is a ZeroWindow segment",
        expert: Some((Severity::Warning, "TCP Zero Window segment")),
        info: "[TCP ZeroWindow] ",
    },
    FlagItem {
        bit: flag::ZERO_WINDOW_PROBE_ACK,
        field: ZERO_WINDOW_PROBE_ACK,
        label: "This is an ACK to a TCP zero-window-probe",
        expert: Some((Severity::Note, "ACK to a TCP Zero Window Probe")),
        info: "[TCP ZeroWindowProbeAck] ",
    },
];

/// A flag's generated item with its expert item.
fn flag_item(d: &mut Dissection<'_>, item: &FlagItem) {
    match item.expert {
        // tshark shows such a flag as its expert item alone, not its label.
        Some((severity, message)) => {
            d.add_expert_item(
                item.field,
                tcp_expert(severity, "Sequence", std::borrow::Cow::Borrowed(message)),
            );
        }
        None => {
            let label = item.label;
            d.add_generated_labeled(item.field, Value::None, || label.into());
        }
    }
}

/// The `tcp.analysis` item and its expert items.
pub fn tree<'a>(d: &mut Dissection<'a>, i: &TcpFrameInfo) {
    if i.flags & flag::HAS_RECORD == 0 {
        return;
    }
    // Most segments have no analysis record: the rest stays out of the hot path.
    std::hint::cold_path();
    let item = d.add_generated_labeled(ANALYSIS, Value::None, || "SEQ/ACK analysis".into());
    d.begin(item);
    if let Some(frame) = i.acks_frame {
        d.add_generated(ACKS_FRAME, 0, 0, Value::Frame(frame));
        if let Some(rtt) = i.ack_rtt_nanos.filter(|r| *r != 0) {
            d.add_generated_labeled(ACK_RTT, Value::Time(rtt), || {
                format!("The RTT to ACK the segment was: {}", seconds_label(rtt))
            });
        }
    }
    if let Some(irtt) = i.initial_rtt_nanos {
        d.add_generated_labeled(INITIAL_RTT, Value::Time(irtt), || {
            format!("iRTT: {}", seconds_label(irtt))
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
        for item in FLAG_ITEMS.iter().filter(|item| f & item.bit != 0) {
            flag_item(d, item);
            if item.bit == flag::RETRANSMISSION
                && let (Some(rto), Some(frame)) = (i.rto_nanos, i.rto_frame)
            {
                d.add_generated_labeled(RTO, Value::Time(rto), || {
                    format!("The RTO for this segment was: {}", seconds_label(rto))
                });
                d.add_generated(RTO_FRAME, 0, 0, Value::Frame(frame));
            }
            // tshark marks a spurious or fast retransmission as a retransmission too.
            if item.bit & (flag::SPURIOUS_RETRANSMISSION | flag::FAST_RETRANSMISSION) != 0 {
                flag_item(d, &RETRANSMITTED);
            }
        }
        d.end();
        if f & flag::DUPLICATE_ACK != 0
            && let (Some(num), Some(frame)) = (i.dup_ack_num, i.dup_ack_frame)
        {
            // Its expert item hangs under the frame it duplicates, as in tshark.
            d.add_generated(DUPLICATE_ACK_NUM, 0, 0, Value::UInt(u64::from(num)));
            let dup_frame = d.add_generated(DUPLICATE_ACK_FRAME, 0, 0, Value::Frame(frame));
            let message = std::borrow::Cow::Owned(format!("Duplicate ACK (#{num})"));
            // `-e tcp.analysis.duplicate_ack` prints `1,1`: the flag and the expert.
            d.add_hidden(DUPLICATE_ACK, 0, 0, Value::None);
            d.expert(dup_frame, tcp_expert(Severity::Note, "Sequence", message));
        }
    }
    d.end();
}

/// tshark's Info prefixes for the analysis flags, prepended in tshark's order so
/// that the last one prepended comes first.
pub fn info_prefixes(d: &mut Dissection<'_>, i: &TcpFrameInfo) {
    if !d.columns_on() {
        return;
    }
    for item in FLAG_ITEMS.iter().filter(|item| i.flags & item.bit != 0) {
        if item.bit != flag::DUPLICATE_ACK {
            d.prepend_info(item.info);
        } else if let (Some(num), Some(frame)) = (i.dup_ack_num, i.dup_ack_frame) {
            d.prepend_info(&format!("[TCP Dup ACK {frame}#{num}] "));
        }
    }
}
