//! tshark's `-2 -R FILTER`: the read filter runs in the first pass, and a packet it
//! rejects is never added to the capture. So every packet of the first pass is
//! numbered one more than the packets kept before it (a rejected run shares its number
//! with the packet kept after it), the second pass shows the kept packets numbered
//! 1, 2, 3…, and every frame number the first pass recorded (the frame an ACK acks,
//! a request's response) is such a shared number. TCP's per-segment analysis is
//! keyed by (frame number, raw sequence number, raw acknowledgment number) per
//! connection, so a kept segment shows what the rejected segments of its run with the
//! same numbers left there too (a GET shows the handshake's ACK's `acks_frame`).

use super::recorded::Recorded;
use crate::dissect::context::{
    Analysis, ArpDuplicate, FragmentIn, FtpControl, FtpDataLink, HttpLink, HttpMessage, Later,
    Linked, PduParts, QuicDatagram, Reassembly, RtpAnnounce, RtpLink, SmtpPdu, TcpFrameInfo,
    TcpSegment, Teaching, TransactionKey, UdpInfo, UdpKey, flag,
};
use crate::dissect::ipv4::Addr;
use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::sync::Arc;

/// The packets a read filter kept, and the numbers tshark's first pass gave all.
#[derive(Debug, Clone, Default)]
pub struct FirstPassNumbers {
    /// Kept packets, 0-based, in order.
    kept: Vec<u32>,
}

impl FirstPassNumbers {
    /// The numbering for these kept packets (0-based, in increasing order).
    pub fn new(kept: Vec<u32>) -> Self {
        FirstPassNumbers { kept }
    }

    /// The kept packets, 0-based.
    pub fn kept(&self) -> &[u32] {
        &self.kept
    }

    /// Keeps packet `i` (0-based), after those kept so far.
    pub fn keep(&mut self, i: u32) {
        self.kept.push(i);
    }

    /// The number tshark's first pass gave capture frame `frame` (1-based): one more
    /// than the kept packets before it (a kept packet's is its place among them).
    pub fn number_of(&self, frame: u32) -> u32 {
        let before = self.kept.partition_point(|k| k.saturating_add(1) < frame);
        u32::try_from(before).unwrap_or(u32::MAX).saturating_add(1)
    }

    /// The capture frames (1-based) sharing kept frame `frame`'s number, before it.
    fn run_before(&self, frame: u32) -> std::ops::Range<u32> {
        let at = self.kept.partition_point(|k| k.saturating_add(1) < frame);
        let start = match at.checked_sub(1).and_then(|p| self.kept.get(p)) {
            Some(prev) => prev.saturating_add(2),
            None => 1,
        };
        start..frame
    }
}

/// What tshark keeps per segment in its acknowledgment table (`tcp_acked`).
#[derive(Debug, Clone, Copy, Default)]
struct Acked {
    stream: u32,
    seq: u32,
    ack: u32,
    flags: u32,
    acks_frame: Option<u32>,
    ack_rtt_nanos: Option<i64>,
    bytes_in_flight: Option<u32>,
    push_bytes_sent: Option<u32>,
    dup_ack_num: Option<u32>,
    dup_ack_frame: Option<u32>,
    rto_nanos: Option<i64>,
    rto_frame: Option<u32>,
    /// The connection's iRTT, which tshark shows with any entry.
    initial_rtt_nanos: Option<i64>,
}

impl Acked {
    fn of(info: &TcpFrameInfo, segment: &TcpSegment<'_>) -> Self {
        Acked {
            stream: info.stream,
            seq: segment.seq,
            ack: segment.ack,
            flags: info.flags & flag::ANY_ANALYSIS,
            acks_frame: info.acks_frame,
            ack_rtt_nanos: info.ack_rtt_nanos,
            bytes_in_flight: info.bytes_in_flight,
            push_bytes_sent: info.push_bytes_sent,
            dup_ack_num: info.dup_ack_num,
            dup_ack_frame: info.dup_ack_frame,
            rto_nanos: info.rto_nanos,
            rto_frame: info.rto_frame,
            initial_rtt_nanos: info.initial_rtt_nanos,
        }
    }

