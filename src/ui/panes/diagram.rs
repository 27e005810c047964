//! The packet diagram of the selected packet: each header as its RFC draws it, 32 bits
//! a row (`export::diagram` lays the boxes out; this draws them). Linked both ways
//! with the tree: clicking a box selects its tree line (and so its bytes), and the
//! box of the selected line is outlined.

use crate::export::diagram::{Diagram, ROW_BITS, blocks, widest};
use crate::ui::action::Action;
use crate::ui::model::Details;
use eframe::egui::{self, Color32, FontId, Sense, Stroke, StrokeKind};

/// Height of one row of 32 bits.
const ROW_HEIGHT: f32 = 42.0;
/// Height of the bit ruler above the rows.
const RULER: f32 = 14.0;

/// Which header the diagram shows (the pane's own state, as the tree keeps its own).
#[derive(Debug, Default)]
pub struct DiagramPane {
    /// The protocol chosen; `None`: the innermost header drawn (TCP of a TCP packet).
    pub layer: Option<&'static str>,
}

impl DiagramPane {
    /// Draws the diagram of one header of `details`, with a tab per header;
    /// `selected` is the selected tree line.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        details: &Details,
        selected: Option<usize>,
    ) -> Vec<Action> {
        let mut actions = Vec::new();
        ui.horizontal(|ui| {
            for diagram in &details.diagrams {
                let shown = self
                    .shown(details)
                    .is_some_and(|d| d.protocol == diagram.protocol);
                if ui.selectable_label(shown, diagram.protocol).clicked() {
                    self.layer = Some(diagram.protocol);
                }
            }
            ui.separator();
            actions.extend(buttons(ui));
        });
        match self.shown(details) {
            Some(diagram) => {
                ui.strong(crate::tr!(
                    "diagram-heading",
                    protocol = diagram.protocol,
                    frame = (details.index + 1).to_string(),
                    len = diagram.bits / 8
                ));
                ui.weak(crate::tr!("diagram-hint"));
                egui::ScrollArea::vertical()
                    .auto_shrink(false)
                    .show(ui, |ui| {
                        if let Some(line) = draw(ui, diagram, selected) {
                            actions.push(Action::SelectLine(line));
                        }
                    });
            }
            None => {
                ui.label(crate::tr!("diagram-none"));
            }
        }
        actions
    }

    /// The diagram shown: the chosen header if the packet has it, else the innermost.
    fn shown<'d>(&self, details: &'d Details) -> Option<&'d Diagram> {
        self.layer
            .and_then(|p| details.diagrams.iter().find(|d| d.protocol == p))
            .or_else(|| details.diagrams.last())
    }
}

/// The export buttons (the whole packet's headers, one under another).
fn buttons(ui: &mut egui::Ui) -> Vec<Action> {
    let mut actions = Vec::new();
    {
        if ui.button(crate::tr!("ladder-save-svg")).clicked() {
            actions.push(Action::SaveDiagram(true));
        }
        if ui.button(crate::tr!("ladder-save-png")).clicked() {
            actions.push(Action::SaveDiagram(false));
        }
    }
    actions
}

/// Colours of a box: fill and text, by whether it is a set flag bit, in either theme.
fn colors(visuals: &egui::Visuals, lit: bool) -> (Color32, Color32) {
    match (lit, visuals.dark_mode) {
        (true, false) => (
            Color32::from_rgb(0xff, 0xe4, 0x9a),
            Color32::from_rgb(0x22, 0x22, 0x22),
        ),
        (true, true) => (
            Color32::from_rgb(0x7a, 0x5c, 0x10),
            Color32::from_rgb(0xff, 0xf1, 0xc8),
        ),
        (false, _) => (visuals.faint_bg_color, visuals.text_color()),
    }
}

/// Draws one diagram; the tree line of a clicked box.
fn draw(ui: &mut egui::Ui, diagram: &Diagram, selected: Option<usize>) -> Option<usize> {
    let rows = diagram.bits.div_ceil(ROW_BITS).max(1);
    let width = ui.available_width().clamp(320.0, 32.0 * 30.0);
    let bit = width / ROW_BITS as f32;
    let height = RULER + rows as f32 * ROW_HEIGHT;
    let (area, _) = ui.allocate_exact_size(egui::vec2(width, height), Sense::hover());
    let painter = ui.painter_at(area);
    let visuals = ui.visuals().clone();
    let weak = visuals.weak_text_color();
    for b in (0..ROW_BITS).step_by(4) {
        painter.text(
            area.min + egui::vec2(b as f32 * bit + 2.0, 0.0),
            egui::Align2::LEFT_TOP,
            b.to_string(),
            FontId::proportional(10.0),
            weak,
        );
    }
    let stroke = Stroke::new(1.0, visuals.widgets.noninteractive.bg_stroke.color);
    let mut clicked = None;
    for (k, b) in diagram.boxes.iter().enumerate() {
        let parts = blocks(b.bit, b.bits);
        let label_block = widest(&parts);
        let (fill, text) = colors(&visuals, b.lit);
        let chosen = selected == Some(b.node);
        for part in &parts {
            let rect = egui::Rect::from_min_size(
                area.min + egui::vec2(part.from as f32 * bit, RULER + part.row as f32 * ROW_HEIGHT),
                egui::vec2(
                    (part.to - part.from) as f32 * bit,
                    part.rows as f32 * ROW_HEIGHT,
                ),
            );
            let id = ui
                .scope_id()
                .with(("packet-diagram", diagram.protocol, k, part.row));
            let response = ui.interact(rect, id, Sense::click());
            // Named for screen readers and tests: "SYN: 1".
            response.widget_info(|| {
                egui::WidgetInfo::labeled(
                    egui::Role::Button,
                    true,
                    format!("{}: {}", b.name, b.value),
                )
            });
            let response = response.on_hover_text(&b.label);
            let stroke = if response.hovered() {
                Stroke::new(2.0, visuals.widgets.hovered.fg_stroke.color)
            } else {
                stroke
            };
            painter.rect(rect, 0.0, fill, stroke, StrokeKind::Inside);
            if chosen {
                painter.rect_stroke(
                    rect.shrink(1.0),
                    0.0,
                    Stroke::new(2.5, visuals.selection.stroke.color),
                    StrokeKind::Inside,
                );
            }
            if response.clicked() {
                clicked = Some(b.node);
            }
            if Some(*part) == label_block {
                let size = if rect.width() < 44.0 { 9.5 } else { 12.0 };
                let clip = painter.with_clip_rect(rect.shrink(1.0));
                // A box of several rows (the options) names itself in its first row,
                // where it is seen without scrolling down to its middle.
                let middle = if part.rows > 1 {
                    egui::pos2(rect.center().x, rect.top() + ROW_HEIGHT / 2.0)
                } else {
                    rect.center()
                };
                clip.text(
                    middle - egui::vec2(0.0, 7.0),
                    egui::Align2::CENTER_CENTER,
                    b.name,
                    FontId::proportional(size),
                    text,
                );
                // A long value (the options) wraps inside its box.
                let galley = clip.layout(
                    b.value.clone(),
                    FontId::proportional(size),
                    visuals.hyperlink_color,
                    (rect.width() - 6.0).max(8.0),
                );
                let at = egui::pos2(rect.center().x - galley.size().x / 2.0, middle.y + 1.0);
                clip.galley(at, galley, visuals.hyperlink_color);
            }
        }
    }
    clicked
}
