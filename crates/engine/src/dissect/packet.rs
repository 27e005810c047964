//! The entry point of dissection and the markers for truncated and malformed packets.

use super::context::PacketContext;

use super::tree::{Dissection, Expert, Severity};
use super::value::Value;
use super::{frame, ws};
use crate::capture::{Interface, PacketRecord};

impl<'c> PacketContext<'c> {
    /// The context of frame `number` dissected on its own: no analysis, not marked,
    /// and its own timestamp as every earlier one (relative times are zero).
    pub fn alone(number: u32, record: &'c PacketRecord, iface: &'c Interface) -> Self {
        PacketContext {
            number,
            record,
            iface,
            first_ts_nanos: record.ts_nanos,
            prev_ts_nanos: record.ts_nanos,
            prev_displayed_ts_nanos: record.ts_nanos,
            analysis: None,
            marked: false,
        }
    }
}

/// Dissects one packet's captured bytes `data` into `d`.
pub fn dissect_packet<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, data: &'a [u8]) {
    frame::dissect(d, ctx, data);
}

/// Marks a packet that the capture cut short (its snapshot length) where `proto`
/// needed more bytes: tshark's "[Packet size limited during capture]".
pub fn short(d: &mut Dissection<'_>, proto: &str) {
    d.at_top_level(|d| {
        d.add_labeled(ws::SHORT, 0, 0, Value::None, || {
            format!("[Packet size limited during capture: {proto} truncated]")
        });
    });
    d.append_info("[Packet size limited during capture]");
}

/// Marks a packet whose `proto` header is impossible (shorter than `needed` bytes on
/// the wire): tshark's "[Malformed Packet]".
pub fn malformed(
    d: &mut Dissection<'_>,
    data: &[u8],
    offset: usize,
    proto: &'static str,
    needed: usize,
) {
    let len = data.len().saturating_sub(offset);
    let node = d.at_top_level(|d| {
        d.add_labeled(ws::MALFORMED, offset, len, Value::None, || {
            format!("[Malformed Packet: {proto}]")
        })
    });
    d.expert(
        node,
        malformed_expert(
            proto,
            format!(
                "Malformed Packet (Exception occurred): {proto} needs {needed} bytes at offset {offset}, {len} present"
            ),
        ),
    );
    d.set_protocol(proto);
    d.append_info("[Malformed Packet]");
}

/// A header that does not fit: short when the capture truncated the packet, else
/// malformed.
pub fn truncated(
    d: &mut Dissection<'_>,
    ctx: &PacketContext<'_>,
    data: &[u8],
    offset: usize,
    proto: &'static str,
) {
    if ctx.record.cap_len < ctx.record.orig_len {
        short(d, proto);
    } else {
        malformed(d, data, offset, proto, 0);
    }
}

/// An expert error for a field whose value is impossible (a bogus length).
pub fn expert_malformed(
    d: &mut Dissection<'_>,
    offset: usize,
    len: usize,
    proto: &'static str,
    message: String,
) {
    let node = d.text(offset, len, || message.clone());
    d.expert(node, malformed_expert(proto, message));
}

/// An error in the Malformed group, as tshark raises for a packet it cannot parse.
fn malformed_expert(proto: &'static str, message: String) -> Expert {
    Expert {
        severity: Severity::Error,
        group: "Malformed",
        protocol: proto,
        message: std::borrow::Cow::Owned(message),
    }
}
