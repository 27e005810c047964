//! TCP conversations: the 4-tuple table that numbers streams as tshark does, and the
//! state each direction ("flow") keeps during the load pass.

use crate::dissect::ipv4::Addr;
use rustc_hash::FxHashMap;
use std::collections::VecDeque;

/// An unordered pair of endpoints: both directions of a conversation map to one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ConversationKey {
    low: (Addr, u16),
    high: (Addr, u16),
}

impl ConversationKey {
    /// The key of a segment from `src` to `dst`, and whether the sender is `low`.
    pub fn new(src: (Addr, u16), dst: (Addr, u16)) -> (ConversationKey, bool) {
        if src <= dst {
            (
                ConversationKey {
                    low: src,
                    high: dst,
                },
                true,
            )
        } else {
            (
                ConversationKey {
                    low: dst,
                    high: src,
                },
                false,
            )
        }
    }
}

/// A segment the sender has sent and the receiver has not yet acknowledged.
#[derive(Debug, Clone, Copy)]
pub struct Unacked {
    /// Frame that carried it.
    pub frame: u32,
    /// First sequence number (raised by partial acks).
    pub seq: u32,
    /// Sequence number after it (SYN and FIN count one).
    pub nextseq: u32,
    /// When it was captured.
    pub ts_nanos: i64,
}

/// Most unacknowledged segments remembered per direction (tshark keeps a bounded list
/// too; without ACKs in the capture the list would otherwise grow without end).
pub const MAX_UNACKED: usize = 10_000;

/// One direction of a conversation, as tshark's analysis tracks it.
#[derive(Debug, Clone)]
pub struct Flow {
    /// The raw sequence number of relative 0, once known.
    pub base_seq: Option<u32>,
    /// Highest seq + len seen (SYN/FIN count one); 0 = unknown.
    pub nextseq: u32,
    /// When `nextseq` last advanced.
    pub nextseq_time: i64,
    /// Which frame advanced it.
    pub nextseq_frame: u32,
    /// Last ack value this direction sent (stored even when ACK was clear).
    pub lastack: u32,
    /// When it was sent.
    pub lastack_time: i64,
    /// Last frame whose ack value differed from the one before.
    pub lastnondupack: u32,
    /// Duplicate-ACK counter (-1: an "ACKed unseen segment" was reported).
    pub dupacknum: i32,
    /// Highest contiguous sequence number to be acknowledged.
    pub maxseqtobeacked: u32,
    /// Last raw window value (starts at 0xFFFFFFFF: "none yet").
    pub window: u32,
    /// Window scale: -1 unknown, -2 not used, else the shift.
    pub win_scale: i8,
    /// Analysis flags of this direction's previous segment.
    pub lastsegmentflags: u32,
    /// Bytes in flight can be computed (cleared by a lost segment).
    pub valid_bif: bool,
    /// Bytes since the last PSH.
    pub push_bytes_sent: u32,
    /// The previous segment had PSH.
    pub push_set_last: bool,
    /// ACK-flagged segments this direction has sent (window full uses "first ACK").
    pub acks_sent: u32,
    /// SACK bytes carried by this direction's most recent segment.
    pub sack_bytes: u32,
    /// This direction sent a FIN first ("initiates the connection closing").
    pub closing_initiator: bool,
    /// Unacknowledged segments, oldest first.
    pub unacked: VecDeque<Unacked>,
}

impl Default for Flow {
    fn default() -> Self {
        Flow {
            base_seq: None,
            nextseq: 0,
            nextseq_time: 0,
            nextseq_frame: 0,
            lastack: 0,
            lastack_time: 0,
            lastnondupack: 0,
            dupacknum: 0,
            maxseqtobeacked: 0,
            window: 0xFFFF_FFFF,
            win_scale: -1,
            lastsegmentflags: 0,
            valid_bif: true,
            push_bytes_sent: 0,
            push_set_last: false,
            acks_sent: 0,
            sack_bytes: 0,
            closing_initiator: false,
            unacked: VecDeque::new(),
        }
    }
}

/// The table of conversations seen so far: key → stream index.
#[derive(Debug, Default)]
pub struct ConversationTable {
    map: FxHashMap<ConversationKey, u32>,
    next: u32,
}

impl ConversationTable {
    /// The current stream of `key`, if any.
    pub fn get(&self, key: &ConversationKey) -> Option<u32> {
        self.map.get(key).copied()
    }

    /// Starts a new stream for `key` (replacing an older one) and returns its index.
    pub fn create(&mut self, key: ConversationKey) -> u32 {
        let id = self.next;
        self.next = self.next.saturating_add(1);
        self.map.insert(key, id);
        id
    }

    /// Number of streams created.
    pub fn count(&self) -> u32 {
        self.next
    }
}
