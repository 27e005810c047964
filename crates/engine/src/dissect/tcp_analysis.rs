//! What the load-time TCP analysis says about a segment, as tshark shows it: the
//! `tcp.analysis` tree with its expert items, the Info prefixes, the completeness text.

use super::context::{TcpFrameInfo, flag};
use super::frame::seconds_label;
use super::tcp::*;
use super::tree::{Dissection, Expert, Severity};
use super::value::Value;

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

/// The `tcp.analysis` item and its expert items.
pub fn tree<'a>(d: &mut Dissection<'a>, i: &TcpFrameInfo) {
    if i.flags & flag::HAS_RECORD == 0 {
        return;
    }
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
                    format!("The RTO for this segment was: {}", seconds_label(rto))
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
pub fn info_prefixes(d: &mut Dissection<'_>, i: &TcpFrameInfo) {
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
