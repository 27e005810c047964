//! Each TCP packet's place in its connection for students: the step of the three-way
//! handshake or the close it is, and both endpoints' RFC 9293 states just after it.
//!
//! A packet counts as sent and received at the instant it was captured; each endpoint
//! follows the state diagram of RFC 9293 section 3.3.2 for that send and that receipt.
//! Two decisions need the packet that comes after: a SYN answered by RST went to a port
//! nobody listens on (its receiver is CLOSED, not SYN-RECEIVED), and a second FIN that
//! does not acknowledge the first means the FINs crossed (the first FIN's receiver had
//! not taken it in yet). Those earlier packets are patched when the later one arrives.

use crate::dissect::context::TcpState;
use crate::dissect::tcp::bits;
use crate::wire::SeqNumber as Seq;

/// The step a packet is in its connection (`synack.step`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Step {
    /// Not a TCP packet.
    None = 0,
    /// SYN.
    Handshake1 = 1,
    /// SYN+ACK.
    Handshake2 = 2,
    /// The ACK that completes the handshake.
    Handshake3 = 3,
    /// The first FIN.
    Close1 = 4,
    /// The peer's ACK of the first FIN, without a FIN of its own.
    Close2 = 5,
    /// The second FIN.
    Close3 = 6,
    /// A second FIN that also acknowledges the first.
    Close23 = 7,
    /// The ACK of the second FIN.
    Close4 = 8,
    /// RST.
    Reset = 9,
    /// A segment with payload.
    Data = 10,
    /// Anything else.
    Ack = 11,
}

impl Step {
    /// The `synack.step` text.
    pub fn name(self) -> &'static str {
        match self {
            Step::None => "",
            Step::Handshake1 => "handshake-1",
            Step::Handshake2 => "handshake-2",
            Step::Handshake3 => "handshake-3",
            Step::Close1 => "close-1",
            Step::Close2 => "close-2",
            Step::Close3 => "close-3",
            Step::Close23 => "close-2+3",
            Step::Close4 => "close-4",
            Step::Reset => "reset",
            Step::Data => "data",
            Step::Ack => "ack",
        }
    }

    /// Decodes a stored code.
    pub fn from_code(code: u8) -> Step {
        match code {
            1 => Step::Handshake1,
            2 => Step::Handshake2,
            3 => Step::Handshake3,
            4 => Step::Close1,
            5 => Step::Close2,
            6 => Step::Close3,
            7 => Step::Close23,
            8 => Step::Close4,
            9 => Step::Reset,
            10 => Step::Data,
            11 => Step::Ack,
            _ => Step::None,
        }
    }

    /// The phase it belongs to, for the flow graph's brackets.
    pub fn phase(self) -> Phase {
        match self {
            Step::Handshake1 | Step::Handshake2 | Step::Handshake3 => Phase::Handshake,
            Step::Close1
            | Step::Close2
            | Step::Close3
            | Step::Close23
            | Step::Close4
            | Step::Reset => Phase::Close,
            _ => Phase::Data,
        }
    }
}

/// The three phases of a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Opening.
    Handshake,
    /// Data transfer.
    Data,
    /// Closing (FIN or RST).
    Close,
}

const STATES: [TcpState; 11] = [
    TcpState::Closed,
    TcpState::Listen,
    TcpState::SynSent,
    TcpState::SynReceived,
    TcpState::Established,
    TcpState::FinWait1,
    TcpState::FinWait2,
    TcpState::CloseWait,
    TcpState::Closing,
    TcpState::LastAck,
    TcpState::TimeWait,
];

/// Encodes a state in 4 bits.
pub fn state_code(state: TcpState) -> u8 {
    STATES.iter().position(|s| *s == state).unwrap_or(0) as u8
}

/// Decodes a 4-bit state.
pub fn state_from_code(code: u8) -> TcpState {
    STATES
        .get(usize::from(code))
        .copied()
        .unwrap_or(TcpState::Closed)
}

/// A change to an earlier packet's recorded states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Patch {
    /// Set the receiver state of `frame`.
    Receiver(u32, TcpState),
}

/// What one packet did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// Its step.
    pub step: Step,
    /// Sender's state after it.
    pub sender: TcpState,
    /// Receiver's state after it.
    pub receiver: TcpState,
}

