//! tshark 4.0's sequence-number analysis of one segment, with the same conditions in
//! the same order (see shared/docs/tshark-semantics.md section 3): zero window probes,
//! zero windows, lost segments, keep-alives, window updates and full windows, duplicate
//! ACKs, ACKs of unseen segments, the retransmission family, then the bookkeeping,
//! the ACK matching (RTT) and the bytes in flight.

use super::stream::{Flow, MAX_UNACKED, Unacked};
use crate::dissect::context::flag;
use crate::dissect::tcp::bits::{ACK, FIN, PSH, RST, SYN};
use crate::wire::SeqNumber as Seq;

/// The segment as the analysis sees it (raw numbers).
#[derive(Debug, Clone, Copy)]
pub struct Seg {
    /// Frame number.
    pub frame: u32,
    /// Capture time.
    pub now: i64,
    /// Raw seq.
    pub seq: u32,
    /// Raw ack.
    pub ack: u32,
    /// Payload length (`tcp.len`).
    pub seglen: u32,
    /// Flag bits.
    pub flags: u16,
    /// Raw window value.
    pub window: u32,
}

/// What the analysis concluded about one segment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Findings {
    /// `dissect::context::flag` bits (plus [`flag::HAS_RECORD`]).
    pub flags: u32,
    /// Frame acknowledged (0: none).
    pub acks_frame: u32,
    /// Bytes in flight (0: none).
    pub bytes_in_flight: u32,
    /// Bytes since the last PSH.
    pub push_bytes_sent: u32,
    /// Duplicate-ACK number and frame.
    pub dup_ack: Option<(u32, u32)>,
    /// Frame the retransmission timeout is measured from.
    pub rto_frame: Option<u32>,
}

