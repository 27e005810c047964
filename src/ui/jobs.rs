//! Work that must not run on the UI thread: loading a capture, applying a display
//! filter, exporting, capturing live (`capture_job.rs`). Each runs on a named worker
//! thread, reports over a bounded channel and wakes the UI with `request_repaint`. The loaded capture is shared
//! behind a read-write lock that the loader takes for one batch at a time, so the
//! window can show the first rows while the rest loads.

use super::capture_job::{self, CaptureRequest};
use crate::capture::OpenError;
use crate::capture::writer::{self, Format};
use crate::filter::Filter;
use crate::tcp::{LoadJob, Loaded, Progress};
use eframe::egui;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};
use synack_capture::live::{Device, Stats};

/// Packets the loader reads under one write lock (about 3 ms of work).
pub const LOAD_BATCH: usize = 4096;
/// Packets the filter reads under one read lock (about 50 ms on two cores: larger
/// batches keep both cores busy between hand-offs; the list keeps its old rows until
/// the first batch is done).
pub const FILTER_BATCH: usize = 256 * 1024;

/// A capture shared between the workers and the window: a read-write lock behind a
/// turnstile. std's lock lets a writer that unlocks and locks again at once win over
/// a waiting reader, so a loader taking the write lock batch after batch starved the
/// window until the whole file was read (0.65 s before the first rows on an idle
/// machine). Workers wait their turn at the turnstile; the window never waits: it
/// only tries the lock, and when a writer holds it raises `window_waiting`, which the
/// writer honours before its next batch by stepping aside for a frame.
#[derive(Debug)]
pub struct SharedCapture {
    lock: RwLock<Loaded>,
    turnstile: Mutex<()>,
    window_waiting: AtomicBool,
}

/// A capture shared between the workers and the window.
pub type Shared = Arc<SharedCapture>;

/// How long a writer steps aside, at most, for the window that asked for the lock.
/// A whole frame (20 ms) held the load to one batch a frame: bench/gui.rs on the 1M
/// capture loaded in 3.1 s; 4 ms lets a frame that is about to start read and keeps
/// the load at 0.9 s (first rows and frame times unchanged).
const STEP_ASIDE: Duration = Duration::from_millis(4);

impl SharedCapture {
    /// Shares `loaded`.
    pub fn new(loaded: Loaded) -> Shared {
        Arc::new(SharedCapture {
            lock: RwLock::new(loaded),
            turnstile: Mutex::new(()),
            window_waiting: AtomicBool::new(false),
        })
    }

    fn turn(&self) -> std::sync::MutexGuard<'_, ()> {
        // The turnstile guards no data: a panic elsewhere leaves nothing to repair.
        self.turnstile
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Reads, after whoever came before (workers only: this blocks).
    pub fn read(&self) -> std::sync::LockResult<std::sync::RwLockReadGuard<'_, Loaded>> {
        let _turn = self.turn();
        self.lock.read()
    }

    /// Writes, after whoever came before (workers only: this blocks). If the window
    /// found the lock taken since the last write, the writer first lets it read.
    pub fn write(&self) -> std::sync::LockResult<std::sync::RwLockWriteGuard<'_, Loaded>> {
        let asked = Instant::now();
        while self.window_waiting.load(Ordering::Acquire) && asked.elapsed() < STEP_ASIDE {
            std::thread::sleep(Duration::from_millis(1));
        }
        self.window_waiting.store(false, Ordering::Release);
        let _turn = self.turn();
        self.lock.write()
    }

    /// Reads now if no writer holds the lock, for the window, which must never wait
    /// on a worker. `None` if a writer holds it (the writer then steps aside before
    /// its next batch, so the next frame's try succeeds) or panicked while writing.
    pub fn try_read(&self) -> Option<std::sync::RwLockReadGuard<'_, Loaded>> {
        match self.lock.try_read() {
            Ok(guard) => {
                self.window_waiting.store(false, Ordering::Release);
                Some(guard)
            }
            Err(std::sync::TryLockError::Poisoned(_)) => None,
            Err(std::sync::TryLockError::WouldBlock) => {
                self.window_waiting.store(true, Ordering::Release);
                None
            }
        }
    }
}

