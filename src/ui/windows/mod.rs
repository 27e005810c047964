//! The floating windows: Follow TCP Stream, the Statistics windows, Export Specified
//! Packets and the quit dialog. A window draws a copy of what it shows, built from the
//! capture when the UI thread gets the lock without waiting (in `App::logic`), so a
//! busy loader never stalls a frame. Adding a Statistics window is one file and one
//! line in [`statistics`].

pub mod decode_as;
mod experts;
pub mod export_dialog;
pub mod follow;
mod hierarchy;
pub mod quit;

use crate::tcp::Loaded;
use crate::ui::action::Action;
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
                        ui.strong(*h);
                    }
                    ui.end_row();
                    rows(ui);
                });
        });
}

/// A window of the Statistics menu: it keeps a copy of what it shows.
pub trait StatsWindow {
    /// Title, and the Statistics menu's entry.
    fn title(&self) -> &'static str;
    /// Takes what it shows from `loaded` (called under a read lock: copy, do not draw).
    fn build(&mut self, loaded: &Loaded);
    /// Draws the copy.
    fn ui(&self, ui: &mut egui::Ui);
}

/// The Statistics menu, in order: one line per window.
pub fn statistics() -> Vec<Box<dyn StatsWindow>> {
    vec![
        Box::new(experts::Experts::default()),
        Box::new(hierarchy::Hierarchy::default()),
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
                .any(|s| s.open && s.built_at != Some(packets))
    }

    /// Builds what waits for the capture (see [`Windows::want_capture`]).
    pub fn build(&mut self, loaded: &Loaded) {
        if let Some(stream) = self.follow_wanted.take() {
            self.follow = Some(follow::Follow::of(loaded, stream));
        }
        for slot in self.stats.iter_mut().filter(|s| s.open) {
            if slot.built_at != Some(loaded.len()) {
                slot.window.build(loaded);
                slot.built_at = Some(loaded.len());
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
        for (k, slot) in self.stats.iter().enumerate().filter(|(_, s)| s.open) {
            let mut open = true;
            egui::Window::new(slot.window.title())
                .open(&mut open)
                .default_size([560.0, 360.0])
                .show(ctx, |ui| match slot.built_at {
                    None => {
                        ui.spinner();
                    }
                    Some(_) => slot.window.ui(ui),
                });
            if !open {
                actions.push(Action::CloseStats(k));
            }
        }
        actions
    }
}
