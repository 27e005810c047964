//! Internet Message Format (RFC 5322) as tshark 4.0 shows a message: From, To, Cc and
//! their address items, Subject, then the body: with a Content-Type, through the media
//! dissectors (` (text/plain)`, a multipart body part by part); without one, the message
//! text line by line. Its Info column reads `from: …, subject: …, , first line, …` or
//! `from: …, subject: …,  (text/plain)`. Used on a message an IMAP FETCH literal
//! carries and on SMTP's DATA once its fragments are joined.

use super::context::PduParts;
use super::field::kinds::*;
use super::tree::Dissection;
use super::value::Value;

crate::define_fields! { after super::chdlc::END;
    IMF = "imf", "Internet Message Format", PROTO;
    FROM = "imf.from", "From", STR;
    TO = "imf.to", "To", STR;
    CC = "imf.cc", "Cc", STR;
    SUBJECT = "imf.subject", "Subject", STR;
    MAILBOX_ITEM = "imf.mailbox_list.item", "Item", STR;
    ADDRESS_ITEM = "imf.address_list.item", "Item", STR;
    ADDRESS = "imf.address", "Address", STR;
    MESSAGE_TEXT = "imf.message_text", "Message-Text", NONE;
}

/// The lines of `bytes` with their line ends, and where each starts.
fn lines(bytes: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    super::lines::split(bytes)
}

/// A line's text with its line end turned into spaces (tshark's "wsp" text).
fn wsp(line: &[u8]) -> String {
    String::from_utf8_lossy(line)
        .chars()
        .map(|c| if c == '\r' || c == '\n' { ' ' } else { c })
        .collect()
}

/// Dissects the message `msg` at `at`; sets the Info column.
pub fn dissect(d: &mut Dissection<'_>, msg: &[u8], at: usize) {
    let item = d.add(IMF, at, msg.len(), Value::None);
    d.push_layer("imf");
    d.begin(item);
    let mut info: Vec<String> = Vec::new();
    let mut content_type: Option<Vec<u8>> = None;
    let mut body_at = msg.len();
    // The headers make fields and Info text only: without either (the load pass) only
    // the Content-Type, which picks the body's dissector, is read.
    let headers_shown = d.keeps_fields() || d.columns_on();
    let mut all = lines(msg).peekable();
    while let Some((start, line)) = all.next() {
        let text = super::lines::trim_eol(line);
        if text.is_empty() {
            body_at = start + line.len();
            break;
        }
        // A folded header continues on lines that start with white space.
        let mut end = start + line.len();
        while let Some((_, next)) = all.peek() {
            if next.first().is_some_and(|b| *b == b' ' || *b == b'\t') {
                end += next.len();
                all.next();
            } else {
                break;
            }
        }
        let whole = msg.get(start..end).unwrap_or(&[]);
        if let Some(value) = header_value(whole, "content-type") {
            content_type = Some(value);
        }
        if headers_shown {
            header(d, at + start, whole, &mut info);
        }
    }
    // A typed body goes to the media dissectors (text/plain: line-based text, a
    // multipart body part by part), which add " (type)" to the Info column.
    let mut media_info = String::new();
    if body_at < msg.len()
        && let Some(ct) = &content_type
    {
        let body = crate::bytes::tail(msg, body_at);
        info.push(String::new());
        let mut media =
            |d: &mut Dissection<'_>, body: &[u8], at: usize, ct: &[u8], info: &mut String| {
                super::http_body::media_tree(d, body, at, Some(ct), info, true);
            };
        if !(super::multipart::is_multipart(ct)
            && super::multipart::dissect(d, body, at + body_at, ct, &mut media_info, &mut media))
        {
            media(d, body, at + body_at, ct, &mut media_info);
        }
    } else if body_at < msg.len() {
        let body = crate::bytes::tail(msg, body_at);
        let node = d.add(MESSAGE_TEXT, at + body_at, body.len(), Value::None);
        d.begin(node);
        info.push(String::new());
        // Each line is a text item and Info text: neither in the load pass.
        if d.labels() || d.columns_on() {
            for (start, line) in lines(body) {
                let shown = wsp(line);
                info.push(shown.clone());
                d.text(at + body_at + start, line.len(), || shown);
            }
        }
        d.end();
    }
    d.end();
    d.set_info(|| info.join(", ") + &media_info);
}

/// A message sent as DATA fragments (SMTP after `DATA`, a POP retrieval): joins the
/// earlier fragments `parts` and this segment's `own` bytes (frame `number`), lists
/// them under `fields` as tshark's `[n DATA fragments (…)]` at `at`, and returns the
/// message.
pub(super) fn join_data_fragments(
    d: &mut Dissection<'_>,
    fields: &super::fragments::PartFields,
    number: u32,
    own: &[u8],
    at: usize,
    parts: PduParts,
) -> Vec<u8> {
    let (whole, pieces) = parts.complete(number, own);
    let noun = if pieces.len() == 1 {
        "DATA fragment"
    } else {
        "DATA fragments"
    };
    super::fragments::part_list(d, fields, noun, at, &pieces);
    whole
}

/// The Info column of a segment of message text sent by `side` (`C` or `S`):
/// `C: DATA fragment, 548 bytes`.
pub(super) fn data_fragment_info(side: &str, n: usize) -> String {
    format!(
        "{side}: DATA fragment, {n} byte{}",
        if n == 1 { "" } else { "s" }
    )
}

