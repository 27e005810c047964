//! Analyze ▸ Decode As…: the port → protocol rows of the engine's port table
//! (`dissect::ports`), edited as a small table. OK checks each row with the rules and
//! messages of `synack dump -d` and applies them through [`Action::DecodeAs`], which
//! re-dissects the capture.

use crate::dissect::ports::{self, DecodeAs, Transport};
use crate::ui::action::Action;
use crate::ui::theme;
use eframe::egui;

/// One row as the user edits it.
#[derive(Debug, Clone)]
struct Row {
    transport: Transport,
    /// The selector as typed: `8888`, `8000-8010`, `8888:3`.
    ports: String,
    proto: &'static str,
}

/// The dialog: open or not, and its rows.
#[derive(Debug, Default)]
pub struct DecodeAsDialog {
    /// Shown.
    pub open: bool,
    rows: Vec<Row>,
    error: Option<String>,
}

impl DecodeAsDialog {
    /// Opens the dialog on the entries in force.
    pub fn show(&mut self) {
        self.rows = ports::decode_as()
            .iter()
            .map(|e| Row {
                transport: e.transport,
                ports: if e.first == e.last {
                    e.first.to_string()
                } else {
                    format!("{}-{}", e.first, e.last)
                },
                proto: e.proto.name(),
            })
            .collect();
        self.error = None;
        self.open = true;
    }

    /// The entries the rows say, or the first row's error in `-d`'s words.
    fn entries(&self) -> Result<Vec<DecodeAs>, String> {
        self.rows
            .iter()
            .map(|r| {
                let arg = format!("{}=={},{}", r.transport.table_name(), r.ports, r.proto);
                ports::parse(&arg)
                    .map(|p| p.entry)
                    .map_err(|e| e.to_string())
            })
            .collect()
    }

    /// Draws the dialog; returns the entries to apply when OK is pressed.
    pub fn ui(&mut self, ctx: &egui::Context) -> Option<Action> {
        if !self.open {
            return None;
        }
        let mut action = None;
        let mut open = true;
        egui::Window::new(crate::tr!("window-decode-as"))
            .id(egui::Id::unique("Decode As…"))
            .open(&mut open)
            .resizable(false)
            .show(ctx, |ui| {
                ui.label(crate::tr!("decode-as-intro"));
                self.rows_ui(ui);
                if ui.button(crate::tr!("decode-as-add")).clicked() {
                    self.rows.push(Row {
                        transport: Transport::Tcp,
                        ports: String::new(),
                        proto: "http",
                    });
                }
                if let Some(e) = &self.error {
                    ui.colored_label(theme::WARN, e);
                }
                ui.separator();
                ui.horizontal(|ui| {
                    if ui.button(crate::tr!("button-ok")).clicked() {
                        match self.entries() {
                            Ok(entries) => {
                                action = Some(Action::DecodeAs(entries));
                                self.open = false;
                            }
                            Err(e) => self.error = Some(e),
                        }
                    }
                    if ui.button(crate::tr!("button-cancel")).clicked() {
                        self.open = false;
                    }
                });
            });
        if !open {
            self.open = false;
        }
        action
    }

    fn rows_ui(&mut self, ui: &mut egui::Ui) {
        let mut remove = None;
        egui::Grid::new("decode as rows")
            .striped(true)
            .num_columns(4)
            .show(ui, |ui| {
                for h in [
                    crate::tr!("decode-as-field"),
                    crate::tr!("decode-as-value"),
                    crate::tr!("decode-as-protocol"),
                    String::new(),
                ] {
                    ui.strong(h);
                }
                ui.end_row();
                for (k, row) in self.rows.iter_mut().enumerate() {
                    egui::ComboBox::from_id_salt(("decode as table", k))
                        .selected_text(row.transport.table_name())
                        .show_ui(ui, |ui| {
                            for t in [Transport::Tcp, Transport::Udp] {
                                ui.selectable_value(&mut row.transport, t, t.table_name());
                            }
                        });
                    ui.add(egui::TextEdit::singleline(&mut row.ports).desired_width(90.0));
                    egui::ComboBox::from_id_salt(("decode as proto", k))
                        .selected_text(row.proto)
                        .show_ui(ui, |ui| {
                            for (name, desc) in ports::valid_protocols(row.transport) {
                                ui.selectable_value(&mut row.proto, name, name)
                                    .on_hover_text(desc);
                            }
                        });
                    if ui
                        .small_button("✕")
                        .on_hover_text(crate::tr!("decode-as-remove"))
                        .clicked()
                    {
                        remove = Some(k);
                    }
                    ui.end_row();
                }
            });
        if let Some(k) = remove {
            self.rows.remove(k);
        }
    }
}
