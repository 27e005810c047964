//! Which application PDUs a TCP stream's payloads form, decided segment by segment in
//! capture order as tshark's single pass does: a PDU that needs more bytes makes its
//! segments "[TCP segment of a reassembled PDU]" until the segment that completes it.

use crate::dissect::apps::{self, PduLen};
#[cfg(doc)]
use crate::dissect::context::Pdu;
use crate::dissect::context::{AppProto, PduParts};
use crate::dissect::ssh::{self, SshFlow};
use crate::dissect::{http, tls};
use std::collections::BTreeMap;

/// Most bytes buffered for one unfinished PDU; past this the PDU is abandoned.
pub const MAX_PDU_BYTES: usize = 16 * 1024 * 1024;

/// Most room reserved at once for the rest of a PDU of known length (a lying length
/// reserves no more than this ahead of the bytes).
const RESERVE_STEP: usize = 1024 * 1024;

/// Reserves in `buffer` the room the rest of a PDU of `total` bytes (when known)
/// needs, exactly (at most [`RESERVE_STEP`] more): grown by doubling instead, the
/// buffer of a PDU that never completes would hold up to twice its bytes to the end
/// of the load, and each doubling copies it.
fn reserve_rest(buffer: &mut Vec<u8>, total: Option<u32>) {
    if let Some(total) = total {
        let rest = (total as usize).saturating_sub(buffer.len());
        buffer.reserve_exact(rest.min(RESERVE_STEP));
    }
}

/// Makes room in `buffer` for `more` bytes, growing it by a quarter at least rather
/// than doubling it: a PDU that never completes (a download the capture cut) keeps
/// its buffer to the end of the load, up to half of it unused when doubled.
fn grow_for(buffer: &mut Vec<u8>, more: usize) {
    if buffer.capacity() - buffer.len() < more {
        buffer.reserve_exact(more.max(buffer.len() / 4));
    }
}

#[derive(Debug, Default, Clone)]
struct Pending {
    /// Earlier frames and how many bytes each contributed, in order.
    parts: Vec<(u32, usize)>,
    /// Where the PDU starts in the first frame's payload.
    first_offset: u32,
    buffer: Vec<u8>,
    /// The sequence number the next in-order segment must have.
    next_seq: u32,
    /// The application asked for "one more segment" (its length is not known yet), so
    /// tshark hands it the next segment with all the bytes so far.
    hand_next: bool,
    /// Sequence number of the PDU's first byte.
    start_seq: u32,
    /// Bytes the PDU takes, once the application has said.
    total: Option<u32>,
    /// A segment is missing inside the PDU: it can no longer complete, but segments
    /// inside its range stay its parts (tshark keeps the PDU by sequence range).
    holed: bool,
    /// Bytes of the PDU seen so far, out-of-order ones included.
    covered: u32,
    /// `total` can no longer change as bytes come: an HTTP message whose header block
    /// (ended by an empty CRLF line) gave a Content-Length. Its length is then not
    /// asked again of the whole buffer on every segment.
    settled: bool,
    /// An HTTP response whose body runs to the end of the connection (no
    /// Content-Length, not chunked): tshark's `DESEGMENT_UNTIL_FIN`, completed by the
    /// sender's FIN.
    until_fin: bool,
    /// Segments of the PDU that came past a gap, kept until the gap fills: tshark's
    /// reassembly takes any segment inside the PDU's range, in whatever order, and
    /// completes the PDU once nothing is missing.
    early: Early,
}

/// Segments kept past a gap, by their offset from the PDU's first byte, with the bytes
/// they hold in all (so that neither a merge nor the budget walks them all).
#[derive(Debug, Default, Clone)]
struct Early {
    by_offset: BTreeMap<u32, (u32, Vec<u8>)>,
    held: usize,
}

impl Early {
    fn is_empty(&self) -> bool {
        self.by_offset.is_empty()
    }

    /// Keeps frame `frame`'s `payload` at `offset`, unless it overlaps a segment kept
    /// before.
    fn keep(&mut self, offset: u32, frame: u32, payload: &[u8]) -> bool {
        let end = offset.saturating_add(payload.len() as u32);
        let before = self.by_offset.range(..=offset).next_back();
        let after = self.by_offset.range(offset..).next();
        let overlaps = before
            .is_some_and(|(at, (_, b))| at.saturating_add(b.len() as u32) > offset)
            || after.is_some_and(|(at, _)| *at < end);
        if overlaps {
            return false;
        }
        self.held += payload.len();
        self.by_offset.insert(offset, (frame, payload.to_vec()));
        true
    }

