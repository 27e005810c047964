//! Conversations (Statistics > Conversations, `tshark -z conv,...`): packets and bytes
//! each way between two addresses (and ports, for TCP and UDP), with when they
//! started and how long they lasted, counted over the whole capture or the packets a
//! display filter keeps.

use super::taps::{self, Hit};
use crate::capture::PacketRecord;
use crate::dissect::ethernet::mac_name;
use crate::dissect::ipv4::Addr;
use crate::dissect::{Dissection, Want};
use crate::tcp::{Loaded, PacketPredicate};
use rustc_hash::FxHashMap;
use std::ops::Range;

/// Packets a thread takes at a time.
const PIECE: usize = 16 * 1024;

/// The tables tshark and Wireshark offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Ethernet addresses.
    Ethernet,
    /// IPv4 addresses.
    Ipv4,
    /// IPv6 addresses.
    Ipv6,
    /// TCP sockets (one row per `tcp.stream`).
    Tcp,
    /// UDP sockets.
    Udp,
}

impl Kind {
    /// Every kind, in the order of Wireshark's tabs.
    pub const ALL: [Kind; 5] = [Kind::Ethernet, Kind::Ipv4, Kind::Ipv6, Kind::Tcp, Kind::Udp];

    /// The name tshark's `-z conv,NAME` takes.
    pub fn tshark_name(self) -> &'static str {
        match self {
            Kind::Ethernet => "eth",
            Kind::Ipv4 => "ip",
            Kind::Ipv6 => "ipv6",
            Kind::Tcp => "tcp",
            Kind::Udp => "udp",
        }
    }

    /// The kind `-z conv,NAME` names.
    pub fn from_tshark_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.tshark_name() == name)
    }

    /// The table's title (`IPv4`, `TCP`, ...).
    pub fn title(self) -> &'static str {
        match self {
            Kind::Ethernet => "Ethernet",
            Kind::Ipv4 => "IPv4",
            Kind::Ipv6 => "IPv6",
            Kind::Tcp => "TCP",
            Kind::Udp => "UDP",
        }
    }

    /// Whether its endpoints have ports.
    pub fn has_ports(self) -> bool {
        matches!(self, Kind::Tcp | Kind::Udp)
    }

    fn slot(self) -> usize {
        match self {
            Kind::Ethernet => 0,
            Kind::Ipv4 => 1,
            Kind::Ipv6 => 2,
            Kind::Tcp => 3,
            Kind::Udp => 4,
        }
    }
}

/// An address of a conversation's endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Address {
    /// A MAC address.
    Ether([u8; 6]),
    /// An IPv4 or IPv6 address.
    Ip(Addr),
}

impl Address {
    /// The address as tshark's tables print it (well-known MAC names resolved).
    pub fn text(&self) -> String {
        match self {
            Address::Ether(a) => mac_name(a),
            Address::Ip(a) => a.text(),
        }
    }

    /// The address with no name resolved (tshark `-n`).
    pub fn numeric_text(&self) -> String {
        match self {
            Address::Ether(a) => crate::dissect::value::ether_text(a),
            Address::Ip(a) => a.text(),
        }
    }

    /// [`Address::numeric_text`] when `numeric`, else [`Address::text`].
    pub fn text_as(&self, numeric: bool) -> String {
        if numeric {
            self.numeric_text()
        } else {
            self.text()
        }
    }
}

/// One end of a conversation: an address and, for TCP and UDP, a port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Endpoint {
    /// The address.
    pub addr: Address,
    /// The port (0 for tables without ports).
    pub port: u16,
}

/// One row of a conversation table.
#[derive(Debug, Clone, PartialEq)]
pub struct Conversation {
    /// The sender of the conversation's first packet.
    pub a: Endpoint,
    /// The other end.
    pub b: Endpoint,
    /// `tcp.stream` of a TCP conversation (0 otherwise).
    pub stream: u32,
    /// Packets from A to B.
    pub frames_ab: u64,
    /// Bytes on the wire from A to B.
    pub bytes_ab: u64,
    /// Packets from B to A.
    pub frames_ba: u64,
    /// Bytes on the wire from B to A.
    pub bytes_ba: u64,
    /// Earliest packet time, nanoseconds after the capture's first packet.
    pub start_rel_nanos: i64,
    /// Latest packet time, nanoseconds after the capture's first packet.
    pub end_rel_nanos: i64,
    /// The first packet's frame number.
    pub first_frame: u32,
    /// The last packet's frame number.
    pub last_frame: u32,
    /// Which header of its first frame made it (outer first): orders endpoints first
    /// seen in the same frame.
    pub first_layer: u16,
}

impl Conversation {
    /// Packets both ways.
    pub fn frames(&self) -> u64 {
        self.frames_ab.saturating_add(self.frames_ba)
    }

