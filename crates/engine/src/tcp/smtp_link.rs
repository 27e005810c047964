//! SMTP sessions as tshark's single pass follows them: a client's `DATA` command turns
//! its next segments into message text (DATA fragments) until a segment holds the
//! end-of-message line (`.`), where the fragments form the message handed to IMF.
//!
//! The load pass keeps each open message's bytes (up to [`SMTP_MESSAGE_BYTES`]) and
//! records, per frame, what each client segment was; the finished analysis reads the
//! fragments back from the capture.

use super::results::Sparse;
use crate::dissect::context::{PduParts, SMTP_MESSAGE_BYTES, SmtpPdu};
use crate::dissect::lines;
use crate::dissect::smtp;
use rustc_hash::FxHashMap;
use std::sync::LazyLock;

/// What a client segment was, as recorded for the finished analysis (command segments
/// are not recorded: they are the default).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SmtpRecord {
    /// A DATA fragment.
    Message,
    /// The end of a message: its earlier fragments' frames, the bytes of the segment
    /// before the end-of-message line, and that line's length.
    Eom {
        /// Frames of the earlier fragments, in order.
        frames: Vec<u32>,
        /// Bytes of this segment that belong to the message.
        own: u32,
        /// Length of the end-of-message line without its line end.
        line: u32,
    },
    /// The answer to `AUTH LOGIN`'s username prompt.
    AuthUser,
    /// The answer to its password prompt.
    AuthPass,
}

/// Where an `AUTH LOGIN` exchange stands (tshark's `smtp_auth_state_t`, the states
/// LOGIN goes through): each `334` prompt from the server asks for the next answer.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Auth {
    /// No `AUTH LOGIN` seen, or the exchange is over.
    #[default]
    None,
    /// `AUTH LOGIN` sent; the server's prompt asks for the username.
    Start,
    /// The server asked for the username.
    UserAsked,
    /// The client sent the username (or `AUTH LOGIN` carried it).
    UserSent,
    /// The server asked for the password.
    PassAsked,
    /// The client sent the password; the next reply ends the exchange.
    PassSent,
}

/// A message's fragments so far, their bytes kept only while the message stays within
/// [`SMTP_MESSAGE_BYTES`] (a fragment past the budget is kept as an empty part).
#[derive(Debug, Default)]
struct Fragments {
    parts: PduParts,
}

impl Fragments {
    /// Adds frame `frame`'s `payload`, kept if the budget has room for it.
    fn push(&mut self, frame: u32, payload: &[u8]) {
        let room = SMTP_MESSAGE_BYTES.saturating_sub(self.parts.bytes.len());
        let kept = if payload.len() <= room { payload } else { &[] };
        self.parts.push(frame, kept);
    }

    /// The fragments, leaving none (and the whole budget) for the next message.
    fn take(&mut self) -> PduParts {
        std::mem::take(self).parts
    }
}

/// One session's state (tshark's `smtp_session_state`, the parts this reads).
#[derive(Debug, Default)]
struct Session {
    /// After `DATA`, until the end-of-message line.
    reading_data: bool,
    /// A `DATA` command was seen (text that is no command is then message text).
    data_seen: bool,
    /// The session left tshark's start state (where text that is no command is
    /// message text too): only `DATA`, `BDAT`, `AUTH` and `STARTTLS` move it on.
    left_start: bool,
    /// The previous data segment ended with CRLF (so a `.` line may open the next).
    crlf_seen: bool,
    /// The `AUTH LOGIN` exchange.
    auth: Auth,
    /// The open message's fragments.
    fragments: Fragments,
}

/// The load pass's SMTP sessions, by TCP stream.
#[derive(Debug, Default)]
pub struct SmtpTracker {
    sessions: FxHashMap<u32, Session>,
}

