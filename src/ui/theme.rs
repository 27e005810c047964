//! Every colour the window uses, in one place (no colour literals elsewhere in `ui`).

use eframe::egui::{Color32, Visuals};

/// Colours of a packet-list row (Wireshark's default colouring rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowColors {
    /// Row background.
    pub background: Color32,
    /// Text.
    pub foreground: Color32,
}

const fn rgb16(r: u16, g: u16, b: u16) -> Color32 {
    Color32::from_rgb((r >> 8) as u8, (g >> 8) as u8, (b >> 8) as u8)
}

/// Wireshark 4.0's default colouring rules: (name, filter, background, foreground).
pub const COLORING_RULES: &[(&str, &str, Color32, Color32)] = &[
    (
        "Bad TCP",
        "tcp.analysis.flags && !tcp.analysis.window_update && !tcp.analysis.keep_alive && !tcp.analysis.keep_alive_ack",
        rgb16(4718, 10030, 11796),
        rgb16(63479, 34695, 34695),
    ),
    (
        "ICMP errors",
        "icmp.type in { 3..5, 11 } || icmpv6.type in { 1..4 }",
        rgb16(4718, 10030, 11796),
        rgb16(47802, 48573, 46774),
    ),
    (
        "ARP",
        "arp",
        rgb16(64250, 61680, 55255),
        rgb16(4718, 10030, 11796),
    ),
    (
        "ICMP",
        "icmp || icmpv6",
        rgb16(64764, 57568, 65535),
        rgb16(4718, 10030, 11796),
    ),
    (
        "TCP RST",
        "tcp.flags.reset eq 1",
        rgb16(42148, 0, 0),
        rgb16(65535, 64764, 40092),
    ),
    (
        "Checksum Errors",
        "ip.checksum.status == 0 || tcp.checksum.status == 0 || udp.checksum.status == 0 || icmp.checksum.status == 0 || icmpv6.checksum.status == 0",
        rgb16(4718, 10030, 11796),
        rgb16(63479, 34695, 34695),
    ),
    (
        "HTTP",
        "http || tcp.port == 80",
        rgb16(58596, 65535, 51143),
        rgb16(4718, 10030, 11796),
    ),
    (
        "TCP SYN/FIN",
        "tcp.flags & 0x02 || tcp.flags.fin == 1",
        rgb16(41120, 41120, 41120),
        rgb16(4718, 10030, 11796),
    ),
    (
        "TCP",
        "tcp",
        rgb16(59367, 59110, 65535),
        rgb16(4718, 10030, 11796),
    ),
    (
        "UDP",
        "udp",
        rgb16(56026, 61166, 65535),
        rgb16(4718, 10030, 11796),
    ),
    (
        "Broadcast",
        "eth[0] & 1",
        rgb16(65535, 65535, 65535),
        rgb16(47802, 48573, 46774),
    ),
];

/// The selected row.
pub const SELECTED_ROW: Color32 = Color32::from_rgb(0x3b, 0x72, 0xc9);
/// Text on the selected row.
pub const SELECTED_TEXT: Color32 = Color32::WHITE;
/// A marked packet.
pub const MARKED_ROW: Color32 = Color32::from_rgb(0x12, 0x12, 0x12);
/// Text of a marked packet.
pub const MARKED_TEXT: Color32 = Color32::WHITE;

/// Filter bar: a filter that compiles.
pub const FILTER_OK: Color32 = Color32::from_rgb(0xaf, 0xff, 0xaf);
/// Filter bar: a filter with an error.
pub const FILTER_BAD: Color32 = Color32::from_rgb(0xff, 0xaf, 0xaf);
/// Text in the filter bar (on the verdict colours).
pub const FILTER_TEXT: Color32 = Color32::from_rgb(0x10, 0x10, 0x10);

