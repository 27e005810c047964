//! The load pass on two cores. The calling thread indexes the file and routes each
//! packet to a partition by its outermost address pair ([`crate::dissect::route`]);
//! one worker per partition runs the ordinary load pass ([`Loader`]) over its packets.
//! Conversations between two hosts never span partitions, so each worker's analysis
//! is the one a single pass would make; the workers write each packet's record into
//! a shared table, number streams and count protocols on their own, and the results
//! are merged in frame order at the end.
//!
//! When a worker touches a conversation that routes elsewhere (a tunnel, an ICMP
//! error quoting another connection), the split was wrong and the capture is loaded
//! again on one thread: the answer never depends on the split.

use super::load::{Loader, Times};
use super::loaded::Loaded;
use super::results::{PacketAnalysis, Sparse, StreamInfo, TcpResults};
use super::stats::LoadStats;
use crate::capture::{
    CHUNK_LEN, Capture, CaptureIndex, CaptureSource, ChunkedVec, Interface, LinkType, OpenError,
    PacketRecord, Scanner, Step, TsResolution,
};
use crate::dissect::route::{PARTITIONS, partition_of_packet};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc::{Receiver, sync_channel};

/// Batches in flight between the indexing thread and a worker.
const QUEUE: usize = 4;

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

/// One packet's [`PacketAnalysis`] and stream as a partition writes them. Only the
/// partition that owns the packet writes; the merge reads after the workers ended.
#[derive(Debug, Default)]
struct SharedSlot {
    words: [AtomicU32; 6],
    stream: AtomicU32,
}

/// The records of a parallel load, in chunks of [`CHUNK_LEN`] frames; each worker
/// holds the chunks it has been sent.
#[derive(Debug, Default)]
pub struct SharedPackets {
    chunks: Vec<Arc<[SharedSlot]>>,
}

impl SharedPackets {
    fn slot(&self, frame: u32) -> Option<&SharedSlot> {
        let i = (frame as usize).checked_sub(1)?;
        self.chunks.get(i / CHUNK_LEN)?.get(i % CHUNK_LEN)
    }

    /// Changes the record of `frame` (1-based).
    pub(crate) fn update(&self, frame: u32, f: impl FnOnce(&mut PacketAnalysis)) {
        if let Some(slot) = self.slot(frame) {
            let mut packet = load(slot);
            f(&mut packet);
            for (word, value) in slot.words.iter().zip(packet.to_words()) {
                word.store(value, Ordering::Relaxed);
            }
        }
    }

    fn set_stream(&self, frame: u32, stream: u32) {
        if let Some(slot) = self.slot(frame) {
            slot.stream.store(stream, Ordering::Relaxed);
        }
    }
}

fn load(slot: &SharedSlot) -> PacketAnalysis {
    PacketAnalysis::from_words(slot.words.each_ref().map(|w| w.load(Ordering::Relaxed)))
}

/// Up to [`CHUNK_LEN`] packets, sent to every worker.
struct Batch {
    /// Frame number of the first record.
    first_frame: u32,
    /// Timestamp of the frame before the first (its own for frame 1).
    prev_ts: i64,
    records: Vec<PacketRecord>,
    /// Partition of each record.
    routes: Vec<u8>,
    slots: Arc<[SharedSlot]>,
    interfaces: Arc<Vec<Interface>>,
}

/// What a worker learned about its partition.
struct Partial {
    results: TcpResults,
    stats: LoadStats,
    conflict: bool,
}

