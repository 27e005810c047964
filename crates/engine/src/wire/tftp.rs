//! The TFTP packet (RFC 1350 section 5, options of RFC 2347), read in place.

use super::short::Short;

/// A TFTP packet: its 2-byte opcode is there; the rest depends on the opcode.
#[derive(Debug, Clone, Copy)]
pub struct TftpView<'a> {
    data: &'a [u8],
}

impl<'a> TftpView<'a> {
    /// The packet at the start of `data` (its opcode at least), or what it needed and had.
    pub fn new(data: &'a [u8]) -> Result<TftpView<'a>, Short> {
        super::fixed::<2>(data, "TFTP")?;
        Ok(TftpView { data })
    }

    /// Opcode: 1 RRQ, 2 WRQ, 3 DATA, 4 ACK, 5 ERROR, 6 OACK.
    pub fn opcode(&self) -> u16 {
        crate::bytes::be_u16(self.data, 0).unwrap_or(0)
    }

    /// The second 16-bit word (block number of DATA and ACK, error code of ERROR), or
    /// what it needed and had.
    pub fn word(&self) -> Result<u16, Short> {
        crate::bytes::be_u16(self.data, 2).ok_or(Short {
            offset: 2,
            ..Short::captured("TFTP", 2, self.data.len().saturating_sub(2))
        })
    }

    /// The NUL-terminated strings from `at` on (file name, mode, options; error
    /// message): each as (offset, bytes without the NUL, whether a NUL ended it).
    pub fn strings(&self, at: usize) -> impl Iterator<Item = (usize, &'a [u8], bool)> + 'a {
        let data = self.data;
        let mut pos = at;
        std::iter::from_fn(move || {
            let rest = data.get(pos..).filter(|r| !r.is_empty())?;
            let start = pos;
            match rest.iter().position(|b| *b == 0) {
                Some(n) => {
                    pos = pos.checked_add(n)?.checked_add(1)?;
                    Some((start, rest.get(..n).unwrap_or(&[]), true))
                }
                None => {
                    pos = data.len();
                    Some((start, rest, false))
                }
            }
        })
    }

    /// The bytes after the 4-byte DATA header.
    pub fn data(&self) -> &'a [u8] {
        crate::bytes::tail(self.data, 4)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    /// tftp.pcap frame 1: the read request for `file1` in octet mode.
    const RRQ: &[u8] = b"\x00\x01file1\x00octet\x00";

    #[test]
    fn request_strings() {
        let v = TftpView::new(RRQ).unwrap();
        assert_eq!(v.opcode(), 1);
        let s: Vec<_> = v.strings(2).collect();
        assert_eq!(s, vec![(2, &b"file1"[..], true), (8, &b"octet"[..], true)]);
    }

    #[test]
    fn truncated() {
        assert!(TftpView::new(&RRQ[..1]).is_err());
        let v = TftpView::new(&RRQ[..3]).unwrap();
        assert_eq!(v.word().unwrap_err().needed, 2);
        let s: Vec<_> = v.strings(2).collect();
        assert_eq!(s, vec![(2, &b"f"[..], false)]);
    }
}
