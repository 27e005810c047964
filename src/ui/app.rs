//! The app: persisted settings, the open capture and its workers, and the layout of
//! the panes. `logic` drains the workers; `ui` draws and then applies the actions
//! the panes returned. Nothing here blocks: the capture's lock is only tried.

use super::action::Action;
use super::capture_job::CaptureRequest;
use super::capture_menu::{CaptureMenu, CaptureView, QuitChoice, RATE_HISTORY};
use super::detail_tree::DetailTree;
use super::filter_bar::FilterBar;
use super::flow_graph::{FlowData, FlowGraph};
use super::hex_pane::HexPane;
use super::jobs::{Event, Jobs, Shared};
use super::model::{self, Coloring, Details, RowCache, TimeFormat};
use super::packet_list::{ListView, PacketList};
use super::{export_dialog, start_page, status_bar, theme, windows};
use crate::export::ranges::{RangeError, Ranges};
use crate::filter::Filter;
use crate::tcp::{Loaded, Progress};
use eframe::egui::{self, RichText};
use std::collections::{BTreeSet, HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use synack_capture::live::{self, Device, Stats};

/// The bundled sample capture (a real handshake, request, reply and four-way close).
pub const SAMPLE: &[u8] = include_bytes!("../../assets/samples/handshake.pcap");

/// Settings kept between runs.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Recently opened files, newest first.
    pub recent: Vec<PathBuf>,
    /// Time column format.
    pub time_format: TimeFormat,
    /// Apply colouring rules.
    pub colorize: bool,
    /// Dark theme.
    pub dark: bool,
    /// Show the teaching strip and Step column.
    pub teaching: bool,
    /// Filter history.
    pub filter_history: Vec<String>,
    /// Base font size in points.
    pub font_size: f32,
    /// The device last captured on.
    pub last_device: Option<String>,
    /// The capture filter last used.
    pub capture_filter: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            recent: Vec::new(),
            time_format: TimeFormat::SinceStart,
            colorize: true,
            dark: false,
            teaching: true,
            filter_history: Vec::new(),
            font_size: 13.5,
            last_device: None,
            capture_filter: String::new(),
        }
    }
}

const SETTINGS_KEY: &str = "synack-settings";

/// Longest the packet list waits in a frame for the loader to let go of the capture.
const LIST_LOCK_WAIT: Duration = Duration::from_millis(6);

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
    started: Instant,
    finished_in: Option<Duration>,
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
    /// A live capture whose packets are only in the temporary file.
    pub fn unsaved_capture(&self) -> bool {
        self.live.as_ref().is_some_and(|l| {
            self.progress.packets > 0
                && (l.running || l.saved_packets != Some(self.progress.packets))
        })
    }
}

impl Session {
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
}

/// The synack window.
pub struct App {
    /// Persisted settings.
    pub settings: Settings,
    jobs: Jobs,
    /// The open capture.
    pub session: Option<Session>,
    /// The filter bar.
    pub filter_bar: FilterBar,
    list: PacketList,
    /// The detail tree.
    pub tree: DetailTree,
    hex: HexPane,
    flow: FlowGraph,
    rows: RowCache,
    coloring: Coloring,
    /// The selected packet's details.
    pub details: Option<Details>,
    /// The flow pane's ladder.
    pub flow_data: FlowData,
    /// The stream the ladder shows and that stream's last frame when it was built.
    flow_key: Option<(u32, u32)>,
    /// A message for the user (errors from the engine, export results).
    pub message: Option<String>,
    windows: windows::Windows,
    export: export_dialog::ExportDialog,
    applied_font: f32,
    applied_dark: Option<bool>,
    /// A filter run whose first result replaces the rows still shown (the list never
    /// goes blank while a filter runs).
    pending: Option<Displayed>,
    /// The Capture menu's state.
    pub capture: CaptureMenu,
    /// The capture devices, once listed.
    devices: Option<Result<Vec<Device>, String>>,
    /// The device list was given (tests, snapshots): never sample the machine's.
    devices_fixed: bool,
    /// Packets per second of each device, oldest first.
    rates: HashMap<String, VecDeque<f32>>,
    /// The previous counter sample.
    counters: Option<(Instant, HashMap<String, u64>)>,
    /// The capture helper to run (tests point at the built one); `None`: look for it.
    pub capture_helper: Option<PathBuf>,
    /// The quit dialog is open.
    quit_dialog: bool,
    /// Quitting was confirmed: let the window close.
    quit_confirmed: bool,
    /// A save of the capture is running: its packet count, and whether to quit after.
    saving: Option<(usize, bool)>,
}

impl App {
    /// The app as eframe creates it, optionally opening `file` or capturing on a
    /// device with a filter at once (`capture`).
    pub fn new(
        cc: &eframe::CreationContext<'_>,
        file: Option<PathBuf>,
        capture: Option<(String, String)>,
    ) -> Self {
        let settings: Settings = cc
            .storage
            .and_then(|s| eframe::get_value(s, SETTINGS_KEY))
            .unwrap_or_default();
        let mut app = Self::with_settings(cc.egui_ctx.clone(), settings, file);
        if let Some((device, filter)) = capture {
            app.start_capture(device, filter);
        }
        app
    }