/// Loads `path` with one worker per partition; the same result as
/// [`Loaded::open_sequential`], or `None` when the packets could not be split.
pub fn open(path: &Path) -> Result<Option<Loaded>, OpenError> {
    let source = Arc::new(CaptureSource::open(path)?);
    let scanner = Scanner::new(source.bytes(), source.path())?;
    let format = scanner.format();
    let bytes = source.bytes();
    let first_ts = Arc::new(std::sync::OnceLock::new());
    let mut index = CaptureIndex::default();
    let mut batches: Vec<Arc<Batch>> = Vec::new();
    let partials = std::thread::scope(|scope| {
        let mut senders = Vec::new();
        let mut workers = Vec::new();
        for partition in 0..PARTITIONS {
            let (tx, rx) = sync_channel::<Arc<Batch>>(QUEUE);
            senders.push(tx);
            let first_ts = first_ts.clone();
            workers.push(scope.spawn(move || work(partition, bytes, &first_ts, &rx)));
        }
        let mut scanner = scanner;
        let mut interfaces = Arc::new(scanner.interfaces().to_vec());
        let mut frame = 1u32;
        let mut prev_ts = 0i64;
        let mut done = false;
        while !done {
            let mut records = Vec::with_capacity(CHUNK_LEN);
            let mut routes = Vec::with_capacity(CHUNK_LEN);
            while records.len() < CHUNK_LEN {
                match scanner.next_step(bytes, false) {
                    Step::Packet(record) => {
                        if interfaces.len() != scanner.interfaces().len() {
                            interfaces = Arc::new(scanner.interfaces().to_vec());
                        }
                        let link = interfaces
                            .get(usize::from(record.iface))
                            .map_or(LinkType::ETHERNET, |i| i.link_type);
                        let start = usize::try_from(record.data_offset).unwrap_or(usize::MAX);
                        let data = crate::bytes::slice(bytes, start, record.cap_len as usize)
                            .unwrap_or(&[]);
                        routes.push(partition_of_packet(link, data));
                        records.push(record);
                    }
                    Step::End | Step::Incomplete => {
                        done = true;
                        break;
                    }
                    Step::Damaged(error) => {
                        index.damage = Some(error);
                        done = true;
                        break;
                    }
                }
            }
            if records.is_empty() {
                break;
            }
            if let Some(first) = records.first() {
                first_ts.get_or_init(|| first.ts_nanos);
                if frame == 1 {
                    prev_ts = first.ts_nanos;
                }
            }
            let batch_prev_ts = prev_ts;
            prev_ts = records.last().map_or(prev_ts, |r| r.ts_nanos);
            let count = records.len();
            let batch = Arc::new(Batch {
                first_frame: frame,
                prev_ts: batch_prev_ts,
                slots: (0..count).map(|_| SharedSlot::default()).collect(),
                records,
                routes,
                interfaces: interfaces.clone(),
            });
            frame = frame.saturating_add(u32::try_from(count).unwrap_or(u32::MAX));
            for tx in &senders {
                // A worker that stopped early (it panicked) is reported at the join.
                if tx.send(batch.clone()).is_err() {
                    continue;
                }
            }
            batches.push(batch);
        }
        drop(senders);
        index.interfaces = scanner.interfaces().to_vec();
        workers
            .into_iter()
            .map(|w| w.join().ok())
            .collect::<Option<Vec<Partial>>>()
    });
    let partials = match partials {
        Some(p) if !p.iter().any(|p| p.conflict) => p,
        // The split was wrong (or a worker failed).
        _ => return Ok(None),
    };
    if index.damage.is_none() {
        index.damage = source.gzip_damage().cloned();
    }
    Ok(Some(merge(source, format, index, batches, partials)))
}

/// One worker: the load pass over the packets routed to `partition`.
fn work(
    partition: u8,
    bytes: &[u8],
    first_ts: &std::sync::OnceLock<i64>,
    rx: &Receiver<Arc<Batch>>,
) -> Partial {
    let mut loader = Loader::for_partition(partition);
    let mut results = TcpResults::default();
    let mut stats = LoadStats::default();
    let mut slots = SharedPackets::default();
    let mut d = Loader::quiet_dissection();
    while let Ok(batch) = rx.recv() {
        slots.chunks.push(batch.slots.clone());
        let first_ts = first_ts.get().copied().unwrap_or(0);
        let mut prev_ts = batch.prev_ts;
        for ((i, record), route) in batch.records.iter().enumerate().zip(&batch.routes) {
            let times = Times { first_ts, prev_ts };
            prev_ts = record.ts_nanos;
            if *route != partition {
                continue;
            }
            let frame = batch
                .first_frame
                .saturating_add(u32::try_from(i).unwrap_or(u32::MAX));
            let mut record = *record;
            let start = usize::try_from(record.data_offset).unwrap_or(usize::MAX);
            let data = crate::bytes::slice(bytes, start, record.cap_len as usize).unwrap_or(&[]);
            let iface = batch
                .interfaces
                .get(usize::from(record.iface))
                .unwrap_or(&FALLBACK_INTERFACE);
            loader.process_partition(
                &mut d,
                &mut results,
                &mut stats,
                &slots,
                frame,
                &mut record,
                data,
                iface,
                times,
            );
            slots.set_stream(frame, record.stream);
        }
    }
    Partial {
        results,
        stats,
        conflict: loader.state().conflict(),
    }
}

