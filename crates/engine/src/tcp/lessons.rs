//! The teaching sentences about a connection's events: what an analysis mark
//! (retransmission, duplicate ACK, zero window, ...) means, said in one plain sentence
//! that names the frames that justify it, and what each endpoint waits for in its
//! state. Every sentence the ladder's lessons say is written here, so that they can be
//! moved to translation files in one place.

use std::collections::VecDeque;

/// How many sent ranges a direction remembers to find a retransmission's first
/// sending (a long transfer only needs the recent ones: a resend goes back at most a
/// window).
const RANGES_KEPT: usize = 4096;

/// One packet of a connection as the lessons need it (numbers as the ladder shows
/// them, relative or absolute).
#[derive(Debug, Clone, Copy)]
pub struct Segment {
    /// Frame number.
    pub frame: u32,
    /// The sender: 0 the left endpoint, 1 the right.
    pub from: usize,
    /// Sequence number.
    pub seq: u32,
    /// Payload length.
    pub len: u32,
    /// Acknowledgment number, when the ACK flag is set.
    pub ack: Option<u32>,
    /// The TCP flag bits.
    pub flags: u16,
    /// The window the sender advertises, scaled (`tcp.window_size`).
    pub window: u32,
    /// The load's analysis flags (`crate::dissect::context::flag`).
    pub analysis: u32,
    /// `tcp.analysis.duplicate_ack_frame`.
    pub dup_ack_frame: Option<u32>,
    /// The receiver's port (a refused SYN names it).
    pub dst_port: u16,
}

/// What one direction sent and advertised so far.
#[derive(Debug, Default)]
struct Direction {
    /// (first byte, end, frame) of each payload sent, oldest first.
    sent: VecDeque<(u32, u32, u32)>,
    /// The highest end sent so far and its frame.
    highest: Option<(u32, u32)>,
    /// The last ACK number, window and frame this side sent.
    last_ack: Option<(Option<u32>, u32, u32)>,
    /// Duplicate ACK frames of the current ACK number.
    dups: Vec<u32>,
    /// The frame of a SYN without ACK, while it has no answer.
    syn: Option<u32>,
}

/// Follows a connection packet by packet and says what its events mean.
#[derive(Debug)]
pub struct Lessons {
    roles: [String; 2],
    sides: [Direction; 2],
}

fn side(sides: &[Direction; 2], i: usize) -> &Direction {
    if i == 0 { &sides[0] } else { &sides[1] }
}

impl Lessons {
    /// A connection whose left and right endpoints have these roles (`client`, ...).
    pub fn new(roles: [String; 2]) -> Lessons {
        Lessons {
            roles,
            sides: Default::default(),
        }
    }

    fn role(&self, i: usize) -> &str {
        self.roles.get(i).map_or("host", String::as_str)
    }

