//! The payload of a TCP stream in order, as "Follow TCP Stream" shows it: the bytes
//! each side sent, with retransmitted and out-of-order copies left out.

use super::loaded::Loaded;
use crate::dissect::context::flag;

/// The payload of one segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    /// 0: the stream's first endpoint; 1: the other.
    pub node: usize,
    /// The frame that carried it.
    pub frame: u32,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// The chunks of `stream`, in capture order.
pub fn chunks(loaded: &Loaded, stream: u32) -> Vec<Chunk> {
    let Some(info) = loaded.tcp.streams.get(stream as usize) else {
        return Vec::new();
    };
    let recorded = loaded.analysis();
    let mut out: Vec<Chunk> = Vec::new();
    for i in info.packet_range(loaded.len()) {
        let Some(record) = loaded.capture.record(i) else {
            continue;
        };
        if record.stream != stream {
            continue;
        }
        let frame = (i + 1) as u32;
        let Some(p) = loaded.tcp.packet(frame) else {
            continue;
        };
        if p.flags()
            & (flag::RETRANSMISSION
                | flag::SPURIOUS_RETRANSMISSION
                | flag::FAST_RETRANSMISSION
                | flag::OUT_OF_ORDER)
            != 0
        {
            continue;
        }
        let Some(payload) = recorded.tcp_payload(frame) else {
            continue;
        };
        if payload.is_empty() {
            continue;
        }
        // Like tshark, one chunk per segment (the GUI may join them for display).
        out.push(Chunk {
            node: usize::from(p.from_second()),
            frame,
            bytes: payload,
        });
    }
    out
}
