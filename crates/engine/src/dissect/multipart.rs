//! MIME multipart bodies (RFC 2046) as tshark 4.0 shows them: the boundaries, each
//! encapsulated part with its header lines and its body handed to the media
//! dissector its Content-Type names, and ` (type)` in the Info column for every part
//! (an e-mail with an attachment reads `… (text/plain) (image/jpeg)`).

use super::field::kinds::*;
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;

crate::define_fields! { after super::imf::END;
    MULTIPART = "mime_multipart", "MIME Multipart Media Encapsulation", PROTO;
    TYPE = "mime_multipart.type", "Type", STR;
    PART = "mime_multipart.part", "Encapsulated multipart part", STR;
    PREAMBLE = "mime_multipart.preamble", "Preamble", BYTES;
    FIRST_BOUNDARY = "mime_multipart.first_boundary", "First boundary", STR;
    BOUNDARY = "mime_multipart.boundary", "Boundary", STR;
    LAST_BOUNDARY = "mime_multipart.last_boundary", "Last boundary", STR;
    TRAILER = "mime_multipart.trailer", "Trailer", BYTES;
    MEDIA = "media", "Media Type", PROTO;
    MEDIA_TYPE = "media.type", "Media type", BYTES;
}

/// Dissects one part's body (bytes, offset, Content-Type) and appends its Info text.
pub type MediaFn<'f> = dyn FnMut(&mut Dissection<'_>, &[u8], usize, &[u8], &mut String) + 'f;

/// Most parts read from one body (a crafted body cannot make the loop run long).
const MAX_PARTS: usize = 256;

/// Whether a Content-Type value names a multipart body.
pub fn is_multipart(content_type: &[u8]) -> bool {
    media_type(content_type)
        .to_ascii_lowercase()
        .starts_with("multipart/")
}

/// The media type of a Content-Type value, without its parameters.
pub fn media_type(content_type: &[u8]) -> String {
    let text = String::from_utf8_lossy(content_type);
    text.split(';').next().unwrap_or("").trim().to_string()
}

/// A parameter of a Content-Type value (`boundary="…"`), unquoted.
fn parameter(content_type: &[u8], name: &str) -> Option<Vec<u8>> {
    let text = String::from_utf8_lossy(content_type);
    text.split(';').skip(1).find_map(|p| {
        let (key, value) = p.split_once('=')?;
        if !key.trim().eq_ignore_ascii_case(name) {
            return None;
        }
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        Some(value.as_bytes().to_vec())
    })
}

/// Bytes copied into a value of `field` (a message's bytes live no longer than its
/// dissection); not copied when the field is not kept (the load pass would copy every
/// attachment for nothing).
fn owned_bytes(d: &Dissection<'_>, field: super::field::FieldId, b: &[u8]) -> Value<'static> {
    if d.wants(field) {
        Value::Bytes(std::borrow::Cow::Owned(b.to_vec()))
    } else {
        Value::None
    }
}

/// Where `needle` next occurs in `hay` from `from` on.
fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    // memmem: a body of tens of KiB is searched for each boundary, and comparing a
    // window at every byte cost more than the rest of a mail's dissection.
    memchr::memmem::find(hay.get(from..)?, needle).map(|p| p + from)
}

/// The end of the line starting at `at` (just past its `\n`, or the end of `bytes`).
fn line_end(bytes: &[u8], at: usize) -> usize {
    // memchr: a one-byte needle needs no substring searcher built per call.
    bytes
        .get(at..)
        .and_then(|rest| memchr::memchr(b'\n', rest))
        .map_or(bytes.len(), |p| at + p + 1)
}