/// What a worker reports.
#[derive(Debug)]
pub enum Event {
    /// The file was opened; packets will follow in `shared`.
    LoadStarted {
        /// Which load.
        generation: u64,
        /// The capture being filled.
        shared: Shared,
    },
    /// More packets were read.
    LoadProgress {
        /// Which load.
        generation: u64,
        /// How far it is.
        progress: Progress,
    },
    /// The load ended (completely, by damage, or cancelled).
    LoadFinished {
        /// Which load.
        generation: u64,
        /// How far it got.
        progress: Progress,
        /// Whether the user cancelled it.
        cancelled: bool,
        /// Where and why the file is damaged, in the window's words (the packets
        /// before the damage are listed).
        damage: Option<String>,
    },
    /// The file could not be opened.
    LoadFailed {
        /// Which load.
        generation: u64,
        /// The engine's message.
        message: String,
    },
    /// Part of a filter's result.
    FilterProgress {
        /// Which filter run.
        generation: u64,
        /// Matching packet indices found in this batch (0-based, increasing).
        matches: Vec<u32>,
        /// Packets examined so far.
        examined: usize,
    },
    /// A filter run ended.
    FilterFinished {
        /// Which filter run.
        generation: u64,
        /// Packets examined.
        examined: usize,
    },
    /// An export ended.
    ExportFinished {
        /// The file written, or why not.
        result: Result<PathBuf, String>,
    },
    /// A flow graph image was saved (or why not).
    FlowSaved {
        /// The file written, or why not.
        result: Result<PathBuf, String>,
    },
    /// A chart or its data was saved (or why not).
    ChartSaved {
        /// The file written, or why not.
        result: Result<PathBuf, String>,
    },
    /// The capture helper's counters (the packets arrive through the load events).
    CaptureStats {
        /// Which capture (its load generation).
        generation: u64,
        /// Counters so far.
        stats: Stats,
    },
    /// The capture helper exited; the file is complete.
    CaptureEnded {
        /// Which capture.
        generation: u64,
        /// Why it ended early, if it failed.
        error: Option<String>,
    },
    /// The capture devices, or why they could not be listed.
    Interfaces(Result<Vec<Device>, String>),
    /// Captures left unsaved by windows that died (`recovery`).
    Unsaved(Vec<super::recovery::Unsaved>),
    /// Each interface's packet counter (received + sent) at one moment.
    InterfaceCounters {
        /// When they were read.
        at: Instant,
        /// Name and count.
        counters: Vec<(String, u64)>,
    },
}

/// The worker side of the channel, and the UI's handle to wake it.
#[derive(Debug, Clone)]
pub struct Reporter {
    tx: SyncSender<Event>,
    ctx: egui::Context,
}

impl Reporter {
    /// Sends an event that may be dropped when the UI is behind (progress).
    pub(super) fn progress(&self, event: Event) {
        match self.tx.try_send(event) {
            Ok(()) | Err(TrySendError::Full(_)) => {}
            Err(TrySendError::Disconnected(_)) => {}
        }
        self.ctx.request_repaint();
    }

    /// Sends an event that must arrive (results).
    pub(super) fn result(&self, event: Event) {
        // The receiver lives as long as the app; a send error means it is gone.
        if self.tx.send(event).is_err() {
            return;
        }
        self.ctx.request_repaint();
    }
}

/// Starts threads and receives their events.
#[derive(Debug)]
pub struct Jobs {
    tx: SyncSender<Event>,
    rx: Receiver<Event>,
    ctx: egui::Context,
    load_cancel: Option<Arc<AtomicBool>>,
    /// True while the newest load is still adding packets.
    load_active: Arc<AtomicBool>,
    filter_cancel: Option<Arc<AtomicBool>>,
    exporting: Arc<AtomicBool>,
    /// Until when the window shows a device list (the sampler stops after it).
    interfaces_wanted: Arc<Mutex<Instant>>,
    /// The device sampler is running.
    interfaces_running: Arc<AtomicBool>,
    /// Generation of the newest load.
    pub load_generation: u64,
    /// Generation of the newest filter run.
    pub filter_generation: u64,
}

/// Why a worker did not start.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// One export at a time (the second request gets this message).
    #[error("an export is already running; wait for it to finish")]
    ExportRunning,
    /// The system refused another thread.
    #[error("cannot start the {name} thread: {source}")]
    Thread {
        /// The thread's name.
        name: String,
        /// The system's reason.
        source: std::io::Error,
    },
}

impl JobError {
    /// The error in the window's language (the system's reason stays as it came).
    pub fn words(&self) -> String {
        match self {
            JobError::ExportRunning => crate::tr!("message-export-running"),
            JobError::Thread { name, source } => crate::tr!(
                "message-no-thread",
                name = name.as_str(),
                error = source.to_string()
            ),
        }
    }
}