/// Analyses `s`, sent by `fwd` to `rev`. `irtt_nanos` is the connection's initial RTT,
/// if known (it sets the out-of-order threshold).
pub fn analyze(fwd: &mut Flow, rev: &mut Flow, s: &Seg, irtt_nanos: Option<i64>) -> Findings {
    let mut f = Findings::default();
    let none_of_sfr = s.flags & (SYN | FIN | RST) == 0;
    let has_ack = s.flags & ACK != 0;
    if has_ack {
        rev.valid_bif = true;
    }

    'checks: {
        // 1. Zero window probe: one byte at the next expected seq into a zero window.
        if s.seglen == 1 && s.seq == fwd.nextseq && rev.window == 0 {
            f.flags |= flag::ZERO_WINDOW_PROBE;
            break 'checks;
        }
        // 2. Zero window.
        if s.window == 0 && none_of_sfr {
            f.flags |= flag::ZERO_WINDOW;
        }
        // 3. A segment beyond the next expected seq: one before it was not captured.
        if fwd.nextseq != 0 && Seq(s.seq) > Seq(fwd.nextseq) && s.flags & RST == 0 {
            f.flags |= flag::LOST_SEGMENT;
            fwd.valid_bif = false;
        }
        // 4. Keep-alive: 0 or 1 byte one below the next expected seq.
        if (s.seglen == 0 || s.seglen == 1) && s.seq == fwd.nextseq.wrapping_sub(1) && none_of_sfr {
            f.flags |= flag::KEEP_ALIVE;
        }
        let same_point = s.seq == fwd.nextseq && s.ack == fwd.lastack && none_of_sfr;
        // 5. Window update: only the window changed.
        if s.seglen == 0 && s.window != 0 && s.window != fwd.window && same_point {
            f.flags |= flag::WINDOW_UPDATE;
        }
        // 6. Window full: the data reaches the edge of the peer's advertised window.
        if s.seglen > 0 && rev.win_scale != -1 && none_of_sfr {
            let shift = if rev.acks_sent == 1 || rev.win_scale == -2 {
                0
            } else {
                u32::try_from(rev.win_scale).unwrap_or(0)
            };
            let edge = rev.lastack.wrapping_add(rev.window.wrapping_shl(shift));
            if s.seq.wrapping_add(s.seglen) == edge {
                f.flags |= flag::WINDOW_FULL;
            }
        }
        // 7. Keep-alive ACK.
        if s.seglen == 0
            && s.window != 0
            && s.window == fwd.window
            && same_point
            && rev.lastsegmentflags & flag::KEEP_ALIVE != 0
        {
            f.flags |= flag::KEEP_ALIVE_ACK;
            break 'checks;
        }
        // 8. Zero window probe ACK.
        if s.seglen == 0
            && s.window == 0
            && s.window == fwd.window
            && same_point
            && rev.lastsegmentflags & flag::ZERO_WINDOW_PROBE != 0
        {
            f.flags |= flag::ZERO_WINDOW_PROBE_ACK;
            break 'checks;
        }
        // 9. Duplicate ACK.
        if s.seglen == 0 && s.window != 0 && s.window == fwd.window && same_point {
            fwd.dupacknum = if fwd.dupacknum == -1 {
                1
            } else {
                fwd.dupacknum.saturating_add(1)
            };
            f.flags |= flag::DUPLICATE_ACK;
            f.dup_ack = Some((u32::try_from(fwd.dupacknum).unwrap_or(0), fwd.lastnondupack));
        }
    }

    // 10. A new ack value resets the duplicate counting.
    if s.ack != fwd.lastack {
        fwd.lastnondupack = s.frame;
        fwd.dupacknum = 0;
    }

    // 11. An ACK beyond what the other side sent: we missed some of its segments.
    if rev.maxseqtobeacked != 0 && Seq(s.ack) > Seq(rev.maxseqtobeacked) && has_ack {
        // tshark compares these two as plain unsigned numbers.
        if rev.maxseqtobeacked < rev.nextseq {
            rev.maxseqtobeacked = rev.nextseq;
            f.flags |= flag::ACK_LOST_SEGMENT;
        } else {
            if rev.dupacknum == 0 {
                f.flags |= flag::ACK_LOST_SEGMENT;
            }
            rev.dupacknum = -1;
        }
    }

    // 12. Retransmissions, fast retransmissions, spurious ones and out-of-order data.
    if (s.seglen > 0 || s.flags & (SYN | FIN) != 0) && f.flags & flag::KEEP_ALIVE == 0 {
        let mut not_advanced = fwd.nextseq != 0 && Seq(s.seq) < Seq(fwd.nextseq);
        if s.seglen > 1 && fwd.nextseq.wrapping_sub(1) == s.seq {
            not_advanced = false;
        }
        'retrans: {
            if s.seglen > 0
                && rev.lastack != 0
                && Seq(s.seq.wrapping_add(s.seglen)) <= Seq(rev.lastack)
            {
                f.flags |= flag::SPURIOUS_RETRANSMISSION;
                break 'retrans;
            }
            if not_advanced
                && rev.dupacknum >= 2
                && rev.lastack == s.seq
                && s.now.saturating_sub(rev.lastack_time) < 20_000_000
            {
                f.flags |= flag::FAST_RETRANSMISSION;
                break 'retrans;
            }
            let threshold = irtt_nanos.filter(|t| *t != 0).unwrap_or(3_000_000);
            let syn_fin = u32::from(s.flags & (SYN | FIN) != 0);
            // tshark compares the signed delay with an unsigned threshold: a segment
            // stamped before the one that advanced the sequence (a capture whose clock
            // went back) is never out of order.
            let since = s.now.saturating_sub(fwd.nextseq_time);
            if not_advanced
                && since >= 0
                && since < threshold
                && fwd.nextseq != s.seq.wrapping_add(s.seglen).wrapping_add(syn_fin)
            {
                f.flags |= flag::OUT_OF_ORDER;
                break 'retrans;
            }
            if not_advanced {
                f.flags |= flag::RETRANSMISSION;
                // The timeout is measured from the oldest segment still unacknowledged,
                // or from the last advance when none is.
                f.rto_frame = Some(fwd.unacked.front().map_or(fwd.nextseq_frame, |u| u.frame));
            }
        }
    }

    // 13. Bookkeeping.
    let mut nextseq = s.seq.wrapping_add(s.seglen);
    if (s.seglen > 0 || s.flags & (SYN | FIN) != 0) && fwd.unacked.len() < MAX_UNACKED {
        if s.flags & (SYN | FIN) != 0 {
            nextseq = nextseq.wrapping_add(1);
        }
        fwd.unacked.push(Unacked {
            frame: s.frame,
            seq: s.seq,
            nextseq,
        });
    }
    let zwp = f.flags & flag::ZERO_WINDOW_PROBE != 0;
    if (Seq(nextseq) > Seq(fwd.nextseq) || fwd.nextseq == 0) && !zwp {
        fwd.nextseq = nextseq;
        fwd.nextseq_frame = s.frame;
        fwd.nextseq_time = s.now;
    }
    if (s.seq == fwd.maxseqtobeacked || fwd.maxseqtobeacked == 0) && !zwp {
        fwd.maxseqtobeacked = fwd.nextseq;
    }
    fwd.window = s.window;
    fwd.lastack = s.ack;
    fwd.lastack_time = s.now;
    fwd.lastsegmentflags = f.flags;

    // 14. Match the ACK against the other side's unacknowledged segments. tshark walks
    // them newest first and the last exact match wins, i.e. the oldest one: walking
    // oldest first, that is the first exact match.
    let matched = rev.unacked.acknowledge(s.ack);
    if let Some(frame) = matched {
        f.acks_frame = frame;
    }

    // 15. Bytes in flight and bytes since the last PSH.
    if s.seglen != 0 && fwd.valid_bif && !fwd.unacked.is_empty() {
        let base = fwd.base_seq.unwrap_or(0);
        let (first, last) = fwd.unacked.span(base).unwrap_or((0, 0));
        let in_flight = last.wrapping_sub(first).wrapping_sub(rev.sack_bytes);
        if in_flight > 0 && in_flight < 2_000_000_000 {
            f.bytes_in_flight = if s.flags & (SYN | FIN) != 0 {
                in_flight - 1
            } else {
                in_flight
            };
            f.flags |= flag::HAS_RECORD;
        }
        let psh = s.flags & PSH != 0;
        if fwd.push_set_last {
            fwd.push_bytes_sent = s.seglen;
        } else {
            fwd.push_bytes_sent = fwd.push_bytes_sent.wrapping_add(s.seglen);
        }
        fwd.push_set_last = psh;
        f.push_bytes_sent = fwd.push_bytes_sent;
        f.flags |= flag::HAS_RECORD;
    }
    if f.flags & flag::ANY_ANALYSIS != 0 || f.acks_frame != 0 {
        f.flags |= flag::HAS_RECORD;
    }
    f
}
