//! What one scan of a capture file learns: per packet a [`PacketRecord`] (where its
//! bytes are and when it was captured, kept compacted in a [`PacketIndex`]), and the
//! interfaces; everything else is read from the file on demand.

use super::error::ReadError;
use super::linktype::LinkType;
use super::packed::PacketIndex;

/// How a packet's bytes were stored in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum BlockKind {
    /// A classic pcap record (16-byte header).
    PcapRecord = 0,
    /// A pcapng Enhanced Packet Block.
    Enhanced = 1,
    /// A pcapng Simple Packet Block.
    Simple = 2,
    /// A pcapng (obsolete) Packet Block.
    Obsolete = 3,
}

impl BlockKind {
    /// The kind of a 2-bit code (`kind as u8`; higher bits are ignored).
    pub fn from_code(code: u8) -> BlockKind {
        match code & 3 {
            0 => BlockKind::PcapRecord,
            1 => BlockKind::Enhanced,
            2 => BlockKind::Simple,
            _ => BlockKind::Obsolete,
        }
    }
}

/// Where one packet is and what the file says about it: 28 bytes, `Copy`, no heap.
///
/// The offset, interface, block kind and options flag share one word, and the record
/// is packed to 4-byte alignment. The index does not keep records as such: it
/// compacts them a block at a time ([`PacketIndex`]) and hands out copies. Read the
/// 64-bit fields by value (a reference to a field of a packed struct is refused by
/// the compiler).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(C, packed(4))]
pub struct PacketRecord {
    /// Bits 0..45: offset of the first captured byte in the (decompressed) file;
    /// 45..61: interface; 61..63: block kind; 63: the block has options.
    place: u64,
    /// Capture time, nanoseconds since the Unix epoch.
    pub ts_nanos: i64,
    /// Bytes present in the file.
    pub cap_len: u32,
    /// Bytes the packet had on the wire.
    pub orig_len: u32,
    /// TCP stream index, filled in by the TCP analysis ([`PacketRecord::NO_STREAM`]
    /// until then and for packets that are not TCP).
    pub stream: u32,
}

const OFFSET_BITS: u32 = 45;
const OFFSET_MASK: u64 = (1 << OFFSET_BITS) - 1;
const IFACE_SHIFT: u32 = OFFSET_BITS;
const BLOCK_SHIFT: u32 = OFFSET_BITS + 16;
const OPTIONS_BIT: u64 = 1 << 63;

impl PacketRecord {
    /// `stream` of a packet that is not (yet known to be) a TCP segment.
    pub const NO_STREAM: u32 = u32::MAX;
    /// Largest data offset a record can hold (32 TiB); a packet further into a file
    /// reads as empty.
    pub const MAX_OFFSET: u64 = OFFSET_MASK;

    /// A record with no TCP stream yet.
    pub fn new(
        data_offset: u64,
        ts_nanos: i64,
        cap_len: u32,
        orig_len: u32,
        iface: u16,
        block: BlockKind,
        has_options: bool,
    ) -> Self {
        let place = data_offset.min(OFFSET_MASK)
            | (u64::from(iface) << IFACE_SHIFT)
            | ((block as u64 & 3) << BLOCK_SHIFT)
            | if has_options { OPTIONS_BIT } else { 0 };
        PacketRecord {
            place,
            ts_nanos,
            cap_len,
            orig_len,
            stream: Self::NO_STREAM,
        }
    }

    /// Offset of the first captured byte in the (decompressed) file.
    #[inline]
    pub fn data_offset(&self) -> u64 {
        self.place & OFFSET_MASK
    }

    /// Global interface number (pcapng: numbered across sections in file order).
    #[inline]
    pub fn iface(&self) -> u16 {
        ((self.place >> IFACE_SHIFT) & 0xFFFF) as u16
    }

    /// The record or block kind the packet came from (a live packet counts as an
    /// Enhanced Packet Block's, as the capture helper writes them).
    pub fn block(&self) -> BlockKind {
        BlockKind::from_code(((self.place >> BLOCK_SHIFT) & 3) as u8)
    }

    /// Whether the pcapng block carries options (comments, flags).
    pub fn has_options(&self) -> bool {
        self.place & OPTIONS_BIT != 0
    }

    /// Offset of the block or record header that holds this packet.
    pub fn block_offset(&self) -> u64 {
        let header = match self.block() {
            BlockKind::PcapRecord => 16,
            BlockKind::Enhanced | BlockKind::Obsolete => 28,
            BlockKind::Simple => 12,
        };
        self.data_offset().saturating_sub(header)
    }
}

const _: () = assert!(std::mem::size_of::<PacketRecord>() == 28);

/// How a pcapng interface counts time (`if_tsresol`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TsResolution {
    /// Units of 10^-n seconds.
    Decimal(u8),
    /// Units of 2^-n seconds.
    Binary(u8),
}

