//! Field values and how tshark prints them (`-T fields`) and labels them (`-V`).

use super::field::{Base, FieldDef, Kind};
use std::borrow::Cow;
use std::net::Ipv6Addr;

/// The value of one field occurrence; bytes and strings borrow from the packet.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// No value (protocol items and FT_NONE).
    None,
    /// A flag.
    Bool(bool),
    /// An unsigned integer (already masked and shifted for bit fields).
    UInt(u64),
    /// A signed integer.
    Int(i64),
    /// A double.
    Float(f64),
    /// An IPv4 address.
    Ipv4([u8; 4]),
    /// An IPv6 address.
    Ipv6([u8; 16]),
    /// A MAC address.
    Ether([u8; 6]),
    /// Raw bytes.
    Bytes(Cow<'a, [u8]>),
    /// A string as bytes (not necessarily UTF-8).
    Str(Cow<'a, [u8]>),
    /// Nanoseconds since the Unix epoch, or a time difference in nanoseconds.
    Time(i64),
    /// A frame number.
    Frame(u32),
}

impl Value<'_> {
    /// A string field's value, copied out of bytes that do not outlive the dissection
    /// (a reassembled or decoded buffer, a line being parsed).
    pub fn owned_str(bytes: &[u8]) -> Value<'static> {
        Value::Str(Cow::Owned(bytes.to_vec()))
    }

    /// A copy that owns its bytes.
    pub fn into_owned(self) -> Value<'static> {
        match self {
            Value::None => Value::None,
            Value::Bool(b) => Value::Bool(b),
            Value::UInt(v) => Value::UInt(v),
            Value::Int(v) => Value::Int(v),
            Value::Float(v) => Value::Float(v),
            Value::Ipv4(a) => Value::Ipv4(a),
            Value::Ipv6(a) => Value::Ipv6(a),
            Value::Ether(a) => Value::Ether(a),
            Value::Bytes(b) => Value::Bytes(Cow::Owned(b.into_owned())),
            Value::Str(b) => Value::Str(Cow::Owned(b.into_owned())),
            Value::Time(t) => Value::Time(t),
            Value::Frame(f) => Value::Frame(f),
        }
    }

    /// The value as an unsigned integer, when it is one.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::UInt(v) => Some(*v),
            Value::Bool(b) => Some(u64::from(*b)),
            Value::Frame(f) => Some(u64::from(*f)),
            Value::Int(v) => u64::try_from(*v).ok(),
            _ => None,
        }
    }
}

/// Appends `value` in decimal: `format!` costs several times as much, and the load
/// pass writes a port into the expert message of every SYN.
pub fn push_decimal(out: &mut String, value: u64) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    let mut rest = value;
    loop {
        start -= 1;
        if let Some(d) = digits.get_mut(start) {
            *d = b'0' + (rest % 10) as u8;
        }
        rest /= 10;
        if rest == 0 || start == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(digits.get(start..).unwrap_or_default()).unwrap_or(""));
}

/// Formats an IPv6 address as RFC 5952 (what tshark prints).
pub fn ipv6_text(addr: &[u8; 16]) -> String {
    Ipv6Addr::from(*addr).to_string()
}

/// Formats an IPv4 address.
pub fn ipv4_text(addr: &[u8; 4]) -> String {
    format!("{}.{}.{}.{}", addr[0], addr[1], addr[2], addr[3])
}

/// Formats a MAC address, lowercase with colons.
pub fn ether_text(addr: &[u8; 6]) -> String {
    format!(
        "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
        addr[0], addr[1], addr[2], addr[3], addr[4], addr[5]
    )
}

/// Hex digits, lowercase, with an optional separator between bytes.
pub fn hex_text(bytes: &[u8], sep: Option<char>) -> String {
    let mut out = String::with_capacity(bytes.len() * 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0
            && let Some(sep) = sep
        {
            out.push(sep);
        }
        push_hex(&mut out, *b);
    }
    out
}

/// Appends `b` as two lowercase hex digits (`write!` into a `String` returns a
/// `Result` that cannot fail; this has none).
fn push_hex(out: &mut String, b: u8) {
    for nibble in [b >> 4, b & 0xf] {
        out.push(char::from_digit(u32::from(nibble), 16).unwrap_or('0'));
    }
}

/// A time difference as tshark prints it: seconds with nine fraction digits.
pub fn rel_time_text(nanos: i64) -> String {
    let sign = if nanos < 0 { "-" } else { "" };
    let abs = nanos.unsigned_abs();
    format!("{sign}{}.{:09}", abs / 1_000_000_000, abs % 1_000_000_000)
}

/// A string field's bytes as tshark's `-T fields` writes them: NUL as `\0`, the
/// control characters `\b \f \n \r \t` as escapes, everything else as it is.
pub fn string_field_text(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\0' => out.push_str("\\0"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out
}

