//! The menu bar: File, View, Capture, Go, Analyze, Statistics, Help. It returns actions; the
//! only state it changes itself is the Capture menu's device choice and filter text
//! (the widgets' own state).

use super::action::{Action, ViewChange};
use super::panes::capture_menu::CaptureView;
use super::panes::search_bar::SearchMode;
use super::state::State;
use super::theme::Theme;
use crate::export::text::time::TimeFormat;
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
            item(
                ui,
                &mut actions,
                true,
                "Go to Packet…  (Ctrl+G)",
                Action::OpenSearch(SearchMode::GoTo),
            );
            item(
                ui,
                &mut actions,
                true,
                "Find Packet…  (Ctrl+F)",
                Action::OpenSearch(SearchMode::Find),
            );
            ui.separator();
            for (label, delta) in GO {
                if ui.button(label).clicked() {
                    actions.push(Action::MoveSelection(delta));
                    ui.close();
                }
            }
            ui.separator();
            item(
                ui,
                &mut actions,
                true,
                "Previous Packet in Conversation  (Ctrl+,)",
                Action::MoveInConversation(-1),
            );
            item(
                ui,
                &mut actions,
                true,
                "Next Packet in Conversation  (Ctrl+.)",
                Action::MoveInConversation(1),
            );
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
        // The tools share the menus' row: a laptop's height goes to the list.
        ui.separator();
        actions.extend(super::toolbar::ui(ui, state));
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
        (
            settings.diagram,
            "Packet diagram (headers as the RFCs draw them)",
            ViewChange::Diagram,
        ),
    ];
    for (mut on, label, change) in toggles {
        if ui.checkbox(&mut on, label).changed() {
            actions.push(Action::View(change(on)));
        }
    }
    let ladder = if state.ladder_view {
        "Leave Ladder View  (L)"
    } else {
        "Ladder View  (L)"
    };
    item(
        ui,
        actions,
        state.session.is_some(),
        ladder,
        Action::LadderView(!state.ladder_view),
    );
    item(
        ui,
        actions,
        state.session.is_some(),
        super::teach_words::PICKER,
        Action::Teach(super::teach::TeachAction::Picker(true)),
    );
    ui.separator();
    ui.menu_button("Theme", |ui| {
        for t in Theme::ALL {
            if ui.radio(settings.theme == t, t.label()).clicked() {
                actions.push(Action::View(ViewChange::Theme(t)));
                ui.close();
            }
        }
    });
    let zoom = settings.zoom;
    item(
        ui,
        actions,
        true,
        "Zoom In  (Ctrl++)",
        Action::View(ViewChange::Zoom(zoom + 0.1)),
    );
    item(
        ui,
        actions,
        true,
        "Zoom Out  (Ctrl+−)",
        Action::View(ViewChange::Zoom(zoom - 0.1)),
    );
    item(
        ui,
        actions,
        true,
        "Normal Size  (Ctrl+0)",
        Action::View(ViewChange::Zoom(1.0)),
    );
    ui.separator();
    ui.menu_button("Time Display Format", |ui| {
        for f in TimeFormat::ALL {
            let label = format!("{}  (-t {})", f.label(), f.flag());
            if ui.radio(settings.time_display == f, label).clicked() {
                actions.push(Action::View(ViewChange::TimeFormat(f)));
                ui.close();
            }
        }
        ui.separator();
        let precisions: [(Option<u8>, &str); 5] = [
            (None, "Automatic (from the file)"),
            (Some(0), "Seconds"),
            (Some(3), "Milliseconds"),
            (Some(6), "Microseconds"),
            (Some(9), "Nanoseconds"),
        ];
        for (digits, label) in precisions {
            if ui.radio(settings.time_precision == digits, label).clicked() {
                actions.push(Action::View(ViewChange::TimePrecision(digits)));
                ui.close();
            }
        }
    });
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
