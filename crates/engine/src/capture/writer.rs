//! Writing packets back to pcap or pcapng files, with their original bytes, lengths
//! and timestamps, through a temporary file renamed into place (see [`super::atomic`]).
//!
//! pcapng is written as Wireshark writes it: a section header naming synack as the
//! writing application, one interface description per interface used (link type,
//! snapshot length and timestamp resolution kept), enhanced packet blocks with the
//! packets' comments. pcap is written as `tshark -F pcap` does: microsecond
//! timestamps, the input's link type and snapshot length.

use super::atomic::AtomicFile;
use super::file::Capture;
use super::index::{BlockKind, FileFormat, Interface, PacketRecord, TsResolution};
use super::pcapng::{self, IF_TSRESOL, OPT_COMMENT, OPT_ENDOFOPT};
use crate::bytes::{self, Endian};
use std::io::Write;
use std::path::Path;

/// Output file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// pcapng.
    PcapNg,
    /// Classic pcap, microsecond timestamps.
    Pcap,
    /// Classic pcap, nanosecond timestamps.
    PcapNanos,
}

impl Format {
    /// Parses tshark's `-F` names (`pcapng`, `pcap`, `nsecpcap`).
    pub fn from_name(name: &str) -> Option<Format> {
        match name {
            "pcapng" => Some(Format::PcapNg),
            "pcap" | "libpcap" => Some(Format::Pcap),
            "nsecpcap" => Some(Format::PcapNanos),
            _ => None,
        }
    }
}

/// Why an export failed. The target file is never left half-written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The packets use more than one link type; pcap has room for one.
    #[error(
        "the packets use {0} different link types, and a pcap file has one; save as pcapng instead"
    )]
    MixedLinkTypes(usize),
    /// The target is the capture being read.
    #[error("refusing to overwrite the capture being read; choose another file name: {0}")]
    SameAsInput(String),
    /// The file system refused.
    #[error("cannot write {path}: {source}")]
    Io {
        /// Target file.
        path: String,
        /// Underlying error.
        source: std::io::Error,
    },
}

/// SHB/IDB/EPB option writing, little-endian.
fn option(out: &mut Vec<u8>, code: u16, value: &[u8]) {
    out.extend_from_slice(&code.to_le_bytes());
    out.extend_from_slice(&(value.len().min(usize::from(u16::MAX)) as u16).to_le_bytes());
    out.extend_from_slice(
        value
            .get(..value.len().min(usize::from(u16::MAX)))
            .unwrap_or(&[]),
    );
    let pad = value.len().next_multiple_of(4) - value.len();
    out.extend(std::iter::repeat_n(0u8, pad));
}

/// Writes a pcapng block of `kind` (little-endian) around `body`, padded to 32 bits.
pub fn block(out: &mut dyn Write, kind: u32, body: &[u8]) -> std::io::Result<()> {
    let total = u32::try_from(12 + body.len().next_multiple_of(4)).unwrap_or(u32::MAX);
    out.write_all(&kind.to_le_bytes())?;
    out.write_all(&total.to_le_bytes())?;
    out.write_all(body)?;
    let pad = body.len().next_multiple_of(4) - body.len();
    out.write_all([0u8; 3].get(..pad.min(3)).unwrap_or(&[]))?;
    out.write_all(&total.to_le_bytes())
}

/// The writing application named in the section header.
pub fn user_application() -> String {
    format!("synack {}", env!("CARGO_PKG_VERSION"))
}

