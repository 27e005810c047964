//! The detail tree: the selected packet's fields, collapsible by protocol, as
//! `synack dump -V` prints them, with right-click filter actions.

use crate::dissect::Severity;
use crate::ui::action::{Action, menu_item};
use crate::ui::model::Details;
use crate::ui::theme;
use eframe::egui::{self, RichText};
use std::collections::HashSet;

/// Which subtrees are open, and which line is selected.
#[derive(Debug, Default)]
pub struct DetailTree {
    open: HashSet<String>,
    /// Selected line (index into the details' lines).
    pub selected: Option<usize>,
    /// The selection the view last showed: a line selected from elsewhere (a byte of
    /// the hex pane, a test) is scrolled into view once, a line clicked here is not.
    shown: Option<usize>,
    initialised: bool,
}

/// The key that remembers a subtree across packets: its depth and its label up to
/// the first colon, comma or parenthesis (so "Transmission Control Protocol, Src Port..." stays
/// open from one packet to the next).
fn key(depth: u8, label: &str) -> String {
    // Full-width forms too: a Chinese label writes "synack：…（…）".
    let cut = label
        .find([':', ',', '(', '：', '，', '（'])
        .unwrap_or(label.len());
    format!("{depth}/{}", label.get(..cut).unwrap_or(label).trim())
}

impl DetailTree {
    /// Opens the subtree with this label prefix (used by tests and defaults).
    pub fn open(&mut self, depth: u8, label: &str) {
        self.open.insert(key(depth, label));
    }

    /// Whether the subtree of `label` at `depth` is open.
    pub fn is_open(&self, depth: u8, label: &str) -> bool {
        self.open.contains(&key(depth, label))
    }

    /// Draws the tree.
    pub fn ui(&mut self, ui: &mut egui::Ui, details: Option<&Details>) -> Vec<Action> {
        let mut actions = Vec::new();
        if !self.initialised {
            // Students come for TCP: its header starts open, as do the teaching notes.
            self.open.insert(key(0, "Transmission Control Protocol"));
            self.open.insert(key(1, "synack"));
            self.initialised = true;
        }
        let Some(details) = details else {
            ui.weak(crate::tr!("tree-select-hint"));
            return actions;
        };
        egui::ScrollArea::both()
            .id_salt("detail tree")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                let mut hide_below: Option<u8> = None;
                for (i, line) in details.lines.iter().enumerate() {
                    if let Some(d) = hide_below {
                        if line.depth > d {
                            continue;
                        }
                        hide_below = None;
                    }
                    let k = key(line.depth, &line.label);
                    let is_open = self.open.contains(&k);
                    if line.has_children && !is_open {
                        hide_below = Some(line.depth);
                    }
                    ui.horizontal(|ui| {
                        ui.add_space(f32::from(line.depth) * 16.0);
                        if line.has_children {
                            let arrow = if is_open { "⏷" } else { "⏵" };
                            if ui
                                .add(egui::Button::new(arrow).small().frame(false))
                                .on_hover_text(crate::tr!("tree-expand-hint"))
                                .clicked()
                            {
                                if is_open {
                                    self.open.remove(&k);
                                } else {
                                    self.open.insert(k.clone());
                                }
                            }
                        } else {
                            ui.add_space(18.0);
                        }
                        let mut text = RichText::new(&line.label);
                        if line.depth == 0 {
                            text = text.strong();
                        }
                        match line.expert {
                            Some(Severity::Error) => text = text.color(theme::EXPERT_ERROR),
                            Some(Severity::Warning) => text = text.color(theme::EXPERT_WARN),
                            Some(Severity::Note | Severity::Chat) => {
                                text = text.color(theme::EXPERT_NOTE)
                            }
                            None => {}
                        }
                        let response = ui.selectable_label(self.selected == Some(i), text);
                        if self.selected == Some(i) && self.shown != self.selected {
                            response.scroll_to_me(Some(egui::Align::Center));
                            self.shown = self.selected;
                        }
                        if response.clicked() {
                            self.selected = Some(i);
                            self.shown = Some(i);
                            actions.push(Action::SelectLine(i));
                        }
                        if response.double_clicked() && line.has_children {
                            if is_open {
                                self.open.remove(&k);
                            } else {
                                self.open.insert(k.clone());
                            }
                        }
                        response.context_menu(|ui| {
                            let mut item = |ui: &mut egui::Ui, label: String, action| {
                                menu_item(ui, &mut actions, true, label, action);
                            };
                            if let Some(f) = &line.filter {
                                let apply = crate::tr!("tree-apply-filter", filter = f.as_str());
                                item(ui, apply, Action::ApplyFilter(f.clone()));
                                let prepare = crate::tr!("tree-prepare-filter");
                                item(ui, prepare, Action::PrepareFilter(f.clone()));
                                // The filter starts with the field's name.
                                if let Some(field) = f.split_whitespace().next() {
                                    let graph = crate::ui::windows::WindowRequest::GraphField(
                                        field.to_string(),
                                    );
                                    let label = crate::tr!("tree-graph-field");
                                    item(ui, label, Action::StatsRequest(graph));
                                }
                            }
                            if line.filter.is_some() && line.depth > 0 {
                                let label = crate::tr!("tree-apply-column", field = line.abbrev);
                                item(ui, label, Action::AddColumn(line.abbrev.to_string()));
                            }
                            let value = crate::tr!("tree-copy-value");
                            item(ui, value, Action::Copy(line.value.clone()));
                            let whole = crate::tr!("tree-copy-line");
                            item(ui, whole, Action::Copy(line.label.clone()));
                        });
                    });
                }
            });
        actions
    }
}
