//! Capture-wide counts gathered by the load pass: packets, bytes, time span, the
//! protocol hierarchy (`tshark -z io,phs`) and the expert items (`tshark -z expert`).

use crate::capture::PacketRecord;
use crate::dissect::tree::{Dissection, Expert, Severity};
use crate::dissect::{FieldId, registry};
use rustc_hash::FxHashMap;

/// One node of the protocol hierarchy.
#[derive(Debug, Clone, Default)]
pub struct PhsNode {
    /// Protocol filter name (`eth`, `ip`, `tcp`, ...).
    pub name: &'static str,
    /// The protocol's field id.
    pub field: crate::dissect::FieldId,
    /// Frames whose tree has this protocol at this place.
    pub frames: u64,
    /// Their bytes on the wire.
    pub bytes: u64,
    /// Children, in order of first appearance.
    pub children: Vec<usize>,
    /// The frame that first put this protocol here (orders children when the counts of
    /// a parallel load are merged).
    pub first_frame: u32,
}

/// Adds the subtree of `theirs` at `their_node` (at most `depth` deep already) into
/// `ours` at `our_node`.
fn merge_phs(
    ours: &mut Vec<PhsNode>,
    our_node: usize,
    theirs: &[PhsNode],
    their_node: usize,
    depth: usize,
) {
    // The hierarchy is as deep as a packet's protocol stack, which the dissectors
    // bound; this guard only keeps a corrupted tree from recursing without end.
    if depth > 256 {
        return;
    }
    let Some(their) = theirs.get(their_node) else {
        return;
    };
    for &their_child in &their.children {
        let Some(tc) = theirs.get(their_child) else {
            continue;
        };
        let existing = ours.get(our_node).and_then(|n| {
            n.children
                .iter()
                .copied()
                .find(|c| ours.get(*c).is_some_and(|p| p.field == tc.field))
        });
        let child = match existing {
            Some(c) => {
                if let Some(n) = ours.get_mut(c) {
                    n.frames += tc.frames;
                    n.bytes += tc.bytes;
                    n.first_frame = n.first_frame.min(tc.first_frame);
                }
                c
            }
            None => {
                ours.push(PhsNode {
                    name: tc.name,
                    field: tc.field,
                    frames: tc.frames,
                    bytes: tc.bytes,
                    children: Vec::new(),
                    first_frame: tc.first_frame,
                });
                let c = ours.len() - 1;
                if let Some(n) = ours.get_mut(our_node) {
                    n.children.push(c);
                }
                c
            }
        };
        merge_phs(ours, child, theirs, their_child, depth + 1);
    }
    let mut children = ours
        .get_mut(our_node)
        .map(|n| std::mem::take(&mut n.children))
        .unwrap_or_default();
    children.sort_by_key(|c| ours.get(*c).map_or(u32::MAX, |n| n.first_frame));
    if let Some(n) = ours.get_mut(our_node) {
        n.children = children;
    }
}

/// One expert summary line.
#[derive(Debug, Clone)]
pub struct ExpertCount {
    /// The expert item.
    pub expert: Expert,
    /// How many frames raised it.
    pub count: u64,
    /// The frame that first raised it.
    pub first_frame: u32,
}

/// What the load pass counts.
#[derive(Debug, Default)]
pub struct LoadStats {
    /// Packets read.
    pub packets: u64,
    /// Bytes on the wire.
    pub bytes: u64,
    /// Bytes captured.
    pub captured_bytes: u64,
    /// First and last timestamps.
    pub first_ts: Option<i64>,
    /// Last timestamp.
    pub last_ts: Option<i64>,
    /// Protocol hierarchy: node 0 is the root (no name).
    pub phs: Vec<PhsNode>,
    /// Expert items in order of first appearance.
    pub experts: Vec<ExpertCount>,
    expert_index: FxHashMap<Expert, usize>,
    /// The previous packet's path down the hierarchy (protocol, node): most packets
    /// have the stack of a packet just before them, whose nodes need no search.
    last_path: Vec<(FieldId, usize)>,
}

