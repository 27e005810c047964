//! A capture after File > Open: its index, its TCP analysis and its counts.

use super::load::Loader;
use super::recorded::Recorded;
use super::results::TcpResults;
use super::stats::LoadStats;
use crate::capture::{
    Capture, CaptureIndex, CaptureSource, Interface, LinkType, OpenError, PacketRecord, Scanner,
    Step, TsResolution,
};
use crate::dissect::{Dissection, PacketContext};
use std::path::Path;
use std::sync::Arc;

/// Stands in for an interface the index does not know (never for a valid file).
static FALLBACK_INTERFACE: Interface = Interface {
    link_type: LinkType::ETHERNET,
    snaplen: 0,
    ts_resolution: TsResolution::MICROS,
    ts_offset_secs: 0,
    name: None,
    description: None,
    section: 0,
    options: Vec::new(),
};

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
    /// Opens and loads `path` in the calling thread: one pass that indexes each
    /// packet and runs the load pass on it while its bytes are still in the cache.
    pub fn open(path: &Path) -> Result<Loaded, OpenError> {
        let source = Arc::new(CaptureSource::open(path)?);
        let mut scanner = Scanner::new(source.bytes(), path)?;
        let format = scanner.format();
        let mut index = CaptureIndex::default();
        let mut loader = Loader::new();
        let bytes = source.bytes();
        let mut frame: u32 = 0;
        loop {
            match scanner.next_step() {
                Step::Packet(mut record) => {
                    frame = frame.saturating_add(1);
                    let start = usize::try_from(record.data_offset).unwrap_or(usize::MAX);
                    let data =
                        crate::bytes::slice(bytes, start, record.cap_len as usize).unwrap_or(&[]);
                    let iface = scanner
                        .interfaces()
                        .get(usize::from(record.iface))
                        .unwrap_or(&FALLBACK_INTERFACE);
                    loader.process(frame, &mut record, data, iface);
                    index.packets.push(record);
                }
                Step::End => break,
                Step::Damaged(error) => {
                    index.damage = Some(error);
                    break;
                }
            }
        }
        index.interfaces = scanner.interfaces().to_vec();
        if index.damage.is_none() {
            index.damage = source.gzip_damage().cloned();
        }
        let (tcp, stats) = loader.finish();
        Ok(Loaded {
            capture: Capture::from_parts(source, format, index),
            tcp,
            stats,
        })
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
