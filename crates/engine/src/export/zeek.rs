//! Zeek `conn.log`'s two summaries of a connection, from the rules its documentation
//! gives (`base/protocols/conn/main.zeek`, the `conn_state` and `history` fields):
//! `conn_state` (S0, SF, REJ, RSTO, ...) and `history` (one letter per kind of packet
//! seen, upper case from the originator, lower case from the responder).

use crate::tcp::connections::Connection;

/// Kinds of packet `history` records, with the letter Zeek's documentation gives each
/// (the originator's, in upper case).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Mark {
    /// A SYN without the ACK bit.
    Syn = b'S',
    /// A SYN+ACK ("handshake").
    SynAck = b'H',
    /// A pure ACK: no payload, no SYN, FIN or RST.
    Ack = b'A',
    /// A packet with payload ("data").
    Data = b'D',
    /// A packet with the FIN bit.
    Fin = b'F',
    /// A packet with the RST bit.
    Rst = b'R',
    /// A content gap (a segment before this one was not captured).
    Gap = b'G',
    /// A packet with retransmitted payload.
    Retransmission = b'T',
    /// A zero window advertisement.
    ZeroWindow = b'W',
    /// An inconsistent packet (FIN and RST together).
    Inconsistent = b'I',
    /// A multi-flag packet (SYN with FIN or RST).
    MultiFlag = b'Q',
}

impl Mark {
    /// Marks Zeek repeats on a logarithmic scale (its documentation: the 1st, 10th,
    /// 100th, ... occurrence is recorded); the others appear once per direction.
    fn repeats(self) -> bool {
        matches!(self, Mark::Gap | Mark::Retransmission | Mark::ZeroWindow)
    }

    fn index(self) -> usize {
        match self {
            Mark::Syn => 0,
            Mark::SynAck => 1,
            Mark::Ack => 2,
            Mark::Data => 3,
            Mark::Fin => 4,
            Mark::Rst => 5,
            Mark::Gap => 6,
            Mark::Retransmission => 7,
            Mark::ZeroWindow => 8,
            Mark::Inconsistent => 9,
            Mark::MultiFlag => 10,
        }
    }
}

const MARKS: usize = 11;

/// One connection's history as its packets arrive. Sides are 0 and 1 as the caller
/// numbers them (for TCP: the stream's first sender is 0); which one is the originator
/// is decided at the end ([`History::text`]).
#[derive(Debug, Clone, Default)]
pub struct History {
    /// The marks in order: (letter, side).
    events: Vec<(Mark, u8)>,
    /// Occurrences of each mark per side.
    counts: [[u32; MARKS]; 2],
}

impl History {
    /// Records a packet of kind `mark` from `side`.
    pub fn mark(&mut self, side: usize, mark: Mark) {
        let side = side.min(1);
        let Some(n) = self
            .counts
            .get_mut(side)
            .and_then(|c| c.get_mut(mark.index()))
        else {
            return;
        };
        *n = n.saturating_add(1);
        let record = if mark.repeats() {
            // 1, 10, 100, ...: a power of ten.
            let mut p = 1u32;
            while p < *n {
                p = p.saturating_mul(10);
            }
            p == *n
        } else {
            *n == 1
        };
        if record {
            self.events.push((mark, side as u8));
        }
    }

    /// Records the marks a TCP segment makes: `flags` are the header's flag bits,
    /// `payload` its length, `window` the raw window field, `analysis` the load's
    /// analysis flags.
    pub fn tcp_segment(
        &mut self,
        side: usize,
        flags: u16,
        payload: u32,
        window: u32,
        analysis: u32,
    ) {
        use crate::dissect::context::flag;
        use crate::dissect::tcp::bits::{ACK, FIN, RST, SYN};
        let (syn, ack, fin, rst) = (
            flags & SYN != 0,
            flags & ACK != 0,
            flags & FIN != 0,
            flags & RST != 0,
        );
        if syn && (fin || rst) {
            self.mark(side, Mark::MultiFlag);
        } else if fin && rst {
            self.mark(side, Mark::Inconsistent);
        }
        if syn {
            self.mark(side, if ack { Mark::SynAck } else { Mark::Syn });
        }
        if fin {
            self.mark(side, Mark::Fin);
        }
        if rst {
            self.mark(side, Mark::Rst);
        }
        if analysis & flag::LOST_SEGMENT != 0 {
            self.mark(side, Mark::Gap);
        }
        if payload > 0 {
            self.mark(side, Mark::Data);
            let resent =
                flag::RETRANSMISSION | flag::FAST_RETRANSMISSION | flag::SPURIOUS_RETRANSMISSION;
            if analysis & resent != 0 {
                self.mark(side, Mark::Retransmission);
            }
        } else if ack && !syn && !fin && !rst {
            self.mark(side, Mark::Ack);
        }
        // An RST's window means nothing (RFC 9293 3.10.7: its fields are not read).
        if window == 0 && !rst {
            self.mark(side, Mark::ZeroWindow);
        }
    }

