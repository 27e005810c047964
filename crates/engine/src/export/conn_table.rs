//! `connections.parquet`: one row per conversation (TCP stream, UDP or ICMP flow),
//! Zeek `conn.log`'s columns first, then synack's own. The tallies are filled by the
//! packet pass of `dataset.rs`; TCP's badge and states come from
//! [`crate::tcp::connections`].

use super::columnar::{Cell, ColumnSpec, ColumnType, TableWriter};
use super::community_id::{self, proto};
use super::zeek::{self, History};
use crate::dissect::completeness_text;
use crate::dissect::ipv4::Addr;
use crate::tcp::connections::{Connection, Socket};
use parquet::errors::ParquetError;
use rustc_hash::FxHashMap;
use std::io::Write;

/// The analysis flags counted per connection and shown per packet: bit and the short
/// name columns carry (`tcp.analysis.NAME` in tshark).
pub const ANALYSIS_FLAGS: [(u32, &str); 15] = {
    use crate::dissect::context::flag;
    [
        (flag::RETRANSMISSION, "retransmission"),
        (flag::FAST_RETRANSMISSION, "fast_retransmission"),
        (flag::SPURIOUS_RETRANSMISSION, "spurious_retransmission"),
        (flag::OUT_OF_ORDER, "out_of_order"),
        (flag::LOST_SEGMENT, "lost_segment"),
        (flag::ACK_LOST_SEGMENT, "ack_lost_segment"),
        (flag::DUPLICATE_ACK, "duplicate_ack"),
        (flag::ZERO_WINDOW, "zero_window"),
        (flag::ZERO_WINDOW_PROBE, "zero_window_probe"),
        (flag::ZERO_WINDOW_PROBE_ACK, "zero_window_probe_ack"),
        (flag::WINDOW_FULL, "window_full"),
        (flag::WINDOW_UPDATE, "window_update"),
        (flag::KEEP_ALIVE, "keep_alive"),
        (flag::KEEP_ALIVE_ACK, "keep_alive_ack"),
        (flag::REUSED_PORTS, "reused_ports"),
    ]
};

/// What one packet adds to its conversation. Side 0 is the conversation's first
/// sender (for TCP, the stream's first endpoint).
#[derive(Debug, Clone, Copy)]
pub struct PacketFacts {
    /// Frame number.
    pub frame: u32,
    /// Capture time.
    pub ts_nanos: i64,
    /// The sending side (0 or 1).
    pub side: usize,
    /// `frame.len`.
    pub frame_len: u32,
    /// IP total length (header included).
    pub ip_len: u32,
    /// Transport payload bytes.
    pub payload: u32,
    /// The application protocol the packet carries, as Zeek names services.
    pub service: Option<&'static str>,
}

/// A conversation's running totals.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    /// Packets per side.
    pub packets: [u32; 2],
    /// `frame.len` per side.
    pub frame_bytes: [u64; 2],
    /// IP bytes per side.
    pub ip_bytes: [u64; 2],
    /// Payload bytes per side.
    pub payload: [u64; 2],
    /// First frame and time.
    pub first: Option<(u32, i64)>,
    /// Last frame and time.
    pub last: Option<(u32, i64)>,
    /// Zeek's history, by side.
    pub history: History,
    /// The first service seen.
    pub service: Option<&'static str>,
    /// Packets carrying each of [`ANALYSIS_FLAGS`].
    pub flag_counts: [u32; 15],
    /// tshark's completeness bits, ORed over the stream's frames.
    pub completeness: u8,
}

impl Tally {
    /// Adds one packet.
    pub fn add(&mut self, f: &PacketFacts) {
        let side = f.side.min(1);
        if self.first.is_none() {
            self.first = Some((f.frame, f.ts_nanos));
        }
        self.last = Some((f.frame, f.ts_nanos));
        self.packets[side] = self.packets[side].saturating_add(1);
        self.frame_bytes[side] = self.frame_bytes[side].saturating_add(u64::from(f.frame_len));
        self.ip_bytes[side] = self.ip_bytes[side].saturating_add(u64::from(f.ip_len));
        self.payload[side] = self.payload[side].saturating_add(u64::from(f.payload));
        if self.service.is_none() {
            self.service = f.service;
        }
    }

