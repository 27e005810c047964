//! SMTP (RFC 5321): commands and their parameter, replies (several lines joined with
//! ` | ` in the Info column, as tshark does), and the message text a client sends after
//! `DATA`, shown as DATA fragments until the segment with the end-of-message line,
//! where the fragments are joined and handed to IMF (`tcp/smtp_link.rs` follows the
//! session).

use super::context::{Later, PacketContext, PduParts, SmtpPdu, TcpFrameInfo};
use super::field::kinds::*;
use super::format_text::format_text;
use super::lines;
use super::tree::Dissection;
use super::value::Value;

/// SMTP's port.
pub const PORT: u16 = 25;
/// Message submission (RFC 6409), which tshark's SMTP registers too.
pub const SUBMISSION_PORT: u16 = 587;

#[rustfmt::skip]
const RESPONSE_CODES: &[(u64, &str)] = &[
    (211, "System status, or system help reply"), (214, "Help message"),
    (220, "<domain> Service ready"), (221, "<domain> Service closing transmission channel"),
    (235, "Authentication successful"), (250, "Requested mail action okay, completed"),
    (251, "User not local; will forward to <forward-path>"),
    (252, "Cannot VRFY user, but will accept message and attempt delivery"),
    (334, "AUTH input"), (354, "Start mail input; end with <CRLF>.<CRLF>"),
    (421, "<domain> Service not available, closing transmission channel"),
    (432, "A password transition is needed"),
    (450, "Requested mail action not taken: mailbox unavailable"),
    (451, "Requested action aborted: local error in processing"),
    (452, "Requested action not taken: insufficient system storage"),
    (454, "Temporary authentication failed"), (500, "Syntax error, command unrecognized"),
    (501, "Syntax error in parameters or arguments"), (502, "Command not implemented"),
    (503, "Bad sequence of commands"), (504, "Command parameter not implemented"),
    (530, "Authentication required"), (534, "Authentication mechanism is too weak"),
    (535, "Authentication credentials invalid"),
    (538, "Encryption required for requested authentication mechanism"),
    (550, "Requested action not taken: mailbox unavailable"),
    (551, "User not local; please try <forward-path>"),
    (552, "Requested mail action aborted: exceeded storage allocation"),
    (553, "Requested action not taken: mailbox name not allowed"), (554, "Transaction failed"),
];

/// Commands a client line starts with (RFC 5321 and its extensions).
const COMMANDS: &[&str] = &[
    "HELO", "EHLO", "MAIL", "RCPT", "DATA", "RSET", "VRFY", "EXPN", "HELP", "NOOP", "QUIT",
    "STARTTLS", "AUTH", "BDAT", "ETRN", "TURN", "ATRN", "SIZE", "XCLIENT", "XEXCH50",
];

crate::define_fields! { after super::pop::END;
    SMTP = "smtp", "Simple Mail Transfer Protocol", PROTO;
    REQ = "smtp.req", "Request", flag(0, 0);
    RSP = "smtp.rsp", "Response", flag(0, 0);
    COMMAND_LINE = "smtp.command_line", "Command Line", STR;
    REQ_COMMAND = "smtp.req.command", "Command", STR;
    REQ_PARAMETER = "smtp.req.parameter", "Request parameter", STR;
    RESPONSE = "smtp.response", "Response", STR;
    RESPONSE_CODE = "smtp.response.code", "Response code", dec_named(32, RESPONSE_CODES);
    RSP_PARAMETER = "smtp.rsp.parameter", "Response parameter", STR;
    AUTH_USERNAME = "smtp.auth.username", "Username", STR;
    AUTH_PASSWORD = "smtp.auth.password", "Password", STR;
    EOM = "smtp.eom", "EOM", NONE;
    DATA_FRAGMENTS = "smtp.data.fragments", "DATA fragments", NONE;
    DATA_FRAGMENT = "smtp.data.fragment", "DATA fragment", FRAME;
    DATA_FRAGMENT_COUNT = "smtp.data.fragment.count", "DATA fragment count", dec(32);
    DATA_REASSEMBLED_IN = "smtp.data.reassembled.in", "Reassembled DATA in frame", FRAME;
    DATA_REASSEMBLED_LENGTH = "smtp.data.reassembled.length", "Reassembled DATA length", dec(32);
}

