//! DHCP (RFC 2131) and BOOTP (RFC 951) on UDP ports 67 and 68: the fixed header, the
//! magic cookie and the common options, with tshark 4.0's Info texts.

use super::context::PacketContext;
use super::ethernet::mac_name;
use super::field::Base;
use super::field::kinds::*;
use super::tree::Dissection;
use super::value::{Value, ether_text, ipv4_text};
use crate::bytes;

const OPS: &[(u64, &str)] = &[(1, "Boot Request"), (2, "Boot Reply")];
const HW_TYPES: &[(u64, &str)] = &[(1, "Ethernet"), (6, "IEEE 802")];
#[rustfmt::skip]
const MESSAGE_TYPES: &[(u64, &str)] = &[
    (1, "Discover"), (2, "Offer"), (3, "Request"), (4, "Decline"), (5, "ACK"), (6, "NAK"),
    (7, "Release"), (8, "Inform"), (9, "Force Renew"), (10, "Lease query"),
    (11, "Lease Unassigned"), (12, "Lease Unknown"), (13, "Lease Active"),
    (14, "Bulk Lease Query"), (15, "Lease Query Done"), (16, "Active LeaseQuery"),
    (17, "Lease Query Status"), (18, "TLS"),
];
#[rustfmt::skip]
const OPTIONS: &[(u64, &str)] = &[
    (0, "Padding"), (1, "Subnet Mask"), (2, "Time Offset"), (3, "Router"),
    (4, "Time Server"), (5, "Name Server"), (6, "Domain Name Server"), (7, "Log Server"),
    (12, "Host Name"), (15, "Domain Name"), (26, "Interface MTU"),
    (28, "Broadcast Address"), (31, "Perform Router Discover"), (33, "Static Route"),
    (40, "Network Information Service Domain"), (41, "Network Information Service Servers"),
    (42, "Network Time Protocol Servers"), (43, "Vendor-Specific Information"),
    (44, "NetBIOS over TCP/IP Name Server"), (46, "NetBIOS over TCP/IP Node Type"),
    (47, "NetBIOS over TCP/IP Scope"), (50, "Requested IP Address"),
    (51, "IP Address Lease Time"), (52, "Option Overload"), (53, "DHCP Message Type"),
    (54, "DHCP Server Identifier"), (55, "Parameter Request List"), (56, "Message"),
    (57, "Maximum DHCP Message Size"), (58, "Renewal Time Value"),
    (59, "Rebinding Time Value"), (60, "Vendor class identifier"),
    (61, "Client identifier"), (66, "TFTP Server Name"), (67, "Bootfile name"),
    (77, "User Class Information"), (81, "Client Fully Qualified Domain Name"),
    (82, "Agent Information Option"),
    (91, "Client last transaction time"), (92, "Associated IP option"),
    (150, "TFTP Server Address"), (108, "IPv6-Only Preferred"),
    (119, "Domain Search"), (121, "Classless Static Route"),
    (161, "Manufacturer Usage Description"), (255, "End"),
];

