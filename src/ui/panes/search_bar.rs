//! The bar under the filter bar for Go to packet (Ctrl+G) and Find packet (Ctrl+F),
//! as Wireshark's: find by display filter, hex bytes or string, in the packet list,
//! the details or the bytes, next or previous. It returns actions; the search itself
//! runs a slice per frame (`navigate.rs`).

use crate::ui::action::Action;
use eframe::egui;

/// Which bar is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchMode {
    /// Go to packet.
    GoTo,
    /// Find packet.
    Find,
}

/// What the find text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FindBy {
    /// A display filter.
    #[default]
    DisplayFilter,
    /// Hex bytes (`de ad be ef`, `de:ad`, `dead`).
    Hex,
    /// A string.
    String,
}

/// Where a string is looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FindIn {
    /// The packet list's columns.
    #[default]
    List,
    /// The detail tree's lines.
    Details,
    /// The packet's bytes.
    Bytes,
}

/// A search the user asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindRequest {
    /// What the text is.
    pub by: FindBy,
    /// Where a string is looked for.
    pub within: FindIn,
    /// The text.
    pub text: String,
    /// Match case (strings).
    pub case_sensitive: bool,
    /// Search towards the first packet.
    pub backward: bool,
}

/// The bar's state.
#[derive(Debug, Default)]
pub struct SearchBar {
    /// The bar shown, if any.
    pub mode: Option<SearchMode>,
    /// The text typed.
    pub text: String,
    /// What the text is.
    pub by: FindBy,
    /// Where strings are looked for.
    pub within: FindIn,
    /// Match case.
    pub case_sensitive: bool,
    /// Give the text field the keyboard focus on the next frame.
    pub focus: bool,
    /// What the last search found.
    pub status: String,
}

/// A drop-down choosing `value` among `options` (each with the id of its label).
fn choice<T: Copy + PartialEq>(
    ui: &mut egui::Ui,
    id: &str,
    value: &mut T,
    options: &[(T, &'static str)],
) {
    let shown = options
        .iter()
        .find(|(v, _)| v == value)
        .map_or_else(String::new, |(_, label)| crate::tr!(label));
    egui::ComboBox::from_id_salt(id)
        .selected_text(shown)
        .show_ui(ui, |ui| {
            for (v, label) in options {
                ui.selectable_value(value, *v, crate::tr!(label));
            }
        });
}

impl SearchBar {
    /// Opens the bar in `mode` with the keyboard in its text field.
    pub fn open(&mut self, mode: SearchMode) {
        if self.mode != Some(mode) {
            self.text.clear();
            self.status.clear();
        }
        self.mode = Some(mode);
        self.focus = true;
    }

    /// The find request for the current text.
    pub fn request(&self, backward: bool) -> FindRequest {
        FindRequest {
            by: self.by,
            within: self.within,
            text: self.text.clone(),
            case_sensitive: self.case_sensitive,
            backward,
        }
    }

    /// Draws the bar (nothing when closed).
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Vec<Action> {
        let mut actions = Vec::new();
        let Some(mode) = self.mode else {
            return actions;
        };
        ui.horizontal(|ui| {
            let enter;
            match mode {
                SearchMode::GoTo => {
                    ui.label(crate::tr!("search-go-to-label"));
                    let r = ui.add(
                        egui::TextEdit::singleline(&mut self.text)
                            .desired_width(120.0)
                            .hint_text(crate::tr!("search-number-hint"))
                            .id_salt("go to packet"),
                    );
                    enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    if self.focus {
                        r.request_focus();
                        self.focus = false;
                    }
                    if ui.button(crate::tr!("search-go-to")).clicked() || enter {
                        match self.text.trim().parse::<usize>() {
                            Ok(n) if n > 0 => actions.push(Action::GoToPacket(n)),
                            _ => {
                                self.status =
                                    crate::tr!("search-not-a-number", text = self.text.trim())
                            }
                        }
                    }
                }
                SearchMode::Find => {
                    ui.label(crate::tr!("search-find-label"));
                    choice(
                        ui,
                        "find by",
                        &mut self.by,
                        &[
                            (FindBy::DisplayFilter, "search-by-filter"),
                            (FindBy::Hex, "search-by-hex"),
                            (FindBy::String, "search-by-string"),
                        ],
                    );
                    if self.by == FindBy::String {
                        choice(
                            ui,
                            "find in",
                            &mut self.within,
                            &[
                                (FindIn::List, "search-in-list"),
                                (FindIn::Details, "search-in-details"),
                                (FindIn::Bytes, "search-in-bytes"),
                            ],
                        );
                        ui.checkbox(&mut self.case_sensitive, crate::tr!("search-case"));
                    }
                    let example = match self.by {
                        FindBy::DisplayFilter => "tcp.flags.fin == 1",
                        FindBy::Hex => "47 45 54",
                        FindBy::String => "GET",
                    };
                    let hint = crate::tr!("search-example", example = example);
                    let r = ui.add(
                        egui::TextEdit::singleline(&mut self.text)
                            .desired_width(260.0)
                            .hint_text(hint)
                            .font(egui::TextStyle::Monospace)
                            .id_salt("find text"),
                    );
                    enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    if self.focus {
                        r.request_focus();
                        self.focus = false;
                    }
                    if ui.button(crate::tr!("search-previous")).clicked() {
                        actions.push(Action::Find(self.request(true)));
                    }
                    if ui.button(crate::tr!("search-next")).clicked() || enter {
                        actions.push(Action::Find(self.request(false)));
                    }
                }
            }
            if !self.status.is_empty() {
                ui.weak(&self.status);
            }
            if ui
                .small_button("✖")
                .on_hover_text(crate::tr!("search-close-hint"))
                .clicked()
            {
                actions.push(Action::CloseSearch);
            }
        });
        actions
    }
}
