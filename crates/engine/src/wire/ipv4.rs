//! The IPv4 header (RFC 791 section 3.1), read in place.

use super::short::{Limit, Short};
use crate::bytes;

/// Byte ranges of the fixed header.
mod field {
    use std::ops::Range;

    /// Version (high 4 bits) and IHL (low 4 bits).
    pub const VER_IHL: usize = 0;
    /// Type of service: DSCP (6 bits) and ECN (2 bits).
    pub const TOS: usize = 1;
    pub const LENGTH: Range<usize> = 2..4;
    pub const IDENT: Range<usize> = 4..6;
    /// Flags (3 bits) and fragment offset (13 bits).
    pub const FLG_OFF: Range<usize> = 6..8;
    pub const TTL: usize = 8;
    pub const PROTOCOL: usize = 9;
    pub const CHECKSUM: Range<usize> = 10..12;
    pub const SRC_ADDR: Range<usize> = 12..16;
    pub const DST_ADDR: Range<usize> = 16..20;
    /// Length of the fixed header; the options follow it.
    pub const FIXED_LEN: usize = 20;
}

/// The layer name in a [`Short`].
const LAYER: &str = "IPv4";

/// An IPv4 header over captured bytes: the 20 fixed bytes are there.
#[derive(Debug, Clone, Copy)]
pub struct Ipv4View<'a> {
    fixed: &'a [u8; field::FIXED_LEN],
    /// The captured bytes from the start of the header.
    data: &'a [u8],
}

impl<'a> Ipv4View<'a> {
    /// The header at the start of `data`, or what the fixed part needed and had.
    #[inline]
    pub fn new(data: &'a [u8]) -> Result<Ipv4View<'a>, Short> {
        let fixed = super::fixed::<{ field::FIXED_LEN }>(data, LAYER)?;
        Ok(Ipv4View { fixed, data })
    }

    /// The version of a header that may be cut, from its first byte.
    #[inline]
    pub fn version_of(data: &[u8]) -> Option<u8> {
        bytes::u8_at(data, field::VER_IHL).map(|b| b >> 4)
    }

    #[inline]
    fn addr_at(&self, at: usize) -> [u8; 4] {
        bytes::array::<4>(self.fixed, at).unwrap_or_default()
    }

    /// Version (4 for a sound header).
    #[inline]
    pub fn version(&self) -> u8 {
        super::u8_in(self.fixed, field::VER_IHL) >> 4
    }

    /// Internet header length in 32-bit words.
    #[inline]
    pub fn ihl(&self) -> u8 {
        super::u8_in(self.fixed, field::VER_IHL) & 0x0f
    }

    /// The header length in bytes, as the IHL says (may be impossible).
    #[inline]
    pub fn header_len(&self) -> usize {
        usize::from(self.ihl()) * 4
    }

    fixed_fields! {
        /// Type of service byte: DSCP and ECN.
        tos: u8 = u8_in(field::TOS);

        /// Total length of the datagram.
        total_len: u16 = u16_in(field::LENGTH.start);

        /// Identification.
        ident: u16 = u16_in(field::IDENT.start);

        /// The flags and fragment offset word as on the wire.
        flags_and_offset: u16 = u16_in(field::FLG_OFF.start);
    }

    /// The three flag bits: reserved (4), don't fragment (2), more fragments (1).
    #[inline]
    pub fn flags(&self) -> u8 {
        (self.flags_and_offset() >> 13) as u8
    }

    /// Fragment offset in units of 8 bytes.
    #[inline]
    pub fn frag_offset(&self) -> u16 {
        self.flags_and_offset() & 0x1fff
    }

    /// Whether the datagram is a fragment: more fragments set or a nonzero offset.
    #[inline]
    pub fn is_fragment(&self) -> bool {
        self.flags_and_offset() & 0x3fff != 0
    }

    fixed_fields! {
        /// Time to live.
        ttl: u8 = u8_in(field::TTL);

        /// Protocol of the payload.
        protocol: u8 = u8_in(field::PROTOCOL);

        /// Header checksum.
        checksum: u16 = u16_in(field::CHECKSUM.start);
    }

    /// Source address.
    #[inline]
    pub fn src_addr(&self) -> [u8; 4] {
        self.addr_at(field::SRC_ADDR.start)
    }

    /// Destination address.
    #[inline]
    pub fn dst_addr(&self) -> [u8; 4] {
        self.addr_at(field::DST_ADDR.start)
    }

    /// Whether the IHL names at least the fixed header and at most `total` bytes.
    #[inline]
    pub fn check_len(&self, total: usize) -> Result<(), Short> {
        let header_len = self.header_len();
        let (needed, available) = if header_len < field::FIXED_LEN {
            (field::FIXED_LEN, header_len)
        } else if total < header_len {
            (header_len, total)
        } else {
            return Ok(());
        };
        Err(Short {
            layer: LAYER,
            offset: 0,
            needed,
            available,
            limit: Limit::Declared,
        })
    }

    /// The whole header as the IHL says, when captured (for the checksum).
    #[inline]
    pub fn header(&self) -> Option<&'a [u8]> {
        self.data.get(..self.header_len())
    }