/// Both endpoints of one stream, followed packet by packet.
#[derive(Debug, Clone, Default)]
pub struct Teacher {
    started: bool,
    state: [Option<TcpState>; 2],
    isn: [Option<u32>; 2],
    /// Raw seq of each endpoint's FIN segment (u or w) and the seq the FIN occupies.
    fin: [Option<(u32, u32)>; 2],
    fin_step: [Option<Step>; 2],
    fin_acked: [bool; 2],
    first_fin: Option<usize>,
    close1_frame: Option<u32>,
    pending_syns: Vec<u32>,
    synack_seen: bool,
    /// The FINs crossed on the wire.
    pub crossed: bool,
    /// Which endpoint sent the first SYN.
    pub client: Option<usize>,
    /// A SYN was answered by RST.
    pub refused: bool,
}

impl Teacher {
    /// Initial sequence number of endpoint `side`, if its SYN was seen.
    pub fn isn(&self, side: usize) -> Option<u32> {
        self.isn.get(side).copied().flatten()
    }

    /// The seq of endpoint `side`'s FIN segment.
    pub fn fin_seq(&self, side: usize) -> Option<u32> {
        self.fin.get(side).copied().flatten().map(|(seq, _)| seq)
    }

    /// Which endpoint sent the first FIN.
    pub fn first_fin(&self) -> Option<usize> {
        self.first_fin
    }

    fn get(&self, side: usize) -> TcpState {
        self.state
            .get(side)
            .copied()
            .flatten()
            .unwrap_or(TcpState::Established)
    }

    fn set(&mut self, side: usize, state: TcpState) {
        if let Some(slot) = self.state.get_mut(side) {
            *slot = Some(state);
        }
    }

