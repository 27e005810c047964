//! ICMP for IPv4 (RFC 792): echo with request/reply matching, errors with the quoted
//! datagram, and the other message types by name.

use super::checksum;
use super::context::{PacketContext, TransactionKey};
use super::field::FieldId;
use super::field::kinds::*;
use super::ipv4::{NetInfo, STATUS_NAMES};
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;

#[rustfmt::skip]
const TYPES: &[(u64, &str)] = &[
    (0, "Echo (ping) reply"), (3, "Destination unreachable"), (4, "Source quench (flow control)"),
    (5, "Redirect"), (8, "Echo (ping) request"), (9, "Router advertisement"),
    (10, "Router solicitation"), (11, "Time-to-live exceeded"), (12, "Parameter problem"),
    (13, "Timestamp request"), (14, "Timestamp reply"), (15, "Information request"),
    (16, "Information reply"), (17, "Address mask request"), (18, "Address mask reply"),
];
#[rustfmt::skip]
const UNREACHABLE: &[(u64, &str)] = &[
    (0, "Network unreachable"), (1, "Host unreachable"), (2, "Protocol unreachable"),
    (3, "Port unreachable"), (4, "Fragmentation needed"), (5, "Source route failed"),
    (6, "Destination network unknown"), (7, "Destination host unknown"),
    (8, "Source host isolated"), (9, "Network administratively prohibited"),
    (10, "Host administratively prohibited"), (11, "Network unreachable for TOS"),
    (12, "Host unreachable for TOS"), (13, "Communication administratively filtered"),
    (14, "Host precedence violation"), (15, "Precedence cutoff in effect"),
];
const TIME_EXCEEDED: &[(u64, &str)] = &[
    (0, "Time to live exceeded in transit"),
    (1, "Fragment reassembly time exceeded"),
];
#[rustfmt::skip]
const REDIRECT: &[(u64, &str)] = &[
    (0, "Redirect for network"), (1, "Redirect for host"), (2, "Redirect for TOS and network"),
    (3, "Redirect for TOS and host"),
];

crate::define_fields! { after super::ipv6::END;
    ICMP = "icmp", "Internet Control Message Protocol", PROTO;
    TYPE = "icmp.type", "Type", dec_named(8, TYPES);
    CODE = "icmp.code", "Code", dec(8);
    CHECKSUM = "icmp.checksum", "Checksum", hex(16);
    CHECKSUM_STATUS = "icmp.checksum.status", "Checksum Status", named(8, STATUS_NAMES);
    IDENT = "icmp.ident", "Identifier (BE)", uint(16, super::field::Base::DecHex, 0, None);
    IDENT_LE = "icmp.ident_le", "Identifier (LE)", uint(16, super::field::Base::DecHex, 0, None);
    SEQ = "icmp.seq", "Sequence Number (BE)", uint(16, super::field::Base::DecHex, 0, None);
    SEQ_LE = "icmp.seq_le", "Sequence Number (LE)", uint(16, super::field::Base::DecHex, 0, None);
    RESP_TO = "icmp.resp_to", "Response to", FRAME;
    RESPTIME = "icmp.resptime", "Response time", FLOAT;
    UNUSED = "icmp.unused", "Unused", BYTES;
    MTU = "icmp.mtu", "MTU of next hop", dec(16);
    REDIR_GW = "icmp.redir_gw", "Gateway Address", IPV4;
}

/// The message type's name.
pub fn type_name(kind: u8) -> Option<&'static str> {
    super::value::value_name(Some(TYPES), u64::from(kind))
}

fn code_name(kind: u8, code: u8) -> Option<&'static str> {
    let table = match kind {
        3 => UNREACHABLE,
        5 => REDIRECT,
        11 => TIME_EXCEEDED,
        _ => return None,
    };
    super::value::value_name(Some(table), u64::from(code))
}

