//! The flow graph pane: the ladder of the selected packet's TCP stream, drawn from
//! the same model as `synack flow --format svg`. Clicking an arrow selects its
//! packet; the selected packet's arrow is highlighted. Ladder view draws the whole
//! connection fitted to the window's height ([`FlowGraph::whole_ui`]).

use crate::export::flow::{Layout, acked_arrow, arithmetic, arrow_detail, arrow_label};
use crate::tcp::ladder::Ladder;
use crate::ui::action::Action;
use crate::ui::theme::Palette;
use eframe::egui::{self, Align2, FontId, Pos2, Rect, Sense, Stroke, StrokeKind, pos2, vec2};

/// Below this height the pane's summary keeps to one line.
const SHORT_PANE: f32 = 320.0;

/// The flow pane's state.
#[derive(Debug, Default)]
pub struct FlowGraph {
    /// Scroll to the selected arrow on the next frame.
    pub scroll_to_selected: bool,
    /// Arrows wholly in view in the last frame.
    pub arrows_in_view: usize,
    /// The selected packet's arrow was wholly in view in the last frame.
    pub selected_in_view: bool,
}

/// What the ladder writes beside each arrow in Ladder view (step and predict modes).
#[derive(Debug, Clone, Copy, Default)]
pub struct Overlay {
    /// Each arrow's arithmetic (ack = seq + len) and a connector from an ACK to the
    /// segment it acknowledges.
    pub arithmetic: bool,
    /// Absolute numbers beside the relative ones.
    pub absolute_too: bool,
}

/// The ladder for the pane, and whether it shows only part of a long stream.
#[derive(Debug, Clone, Default)]
pub struct FlowData {
    /// The ladder, when the selected packet is TCP.
    pub ladder: Option<Ladder>,
    /// Arrows left out before and after the window shown.
    pub omitted: (usize, usize),
}

/// Where things go: the pane's roomy rows, or Ladder view's rows fitted to the height.
#[derive(Debug, Clone, Copy)]
struct Geometry {
    width: f32,
    lanes: [f32; 2],
    /// Y of the first row.
    top: f32,
    row_height: f32,
    /// How far an arrow drops from its sender to its receiver.
    slope: f32,
    /// Where each arrow's numbers go.
    notes: Notes,
}

/// Where an arrow's numbers (`x = 1860424926 (initial sequence number)`) go.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Notes {
    /// Under the arrow, below the state pills (the pane's roomy rows).
    Under,
    /// In a column at this x, right of the right lane's pills (Ladder view).
    Column(f32),
    /// In a tooltip over the arrow's row (a short pane's one-line rows).
    Hover,
}

impl Geometry {
    /// The pane's: the engine's fitted layout (the SVG's proportions) when
    /// `height` holds four of its rows (or all of them); else one line an arrow.
    fn pane(width: f32, height: f32, rows: usize) -> Geometry {
        let l = Layout::fitted(width, rows);
        if height >= l.top + l.row_height * rows.clamp(1, 4) as f32 {
            return Geometry {
                width: l.width,
                lanes: l.lanes,
                top: l.top,
                row_height: l.row_height,
                slope: 22.0,
                notes: Notes::Under,
            };
        }
        // The ladder's tab under a laptop's list shows one or two roomy rows: here
        // each arrow takes one line, its pills beside the lanes (room on the left
        // for the frame number and time, then the widest pill; on the right for the
        // widest pill), its numbers on hover.
        let width = width.max(420.0);
        Geometry {
            width,
            lanes: [(width * 0.3).max(180.0), width - 118.0],
            top: 8.0,
            row_height: 30.0,
            slope: 6.0,
            notes: Notes::Hover,
        }
    }

    /// Ladder view's: every arrow in `height`, the numbers in a column on the right.
    fn whole(width: f32, height: f32, rows: usize) -> Geometry {
        let width = width.max(640.0);
        let top = 56.0;
        // The painter takes `bottom + 16`: all of it fits, so nothing scrolls.
        let row_height = ((height - top - 28.0) / rows.max(1) as f32).clamp(29.0, 60.0);
        let lanes = [width * 0.21, width * 0.58];
        Geometry {
            width,
            lanes,
            top,
            row_height,
            slope: (row_height * 0.22).min(12.0),
            notes: Notes::Column(lanes[1] + 150.0),
        }
    }