/// A string as Wireshark shows it in a label: non-printable bytes as escapes.
pub fn string_label_text(bytes: &[u8]) -> String {
    // The printable ASCII before the first byte to escape (or to decode) is the text
    // as it is: copied at once, without the lossy decoder's pass (the load pass makes
    // this text for every HTTP message's expert item). UTF-8 decoding restarts cleanly
    // after an ASCII byte, so the rest reads the same alone.
    let plain = bytes
        .iter()
        .position(|&b| !(0x20..0x7f).contains(&b) || b == b'\\')
        .unwrap_or(bytes.len());
    let (head, rest) = bytes.split_at(plain);
    let text = String::from_utf8_lossy(rest);
    let mut out = String::with_capacity(head.len() + text.len() + 4);
    out.push_str(std::str::from_utf8(head).unwrap_or_default());
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str("\\x");
                push_hex(&mut out, u8::try_from(c).unwrap_or(0));
            }
            c => out.push(c),
        }
    }
    out
}

/// Looks a value up in a value-string table.
pub fn value_name(
    strings: Option<&'static [(u64, &'static str)]>,
    value: u64,
) -> Option<&'static str> {
    strings?
        .iter()
        .find(|(v, _)| *v == value)
        .map(|(_, name)| *name)
}

fn hex_width(bits: u8) -> usize {
    usize::from(bits.div_ceil(4)).max(1)
}

/// A field's value as `tshark -T fields` prints it: as [`field_text`], but an empty
/// byte string is `<MISSING>` (as in its tree label; its JSON tree prints "").
pub fn fields_text(def: &FieldDef, v: &Value<'_>) -> String {
    match (&def.kind, v) {
        (Kind::Bytes { .. }, Value::Bytes(b)) if b.is_empty() => "<MISSING>".to_string(),
        _ => field_text(def, v),
    }
}

/// The value as tshark prints it for the field `def` (its JSON tree, `-T fields` but
/// for an empty byte string: see [`fields_text`]).
pub fn field_text(def: &FieldDef, value: &Value<'_>) -> String {
    match (&def.kind, value) {
        (Kind::UInt { bits, base, .. }, Value::UInt(v)) => match base {
            Base::Hex | Base::HexDec => format!("0x{:0width$x}", v, width = hex_width(*bits)),
            Base::Oct => format!("0{v:o}"),
            Base::Dec | Base::DecHex | Base::Names | Base::Port(_) => v.to_string(),
        },
        (_, Value::None) => "1".to_string(),
        (_, Value::Bool(b)) => if *b { "1" } else { "0" }.to_string(),
        (_, Value::UInt(v)) => v.to_string(),
        (_, Value::Int(v)) => v.to_string(),
        (_, Value::Float(v)) => format!("{v}"),
        (_, Value::Ipv4(a)) => ipv4_text(a),
        (_, Value::Ipv6(a)) => ipv6_text(a),
        (_, Value::Ether(a)) => ether_text(a),
        (Kind::Bytes { sep }, Value::Bytes(b)) => hex_text(b, *sep),
        (_, Value::Bytes(b)) => hex_text(b, None),
        (_, Value::Str(s)) => string_field_text(s),
        (Kind::AbsTime, Value::Time(t)) => super::time::local_time_text(*t, 9),
        (Kind::AbsTimeUtc, Value::Time(t)) => super::time::utc_time_text(*t),
        (_, Value::Time(t)) => rel_time_text(*t),
        (_, Value::Frame(f)) => f.to_string(),
    }
}

/// The bit chart Wireshark puts before a bit field's label, e.g. `.... ..1.` for
/// mask 0x02 in an 8-bit word with the flag set.
pub fn bit_chart(bits: u8, mask: u64, shifted_value: u64) -> String {
    let shift = mask.trailing_zeros();
    // A mask of 0 (a field with no bits) shifts by 64: no bit is drawn then.
    let value = shifted_value.checked_shl(shift).unwrap_or(0);
    let mut out = String::new();
    let bits = u32::from(bits);
    for i in (0..bits).rev() {
        let pos = bits - 1 - i;
        if pos > 0 && pos % 4 == 0 {
            out.push(' ');
        }
        let bit = 1u64 << i;
        out.push(if mask & bit == 0 {
            '.'
        } else if value & bit != 0 {
            '1'
        } else {
            '0'
        });
    }
    out
}

