//! TCP stream graphs (Statistics ▸ TCP Stream Graphs): every segment of one stream
//! with its sequence numbers, acknowledgment, window and SACK blocks, and the series
//! Wireshark's graphs draw from them: Time-Sequence (Stevens and tcptrace),
//! throughput, round-trip time (sampled as Wireshark's dialog samples it) and window
//! scaling. Each is for one direction, the one whose data is graphed; the ACKs,
//! windows and SACK blocks come from the other.

use crate::dissect::context::flag;
use crate::dissect::ipv4::Addr;
use crate::dissect::{Dissection, FieldSet, Value, Want, tcp};
use crate::tcp::Loaded;
use crate::wire::SeqNumber;

/// TCP header flag bits (`tcp.flags`).
pub mod tcp_flag {
    /// FIN.
    pub const FIN: u16 = 0x001;
    /// SYN.
    pub const SYN: u16 = 0x002;
    /// RST.
    pub const RST: u16 = 0x004;
    /// ACK.
    pub const ACK: u16 = 0x010;
}

/// One segment of the stream, as the graphs need it.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// Frame number (1-based).
    pub frame: u32,
    /// Seconds after the capture's first packet.
    pub time_secs: f64,
    /// Sent by the stream's first endpoint (`StreamGraph::endpoints[0]`).
    pub forward: bool,
    /// Relative sequence number (`tcp.seq`).
    pub seq: u32,
    /// Raw sequence number (`tcp.seq_raw`).
    pub seq_raw: u32,
    /// Payload bytes (`tcp.len`).
    pub len: u32,
    /// Relative acknowledgment number (`tcp.ack`; 0 without the ACK flag).
    pub ack: u32,
    /// Raw acknowledgment number.
    pub ack_raw: u32,
    /// The receive window the segment advertises, scaled (`tcp.window_size`).
    pub win: u64,
    /// TCP header flags (`tcp.flags`, see [`tcp_flag`]).
    pub flags: u16,
    /// The analysis flags of the load (`dissect::context::flag`).
    pub analysis: u32,
    /// SACK blocks, relative (left edge, right edge).
    pub sack: Vec<(u32, u32)>,
}

impl Segment {
    /// Whether the header has flag `bit` ([`tcp_flag`]).
    pub fn has(&self, bit: u16) -> bool {
        self.flags & bit != 0
    }

    /// The mark the graphs draw this segment with (the first that applies).
    pub fn mark(&self) -> Mark {
        if self.has(tcp_flag::RST) {
            Mark::Rst
        } else if self.has(tcp_flag::SYN) {
            Mark::Syn
        } else if self.has(tcp_flag::FIN) {
            Mark::Fin
        } else if self.analysis
            & (flag::RETRANSMISSION | flag::FAST_RETRANSMISSION | flag::SPURIOUS_RETRANSMISSION)
            != 0
        {
            Mark::Retransmission
        } else if self.analysis & flag::DUPLICATE_ACK != 0 {
            Mark::DupAck
        } else if self.analysis & flag::ZERO_WINDOW != 0 {
            Mark::ZeroWindow
        } else {
            Mark::Plain
        }
    }
}

/// How a segment is drawn: the events a legend names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mark {
    /// An ordinary segment.
    Plain,
    /// SYN (or SYN+ACK).
    Syn,
    /// FIN.
    Fin,
    /// RST.
    Rst,
    /// A retransmission (`tcp.analysis.retransmission`, fast or spurious).
    Retransmission,
    /// A duplicate ACK.
    DupAck,
    /// A zero window.
    ZeroWindow,
}

impl Mark {
    /// Every mark, in legend order.
    pub const ALL: [Mark; 7] = [
        Mark::Plain,
        Mark::Syn,
        Mark::Fin,
        Mark::Rst,
        Mark::Retransmission,
        Mark::DupAck,
        Mark::ZeroWindow,
    ];

