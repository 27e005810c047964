//! The packet list: a virtualised table (only visible rows are dissected) with
//! Wireshark's columns, colouring rules and the teaching step.

use crate::tcp::Loaded;
use crate::ui::action::Action;
use crate::ui::model::{Coloring, RowCache, TimeFormat};
use crate::ui::theme;
use eframe::egui::{self, RichText};
use egui_extras::{Column, TableBuilder};
use std::collections::BTreeSet;

/// The packet list's own state.
#[derive(Debug, Default)]
pub struct PacketList {
    /// Scroll to this displayed row on the next frame.
    pub scroll_to: Option<usize>,
    /// Follow new packets as they arrive (live capture); a click turns it off.
    pub auto_scroll: bool,
    /// Rows drawn as a placeholder in the last frame (their text was not ready).
    pub placeholders: usize,
}

/// What the list shows this frame.
pub struct ListView<'a> {
    /// Number of displayed rows.
    pub rows: usize,
    /// Packet index of displayed row `r`.
    pub packet_of: &'a dyn Fn(usize) -> Option<usize>,
    /// The capture, when its lock could be taken this frame.
    pub loaded: Option<&'a Loaded>,
    /// Rows computed so far.
    pub cache: &'a mut RowCache,
    /// Selected packet index.
    pub selected: Option<usize>,
    /// Marked packets.
    pub marked: &'a BTreeSet<usize>,
    /// Apply colouring rules.
    pub colorize: bool,
    /// Time column format.
    pub time_format: TimeFormat,
    /// The colouring rules.
    pub coloring: &'a Coloring,
    /// Show the teaching Step column.
    pub show_step: bool,
}

fn address_filter(side: &str, text: &str) -> Option<String> {
    if text.is_empty() {
        return None;
    }
    let proto = if text.parse::<std::net::Ipv4Addr>().is_ok() {
        "ip"
    } else if text.parse::<std::net::Ipv6Addr>().is_ok() {
        "ipv6"
    } else if text.len() == 17 && text.matches(':').count() == 5 {
        "eth"
    } else {
        return None;
    };
    Some(format!("{proto}.{side} == {text}"))
}