/// Whether a segment between these ports is SMTP.
pub fn is_smtp_port(sport: u16, dport: u16) -> bool {
    [PORT, SUBMISSION_PORT]
        .iter()
        .any(|p| sport == *p || dport == *p)
}

/// The SMTP port of a segment between these ports (the server's, when the handshake
/// was not seen): 25, else 587.
pub fn server_port(sport: u16, dport: u16) -> u16 {
    if sport == PORT || dport == PORT {
        PORT
    } else {
        SUBMISSION_PORT
    }
}

/// Whether `word` is one of the commands tshark knows.
pub fn is_command(word: &[u8]) -> bool {
    COMMANDS
        .iter()
        .any(|c| c.as_bytes().eq_ignore_ascii_case(word))
}

/// The rest of an `AUTH LOGIN` command line after the mechanism (empty when the
/// line is `AUTH LOGIN` alone, as tshark tells the two apart by the line's length).
pub fn auth_login(line: &[u8]) -> Option<&[u8]> {
    let head = line.get(..10)?;
    if !head.eq_ignore_ascii_case(b"AUTH LOGIN") {
        return None;
    }
    Some(crate::bytes::tail(line, 11))
}

/// Dissects an SMTP segment; `request` when it goes to the server. A client segment is
/// a command, message text after `DATA` (a DATA fragment) or the end of a message, as
/// the session's state says; the end hands the whole message to IMF.
pub fn dissect<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    info: Option<&TcpFrameInfo>,
    payload: &'a [u8],
    at: usize,
    request: bool,
) {
    d.open_protocol(SMTP, (at, payload.len()), "smtp", "SMTP");
    // The answers to AUTH LOGIN's prompts: every line is the username or password.
    let mut answer = None;
    if !request {
        // The server's replies move the session's AUTH exchange on.
        if let Some((a, i)) = ctx.analysis.zip(info) {
            a.smtp(ctx.number, i.stream, payload, false);
        }
    } else {
        let by_state = ctx
            .analysis
            .zip(info)
            .and_then(|(a, i)| a.smtp(ctx.number, i.stream, payload, true));
        // Without a session (a lone frame), text that starts with no command is taken
        // for message text.
        let pdu = by_state.unwrap_or_else(|| {
            let first = lines::split(payload).next().map_or(&[][..], |(_, l)| l);
            let (word, _) = lines::word_and_rest(lines::trim_eol(first));
            if is_command(word) {
                SmtpPdu::Command
            } else {
                SmtpPdu::Message
            }
        });
        match pdu {
            SmtpPdu::Command => {}
            SmtpPdu::AuthUser => answer = Some((AUTH_USERNAME, "User: ")),
            SmtpPdu::AuthPass => answer = Some((AUTH_PASSWORD, "Pass: ")),
            SmtpPdu::Message => {
                super::ftp_data::text_lines(d, payload, at);
                if let Some(end) = ctx
                    .analysis
                    .and_then(|a| a.later(ctx.number, Later::SmtpMessage))
                {
                    d.add_generated_labeled(DATA_REASSEMBLED_IN, Value::Frame(end), || {
                        format!("Reassembled DATA in frame: {end}")
                    });
                }
                d.end();
                let n = payload.len();
                d.set_info(|| super::imf::data_fragment_info("C", n));
                return;
            }
            SmtpPdu::Eom { parts, own, line } => {
                end_of_message(
                    d,
                    ctx.number,
                    payload,
                    at,
                    parts,
                    (own as usize, line as usize),
                );
                return;
            }
        }
    }
    if !d.keeps_fields() && !d.columns_on() {
        // Commands and replies make fields and Info text only: none in the load pass.
        d.end();
        return;
    }
    let mut info = String::new();
    let mut opened = false;
    // The previous reply line said more lines follow ("250-…").
    let mut continues = false;
    for (i, (start, line)) in lines::split(payload).enumerate() {
        let line_at = at + start;
        let text = lines::trim_eol(line);
        if request {
            info.push_str(if i == 0 { "C: " } else { " | " });
            if i == 0 {
                d.add_hidden(REQ, line_at, 0, Value::Bool(true));
            }
            if let Some((field, prefix)) = answer {
                // tshark shows the answer as it came (base64), its own item in
                // place of a command line.
                info.push_str(prefix);
                info.push_str(&format_text(text));
                d.add(field, line_at, text.len(), Value::owned_str(text));
                continue;
            }
            // Pipelined commands each join the Info column; AUTH LOGIN's initial
            // response is the username.
            let login_user = auth_login(text).filter(|u| !u.is_empty());
            match login_user {
                Some(user) => {
                    info.push_str(&format_text(text.get(..11).unwrap_or(text)));
                    info.push_str("User: ");
                    info.push_str(&format_text(user));
                }
                None => info.push_str(&format_text(text)),
            }
            let node = d.add_labeled(
                COMMAND_LINE,
                line_at,
                line.len(),
                Value::owned_str(text),
                || format!("Command Line: {}", super::value::string_label_text(line)),
            );
            let (word, rest) = lines::word_and_rest(text);
            d.begin(node);
            d.add(REQ_COMMAND, line_at, word.len(), Value::owned_str(word));
            if !rest.is_empty() {
                let rest_at = line_at + text.len() - rest.len();
                d.add(REQ_PARAMETER, rest_at, rest.len(), Value::owned_str(rest));
            }
            if let Some(user) = login_user {
                let user_at = line_at + text.len() - user.len();
                d.add(AUTH_USERNAME, user_at, user.len(), Value::owned_str(user));
            }
            d.end();
            continue;
        }
        let parameter = crate::bytes::tail(text, 4);
        // A line after a reply's last line starts another reply (pipelining): it
        // shows whole; a continuation line shows its parameter.
        let new_reply = i == 0 || !continues;
        continues = text.get(3) == Some(&b'-');
        if i == 0 {
            d.add_hidden(RSP, line_at, 0, Value::Bool(true));
            info = format!("S: {}", format_text(text));
        } else if new_reply {
            info.push_str(" | ");
            info.push_str(&format_text(text));
        } else {
            info.push_str(" | ");
            info.push_str(&format_text(parameter));
        }
        // tshark 4.0 makes a reply's first line its Response item; each line's
        // parameter goes under it.
        if new_reply {
            if opened {
                d.end();
            }
            let node = d.add_labeled(
                RESPONSE,
                line_at,
                line.len(),
                Value::owned_str(text),
                || format!("Response: {}", super::value::string_label_text(line)),
            );
            d.begin(node);
            if let Some(code) = text
                .get(..3)
                .and_then(|c| std::str::from_utf8(c).ok())
                .and_then(|c| c.parse::<u32>().ok())
            {
                d.add(RESPONSE_CODE, line_at, 3, Value::UInt(u64::from(code)));
            }
            opened = true;
        }
        if !parameter.is_empty() {
            d.add(
                RSP_PARAMETER,
                line_at + 4,
                parameter.len(),
                Value::owned_str(parameter),
            );
        }
    }
    if opened {
        d.end();
    }
    d.end();
    d.set_info(|| info);
}

