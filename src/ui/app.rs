//! The eframe glue, after egui's demo app (`wrap_app.rs`): [`App::logic`] drains the
//! workers within a time budget (even while the window is hidden) and builds what
//! waits for the capture's lock when it is free; [`App::draw`] only lays out the
//! panes and applies the actions they return. State changes happen in
//! [`super::apply::apply`].

use super::action::Action;
use super::apply::{self, apply};
use super::panes::capture_menu::CaptureView;
use super::panes::packet_list::ListView;
use super::panes::status_bar::{self, Status};
use super::panes::{explanation, start_page};
use super::state::{Settings, State};
use super::windows::quit;
use super::{menu_bar, selection, theme, toolbar};
use eframe::egui::{self, RichText};
use std::path::PathBuf;
use std::time::{Duration, Instant};

const SETTINGS_KEY: &str = "synack-settings";

/// How long `logic` applies worker events before it lets the frame be drawn (rerun's
/// `receive_messages` budget); the rest wait for the next frame.
const DRAIN_BUDGET: Duration = Duration::from_millis(10);

/// Longest the packet list waits in a frame for the loader to let go of the capture
/// (one loader batch is a few milliseconds: rows beat placeholders); then it draws
/// from its row cache.
const LIST_LOCK_WAIT: Duration = Duration::from_millis(6);

/// The synack window.
pub struct App {
    /// Everything the window shows; changed only through [`App::apply`].
    pub state: State,
    applied_font: f32,
    applied_dark: Option<bool>,
}

impl App {
    /// The app as eframe creates it, optionally opening `file` or capturing on a
    /// device with a filter at once (`capture`).
    pub fn new(
        cc: &eframe::CreationContext<'_>,
        file: Option<PathBuf>,
        capture: Option<(String, String)>,
    ) -> Self {
        let settings: Settings = cc
            .storage
            .and_then(|s| eframe::get_value(s, SETTINGS_KEY))
            .unwrap_or_default();
        let mut app = Self::with_settings(cc.egui_ctx.clone(), settings, file);
        if let Some((device, filter)) = capture {
            app.apply(Action::StartCapture { device, filter });
        }
        app
    }

    /// The app with given settings (tests use defaults, not the user's).
    pub fn with_settings(ctx: egui::Context, settings: Settings, file: Option<PathBuf>) -> Self {
        theme::install_fonts(&ctx);
        let mut app = App {
            state: State::new(ctx, settings),
            applied_font: 0.0,
            applied_dark: None,
        };
        if let Some(f) = file {
            app.apply(Action::Open(f));
        }
        app
    }

    /// Applies one action (see [`apply::apply`]).
    pub fn apply(&mut self, action: Action) {
        apply(&mut self.state, action);
    }

    /// Sets the theme and font size when the settings changed them.
    fn style(&mut self, ctx: &egui::Context) {
        let settings = &self.state.settings;
        if self.applied_dark != Some(settings.dark) {
            ctx.set_visuals(theme::visuals(settings.dark));
            self.applied_dark = Some(settings.dark);
        }
        if (self.applied_font - settings.font_size).abs() > f32::EPSILON {
            let size = settings.font_size;
            ctx.all_styles_mut(|style| {
                for (text_style, font) in style.text_styles.iter_mut() {
                    font.size = match text_style {
                        egui::TextStyle::Heading => size + 6.0,
                        egui::TextStyle::Small => size - 3.0,
                        egui::TextStyle::Button
                        | egui::TextStyle::Body
                        | egui::TextStyle::Monospace => size,
                        _ => font.size,
                    };
                }
            });
            self.applied_font = size;
        }
    }

