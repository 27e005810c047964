//! TCP conversations: the 4-tuple table that numbers streams as tshark does, and the
//! state each direction ("flow") keeps during the load pass.

use crate::dissect::ipv4::Addr;
use crate::wire::SeqNumber as Seq;
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
}

/// The unacknowledged segments of one direction, oldest first. It remembers whether
/// both their sequence numbers and their ends only grow along the list (the usual
/// case: no retransmission of older data is pending), which lets an ACK stop at the
/// first segment ahead of it and bytes in flight read the two ends of the list.
#[derive(Debug, Clone, Default)]
pub struct UnackedList {
    entries: VecDeque<Unacked>,
    /// Some entry's seq or end is below the one before it (serial comparison).
    unordered: bool,
}

impl UnackedList {
    /// Number of segments.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when every segment has been acknowledged.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The oldest segment.
    pub fn front(&self) -> Option<&Unacked> {
        self.entries.front()
    }

    /// Appends a segment just sent.
    pub fn push(&mut self, segment: Unacked) {
        if let Some(back) = self.entries.back()
            && (Seq(segment.seq) < Seq(back.seq) || Seq(segment.nextseq) < Seq(back.nextseq))
        {
            self.unordered = true;
        }
        self.entries.push_back(segment);
    }

    /// Applies the cumulative acknowledgment `ack`: segments it covers go, a segment it
    /// ends inside now starts at it. Returns the frame of the oldest segment whose end
    /// it matches exactly (tshark walks newest first and the last exact match wins,
    /// i.e. the oldest).
    pub fn acknowledge(&mut self, ack: u32) -> Option<u32> {
        // Most ACKs answer a direction with nothing outstanding (the receiver's own
        // data is rare): nothing to walk.
        if self.entries.is_empty() {
            return None;
        }
        let mut matched: Option<u32> = None;
        if self.unordered {
            // Once the out-of-order segments are acknowledged the list is in order
            // again: find out while walking it.
            let mut ordered = true;
            let mut previous: Option<(u32, u32)> = None;
            self.entries.retain_mut(|entry| {
                let keep = settle(entry, ack, &mut matched);
                if keep {
                    if let Some((seq, nextseq)) = previous
                        && (Seq(entry.seq) < Seq(seq) || Seq(entry.nextseq) < Seq(nextseq))
                    {
                        ordered = false;
                    }
                    previous = Some((entry.seq, entry.nextseq));
                }
                keep
            });
            self.unordered = !ordered;
        } else {
            // In order, the segments from the first one at or ahead of the ACK on are
            // all kept unchanged, so only the segments before it are looked at.
            let mut kept = 0;
            while let Some(entry) = self.entries.get_mut(kept) {
                if Seq(ack) <= Seq(entry.seq) {
                    break;
                }
                if settle(entry, ack, &mut matched) {
                    kept += 1;
                } else if kept == 0 {
                    // The usual case: the oldest segment is acknowledged whole.
                    self.entries.pop_front();
                } else {
                    self.entries.remove(kept);
                }
            }
        }
        if self.entries.is_empty() {
            self.unordered = false;
            if self.entries.capacity() > 8 {
                // A burst's list is spent: give its memory back, or thousands of
                // finished streams would each hold their largest burst until the
                // capture is closed. Room for a few entries stays: most bursts fit,
                // and a list emptied to nothing would grow again from zero each time.
                self.entries.shrink_to(8);
            }
        }
        matched
    }

    /// The lowest seq and highest end of the segments, relative to `base` (tshark's
    /// bytes in flight are the difference).
    pub fn span(&self, base: u32) -> Option<(u32, u32)> {
        let (front, back) = (self.entries.front()?, self.entries.back()?);
        let first = front.seq.wrapping_sub(base);
        let last = back.nextseq.wrapping_sub(base);
        if !self.unordered
            && first <= back.seq.wrapping_sub(base)
            && front.nextseq.wrapping_sub(base) <= last
        {
            return Some((first, last));
        }
        let mut first = u32::MAX;
        let mut last = 0u32;
        for u in &self.entries {
            first = first.min(u.seq.wrapping_sub(base));
            last = last.max(u.nextseq.wrapping_sub(base));
        }
        Some((first, last))
    }
}

/// What `ack` does to one unacknowledged segment: false when it goes.
fn settle(entry: &mut Unacked, ack: u32, matched: &mut Option<u32>) -> bool {
    if ack == entry.nextseq {
        matched.get_or_insert(entry.frame);
        false
    } else if Seq(ack) > Seq(entry.seq) && Seq(ack) <= Seq(entry.nextseq) {
        // A partial acknowledgment: what remains starts at the ack.
        entry.seq = ack;
        true
    } else {
        // Still ahead of the ack, or entirely below it (then dropped silently).
        Seq(entry.nextseq) > Seq(ack)
    }
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
    pub unacked: UnackedList,
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
            unacked: UnackedList::default(),
        }
    }
}