    /// Takes the segment kept at `offset`, if any.
    fn take(&mut self, offset: u32) -> Option<(u32, Vec<u8>)> {
        let taken = self.by_offset.remove(&offset)?;
        self.held -= taken.1.len();
        Some(taken)
    }
}

impl Pending {
    /// Appends frame `frame`'s in-order `payload` (first byte at raw `seq`), then the
    /// early segments it reaches.
    fn append(&mut self, frame: u32, seq: u32, payload: &[u8]) {
        grow_for(&mut self.buffer, payload.len());
        self.buffer.extend_from_slice(payload);
        self.next_seq = seq.wrapping_add(payload.len() as u32);
        self.parts.push((frame, payload.len()));
        self.covered = self.covered.saturating_add(payload.len() as u32);
        self.merge_early();
    }

    /// Appends the early segments the in-order bytes now reach, in sequence order.
    fn merge_early(&mut self) {
        while let Some((frame, bytes)) = self.early.take(self.next_seq.wrapping_sub(self.start_seq))
        {
            grow_for(&mut self.buffer, bytes.len());
            self.buffer.extend_from_slice(&bytes);
            self.parts.push((frame, bytes.len()));
            self.next_seq = self.next_seq.wrapping_add(bytes.len() as u32);
        }
    }

    /// Keeps a segment that came past a gap (raw `seq`); false when it cannot be kept
    /// (it overlaps one already kept, or the PDU's budget is spent).
    fn keep_early(&mut self, seq: u32, frame: u32, payload: &[u8]) -> bool {
        if self.buffer.len() + self.early.held + payload.len() > MAX_PDU_BYTES {
            return false;
        }
        self.early
            .keep(seq.wrapping_sub(self.start_seq), frame, payload)
    }
}

/// A PDU of known length that a gap left unfinished: tshark keeps it by its sequence
/// range, and a segment that later falls inside it (the lost segment retransmitted,
/// an out-of-order one filling its hole) still counts as one of its segments.
#[derive(Debug, Default, Clone, Copy)]
struct Abandoned {
    start_seq: u32,
    total: u32,
    covered: u32,
}

/// How many abandoned PDUs a stream's side remembers (the most recent).
const ABANDONED_KEPT: usize = 8;

/// The decision for one segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// No application protocol.
    None,
    /// One or more whole PDUs.
    Whole(AppProto),
    /// Whole PDUs up to this payload offset, then the start of one that continues
    /// later (tshark shows the whole ones and no "[TCP segment of a reassembled PDU]").
    WholeThenStart(AppProto, u32),
    /// A PDU starts here (at this payload offset) and continues later.
    PartialStart(AppProto, u32),
    /// A middle segment of a PDU, with the Info text the application left when it was
    /// handed the bytes so far (see [`Pdu::Partial`]'s `shown`).
    PartialMore(AppProto, Option<String>),
    /// The last segment of a PDU.
    Completes(Completion),
    /// The application dissector declined the bytes: only TCP shows them.
    Rejected(AppProto),
}

/// A segment that completes a PDU begun in earlier segments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// Application protocol.
    pub proto: AppProto,
    /// The earlier parts, in order.
    pub parts: PduParts,
    /// Where the PDU starts in the first part's payload.
    pub first_offset: u32,
    /// How many bytes of this segment's payload the PDU takes.
    pub end: u32,
    /// Where an unfinished PDU starts in this payload after the completed one (and
    /// any whole ones after it).
    pub tail: Option<u32>,
}

/// Which reassembly the preferences leave on: tshark's `tcp.desegment_tcp_streams`
/// (PDUs over several segments) and `http.desegment_body` (an HTTP body over the
/// segments after its headers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Desegment {
    /// PDUs are reassembled across segments; off, each segment goes up on its own.
    pub tcp: bool,
    /// An HTTP body is waited for; off, a message ends with its headers and the body
    /// bytes in the same segment.
    pub http_body: bool,
}

impl Default for Desegment {
    fn default() -> Self {
        Desegment {
            tcp: true,
            http_body: true,
        }
    }
}

impl Desegment {
    /// The switches `prefs` sets.
    pub fn from_prefs(prefs: &crate::prefs::Prefs) -> Self {
        Desegment {
            tcp: prefs.tcp_desegment,
            http_body: prefs.http_desegment_body,
        }
    }

    /// Length of the first PDU of `proto` in `bytes`, as [`apps::pdu_len`] with these
    /// switches.
    fn pdu_len(self, proto: AppProto, bytes: &[u8], tls_version: Option<u16>) -> PduLen {
        match proto {
            AppProto::Http => http::pdu_len_with(bytes, self.http_body),
            _ => apps::pdu_len(proto, bytes, tls_version),
        }
    }
}

