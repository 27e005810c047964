//! pcapng files: sections, interfaces and packet blocks.
//!
//! Every section has its own byte order and its own interface numbering; interfaces are
//! numbered globally in file order so a packet record needs only one `u16`. Enhanced,
//! Simple and obsolete Packet Blocks are indexed; every other block type is skipped.

use super::error::{OpenError, ReadError};
use super::index::{BlockKind, FileFormat, Interface, PacketRecord, TsResolution};
use super::linktype::LinkType;
use super::scanner::Step;
use crate::bytes::{self, Endian};
use std::path::Path;

/// Block type of the Section Header Block (also the file's magic number).
pub const SHB: u32 = 0x0A0D_0D0A;
/// Block type of the Interface Description Block.
pub const IDB: u32 = 1;
/// Block type of the obsolete Packet Block.
pub const OPB: u32 = 2;
/// Block type of the Simple Packet Block.
pub const SPB: u32 = 3;
/// Block type of the Enhanced Packet Block.
pub const EPB: u32 = 6;
/// Byte-order magic inside a Section Header Block.
pub const BYTE_ORDER_MAGIC: u32 = 0x1A2B_3C4D;
/// Largest block we accept; tshark's limit is of the same order (a maximum-size
/// packet plus generous room for options).
pub const MAX_BLOCK_LEN: u32 = 16 * 1024 * 1024 + 128 * 1024;

/// Option code: end of options.
pub const OPT_ENDOFOPT: u16 = 0;
/// Option code: comment (any block).
pub const OPT_COMMENT: u16 = 1;
/// IDB option: interface name.
pub const IF_NAME: u16 = 2;
/// IDB option: interface description.
pub const IF_DESCRIPTION: u16 = 3;
/// IDB option: interface speed (u64).
pub const IF_SPEED: u16 = 8;
/// IDB option: timestamp resolution.
pub const IF_TSRESOL: u16 = 9;
/// IDB option: timestamp offset in seconds (i64).
pub const IF_TSOFFSET: u16 = 14;

/// Iterates over the options area of a block: `(code, value)` pairs, stopping at
/// `opt_endofopt`, at the end of the area, or at the first malformed option.
pub fn options(area: &[u8], endian: Endian) -> impl Iterator<Item = (u16, &[u8])> + '_ {
    let mut pos = 0usize;
    std::iter::from_fn(move || {
        let code = endian.u16(area, pos)?;
        let len = usize::from(endian.u16(area, pos + 2)?);
        if code == OPT_ENDOFOPT {
            return None;
        }
        let value = bytes::slice(area, pos + 4, len)?;
        pos = pos + 4 + len.next_multiple_of(4);
        Some((code, value))
    })
}

/// Walks the blocks of a pcapng file.
#[derive(Debug, Clone)]
pub struct PcapNgScanner {
    pos: usize,
    /// Where [`super::scanner::read_ahead`] has read up to.
    touched: usize,
    endian: Endian,
    section: u32,
    /// Global index of the current section's interface 0.
    section_first_iface: usize,
    interfaces: Vec<Interface>,
}

impl PcapNgScanner {
    /// Checks the first Section Header Block.
    pub fn new(data: &[u8], path: &Path) -> Result<Self, OpenError> {
        if data.len() < 28 {
            return Err(OpenError::TooShort {
                path: path.to_owned(),
                len: data.len(),
                needed: 28,
                format: "pcapng",
            });
        }
        let endian = section_endian(data, 0).ok_or_else(|| OpenError::BadHeader {
            path: path.to_owned(),
            what: "the pcapng section header has no valid byte-order magic (1a2b3c4d) at byte 8"
                .into(),
        })?;
        Ok(Self {
            pos: 0,
            touched: 0,
            endian,
            section: 0,
            section_first_iface: 0,
            interfaces: Vec::new(),
        })
    }

    /// The container format.
    pub fn format(&self) -> FileFormat {
        FileFormat::PcapNg
    }

    /// Interfaces declared so far, numbered globally.
    pub fn interfaces(&self) -> &[Interface] {
        &self.interfaces
    }

