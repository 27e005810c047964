//! Statistics ▸ Plots (Wireshark 4.6): every value of a numeric field against time,
//! one dot per value, for the packets a display filter keeps. Computed on a worker
//! (`stats::io_graph::plot`); a click on a dot selects its packet.

use super::chart::{self, PlotSeries, Shape};
use super::worker::{Background, FIRST_LOOK, first_look_pays};
use super::{Inputs, StatsWindow};
use crate::dissect::registry;
use crate::filter::Filter;
use crate::stats::io_graph;
use crate::tcp::{Loaded, PacketPredicate};
use crate::ui::action::Action;
use crate::ui::theme::graph as colour;
use eframe::egui;
use egui_plot::MarkerShape;

/// Field and filter a plot was made for.
type Query = (String, String);

/// Statistics ▸ Plots.
#[derive(Debug)]
pub struct Plots {
    field: String,
    filter: String,
    applied: Query,
    data: Option<((usize, Query), Result<PlotSeries, String>)>,
    worker: Background<((usize, Query), Result<PlotSeries, String>)>,
}

impl Default for Plots {
    fn default() -> Self {
        let applied = ("tcp.analysis.ack_rtt".to_string(), String::new());
        Plots {
            field: applied.0.clone(),
            filter: applied.1.clone(),
            applied,
            data: None,
            worker: Background::default(),
        }
    }
}

/// The points of `field` over the packets `filter` keeps (of the first `first`
/// packets only for a first look).
fn compute(
    loaded: &Loaded,
    first: Option<usize>,
    field: &str,
    filter: &str,
) -> Result<PlotSeries, String> {
    let id = registry::lookup(field.trim())
        .ok_or_else(|| crate::tr!("io-not-a-field", field = field.trim()))?;
    let compiled = match filter.trim() {
        "" => None,
        text => Some(Filter::compile(text).map_err(|e| e.to_string())?),
    };
    let limit = compiled.as_ref().map(|f| f as &dyn PacketPredicate);
    let mut s = PlotSeries::new(
        field.trim(),
        colour::SEGMENT,
        Shape::Points(MarkerShape::Circle),
    );
    s.literal = true;
    let mut points = match first {
        Some(n) => io_graph::plot_first(loaded, n, limit, id),
        None => io_graph::plot(loaded, limit, id),
    };
    points.sort_by(|a, b| a.time_secs.total_cmp(&b.time_secs));
    for p in points {
        s.push(p.time_secs, p.value, p.frame);
    }
    Ok(s)
}

impl Plots {
    fn refresh(&mut self, inputs: &Inputs) {
        if let Some(done) = self.worker.poll() {
            self.data = Some(done);
        }
        let Some(shared) = inputs.shared.clone() else {
            return;
        };
        let key = (inputs.packets, self.applied.clone());
        let current = self.data.as_ref().map(|d| &d.0);
        if !self.worker.wants_when_idle(&key, current, inputs.loading) {
            return;
        }
        self.worker.start_with_partial(
            "synack-plots",
            shared,
            inputs.ctx.clone(),
            move |loaded, _cancel, partial| {
                let (field, filter) = &key.1;
                if first_look_pays(loaded, partial.wanted(), FIRST_LOOK) {
                    let first = compute(loaded, Some(FIRST_LOOK), field, filter);
                    partial.send((key.clone(), first));
                }
                let result = compute(loaded, None, field, filter);
                (key, result)
            },
        );
    }
}

impl StatsWindow for Plots {
    fn title(&self) -> &'static str {
        "Plots"
    }

    fn ready(&self) -> bool {
        self.data.is_some() && !self.worker.running()
    }

    fn shows_data(&self) -> bool {
        self.data.is_some()
    }

    fn default_size(&self) -> [f32; 2] {
        [860.0, 520.0]
    }

    fn show(&mut self, ui: &mut egui::Ui, inputs: &Inputs) -> Vec<Action> {
        let mut actions = Vec::new();
        self.refresh(inputs);
        ui.horizontal(|ui| {
            ui.label(super::shown("heading", "Y field"));
            ui.add(egui::TextEdit::singleline(&mut self.field).desired_width(200.0));
            ui.label(super::shown("heading", "Display filter"));
            ui.add(
                egui::TextEdit::singleline(&mut self.filter)
                    .desired_width(220.0)
                    .hint_text(crate::tr!("io-every-packet")),
            );
            if ui.button(crate::tr!("plots-plot")).clicked() {
                self.applied = (self.field.clone(), self.filter.clone());
            }
            if self.worker.running() {
                ui.spinner();
            }
        });
        let series: &[PlotSeries] = match self.data.as_ref().map(|d| &d.1) {
            Some(Ok(s)) => std::slice::from_ref(s),
            Some(Err(e)) => {
                ui.colored_label(crate::ui::theme::EXPERT_ERROR, e);
                &[]
            }
            None => &[],
        };
        let field = self.applied.0.clone();
        ui.horizontal(|ui| {
            let n: usize = series.iter().map(|s| s.points.len()).sum();
            ui.label(crate::tr!(
                "plots-values",
                count = n,
                field = field.as_str()
            ));
            if let Some(a) = chart::save_buttons(ui, "plot", || {
                chart::to_chart(
                    &crate::tr!("plots-title", field = field.as_str()),
                    &crate::tr!("axis-time"),
                    &field,
                    series,
                )
            }) {
                actions.push(a);
            }
        });
        let drawn = chart::draw(
            ui,
            "plots",
            &crate::tr!("axis-time"),
            &field,
            series,
            false,
            egui_plot::Corner::RightTop,
        );
        if let Some(frame) = drawn.clicked_frame {
            actions.push(Action::Select(frame.saturating_sub(1) as usize));
        }
        actions
    }
}
