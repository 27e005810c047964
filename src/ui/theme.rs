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

/// The colour of a ladder phase.
pub fn phase(phase: &str) -> Color32 {
    match phase {
        "handshake" => HANDSHAKE,
        "close" => CLOSE,
        _ => DATA,
    }
}

/// The visuals for the dark or light theme.
pub fn visuals(dark: bool) -> Visuals {
    if dark {
        Visuals::dark()
    } else {
        Visuals::light()
    }
}

/// The explanation strip's background for a theme.
pub fn explain_background(dark: bool) -> Color32 {
    if dark {
        EXPLAIN_BG_DARK
    } else {
        EXPLAIN_BG_LIGHT
    }
}

/// DejaVu Sans, bundled so arrows (`→`), math signs and box symbols in Info
/// texts draw on every machine (egui's own fonts lack them). License in
/// `assets/fonts/DejaVu-LICENSE.txt`.
const FALLBACK_FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// egui's fonts plus the bundled fallback, last in every family.
pub fn install_fonts(ctx: &eframe::egui::Context) {
    use eframe::egui::{FontData, FontDefinitions};
    let mut fonts = FontDefinitions::default();
    fonts.font_data.insert(
        "dejavu".into(),
        std::sync::Arc::new(FontData::from_static(FALLBACK_FONT)),
    );
    for family in fonts.families.values_mut() {
        family.push("dejavu".into());
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
