//! The UDP header (RFC 768), read in place.

use super::short::Short;

/// Byte ranges of the header.
mod field {
    use std::ops::Range;

    pub const SRC_PORT: Range<usize> = 0..2;
    pub const DST_PORT: Range<usize> = 2..4;
    pub const LENGTH: Range<usize> = 4..6;
    pub const CHECKSUM: Range<usize> = 6..8;
    /// Length of the header.
    pub const HEADER_LEN: usize = 8;
}

/// The layer name in a [`Short`].
const LAYER: &str = "UDP";

/// A UDP header over captured bytes: its 8 bytes are there.
#[derive(Debug, Clone, Copy)]
pub struct UdpView<'a> {
    fixed: &'a [u8; field::HEADER_LEN],
}

impl<'a> UdpView<'a> {
    /// Length of the header.
    pub const HEADER_LEN: usize = field::HEADER_LEN;

    /// The header at the start of `data`, or what it needed and had.
    #[inline]
    pub fn new(data: &'a [u8]) -> Result<UdpView<'a>, Short> {
        let fixed = super::fixed::<{ field::HEADER_LEN }>(data, LAYER)?;
        Ok(UdpView { fixed })
    }

    fixed_fields! {
        /// Source port.
        src_port: u16 = u16_in(field::SRC_PORT.start);

        /// Destination port.
        dst_port: u16 = u16_in(field::DST_PORT.start);

        /// Length of header and data (may be impossible: below 8 or past the datagram).
        length: u16 = u16_in(field::LENGTH.start);

        /// Checksum (0: none computed).
        checksum: u16 = u16_in(field::CHECKSUM.start);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;
    use crate::wire::testing::hex;

    /// dns_udp.pcap frame 6: the UDP header of a DNS answer.
    const ANSWER_UDP: &str = "00 35 8f b9 00 45 e3 6a";

    #[test]
    fn answer_fields() {
        let bytes = hex(ANSWER_UDP);
        let udp = UdpView::new(&bytes).unwrap();
        assert_eq!(udp.src_port(), 53);
        assert_eq!(udp.dst_port(), 36793);
        assert_eq!(udp.length(), 69);
        assert_eq!(udp.checksum(), 0xe36a);
    }

    #[test]
    fn truncated_and_impossible() {
        let mut bytes = hex(ANSWER_UDP);
        assert_eq!(
            UdpView::new(&bytes[..5]).unwrap_err(),
            Short::captured("UDP", 8, 5)
        );
        bytes[4] = 0;
        bytes[5] = 3;
        assert_eq!(UdpView::new(&bytes).unwrap().length(), 3);
    }

    #[test]
    fn every_prefix_gives_a_view_or_short() {
        let bytes = hex(ANSWER_UDP);
        for end in 0..=bytes.len() {
            assert_eq!(UdpView::new(&bytes[..end]).is_ok(), end == 8);
        }
    }
}
