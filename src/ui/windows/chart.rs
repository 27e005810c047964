//! What the chart windows share: saving a chart as PNG, SVG or CSV (rendered and
//! written on the export worker), and thinning a series to what the plot's width
//! can show, so a million points draw in a frame.

use crate::export::chart::{self, Chart};
use crate::ui::action::Action;
use eframe::egui;
use egui_plot::{
    Arrows, Corner, HoverPosition, Legend, Line, MarkerShape, Plot, PlotPoint, Points,
    format_number,
};
use std::path::PathBuf;

/// A file format a chart is saved in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartFormat {
    /// A picture (the SVG rasterised).
    Png,
    /// A vector picture.
    Svg,
    /// The data.
    Csv,
}

impl ChartFormat {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ChartFormat::Png => "png",
            ChartFormat::Svg => "svg",
            ChartFormat::Csv => "csv",
        }
    }
}

/// A chart to save (`Action::SaveChart`).
#[derive(Debug, Clone)]
pub struct SaveChart {
    /// The file name offered (without extension).
    pub name: String,
    /// The format.
    pub format: ChartFormat,
    /// Where to write (`None`: ask).
    pub path: Option<PathBuf>,
    /// What to write.
    pub chart: Chart,
}

impl SaveChart {
    /// The file's bytes (runs on the export worker).
    pub fn render(&self) -> Result<Vec<u8>, String> {
        match self.format {
            ChartFormat::Svg => Ok(chart::svg(&self.chart).into_bytes()),
            ChartFormat::Csv => Ok(chart::csv(&self.chart).into_bytes()),
            ChartFormat::Png => crate::export::raster::svg_to_png(&chart::svg(&self.chart)),
        }
    }
}

/// The Save buttons of a chart window; `make` builds the chart when one is clicked.
pub fn save_buttons(ui: &mut egui::Ui, name: &str, make: impl Fn() -> Chart) -> Option<Action> {
    let mut action = None;
    for (label, format) in [
        ("ladder-save-png", ChartFormat::Png),
        ("ladder-save-svg", ChartFormat::Svg),
        ("chart-save-csv", ChartFormat::Csv),
    ] {
        if ui.button(crate::tr!(label)).clicked() {
            action = Some(Action::SaveChart(SaveChart {
                name: name.to_string(),
                format,
                path: None,
                chart: make(),
            }));
        }
    }
    action
}

/// An egui colour as the chart file's RGB.
pub fn rgb(c: egui::Color32) -> [u8; 3] {
    [c.r(), c.g(), c.b()]
}

/// Which of `points` (sorted by x) a plot `columns` pixels wide shows between `lo`
/// and `hi`: all when they are few, else the lowest and highest of each column (the
/// shape a line or scatter draws stays the same), plus one point on each side so
/// lines reach the edges. Returns indices into `points`.
pub fn thin(points: &[[f64; 2]], lo: f64, hi: f64, columns: usize) -> Vec<usize> {
    thin_with(points, &[], lo, hi, columns)
}

/// [`thin`] of a series' points, reading its blocks' extremes instead of every
/// point where a column holds many blocks' worth of points.
fn thin_series(s: &PlotSeries, lo: f64, hi: f64, columns: usize) -> Vec<usize> {
    thin_with(&s.points, &s.extremes, lo, hi, columns)
}

fn thin_with(
    points: &[[f64; 2]],
    extremes: &[(u32, u32)],
    lo: f64,
    hi: f64,
    columns: usize,
) -> Vec<usize> {
    let start = points.partition_point(|p| p[0] < lo).saturating_sub(1);
    let end = (points.partition_point(|p| p[0] <= hi) + 1).min(points.len());
    let columns = columns.max(1);
    if end <= start {
        return Vec::new();
    }
    if end - start <= columns * 4 || hi <= lo {
        return (start..end).collect();
    }
    let width = (hi - lo) / columns as f64;
    let mut out = Vec::with_capacity(columns * 2 + 2);
    // Per column: its number, the index of its lowest and of its highest point.
    let mut bucket: Option<(i64, usize, usize)> = None;
    let y = |i: usize| points.get(i).map_or(0.0, |p| p[1]);
    let column_of = |i: usize| ((points.get(i).map_or(lo, |p| p[0]) - lo) / width).floor() as i64;
    // Candidates: every point, or (for many points a column) each block's lowest and
    // highest, placed in the column of the block's first point; the blocks at the
    // ends of the view stay whole, so the edges keep a point beyond them.
    let by_blocks = extremes.len() * EXTREMES_BLOCK >= points.len()
        && end - start > columns * 4 * EXTREMES_BLOCK;
    let candidates: Box<dyn Iterator<Item = (usize, usize, usize)>> = if by_blocks {
        let blocks = extremes
            .get(start / EXTREMES_BLOCK..end.div_ceil(EXTREMES_BLOCK))
            .unwrap_or_default();
        Box::new(
            blocks
                .iter()
                .zip(start / EXTREMES_BLOCK..)
                .map(|(e, b)| (b * EXTREMES_BLOCK, e.0 as usize, e.1 as usize)),
        )
    } else {
        Box::new((start..end).map(|i| (i, i, i)))
    };
    for (first, low, high) in candidates {
        let b = column_of(first);
        match &mut bucket {
            Some((k, min, max)) if *k == b => {
                if y(low) < y(*min) {
                    *min = low;
                }
                if y(high) > y(*max) {
                    *max = high;
                }
            }
            _ => {
                if let Some((_, min, max)) = bucket.take() {
                    push_pair(&mut out, min, max);
                }
                bucket = Some((b, low, high));
            }
        }
    }
    if let Some((_, min, max)) = bucket {
        push_pair(&mut out, min, max);
    }
    out
}