crate::define_fields! { after super::igmp::END;
    DHCP = "dhcp", "Dynamic Host Configuration Protocol", PROTO;
    TYPE = "dhcp.type", "Message type", dec_named(8, OPS);
    HW_TYPE = "dhcp.hw.type", "Hardware type", hex_named(8, HW_TYPES);
    HW_LEN = "dhcp.hw.len", "Hardware address length", dec(8);
    HOPS = "dhcp.hops", "Hops", dec(8);
    ID = "dhcp.id", "Transaction ID", hex(32);
    SECS = "dhcp.secs", "Seconds elapsed", dec(16);
    FLAGS = "dhcp.flags", "Bootp flags", hex(16);
    FLAGS_BC = "dhcp.flags.bc", "Broadcast flag", flag(16, 0x8000);
    FLAGS_RESERVED = "dhcp.flags.reserved", "Reserved flags", uint(16, Base::Hex, 0x7fff, None);
    IP_CLIENT = "dhcp.ip.client", "Client IP address", IPV4;
    IP_YOUR = "dhcp.ip.your", "Your (client) IP address", IPV4;
    IP_SERVER = "dhcp.ip.server", "Next server IP address", IPV4;
    IP_RELAY = "dhcp.ip.relay", "Relay agent IP address", IPV4;
    HW_MAC_ADDR = "dhcp.hw.mac_addr", "Client MAC address", ETHER;
    HW_ADDR = "dhcp.hw.addr", "Client hardware address", BYTES;
    HW_ADDR_PADDING = "dhcp.hw.addr_padding", "Client hardware address padding", BYTES;
    SERVER = "dhcp.server", "Server host name", STR;
    FILE = "dhcp.file", "Boot file name", STR;
    COOKIE = "dhcp.cookie", "Magic cookie", IPV4;
    OPTION_TYPE = "dhcp.option.type", "Option", dec_named(8, OPTIONS);
    OPTION_LENGTH = "dhcp.option.length", "Length", dec(8);
    OPTION_VALUE = "dhcp.option.value", "Value", BYTES;
    OPTION_PADDING = "dhcp.option.padding", "Padding", BYTES;
    SUBNET_MASK = "dhcp.option.subnet_mask", "Subnet Mask", IPV4;
    ROUTER = "dhcp.option.router", "Router", IPV4;
    DOMAIN_NAME_SERVER = "dhcp.option.domain_name_server", "Domain Name Server", IPV4;
    HOSTNAME = "dhcp.option.hostname", "Host Name", STR;
    DOMAIN_NAME = "dhcp.option.domain_name", "Domain Name", STR;
    BROADCAST_ADDRESS = "dhcp.option.broadcast_address", "Broadcast Address", IPV4;
    REQUESTED_IP = "dhcp.option.requested_ip_address", "Requested IP Address", IPV4;
    LEASE_TIME = "dhcp.option.ip_address_lease_time", "IP Address Lease Time", dec(32);
    MESSAGE_TYPE = "dhcp.option.dhcp", "DHCP", dec_named(8, MESSAGE_TYPES);
    SERVER_ID = "dhcp.option.dhcp_server_id", "DHCP Server Identifier", IPV4;
    REQUEST_LIST_ITEM = "dhcp.option.request_list_item", "Parameter Request List Item", dec_named(8, OPTIONS);
    MESSAGE = "dhcp.option.message", "Message", STR;
    RENEWAL_TIME = "dhcp.option.renewal_time_value", "Renewal Time Value", dec(32);
    REBINDING_TIME = "dhcp.option.rebinding_time_value", "Rebinding Time Value", dec(32);
    VENDOR_CLASS_ID = "dhcp.option.vendor_class_id", "Vendor class identifier", STR;
    END_OPTION = "dhcp.option.end", "Option End", dec(8);
    MAX_MESSAGE_SIZE = "dhcp.option.dhcp_max_message_size", "Maximum DHCP Message Size", dec(16);
    STATIC_ROUTE_IP = "dhcp.option.static_route.ip", "Destination IP Address", IPV4;
    STATIC_ROUTE_ROUTER = "dhcp.option.static_route.router", "Destination Router", IPV4;
    MUDURL = "dhcp.option.mudurl", "MUDURL", STR;
}

/// The fixed header's length, without the magic cookie.
const HEADER: usize = 236;

