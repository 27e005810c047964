//! The floating windows: Follow TCP Stream, the Statistics windows, Export Specified
//! Packets and the quit dialog. A window draws a copy of what it shows, built from the
//! capture when the UI thread gets the lock without waiting (in `App::logic`), so a
//! busy loader never stalls a frame. Adding a Statistics window is one file and one
//! line in [`statistics`].

mod all_flows;
pub mod chart;
mod conversations;
pub mod decode_as;
mod endpoints;
mod experts;
pub mod export_dialog;
pub mod follow;
mod hierarchy;
mod io_graph;
mod plots;
pub mod quit;
mod stream_graph;
mod table;
mod worker;

pub use chart::SaveChart;

use crate::tcp::Loaded;
use crate::ui::action::Action;
use crate::ui::jobs::Shared;
use eframe::egui;

/// A striped table that scrolls, with a header row (the Statistics windows' body).
pub(super) fn table(
    ui: &mut egui::Ui,
    id: &str,
    headers: &[&str],
    rows: impl FnOnce(&mut egui::Ui),
) {
    egui::ScrollArea::vertical()
        .auto_shrink(false)
        .show(ui, |ui| {
            egui::Grid::new(id)
                .striped(true)
                .num_columns(headers.len())
                .show(ui, |ui| {
                    for h in headers {
                        ui.strong(shown("heading", h));
                    }
                    ui.end_row();
                    rows(ui);
                });
        });
}

/// A window's title in the current language: the message `window-` + the English
/// title in lower case with dashes (`window-expert-information`), or the English title
/// while no resource has it (a new window reads in English until translated).
pub fn shown_title(title: &str) -> String {
    shown("window", title)
}

/// `english` in the current language, looked up as `PREFIX-` + its slug (letters and
/// digits in lower case, spaces and dashes as dashes; `Packets A → B` is
/// `heading-packets-a-b`): the English text while no resource has the message, so a
/// new heading reads in English until it is translated. Statistics tables keep their
/// English headings as keys (widths, CSV columns) and show them through this.
/// Text that is not English words is shown as it is, without a lookup: empty
/// headings, names in capitals (`SYN`, `RTT`: Wireshark's words in every language),
/// field abbreviations (`tcp.analysis.ack_rtt`) and text already translated.
pub fn shown(prefix: &str, english: &str) -> String {
    // CJK text (U+2E80 on) is a translation already; arrows and slashes are not.
    let translated = english.chars().any(|c| u32::from(c) >= 0x2E80);
    let field_abbrev = english.contains('.') && !english.contains(' ');
    let words = !translated && !field_abbrev && english.chars().any(|c| c.is_ascii_lowercase());
    if !words {
        return english.to_string();
    }
    let slug: String = english
        .chars()
        .filter_map(|c| match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' => Some(c.to_ascii_lowercase()),
            ' ' | '-' => Some('-'),
            _ => None,
        })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let id = format!("{prefix}-{slug}");
    let text = crate::tr!(&id);
    if text == id {
        english.to_string()
    } else {
        text
    }
}

/// A window of the Statistics menu: it keeps a copy of what it shows.
pub trait StatsWindow {
    /// Title, and the Statistics menu's entry.
    fn title(&self) -> &'static str;
    /// Takes what it shows from `loaded` (called under a read lock: copy, do not
    /// draw), for a window that [builds under the lock](StatsWindow::builds_under_lock).
    fn build(&mut self, _loaded: &Loaded) {}
    /// Draws the copy (the default [`StatsWindow::show`] calls it).
    fn ui(&self, _ui: &mut egui::Ui) {}
    /// Whether [`StatsWindow::build`] runs under the capture's lock on the UI thread
    /// (a small copy: Expert Information, Protocol Hierarchy); the windows that
    /// compute over the whole capture do it on their own worker in `show` instead.
    fn builds_under_lock(&self) -> bool {
        false
    }
    /// The window's size when it first opens.
    fn default_size(&self) -> [f32; 2] {
        [560.0, 360.0]
    }
    /// Draws the window with what it may need from the session; returns what the
    /// user asked for. Windows that act on the capture override it.
    fn show(&mut self, ui: &mut egui::Ui, _inputs: &Inputs) -> Vec<Action> {
        self.ui(ui);
        Vec::new()
    }
    /// Whether it shows its complete content (a window computing on a worker says
    /// no until the result is in; benches wait on it).
    fn ready(&self) -> bool {
        true
    }
    /// Whether it shows data, if not all of it yet (a window computing on a worker
    /// may show a first look at the capture before its complete result).
    fn shows_data(&self) -> bool {
        self.ready()
    }
    /// Takes a request from elsewhere in the window (a stream to graph, a field to
    /// plot); true if this window took it (it then opens).
    fn request(&mut self, _request: &WindowRequest) -> bool {
        false
    }
}

/// What the rest of the window asks a Statistics window to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WindowRequest {
    /// Graph this TCP stream (Statistics ▸ TCP Stream Graphs).
    StreamGraph(u32),
    /// Add a graph of this field to the I/O graph ("Graph this field").
    GraphField(String),
}

/// What the windows computing on their own worker need from the session, kept
/// current by [`sync`] after each action.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// The open capture.
    pub shared: Option<Shared>,
    /// Packets loaded so far.
    pub packets: usize,
    /// The load is still running.
    pub loading: bool,
    /// The display filter applied to the list (`None`: every packet shown).
    pub filter: Option<String>,
    /// The selected packet (0-based).
    pub selected: Option<usize>,
    /// The window's context (workers wake it).
    pub ctx: Option<egui::Context>,
}

