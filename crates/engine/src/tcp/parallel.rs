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
use super::predicate::PacketPredicate;
use super::results::{PacketTable, SlotChunk, Sparse, TcpResults, slot_chunk};
use super::stats::LoadStats;
use super::streams::Streams;
use crate::capture::{
    CHUNK_LEN, Capture, CaptureIndex, CaptureSource, Interface, LinkType, OpenError, PacketIndex,
    PacketRecord, Scanner, Step, writer::PacketRef,
};
use crate::dissect::route::{PARTITIONS, partition_of_packet};
use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, sync_channel};

/// Batches in flight between the indexing thread and a worker.
const QUEUE: usize = 4;

/// Reports a worker may have sent and the indexing thread not yet read (more than
/// there can be batches in flight).
const REPORTS: usize = 1024;

/// Up to [`CHUNK_LEN`] packets, sent to every worker.
struct Batch {
    /// Frame number of the first record.
    first_frame: u32,
    /// Timestamp of the frame before the first (its own for frame 1).
    prev_ts: i64,
    records: Vec<PacketRecord>,
    /// Per partition, the places in `records` of its packets, in order: a worker
    /// visits only its own.
    routes: Vec<Vec<u32>>,
    /// The batch's part of the analysis records, which each worker writes for its
    /// own packets.
    slots: SlotChunk,
    interfaces: Arc<Vec<Interface>>,
}

/// What a worker reports of one batch, once it has let go of it: the streams of its
/// packets (its own numbers) and the first frames of the streams it started.
#[derive(Debug, Default)]
struct BatchStreams {
    /// Stream of each of its packets of the batch, in order.
    streams: Vec<u32>,
    /// First frames of the streams started in the batch, in the order of their numbers.
    started: Vec<u32>,
    /// The packets of the batch (0-based frame numbers) the filter kept, in order.
    matches: Vec<u32>,
}

/// What a worker learned about its partition.
struct Partial {
    results: TcpResults,
    stats: LoadStats,
    conflict: bool,
}

/// Where the packets the filter keeps go as the load finds them, in frame order:
/// the caller's `take`, with the file they are read from.
struct Sink<'f, 't> {
    file: &'f [u8],
    format: crate::capture::FileFormat,
    take: &'t mut dyn FnMut(PacketRef<'_>),
}

/// The calling thread's side of the load: stream numbers across partitions and the
/// index as the batches come back.
#[derive(Default)]
struct Assembly {
    /// Per partition: its stream numbers to the capture's.
    maps: Vec<Vec<u32>>,
    streams: u32,
    records: PacketIndex,
    slots: Vec<SlotChunk>,
    /// The packets (0-based) the filter evaluated in passing kept, in order.
    matches: Vec<u32>,
}

impl Assembly {
    /// Numbers the streams `started` in one batch (one list per partition) in the
    /// order of their first frames, then gives each record its stream.
    fn merge(&mut self, batch: Batch, reports: Vec<BatchStreams>, sink: &mut Option<Sink<'_, '_>>) {
        self.maps.resize_with(reports.len(), Vec::new);
        let mut next: Vec<usize> = vec![0; reports.len()];
        loop {
            let first = reports
                .iter()
                .zip(&next)
                .enumerate()
                .filter_map(|(p, (r, n))| r.started.get(*n).map(|f| (*f, p)))
                .min();
            let Some((_, p)) = first else { break };
            if let (Some(map), Some(n)) = (self.maps.get_mut(p), next.get_mut(p)) {
                map.push(self.streams);
                self.streams = self.streams.saturating_add(1);
                *n += 1;
            }
        }
        let kept_before = self.matches.len();
        for report in &reports {
            self.matches.extend_from_slice(&report.matches);
        }
        // Each partition's matches are in order: sorting puts the batch's in order.
        if let Some(batch_matches) = self.matches.get_mut(kept_before..) {
            batch_matches.sort_unstable();
        }
        if let Some(sink) = sink {
            let first = batch.first_frame.saturating_sub(1);
            for m in self.matches.get(kept_before..).unwrap_or_default() {
                let place = m.saturating_sub(first) as usize;
                if let Some(record) = batch.records.get(place) {
                    let iface = batch
                        .interfaces
                        .get(usize::from(record.iface()))
                        .unwrap_or(&crate::capture::FALLBACK_INTERFACE);
                    (sink.take)(PacketRef {
                        file: sink.file,
                        format: sink.format,
                        record,
                        iface,
                    });
                }
            }
        }
        let mut records = batch.records;
        for ((own, report), map) in batch.routes.iter().zip(&reports).zip(&self.maps) {
            for (place, local) in own.iter().zip(&report.streams) {
                if let Some(record) = records.get_mut(*place as usize) {
                    record.stream = if *local == PacketRecord::NO_STREAM {
                        *local
                    } else {
                        map.get(*local as usize)
                            .copied()
                            .unwrap_or(PacketRecord::NO_STREAM)
                    };
                }
            }
        }
        self.records.extend(records);
        self.slots.push(batch.slots);
    }
}

