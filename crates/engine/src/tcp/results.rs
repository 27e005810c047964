//! What the load pass keeps: a compact record per packet (20 bytes), rare values in
//! sorted side tables, and a small summary per stream.

use super::handshake::{self, Step};
use crate::capture::{CHUNK_LEN, PacketRecord};
use crate::dissect::context::{AppProto, Pdu, TcpState};
use crate::dissect::ipv4::Addr;
use rustc_hash::FxHashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

/// Per-packet analysis results, 20 bytes, `Copy`, no heap.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[repr(C)]
pub struct PacketAnalysis {
    /// Analysis flag bits (`dissect::context::flag`), completeness (6 bits at 19) and
    /// the window shift + 2 (5 bits at 25).
    pub bits: u32,
    /// Teaching step (4 bits), sender and receiver states (4 + 4), the sender is the
    /// stream's second endpoint (1 bit at 12), PDU kind (3 bits at 13), application
    /// protocol (2 bits at 16, a third at 22), TLS version known before the frame
    /// (3 bits at 18), the segment carries payload (1 bit at 21).
    pub teach: u32,
    /// Bytes in flight (0: not shown).
    pub bytes_in_flight: u32,
    /// Bytes sent since the last PSH (shown with bytes in flight).
    pub push_bytes_sent: u32,
    /// How many frames back are the frame this one acknowledges (low 16 bits) and the
    /// previous frame of the same stream (high 16 bits); 0 is none, and [`FAR`] says
    /// the frame is further back than 16 bits reach ([`TcpResults::far_refs`] holds
    /// it).
    back: u32,
}

const _: () = assert!(std::mem::size_of::<PacketAnalysis>() == 20);

/// A reference further back than 16 bits of frame distance reach.
const FAR: u32 = 0xFFFF;

/// Frame `to` as a distance back from `frame` (0: none, [`FAR`]: too far).
fn distance(frame: u32, to: u32) -> u32 {
    if to == 0 {
        return 0;
    }
    match frame.checked_sub(to) {
        Some(d) if d > 0 && d < FAR => d,
        _ => FAR,
    }
}

/// The frame `d` back from `frame`, or `None` when `d` is 0 or [`FAR`].
fn frame_back(frame: u32, d: u32) -> Option<u32> {
    if d == 0 || d == FAR {
        return None;
    }
    frame.checked_sub(d)
}

const COMPLETENESS_SHIFT: u32 = 19;
/// [`PacketAnalysis::teach`]'s bit for "the segment carries payload".
const PAYLOAD_BIT: u32 = 1 << 21;
/// The third bit of the PDU's protocol code (its low two are bits 16-17).
const PROTO_HIGH_BIT: u32 = 1 << 22;
/// [`PacketAnalysis::teach`]'s bit for "an HTTP request was seen in the stream before".
const HTTP_REQUEST_SEEN_BIT: u32 = 1 << 23;
const WSHIFT_SHIFT: u32 = 25;

/// PDU kinds stored in [`PacketAnalysis::teach`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum PduKind {
    /// No application payload.
    None = 0,
    /// Whole PDUs.
    Whole = 1,
    /// The first segment of a PDU that continues later.
    PartialStart = 2,
    /// A middle segment.
    PartialMore = 3,
    /// The last segment of a reassembled PDU.
    Completes = 4,
    /// Whole PDUs, then the first segment of one that continues later.
    WholeThenStart = 5,
    /// The application dissector declined the payload.
    Rejected = 6,
    /// A keep-alive's byte inside a PDU already reassembled ([`Pdu::Overlaps`]).
    Overlaps = 7,
}

/// What a segment that completes a reassembled PDU holds besides it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completed {
    /// Earlier frames holding the start of the PDU, in order.
    pub frames: Vec<u32>,
    /// Offset of the PDU in the first of those frames' payload.
    pub first_offset: u32,
    /// Bytes of this frame's payload the PDU takes.
    pub end: u32,
    /// Where an unfinished PDU starts in this payload, if one does.
    pub tail: Option<u32>,
}

