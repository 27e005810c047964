//! Every change to the window's state is an [`Action`]: from a pane, a window, the
//! menu bar, the toolbar, the keyboard or a worker. [`super::apply::apply`] applies
//! them, one at a time, in one place.

use super::columns::ColumnSpec;
use super::jobs::Event;
use super::panes::search_bar::{FindRequest, SearchMode};
use super::state::PaneSizes;
use super::theme::Theme;
use super::windows::export_dialog::Request;
use super::windows::quit::QuitChoice;
use crate::export::text::time::TimeFormat;
use std::path::PathBuf;

/// A menu entry (greyed out unless `enabled`): when clicked, asks for `action` and
/// closes the menu.
pub fn menu_item(
    ui: &mut eframe::egui::Ui,
    actions: &mut Vec<Action>,
    enabled: bool,
    label: impl Into<eframe::egui::WidgetText>,
    action: Action,
) {
    if ui
        .add_enabled(enabled, eframe::egui::Button::new(label))
        .clicked()
    {
        actions.push(action);
        ui.close();
    }
}

/// A change the user or a worker asks for.
#[derive(Debug)]
#[must_use]
pub enum Action {
    /// Open this capture file.
    Open(PathBuf),
    /// Show the file dialog to open a capture.
    OpenDialog,
    /// Open the bundled sample capture.
    OpenSample,
    /// Delete a capture a window that died left unsaved.
    DiscardUnsaved(std::path::PathBuf),
    /// Select packet `index` (0-based): the user clicked it, so stop following new ones.
    Select(usize),
    /// Move the selection by this many displayed rows (clamped to the list).
    MoveSelection(isize),
    /// Apply this display filter (empty: show every packet).
    ApplyFilter(String),
    /// Put this filter in the bar without applying it.
    PrepareFilter(String),
    /// Give the filter bar the keyboard focus.
    FocusFilter,
    /// Mark or unmark packet `index`.
    ToggleMark(usize),
    /// Show the bytes of a TCP stream.
    FollowStream(u32),
    /// Close Follow TCP Stream.
    CloseFollow,
    /// Open Statistics window `k` (its place in [`super::windows::statistics`]).
    OpenStats(usize),
    /// Close Statistics window `k`.
    CloseStats(usize),
    /// Hand a request to the Statistics window that takes it (a stream to graph, a
    /// field to add to the I/O graph), opening it.
    StatsRequest(super::windows::WindowRequest),
    /// Ask where to save a chart or its data, then write it on the export worker.
    SaveChart(super::windows::SaveChart),
    /// Copy text to the clipboard.
    Copy(String),
    /// Select the item whose bytes include this byte of data source `source`.
    SelectByte {
        /// Data source (0: frame).
        source: u8,
        /// Byte offset.
        offset: usize,
    },
    /// Select detail-tree line `line`.
    SelectLine(usize),
    /// Stop loading.
    CancelLoad,
    /// Show the export dialog.
    ExportDialog,
    /// Export packets (the export dialog's "Save as…").
    Export(Request),
    /// Ask where to save the flow graph, then save it (true: SVG, false: PNG).
    SaveFlow(bool),
    /// Save the selected packet's diagram: SVG (`true`) or PNG, asking where.
    SaveDiagram(bool),
    /// Save the flow graph to this file (true: SVG, false: PNG), on the export worker.
    SaveFlowTo {
        /// SVG rather than PNG.
        svg: bool,
        /// Target file.
        path: PathBuf,
    },
    /// Start capturing on a device.
    StartCapture {
        /// Device name.
        device: String,
        /// BPF capture filter (empty: everything).
        filter: String,
    },
    /// Stop the running capture (the packets stay).
    StopCapture,
    /// Save the captured packets to a file of the user's choice.
    SaveCaptureAs,
    /// Change how the window looks.
    View(ViewChange),
    /// The window's close button was pressed.
    CloseRequested,
    /// The quit dialog's answer.
    Quit(QuitChoice),
    /// Dismiss the message strip.
    DismissMessage,
    /// Show the Decode As dialog.
    DecodeAsDialog,
    /// Replace the Decode As entries and dissect the capture again.
    DecodeAs(Vec<crate::dissect::ports::DecodeAs>),
    /// A worker reported.
    Worker(Event),
    /// Select packet number N (1-based), if it is displayed (Go to packet).
    GoToPacket(usize),
    /// Select the previous (negative) or next packet of the selected conversation.
    MoveInConversation(isize),
    /// Open the Go to packet or Find packet bar.
    OpenSearch(SearchMode),
    /// Close that bar.
    CloseSearch,
    /// Find the next or previous matching packet.
    Find(FindRequest),
    /// Enter (true) or leave Ladder view.
    LadderView(bool),
    /// The packet list's columns become these.
    SetColumns(Vec<ColumnSpec>),
    /// Add a column showing this field (Apply as Column).
    AddColumn(String),
    /// A change to the teaching modes (step, predict, reorder, the picker).
    Teach(super::teach::TeachAction),
}

/// A View-menu change (persisted in the settings).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ViewChange {
    /// Apply the colouring rules.
    Colorize(bool),
    /// Teaching mode: Step column and explanations.
    Teaching(bool),
    /// The packet diagram window.
    Diagram(bool),
    /// How the Time column counts.
    TimeFormat(TimeFormat),
    /// Grow (positive) or shrink the font by this many points.
    FontSize(f32),
    /// The theme.
    Theme(Theme),
    /// The language every string of the window and the engine's sentences use.
    Language(crate::i18n::Lang),
    /// Whole-window zoom factor (1.0: none).
    Zoom(f32),
    /// Fraction digits of the times (None: the file's).
    TimePrecision(Option<u8>),
    /// Pane sizes the user dragged to.
    Panes(PaneSizes),
}
