//! IP fragment reassembly as tshark 4.0 does it with `ip.defragment` and
//! `ipv6.defragment` on: fragments are kept per datagram (addresses, identification,
//! IPv4's protocol), listed by offset, and the frame whose fragment fills the last
//! hole up to the end the final fragment set carries the whole datagram. Overlaps,
//! conflicting overlaps, second final fragments and bytes past the end are flagged
//! as tshark flags them (`reassemble.c`'s rules, learnt from its behaviour).
//!
//! The load pass keeps copies of the fragments of incomplete datagrams; tshark keeps
//! them without limit, we keep at most [`MAX_HELD_BYTES`] and drop the oldest
//! incomplete datagrams beyond (a capture built to exhaust memory cannot). Nothing
//! is allocated for a packet that is not a fragment.

use crate::dissect::context::{FragmentIn, FragmentKey, FragmentPart, Reassembly, frag_flag};
use rustc_hash::FxHashMap;
use std::collections::VecDeque;

/// Most fragment bytes (plus [`PART_OVERHEAD`] each) kept for incomplete datagrams.
pub const MAX_HELD_BYTES: usize = 64 << 20;
/// What one kept fragment costs beyond its bytes, so that a flood of empty
/// fragments is bounded too.
const PART_OVERHEAD: usize = 64;

/// An incomplete datagram.
#[derive(Debug, Default)]
struct Pending {
    /// Fragments by offset (ties in arrival order) with copies of their bytes.
    parts: Vec<(FragmentPart, Vec<u8>)>,
    /// End of the payload, set by the first final fragment.
    datalen: Option<u32>,
    /// Flags found while adding (multiple tails).
    flags: u8,
    /// Bytes held for it (with overheads).
    held: usize,
    /// When it was opened (for eviction in age order).
    age: u64,
}

/// The reassembly table of the load pass.
#[derive(Debug, Default)]
pub struct Defragmenter {
    pending: FxHashMap<FragmentKey, Pending>,
    /// Incomplete datagrams in the order they were opened (entries of completed
    /// or evicted ones are skipped when met).
    order: VecDeque<(FragmentKey, u64)>,
    held: usize,
    next_age: u64,
}

impl Defragmenter {
    /// Adds `fragment` of `frame`; returns the datagram when it is now complete.
    pub fn add(&mut self, frame: u32, fragment: &FragmentIn<'_>) -> Option<Reassembly> {
        let len = u32::try_from(fragment.payload.len()).ok()?;
        let key = fragment.key;
        let entry = match self.pending.get_mut(&key) {
            Some(p) => p,
            None => {
                let age = self.next_age;
                self.next_age = self.next_age.wrapping_add(1);
                self.order.push_back((key, age));
                self.pending.entry(key).or_insert(Pending {
                    age,
                    ..Pending::default()
                })
            }
        };
        let mut part = FragmentPart {
            frame,
            offset: fragment.offset,
            len,
            at: fragment.at,
            flags: 0,
        };
        let end = fragment.offset.saturating_add(len);
        if !fragment.more {
            match entry.datalen {
                // A second final fragment ending elsewhere: the first one's end stays.
                Some(datalen) if datalen != end => {
                    part.flags |= frag_flag::MULTIPLE_TAILS;
                    entry.flags |= frag_flag::MULTIPLE_TAILS;
                }
                Some(_) => {}
                None => entry.datalen = Some(end),
            }
        }
        let place = entry
            .parts
            .iter()
            .position(|(p, _)| p.offset > part.offset)
            .unwrap_or(entry.parts.len());
        entry.parts.insert(place, (part, fragment.payload.to_vec()));
        let cost = fragment.payload.len().saturating_add(PART_OVERHEAD);
        entry.held = entry.held.saturating_add(cost);
        self.held = self.held.saturating_add(cost);

        let complete = entry
            .datalen
            .is_some_and(|datalen| covers(&entry.parts, datalen));
        if complete {
            let done = self.pending.remove(&key)?;
            self.held = self.held.saturating_sub(done.held);
            let datalen = done.datalen.unwrap_or(0);
            let (mut parts, copies): (Vec<FragmentPart>, Vec<Vec<u8>>) =
                done.parts.into_iter().unzip();
            let (data, flags) = assemble(&mut parts, datalen, |i| {
                copies.get(i).map_or(&[][..], Vec::as_slice)
            });
            return Some(Reassembly {
                parts,
                data,
                flags: flags | done.flags,
            });
        }
        self.evict(key);
        None
    }