/// The table of conversations seen so far: key → stream index.
///
/// It holds only the stream numbers (4 bytes a slot): a stream's key is read back
/// from its endpoints, which the stream's summary keeps anyway, so a capture of a
/// million one-packet streams (a port scan) does not pay a second copy of every
/// 40-byte address pair here.
#[derive(Debug, Default)]
pub struct ConversationTable {
    table: hashbrown::HashTable<u32>,
    next: u32,
    /// The key last looked up or created, with its stream: a bulk transfer's
    /// segments come in runs, and a run then costs one key comparison a segment
    /// instead of a hash, a probe and a read of the stream's endpoints.
    last: std::cell::Cell<Option<(ConversationKey, u32)>>,
}

/// The hash of a conversation key.
fn hash_of(key: &ConversationKey) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(key)
}

impl ConversationTable {
    /// The current stream of `key`, if any; `key_of` gives the key of a stream
    /// number this table handed out.
    pub fn get(
        &self,
        key: &ConversationKey,
        key_of: impl Fn(u32) -> Option<ConversationKey>,
    ) -> Option<u32> {
        if let Some((last, id)) = self.last.get()
            && last == *key
        {
            return Some(id);
        }
        let found = self
            .table
            .find(hash_of(key), |&id| key_of(id).as_ref() == Some(key))
            .copied();
        if let Some(id) = found {
            self.last.set(Some((*key, id)));
        }
        found
    }

    /// The number the next stream created gets.
    pub fn next_id(&self) -> u32 {
        self.next
    }

    /// Starts a new stream for `key` (replacing an older one) and returns its index.
    /// `key_of` must already know the new stream (number [`Self::next_id`]).
    pub fn create(
        &mut self,
        key: ConversationKey,
        key_of: impl Fn(u32) -> Option<ConversationKey>,
    ) -> u32 {
        let id = self.next;
        self.next = self.next.saturating_add(1);
        self.last.set(Some((key, id)));
        let hash = hash_of(&key);
        if let Some(slot) = self
            .table
            .find_mut(hash, |&old| key_of(old).as_ref() == Some(&key))
        {
            *slot = id;
        } else {
            self.table
                .insert_unique(hash, id, |&old| key_of(old).as_ref().map_or(0, hash_of));
        }
        id
    }

    /// Number of streams created.
    pub fn count(&self) -> u32 {
        self.next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_finds_its_latest_stream_through_the_table_growth() {
        let endpoint = |i: u32| (Addr::V4(i.to_be_bytes()), 80u16);
        let mut keys: Vec<ConversationKey> = Vec::new();
        let mut table = ConversationTable::default();
        for i in 0..5000u32 {
            keys.push(ConversationKey::new(endpoint(i), endpoint(i + 1_000_000)).0);
            let key = keys[i as usize];
            let id = table.create(key, |s| keys.get(s as usize).copied());
            assert_eq!(id, i);
        }
        // Port reuse: the same key again gets a new number, and lookups find it.
        keys.push(keys[7]);
        let reused = table.create(keys[7], |s| keys.get(s as usize).copied());
        assert_eq!(reused, 5000);
        let find = |k: &ConversationKey| table.get(k, |s| keys.get(s as usize).copied());
        assert_eq!(find(&keys[7]), Some(5000));
        assert_eq!(find(&keys[4999]), Some(4999));
        let unseen = ConversationKey::new(endpoint(1), endpoint(2)).0;
        assert_eq!(find(&unseen), None);
    }

    /// The remembered last key never answers for a key whose stream was replaced
    /// since, nor for another key.
    #[test]
    fn the_last_key_follows_replacements() {
        let endpoint = |i: u32| (Addr::V4(i.to_be_bytes()), 443u16);
        let a = ConversationKey::new(endpoint(1), endpoint(2)).0;
        let b = ConversationKey::new(endpoint(3), endpoint(4)).0;
        let mut keys = vec![a, b];
        let mut table = ConversationTable::default();
        table.create(a, |s| keys.get(s as usize).copied());
        table.create(b, |s| keys.get(s as usize).copied());
        assert_eq!(table.get(&a, |s| keys.get(s as usize).copied()), Some(0));
        assert_eq!(table.get(&a, |s| keys.get(s as usize).copied()), Some(0));
        assert_eq!(table.get(&b, |s| keys.get(s as usize).copied()), Some(1));
        // Port reuse of `a` while `b` was the last key looked up.
        keys.push(a);
        assert_eq!(table.create(a, |s| keys.get(s as usize).copied()), 2);
        assert_eq!(table.get(&b, |s| keys.get(s as usize).copied()), Some(1));
        assert_eq!(table.get(&a, |s| keys.get(s as usize).copied()), Some(2));
    }
}
