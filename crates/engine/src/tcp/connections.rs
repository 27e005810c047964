//! One summary per TCP connection (stream): who opened it, how much it carried and a
//! badge for how it went (complete, reset, refused, ...), read from the per-packet
//! records the load pass keeps, so that a million packets are summed in one cheap pass.

use super::handshake::Step;
use super::loaded::Loaded;
use super::results::{PacketAnalysis, StreamInfo, stream_of};
use crate::capture::PacketRecord;
use crate::dissect::context::{TcpState, flag};
use crate::dissect::ipv4::Addr;
use std::fmt;

/// One end of a connection: an address and a port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Socket {
    /// The IP address.
    pub addr: Addr,
    /// The TCP port.
    pub port: u16,
}

impl fmt::Display for Socket {
    /// `10.0.0.1:80`, or `[fd00::1]:80` for IPv6 (RFC 3986's bracketed form).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.addr {
            Addr::V4(_) => write!(f, "{}:{}", self.addr.text(), self.port),
            Addr::V6(_) => write!(f, "[{}]:{}", self.addr.text(), self.port),
        }
    }
}

impl From<(Addr, u16)> for Socket {
    fn from((addr, port): (Addr, u16)) -> Self {
        Socket { addr, port }
    }
}

/// How a connection went, as far as the capture shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Badge {
    /// The handshake and the close (a FIN from each side) were both seen.
    Complete,
    /// An RST ended the connection after the handshake, before both FINs.
    Reset,
    /// The SYN was answered by an RST from the other side: nothing listened there.
    Refused,
    /// SYN (perhaps several) and no answer.
    SynOnly,
    /// The handshake was seen, but neither an RST nor a FIN from each side.
    NoClose,
    /// No SYN and no SYN+ACK: the capture started after the connection opened.
    MidStream,
}

impl Badge {
    /// The badge's word (`complete`, `reset`, `refused`, `syn-only`, `no-close`,
    /// `mid-stream`).
    pub fn name(self) -> &'static str {
        match self {
            Badge::Complete => "complete",
            Badge::Reset => "reset",
            Badge::Refused => "refused",
            Badge::SynOnly => "syn-only",
            Badge::NoClose => "no-close",
            Badge::MidStream => "mid-stream",
        }
    }

    /// Every badge, in the order a picker lists them.
    pub const ALL: [Badge; 6] = [
        Badge::Complete,
        Badge::Reset,
        Badge::Refused,
        Badge::SynOnly,
        Badge::NoClose,
        Badge::MidStream,
    ];
}

/// Something worth knowing about a connection besides its badge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Note {
    /// After the first FIN, the other side still sent data before (or with) its own
    /// FIN: one direction was closed while the other went on.
    HalfClose = 0,
    /// The two FINs crossed on the wire (both ends pass through CLOSING).
    SimultaneousClose = 1,
    /// The second FIN also acknowledged the first (FIN+ACK merged): a close in three
    /// packets instead of four.
    ThreePacketClose = 2,
    /// Only one side's FIN was seen.
    OneFin = 3,
    /// An RST came after both FINs (the badge stays `complete`).
    RstAfterClose = 4,
    /// The client sent its SYN more than once (the same initial sequence number).
    SynRetransmitted = 5,
    /// Both sides sent a SYN (simultaneous open, RFC 9293 section 3.5).
    SimultaneousOpen = 6,
    /// The handshake counts as seen, but its SYN or its SYN+ACK is not in the capture
    /// (it started mid-handshake, or lost one).
    PartialHandshake = 7,
    /// A packet opened a new connection on a 4-tuple used before, with a new initial
    /// sequence number (tshark's `tcp.analysis.reused_ports`): a SYN starts a new
    /// stream, a SYN+ACK stays in the old one.
    PortsReused = 8,
}

impl Note {
    /// Every note, in the order they are listed.
    pub const ALL: [Note; 9] = [
        Note::HalfClose,
        Note::SimultaneousClose,
        Note::ThreePacketClose,
        Note::OneFin,
        Note::RstAfterClose,
        Note::SynRetransmitted,
        Note::SimultaneousOpen,
        Note::PartialHandshake,
        Note::PortsReused,
    ];

