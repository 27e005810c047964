//! A capture after File > Open: its index, its TCP analysis and its counts.

use super::load::Loader;
use super::predicate::PacketPredicate;
use super::recorded::Recorded;
use super::results::TcpResults;
use super::second_pass::SecondPass;
use super::stats::LoadStats;
use crate::capture::writer::PacketRef;
use crate::capture::{
    Capture, CaptureIndex, CaptureSource, OpenError, PacketRecord, Scanner, Step,
};
use crate::dissect::{Dissection, PacketContext};
use crate::prefs::Prefs;
use std::ops::Range;
use std::path::Path;
use std::sync::{Arc, OnceLock};

/// Packets a filter thread takes at a time.
const FILTER_PIECE: usize = 4096;

/// Below this many packets a filter runs on the calling thread alone.
const PARALLEL_FILTER_MIN: usize = 32 * 1024;

/// A loaded capture, ready to be dissected packet by packet.
#[derive(Debug)]
pub struct Loaded {
    /// The capture.
    pub capture: Capture,
    /// TCP analysis results.
    pub tcp: TcpResults,
    /// Counts from the load pass.
    pub stats: LoadStats,
    /// Set by [`Loaded::set_second_pass`]: dissections then show what tshark's
    /// second pass (`-2`) shows, the links built on first use.
    second_pass: Option<OnceLock<SecondPass>>,
    /// The preferences the load ran with; its dissections use them too.
    prefs: Prefs,
}

/// How far a load has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Packets read so far.
    pub packets: usize,
    /// Bytes of the file scanned so far.
    pub bytes_done: u64,
    /// Size of the file.
    pub bytes_total: u64,
    /// Nothing more will come (end of file or damage).
    pub done: bool,
}

/// A load in progress: the scanner and the load pass, resumable batch by batch (the
/// GUI runs it on a worker thread; a growing file is followed as it grows).
#[derive(Debug)]
pub struct LoadJob {
    source: Arc<CaptureSource>,
    scanner: Scanner,
    loader: Loader,
    frame: u32,
    done: bool,
    /// The file is still being written (live capture): a cut-short end means "wait".
    growing: bool,
    /// The memory budget (not for a live capture, whose file the capture bounds).
    budget: Option<crate::capture::BudgetWatch>,
}

impl LoadJob {
    /// Opens `path` and returns the job with an empty [`Loaded`] to fill.
    pub fn start(path: &Path) -> Result<(LoadJob, Loaded), OpenError> {
        let source = Arc::new(CaptureSource::open(path)?);
        Self::start_on(source, false)
    }

    /// Starts on an already opened source (`growing` for a file still being written).
    pub fn start_on(
        source: Arc<CaptureSource>,
        growing: bool,
    ) -> Result<(LoadJob, Loaded), OpenError> {
        let scanner = Scanner::new(source.bytes(), source.path())?;
        let format = scanner.format();
        let loaded = Loaded {
            capture: Capture::from_parts(source.clone(), format, CaptureIndex::default()),
            tcp: TcpResults::default(),
            stats: LoadStats::default(),
            second_pass: None,
            prefs: Prefs::default(),
        };
        let job = LoadJob {
            source,
            scanner,
            loader: Loader::new(),
            frame: 0,
            done: false,
            growing,
            budget: (!growing).then(crate::capture::BudgetWatch::start),
        };
        Ok((job, loaded))
    }

