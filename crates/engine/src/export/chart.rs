//! A chart of the Statistics windows (stream graphs, I/O graph, Plots) saved as SVG
//! (and through `raster.rs` as PNG) or its data as CSV. The window draws the same
//! series with egui_plot; this writes them for a report.

/// Appends a formatted line to a `String` (writing to a string cannot fail).
macro_rules! put {
    ($s:expr, $($t:tt)*) => {{
        $s.push_str(&format!($($t)*));
        $s.push('\n');
    }};
}

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Points joined by lines.
    Line,
    /// Marks at the points.
    Points,
    /// Vertical bars from 0 (or, for a pair of points, from the first to the second).
    Bars,
}

/// One named series.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend name.
    pub name: String,
    /// Colour as RGB.
    pub rgb: [u8; 3],
    /// How it is drawn.
    pub style: Style,
    /// Points (x, y).
    pub points: Vec<[f64; 2]>,
}

/// A chart: title, axis names and series.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Chart {
    /// Title above the plot.
    pub title: String,
    /// X axis name.
    pub x_label: String,
    /// Y axis name.
    pub y_label: String,
    /// The series, drawn in order.
    pub series: Vec<Series>,
}

const WIDTH: f64 = 900.0;
const HEIGHT: f64 = 540.0;
const LEFT: f64 = 80.0;
const RIGHT: f64 = 180.0;
const TOP: f64 = 40.0;
const BOTTOM: f64 = 50.0;

/// Tick positions: about `n` round values between `lo` and `hi`.
fn ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    let span = hi - lo;
    if span <= 0.0 || !span.is_finite() {
        return vec![lo];
    }
    let raw = span / n.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(raw);
    let mut out = Vec::new();
    let mut t = (lo / step).ceil() * step;
    while t <= hi + step * 1e-9 && out.len() < 50 {
        out.push(t);
        t += step;
    }
    out
}

/// The chart as an SVG document.
pub fn svg(chart: &Chart) -> String {
    let all = chart.series.iter().flat_map(|s| s.points.iter());
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, 0.0f64, f64::MIN);
    for p in all {
        x0 = x0.min(p[0]);
        x1 = x1.max(p[0]);
        y0 = y0.min(p[1]);
        y1 = y1.max(p[1]);
    }
    if x0 > x1 {
        (x0, x1, y1) = (0.0, 1.0, 1.0);
    }
    if x1 <= x0 {
        x1 = x0 + 1.0;
    }
    if y1 <= y0 {
        y1 = y0 + 1.0;
    }
    let pw = WIDTH - LEFT - RIGHT;
    let ph = HEIGHT - TOP - BOTTOM;
    let sx = |x: f64| LEFT + (x - x0) / (x1 - x0) * pw;
    let sy = |y: f64| TOP + ph - (y - y0) / (y1 - y0) * ph;
    let mut s = String::new();
    put!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">"#
    );
    put!(s, r#"<rect width="100%" height="100%" fill="white"/>"#);
    put!(
        s,
        r#"<text x="{}" y="24" text-anchor="middle" font-size="15">{}</text>"#,
        LEFT + pw / 2.0,
        super::xml_escape(&chart.title)
    );
    for t in ticks(x0, x1, 8) {
        let x = sx(t);
        put!(
            s,
            r##"<line x1="{x:.1}" y1="{TOP}" x2="{x:.1}" y2="{:.1}" stroke="#e0e0e0"/><text x="{x:.1}" y="{:.1}" text-anchor="middle">{}</text>"##,
            TOP + ph,
            TOP + ph + 16.0,
            number(t)
        );
    }
    for t in ticks(y0, y1, 6) {
        let y = sy(t);
        put!(
            s,
            r##"<line x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#e0e0e0"/><text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"##,
            LEFT + pw,
            LEFT - 6.0,
            y + 4.0,
            number(t)
        );
    }
    put!(
        s,
        r#"<rect x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}" fill="none" stroke="black"/>"#
    );
    put!(
        s,
        r#"<text x="{}" y="{}" text-anchor="middle">{}</text>"#,
        LEFT + pw / 2.0,
        HEIGHT - 10.0,
        super::xml_escape(&chart.x_label)
    );
    put!(
        s,
        r#"<text transform="translate(18 {}) rotate(-90)" text-anchor="middle">{}</text>"#,
        TOP + ph / 2.0,
        super::xml_escape(&chart.y_label)
    );
    for (k, series) in chart.series.iter().enumerate() {
        let [r, g, b] = series.rgb;
        let colour = format!("rgb({r},{g},{b})");
        match series.style {
            Style::Line => {
                let path: Vec<String> = series
                    .points
                    .iter()
                    .map(|p| format!("{:.1},{:.1}", sx(p[0]), sy(p[1])))
                    .collect();
                put!(
                    s,
                    r#"<polyline fill="none" stroke="{colour}" stroke-width="1.5" points="{}"/>"#,
                    path.join(" ")
                );
            }
            Style::Points => {
                for p in &series.points {
                    put!(
                        s,
                        r#"<circle cx="{:.1}" cy="{:.1}" r="2.5" fill="{colour}"/>"#,
                        sx(p[0]),
                        sy(p[1])
                    );
                }
            }
            Style::Bars => {
                for p in &series.points {
                    put!(
                        s,
                        r#"<line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}" stroke="{colour}" stroke-width="2"/>"#,
                        sy(y0.max(0.0)),
                        sy(p[1]),
                        x = sx(p[0]),
                    );
                }
            }
        }
        let ly = TOP + 14.0 + k as f64 * 18.0;
        let lx = LEFT + pw + 12.0;
        put!(
            s,
            r#"<rect x="{lx}" y="{:.1}" width="12" height="12" fill="{colour}"/><text x="{}" y="{ly:.1}">{}</text>"#,
            ly - 10.0,
            lx + 18.0,
            super::xml_escape(&series.name)
        );
    }
    s.push_str("</svg>\n");
    s
}

/// A tick label: integers as such, others with up to 6 significant decimals.
fn number(v: f64) -> String {
    if v == v.trunc() && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        let text = format!("{v:.6}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// The chart's data as CSV: one row per point, `series,x,y`.
pub fn csv(chart: &Chart) -> String {
    let mut s = String::new();
    let quote = |t: &str| format!("\"{}\"", t.replace('"', "\"\""));
    put!(
        s,
        "series,{},{}",
        quote(&chart.x_label),
        quote(&chart.y_label)
    );
    for series in &chart.series {
        for p in &series.points {
            put!(s, "{},{},{}", quote(&series.name), p[0], p[1]);
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_writes_its_points_as_svg_and_csv() {
        let chart = Chart {
            title: "t".into(),
            x_label: "Time (s)".into(),
            y_label: "Packets".into(),
            series: vec![Series {
                name: "all <packets>".into(),
                rgb: [0, 0, 255],
                style: Style::Line,
                points: vec![[0.0, 1.0], [1.0, 3.0]],
            }],
        };
        let svg = svg(&chart);
        assert!(svg.contains("<polyline"));
        assert!(svg.contains("all &lt;packets&gt;"));
        let csv = csv(&chart);
        assert_eq!(
            csv,
            "series,\"Time (s)\",\"Packets\"\n\"all <packets>\",0,1\n\"all <packets>\",1,3\n"
        );
        assert_eq!(ticks(0.0, 10.0, 5), vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
    }
}
