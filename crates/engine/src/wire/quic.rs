//! QUIC packet headers (RFC 9000 section 17) and variable-length integers (section
//! 16), read in place. Header protection (RFC 9001 section 5.4) is removed by the
//! dissector; this view reads what is in clear.

use super::short::Short;

/// Reads a variable-length integer at `at`: (value, its length in bytes).
pub fn varint(data: &[u8], at: usize) -> Result<(u64, usize), Short> {
    let cut = |needed: usize| Short {
        offset: at,
        ..Short::captured("QUIC", needed, data.len().saturating_sub(at))
    };
    let first = crate::bytes::u8_at(data, at).ok_or(cut(1))?;
    let len = 1usize << (first >> 6);
    let bytes = crate::bytes::slice(data, at, len).ok_or(cut(len))?;
    let value = bytes
        .iter()
        .skip(1)
        .fold(u64::from(first & 0x3f), |v, b| (v << 8) | u64::from(*b));
    Ok((value, len))
}

/// A long header (RFC 9000 section 17.2) up to its connection IDs; for Initial
/// packets also the token and the Length field.
#[derive(Debug, Clone, Copy)]
pub struct QuicLongView<'a> {
    data: &'a [u8],
    /// Offset of the Destination Connection ID.
    dcid: (usize, usize),
    /// Offset and length of the Source Connection ID.
    scid: (usize, usize),
}

impl<'a> QuicLongView<'a> {
    /// The long header at the start of `data`, or what it needed and had.
    pub fn new(data: &'a [u8]) -> Result<QuicLongView<'a>, Short> {
        super::fixed::<6>(data, "QUIC")?;
        let dcil = usize::from(crate::bytes::u8_at(data, 5).unwrap_or(0));
        let scil_at = 6usize.saturating_add(dcil);
        let scil = usize::from(crate::bytes::u8_at(data, scil_at).ok_or(Short {
            offset: 6,
            ..Short::captured("QUIC", dcil + 1, data.len().saturating_sub(6))
        })?);
        let end = scil_at + 1 + scil;
        if end > data.len() {
            return Err(Short::captured("QUIC", end, data.len()));
        }
        Ok(QuicLongView {
            data,
            dcid: (6, dcil),
            scid: (scil_at + 1, scil),
        })
    }

    /// The first byte (protected bits included).
    pub fn first(&self) -> u8 {
        crate::bytes::u8_at(self.data, 0).unwrap_or(0)
    }
    /// Long packet type bits (version 1: 0 Initial, 1 0-RTT, 2 Handshake, 3 Retry).
    pub fn packet_type(&self) -> u8 {
        (self.first() >> 4) & 3
    }
    /// Version (0: Version Negotiation).
    pub fn version(&self) -> u32 {
        crate::bytes::be_u32(self.data, 1).unwrap_or(0)
    }
    /// Destination Connection ID and its offset.
    pub fn dcid(&self) -> (usize, &'a [u8]) {
        let (at, len) = self.dcid;
        (at, crate::bytes::slice(self.data, at, len).unwrap_or(&[]))
    }
    /// Source Connection ID and its offset.
    pub fn scid(&self) -> (usize, &'a [u8]) {
        let (at, len) = self.scid;
        (at, crate::bytes::slice(self.data, at, len).unwrap_or(&[]))
    }
    /// Offset of what follows the connection IDs.
    pub fn after_cids(&self) -> usize {
        self.scid.0 + self.scid.1
    }
}

/// Google QUIC Q046's long header: flags, `Q046`, a byte of two nibble-coded
/// connection ID lengths (0, or 3 less than the length), the IDs, the packet number.
#[derive(Debug, Clone, Copy)]
pub struct GquicLongView<'a> {
    data: &'a [u8],
    dcid_len: usize,
    scid_len: usize,
}

impl<'a> GquicLongView<'a> {
    /// The header at the start of `data`, or what it needed and had.
    pub fn new(data: &'a [u8]) -> Result<GquicLongView<'a>, Short> {
        super::fixed::<6>(data, "GQUIC")?;
        let lens = crate::bytes::u8_at(data, 5).unwrap_or(0);
        let nibble = |n: u8| if n == 0 { 0 } else { usize::from(n) + 3 };
        let v = GquicLongView {
            data,
            dcid_len: nibble(lens >> 4),
            scid_len: nibble(lens & 0x0f),
        };
        let end = v.pn_at() + v.pn_len();
        if end > data.len() {
            return Err(Short::captured("GQUIC", end, data.len()));
        }
        Ok(v)
    }
    /// Public flags.
    pub fn flags(&self) -> u8 {
        crate::bytes::u8_at(self.data, 0).unwrap_or(0)
    }
    /// The four version characters.
    pub fn version(&self) -> &'a [u8] {
        crate::bytes::slice(self.data, 1, 4).unwrap_or(&[])
    }
    /// Destination Connection ID (offset 6).
    pub fn dcid(&self) -> &'a [u8] {
        crate::bytes::slice(self.data, 6, self.dcid_len).unwrap_or(&[])
    }
    /// Source connection ID (a server's packets carry it instead of the destination's).
    pub fn scid(&self) -> &'a [u8] {
        crate::bytes::slice(self.data, 6 + self.dcid_len, self.scid_len).unwrap_or(&[])
    }
    /// Offset of the packet number.
    pub fn pn_at(&self) -> usize {
        6 + self.dcid_len + self.scid_len
    }
    /// Packet number length (low two flag bits, plus one).
    pub fn pn_len(&self) -> usize {
        usize::from(self.flags() & 3) + 1
    }
    /// Packet number.
    pub fn packet_number(&self) -> u64 {
        crate::bytes::slice(self.data, self.pn_at(), self.pn_len())
            .unwrap_or(&[])
            .iter()
            .fold(0, |v, b| (v << 8) | u64::from(*b))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    #[test]
    fn varints_of_rfc9000_appendix_a1() {
        let eight = [0xc2, 0x19, 0x7c, 0x5e, 0xff, 0x14, 0xe8, 0x8c];
        assert_eq!(varint(&eight, 0).unwrap(), (151_288_809_941_952_652, 8));
        assert_eq!(
            varint(&[0x9d, 0x7f, 0x3e, 0x7d], 0).unwrap(),
            (494_878_333, 4)
        );
        assert_eq!(varint(&[0x7b, 0xbd], 0).unwrap(), (15_293, 2));
        assert_eq!(varint(&[0x25], 0).unwrap(), (37, 1));
        assert_eq!(varint(&[0x7b], 0).unwrap_err().needed, 2);
    }

    /// quic_handshake.pcap frame 1: Initial, DCID 84acac06b42ed863, no SCID.
    #[test]
    fn initial_header() {
        let h = [
            0xc0, 0, 0, 0, 1, 8, 0x84, 0xac, 0xac, 0x06, 0xb4, 0x2e, 0xd8, 0x63, 0, 0,
        ];
        let v = QuicLongView::new(&h).unwrap();
        assert_eq!(v.version(), 1);
        assert_eq!(v.packet_type(), 0);
        assert_eq!(v.dcid().1, &h[6..14]);
        assert!(v.scid().1.is_empty());
        assert_eq!(v.after_cids(), 15);
        assert!(QuicLongView::new(&h[..10]).is_err());
        let mut bad = h;
        bad[5] = 200;
        assert!(QuicLongView::new(&bad).is_err());
    }
}
