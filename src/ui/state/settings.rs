//! What the window remembers between runs (eframe's storage; a missing or older
//! field takes its default).

use crate::export::text::time::TimeFormat;
use crate::ui::columns::ColumnSpec;
use crate::ui::theme::Theme;
use std::path::PathBuf;

/// Settings kept between runs.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Recently opened files, newest first.
    pub recent: Vec<PathBuf>,
    /// Time column format (tshark's `-t`).
    pub time_display: TimeFormat,
    /// Fraction digits of the Time and Delta columns (None: the file's resolution).
    pub time_precision: Option<u8>,
    /// Apply colouring rules.
    pub colorize: bool,
    /// The theme chosen in View ▸ Theme.
    pub theme: Theme,
    /// Whether the theme in force is dark (kept in step with `theme` and the desktop's
    /// preference by the app; read by panes that pick their own colours).
    pub dark: bool,
    /// Show the teaching strip and Step column.
    pub teaching: bool,
    /// Filter history.
    pub filter_history: Vec<String>,
    /// Base font size in points.
    pub font_size: f32,
    /// Whole-window zoom (View ▸ Zoom, Ctrl+plus/minus/0).
    pub zoom: f32,
    /// The packet list's columns, in order, with their widths.
    pub columns: Vec<ColumnSpec>,
    /// Pane sizes the user dragged to (None: fitted to the window).
    pub panes: PaneSizes,
    /// The device last captured on.
    pub last_device: Option<String>,
    /// The capture filter last used.
    pub capture_filter: String,
    /// The capture options last used.
    pub capture_options: crate::ui::capture_job::CaptureOptions,
    /// The packet diagram window is open.
    pub diagram: bool,
    /// The language chosen in View ▸ Language (`en-US`, `zh-CN`, ...); None until the
    /// first run, which takes the locale's.
    pub language: Option<String>,
}

/// Sizes of the resizable panes, in points, once the user has dragged them.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct PaneSizes {
    /// Height of the details area (tree, bytes, ladder tab) under the list.
    pub details_height: Option<f32>,
    /// Width of the detail tree beside the bytes.
    pub tree_width: Option<f32>,
    /// Width of the flow pane beside the list (wide windows).
    pub flow_width: Option<f32>,
    /// Height of the packet strip above Ladder view.
    pub strip_height: Option<f32>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            recent: Vec::new(),
            time_display: TimeFormat::Relative,
            time_precision: None,
            colorize: true,
            theme: Theme::System,
            dark: false,
            teaching: true,
            filter_history: Vec::new(),
            font_size: 13.5,
            zoom: 1.0,
            columns: crate::ui::columns::default_columns(),
            panes: PaneSizes::default(),
            last_device: None,
            capture_filter: String::new(),
            capture_options: Default::default(),
            diagram: false,
            language: None,
        }
    }
}