    /// Drops the oldest incomplete datagrams (never `keep`, the one just added to)
    /// while more than [`MAX_HELD_BYTES`] are held.
    fn evict(&mut self, keep: FragmentKey) {
        let mut rounds = self.order.len();
        while self.held > MAX_HELD_BYTES && rounds > 0 {
            rounds -= 1;
            let Some((key, age)) = self.order.pop_front() else {
                return;
            };
            if self.pending.get(&key).is_none_or(|p| p.age != age) {
                continue; // completed or evicted already
            }
            if key == keep {
                self.order.push_back((key, age));
                continue;
            }
            if let Some(gone) = self.pending.remove(&key) {
                self.held = self.held.saturating_sub(gone.held);
            }
        }
        // Completed datagrams leave their entries behind: compact now and then, so
        // the queue stays within a few times the incomplete datagrams.
        if self.order.len() > 2 * self.pending.len() + 64 {
            let pending = &self.pending;
            self.order
                .retain(|(key, age)| pending.get(key).is_some_and(|p| p.age == *age));
        }
    }

    /// Bytes held for incomplete datagrams (with per-fragment overheads).
    pub fn held(&self) -> usize {
        self.held
    }
}

/// Whether fragments sorted by offset cover every byte below `datalen`.
fn covers(parts: &[(FragmentPart, Vec<u8>)], datalen: u32) -> bool {
    let mut reached = 0u32;
    for (p, _) in parts {
        if p.offset > reached {
            return false;
        }
        reached = reached.max(p.offset.saturating_add(p.len));
        if reached >= datalen {
            return true;
        }
    }
    reached >= datalen
}

