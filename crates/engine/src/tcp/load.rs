//! The load pass: every packet is dissected once, in capture order, exactly as
//! tshark's single pass does, with the TCP analysis computing and recording as it goes.
//! It also counts the protocol hierarchy and the expert items, so that opening a
//! capture is the only full pass there is.

use super::analysis::{self, Seg};
use super::handshake::{Patch, Teacher, completeness_bits};
use super::predicate::PacketPredicate;
use super::reassembly::{Decision, Desegment, StreamApp};
use super::results::{
    Bases, Completed, PacketAnalysis, PacketTable, PduKind, StreamInfo, TcpResults,
};
use super::stats::LoadStats;
use super::stream::{ConversationKey, ConversationTable, Flow};
use super::streams::OneSegment;
use crate::capture::{ChunkedVec, Interface, PacketRecord};
use crate::dissect::context::{
    Analysis, ArpDuplicate, FragmentIn, FtpControl, FtpDataLink, HttpLink, HttpMessage, Linked,
    Pdu, PduParts, QuicDatagram, Reassembly, RtpAnnounce, RtpLink, SmtpPdu, TcpFrameInfo,
    TcpSegment, Teaching, TransactionKey, UdpInfo, UdpKey, flag,
};
use crate::dissect::ipv4::Addr;
use crate::dissect::tcp::bits::{ACK, FIN, SYN};
use crate::dissect::{Dissection, PacketContext, Want, dissect_packet};
use crate::prefs::Prefs;
use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::hint::cold_path;
use std::sync::Arc;

mod answers;

/// A frame and the earlier (frame, bytes) parts of the PDU it completes.
type CompletedPdu = (u32, PduParts);

/// A stream's state while the pass runs.
#[derive(Debug, Default)]
struct LiveStream {
    flows: [Flow; 2],
    teacher: Teacher,
    app: StreamApp,
    completeness: u8,
    last_ts: i64,
    last_frame: u32,
    mru_syn_ts: Option<i64>,
    irtt: Option<i64>,
}

/// What the first pass keeps between packets (the results it records live apart,
/// so that readers can look at them while the pass goes on).
#[derive(Debug, Default)]
pub struct PassState {
    conversations: ConversationTable,
    /// The reassembly preferences the load follows.
    desegment: Desegment,
    /// Per-stream state, in chunks: a growing `Vec` would copy every stream's state
    /// each time it doubles, briefly holding two copies.
    /// `None` for a stream kept compact while it has shown only one segment without
    /// payload (a port scan's SYN, a lone RST): its state follows from that segment,
    /// which the stream list keeps ([`OneSegment`]), and is computed again by the
    /// same code ([`replay`]) when the stream shows more.
    live: ChunkedVec<Option<Box<LiveStream>>>,
    /// This pass only computes again a stream's summary and state from its one
    /// segment: it keeps both, in `replayed`.
    replaying: bool,
    /// The summary and state a replaying pass computed.
    replayed: Option<(StreamInfo, Box<LiveStream>)>,
    /// UDP conversations by their sockets (numbers local to a partition's pass).
    udp: FxHashMap<UdpKey, u32>,
    /// Each UDP conversation's first capture time and its last datagram's frame and time.
    udp_times: Vec<(i64, u32, i64)>,
    /// Each open request's frame and capture time.
    transactions: FxHashMap<TransactionKey, Linked>,
    /// Each DNS transaction's query (frame, time) and response frame (0: none yet).
    dns: FxHashMap<TransactionKey, (Linked, u32)>,
    /// Capture time of the frame being dissected.
    current_ts: i64,
    /// Each HTTP stream's messages so far.
    http: FxHashMap<u32, HttpConversation>,
    /// Parts of the PDU the current frame completes.
    completed: Option<CompletedPdu>,
    /// Stream of the current frame (written to its index record).
    current_stream: u32,
    /// In a parallel load, the partition this pass owns: every conversation and
    /// transaction it touches must route there, else the partitions were not
    /// independent and `conflict` is set.
    partition: Option<u8>,
    /// A key of another partition was touched (the parallel load starts over).
    conflict: bool,
    /// Fragments of IP datagrams not yet complete.
    defrag: super::defrag::Defragmenter,
    /// FTP control connections and the data connections they announce.
    ftp: super::ftp_link::FtpTracker,
    /// SMTP sessions: which client segments are message text, and the open messages.
    smtp: super::smtp_link::SmtpTracker,
    pop: super::smtp_link::PopTracker,
    /// QUIC connections and the UDP conversations QUIC took.
    quic: super::quic_link::QuicTracker,
    /// RTP and RTCP sockets SDP bodies announced.
    rtp: super::rtp_link::RtpTracker,
    /// The MAC address ARP bound each IPv4 address to first.
    arp: super::arp_link::ArpTracker,
}