    fn damage(&mut self, offset: usize, what: String) -> Step {
        self.pos = usize::MAX;
        Step::Damaged(ReadError::new(offset as u64, what))
    }

    /// Reads blocks of `data` (the whole file as far as it is known) until the next
    /// packet, the end, or damage. With `growing`, a block cut short by the end of
    /// `data` is [`Step::Incomplete`]: the file is still being written.
    pub fn next_step(&mut self, data: &[u8], growing: bool) -> Step {
        loop {
            let remaining = data.len().saturating_sub(self.pos);
            if remaining == 0 {
                return Step::End;
            }
            let start = self.pos;
            super::scanner::read_ahead(data, &mut self.touched, start);
            if remaining < 12 {
                if growing {
                    return Step::Incomplete;
                }
                return self.damage(
                    start,
                    format!("the file is cut short in a block header: 12 bytes expected, {remaining} present"),
                );
            }
            let raw_type = bytes::le_u32(data, start).unwrap_or(0);
            if raw_type == SHB {
                match section_endian(data, start) {
                    Some(endian) => self.endian = endian,
                    None => {
                        return self.damage(
                            start + 8,
                            "a section header block has no valid byte-order magic (1a2b3c4d)"
                                .into(),
                        );
                    }
                }
            }
            let endian = self.endian;
            let block_type = endian.u32(data, start).unwrap_or(0);
            let total = endian.u32(data, start + 4).unwrap_or(0);
            if total < 12 {
                return self.damage(
                    start + 4,
                    format!("block length {total} is less than the minimum of 12 bytes"),
                );
            }
            if !total.is_multiple_of(4) {
                return self.damage(
                    start + 4,
                    format!("block length {total} is not a multiple of 4"),
                );
            }
            if total > MAX_BLOCK_LEN {
                return self.damage(
                    start + 4,
                    format!("block length {total} is larger than the maximum of {MAX_BLOCK_LEN}"),
                );
            }
            if total as usize > remaining {
                if growing {
                    return Step::Incomplete;
                }
                return self.damage(
                    start,
                    format!(
                        "the file is cut short in the middle of a block: its length is {total} bytes, {remaining} remain"
                    ),
                );
            }
            let trailer = endian.u32(data, start + total as usize - 4).unwrap_or(0);
            if trailer != total {
                return self.damage(
                    start + total as usize - 4,
                    format!("block lengths disagree: {total} at the start, {trailer} at the end"),
                );
            }
            let body = bytes::slice(data, start + 8, total as usize - 12).unwrap_or(&[]);
            self.pos = start + total as usize;
            let step = match block_type {
                SHB => {
                    if start != 0 {
                        self.section += 1;
                    }
                    self.section_first_iface = self.interfaces.len();
                    None
                }
                IDB => self.interface(start, body),
                EPB | OPB => self.enhanced(start, total, body, block_type == OPB),
                SPB => self.simple(start, total, body),
                _ => None,
            };
            if let Some(step) = step {
                return step;
            }
        }
    }

    fn interface(&mut self, start: usize, body: &[u8]) -> Option<Step> {
        let endian = self.endian;
        let (Some(link), Some(snaplen)) = (endian.u16(body, 0), endian.u32(body, 4)) else {
            return Some(self.damage(
                start,
                "an interface description block is shorter than its 8 fixed bytes".into(),
            ));
        };
        if self.interfaces.len() >= usize::from(u16::MAX) {
            return Some(self.damage(start, "more than 65535 interfaces".into()));
        }
        let link_type = LinkType(link);
        if !link_type.is_readable() {
            return Some(self.damage(
                start,
                format!(
                    "interface {} has link type {link}, which synack (like tshark) cannot read",
                    self.interfaces.len()
                ),
            ));
        }
        let mut iface = Interface {
            snaplen,
            section: self.section,
            ..Interface::new(link_type)
        };
        for (code, value) in options(bytes::tail(body, 8), endian) {
            let mut kept = value.to_vec();
            match code {
                IF_NAME => iface.name = Some(String::from_utf8_lossy(value).into_owned()),
                IF_DESCRIPTION => {
                    iface.description = Some(String::from_utf8_lossy(value).into_owned())
                }
                IF_TSRESOL => {
                    if let Some(&byte) = value.first() {
                        let n = byte & 0x7f;
                        iface.ts_resolution = if byte & 0x80 != 0 {
                            TsResolution::Binary(n)
                        } else {
                            TsResolution::Decimal(n)
                        };
                    }
                }
                IF_TSOFFSET | IF_SPEED => {
                    if let Some(number) = endian.u64(value, 0) {
                        if code == IF_TSOFFSET {
                            iface.ts_offset_secs = number as i64;
                        }
                        kept = number.to_le_bytes().to_vec();
                    }
                }
                _ => {}
            }
            iface.options.push((code, kept));
        }
        self.interfaces.push(iface);
        None
    }