    /// Draws the whole window (the body of `eframe::App::ui`) and applies what the
    /// user asked for.
    pub fn draw(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.style(&ctx);
        let state = &mut self.state;
        let mut actions: Vec<Action> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .take(1)
                .map(|f| Action::Open(f.path().to_path_buf()))
                .collect()
        });
        actions.extend(toolbar::keys(&ctx));
        if state.quit_dialog {
            let packets = state.session.as_ref().map_or(0, |s| s.progress.packets);
            actions.extend(quit::ui(&ctx, packets));
        }
        ctx.send_viewport_cmd(egui::ViewportCommand::Title(state.title()));

        egui::Panel::top("top").show(ui, |ui| {
            actions.extend(menu_bar::ui(ui, state));
            actions.extend(toolbar::ui(ui, state));
            actions.extend(state.filter_bar.ui(ui));
            ui.add_space(2.0);
        });
        let status = Status::of(state);
        egui::Panel::bottom("status").show(ui, |ui| status_bar::ui(ui, &status));
        if let Some(m) = &state.message {
            egui::Panel::bottom("message").show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.label(RichText::new(m).color(theme::EXPERT_ERROR));
                    if ui.small_button("✖").on_hover_text("Dismiss").clicked() {
                        actions.push(Action::DismissMessage);
                    }
                });
            });
        }
        if state.session.is_none() {
            egui::CentralPanel::default().show(ui, |ui| {
                state.want_interfaces();
                let view = CaptureView {
                    devices: state.devices.as_ref(),
                    rates: &state.rates,
                    running: false,
                };
                let recent = &state.settings.recent;
                actions.extend(start_page::ui(ui, recent, &mut state.capture, view));
            });
        } else {
            panes_ui(ui, state, &mut actions);
        }
        actions.extend(state.windows.ui(&ctx));
        actions.extend(state.windows.export.ui(&ctx, state.session.as_ref()));
        actions.extend(state.windows.decode_as.ui(&ctx));
        for a in actions {
            self.apply(a);
        }
    }
}

/// The panes of an open capture: explanation, detail tree and bytes at the bottom,
/// the flow graph on the right, the packet list in the middle.
fn panes_ui(ui: &mut egui::Ui, state: &mut State, actions: &mut Vec<Action>) {
    if state.settings.teaching {
        let bg = theme::explain_background(state.settings.dark);
        egui::Panel::bottom("explanation")
            .frame(egui::Frame::NONE.fill(bg).inner_margin(8.0))
            .show(ui, |ui| explanation::ui(ui, state.details.as_ref()));
    }
    let details = state.details.as_ref();
    let highlight = state
        .tree
        .selected
        .and_then(|i| details.and_then(|d| d.lines.get(i)))
        .map(|l| (l.source, l.start, l.len));
    egui::Panel::bottom("details")
        .resizable(true)
        .default_size(300.0)
        .min_size(120.0)
        .show(ui, |ui| {
            // A resizable panel takes its content's size: fill it, or a short
            // placeholder on the first frames shrinks the pane for good.
            ui.take_available_space();
            egui::Panel::left("tree")
                .resizable(true)
                .default_size(600.0)
                .show(ui, |ui| {
                    ui.take_available_space();
                    actions.extend(state.tree.ui(ui, details));
                });
            egui::CentralPanel::default().show(ui, |ui| {
                actions.extend(state.hex.ui(ui, details, highlight));
            });
        });
    let Some(session) = state.session.as_ref() else {
        return;
    };
    let selected_frame = session.selected.map(|i| (i + 1) as u32);
    egui::Panel::right("flow")
        .resizable(true)
        .default_size(520.0)
        .min_size(300.0)
        .show(ui, |ui| {
            ui.take_available_space();
            actions.extend(state.flow.ui(ui, &state.flow_data, selected_frame));
        });
    egui::CentralPanel::default().show(ui, |ui| {
        let guard = session
            .shared
            .as_ref()
            .and_then(|s| s.read_within(LIST_LOCK_WAIT));
        if guard.is_none() && session.shared.is_some() {
            // Rows wait for their text: look again soon.
            ui.ctx().request_repaint_after(Duration::from_millis(16));
        }
        let packet_of = |r: usize| session.packet_of(r);
        let view = ListView {
            rows: session.rows(),
            packet_of: &packet_of,
            loaded: guard.as_deref(),
            cache: &mut state.rows,
            selected: session.selected,
            marked: &session.marked,
            colorize: state.settings.colorize,
            time_format: state.settings.time_format,
            coloring: &state.coloring,
            show_step: state.settings.teaching,
        };
        actions.extend(state.list.ui(ui, view));
    });
}

impl eframe::App for App {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        let start = Instant::now();
        while let Some(event) = self.state.jobs.try_recv() {
            self.apply(Action::Worker(event));
            if start.elapsed() >= DRAIN_BUDGET {
                // More may be waiting: come back after this frame.
                ctx.request_repaint();
                break;
            }
        }
        if ctx.input(|i| i.viewport().close_requested()) {
            self.apply(Action::CloseRequested);
        }
        if self.state.quit_confirmed && self.state.saving.is_none() {
            apply::remove_saved_capture(&self.state);
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        selection::build_waiting(&mut self.state);
        if selection::waiting(&self.state) {
            // A worker holds the capture: try again next frame.
            ctx.request_repaint_after(Duration::from_millis(16));
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.draw(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.state.settings);
    }
}
