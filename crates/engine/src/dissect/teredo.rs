//! Teredo (RFC 4380), IPv6 tunnelled over UDP port 3544 as Windows hosts send it:
//! an optional authentication header, an optional origin indication (the client's
//! mapped port and address, obfuscated), then the IPv6 packet, whose addresses and
//! protocol the columns show, as tshark's.

use super::context::PacketContext;
use super::field::kinds::*;
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;

/// Teredo's UDP port (tshark's `udp.port` registration).
pub const PORT: u16 = 3544;

/// Bytes of the authentication header without its client identifier and value.
const AUTH_FIXED: usize = 13;
/// Bytes of the origin indication.
const ORIGIN_LEN: usize = 8;

crate::define_fields! { after super::rmi::END;
    TEREDO = "teredo", "Teredo IPv6 over UDP tunneling", PROTO;
    AUTH = "teredo.auth", "Teredo Authentication header", NONE;
    AUTH_IDLEN = "teredo.auth.idlen", "Client identifier length", dec(8);
    AUTH_AULEN = "teredo.auth.aulen", "Authentication value length", dec(8);
    AUTH_ID = "teredo.auth.id", "Client identifier", BYTES;
    AUTH_VALUE = "teredo.auth.value", "Authentication value", BYTES;
    AUTH_NONCE = "teredo.auth.nonce", "Nonce value", BYTES;
    AUTH_CONF = "teredo.auth.conf", "Confirmation byte", BYTES;
    ORIG = "teredo.orig", "Teredo Origin Indication header", NONE;
    ORIG_PORT = "teredo.orig.port", "Origin UDP port", dec(16);
    ORIG_ADDR = "teredo.orig.addr", "Origin IPv4 address", IPV4;
}

