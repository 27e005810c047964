//! The status bar: the expert summary (a dot coloured by the most serious item, as
//! Wireshark's), the selected field's name and size, the file, packets displayed and
//! total, and what the loader or the filter is doing.

use crate::ui::action::Action;
use crate::ui::state::{Displayed, State};
use crate::ui::theme;
use eframe::egui::{self, RichText};

/// What the status bar says.
#[derive(Debug, Default)]
pub struct Status {
    /// File name.
    pub file: String,
    /// Packets read.
    pub total: usize,
    /// Packets displayed (None: all).
    pub displayed: Option<usize>,
    /// Load state text, e.g. "loading 45%" or "loaded in 0.21 s".
    pub load: String,
    /// Filter state text.
    pub filter: String,
    /// Capture state text.
    pub capture: String,
    /// Expert items by severity (errors, warnings, notes, chats), once counted.
    pub experts: Option<[u64; 4]>,
    /// The Statistics window listing the expert items (its place in the menu).
    pub experts_window: Option<usize>,
    /// The selected field: its name, filter name and byte count.
    pub field: String,
}

impl Status {
    /// What the status bar says about `state`.
    pub fn of(state: &State) -> Status {
        let mut status = Status::default();
        let Some(s) = &state.session else {
            return status;
        };
        status.file = s.file_name();
        status.total = s.progress.packets;
        status.experts = s.experts;
        status.experts_window = state
            .windows
            .stats
            .iter()
            .position(|slot| slot.window.title() == "Expert Information");
        if let Some(line) = state
            .tree
            .selected
            .and_then(|i| state.details.as_ref().and_then(|d| d.lines.get(i)))
        {
            status.field = crate::tr!(
                "status-field",
                name = line.name,
                abbrev = line.abbrev,
                len = line.len
            );
        }
        if let Displayed::Filtered {
            list,
            examined,
            complete,
            ..
        } = &s.displayed
        {
            status.displayed = Some(list.len());
            if !complete {
                status.filter = crate::tr!(
                    "status-filtering-progress",
                    examined = *examined,
                    total = s.progress.packets
                );
            }
        }
        if state.pending.is_some() {
            status.filter = crate::tr!("status-filtering");
        }
        if let Some(live) = &s.live {
            let st = live.stats;
            let what = if live.running {
                crate::tr!("status-capturing", device = live.device.as_str())
            } else if s.unsaved_capture() {
                crate::tr!(
                    "status-capture-stopped-unsaved",
                    device = live.device.as_str()
                )
            } else {
                crate::tr!("status-capture-stopped", device = live.device.as_str())
            };
            status.capture = crate::tr!(
                "status-capture-counts",
                what = what,
                received = st.received,
                dropped = st.dropped,
                if_dropped = st.if_dropped
            );
            return status;
        }
        status.load = if s.loading {
            let pct = if s.progress.bytes_total > 0 {
                100.0 * s.progress.bytes_done as f64 / s.progress.bytes_total as f64
            } else {
                0.0
            };
            crate::tr!("status-loading", percent = format!("{pct:.0}"))
        } else if s.cancelled {
            crate::tr!("status-loading-cancelled")
        } else if let Some(d) = s.finished_in {
            crate::tr!(
                "status-loaded-in",
                seconds = format!("{:.2}", d.as_secs_f64())
            )
        } else {
            String::new()
        };
        status
    }
}

/// The expert summary's dot and words: the most serious severity present.
fn expert_ui(ui: &mut egui::Ui, status: &Status) -> Option<Action> {
    let counts = status.experts?;
    let [errors, warnings, notes, chats] = counts;
    let (color, words) = if errors > 0 {
        (
            theme::EXPERT_ERROR,
            crate::tr!(
                "status-experts-errors",
                errors = errors,
                warnings = warnings
            ),
        )
    } else if warnings > 0 {
        (
            theme::EXPERT_WARN,
            crate::tr!("status-experts-warnings", warnings = warnings),
        )
    } else if notes > 0 {
        (
            theme::EXPERT_NOTE,
            crate::tr!("status-experts-notes", notes = notes),
        )
    } else if chats > 0 {
        (
            theme::EXPERT_NOTE,
            crate::tr!("status-experts-chats", chats = chats),
        )
    } else {
        (
            ui.visuals().weak_text_color(),
            crate::tr!("status-no-experts"),
        )
    };
    let text = RichText::new(format!("● {words}")).color(color);
    let response = ui
        .add(egui::Label::new(text).sense(egui::Sense::click()))
        .on_hover_text(crate::tr!(
            "status-experts-hint",
            errors = errors,
            warnings = warnings,
            notes = notes,
            chats = chats
        ));
    match status.experts_window {
        Some(k) if response.clicked() => Some(Action::OpenStats(k)),
        _ => None,
    }
}

/// Draws the status bar.
pub fn ui(ui: &mut egui::Ui, status: &Status) -> Option<Action> {
    let mut action = None;
    ui.horizontal(|ui| {
        action = expert_ui(ui, status);
        if status.experts.is_some() {
            ui.separator();
        }
        if !status.field.is_empty() {
            ui.label(&status.field);
            ui.separator();
        }
        if status.file.is_empty() {
            ui.label(crate::tr!("status-no-capture"));
        } else {
            ui.label(&status.file);
            ui.separator();
            match status.displayed {
                Some(d) => {
                    let pct = if status.total > 0 {
                        100.0 * d as f64 / status.total as f64
                    } else {
                        0.0
                    };
                    ui.label(crate::tr!(
                        "status-packets-displayed-percent",
                        total = status.total,
                        displayed = d,
                        percent = format!("{pct:.1}")
                    ));
                }
                None => {
                    ui.label(crate::tr!(
                        "status-packets-displayed",
                        total = status.total,
                        displayed = status.total
                    ));
                }
            }
        }
        if !status.load.is_empty() {
            ui.separator();
            ui.label(&status.load);
        }
        if !status.filter.is_empty() {
            ui.separator();
            ui.label(&status.filter);
        }
        if !status.capture.is_empty() {
            ui.separator();
            ui.label(&status.capture);
        }
    });
    action
}
