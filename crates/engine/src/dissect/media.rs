//! What the media dissectors behind HTTP's Content-Type share (JPEG, PNG, GIF): the
//! outcome the carrier acts on, and tshark's exception on a read past the body.

use crate::bytes;

/// A read past the bytes tshark's dissector had: it throws, and the body is marked
/// malformed where the reading stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Thrown;

/// `len` bytes at `offset` of `data`, or the exception tshark would throw.
pub(crate) fn need(data: &[u8], offset: usize, len: usize) -> Result<&[u8], Thrown> {
    bytes::slice(data, offset, len).ok_or(Thrown)
}

/// The byte at `offset`, or the exception.
pub(crate) fn byte(data: &[u8], offset: usize) -> Result<u8, Thrown> {
    bytes::u8_at(data, offset).ok_or(Thrown)
}

/// What a media dissector made of a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Not its format (tshark's dissector returned 0): the generic media item instead.
    Refused,
    /// Dissected to its end.
    Dissected,
    /// Dissected until a read past the end; the carrier's Info gets tshark's
    /// "[Malformed Packet]".
    Malformed,
}

impl Outcome {
    /// The outcome of a dissection that ended with `result`, marking a malformed one
    /// as tshark does (`proto`: its short name) over the body at `at`.
    pub(crate) fn of(
        d: &mut super::tree::Dissection<'_>,
        result: Result<(), Thrown>,
        proto: &'static str,
        at: usize,
        len: usize,
    ) -> Self {
        match result {
            Ok(()) => Outcome::Dissected,
            Err(Thrown) => {
                super::packet::malformed_body(d, proto, at, len);
                Outcome::Malformed
            }
        }
    }
}

/// The big-endian u16 at `offset`, or the exception.
pub(crate) fn be16(data: &[u8], offset: usize) -> Result<u16, Thrown> {
    bytes::be_u16(data, offset).ok_or(Thrown)
}
