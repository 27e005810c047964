//! Writing packets back to pcap or pcapng files, with their original bytes, lengths
//! and timestamps, through a temporary file renamed into place (see [`super::atomic`]).
//!
//! pcapng is written as Wireshark writes it: a section header naming synack as the
//! writing application, one interface description per interface used (link type,
//! snapshot length and timestamp resolution kept), enhanced packet blocks with the
//! packets' comments. pcap is written as `tshark -F pcap` does: microsecond
//! timestamps, the input's link type and snapshot length.

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
fn ticks(capture: &Capture, record: &PacketRecord, iface: &Interface) -> u64 {
    let bytes = capture.source().bytes();
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
fn packet_options(capture: &Capture, record: &PacketRecord) -> Vec<u8> {
    let mut out = Vec::new();
    if !record.has_options() || record.block() != BlockKind::Enhanced {
        return out;
    }
    let bytes = capture.source().bytes();
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
    let io = |source| ExportError::Io {
        path: "output".into(),
        source,
    };
    match format {
        Format::PcapNg => write_pcapng(capture, indices, out).map_err(io),
        Format::Pcap | Format::PcapNanos => {
            write_pcap(capture, indices, format == Format::PcapNanos, out)
        }
    }
}

fn write_pcapng(capture: &Capture, indices: &[usize], out: &mut dyn Write) -> std::io::Result<()> {
    let mut shb = Vec::new();
    shb.extend_from_slice(&pcapng::BYTE_ORDER_MAGIC.to_le_bytes());
    shb.extend_from_slice(&1u16.to_le_bytes());
    shb.extend_from_slice(&0u16.to_le_bytes());
    shb.extend_from_slice(&(-1i64).to_le_bytes());
    option(&mut shb, 4, user_application().as_bytes());
    option(&mut shb, OPT_ENDOFOPT, &[]);
    block(out, pcapng::SHB, &shb)?;
    // Interfaces are renumbered in order of first use.
    let mut map: Vec<Option<u32>> = vec![None; capture.interfaces().len().max(1)];
    let mut next_id = 0u32;
    let pcap_snaplen = match capture.format() {
        FileFormat::Pcap { snaplen, .. } => Some(snaplen),
        _ => None,
    };
    for &i in indices {
        let Some((record, data)) = capture.packet(i) else {
            continue;
        };
        let iface = capture.interface_of(&record);
        let slot = map
            .get_mut(usize::from(record.iface()))
            .and_then(|s| s.as_mut().map(|id| *id));
        let id = match slot {
            Some(id) => id,
            None => {
                let mut idb = Vec::new();
                idb.extend_from_slice(&iface.link_type.0.to_le_bytes());
                idb.extend_from_slice(&0u16.to_le_bytes());
                idb.extend_from_slice(&pcap_snaplen.unwrap_or(iface.snaplen).to_le_bytes());
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
                block(out, pcapng::IDB, &idb)?;
                let id = next_id;
                next_id += 1;
                if let Some(s) = map.get_mut(usize::from(record.iface())) {
                    *s = Some(id);
                }
                id
            }
        };
        let t = ticks(capture, &record, iface);
        let mut epb = Vec::with_capacity(20 + data.len() + 4);
        epb.extend_from_slice(&id.to_le_bytes());
        epb.extend_from_slice(&((t >> 32) as u32).to_le_bytes());
        epb.extend_from_slice(&(t as u32).to_le_bytes());
        epb.extend_from_slice(&(data.len() as u32).to_le_bytes());
        epb.extend_from_slice(&record.orig_len.to_le_bytes());
        epb.extend_from_slice(data);
        epb.resize(epb.len().next_multiple_of(4), 0);
        epb.extend_from_slice(&packet_options(capture, &record));
        block(out, pcapng::EPB, &epb)?;
    }
    Ok(())
}

fn write_pcap(
    capture: &Capture,
    indices: &[usize],
    nanos: bool,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    let io = |source| ExportError::Io {
        path: "output".into(),
        source,
    };
    let mut links: Vec<u16> = Vec::new();
    for &i in indices {
        if let Some(r) = capture.record(i) {
            let lt = capture.interface_of(&r).link_type.0;
            if !links.contains(&lt) {
                links.push(lt);
            }
        }
    }
    if links.len() > 1 {
        return Err(ExportError::MixedLinkTypes(links.len()));
    }
    let link = links
        .first()
        .copied()
        .or_else(|| capture.interfaces().first().map(|i| i.link_type.0))
        .unwrap_or(1);
    // tshark keeps a pcap input's snapshot length and uses the maximum otherwise.
    let snaplen = match capture.format() {
        FileFormat::Pcap { snaplen, .. } => snaplen,
        _ => super::pcap::MAX_PACKET_LEN,
    };
    let magic: u32 = if nanos { 0xa1b2_3c4d } else { 0xa1b2_c3d4 };
    let mut header = Vec::with_capacity(24);
    header.extend_from_slice(&magic.to_le_bytes());
    header.extend_from_slice(&2u16.to_le_bytes());
    header.extend_from_slice(&4u16.to_le_bytes());
    header.extend_from_slice(&[0u8; 8]);
    header.extend_from_slice(&snaplen.to_le_bytes());
    header.extend_from_slice(&u32::from(link).to_le_bytes());
    out.write_all(&header).map_err(io)?;
    for &i in indices {
        let Some((record, data)) = capture.packet(i) else {
            continue;
        };
        let ts = record.ts_nanos.max(0);
        let secs = u32::try_from(ts / 1_000_000_000).unwrap_or(u32::MAX);
        let frac = (ts % 1_000_000_000) as u32;
        let frac = if nanos { frac } else { frac / 1000 };
        let mut rec = Vec::with_capacity(16);
        rec.extend_from_slice(&secs.to_le_bytes());
        rec.extend_from_slice(&frac.to_le_bytes());
        rec.extend_from_slice(&(data.len() as u32).to_le_bytes());
        rec.extend_from_slice(&record.orig_len.to_le_bytes());
        out.write_all(&rec).map_err(io)?;
        out.write_all(data).map_err(io)?;
    }
    Ok(())
}

/// Whether `target` is the file `capture` was read from (same path or same inode).
fn is_input(capture: &Capture, target: &Path) -> bool {
    let input = capture.source().path();
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

/// Writes the packets at `indices` to `path` atomically: a temporary file beside it,
/// flushed and renamed into place. On failure nothing is left behind and an existing
/// file of that name is untouched. Writing onto the capture being read is refused.
pub fn export(
    capture: &Capture,
    indices: &[usize],
    format: Format,
    path: &Path,
) -> Result<(), ExportError> {
    if is_input(capture, path) {
        return Err(ExportError::SameAsInput(path.display().to_string()));
    }
    if matches!(format, Format::Pcap | Format::PcapNanos) {
        // Check before creating anything.
        write_pcap(
            capture,
            &[],
            format == Format::PcapNanos,
            &mut std::io::sink(),
        )?;
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
    }
    let mut inner: Option<ExportError> = None;
    let result = super::atomic::write_with(path, |out| {
        write(capture, indices, format, out).map_err(|e| {
            let message = e.to_string();
            inner = Some(e);
            std::io::Error::other(message)
        })
    });
    match (result, inner) {
        (Ok(()), _) => Ok(()),
        (Err(_), Some(e)) => Err(e),
        (Err(source), None) => Err(ExportError::Io {
            path: path.display().to_string(),
            source,
        }),
    }
}
