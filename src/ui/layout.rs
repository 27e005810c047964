//! Where the panes go, after the window's size (Wireshark's Layout preference, made
//! adaptive): the packet list full width with Info to the edge; under it the
//! explanation, the detail tree (with the ladder in a tab beside it) and the bytes;
//! the flow pane beside the list only when a TCP packet is selected and the window
//! is wide enough for both. Ladder view gives the ladder the window, with the list
//! as a strip above it. Dragged pane sizes go to the settings.

use super::action::{Action, ViewChange};
use super::columns::TimeStyle;
use super::panes::packet_list::ListView;
use super::panes::{explanation, flow_graph, teach_bar};
use super::state::{PaneSizes, State};
use super::theme::Palette;
use eframe::egui;
use std::time::Duration;

/// Width the list needs beside the flow pane to show a SYN's whole Info.
const LIST_WIDE: f32 = 1240.0;

/// List rows kept in view on a laptop when sizing the details area.
const LIST_ROWS: f32 = 21.0;

/// Which tab the left of the details area shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DetailTab {
    /// The detail tree.
    #[default]
    Tree,
    /// The ladder of the selected connection.
    Ladder,
}

/// The panes of an open capture.
pub fn panes_ui(ui: &mut egui::Ui, state: &mut State, actions: &mut Vec<Action>) {
    if state.ladder_view {
        ladder_view_ui(ui, state, actions);
        return;
    }
    let full = ui.available_rect_before_wrap();
    let sizes = state.settings.panes;
    let row_pitch = list_row_pitch(ui);
    // The list keeps LIST_ROWS rows; the details area takes the rest, at most 42 %
    // of a tall window and at least 180 points.
    let fitted = (full.height() - (LIST_ROWS * row_pitch + row_pitch + 16.0))
        .min(full.height() * 0.42)
        .max(180.0);
    let flow_width = sizes.flow_width.unwrap_or(520.0);
    // A panel keeps the size it first had under its id: a pane not dragged yet
    // is named after its fitted size, so it is fitted again when the window's size
    // or zoom changes (the first frames may even see no real window yet).
    let details_key = sizes.details_height.map_or(fitted.round() as i32, |_| -1);
    let flow_beside = state.flow_data.ladder.is_some() && full.width() >= LIST_WIDE + flow_width;
    let mut new_sizes = sizes;
    let details = egui::Panel::bottom(("details", details_key))
        .resizable(true)
        .default_size(sizes.details_height.unwrap_or(fitted))
        .min_size(120.0)
        .show(ui, |ui| {
            // A resizable panel takes its content's size: fill it, or a short
            // placeholder on the first frames shrinks the pane for good.
            ui.take_available_space();
            details_ui(ui, state, flow_beside, &mut new_sizes, actions);
        });
    new_sizes.details_height = Some(details.response.rect.height());
    if flow_beside {
        let flow = egui::Panel::right("flow")
            .resizable(true)
            .default_size(flow_width)
            .min_size(300.0)
            .show(ui, |ui| {
                ui.take_available_space();
                let selected = state.selected_frame();
                actions.extend(state.flow.ui(ui, &state.flow_data, selected));
            });
        new_sizes.flow_width = Some(flow.response.rect.width());
    }
    egui::CentralPanel::default().show(ui, |ui| list_ui(ui, state, actions, false));
    remember_sizes(ui.ctx(), sizes, new_sizes, actions);
}

/// Height of Ladder view's strip of packets until the user drags it.
const STRIP_HEIGHT: f32 = 118.0;

/// The detail tree's width until the user drags it: what the bytes pane leaves
/// (its 16 bytes of hex and ASCII a line), at least 40 % of the window.
fn tree_default(ui: &egui::Ui, width: f32) -> f32 {
    let font = egui::TextStyle::Monospace.resolve(ui.style());
    let char_width = ui.fonts_mut(|f| f.glyph_width(&font, '0'));
    (width - char_width * 74.0 - 28.0).max(width * 0.4)
}

/// Stores pane sizes the user dragged to: those that moved between the press and
/// the release of the pointer (a click moves nothing; a size fitted to the window
/// stays unstored, so it is fitted again at another size or zoom).
fn remember_sizes(
    ctx: &egui::Context,
    stored: PaneSizes,
    now: PaneSizes,
    actions: &mut Vec<Action>,
) {
    let id = egui::Id::unique("synack pane sizes at press");
    let (pressed, released) = ctx.input(|i| (i.pointer.any_pressed(), i.pointer.any_released()));
    if pressed {
        ctx.data_mut(|d| d.insert_temp(id, now));
    }
    if !released {
        return;
    }
    let Some(before) = ctx.data_mut(|d| d.remove_temp::<PaneSizes>(id)) else {
        return;
    };
    let moved = |a: Option<f32>, b: Option<f32>| match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() > 1.0,
        _ => false,
    };
    let keep = |b: Option<f32>, n: Option<f32>, old: Option<f32>| if moved(b, n) { n } else { old };
    let new = PaneSizes {
        details_height: keep(
            before.details_height,
            now.details_height,
            stored.details_height,
        ),
        tree_width: keep(before.tree_width, now.tree_width, stored.tree_width),
        flow_width: keep(before.flow_width, now.flow_width, stored.flow_width),
        strip_height: keep(before.strip_height, now.strip_height, stored.strip_height),
    };
    if new != stored {
        actions.push(Action::View(ViewChange::Panes(new)));
    }
}

