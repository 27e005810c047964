//! HTTP message bodies as tshark shows them: chunked transfer joined (with its
//! chunk tree), gzip and deflate content-codings undone, and the media dissector the
//! Content-Type picks (images, multipart, XML, JSON, line-based text, generic media).

use super::http::{
    CHUNK_BOUNDARY, CHUNK_DATA, CHUNK_SIZE, CRLF, JSON, SUBDISSECTOR_FAILED, TEXT_LINES, XML,
};
use super::lines::split as lines;
use super::media::Outcome;
use super::tree::{Dissection, Expert, Severity};
use super::value::Value;
use crate::bytes;
use std::borrow::Cow;
use std::cell::RefCell;

/// Most bytes a compressed body may inflate to (a zip bomb must not exhaust memory).
const MAX_INFLATED_BYTES: u64 = 16 * 1024 * 1024;

/// The body as its media dissector sees it: chunks joined (the chunk tree added to the
/// HTTP item), then gzip or deflate content-encoding undone. A body that fails to
/// decode is shown as it came.
pub(super) fn decoded_body<'b>(
    d: &mut Dissection<'_>,
    raw: &'b [u8],
    at: usize,
    chunked: bool,
    encoding: Option<&[u8]>,
) -> Cow<'b, [u8]> {
    let mut body = Cow::Borrowed(raw);
    if chunked {
        body = Cow::Owned(chunk_tree(d, raw, at));
    }
    let Some(encoding) = encoding else {
        return body;
    };
    let Some(inflated) = inflate(&body, encoding) else {
        return body;
    };
    let (from, to) = (body.len(), inflated.len());
    d.text(at, raw.len(), || {
        let name = String::from_utf8_lossy(encoding);
        format!("Content-encoded entity body ({name}): {from} bytes -> {to} bytes")
    });
    Cow::Owned(inflated)
}

/// Whether the media dissector `content_type` names reads the body's bytes. XML,
/// JSON and line-based text add their protocol item whatever the bytes, so with no
/// field kept (the load pass) only whether the body is empty matters to them
/// (images and multipart bodies are parsed, a body without a type is tried as an
/// image, and the generic media item is left as it is).
pub(super) fn reads_body(content_type: Option<&[u8]>) -> bool {
    let Some(ct) = content_type else {
        return true;
    };
    // The media type, lowercased, once (it tells multipart and XML apart as well).
    let media = media_type(ct);
    if media.starts_with("multipart/") {
        return true;
    }
    !(is_xml_media(&media) || media == "application/json" || media.starts_with("text/"))
}

/// [`decoded_body`] for a dissection that keeps no field and a media dissector that
/// only asks whether the body is empty ([`reads_body`]): a compressed body is
/// inflated only as far as its first byte. A body that inflates to something is not
/// empty, and neither is one whose inflating fails (it stays as it came, which was
/// not nothing): either way the bytes returned (the compressed ones) are never read.
pub(super) fn quiet_body<'b>(
    d: &mut Dissection<'_>,
    raw: &'b [u8],
    at: usize,
    chunked: bool,
    encoding: Option<&[u8]>,
) -> Cow<'b, [u8]> {
    match encoding {
        Some(encoding) => {
            let body = if chunked {
                Cow::Owned(chunk_tree(d, raw, at))
            } else {
                Cow::Borrowed(raw)
            };
            let prefix = inflated_prefix(&body, encoding);
            // A text body that may open with an XML declaration is inflated whole:
            // XML takes it (`HTTP/XML`), which its first bytes decide.
            let maybe_xml = prefix.as_ref().is_some_and(|(out, n)| {
                let first = out.get(..*n).unwrap_or(&[]);
                first.starts_with(b"<?xml") || (first.len() < 5 && b"<?xml".starts_with(first))
            });
            if prefix.is_some() && !maybe_xml {
                body
            } else {
                // Empty, or not a stream this test reads: the whole answer.
                match inflate(&body, encoding) {
                    Some(inflated) => Cow::Owned(inflated),
                    None => body,
                }
            }
        }
        None => decoded_body(d, raw, at, chunked, None),
    }
}

