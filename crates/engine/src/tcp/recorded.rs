//! The finished analysis, answering the dissectors' questions from what the load pass
//! recorded (used when one packet is dissected on demand).

use super::handshake::{self, ExplainInput, Step};
use super::results::{StreamInfo, TcpResults};
use super::second_pass::SecondPass;
use super::smtp_link::SmtpRecord;
use crate::capture::Capture;
use crate::dissect::context::{
    Analysis, ArpDuplicate, FragmentIn, FtpControl, FtpDataLink, HttpLink, HttpMessage, Later,
    Linked, PduParts, QuicDatagram, Reassembly, RtpLink, SmtpPdu, TcpFrameInfo, TcpSegment,
    Teaching, TransactionKey, UdpInfo, UdpKey, flag,
};
use crate::dissect::ipv4::Addr;
use crate::dissect::{
    Dissection, FieldSet, PacketContext, Value, Want, dissect_packet, tcp as tcp_fields,
};
use std::sync::Arc;

/// The recorded analysis of a capture.
#[derive(Clone, Copy)]
pub struct Recorded<'c> {
    /// The capture (for timestamps and earlier payloads).
    pub capture: &'c Capture,
    /// The results.
    pub results: &'c TcpResults,
    /// For a second pass (`dump -2`), the links to later frames.
    pub second: Option<&'c SecondPass>,
}

impl std::fmt::Debug for Recorded<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorded").finish_non_exhaustive()
    }
}

impl Recorded<'_> {
    fn ts(&self, frame: u32) -> Option<i64> {
        self.capture
            .record((frame as usize).checked_sub(1)?)
            .map(|r| r.ts_nanos)
    }

    fn stream_of(&self, frame: u32) -> Option<(u32, std::borrow::Cow<'_, StreamInfo>)> {
        let rec = self.capture.record((frame as usize).checked_sub(1)?)?;
        let stream = super::results::stream_of(rec)?;
        Some((stream, self.results.streams.get(stream as usize)?))
    }

    /// The captured TCP payload of `frame` (dissected again, without analysis).
    pub fn tcp_payload(&self, frame: u32) -> Option<Vec<u8>> {
        let (record, bytes) = self.capture.packet((frame as usize).checked_sub(1)?)?;
        let mut want = FieldSet::new();
        want.insert(tcp_fields::PAYLOAD);
        let mut d = Dissection::new(Want::Fields(want), false, false);
        let ctx = PacketContext::alone(frame, record, self.capture.interface_of(&record));
        dissect_packet(&mut d, &ctx, bytes);
        match d.first(tcp_fields::PAYLOAD) {
            Some(Value::Bytes(b)) => Some(b.to_vec()),
            _ => None,
        }
    }
}