/// Height of one list row with its spacing.
fn list_row_pitch(ui: &egui::Ui) -> f32 {
    ui.text_style_height(&egui::TextStyle::Body) + 3.0 + super::panes::packet_list::ROW_GAP
}

/// The details area: the explanation on one line, then the tree (or the ladder's
/// tab) beside the bytes.
fn details_ui(
    ui: &mut egui::Ui,
    state: &mut State,
    flow_beside: bool,
    sizes: &mut PaneSizes,
    actions: &mut Vec<Action>,
) {
    if state.settings.teaching {
        let bg = Palette::current(ui).explain_bg;
        egui::Frame::NONE
            .fill(bg)
            .inner_margin(egui::Margin::symmetric(8, 3))
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                // The ladder's tab needs the height for its arrows (it shows the
                // states itself): one line then, up to three under the tree.
                let rows = if state.detail_tab == DetailTab::Ladder {
                    1
                } else {
                    3
                };
                explanation::line_ui(ui, state.details.as_ref(), rows);
            });
    }
    let highlight = state
        .tree
        .selected
        .and_then(|i| state.details.as_ref().and_then(|d| d.lines.get(i)))
        .map(|l| (l.source, l.start, l.len));
    let fitted_tree = tree_default(ui, ui.available_width());
    let tree_key = sizes.tree_width.map_or(fitted_tree.round() as i32, |_| -1);
    let tree = egui::Panel::left(("tree", tree_key))
        .resizable(true)
        .default_size(sizes.tree_width.unwrap_or(fitted_tree))
        .min_size(200.0)
        .show(ui, |ui| {
            ui.take_available_space();
            let has_ladder = state.flow_data.ladder.is_some() && !flow_beside;
            if !has_ladder {
                state.detail_tab = DetailTab::Tree;
            }
            if has_ladder {
                ui.horizontal(|ui| {
                    ui.selectable_value(
                        &mut state.detail_tab,
                        DetailTab::Tree,
                        crate::tr!("tab-details"),
                    );
                    ui.selectable_value(
                        &mut state.detail_tab,
                        DetailTab::Ladder,
                        crate::tr!("tab-ladder"),
                    )
                    .on_hover_text(crate::tr!("tab-ladder-hint"));
                });
            }
            match state.detail_tab {
                DetailTab::Tree => actions.extend(state.tree.ui(ui, state.details.as_ref())),
                DetailTab::Ladder => {
                    let selected = state.selected_frame();
                    actions.extend(state.flow.ui(ui, &state.flow_data, selected));
                }
            }
        });
    sizes.tree_width = Some(tree.response.rect.width());
    egui::CentralPanel::default().show(ui, |ui| {
        actions.extend(state.hex.ui(ui, state.details.as_ref(), highlight));
    });
}

/// The packet list, drawing the rows it can with the capture's lock if it comes
/// within a few milliseconds. As Ladder view's strip (`strip`), it lists the
/// connection's packets only (those of the ladder), when there is one.
fn list_ui(ui: &mut egui::Ui, state: &mut State, actions: &mut Vec<Action>, strip: bool) {
    let Some(session) = state.session.as_ref() else {
        return;
    };
    let frames: Option<Vec<usize>> = state.flow_data.ladder.as_ref().filter(|_| strip).map(|l| {
        l.arrows
            .iter()
            .map(|a| (a.frame as usize).saturating_sub(1))
            .collect()
    });
    if let Some(f) = &frames
        && state.list.scroll_to.is_some()
    {
        // The selection asked for its row in the whole list: here it is elsewhere.
        state.list.scroll_to = session
            .selected
            .and_then(|i| f.iter().position(|p| *p == i));
    }
    // Only tried: a batch holding it makes the loader step aside for the next frame.
    let guard = session.shared.as_ref().and_then(|s| s.try_read());
    if guard.is_none() && session.shared.is_some() {
        // Rows wait for their text: look again soon.
        ui.ctx().request_repaint_after(Duration::from_millis(16));
    }
    let packet_of = |r: usize| match &frames {
        Some(f) => f.get(r).copied(),
        None => session.packet_of(r),
    };
    let (stream, related) = match &state.details {
        Some(d) => (d.stream, d.related.as_slice()),
        None => (None, &[][..]),
    };
    let view = ListView {
        rows: frames.as_ref().map_or(session.rows(), Vec::len),
        packet_of: &packet_of,
        loaded: guard.as_deref(),
        cache: &mut state.rows,
        selected: session.selected,
        marked: &session.marked,
        colorize: state.settings.colorize,
        time: TimeStyle {
            format: state.settings.time_display,
            precision: state.settings.time_precision,
        },
        coloring: &state.coloring,
        columns: &state.settings.columns,
        show_step: state.settings.teaching,
        selected_stream: stream,
        related,
    };
    actions.extend(state.list.ui(ui, view));
}

