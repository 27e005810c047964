//! Telnet (RFC 854, TCP port 23): data lines, and the commands an IAC byte starts
//! (option negotiation WILL/WONT/DO/DONT, suboptions between SB and SE), with the
//! option names and the suboption bodies tshark 4.0 decodes (terminal type, window
//! size, remote flow control, X display location).

use super::field::kinds::*;
use super::tree::{Dissection, Expert, Severity};
use super::value::Value;
use std::borrow::Cow;

/// Telnet's port.
pub const PORT: u16 = 23;

const IAC: u8 = 255;
const SB: u8 = 250;
const WILL: u8 = 251;
const WONT: u8 = 252;
const DO: u8 = 253;
const DONT: u8 = 254;

#[rustfmt::skip]
const COMMANDS: &[(u64, &str)] = &[
    (236, "End of File"), (237, "Suspend Current Process"), (238, "Abort Process"),
    (239, "End of Record"), (240, "Suboption End"), (241, "No Operation"), (242, "Data Mark"),
    (243, "Break"), (244, "Interrupt Process"), (245, "Abort Output"), (246, "Are You There?"),
    (247, "Escape Character"), (248, "Erase Line"), (249, "Go Ahead"), (250, "Suboption"),
    (251, "Will"), (252, "Won't"), (253, "Do"), (254, "Don't"),
];

/// How a suboption's parameters are checked and shown.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Body {
    /// The option has no suboption negotiation.
    NoSuboption,
    /// Exactly this many bytes, shown as option data.
    Fixed(usize),
    /// At least this many bytes, shown as option data.
    AtLeast(usize),
    /// IS/SEND and a string (terminal type, X display location).
    Text,
    /// Width and height.
    WindowSize,
    /// One command byte.
    FlowControl,
}

use Body::*;

/// The options tshark 4.0 names, by code, with how their suboptions read.
#[rustfmt::skip]
const OPTIONS: &[(&str, Body)] = &[
    ("Binary Transmission", NoSuboption), ("Echo", NoSuboption), ("Reconnection", NoSuboption),
    ("Suppress Go Ahead", NoSuboption), ("Approx Message Size Negotiation", NoSuboption),
    ("Status", AtLeast(1)), ("Timing Mark", NoSuboption), ("Remote Controlled Trans and Echo", AtLeast(1)),
    ("Output Line Width", AtLeast(0)), ("Output Page Size", AtLeast(0)),
    ("Output Carriage-Return Disposition", Fixed(2)), ("Output Horizontal Tab Stops", AtLeast(1)),
    ("Output Horizontal Tab Disposition", Fixed(2)), ("Output Formfeed Disposition", Fixed(2)),
    ("Output Vertical Tabstops", AtLeast(1)), ("Output Vertical Tab Disposition", Fixed(2)),
    ("Output Linefeed Disposition", Fixed(2)), ("Extended ASCII", Fixed(2)), ("Logout", NoSuboption),
    ("Byte Macro", AtLeast(2)), ("Data Entry Terminal", AtLeast(2)), ("SUPDUP", NoSuboption),
    ("SUPDUP Output", AtLeast(1)), ("Send Location", AtLeast(0)), ("Terminal Type", Text),
    ("End of Record", NoSuboption), ("TACACS User Identification", Fixed(4)), ("Output Marking", AtLeast(1)),
    ("Terminal Location Number", AtLeast(1)), ("Telnet 3270 Regime", AtLeast(1)),
    ("X.3 PAD", AtLeast(1)), ("Negotiate About Window Size", WindowSize),
    ("Terminal Speed", AtLeast(1)), ("Remote Flow Control", FlowControl), ("Linemode", AtLeast(1)),
    ("X Display Location", Text), ("Environment Option", AtLeast(1)),
    ("Authentication Option", AtLeast(1)), ("Encryption Option", AtLeast(1)),
    ("New Environment Option", AtLeast(1)), ("TN3270E", AtLeast(1)), ("XAUTH", AtLeast(1)),
    ("CHARSET", AtLeast(1)), ("Remote Serial Port", AtLeast(1)), ("COM Port Control", AtLeast(1)),
    ("Suppress Local Echo", NoSuboption), ("Start TLS", AtLeast(1)), ("KERMIT", AtLeast(1)),
    ("SEND-URL", AtLeast(1)), ("FORWARD_X", AtLeast(1)),
];

