//! Follow TCP Stream: the bytes of one stream in order, as ASCII or a hex dump (the
//! text `synack follow` prints), built once when the window opens.

use crate::export::follow::{Mode, render};
use crate::tcp::Loaded;
use crate::ui::action::Action;
use eframe::egui::{self, RichText};

/// A Follow TCP Stream window's contents.
#[derive(Debug, Clone)]
pub struct Follow {
    /// The stream.
    pub stream: u32,
    /// The ASCII text.
    pub ascii: String,
    /// The hex dump.
    pub hex: String,
    /// Show hex instead of ASCII.
    pub show_hex: bool,
}

impl Follow {
    /// The follow texts of `stream`.
    pub fn of(loaded: &Loaded, stream: u32) -> Follow {
        let missing = || crate::tr!("follow-missing", stream = stream.to_string());
        Follow {
            stream,
            ascii: render(loaded, stream, Mode::Ascii).unwrap_or_else(missing),
            hex: render(loaded, stream, Mode::Hex).unwrap_or_else(missing),
            show_hex: false,
        }
    }

    fn text(&self) -> &str {
        if self.show_hex {
            &self.hex
        } else {
            &self.ascii
        }
    }

    /// Draws the window; returns Copy or Close when asked.
    pub fn ui(&mut self, ctx: &egui::Context) -> Vec<Action> {
        let mut actions = Vec::new();
        let mut open = true;
        egui::Window::new(crate::tr!(
            "window-follow",
            stream = self.stream.to_string()
        ))
        .id(egui::Id::unique(("follow", self.stream)))
        .open(&mut open)
        .default_size([640.0, 480.0])
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                ui.radio_value(&mut self.show_hex, false, "ASCII");
                ui.radio_value(&mut self.show_hex, true, crate::tr!("follow-hex"));
                if ui.button(crate::tr!("follow-copy")).clicked() {
                    actions.push(Action::Copy(self.text().to_string()));
                }
            });
            ui.weak(crate::tr!("follow-hint"));
            egui::ScrollArea::both().auto_shrink(false).show(ui, |ui| {
                ui.label(RichText::new(self.text()).monospace());
            });
        });
        if !open {
            actions.push(Action::CloseFollow);
        }
        actions
    }
}
