//! Capture-wide counts gathered by the load pass: packets, bytes, time span, the
//! protocol hierarchy (`tshark -z io,phs`) and the expert items (`tshark -z expert`).

use crate::capture::PacketRecord;
use crate::dissect::registry;
use crate::dissect::tree::{Dissection, Expert, Severity};
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
}

/// One expert summary line.
#[derive(Debug, Clone)]
pub struct ExpertCount {
    /// The expert item.
    pub expert: Expert,
    /// How many frames raised it.
    pub count: u64,
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
}

impl LoadStats {
    /// Counts one dissected packet.
    pub fn count(&mut self, record: &PacketRecord, d: &Dissection<'_>) {
        self.packets += 1;
        self.bytes += u64::from(record.orig_len);
        self.captured_bytes += u64::from(record.cap_len);
        self.first_ts.get_or_insert(record.ts_nanos);
        self.last_ts = Some(record.ts_nanos);
        if self.phs.is_empty() {
            self.phs.push(PhsNode::default());
        }
        let mut node = 0usize;
        for proto in &d.top_protocols {
            let name = registry::def(*proto).abbrev;
            if name == "frame" {
                continue;
            }
            let existing = self.phs.get(node).and_then(|n| {
                n.children
                    .iter()
                    .copied()
                    .find(|c| self.phs.get(*c).is_some_and(|p| p.name == name))
            });
            let child = match existing {
                Some(c) => c,
                None => {
                    self.phs.push(PhsNode {
                        name,
                        ..PhsNode::default()
                    });
                    let c = self.phs.len() - 1;
                    if let Some(n) = self.phs.get_mut(node) {
                        n.children.push(c);
                    }
                    c
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
                    });
                }
            }
        }
    }

    /// Expert lines of one severity, in order of first appearance.
    pub fn experts_of(&self, severity: Severity) -> impl Iterator<Item = &ExpertCount> {
        self.experts
            .iter()
            .filter(move |e| e.expert.severity == severity)
    }
}