const FLOW_COMMANDS: &[(u64, &str)] = &[
    (0, "OFF"),
    (1, "ON"),
    (2, "RESTART-ANY"),
    (3, "RESTART-XON"),
];

crate::define_fields! { after super::ftp_data::END;
    TELNET = "telnet", "Telnet", PROTO;
    CMD = "telnet.cmd", "Command", dec_named(8, COMMANDS);
    SUBCMD = "telnet.subcmd", "Subcommand", dec(8);
    DATA = "telnet.data", "Data", STR;
    OPTION_DATA = "telnet.option_data", "Option data", BYTES;
    SUBCOMMAND_DATA = "telnet.subcommand_data", "Subcommand data", BYTES;
    STRING_VALUE = "telnet.string_subopt.value", "Value", STR;
    NAWS_WIDTH = "telnet.naws_subopt.width", "Width", dec(16);
    NAWS_HEIGHT = "telnet.naws_subopt.height", "Height", dec(16);
    RFC_CMD = "telnet.rfc_subopt.cmd", "Command", dec_named(8, FLOW_COMMANDS);
}

fn option(code: u8) -> Option<&'static (&'static str, Body)> {
    OPTIONS.get(usize::from(code))
}

fn option_name(code: u8) -> &'static str {
    option(code).map_or("<unknown option>", |o| o.0)
}

/// Dissects a Telnet segment at `at`.
pub fn dissect<'a>(d: &mut Dissection<'a>, payload: &'a [u8], at: usize) {
    d.set_protocol("TELNET");
    d.set_info(|| "Telnet Data ...".to_string());
    let item = d.add(TELNET, at, payload.len(), Value::None);
    d.push_layer("telnet");
    d.begin(item);
    let mut offset = 0usize;
    while offset < payload.len() {
        let Some(iac) = unescaped_iac(payload, offset) else {
            data_lines(d, payload, at, offset, payload.len());
            break;
        };
        data_lines(d, payload, at, offset, iac);
        match command(d, payload, at, iac) {
            Some(next) if next > iac => offset = next,
            // A command cut by the end of the capture.
            _ => break,
        }
    }
    d.end();
}

/// The first IAC at or after `from` that is not the escape of a data byte 255.
fn unescaped_iac(payload: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    loop {
        i += payload.get(i..)?.iter().position(|b| *b == IAC)?;
        if payload.get(i + 1) != Some(&IAC) {
            return Some(i);
        }
        i += 2;
    }
}

/// `payload[from..to]` as `Data:` lines: CR LF, LF, or CR NUL end a line; a lone CR
/// swallows what follows up to one of those, as tshark reads it.
fn data_lines<'a>(d: &mut Dissection<'a>, payload: &'a [u8], at: usize, from: usize, to: usize) {
    let mut offset = from;
    while offset < to {
        let rest = payload.get(offset..to).unwrap_or(&[]);
        let mut next = match rest.iter().position(|b| *b == b'\r' || *b == b'\n') {
            None => to,
            Some(p) if rest.get(p) == Some(&b'\r') && rest.get(p + 1) == Some(&b'\n') => {
                offset + p + 2
            }
            Some(p) => offset + p + 1,
        };
        let one_char_end = next > offset && payload.get(next - 1) == Some(&b'\r');
        if one_char_end && next < to && payload.get(next) != Some(&b'\n') {
            let mut last_cr = true;
            while next < to {
                let c = payload.get(next).copied().unwrap_or(0);
                next += 1;
                if c == b'\n' || (c == 0 && last_cr) {
                    break;
                }
                last_cr = c == b'\r';
            }
        }
        let line = payload.get(offset..next).unwrap_or(&[]);
        d.add_labeled(
            DATA,
            at + offset,
            line.len(),
            Value::owned_str(line),
            || format!("Data: {}", escaped(line)),
        );
        offset = next;
    }
}

