//! The entry point of dissection and the markers for truncated and malformed packets.

use super::context::PacketContext;

use super::tree::{Dissection, Expert, Severity};
use super::value::Value;
use super::{frame, ws};
use crate::capture::{Interface, PacketRecord};
use crate::wire::{Limit, Short};

impl<'c> PacketContext<'c> {
    /// The context of frame `number` dissected on its own: no analysis, not marked,
    /// and its own timestamp as every earlier one (relative times are zero).
    pub fn alone(number: u32, record: PacketRecord, iface: &'c Interface) -> Self {
        PacketContext {
            number,
            record,
            iface,
            first_ts_nanos: record.ts_nanos,
            prev_ts_nanos: record.ts_nanos,
            prev_displayed_ts_nanos: record.ts_nanos,
            analysis: None,
            marked: false,
            prefs: crate::prefs::Prefs::default(),
        }
    }
}

/// Dissects one packet's captured bytes `data` into `d`.
pub fn dissect_packet<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, data: &'a [u8]) {
    frame::dissect(d, ctx, data);
}

/// Marks a packet that the capture cut short (its snapshot length) where `proto`
/// needed more bytes: tshark's "[Packet size limited during capture]". `detail`, our
/// own text, goes under tshark's line.
pub fn short(d: &mut Dissection<'_>, proto: &str, detail: Option<&Short>) {
    d.at_top_level(|d| {
        let node = d.add_labeled(ws::SHORT, 0, 0, Value::None, || {
            format!("[Packet size limited during capture: {proto} truncated]")
        });
        if let Some(short) = detail {
            d.begin(node);
            d.text(short.offset, short.available, || format!("[{short}]"));
            d.end();
        }
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
    let available = data.len().saturating_sub(offset);
    let short = Short {
        layer: proto,
        offset,
        needed,
        available,
        limit: Limit::Captured,
    };
    malformed_with(d, proto, offset, available, Some(&short));
}

/// tshark's "[Malformed Packet]" over `len` bytes at `offset`; the expert text is
/// tshark's, followed by `detail` when there is one.
fn malformed_with(
    d: &mut Dissection<'_>,
    proto: &'static str,
    offset: usize,
    len: usize,
    detail: Option<&Short>,
) {
    let node = d.at_top_level(|d| {
        let node = d.add_labeled(ws::MALFORMED, offset, len, Value::None, || {
            format!("[Malformed Packet: {proto}]")
        });
        // Our detail under tshark's line, so that `-V` and the window show it too.
        if let Some(short) = detail {
            d.begin(node);
            d.text(short.offset, short.available, || format!("[{short}]"));
            d.end();
        }
        node
    });
    let message = match detail {
        Some(short) => format!("Malformed Packet (Exception occurred): {short}"),
        None => "Malformed Packet (Exception occurred)".to_string(),
    };
    d.expert(node, malformed_expert(proto, message));
    d.set_protocol(proto);
    d.append_info("[Malformed Packet]");
}

/// tshark's "[Malformed Packet]" over `len` bytes at `offset`, for a PDU whose own
/// lengths point past its bytes.
pub fn malformed_pdu(d: &mut Dissection<'_>, proto: &'static str, offset: usize, len: usize) {
    malformed_with(d, proto, offset, len, None);
}

/// A PDU cut by the end of a segment that nothing reassembled (reassembly turned
/// off): tshark's "[BoundError Unreassembled Packet]" and its note.
pub fn unreassembled(d: &mut Dissection<'_>, proto: &'static str, offset: usize, len: usize) {
    let node = d.at_top_level(|d| {
        d.add_labeled(ws::UNREASSEMBLED, offset, len, Value::None, || {
            format!("[BoundError Unreassembled Packet: {proto}]")
        })
    });
    d.expert(
        node,
        Expert {
            severity: Severity::Note,
            group: "Reassemble",
            protocol: proto,
            message: std::borrow::Cow::Borrowed(
                "Unreassembled fragment (change preferences to enable reassembly)",
            ),
        },
    );
    d.set_protocol(proto);
    d.append_info("[BoundErrorUnreassembled Packet]");
}

/// tshark's ReassemblyError exception thrown while `proto` was current: a
/// "[Reassembly error, protocol …: …]" item at the top level, its Malformed error,
/// and the same text after the Info column.
pub fn reassembly_error(d: &mut Dissection<'_>, proto: &'static str, message: &'static str) {
    let node = d.at_top_level(|d| {
        d.add_labeled(ws::MALFORMED, 0, 0, Value::None, || {
            format!("[Reassembly error, protocol {proto}: {message}]")
        })
    });
    d.expert(node, malformed_expert(proto, message.to_string()));
    d.append_info(&format!("[Reassembly error, protocol {proto}: {message}]"));
}

/// A media body (`len` bytes at `offset`) whose dissector `proto` (tshark's short
/// name) read past its end: tshark's "[Malformed Packet: …]" after the body's tree,
/// with `detail` (tshark's words for the kind of exception, or nothing). The Protocol
/// and Info columns are the carrier's to set, as tshark's media dissectors leave them.
pub fn malformed_body(
    d: &mut Dissection<'_>,
    proto: &'static str,
    detail: &'static str,
    offset: usize,
    len: usize,
) {
    let node = d.at_top_level(|d| {
        d.add_labeled(ws::MALFORMED, offset, len, Value::None, || {
            format!("[Malformed Packet: {proto}{detail}]")
        })
    });
    d.expert(
        node,
        malformed_expert(proto, "Malformed Packet (Exception occurred)".to_string()),
    );
}

/// The item of [`malformed_body`] alone, without its expert: what a dissection
/// without a tree adds for a throw tshark's tree-building passes (the protocol
/// hierarchy) see and its tree-less ones (summary lines, expert counts) do not.
pub fn malformed_body_item(
    d: &mut Dissection<'_>,
    proto: &'static str,
    detail: &'static str,
    offset: usize,
    len: usize,
) {
    d.at_top_level(|d| {
        d.add_labeled(ws::MALFORMED, offset, len, Value::None, || {
            format!("[Malformed Packet: {proto}{detail}]")
        })
    });
}

/// A header that does not fit, where the caller does not know how much it needed:
/// short when the capture truncated the packet, else malformed, in tshark's words.
pub fn truncated(
    d: &mut Dissection<'_>,
    ctx: &PacketContext<'_>,
    data: &[u8],
    offset: usize,
    proto: &'static str,
) {
    if ctx.record.cap_len < ctx.record.orig_len {
        short(d, proto, None);
    } else {
        malformed_with(d, proto, offset, data.len().saturating_sub(offset), None);
    }
}

/// The view `parsed` from the frame's bytes at `offset`; when the header did not fit,
/// the marks of [`cut_header`] and `None`.
pub fn view_or_cut<V>(
    d: &mut Dissection<'_>,
    ctx: &PacketContext<'_>,
    parsed: Result<V, Short>,
    offset: usize,
) -> Option<V> {
    match parsed {
        Ok(view) => Some(view),
        Err(short) => {
            cut_header(d, ctx, &short.shifted(offset));
            None
        }
    }
}

/// A header a view found cut (`cut`, its offset in the frame): short when the capture
/// truncated the packet, else malformed; either way our detail states what the header
/// needed and had.
pub fn cut_header(d: &mut Dissection<'_>, ctx: &PacketContext<'_>, cut: &Short) {
    if ctx.record.cap_len < ctx.record.orig_len {
        short(d, cut.layer, Some(cut));
    } else {
        malformed_with(d, cut.layer, cut.offset, cut.available, Some(cut));
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

/// An error of the Malformed group.
pub(super) fn malformed_expert(proto: &'static str, message: String) -> Expert {
    Expert {
        severity: Severity::Error,
        group: "Malformed",
        protocol: proto,
        message: std::borrow::Cow::Owned(message),
    }
}

#[cfg(test)]
mod tests {
    /// tshark's reassembly error (a keep-alive inside a reassembled PDU gets it): the
    /// item at the top level, its error, and the text right after the Info column.
    #[test]
    fn reassembly_error_marks_item_expert_and_info() {
        let mut d = crate::dissect::Dissection::full();
        d.set_info(|| "Len=1".to_string());
        super::reassembly_error(&mut d, "TCP", "New fragment overlaps old data");
        let text = "[Reassembly error, protocol TCP: New fragment overlaps old data]";
        assert_eq!(d.columns.info, format!("Len=1{text}"));
        assert!(d.nodes.iter().any(|n| n.label() == text));
        let e = d.experts.last().expect("an expert item");
        assert_eq!((e.group, e.protocol), ("Malformed", "TCP"));
        assert_eq!(e.message, "New fragment overlaps old data");
    }
}