/// Handshake arrows.
pub const HANDSHAKE: Color32 = Color32::from_rgb(0x1f, 0x6f, 0xb5);
/// Data arrows.
pub const DATA: Color32 = Color32::from_rgb(0x5f, 0x63, 0x68);
/// Close arrows.
pub const CLOSE: Color32 = Color32::from_rgb(0xb0, 0x3a, 0x2e);
/// Analysis warnings on arrows.
pub const WARN: Color32 = Color32::from_rgb(0xc5, 0x22, 0x1f);
/// A state that changed (pill background).
pub const STATE_CHANGED: Color32 = Color32::from_rgb(0xdc, 0xeb, 0xfa);
/// A state that did not change.
pub const STATE_SAME: Color32 = Color32::from_rgb(0xee, 0xee, 0xee);
/// Pill text.
pub const STATE_TEXT: Color32 = Color32::from_rgb(0x20, 0x21, 0x24);
/// The selected arrow's band.
pub const FLOW_SELECTED: Color32 = Color32::from_rgb(0xff, 0xf3, 0xc4);
/// Lane lines.
pub const LANE: Color32 = Color32::from_rgb(0x9a, 0xa0, 0xa6);

/// Bytes of the selected field in the bytes pane.
pub const BYTES_HIGHLIGHT: Color32 = Color32::from_rgb(0x3b, 0x72, 0xc9);
/// Explanation strip background.
pub const EXPLAIN_BG_LIGHT: Color32 = Color32::from_rgb(0xee, 0xf6, 0xee);
/// Explanation strip background in dark mode.
pub const EXPLAIN_BG_DARK: Color32 = Color32::from_rgb(0x23, 0x33, 0x23);
/// Expert items: warning and error colour in the tree.
pub const EXPERT_WARN: Color32 = Color32::from_rgb(0xe0, 0x8a, 0x00);
/// Expert error.
pub const EXPERT_ERROR: Color32 = Color32::from_rgb(0xd0, 0x30, 0x30);
/// Expert note / chat.
pub const EXPERT_NOTE: Color32 = Color32::from_rgb(0x3b, 0x8e, 0xd0);

/// A device's packets-per-second sparkline.
pub const SPARK_LINE: Color32 = Color32::from_rgb(0x1f, 0x8a, 0x4c);
/// The sparkline's baseline.
pub const SPARK_BASE: Color32 = Color32::from_rgb(0xb0, 0xb4, 0xb8);
/// The capture indicator while packets are being captured.
pub const CAPTURING: Color32 = Color32::from_rgb(0xc5, 0x22, 0x1f);

/// The themes of View ▸ Theme; `System` follows the desktop's light or dark preference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Theme {
    /// The desktop's preference (light when it says nothing).
    #[default]
    System,
    /// Light.
    Light,
    /// Dark: every pane dark, colouring rules included.
    Dark,
    /// High contrast for a projector: black on white, thick strokes.
    Projector,
}

impl Theme {
    /// Every theme, in menu order.
    pub const ALL: [Theme; 4] = [Theme::System, Theme::Light, Theme::Dark, Theme::Projector];

    /// The View menu's name for it.
    pub fn label(self) -> String {
        crate::tr!(match self {
            Theme::System => "theme-system",
            Theme::Light => "theme-light",
            Theme::Dark => "theme-dark",
            Theme::Projector => "theme-projector",
        })
    }

    /// The look in force, given whether the desktop prefers dark.
    pub fn look(self, system_dark: bool) -> Look {
        match self {
            Theme::System if system_dark => Look::Dark,
            Theme::System | Theme::Light => Look::Light,
            Theme::Dark => Look::Dark,
            Theme::Projector => Look::Projector,
        }
    }
}

/// The look a theme resolves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Look {
    /// Light.
    #[default]
    Light,
    /// Dark.
    Dark,
    /// High contrast.
    Projector,
}

