//! Syslog on UDP 514 (RFC 3164 and RFC 5424): the `<PRI>` that gives facility and
//! level, then the message, which tshark's tree splits further when it starts with a
//! BSD timestamp (`Mmm dd hh:mm:ss`) or RFC 5424's version `1 `.

use super::context::PacketContext;
use super::field::Base;
use super::field::kinds::*;
use super::format_text::format_text;
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;

#[rustfmt::skip]
const SHORT_FACILITIES: [&str; 24] = [
    "KERN", "USER", "MAIL", "DAEMON", "AUTH", "SYSLOG", "LPR", "NEWS", "UUCP", "CRON",
    "AUTHPRIV", "FTP", "NTP", "LOGAUDIT", "LOGALERT", "CRON", "LOCAL0", "LOCAL1", "LOCAL2",
    "LOCAL3", "LOCAL4", "LOCAL5", "LOCAL6", "LOCAL7",
];
const SHORT_LEVELS: [&str; 8] = [
    "EMERG", "ALERT", "CRIT", "ERR", "WARNING", "NOTICE", "INFO", "DEBUG",
];
#[rustfmt::skip]
const FACILITIES: &[(u64, &str)] = &[
    (0, "KERN - kernel messages"), (1, "USER - random user-level messages"),
    (2, "MAIL - mail system"), (3, "DAEMON - system daemons"),
    (4, "AUTH - security/authorization messages"),
    (5, "SYSLOG - messages generated internally by syslogd"),
    (6, "LPR - line printer subsystem"), (7, "NEWS - network news subsystem"),
    (8, "UUCP - UUCP subsystem"), (9, "CRON - clock daemon (BSD, Linux)"),
    (10, "AUTHPRIV - security/authorization messages (private)"), (11, "FTP - ftp daemon"),
    (12, "NTP - ntp subsystem"), (13, "LOGAUDIT - log audit"), (14, "LOGALERT - log alert"),
    (15, "CRON - clock daemon (Solaris)"), (16, "LOCAL0 - reserved for local use"),
    (17, "LOCAL1 - reserved for local use"), (18, "LOCAL2 - reserved for local use"),
    (19, "LOCAL3 - reserved for local use"), (20, "LOCAL4 - reserved for local use"),
    (21, "LOCAL5 - reserved for local use"), (22, "LOCAL6 - reserved for local use"),
    (23, "LOCAL7 - reserved for local use"),
];
#[rustfmt::skip]
const LEVELS: &[(u64, &str)] = &[
    (0, "EMERG - system is unusable"), (1, "ALERT - action must be taken immediately"),
    (2, "CRIT - critical conditions"), (3, "ERR - error conditions"),
    (4, "WARNING - warning conditions"), (5, "NOTICE - normal but significant condition"),
    (6, "INFO - informational"), (7, "DEBUG - debug-level messages"),
];

crate::define_fields! { after super::ocsp::END;
    SYSLOG = "syslog", "Syslog message", PROTO;
    FACILITY = "syslog.facility", "Facility", uint(8, Base::Dec, 0x3f8, Some(FACILITIES));
    LEVEL = "syslog.level", "Level", uint(8, Base::Dec, 0x7, Some(LEVELS));
    MSG = "syslog.msg", "Message", STR;
    VERSION = "syslog.version", "Syslog version", STR;
    TIMESTAMP = "syslog.timestamp", "Syslog timestamp", ABS_TIME_UTC;
    TIMESTAMP_RFC3164 = "syslog.timestamp_rfc3164", "Syslog timestamp (RFC3164)", STR;
    HOSTNAME = "syslog.hostname", "Syslog hostname", STR;
    APPNAME = "syslog.appname", "Syslog app name", STR;
    PROCID = "syslog.procid", "Syslog process id", STR;
    MSGID = "syslog.msgid", "Syslog message id", STR;
    MSGID_BOM = "syslog.msgid.bom", "Syslog BOM", hex(24);
}

