//! QUIC connections as tshark 4.0's single pass tracks them without keys: which UDP
//! datagrams QUIC takes (its heuristic: a long header of a known version, or a short
//! header whose Destination Connection ID names a known connection; then the whole UDP
//! conversation is QUIC's), and for each datagram its connection, the side that sent
//! it and the connection IDs the long headers established (a short header's DCID is as
//! long as the receiver's first ID; Initial keys derive from the client's first DCID).
//!
//! The load pass keeps the connections (at most [`MAX_CONNECTIONS`], then new ones are
//! not tracked) and records each QUIC datagram's view; the finished analysis answers
//! from the record.

use super::results::Sparse;
use crate::dissect::context::{QuicConn, QuicDatagram, UdpKey};
use crate::dissect::ipv4::Addr;
use crate::dissect::quic::draft_version;
use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::Arc;

/// Most connections tracked in one pass.
pub const MAX_CONNECTIONS: usize = 1 << 16;
/// Most UDP conversations remembered as QUIC's.
const MAX_CONVERSATIONS: usize = 1 << 20;
/// Longest connection ID (RFC 9000 section 17.2).
const MAX_CID: usize = 20;

/// The keys an Initial of a connection derives from: the client's first DCID and the
/// connection's version.
pub type InitialKeys = (Arc<[u8]>, u32);

/// One QUIC datagram's view as recorded (12 bytes): whether its connection is known,
/// which side sent it and whether it is the connection's first short header, the two
/// sides' first ID lengths, its Initial keys (an index into [`QuicRecords::keys`],
/// `u32::MAX` for none) and its connection's number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuicRecord {
    flags: u8,
    client_cid_len: u8,
    server_cid_len: u8,
    keys: u32,
    number: u32,
}

/// `QuicRecord::flags`: the datagram belongs to a known connection.
const KNOWN: u8 = 1;
/// `QuicRecord::flags`: the server sent it.
const FROM_SERVER: u8 = 2;
/// `QuicRecord::flags`: the connection's first datagram with a short header.
const FIRST_SHORT: u8 = 4;

/// Each QUIC datagram's view by frame, and the Initial keys the views name.
#[derive(Debug, Clone, Default)]
pub struct QuicRecords {
    frames: Sparse<QuicRecord>,
    /// Every set of Initial keys a connection took, in the order taken.
    keys: Vec<InitialKeys>,
    /// Frames with an Initial CRYPTO frame whose bytes were delivered before, and
    /// that frame's offset.
    reused: Sparse<u64>,
}

impl QuicRecords {
    /// The view of `frame`, when QUIC took it.
    pub fn get(&self, frame: u32) -> Option<QuicDatagram> {
        let r = self.frames.get(frame)?;
        let conn = (r.flags & KNOWN != 0).then(|| {
            let keys = self.keys.get(r.keys as usize);
            QuicConn {
                from_server: r.flags & FROM_SERVER != 0,
                client_cid_len: r.client_cid_len,
                server_cid_len: r.server_cid_len,
                initial_dcid: keys.map(|k| k.0.clone()),
                version: keys.map_or(0, |k| k.1),
                number: r.number,
                first_short: r.flags & FIRST_SHORT != 0,
            }
        });
        Some(QuicDatagram { conn })
    }

    /// Whether `frame`'s Initial CRYPTO frame at `offset` repeats delivered bytes.
    pub fn crypto_reused(&self, frame: u32, offset: u64) -> bool {
        self.reused.get(frame) == Some(&offset)
    }

    /// Records `frame`'s view (`keys`: the index of its Initial keys).
    fn insert(&mut self, frame: u32, seen: &QuicDatagram, keys: Option<u32>) {
        let record = match &seen.conn {
            Some(c) => QuicRecord {
                flags: KNOWN
                    | if c.from_server { FROM_SERVER } else { 0 }
                    | if c.first_short { FIRST_SHORT } else { 0 },
                client_cid_len: c.client_cid_len,
                server_cid_len: c.server_cid_len,
                keys: keys.unwrap_or(u32::MAX),
                number: c.number,
            },
            None => QuicRecord {
                flags: 0,
                client_cid_len: 0,
                server_cid_len: 0,
                keys: u32::MAX,
                number: 0,
            },
        };
        if self.frames.last_frame() != Some(frame) {
            self.frames.insert(frame, record);
        }
    }

