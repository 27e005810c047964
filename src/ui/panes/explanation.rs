//! The teaching strip: what the selected packet does in its TCP connection (step,
//! both ends' states, the sequence relation), or its summary for other protocols.

use crate::ui::model::Details;
use eframe::egui::{self, RichText};

/// Draws the explanation of the selected packet.
pub fn ui(ui: &mut egui::Ui, details: Option<&Details>) {
    let Some(d) = details else {
        ui.weak(crate::tr!("explain-select-hint"));
        return;
    };
    match &d.teaching {
        Some([step, sender, receiver, relation, explain]) => {
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    RichText::new(crate::tr!(
                        "ladder-packet-title",
                        frame = (d.index + 1).to_string(),
                        step = step.as_str()
                    ))
                    .strong(),
                );
                if !relation.is_empty() {
                    ui.label(RichText::new(relation).monospace());
                }
                ui.label(crate::tr!(
                    "explain-states",
                    sender = sender.as_str(),
                    receiver = receiver.as_str()
                ));
            });
            ui.label(explain);
        }
        None => {
            ui.label(
                RichText::new(crate::tr!(
                    "ladder-packet-title",
                    frame = (d.index + 1).to_string(),
                    step = d.summary.protocol.as_str()
                ))
                .strong(),
            );
            ui.label(&d.summary.info);
        }
    }
}

/// The explanation in the details area of a laptop-sized window: at most
/// `max_rows` lines (three under the tree: an offload note makes it long, and a
/// student must read it without knowing to hover), then elided, the whole text on
/// hover.
pub fn line_ui(ui: &mut egui::Ui, details: Option<&Details>, max_rows: usize) {
    let Some(d) = details else {
        ui.weak(crate::tr!("explain-select-hint"));
        return;
    };
    let (head, text) = match &d.teaching {
        Some([step, sender, receiver, relation, explain]) => (
            format!("#{} {step} {relation}", d.index + 1),
            format!(
                "{} · {explain}",
                crate::tr!(
                    "explain-states",
                    sender = sender.as_str(),
                    receiver = receiver.as_str()
                )
            ),
        ),
        None => (
            format!("#{} {}", d.index + 1, d.summary.protocol),
            d.summary.info.clone(),
        ),
    };
    ui.horizontal(|ui| {
        ui.label(RichText::new(head).strong());
        let mut job =
            std::sync::Arc::unwrap_or_clone(egui::WidgetText::from(text.as_str()).into_layout_job(
                ui.style(),
                egui::FontSelection::Default,
                ui.text_valign(),
            ));
        job.wrap.max_rows = max_rows;
        job.wrap.overflow_character = Some('…');
        ui.add(egui::Label::new(job).wrap())
            .on_hover_text(text.as_str());
    });
}