    /// The note's word (`half-close`, `simultaneous-close`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Note::HalfClose => "half-close",
            Note::SimultaneousClose => "simultaneous-close",
            Note::ThreePacketClose => "three-packet-close",
            Note::OneFin => "one-fin",
            Note::RstAfterClose => "rst-after-close",
            Note::SynRetransmitted => "syn-retransmitted",
            Note::SimultaneousOpen => "simultaneous-open",
            Note::PartialHandshake => "partial-handshake",
            Note::PortsReused => "ports-reused",
        }
    }
}

/// A set of [`Note`]s (a bit each).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Notes(u16);

impl Notes {
    /// Adds `note`.
    pub fn insert(&mut self, note: Note) {
        self.0 |= 1 << (note as u8);
    }

    /// Whether `note` is in the set.
    pub fn contains(self, note: Note) -> bool {
        self.0 & (1 << (note as u8)) != 0
    }

    /// True when there is none.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The notes, in [`Note::ALL`]'s order.
    pub fn iter(self) -> impl Iterator<Item = Note> {
        Note::ALL.into_iter().filter(move |n| self.contains(*n))
    }
}

impl fmt::Display for Notes {
    /// The notes' words joined by commas (nothing when empty).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, note) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            f.write_str(note.name())?;
        }
        Ok(())
    }
}

/// The frames that decide a badge, per side (index 0 the client, 1 the server).
/// Zeek-style histories and connection states can be derived from them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Seen {
    /// Pure SYNs sent (retransmissions included).
    pub syns: [u32; 2],
    /// A SYN+ACK was sent.
    pub syn_ack: [bool; 2],
    /// The first FIN sent, by frame number.
    pub fin: [Option<u32>; 2],
    /// The first RST sent, by frame number.
    pub rst: [Option<u32>; 2],
    /// RSTs sent.
    pub rsts: [u32; 2],
    /// Segments with payload sent.
    pub data: [u32; 2],
}

/// One TCP connection (one `tcp.stream`), summed up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    /// `tcp.stream`.
    pub stream: u32,
    /// The client: the sender of the first SYN, else the receiver of the SYN+ACK,
    /// else the sender of the stream's first packet (tshark's address A).
    pub client: Socket,
    /// The other end.
    pub server: Socket,
    /// Whether a SYN or SYN+ACK told the roles (otherwise they are a guess).
    pub roles_known: bool,
    /// Packets client to server, server to client.
    pub packets: [u32; 2],
    /// Frame bytes (`frame.len`, as tshark's conversations count) each way.
    pub bytes: [u64; 2],
    /// First frame number.
    pub first_frame: u32,
    /// Last frame number.
    pub last_frame: u32,
    /// Capture time of the first frame.
    pub first_ts_nanos: i64,
    /// Capture time of the last frame.
    pub last_ts_nanos: i64,
    /// How it went.
    pub badge: Badge,
    /// What else is worth knowing.
    pub notes: Notes,
    /// The client's and the server's RFC 9293 states after the last packet.
    pub final_states: [TcpState; 2],
    /// The packets the badge was decided from.
    pub seen: Seen,
}

impl Connection {
    /// Packets both ways.
    pub fn total_packets(&self) -> u64 {
        self.packets.iter().map(|p| u64::from(*p)).sum()
    }

    /// Frame bytes both ways.
    pub fn total_bytes(&self) -> u64 {
        self.bytes.iter().fold(0u64, |a, b| a.saturating_add(*b))
    }

    /// Time from the first to the last packet, in nanoseconds.
    pub fn duration_nanos(&self) -> i64 {
        self.last_ts_nanos
            .saturating_sub(self.first_ts_nanos)
            .max(0)
    }

    /// How complete the capture of the connection is, in words for the
    /// Conversations table: "handshake, data, close", "reset after data", "SYN, no
    /// answer", "no handshake seen", ...
    pub fn completeness_words(&self) -> String {
        let data = self.seen.data.iter().any(|d| *d > 0);
        let opened = match self.badge {
            Badge::SynOnly => return "SYN, no answer".into(),
            Badge::Refused => return "SYN, refused (RST)".into(),
            Badge::MidStream => "no handshake seen",
            _ if self.notes.contains(Note::PartialHandshake) => "part of the handshake",
            _ => "handshake",
        };
        let mut words = vec![opened];
        if data {
            words.push("data");
        }
        match self.badge {
            Badge::Complete => words.push("close"),
            Badge::Reset if data => return format!("{}, reset after data", opened),
            Badge::Reset => words.push("reset"),
            _ if self.seen.rst.iter().any(Option::is_some) => words.push("reset"),
            _ if self.seen.fin.iter().any(Option::is_some) => words.push("one FIN"),
            _ => words.push("no close"),
        }
        words.join(", ")
    }
}

