//! File ▸ Export Specified Packets: which packets (displayed, selected, marked, a
//! range), which format, then a save dialog. The export itself runs on a worker.

use crate::capture::writer::Format;
use crate::ui::action::Action;
use crate::ui::state::Session;
use eframe::egui;
use std::path::PathBuf;

/// Which packets to export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum What {
    /// The packets the list shows.
    Displayed,
    /// The selected packet.
    Selected,
    /// The marked packets.
    Marked,
    /// Packet numbers like `1-10,15`.
    Range(String),
}

/// An export the user asked for.
#[derive(Debug, Clone)]
pub struct Request {
    /// Which packets.
    pub what: What,
    /// Output format.
    pub format: Format,
    /// Target file.
    pub path: PathBuf,
}

/// The dialog's state.
#[derive(Debug)]
pub struct ExportDialog {
    /// Shown.
    pub open: bool,
    what: usize,
    range: String,
    format: Format,
}

impl Default for ExportDialog {
    fn default() -> Self {
        ExportDialog {
            open: false,
            what: 0,
            range: String::new(),
            format: Format::PcapNg,
        }
    }
}

impl ExportDialog {
    /// Draws the dialog; returns the export when the user chose a file.
    pub fn ui(&mut self, ctx: &egui::Context, session: Option<&Session>) -> Option<Action> {
        if !self.open {
            return None;
        }
        let session = session?;
        let mut request = None;
        let mut open = true;
        egui::Window::new(crate::tr!("window-export"))
            .id(egui::Id::unique("Export Specified Packets"))
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| {
                let displayed = session.rows();
                let choices = [
                    crate::tr!("export-displayed", count = displayed),
                    crate::tr!(
                        "export-selected",
                        count = usize::from(session.selected.is_some())
                    ),
                    crate::tr!("export-marked", count = session.marked.len()),
                    crate::tr!("export-range"),
                ];
                for (k, label) in choices.iter().enumerate() {
                    ui.horizontal(|ui| {
                        ui.radio_value(&mut self.what, k, label);
                        if k == 3 {
                            ui.add(
                                egui::TextEdit::singleline(&mut self.range)
                                    .hint_text("1-10,15")
                                    .desired_width(140.0),
                            );
                        }
                    });
                }
                ui.separator();
                ui.horizontal(|ui| {
                    ui.label(crate::tr!("export-format"));
                    ui.radio_value(&mut self.format, Format::PcapNg, "pcapng");
                    ui.radio_value(&mut self.format, Format::Pcap, "pcap");
                    ui.radio_value(
                        &mut self.format,
                        Format::PcapNanos,
                        crate::tr!("export-pcap-nanos"),
                    );
                });
                ui.separator();
                if ui.button(crate::tr!("export-save-as")).clicked() {
                    let ext = if self.format == Format::PcapNg {
                        "pcapng"
                    } else {
                        "pcap"
                    };
                    if let Some(path) = rfd::FileDialog::new()
                        .add_filter(ext, &[ext])
                        .set_file_name(format!("export.{ext}"))
                        .save_file()
                    {
                        let what = match self.what {
                            1 => What::Selected,
                            2 => What::Marked,
                            3 => What::Range(self.range.clone()),
                            _ => What::Displayed,
                        };
                        request = Some(Request {
                            what,
                            format: self.format,
                            path,
                        });
                    }
                }
            });
        if request.is_some() || !open {
            self.open = false;
        }
        request.map(Action::Export)
    }
}
