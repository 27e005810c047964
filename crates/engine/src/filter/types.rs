//! Wireshark's field types (`ftenum`) as the filter engine sees them: which
//! operators each type supports and which types can be compared.

use crate::dissect::field::Kind;

/// The type of a field, function result or constant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FType {
    /// FT_NONE: a label without a value.
    None,
    /// FT_PROTOCOL.
    Protocol,
    /// FT_BOOLEAN.
    Bool,
    /// FT_UINTn with n bits.
    UInt(u8),
    /// FT_INTn with n bits.
    Int(u8),
    /// FT_FRAMENUM.
    FrameNum,
    /// FT_DOUBLE.
    Double,
    /// FT_ABSOLUTE_TIME.
    AbsTime,
    /// FT_RELATIVE_TIME.
    RelTime,
    /// FT_STRING.
    Str,
    /// FT_BYTES.
    Bytes,
    /// FT_ETHER.
    Ether,
    /// FT_IPv4.
    Ipv4,
    /// FT_IPv6.
    Ipv6,
}

impl FType {
    /// The type of a registry field.
    pub(crate) fn of(kind: &Kind) -> FType {
        match kind {
            Kind::Protocol => FType::Protocol,
            Kind::None => FType::None,
            Kind::Bool { .. } => FType::Bool,
            Kind::UInt { bits, .. } => FType::UInt(*bits),
            Kind::Int { bits } => FType::Int(*bits),
            Kind::Float => FType::Double,
            Kind::Ipv4 => FType::Ipv4,
            Kind::Ipv6 => FType::Ipv6,
            Kind::Ether => FType::Ether,
            Kind::Bytes { .. } => FType::Bytes,
            Kind::Str => FType::Str,
            Kind::AbsTime | Kind::AbsTimeUtc => FType::AbsTime,
            Kind::RelTime => FType::RelTime,
            Kind::FrameNum => FType::FrameNum,
        }
    }

    /// Width in bytes of an integer type (what `len()` reports for it).
    fn int_bytes(bits: u8) -> u8 {
        bits.div_ceil(8)
    }

    /// `ftype_pretty_name`, used in messages such as `(type=Unsigned integer (2 bytes))`.
    pub(crate) fn pretty(self) -> String {
        let plural = |n: u8| if n == 1 { "byte" } else { "bytes" };
        match self {
            FType::None => "Label".into(),
            FType::Protocol => "Protocol".into(),
            FType::Bool => "Boolean".into(),
            FType::UInt(bits) => {
                let n = Self::int_bytes(bits);
                format!("Unsigned integer ({n} {})", plural(n))
            }
            FType::Int(bits) => {
                let n = Self::int_bytes(bits);
                format!("Signed integer ({n} {})", plural(n))
            }
            FType::FrameNum => "Frame number".into(),
            FType::Double => "Floating point (double-precision)".into(),
            FType::AbsTime => "Date and time".into(),
            FType::RelTime => "Time offset".into(),
            FType::Str => "Character string".into(),
            FType::Bytes => "Byte sequence".into(),
            FType::Ether => "Ethernet or other MAC address".into(),
            FType::Ipv4 => "IPv4 address".into(),
            FType::Ipv6 => "IPv6 address".into(),
        }
    }

    /// `ftype_name`, used in arithmetic messages such as `FT_IPv4 cannot +.`.
    pub(crate) fn name(self) -> String {
        match self {
            FType::None => "FT_NONE".into(),
            FType::Protocol => "FT_PROTOCOL".into(),
            FType::Bool => "FT_BOOLEAN".into(),
            FType::UInt(bits) => format!("FT_UINT{}", u16::from(Self::int_bytes(bits)) * 8),
            FType::Int(bits) => format!("FT_INT{}", u16::from(Self::int_bytes(bits)) * 8),
            FType::FrameNum => "FT_FRAMENUM".into(),
            FType::Double => "FT_DOUBLE".into(),
            FType::AbsTime => "FT_ABSOLUTE_TIME".into(),
            FType::RelTime => "FT_RELATIVE_TIME".into(),
            FType::Str => "FT_STRING".into(),
            FType::Bytes => "FT_BYTES".into(),
            FType::Ether => "FT_ETHER".into(),
            FType::Ipv4 => "FT_IPv4".into(),
            FType::Ipv6 => "FT_IPv6".into(),
        }
    }

    /// Whether the type is one of Wireshark's integer types.
    pub(crate) fn is_integer(self) -> bool {
        matches!(self, FType::UInt(_) | FType::Int(_) | FType::FrameNum)
    }

    /// `ftype_can_eq`.
    pub(crate) fn can_eq(self) -> bool {
        !matches!(self, FType::None)
    }

    /// `ftype_can_cmp` (ordering).
    pub(crate) fn can_cmp(self) -> bool {
        !matches!(self, FType::None)
    }

    /// `ftype_can_contains`.
    pub(crate) fn can_contains(self) -> bool {
        matches!(
            self,
            FType::Protocol | FType::Str | FType::Bytes | FType::Ether
        )
    }

    /// `ftype_can_matches`.
    pub(crate) fn can_matches(self) -> bool {
        matches!(
            self,
            FType::Protocol | FType::Str | FType::Bytes | FType::Ether
        )
    }

    /// `ftype_can_slice`.
    pub(crate) fn can_slice(self) -> bool {
        matches!(
            self,
            FType::Protocol | FType::Str | FType::Bytes | FType::Ether | FType::Ipv4 | FType::Ipv6
        )
    }

    /// `is_bytes_type` in semcheck.c: compared with a slice without conversion.
    pub(crate) fn is_bytes_type(self) -> bool {
        matches!(self, FType::Bytes | FType::Ether | FType::Ipv6)
    }

    /// Whether `+` and `-` apply.
    pub(crate) fn can_add(self) -> bool {
        self.is_integer() || matches!(self, FType::Double | FType::RelTime)
    }

    /// Whether `*`, `/` and `%` apply.
    pub(crate) fn can_multiply(self) -> bool {
        self.is_integer() || matches!(self, FType::Double)
    }

    /// Whether `&` applies.
    pub(crate) fn can_bitwise_and(self) -> bool {
        self.is_integer() || matches!(self, FType::Bytes)
    }

    /// Whether unary minus applies.
    pub(crate) fn can_negate(self) -> bool {
        self.is_integer() || matches!(self, FType::Double | FType::RelTime)
    }

    /// `compatible_ftypes` in 4.0's semcheck.c: may a field of type `self` be
    /// compared with one of type `other`?
    pub(crate) fn compatible(self, other: FType) -> bool {
        match self {
            FType::UInt(_) | FType::Int(_) | FType::FrameNum => matches!(
                other,
                FType::UInt(_) | FType::Int(_) | FType::FrameNum | FType::Bool
            ),
            FType::Bytes | FType::Ether => matches!(other, FType::Bytes | FType::Ether),
            _ => self == other,
        }
    }
}
