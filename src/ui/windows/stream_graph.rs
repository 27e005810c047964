//! Statistics ▸ TCP Stream Graphs: the selected stream's Time-Sequence graph
//! (Stevens, or tcptrace's segments as bars with the ACK line, the receive window
//! and SACK blocks), throughput, round-trip time and window scaling, opening on the
//! direction that sends the data. SYN, FIN, RST, retransmissions, duplicate ACKs
//! and zero windows each have their own mark in the legend. The segments are read
//! on a worker; a click on a point selects its packet.

use super::chart::{self, PlotSeries, Shape};
use super::worker::Background;
use super::{Inputs, StatsWindow, WindowRequest};
use crate::stats::stream_graph::{Mark, StreamGraph, tcp_flag};
use crate::tcp::Loaded;
use crate::ui::action::Action;
use crate::ui::theme::graph as colour;
use eframe::egui;
use egui_plot::MarkerShape;

/// The graphs Wireshark's dialog offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphKind {
    /// Time-Sequence (Stevens): a point per segment.
    Stevens,
    /// Time-Sequence (tcptrace): bars, ACK line, window line, SACK blocks.
    Tcptrace,
    /// Throughput: per segment and moving average.
    Throughput,
    /// Round-trip time per segment.
    Rtt,
    /// Window scaling: receive window and bytes in flight.
    Window,
}

impl GraphKind {
    const ALL: [GraphKind; 5] = [
        GraphKind::Stevens,
        GraphKind::Tcptrace,
        GraphKind::Throughput,
        GraphKind::Rtt,
        GraphKind::Window,
    ];

    fn name(self) -> &'static str {
        match self {
            GraphKind::Stevens => "Time-Sequence (Stevens)",
            GraphKind::Tcptrace => "Time-Sequence (tcptrace)",
            GraphKind::Throughput => "Throughput",
            GraphKind::Rtt => "Round Trip Time",
            GraphKind::Window => "Window Scaling",
        }
    }

    fn y_label(self) -> &'static str {
        match self {
            GraphKind::Stevens | GraphKind::Tcptrace => "Sequence number (B)",
            GraphKind::Throughput => "Throughput (bits/s)",
            GraphKind::Rtt => "Round trip time (ms)",
            GraphKind::Window => "Bytes",
        }
    }
}

/// Which stream to read: the one asked for, or the selected packet's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Stream(u32),
    Selected(usize),
}

/// Statistics ▸ TCP Stream Graphs.
#[derive(Debug)]
pub struct StreamGraphs {
    kind: GraphKind,
    stream: Option<u32>,
    /// The direction graphed (`None`: the data sender's).
    forward: Option<bool>,
    relative: bool,
    average_secs: f64,
    data: Option<StreamGraph>,
    computed: Option<(Target, usize)>,
    worker: Background<((Target, usize), Option<StreamGraph>)>,
    series: Vec<PlotSeries>,
    series_for: Option<(GraphKind, bool, bool, u64)>,
    stream_field: u32,
    /// The frame it was last drawn in: a gap means it was closed and opened again,
    /// and then it follows the selected packet's stream (as Wireshark's opens on it).
    shown_frame: u64,
    /// A stream was asked for (a conversation's menu): keep it when reopening.
    requested: bool,
}

impl Default for StreamGraphs {
    fn default() -> Self {
        StreamGraphs {
            kind: GraphKind::Stevens,
            stream: None,
            forward: None,
            relative: true,
            average_secs: 1.0,
            data: None,
            computed: None,
            worker: Background::default(),
            series: Vec::new(),
            series_for: None,
            stream_field: 0,
            shown_frame: 0,
            requested: false,
        }
    }
}

fn marker(mark: Mark) -> (egui::Color32, MarkerShape) {
    match mark {
        Mark::Plain => (colour::SEGMENT, MarkerShape::Circle),
        Mark::Syn => (colour::SYN, MarkerShape::Diamond),
        Mark::Fin => (colour::FIN, MarkerShape::Square),
        Mark::Rst => (colour::RST, MarkerShape::Cross),
        Mark::Retransmission => (colour::RETRANSMISSION, MarkerShape::Up),
        Mark::DupAck => (colour::DUP_ACK, MarkerShape::Down),
        Mark::ZeroWindow => (colour::ZERO_WINDOW, MarkerShape::Asterisk),
    }
}