/// The first bytes (up to 16) `body` (content-coded by `encoding`) inflates to, when it
/// inflates to at least one, read
/// with no more than the first block: inflating a whole body to learn that costs
/// the decoder's 32 KiB window and every byte. False also when it cannot tell (an
/// unknown coding, a header [`inflate`]'s gzip reader might read otherwise).
fn inflated_prefix(body: &[u8], encoding: &[u8]) -> Option<([u8; 16], usize)> {
    use miniz_oxide::inflate::core::inflate_flags::{
        TINFL_FLAG_PARSE_ZLIB_HEADER, TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF,
    };
    use miniz_oxide::inflate::core::{DecompressorOxide, decompress};
    let (data, format) = match encoding {
        b"gzip" | b"x-gzip" => match gzip_member_data(body) {
            Some(data) => (data, 0),
            None => return None,
        },
        // The zlib wrapper, which the decoder reads itself (as flate2's reader does).
        b"deflate" => (body, TINFL_FLAG_PARSE_ZLIB_HEADER),
        _ => return None,
    };
    thread_local! {
        // One decoder per thread, reset for each body: a new one clears 10 KiB of
        // tables first.
        static DECODER: RefCell<DecompressorOxide> = RefCell::new(DecompressorOxide::new());
    }
    // The first bytes a stream gives are literals: a few of them answer.
    let mut out = [0u8; 16];
    DECODER.with_borrow_mut(|decoder| {
        decoder.init();
        let (_, _, written) = decompress(
            decoder,
            data,
            &mut out,
            0,
            format | TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF,
        );
        (written > 0).then_some((out, written))
    })
}

/// The deflate data of a gzip member (RFC 1952 2.3): past the fixed header and the
/// optional extra field, name, comment and header CRC its flags announce. None for
/// what is not such a header (a reserved flag set included).
fn gzip_member_data(body: &[u8]) -> Option<&[u8]> {
    const FHCRC: u8 = 1 << 1;
    const FEXTRA: u8 = 1 << 2;
    const FNAME: u8 = 1 << 3;
    const FCOMMENT: u8 = 1 << 4;
    const RESERVED: u8 = 0xE0;
    let header = body.get(..10)?;
    let flags = *header.get(3)?;
    if header.get(..3)? != [0x1f, 0x8b, 8] || flags & RESERVED != 0 {
        return None;
    }
    let mut pos = 10usize;
    if flags & FEXTRA != 0 {
        let extra = usize::from(bytes::le_u16(body, pos)?);
        pos = pos.checked_add(2 + extra)?;
    }
    for flag in [FNAME, FCOMMENT] {
        if flags & flag != 0 {
            let zero = memchr::memchr(0, body.get(pos..)?)?;
            pos = pos.checked_add(zero + 1)?;
        }
    }
    if flags & FHCRC != 0 {
        pos = pos.checked_add(2)?;
    }
    body.get(pos..)
}

/// Undoes a gzip or deflate content-coding (RFC 9110 8.4.1), at most
/// [`MAX_INFLATED_BYTES`].
fn inflate(body: &[u8], encoding: &[u8]) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut out = Vec::new();
    let read = match encoding {
        b"gzip" | b"x-gzip" => flate2::read::GzDecoder::new(body)
            .take(MAX_INFLATED_BYTES)
            .read_to_end(&mut out),
        b"deflate" => flate2::read::ZlibDecoder::new(body)
            .take(MAX_INFLATED_BYTES)
            .read_to_end(&mut out),
        _ => return None,
    };
    read.ok().map(|_| out)
}

/// Adds tshark's "HTTP chunked response" tree and returns the chunks' data joined.
pub(super) fn chunk_tree(d: &mut Dissection<'_>, raw: &[u8], at: usize) -> Vec<u8> {
    let mut joined = Vec::new();
    let item = d.text(at, raw.len(), || "HTTP chunked response".into());
    d.begin(item);
    let mut pos = 0usize;
    for _ in 0..100_000 {
        let rest = bytes::tail(raw, pos);
        let Some(eol) = CRLF.find(rest) else {
            break;
        };
        let size_text = String::from_utf8_lossy(rest.get(..eol).unwrap_or(&[]));
        let Ok(size) = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
        else {
            break;
        };
        let data_at = pos + eol + 2;
        if size == 0 {
            let last = d.text(at + pos, eol + 2, || "End of chunked encoding".into());
            d.begin(last);
            d.add_labeled(CHUNK_SIZE, at + pos, eol, Value::UInt(0), || {
                "Chunk size: 0 octets".into()
            });
            d.end();
            if bytes::slice(raw, data_at, 2) == Some(b"\r\n") {
                d.text(at + data_at, 2, || "\\r\\n".into());
            }
            break;
        }
        let Some(data) = bytes::slice(raw, data_at, size) else {
            break;
        };
        let chunk = d.text(at + pos, eol + 2 + size + 2, || {
            format!("Data chunk ({size} octets)")
        });
        d.begin(chunk);
        d.add_labeled(CHUNK_SIZE, at + pos, eol, Value::UInt(size as u64), || {
            format!("Chunk size: {size} octets")
        });
        // The bytes are copied into values only when kept (not by the load pass).
        if d.wants(CHUNK_DATA) {
            d.add(
                CHUNK_DATA,
                at + data_at,
                size,
                Value::Bytes(Cow::Owned(data.to_vec())),
            );
        }
        if let Some(boundary) = bytes::slice(raw, data_at + size, 2)
            && d.wants(CHUNK_BOUNDARY)
        {
            d.add(
                CHUNK_BOUNDARY,
                at + data_at + size,
                2,
                Value::Bytes(Cow::Owned(boundary.to_vec())),
            );
        }
        d.end();
        joined.extend_from_slice(data);
        pos = data_at + size + 2;
    }
    d.end();
    joined
}

