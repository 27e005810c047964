//! The menu bar: File, View, Capture, Go, Analyze, Statistics, Help. It returns actions; the
//! only state it changes itself is the Capture menu's device choice and filter text
//! (the widgets' own state).

use super::action::{Action, ViewChange};
use super::model::TimeFormat;
use super::panes::capture_menu::CaptureView;
use super::state::State;
use eframe::egui;

/// Go-menu entries: label and how far the selection moves.
const GO: [(&str, isize); 4] = [
    ("Next packet", 1),
    ("Previous packet", -1),
    ("First packet", isize::MIN / 2),
    ("Last packet", isize::MAX / 2),
];

/// Draws the menu bar.
pub fn ui(ui: &mut egui::Ui, state: &mut State) -> Vec<Action> {
    let mut actions = Vec::new();
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| file_ui(ui, state, &mut actions));
        ui.menu_button("View", |ui| view_ui(ui, state, &mut actions));
        ui.menu_button("Capture", |ui| {
            state.want_interfaces();
            let view = CaptureView {
                devices: state.devices.as_ref(),
                rates: &state.rates,
                running: state
                    .session
                    .as_ref()
                    .and_then(|s| s.live.as_ref())
                    .is_some_and(|l| l.running),
            };
            actions.extend(state.capture.menu_ui(ui, view));
        });
        ui.menu_button("Go", |ui| {
            for (label, delta) in GO {
                if ui.button(label).clicked() {
                    actions.push(Action::MoveSelection(delta));
                    ui.close();
                }
            }
        });
        ui.menu_button("Analyze", |ui| {
            item(ui, &mut actions, true, "Decode As…", Action::DecodeAsDialog);
        });
        ui.menu_button("Statistics", |ui| {
            for (k, slot) in state.windows.stats.iter().enumerate() {
                if ui.button(slot.window.title()).clicked() {
                    actions.push(Action::OpenStats(k));
                    ui.close();
                }
            }
        });
        ui.menu_button("Help", |ui| {
            ui.label(format!("synack {}", env!("CARGO_PKG_VERSION")));
            ui.label("A packet analyzer that explains TCP.");
        });
    });
    actions
}

/// A menu entry that closes the menu and asks for `action` when clicked.
fn item(ui: &mut egui::Ui, actions: &mut Vec<Action>, enabled: bool, label: &str, action: Action) {
    if ui.add_enabled(enabled, egui::Button::new(label)).clicked() {
        actions.push(action);
        ui.close();
    }
}

fn file_ui(ui: &mut egui::Ui, state: &State, actions: &mut Vec<Action>) {
    item(ui, actions, true, "Open…", Action::OpenDialog);
    ui.menu_button("Open Recent", |ui| {
        if state.settings.recent.is_empty() {
            ui.weak("(none)");
        }
        for p in &state.settings.recent {
            let label = p.display().to_string();
            item(ui, actions, true, &label, Action::Open(p.clone()));
        }
    });
    item(
        ui,
        actions,
        true,
        "Open the sample capture",
        Action::OpenSample,
    );
    ui.separator();
    let can_save = state.session.as_ref().is_some_and(|s| s.shared.is_some());
    item(
        ui,
        actions,
        can_save,
        "Save Capture As…",
        Action::SaveCaptureAs,
    );
    let open = state.session.is_some();
    item(
        ui,
        actions,
        open,
        "Export Specified Packets…",
        Action::ExportDialog,
    );
    ui.separator();
    if ui.button("Quit").clicked() {
        ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
    }
}

/// A View-menu checkbox: its value, label and the change it asks for.
type Toggle = (bool, &'static str, fn(bool) -> ViewChange);

fn view_ui(ui: &mut egui::Ui, state: &State, actions: &mut Vec<Action>) {
    let settings = &state.settings;
    let toggles: [Toggle; 3] = [
        (
            settings.colorize,
            "Colorize packet list",
            ViewChange::Colorize,
        ),
        (
            settings.teaching,
            "Teaching mode (Step column, explanations)",
            ViewChange::Teaching,
        ),
        (settings.dark, "Dark theme", ViewChange::Dark),
    ];
    for (mut on, label, change) in toggles {
        if ui.checkbox(&mut on, label).changed() {
            actions.push(Action::View(change(on)));
        }
    }
    ui.separator();
    ui.label("Time display format");
    for f in [
        TimeFormat::SinceStart,
        TimeFormat::SincePrevious,
        TimeFormat::Absolute,
    ] {
        if ui.radio(settings.time_format == f, f.label()).clicked() {
            actions.push(Action::View(ViewChange::TimeFormat(f)));
        }
    }
    ui.separator();
    ui.horizontal(|ui| {
        ui.label("Font size");
        if ui.button("−").clicked() {
            actions.push(Action::View(ViewChange::FontSize(-1.0)));
        }
        if ui.button("+").clicked() {
            actions.push(Action::View(ViewChange::FontSize(1.0)));
        }
    });
}
