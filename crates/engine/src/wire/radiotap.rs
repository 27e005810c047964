//! The radiotap header (radiotap.org; `LINKTYPE_IEEE802_11_RADIOTAP`, 127): a version,
//! a length, one or more little-endian presence words, then the fields they announce,
//! each aligned to its own size from the start of the header.

use super::short::{Limit, Short};
use crate::bytes::{self, Endian};

/// The layer name in a [`Short`].
const LAYER: &str = "Radiotap";

/// Byte ranges of the fixed part.
mod field {
    pub const VERSION: usize = 0;
    pub const PAD: usize = 1;
    pub const LENGTH: usize = 2;
    pub const PRESENT: usize = 4;
    /// The fixed part: version, pad, length and the first presence word.
    pub const FIXED_LEN: usize = 8;
}

/// Presence words followed at most (a capture that sets the extension bit in every
/// word must not make us walk its whole header word by word).
const MAX_WORDS: usize = 32;
/// The extension bit: another presence word follows.
const EXT: u32 = 1 << 31;
/// The next word is in the radiotap namespace, restarting at bit 0.
const RADIOTAP_NS_NEXT: u32 = 1 << 29;
/// A vendor namespace header is the field at this bit; the next word is the vendor's.
const VENDOR_NS_NEXT: u32 = 1 << 30;

/// (alignment, size) of the radiotap fields of bits 0 to 27 (radiotap.org's defined
/// fields); later bits have no size we could skip.
#[rustfmt::skip]
const LAYOUT: [(usize, usize); 28] = [
    (8, 8), (1, 1), (1, 1), (2, 4), (1, 2), (1, 1), (1, 1), (2, 2), (2, 2), (2, 2),
    (1, 1), (1, 1), (1, 1), (1, 1), (2, 2), (2, 2), (1, 1), (1, 1), (4, 8), (1, 3),
    (4, 8), (2, 12), (8, 12), (2, 12), (2, 12), (2, 6), (1, 1), (2, 4),
];

/// One field of a radiotap header: its bit in its presence word, where its bytes are
/// (from the start of the header) and whether it belongs to an extra radiotap
/// namespace (per-antenna values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RadiotapField {
    /// The field's bit (0 = TSFT, 1 = Flags, ... as radiotap.org numbers them), or
    /// 30 for a vendor namespace (its 6-byte header and the data it skips).
    pub bit: u8,
    /// Offset from the start of the radiotap header.
    pub offset: usize,
    /// Length in bytes (a vendor namespace: its header and data).
    pub len: usize,
    /// 0 for the first radiotap namespace, 1 and up for the later ones.
    pub namespace: u8,
}

/// A radiotap header over captured bytes: the fixed part is there and the declared
/// length fits the captured bytes.
#[derive(Debug, Clone, Copy)]
pub struct RadiotapView<'a> {
    header: &'a [u8],
}

impl<'a> RadiotapView<'a> {
    /// The header at the start of `data`, or what it needed and had: the fixed part
    /// cut, a length below 8 (impossible) or past the captured bytes.
    pub fn new(data: &'a [u8]) -> Result<RadiotapView<'a>, Short> {
        let fixed = super::fixed::<{ field::FIXED_LEN }>(data, LAYER)?;
        let len = usize::from(bytes::le_u16(fixed, field::LENGTH).unwrap_or(0));
        if len < field::FIXED_LEN {
            return Err(Short {
                layer: LAYER,
                offset: 0,
                needed: field::FIXED_LEN,
                available: len,
                limit: Limit::Declared,
            });
        }
        let header = data
            .get(..len)
            .ok_or(Short::captured(LAYER, len, data.len()))?;
        Ok(RadiotapView { header })
    }

    /// Header revision (0).
    pub fn version(&self) -> u8 {
        bytes::u8_at(self.header, field::VERSION).unwrap_or(0)
    }

    /// The pad byte.
    pub fn pad(&self) -> u8 {
        bytes::u8_at(self.header, field::PAD).unwrap_or(0)
    }

    /// The header's length, fields included (what the 802.11 frame follows).
    pub fn len(&self) -> usize {
        self.header.len()
    }

    /// Whether the header is only its fixed part (never: the length is at least 8).
    pub fn is_empty(&self) -> bool {
        self.header.is_empty()
    }

    /// The header's bytes.
    pub fn bytes(&self) -> &'a [u8] {
        self.header
    }