impl Inputs {
    /// What a window limited to the display filter (`limit`) computes for: the
    /// packets loaded, and the filter when limited to it.
    pub fn limited_key(&self, limit: bool) -> (usize, Option<String>) {
        let filter = if limit { self.filter.clone() } else { None };
        (self.packets, filter)
    }
}

/// Copies what the windows need from `state` into [`Windows::inputs`].
pub fn sync(state: &mut crate::ui::state::State) {
    let session = state.session.as_ref();
    state.windows.inputs = Inputs {
        shared: session.and_then(|s| s.shared.clone()),
        packets: session.map_or(0, |s| s.progress.packets),
        loading: session.is_some_and(|s| s.loading),
        filter: session.and_then(|s| match &s.displayed {
            crate::ui::state::Displayed::Filtered { text, .. } => Some(text.clone()),
            crate::ui::state::Displayed::All => None,
        }),
        selected: session.and_then(|s| s.selected),
        ctx: Some(state.ctx.clone()),
    };
}

/// The Statistics menu, in order: one line per window.
pub fn statistics() -> Vec<Box<dyn StatsWindow>> {
    vec![
        Box::new(experts::Experts::default()),
        Box::new(hierarchy::Hierarchy::default()),
        Box::new(conversations::Conversations::default()),
        Box::new(endpoints::Endpoints::default()),
        Box::new(stream_graph::StreamGraphs::default()),
        Box::new(io_graph::IoGraph::default()),
        Box::new(plots::Plots::default()),
        Box::new(all_flows::AllFlows::default()),
    ]
}

/// A Statistics window and whether it is open.
pub struct StatsSlot {
    /// The window.
    pub window: Box<dyn StatsWindow>,
    /// Shown.
    pub open: bool,
    /// The packet count its copy was built at (`None`: not built yet).
    pub built_at: Option<usize>,
}

impl std::fmt::Debug for StatsSlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StatsSlot")
            .field("window", &self.window.title())
            .field("open", &self.open)
            .field("built_at", &self.built_at)
            .finish()
    }
}

/// Which windows are open, and their contents.
#[derive(Debug)]
pub struct Windows {
    /// Follow TCP Stream, once built.
    pub follow: Option<follow::Follow>,
    /// The stream Follow TCP Stream waits to build (the lock was busy).
    pub follow_wanted: Option<u32>,
    /// The Statistics windows, in menu order.
    pub stats: Vec<StatsSlot>,
    /// File ▸ Export Specified Packets.
    pub export: export_dialog::ExportDialog,
    /// What the worker-computed windows need from the session.
    pub inputs: Inputs,
    /// Analyze ▸ Decode As….
    pub decode_as: decode_as::DecodeAsDialog,
}

impl Default for Windows {
    fn default() -> Self {
        Windows {
            follow: None,
            follow_wanted: None,
            stats: statistics()
                .into_iter()
                .map(|window| StatsSlot {
                    window,
                    open: false,
                    built_at: None,
                })
                .collect(),
            export: export_dialog::ExportDialog::default(),
            inputs: Inputs::default(),
            decode_as: decode_as::DecodeAsDialog::default(),
        }
    }
}

impl Windows {
    /// Whether a window waits for the capture: Follow TCP Stream to build, or an open
    /// Statistics window whose copy is older than `packets`.
    pub fn want_capture(&self, packets: usize) -> bool {
        self.follow_wanted.is_some()
            || self
                .stats
                .iter()
                .any(|s| s.open && s.window.builds_under_lock() && s.built_at != Some(packets))
    }

    /// Builds what waits for the capture (see [`Windows::want_capture`]).
    pub fn build(&mut self, loaded: &Loaded) {
        if let Some(stream) = self.follow_wanted.take() {
            self.follow = Some(follow::Follow::of(loaded, stream));
        }
        for slot in self
            .stats
            .iter_mut()
            .filter(|s| s.open && s.window.builds_under_lock())
        {
            if slot.built_at != Some(loaded.len()) {
                slot.window.build(loaded);
                slot.built_at = Some(loaded.len());
            }
        }
    }

    /// Hands `request` to the window that takes it, and opens that window.
    pub fn request(&mut self, request: &WindowRequest) {
        for slot in &mut self.stats {
            if slot.window.request(request) {
                slot.open = true;
                return;
            }
        }
    }

    /// Draws the open windows (not the export dialog and the quit dialog, which need
    /// the session); returns what the user asked for.
    pub fn ui(&mut self, ctx: &egui::Context) -> Vec<Action> {
        let mut actions = Vec::new();
        if let Some(follow) = self.follow.as_mut() {
            actions.extend(follow.ui(ctx));
        }
        let inputs = &self.inputs;
        for (k, slot) in self.stats.iter_mut().enumerate().filter(|(_, s)| s.open) {
            let mut open = true;
            egui::Window::new(shown_title(slot.window.title()))
                // The English title keeps the window's place when the language changes.
                .id(egui::Id::unique(slot.window.title()))
                .open(&mut open)
                .default_size(slot.window.default_size())
                .show(ctx, |ui| {
                    if slot.built_at.is_none() && slot.window.builds_under_lock() {
                        ui.spinner();
                    } else {
                        actions.extend(slot.window.show(ui, inputs));
                    }
                });
            if !open {
                actions.push(Action::CloseStats(k));
            }
        }
        actions
    }
}