/// What one stream's packets add up to, before the badge is decided. Sides are the
/// stream's endpoints as [`StreamInfo`] numbers them (0 sent the first frame).
#[derive(Debug, Clone, Default)]
struct Tally {
    seen: Seen,
    packets: [u32; 2],
    bytes: [u64; 2],
    first: Option<(u32, i64)>,
    last: Option<(u32, i64)>,
    /// Data sent by the side that had not closed, after the other side's FIN.
    data_after_fin: bool,
    three_packet_close: bool,
    ports_reused: bool,
    final_states: [Option<TcpState>; 2],
}

/// Frames that carry data again rather than new data.
const RESENT: u32 =
    flag::RETRANSMISSION | flag::FAST_RETRANSMISSION | flag::SPURIOUS_RETRANSMISSION;

impl Tally {
    fn add(&mut self, frame: u32, record: &PacketRecord, p: &PacketAnalysis) {
        let side = usize::from(p.from_second());
        let other = 1 - side;
        let ts = record.ts_nanos;
        if self.first.is_none() {
            self.first = Some((frame, ts));
        }
        self.last = Some((frame, ts));
        if let Some(n) = self.packets.get_mut(side) {
            *n = n.saturating_add(1);
        }
        if let Some(b) = self.bytes.get_mut(side) {
            *b = b.saturating_add(u64::from(record.orig_len));
        }
        if p.flags() & flag::REUSED_PORTS != 0 {
            self.ports_reused = true;
        }
        let seen = &mut self.seen;
        let step = p.step();
        match step {
            Step::Handshake1 => seen.syns[side] = seen.syns[side].saturating_add(1),
            Step::Handshake2 => seen.syn_ack[side] = true,
            Step::Close1 | Step::Close3 | Step::Close23 => {
                if step == Step::Close23 {
                    self.three_packet_close = true;
                }
                seen.fin[side].get_or_insert(frame);
            }
            Step::Reset => {
                seen.rst[side].get_or_insert(frame);
                seen.rsts[side] = seen.rsts[side].saturating_add(1);
            }
            _ => {}
        }
        if p.has_payload() && step != Step::Reset {
            seen.data[side] = seen.data[side].saturating_add(1);
            // Half-close: the other side has closed its direction (its FIN is in),
            // this side has not, yet new data still flows from it. A FIN carrying
            // data counts: the data went before the FIN.
            let closed_here_before = seen.fin[side].is_some_and(|f| f < frame);
            if seen.fin[other].is_some() && !closed_here_before && p.flags() & RESENT == 0 {
                self.data_after_fin = true;
            }
        }
        let (sender, receiver) = p.states();
        self.final_states[side] = Some(sender);
        self.final_states[other] = Some(receiver);
    }