    /// Bytes both ways.
    pub fn bytes(&self) -> u64 {
        self.bytes_ab.saturating_add(self.bytes_ba)
    }

    /// Start and end in seconds after the first packet, as tshark computes them
    /// (each time a double, the duration their difference).
    pub fn start_secs(&self) -> f64 {
        nanos_to_secs(self.start_rel_nanos)
    }

    /// Duration in seconds, as tshark computes it.
    pub fn duration_secs(&self) -> f64 {
        nanos_to_secs(self.end_rel_nanos) - nanos_to_secs(self.start_rel_nanos)
    }

    /// Bits per second from A to B over the conversation's duration (`None` when it
    /// lasted no time, where Wireshark shows N/A).
    pub fn bits_per_sec_ab(&self) -> Option<f64> {
        bits_per_sec(self.bytes_ab, self.duration_secs())
    }

    /// Bits per second from B to A.
    pub fn bits_per_sec_ba(&self) -> Option<f64> {
        bits_per_sec(self.bytes_ba, self.duration_secs())
    }

    fn add(&mut self, forward: bool, bytes: u64, rel_nanos: i64, frame: u32) {
        if forward {
            self.frames_ab = self.frames_ab.saturating_add(1);
            self.bytes_ab = self.bytes_ab.saturating_add(bytes);
        } else {
            self.frames_ba = self.frames_ba.saturating_add(1);
            self.bytes_ba = self.bytes_ba.saturating_add(bytes);
        }
        self.start_rel_nanos = self.start_rel_nanos.min(rel_nanos);
        self.end_rel_nanos = self.end_rel_nanos.max(rel_nanos);
        self.first_frame = self.first_frame.min(frame);
        self.last_frame = self.last_frame.max(frame);
    }
}

/// Seconds as tshark's `nstime_to_sec` gives them: whole seconds plus the fraction.
pub fn nanos_to_secs(nanos: i64) -> f64 {
    let secs = nanos / 1_000_000_000;
    let frac = nanos % 1_000_000_000;
    secs as f64 + frac as f64 / 1e9
}

fn bits_per_sec(bytes: u64, secs: f64) -> Option<f64> {
    (secs > 0.0).then(|| bytes as f64 * 8.0 / secs)
}

type Key = (Endpoint, Endpoint, u32);

/// The conversations of one kind, in order of first appearance.
#[derive(Debug, Clone, Default)]
pub struct ConversationTable {
    /// Rows in order of their first packet.
    pub rows: Vec<Conversation>,
    index: FxHashMap<Key, usize>,
    /// The key and row of the last packet counted: the next packet is usually of the
    /// same conversation (a transfer, its ACKs), found without hashing.
    last: Option<(Key, usize)>,
}

impl ConversationTable {
    /// The rows as tshark prints them: most packets first, ties in order of
    /// appearance.
    pub fn by_frames(&self) -> Vec<&Conversation> {
        let mut rows: Vec<&Conversation> = self.rows.iter().collect();
        rows.sort_by_key(|c| std::cmp::Reverse(c.frames()));
        rows
    }

    fn count(&mut self, hit: &Hit, layer: u16, bytes: u64, rel_nanos: i64, frame: u32) {
        let src = Endpoint {
            addr: hit.src,
            port: hit.ports.0,
        };
        let dst = Endpoint {
            addr: hit.dst,
            port: hit.ports.1,
        };
        let found = match self.last {
            Some(((a, b, stream), i)) if stream == hit.stream && a == src && b == dst => {
                Some((i, true))
            }
            Some(((a, b, stream), i)) if stream == hit.stream && a == dst && b == src => {
                Some((i, false))
            }
            _ => None,
        };
        let found = found.or_else(|| {
            let forward = self.index.get(&(src, dst, hit.stream)).map(|&i| (i, true));
            let found =
                forward.or_else(|| self.index.get(&(dst, src, hit.stream)).map(|&i| (i, false)))?;
            let key = if found.1 {
                (src, dst, hit.stream)
            } else {
                (dst, src, hit.stream)
            };
            self.last = Some((key, found.0));
            Some(found)
        });
        if let Some((i, forward)) = found {
            if let Some(c) = self.rows.get_mut(i) {
                c.add(forward, bytes, rel_nanos, frame);
            }
        } else {
            self.last = Some(((src, dst, hit.stream), self.rows.len()));
            self.index.insert((src, dst, hit.stream), self.rows.len());
            self.rows.push(Conversation {
                a: src,
                b: dst,
                stream: hit.stream,
                frames_ab: 1,
                bytes_ab: bytes,
                frames_ba: 0,
                bytes_ba: 0,
                start_rel_nanos: rel_nanos,
                end_rel_nanos: rel_nanos,
                first_frame: frame,
                last_frame: frame,
                first_layer: layer,
            });
        }
    }