/// A request's frame, capture time and full URI.
type HttpRequestSeen = (u32, i64, Option<Box<[u8]>>);

/// One TCP stream's HTTP messages so far, to link each response to its request.
#[derive(Debug, Default)]
struct HttpConversation {
    /// Each request's frame, time and full URI, in order.
    requests: Vec<HttpRequestSeen>,
    /// Responses seen so far.
    responses: u32,
    /// The last response's frame.
    last_response: Option<u32>,
}

impl PassState {
    /// A pass over the packets of one partition of a parallel load.
    pub(crate) fn for_partition(partition: u8) -> Self {
        PassState {
            partition: Some(partition),
            ..PassState::default()
        }
    }

    /// Whether this partition touched a conversation or transaction of another.
    pub(crate) fn conflict(&self) -> bool {
        self.conflict
    }

    /// Notes a key with endpoint addresses `a` and `b`.
    fn touch(&mut self, a: &crate::dissect::ipv4::Addr, b: &crate::dissect::ipv4::Addr) {
        if let Some(p) = self.partition
            && crate::dissect::route::partition_of_pair(a, b) != p
        {
            self.conflict = true;
        }
    }
}

/// Where the load pass writes each packet's [`PacketAnalysis`].
#[derive(Clone, Copy)]
enum Slots<'r> {
    /// The results' own array (index = frame - 1), grown as frames come.
    Own,
    /// A table shared by the partitions of a parallel load.
    Shared(&'r PacketTable),
}

/// The pass state and the results, borrowed for one packet.
struct State<'r> {
    pass: &'r mut PassState,
    results: &'r mut TcpResults,
    slots: Slots<'r>,
}

/// The first-pass analysis: implements [`Analysis`] by computing and recording.
pub struct FirstPass<'r> {
    state: RefCell<State<'r>>,
}

fn side_of(info: &StreamInfo, src: (crate::dissect::ipv4::Addr, u16)) -> usize {
    usize::from(info.first != src)
}

impl FirstPass<'_> {
    fn begin_frame(&self, frame: u32, ts_nanos: i64) {
        let mut st = self.state.borrow_mut();
        st.pass.current_ts = ts_nanos;
        if let Slots::Own = st.slots {
            st.results.packets.grow_to(frame as usize);
        }
        st.pass.current_stream = PacketRecord::NO_STREAM;
        st.pass.completed = None;
    }
}