/// The panes' own colours in one look (egui's widgets take theirs from [`visuals`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Palette {
    /// The look.
    pub look: Look,
    /// The selected row.
    pub selected_row: Color32,
    /// Text on the selected row (and on highlighted bytes).
    pub selected_text: Color32,
    /// A marked packet.
    pub marked_row: Color32,
    /// Text of a marked packet.
    pub marked_text: Color32,
    /// Packets related to the selected one (markers in the No. column).
    pub related: Color32,
    /// Handshake arrows.
    pub handshake: Color32,
    /// Data arrows.
    pub data: Color32,
    /// Close arrows.
    pub close: Color32,
    /// Analysis warnings on arrows.
    pub warn: Color32,
    /// A state pill whose state changed.
    pub state_changed: Color32,
    /// A state pill whose state did not change.
    pub state_same: Color32,
    /// Pill text.
    pub state_text: Color32,
    /// The outline of a pill whose state did not change.
    pub state_stroke: Color32,
    /// The selected arrow's band.
    pub flow_selected: Color32,
    /// Text on the selected arrow's band.
    pub flow_selected_text: Color32,
    /// Lane lines.
    pub lane: Color32,
    /// The selected field's bytes.
    pub bytes_highlight: Color32,
    /// The explanation strip.
    pub explain_bg: Color32,
    /// Width of arrows and lanes (thicker on a projector).
    pub stroke: f32,
}

const LIGHT: Palette = Palette {
    look: Look::Light,
    selected_row: SELECTED_ROW,
    selected_text: SELECTED_TEXT,
    marked_row: MARKED_ROW,
    marked_text: MARKED_TEXT,
    related: Color32::from_rgb(0x1f, 0x6f, 0xb5),
    handshake: HANDSHAKE,
    data: DATA,
    close: CLOSE,
    warn: WARN,
    state_changed: STATE_CHANGED,
    state_same: STATE_SAME,
    state_text: STATE_TEXT,
    state_stroke: LANE,
    flow_selected: FLOW_SELECTED,
    flow_selected_text: STATE_TEXT,
    lane: LANE,
    bytes_highlight: BYTES_HIGHLIGHT,
    explain_bg: EXPLAIN_BG_LIGHT,
    stroke: 2.0,
};

const DARK: Palette = Palette {
    look: Look::Dark,
    selected_row: Color32::from_rgb(0x2f, 0x5f, 0xa8),
    selected_text: Color32::WHITE,
    marked_row: Color32::from_rgb(0xd8, 0xd8, 0xd8),
    marked_text: Color32::from_rgb(0x10, 0x10, 0x10),
    related: Color32::from_rgb(0x7f, 0xb8, 0xf0),
    handshake: Color32::from_rgb(0x6c, 0xa8, 0xe8),
    data: Color32::from_rgb(0xa8, 0xad, 0xb4),
    close: Color32::from_rgb(0xea, 0x80, 0x72),
    warn: Color32::from_rgb(0xff, 0x7a, 0x6e),
    state_changed: Color32::from_rgb(0x1d, 0x3d, 0x63),
    state_same: Color32::from_rgb(0x33, 0x35, 0x39),
    state_text: Color32::from_rgb(0xe8, 0xea, 0xed),
    state_stroke: Color32::from_rgb(0x6a, 0x70, 0x78),
    flow_selected: Color32::from_rgb(0x4a, 0x40, 0x18),
    flow_selected_text: Color32::from_rgb(0xff, 0xf3, 0xc4),
    lane: Color32::from_rgb(0x6a, 0x70, 0x78),
    bytes_highlight: Color32::from_rgb(0x2f, 0x5f, 0xa8),
    explain_bg: EXPLAIN_BG_DARK,
    stroke: 2.0,
};

