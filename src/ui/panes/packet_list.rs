//! The packet list: a virtualised table (only visible rows are dissected) with the
//! columns of the settings, colouring rules, the teaching step, and the selected
//! packet's related packets marked as Wireshark marks them.

use crate::tcp::Loaded;
use crate::ui::action::{Action, menu_item};
use crate::ui::columns::{self, BUILT_IN, ColumnKind, ColumnSpec, TimeStyle};
use crate::ui::model::{Coloring, Relation, RowCache};
use crate::ui::theme::Palette;
use eframe::egui::{self, RichText};
use egui_extras::{Column, TableBuilder};
use std::collections::BTreeSet;

/// Space between two rows of the list, in points.
pub const ROW_GAP: f32 = 1.0;

/// The packet list's own state.
#[derive(Debug, Default)]
pub struct PacketList {
    /// Scroll to this displayed row on the next frame.
    pub scroll_to: Option<usize>,
    /// Follow new packets as they arrive (live capture); a click turns it off.
    pub auto_scroll: bool,
    /// Rows drawn as a placeholder in the last frame (their text was not ready).
    pub placeholders: usize,
    /// Rows wholly in view in the last frame.
    pub visible_rows: usize,
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
    /// How the Time and Delta columns print.
    pub time: TimeStyle,
    /// The colouring rules.
    pub coloring: &'a Coloring,
    /// The columns, in order (all of the settings' columns; Step only if teaching).
    pub columns: &'a [ColumnSpec],
    /// Show the teaching Step column.
    pub show_step: bool,
    /// The selected packet's TCP stream (its conversation is bracketed).
    pub selected_stream: Option<u32>,
    /// Frames the selected packet refers to.
    pub related: &'a [(u32, Relation)],
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

/// The header's right-click menu: remove or move this column, show or hide the
/// built-in ones, or go back to the defaults.
fn header_menu(
    ui: &mut egui::Ui,
    all: &[ColumnSpec],
    kind: &ColumnKind,
    actions: &mut Vec<Action>,
) {
    let mut push = |ui: &mut egui::Ui, columns: Vec<ColumnSpec>| {
        actions.push(Action::SetColumns(columns));
        ui.close();
    };
    let at = all.iter().position(|c| &c.kind == kind);
    if let Some(at) = at {
        if ui
            .button(crate::tr!("menu-remove-column", column = kind.title()))
            .clicked()
        {
            let mut v = all.to_vec();
            v.remove(at);
            push(ui, v);
        }
        if at > 0 && ui.button(crate::tr!("menu-move-left")).clicked() {
            let mut v = all.to_vec();
            v.swap(at, at - 1);
            push(ui, v);
        }
        if at + 1 < all.len() && ui.button(crate::tr!("menu-move-right")).clicked() {
            let mut v = all.to_vec();
            v.swap(at, at + 1);
            push(ui, v);
        }
    }
    ui.separator();
    for built_in in BUILT_IN {
        let mut shown = all.iter().any(|c| c.kind == built_in);
        if ui.checkbox(&mut shown, built_in.title()).changed() {
            let mut v = all.to_vec();
            if shown {
                // A new column goes before Info, which keeps the window's edge.
                let info = v
                    .iter()
                    .position(|c| c.kind == ColumnKind::Info)
                    .unwrap_or(v.len());
                v.insert(info, ColumnSpec::new(built_in));
            } else {
                v.retain(|c| c.kind != built_in);
            }
            push(ui, v);
        }
    }
    ui.separator();
    if ui.button(crate::tr!("menu-reset-columns")).clicked() {
        push(ui, columns::default_columns());
    }
}

impl PacketList {
    /// Draws the table; returns what the user asked for.
    pub fn ui(&mut self, ui: &mut egui::Ui, view: ListView<'_>) -> Vec<Action> {
        let mut actions = Vec::new();
        self.placeholders = 0;
        let palette = Palette::current(ui);
        let shown = columns::shown(view.columns, view.show_step);
        let field_names: Vec<&str> = view
            .columns
            .iter()
            .filter_map(|c| match &c.kind {
                ColumnKind::Field(f) => Some(f.as_str()),
                _ => None,
            })
            .collect();
        view.cache.set_fields(&field_names);
        let released = ui.input(|i| i.pointer.any_released());
        // Compact rows, as Wireshark's: a laptop shows 20 and more.
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 3.0;
        ui.spacing_mut().item_spacing.y = ROW_GAP;
        // The No. column fits the largest frame number shown (a million packets need
        // seven digits); the widths are remembered per set of columns and digit
        // count, so another set or a longer number starts afresh (a width the user
        // dragged is kept in the settings).
        let last_frame = view
            .rows
            .checked_sub(1)
            .and_then(|r| (view.packet_of)(r))
            .map_or(1, |i| i + 1);
        let digits = last_frame.to_string().len();
        let body = egui::TextStyle::Body.resolve(ui.style());
        let digit_width = ui.fonts_mut(|f| f.glyph_width(&body, '0'));
        let number_width = ColumnKind::Number
            .initial_width()
            .max(digit_width * digits as f32 + 18.0);
        let initial_of = |kind: &ColumnKind| match kind {
            ColumnKind::Number => number_width,
            _ => kind.initial_width(),
        };
        let mut salt: Vec<String> = shown.iter().map(|c| c.kind.title()).collect();
        salt.push(digits.to_string());
        let mut table = TableBuilder::new(ui)
            .id_salt(("packet list", salt))
            .striped(false)
            .resizable(true)
            .sense(egui::Sense::click())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center));
        let last = shown.len().saturating_sub(1);
        for (k, c) in shown.iter().enumerate() {
            // Clipped columns: cell text never widens the table; the last one
            // (Info by default) stretches to the window's edge.
            table = table.column(if k == last {
                Column::remainder().at_least(80.0).clip(true)
            } else {
                Column::initial(c.width.unwrap_or(initial_of(&c.kind)))
                    .at_least(30.0)
                    .clip(true)
            });
        }
        table = table.min_scrolled_height(40.0);
        if let Some(row) = self.scroll_to.take() {
            table = table.scroll_to_row(row, Some(egui::Align::Center));
        } else if self.auto_scroll && view.rows > 0 {
            table = table.scroll_to_row(view.rows - 1, Some(egui::Align::BOTTOM));
        }
        let ListView {
            rows,
            packet_of,
            loaded,
            cache,
            selected,
            marked,
            colorize,
            time,
            coloring,
            columns: all_columns,
            selected_stream,
            related,
            ..
        } = view;
        let mut widths = Vec::new();
        let visible = &mut self.visible_rows;
        *visible = 0;
        table
            .header(row_height + 4.0, |mut header| {
                for c in &shown {
                    header.col(|ui| {
                        // The cell's room is the column's width (the returned rect
                        // is only what the title used).
                        widths.push(ui.max_rect().width());
                        let r = ui
                            .add(
                                egui::Label::new(RichText::new(c.kind.title()).strong())
                                    .sense(egui::Sense::click()),
                            )
                            .on_hover_text(crate::tr!("column-hint"));
                        r.context_menu(|ui| header_menu(ui, all_columns, &c.kind, &mut actions));
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
                    let prev_nanos = r
                        .checked_sub(1)
                        .and_then(packet_of)
                        .and_then(|p| cache.row(loaded, p, coloring).map(|d| d.ts_nanos));
                    let data = cache.row(loaded, index, coloring).cloned();
                    let (bg, fg) = match (&data, is_selected, marked.contains(&index)) {
                        (_, true, _) => (Some(palette.selected_row), Some(palette.selected_text)),
                        (_, false, true) => (Some(palette.marked_row), Some(palette.marked_text)),
                        (Some(d), false, false) if colorize => match d.colors {
                            Some((bg, fg)) => {
                                let (bg, fg) = palette.row_colors(bg, fg);
                                (Some(bg), Some(fg))
                            }
                            None => (None, None),
                        },
                        _ => (None, None),
                    };
                    let frame = (index + 1) as u32;
                    let mark = related
                        .iter()
                        .find(|(f, _)| *f == frame)
                        .map(|(_, r)| r.mark());
                    let in_conversation = !is_selected
                        && selected_stream.is_some()
                        && data.as_ref().is_some_and(|d| d.stream == selected_stream);
                    let cells: Vec<String> = match &data {
                        Some(d) => shown
                            .iter()
                            .map(|c| columns::cell_text(&c.kind, d, time, prev_nanos))
                            .collect(),
                        None => {
                            *placeholders += 1;
                            vec![(index + 1).to_string(), "…".into()]
                        }
                    };
                    for (k, c) in shown.iter().enumerate() {
                        let text = cells.get(k).map_or("", String::as_str);
                        row.col(|ui| {
                            let cell = ui.max_rect();
                            if let Some(bg) = bg {
                                ui.painter().rect_filled(
                                    cell.expand2(egui::vec2(4.0, 1.0)),
                                    0.0,
                                    bg,
                                );
                            }
                            let mut rt = RichText::new(text);
                            if c.kind == ColumnKind::Number {
                                if ui.clip_rect().contains_rect(cell) {
                                    *visible += 1;
                                }
                                // Wireshark's bracket along the selected conversation,
                                // in room kept for it left of the number.
                                ui.add_space(6.0);
                                if in_conversation || is_selected && selected_stream.is_some() {
                                    let x = cell.left() + 2.0;
                                    ui.painter().line_segment(
                                        [
                                            egui::pos2(x, cell.top() - 1.0),
                                            egui::pos2(x, cell.bottom() + 1.0),
                                        ],
                                        egui::Stroke::new(2.0, fg.unwrap_or(palette.related)),
                                    );
                                }
                                if let Some(m) = mark {
                                    let color = fg.unwrap_or(palette.related);
                                    ui.label(RichText::new(m).strong().color(color))
                                        .on_hover_text(crate::tr!(match m {
                                            "✓" => "related-acked",
                                            "→" => "related-request",
                                            "←" => "related-response",
                                            _ => "related-other",
                                        }));
                                }
                            }
                            if let Some(fg) = fg {
                                rt = rt.color(fg);
                            }
                            ui.add(egui::Label::new(rt).truncate().selectable(false));
                        });
                    }
                    let response = row.response();
                    if response.clicked() {
                        actions.push(Action::Select(index));
                        self.auto_scroll = false;
                    }
                    response.context_menu(|ui| {
                        row_menu(ui, index, data.as_ref(), loaded, marked, &mut actions);
                    });
                });
            });
        // A column the user dragged to a new width is remembered (the last one
        // stretches, so its width is not).
        let changed = widths
            .iter()
            .zip(&shown)
            .take(last)
            .any(|(w, c)| (w - c.width.unwrap_or(initial_of(&c.kind))).abs() > 0.5);
        if released && changed && !widths.is_empty() {
            let mut v = all_columns.to_vec();
            for (w, c) in widths.iter().zip(&shown).take(last) {
                if let Some(spec) = v.iter_mut().find(|s| s.kind == c.kind) {
                    spec.width = Some(*w);
                }
            }
            actions.push(Action::SetColumns(v));
        }
        actions
    }
}

