//! The floating windows: Follow TCP Stream, Expert Information and Protocol
//! Hierarchy. Their contents come from the engine (the same text and counts the CLI
//! prints), computed once when a window opens.

use super::app::Session;
use super::theme;
use crate::dissect::Severity;
use crate::export::follow::{Mode, render};
use crate::tcp::Loaded;
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

/// The follow texts of `stream`.
pub fn follow_text(loaded: &Loaded, stream: u32) -> Follow {
    let missing = || format!("There is no TCP stream {stream} in this capture.");
    Follow {
        stream,
        ascii: render(loaded, stream, Mode::Ascii).unwrap_or_else(missing),
        hex: render(loaded, stream, Mode::Hex).unwrap_or_else(missing),
        show_hex: false,
    }
}

/// Which windows are open.
#[derive(Debug, Default)]
pub struct Windows {
    /// Follow TCP Stream, when open.
    pub follow: Option<Follow>,
    /// Expert Information is open.
    pub experts: bool,
    /// Protocol Hierarchy is open.
    pub hierarchy: bool,
}

fn severity_colour(severity: Severity) -> egui::Color32 {
    match severity {
        Severity::Error => theme::EXPERT_ERROR,
        Severity::Warning => theme::EXPERT_WARN,
        Severity::Note => theme::EXPERT_NOTE,
        Severity::Chat => theme::DATA,
    }
}

impl Windows {
    /// Draws the open windows.
    pub fn ui(&mut self, ctx: &egui::Context, session: Option<&Session>) {
        if let Some(follow) = self.follow.as_mut() {
            let mut open = true;
            egui::Window::new(format!(
                "Follow TCP Stream (tcp.stream eq {})",
                follow.stream
            ))
            .open(&mut open)
            .default_size([640.0, 480.0])
            .show(ctx, |ui| {
                ui.horizontal(|ui| {
                    ui.radio_value(&mut follow.show_hex, false, "ASCII");
                    ui.radio_value(&mut follow.show_hex, true, "Hex dump");
                    if ui.button("Copy").clicked() {
                        let text = if follow.show_hex {
                            &follow.hex
                        } else {
                            &follow.ascii
                        };
                        ui.ctx().copy_text(text.clone());
                    }
                });
                ui.weak("Lines indented by a tab were sent by Node 1 (the server side).");
                egui::ScrollArea::both().auto_shrink(false).show(ui, |ui| {
                    let text = if follow.show_hex {
                        &follow.hex
                    } else {
                        &follow.ascii
                    };
                    ui.label(RichText::new(text).monospace());
                });
            });
            if !open {
                self.follow = None;
            }
        }
        let loaded = session
            .and_then(|s| s.shared.as_ref())
            .and_then(|s| s.read().ok());
        if self.experts {
            let mut open = true;
            egui::Window::new("Expert Information")
                .open(&mut open)
                .default_size([560.0, 360.0])
                .show(ctx, |ui| match loaded.as_deref() {
                    None => {
                        ui.spinner();
                    }
                    Some(l) => experts_ui(ui, l),
                });
            self.experts = open;
        }
        if self.hierarchy {
            let mut open = true;
            egui::Window::new("Protocol Hierarchy")
                .open(&mut open)
                .default_size([520.0, 360.0])
                .show(ctx, |ui| match loaded.as_deref() {
                    None => {
                        ui.spinner();
                    }
                    Some(l) => hierarchy_ui(ui, l),
                });
            self.hierarchy = open;
        }
    }
}

fn experts_ui(ui: &mut egui::Ui, loaded: &Loaded) {
    let stats = &loaded.stats;
    if stats.experts.is_empty() {
        ui.label("No expert items.");
        return;
    }
    egui::ScrollArea::vertical()
        .auto_shrink(false)
        .show(ui, |ui| {
            egui::Grid::new("experts")
                .striped(true)
                .num_columns(5)
                .show(ui, |ui| {
                    for h in ["Severity", "Group", "Protocol", "Count", "Summary"] {
                        ui.strong(h);
                    }
                    ui.end_row();
                    for severity in [
                        Severity::Error,
                        Severity::Warning,
                        Severity::Note,
                        Severity::Chat,
                    ] {
                        for e in stats.experts_of(severity) {
                            ui.label(
                                RichText::new(severity.name()).color(severity_colour(severity)),
                            );
                            ui.label(e.expert.group);
                            ui.label(e.expert.protocol);
                            ui.label(e.count.to_string());
                            ui.label(e.expert.message.as_ref());
                            ui.end_row();
                        }
                    }
                });
        });
}

fn hierarchy_ui(ui: &mut egui::Ui, loaded: &Loaded) {
    let stats = &loaded.stats;
    let total = stats.packets.max(1) as f64;
    egui::ScrollArea::vertical()
        .auto_shrink(false)
        .show(ui, |ui| {
            egui::Grid::new("phs")
                .striped(true)
                .num_columns(4)
                .show(ui, |ui| {
                    for h in ["Protocol", "Percent packets", "Packets", "Bytes"] {
                        ui.strong(h);
                    }
                    ui.end_row();
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
                        ui.label(format!("{}{}", "   ".repeat(depth), node.name));
                        ui.label(format!("{:.1} %", 100.0 * node.frames as f64 / total));
                        ui.label(node.frames.to_string());
                        ui.label(node.bytes.to_string());
                        ui.end_row();
                        stack.extend(node.children.iter().rev().map(|c| (*c, depth + 1)));
                    }
                });
        });
}