    /// The history string with `orig` (0 or 1) as the originator; `flipped` prefixes
    /// Zeek's `^` (the originator is not the side that sent the first packet).
    pub fn text(&self, orig: usize, flipped: bool) -> String {
        let mut s = String::with_capacity(self.events.len() + 1);
        if flipped {
            s.push('^');
        }
        for (mark, side) in &self.events {
            let c = *mark as u8 as char;
            s.push(if usize::from(*side) == orig {
                c
            } else {
                c.to_ascii_lowercase()
            });
        }
        s
    }
}

/// `conn_state` of a TCP connection, from what each side sent (Zeek's definitions):
///
/// - REJ: the originator's SYN was answered by an RST, never by a SYN+ACK;
/// - RSTOS0: the originator sent a SYN then an RST, and the responder nothing;
/// - RSTRH: the responder sent a SYN+ACK then an RST, and no SYN from the originator
///   was seen;
/// - RSTO / RSTR: the originator / the responder aborted (sent an RST; the first RST
///   decides when both did);
/// - SF: both sides closed (a FIN each way);
/// - SH: the originator sent a SYN then a FIN, and the responder nothing;
/// - SHR: the responder sent a SYN+ACK then a FIN, and no SYN from the originator;
/// - S2 / S3: established, and only the originator / the responder sent a FIN;
/// - S0: a SYN and no reply; S1: established, not closed;
/// - OTH: none of these (mid-stream traffic that was not closed).
pub fn tcp_conn_state(c: &Connection) -> &'static str {
    let s = &c.seen;
    let syn_o = s.syns[0] > 0;
    let synack_r = s.syn_ack[1];
    let fin = [s.fin[0].is_some(), s.fin[1].is_some()];
    // A side is active when it sent something other than RSTs.
    let active = [c.packets[0] > s.rsts[0], c.packets[1] > s.rsts[1]];
    let first_rst = match s.rst {
        [Some(o), Some(r)] => Some(if o <= r { 0 } else { 1 }),
        [Some(_), None] => Some(0),
        [None, Some(_)] => Some(1),
        [None, None] => None,
    };
    // The handshake was seen (or its SYN and an answer): mid-stream traffic is not.
    let established = synack_r || (syn_o && active[1]);
    match first_rst {
        Some(1) => {
            if syn_o && !synack_r && !active[1] {
                "REJ"
            } else if synack_r && !syn_o && !active[0] {
                "RSTRH"
            } else {
                "RSTR"
            }
        }
        Some(_) => {
            if syn_o && !synack_r && !active[1] {
                "RSTOS0"
            } else {
                "RSTO"
            }
        }
        None => match fin {
            [true, true] => "SF",
            [true, false] if !active[1] => "SH",
            [true, false] => "S2",
            [false, true] if !active[0] => "SHR",
            [false, true] => "S3",
            [false, false] if syn_o && !active[1] => "S0",
            [false, false] if established => "S1",
            [false, false] => "OTH",
        },
    }
}

/// `conn_state` of a UDP or ICMP flow: Zeek calls a flow with traffic both ways SF,
/// one from the originator only S0, one from the responder only SHR.
pub fn datagram_conn_state(packets: [u32; 2]) -> &'static str {
    match (packets[0] > 0, packets[1] > 0) {
        (true, true) => "SF",
        (true, false) => "S0",
        (false, true) => "SHR",
        (false, false) => "OTH",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dissect::tcp::bits::{ACK, FIN, PSH, RST, SYN};

    #[test]
    fn a_clean_exchange_reads_sh_a_da_ff() {
        let mut h = History::default();
        h.tcp_segment(0, SYN, 0, 64240, 0);
        h.tcp_segment(1, SYN | ACK, 0, 65160, 0);
        h.tcp_segment(0, ACK, 0, 502, 0);
        h.tcp_segment(0, PSH | ACK, 100, 502, 0);
        h.tcp_segment(1, ACK, 0, 509, 0);
        h.tcp_segment(1, PSH | ACK, 300, 509, 0);
        h.tcp_segment(0, FIN | ACK, 0, 502, 0);
        h.tcp_segment(1, FIN | ACK, 0, 509, 0);
        h.tcp_segment(0, ACK, 0, 502, 0);
        assert_eq!(h.text(0, false), "ShADadFf");
        assert_eq!(h.text(1, true), "^sHadADfF");
    }

    #[test]
    fn refused_reads_sr() {
        let mut h = History::default();
        h.tcp_segment(0, SYN, 0, 64240, 0);
        h.tcp_segment(1, RST | ACK, 0, 0, 0);
        assert_eq!(h.text(0, false), "Sr");
    }

    #[test]
    fn retransmissions_repeat_by_powers_of_ten() {
        let mut h = History::default();
        for _ in 0..12 {
            h.mark(0, Mark::Retransmission);
        }
        assert_eq!(h.text(0, false), "TT");
    }
}