/// A row's right-click menu: filters on its addresses, protocol and stream, Follow,
/// and marking.
fn row_menu(
    ui: &mut egui::Ui,
    index: usize,
    data: Option<&crate::ui::model::Row>,
    loaded: Option<&Loaded>,
    marked: &BTreeSet<usize>,
    actions: &mut Vec<Action>,
) {
    if let Some(d) = data {
        ui.label(
            RichText::new(crate::tr!("menu-packet", frame = (index + 1).to_string())).strong(),
        );
        for (dir, address, label) in [
            ("src", &d.summary.source, "menu-filter-source"),
            ("dst", &d.summary.destination, "menu-filter-destination"),
        ] {
            if let Some(f) = address_filter(dir, address) {
                let text = crate::tr!(label, filter = f.as_str());
                menu_item(ui, actions, true, text, Action::ApplyFilter(f));
            }
        }
        let proto = d.summary.protocol.to_lowercase();
        let proto = if proto.starts_with("tls") {
            "tls".to_string()
        } else {
            proto
        };
        if !proto.is_empty() {
            let text = crate::tr!("menu-filter-protocol", filter = proto.as_str());
            menu_item(ui, actions, true, text, Action::ApplyFilter(proto));
        }
    }
    if let Some(stream) = loaded
        .and_then(|l| l.capture.record(index))
        .and_then(crate::tcp::results::stream_of)
    {
        let number = stream.to_string();
        let follow = crate::tr!("menu-follow-stream", stream = number.as_str());
        menu_item(ui, actions, true, follow, Action::FollowStream(stream));
        let filter = crate::tr!("menu-filter-stream", stream = number.as_str());
        let apply = Action::ApplyFilter(format!("tcp.stream == {stream}"));
        menu_item(ui, actions, true, filter, apply);
        if ui.button(crate::tr!("menu-ladder-of-connection")).clicked() {
            actions.push(Action::Select(index));
            actions.push(Action::LadderView(true));
            ui.close();
        }
    }
    let mark = if marked.contains(&index) {
        crate::tr!("menu-unmark")
    } else {
        crate::tr!("menu-mark")
    };
    menu_item(ui, actions, true, mark, Action::ToggleMark(index));
}
