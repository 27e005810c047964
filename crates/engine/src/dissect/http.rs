//! HTTP/1.x (RFC 9112): request and status lines, headers, and the body's length
//! (Content-Length or chunked), which tells the TCP reassembly where a PDU ends.

use super::apps::PduLen;
use super::context::{HttpLink, HttpMessage, PacketContext, TcpFrameInfo};
use super::field::kinds::*;
use super::http_body;
use super::lines::{split as lines, trim_eol};
use super::tree::{Dissection, Expert, Severity};
use super::value::Value;
use crate::bytes;
use memchr::memmem;
use std::borrow::Cow;
use std::sync::LazyLock;

/// Searchers for a line end and a header block's end, built once: `memmem::find`
/// builds its searcher on every call, which cost the load pass more than the search
/// of a short header block.
pub(super) static CRLF: LazyLock<memmem::Finder<'static>> =
    LazyLock::new(|| memmem::Finder::new(b"\r\n"));
static CRLF_CRLF: LazyLock<memmem::Finder<'static>> =
    LazyLock::new(|| memmem::Finder::new(b"\r\n\r\n"));
static LF_LF: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| memmem::Finder::new(b"\n\n"));

/// Methods recognised at the start of a request (tshark's heuristic uses these).
const METHODS: &[&str] = &[
    "GET",
    "POST",
    "HEAD",
    "PUT",
    "DELETE",
    "OPTIONS",
    "TRACE",
    "CONNECT",
    "PATCH",
    "PROPFIND",
    "PROPPATCH",
    "MKCOL",
    "COPY",
    "MOVE",
    "LOCK",
    "UNLOCK",
    "NOTIFY",
    "SUBSCRIBE",
    "M-SEARCH",
];
/// Longest header block we wait for before deciding it is not HTTP.
const MAX_HEADER_BYTES: usize = 64 * 1024;
/// Largest body length we believe (a lying Content-Length must not make us wait forever).
const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

crate::define_fields! { after super::dns_link::END;
    HTTP = "http", "Hypertext Transfer Protocol", PROTO;
    REQUEST = "http.request", "Request", flag(0, 0);
    RESPONSE = "http.response", "Response", flag(0, 0);
    REQUEST_METHOD = "http.request.method", "Request Method", STR;
    REQUEST_URI = "http.request.uri", "Request URI", STR;
    REQUEST_VERSION = "http.request.version", "Request Version", STR;
    RESPONSE_VERSION = "http.response.version", "Response Version", STR;
    RESPONSE_CODE = "http.response.code", "Status Code", dec(16);
    RESPONSE_CODE_DESC = "http.response.code.desc", "Status Code Description", STR;
    RESPONSE_PHRASE = "http.response.phrase", "Response Phrase", STR;
    REQUEST_LINE = "http.request.line", "Request line", STR;
    RESPONSE_LINE = "http.response.line", "Response line", STR;
    HOST = "http.host", "Host", STR;
    USER_AGENT = "http.user_agent", "User-Agent", STR;
    ACCEPT = "http.accept", "Accept", STR;
    ACCEPT_ENCODING = "http.accept_encoding", "Accept Encoding", STR;
    ACCEPT_LANGUAGE = "http.accept_language", "Accept-Language", STR;
    CONTENT_TYPE = "http.content_type", "Content-Type", STR;
    CONTENT_LENGTH_HEADER = "http.content_length_header", "Content-Length", STR;
    CONTENT_LENGTH = "http.content_length", "Content length", dec(64);
    TRANSFER_ENCODING = "http.transfer_encoding", "Transfer-Encoding", STR;
    SERVER = "http.server", "Server", STR;
    CONNECTION = "http.connection", "Connection", STR;
    DATE = "http.date", "Date", STR;
    LAST_MODIFIED = "http.last_modified", "Last-Modified", STR;
    LOCATION = "http.location", "Location", STR;
    COOKIE = "http.cookie", "Cookie", STR;
    SET_COOKIE = "http.set_cookie", "Set-Cookie", STR;
    REFERER = "http.referer", "Referer", STR;
    CACHE_CONTROL = "http.cache_control", "Cache-Control", STR;
    AUTHORIZATION = "http.authorization", "Authorization", STR;
    FULL_URI = "http.request.full_uri", "Full request URI", STR;
    FILE_DATA = "http.file_data", "File Data", STR;
    TEXT_LINES = "data-text-lines", "Line-based text data", PROTO;
    XML = "xml", "eXtensible Markup Language", PROTO;
    AUTHBASIC = "http.authbasic", "Credentials", STR;
    CONTENT_ENCODING = "http.content_encoding", "Content-Encoding", STR;
    WWW_AUTHENTICATE = "http.www_authenticate", "WWW-Authenticate", STR;
    CHUNK_SIZE = "http.chunk_size", "Chunk size", dec(32);
    CHUNK_DATA = "http.chunk_data", "Chunk data", BYTES;
    CHUNK_BOUNDARY = "http.chunk_boundary", "Chunk boundary", BYTES;
    JSON = "json", "JavaScript Object Notation", PROTO;
    TIME = "http.time", "Time since request", REL_TIME;
    PREV_REQUEST_IN = "http.prev_request_in", "Prev request in frame", FRAME;
    PREV_RESPONSE_IN = "http.prev_response_in", "Prev response in frame", FRAME;
    REQUEST_IN = "http.request_in", "Request in frame", FRAME;
    RESPONSE_IN = "http.response_in", "Response in frame", FRAME;
    NEXT_REQUEST_IN = "http.next_request_in", "Next request in frame", FRAME;
    NEXT_RESPONSE_IN = "http.next_response_in", "Next response in frame", FRAME;
    RESPONSE_FOR_URI = "http.response_for.uri", "Request URI", STR;
    SUBDISSECTOR_FAILED = "http.subdissector_failed", "HTTP body subdissector failed, trying heuristic subdissector", NONE;
}

