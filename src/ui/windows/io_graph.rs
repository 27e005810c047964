//! Statistics ▸ I/O Graph: several graphs over capture time, each with its own
//! display filter, colour, style and unit (packets, bytes or bits per interval, or
//! SUM/MIN/MAX/AVG/COUNT of a field), intervals from 1 ms to 10 min, a log scale,
//! and a click on a point selecting the first packet of its interval. The detail
//! tree's "Graph this field" adds a graph. Computed on a worker
//! (`stats::io_graph`, the figures of `-z io,stat`).

use super::chart::{self, PlotSeries, Shape};
use super::worker::{Background, FIRST_LOOK, first_look_pays};
use super::{Inputs, StatsWindow, WindowRequest};
use crate::dissect::registry;
use crate::filter::Filter;
use crate::stats::io_graph::{self, IoSeries, Metric};
use crate::tcp::{Loaded, PacketPredicate};
use crate::ui::action::Action;
use crate::ui::theme::graph as colour;
use eframe::egui;
use egui_plot::MarkerShape;

/// The intervals offered, in microseconds, with their names.
const INTERVALS: [(u64, &str); 7] = [
    (1_000, "1 ms"),
    (10_000, "10 ms"),
    (100_000, "100 ms"),
    (1_000_000, "1 s"),
    (10_000_000, "10 s"),
    (60_000_000, "1 min"),
    (600_000_000, "10 min"),
];

/// The units offered (Wireshark's "Y Axis").
const UNITS: [&str; 8] = [
    "Packets",
    "Bytes",
    "Bits",
    "SUM(Y Field)",
    "MIN(Y Field)",
    "MAX(Y Field)",
    "AVG(Y Field)",
    "COUNT(Y Field)",
];

/// The styles offered.
const STYLES: [&str; 4] = ["Line", "Bar", "Dot", "Step"];

/// One graph's settings.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GraphSpec {
    /// Drawn.
    pub enabled: bool,
    /// Legend name.
    pub name: String,
    /// Display filter (empty: every packet).
    pub filter: String,
    /// Colour: an index into the palette.
    pub colour: usize,
    /// Style: an index into [`STYLES`].
    pub style: usize,
    /// Unit: an index into [`UNITS`].
    pub unit: usize,
    /// The field the SUM/MIN/… units read.
    pub field: String,
    /// The name synack gave the graph, shown in the current language until the
    /// user types another (`None` then, and for a graphed field: its abbreviation).
    pub auto: Option<AutoName>,
}

/// The names synack gives graphs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AutoName {
    /// The first graph: every packet.
    AllPackets,
    /// The second graph: packets with TCP analysis flags.
    TcpErrors,
    /// Added with Add graph: "Graph N".
    Numbered(usize),
}

impl AutoName {
    /// The name in the current language.
    fn text(self) -> String {
        match self {
            AutoName::AllPackets => crate::tr!("io-all-packets"),
            AutoName::TcpErrors => crate::tr!("io-tcp-errors"),
            AutoName::Numbered(n) => crate::tr!("io-graph-number", number = n),
        }
    }
}

impl GraphSpec {
    /// A graph synack names (in the current language while the user keeps the name).
    fn named(auto: AutoName, filter: &str, colour: usize, style: usize) -> Self {
        GraphSpec {
            auto: Some(auto),
            ..GraphSpec::new(&auto.text(), filter, colour, style)
        }
    }

    fn new(name: &str, filter: &str, colour: usize, style: usize) -> Self {
        GraphSpec {
            auto: None,
            enabled: true,
            name: name.into(),
            filter: filter.into(),
            colour,
            style,
            unit: 0,
            field: String::new(),
        }
    }

    /// The metric, or why the field is missing.
    fn metric(&self) -> Result<Metric, String> {
        let field = || {
            registry::lookup(self.field.trim())
                .ok_or_else(|| crate::tr!("io-not-a-field", field = self.field.trim()))
        };
        Ok(match self.unit {
            0 => Metric::Packets,
            1 => Metric::Bytes,
            2 => Metric::Bits,
            3 => Metric::Sum(field()?),
            4 => Metric::Min(field()?),
            5 => Metric::Max(field()?),
            6 => Metric::Avg(field()?),
            _ => Metric::Count(field()?),
        })
    }
}

