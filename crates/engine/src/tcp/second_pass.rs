//! What tshark's second pass (`-2`) shows that a single pass cannot: links to later
//! frames (the response to a request, the frame that completes a reassembled PDU or
//! datagram, the next HTTP message), and what a conversation settled only later (its
//! final completeness, its negotiated TLS version). Built once from the load pass's
//! records, on demand, so a single-pass reading pays nothing for it.

use super::results::{TcpResults, stream_of};
use crate::capture::Capture;
use crate::dissect::context::{HttpLink, Later};
use crate::dissect::{Dissection, FieldSet, PacketContext, Value, Want, dissect_packet, tcp};
use rustc_hash::FxHashMap;

/// The TCP flags and segment length of `frame`, dissected again alone.
fn tcp_flags_and_len(capture: &Capture, frame: u32) -> Option<(u16, u32)> {
    let (record, bytes) = capture.packet((frame as usize).checked_sub(1)?)?;
    let mut want = FieldSet::new();
    want.insert(tcp::FLAGS);
    want.insert(tcp::LEN);
    let mut d = Dissection::new(Want::Fields(want), false, false);
    let ctx = PacketContext::alone(frame, record, capture.interface_of(&record));
    dissect_packet(&mut d, &ctx, bytes);
    let number = |id| match d.first(id) {
        Some(Value::UInt(v)) => Some(*v),
        _ => None,
    };
    Some((
        u16::try_from(number(tcp::FLAGS)?).ok()?,
        u32::try_from(number(tcp::LEN)?).ok()?,
    ))
}

/// The forward links of a loaded capture.
#[derive(Debug, Default)]
pub struct SecondPass {
    /// Request frame → the frame of its response (DNS, ICMP echo, TFTP).
    responses: FxHashMap<u32, u32>,
    /// Earlier segment of a TCP PDU → the frame that completes it.
    reassembled_pdu: FxHashMap<u32, u32>,
    /// Fragment → the frame that completes its datagram.
    reassembled_datagram: FxHashMap<u32, u32>,
    /// SMTP DATA fragment → the frame that ends its message.
    smtp_message: FxHashMap<u32, u32>,
    /// Per TCP stream, its HTTP requests and responses in order.
    http: FxHashMap<u32, [Vec<u32>; 2]>,
    /// Per TCP stream, the TLS version it negotiated.
    tls_versions: FxHashMap<u32, u16>,
    /// Per TCP stream, its completeness once its last segment counted.
    completeness: Vec<u8>,
}

impl SecondPass {
    /// Gathers the links from what the load recorded.
    pub fn build(capture: &Capture, results: &TcpResults) -> SecondPass {
        let mut second = SecondPass::default();
        for (response, (request, _)) in results.requests.iter() {
            second.responses.entry(*request).or_insert(response);
        }
        for (frame, done) in results.completes.iter() {
            for part in &done.frames {
                second.reassembled_pdu.insert(*part, frame);
            }
        }
        for (frame, (parts, _)) in results.reassembled.iter() {
            for part in parts.iter().filter(|p| p.frame != frame) {
                second.reassembled_datagram.insert(part.frame, frame);
            }
        }
        for (frame, record) in results.smtp.iter() {
            if let super::smtp_link::SmtpRecord::Eom { frames, .. } = record {
                for part in frames {
                    second.smtp_message.insert(*part, frame);
                }
            }
        }
        let stream = |frame: u32| {
            let record = capture.record((frame as usize).checked_sub(1)?)?;
            stream_of(record)
        };
        for (frame, link) in results.http_links.iter() {
            if let Some(s) = stream(frame) {
                let lists = second.http.entry(s).or_default();
                if let Some(list) = lists.get_mut(usize::from(link.is_response)) {
                    list.push(frame);
                }
            }
        }
        for i in 0..capture.len() {
            let Some(s) = capture.record(i).and_then(stream_of) else {
                continue;
            };
            let version = u32::try_from(i + 1)
                .ok()
                .and_then(|f| results.packet(f))
                .and_then(|p| p.tls_version());
            if let Some(v) = version {
                second.tls_versions.insert(s, v);
            }
        }
        second.completeness = results
            .streams
            .iter()
            .map(|info| {
                let last = info.last_frame;
                let shown = results.packet(last).map_or(0, |p| p.completeness());
                let (flags, seglen) = tcp_flags_and_len(capture, last).unwrap_or((0, 0));
                shown | super::handshake::completeness_bits(info.first_frame == last, flags, seglen)
            })
            .collect();
        second
    }

    /// `stream`'s completeness at the end of the capture (`tcp.completeness` on every
    /// packet of a second pass).
    pub fn completeness(&self, stream: u32) -> Option<u8> {
        self.completeness.get(stream as usize).copied()
    }

    /// The later frame `what` names for `frame`.
    pub fn later(&self, frame: u32, what: Later) -> Option<u32> {
        let table = match what {
            Later::Response => &self.responses,
            Later::ReassembledPdu => &self.reassembled_pdu,
            Later::ReassembledDatagram => &self.reassembled_datagram,
            Later::SmtpMessage => &self.smtp_message,
        };
        table.get(&frame).copied()
    }

    /// The TLS version `stream` negotiated, once the whole capture is read.
    pub fn tls_version(&self, stream: u32) -> Option<u16> {
        self.tls_versions.get(&stream).copied()
    }

    /// `link` (of an HTTP message in `stream`) with what later messages add: the
    /// number of messages of its kind, the response to a request, the next request
    /// and the next response.
    pub fn http_link(&self, stream: u32, mut link: HttpLink) -> HttpLink {
        let Some([requests, responses]) = self.http.get(&stream) else {
            return link;
        };
        let n = link.number as usize;
        let own = if link.is_response {
            responses
        } else {
            requests
        };
        link.total = u32::try_from(own.len()).ok();
        // The message numbered n is at index n - 1 of its list; the next one at n.
        link.next_request = requests.get(n).copied();
        if link.is_response {
            link.next_response = responses.get(n).copied();
        } else {
            link.response_in = n.checked_sub(1).and_then(|i| responses.get(i)).copied();
        }
        link
    }
}
