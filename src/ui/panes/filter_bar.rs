//! The display-filter bar: the parser's verdict as you type (green, or red with the
//! message and where), history, and a few ready-made filters for students.

use crate::filter::{Filter, FilterError};
use crate::ui::action::Action;
use crate::ui::theme;
use eframe::egui::{self, RichText};

/// Ready-made filters: (button, filter, tooltip).
pub const SAVED_FILTERS: &[(&str, &str, &str)] = &[
    (
        "handshake",
        "tcp.flags.syn == 1 || synack.step == \"handshake-3\"",
        "The three-way handshake: SYN, SYN+ACK and the ACK that completes it",
    ),
    (
        "close",
        "tcp.flags.fin == 1 || synack.step matches \"^close\"",
        "The close: FINs and the ACKs of FINs",
    ),
    (
        "resets",
        "tcp.flags.reset == 1",
        "Connections aborted or refused with RST",
    ),
    (
        "retransmissions",
        "tcp.analysis.retransmission",
        "Segments sent again",
    ),
    (
        "problems",
        "tcp.analysis.flags && !tcp.analysis.window_update",
        "Everything tshark's TCP analysis flags",
    ),
];

/// A saved filter's button and tooltip in the current language (`saved-NAME`,
/// `saved-NAME-tip`); the filter itself is Wireshark's language in every one.
fn saved_text(name: &str) -> (String, String) {
    (
        crate::tr!(&format!("saved-{name}")),
        crate::tr!(&format!("saved-{name}-tip")),
    )
}

/// The filter bar's state.
#[derive(Debug, Default)]
pub struct FilterBar {
    /// The text being edited.
    pub text: String,
    /// The filter in force.
    pub applied: String,
    /// Past filters, newest first.
    pub history: Vec<String>,
    verdict: Option<Result<(), FilterError>>,
    checked: String,
    /// Give the text field the keyboard focus on the next frame.
    pub focus: bool,
}

impl FilterBar {
    /// The parser's verdict on the current text (None: empty).
    pub fn verdict(&mut self) -> Option<&Result<(), FilterError>> {
        if self.checked != self.text || self.verdict.is_none() {
            self.checked = self.text.clone();
            self.verdict = if self.text.trim().is_empty() {
                None
            } else {
                Some(Filter::compile(&self.text).map(|_| ()))
            };
        }
        self.verdict.as_ref()
    }

    /// Remembers an applied filter in the history.
    pub fn remember(&mut self, text: &str) {
        self.history.retain(|h| h != text);
        self.history.insert(0, text.to_string());
        self.history.truncate(30);
    }

    /// Draws the bar.
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Vec<Action> {
        let mut actions = Vec::new();
        ui.horizontal(|ui| {
            ui.label(crate::tr!("filter-label"));
            let bg = match self.verdict() {
                None => None,
                Some(Ok(())) => Some(theme::FILTER_OK),
                Some(Err(_)) => Some(theme::FILTER_BAD),
            };
            // Room for the buttons and at least two saved filters; the rest go in
            // the Saved menu, so nothing runs off a laptop's screen.
            let width = (ui.available_width() - 430.0).max(220.0);
            let mut edit = egui::TextEdit::singleline(&mut self.text)
                .hint_text(crate::tr!("filter-hint"))
                .desired_width(width)
                .font(egui::TextStyle::Monospace)
                .id_salt("filter text");
            if let Some(bg) = bg {
                edit = edit.background_color(bg).text_color(theme::FILTER_TEXT);
            }
            let response = ui.add(edit);
            if self.focus {
                response.request_focus();
                self.focus = false;
            }
            let enter = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let ok = !matches!(self.verdict(), Some(Err(_)));
            if (ui
                .add_enabled(ok, egui::Button::new(crate::tr!("filter-apply")))
                .clicked()
                || enter)
                && ok
            {
                actions.push(Action::ApplyFilter(self.text.clone()));
            }
            if ui.button(crate::tr!("filter-clear")).clicked() {
                self.text.clear();
                actions.push(Action::ApplyFilter(String::new()));
            }
            egui::ComboBox::from_id_salt("filter history")
                .selected_text(crate::tr!("filter-history"))
                .width(80.0)
                .show_ui(ui, |ui| {
                    for h in self.history.clone() {
                        if ui.selectable_label(false, &h).clicked() {
                            self.text = h.clone();
                            actions.push(Action::ApplyFilter(h));
                        }
                    }
                });
            ui.menu_button(crate::tr!("filter-saved"), |ui| {
                for (name, filter, _) in SAVED_FILTERS {
                    let (name, tip) = saved_text(name);
                    if ui
                        .button(name)
                        .on_hover_text(format!("{tip}\n{filter}"))
                        .clicked()
                    {
                        self.text = (*filter).to_string();
                        actions.push(Action::ApplyFilter((*filter).to_string()));
                        ui.close();
                    }
                }
            });
            // As many saved filters as fit stay one click away.
            for (name, filter, _) in SAVED_FILTERS {
                let (name, tip) = saved_text(name);
                let needed = ui.fonts_mut(|f| {
                    f.layout_no_wrap(
                        name.clone(),
                        egui::TextStyle::Button.resolve(ui.style()),
                        egui::Color32::PLACEHOLDER,
                    )
                    .size()
                    .x
                }) + 2.0 * ui.spacing().button_padding.x
                    + ui.spacing().item_spacing.x;
                if ui.available_width() < needed {
                    break;
                }
                if ui
                    .small_button(name)
                    .on_hover_text(format!("{tip}\n{filter}"))
                    .clicked()
                {
                    self.text = (*filter).to_string();
                    actions.push(Action::ApplyFilter((*filter).to_string()));
                }
            }
        });
        if let Some(Err(e)) = self.verdict().cloned() {
            ui.horizontal(|ui| {
                ui.label(
                    RichText::new(crate::tr!(
                        "filter-error",
                        message = e.message.as_str(),
                        position = (e.position + 1).to_string()
                    ))
                    .color(theme::EXPERT_ERROR),
                );
            });
        }
        actions
    }
}
