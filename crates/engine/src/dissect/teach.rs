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
/// after the capture point saw the packet), a checksum that is wrong otherwise, and a
/// segment larger than the path's MSS (TSO/GSO: the kernel hands the NIC one large
/// segment, which the NIC cuts to the MSS). A large segment usually has a partial
/// checksum too, so both sentences can be said. `segment` is the TCP header and
/// payload as captured; `field` the checksum field's value; `path_mss` the smaller of
/// the SYNs' MSS options, when the handshake was seen (else an Ethernet path's MSS is
/// presumed, on Ethernet only).
pub fn offload(
    net: &super::ipv4::NetInfo,
    segment: &[u8],
    field: u16,
    payload_len: usize,
    ethernet: bool,
    path_mss: Option<u16>,
) -> Option<String> {
    use super::checksum;
    let mut said: Vec<String> = Vec::new();
    if segment.len() == net.payload_len {
        let len = u32::try_from(segment.len()).unwrap_or(u32::MAX);
        if let Some(correct) = checksum::verify_transport(&net.src, &net.dst, 6, segment, 16) {
            let pseudo = !checksum::finish(checksum::pseudo_header(&net.src, &net.dst, 6, len));
            let id = if field == pseudo {
                "offload-partial"
            } else {
                "offload-wrong"
            };
            said.push(crate::tr!(
                id,
                field = format!("0x{field:04x}"),
                correct = format!("0x{correct:04x}")
            ));
        }
    }
    let ethernet_mss = match net.src {
        super::ipv4::Addr::V4(_) => ETHERNET_MSS_V4,
        super::ipv4::Addr::V6(_) => ETHERNET_MSS_V6,
    };
    said.extend(tso_note(
        payload_len,
        path_mss,
        ethernet.then_some(ethernet_mss),
    ));
    (!said.is_empty()).then(|| said.join(" "))
}

/// The TSO/GSO lesson of a segment carrying `payload_len` bytes, when that is more
/// than the path's MSS (the SYNs'), or without a handshake more than `ethernet_mss`
/// (an Ethernet path's, when the link is Ethernet).
pub fn tso_note(
    payload_len: usize,
    path_mss: Option<u16>,
    ethernet_mss: Option<usize>,
) -> Option<String> {
    match path_mss.map(usize::from) {
        // The SYNs said how large a segment may be on the wire.
        Some(mss) => (payload_len > mss).then(|| {
            crate::tr!(
                "offload-tso-syn",
                len = payload_len.to_string(),
                mss = mss.to_string()
            )
        }),
        None => ethernet_mss.filter(|mss| payload_len > *mss).map(|mss| {
            crate::tr!(
                "offload-tso",
                len = payload_len.to_string(),
                mss = mss.to_string()
            )
        }),
    }
}

fn text(s: &str) -> Value<'static> {
    Value::Str(Cow::Owned(s.as_bytes().to_vec()))
}

/// Adds the teaching fields of the current TCP packet; `offload` says what the
/// segment teaches about the NIC's offloads, given the path's MSS (see [`offload`]).
pub fn dissect(
    d: &mut Dissection<'_>,
    ctx: &PacketContext<'_>,
    segment: &TcpSegment<'_>,
    offload: impl FnOnce(Option<u16>) -> Option<String>,
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
    if let Some(o) = offload(t.path_mss) {
        d.add_generated(OFFLOAD, 0, 0, text(&o));
    }
    d.end();
}

#[cfg(test)]
mod tests {
    use super::super::checksum;
    use super::super::ipv4::{Addr, NetInfo};
    use super::offload;

    /// A TCP header of 20 bytes and `payload` zero bytes, its checksum field holding
    /// the pseudo-header sum alone (as a host that offloads checksums hands it on).
    fn partial(net: &NetInfo, payload: usize) -> (Vec<u8>, u16) {
        let mut seg = vec![0u8; 20 + payload];
        seg[12] = 5 << 4;
        let len = u32::try_from(seg.len()).unwrap_or(u32::MAX);
        let field = !checksum::finish(checksum::pseudo_header(&net.src, &net.dst, 6, len));
        seg[16..18].copy_from_slice(&field.to_be_bytes());
        (seg, field)
    }

    fn net(payload_len: usize) -> NetInfo {
        NetInfo {
            src: Addr::V4([10, 0, 0, 1]),
            dst: Addr::V4([10, 0, 0, 2]),
            payload_offset: 34,
            payload_len,
            fragment: false,
            ttl: 64,
        }
    }

    #[test]
    fn a_whole_large_segment_says_both_offloads() {
        // Captured whole (no snap length), a TSO segment also has a partial checksum.
        let n = net(20 + 4000);
        let (seg, field) = partial(&n, 4000);
        let said = offload(&n, &seg, field, 4000, true, Some(1460)).unwrap_or_default();
        assert!(said.contains("(checksum offload)"), "{said}");
        assert!(
            said.contains("This segment carries 4000 bytes, more than the 1460-byte MSS"),
            "{said}"
        );
    }

    #[test]
    fn the_syns_mss_decides_not_ethernets() {
        // Loopback announces an MSS of 65483: a 32 KB segment is an ordinary one.
        let n = net(20 + 32768);
        let cut = [0u8; 54];
        assert_eq!(offload(&n, &cut, 0, 32768, true, Some(65483)), None);
        // A path whose SYNs said 1200 (a tunnel): 1300 bytes is more than it takes.
        let said = offload(&net(1320), &cut, 0, 1300, true, Some(1200)).unwrap_or_default();
        assert!(said.contains("more than the 1200-byte MSS"), "{said}");
        // No SYN seen: an Ethernet path is presumed, on Ethernet only.
        let said = offload(&n, &cut, 0, 32768, true, None).unwrap_or_default();
        assert!(said.contains("1460-byte MSS of an Ethernet path"), "{said}");
        assert_eq!(offload(&n, &cut, 0, 32768, false, None), None);
        assert_eq!(offload(&net(1480), &cut, 0, 1460, true, Some(1460)), None);
    }
}
