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
    if request {
        let by_state = ctx
            .analysis
            .zip(info)
            .and_then(|(a, i)| a.smtp(ctx.number, i.stream, payload));
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
            // Pipelined commands each join the Info column.
            if i == 0 {
                d.add_hidden(REQ, line_at, 0, Value::Bool(true));
                info = format!("C: {}", format_text(text));
            } else {
                info.push_str(" | ");
                info.push_str(&format_text(text));
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
    use crate::dissect::testing::{field, with_frame, with_truncated};

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
