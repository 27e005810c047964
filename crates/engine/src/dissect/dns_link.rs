//! DNS's links between queries and responses as tshark 4.0's transaction tracking
//! shows them: a response's request and time, a query's response (second pass), an
//! unsolicited response, and retransmitted queries and responses.

use super::context::{PacketContext, TransactionKey};
use super::dns::{RESPONSE_IN, RESPONSE_TO, TIME, UNSOLICITED};
use super::field::kinds::*;
use super::ipv4::NetInfo;
use super::tree::{Dissection, Expert, Severity};
use super::value::Value;

crate::define_fields! { after super::dns::END;
    RETRANSMIT_REQUEST_IN = "dns.retransmit_request_in", "Retransmitted request. Original request in", FRAME;
    RETRANSMIT_RESPONSE_IN = "dns.retransmit_response_in", "Retransmitted response. Original response in", FRAME;
    RETRANSMISSION = "dns.retransmission", "Retransmission", flag(0, 0);
}

/// Adds the links of the message with transaction `id` sent from port `sport` to
/// `dport`: `id_item` is the Transaction ID item a
/// retransmission's warning goes under, `column` the protocol (DNS, MDNS, LLMNR)
/// the warning names.
pub(super) fn links(
    d: &mut Dissection<'_>,
    ctx: &PacketContext<'_>,
    net: &NetInfo,
    (sport, dport): (u16, u16),
    id: u16,
    response: bool,
    (id_item, column): (usize, &'static str),
) {
    let Some(a) = ctx.analysis else {
        return;
    };
    if d.in_error {
        // A message quoted in an ICMP error joins no transaction: a response there
        // is one no request asked for.
        if response {
            d.add_generated(UNSOLICITED, 0, 0, Value::Bool(true));
        }
        return;
    }
    // tshark tracks transactions per conversation, whichever way a message goes
    // (an mDNS answer goes from the asker's socket to the group, as its question).
    let (lo, hi) = if (net.src, sport) <= (net.dst, dport) {
        ((net.src, sport), (net.dst, dport))
    } else {
        ((net.dst, dport), (net.src, sport))
    };
    let key = TransactionKey {
        tag: lo.1,
        proto: 53,
        requester: lo.0,
        responder: hi.0,
        id,
        seq: hi.1,
    };
    // The load records the query (a second pass knows its response); asked first,
    // so that the load has decided about a retransmission.
    let linked = a.transaction(ctx.number, &key, response);
    if let Some(original) = a.dns_retransmit(ctx.number) {
        let (field, what, noun) = if response {
            (RETRANSMIT_RESPONSE_IN, "response", "response")
        } else {
            (RETRANSMIT_REQUEST_IN, "query", "request")
        };
        d.expert(
            id_item,
            Expert {
                severity: Severity::Warning,
                group: "Protocol",
                protocol: column,
                message: std::borrow::Cow::Owned(format!(
                    "DNS {what} retransmission. Original {noun} in frame {original}"
                )),
            },
        );
        d.add_generated(field, 0, 0, Value::Frame(original));
        d.add_generated(RETRANSMISSION, 0, 0, Value::Bool(true));
        return;
    }
    match (response, linked) {
        (true, Some(req)) => {
            d.add_generated(RESPONSE_TO, 0, 0, Value::Frame(req.frame));
            let since = ctx.record.ts_nanos.saturating_sub(req.ts_nanos);
            d.add_generated(TIME, 0, 0, Value::Time(since));
        }
        // A response no request asked for (mDNS announcements, answers to a
        // multicast question) is flagged as tshark flags it.
        (true, None) => {
            d.add_generated(UNSOLICITED, 0, 0, Value::Bool(true));
        }
        (false, Some(response)) => {
            d.add_generated(RESPONSE_IN, 0, 0, Value::Frame(response.frame));
        }
        (false, None) => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_analysed};

    /// dns_retransmissions.pcapng: frames 3 and 4 repeat the LLMNR queries 1 and 2
    /// (same conversation and ID, unanswered, within 5 s); the AAAA query 10 repeats
    /// the A query 5 to the same server (same ID), and the AAAA answer 17 repeats that
    /// server's A answer 16.
    #[test]
    fn retransmitted_queries_and_responses() {
        with_analysed("dns_retransmissions.pcapng", |dissect| {
            let d = dissect(3);
            assert_eq!(field(&d, "dns.retransmit_request_in"), "1");
            assert_eq!(field(&d, "dns.retransmission"), "1");
            let e = d
                .experts
                .iter()
                .find(|e| e.group == "Protocol")
                .expect("warning");
            assert_eq!(e.protocol, "LLMNR");
            assert_eq!(
                e.message,
                "DNS query retransmission. Original request in frame 1"
            );
            let d = dissect(10);
            assert_eq!(field(&d, "dns.retransmit_request_in"), "5");
            let d = dissect(16);
            assert_eq!(field(&d, "dns.response_to"), "5");
            assert_eq!(field(&d, "dns.retransmission"), "");
            let d = dissect(17);
            assert_eq!(field(&d, "dns.retransmit_response_in"), "16");
            assert_eq!(field(&d, "dns.response_to"), "");
            assert!(
                d.experts
                    .iter()
                    .any(|e| e.message
                        == "DNS response retransmission. Original response in frame 16")
            );
        });
    }
}
