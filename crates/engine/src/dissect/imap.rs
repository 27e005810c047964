//! IMAP (RFC 3501, TCP port 143) as tshark 4.0 shows it: each line, and for lines
//! with a tag the tag, the command or status, the folder, LOGIN's user name and
//! password, and a response's link to the request with its tag (`imap.response_to`,
//! `imap.time`, through the load-time analysis).

use super::context::{PacketContext, TcpFrameInfo, TransactionKey};
use super::field::kinds::*;
use super::format_text::format_text;
use super::ipv4::NetInfo;
use super::tree::Dissection;
use super::value::Value;

/// IMAP's port.
pub const PORT: u16 = 143;

crate::define_fields! { after super::telnet::END;
    IMAP = "imap", "Internet Message Access Protocol", PROTO;
    ISREQUEST = "imap.isrequest", "Request", flag(0, 0);
    LINE = "imap.line", "Line", STR;
    REQUEST = "imap.request", "Request", STR;
    REQUEST_TAG = "imap.request_tag", "Request Tag", STR;
    RESPONSE = "imap.response", "Response", STR;
    RESPONSE_TAG = "imap.response_tag", "Response Tag", STR;
    REQUEST_COMMAND = "imap.request.command", "Request Command", STR;
    RESPONSE_COMMAND = "imap.response.command", "Response Command", STR;
    RESPONSE_STATUS = "imap.response.status", "Response Status", STR;
    TAG = "imap.tag", "Tag", STR;
    COMMAND = "imap.command", "Command", STR;
    FOLDER = "imap.request.folder", "Request Folder", STR;
    UID = "imap.request.command.uid", "Request isUID", flag(0, 0);
    USERNAME = "imap.request.username", "Request Username", STR;
    PASSWORD = "imap.request.password", "Request Password", STR;
    RESPONSE_TO = "imap.response_to", "Request In", FRAME;
    TIME = "imap.time", "Response Time", REL_TIME;
}

/// Commands whose first argument is a folder (tshark compares the command as a
/// prefix of these names).
const FOLDER_COMMANDS: [&str; 10] = [
    "select",
    "examine",
    "create",
    "delete",
    "rename",
    "subscribe",
    "unsubscribe",
    "status",
    "append",
    "search",
];

/// One line: where it starts, its length without the line end, and where the next
/// one starts.
#[derive(Clone, Copy)]
struct Line {
    start: usize,
    len: usize,
    next: usize,
}

/// The line at `start`: CR LF, LF or CR ends it (the last one may have no end).
fn line_at(payload: &[u8], start: usize) -> Line {
    let rest = crate::bytes::tail(payload, start);
    match rest.iter().position(|b| *b == b'\r' || *b == b'\n') {
        Some(p) => {
            let end = if rest.get(p) == Some(&b'\r') && rest.get(p + 1) == Some(&b'\n') {
                2
            } else {
                1
            };
            Line {
                start,
                len: p,
                next: start + p + end,
            }
        }
        None => Line {
            start,
            len: rest.len(),
            next: start + rest.len(),
        },
    }
}

/// A token of `payload[at..at+len]` up to the first space: (its length, where the
/// next token starts, one past the space).
fn token(payload: &[u8], at: usize, len: usize) -> (usize, usize) {
    let text = payload.get(at..at + len).unwrap_or(&[]);
    match text.iter().position(|b| *b == b' ') {
        Some(p) => (p, at + p + 1),
        None => (text.len(), at + text.len()),
    }
}

/// The size of a literal a line ends with (`{76}`).
fn literal(line: &[u8]) -> Option<usize> {
    let inner = line.strip_suffix(b"}")?;
    let open = inner.iter().rposition(|b| *b == b'{')?;
    std::str::from_utf8(crate::bytes::tail(inner, open + 1))
        .ok()?
        .parse()
        .ok()
}

/// A key for the request/response table: the tag (case folded) within its TCP
/// conversation, hashed into the key's two 16-bit numbers.
fn key(tag: &[u8], net: &NetInfo, request: bool, ports: (u16, u16)) -> TransactionKey {
    let (client, server, client_port, server_port) = if request {
        (net.src, net.dst, ports.0, ports.1)
    } else {
        (net.dst, net.src, ports.1, ports.0)
    };
    let mut hash: u32 = 0x811c_9dc5;
    let mut eat = |b: u8| hash = (hash ^ u32::from(b)).wrapping_mul(0x0100_0193);
    client_port.to_be_bytes().into_iter().for_each(&mut eat);
    server_port.to_be_bytes().into_iter().for_each(&mut eat);
    tag.iter().for_each(|b| eat(b.to_ascii_lowercase()));
    TransactionKey {
        tag: 0,
        proto: 143,
        requester: client,
        responder: server,
        id: (hash >> 16) as u16,
        seq: hash as u16,
    }
}