    /// Whether the state pills sit on the arrow's own line (else under it).
    fn one_line(&self) -> bool {
        self.notes != Notes::Under
    }

    fn row_y(&self, i: usize) -> f32 {
        self.top + self.row_height * i as f32
    }

    fn bottom(&self, rows: usize) -> f32 {
        self.row_y(rows) + 10.0
    }

    /// Arrow start and end of row `i`, sent by side `from`.
    fn arrow(&self, i: usize, from: usize) -> (Pos2, Pos2) {
        let y = self.row_y(i) + 14.0;
        let (a, b) = if from == 0 {
            (self.lanes[0], self.lanes[1])
        } else {
            (self.lanes[1], self.lanes[0])
        };
        (pos2(a, y), pos2(b, y + self.slope))
    }
}

fn pill(
    painter: &egui::Painter,
    p: &Palette,
    center_x: f32,
    y: f32,
    text: &str,
    changed: bool,
    right: bool,
) {
    let font = FontId::proportional(11.0);
    let galley = painter.layout_no_wrap(text.to_string(), font, p.state_text);
    let w = galley.size().x + 14.0;
    let x = if right {
        center_x + 10.0
    } else {
        center_x - 10.0 - w
    };
    let rect = Rect::from_min_size(pos2(x, y), vec2(w, 18.0));
    let (fill, stroke) = if changed {
        (p.state_changed, p.handshake)
    } else {
        (p.state_same, p.state_stroke)
    };
    painter.rect_filled(rect, 9.0, fill);
    painter.rect_stroke(rect, 9.0, Stroke::new(1.0, stroke), StrokeKind::Inside);
    painter.galley(
        pos2(rect.min.x + 7.0, rect.min.y + 2.0),
        galley,
        p.state_text,
    );
}

