//! The toolbar (Open, Sample, Capture/Stop, Prev/Next, the load's progress) and the
//! keyboard shortcuts; both return actions.

use super::action::Action;
use super::state::State;
use super::theme;
use eframe::egui::{self, RichText};

/// Draws the toolbar.
pub fn ui(ui: &mut egui::Ui, state: &mut State) -> Vec<Action> {
    let mut actions = Vec::new();
    ui.horizontal(|ui| {
        if ui.button("📂 Open").clicked() {
            actions.push(Action::OpenDialog);
        }
        if ui
            .button("Sample")
            .on_hover_text("Open the bundled sample capture")
            .clicked()
        {
            actions.push(Action::OpenSample);
        }
        ui.separator();
        if state.capturing() {
            if ui
                .button(RichText::new("■ Stop").color(theme::CAPTURING))
                .on_hover_text("Stop capturing (the packets stay)")
                .clicked()
            {
                actions.push(Action::StopCapture);
            }
        } else {
            let device = state.capture.device.clone();
            let ok = device.is_some() && state.capture.filter_error().is_none();
            let hover = match &device {
                Some(d) => format!("Capture on {d} (Capture menu: interface and filter)"),
                None => "Choose an interface in the Capture menu".to_string(),
            };
            if ui
                .add_enabled(ok, egui::Button::new("▶ Capture"))
                .on_hover_text(hover.clone())
                .on_disabled_hover_text(hover)
                .clicked()
                && let Some(device) = device
            {
                actions.push(Action::StartCapture {
                    device,
                    filter: state.capture.filter.trim().to_string(),
                });
            }
        }
        ui.separator();
        if ui.button("⏶ Prev").clicked() {
            actions.push(Action::MoveSelection(-1));
        }
        if ui.button("⏷ Next").clicked() {
            actions.push(Action::MoveSelection(1));
        }
        if let Some(s) = &state.session
            && s.loading
            && s.live.is_none()
        {
            ui.separator();
            let frac = if s.progress.bytes_total > 0 {
                s.progress.bytes_done as f32 / s.progress.bytes_total as f32
            } else {
                0.0
            };
            ui.add(
                egui::ProgressBar::new(frac)
                    .desired_width(160.0)
                    .text(format!("{} packets", s.progress.packets)),
            );
            if ui.button("Cancel").clicked() {
                actions.push(Action::CancelLoad);
            }
        }
    });
    actions
}

/// Keys and what they ask for: arrows, pages, Home/End, Ctrl+F, Ctrl+O.
pub fn keys(ctx: &egui::Context) -> Vec<Action> {
    if ctx.egui_wants_keyboard_input() {
        return Vec::new();
    }
    ctx.input(|i| {
        let moves = [
            (egui::Key::ArrowDown, 1),
            (egui::Key::ArrowUp, -1),
            (egui::Key::PageDown, 20),
            (egui::Key::PageUp, -20),
            (egui::Key::Home, isize::MIN / 2),
            (egui::Key::End, isize::MAX / 2),
        ];
        let mut actions: Vec<Action> = moves
            .into_iter()
            .filter(|(key, _)| i.key_pressed(*key))
            .map(|(_, delta)| Action::MoveSelection(delta))
            .collect();
        if i.modifiers.command && i.key_pressed(egui::Key::F) {
            actions.push(Action::FocusFilter);
        }
        if i.modifiers.command && i.key_pressed(egui::Key::O) {
            actions.push(Action::OpenDialog);
        }
        actions
    })
}
