//! Raw IP (link types 12, 14 and 101): no link header, the version nibble says IPv4 or
//! IPv6. tshark shows an empty "Raw packet data" item first, and counts `raw` in the
//! protocol hierarchy.

use super::context::PacketContext;
use super::field::kinds::*;
use super::tree::Dissection;
use super::value::Value;
use super::{ipv4, ipv6};

crate::define_fields! { after super::ieee1905::END;
    RAW = "raw", "Raw packet data", PROTO;
}

/// Dissects a raw IP packet.
pub fn dissect<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, data: &'a [u8]) {
    d.add(RAW, 0, data.len(), Value::None);
    d.push_layer("raw");
    match data.first().map(|b| b >> 4) {
        Some(4) => {
            ipv4::dissect(d, ctx, data, 0);
        }
        Some(6) => {
            ipv6::dissect(d, ctx, data, 0);
        }
        _ => {
            d.set_protocol("Raw");
            d.set_info(|| "Raw packet data".into());
            super::data::dissect(d, data, 0);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_frame};

    /// gquic.pcap frame 1 (Raw IP): the raw item, then IPv4.
    #[test]
    fn raw_item_then_ip() {
        with_frame("gquic.pcap", 1, |d| {
            assert_eq!(d.nodes.first().map(|n| n.def().abbrev), Some("frame"));
            assert!(d.nodes.iter().any(|n| n.def().abbrev == "raw"));
            assert_eq!(field(d, "ip.src"), "10.7.0.3");
        });
    }
}