    /// The app with given settings (tests use defaults, not the user's).
    pub fn with_settings(ctx: egui::Context, settings: Settings, file: Option<PathBuf>) -> Self {
        theme::install_fonts(&ctx);
        let mut filter_bar = FilterBar::default();
        filter_bar.history = settings.filter_history.clone();
        let mut capture = CaptureMenu::default();
        capture.device = settings.last_device.clone();
        capture.filter = settings.capture_filter.clone();
        let mut app = App {
            settings,
            jobs: Jobs::new(ctx),
            session: None,
            filter_bar,
            list: PacketList::default(),
            tree: DetailTree::default(),
            hex: HexPane::default(),
            flow: FlowGraph::default(),
            rows: RowCache::default(),
            coloring: Coloring::new(),
            details: None,
            flow_data: FlowData::default(),
            flow_key: None,
            message: None,
            windows: windows::Windows::default(),
            export: export_dialog::ExportDialog::default(),
            applied_font: 0.0,
            applied_dark: None,
            pending: None,
            capture,
            devices: None,
            devices_fixed: false,
            rates: HashMap::new(),
            counters: None,
            capture_helper: None,
            quit_dialog: false,
            quit_confirmed: false,
            saving: None,
        };
        if let Some(f) = file {
            app.open(f);
        }
        app
    }

    /// Starts opening `path`.
    pub fn open(&mut self, path: PathBuf) {
        let generation = self.jobs.load(path.clone());
        self.begin_session(path, generation, None);
    }

    /// Starts capturing on `device` with a BPF `filter`: the helper writes a pcapng
    /// file in the temporary folder and the window follows it as it grows.
    pub fn start_capture(&mut self, device: String, filter: String) {
        if !filter.is_empty()
            && let Err(e) = live::check_filter(&filter)
        {
            self.message = Some(e.to_string());
            return;
        }
        let stamp = jiff::Timestamp::now().strftime("%Y%m%d%H%M%S").to_string();
        let safe: String = device
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let path = std::env::temp_dir().join(format!(
            "synack_{safe}_{stamp}_{}_{}.pcapng",
            std::process::id(),
            self.jobs.load_generation + 1
        ));
        self.settings.last_device = Some(device.clone());
        self.settings.capture_filter = filter.clone();
        self.capture.device = Some(device.clone());
        let generation = self.jobs.capture(CaptureRequest {
            device: device.clone(),
            filter,
            output: path.clone(),
            helper: self.capture_helper.clone(),
        });
        self.begin_session(
            path,
            generation,
            Some(LiveInfo {
                device,
                running: true,
                stats: Stats::default(),
                saved_packets: None,
            }),
        );
        self.list.auto_scroll = true;
    }

    /// Stops the running capture; its packets stay.
    pub fn stop_capture(&mut self) {
        if self
            .session
            .as_ref()
            .and_then(|s| s.live.as_ref())
            .is_some_and(|l| l.running)
        {
            self.jobs.cancel_load();
        }
    }

    fn begin_session(&mut self, path: PathBuf, generation: u64, live: Option<LiveInfo>) {
        self.list.auto_scroll = false;
        self.rows.clear();
        self.details = None;
        self.flow_data = FlowData::default();
        self.flow_key = None;
        self.tree.selected = None;
        self.message = None;
        if live.is_none()
            && path
                .file_name()
                .is_some_and(|n| n != "synack-sample-handshake.pcap")
        {
            self.settings.recent.retain(|p| p != &path);
            self.settings.recent.insert(0, path.clone());
            self.settings.recent.truncate(12);
        }
        self.session = Some(Session {
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
        });
        let text = self.filter_bar.applied.clone();
        if !text.is_empty() {
            self.apply_filter(text);
        }
    }

    /// Opens the bundled sample capture (written to a temporary file first).
    pub fn open_sample(&mut self) {
        let path = std::env::temp_dir().join("synack-sample-handshake.pcap");
        match crate::capture::atomic::write_file(&path, SAMPLE) {
            Ok(()) => self.open(path),
            Err(e) => {
                self.message = Some(format!(
                    "cannot write the sample capture to {}: {e}",
                    path.display()
                ))
            }
        }
    }

    /// Applies a display filter (empty: show everything).
    pub fn apply_filter(&mut self, text: String) {
        self.filter_bar.text = text.clone();
        self.filter_bar.applied = text.clone();
        let Some(session) = self.session.as_mut() else {
            return;
        };
        if text.trim().is_empty() {
            self.jobs.cancel_filter();
            self.pending = None;
            session.displayed = Displayed::All;
            return;
        }
        let filter = match Filter::compile(&text) {
            Ok(f) => f,
            Err(e) => {
                self.message = Some(format!("{} (at character {})", e.message, e.position + 1));
                return;
            }
        };
        self.filter_bar.remember(&text);
        self.settings.filter_history = self.filter_bar.history.clone();
        let Some(shared) = session.shared.clone() else {
            // Not opened yet: the filter starts when the capture does.
            session.displayed = Displayed::Filtered {
                text,
                generation: 0,
                list: Vec::new(),
                examined: 0,
                complete: false,
            };
            return;
        };
        let generation = self.jobs.filter(shared, filter);
        self.pending = Some(Displayed::Filtered {
            text,
            generation,
            list: Vec::new(),
            examined: 0,
            complete: false,
        });
    }

    /// Handles worker events.
    pub fn handle_events(&mut self) {
        for event in self.jobs.drain() {
            self.handle(event);
        }
    }