/// Dissects an IMAP segment; `request` when it goes to the server.
#[allow(clippy::too_many_arguments)]
pub fn dissect<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    net: &NetInfo,
    _info: Option<&TcpFrameInfo>,
    payload: &'a [u8],
    at: usize,
    request: bool,
    ports: (u16, u16),
) {
    d.set_protocol("IMAP");
    let item = d.add(IMAP, at, payload.len(), Value::None);
    d.push_layer("imap");
    d.begin(item);
    d.add_hidden(ISREQUEST, at, 0, Value::Bool(request));
    let kind = if request { "Request" } else { "Response" };
    let mut first_line = true;
    let mut messages: Vec<(usize, usize)> = Vec::new();
    let mut last_len = 0usize;
    let mut offset = 0usize;
    while offset < payload.len() {
        let line = line_at(payload, offset);
        last_len = line.len;
        let text = payload
            .get(line.start..line.start + line.len)
            .unwrap_or(&[]);
        let whole = payload.get(line.start..line.next).unwrap_or(&[]);
        if text.first() == Some(&b'*') {
            add_line(d, at + line.start, whole);
            // A literal's bytes follow the line: a message, which tshark hands to IMF
            // (its tree after IMAP's; its Info instead of IMAP's).
            let skip = literal(text).unwrap_or(0);
            let end = line.next.saturating_add(skip).min(payload.len());
            if skip > 0 && end > line.next {
                messages.push((line.next, end));
                first_line = false;
            }
            offset = end;
            continue;
        }
        if first_line {
            d.set_info(|| format!("{kind}: {}", format_text(text)));
            first_line = false;
        }
        let node = add_line(d, at + line.start, whole);
        d.begin(node);
        tagged_line(d, ctx, net, payload, at, line, request, ports);
        d.end();
        offset = line.next.max(offset + 1);
    }
    if first_line {
        // Only untagged lines: the first, as long as the last line was.
        let shown = payload.get(..last_len).unwrap_or(payload);
        d.set_info(|| format!("{kind}: {}", format_text(shown)));
    }
    d.end();
    for (start, end) in messages {
        d.set_protocol("IMAP/IMF");
        let msg = payload.get(start..end).unwrap_or(&[]);
        super::imf::dissect(d, msg, at + start);
    }
}

/// The fields of a line that does not start with `*`.
#[allow(clippy::too_many_arguments)]
fn tagged_line(
    d: &mut Dissection<'_>,
    ctx: &PacketContext<'_>,
    net: &NetInfo,
    payload: &[u8],
    at: usize,
    line: Line,
    request: bool,
    ports: (u16, u16),
) {
    let text = |from: usize, len: usize| payload.get(from..from + len).unwrap_or(&[]);
    let mut offset = line.start;
    let mut len = line.len;
    if len != 0 {
        let field = if request { REQUEST } else { RESPONSE };
        d.add(field, at + offset, len, Value::owned_str(text(offset, len)));
    }
    let mut tag = None;
    let (tag_len, next) = token(payload, offset, len);
    if tag_len != 0 {
        let value = text(offset, tag_len);
        let field = if request { REQUEST_TAG } else { RESPONSE_TAG };
        d.add(field, at + offset, tag_len, Value::owned_str(value));
        d.add_hidden(TAG, at + offset, tag_len, Value::owned_str(value));
        tag = Some(value);
        len -= next - offset;
        offset = next;
    }
    let (word_len, next) = token(payload, offset, len);
    if word_len != 0 {
        let word = text(offset, word_len);
        let is_uid = b"UID"
            .get(..word_len)
            .is_some_and(|u| u.eq_ignore_ascii_case(word));
        let mut command: Option<(Vec<u8>, usize)> = None;
        if request && is_uid {
            d.add(UID, at + offset, word_len, Value::Bool(true));
            let rest = len - (next - offset);
            let (cmd_len, cmd_next) = token(payload, next, rest);
            if cmd_len != 0 {
                d.add(
                    REQUEST_COMMAND,
                    at + next,
                    cmd_len,
                    Value::owned_str(text(next, cmd_len)),
                );
                d.add_hidden(COMMAND, at + offset, word_len, Value::owned_str(word));
                command = Some((text(next, cmd_len).to_ascii_lowercase(), cmd_next));
            }
        } else {
            let field = if request {
                REQUEST_COMMAND
            } else {
                RESPONSE_STATUS
            };
            d.add(field, at + offset, word_len, Value::owned_str(word));
            if request {
                d.add_hidden(COMMAND, at + offset, word_len, Value::owned_str(word));
                command = Some((word.to_ascii_lowercase(), next));
            }
        }
        if let Some((cmd, after)) = command {
            let rest = len.saturating_sub(after - offset);
            let (arg_len, arg_next) = token(payload, after, rest);
            let is = |name: &str| name.as_bytes().starts_with(&cmd);
            if FOLDER_COMMANDS.iter().any(|n| is(n)) {
                if arg_len != 0 {
                    d.add(
                        FOLDER,
                        at + after,
                        arg_len,
                        Value::owned_str(text(after, arg_len)),
                    );
                }
            } else if len > 0 && is("copy") {
                let rest = len.saturating_sub(arg_next - offset);
                let (folder_len, _) = token(payload, arg_next, rest);
                if folder_len != 0 {
                    let folder = text(arg_next, folder_len);
                    d.add(FOLDER, at + arg_next, folder_len, Value::owned_str(folder));
                }
            } else if is("login") {
                // tshark reads the user after the command token, the password after
                // that without its surrounding quotes.
                let user_rest = len.saturating_sub(next - offset);
                let (user_len, user_next) = token(payload, next, user_rest);
                d.add(
                    USERNAME,
                    at + next,
                    user_len,
                    Value::owned_str(text(next, user_len)),
                );
                let pass_rest = len.saturating_sub(user_next - offset);
                let (pass_len, _) = token(payload, user_next, pass_rest);
                if pass_len >= 2 {
                    let password = text(user_next + 1, pass_len - 2);
                    d.add(
                        PASSWORD,
                        at + user_next,
                        pass_len,
                        Value::owned_str(password),
                    );
                }
            }
        }
        if !request {
            let rest = len.saturating_sub(next - offset);
            let (cmd_len, _) = token(payload, next, rest);
            if cmd_len > 0 {
                let value = text(next, cmd_len);
                d.add(
                    RESPONSE_COMMAND,
                    at + next,
                    cmd_len,
                    Value::owned_str(value),
                );
                d.add_hidden(COMMAND, at + next, cmd_len, Value::owned_str(value));
            }
        }
    }
    let (Some(tag), Some(analysis)) = (tag, ctx.analysis) else {
        return;
    };
    let key = key(tag, net, request, ports);
    let now = ctx.record.ts_nanos;
    if let Some((frame, ts)) = analysis.request_link(ctx.number, &key, now, !request)
        && !request
    {
        d.add_generated(RESPONSE_TO, 0, 0, Value::Frame(frame));
        d.add_generated(TIME, 0, 0, Value::Time(now.saturating_sub(ts)));
    }
}

