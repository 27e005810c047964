//! The ladder of TCP streams as text for a terminal, a standalone SVG, or JSON. The
//! geometry ([`Layout`]) is shared with the GUI's flow pane, which draws the same
//! picture.

use crate::tcp::ladder::{Arrow, Ladder};
use std::fmt::Write as _;

/// Colours of the drawing (the GUI maps them onto its theme).
pub mod palette {
    /// Handshake arrows and bracket.
    pub const HANDSHAKE: &str = "#1f6fb5";
    /// Data arrows and bracket.
    pub const DATA: &str = "#5f6368";
    /// Close arrows and bracket.
    pub const CLOSE: &str = "#b03a2e";
    /// A state that changed with the packet.
    pub const CHANGED_FILL: &str = "#dcebfa";
    /// A state that did not change.
    pub const SAME_FILL: &str = "#eeeeee";
    /// Selected row.
    pub const SELECTED: &str = "#fff3c4";
    /// Text.
    pub const TEXT: &str = "#202124";
    /// Lane lines.
    pub const LANE: &str = "#9aa0a6";
    /// Analysis warnings (retransmissions...).
    pub const WARN: &str = "#c5221f";
}

/// Where things go in the drawing of one ladder, in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layout {
    /// Total width.
    pub width: f32,
    /// X of the left and right lanes.
    pub lanes: [f32; 2],
    /// Y of the first row.
    pub top: f32,
    /// Height of one row.
    pub row_height: f32,
    /// Rows.
    pub rows: usize,
}

impl Layout {
    /// The standard layout for `rows` arrows.
    pub fn new(rows: usize) -> Layout {
        Layout {
            width: 1120.0,
            lanes: [330.0, 800.0],
            top: 150.0,
            row_height: 78.0,
            rows,
        }
    }

    /// A layout for a pane `width` pixels wide: lanes at fixed proportions, rows a
    /// little shorter than the SVG's (the GUI's flow pane).
    pub fn fitted(width: f32, rows: usize) -> Layout {
        let width = width.max(420.0);
        Layout {
            width,
            lanes: [width * 0.30, width * 0.74],
            top: 64.0,
            row_height: 60.0,
            rows,
        }
    }

    /// Y where row `i`'s arrow starts.
    pub fn row_y(&self, i: usize) -> f32 {
        self.top + self.row_height * i as f32
    }

    /// Start and end of the arrow of a packet sent by `from` on row `i`.
    pub fn arrow(&self, i: usize, from: usize) -> ((f32, f32), (f32, f32)) {
        let y = self.row_y(i) + 14.0;
        let (a, b) = if from == 0 {
            (self.lanes[0], self.lanes[1])
        } else {
            (self.lanes[1], self.lanes[0])
        };
        ((a, y), (b, y + 22.0))
    }

    /// Bottom of the lanes.
    pub fn bottom(&self) -> f32 {
        self.row_y(self.rows) + 10.0
    }

    /// Total height (with room for the explanation box).
    pub fn height(&self) -> f32 {
        self.bottom() + 110.0
    }
}

/// The colour of a phase.
pub fn phase_colour(phase: &str) -> &'static str {
    match phase {
        "handshake" => palette::HANDSHAKE,
        "close" => palette::CLOSE,
        _ => palette::DATA,
    }
}

/// The main label of an arrow: flags and the seed's relation in letters, or the
/// length for data.
pub fn arrow_label(a: &Arrow) -> String {
    if !a.relation.is_empty() {
        return format!("{}   {}", a.flags, a.relation);
    }
    if a.len > 0 {
        format!("{}   len {}", a.flags, a.len)
    } else {
        a.flags.clone()
    }
}

/// The line under an arrow: the numbers, and what the payload says.
pub fn arrow_detail(a: &Arrow) -> String {
    if a.app.is_empty() {
        a.numbers.clone()
    } else {
        format!("{}   {}", a.numbers, a.app)
    }
}

/// Where a segment's sequence numbers end: seq + len, plus one for a SYN or a FIN.
pub fn seg_end(a: &Arrow) -> u32 {
    let extra = u32::from(a.flags.contains("SYN")) + u32::from(a.flags.contains("FIN"));
    a.seq.wrapping_add(a.len).wrapping_add(extra)
}