impl State<'_> {
    /// Stream `id`'s full state, computed again from its first segment if it was
    /// kept compact.
    fn full_live(&mut self, id: u32) -> Option<&mut LiveStream> {
        let sid = id as usize;
        if let Some(None) = self.pass.live.get(sid) {
            let one = self.results.streams.one(sid)?;
            let (info, state) = replay(&one)?;
            self.results.streams.set_full(sid, info);
            if let Some(slot) = self.pass.live.get_mut(sid) {
                *slot = Some(state);
            }
        }
        self.pass.live.get_mut(sid)?.as_deref_mut()
    }

    /// Changes the record of `frame` (1-based).
    fn update_packet(&mut self, frame: u32, f: impl FnOnce(&mut PacketAnalysis)) {
        let Some(i) = (frame as usize).checked_sub(1) else {
            return;
        };
        match self.slots {
            Slots::Own => self.results.packets.update(i, f),
            Slots::Shared(table) => table.update(i, f),
        }
    }

    #[allow(clippy::too_many_lines)]
    fn segment(&mut self, frame: u32, s: &TcpSegment<'_>) -> TcpFrameInfo {
        let src = (s.src, s.src_port);
        let dst = (s.dst, s.dst_port);
        let (key, _) = ConversationKey::new(src, dst);
        self.pass.touch(&s.src, &s.dst);
        // An FTP data connection's payload goes to FTP-DATA whatever its ports say.
        let ftp_data = s.seglen > 0 && self.pass.ftp.data_link(src, dst).is_some();
        let syn = s.flags & SYN != 0;
        let ack = s.flags & ACK != 0;
        let mut flags = 0u32;
        let mut created = false;
        let streams = &self.results.streams;
        let known = self
            .pass
            .conversations
            .get(&key, |id| streams.key(id as usize));
        let stream = match known {
            Some(id) => {
                // A second segment: the stream's state in full from now on.
                self.full_live(id);
                let info = self.results.streams.get(id as usize);
                let live = self.pass.live.get(id as usize).and_then(Option::as_deref);
                let reuse = match (info, live) {
                    (Some(info), Some(live)) if syn && !ack => {
                        let side = side_of(&info, src);
                        live.flows
                            .get(side)
                            .and_then(|f| f.base_seq)
                            .is_some_and(|b| b != s.seq)
                    }
                    _ => false,
                };
                if reuse {
                    cold_path();
                    flags |= flag::REUSED_PORTS;
                    created = true;
                    self.pass.conversations.next_id()
                } else {
                    id
                }
            }
            None => {
                cold_path();
                created = true;
                self.pass.conversations.next_id()
            }
        };
        // The summary and state of a stream this segment creates, when the stream is
        // kept compact (or this pass replays it).
        let mut fresh: Option<(StreamInfo, LiveStream)> = None;
        if created {
            cold_path();
            let info = StreamInfo {
                first: src,
                second: dst,
                first_frame: frame,
                last_frame: frame,
                first_ts: s.ts_nanos,
                bases: Bases::default(),
                irtt: None,
                server_port: None,
                client: None,
                x: None,
                y: None,
                u: None,
                w: None,
                first_fin_by: None,
                crossed: false,
                frames: 0,
                mss: [None; 2],
            };
            // A connection FTP announced is not kept compact: its replay, in a pass
            // of its own, would not know the announcement.
            let announced = self.pass.ftp.data_link(src, dst).is_some();
            let compact = match (s.src, s.dst) {
                (Addr::V4(src), Addr::V4(dst))
                    if flags & flag::REUSED_PORTS == 0
                        && s.seglen == 0
                        && s.payload.is_empty()
                        && !announced =>
                {
                    Some(OneSegment {
                        ts_nanos: s.ts_nanos,
                        frame,
                        src,
                        dst,
                        seq: s.seq,
                        ack: s.ack,
                        sack_bytes: s.sack_bytes,
                        src_port: s.src_port,
                        dst_port: s.dst_port,
                        flags: s.flags,
                        window: s.window,
                        wscale: s.wscale,
                        mss: s.mss,
                    })
                }
                _ => None,
            };
            if self.pass.replaying {
                fresh = Some((info, LiveStream::default()));
            } else {
                if let Some(one) = compact {
                    fresh = Some((info, LiveStream::default()));
                    self.results.streams.push_one(one);
                    self.pass.live.push(None);
                } else {
                    self.results.streams.push(info);
                    self.pass.live.push(Some(Box::default()));
                }
                let streams = &self.results.streams;
                self.pass
                    .conversations
                    .create(key, |id| streams.key(id as usize));
            }
        }
        self.pass.current_stream = stream;
        let sid = stream as usize;
        let (info, live) = match fresh.as_mut() {
            Some((info, live)) => (Some(info), Some(live)),
            None => (
                self.results.streams.get_mut(sid),
                self.pass.live.get_mut(sid).and_then(Option::as_deref_mut),
            ),
        };
        let (Some(info), Some(live)) = (info, live) else {
            return TcpFrameInfo::default();
        };
        let side = side_of(info, src);
        let other = 1 - side;
        info.frames = info.frames.saturating_add(1);

        // Port reuse by a SYN-ACK with another ISN: same stream, new base.
        if !created
            && syn
            && ack
            && let Some(flow) = live.flows.get_mut(side)
            && flow.base_seq.is_some_and(|b| b != s.seq)
        {
            cold_path();
            flow.base_seq = Some(s.seq);
            info.bases.push(side, frame, s.seq);
            flags |= flag::REUSED_PORTS;
        }
        // Completeness shown is the value before this frame (a reused SYN shows 1).
        if created && flags & flag::REUSED_PORTS != 0 {
            live.completeness = 1;
        }
        let completeness = live.completeness;
        // A connection FTP announced belongs to the conversation tshark opened at
        // the announcement: its SYN does not start that conversation.
        let announced = created && self.pass.ftp.data_link(src, dst).is_some();
        if !announced {
            live.completeness |= completeness_bits(created, s.flags, s.seglen);
        }
        // The server port: the destination of a SYN, the source of a SYN-ACK.
        if syn && info.server_port.is_none() {
            cold_path();
            info.server_port = Some(if ack { s.src_port } else { s.dst_port });
        }

        // Bases.
        let [flow0, flow1] = &mut live.flows;
        let (fwd, rev) = if side == 0 {
            (flow0, flow1)
        } else {
            (flow1, flow0)
        };
        if fwd.base_seq.is_none() {
            cold_path();
            let base = if syn { s.seq } else { s.seq.wrapping_sub(1) };
            fwd.base_seq = Some(base);
            info.bases.push(side, frame, base);
        }
        if rev.base_seq.is_none() && ack {
            cold_path();
            let base = s.ack.wrapping_sub(1);
            rev.base_seq = Some(base);
            info.bases.push(other, frame, base);
        }
        // Window scaling and the MSS are announced on the SYN and SYN-ACK (RFC 7323
        // section 2.2, RFC 9293 3.7.1).
        if syn {
            cold_path();
            if let (Some(mss), Some(slot)) = (s.mss, info.mss.get_mut(side)) {
                *slot = Some(mss);
            }
            if let Some(shift) = s.wscale {
                fwd.win_scale = i8::try_from(shift.min(14)).unwrap_or(14);
            }
            if fwd.win_scale == -1 {
                fwd.win_scale = -2;
                rev.win_scale = -2;
            } else if ack && rev.win_scale == -2 {
                fwd.win_scale = -2;
            }
        }
        let window_shift = fwd.win_scale;
        // tshark keeps a Window scale option whatever segment carries it, once this
        // segment's own window is computed (a scanner's flagless probes with WS=10
        // make the next ones read Win=128 as 131072).
        if !syn && let Some(shift) = s.wscale {
            cold_path();
            fwd.win_scale = i8::try_from(shift.min(14)).unwrap_or(14);
        }
        // Which side first closes.
        if s.flags & FIN != 0 {
            cold_path();
            if rev.closing_initiator {
                flags |= flag::SECOND_FIN;
            } else {
                fwd.closing_initiator = true;
                flags |= flag::FIRST_FIN;
            }
        }
        fwd.sack_bytes = s.sack_bytes;
        let seg = Seg {
            frame,
            now: s.ts_nanos,
            seq: s.seq,
            ack: s.ack,
            seglen: s.seglen,
            flags: s.flags,
            window: u32::from(s.window),
        };
        let findings = analysis::analyze(fwd, rev, &seg, live.irtt);
        if ack {
            fwd.acks_sent = fwd.acks_sent.saturating_add(1);
        }
        flags |= findings.flags;
        if flags & flag::ANY_ANALYSIS != 0 {
            flags |= flag::HAS_RECORD;
        }
        // Initial RTT: from the most recent SYN to the first pure ACK after it.
        if syn && !ack {
            cold_path();
            live.mru_syn_ts = Some(s.ts_nanos);
        }
        if ack
            && !syn
            && live.irtt.is_none()
            && let Some(syn_ts) = live.mru_syn_ts
        {
            cold_path();
            let irtt = s.ts_nanos.saturating_sub(syn_ts);
            live.irtt = Some(irtt);
            info.irtt = Some((frame, irtt));
        }

        // Teaching.
        let mut patches = Vec::new();
        let outcome = live
            .teacher
            .packet(side, frame, s.flags, s.seq, s.ack, s.seglen, |p| {
                patches.push(p)
            });
        if info.x.is_none()
            && let Some(client) = live.teacher.client
        {
            info.x = live.teacher.isn(client);
        }
        if let Some(client) = live.teacher.client {
            info.y = live.teacher.isn(1 - client);
        }
        info.crossed = live.teacher.crossed;
        info.client = live.teacher.client;
        if let Some(first) = live.teacher.first_fin() {
            cold_path();
            info.first_fin_by = Some(first);
            info.u = live.teacher.fin_seq(first);
            info.w = live.teacher.fin_seq(1 - first);
        }

        // Application payload.
        // tshark hands keep-alive bytes to the data dissector only.
        let goes_up = flags
            & (flag::RETRANSMISSION
                | flag::SPURIOUS_RETRANSMISSION
                | flag::OUT_OF_ORDER
                | flag::KEEP_ALIVE)
            == 0;
        let tls_before = live.app.tls_version;
        let http_request_seen = live.app.http_request_seen();
        let mut pdu = Pdu::None;
        let mut kind = PduKind::None;
        let mut proto = None;
        let only_out_of_order = flags
            & (flag::RETRANSMISSION | flag::SPURIOUS_RETRANSMISSION | flag::OUT_OF_ORDER)
            == flag::OUT_OF_ORDER;
        if s.seglen > 0
            && only_out_of_order
            && !ftp_data
            && let Some(p) = live
                .app
                .out_of_order(side, frame, s.seq, s.payload, s.seglen)
        {
            cold_path();
            pdu = Pdu::Partial {
                proto: p,
                starts_at: None,
                shown: None,
            };
            kind = PduKind::PartialMore;
            proto = Some(p);
        }
        if s.seglen > 0
            && flags & flag::KEEP_ALIVE != 0
            && let Some(p) = live.app.overlaps_reassembled(side, s.seq)
        {
            cold_path();
            pdu = Pdu::Overlaps(p);
            kind = PduKind::Overlaps;
            proto = Some(p);
        }
        let fin = s.flags & FIN != 0;
        let decision = if s.seglen > 0 && goes_up && !ftp_data {
            let complete = s.payload.len() == s.seglen as usize;
            live.app.desegment = self.pass.desegment;
            live.app.fin = fin;
            live.app.segment(
                side,
                frame,
                s.seq,
                s.payload,
                complete,
                info.server_port,
                s.src_port,
                s.dst_port,
            )
        } else if fin && s.seglen == 0 && goes_up {
            // A FIN alone ends an HTTP body that runs to the end of the connection.
            live.app
                .fin_completes(side, s.seq)
                .map_or(Decision::None, Decision::Completes)
        } else {
            Decision::None
        };
        match decision {
            Decision::None => {}
            Decision::Whole(p) => {
                pdu = Pdu::Whole(p);
                kind = PduKind::Whole;
                proto = Some(p);
            }
            Decision::PartialStart(p, offset) => {
                pdu = Pdu::Partial {
                    proto: p,
                    starts_at: Some(offset),
                    shown: None,
                };
                kind = PduKind::PartialStart;
                proto = Some(p);
                if offset != 0 {
                    self.results.partial_offsets.insert(frame, offset);
                }
            }
            Decision::PartialMore(p, text) => {
                let shown: Option<std::sync::Arc<str>> = text.map(Into::into);
                if let Some(text) = &shown {
                    self.results.partial_info.insert(frame, text.clone());
                }
                pdu = Pdu::Partial {
                    proto: p,
                    starts_at: None,
                    shown,
                };
                kind = PduKind::PartialMore;
                proto = Some(p);
            }
            Decision::Rejected(p) => {
                pdu = Pdu::Rejected(p);
                kind = PduKind::Rejected;
                proto = Some(p);
            }
            Decision::WholeThenStart(p, tail) => {
                pdu = Pdu::WholeThenPartial { proto: p, tail };
                kind = PduKind::WholeThenStart;
                proto = Some(p);
                self.results.partial_offsets.insert(frame, tail);
            }
            Decision::Completes(c) => {
                let frames = c.parts.frames();
                self.results.completes.insert(
                    frame,
                    Completed {
                        frames: frames.clone(),
                        first_offset: c.first_offset,
                        end: c.end,
                        tail: c.tail,
                    },
                );
                pdu = Pdu::Completes {
                    proto: c.proto,
                    frames,
                    first_offset: c.first_offset,
                    end: c.end,
                    tail: c.tail,
                };
                kind = PduKind::Completes;
                proto = Some(c.proto);
                self.pass.completed = Some((frame, c.parts));
            }
        }

        let time_delta = if live.last_frame == 0 {
            0
        } else {
            s.ts_nanos.saturating_sub(live.last_ts)
        };
        let prev = live.last_frame;
        live.last_frame = frame;
        live.last_ts = s.ts_nanos;
        info.last_frame = frame;

        let seq_base = fwd.base_seq.unwrap_or(0);
        let ack_base = rev.base_seq;
        if let Some((num, f)) = findings.dup_ack {
            cold_path();
            self.results.dup_acks.insert(frame, (num, f));
        }
        if let Some(f) = findings.rto_frame {
            cold_path();
            self.results.rto_frames.insert(frame, f);
        }
        let irtt_now = info.irtt.filter(|(f, _)| *f <= frame).map(|(_, v)| v);
        let server_port = info.server_port;
        let first_ts = info.first_ts;
        for Patch::Receiver(f, state) in patches {
            self.update_packet(f, |p| p.set_receiver_state(state));
        }
        let mut refs_fit = true;
        self.update_packet(frame, |rec| {
            refs_fit = rec.set_refs(frame, findings.acks_frame, prev);
            rec.set_flags(flags);
            rec.set_completeness(completeness);
            rec.set_window_shift(window_shift);
            rec.set_teaching(outcome.step, outcome.sender, outcome.receiver);
            rec.set_from_second(side == 1);
            rec.set_has_payload(s.seglen > 0);
            rec.set_pdu(kind, proto);
            rec.set_tls_version(tls_before);
            rec.set_http_request_seen(http_request_seen);
            rec.bytes_in_flight = findings.bytes_in_flight;
            rec.push_bytes_sent = findings.push_bytes_sent;
        });
        if !refs_fit {
            cold_path();
            self.results
                .far_refs
                .insert(frame, (findings.acks_frame, prev));
        }
        if self.pass.replaying {
            self.pass.replayed = fresh.map(|(info, live)| (info, Box::new(live)));
        }
        TcpFrameInfo {
            stream,
            seq_base,
            ack_base,
            window_shift,
            flags,
            completeness,
            acks_frame: (findings.acks_frame != 0).then_some(findings.acks_frame),
            // The load pass keeps no field: the RTT is read from the index when a
            // packet is dissected again (tcp::Recorded).
            ack_rtt_nanos: None,
            initial_rtt_nanos: irtt_now.filter(|_| flags & flag::HAS_RECORD != 0),
            bytes_in_flight: (findings.bytes_in_flight != 0).then_some(findings.bytes_in_flight),
            push_bytes_sent: (findings.bytes_in_flight != 0).then_some(findings.push_bytes_sent),
            dup_ack_num: findings.dup_ack.map(|(n, _)| n),
            dup_ack_frame: findings.dup_ack.map(|(_, f)| f),
            rto_nanos: None,
            rto_frame: findings.rto_frame,
            time_relative_nanos: s.ts_nanos.saturating_sub(first_ts),
            time_delta_nanos: time_delta,
            server_port,
            pdu,
            tls_version: tls_before,
            http_request_seen,
        }
    }
}