/// The body's media dissector as tshark picks it by Content-Type: it names the
/// protocol layer, and the Info column gets its text (`(PNG)`, `(text/html)`).
pub(crate) fn media_tree(
    d: &mut Dissection<'_>,
    body: &[u8],
    at: usize,
    content_type: Option<&[u8]>,
    info: &mut String,
    columns: bool,
) {
    media_body(d, body, at, content_type, info, columns, false);
}

/// [`media_tree`] for an HTTP message's own body (`in_http`), where tshark notes in
/// HTTP's tree that the media type's dissector refused the body.
pub(super) fn media_body(
    d: &mut Dissection<'_>,
    body: &[u8],
    at: usize,
    content_type: Option<&[u8]>,
    info: &mut String,
    columns: bool,
    in_http: bool,
) {
    let Some(ct) = content_type else {
        // Without a media type HTTP tries its heuristic dissectors (the images'
        // among them); a body none takes stays in HTTP's tree as data.
        if in_http && let Some(text) = image_by_signature(d, body, at) {
            append_to(info, columns, &text);
        }
        return;
    };
    // Lowercased once: it also tells multipart and XML apart.
    let media = media_type(ct);
    let mut append = |text: &str| {
        if columns {
            info.push_str(text);
        }
    };
    if media.starts_with("multipart/") {
        // A form upload (the textbook TCP lab's POST): each part's " (type)".
        let mut parts = String::new();
        let mut each =
            |d: &mut Dissection<'_>, body: &[u8], at: usize, ct: &[u8], info: &mut String| {
                media_tree(d, body, at, Some(ct), info, columns);
            };
        if super::multipart::dissect(d, body, at, ct, &mut parts, &mut each) {
            if columns {
                info.push_str(&parts);
            }
            return;
        }
    }
    // OCSP and CRL bodies: their dissector's Info replaces HTTP's.
    if let Some(kind) = super::ocsp::Body::of_media(&media) {
        let text = super::ocsp::dissect(d, body, at, kind);
        if columns {
            info.clear();
            info.push_str(text);
        }
        return;
    }
    match media.as_str() {
        // tshark's XML dissector takes these media types: it appends `/XML` to the
        // Protocol column and the Info column names no media type.
        m if is_xml_media(m) => {
            d.add_labeled(XML, at, body.len(), Value::None, || {
                "eXtensible Markup Language".to_string()
            });
            d.push_layer("xml");
            d.set_protocol("HTTP/XML");
        }
        "image/jpeg" | "image/jpg" | "image/pjpeg" | "image/png" | "image/gif" => {
            let outcome = match media.as_str() {
                "image/png" => super::png::dissect(d, body, at),
                "image/gif" => super::gif::dissect(d, body, at),
                _ => super::jfif::dissect(d, body, at),
            };
            if outcome == Outcome::Refused {
                if in_http {
                    d.in_last_protocol(|d| {
                        d.add_expert_item(
                            SUBDISSECTOR_FAILED,
                            Expert {
                                severity: Severity::Note,
                                group: "Malformed",
                                protocol: "HTTP",
                                message: Cow::Borrowed(
                                    "HTTP body subdissector failed, trying heuristic subdissector",
                                ),
                            },
                        );
                    });
                    // HTTP then tries its heuristic dissectors: a GIF served as PNG
                    // reads as GIF.
                    if let Some(text) = image_by_signature(d, body, at) {
                        append(&text);
                        return;
                    }
                }
                // tshark's generic media dissector takes what the image one refused.
                generic_media(d, body, at, ct);
                append(&format!(" ({})", media_type(ct)));
                return;
            }
            append(&image_info(&media, body));
            append(&outcome.info());
        }
        // tshark hands this type to its data dissector, and the Info column says nothing.
        // Its protocol item is added whatever the fields kept: the protocol
        // hierarchy counts it.
        "application/octet-stream" => {
            let mut scratch = d.scratch();
            super::data::dissect_bytes(&mut scratch, body, at);
            d.absorb(scratch);
        }
        "application/json" => {
            d.add(JSON, at, body.len(), Value::None);
            d.push_layer("json");
            d.set_protocol("HTTP/JSON");
            append(&format!(", JavaScript Object Notation ({media})"));
        }
        // tshark's line-based text hands a body that opens with an XML declaration
        // to XML: `HTTP/XML`, and no media type in the Info column.
        // (It adds no item of its own, only its name to the frame's protocols.)
        m if m.starts_with("text/") && body.starts_with(b"<?xml") => {
            d.push_layer("data-text-lines");
            d.add_labeled(XML, at, body.len(), Value::None, || {
                "eXtensible Markup Language".to_string()
            });
            d.push_layer("xml");
            d.set_protocol("HTTP/XML");
        }
        m if m.starts_with("text/") => {
            let item = d.add_labeled(TEXT_LINES, at, body.len(), Value::None, || {
                let count = body
                    .split(|b| *b == b'\n')
                    .filter(|l| !l.is_empty())
                    .count();
                format!("Line-based text data: {} ({count} lines)", media_type(ct))
            });
            d.push_layer("data-text-lines");
            d.begin(item);
            for (start, line) in lines(body) {
                d.text(at + start, line.len(), || {
                    super::value::string_label_text(line)
                });
            }
            d.end();
            append(&format!(" ({})", media_type(ct)));
        }
        // A media type no dissector takes: HTTP tries its heuristic dissectors first
        // (a favicon served as image/vnd.microsoft.icon that is a PNG reads as PNG),
        // then tshark's generic media item.
        _ => {
            if in_http && let Some(text) = image_by_signature(d, body, at) {
                append(&text);
                return;
            }
            generic_media(d, body, at, ct);
            append(&format!(" ({})", media_type(ct)));
        }
    }
}