    /// Counts a TCP packet's analysis flags.
    pub fn add_flags(&mut self, flags: u32, completeness: u8) {
        for (n, (bit, _)) in self.flag_counts.iter_mut().zip(ANALYSIS_FLAGS) {
            if flags & bit != 0 {
                *n = n.saturating_add(1);
            }
        }
        self.completeness |= completeness;
    }
}

/// A UDP or ICMP flow: the endpoints as its first packet had them.
#[derive(Debug, Clone)]
pub struct Flow {
    /// The first packet's source (address, port or ICMP type).
    pub src: (Addr, u16),
    /// Its destination (address, port or ICMP code).
    pub dst: (Addr, u16),
    /// IP protocol number.
    pub ip_proto: u8,
    /// Community ID.
    pub community_id: String,
    /// ICMP's type and code in the first packet (Zeek's `id.orig_p` and `id.resp_p`
    /// for ICMP).
    pub icmp: Option<(u8, u8)>,
    /// The totals.
    pub tally: Tally,
}

/// A flow's key: the Community ID's ordered tuple, so both directions meet.
pub type FlowKey = (u8, (Addr, u16), (Addr, u16));

/// UDP and ICMP flows in first-appearance order.
#[derive(Debug, Default)]
pub struct Flows {
    index: FxHashMap<FlowKey, usize>,
    /// The flows.
    pub flows: Vec<Flow>,
}

impl Flows {
    /// The flow a datagram belongs to, created on its first packet, and the packet's
    /// side in it. `src`/`dst` carry ports (UDP) or the ICMP stand-ins
    /// ([`community_id::icmp_ports`], with `one_way`).
    pub fn flow_of(
        &mut self,
        ip_proto: u8,
        src: (Addr, u16),
        dst: (Addr, u16),
        one_way: bool,
        icmp: Option<(u8, u8)>,
    ) -> Option<(&mut Flow, usize)> {
        let (a, b) = community_id::ordered(src, dst, one_way);
        let key = (ip_proto, a, b);
        let next = self.flows.len();
        let i = *self.index.entry(key).or_insert(next);
        if i == next {
            self.flows.push(Flow {
                src,
                dst,
                ip_proto,
                community_id: community_id::community_id(0, src, dst, ip_proto, one_way),
                icmp,
                tally: Tally::default(),
            });
        }
        // The index only holds positions of flows already pushed.
        let flow = self.flows.get_mut(i)?;
        let side = usize::from(flow.src != src);
        Some((flow, side))
    }
}