/// Builds the payload of `datalen` bytes from fragments sorted by offset (the bytes
/// of the i-th from `bytes_of(i)`), the earlier one's bytes kept where two overlap
/// (as tshark keeps them), and sets each fragment's flags; returns the payload and
/// every flag set.
pub fn assemble<'b>(
    parts: &mut [FragmentPart],
    datalen: u32,
    bytes_of: impl Fn(usize) -> &'b [u8],
) -> (Vec<u8>, u8) {
    let size = datalen as usize;
    let mut data = vec![0u8; size];
    let mut all = 0u8;
    let mut reached = 0usize;
    for (i, part) in parts.iter_mut().enumerate() {
        let bytes = bytes_of(i);
        let offset = part.offset as usize;
        let end = offset.saturating_add(bytes.len());
        if offset < reached {
            part.flags |= frag_flag::OVERLAP;
            let seen = reached.min(end).min(size);
            if let (Some(old), Some(new)) = (
                data.get(offset..seen),
                bytes.get(..seen.saturating_sub(offset)),
            ) && old != new
            {
                part.flags |= frag_flag::CONFLICT;
            }
        }
        if end > size {
            part.flags |= frag_flag::TOO_LONG;
        }
        // Bytes an earlier fragment already gave stay: only the new ones are copied.
        let from = offset.max(reached);
        if end > from && from < size {
            let fits = end.min(size);
            if let (Some(dst), Some(src)) = (
                data.get_mut(from..fits),
                bytes.get(from - offset..fits - offset),
            ) {
                dst.copy_from_slice(src);
            }
        }
        reached = reached.max(end);
        all |= part.flags;
    }
    (data, all)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dissect::ipv4::Addr;

    fn key(id: u32) -> FragmentKey {
        FragmentKey {
            src: Addr::V4([10, 30, 0, 1]),
            dst: Addr::V4([10, 30, 0, 2]),
            id,
            proto: 17,
        }
    }

    fn frag(id: u32, offset: u32, more: bool, payload: &[u8]) -> FragmentIn<'_> {
        FragmentIn {
            key: key(id),
            offset,
            more,
            payload,
            at: 34,
        }
    }

    #[test]
    fn out_of_order_fragments_complete_on_the_last_hole() {
        let mut t = Defragmenter::default();
        let bytes: Vec<u8> = (0..40).collect();
        assert!(t.add(1, &frag(1, 32, false, &bytes[32..])).is_none());
        assert!(t.add(2, &frag(1, 0, true, &bytes[..16])).is_none());
        let r = t
            .add(3, &frag(1, 16, true, &bytes[16..32]))
            .expect("complete");
        assert_eq!(r.data, bytes);
        let frames: Vec<u32> = r.parts.iter().map(|p| p.frame).collect();
        assert_eq!(frames, [2, 3, 1]);
        assert_eq!(r.flags, 0);
        assert_eq!(t.held(), 0);
    }

    #[test]
    fn overlaps_conflicts_and_tails_are_flagged() {
        let mut t = Defragmenter::default();
        let bytes: Vec<u8> = (0..40).collect();
        t.add(7, &frag(3, 0, true, &bytes[..16]));
        t.add(8, &frag(3, 8, true, &[0xee; 16]));
        let r = t
            .add(9, &frag(3, 24, false, &bytes[24..]))
            .expect("complete");
        assert_eq!(r.parts[1].flags, frag_flag::OVERLAP | frag_flag::CONFLICT);
        // The first fragment's bytes stay where they overlap; the rest is new.
        assert_eq!(r.data.get(8..16), bytes.get(8..16));
        assert_eq!(r.data.get(16..24), Some(&[0xee; 8][..]));

        t.add(10, &frag(4, 0, true, &bytes[..16]));
        t.add(11, &frag(4, 32, false, &bytes[32..]));
        t.add(12, &frag(4, 16, false, &bytes[16..24]));
        let r = t
            .add(13, &frag(4, 16, true, &bytes[16..32]))
            .expect("complete");
        let got: Vec<(u32, u8)> = r.parts.iter().map(|p| (p.frame, p.flags)).collect();
        assert_eq!(
            got,
            [
                (10, 0),
                (12, frag_flag::MULTIPLE_TAILS),
                (13, frag_flag::OVERLAP),
                (11, 0)
            ]
        );
        assert_eq!(r.data.len(), 40);
    }

    #[test]
    fn past_the_end_is_too_long_and_a_hole_never_completes() {
        let mut t = Defragmenter::default();
        let bytes: Vec<u8> = (0..40).collect();
        t.add(1, &frag(5, 0, false, &bytes[..16]));
        // Nothing is missing below 16: the first final fragment completes it alone.
        t.add(2, &frag(6, 0, true, &bytes[..16]));
        assert!(t.add(3, &frag(6, 65528, false, &bytes[..16])).is_none());
        assert!(t.held() > 0);
        let mut t = Defragmenter::default();
        t.add(1, &frag(7, 0, true, &bytes[..16]));
        t.add(2, &frag(7, 24, true, &bytes[24..40]));
        let r = t
            .add(3, &frag(7, 16, false, &bytes[16..24]))
            .expect("complete");
        assert_eq!(r.data.len(), 24);
        assert_eq!(r.parts[2].flags, frag_flag::TOO_LONG);
    }

    #[test]
    fn memory_stays_bounded_on_endless_incomplete_datagrams() {
        let mut t = Defragmenter::default();
        let chunk = vec![0u8; 60_000];
        for id in 0..2_000u32 {
            t.add(id, &frag(id, 0, true, &chunk));
            assert!(t.held() <= MAX_HELD_BYTES + chunk.len() + PART_OVERHEAD);
        }
        assert!(t.pending.len() < 2_000);
        assert!(t.order.len() <= t.pending.len() + 1);
    }

    /// Dissects frame `number` of `tests/captures/{name}` with the whole capture's
    /// analysis (full tree, labels and columns) and hands the tree to `f`.
    fn loaded_frame(name: &str, number: usize, f: impl FnOnce(&crate::dissect::Dissection<'_>)) {
        use crate::dissect::testing::capture_path;
        let loaded = crate::tcp::Loaded::open(&capture_path(name)).expect("test capture");
        let analysis = loaded.analysis();
        let mut d = crate::dissect::Dissection::full();
        loaded
            .dissect_into(number - 1, None, &analysis, &mut d)
            .expect("frame");
        f(&d);
    }

    /// ip_fragments.pcap frames 2-3: a 1400-byte ping in two IPv4 fragments.
    #[test]
    fn ipv4_ping_in_two_fragments() {
        use crate::dissect::testing::field;
        loaded_frame("ip_fragments.pcap", 2, |d| {
            assert_eq!(d.columns.protocol, "IPv4");
            assert_eq!(
                d.columns.info,
                "Fragmented IP protocol (proto=ICMP 1, off=0, ID=79c7)"
            );
            assert_eq!(field(d, "ip.flags.mf"), "1");
            assert_eq!(field(d, "data.len"), "1256");
            assert_eq!(field(d, "icmp.type"), "");
        });
        loaded_frame("ip_fragments.pcap", 3, |d| {
            assert_eq!(d.columns.protocol, "ICMP");
            assert_eq!(field(d, "ip.frag_offset"), "157");
            assert_eq!(field(d, "ip.fragment"), "2,3");
            assert_eq!(field(d, "ip.fragment.count"), "2");
            assert_eq!(field(d, "ip.reassembled.length"), "1408");
            assert_eq!(field(d, "icmp.seq"), "1");
            assert_eq!(field(d, "data.len"), "1400");
            assert_eq!(d.layers_joined(), "eth:ethertype:ip:icmp:data");
            let list = d
                .nodes
                .iter()
                .find(|n| n.field == crate::dissect::ipv4::FRAGMENTS)
                .map(|n| n.label());
            assert_eq!(
                list.as_deref(),
                Some("[2 IPv4 Fragments (1408 bytes): #2(1256), #3(152)]")
            );
        });
    }

    /// ip_fragments.pcap frames 10-11: the same ping over IPv6.
    #[test]
    fn ipv6_ping_in_two_fragments() {
        use crate::dissect::testing::field;
        loaded_frame("ip_fragments.pcap", 10, |d| {
            assert_eq!(
                d.columns.info,
                "IPv6 fragment (off=0 more=y ident=0xbaeb371b nxt=58)"
            );
            assert_eq!(field(d, "ipv6.fraghdr.more"), "1");
        });
        loaded_frame("ip_fragments.pcap", 11, |d| {
            assert_eq!(d.columns.protocol, "ICMPv6");
            assert_eq!(field(d, "ipv6.fraghdr.offset"), "154");
            assert_eq!(field(d, "ipv6.fragment"), "10,11");
            assert_eq!(field(d, "ipv6.reassembled.length"), "1408");
            assert_eq!(field(d, "icmpv6.type"), "128");
        });
    }

    /// ip_fragments_odd.pcap: crafted trains; tshark's flags on the completing frames.
    #[test]
    fn odd_trains_are_flagged_as_tshark_flags_them() {
        use crate::dissect::testing::field;
        // A duplicated first fragment: an overlap without conflict.
        loaded_frame("ip_fragments_odd.pcap", 6, |d| {
            assert_eq!(field(d, "ip.fragment"), "4,5,6");
            assert_eq!(field(d, "ip.fragment.overlap"), "1");
            assert_eq!(field(d, "ip.fragment.overlap.conflict"), "");
        });
        // Other bytes in the overlap: listed as an error, the first bytes kept.
        loaded_frame("ip_fragments_odd.pcap", 9, |d| {
            assert_eq!(field(d, "ip.fragment"), "7,9");
            assert_eq!(field(d, "ip.fragment.error"), "8");
            assert_eq!(field(d, "ip.fragment.overlap.conflict"), "1");
            assert_eq!(field(d, "ip.fragment.count"), "3");
        });
        // Two final fragments.
        loaded_frame("ip_fragments_odd.pcap", 13, |d| {
            assert_eq!(field(d, "ip.fragment"), "10,13,11");
            assert_eq!(field(d, "ip.fragment.error"), "12");
            assert_eq!(field(d, "ip.fragment.multipletails"), "1");
        });
        // Cut by the snap length: not kept, so the train never completes.
        loaded_frame("ip_fragments_odd.pcap", 19, |d| {
            assert_eq!(
                d.columns.info,
                "Fragmented IP protocol (proto=UDP 17, off=16, ID=0a07)"
            );
        });
        loaded_frame("ip_fragments_odd.pcap", 20, |d| {
            assert_eq!(field(d, "ip.fragment"), "");
            assert_eq!(d.columns.protocol, "IPv4");
        });
        // IPv6, out of order with an overlap.
        loaded_frame("ip_fragments_odd.pcap", 26, |d| {
            assert_eq!(field(d, "ipv6.fragment"), "25,26,24");
            assert_eq!(field(d, "ipv6.fragment.overlap"), "1");
            assert_eq!(field(d, "udp.length"), "48");
        });
    }

    /// Every cut of a completing fragment dissects without panic, and a cut one no
    /// longer completes anything.
    #[test]
    fn truncated_completing_fragment() {
        use crate::dissect::testing::{field, with_truncated};
        for len in [14, 20, 34, 40, 100, 185] {
            with_truncated("ip_fragments.pcap", 3, len, |d| {
                assert_eq!(field(d, "ip.fragment"), "");
            });
        }
    }
}
