//! The ladder (flow graph) of a TCP stream: one arrow per packet with its flags,
//! numbers, teaching step, the seed's relation and both endpoints' states. The CLI's
//! `synack flow` (text, SVG, JSON) and the GUI's flow pane draw this same model.

use super::handshake::Phase;
use super::loaded::Loaded;
use crate::dissect::{Dissection, FieldSet, Value, Want, tcp as tcpf, teach};
use serde::Serialize;

/// One arrow of the ladder.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Arrow {
    /// Frame number.
    pub frame: u32,
    /// Seconds since the first packet of the capture.
    pub time: f64,
    /// The sender: 0 the left endpoint (client), 1 the right.
    pub from: usize,
    /// Flag names, e.g. `SYN, ACK`.
    pub flags: String,
    /// Sequence number (relative, or absolute when asked).
    pub seq: u32,
    /// Acknowledgment number (when the ACK flag is set).
    pub ack: Option<u32>,
    /// Payload length.
    pub len: u32,
    /// Raw sequence number.
    pub seq_raw: u32,
    /// Raw acknowledgment number (when the ACK flag is set).
    pub ack_raw: Option<u32>,
    /// The numbers behind the relation, e.g. `x = 4262667675`, or the data range.
    pub numbers: String,
    /// What the application protocol says about the payload (e.g. `GET / HTTP/1.0`).
    pub app: String,
    /// Teaching step (`handshake-1`, `data`, ...).
    pub step: String,
    /// The seed's relation (`seq=y ack=x+1`), empty for data and plain ACKs.
    pub relation: String,
    /// Left endpoint's state after the packet.
    pub left_state: String,
    /// Right endpoint's state after the packet.
    pub right_state: String,
    /// Whether each endpoint's state changed with this packet.
    pub changed: [bool; 2],
    /// One plain sentence.
    pub explain: String,
    /// tshark's analysis prefixes (`[TCP Retransmission]`), if any.
    pub analysis: String,
    /// The phase: `handshake`, `data` or `close`.
    pub phase: String,
    /// The window the sender advertises (`tcp.window_size`).
    pub window: u32,
    /// What the analysis marks mean, one sentence each naming the frames that justify
    /// it (`lessons.rs`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lessons: Vec<String>,
}

/// The ladder of one stream.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ladder {
    /// Stream index.
    pub stream: u32,
    /// Left and right endpoints as `address:port`.
    pub endpoints: [String; 2],
    /// Their roles (`client`, `server`, or `host` when no SYN was seen).
    pub roles: [String; 2],
    /// Initial states before the first arrow.
    pub initial_states: [String; 2],
    /// What was seen: handshake, data, close.
    pub summary: String,
    /// Numbers are absolute (`-S`).
    pub absolute: bool,
    /// The arrows, in capture order.
    pub arrows: Vec<Arrow>,
}

fn wanted() -> FieldSet {
    let mut set = FieldSet::new();
    for id in [
        tcpf::FLAGS,
        tcpf::SEQ,
        tcpf::ACK,
        tcpf::SEQ_RAW,
        tcpf::ACK_RAW,
        tcpf::LEN,
        teach::STEP,
        teach::SENDER_STATE,
        teach::RECEIVER_STATE,
        teach::RELATION,
        teach::EXPLAIN,
        tcpf::WINDOW_SIZE,
        tcpf::DUPLICATE_ACK_FRAME,
        tcpf::DSTPORT,
    ] {
        set.insert(id);
    }
    set
}

fn uint(d: &Dissection<'_>, field: crate::dissect::FieldId) -> Option<u64> {
    d.first(field).and_then(Value::as_u64)
}

fn text(d: &Dissection<'_>, field: crate::dissect::FieldId) -> String {
    match d.first(field) {
        Some(Value::Str(s)) => String::from_utf8_lossy(s).into_owned(),
        _ => String::new(),
    }
}