/// Runs the load pass packet by packet.
#[derive(Debug)]
pub struct Loader {
    state: PassState,
    dissection: Option<Dissection<'static>>,
    first_ts: Option<i64>,
    prev_ts: i64,
    /// A display filter evaluated on each packet as it is loaded.
    filter: Option<Arc<dyn PacketPredicate>>,
    /// The packets (0-based) it kept so far.
    matches: Vec<u32>,
    /// The preferences the load dissects with.
    prefs: Prefs,
}

impl Default for Loader {
    fn default() -> Self {
        Self::new()
    }
}

impl Loader {
    /// A loader at the start of a capture.
    pub fn new() -> Self {
        Loader {
            state: PassState::default(),
            dissection: Some(Self::quiet_dissection()),
            first_ts: None,
            prev_ts: 0,
            filter: None,
            matches: Vec::new(),
            prefs: Prefs::default(),
        }
    }

    /// This loader, dissecting with `prefs` (tshark's `-o`): what the load records
    /// (reassembled PDUs and datagrams) follows them.
    pub fn with_prefs(mut self, prefs: Prefs) -> Self {
        self.prefs = prefs;
        self.state.desegment = Desegment::from_prefs(&prefs);
        self
    }

    /// This loader, also evaluating `filter` on every packet in passing: the
    /// packets it keeps are those [`super::Loaded::matching`] finds after the load.
    /// Only for a filter the load can answer ([`answers_in_passing`]).
    pub(crate) fn with_filter(mut self, filter: Arc<dyn PacketPredicate>) -> Self {
        self.filter = Some(filter);
        self.dissection = Some(self.fresh_dissection());
        self
    }