/// One series per mark, named by the legend.
fn mark_series() -> Vec<(Mark, PlotSeries)> {
    Mark::ALL
        .iter()
        .map(|m| {
            let (c, shape) = marker(*m);
            (*m, PlotSeries::new(m.name(), c, Shape::Points(shape)))
        })
        .collect()
}

fn add_marked(marks: &mut [(Mark, PlotSeries)], mark: Mark, x: f64, y: f64, frame: u32) {
    if let Some((_, s)) = marks.iter_mut().find(|(m, _)| *m == mark) {
        s.push(x, y, frame);
    }
}

/// The series of graph `kind` for direction `forward` of `g`.
pub(super) fn series(
    g: &StreamGraph,
    kind: GraphKind,
    forward: bool,
    relative: bool,
    average_secs: f64,
) -> Vec<PlotSeries> {
    let offset = if relative { 0 } else { g.seq_offset(forward) };
    let seq = |v: u32| f64::from(v.wrapping_add(offset));
    let mut out = Vec::new();
    // Wireshark's dialog counts time from the stream's first packet.
    let t0 = g.segments.first().map_or(0.0, |s| s.time_secs);
    match kind {
        GraphKind::Stevens | GraphKind::Tcptrace => {
            let mut marks = mark_series();
            let mut bars = PlotSeries::new("segment", colour::SEGMENT, Shape::Bars);
            let mut acks = PlotSeries::new("ACK", colour::ACK, Shape::Step);
            let mut window = PlotSeries::new("receive window", colour::WINDOW, Shape::Step);
            let mut sacks = PlotSeries::new("SACK", colour::SACK, Shape::Bars);
            for s in &g.segments {
                if s.forward == forward {
                    let mark = s.mark();
                    if kind == GraphKind::Tcptrace && mark == Mark::Plain {
                        let end = s.seq.wrapping_add(s.len.max(1));
                        bars.push_bar(s.time_secs - t0, seq(s.seq), seq(end), s.frame);
                    } else {
                        add_marked(&mut marks, mark, s.time_secs - t0, seq(s.seq), s.frame);
                    }
                    continue;
                }
                // The other direction acknowledges this one.
                if !s.has(tcp_flag::ACK) {
                    continue;
                }
                let mark = s.mark();
                if matches!(mark, Mark::DupAck | Mark::ZeroWindow) {
                    add_marked(&mut marks, mark, s.time_secs - t0, seq(s.ack), s.frame);
                }
                if kind == GraphKind::Tcptrace {
                    acks.push(s.time_secs - t0, seq(s.ack), s.frame);
                    let top = f64::from(s.ack) + s.win as f64 + f64::from(offset);
                    window.push(s.time_secs - t0, top, s.frame);
                    for (le, re) in &s.sack {
                        sacks.push_bar(s.time_secs - t0, seq(*le), seq(*re), s.frame);
                    }
                }
            }
            if kind == GraphKind::Tcptrace {
                // Drawn in this order: the segments over the SACK blocks that
                // often cover them.
                out.extend([sacks, acks, window, bars]);
            }
            out.extend(marks.into_iter().map(|(_, s)| s));
        }
        GraphKind::Throughput => {
            let mut per = PlotSeries::new(
                "segment throughput",
                colour::SEGMENT,
                Shape::Points(MarkerShape::Circle),
            );
            let mut last: Option<f64> = None;
            for s in g.sent(forward).filter(|s| s.len > 0) {
                if let Some(t) = last
                    && s.time_secs > t
                {
                    per.push(
                        s.time_secs - t0,
                        f64::from(s.len) * 8.0 / (s.time_secs - t),
                        s.frame,
                    );
                }
                last = Some(s.time_secs);
            }
            let mut avg = PlotSeries::new(
                crate::tr!("series-average-over", seconds = average_secs.to_string()),
                colour::AVERAGE,
                Shape::Line,
            );
            for (t, bps, frame) in g.throughput(forward, average_secs) {
                avg.push(t - t0, bps, frame);
            }
            out.extend([per, avg]);
        }
        GraphKind::Rtt => {
            let mut rtt = PlotSeries::new("RTT", colour::ACK, Shape::Line);
            let mut samples = g.rtt(forward);
            samples.sort_by(|a, b| a.time_secs.total_cmp(&b.time_secs));
            for r in samples {
                rtt.push(r.time_secs - t0, r.rtt_secs * 1000.0, r.frame);
            }
            out.push(rtt);
        }
        GraphKind::Window => {
            let w = g.window(forward);
            let mut rwin = PlotSeries::new("receive window", colour::WINDOW, Shape::Step);
            for (t, v, f) in w.receive_window {
                rwin.push(t - t0, v, f);
            }
            let mut flight = PlotSeries::new(
                "bytes in flight",
                colour::SEGMENT,
                Shape::Points(MarkerShape::Circle),
            );
            for (t, v, f) in w.in_flight {
                flight.push(t - t0, v, f);
            }
            out.extend([rwin, flight]);
        }
    }
    out
}

