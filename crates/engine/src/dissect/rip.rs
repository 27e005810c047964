//! RIP versions 1 and 2 (RFC 1058, RFC 2453, UDP 520): the command, the version and
//! the 20-byte route entries, with RFC 2453's simple-password and RFC 4822's keyed
//! digest authentication entries. Protocol column `RIPv1`/`RIPv2`, Info the command.

use super::context::PacketContext;
use super::field::kinds::*;
use super::tree::{Dissection, Expert, Severity};
use super::value::{Value, ipv4_text};
use crate::bytes;
use std::borrow::Cow;

const COMMANDS: &[(u64, &str)] = &[
    (1, "Request"),
    (2, "Response"),
    (3, "Traceon"),
    (4, "Traceoff"),
    (5, "Vendor specific (Sun)"),
];
const VERSIONS: &[(u64, &str)] = &[(1, "RIPv1"), (2, "RIPv2")];
const FAMILIES: &[(u64, &str)] = &[(0, "Unspecified"), (2, "IP"), (0xffff, "Authentication")];
#[rustfmt::skip]
const AUTH_TYPES: &[(u64, &str)] = &[
    (2, "Simple Password"), (3, "Keyed Message Digest"),
];

crate::define_fields! { after super::hsrp::END;
    RIP = "rip", "Routing Information Protocol", PROTO;
    COMMAND = "rip.command", "Command", dec_named(8, COMMANDS);
    VERSION = "rip.version", "Version", dec_named(8, VERSIONS);
    FAMILY = "rip.family", "Address Family", dec_named(16, FAMILIES);
    ROUTE_TAG = "rip.route_tag", "Route Tag", dec(16);
    IP = "rip.ip", "IP Address", IPV4;
    NETMASK = "rip.netmask", "Netmask", IPV4;
    NEXT_HOP = "rip.next_hop", "Next Hop", IPV4;
    METRIC = "rip.metric", "Metric", dec(16);
    AUTH_TYPE = "rip.auth.type", "Authentication type", dec_named(16, AUTH_TYPES);
    AUTH_PASSWD = "rip.auth.passwd", "Password", STR;
    DIGEST_OFFSET = "rip.digest_offset", "Digest Offset", dec(16);
    KEY_ID = "rip.key_id", "Key ID", dec(8);
    AUTH_DATA_LEN = "rip.auth_data_len", "Auth Data Len", dec(8);
    SEQ_NUM = "rip.seq_num", "Seq num", dec(32);
    ZERO_PADDING = "rip.zero_padding", "Zero adding", STR;
    AUTHENTICATION_DATA = "rip.authentication_data", "Authentication Data", BYTES;
}

/// RFC 2453 section 4: one route entry.
const ENTRY_LEN: usize = 20;
/// Keyed MD5's digest length (RFC 4822 section 3.2; tshark shows this many bytes).
const MD5_LEN: usize = 16;
/// Entries read at most (RFC 2453 allows 25 per message).
const MAX_ENTRIES: usize = 256;

/// Dissects a RIP message at `at` of the frame `data`; false when too short.
pub fn dissect<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    data: &'a [u8],
    at: usize,
    msg: &'a [u8],
) -> bool {
    let (Some(command), Some(version)) = (bytes::u8_at(msg, 0), bytes::u8_at(msg, 1)) else {
        return false;
    };
    let item = d.add(RIP, at, msg.len(), Value::None);
    d.push_layer("rip");
    d.set_protocol(match version {
        1 => "RIPv1",
        2 => "RIPv2",
        _ => "RIP",
    });
    let cmd = super::value::value_name(Some(COMMANDS), u64::from(command));
    let info = match cmd {
        Some(c) => c.to_string(),
        None => format!("Unknown command ({command})"),
    };
    d.set_info(move || info);
    d.begin(item);
    d.add(COMMAND, at, 1, Value::UInt(u64::from(command)));
    d.add(VERSION, at + 1, 1, Value::UInt(u64::from(version)));
    let mut pos = 4usize;
    for _ in 0..MAX_ENTRIES {
        let rest = bytes::tail(msg, pos);
        if rest.is_empty() {
            break;
        }
        let Some(entry) = bytes::slice(msg, pos, ENTRY_LEN) else {
            d.end();
            super::truncated(d, ctx, data, at + pos, "RIPv2");
            return true;
        };
        let family = bytes::be_u16(entry, 0).unwrap_or(0);
        if family == 0xffff && pos != 4 {
            // Only the first entry may authenticate (RFC 2453 section 5.2); tshark
            // stops at any later one, such as RFC 4822's digest trailer.
            let node = d.text(at + pos, 2, || format!("Unknown address family {family}"));
            d.expert(
                node,
                Expert {
                    severity: Severity::Warning,
                    group: "Protocol",
                    protocol: "RIP",
                    message: Cow::Owned(format!("Unknown address family {family}")),
                },
            );
            break;
        }
        route_entry(d, at + pos, entry, version, msg);
        pos += ENTRY_LEN;
    }
    d.end();
    true
}

