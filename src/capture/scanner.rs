//! One interface over the pcap and pcapng scanners, and the whole-file scan.

use super::error::{OpenError, ReadError};
use super::index::{CaptureIndex, FileFormat, Interface, PacketRecord};
use super::pcap::{self, PcapScanner};
use super::pcapng::{self, PcapNgScanner};
use std::path::Path;

/// What one step of a scan found.
#[derive(Debug)]
pub enum Step {
    /// The next packet.
    Packet(PacketRecord),
    /// The file ended cleanly.
    End,
    /// The file is damaged here; nothing after it is read.
    Damaged(ReadError),
}

/// Walks a capture file packet by packet, whatever its format.
#[derive(Debug)]
pub enum Scanner<'a> {
    /// Classic pcap.
    Pcap(PcapScanner<'a>),
    /// pcapng.
    PcapNg(PcapNgScanner<'a>),
}

impl<'a> Scanner<'a> {
    /// Recognises the format from the magic number and reads the file header.
    pub fn new(data: &'a [u8], path: &Path) -> Result<Self, OpenError> {
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

    /// The next packet, the end, or damage.
    #[inline]
    pub fn next_step(&mut self) -> Step {
        match self {
            Scanner::Pcap(s) => s.next_step(),
            Scanner::PcapNg(s) => s.next_step(),
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

    /// Scans up to `max` packets into `out`; returns false once the scan is over (end
    /// or damage, the latter stored in `damage`).
    pub fn scan_batch(
        &mut self,
        out: &mut Vec<PacketRecord>,
        max: usize,
        damage: &mut Option<ReadError>,
    ) -> bool {
        for _ in 0..max {
            match self.next_step() {
                Step::Packet(record) => out.push(record),
                Step::End => return false,
                Step::Damaged(error) => {
                    *damage = Some(error);
                    return false;
                }
            }
        }
        true
    }

    /// Scans the whole file into an index.
    pub fn scan_all(mut self) -> CaptureIndex {
        let mut index = CaptureIndex::default();
        loop {
            match self.next_step() {
                Step::Packet(record) => index.packets.push(record),
                Step::End => break,
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
