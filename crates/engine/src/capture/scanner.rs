//! One interface over the pcap and pcapng scanners, and the whole-file scan.
//!
//! A scanner keeps its position and the interfaces it has seen but not the bytes:
//! each call is given the file as far as it is known, so a file that grows while it
//! is read (a live capture being written) is scanned the same way as a finished one.

use super::error::{OpenError, ReadError};
use super::index::{CaptureIndex, FileFormat, Interface, PacketRecord};
use super::pcap::{self, PcapScanner};
use super::pcapng::{self, PcapNgScanner};
use std::path::Path;

/// How far ahead of its position a scan maps the file in advance.
const READ_AHEAD: usize = 1 << 20;

/// Reads one byte of every page from `*touched` to `READ_AHEAD` bytes past `pos`,
/// and moves `*touched` there: the page faults of the file's mapping are taken ahead
/// of the scan, out of the chain of reads where each record header's place is only
/// known once the one before it has been read. A page at a time, not every cache
/// line: the load's workers read only the first lines of each packet (and fetch them
/// ahead themselves), so streaming every line of a bulk capture through this thread
/// cost more than the misses it saved (measured: the 1M-packet benchmark capture loads
/// ~3% faster and indexes ~7% faster; the 802.11 capture of 300-byte packets, whose
/// lines are nearly all read anyway, loads ~4% slower).
#[inline]
pub(super) fn read_ahead(data: &[u8], touched: &mut usize, pos: usize) {
    const PAGE: usize = 4096;
    let end = pos.saturating_add(READ_AHEAD).min(data.len());
    let mut at = (*touched).max(pos);
    while at < end {
        std::hint::black_box(data.get(at).copied());
        at += PAGE;
    }
    *touched = at;
}

/// What one step of a scan found.
#[derive(Debug)]
pub enum Step {
    /// The next packet.
    Packet(PacketRecord),
    /// The file ended cleanly.
    End,
    /// The file is damaged here; nothing after it is read.
    Damaged(ReadError),
    /// A growing file ends in the middle of a record: call again when it has grown.
    Incomplete,
}

/// Walks a capture file packet by packet, whatever its format.
#[derive(Debug, Clone)]
pub enum Scanner {
    /// Classic pcap.
    Pcap(PcapScanner),
    /// pcapng.
    PcapNg(PcapNgScanner),
}

impl Scanner {
    /// Recognises the format from the magic number and reads the file header.
    pub fn new(data: &[u8], path: &Path) -> Result<Self, OpenError> {
        if pcap::detect_magic(data).is_some() {
            if data.len() < pcap::FILE_HEADER_LEN {
                return Err(OpenError::TooShort {
                    path: path.to_owned(),
                    len: data.len(),
                    needed: pcap::FILE_HEADER_LEN,
                    format: "pcap",
                });
            }
            return Ok(Scanner::Pcap(PcapScanner::new(data, path)?));
        }
        if crate::bytes::le_u32(data, 0) == Some(pcapng::SHB) {
            return Ok(Scanner::PcapNg(PcapNgScanner::new(data, path)?));
        }
        let magic: String = data.iter().take(4).map(|b| format!("{b:02x}")).collect();
        if data.is_empty() {
            return Err(OpenError::TooShort {
                path: path.to_owned(),
                len: 0,
                needed: pcap::FILE_HEADER_LEN,
                format: "capture",
            });
        }
        Err(OpenError::NotACapture {
            path: path.to_owned(),
            magic,
        })
    }

    /// The next packet of `data`, the end, damage, or (for a `growing` file) a wait.
    #[inline]
    pub fn next_step(&mut self, data: &[u8], growing: bool) -> Step {
        match self {
            Scanner::Pcap(s) => s.next_step(data, growing),
            Scanner::PcapNg(s) => s.next_step(data, growing),
        }
    }

    /// Interfaces known so far.
    pub fn interfaces(&self) -> &[Interface] {
        match self {
            Scanner::Pcap(s) => s.interfaces(),
            Scanner::PcapNg(s) => s.interfaces(),
        }
    }

    /// The container format.
    pub fn format(&self) -> FileFormat {
        match self {
            Scanner::Pcap(s) => s.format(),
            Scanner::PcapNg(s) => s.format(),
        }
    }

    /// Scans the whole of `data` into an index.
    pub fn scan_all(mut self, data: &[u8]) -> CaptureIndex {
        let mut index = CaptureIndex::default();
        loop {
            match self.next_step(data, false) {
                Step::Packet(record) => index.packets.push(record),
                Step::End | Step::Incomplete => break,
                Step::Damaged(error) => {
                    index.damage = Some(error);
                    break;
                }
            }
        }
        index.interfaces = self.interfaces().to_vec();
        index
    }
}