impl LoadStats {
    /// Counts one dissected packet, frame number `frame`.
    pub fn count(&mut self, frame: u32, record: &PacketRecord, d: &Dissection<'_>) {
        self.packets += 1;
        self.bytes += u64::from(record.orig_len);
        self.captured_bytes += u64::from(record.cap_len);
        self.first_ts.get_or_insert(record.ts_nanos);
        self.last_ts = Some(record.ts_nanos);
        if self.phs.is_empty() {
            self.phs.push(PhsNode::default());
        }
        let mut node = 0usize;
        let stack = d
            .top_protocols
            .iter()
            .filter(|p| **p != crate::dissect::frame::FRAME);
        for (depth, &proto) in stack.enumerate() {
            let child = match self.last_path.get(depth) {
                Some(&(field, child)) if field == proto => child,
                _ => {
                    // The path leaves the previous packet's here: the nodes below
                    // are searched (or made) and remembered.
                    let child = self.phs_child(node, proto, frame);
                    self.last_path.truncate(depth);
                    self.last_path.push((proto, child));
                    child
                }
            };
            if let Some(n) = self.phs.get_mut(child) {
                n.frames += 1;
                n.bytes += u64::from(record.orig_len);
            }
            node = child;
        }
        for expert in &d.experts {
            match self.expert_index.get(expert) {
                Some(i) => {
                    if let Some(e) = self.experts.get_mut(*i) {
                        e.count += 1;
                    }
                }
                None => {
                    self.expert_index.insert(expert.clone(), self.experts.len());
                    self.experts.push(ExpertCount {
                        expert: expert.clone(),
                        count: 1,
                        first_frame: frame,
                    });
                }
            }
        }
    }

    /// The child of hierarchy node `node` for `proto`, made (first seen in `frame`)
    /// when it is not there yet.
    fn phs_child(&mut self, node: usize, proto: FieldId, frame: u32) -> usize {
        // Protocol abbreviations are unique, so the id stands for the name.
        let existing = self.phs.get(node).and_then(|n| {
            n.children
                .iter()
                .copied()
                .find(|c| self.phs.get(*c).is_some_and(|p| p.field == proto))
        });
        if let Some(child) = existing {
            return child;
        }
        self.phs.push(PhsNode {
            name: registry::def(proto).abbrev,
            field: proto,
            first_frame: frame,
            ..PhsNode::default()
        });
        let child = self.phs.len() - 1;
        if let Some(n) = self.phs.get_mut(node) {
            n.children.push(child);
        }
        child
    }

    /// Adds the counts of `other`, made from other frames of the same capture (a
    /// parallel load): sums, and children and expert lines in order of first
    /// appearance as one pass over all the frames would have found them.
    pub fn merge(&mut self, other: LoadStats) {
        self.last_path.clear();
        self.packets += other.packets;
        self.bytes += other.bytes;
        self.captured_bytes += other.captured_bytes;
        self.first_ts = match (self.first_ts, other.first_ts) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.last_ts = match (self.last_ts, other.last_ts) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        if !other.phs.is_empty() {
            if self.phs.is_empty() {
                self.phs.push(PhsNode::default());
            }
            merge_phs(&mut self.phs, 0, &other.phs, 0, 0);
        }
        for item in other.experts {
            match self.expert_index.get(&item.expert) {
                Some(i) => {
                    if let Some(e) = self.experts.get_mut(*i) {
                        e.count += item.count;
                        e.first_frame = e.first_frame.min(item.first_frame);
                    }
                }
                None => {
                    self.expert_index
                        .insert(item.expert.clone(), self.experts.len());
                    self.experts.push(item);
                }
            }
        }
        // A stable sort keeps the order of lines first raised by the same frame.
        self.experts.sort_by_key(|e| e.first_frame);
        self.expert_index = self
            .experts
            .iter()
            .enumerate()
            .map(|(i, e)| (e.expert.clone(), i))
            .collect();
    }

    /// Expert lines of one severity, in order of first appearance.
    pub fn experts_of(&self, severity: Severity) -> impl Iterator<Item = &ExpertCount> {
        self.experts
            .iter()
            .filter(move |e| e.expert.severity == severity)
    }
}
