//! FTP control connections (RFC 959, RFC 2428): one request or reply per segment, its
//! command or code and argument, and the data-connection addresses that `PORT`,
//! `PASV` and `EPSV` exchange.

use super::field::kinds::*;
use super::lines;
use super::tree::Dissection;
use super::value::Value;
use std::borrow::Cow;

/// FTP's control port.
pub const PORT: u16 = 21;

#[rustfmt::skip]
const RESPONSE_CODES: &[(u64, &str)] = &[
    (110, "Restart marker reply"), (120, "Service ready in nnn minutes"),
    (125, "Data connection already open; transfer starting"),
    (150, "File status okay; about to open data connection"), (200, "Command okay"),
    (202, "Command not implemented, superfluous at this site"),
    (211, "System status, or system help reply"), (212, "Directory status"), (213, "File status"),
    (214, "Help message"), (215, "NAME system type"), (220, "Service ready for new user"),
    (221, "Service closing control connection"),
    (225, "Data connection open; no transfer in progress"), (226, "Closing data connection"),
    (227, "Entering Passive Mode"), (229, "Entering Extended Passive Mode"),
    (230, "User logged in, proceed"),
    (232, "User logged in, authorized by security data exchange"),
    (234, "Security data exchange complete"),
    (235, "Security data exchange completed successfully"),
    (250, "Requested file action okay, completed"), (257, "PATHNAME created"),
    (331, "User name okay, need password"), (332, "Need account for login"),
    (334, "Requested security mechanism is ok"),
    (335, "Security data is acceptable, more is required"),
    (336, "Username okay, need password. Challenge is ..."),
    (350, "Requested file action pending further information"),
    (421, "Service not available, closing control connection"),
    (425, "Can't open data connection"), (426, "Connection closed; transfer aborted"),
    (431, "Need some unavailable resource to process security"),
    (450, "Requested file action not taken"),
    (451, "Requested action aborted: local error in processing"),
    (452, "Requested action not taken. Insufficient storage space in system"),
    (500, "Syntax error, command unrecognized"), (501, "Syntax error in parameters or arguments"),
    (502, "Command not implemented"), (503, "Bad sequence of commands"),
    (504, "Command not implemented for that parameter"), (522, "Network protocol not supported"),
    (530, "Not logged in"), (532, "Need account for storing files"),
    (533, "Command protection level denied for policy reasons"),
    (534, "Request denied for policy reasons"),
    (535, "Failed security check (hash, sequence, etc)"),
    (536, "Requested PROT level not supported by mechanism"),
    (537, "Command protection level not supported by security mechanism"),
    (550, "Requested action not taken: File unavailable"),
    (551, "Requested action aborted: page type unknown"),
    (552, "Requested file action aborted: Exceeded storage allocation"),
    (553, "Requested action not taken: File name not allowed"),
    (631, "Integrity protected reply"), (632, "Confidentiality and integrity protected reply"),
    (633, "Confidentiality protected reply"),
];

crate::define_fields! { after super::ipx::END;
    FTP = "ftp", "File Transfer Protocol (FTP)", PROTO;
    REQUEST = "ftp.request", "Request", flag(0, 0);
    RESPONSE = "ftp.response", "Response", flag(0, 0);
    REQUEST_COMMAND = "ftp.request.command", "Request command", STR;
    REQUEST_ARG = "ftp.request.arg", "Request arg", STR;
    RESPONSE_CODE = "ftp.response.code", "Response code", dec_named(32, RESPONSE_CODES);
    RESPONSE_ARG = "ftp.response.arg", "Response arg", STR;
    PASSIVE_IP = "ftp.passive.ip", "Passive IP address", IPV4;
    PASSIVE_PORT = "ftp.passive.port", "Passive port", dec(16);
    ACTIVE_IP = "ftp.active.cip", "Active IP address", IPV4;
    ACTIVE_PORT = "ftp.active.port", "Active port", dec(16);
    EPSV_PORT = "ftp.epsv.port", "Extended passive port", dec(16);
}

/// Whether a segment between these ports belongs to an FTP control connection.
pub fn is_ftp_port(sport: u16, dport: u16) -> bool {
    sport == PORT || dport == PORT
}

/// The address and port of `h1,h2,h3,h4,p1,p2` (RFC 959's host-port), found after the
/// first digit of `text`.
pub fn host_port(text: &[u8]) -> Option<([u8; 4], u16)> {
    let start = text.iter().position(u8::is_ascii_digit)?;
    let digits = crate::bytes::tail(text, start);
    let end = digits
        .iter()
        .position(|b| !b.is_ascii_digit() && *b != b',')
        .unwrap_or(digits.len());
    let list = std::str::from_utf8(digits.get(..end)?).ok()?;
    let n: Vec<u8> = list
        .split(',')
        .map(|p| p.parse::<u8>().ok())
        .collect::<Option<_>>()?;
    match n.as_slice() {
        [a, b, c, d, p1, p2] => Some(([*a, *b, *c, *d], u16::from(*p1) << 8 | u16::from(*p2))),
        _ => None,
    }
}