/// Application state of one stream: its protocol and each direction's unfinished PDU.
#[derive(Debug, Default, Clone)]
pub struct StreamApp {
    /// The reassembly preferences in force (set by the load before each segment).
    pub desegment: Desegment,
    proto: Option<AppProto>,
    /// What the ports alone say (decided once per stream).
    by_port: Option<Option<AppProto>>,
    /// Boxed: most streams never hold a partial PDU, and thousands of streams stay live.
    pending: [Option<Box<Pending>>; 2],
    /// PDUs a gap left unfinished, by side.
    abandoned: [Vec<Abandoned>; 2],
    /// TLS version negotiated so far.
    pub tls_version: Option<u16>,
    /// Whether an HTTP request or response line was seen in the stream.
    http_seen: bool,
    /// Whether an HTTP request line was seen (tshark's "have seen HTTP", which a
    /// response alone does not set).
    request_seen: bool,
    /// An HTTP CONNECT asked for a tunnel to this port; a 2xx answer hands the rest
    /// of the stream to what that port names (TLS for 443), as tshark's HTTP does.
    connect_port: Option<u16>,
    /// The tunnel is open from the next segment on.
    tunnel: Option<Option<AppProto>>,
    /// A text protocol's client asked to start TLS (STARTTLS, STLS, AUTH TLS).
    starttls_asked: bool,
    /// SSH's version and key-exchange progress (its PDUs depend on them).
    ssh: SshFlow,
    /// The segment being decided carries a FIN (set by the load before each segment):
    /// no more bytes will follow, so HTTP waits for none (tshark's `end_of_stream`).
    pub fin: bool,
    /// The last request line seen asked for HEAD: its response has no body.
    head_asked: bool,
    /// Each direction's last PDU reassembled from several segments: the raw sequence
    /// numbers of its first byte and of the byte after it (tshark keeps them all; a
    /// keep-alive can only reach the last).
    reassembled: [Option<(u32, u32)>; 2],
}

impl StreamApp {
    /// Whether an HTTP request line was seen in the stream so far.
    pub fn http_request_seen(&self) -> bool {
        self.request_seen
    }

