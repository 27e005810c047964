//! Statistics ▸ Flow Graph: every TCP, UDP and ICMP packet as an arrow between two
//! lanes, one lane per socket, limited to the display filter if asked (the flow
//! pane keeps the one stream's ladder with its states). Computed on a worker
//! (`stats::flows`); only the rows on screen are drawn; a click selects the packet.

use super::worker::{Background, first_look_pays};
use super::{Inputs, StatsWindow};
use crate::filter::Filter;
use crate::stats::Endpoint;
use crate::stats::flows::FlowGraph;
use crate::tcp::{Loaded, PacketPredicate};
use crate::ui::action::Action;
use crate::ui::theme;
use eframe::egui::{self, Align2, FontId, Sense, Stroke, pos2, vec2};

/// Width of a lane, of the time column and of the comment column (points).
const LANE_WIDTH: f32 = 150.0;
const TIME_WIDTH: f32 = 80.0;
const COMMENT_WIDTH: f32 = 420.0;

/// Packets the first look covers: the graph's first rows, found in milliseconds
/// (an arrow costs a full dissection with its Info column).
const FIRST_ROWS: usize = 1024;

/// What a computation was for: packets and the filter.
type Key = (usize, Option<String>);

/// Statistics ▸ Flow Graph.
#[derive(Debug, Default)]
pub struct AllFlows {
    limit: bool,
    data: Option<(Key, Result<FlowGraph, String>)>,
    worker: Background<(Key, Result<FlowGraph, String>)>,
}

fn lane_name(e: &Endpoint) -> String {
    if e.port == 0 {
        e.addr.text()
    } else {
        format!("{}:{}", e.addr.text(), e.port)
    }
}

impl AllFlows {
    fn refresh(&mut self, inputs: &Inputs) {
        if let Some(done) = self.worker.poll() {
            self.data = Some(done);
        }
        let Some(shared) = inputs.shared.clone() else {
            return;
        };
        let key: Key = inputs.limited_key(self.limit);
        let current = self.data.as_ref().map(|d| &d.0);
        if !self.worker.wants_when_idle(&key, current, inputs.loading) {
            return;
        }
        self.worker.start_with_partial(
            "synack-all-flows",
            shared,
            inputs.ctx.clone(),
            move |loaded: &Loaded, _cancel, partial| {
                let compiled = match key.1.as_deref().map(Filter::compile) {
                    Some(Err(e)) => return (key, Err(e.to_string())),
                    Some(Ok(f)) => Some(f),
                    None => None,
                };
                let limit = compiled.as_ref().map(|f| f as &dyn PacketPredicate);
                // The first rows are the ones on screen when the window opens.
                if first_look_pays(loaded, partial.wanted(), FIRST_ROWS) {
                    let first = FlowGraph::compute_first(loaded, FIRST_ROWS, limit);
                    partial.send((key.clone(), Ok(first)));
                }
                (key, Ok(FlowGraph::compute(loaded, limit)))
            },
        );
    }
}