/// Whether `payload` starts like an HTTP request or response.
pub fn looks_like_http(payload: &[u8]) -> bool {
    if payload.starts_with(b"HTTP/1.") {
        return true;
    }
    // A method is 3 to 9 capital letters (or '-') and a space: reject the rest fast.
    let Some(space) = payload.iter().take(10).position(|b| *b == b' ') else {
        return false;
    };
    if space < 3
        || !payload
            .iter()
            .take(space)
            .all(|b| b.is_ascii_uppercase() || *b == b'-')
    {
        return false;
    }
    METHODS.iter().any(|m| {
        payload.len() > m.len()
            && payload.starts_with(m.as_bytes())
            && payload.get(m.len()) == Some(&b' ')
    })
}

/// Where the first line of `bytes` ends, as tshark finds a line end while it may
/// still ask for more bytes: at the first LF, or a CR that is not the last byte (a
/// last CR could be the first half of a CRLF still to come).
pub fn first_line_end(bytes: &[u8]) -> Option<usize> {
    let at = bytes.iter().position(|b| *b == b'\r' || *b == b'\n')?;
    (bytes.get(at) == Some(&b'\n') || at + 1 < bytes.len()).then_some(at)
}

/// Offset just past the blank line ending the header block.
fn header_end(bytes: &[u8]) -> Option<usize> {
    let limit = bytes.len().min(MAX_HEADER_BYTES);
    let area = bytes.get(..limit)?;
    // memmem: the load pass asks this of every segment of a message still coming.
    CRLF_CRLF
        .find(area)
        .map(|p| p + 4)
        .or_else(|| LF_LF.find(area).map(|p| p + 2))
}

/// The first line of a message (request or status line) as a text item with the
/// chat-level expert note tshark puts on it (HTTP, SSDP); returns the item.
pub(super) fn first_line(
    d: &mut Dissection<'_>,
    at: usize,
    line: &[u8],
    protocol: &'static str,
) -> usize {
    let first = d.add_labeled(super::ws::TEXT, at, line.len(), Value::None, || {
        super::value::string_label_text(line)
    });
    d.expert(
        first,
        Expert {
            severity: Severity::Chat,
            group: "Sequence",
            protocol,
            message: Cow::Owned(super::value::string_label_text(line)),
        },
    );
    first
}

fn header_value<'b>(block: &'b [u8], name: &str) -> Option<&'b [u8]> {
    let name = name.as_bytes();
    lines(block).skip(1).find_map(|(_, line)| {
        let line = trim_eol(line);
        // The key is what comes before the line's first colon; a header name holds no
        // colon, so the line names it when it starts with it and a colon follows
        // (tested in place: the load pass asks this of every message's every line).
        let key = line.get(..name.len())?;
        (line.get(name.len()) == Some(&b':') && key.eq_ignore_ascii_case(name))
            .then(|| bytes::tail(line, name.len() + 1).trim_ascii())
    })
}

/// The first Content-Length value of a header block, as [`header_value`] reads it,
/// and, when there is none, the first Transfer-Encoding value: in one pass over the
/// lines (the load pass asks this on every segment of a message still coming).
fn length_headers(block: &[u8]) -> (Option<&[u8]>, Option<&[u8]>) {
    const CONTENT_LENGTH: &[u8] = b"Content-Length";
    const TRANSFER_ENCODING: &[u8] = b"Transfer-Encoding";
    let (mut length, mut encoding) = (None, None);
    for (_, line) in lines(block).skip(1) {
        let line = trim_eol(line);
        for (name, found) in [
            (CONTENT_LENGTH, &mut length),
            (TRANSFER_ENCODING, &mut encoding),
        ] {
            if found.is_none()
                && line.get(name.len()) == Some(&b':')
                && line
                    .get(..name.len())
                    .is_some_and(|key| key.eq_ignore_ascii_case(name))
            {
                *found = Some(bytes::tail(line, name.len() + 1).trim_ascii());
            }
        }
        if length.is_some() {
            // Content-Length decides: the encoding is read only without it.
            break;
        }
    }
    (length, encoding)
}