    /// The records of two partitions' passes (disjoint frames), in frame order. Each
    /// pass numbered its own connections; they are numbered again in the order of
    /// their first datagrams, as one pass would have.
    pub fn merge(a: QuicRecords, b: QuicRecords) -> QuicRecords {
        let (firsts_a, firsts_b) = (a.first_frames(), b.first_frames());
        let (mut new_a, mut new_b) = (vec![0u32; firsts_a.len()], vec![0u32; firsts_b.len()]);
        let (mut i, mut j, mut next) = (0usize, 0usize, 0u32);
        while i < firsts_a.len() || j < firsts_b.len() {
            let take_a = match (firsts_a.get(i), firsts_b.get(j)) {
                (Some(fa), Some(fb)) => fa <= fb,
                (a, _) => a.is_some(),
            };
            let (slot, at) = if take_a {
                (&mut new_a, &mut i)
            } else {
                (&mut new_b, &mut j)
            };
            if let Some(n) = slot.get_mut(*at) {
                *n = next;
            }
            *at += 1;
            next = next.saturating_add(1);
        }
        let renumber = |map: &[u32], mut r: QuicRecord| {
            if r.flags & KNOWN != 0 {
                r.number = map.get(r.number as usize).copied().unwrap_or(r.number);
            }
            r
        };
        let shift = u32::try_from(a.keys.len()).unwrap_or(u32::MAX);
        let a_frames = a.frames.map(|r| renumber(&new_a, r));
        let b_frames = b.frames.map(|r| {
            let mut r = renumber(&new_b, r);
            if r.keys != u32::MAX {
                r.keys = r.keys.saturating_add(shift);
            }
            r
        });
        let mut keys = a.keys;
        keys.extend(b.keys);
        QuicRecords {
            frames: Sparse::merge(a_frames, b_frames),
            keys,
            reused: Sparse::merge(a.reused, b.reused),
        }
    }

    /// The first frame of each connection these records number (0, 1, 2, … in the
    /// order they came).
    fn first_frames(&self) -> Vec<u32> {
        let mut firsts: Vec<u32> = Vec::new();
        for (frame, r) in self.frames.iter() {
            if r.flags & KNOWN != 0 && r.number as usize == firsts.len() {
                firsts.push(frame);
            }
        }
        firsts
    }
}

/// A connection ID (up to 20 bytes; the unused tail is zero).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
struct Cid {
    len: u8,
    bytes: [u8; MAX_CID],
}

impl Cid {
    /// The ID `b`, or the empty ID when `b` is longer than any ID may be.
    fn of(b: &[u8]) -> Cid {
        let mut cid = Cid::default();
        if let (Some(dst), Ok(len)) = (cid.bytes.get_mut(..b.len()), u8::try_from(b.len())) {
            dst.copy_from_slice(b);
            cid.len = len;
        }
        cid
    }

    fn as_slice(&self) -> &[u8] {
        self.bytes.get(..usize::from(self.len)).unwrap_or(&[])
    }

    /// This ID cut to `len` bytes.
    fn cut(&self, len: u8) -> Cid {
        Cid::of(self.as_slice().get(..usize::from(len)).unwrap_or(&[]))
    }

    /// Whether `raw` (a short header's bytes after the first) starts with this ID; an
    /// empty ID matches anything, as in tshark.
    fn prefix_of(&self, raw: &Cid) -> bool {
        raw.as_slice().starts_with(self.as_slice())
    }
}

/// The packet types tshark's tracking tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Initial,
    ZeroRtt,
    Handshake,
    Retry,
    VersionNegotiation,
    Short,
}

/// The long packet type of `first` in `version` (version 2 numbers them differently).
fn long_kind(first: u8, version: u32) -> Kind {
    let bits = (first >> 4) & 3;
    let v2 = version == 0x6b33_43cf;
    match (v2, bits) {
        (false, 0) | (true, 1) => Kind::Initial,
        (false, 1) | (true, 2) => Kind::ZeroRtt,
        (false, 2) | (true, 3) => Kind::Handshake,
        _ => Kind::Retry,
    }
}

/// The first packet's type, DCID and SCID (a short header: up to 20 bytes of DCID).
fn extract(payload: &[u8]) -> Option<(Kind, u32, Cid, Cid)> {
    let first = *payload.first()?;
    if first & 0x80 == 0 {
        let raw = payload.get(1..).unwrap_or(&[]);
        let dcid = Cid::of(raw.get(..MAX_CID).unwrap_or(raw));
        return Some((Kind::Short, 0, dcid, Cid::default()));
    }
    let v = crate::wire::QuicLongView::new(payload).ok()?;
    let kind = match v.version() {
        0 => Kind::VersionNegotiation,
        version => long_kind(first, version),
    };
    Some((kind, v.version(), Cid::of(v.dcid().1), Cid::of(v.scid().1)))
}