/// Dissects a BOOTP/DHCP message: `payload` (the UDP payload) starts at `at` in
/// `data`.
pub fn dissect<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    data: &'a [u8],
    at: usize,
    payload: &'a [u8],
) {
    let m = payload;
    let message_type = message_type(m);
    let item = d.add_labeled(DHCP, at, m.len(), Value::None, || match message_type {
        Some(t) => format!("Dynamic Host Configuration Protocol ({})", message_name(t)),
        None => "Bootstrap Protocol".to_string(),
    });
    d.push_layer("dhcp");
    d.set_protocol(if message_type.is_some() {
        "DHCP"
    } else {
        "BOOTP"
    });
    let (Some(op), Some(htype), Some(hlen), Some(hops), Some(xid), Some(secs), Some(flags)) = (
        bytes::u8_at(m, 0),
        bytes::u8_at(m, 1),
        bytes::u8_at(m, 2),
        bytes::u8_at(m, 3),
        bytes::be_u32(m, 4),
        bytes::be_u16(m, 8),
        bytes::be_u16(m, 10),
    ) else {
        super::truncated(d, ctx, data, at, "DHCP/BOOTP");
        d.set_protocol("BOOTP");
        return;
    };
    let chaddr = bytes::array::<6>(m, 28);
    d.set_info(|| match message_type {
        Some(t) => format!("DHCP {:<8} - Transaction ID 0x{xid:x}", message_name(t)),
        None if op == 1 => match chaddr.filter(|_| htype == 1 && hlen == 6) {
            Some(mac) => format!(
                "Boot Request from {} ({})",
                ether_text(&mac),
                mac_name(&mac)
            ),
            None => "Boot Request".to_string(),
        },
        None if op == 2 => "Boot Reply".to_string(),
        None => format!("Unknown BOOTP message type ({op})"),
    });
    d.begin(item);
    if !d.keeps_fields_of(DHCP) {
        // No field of the message is kept (the load pass): only a cut fixed part or a
        // foreign cookie leaves a mark, where the walk below would stop.
        if m.len() < HEADER + 4 {
            return cut(d, ctx, data, at + m.len(), message_type);
        }
        if bytes::array::<4>(m, HEADER) != Some([99, 130, 83, 99]) {
            return cut(d, ctx, data, at + HEADER, message_type);
        }
        d.end();
        return;
    }
    d.add(TYPE, at, 1, Value::UInt(u64::from(op)));
    d.add(HW_TYPE, at + 1, 1, Value::UInt(u64::from(htype)));
    d.add(HW_LEN, at + 2, 1, Value::UInt(u64::from(hlen)));
    d.add(HOPS, at + 3, 1, Value::UInt(u64::from(hops)));
    d.add_labeled(ID, at + 4, 4, Value::UInt(u64::from(xid)), || {
        format!("Transaction ID: 0x{xid:08x}")
    });
    d.add(SECS, at + 8, 2, Value::UInt(u64::from(secs)));
    let broadcast = flags & 0x8000 != 0;
    let node = d.add_labeled(FLAGS, at + 10, 2, Value::UInt(u64::from(flags)), || {
        if broadcast {
            format!("Bootp flags: 0x{flags:04x}, Broadcast flag (Broadcast)")
        } else {
            format!("Bootp flags: 0x{flags:04x} (Unicast)")
        }
    });
    d.begin(node);
    d.add_labeled(FLAGS_BC, at + 10, 2, Value::Bool(broadcast), || {
        if broadcast {
            "1... .... .... .... = Broadcast flag: Broadcast".to_string()
        } else {
            "0... .... .... .... = Broadcast flag: Unicast".to_string()
        }
    });
    d.add(
        FLAGS_RESERVED,
        at + 10,
        2,
        Value::UInt(u64::from(flags & 0x7fff)),
    );
    d.end();
    for (i, field) in [IP_CLIENT, IP_YOUR, IP_SERVER, IP_RELAY]
        .into_iter()
        .enumerate()
    {
        let Some(ip) = bytes::array::<4>(m, 12 + 4 * i) else {
            return cut(d, ctx, data, at + m.len(), message_type);
        };
        d.add(field, at + 12 + 4 * i, 4, Value::Ipv4(ip));
    }
    let Some(hw) = bytes::slice(m, 28, 16) else {
        return cut(d, ctx, data, at + m.len(), message_type);
    };
    let hl = usize::from(hlen).min(16);
    match chaddr {
        Some(mac) if htype == 1 && hlen == 6 => {
            mac_item(d, at + 28, mac);
        }
        _ => {
            if hl > 0 {
                let raw = bytes::slice(hw, 0, hl).unwrap_or(hw);
                d.add(HW_ADDR, at + 28, hl, Value::Bytes(raw.into()));
            }
        }
    }
    if let Some(pad) = bytes::slice(hw, hl, 16 - hl).filter(|p| !p.is_empty()) {
        d.add(
            HW_ADDR_PADDING,
            at + 28 + hl,
            pad.len(),
            Value::Bytes(pad.into()),
        );
    }
    for (rel, len, field, absent) in [
        (44, 64, SERVER, "Server host name not given"),
        (108, 128, FILE, "Boot file name not given"),
    ] {
        let Some(raw) = bytes::slice(m, rel, len) else {
            return cut(d, ctx, data, at + m.len(), message_type);
        };
        if raw.first() == Some(&0) {
            d.text(at + rel, len, || absent.to_string());
        } else {
            d.add(
                field,
                at + rel,
                len,
                Value::Str(bytes::until_nul(raw).into()),
            );
        }
    }
    let Some(cookie) = bytes::array::<4>(m, HEADER) else {
        return cut(d, ctx, data, at + m.len(), message_type);
    };
    // tshark reads no further than a cookie that is not DHCP's: malformed.
    if cookie != [99, 130, 83, 99] {
        return cut(d, ctx, data, at + HEADER, message_type);
    }
    d.add_labeled(COOKIE, at + HEADER, 4, Value::Ipv4(cookie), || {
        "Magic cookie: DHCP".to_string()
    });
    options(d, m, at);
    d.end();
}