/// The original timestamp ticks of a packet in its interface's resolution, read back
/// from its block when it came from an Enhanced or obsolete Packet Block (so binary
/// resolutions survive exactly), else computed from nanoseconds.
fn ticks(bytes: &[u8], record: &PacketRecord, iface: &Interface) -> u64 {
    if matches!(record.block(), BlockKind::Enhanced | BlockKind::Obsolete) {
        let start = usize::try_from(record.block_offset()).unwrap_or(usize::MAX);
        let endian = section_endian(bytes, start);
        if let (Some(hi), Some(lo)) = (endian.u32(bytes, start + 12), endian.u32(bytes, start + 16))
        {
            return (u64::from(hi) << 32) | u64::from(lo);
        }
    }
    let nanos = record
        .ts_nanos
        .saturating_sub(iface.ts_offset_secs.saturating_mul(1_000_000_000))
        .max(0) as u128;
    // A fine resolution (if_tsresol up to 10^-127 s) times a time far from the epoch
    // (a large if_tsoffset) overflows even u128; the ticks would not fit a u64 anyway.
    nanos
        .checked_mul(iface.ts_resolution.ticks_per_second())
        .and_then(|product| u64::try_from(product / 1_000_000_000).ok())
        .unwrap_or(u64::MAX)
}

/// The byte order of the pcapng section a block belongs to: the block type field of
/// an EPB (6) tells it.
fn section_endian(bytes: &[u8], start: usize) -> Endian {
    match bytes::le_u32(bytes, start) {
        Some(6) | Some(2) => Endian::Little,
        _ => Endian::Big,
    }
}

/// The options of a packet's block worth keeping: comments and flags.
fn packet_options(bytes: &[u8], record: &PacketRecord) -> Vec<u8> {
    let mut out = Vec::new();
    if !record.has_options() || record.block() != BlockKind::Enhanced {
        return out;
    }
    let start = usize::try_from(record.block_offset()).unwrap_or(usize::MAX);
    let endian = section_endian(bytes, start);
    let Some(total) = endian.u32(bytes, start + 4).map(|t| t as usize) else {
        return out;
    };
    let opts_start = start + 28 + (record.cap_len as usize).next_multiple_of(4);
    let opts_end = (start + total).saturating_sub(4);
    let area = bytes.get(opts_start..opts_end).unwrap_or(&[]);
    for (code, value) in pcapng::options(area, endian) {
        match code {
            OPT_COMMENT => option(&mut out, code, value),
            2 => {
                if let Some(flags) = endian.u32(value, 0) {
                    option(&mut out, code, &flags.to_le_bytes());
                }
            }
            _ => {}
        }
    }
    if !out.is_empty() {
        option(&mut out, OPT_ENDOFOPT, &[]);
    }
    out
}

/// Writes the packets at `indices` (0-based, in the order given) to `out`.
pub fn write(
    capture: &Capture,
    indices: &[usize],
    format: Format,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    if matches!(format, Format::Pcap | Format::PcapNanos) {
        one_link_type(capture, indices)?;
    }
    write_checked(capture, indices, format, out)
}

/// [`write`] once the link types are known to fit `format`.
fn write_checked(
    capture: &Capture,
    indices: &[usize],
    format: Format,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    let mut writer = PacketWriter::new(out, format, capture.format(), fallback_link(capture))?;
    let bytes = capture.source().bytes();
    for &i in indices {
        if let Some((record, data)) = capture.packet(i) {
            writer.packet(bytes, &record, data, capture.interface_of(&record))?;
        }
    }
    writer.finish().map(drop)
}

/// Refuses packets of several link types (a pcap file has one), saying how many.
fn one_link_type(capture: &Capture, indices: &[usize]) -> Result<(), ExportError> {
    let mut links = indices
        .iter()
        .filter_map(|i| capture.record(*i))
        .map(|r| capture.interface_of(&r).link_type.0)
        .collect::<Vec<_>>();
    links.sort_unstable();
    links.dedup();
    if links.len() > 1 {
        return Err(ExportError::MixedLinkTypes(links.len()));
    }
    Ok(())
}

/// The link type a pcap file of no packets declares: the capture's first interface's.
fn fallback_link(capture: &Capture) -> u16 {
    capture.interfaces().first().map_or(1, |i| i.link_type.0)
}