/// The field ids and names of the header ICMP and ICMPv6 share (type, code,
/// checksum), and of the echo reply's link to its request.
pub(crate) struct Common {
    /// The protocol item.
    pub proto: FieldId,
    /// The layer name (`icmp`) and the protocol column (`ICMP`).
    pub layer: &'static str,
    /// The protocol column, also the name of a truncated header's layer.
    pub name: &'static str,
    /// `*.type`, `*.code`, `*.checksum`, `*.checksum.status`, `*.resp_to`.
    pub kind: FieldId,
    /// See `kind`.
    pub code: FieldId,
    /// See `kind`.
    pub checksum: FieldId,
    /// See `kind`.
    pub checksum_status: FieldId,
    /// See `kind`.
    pub resp_to: FieldId,
    /// The IP protocol number, which keys echo transactions.
    pub ip_proto: u8,
}

/// The header `begin` read.
pub(crate) struct Header<'a> {
    /// The message type.
    pub kind: u8,
    /// The message code.
    pub code: u8,
    /// The code's name, if the type names its codes.
    pub code_name: Option<&'static str>,
    /// The whole message (as much of it as was captured).
    pub message: &'a [u8],
}

/// Adds the protocol item and opens it, then the type, the code (named by
/// `code_name`) and the checksum, verified over the message from `sum_start` (the
/// pseudo-header sum, for ICMPv6; given the message length). `None` (with a note)
/// when the four header bytes are not all there.
pub(crate) fn begin<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    data: &'a [u8],
    net: &NetInfo,
    common: &Common,
    code_name: fn(u8, u8) -> Option<&'static str>,
    sum_start: impl FnOnce(usize) -> u32,
) -> Option<Header<'a>> {
    let at = net.payload_offset;
    let (Some(kind), Some(code), Some(sum)) = (
        bytes::u8_at(data, at),
        bytes::u8_at(data, at + 1),
        bytes::be_u16(data, at + 2),
    ) else {
        super::truncated(d, ctx, data, at, common.name);
        return None;
    };
    let message = bytes::slice(data, at, net.payload_len).unwrap_or_else(|| bytes::tail(data, at));
    let complete = message.len() == net.payload_len && !net.fragment;
    let item = d.add(common.proto, at, message.len(), Value::None);
    d.push_layer(common.layer);
    d.set_protocol(common.name);
    d.begin(item);
    d.add(common.kind, at, 1, Value::UInt(u64::from(kind)));
    let cname = code_name(kind, code);
    d.add_labeled(
        common.code,
        at + 1,
        1,
        Value::UInt(u64::from(code)),
        || match cname {
            Some(name) => format!("Code: {code} ({name})"),
            None => format!("Code: {code}"),
        },
    );
    let status = if !complete {
        2
    } else if checksum::finish(checksum::add(sum_start(message.len()), message)) == 0 {
        1
    } else {
        0
    };
    d.add_labeled(
        common.checksum,
        at + 2,
        2,
        Value::UInt(u64::from(sum)),
        || match status {
            1 => format!("Checksum: 0x{sum:04x} [correct]"),
            0 => format!("Checksum: 0x{sum:04x} [incorrect]"),
            _ => format!("Checksum: 0x{sum:04x} [unverified]"),
        },
    );
    d.add_generated(common.checksum_status, at + 2, 0, Value::UInt(status));
    Some(Header {
        kind,
        code,
        code_name: cname,
        message,
    })
}

/// Matches an echo request and its reply (`is_reply`) by identifier and sequence
/// number, and on the reply adds the link to the request's frame, which it returns.
pub(crate) fn echo_request(
    d: &mut Dissection<'_>,
    ctx: &PacketContext<'_>,
    net: &NetInfo,
    common: &Common,
    (id, seq): (u16, u16),
    is_reply: bool,
) -> Option<u32> {
    let (requester, responder) = if is_reply {
        (net.dst, net.src)
    } else {
        (net.src, net.dst)
    };
    let key = TransactionKey {
        proto: common.ip_proto,
        requester,
        responder,
        id,
        seq,
    };
    let request = ctx
        .analysis
        .and_then(|a| a.transaction(ctx.number, &key, is_reply));
    if let Some(req) = request {
        d.add_generated(common.resp_to, 0, 0, Value::Frame(req));
    }
    request
}

