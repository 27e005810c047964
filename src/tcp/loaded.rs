//! A capture after File > Open: its index, its TCP analysis and its counts.

use super::load::Loader;
use super::recorded::Recorded;
use super::results::TcpResults;
use super::stats::LoadStats;
use crate::capture::{Capture, OpenError, PacketRecord};
use crate::dissect::{Dissection, PacketContext};
use std::path::Path;

/// A loaded capture, ready to be dissected packet by packet.
#[derive(Debug)]
pub struct Loaded {
    /// The capture.
    pub capture: Capture,
    /// TCP analysis results.
    pub tcp: TcpResults,
    /// Counts from the load pass.
    pub stats: LoadStats,
}

impl Loaded {
    /// Opens and loads `path` in the calling thread.
    pub fn open(path: &Path) -> Result<Loaded, OpenError> {
        let capture = Capture::open(path)?;
        Ok(Loaded::analyze(capture))
    }

    /// Runs the load pass over an indexed capture.
    pub fn analyze(mut capture: Capture) -> Loaded {
        let mut loader = Loader::new();
        let mut packets = capture.take_packets();
        for (i, chunk) in packets.chunks_mut().enumerate() {
            for (j, record) in chunk.iter_mut().enumerate() {
                let frame = (i * crate::capture::CHUNK_LEN + j + 1) as u32;
                let bytes = capture.bytes_of(record);
                let iface = capture.interface_of(record);
                loader.process(frame, record, bytes, iface);
            }
        }
        capture.put_packets(packets);
        let (tcp, stats) = loader.finish();
        Loaded {
            capture,
            tcp,
            stats,
        }
    }

    /// The recorded analysis, for dissecting packets on demand.
    pub fn analysis(&self) -> Recorded<'_> {
        Recorded {
            capture: &self.capture,
            results: &self.tcp,
        }
    }

    /// Number of packets.
    pub fn len(&self) -> usize {
        self.capture.len()
    }

    /// True when there are no packets.
    pub fn is_empty(&self) -> bool {
        self.capture.is_empty()
    }

    /// Dissects packet `i` (0-based) into `d`. `prev_displayed` is the index of the
    /// previously displayed packet (for `frame.time_delta_displayed`).
    pub fn dissect_into<'a>(
        &'a self,
        i: usize,
        prev_displayed: Option<usize>,
        analysis: &'a Recorded<'a>,
        d: &mut Dissection<'a>,
    ) -> Option<&'a PacketRecord> {
        let (record, bytes) = self.capture.packet(i)?;
        let first_ts = self
            .capture
            .record(0)
            .map_or(record.ts_nanos, |r| r.ts_nanos);
        let prev_ts = i
            .checked_sub(1)
            .and_then(|p| self.capture.record(p))
            .map_or(record.ts_nanos, |r| r.ts_nanos);
        let prev_displayed_ts = prev_displayed
            .and_then(|p| self.capture.record(p))
            .map_or(record.ts_nanos, |r| r.ts_nanos);
        let ctx = PacketContext {
            number: (i + 1) as u32,
            record,
            iface: self.capture.interface_of(record),
            first_ts_nanos: first_ts,
            prev_ts_nanos: prev_ts,
            prev_displayed_ts_nanos: prev_displayed_ts,
            analysis: Some(analysis),
            marked: false,
        };
        crate::dissect::dissect_packet(d, &ctx, bytes);
        Some(record)
    }
}