/// The numbers behind a step's relation: the initial sequence numbers are shown
/// absolute (that is what x and y are), the rest as the ladder numbers them.
fn numbers(
    step: super::handshake::Step,
    seq_raw: u32,
    ack_raw: Option<u32>,
    seq: u32,
    ack: Option<u32>,
    len: u32,
    crossed: bool,
) -> String {
    use super::handshake::Step as S;
    let a = |v: Option<u32>| v.map_or_else(|| "?".to_string(), |v| v.to_string());
    let seq_text = seq.to_string();
    match step {
        S::Handshake1 => crate::tr!("note-syn", x = seq_raw.to_string()),
        S::Handshake2 => crate::tr!("note-syn-ack", y = seq_raw.to_string(), ack = a(ack_raw)),
        S::Handshake3 => format!("x+1 = {seq_raw}, y+1 = {}", a(ack_raw)),
        S::Close1 => format!("u = {seq}"),
        S::Close2 => format!("u+1 = {}", a(ack)),
        S::Close23 => crate::tr!("note-fin-ack-fin", w = seq_text, ack = a(ack)),
        S::Close3 if crossed => crate::tr!("note-fins-crossed", w = seq_text),
        S::Close3 => format!("w = {seq}, u+1 = {}", a(ack)),
        S::Close4 => format!("w+1 = {}", a(ack)),
        S::Data => crate::tr!(
            "note-data",
            first = seq_text,
            next = seq.wrapping_add(len).to_string(),
            len = len
        ),
        S::Ack => format!("ack {}", a(ack)),
        S::Reset => format!("seq {seq}"),
        S::None => String::new(),
    }
}