    /// Decides the badge and the notes of a stream.
    fn finish(&self, stream: u32, info: &StreamInfo) -> Option<Connection> {
        let (first_frame, first_ts) = self.first?;
        let (last_frame, last_ts) = self.last?;
        let s = &self.seen;
        // The client: the first SYN's sender, else the SYN+ACK's receiver, else the
        // first packet's sender (tshark's conversation address A).
        let from_synack = match s.syn_ack {
            [true, false] => Some(1),
            [false, true] => Some(0),
            _ => None,
        };
        let client = info.client.or(from_synack).unwrap_or(0).min(1);
        let server = 1 - client;
        let sockets = [Socket::from(info.first), Socket::from(info.second)];
        let by_role = |pair: [u32; 2]| [pair[client], pair[server]];
        let syn_seen = s.syns.iter().any(|n| *n > 0);
        let synack_seen = s.syn_ack.iter().any(|b| *b);
        // The SYN was answered by something other than an RST (its SYN+ACK may be
        // missing from the capture, but the server spoke).
        let server_spoke = s.packets_other_than_rst(server, &self.packets) > 0;
        let handshake = synack_seen || (syn_seen && server_spoke);
        let close_frame = match s.fin {
            [Some(a), Some(b)] => Some(a.max(b)),
            _ => None,
        };
        let first_rst = s.rst.iter().flatten().copied().min();
        let mut notes = Notes::default();
        let badge = if !handshake {
            if !syn_seen {
                Badge::MidStream
            } else if s.rst[server].is_some() {
                // RFC 9293 section 3.5.2: a SYN to a port with no listener is
                // answered by RST.
                Badge::Refused
            } else {
                Badge::SynOnly
            }
        } else {
            match (first_rst, close_frame) {
                (Some(rst), Some(close)) if rst > close => {
                    notes.insert(Note::RstAfterClose);
                    Badge::Complete
                }
                (Some(_), _) => Badge::Reset,
                (None, Some(_)) => Badge::Complete,
                (None, None) => Badge::NoClose,
            }
        };
        if self.data_after_fin && close_frame.is_some() {
            notes.insert(Note::HalfClose);
        }
        if info.crossed {
            notes.insert(Note::SimultaneousClose);
        }
        if self.three_packet_close {
            notes.insert(Note::ThreePacketClose);
        }
        if s.fin.iter().flatten().count() == 1 {
            notes.insert(Note::OneFin);
        }
        if s.syns[client] > 1 {
            notes.insert(Note::SynRetransmitted);
        }
        if s.syns.iter().all(|n| *n > 0) {
            notes.insert(Note::SimultaneousOpen);
        }
        if handshake && !(syn_seen && synack_seen) {
            notes.insert(Note::PartialHandshake);
        }
        if self.ports_reused {
            notes.insert(Note::PortsReused);
        }
        let state = |side: usize| {
            self.final_states
                .get(side)
                .copied()
                .flatten()
                .unwrap_or(TcpState::Established)
        };
        Some(Connection {
            stream,
            client: sockets[client],
            server: sockets[server],
            roles_known: info.client.is_some() || from_synack.is_some(),
            packets: by_role(self.packets),
            bytes: [self.bytes[client], self.bytes[server]],
            first_frame,
            last_frame,
            first_ts_nanos: first_ts,
            last_ts_nanos: last_ts,
            badge,
            notes,
            final_states: [state(client), state(server)],
            seen: Seen {
                syns: by_role(s.syns),
                syn_ack: [s.syn_ack[client], s.syn_ack[server]],
                fin: [s.fin[client], s.fin[server]],
                rst: [s.rst[client], s.rst[server]],
                rsts: by_role(s.rsts),
                data: by_role(s.data),
            },
        })
    }
}

impl Seen {
    /// Packets `side` sent that were not RSTs.
    fn packets_other_than_rst(&self, side: usize, packets: &[u32; 2]) -> u32 {
        packets
            .get(side)
            .copied()
            .unwrap_or(0)
            .saturating_sub(self.rsts.get(side).copied().unwrap_or(0))
    }
}

/// Every TCP connection of `loaded`, by stream number: one pass over the index and the
/// per-packet records, no packet dissected again.
pub fn summarize(loaded: &Loaded) -> Vec<Connection> {
    let streams = &loaded.tcp.streams;
    let mut tallies = vec![Tally::default(); streams.len()];
    let records = loaded.capture.index().packets.iter();
    for (i, (record, p)) in records.zip(loaded.tcp.packets.iter()).enumerate() {
        let Some(stream) = stream_of(record) else {
            continue;
        };
        let frame = u32::try_from(i).unwrap_or(u32::MAX).saturating_add(1);
        if let Some(tally) = tallies.get_mut(stream as usize) {
            tally.add(frame, &record, &p);
        }
    }
    tallies
        .iter()
        .zip(streams)
        .enumerate()
        .filter_map(|(i, (tally, info))| tally.finish(u32::try_from(i).ok()?, &info))
        .collect()
}

