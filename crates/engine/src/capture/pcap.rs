//! Classic libpcap files: a 24-byte file header, then 16-byte record headers.
//!
//! Both byte orders and both clocks (microsecond magic a1b2c3d4, nanosecond magic
//! a1b23c4d) are read. Record lengths are checked before use, so a lying length is
//! reported as damage at its offset and never becomes an allocation.

use super::error::{OpenError, ReadError};
use super::index::{BlockKind, FileFormat, Interface, PacketRecord, TsResolution};
use super::linktype::LinkType;
use super::scanner::Step;
use crate::bytes::Endian;
use std::path::Path;

/// Size of the pcap file header.
pub const FILE_HEADER_LEN: usize = 24;
/// Size of a pcap record header.
pub const RECORD_HEADER_LEN: usize = 16;
/// Largest packet tshark accepts for most link types (WTAP_MAX_PACKET_SIZE_STANDARD).
pub const MAX_PACKET_LEN: u32 = 262_144;

/// Largest packet tshark accepts for `link_type`.
pub fn max_packet_len(link_type: LinkType) -> u32 {
    match link_type.0 {
        231 => 128 * 1024 * 1024, // D-Bus
        279 => 8 * 1024 * 1024,   // EBHSCR
        _ => MAX_PACKET_LEN,
    }
}

/// Recognises the pcap magic number, returning (byte order, nanosecond clock).
pub fn detect_magic(data: &[u8]) -> Option<(Endian, bool)> {
    match crate::bytes::array::<4>(data, 0)? {
        [0xd4, 0xc3, 0xb2, 0xa1] => Some((Endian::Little, false)),
        [0xa1, 0xb2, 0xc3, 0xd4] => Some((Endian::Big, false)),
        [0x4d, 0x3c, 0xb2, 0xa1] => Some((Endian::Little, true)),
        [0xa1, 0xb2, 0x3c, 0x4d] => Some((Endian::Big, true)),
        _ => None,
    }
}

/// Walks the records of a pcap file.
#[derive(Debug, Clone)]
pub struct PcapScanner {
    pos: usize,
    /// Where [`super::scanner::read_ahead`] has read up to.
    touched: usize,
    endian: Endian,
    nanos: bool,
    link_type: LinkType,
    snaplen: u32,
    interfaces: Vec<Interface>,
}

impl PcapScanner {
    /// Reads the file header.
    pub fn new(data: &[u8], path: &Path) -> Result<Self, OpenError> {
        let (endian, nanos) = detect_magic(data).ok_or_else(|| OpenError::BadHeader {
            path: path.to_owned(),
            what: "not a pcap file".into(),
        })?;
        let too_short = || OpenError::TooShort {
            path: path.to_owned(),
            len: data.len(),
            needed: FILE_HEADER_LEN,
            format: "pcap",
        };
        let snaplen = endian.u32(data, 16).ok_or_else(too_short)?;
        let network = endian.u32(data, 20).ok_or_else(too_short)?;
        let link_type = LinkType::from_pcap_network(network);
        if !link_type.is_readable() {
            return Err(OpenError::BadHeader {
                path: path.to_owned(),
                what: format!(
                    "the capture's link type {} is not one synack (or tshark) can read",
                    link_type.0
                ),
            });
        }
        let ts_resolution = if nanos {
            TsResolution::NANOS
        } else {
            TsResolution::MICROS
        };
        let interface = Interface {
            snaplen,
            ts_resolution,
            ..Interface::new(link_type)
        };
        Ok(Self {
            pos: FILE_HEADER_LEN,
            touched: 0,
            endian,
            nanos,
            link_type,
            snaplen,
            interfaces: vec![interface],
        })
    }

    /// The file's container format and header values.
    pub fn format(&self) -> FileFormat {
        FileFormat::Pcap {
            nanos: self.nanos,
            big_endian: self.endian == Endian::Big,
            snaplen: self.snaplen,
        }
    }

    /// The single interface a pcap file has.
    pub fn interfaces(&self) -> &[Interface] {
        &self.interfaces
    }

    /// A record cut short by the end of the data at `offset`: still being written
    /// when the file is `growing`, else damage that ends the scan (`message` says
    /// where and by how much).
    fn cut_short(&mut self, offset: u64, growing: bool, message: impl FnOnce() -> String) -> Step {
        if growing {
            return Step::Incomplete;
        }
        self.pos = usize::MAX;
        Step::Damaged(ReadError::new(offset, message()))
    }

