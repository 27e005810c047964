//! The packet list's columns: Wireshark's built-in ones (No., Time, Delta, Source,
//! Destination, Protocol, Length, Info), the teaching Step, and any field added with
//! "Apply as Column". The list of [`ColumnSpec`]s lives in the settings.

use crate::export::text::time::{TimeFormat, TimeRefs, time_text};
use crate::ui::model::Row;

/// What a column shows.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum ColumnKind {
    /// The frame number.
    Number,
    /// The time, in the View menu's format.
    Time,
    /// Seconds since the previous displayed packet (`frame.time_delta_displayed`).
    Delta,
    /// Source address.
    Source,
    /// Destination address.
    Destination,
    /// Protocol.
    Protocol,
    /// Length on the wire.
    Length,
    /// The teaching step (`handshake-1`...), shown in teaching mode.
    Step,
    /// Info.
    Info,
    /// A field's values by its filter name (`tcp.window_size`), joined by commas.
    Field(String),
}

/// Built-in columns, in the order the header's menu lists them.
pub const BUILT_IN: [ColumnKind; 9] = [
    ColumnKind::Number,
    ColumnKind::Time,
    ColumnKind::Delta,
    ColumnKind::Source,
    ColumnKind::Destination,
    ColumnKind::Protocol,
    ColumnKind::Length,
    ColumnKind::Step,
    ColumnKind::Info,
];

impl ColumnKind {
    /// The header's title.
    pub fn title(&self) -> String {
        crate::tr!(match self {
            ColumnKind::Number => "column-number",
            ColumnKind::Time => "column-time",
            ColumnKind::Delta => "column-delta",
            ColumnKind::Source => "column-source",
            ColumnKind::Destination => "column-destination",
            ColumnKind::Protocol => "column-protocol",
            ColumnKind::Length => "column-length",
            ColumnKind::Step => "column-step",
            ColumnKind::Info => "column-info",
            // A field's column is named by its Wireshark abbreviation in every language.
            ColumnKind::Field(abbrev) => return abbrev.clone(),
        })
    }

    /// Width when first shown, in points (Info takes what is left).
    pub fn initial_width(&self) -> f32 {
        match self {
            ColumnKind::Number => 58.0,
            ColumnKind::Time | ColumnKind::Delta => 82.0,
            ColumnKind::Source | ColumnKind::Destination => 118.0,
            ColumnKind::Protocol => 62.0,
            ColumnKind::Length => 52.0,
            ColumnKind::Step => 90.0,
            ColumnKind::Info => 300.0,
            ColumnKind::Field(_) => 100.0,
        }
    }
}

/// One column of the list and its width once the user resized it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ColumnSpec {
    /// What it shows.
    pub kind: ColumnKind,
    /// Width in points (None: the kind's initial width).
    #[serde(default)]
    pub width: Option<f32>,
}

impl ColumnSpec {
    /// A column at its initial width.
    pub fn new(kind: ColumnKind) -> ColumnSpec {
        ColumnSpec { kind, width: None }
    }
}

/// Wireshark's default columns plus the teaching Step.
pub fn default_columns() -> Vec<ColumnSpec> {
    [
        ColumnKind::Number,
        ColumnKind::Time,
        ColumnKind::Source,
        ColumnKind::Destination,
        ColumnKind::Protocol,
        ColumnKind::Length,
        ColumnKind::Step,
        ColumnKind::Info,
    ]
    .into_iter()
    .map(ColumnSpec::new)
    .collect()
}

/// The columns a list shows: Step only in teaching mode, Info last-but-stretching
/// wherever it is.
pub fn shown(columns: &[ColumnSpec], teaching: bool) -> Vec<ColumnSpec> {
    columns
        .iter()
        .filter(|c| teaching || c.kind != ColumnKind::Step)
        .cloned()
        .collect()
}

/// How the Time and Delta columns print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeStyle {
    /// The Time column's format.
    pub format: TimeFormat,
    /// Fraction digits (None: the file's).
    pub precision: Option<u8>,
}

/// The text of column `kind` for `row`; `prev_displayed_nanos` is the time of the
/// packet displayed above it (the Delta column and `-t dd`).
pub fn cell_text(
    kind: &ColumnKind,
    row: &Row,
    time: TimeStyle,
    prev_displayed_nanos: Option<i64>,
) -> String {
    let refs = TimeRefs {
        first_nanos: row.first_nanos,
        prev_captured_nanos: row.prev_captured_nanos,
        prev_displayed_nanos,
    };
    let digits = time.precision.unwrap_or(row.digits);
    let s = &row.summary;
    match kind {
        ColumnKind::Number => s.number.clone(),
        ColumnKind::Time => time_text(time.format, row.ts_nanos, &refs, digits),
        ColumnKind::Delta => time_text(TimeFormat::DeltaDisplayed, row.ts_nanos, &refs, digits),
        ColumnKind::Source => s.source.clone(),
        ColumnKind::Destination => s.destination.clone(),
        ColumnKind::Protocol => s.protocol.clone(),
        ColumnKind::Length => s.length.clone(),
        ColumnKind::Step => row.step.clone(),
        ColumnKind::Info => s.info.clone(),
        ColumnKind::Field(abbrev) => row
            .fields
            .iter()
            .find(|(a, _)| a == abbrev)
            .map(|(_, v)| v.clone())
            .unwrap_or_default(),
    }
}