fn status_code(first_line: &[u8]) -> Option<u16> {
    let text = std::str::from_utf8(first_line).ok()?;
    text.split(' ').nth(1)?.parse().ok()
}

/// Length of the body of a chunked message starting at `bytes`.
fn chunked_len(bytes: &[u8]) -> PduLen {
    let mut pos = 0usize;
    for _ in 0..100_000 {
        let Some(rest) = bytes.get(pos..) else {
            return PduLen::NeedMore(None);
        };
        let Some(eol) = CRLF.find(rest) else {
            return PduLen::NeedMore(None);
        };
        let size_text = String::from_utf8_lossy(rest.get(..eol).unwrap_or(&[]));
        let size_text = size_text.split(';').next().unwrap_or("").trim();
        let Ok(size) = usize::from_str_radix(size_text, 16) else {
            return PduLen::NotMine;
        };
        if size > MAX_BODY_BYTES {
            return PduLen::NotMine;
        }
        pos += eol + 2;
        if size == 0 {
            // Trailer section ends with an empty line.
            let Some(rest) = bytes.get(pos..) else {
                return PduLen::NeedMore(None);
            };
            return match CRLF.find(rest) {
                Some(0) => PduLen::Complete(pos + 2),
                Some(_) => match CRLF_CRLF.find(rest) {
                    Some(p) => PduLen::Complete(pos + p + 4),
                    None => PduLen::NeedMore(None),
                },
                None => PduLen::NeedMore(None),
            };
        }
        pos += size + 2;
    }
    PduLen::NotMine
}

/// Whether the length [`pdu_len_with`] read from `bytes` as still to come (a
/// Content-Length) stays what it is as more bytes follow: when the header block ends
/// with an empty CRLF line. (A block that ends with a bare LF one might read
/// otherwise once a CRLF one follows, which [`header_end`] prefers.)
pub fn length_settled(bytes: &[u8]) -> bool {
    let area = bytes
        .get(..bytes.len().min(MAX_HEADER_BYTES))
        .unwrap_or(bytes);
    CRLF_CRLF.find(area).is_some()
}

/// How long the first HTTP message in `bytes` is.
pub fn pdu_len(bytes: &[u8]) -> PduLen {
    pdu_len_with(bytes, true)
}

/// How long the first HTTP message in `bytes` is; `body`: its body is waited for
/// (tshark's `http.desegment_body`), else the message takes the body bytes present.
pub fn pdu_len_with(bytes: &[u8], body: bool) -> PduLen {
    if !looks_like_http(bytes) {
        // A conversation already bound to HTTP: tshark waits for the end of the first
        // line before deciding, then shows what is not HTTP as continuation data;
        // binary bytes (a first byte that is not printable) it shows at once.
        // (tshark's line end: a LF, or a CR that is not the buffer's last byte.)
        let binary = bytes.first().is_some_and(|b| !(0x20..=0x7e).contains(b));
        let cr = bytes
            .split_last()
            .is_some_and(|(_, before)| before.contains(&b'\r'));
        return if binary || cr || bytes.contains(&b'\n') {
            PduLen::Complete(bytes.len())
        } else {
            PduLen::NeedMore(None)
        };
    }
    let Some(end) = header_end(bytes) else {
        return if bytes.len() >= MAX_HEADER_BYTES {
            PduLen::Complete(bytes.len())
        } else {
            PduLen::NeedMore(None)
        };
    };
    let block = bytes.get(..end).unwrap_or(&[]);
    let first = lines(block).next().map_or(&[][..], |(_, l)| trim_eol(l));
    let response = first.starts_with(b"HTTP/");
    let (content_length, transfer_encoding) = length_headers(block);
    if let Some(cl) = content_length {
        let Some(n) = std::str::from_utf8(cl)
            .ok()
            .and_then(|t| t.parse::<usize>().ok())
        else {
            return PduLen::Complete(end);
        };
        if n > MAX_BODY_BYTES {
            return PduLen::Complete(bytes.len());
        }
        let total = end + n;
        return if bytes.len() >= total {
            PduLen::Complete(total)
        } else if body {
            PduLen::NeedMore(Some(total))
        } else {
            PduLen::Complete(bytes.len())
        };
    }
    if transfer_encoding.is_some_and(|v| v.eq_ignore_ascii_case(b"chunked")) {
        return match chunked_len(bytes.get(end..).unwrap_or(&[])) {
            PduLen::Complete(n) => PduLen::Complete(end + n),
            PduLen::NotMine => PduLen::Complete(bytes.len()),
            PduLen::NeedMore(_) if !body => PduLen::Complete(bytes.len()),
            other => other,
        };
    }
    let no_body = !response || matches!(status_code(first), Some(100..=199 | 204 | 304) | None);
    if no_body {
        PduLen::Complete(end)
    } else {
        // No length: the body runs to the end of the connection.
        PduLen::Complete(bytes.len())
    }
}