    fn global_iface(&self, local: u32) -> Option<(u16, &Interface)> {
        let global = self.section_first_iface.checked_add(local as usize)?;
        let iface = self.interfaces.get(global)?;
        Some((u16::try_from(global).ok()?, iface))
    }

    fn enhanced(&mut self, start: usize, _total: u32, body: &[u8], obsolete: bool) -> Option<Step> {
        let endian = self.endian;
        let fixed = 20usize;
        let kind = if obsolete {
            "packet block"
        } else {
            "enhanced packet block"
        };
        if body.len() < fixed {
            return Some(self.damage(
                start,
                format!("an {kind} is shorter than its 20 fixed bytes"),
            ));
        }
        let local = if obsolete {
            u32::from(endian.u16(body, 0).unwrap_or(0))
        } else {
            endian.u32(body, 0).unwrap_or(0)
        };
        let ts_high = u64::from(endian.u32(body, 4).unwrap_or(0));
        let ts_low = u64::from(endian.u32(body, 8).unwrap_or(0));
        let cap_len = endian.u32(body, 12).unwrap_or(0);
        let orig_len = endian.u32(body, 16).unwrap_or(0);
        let Some((iface_id, iface)) = self.global_iface(local) else {
            let count = self.interfaces.len() - self.section_first_iface;
            return Some(self.damage(
                start + 8,
                format!("an {kind} names interface {local}, but the section declares {count}"),
            ));
        };
        let room = body.len() - fixed;
        if cap_len as usize > room {
            return Some(self.damage(
                start + 20,
                format!(
                    "an {kind} claims {cap_len} captured bytes, but the block holds only {room}"
                ),
            ));
        }
        let ticks = (ts_high << 32) | ts_low;
        let ts_nanos = iface
            .ts_resolution
            .ticks_to_nanos(ticks)
            .saturating_add(iface.ts_offset_secs.saturating_mul(1_000_000_000));
        let padded = (cap_len as usize).next_multiple_of(4);
        let has_options = room > padded;
        Some(Step::Packet(PacketRecord::new(
            (start + 28) as u64,
            ts_nanos,
            cap_len,
            orig_len,
            iface_id,
            if obsolete {
                BlockKind::Obsolete
            } else {
                BlockKind::Enhanced
            },
            has_options,
        )))
    }

    fn simple(&mut self, start: usize, _total: u32, body: &[u8]) -> Option<Step> {
        let endian = self.endian;
        let Some(orig_len) = endian.u32(body, 0) else {
            return Some(self.damage(
                start,
                "a simple packet block is shorter than 4 bytes".into(),
            ));
        };
        let Some((iface_id, iface)) = self.global_iface(0) else {
            return Some(self.damage(
                start,
                "a simple packet block comes before any interface description block".into(),
            ));
        };
        let room = (body.len() - 4) as u32;
        let mut cap_len = orig_len.min(room);
        if iface.snaplen != 0 {
            cap_len = cap_len.min(iface.snaplen);
        }
        Some(Step::Packet(PacketRecord::new(
            (start + 12) as u64,
            0,
            cap_len,
            orig_len,
            iface_id,
            BlockKind::Simple,
            false,
        )))
    }
}