    /// What the legend says.
    pub fn name(self) -> &'static str {
        match self {
            Mark::Plain => "segment",
            Mark::Syn => "SYN",
            Mark::Fin => "FIN",
            Mark::Rst => "RST",
            Mark::Retransmission => "retransmission",
            Mark::DupAck => "duplicate ACK",
            Mark::ZeroWindow => "zero window",
        }
    }
}

/// One round-trip time sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RttSample {
    /// When the data segment was sent (seconds after the first packet).
    pub time_secs: f64,
    /// Its relative sequence number.
    pub seq: u32,
    /// Seconds until the ACK.
    pub rtt_secs: f64,
    /// The data segment's frame.
    pub frame: u32,
    /// The acknowledging frame.
    pub ack_frame: u32,
}

/// The segments of one TCP stream.
#[derive(Debug, Clone, Default)]
pub struct StreamGraph {
    /// `tcp.stream`.
    pub stream: u32,
    /// The first packet's sender, then the other end.
    pub endpoints: [(Option<Addr>, u16); 2],
    /// Every segment, in frame order.
    pub segments: Vec<Segment>,
}

/// The fields [`StreamGraph::compute`] reads from each segment.
fn fields() -> FieldSet {
    let mut set = FieldSet::new();
    for id in [
        tcp::SEQ,
        tcp::SEQ_RAW,
        tcp::ACK,
        tcp::ACK_RAW,
        tcp::LEN,
        tcp::FLAGS,
        tcp::WINDOW_SIZE,
        tcp::OPT_SACK_LE,
        tcp::OPT_SACK_RE,
    ] {
        set.insert(id);
    }
    set
}

fn uint(value: &Value<'_>) -> Option<u64> {
    match value {
        Value::UInt(v) => Some(*v),
        _ => None,
    }
}

impl StreamGraph {
    /// The segments of `stream` in `loaded` (`None`: no such stream).
    pub fn compute(loaded: &Loaded, stream: u32) -> Option<StreamGraph> {
        let info = loaded.tcp.streams.get(stream as usize)?;
        let first_ts = loaded.capture.record(0).map_or(0, |r| r.ts_nanos);
        let analysis = loaded.analysis();
        let mut d = Dissection::new(Want::Fields(fields()), false, false);
        let mut segments = Vec::new();
        let start = (info.first_frame as usize).saturating_sub(1);
        let end = (info.last_frame as usize).min(loaded.len());
        for i in start..end {
            if loaded.capture.record(i).map(|r| r.stream) != Some(stream) {
                continue;
            }
            d.clear();
            let Some(record) = loaded.dissect_into(i, None, &analysis, &mut d) else {
                continue;
            };
            let frame = (i + 1) as u32;
            let pa = loaded.tcp.packet(frame).unwrap_or_default();
            let mut s = Segment {
                frame,
                time_secs: super::conversations::nanos_to_secs(
                    record.ts_nanos.saturating_sub(first_ts),
                ),
                forward: !pa.from_second(),
                seq: 0,
                seq_raw: 0,
                len: 0,
                ack: 0,
                ack_raw: 0,
                win: 0,
                flags: 0,
                analysis: pa.flags(),
                sack: Vec::new(),
            };
            let mut seen = FieldSet::new();
            let mut left: Option<u32> = None;
            for node in &d.nodes {
                let Some(v) = uint(&node.value) else {
                    continue;
                };
                let field = node.field;
                let v32 = v as u32;
                if field == tcp::OPT_SACK_LE {
                    left = Some(v32);
                    continue;
                }
                if field == tcp::OPT_SACK_RE {
                    if let Some(l) = left.take() {
                        s.sack.push((l, v32));
                    }
                    continue;
                }
                // The first TCP header's fields (a tunnelled one would come later).
                if seen.contains(field) {
                    continue;
                }
                seen.insert(field);
                match field {
                    f if f == tcp::SEQ => s.seq = v32,
                    f if f == tcp::SEQ_RAW => s.seq_raw = v32,
                    f if f == tcp::ACK => s.ack = v32,
                    f if f == tcp::ACK_RAW => s.ack_raw = v32,
                    f if f == tcp::LEN => s.len = v32,
                    f if f == tcp::FLAGS => s.flags = v as u16,
                    f if f == tcp::WINDOW_SIZE => s.win = v,
                    _ => {}
                }
            }
            segments.push(s);
        }
        Some(StreamGraph {
            stream,
            endpoints: [
                (Some(info.first.0), info.first.1),
                (Some(info.second.0), info.second.1),
            ],
            segments,
        })
    }