impl PacketAnalysis {
    /// The record as five words (how a [`PacketTable`] stores it).
    fn to_words(self) -> [u32; 5] {
        [
            self.bits,
            self.teach,
            self.bytes_in_flight,
            self.push_bytes_sent,
            self.back,
        ]
    }
    /// The record from [`PacketAnalysis::to_words`].
    fn from_words(words: [u32; 5]) -> Self {
        let [bits, teach, bytes_in_flight, push_bytes_sent, back] = words;
        PacketAnalysis {
            bits,
            teach,
            bytes_in_flight,
            push_bytes_sent,
            back,
        }
    }
    /// Records, for the packet `frame`, the frame it acknowledges and the previous
    /// frame of its stream (0: none). Returns false when one of them is too far back
    /// to fit: it must then go to [`TcpResults::far_refs`] too.
    pub fn set_refs(&mut self, frame: u32, acks_frame: u32, prev_in_stream: u32) -> bool {
        let acks = distance(frame, acks_frame);
        let prev = distance(frame, prev_in_stream);
        self.back = acks | (prev << 16);
        acks != FAR && prev != FAR
    }
    /// The analysis flags.
    pub fn flags(&self) -> u32 {
        self.bits & ((1 << COMPLETENESS_SHIFT) - 1)
    }
    /// Sets flag bits.
    pub fn set_flags(&mut self, flags: u32) {
        self.bits = (self.bits & !((1 << COMPLETENESS_SHIFT) - 1))
            | (flags & ((1 << COMPLETENESS_SHIFT) - 1));
    }
    /// Completeness shown on this frame.
    pub fn completeness(&self) -> u8 {
        ((self.bits >> COMPLETENESS_SHIFT) & 0x3f) as u8
    }
    /// Sets the completeness.
    pub fn set_completeness(&mut self, c: u8) {
        self.bits = (self.bits & !(0x3f << COMPLETENESS_SHIFT))
            | (u32::from(c & 0x3f) << COMPLETENESS_SHIFT);
    }
    /// Window shift in effect (-2, -1 or 0..14).
    pub fn window_shift(&self) -> i8 {
        (((self.bits >> WSHIFT_SHIFT) & 0x1f) as i8) - 2
    }
    /// Sets the window shift.
    pub fn set_window_shift(&mut self, s: i8) {
        let v = (i32::from(s) + 2).clamp(0, 31) as u32;
        self.bits = (self.bits & !(0x1f << WSHIFT_SHIFT)) | (v << WSHIFT_SHIFT);
    }
    /// Teaching step.
    pub fn step(&self) -> Step {
        Step::from_code((self.teach & 0xf) as u8)
    }
    /// States after the packet: (sender, receiver).
    pub fn states(&self) -> (TcpState, TcpState) {
        (
            handshake::state_from_code(((self.teach >> 4) & 0xf) as u8),
            handshake::state_from_code(((self.teach >> 8) & 0xf) as u8),
        )
    }
    /// Sets the teaching step and states.
    pub fn set_teaching(&mut self, step: Step, sender: TcpState, receiver: TcpState) {
        self.teach = (self.teach & !0xfff)
            | u32::from(step as u8)
            | (u32::from(handshake::state_code(sender)) << 4)
            | (u32::from(handshake::state_code(receiver)) << 8);
    }
    /// Replaces the receiver state only.
    pub fn set_receiver_state(&mut self, receiver: TcpState) {
        self.teach = (self.teach & !(0xf << 8)) | (u32::from(handshake::state_code(receiver)) << 8);
    }
    /// Replaces the sender state only.
    pub fn set_sender_state(&mut self, sender: TcpState) {
        self.teach = (self.teach & !(0xf << 4)) | (u32::from(handshake::state_code(sender)) << 4);
    }
    /// Whether the sender is the stream's second endpoint.
    pub fn from_second(&self) -> bool {
        self.teach & (1 << 12) != 0
    }
    /// Records which endpoint sent the packet.
    pub fn set_from_second(&mut self, second: bool) {
        self.teach = (self.teach & !(1 << 12)) | (u32::from(second) << 12);
    }
    /// The PDU kind and application protocol.
    pub fn pdu(&self) -> (PduKind, Option<AppProto>) {
        let kind = match (self.teach >> 13) & 7 {
            1 => PduKind::Whole,
            2 => PduKind::PartialStart,
            3 => PduKind::PartialMore,
            4 => PduKind::Completes,
            5 => PduKind::WholeThenStart,
            6 => PduKind::Rejected,
            7 => PduKind::Overlaps,
            _ => PduKind::None,
        };
        // Bits 16-17, and bit 22 for the codes past 3.
        let code = ((self.teach >> 16) & 3) | (((self.teach >> 22) & 1) << 2);
        let proto = match code {
            1 => Some(AppProto::Http),
            2 => Some(AppProto::Tls),
            3 => Some(AppProto::Dns),
            4 => Some(AppProto::Nbss),
            5 => Some(AppProto::Ssh),
            6 => Some(AppProto::Tpkt),
            7 => Some(AppProto::Kerberos),
            _ => None,
        };
        (kind, proto)
    }
    /// Records the PDU kind and protocol.
    pub fn set_pdu(&mut self, kind: PduKind, proto: Option<AppProto>) {
        let p = match proto {
            Some(AppProto::Http) => 1,
            Some(AppProto::Tls) => 2,
            Some(AppProto::Dns) => 3,
            Some(AppProto::Nbss) => 4,
            Some(AppProto::Ssh) => 5,
            Some(AppProto::Tpkt) => 6,
            Some(AppProto::Kerberos) => 7,
            None => 0,
        };
        self.teach = (self.teach & !(0x1f << 13) & !PROTO_HIGH_BIT)
            | (u32::from(kind as u8) << 13)
            | ((p & 3) << 16)
            | ((p >> 2) << 22);
    }
    /// Whether the segment carries payload (`tcp.len` > 0): a FIN or the handshake's
    /// last ACK may carry data too, which the step alone does not say.
    pub fn has_payload(&self) -> bool {
        self.teach & PAYLOAD_BIT != 0
    }
    /// Records whether the segment carries payload.
    pub fn set_has_payload(&mut self, payload: bool) {
        self.teach = (self.teach & !PAYLOAD_BIT) | if payload { PAYLOAD_BIT } else { 0 };
    }
    /// Whether an HTTP request was seen in the stream before this segment.
    pub fn http_request_seen(&self) -> bool {
        self.teach & HTTP_REQUEST_SEEN_BIT != 0
    }
    /// Records whether an HTTP request was seen in the stream before this segment.
    pub fn set_http_request_seen(&mut self, seen: bool) {
        self.teach =
            (self.teach & !HTTP_REQUEST_SEEN_BIT) | if seen { HTTP_REQUEST_SEEN_BIT } else { 0 };
    }
    /// TLS version known before this frame.
    pub fn tls_version(&self) -> Option<u16> {
        match (self.teach >> 18) & 7 {
            0 => None,
            6 => Some(crate::dissect::tls::SSLV2_VERSION),
            n => Some(0x02ff + n as u16),
        }
    }
    /// Records the TLS version (SSL 3.0 to TLS 1.3, or SSLv2).
    pub fn set_tls_version(&mut self, v: Option<u16>) {
        let code = match v {
            Some(v @ 0x0300..=0x0304) => u32::from(v - 0x02ff),
            Some(crate::dissect::tls::SSLV2_VERSION) => 6,
            _ => 0,
        };
        self.teach = (self.teach & !(7 << 18)) | (code << 18);
    }
}

