//! Field definitions: every field synack shows has a Wireshark name, a type and a
//! display base, declared once per protocol module with [`define_fields!`].
//!
//! A field's global id is its protocol's base plus its position in the protocol's
//! table, so ids are dense `u16`s: a filter's set of wanted fields is a small bitset.

/// Dense global id of a field (index into the registry).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FieldId(pub u16);

/// How an integer is written in labels and by `-T fields`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    /// Decimal.
    Dec,
    /// `0x` and hex digits padded to the field width.
    Hex,
    /// Hex, with the decimal value in parentheses in labels.
    HexDec,
    /// Decimal, with the hex value in parentheses in labels.
    DecHex,
    /// Octal.
    Oct,
    /// Decimal in `-T fields`; labels show only the value's name (Wireshark's
    /// BASE_NONE with value strings, e.g. `Checksum Status: Good`, and boolean bits
    /// named by their meaning, e.g. `IG bit: Individual address (unicast)`).
    Names,
    /// A port number: decimal, and in labels `http (80)` when `-N t` names ports
    /// (Wireshark's BASE_PT_TCP and BASE_PT_UDP).
    Port(crate::dissect::ports::Transport),
}

/// The type of a field, with what its display needs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// A protocol: its item stands for the whole layer.
    Protocol,
    /// A label without a value (FT_NONE), e.g. an analysis flag.
    None,
    /// A flag: `bits` is the width of the containing field, `mask` selects the flag.
    Bool {
        /// Width in bits of the word the flag lives in (0: not a bit field).
        bits: u8,
        /// Bit mask within that word.
        mask: u64,
        /// The words for true and false ([`SET_NOT_SET`], the words of TCP's and IP's
        /// flags; [`TRUE_FALSE`], Wireshark's for a boolean without its own; or the
        /// field's own).
        words: &'static [&'static str; 2],
    },
    /// An unsigned integer of `bits` bits.
    UInt {
        /// Width of the field on the wire (8, 16, 24, 32 or 64).
        bits: u8,
        /// Display base.
        base: Base,
        /// Bit mask for bit fields (0: whole field).
        mask: u64,
        /// Names of values, if any.
        strings: Option<&'static [(u64, &'static str)]>,
    },
    /// A signed integer.
    Int {
        /// Width in bits.
        bits: u8,
    },
    /// A double.
    Float,
    /// An IPv4 address.
    Ipv4,
    /// An IPv6 address.
    Ipv6,
    /// An Ethernet MAC address.
    Ether,
    /// Raw bytes; `sep` is the separator `-T fields` prints between bytes (None: none).
    Bytes {
        /// Separator between bytes.
        sep: Option<char>,
    },
    /// A character string.
    Str,
    /// An absolute time (nanoseconds since the epoch).
    AbsTime,
    /// An absolute time shown in UTC whatever the local zone (ABSOLUTE_TIME_UTC).
    AbsTimeUtc,
    /// A time difference in nanoseconds.
    RelTime,
    /// A reference to another frame number.
    FrameNum,
}

/// One field: its filter name, its label name and its type.
#[derive(Debug, Clone, Copy)]
pub struct FieldDef {
    /// Wireshark's filter name, e.g. `tcp.flags.syn`.
    pub abbrev: &'static str,
    /// Wireshark's label name, e.g. `Syn`.
    pub name: &'static str,
    /// Type and display.
    pub kind: Kind,
}

impl FieldDef {
    /// A definition (used by [`define_fields!`]).
    pub const fn new(abbrev: &'static str, name: &'static str, kind: Kind) -> Self {
        Self { abbrev, name, kind }
    }

    /// True for protocol items.
    pub fn is_protocol(&self) -> bool {
        matches!(self.kind, Kind::Protocol)
    }
}

/// "Set" and "Not set": TCP's, IP's and most flag words' labels.
pub const SET_NOT_SET: &[&str; 2] = &["Set", "Not set"];

/// "True" and "False": Wireshark's words for a boolean field without its own.
pub const TRUE_FALSE: &[&str; 2] = &["True", "False"];

/// Constructors that keep the field tables short.
pub mod kinds {
    use super::{Base, Kind};