    /// The direction graphed first: the one that sends more payload (Wireshark 4.4
    /// opens the graph on the data sender); `true` is the first endpoint's.
    pub fn data_direction(&self) -> bool {
        let mut bytes = [0u64; 2];
        for s in &self.segments {
            let k = usize::from(!s.forward);
            if let Some(b) = bytes.get_mut(k) {
                *b = b.saturating_add(u64::from(s.len));
            }
        }
        bytes[0] >= bytes[1]
    }

    /// The segments sent in direction `forward`.
    pub fn sent(&self, forward: bool) -> impl Iterator<Item = &Segment> {
        self.segments.iter().filter(move |s| s.forward == forward)
    }

    /// The segments acknowledging direction `forward` (sent the other way).
    pub fn acks(&self, forward: bool) -> impl Iterator<Item = &Segment> {
        self.segments.iter().filter(move |s| s.forward != forward)
    }

    /// What to add to a relative number of direction `forward` for the raw one.
    pub fn seq_offset(&self, forward: bool) -> u32 {
        self.sent(forward)
            .next()
            .map(|s| s.seq_raw.wrapping_sub(s.seq))
            .or_else(|| {
                self.acks(forward)
                    .find(|s| s.has(tcp_flag::ACK))
                    .map(|s| s.ack_raw.wrapping_sub(s.ack))
            })
            .unwrap_or(0)
    }

    /// Round-trip times of direction `forward`'s data, sampled as Wireshark's Round
    /// Trip Time graph samples them by default: a segment is timed until the ACK
    /// that reaches its end (or part of it), a segment sent again is not timed
    /// (Karn's rule), and a segment an ACK passes beyond is dropped unsampled.
    pub fn rtt(&self, forward: bool) -> Vec<RttSample> {
        struct Unacked {
            time_secs: f64,
            seq: SeqNumber,
            end: SeqNumber,
            frame: u32,
            resent: bool,
        }
        let mut out = Vec::new();
        let mut pending: Vec<Unacked> = Vec::new();
        for s in &self.segments {
            if s.forward == forward {
                if s.len == 0 {
                    continue;
                }
                let seq = SeqNumber(s.seq);
                if let Some(u) = pending.iter_mut().find(|u| seq >= u.seq && seq < u.end) {
                    // Sent again: its ACK cannot say which copy arrived.
                    u.resent = true;
                    continue;
                }
                pending.push(Unacked {
                    time_secs: s.time_secs,
                    seq,
                    end: SeqNumber(s.seq.wrapping_add(s.len)),
                    frame: s.frame,
                    resent: false,
                });
                continue;
            }
            if !s.has(tcp_flag::ACK) {
                continue;
            }
            let ack = SeqNumber(s.ack);
            pending.retain_mut(|u| {
                if ack <= u.seq {
                    return true;
                }
                let sample = RttSample {
                    time_secs: u.time_secs,
                    seq: u.seq.0,
                    rtt_secs: s.time_secs - u.time_secs,
                    frame: u.frame,
                    ack_frame: s.frame,
                };
                if ack > u.end {
                    // Acknowledged together with a later segment: not sampled.
                    return false;
                }
                if !u.resent {
                    out.push(sample);
                }
                if ack == u.end {
                    return false;
                }
                // A partial ACK: the rest stays timed from the same send.
                u.seq = ack;
                true
            });
        }
        out
    }