/// Whether the first message in `bytes` is a response whose body runs to the end of
/// the connection (RFC 7230 section 3.3.3, case 7): its headers are whole and give
/// neither a Content-Length nor a chunked Transfer-Encoding, and its status has a
/// body (not 1xx, 204 or 304). tshark then reassembles the body up to the FIN.
pub fn body_runs_to_close(bytes: &[u8]) -> bool {
    if !bytes.starts_with(b"HTTP/") {
        return false;
    }
    let Some(end) = header_end(bytes) else {
        return false;
    };
    let block = bytes.get(..end).unwrap_or(&[]);
    let first = lines(block).next().map_or(&[][..], |(_, l)| trim_eol(l));
    let (content_length, transfer_encoding) = length_headers(block);
    content_length.is_none()
        && !transfer_encoding.is_some_and(|v| v.eq_ignore_ascii_case(b"chunked"))
        && !matches!(status_code(first), Some(100..=199 | 204 | 304) | None)
}

/// The Info text tshark shows on a segment whose message is still unfinished (its
/// first line, once that line is whole).
pub fn partial_info(bytes: &[u8]) -> Option<String> {
    if !looks_like_http(bytes) {
        return None;
    }
    // HTTP writes the first line as soon as it is whole, before it asks for the rest
    // of the headers.
    let line_end = bytes.iter().position(|b| *b == b'\n')?;
    let first = trim_eol(bytes.get(..=line_end)?);
    Some(format!("{} ", String::from_utf8_lossy(first)))
}

fn status_text(code: u16) -> &'static str {
    match code {
        100 => "Continue",
        101 => "Switching Protocols",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        206 => "Partial Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Unknown",
    }
}

/// Dissects the HTTP messages in `bytes` (at `offset` of the current data source).
pub fn dissect<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    bytes: &'a [u8],
    offset: usize,
    info: Option<&TcpFrameInfo>,
) {
    let mut pos = 0usize;
    let mut infos: Vec<String> = Vec::new();
    let mut cut = None;
    // A request earlier in this segment counts as one seen for the bytes after it
    // (tshark's conversation knows it from that message on).
    let mut request_here = false;
    for _ in 0..64 {
        let rest = bytes::tail(bytes, pos);
        if rest.is_empty() {
            break;
        }
        let len = match pdu_len_with(rest, ctx.prefs.http_desegment_body) {
            PduLen::Complete(n) if n > 0 => n.min(rest.len()),
            _ => rest.len(),
        };
        let message = rest.get(..len).unwrap_or(rest);
        let is_request = looks_like_http(message) && !message.starts_with(b"HTTP/");
        if let Some(text) = message_tree(
            d,
            message,
            offset + pos,
            (ctx, info, request_here),
            &mut cut,
        ) {
            infos.push(text);
        }
        request_here |= is_request;
        pos += len;
    }
    if !infos.is_empty() {
        // A body that XML or JSON took keeps `HTTP/XML` or `HTTP/JSON`; OCSP and CRLs their own.
        if !matches!(
            &*d.columns.protocol,
            "HTTP/XML" | "HTTP/JSON" | "OCSP" | "PKIX-CRL"
        ) {
            d.set_protocol("HTTP");
        }
        // Messages are separated by a comma; continuation bytes after a message
        // follow its Info after a space (tshark writes them after the column's fence).
        d.set_info(|| {
            let mut joined = String::new();
            for (i, text) in infos.iter().enumerate() {
                if i > 0 {
                    joined.push_str(if text == "Continuation" { " " } else { ", " });
                }
                joined.push_str(text);
            }
            joined
        });
    }
    if let Some((at, len)) = cut {
        // tshark's exception ends HTTP's dissection and marks the packet after its
        // Info text.
        // Bytes HTTP showed without a column (no request seen yet) keep the
        // carrier's Protocol column through the exception too.
        let protocol = infos.is_empty().then(|| d.columns.protocol.clone());
        if ctx.prefs.tcp_desegment {
            super::packet::malformed_pdu(d, "HTTP", at, len);
        } else {
            super::packet::unreassembled(d, "HTTP", at, len);
        }
        if let Some(protocol) = protocol {
            d.columns.protocol = protocol;
        }
    }
}