/// The port of an EPSV reply's `(|||port|)`.
fn epsv_port(text: &[u8]) -> Option<u16> {
    let open = text.iter().position(|b| *b == b'(')?;
    let inner = crate::bytes::tail(text, open + 1);
    let close = inner.iter().position(|b| *b == b')')?;
    let fields: Vec<&[u8]> = inner.get(..close)?.split(|b| *b == b'|').collect();
    std::str::from_utf8(fields.get(3)?).ok()?.parse().ok()
}

/// Dissects an FTP control segment; `request` when it goes to the server.
pub fn dissect<'a>(d: &mut Dissection<'a>, payload: &'a [u8], at: usize, request: bool) {
    let item = d.add(FTP, at, payload.len(), Value::None);
    d.push_layer("ftp");
    d.set_protocol("FTP");
    d.begin(item);
    for (i, (start, line)) in lines::split(payload).enumerate() {
        let line_at = at + start;
        let text = lines::trim_eol(line);
        let node = d.text(line_at, line.len(), || {
            super::value::string_label_text(line)
        });
        if i > 0 {
            continue;
        }
        let (word, arg) = lines::word_and_rest(text);
        let arg_at = line_at + text.len() - arg.len();
        d.set_info(|| {
            let kind = if request { "Request" } else { "Response" };
            format!("{kind}: {}", String::from_utf8_lossy(text))
        });
        d.begin(node);
        if request {
            d.add_hidden(REQUEST, line_at, 0, Value::Bool(true));
            d.add(REQUEST_COMMAND, line_at, word.len(), str_value(word));
            if !arg.is_empty() {
                d.add(REQUEST_ARG, arg_at, arg.len(), str_value(arg));
            }
            if word.eq_ignore_ascii_case(b"PORT")
                && let Some((ip, port)) = host_port(arg)
            {
                d.add(ACTIVE_IP, arg_at, arg.len(), Value::Ipv4(ip));
                d.add(ACTIVE_PORT, arg_at, arg.len(), Value::UInt(u64::from(port)));
            }
        } else {
            d.add_hidden(RESPONSE, line_at, 0, Value::Bool(true));
            if let Some(code) = std::str::from_utf8(word)
                .ok()
                .and_then(|w| w.trim_end_matches('-').parse::<u32>().ok())
            {
                d.add(RESPONSE_CODE, line_at, 3, Value::UInt(u64::from(code)));
                if !arg.is_empty() {
                    d.add(RESPONSE_ARG, arg_at, arg.len(), str_value(arg));
                }
                if code == 227
                    && let Some((ip, port)) = host_port(arg)
                {
                    d.add(PASSIVE_IP, arg_at, arg.len(), Value::Ipv4(ip));
                    d.add(
                        PASSIVE_PORT,
                        arg_at,
                        arg.len(),
                        Value::UInt(u64::from(port)),
                    );
                }
                if code == 229
                    && let Some(port) = epsv_port(arg)
                {
                    d.add(EPSV_PORT, arg_at, arg.len(), Value::UInt(u64::from(port)));
                }
            }
        }
        d.end();
    }
    d.end();
}

fn str_value(bytes: &[u8]) -> Value<'static> {
    Value::Str(Cow::Owned(bytes.to_vec()))
}

#[cfg(test)]
mod tests {
    use super::host_port;
    use crate::dissect::testing::{field, with_frame, with_truncated};

    /// ftp_session.pcap frame 16: the 227 reply naming the passive data port.
    #[test]
    fn passive_reply() {
        with_frame("ftp_session.pcap", 16, |d| {
            assert_eq!(field(d, "ftp.response.code"), "227");
            assert_eq!(field(d, "ftp.passive.ip"), "10.20.0.2");
            assert_eq!(field(d, "ftp.passive.port"), "54879");
            assert_eq!(
                d.columns.info,
                "Response: 227 Entering Passive Mode (10,20,0,2,214,95)"
            );
        });
    }

    /// ftp_session.pcap frame 6: `USER student`.
    #[test]
    fn request() {
        with_frame("ftp_session.pcap", 6, |d| {
            assert_eq!(field(d, "ftp.request.command"), "USER");
            assert_eq!(field(d, "ftp.request.arg"), "student");
            assert_eq!(d.columns.protocol, "FTP");
        });
        // Cut inside the line: what is there is still a request.
        with_truncated("ftp_session.pcap", 6, 70, |d| {
            assert_eq!(field(d, "ftp.request.command"), "USER");
        });
    }

    #[test]
    fn impossible_host_ports() {
        assert_eq!(host_port(b"(1,2,3,4,5,6)"), Some(([1, 2, 3, 4], 0x0506)));
        assert_eq!(host_port(b"(1,2,3,4,5,666)"), None);
        assert_eq!(host_port(b"(1,2,3)"), None);
        assert_eq!(host_port(b""), None);
    }
}