/// The text after "Name: " in a Wireshark label for this value.
pub fn label_value_text(def: &FieldDef, value: &Value<'_>) -> String {
    match (&def.kind, value) {
        (
            Kind::UInt {
                bits,
                base,
                strings,
                mask,
            },
            Value::UInt(v),
        ) => {
            // A bit field's label is as wide as its mask, not its word (a 20-bit flow
            // label reads `0x00000`, a 12-bit flags word `0x002`).
            let digits = match mask.checked_shr(mask.trailing_zeros()) {
                Some(m) if *mask != 0 => usize::try_from((64 - m.leading_zeros()).div_ceil(4))
                    .unwrap_or(1)
                    .max(1),
                _ => hex_width(*bits),
            };
            match (value_name(*strings, *v), base) {
                (Some(name), Base::Names) => name.to_string(),
                (Some(name), Base::Hex | Base::HexDec) => {
                    format!("{name} (0x{v:0digits$x})")
                }
                (Some(name), _) => format!("{name} ({v})"),
                // A named field whose value has no name reads `Unknown (…)`, as in tshark.
                (None, Base::Hex) if strings.is_some() => format!("Unknown (0x{v:0digits$x})"),
                (None, Base::Dec) if strings.is_some() => format!("Unknown ({v})"),
                (None, Base::Hex) => format!("0x{v:0digits$x}"),
                (None, Base::HexDec) => format!("0x{v:0digits$x} ({v})"),
                (None, Base::DecHex) => format!("{v} (0x{v:0digits$x})"),
                (None, Base::Oct) => format!("0{v:o}"),
                (None, Base::Dec | Base::Names) => v.to_string(),
                (_, Base::Port(transport)) => match u16::try_from(*v) {
                    Ok(port) => crate::services::label_text(*transport, port),
                    Err(_) => v.to_string(),
                },
            }
        }
        (Kind::Bool { words, .. }, Value::Bool(b)) => {
            if *b { words[0] } else { words[1] }.to_string()
        }
        // tshark labels every MAC address with its name: `Name (aa:bb:…)`.
        (_, Value::Ether(a)) => super::ethernet::mac_label(a),
        (_, Value::Str(s)) => string_label_text(s),
        (Kind::AbsTime, Value::Time(t)) => super::time::local_time_text(*t, 9),
        (Kind::AbsTimeUtc, Value::Time(t)) => super::time::utc_time_text(*t),
        (_, Value::Time(t)) => format!("{} seconds", rel_time_text(*t)),
        // tshark writes at most 36 bytes of a byte string in a label, then `…`.
        (Kind::Bytes { sep: None }, Value::Bytes(b)) if b.len() > LABEL_BYTES => {
            let mut text = hex_text(b.get(..LABEL_BYTES).unwrap_or(b), None);
            text.push('…');
            text
        }
        (Kind::Bytes { sep }, Value::Bytes(b)) => hex_text(b, *sep),
        _ => field_text(def, value),
    }
}

/// The most bytes of an unseparated byte string a label shows.
const LABEL_BYTES: usize = 36;

/// A duration in seconds as tshark writes it: `1 day, 2 hours, 3 seconds`.
pub(crate) fn duration_text(secs: u32) -> String {
    let units = [
        (secs / 86400, "day"),
        (secs / 3600 % 24, "hour"),
        (secs / 60 % 60, "minute"),
        (secs % 60, "second"),
    ];
    let parts: Vec<String> = units
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, unit)| format!("{n} {unit}{}", if *n == 1 { "" } else { "s" }))
        .collect();
    if parts.is_empty() {
        "0 seconds".to_string()
    } else {
        parts.join(", ")
    }
}

#[cfg(test)]
mod tests {
    /// DNS TTLs, DHCP lease times, NBNS TTLs, router lifetimes, browser periods.
    #[test]
    fn durations_as_tshark_writes_them() {
        assert_eq!(super::duration_text(0), "0 seconds");
        assert_eq!(super::duration_text(1), "1 second");
        assert_eq!(super::duration_text(1800), "30 minutes");
        assert_eq!(super::duration_text(3601), "1 hour, 1 second");
        assert_eq!(super::duration_text(300000), "3 days, 11 hours, 20 minutes");
    }

    #[test]
    fn decimal_digits() {
        for v in [0u64, 7, 10, 80, 443, 65535, u64::MAX] {
            let mut s = String::from("port ");
            super::push_decimal(&mut s, v);
            assert_eq!(s, format!("port {v}"));
        }
    }

    use super::*;
    use crate::dissect::field::kinds;

    #[test]
    fn tshark_field_formats() {
        let def = FieldDef::new("tcp.flags", "Flags", kinds::hex(16));
        assert_eq!(field_text(&def, &Value::UInt(0x12)), "0x0012");
        let def = FieldDef::new("ipv6.flow", "Flow", kinds::hex(24));
        assert_eq!(field_text(&def, &Value::UInt(0x3ef07)), "0x03ef07");
        assert_eq!(rel_time_text(16_000), "0.000016000");
        assert_eq!(rel_time_text(-1_000), "-0.000001000");
        assert_eq!(
            ipv6_text(&[0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
            "fd00::1"
        );
        assert_eq!(string_field_text(b"Host: a\r\n"), "Host: a\\r\\n");
    }

    #[test]
    fn bit_charts() {
        assert_eq!(bit_chart(12, 0x002, 1), ".... .... ..1.");
        assert_eq!(bit_chart(8, 0xf0, 4), "0100 ....");
        assert_eq!(bit_chart(16, 0x1fff, 0), "...0 0000 0000 0000");
    }
}