/// Whether a chunked body's chunk claims more bytes than `raw` holds.
fn chunk_cut(raw: &[u8]) -> bool {
    let mut pos = 0usize;
    for _ in 0..100_000 {
        let rest = bytes::tail(raw, pos);
        let Some(eol) = rest.windows(2).position(|w| w == b"\r\n") else {
            return false;
        };
        let size_text = String::from_utf8_lossy(rest.get(..eol).unwrap_or(&[]));
        let Ok(size) = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
        else {
            return false;
        };
        if size == 0 {
            return false;
        }
        let Some(next) = pos
            .checked_add(eol + 2)
            .and_then(|p| p.checked_add(size))
            .and_then(|p| p.checked_add(2))
        else {
            return true;
        };
        if next > raw.len() {
            return true;
        }
        pos = next;
    }
    false
}

/// One message; returns its Info text.
fn message_tree<'a>(
    d: &mut Dissection<'a>,
    message: &'a [u8],
    offset: usize,
    (ctx, tcp, request_here): (&PacketContext<'_>, Option<&TcpFrameInfo>, bool),
    cut: &mut Option<(usize, usize)>,
) -> Option<String> {
    let starts_message = looks_like_http(message);
    if !starts_message && !request_here && tcp.is_some_and(|t| !t.http_request_seen) {
        // Before any request in the conversation (a capture started mid-transfer)
        // tshark's HTTP sets no column for bytes that start no message, and shows
        // them only when their first line reads as a header line (holds a colon).
        let first_line = first_line_end(message).and_then(|end| message.get(..end));
        if message.first().is_some_and(|b| (0x20..=0x7e).contains(b))
            && first_line.is_some_and(|line| line.is_empty() || line.contains(&b':'))
        {
            let item = d.add(HTTP, offset, message.len(), Value::None);
            d.push_layer("http");
            d.begin(item);
            continuation(d, message, offset, cut);
        }
        return None;
    }
    let item = d.add(HTTP, offset, message.len(), Value::None);
    d.push_layer("http");
    d.begin(item);
    if !starts_message {
        return Some(continuation(d, message, offset, cut));
    }
    let end = header_end(message).unwrap_or(message.len());
    let block = message.get(..end).unwrap_or(message);
    // Without HTTP's fields (the load pass, a filter on other protocols) a message
    // only counts for its protocols and its expert item: the header lines need not
    // be told apart.
    let fields = d.keeps_fields_of(HTTP);
    let columns = d.columns_on();
    let mut info = String::new();
    let mut request = false;
    let mut host = None;
    let mut uri = None;
    let mut content_type: Option<Vec<u8>> = None;
    let mut chunked = false;
    let mut encoding: Option<Vec<u8>> = None;
    for (i, (start, line)) in lines(block).enumerate() {
        let at = offset + start;
        let text = trim_eol(line);
        if i == 0 {
            if columns {
                info = format!("{} ", String::from_utf8_lossy(text));
            }
            let first = first_line(d, at, line, "HTTP");
            if !fields {
                continue;
            }
            d.begin(first);
            let parts: Vec<&[u8]> = text.splitn(3, |b| *b == b' ').collect();
            if text.starts_with(b"HTTP/") {
                d.add_hidden(RESPONSE, at, 0, Value::Bool(true));
                let version = parts.first().copied().unwrap_or(&[]);
                let code = parts.get(1).copied().unwrap_or(&[]);
                let phrase = parts.get(2).copied().unwrap_or(&[]);
                d.add(
                    RESPONSE_VERSION,
                    at,
                    version.len(),
                    Value::owned_str(version),
                );
                let code_num = std::str::from_utf8(code)
                    .ok()
                    .and_then(|c| c.parse::<u16>().ok());
                if let Some(c) = code_num {
                    d.add(
                        RESPONSE_CODE,
                        at + version.len() + 1,
                        code.len(),
                        Value::UInt(u64::from(c)),
                    );
                    d.add_generated(
                        RESPONSE_CODE_DESC,
                        0,
                        0,
                        Value::owned_str(status_text(c).as_bytes()),
                    );
                }
                // A status line that ends with its code ("HTTP/1.0 200") has no
                // phrase item.
                if parts.len() > 2 {
                    d.add(
                        RESPONSE_PHRASE,
                        at + version.len() + code.len() + 2,
                        phrase.len(),
                        Value::owned_str(phrase),
                    );
                }
            } else {
                request = true;
                d.add_hidden(REQUEST, at, 0, Value::Bool(true));
                let method = parts.first().copied().unwrap_or(&[]);
                let target = parts.get(1).copied().unwrap_or(&[]);
                let version = parts.get(2).copied().unwrap_or(&[]);
                d.add(REQUEST_METHOD, at, method.len(), Value::owned_str(method));
                d.add(
                    REQUEST_URI,
                    at + method.len() + 1,
                    target.len(),
                    Value::owned_str(target),
                );
                d.add(
                    REQUEST_VERSION,
                    at + method.len() + target.len() + 2,
                    version.len(),
                    Value::owned_str(version),
                );
                uri = Some(target.to_vec());
            }
            d.end();
            continue;
        }
        if text.is_empty() {
            d.text(at, line.len(), || "\\r\\n".into());
            continue;
        }
        let colon = text.iter().position(|b| *b == b':').unwrap_or(text.len());
        let name = text.get(..colon).unwrap_or(&[]);
        let value = text.get(colon + 1..).unwrap_or(&[]).trim_ascii();
        if name.eq_ignore_ascii_case(b"Content-Type") {
            content_type = Some(value.to_vec());
        } else if name.eq_ignore_ascii_case(b"Transfer-Encoding") {
            chunked = value.eq_ignore_ascii_case(b"chunked");
        } else if name.eq_ignore_ascii_case(b"Content-Encoding") {
            encoding = Some(value.to_ascii_lowercase());
        }
        if !fields {
            continue;
        }
        let line_field = if request { REQUEST_LINE } else { RESPONSE_LINE };
        d.add_hidden(line_field, at, line.len(), Value::owned_str(line));
        let field = header_field(name);
        let label = || super::value::string_label_text(line);
        match field {
            Some(f) => {
                let node = d.add_labeled(f, at, line.len(), Value::owned_str(value), label);
                if f == CONTENT_LENGTH_HEADER
                    && let Some(n) = std::str::from_utf8(value)
                        .ok()
                        .and_then(|v| v.parse::<u64>().ok())
                {
                    d.begin(node);
                    d.add_generated(CONTENT_LENGTH, at, line.len(), Value::UInt(n));
                    d.end();
                }
                if f == AUTHORIZATION
                    && let Some(credentials) = basic_credentials(value)
                {
                    // tshark decodes Basic credentials (RFC 7617) for the reader.
                    let cred_at =
                        at + colon + 1 + (line.len() - colon - 1).saturating_sub(value.len() + 2);
                    d.begin(node);
                    d.add(
                        AUTHBASIC,
                        cred_at,
                        value.len(),
                        Value::owned_str(&credentials),
                    );
                    d.end();
                }
            }
            None => {
                d.text(at, line.len(), label);
            }
        }
        if name.eq_ignore_ascii_case(b"Host") {
            host = Some(value.to_vec());
        }
    }
    let full_uri = match (&host, &uri) {
        // A proxy's absolute-form or CONNECT's authority-form target is the full URI.
        (Some(_), Some(uri))
            if uri.windows(3).any(|w| w == b"://")
                || !(uri.starts_with(b"/") || uri.starts_with(b"*")) =>
        {
            d.add_generated(FULL_URI, 0, 0, Value::owned_str(uri));
            Some(uri.clone())
        }
        (Some(host), Some(uri)) => {
            let mut full = b"http://".to_vec();
            full.extend_from_slice(host);
            full.extend_from_slice(uri);
            d.add_generated(FULL_URI, 0, 0, Value::owned_str(&full));
            Some(full)
        }
        _ => None,
    };
    let first_line = lines(block).next().map_or(&[][..], |(_, l)| l);
    let is_response = first_line.starts_with(b"HTTP/");
    // The load pass keeps no field: the request's URI is read here for the link.
    let load_uri = if fields || is_response {
        None
    } else {
        request_uri(block)
    };
    let link = match (ctx.analysis, tcp) {
        (Some(analysis), Some(tcp)) => analysis.http_link(
            ctx.number,
            &HttpMessage {
                stream: tcp.stream,
                is_response,
                ts_nanos: ctx.record.ts_nanos,
                uri: full_uri
                    .as_deref()
                    .or(load_uri.as_deref())
                    .or(uri.as_deref()),
            },
        ),
        _ => None,
    };
    if let Some(link) = link.filter(|_| fields) {
        link_items(d, &link, is_response, ctx.record.ts_nanos);
    }
    let raw = bytes::tail(message, end);
    let reassembly_off = !ctx.prefs.tcp_desegment || !ctx.prefs.http_desegment_body;
    if chunked && reassembly_off && ctx.record.cap_len >= ctx.record.orig_len && chunk_cut(raw) {
        // A chunk cut by the segment's end (nothing reassembled the body): tshark's
        // chunk reader throws, so no file data and no media follow.
        http_body::chunk_tree(d, raw, offset + end);
        d.end();
        *cut = Some((offset, message.len()));
        return Some(info);
    }
    let body = if d.keeps_fields() || http_body::reads_body(content_type.as_deref()) {
        http_body::decoded_body(d, raw, offset + end, chunked, encoding.as_deref())
    } else {
        http_body::quiet_body(d, raw, offset + end, chunked, encoding.as_deref())
    };
    let source = match &body {
        Cow::Owned(b) if !b.is_empty() && d.keeps_fields() => {
            let name = if encoding.is_some() {
                "Uncompressed entity body"
            } else {
                "De-chunked entity body"
            };
            d.add_source(name.into(), b.clone())
        }
        _ => 0,
    };
    let previous_source = if source != 0 {
        let previous = d.current_source();
        d.set_source(source);
        Some(previous)
    } else {
        None
    };
    // Where the body's bytes lie in its data source.
    let body_at = if previous_source.is_some() || matches!(body, Cow::Owned(_)) {
        0
    } else {
        offset + end
    };
    if !body.is_empty() {
        // tshark's value is a C string: it stops at the first NUL. (Copied only when
        // the field is kept: the load pass would copy every body for nothing.)
        let value = if d.wants(FILE_DATA) {
            Value::Str(Cow::Owned(
                body.split(|b| *b == 0).next().unwrap_or(&[]).to_vec(),
            ))
        } else {
            Value::None
        };
        d.add_labeled(FILE_DATA, body_at, body.len(), value, || {
            format!("File Data: {} bytes", body.len())
        });
        if content_type.is_none() && matches!(body, Cow::Borrowed(_)) && !http_body::is_image(&body)
        {
            // Without a media type the body stays inside the HTTP tree as data.
            super::data::dissect_bytes(d, raw, offset + end);
        }
    }
    d.end();
    if !body.is_empty() {
        http_body::media_body(
            d,
            &body,
            body_at,
            content_type.as_deref(),
            &mut info,
            columns,
            true,
        );
    }
    if let Some(previous) = previous_source {
        d.set_source(previous);
    }
    Some(info)
}