/// Digits of the priority read at most (`<` is byte 0, so digits sit at 1 to 3).
const MAX_PRI_DIGITS: usize = 3;
/// Bytes tshark's Info column holds (COL_MAX_INFO_LEN less its NUL).
const MAX_INFO: usize = 4095;
/// Characters of a BSD tag read at most before giving up on a process id.
const MAX_TAG: usize = 32;

/// Dissects a syslog datagram's `payload`, which starts at `offset` in the frame.
pub fn dissect<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    offset: usize,
    payload: &'a [u8],
) {
    let (pri, msg_off) = priority(payload);
    let msg = payload.get(msg_off..).unwrap_or_default();
    if msg.is_empty() {
        // tshark reads the byte after the priority, or asks for a message of at
        // least one byte, and throws before it sets the Info column.
        d.push_layer("syslog");
        d.set_protocol("Syslog");
        d.set_info(String::new);
        super::truncated(d, ctx, payload, offset + payload.len(), "Syslog");
        return;
    }
    let text = format_text(msg);
    let head = pri.map(|pri| {
        let (fac, lev) = split(pri);
        let fac_name = SHORT_FACILITIES
            .get(usize::from(fac))
            .copied()
            .unwrap_or("UNKNOWN");
        let lev_name = SHORT_LEVELS
            .get(usize::from(lev))
            .copied()
            .unwrap_or("UNKNOWN");
        format!("{fac_name}.{lev_name}")
    });
    let item = d.open_protocol(SYSLOG, (offset, payload.len()), "syslog", "Syslog");
    d.set_info(|| {
        let mut info = match &head {
            Some(head) => format!("{head}: {text}"),
            None => text.clone(),
        };
        // tshark's Info column holds at most 4095 bytes.
        let mut cut = info.len().min(MAX_INFO);
        while !info.is_char_boundary(cut) {
            cut -= 1;
        }
        info.truncate(cut);
        info
    });
    if !d.keeps_fields_of(SYSLOG) {
        d.end();
        return;
    }
    d.set_label(item, || match &head {
        Some(head) => format!("Syslog message: {head}: {text}"),
        None => format!("Syslog message: (unknown): {text}"),
    });
    if let Some(pri) = pri {
        let (fac, lev) = split(pri);
        d.add(FACILITY, offset, msg_off, Value::UInt(u64::from(fac)));
        d.add(LEVEL, offset, msg_off, Value::UInt(u64::from(lev)));
    }
    let msg_at = offset + msg_off;
    let item = text_item(d, MSG, msg_at, msg);
    d.begin(item);
    // RFC 5424 section 6.2.2: VERSION is "1" followed by a space.
    if msg.len() > 2 && msg.starts_with(b"1 ") {
        rfc5424(d, msg_at, msg);
    } else if msg.len() > 15 {
        rfc3164(d, msg_at, msg);
    }
    d.end();
    d.end();
}

/// The priority `<N>` at the start (up to three digits, the `>` optional, as tshark
/// reads it) and where the message starts.
fn priority(payload: &[u8]) -> (Option<u16>, usize) {
    if bytes::u8_at(payload, 0) != Some(b'<') {
        return (None, 0);
    }
    let mut at = 1;
    let mut pri = 0u16;
    while at <= MAX_PRI_DIGITS {
        match bytes::u8_at(payload, at) {
            Some(b) if b.is_ascii_digit() => {
                pri = pri * 10 + u16::from(b - b'0');
                at += 1;
            }
            _ => break,
        }
    }
    if bytes::u8_at(payload, at) == Some(b'>') {
        at += 1;
    }
    (Some(pri), at)
}

/// RFC 5424 section 6.2.1: facility and severity packed in the priority.
fn split(pri: u16) -> (u8, u8) {
    (
        u8::try_from((pri & 0x3f8) >> 3).unwrap_or(u8::MAX),
        u8::try_from(pri & 0x7).unwrap_or(0),
    )
}