/// Ladder view: a bar naming the connection with Prev/Next, the packet list as a
/// strip, the whole ladder, and the explanation under it.
fn ladder_view_ui(ui: &mut egui::Ui, state: &mut State, actions: &mut Vec<Action>) {
    let sizes = state.settings.panes;
    let mut new_sizes = sizes;
    egui::Panel::top("ladder bar").show(ui, |ui| {
        // One row: the buttons first, then the connection, its summary elided at
        // the window's edge (whole on hover).
        ui.horizontal(|ui| {
            if ui
                .button(crate::tr!("ladder-back"))
                .on_hover_text(crate::tr!("ladder-back-hint"))
                .clicked()
            {
                actions.push(Action::LadderView(false));
            }
            teach_bar::step_ui(ui, state, actions);
        });
        ui.horizontal(|ui| {
            // On this row: the step bar above fills a laptop's width.
            if ui.small_button(crate::tr!("ladder-save-svg")).clicked() {
                actions.push(Action::SaveFlow(true));
            }
            ui.strong(crate::tr!("ladder-view-title"));
            match &state.flow_data.ladder {
                Some(l) => {
                    ui.label(crate::tr!(
                        "ladder-stream-line",
                        stream = l.stream.to_string(),
                        left = format!("{} {}", l.roles[0], l.endpoints[0]),
                        right = format!("{} {}", l.roles[1], l.endpoints[1])
                    ));
                    ui.add(egui::Label::new(egui::RichText::new(&l.summary).weak()).truncate())
                        .on_hover_text(&l.summary);
                }
                None => {
                    ui.weak(crate::tr!("ladder-select-in-strip"));
                }
            }
        });
    });
    // Predict mode and the reorder exercise hide the packet strip: its later rows
    // would give the answers away.
    let quiz = state.teach.predict || state.teach.shuffle.is_some();
    if !quiz {
        let strip = egui::Panel::top("strip")
            .resizable(true)
            .default_size(sizes.strip_height.unwrap_or(STRIP_HEIGHT))
            .min_size(60.0)
            .show(ui, |ui| {
                ui.take_available_space();
                list_ui(ui, state, actions, true);
            });
        new_sizes.strip_height = Some(strip.response.rect.height());
    }
    // While the handshake and the close are being put in order, the selected packet's
    // explanation would give the first card away.
    let explain = state.settings.teaching && state.teach.shuffle.is_none();
    if explain || state.teach.predict {
        let bg = Palette::current(ui).explain_bg;
        egui::Panel::bottom("ladder explanation")
            .frame(egui::Frame::NONE.fill(bg).inner_margin(8.0))
            .show(ui, |ui| {
                if state.teach.predict {
                    teach_bar::predict_ui(ui, state, actions);
                }
                if explain {
                    teach_bar::explain_ui(ui, state);
                }
            });
    }
    egui::CentralPanel::default().show(ui, |ui| {
        let selected = state.selected_frame();
        let style = flow_graph::Overlay {
            // Predict mode: "the peer will ack 19" would be the answer.
            arithmetic: state.teach.arithmetic && !state.teach.predict,
            absolute_too: state.teach.absolute_too,
        };
        if state.teach.shuffle.is_some() {
            ui.weak(super::teach_words::ladder_hidden());
        } else if state.teach.predict {
            // Predict mode: what comes after the selected packet stays hidden.
            let mut data = state.flow_data.clone();
            if let (Some(l), Some(frame)) = (data.ladder.as_mut(), selected) {
                l.arrows.retain(|a| a.frame <= frame);
                data.omitted.1 = 0;
            }
            actions.extend(state.flow.whole_ui(ui, &data, selected, style));
        } else {
            actions.extend(state.flow.whole_ui(ui, &state.flow_data, selected, style));
        }
    });
    remember_sizes(ui.ctx(), sizes, new_sizes, actions);
}
