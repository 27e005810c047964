//! Statistics ▸ Protocol Hierarchy: the protocols of every packet as a tree, with
//! their share of packets and bytes (what `synack stats --hierarchy` prints).

use super::StatsWindow;
use crate::tcp::Loaded;
use eframe::egui;

/// One line: depth, protocol, frames, bytes.
type Line = (usize, &'static str, u64, u64);

/// The hierarchy, flattened depth-first.
#[derive(Debug, Default)]
pub struct Hierarchy {
    lines: Vec<Line>,
    packets: u64,
}

impl StatsWindow for Hierarchy {
    fn title(&self) -> &'static str {
        "Protocol Hierarchy"
    }

    fn build(&mut self, loaded: &Loaded) {
        let stats = &loaded.stats;
        self.packets = stats.packets;
        self.lines.clear();
        // Depth-first from the root's children, bounded by the node count.
        let mut stack: Vec<(usize, usize)> = stats
            .phs
            .first()
            .map(|root| root.children.iter().rev().map(|c| (*c, 0)).collect())
            .unwrap_or_default();
        let mut budget = stats.phs.len();
        while let Some((i, depth)) = stack.pop() {
            let Some(node) = stats.phs.get(i) else {
                continue;
            };
            if budget == 0 {
                break;
            }
            budget -= 1;
            self.lines.push((depth, node.name, node.frames, node.bytes));
            stack.extend(node.children.iter().rev().map(|c| (*c, depth + 1)));
        }
    }

    fn builds_under_lock(&self) -> bool {
        true
    }

    fn ui(&self, ui: &mut egui::Ui) {
        let total = self.packets.max(1) as f64;
        let headers = ["Protocol", "Percent packets", "Packets", "Bytes"];
        super::table(ui, "phs", &headers, |ui| {
            for (depth, name, frames, bytes) in &self.lines {
                ui.label(format!("{}{name}", "   ".repeat(*depth)));
                ui.label(format!("{:.1} %", 100.0 * *frames as f64 / total));
                ui.label(frames.to_string());
                ui.label(bytes.to_string());
                ui.end_row();
            }
        });
    }
}
