//! The runtime state of the window: never saved, changed only by `apply`.

use super::{Displayed, Session, Settings};
use crate::ui::jobs::Jobs;
use crate::ui::layout::DetailTab;
use crate::ui::model::{Coloring, Details, RowCache};
use crate::ui::navigate::{FindRun, Found};
use crate::ui::panes::capture_menu::CaptureMenu;
use crate::ui::panes::flow_graph::{FlowData, FlowGraph};
use crate::ui::panes::packet_list::PacketList;
use crate::ui::panes::search_bar::SearchBar;
use crate::ui::panes::{detail_tree::DetailTree, filter_bar::FilterBar, hex_pane::HexPane};
use crate::ui::windows::Windows;
use eframe::egui;
use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::time::Instant;
use synack_capture::live::Device;

/// Everything the window shows and the workers it runs.
#[derive(Debug)]
pub struct State {
    /// The context the window draws in (clipboard, viewport commands, repaints).
    pub ctx: egui::Context,
    /// Persisted settings.
    pub settings: Settings,
    /// The workers.
    pub jobs: Jobs,
    /// The open capture.
    pub session: Option<Session>,
    /// A filter run whose first result replaces the rows still shown (the list never
    /// goes blank while a filter runs).
    pub pending: Option<Displayed>,
    /// The filter bar.
    pub filter_bar: FilterBar,
    /// The packet list.
    pub list: PacketList,
    /// The detail tree.
    pub tree: DetailTree,
    /// The bytes pane.
    pub hex: HexPane,
    /// The flow pane.
    pub flow: FlowGraph,
    /// The Capture menu's state.
    pub capture: CaptureMenu,
    /// Rows of the packet list computed so far.
    pub rows: RowCache,
    /// The colouring rules.
    pub coloring: Coloring,
    /// The selected packet's details.
    pub details: Option<Details>,
    /// The flow pane's ladder.
    pub flow_data: FlowData,
    /// The stream the ladder shows and that stream's last frame when it was built.
    pub flow_key: Option<(u32, u32)>,
    /// The selected packet's details or ladder wait to be (re)built: the capture's
    /// lock was busy, or the load added packets.
    pub selection_stale: bool,
    /// A message for the user (errors from the engine, export results).
    pub message: Option<String>,
    /// The floating windows.
    pub windows: Windows,
    /// The packet diagram's own state.
    pub diagram: crate::ui::panes::diagram::DiagramPane,
    /// The capture devices, once listed.
    pub devices: Option<Result<Vec<Device>, String>>,
    /// Captures left unsaved by windows that died, offered on the start page.
    pub unsaved: Vec<crate::ui::recovery::Unsaved>,
    /// The device list was given (tests, snapshots): never sample the machine's.
    pub devices_fixed: bool,
    /// Packets per second of each device, oldest first.
    pub rates: HashMap<String, VecDeque<f32>>,
    /// The previous counter sample.
    pub counters: Option<(Instant, HashMap<String, u64>)>,
    /// The capture helper to run (tests point at the built one); `None`: look for it.
    pub capture_helper: Option<PathBuf>,
    /// The quit dialog is open.
    pub quit_dialog: bool,
    /// Quitting was confirmed: let the window close.
    pub quit_confirmed: bool,
    /// A save of the capture is running: its packet count, and whether to quit after.
    pub saving: Option<(usize, bool)>,
    /// The Go to packet / Find packet bar.
    pub search: SearchBar,
    /// A Find packet search still running.
    pub find: Option<FindRun>,
    /// What the last search found in its packet, to select once its details are built.
    pub found: Option<Found>,
    /// Ladder view: the ladder takes the window, the list is a strip.
    pub ladder_view: bool,
    /// The tab the details area shows beside the bytes.
    pub detail_tab: DetailTab,
    /// The teaching modes (step's Play, predict, reorder, the picker).
    pub teach: crate::ui::teach::Teach,
}

impl State {
    /// The state of a window with no capture open, drawing in `ctx`.
    pub fn new(ctx: egui::Context, settings: Settings) -> Self {
        let mut filter_bar = FilterBar::default();
        filter_bar.history = settings.filter_history.clone();
        let mut capture = CaptureMenu::default();
        capture.device = settings.last_device.clone();
        capture.filter = settings.capture_filter.clone();
        capture.options = settings.capture_options.clone();
        State {
            jobs: Jobs::new(ctx.clone()),
            ctx,
            settings,
            session: None,
            pending: None,
            filter_bar,
            list: PacketList::default(),
            tree: DetailTree::default(),
            hex: HexPane::default(),
            flow: FlowGraph::default(),
            capture,
            rows: RowCache::default(),
            coloring: Coloring::new(),
            details: None,
            flow_data: FlowData::default(),
            flow_key: None,
            selection_stale: false,
            message: None,
            windows: Windows::default(),
            devices: None,
            diagram: Default::default(),
            unsaved: Vec::new(),
            devices_fixed: false,
            rates: HashMap::new(),
            counters: None,
            capture_helper: None,
            quit_dialog: false,
            quit_confirmed: false,
            saving: None,
            search: SearchBar::default(),
            find: None,
            found: None,
            ladder_view: false,
            detail_tab: DetailTab::default(),
            teach: Default::default(),
        }
    }

    /// Shows these devices instead of the machine's (a fake device list, so that
    /// screenshots in tests do not depend on the machine's cards and traffic).
    pub fn use_devices(&mut self, devices: Vec<Device>) {
        self.devices = Some(Ok(devices));
        self.devices_fixed = true;
    }

    /// Keeps the machine's device list and packet rates coming while shown.
    pub fn want_interfaces(&mut self) {
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

    /// Whether the packet list drew text in every row of the last frame (no row
    /// waiting for its summary) and has rows at all.
    pub fn rows_shown_with_text(&self) -> bool {
        self.list.placeholders == 0 && self.session.as_ref().is_some_and(|s| s.rows() > 0)
    }

    /// The selected packet's frame number (1-based).
    pub fn selected_frame(&self) -> Option<u32> {
        self.session
            .as_ref()
            .and_then(|s| s.selected)
            .map(|i| (i + 1) as u32)
    }

    /// Whether a load or a filter is still running (tests and benches wait on it).
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

    /// The window's title: the file, or the device being captured on.
    pub fn title(&self) -> String {
        match &self.session {
            Some(s) => match &s.live {
                Some(live) if live.running => {
                    crate::tr!("title-capturing", device = live.device.as_str())
                }
                _ => format!("synack — {}", s.file_name()),
            },
            None => "synack".to_string(),
        }
    }
}
