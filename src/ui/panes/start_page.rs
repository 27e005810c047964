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
            ui.label(crate::tr!("start-tagline"));
            ui.add_space(18.0);
            if ui
                .add(
                    egui::Button::new(RichText::new(crate::tr!("start-open-sample")).size(18.0))
                        .min_size(egui::vec2(320.0, 44.0)),
                )
                .on_hover_text(crate::tr!("start-open-sample-hint"))
                .clicked()
            {
                actions.push(Action::OpenSample);
            }
            ui.add_space(8.0);
            if ui
                .add(
                    egui::Button::new(crate::tr!("start-open-file"))
                        .min_size(egui::vec2(320.0, 30.0)),
                )
                .clicked()
            {
                actions.push(Action::OpenDialog);
            }
            ui.weak(crate::tr!("start-drop-hint"));
            ui.add_space(20.0);
            ui.strong(crate::tr!("start-capture-live"));
            ui.weak(crate::tr!("start-capture-hint"));
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
                ui.strong(crate::tr!("start-recent"));
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
        ui.strong(crate::tr!("start-unsaved"));
        ui.weak(crate::tr!("start-unsaved-hint"));
        for u in unsaved {
            ui.horizontal(|ui| {
                ui.label(crate::tr!(
                    "start-unsaved-line",
                    device = u.device.as_str(),
                    started = u.started.to_string(),
                    kib = u.bytes.div_ceil(1024)
                ));
                if ui.button(crate::tr!("button-open")).clicked() {
                    actions.push(Action::Open(u.path.clone()));
                }
                if ui.button(crate::tr!("button-discard")).clicked() {
                    actions.push(Action::DiscardUnsaved(u.path.clone()));
                }
            });
        }
    });
    actions
}