/// One command at `start` (its IAC); answers where the next item starts.
fn command<'a>(
    d: &mut Dissection<'a>,
    payload: &'a [u8],
    at: usize,
    start: usize,
) -> Option<usize> {
    let code = *payload.get(start + 1)?;
    let verb = match code {
        WILL => Some("Will"),
        WONT => Some("Won't"),
        DO => Some("Do"),
        DONT => Some("Don't"),
        SB => Some("Suboption"),
        _ => None,
    };
    let Some(verb) = verb else {
        let name = COMMANDS
            .iter()
            .find(|(c, _)| *c == u64::from(code))
            .map_or("<unknown option>", |(_, n)| *n);
        let node = d.text(at + start, 2, || name.to_string());
        d.begin(node);
        d.add(CMD, at + start + 1, 1, Value::UInt(u64::from(code)));
        d.end();
        return Some(start + 2);
    };
    let Some(&opt) = payload.get(start + 2) else {
        // The option byte is missing: tshark's read throws (a malformed packet).
        let node = d.text(at + start, 2, || verb.to_string());
        d.begin(node);
        d.add(CMD, at + start + 1, 1, Value::UInt(u64::from(code)));
        d.end();
        return None;
    };
    let name = option_name(opt);
    let end = if code == SB {
        suboption_end(payload, start + 3)
    } else {
        start + 3
    };
    let node = d.text(at + start, end - start, || format!("{verb} {name}"));
    d.begin(node);
    d.add(CMD, at + start + 1, 1, Value::UInt(u64::from(code)));
    let sub = d.add_labeled(
        SUBCMD,
        at + start + 2,
        1,
        Value::UInt(u64::from(opt)),
        || format!("Subcommand: {name}"),
    );
    if code == SB {
        d.begin(sub);
        suboption(d, payload, at, opt, start + 3, end, sub);
        d.end();
    }
    d.end();
    Some(end)
}

/// Where a suboption's parameters end: the next IAC that does not escape a 255 (or
/// the end of the segment).
fn suboption_end(payload: &[u8], from: usize) -> usize {
    let mut i = from;
    while let Some(p) = payload
        .get(i..)
        .and_then(|r| r.iter().position(|b| *b == IAC))
    {
        let iac = i + p;
        if payload.get(iac + 1) != Some(&IAC) {
            return iac;
        }
        i = iac + 2;
    }
    payload.len().max(from)
}

/// A suboption's parameters `payload[from..to]` (escaped 255s undone first).
fn suboption<'a>(
    d: &mut Dissection<'a>,
    payload: &'a [u8],
    at: usize,
    opt: u8,
    from: usize,
    to: usize,
    item: usize,
) {
    let raw = payload.get(from..to).unwrap_or(&[]);
    if raw.is_empty() {
        return;
    }
    let escapes = raw.windows(2).filter(|w| w == &[IAC, IAC]).count();
    let len = raw.len() - escapes;
    let body = option(opt).map(|o| o.1);
    let check = |d: &mut Dissection<'a>, ok: bool, message: String| {
        if !ok {
            let warning = Expert {
                severity: Severity::Warning,
                group: "Protocol",
                protocol: "TELNET",
                message: Cow::Owned(message),
            };
            d.expert(item, warning);
        }
        ok
    };
    let name = option_name(opt);
    match body {
        Some(NoSuboption) => {
            check(d, false, "Bogus suboption data".to_string());
        }
        Some(WindowSize) => {
            if check(d, len == 4, length_message(raw.len(), 4, true)) {
                let get = |i: usize| crate::bytes::be_u16(raw, i).map_or(0, u64::from);
                d.add(NAWS_WIDTH, at + from, 2, Value::UInt(get(0)));
                d.add(NAWS_HEIGHT, at + from + 2, 2, Value::UInt(get(2)));
            }
        }
        Some(FlowControl) => {
            if check(d, len == 1, length_message(raw.len(), 1, true)) {
                let cmd = raw.first().copied().unwrap_or(0);
                d.add(RFC_CMD, at + from, 1, Value::UInt(u64::from(cmd)));
            }
        }
        Some(Text) => {
            if !check(d, len >= 1, length_message(raw.len(), 1, false)) {
                return;
            }
            let cmd = raw.first().copied().unwrap_or(0);
            let rest = crate::bytes::tail(raw, 1);
            let label = match cmd {
                0 => format!("Here's my {name}"),
                1 => format!("Send your {name}"),
                _ => String::new(),
            };
            if label.is_empty() {
                let message = format!("Invalid {name} subcommand {cmd}");
                check(d, false, message);
                if !rest.is_empty() {
                    let value = Value::Bytes(Cow::Borrowed(rest));
                    d.add(SUBCOMMAND_DATA, at + from + 1, rest.len(), value);
                }
                return;
            }
            d.add_labeled(SUBCMD, at + from, 1, Value::UInt(u64::from(cmd)), || label);
            if rest.is_empty() {
                return;
            }
            if cmd == 0 {
                d.add(
                    STRING_VALUE,
                    at + from + 1,
                    rest.len(),
                    Value::owned_str(rest),
                );
            } else {
                let value = Value::Bytes(Cow::Borrowed(rest));
                d.add_labeled(SUBCOMMAND_DATA, at + from + 1, rest.len(), value, || {
                    "Extra data".to_string()
                });
            }
        }
        Some(Fixed(n)) => {
            if check(d, len == n, length_message(raw.len(), n, true)) {
                option_data(d, raw, at + from);
            }
        }
        Some(AtLeast(n)) => {
            if check(d, len >= n, length_message(raw.len(), n, false)) {
                option_data(d, raw, at + from);
            }
        }
        None => option_data(d, raw, at + from),
    }
}

