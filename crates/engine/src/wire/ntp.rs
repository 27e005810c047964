//! NTP headers (RFC 5905 section 7.3; RFC 1305 appendix B for control messages;
//! ntpd's `ntp_request.h` for mode 7), read in place.

use super::short::Short;

/// Byte offsets of the headers.
mod field {
    /// Time message (modes 1 to 5): the fixed part before extensions and MAC.
    pub const TIME_LEN: usize = 48;
    pub const STRATUM: usize = 1;
    pub const POLL: usize = 2;
    pub const PRECISION: usize = 3;
    pub const ROOT_DELAY: usize = 4;
    pub const ROOT_DISPERSION: usize = 8;
    pub const REF_TIME: usize = 16;
    pub const ORIGIN_TIME: usize = 24;
    pub const RECEIVE_TIME: usize = 32;
    pub const TRANSMIT_TIME: usize = 40;
    /// Control message (mode 6) header.
    pub const CONTROL_LEN: usize = 12;
    pub const CTRL_FLAGS2: usize = 1;
    pub const CTRL_SEQUENCE: usize = 2;
    pub const CTRL_STATUS: usize = 4;
    pub const CTRL_ASSOC_ID: usize = 6;
    pub const CTRL_OFFSET: usize = 8;
    pub const CTRL_COUNT: usize = 10;
    /// Private message (mode 7) header.
    pub const PRIVATE_LEN: usize = 8;
    pub const PRIV_AUTH_SEQ: usize = 1;
    pub const PRIV_IMPL: usize = 2;
    pub const PRIV_REQ_CODE: usize = 3;
    pub const PRIV_ERR_ITEMS: usize = 4;
    pub const PRIV_MBZ_SIZE: usize = 6;
}

/// The first byte of every NTP message: leap indicator, version, mode.
pub fn mode_of(first: u8) -> u8 {
    first & 0x07
}

/// An NTP time message (modes 1 to 5): its 48 fixed bytes are there.
#[derive(Debug, Clone, Copy)]
pub struct NtpView<'a> {
    fixed: &'a [u8; field::TIME_LEN],
}

impl<'a> NtpView<'a> {
    /// Length of the fixed header.
    pub const HEADER_LEN: usize = field::TIME_LEN;

    /// The message at the start of `data`, or what it needed and had.
    pub fn new(data: &'a [u8]) -> Result<NtpView<'a>, Short> {
        Ok(NtpView {
            fixed: super::fixed::<{ field::TIME_LEN }>(data, "NTP")?,
        })
    }

    fixed_fields! {
        /// Leap indicator, version and mode.
        flags: u8 = u8_in(0);
        /// Stratum.
        stratum: u8 = u8_in(field::STRATUM);
        /// Poll interval, log2 seconds.
        poll: u8 = u8_in(field::POLL);
        /// Precision, log2 seconds (a signed byte on the wire).
        precision: u8 = u8_in(field::PRECISION);
        /// Root delay, NTP short format (16.16 seconds).
        root_delay: u32 = u32_in(field::ROOT_DELAY);
        /// Root dispersion, NTP short format.
        root_dispersion: u32 = u32_in(field::ROOT_DISPERSION);
    }

    /// The reference ID: four bytes.
    pub fn ref_id(&self) -> [u8; 4] {
        crate::bytes::array::<4>(self.fixed, 12).unwrap_or_default()
    }

    /// A timestamp (seconds, fraction) at one of the four timestamp offsets.
    fn timestamp(&self, at: usize) -> (u32, u32) {
        (
            super::u32_in(self.fixed, at),
            super::u32_in(self.fixed, at + 4),
        )
    }
    /// Reference timestamp.
    pub fn ref_time(&self) -> (u32, u32) {
        self.timestamp(field::REF_TIME)
    }
    /// Origin timestamp.
    pub fn origin_time(&self) -> (u32, u32) {
        self.timestamp(field::ORIGIN_TIME)
    }
    /// Receive timestamp.
    pub fn receive_time(&self) -> (u32, u32) {
        self.timestamp(field::RECEIVE_TIME)
    }
    /// Transmit timestamp.
    pub fn transmit_time(&self) -> (u32, u32) {
        self.timestamp(field::TRANSMIT_TIME)
    }
}

/// An NTP control message header (mode 6): its 12 bytes are there.
#[derive(Debug, Clone, Copy)]
pub struct NtpControlView<'a> {
    fixed: &'a [u8; field::CONTROL_LEN],
}

