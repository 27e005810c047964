//! FTP control connections (RFC 959, RFC 2428): one request or reply per segment, its
//! command or code and argument, and the data-connection addresses that `PORT`,
//! `PASV` and `EPSV` exchange.

use super::context::{FtpControl, FtpExpect, PacketContext, TcpFrameInfo};
use super::field::kinds::*;
use super::format_text::format_text;
use super::ipv4::{Addr, NetInfo};
use super::lines;
use super::tree::Dissection;
use super::value::Value;

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

const EPRT_FAMILIES: &[(u64, &str)] = &[(1, "IPv4"), (2, "IPv6")];

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
    PASSIVE_NAT = "ftp.passive.nat", "Passive IP NAT", flag(0, 0);
    ACTIVE_IP = "ftp.active.cip", "Active IP address", IPV4;
    ACTIVE_PORT = "ftp.active.port", "Active port", dec(16);
    ACTIVE_NAT = "ftp.active.nat", "Active IP NAT", flag(0, 0);
    EPRT_AF = "ftp.eprt.af", "Extended active address family", dec_named(8, EPRT_FAMILIES);
    EPRT_IP = "ftp.eprt.ip", "Extended active IP address", IPV4;
    EPRT_IPV6 = "ftp.eprt.ipv6", "Extended active IPv6 address", IPV6;
    EPRT_PORT = "ftp.eprt.port", "Extended active port", dec(16);
    EPSV_IP = "ftp.epsv.ip", "Extended passive IPv4 address", IPV4;
    EPSV_IPV6 = "ftp.epsv.ipv6", "Extended passive IPv6 address", IPV6;
    EPSV_PORT = "ftp.epsv.port", "Extended passive port", dec(16);
    CWD = "ftp.current-working-directory", "Current working directory", STR;
}

/// Whether a segment between these ports belongs to an FTP control connection.
pub fn is_ftp_port(sport: u16, dport: u16) -> bool {
    sport == PORT || dport == PORT
}

/// An address and port of RFC 959's `h1,h2,h3,h4,p1,p2` in `text`, found as tshark
/// finds it: at each run of digits, six comma-separated integers (C's `%d`, so blanks
/// and a sign may precede each), the port bytes taken modulo 256. Also answers where
/// the numbers start in `text` and the lengths tshark gives the address and the port.
pub fn host_port(text: &[u8]) -> Option<([u8; 4], u16, usize, usize, usize)> {
    // tshark reads the line as a C string.
    let text = text.split(|b| *b == 0).next().unwrap_or(&[]);
    let mut p = 0usize;
    loop {
        p += text.get(p..)?.iter().position(u8::is_ascii_digit)?;
        if let Some(n) = six_numbers(crate::bytes::tail(text, p)) {
            let digits = |v: i32| {
                if v < 10 {
                    1
                } else if v < 100 {
                    2
                } else {
                    3
                }
            };
            let ip = (n[0] << 24 | n[1] << 16 | n[2] << 8 | n[3]) as u32;
            let port = ((n[4] & 0xff) << 8 | (n[5] & 0xff)) as u16;
            let ip_len = digits(n[0]) + digits(n[1]) + digits(n[2]) + digits(n[3]) + 3;
            let port_len = digits(n[4]) + 1 + digits(n[5]);
            return Some((ip.to_be_bytes(), port, p, ip_len, port_len));
        }
        p += text
            .get(p..)?
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
    }
}

/// `sscanf(text, "%d,%d,%d,%d,%d,%d")` succeeding on all six.
fn six_numbers(text: &[u8]) -> Option<[i32; 6]> {
    let mut out = [0i32; 6];
    let mut p = 0usize;
    for (i, slot) in out.iter_mut().enumerate() {
        if i > 0 {
            if text.get(p) != Some(&b',') {
                return None;
            }
            p += 1;
        }
        while text.get(p).is_some_and(|b| b" \t\n\x0b\x0c\r".contains(b)) {
            p += 1;
        }
        let negative = text.get(p) == Some(&b'-');
        if matches!(text.get(p), Some(b'-' | b'+')) {
            p += 1;
        }
        let run = text
            .get(p..)?
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if run == 0 {
            return None;
        }
        let mut v: i64 = 0;
        for b in text.get(p..p + run)? {
            v = v.saturating_mul(10).saturating_add(i64::from(b - b'0'));
        }
        p += run;
        *slot = (if negative { -v } else { v }) as i32;
    }
    Some(out)
}