/// "10.0.0.1:80 → 10.0.0.2:4000" for direction `forward`.
fn direction_text(g: &StreamGraph, forward: bool) -> String {
    let [a, b] = &g.endpoints;
    let text = |e: &(Option<crate::dissect::ipv4::Addr>, u16)| match e.0 {
        Some(addr) => format!("{}:{}", addr.text(), e.1),
        None => format!("?:{}", e.1),
    };
    if forward {
        format!("{} → {}", text(a), text(b))
    } else {
        format!("{} → {}", text(b), text(a))
    }
}

impl StreamGraphs {
    fn refresh(&mut self, inputs: &Inputs) {
        if let Some((key, data)) = self.worker.poll() {
            self.computed = Some(key);
            if let Some(g) = &data {
                self.stream = Some(g.stream);
                self.stream_field = g.stream;
            }
            self.data = data;
            self.series_for = None;
        }
        let Some(shared) = inputs.shared.clone() else {
            return;
        };
        let target = match (self.stream, inputs.selected) {
            (Some(s), _) => Target::Stream(s),
            (None, Some(i)) => Target::Selected(i),
            (None, None) => Target::Stream(0),
        };
        let key = (target, inputs.packets);
        if !self
            .worker
            .wants_when_idle(&key, self.computed.as_ref(), inputs.loading)
        {
            return;
        }
        self.worker.start(
            "synack-stream-graph",
            shared,
            inputs.ctx.clone(),
            move |loaded: &Loaded, _cancel| {
                let stream = match target {
                    Target::Stream(s) => Some(s),
                    Target::Selected(i) => loaded
                        .capture
                        .record(i)
                        .and_then(crate::tcp::results::stream_of)
                        .or(Some(0)),
                };
                (key, stream.and_then(|s| StreamGraph::compute(loaded, s)))
            },
        );
    }

    fn controls_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            egui::ComboBox::from_id_salt("graph kind")
                .selected_text(super::shown("graph", self.kind.name()))
                .show_ui(ui, |ui| {
                    for k in GraphKind::ALL {
                        ui.selectable_value(&mut self.kind, k, super::shown("graph", k.name()));
                    }
                });
            ui.label(crate::tr!("graph-stream"));
            let response = ui.add(egui::DragValue::new(&mut self.stream_field).range(0..=u32::MAX));
            if response.changed() {
                self.stream = Some(self.stream_field);
                self.forward = None;
            }
            if let Some(g) = &self.data {
                let data = g.data_direction();
                let forward = self.forward.unwrap_or(data);
                if ui
                    .button(crate::tr!("graph-switch"))
                    .on_hover_text(crate::tr!("graph-switch-hint"))
                    .clicked()
                {
                    self.forward = Some(!forward);
                }
                ui.label(direction_text(g, forward));
            }
            ui.checkbox(&mut self.relative, crate::tr!("graph-relative"));
            if self.kind == GraphKind::Throughput {
                ui.label(crate::tr!("graph-average-over"));
                ui.add(
                    egui::DragValue::new(&mut self.average_secs)
                        .range(0.001..=600.0)
                        .speed(0.05)
                        .suffix(" s"),
                );
            }
        });
    }
}

