//! What a pane asks the app to do; the app applies these after drawing.

use std::path::PathBuf;

/// A request from a pane.
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub enum Action {
    /// Open this capture file.
    Open(PathBuf),
    /// Show the file dialog to open a capture.
    OpenDialog,
    /// Open the bundled sample capture.
    OpenSample,
    /// Select packet `index` (0-based).
    Select(usize),
    /// Apply this display filter.
    ApplyFilter(String),
    /// Put this filter in the bar without applying it.
    PrepareFilter(String),
    /// Mark or unmark packet `index`.
    ToggleMark(usize),
    /// Show the bytes of a TCP stream.
    FollowStream(u32),
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
    /// Save the flow graph (true: SVG, false: PNG).
    SaveFlow(bool),
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
}