    /// Decides how the payload of a segment (sent by `side`, first byte at raw `seq`)
    /// goes up. `complete` is false when the capture truncated the payload.
    #[allow(clippy::too_many_arguments)]
    pub fn segment(
        &mut self,
        side: usize,
        frame: u32,
        seq: u32,
        payload: &[u8],
        complete: bool,
        server_port: Option<u16>,
        sport: u16,
        dport: u16,
    ) -> Decision {
        let side = side.min(1);
        // SSH's sides are named by its port (tshark: the destination is the port
        // the dissector was found by).
        let client = dport == ssh::PORT;
        if let Some(next) = self.tunnel.take() {
            self.pending = [None, None];
            self.connect_port = None;
            match next {
                Some(p) => self.proto = Some(p),
                None => {
                    self.proto = None;
                    self.by_port = Some(None);
                }
            }
        }
        let ssh_flow = self.ssh;
        // A segment inside a PDU a gap left unfinished (its lost segment, fast
        // retransmitted) joins that one, whatever PDU the stream is in now.
        let current_takes_it = self.pending[side].as_ref().is_some_and(|p| {
            p.next_seq == seq || p.total.is_some_and(|t| seq.wrapping_sub(p.start_seq) < t)
        });
        if !current_takes_it && complete && self.inside_abandoned(side, seq, payload.len() as u32) {
            return Decision::PartialMore(proto_of_pending(self.proto), None);
        }
        let may_wait_for_fin = self.may_wait_for_fin();
        let slot = &mut self.pending[side];
        if let Some(p) = slot.as_mut() {
            if p.until_fin && p.next_seq == seq && complete && !p.holed && !self.fin {
                // The body goes on to the FIN: this segment only joins it.
                if p.buffer.len().saturating_add(payload.len()) <= MAX_PDU_BYTES {
                    p.append(frame, seq, payload);
                    return Decision::PartialMore(AppProto::Http, None);
                }
            }
            // A segment of such a body past a gap (the capture lost a segment, or the
            // network reordered it): kept for when the gap fills.
            let ahead = seq.wrapping_sub(p.next_seq);
            if p.until_fin && complete && !p.holed && !self.fin && ahead > 0 && ahead < 1 << 30 {
                if !p.keep_early(seq, frame, payload) {
                    p.holed = true;
                }
                p.covered = p.covered.saturating_add(payload.len() as u32);
                return Decision::PartialMore(AppProto::Http, None);
            }
            if p.next_seq == seq && complete && !p.holed && !p.early.is_empty() {
                // The gap before the bytes kept past it fills: they join in sequence
                // order. Should they complete the PDU, it would end in a frame before
                // this one, which a completion cannot say: the PDU is given up.
                let proto = self.proto.unwrap_or(AppProto::Http);
                p.append(frame, seq, payload);
                if p.total.is_some_and(|t| p.buffer.len() >= t as usize) || !p.early.is_empty() {
                    p.holed = true;
                    p.early = Early::default();
                    p.buffer = Vec::new();
                }
                return Decision::PartialMore(proto, None);
            }
            if p.next_seq == seq && complete && !p.holed {
                let proto = self.proto.unwrap_or(AppProto::Http);
                let before = p.buffer.len();
                reserve_rest(&mut p.buffer, p.total);
                grow_for(&mut p.buffer, payload.len());
                p.buffer.extend_from_slice(payload);
                p.next_seq = seq.wrapping_add(payload.len() as u32);
                let settled = match p.total {
                    Some(total) if p.settled && self.desegment.http_body => Some(total as usize),
                    _ => None,
                };
                if p.until_fin && !p.early.is_empty() {
                    // Bytes kept past a gap lie beyond the FIN's: the body can never
                    // be whole now.
                    p.holed = true;
                    p.parts.push((frame, payload.len()));
                    return Decision::PartialMore(AppProto::Http, None);
                }
                let len = match (proto, settled) {
                    // The sender's FIN ends a body that runs to the end of the
                    // connection (a longer one than MAX_PDU_BYTES ends here too).
                    (AppProto::Http, _) if p.until_fin => PduLen::Complete(p.buffer.len()),
                    (AppProto::Tls, _) => tls::first_record_len(&p.buffer, self.tls_version),
                    // What HTTP's length reads again would read.
                    (AppProto::Http, Some(total)) if p.buffer.len() >= total => {
                        PduLen::Complete(total)
                    }
                    (AppProto::Http, Some(total)) => PduLen::NeedMore(Some(total)),
                    (AppProto::Ssh, _) => ssh_flow.pdu_len(client, &p.buffer),
                    _ => self.desegment.pdu_len(proto, &p.buffer, None),
                };
                // Headers completed in this segment, of a body that runs to the FIN.
                let until_fin = !p.until_fin
                    && may_wait_for_fin
                    && proto == AppProto::Http
                    && matches!(len, PduLen::Complete(n) if n >= p.buffer.len())
                    && http::body_runs_to_close(&p.buffer);
                let used = match len {
                    _ if until_fin => {
                        p.parts.push((frame, payload.len()));
                        p.covered = p.covered.saturating_add(payload.len() as u32);
                        let shown = if p.hand_next {
                            shown_when_handed(proto, &p.buffer)
                        } else {
                            None
                        };
                        p.hand_next = false;
                        p.total = None;
                        p.until_fin = true;
                        return Decision::PartialMore(proto, shown);
                    }
                    PduLen::NeedMore(known) if p.buffer.len() <= MAX_PDU_BYTES => {
                        p.parts.push((frame, payload.len()));
                        p.covered = p.covered.saturating_add(payload.len() as u32);
                        let shown = if p.hand_next {
                            shown_when_handed(proto, &p.buffer)
                        } else {
                            None
                        };
                        p.hand_next = known.is_none();
                        p.total = known.and_then(|n| u32::try_from(n).ok());
                        if !p.settled {
                            p.settled = settles(proto, known, &p.buffer);
                        }
                        return Decision::PartialMore(proto, shown);
                    }
                    // The PDU ends inside this segment (never before it: the earlier
                    // parts alone needed more).
                    PduLen::Complete(n) => n.saturating_sub(before).clamp(1, payload.len()),
                    PduLen::NeedMore(_) | PduLen::NotMine => payload.len(),
                };
                let Some(done) = slot.take() else {
                    return Decision::None;
                };
                let Pending {
                    parts,
                    mut buffer,
                    first_offset,
                    start_seq,
                    ..
                } = *done;
                if let Some(d) = self.reassembled.get_mut(side) {
                    *d = Some((start_seq, seq.wrapping_add(used as u32)));
                }
                self.note_tls(proto, buffer.get(..before + used).unwrap_or(&[]));
                if proto == AppProto::Ssh {
                    let pdu = buffer.get(..before + used).unwrap_or(&[]);
                    self.ssh.advance(client, pdu);
                }
                // The earlier parts' bytes go on in the buffer they were gathered in.
                buffer.truncate(before);
                let rest = payload.get(used..).unwrap_or(&[]);
                let tail = self
                    .whole_then_pending(side, client, proto, frame, seq, payload, used)
                    .filter(|t| (*t as usize) < payload.len());
                if let Some(t) = tail {
                    self.note_tls(proto, payload.get(used..t as usize).unwrap_or(&[]));
                } else {
                    self.note_tls(proto, rest);
                }
                return Decision::Completes(Completion {
                    proto,
                    parts: PduParts {
                        parts,
                        bytes: buffer,
                    },
                    first_offset,
                    end: used as u32,
                    tail,
                });
            }
            // A segment past a gap, still inside the unfinished PDU of known length:
            // tshark adds it to the PDU (which waits for the missing bytes, shown only
            // as out-of-order segments) and shows it as a reassembly segment.
            let offset = seq.wrapping_sub(p.start_seq);
            // A segment past the gap that runs beyond the PDU's end: its part up to
            // there joins the PDU (which can never complete now), and the next PDU
            // starts where the length said, as tshark's TCP hands the rest on. When
            // that one needs more segments, the segment reads as a reassembly
            // segment.
            let straddles = p
                .total
                .filter(|total| offset < *total && complete)
                .map(|total| (total - offset) as usize)
                .filter(|inside| *inside < payload.len());
            if let Some(inside) = straddles
                && proto_of_pending(self.proto) != AppProto::Ssh
            {
                let proto = proto_of_pending(self.proto);
                let rest = payload.get(inside..).unwrap_or(&[]);
                if matches!(
                    self.desegment.pdu_len(proto, rest, self.tls_version),
                    PduLen::NeedMore(_)
                ) {
                    self.abandon(side);
                    self.whole_then_pending(side, client, proto, frame, seq, payload, inside);
                    return Decision::PartialMore(proto, None);
                }
            }
            let Some(p) = self.pending[side].as_mut() else {
                return Decision::None;
            };
            if let Some(total) = p.total
                && offset < total
                && offset.saturating_add(payload.len() as u32) <= total
                && complete
            {
                let proto = self.proto.unwrap_or(AppProto::Http);
                // Kept for when an out-of-order segment fills the gap (tshark then
                // completes the PDU); a PDU whose hole a retransmission fills, or
                // none does, never completes.
                if !p.keep_early(seq, frame, payload) {
                    p.holed = true;
                    // A PDU with a hole is never read again, only counted: its bytes go.
                    p.buffer = Vec::new();
                    p.early = Early::default();
                }
                p.covered = p.covered.saturating_add(payload.len() as u32);
                return Decision::PartialMore(proto, None);
            }
            // A gap or truncated data: the unfinished PDU cannot be completed.
            self.abandon(side);
        }
        let mut by_port = *self
            .by_port
            .get_or_insert_with(|| apps::classify_by_port(server_port, sport, dport));
        // TPKT's port dissector takes a conversation only from a segment that opens
        // with a TPKT header; before that the heuristics see the bytes (RDP's TLS in a
        // capture started after the negotiation reads as TLS, as in tshark).
        if by_port == Some(AppProto::Tpkt) && !crate::dissect::tpkt::opens_pdu(payload) {
            by_port = None;
        }
        let proto = match self.proto {
            Some(p) => p,
            None => match by_port
                .or_else(|| apps::classify_by_content_on(server_port, sport, dport, payload))
            {
                Some(p) => {
                    self.proto = Some(p);
                    p
                }
                None => {
                    self.note_starttls(server_port, sport, dport, payload);
                    return Decision::None;
                }
            },
        };
        if proto == AppProto::Http {
            // A capture started mid-message: tshark's HTTP takes nothing from a
            // conversation before its first request or response line. Text waits for
            // the end of its first line before HTTP decides; binary (a WebSocket
            // stream) is refused at once.
            if http::looks_like_http(payload) {
                self.http_seen = true;
                if !payload.starts_with(b"HTTP/") {
                    self.request_seen = true;
                    self.head_asked = payload.starts_with(b"HEAD ");
                }
                self.note_connect(payload);
            } else {
                // What tshark asks of bytes that start no message: a request seen
                // before (a response alone is not enough when a body can be left
                // unreassembled, which is the only way such bytes reach HTTP then).
                let seen = if self.desegment.tcp && self.desegment.http_body {
                    self.http_seen
                } else {
                    self.request_seen
                };
                // Binary bytes HTTP leaves alone; text it takes once its first line is
                // whole, showing it (without a column) only when it reads as header
                // lines, which the dissector decides.
                let binary = payload.first().is_some_and(|b| !(0x20..=0x7e).contains(b));
                if !seen && (binary || !self.desegment.tcp) {
                    return Decision::Rejected(proto);
                }
            }
        }
        if proto == AppProto::Tls && tls::refuses(payload) {
            return Decision::Rejected(proto);
        }
        if !complete {
            return Decision::Whole(proto);
        }
        if !self.desegment.tcp {
            // `tcp.desegment_tcp_streams:FALSE`: the application dissects each
            // segment's bytes on its own, whatever they cut.
            self.note_tls(proto, payload);
            return Decision::Whole(proto);
        }
        if proto == AppProto::Tpkt && !crate::dissect::tpkt::opens_pdu(payload) {
            // Bytes that open no TPKT PDU: TPKT shows them as continuation.
            return Decision::Whole(proto);
        }
        if proto == AppProto::Nbss && !crate::dissect::nbss::starts_message(payload) {
            // tshark checks a segment's first header before it reassembles: this one
            // continues a message it never saw begin.
            return Decision::Whole(proto);
        }
        match self.whole_then_pending(side, client, proto, frame, seq, payload, 0) {
            Some(0) => Decision::PartialStart(proto, 0),
            Some(tail) => {
                // Whole PDUs followed by the start of another: tshark shows the
                // whole ones; the rest waits for the next segments.
                self.note_tls(proto, payload.get(..tail as usize).unwrap_or(&[]));
                Decision::WholeThenStart(proto, tail)
            }
            None => {
                self.note_tls(proto, payload);
                Decision::Whole(proto)
            }
        }
    }