    fn handle(&mut self, event: Event) {
        match event {
            Event::Interfaces(devices) => {
                self.devices = Some(devices);
                return;
            }
            Event::InterfaceCounters { at, counters } => {
                self.add_counters(at, counters);
                return;
            }
            _ => {}
        }
        let Some(session) = self.session.as_mut() else {
            return;
        };
        match event {
            Event::CaptureStats { generation, stats } if generation == session.generation => {
                if let Some(live) = session.live.as_mut() {
                    live.stats = stats;
                }
            }
            Event::CaptureEnded { generation, error } if generation == session.generation => {
                if let Some(live) = session.live.as_mut() {
                    live.running = false;
                }
                self.list.auto_scroll = false;
                if let Some(e) = error {
                    self.message = Some(e);
                }
            }
            Event::LoadStarted { generation, shared } if generation == session.generation => {
                session.shared = Some(shared);
                if let Displayed::Filtered { text, .. } = &session.displayed {
                    let text = text.clone();
                    self.apply_filter(text);
                }
            }
            Event::LoadProgress {
                generation,
                progress,
            } if generation == session.generation => {
                session.progress = progress;
            }
            Event::LoadFinished {
                generation,
                progress,
                cancelled,
            } if generation == session.generation => {
                session.progress = progress;
                session.loading = false;
                session.cancelled = cancelled;
                session.finished_in = Some(session.started.elapsed());
                if let Some(shared) = &session.shared
                    && let Ok(l) = shared.read()
                {
                    session.progress.packets = l.len();
                    session.damage = l.capture.damage().map(|d| {
                            format!(
                                "The capture is damaged at byte {}: {}. The {} packets before the damage are listed. ({})",
                                d.offset,
                                d.what,
                                l.len(),
                                l.capture.source().path().display()
                            )
                        });
                }
                if session.damage.is_some() {
                    self.message = session.damage.clone();
                }
                if session.selected.is_none() && session.progress.packets > 0 && session.rows() > 0
                {
                    // A first selection shows the panes at once.
                    let first = session.packet_of(0);
                    if let Some(first) = first {
                        self.select(first);
                    }
                }
            }
            Event::LoadFailed {
                generation,
                message,
            } if generation == session.generation => {
                session.loading = false;
                self.message = Some(message);
                self.session = None;
            }
            Event::FilterProgress {
                generation,
                matches,
                examined,
            } => {
                Self::take_fresh(&mut self.pending, session, generation);
                if let Displayed::Filtered {
                    generation: g,
                    list,
                    examined: e,
                    ..
                } = &mut session.displayed
                    && *g == generation
                {
                    list.extend(matches);
                    *e = examined;
                }
            }
            Event::FilterFinished {
                generation,
                examined,
            } => {
                Self::take_fresh(&mut self.pending, session, generation);
                if let Displayed::Filtered {
                    generation: g,
                    examined: e,
                    complete,
                    ..
                } = &mut session.displayed
                    && *g == generation
                {
                    *e = examined;
                    *complete = true;
                }
            }
            Event::ExportFinished { result } => {
                if let Some((packets, quit)) = self.saving.take()
                    && let (Ok(_), Some(live)) = (&result, session.live.as_mut())
                {
                    live.saved_packets = Some(packets);
                    if quit {
                        self.quit_confirmed = true;
                    }
                }
                self.message = Some(match result {
                    Ok(path) => format!("Exported to {}", path.display()),
                    Err(e) => format!("Export failed: {e}"),
                });
            }
            _ => {}
        }
    }

    /// Whether the packet list drew text in every row of the last frame (no row
    /// waiting for its summary) and has rows at all.
    pub fn rows_shown_with_text(&self) -> bool {
        self.list.placeholders == 0 && self.session.as_ref().is_some_and(|s| s.rows() > 0)
    }

    /// The first result of filter run `generation` replaces the rows shown until then.
    fn take_fresh(pending: &mut Option<Displayed>, session: &mut Session, generation: u64) {
        if let Some(Displayed::Filtered { generation: g, .. }) = pending
            && *g == generation
            && let Some(fresh) = pending.take()
        {
            session.displayed = fresh;
        }
    }

    /// Turns two counter samples into packets per second for the sparklines.
    fn add_counters(&mut self, at: Instant, counters: Vec<(String, u64)>) {
        let now: HashMap<String, u64> = counters.into_iter().collect();
        if let Some((before, previous)) = &self.counters {
            let secs = at.duration_since(*before).as_secs_f32().max(0.001);
            for (name, count) in &now {
                let rate = previous
                    .get(name)
                    .map_or(0.0, |p| count.saturating_sub(*p) as f32 / secs);
                let history = self.rates.entry(name.clone()).or_default();
                history.push_back(rate);
                while history.len() > RATE_HISTORY {
                    history.pop_front();
                }
            }
            // `any` carries every interface's packets.
            let total: f32 = self
                .rates
                .iter()
                .filter(|(n, _)| n.as_str() != "any")
                .filter_map(|(_, h)| h.back())
                .sum();
            let any = self.rates.entry("any".into()).or_default();
            any.push_back(total);
            while any.len() > RATE_HISTORY {
                any.pop_front();
            }
        }
        self.counters = Some((at, now));
    }

    /// Shows these devices instead of the machine's (a fake device list, so that
    /// screenshots in tests do not depend on the machine's cards and traffic).
    pub fn use_devices(&mut self, devices: Vec<Device>) {
        self.devices = Some(Ok(devices));
        self.devices_fixed = true;
    }

    /// Keeps the machine's device list and packet rates coming while shown.
    fn want_interfaces(&mut self) {
        if !self.devices_fixed {
            self.jobs.want_interfaces();
        }
    }

