//! The values a filter computes with, and Wireshark 4.0's rules for comparing
//! and combining them (`epan/ftypes`): integers compare across signedness only
//! when the value fits, addresses compare under the shorter prefix, byte strings
//! order by length first, and an operation that fails yields nothing.

use std::cmp::Ordering;

/// Bytes borrowed from the packet or the filter, or small and inline.
#[derive(Debug, Clone)]
pub(crate) enum Bytes<'a> {
    /// Borrowed.
    Borrowed(&'a [u8]),
    /// Up to 16 bytes held inline (address slices), no allocation.
    Inline([u8; 16], u8),
    /// Computed (concatenated slices, `upper()`, `string()`).
    Owned(Vec<u8>),
}

impl Bytes<'_> {
    /// The bytes.
    pub(crate) fn as_slice(&self) -> &[u8] {
        match self {
            Bytes::Borrowed(b) => b,
            Bytes::Inline(buf, len) => buf.get(..usize::from(*len)).unwrap_or_default(),
            Bytes::Owned(v) => v,
        }
    }

    /// Inline copy of a short slice.
    pub(crate) fn inline(bytes: &[u8]) -> Bytes<'static> {
        let mut buf = [0u8; 16];
        match (buf.get_mut(..bytes.len()), u8::try_from(bytes.len())) {
            (Some(dst), Ok(len)) => {
                dst.copy_from_slice(bytes);
                Bytes::Inline(buf, len)
            }
            _ => Bytes::Owned(bytes.to_vec()),
        }
    }

    fn to_static(&self) -> Bytes<'static> {
        match self {
            Bytes::Inline(buf, len) => Bytes::Inline(*buf, *len),
            other => Bytes::Owned(other.as_slice().to_vec()),
        }
    }
}