/// What one computation was for: packets, interval, graphs.
type Key = (usize, u64, Vec<GraphSpec>);

/// Per graph, its values or why not.
type Computed = Vec<Result<IoSeries, String>>;

/// Computes every enabled graph over `loaded`, or for a first look over its first
/// `first` packets those graphs that dissect (a graph of every packet's count or
/// bytes reads only the records, and is whole at once). `whole` holds the graphs a
/// first look already computed whole, taken instead of counted again.
fn compute(
    loaded: &Loaded,
    first: Option<usize>,
    interval_micros: u64,
    specs: &[GraphSpec],
    mut whole: Vec<Option<IoSeries>>,
) -> Computed {
    specs
        .iter()
        .enumerate()
        .map(|(k, spec)| {
            if !spec.enabled {
                return Ok(IoSeries::default());
            }
            let metric = spec.metric()?;
            let filter = match spec.filter.trim() {
                "" => None,
                text => Some(Filter::compile(text).map_err(|e| e.to_string())?),
            };
            let limit = filter.as_ref().map(|f| f as &dyn PacketPredicate);
            let dissects = limit.is_some() || metric.field().is_some();
            if let Some(series) = whole.get_mut(k).and_then(Option::take) {
                return Ok(series);
            }
            Ok(match first {
                Some(n) if dissects => {
                    io_graph::compute_first(loaded, n, interval_micros, limit, metric)
                }
                _ => io_graph::compute(loaded, interval_micros, limit, metric),
            })
        })
        .collect()
}

/// Of a first look's graphs, those it computed whole (they read no dissection).
fn whole_graphs(specs: &[GraphSpec], first: &Computed) -> Vec<Option<IoSeries>> {
    specs
        .iter()
        .zip(first)
        .map(|(spec, computed)| {
            let reads_records_only = spec.filter.trim().is_empty() && spec.unit < 3;
            computed
                .as_ref()
                .ok()
                .filter(|_| spec.enabled && reads_records_only)
                .cloned()
        })
        .collect()
}

/// Statistics ▸ I/O Graph.
#[derive(Debug)]
pub struct IoGraph {
    specs: Vec<GraphSpec>,
    interval: usize,
    log: bool,
    data: Option<(Key, Computed)>,
    worker: Background<(Key, Computed)>,
    wanted: Option<Key>,
    /// The series drawn, built once per result (a 1 ms interval over an hour is
    /// millions of points: not rebuilt every frame).
    drawn: Vec<PlotSeries>,
}

impl Default for IoGraph {
    fn default() -> Self {
        IoGraph {
            specs: vec![
                GraphSpec::named(AutoName::AllPackets, "", 0, 0),
                GraphSpec::named(AutoName::TcpErrors, "tcp.analysis.flags", 1, 1),
            ],
            interval: 3,
            log: false,
            data: None,
            worker: Background::default(),
            wanted: None,
            drawn: Vec::new(),
        }
    }
}

impl IoGraph {
    fn interval_micros(&self) -> u64 {
        INTERVALS.get(self.interval).map_or(1_000_000, |i| i.0)
    }

    fn refresh(&mut self, inputs: &Inputs) {
        if let Some(done) = self.worker.poll() {
            self.data = Some(done);
            self.drawn = self.series();
        }
        let Some(shared) = inputs.shared.clone() else {
            return;
        };
        let key: Key = (inputs.packets, self.interval_micros(), self.specs.clone());
        let current = self.data.as_ref().map(|d| &d.0);
        if !self
            .worker
            .wants(&key, current, &mut self.wanted, inputs.loading)
        {
            return;
        }
        self.worker.start_with_partial(
            "synack-io-graph",
            shared,
            inputs.ctx.clone(),
            move |loaded, _cancel, partial| {
                let mut whole = Vec::new();
                if first_look_pays(loaded, partial.wanted(), FIRST_LOOK) {
                    let first = compute(loaded, Some(FIRST_LOOK), key.1, &key.2, Vec::new());
                    whole = whole_graphs(&key.2, &first);
                    partial.send((key.clone(), first));
                }
                let values = compute(loaded, None, key.1, &key.2, whole);
                (key, values)
            },
        );
    }