    /// `later` written over `self`, as a later segment with the same key writes over
    /// the entry: its flags added, each value it sets replacing the earlier one.
    fn then(self, later: Acked) -> Acked {
        Acked {
            flags: self.flags | later.flags,
            acks_frame: later.acks_frame.or(self.acks_frame),
            ack_rtt_nanos: later.ack_rtt_nanos.or(self.ack_rtt_nanos),
            bytes_in_flight: later.bytes_in_flight.or(self.bytes_in_flight),
            push_bytes_sent: later.push_bytes_sent.or(self.push_bytes_sent),
            dup_ack_num: later.dup_ack_num.or(self.dup_ack_num),
            dup_ack_frame: later.dup_ack_frame.or(self.dup_ack_frame),
            rto_nanos: later.rto_nanos.or(self.rto_nanos),
            rto_frame: later.rto_frame.or(self.rto_frame),
            initial_rtt_nanos: later.initial_rtt_nanos.or(self.initial_rtt_nanos),
            ..later
        }
    }
}

/// The TCP table entries the read filter's pass noted, frame by frame.
#[derive(Debug, Default)]
pub struct Notes(FxHashMap<u32, Acked>);

/// The finished analysis as tshark's `-2 -R` second pass reads it. Reading the
/// capture with no numbering yet (the read filter's own pass), it notes each TCP
/// segment's table entry; with the numbering, a kept segment's TCP answer takes the
/// entries of the rejected segments that shared its key.
pub struct ReadFiltered<'a> {
    inner: &'a Recorded<'a>,
    numbers: Option<&'a FirstPassNumbers>,
    noted: RefCell<Notes>,
}

impl<'a> ReadFiltered<'a> {
    /// Over `inner`, noting TCP entries (the read filter's pass).
    pub fn noting(inner: &'a Recorded<'a>) -> Self {
        ReadFiltered {
            inner,
            numbers: None,
            noted: RefCell::new(Notes::default()),
        }
    }

    /// What the read filter's pass noted.
    pub fn into_notes(self) -> Notes {
        self.noted.into_inner()
    }

    /// Over `inner` (the second pass's analysis), answering with the kept packets'
    /// `numbers` and the entries `notes` holds.
    pub fn numbered(inner: &'a Recorded<'a>, numbers: &'a FirstPassNumbers, notes: Notes) -> Self {
        ReadFiltered {
            inner,
            numbers: Some(numbers),
            noted: RefCell::new(notes),
        }
    }
}