fn push_pair(out: &mut Vec<usize>, a: usize, b: usize) {
    if a == b {
        out.push(a);
    } else {
        out.extend([a.min(b), a.max(b)]);
    }
}

/// How a series is drawn in the window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shape {
    /// Points joined by lines.
    Line,
    /// A step line: each value holds until the next point.
    Step,
    /// Marks.
    Points(MarkerShape),
    /// Vertical bars from each point's y up to [`PlotSeries::tops`].
    Bars,
}

/// One series a chart window draws.
#[derive(Debug, Clone)]
pub struct PlotSeries {
    /// Legend name.
    pub name: String,
    /// Colour.
    pub color: egui::Color32,
    /// How it is drawn.
    pub shape: Shape,
    /// Points (x, y), sorted by x.
    pub points: Vec<[f64; 2]>,
    /// For [`Shape::Bars`], the top of each bar.
    pub tops: Vec<f64>,
    /// The frame of each point (0: none), for click-to-select.
    pub frames: Vec<u32>,
    /// The legend shows `name` as it is (a name the user typed, a field
    /// abbreviation) instead of looking it up as `series-` + its English slug.
    pub literal: bool,
    /// Per [`EXTREMES_BLOCK`] points, the indices of the lowest and highest: a
    /// chart of millions of points thins a wide view from these, not from every
    /// point, so that panning it keeps its frames short.
    extremes: Vec<(u32, u32)>,
}

/// Points per entry of [`PlotSeries`]'s extremes.
const EXTREMES_BLOCK: usize = 64;

/// A series' legend name in the current language.
fn legend_name(s: &PlotSeries) -> String {
    if s.literal {
        s.name.clone()
    } else {
        super::shown("series", &s.name)
    }
}

impl PlotSeries {
    /// A series of `shape` with no points yet.
    pub fn new(name: impl Into<String>, color: egui::Color32, shape: Shape) -> Self {
        PlotSeries {
            name: name.into(),
            color,
            shape,
            points: Vec::new(),
            tops: Vec::new(),
            frames: Vec::new(),
            literal: false,
            extremes: Vec::new(),
        }
    }

    /// Adds a point of frame `frame`.
    pub fn push(&mut self, x: f64, y: f64, frame: u32) {
        let i = self.points.len();
        let index = u32::try_from(i).unwrap_or(u32::MAX);
        let y_at = |k: u32| self.points.get(k as usize).map_or(y, |p| p[1]);
        match self.extremes.last() {
            Some(&(low, high)) if !i.is_multiple_of(EXTREMES_BLOCK) => {
                let low = if y < y_at(low) { index } else { low };
                let high = if y > y_at(high) { index } else { high };
                if let Some(last) = self.extremes.last_mut() {
                    *last = (low, high);
                }
            }
            _ => self.extremes.push((index, index)),
        }
        self.points.push([x, y]);
        self.frames.push(frame);
    }

    /// Adds a bar from `y` to `top`.
    pub fn push_bar(&mut self, x: f64, y: f64, top: f64, frame: u32) {
        self.push(x, y, frame);
        self.tops.push(top);
    }
}

