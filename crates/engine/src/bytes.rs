//! Bounds-checked reads of integers from untrusted byte slices.
//!
//! Every parser in synack reads through these helpers, so a short slice yields `None`
//! instead of a panic, and no call site needs indexing.

/// Reads `N` bytes at `offset`, or `None` when the slice is too short.
#[inline]
pub fn array<const N: usize>(data: &[u8], offset: usize) -> Option<[u8; N]> {
    let end = offset.checked_add(N)?;
    let slice = data.get(offset..end)?;
    slice.try_into().ok()
}

/// Reads one byte at `offset`.
#[inline]
pub fn u8_at(data: &[u8], offset: usize) -> Option<u8> {
    data.get(offset).copied()
}

/// Reads a big-endian `u16` at `offset`.
#[inline]
pub fn be_u16(data: &[u8], offset: usize) -> Option<u16> {
    array(data, offset).map(u16::from_be_bytes)
}

/// `N` consecutive big-endian u16s at `offset` (a header of 16-bit words).
pub fn be_u16s<const N: usize>(data: &[u8], offset: usize) -> Option<[u16; N]> {
    let words = slice(data, offset, 2 * N)?;
    let mut out = [0u16; N];
    for (word, pair) in out.iter_mut().zip(words.chunks_exact(2)) {
        if let [hi, lo] = pair {
            *word = u16::from_be_bytes([*hi, *lo]);
        }
    }
    Some(out)
}

/// Reads a big-endian 24-bit value at `offset`.
#[inline]
pub fn be_u24(data: &[u8], offset: usize) -> Option<u32> {
    let [a, b, c] = array::<3>(data, offset)?;
    Some(u32::from_be_bytes([0, a, b, c]))
}

/// Reads a big-endian `u32` at `offset`.
#[inline]
pub fn be_u32(data: &[u8], offset: usize) -> Option<u32> {
    array(data, offset).map(u32::from_be_bytes)
}

/// Reads a big-endian `u64` at `offset`.
#[inline]
pub fn be_u64(data: &[u8], offset: usize) -> Option<u64> {
    array(data, offset).map(u64::from_be_bytes)
}

/// Reads a little-endian `u16` at `offset`.
#[inline]
pub fn le_u16(data: &[u8], offset: usize) -> Option<u16> {
    array(data, offset).map(u16::from_le_bytes)
}

/// Reads a little-endian `u32` at `offset`.
#[inline]
pub fn le_u32(data: &[u8], offset: usize) -> Option<u32> {
    array(data, offset).map(u32::from_le_bytes)
}

/// Byte order of a capture file or section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endian {
    /// Least significant byte first.
    Little,
    /// Most significant byte first (network order).
    Big,
}

impl Endian {
    /// Reads a `u16` in this byte order.
    #[inline]
    pub fn u16(self, data: &[u8], offset: usize) -> Option<u16> {
        match self {
            Endian::Little => le_u16(data, offset),
            Endian::Big => be_u16(data, offset),
        }
    }

    /// Reads a `u32` in this byte order.
    #[inline]
    pub fn u32(self, data: &[u8], offset: usize) -> Option<u32> {
        match self {
            Endian::Little => le_u32(data, offset),
            Endian::Big => be_u32(data, offset),
        }
    }

    /// Reads a `u64` in this byte order.
    #[inline]
    pub fn u64(self, data: &[u8], offset: usize) -> Option<u64> {
        let bytes = array::<8>(data, offset)?;
        Some(match self {
            Endian::Little => u64::from_le_bytes(bytes),
            Endian::Big => u64::from_be_bytes(bytes),
        })
    }
}

/// Returns `data[offset..offset + len]` if it lies inside `data`.
#[inline]
pub fn slice(data: &[u8], offset: usize, len: usize) -> Option<&[u8]> {
    data.get(offset..offset.checked_add(len)?)
}

/// Up to `len` bytes of `data` from `offset`: `data[offset..offset + len]`, or what
/// there is of it when the data ends sooner (a length field that says more than was
/// captured).
#[inline]
pub fn clamped(data: &[u8], offset: usize, len: usize) -> &[u8] {
    slice(data, offset, len).unwrap_or_else(|| tail(data, offset))
}

/// The bytes of a NUL-padded or NUL-terminated string up to its first NUL.
pub fn until_nul(raw: &[u8]) -> &[u8] {
    let end = raw.iter().position(|b| *b == 0).unwrap_or(raw.len());
    raw.get(..end).unwrap_or(raw)
}

/// Returns `data[offset..]`, empty when `offset` is past the end.
#[inline]
pub fn tail(data: &[u8], offset: usize) -> &[u8] {
    data.get(offset..).unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_reads_are_none() {
        let data = [1u8, 2, 3];
        assert_eq!(be_u16(&data, 1), Some(0x0203));
        assert_eq!(be_u16(&data, 2), None);
        assert_eq!(be_u32(&data, usize::MAX), None);
        assert_eq!(slice(&data, usize::MAX, 2), None);
        assert_eq!(tail(&data, 10), &[] as &[u8]);
    }

    #[test]
    fn words_in_a_row() {
        let data = [0u8, 1, 0x12, 0x34, 0xff, 0xfe, 9];
        assert_eq!(be_u16s::<3>(&data, 0), Some([1, 0x1234, 0xfffe]));
        assert_eq!(be_u16s::<3>(&data, 1), Some([0x0112, 0x34ff, 0xfe09]));
        assert_eq!(be_u16s::<3>(&data, 2), None);
        assert_eq!(be_u16s::<1>(&data, usize::MAX), None);
        assert_eq!(clamped(&data, 5, 1), &[0xfe]);
        assert_eq!(clamped(&data, 5, 9), &[0xfe, 9]);
        assert_eq!(clamped(&data, 9, 1), &[] as &[u8]);
    }
}