impl SmtpTracker {
    /// Classifies a client segment of `stream` and moves the session on, as tshark
    /// reads it line by line (the last line decides, so a pipelined `DATA` followed by
    /// text in one segment is text).
    pub fn client_segment(&mut self, frame: u32, stream: u32, payload: &[u8]) -> SmtpPdu {
        let session = self.sessions.entry(stream).or_default();
        let mut pdu = SmtpPdu::Command;
        // An answer to a prompt makes the whole segment that answer.
        let mut answer = None;
        let ends_with_crlf = payload.ends_with(b"\r\n");
        for (start, line) in lines::split(payload) {
            if session.reading_data {
                // Every line from here is message text up to the end-of-message line,
                // which is searched for rather than met line by line (a message's
                // segments hold dozens of lines each).
                let eom = end_of_message(payload, start, session.crlf_seen, ends_with_crlf);
                session.crlf_seen = ends_with_crlf;
                let Some(at) = eom else {
                    pdu = SmtpPdu::Message;
                    break;
                };
                session.reading_data = false;
                let rest = crate::bytes::tail(payload, at);
                let line = lines::split(rest).next().map_or(rest, |(_, l)| l);
                let parts = session.fragments.take();
                return SmtpPdu::Eom {
                    parts,
                    own: u32::try_from(at).unwrap_or(u32::MAX),
                    line: u32::try_from(lines::trim_eol(line).len()).unwrap_or(u32::MAX),
                };
            }
            let (word, _) = lines::word_and_rest(lines::trim_eol(line));
            if smtp::is_command(word) {
                if [&b"BDAT"[..], b"AUTH", b"STARTTLS"]
                    .iter()
                    .any(|c| word.eq_ignore_ascii_case(c))
                {
                    session.left_start = true;
                }
                if word.eq_ignore_ascii_case(b"DATA") {
                    session.reading_data = true;
                    session.data_seen = true;
                }
                if let Some(rest) = smtp::auth_login(lines::trim_eol(line)) {
                    // RFC 4954's initial response: the username rides on the command.
                    session.auth = if rest.is_empty() {
                        Auth::Start
                    } else {
                        Auth::UserSent
                    };
                }
                pdu = SmtpPdu::Command;
            } else if session.auth == Auth::UserAsked {
                session.auth = Auth::UserSent;
                answer = Some(SmtpPdu::AuthUser);
            } else if session.auth == Auth::PassAsked {
                session.auth = Auth::PassSent;
                answer = Some(SmtpPdu::AuthPass);
            } else {
                pdu = if session.data_seen || !session.left_start {
                    SmtpPdu::Message
                } else {
                    SmtpPdu::Command
                };
            }
        }
        if pdu == SmtpPdu::Message {
            session.fragments.push(frame, payload);
        }
        match answer {
            Some(answer) if pdu == SmtpPdu::Command => answer,
            _ => pdu,
        }
    }

    /// Reads a server segment of `stream` for the `AUTH LOGIN` exchange: each reply
    /// line's code moves it on (`334` asks for the next answer; after the password
    /// any other code ends it).
    pub fn server_segment(&mut self, stream: u32, payload: &[u8]) {
        let Some(session) = self.sessions.get_mut(&stream) else {
            return;
        };
        for (_, line) in lines::split(payload) {
            let code = line.get(..3).filter(|c| c.iter().all(u8::is_ascii_digit));
            let Some(code) = code else {
                continue;
            };
            session.auth = match (code, session.auth) {
                (b"334", Auth::Start) => Auth::UserAsked,
                (b"334", Auth::UserSent) => Auth::PassAsked,
                (b"334", other) => other,
                (_, Auth::PassSent) => Auth::None,
                (_, other) => other,
            };
        }
    }
}

/// Where the end-of-message line of a message's text is in `payload`, from the line at
/// `start` on, as tshark's line-by-line reading finds it: a line that starts
/// `\r\n.\r\n`, or `.\r\n` when the text before ended with CRLF (`crlf_seen` for the
/// line at `start`, `ends_with_crlf`, whether this segment does, for the later ones).
fn end_of_message(
    payload: &[u8],
    start: usize,
    crlf_seen: bool,
    ends_with_crlf: bool,
) -> Option<usize> {
    let opens = |at: usize, seen: bool| {
        let rest = crate::bytes::tail(payload, at);
        (seen && rest.starts_with(b".\r\n")) || rest.starts_with(b"\r\n.\r\n")
    };
    if opens(start, crlf_seen) {
        return Some(start);
    }
    // A later line that ends the message holds `\n.\r\n` from its line end on: the
    // line just past that `\n` (`.\r\n`), or an empty line ending with it, just past
    // an earlier `\n` (`\r\n.\r\n`), the earlier of the two.
    static DOT_LINE: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new(b"\n.\r\n"));
    let mut from = start;
    while let Some(found) = DOT_LINE.find(crate::bytes::tail(payload, from)) {
        let q = from + found;
        if q >= start + 2 && payload.get(q - 2) == Some(&b'\n') && opens(q - 1, ends_with_crlf) {
            return Some(q - 1);
        }
        if opens(q + 1, ends_with_crlf) {
            return Some(q + 1);
        }
        from = q + 1;
    }
    None
}

