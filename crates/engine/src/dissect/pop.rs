//! POP3 (RFC 1939): a command and its parameter, or a reply's `+OK`/`-ERR` indicator
//! and description; the lines of a multi-line reply shown as text. A message a `RETR`
//! or `TOP` retrieves arrives as DATA fragments (the `+OK` reply's octet count says how
//! many bytes, `tcp/smtp_link.rs` counts them) and the segment that completes it hands
//! the joined message to IMF, as tshark does.

use super::context::{PacketContext, PduParts, SmtpPdu, TcpFrameInfo};
use super::field::kinds::*;
use super::format_text::format_text;
use super::lines;
use super::tree::Dissection;
use super::value::Value;

/// POP3's port.
pub const PORT: u16 = 110;

crate::define_fields! { after super::ftp::END;
    POP = "pop", "Post Office Protocol", PROTO;
    REQUEST = "pop.request", "Request", STR;
    REQUEST_COMMAND = "pop.request.command", "Request command", STR;
    REQUEST_PARAMETER = "pop.request.parameter", "Request parameter", STR;
    RESPONSE = "pop.response", "Response", STR;
    RESPONSE_INDICATOR = "pop.response.indicator", "Response indicator", STR;
    RESPONSE_DESCRIPTION = "pop.response.description", "Response description", STR;
    DATA_FRAGMENTS = "pop.data.fragments", "DATA fragments", NONE;
    DATA_FRAGMENT = "pop.data.fragment", "DATA fragment", FRAME;
    DATA_FRAGMENT_COUNT = "pop.data.fragment.count", "DATA fragment count", dec(32);
    DATA_REASSEMBLED_LENGTH = "pop.data.reassembled.length", "Reassembled DATA length", dec(32);
}

/// Whether a segment between these ports is POP3.
pub fn is_pop_port(sport: u16, dport: u16) -> bool {
    sport == PORT || dport == PORT
}

/// Dissects a POP3 segment; `request` when it goes to the server.
pub fn dissect<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    info: Option<&TcpFrameInfo>,
    payload: &'a [u8],
    at: usize,
    request: bool,
) {
    d.open_protocol(POP, (at, payload.len()), "pop", "POP");
    let pdu = ctx
        .analysis
        .zip(info)
        .and_then(|(a, i)| a.pop(ctx.number, i.stream, payload, request));
    match pdu {
        Some(SmtpPdu::Message) => {
            d.end();
            let (side, n) = (if request { "C" } else { "S" }, payload.len());
            d.set_info(|| super::imf::data_fragment_info(side, n));
            return;
        }
        Some(SmtpPdu::Eom { parts, .. }) => {
            message(d, ctx.number, payload, at, parts);
            return;
        }
        _ => {}
    }
    for (i, (start, line)) in lines::split(payload).enumerate() {
        let line_at = at + start;
        let text = lines::trim_eol(line);
        let field = if request { REQUEST } else { RESPONSE };
        let node = if i == 0 {
            d.add_labeled(field, line_at, line.len(), Value::owned_str(text), || {
                super::value::string_label_text(line)
            })
        } else {
            d.text(line_at, line.len(), || {
                super::value::string_label_text(line)
            })
        };
        if i > 0 {
            continue;
        }
        d.set_info(|| {
            let side = if request { "C" } else { "S" };
            format!("{side}: {}", format_text(lines::first_line(payload)))
        });
        let (word, rest) = lines::word_and_rest(text);
        let rest_at = line_at + text.len() - rest.len();
        d.begin(node);
        let (first, second) = if request {
            (REQUEST_COMMAND, REQUEST_PARAMETER)
        } else {
            (RESPONSE_INDICATOR, RESPONSE_DESCRIPTION)
        };
        d.add(first, line_at, word.len(), Value::owned_str(word));
        if !rest.is_empty() {
            d.add(second, rest_at, rest.len(), Value::owned_str(rest));
        }
        d.end();
    }
    d.end();
}

/// The segment that completes a retrieved message: the fragment list and the joined
/// message, dissected by IMF.
fn message(d: &mut Dissection<'_>, number: u32, payload: &[u8], at: usize, parts: PduParts) {
    let fields = super::fragments::PartFields {
        list: DATA_FRAGMENTS,
        part: DATA_FRAGMENT,
        count: DATA_FRAGMENT_COUNT,
        length: DATA_REASSEMBLED_LENGTH,
    };
    let whole = super::imf::join_data_fragments(d, &fields, number, payload, at, parts);
    d.end();
    super::imf::dissect_joined(d, whole, "Reassembled DATA", "POP/IMF");
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_frame, with_truncated};

    /// pop_session.pcap frames 6 (`USER bob`) and 16 (`+OK 76 octets` and the message).
    #[test]
    fn request_and_reply() {
        with_frame("pop_session.pcap", 6, |d| {
            assert_eq!(field(d, "pop.request.command"), "USER");
            assert_eq!(field(d, "pop.request.parameter"), "bob");
            assert_eq!(d.columns.info, "C: USER bob");
        });
        with_frame("pop_session.pcap", 16, |d| {
            assert_eq!(field(d, "pop.response.indicator"), "+OK");
            assert_eq!(field(d, "pop.response.description"), "76 octets");
            assert_eq!(d.columns.info, "S: +OK 76 octets");
        });
    }

    /// A reply cut inside its first line keeps what arrived.
    #[test]
    fn truncated() {
        with_truncated("pop_session.pcap", 16, 70, |d| {
            assert_eq!(field(d, "pop.response.indicator"), "+OK");
        });
    }
}