/// A Client MAC address item, named as tshark names it (plain hex under `-n`).
fn mac_item(d: &mut Dissection<'_>, offset: usize, mac: [u8; 6]) {
    d.add(HW_MAC_ADDR, offset, 6, Value::Ether(mac));
}

/// Ends the tree of a message cut in its fixed part.
fn cut(
    d: &mut Dissection<'_>,
    ctx: &PacketContext<'_>,
    data: &[u8],
    offset: usize,
    message_type: Option<u8>,
) {
    d.end();
    super::truncated(d, ctx, data, offset, "DHCP/BOOTP");
    d.set_protocol(if message_type.is_some() {
        "DHCP"
    } else {
        "BOOTP"
    });
}

/// The message's DHCP Message Type option, if it has the cookie and the option.
fn message_type(m: &[u8]) -> Option<u8> {
    if bytes::array::<4>(m, HEADER)? != [99, 130, 83, 99] {
        return None;
    }
    let mut rel = HEADER + 4;
    loop {
        match bytes::u8_at(m, rel)? {
            0 => rel += 1,
            255 => return None,
            53 => return bytes::u8_at(m, rel + 2),
            _ => rel += 2 + usize::from(bytes::u8_at(m, rel + 1)?),
        }
    }
}

fn message_name(t: u8) -> String {
    match super::value::value_name(Some(MESSAGE_TYPES), u64::from(t)) {
        Some(name) => name.to_string(),
        None => format!("Unknown Message Type (0x{t:02x})"),
    }
}