/// Writes packets one at a time, as they become known: the core of [`write`], and of
/// an export written while the capture loads ([`StreamingExport`]).
pub struct PacketWriter<W: Write> {
    out: W,
    format: Format,
    /// The snapshot length of a pcap input, which both formats keep.
    pcap_snaplen: Option<u32>,
    /// pcapng: the output interface of each input interface, numbered in order of
    /// first use.
    interface_ids: Vec<Option<u32>>,
    /// pcap: the link type of the file header, written with the first packet (or at
    /// the end when there is none, [`Self::fallback_link`]).
    pcap_link: Option<u16>,
    fallback_link: u16,
}

fn io_error(source: std::io::Error) -> ExportError {
    ExportError::Io {
        path: "output".into(),
        source,
    }
}

impl<W: Write> PacketWriter<W> {
    /// Starts a file of `format` (pcapng writes its section header now) for packets
    /// read from a capture of `input` format; `fallback_link` is the link type a pcap
    /// of no packets declares.
    pub fn new(
        mut out: W,
        format: Format,
        input: FileFormat,
        fallback_link: u16,
    ) -> Result<Self, ExportError> {
        if format == Format::PcapNg {
            let mut shb = Vec::new();
            shb.extend_from_slice(&pcapng::BYTE_ORDER_MAGIC.to_le_bytes());
            shb.extend_from_slice(&1u16.to_le_bytes());
            shb.extend_from_slice(&0u16.to_le_bytes());
            shb.extend_from_slice(&(-1i64).to_le_bytes());
            option(&mut shb, 4, user_application().as_bytes());
            option(&mut shb, OPT_ENDOFOPT, &[]);
            block(&mut out, pcapng::SHB, &shb).map_err(io_error)?;
        }
        let pcap_snaplen = match input {
            FileFormat::Pcap { snaplen, .. } => Some(snaplen),
            _ => None,
        };
        Ok(Self {
            out,
            format,
            pcap_snaplen,
            interface_ids: Vec::new(),
            pcap_link: None,
            fallback_link,
        })
    }

    /// Appends one packet: `record` and its captured `data`, received on `iface`;
    /// `file` is the whole input file (a pcapng block's own timestamp and options are
    /// read back from it). A pcap refuses a packet of another link type than the
    /// first's.
    pub fn packet(
        &mut self,
        file: &[u8],
        record: &PacketRecord,
        data: &[u8],
        iface: &Interface,
    ) -> Result<(), ExportError> {
        match self.format {
            Format::PcapNg => self
                .pcapng_packet(file, record, data, iface)
                .map_err(io_error),
            Format::Pcap | Format::PcapNanos => self.pcap_packet(record, data, iface),
        }
    }

    fn pcapng_packet(
        &mut self,
        file: &[u8],
        record: &PacketRecord,
        data: &[u8],
        iface: &Interface,
    ) -> std::io::Result<()> {
        let input_id = usize::from(record.iface());
        if self.interface_ids.len() <= input_id {
            self.interface_ids.resize(input_id + 1, None);
        }
        let known = self.interface_ids.get(input_id).copied().flatten();
        let id = match known {
            Some(id) => id,
            None => {
                let mut idb = Vec::new();
                idb.extend_from_slice(&iface.link_type.0.to_le_bytes());
                idb.extend_from_slice(&0u16.to_le_bytes());
                idb.extend_from_slice(&self.pcap_snaplen.unwrap_or(iface.snaplen).to_le_bytes());
                if iface.options.is_empty() {
                    if iface.ts_resolution != TsResolution::MICROS {
                        option(&mut idb, IF_TSRESOL, &[iface.ts_resolution.to_byte()]);
                        option(&mut idb, OPT_ENDOFOPT, &[]);
                    }
                } else {
                    for (code, value) in &iface.options {
                        option(&mut idb, *code, value);
                    }
                    option(&mut idb, OPT_ENDOFOPT, &[]);
                }
                block(&mut self.out, pcapng::IDB, &idb)?;
                let id =
                    u32::try_from(self.interface_ids.iter().flatten().count()).unwrap_or(u32::MAX);
                if let Some(slot) = self.interface_ids.get_mut(input_id) {
                    *slot = Some(id);
                }
                id
            }
        };
        let t = ticks(file, record, iface);
        let mut epb = Vec::with_capacity(20 + data.len() + 4);
        epb.extend_from_slice(&id.to_le_bytes());
        epb.extend_from_slice(&((t >> 32) as u32).to_le_bytes());
        epb.extend_from_slice(&(t as u32).to_le_bytes());
        epb.extend_from_slice(&(data.len() as u32).to_le_bytes());
        epb.extend_from_slice(&record.orig_len.to_le_bytes());
        epb.extend_from_slice(data);
        epb.resize(epb.len().next_multiple_of(4), 0);
        epb.extend_from_slice(&packet_options(file, record));
        block(&mut self.out, pcapng::EPB, &epb)
    }