    /// The captured option bytes (at most IHL * 4 - 20).
    #[inline]
    pub fn options(&self) -> &'a [u8] {
        let captured = bytes::tail(self.data, field::FIXED_LEN);
        captured
            .get(..self.header_len().saturating_sub(field::FIXED_LEN))
            .unwrap_or(captured)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;
    use crate::wire::testing::{SYN, hex};

    /// The IPv4 header of tcp_clean_close.pcap frame 9 (after 14 bytes of Ethernet).
    fn syn() -> Vec<u8> {
        hex(SYN)[14..].to_vec()
    }

    #[test]
    fn syn_fields() {
        let bytes = syn();
        let ip = Ipv4View::new(&bytes).unwrap();
        assert_eq!(ip.version(), 4);
        assert_eq!(Ipv4View::version_of(&bytes[..1]), Some(4));
        assert_eq!(Ipv4View::version_of(&[]), None);
        assert_eq!(ip.header_len(), 20);
        assert_eq!(ip.tos(), 0);
        assert_eq!(ip.total_len(), 60);
        assert_eq!(ip.ident(), 0x49b3);
        assert_eq!(ip.flags(), 2);
        assert_eq!(ip.frag_offset(), 0);
        assert!(!ip.is_fragment());
        assert_eq!(ip.ttl(), 64);
        assert_eq!(ip.protocol(), 6);
        assert_eq!(ip.checksum(), 0xdcf2);
        assert_eq!(ip.src_addr(), [10, 10, 0, 1]);
        assert_eq!(ip.dst_addr(), [10, 10, 0, 2]);
        assert!(ip.options().is_empty());
        assert_eq!(ip.header().map(<[u8]>::len), Some(20));
        assert_eq!(ip.check_len(60), Ok(()));
    }

    #[test]
    fn truncated() {
        let bytes = syn();
        assert_eq!(
            Ipv4View::new(&bytes[..12]).unwrap_err(),
            Short::captured("IPv4", 20, 12)
        );
    }

    #[test]
    fn impossible_lengths() {
        let mut bytes = syn();
        bytes[0] = 0x43;
        let short = Ipv4View::new(&bytes).unwrap().check_len(60).unwrap_err();
        assert_eq!((short.needed, short.available), (20, 12));
        bytes[0] = 0x4f;
        let ip = Ipv4View::new(&bytes).unwrap();
        let short = ip.check_len(40).unwrap_err();
        assert_eq!((short.needed, short.available), (60, 40));
        // The options are what was captured of the 40 declared bytes.
        assert_eq!(ip.options().len(), 40);
        assert_eq!(Ipv4View::new(&bytes[..30]).unwrap().options().len(), 10);
    }

    #[test]
    fn every_prefix_gives_a_view_or_short() {
        let bytes = syn();
        for end in 0..=bytes.len() {
            match Ipv4View::new(&bytes[..end]) {
                Ok(ip) => {
                    assert!(ip.options().len() <= 40);
                    assert!(end >= 20);
                }
                Err(short) => assert_eq!((short.needed, short.available), (20, end)),
            }
        }
    }
}