/// The series as a chart file (see `export::chart`).
pub fn to_chart(title: &str, x_label: &str, y_label: &str, series: &[PlotSeries]) -> Chart {
    Chart {
        title: title.to_string(),
        x_label: x_label.to_string(),
        y_label: y_label.to_string(),
        series: series
            .iter()
            .filter(|s| !s.points.is_empty())
            .map(|s| chart::Series {
                name: legend_name(s),
                rgb: rgb(s.color),
                style: match s.shape {
                    Shape::Line | Shape::Step => chart::Style::Line,
                    Shape::Points(_) => chart::Style::Points,
                    Shape::Bars => chart::Style::Bars,
                },
                points: match s.shape {
                    Shape::Bars => s
                        .points
                        .iter()
                        .zip(&s.tops)
                        .map(|(p, top)| [p[0], *top])
                        .collect(),
                    _ => s.points.clone(),
                },
            })
            .collect(),
    }
}

/// What a drawn chart reports.
#[derive(Debug, Default)]
pub struct Drawn {
    /// The frame of the point the user clicked.
    pub clicked_frame: Option<u32>,
}

/// A value axis tick's label with as many decimals as its grid step needs (ticks
/// 0.0001 s apart read 0.0003, not 0.000), and 0 for a mark a rounding error away
/// from it (never "-0.000").
fn tick_text(value: f64, step: f64) -> String {
    let decimals = if step > 0.0 && step.is_finite() {
        (-step.log10().floor()).clamp(0.0, 12.0) as usize
    } else {
        3
    };
    let value = if value.abs() < step.abs() * 1e-6 {
        0.0
    } else {
        value
    };
    format_number(value, decimals)
}

/// Draws `series` in an egui_plot plot with a legend, zoom and pan, a crosshair
/// whose label names the values under it, only the points the width can show, and
/// `log_y` on a log10 axis (values at or below 0 left out), the legend in corner
/// `legend` (where the data is not: a sequence graph ends top right, an I/O graph
/// often starts top left).
pub fn draw(
    ui: &mut egui::Ui,
    id: &str,
    x_label: &str,
    y_label: &str,
    series: &[PlotSeries],
    log_y: bool,
    legend: Corner,
) -> Drawn {
    ui.weak(crate::tr!("chart-hint"));
    let y_of = move |y: f64| if log_y { y.log10() } else { y };
    let y_name = y_label.to_string();
    let plot = Plot::new(id)
        .legend(
            Legend::default()
                .position(legend)
                .follow_insertion_order(true),
        )
        .x_axis_label(x_label)
        .y_axis_label(y_label)
        .show_crosshair(true)
        // Room above the data for the legend.
        .set_margin_fraction(egui::vec2(0.05, 0.18))
        .allow_boxed_zoom(true)
        .y_axis_formatter(move |mark, _| {
            if log_y {
                format_number(10f64.powf(mark.value), 3)
            } else {
                tick_text(mark.value, mark.step_size)
            }
        })
        .label_formatter(move |pos: &HoverPosition<'_>| {
            let (name, p) = match pos {
                HoverPosition::NearDataPoint {
                    plot_name,
                    position,
                    ..
                } => (*plot_name, position),
                HoverPosition::Elsewhere { position } => ("", position),
            };
            let y = if log_y { 10f64.powf(p.y) } else { p.y };
            Some(
                format!("{name}\n{:.6} s\n{y_name}: {}", p.x, format_number(y, 6))
                    .trim_start()
                    .to_string(),
            )
        });
    // Bounds from the data's x span: a series of one x value would otherwise
    // open on egui_plot's default ±1000.
    let xs = series
        .iter()
        .flat_map(|s| [s.points.first(), s.points.last()])
        .flatten()
        .map(|p| p[0]);
    let (x_lo, x_hi) = xs.fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(x), b.max(x)));
    let plot = if x_lo <= x_hi {
        plot.include_x(x_lo).include_x(x_hi.max(x_lo + 1e-3))
    } else {
        plot
    };
    let response = plot.show(ui, |plot_ui| {
        let bounds = plot_ui.plot_bounds();
        let (lo, hi) = (bounds.min()[0], bounds.max()[0]);
        let columns = plot_ui.response().rect.width().max(1.0) as usize;
        for s in series {
            let keep = if matches!(s.shape, Shape::Step | Shape::Line) && s.points.len() > 1 {
                thin_series(s, lo, hi, columns)
            } else {
                thin_series(s, lo, hi, columns * 4)
            };
            let pick = |i: &usize| s.points.get(*i).map(|p| [p[0], y_of(p[1])]);
            let finite = |p: &[f64; 2]| p[1].is_finite();
            match s.shape {
                Shape::Line => {
                    let pts: Vec<[f64; 2]> = keep.iter().filter_map(pick).filter(finite).collect();
                    if pts.len() == 1 {
                        // A line of one point draws nothing: show the point.
                        plot_ui.points(
                            Points::new(legend_name(s), pts.clone())
                                .color(s.color)
                                .radius(3.0),
                        );
                    }
                    plot_ui.line(Line::new(legend_name(s), pts).color(s.color));
                }
                Shape::Step => {
                    let mut pts: Vec<[f64; 2]> = Vec::with_capacity(keep.len() * 2);
                    for p in keep.iter().filter_map(pick).filter(finite) {
                        if let Some(last) = pts.last().copied() {
                            pts.push([p[0], last[1]]);
                        }
                        pts.push(p);
                    }
                    // Its vertical risers are not noise to fold into a band.
                    plot_ui.line(
                        Line::new(legend_name(s), pts)
                            .color(s.color)
                            .allow_band(false),
                    );
                }
                Shape::Points(marker) => {
                    let pts: Vec<[f64; 2]> = keep.iter().filter_map(pick).filter(finite).collect();
                    plot_ui.points(
                        Points::new(legend_name(s), pts)
                            .color(s.color)
                            .shape(marker)
                            .radius(2.5)
                            .filled(true),
                    );
                }
                Shape::Bars => {
                    let mut from = Vec::with_capacity(keep.len());
                    let mut to = Vec::with_capacity(keep.len());
                    for i in &keep {
                        if let (Some(p), Some(top)) = (s.points.get(*i), s.tops.get(*i)) {
                            from.push([p[0], y_of(p[1])]);
                            to.push([p[0], y_of(*top)]);
                        }
                    }
                    // Highlighted arrows are drawn 2 px wide: a 1 px segment bar
                    // is hard to see among the ACK and window lines.
                    plot_ui.arrows(
                        Arrows::new(legend_name(s), from, to)
                            .color(s.color)
                            .tip_length(0.0)
                            .highlight(true),
                    );
                }
            }
        }
    });
    let mut drawn = Drawn::default();
    if response.response.clicked()
        && let Some(pointer) = response.response.interact_pointer_pos()
    {
        let t = &response.transform;
        let mut best: Option<(f32, u32)> = None;
        let (lo, hi) = (t.bounds().min()[0], t.bounds().max()[0]);
        for s in series {
            let start = s.points.partition_point(|p| p[0] < lo);
            let end = s.points.partition_point(|p| p[0] <= hi);
            for i in start..end {
                let (Some(p), Some(frame)) = (s.points.get(i), s.frames.get(i)) else {
                    continue;
                };
                if *frame == 0 {
                    continue;
                }
                let at = t.position_from_point(&PlotPoint::new(p[0], y_of(p[1])));
                let d = at.distance(pointer);
                if d < 12.0 && best.is_none_or(|(b, _)| d < b) {
                    best = Some((d, *frame));
                }
            }
        }
        drawn.clicked_frame = best.map(|(_, f)| f);
    }
    drawn
}