    /// Reads the next record from `data` (the whole file as far as it is known).
    /// With `growing`, a record cut short by the end of `data` is not damage but
    /// [`Step::Incomplete`]: the file is still being written.
    pub fn next_step(&mut self, data: &[u8], growing: bool) -> Step {
        let remaining = data.len().saturating_sub(self.pos);
        if remaining == 0 {
            return Step::End;
        }
        super::scanner::read_ahead(data, &mut self.touched, self.pos);
        let offset = self.pos as u64;
        if remaining < RECORD_HEADER_LEN {
            return self.cut_short(offset, growing, || {
                format!(
                    "the file is cut short in a record header: {RECORD_HEADER_LEN} bytes expected, {remaining} present"
                )
            });
        }
        let field = |at: usize| self.endian.u32(data, self.pos + at).unwrap_or(0);
        let (secs, frac, cap_len, orig_len) = (field(0), field(4), field(8), field(12));
        let max = max_packet_len(self.link_type);
        if cap_len > max {
            self.pos = usize::MAX;
            return Step::Damaged(ReadError::new(
                offset,
                format!(
                    "the record header gives a {cap_len}-byte packet, bigger than the maximum of {max}"
                ),
            ));
        }
        let body = remaining - RECORD_HEADER_LEN;
        if cap_len as usize > body {
            return self.cut_short(offset, growing, || {
                format!(
                    "the file is cut short in the middle of a packet: the record needs {cap_len} bytes, {body} remain"
                )
            });
        }
        let frac_nanos = if self.nanos {
            i64::from(frac)
        } else {
            i64::from(frac) * 1000
        };
        let record = PacketRecord::new(
            offset + RECORD_HEADER_LEN as u64,
            i64::from(secs) * 1_000_000_000 + frac_nanos,
            cap_len,
            orig_len,
            0,
            BlockKind::PcapRecord,
            false,
        );
        self.pos += RECORD_HEADER_LEN + cap_len as usize;
        Step::Packet(record)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(records: &[(u32, u32, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let word = 0xa1b2c3d4u32;
            out.extend_from_slice(&word.to_le_bytes());
        }
        out.extend_from_slice(&2u16.to_le_bytes());
        out.extend_from_slice(&4u16.to_le_bytes());
        out.extend_from_slice(&[0; 8]);
        out.extend_from_slice(&65535u32.to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
        for (caplen, len, data) in records {
            out.extend_from_slice(&1u32.to_le_bytes());
            out.extend_from_slice(&2u32.to_le_bytes());
            out.extend_from_slice(&caplen.to_le_bytes());
            out.extend_from_slice(&len.to_le_bytes());
            out.extend_from_slice(data);
        }
        out
    }

    fn scan(data: &[u8]) -> (Vec<PacketRecord>, Option<ReadError>) {
        let mut scanner = PcapScanner::new(data, Path::new("t.pcap")).unwrap();
        let mut packets = Vec::new();
        loop {
            match scanner.next_step(data, false) {
                Step::Packet(p) => packets.push(p),
                Step::End => return (packets, None),
                Step::Damaged(e) => return (packets, Some(e)),
                Step::Incomplete => return (packets, None),
            }
        }
    }

    #[test]
    fn reads_records() {
        let data = file(&[(3, 60, b"abc"), (1, 1, b"z")]);
        let (packets, damage) = scan(&data);
        assert!(damage.is_none());
        assert_eq!(packets.len(), 2);
        assert_eq!(packets[0].data_offset(), 40);
        assert_eq!({ packets[0].ts_nanos }, 1_000_002_000);
        assert_eq!(packets[1].data_offset(), 40 + 3 + 16);
    }

    #[test]
    fn lying_length_is_damage_not_allocation() {
        let data = file(&[(3, 3, b"abc"), (u32::MAX, 3, b"")]);
        let (packets, damage) = scan(&data);
        assert_eq!(packets.len(), 1);
        let damage = damage.unwrap();
        assert_eq!(damage.offset, 43);
        assert!(damage.what.contains("4294967295"), "{}", damage.what);
    }

    #[test]
    fn truncated_record_is_reported_with_offset() {
        let mut data = file(&[(3, 3, b"abc"), (10, 10, b"0123456789")]);
        data.truncate(data.len() - 4);
        let (packets, damage) = scan(&data);
        assert_eq!(packets.len(), 1);
        assert!(damage.unwrap().what.contains("cut short"));
        let mut data = file(&[(3, 3, b"abc")]);
        data.extend_from_slice(&[1, 2, 3]);
        let (packets, damage) = scan(&data);
        assert_eq!(packets.len(), 1);
        assert!(damage.unwrap().what.contains("record header"));
    }
}