/// Closes an error message's header and names it, then shows the datagram it
/// quotes (from `quoted_at`) as an IP packet of `ip_version`, perhaps truncated.
pub(crate) fn quoted_error<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    data: &'a [u8],
    header: &Header<'_>,
    type_name: &'static str,
    (quoted_at, ip_version): (usize, u8),
) {
    d.end();
    let cname = header.code_name;
    d.set_info(|| match cname {
        Some(c) => format!("{type_name} ({c})"),
        None => type_name.to_string(),
    });
    super::quoted::dissect(d, ctx, data, quoted_at, ip_version);
}

/// The fields ICMP shares with ICMPv6.
const COMMON: Common = Common {
    proto: ICMP,
    layer: "icmp",
    name: "ICMP",
    kind: TYPE,
    code: CODE,
    checksum: CHECKSUM,
    checksum_status: CHECKSUM_STATUS,
    resp_to: RESP_TO,
    ip_proto: 1,
};

/// Dissects an ICMP message.
pub fn dissect<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, data: &'a [u8], net: &NetInfo) {
    let Some(header) = begin(d, ctx, data, net, &COMMON, code_name, |_| 0) else {
        return;
    };
    let (at, kind, code) = (net.payload_offset, header.kind, header.code);
    let tname = type_name(kind).unwrap_or("Unknown ICMP (obsolete or malformed?)");
    match kind {
        0 | 8 | 13 | 14 | 15 | 16 | 17 | 18 => {
            let id = bytes::be_u16(data, at + 4).unwrap_or(0);
            let seq = bytes::be_u16(data, at + 6).unwrap_or(0);
            d.add(IDENT, at + 4, 2, Value::UInt(u64::from(id)));
            d.add(IDENT_LE, at + 4, 2, Value::UInt(u64::from(id.swap_bytes())));
            d.add(SEQ, at + 6, 2, Value::UInt(u64::from(seq)));
            d.add(SEQ_LE, at + 6, 2, Value::UInt(u64::from(seq.swap_bytes())));
            let request = if kind == 0 || kind == 8 {
                echo_request(d, ctx, net, &COMMON, (id, seq), kind == 0)
            } else {
                None
            };
            super::data::dissect(d, data, at + 8);
            d.end();
            let ttl = net.ttl;
            d.set_info(|| {
                let mut info = format!(
                    "{tname:<20} id=0x{id:04x}, seq={seq}/{}, ttl={ttl}",
                    seq.swap_bytes()
                );
                if let Some(req) = request {
                    info.push_str(&format!(" (request in {req})"));
                }
                info
            });
        }
        3 | 4 | 5 | 11 | 12 => {
            if kind == 3 && code == 4 {
                if let Some(mtu) = bytes::be_u16(data, at + 6) {
                    d.add(MTU, at + 6, 2, Value::UInt(u64::from(mtu)));
                }
            } else if kind == 5 {
                if let Some(gw) = bytes::array::<4>(data, at + 4) {
                    d.add(REDIR_GW, at + 4, 4, Value::Ipv4(gw));
                }
            } else {
                let unused = bytes::slice(data, at + 4, 4).unwrap_or(&[]);
                d.add(UNUSED, at + 4, 4, Value::Bytes(unused.into()));
            }
            // The quoted datagram is shown as an IPv4 packet; it may be truncated.
            quoted_error(d, ctx, data, &header, tname, (at + 8, 4));
        }
        _ => {
            d.end();
            d.set_info(|| tname.to_string());
            super::data::dissect(d, data, at + 4);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_frame, with_truncated};

    /// icmp_arp_ping.pcap frame 9: an echo request.
    #[test]
    fn echo_request() {
        with_frame("icmp_arp_ping.pcap", 9, |d| {
            assert_eq!(field(d, "icmp.type"), "8");
            assert_eq!(field(d, "icmp.code"), "0");
            assert_eq!(field(d, "icmp.checksum.status"), "1");
            assert_eq!(field(d, "icmp.ident"), "13741");
            assert_eq!(field(d, "icmp.seq"), "1");
            assert_eq!(
                d.columns.info,
                "Echo (ping) request  id=0x35ad, seq=1/256, ttl=64"
            );
        });
    }

    #[test]
    fn truncated_message() {
        with_truncated("icmp_arp_ping.pcap", 9, 36, |d| {
            assert_eq!(field(d, "icmp.type"), "");
            assert!(d.has(crate::dissect::ws::SHORT));
        });
    }
}
