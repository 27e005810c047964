//! The start page, shown when no capture is open: the bundled sample one click away,
//! the capture devices with their traffic, recent files, and a few words on what
//! synack shows.

use crate::ui::action::Action;
use crate::ui::panes::capture_menu::{CaptureMenu, CaptureView};
use crate::ui::recovery::Unsaved;
use eframe::egui::{self, RichText};
use std::path::PathBuf;

/// Draws the start page.
pub fn ui(
    ui: &mut egui::Ui,
    recent: &[PathBuf],
    unsaved: &[Unsaved],
    capture: &mut CaptureMenu,
    view: CaptureView<'_>,
) -> Vec<Action> {
    let mut actions = Vec::new();
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.add_space(24.0);
        ui.vertical_centered(|ui| {
            ui.heading(RichText::new("synack").size(34.0).strong());
            if !unsaved.is_empty() {
                actions.extend(unsaved_ui(ui, unsaved));
            }
            ui.label("See what every TCP packet does: the handshake, the data, the close, and both ends' states.");
            ui.add_space(18.0);
            if ui
                .add(egui::Button::new(RichText::new("▶  Open the sample capture").size(18.0)).min_size(egui::vec2(320.0, 44.0)))
                .on_hover_text("A real connection: three-way handshake, a request and its reply, and a four-way close")
                .clicked()
            {
                actions.push(Action::OpenSample);
            }
            ui.add_space(8.0);
            if ui.add(egui::Button::new("Open a capture file…").min_size(egui::vec2(320.0, 30.0))).clicked() {
                actions.push(Action::OpenDialog);
            }
            ui.weak("or drop a .pcap / .pcapng / .gz file on this window");
            ui.add_space(20.0);
            ui.strong("Capture live traffic");
            ui.weak("Pick the card that carries traffic (its line moves), then ▶.");
            ui.add_space(4.0);
            // The grid would hug the left edge: centre a box of fixed width.
            let width = 720.0f32.min(ui.available_width());
            ui.horizontal(|ui| {
                ui.add_space(((ui.available_width() - width) / 2.0).max(0.0));
                egui::Frame::group(ui.style()).show(ui, |ui| {
                    ui.set_width(width - 16.0);
                    ui.vertical(|ui| {
                        capture.filter_ui(ui);
                        ui.add_space(4.0);
                        actions.extend(capture.devices_ui(ui, view));
                    });
                });
            });
            ui.add_space(20.0);
            if !recent.is_empty() {
                ui.strong("Recent files");
                for path in recent.iter().take(10) {
                    let name = path.display().to_string();
                    if ui.link(&name).clicked() {
                        actions.push(Action::Open(path.clone()));
                    }
                }
            }
        });
    });
    actions
}

/// The captures a window that died left unsaved: each with its device, start time and
/// size, to open (then save) or discard.
fn unsaved_ui(ui: &mut egui::Ui, unsaved: &[Unsaved]) -> Vec<Action> {
    let mut actions = Vec::new();
    ui.add_space(8.0);
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.strong("Unsaved captures found");
        ui.weak("A synack window closed while capturing. Open one to look at it or save it.");
        for u in unsaved {
            ui.horizontal(|ui| {
                ui.label(format!(
                    "{} · started {} UTC · {} KB",
                    u.device,
                    u.started,
                    u.bytes.div_ceil(1024)
                ));
                if ui.button("Open").clicked() {
                    actions.push(Action::Open(u.path.clone()));
                }
                if ui.button("Discard").clicked() {
                    actions.push(Action::DiscardUnsaved(u.path.clone()));
                }
            });
        }
    });
    actions
}
