//! IEEE 802.1Q / 802.1ad VLAN tags (nested tags recurse through the EtherType dispatch,
//! bounded by the dissection depth limit).

use super::context::PacketContext;
use super::ethernet::{ETHERTYPES, dispatch_ethertype};
use super::field::Base;
use super::field::kinds::*;
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;

#[rustfmt::skip]
const PRIORITIES: &[(u64, &str)] = &[
    (0, "Best Effort (default)"), (1, "Background"), (2, "Excellent Effort"),
    (3, "Critical Applications"), (4, "Video, < 100ms latency and jitter"),
    (5, "Voice, < 10ms latency and jitter"), (6, "Internetwork Control"), (7, "Network Control"),
];

crate::define_fields! { after super::ethernet::END;
    VLAN = "vlan", "802.1Q Virtual LAN", PROTO;
    PRIORITY = "vlan.priority", "Priority", uint(16, Base::Dec, 0xe000, Some(PRIORITIES));
    DEI_FIELD = "vlan.dei", "DEI", flag(16, 0x1000);
    ID = "vlan.id", "ID", uint(16, Base::Dec, 0x0fff, None);
    ETYPE = "vlan.etype", "Type", hex_named(16, ETHERTYPES);
    LEN = "vlan.len", "Length", dec(16);
}

/// Maximum nested tags followed (a frame of repeated tags must not recurse forever).
pub const MAX_NESTED_TAGS: usize = 8;

/// Dissects one tag at `offset` (`tpid` was the EtherType that announced it).
pub fn dissect<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    data: &'a [u8],
    offset: usize,
    _tpid: u16,
) -> Option<usize> {
    let (Some(tci), Some(kind)) = (bytes::be_u16(data, offset), bytes::be_u16(data, offset + 2))
    else {
        super::malformed(d, data, offset, "802.1Q", 4);
        return None;
    };
    let depth = d.layer_names().iter().filter(|n| **n == "vlan").count();
    let prio = u64::from(tci >> 13);
    let id = u64::from(tci & 0x0fff);
    let item = d.add_labeled(VLAN, offset, 4, Value::None, || {
        format!(
            "802.1Q Virtual LAN, PRI: {prio}, DEI: {}, ID: {id}",
            (tci >> 12) & 1
        )
    });
    d.push_layer("vlan");
    d.begin(item);
    d.add(PRIORITY, offset, 2, Value::UInt(prio));
    let dei = (tci >> 12) & 1;
    // A boolean with its own words for true and false: no "(0)" after them.
    d.add_labeled(DEI_FIELD, offset, 2, Value::Bool(dei == 1), || {
        format!(
            "{} = DEI: {}",
            super::value::bit_chart(16, 0x1000, u64::from(dei)),
            if dei == 1 { "Eligible" } else { "Ineligible" }
        )
    });
    d.add(ID, offset, 2, Value::UInt(id));
    // VLAN's own Info, which the payload's dissector replaces.
    d.set_info(|| format!("PRI: {prio}  DEI: {dei}  ID: {id}"));
    if kind < 0x0600 {
        d.add(LEN, offset + 2, 2, Value::UInt(u64::from(kind)));
        d.end();
        // An 802.3 length behind the tag: LLC follows, bounded by it.
        let end = (offset + 4 + usize::from(kind)).min(data.len());
        super::llc::dissect(d, ctx, data.get(..end).unwrap_or(data), offset + 4);
        return Some(end);
    }
    d.add(ETYPE, offset + 2, 2, Value::UInt(u64::from(kind)));
    d.end();
    if depth >= MAX_NESTED_TAGS {
        super::data::dissect(d, data, offset + 4);
        return None;
    }
    dispatch_ethertype(d, ctx, data, offset + 4, kind)
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_frame, with_patched};

    /// vlan_tagged.pcap frame 8: a SYN behind an 802.1Q tag.
    #[test]
    fn tag_fields() {
        with_frame("vlan_tagged.pcap", 8, |d| {
            assert_eq!(field(d, "vlan.id"), "1774");
            assert_eq!(field(d, "vlan.etype"), "0x0800");
            assert_eq!(field(d, "tcp.flags.syn"), "1");
        });
    }

    #[test]
    fn nested_tags_are_bounded() {
        // Make the tag's EtherType another 802.1Q tag, over and over.
        with_patched(
            "vlan_tagged.pcap",
            8,
            |b| {
                b.truncate(14);
                b[12..14].copy_from_slice(&[0x81, 0x00]);
                for _ in 0..64 {
                    b.extend_from_slice(&[0x00, 0x01, 0x81, 0x00]);
                }
            },
            |d| {
                assert!(d.values(super::ID).count() <= super::MAX_NESTED_TAGS + 1);
            },
        );
    }
}