    fn pcap_packet(
        &mut self,
        record: &PacketRecord,
        data: &[u8],
        iface: &Interface,
    ) -> Result<(), ExportError> {
        let link = iface.link_type.0;
        match self.pcap_link {
            Some(first) if first != link => return Err(ExportError::MixedLinkTypes(2)),
            Some(_) => {}
            None => self.pcap_header(link)?,
        }
        let ts = record.ts_nanos.max(0);
        let secs = u32::try_from(ts / 1_000_000_000).unwrap_or(u32::MAX);
        let frac = (ts % 1_000_000_000) as u32;
        let frac = if self.format == Format::PcapNanos {
            frac
        } else {
            frac / 1000
        };
        let mut rec = [0u8; 16];
        for (place, word) in
            rec.chunks_exact_mut(4)
                .zip([secs, frac, data.len() as u32, record.orig_len])
        {
            place.copy_from_slice(&word.to_le_bytes());
        }
        self.out.write_all(&rec).map_err(io_error)?;
        self.out.write_all(data).map_err(io_error)
    }

    /// The pcap file header, for packets of link type `link`.
    fn pcap_header(&mut self, link: u16) -> Result<(), ExportError> {
        self.pcap_link = Some(link);
        // tshark keeps a pcap input's snapshot length and uses the maximum otherwise.
        let snaplen = self.pcap_snaplen.unwrap_or(super::pcap::MAX_PACKET_LEN);
        let magic: u32 = if self.format == Format::PcapNanos {
            0xa1b2_3c4d
        } else {
            0xa1b2_c3d4
        };
        let mut header = Vec::with_capacity(24);
        header.extend_from_slice(&magic.to_le_bytes());
        header.extend_from_slice(&2u16.to_le_bytes());
        header.extend_from_slice(&4u16.to_le_bytes());
        header.extend_from_slice(&[0u8; 8]);
        header.extend_from_slice(&snaplen.to_le_bytes());
        header.extend_from_slice(&u32::from(link).to_le_bytes());
        self.out.write_all(&header).map_err(io_error)
    }

    /// Ends the file (a pcap of no packets still gets its header) and hands back
    /// the output.
    pub fn finish(mut self) -> Result<W, ExportError> {
        if matches!(self.format, Format::Pcap | Format::PcapNanos) && self.pcap_link.is_none() {
            self.pcap_header(self.fallback_link)?;
        }
        Ok(self.out)
    }
}

/// Whether `target` is the file `input` names (same path or same inode).
fn is_input(input: &Path, target: &Path) -> bool {
    if let (Ok(a), Ok(b)) = (std::fs::canonicalize(input), std::fs::canonicalize(target))
        && a == b
    {
        return true;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(a), Ok(b)) = (std::fs::metadata(input), std::fs::metadata(target)) {
            return a.dev() == b.dev() && a.ino() == b.ino();
        }
    }
    false
}

/// The error of a failed write to `path`.
fn write_error(path: &Path) -> impl Fn(std::io::Error) -> ExportError + '_ {
    move |source| ExportError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Writes the packets at `indices` to `path` atomically: a temporary file beside it,