    /// Follows one packet sent by endpoint `side` (0 or 1). `patch` receives changes
    /// to earlier packets.
    #[allow(clippy::too_many_arguments)]
    pub fn packet(
        &mut self,
        side: usize,
        frame: u32,
        flags: u16,
        seq_raw: u32,
        ack_raw: u32,
        seglen: u32,
        mut patch: impl FnMut(Patch),
    ) -> Outcome {
        let s = side.min(1);
        let r = 1 - s;
        let syn = flags & bits::SYN != 0;
        let ack = flags & bits::ACK != 0;
        if !self.started {
            self.started = true;
            let (sender, receiver) = if syn && !ack {
                (TcpState::Closed, TcpState::Listen)
            } else if syn {
                (TcpState::Listen, TcpState::SynSent)
            } else {
                (TcpState::Established, TcpState::Established)
            };
            self.set(s, sender);
            self.set(r, receiver);
        }
        let out = |t: &Teacher, step| Outcome {
            step,
            sender: t.get(s),
            receiver: t.get(r),
        };
        if flags & bits::RST != 0 {
            if !self.synack_seen && self.get(s) == TcpState::SynReceived {
                // The SYN's receiver answers with RST: nobody listened there.
                for f in self.pending_syns.drain(..) {
                    patch(Patch::Receiver(f, TcpState::Closed));
                }
                self.refused = true;
            }
            self.set(s, TcpState::Closed);
            self.set(r, TcpState::Closed);
            return out(self, Step::Reset);
        }
        if syn && !ack {
            if self.isn[s].is_none() {
                self.isn[s] = Some(seq_raw);
            }
            self.client.get_or_insert(s);
            self.set(s, TcpState::SynSent);
            if matches!(
                self.get(r),
                TcpState::Listen | TcpState::Closed | TcpState::SynReceived
            ) {
                self.set(r, TcpState::SynReceived);
            }
            self.pending_syns.push(frame);
            return out(self, Step::Handshake1);
        }
        if syn {
            if self.isn[s].is_none() {
                self.isn[s] = Some(seq_raw);
            }
            self.synack_seen = true;
            self.pending_syns.clear();
            self.set(s, TcpState::SynReceived);
            if self.get(r) == TcpState::SynSent {
                self.set(r, TcpState::Established);
            }
            return out(self, Step::Handshake2);
        }
        let covers =
            |fin: Option<(u32, u32)>| fin.is_some_and(|(_, end)| ack && Seq(ack_raw) > Seq(end));
        let peer_fin_newly_acked = covers(self.fin[r]) && !self.fin_acked[r];
        if flags & bits::FIN != 0 {
            if self.fin[s].is_some() {
                // A retransmitted FIN is the same step again.
                let step = self.fin_step[s].unwrap_or(Step::Close1);
                return out(self, step);
            }
            self.fin[s] = Some((seq_raw, seq_raw.wrapping_add(seglen)));
            match self.first_fin {
                None => {
                    self.first_fin = Some(s);
                    self.close1_frame = Some(frame);
                    let next = if self.get(s) == TcpState::CloseWait {
                        TcpState::LastAck
                    } else {
                        TcpState::FinWait1
                    };
                    self.set(s, next);
                    self.set(r, TcpState::CloseWait);
                    self.fin_step[s] = Some(Step::Close1);
                    out(self, Step::Close1)
                }
                Some(_) => {
                    let step = if covers(self.fin[r]) {
                        let step = if self.fin_acked[r] {
                            Step::Close3
                        } else {
                            Step::Close23
                        };
                        self.fin_acked[r] = true;
                        self.set(s, TcpState::LastAck);
                        self.set(r, TcpState::TimeWait);
                        step
                    } else {
                        // The FINs crossed: the first FIN's receiver had not taken it in.
                        self.crossed = true;
                        if let Some(f) = self.close1_frame {
                            patch(Patch::Receiver(f, TcpState::Established));
                        }
                        self.set(s, TcpState::Closing);
                        self.set(r, TcpState::Closing);
                        Step::Close3
                    };
                    self.fin_step[s] = Some(step);
                    out(self, step)
                }
            }
        } else if ack
            && self.get(r) == TcpState::SynReceived
            && self.get(s) == TcpState::Established
        {
            self.set(r, TcpState::Established);
            out(self, Step::Handshake3)
        } else if peer_fin_newly_acked {
            self.fin_acked[r] = true;
            let next = match self.get(r) {
                TcpState::FinWait1 => TcpState::FinWait2,
                TcpState::Closing => TcpState::TimeWait,
                TcpState::LastAck => TcpState::Closed,
                other => other,
            };
            self.set(r, next);
            let step = if seglen > 0 {
                Step::Data
            } else if self.first_fin == Some(r) {
                Step::Close2
            } else {
                Step::Close4
            };
            out(self, step)
        } else if seglen > 0 {
            out(self, Step::Data)
        } else {
            out(self, Step::Ack)
        }
    }
}

/// The seed's relation for a step (`synack.relation`): x and y are the initial
/// sequence numbers, u and w those of the two FINs.
pub fn relation(step: Step, crossed: bool) -> &'static str {
    match step {
        Step::Handshake1 => "seq=x",
        Step::Handshake2 => "seq=y ack=x+1",
        Step::Handshake3 => "seq=x+1 ack=y+1",
        Step::Close1 => "seq=u",
        Step::Close2 => "ack=u+1",
        Step::Close23 => "seq=w ack=u+1",
        Step::Close3 if crossed => "seq=w",
        Step::Close3 => "seq=w ack=u+1",
        Step::Close4 => "ack=w+1",
        _ => "",
    }
}

/// Numbers and roles the explanation sentence uses.
#[derive(Debug, Clone, Default)]
pub struct ExplainInput {
    /// The sender's role in the current language (`role-client`, `role-server`), or
    /// "host ADDR:PORT" when roles are unknown.
    pub sender: String,
    /// The other endpoint.
    pub receiver: String,
    /// x, y, u, w when known.
    pub x: Option<u32>,
    /// Server ISN.
    pub y: Option<u32>,
    /// First FIN seq.
    pub u: Option<u32>,
    /// Second FIN seq.
    pub w: Option<u32>,
    /// Relative seq and ack of the packet, and its payload length.
    pub rel_seq: u32,
    /// Relative ack.
    pub rel_ack: u32,
    /// Payload length.
    pub len: u32,
    /// The SYN was refused with RST.
    pub refused: bool,
    /// The FINs crossed.
    pub crossed: bool,
    /// Destination port (for a refused SYN).
    pub port: u16,
}

