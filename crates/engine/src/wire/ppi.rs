//! The Per-Packet Information header (CACE's PPI 1.0.7; `LINKTYPE_PPI`, 192): a
//! version, flags, the header's length and the link type of the frame after it, all
//! little-endian, then (type, length, data) fields.

use super::short::Short;
use crate::bytes;

/// The layer name in a [`Short`].
const LAYER: &str = "PPI";

/// Byte ranges of the fixed part.
mod field {
    pub const VERSION: usize = 0;
    pub const FLAGS: usize = 1;
    pub const LENGTH: usize = 2;
    pub const DLT: usize = 4;
    /// The fixed part: version, flags, length and link type.
    pub const FIXED_LEN: usize = 8;
}

/// The flag saying each field is padded to a multiple of 32 bits.
pub const ALIGNED: u8 = 0x01;

/// A PPI header over captured bytes: only its fixed part is known to be there (the
/// declared length is shown as it is, as tshark does, whatever it says).
#[derive(Debug, Clone, Copy)]
pub struct PpiView<'a> {
    fixed: &'a [u8; field::FIXED_LEN],
}

/// One field header of a PPI header: its type, the length of its data, and where the
/// header starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PpiField {
    /// The field's type (2 = 802.11-Common, 3 = 802.11n MAC, ...).
    pub kind: u16,
    /// The length of its data, the 4-byte field header not included.
    pub len: u16,
    /// Offset of the field header from the start of the PPI header.
    pub offset: usize,
}

impl PpiField {
    /// The field with its header: tshark's extent for the field's subtree.
    pub fn span(&self) -> usize {
        usize::from(self.len) + 4
    }
}

impl<'a> PpiView<'a> {
    /// The header at the start of `data`, or what its fixed part needed and had.
    pub fn new(data: &'a [u8]) -> Result<PpiView<'a>, Short> {
        Ok(PpiView {
            fixed: super::fixed::<{ field::FIXED_LEN }>(data, LAYER)?,
        })
    }

    /// Header version (0).
    #[inline]
    pub fn version(&self) -> u8 {
        super::u8_in(self.fixed, field::VERSION)
    }

    /// The flags (bit 0: fields aligned to 32 bits).
    #[inline]
    pub fn flags(&self) -> u8 {
        super::u8_in(self.fixed, field::FLAGS)
    }

    /// The declared length of the whole header, fields included.
    #[inline]
    pub fn length(&self) -> u16 {
        bytes::le_u16(self.fixed, field::LENGTH).unwrap_or(0)
    }

    /// The link type (DLT) of the frame after the header.
    #[inline]
    pub fn dlt(&self) -> u32 {
        bytes::le_u32(self.fixed, field::DLT).unwrap_or(0)
    }

    /// The field header at `offset` of `data` (the bytes this view was made from), if
    /// its 4 bytes were captured.
    pub fn field_at(data: &[u8], offset: usize) -> Option<PpiField> {
        Some(PpiField {
            kind: bytes::le_u16(data, offset)?,
            len: bytes::le_u16(data, offset.checked_add(2)?)?,
            offset,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::wire::testing::hex;

    /// tests/captures/ppi.pcap frame 1: the header and the start of its 802.11-Common
    /// field.
    const HEADER: &str = "00 00 20 00 69 00 00 00 02 00 14 00";

    #[test]
    fn fixed_part_and_fields() {
        let bytes = hex(HEADER);
        let p = PpiView::new(&bytes).unwrap();
        assert_eq!(
            (p.version(), p.flags(), p.length(), p.dlt()),
            (0, 0, 32, 105)
        );
        let f = PpiView::field_at(&bytes, 8).unwrap();
        assert_eq!((f.kind, f.len, f.span()), (2, 20, 24));
        assert_eq!(PpiView::field_at(&bytes, 10), None);
    }

    #[test]
    fn cut_fixed_part() {
        let bytes = hex(HEADER);
        assert_eq!(
            PpiView::new(&bytes[..7]).unwrap_err(),
            Short::captured("PPI", 8, 7)
        );
    }
}
