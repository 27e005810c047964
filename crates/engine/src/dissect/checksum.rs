//! The Internet checksum (RFC 1071) with the IPv4 and IPv6 pseudo-headers.

use super::field::FieldId;
use super::ipv4::Addr;
use super::tree::Dissection;
use super::value::Value;

/// Adds `data` to a running ones'-complement sum (big-endian 16-bit words; an odd last
/// byte is padded with zero).
pub fn add(mut sum: u32, data: &[u8]) -> u32 {
    let mut chunks = data.chunks_exact(2);
    for pair in &mut chunks {
        if let [hi, lo] = pair {
            sum = sum.wrapping_add(u32::from(u16::from_be_bytes([*hi, *lo])));
        }
    }
    if let [last] = chunks.remainder() {
        sum = sum.wrapping_add(u32::from(*last) << 8);
    }
    // Fold early so the sum never overflows on very long inputs.
    (sum & 0xffff) + (sum >> 16)
}

/// Folds a running sum to 16 bits and complements it.
pub fn finish(mut sum: u32) -> u16 {
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// The pseudo-header sum for a transport segment of `len` bytes and protocol `proto`.
pub fn pseudo_header(src: &Addr, dst: &Addr, proto: u8, len: u32) -> u32 {
    let mut sum = 0;
    match (src, dst) {
        (Addr::V4(s), Addr::V4(d)) => {
            sum = add(sum, s);
            sum = add(sum, d);
            sum = add(sum, &[0, proto]);
            sum = add(sum, &((len & 0xffff) as u16).to_be_bytes());
        }
        (Addr::V6(s), Addr::V6(d)) => {
            sum = add(sum, s);
            sum = add(sum, d);
            sum = add(sum, &len.to_be_bytes());
            sum = add(sum, &[0, 0, 0, proto]);
        }
        _ => {}
    }
    sum
}

/// Adds checksum field `field` (holding `value`, at `at`) labelled with its verdict as
/// tshark labels it, and returns the status (`*.checksum.status`: 0 bad, 1 good, 2
/// unverified): unverified unless the message is `complete`, else good when the sum
/// of `covered`, started at `start`, checks.
pub fn add_checked(
    d: &mut Dissection<'_>,
    field: FieldId,
    (at, value): (usize, u16),
    complete: bool,
    start: u32,
    covered: &[u8],
) -> u64 {
    let status = if !complete {
        2
    } else if finish(add(start, covered)) == 0 {
        1
    } else {
        0
    };
    d.add_labeled(field, at, 2, Value::UInt(u64::from(value)), || {
        let verdict = match status {
            1 => "correct",
            0 => "incorrect",
            _ => "unverified",
        };
        format!("Checksum: 0x{value:04x} [{verdict}]")
    });
    status
}

/// Adds checksum field `field` at `at`, holding `sum`, over `covered` (the checksum
/// is its bytes 2..4), as tshark shows a ones'-complement checksum it verifies in place
/// (ICMP's, the ICMP extensions'): "[correct]", or the value it should hold with a
/// warning of `protocol`. Returns the status (0 bad, 1 good).
pub fn add_in_cksum(
    d: &mut Dissection<'_>,
    field: FieldId,
    (at, sum): (usize, u16),
    covered: &[u8],
    protocol: &'static str,
) -> u64 {
    let mut total = add(0, covered.get(..2).unwrap_or_default());
    total = add(total, covered.get(4..).unwrap_or_default());
    let should_be = finish(total);
    let good = finish(add(0, covered)) == 0;
    let item = d.add_labeled(field, at, 2, Value::UInt(u64::from(sum)), || {
        if good {
            format!("Checksum: 0x{sum:04x} [correct]")
        } else {
            format!("Checksum: 0x{sum:04x} incorrect, should be 0x{should_be:04x}")
        }
    });
    if !good {
        d.expert(
            item,
            super::tree::Expert {
                severity: super::tree::Severity::Warning,
                group: "Checksum",
                protocol,
                message: format!("Bad checksum [should be 0x{should_be:04x}]").into(),
            },
        );
    }
    u64::from(good)
}

/// Checks a transport checksum over `segment` (checksum field included): returns the
/// value the field should hold if it is wrong, or `None` when it is right.
pub fn verify_transport(
    src: &Addr,
    dst: &Addr,
    proto: u8,
    segment: &[u8],
    field_offset: usize,
) -> Option<u16> {
    let len = u32::try_from(segment.len()).unwrap_or(u32::MAX);
    let total = finish(add(pseudo_header(src, dst, proto, len), segment));
    if total == 0 {
        return None;
    }
    // Recompute with the checksum field zeroed to report the correct value.
    let mut sum = pseudo_header(src, dst, proto, len);
    sum = add(sum, segment.get(..field_offset).unwrap_or(&[]));
    sum = add(sum, segment.get(field_offset + 2..).unwrap_or(&[]));
    Some(finish(sum))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc1071_example() {
        // RFC 1071 section 3: 0001 f203 f4f5 f6f7 sums to ddf2 before complement.
        let data = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
        assert_eq!(finish(add(0, &data)), !0xddf2);
    }
}
