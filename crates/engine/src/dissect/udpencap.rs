//! UDP encapsulation of IPsec (RFC 3948) on UDP 4500: the one-byte NAT-keepalive
//! (0xFF), IKE behind the non-ESP marker, ESP.

use super::context::PacketContext;
use super::field::kinds::*;
use super::tree::Dissection;
use super::value::Value;

crate::define_fields! { after super::raw::END;
    UDPENCAP = "udpencap", "UDP Encapsulation of IPsec Packets", PROTO;
    NAT_KEEPALIVE = "udpencap.nat_keepalive", "NAT-keepalive packet", NONE;
    NON_ESP_MARKER = "udpencap.non_esp_marker", "Non-ESP Marker", NONE;
}

/// Dissects a UDP 4500 payload at `offset` (RFC 3948 section 2): a NAT-keepalive
/// (one 0xFF), ISAKMP after a four-zero non-ESP marker, or ESP.
pub fn dissect<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    data: &'a [u8],
    offset: usize,
    payload: &'a [u8],
    reported: usize,
) -> bool {
    // RFC 3948 section 2.3: a NAT-keepalive is a single octet of 0xFF.
    if payload == [0xff] {
        d.open_protocol(UDPENCAP, (offset, 1), "udpencap", "UDPENCAP");
        d.set_info(|| "NAT-keepalive".to_string());
        d.add(NAT_KEEPALIVE, offset, 1, Value::None);
        d.end();
        return true;
    }
    d.open_protocol(UDPENCAP, (offset, payload.len()), "udpencap", "UDPENCAP");
    if payload.len() < 4 {
        // tshark reads four bytes for the marker and throws.
        d.end();
        d.set_info(String::new);
        super::truncated(d, ctx, data, offset + payload.len(), "UDPENCAP");
        return true;
    }
    // RFC 3948 section 2.2: a zero where ESP's SPI would be marks IKE.
    if payload.starts_with(&[0, 0, 0, 0]) {
        d.add(NON_ESP_MARKER, offset, 4, Value::None);
        d.end();
        let ike = payload.get(4..).unwrap_or_default();
        if !super::isakmp::dissect(d, ctx, offset + 4, ike, reported.saturating_sub(4)) {
            super::data::dissect_bytes(d, ike, offset + 4);
        }
        return true;
    }
    d.end();
    super::esp::dissect(d, ctx, data, offset);
    true
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{values, with_frame, with_patched};

    /// udpencap_keepalive.pcapng (jl16994 http1.pcapng frame 110): a NAT-keepalive.
    #[test]
    fn nat_keepalive() {
        with_frame("udpencap_keepalive.pcapng", 1, |d| {
            assert_eq!(d.columns.protocol, "UDPENCAP");
            assert_eq!(d.columns.info, "NAT-keepalive");
            assert_eq!(values(d, "udpencap.nat_keepalive").len(), 1);
        });
        // Another single byte is not a keepalive: tshark reads four bytes for the
        // non-ESP marker and throws (checked on a crafted 2-byte payload).
        with_patched(
            "udpencap_keepalive.pcapng",
            1,
            |b| {
                if let Some(last) = b.last_mut() {
                    *last = 0;
                }
            },
            |d| {
                assert_eq!(d.columns.protocol, "UDPENCAP");
                assert_eq!(d.columns.info, "[Malformed Packet]");
            },
        );
    }
}