/// A delimiter RFC 2428 allows: printable, not a digit, hex letter, dot or colon.
fn rfc2428_delimiter(c: u8) -> bool {
    c.is_ascii_graphic() && !b"0123456789abcdef.:".contains(&c.to_ascii_lowercase())
}

/// An EPRT argument `|af|address|port|`: the family, the address, the port, and the
/// address's and port's lengths.
fn eprt(arg: &[u8]) -> Option<(u8, Addr, u16, usize, usize)> {
    let arg = arg.split(|b| *b == 0).next().unwrap_or(&[]);
    let delimiter = *arg.first()?;
    if arg.len() < 4 || !rfc2428_delimiter(delimiter) {
        return None;
    }
    if arg.iter().filter(|b| **b == delimiter).count() != 4 {
        return None;
    }
    let fields: Vec<&[u8]> = arg.split(|b| *b == delimiter).skip(1).take(3).collect();
    if fields.iter().any(|f| f.is_empty()) {
        return None;
    }
    let text = |f: &[u8]| std::str::from_utf8(f).ok().map(str::to_string);
    let af: u8 = text(fields.first()?)?.parse().ok()?;
    let ip_text = text(fields.get(1)?)?;
    let addr = match af {
        1 => Addr::V4(ip_text.parse::<std::net::Ipv4Addr>().ok()?.octets()),
        2 => Addr::V6(ip_text.parse::<std::net::Ipv6Addr>().ok()?.octets()),
        _ => return None,
    };
    let port_field = fields.get(2)?;
    let port: u16 = text(port_field)?.parse().ok()?;
    Some((af, addr, port, ip_text.len(), port_field.len()))
}

/// An EPSV reply's `(|||port|)`: the port, where its digits start in `text` and the
/// length tshark gives it (up to the character before the closing parenthesis).
fn epsv(text: &[u8]) -> Option<(u16, usize, usize)> {
    let text = text.split(|b| *b == 0).next().unwrap_or(&[]);
    let mut p = text.iter().position(|b| *b == b'(')? + 1;
    let mut delimiter = None;
    for _ in 0..3 {
        let Some(&c) = text.get(p) else { break };
        if delimiter.is_none() && rfc2428_delimiter(c) {
            delimiter = Some(c);
        }
        if Some(c) != delimiter {
            break;
        }
        p += 1;
    }
    let rest = text.get(p..).filter(|r| !r.is_empty())?;
    let blanks = rest
        .iter()
        .take_while(|b| b" \t\n\x0b\x0c\r".contains(b))
        .count();
    let digits = crate::bytes::tail(rest, blanks);
    let run = digits.iter().take_while(|b| b.is_ascii_digit()).count();
    let port: u16 = std::str::from_utf8(digits.get(..run)?).ok()?.parse().ok()?;
    let close = rest.iter().position(|b| *b == b')')?;
    Some((port, p, close.saturating_sub(1)))
}

/// Dissects an FTP control segment; `request` when it goes to the server.
pub fn dissect<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    net: &NetInfo,
    info: Option<&TcpFrameInfo>,
    payload: &'a [u8],
    at: usize,
    request: bool,
) {
    d.open_protocol(FTP, (at, payload.len()), "ftp", "FTP");
    d.add_hidden(REQUEST, at, 0, Value::Bool(request));
    d.add_hidden(RESPONSE, at, 0, Value::Bool(!request));
    let mut first_line: &[u8] = &[];
    let mut code = None;
    let mut announces = None;
    for (i, (start, line)) in lines::split(payload).enumerate() {
        let line_at = at + start;
        // The first line ends at the first CR or LF, as tshark's FTP cuts it.
        let text = if i == 0 {
            lines::first_line(line)
        } else {
            lines::trim_eol(line)
        };
        let node = d.text(line_at, line.len(), || {
            super::value::string_label_text(line)
        });
        if i > 0 {
            continue;
        }
        first_line = text;
        d.set_info(|| {
            let kind = if request { "Request" } else { "Response" };
            format!("{kind}: {}", format_text(lines::first_line(payload)))
        });
        d.begin(node);
        if request {
            announces = request_line(d, net, text, line_at);
        } else {
            (code, announces) = response_line(d, net, text, line_at);
        }
        d.end();
    }
    d.end();
    let Some(analysis) = ctx.analysis else {
        return;
    };
    let message = FtpControl {
        stream: info.map_or(0, |i| i.stream),
        request,
        line: first_line,
        code,
        announces,
    };
    if let Some(cwd) = analysis.ftp_control(ctx.number, &message) {
        d.add_generated(CWD, at, 0, Value::owned_str(cwd.as_bytes()));
        d.note_top_field(CWD);
    }
}

