//! A capture opened from a file: its bytes and its index.

use super::error::{OpenError, ReadError};
use super::index::{CaptureIndex, FileFormat, Interface, PacketRecord};
use super::scanner::Scanner;
use super::source::CaptureSource;
use std::path::Path;
use std::sync::Arc;

/// A fully indexed capture file.
#[derive(Debug)]
pub struct Capture {
    source: Arc<CaptureSource>,
    format: FileFormat,
    index: CaptureIndex,
}

impl Capture {
    /// Opens `path` and indexes every packet. Damage stops the scan but is not an
    /// error: the packets before it are kept and [`Capture::damage`] says where.
    pub fn open(path: &Path) -> Result<Capture, OpenError> {
        let source = Arc::new(CaptureSource::open(path)?);
        let scanner = Scanner::new(source.bytes(), path)?;
        let format = scanner.format();
        let mut index = scanner.scan_all(source.bytes());
        if index.damage.is_none() {
            index.damage = source.gzip_damage().cloned();
        }
        Ok(Capture {
            source,
            format,
            index,
        })
    }

    /// Assembles a capture from parts scanned elsewhere (the GUI's loader thread).
    pub fn from_parts(
        source: Arc<CaptureSource>,
        format: FileFormat,
        index: CaptureIndex,
    ) -> Capture {
        Capture {
            source,
            format,
            index,
        }
    }

    /// The index, for a loader that fills it as it goes.
    pub fn index_mut(&mut self) -> &mut CaptureIndex {
        &mut self.index
    }

    /// Replaces the bytes by a newer mapping of the same, grown file.
    pub fn set_source(&mut self, source: Arc<CaptureSource>) {
        self.source = source;
    }

    /// The file's bytes.
    pub fn source(&self) -> &Arc<CaptureSource> {
        &self.source
    }

    /// The container format.
    pub fn format(&self) -> FileFormat {
        self.format
    }

    /// The index.
    pub fn index(&self) -> &CaptureIndex {
        &self.index
    }

    /// Number of packets.
    pub fn len(&self) -> usize {
        self.index.packets.len()
    }

    /// True when no packet could be read.
    pub fn is_empty(&self) -> bool {
        self.index.packets.is_empty()
    }

    /// Interfaces.
    pub fn interfaces(&self) -> &[Interface] {
        &self.index.interfaces
    }

    /// Where the scan stopped early, if it did.
    pub fn damage(&self) -> Option<&ReadError> {
        self.index.damage.as_ref()
    }

    /// Where the load stopped at its memory budget, if it did.
    pub fn cut(&self) -> Option<&super::BudgetCut> {
        self.index.cut.as_ref()
    }

    /// The record of packet `i` (0-based).
    #[inline]
    pub fn record(&self, i: usize) -> Option<PacketRecord> {
        self.index.packets.get(i)
    }

    /// The captured bytes of the packet with `record`.
    pub fn bytes_of(&self, record: &PacketRecord) -> &[u8] {
        packet_bytes(self.source.bytes(), record)
    }

    /// The record and bytes of packet `i` (0-based).
    pub fn packet(&self, i: usize) -> Option<(PacketRecord, &[u8])> {
        let record = self.record(i)?;
        Some((record, self.bytes_of(&record)))
    }

    /// The interface of `record` (a placeholder if the index is inconsistent).
    pub fn interface_of(&self, record: &PacketRecord) -> &Interface {
        self.index
            .interfaces
            .get(usize::from(record.iface()))
            .or_else(|| self.index.interfaces.first())
            .unwrap_or(&crate::capture::FALLBACK_INTERFACE)
    }

    /// How many decimals `record`'s time is shown with: its interface's resolution.
    pub fn time_digits(&self, record: &PacketRecord) -> u8 {
        self.interface_of(record).ts_resolution.display_digits()
    }
}

/// The captured bytes of `record` in `file`, the whole capture file (empty when the
/// record points outside it).
pub fn packet_bytes<'f>(file: &'f [u8], record: &PacketRecord) -> &'f [u8] {
    let start = usize::try_from(record.data_offset()).unwrap_or(usize::MAX);
    crate::bytes::slice(file, start, record.cap_len as usize).unwrap_or(&[])
}