/// The options after the cookie.
fn options<'a>(d: &mut Dissection<'a>, m: &'a [u8], at: usize) {
    let mut rel = HEADER + 4;
    while let Some(code) = bytes::u8_at(m, rel) {
        let name = super::value::value_name(Some(OPTIONS), u64::from(code)).unwrap_or("Unknown");
        if code == 0 {
            let n = bytes::tail(m, rel).iter().take_while(|b| **b == 0).count();
            let pad = bytes::slice(m, rel, n).unwrap_or(&[]);
            d.add(OPTION_PADDING, at + rel, n, Value::Bytes(pad.into()));
            rel += n;
            continue;
        }
        if code == 255 {
            let node = d.add_labeled(OPTION_TYPE, at + rel, 1, Value::UInt(255), || {
                "Option: (255) End".to_string()
            });
            d.begin(node);
            d.add(END_OPTION, at + rel, 1, Value::UInt(255));
            d.end();
            let rest = bytes::tail(m, rel + 1);
            if !rest.is_empty() {
                d.add(
                    OPTION_PADDING,
                    at + rel + 1,
                    rest.len(),
                    Value::Bytes(rest.into()),
                );
            }
            return;
        }
        let Some(len) = bytes::u8_at(m, rel + 1) else {
            return;
        };
        let len = usize::from(len);
        let Some(value) = bytes::slice(m, rel + 2, len) else {
            return;
        };
        let v = at + rel + 2;
        let ip = bytes::array::<4>(value, 0).filter(|_| len == 4);
        let node = d.add_labeled(
            OPTION_TYPE,
            at + rel,
            2 + len,
            Value::UInt(u64::from(code)),
            || match (code, ip) {
                (53, _) => format!(
                    "Option: (53) DHCP Message Type ({})",
                    message_name(value.first().copied().unwrap_or(0))
                ),
                (1 | 50 | 54, Some(ip)) => format!("Option: ({code}) {name} ({})", ipv4_text(&ip)),
                _ => format!("Option: ({code}) {name}"),
            },
        );
        d.begin(node);
        d.add(OPTION_LENGTH, at + rel + 1, 1, Value::UInt(len as u64));
        let addresses = |d: &mut Dissection<'a>, field| {
            for (i, chunk) in value.chunks_exact(4).enumerate() {
                let ip = bytes::array::<4>(chunk, 0).unwrap_or_default();
                d.add(field, v + 4 * i, 4, Value::Ipv4(ip));
            }
        };
        match code {
            1 if len == 4 => addresses(d, SUBNET_MASK),
            3 if len % 4 == 0 => addresses(d, ROUTER),
            6 if len % 4 == 0 => addresses(d, DOMAIN_NAME_SERVER),
            28 if len == 4 => addresses(d, BROADCAST_ADDRESS),
            50 if len == 4 => addresses(d, REQUESTED_IP),
            54 if len == 4 => addresses(d, SERVER_ID),
            12 => _ = d.add(HOSTNAME, v, len, Value::Str(bytes::until_nul(value).into())),
            15 => {
                _ = d.add(
                    DOMAIN_NAME,
                    v,
                    len,
                    Value::Str(bytes::until_nul(value).into()),
                )
            }
            56 => _ = d.add(MESSAGE, v, len, Value::Str(bytes::until_nul(value).into())),
            60 => {
                _ = d.add(
                    VENDOR_CLASS_ID,
                    v,
                    len,
                    Value::Str(bytes::until_nul(value).into()),
                )
            }
            57 if len == 2 => {
                let size = bytes::be_u16(value, 0).unwrap_or(0);
                d.add(MAX_MESSAGE_SIZE, v, 2, Value::UInt(u64::from(size)));
            }
            161 => _ = d.add(MUDURL, v, len, Value::Str(value.into())),
            33 if len % 8 == 0 => {
                for (i, pair) in value.chunks_exact(8).enumerate() {
                    let ip = bytes::array::<4>(pair, 0).unwrap_or_default();
                    let router = bytes::array::<4>(pair, 4).unwrap_or_default();
                    d.add(STATIC_ROUTE_IP, v + 8 * i, 4, Value::Ipv4(ip));
                    d.add(STATIC_ROUTE_ROUTER, v + 8 * i + 4, 4, Value::Ipv4(router));
                }
            }
            61 if len == 7 && value.first() == Some(&1) => {
                d.add(HW_TYPE, v, 1, Value::UInt(1));
                mac_item(d, v + 1, bytes::array::<6>(value, 1).unwrap_or_default());
            }
            53 if len == 1 => {
                let t = value.first().copied().unwrap_or(0);
                d.add(MESSAGE_TYPE, v, 1, Value::UInt(u64::from(t)));
            }
            55 => {
                for (i, item) in value.iter().enumerate() {
                    let n = super::value::value_name(Some(OPTIONS), u64::from(*item));
                    d.add_labeled(
                        REQUEST_LIST_ITEM,
                        v + i,
                        1,
                        Value::UInt(u64::from(*item)),
                        || {
                            format!(
                                "Parameter Request List Item: ({item}) {}",
                                n.unwrap_or("Unknown")
                            )
                        },
                    );
                }
            }
            51 | 58 | 59 if len == 4 => {
                let secs = bytes::be_u32(value, 0).unwrap_or(0);
                let field = match code {
                    51 => LEASE_TIME,
                    58 => RENEWAL_TIME,
                    _ => REBINDING_TIME,
                };
                d.add_labeled(field, v, 4, Value::UInt(u64::from(secs)), || {
                    if secs == u32::MAX {
                        format!("{name}: (4294967295s) infinity")
                    } else {
                        format!("{name}: ({secs}s) {}", super::value::duration_text(secs))
                    }
                });
            }
            _ => {
                if len > 0 {
                    d.add(OPTION_VALUE, v, len, Value::Bytes(value.into()));
                }
            }
        }
        d.end();
        rel += 2 + len;
    }
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, values, with_frame, with_truncated};

    /// dhcp-rfc3004.pcap frames 1 and 2: a discover and its offer.
    #[test]
    fn discover_and_offer() {
        with_frame("dhcp-rfc3004.pcap", 1, |d| {
            assert_eq!(d.columns.protocol, "DHCP");
            assert_eq!(d.columns.info, "DHCP Discover - Transaction ID 0x6e32864");
            assert_eq!(field(d, "dhcp.option.dhcp"), "1");
            assert_eq!(field(d, "dhcp.option.requested_ip_address"), "192.168.1.4");
        });
        with_frame("dhcp-rfc3004.pcap", 2, |d| {
            assert_eq!(d.columns.info, "DHCP Offer    - Transaction ID 0x6e32864");
            assert_eq!(field(d, "dhcp.ip.your"), "192.168.1.4");
            assert_eq!(field(d, "dhcp.option.ip_address_lease_time"), "86400");
            assert_eq!(
                values(d, "dhcp.option.router"),
                vec!["192.168.1.1".to_string()]
            );
            assert_eq!(field(d, "dhcp.option.domain_name"), "Home");
        });
    }

    #[test]
    fn cut_in_the_header() {
        with_truncated("dhcp-rfc3004.pcap", 1, 100, |d| {
            assert_eq!(field(d, "dhcp.id"), "0x06e32864");
            assert_eq!(field(d, "dhcp.cookie"), "");
        });
    }
}