/// A side table of values for a few frames, appended in frame order.
#[derive(Debug, Clone)]
pub struct Sparse<T> {
    entries: Vec<(u32, T)>,
}

impl<T> Default for Sparse<T> {
    fn default() -> Self {
        Sparse {
            entries: Vec::new(),
        }
    }
}

impl<T> Sparse<T> {
    /// Records `value` for `frame` (frames must come in increasing order; a repeated
    /// frame replaces the previous value).
    pub fn insert(&mut self, frame: u32, value: T) {
        match self.entries.last_mut() {
            Some((f, v)) if *f == frame => *v = value,
            _ => self.entries.push((frame, value)),
        }
    }
    /// The entries of two tables of disjoint frames, in frame order.
    pub fn merge(a: Sparse<T>, b: Sparse<T>) -> Sparse<T> {
        if a.entries.is_empty() {
            return b;
        }
        if b.entries.is_empty() {
            return a;
        }
        let mut entries = Vec::with_capacity(a.entries.len() + b.entries.len());
        let mut a = a.entries.into_iter().peekable();
        let mut b = b.entries.into_iter().peekable();
        loop {
            let take_a = match (a.peek(), b.peek()) {
                (Some((fa, _)), Some((fb, _))) => fa <= fb,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            let next = if take_a { a.next() } else { b.next() };
            entries.extend(next);
        }
        Sparse { entries }
    }
    /// The value for `frame`.
    pub fn get(&self, frame: u32) -> Option<&T> {
        self.entries
            .binary_search_by_key(&frame, |(f, _)| *f)
            .ok()
            .and_then(|i| self.entries.get(i))
            .map(|(_, v)| v)
    }
    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    /// The last frame with an entry.
    pub fn last_frame(&self) -> Option<u32> {
        self.entries.last().map(|(f, _)| *f)
    }
    /// The entries, in frame order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &T)> {
        self.entries.iter().map(|(f, v)| (*f, v))
    }
    /// The same frames with their values changed by `f`.
    pub fn map<U>(self, mut f: impl FnMut(T) -> U) -> Sparse<U> {
        Sparse {
            entries: self.entries.into_iter().map(|(k, v)| (k, f(v))).collect(),
        }
    }
    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// [`TcpResults::udp`]'s mark for a UDP header quoted in an ICMP error.
pub const UDP_QUOTED: u32 = u32::MAX;

impl TcpResults {
    /// Numbers the UDP conversations of a load split across partitions, whose numbers
    /// were each partition's (partition `p`'s number `n` as `p << 27 | n`), in the order
    /// of their first frames, and lists each one's first frame.
    pub(crate) fn number_udp_streams(&mut self) {
        let mut global: FxHashMap<u32, u32> = FxHashMap::default();
        self.udp_first.clear();
        let first = &mut self.udp_first;
        let udp = std::mem::take(&mut self.udp);
        let mut frame_of = Vec::new();
        for (frame, _) in udp.iter() {
            frame_of.push(frame);
        }
        let mut frames = frame_of.into_iter();
        self.udp = udp.map(|(local, prev)| {
            let frame = frames.next().unwrap_or(0);
            let next = u32::try_from(global.len()).unwrap_or(u32::MAX);
            let stream = *global.entry(local).or_insert_with(|| {
                first.push(frame);
                next
            });
            (stream, prev)
        });
    }
}

/// What is kept of each stream after the load pass.
#[derive(Debug, Clone)]
pub struct StreamInfo {
    /// The first endpoint (sender of the stream's first frame).
    pub first: (Addr, u16),
    /// The second endpoint.
    pub second: (Addr, u16),
    /// First frame.
    pub first_frame: u32,
    /// Last frame.
    pub last_frame: u32,
    /// Capture time of the first frame.
    pub first_ts: i64,
    /// Base sequence numbers of each direction, as (from frame, base), per endpoint.
    pub bases: Bases,
    /// Frame from which the initial RTT is known, and its value.
    pub irtt: Option<(u32, i64)>,
    /// Port of the server (destination of the SYN).
    pub server_port: Option<u16>,
    /// Which endpoint sent the first SYN (the client), if one was seen.
    pub client: Option<usize>,
    /// The seed's numbers: x (client ISN), y (server ISN), u (first FIN seq), w (second).
    pub x: Option<u32>,
    /// Server ISN.
    pub y: Option<u32>,
    /// Sequence number of the first FIN.
    pub u: Option<u32>,
    /// Sequence number of the second FIN.
    pub w: Option<u32>,
    /// Which endpoint sent the first FIN.
    pub first_fin_by: Option<usize>,
    /// The two FINs crossed on the wire.
    pub crossed: bool,
    /// Number of frames.
    pub frames: u32,
    /// The MSS option of each endpoint's SYN (first endpoint first).
    pub mss: [Option<u16>; 2],
}

impl StreamInfo {
    /// The packets (0-based indices) from the stream's first frame to its last, of
    /// the `loaded` packets: a stream's own packets all lie in it.
    pub fn packet_range(&self, loaded: usize) -> std::ops::Range<usize> {
        let start = (self.first_frame as usize).saturating_sub(1);
        let end = (self.last_frame as usize).min(loaded);
        start..end
    }

