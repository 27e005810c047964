//! The flow graph pane: the ladder of the selected packet's TCP stream, drawn from
//! the same model and geometry as `synack flow --format svg`. Clicking an arrow
//! selects its packet; the selected packet's arrow is highlighted.

use crate::export::flow::{Layout, arrow_detail, arrow_label};
use crate::tcp::ladder::Ladder;
use crate::ui::action::Action;
use crate::ui::theme;
use eframe::egui::{self, Align2, FontId, Pos2, Rect, Sense, Stroke, StrokeKind, pos2, vec2};

/// The flow pane's state.
#[derive(Debug, Default)]
pub struct FlowGraph {
    /// Scroll to the selected arrow on the next frame.
    pub scroll_to_selected: bool,
}

/// The ladder for the pane, and whether it shows only part of a long stream.
#[derive(Debug, Clone, Default)]
pub struct FlowData {
    /// The ladder, when the selected packet is TCP.
    pub ladder: Option<Ladder>,
    /// Arrows left out before and after the window shown.
    pub omitted: (usize, usize),
}

fn pill(painter: &egui::Painter, center_x: f32, y: f32, text: &str, changed: bool, right: bool) {
    let font = FontId::proportional(11.0);
    let galley = painter.layout_no_wrap(text.to_string(), font, theme::STATE_TEXT);
    let w = galley.size().x + 14.0;
    let x = if right {
        center_x + 10.0
    } else {
        center_x - 10.0 - w
    };
    let rect = Rect::from_min_size(pos2(x, y), vec2(w, 18.0));
    let fill = if changed {
        theme::STATE_CHANGED
    } else {
        theme::STATE_SAME
    };
    let stroke = if changed {
        theme::HANDSHAKE
    } else {
        theme::LANE
    };
    painter.rect_filled(rect, 9.0, fill);
    painter.rect_stroke(rect, 9.0, Stroke::new(1.0, stroke), StrokeKind::Inside);
    painter.galley(
        pos2(rect.min.x + 7.0, rect.min.y + 2.0),
        galley,
        theme::STATE_TEXT,
    );
}

