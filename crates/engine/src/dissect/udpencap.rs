//! UDP encapsulation of IPsec (RFC 3948) on UDP 4500, as far as tshark's summary goes
//! without ESP and ISAKMP: the one-byte NAT-keepalive (0xFF).

use super::field::kinds::*;
use super::tree::Dissection;
use super::value::Value;

crate::define_fields! { after super::raw::END;
    UDPENCAP = "udpencap", "UDP Encapsulation of IPsec Packets", PROTO;
    NAT_KEEPALIVE = "udpencap.nat_keepalive", "NAT-keepalive packet", NONE;
}

/// Dissects a UDP 4500 payload at `offset`; false (left to UDP's data) for anything
/// but a NAT-keepalive: the ESP and IKE packets tshark hands on are not dissected here.
// TODO(lab2): ESP (non-zero SPI) and ISAKMP after the zero non-ESP marker.
pub fn dissect(d: &mut Dissection<'_>, offset: usize, payload: &[u8]) -> bool {
    // RFC 3948 section 2.3: a NAT-keepalive is a single octet of 0xFF.
    if payload != [0xff] {
        return false;
    }
    d.open_protocol(UDPENCAP, (offset, 1), "udpencap", "UDPENCAP");
    d.set_info(|| "NAT-keepalive".to_string());
    d.add(NAT_KEEPALIVE, offset, 1, Value::None);
    d.end();
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
        // Another byte is not a keepalive: UDP's data, as before.
        with_patched(
            "udpencap_keepalive.pcapng",
            1,
            |b| {
                if let Some(last) = b.last_mut() {
                    *last = 0;
                }
            },
            |d| assert_eq!(d.columns.protocol, "UDP"),
        );
    }
}
