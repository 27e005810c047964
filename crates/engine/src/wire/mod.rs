//! Views over the headers of untrusted packets: one type per header, borrowing the
//! captured bytes, checked once when it is made.
//!
//! The contract (after smoltcp's `src/wire/mod.rs`):
//! - `View::new(&[u8]) -> Result<View, Short>` checks that the fixed part of the header
//!   was captured, and nothing else: a bogus length field is still shown, so each view
//!   also has `check_len`, which says what an impossible length needs and has.
//! - Accessors are named after the RFC's fields and never fail: the fixed part is known
//!   to be there. Byte ranges are constants in each file's private `field` module.
//! - Nothing here allocates or panics, and every accessor is `#[inline]`: a view costs
//!   what reading the bytes by hand costs.
//! - Offsets in a [`Short`] count from the start of the bytes the view was given;
//!   [`Short::shifted`] moves them to the frame.
//!
//! No other code reads IPv4, IPv6, UDP, TCP, radiotap, PPI or 802.11 MAC header bytes at raw
//! offsets.

#![deny(clippy::indexing_slicing)]

/// Accessors over a view's fixed part, one line each: the doc, the name, the type and
/// the reader (`u8_in`, `u16_in`, `u32_in`) at a `field` offset.
macro_rules! fixed_fields {
    ($($(#[doc = $doc:literal])* $name:ident: $ty:ty = $read:ident($at:expr);)*) => {
        $(
            $(#[doc = $doc])*
            #[inline]
            pub fn $name(&self) -> $ty {
                super::$read(self.fixed, $at)
            }
        )*
    };
}

mod ieee80211;
mod ipv4;
mod ipv6;
mod ntp;
mod ppi;
mod quic;
mod radiotap;
mod seq;
mod short;
mod ssh;
mod tcp;
mod tftp;
mod udp;

pub use ieee80211::{Ieee80211View, flags as wlan_flags, frame_type as wlan_type};
pub use ipv4::Ipv4View;
pub use ipv6::Ipv6View;
pub use ntp::{NtpControlView, NtpPrivateView, NtpView, mode_of as ntp_mode_of};
pub use ppi::{ALIGNED as PPI_ALIGNED, PpiField, PpiView};
pub use quic::{GquicLongView, QuicLongView, varint as quic_varint};
pub use radiotap::{RadiotapField, RadiotapView};
pub use seq::{RelativeSeq, SeqNumber};
pub use short::{Limit, Short};
pub use ssh::SshPacketView;
pub use tcp::{SackBlocks, TcpFlags, TcpOption, TcpOptionValue, TcpOptions, TcpView};
pub use tftp::TftpView;
pub use udp::UdpView;

/// The fixed part of a `layer` header at the start of `data`, or what it needed and
/// had.
#[inline]
fn fixed<'a, const N: usize>(data: &'a [u8], layer: &'static str) -> Result<&'a [u8; N], Short> {
    data.first_chunk::<N>()
        .ok_or(Short::captured(layer, N, data.len()))
}

/// A byte of a fixed part (in range whenever `at` < `N`, which the views' `field`
/// constants are).
#[inline]
fn u8_in<const N: usize>(fixed: &[u8; N], at: usize) -> u8 {
    crate::bytes::u8_at(fixed, at).unwrap_or(0)
}

/// A big-endian `u16` of a fixed part.
#[inline]
fn u16_in<const N: usize>(fixed: &[u8; N], at: usize) -> u16 {
    crate::bytes::be_u16(fixed, at).unwrap_or(0)
}

/// A big-endian `u32` of a fixed part.
#[inline]
fn u32_in<const N: usize>(fixed: &[u8; N], at: usize) -> u32 {
    crate::bytes::be_u32(fixed, at).unwrap_or(0)
}

/// Frames of the real captures (`/work/shared/captures/real`), as hex, for the views'
/// tests.
#[cfg(test)]
pub(crate) mod testing {
    #![allow(clippy::unwrap_used)]

    /// The bytes of a hex dump, two digits a byte (white space anywhere is skipped).
    pub fn hex(text: &str) -> Vec<u8> {
        let digits: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
        assert!(digits.len().is_multiple_of(2), "odd number of hex digits");
        digits
            .chunks(2)
            .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).unwrap(), 16).unwrap())
            .collect()
    }

    /// tcp_clean_close.pcap frame 9: the client's SYN (Ethernet, IPv4, TCP with
    /// MSS, SACK permitted, timestamps, NOP, window scale).
    pub const SYN: &str = "46 8a 89 72 3f d1 7e 7d b9 f1 43 58 08 00 45 00
        00 3c 49 b3 40 00 40 06 dc f2 0a 0a 00 01 0a 0a 00 02 e9 9c 2a 35 fe 13
        25 9b 00 00 00 00 a0 02 fa f0 8b 9c 00 00 02 04 05 b4 04 02 08 0a c6 f5
        ae e2 00 00 00 00 01 03 03 0a";
    /// tcp_lossy_bulk.pcap frame 46: the server's first ACK with a SACK block.
    pub const SACK: &str = "0e fc c6 a6 05 9b 36 bf e1 76 03 2b 08 00 45 00
        00 40 82 0f 40 00 40 06 a4 92 0a 0a 00 02 0a 0a 00 01 ca 9e d5 c6 15 2f
        1c 1d 6e e4 29 b7 b0 10 00 4d 0d bb 00 00 01 01 08 0a 89 42 b7 f8 b9 b9
        77 16 01 01 05 0a 6e e4 2f 5f 6e e4 35 07";
    /// tcp_ipv6.pcapng frame 12: the client's 18-byte request over IPv6.
    pub const V6_REQUEST: &str = "9e f6 6c a6 95 c7 c2 50 c5 75 57 45 86 dd 60 03
        ef 07 00 32 06 40 fd 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 fd 00
        00 00 00 00 00 00 00 00 00 00 00 00 00 02 af aa 17 f7 c9 d3 7a 3f 9a 6a
        94 50 80 18 00 40 9b 64 00 00 01 01 08 0a cb 52 c7 53 08 0d 2d 37 47 45
        54 20 2f 20 48 54 54 50 2f 31 2e 30 0d 0a 0d 0a";
}
