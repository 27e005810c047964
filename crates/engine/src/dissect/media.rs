//! What the media dissectors behind HTTP's Content-Type share (JPEG, PNG, GIF): the
//! outcome the carrier acts on, and tshark's exceptions on a read past the bytes.

use super::field::FieldId;
use super::tree::{Dissection, Expert, Severity};
use super::value::Value;
use crate::bytes::{self, Endian};
use std::borrow::Cow;

/// A read past the bytes tshark's dissector had: it throws, and the body is marked
/// malformed where the reading stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Thrown {
    /// Past the length the bytes were declared to have (ReportedBoundsError).
    Reported,
    /// Within a part's declared length but past the bytes that contain it (a JPEG
    /// segment longer than the image: ContainedBoundsError).
    Contained,
}

impl Thrown {
    /// What tshark adds to "[Malformed Packet" for this exception.
    pub(crate) fn detail(self) -> &'static str {
        match self {
            Thrown::Reported => "",
            Thrown::Contained => ": length of contained item exceeds length of containing item",
        }
    }
}

/// Bytes a dissector reads, with the length they were declared to have (a JPEG
/// segment's length field may promise more than the image holds).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Part<'b> {
    /// The bytes there are.
    pub data: &'b [u8],
    /// The length declared for them (at least `data.len()`).
    pub reported: usize,
}

impl<'b> Part<'b> {
    /// Bytes whose declared length is their length.
    pub(crate) fn whole(data: &'b [u8]) -> Self {
        Part {
            data,
            reported: data.len(),
        }
    }

    /// `len` bytes at `offset`, or the exception tshark would throw there.
    pub(crate) fn need(&self, offset: usize, len: usize) -> Result<&'b [u8], Thrown> {
        match bytes::slice(self.data, offset, len) {
            Some(b) => Ok(b),
            None if offset
                .checked_add(len)
                .is_some_and(|end| end <= self.reported) =>
            {
                Err(Thrown::Contained)
            }
            None => Err(Thrown::Reported),
        }
    }

    /// The byte at `offset`.
    pub(crate) fn byte(&self, offset: usize) -> Result<u8, Thrown> {
        Ok(self.need(offset, 1)?.first().copied().unwrap_or(0))
    }

    /// The big-endian u16 at `offset`.
    pub(crate) fn be16(&self, offset: usize) -> Result<u16, Thrown> {
        self.u16(offset, Endian::Big)
    }

    /// The u16 at `offset` in byte order `endian`.
    pub(crate) fn u16(&self, offset: usize, endian: Endian) -> Result<u16, Thrown> {
        let b = self.need(offset, 2)?;
        endian.u16(b, 0).ok_or(Thrown::Reported)
    }

    /// The u32 at `offset` in byte order `endian`.
    pub(crate) fn u32(&self, offset: usize, endian: Endian) -> Result<u32, Thrown> {
        let b = self.need(offset, 4)?;
        endian.u32(b, 0).ok_or(Thrown::Reported)
    }

    /// The part from `offset` on (tshark's subset "remaining" buffer): past its end
    /// is an exception, at its end an empty part.
    pub(crate) fn from(&self, offset: usize) -> Result<Part<'b>, Thrown> {
        let reported = self.reported.checked_sub(offset).ok_or(Thrown::Reported)?;
        let data = self.data.get(offset..).ok_or(Thrown::Contained)?;
        Ok(Part { data, reported })
    }
}

/// `len` bytes at `offset` of `data`, or the exception tshark would throw.
pub(crate) fn need(data: &[u8], offset: usize, len: usize) -> Result<&[u8], Thrown> {
    Part::whole(data).need(offset, len)
}

/// The byte at `offset`, or the exception.
pub(crate) fn byte(data: &[u8], offset: usize) -> Result<u8, Thrown> {
    Part::whole(data).byte(offset)
}

/// The big-endian u16 at `offset`, or the exception.
pub(crate) fn be16(data: &[u8], offset: usize) -> Result<u16, Thrown> {
    Part::whole(data).be16(offset)
}

/// What a media dissector made of a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Not its format (tshark's dissector returned 0): the generic media item instead.
    Refused,
    /// Dissected to its end.
    Dissected,
    /// Dissected until a read past the end.
    Malformed(Thrown),
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
            Err(thrown) => {
                super::packet::malformed_body(d, proto, thrown.detail(), at, len);
                Outcome::Malformed(thrown)
            }
        }
    }

    /// What the carrier's Info column gets after the media's own text.
    pub(crate) fn info(self) -> String {
        match self {
            Outcome::Malformed(thrown) => format!("[Malformed Packet{}]", thrown.detail()),
            _ => String::new(),
        }
    }
}

