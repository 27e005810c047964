//! The frame pseudo-protocol: capture metadata (times, lengths, interface) and the
//! dispatch to the link layer.

use super::context::PacketContext;
use super::field::kinds::*;
use super::time::{epoch_text, local_time_text};
use super::tree::Dissection;
use super::value::{Value, rel_time_text};
use super::{ethernet, ipv4, ipv6, links, null, sll};
use crate::capture::LinkType;
use std::borrow::Cow;

crate::define_fields! { after super::ws::END;
    FRAME = "frame", "Frame", PROTO;
    SECTION_NUMBER = "frame.section_number", "Section number", dec(32);
    INTERFACE_ID = "frame.interface_id", "Interface id", dec(32);
    INTERFACE_NAME = "frame.interface_name", "Interface name", STR;
    INTERFACE_DESCRIPTION = "frame.interface_description", "Interface description", STR;
    ENCAP_TYPE = "frame.encap_type", "Encapsulation type", dec(16);
    TIME = "frame.time", "Arrival Time", ABS_TIME;
    OFFSET_SHIFT = "frame.offset_shift", "Time shift for this packet", REL_TIME;
    TIME_EPOCH = "frame.time_epoch", "Epoch Time", REL_TIME;
    TIME_DELTA = "frame.time_delta", "Time delta from previous captured frame", REL_TIME;
    TIME_DELTA_DISPLAYED = "frame.time_delta_displayed", "Time delta from previous displayed frame", REL_TIME;
    TIME_RELATIVE = "frame.time_relative", "Time since reference or first frame", REL_TIME;
    NUMBER = "frame.number", "Frame Number", dec(32);
    LEN = "frame.len", "Frame Length", dec(32);
    CAP_LEN = "frame.cap_len", "Capture Length", dec(32);
    MARKED = "frame.marked", "Frame is marked", flag(0, 0);
    IGNORED = "frame.ignored", "Frame is ignored", flag(0, 0);
    PROTOCOLS = "frame.protocols", "Protocols in frame", STR;
    COMMENT = "frame.comment", "Comment", STR;
}

/// The name of a pcapng record's interface, `unknown` when its description block
/// gives none (as tshark says); a pcap record has no interface to name.
fn interface_name<'i>(ctx: &PacketContext<'i>) -> Option<&'i str> {
    if ctx.record.block() == crate::capture::BlockKind::PcapRecord {
        return None;
    }
    Some(ctx.iface.name.as_deref().unwrap_or("unknown"))
}

/// Dissects the frame metadata and then the link layer.
pub fn dissect<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, data: &'a [u8]) {
    let rec = ctx.record;
    let iface = ctx.iface;
    let frame = d.add_labeled(FRAME, 0, data.len(), Value::None, || {
        let mut label = format!(
            "Frame {}: {} bytes on wire ({} bits), {} bytes captured ({} bits)",
            ctx.number,
            rec.orig_len,
            u64::from(rec.orig_len) * 8,
            rec.cap_len,
            u64::from(rec.cap_len) * 8
        );
        if let Some(name) = interface_name(ctx) {
            label.push_str(&format!(" on interface {name}, id {}", rec.iface()));
        }
        label
    });
    // Unless a frame.* field is kept (the tree, or a filter on one), only the protocol
    // item and the layers below are needed.
    let protocols = if d.keeps_fields_of(FRAME) {
        metadata(d, ctx, frame)
    } else {
        usize::MAX
    };
    let link = iface.link_type;
    link_layer(d, ctx, link, data);

    if protocols != usize::MAX {
        let joined = d.layers_joined();
        d.set_value(protocols, Value::Str(Cow::Owned(joined.into_bytes())));
    }
}