/// A request's first line: command, argument, and the data connection PORT or EPRT
/// announces.
fn request_line(
    d: &mut Dissection<'_>,
    net: &NetInfo,
    text: &[u8],
    line_at: usize,
) -> Option<FtpExpect> {
    let (word, arg) = lines::word_and_rest(text);
    let arg_at = line_at + text.len() - arg.len();
    // ASCII strings: a NUL ends the value (binary sent to the port), with tshark's
    // warning when bytes follow it.
    if !word.is_empty() {
        let text = super::media::ascii_text(word);
        super::media::string_field(d, REQUEST_COMMAND, line_at, word, text, "FTP");
    }
    if !arg.is_empty() {
        let text = super::media::ascii_text(arg);
        super::media::string_field(d, REQUEST_ARG, arg_at, arg, text, "FTP");
    }
    if word == b"PORT" {
        let (ip, port, off, ip_len, port_len) = host_port(arg)?;
        d.add(ACTIVE_IP, arg_at + off, ip_len, Value::Ipv4(ip));
        let port_at = arg_at + off + ip_len + 1;
        d.add(ACTIVE_PORT, port_at, port_len, Value::UInt(u64::from(port)));
        if net.src != Addr::V4(ip) {
            d.add(ACTIVE_NAT, line_at, 0, Value::Bool(true));
        }
        return Some(FtpExpect {
            a: (net.dst, super::ftp_data::PORT),
            b: Addr::V4(ip),
            method: "PORT",
        });
    }
    if word == b"EPRT" {
        let (af, addr, port, ip_len, port_len) = eprt(arg)?;
        d.add(EPRT_AF, arg_at + 1, 1, Value::UInt(u64::from(af)));
        let ip_at = arg_at + 3;
        match addr {
            Addr::V4(ip) => d.add(EPRT_IP, ip_at, ip_len, Value::Ipv4(ip)),
            Addr::V6(ip) => d.add(EPRT_IPV6, ip_at, ip_len, Value::Ipv6(ip)),
        };
        let port_at = ip_at + ip_len + 1;
        d.add(EPRT_PORT, port_at, port_len, Value::UInt(u64::from(port)));
        return Some(FtpExpect {
            a: (net.src, port),
            b: addr,
            method: "EPRT",
        });
    }
    None
}

/// A response's first line: code, argument, and the data connection a 227 or 229
/// reply announces.
fn response_line(
    d: &mut Dissection<'_>,
    net: &NetInfo,
    text: &[u8],
    line_at: usize,
) -> (Option<u32>, Option<FtpExpect>) {
    let code = text
        .get(..3)
        .filter(|c| c.iter().all(u8::is_ascii_digit))
        .and_then(|c| std::str::from_utf8(c).ok())
        .and_then(|c| c.parse::<u32>().ok());
    // A line without a code continues a multi-line reply: all of it is the argument.
    let skip = if code.is_some() { text.len().min(4) } else { 0 };
    if let Some(code) = code {
        d.add(RESPONSE_CODE, line_at, 3, Value::UInt(u64::from(code)));
    }
    let arg = crate::bytes::tail(text, skip);
    let arg_at = line_at + skip;
    if !arg.is_empty() {
        d.add(RESPONSE_ARG, arg_at, arg.len(), Value::owned_str(arg));
    }
    let announces = match code {
        Some(227) if !arg.is_empty() => host_port(arg).map(|(ip, port, off, ip_len, port_len)| {
            d.add(PASSIVE_IP, arg_at + off, ip_len, Value::Ipv4(ip));
            let port_at = arg_at + off + ip_len + 1;
            d.add(
                PASSIVE_PORT,
                port_at,
                port_len,
                Value::UInt(u64::from(port)),
            );
            if net.src != Addr::V4(ip) {
                d.add(PASSIVE_NAT, line_at, 0, Value::Bool(true));
            }
            FtpExpect {
                a: (Addr::V4(ip), port),
                b: net.dst,
                method: "PASV",
            }
        }),
        Some(229) if !arg.is_empty() => epsv(arg).map(|(port, off, port_len)| {
            match net.src {
                Addr::V4(ip) => d.add_generated(EPSV_IP, line_at, 0, Value::Ipv4(ip)),
                Addr::V6(ip) => d.add_generated(EPSV_IPV6, line_at, 0, Value::Ipv6(ip)),
            };
            d.add(
                EPSV_PORT,
                arg_at + off,
                port_len,
                Value::UInt(u64::from(port)),
            );
            FtpExpect {
                a: (net.src, port),
                b: net.dst,
                method: "EPASV",
            }
        }),
        _ => None,
    };
    (code, announces)
}