#[cfg(test)]
mod tests {

    #[test]
    fn ticks_show_the_decimals_their_step_needs() {
        assert_eq!(super::tick_text(0.0003, 0.0001), "0.0003");
        assert_eq!(super::tick_text(-1e-19, 0.0001), "0");
        assert_eq!(super::tick_text(250.0, 50.0), "250");
        assert_eq!(super::tick_text(0.5, 0.5), "0.5");
    }

    use super::*;

    #[test]
    fn thinning_keeps_each_columns_extremes() {
        let points: Vec<[f64; 2]> = (0..10_000).map(|i| [i as f64, (i % 7) as f64]).collect();
        let few = thin(&points, 0.0, 10_000.0, 100);
        assert!(few.len() <= 202);
        assert!(few.iter().any(|i| points[*i][1] == 6.0));
        assert!(few.iter().any(|i| points[*i][1] == 0.0));
        let all = thin(&points, 10.0, 20.0, 100);
        assert_eq!(all.len(), 13);
    }

    #[test]
    fn millions_of_points_thin_from_their_blocks_extremes() {
        let mut s = PlotSeries::new(
            "rtt",
            egui::Color32::RED,
            Shape::Points(MarkerShape::Circle),
        );
        for i in 0..2_000_000u32 {
            let y = if i == 1_234_567 {
                99.0
            } else {
                f64::from(i % 13)
            };
            s.push(f64::from(i), y, i + 1);
        }
        let kept = thin_series(&s, 0.0, 2_000_000.0, 500);
        assert!(kept.len() <= 1_002, "{}", kept.len());
        assert!(kept.windows(2).all(|w| w[0] < w[1]));
        assert!(kept.contains(&1_234_567));
        assert!(kept.iter().any(|i| s.points[*i][1] == 0.0));
        // A narrow view still thins point by point.
        assert_eq!(
            thin_series(&s, 10.0, 20.0, 500),
            thin(&s.points, 10.0, 20.0, 500)
        );
    }
}