    /// The packets (0-based, in order) the filter given to [`Self::with_filter`]
    /// kept so far.
    pub(crate) fn take_matches(&mut self) -> Vec<u32> {
        std::mem::take(&mut self.matches)
    }

    /// A loader for the packets of one partition of a parallel load.
    pub(crate) fn for_partition(partition: u8, prefs: Prefs) -> Self {
        let mut state = PassState::for_partition(partition);
        state.desegment = Desegment::from_prefs(&prefs);
        Loader {
            state,
            prefs,
            ..Loader::new()
        }
    }

    /// Processes the next packet (frames must come in order, numbered from 1),
    /// recording into `results` and `stats`. Sets the record's TCP stream.
    #[allow(clippy::too_many_arguments)]
    pub fn process(
        &mut self,
        results: &mut TcpResults,
        stats: &mut LoadStats,
        frame: u32,
        record: &mut PacketRecord,
        bytes: &[u8],
        iface: &Interface,
    ) {
        let mut d = self.lend_dissection();
        self.process_in(&mut d, results, stats, frame, record, bytes, iface);
        self.return_dissection(d);
    }

    /// The loader's dissection, for a run of [`Self::process_in`] calls on packets
    /// of one lifetime (a batch of a mapped file); give it back with
    /// [`Self::return_dissection`]. Rebinding it to the packets' lifetime moves the
    /// whole struct, so it is done once a batch rather than once a packet.
    pub fn lend_dissection<'b>(&mut self) -> Dissection<'b> {
        let lent = self.dissection.take();
        lent.unwrap_or_else(|| self.fresh_dissection()).recycle()
    }