    /// The path's MSS: the smaller of the two SYNs' MSS options, or the one seen.
    pub fn path_mss(&self) -> Option<u16> {
        match self.mss {
            [Some(a), Some(b)] => Some(a.min(b)),
            [a, b] => a.or(b),
        }
    }
}

impl StreamInfo {
    /// The base in effect for endpoint `side` at `frame`.
    pub fn base_at(&self, side: usize, frame: u32) -> Option<u32> {
        self.bases.at(side, frame)
    }
}

/// Each endpoint's base sequence numbers, as (from frame, base). Nearly every stream
/// has one a side, kept inline; a port reuse's further bases go to a rarely
/// allocated list (a heap list per stream would cost a port scan ~50 bytes a SYN).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bases {
    /// Each endpoint's first (frame, base); frame 0 is none (frames count from 1).
    first: [(u32, u32); 2],
    /// Later (endpoint, frame, base), in frame order.
    more: Option<Box<MoreBases>>,
}

/// A port reuse's later bases: (endpoint, frame, base), in frame order (behind a thin
/// pointer, so that the streams without any pay one word).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct MoreBases(Vec<(u8, u32, u32)>);

impl Bases {
    /// Records that endpoint `side`'s base is `base` from `frame` (1-based) on.
    pub fn push(&mut self, side: usize, frame: u32, base: u32) {
        match self.first.get_mut(side) {
            Some(slot) if slot.0 == 0 => *slot = (frame, base),
            Some(_) => self.more.get_or_insert_with(Box::default).0.push((
                u8::from(side == 1),
                frame,
                base,
            )),
            None => {}
        }
    }