impl<'a> NtpControlView<'a> {
    /// Length of the header.
    pub const HEADER_LEN: usize = field::CONTROL_LEN;

    /// The header at the start of `data`, or what it needed and had.
    pub fn new(data: &'a [u8]) -> Result<NtpControlView<'a>, Short> {
        Ok(NtpControlView {
            fixed: super::fixed::<{ field::CONTROL_LEN }>(data, "NTP")?,
        })
    }

    fixed_fields! {
        /// Leap indicator, version and mode.
        flags: u8 = u8_in(0);
        /// Response, error and more bits, and the opcode.
        flags2: u8 = u8_in(field::CTRL_FLAGS2);
        /// Sequence number.
        sequence: u16 = u16_in(field::CTRL_SEQUENCE);
        /// Status word.
        status: u16 = u16_in(field::CTRL_STATUS);
        /// Association ID.
        assoc_id: u16 = u16_in(field::CTRL_ASSOC_ID);
        /// Offset of the data in the whole response.
        offset: u16 = u16_in(field::CTRL_OFFSET);
        /// Count of data bytes (may exceed the datagram).
        count: u16 = u16_in(field::CTRL_COUNT);
    }
}

/// An NTP private message header (mode 7, ntpd's `ntpdc` requests): its 8 bytes are there.
#[derive(Debug, Clone, Copy)]
pub struct NtpPrivateView<'a> {
    fixed: &'a [u8; field::PRIVATE_LEN],
}

impl<'a> NtpPrivateView<'a> {
    /// Length of the header.
    pub const HEADER_LEN: usize = field::PRIVATE_LEN;

    /// The header at the start of `data`, or what it needed and had.
    pub fn new(data: &'a [u8]) -> Result<NtpPrivateView<'a>, Short> {
        Ok(NtpPrivateView {
            fixed: super::fixed::<{ field::PRIVATE_LEN }>(data, "NTP")?,
        })
    }

    fixed_fields! {
        /// Response and more bits, version and mode.
        flags: u8 = u8_in(0);
        /// Authenticated bit and sequence number.
        auth_seq: u8 = u8_in(field::PRIV_AUTH_SEQ);
        /// Implementation number.
        implementation: u8 = u8_in(field::PRIV_IMPL);
        /// Request code.
        req_code: u8 = u8_in(field::PRIV_REQ_CODE);
        /// Error (top 4 bits) and number of data items (12 bits).
        err_items: u16 = u16_in(field::PRIV_ERR_ITEMS);
        /// Must-be-zero (top 4 bits) and the size of one data item (12 bits).
        mbz_item_size: u16 = u16_in(field::PRIV_MBZ_SIZE);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;
    use crate::wire::testing::hex;

    /// ntp.pcap frame 2: the server's reply (header only).
    const SERVER: &str = "e4 00 03 e9 00 00 00 00 00 00 00 5a 53 54 45 50
        00 00 00 00 00 00 00 00 a4 b3 9c d1 01 fb 24 bf dc f2 5a 39 84 19 91 19
        dc f2 5a 39 84 1d 6d c5";

    #[test]
    fn server_fields() {
        let b = hex(SERVER);
        let v = NtpView::new(&b).unwrap();
        assert_eq!(mode_of(v.flags()), 4);
        assert_eq!(v.poll(), 3);
        assert_eq!(v.precision(), 0xe9);
        assert_eq!(v.root_dispersion(), 0x5a);
        assert_eq!(&v.ref_id(), b"STEP");
        assert_eq!(v.origin_time(), (0xa4b3_9cd1, 0x01fb_24bf));
    }

    #[test]
    fn every_prefix_gives_a_view_or_short() {
        let b = hex(SERVER);
        for end in 0..b.len() {
            assert_eq!(
                NtpView::new(&b[..end]).unwrap_err(),
                Short::captured("NTP", 48, end)
            );
            assert_eq!(NtpControlView::new(&b[..end]).is_ok(), end >= 12);
            assert_eq!(NtpPrivateView::new(&b[..end]).is_ok(), end >= 8);
        }
    }
}
