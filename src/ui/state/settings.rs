//! What the window remembers between runs (eframe's storage; a missing or older
//! field takes its default).

use crate::ui::model::TimeFormat;
use std::path::PathBuf;

/// Settings kept between runs.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Recently opened files, newest first.
    pub recent: Vec<PathBuf>,
    /// Time column format.
    pub time_format: TimeFormat,
    /// Apply colouring rules.
    pub colorize: bool,
    /// Dark theme.
    pub dark: bool,
    /// Show the teaching strip and Step column.
    pub teaching: bool,
    /// Filter history.
    pub filter_history: Vec<String>,
    /// Base font size in points.
    pub font_size: f32,
    /// The device last captured on.
    pub last_device: Option<String>,
    /// The capture filter last used.
    pub capture_filter: String,
    /// The capture options last used.
    pub capture_options: crate::ui::capture_job::CaptureOptions,
    /// The packet diagram window is open.
    pub diagram: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            recent: Vec::new(),
            time_format: TimeFormat::SinceStart,
            colorize: true,
            dark: false,
            teaching: true,
            filter_history: Vec::new(),
            font_size: 13.5,
            last_device: None,
            capture_filter: String::new(),
            capture_options: Default::default(),
            diagram: false,
        }
    }
}