    /// Takes back the dissection lent by [`Self::lend_dissection`].
    pub fn return_dissection(&mut self, d: Dissection<'_>) {
        self.dissection = Some(d.recycle());
    }

    /// [`Self::process`] with a lent dissection.
    #[allow(clippy::too_many_arguments)]
    pub fn process_in<'b>(
        &mut self,
        d: &mut Dissection<'b>,
        results: &mut TcpResults,
        stats: &mut LoadStats,
        frame: u32,
        record: &mut PacketRecord,
        bytes: &'b [u8],
        iface: &Interface,
    ) {
        let first_ts = *self.first_ts.get_or_insert(record.ts_nanos);
        let prev_ts = if frame == 1 {
            record.ts_nanos
        } else {
            self.prev_ts
        };
        let times = Times { first_ts, prev_ts };
        d.clear();
        self.run(
            d,
            results,
            stats,
            Slots::Own,
            frame,
            record,
            bytes,
            iface,
            times,
        );
        self.prev_ts = record.ts_nanos;
    }

    /// Processes the next packet of one partition of a parallel load (its frames come
    /// in order, with gaps where other partitions' frames are), writing its
    /// [`PacketAnalysis`] into `slots` and the rest into this partition's `results`,
    /// whose stream numbers are its own. Sets the record's (partition) TCP stream.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn process_partition<'b>(
        &mut self,
        d: &mut Dissection<'b>,
        results: &mut TcpResults,
        stats: &mut LoadStats,
        slots: &PacketTable,
        frame: u32,
        record: &mut PacketRecord,
        bytes: &'b [u8],
        iface: &Interface,
        times: Times,
    ) {
        d.clear();
        self.run(
            d,
            results,
            stats,
            Slots::Shared(slots),
            frame,
            record,
            bytes,
            iface,
            times,
        );
    }

    /// A dissection that keeps no field: the load pass wants only the analysis, the
    /// protocols and the expert items.
    pub(crate) fn quiet_dissection<'b>() -> Dissection<'b> {
        Dissection::new(Want::Fields(crate::dissect::FieldSet::new()), false, false)
    }

    /// A dissection for this loader's pass: the quiet one, or with a filter one that
    /// also keeps what the filter reads.
    pub(crate) fn fresh_dissection<'b>(&self) -> Dissection<'b> {
        match &self.filter {
            Some(filter) => filter.dissection().with_experts(),
            None => Self::quiet_dissection(),
        }
    }

    /// The pass state (a partition's pass reports conflicts there).
    pub(crate) fn state(&self) -> &PassState {
        &self.state
    }

    #[allow(clippy::too_many_arguments)]
    fn run<'b>(
        &mut self,
        d: &mut Dissection<'b>,
        results: &mut TcpResults,
        stats: &mut LoadStats,
        slots: Slots<'_>,
        frame: u32,
        record: &mut PacketRecord,
        bytes: &'b [u8],
        iface: &Interface,
        times: Times,
    ) {
        let pass = FirstPass {
            state: RefCell::new(State {
                pass: &mut self.state,
                results,
                slots,
            }),
        };
        pass.begin_frame(frame, record.ts_nanos);
        let ctx = PacketContext {
            number: frame,
            record: *record,
            iface,
            first_ts_nanos: times.first_ts,
            prev_ts_nanos: times.prev_ts,
            prev_displayed_ts_nanos: times.prev_ts,
            analysis: Some(&pass),
            marked: false,
            prefs: self.prefs,
        };
        dissect_packet(d, &ctx, bytes);
        stats.count(frame, record, d);
        let stream = pass.state.borrow().pass.current_stream;
        record.stream = stream;
        if let Some(filter) = &self.filter
            && filter.matches(d, bytes)
        {
            self.matches.push(frame.saturating_sub(1));
        }
    }
}