/// tshark's UDP heuristic for a long header: a known version and connection ID
/// lengths of at most 20, the SCID length inside the datagram.
fn long_heuristic(payload: &[u8]) -> bool {
    if payload.len() < 13 {
        return false;
    }
    let Some(version) = crate::bytes::be_u32(payload, 1) else {
        return false;
    };
    if draft_version(version) < 11 {
        return false;
    }
    let Some(dcil) = payload.get(5).map(|b| usize::from(*b)) else {
        return false;
    };
    if dcil > MAX_CID {
        return false;
    }
    matches!(payload.get(6 + dcil), Some(scil) if usize::from(*scil) <= MAX_CID)
}

/// One connection (tshark's `quic_info_data_t`, the parts that show without keys).
#[derive(Debug, Default)]
struct Conn {
    server: (Option<Addr>, u16),
    /// The client's first SCID.
    client_cid: Cid,
    /// The server's first SCID (from its first Initial, Retry or Handshake).
    server_cid: Cid,
    /// The DCID of the client's first Initial (cleared by a Retry).
    client_dcid_initial: Cid,
    client_dcid_set: bool,
    /// The DCID the Initial keys were last derived from.
    keys_dcid: Option<Arc<[u8]>>,
    /// The version the Initial keys follow.
    version: u32,
    /// Where the current (DCID, version) stands in the records' key table.
    keys_index: Option<u32>,
    /// A short header came: tshark has given up decrypting the connection.
    short_seen: bool,
}

/// The load pass's QUIC connections.
#[derive(Debug, Default)]
pub struct QuicTracker {
    conns: Vec<Conn>,
    client_cids: FxHashMap<Cid, usize>,
    server_cids: FxHashMap<Cid, usize>,
    initial: FxHashMap<Cid, usize>,
    /// The connection last created on each UDP conversation.
    by_conversation: FxHashMap<UdpKey, usize>,
    /// Conversations QUIC's heuristic took.
    quic_conversations: FxHashSet<UdpKey>,
    /// Bit n: some connection ID of n bytes is known.
    cid_lengths: u32,
    /// Per connection and sender, how far its Initial CRYPTO stream was delivered.
    crypto_delivered: FxHashMap<(u32, bool), u64>,
}

impl QuicTracker {
    /// The datagram from `src` to `dst` with UDP payload `payload`: QUIC's view of it,
    /// or `None` when QUIC does not take it. Before the port table (`heuristic`
    /// false) only a conversation QUIC already took counts; after it, the heuristic.
    pub fn datagram(
        &mut self,
        src: (Addr, u16),
        dst: (Addr, u16),
        payload: &[u8],
        heuristic: bool,
    ) -> Option<QuicDatagram> {
        self.datagram_in(src, dst, payload, heuristic, None)
    }

    /// [`QuicTracker::datagram`], recording the view of `frame` in `records` (the
    /// load pass).
    pub fn record(
        &mut self,
        (frame, records): (u32, &mut QuicRecords),
        src: (Addr, u16),
        dst: (Addr, u16),
        payload: &[u8],
        heuristic: bool,
    ) -> Option<QuicDatagram> {
        self.datagram_in(src, dst, payload, heuristic, Some((frame, records)))
    }