    /// The base in effect for endpoint `side` at `frame`.
    pub fn at(&self, side: usize, frame: u32) -> Option<u32> {
        let later = self.more.as_deref().and_then(|more| {
            more.0
                .iter()
                .rev()
                .find(|(s, f, _)| usize::from(*s) == side && *f <= frame)
                .map(|(_, _, b)| *b)
        });
        later.or_else(|| {
            self.first
                .get(side)
                .filter(|(f, _)| *f != 0 && *f <= frame)
                .map(|(_, b)| *b)
        })
    }

    /// Endpoint `side`'s bases in frame order, as (from frame, base).
    pub fn of(&self, side: usize) -> Vec<(u32, u32)> {
        let first = self.first.get(side).filter(|(f, _)| *f != 0).copied();
        let later = self.more.as_deref().into_iter().flat_map(|more| &more.0);
        first
            .into_iter()
            .chain(
                later
                    .filter(|(s, _, _)| usize::from(*s) == side)
                    .map(|(_, f, b)| (*f, *b)),
            )
            .collect()
    }
}

/// One packet's [`PacketAnalysis`] in a [`PacketTable`].
#[derive(Debug, Default)]
pub(crate) struct Slot {
    words: [AtomicU32; 5],
}

impl Slot {
    fn get(&self) -> PacketAnalysis {
        PacketAnalysis::from_words(self.words.each_ref().map(|w| w.load(Ordering::Relaxed)))
    }

    fn set(&self, packet: PacketAnalysis) {
        for (word, value) in self.words.iter().zip(packet.to_words()) {
            word.store(value, Ordering::Relaxed);
        }
    }
}

/// A chunk of a [`PacketTable`]: up to [`CHUNK_LEN`] records.
pub(crate) type SlotChunk = Arc<[Slot]>;

