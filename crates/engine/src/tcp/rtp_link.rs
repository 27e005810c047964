//! RTP and RTCP conversations SDP announces, as tshark's single pass keeps them: an
//! SDP body's `c=` address and `m=` port (and the port after it for RTCP) become a
//! conversation open to any peer, and later UDP datagrams on that socket are RTP (or
//! RTCP) before any port or heuristic decides. RTP is not heuristic in tshark 4.0, so
//! a stream no SDP announced stays UDP.
//!
//! The load pass runs an [`RtpTracker`] and records each datagram's conversation in
//! [`RtpRecords`]; the finished analysis answers from the record.

use super::results::Sparse;
use crate::dissect::context::{RtpAnnounce, RtpLink};
use crate::dissect::ipv4::Addr;
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// Announced sockets kept per capture: past this, new ones are not followed (a capture
/// built to exhaust memory with SDP bodies).
const MAX_SOCKETS: usize = 1 << 16;

/// Each UDP datagram's RTP or RTCP conversation, by frame.
pub type RtpRecords = Sparse<Arc<RtpLink>>;

/// The load pass's RTP state: the announced sockets.
#[derive(Debug, Default)]
pub struct RtpTracker {
    by_socket: FxHashMap<(Addr, u16), Arc<RtpLink>>,
}

impl RtpTracker {
    /// Follows an SDP body's announcements (a later one replaces an earlier one of the
    /// same socket, as a new conversation hides the old from later frames).
    pub fn announce(&mut self, media: &[RtpAnnounce]) {
        for m in media {
            let key = (m.addr, m.port);
            if self.by_socket.len() < MAX_SOCKETS || self.by_socket.contains_key(&key) {
                self.by_socket.insert(key, m.link.clone());
            }
        }
    }

    /// The conversation of a datagram from `src` to `dst`, if either socket was
    /// announced (the source first, as tshark's lookup tries the packet's first
    /// address with the second left open).
    pub fn lookup(&self, src: (Addr, u16), dst: (Addr, u16)) -> Option<Arc<RtpLink>> {
        self.by_socket
            .get(&src)
            .or_else(|| self.by_socket.get(&dst))
            .cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(frame: u32, rtcp: bool) -> Arc<RtpLink> {
        Arc::new(RtpLink {
            setup_frame: frame,
            rtcp,
            socket: (Addr::V4([0; 4]), 0),
            method: "SDP",
            names: Arc::from(Vec::new()),
        })
    }

    #[test]
    fn later_announcement_replaces_and_either_side_matches() {
        let a = Addr::V4([172, 25, 105, 3]);
        let b = Addr::V4([172, 25, 105, 40]);
        let mut t = RtpTracker::default();
        t.announce(&[RtpAnnounce {
            addr: a,
            port: 8000,
            link: link(5, false),
        }]);
        assert_eq!(
            t.lookup((b, 9000), (a, 8000)).map(|l| l.setup_frame),
            Some(5)
        );
        assert_eq!(
            t.lookup((a, 8000), (b, 9000)).map(|l| l.setup_frame),
            Some(5)
        );
        t.announce(&[RtpAnnounce {
            addr: a,
            port: 8000,
            link: link(9, false),
        }]);
        assert_eq!(
            t.lookup((a, 8000), (b, 9000)).map(|l| l.setup_frame),
            Some(9)
        );
        assert!(t.lookup((a, 8001), (b, 9000)).is_none());
    }
}