/// Bytes of a conversation HTTP took that start no message (a body's later
/// segments when nothing reassembles them), as tshark 4.0 shows them: binary data
/// (a first byte that is not printable) as data inside the HTTP tree; text as
/// header lines while its lines hold a colon, then the rest as file data with GIF's
/// heuristic or data. Returns the Info text.
fn continuation<'a>(
    d: &mut Dissection<'a>,
    message: &'a [u8],
    offset: usize,
    cut: &mut Option<(usize, usize)>,
) -> String {
    let mut info = String::from("Continuation");
    let printable = message.first().is_some_and(|b| (0x20..=0x7e).contains(b));
    if !printable {
        super::data::dissect_bytes(d, message, offset);
        d.end();
        return info;
    }
    // tshark reads the text as header lines first: each line with a colon is one
    // (flagged when the "name" before it is no token), a blank line ends them, and
    // so does any other line, except that one running to the end of the bytes after
    // a header line is taken for a header cut short: its exception marks the packet
    // malformed.
    let mut pos = 0usize;
    let mut saw_header = false;
    for _ in 0..10_000 {
        let rest = bytes::tail(message, pos);
        if rest.is_empty() {
            break;
        }
        // tshark's line end: LF, CRLF or a lone CR; none, and the line runs to the end.
        let (eol, eol_len) = match rest.iter().position(|b| *b == b'\r' || *b == b'\n') {
            Some(eol) if rest.get(eol..eol + 2) == Some(b"\r\n") => (eol, 2),
            Some(eol) => (eol, 1),
            None => (rest.len(), 0),
        };
        let text = rest.get(..eol).unwrap_or(&[]);
        let line = rest.get(..eol + eol_len).unwrap_or(rest);
        if text.is_empty() {
            d.text(offset + pos, line.len(), || "\\r\\n".into());
            pos += line.len();
            break;
        }
        let Some(colon) = text.iter().position(|b| *b == b':') else {
            if saw_header && eol_len == 0 {
                *cut = Some((offset + pos, rest.len()));
                d.end();
                return info;
            }
            break;
        };
        saw_header = true;
        let item = d.add_labeled(
            super::ws::TEXT,
            offset + pos,
            line.len(),
            Value::None,
            || super::value::string_label_text(line),
        );
        let name = text.get(..colon).unwrap_or(&[]);
        if !name.iter().all(|b| is_token_byte(*b)) {
            d.expert(
                item,
                Expert {
                    severity: Severity::Warning,
                    group: "Protocol",
                    protocol: "HTTP",
                    message: Cow::Borrowed("Illegal characters found in header name"),
                },
            );
        }
        pos += line.len();
    }
    let message = bytes::tail(message, pos);
    let offset = offset + pos;
    if message.is_empty() {
        d.end();
        return info;
    }
    d.add_labeled(
        FILE_DATA,
        offset,
        message.len(),
        Value::Str(Cow::Owned(
            message.split(|b| *b == 0).next().unwrap_or(&[]).to_vec(),
        )),
        || format!("File Data: {} bytes", message.len()),
    );
    if message.starts_with(b"GIF87a") || message.starts_with(b"GIF89a") {
        // tshark's GIF heuristic takes the bytes after HTTP's tree.
        d.end();
        let columns = d.columns_on();
        http_body::media_tree(d, message, offset, Some(b"image/gif"), &mut info, columns);
        return info;
    }
    super::data::dissect_bytes(d, message, offset);
    d.end();
    info
}