const PROJECTOR: Palette = Palette {
    look: Look::Projector,
    selected_row: Color32::from_rgb(0x00, 0x2b, 0x80),
    selected_text: Color32::WHITE,
    marked_row: Color32::BLACK,
    marked_text: Color32::WHITE,
    related: Color32::from_rgb(0x00, 0x2b, 0x80),
    handshake: Color32::from_rgb(0x00, 0x3c, 0xa0),
    data: Color32::from_rgb(0x20, 0x20, 0x20),
    close: Color32::from_rgb(0xa0, 0x10, 0x00),
    warn: Color32::from_rgb(0xc0, 0x00, 0x00),
    state_changed: Color32::from_rgb(0xff, 0xe0, 0x40),
    state_same: Color32::WHITE,
    state_text: Color32::BLACK,
    state_stroke: Color32::BLACK,
    flow_selected: Color32::from_rgb(0xff, 0xe8, 0x80),
    flow_selected_text: Color32::BLACK,
    lane: Color32::from_rgb(0x30, 0x30, 0x30),
    bytes_highlight: Color32::from_rgb(0x00, 0x2b, 0x80),
    explain_bg: Color32::from_rgb(0xff, 0xf6, 0xc8),
    stroke: 3.0,
};

impl Palette {
    /// The palette of a look.
    pub fn of(look: Look) -> Palette {
        match look {
            Look::Light => LIGHT,
            Look::Dark => DARK,
            Look::Projector => PROJECTOR,
        }
    }

    /// The palette a `ui` draws with: the one the app stored this frame, else the
    /// light or dark one its visuals ask for (a pane drawn alone in a test).
    pub fn current(ui: &eframe::egui::Ui) -> Palette {
        ui.ctx()
            .data(|d| d.get_temp::<Palette>(palette_id()))
            .unwrap_or_else(|| {
                Palette::of(if ui.visuals().dark_mode {
                    Look::Dark
                } else {
                    Look::Light
                })
            })
    }

    /// Makes this the palette every pane draws with.
    pub fn install(self, ctx: &eframe::egui::Context) {
        ctx.data_mut(|d| d.insert_temp(palette_id(), self));
    }

    /// The colour of a ladder phase.
    pub fn phase(&self, phase: &str) -> Color32 {
        match phase {
            "handshake" => self.handshake,
            "close" => self.close,
            _ => self.data,
        }
    }

    /// A colouring rule's (background, text) in this look: in the dark look a light
    /// background is darkened with its hue kept and the text made light (as
    /// Wireshark's dark mode shows its rules); dark backgrounds stay as they are.
    pub fn row_colors(&self, bg: Color32, fg: Color32) -> (Color32, Color32) {
        match self.look {
            Look::Dark if luminance(bg) > 0.5 => {
                // A pastel's colour is how far each channel stands above its
                // weakest: keep that tint (stronger) on a dark base, and let a
                // grey (SYN/FIN) stand a little lighter than the rest.
                let low = bg.r().min(bg.g()).min(bg.b());
                let lift = (1.0 - luminance(bg)) * 40.0;
                let dark =
                    |c: u8, base: f32| (base + lift + f32::from(c - low) * 0.7).min(255.0) as u8;
                (
                    Color32::from_rgb(dark(bg.r(), 30.0), dark(bg.g(), 30.0), dark(bg.b(), 34.0)),
                    Color32::from_rgb(0xe6, 0xe6, 0xe6),
                )
            }
            Look::Projector if luminance(bg) > 0.5 => (bg, Color32::BLACK),
            _ => (bg, fg),
        }
    }
}

fn palette_id() -> eframe::egui::Id {
    eframe::egui::Id::unique("synack palette")
}

/// Relative luminance (0 black .. 1 white), near enough for choosing a variant.
fn luminance(c: Color32) -> f32 {
    (0.2126 * f32::from(c.r()) + 0.7152 * f32::from(c.g()) + 0.0722 * f32::from(c.b())) / 255.0
}