/// Whether the load pass, evaluating `filter` on each packet as it goes, keeps the
/// packets [`super::Loaded::matching`] would keep after it. Not when the filter reads
/// what only the recorded analysis knows (the RTT to the ACK, the RTO, the teaching
/// fields with the receiver's state, which later packets settle), nor, on a capture
/// split across threads (`partitioned`), stream numbers, which are only the capture's
/// once the partitions are merged. Nor QUIC and the TLS it carries:
/// a server's Initial opens only with keys from an earlier frame's bytes, which the
/// load pass does not keep.
pub fn answers_in_passing(filter: &dyn PacketPredicate, partitioned: bool) -> bool {
    use crate::dissect::{quic, smb, smb2, tcp, teach, tls};
    let fields = filter.fields();
    // SMB's tree path, SMB2's tree and a LANMAN response's function are read from
    // earlier frames.
    let after_load = [
        tcp::ACK_RTT,
        tcp::RTO,
        tcp::RTO_FRAME,
        smb::PATH,
        smb::LANMAN_FUNCTION,
        smb2::TREE,
    ];
    let read_after_load = [teach::SYNACK, quic::QUIC, tls::TLS];
    !fields.ids().any(|f| {
        after_load.contains(&f)
            || read_after_load.contains(&crate::dissect::registry::protocol_of(f))
            || partitioned && (f == tcp::STREAM || f == crate::dissect::udp::STREAM)
    })
}

