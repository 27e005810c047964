//! The bytes pane: hex and ASCII of the selected packet; the selected field's bytes
//! are highlighted, and clicking a byte selects the field it belongs to.

use super::action::Action;
use super::model::Details;
use super::theme;
use eframe::egui::{self, RichText};

/// The bytes pane's state.
#[derive(Debug, Default)]
pub struct HexPane {
    /// Which data source is shown (0: the frame).
    pub source: usize,
}

impl HexPane {
    /// Draws the bytes; `highlight` is (source, start, len) of the selected field.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        details: Option<&Details>,
        highlight: Option<(u8, usize, usize)>,
    ) -> Vec<Action> {
        let mut actions = Vec::new();
        let Some(details) = details else {
            ui.weak("The selected packet's bytes appear here.");
            return actions;
        };
        if let Some((src, _, _)) = highlight
            && usize::from(src) < details.sources.len()
            && src != 0
        {
            self.source = usize::from(src);
        }
        if details.sources.len() > 1 {
            ui.horizontal(|ui| {
                for (i, (name, bytes)) in details.sources.iter().enumerate() {
                    let label = format!("{name} ({} bytes)", bytes.len());
                    if ui.selectable_label(self.source == i, label).clicked() {
                        self.source = i;
                    }
                }
            });
        }
        if self.source >= details.sources.len() {
            self.source = 0;
        }
        let Some((_, bytes)) = details.sources.get(self.source) else {
            return actions;
        };
        let range = highlight
            .filter(|(s, _, len)| usize::from(*s) == self.source && *len > 0)
            .map(|(_, start, len)| start..start + len);
        let font = egui::TextStyle::Monospace.resolve(ui.style());
        let source = self.source as u8;
        // One clickable cell, highlighted when it is in the selected field's range.
        let cell = |ui: &mut egui::Ui, text: String, offset: usize, actions: &mut Vec<Action>| {
            let mut text = RichText::new(text).font(font.clone());
            if range.as_ref().is_some_and(|r| r.contains(&offset)) {
                text = text
                    .background_color(theme::BYTES_HIGHLIGHT)
                    .color(theme::SELECTED_TEXT);
            }
            if ui
                .add(egui::Label::new(text).sense(egui::Sense::click()))
                .clicked()
            {
                actions.push(Action::SelectByte { source, offset });
            }
        };
        let row_height = ui.fonts_mut(|f| f.row_height(&font)) + ui.spacing().item_spacing.y;
        let lines = bytes.len().div_ceil(16);
        // Only the visible lines are laid out: a reassembled source can be 64 KiB.
        egui::ScrollArea::both()
            .id_salt("bytes")
            .auto_shrink([false, false])
            .show_rows(ui, row_height, lines, |ui, visible| {
                ui.spacing_mut().item_spacing.x = 0.0;
                for line in visible {
                    let Some(chunk) = bytes.get(line * 16..(line * 16 + 16).min(bytes.len()))
                    else {
                        continue;
                    };
                    ui.horizontal(|ui| {
                        ui.label(
                            RichText::new(format!("{:04x}  ", line * 16))
                                .font(font.clone())
                                .weak(),
                        );
                        for (k, b) in chunk.iter().enumerate() {
                            cell(ui, format!("{b:02x}"), line * 16 + k, &mut actions);
                            ui.label(
                                RichText::new(if k == 7 { "  " } else { " " }).font(font.clone()),
                            );
                        }
                        for _ in chunk.len()..16 {
                            ui.label(RichText::new("   ").font(font.clone()));
                        }
                        ui.label(RichText::new("  ").font(font.clone()));
                        for (k, b) in chunk.iter().enumerate() {
                            let c = if b.is_ascii_graphic() || *b == b' ' {
                                char::from(*b)
                            } else {
                                '.'
                            };
                            cell(ui, c.to_string(), line * 16 + k, &mut actions);
                        }
                    });
                }
            });
        actions
    }
}