/// Dissects a joined message as its own data source (`source`, e.g. "Reassembled
/// SMTP") under the Protocol column `protocol` (`SMTP/IMF`).
pub(super) fn dissect_joined(
    d: &mut Dissection<'_>,
    whole: Vec<u8>,
    source: &str,
    protocol: &'static str,
) {
    let index = d.add_source_with(
        || format!("{source} ({} bytes)", whole.len()),
        || whole.clone(),
    );
    d.set_source(index);
    d.set_protocol(protocol);
    dissect(d, &whole, 0);
    d.set_source(0);
}

/// The value of header `name` in a whole header (folded lines joined), trimmed.
fn header_value(whole: &[u8], name: &str) -> Option<Vec<u8>> {
    let colon = whole.iter().position(|b| *b == b':')?;
    if !whole.get(..colon)?.eq_ignore_ascii_case(name.as_bytes()) {
        return None;
    }
    let value: Vec<u8> = crate::bytes::tail(whole, colon + 1)
        .iter()
        .copied()
        .filter(|b| *b != b'\r' && *b != b'\n')
        .collect();
    Some(value.trim_ascii().to_vec())
}

/// One header (`Name: value`, folded lines included) at `at`.
fn header(d: &mut Dissection<'_>, at: usize, whole: &[u8], info: &mut Vec<String>) {
    let Some(colon) = whole.iter().position(|b| *b == b':') else {
        return;
    };
    let name = String::from_utf8_lossy(whole.get(..colon).unwrap_or(&[])).to_ascii_lowercase();
    let rest = crate::bytes::tail(whole, colon + 1);
    let blanks = rest
        .iter()
        .take_while(|b| **b == b' ' || **b == b'\t')
        .count();
    let value_at = colon + 1 + blanks;
    let raw = crate::bytes::tail(whole, value_at);
    let value = super::lines::trim_eol(raw);
    let shown = String::from_utf8_lossy(value).into_owned();
    match name.as_str() {
        "from" | "to" | "cc" => {
            let (field, item_field) = match name.as_str() {
                "from" => (FROM, MAILBOX_ITEM),
                "to" => (TO, ADDRESS_ITEM),
                _ => (CC, ADDRESS_ITEM),
            };
            let items: Vec<(usize, &[u8])> = split_items(raw);
            let count = items.len();
            let label = format!(
                "{}: {shown}, {count} item{}",
                capitalized(&name),
                if count == 1 { "" } else { "s" }
            );
            let node = d.add_labeled(
                field,
                at + value_at,
                value.len(),
                Value::owned_str(value),
                || label,
            );
            d.begin(node);
            for (off, item) in items {
                let item_at = at + value_at + off;
                let text = super::telnet::escaped(item);
                let n = d.add_labeled(
                    item_field,
                    item_at,
                    item.len(),
                    Value::owned_str(item),
                    || format!("Item: {text}"),
                );
                d.begin(n);
                d.add_labeled(ADDRESS, item_at, item.len(), Value::owned_str(item), || {
                    format!("Address: {text}")
                });
                d.end();
            }
            d.end();
            if name == "from" {
                // The Info column shows a folded value's line breaks escaped.
                info.push(format!("from: {}", super::format_text::format_text(value)));
            }
        }
        "subject" => {
            d.add(SUBJECT, at + value_at, value.len(), Value::owned_str(value));
            info.push(format!(
                "subject: {}",
                super::format_text::format_text(value)
            ));
        }
        _ => {
            d.text(at, whole.len(), || super::telnet::escaped(whole));
        }
    }
}

/// The comma-separated items of an address list (the last keeps the line end), with
/// their offsets.
fn split_items(raw: &[u8]) -> Vec<(usize, &[u8])> {
    let mut out = Vec::new();
    let mut start = 0usize;
    for (i, b) in raw.iter().enumerate() {
        if *b == b',' {
            out.push((start, raw.get(start..i).unwrap_or(&[])));
            start = i + 1;
            while raw.get(start) == Some(&b' ') {
                start += 1;
            }
        }
    }
    out.push((start, crate::bytes::tail(raw, start)));
    out
}

fn capitalized(name: &str) -> String {
    let mut c = name.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::dissect;
    use crate::dissect::Dissection;
    use crate::dissect::testing::field;

    #[test]
    fn headers_text_and_info() {
        let msg = b"From: a@x.test\r\nTo: b@x.test, c@x.test\r\nSubject: hi\r\n\r\nline\r\n";
        let mut d = Dissection::full();
        dissect(&mut d, msg, 0);
        assert_eq!(d.columns.info, "from: a@x.test, subject: hi, , line  ");
        assert_eq!(field(&d, "imf.to"), "b@x.test, c@x.test");
        assert_eq!(
            field(&d, "imf.address_list.item"),
            "b@x.test,c@x.test\\r\\n"
        );
        // Headers only, cut in the middle of one, and no colon at all.
        let mut d = Dissection::full();
        dissect(&mut d, b"Subject: cut", 0);
        assert_eq!(field(&d, "imf.subject"), "cut");
        let mut d = Dissection::full();
        dissect(&mut d, b"garbage\r\n", 0);
        assert_eq!(d.columns.info, "");
    }
}