/// One value of a field, constant or expression.
#[derive(Debug, Clone)]
pub(crate) enum Val<'a> {
    /// An FT_NONE occurrence.
    None,
    /// A boolean (constants are normalized: any non-zero number is true).
    Bool(bool),
    /// Unsigned integer or frame number.
    U(u64),
    /// Signed integer.
    I(i64),
    /// Double.
    F(f64),
    /// Absolute time, nanoseconds since the epoch.
    Abs(i64),
    /// Relative time, nanoseconds.
    Rel(i64),
    /// A character string.
    Str(Bytes<'a>),
    /// Bytes, MAC addresses and slices.
    Bytes(Bytes<'a>),
    /// IPv4 address with its netmask (all ones unless a constant has a prefix).
    V4 {
        /// Address, host order.
        addr: u32,
        /// Netmask.
        mask: u32,
    },
    /// IPv6 address with its prefix length.
    V6 {
        /// Address.
        addr: [u8; 16],
        /// Prefix length (128 for a plain address).
        prefix: u8,
    },
    /// A protocol: `item` is the protocol item's bytes (what `len()` and slices
    /// see), `full` runs to the end of the data (what `contains` and `matches`
    /// search, as Wireshark searches the protocol's whole tvbuff).
    Proto {
        /// The item's bytes.
        item: &'a [u8],
        /// From the item's start to the end of the data source.
        full: &'a [u8],
    },
}

impl Val<'_> {
    /// A copy that owns its bytes (kept across packets or callbacks).
    pub(crate) fn to_static(&self) -> Val<'static> {
        match self {
            Val::None => Val::None,
            Val::Bool(b) => Val::Bool(*b),
            Val::U(v) => Val::U(*v),
            Val::I(v) => Val::I(*v),
            Val::F(v) => Val::F(*v),
            Val::Abs(v) => Val::Abs(*v),
            Val::Rel(v) => Val::Rel(*v),
            Val::Str(b) => Val::Str(b.to_static()),
            Val::Bytes(b) => Val::Bytes(b.to_static()),
            Val::V4 { addr, mask } => Val::V4 {
                addr: *addr,
                mask: *mask,
            },
            Val::V6 { addr, prefix } => Val::V6 {
                addr: *addr,
                prefix: *prefix,
            },
            Val::Proto { item, .. } => Val::Bytes(Bytes::Owned(item.to_vec())),
        }
    }

    /// The bytes a slice cuts from, if the value has any.
    pub(crate) fn slice_bytes(&self) -> Option<Bytes<'_>> {
        match self {
            Val::Str(b) | Val::Bytes(b) => Some(Bytes::Borrowed(b.as_slice())),
            Val::Proto { item, .. } => Some(Bytes::Borrowed(item)),
            Val::V4 { addr, .. } => Some(Bytes::inline(&addr.to_be_bytes())),
            Val::V6 { addr, .. } => Some(Bytes::inline(addr)),
            _ => None,
        }
    }

    /// The bytes `contains`, `matches` and byte equality look at.
    pub(crate) fn search_bytes(&self) -> Option<&[u8]> {
        match self {
            Val::Str(b) | Val::Bytes(b) => Some(b.as_slice()),
            Val::Proto { full, .. } => Some(full),
            _ => None,
        }
    }

    /// `len()`: bytes of strings and byte strings, the item length of a
    /// protocol, the wire size of fixed-size types (0 for booleans, times, labels).
    pub(crate) fn byte_len(&self, int_bytes: u8) -> u64 {
        match self {
            Val::Str(b) | Val::Bytes(b) => b.as_slice().len() as u64,
            Val::Proto { item, .. } => item.len() as u64,
            Val::V4 { .. } => 4,
            Val::V6 { .. } => 16,
            Val::U(_) | Val::I(_) => u64::from(int_bytes),
            Val::F(_) => 8,
            Val::None | Val::Bool(_) | Val::Abs(_) | Val::Rel(_) => 0,
        }
    }

    /// Whether an arithmetic result counts as true on its own (`tcp.flags & 2`).
    pub(crate) fn is_nonzero(&self) -> bool {
        match self {
            Val::Bool(b) => *b,
            Val::U(v) => *v != 0,
            Val::I(v) => *v != 0,
            Val::F(v) => *v != 0.0,
            Val::Abs(v) | Val::Rel(v) => *v != 0,
            Val::Str(b) | Val::Bytes(b) => b.as_slice().iter().any(|b| *b != 0),
            Val::V4 { addr, .. } => *addr != 0,
            Val::V6 { addr, .. } => addr.iter().any(|b| *b != 0),
            Val::Proto { item, .. } => !item.is_empty(),
            Val::None => true,
        }
    }

    fn to_u64(&self) -> Option<u64> {
        match self {
            Val::U(v) => Some(*v),
            Val::I(v) => u64::try_from(*v).ok(),
            Val::Bool(b) => Some(u64::from(*b)),
            _ => None,
        }
    }

    fn to_i64(&self) -> Option<i64> {
        match self {
            Val::I(v) => Some(*v),
            Val::U(v) => i64::try_from(*v).ok(),
            Val::Bool(b) => Some(i64::from(*b)),
            _ => None,
        }
    }
}