#[cfg(test)]
mod tests {
    use super::host_port;
    use crate::dissect::testing::{field, with_frame, with_truncated};

    /// ftp_binary_request.pcapng (nmap-active-network-recon, frame 2831): a TLS
    /// ClientHello sent to port 21. Its first line (to the first CR or LF) shows as
    /// tshark's format_text writes it: octal and letter escapes, U+FFFD for bytes
    /// that are not UTF-8, `\u0000` for the overlong NUL `C0 80`.
    #[test]
    fn binary_request_escaped() {
        with_frame("ftp_binary_request.pcapng", 1, |d| {
            assert_eq!(d.columns.protocol, "FTP");
            assert_eq!(
                d.columns.info,
                r#"Request: \026\003\001\000k\001\000\000g\003\003j\022�%Mm\u0000����!|^a���g<�L&v�ѯs*�\000\000 \000/\000"#
            );
        });
    }

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
        assert_eq!(
            host_port(b"(1,2,3,4,5,6)"),
            Some(([1, 2, 3, 4], 0x0506, 1, 7, 3))
        );
        // C's %d: ports taken modulo 256, blanks before a number, a seventh ignored.
        assert_eq!(host_port(b"at 1, 2,3,4,5,666,9").map(|h| h.1), Some(0x059a));
        // The first run of digits is no host-port: the next one is.
        assert_eq!(
            host_port(b"v2 10,0,0,1,0,21").map(|h| (h.0, h.2)),
            Some(([10, 0, 0, 1], 3))
        );
        assert_eq!(host_port(b"(1,2,3)"), None);
        assert_eq!(host_port(b""), None);
        assert_eq!(host_port(b"1,2,3\x004,5,6"), None);
    }

    /// ftp_transfers.pcap: the working directory follows CWD and CDUP replies; the
    /// 229 reply names the server's address and port.
    #[test]
    fn working_directory_and_extended_passive() {
        use crate::dissect::ftp_data::tests::loaded_frame;
        loaded_frame("ftp_transfers.pcap", 11, |d| {
            assert_eq!(field(d, "ftp.current-working-directory"), "");
            assert_eq!(field(d, "ftp.request"), "1");
            assert_eq!(field(d, "ftp.response"), "0");
        });
        loaded_frame("ftp_transfers.pcap", 14, |d| {
            assert_eq!(field(d, "ftp.current-working-directory"), "/pub/labs");
        });
        loaded_frame("ftp_transfers.pcap", 22, |d| {
            assert_eq!(field(d, "ftp.epsv.ip"), "10.20.0.2");
            assert_eq!(field(d, "ftp.epsv.port"), "55701");
            assert_eq!(field(d, "ftp.current-working-directory"), "/pub");
        });
        loaded_frame("ftp_transfers.pcap", 54, |d| {
            assert_eq!(field(d, "ftp.current-working-directory"), "/");
        });
    }

    #[test]
    fn extended_arguments() {
        use super::{eprt, epsv};
        use crate::dissect::ipv4::Addr;
        assert_eq!(
            epsv(b"Entering Extended Passive Mode (|||55701|)"),
            Some((55701, 35, 5))
        );
        assert_eq!(epsv(b"(|||70000|)"), None);
        assert_eq!(epsv(b"(|||"), None);
        assert_eq!(epsv(b"no parenthesis"), None);
        assert_eq!(
            eprt(b"|1|132.235.1.2|6275|"),
            Some((1, Addr::V4([132, 235, 1, 2]), 6275, 11, 4))
        );
        assert!(matches!(
            eprt(b"|2|1080::8:800:200C:417A|5282|"),
            Some((2, Addr::V6(_), 5282, 21, 4))
        ));
        assert_eq!(eprt(b"|3|1.2.3.4|5|"), None);
        assert_eq!(eprt(b"|1||5|"), None);
        assert_eq!(eprt(b"1|1|1.2.3.4|5|"), None);
        assert_eq!(eprt(b"|1|1.2.3.4|5"), None);
    }
}