    /// The series to draw, from the last computation.
    fn series(&self) -> Vec<PlotSeries> {
        let Some((key, computed)) = &self.data else {
            return Vec::new();
        };
        let step = key.1 as f64 / 1e6;
        key.2
            .iter()
            .zip(computed)
            .filter(|(spec, _)| spec.enabled)
            .filter_map(|(spec, values)| {
                let values = values.as_ref().ok()?;
                let c = colour::PALETTE
                    .get(spec.colour % colour::PALETTE.len())
                    .copied()
                    .unwrap_or(colour::SEGMENT);
                let shape = match spec.style {
                    1 => Shape::Bars,
                    2 => Shape::Points(MarkerShape::Circle),
                    3 => Shape::Step,
                    _ => Shape::Line,
                };
                let mut s = PlotSeries::new(spec.name.clone(), c, shape);
                s.literal = true;
                for (k, v) in values.values.iter().enumerate() {
                    let Some(v) = v else { continue };
                    let frame = values.first_frame.get(k).copied().unwrap_or(0);
                    if shape == Shape::Bars {
                        s.push_bar(k as f64 * step, 0.0, *v, frame);
                    } else {
                        s.push(k as f64 * step, *v, frame);
                    }
                }
                Some(s)
            })
            .collect()
    }

    fn specs_ui(&mut self, ui: &mut egui::Ui) {
        let errors: Vec<Option<String>> = self
            .specs
            .iter()
            .enumerate()
            .map(|(k, _)| {
                self.data
                    .as_ref()
                    .and_then(|(_, c)| c.get(k))
                    .and_then(|r| r.as_ref().err().cloned())
            })
            .collect();
        let mut remove = None;
        egui::Grid::new("io graphs").striped(true).show(ui, |ui| {
            for h in [
                "",
                "Name",
                "Display filter",
                "Colour",
                "Style",
                "Y axis",
                "Y field",
                "",
            ] {
                ui.strong(super::shown("heading", h));
            }
            ui.end_row();
            for (k, spec) in self.specs.iter_mut().enumerate() {
                ui.checkbox(&mut spec.enabled, "");
                let h = ui.spacing().interact_size.y;
                if let Some(auto) = spec.auto {
                    spec.name = auto.text();
                }
                if ui
                    .add_sized([110.0, h], egui::TextEdit::singleline(&mut spec.name))
                    .changed()
                {
                    spec.auto = None;
                }
                let edit = ui.add_sized(
                    [200.0, h],
                    egui::TextEdit::singleline(&mut spec.filter)
                        .hint_text(crate::tr!("io-every-packet")),
                );
                if let Some(Some(e)) = errors.get(k) {
                    edit.on_hover_text(e);
                }
                let c = colour::PALETTE
                    .get(spec.colour % colour::PALETTE.len())
                    .copied()
                    .unwrap_or(colour::SEGMENT);
                if ui
                    .add(egui::Button::new("    ").fill(c))
                    .on_hover_text(crate::tr!("io-next-colour"))
                    .clicked()
                {
                    spec.colour = (spec.colour + 1) % colour::PALETTE.len();
                }
                combo(ui, ("style", k), &mut spec.style, &STYLES);
                combo(ui, ("unit", k), &mut spec.unit, &UNITS);
                ui.add_enabled_ui(spec.unit >= 3, |ui| {
                    ui.add_sized(
                        [170.0, h],
                        egui::TextEdit::singleline(&mut spec.field)
                            .hint_text("tcp.analysis.ack_rtt"),
                    );
                });
                if ui
                    .small_button("✖")
                    .on_hover_text(crate::tr!("io-remove"))
                    .clicked()
                {
                    remove = Some(k);
                }
                ui.end_row();
            }
        });
        if let Some(k) = remove {
            self.specs.remove(k);
        }
        for (k, e) in errors.iter().enumerate() {
            if let (Some(e), Some(spec)) = (e, self.specs.get(k)) {
                ui.colored_label(
                    crate::ui::theme::EXPERT_ERROR,
                    format!("{}: {e}", spec.name),
                );
            }
        }
    }