    /// The sentences about `s`'s events (none for an ordinary packet); then remembers it.
    pub fn explain(&mut self, s: &Segment) -> Vec<String> {
        use crate::dissect::context::flag;
        use crate::dissect::tcp::bits;
        let me = s.from.min(1);
        let peer = 1 - me;
        let (sender, receiver) = (self.role(me).to_string(), self.role(peer).to_string());
        let mine = side(&self.sides, me);
        let theirs = side(&self.sides, peer);
        let f = s.frame;
        let mut out = Vec::new();
        let last_byte = s.seq.wrapping_add(s.len.saturating_sub(1));
        let range = if s.len > 1 {
            format!("bytes {}–{last_byte}", s.seq)
        } else {
            format!("byte {}", s.seq)
        };
        let syn_only = s.flags & (bits::SYN | bits::ACK) == bits::SYN;
        let first_sent = mine
            .sent
            .iter()
            .find(|(a, e, _)| s.seq.wrapping_sub(*a) < e.wrapping_sub(*a))
            .map(|(_, _, fr)| *fr);
        if s.analysis & flag::RETRANSMISSION != 0 && syn_only {
            out.push(match mine.syn {
                Some(o) => format!(
                    "Frame {f} sends the SYN of frame {o} again: no SYN+ACK came back, so the {sender} tries once more."
                ),
                None => format!("Frame {f} sends its SYN again: no SYN+ACK came back."),
            });
        } else if s.analysis & flag::SPURIOUS_RETRANSMISSION != 0 {
            let acked = theirs.last_ack.map(|(_, _, fr)| fr);
            out.push(match acked {
                Some(k) => format!(
                    "Frame {f} resends {range} although the {receiver} had already acknowledged them in frame {k}: a needless (spurious) retransmission."
                ),
                None => format!(
                    "Frame {f} resends {range} that were already acknowledged: a needless (spurious) retransmission."
                ),
            });
        } else if s.analysis & flag::FAST_RETRANSMISSION != 0 {
            let dups = match theirs.dups.as_slice() {
                [] => String::new(),
                [one] => format!(" (frame {one})"),
                [a, .., b] => format!(" (frames {a} to {b})"),
            };
            let first = first_sent.map_or(String::new(), |o| format!(" first sent in frame {o}"));
            out.push(format!(
                "Frame {f} resends {range}{first} at once, without waiting for a timeout: the {receiver}'s duplicate ACKs{dups} said it still misses byte {}.",
                s.seq
            ));
        } else if s.analysis & flag::RETRANSMISSION != 0 {
            out.push(match first_sent {
                Some(o) => format!(
                    "Frame {f} resends {range} first sent in frame {o}: no ACK for them came back in time, so the {sender} sent them again."
                ),
                None => format!(
                    "Frame {f} resends {range}: the {sender} got no ACK for them in time."
                ),
            });
        }
        if s.analysis & flag::OUT_OF_ORDER != 0 {
            out.push(match mine.highest {
                Some((_, h)) => format!(
                    "Frame {f} carries {range}, which come before bytes already sent in frame {h}: it arrived out of order."
                ),
                None => format!("Frame {f} carries {range} out of order."),
            });
        }
        if s.analysis & flag::DUPLICATE_ACK != 0 {
            let ack = s.ack.unwrap_or(0);
            out.push(match s.dup_ack_frame {
                Some(k) => format!(
                    "Frame {f} repeats the ACK of frame {k} (ack {ack}): the {sender} still waits for byte {ack}, so later bytes arrived but one segment before them is missing."
                ),
                None => format!(
                    "Frame {f} repeats an earlier ACK (ack {ack}): the {sender} still waits for byte {ack}."
                ),
            });
        }
        if s.analysis & flag::ZERO_WINDOW != 0 {
            out.push(format!(
                "Frame {f} advertises a window of 0: the {sender}'s receive buffer is full, so the {receiver} must stop sending until the window opens again."
            ));
        }
        if s.analysis & flag::WINDOW_FULL != 0 {
            out.push(match theirs.last_ack {
                Some((_, w, k)) => format!(
                    "Frame {f} fills the {w}-byte window the {receiver} advertised in frame {k}: the {sender} must now wait for an ACK before sending more."
                ),
                None => format!(
                    "Frame {f} fills the {receiver}'s window: the {sender} must wait for an ACK before sending more."
                ),
            });
        }
        if s.analysis & flag::KEEP_ALIVE != 0 {
            out.push(format!(
                "Frame {f} is a keep-alive: it repeats the byte before the next one (seq {}) only to ask whether the {receiver} is still there.",
                s.seq
            ));
        }
        if s.analysis & flag::ZERO_WINDOW_PROBE != 0 {
            out.push(format!(
                "Frame {f} probes the {receiver}'s zero window with one byte, to learn when it opens."
            ));
        }
        if s.analysis & flag::WINDOW_UPDATE != 0 {
            out.push(match mine.last_ack {
                Some((_, old, k)) => format!(
                    "Frame {f} only changes the window, from {old} bytes (frame {k}) to {}: no data and no new ACK, it tells the {receiver} it may send more.",
                    s.window
                ),
                None => format!(
                    "Frame {f} only changes the window (to {} bytes): it tells the {receiver} it may send more.",
                    s.window
                ),
            });
        }
        if s.flags & bits::RST != 0 {
            out.push(match theirs.syn {
                Some(k) => format!(
                    "Frame {f} answers the SYN of frame {k} with RST: nothing listens on port {}, so the connection is refused.",
                    s.dst_port
                ),
                None => format!(
                    "Frame {f} resets the connection: the {sender} aborts it at once, neither side sends more, and data not yet delivered is lost."
                ),
            });
        }
        self.remember(s);
        out
    }