impl FlowGraph {
    /// Draws the ladder; `selected` is the selected packet's frame number.
    pub fn ui(&mut self, ui: &mut egui::Ui, data: &FlowData, selected: Option<u32>) -> Vec<Action> {
        let mut actions = Vec::new();
        let Some(ladder) = &data.ladder else {
            ui.weak("Select a TCP packet to see its connection drawn as a ladder.");
            return actions;
        };
        ui.horizontal(|ui| {
            ui.strong(format!("TCP stream {}", ladder.stream));
            if ui.small_button("Save SVG…").clicked() {
                actions.push(Action::SaveFlow(true));
            }
            if ui.small_button("Save PNG…").clicked() {
                actions.push(Action::SaveFlow(false));
            }
        });
        // The summary wraps: on one line with the buttons it widened the pane (a
        // resizable panel grows to its content) and pushed the list's Info column out.
        ui.add(egui::Label::new(egui::RichText::new(&ladder.summary).weak()).wrap());
        if data.omitted.0 > 0 {
            ui.weak(format!(
                "({} earlier packets of this stream not shown)",
                data.omitted.0
            ));
        }
        let text_color = ui.visuals().text_color();
        egui::ScrollArea::both()
            .id_salt("flow")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                let width = ui.available_width();
                let layout = Layout::fitted(width, ladder.arrows.len());
                let size = vec2(layout.width, layout.bottom() + 16.0);
                let (response, painter) = ui.allocate_painter(size, Sense::click());
                let origin = response.rect.min;
                let at = |x: f32, y: f32| Pos2::new(origin.x + x, origin.y + y);
                for side in 0..2 {
                    let x = layout.lanes[side];
                    // The role above, the address below, then the lane.
                    let heads = [
                        (&ladder.roles[side], 10.0, 14.0),
                        (&ladder.endpoints[side], 28.0, 11.0),
                    ];
                    for (text, y, points) in heads {
                        let font = FontId::proportional(points);
                        painter.text(at(x, y), Align2::CENTER_TOP, text, font, text_color);
                    }
                    painter.line_segment(
                        [at(x, 46.0), at(x, layout.bottom())],
                        Stroke::new(1.5, theme::LANE),
                    );
                }
                // Phase brackets.
                let mut i = 0;
                while i < ladder.arrows.len() {
                    let phase = ladder.arrows[i].phase.clone();
                    let mut j = i;
                    while j + 1 < ladder.arrows.len() && ladder.arrows[j + 1].phase == phase {
                        j += 1;
                    }
                    let (y0, y1) = (
                        layout.row_y(i) - 4.0,
                        layout.row_y(j) + layout.row_height - 10.0,
                    );
                    let color = theme::phase(&phase);
                    let stroke = Stroke::new(2.5, color);
                    painter.line_segment([at(10.0, y0), at(4.0, y0)], stroke);
                    painter.line_segment([at(4.0, y0), at(4.0, y1)], stroke);
                    painter.line_segment([at(4.0, y1), at(10.0, y1)], stroke);
                    i = j + 1;
                }
                // Only rows in view are painted: a window holds hundreds of arrows and
                // each has five texts, laid out again every frame.
                let visible = ui.clip_rect().expand(layout.row_height);
                for (i, a) in ladder.arrows.iter().enumerate() {
                    let y = layout.row_y(i);
                    let row_rect = Rect::from_min_max(
                        at(0.0, y - 8.0),
                        at(layout.width, y + layout.row_height - 8.0),
                    );
                    let is_selected = selected == Some(a.frame);
                    let wanted =
                        visible.intersects(row_rect) || is_selected && self.scroll_to_selected;
                    if !wanted {
                        continue;
                    }
                    if is_selected {
                        painter.rect_filled(row_rect, 4.0, theme::FLOW_SELECTED);
                        if self.scroll_to_selected {
                            ui.scroll_to_rect(row_rect, Some(egui::Align::Center));
                            self.scroll_to_selected = false;
                        }
                    }
                    let ink = if is_selected {
                        theme::STATE_TEXT
                    } else {
                        text_color
                    };
                    let color = theme::phase(&a.phase);
                    painter.text(
                        at(14.0, y + 14.0),
                        Align2::LEFT_TOP,
                        format!("#{}", a.frame),
                        FontId::proportional(12.0),
                        ink,
                    );
                    painter.text(
                        at(14.0, y + 28.0),
                        Align2::LEFT_TOP,
                        format!("{:.6}", a.time),
                        FontId::proportional(9.5),
                        ink,
                    );
                    let ((x1, y1), (x2, y2)) = layout.arrow(i, a.from);
                    let (p1, p2) = (at(x1, y1), at(x2, y2));
                    painter.line_segment([p1, p2], Stroke::new(2.0, color));
                    let dir = (p2 - p1).normalized();
                    let normal = vec2(-dir.y, dir.x);
                    let head = [
                        p2,
                        p2 - dir * 10.0 + normal * 5.0,
                        p2 - dir * 10.0 - normal * 5.0,
                    ];
                    painter.add(egui::Shape::convex_polygon(
                        head.to_vec(),
                        color,
                        Stroke::NONE,
                    ));
                    let mid = (layout.lanes[0] + layout.lanes[1]) / 2.0;
                    let mut label = arrow_label(a);
                    if !a.analysis.is_empty() {
                        label = format!("{} {label}", a.analysis);
                    }
                    let label_color = if a.analysis.is_empty() {
                        color
                    } else {
                        theme::WARN
                    };
                    painter.text(
                        at(mid, y - 2.0),
                        Align2::CENTER_TOP,
                        label,
                        FontId::proportional(13.0),
                        label_color,
                    );
                    // Below the state pills (y + 22 to y + 40): a long note in a
                    // narrow pane reaches past the lanes.
                    painter.text(
                        at(mid, y + 41.0),
                        Align2::CENTER_TOP,
                        arrow_detail(a),
                        FontId::proportional(10.5),
                        ink,
                    );
                    // Each end's state beside its lane: the left one left of it.
                    let ends = [(&a.left_state, false), (&a.right_state, true)];
                    for ((lane, changed), (state, right)) in
                        layout.lanes.iter().zip(a.changed).zip(ends)
                    {
                        let top = origin.y + y + 22.0;
                        pill(&painter, origin.x + lane, top, state, changed, right);
                    }
                    if response.clicked()
                        && response
                            .interact_pointer_pos()
                            .is_some_and(|p| row_rect.contains(p))
                    {
                        actions.push(Action::Select((a.frame as usize).saturating_sub(1)));
                    }
                }
                if data.omitted.1 > 0 {
                    painter.text(
                        at(layout.width / 2.0, layout.bottom()),
                        Align2::CENTER_TOP,
                        format!("({} later packets not shown)", data.omitted.1),
                        FontId::proportional(11.0),
                        theme::LANE,
                    );
                }
            });
        actions
    }
}