/// Dissects the multipart `body` at `at` whose Content-Type is `content_type`;
/// `media` dissects one part's body by its Content-Type and appends its Info text.
/// Returns false (nothing added) when the body has no boundary parameter.
pub fn dissect(
    d: &mut Dissection<'_>,
    body: &[u8],
    at: usize,
    content_type: &[u8],
    info: &mut String,
    media: &mut MediaFn<'_>,
) -> bool {
    let Some(boundary) = parameter(content_type, "boundary").filter(|b| !b.is_empty()) else {
        return false;
    };
    let mut delimiter = b"--".to_vec();
    delimiter.extend_from_slice(&boundary);
    // The first delimiter starts the body or a line.
    let first = if body.starts_with(&delimiter) {
        Some(0)
    } else {
        let mut crlf = b"\n".to_vec();
        crlf.extend_from_slice(&delimiter);
        find(body, &crlf, 0).map(|p| p + 1)
    };
    let Some(first) = first else {
        return false;
    };
    let kind = media_type(content_type);
    let boundary_text = String::from_utf8_lossy(&boundary).into_owned();
    let item = d.add_labeled(MULTIPART, at, body.len(), Value::None, || {
        format!("MIME Multipart Media Encapsulation, Type: {kind}, Boundary: \"{boundary_text}\"")
    });
    d.push_layer("mime_multipart");
    d.begin(item);
    d.add_generated(TYPE, 0, 0, Value::owned_str(kind.as_bytes()));
    if first > 0 {
        let preamble = body.get(..first).unwrap_or(&[]);
        let value = owned_bytes(d, PREAMBLE, preamble);
        d.add(PREAMBLE, at, preamble.len(), value);
    }
    let first_end = line_end(body, first);
    let first_line = body.get(first..first_end).unwrap_or(&[]);
    d.add_labeled(
        FIRST_BOUNDARY,
        at + first,
        first_line.len(),
        Value::owned_str(first_line),
        || {
            format!(
                "First boundary: {}",
                super::value::string_label_text(first_line)
            )
        },
    );
    // Each part runs to the line end before the next delimiter.
    let mut next_delim = b"\r\n".to_vec();
    next_delim.extend_from_slice(&delimiter);
    // One searcher for every part (built once, not per search).
    let next_finder = memchr::memmem::Finder::new(&next_delim);
    let mut pos = first_end;
    for _ in 0..MAX_PARTS {
        let found = body
            .get(pos..)
            .and_then(|rest| next_finder.find(rest))
            .map(|p| p + pos);
        let (part_end, delim_at) = match found {
            Some(p) => (p, p),
            None => (body.len(), body.len()),
        };
        let part = body.get(pos..part_end).unwrap_or(&[]);
        one_part(d, part, at + pos, info, media);
        if delim_at >= body.len() {
            break;
        }
        let line_start = delim_at;
        let after = delim_at + next_delim.len();
        let last = body.get(after..after + 2) == Some(b"--");
        let end = line_end(body, after);
        let line = body.get(line_start..end).unwrap_or(&[]);
        let text = super::value::string_label_text(line);
        if last {
            d.add_labeled(
                LAST_BOUNDARY,
                at + line_start,
                line.len(),
                Value::owned_str(line),
                || format!("Last boundary: {text}"),
            );
            if end < body.len() {
                let trailer = bytes::tail(body, end);
                let value = owned_bytes(d, TRAILER, trailer);
                d.add(TRAILER, at + end, trailer.len(), value);
            }
            break;
        }
        d.add_labeled(
            BOUNDARY,
            at + line_start,
            line.len(),
            Value::owned_str(line),
            || format!("Boundary: {text}"),
        );
        pos = end;
    }
    d.end();
    true
}