    fn remember(&mut self, s: &Segment) {
        use crate::dissect::context::flag;
        use crate::dissect::tcp::bits;
        let me = s.from.min(1);
        let [left, right] = &mut self.sides;
        let (mine, theirs) = if me == 0 {
            (left, right)
        } else {
            (right, left)
        };
        if s.flags & (bits::SYN | bits::ACK) == bits::SYN {
            if mine.syn.is_none() {
                mine.syn = Some(s.frame);
            }
        } else if s.flags & bits::SYN != 0 {
            // SYN+ACK: the peer's SYN has its answer.
            theirs.syn = None;
        }
        if s.flags & bits::RST != 0 {
            theirs.syn = None;
        }
        if s.len > 0 {
            let end = s.seq.wrapping_add(s.len);
            if s.analysis & (flag::RETRANSMISSION | flag::FAST_RETRANSMISSION) == 0 {
                if mine.sent.len() >= RANGES_KEPT {
                    mine.sent.pop_front();
                }
                mine.sent.push_back((s.seq, end, s.frame));
            }
            let higher = mine
                .highest
                .is_none_or(|(h, _)| crate::wire::SeqNumber(end) > crate::wire::SeqNumber(h));
            if higher {
                mine.highest = Some((end, s.frame));
            }
        }
        if s.analysis & flag::DUPLICATE_ACK != 0 {
            mine.dups.push(s.frame);
        } else if mine.last_ack.is_none_or(|(a, _, _)| a != s.ack) {
            mine.dups.clear();
        }
        if s.flags & bits::ACK != 0 || s.flags & bits::SYN != 0 {
            mine.last_ack = Some((s.ack, s.window, s.frame));
        }
    }

    /// The sentence for a SYN nothing answered, for the stream's last SYN.
    pub fn unanswered_syn(&self) -> Option<(u32, String)> {
        let [left, right] = &self.sides;
        let (who, frame) = match (left.syn, right.syn) {
            (Some(f), _) => (0, f),
            (None, Some(f)) => (1, f),
            _ => return None,
        };
        let receiver = self.role(1 - who);
        Some((
            frame,
            format!(
                "Nothing answered the SYN of frame {frame}: no SYN+ACK and no RST came back, so the {receiver} is down, unreachable, or a firewall dropped it."
            ),
        ))
    }
}

/// What an endpoint in `state` (RFC 9293's name) waits for.
pub fn waits_for(state: &str) -> &'static str {
    match state {
        "CLOSED" => "nothing: it has no connection",
        "LISTEN" => "a SYN",
        "SYN-SENT" => "the SYN+ACK answering its SYN",
        "SYN-RECEIVED" => "the ACK of its SYN",
        "ESTABLISHED" => "data, or a FIN to start the close",
        "FIN-WAIT-1" => "the ACK of its FIN",
        "FIN-WAIT-2" => "the peer's FIN",
        "CLOSE-WAIT" => "its application to close, then it sends its own FIN",
        "CLOSING" => "the ACK of its FIN (the two FINs crossed)",
        "LAST-ACK" => "the ACK of its FIN, then it is closed",
        "TIME-WAIT" => "twice the maximum segment lifetime, in case its last ACK was lost",
        _ => "the next packet",
    }
}