    fn datagram_in(
        &mut self,
        src: (Addr, u16),
        dst: (Addr, u16),
        payload: &[u8],
        heuristic: bool,
        mut records: Option<(u32, &mut QuicRecords)>,
    ) -> Option<QuicDatagram> {
        let conv = UdpKey::new(src, dst);
        if !self.quic_conversations.contains(&conv) {
            if !heuristic || !self.heuristic(&conv, src, payload) {
                return None;
            }
            if self.quic_conversations.len() < MAX_CONVERSATIONS {
                self.quic_conversations.insert(conv);
            }
        }
        let Some((kind, version, dcid, scid)) = extract(payload) else {
            let seen = QuicDatagram { conn: None };
            if let Some((frame, records)) = records {
                records.insert(frame, &seen, None);
            }
            return Some(seen);
        };
        let found = self.find(&conv, src, kind, dcid);
        let found = self.create_or_update(found, &conv, dst, (kind, version), scid, dcid);
        let mut keys = None;
        let conn = found.and_then(|(i, from_server)| {
            let c = self.conns.get_mut(i)?;
            if let Some((_, records)) = records.as_mut()
                && let Some(dcid) = &c.keys_dcid
            {
                // A new (DCID, version) pair goes to the records' key table once.
                let current = c.keys_index.and_then(|k| records.keys.get(k as usize));
                if current.is_none_or(|(d, v)| d != dcid || *v != c.version) {
                    c.keys_index = u32::try_from(records.keys.len()).ok();
                    records.keys.push((dcid.clone(), c.version));
                }
                keys = c.keys_index;
            }
            let first_short = kind == Kind::Short && !c.short_seen;
            c.short_seen |= kind == Kind::Short;
            Some(QuicConn {
                from_server,
                client_cid_len: c.client_cid.len,
                server_cid_len: c.server_cid.len,
                initial_dcid: c.keys_dcid.clone(),
                version: c.version,
                number: u32::try_from(i).unwrap_or(u32::MAX),
                first_short,
            })
        });
        let seen = QuicDatagram { conn };
        if let Some((frame, records)) = records {
            records.insert(frame, &seen, keys);
        }
        Some(seen)
    }

    /// A CRYPTO frame of an Initial of connection `conn` from the server when
    /// `from_server`: whether all its bytes were delivered before (recorded for
    /// `frame`); otherwise it delivers them when it continues the stream.
    pub fn crypto(
        &mut self,
        (frame, records): (u32, &mut QuicRecords),
        (conn, from_server): (u32, bool),
        offset: u64,
        len: u64,
    ) -> bool {
        let delivered = self
            .crypto_delivered
            .entry((conn, from_server))
            .or_insert(0);
        let end = offset.saturating_add(len);
        if len > 0 && end <= *delivered {
            if records.reused.last_frame() != Some(frame) {
                records.reused.insert(frame, offset);
            }
            return true;
        }
        if offset <= *delivered {
            *delivered = end;
        }
        false
    }

    /// tshark's heuristic: a long header of a known version, or a short header whose
    /// DCID names a known connection.
    fn heuristic(&self, conv: &UdpKey, src: (Addr, u16), payload: &[u8]) -> bool {
        match payload.first() {
            Some(b) if b & 0x80 != 0 => long_heuristic(payload),
            Some(_) => {
                if self.cid_lengths == 0 || payload.len() < 1 + 1 + 1 + 16 {
                    return false;
                }
                let len = (payload.len() - 18).min(MAX_CID);
                let dcid = Cid::of(payload.get(1..1 + len).unwrap_or(&[]));
                self.find(conv, src, Kind::Short, dcid).is_some()
            }
            None => false,
        }
    }

    fn known_length(&self, len: u8) -> bool {
        self.cid_lengths & (1u32 << len.min(31)) != 0
    }

    /// The connection a DCID names (and whether the server sent it), or with an empty
    /// DCID the connection of the UDP conversation.
    fn find_dcid(
        &self,
        conv: &UdpKey,
        src: (Addr, u16),
        dcid: Option<Cid>,
    ) -> Option<(usize, bool)> {
        match dcid.filter(|d| d.len > 0) {
            Some(dcid) => {
                if !self.known_length(dcid.len) {
                    return None;
                }
                if let Some(&i) = self.client_cids.get(&dcid) {
                    // Both sides chose the same ID: the ports tell.
                    let from_server = if self.server_cids.contains_key(&dcid) {
                        self.is_server(i, src)
                    } else {
                        true
                    };
                    return Some((i, from_server));
                }
                self.server_cids.get(&dcid).map(|&i| (i, false))
            }
            None => {
                let &i = self.by_conversation.get(conv)?;
                Some((i, self.is_server(i, src)))
            }
        }
    }

    fn is_server(&self, i: usize, src: (Addr, u16)) -> bool {
        self.conns
            .get(i)
            .is_some_and(|c| c.server == (Some(src.0), src.1))
    }

