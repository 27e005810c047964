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
        egui::ScrollArea::both()
            .id_salt("bytes")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.spacing_mut().item_spacing.x = 0.0;
                for (line, chunk) in bytes.chunks(16).enumerate() {
                    ui.horizontal(|ui| {
                        ui.label(
                            RichText::new(format!("{:04x}  ", line * 16))
                                .font(font.clone())
                                .weak(),
                        );
                        for (k, b) in chunk.iter().enumerate() {
                            let offset = line * 16 + k;
                            let on = range.as_ref().is_some_and(|r| r.contains(&offset));
                            let mut text = RichText::new(format!("{b:02x}")).font(font.clone());
                            if on {
                                text = text
                                    .background_color(theme::BYTES_HIGHLIGHT)
                                    .color(theme::SELECTED_TEXT);
                            }
                            if ui
                                .add(egui::Label::new(text).sense(egui::Sense::click()))
                                .clicked()
                            {
                                actions.push(Action::SelectByte {
                                    source: self.source as u8,
                                    offset,
                                });
                            }
                            ui.label(
                                RichText::new(if k == 7 { "  " } else { " " }).font(font.clone()),
                            );
                        }
                        for _ in chunk.len()..16 {
                            ui.label(RichText::new("   ").font(font.clone()));
                        }
                        ui.label(RichText::new("  ").font(font.clone()));
                        for (k, b) in chunk.iter().enumerate() {
                            let offset = line * 16 + k;
                            let c = if b.is_ascii_graphic() || *b == b' ' {
                                char::from(*b)
                            } else {
                                '.'
                            };
                            let on = range.as_ref().is_some_and(|r| r.contains(&offset));
                            let mut text = RichText::new(c.to_string()).font(font.clone());
                            if on {
                                text = text
                                    .background_color(theme::BYTES_HIGHLIGHT)
                                    .color(theme::SELECTED_TEXT);
                            }
                            if ui
                                .add(egui::Label::new(text).sense(egui::Sense::click()))
                                .clicked()
                            {
                                actions.push(Action::SelectByte {
                                    source: self.source as u8,
                                    offset,
                                });
                            }
                        }
                    });
                }
            });
        actions
    }
}
