//! The status bar: the file, packets displayed and total, and what the loader or the
//! filter is doing.

use crate::ui::state::{Displayed, State};
use eframe::egui;

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
        if state.pending.is_some() {
            status.filter = "filtering…".into();
        }
        if let Some(live) = &s.live {
            let st = live.stats;
            let what = if live.running {
                format!("Capturing on {}", live.device)
            } else if s.unsaved_capture() {
                format!("Capture on {} stopped, not saved", live.device)
            } else {
                format!("Capture on {} stopped", live.device)
            };
            status.capture = format!(
                "{what} · received {} · dropped by kernel {} · dropped by interface {}",
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
}

/// Draws the status bar.
pub fn ui(ui: &mut egui::Ui, status: &Status) {
    ui.horizontal(|ui| {
        if status.file.is_empty() {
            ui.label("No capture open");
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
                    ui.label(format!(
                        "Packets: {} · Displayed: {d} ({pct:.1}%)",
                        status.total
                    ));
                }
                None => {
                    ui.label(format!(
                        "Packets: {} · Displayed: {}",
                        status.total, status.total
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
}