    /// tshark's `quic_connection_find`.
    fn find(
        &self,
        conv: &UdpKey,
        src: (Addr, u16),
        kind: Kind,
        dcid: Cid,
    ) -> Option<(usize, bool)> {
        let mut found = if kind == Kind::ZeroRtt && dcid.len > 0 {
            self.initial.get(&dcid).map(|&i| (i, false))
        } else {
            let found = self.find_dcid(conv, src, Some(dcid));
            match found {
                Some((i, false)) if kind == Kind::Initial && dcid.len > 0 => {
                    let c = self.conns.get(i)?;
                    // A client Initial that neither repeats the first DCID nor uses
                    // the server's ID starts afresh (after Version Negotiation).
                    (c.client_dcid_initial == dcid || c.server_cid.prefix_of(&dcid))
                        .then_some((i, false))
                }
                // A second client Initial before the server answered (a ClientHello
                // over several packets) is known by the first DCID.
                None if kind == Kind::Initial && dcid.len > 0 => {
                    self.initial.get(&dcid).map(|&i| (i, false))
                }
                other => other,
            }
        };
        if kind == Kind::Short && found.is_none() {
            found = self.find_dcid(conv, src, None).filter(|&(i, from_server)| {
                self.conns.get(i).is_some_and(|c| {
                    let peer = if from_server {
                        &c.client_cid
                    } else {
                        &c.server_cid
                    };
                    peer.prefix_of(&dcid)
                })
            });
            // Perhaps a migrated connection: try each shorter known length.
            let mut len = dcid.len;
            while found.is_none() && len > 1 {
                len -= 1;
                if self.known_length(len) {
                    found = self.find_dcid(conv, src, Some(dcid.cut(len)));
                }
            }
        }
        found
    }

    fn insert_cid(&mut self, cid: Cid, i: usize, from_server: bool) {
        let map = if from_server {
            &mut self.server_cids
        } else {
            &mut self.client_cids
        };
        map.insert(cid, i);
        self.cid_lengths |= 1u32 << cid.len.min(31);
    }

    /// tshark's `quic_connection_create_or_update`.
    fn create_or_update(
        &mut self,
        found: Option<(usize, bool)>,
        conv: &UdpKey,
        dst: (Addr, u16),
        (kind, version): (Kind, u32),
        scid: Cid,
        dcid: Cid,
    ) -> Option<(usize, bool)> {
        match (kind, found) {
            (Kind::Initial, None) => {
                if self.conns.len() >= MAX_CONNECTIONS {
                    return None;
                }
                let i = self.conns.len();
                self.conns.push(Conn {
                    server: (Some(dst.0), dst.1),
                    version,
                    ..Conn::default()
                });
                self.by_conversation.insert(*conv, i);
                self.update_initial(i, scid, dcid);
                return Some((i, false));
            }
            (Kind::Initial, Some((i, false))) => {
                let retried = self.conns.get(i).is_some_and(|c| !c.client_dcid_set);
                if retried && dcid.len > 0 {
                    self.update_initial(i, scid, dcid);
                    if let Some(c) = self.conns.get_mut(i) {
                        let old = std::mem::take(&mut c.server_cid);
                        self.server_cids.remove(&old);
                    }
                }
            }
            (Kind::Initial | Kind::Retry | Kind::Handshake, Some((i, true))) => {
                let Some(c) = self.conns.get_mut(i) else {
                    return found;
                };
                // The server answers in another version (compatible version
                // negotiation): the Initial keys follow it.
                if kind == Kind::Initial && c.version != version {
                    c.version = version;
                }
                if kind == Kind::Retry {
                    let old = std::mem::take(&mut c.client_dcid_initial);
                    c.client_dcid_set = false;
                    self.initial.remove(&old);
                }
                if c.server_cid.len == 0 && scid.len > 0 {
                    c.server_cid = scid;
                    self.insert_cid(scid, i, true);
                }
            }
            _ => {}
        }
        found
    }