/// The connection of one stream, reading only its frames' range.
pub fn summarize_one(loaded: &Loaded, stream: u32) -> Option<Connection> {
    let info = loaded.tcp.streams.get(stream as usize)?;
    let mut tally = Tally::default();
    for frame in info.first_frame..=info.last_frame {
        let i = (frame as usize).checked_sub(1)?;
        let (Some(record), Some(p)) = (loaded.capture.record(i), loaded.tcp.packets.get(i)) else {
            continue;
        };
        if stream_of(record) == Some(stream) {
            tally.add(frame, &record, &p);
        }
    }
    tally.finish(stream, &info)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::BlockKind;
    use crate::dissect::tcp::bits::{ACK, FIN, PSH, RST, SYN};
    use crate::tcp::handshake::Teacher;
    use crate::tcp::results::Bases;

    const A: u32 = 0x0a00_0001;
    const B: u32 = 0x0a00_0002;

    fn info(first_sender: u32, client: Option<usize>, crossed: bool) -> StreamInfo {
        let addr = |a: u32| Addr::V4(a.to_be_bytes());
        let other = if first_sender == A { B } else { A };
        StreamInfo {
            first: (addr(first_sender), 40000),
            second: (addr(other), 80),
            first_frame: 1,
            last_frame: 1,
            first_ts: 0,
            bases: Bases::default(),
            irtt: None,
            server_port: None,
            client,
            x: None,
            y: None,
            u: None,
            w: None,
            first_fin_by: None,
            crossed,
            frames: 0,
            mss: [None; 2],
        }
    }

    /// One segment: the sender (0 the stream's first sender), TCP flags, raw seq and
    /// ack, payload length, analysis flags.
    type Seg = (usize, u16, u32, u32, u32, u32);

    /// Runs `segs` through the teacher (as the load pass does) and sums them up.
    fn summarize_segments(segs: &[Seg]) -> Connection {
        let mut teacher = Teacher::default();
        let mut tally = Tally::default();
        let mut records: Vec<PacketAnalysis> = Vec::new();
        for (i, &(side, flags, seq, ack, len, analysis)) in segs.iter().enumerate() {
            let frame = i as u32 + 1;
            let mut patches = Vec::new();
            let out = teacher.packet(side, frame, flags, seq, ack, len, |p| patches.push(p));
            for crate::tcp::handshake::Patch::Receiver(f, state) in patches {
                if let Some(r) = records.get_mut(f as usize - 1) {
                    r.set_receiver_state(state);
                }
            }
            let mut p = PacketAnalysis::default();
            p.set_teaching(out.step, out.sender, out.receiver);
            p.set_from_second(side == 1);
            p.set_has_payload(len > 0);
            p.set_flags(analysis);
            records.push(p);
        }
        for (i, p) in records.iter().enumerate() {
            let frame = i as u32 + 1;
            let record = PacketRecord::new(
                0,
                i64::from(frame) * 1000,
                60,
                60,
                0,
                BlockKind::PcapRecord,
                false,
            );
            tally.add(frame, &record, p);
        }
        tally
            .finish(0, &info(A, teacher.client, teacher.crossed))
            .unwrap()
    }

    fn notes(c: &Connection) -> String {
        c.notes.to_string()
    }

    const OPEN: [Seg; 3] = [
        (0, SYN, 100, 0, 0, 0),
        (1, SYN | ACK, 500, 101, 0, 0),
        (0, ACK, 101, 501, 0, 0),
    ];

    fn with_open(rest: &[Seg]) -> Vec<Seg> {
        OPEN.iter().chain(rest).copied().collect()
    }

    #[test]
    fn a_four_way_close_is_complete() {
        let c = summarize_segments(&with_open(&[
            (0, FIN | ACK, 101, 501, 0, 0),
            (1, ACK, 501, 102, 0, 0),
            (1, FIN | ACK, 501, 102, 0, 0),
            (0, ACK, 102, 502, 0, 0),
        ]));
        assert_eq!((c.badge, notes(&c).as_str()), (Badge::Complete, ""));
        assert_eq!(c.final_states, [TcpState::TimeWait, TcpState::Closed]);
        assert_eq!(c.packets, [4, 3]);
        assert!(c.roles_known);
        assert_eq!(c.client.to_string(), "10.0.0.1:40000");
    }

    #[test]
    fn a_merged_fin_ack_is_a_three_packet_close() {
        let c = summarize_segments(&with_open(&[
            (0, FIN | ACK, 101, 501, 0, 0),
            (1, FIN | ACK, 501, 102, 0, 0),
            (0, ACK, 102, 502, 0, 0),
        ]));
        assert_eq!(
            (c.badge, notes(&c).as_str()),
            (Badge::Complete, "three-packet-close")
        );
    }

    /// The server answers the client's FIN with data, then with data and its FIN in
    /// one segment: both are data after the FIN.
    #[test]
    fn data_after_the_peers_fin_is_a_half_close() {
        let c = summarize_segments(&with_open(&[
            (0, FIN | ACK, 101, 501, 0, 0),
            (1, PSH | ACK, 501, 102, 10, 0),
            (0, ACK, 102, 511, 0, 0),
            (1, FIN | PSH | ACK, 511, 102, 10, 0),
            (0, ACK, 102, 522, 0, 0),
        ]));
        assert_eq!(
            (c.badge, notes(&c).as_str()),
            (Badge::Complete, "half-close")
        );
        let c = summarize_segments(&with_open(&[
            (0, FIN | ACK, 101, 501, 0, 0),
            (1, FIN | PSH | ACK, 501, 102, 10, 0),
            (0, ACK, 102, 512, 0, 0),
        ]));
        assert_eq!(
            (c.badge, notes(&c).as_str()),
            (Badge::Complete, "half-close,three-packet-close")
        );
    }

    /// A retransmission of data sent before the FIN is not new data.
    #[test]
    fn a_retransmission_after_the_fin_is_not_a_half_close() {
        let c = summarize_segments(&with_open(&[
            (1, PSH | ACK, 501, 101, 10, 0),
            (0, FIN | ACK, 101, 511, 0, 0),
            (1, PSH | ACK, 501, 102, 10, flag::RETRANSMISSION),
            (1, FIN | ACK, 511, 102, 0, 0),
            (0, ACK, 102, 512, 0, 0),
        ]));
        assert_eq!((c.badge, notes(&c).as_str()), (Badge::Complete, ""));
    }

    #[test]
    fn crossing_fins_are_a_simultaneous_close() {
        let c = summarize_segments(&with_open(&[
            (1, FIN | ACK, 501, 101, 0, 0),
            (0, FIN | ACK, 101, 501, 0, 0),
            (1, ACK, 502, 102, 0, 0),
            (0, ACK, 102, 502, 0, 0),
        ]));
        assert_eq!(
            (c.badge, notes(&c).as_str()),
            (Badge::Complete, "simultaneous-close")
        );
        assert_eq!(c.final_states, [TcpState::TimeWait, TcpState::TimeWait]);
    }

    #[test]
    fn rst_after_the_handshake_is_a_reset() {
        let c = summarize_segments(&with_open(&[(0, RST | ACK, 101, 501, 0, 0)]));
        assert_eq!((c.badge, notes(&c).as_str()), (Badge::Reset, ""));
        assert_eq!(c.seen.rst, [Some(4), None]);
        assert_eq!(c.final_states, [TcpState::Closed, TcpState::Closed]);
    }

    /// One FIN, then an RST: the RST ended it, the FIN is a note.
    #[test]
    fn fin_then_rst_is_a_reset_with_one_fin() {
        let c = summarize_segments(&with_open(&[
            (0, FIN | ACK, 101, 501, 0, 0),
            (1, RST, 501, 0, 0, 0),
        ]));
        assert_eq!((c.badge, notes(&c).as_str()), (Badge::Reset, "one-fin"));
    }

    /// Both FINs, then an RST (a late segment hitting a closed socket): the close
    /// was seen whole.
    #[test]
    fn rst_after_both_fins_stays_complete() {
        let c = summarize_segments(&with_open(&[
            (0, FIN | ACK, 101, 501, 0, 0),
            (1, FIN | ACK, 501, 102, 0, 0),
            (0, RST, 102, 0, 0, 0),
        ]));
        assert_eq!(
            (c.badge, notes(&c).as_str()),
            (Badge::Complete, "three-packet-close,rst-after-close")
        );
    }

    #[test]
    fn a_syn_answered_by_rst_is_refused() {
        let c = summarize_segments(&[
            (0, SYN, 100, 0, 0, 0),
            (0, SYN, 100, 0, 0, flag::RETRANSMISSION),
            (1, RST | ACK, 0, 101, 0, 0),
        ]);
        assert_eq!(
            (c.badge, notes(&c).as_str()),
            (Badge::Refused, "syn-retransmitted")
        );
        assert_eq!(c.final_states, [TcpState::Closed, TcpState::Closed]);
    }

    /// The client giving up with its own RST is no answer from the server.
    #[test]
    fn unanswered_syns_are_syn_only() {
        let c = summarize_segments(&[(0, SYN, 100, 0, 0, 0)]);
        assert_eq!((c.badge, notes(&c).as_str()), (Badge::SynOnly, ""));
        let c = summarize_segments(&[
            (0, SYN, 100, 0, 0, 0),
            (0, SYN, 100, 0, 0, flag::RETRANSMISSION),
            (0, RST, 101, 0, 0, 0),
        ]);
        assert_eq!(
            (c.badge, notes(&c).as_str()),
            (Badge::SynOnly, "syn-retransmitted")
        );
    }

    #[test]
    fn a_handshake_without_fin_or_rst_is_no_close() {
        let c = summarize_segments(&with_open(&[(0, PSH | ACK, 101, 501, 5, 0)]));
        assert_eq!((c.badge, notes(&c).as_str()), (Badge::NoClose, ""));
        let c = summarize_segments(&with_open(&[(0, FIN | ACK, 101, 501, 0, 0)]));
        assert_eq!((c.badge, notes(&c).as_str()), (Badge::NoClose, "one-fin"));
        assert_eq!(c.final_states, [TcpState::FinWait1, TcpState::CloseWait]);
    }

    /// No SYN, no SYN+ACK: whatever follows, the opening was not seen.
    #[test]
    fn a_stream_without_syn_is_mid_stream() {
        let c = summarize_segments(&[
            (0, PSH | ACK, 100, 500, 5, 0),
            (1, ACK, 500, 105, 0, 0),
            (0, FIN | ACK, 105, 500, 0, 0),
            (1, FIN | ACK, 500, 106, 0, 0),
        ]);
        assert_eq!(
            (c.badge, notes(&c).as_str()),
            (Badge::MidStream, "three-packet-close")
        );
        assert!(!c.roles_known);
        assert_eq!(c.client.to_string(), "10.0.0.1:40000");
    }

    /// The capture starts with the SYN+ACK: its receiver is the client, and the
    /// handshake counts as seen.
    #[test]
    fn a_capture_starting_at_the_syn_ack_knows_the_client() {
        let c = summarize_segments(&[
            (0, SYN | ACK, 500, 101, 0, 0),
            (1, ACK, 101, 501, 0, 0),
            (1, FIN | ACK, 101, 501, 0, 0),
            (0, FIN | ACK, 501, 102, 0, 0),
            (1, ACK, 102, 502, 0, 0),
        ]);
        assert_eq!(
            (c.badge, notes(&c).as_str()),
            (Badge::Complete, "three-packet-close,partial-handshake")
        );
        assert!(c.roles_known);
        assert_eq!(c.client.to_string(), "10.0.0.2:80");
        assert_eq!(c.packets, [3, 2]);
    }

    /// The SYN+ACK is missing but the server sent data: the connection opened.
    #[test]
    fn a_lost_syn_ack_still_opens() {
        let c = summarize_segments(&[
            (0, SYN, 100, 0, 0, 0),
            (0, ACK, 101, 501, 0, 0),
            (1, PSH | ACK, 501, 101, 5, 0),
        ]);
        assert_eq!(
            (c.badge, notes(&c).as_str()),
            (Badge::NoClose, "partial-handshake")
        );
    }

    /// RFC 9293 figure 8: both ends send a SYN, then a SYN+ACK.
    #[test]
    fn simultaneous_open_is_noted() {
        let c = summarize_segments(&[
            (0, SYN, 100, 0, 0, 0),
            (1, SYN, 500, 0, 0, 0),
            (0, SYN | ACK, 100, 501, 0, 0),
            (1, SYN | ACK, 500, 101, 0, 0),
            (0, RST | ACK, 101, 501, 0, 0),
        ]);
        assert_eq!(
            (c.badge, notes(&c).as_str()),
            (Badge::Reset, "simultaneous-open")
        );
        assert_eq!(c.client.to_string(), "10.0.0.1:40000");
    }

    #[test]
    fn notes_print_in_a_fixed_order() {
        let mut n = Notes::default();
        assert_eq!(n.to_string(), "");
        n.insert(Note::PortsReused);
        n.insert(Note::HalfClose);
        assert_eq!(n.to_string(), "half-close,ports-reused");
        assert!(n.contains(Note::HalfClose) && !n.contains(Note::OneFin));
    }

    #[test]
    fn completeness_in_words_for_the_captures_students_meet() {
        let words = |name: &str| -> Vec<String> {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../tests/captures")
                .join(name);
            let loaded = match crate::tcp::Loaded::open(&path) {
                Ok(l) => l,
                Err(e) => panic!("{name}: {e}"),
            };
            summarize(&loaded)
                .iter()
                .map(Connection::completeness_words)
                .collect()
        };
        assert_eq!(words("tcp_clean_close.pcap"), ["handshake, data, close"]);
        assert_eq!(words("tcp_refused.pcap"), ["SYN, refused (RST)"]);
        assert_eq!(words("tcp_abort_rst.pcap"), ["handshake, reset after data"]);
    }
}
