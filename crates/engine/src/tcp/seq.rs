//! Sequence-number arithmetic modulo 2^32 (RFC 9293 section 3.4): comparisons are
//! serial-number comparisons, as tshark's GT_SEQ/LT_SEQ are.

/// `a > b` in sequence space.
#[inline]
pub fn gt(a: u32, b: u32) -> bool {
    (b.wrapping_sub(a) as i32) < 0
}

/// `a < b` in sequence space.
#[inline]
pub fn lt(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) < 0
}

/// `a <= b` in sequence space.
#[inline]
pub fn le(a: u32, b: u32) -> bool {
    !gt(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps() {
        assert!(gt(1, u32::MAX));
        assert!(lt(u32::MAX, 1));
        assert!(le(5, 5));
        assert!(!gt(5, 5));
    }
}