impl Analysis for Recorded<'_> {
    fn tcp(&self, frame: u32, segment: &TcpSegment<'_>) -> Option<TcpFrameInfo> {
        let p = self.results.packet(frame)?;
        let (stream, info) = self.stream_of(frame)?;
        let side = usize::from(p.from_second());
        let now = segment.ts_nanos;
        let flags = p.flags();
        let acks_frame = self.results.acks_frame(frame);
        // The side tables hold entries only for frames with these flags.
        let dup = (flags & flag::DUPLICATE_ACK != 0)
            .then(|| self.results.dup_acks.get(frame))
            .flatten();
        let rto_frame = (flags & flag::RETRANSMISSION != 0)
            .then(|| self.results.rto_frames.get(frame).copied())
            .flatten();
        // A second pass knows the initial RTT from the stream's start.
        let irtt = info
            .irtt
            .filter(|(f, _)| {
                (*f <= frame || self.second.is_some()) && flags & flag::HAS_RECORD != 0
            })
            .map(|(_, v)| v);
        // ... and the conversation's final completeness and TLS version.
        let completeness = self
            .second
            .and_then(|s| s.completeness(stream))
            .unwrap_or(p.completeness());
        let tls_version = self
            .second
            .and_then(|s| s.tls_version(stream))
            .or(p.tls_version());
        Some(TcpFrameInfo {
            stream,
            seq_base: info.base_at(side, frame).unwrap_or(0),
            ack_base: info.base_at(1 - side, frame),
            window_shift: p.window_shift(),
            flags,
            completeness,
            acks_frame,
            ack_rtt_nanos: acks_frame
                .and_then(|f| self.ts(f))
                .map(|t| now.saturating_sub(t)),
            initial_rtt_nanos: irtt,
            bytes_in_flight: (p.bytes_in_flight != 0).then_some(p.bytes_in_flight),
            push_bytes_sent: (p.bytes_in_flight != 0).then_some(p.push_bytes_sent),
            dup_ack_num: dup.map(|(n, _)| *n),
            dup_ack_frame: dup.map(|(_, f)| *f),
            rto_nanos: rto_frame
                .and_then(|f| self.ts(f))
                .map(|t| now.saturating_sub(t))
                .filter(|r| *r != 0),
            rto_frame: rto_frame.filter(|f| self.ts(*f).is_some_and(|t| now != t)),
            time_relative_nanos: now.saturating_sub(info.first_ts),
            time_delta_nanos: self
                .results
                .prev_in_stream(frame)
                .and_then(|f| self.ts(f))
                .map_or(0, |t| now.saturating_sub(t)),
            server_port: info.server_port,
            pdu: self.results.pdu(frame),
            tls_version,
            http_request_seen: p.http_request_seen(),
        })
    }

    fn teaching(&self, frame: u32, segment: &TcpSegment<'_>) -> Option<Teaching> {
        let p = self.results.packet(frame)?;
        let (_, info) = self.stream_of(frame)?;
        let step = p.step();
        if step == Step::None {
            return None;
        }
        let (sender_state, receiver_state) = p.states();
        let side = usize::from(p.from_second());
        let role = |s: usize| match info.client {
            Some(c) if c == s => crate::tr!("role-client"),
            Some(_) => crate::tr!("role-server"),
            None => {
                let (addr, port) = if s == 0 { info.first } else { info.second };
                crate::tr!("role-host-at", address = format!("{}:{port}", addr.text()))
            }
        };
        let seq_base = info.base_at(side, frame).unwrap_or(0);
        let ack_base = info.base_at(1 - side, frame).unwrap_or(0);
        // x and y are the raw initial sequence numbers; u and w are shown relative,
        // as the ladder numbers the FINs.
        let fin_base =
            |fin_side: Option<usize>| fin_side.and_then(|s| info.base_at(s, frame)).unwrap_or(0);
        let first_fin = info.first_fin_by;
        let input = ExplainInput {
            sender: role(side),
            receiver: role(1 - side),
            x: info.x,
            y: info.y,
            u: info.u.map(|u| u.wrapping_sub(fin_base(first_fin))),
            w: info
                .w
                .map(|w| w.wrapping_sub(fin_base(first_fin.map(|s| 1 - s)))),
            rel_seq: segment.seq.wrapping_sub(seq_base),
            rel_ack: segment.ack.wrapping_sub(ack_base),
            len: segment.seglen,
            refused: step == Step::Reset
                && receiver_state == crate::dissect::TcpState::Closed
                && info.y.is_none()
                || step == Step::Handshake1 && receiver_state == crate::dissect::TcpState::Closed,
            crossed: info.crossed,
            port: segment.dst_port,
        };
        Some(Teaching {
            step: step.name(),
            sender_state,
            receiver_state,
            relation: handshake::relation(step, info.crossed).to_string(),
            explain: handshake::explain(step, sender_state, receiver_state, &input),
            path_mss: info.path_mss(),
        })
    }

    fn transaction(&self, frame: u32, key: &TransactionKey, is_response: bool) -> Option<Linked> {
        let linked = if is_response {
            self.results
                .requests
                .get(frame)
                .filter(|(_, proto)| *proto == key.proto)
                .map(|(request, _)| *request)
        } else {
            self.later(frame, Later::Response)
        }?;
        Some(Linked {
            frame: linked,
            ts_nanos: self.ts(linked)?,
        })
    }

    fn dns_retransmit(&self, frame: u32) -> Option<u32> {
        self.results.dns_retransmits.get(frame).copied()
    }

    fn http_link(&self, frame: u32, message: &HttpMessage<'_>) -> Option<HttpLink> {
        let link = self.results.http_links.get(frame).cloned()?;
        Some(match self.second {
            Some(second) => second.http_link(message.stream, link),
            None => link,
        })
    }

    fn udp(&self, frame: u32, _key: &UdpKey, quoted: bool) -> Option<UdpInfo> {
        let (stream, prev) = *self.results.udp.get(frame)?;
        let times = (!quoted && prev != super::results::UDP_QUOTED).then(|| {
            let now = self.ts(frame).unwrap_or(0);
            let since = |f: Option<u32>| {
                f.and_then(|f| self.ts(f))
                    .map_or(0, |t| now.saturating_sub(t))
            };
            let first = self.results.udp_first.get(stream as usize).copied();
            (since(first), since(Some(prev)))
        });
        Some(UdpInfo { stream, times })
    }

    fn later(&self, frame: u32, what: Later) -> Option<u32> {
        self.second?.later(frame, what)
    }

    fn pdu_parts(&self, frame: u32) -> Option<PduParts> {
        let done = self.results.completes.get(frame)?;
        let mut parts = PduParts::default();
        for (i, f) in done.frames.iter().enumerate() {
            let payload = self.tcp_payload(*f).unwrap_or_default();
            let skip = if i == 0 {
                done.first_offset as usize
            } else {
                0
            };
            parts.push(*f, crate::bytes::tail(&payload, skip));
        }
        Some(parts)
    }

    fn fragment(&self, frame: u32, fragment: &FragmentIn<'_>) -> Option<Reassembly> {
        let (parts, len) = self.results.reassembled.get(frame)?;
        let mut parts = parts.clone();
        // Each earlier fragment's bytes are read again from its frame.
        let copies: Vec<Vec<u8>> = parts
            .iter()
            .map(|p| {
                if p.frame == frame {
                    return fragment.payload.to_vec();
                }
                let bytes = self.frame_bytes(p.frame).unwrap_or_default();
                crate::bytes::slice(&bytes, p.at as usize, p.len as usize)
                    .unwrap_or_default()
                    .to_vec()
            })
            .collect();
        let (data, flags) = super::defrag::assemble(&mut parts, *len, |i| {
            copies.get(i).map_or(&[][..], Vec::as_slice)
        });
        Some(Reassembly { parts, data, flags })
    }

    fn rtp(&self, frame: u32, _src: (Addr, u16), _dst: (Addr, u16)) -> Option<Arc<RtpLink>> {
        self.results.rtp.get(frame).cloned()
    }

    fn ftp_control(&self, frame: u32, _message: &FtpControl<'_>) -> Option<Arc<str>> {
        self.results.ftp.cwd.get(frame).cloned()
    }

    fn ftp_data(
        &self,
        frame: u32,
        _src: (Addr, u16),
        _dst: (Addr, u16),
    ) -> Option<Arc<FtpDataLink>> {
        self.results.ftp.data.get(frame).cloned()
    }

    fn arp_binding(
        &self,
        frame: u32,
        _mac: [u8; 6],
        _ip: [u8; 4],
        target: bool,
    ) -> Option<ArpDuplicate> {
        let pair = self.results.arp.get(frame)?;
        pair.get(usize::from(target)).copied().flatten()
    }

    fn request_link(
        &self,
        frame: u32,
        key: &TransactionKey,
        _ts_nanos: i64,
        is_response: bool,
    ) -> Option<(u32, i64)> {
        if !is_response {
            return None;
        }
        let hash = super::ftp_link::tag_hash(key);
        let links = self.results.ftp.requests.get(frame)?;
        links
            .iter()
            .find(|(h, _, _)| *h == hash)
            .map(|(_, f, t)| (*f, *t))
    }

    fn quic(
        &self,
        frame: u32,
        _src: (Addr, u16),
        _dst: (Addr, u16),
        _payload: &[u8],
        _heuristic: bool,
    ) -> Option<QuicDatagram> {
        self.results.quic.get(frame)
    }

    fn quic_crypto_reused(
        &self,
        frame: u32,
        _conn: u32,
        _from_server: bool,
        offset: u64,
        _len: u64,
    ) -> bool {
        self.results.quic.crypto_reused(frame, offset)
    }

    fn smtp(&self, frame: u32, _stream: u32, _payload: &[u8], _request: bool) -> Option<SmtpPdu> {
        Some(match self.results.smtp.get(frame) {
            None => SmtpPdu::Command,
            Some(SmtpRecord::Message) => SmtpPdu::Message,
            Some(SmtpRecord::AuthUser) => SmtpPdu::AuthUser,
            Some(SmtpRecord::AuthPass) => SmtpPdu::AuthPass,
            Some(SmtpRecord::Eom { frames, own, line }) => SmtpPdu::Eom {
                parts: {
                    let mut parts = PduParts::default();
                    for f in frames {
                        parts.push(*f, &self.tcp_payload(*f).unwrap_or_default());
                    }
                    parts
                },
                own: *own,
                line: *line,
            },
        })
    }

    fn pop(&self, frame: u32, stream: u32, payload: &[u8], _request: bool) -> Option<SmtpPdu> {
        // POP's records share SMTP's table (a frame is one or the other).
        self.smtp(frame, stream, payload, true)
    }

    fn quoted_tcp(&self, frame: u32, _segment: &TcpSegment<'_>) -> Option<(u32, u8)> {
        self.results.quoted_tcp.get(frame).copied()
    }

    fn frame_bytes(&self, frame: u32) -> Option<Vec<u8>> {
        let (_, bytes) = self.capture.packet((frame as usize).checked_sub(1)?)?;
        Some(bytes.to_vec())
    }

    fn tcp_payload(&self, frame: u32) -> Option<Vec<u8>> {
        Self::tcp_payload(self, frame)
    }
}