    /// Reads up to `max` more packets into `loaded`.
    pub fn run(&mut self, loaded: &mut Loaded, max: usize) -> Progress {
        let bytes = self.source.bytes();
        let mut count = 0;
        let mut d = self.loader.lend_dissection();
        while count < max && !self.done {
            match self.scanner.next_step(bytes, self.growing) {
                Step::Packet(mut record) => {
                    self.frame = self.frame.saturating_add(1);
                    count += 1;
                    let start = usize::try_from(record.data_offset()).unwrap_or(usize::MAX);
                    let data =
                        crate::bytes::slice(bytes, start, record.cap_len as usize).unwrap_or(&[]);
                    let iface = self
                        .scanner
                        .interfaces()
                        .get(usize::from(record.iface()))
                        .unwrap_or(&crate::capture::FALLBACK_INTERFACE);
                    self.loader.process_in(
                        &mut d,
                        &mut loaded.tcp,
                        &mut loaded.stats,
                        self.frame,
                        &mut record,
                        data,
                        iface,
                    );
                    loaded.capture.index_mut().packets.push(record);
                }
                // A growing file at a block boundary: wait for the writer's next
                // flush (looping here would spin under the write lock).
                Step::End if self.growing => break,
                Step::End => self.done = true,
                Step::Incomplete => break,
                Step::Damaged(error) => {
                    loaded.capture.index_mut().damage = Some(error);
                    self.done = true;
                }
            }
            if count % 4096 == 0
                && let Some(watch) = &self.budget
                && !self.done
            {
                let kept = loaded.capture.len();
                let bytes_done = kept
                    .checked_sub(1)
                    .and_then(|i| loaded.capture.record(i))
                    .map_or(0, |r| r.data_offset() + u64::from(r.cap_len));
                if let Some(cut) = watch.check(kept, bytes_done, bytes.len() as u64) {
                    loaded.capture.index_mut().cut = Some(cut);
                    self.done = true;
                }
            }
            if count % 4096 == 0
                && loaded.capture.interfaces().len() != self.scanner.interfaces().len()
            {
                // Interfaces of pcapng files appear as the scan goes.
                loaded.capture.index_mut().interfaces = self.scanner.interfaces().to_vec();
            }
        }
        self.loader.return_dissection(d);
        if loaded.capture.interfaces().len() != self.scanner.interfaces().len() {
            loaded.capture.index_mut().interfaces = self.scanner.interfaces().to_vec();
        }
        if self.done
            && loaded.capture.damage().is_none()
            && let Some(d) = self.source.gzip_damage()
        {
            loaded.capture.index_mut().damage = Some(d.clone());
        }
        Progress {
            packets: loaded.capture.len(),
            bytes_done: loaded
                .capture
                .index()
                .packets
                .len()
                .checked_sub(1)
                .and_then(|i| loaded.capture.record(i))
                .map_or(0, |r| r.data_offset() + u64::from(r.cap_len)),
            bytes_total: bytes.len() as u64,
            done: self.done,
        }
    }

    /// Whether the whole file has been read.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// Follows a growing file: continue on `source`, a newer mapping of the same file.
    pub fn grow(&mut self, loaded: &mut Loaded, source: Arc<CaptureSource>) {
        self.source = source.clone();
        loaded.capture.set_source(source);
    }

    /// The file stopped growing (the capture ended): read to its end.
    pub fn finish_growing(&mut self) {
        self.growing = false;
    }
}

impl Loaded {
    /// Opens and loads `path`: the index, the TCP analysis and the counts, on every
    /// core the machine has (up to two).
    /// `SYNACK_LOAD_THREADS=1` forces one thread (to compare the two).
    pub fn open(path: &Path) -> Result<Loaded, OpenError> {
        Self::open_with(path, Prefs::default())
    }

    /// [`Loaded::open`] with tshark's preferences `prefs` (`-o`) in force for the load
    /// and every later dissection.
    pub fn open_with(path: &Path, prefs: Prefs) -> Result<Loaded, OpenError> {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let forced_single = std::env::var_os("SYNACK_LOAD_THREADS").is_some_and(|v| v == "1");
        if cores < 2 || forced_single {
            return Ok(Self::open_sequential_with(path, None, prefs)?.0);
        }
        match super::parallel::open(path, None, prefs, None)? {
            Some((loaded, _)) => Ok(loaded.with_prefs(prefs)),
            None => Ok(Self::open_sequential_with(path, None, prefs)?.0),
        }
    }

    /// Opens and loads `path` with one thread per partition of the capture (see
    /// `tcp/parallel.rs`); the result is the same as [`Loaded::open_sequential`]'s.
    /// `None` when the capture could not be split (a conversation seen under two
    /// address pairs, as through a tunnel).
    pub fn open_parallel(path: &Path) -> Result<Option<Loaded>, OpenError> {
        Ok(super::parallel::open(path, None, Prefs::default(), None)?.map(|(loaded, _)| loaded))
    }