/// One POP session's state (tshark's `pop_data_val`): after `RETR`/`TOP`, the `+OK`
/// reply's octet count, then the server's segments counted until they reach it.
#[derive(Debug, Default)]
struct PopSession {
    /// A `RETR` or `TOP` asked for a message.
    msg_request: bool,
    /// The message's size the `+OK` reply announced.
    total: u64,
    /// Bytes of the message's segments so far.
    read: u64,
    /// The message's fragments.
    fragments: Fragments,
}

/// The load pass's POP sessions, by TCP stream.
#[derive(Debug, Default)]
pub struct PopTracker {
    sessions: FxHashMap<u32, PopSession>,
}

impl PopTracker {
    /// Classifies a segment of a POP session (`request`: from the client) as tshark's
    /// single pass does: after a `RETR`/`TOP` and its `+OK N octets` reply, each
    /// server segment is a DATA fragment until they add up to N bytes; that segment
    /// completes the message (the same shapes as SMTP's).
    pub fn segment(&mut self, frame: u32, stream: u32, payload: &[u8], request: bool) -> SmtpPdu {
        let session = self.sessions.entry(stream).or_default();
        if request {
            let word = lines::word_and_rest(lines::trim_eol(payload)).0;
            if word.eq_ignore_ascii_case(b"RETR") || word.eq_ignore_ascii_case(b"TOP") {
                *session = PopSession {
                    msg_request: true,
                    ..PopSession::default()
                };
            }
            return SmtpPdu::Command;
        }
        if !session.msg_request {
            return SmtpPdu::Command;
        }
        // Until a message byte has been counted, a `+OK` reply (re)states the size (the
        // bytes after its first line are not counted, as in tshark); one without a
        // count ends the retrieval ("+OK bye" after a message the reply carried whole).
        if payload.starts_with(b"+OK ") && session.read == 0 {
            let first = lines::trim_eol(lines::split(payload).next().map_or(&[][..], |(_, l)| l));
            let count = first
                .split(|b| *b == b' ')
                .nth(1)
                .and_then(|n| std::str::from_utf8(n).ok())
                .and_then(|n| n.parse::<u64>().ok());
            match count {
                Some(n) => session.total = n,
                None => session.msg_request = false,
            }
            return SmtpPdu::Command;
        }
        session.read = session.read.saturating_add(payload.len() as u64);
        if session.read < session.total {
            session.fragments.push(frame, payload);
            return SmtpPdu::Message;
        }
        let parts = session.fragments.take();
        *session = PopSession::default();
        SmtpPdu::Eom {
            parts,
            own: u32::try_from(payload.len()).unwrap_or(u32::MAX),
            line: 0,
        }
    }
}

/// The record of a classification (none for commands).
pub fn record_of(pdu: &SmtpPdu) -> Option<SmtpRecord> {
    match pdu {
        SmtpPdu::Command => None,
        SmtpPdu::Message => Some(SmtpRecord::Message),
        SmtpPdu::AuthUser => Some(SmtpRecord::AuthUser),
        SmtpPdu::AuthPass => Some(SmtpRecord::AuthPass),
        SmtpPdu::Eom { parts, own, line } => Some(SmtpRecord::Eom {
            frames: parts.frames(),
            own: *own,
            line: *line,
        }),
    }
}

/// The records of a load: each recorded client segment by frame.
pub type SmtpRecords = Sparse<SmtpRecord>;

#[cfg(test)]
mod tests {
    use super::*;