    /// Adds the rows of `later`, counted over later packets of the same capture.
    fn merge(&mut self, later: ConversationTable) {
        for row in later.rows {
            let forward = self.index.get(&(row.a, row.b, row.stream)).copied();
            let backward = self.index.get(&(row.b, row.a, row.stream)).copied();
            let (i, same_way) = match (forward, backward) {
                (Some(i), _) => (i, true),
                (None, Some(i)) => (i, false),
                (None, None) => {
                    self.index
                        .insert((row.a, row.b, row.stream), self.rows.len());
                    self.rows.push(row);
                    continue;
                }
            };
            if let Some(c) = self.rows.get_mut(i) {
                let (fab, bab, fba, bba) = if same_way {
                    (row.frames_ab, row.bytes_ab, row.frames_ba, row.bytes_ba)
                } else {
                    (row.frames_ba, row.bytes_ba, row.frames_ab, row.bytes_ab)
                };
                c.frames_ab = c.frames_ab.saturating_add(fab);
                c.bytes_ab = c.bytes_ab.saturating_add(bab);
                c.frames_ba = c.frames_ba.saturating_add(fba);
                c.bytes_ba = c.bytes_ba.saturating_add(bba);
                c.start_rel_nanos = c.start_rel_nanos.min(row.start_rel_nanos);
                c.end_rel_nanos = c.end_rel_nanos.max(row.end_rel_nanos);
                c.first_frame = c.first_frame.min(row.first_frame);
                c.last_frame = c.last_frame.max(row.last_frame);
            }
        }
    }
}

/// The conversation tables of the kinds asked for, computed in one pass.
#[derive(Debug, Clone, Default)]
pub struct Traffic {
    tables: [Option<ConversationTable>; 5],
}

impl Traffic {
    /// Counts `kinds` over the packets of `loaded` that `limit` keeps (all without
    /// one). Each packet is dissected for its addresses and ports only; a long
    /// capture is split across the machine's cores.
    pub fn compute(
        loaded: &Loaded,
        kinds: &[Kind],
        limit: Option<&dyn PacketPredicate>,
    ) -> Traffic {
        Self::compute_first(loaded, loaded.len(), kinds, limit)
    }

    /// [`Traffic::compute`] over the first `packets` packets only (a window's first
    /// look at a long capture).
    pub fn compute_first(
        loaded: &Loaded,
        packets: usize,
        kinds: &[Kind],
        limit: Option<&dyn PacketPredicate>,
    ) -> Traffic {
        let upto = packets.min(loaded.len());
        let parts = crate::pieces::in_order(0..upto, PIECE, |piece| {
            Self::count_range(loaded, kinds, limit, piece)
        });
        let mut total = Traffic::default();
        for kind in kinds {
            if let Some(slot) = total.tables.get_mut(kind.slot()) {
                *slot = Some(ConversationTable::default());
            }
        }
        for part in parts {
            total.merge(part);
        }
        total
    }

    /// The table of `kind`, if it was asked for.
    pub fn table(&self, kind: Kind) -> Option<&ConversationTable> {
        self.tables.get(kind.slot()).and_then(Option::as_ref)
    }

    fn merge(&mut self, later: Traffic) {
        for (ours, theirs) in self.tables.iter_mut().zip(later.tables) {
            match (ours.as_mut(), theirs) {
                (Some(o), Some(t)) => o.merge(t),
                (None, Some(t)) => *ours = Some(t),
                _ => {}
            }
        }
    }

    fn count_range(
        loaded: &Loaded,
        kinds: &[Kind],
        limit: Option<&dyn PacketPredicate>,
        range: Range<usize>,
    ) -> Traffic {
        let mut part = Traffic::default();
        for kind in kinds {
            if let Some(slot) = part.tables.get_mut(kind.slot()) {
                *slot = Some(ConversationTable::default());
            }
        }
        let analysis = loaded.analysis();
        let mut d: Dissection<'_> = Dissection::new(Want::Fields(taps::fields()), false, false);
        let mut fd: Option<Dissection<'_>> = limit.map(|f| f.dissection());
        let first_ts = loaded.capture.record(0).map_or(0, |r| r.ts_nanos);
        let mut hits = Vec::new();
        for i in range {
            hits.clear();
            // A plain TCP segment's hits come from its headers (see
            // `taps::plain_tcp_hits`); only the rest is dissected again.
            let plain = match (limit, loaded.capture.packet(i)) {
                (None, Some((record, bytes))) => {
                    let link = loaded.capture.interface_of(&record).link_type;
                    taps::plain_tcp_hits(link, bytes, record.stream, &mut hits).then_some(record)
                }
                _ => None,
            };
            if let Some(record) = plain {
                part.count_hits(&hits, &record, first_ts, i);
                continue;
            }
            if let (Some(filter), Some(fd)) = (limit, fd.as_mut()) {
                fd.clear();
                let kept = loaded
                    .dissect_into(i, None, &analysis, fd)
                    .is_some_and(|r| filter.matches(fd, loaded.capture.bytes_of(&r)));
                if !kept {
                    continue;
                }
            }
            d.clear();
            let Some(record) = loaded.dissect_into(i, None, &analysis, &mut d) else {
                continue;
            };
            taps::hits(&d, &mut hits);
            part.count_hits(&hits, &record, first_ts, i);
        }
        part
    }

