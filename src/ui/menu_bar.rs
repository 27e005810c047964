//! The menu bar: File, View, Capture, Go, Analyze, Statistics, Help. It returns actions; the
//! only state it changes itself is the Capture menu's device choice and filter text
//! (the widgets' own state).

use super::action::{Action, ViewChange, menu_item};
use super::panes::capture_menu::CaptureView;
use super::panes::search_bar::SearchMode;
use super::state::State;
use super::theme::Theme;
use crate::export::text::time::TimeFormat;
use eframe::egui;

/// Go-menu entries: message id and how far the selection moves.
const GO: [(&str, isize); 4] = [
    ("menu-go-next", 1),
    ("menu-go-previous", -1),
    ("menu-go-first", isize::MIN / 2),
    ("menu-go-last", isize::MAX / 2),
];

/// Draws the menu bar.
pub fn ui(ui: &mut egui::Ui, state: &mut State) -> Vec<Action> {
    let mut actions = Vec::new();
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button(crate::tr!("menu-file"), |ui| {
            file_ui(ui, state, &mut actions)
        });
        ui.menu_button(crate::tr!("menu-view"), |ui| {
            view_ui(ui, state, &mut actions)
        });
        // Choosing a device, typing a filter or opening Capture options must not close
        // the menu (egui closes a menu on any click by default); Start and Stop close it
        // themselves (`CaptureMenu::menu_ui`).
        let keep_open = egui::containers::menu::MenuConfig::new()
            .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside);
        egui::containers::menu::MenuButton::new(crate::tr!("menu-capture"))
            .config(keep_open)
            .ui(ui, |ui| {
                state.want_interfaces();
                let view = CaptureView {
                    devices: state.devices.as_ref(),
                    rates: &state.rates,
                    running: state.capturing(),
                };
                actions.extend(state.capture.menu_ui(ui, view));
            });
        ui.menu_button(crate::tr!("menu-go"), |ui| {
            menu_item(
                ui,
                &mut actions,
                true,
                crate::tr!("menu-go-to-packet"),
                Action::OpenSearch(SearchMode::GoTo),
            );
            menu_item(
                ui,
                &mut actions,
                true,
                crate::tr!("menu-find-packet"),
                Action::OpenSearch(SearchMode::Find),
            );
            ui.separator();
            for (id, delta) in GO {
                menu_item(
                    ui,
                    &mut actions,
                    true,
                    crate::tr!(id),
                    Action::MoveSelection(delta),
                );
            }
            ui.separator();
            menu_item(
                ui,
                &mut actions,
                true,
                crate::tr!("menu-go-previous-in-conversation"),
                Action::MoveInConversation(-1),
            );
            menu_item(
                ui,
                &mut actions,
                true,
                crate::tr!("menu-go-next-in-conversation"),
                Action::MoveInConversation(1),
            );
        });
        ui.menu_button(crate::tr!("menu-analyze"), |ui| {
            menu_item(
                ui,
                &mut actions,
                true,
                crate::tr!("menu-decode-as"),
                Action::DecodeAsDialog,
            );
        });
        ui.menu_button(crate::tr!("menu-statistics"), |ui| {
            for (k, slot) in state.windows.stats.iter().enumerate() {
                let title = super::windows::shown_title(slot.window.title());
                menu_item(ui, &mut actions, true, title, Action::OpenStats(k));
            }
        });
        ui.menu_button(crate::tr!("menu-help"), |ui| {
            ui.label(format!("synack {}", env!("CARGO_PKG_VERSION")));
            ui.label(crate::tr!("menu-help-about"));
        });
        // The tools share the menus' row: a laptop's height goes to the list.
        ui.separator();
        actions.extend(super::toolbar::ui(ui, state));
    });
    actions
}

fn file_ui(ui: &mut egui::Ui, state: &State, actions: &mut Vec<Action>) {
    menu_item(
        ui,
        actions,
        true,
        crate::tr!("menu-open"),
        Action::OpenDialog,
    );
    ui.menu_button(crate::tr!("menu-open-recent"), |ui| {
        if state.settings.recent.is_empty() {
            ui.weak(crate::tr!("menu-none"));
        }
        for p in &state.settings.recent {
            let label = p.display().to_string();
            menu_item(ui, actions, true, &label, Action::Open(p.clone()));
        }
    });
    menu_item(
        ui,
        actions,
        true,
        crate::tr!("menu-open-sample"),
        Action::OpenSample,
    );
    ui.separator();
    let can_save = state.session.as_ref().is_some_and(|s| s.shared.is_some());
    menu_item(
        ui,
        actions,
        can_save,
        crate::tr!("menu-save-as"),
        Action::SaveCaptureAs,
    );
    let open = state.session.is_some();
    menu_item(
        ui,
        actions,
        open,
        crate::tr!("menu-export"),
        Action::ExportDialog,
    );
    ui.separator();
    if ui.button(crate::tr!("menu-quit")).clicked() {
        ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
    }
}

