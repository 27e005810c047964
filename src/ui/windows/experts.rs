//! Statistics ▸ Expert Information: every expert item with its count, most serious
//! first (the counts `synack stats --experts` prints).

use super::StatsWindow;
use crate::dissect::Severity;
use crate::tcp::Loaded;
use crate::tcp::stats::ExpertCount;
use crate::ui::theme;
use eframe::egui::{self, RichText};

/// The expert items, copied from the capture's statistics.
#[derive(Debug, Default)]
pub struct Experts {
    items: Vec<ExpertCount>,
}

impl StatsWindow for Experts {
    fn title(&self) -> &'static str {
        "Expert Information"
    }

    fn build(&mut self, loaded: &Loaded) {
        let stats = &loaded.stats;
        self.items = [
            Severity::Error,
            Severity::Warning,
            Severity::Note,
            Severity::Chat,
        ]
        .into_iter()
        .flat_map(|s| stats.experts_of(s).cloned())
        .collect();
    }

    fn builds_under_lock(&self) -> bool {
        true
    }

    fn ui(&self, ui: &mut egui::Ui) {
        if self.items.is_empty() {
            ui.label(crate::tr!("experts-none"));
            return;
        }
        let headers = ["Severity", "Group", "Protocol", "Count", "Summary"];
        super::table(ui, "experts", &headers, |ui| {
            for e in &self.items {
                let severity = e.expert.severity;
                ui.label(RichText::new(severity.name()).color(colour(severity)));
                ui.label(e.expert.group);
                ui.label(e.expert.protocol);
                ui.label(e.count.to_string());
                ui.label(e.expert.message.as_ref());
                ui.end_row();
            }
        });
    }
}

fn colour(severity: Severity) -> egui::Color32 {
    match severity {
        Severity::Error => theme::EXPERT_ERROR,
        Severity::Warning => theme::EXPERT_WARN,
        Severity::Note => theme::EXPERT_NOTE,
        Severity::Chat => theme::DATA,
    }
}