    /// Counts the hits of packet `i` (0-based) in the tables asked for.
    fn count_hits(&mut self, hits: &[Hit], record: &PacketRecord, first_ts: i64, i: usize) {
        let rel = record.ts_nanos.saturating_sub(first_ts);
        let bytes = u64::from(record.orig_len);
        let frame = u32::try_from(i + 1).unwrap_or(u32::MAX);
        for (layer, hit) in hits.iter().enumerate() {
            if let Some(Some(table)) = self.tables.get_mut(hit.kind.slot()) {
                let layer = u16::try_from(layer).unwrap_or(u16::MAX);
                table.count(hit, layer, bytes, rel, frame);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::EndpointTable;

    fn v4(last: u8) -> Address {
        Address::Ip(Addr::V4([10, 0, 0, last]))
    }

    fn tcp(src: u8, sport: u16, dst: u8, dport: u16, stream: u32) -> Hit {
        Hit {
            kind: Kind::Tcp,
            src: v4(src),
            dst: v4(dst),
            ports: (sport, dport),
            stream,
        }
    }

    #[test]
    fn both_directions_meet_in_one_row_and_a_reused_port_is_another() {
        let mut t = ConversationTable::default();
        t.count(&tcp(1, 40000, 2, 80, 0), 0, 60, 0, 1);
        t.count(&tcp(2, 80, 1, 40000, 0), 0, 1500, 2_000_000, 2);
        t.count(&tcp(1, 40000, 2, 80, 1), 0, 60, 3_000_000, 3);
        assert_eq!(t.rows.len(), 2);
        let c = &t.rows[0];
        assert_eq!(
            (c.frames_ab, c.bytes_ab, c.frames_ba, c.bytes_ba),
            (1, 60, 1, 1500)
        );
        assert_eq!((c.first_frame, c.last_frame), (1, 2));
        assert_eq!(c.duration_secs(), 0.002);
        assert_eq!(c.bits_per_sec_ba(), Some(1500.0 * 8.0 / 0.002));
        assert_eq!(t.rows[1].stream, 1);
    }

    #[test]
    fn merging_pieces_keeps_first_appearance_and_directions() {
        let mut one = ConversationTable::default();
        one.count(&tcp(1, 40000, 2, 80, 0), 0, 60, 0, 1);
        let mut two = ConversationTable::default();
        two.count(&tcp(3, 5000, 2, 80, 1), 0, 70, 5, 2);
        two.count(&tcp(2, 80, 1, 40000, 0), 0, 100, 6, 3);
        one.merge(two);
        assert_eq!(one.rows.len(), 2);
        assert_eq!((one.rows[0].frames_ab, one.rows[0].frames_ba), (1, 1));
        assert_eq!(one.rows[0].bytes_ba, 100);
        assert_eq!(one.rows[1].first_frame, 2);
        // Most packets first, ties in order of appearance.
        let order: Vec<u32> = one.by_frames().iter().map(|c| c.first_frame).collect();
        assert_eq!(order, vec![1, 2]);
    }

    #[test]
    fn endpoints_sum_their_conversations_in_order_of_appearance() {
        let mut t = ConversationTable::default();
        t.count(&tcp(1, 40000, 2, 80, 0), 0, 60, 0, 1);
        t.count(&tcp(3, 5000, 2, 80, 1), 0, 70, 5, 2);
        t.count(&tcp(2, 80, 1, 40000, 0), 0, 100, 6, 3);
        let e = EndpointTable::from_conversations(&t);
        let ports: Vec<u16> = e.rows.iter().map(|r| r.endpoint.port).collect();
        assert_eq!(ports, vec![40000, 80, 5000]);
        let server = &e.rows[1];
        assert_eq!((server.tx_frames, server.tx_bytes), (1, 100));
        assert_eq!((server.rx_frames, server.rx_bytes), (2, 130));
        assert_eq!(e.by_frames()[0].endpoint.port, 80);
    }

    #[test]
    fn seconds_are_whole_plus_fraction() {
        assert_eq!(nanos_to_secs(1_500_000_000), 1.5);
        assert_eq!(nanos_to_secs(-1_500_000_000), -1.5);
    }
}