/// Starts `f` on a thread called `name`.
pub(super) fn spawn_named(name: &str, f: impl FnOnce() + Send + 'static) -> Result<(), JobError> {
    std::thread::Builder::new()
        .name(name.to_string())
        .spawn(f)
        .map(|_| ())
        .map_err(|source| JobError::Thread {
            name: name.to_string(),
            source,
        })
}

/// [`spawn_named`] for callers that report errors as text (the capture's status reader).
pub(super) fn spawn(name: &str, f: impl FnOnce() + Send + 'static) -> Result<(), String> {
    spawn_named(name, f).map_err(|e| e.words())
}

impl Jobs {
    /// Jobs that wake `ctx`.
    pub fn new(ctx: egui::Context) -> Self {
        let (tx, rx) = std::sync::mpsc::sync_channel(256);
        Jobs {
            tx,
            rx,
            ctx,
            load_cancel: None,
            load_active: Arc::new(AtomicBool::new(false)),
            filter_cancel: None,
            exporting: Arc::new(AtomicBool::new(false)),
            interfaces_wanted: Arc::new(Mutex::new(Instant::now())),
            interfaces_running: Arc::new(AtomicBool::new(false)),
            load_generation: 0,
            filter_generation: 0,
        }
    }

    fn reporter(&self) -> Reporter {
        Reporter {
            tx: self.tx.clone(),
            ctx: self.ctx.clone(),
        }
    }

    /// The next event that arrived, without waiting.
    pub fn try_recv(&self) -> Option<Event> {
        self.rx.try_recv().ok()
    }

    /// Starts loading `path` (cancelling a load in progress).
    pub fn load(&mut self, path: PathBuf) -> u64 {
        self.start_load("synack-load", move |generation, cancel, report| {
            run_load(path, generation, cancel, report);
        })
    }

    /// Starts a live capture: the helper writes a pcapng file that this load follows
    /// as it grows (cancelling a load or capture in progress). Stop it with
    /// [`Jobs::cancel_load`]: the helper finishes the file and the rest is read.
    pub fn capture(&mut self, request: CaptureRequest) -> u64 {
        self.start_load("synack-capture", move |generation, stop, report| {
            capture_job::run_capture(request, generation, &stop, report);
        })
    }

    /// Starts `work` as the newest load on a thread called `name`, after cancelling
    /// the load and filter in progress; `work` gets the load's generation, its
    /// cancel flag and the reporter.
    fn start_load(
        &mut self,
        name: &str,
        work: impl FnOnce(u64, Arc<AtomicBool>, &Reporter) + Send + 'static,
    ) -> u64 {
        self.cancel_load();
        self.cancel_filter();
        self.load_generation += 1;
        let generation = self.load_generation;
        let cancel = Arc::new(AtomicBool::new(false));
        self.load_cancel = Some(cancel.clone());
        let active = Arc::new(AtomicBool::new(true));
        self.load_active = active.clone();
        let report = self.reporter();
        let started = spawn(name, move || {
            work(generation, cancel, &report);
            active.store(false, Ordering::SeqCst);
            report.ctx.request_repaint();
        });
        if let Err(message) = started {
            self.reporter().result(Event::LoadFailed {
                generation,
                message,
            });
        }
        generation
    }

    /// Keeps the device list and its packet rates coming for a few more seconds
    /// (called while a device list is on screen), starting the sampler if needed.
    pub fn want_interfaces(&mut self) {
        if let Ok(mut until) = self.interfaces_wanted.lock() {
            *until = Instant::now() + Duration::from_secs(3);
        }
        if self.interfaces_running.swap(true, Ordering::SeqCst) {
            return;
        }
        let wanted = self.interfaces_wanted.clone();
        let running = self.interfaces_running.clone();
        let report = self.reporter();
        let started = spawn("synack-interfaces", move || {
            capture_job::run_interfaces(&wanted, &report);
            running.store(false, Ordering::SeqCst);
        });
        if let Err(message) = started {
            self.interfaces_running.store(false, Ordering::SeqCst);
            self.reporter().result(Event::Interfaces(Err(message)));
        }
    }

    /// Looks in `dir` for captures left unsaved by windows that died, on a worker.
    pub fn find_unsaved(&self, dir: PathBuf) {
        let report = self.reporter();
        // Without the thread the offer is only missing: nothing else depends on it.
        spawn("synack-recovery", move || {
            let found = super::recovery::find(&dir, super::recovery::process_alive);
            report.result(Event::Unsaved(found));
        })
        .ok();
    }

    /// Deletes a capture left unsaved, on a worker (no file I/O on the UI thread).
    pub fn discard_unsaved(&self, path: PathBuf) {
        // A file that cannot be removed is offered again next time: nothing is lost.
        spawn("synack-discard", move || {
            std::fs::remove_file(&path).ok();
        })
        .ok();
    }