/// Draws the graph: the lane names on top, then one row per arrow (only the rows
/// on screen).
fn graph_ui(ui: &mut egui::Ui, g: &FlowGraph, selected: Option<u32>) -> Option<u32> {
    let mut clicked = None;
    let row_height = 22.0;
    let width = TIME_WIDTH + LANE_WIDTH * g.lanes.len() as f32 + COMMENT_WIDTH;
    let lane_x = |left: f32, k: usize| left + TIME_WIDTH + LANE_WIDTH * (k as f32 + 0.5);
    let text_colour = ui.visuals().text_color();
    egui::ScrollArea::both().auto_shrink(false).show_rows(
        ui,
        row_height,
        g.arrows.len() + 1,
        |ui, rows| {
            let (rect, response) =
                ui.allocate_exact_size(vec2(width, row_height * rows.len() as f32), Sense::click());
            let painter = ui.painter_at(rect);
            let font = FontId::proportional(12.0);
            // Only the lanes in sight are drawn: a port scan has a lane per socket,
            // hundreds of thousands, and a frame must not walk them all.
            let clip = ui.clip_rect();
            let lane_at = |x: f32| ((x - rect.left() - TIME_WIDTH) / LANE_WIDTH).max(0.0);
            let shown_lanes = (lane_at(clip.left()).floor() as usize)
                ..(lane_at(clip.right()).ceil() as usize + 1).min(g.lanes.len());
            for (r, row) in rows.clone().enumerate() {
                let top = rect.top() + row_height * r as f32;
                let mid = top + row_height / 2.0;
                if row == 0 {
                    for (k, lane) in g
                        .lanes
                        .iter()
                        .enumerate()
                        .skip(shown_lanes.start)
                        .take(shown_lanes.len())
                    {
                        // Staggered, as Wireshark does, so long names do not overlap.
                        let y = if k % 2 == 0 { mid - 5.0 } else { mid + 6.0 };
                        painter.text(
                            pos2(lane_x(rect.left(), k), y),
                            Align2::CENTER_CENTER,
                            lane_name(lane),
                            font.clone(),
                            text_colour,
                        );
                    }
                    painter.text(
                        pos2(rect.left() + 4.0, mid),
                        Align2::LEFT_CENTER,
                        crate::tr!("column-time"),
                        font.clone(),
                        text_colour,
                    );
                    continue;
                }
                let Some(a) = g.arrows.get(row - 1) else {
                    continue;
                };
                if selected == Some(a.frame) {
                    painter.rect_filled(
                        egui::Rect::from_min_size(pos2(rect.left(), top), vec2(width, row_height)),
                        0.0,
                        theme::FLOW_SELECTED,
                    );
                }
                for k in shown_lanes.clone() {
                    let x = lane_x(rect.left(), k);
                    painter.line_segment(
                        [pos2(x, top), pos2(x, top + row_height)],
                        Stroke::new(1.0, theme::LANE),
                    );
                }
                painter.text(
                    pos2(rect.left() + 4.0, mid),
                    Align2::LEFT_CENTER,
                    format!("{:.6}", a.time_secs),
                    font.clone(),
                    text_colour,
                );
                let (x0, x1) = (lane_x(rect.left(), a.from), lane_x(rect.left(), a.to));
                let y = mid + 5.0;
                let stroke = Stroke::new(1.2, theme::HANDSHAKE);
                painter.line_segment([pos2(x0, y), pos2(x1, y)], stroke);
                let back = if x1 >= x0 { -7.0 } else { 7.0 };
                painter.add(egui::Shape::convex_polygon(
                    vec![
                        pos2(x1, y),
                        pos2(x1 + back, y - 3.5),
                        pos2(x1 + back, y + 3.5),
                    ],
                    theme::HANDSHAKE,
                    Stroke::NONE,
                ));
                // The Info text over the arrow, cut to the arrow's length.
                let room = ((x1 - x0).abs() / 6.0) as usize;
                let label: String = if a.info.chars().count() > room {
                    let mut t: String = a.info.chars().take(room.saturating_sub(1)).collect();
                    t.push('…');
                    t
                } else {
                    a.info.clone()
                };
                painter.text(
                    pos2((x0 + x1) / 2.0, y - 2.0),
                    Align2::CENTER_BOTTOM,
                    label,
                    FontId::proportional(10.0),
                    text_colour,
                );
                let comment_left = rect.left() + TIME_WIDTH + LANE_WIDTH * g.lanes.len() as f32;
                painter.text(
                    pos2(comment_left + 6.0, mid),
                    Align2::LEFT_CENTER,
                    format!("{}: {}", a.protocol, a.info),
                    font.clone(),
                    text_colour,
                );
            }
            if response.clicked()
                && let Some(p) = response.interact_pointer_pos()
            {
                let r = ((p.y - rect.top()) / row_height).floor() as usize + rows.start;
                clicked = r
                    .checked_sub(1)
                    .and_then(|i| g.arrows.get(i))
                    .map(|a| a.frame);
            }
        },
    );
    clicked
}

impl StatsWindow for AllFlows {
    fn title(&self) -> &'static str {
        "Flow Graph"
    }

    fn ready(&self) -> bool {
        self.data.is_some() && !self.worker.running()
    }

    fn shows_data(&self) -> bool {
        self.data.is_some()
    }

    fn default_size(&self) -> [f32; 2] {
        [1100.0, 560.0]
    }

    fn show(&mut self, ui: &mut egui::Ui, inputs: &Inputs) -> Vec<Action> {
        let mut actions = Vec::new();
        self.refresh(inputs);
        ui.horizontal(|ui| {
            ui.add_enabled(
                inputs.filter.is_some(),
                egui::Checkbox::new(&mut self.limit, crate::tr!("stats-limit")),
            );
            match self.data.as_ref().map(|d| &d.1) {
                Some(Ok(g)) => {
                    let mut text = crate::tr!(
                        "flows-counts",
                        nodes = g.lanes.len(),
                        items = g.arrows.len()
                    );
                    // A first look leaves the rest for the complete graph.
                    if g.unexamined > 0 && !self.worker.running() {
                        text.push_str(&crate::tr!("flows-not-drawn", count = g.unexamined));
                    }
                    ui.label(text);
                }
                Some(Err(e)) => {
                    ui.colored_label(theme::EXPERT_ERROR, e);
                }
                None => {}
            }
            if self.worker.running() {
                ui.spinner();
            }
        });
        ui.separator();
        if let Some((_, Ok(g))) = &self.data {
            let selected = inputs.selected.map(|i| (i + 1) as u32);
            if let Some(frame) = graph_ui(ui, g, selected) {
                actions.push(Action::Select(frame.saturating_sub(1) as usize));
            }
        }
        actions
    }
}