/// The earlier arrow (index) from the other side that `ack` acknowledges exactly.
pub fn acked_arrow(arrows: &[Arrow], i: usize) -> Option<usize> {
    let a = arrows.get(i)?;
    let ack = a.ack?;
    (i.saturating_sub(200)..i).rev().find(|&j| {
        arrows.get(j).is_some_and(|b| {
            b.from != a.from
                && seg_end(b) == ack
                && (b.len > 0 || b.flags.contains("SYN") || b.flags.contains("FIN"))
        })
    })
}

/// The arithmetic written beside an arrow (ack = seq + len), with the absolute
/// numbers on a second line when asked.
pub fn arithmetic(arrows: &[Arrow], i: usize, absolute_too: bool) -> String {
    let Some(a) = arrows.get(i) else {
        return String::new();
    };
    // Handshake and close arrows keep their x, y, u, w numbers.
    let mut parts = Vec::new();
    if !a.relation.is_empty() {
        parts.push(arrow_detail(a));
    }
    if a.relation.is_empty() && a.len > 0 {
        let end = a.seq.wrapping_add(a.len);
        parts.push(crate::tr!(
            "arith-data",
            seq = a.seq.to_string(),
            len = a.len.to_string(),
            end = end.to_string()
        ));
    }
    if a.relation.is_empty()
        && let Some(b) = acked_arrow(arrows, i).and_then(|j| arrows.get(j))
        && b.len > 0
    {
        parts.push(crate::tr!(
            "arith-ack",
            ack = seg_end(b).to_string(),
            seq = b.seq.to_string(),
            len = b.len.to_string(),
            frame = b.frame.to_string()
        ));
    }
    if parts.is_empty() {
        parts.push(arrow_detail(a));
    }
    let mut s = parts.join(&crate::tr!("arith-join"));
    if absolute_too {
        // On a line of its own: beside the relative ones it ran past the window.
        match a.ack_raw {
            Some(ack) => {
                s.push('\n');
                s.push_str(&crate::tr!(
                    "arith-absolute",
                    seq = a.seq_raw.to_string(),
                    ack = ack.to_string()
                ));
            }
            None => {
                s.push('\n');
                s.push_str(&crate::tr!(
                    "arith-absolute-no-ack",
                    seq = a.seq_raw.to_string()
                ));
            }
        }
    }
    s
}

/// The ladders as text for a terminal.
pub fn text(ladders: &[Ladder]) -> String {
    const ARROW: usize = 44;
    written(|out| {
        for l in ladders {
            let heading = crate::tr!(
                if l.absolute {
                    "ladder-heading-absolute"
                } else {
                    "ladder-heading-relative"
                },
                stream = l.stream.to_string(),
                left = format!("{} {}", l.roles[0], l.endpoints[0]),
                right = format!("{} {}", l.roles[1], l.endpoints[1])
            );
            writeln!(out, "{heading}")?;
            writeln!(out, "{}", l.summary)?;
            writeln!(out)?;
            writeln!(
                out,
                "{} {}  {} {:<w$} {} {}",
                pad(&crate::tr!("ladder-col-frame"), 6, false),
                pad(&crate::tr!("ladder-col-time"), 10, true),
                pad(&l.roles[0], 13, false),
                "",
                pad(&l.roles[1], 13, false),
                crate::tr!("ladder-col-step"),
                w = ARROW + 2
            )?;
            writeln!(
                out,
                "{:<6} {:>10}  {:<13} {:<w$} {:<13}",
                "",
                "",
                l.initial_states[0],
                "",
                l.initial_states[1],
                w = ARROW + 2
            )?;
            let mut phase = String::new();
            for a in &l.arrows {
                if a.phase != phase {
                    phase = a.phase.clone();
                    let title = phase_title(&phase);
                    writeln!(out, "-- {title} --")?;
                }
                let mut label = arrow_label(a);
                if !a.analysis.is_empty() {
                    label = format!("{} {label}", a.analysis);
                }
                let label: String = label.chars().take(ARROW - 6).collect();
                let fill = ARROW.saturating_sub(label.chars().count() + 4);
                let arrow = if a.from == 0 {
                    format!("-- {label} {}>", "-".repeat(fill))
                } else {
                    format!("<{} {label} --", "-".repeat(fill))
                };
                let state =
                    |s: &str, changed: bool| format!("{s}{}", if changed { "*" } else { "" });
                writeln!(
                    out,
                    "#{:<5} {:>10.6}  {:<13}  {arrow}  {:<13} {}",
                    a.frame,
                    a.time,
                    state(&a.left_state, a.changed[0]),
                    state(&a.right_state, a.changed[1]),
                    a.step
                )?;
                writeln!(out, "{:<34}{}", "", arrow_detail(a))?;
                for lesson in &a.lessons {
                    writeln!(out, "{:<34}{lesson}", "")?;
                }
            }
            writeln!(out)?;
        }
        out.push_str(&crate::tr!("ladder-changed-note"));
        out.push('\n');
        Ok(())
    })
}

