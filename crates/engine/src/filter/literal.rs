//! Constants: turning the text of a literal, a quoted string or a character
//! constant into a value of the type the other side of the test has, with
//! tshark 4.0's messages when that fails (`"70000" too big for this field,
//! maximum 65535.`).

use super::types::FType;
use super::val::{Bytes, Val};
use crate::dissect::field::{FieldDef, Kind};
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use std::net::{Ipv4Addr, Ipv6Addr};

/// Why a literal is not a value of the other side's type, in tshark 4.0's words;
/// the checker places it at the literal ([`super::FilterError`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum LiteralError {
    /// The text does not parse as `what` (`number`, `time`, `byte string`, ...).
    #[error("\"{literal}\" is not a valid {what}.")]
    Invalid {
        /// The literal's text.
        literal: String,
        /// What it should have been.
        what: &'static str,
    },
    /// An absolute time in no format tshark reads.
    #[error(
        "\"{literal}\" is not a valid absolute time. Example: \"Nov 12, 1999 08:55:44.123\" or \"2011-07-04 12:34:56\""
    )]
    AbsoluteTime {
        /// The literal's text.
        literal: String,
    },
    /// More than nine digits of a second, or none.
    #[error("Subseconds value is invalid.")]
    Subseconds,
    /// A number above what the field holds.
    #[error("\"{literal}\" too big for this field, maximum {max}.")]
    TooBig {
        /// The literal's text.
        literal: String,
        /// The field's largest value.
        max: u64,
    },
    /// A negative number for an unsigned field.
    #[error("\"{literal}\" too small for this field, minimum 0.")]
    TooSmall {
        /// The literal's text.
        literal: String,
    },
    /// A number beyond 64 bits.
    #[error("\"{literal}\" causes an integer overflow.")]
    Overflow {
        /// The literal's text.
        literal: String,
    },
    /// A MAC address of `count` (`many` or `few`) bytes.
    #[error("\"{literal}\" contains too {count} bytes to be a valid Ethernet address.")]
    EtherLength {
        /// The literal's text.
        literal: String,
        /// `many` or `few`.
        count: &'static str,
    },
    /// A CIDR prefix longer than the address (`family` `IPv4`: at most 32 bits).
    #[error("{prefix} should be <= {max}, not {bits}")]
    Prefix {
        /// tshark's name for the prefix of that family.
        prefix: &'static str,
        /// The address's length in bits.
        max: u32,
        /// The prefix given.
        bits: u32,
    },
    /// No constant compares with a label (`tcp.analysis == 1`).
    #[error("\"{literal}\" cannot be converted to a label.")]
    Label {
        /// The literal's text.
        literal: String,
    },
    /// A quoted string or a character constant for a type that takes neither.
    #[error("{ftype} cannot be converted from {from}.")]
    Conversion {
        /// The other side's type, as tshark names it.
        ftype: String,
        /// `a string ("abc")` or `a character constant ('a')`.
        from: String,
    },
    /// A name that is none of the field's value names.
    #[error("\"{literal}\" cannot be found among the possible values for {field}.")]
    NoSuchValue {
        /// The literal's text.
        literal: String,
        /// The field's abbreviation.
        field: &'static str,
    },
}

/// Shorthand for [`LiteralError::Invalid`].
fn invalid(literal: &str, what: &'static str) -> LiteralError {
    LiteralError::Invalid {
        literal: literal.to_string(),
        what,
    }
}