    /// A live capture is running.
    pub fn capturing(&self) -> bool {
        self.session
            .as_ref()
            .and_then(|s| s.live.as_ref())
            .is_some_and(|l| l.running)
    }

    /// Asks where to save the captured packets and writes them there (all of them,
    /// through the atomic export path); `quit` closes the window once saved.
    fn save_capture_as(&mut self, quit: bool) {
        let Some(session) = self.session.as_ref() else {
            return;
        };
        let Some(shared) = session.shared.clone() else {
            return;
        };
        let name = session.live.as_ref().map_or_else(
            || "capture".to_string(),
            |l| format!("{}-capture", l.device),
        );
        let Some(path) = rfd::FileDialog::new()
            .add_filter("pcapng", &["pcapng"])
            .add_filter("pcap", &["pcap"])
            .set_file_name(format!("{name}.pcapng"))
            .save_file()
        else {
            return;
        };
        let format = if path.extension().is_some_and(|e| e == "pcap") {
            crate::capture::writer::Format::Pcap
        } else {
            crate::capture::writer::Format::PcapNg
        };
        let packets = session.progress.packets;
        match self
            .jobs
            .export(shared, (0..packets).collect(), format, path)
        {
            Ok(()) => self.saving = Some((packets, quit)),
            Err(e) => self.message = Some(e),
        }
    }