fn route_entry(d: &mut Dissection<'_>, at: usize, e: &[u8], version: u8, msg: &[u8]) {
    let family = bytes::be_u16(e, 0).unwrap_or(0);
    if family == 0xffff {
        return auth_entry(d, at, e, msg);
    }
    let ip = bytes::array::<4>(e, 4).unwrap_or([0; 4]);
    let metric = bytes::be_u32(e, 16).unwrap_or(0);
    let label = if family == 0 {
        format!("Address not specified, Metric: {metric}")
    } else {
        format!("IP Address: {}, Metric: {metric}", ipv4_text(&ip))
    };
    let node = d.text(at, ENTRY_LEN, || label);
    d.begin(node);
    d.add(FAMILY, at, 2, Value::UInt(u64::from(family)));
    if version == 2 {
        let tag = bytes::be_u16(e, 2).unwrap_or(0);
        d.add(ROUTE_TAG, at + 2, 2, Value::UInt(u64::from(tag)));
    }
    if family != 0 {
        d.add(IP, at + 4, 4, Value::Ipv4(ip));
    }
    if version == 2 {
        let mask = bytes::array::<4>(e, 8).unwrap_or([0; 4]);
        let hop = bytes::array::<4>(e, 12).unwrap_or([0; 4]);
        d.add(NETMASK, at + 8, 4, Value::Ipv4(mask));
        d.add(NEXT_HOP, at + 12, 4, Value::Ipv4(hop));
    }
    d.add(METRIC, at + 16, 4, Value::UInt(u64::from(metric)));
    d.end();
}

fn auth_entry(d: &mut Dissection<'_>, at: usize, e: &[u8], msg: &[u8]) {
    let kind = bytes::be_u16(e, 2).unwrap_or(0);
    let name = super::value::value_name(Some(AUTH_TYPES), u64::from(kind)).unwrap_or("Unknown");
    let node = d.text(at, ENTRY_LEN, || format!("Authentication: {name}"));
    d.begin(node);
    d.add(AUTH_TYPE, at + 2, 2, Value::UInt(u64::from(kind)));
    match kind {
        2 => {
            let pw = bytes::slice(e, 4, 16).unwrap_or(&[]);
            let end = pw.iter().position(|&b| b == 0).unwrap_or(pw.len());
            let text = pw.get(..end).unwrap_or(pw).to_vec();
            d.add(AUTH_PASSWD, at + 4, 16, Value::Str(Cow::Owned(text)));
        }
        3 => {
            let offset = bytes::be_u16(e, 4).unwrap_or(0);
            let key = bytes::u8_at(e, 6).unwrap_or(0);
            let len = bytes::u8_at(e, 7).unwrap_or(0);
            let seq = bytes::be_u32(e, 8).unwrap_or(0);
            d.add(DIGEST_OFFSET, at + 4, 2, Value::UInt(u64::from(offset)));
            d.add(KEY_ID, at + 6, 1, Value::UInt(u64::from(key)));
            d.add(AUTH_DATA_LEN, at + 7, 1, Value::UInt(u64::from(len)));
            d.add(SEQ_NUM, at + 8, 4, Value::UInt(u64::from(seq)));
            let zeros = bytes::slice(e, 12, 8).unwrap_or(&[]);
            let end = zeros.iter().position(|&b| b == 0).unwrap_or(zeros.len());
            let text = zeros.get(..end).unwrap_or(zeros).to_vec();
            d.add(ZERO_PADDING, at + 12, 8, Value::Str(Cow::Owned(text)));
            // RFC 4822 section 3.2: the digest trails the routes, after a 4-byte
            // header, at the offset the entry names.
            let trailer = usize::from(offset) + 4;
            if let Some(digest) = bytes::slice(msg, trailer, MD5_LEN) {
                let base = at.saturating_sub(4);
                let t = d.text(base + usize::from(offset), 4 + digest.len(), || {
                    "Authentication Data Trailer".into()
                });
                d.begin(t);
                d.add(
                    AUTHENTICATION_DATA,
                    base + trailer,
                    digest.len(),
                    Value::Bytes(digest.to_vec().into()),
                );
                d.end();
            }
        }
        _ => {}
    }
    d.end();
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_frame, with_patched};

    const V1V2: &str = "../corpus/tcpdump/ripv1v2.pcap";
    const AUTH: &str = "../corpus/tcpdump/ripv2_auth.pcap";
    const BAD: &str = "../corpus/tcpdump/ripv2-invalid-length.pcap";

    /// ripv1v2.pcap frames 2 and 4: a v1 and a v2 response.
    #[test]
    fn responses() {
        with_frame(V1V2, 2, |d| {
            assert_eq!(d.columns.protocol, "RIPv1");
            assert_eq!(d.columns.info, "Response");
            assert_eq!(field(d, "rip.ip"), "10.70.178.0");
            assert_eq!(field(d, "rip.metric"), "1");
        });
        with_frame(V1V2, 4, |d| {
            assert_eq!(d.columns.protocol, "RIPv2");
            assert_eq!(field(d, "rip.netmask"), "255.255.255.0");
        });
    }

    /// ripv2_auth.pcap frame 1: a simple password.
    #[test]
    fn password() {
        with_frame(AUTH, 1, |d| {
            assert_eq!(field(d, "rip.auth.type"), "2");
            assert_eq!(field(d, "rip.auth.passwd"), "abcdefghijklmnop");
        });
    }

    /// ripv2-invalid-length.pcap: a last entry cut short is malformed, as in tshark.
    #[test]
    fn cut_entry() {
        with_frame(BAD, 1, |d| {
            assert_eq!(d.columns.info, "Response[Malformed Packet]");
            assert_eq!(field(d, "rip.ip").split(',').count(), 7);
        });
        with_patched(
            V1V2,
            2,
            |b| b.truncate(b.len() - 3),
            |d| {
                assert!(d.columns.info.starts_with("Response"));
            },
        );
    }
}