/// The capture metadata under the frame item `frame`; returns the `frame.protocols`
/// node, filled in once the layers are known.
fn metadata(d: &mut Dissection<'_>, ctx: &PacketContext<'_>, frame: usize) -> usize {
    let rec = ctx.record;
    let iface = ctx.iface;
    d.begin(frame);
    let pcapng = rec.block() != crate::capture::BlockKind::PcapRecord;
    if pcapng {
        d.add(
            SECTION_NUMBER,
            0,
            0,
            Value::UInt(u64::from(iface.section) + 1),
        );
        let id = d.add_labeled(
            INTERFACE_ID,
            0,
            0,
            Value::UInt(u64::from(rec.iface())),
            || match interface_name(ctx) {
                Some(name) => format!("Interface id: {} ({name})", rec.iface()),
                None => format!("Interface id: {}", rec.iface()),
            },
        );
        d.begin(id);
        // tshark labels both as they are, without a string's escapes (Npcap's
        // "\Device\NPF_{…}" keeps its single backslashes).
        if let Some(name) = interface_name(ctx) {
            d.add_labeled(
                INTERFACE_NAME,
                0,
                0,
                Value::Str(Cow::Owned(name.to_string().into_bytes())),
                || format!("Interface name: {name}"),
            );
        }
        if let Some(desc) = &iface.description {
            d.add_labeled(
                INTERFACE_DESCRIPTION,
                0,
                0,
                Value::Str(Cow::Owned(desc.clone().into_bytes())),
                || format!("Interface description: {desc}"),
            );
        }
        d.end();
    }
    let link = iface.link_type;
    let encap = link.wtap_encap();
    d.add_labeled(ENCAP_TYPE, 0, 0, Value::UInt(u64::from(encap)), || {
        format!("Encapsulation type: {} ({encap})", link.name())
    });
    let ts = rec.ts_nanos;
    d.add_labeled(TIME, 0, 0, Value::Time(ts), || {
        format!("Arrival Time: {}", local_time_text(ts, 9))
    });
    d.add_generated(OFFSET_SHIFT, 0, 0, Value::Time(0));
    d.add_labeled(TIME_EPOCH, 0, 0, Value::Time(ts), || {
        format!("Epoch Time: {} seconds", epoch_text(ts))
    });
    d.add_generated(
        TIME_DELTA,
        0,
        0,
        Value::Time(ts.saturating_sub(ctx.prev_ts_nanos)),
    );
    d.add_generated(
        TIME_DELTA_DISPLAYED,
        0,
        0,
        Value::Time(ts.saturating_sub(ctx.prev_displayed_ts_nanos)),
    );
    d.add_generated(
        TIME_RELATIVE,
        0,
        0,
        Value::Time(ts.saturating_sub(ctx.first_ts_nanos)),
    );
    d.add(NUMBER, 0, 0, Value::UInt(u64::from(ctx.number)));
    let (orig, cap) = (rec.orig_len, rec.cap_len);
    d.add_labeled(LEN, 0, 0, Value::UInt(u64::from(orig)), || {
        format!("Frame Length: {orig} bytes ({} bits)", u64::from(orig) * 8)
    });
    d.add_labeled(CAP_LEN, 0, 0, Value::UInt(u64::from(cap)), || {
        format!("Capture Length: {cap} bytes ({} bits)", u64::from(cap) * 8)
    });
    d.add_generated_labeled(MARKED, Value::Bool(ctx.marked), || {
        format!(
            "Frame is marked: {}",
            if ctx.marked { "True" } else { "False" }
        )
    });
    d.add_generated_labeled(IGNORED, Value::Bool(false), || {
        "Frame is ignored: False".into()
    });
    let protocols = d.add_generated(PROTOCOLS, 0, 0, Value::Str(Cow::Borrowed(b"")));
    d.end_all();
    protocols
}

/// Dispatches on the link type.
fn link_layer<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, link: LinkType, data: &'a [u8]) {
    match link.0 {
        1 => ethernet::dissect(d, ctx, data, 0),
        0 => null::dissect(d, ctx, data, crate::bytes::Endian::Little),
        108 => null::dissect(d, ctx, data, crate::bytes::Endian::Big),
        113 => sll::dissect_v1(d, ctx, data),
        276 => sll::dissect_v2(d, ctx, data),
        12 | 14 | 101 => super::raw::dissect(d, ctx, data),
        9 | 50 => links::ppp(d, ctx, data),
        104 => super::chdlc::dissect(d, ctx, data),
        129 => links::arcnet(d, ctx, data),
        242 => links::ipoib(d, ctx, data),
        127 => super::radiotap::dissect(d, ctx, data),
        192 => super::ppi::dissect(d, ctx, data),
        105 => super::ieee80211::dissect(d, ctx, data, 0, false),
        228 => {
            ipv4::dissect(d, ctx, data, 0);
        }
        229 => {
            ipv6::dissect(d, ctx, data, 0);
        }
        _ => {
            super::data::dissect(d, data, 0);
            d.set_protocol(Cow::Owned(format!("LINKTYPE_{}", link.0)));
            let name = link.name();
            d.set_info(|| format!("{name} frame (link type {}), not dissected further", link.0));
        }
    }
}

/// Formats a duration for labels ("0.000002000 seconds").
pub fn seconds_label(nanos: i64) -> String {
    format!("{} seconds", rel_time_text(nanos))
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_frame};

    /// arp_duplicate.pcapng frame 1 (Npcap on Windows): the interface's name keeps
    /// its single backslashes in the label, as tshark prints it.
    #[test]
    fn npcap_interface_name_label() {
        with_frame("arp_duplicate.pcapng", 1, |d| {
            let name = r"\Device\NPF_{A3508367-962F-45BB-AC99-06CCC6E43A4A}";
            assert_eq!(field(d, "frame.interface_name"), name);
            let labels: Vec<String> = d.nodes.iter().map(|n| n.label()).collect();
            assert!(labels.contains(&format!("Interface name: {name}")));
            assert!(labels.contains(&"Interface description: Wi-Fi".to_string()));
        });
    }
}