impl Analysis for ReadFiltered<'_> {
    fn tcp(&self, frame: u32, segment: &TcpSegment<'_>) -> Option<TcpFrameInfo> {
        let mut info = self.inner.tcp(frame, segment)?;
        let own = Acked::of(&info, segment);
        let Some(numbers) = self.numbers else {
            self.noted.borrow_mut().0.insert(frame, own);
            return Some(info);
        };
        let noted = self.noted.borrow();
        let mut shared: Option<Acked> = None;
        for earlier in numbers.run_before(frame) {
            if let Some(e) = noted.0.get(&earlier)
                && (e.stream, e.seq, e.ack) == (own.stream, own.seq, own.ack)
            {
                shared = Some(shared.map_or(*e, |s| s.then(*e)));
            }
        }
        if let Some(shared) = shared {
            let merged = shared.then(own);
            // The entry exists, so the segment shows its analysis tree.
            info.flags |= merged.flags | flag::HAS_RECORD;
            info.acks_frame = merged.acks_frame;
            info.ack_rtt_nanos = merged.ack_rtt_nanos;
            info.bytes_in_flight = merged.bytes_in_flight;
            info.push_bytes_sent = merged.push_bytes_sent;
            info.dup_ack_num = merged.dup_ack_num;
            info.dup_ack_frame = merged.dup_ack_frame;
            info.rto_nanos = merged.rto_nanos;
            info.rto_frame = merged.rto_frame;
            info.initial_rtt_nanos = merged.initial_rtt_nanos;
        }
        Some(info)
    }
    fn teaching(&self, frame: u32, segment: &TcpSegment<'_>) -> Option<Teaching> {
        self.inner.teaching(frame, segment)
    }
    fn transaction(&self, frame: u32, key: &TransactionKey, is_response: bool) -> Option<Linked> {
        self.inner.transaction(frame, key, is_response)
    }
    fn pdu_parts(&self, frame: u32) -> Option<PduParts> {
        self.inner.pdu_parts(frame)
    }
    fn fragment(&self, frame: u32, fragment: &FragmentIn<'_>) -> Option<Reassembly> {
        self.inner.fragment(frame, fragment)
    }
    fn frame_bytes(&self, frame: u32) -> Option<Vec<u8>> {
        self.inner.frame_bytes(frame)
    }
    fn tcp_payload(&self, frame: u32) -> Option<Vec<u8>> {
        self.inner.tcp_payload(frame)
    }
    fn quoted_tcp(&self, frame: u32, segment: &TcpSegment<'_>) -> Option<(u32, u8)> {
        self.inner.quoted_tcp(frame, segment)
    }
    fn dns_retransmit(&self, frame: u32) -> Option<u32> {
        self.inner.dns_retransmit(frame)
    }
    fn http_link(&self, frame: u32, message: &HttpMessage<'_>) -> Option<HttpLink> {
        self.inner.http_link(frame, message)
    }
    fn arp_binding(
        &self,
        frame: u32,
        mac: [u8; 6],
        ip: [u8; 4],
        target: bool,
    ) -> Option<ArpDuplicate> {
        self.inner.arp_binding(frame, mac, ip, target)
    }
    fn udp(&self, frame: u32, key: &UdpKey, quoted: bool) -> Option<UdpInfo> {
        self.inner.udp(frame, key, quoted)
    }
    fn quic(
        &self,
        frame: u32,
        src: (Addr, u16),
        dst: (Addr, u16),
        payload: &[u8],
        heuristic: bool,
    ) -> Option<QuicDatagram> {
        self.inner.quic(frame, src, dst, payload, heuristic)
    }
    fn later(&self, frame: u32, what: Later) -> Option<u32> {
        self.inner.later(frame, what)
    }
    fn quic_crypto_reused(
        &self,
        frame: u32,
        conn: u32,
        from_server: bool,
        offset: u64,
        len: u64,
    ) -> bool {
        self.inner
            .quic_crypto_reused(frame, conn, from_server, offset, len)
    }
    fn ftp_control(&self, frame: u32, message: &FtpControl<'_>) -> Option<Arc<str>> {
        self.inner.ftp_control(frame, message)
    }
    fn request_link(
        &self,
        frame: u32,
        key: &TransactionKey,
        ts_nanos: i64,
        is_response: bool,
    ) -> Option<(u32, i64)> {
        self.inner.request_link(frame, key, ts_nanos, is_response)
    }
    fn ftp_data(&self, frame: u32, src: (Addr, u16), dst: (Addr, u16)) -> Option<Arc<FtpDataLink>> {
        self.inner.ftp_data(frame, src, dst)
    }
    fn smtp(&self, frame: u32, stream: u32, payload: &[u8], request: bool) -> Option<SmtpPdu> {
        self.inner.smtp(frame, stream, payload, request)
    }
    fn pop(&self, frame: u32, stream: u32, payload: &[u8], request: bool) -> Option<SmtpPdu> {
        self.inner.pop(frame, stream, payload, request)
    }
    fn rtp_announce(&self, frame: u32, carrier: (Addr, Addr), media: &[RtpAnnounce]) {
        self.inner.rtp_announce(frame, carrier, media);
    }
    fn rtp(&self, frame: u32, src: (Addr, u16), dst: (Addr, u16)) -> Option<Arc<RtpLink>> {
        self.inner.rtp(frame, src, dst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejected_runs_share_the_next_kept_number() {
        // Kept: frames 9, 10, 16, 17 (1-based) of tcp_clean_close.pcap with
        // `-R "tcp.flags.syn==1 || tcp.flags.fin==1"`.
        let n = FirstPassNumbers::new(vec![8, 9, 15, 16]);
        assert_eq!(n.number_of(1), 1);
        assert_eq!(n.number_of(9), 1);
        assert_eq!(n.number_of(10), 2);
        assert_eq!(n.number_of(11), 3);
        assert_eq!(n.number_of(16), 3);
        assert_eq!(n.number_of(17), 4);
        assert_eq!(n.number_of(19), 5);
        assert_eq!(n.run_before(16), 11..16);
        assert_eq!(n.run_before(9), 1..9);
        assert_eq!(n.run_before(10), 10..10);
    }
}
