//! The status bar: the file, packets displayed and total, and what the loader or the
//! filter is doing.

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
