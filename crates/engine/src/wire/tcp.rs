//! The TCP header (RFC 9293 section 3.1) and its options, read in place.

use super::seq::SeqNumber;
use super::short::{Limit, Short};
use crate::bytes;

/// Byte ranges of the fixed header.
mod field {
    use std::ops::Range;

    pub const SRC_PORT: Range<usize> = 0..2;
    pub const DST_PORT: Range<usize> = 2..4;
    pub const SEQ_NUM: Range<usize> = 4..8;
    pub const ACK_NUM: Range<usize> = 8..12;
    /// Data offset (4 bits), reserved (3 bits), then the flags.
    pub const FLAGS: Range<usize> = 12..14;
    pub const WIN_SIZE: Range<usize> = 14..16;
    pub const CHECKSUM: Range<usize> = 16..18;
    pub const URGENT: Range<usize> = 18..20;
    /// Length of the fixed header; the options follow it.
    pub const FIXED_LEN: usize = 20;
}

/// The layer name in a [`Short`].
const LAYER: &str = "TCP";
/// The layer name of an option in a [`Short`].
const OPTION_LAYER: &str = "TCP option";

/// A TCP header over captured bytes: the 20 fixed bytes are there; the options and
/// payload may have been cut by the capture.
#[derive(Debug, Clone, Copy)]
pub struct TcpView<'a> {
    fixed: &'a [u8; field::FIXED_LEN],
    /// The captured bytes from the start of the header.
    data: &'a [u8],
}

impl<'a> TcpView<'a> {
    /// The header at the start of `data`, or what the fixed part needed and had.
    #[inline]
    pub fn new(data: &'a [u8]) -> Result<TcpView<'a>, Short> {
        let fixed = super::fixed::<{ field::FIXED_LEN }>(data, LAYER)?;
        Ok(TcpView { fixed, data })
    }

    /// The ports of a header that may be cut after them.
    #[inline]
    pub fn ports_of(data: &[u8]) -> Option<(u16, u16)> {
        Some((
            bytes::be_u16(data, field::SRC_PORT.start)?,
            bytes::be_u16(data, field::DST_PORT.start)?,
        ))
    }

    fixed_fields! {
        /// Source port.
        src_port: u16 = u16_in(field::SRC_PORT.start);

        /// Destination port.
        dst_port: u16 = u16_in(field::DST_PORT.start);
    }

    /// Sequence number.
    #[inline]
    pub fn seq_number(&self) -> SeqNumber {
        SeqNumber(super::u32_in(self.fixed, field::SEQ_NUM.start))
    }

    /// Acknowledgment number (meaningful only with ACK set).
    #[inline]
    pub fn ack_number(&self) -> SeqNumber {
        SeqNumber(super::u32_in(self.fixed, field::ACK_NUM.start))
    }

    /// The data offset field: the header length in 32-bit words.
    #[inline]
    pub fn data_offset(&self) -> u8 {
        (super::u16_in(self.fixed, field::FLAGS.start) >> 12) as u8
    }

    /// The header length in bytes, as the data offset says (may be impossible).
    #[inline]
    pub fn header_len(&self) -> usize {
        usize::from(self.data_offset()) * 4
    }

    /// The 12 bits after the data offset: reserved bits and flags.
    #[inline]
    pub fn flags(&self) -> TcpFlags {
        TcpFlags(super::u16_in(self.fixed, field::FLAGS.start) & 0x0fff)
    }

    fixed_fields! {
        /// Window.
        window_len: u16 = u16_in(field::WIN_SIZE.start);

        /// Checksum.
        checksum: u16 = u16_in(field::CHECKSUM.start);

        /// Urgent pointer.
        urgent_at: u16 = u16_in(field::URGENT.start);
    }

    /// Whether the header length fits a segment of `segment_len` bytes (what the IP
    /// layer reports): at least the fixed header and at most the segment.
    #[inline]
    pub fn check_len(&self, segment_len: usize) -> Result<(), Short> {
        let header_len = self.header_len();
        if header_len < field::FIXED_LEN {
            return Err(Short {
                layer: LAYER,
                offset: 0,
                needed: field::FIXED_LEN,
                available: header_len,
                limit: Limit::Declared,
            });
        }
        if header_len > segment_len {
            return Err(Short {
                layer: LAYER,
                offset: 0,
                needed: header_len,
                available: segment_len,
                limit: Limit::Declared,
            });
        }
        Ok(())
    }

    /// The declared length of the options (0 when the data offset is too small).
    #[inline]
    pub fn options_len(&self) -> usize {
        self.header_len().saturating_sub(field::FIXED_LEN)
    }

    /// The captured option bytes (at most [`TcpView::options_len`]).
    #[inline]
    pub fn options_bytes(&self) -> &'a [u8] {
        let captured = bytes::tail(self.data, field::FIXED_LEN);
        captured.get(..self.options_len()).unwrap_or(captured)
    }