    /// An out-of-order segment (sent by `side`, `len` bytes from raw `seq`): the
    /// application never sees it, but when it lies inside an unfinished PDU of known
    /// length tshark counts it as one of that PDU's segments ("[TCP segment of a
    /// reassembled PDU]"), except the one that fills the PDU's last hole, after which
    /// the PDU is gone. Returns the protocol when the segment is marked.
    pub fn out_of_order(
        &mut self,
        side: usize,
        frame: u32,
        seq: u32,
        payload: &[u8],
        len: u32,
    ) -> Option<AppProto> {
        let proto = proto_of_pending(self.proto);
        let slot = self.pending.get_mut(side)?;
        // A body that runs to the FIN takes an out-of-order segment that fills its
        // gap (or lies past it) as one of its own, in sequence order.
        if let Some(p) = slot.as_mut()
            && (p.until_fin || !p.early.is_empty())
            && !p.holed
            && payload.len() == len as usize
        {
            let ahead = seq.wrapping_sub(p.next_seq);
            if ahead == 0 && p.buffer.len().saturating_add(payload.len()) <= MAX_PDU_BYTES {
                p.append(frame, seq, payload);
                if p.total.is_some_and(|t| p.buffer.len() >= t as usize) {
                    // Every byte is there once an out-of-order segment arrives: tshark
                    // shows no reassembly for that segment, and the PDU is done.
                    *slot = None;
                    return None;
                }
                return Some(self.proto.unwrap_or(AppProto::Http));
            }
            if ahead > 0 && ahead < 1 << 30 && p.until_fin {
                if !p.keep_early(seq, frame, payload) {
                    p.holed = true;
                }
                p.covered = p.covered.saturating_add(len);
                return Some(AppProto::Http);
            }
        }
        let inside = slot.as_ref().and_then(|p| {
            let total = p.total?;
            let offset = seq.wrapping_sub(p.start_seq);
            (offset < total && offset.checked_add(len)? <= total).then_some(())
        });
        if inside.is_none() {
            return self.inside_abandoned(side, seq, len).then_some(proto);
        }
        let p = slot.as_mut()?;
        let total = p.total?;
        p.covered = p.covered.saturating_add(len);
        if p.covered >= total {
            *slot = None;
            return None;
        }
        Some(self.proto.unwrap_or(AppProto::Http))
    }