/// Orders `a` against `b` the way `a`'s type does; `None` when Wireshark's
/// comparison fails (for example an unsigned field against a negative number),
/// which makes every comparison false.
pub(crate) fn compare(a: &Val<'_>, b: &Val<'_>) -> Option<Ordering> {
    match a {
        Val::U(x) => b.to_u64().map(|y| x.cmp(&y)),
        Val::I(x) => b.to_i64().map(|y| x.cmp(&y)),
        Val::Bool(x) => b.to_u64().map(|y| u64::from(*x).cmp(&u64::from(y != 0))),
        Val::F(x) => match b {
            Val::F(y) => x.partial_cmp(y),
            _ => None,
        },
        Val::Abs(x) => match b {
            Val::Abs(y) => Some(x.cmp(y)),
            _ => None,
        },
        Val::Rel(x) => match b {
            Val::Rel(y) => Some(x.cmp(y)),
            _ => None,
        },
        Val::V4 { addr, mask } => match b {
            Val::V4 {
                addr: other,
                mask: other_mask,
            } => {
                // The shorter prefix decides (ip.addr == 10.0.0.0/8).
                let m = *mask.min(other_mask);
                Some((addr & m).cmp(&(other & m)))
            }
            _ => None,
        },
        Val::V6 { addr, prefix } => match b {
            Val::V6 {
                addr: other,
                prefix: other_prefix,
            } => {
                let bits = u32::from(*prefix.min(other_prefix));
                let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
                let x = u128::from_be_bytes(*addr) & mask;
                let y = u128::from_be_bytes(*other) & mask;
                Some(x.cmp(&y))
            }
            // Compared with a slice, an IPv6 address is its 16 bytes.
            other => {
                let y = other.search_bytes()?;
                Some(16.cmp(&y.len()).then_with(|| addr.as_slice().cmp(y)))
            }
        },
        Val::Str(x) => {
            let y = b.search_bytes()?;
            Some(x.as_slice().cmp(y))
        }
        Val::Bytes(_) | Val::Proto { .. } => {
            let x = a.search_bytes()?;
            let y = match b {
                Val::V6 { addr, .. } => addr.as_slice(),
                other => other.search_bytes()?,
            };
            // Byte strings order by length first, then contents.
            Some(x.len().cmp(&y.len()).then_with(|| x.cmp(y)))
        }
        Val::None => None,
    }
}

/// `a contains b`.
pub(crate) fn contains(a: &Val<'_>, b: &Val<'_>) -> bool {
    let (Some(hay), Some(needle)) = (a.search_bytes(), b.search_bytes()) else {
        return false;
    };
    find(hay, needle)
}

/// Whether `needle` occurs in `hay`.
pub(crate) fn find(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    let mut from = 0;
    while let Some(off) = hay
        .get(from..)
        .and_then(|h| h.iter().position(|b| *b == first))
    {
        let at = from + off;
        if hay.get(at + 1..).is_some_and(|tail| tail.starts_with(rest)) {
            return true;
        }
        from = at + 1;
    }
    false
}

/// An arithmetic operator at run time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Mod,
    /// `&`
    And,
}

/// `a op b`, or `None` when Wireshark's operation fails (overflow, division by
/// zero, a negative number where an unsigned one is needed).
pub(crate) fn arith(op: Op, a: &Val<'_>, b: &Val<'_>) -> Option<Val<'static>> {
    match a {
        Val::U(x) => {
            let y = b.to_u64()?;
            Some(match op {
                Op::Add => Val::U(x.checked_add(y)?),
                // 4.0 switches to signed arithmetic when the result is negative.
                Op::Sub if y > *x => Val::I(0i64.checked_sub(i64::try_from(y - x).ok()?)?),
                Op::Sub => Val::U(x - y),
                Op::Mul => Val::U(x.checked_mul(y)?),
                Op::Div => Val::U(x.checked_div(y)?),
                Op::Mod => Val::U(x.checked_rem(y)?),
                Op::And => Val::U(x & y),
            })
        }
        Val::I(x) => {
            let y = b.to_i64()?;
            Some(Val::I(match op {
                Op::Add => x.checked_add(y)?,
                Op::Sub => x.checked_sub(y)?,
                Op::Mul => x.checked_mul(y)?,
                Op::Div => x.checked_div(y)?,
                Op::Mod => x.checked_rem(y)?,
                Op::And => x & y,
            }))
        }
        Val::F(x) => {
            let Val::F(y) = b else { return None };
            Some(Val::F(match op {
                Op::Add => x + y,
                Op::Sub => x - y,
                Op::Mul => x * y,
                Op::Div => x / y,
                Op::Mod => x % y,
                Op::And => return None,
            }))
        }
        Val::Rel(x) => {
            let Val::Rel(y) = b else { return None };
            Some(Val::Rel(match op {
                Op::Add => x.checked_add(*y)?,
                Op::Sub => x.checked_sub(*y)?,
                _ => return None,
            }))
        }
        Val::Bytes(x) if op == Op::And => {
            let y = b.slice_bytes()?;
            let out: Vec<u8> = x
                .as_slice()
                .iter()
                .zip(y.as_slice())
                .map(|(p, q)| p & q)
                .collect();
            Some(Val::Bytes(Bytes::Owned(out)))
        }
        _ => None,
    }
}