/// Appends `text` to `info` when the columns are asked for.
fn append_to(info: &mut String, columns: bool, text: &str) {
    if columns {
        info.push_str(text);
    }
}

/// The Info text of an image body of media type `media`.
fn image_info(media: &str, body: &[u8]) -> String {
    match media {
        "image/png" => " (PNG)".to_string(),
        "image/gif" => super::gif::info(body),
        _ => " (JPEG JFIF image)".to_string(),
    }
}

/// The image dissectors as HTTP's heuristics: the first that takes `body` dissects
/// it; its Info text (with tshark's malformed mark when it read past the end).
fn image_by_signature(d: &mut Dissection<'_>, body: &[u8], at: usize) -> Option<String> {
    for media in ["image/jpeg", "image/gif", "image/png"] {
        let outcome = match media {
            "image/png" => super::png::dissect(d, body, at),
            "image/gif" => super::gif::dissect(d, body, at),
            _ => super::jfif::dissect(d, body, at),
        };
        if outcome != Outcome::Refused {
            return Some(format!("{}{}", image_info(media, body), outcome.info()));
        }
    }
    None
}

/// Whether one of the image dissectors would take `body` as HTTP's heuristics do.
pub(super) fn is_image(body: &[u8]) -> bool {
    super::jfif::takes(body) || super::png::takes(body) || super::gif::takes(body)
}

/// tshark's generic media item: the media type and the body's length.
fn generic_media(d: &mut Dissection<'_>, body: &[u8], at: usize, content_type: &[u8]) {
    use super::multipart::{MEDIA, MEDIA_TYPE};
    let item = d.add(MEDIA, at, body.len(), Value::None);
    d.push_layer("media");
    d.begin(item);
    let n = body.len();
    // The media type lowercased, its parameters as written.
    let text = String::from_utf8_lossy(content_type);
    let params = text.find(';').map_or("", |i| text.get(i..).unwrap_or(""));
    let shown = format!("{}{params}", media_type(content_type));
    // The body is copied into the value only when the field is kept.
    let value = if d.wants(MEDIA_TYPE) {
        Value::Bytes(Cow::Owned(body.to_vec()))
    } else {
        Value::None
    };
    d.add_labeled(MEDIA_TYPE, at, n, value, || {
        format!("Media type: {shown} ({n} bytes)")
    });
    d.end();
}

