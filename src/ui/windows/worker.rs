//! The worker a Statistics window computes on: it reads the capture under its own
//! read lock on a named thread, hands the result back over a bounded channel and
//! wakes the window; the UI thread only polls (`try_recv`), never waits. A worker
//! may first hand over a partial result (a first slice of the capture) through its
//! [`Partial`], so that a window over a million packets shows data at once.

use crate::tcp::Loaded;
use crate::ui::jobs::{Shared, spawn_named};
use eframe::egui;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TryRecvError};
use std::time::{Duration, Instant};

/// What a worker sends: a partial result, or the complete one (the last).
#[derive(Debug)]
enum Update<T> {
    Partial(T),
    Complete(T),
}

/// Partial results a computation may send before its complete one. The channel has
/// room for them and the complete result, so no send ever waits for the window.
const PARTIALS: usize = 1;

/// A worker's way to hand a partial result to its window before the complete one.
#[derive(Debug)]
pub struct Partial<T> {
    tx: SyncSender<Update<T>>,
    ctx: Option<egui::Context>,
    cancel: Arc<AtomicBool>,
    left: std::cell::Cell<usize>,
}

impl<T> Partial<T> {
    /// Whether a partial result would still be taken: the computation is not
    /// cancelled and has not sent all it may (compute one only when it would be).
    pub fn wanted(&self) -> bool {
        self.left.get() > 0 && !self.cancel.load(Ordering::Relaxed)
    }

    /// Hands `value` to the window (dropped when no longer [wanted](Partial::wanted)).
    pub fn send(&self, value: T) {
        if !self.wanted() {
            return;
        }
        self.left.set(self.left.get() - 1);
        if self.tx.try_send(Update::Partial(value)).is_ok()
            && let Some(ctx) = &self.ctx
        {
            ctx.request_repaint();
        }
    }
}

/// One computation at a time, the newest wins.
#[derive(Debug)]
pub struct Background<T> {
    rx: Option<Receiver<Update<T>>>,
    cancel: Arc<AtomicBool>,
    started: Option<Instant>,
}

/// Packets a window's first look covers (its partial result) on a capture several
/// times longer: on a million packets a few percent of the work, done in a few
/// tens of milliseconds.
pub const FIRST_LOOK: usize = 16 * 1024;

/// Whether a first look at `loaded` is worth sending before the complete result
/// (the capture is much longer than the first look).
pub fn first_look_pays(loaded: &Loaded, partial_wanted: bool, first_look: usize) -> bool {
    partial_wanted && loaded.len() > first_look * 4
}

/// While the capture still loads, a window recounts at most this often: each count
/// holds the capture's read lock, which the loader waits for.
const WHILE_LOADING: Duration = Duration::from_secs(3);

impl<T> Default for Background<T> {
    fn default() -> Self {
        Background {
            rx: None,
            cancel: Arc::new(AtomicBool::new(false)),
            started: None,
        }
    }
}

