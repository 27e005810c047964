//! ICMP for IPv4 (RFC 792): echo with request/reply matching, errors with the quoted
//! datagram, and the other message types by name.

use super::checksum;
use super::context::{PacketContext, TransactionKey};
use super::field::kinds::*;
use super::ipv4::{NetInfo, STATUS_NAMES};
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;

#[rustfmt::skip]
#[rustfmt::skip]
const TYPES: &[(u64, &str)] = &[
    (0, "Echo (ping) reply"), (3, "Destination unreachable"), (4, "Source quench (flow control)"),
    (5, "Redirect"), (8, "Echo (ping) request"), (9, "Router advertisement"),
    (10, "Router solicitation"), (11, "Time-to-live exceeded"), (12, "Parameter problem"),
    (13, "Timestamp request"), (14, "Timestamp reply"), (15, "Information request"),
    (16, "Information reply"), (17, "Address mask request"), (18, "Address mask reply"),
];
#[rustfmt::skip]
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
    CHECKSUM_STATUS = "icmp.checksum.status", "Checksum Status", dec_named(8, STATUS_NAMES);
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

/// Dissects an ICMP message.
pub fn dissect<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, data: &'a [u8], net: &NetInfo) {
    let at = net.payload_offset;
    let (Some(kind), Some(code), Some(sum)) = (
        bytes::u8_at(data, at),
        bytes::u8_at(data, at + 1),
        bytes::be_u16(data, at + 2),
    ) else {
        super::truncated(d, ctx, data, at, "ICMP");
        return;
    };
    let message = bytes::slice(data, at, net.payload_len).unwrap_or_else(|| bytes::tail(data, at));
    let complete = message.len() == net.payload_len && !net.fragment;
    let item = d.add(ICMP, at, message.len(), Value::None);
    d.push_layer("icmp");
    d.set_protocol("ICMP");
    d.begin(item);
    d.add(TYPE, at, 1, Value::UInt(u64::from(kind)));
    let cname = code_name(kind, code);
    d.add_labeled(
        CODE,
        at + 1,
        1,
        Value::UInt(u64::from(code)),
        || match cname {
            Some(name) => format!("Code: {code} ({name})"),
            None => format!("Code: {code}"),
        },
    );
    let status = if complete {
        if checksum::finish(checksum::add(0, message)) == 0 {
            1
        } else {
            0
        }
    } else {
        2
    };
    d.add_labeled(
        CHECKSUM,
        at + 2,
        2,
        Value::UInt(u64::from(sum)),
        || match status {
            1 => format!("Checksum: 0x{sum:04x} [correct]"),
            0 => format!("Checksum: 0x{sum:04x} [incorrect]"),
            _ => format!("Checksum: 0x{sum:04x} [unverified]"),
        },
    );
    d.add_generated(CHECKSUM_STATUS, at + 2, 0, Value::UInt(status));
    let tname = type_name(kind).unwrap_or("Unknown ICMP (obsolete or malformed?)");
    match kind {
        0 | 8 | 13 | 14 | 15 | 16 | 17 | 18 => {
            let id = bytes::be_u16(data, at + 4).unwrap_or(0);
            let seq = bytes::be_u16(data, at + 6).unwrap_or(0);
            d.add(IDENT, at + 4, 2, Value::UInt(u64::from(id)));
            d.add(IDENT_LE, at + 4, 2, Value::UInt(u64::from(id.swap_bytes())));
            d.add(SEQ, at + 6, 2, Value::UInt(u64::from(seq)));
            d.add(SEQ_LE, at + 6, 2, Value::UInt(u64::from(seq.swap_bytes())));
            let mut request = None;
            if kind == 0 || kind == 8 {
                let is_reply = kind == 0;
                let (requester, responder) = if is_reply {
                    (net.dst, net.src)
                } else {
                    (net.src, net.dst)
                };
                let key = TransactionKey {
                    proto: 1,
                    requester,
                    responder,
                    id,
                    seq,
                };
                request = ctx
                    .analysis
                    .and_then(|a| a.transaction(ctx.number, &key, is_reply));
                if let Some(req) = request {
                    d.add_generated(RESP_TO, 0, 0, Value::Frame(req));
                }
            }
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
            d.end();
            d.set_info(|| match cname {
                Some(c) => format!("{tname} ({c})"),
                None => tname.to_string(),
            });
            // The quoted datagram is shown as an IPv4 packet; it may be truncated.
            super::quoted::dissect(d, ctx, data, at + 8, 4);
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