    /// Stops the load in progress (the packets read so far stay).
    pub fn cancel_load(&mut self) {
        if let Some(c) = self.load_cancel.take() {
            c.store(true, Ordering::Relaxed);
        }
    }

    /// Starts applying `filter` to the packets of `shared`, following the load if it
    /// is still running (`loading`).
    pub fn filter(&mut self, shared: Shared, filter: Filter) -> u64 {
        self.cancel_filter();
        self.filter_generation += 1;
        let generation = self.filter_generation;
        let cancel = Arc::new(AtomicBool::new(false));
        self.filter_cancel = Some(cancel.clone());
        let report = self.reporter();
        let active = self.load_active.clone();
        let started = spawn("synack-filter", move || {
            run_filter(shared, filter, generation, cancel, report, active)
        });
        if started.is_err() {
            self.reporter().result(Event::FilterFinished {
                generation,
                examined: 0,
            });
        }
        generation
    }

    /// Stops the filter run in progress.
    pub fn cancel_filter(&mut self) {
        if let Some(c) = self.filter_cancel.take() {
            c.store(true, Ordering::Relaxed);
        }
    }

    /// Exports the packets at `indices` to `path`; refuses when one is running.
    pub fn export(
        &mut self,
        shared: Shared,
        indices: Vec<usize>,
        format: Format,
        path: PathBuf,
    ) -> Result<(), JobError> {
        start_export(self, move || {
            let result = match shared.read() {
                Ok(loaded) => writer::export(&loaded.capture, &indices, format, &path)
                    .map(|()| path.clone())
                    .map_err(|e| e.to_string()),
                Err(_) => Err(crate::tr!("message-capture-gone")),
            };
            Event::ExportFinished { result }
        })
    }

    /// Writes the flow graph `svg` to `path`, rasterised to PNG first when `png`, on
    /// the export thread (rasterising takes long enough to drop frames).
    pub fn save_image(&mut self, svg: String, png: bool, path: PathBuf) -> Result<(), JobError> {
        start_export(self, move || {
            let bytes = if png {
                crate::export::raster::svg_to_png(&svg)
            } else {
                Ok(svg.into_bytes())
            };
            let result = bytes.and_then(|b| {
                crate::capture::atomic::write_file(&path, &b)
                    .map(|()| path.clone())
                    .map_err(|e| e.to_string())
            });
            Event::FlowSaved { result }
        })
    }
}

impl Jobs {
    /// Writes the bytes `render` makes (a chart as PNG or SVG, its data as CSV) to
    /// `path`, on the export thread: rendering and rasterising take frames.
    pub fn save_with(
        &mut self,
        path: PathBuf,
        render: impl FnOnce() -> Result<Vec<u8>, String> + Send + 'static,
    ) -> Result<(), JobError> {
        start_export(self, move || {
            let result = render().and_then(|b| {
                crate::capture::atomic::write_file(&path, &b)
                    .map(|()| path.clone())
                    .map_err(|e| e.to_string())
            });
            Event::ChartSaved { result }
        })
    }
}

/// Runs `work` on the export thread, one export at a time: a second request while
/// one runs is refused with a message.
fn start_export(
    jobs: &Jobs,
    work: impl FnOnce() -> Event + Send + 'static,
) -> Result<(), JobError> {
    if jobs.exporting.swap(true, Ordering::SeqCst) {
        return Err(JobError::ExportRunning);
    }
    let busy = jobs.exporting.clone();
    let report = jobs.reporter();
    spawn_named("synack-export", move || {
        let event = work();
        busy.store(false, Ordering::SeqCst);
        report.result(event);
    })
    .inspect_err(|_| jobs.exporting.store(false, Ordering::SeqCst))
}

/// The window's words for damage found while loading.
pub(super) fn damage_of(loaded: &Loaded) -> Option<String> {
    loaded.capture.damage().map(|d| {
        crate::tr!(
            "message-damaged",
            offset = d.offset.to_string(),
            what = d.what.to_string(),
            count = loaded.len(),
            path = loaded.capture.source().path().display().to_string()
        )
    })
}