/// An unquoted literal (`80`, `0x12`, `10.0.0.0/8`, `aa:bb`, `GET`) as `ft`.
/// `partial` allows a MAC address with fewer than six bytes (`contains`).
pub(crate) fn from_literal(
    ft: FType,
    s: &str,
    partial: bool,
) -> Result<Val<'static>, LiteralError> {
    match ft {
        FType::UInt(bits) => Ok(Val::U(unsigned(s, max_unsigned(bits))?)),
        FType::FrameNum => Ok(Val::U(unsigned(s, u64::from(u32::MAX))?)),
        FType::Int(bits) => {
            let max = max_unsigned(bits.saturating_sub(1));
            let v = unsigned(s, max)?;
            Ok(Val::I(i64::try_from(v).map_err(|_| overflow(s))?))
        }
        FType::Bool => boolean(s),
        FType::Double => double(s).map(Val::F),
        FType::RelTime => relative_time(s)
            .map(Val::Rel)
            .ok_or_else(|| invalid(s, "time")),
        FType::AbsTime => absolute_time(s).map(Val::Abs),
        FType::Str => Ok(Val::Str(Bytes::Owned(s.as_bytes().to_vec()))),
        FType::Bytes | FType::Protocol => hex_bytes(s)
            .map(|b| Val::Bytes(Bytes::Owned(b)))
            .ok_or_else(|| invalid(s, "byte string")),
        FType::Ether => ether(s, partial),
        FType::Ipv4 => ipv4(s),
        FType::Ipv6 => ipv6(s),
        FType::None => Err(LiteralError::Label {
            literal: s.to_string(),
        }),
    }
}

/// A quoted string as `ft`.
pub(crate) fn from_string(ft: FType, bytes: &[u8]) -> Result<Val<'static>, LiteralError> {
    match ft {
        FType::Str => Ok(Val::Str(Bytes::Owned(bytes.to_vec()))),
        FType::Bytes | FType::Protocol => Ok(Val::Bytes(Bytes::Owned(bytes.to_vec()))),
        FType::AbsTime => absolute_time(&String::from_utf8_lossy(bytes)).map(Val::Abs),
        other => Err(LiteralError::Conversion {
            ftype: other.pretty(),
            from: format!("a string (\"{}\")", String::from_utf8_lossy(bytes)),
        }),
    }
}

/// A character constant as `ft`.
pub(crate) fn from_char(ft: FType, c: u8, text: &str) -> Result<Val<'static>, LiteralError> {
    match ft {
        FType::UInt(_) | FType::FrameNum => Ok(Val::U(u64::from(c))),
        FType::Int(_) => Ok(Val::I(i64::from(c))),
        FType::Bool => Ok(Val::Bool(c != 0)),
        FType::Str => Ok(Val::Str(Bytes::inline(&[c]))),
        FType::Bytes | FType::Protocol => Ok(Val::Bytes(Bytes::inline(&[c]))),
        other => Err(LiteralError::Conversion {
            ftype: other.pretty(),
            from: format!("a character constant ({text})"),
        }),
    }
}

/// The value names of `def` (`ip.proto == TCP`, `tcp.flags.syn == Set`), matched
/// without regard to case. `None` when the field has none, so the earlier
/// message stands; otherwise the value or the "cannot be found" message that
/// tshark prefers.
pub(crate) fn from_value_string(
    def: &FieldDef,
    s: &str,
) -> Option<Result<Val<'static>, LiteralError>> {
    let not_found = || LiteralError::NoSuchValue {
        literal: s.to_string(),
        field: def.abbrev,
    };
    match def.kind {
        Kind::Bool { bits, .. } => {
            // Bit flags show Set/Not set; plain booleans True/False.
            let (yes, no) = if bits > 0 {
                ("Set", "Not set")
            } else {
                ("True", "False")
            };
            Some(if s.eq_ignore_ascii_case(yes) {
                Ok(Val::Bool(true))
            } else if s.eq_ignore_ascii_case(no) {
                Ok(Val::Bool(false))
            } else {
                Err(not_found())
            })
        }
        Kind::UInt {
            strings: Some(names),
            ..
        } => Some(
            names
                .iter()
                .find(|(_, name)| name.eq_ignore_ascii_case(s))
                .map(|(v, _)| Val::U(*v))
                .ok_or_else(not_found),
        ),
        _ => None,
    }
}

fn max_unsigned(bits: u8) -> u64 {
    match bits {
        0 => 0,
        1..=63 => (1u64 << bits) - 1,
        _ => u64::MAX,
    }
}

