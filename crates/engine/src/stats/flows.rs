//! The flow graph of all flows (Statistics ▸ Flow Graph): one lane per socket
//! (address and port; an address alone for ICMP) and every TCP, UDP and ICMP packet
//! as an arrow between two lanes, labelled with its Info column, for the packets a
//! display filter keeps.

use super::conversations::{Address, Endpoint};
use super::taps::{self, Hit};
use crate::dissect::ipv4::Addr;
use crate::dissect::{Dissection, Value, Want, icmp, icmpv6, ipv4, ipv6};
use crate::tcp::{Loaded, PacketPredicate};
use rustc_hash::FxHashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Arrows a graph keeps at most: the packets after the last one are not examined
/// ([`FlowGraph::unexamined`] says how many). A million labelled arrows would hold
/// 100 MB and take seconds to label, for a graph nobody scrolls through; a display
/// filter narrows it to the part worth reading.
pub const MAX_ARROWS: usize = 100_000;

/// One packet drawn as an arrow.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowArrow {
    /// Frame number (1-based).
    pub frame: u32,
    /// Seconds after the first packet.
    pub time_secs: f64,
    /// The sender's lane.
    pub from: usize,
    /// The receiver's lane.
    pub to: usize,
    /// The protocol column (`TCP`, `DNS`, `ICMP`).
    pub protocol: String,
    /// The Info column.
    pub info: String,
}

/// Lanes and arrows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FlowGraph {
    /// The lanes in order of first appearance.
    pub lanes: Vec<Endpoint>,
    /// The arrows in frame order.
    pub arrows: Vec<FlowArrow>,
    /// Packets after the last arrow, not examined once [`MAX_ARROWS`] were drawn.
    pub unexamined: usize,
}

impl FlowGraph {
    /// The flow graph of `loaded`'s TCP, UDP and ICMP packets that `limit` keeps.
    pub fn compute(loaded: &Loaded, limit: Option<&dyn PacketPredicate>) -> FlowGraph {
        Self::compute_in_pieces(loaded, loaded.len(), limit, PIECE, MAX_ARROWS)
    }

    /// [`Self::compute`] over the first `packets` packets only: the first rows of the
    /// graph (the ones a window shows first), [`FlowGraph::unexamined`] counting the
    /// packets after them.
    pub fn compute_first(
        loaded: &Loaded,
        packets: usize,
        limit: Option<&dyn PacketPredicate>,
    ) -> FlowGraph {
        let upto = packets.min(loaded.len());
        let mut g = Self::compute_in_pieces(loaded, upto, limit, PIECE, MAX_ARROWS);
        if g.unexamined == 0 {
            g.unexamined = loaded.len() - upto;
        }
        g
    }

    /// [`Self::compute`] over the first `upto` packets in pieces of `piece` packets,
    /// drawing at most `max_arrows`.
    fn compute_in_pieces(
        loaded: &Loaded,
        upto: usize,
        limit: Option<&dyn PacketPredicate>,
        piece: usize,
        max_arrows: usize,
    ) -> FlowGraph {
        let upto = upto.min(loaded.len());
        let mut fields = taps::fields();
        for id in [
            icmp::ICMP,
            icmpv6::ICMPV6,
            ipv4::SRC,
            ipv4::DST,
            ipv6::SRC,
            ipv6::DST,
        ] {
            fields.insert(id);
        }
        if let Some(f) = limit {
            for id in f.fields().ids() {
                fields.insert(id);
            }
        }
        let first_ts = loaded.capture.record(0).map_or(0, |r| r.ts_nanos);
        // Arrows found so far by the pieces started: a piece starts after every piece
        // before it, so once they hold MAX_ARROWS the later pieces are not needed.
        let found = AtomicUsize::new(0);
        let pieces = crate::pieces::in_order(0..upto, piece, |piece| {
            let mut arrows: Vec<(usize, Endpoint, Endpoint, FlowArrow)> = Vec::new();
            if found.load(Ordering::Relaxed) >= max_arrows {
                return arrows;
            }
            let mut d = Dissection::new(Want::Fields(fields.clone()), false, true);
            let analysis = loaded.analysis();
            let mut hits: Vec<Hit> = Vec::new();
            for i in piece {
                d.clear();
                let Some(record) = loaded.dissect_into(i, None, &analysis, &mut d) else {
                    continue;
                };
                if limit.is_some_and(|f| !f.matches(&d, loaded.capture.bytes_of(&record))) {
                    continue;
                }
                hits.clear();
                taps::hits(&d, &mut hits);
                let Some((src, dst)) = ends(&d, &hits) else {
                    continue;
                };
                let arrow = FlowArrow {
                    frame: (i + 1) as u32,
                    time_secs: super::conversations::nanos_to_secs(
                        record.ts_nanos.saturating_sub(first_ts),
                    ),
                    from: 0,
                    to: 0,
                    protocol: d.columns.protocol.to_string(),
                    info: d.columns.info.clone(),
                };
                arrows.push((i, src, dst, arrow));
            }
            found.fetch_add(arrows.len(), Ordering::Relaxed);
            arrows
        });
        let mut lanes: FxHashMap<Endpoint, usize> = FxHashMap::default();
        let mut out = FlowGraph::default();
        for (i, src, dst, mut arrow) in pieces.into_iter().flatten() {
            let mut lane = |e: Endpoint| {
                *lanes.entry(e).or_insert_with(|| {
                    out.lanes.push(e);
                    out.lanes.len() - 1
                })
            };
            arrow.from = lane(src);
            arrow.to = lane(dst);
            out.arrows.push(arrow);
            if out.arrows.len() >= max_arrows {
                // The packets after the last arrow drawn.
                out.unexamined = loaded.len().saturating_sub(i + 1);
                break;
            }
        }
        out
    }
}

