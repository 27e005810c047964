//! The load's list of TCP streams, each summed up in a [`StreamInfo`], with the
//! streams of one segment kept compact.
//!
//! A port scan or a SYN flood opens a stream with every packet. Such a stream's
//! summary (and its analysis state, see `load.rs`) follows from its one segment, so
//! an IPv4 stream whose only segment carried no payload keeps 48 bytes of that
//! segment ([`OneSegment`]) and its summary is computed again, by the load's own code
//! on the same input, when it is asked for. A stream that shows a second segment
//! becomes a full [`StreamInfo`].

use super::results::StreamInfo;
use super::stream::ConversationKey;
use crate::dissect::ipv4::Addr;
use std::borrow::Cow;

/// What a stream's only segment said (IPv4, no payload): with the load's code, its
/// stream summary and analysis state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct OneSegment {
    /// Capture time.
    pub ts_nanos: i64,
    /// Frame (1-based).
    pub frame: u32,
    /// Sender's IPv4 address.
    pub src: [u8; 4],
    /// Receiver's IPv4 address.
    pub dst: [u8; 4],
    /// Sequence number.
    pub seq: u32,
    /// Acknowledgment number.
    pub ack: u32,
    /// SACK bytes the options carried.
    pub sack_bytes: u32,
    /// Sender's port.
    pub src_port: u16,
    /// Receiver's port.
    pub dst_port: u16,
    /// TCP flags.
    pub flags: u16,
    /// Raw window.
    pub window: u16,
    /// Window scale option.
    pub wscale: Option<u8>,
    /// MSS option (a lone SYN's, which the path's MSS needs once it is answered).
    pub mss: Option<u16>,
}

/// One stream as stored.
#[derive(Clone)]
enum Slot {
    /// The summary in full.
    Full(Box<StreamInfo>),
    /// One segment, from which the summary follows.
    One(OneSegment),
}

const _: () = assert!(std::mem::size_of::<Slot>() <= 48);

/// The streams of a capture, by stream number.
#[derive(Clone, Default)]
pub struct Streams {
    slots: Vec<Slot>,
}

impl std::fmt::Debug for Streams {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Streams {
    /// Number of streams.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Stream `i`'s summary (computed again for a stream of one segment).
    pub fn get(&self, i: usize) -> Option<Cow<'_, StreamInfo>> {
        match self.slots.get(i)? {
            Slot::Full(info) => Some(Cow::Borrowed(&**info)),
            Slot::One(one) => super::load::replay_info(one).map(Cow::Owned),
        }
    }

    /// The summaries in stream order.
    pub fn iter(&self) -> impl Iterator<Item = Cow<'_, StreamInfo>> + '_ {
        (0..self.slots.len()).filter_map(|i| self.get(i))
    }

    /// Stream `i`'s conversation key, without computing its summary.
    pub(crate) fn key(&self, i: usize) -> Option<ConversationKey> {
        let (first, second) = match self.slots.get(i)? {
            Slot::Full(info) => (info.first, info.second),
            Slot::One(one) => (
                (Addr::V4(one.src), one.src_port),
                (Addr::V4(one.dst), one.dst_port),
            ),
        };
        Some(ConversationKey::new(first, second).0)
    }

    /// Stream `i`'s first frame, without computing its summary.
    pub(crate) fn first_frame(&self, i: usize) -> Option<u32> {
        match self.slots.get(i)? {
            Slot::Full(info) => Some(info.first_frame),
            Slot::One(one) => Some(one.frame),
        }
    }

    /// Stream `i`'s compact segment, if it is kept so.
    pub(crate) fn one(&self, i: usize) -> Option<OneSegment> {
        match self.slots.get(i)? {
            Slot::One(one) => Some(*one),
            Slot::Full(_) => None,
        }
    }

    /// Stream `i`'s full summary, to change (`None` for a compact stream: see
    /// [`Self::set_full`]).
    pub(crate) fn get_mut(&mut self, i: usize) -> Option<&mut StreamInfo> {
        match self.slots.get_mut(i)? {
            Slot::Full(info) => Some(info),
            Slot::One(_) => None,
        }
    }

    /// Replaces stream `i` by its full summary.
    pub(crate) fn set_full(&mut self, i: usize, info: StreamInfo) {
        if let Some(slot) = self.slots.get_mut(i) {
            *slot = Slot::Full(Box::new(info));
        }
    }

    /// Appends a stream's full summary.
    pub(crate) fn push(&mut self, info: StreamInfo) {
        self.slots.push(Slot::Full(Box::new(info)));
    }

    /// Appends a stream of one segment.
    pub(crate) fn push_one(&mut self, one: OneSegment) {
        self.slots.push(Slot::One(one));
    }

    /// Moves the streams of `parts` (per partition of a parallel load, `maps` giving
    /// each's numbers in the capture's, increasing) into one list in the capture's
    /// numbering. Filled from the last stream back, each partition's list shrunk as it
    /// empties, so that the streams are not held twice.
    pub(crate) fn place(mut parts: Vec<Streams>, maps: &[Vec<u32>]) -> Streams {
        const SHRINK_EVERY: usize = 1 << 14;
        let total = parts.iter().map(Streams::len).sum();
        let mut placed = Vec::with_capacity(total);
        loop {
            // The partition whose last stream has the highest capture number.
            let last = parts
                .iter()
                .enumerate()
                .filter_map(|(p, list)| {
                    let local = list.slots.len().checked_sub(1)?;
                    let global = maps.get(p).and_then(|m| m.get(local)).copied();
                    Some((global.unwrap_or(u32::MAX), p))
                })
                .max();
            let Some((_, p)) = last else { break };
            let Some(list) = parts.get_mut(p) else { break };
            placed.extend(list.slots.pop());
            if list.slots.capacity() - list.slots.len() >= SHRINK_EVERY {
                list.slots.shrink_to_fit();
            }
        }
        placed.reverse();
        Streams { slots: placed }
    }
}

impl<'a> IntoIterator for &'a Streams {
    type Item = Cow<'a, StreamInfo>;
    type IntoIter = Box<dyn Iterator<Item = Cow<'a, StreamInfo>> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}