/// Text as tshark 4.0 labels a string field: C escapes for the usual control
/// characters, octal for the others, a backslash as it is.
pub(super) fn escaped(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\{:03o}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

fn length_message(len: usize, want: usize, exact: bool) -> String {
    let bound = if exact { "" } else { "at least " };
    format!("Suboption parameter length is {len}, should be {bound}{want}")
}

fn option_data<'a>(d: &mut Dissection<'a>, raw: &'a [u8], at: usize) {
    d.add(OPTION_DATA, at, raw.len(), Value::Bytes(Cow::Borrowed(raw)));
}

#[cfg(test)]
mod tests {
    use super::dissect;
    use crate::dissect::Dissection;
    use crate::dissect::testing::{field, with_frame, with_truncated};

    /// telnet_session.pcap frame 4: the server's four option requests.
    #[test]
    fn negotiation() {
        with_frame("telnet_session.pcap", 4, |d| {
            assert_eq!(d.columns.protocol, "TELNET");
            assert_eq!(d.columns.info, "Telnet Data ...");
            assert_eq!(field(d, "telnet.cmd"), "253,251,251,253");
            assert_eq!(field(d, "telnet.subcmd"), "24,1,3,31");
        });
        // Cut inside the second command, after its verb.
        with_truncated("telnet_session.pcap", 4, 71, |d| {
            assert_eq!(field(d, "telnet.cmd"), "253,251");
            assert_eq!(field(d, "telnet.subcmd"), "24");
        });
    }

    /// telnet_session.pcap: the window size and the terminal type suboptions.
    #[test]
    fn suboptions() {
        with_frame("telnet_session.pcap", 14, |d| {
            assert_eq!(field(d, "telnet.naws_subopt.width"), "80");
            assert_eq!(field(d, "telnet.naws_subopt.height"), "24");
            assert_eq!(field(d, "telnet.cmd"), "250,240");
        });
        with_frame("telnet_session.pcap", 17, |d| {
            assert_eq!(field(d, "telnet.string_subopt.value"), "XTERM");
            assert_eq!(field(d, "telnet.subcmd"), "24,0");
        });
    }

    #[test]
    fn labels_escape_as_tshark() {
        assert_eq!(super::escaped(b"\x18\x01a\r\n\\"), "\\030\\001a\\r\\n\\");
    }

    #[test]
    fn data_lines_and_escapes() {
        let mut d = Dissection::full();
        dissect(&mut d, b"a\r\0b\r\nc\xff\xffd", 0);
        assert_eq!(d.values(super::DATA).count(), 3);
        // A window size of the wrong length is flagged, not read.
        let mut d = Dissection::full();
        dissect(&mut d, b"\xff\xfa\x1f\x00\x50\xff\xf0", 0);
        assert_eq!(field(&d, "telnet.naws_subopt.width"), "");
        assert_eq!(d.experts.len(), 1);
        // An IAC at the very end, and an unknown option.
        let mut d = Dissection::full();
        dissect(&mut d, b"\xff\xfb\xc8\xff", 0);
        assert_eq!(field(&d, "telnet.subcmd"), "200");
    }
}