    /// The line-by-line reading [`SmtpTracker::client_segment`] searches instead:
    /// tshark's loop as it was written first, for the comparison below.
    fn line_by_line(session: &mut Session, frame: u32, payload: &[u8]) -> SmtpPdu {
        let mut pdu = SmtpPdu::Command;
        let ends_with_crlf = payload.ends_with(b"\r\n");
        for (start, line) in lines::split(payload) {
            let rest = crate::bytes::tail(payload, start);
            if session.reading_data {
                let eom = (session.crlf_seen && rest.starts_with(b".\r\n"))
                    || rest.starts_with(b"\r\n.\r\n");
                session.crlf_seen = ends_with_crlf;
                if eom {
                    session.reading_data = false;
                    return SmtpPdu::Eom {
                        parts: session.fragments.take(),
                        own: u32::try_from(start).unwrap_or(u32::MAX),
                        line: u32::try_from(lines::trim_eol(line).len()).unwrap_or(u32::MAX),
                    };
                }
                pdu = SmtpPdu::Message;
                continue;
            }
            let (word, _) = lines::word_and_rest(lines::trim_eol(line));
            if smtp::is_command(word) {
                if word.eq_ignore_ascii_case(b"DATA") {
                    session.reading_data = true;
                    session.data_seen = true;
                }
                if [&b"BDAT"[..], b"AUTH", b"STARTTLS"]
                    .iter()
                    .any(|c| word.eq_ignore_ascii_case(c))
                {
                    session.left_start = true;
                }
                pdu = SmtpPdu::Command;
            } else {
                pdu = if session.data_seen || !session.left_start {
                    SmtpPdu::Message
                } else {
                    SmtpPdu::Command
                };
            }
        }
        if pdu == SmtpPdu::Message {
            session.fragments.push(frame, payload);
        }
        pdu
    }