/// The ladders as JSON for tools.
pub fn json(ladders: &[Ladder]) -> String {
    serde_json::to_string_pretty(&serde_json::json!({ "streams": ladders }))
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// The SVG's font list: DejaVu Sans for Latin text, then the CJK fonts a system may
/// have and the subset `export::raster` bundles (Noto Sans SC), so Chinese labels draw.
pub const FONT_FAMILIES: &str =
    "DejaVu Sans, Noto Sans SC, Noto Sans CJK SC, WenQuanYi Micro Hei, Arial, sans-serif";

/// Ladders as one standalone SVG, one below the other. `selected` highlights a frame
/// and explains it (the first packet is explained when nothing is selected).
pub fn svg(ladders: &[(Ladder, String)], selected: Option<u32>) -> String {
    let width = Layout::new(0).width;
    let height: f32 = ladders
        .iter()
        .map(|(l, _)| Layout::new(l.arrows.len()).height())
        .sum();
    written(|s| {
        writeln!(
            s,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="{FONT_FAMILIES}">"#
        )?;
        writeln!(s, r##"<rect width="100%" height="100%" fill="#fcfcfb"/>"##)?;
        writeln!(s, r#"<defs>"#)?;
        for (name, colour) in [
            ("handshake", palette::HANDSHAKE),
            ("data", palette::DATA),
            ("close", palette::CLOSE),
        ] {
            writeln!(
                s,
                r#"<marker id="head-{name}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>"#
            )?;
        }
        writeln!(s, r#"</defs>"#)?;
        let mut y = 0.0;
        for (l, title) in ladders {
            writeln!(s, r#"<g transform="translate(0,{y})">"#)?;
            s.push_str(&svg_body(l, title, selected));
            s.push_str("</g>\n");
            y += Layout::new(l.arrows.len()).height();
        }
        s.push_str("</svg>\n");
        Ok(())
    })
}

fn svg_body(l: &Ladder, title: &str, selected: Option<u32>) -> String {
    let layout = Layout::new(l.arrows.len());
    written(|s| {
        writeln!(
            s,
            r#"<text x="24" y="36" font-size="20" font-weight="bold" fill="{}">{}</text>"#,
            palette::TEXT,
            super::xml_escape(title)
        )?;
        writeln!(
            s,
            r#"<text x="24" y="60" font-size="13" fill="{}">{}</text>"#,
            palette::TEXT,
            super::xml_escape(&l.summary)
        )?;
        for side in 0..2 {
            let x = layout.lanes[side];
            writeln!(
                s,
                r#"<text x="{x}" y="100" font-size="15" font-weight="bold" text-anchor="middle" fill="{}">{}</text>"#,
                palette::TEXT,
                super::xml_escape(&l.roles[side])
            )?;
            writeln!(
                s,
                r#"<text x="{x}" y="118" font-size="12" text-anchor="middle" fill="{}">{}</text>"#,
                palette::TEXT,
                super::xml_escape(&l.endpoints[side])
            )?;
            writeln!(
                s,
                r#"<line x1="{x}" y1="128" x2="{x}" y2="{}" stroke="{}" stroke-width="2"/>"#,
                layout.bottom(),
                palette::LANE
            )?;
        }
        // The selected frame's band first, so the phase bracket and its title (which
        // start at the phase's first row) stay drawn over it.
        for (i, a) in l.arrows.iter().enumerate() {
            if selected == Some(a.frame) {
                writeln!(
                    s,
                    r#"<rect x="34" y="{}" width="{}" height="{}" rx="4" fill="{}" stroke="{}"/>"#,
                    layout.row_y(i) - 10.0,
                    layout.width - 48.0,
                    layout.row_height - 4.0,
                    palette::SELECTED,
                    palette::TEXT
                )?;
            }
        }
        // Phase brackets.
        let mut i = 0;
        while i < l.arrows.len() {
            let phase = l.arrows[i].phase.clone();
            let mut j = i;
            while j + 1 < l.arrows.len() && l.arrows[j + 1].phase == phase {
                j += 1;
            }
            let (y0, y1) = (
                layout.row_y(i) - 6.0,
                layout.row_y(j) + layout.row_height - 12.0,
            );
            let colour = phase_colour(&phase);
            writeln!(
                s,
                r#"<path d="M48,{y0} L40,{y0} L40,{y1} L48,{y1}" fill="none" stroke="{colour}" stroke-width="3"/>"#
            )?;
            let name = phase_title(&phase);
            writeln!(
                s,
                r#"<text x="54" y="{}" font-size="12" font-weight="bold" fill="{colour}">{name}</text>"#,
                y0 + 12.0
            )?;
            i = j + 1;
        }
        for (i, a) in l.arrows.iter().enumerate() {
            let y = layout.row_y(i);
            let colour = phase_colour(&a.phase);
            writeln!(
                s,
                r#"<text x="56" y="{}" font-size="12" font-weight="bold" fill="{}">#{}</text>"#,
                y + 40.0,
                palette::TEXT,
                a.frame
            )?;
            writeln!(
                s,
                r#"<text x="56" y="{}" font-size="10" fill="{}">{:.6} s</text>"#,
                y + 54.0,
                palette::TEXT,
                a.time
            )?;
            let ((x1, y1), (x2, y2)) = layout.arrow(i, a.from);
            writeln!(
                s,
                r#"<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{colour}" stroke-width="2.5" marker-end="url(#head-{})"/>"#,
                a.phase
            )?;
            let mid = (layout.lanes[0] + layout.lanes[1]) / 2.0;
            let mut label = super::xml_escape(&arrow_label(a));
            if !a.analysis.is_empty() {
                label = format!(
                    r#"<tspan fill="{}">{}</tspan> {label}"#,
                    palette::WARN,
                    super::xml_escape(&a.analysis)
                );
            }
            writeln!(
                s,
                r#"<text x="{mid}" y="{}" font-size="14" font-weight="bold" text-anchor="middle" fill="{colour}">{label}</text>"#,
                y + 6.0
            )?;
            writeln!(
                s,
                r#"<text x="{mid}" y="{}" font-size="11" text-anchor="middle" fill="{}">{}</text>"#,
                y + 56.0,
                palette::TEXT,
                super::xml_escape(&arithmetic(&l.arrows, i, false))
            )?;
            // A thin dashed connector on the ACK's sender's lane, from where the
            // segment it acknowledges arrived to where the ACK leaves.
            if let Some(j) = acked_arrow(&l.arrows, i)
                && let Some(b) = l.arrows.get(j)
            {
                let (_, (ex, ey)) = layout.arrow(j, b.from);
                let inward = if a.from == 0 { 16.0 } else { -16.0 };
                writeln!(
                    s,
                    r#"<polyline points="{ex},{ey} {},{ey} {},{y1} {x1},{y1}" fill="none" stroke="{}" stroke-width="1" stroke-dasharray="4 3"/>"#,
                    ex + inward,
                    x1 + inward,
                    palette::LANE
                )?;
            }
            for side in 0..2 {
                let state = if side == 0 {
                    &a.left_state
                } else {
                    &a.right_state
                };
                let fill = if a.changed[side] {
                    palette::CHANGED_FILL
                } else {
                    palette::SAME_FILL
                };
                let stroke = if a.changed[side] {
                    palette::HANDSHAKE
                } else {
                    palette::LANE
                };
                let pw = 8.0 * state.len() as f32 + 18.0;
                let px = if side == 0 {
                    layout.lanes[0] - 12.0 - pw
                } else {
                    layout.lanes[1] + 12.0
                };
                let py = y + 26.0;
                writeln!(
                    s,
                    r#"<rect x="{px}" y="{py}" width="{pw}" height="22" rx="11" fill="{fill}" stroke="{stroke}"/>"#
                )?;
                writeln!(
                    s,
                    r#"<text x="{}" y="{}" font-size="12" text-anchor="middle" fill="{}">{}</text>"#,
                    px + pw / 2.0,
                    py + 15.0,
                    palette::TEXT,
                    super::xml_escape(state)
                )?;
            }
        }
        let explained = selected
            .and_then(|f| l.arrows.iter().find(|a| a.frame == f))
            .or(l.arrows.first());
        if let Some(a) = explained {
            let y = layout.bottom() + 16.0;
            writeln!(
                s,
                r##"<rect x="24" y="{y}" width="{}" height="76" rx="6" fill="#eef6ee" stroke="#9cc59c"/>"##,
                layout.width - 48.0
            )?;
            writeln!(
                s,
                r#"<text x="40" y="{}" font-size="14" font-weight="bold" fill="{}">{}</text>"#,
                y + 24.0,
                palette::TEXT,
                super::xml_escape(&crate::tr!(
                    "ladder-packet-title",
                    frame = a.frame.to_string(),
                    step = a.step.as_str()
                ))
            )?;
            let lines = wrap(&a.explain, 130);
            for (k, line) in lines.iter().take(2).enumerate() {
                writeln!(
                    s,
                    r#"<text x="40" y="{}" font-size="13" fill="{}">{}</text>"#,
                    y + 46.0 + 18.0 * k as f32,
                    palette::TEXT,
                    super::xml_escape(line)
                )?;
            }
        }
        Ok(())
    })
}

/// A phase's title in the current language (`handshake`, `data`, `close` are the
/// JSON's values).
fn phase_title(phase: &str) -> String {
    crate::tr!(match phase {
        "handshake" => "phase-title-handshake",
        "close" => "phase-title-close",
        _ => "phase-title-data",
    })
}

/// Columns a terminal gives `c`: two for East Asian wide characters (CJK ideographs,
/// kana, Hangul, full-width forms), one otherwise.
fn columns(c: char) -> usize {
    match u32::from(c) {
        0x1100..=0x115f
        | 0x2e80..=0x303e
        | 0x3041..=0x33ff
        | 0x3400..=0x4dbf
        | 0x4e00..=0x9fff
        | 0xa000..=0xa4cf
        | 0xac00..=0xd7a3
        | 0xf900..=0xfaff
        | 0xfe30..=0xfe4f
        | 0xff00..=0xff60
        | 0xffe0..=0xffe6 => 2,
        _ => 1,
    }
}

/// `text` broken into lines of at most `width` columns: at spaces, and between any two
/// wide characters (Chinese has no spaces between words).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    let mut used = 0;
    // Tokens: a run of narrow non-space characters, or one wide character.
    let mut tokens: Vec<(String, bool)> = Vec::new();
    for c in text.chars() {
        if c == ' ' {
            tokens.push((String::new(), true));
        } else if columns(c) == 2 {
            tokens.push((c.to_string(), false));
        } else {
            match tokens.last_mut() {
                Some((t, false)) if t.chars().last().is_some_and(|l| columns(l) == 1) => t.push(c),
                _ => tokens.push((c.to_string(), false)),
            }
        }
    }
    let mut space = false;
    for (token, is_space) in tokens {
        if is_space {
            space = true;
            continue;
        }
        let w: usize = token.chars().map(columns).sum();
        let gap = usize::from(space && used > 0);
        if used > 0 && used + gap + w > width {
            lines.push(String::new());
            used = 0;
        } else if gap == 1 {
            if let Some(last) = lines.last_mut() {
                last.push(' ');
            }
            used += 1;
        }
        if let Some(last) = lines.last_mut() {
            last.push_str(&token);
        }
        used += w;
        space = false;
    }
    lines
}

/// `text` padded with spaces to `width` terminal columns (`format!`'s `{:<13}` counts
/// characters, which misaligns Chinese).
fn pad(text: &str, width: usize, right: bool) -> String {
    let used: usize = text.chars().map(columns).sum();
    let fill = " ".repeat(width.saturating_sub(used));
    if right {
        format!("{fill}{text}")
    } else {
        format!("{text}{fill}")
    }
}

/// What `write` writes into a new `String`. Writing to a `String` cannot fail; the
/// `fmt::Result` only lets the writers use `?` instead of ignoring each result.
pub(crate) fn written(write: impl FnOnce(&mut String) -> std::fmt::Result) -> String {
    let mut text = String::new();
    write(&mut text).map(|()| text).unwrap_or_default()
}