    /// The options, in order; see [`TcpOptions`].
    #[inline]
    pub fn options(&self) -> TcpOptions<'a> {
        TcpOptions::new(bytes::tail(self.data, field::FIXED_LEN), self.options_len())
    }

    /// The captured bytes after the header as the data offset places it (empty when
    /// the header itself was cut or is shorter than the fixed part).
    #[inline]
    pub fn payload(&self) -> &'a [u8] {
        if self.header_len() < field::FIXED_LEN {
            return &[];
        }
        bytes::tail(self.data, self.header_len())
    }
}

/// The 12 bits after the data offset (RFC 9293, RFC 3168 for ECE and CWR, RFC 9768
/// for AE).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TcpFlags(pub u16);

impl TcpFlags {
    /// No more data from sender.
    pub const FIN: u16 = 0x001;
    /// Synchronize sequence numbers.
    pub const SYN: u16 = 0x002;
    /// Reset the connection.
    pub const RST: u16 = 0x004;
    /// Push function.
    pub const PSH: u16 = 0x008;
    /// Acknowledgment field is significant.
    pub const ACK: u16 = 0x010;
    /// Urgent pointer field is significant.
    pub const URG: u16 = 0x020;
    /// ECN-Echo.
    pub const ECE: u16 = 0x040;
    /// Congestion Window Reduced.
    pub const CWR: u16 = 0x080;
    /// Accurate ECN.
    pub const AE: u16 = 0x100;
    /// The three reserved bits.
    pub const RESERVED: u16 = 0xe00;

    /// The 12 bits.
    #[inline]
    pub fn bits(self) -> u16 {
        self.0
    }

    /// Whether any of the bits of `mask` is set.
    #[inline]
    pub fn any(self, mask: u16) -> bool {
        self.0 & mask != 0
    }
}

/// The options of one header, in order, as `Ok` while they fit.
///
/// RFC 9293 3.1: an option is a kind byte, then for kinds other than End of Option
/// List (0) and No-Operation (1) a length byte counting both, then data. The walk stops
/// after End of Option List, at the end of the declared header, and after yielding a
/// [`Short`] (a kind or length byte not captured, a length below 2 or past the
/// header). An option whose data the capture cut is yielded with the captured part
/// (see [`TcpOption::is_complete`]) and ends the walk.
#[derive(Debug, Clone)]
pub struct TcpOptions<'a> {
    /// The captured bytes from the first option on (they may run past the header).
    data: &'a [u8],
    /// The option bytes the data offset declares.
    declared: usize,
    pos: usize,
    done: bool,
}

impl<'a> TcpOptions<'a> {
    /// Options over `captured` bytes (from the first option on) of which the header
    /// declares `declared`.
    #[inline]
    pub fn new(captured: &'a [u8], declared: usize) -> TcpOptions<'a> {
        TcpOptions {
            data: captured,
            declared,
            pos: 0,
            done: false,
        }
    }

    /// Whether the walk has reached the end of the declared options.
    #[inline]
    pub fn is_at_end(&self) -> bool {
        self.pos >= self.declared
    }

    /// Goes on at `offset` from the first option: for a printer that, like tcpdump,
    /// steps over what it read rather than what an option's length says.
    #[inline]
    pub fn resume_at(&mut self, offset: usize) {
        self.pos = offset;
        self.done = false;
    }

    #[inline]
    fn stop(
        &mut self,
        needed: usize,
        available: usize,
        limit: Limit,
    ) -> Option<Result<TcpOption<'a>, Short>> {
        self.done = true;
        Some(Err(Short {
            layer: OPTION_LAYER,
            offset: self.pos,
            needed,
            available,
            limit,
        }))
    }
}