impl FlowGraph {
    /// Draws the ladder in its pane; `selected` is the selected packet's frame number.
    pub fn ui(&mut self, ui: &mut egui::Ui, data: &FlowData, selected: Option<u32>) -> Vec<Action> {
        let mut actions = Vec::new();
        let Some(ladder) = &data.ladder else {
            ui.weak(crate::tr!("flow-select-hint"));
            return actions;
        };
        ui.horizontal(|ui| {
            ui.strong(crate::tr!(
                "flow-stream",
                stream = ladder.stream.to_string()
            ));
            if ui
                .small_button(crate::tr!("tool-ladder-view"))
                .on_hover_text(crate::tr!("flow-ladder-view-hint"))
                .clicked()
            {
                actions.push(Action::LadderView(true));
            }
            if ui.small_button(crate::tr!("ladder-save-svg")).clicked() {
                actions.push(Action::SaveFlow(true));
            }
            if ui.small_button(crate::tr!("ladder-save-png")).clicked() {
                actions.push(Action::SaveFlow(false));
            }
        });
        // The summary wraps: on one line with the buttons it widened the pane (a
        // resizable panel grows to its content) and pushed the list's Info column out.
        // A short pane (a laptop's ladder tab) keeps it to one line, whole on hover.
        let summary = egui::Label::new(egui::RichText::new(&ladder.summary).weak());
        if ui.available_height() < SHORT_PANE {
            ui.add(summary.truncate());
        } else {
            ui.add(summary.wrap());
        }
        if data.omitted.0 > 0 {
            ui.weak(crate::tr!("flow-earlier-omitted", count = data.omitted.0));
        }
        let size = ui.available_size();
        let g = Geometry::pane(size.x, size.y, ladder.arrows.len());
        if g.notes == Notes::Hover {
            // A short pane names both ends on one line that stays while the
            // arrows scroll under it.
            let (rect, _) = ui.allocate_exact_size(vec2(size.x, 16.0), Sense::hover());
            let color = ui.visuals().text_color();
            for side in 0..2 {
                let head = format!("{} {}", ladder.roles[side], ladder.endpoints[side]);
                ui.painter().text(
                    pos2(rect.min.x + g.lanes[side], rect.min.y + 1.0),
                    Align2::CENTER_TOP,
                    head,
                    FontId::proportional(11.0),
                    color,
                );
            }
        }
        egui::ScrollArea::both()
            .id_salt("flow")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                self.draw(ui, g, data, selected, Overlay::default(), &mut actions);
            });
        actions
    }

    /// Draws the whole connection fitted to the space left (Ladder view): every
    /// arrow of a short connection without scrolling.
    pub fn whole_ui(
        &mut self,
        ui: &mut egui::Ui,
        data: &FlowData,
        selected: Option<u32>,
        overlay: Overlay,
    ) -> Vec<Action> {
        let mut actions = Vec::new();
        let Some(ladder) = &data.ladder else {
            ui.weak(crate::tr!("flow-ladder-view-select"));
            return actions;
        };
        let rows = ladder.arrows.len();
        egui::ScrollArea::both()
            .id_salt("ladder view")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                let size = ui.available_size();
                let g = Geometry::whole(size.x, size.y, rows);
                self.draw(ui, g, data, selected, overlay, &mut actions);
            });
        actions
    }

    fn draw(
        &mut self,
        ui: &mut egui::Ui,
        g: Geometry,
        data: &FlowData,
        selected: Option<u32>,
        overlay: Overlay,
        actions: &mut Vec<Action>,
    ) {
        let Some(ladder) = &data.ladder else {
            return;
        };
        let p = Palette::current(ui);
        let text_color = ui.visuals().text_color();
        let rows = ladder.arrows.len();
        let size = vec2(g.width, g.bottom(rows) + 16.0);
        let (response, painter) = ui.allocate_painter(size, Sense::click());
        let origin = response.rect.min;
        let at = |x: f32, y: f32| Pos2::new(origin.x + x, origin.y + y);
        let shift = |q: Pos2| q + origin.to_vec2();
        let short = g.notes == Notes::Hover;
        for side in 0..2 {
            let x = g.lanes[side];
            // The role above, the address below, then the lane (a short pane
            // names them above its scrolled part).
            let lane_top = if short {
                0.0
            } else {
                let heads = [
                    (&ladder.roles[side], 8.0, 14.0),
                    (&ladder.endpoints[side], 26.0, 11.0),
                ];
                for (text, y, points) in heads {
                    let font = FontId::proportional(points);
                    painter.text(at(x, y), Align2::CENTER_TOP, text, font, text_color);
                }
                44.0
            };
            painter.line_segment(
                [at(x, lane_top), at(x, g.bottom(rows))],
                Stroke::new(p.stroke * 0.75, p.lane),
            );
        }
        let mut hovered_note = None;
        // Phase brackets.
        let mut i = 0;
        while i < rows {
            let phase = ladder.arrows[i].phase.clone();
            let mut j = i;
            while j + 1 < rows && ladder.arrows[j + 1].phase == phase {
                j += 1;
            }
            let (y0, y1) = (g.row_y(i) + 2.0, g.row_y(j) + g.row_height - 4.0);
            let stroke = Stroke::new(2.5, p.phase(&phase));
            painter.line_segment([at(10.0, y0), at(4.0, y0)], stroke);
            painter.line_segment([at(4.0, y0), at(4.0, y1)], stroke);
            painter.line_segment([at(4.0, y1), at(10.0, y1)], stroke);
            i = j + 1;
        }
        // Only rows in view are painted: a window holds hundreds of arrows and each
        // has five texts, laid out again every frame.
        let clip = ui.clip_rect();
        let visible = clip.expand(g.row_height);
        self.arrows_in_view = 0;
        self.selected_in_view = false;
        let compact = g.one_line();
        for (i, a) in ladder.arrows.iter().enumerate() {
            let y = g.row_y(i);
            let row_rect =
                Rect::from_min_max(at(0.0, y - 2.0), at(g.width, y + g.row_height - 2.0));
            let is_selected = selected == Some(a.frame);
            if clip.contains_rect(row_rect) {
                self.arrows_in_view += 1;
                self.selected_in_view |= is_selected;
            }
            let wanted = visible.intersects(row_rect) || is_selected && self.scroll_to_selected;
            if !wanted {
                continue;
            }
            if is_selected {
                painter.rect_filled(row_rect, 4.0, p.flow_selected);
                if self.scroll_to_selected {
                    ui.scroll_to_rect(row_rect, Some(egui::Align::Center));
                    self.scroll_to_selected = false;
                }
            }
            let ink = if is_selected {
                p.flow_selected_text
            } else {
                text_color
            };
            let color = p.phase(&a.phase);
            painter.text(
                at(14.0, y + 4.0),
                Align2::LEFT_TOP,
                format!("#{}", a.frame),
                FontId::proportional(12.0),
                ink,
            );
            // The time beside the number when Ladder view has the room, else
            // under it.
            let time_beside = compact && !short;
            painter.text(
                at(
                    if time_beside { 60.0 } else { 14.0 },
                    y + if time_beside {
                        5.0
                    } else if short {
                        16.0
                    } else {
                        18.0
                    },
                ),
                Align2::LEFT_TOP,
                format!("{:.6}", a.time),
                FontId::proportional(10.0),
                ink,
            );
            let (p1, p2) = g.arrow(i, a.from);
            let (p1, p2) = (shift(p1), shift(p2));
            if overlay.arithmetic
                && let Some(j) = acked_arrow(&ladder.arrows, i)
                && let Some(b) = ladder.arrows.get(j)
            {
                // A thin dashed bracket on the ACK's sender's lane, from where the
                // acknowledged segment arrived to where the ACK leaves.
                let (_, end) = g.arrow(j, b.from);
                let end = shift(end);
                let inward = if a.from == 0 { 16.0 } else { -16.0 };
                let path = [end, end + vec2(inward, 0.0), p1 + vec2(inward, 0.0), p1];
                for w in path.windows(2) {
                    painter.add(egui::Shape::dashed_line(
                        w,
                        Stroke::new(1.0, p.lane),
                        4.0,
                        3.0,
                    ));
                }
            }
            painter.line_segment([p1, p2], Stroke::new(p.stroke, color));
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
            let mid = (g.lanes[0] + g.lanes[1]) / 2.0;
            let mut label = arrow_label(a);
            if !a.analysis.is_empty() {
                label = format!("{} {label}", a.analysis);
            }
            let label_color = if is_selected {
                ink
            } else if a.analysis.is_empty() {
                color
            } else {
                p.warn
            };
            painter.text(
                at(mid, y - 3.0),
                Align2::CENTER_TOP,
                label,
                FontId::proportional(13.0),
                label_color,
            );
            match g.notes {
                // A column of numbers right of the right lane's pills.
                Notes::Column(x) => {
                    let detail = if overlay.arithmetic || overlay.absolute_too {
                        arithmetic(&ladder.arrows, i, overlay.absolute_too)
                    } else {
                        arrow_detail(a)
                    };
                    painter.text(
                        at(x, y + 6.0),
                        Align2::LEFT_TOP,
                        detail,
                        FontId::proportional(11.0),
                        ink,
                    );
                }
                // Below the state pills (y + 22 to y + 40): a long note in a narrow
                // pane reaches past the lanes.
                Notes::Hover => {
                    if response.hover_pos().is_some_and(|q| row_rect.contains(q)) {
                        hovered_note = Some(arrow_detail(a));
                    }
                }
                // On the background's colour, so a lane line never runs through it.
                Notes::Under => {
                    let galley =
                        painter.layout_no_wrap(arrow_detail(a), FontId::proportional(10.5), ink);
                    let rect = Align2::CENTER_TOP
                        .anchor_size(at(mid, y + 41.0), galley.size())
                        .expand2(vec2(3.0, 0.0));
                    if !galley.is_empty() {
                        let under = if is_selected {
                            p.flow_selected
                        } else {
                            ui.visuals().panel_fill
                        };
                        painter.rect_filled(rect, 2.0, under);
                    }
                    painter.galley(rect.min + vec2(3.0, 0.0), galley, ink);
                }
            }
            // Each end's state beside its lane: the left one left of it.
            let ends = [(&a.left_state, false), (&a.right_state, true)];
            let pill_y = if compact { y + 5.0 } else { y + 22.0 };
            for ((lane, changed), (state, right)) in g.lanes.iter().zip(a.changed).zip(ends) {
                pill(
                    &painter,
                    &p,
                    origin.x + lane,
                    origin.y + pill_y,
                    state,
                    changed,
                    right,
                );
            }
            if response.clicked()
                && response
                    .interact_pointer_pos()
                    .is_some_and(|q| row_rect.contains(q))
            {
                actions.push(Action::Select((a.frame as usize).saturating_sub(1)));
            }
        }
        if let Some(note) = hovered_note.filter(|n| !n.is_empty()) {
            response.clone().on_hover_text_at_pointer(note);
        }
        if data.omitted.1 > 0 {
            painter.text(
                at(g.width / 2.0, g.bottom(rows)),
                Align2::CENTER_TOP,
                crate::tr!("flow-later-omitted", count = data.omitted.1),
                FontId::proportional(11.0),
                p.lane,
            );
        }
    }
}