/// One row of `connections.parquet`, owned so the rows can be sorted by time.
#[derive(Debug, Clone)]
pub struct ConnRow {
    ts_nanos: i64,
    uid: String,
    orig: (String, u16),
    resp: (String, u16),
    proto: &'static str,
    service: Option<&'static str>,
    duration_secs: f64,
    /// orig, resp (payload bytes, packets, IP bytes, frame bytes).
    bytes: [u64; 2],
    pkts: [u64; 2],
    ip_bytes: [u64; 2],
    frame_bytes: [u64; 2],
    conn_state: &'static str,
    history: String,
    community_id: String,
    tcp_stream: Option<u32>,
    completeness: Option<u8>,
    badge: Option<&'static str>,
    notes: Option<String>,
    states: Option<[&'static str; 2]>,
    flag_counts: Option<[u32; 15]>,
    first_frame: u32,
    last_frame: u32,
}

/// Zeek-like connection id: `C` and 17 base-62 digits of a hash of the capture's
/// name, the protocol and the first frame (stable from run to run, unlike Zeek's
/// random ones, so two exports of one capture join).
fn uid(file: &str, proto: &str, first_frame: u32) -> String {
    // FNV-1a, 64 bits, twice with different offsets for 128 bits of spread.
    let fnv = |basis: u64| {
        let mut h = basis;
        for b in file
            .bytes()
            .chain([0])
            .chain(proto.bytes())
            .chain(first_frame.to_le_bytes())
        {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h
    };
    let mut n = (u128::from(fnv(0xcbf2_9ce4_8422_2325)) << 64) | u128::from(fnv(0x84222325));
    const DIGITS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut s = String::from("C");
    for _ in 0..17 {
        let d = (n % 62) as usize;
        n /= 62;
        s.push(DIGITS.get(d).map_or('0', |c| char::from(*c)));
    }
    s
}

fn secs(nanos: i64) -> f64 {
    nanos as f64 / 1e9
}

impl ConnRow {
    /// The row of a TCP connection: `info_first` is the stream's first endpoint (side
    /// 0 of `tally`).
    pub fn tcp(file: &str, c: &Connection, info_first: Socket, tally: &Tally) -> ConnRow {
        // The tally counts by the stream's first sender; Zeek's originator is the
        // client (the SYN's sender).
        let orig = usize::from(c.client != info_first);
        let resp = 1 - orig;
        let by_role = |v: [u64; 2]| [v[orig], v[resp]];
        let client = (c.client.addr, c.client.port);
        let server = (c.server.addr, c.server.port);
        ConnRow {
            ts_nanos: c.first_ts_nanos,
            uid: uid(file, "tcp", c.first_frame),
            orig: (c.client.addr.text(), c.client.port),
            resp: (c.server.addr.text(), c.server.port),
            proto: "tcp",
            service: tally.service,
            duration_secs: secs(c.duration_nanos()),
            bytes: by_role(tally.payload),
            pkts: [u64::from(c.packets[0]), u64::from(c.packets[1])],
            ip_bytes: by_role(tally.ip_bytes),
            frame_bytes: c.bytes,
            conn_state: zeek::tcp_conn_state(c),
            history: tally.history.text(orig, orig != 0),
            community_id: community_id::community_id(0, client, server, proto::TCP, false),
            tcp_stream: Some(c.stream),
            completeness: Some(tally.completeness),
            badge: Some(c.badge.name()),
            notes: Some(c.notes.to_string()),
            states: Some([c.final_states[0].name(), c.final_states[1].name()]),
            flag_counts: Some(tally.flag_counts),
            first_frame: c.first_frame,
            last_frame: c.last_frame,
        }
    }

    /// The row of a UDP or ICMP flow (its first sender is the originator).
    pub fn flow(file: &str, f: &Flow) -> ConnRow {
        let t = &f.tally;
        let (first_frame, first_ts) = t.first.unwrap_or((0, 0));
        let (last_frame, last_ts) = t.last.unwrap_or((0, 0));
        let name = match f.ip_proto {
            proto::UDP => "udp",
            _ => "icmp",
        };
        ConnRow {
            ts_nanos: first_ts,
            uid: uid(file, name, first_frame),
            orig: (
                f.src.0.text(),
                f.icmp.map_or(f.src.1, |(t, _)| u16::from(t)),
            ),
            resp: (
                f.dst.0.text(),
                f.icmp.map_or(f.dst.1, |(_, c)| u16::from(c)),
            ),
            proto: name,
            service: t.service,
            duration_secs: secs(last_ts.saturating_sub(first_ts).max(0)),
            bytes: t.payload,
            pkts: [u64::from(t.packets[0]), u64::from(t.packets[1])],
            ip_bytes: t.ip_bytes,
            frame_bytes: t.frame_bytes,
            conn_state: zeek::datagram_conn_state(t.packets),
            history: t.history.text(0, false),
            community_id: f.community_id.clone(),
            tcp_stream: None,
            completeness: None,
            badge: None,
            notes: None,
            states: None,
            flag_counts: None,
            first_frame,
            last_frame,
        }
    }

    /// Where the row sorts: by first frame (the order of `ts`).
    pub fn first_frame(&self) -> u32 {
        self.first_frame
    }
}

/// The columns of `connections.parquet`, in order.
pub fn columns() -> Vec<ColumnSpec> {
    use ColumnType::*;
    let mut c = vec![
        ColumnSpec::new("ts", TimestampNanos),
        ColumnSpec::new("uid", Str),
        ColumnSpec::new("id.orig_h", Str),
        ColumnSpec::new("id.orig_p", Int32),
        ColumnSpec::new("id.resp_h", Str),
        ColumnSpec::new("id.resp_p", Int32),
        ColumnSpec::new("proto", Str),
        ColumnSpec::new("service", Str),
        ColumnSpec::new("duration", Double),
        ColumnSpec::new("orig_bytes", Int64),
        ColumnSpec::new("resp_bytes", Int64),
        ColumnSpec::new("conn_state", Str),
        ColumnSpec::new("history", Str),
        ColumnSpec::new("orig_pkts", Int64),
        ColumnSpec::new("orig_ip_bytes", Int64),
        ColumnSpec::new("resp_pkts", Int64),
        ColumnSpec::new("resp_ip_bytes", Int64),
        ColumnSpec::new("community_id", Str),
        ColumnSpec::new("file", Str),
        ColumnSpec::new("orig_frame_bytes", Int64),
        ColumnSpec::new("resp_frame_bytes", Int64),
        ColumnSpec::new("tcp_stream", Int64),
        ColumnSpec::new("completeness", Int32),
        ColumnSpec::new("completeness_words", Str),
        ColumnSpec::new("badge", Str),
        ColumnSpec::new("notes", Str),
        ColumnSpec::new("orig_state", Str),
        ColumnSpec::new("resp_state", Str),
    ];
    for (_, name) in ANALYSIS_FLAGS {
        c.push(ColumnSpec::new(format!("{name}_count"), Int64));
    }
    c.push(ColumnSpec::new("first_frame", Int64));
    c.push(ColumnSpec::new("last_frame", Int64));
    c
}

/// Writes `row` into `t` (whose columns are [`columns`]).
pub fn push_row<W: Write + Send>(
    t: &mut TableWriter<W>,
    file: &str,
    row: &ConnRow,
) -> Result<(), ParquetError> {
    let int = |v: u64| Cell::Int(i64::try_from(v).unwrap_or(i64::MAX));
    t.push(Cell::Int(row.ts_nanos));
    t.push(Cell::Str(&row.uid));
    t.push(Cell::Str(&row.orig.0));
    t.push(Cell::Int(i64::from(row.orig.1)));
    t.push(Cell::Str(&row.resp.0));
    t.push(Cell::Int(i64::from(row.resp.1)));
    t.push(Cell::Str(row.proto));
    t.push(row.service.map_or(Cell::Null, Cell::Str));
    t.push(Cell::Float(row.duration_secs));
    t.push(int(row.bytes[0]));
    t.push(int(row.bytes[1]));
    t.push(Cell::Str(row.conn_state));
    t.push(Cell::Str(&row.history));
    t.push(int(row.pkts[0]));
    t.push(int(row.ip_bytes[0]));
    t.push(int(row.pkts[1]));
    t.push(int(row.ip_bytes[1]));
    t.push(Cell::Str(&row.community_id));
    t.push(Cell::Str(file));
    t.push(int(row.frame_bytes[0]));
    t.push(int(row.frame_bytes[1]));
    t.push(
        row.tcp_stream
            .map_or(Cell::Null, |s| Cell::Int(i64::from(s))),
    );
    t.push(
        row.completeness
            .map_or(Cell::Null, |c| Cell::Int(i64::from(c))),
    );
    let words = row.completeness.map(completeness_text);
    t.push(words.as_deref().map_or(Cell::Null, Cell::Str));
    t.push(row.badge.map_or(Cell::Null, Cell::Str));
    t.push(row.notes.as_deref().map_or(Cell::Null, Cell::Str));
    t.push(row.states.map_or(Cell::Null, |s| Cell::Str(s[0])));
    t.push(row.states.map_or(Cell::Null, |s| Cell::Str(s[1])));
    for i in 0..ANALYSIS_FLAGS.len() {
        let n = row.flag_counts.and_then(|c| c.get(i).copied());
        t.push(n.map_or(Cell::Null, |n| Cell::Int(i64::from(n))));
    }
    t.push(Cell::Int(i64::from(row.first_frame)));
    t.push(Cell::Int(i64::from(row.last_frame)));
    t.end_row()
}