/// Puts the partitions' results together as one pass would have made them.
fn merge(
    source: Arc<CaptureSource>,
    format: crate::capture::FileFormat,
    mut index: CaptureIndex,
    batches: Vec<Arc<Batch>>,
    partials: Vec<Partial>,
) -> Loaded {
    // Streams are numbered in the order of their first frames.
    let mut streams: Vec<StreamInfo> = Vec::new();
    let mut maps: Vec<Vec<u32>> = partials.iter().map(|_| Vec::new()).collect();
    let mut lists: Vec<std::iter::Peekable<std::vec::IntoIter<StreamInfo>>> = Vec::new();
    let mut stats = LoadStats::default();
    let mut side = TcpResults::default();
    for p in partials {
        let results = p.results;
        lists.push(results.streams.into_iter().peekable());
        side.dup_acks = Sparse::merge(std::mem::take(&mut side.dup_acks), results.dup_acks);
        side.rto_frames = Sparse::merge(std::mem::take(&mut side.rto_frames), results.rto_frames);
        side.completes = Sparse::merge(std::mem::take(&mut side.completes), results.completes);
        side.partial_offsets = Sparse::merge(
            std::mem::take(&mut side.partial_offsets),
            results.partial_offsets,
        );
        side.requests = Sparse::merge(std::mem::take(&mut side.requests), results.requests);
        stats.merge(p.stats);
    }
    loop {
        let next = lists
            .iter_mut()
            .enumerate()
            .filter_map(|(i, l)| l.peek().map(|s| (s.first_frame, i)))
            .min();
        let Some((_, i)) = next else { break };
        if let (Some(list), Some(map)) = (lists.get_mut(i), maps.get_mut(i))
            && let Some(stream) = list.next()
        {
            map.push(u32::try_from(streams.len()).unwrap_or(u32::MAX));
            streams.push(stream);
        }
    }
    let mut packets = ChunkedVec::new();
    let mut records = ChunkedVec::new();
    for batch in batches {
        let batch = Arc::try_unwrap(batch).unwrap_or_else(|shared| Batch {
            first_frame: shared.first_frame,
            prev_ts: shared.prev_ts,
            records: shared.records.clone(),
            routes: shared.routes.clone(),
            slots: shared.slots.clone(),
            interfaces: shared.interfaces.clone(),
        });
        let mut chunk_records = batch.records;
        let mut chunk_packets = Vec::with_capacity(chunk_records.len());
        for ((record, slot), route) in chunk_records
            .iter_mut()
            .zip(batch.slots.iter())
            .zip(&batch.routes)
        {
            chunk_packets.push(load(slot));
            let local = slot.stream.load(Ordering::Relaxed);
            record.stream = if local == PacketRecord::NO_STREAM {
                local
            } else {
                maps.get(usize::from(*route))
                    .and_then(|m| m.get(local as usize))
                    .copied()
                    .unwrap_or(PacketRecord::NO_STREAM)
            };
        }
        // The shared slots of this chunk go before the next chunk is made.
        drop(batch.slots);
        records.push_chunk(chunk_records);
        packets.push_chunk(chunk_packets);
    }
    stats.first_ts = records.get(0).map(|r| r.ts_nanos);
    stats.last_ts = records
        .len()
        .checked_sub(1)
        .and_then(|i| records.get(i))
        .map(|r| r.ts_nanos);
    index.packets = records;
    side.packets = packets;
    side.streams = streams;
    Loaded {
        capture: Capture::from_parts(source, format, index),
        tcp: side,
        stats,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slot_keeps_what_its_partition_wrote() {
        let slots = SharedPackets {
            chunks: vec![(0..3).map(|_| SharedSlot::default()).collect()],
        };
        slots.update(2, |p| {
            p.acks_frame = 7;
            p.set_flags(5);
        });
        slots.set_stream(2, 9);
        let slot = slots.slot(2).map(load);
        assert_eq!(slot.map(|p| (p.acks_frame, p.flags())), Some((7, 5)));
        assert_eq!(slots.slot(4).map(load), None);
        assert_eq!(slots.slot(0).map(load), None);
    }
}
