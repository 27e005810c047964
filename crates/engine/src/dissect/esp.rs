//! The Encapsulating Security Payload's clear header (RFC 4303 section 2): SPI and
//! sequence number, on IP protocol 50 and UDP 4500 (RFC 3948). What follows is
//! encrypted, and tshark without keys shows nothing of it.

use super::context::PacketContext;
use super::field::Base;
use super::field::kinds::*;
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;

crate::define_fields! { after super::isakmp::END;
    ESP = "esp", "Encapsulating Security Payload", PROTO;
    SPI = "esp.spi", "ESP SPI", uint(32, Base::HexDec, 0, None);
    SEQUENCE = "esp.sequence", "ESP Sequence", dec(32);
}

/// Dissects an ESP packet at `at` in `data`.
pub fn dissect<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, data: &'a [u8], at: usize) {
    d.open_protocol(ESP, (at, data.len().saturating_sub(at)), "esp", "ESP");
    d.set_info(String::new);
    // tshark reads SPI and sequence number before it writes the Info column.
    let Some(spi) = bytes::be_u32(data, at) else {
        d.end();
        super::truncated(d, ctx, data, at, "ESP");
        return;
    };
    d.add(SPI, at, 4, Value::UInt(u64::from(spi)));
    let Some(seq) = bytes::be_u32(data, at + 4) else {
        d.end();
        super::truncated(d, ctx, data, at + 4, "ESP");
        return;
    };
    d.set_info(|| format!("ESP (SPI=0x{spi:08x})"));
    d.add(SEQUENCE, at + 4, 4, Value::UInt(u64::from(seq)));
    d.end();
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_frame, with_truncated};

    /// isakmp4500.pcap frame 12: ESP in UDP 4500 (RFC 3948).
    #[test]
    fn esp_in_udp() {
        with_frame("isakmp4500.pcap", 12, |d| {
            assert_eq!(d.columns.protocol, "ESP");
            assert_eq!(d.columns.info, "ESP (SPI=0xf4dc0ae5)");
            assert_eq!(field(d, "esp.spi"), "0xf4dc0ae5");
            assert_eq!(d.layers_joined(), "eth:ethertype:ip:udp:udpencap:esp");
        });
        // Cut after the SPI: short, SPI kept.
        with_truncated("isakmp4500.pcap", 12, 46, |d| {
            assert_eq!(field(d, "esp.spi"), "0xf4dc0ae5");
            assert!(d.has(crate::dissect::ws::SHORT));
        });
    }
}
