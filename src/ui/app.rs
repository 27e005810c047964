//! The eframe glue, after egui's demo app (`wrap_app.rs`): [`App::logic`] drains the
//! workers within a time budget (even while the window is hidden) and builds what
//! waits for the capture's lock when it is free; [`App::draw`] only lays out the
//! panes and applies the actions they return. State changes happen in
//! [`super::apply::apply`].

use super::action::{Action, ViewChange};
use super::apply::{self, apply};
use super::panes::capture_menu::CaptureView;
use super::panes::start_page;
use super::panes::status_bar::{self, Status};
use super::state::{Settings, State};
use super::windows::quit;
use super::{layout, menu_bar, navigate, selection, theme, toolbar};
use crate::i18n::Lang;
use eframe::egui::{self, RichText};
use std::path::PathBuf;
use std::time::{Duration, Instant};

const SETTINGS_KEY: &str = "synack-settings";

/// How long `logic` applies worker events before it lets the frame be drawn (rerun's
/// `receive_messages` budget); the rest wait for the next frame.
const DRAIN_BUDGET: Duration = Duration::from_millis(10);

/// The synack window.
pub struct App {
    /// Everything the window shows; changed only through [`App::apply`].
    pub state: State,
    applied_font: f32,
    applied_look: Option<theme::Look>,
}

impl App {
    /// The app as eframe creates it, optionally opening `file` or capturing on a
    /// device with a filter at once (`capture`).
    pub fn new(
        cc: &eframe::CreationContext<'_>,
        file: Option<PathBuf>,
        capture: Option<(String, String)>,
        lang: Option<Lang>,
    ) -> Self {
        let mut settings: Settings = cc
            .storage
            .and_then(|s| eframe::get_value(s, SETTINGS_KEY))
            .unwrap_or_default();
        // `--lang` for this run, else the one chosen before, else (first run) the locale's.
        let lang = lang
            .or_else(|| settings.language.as_deref().and_then(Lang::parse))
            .unwrap_or_else(Lang::from_env);
        settings.language = Some(lang.code().to_string());
        let mut app = Self::with_settings(cc.egui_ctx.clone(), settings, file);
        // Live captures are written there (`apply::capture_path`).
        app.state.jobs.find_unsaved(std::env::temp_dir());
        if let Some((device, filter)) = capture {
            app.apply(Action::StartCapture { device, filter });
        }
        app
    }

    /// The app with given settings (tests use defaults, not the user's).
    pub fn with_settings(ctx: egui::Context, settings: Settings, file: Option<PathBuf>) -> Self {
        // Tests' default settings name no language: English, whatever the machine's locale.
        crate::i18n::set_current(
            settings
                .language
                .as_deref()
                .and_then(Lang::parse)
                .unwrap_or_default(),
        );
        theme::install_fonts(&ctx);
        // Zoom keys are ours (Action::View), so the settings remember the zoom.
        ctx.options_mut(|o| o.zoom_with_keyboard = false);
        // From the first frame, so panes are fitted at the zoom they are seen at.
        ctx.set_zoom_factor(settings.zoom);
        let mut app = App {
            state: State::new(ctx, settings),
            applied_font: 0.0,
            applied_look: None,
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

    /// Sets the theme, zoom and font size when the settings (or the desktop's light
    /// or dark preference) changed them.
    fn style(&mut self, ctx: &egui::Context) {
        let system_dark = ctx.system_theme() == Some(egui::Theme::Dark);
        let look = self.state.settings.theme.look(system_dark);
        if self.applied_look != Some(look) {
            // One look for both of egui's themes: ours decides, not egui's switch.
            let visuals = theme::visuals(look);
            ctx.set_visuals_of(egui::Theme::Light, visuals.clone());
            ctx.set_visuals_of(egui::Theme::Dark, visuals);
            ctx.set_theme(if look == theme::Look::Dark {
                egui::Theme::Dark
            } else {
                egui::Theme::Light
            });
            theme::Palette::of(look).install(ctx);
            self.applied_look = Some(look);
            self.applied_font = 0.0;
        }
        self.state.settings.dark = look == theme::Look::Dark;
        let settings = &self.state.settings;
        if (ctx.zoom_factor() - settings.zoom).abs() > f32::EPSILON {
            ctx.set_zoom_factor(settings.zoom);
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
        actions.extend(toolbar::keys(&ctx, state));
        actions.extend(crate::ui::panes::teach_bar::keys(&ctx, state));
        // Play: the next step when it is due, else a repaint when it will be.
        match crate::ui::teach::due(state, Instant::now()) {
            (true, _) => actions.push(Action::Teach(crate::ui::teach::TeachAction::Tick)),
            (false, Some(wait)) => ctx.request_repaint_after(wait),
            (false, None) => {}
        }
        if state.quit_dialog {
            let packets = state.session.as_ref().map_or(0, |s| s.progress.packets);
            actions.extend(quit::ui(&ctx, packets));
        }
        ctx.send_viewport_cmd(egui::ViewportCommand::Title(state.title()));

        egui::Panel::top("top").show(ui, |ui| {
            actions.extend(menu_bar::ui(ui, state));
            actions.extend(state.filter_bar.ui(ui));
            actions.extend(state.search.ui(ui));
            ui.add_space(2.0);
        });
        let status = Status::of(state);
        egui::Panel::bottom("status").show(ui, |ui| actions.extend(status_bar::ui(ui, &status)));
        if let Some(m) = &state.message {
            egui::Panel::bottom("message").show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.label(RichText::new(m).color(theme::EXPERT_ERROR));
                    if ui
                        .small_button("✖")
                        .on_hover_text(crate::tr!("message-dismiss"))
                        .clicked()
                    {
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
                actions.extend(start_page::ui(
                    ui,
                    recent,
                    &state.unsaved,
                    &mut state.capture,
                    view,
                ));
            });
        } else {
            layout::panes_ui(ui, state, &mut actions);
        }
        actions.extend(state.windows.ui(&ctx));
        if state.settings.diagram {
            let mut open = true;
            egui::Window::new(crate::tr!("window-packet-diagram"))
                .id(egui::Id::unique("Packet Diagram"))
                .open(&mut open)
                .default_size([820.0, 560.0])
                .show(&ctx, |ui| match state.details.as_ref() {
                    Some(details) => {
                        actions.extend(state.diagram.ui(ui, details, state.tree.selected));
                    }
                    None => {
                        ui.label(crate::tr!("diagram-select-hint"));
                    }
                });
            if !open {
                actions.push(Action::View(ViewChange::Diagram(false)));
            }
        }
        crate::ui::panes::teach_bar::picker_ui(&ctx, state, &mut actions);
        crate::ui::panes::teach_bar::shuffle_ui(&ctx, state, &mut actions);
        actions.extend(state.windows.export.ui(&ctx, state.session.as_ref()));
        actions.extend(state.windows.decode_as.ui(&ctx));
        for a in actions {
            self.apply(a);
        }
    }
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
        if self.state.teach.quiz.as_ref().is_some_and(|q| q.waiting) {
            crate::ui::teach::step_quiz(&mut self.state);
            ctx.request_repaint_after(Duration::from_millis(16));
        }
        if self.state.find.is_some() {
            navigate::step_find(&mut self.state);
            ctx.request_repaint();
        }
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