    /// Searching for the end-of-message line finds what reading line by line finds,
    /// on segments made of the pieces that matter (dots, bare and full line ends,
    /// DATA), with the session's state compared after each.
    #[test]
    fn end_of_message_search_reads_as_line_by_line() {
        const PIECES: &[&[u8]] = &[
            b"DATA\r\n",
            b"MAIL FROM:<a@b>\r\n",
            b".\r\n",
            b"\r\n",
            b"text\r\n",
            b"\n",
            b".",
            b"\r",
            b"x",
            b"\r\n.\r\n",
            b"\n.\r\n",
            b"QUIT\r\n",
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..400 {
            let mut tracker = SmtpTracker::default();
            let mut reference = Session::default();
            for frame in 1..12 {
                let mut payload = Vec::new();
                for _ in 0..next(9) {
                    payload.extend_from_slice(PIECES[next(PIECES.len())]);
                }
                let expected = line_by_line(&mut reference, frame, &payload);
                let got = tracker.client_segment(frame, 7, &payload);
                assert_eq!(got, expected, "{:?}", String::from_utf8_lossy(&payload));
                let session = &tracker.sessions[&7];
                assert_eq!(
                    (session.reading_data, session.data_seen, session.crlf_seen),
                    (
                        reference.reading_data,
                        reference.data_seen,
                        reference.crlf_seen
                    )
                );
            }
        }
    }

    /// RETR, `+OK N octets`, then segments counted to N: fragments, then the one that
    /// completes the message; a reply that carried the message whole leaves the next
    /// reply a reply.
    #[test]
    fn pop_retrieval_counts_octets() {
        let mut t = PopTracker::default();
        assert_eq!(t.segment(1, 3, b"RETR 1\r\n", true), SmtpPdu::Command);
        assert_eq!(
            t.segment(2, 3, b"+OK 10 octets\r\nabc", false),
            SmtpPdu::Command
        );
        assert_eq!(t.segment(3, 3, b"0123456", false), SmtpPdu::Message);
        let done = t.segment(4, 3, b"789.\r\n", false);
        assert!(matches!(&done, SmtpPdu::Eom { parts, own: 6, .. } if parts.parts.len() == 1));
        assert_eq!(t.segment(5, 3, b"+OK bye\r\n", false), SmtpPdu::Command);
        let mut whole = PopTracker::default();
        whole.segment(1, 0, b"RETR 1\r\n", true);
        whole.segment(2, 0, b"+OK 4 octets\r\nabcd\r\n.\r\n", false);
        whole.segment(3, 0, b"QUIT\r\n", true);
        assert_eq!(whole.segment(4, 0, b"+OK bye\r\n", false), SmtpPdu::Command);
    }

    /// smtp.pcap (realjimmy/sample-captures) frames 10 to 16, a session's AUTH
    /// LOGIN: each `334` prompt makes the client's next line the username, then the
    /// password; the `235` after the password ends the exchange.
    #[test]
    fn auth_login_prompts_make_the_answers() {
        let mut t = SmtpTracker::default();
        assert_eq!(t.client_segment(10, 0, b"AUTH LOGIN\r\n"), SmtpPdu::Command);
        t.server_segment(0, b"334 VXNlcm5hbWU6\r\n");
        assert_eq!(
            t.client_segment(12, 0, b"Z3VycGFydGFwQHBhdHJpb3RzLmlu\r\n"),
            SmtpPdu::AuthUser
        );
        t.server_segment(0, b"334 UGFzc3dvcmQ6\r\n");
        assert_eq!(
            t.client_segment(14, 0, b"cHVuamFiQDEyMw==\r\n"),
            SmtpPdu::AuthPass
        );
        t.server_segment(0, b"235 Authentication succeeded\r\n");
        assert_eq!(
            t.client_segment(16, 0, b"MAIL FROM: <gurpartap@patriots.in>\r\n"),
            SmtpPdu::Command
        );
        // A line no prompt asked for is no answer.
        assert_eq!(
            t.client_segment(17, 0, b"cHVuamFiQDEyMw==\r\n"),
            SmtpPdu::Command
        );
        // The username on the command line: the first prompt asks for the password.
        let mut t = SmtpTracker::default();
        t.client_segment(1, 0, b"AUTH LOGIN dXNlcg==\r\n");
        t.server_segment(0, b"334 UGFzc3dvcmQ6\r\n");
        assert_eq!(t.client_segment(3, 0, b"cGFzcw==\r\n"), SmtpPdu::AuthPass);
    }

    fn eom_parts(pdu: &SmtpPdu) -> Option<(Vec<u32>, u32)> {
        match pdu {
            SmtpPdu::Eom { parts, own, .. } => Some((parts.frames(), *own)),
            _ => None,
        }
    }

    #[test]
    fn data_fragments_end_at_the_dot_line() {
        let mut t = SmtpTracker::default();
        assert_eq!(
            t.client_segment(1, 0, b"MAIL FROM:<a@x>\r\n"),
            SmtpPdu::Command
        );
        assert_eq!(t.client_segment(2, 0, b"DATA\r\n"), SmtpPdu::Command);
        assert_eq!(
            t.client_segment(3, 0, b"Subject: x\r\n\r\nbody\r\n"),
            SmtpPdu::Message
        );
        let end = t.client_segment(4, 0, b"more\r\n.\r\n");
        assert_eq!(eom_parts(&end), Some((vec![3], 6)));
        // Commands again after the message.
        assert_eq!(t.client_segment(5, 0, b"QUIT\r\n"), SmtpPdu::Command);
    }

    #[test]
    fn a_dot_line_alone_ends_the_message_when_the_text_ended_a_line() {
        let mut t = SmtpTracker::default();
        t.client_segment(1, 7, b"data\r\n");
        assert_eq!(t.client_segment(2, 7, b"text\r\n"), SmtpPdu::Message);
        assert_eq!(
            eom_parts(&t.client_segment(3, 7, b".\r\n")),
            Some((vec![2], 0))
        );
        // Before DATA, text that is no command is message text while the session is
        // in tshark's start state (a plain command does not leave it), a command line
        // once AUTH or STARTTLS moved it on.
        let mut fresh = SmtpTracker::default();
        assert_eq!(
            fresh.client_segment(1, 1, b"hello there\r\n"),
            SmtpPdu::Message
        );
        fresh.client_segment(2, 1, b"MAIL FROM:<a@b>\r\n");
        assert_eq!(fresh.client_segment(3, 1, b"bogus\r\n"), SmtpPdu::Message);
        fresh.client_segment(4, 1, b"AUTH LOGIN\r\n");
        assert_eq!(
            fresh.client_segment(5, 1, b"dXNlcg==\r\n"),
            SmtpPdu::Command
        );
        // A dot line in the middle of a text segment that does not end a line is text.
        t.client_segment(4, 7, b"DATA\r\n");
        assert_eq!(t.client_segment(5, 7, b"a\r\n.\r\nb"), SmtpPdu::Message);
    }
}