/// Unary minus.
pub(crate) fn negate(a: &Val<'_>) -> Option<Val<'static>> {
    match a {
        Val::U(x) => Some(Val::I(0i64.checked_sub(i64::try_from(*x).ok()?)?)),
        Val::I(x) => Some(Val::I(x.checked_neg()?)),
        Val::F(x) => Some(Val::F(-x)),
        Val::Rel(x) => Some(Val::Rel(x.checked_neg()?)),
        _ => None,
    }
}

/// `abs()`.
pub(crate) fn absolute(a: &Val<'_>) -> Option<Val<'static>> {
    match a {
        Val::I(x) => Some(Val::I(x.checked_abs()?)),
        Val::F(x) => Some(Val::F(x.abs())),
        Val::Rel(x) => Some(Val::Rel(x.checked_abs()?)),
        other => Some(other.to_static()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_compare_only_when_they_fit() {
        assert_eq!(compare(&Val::U(5), &Val::U(7)), Some(Ordering::Less));
        // tcp.srcport > -1 and tcp.srcport < -1 are both false in 4.0.
        assert_eq!(compare(&Val::U(5), &Val::I(-1)), None);
        assert_eq!(compare(&Val::I(-5), &Val::U(0)), Some(Ordering::Less));
        assert_eq!(compare(&Val::Bool(true), &Val::U(1)), Some(Ordering::Equal));
    }

    #[test]
    fn arithmetic_like_wireshark() {
        assert!(matches!(
            arith(Op::Sub, &Val::U(1), &Val::U(2)),
            Some(Val::I(-1))
        ));
        assert!(arith(Op::Add, &Val::U(2), &Val::I(-1)).is_none());
        assert!(matches!(
            arith(Op::Add, &Val::I(-1), &Val::U(2)),
            Some(Val::I(1))
        ));
        assert!(arith(Op::Div, &Val::U(1), &Val::U(0)).is_none());
        assert!(arith(Op::Add, &Val::U(u64::MAX), &Val::U(1)).is_none());
        let masked = arith(
            Op::And,
            &Val::Bytes(Bytes::Borrowed(&[0x46, 0x8a])),
            &Val::Bytes(Bytes::Borrowed(&[0x0f])),
        );
        assert!(matches!(masked, Some(Val::Bytes(b)) if b.as_slice() == [0x06]));
        assert!(matches!(negate(&Val::U(3)), Some(Val::I(-3))));
    }

    #[test]
    fn addresses_and_bytes() {
        let net = Val::V4 {
            addr: 0x0a0a_0000,
            mask: 0xffff_ff00,
        };
        let host = Val::V4 {
            addr: 0x0a0a_0001,
            mask: u32::MAX,
        };
        assert_eq!(compare(&host, &net), Some(Ordering::Equal));
        let short = Val::Bytes(Bytes::Borrowed(&[0xff]));
        let long = Val::Bytes(Bytes::Borrowed(&[0x00, 0x00]));
        assert_eq!(compare(&long, &short), Some(Ordering::Greater));
        assert!(find(b"GET / HTTP", b"/ H"));
        assert!(!find(b"GET", b"GETS"));
        assert!(find(b"abc", b""));
    }
}