/// Nanoseconds in a tick of `10^-n` seconds, by `n` (0 to 9).
const DECIMAL_SCALES: [u64; 10] = [
    1_000_000_000,
    100_000_000,
    10_000_000,
    1_000_000,
    100_000,
    10_000,
    1_000,
    100,
    10,
    1,
];

impl TsResolution {
    /// Microseconds, the pcap and pcapng default.
    pub const MICROS: TsResolution = TsResolution::Decimal(6);
    /// Nanoseconds.
    pub const NANOS: TsResolution = TsResolution::Decimal(9);

    /// Converts a tick count to nanoseconds, saturating on overflow.
    pub fn ticks_to_nanos(self, ticks: u64) -> i64 {
        // Every record's timestamp comes through here: the common scales multiply by a
        // table's power of ten in 64 bits, and only an overflow takes the wide path.
        if let TsResolution::Decimal(n) = self
            && let Some(scale) = DECIMAL_SCALES.get(usize::from(n))
            && let Some(nanos) = ticks.checked_mul(*scale)
        {
            return i64::try_from(nanos).unwrap_or(i64::MAX);
        }
        let nanos: u128 = match self {
            TsResolution::Decimal(n) if n <= 9 => u128::from(ticks) * 10u128.pow(u32::from(9 - n)),
            TsResolution::Decimal(n) => {
                let div = 10u128.checked_pow(u32::from(n - 9)).unwrap_or(u128::MAX);
                u128::from(ticks) / div
            }
            TsResolution::Binary(n) => {
                let n = u32::from(n.min(127));
                (u128::from(ticks) * 1_000_000_000) >> n
            }
        };
        i64::try_from(nanos).unwrap_or(i64::MAX)
    }

    /// Ticks per second, for writing timestamps back (saturating).
    pub fn ticks_per_second(self) -> u128 {
        match self {
            TsResolution::Decimal(n) => 10u128.checked_pow(u32::from(n)).unwrap_or(u128::MAX),
            TsResolution::Binary(n) => 1u128.checked_shl(u32::from(n)).unwrap_or(u128::MAX),
        }
    }

    /// Fraction digits Wireshark shows for timestamps of this resolution.
    pub fn display_digits(self) -> u8 {
        match self {
            TsResolution::Decimal(n) => n.min(9),
            // 2^-n seconds needs about n * log10(2) digits.
            TsResolution::Binary(n) => (((u32::from(n) * 30103) / 100_000) as u8 + 1).min(9),
        }
    }

    /// The raw `if_tsresol` byte.
    pub fn to_byte(self) -> u8 {
        match self {
            TsResolution::Decimal(n) => n,
            TsResolution::Binary(n) => n | 0x80,
        }
    }
}

/// One capture interface: its link type, snapshot length and clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interface {
    /// Link-layer header type of its packets.
    pub link_type: LinkType,
    /// Snapshot length the capture used (0 = unknown).
    pub snaplen: u32,
    /// Timestamp units.
    pub ts_resolution: TsResolution,
    /// Seconds added to every timestamp (`if_tsoffset`).
    pub ts_offset_secs: i64,
    /// `if_name`, when the file gives one.
    pub name: Option<String>,
    /// `if_description`, when the file gives one.
    pub description: Option<String>,
    /// pcapng section the interface belongs to (0 for pcap).
    pub section: u32,
    /// The IDB's options as (code, value) with numbers in little-endian order, kept so
    /// that an export can copy them.
    pub options: Vec<(u16, Vec<u8>)>,
}

/// Stands in for an interface a record names but the file never described (the
/// scanners refuse such records, so only an inconsistent index meets it): Ethernet,
/// microseconds.
pub static FALLBACK_INTERFACE: Interface = Interface::new(LinkType::ETHERNET);

impl Interface {
    /// An interface of `link_type` as a pcap file describes one: microseconds, no
    /// offset, no name or options, snapshot length unknown.
    pub const fn new(link_type: LinkType) -> Self {
        Interface {
            link_type,
            snaplen: 0,
            ts_resolution: TsResolution::MICROS,
            ts_offset_secs: 0,
            name: None,
            description: None,
            section: 0,
            options: Vec::new(),
        }
    }
}

/// The container format of a capture file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    /// Classic libpcap format.
    Pcap {
        /// Timestamps in nanoseconds (magic a1b23c4d).
        nanos: bool,
        /// Stored most significant byte first.
        big_endian: bool,
        /// Snapshot length from the file header.
        snaplen: u32,
    },
    /// pcapng.
    PcapNg,
    /// Packets captured live (no file yet).
    Live,
}

/// Everything one scan of a capture learns: interfaces, packets, and where it stopped.
#[derive(Debug, Default)]
pub struct CaptureIndex {
    /// Interfaces, in the order the file declares them.
    pub interfaces: Vec<Interface>,
    /// One record per packet, in file order (frame number = position + 1).
    pub packets: PacketIndex,
    /// Damage that ended the scan early, if any.
    pub damage: Option<ReadError>,
    /// The load stopped at its memory budget (the packets before stay usable).
    pub cut: Option<super::BudgetCut>,
}