impl<'a> Iterator for TcpOptions<'a> {
    type Item = Result<TcpOption<'a>, Short>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.done || self.pos >= self.declared {
            return None;
        }
        let pos = self.pos;
        let left = self.declared - pos;
        let Some(kind) = bytes::u8_at(self.data, pos) else {
            return self.stop(1, 0, Limit::Captured);
        };
        if kind == 0 || kind == 1 {
            self.done = kind == 0;
            self.pos = pos.saturating_add(1);
            return Some(Ok(TcpOption {
                offset: pos,
                kind,
                len: 1,
                data: &[],
                following: &[],
                following_declared: left - 1,
            }));
        }
        // tcpdump reads the length byte even past the declared header, so that a
        // length missing from the capture and one outside the header differ.
        let Some(len) = bytes::u8_at(self.data, pos.saturating_add(1)) else {
            return self.stop(2, 1, Limit::Captured);
        };
        let len_usize = usize::from(len);
        if len_usize < 2 {
            return self.stop(2, len_usize, Limit::Declared);
        }
        if len_usize > left {
            return self.stop(len_usize, left, Limit::Declared);
        }
        let start = pos.saturating_add(2);
        let following = bytes::tail(self.data, start);
        let following_declared = left - 2;
        let want = len_usize - 2;
        let data = following.get(..want).unwrap_or(following);
        self.done = data.len() < want;
        self.pos = pos.saturating_add(len_usize);
        Some(Ok(TcpOption {
            offset: pos,
            kind,
            len,
            data,
            following: following.get(..following_declared).unwrap_or(following),
            following_declared,
        }))
    }
}

/// One option as the header holds it.
#[derive(Debug, Clone, Copy)]
pub struct TcpOption<'a> {
    /// Offset of the kind byte from the first option.
    pub offset: usize,
    /// Option kind.
    pub kind: u8,
    /// Option length, kind and length bytes included (1 for kinds 0 and 1).
    pub len: u8,
    /// The captured data after kind and length: `len - 2` bytes, fewer when the
    /// capture cut the option.
    pub data: &'a [u8],
    /// The captured bytes from the data on, to the end of the declared header.
    following: &'a [u8],
    /// The declared header bytes from the data on.
    following_declared: usize,
}

impl<'a> TcpOption<'a> {
    /// Whether all of the option's data was captured.
    #[inline]
    pub fn is_complete(&self) -> bool {
        self.kind < 2 || self.data.len() + 2 == usize::from(self.len)
    }

    /// The captured bytes from the option's data to the end of the declared header,
    /// for printers that read a kind's usual size whatever its length says.
    #[inline]
    pub fn following(&self) -> &'a [u8] {
        self.following
    }

    /// How many bytes the header declares from the option's data on.
    #[inline]
    pub fn following_declared(&self) -> usize {
        self.following_declared
    }

    /// The option decoded, when its kind is known and its length is the one its RFC
    /// gives; anything else is [`TcpOptionValue::Other`].
    #[inline]
    pub fn value(&self) -> TcpOptionValue<'a> {
        if !self.is_complete() {
            return TcpOptionValue::Other;
        }
        match (self.kind, self.len) {
            (0, _) => TcpOptionValue::EndOfList,
            (1, _) => TcpOptionValue::NoOperation,
            (2, 4) => TcpOptionValue::MaxSegmentSize(bytes::be_u16(self.data, 0).unwrap_or(0)),
            (3, 3) => TcpOptionValue::WindowScale(bytes::u8_at(self.data, 0).unwrap_or(0)),
            (4, 2) => TcpOptionValue::SackPermitted,
            // RFC 2018 section 3: the length is 2 + 8n; tshark shows the whole blocks
            // of any length.
            (5, _) => TcpOptionValue::Sack(SackBlocks(self.data)),
            (8, 10) => TcpOptionValue::Timestamps {
                tsval: bytes::be_u32(self.data, 0).unwrap_or(0),
                tsecr: bytes::be_u32(self.data, 4).unwrap_or(0),
            },
            _ => TcpOptionValue::Other,
        }
    }
}