impl PacketList {
    /// Draws the table; returns what the user asked for.
    pub fn ui(&mut self, ui: &mut egui::Ui, view: ListView<'_>) -> Vec<Action> {
        let mut actions = Vec::new();
        self.placeholders = 0;
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
        let mut table = TableBuilder::new(ui)
            .id_salt("packet list")
            .striped(false)
            .resizable(true)
            .sense(egui::Sense::click())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            // Clipped columns whose widths fit beside the flow pane: cell text
            // never widens the table, so the panes keep their places.
            .column(Column::initial(52.0).at_least(36.0).clip(true))
            .column(Column::initial(82.0).at_least(50.0).clip(true))
            .column(Column::initial(118.0).at_least(60.0).clip(true))
            .column(Column::initial(118.0).at_least(60.0).clip(true))
            .column(Column::initial(60.0).at_least(40.0).clip(true))
            .column(Column::initial(52.0).at_least(36.0).clip(true));
        if view.show_step {
            table = table.column(Column::initial(86.0).at_least(50.0).clip(true));
        }
        table = table
            .column(Column::remainder().at_least(80.0).clip(true))
            .min_scrolled_height(60.0);
        if let Some(row) = self.scroll_to.take() {
            table = table.scroll_to_row(row, Some(egui::Align::Center));
        } else if self.auto_scroll && view.rows > 0 {
            table = table.scroll_to_row(view.rows - 1, Some(egui::Align::BOTTOM));
        }
        let mut headers = vec!["No.", "Time", "Source", "Destination", "Protocol", "Length"];
        if view.show_step {
            headers.push("Step");
        }
        headers.push("Info");
        let ListView {
            rows,
            packet_of,
            loaded,
            cache,
            selected,
            marked,
            colorize,
            time_format,
            coloring,
            show_step,
        } = view;
        table
            .header(row_height + 2.0, |mut header| {
                for h in &headers {
                    header.col(|ui| {
                        ui.strong(*h);
                    });
                }
            })
            .body(|body| {
                let placeholders = &mut self.placeholders;
                body.rows(row_height, rows, |mut row| {
                    let r = row.index();
                    let Some(index) = packet_of(r) else { return };
                    let is_selected = selected == Some(index);
                    row.set_selected(is_selected);
                    let data = cache.row(loaded, index, time_format, coloring).cloned();
                    let (bg, fg) = match (&data, is_selected, marked.contains(&index)) {
                        (_, true, _) => (Some(theme::SELECTED_ROW), Some(theme::SELECTED_TEXT)),
                        (_, false, true) => (Some(theme::MARKED_ROW), Some(theme::MARKED_TEXT)),
                        (Some(d), false, false) if colorize => match d.colors {
                            Some((bg, fg)) => (Some(bg), Some(fg)),
                            None => (None, None),
                        },
                        _ => (None, None),
                    };
                    let cells: Vec<String> = match &data {
                        Some(d) => {
                            let s = &d.summary;
                            let mut v = vec![
                                s.number.clone(),
                                s.time.clone(),
                                s.source.clone(),
                                s.destination.clone(),
                                s.protocol.clone(),
                                s.length.clone(),
                            ];
                            if show_step {
                                v.push(d.step.clone());
                            }
                            v.push(s.info.clone());
                            v
                        }
                        None => {
                            *placeholders += 1;
                            vec![(index + 1).to_string(), "…".into()]
                        }
                    };
                    for text in &cells {
                        row.col(|ui| {
                            if let Some(bg) = bg {
                                ui.painter().rect_filled(
                                    ui.max_rect().expand2(egui::vec2(4.0, 1.0)),
                                    0.0,
                                    bg,
                                );
                            }
                            let mut rt = RichText::new(text.as_str());
                            if let Some(fg) = fg {
                                rt = rt.color(fg);
                            }
                            ui.add(egui::Label::new(rt).truncate().selectable(false));
                        });
                    }
                    if cells.len() < headers.len() {
                        for _ in cells.len()..headers.len() {
                            row.col(|_| {});
                        }
                    }
                    let response = row.response();
                    if response.clicked() {
                        actions.push(Action::Select(index));
                        self.auto_scroll = false;
                    }
                    response.context_menu(|ui| {
                        if let Some(d) = &data {
                            ui.label(RichText::new(format!("Packet {}", index + 1)).strong());
                            if let Some(f) = address_filter("src", &d.summary.source)
                                && ui.button(format!("Filter on source: {f}")).clicked()
                            {
                                actions.push(Action::ApplyFilter(f));
                                ui.close();
                            }
                            if let Some(f) = address_filter("dst", &d.summary.destination)
                                && ui.button(format!("Filter on destination: {f}")).clicked()
                            {
                                actions.push(Action::ApplyFilter(f));
                                ui.close();
                            }
                            let proto = d.summary.protocol.to_lowercase();
                            let proto = if proto.starts_with("tls") {
                                "tls".to_string()
                            } else {
                                proto
                            };
                            if !proto.is_empty()
                                && ui.button(format!("Filter on protocol: {proto}")).clicked()
                            {
                                actions.push(Action::ApplyFilter(proto));
                                ui.close();
                            }
                        }
                        if let Some(stream) = loaded
                            .and_then(|l| l.capture.record(index))
                            .and_then(crate::tcp::results::stream_of)
                        {
                            if ui.button(format!("Follow TCP stream {stream}")).clicked() {
                                actions.push(Action::FollowStream(stream));
                                ui.close();
                            }
                            if ui
                                .button(format!("Filter on TCP stream {stream}"))
                                .clicked()
                            {
                                actions
                                    .push(Action::ApplyFilter(format!("tcp.stream == {stream}")));
                                ui.close();
                            }
                        }
                        let mark = if marked.contains(&index) {
                            "Unmark packet"
                        } else {
                            "Mark packet"
                        };
                        if ui.button(mark).clicked() {
                            actions.push(Action::ToggleMark(index));
                            ui.close();
                        }
                    });
                });
            });
        actions
    }
}