/// Reads the byte-order magic of the Section Header Block at `start`.
fn section_endian(data: &[u8], start: usize) -> Option<Endian> {
    match bytes::le_u32(data, start + 8)? {
        BYTE_ORDER_MAGIC => Some(Endian::Little),
        0x4D3C_2B1A => Some(Endian::Big),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(kind: u32, body: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        crate::capture::writer::block(&mut out, kind, body).unwrap();
        out
    }

    fn shb() -> Vec<u8> {
        let mut body = BYTE_ORDER_MAGIC.to_le_bytes().to_vec();
        body.extend_from_slice(&[1, 0, 0, 0]);
        body.extend_from_slice(&(-1i64).to_le_bytes());
        block(SHB, &body)
    }

    fn idb(link: u16, tsresol: Option<u8>) -> Vec<u8> {
        let mut body = link.to_le_bytes().to_vec();
        body.extend_from_slice(&[0, 0]);
        body.extend_from_slice(&262144u32.to_le_bytes());
        if let Some(r) = tsresol {
            body.extend_from_slice(&IF_TSRESOL.to_le_bytes());
            body.extend_from_slice(&1u16.to_le_bytes());
            body.extend_from_slice(&[r, 0, 0, 0]);
            body.extend_from_slice(&[0, 0, 0, 0]);
        }
        block(IDB, &body)
    }

    fn epb(iface: u32, ticks: u64, data: &[u8]) -> Vec<u8> {
        let mut body = iface.to_le_bytes().to_vec();
        body.extend_from_slice(&((ticks >> 32) as u32).to_le_bytes());
        body.extend_from_slice(&(ticks as u32).to_le_bytes());
        body.extend_from_slice(&(data.len() as u32).to_le_bytes());
        body.extend_from_slice(&(data.len() as u32).to_le_bytes());
        body.extend_from_slice(data);
        block(EPB, &body)
    }

    fn scan(data: &[u8]) -> (Vec<PacketRecord>, Vec<Interface>, Option<ReadError>) {
        let mut scanner = PcapNgScanner::new(data, Path::new("t.pcapng")).unwrap();
        let mut packets = Vec::new();
        loop {
            match scanner.next_step(data, false) {
                Step::Packet(p) => packets.push(p),
                Step::End => return (packets, scanner.interfaces.clone(), None),
                Step::Damaged(e) => return (packets, scanner.interfaces.clone(), Some(e)),
                Step::Incomplete => return (packets, scanner.interfaces.clone(), None),
            }
        }
    }

    #[test]
    fn sections_renumber_interfaces_and_resolutions_apply() {
        let mut file = shb();
        file.extend(idb(1, None));
        file.extend(idb(113, Some(9)));
        file.extend(epb(1, 1_500_000_000, b"abcd"));
        file.extend(block(0x0BAD, b"custom"));
        file.extend(shb());
        file.extend(idb(228, Some(0x80 | 10)));
        file.extend(epb(0, 2048, b"xyz"));
        let (packets, interfaces, damage) = scan(&file);
        assert!(damage.is_none(), "{damage:?}");
        assert_eq!(interfaces.len(), 3);
        assert_eq!(packets.len(), 2);
        assert_eq!(packets[0].iface(), 1);
        assert_eq!({ packets[0].ts_nanos }, 1_500_000_000);
        assert_eq!(packets[1].iface(), 2);
        assert_eq!({ packets[1].ts_nanos }, 2_000_000_000);
        assert_eq!(interfaces[2].section, 1);
    }

    #[test]
    fn bad_interface_and_bad_length_are_damage() {
        let mut file = shb();
        file.extend(idb(1, None));
        file.extend(epb(0, 1, b"ok"));
        file.extend(epb(7, 1, b"no"));
        let (packets, _, damage) = scan(&file);
        assert_eq!(packets.len(), 1);
        assert!(damage.unwrap().what.contains("interface 7"));

        let mut file = shb();
        file.extend(idb(1, None));
        let mut bad = epb(0, 1, b"ok");
        bad[4..8].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
        file.extend(bad);
        let (packets, _, damage) = scan(&file);
        assert_eq!(packets.len(), 0);
        assert!(damage.unwrap().what.contains("larger than the maximum"));
    }
}