/// egui's visuals for a look: the projector's is light with black text, a strong
/// selection and thicker outlines.
pub fn visuals(look: Look) -> Visuals {
    match look {
        Look::Light => Visuals::light(),
        Look::Dark => Visuals::dark(),
        Look::Projector => {
            let mut v = Visuals::light();
            // Text is black through the widgets' strokes, not an override: an
            // override would also paint selected (navy) buttons' text black.
            v.panel_fill = Color32::WHITE;
            v.window_fill = Color32::WHITE;
            v.extreme_bg_color = Color32::WHITE;
            v.selection.bg_fill = PROJECTOR.selected_row;
            v.selection.stroke.color = Color32::WHITE;
            v.hyperlink_color = PROJECTOR.handshake;
            // Weak text (generated tree lines, hints, the explanation's states)
            // stays dark: grey washes out on a projector.
            v.weak_text_color = Some(Color32::from_rgb(0x30, 0x30, 0x30));
            for w in [
                &mut v.widgets.noninteractive,
                &mut v.widgets.inactive,
                &mut v.widgets.hovered,
                &mut v.widgets.active,
            ] {
                w.fg_stroke.color = Color32::BLACK;
                w.bg_stroke.color = Color32::from_rgb(0x40, 0x40, 0x40);
                w.bg_stroke.width = w.bg_stroke.width.max(1.0);
            }
            v
        }
    }
}

/// DejaVu Sans, bundled so arrows (`→`), math signs and box symbols in Info
/// texts draw on every machine (egui's own fonts lack them). License in
/// `assets/fonts/DejaVu-LICENSE.txt`.
const FALLBACK_FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// egui's fonts plus the bundled fallbacks, last in every family: DejaVu Sans, then
/// the Noto Sans SC subset (`i18n::CJK_FONT`) for the Chinese strings.
pub fn install_fonts(ctx: &eframe::egui::Context) {
    use eframe::egui::{FontData, FontDefinitions};
    let mut fonts = FontDefinitions::default();
    fonts.font_data.insert(
        "dejavu".into(),
        std::sync::Arc::new(FontData::from_static(FALLBACK_FONT)),
    );
    fonts.font_data.insert(
        "noto-sc".into(),
        std::sync::Arc::new(FontData::from_static(crate::i18n::CJK_FONT)),
    );
    for family in fonts.families.values_mut() {
        family.push("dejavu".into());
        family.push("noto-sc".into());
    }
    ctx.set_fonts(fonts);
}

/// The Statistics graphs' colours (stream graphs, I/O graph, Plots), after
/// Wireshark's: blue segments, green ACK line, tan receive window.
pub mod graph {
    use eframe::egui::Color32;

    /// Data segments (Stevens points, tcptrace bars), the first I/O graph.
    pub const SEGMENT: Color32 = Color32::from_rgb(0x1f, 0x4f, 0xd0);
    /// The ACK line (tcptrace), the RTT line.
    pub const ACK: Color32 = Color32::from_rgb(0x2c, 0xa0, 0x2c);
    /// The receive window line.
    pub const WINDOW: Color32 = Color32::from_rgb(0xb0, 0x8a, 0x3a);
    /// SACK blocks.
    pub const SACK: Color32 = Color32::from_rgb(0xc0, 0x3c, 0xc0);
    /// SYN segments.
    pub const SYN: Color32 = Color32::from_rgb(0x00, 0x99, 0xcc);
    /// FIN segments.
    pub const FIN: Color32 = Color32::from_rgb(0x70, 0x40, 0x10);
    /// RST segments.
    pub const RST: Color32 = Color32::from_rgb(0xd0, 0x10, 0x10);
    /// Retransmissions.
    pub const RETRANSMISSION: Color32 = Color32::from_rgb(0xff, 0x7f, 0x0e);
    /// Duplicate ACKs.
    pub const DUP_ACK: Color32 = Color32::from_rgb(0xe0, 0x20, 0x80);
    /// Zero windows.
    pub const ZERO_WINDOW: Color32 = Color32::from_rgb(0x60, 0x60, 0x60);
    /// The moving average (throughput).
    pub const AVERAGE: Color32 = Color32::from_rgb(0xd6, 0x27, 0x28);
    /// The I/O graphs' colours, one per graph in turn.
    pub const PALETTE: [Color32; 6] = [
        SEGMENT,
        Color32::from_rgb(0xd6, 0x27, 0x28),
        ACK,
        Color32::from_rgb(0x94, 0x67, 0xbd),
        RETRANSMISSION,
        Color32::from_rgb(0x17, 0xbe, 0xcf),
    ];
}