/// The segment with the end-of-message line: the fragments of the message (earlier
/// ones in `parts`, then this segment's first `own` bytes) and the message itself,
/// dissected by IMF from the reassembled bytes.
fn end_of_message(
    d: &mut Dissection<'_>,
    number: u32,
    payload: &[u8],
    at: usize,
    parts: PduParts,
    (own, line): (usize, usize),
) {
    d.add_labeled(EOM, at, line, Value::None, || "C: .".to_string());
    d.set_info(|| "C: .".to_string());
    let own_bytes = payload.get(..own).unwrap_or(payload);
    if parts.parts.is_empty() && own_bytes.is_empty() {
        d.end();
        return;
    }
    let fields = super::fragments::PartFields {
        list: DATA_FRAGMENTS,
        part: DATA_FRAGMENT,
        count: DATA_FRAGMENT_COUNT,
        length: DATA_REASSEMBLED_LENGTH,
    };
    let whole = super::imf::join_data_fragments(d, &fields, number, own_bytes, at, parts);
    d.end();
    d.end();
    super::imf::dissect_joined(d, whole, "Reassembled SMTP", "SMTP/IMF");
}

#[cfg(test)]
mod tests {
    use crate::dissect::context::{
        Analysis, Linked, PduParts, SmtpPdu, TcpFrameInfo, TcpSegment, Teaching, TransactionKey,
    };
    use crate::dissect::testing::{field, with_ethernet_answered, with_frame, with_truncated};

    /// What a load's SMTP session would say of every segment: `0`.
    struct Says(SmtpPdu);