    /// A protocol item.
    pub const PROTO: Kind = Kind::Protocol;
    /// A valueless item.
    pub const NONE: Kind = Kind::None;
    /// An IPv4 address.
    pub const IPV4: Kind = Kind::Ipv4;
    /// An IPv6 address.
    pub const IPV6: Kind = Kind::Ipv6;
    /// A MAC address.
    pub const ETHER: Kind = Kind::Ether;
    /// A string.
    pub const STR: Kind = Kind::Str;
    /// Bytes printed as contiguous hex.
    pub const BYTES: Kind = Kind::Bytes { sep: None };
    /// An absolute time.
    pub const ABS_TIME: Kind = Kind::AbsTime;
    /// An absolute time shown in UTC.
    pub const ABS_TIME_UTC: Kind = Kind::AbsTimeUtc;
    /// A relative time.
    pub const REL_TIME: Kind = Kind::RelTime;
    /// A frame reference.
    pub const FRAME: Kind = Kind::FrameNum;
    /// A double.
    pub const FLOAT: Kind = Kind::Float;

    /// A 16-bit port number of `transport`.
    pub const fn port(transport: crate::dissect::ports::Transport) -> Kind {
        Kind::UInt {
            bits: 16,
            base: Base::Port(transport),
            mask: 0,
            strings: None,
        }
    }
    /// Unsigned decimal.
    pub const fn dec(bits: u8) -> Kind {
        Kind::UInt {
            bits,
            base: Base::Dec,
            mask: 0,
            strings: None,
        }
    }
    /// Unsigned hex.
    pub const fn hex(bits: u8) -> Kind {
        Kind::UInt {
            bits,
            base: Base::Hex,
            mask: 0,
            strings: None,
        }
    }
    /// Unsigned hex with decimal in labels.
    pub const fn hex_dec(bits: u8) -> Kind {
        Kind::UInt {
            bits,
            base: Base::HexDec,
            mask: 0,
            strings: None,
        }
    }
    /// Unsigned with a display base, bit mask and value names.
    pub const fn uint(
        bits: u8,
        base: Base,
        mask: u64,
        strings: Option<&'static [(u64, &'static str)]>,
    ) -> Kind {
        Kind::UInt {
            bits,
            base,
            mask,
            strings,
        }
    }
    /// Decimal with value names.
    pub const fn dec_named(bits: u8, strings: &'static [(u64, &'static str)]) -> Kind {
        Kind::UInt {
            bits,
            base: Base::Dec,
            mask: 0,
            strings: Some(strings),
        }
    }
    /// A value shown in labels by its name alone (see [`Base::Names`]).
    pub const fn named(bits: u8, strings: &'static [(u64, &'static str)]) -> Kind {
        Kind::UInt {
            bits,
            base: Base::Names,
            mask: 0,
            strings: Some(strings),
        }
    }
    /// Hex with value names.
    pub const fn hex_named(bits: u8, strings: &'static [(u64, &'static str)]) -> Kind {
        Kind::UInt {
            bits,
            base: Base::Hex,
            mask: 0,
            strings: Some(strings),
        }
    }
    /// A flag bit in a `bits`-wide word.
    pub const fn flag(bits: u8, mask: u64) -> Kind {
        bool_words(bits, mask, super::SET_NOT_SET)
    }
    /// A flag bit shown "True"/"False".
    pub const fn flag_tf(bits: u8, mask: u64) -> Kind {
        bool_words(bits, mask, super::TRUE_FALSE)
    }
    /// A flag bit with its own words for true and false.
    pub const fn bool_words(bits: u8, mask: u64, words: &'static [&'static str; 2]) -> Kind {
        Kind::Bool { bits, mask, words }
    }
    /// A signed integer.
    pub const fn int(bits: u8) -> Kind {
        Kind::Int { bits }
    }
}

/// Declares a protocol's fields: a `BASE` id, one `pub const` [`FieldId`] per field,
/// the `DEFS` table and `END` (one past the last id), chained after the previous
/// protocol's `END`.
#[macro_export]
macro_rules! define_fields {
    (after $prev:expr; $( $id:ident = $abbrev:literal, $name:literal, $kind:expr; )*) => {
        #[allow(non_camel_case_types, clippy::upper_case_acronyms, dead_code)]
        #[repr(u16)]
        enum Local { $($id),* }
        /// First global field id of this protocol.
        pub const BASE: u16 = $prev;
        $(
            #[doc = concat!("`", $abbrev, "`: ", $name)]
            pub const $id: $crate::dissect::field::FieldId =
                $crate::dissect::field::FieldId(BASE + Local::$id as u16);
        )*
        /// This protocol's field definitions, in id order.
        pub const DEFS: &[$crate::dissect::field::FieldDef] = &[
            $( $crate::dissect::field::FieldDef::new($abbrev, $name, $kind) ),*
        ];
        /// One past this protocol's last field id.
        pub const END: u16 = BASE + DEFS.len() as u16;
    };
}