/// An `imap.line` item, labelled as tshark labels it (control characters escaped,
/// a backslash left as it is).
fn add_line(d: &mut Dissection<'_>, at: usize, line: &[u8]) -> usize {
    d.add_labeled(LINE, at, line.len(), Value::owned_str(line), || {
        format!("Line: {}", super::telnet::escaped(line))
    })
}

#[cfg(test)]
mod tests {
    use super::{line_at, literal, token};
    use crate::dissect::ftp_data::tests::loaded_frame;
    use crate::dissect::testing::{field, with_frame, with_truncated};

    /// imap_session.pcap frame 9: LOGIN with its user and password.
    #[test]
    fn login_request() {
        with_frame("imap_session.pcap", 9, |d| {
            assert_eq!(d.columns.protocol, "IMAP");
            assert_eq!(d.columns.info, "Request: NOKG1 LOGIN bob \"secret\"");
            assert_eq!(field(d, "imap.request_tag"), "NOKG1");
            assert_eq!(field(d, "imap.request.command"), "LOGIN");
            assert_eq!(field(d, "imap.request.username"), "bob");
            assert_eq!(field(d, "imap.request.password"), "secret");
        });
        // Cut inside the password: no password.
        with_truncated("imap_session.pcap", 9, 86, |d| {
            assert_eq!(field(d, "imap.request.username"), "bob");
        });
    }

    /// imap_session.pcap frame 12: untagged lines, then the tagged completion that
    /// answers the SELECT of frame 11.
    #[test]
    fn tagged_response_links_its_request() {
        loaded_frame("imap_session.pcap", 12, |d| {
            assert_eq!(
                d.columns.info,
                "Response: NOKG2 OK [READ-WRITE] SELECT completed"
            );
            assert_eq!(field(d, "imap.response.status"), "OK");
            assert_eq!(field(d, "imap.response.command"), "[READ-WRITE]");
            assert_eq!(field(d, "imap.response_to"), "11");
            assert_eq!(d.values(super::LINE).count(), 4);
        });
    }

    #[test]
    fn lines_tokens_and_literals() {
        let l = line_at(b"a b\r\nc", 0);
        assert_eq!((l.len, l.next), (3, 5));
        let l = line_at(b"a b\r\nc", 5);
        assert_eq!((l.len, l.next), (1, 6));
        assert_eq!(token(b"ab cd", 0, 5), (2, 3));
        assert_eq!(token(b"abcd", 0, 4), (4, 4));
        assert_eq!(token(b"ab", 0, 10), (0, 0));
        assert_eq!(literal(b"* 1 FETCH (RFC822 {76}"), Some(76));
        assert_eq!(literal(b"* 1 FETCH (RFC822 {x}"), None);
        assert_eq!(literal(b"}"), None);
    }
}
