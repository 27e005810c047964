//! SSDP (UPnP's discovery, UDP 1900): HTTP-formatted requests (`M-SEARCH`, `NOTIFY`)
//! and responses in one datagram each. tshark shows them with HTTP's fields under
//! its own protocol item, which is what this does.

use super::field::kinds::*;
use super::http;
use super::tree::Dissection;
use super::value::Value;
use std::borrow::Cow;

crate::define_fields! { after super::nbns::END;
    SSDP = "ssdp", "Simple Service Discovery Protocol", PROTO;
    NOTIFICATION = "http.notification", "Notification", flag(0, 0);
}

/// Header lines read at most (a datagram of empty lines must not loop long).
const MAX_LINES: usize = 128;

/// The lines of `msg` with their offsets, each with its line ending.
fn lines(msg: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    super::lines::split(msg).take(MAX_LINES)
}

/// Dissects an SSDP datagram at `offset`; false when it does not start like HTTP.
pub fn dissect<'a>(d: &mut Dissection<'a>, offset: usize, msg: &'a [u8]) -> bool {
    if msg.is_empty() {
        return false;
    }
    d.open_protocol(SSDP, (offset, msg.len()), "ssdp", "SSDP");
    let mut kind = Kind::Response;
    let mut host: Option<&[u8]> = None;
    let mut uri: Option<&[u8]> = None;
    let mut first_line = None;
    for (i, (start, line)) in lines(msg).enumerate() {
        let at = offset + start;
        let text = super::lines::trim_eol(line);
        if i == 0 {
            first_line = Some(text);
            kind = request_line(d, at, line, text, &mut uri);
            continue;
        }
        if text.is_empty() {
            d.text(at, line.len(), || super::value::string_label_text(line));
            break;
        }
        // tshark lists a request's or response's header lines, not a notification's.
        let line_field = match kind {
            Kind::Request => Some(http::REQUEST_LINE),
            Kind::Response => Some(http::RESPONSE_LINE),
            Kind::Notify => None,
        };
        if let Some(f) = line_field {
            d.add_hidden(f, at, line.len(), Value::owned_str(line));
        }
        let (name, value) = match text.iter().position(|&b| b == b':') {
            Some(colon) => (
                text.get(..colon).unwrap_or(&[]),
                text.get(colon + 1..).unwrap_or(&[]).trim_ascii_start(),
            ),
            None => (text, &[][..]),
        };
        let field = match name.to_ascii_lowercase().as_slice() {
            b"host" => {
                host = Some(value);
                Some(http::HOST)
            }
            b"server" => Some(http::SERVER),
            b"location" => Some(http::LOCATION),
            b"cache-control" => Some(http::CACHE_CONTROL),
            b"user-agent" => Some(http::USER_AGENT),
            _ => None,
        };
        let label = || super::value::string_label_text(line);
        match field {
            Some(f) => {
                d.add_labeled(f, at, line.len(), Value::owned_str(value), label);
            }
            None => {
                d.text(at, line.len(), label);
            }
        }
    }
    if kind != Kind::Response
        && let (Some(h), Some(u)) = (host, uri)
    {
        let full = [b"http://".as_slice(), h, u].concat();
        d.add_generated(http::FULL_URI, 0, 0, Value::Str(Cow::Owned(full)));
    }
    d.end();
    if let Some(line) = first_line {
        let text = String::from_utf8_lossy(line).into_owned();
        d.set_info(move || format!("{text} "));
    }
    true
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Request,
    Notify,
    Response,
}

/// The first line: a request (method, URI, version) or a status line.
fn request_line<'a>(
    d: &mut Dissection<'a>,
    at: usize,
    line: &'a [u8],
    text: &'a [u8],
    uri: &mut Option<&'a [u8]>,
) -> Kind {
    let first = http::first_line(d, at, line, "SSDP");
    d.begin(first);
    let mut parts = text.splitn(3, |b| *b == b' ');
    let (a, b, c) = (
        parts.next().unwrap_or(&[]),
        parts.next().unwrap_or(&[]),
        parts.next().unwrap_or(&[]),
    );
    let kind = if a.starts_with(b"HTTP/") {
        d.add_hidden(http::RESPONSE, at, 0, Value::Bool(true));
        d.add(http::RESPONSE_VERSION, at, a.len(), Value::owned_str(a));
        if let Some(code) = std::str::from_utf8(b)
            .ok()
            .and_then(|c| c.parse::<u16>().ok())
        {
            d.add(
                http::RESPONSE_CODE,
                at + a.len() + 1,
                b.len(),
                Value::UInt(u64::from(code)),
            );
        }
        d.add(
            http::RESPONSE_PHRASE,
            at + a.len() + b.len() + 2,
            c.len(),
            Value::owned_str(c),
        );
        Kind::Response
    } else {
        let kind = if a == b"NOTIFY" {
            d.add_hidden(NOTIFICATION, at, 0, Value::Bool(true));
            Kind::Notify
        } else {
            d.add_hidden(http::REQUEST, at, 0, Value::Bool(true));
            Kind::Request
        };
        d.add(http::REQUEST_METHOD, at, a.len(), Value::owned_str(a));
        d.add(
            http::REQUEST_URI,
            at + a.len() + 1,
            b.len(),
            Value::owned_str(b),
        );
        d.add(
            http::REQUEST_VERSION,
            at + a.len() + b.len() + 2,
            c.len(),
            Value::owned_str(c),
        );
        *uri = Some(b);
        kind
    };
    d.end();
    kind
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_frame, with_truncated};

    /// lan_chatter.pcap frames 5-7: M-SEARCH, its 200 OK, a NOTIFY.
    #[test]
    fn search_answer_notify() {
        with_frame("lan_chatter.pcap", 5, |d| {
            assert_eq!(d.columns.protocol, "SSDP");
            assert_eq!(d.columns.info, "M-SEARCH * HTTP/1.1 ");
            assert_eq!(field(d, "http.request.method"), "M-SEARCH");
            assert_eq!(field(d, "http.host"), "239.255.255.250:1900");
            assert_eq!(
                field(d, "http.request.full_uri"),
                "http://239.255.255.250:1900*"
            );
        });
        with_frame("lan_chatter.pcap", 6, |d| {
            assert_eq!(field(d, "http.response.code"), "200");
            assert_eq!(d.columns.info, "HTTP/1.1 200 OK ");
        });
        with_frame("lan_chatter.pcap", 7, |d| {
            assert_eq!(field(d, "http.request.line"), "");
            assert_eq!(field(d, "http.request.method"), "NOTIFY");
        });
    }

    #[test]
    fn truncated() {
        // Cut in the first line: still SSDP, what is there is shown.
        with_truncated("lan_chatter.pcap", 5, 48, |d| {
            assert_eq!(d.columns.protocol, "SSDP");
            assert_eq!(field(d, "http.request.method"), "M-SEAR");
        });
    }
}
