//! An open capture: its file, the workers' progress, what the list displays, the
//! selection and marks, and the live capture's counters.

use crate::tcp::Progress;
use crate::ui::jobs::Shared;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use synack_capture::live::Stats;

/// Which packets the list shows.
#[derive(Debug, Clone)]
pub enum Displayed {
    /// Every packet.
    All,
    /// The packets a filter kept.
    Filtered {
        /// The filter.
        text: String,
        /// Its run.
        generation: u64,
        /// Kept packet indices, increasing.
        list: Vec<u32>,
        /// Packets examined so far.
        examined: usize,
        /// The run has finished.
        complete: bool,
    },
}

/// An open capture.
#[derive(Debug)]
pub struct Session {
    /// The file.
    pub path: PathBuf,
    /// Which load.
    pub generation: u64,
    /// The capture, once the loader has opened it.
    pub shared: Option<Shared>,
    /// Load progress.
    pub progress: Progress,
    /// Still loading.
    pub loading: bool,
    /// The user cancelled the load.
    pub cancelled: bool,
    /// When the load started.
    pub started: Instant,
    /// How long the load took, once it ended.
    pub finished_in: Option<Duration>,
    /// What the list shows.
    pub displayed: Displayed,
    /// Selected packet index.
    pub selected: Option<usize>,
    /// Marked packets.
    pub marked: BTreeSet<usize>,
    /// The engine's message about damage, once loading ends.
    pub damage: Option<String>,
    /// Set when the packets come from a live capture.
    pub live: Option<LiveInfo>,
    /// Expert items by severity (errors, warnings, notes, chats), once loaded.
    pub experts: Option<[u64; 4]>,
}

/// A live capture: the device, the helper's counters, and whether it was saved.
#[derive(Debug, Clone)]
pub struct LiveInfo {
    /// Device name.
    pub device: String,
    /// The helper is still capturing.
    pub running: bool,
    /// Its latest counters.
    pub stats: Stats,
    /// Packets in the last file the capture was saved to.
    pub saved_packets: Option<usize>,
}

impl Session {
    /// A session whose load (generation `generation`) starts now.
    pub fn new(path: PathBuf, generation: u64, live: Option<LiveInfo>) -> Session {
        Session {
            path,
            generation,
            shared: None,
            progress: Progress {
                packets: 0,
                bytes_done: 0,
                bytes_total: 0,
                done: false,
            },
            loading: true,
            cancelled: false,
            started: Instant::now(),
            finished_in: None,
            displayed: Displayed::All,
            selected: None,
            marked: BTreeSet::new(),
            damage: None,
            live,
            experts: None,
        }
    }

    /// A live capture whose packets are only in the temporary file.
    pub fn unsaved_capture(&self) -> bool {
        self.live.as_ref().is_some_and(|l| {
            self.progress.packets > 0
                && (l.running || l.saved_packets != Some(self.progress.packets))
        })
    }

    /// Number of displayed rows.
    pub fn rows(&self) -> usize {
        match &self.displayed {
            Displayed::All => self.progress.packets,
            Displayed::Filtered { list, .. } => list.len(),
        }
    }

    /// Packet index of displayed row `r`.
    pub fn packet_of(&self, r: usize) -> Option<usize> {
        match &self.displayed {
            Displayed::All => (r < self.progress.packets).then_some(r),
            Displayed::Filtered { list, .. } => list.get(r).map(|i| *i as usize),
        }
    }

    /// Displayed row of packet `index`.
    pub fn row_of(&self, index: usize) -> Option<usize> {
        match &self.displayed {
            Displayed::All => (index < self.progress.packets).then_some(index),
            Displayed::Filtered { list, .. } => list.binary_search(&(index as u32)).ok(),
        }
    }

    /// The number of displayed rows and the selected packet's row (if shown), or
    /// `None` while no row is displayed.
    pub fn rows_and_selected_row(&self) -> Option<(usize, Option<usize>)> {
        let rows = self.rows();
        (rows > 0).then(|| (rows, self.selected.and_then(|i| self.row_of(i))))
    }

    /// The file's name, for titles and the status bar.
    pub fn file_name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}
