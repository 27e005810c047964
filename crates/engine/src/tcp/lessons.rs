//! The teaching sentences about a connection's events: what an analysis mark
//! (retransmission, duplicate ACK, zero window, ...) means, said in one plain sentence
//! that names the frames that justify it, and what each endpoint waits for in its
//! state. Every sentence is a message of `assets/i18n/*.ftl` (`lesson-*`, `waits-*`);
//! frame, sequence and window numbers are passed as text, so they read as the packet
//! shows them in every language.

use crate::tr;

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

    fn role_or_host(&self, i: usize) -> String {
        self.roles
            .get(i)
            .cloned()
            .unwrap_or_else(|| tr!("role-host"))
    }

    /// The sentences about `s`'s events (none for an ordinary packet); then remembers it.
    pub fn explain(&mut self, s: &Segment) -> Vec<String> {
        use crate::dissect::context::flag;
        use crate::dissect::tcp::bits;
        let me = s.from.min(1);
        let peer = 1 - me;
        let (sender, receiver) = (self.role_or_host(me), self.role_or_host(peer));
        let mine = side(&self.sides, me);
        let theirs = side(&self.sides, peer);
        let f = s.frame.to_string();
        let f = f.as_str();
        let seq = s.seq.to_string();
        let mut out = Vec::new();
        let last_byte = s.seq.wrapping_add(s.len.saturating_sub(1));
        let range = if s.len > 1 {
            tr!(
                "lesson-range-bytes",
                first = seq.as_str(),
                last = last_byte.to_string()
            )
        } else {
            tr!("lesson-range-byte", first = seq.as_str())
        };
        let range = range.as_str();
        let (sender, receiver) = (sender.as_str(), receiver.as_str());
        let syn_only = s.flags & (bits::SYN | bits::ACK) == bits::SYN;
        let first_sent = mine
            .sent
            .iter()
            .find(|(a, e, _)| s.seq.wrapping_sub(*a) < e.wrapping_sub(*a))
            .map(|(_, _, fr)| *fr);
        if s.analysis & flag::RETRANSMISSION != 0 && syn_only {
            out.push(match mine.syn {
                Some(o) => tr!(
                    "lesson-syn-again",
                    frame = f,
                    original = o.to_string(),
                    sender = sender
                ),
                None => tr!("lesson-syn-again-alone", frame = f),
            });
        } else if s.analysis & flag::SPURIOUS_RETRANSMISSION != 0 {
            let acked = theirs.last_ack.map(|(_, _, fr)| fr);
            out.push(match acked {
                Some(k) => tr!(
                    "lesson-spurious",
                    frame = f,
                    range = range,
                    receiver = receiver,
                    acked = k.to_string()
                ),
                None => tr!("lesson-spurious-alone", frame = f, range = range),
            });
        } else if s.analysis & flag::FAST_RETRANSMISSION != 0 {
            let dups = match theirs.dups.as_slice() {
                [] => String::new(),
                [one] => tr!("lesson-dups-one", frame = one.to_string()),
                [a, .., b] => tr!(
                    "lesson-dups-many",
                    first = a.to_string(),
                    last = b.to_string()
                ),
            };
            let first = first_sent.map_or(String::new(), |o| {
                tr!("lesson-first-sent", frame = o.to_string())
            });
            out.push(tr!(
                "lesson-fast-retransmission",
                frame = f,
                range = range,
                first_sent = first,
                receiver = receiver,
                dups = dups,
                seq = seq.as_str()
            ));
        } else if s.analysis & flag::RETRANSMISSION != 0 {
            out.push(match first_sent {
                Some(o) => tr!(
                    "lesson-retransmission",
                    frame = f,
                    range = range,
                    original = o.to_string(),
                    sender = sender
                ),
                None => tr!(
                    "lesson-retransmission-alone",
                    frame = f,
                    range = range,
                    sender = sender
                ),
            });
        }
        if s.analysis & flag::OUT_OF_ORDER != 0 {
            out.push(match mine.highest {
                Some((_, h)) => tr!(
                    "lesson-out-of-order",
                    frame = f,
                    range = range,
                    highest = h.to_string()
                ),
                None => tr!("lesson-out-of-order-alone", frame = f, range = range),
            });
        }
        if s.analysis & flag::DUPLICATE_ACK != 0 {
            let ack = s.ack.unwrap_or(0).to_string();
            let ack = ack.as_str();
            out.push(match s.dup_ack_frame {
                Some(k) => tr!(
                    "lesson-dup-ack",
                    frame = f,
                    original = k.to_string(),
                    ack = ack,
                    sender = sender
                ),
                None => tr!(
                    "lesson-dup-ack-alone",
                    frame = f,
                    ack = ack,
                    sender = sender
                ),
            });
        }
        if s.analysis & flag::ZERO_WINDOW != 0 {
            out.push(tr!(
                "lesson-zero-window",
                frame = f,
                sender = sender,
                receiver = receiver
            ));
        }
        if s.analysis & flag::WINDOW_FULL != 0 {
            out.push(match theirs.last_ack {
                Some((_, w, k)) => tr!(
                    "lesson-window-full",
                    frame = f,
                    window = w.to_string(),
                    receiver = receiver,
                    advertised = k.to_string(),
                    sender = sender
                ),
                None => tr!(
                    "lesson-window-full-alone",
                    frame = f,
                    receiver = receiver,
                    sender = sender
                ),
            });
        }
        if s.analysis & flag::KEEP_ALIVE != 0 {
            out.push(tr!(
                "lesson-keep-alive",
                frame = f,
                seq = seq.as_str(),
                receiver = receiver
            ));
        }
        if s.analysis & flag::ZERO_WINDOW_PROBE != 0 {
            out.push(tr!(
                "lesson-zero-window-probe",
                frame = f,
                receiver = receiver
            ));
        }
        if s.analysis & flag::WINDOW_UPDATE != 0 {
            out.push(match mine.last_ack {
                Some((_, old, k)) => tr!(
                    "lesson-window-update",
                    frame = f,
                    old = old.to_string(),
                    previous = k.to_string(),
                    window = s.window.to_string(),
                    receiver = receiver
                ),
                None => tr!(
                    "lesson-window-update-alone",
                    frame = f,
                    window = s.window.to_string(),
                    receiver = receiver
                ),
            });
        }
        if s.flags & bits::RST != 0 {
            out.push(match theirs.syn {
                Some(k) => tr!(
                    "lesson-refused",
                    frame = f,
                    syn = k.to_string(),
                    port = s.dst_port.to_string()
                ),
                None => tr!("lesson-reset", frame = f, sender = sender),
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
        let receiver = self.role_or_host(1 - who);
        Some((
            frame,
            tr!(
                "lesson-unanswered-syn",
                frame = frame.to_string(),
                receiver = receiver
            ),
        ))
    }
}

/// What an endpoint in `state` (RFC 9293's name) waits for.
pub fn waits_for(state: &str) -> String {
    tr!(match state {
        "CLOSED" => "waits-closed",
        "LISTEN" => "waits-listen",
        "SYN-SENT" => "waits-syn-sent",
        "SYN-RECEIVED" => "waits-syn-received",
        "ESTABLISHED" => "waits-established",
        "FIN-WAIT-1" => "waits-fin-wait-1",
        "FIN-WAIT-2" => "waits-fin-wait-2",
        "CLOSE-WAIT" => "waits-close-wait",
        "CLOSING" => "waits-closing",
        "LAST-ACK" => "waits-last-ack",
        "TIME-WAIT" => "waits-time-wait",
        _ => "waits-other",
    })
}

/// One sentence: what each endpoint now waits for.
pub fn waiting(roles: &[String; 2], states: [&str; 2]) -> String {
    tr!(
        "lesson-waiting",
        left = roles[0].as_str(),
        left_state = states[0],
        left_waits = waits_for(states[0]),
        right = roles[1].as_str(),
        right_state = states[1],
        right_waits = waits_for(states[1])
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