    /// Drops `side`'s unfinished PDU, remembering it by its range when its length is
    /// known.
    fn abandon(&mut self, side: usize) {
        let Some(p) = self.pending.get_mut(side).and_then(Option::take) else {
            return;
        };
        if let (Some(total), Some(list)) = (p.total, self.abandoned.get_mut(side)) {
            if list.len() >= ABANDONED_KEPT {
                list.remove(0);
            }
            list.push(Abandoned {
                start_seq: p.start_seq,
                total,
                covered: p.covered,
            });
        }
    }

    /// Whether `len` bytes from raw `seq` lie inside a PDU of `side` a gap left
    /// unfinished, counting them; the segment that fills its last hole is not (the
    /// PDU is gone then), as with the stream's current PDU.
    fn inside_abandoned(&mut self, side: usize, seq: u32, len: u32) -> bool {
        let Some(list) = self.abandoned.get_mut(side) else {
            return false;
        };
        let Some(i) = list.iter().position(|a| {
            let offset = seq.wrapping_sub(a.start_seq);
            offset < a.total && offset.checked_add(len).is_some_and(|end| end <= a.total)
        }) else {
            return false;
        };
        let Some(a) = list.get_mut(i) else {
            return false;
        };
        a.covered = a.covered.saturating_add(len);
        if a.covered >= a.total {
            list.remove(i);
            return false;
        }
        true
    }