    /// Opens and loads `path` in the calling thread: one pass that indexes each
    /// packet and runs the load pass on it while its bytes are still in the cache.
    pub fn open_sequential(path: &Path) -> Result<Loaded, OpenError> {
        Ok(Self::open_sequential_with(path, None, Prefs::default())?.0)
    }

    /// Opens and loads `path` and returns with it the packets (0-based, in order)
    /// that `filter` keeps: what [`Loaded::matching`] over the whole capture would
    /// return, found during the load when the load can answer the filter
    /// ([`super::load::answers_in_passing`]), which spares a second pass over every
    /// packet (`dump -Y ... -w`). `SYNACK_LOAD_THREADS=1` forces one thread.
    pub fn open_matching<P: PacketPredicate + Clone + 'static>(
        path: &Path,
        filter: &P,
        prefs: Prefs,
    ) -> Result<(Loaded, Vec<u32>), OpenError> {
        let (loaded, kept, _) = Self::open_matching_into(path, filter, prefs, None)?;
        Ok((loaded, kept))
    }

    /// [`Loaded::open_matching`] that also hands each packet the filter keeps to
    /// `take`, in order, while the load runs (an export written during the load).
    /// The flag says whether it did: when false, `take` may have received some of
    /// them (the load started again on one thread) and must forget them; the list
    /// returned is the answer either way.
    pub fn open_matching_into<P: PacketPredicate + Clone + 'static>(
        path: &Path,
        filter: &P,
        prefs: Prefs,
        take: Option<&mut dyn FnMut(PacketRef<'_>)>,
    ) -> Result<(Loaded, Vec<u32>, bool), OpenError> {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let forced_single = std::env::var_os("SYNACK_LOAD_THREADS").is_some_and(|v| v == "1");
        Self::open_matching_on(path, filter, cores >= 2 && !forced_single, prefs, take)
    }

    /// [`Loaded::open_matching_into`] on two threads (`parallel`) or one.
    pub fn open_matching_on<P: PacketPredicate + Clone + 'static>(
        path: &Path,
        filter: &P,
        parallel: bool,
        prefs: Prefs,
        take: Option<&mut dyn FnMut(PacketRef<'_>)>,
    ) -> Result<(Loaded, Vec<u32>, bool), OpenError> {
        if super::load::answers_in_passing(filter, parallel) {
            let shared: Arc<dyn PacketPredicate> = Arc::new(filter.clone());
            let streaming = take.is_some();
            if parallel
                && let Some((loaded, kept)) =
                    super::parallel::open(path, Some(shared.clone()), prefs, take)?
            {
                return Ok((loaded.with_prefs(prefs), kept, streaming));
            }
            // One thread, or a capture that could not be split.
            let (loaded, kept) = Self::open_sequential_with(path, Some(shared), prefs)?;
            return Ok((loaded, kept, false));
        }
        let loaded = if parallel {
            Self::open_with(path, prefs)?
        } else {
            Self::open_sequential_with(path, None, prefs)?.0
        };
        let kept = loaded.matching(filter, 0..loaded.len());
        Ok((loaded, kept, false))
    }

    /// The sequential load, evaluating `filter` (one the load can answer) in passing.
    fn open_sequential_with(
        path: &Path,
        filter: Option<Arc<dyn PacketPredicate>>,
        prefs: Prefs,
    ) -> Result<(Loaded, Vec<u32>), OpenError> {
        let (mut job, loaded) = LoadJob::start(path)?;
        let mut loaded = loaded.with_prefs(prefs);
        job.loader = match filter {
            Some(filter) => Loader::new().with_prefs(prefs).with_filter(filter),
            None => Loader::new().with_prefs(prefs),
        };
        while !job.run(&mut loaded, usize::MAX).done {}
        let kept = job.loader.take_matches();
        Ok((loaded, kept))
    }

    /// The packets of `range` (0-based) that `filter` keeps, in order. Each packet is
    /// dissected only as far as the filter's fields need; a long range is split across
    /// the machine's cores (every packet's analysis is already recorded, so the parts
    /// are independent). `frame.time_delta_displayed` is measured from the previous
    /// packet, as while a filter is typed in Wireshark.
    pub fn matching(&self, filter: &dyn PacketPredicate, range: Range<usize>) -> Vec<u32> {
        let range = range.start.min(self.len())..range.end.min(self.len());
        if range.len() < PARALLEL_FILTER_MIN {
            return self.matching_here(filter, range);
        }
        crate::pieces::in_order(range, FILTER_PIECE, |piece| {
            self.matching_here(filter, piece)
        })
        .concat()
    }

    fn matching_here(&self, filter: &dyn PacketPredicate, range: Range<usize>) -> Vec<u32> {
        let analysis = self.analysis();
        let mut d: Dissection<'_> = filter.dissection();
        let mut kept = Vec::new();
        for i in range {
            d.clear();
            let record = self.dissect_into(i, None, &analysis, &mut d);
            if record.is_some_and(|r| filter.matches(&d, self.capture.bytes_of(&r))) {
                kept.push(i as u32);
            }
        }
        kept
    }

    /// A loaded capture from its parts (read as a single pass).
    pub(crate) fn from_parts(capture: Capture, tcp: TcpResults, stats: LoadStats) -> Loaded {
        Loaded {
            capture,
            tcp,
            stats,
            second_pass: None,
            prefs: Prefs::default(),
        }
    }

    /// This capture with `prefs` in force for its dissections (the load that filled
    /// it must have run with the same).
    fn with_prefs(mut self, prefs: Prefs) -> Self {
        self.prefs = prefs;
        self
    }

    /// The preferences in force.
    pub fn prefs(&self) -> Prefs {
        self.prefs
    }

    /// Makes every later dissection a second pass (tshark's `-2`): links to later
    /// frames, final completeness and TLS versions.
    pub fn set_second_pass(&mut self, on: bool) {
        self.second_pass = on.then(OnceLock::new);
    }

    /// Makes every later dissection a second pass with links already built (by
    /// [`SecondPass::build`] under a shared borrow, so readers of a shared capture
    /// are not held up while they are gathered).
    pub fn set_second_pass_built(&mut self, second: SecondPass) {
        self.second_pass = Some(OnceLock::from(second));
    }

    /// The recorded analysis, for dissecting packets on demand.
    pub fn analysis(&self) -> Recorded<'_> {
        Recorded {
            capture: &self.capture,
            results: &self.tcp,
            second: self
                .second_pass
                .as_ref()
                .map(|s| s.get_or_init(|| SecondPass::build(&self.capture, &self.tcp))),
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
    ) -> Option<PacketRecord> {
        let ts_of = |p: Option<usize>| p.and_then(|p| self.capture.record(p)).map(|r| r.ts_nanos);
        let prev = (ts_of(i.checked_sub(1)), ts_of(prev_displayed));
        self.dissect_with(i, prev, analysis, d)
    }

    /// Dissects packet `i` (0-based) into `d` with `analysis`; `prev` holds the times
    /// of the previous captured and displayed packets (`None`: the packet's own).
    pub fn dissect_with<'a>(
        &'a self,
        i: usize,
        prev: (Option<i64>, Option<i64>),
        analysis: &'a dyn crate::dissect::context::Analysis,
        d: &mut Dissection<'a>,
    ) -> Option<PacketRecord> {
        let (record, bytes) = self.capture.packet(i)?;
        let first_ts = self
            .capture
            .record(0)
            .map_or(record.ts_nanos, |r| r.ts_nanos);
        let prev_ts = prev.0.unwrap_or(record.ts_nanos);
        let prev_displayed_ts = prev.1.unwrap_or(record.ts_nanos);
        let ctx = PacketContext {
            number: (i + 1) as u32,
            record,
            iface: self.capture.interface_of(&record),
            first_ts_nanos: first_ts,
            prev_ts_nanos: prev_ts,
            prev_displayed_ts_nanos: prev_displayed_ts,
            analysis: Some(analysis),
            marked: false,
            prefs: self.prefs,
        };
        crate::dissect::dissect_packet(d, &ctx, bytes);
        Some(record)
    }
}
