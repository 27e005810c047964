//! Which application PDUs a TCP stream's payloads form, decided segment by segment in
//! capture order as tshark's single pass does: a PDU that needs more bytes makes its
//! segments "[TCP segment of a reassembled PDU]" until the segment that completes it.

use crate::dissect::apps::{self, PduLen};
use crate::dissect::context::AppProto;
use crate::dissect::tls;

/// Most bytes buffered for one unfinished PDU; past this the PDU is abandoned.
pub const MAX_PDU_BYTES: usize = 16 * 1024 * 1024;

#[derive(Debug, Default, Clone)]
struct Pending {
    /// Earlier frames and how many bytes each contributed, in order.
    parts: Vec<(u32, usize)>,
    /// Where the PDU starts in the first frame's payload.
    first_offset: u32,
    buffer: Vec<u8>,
    /// The sequence number the next in-order segment must have.
    next_seq: u32,
}

/// The decision for one segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// No application protocol.
    None,
    /// One or more whole PDUs.
    Whole(AppProto),
    /// A PDU starts here (at this payload offset) and continues later.
    PartialStart(AppProto, u32),
    /// A middle segment of a PDU.
    PartialMore(AppProto),
    /// The last segment of a PDU: the earlier parts (frame, bytes) in order.
    Completes(AppProto, Vec<(u32, Vec<u8>)>, u32),
}

/// Application state of one stream: its protocol and each direction's unfinished PDU.
#[derive(Debug, Default, Clone)]
pub struct StreamApp {
    proto: Option<AppProto>,
    /// What the ports alone say (decided once per stream).
    by_port: Option<Option<AppProto>>,
    /// Boxed: most streams never hold a partial PDU, and thousands of streams stay live.
    pending: [Option<Box<Pending>>; 2],
    /// TLS version negotiated so far.
    pub tls_version: Option<u16>,
}

impl StreamApp {
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
        let slot = &mut self.pending[side];
        if let Some(p) = slot.as_mut() {
            if p.next_seq == seq && complete {
                let proto = self.proto.unwrap_or(AppProto::Http);
                p.buffer.extend_from_slice(payload);
                p.next_seq = seq.wrapping_add(payload.len() as u32);
                match apps::pdu_len(proto, &p.buffer, false) {
                    PduLen::NeedMore(_) if p.buffer.len() <= MAX_PDU_BYTES => {
                        p.parts.push((frame, payload.len()));
                        return Decision::PartialMore(proto);
                    }
                    PduLen::NeedMore(_) | PduLen::NotMine | PduLen::Complete(_) => {
                        let Some(done) = slot.take() else {
                            return Decision::None;
                        };
                        let mut parts = Vec::with_capacity(done.parts.len());
                        let mut at = 0usize;
                        for (f, len) in &done.parts {
                            let bytes = done.buffer.get(at..at + len).unwrap_or(&[]).to_vec();
                            parts.push((*f, bytes));
                            at += len;
                        }
                        self.note_tls(proto, &done.buffer);
                        return Decision::Completes(proto, parts, done.first_offset);
                    }
                }
            }
            // A gap or truncated data: the unfinished PDU cannot be completed.
            *slot = None;
        }
        let by_port = *self
            .by_port
            .get_or_insert_with(|| apps::classify_by_port(server_port, sport, dport));
        let proto = match self.proto {
            Some(p) => p,
            None => match by_port
                .or_else(|| apps::classify_by_content_on(server_port, sport, dport, payload))
            {
                Some(p) => {
                    self.proto = Some(p);
                    p
                }
                None => return Decision::None,
            },
        };
        if !complete {
            return Decision::Whole(proto);
        }
        // Skip the whole PDUs at the start; an unfinished one at the end is buffered.
        let mut offset = 0usize;
        for _ in 0..1024 {
            let rest = payload.get(offset..).unwrap_or(&[]);
            if rest.is_empty() {
                break;
            }
            match apps::pdu_len(proto, rest, false) {
                PduLen::Complete(n) if n > 0 => offset += n.min(rest.len()),
                PduLen::NeedMore(_) => {
                    if let Some(slot) = self.pending.get_mut(side) {
                        *slot = Some(Box::new(Pending {
                            parts: vec![(frame, rest.len())],
                            first_offset: offset as u32,
                            buffer: rest.to_vec(),
                            next_seq: seq.wrapping_add(payload.len() as u32),
                        }));
                    }
                    if offset == 0 {
                        return Decision::PartialStart(proto, 0);
                    }
                    // Whole PDUs followed by the start of another: tshark shows the
                    // whole ones; the rest waits for the next segments.
                    self.note_tls(proto, payload.get(..offset).unwrap_or(&[]));
                    return Decision::Whole(proto);
                }
                _ => break,
            }
        }
        self.note_tls(proto, payload);
        Decision::Whole(proto)
    }

    fn note_tls(&mut self, proto: AppProto, bytes: &[u8]) {
        if proto == AppProto::Tls
            && let Some(v) = tls::negotiated_version(bytes)
        {
            self.tls_version = Some(v);
        }
    }
}
