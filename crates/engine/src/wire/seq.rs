//! TCP sequence numbers (RFC 9293 section 3.4): 32-bit serial numbers compared as
//! RFC 1982 says, and the relative numbers tshark shows, as a type of their own.

use std::cmp::Ordering;

/// A raw sequence or acknowledgment number, as on the wire. Comparison wraps:
/// `a < b` when `b` is less than 2^31 ahead of `a` (RFC 1982 section 3.2), and two
/// numbers exactly 2^31 apart are not ordered at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct SeqNumber(pub u32);

impl SeqNumber {
    /// The number as on the wire.
    #[inline]
    pub fn raw(self) -> u32 {
        self.0
    }

    /// How far this number is past `base` (modulo 2^32).
    #[inline]
    pub fn distance_from(self, base: SeqNumber) -> u32 {
        self.0.wrapping_sub(base.0)
    }

    /// The number relative to a connection's `base` (its initial number), as tshark
    /// shows it.
    #[inline]
    pub fn relative_to(self, base: SeqNumber) -> RelativeSeq {
        RelativeSeq(self.distance_from(base))
    }
}

impl std::ops::Add<u32> for SeqNumber {
    type Output = SeqNumber;

    /// The number `n` bytes further on (modulo 2^32).
    #[inline]
    fn add(self, n: u32) -> SeqNumber {
        SeqNumber(self.0.wrapping_add(n))
    }
}

impl std::ops::Sub<u32> for SeqNumber {
    type Output = SeqNumber;

    /// The number `n` bytes before (modulo 2^32).
    #[inline]
    fn sub(self, n: u32) -> SeqNumber {
        SeqNumber(self.0.wrapping_sub(n))
    }
}

impl PartialOrd for SeqNumber {
    #[inline]
    fn partial_cmp(&self, other: &SeqNumber) -> Option<Ordering> {
        // RFC 1982 3.2: i1 < i2 when (i2 - i1) mod 2^32 is in (0, 2^31); the
        // difference 2^31 itself is undefined.
        let diff = self.0.wrapping_sub(other.0);
        match diff {
            0 => Some(Ordering::Equal),
            0x8000_0000 => None,
            d if d < 0x8000_0000 => Some(Ordering::Greater),
            _ => Some(Ordering::Less),
        }
    }
}

/// A sequence number relative to its connection's base: what tshark shows as
/// `tcp.seq` and `tcp.ack`. Not comparable with a [`SeqNumber`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct RelativeSeq(pub u32);

impl std::ops::Add<u32> for RelativeSeq {
    type Output = RelativeSeq;

    /// The number `n` bytes further on (modulo 2^32).
    #[inline]
    fn add(self, n: u32) -> RelativeSeq {
        RelativeSeq(self.0.wrapping_add(n))
    }
}

impl std::fmt::Display for RelativeSeq {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparison_wraps() {
        let max = SeqNumber(u32::MAX);
        let one = SeqNumber(1);
        assert!(one > max);
        assert!(max < one);
        assert!(SeqNumber(5) <= SeqNumber(5));
        assert!(SeqNumber(5) >= SeqNumber(5));
        assert!(SeqNumber(5) > SeqNumber(4));
        assert_eq!(max + 2, one);
        assert_eq!(one - 2, max);
    }

    #[test]
    fn half_way_round_is_unordered() {
        let a = SeqNumber(0);
        let b = SeqNumber(0x8000_0000);
        assert_eq!(a.partial_cmp(&b), None);
        assert_eq!(b.partial_cmp(&a), None);
    }

    /// tcp_clean_close.pcap frame 12: raw seq 4262667676 on the SYN's 4262667675 is
    /// relative 1.
    #[test]
    fn relative_to_the_base() {
        let base = SeqNumber(4_262_667_675);
        assert_eq!(SeqNumber(4_262_667_676).relative_to(base), RelativeSeq(1));
        assert_eq!(
            SeqNumber(3).relative_to(SeqNumber(u32::MAX)).to_string(),
            "4"
        );
    }
}