/// The summary of a stream of one segment, computed again (see [`replay`]).
pub(crate) fn replay_info(one: &OneSegment) -> Option<StreamInfo> {
    replay(one).map(|(info, _)| info)
}

/// A stream's summary and state after its one segment, computed again by the same
/// code from what [`OneSegment`] kept of it, in a pass of its own whose records go
/// nowhere.
fn replay(one: &OneSegment) -> Option<(StreamInfo, Box<LiveStream>)> {
    let mut pass = PassState {
        replaying: true,
        ..PassState::default()
    };
    let mut results = TcpResults::default();
    let nowhere = PacketTable::default();
    let mut state = State {
        pass: &mut pass,
        results: &mut results,
        slots: Slots::Shared(&nowhere),
    };
    let segment = TcpSegment {
        src: Addr::V4(one.src),
        dst: Addr::V4(one.dst),
        src_port: one.src_port,
        dst_port: one.dst_port,
        seq: one.seq,
        ack: one.ack,
        flags: one.flags,
        window: one.window,
        seglen: 0,
        hdr_len: 0,
        wscale: one.wscale,
        mss: one.mss,
        sack_bytes: one.sack_bytes,
        payload: &[],
        ts_nanos: one.ts_nanos,
    };
    state.segment(one.frame, &segment);
    pass.replayed.take()
}

/// The capture's first timestamp and the previous frame's (for frame-relative times).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Times {
    /// Timestamp of frame 1.
    pub first_ts: i64,
    /// Timestamp of the frame before this one (this one's for frame 1).
    pub prev_ts: i64,
}