/// Dissects a Teredo datagram's `payload`, at `at` of the frame `data`, sent to UDP
/// port `dport`.
pub fn dissect<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    data: &'a [u8],
    at: usize,
    payload: &'a [u8],
    dport: u16,
) -> bool {
    let mut pos = 0usize;
    // The tunnelled packet writes the Info column; Teredo's headers alone leave it empty.
    d.set_info(String::new);
    let auth = (bytes::be_u16(payload, 0) == Some(1))
        .then(|| {
            let idlen = usize::from(bytes::u8_at(payload, 2)?);
            let aulen = usize::from(bytes::u8_at(payload, 3)?);
            let len = AUTH_FIXED.checked_add(idlen)?.checked_add(aulen)?;
            (payload.len() >= len).then_some((idlen, aulen, len))
        })
        .flatten();
    let item = d.add(TEREDO, at, payload.len(), Value::None);
    d.set_protocol("Teredo");
    d.begin(item);
    if let Some((idlen, aulen, len)) = auth {
        let node = d.add(AUTH, at, len, Value::None);
        d.begin(node);
        d.add(AUTH_IDLEN, at + 2, 1, Value::UInt(idlen as u64));
        d.add(AUTH_AULEN, at + 3, 1, Value::UInt(aulen as u64));
        let mut field_at = 4;
        for (field, n) in [
            (AUTH_ID, idlen),
            (AUTH_VALUE, aulen),
            (AUTH_NONCE, 8),
            (AUTH_CONF, 1),
        ] {
            if n > 0 {
                let value = bytes::slice(payload, field_at, n).unwrap_or(&[]);
                d.add(field, at + field_at, n, Value::Bytes(value.into()));
            }
            field_at += n;
        }
        d.end();
        pos = len;
    }
    if bytes::be_u16(payload, pos) == Some(0) && payload.len() >= pos + ORIGIN_LEN {
        let node = d.add(ORIG, at + pos, ORIGIN_LEN, Value::None);
        d.begin(node);
        // Both are sent with every bit inverted (RFC 4380 5.1.1).
        let port = bytes::be_u16(payload, pos + 2).unwrap_or(0) ^ 0xffff;
        let addr = bytes::array::<4>(payload, pos + 4)
            .unwrap_or_default()
            .map(|b| b ^ 0xff);
        d.add(ORIG_PORT, at + pos + 2, 2, Value::UInt(u64::from(port)));
        d.add(ORIG_ADDR, at + pos + 4, 4, Value::Ipv4(addr));
        d.end();
        pos += ORIGIN_LEN;
    }
    d.end();
    // Teredo inside Teredo nests only as deep as IP tunnels do (a crafted packet
    // must not recurse without end).
    if pos < payload.len() && super::ipv4::ip_nesting(d) < super::ipv4::MAX_IP_NESTING {
        super::ipv6::dissect(d, ctx, data, at + pos);
        // RFC 4380 5.2.9: an echo request sent to Teredo's port is the client's direct
        // IPv6 connectivity test, which tshark's ICMPv6 names so.
        if dport == PORT
            && d.columns.protocol == "ICMPv6"
            && let Some(rest) = d.columns.info.strip_prefix("Echo (ping) request")
        {
            let info = format!("Direct IPv6 Connectivity Test{rest}");
            d.set_protocol("Teredo");
            d.set_info(|| info);
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use crate::capture::{Capture, Interface};
    use crate::dissect::testing::{capture_path, field, with_bytes};

    /// Dissects `hex`, an Ethernet frame, with the record of tcp_clean_close.pcap's
    /// first frame (Ethernet) resized to it.
    fn with_ethernet_hex(hex: &str, f: impl FnOnce(&crate::dissect::tree::Dissection<'_>)) {
        let bytes: Vec<u8> = (0..hex.len())
            .step_by(2)
            .filter_map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
            .collect();
        let capture = Capture::open(&capture_path("tcp_clean_close.pcap")).unwrap();
        let (mut record, _) = capture.packet(0).unwrap();
        let iface: Interface = capture.interface_of(&record).clone();
        record.cap_len = bytes.len() as u32;
        record.orig_len = record.cap_len;
        with_bytes(&record, &iface, &bytes, f);
    }

    /// The Wireshark sample Teredo.pcap's frame 30: a Teredo client's echo request to
    /// a native IPv6 host through its server (UDP 3797 -> 3544), which tshark calls
    /// the direct IPv6 connectivity test; then the same datagram cut inside its IPv6
    /// header, and with an origin indication in front.
    #[test]
    fn connectivity_test_and_cut_packet() {
        let frame = "001d5adccff10016cf419c2008004500005087dc000080111081c0a8021041379e500ed50dd8\
                     003ca6ad60000000000c3a152001000041379e508000f12ab9c8281520014860000020010000\
                     0000000000688000c57cd373b69b53aa0126";
        with_ethernet_hex(frame, |d| {
            assert_eq!(d.columns.protocol, "Teredo");
            assert_eq!(
                d.columns.info,
                "Direct IPv6 Connectivity Test id=0xd373, seq=46747, hop limit=21"
            );
            assert_eq!(field(d, "ipv6.dst"), "2001:4860:0:2001::68");
            assert_eq!(field(d, "icmpv6.echo.identifier"), "0xd373");
        });
        with_ethernet_hex(&frame[..(42 + 20) * 2], |d| {
            assert_eq!(field(d, "ipv6.dst"), "");
            assert!(d.columns.info.is_empty() || d.columns.protocol != "Teredo");
        });
        // Origin indication: port 3797 and 192.168.2.16, each bit inverted.
        let mut origin = frame[..42 * 2].to_string();
        origin.push_str("0000f12a3f57fdef");
        origin.push_str(&frame[42 * 2..]);
        with_ethernet_hex(&origin, |d| {
            assert_eq!(field(d, "teredo.orig.port"), "3797");
            assert_eq!(field(d, "teredo.orig.addr"), "192.168.2.16");
        });
    }
}