/// One sentence: what each endpoint now waits for.
pub fn waiting(roles: &[String; 2], states: [&str; 2]) -> String {
    format!(
        "Now the {} ({}) waits for {}; the {} ({}) waits for {}.",
        roles[0],
        states[0],
        waits_for(states[0]),
        roles[1],
        states[1],
        waits_for(states[1])
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tcp::{Loaded, ladder};

    /// Every lesson of stream `stream` of a test capture, by frame.
    fn lessons_of(name: &str, stream: u32) -> Vec<(u32, String)> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/captures")
            .join(name);
        let loaded = Loaded::open(&path).unwrap();
        let l = ladder::build(&loaded, stream, false, |_| true).unwrap();
        l.arrows
            .iter()
            .flat_map(|a| a.lessons.iter().map(|s| (a.frame, s.clone())))
            .collect()
    }

    fn said(lessons: &[(u32, String)], frame: u32) -> Vec<&str> {
        lessons
            .iter()
            .filter(|(f, _)| *f == frame)
            .map(|(_, s)| s.as_str())
            .collect()
    }

    #[test]
    fn losses_name_the_first_sending_and_the_duplicate_acks() {
        // tshark: 46..49 are "Dup ACK 45#1..4" (ack 21721), 79 the fast
        // retransmission of seq 21721 (len 1448), first sent in frame 36.
        let l = lessons_of("tcp_lossy_bulk_head.pcap", 0);
        assert_eq!(
            said(&l, 46),
            [
                "Frame 46 repeats the ACK of frame 45 (ack 21721): the server still waits for byte 21721, so later bytes arrived but one segment before them is missing."
            ]
        );
        assert_eq!(
            said(&l, 79),
            [
                "Frame 79 resends bytes 21721–23168 first sent in frame 36 at once, without waiting for a timeout: the server's duplicate ACKs (frames 46 to 78) said it still misses byte 21721."
            ]
        );
        assert!(
            said(&l, 107)[0]
                .contains("before bytes already sent in frame 103: it arrived out of order")
        );
        assert!(
            said(&l, 98)[0]
                .starts_with("Frame 98 only changes the window, from 84992 bytes (frame 97)")
        );
    }

    #[test]
    fn a_full_window_then_a_zero_window_and_keep_alives() {
        // tshark: 14 [TCP Window Full], 15 [TCP Window Full] [TCP Retransmission] of
        // seq 2897, 16 [TCP ZeroWindow], 17 [TCP Keep-Alive], 23 [TCP Window Update].
        let l = lessons_of("tcp_zero_window_head.pcap", 0);
        assert!(
            said(&l, 14)[0].starts_with(
                "Frame 14 fills the 2896-byte window the server advertised in frame 12"
            )
        );
        assert_eq!(
            said(&l, 15)[0],
            "Frame 15 resends bytes 2897–4344 first sent in frame 14: no ACK for them came back in time, so the client sent them again."
        );
        assert!(said(&l, 16)[0].starts_with("Frame 16 advertises a window of 0"));
        assert!(said(&l, 17)[0].starts_with("Frame 17 is a keep-alive"));
        assert!(
            said(&l, 23)[0]
                .starts_with("Frame 23 only changes the window, from 0 bytes (frame 22) to 2896")
        );
    }

    /// `synack.offload` of each frame of a test capture (empty where there is none).
    fn offload_of(name: &str) -> Vec<String> {
        use crate::dissect::{Dissection, FieldSet, Value, Want, teach};
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/captures")
            .join(name);
        let loaded = Loaded::open(&path).unwrap();
        let analysis = loaded.analysis();
        (0..loaded.len())
            .map(|i| {
                let mut set = FieldSet::new();
                set.insert(teach::OFFLOAD);
                let mut d = Dissection::new(Want::Fields(set), false, true);
                loaded.dissect_into(i, None, &analysis, &mut d);
                match d.first(teach::OFFLOAD) {
                    Some(Value::Str(s)) => String::from_utf8_lossy(s).into_owned(),
                    _ => String::new(),
                }
            })
            .collect()
    }

    #[test]
    fn partial_checksums_are_offload_not_corruption() {
        // Captured on a veth pair: tshark -o tcp.check_checksum:TRUE calls frames 8
        // to 18 bad (0x1445 should be 0x9f39 on the SYN); the field holds the
        // pseudo-header sum alone, which the NIC would complete.
        let o = offload_of("tcp_simultaneous_close.pcap");
        assert!(o[..7].iter().all(String::is_empty));
        assert!(
            o[7..18].iter().all(|s| s.contains("(checksum offload)")),
            "{o:?}"
        );
        assert!(o[7].starts_with("Checksum 0x1445 is not wrong by accident"));
        assert!(o[7].contains("fills in 0x9f39"));
        // Good checksums teach nothing.
        assert!(
            offload_of("tcp_clean_close.pcap")
                .iter()
                .all(String::is_empty)
        );
    }

    #[test]
    fn a_refused_syn_and_an_abort() {
        let l = lessons_of("tcp_refused.pcap", 0);
        assert!(
            l.iter()
                .any(|(_, s)| s.contains("with RST: nothing listens on port"))
        );
        let l = lessons_of("tcp_abort_rst.pcap", 0);
        assert_eq!(said(&l, 15).len(), 1);
        assert!(
            said(&l, 15)[0].starts_with("Frame 15 resets the connection: the client aborts it")
        );
        // An ordinary connection has nothing to explain.
        assert!(lessons_of("tcp_clean_close.pcap", 0).is_empty());
    }

    #[test]
    fn every_state_has_something_to_wait_for() {
        for s in [
            "CLOSED",
            "LISTEN",
            "SYN-SENT",
            "SYN-RECEIVED",
            "ESTABLISHED",
            "FIN-WAIT-1",
            "FIN-WAIT-2",
            "CLOSE-WAIT",
            "CLOSING",
            "LAST-ACK",
            "TIME-WAIT",
        ] {
            assert_ne!(waits_for(s), "the next packet", "{s}");
        }
        let roles = ["client".to_string(), "server".to_string()];
        assert_eq!(
            waiting(&roles, ["SYN-SENT", "LISTEN"]),
            "Now the client (SYN-SENT) waits for the SYN+ACK answering its SYN; the server (LISTEN) waits for a SYN."
        );
    }
}