/// A View-menu checkbox: its value, label and the change it asks for.
type Toggle = (bool, String, fn(bool) -> ViewChange);

fn view_ui(ui: &mut egui::Ui, state: &State, actions: &mut Vec<Action>) {
    let settings = &state.settings;
    let toggles: [Toggle; 3] = [
        (
            settings.colorize,
            crate::tr!("menu-colorize"),
            ViewChange::Colorize,
        ),
        (
            settings.teaching,
            crate::tr!("menu-teaching"),
            ViewChange::Teaching,
        ),
        (
            settings.diagram,
            crate::tr!("menu-diagram"),
            ViewChange::Diagram,
        ),
    ];
    for (mut on, label, change) in toggles {
        if ui.checkbox(&mut on, label).changed() {
            actions.push(Action::View(change(on)));
        }
    }
    let ladder = if state.ladder_view {
        crate::tr!("menu-leave-ladder-view")
    } else {
        crate::tr!("menu-ladder-view")
    };
    menu_item(
        ui,
        actions,
        state.session.is_some(),
        &ladder,
        Action::LadderView(!state.ladder_view),
    );
    menu_item(
        ui,
        actions,
        state.session.is_some(),
        super::teach_words::picker(),
        Action::Teach(super::teach::TeachAction::Picker(true)),
    );
    ui.separator();
    ui.menu_button(crate::tr!("menu-theme"), |ui| {
        for t in Theme::ALL {
            if ui.radio(settings.theme == t, t.label()).clicked() {
                actions.push(Action::View(ViewChange::Theme(t)));
                ui.close();
            }
        }
    });
    ui.menu_button(crate::tr!("menu-language"), |ui| {
        let current = crate::i18n::current();
        for lang in crate::i18n::Lang::ALL {
            if ui.radio(current == lang, lang.native_name()).clicked() {
                actions.push(Action::View(ViewChange::Language(lang)));
                ui.close();
            }
        }
    });
    let zoom = settings.zoom;
    menu_item(
        ui,
        actions,
        true,
        crate::tr!("menu-zoom-in"),
        Action::View(ViewChange::Zoom(zoom + 0.1)),
    );
    menu_item(
        ui,
        actions,
        true,
        crate::tr!("menu-zoom-out"),
        Action::View(ViewChange::Zoom(zoom - 0.1)),
    );
    menu_item(
        ui,
        actions,
        true,
        crate::tr!("menu-zoom-normal"),
        Action::View(ViewChange::Zoom(1.0)),
    );
    ui.separator();
    ui.menu_button(crate::tr!("menu-time-format"), |ui| {
        for f in TimeFormat::ALL {
            let label = format!("{}  (-t {})", f.label(), f.flag());
            if ui.radio(settings.time_display == f, label).clicked() {
                actions.push(Action::View(ViewChange::TimeFormat(f)));
                ui.close();
            }
        }
        ui.separator();
        let precisions: [(Option<u8>, &str); 5] = [
            (None, "menu-precision-auto"),
            (Some(0), "menu-precision-seconds"),
            (Some(3), "menu-precision-milliseconds"),
            (Some(6), "menu-precision-microseconds"),
            (Some(9), "menu-precision-nanoseconds"),
        ];
        for (digits, id) in precisions {
            if ui
                .radio(settings.time_precision == digits, crate::tr!(id))
                .clicked()
            {
                actions.push(Action::View(ViewChange::TimePrecision(digits)));
                ui.close();
            }
        }
    });
    ui.separator();
    ui.horizontal(|ui| {
        ui.label(crate::tr!("menu-font-size"));
        if ui.button("−").clicked() {
            actions.push(Action::View(ViewChange::FontSize(-1.0)));
        }
        if ui.button("+").clicked() {
            actions.push(Action::View(ViewChange::FontSize(1.0)));
        }
    });
}