fn overflow(s: &str) -> LiteralError {
    LiteralError::Overflow {
        literal: s.to_string(),
    }
}

/// `g_ascii_strtoull(s, &end, 0)` with tshark's checks: `0x` hex, `0b` binary,
/// a leading `0` for octal; the whole text must be the number.
fn unsigned(s: &str, max: u64) -> Result<u64, LiteralError> {
    let invalid = || invalid(s, "number");
    if s.starts_with('-') {
        return Err(LiteralError::TooSmall {
            literal: s.to_string(),
        });
    }
    let body = s.strip_prefix('+').unwrap_or(s);
    let (digits, radix) = if let Some(h) = body.strip_prefix("0x").or(body.strip_prefix("0X")) {
        (h, 16)
    } else if let Some(b) = body.strip_prefix("0b").or(body.strip_prefix("0B")) {
        (b, 2)
    } else if body.len() > 1 && body.starts_with('0') {
        (body.get(1..).unwrap_or_default(), 8)
    } else {
        (body, 10)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return Err(invalid());
    }
    let value = u64::from_str_radix(digits, radix).map_err(|_| overflow(s))?;
    if value > max {
        return Err(LiteralError::TooBig {
            literal: s.to_string(),
            max,
        });
    }
    Ok(value)
}

/// `True`/`False` (as tshark 4.0 spells them; `true` is not accepted) or a number.
fn boolean(s: &str) -> Result<Val<'static>, LiteralError> {
    match s {
        "True" | "TRUE" => Ok(Val::Bool(true)),
        "False" | "FALSE" => Ok(Val::Bool(false)),
        _ => unsigned(s, u64::MAX).map(|v| Val::Bool(v != 0)),
    }
}

/// `strtod`: decimal with exponent, `inf`, `nan`, and C99 hex floats.
fn double(s: &str) -> Result<f64, LiteralError> {
    let invalid = || invalid(s, "floating-point number");
    if let Some(hex) = s.strip_prefix("0x").or(s.strip_prefix("0X")) {
        return hex_float(hex).ok_or_else(invalid);
    }
    s.parse::<f64>().map_err(|_| invalid())
}