/// Whether `b` may appear in a header name (an RFC 9110 token character).
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?={}".contains(&b)
}

/// A request's full URI (`http://` + Host + target) read from its header block.
fn request_uri(block: &[u8]) -> Option<Vec<u8>> {
    let first = trim_eol(lines(block).next()?.1);
    let target = first.split(|b| *b == b' ').nth(1)?;
    // Without a Host header tshark's link names the target alone.
    let Some(host) = header_value(block, "Host") else {
        return Some(target.to_vec());
    };
    let mut full = b"http://".to_vec();
    full.extend_from_slice(host);
    full.extend_from_slice(target);
    Some(full)
}

/// tshark's `[HTTP request n/n]`, `[Time since request]`, `[Prev request in frame]`
/// and the other links of a message to its conversation.
fn link_items(d: &mut Dissection<'_>, link: &HttpLink, is_response: bool, ts_nanos: i64) {
    let n = link.number;
    let kind = if is_response { "response" } else { "request" };
    // A single pass knows no later message: it shows n/n.
    let total = link.total.unwrap_or(n);
    d.text(0, 0, || format!("[HTTP {kind} {n}/{total}]"));
    if let Some(t) = link.request_ts_nanos {
        d.add_generated(TIME, 0, 0, Value::Time(ts_nanos.saturating_sub(t)));
    }
    if let Some(f) = link.prev_request {
        d.add_generated(PREV_REQUEST_IN, 0, 0, Value::Frame(f));
    }
    if let Some(f) = link.prev_response {
        d.add_generated(PREV_RESPONSE_IN, 0, 0, Value::Frame(f));
    }
    if let Some(f) = link.request_in {
        d.add_generated(REQUEST_IN, 0, 0, Value::Frame(f));
    }
    if let Some(f) = link.response_in {
        d.add_generated(RESPONSE_IN, 0, 0, Value::Frame(f));
    }
    if let Some(f) = link.next_request {
        d.add_generated(NEXT_REQUEST_IN, 0, 0, Value::Frame(f));
    }
    if let Some(f) = link.next_response {
        d.add_generated(NEXT_RESPONSE_IN, 0, 0, Value::Frame(f));
    }
    if let Some(uri) = &link.request_uri {
        d.add_generated(RESPONSE_FOR_URI, 0, 0, Value::owned_str(uri));
    }
}

