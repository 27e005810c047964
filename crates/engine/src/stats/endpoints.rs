//! Endpoints (Statistics > Endpoints, `tshark -z endpoints,...`): what each address
//! (and port) sent and received, summed from the conversation table of its kind.

use super::conversations::{ConversationTable, Endpoint};
use rustc_hash::FxHashMap;

/// One row of an endpoint table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointRow {
    /// The address and port.
    pub endpoint: Endpoint,
    /// Packets it sent.
    pub tx_frames: u64,
    /// Bytes it sent.
    pub tx_bytes: u64,
    /// Packets it received.
    pub rx_frames: u64,
    /// Bytes it received.
    pub rx_bytes: u64,
    /// Where it first appeared: frame, header of the frame, 0 as source or 1 as
    /// destination (tshark lists ties in this order).
    first_seen: (u32, u16, u8),
}

impl EndpointRow {
    /// Packets both ways.
    pub fn frames(&self) -> u64 {
        self.tx_frames.saturating_add(self.rx_frames)
    }

    /// Bytes both ways.
    pub fn bytes(&self) -> u64 {
        self.tx_bytes.saturating_add(self.rx_bytes)
    }
}

/// The endpoints of one kind, in order of first appearance.
#[derive(Debug, Clone, Default)]
pub struct EndpointTable {
    /// Rows in order of their first packet.
    pub rows: Vec<EndpointRow>,
}

impl EndpointTable {
    /// The endpoints of the conversations of `table`.
    pub fn from_conversations(table: &ConversationTable) -> EndpointTable {
        let mut rows: Vec<EndpointRow> = Vec::new();
        let mut index: FxHashMap<Endpoint, usize> = FxHashMap::default();
        for c in &table.rows {
            for (endpoint, side, tx, rx) in [
                (
                    c.a,
                    0u8,
                    (c.frames_ab, c.bytes_ab),
                    (c.frames_ba, c.bytes_ba),
                ),
                (
                    c.b,
                    1u8,
                    (c.frames_ba, c.bytes_ba),
                    (c.frames_ab, c.bytes_ab),
                ),
            ] {
                let seen = (c.first_frame, c.first_layer, side);
                let i = *index.entry(endpoint).or_insert_with(|| {
                    rows.push(EndpointRow {
                        endpoint,
                        tx_frames: 0,
                        tx_bytes: 0,
                        rx_frames: 0,
                        rx_bytes: 0,
                        first_seen: seen,
                    });
                    rows.len() - 1
                });
                if let Some(row) = rows.get_mut(i) {
                    row.tx_frames = row.tx_frames.saturating_add(tx.0);
                    row.tx_bytes = row.tx_bytes.saturating_add(tx.1);
                    row.rx_frames = row.rx_frames.saturating_add(rx.0);
                    row.rx_bytes = row.rx_bytes.saturating_add(rx.1);
                    row.first_seen = row.first_seen.min(seen);
                }
            }
        }
        rows.sort_by_key(|r| r.first_seen);
        EndpointTable { rows }
    }

    /// The rows as tshark prints them: most packets first, ties in order of
    /// appearance.
    pub fn by_frames(&self) -> Vec<&EndpointRow> {
        let mut rows: Vec<&EndpointRow> = self.rows.iter().collect();
        rows.sort_by_key(|r| std::cmp::Reverse(r.frames()));
        rows
    }
}