/// A string item over `raw` at `at`: its value ends at a NUL, and characters after
/// the NUL get tshark's warning. Every field but the message is read as ASCII, a
/// byte above 0x7f standing for U+FFFD.
fn text_item(d: &mut Dissection<'_>, field: super::FieldId, at: usize, raw: &[u8]) -> usize {
    let end = raw.iter().position(|&b| b == 0).unwrap_or(raw.len());
    let head = raw.get(..end).unwrap_or_default();
    let text = if field == MSG || head.is_ascii() {
        head.to_vec()
    } else {
        let mut out = Vec::with_capacity(head.len() + 8);
        for &b in head {
            if b.is_ascii() {
                out.push(b);
            } else {
                out.extend_from_slice("\u{fffd}".as_bytes());
            }
        }
        out
    };
    super::media::string_field(d, field, at, raw, text, "Syslog")
}

/// Adds `field` over the word at `at` up to the next space and returns where the
/// next word starts; `None` (nothing added) when no space follows.
fn word<'a>(
    d: &mut Dissection<'a>,
    base: usize,
    msg: &'a [u8],
    at: usize,
    field: super::FieldId,
) -> Option<usize> {
    let rest = msg.get(at..)?;
    let len = rest.iter().position(|&b| b == b' ')?;
    text_item(d, field, base + at, rest.get(..len).unwrap_or_default());
    Some(at + len + 1)
}

/// RFC 5424 section 6: VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID...
fn rfc5424<'a>(d: &mut Dissection<'a>, base: usize, msg: &'a [u8]) {
    let Some(at) = word(d, base, msg, 0, VERSION) else {
        return;
    };
    let Some(stamp) = msg
        .get(at..)
        .and_then(|r| r.iter().position(|&b| b == b' '))
    else {
        return;
    };
    if stamp > 0 {
        let text = msg.get(at..at + stamp).unwrap_or_default();
        // RFC 5424 section 6.2.3: an RFC 3339 time; tshark adds nothing it cannot read.
        if let Some(nanos) = std::str::from_utf8(text)
            .ok()
            .and_then(|t| t.parse::<jiff::Timestamp>().ok())
            .and_then(|t| i64::try_from(t.as_nanosecond()).ok())
        {
            d.add(TIMESTAMP, base + at, stamp, Value::Time(nanos));
        }
    }
    let mut at = at + stamp + 1;
    for field in [HOSTNAME, APPNAME, PROCID] {
        match word(d, base, msg, at, field) {
            Some(next) => at = next,
            None => return,
        }
    }
    let rest = msg.get(at..).unwrap_or_default();
    if rest.starts_with(&[0xef, 0xbb, 0xbf]) {
        d.add(MSGID_BOM, base + at, 3, Value::UInt(0xefbbbf));
        let text = rest.get(3..).unwrap_or_default();
        text_item(d, MSGID, base + at + 3, text);
    } else {
        text_item(d, MSGID, base + at, rest);
    }
}

/// RFC 3164 section 4.1.2: a 15-character TIMESTAMP and HOSTNAME, then the TAG,
/// whose alphanumeric run tshark shows as the process id and the rest as message id.
fn rfc3164<'a>(d: &mut Dissection<'a>, base: usize, msg: &'a [u8]) {
    let at = |i: usize| bytes::u8_at(msg, i);
    if !(at(3) == Some(b' ')
        && at(6) == Some(b' ')
        && at(9) == Some(b':')
        && at(12) == Some(b':')
        && at(15) == Some(b' '))
    {
        return;
    }
    text_item(
        d,
        TIMESTAMP_RFC3164,
        base,
        msg.get(..15).unwrap_or_default(),
    );
    let Some(mut next) = word(d, base, msg, 16, HOSTNAME) else {
        return;
    };
    let tag = msg.get(next..).unwrap_or_default();
    match tag
        .iter()
        .take(MAX_TAG)
        .position(|b| !b.is_ascii_alphanumeric())
    {
        Some(len) => {
            text_item(d, PROCID, base + next, tag.get(..len).unwrap_or_default());
            next += len;
        }
        // tshark reads on past the message's end for the tag's end and throws.
        None if tag.len() < MAX_TAG => {
            super::packet::malformed_pdu(d, "Syslog", base + msg.len(), 0);
            return;
        }
        None => {}
    }
    let rest = msg.get(next..).unwrap_or_default();
    text_item(d, MSGID, base + next, rest);
}