/// Why a capture did not open, in the window's language: synack's own reasons are
/// translated; the system's (`No such file or directory`) and a header's stay as
/// the engine words them, inside a translated frame.
pub(super) fn open_error_words(e: &OpenError) -> String {
    match e {
        OpenError::Io { path, source } => {
            let system = source.to_string();
            let why = match source.kind() {
                std::io::ErrorKind::NotFound => crate::tr!("io-not-found", system = system),
                std::io::ErrorKind::PermissionDenied => {
                    crate::tr!("io-permission-denied", system = system)
                }
                _ => system,
            };
            crate::tr!(
                "message-cannot-read",
                path = path.display().to_string(),
                error = why
            )
        }
        OpenError::NotACapture { path, magic } => crate::tr!(
            "open-not-a-capture",
            path = path.display().to_string(),
            magic = magic.as_str()
        ),
        OpenError::TooShort {
            path,
            len,
            needed,
            format,
        } => crate::tr!(
            "open-too-short",
            path = path.display().to_string(),
            len = *len,
            needed = *needed,
            format = *format
        ),
        OpenError::NoRoomToInflate {
            path,
            dir,
            needed,
            free,
        } => crate::tr!(
            "open-no-room",
            path = path.display().to_string(),
            dir = dir.display().to_string(),
            needed = needed.as_str(),
            free = free.as_str()
        ),
        OpenError::BadHeader { path, what } => crate::tr!(
            "open-bad-header",
            path = path.display().to_string(),
            what = what.as_str()
        ),
    }
}

fn run_load(path: PathBuf, generation: u64, cancel: Arc<AtomicBool>, report: &Reporter) {
    let (mut job, loaded) = match LoadJob::start(&path) {
        Ok(x) => x,
        Err(e) => {
            report.result(Event::LoadFailed {
                generation,
                message: open_error_words(&e),
            });
            return;
        }
    };
    let shared: Shared = SharedCapture::new(loaded);
    report.result(Event::LoadStarted {
        generation,
        shared: shared.clone(),
    });
    loop {
        if cancel.load(Ordering::Relaxed) {
            let (progress, damage) = progress_of(&shared);
            report.result(Event::LoadFinished {
                generation,
                progress,
                cancelled: true,
                damage,
            });
            return;
        }
        let (progress, damage) = match shared.write() {
            Ok(mut loaded) => {
                let progress = job.run(&mut loaded, LOAD_BATCH);
                (progress, damage_of(&loaded))
            }
            Err(_) => return,
        };
        if progress.done {
            second_pass(&shared);
            report.result(Event::LoadFinished {
                generation,
                progress,
                cancelled: false,
                damage,
            });
            return;
        }
        report.progress(Event::LoadProgress {
            generation,
            progress,
        });
    }
}

/// Wireshark's window reads a file twice: a request shows its response, a stream
/// its final completeness, a PDU's earlier segments read as TCP. The links are
/// gathered here on the worker under a read lock (the window keeps drawing rows
/// meanwhile), then installed under a brief write lock.
fn second_pass(shared: &Shared) {
    let built = shared
        .read()
        .ok()
        .map(|l| crate::tcp::second_pass::SecondPass::build(&l.capture, &l.tcp));
    if let (Some(second), Ok(mut loaded)) = (built, shared.write()) {
        loaded.set_second_pass_built(second);
    }
}

/// The progress of a cancelled load, and its damage if any.
fn progress_of(shared: &Shared) -> (Progress, Option<String>) {
    shared.read().map_or(
        (
            Progress {
                packets: 0,
                bytes_done: 0,
                bytes_total: 0,
                done: true,
            },
            None,
        ),
        |l| {
            let progress = Progress {
                packets: l.len(),
                bytes_done: 0,
                bytes_total: l.capture.source().bytes().len() as u64,
                done: true,
            };
            (progress, damage_of(&l))
        },
    )
}

fn run_filter(
    shared: Shared,
    filter: Filter,
    generation: u64,
    cancel: Arc<AtomicBool>,
    report: Reporter,
    load_active: Arc<AtomicBool>,
) {
    let mut next = 0usize;
    loop {
        if cancel.load(Ordering::Relaxed) {
            return;
        }
        let (matches, total) = {
            let Ok(loaded) = shared.read() else { return };
            let total = loaded.len();
            let end = (next + FILTER_BATCH).min(total);
            let matches = loaded.matching(&filter, next..end);
            next = end;
            (matches, total)
        };
        if !matches.is_empty() || next == total {
            report.result(Event::FilterProgress {
                generation,
                matches,
                examined: next,
            });
        }
        if next >= total {
            if load_active.load(Ordering::SeqCst) {
                // The load is still adding packets: follow it.
                std::thread::sleep(std::time::Duration::from_millis(15));
                continue;
            }
            if shared.read().map(|l| l.len()).unwrap_or(0) > next {
                continue;
            }
            report.result(Event::FilterFinished {
                generation,
                examined: next,
            });
            return;
        }
    }
}
