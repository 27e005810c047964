//! The `synack` pseudo-protocol: each TCP packet's place in the handshake or the close,
//! both endpoints' RFC 9293 states, the seed's x/y/u/w relation and a plain sentence.
//! The analysis that decides them is `crate::tcp::handshake`; this only shows it.

use super::context::{PacketContext, TcpSegment};
use super::field::kinds::*;
use super::tree::Dissection;
use super::value::Value;
use std::borrow::Cow;

crate::define_fields! { after super::tcp::END;
    SYNACK = "synack", "synack teaching notes", PROTO;
    STEP = "synack.step", "Step", STR;
    SENDER_STATE = "synack.sender_state", "Sender state", STR;
    RECEIVER_STATE = "synack.receiver_state", "Receiver state", STR;
    RELATION = "synack.relation", "Relation", STR;
    EXPLAIN = "synack.explain", "Explanation", STR;
    OFFLOAD = "synack.offload", "Offload", STR;
}

/// The largest TCP payload a 1500-byte Ethernet path carries (its MSS): 1500 less the
/// IPv4 and TCP headers without options.
const ETHERNET_MSS_V4: usize = 1460;
/// The same over IPv6 (a 40-byte header).
const ETHERNET_MSS_V6: usize = 1440;

/// What a TCP segment teaches about the NIC's offloads, if anything: a checksum
/// field that holds only the pseudo-header sum (checksum offload: the NIC fills it in
/// after the capture point saw the packet), a checksum that is wrong otherwise, or a
/// segment larger than an Ethernet path's MSS (TSO/GSO: the kernel hands the NIC
/// one large segment, which the NIC cuts to the MSS). `segment` is the TCP header and
/// payload as captured; `field` the checksum field's value.
pub fn offload(
    net: &super::ipv4::NetInfo,
    segment: &[u8],
    field: u16,
    payload_len: usize,
    ethernet: bool,
) -> Option<String> {
    use super::checksum;
    if segment.len() == net.payload_len {
        let len = u32::try_from(segment.len()).unwrap_or(u32::MAX);
        if let Some(correct) = checksum::verify_transport(&net.src, &net.dst, 6, segment, 16) {
            let pseudo = !checksum::finish(checksum::pseudo_header(&net.src, &net.dst, 6, len));
            let id = if field == pseudo {
                "offload-partial"
            } else {
                "offload-wrong"
            };
            return Some(crate::tr!(
                id,
                field = format!("0x{field:04x}"),
                correct = format!("0x{correct:04x}")
            ));
        }
    }
    let mss = match net.src {
        super::ipv4::Addr::V4(_) => ETHERNET_MSS_V4,
        super::ipv4::Addr::V6(_) => ETHERNET_MSS_V6,
    };
    (ethernet && payload_len > mss).then(|| {
        crate::tr!(
            "offload-tso",
            len = payload_len.to_string(),
            mss = mss.to_string()
        )
    })
}

fn text(s: &str) -> Value<'static> {
    Value::Str(Cow::Owned(s.as_bytes().to_vec()))
}

/// Adds the teaching fields of the current TCP packet.
pub fn dissect(
    d: &mut Dissection<'_>,
    ctx: &PacketContext<'_>,
    segment: &TcpSegment<'_>,
    offload: Option<String>,
) {
    if !d.wants_any(BASE, END) || d.in_error {
        return;
    }
    let Some(t) = ctx.analysis.and_then(|a| a.teaching(ctx.number, segment)) else {
        return;
    };
    let item = d.add_labeled(SYNACK, 0, 0, Value::None, || {
        let mut label = crate::tr!(
            "synack-label",
            step = t.step,
            sender = t.sender_state.name(),
            receiver = t.receiver_state.name()
        );
        if !t.relation.is_empty() {
            label.push_str(&crate::tr!(
                "synack-label-relation",
                relation = t.relation.as_str()
            ));
        }
        label
    });
    d.begin(item);
    d.add_generated(STEP, 0, 0, text(t.step));
    d.add_generated(SENDER_STATE, 0, 0, text(t.sender_state.name()));
    d.add_generated(RECEIVER_STATE, 0, 0, text(t.receiver_state.name()));
    if !t.relation.is_empty() {
        d.add_generated(RELATION, 0, 0, text(&t.relation));
    }
    d.add_generated(EXPLAIN, 0, 0, text(&t.explain));
    if let Some(o) = offload {
        d.add_generated(OFFLOAD, 0, 0, text(&o));
    }
    d.end();
}