    impl Analysis for Says {
        fn tcp(&self, _: u32, _: &TcpSegment<'_>) -> Option<TcpFrameInfo> {
            Some(TcpFrameInfo::default())
        }
        fn teaching(&self, _: u32, _: &TcpSegment<'_>) -> Option<Teaching> {
            None
        }
        fn transaction(&self, _: u32, _: &TransactionKey, _: bool) -> Option<Linked> {
            None
        }
        fn pdu_parts(&self, _: u32) -> Option<PduParts> {
            None
        }
        fn smtp(&self, _: u32, _: u32, _: &[u8], _: bool) -> Option<SmtpPdu> {
            Some(self.0.clone())
        }
    }

    /// smtp.pcap (realjimmy/sample-captures) frame 12: the client's answer to the
    /// server's username prompt after AUTH LOGIN.
    #[rustfmt::skip]
    const AUTH_USER: [u8; 84] = [
        0x00, 0x1f, 0x33, 0xd9, 0x81, 0x60, 0x00, 0xe0, 0x1c, 0x3c, 0x17, 0xc2,
        0x08, 0x00, 0x45, 0x00, 0x00, 0x46, 0x25, 0x29, 0x40, 0x00, 0x80, 0x06,
        0xf3, 0xac, 0x0a, 0x0a, 0x01, 0x04, 0x4a, 0x35, 0x8c, 0x99, 0x05, 0xbe,
        0x00, 0x19, 0x7e, 0xc4, 0x53, 0xc6, 0xae, 0xec, 0x63, 0x00, 0x50, 0x18,
        0xfe, 0xaf, 0x22, 0xa4, 0x00, 0x00, 0x5a, 0x33, 0x56, 0x79, 0x63, 0x47,
        0x46, 0x79, 0x64, 0x47, 0x46, 0x77, 0x51, 0x48, 0x42, 0x68, 0x64, 0x48,
        0x4a, 0x70, 0x62, 0x33, 0x52, 0x7a, 0x4c, 0x6d, 0x6c, 0x75, 0x0d, 0x0a,
    ];

    /// The answers to AUTH LOGIN's prompts: tshark's "User: "/"Pass: " before the
    /// base64 text, which is smtp.auth.username/password (not a command line).
    #[test]
    fn auth_login_answers() {
        let user = "Z3VycGFydGFwQHBhdHJpb3RzLmlu";
        with_ethernet_answered(&AUTH_USER, Some(&Says(SmtpPdu::AuthUser)), |d| {
            assert_eq!(d.columns.info, format!("C: User: {user}"));
            assert_eq!(field(d, "smtp.auth.username"), user);
            assert_eq!(field(d, "smtp.command_line"), "");
        });
        with_ethernet_answered(&AUTH_USER, Some(&Says(SmtpPdu::AuthPass)), |d| {
            assert_eq!(d.columns.info, format!("C: Pass: {user}"));
            assert_eq!(field(d, "smtp.auth.password"), user);
        });
        // A command line: as it came.
        with_ethernet_answered(&AUTH_USER, Some(&Says(SmtpPdu::Command)), |d| {
            assert_eq!(d.columns.info, format!("C: {user}"));
        });
        // RFC 4954's initial response on the command line is the username.
        assert_eq!(
            super::auth_login(b"AUTH LOGIN dXNlcg=="),
            Some(&b"dXNlcg=="[..])
        );
        assert_eq!(super::auth_login(b"AUTH LOGIN"), Some(&b""[..]));
        assert_eq!(super::auth_login(b"AUTH PLAIN"), None);
    }

    /// smtp_session.pcap frame 8: a three-line EHLO reply.
    #[test]
    fn multi_line_reply() {
        with_frame("smtp_session.pcap", 8, |d| {
            assert_eq!(field(d, "smtp.response.code"), "250");
            assert_eq!(
                d.columns.info,
                "S: 250-mail.example.test Hello | SIZE 1000000 | 8BITMIME"
            );
        });
    }

    /// smtp_session.pcap frames 6 (EHLO) and 15 (message text after DATA).
    #[test]
    fn command_and_data() {
        with_frame("smtp_session.pcap", 6, |d| {
            assert_eq!(field(d, "smtp.req.command"), "ehlo");
            assert_eq!(field(d, "smtp.req.parameter"), "client.example.test");
        });
        with_frame("smtp_session.pcap", 15, |d| {
            assert_eq!(d.columns.info, "C: DATA fragment, 548 bytes");
        });
        with_truncated("smtp_session.pcap", 8, 80, |d| {
            assert_eq!(field(d, "smtp.response.code"), "250");
        });
    }
}
