//! The worker a Statistics window computes on: it reads the capture under its own
//! read lock on a named thread, hands the result back over a bounded channel and
//! wakes the window; the UI thread only polls (`try_recv`), never waits.

use crate::tcp::Loaded;
use crate::ui::jobs::{Shared, spawn_named};
use eframe::egui;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::{Duration, Instant};

/// One computation at a time, the newest wins.
#[derive(Debug)]
pub struct Background<T> {
    rx: Option<Receiver<T>>,
    cancel: Arc<AtomicBool>,
    started: Option<Instant>,
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
        self.cancel.store(true, Ordering::Relaxed);
        self.started = Some(Instant::now());
        let cancel = Arc::new(AtomicBool::new(false));
        self.cancel = cancel.clone();
        // One result at most is ever sent: a channel of one never blocks it.
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        self.rx = Some(rx);
        let started = spawn_named(name, move || {
            let result = match shared.read() {
                Ok(loaded) => work(&loaded, &cancel),
                Err(_) => return,
            };
            if !cancel.load(Ordering::Relaxed)
                && tx.try_send(result).is_ok()
                && let Some(ctx) = ctx
            {
                ctx.request_repaint();
            }
        });
        if started.is_err() {
            self.rx = None;
        }
    }

    /// The result, if it has arrived (never waits).
    pub fn poll(&mut self) -> Option<T> {
        let rx = self.rx.as_ref()?;
        match rx.try_recv() {
            Ok(result) => {
                self.rx = None;
                Some(result)
            }
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => {
                self.rx = None;
                None
            }
        }
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