    /// The client's Initial: its SCID and first DCID (the Initial keys').
    fn update_initial(&mut self, i: usize, scid: Cid, dcid: Cid) {
        let Some(c) = self.conns.get_mut(i) else {
            return;
        };
        if scid.len > 0 {
            c.client_cid = scid;
        }
        if dcid.len > 0 {
            c.client_dcid_initial = dcid;
            c.client_dcid_set = true;
            c.keys_dcid = Some(Arc::from(dcid.as_slice()));
            self.initial.insert(dcid, i);
        }
        if scid.len > 0 {
            self.insert_cid(scid, i, false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two partitions numbered their connections 0, 1, …: merged, the numbers follow
    /// the connections' first datagrams across both, as one pass numbers them.
    #[test]
    fn merged_partitions_number_connections_in_frame_order() {
        let seen = |number: u32| QuicDatagram {
            conn: Some(QuicConn {
                from_server: false,
                client_cid_len: 0,
                server_cid_len: 0,
                initial_dcid: None,
                version: 1,
                number,
                first_short: false,
            }),
        };
        let mut a = QuicRecords::default();
        a.insert(5, &seen(0), None);
        a.insert(7, &seen(0), None);
        let mut b = QuicRecords::default();
        b.insert(2, &seen(0), None);
        b.insert(9, &seen(1), None);
        let merged = QuicRecords::merge(a, b);
        let number = |f: u32| merged.get(f).and_then(|d| d.conn).map(|c| c.number);
        assert_eq!(number(2), Some(0));
        assert_eq!(number(5), Some(1));
        assert_eq!(number(7), Some(1));
        assert_eq!(number(9), Some(2));
    }

    /// The UDP payload and sockets of frame `n` of a test capture (Null + IPv6 + UDP).
    fn datagram(name: &str, n: usize) -> ((Addr, u16), (Addr, u16), Vec<u8>) {
        let path = crate::dissect::testing::capture_path(name);
        let capture = crate::capture::Capture::open(&path).expect("capture");
        let (_, bytes) = capture.packet(n - 1).expect("frame");
        let addr = |at: usize| {
            let a: [u8; 16] = bytes[at..at + 16].try_into().expect("address");
            Addr::V6(a)
        };
        let port = |at: usize| u16::from_be_bytes([bytes[at], bytes[at + 1]]);
        (
            (addr(4 + 8), port(44)),
            (addr(4 + 24), port(46)),
            bytes[52..].to_vec(),
        )
    }

    /// quic_handshake.pcap: the client's Initial opens the connection, the server's
    /// Initial gives it the server's ID, and a later short header is the connection's;
    /// a short header first is not QUIC (tshark shows UDP).
    #[test]
    fn connection_from_the_long_headers() {
        let name = "quic_handshake.pcap";
        let mut t = QuicTracker::default();
        let (src, dst, short) = datagram(name, 11);
        assert_eq!(t.datagram(src, dst, &short, true), None);
        let (src, dst, initial) = datagram(name, 1);
        assert_eq!(t.datagram(src, dst, &initial, false), None);
        let first = t.datagram(src, dst, &initial, true).expect("QUIC");
        let conn = first.conn.expect("connection");
        assert!(!conn.from_server);
        assert_eq!(conn.server_cid_len, 0);
        assert_eq!(conn.initial_dcid.as_deref(), Some(&initial[6..14]));
        let (ssrc, sdst, server) = datagram(name, 2);
        let conn = t.datagram(ssrc, sdst, &server, false).and_then(|d| d.conn);
        assert!(conn.as_ref().is_some_and(|c| c.from_server));
        let conn = t.datagram(src, dst, &short, false).and_then(|d| d.conn);
        let conn = conn.expect("connection");
        assert!(!conn.from_server);
        assert_eq!((conn.client_cid_len, conn.server_cid_len), (0, 8));
    }

    /// What the load pass records reads back as the tracker saw it, across a merge.
    #[test]
    fn records_round_trip() {
        let name = "quic_retry.pcap";
        let mut t = QuicTracker::default();
        let mut records = QuicRecords::default();
        let mut seen = Vec::new();
        for n in 1..=4 {
            let (src, dst, payload) = datagram(name, n);
            let view = t.record((n as u32, &mut records), src, dst, &payload, true);
            seen.push(view.expect("QUIC"));
        }
        // Frame 3 follows the Retry: its keys are the Retry's SCID.
        let after_retry = seen[2].conn.as_ref().and_then(|c| c.initial_dcid.clone());
        assert_eq!(after_retry.as_deref(), Some(&datagram(name, 3).2[6..14]));
        let merged = QuicRecords::merge(QuicRecords::default(), records);
        for (n, view) in seen.iter().enumerate() {
            assert_eq!(merged.get(n as u32 + 1).as_ref(), Some(view));
        }
        assert_eq!(merged.get(5), None);
    }

    #[test]
    fn cid_prefix() {
        let empty = Cid::default();
        let a = Cid::of(&[1, 2, 3]);
        assert!(empty.prefix_of(&a));
        assert!(a.prefix_of(&Cid::of(&[1, 2, 3, 4])));
        assert!(!a.prefix_of(&Cid::of(&[1, 2])));
        assert_eq!(Cid::of(&[0; 21]).len, 0);
    }
}