fn hex_float(s: &str) -> Option<f64> {
    let (mantissa, exp) = match s.split_once(['p', 'P']) {
        Some((m, e)) => (m, e.parse::<i32>().ok()?),
        None => (s, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let mut value = 0f64;
    for c in int.chars() {
        value = value * 16.0 + f64::from(c.to_digit(16)?);
    }
    let mut scale = 1.0 / 16.0;
    for c in frac.chars() {
        value += f64::from(c.to_digit(16)?) * scale;
        scale /= 16.0;
    }
    Some(value * 2f64.powi(exp))
}

/// Seconds with up to nine fraction digits (`0.001`, `2`), as nanoseconds.
fn relative_time(s: &str) -> Option<i64> {
    let (negative, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (secs, frac) = body.split_once('.').unwrap_or((body, ""));
    if secs.is_empty() || !secs.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if body.contains('.') && (frac.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let secs: i64 = secs.parse().ok()?;
    let mut nanos: i64 = 0;
    for (i, b) in frac.bytes().take(9).enumerate() {
        nanos += i64::from(b - b'0') * 10i64.pow(8 - i as u32);
    }
    let total = secs.checked_mul(1_000_000_000)?.checked_add(nanos)?;
    Some(if negative { -total } else { total })
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// An absolute time in local time, as `frame.time` accepts it:
/// `Nov 24, 2026 23:56:21.345` or `2026-11-24 23:56:21[.345][Z|±hh:mm]`, or a
/// bare date `2026-11-24`.
fn absolute_time(s: &str) -> Result<i64, LiteralError> {
    let invalid = || LiteralError::AbsoluteTime {
        literal: s.to_string(),
    };
    let text = s.trim();
    let (text, utc) = match text.strip_suffix(" UTC").or(text.strip_suffix('Z')) {
        Some(rest) => (rest.trim_end(), true),
        None => (text, false),
    };
    let parsed = if text.starts_with(|c: char| c.is_ascii_digit()) {
        iso_time(text)
    } else {
        month_name_time(text)
    };
    let Some((date, time, offset_secs)) = parsed else {
        return Err(invalid());
    };
    let (hour, minute, second, frac) = time;
    let Some(nanos) = fraction_nanos(frac) else {
        return Err(LiteralError::Subseconds);
    };
    let (year, month, day) = date;
    let dt = DateTime::new(year, month, day, hour, minute, second, 0).map_err(|_| invalid())?;
    // Without a zone the time is local, as tshark reads it.
    let zone = if utc || offset_secs.is_some() {
        TimeZone::UTC
    } else {
        TimeZone::system()
    };
    let ts = zone.to_timestamp(dt).map_err(|_| invalid())?;
    let secs = ts.as_second() - i64::from(offset_secs.unwrap_or(0));
    secs.checked_mul(1_000_000_000)
        .and_then(|n| n.checked_add(nanos))
        .ok_or_else(invalid)
}

type Date = (i16, i8, i8);
type Clock<'a> = (i8, i8, i8, &'a str);

fn fraction_nanos(frac: &str) -> Option<i64> {
    if frac.len() > 9 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut nanos = 0i64;
    for (i, b) in frac.bytes().enumerate() {
        nanos += i64::from(b - b'0') * 10i64.pow(8 - i as u32);
    }
    Some(nanos)
}

/// `HH:MM[:SS[.frac]]`.
fn clock(s: &str) -> Option<Clock<'_>> {
    let mut parts = s.splitn(3, ':');
    let hour = parts.next()?.parse().ok()?;
    let minute = parts.next()?.parse().ok()?;
    let (second, frac) = match parts.next() {
        Some(sec) => {
            let (whole, frac) = sec.split_once('.').unwrap_or((sec, ""));
            (whole.parse().ok()?, frac)
        }
        None => (0, ""),
    };
    Some((hour, minute, second, frac))
}

/// `YYYY-MM-DD[( |T)HH:MM[:SS[.frac]]][±hh:mm]`.
fn iso_time(s: &str) -> Option<(Date, Clock<'_>, Option<i32>)> {
    let (date, rest) = match s.find([' ', 'T']) {
        Some(i) => (s.get(..i)?, s.get(i + 1..)?),
        None => (s, ""),
    };
    let mut d = date.splitn(3, '-');
    let year = d.next()?.parse().ok()?;
    let month = d.next()?.parse().ok()?;
    let day = d.next()?.parse().ok()?;
    if rest.is_empty() {
        return Some(((year, month, day), (0, 0, 0, ""), None));
    }
    let (time, offset) = match rest.rfind(['+', '-']) {
        Some(i) => {
            let off = rest.get(i..)?;
            let sign = if off.starts_with('-') { -1 } else { 1 };
            let (h, m) = off
                .get(1..)?
                .split_once(':')
                .unwrap_or((off.get(1..)?, "0"));
            let secs = h.parse::<i32>().ok()? * 3600 + m.parse::<i32>().ok()? * 60;
            (rest.get(..i)?, Some(sign * secs))
        }
        None => (rest, None),
    };
    Some(((year, month, day), clock(time)?, offset))
}

/// `Mon DD, YYYY HH:MM:SS[.frac]`.
fn month_name_time(s: &str) -> Option<(Date, Clock<'_>, Option<i32>)> {
    let (month, rest) = s.split_once(' ')?;
    let month = MONTHS
        .iter()
        .position(|m| month.get(..3).is_some_and(|p| p.eq_ignore_ascii_case(m)))?;
    let (day, rest) = rest.trim_start().split_once(", ")?;
    let (year, time) = rest.trim_start().split_once(' ')?;
    let month = i8::try_from(month + 1).ok()?;
    let time = clock(time.trim())?;
    Some(((year.parse().ok()?, month, day.parse().ok()?), time, None))
}

/// Wireshark's `hex_str_to_bytes` without forced separators: pairs of hex
/// digits, optionally separated by `:`, `.` or `-`; a lone digit is a byte.
pub(crate) fn hex_bytes(s: &str) -> Option<Vec<u8>> {
    // A C hex constant of one byte is a byte (`frame[0] & 0x0f`).
    if let Some(hex) = s.strip_prefix("0x").or(s.strip_prefix("0X")) {
        return match hex.len() {
            1 | 2 => u8::from_str_radix(hex, 16).ok().map(|b| vec![b]),
            _ => None,
        };
    }
    let s = s.strip_prefix(':').unwrap_or(s).as_bytes();
    let hex = |i: usize| s.get(i).and_then(|b| (*b as char).to_digit(16));
    let is_sep = |i: usize| matches!(s.get(i), Some(b':' | b'.' | b'-'));
    let mut out = Vec::new();
    let mut p = 0;
    while p < s.len() {
        if let (Some(a), Some(b)) = (hex(p), hex(p + 1)) {
            out.push((a * 16 + b) as u8);
            p += 2;
            if is_sep(p) {
                p += 1;
            }
        } else if let Some(a) = hex(p) {
            // One digit, then a separator or the end.
            if p + 1 < s.len() && !is_sep(p + 1) {
                return None;
            }
            out.push(a as u8);
            p += 2;
        } else {
            return None;
        }
    }
    Some(out)
}

fn ether(s: &str, partial: bool) -> Result<Val<'static>, LiteralError> {
    match hex_bytes(s) {
        Some(b) if b.len() > 6 => Err(LiteralError::EtherLength {
            literal: s.to_string(),
            count: "many",
        }),
        Some(b) if b.len() < 6 && !partial => Err(LiteralError::EtherLength {
            literal: s.to_string(),
            count: "few",
        }),
        Some(b) => Ok(Val::Bytes(Bytes::inline(&b))),
        None => Err(invalid(s, "Ethernet address")),
    }
}

/// An address with an optional CIDR prefix (`10.0.0.0/8`), the prefix's bits
/// (`max` without one). `what` names the address and `prefix` its prefix in
/// tshark's messages.
fn cidr<A: std::str::FromStr>(
    s: &str,
    what: &'static str,
    (prefix, max): (&'static str, u32),
) -> Result<(A, u32), LiteralError> {
    let (addr, bits) = match s.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (s, None),
    };
    let parsed: A = addr.parse().map_err(|_| invalid(addr, what))?;
    let bits = match bits {
        None => max,
        Some(p) => {
            let bits: u32 = p.parse().map_err(|_| invalid(p, "number"))?;
            if bits > max {
                return Err(LiteralError::Prefix { prefix, max, bits });
            }
            bits
        }
    };
    Ok((parsed, bits))
}

fn ipv4(s: &str) -> Result<Val<'static>, LiteralError> {
    let prefix = ("Netmask bits in a CIDR IPv4 address", 32);
    let (addr, bits) = cidr::<Ipv4Addr>(s, "hostname or IPv4 address", prefix)?;
    Ok(Val::V4 {
        addr: u32::from(addr),
        mask: u32::MAX.checked_shl(32 - bits).unwrap_or(0),
    })
}

fn ipv6(s: &str) -> Result<Val<'static>, LiteralError> {
    let prefix = ("Prefix in a IPv6 address", 128);
    let (addr, bits) = cidr::<Ipv6Addr>(s, "hostname or IPv6 address", prefix)?;
    Ok(Val::V6 {
        addr: addr.octets(),
        prefix: u8::try_from(bits).unwrap_or(128),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers() {
        assert!(matches!(
            from_literal(FType::UInt(16), "0x2a35", false),
            Ok(Val::U(10805))
        ));
        assert!(matches!(
            from_literal(FType::UInt(8), "0100", false),
            Ok(Val::U(64))
        ));
        assert!(matches!(
            from_literal(FType::UInt(8), "0b101", false),
            Ok(Val::U(5))
        ));
        let err = |ft, s| from_literal(ft, s, false).unwrap_err().to_string();
        assert_eq!(
            err(FType::UInt(16), "70000"),
            "\"70000\" too big for this field, maximum 65535."
        );
        assert_eq!(
            err(FType::UInt(8), "64.0"),
            "\"64.0\" is not a valid number."
        );
        assert_eq!(err(FType::UInt(8), "08"), "\"08\" is not a valid number.");
        assert_eq!(
            err(FType::UInt(16), "99999999999999999999"),
            "\"99999999999999999999\" causes an integer overflow."
        );
        assert_eq!(
            err(FType::Int(32), "2147483648"),
            "\"2147483648\" too big for this field, maximum 2147483647."
        );
    }

    #[test]
    fn booleans_and_value_names() {
        assert!(matches!(
            from_literal(FType::Bool, "True", false),
            Ok(Val::Bool(true))
        ));
        assert!(matches!(
            from_literal(FType::Bool, "2", false),
            Ok(Val::Bool(true))
        ));
        assert!(from_literal(FType::Bool, "true", false).is_err());
        let syn = FieldDef::new(
            "tcp.flags.syn",
            "Syn",
            crate::dissect::field::kinds::flag(12, 2),
        );
        assert!(matches!(
            from_value_string(&syn, "not SET"),
            Some(Ok(Val::Bool(false)))
        ));
        assert_eq!(
            from_value_string(&syn, "true")
                .and_then(Result::err)
                .map(|e| e.to_string())
                .as_deref(),
            Some("\"true\" cannot be found among the possible values for tcp.flags.syn.")
        );
    }

    #[test]
    fn bytes_addresses_times() {
        assert_eq!(hex_bytes("47:45:54"), Some(vec![0x47, 0x45, 0x54]));
        assert_eq!(hex_bytes("4745.54"), Some(vec![0x47, 0x45, 0x54]));
        assert_eq!(hex_bytes("474"), Some(vec![0x47, 0x04]));
        assert_eq!(hex_bytes(":47:45"), Some(vec![0x47, 0x45]));
        assert_eq!(hex_bytes("zz"), None);
        assert!(from_literal(FType::Ether, "46:8a", false).is_err());
        assert!(from_literal(FType::Ether, "46:8a", true).is_ok());
        assert!(matches!(
            from_literal(FType::Ipv4, "10.10.0.0/24", false),
            Ok(Val::V4 {
                addr: 0x0a0a_0000,
                mask: 0xffff_ff00
            })
        ));
        assert_eq!(
            from_literal(FType::Ipv4, "10.10.0.1/33", false)
                .unwrap_err()
                .to_string(),
            "Netmask bits in a CIDR IPv4 address should be <= 32, not 33"
        );
        assert_eq!(
            from_literal(FType::Ipv4, "1.2.3", false)
                .unwrap_err()
                .to_string(),
            "\"1.2.3\" is not a valid hostname or IPv4 address."
        );
        assert!(matches!(
            from_literal(FType::RelTime, "0.001", false),
            Ok(Val::Rel(1_000_000))
        ));
        assert!(from_literal(FType::RelTime, "1ms", false).is_err());
        let utc = from_string(FType::AbsTime, b"2026-11-24 23:56:21Z");
        assert!(matches!(utc, Ok(Val::Abs(1_795_564_581_000_000_000))));
        let named = from_string(FType::AbsTime, b"Nov 24, 2026 23:56:21.5 UTC");
        assert!(matches!(named, Ok(Val::Abs(1_795_564_581_500_000_000))));
        assert_eq!(
            from_string(FType::AbsTime, b"Nov 24, 2026 23:56:21.1234567890")
                .unwrap_err()
                .to_string(),
            "Subseconds value is invalid."
        );
        assert_eq!(
            from_string(FType::Ipv4, b"10.0.0.1")
                .unwrap_err()
                .to_string(),
            "IPv4 address cannot be converted from a string (\"10.0.0.1\")."
        );
    }
}
