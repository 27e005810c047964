//! The IPv6 fixed header (RFC 8200 section 3), read in place.

use super::short::Short;
use crate::bytes;

/// Byte ranges of the fixed header.
mod field {
    use std::ops::Range;

    /// Version (4 bits), traffic class (8 bits), flow label (20 bits).
    pub const VER_TC_FLOW: Range<usize> = 0..4;
    pub const LENGTH: Range<usize> = 4..6;
    pub const NXT_HDR: usize = 6;
    pub const HOP_LIMIT: usize = 7;
    pub const SRC_ADDR: Range<usize> = 8..24;
    pub const DST_ADDR: Range<usize> = 24..40;
    /// Length of the fixed header.
    pub const FIXED_LEN: usize = 40;
}

/// The layer name in a [`Short`].
const LAYER: &str = "IPv6";

/// An IPv6 fixed header over captured bytes: its 40 bytes are there.
#[derive(Debug, Clone, Copy)]
pub struct Ipv6View<'a> {
    fixed: &'a [u8; field::FIXED_LEN],
}

impl<'a> Ipv6View<'a> {
    /// Length of the fixed header.
    pub const HEADER_LEN: usize = field::FIXED_LEN;

    /// The header at the start of `data`, or what it needed and had.
    #[inline]
    pub fn new(data: &'a [u8]) -> Result<Ipv6View<'a>, Short> {
        let fixed = super::fixed::<{ field::FIXED_LEN }>(data, LAYER)?;
        Ok(Ipv6View { fixed })
    }

    #[inline]
    fn first_word(&self) -> u32 {
        // In range: `fixed` holds the whole header.
        super::u32_in(self.fixed, field::VER_TC_FLOW.start)
    }

    /// Version (6 for a sound header).
    #[inline]
    pub fn version(&self) -> u8 {
        (self.first_word() >> 28) as u8
    }

    /// Traffic class: DSCP and ECN.
    #[inline]
    pub fn traffic_class(&self) -> u8 {
        (self.first_word() >> 20) as u8
    }

    /// Flow label (20 bits).
    #[inline]
    pub fn flow_label(&self) -> u32 {
        self.first_word() & 0x000f_ffff
    }

    fixed_fields! {
        /// Payload length: what follows the fixed header, extension headers included.
        payload_len: u16 = u16_in(field::LENGTH.start);

        /// Next header.
        next_header: u8 = u8_in(field::NXT_HDR);

        /// Hop limit.
        hop_limit: u8 = u8_in(field::HOP_LIMIT);
    }

    /// Source address.
    #[inline]
    pub fn src_addr(&self) -> [u8; 16] {
        bytes::array::<16>(self.fixed, field::SRC_ADDR.start).unwrap_or_default()
    }

    /// Destination address.
    #[inline]
    pub fn dst_addr(&self) -> [u8; 16] {
        bytes::array::<16>(self.fixed, field::DST_ADDR.start).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;
    use crate::wire::testing::{V6_REQUEST, hex};

    /// The IPv6 header of tcp_ipv6.pcapng frame 12 (after 14 bytes of Ethernet).
    fn request() -> Vec<u8> {
        hex(V6_REQUEST)[14..].to_vec()
    }

    #[test]
    fn request_fields() {
        let bytes = request();
        let ip = Ipv6View::new(&bytes).unwrap();
        assert_eq!(ip.version(), 6);
        assert_eq!(ip.traffic_class(), 0);
        assert_eq!(ip.flow_label(), 0x3ef07);
        assert_eq!(ip.payload_len(), 50);
        assert_eq!(ip.next_header(), 6);
        assert_eq!(ip.hop_limit(), 64);
        let mut fd00_1 = [0u8; 16];
        fd00_1[0] = 0xfd;
        fd00_1[15] = 1;
        assert_eq!(ip.src_addr(), fd00_1);
        fd00_1[15] = 2;
        assert_eq!(ip.dst_addr(), fd00_1);
    }

    #[test]
    fn truncated() {
        let bytes = request();
        assert_eq!(
            Ipv6View::new(&bytes[..30]).unwrap_err(),
            Short::captured("IPv6", 40, 30)
        );
    }

    /// A payload length past the capture is still shown: the caller bounds it.
    #[test]
    fn impossible_length_is_read_as_is() {
        let mut bytes = request();
        bytes[4] = 0xff;
        bytes[5] = 0xff;
        assert_eq!(Ipv6View::new(&bytes).unwrap().payload_len(), 0xffff);
    }

    #[test]
    fn every_prefix_gives_a_view_or_short() {
        let bytes = request();
        for end in 0..=bytes.len() {
            match Ipv6View::new(&bytes[..end]) {
                Ok(ip) => assert!(end >= 40 && ip.version() == 6),
                Err(short) => assert_eq!((short.needed, short.available), (40, end)),
            }
        }
    }
}