/// Builds the ladder of `stream`, restricted to the frames `keep` accepts (a display
/// filter, or everything). `absolute` shows raw sequence numbers.
pub fn build(
    loaded: &Loaded,
    stream: u32,
    absolute: bool,
    mut keep: impl FnMut(usize) -> bool,
) -> Option<Ladder> {
    let info = loaded.tcp.streams.get(stream as usize)?;
    let (left, right) = match info.client {
        Some(1) => (1usize, 0usize),
        _ => (0, 1),
    };
    let endpoint = |side: usize| {
        let (addr, port) = if side == 0 { info.first } else { info.second };
        match addr {
            crate::dissect::ipv4::Addr::V6(_) => format!("[{}]:{port}", addr.text()),
            crate::dissect::ipv4::Addr::V4(_) => format!("{}:{port}", addr.text()),
        }
    };
    let role = |side: usize| match info.client {
        Some(c) if c == side => crate::tr!("role-client"),
        Some(_) => crate::tr!("role-server"),
        None => crate::tr!("role-host"),
    };
    let analysis = loaded.analysis();
    let first_ts = loaded.capture.record(0).map_or(0, |r| r.ts_nanos);
    let mut arrows = Vec::new();
    let mut states = [String::new(), String::new()];
    let mut initial: Option<[String; 2]> = None;
    let mut phases = [false; 3];
    let mut lessons = super::lessons::Lessons::new([role(left), role(right)]);
    // A segment above the SYNs' MSS was cut up by the NIC after the capture point.
    let path_mss = info.path_mss();
    for i in info.packet_range(loaded.len()) {
        let Some(record) = loaded.capture.record(i) else {
            continue;
        };
        if record.stream != stream || !keep(i) {
            continue;
        }
        let mut d = Dissection::new(Want::Fields(wanted()), false, true);
        loaded.dissect_into(i, None, &analysis, &mut d);
        let frame = (i + 1) as u32;
        let Some(p) = loaded.tcp.packet(frame) else {
            continue;
        };
        let sender = usize::from(p.from_second());
        let from = usize::from(sender != left);
        let flags = uint(&d, tcpf::FLAGS).unwrap_or(0) as u16;
        let has_ack = flags & crate::dissect::tcp::bits::ACK != 0;
        let (seq, ack) = if absolute {
            (uint(&d, tcpf::SEQ_RAW), uint(&d, tcpf::ACK_RAW))
        } else {
            (uint(&d, tcpf::SEQ), uint(&d, tcpf::ACK))
        };
        let step = p.step();
        let (s_state, r_state) = p.states();
        let (l_state, rt_state) = if from == 0 {
            (s_state.name().to_string(), r_state.name().to_string())
        } else {
            (r_state.name().to_string(), s_state.name().to_string())
        };
        if initial.is_none() {
            // The states before the first packet, as the stream's start implies.
            let syn_only = flags & 0x12 == 0x02;
            let synack = flags & 0x12 == 0x12;
            let (snd, rcv) = if syn_only {
                ("CLOSED", "LISTEN")
            } else if synack {
                ("LISTEN", "SYN-SENT")
            } else {
                ("ESTABLISHED", "ESTABLISHED")
            };
            initial = Some(if from == 0 {
                [snd.into(), rcv.into()]
            } else {
                [rcv.into(), snd.into()]
            });
            states = initial.clone().unwrap_or_default();
        }
        let changed = [states[0] != l_state, states[1] != rt_state];
        states = [l_state.clone(), rt_state.clone()];
        let phase = match step.phase() {
            Phase::Handshake => 0,
            Phase::Data => 1,
            Phase::Close => 2,
        };
        if let Some(seen) = phases.get_mut(phase) {
            *seen = true;
        }
        let seq_v = seq.unwrap_or(0) as u32;
        let ack_v = if has_ack { ack.map(|a| a as u32) } else { None };
        let seq_raw = uint(&d, tcpf::SEQ_RAW).unwrap_or(0) as u32;
        let ack_raw = if has_ack {
            uint(&d, tcpf::ACK_RAW).map(|a| a as u32)
        } else {
            None
        };
        let len = uint(&d, tcpf::LEN).unwrap_or(0) as u32;
        let relation = text(&d, teach::RELATION);
        let numbers = numbers(step, seq_raw, ack_raw, seq_v, ack_v, len, info.crossed);
        let app = if d.columns.protocol != "TCP" && len > 0 {
            d.columns.info.trim().to_string()
        } else {
            String::new()
        };
        // The leading bracketed groups only (`[TCP ZeroWindow] `): the last "] " of
        // the line is the flags' (`[ACK] `), which would take the ports along.
        let info = d.columns.info.as_str();
        let mut prefix_end = 0;
        while let Some(rest) = info.get(prefix_end..).filter(|r| r.starts_with('[')) {
            match rest.find("] ") {
                Some(p) => prefix_end += p + 2,
                None => break,
            }
        }
        let analysis_text = info.get(..prefix_end).unwrap_or("").trim_end().to_string();
        let window = uint(&d, tcpf::WINDOW_SIZE).unwrap_or(0) as u32;
        let said = lessons.explain(&super::lessons::Segment {
            frame,
            from,
            seq: seq_v,
            len,
            ack: ack_v,
            flags,
            window,
            analysis: p.flags(),
            dup_ack_frame: match d.first(tcpf::DUPLICATE_ACK_FRAME) {
                Some(Value::Frame(f)) => Some(*f),
                _ => None,
            },
            dst_port: uint(&d, tcpf::DSTPORT).unwrap_or(0) as u16,
        });
        let mut said = said;
        said.extend(teach::tso_note(len as usize, path_mss, None));
        arrows.push(Arrow {
            frame,
            time: record.ts_nanos.saturating_sub(first_ts) as f64 / 1e9,
            from,
            flags: crate::dissect::tcp::flag_names(flags),
            seq: seq_v,
            ack: ack_v,
            len,
            seq_raw,
            ack_raw,
            numbers,
            app,
            step: step.name().to_string(),
            relation,
            left_state: l_state,
            right_state: rt_state,
            changed,
            explain: text(&d, teach::EXPLAIN),
            analysis: analysis_text,
            phase: ["handshake", "data", "close"][phase].to_string(),
            window,
            lessons: said,
        });
    }
    if arrows.is_empty() {
        return None;
    }
    if let Some((_, sentence)) = lessons.unanswered_syn()
        && let Some(a) = arrows.iter_mut().rev().find(|a| a.flags == "SYN")
    {
        a.lessons.push(sentence);
    }
    let mut seen = Vec::new();
    if phases[0] {
        seen.push(crate::tr!("phase-handshake"));
    }
    if phases[1] {
        seen.push(crate::tr!("phase-data"));
    }
    if phases[2] {
        seen.push(crate::tr!("phase-close"));
    }
    let mut summary = crate::tr!(
        "ladder-seen",
        phases = seen.join(&crate::tr!("list-separator"))
    );
    if info.crossed {
        summary.push_str(&crate::tr!("ladder-fins-crossed"));
    } else if arrows.iter().any(|a| a.step == "close-2+3") {
        summary.push_str(&crate::tr!("ladder-close-in-three"));
    }
    if arrows.iter().any(|a| a.step == "reset") {
        summary.push_str(&crate::tr!("ladder-ended-by-rst"));
    }
    Some(Ladder {
        stream,
        endpoints: [endpoint(left), endpoint(right)],
        roles: [role(left), role(right)],
        initial_states: initial.unwrap_or_default(),
        summary,
        absolute,
        arrows,
    })
}