    /// Skips the whole PDUs of `payload` from `from` on; an unfinished one at the end is
    /// buffered for the next segments, and its offset returned. `client`: the
    /// segment goes to SSH's port (only SSH reads it).
    #[allow(clippy::too_many_arguments)]
    fn whole_then_pending(
        &mut self,
        side: usize,
        client: bool,
        proto: AppProto,
        frame: u32,
        seq: u32,
        payload: &[u8],
        from: usize,
    ) -> Option<u32> {
        let mut offset = from;
        for _ in 0..1024 {
            let rest = payload.get(offset..).unwrap_or(&[]);
            if rest.is_empty() {
                break;
            }
            let len = if proto == AppProto::Ssh {
                self.ssh.pdu_len(client, rest)
            } else {
                self.desegment.pdu_len(proto, rest, self.tls_version)
            };
            match len {
                PduLen::Complete(n) if n >= rest.len() && self.waits_for_fin(proto, rest) => {
                    self.pend(side, proto, frame, seq, payload, offset, None, true);
                    return Some(offset as u32);
                }
                PduLen::Complete(n) if n > 0 => {
                    if proto == AppProto::Ssh {
                        self.ssh.advance(client, rest.get(..n).unwrap_or(rest));
                    }
                    offset += n.min(rest.len());
                }
                PduLen::NeedMore(known) => {
                    self.pend(side, proto, frame, seq, payload, offset, known, false);
                    return Some(offset as u32);
                }
                _ => break,
            }
        }
        None
    }

    /// Whether the HTTP message filling `rest` waits for the sender's FIN: a response
    /// whose body runs to the end of the connection (RFC 7230 section 3.3.3, case 7),
    /// when bodies are reassembled, the segment is not the last (no FIN), and the
    /// response has a body at all (not one to HEAD, not a CONNECT's tunnel opening).
    fn waits_for_fin(&self, proto: AppProto, rest: &[u8]) -> bool {
        proto == AppProto::Http && self.may_wait_for_fin() && http::body_runs_to_close(rest)
    }

    /// What [`Self::waits_for_fin`] asks beyond the message itself.
    fn may_wait_for_fin(&self) -> bool {
        self.desegment.tcp
            && self.desegment.http_body
            && !self.fin
            && !self.head_asked
            && self.tunnel.is_none()
    }

    /// Buffers the unfinished PDU that starts at `offset` of `payload` for the next
    /// segments: `known` its length when the application said, `until_fin` an HTTP
    /// body that only the FIN ends.
    #[allow(clippy::too_many_arguments)]
    fn pend(
        &mut self,
        side: usize,
        proto: AppProto,
        frame: u32,
        seq: u32,
        payload: &[u8],
        offset: usize,
        known: Option<usize>,
        until_fin: bool,
    ) {
        let Some(slot) = self.pending.get_mut(side) else {
            return;
        };
        let rest = payload.get(offset..).unwrap_or(&[]);
        let total = known.and_then(|n| u32::try_from(n).ok());
        let mut buffer = Vec::new();
        reserve_rest(&mut buffer, total);
        buffer.extend_from_slice(rest);
        *slot = Some(Box::new(Pending {
            parts: vec![(frame, rest.len())],
            first_offset: offset as u32,
            buffer,
            next_seq: seq.wrapping_add(payload.len() as u32),
            hand_next: known.is_none() && !until_fin,
            start_seq: seq.wrapping_add(offset as u32),
            total,
            holed: false,
            covered: rest.len() as u32,
            settled: settles(proto, known, rest),
            until_fin,
            early: Early::default(),
        }));
    }

    /// A keep-alive from `side` whose byte (raw `seq`) lies inside the last PDU
    /// reassembled from several segments, with no PDU unfinished after it: tshark adds
    /// the byte to that finished reassembly, which refuses it ("New fragment overlaps
    /// old data (retransmission?)"). Returns the PDU's protocol.
    pub fn overlaps_reassembled(&self, side: usize, seq: u32) -> Option<AppProto> {
        if self.pending.get(side)?.is_some() {
            return None;
        }
        let (start, end) = (*self.reassembled.get(side)?)?;
        let offset = seq.wrapping_sub(start);
        (offset < end.wrapping_sub(start)).then_some(self.proto?)
    }