/// What an option says, for the kinds the analysis and the Info column use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TcpOptionValue<'a> {
    /// End of Option List (kind 0).
    EndOfList,
    /// No-Operation (kind 1).
    NoOperation,
    /// Maximum Segment Size (kind 2, RFC 9293).
    MaxSegmentSize(u16),
    /// Window Scale shift count (kind 3, RFC 7323).
    WindowScale(u8),
    /// SACK permitted (kind 4, RFC 2018).
    SackPermitted,
    /// SACK blocks (kind 5, RFC 2018).
    Sack(SackBlocks<'a>),
    /// Timestamps (kind 8, RFC 7323).
    Timestamps {
        /// TSval.
        tsval: u32,
        /// TSecr.
        tsecr: u32,
    },
    /// Another kind, or a known kind with a length its RFC does not give.
    Other,
}

/// The blocks of a SACK option: (left edge, right edge) pairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SackBlocks<'a>(&'a [u8]);

impl<'a> SackBlocks<'a> {
    /// Number of whole blocks.
    #[inline]
    pub fn count(&self) -> usize {
        self.0.len() / 8
    }

    /// The blocks, in order, with the offset of each from the option's data.
    #[inline]
    pub fn iter(&self) -> impl Iterator<Item = (usize, SeqNumber, SeqNumber)> + 'a {
        self.0.chunks_exact(8).enumerate().map(|(i, block)| {
            let left = bytes::be_u32(block, 0).unwrap_or(0);
            let right = bytes::be_u32(block, 4).unwrap_or(0);
            (i * 8, SeqNumber(left), SeqNumber(right))
        })
    }

    /// Bytes the blocks cover (modulo 2^32, as tshark sums them).
    #[inline]
    pub fn covered(&self) -> u32 {
        self.iter().fold(0u32, |sum, (_, left, right)| {
            sum.wrapping_add(right.distance_from(left))
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;
    use crate::wire::testing::{SACK, SYN, hex};

    /// The TCP header of tcp_clean_close.pcap frame 9 (after 14 + 20 bytes).
    fn syn() -> Vec<u8> {
        hex(SYN)[34..].to_vec()
    }

    #[test]
    fn syn_fields() {
        let bytes = syn();
        let tcp = TcpView::new(&bytes).unwrap();
        assert_eq!(tcp.src_port(), 59804);
        assert_eq!(tcp.dst_port(), 10805);
        assert_eq!(tcp.seq_number(), SeqNumber(4_262_667_675));
        assert_eq!(tcp.ack_number(), SeqNumber(0));
        assert_eq!(tcp.header_len(), 40);
        assert_eq!(tcp.flags(), TcpFlags(TcpFlags::SYN));
        assert!(tcp.flags().any(TcpFlags::SYN) && !tcp.flags().any(TcpFlags::ACK));
        assert_eq!(tcp.window_len(), 64240);
        assert_eq!(tcp.checksum(), 0x8b9c);
        assert_eq!(tcp.urgent_at(), 0);
        assert_eq!(tcp.check_len(40), Ok(()));
        assert!(tcp.payload().is_empty());
        let values: Vec<TcpOptionValue<'_>> = tcp.options().map(|o| o.unwrap().value()).collect();
        assert_eq!(
            values,
            [
                TcpOptionValue::MaxSegmentSize(1460),
                TcpOptionValue::SackPermitted,
                TcpOptionValue::Timestamps {
                    tsval: 3_337_989_858,
                    tsecr: 0
                },
                TcpOptionValue::NoOperation,
                TcpOptionValue::WindowScale(10),
            ]
        );
    }

    /// tcp_lossy_bulk.pcap frame 46: one SACK block, 1448 bytes.
    #[test]
    fn sack_block() {
        let bytes = hex(SACK)[34..].to_vec();
        let tcp = TcpView::new(&bytes).unwrap();
        let sack = tcp
            .options()
            .find_map(|o| match o.unwrap().value() {
                TcpOptionValue::Sack(blocks) => Some(blocks),
                _ => None,
            })
            .unwrap();
        assert_eq!(sack.count(), 1);
        assert_eq!(
            sack.iter().next(),
            Some((0, SeqNumber(0x6ee4_2f5f), SeqNumber(0x6ee4_3507)))
        );
        assert_eq!(sack.covered(), 1448);
    }

    #[test]
    fn truncated_header_says_what_it_needed() {
        let bytes = syn();
        let short = TcpView::new(&bytes[..6]).unwrap_err();
        assert_eq!(TcpView::ports_of(&bytes[..6]), Some((59804, 10805)));
        assert_eq!(TcpView::ports_of(&bytes[..3]), None);
        assert_eq!(short, Short::captured("TCP", 20, 6));
    }

    #[test]
    fn truncated_option_keeps_what_was_captured() {
        let bytes = syn();
        // Cut inside the timestamps option (its data starts at 20 + 6 + 2).
        let tcp = TcpView::new(&bytes[..31]).unwrap();
        let options: Vec<_> = tcp.options().collect();
        assert_eq!(options.len(), 3);
        let ts = options[2].unwrap();
        assert_eq!((ts.kind, ts.len, ts.data.len()), (8, 10, 3));
        assert!(!ts.is_complete());
        assert_eq!(ts.value(), TcpOptionValue::Other);
        // Cut between options: the next kind byte is missing.
        let tcp = TcpView::new(&bytes[..24]).unwrap();
        let last = tcp.options().last().unwrap();
        assert_eq!(last.unwrap_err().needed, 1);
    }

    #[test]
    fn impossible_lengths() {
        let mut bytes = syn();
        // Data offset 2: 8 bytes of header.
        bytes[12] = 0x20;
        let tcp = TcpView::new(&bytes).unwrap();
        let short = tcp.check_len(40).unwrap_err();
        assert_eq!(
            (short.needed, short.available, short.limit),
            (20, 8, Limit::Declared)
        );
        assert_eq!(tcp.options().count(), 0);
        // Data offset 15: 60 bytes in a 40-byte segment.
        bytes[12] = 0xf0;
        let short = TcpView::new(&bytes).unwrap().check_len(40).unwrap_err();
        assert_eq!((short.needed, short.available), (60, 40));
        // An MSS option of length 200 runs past the header.
        let mut bytes = syn();
        bytes[21] = 200;
        let first = TcpView::new(&bytes).unwrap().options().next().unwrap();
        let short = first.unwrap_err();
        assert_eq!((short.offset, short.needed, short.available), (0, 200, 20));
        // Length 0.
        bytes[21] = 0;
        let first = TcpView::new(&bytes).unwrap().options().next().unwrap();
        assert_eq!(first.unwrap_err().needed, 2);
    }

    /// Every prefix of a real header gives a view or a `Short`, and its options walk
    /// ends, without a panic.
    #[test]
    fn every_prefix_gives_a_view_or_short() {
        for frame in [syn(), hex(SACK)[34..].to_vec()] {
            for end in 0..=frame.len() {
                match TcpView::new(&frame[..end]) {
                    Ok(tcp) => {
                        assert!(end >= 20);
                        let mut n = 0;
                        for option in tcp.options().flatten() {
                            assert!(option.data.len() <= 38);
                            n += 1;
                        }
                        assert!(n <= 20);
                    }
                    Err(short) => assert_eq!((short.needed, short.available), (20, end)),
                }
            }
        }
    }
}