fn num(v: Option<u32>) -> String {
    v.map_or_else(|| "?".to_string(), |v| v.to_string())
}

fn plus_one(v: Option<u32>) -> String {
    v.map_or_else(|| "?".to_string(), |v| v.wrapping_add(1).to_string())
}

/// `synack.explain`: one plain sentence with the real numbers.
pub fn explain(
    step: Step,
    sender_state: TcpState,
    receiver_state: TcpState,
    e: &ExplainInput,
) -> String {
    let (s, r) = (e.sender.as_str(), e.receiver.as_str());
    let (rs, ss) = (receiver_state.name(), sender_state.name());
    match step {
        Step::Handshake1 if e.refused => crate::tr!(
            "explain-syn-refused",
            sender = s,
            receiver = r,
            port = e.port.to_string(),
            x = num(e.x)
        ),
        Step::Handshake1 => crate::tr!(
            "explain-syn",
            sender = s,
            receiver = r,
            x = num(e.x),
            state = rs
        ),
        Step::Handshake2 => crate::tr!(
            "explain-syn-ack",
            sender = s,
            y = num(e.y),
            ack = plus_one(e.x)
        ),
        Step::Handshake3 => crate::tr!(
            "explain-handshake-ack",
            sender = s,
            receiver = r,
            ack = plus_one(e.y)
        ),
        Step::Data => crate::tr!(
            "explain-data",
            sender = s,
            receiver = r,
            len = e.len,
            first = e.rel_seq.to_string(),
            next = e.rel_seq.wrapping_add(e.len).to_string()
        ),
        Step::Ack => crate::tr!(
            "explain-ack",
            sender = s,
            receiver = r,
            ack = e.rel_ack.to_string()
        ),
        Step::Close1 if e.crossed => crate::tr!(
            "explain-fin-crossing",
            sender = s,
            receiver = r,
            u = num(e.u)
        ),
        Step::Close1 => crate::tr!("explain-fin", sender = s, receiver = r, u = num(e.u)),
        Step::Close2 => crate::tr!(
            "explain-fin-ack",
            sender = s,
            receiver = r,
            ack = plus_one(e.u),
            state = rs
        ),
        Step::Close23 => crate::tr!(
            "explain-fin-ack-fin",
            sender = s,
            ack = plus_one(e.u),
            w = num(e.w)
        ),
        Step::Close3 if e.crossed => crate::tr!(
            "explain-second-fin-crossed",
            sender = s,
            receiver = r,
            w = num(e.w)
        ),
        Step::Close3 => crate::tr!("explain-second-fin", sender = s, w = num(e.w), state = ss),
        Step::Close4 => crate::tr!(
            "explain-last-ack",
            sender = s,
            receiver = r,
            ack = plus_one(e.w),
            receiver_state = rs,
            sender_state = ss
        ),
        Step::Reset if e.refused => {
            crate::tr!("explain-rst-refused", sender = s, port = e.port.to_string())
        }
        Step::Reset => crate::tr!("explain-rst", sender = s),
        Step::None => String::new(),
    }
}