#[cfg(test)]
mod tests {
    use crate::dissect::Dissection;
    use crate::dissect::testing::{field, with_frame, with_patched, with_truncated};

    /// syslog_udp.pcap (tcpdump's tests) frame 1: a BSD message from `logger`, NUL
    /// ended.
    #[test]
    fn bsd_message() {
        with_frame("syslog_udp.pcap", 1, |d| {
            assert_eq!(d.columns.protocol, "Syslog");
            assert_eq!(
                d.columns.info,
                "KERN.NOTICE: Sep 12 19:16:12 through logger: test message 21\\000"
            );
            assert_eq!(field(d, "syslog.facility"), "0");
            assert_eq!(field(d, "syslog.level"), "5");
            assert_eq!(
                field(d, "syslog.msg"),
                "Sep 12 19:16:12 through logger: test message 21"
            );
            assert_eq!(field(d, "syslog.timestamp_rfc3164"), "Sep 12 19:16:12");
            assert_eq!(field(d, "syslog.hostname"), "through");
            assert_eq!(field(d, "syslog.procid"), "logger");
            assert_eq!(field(d, "syslog.msgid"), ": test message 21");
        });
    }

    /// Frame 3: rsyslog's ISO timestamp is neither format's start: no subfields.
    #[test]
    fn iso_timestamp_has_no_subfields() {
        with_frame("syslog_udp.pcap", 3, |d| {
            assert_eq!(field(d, "syslog.facility"), "1");
            assert_eq!(field(d, "syslog.hostname"), "");
            assert!(
                d.columns
                    .info
                    .starts_with("USER.NOTICE: 2013-09-12T19:16:34")
            );
        });
    }

    /// Cut right after the priority's digit (tshark throws: short) and inside the
    /// message; a priority too large for a facility name, one without its `>`, none at
    /// all, and one with no message after it (malformed). Checked against tshark 4.0
    /// on the same bytes.
    #[test]
    fn truncated_and_impossible() {
        // 42 bytes of headers, then `<5>`: cut after `<5`.
        with_truncated("syslog_udp.pcap", 1, 44, |d| {
            assert_eq!(d.columns.protocol, "Syslog");
            assert_eq!(d.columns.info, "[Packet size limited during capture]");
        });
        with_truncated("syslog_udp.pcap", 1, 60, |d| {
            assert_eq!(d.columns.info, "KERN.NOTICE: Sep 12 19:16:12");
        });
        let patched = |at: usize, with: &'static [u8], check: fn(&Dissection<'_>)| {
            with_patched(
                "syslog_udp.pcap",
                1,
                |b| {
                    if let Some(place) = b.get_mut(at..at + with.len()) {
                        place.copy_from_slice(with);
                    }
                },
                check,
            );
        };
        patched(42, b"<999>", |d| {
            assert!(d.columns.info.starts_with("UNKNOWN.DEBUG: p 12 19:16:12"));
            assert_eq!(field(d, "syslog.facility"), "124");
        });
        patched(43, b"99", |d| {
            assert!(d.columns.info.starts_with("NTP.ERR: Sep 12"));
        });
        patched(42, b"x", |d| {
            assert!(d.columns.info.starts_with("x5>Sep 12"));
            assert_eq!(field(d, "syslog.facility"), "");
        });
        // `<5>` and nothing after it (the lengths say 3 bytes; the record keeps the
        // frame's original length, so tshark's throw reads as a cut capture).
        with_patched(
            "syslog_udp.pcap",
            1,
            |b| {
                b.truncate(45);
                if let Some(len) = b.get_mut(38..40) {
                    len.copy_from_slice(&[0, 11]);
                }
                if let Some(len) = b.get_mut(16..18) {
                    len.copy_from_slice(&[0, 31]);
                }
            },
            |d| {
                assert_eq!(d.columns.info, "[Packet size limited during capture]");
                assert!(!d.has(super::SYSLOG));
            },
        );
    }
}