    /// The presence words with their offsets, up to the first without the extension
    /// bit (or the header's end).
    pub fn present_words(&self) -> impl Iterator<Item = (usize, u32)> + 'a {
        let header = self.header;
        let mut at = Some(field::PRESENT);
        std::iter::from_fn(move || {
            let offset = at?;
            let word = bytes::le_u32(header, offset)?;
            at = (word & EXT != 0).then(|| offset.checked_add(4)).flatten();
            Some((offset, word))
        })
        .take(MAX_WORDS)
    }

    /// Calls `each` with the fields in the order the presence words announce them.
    /// The walk stops at a field with no known size (a later radiotap bit) or one past
    /// the header's end, as tshark's does. A walk rather than a list: the load pass
    /// reads every frame's fields once and keeps none, so nothing is allocated.
    #[inline(always)]
    pub fn for_each_field(&self, mut each: impl FnMut(RadiotapField)) {
        let header = self.header;
        let words = self.present_words().count();
        // `at` never passes the header's end (at most 65535 bytes), so the sums
        // below cannot overflow.
        let mut at = field::PRESENT + 4 * words;
        let mut namespace = 0u8;
        let mut in_radiotap = true;
        let mut first_word_of_ns = true;
        for i in 0..words {
            let Some(word) = bytes::le_u32(header, field::PRESENT + 4 * i) else {
                return;
            };
            if in_radiotap && !first_word_of_ns {
                // Bits 32 and up of the radiotap namespace: no layout known.
                if word & !(EXT | RADIOTAP_NS_NEXT | VENDOR_NS_NEXT) != 0 {
                    return;
                }
            }
            if in_radiotap && first_word_of_ns {
                // Only the bits set, lowest first (a frame sets a handful of 28).
                let mut bits = word & ((1 << 28) - 1);
                while bits != 0 {
                    let bit = bits.trailing_zeros() as u8;
                    bits &= bits - 1;
                    let Some(&(align, size)) = LAYOUT.get(usize::from(bit)) else {
                        return;
                    };
                    // Alignments are powers of two.
                    let offset = (at + (align - 1)) & !(align - 1);
                    let end = offset + size;
                    if end > header.len() {
                        return;
                    }
                    each(RadiotapField {
                        bit,
                        offset,
                        len: size,
                        namespace,
                    });
                    at = end;
                }
                if word & (1 << 28) != 0 {
                    // TLVs: tshark's walk stops there too.
                    return;
                }
            }
            if word & VENDOR_NS_NEXT != 0 {
                // The vendor namespace header: OUI, sub-namespace, the data's length.
                let offset = (at + 1) & !1;
                let Some(skip) = bytes::le_u16(header, offset + 4) else {
                    return;
                };
                let len = usize::from(skip) + 6;
                let end = offset + len;
                if end > header.len() {
                    return;
                }
                each(RadiotapField {
                    bit: 30,
                    offset,
                    len,
                    namespace,
                });
                at = end;
                in_radiotap = false;
                first_word_of_ns = true;
            } else if word & RADIOTAP_NS_NEXT != 0 {
                in_radiotap = true;
                first_word_of_ns = true;
                namespace = namespace.saturating_add(1);
            } else {
                first_word_of_ns = false;
            }
        }
    }

    /// A field's little-endian value of up to 8 bytes.
    pub fn value(&self, f: &RadiotapField) -> u64 {
        match f.len {
            1 => bytes::u8_at(self.header, f.offset).map_or(0, u64::from),
            2 => bytes::le_u16(self.header, f.offset).map_or(0, u64::from),
            4 => bytes::le_u32(self.header, f.offset).map_or(0, u64::from),
            8 => Endian::Little.u64(self.header, f.offset).unwrap_or(0),
            _ => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;
    use crate::wire::testing::hex;

    /// ieee802.11_rx-stbc.pcap frame 1: the 37-byte radiotap header (TSFT, flags,
    /// channel, dBm signal, antenna, RX flags, MCS).
    const RX_STBC: &str = "00 00 25 00 2b 48 08 00 64 1c 00 00 00 00 00 00 \
        10 00 9e 09 80 04 cd 01 00 00 27 25 07 00 00 00 00 00 00 00 00";

    #[test]
    fn fields_in_order_with_alignment() {
        let bytes = hex(RX_STBC);
        let rt = RadiotapView::new(&bytes).unwrap();
        assert_eq!(rt.len(), 37);
        assert_eq!(
            rt.present_words().collect::<Vec<_>>(),
            vec![(4, 0x0008_482b)]
        );
        let mut bits: Vec<(u8, usize)> = Vec::new();
        rt.for_each_field(|f| bits.push((f.bit, f.offset)));
        assert_eq!(
            bits,
            vec![
                (0, 8),
                (1, 16),
                (3, 18),
                (5, 22),
                (11, 23),
                (14, 24),
                (19, 26)
            ]
        );
    }

    #[test]
    fn truncated_and_impossible() {
        let mut bytes = hex(RX_STBC);
        assert_eq!(
            RadiotapView::new(&bytes[..5]).unwrap_err(),
            Short::captured("Radiotap", 8, 5)
        );
        assert_eq!(
            RadiotapView::new(&bytes[..20]).unwrap_err(),
            Short::captured("Radiotap", 37, 20)
        );
        bytes[2] = 3;
        assert_eq!(
            RadiotapView::new(&bytes).unwrap_err().limit,
            Limit::Declared
        );
        // A header claiming every extension word stops at its own end.
        let mut ext = vec![0, 0, 40, 0];
        for _ in 0..9 {
            ext.extend_from_slice(&[0xff, 0xff, 0xff, 0xff]);
        }
        let rt = RadiotapView::new(&ext).unwrap();
        assert_eq!(rt.present_words().count(), 9);
        let mut n = 0;
        rt.for_each_field(|_| n += 1);
        assert!(n < 40);
    }
}