/// A chunk of `len` empty records.
pub(crate) fn slot_chunk(len: usize) -> SlotChunk {
    (0..len).map(|_| Slot::default()).collect()
}

/// The per-packet records (index = frame - 1), in chunks of [`CHUNK_LEN`].
///
/// A record is stored as atomic words so that the partitions of a parallel load can
/// write the records of their own packets into one table side by side (each record
/// has one writer, and nothing reads the table before the writers end); the table
/// they filled is the one kept, with no copy. Relaxed atomic words cost what plain
/// ones do.
#[derive(Debug, Default)]
pub struct PacketTable {
    chunks: Vec<SlotChunk>,
    len: usize,
}

impl PacketTable {
    /// A table made of `chunks`, in order, each but the last [`CHUNK_LEN`] long.
    pub(crate) fn from_chunks(chunks: Vec<SlotChunk>) -> Self {
        let len = chunks.iter().map(|c| c.len()).sum();
        PacketTable { chunks, len }
    }

    /// Appends a chunk (a parallel load's next batch).
    pub(crate) fn push_chunk(&mut self, chunk: SlotChunk) {
        self.len += chunk.len();
        self.chunks.push(chunk);
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn slot(&self, i: usize) -> Option<&Slot> {
        if i >= self.len {
            return None;
        }
        self.chunks.get(i / CHUNK_LEN)?.get(i % CHUNK_LEN)
    }

    /// Record `i` (0-based).
    #[inline]
    pub fn get(&self, i: usize) -> Option<PacketAnalysis> {
        self.slot(i).map(Slot::get)
    }

    /// The records in order.
    pub fn iter(&self) -> impl Iterator<Item = PacketAnalysis> + '_ {
        self.chunks
            .iter()
            .flat_map(|c| c.iter().map(Slot::get))
            .take(self.len)
    }

    /// Changes record `i` (0-based), if there is one.
    #[inline]
    pub(crate) fn update(&self, i: usize, f: impl FnOnce(&mut PacketAnalysis)) {
        if let Some(slot) = self.slot(i) {
            let mut packet = slot.get();
            f(&mut packet);
            slot.set(packet);
        }
    }

    /// Appends empty records until there are `len`. The first chunk starts small and
    /// doubles, so that a small capture does not hold a whole chunk.
    pub(crate) fn grow_to(&mut self, len: usize) {
        const FIRST_CHUNK: usize = 256;
        while self.len < len {
            let capacity = self.capacity();
            if self.len < capacity {
                self.len = len.min(capacity);
                continue;
            }
            let first = self.chunks.len() == 1;
            match self.chunks.last_mut() {
                Some(last) if first && last.len() < CHUNK_LEN => {
                    let wider = slot_chunk(last.len().saturating_mul(2).min(CHUNK_LEN));
                    for (new, old) in wider.iter().zip(last.iter()) {
                        new.set(old.get());
                    }
                    *last = wider;
                }
                Some(_) => self.chunks.push(slot_chunk(CHUNK_LEN)),
                None => self.chunks.push(slot_chunk(FIRST_CHUNK)),
            }
        }
    }

    /// Records the chunks have room for (every chunk but the last is full).
    fn capacity(&self) -> usize {
        self.chunks
            .len()
            .saturating_sub(1)
            .saturating_mul(CHUNK_LEN)
            .saturating_add(self.chunks.last().map_or(0, |c| c.len()))
    }
}