/// Bytes as tshark's ASCII strings read them: up to the first NUL, bytes past ASCII
/// replaced by U+FFFD.
pub(crate) fn ascii_text(bytes: &[u8]) -> Vec<u8> {
    let mut out = String::new();
    for b in bytes.iter().take_while(|b| **b != 0) {
        out.push(if b.is_ascii() {
            char::from(*b)
        } else {
            '\u{fffd}'
        });
    }
    out.into_bytes()
}

/// A character as tshark 4.0's labels escape it: C's escapes for the usual
/// controls, octal for the others (`a\001\177b`).
fn escape(c: char, out: &mut String) {
    match c {
        '\u{7}' => out.push_str("\\a"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{b}' => out.push_str("\\v"),
        c if c.is_ascii_control() => out.push_str(&format!("\\{:03o}", u32::from(c))),
        c => out.push(c),
    }
}

/// The most bytes of a label tshark keeps (ITEM_LABEL_LENGTH less its NUL).
const LABEL_BYTES: usize = 239;

/// A string field's label as tshark writes it: `name: text` with `text` escaped,
/// then `suffix` (text a dissector appends). Past 239 bytes the text stops before
/// the escaped character that would not fit and the name reads `name [truncated]`;
/// the suffix fills what room is left.
pub(crate) fn string_label(name: &str, text: &[u8], suffix: &str) -> String {
    let text = String::from_utf8_lossy(text);
    let mut full = format!("{name}: ");
    for c in text.chars() {
        escape(c, &mut full);
    }
    // The text keeps a byte of room (tshark's formatter stops one short).
    let mut out = if full.len() < LABEL_BYTES {
        full
    } else {
        let mut cut = format!("{name} [truncated]: ");
        let mut unit = String::new();
        for c in text.chars() {
            unit.clear();
            escape(c, &mut unit);
            if cut.len() + unit.len() >= LABEL_BYTES {
                break;
            }
            cut.push_str(&unit);
        }
        cut
    };
    for c in suffix.chars() {
        if out.len() + c.len_utf8() > LABEL_BYTES {
            break;
        }
        out.push(c);
    }
    out
}

/// A string field over `raw` (`len` bytes at `at`) whose value is `text` (`raw` as
/// its encoding reads it, up to a NUL), labelled as tshark labels strings, with its
/// warning when characters follow a NUL (`proto`: the dissector's short name).
pub(crate) fn string_field(
    d: &mut Dissection<'_>,
    field: FieldId,
    at: usize,
    raw: &[u8],
    text: Vec<u8>,
    proto: &'static str,
) -> usize {
    let name = super::registry::def(field).name;
    let label = string_label(name, &text, "");
    let item = d.add_labeled(field, at, raw.len(), Value::Str(Cow::Owned(text)), || label);
    // tshark checks this only as it builds the item: not without a tree (nor when
    // a filter's dissection does not keep the item, so a load's filter never
    // changes the expert counts).
    if item != usize::MAX
        && let Some(nul) = raw.iter().position(|b| *b == 0)
        && raw.iter().skip(nul).any(|b| *b != 0)
    {
        d.expert(
            item,
            Expert {
                severity: Severity::Warning,
                group: "Undecoded",
                protocol: proto,
                message: Cow::Borrowed("Trailing stray characters"),
            },
        );
    }
    item
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exceptions_by_declared_length() {
        // A 10-byte segment of which the image holds 4 (a JPEG segment whose length
        // field runs past the image).
        let part = Part {
            data: &[1, 2, 3, 4],
            reported: 10,
        };
        assert_eq!(part.need(2, 2), Ok([3u8, 4].as_slice()));
        assert_eq!(part.need(2, 4), Err(Thrown::Contained));
        assert_eq!(part.need(8, 4), Err(Thrown::Reported));
        assert_eq!(part.need(usize::MAX, 2), Err(Thrown::Reported));
        assert_eq!(part.from(4).map(|p| p.reported), Ok(6));
        assert_eq!(part.from(11).err(), Some(Thrown::Reported));
    }

    #[test]
    fn labels_as_tshark_writes_them() {
        // Octal for controls, U+FFFD for bytes past ASCII (frames of tshark 4.0).
        assert_eq!(ascii_text(b"a\x80b\0c"), "a\u{fffd}b".as_bytes());
        assert_eq!(
            string_label("Chunk", b"a\x01\x7fb", ""),
            "Chunk: a\\001\\177b"
        );
        // Past 239 bytes: marked, the text cut before an escape that would not fit,
        // then as much of the suffix as fits.
        let long = vec![b'x'; 300];
        let label = string_label("Identifier", &long, " (Unknown identifier)");
        assert_eq!(label.len(), 239);
        assert!(label.ends_with("x "));
        assert!(label.starts_with("Identifier [truncated]: xxx"));
        let short = string_label("Identifier", b"XMP", " (Unknown identifier)");
        assert_eq!(short, "Identifier: XMP (Unknown identifier)");
    }
}