/// The Basic credentials (`user:pass`) of an Authorization value, if it has them.
fn basic_credentials(value: &[u8]) -> Option<Vec<u8>> {
    use base64::Engine;
    let rest = value.strip_prefix(b"Basic ")?.trim_ascii();
    base64::engine::general_purpose::STANDARD.decode(rest).ok()
}

fn header_field(name: &[u8]) -> Option<super::field::FieldId> {
    let table: &[(&str, super::field::FieldId)] = &[
        ("Host", HOST),
        ("User-Agent", USER_AGENT),
        ("Accept", ACCEPT),
        ("Accept-Encoding", ACCEPT_ENCODING),
        ("Accept-Language", ACCEPT_LANGUAGE),
        ("Content-Type", CONTENT_TYPE),
        ("Content-Length", CONTENT_LENGTH_HEADER),
        ("Transfer-Encoding", TRANSFER_ENCODING),
        ("Server", SERVER),
        ("Connection", CONNECTION),
        ("Date", DATE),
        ("Last-Modified", LAST_MODIFIED),
        ("Location", LOCATION),
        ("Cookie", COOKIE),
        ("Set-Cookie", SET_COOKIE),
        ("Referer", REFERER),
        ("Cache-Control", CACHE_CONTROL),
        ("Authorization", AUTHORIZATION),
        ("Content-Encoding", CONTENT_ENCODING),
        ("WWW-Authenticate", WWW_AUTHENTICATE),
    ];
    table
        .iter()
        .find(|(n, _)| n.as_bytes().eq_ignore_ascii_case(name))
        .map(|(_, f)| *f)
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod frame_tests;