impl StatsWindow for StreamGraphs {
    fn title(&self) -> &'static str {
        "TCP Stream Graphs"
    }

    fn ready(&self) -> bool {
        self.computed.is_some() && !self.worker.running()
    }

    fn default_size(&self) -> [f32; 2] {
        [900.0, 560.0]
    }

    fn request(&mut self, request: &WindowRequest) -> bool {
        match request {
            WindowRequest::StreamGraph(stream) => {
                self.stream = Some(*stream);
                self.stream_field = *stream;
                self.forward = None;
                self.requested = true;
                true
            }
            WindowRequest::GraphField(_) => false,
        }
    }

    fn show(&mut self, ui: &mut egui::Ui, inputs: &Inputs) -> Vec<Action> {
        let mut actions = Vec::new();
        let frame = ui.ctx().cumulative_frame_nr();
        if frame > self.shown_frame.saturating_add(1) && !self.requested {
            // Opened again: graph the selected packet's stream.
            self.stream = None;
            self.forward = None;
        }
        self.requested = false;
        self.shown_frame = frame;
        self.refresh(inputs);
        self.controls_ui(ui);
        let Some(g) = &self.data else {
            ui.horizontal(|ui| {
                if self.worker.running() {
                    ui.spinner();
                    ui.label(crate::tr!("graph-reading"));
                } else {
                    ui.label(crate::tr!("graph-no-stream"));
                }
            });
            return actions;
        };
        let forward = self.forward.unwrap_or_else(|| g.data_direction());
        let key = (
            self.kind,
            forward,
            self.relative,
            self.average_secs.to_bits(),
        );
        if self.series_for != Some(key) {
            self.series = series(g, self.kind, forward, self.relative, self.average_secs);
            self.series_for = Some(key);
        }
        let title = crate::tr!(
            "graph-title",
            graph = super::shown("graph", self.kind.name()),
            direction = direction_text(g, forward)
        );
        let points: usize = self.series.iter().map(|s| s.points.len()).sum();
        let sums = |way: bool| {
            g.sent(way).fold((0u64, 0u64), |(n, b), s| {
                (n + 1, b.saturating_add(u64::from(s.len)))
            })
        };
        let (out, back) = (sums(forward), sums(!forward));
        ui.horizontal(|ui| {
            ui.strong(&title);
            ui.label(crate::tr!("graph-points", count = points));
            ui.label(crate::tr!(
                "graph-sums",
                out_segments = out.0,
                out_bytes = out.1,
                back_segments = back.0,
                back_bytes = back.1
            ));
            let series = &self.series;
            let y_label = super::shown("axis", self.kind.y_label());
            if let Some(a) = chart::save_buttons(ui, "stream-graph", || {
                chart::to_chart(&title, &crate::tr!("axis-time"), &y_label, series)
            }) {
                actions.push(a);
            }
        });
        let drawn = chart::draw(
            ui,
            "tcp stream graph",
            &crate::tr!("axis-time"),
            &super::shown("axis", self.kind.y_label()),
            &self.series,
            false,
            egui_plot::Corner::LeftTop,
        );
        if let Some(frame) = drawn.clicked_frame {
            actions.push(Action::Select(frame.saturating_sub(1) as usize));
        }
        actions
    }
}

/// The segments a test checks: those sent in direction `forward`.
#[cfg(test)]
fn sent_count(g: &StreamGraph, forward: bool) -> usize {
    g.segments.iter().filter(|s| s.forward == forward).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stevens_has_a_point_per_segment_sent() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/captures/tcp_lossy_bulk_head.pcap");
        let Ok(loaded) = Loaded::open(&path) else {
            panic!("cannot open the capture");
        };
        let Some(g) = StreamGraph::compute(&loaded, 0) else {
            panic!("no stream");
        };
        let data = g.data_direction();
        let s = series(&g, GraphKind::Stevens, data, true, 1.0);
        let points: usize = s.iter().map(|s| s.points.len()).sum::<usize>()
            - s.iter()
                .filter(|s| s.name == "duplicate ACK" || s.name == "zero window")
                .map(|s| s.points.len())
                .sum::<usize>();
        assert_eq!(points, sent_count(&g, data));
        assert!(
            s.iter()
                .any(|s| s.name == "retransmission" && !s.points.is_empty())
        );
    }
}