/// Whether a Content-Type value names XML as tshark's XML dissector registers it.
/// (`media`: lowercased, as [`media_type`] gives it.)
fn is_xml_media(media: &str) -> bool {
    media == "text/xml" || media == "application/xml" || media.ends_with("+xml")
}

/// The media type of a Content-Type value, without its parameters.
/// tshark lowercases it: the Info column and the labels read `(text/plain)` for
/// `Text/Plain`.
fn media_type(content_type: &[u8]) -> String {
    let text = String::from_utf8_lossy(content_type);
    text.split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    /// A body its image dissector refuses (too short for a JPEG) and a media type no
    /// dissector takes: tshark's generic media item, the type lowercased.
    #[test]
    fn refused_and_unknown_media() {
        use crate::dissect::testing::values;
        for (ct, body) in [
            (b"Image/JPEG; Q=1".as_slice(), b"\xff\xd8abc".as_slice()),
            (b"Application/X-Thing", b"abc"),
        ] {
            let mut d = crate::dissect::Dissection::full();
            let mut info = String::new();
            super::media_tree(&mut d, body, 0, Some(ct), &mut info, true);
            let want = if ct.starts_with(b"Image") {
                " (image/jpeg)"
            } else {
                " (application/x-thing)"
            };
            assert_eq!(info, want);
            assert_eq!(values(&d, "media.type").len(), 1);
            assert!(!d.has(crate::dissect::jfif::JFIF));
        }
    }

    /// HTTP's heuristics: a GIF served as PNG (after the note that PNG's dissector
    /// refused it) and a GIF without a Content-Type read as GIF; octet-stream is data
    /// with nothing in Info.
    #[test]
    fn images_by_signature() {
        let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";
        for (ct, note) in [(Some(b"image/png".as_slice()), true), (None, false)] {
            let mut d = crate::dissect::Dissection::full();
            let mut info = String::new();
            super::media_body(&mut d, gif, 0, ct, &mut info, true, true);
            assert_eq!(info, " (GIF89a)");
            assert!(d.has(crate::dissect::gif::TRAILER));
            assert_eq!(d.has(crate::dissect::http::SUBDISSECTOR_FAILED), note);
        }
        let mut d = crate::dissect::Dissection::full();
        let mut info = String::new();
        let ct = b"application/octet-stream".as_slice();
        super::media_body(&mut d, gif, 0, Some(ct), &mut info, true, true);
        assert_eq!(info, "");
        assert!(!d.has(crate::dissect::gif::GIF));
    }

    /// http_favicon_png.pcapng frame 13 (mtwbusiness909/Wireshark-Lab-MTW, "3 - Following
    /// a Full TCP Stream (HTTP & neverssl.com).pcapng", frame 124): a favicon served as
    /// image/vnd.microsoft.icon that is a PNG. No dissector takes that media type, so
    /// HTTP's heuristics run first and the PNG one takes it: " (PNG)", not the media
    /// type. Outside an HTTP message (a multipart part) the generic media item stays.
    #[test]
    fn unknown_media_type_tries_the_image_heuristics() {
        use crate::dissect::testing::{field, with_frame};
        with_frame("http_favicon_png.pcapng", 13, |d| {
            assert_eq!(field(d, "http.content_type"), "image/vnd.microsoft.icon");
            assert_eq!(field(d, "png.ihdr.width"), "304");
            assert!(d.columns.info.ends_with(" (PNG)"), "{}", d.columns.info);
            assert_eq!(field(d, "media.type"), "");
        });
        let png = b"\x89PNG\r\n\x1a\n".as_slice();
        let mut d = crate::dissect::Dissection::full();
        let mut info = String::new();
        let ct = b"image/vnd.microsoft.icon".as_slice();
        super::media_body(&mut d, png, 0, Some(ct), &mut info, true, false);
        assert_eq!(info, " (image/vnd.microsoft.icon)");
    }

    /// A coding that is not what it says inflates to nothing.
    #[test]
    fn impossible_codings() {
        assert_eq!(super::inflate(b"not gzip", b"gzip"), None);
        assert_eq!(super::inflate(b"x", b"br"), None);
    }
}
