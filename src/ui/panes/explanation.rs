//! The teaching strip: what the selected packet does in its TCP connection (step,
//! both ends' states, the sequence relation), or its summary for other protocols.

use crate::ui::model::Details;
use eframe::egui::{self, RichText};

/// Draws the explanation of the selected packet.
pub fn ui(ui: &mut egui::Ui, details: Option<&Details>) {
    let Some(d) = details else {
        ui.weak("Select a packet: its role in the TCP connection is explained here.");
        return;
    };
    match &d.teaching {
        Some([step, sender, receiver, relation, explain]) => {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(format!("Packet #{}: {step}", d.index + 1)).strong());
                if !relation.is_empty() {
                    ui.label(RichText::new(relation).monospace());
                }
                ui.label(format!("sender → {sender}, receiver → {receiver}"));
            });
            ui.label(explain);
        }
        None => {
            ui.label(
                RichText::new(format!("Packet #{}: {}", d.index + 1, d.summary.protocol)).strong(),
            );
            ui.label(&d.summary.info);
        }
    }
}

/// The explanation on one line (the details area of a laptop-sized window): what
/// does not fit is elided, and the whole text shows on hover.
pub fn line_ui(ui: &mut egui::Ui, details: Option<&Details>) {
    let Some(d) = details else {
        ui.weak("Select a packet: its role in the TCP connection is explained here.");
        return;
    };
    let (head, text) = match &d.teaching {
        Some([step, sender, receiver, relation, explain]) => (
            format!("#{} {step} {relation}", d.index + 1),
            format!("sender → {sender}, receiver → {receiver} · {explain}"),
        ),
        None => (
            format!("#{} {}", d.index + 1, d.summary.protocol),
            d.summary.info.clone(),
        ),
    };
    ui.horizontal(|ui| {
        ui.label(RichText::new(head).strong());
        ui.add(egui::Label::new(text.as_str()).truncate())
            .on_hover_text(text.as_str());
    });
}