    /// A FIN without data from `side` at raw `seq`: completes the HTTP body waiting for
    /// it (tshark hands the reassembled message up in the FIN's frame, which adds no
    /// bytes of its own).
    pub fn fin_completes(&mut self, side: usize, seq: u32) -> Option<Completion> {
        let slot = self.pending.get_mut(side)?;
        let p = slot.as_ref()?;
        if !p.until_fin || p.holed || p.next_seq != seq || !p.early.is_empty() {
            return None;
        }
        let done = slot.take()?;
        let Pending {
            parts,
            buffer,
            first_offset,
            start_seq,
            ..
        } = *done;
        if let Some(d) = self.reassembled.get_mut(side) {
            *d = Some((start_seq, seq));
        }
        Some(Completion {
            proto: AppProto::Http,
            parts: PduParts {
                parts,
                bytes: buffer,
            },
            first_offset,
            end: 0,
            tail: None,
        })
    }

    /// Follows a text protocol's switch to TLS as tshark's SMTP, IMAP, POP and FTP do:
    /// the client's STARTTLS (IMAP's tagged, POP's STLS, FTP's AUTH TLS) and the
    /// server's positive answer hand the rest of the stream to TLS.
    fn note_starttls(&mut self, server_port: Option<u16>, sport: u16, dport: u16, payload: &[u8]) {
        let server = server_port.unwrap_or_else(|| sport.min(dport));
        if ![21, 25, 110, 143, 587].contains(&server) {
            return;
        }
        let line = crate::dissect::lines::trim_eol(
            crate::dissect::lines::split(payload)
                .next()
                .map_or(&[][..], |(_, l)| l),
        );
        let mut words = line.split(|b| *b == b' ').filter(|w| !w.is_empty());
        let first = words.next().unwrap_or(&[]);
        let second = words.next().unwrap_or(&[]);
        if dport == server {
            let asks = match server {
                143 => second.eq_ignore_ascii_case(b"STARTTLS"),
                110 => first.eq_ignore_ascii_case(b"STLS"),
                21 => {
                    first.eq_ignore_ascii_case(b"AUTH")
                        && (second.eq_ignore_ascii_case(b"TLS")
                            || second.eq_ignore_ascii_case(b"SSL"))
                }
                _ => first.eq_ignore_ascii_case(b"STARTTLS"),
            };
            self.starttls_asked = asks;
        } else if self.starttls_asked && sport == server {
            let agreed = match server {
                143 => second.eq_ignore_ascii_case(b"OK"),
                110 => first.eq_ignore_ascii_case(b"+OK"),
                21 => first == b"234",
                _ => first.starts_with(b"220"),
            };
            self.starttls_asked = false;
            if agreed {
                self.tunnel = Some(Some(AppProto::Tls));
            }
        }
    }

    /// Follows an HTTP CONNECT: the request's target port, then its answer.
    fn note_connect(&mut self, payload: &[u8]) {
        if let Some(rest) = payload.strip_prefix(b"CONNECT ") {
            let target = rest.split(|b| *b == b' ').next().unwrap_or(&[]);
            self.connect_port = target
                .rsplit(|b| *b == b':')
                .next()
                .and_then(|p| std::str::from_utf8(p).ok())
                .and_then(|p| p.parse::<u16>().ok());
        } else if let Some(port) = self.connect_port
            && payload.starts_with(b"HTTP/1.")
        {
            let code = payload.get(9..12).and_then(|c| std::str::from_utf8(c).ok());
            if code.is_some_and(|c| c.starts_with('2')) {
                self.tunnel = Some(apps::classify_by_port(Some(port), port, port));
            } else {
                self.connect_port = None;
            }
        }
    }

    fn note_tls(&mut self, proto: AppProto, bytes: &[u8]) {
        if proto == AppProto::Tls {
            self.tls_version = tls::negotiated_version(bytes, self.tls_version);
        }
    }
}

/// The protocol of a stream's unfinished PDU: the stream's, HTTP when none was named
/// (only HTTP buffers before its protocol is settled).
fn proto_of_pending(proto: Option<AppProto>) -> AppProto {
    proto.unwrap_or(AppProto::Http)
}

/// The Info text an application leaves when handed an unfinished PDU's bytes again:
/// HTTP its first line once the headers are complete, TLS nothing (it clears the
/// column); `None` keeps TCP's own Info.
/// Whether a PDU of `proto` whose length reads `known` from `bytes` keeps that length
/// whatever bytes follow ([`Pending::settled`]).
fn settles(proto: AppProto, known: Option<usize>, bytes: &[u8]) -> bool {
    proto == AppProto::Http && known.is_some() && http::length_settled(bytes)
}

fn shown_when_handed(proto: AppProto, bytes: &[u8]) -> Option<String> {
    match proto {
        AppProto::Http => http::partial_info(bytes),
        AppProto::Tls | AppProto::Ssh => Some(String::new()),
        AppProto::Dns | AppProto::Nbss | AppProto::Tpkt | AppProto::Kerberos => None,
    }
}

#[cfg(test)]
mod tests;