    /// Handles the window's close button: an unsaved capture asks first.
    fn check_quit(&mut self, ctx: &egui::Context) {
        let requested = ctx.input(|i| i.viewport().close_requested());
        if self.quit_confirmed {
            if requested || self.saving.is_none() {
                self.remove_saved_capture();
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            return;
        }
        if requested {
            if self.session.as_ref().is_some_and(Session::unsaved_capture) {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                self.quit_dialog = true;
            } else {
                self.remove_saved_capture();
            }
        }
        if !self.quit_dialog {
            return;
        }
        let packets = self.session.as_ref().map_or(0, |s| s.progress.packets);
        match super::capture_menu::quit_dialog_ui(ctx, packets) {
            Some(QuitChoice::Save) => {
                self.quit_dialog = false;
                self.stop_capture();
                self.save_capture_as(true);
            }
            Some(QuitChoice::Discard) => {
                self.quit_dialog = false;
                self.stop_capture();
                if let Some(s) = &self.session
                    && s.live.is_some()
                {
                    // The user chose to throw these packets away.
                    std::fs::remove_file(&s.path).ok();
                }
                self.quit_confirmed = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Some(QuitChoice::Cancel) => self.quit_dialog = false,
            None => {}
        }
    }

    /// A live capture's temporary file is removed on quit once it was saved elsewhere
    /// (an unsaved one stays, so a crash or a refused dialog never loses packets).
    fn remove_saved_capture(&self) {
        if let Some(s) = &self.session
            && let Some(live) = &s.live
            && !live.running
            && live.saved_packets == Some(s.progress.packets)
        {
            std::fs::remove_file(&s.path).ok();
        }
    }

    /// Selects packet `index` and refreshes the panes that show it.
    pub fn select(&mut self, index: usize) {
        let Some(session) = self.session.as_mut() else {
            return;
        };
        session.selected = Some(index);
        self.tree.selected = None;
        if let Some(row) = session.row_of(index) {
            self.list.scroll_to = Some(row);
        }
        self.flow.scroll_to_selected = true;
        self.refresh_selection();
    }

    fn refresh_selection(&mut self) {
        let Some(session) = self.session.as_ref() else {
            return;
        };
        let (Some(index), Some(shared)) = (session.selected, session.shared.clone()) else {
            return;
        };
        let Ok(loaded) = shared.read() else {
            return;
        };
        self.details = model::details(&loaded, index);
        self.refresh_flow(&loaded, index);
    }

    fn refresh_flow(&mut self, loaded: &Loaded, index: usize) {
        let stream = self.details.as_ref().and_then(|d| d.stream);
        let Some(stream) = stream else {
            self.flow_data = FlowData::default();
            self.flow_key = None;
            return;
        };
        // The ladder is rebuilt only when the selection leaves the window it draws or
        // the stream grew (while loading); walking a stream draws it once.
        let last_frame = loaded
            .tcp
            .streams
            .get(stream as usize)
            .map_or(0, |s| s.last_frame);
        let key = (stream, last_frame);
        let in_window = self
            .flow_data
            .ladder
            .as_ref()
            .is_some_and(|l| l.arrows.iter().any(|a| a.frame as usize == index + 1));
        if in_window && self.flow_key == Some(key) {
            return;
        }
        self.flow_key = Some(key);
        self.flow_data = flow_window(loaded, stream, index);
    }

    fn move_selection(&mut self, delta: isize) {
        let Some(session) = self.session.as_ref() else {
            return;
        };
        let rows = session.rows();
        if rows == 0 {
            return;
        }
        let current = session.selected.and_then(|i| session.row_of(i));
        let target = match current {
            Some(r) => (r as isize + delta).clamp(0, rows as isize - 1) as usize,
            None => 0,
        };
        if let Some(index) = session.packet_of(target) {
            self.select(index);
        }
    }

    fn apply(&mut self, ctx: &egui::Context, action: Action) {
        match action {
            Action::Open(path) => self.open(path),
            Action::OpenDialog => {
                if let Some(path) = rfd::FileDialog::new()
                    .add_filter(
                        "Captures",
                        &["pcap", "pcapng", "cap", "gz", "pcap.gz", "pcapng.gz"],
                    )
                    .add_filter("All files", &["*"])
                    .pick_file()
                {
                    self.open(path);
                }
            }
            Action::OpenSample => self.open_sample(),
            Action::Select(i) => {
                // The user looks at a packet: stop following new ones.
                self.list.auto_scroll = false;
                self.select(i);
            }
            Action::ApplyFilter(f) => self.apply_filter(f),
            Action::PrepareFilter(f) => {
                self.filter_bar.text = f;
                self.filter_bar.focus = true;
            }
            Action::ToggleMark(i) => {
                if let Some(s) = self.session.as_mut()
                    && !s.marked.remove(&i)
                {
                    s.marked.insert(i);
                }
            }
            Action::FollowStream(stream) => self.follow(stream),
            Action::Copy(text) => ctx.copy_text(text),
            Action::SelectLine(i) => self.tree.selected = Some(i),
            Action::SelectByte { source, offset } => {
                if let Some(d) = &self.details {
                    // The deepest item whose bytes hold this one.
                    let best = d
                        .lines
                        .iter()
                        .enumerate()
                        .filter(|(_, l)| {
                            l.source == source
                                && l.len > 0
                                && (l.start..l.start + l.len).contains(&offset)
                        })
                        .max_by_key(|(_, l)| (l.depth, std::cmp::Reverse(l.len)))
                        .map(|(i, _)| i);
                    if let Some(i) = best {
                        self.tree.selected = Some(i);
                        // Open its ancestors so it can be seen.
                        let line_depth = d.lines.get(i).map_or(0, |l| l.depth);
                        let mut depth = line_depth;
                        for l in d.lines.get(..i).unwrap_or(&[]).iter().rev() {
                            if l.depth < depth {
                                self.tree.open(l.depth, &l.label);
                                depth = l.depth;
                            }
                        }
                    }
                }
            }
            Action::CancelLoad => self.jobs.cancel_load(),
            Action::ExportDialog => self.export.open = true,
            Action::SaveFlow(svg) => self.save_flow(svg),
            Action::StartCapture { device, filter } => self.start_capture(device, filter),
            Action::StopCapture => self.stop_capture(),
            Action::SaveCaptureAs => self.save_capture_as(false),
        }
    }

    fn save_flow(&mut self, svg: bool) {
        let Some(ladder) = self.flow_data.ladder.clone() else {
            return;
        };
        let title = format!(
            "TCP stream {} of {}",
            ladder.stream,
            self.session
                .as_ref()
                .and_then(|s| s.path.file_name())
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        );
        let selected = self
            .session
            .as_ref()
            .and_then(|s| s.selected)
            .map(|i| (i + 1) as u32);
        let text = crate::export::flow::svg(&[(ladder, title)], selected);
        let (ext, name) = if svg {
            ("svg", "SVG image")
        } else {
            ("png", "PNG image")
        };
        let Some(path) = rfd::FileDialog::new()
            .add_filter(name, &[ext])
            .set_file_name(format!("flow.{ext}"))
            .save_file()
        else {
            return;
        };
        let result = if svg {
            crate::capture::atomic::write_file(&path, text.as_bytes()).map_err(|e| e.to_string())
        } else {
            crate::export::raster::svg_to_png(&text).and_then(|png| {
                crate::capture::atomic::write_file(&path, &png).map_err(|e| e.to_string())
            })
        };
        self.message = Some(match result {
            Ok(()) => format!("Saved the flow graph to {}", path.display()),
            Err(e) => format!("Could not save the flow graph: {e}"),
        });
    }

    fn keyboard(&mut self, ctx: &egui::Context) {
        if ctx.egui_wants_keyboard_input() {
            return;
        }
        let (down, up, pgdn, pgup, home, end, find, open) = ctx.input(|i| {
            (
                i.key_pressed(egui::Key::ArrowDown),
                i.key_pressed(egui::Key::ArrowUp),
                i.key_pressed(egui::Key::PageDown),
                i.key_pressed(egui::Key::PageUp),
                i.key_pressed(egui::Key::Home),
                i.key_pressed(egui::Key::End),
                i.modifiers.command && i.key_pressed(egui::Key::F),
                i.modifiers.command && i.key_pressed(egui::Key::O),
            )
        });
        if down {
            self.move_selection(1);
        }
        if up {
            self.move_selection(-1);
        }
        if pgdn {
            self.move_selection(20);
        }
        if pgup {
            self.move_selection(-20);
        }
        if home {
            self.move_selection(isize::MIN / 2);
        }
        if end {
            self.move_selection(isize::MAX / 2);
        }
        if find {
            self.filter_bar.focus = true;
        }
        if open {
            self.apply(ctx, Action::OpenDialog);
        }
    }

    fn status(&self) -> status_bar::Status {
        let mut status = status_bar::Status::default();
        let Some(s) = &self.session else {
            return status;
        };
        status.file = s
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        status.total = s.progress.packets;
        if let Displayed::Filtered {
            list,
            examined,
            complete,
            ..
        } = &s.displayed
        {
            status.displayed = Some(list.len());
            if !complete {
                status.filter = format!("filtering… {examined} of {} examined", s.progress.packets);
            }
        }
        if self.pending.is_some() {
            status.filter = "filtering…".into();
        }
        if let Some(live) = &s.live {
            let st = live.stats;
            let state = if live.running {
                format!("Capturing on {}", live.device)
            } else if s.unsaved_capture() {
                format!("Capture on {} stopped, not saved", live.device)
            } else {
                format!("Capture on {} stopped", live.device)
            };
            status.capture = format!(
                "{state} · received {} · dropped by kernel {} · dropped by interface {}",
                st.received, st.dropped, st.if_dropped
            );
            return status;
        }
        status.load = if s.loading {
            let pct = if s.progress.bytes_total > 0 {
                100.0 * s.progress.bytes_done as f64 / s.progress.bytes_total as f64
            } else {
                0.0
            };
            format!("loading… {pct:.0}%")
        } else if s.cancelled {
            "loading cancelled".into()
        } else if let Some(d) = s.finished_in {
            format!("loaded in {:.2} s", d.as_secs_f64())
        } else {
            String::new()
        };
        status
    }

    fn menu(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui.button("Open…").clicked() {
                    actions.push(Action::OpenDialog);
                    ui.close();
                }
                ui.menu_button("Open Recent", |ui| {
                    if self.settings.recent.is_empty() {
                        ui.weak("(none)");
                    }
                    for p in self.settings.recent.clone() {
                        if ui.button(p.display().to_string()).clicked() {
                            actions.push(Action::Open(p));
                            ui.close();
                        }
                    }
                });
                if ui.button("Open the sample capture").clicked() {
                    actions.push(Action::OpenSample);
                    ui.close();
                }
                ui.separator();
                let can_save = self.session.as_ref().is_some_and(|s| s.shared.is_some());
                if ui
                    .add_enabled(can_save, egui::Button::new("Save Capture As…"))
                    .clicked()
                {
                    actions.push(Action::SaveCaptureAs);
                    ui.close();
                }
                if ui
                    .add_enabled(
                        self.session.is_some(),
                        egui::Button::new("Export Specified Packets…"),
                    )
                    .clicked()
                {
                    actions.push(Action::ExportDialog);
                    ui.close();
                }
                ui.separator();
                if ui.button("Quit").clicked() {
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
            ui.menu_button("View", |ui| {
                ui.checkbox(&mut self.settings.colorize, "Colorize packet list");
                ui.checkbox(
                    &mut self.settings.teaching,
                    "Teaching mode (Step column, explanations)",
                );
                ui.checkbox(&mut self.settings.dark, "Dark theme");
                ui.separator();
                ui.label("Time display format");
                for f in [
                    TimeFormat::SinceStart,
                    TimeFormat::SincePrevious,
                    TimeFormat::Absolute,
                ] {
                    if ui
                        .radio(self.settings.time_format == f, f.label())
                        .clicked()
                    {
                        self.settings.time_format = f;
                        self.rows.clear();
                    }
                }
                ui.separator();
                ui.horizontal(|ui| {
                    ui.label("Font size");
                    if ui.button("−").clicked() {
                        self.settings.font_size = (self.settings.font_size - 1.0).max(9.0);
                    }
                    if ui.button("+").clicked() {
                        self.settings.font_size = (self.settings.font_size + 1.0).min(24.0);
                    }
                });
            });
            ui.menu_button("Capture", |ui| {
                self.want_interfaces();
                let view = CaptureView {
                    devices: self.devices.as_ref(),
                    rates: &self.rates,
                    running: self
                        .session
                        .as_ref()
                        .and_then(|s| s.live.as_ref())
                        .is_some_and(|l| l.running),
                };
                actions.extend(self.capture.menu_ui(ui, view));
            });
            ui.menu_button("Go", |ui| {
                for (label, delta) in [
                    ("Next packet", 1isize),
                    ("Previous packet", -1),
                    ("First packet", isize::MIN / 2),
                    ("Last packet", isize::MAX / 2),
                ] {
                    if ui.button(label).clicked() {
                        self.move_selection(delta);
                        ui.close();
                    }
                }
            });
            ui.menu_button("Statistics", |ui| {
                if ui.button("Expert Information").clicked() {
                    self.windows.experts = true;
                    ui.close();
                }
                if ui.button("Protocol Hierarchy").clicked() {
                    self.windows.hierarchy = true;
                    ui.close();
                }
            });
            ui.menu_button("Help", |ui| {
                ui.label(format!("synack {}", env!("CARGO_PKG_VERSION")));
                ui.label("A packet analyzer that explains TCP.");
            });
        });
    }

    fn toolbar(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        ui.horizontal(|ui| {
            if ui.button("📂 Open").clicked() {
                actions.push(Action::OpenDialog);
            }
            if ui
                .button("Sample")
                .on_hover_text("Open the bundled sample capture")
                .clicked()
            {
                actions.push(Action::OpenSample);
            }
            ui.separator();
            if self.capturing() {
                if ui
                    .button(RichText::new("■ Stop").color(theme::CAPTURING))
                    .on_hover_text("Stop capturing (the packets stay)")
                    .clicked()
                {
                    actions.push(Action::StopCapture);
                }
            } else {
                let device = self.capture.device.clone();
                let ok = device.is_some() && self.capture.filter_error().is_none();
                let hover = match &device {
                    Some(d) => format!("Capture on {d} (Capture menu: interface and filter)"),
                    None => "Choose an interface in the Capture menu".to_string(),
                };
                if ui
                    .add_enabled(ok, egui::Button::new("▶ Capture"))
                    .on_hover_text(hover.clone())
                    .on_disabled_hover_text(hover)
                    .clicked()
                    && let Some(device) = device
                {
                    actions.push(Action::StartCapture {
                        device,
                        filter: self.capture.filter.trim().to_string(),
                    });
                }
            }
            ui.separator();
            if ui.button("⏶ Prev").clicked() {
                self.move_selection(-1);
            }
            if ui.button("⏷ Next").clicked() {
                self.move_selection(1);
            }
            if let Some(s) = &self.session
                && s.loading
                && s.live.is_none()
            {
                ui.separator();
                let frac = if s.progress.bytes_total > 0 {
                    s.progress.bytes_done as f32 / s.progress.bytes_total as f32
                } else {
                    0.0
                };
                ui.add(
                    egui::ProgressBar::new(frac)
                        .desired_width(160.0)
                        .text(format!("{} packets", s.progress.packets)),
                );
                if ui.button("Cancel").clicked() {
                    actions.push(Action::CancelLoad);
                }
            }
        });
    }

    fn explanation_ui(&self, ui: &mut egui::Ui) {
        let Some(d) = &self.details else {
            ui.weak("Select a packet: its role in the TCP connection is explained here.");
            return;
        };
        match &d.teaching {
            Some([step, sender, receiver, relation, explain]) => {
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(format!("Packet #{}: {step}", d.index + 1)).strong());
                    if !relation.is_empty() {
                        ui.label(RichText::new(relation).monospace());
                    }
                    ui.label(format!("sender → {sender}, receiver → {receiver}"));
                });
                ui.label(explain);
            }
            None => {
                ui.label(
                    RichText::new(format!("Packet #{}: {}", d.index + 1, d.summary.protocol))
                        .strong(),
                );
                ui.label(&d.summary.info);
            }
        }
    }

    /// Draws the whole window (the body of `eframe::App::ui`).
    pub fn draw(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.handle_events();
        if self.applied_dark != Some(self.settings.dark) {
            ctx.set_visuals(theme::visuals(self.settings.dark));
            self.applied_dark = Some(self.settings.dark);
        }
        if (self.applied_font - self.settings.font_size).abs() > f32::EPSILON {
            let size = self.settings.font_size;
            ctx.all_styles_mut(|style| {
                for (text_style, font) in style.text_styles.iter_mut() {
                    font.size = match text_style {
                        egui::TextStyle::Heading => size + 6.0,
                        egui::TextStyle::Small => size - 3.0,
                        egui::TextStyle::Button
                        | egui::TextStyle::Body
                        | egui::TextStyle::Monospace => size,
                        _ => font.size,
                    };
                }
            });
            self.applied_font = size;
        }
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        let mut actions: Vec<Action> = dropped.into_iter().take(1).map(Action::Open).collect();
        self.keyboard(&ctx);
        self.check_quit(&ctx);

        let title = match &self.session {
            Some(Session {
                live: Some(live), ..
            }) if live.running => format!("synack — capturing on {}", live.device),
            Some(s) => format!(
                "synack — {}",
                s.path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            ),
            None => "synack".to_string(),
        };
        ctx.send_viewport_cmd(egui::ViewportCommand::Title(title));

        egui::Panel::top("top").show(ui, |ui| {
            self.menu(ui, &mut actions);
            self.toolbar(ui, &mut actions);
            actions.extend(self.filter_bar.ui(ui));
            ui.add_space(2.0);
        });
        let status = self.status();
        egui::Panel::bottom("status").show(ui, |ui| status_bar::ui(ui, &status));
        if let Some(m) = self.message.clone() {
            egui::Panel::bottom("message").show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.label(RichText::new(&m).color(theme::EXPERT_ERROR));
                    if ui.small_button("✖").on_hover_text("Dismiss").clicked() {
                        self.message = None;
                    }
                });
            });
        }
        if self.session.is_none() {
            egui::CentralPanel::default().show(ui, |ui| {
                self.want_interfaces();
                let view = CaptureView {
                    devices: self.devices.as_ref(),
                    rates: &self.rates,
                    running: false,
                };
                actions.extend(start_page::ui(
                    ui,
                    &self.settings.recent,
                    &mut self.capture,
                    view,
                ));
            });
            for a in actions {
                self.apply(&ctx, a);
            }
            return;
        }
        // Refresh what depends on the capture when the loader has added packets
        // (the selected stream's ladder grows while it loads).
        let loading = self.session.as_ref().is_some_and(|s| s.loading);
        if self.details.is_none() || (loading && self.flow_data.ladder.is_some()) {
            self.refresh_selection();
        }

        if self.settings.teaching {
            let bg = theme::explain_background(self.settings.dark);
            egui::Panel::bottom("explanation")
                .frame(egui::Frame::NONE.fill(bg).inner_margin(8.0))
                .show(ui, |ui| self.explanation_ui(ui));
        }
        let details = self.details.clone();
        let highlight = self
            .tree
            .selected
            .and_then(|i| details.as_ref().and_then(|d| d.lines.get(i)))
            .map(|l| (l.source, l.start, l.len));
        egui::Panel::bottom("details")
            .resizable(true)
            .default_size(300.0)
            .min_size(120.0)
            .show(ui, |ui| {
                // A resizable panel takes its content's size: fill it, or a short
                // placeholder on the first frames shrinks the pane for good.
                ui.take_available_space();
                egui::Panel::left("tree")
                    .resizable(true)
                    .default_size(600.0)
                    .show(ui, |ui| {
                        ui.take_available_space();
                        actions.extend(self.tree.ui(ui, details.as_ref()));
                    });
                egui::CentralPanel::default().show(ui, |ui| {
                    actions.extend(self.hex.ui(ui, details.as_ref(), highlight));
                });
            });
        let selected_frame = self
            .session
            .as_ref()
            .and_then(|s| s.selected)
            .map(|i| (i + 1) as u32);
        egui::Panel::right("flow")
            .resizable(true)
            .default_size(520.0)
            .min_size(300.0)
            .show(ui, |ui| {
                ui.take_available_space();
                actions.extend(self.flow.ui(ui, &self.flow_data, selected_frame));
            });
        egui::CentralPanel::default().show(ui, |ui| {
            let Some(session) = self.session.as_ref() else {
                return;
            };
            let shared = session.shared.clone();
            // The loader holds the write lock one batch at a time (LOAD_BATCH packets,
            // a few milliseconds): rows beat placeholders, so wait for it, but only so
            // long (a loader thread descheduled on a busy machine would stall the
            // frame); then the list draws from its cache.
            let guard = shared.as_ref().and_then(|s| s.read_within(LIST_LOCK_WAIT));
            if guard.is_none() && session.loading {
                ctx.request_repaint_after(Duration::from_millis(16));
            }
            let packet_of = |r: usize| session.packet_of(r);
            let view = ListView {
                rows: session.rows(),
                packet_of: &packet_of,
                loaded: guard.as_deref(),
                cache: &mut self.rows,
                selected: session.selected,
                marked: &session.marked,
                colorize: self.settings.colorize,
                time_format: self.settings.time_format,
                coloring: &self.coloring,
                show_step: self.settings.teaching,
            };
            actions.extend(self.list.ui(ui, view));
        });
        self.windows.ui(&ctx, self.session.as_ref());
        if let Some(request) = self.export.ui(&ctx, self.session.as_ref()) {
            self.start_export(request);
        }
        for a in actions {
            self.apply(&ctx, a);
        }
    }

    /// Opens the Follow TCP Stream window on `stream`.
    pub fn follow(&mut self, stream: u32) {
        if let Some(shared) = self.session.as_ref().and_then(|s| s.shared.clone())
            && let Ok(loaded) = shared.read()
        {
            self.windows.follow = Some(windows::follow_text(&loaded, stream));
        }
    }

    /// Starts exporting what `request` names (the dialog's "Save as…" ends here).
    pub fn start_export(&mut self, request: export_dialog::Request) {
        let Some(session) = self.session.as_ref() else {
            return;
        };
        let Some(shared) = session.shared.clone() else {
            return;
        };
        let total = session.progress.packets;
        let indices: Vec<usize> = match &request.what {
            export_dialog::What::Displayed => (0..session.rows())
                .filter_map(|r| session.packet_of(r))
                .collect(),
            export_dialog::What::Selected => session.selected.into_iter().collect(),
            export_dialog::What::Marked => session.marked.iter().copied().collect(),
            export_dialog::What::Range(text) => match Ranges::parse(text) {
                Ok(ranges) => (0..total).filter(|i| ranges.contains(i + 1)).collect(),
                Err(e) => {
                    self.message = Some(range_message(&e));
                    return;
                }
            },
        };
        if let Err(e) = self
            .jobs
            .export(shared, indices, request.format, request.path)
        {
            self.message = Some(e);
        }
    }

    /// Waits (in tests) until the load and any filter have finished.
    pub fn is_busy(&self) -> bool {
        self.pending.is_some()
            || self.session.as_ref().is_some_and(|s| {
                s.loading
                    || s.shared.is_none()
                    || matches!(
                        &s.displayed,
                        Displayed::Filtered {
                            complete: false,
                            ..
                        }
                    )
            })
    }
}

