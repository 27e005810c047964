//! Errors from opening and scanning capture files.
//!
//! Messages say what was wrong, where (byte offset) and how much, with the path last,
//! so the CLI, the status bar and the tests can show them as they are.

use std::fmt;
use std::path::PathBuf;

/// A capture could not be opened at all.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The operating system refused to open or map the file.
    #[error("cannot read {path}: {source}")]
    Io {
        /// File that failed.
        path: PathBuf,
        /// Underlying error.
        source: std::io::Error,
    },
    /// The first bytes are not a pcap, pcapng or gzip magic number.
    #[error(
        "not a capture file: it starts with {magic}, expected a pcap (a1b2c3d4), pcapng (0a0d0d0a) or gzip (1f8b) magic number: {path}"
    )]
    NotACapture {
        /// File that failed.
        path: PathBuf,
        /// Hex of the first bytes.
        magic: String,
    },
    /// The file is shorter than the format's file header.
    #[error(
        "the file is too short to be a capture ({len} bytes; a {format} file header needs {needed}): {path}"
    )]
    TooShort {
        /// File that failed.
        path: PathBuf,
        /// Bytes present.
        len: usize,
        /// Bytes the header needs.
        needed: usize,
        /// Format the magic announced.
        format: &'static str,
    },
    /// A gzip capture would inflate to more than the temporary folder has free: said
    /// before inflating (the gzip trailer's size), or when the free space ran low while
    /// inflating, so that opening a capture never fills the disk.
    #[error(
        "not opened: {path} inflates to {needed} or more, and the temporary folder {dir} has {free} free; set TMPDIR to a folder with more room, or gunzip the file where there is room and open that"
    )]
    NoRoomToInflate {
        /// File that failed.
        path: PathBuf,
        /// The temporary folder.
        dir: PathBuf,
        /// What the inflated file needs at least, in words ("2.0 GB").
        needed: String,
        /// What the folder had free, in words.
        free: String,
    },
    /// The file header is present but unusable.
    #[error("{what}: {path}")]
    BadHeader {
        /// File that failed.
        path: PathBuf,
        /// What is wrong with it.
        what: String,
    },
}

/// Damage found while scanning: the packets before it are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// Byte offset (in the decompressed file) where the damage starts.
    pub offset: u64,
    /// What was expected there.
    pub what: String,
}

impl ReadError {
    /// Damage at `offset`, described by `what`.
    pub fn new(offset: u64, what: impl Into<String>) -> Self {
        Self {
            offset,
            what: what.into(),
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at byte {}: {}", self.offset, self.what)
    }
}