/// Everything the load pass learned about TCP and request/response pairs.
#[derive(Debug, Default)]
pub struct TcpResults {
    /// One record per packet (index = frame - 1).
    pub packets: PacketTable,
    /// Streams, by index.
    pub streams: super::streams::Streams,
    /// Duplicate-ACK number and the frame it duplicates.
    pub dup_acks: Sparse<(u32, u32)>,
    /// Retransmission timeout reference frame.
    pub rto_frames: Sparse<u32>,
    /// Reassembled PDUs: earlier frames, the offset in the first, and the rest.
    pub completes: Sparse<Completed>,
    /// Offset where a PDU starts inside a frame that starts one (when not 0; for
    /// `WholeThenStart`, where the whole PDUs end).
    pub partial_offsets: Sparse<u32>,
    /// The Info text of a middle segment the application was handed again (see
    /// [`crate::dissect::context::Pdu::Partial`]'s `shown`).
    pub partial_info: Sparse<std::sync::Arc<str>>,
    /// Request frame of each response (ICMP echo, DNS, TFTP, ...) and the protocol of the
    /// transaction key that linked them, so that a later lookup under another
    /// protocol's key (TFTP asking about a DNS answer) finds nothing, as in the load.
    pub requests: Sparse<(u32, u8)>,
    /// Each UDP datagram's conversation and the previous frame of it (itself for the
    /// first; [`UDP_QUOTED`] for a header quoted in an ICMP error, which shows no times).
    pub udp: Sparse<(u32, u32)>,
    /// Each UDP conversation's first frame, by `udp.stream`.
    pub udp_first: Vec<u32>,
    /// Each HTTP message's links to the other messages of its stream.
    pub http_links: Sparse<crate::dissect::context::HttpLink>,
    /// DNS messages tshark calls retransmissions: the frame of the query (or
    /// response) each repeats.
    pub dns_retransmits: Sparse<u32>,
    /// The acknowledged frame and previous frame of the stream, for frames where one
    /// of them is too far back for [`PacketAnalysis`]'s 16-bit distances.
    pub far_refs: Sparse<(u32, u32)>,
    /// IP datagrams reassembled from fragments, by the frame that completed each:
    /// their fragments and payload length (the bytes stay in the capture).
    pub reassembled: Sparse<(Vec<crate::dissect::context::FragmentPart>, u32)>,
    /// Stream and completeness of the conversation of a TCP header quoted in an ICMP
    /// error, by the error's frame.
    pub quoted_tcp: Sparse<(u32, u8)>,
    /// FTP's working directories and data connections, by frame.
    pub ftp: super::ftp_link::FtpRecord,
    /// SMTP client segments that are message text or end a message, by frame.
    pub smtp: super::smtp_link::SmtpRecords,
    /// Each UDP datagram QUIC took, with its connection as then known.
    pub quic: super::quic_link::QuicRecords,
    /// Each UDP datagram an SDP-announced RTP or RTCP conversation took.
    pub rtp: super::rtp_link::RtpRecords,
    /// ARP packets whose sender (slot 0) or reply target (slot 1) claims an address
    /// another MAC address held first.
    pub arp: Sparse<[Option<crate::dissect::context::ArpDuplicate>; 2]>,
}

impl TcpResults {
    /// The record of `frame` (1-based).
    pub fn packet(&self, frame: u32) -> Option<PacketAnalysis> {
        self.packets.get((frame as usize).checked_sub(1)?)
    }

    /// The frame `frame` acknowledges (tcp.analysis.acks_frame).
    pub fn acks_frame(&self, frame: u32) -> Option<u32> {
        let d = self.packet(frame)?.back & FAR;
        if d == FAR {
            return self.far_refs.get(frame).map(|r| r.0).filter(|f| *f != 0);
        }
        frame_back(frame, d)
    }

    /// The previous frame of `frame`'s TCP stream.
    pub fn prev_in_stream(&self, frame: u32) -> Option<u32> {
        let d = self.packet(frame)?.back >> 16;
        if d == FAR {
            return self.far_refs.get(frame).map(|r| r.1).filter(|f| *f != 0);
        }
        frame_back(frame, d)
    }

