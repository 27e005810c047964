//! Less common link layers that carry IP: PPP (RFC 1661, with MPLS label stacks),
//! IP over InfiniBand and Linux ARCNET.

use super::context::PacketContext;
use super::ethernet::{ETHERTYPES, dispatch_ethertype};
use super::field::Base;
use super::field::kinds::*;
use super::tree::Dissection;
use super::value::Value;
use super::{arp, ipv4, ipv6};
use crate::bytes;

#[rustfmt::skip]
const ARCNET_PROTOCOLS: &[(u64, &str)] = &[
    (0xf0, "RFC 1051 IP"), (0xf1, "RFC 1051 ARP"), (0xd4, "RFC 1201 IP"), (0xd5, "RFC 1201 ARP"),
    (0xd6, "RFC 1201 RARP"), (0xcd, "IPv6"),
];

crate::define_fields! { after super::tunnel::END;
    PPP = "ppp", "Point-to-Point Protocol", PROTO;
    PPP_ADDRESS = "ppp.address", "Address", hex(8);
    PPP_CONTROL = "ppp.control", "Control", hex(8);
    PPP_PROTOCOL = "ppp.protocol", "Protocol", hex_named(16, super::ppp::PROTOCOLS);
    MPLS = "mpls", "MultiProtocol Label Switching Header", PROTO;
    MPLS_LABEL = "mpls.label", "MPLS Label", uint(32, Base::DecHex, 0xffff_f000, None);
    MPLS_EXP = "mpls.exp", "MPLS Experimental Bits", uint(32, Base::Dec, 0x0e00, None);
    MPLS_BOTTOM = "mpls.bottom", "MPLS Bottom Of Label Stack", uint(32, Base::Dec, 0x0100, None);
    MPLS_TTL = "mpls.ttl", "MPLS TTL", uint(32, Base::Dec, 0x00ff, None);
    IPOIB = "ipoib", "IP over Infiniband", PROTO;
    IPOIB_TYPE = "ipoib.type", "Type", hex_named(16, ETHERTYPES);
    ARCNET = "arcnet", "ARCNET", PROTO;
    ARCNET_SRC = "arcnet.src", "Source", hex(8);
    ARCNET_DST = "arcnet.dst", "Dest", hex(8);
    ARCNET_PROTOCOL = "arcnet.protID", "Protocol ID", hex_named(8, ARCNET_PROTOCOLS);
}

/// MPLS labels followed at most.
const MAX_LABELS: usize = 16;

/// PPP (LINKTYPE_PPP, and LINKTYPE_PPP_HDLC without its flags and FCS): when the first
/// byte is the all-stations address 0xff, it and the control byte (whatever it
/// holds, as tshark reads it), then the protocol. The link has no addresses:
/// tshark's columns say N/A until IP names them.
pub fn ppp<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, data: &'a [u8]) {
    d.set_addresses(|| ("N/A".to_string(), "N/A".to_string()));
    let control = match (bytes::u8_at(data, 0), bytes::u8_at(data, 1)) {
        (Some(0xff), Some(control)) => Some(control),
        (Some(0xff), None) => {
            super::truncated(d, ctx, data, 1, "PPP");
            d.set_protocol("PPP");
            return;
        }
        _ => None,
    };
    let at = if control.is_some() { 2 } else { 0 };
    let Some((proto, len)) = super::ppp::protocol_field(data, at) else {
        super::truncated(d, ctx, data, at, "PPP");
        d.set_protocol("PPP");
        return;
    };
    d.open_protocol(PPP, (0, at + len), "ppp", "PPP");
    if let Some(control) = control {
        d.add(PPP_ADDRESS, 0, 1, Value::UInt(0xff));
        d.add(PPP_CONTROL, 1, 1, Value::UInt(u64::from(control)));
    }
    d.add(PPP_PROTOCOL, at, len, Value::UInt(u64::from(proto)));
    d.end();
    super::ppp::payload(d, ctx, data, at + len, proto);
}

/// PPP inside a PPPoE session (RFC 2516 section 7): the protocol field alone, then
/// what it carries; returns where that ends.
pub fn ppp_in_session<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    data: &'a [u8],
    at: usize,
) -> Option<usize> {
    let Some((proto, len)) = super::ppp::protocol_field(data, at) else {
        super::truncated(d, ctx, data, at, "PPPoES");
        return None;
    };
    // Inside PPPoE, PPP leaves the Protocol column to what it carries.
    let item = d.add(PPP, at, len, Value::None);
    d.push_layer("ppp");
    d.begin(item);
    d.add(PPP_PROTOCOL, at, len, Value::UInt(u64::from(proto)));
    d.end();
    super::ppp::payload(d, ctx, data, at + len, proto)
}

