//! DHCPv6 (RFC 8415) on UDP ports 546 and 547: the message header, relay headers with
//! their relayed message, and the options tshark 4.0 names in the Info column.

use super::field::kinds::*;
use super::tree::Dissection;
use super::value::{Value, hex_text, ipv6_text};
use crate::bytes;

#[rustfmt::skip]
const MESSAGE_TYPES: &[(u64, &str)] = &[
    (1, "Solicit"), (2, "Advertise"), (3, "Request"), (4, "Confirm"), (5, "Renew"),
    (6, "Rebind"), (7, "Reply"), (8, "Release"), (9, "Decline"), (10, "Reconfigure"),
    (11, "Information-request"), (12, "Relay-forw"), (13, "Relay-reply"),
];

crate::define_fields! { after super::dhcp::END;
    DHCPV6 = "dhcpv6", "DHCPv6", PROTO;
    MSGTYPE = "dhcpv6.msgtype", "Message type", dec_named(8, MESSAGE_TYPES);
    HOPCOUNT = "dhcpv6.hopcount", "Hopcount", dec(8);
    XID = "dhcpv6.xid", "Transaction ID", hex(24);
    LINKADDR = "dhcpv6.linkaddr", "Link address", IPV6;
    PEERADDR = "dhcpv6.peeraddr", "Peer address", IPV6;
    OPTION_TYPE = "dhcpv6.option.type", "Option", dec(16);
    OPTION_LENGTH = "dhcpv6.option.length", "Length", dec(16);
    DUID_BYTES = "dhcpv6.duid.bytes", "DUID", BYTES;
    IAADDR_IP = "dhcpv6.iaaddr.ip", "IPv6 address", IPV6;
}

/// How deep relay messages may nest.
const MAX_DEPTH: usize = 8;

/// Dissects a DHCPv6 message: `payload` (the UDP payload) starts at `at`.
pub fn dissect<'a>(d: &mut Dissection<'a>, at: usize, payload: &'a [u8]) {
    d.open_protocol(DHCPV6, (at, payload.len()), "dhcpv6", "DHCPv6");
    let mut info = String::new();
    // The options add no expert item: with neither a field kept nor the columns shown
    // (the load pass), nothing under the protocol item is needed.
    if d.columns_on() || d.keeps_fields_of(DHCPV6) {
        message(d, at, payload, &mut info, 0);
    }
    d.end();
    d.set_info(|| info);
}

fn message<'a>(d: &mut Dissection<'a>, at: usize, m: &'a [u8], info: &mut String, depth: usize) {
    let Some(kind) = bytes::u8_at(m, 0) else {
        return;
    };
    let name = super::value::value_name(Some(MESSAGE_TYPES), u64::from(kind)).unwrap_or("Unknown");
    d.add(MSGTYPE, at, 1, Value::UInt(u64::from(kind)));
    if kind == 12 || kind == 13 {
        let (Some(hops), Some(link), Some(peer)) = (
            bytes::u8_at(m, 1),
            bytes::array::<16>(m, 2),
            bytes::array::<16>(m, 18),
        ) else {
            return;
        };
        d.add(HOPCOUNT, at + 1, 1, Value::UInt(u64::from(hops)));
        d.add(LINKADDR, at + 2, 16, Value::Ipv6(link));
        d.add(PEERADDR, at + 18, 16, Value::Ipv6(peer));
        if d.columns_on() {
            info.push_str(&format!("{name} L: {} ", ipv6_text(&link)));
        }
        options(d, at + 34, bytes::tail(m, 34), info, depth);
        return;
    }
    let Some(xid) = bytes::be_u24(m, 1) else {
        return;
    };
    d.add(XID, at + 1, 3, Value::UInt(u64::from(xid)));
    // The Info text only when columns are shown (the load pass shows none).
    if d.columns_on() {
        info.push_str(&format!("{name} XID: 0x{xid:06x} "));
    }
    options(d, at + 4, bytes::tail(m, 4), info, depth);
}

fn options<'a>(d: &mut Dissection<'a>, at: usize, m: &'a [u8], info: &mut String, depth: usize) {
    let mut rel = 0usize;
    while let (Some(code), Some(len)) = (bytes::be_u16(m, rel), bytes::be_u16(m, rel + 2)) {
        let len = usize::from(len);
        let Some(value) = bytes::slice(m, rel + 4, len) else {
            return;
        };
        let v = at + rel + 4;
        let node = d.text(at + rel, 4 + len, || format!("Option: {code}"));
        d.begin(node);
        d.add(OPTION_TYPE, at + rel, 2, Value::UInt(u64::from(code)));
        d.add(OPTION_LENGTH, at + rel + 2, 2, Value::UInt(len as u64));
        match code {
            1 => {
                d.add(DUID_BYTES, v, len, Value::Bytes(value.into()));
                if d.columns_on() {
                    info.push_str(&format!("CID: {} ", hex_text(value, None)));
                }
            }
            3 if len >= 12 => options(d, v + 12, bytes::tail(value, 12), info, depth),
            4 if len >= 4 => options(d, v + 4, bytes::tail(value, 4), info, depth),
            5 => {
                if let Some(ip) = bytes::array::<16>(value, 0) {
                    d.add(IAADDR_IP, v, 16, Value::Ipv6(ip));
                    if d.columns_on() {
                        info.push_str(&format!("IAA: {} ", ipv6_text(&ip)));
                    }
                }
            }
            9 if depth < MAX_DEPTH => message(d, v, value, info, depth + 1),
            _ => {}
        }
        d.end();
        rel += 4 + len;
    }
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_frame, with_truncated};

    /// dhcpv6-ia-pd.pcap frame 1: a solicit.
    #[test]
    fn solicit() {
        with_frame("dhcpv6-ia-pd.pcap", 1, |d| {
            assert_eq!(d.columns.protocol, "DHCPv6");
            assert_eq!(field(d, "dhcpv6.msgtype"), "1");
            assert_eq!(
                d.columns.info,
                "Solicit XID: 0xe1e093 CID: 00030001000102030405 "
            );
        });
    }

    #[test]
    fn cut_in_the_options() {
        with_truncated("dhcpv6-ia-pd.pcap", 1, 70, |d| {
            assert_eq!(field(d, "dhcpv6.msgtype"), "1");
            assert_eq!(field(d, "dhcpv6.duid.bytes"), "");
        });
    }
}