    /// The PDU decision of `frame` as the dissectors want it.
    pub fn pdu(&self, frame: u32) -> Pdu {
        let Some(p) = self.packet(frame) else {
            return Pdu::None;
        };
        match p.pdu() {
            (PduKind::None, _) | (_, None) => Pdu::None,
            (PduKind::Whole, Some(proto)) => Pdu::Whole(proto),
            (PduKind::PartialStart, Some(proto)) => Pdu::Partial {
                proto,
                starts_at: Some(self.partial_offsets.get(frame).copied().unwrap_or(0)),
                shown: None,
            },
            (PduKind::PartialMore, Some(proto)) => Pdu::Partial {
                proto,
                starts_at: None,
                shown: self.partial_info.get(frame).cloned(),
            },
            (PduKind::Rejected, Some(proto)) => Pdu::Rejected(proto),
            (PduKind::Overlaps, Some(proto)) => Pdu::Overlaps(proto),
            (PduKind::WholeThenStart, Some(proto)) => Pdu::WholeThenPartial {
                proto,
                tail: self.partial_offsets.get(frame).copied().unwrap_or(0),
            },
            (PduKind::Completes, Some(proto)) => match self.completes.get(frame) {
                Some(c) => Pdu::Completes {
                    proto,
                    frames: c.frames.clone(),
                    first_offset: c.first_offset,
                    end: c.end,
                    tail: c.tail,
                },
                None => Pdu::Whole(proto),
            },
        }
    }
}

/// Marks stream membership in the capture index.
pub fn stream_of(record: PacketRecord) -> Option<u32> {
    (record.stream != PacketRecord::NO_STREAM).then_some(record.stream)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_keeps_each_record_through_its_growth() {
        let mut table = PacketTable::default();
        let record = |i: usize| {
            let mut p = PacketAnalysis {
                bytes_in_flight: u32::try_from(i).unwrap_or(u32::MAX),
                ..PacketAnalysis::default()
            };
            p.set_flags(5);
            p
        };
        // Through the doubling of the first chunk and into a second one.
        let len = CHUNK_LEN + 300;
        for i in 0..len {
            table.grow_to(i + 1);
            table.update(i, |p| *p = record(i));
        }
        assert_eq!(table.len(), len);
        assert!(table.iter().enumerate().all(|(i, p)| p == record(i)));
        assert_eq!(table.get(len), None);
        table.update(len, |p| p.bytes_in_flight = 1);
        assert_eq!(table.get(7), Some(record(7)));
        let small = {
            let mut t = PacketTable::default();
            t.grow_to(3);
            t
        };
        assert_eq!((small.len(), small.capacity()), (3, 256));
    }

    #[test]
    fn bases_answer_as_a_list_per_endpoint_did() {
        let mut bases = Bases::default();
        assert_eq!(bases.at(0, 10), None);
        bases.push(0, 3, 1000);
        bases.push(1, 4, 7000);
        bases.push(0, 9, 5000);
        assert_eq!(bases.at(0, 2), None);
        assert_eq!(bases.at(0, 3), Some(1000));
        assert_eq!(bases.at(0, 8), Some(1000));
        assert_eq!(bases.at(0, 9), Some(5000));
        assert_eq!(bases.at(1, 9), Some(7000));
        assert_eq!(bases.of(0), vec![(3, 1000), (9, 5000)]);
        assert_eq!(bases.of(1), vec![(4, 7000)]);
        assert!(std::mem::size_of::<Bases>() <= 24);
    }

    #[test]
    fn references_far_back_go_to_the_side_table() {
        let mut results = TcpResults::default();
        for frame in 1..=70_000u32 {
            let mut p = PacketAnalysis::default();
            // Frame 70,000 acknowledges frame 2 (too far for 16 bits) and follows
            // frame 69,990 in its stream.
            let (acks, prev) = if frame == 70_000 {
                (2, 69_990)
            } else {
                (0, frame - 1)
            };
            if !p.set_refs(frame, acks, prev) {
                results.far_refs.insert(frame, (acks, prev));
            }
            results.packets.grow_to(frame as usize);
            results.packets.update(frame as usize - 1, |slot| *slot = p);
        }
        assert_eq!(results.acks_frame(70_000), Some(2));
        assert_eq!(results.prev_in_stream(70_000), Some(69_990));
        assert_eq!(results.acks_frame(5), None);
        assert_eq!(results.prev_in_stream(5), Some(4));
        assert_eq!(results.prev_in_stream(1), None);
        assert_eq!(results.far_refs.len(), 1);
    }
}