/// flushed and renamed into place. On failure nothing is left behind and an existing
/// file of that name is untouched. Writing onto the capture being read is refused.
pub fn export(
    capture: &Capture,
    indices: &[usize],
    format: Format,
    path: &Path,
) -> Result<(), ExportError> {
    if is_input(capture.source().path(), path) {
        return Err(ExportError::SameAsInput(path.display().to_string()));
    }
    if matches!(format, Format::Pcap | Format::PcapNanos) {
        // Check before creating anything.
        one_link_type(capture, indices)?;
    }
    let mut file = AtomicFile::create(path).map_err(write_error(path))?;
    write_checked(capture, indices, format, &mut file)?;
    file.commit().map_err(write_error(path))
}

/// One packet handed to a [`StreamingExport`]: its record and interface, and the whole
/// input file with its format (a pcapng block's own timestamp and options are read
/// back from the file).
#[derive(Clone, Copy)]
pub struct PacketRef<'a> {
    /// The input file's bytes.
    pub file: &'a [u8],
    /// The input file's format.
    pub format: FileFormat,
    /// The packet.
    pub record: &'a PacketRecord,
    /// The interface it was received on.
    pub iface: &'a Interface,
}

/// An export written while the capture loads: the packets a filter keeps arrive one
/// by one, in order, and go straight to a temporary file beside the target, renamed
/// into place by [`Self::commit`]. Dropped without a commit, it leaves nothing behind.
pub struct StreamingExport {
    path: std::path::PathBuf,
    format: Format,
    writer: Option<PacketWriter<AtomicFile>>,
    /// The temporary file before the first packet (the writer needs the input's format).
    file: Option<AtomicFile>,
    /// The first error; later packets are not written.
    error: Option<ExportError>,
    /// pcap: the link types seen, to say how many when they differ.
    links: Vec<u16>,
}

impl StreamingExport {
    /// Creates the temporary file for an export of `format` to `path`; refuses to
    /// overwrite `input`, the capture being read.
    pub fn create(input: &Path, format: Format, path: &Path) -> Result<Self, ExportError> {
        if is_input(input, path) {
            return Err(ExportError::SameAsInput(path.display().to_string()));
        }
        let file = AtomicFile::create(path).map_err(write_error(path))?;
        Ok(Self {
            path: path.to_owned(),
            format,
            writer: None,
            file: Some(file),
            error: None,
            links: Vec::new(),
        })
    }

    /// Appends `packet`.
    pub fn packet(&mut self, packet: PacketRef<'_>) {
        if matches!(self.format, Format::Pcap | Format::PcapNanos)
            && !self.links.contains(&packet.iface.link_type.0)
        {
            self.links.push(packet.iface.link_type.0);
        }
        if self.error.is_some() {
            return;
        }
        let writer = match (&mut self.writer, self.file.take()) {
            (Some(writer), _) => writer,
            (None, Some(file)) => {
                let link = packet.iface.link_type.0;
                match PacketWriter::new(file, self.format, packet.format, link) {
                    Ok(writer) => self.writer.insert(writer),
                    Err(e) => {
                        self.error = Some(e);
                        return;
                    }
                }
            }
            (None, None) => return,
        };
        let data = super::file::packet_bytes(packet.file, packet.record);
        if let Err(e) = writer.packet(packet.file, packet.record, data, packet.iface) {
            self.error = Some(e);
        }
    }

    /// Ends the file and renames it into place; `input` is the loaded capture (for
    /// the header of an export that received no packet).
    pub fn commit(self, input: &Capture) -> Result<(), ExportError> {
        if self.links.len() > 1 {
            return Err(ExportError::MixedLinkTypes(self.links.len()));
        }
        if let Some(error) = self.error {
            return Err(error);
        }
        let writer = match (self.writer, self.file) {
            (Some(writer), _) => writer,
            (None, Some(file)) => {
                PacketWriter::new(file, self.format, input.format(), fallback_link(input))?
            }
            (None, None) => return Ok(()),
        };
        writer.finish()?.commit().map_err(write_error(&self.path))
    }
}