impl<T: Send + 'static> Background<T> {
    /// Starts `work` on a thread called `name` over `shared` (cancelling the one
    /// running); `work` should return early once its cancel flag is set.
    pub fn start(
        &mut self,
        name: &str,
        shared: Shared,
        ctx: Option<egui::Context>,
        work: impl FnOnce(&Loaded, &AtomicBool) -> T + Send + 'static,
    ) {
        self.start_with_partial(name, shared, ctx, move |loaded, cancel, _| {
            work(loaded, cancel)
        });
    }

    /// [`Background::start`] for a `work` that may send a partial result first
    /// (see [`Partial`]); [`Background::poll`] returns it, and
    /// [`Background::running`] stays true until the complete result is in.
    pub fn start_with_partial(
        &mut self,
        name: &str,
        shared: Shared,
        ctx: Option<egui::Context>,
        work: impl FnOnce(&Loaded, &AtomicBool, &Partial<T>) -> T + Send + 'static,
    ) {
        self.cancel.store(true, Ordering::Relaxed);
        self.started = Some(Instant::now());
        let cancel = Arc::new(AtomicBool::new(false));
        self.cancel = cancel.clone();
        // Room for every partial result and the complete one: a send never blocks.
        let (tx, rx) = std::sync::mpsc::sync_channel(PARTIALS + 1);
        self.rx = Some(rx);
        let started = spawn_named(name, move || {
            let partial = Partial {
                tx,
                ctx,
                cancel: cancel.clone(),
                left: std::cell::Cell::new(PARTIALS),
            };
            let result = match shared.read() {
                Ok(loaded) => work(&loaded, &cancel, &partial),
                Err(_) => return,
            };
            if !cancel.load(Ordering::Relaxed)
                && partial.tx.try_send(Update::Complete(result)).is_ok()
                && let Some(ctx) = partial.ctx
            {
                ctx.request_repaint();
            }
        });
        if started.is_err() {
            self.rx = None;
        }
    }

    /// The newest result that has arrived, partial or complete (never waits); once
    /// the complete one is taken the computation no longer [runs](Background::running).
    pub fn poll(&mut self) -> Option<T> {
        let mut newest = None;
        while let Some(rx) = self.rx.as_ref() {
            match rx.try_recv() {
                Ok(Update::Partial(value)) => newest = Some(value),
                Ok(Update::Complete(value)) => {
                    self.rx = None;
                    return Some(value);
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => self.rx = None,
            }
        }
        newest
    }

    /// Whether a new computation should wait: one is running, or the capture
    /// still loads (`loading`) and the last one started less than a few seconds ago.
    pub fn should_wait(&self, loading: bool) -> bool {
        self.running() || (loading && self.started.is_some_and(|t| t.elapsed() < WHILE_LOADING))
    }

    /// Whether to start computing `key`: not when the result on hand (`current`) is
    /// for it, nor while a computation runs for it, or runs at all while the capture
    /// still loads (let it finish before counting a longer capture), nor while
    /// [`Background::should_wait`]. Remembers `key` as `wanted` once it is not on hand.
    pub fn wants<K: PartialEq + Clone>(
        &self,
        key: &K,
        current: Option<&K>,
        wanted: &mut Option<K>,
        loading: bool,
    ) -> bool {
        if current == Some(key) || (self.running() && (wanted.as_ref() == Some(key) || loading)) {
            return false;
        }
        *wanted = Some(key.clone());
        !self.should_wait(loading)
    }

    /// Whether to start computing `key` where a running computation is never
    /// replaced: not when the result on hand (`current`) is for it, nor while
    /// [`Background::should_wait`].
    pub fn wants_when_idle<K: PartialEq>(
        &self,
        key: &K,
        current: Option<&K>,
        loading: bool,
    ) -> bool {
        current != Some(key) && !self.should_wait(loading)
    }

    /// Whether a computation is running.
    pub fn running(&self) -> bool {
        self.rx.is_some()
    }
}

impl<T> Drop for Background<T> {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::jobs::SharedCapture;

    #[test]
    fn a_partial_result_comes_first_and_the_computation_runs_until_the_complete_one() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/captures/tcp_clean_close.pcap");
        let loaded = match Loaded::open(&path) {
            Ok(l) => l,
            Err(e) => panic!("{e}"),
        };
        let shared = SharedCapture::new(loaded);
        // The worker sends its partial result, then waits until the test has taken
        // it before computing the complete one.
        let (taken_tx, taken_rx) = std::sync::mpsc::sync_channel::<()>(1);
        let mut worker: Background<usize> = Background::default();
        worker.start_with_partial("test-worker", shared, None, move |loaded, _, partial| {
            assert!(partial.wanted());
            partial.send(1);
            // Beyond the partial results allowed: dropped, never waits.
            assert!(!partial.wanted());
            partial.send(2);
            let _ = taken_rx.recv_timeout(Duration::from_secs(10));
            loaded.len()
        });
        let poll_until = |worker: &mut Background<usize>| {
            let start = Instant::now();
            loop {
                if let Some(v) = worker.poll() {
                    return Some(v);
                }
                if start.elapsed() > Duration::from_secs(10) {
                    return None;
                }
                std::thread::sleep(Duration::from_millis(1));
            }
        };
        assert_eq!(poll_until(&mut worker), Some(1));
        assert!(worker.running());
        let _ = taken_tx.send(());
        assert_eq!(poll_until(&mut worker), Some(19));
        assert!(!worker.running());
    }
}