/// The ladder of `stream` around packet `index`: at most this many arrows.
const FLOW_WINDOW: usize = 300;

fn flow_window(loaded: &Loaded, stream: u32, index: usize) -> FlowData {
    let Some(info) = loaded.tcp.streams.get(stream as usize) else {
        return FlowData::default();
    };
    let start = (info.first_frame as usize).saturating_sub(1);
    let end = (info.last_frame as usize).min(loaded.len());
    let frames: Vec<usize> = (start..end)
        .filter(|i| {
            loaded
                .capture
                .record(*i)
                .is_some_and(|r| r.stream == stream)
        })
        .collect();
    let pos = frames.partition_point(|f| *f < index);
    let from = pos
        .saturating_sub(FLOW_WINDOW / 2)
        .min(frames.len().saturating_sub(FLOW_WINDOW));
    let to = (from + FLOW_WINDOW).min(frames.len());
    let window: Vec<usize> = frames.get(from..to).unwrap_or(&[]).to_vec();
    let ladder =
        crate::tcp::ladder::build(loaded, stream, false, |i| window.binary_search(&i).is_ok());
    FlowData {
        ladder,
        omitted: (from, frames.len() - to),
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.draw(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.settings);
    }
}

/// Whether `path` looks like a capture a user would open (for drag and drop).
pub fn is_capture_path(path: &Path) -> bool {
    path.is_file()
}

/// The export dialog's words for a refused packet range.
fn range_message(error: &RangeError) -> String {
    match error {
        RangeError::Empty => "Type the packets to export in the Range field, e.g. 1-10,15".into(),
        RangeError::Invalid { part, .. } => {
            format!(
                "The range \"{part}\" is not a packet range: write N, N-M, N- or -M, e.g. 1-10,15"
            )
        }
    }
}