/// Packets per piece of the pass split across cores. Small: the pass stops at
/// [`MAX_ARROWS`], and the pieces already started when it is reached (one per core)
/// are dissected in vain (8192 a piece wasted a tenth of the pass on 1M packets).
const PIECE: usize = 2 * 1024;

/// The two sockets of a packet: its TCP or UDP ports with their addresses, or the
/// addresses of an ICMP message; `None` for other packets.
fn ends(d: &Dissection<'_>, hits: &[Hit]) -> Option<(Endpoint, Endpoint)> {
    if let Some(h) = hits
        .iter()
        .find(|h| matches!(h.kind, super::Kind::Tcp | super::Kind::Udp))
    {
        return Some((
            Endpoint {
                addr: h.src,
                port: h.ports.0,
            },
            Endpoint {
                addr: h.dst,
                port: h.ports.1,
            },
        ));
    }
    let icmp_seen = d
        .nodes
        .iter()
        .any(|n| n.field == icmp::ICMP || n.field == icmpv6::ICMPV6);
    if !icmp_seen {
        return None;
    }
    // The outermost IP header's addresses (a quoted datagram's come later).
    let mut src = None;
    for n in &d.nodes {
        match (&n.value, n.field) {
            (Value::Ipv4(a), f) if f == ipv4::SRC => src = Some(Addr::V4(*a)),
            (Value::Ipv6(a), f) if f == ipv6::SRC => src = Some(Addr::V6(*a)),
            (Value::Ipv4(a), f) if f == ipv4::DST => {
                return src.map(|s| (socket(s), socket(Addr::V4(*a))));
            }
            (Value::Ipv6(a), f) if f == ipv6::DST => {
                return src.map(|s| (socket(s), socket(Addr::V6(*a))));
            }
            _ => {}
        }
    }
    None
}

fn socket(addr: Addr) -> Endpoint {
    Endpoint {
        addr: Address::Ip(addr),
        port: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tcp_packet_of_a_clean_close_is_an_arrow_between_two_sockets() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/captures/tcp_clean_close.pcap");
        let loaded = match Loaded::open(&path) {
            Ok(l) => l,
            Err(e) => panic!("{e}"),
        };
        let g = FlowGraph::compute(&loaded, None);
        // tshark -Y "tcp or udp or icmp or icmpv6": 17 of 19 (two ARP); the lanes are
        // ::, ff02::16, two link-local hosts, ff02::2 and the two TCP sockets.
        assert_eq!(g.arrows.len(), 17);
        assert_eq!(g.lanes.len(), 7);
        assert!(g.arrows.iter().all(|a| a.from != a.to));
        // Split across cores in pieces of 3 packets: the same graph.
        assert_eq!(
            FlowGraph::compute_in_pieces(&loaded, loaded.len(), None, 3, MAX_ARROWS),
            g
        );
        // Cut after 5 arrows: the packets after the fifth are left unexamined.
        let cut = FlowGraph::compute_in_pieces(&loaded, loaded.len(), None, 3, 5);
        assert_eq!(cut.arrows.as_slice(), g.arrows.get(..5).unwrap_or_default());
        let fifth = cut.arrows.last().map_or(0, |a| a.frame as usize);
        assert_eq!(cut.unexamined, loaded.len() - fifth);
        // The first 6 packets: their arrows, the 13 after them unexamined.
        let first = FlowGraph::compute_first(&loaded, 6, None);
        let in_first = g.arrows.iter().filter(|a| a.frame <= 6).count();
        assert_eq!(
            first.arrows.as_slice(),
            g.arrows.get(..in_first).unwrap_or_default()
        );
        assert_eq!(first.unexamined, loaded.len() - 6);
    }
}
