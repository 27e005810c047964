//! The toolbar (Open, Sample, Capture/Stop, Prev/Next, Ladder view, Go to, Find,
//! zoom, the load's progress) and the keyboard shortcuts; both return actions.

use super::action::{Action, ViewChange};
use super::panes::search_bar::SearchMode;
use super::state::State;
use super::theme;
use eframe::egui::{self, RichText};

/// Draws the toolbar.
pub fn ui(ui: &mut egui::Ui, state: &mut State) -> Vec<Action> {
    let mut actions = Vec::new();
    ui.horizontal(|ui| {
        if ui.button(crate::tr!("tool-open")).clicked() {
            actions.push(Action::OpenDialog);
        }
        if ui
            .button(crate::tr!("tool-sample"))
            .on_hover_text(crate::tr!("tool-sample-hint"))
            .clicked()
        {
            actions.push(Action::OpenSample);
        }
        ui.separator();
        if state.capturing() {
            if ui
                .button(RichText::new(crate::tr!("tool-stop")).color(theme::CAPTURING))
                .on_hover_text(crate::tr!("tool-stop-hint"))
                .clicked()
            {
                actions.push(Action::StopCapture);
            }
        } else {
            let device = state.capture.device.clone();
            let ok = device.is_some() && state.capture.filter_error().is_none();
            let hover = match &device {
                Some(d) => crate::tr!("tool-capture-hint", device = d.as_str()),
                None => crate::tr!("tool-capture-choose"),
            };
            if ui
                .add_enabled(ok, egui::Button::new(crate::tr!("tool-capture")))
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
        if ui.button(crate::tr!("tool-prev")).clicked() {
            actions.push(Action::MoveSelection(-1));
        }
        if ui.button(crate::tr!("tool-next")).clicked() {
            actions.push(Action::MoveSelection(1));
        }
        ui.separator();
        let open = state.session.is_some();
        let ladder = if state.ladder_view {
            crate::tr!("tool-leave-ladder-view")
        } else {
            crate::tr!("tool-ladder-view")
        };
        if ui
            .add_enabled(open, egui::Button::new(ladder).selected(state.ladder_view))
            .on_hover_text(crate::tr!("tool-ladder-view-hint"))
            .clicked()
        {
            actions.push(Action::LadderView(!state.ladder_view));
        }
        if ui
            .add_enabled(open, egui::Button::new(crate::tr!("tool-go-to")))
            .on_hover_text(crate::tr!("tool-go-to-hint"))
            .clicked()
        {
            actions.push(Action::OpenSearch(SearchMode::GoTo));
        }
        if ui
            .add_enabled(open, egui::Button::new(crate::tr!("tool-find")))
            .on_hover_text(crate::tr!("tool-find-hint"))
            .clicked()
        {
            actions.push(Action::OpenSearch(SearchMode::Find));
        }
        ui.separator();
        let zoom = state.settings.zoom;
        if ui
            .small_button("−")
            .on_hover_text(crate::tr!("tool-zoom-out-hint"))
            .clicked()
        {
            actions.push(Action::View(ViewChange::Zoom(zoom - 0.1)));
        }
        if ui
            .small_button(format!("{:.0}%", zoom * 100.0))
            .on_hover_text(crate::tr!("tool-zoom-reset-hint"))
            .clicked()
        {
            actions.push(Action::View(ViewChange::Zoom(1.0)));
        }
        if ui
            .small_button("+")
            .on_hover_text(crate::tr!("tool-zoom-in-hint"))
            .clicked()
        {
            actions.push(Action::View(ViewChange::Zoom(zoom + 0.1)));
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
                    .text(crate::tr!("count-packets", count = s.progress.packets)),
            );
            if ui.button(crate::tr!("button-cancel")).clicked() {
                actions.push(Action::CancelLoad);
            }
        }
    });
    actions
}

/// Keys and what they ask for: arrows, pages, Home/End, Ctrl+/ (the filter), Ctrl+F
/// (find), Ctrl+G (go to), Ctrl+, and Ctrl+. (the conversation), L and Esc (Ladder
/// view), Ctrl+O, and Ctrl+plus/minus/0 (zoom, even while typing).
pub fn keys(ctx: &egui::Context, state: &super::state::State) -> Vec<Action> {
    use egui::{Key, KeyboardShortcut, Modifiers};
    let zoom = state.settings.zoom;
    let shortcut = |key| KeyboardShortcut::new(Modifiers::COMMAND, key);
    let mut actions = Vec::new();
    ctx.input_mut(|i| {
        if i.consume_shortcut(&shortcut(Key::Num0)) {
            actions.push(Action::View(ViewChange::Zoom(1.0)));
        } else if i.consume_shortcut(&shortcut(Key::Plus))
            || i.consume_shortcut(&shortcut(Key::Equals))
        {
            actions.push(Action::View(ViewChange::Zoom(zoom + 0.1)));
        } else if i.consume_shortcut(&shortcut(Key::Minus)) {
            actions.push(Action::View(ViewChange::Zoom(zoom - 0.1)));
        }
    });
    if ctx.egui_wants_keyboard_input() {
        if ctx.input(|i| i.key_pressed(Key::Escape)) && state.search.mode.is_some() {
            actions.push(Action::CloseSearch);
        }
        return actions;
    }
    actions.extend(ctx.input(|i| {
        let command = i.modifiers.command;
        let mut more = Vec::new();
        if command && i.key_pressed(Key::G) {
            more.push(Action::OpenSearch(SearchMode::GoTo));
        }
        if command && i.key_pressed(Key::F) {
            more.push(Action::OpenSearch(SearchMode::Find));
        }
        if command && i.key_pressed(Key::Slash) {
            more.push(Action::FocusFilter);
        }
        if command && i.key_pressed(Key::Comma) {
            more.push(Action::MoveInConversation(-1));
        }
        if command && i.key_pressed(Key::Period) {
            more.push(Action::MoveInConversation(1));
        }
        if !command && i.key_pressed(Key::L) && state.session.is_some() {
            more.push(Action::LadderView(!state.ladder_view));
        }
        if i.key_pressed(Key::Escape) {
            if state.ladder_view {
                more.push(Action::LadderView(false));
            } else if state.search.mode.is_some() {
                more.push(Action::CloseSearch);
            }
        }
        more
    }));
    actions.extend(ctx.input(|i| {
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
        if i.modifiers.command && i.key_pressed(egui::Key::O) {
            actions.push(Action::OpenDialog);
        }
        actions
    }));
    actions
}