    /// Throughput of direction `forward`: at each data segment, the bits per second
    /// over the `window_secs` before it (Wireshark's moving average), or over the
    /// time since the first segment while that is shorter.
    pub fn throughput(&self, forward: bool, window_secs: f64) -> Vec<(f64, f64, u32)> {
        let data: Vec<&Segment> = self.sent(forward).filter(|s| s.len > 0).collect();
        let mut out = Vec::with_capacity(data.len());
        let mut from = 0usize;
        let mut sum: u64 = 0;
        let first = data.first().map_or(0.0, |s| s.time_secs);
        for (i, s) in data.iter().enumerate() {
            sum = sum.saturating_add(u64::from(s.len));
            while let Some(old) = data.get(from) {
                if from < i && old.time_secs <= s.time_secs - window_secs {
                    sum = sum.saturating_sub(u64::from(old.len));
                    from += 1;
                } else {
                    break;
                }
            }
            let span = (s.time_secs - first).min(window_secs);
            if span > 0.0 {
                out.push((s.time_secs, sum as f64 * 8.0 / span, s.frame));
            }
        }
        out
    }

    /// Window scaling of direction `forward`: the receive window the other side
    /// advertises (time, bytes, frame; SYN and RST left out) and the bytes in
    /// flight at each segment sent (highest sequence sent minus the latest ACK).
    pub fn window(&self, forward: bool) -> WindowSeries {
        let mut out = WindowSeries::default();
        let mut last_ack: Option<SeqNumber> = None;
        let mut max_next = SeqNumber(0);
        for s in &self.segments {
            if s.forward == forward {
                let end = SeqNumber(s.seq.wrapping_add(s.len));
                if end >= max_next {
                    max_next = end;
                }
                if let Some(ack) = last_ack
                    && end >= ack
                {
                    let bytes = max_next.0.wrapping_sub(ack.0);
                    out.in_flight.push((s.time_secs, f64::from(bytes), s.frame));
                }
            } else {
                if !s.has(tcp_flag::SYN) && !s.has(tcp_flag::RST) {
                    out.receive_window
                        .push((s.time_secs, s.win as f64, s.frame));
                }
                if s.has(tcp_flag::ACK) {
                    let ack = SeqNumber(s.ack);
                    if last_ack.is_none_or(|l| ack >= l) {
                        last_ack = Some(ack);
                    }
                }
            }
        }
        out
    }
}

/// The two series of the window scaling graph.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WindowSeries {
    /// The advertised receive window: (seconds, bytes, frame).
    pub receive_window: Vec<(f64, f64, u32)>,
    /// Bytes in flight: (seconds, bytes, frame).
    pub in_flight: Vec<(f64, f64, u32)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(name: &str) -> Loaded {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/captures")
            .join(name);
        match Loaded::open(&path) {
            Ok(l) => l,
            Err(e) => panic!("{name}: {e}"),
        }
    }

    #[test]
    fn a_clean_close_graphs_every_segment_on_the_data_sender() {
        let loaded = load("tcp_clean_close.pcap");
        let Some(g) = StreamGraph::compute(&loaded, 0) else {
            panic!("no stream 0");
        };
        // Frames 9 to 18 (tshark -Y tcp.stream==0).
        assert_eq!(g.segments.len(), 10);
        assert_eq!(g.segments.first().map(|s| s.frame), Some(9));
        let first = g.segments.first().map(Segment::mark);
        assert_eq!(first, Some(Mark::Syn));
        let data = g.data_direction();
        assert!(g.sent(data).any(|s| s.len > 0));
        // Every data segment of a clean exchange is timed once.
        let timed = g.rtt(data);
        assert!(!timed.is_empty());
        assert!(timed.iter().all(|r| r.rtt_secs >= 0.0));
    }
}