/// An MPLS label stack at `at`, then IPv4 or IPv6 by the first nibble; returns
/// where what it carried ends, as the IP layers do.
pub fn mpls<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    data: &'a [u8],
    mut at: usize,
) -> Option<usize> {
    d.set_protocol("MPLS");
    d.set_info(|| "MPLS Label Switched Packet".to_string());
    let mut first = true;
    for _ in 0..MAX_LABELS {
        let Some(word) = bytes::be_u32(data, at) else {
            super::truncated(d, ctx, data, at, "MPLS");
            return None;
        };
        let (label, exp, bottom, ttl) = (word >> 12, (word >> 9) & 7, (word >> 8) & 1, word & 0xff);
        let item = d.add_labeled(MPLS, at, 4, Value::None, || {
            format!(
                "MultiProtocol Label Switching Header, Label: {label}, Exp: {exp}, S: {bottom}, TTL: {ttl}"
            )
        });
        // One dissector call reads the whole stack: one layer however many labels.
        if first {
            d.push_layer("mpls");
            first = false;
        }
        d.begin(item);
        d.add(MPLS_LABEL, at, 4, Value::UInt(u64::from(label)));
        d.add(MPLS_EXP, at, 4, Value::UInt(u64::from(exp)));
        d.add(MPLS_BOTTOM, at, 4, Value::UInt(u64::from(bottom)));
        d.add(MPLS_TTL, at, 4, Value::UInt(u64::from(ttl)));
        d.end();
        at += 4;
        if bottom == 1 {
            break;
        }
    }
    match bytes::u8_at(data, at).map(|b| b >> 4) {
        Some(4) => ipv4::dissect(d, ctx, data, at),
        Some(6) => ipv6::dissect(d, ctx, data, at),
        Some(_) => {
            super::data::dissect(d, data, at);
            Some(data.len())
        }
        None => {
            super::truncated(d, ctx, data, at, "MPLS");
            None
        }
    }
}

/// IP over InfiniBand (LINKTYPE_IPOIB): a 44-byte header whose EtherType is at 40.
pub fn ipoib<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, data: &'a [u8]) {
    let Some(kind) = bytes::be_u16(data, 40) else {
        super::truncated(d, ctx, data, 0, "IPoIB");
        return;
    };
    d.open_protocol(IPOIB, (0, 44), "ipoib", "IPoIB");
    d.add(IPOIB_TYPE, 40, 2, Value::UInt(u64::from(kind)));
    d.end();
    match kind {
        0x0800 => {
            ipv4::dissect(d, ctx, data, 44);
        }
        0x86dd => {
            ipv6::dissect(d, ctx, data, 44);
        }
        0x0806 => arp::dissect(d, ctx, data, 44),
        _ => {
            dispatch_ethertype(d, ctx, data, 44, kind);
        }
    }
}

/// Linux ARCNET (LINKTYPE_ARCNET_LINUX): source, destination, a 2-byte offset, the
/// protocol ID, and for RFC 1201 protocols a split flag and a sequence number.
pub fn arcnet<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, data: &'a [u8]) {
    let (Some(src), Some(dst), Some(proto)) = (
        bytes::u8_at(data, 0),
        bytes::u8_at(data, 1),
        bytes::u8_at(data, 4),
    ) else {
        super::truncated(d, ctx, data, 0, "ARCNET");
        return;
    };
    let rfc1201 = matches!(proto, 0xd4..=0xd6);
    let mut header = 5;
    if rfc1201 {
        header += 1;
        if bytes::u8_at(data, 5) == Some(0xff) {
            // An exception packet: four more bytes and the protocol again.
            header += 4;
        }
        header += 2;
    }
    let item = d.add(ARCNET, 0, header, Value::None);
    d.push_layer("arcnet");
    d.set_protocol("ARCNET");
    // tshark shows an ARCNET address in hex with its prefix (`0xbe`).
    d.set_addresses(|| (format!("0x{src:02x}"), format!("0x{dst:02x}")));
    d.begin(item);
    d.add(ARCNET_SRC, 0, 1, Value::UInt(u64::from(src)));
    d.add(ARCNET_DST, 1, 1, Value::UInt(u64::from(dst)));
    d.add(ARCNET_PROTOCOL, 4, 1, Value::UInt(u64::from(proto)));
    d.end();
    match proto {
        0xf0 | 0xd4 => {
            ipv4::dissect(d, ctx, data, header);
        }
        0xcd => {
            ipv6::dissect(d, ctx, data, header);
        }
        0xf1 | 0xd5 | 0xd6 => arp::dissect(d, ctx, data, header),
        _ => super::data::dissect(d, data, header),
    }
}

#[cfg(test)]
mod mpls_tests {
    use crate::dissect::testing::{field, with_frame, with_truncated};

    /// mpls_traceroute_ppp.pcap frame 1: a traceroute probe over PPP with one MPLS
    /// label, then IPv4.
    #[test]
    fn ppp_carries_an_mpls_labelled_probe() {
        with_frame("mpls_traceroute_ppp.pcap", 1, |d| {
            assert_eq!(field(d, "ppp.address"), "0xff");
            assert_eq!(field(d, "ppp.control"), "0x03");
            assert_eq!(field(d, "ppp.protocol"), "0x0281");
            assert_eq!(field(d, "mpls.label"), "100704");
            assert_eq!(field(d, "mpls.exp"), "0");
            assert_eq!(field(d, "mpls.bottom"), "1");
            assert_eq!(field(d, "mpls.ttl"), "1");
            assert_eq!(d.layers_joined(), "ppp:mpls:ip:udp:data");
        });
    }

    /// Cut inside the label and right after it: short, never a panic.
    #[test]
    fn cut_label_stack() {
        for len in [6, 8] {
            with_truncated("mpls_traceroute_ppp.pcap", 1, len, |d| {
                assert!(d.has(crate::dissect::ws::SHORT));
            });
        }
    }
}