/// One encapsulated part: its header lines, then its body as its Content-Type says
/// (text/plain when it names none).
fn one_part(
    d: &mut Dissection<'_>,
    part: &[u8],
    at: usize,
    info: &mut String,
    media: &mut MediaFn<'_>,
) {
    // The headers end at the first empty line.
    let mut headers: Vec<(usize, usize)> = Vec::new();
    let mut pos = 0usize;
    let mut body_at = part.len();
    let mut content_type: Option<Vec<u8>> = None;
    let mut base64 = false;
    while pos < part.len() {
        let end = line_end(part, pos);
        let line = part.get(pos..end).unwrap_or(&[]);
        if super::lines::trim_eol(line).is_empty() {
            body_at = end;
            break;
        }
        // Folded lines continue the header.
        let mut header_end = end;
        while part
            .get(header_end)
            .is_some_and(|b| *b == b' ' || *b == b'\t')
        {
            header_end = line_end(part, header_end);
        }
        let whole = part.get(pos..header_end).unwrap_or(&[]);
        if let Some(colon) = whole.iter().position(|b| *b == b':')
            && whole
                .get(..colon)
                .is_some_and(|n| n.eq_ignore_ascii_case(b"content-type"))
        {
            let value = super::lines::trim_eol(bytes::tail(whole, colon + 1));
            let unfolded: Vec<u8> = value
                .iter()
                .copied()
                .filter(|b| *b != b'\r' && *b != b'\n')
                .collect();
            content_type = Some(unfolded.trim_ascii().to_vec());
        }
        if let Some(colon) = whole.iter().position(|b| *b == b':')
            && whole
                .get(..colon)
                .is_some_and(|n| n.eq_ignore_ascii_case(b"content-transfer-encoding"))
        {
            base64 = super::lines::trim_eol(bytes::tail(whole, colon + 1))
                .trim_ascii()
                .eq_ignore_ascii_case(b"base64");
        }
        headers.push((pos, header_end));
        pos = header_end;
    }
    let ct = content_type.unwrap_or_else(|| b"text/plain".to_vec());
    let kind = media_type(&ct).to_ascii_lowercase();
    let item = d.add_labeled(
        PART,
        at,
        part.len(),
        Value::owned_str(kind.as_bytes()),
        || format!("Encapsulated multipart part:  ({kind})"),
    );
    d.begin(item);
    let count = headers.len();
    for (i, (start, end)) in headers.into_iter().enumerate() {
        // The last header line shows the empty line after it, as tshark's does.
        let shown_end = if i + 1 == count { body_at } else { end };
        let line = part.get(start..shown_end).unwrap_or(&[]);
        d.text(at + start, line.len(), || {
            super::value::string_label_text(line)
        });
    }
    let body = bytes::tail(part, body_at);
    if !body.is_empty() {
        if base64 {
            // tshark does not decode base64 parts by default: the generic media item.
            let item = d.add(MEDIA, at + body_at, body.len(), Value::None);
            d.push_layer("media");
            d.begin(item);
            let n = body.len();
            let shown = String::from_utf8_lossy(&ct).into_owned();
            let value = owned_bytes(d, MEDIA_TYPE, body);
            d.add_labeled(MEDIA_TYPE, at + body_at, n, value, || {
                format!("Media type: {shown} ({n} bytes)")
            });
            d.end();
        } else {
            let mut own = String::new();
            media(d, body, at + body_at, &ct, &mut own);
        }
    }
    d.end();
    info.push_str(&format!(" ({kind})"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dissect::testing::field;

    const BODY: &[u8] = b"preamble\r\n--b1\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b1\r\nContent-Type: image/jpeg;\r\n name=\"x.jpg\"\r\n\r\n/9j/\r\n--b1--\r\n";

    #[test]
    fn parts_boundaries_and_info() {
        let mut d = Dissection::full();
        let mut info = String::new();
        let mut seen = Vec::new();
        let ok = dissect(
            &mut d,
            BODY,
            0,
            b"multipart/mixed; boundary=\"b1\"",
            &mut info,
            &mut |_, body, _, ct, _| seen.push((body.to_vec(), media_type(ct))),
        );
        assert!(ok);
        assert_eq!(info, " (text/plain) (image/jpeg)");
        assert_eq!(field(&d, "mime_multipart.type"), "multipart/mixed");
        assert_eq!(field(&d, "mime_multipart.first_boundary"), "--b1\\r\\n");
        assert_eq!(seen.len(), 2);
        assert_eq!(seen[0].0, b"hello");
        assert_eq!(seen[1].1, "image/jpeg");
    }

    #[test]
    fn cut_and_missing_boundaries() {
        // No boundary parameter: not dissected.
        let mut d = Dissection::full();
        let mut info = String::new();
        assert!(!dissect(
            &mut d,
            BODY,
            0,
            b"multipart/mixed",
            &mut info,
            &mut |_, _, _, _, _| {}
        ));
        // Every prefix of the body: never a panic, at most the parts that are there.
        for n in 0..BODY.len() {
            let mut d = Dissection::full();
            let mut info = String::new();
            dissect(
                &mut d,
                &BODY[..n],
                0,
                b"multipart/mixed; boundary=b1",
                &mut info,
                &mut |_, _, _, _, _| {},
            );
        }
    }
}