/// Loads `path` with one worker per partition; the same result as
/// [`Loaded::open_sequential`], or `None` when the packets could not be split.
/// With a `filter` (one the load can answer, [`super::load::answers_in_passing`]),
/// each worker also evaluates it on its packets and the packets it keeps come back
/// in order (empty without a filter); `take`, if given, receives each of them in
/// order while the load runs (when the result is `None`, it has received some of
/// them and must forget them).
pub fn open(
    path: &Path,
    filter: Option<Arc<dyn PacketPredicate>>,
    prefs: crate::prefs::Prefs,
    take: Option<&mut dyn FnMut(PacketRef<'_>)>,
) -> Result<Option<(Loaded, Vec<u32>)>, OpenError> {
    let source = Arc::new(CaptureSource::open(path)?);
    let scanner = Scanner::new(source.bytes(), source.path())?;
    let format = scanner.format();
    let bytes = source.bytes();
    let mut sink = take.map(|take| Sink {
        file: bytes,
        format,
        take,
    });
    let first_ts = Arc::new(std::sync::OnceLock::new());
    let mut index = CaptureIndex::default();
    let mut assembly = Assembly::default();
    let partials = std::thread::scope(|scope| {
        let mut senders = Vec::new();
        let mut reports = Vec::new();
        let mut workers = Vec::new();
        for partition in 0..PARTITIONS {
            let (tx, rx) = sync_channel::<Arc<Batch>>(QUEUE);
            // Reports are small and never wait: a worker must not block on them
            // while this thread blocks on sending it a batch.
            let (report_tx, report_rx) = sync_channel::<BatchStreams>(REPORTS);
            senders.push(tx);
            reports.push(report_rx);
            let first_ts = first_ts.clone();
            workers.push({
                let filter = filter.clone();
                scope.spawn(move || {
                    work(partition, bytes, &first_ts, &rx, &report_tx, filter, prefs)
                })
            });
        }
        let mut scanner = scanner;
        let mut interfaces = Arc::new(scanner.interfaces().to_vec());
        let mut frame = 1u32;
        let mut prev_ts = 0i64;
        let mut done = false;
        let mut in_flight: std::collections::VecDeque<Arc<Batch>> = Default::default();
        let mut failed = false;
        let watch = crate::capture::BudgetWatch::start();
        while !done {
            let mut records = Vec::with_capacity(CHUNK_LEN);
            let mut routes: Vec<Vec<u32>> = (0..PARTITIONS)
                .map(|_| Vec::with_capacity(CHUNK_LEN / usize::from(PARTITIONS) * 5 / 4))
                .collect();
            while records.len() < CHUNK_LEN {
                match scanner.next_step(bytes, false) {
                    Step::Packet(record) => {
                        if interfaces.len() != scanner.interfaces().len() {
                            interfaces = Arc::new(scanner.interfaces().to_vec());
                        }
                        let link = interfaces
                            .get(usize::from(record.iface()))
                            .map_or(LinkType::ETHERNET, |i| i.link_type);
                        let data = crate::capture::packet_bytes(bytes, &record);
                        let place = u32::try_from(records.len()).unwrap_or(u32::MAX);
                        if let Some(own) =
                            routes.get_mut(usize::from(partition_of_packet(link, data)))
                        {
                            own.push(place);
                        }
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
            // Past the memory budget: this batch is the last.
            let kept = (frame as usize).saturating_sub(1) + records.len();
            let bytes_done = records
                .last()
                .map_or(0, |r| r.data_offset() + u64::from(r.cap_len));
            if !done && let Some(cut) = watch.check(kept, bytes_done, bytes.len() as u64) {
                index.cut = Some(cut);
                done = true;
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
                slots: slot_chunk(count),
                records,
                routes,
                interfaces: interfaces.clone(),
            });
            frame = frame.saturating_add(u32::try_from(count).unwrap_or(u32::MAX));
            for tx in &senders {
                // A worker that stopped early (it panicked) is reported below.
                failed |= tx.send(batch.clone()).is_err();
            }
            in_flight.push_back(batch);
            // Take back the batches the workers are done with, so that only a few
            // are held twice (as sent, and as indexed).
            while in_flight.len() > QUEUE + 1 && !failed {
                failed |= !take_back(&mut in_flight, &reports, &mut assembly, &mut sink);
            }
        }
        drop(senders);
        while !in_flight.is_empty() && !failed {
            failed |= !take_back(&mut in_flight, &reports, &mut assembly, &mut sink);
        }
        index.interfaces = scanner.interfaces().to_vec();
        // After a failure reports are no longer read: let a worker that still sends
        // them see the channel closed instead of waiting on a full one.
        drop(reports);
        let partials = workers
            .into_iter()
            .map(|w| w.join().ok())
            .collect::<Option<Vec<Partial>>>();
        partials.filter(|_| !failed)
    });
    let partials = match partials {
        Some(p) if !p.iter().any(|p| p.conflict) => p,
        // The split was wrong (or a worker failed).
        _ => return Ok(None),
    };
    if index.damage.is_none() {
        index.damage = source.gzip_damage().cloned();
    }
    Ok(Some(finish(source, format, index, assembly, partials)))
}

/// Waits for every worker's report on the oldest batch in flight and indexes it.
/// False when a worker has gone.
fn take_back(
    in_flight: &mut std::collections::VecDeque<Arc<Batch>>,
    reports: &[Receiver<BatchStreams>],
    assembly: &mut Assembly,
    sink: &mut Option<Sink<'_, '_>>,
) -> bool {
    let Some(batch) = in_flight.pop_front() else {
        return true;
    };
    let mut got = Vec::with_capacity(reports.len());
    for rx in reports {
        match rx.recv() {
            Ok(report) => got.push(report),
            Err(_) => return false,
        }
    }
    // Every worker dropped its handle before reporting.
    let Ok(batch) = Arc::try_unwrap(batch) else {
        return false;
    };
    assembly.merge(batch, got, sink);
    true
}

/// One worker: the load pass over the packets routed to `partition`.
fn work(
    partition: u8,
    bytes: &[u8],
    first_ts: &std::sync::OnceLock<i64>,
    rx: &Receiver<Arc<Batch>>,
    report: &std::sync::mpsc::SyncSender<BatchStreams>,
    filter: Option<Arc<dyn PacketPredicate>>,
    prefs: crate::prefs::Prefs,
) -> Partial {
    let mut loader = Loader::for_partition(partition, prefs);
    if let Some(filter) = filter {
        loader = loader.with_filter(filter);
    }
    let mut results = TcpResults::default();
    let mut stats = LoadStats::default();
    let mut slots = PacketTable::default();
    let mut d = loader.fresh_dissection();
    while let Ok(batch) = rx.recv() {
        slots.push_chunk(batch.slots.clone());
        let first_ts = first_ts.get().copied().unwrap_or(0);
        let streams_before = results.streams.len();
        let own = batch
            .routes
            .get(usize::from(partition))
            .map_or(&[][..], Vec::as_slice);
        let mut streams = Vec::with_capacity(own.len());
        for (n, place) in own.iter().enumerate() {
            if n % TOUCH_AHEAD == 0 {
                touch_headers(bytes, &batch.records, own.get(n..).unwrap_or_default());
            }
            let i = *place as usize;
            let Some(record) = batch.records.get(i) else {
                streams.push(PacketRecord::NO_STREAM);
                continue;
            };
            // The time since the frame before, whichever partition it went to.
            let prev_ts = match i.checked_sub(1) {
                Some(before) => batch.records.get(before).map_or(0, |r| r.ts_nanos),
                None => batch.prev_ts,
            };
            let times = Times { first_ts, prev_ts };
            let frame = batch
                .first_frame
                .saturating_add(u32::try_from(i).unwrap_or(u32::MAX));
            let mut record = *record;
            let data = crate::capture::packet_bytes(bytes, &record);
            let iface = batch
                .interfaces
                .get(usize::from(record.iface()))
                .unwrap_or(&crate::capture::FALLBACK_INTERFACE);
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
            streams.push(record.stream);
        }
        let started = (streams_before..results.streams.len())
            .filter_map(|i| results.streams.first_frame(i))
            .collect();
        drop(batch);
        let matches = loader.take_matches();
        if report
            .send(BatchStreams {
                streams,
                started,
                matches,
            })
            .is_err()
        {
            break;
        }
    }
    Partial {
        results,
        stats,
        conflict: loader.state().conflict(),
    }
}

/// Packets whose headers are read ahead at once.
const TOUCH_AHEAD: usize = 16;

/// Reads a byte of each of the first five cache lines of the next [`TOUCH_AHEAD`] of
/// this partition's packets (`own`: their places in `records`). The indexing thread
/// read their first line a few batches ago and it has left the cache since, and HTTP's
/// heuristic reads on to the first line end of any payload no port claims: the
/// misses, taken here together, overlap instead of stalling the dissector per packet.
fn touch_headers(bytes: &[u8], records: &[PacketRecord], own: &[u32]) {
    for place in own.iter().take(TOUCH_AHEAD) {
        if let Some(record) = records.get(*place as usize) {
            let start = usize::try_from(record.data_offset()).unwrap_or(usize::MAX);
            let len = record.cap_len as usize;
            for at in (0..len.min(320)).step_by(64) {
                std::hint::black_box(bytes.get(start.saturating_add(at)).copied());
            }
        }
    }
}

/// Puts the partitions' results together as one pass would have made them.
fn finish(
    source: Arc<CaptureSource>,
    format: crate::capture::FileFormat,
    mut index: CaptureIndex,
    assembly: Assembly,
    partials: Vec<Partial>,
) -> (Loaded, Vec<u32>) {
    let mut stats = LoadStats::default();
    let mut side = TcpResults::default();
    let mut parts = Vec::with_capacity(partials.len());
    let mut partials = partials;
    for partial in &mut partials {
        parts.push(std::mem::take(&mut partial.results.streams));
    }
    let streams = Streams::place(parts, &assembly.maps);
    for (p, partial) in partials.into_iter().enumerate() {
        let results = partial.results;
        let map = assembly.maps.get(p);
        side.dup_acks = Sparse::merge(std::mem::take(&mut side.dup_acks), results.dup_acks);
        side.rto_frames = Sparse::merge(std::mem::take(&mut side.rto_frames), results.rto_frames);
        side.completes = Sparse::merge(std::mem::take(&mut side.completes), results.completes);
        side.partial_offsets = Sparse::merge(
            std::mem::take(&mut side.partial_offsets),
            results.partial_offsets,
        );
        side.partial_info =
            Sparse::merge(std::mem::take(&mut side.partial_info), results.partial_info);
        side.requests = Sparse::merge(std::mem::take(&mut side.requests), results.requests);
        side.http_links = Sparse::merge(std::mem::take(&mut side.http_links), results.http_links);
        side.dns_retransmits = Sparse::merge(
            std::mem::take(&mut side.dns_retransmits),
            results.dns_retransmits,
        );
        side.far_refs = Sparse::merge(std::mem::take(&mut side.far_refs), results.far_refs);
        // Quoted conversations carry this partition's stream numbers.
        let quoted = results.quoted_tcp.map(|(local, c)| {
            let global = map.and_then(|m| m.get(local as usize)).copied();
            (global.unwrap_or(local), c)
        });
        side.quoted_tcp = Sparse::merge(std::mem::take(&mut side.quoted_tcp), quoted);
        side.reassembled =
            Sparse::merge(std::mem::take(&mut side.reassembled), results.reassembled);
        side.udp = Sparse::merge(std::mem::take(&mut side.udp), results.udp);
        side.ftp = super::ftp_link::FtpRecord::merge(std::mem::take(&mut side.ftp), results.ftp);
        side.smtp = Sparse::merge(std::mem::take(&mut side.smtp), results.smtp);
        side.quic =
            super::quic_link::QuicRecords::merge(std::mem::take(&mut side.quic), results.quic);
        side.rtp = Sparse::merge(std::mem::take(&mut side.rtp), results.rtp);
        side.arp = Sparse::merge(std::mem::take(&mut side.arp), results.arp);
        stats.merge(partial.stats);
    }
    let records = assembly.records;
    stats.first_ts = records.get(0).map(|r| r.ts_nanos);
    stats.last_ts = records.last().map(|r| r.ts_nanos);
    index.packets = records;
    // The workers have let go of their handles: the table they wrote is the one kept.
    side.packets = PacketTable::from_chunks(assembly.slots);
    side.streams = streams;
    side.number_udp_streams();
    let matches = assembly.matches;
    let loaded = Loaded::from_parts(Capture::from_parts(source, format, index), side, stats);
    (loaded, matches)
}