/// The bits a segment adds to its conversation's completeness (tshark's
/// `tcp.completeness`: 1 SYN, 2 SYN-ACK, 4 ACK, 8 data, 16 FIN+ACK, 32 RST); the
/// segment that opens the stream counts only as a SYN (with data, 8).
pub(crate) fn completeness_bits(opens_stream: bool, tcp_flags: u16, seglen: u32) -> u8 {
    use crate::dissect::tcp::bits::{ACK, FIN, RST, SYN};
    let (syn, ack) = (tcp_flags & SYN != 0, tcp_flags & ACK != 0);
    let data = if seglen > 0 { 8 } else { 0 };
    if opens_stream {
        return if syn && !ack { 1 | data } else { 0 };
    }
    let mut bits = 0;
    if syn && ack {
        bits |= 2;
    }
    if ack && !syn {
        bits |= if seglen > 0 { 8 } else { 4 };
    }
    // A FIN counts only with an ACK (an nmap FIN or Xmas probe adds nothing).
    if tcp_flags & FIN != 0 && ack {
        bits |= 16;
    }
    if tcp_flags & RST != 0 {
        bits |= 32;
    }
    bits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dissect::tcp::bits::{ACK, FIN, RST, SYN};

    /// tcp_clean_close.pcap frames 9-18, from tshark's seq/ack numbers.
    #[test]
    fn clean_close_walks_the_seed() {
        let mut t = Teacher::default();
        let mut patches = Vec::new();
        let mut step = |t: &mut Teacher, side, frame, flags, seq, ack, len| {
            t.packet(side, frame, flags, seq, ack, len, |p| patches.push(p))
        };
        let o = step(&mut t, 0, 9, SYN, 100, 0, 0);
        assert_eq!(
            (o.step, o.sender, o.receiver),
            (Step::Handshake1, TcpState::SynSent, TcpState::SynReceived)
        );
        let o = step(&mut t, 1, 10, SYN | ACK, 500, 101, 0);
        assert_eq!(
            (o.step, o.sender, o.receiver),
            (
                Step::Handshake2,
                TcpState::SynReceived,
                TcpState::Established
            )
        );
        let o = step(&mut t, 0, 11, ACK, 101, 501, 0);
        assert_eq!(o.step, Step::Handshake3);
        assert_eq!(o.receiver, TcpState::Established);
        assert_eq!(step(&mut t, 0, 12, ACK, 101, 501, 18).step, Step::Data);
        assert_eq!(step(&mut t, 1, 13, ACK, 501, 119, 0).step, Step::Ack);
        let o = step(&mut t, 0, 16, FIN | ACK, 119, 544, 0);
        assert_eq!(
            (o.step, o.sender, o.receiver),
            (Step::Close1, TcpState::FinWait1, TcpState::CloseWait)
        );
        let o = step(&mut t, 1, 17, FIN | ACK, 544, 120, 0);
        assert_eq!(
            (o.step, o.sender, o.receiver),
            (Step::Close23, TcpState::LastAck, TcpState::TimeWait)
        );
        let o = step(&mut t, 0, 18, ACK, 120, 545, 0);
        assert_eq!(
            (o.step, o.sender, o.receiver),
            (Step::Close4, TcpState::TimeWait, TcpState::Closed)
        );
        assert!(patches.is_empty());
    }

    /// tcp_refused.pcap: a SYN answered by RST went to a closed port.
    #[test]
    fn refused_syn_patches_receiver_to_closed() {
        let mut t = Teacher::default();
        let mut patches = Vec::new();
        t.packet(0, 6, SYN, 7, 0, 0, |p| patches.push(p));
        let o = t.packet(1, 7, RST | ACK, 0, 8, 0, |p| patches.push(p));
        assert_eq!(
            (o.step, o.sender, o.receiver),
            (Step::Reset, TcpState::Closed, TcpState::Closed)
        );
        assert_eq!(patches, vec![Patch::Receiver(6, TcpState::Closed)]);
    }

    /// tcp_simultaneous_close.pcap: the FINs cross, both ends pass through CLOSING.
    #[test]
    fn crossed_fins_go_through_closing() {
        let mut t = Teacher::default();
        let mut patches = Vec::new();
        t.packet(1, 1, ACK, 1000, 2000, 0, |p| patches.push(p));
        let o = t.packet(1, 15, FIN | ACK, 1017, 2018, 0, |p| patches.push(p));
        assert_eq!(o.step, Step::Close1);
        let o = t.packet(0, 16, FIN | ACK, 2018, 1017, 0, |p| patches.push(p));
        assert_eq!(
            (o.step, o.sender, o.receiver),
            (Step::Close3, TcpState::Closing, TcpState::Closing)
        );
        assert_eq!(patches, vec![Patch::Receiver(15, TcpState::Established)]);
        let o = t.packet(1, 17, ACK, 1018, 2019, 0, |_| {});
        assert_eq!(
            (o.step, o.sender, o.receiver),
            (Step::Close4, TcpState::Closing, TcpState::TimeWait)
        );
        let o = t.packet(0, 18, ACK, 2019, 1018, 0, |_| {});
        assert_eq!(
            (o.step, o.sender, o.receiver),
            (Step::Close2, TcpState::TimeWait, TcpState::TimeWait)
        );
        assert!(t.crossed);
    }
}