    /// The first intervals' values as text (what the plot draws, readable).
    fn values_ui(ui: &mut egui::Ui, series: &[PlotSeries]) {
        egui::CollapsingHeader::new(crate::tr!("io-values"))
            .id_salt("io values header")
            .show(ui, |ui| {
                egui::Grid::new("io values").striped(true).show(ui, |ui| {
                    ui.strong(crate::tr!("io-interval-start"));
                    for s in series {
                        ui.strong(&s.name);
                    }
                    ui.end_row();
                    let rows = series.iter().map(|s| s.points.len()).max().unwrap_or(0);
                    for r in 0..rows.min(100) {
                        let x = series
                            .iter()
                            .find_map(|s| s.points.get(r))
                            .map_or(0.0, |p| p[0]);
                        ui.label(format!("{x:.3}"));
                        for s in series {
                            let v = s.points.get(r).map(|p| match s.shape {
                                Shape::Bars => s.tops.get(r).copied().unwrap_or(0.0),
                                _ => p[1],
                            });
                            ui.label(v.map_or(String::new(), |v| egui_plot::format_number(v, 6)));
                        }
                        ui.end_row();
                    }
                });
            });
    }
}

fn combo(ui: &mut egui::Ui, id: (&str, usize), value: &mut usize, names: &[&str]) {
    egui::ComboBox::from_id_salt(id)
        .selected_text(super::shown(
            "graph",
            names.get(*value).copied().unwrap_or(""),
        ))
        .show_ui(ui, |ui| {
            for (k, n) in names.iter().enumerate() {
                ui.selectable_value(value, k, super::shown("graph", n));
            }
        });
}

impl StatsWindow for IoGraph {
    fn title(&self) -> &'static str {
        "I/O Graph"
    }

    fn ready(&self) -> bool {
        self.data.is_some() && !self.worker.running()
    }

    fn shows_data(&self) -> bool {
        self.data.is_some()
    }

    fn default_size(&self) -> [f32; 2] {
        [980.0, 620.0]
    }

    fn request(&mut self, request: &WindowRequest) -> bool {
        let WindowRequest::GraphField(field) = request else {
            return false;
        };
        let mut spec = GraphSpec::new(field, "", self.specs.len(), 2);
        spec.unit = 6;
        spec.field = field.clone();
        spec.filter = field.clone();
        self.specs.push(spec);
        true
    }

    fn show(&mut self, ui: &mut egui::Ui, inputs: &Inputs) -> Vec<Action> {
        let mut actions = Vec::new();
        self.refresh(inputs);
        let series = std::mem::take(&mut self.drawn);
        let y_label = self
            .specs
            .iter()
            .find(|s| s.enabled)
            .map_or("Packets", |s| {
                UNITS.get(s.unit).copied().unwrap_or("Packets")
            });
        let interval_name = INTERVALS.get(self.interval).map_or("1 s", |i| i.1);
        let y_label = crate::tr!(
            "io-per-interval",
            unit = super::shown("graph", y_label),
            interval = super::shown("graph", interval_name)
        );
        egui::Panel::bottom("io graph settings").show(ui, |ui| {
            self.specs_ui(ui);
            ui.horizontal(|ui| {
                if ui.button(crate::tr!("io-add-graph")).clicked() {
                    let n = self.specs.len();
                    self.specs
                        .push(GraphSpec::named(AutoName::Numbered(n + 1), "", n, 0));
                }
                ui.label(crate::tr!("io-interval"));
                let names: Vec<&str> = INTERVALS.iter().map(|i| i.1).collect();
                combo(ui, ("interval", 0), &mut self.interval, &names);
                ui.checkbox(&mut self.log, crate::tr!("io-log-scale"));
                if self.worker.running() {
                    ui.spinner();
                }
                if let Some(a) = chart::save_buttons(ui, "io-graph", || {
                    chart::to_chart(
                        &super::shown_title("I/O Graph"),
                        &crate::tr!("axis-time"),
                        &y_label,
                        &series,
                    )
                }) {
                    actions.push(a);
                }
            });
            Self::values_ui(ui, &series);
        });
        let drawn = chart::draw(
            ui,
            "io graph",
            &crate::tr!("axis-time"),
            &y_label,
            &series,
            self.log,
            egui_plot::Corner::RightTop,
        );
        if let Some(frame) = drawn.clicked_frame {
            actions.push(Action::Select(frame.saturating_sub(1) as usize));
        }
        self.drawn = series;
        actions
    }
}
