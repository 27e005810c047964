//! RTCP (RFC 3550 section 6) on the port after an SDP-announced RTP port: the
//! packets of a compound datagram, each header and the sender information of a
//! Sender Report. Info as tshark: each packet's type name followed by three spaces.

use super::context::RtpLink;
use super::field::kinds::*;
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;

#[rustfmt::skip]
const TYPES: &[(u64, &str)] = &[
    (192, "Full INTRA-frame Request (H.261)"), (193, "Negative Acknowledgement (H.261)"),
    (194, "SMPTE time-code mapping"), (195, "Extended inter-arrival jitter report"),
    (200, "Sender Report"), (201, "Receiver Report"), (202, "Source description"),
    (203, "Goodbye"), (204, "Application specific"), (205, "Generic RTP Feedback"),
    (206, "Payload-specific Feedback"), (207, "Extended report (RFC 3611)"),
    (208, "AVB RTCP packet (IEEE1733)"), (209, "Receiver Summary Information"),
    (210, "Port Mapping"), (211, "IDMS Settings"), (212, "Reporting Group Reporting Sources"),
    (213, "Splicing Notification Message"),
];

crate::define_fields! { after super::rtp::END;
    RTCP = "rtcp", "Real-time Transport Control Protocol", PROTO;
    SETUP = "rtcp.setup", "Stream setup", STR;
    SETUP_FRAME = "rtcp.setup-frame", "Setup frame", FRAME;
    SETUP_METHOD = "rtcp.setup-method", "Setup Method", STR;
    VERSION = "rtcp.version", "Version", dec(8);
    PADDING = "rtcp.padding", "Padding", flag_tf(8, 0x20);
    RC = "rtcp.rc", "Reception report count", dec(8);
    SC = "rtcp.sc", "Source count", dec(8);
    PT = "rtcp.pt", "Packet type", dec_named(8, TYPES);
    LENGTH = "rtcp.length", "Length", dec(16);
    SENDERSSRC = "rtcp.senderssrc", "Sender SSRC", hex_dec(32);
    NTP_MSW = "rtcp.timestamp.ntp.msw", "Timestamp, MSW", dec(32);
    NTP_LSW = "rtcp.timestamp.ntp.lsw", "Timestamp, LSW", dec(32);
    RTP_TS = "rtcp.timestamp.rtp", "RTP timestamp", dec(32);
    PACKETCOUNT = "rtcp.sender.packetcount", "Sender's packet count", dec(32);
    OCTETCOUNT = "rtcp.sender.octetcount", "Sender's octet count", dec(32);
}

/// Packets of one compound datagram read at most.
const MAX_PACKETS: usize = 64;

/// Dissects an RTCP compound datagram at `offset`; false when it is too short for a
/// packet header.
pub fn dissect<'a>(d: &mut Dissection<'a>, offset: usize, msg: &'a [u8], link: &RtpLink) -> bool {
    if msg.len() < 4 {
        return false;
    }
    let mut info = String::new();
    let mut pos = 0usize;
    let mut first = true;
    for _ in 0..MAX_PACKETS {
        let (Some(b0), Some(pt), Some(words)) = (
            bytes::u8_at(msg, pos),
            bytes::u8_at(msg, pos + 1),
            bytes::be_u16(msg, pos + 2),
        ) else {
            break;
        };
        let len = (usize::from(words) + 1) * 4;
        let avail = msg.len() - pos;
        let item = d.add(RTCP, offset + pos, len.min(avail), Value::None);
        // tshark's hierarchy counts the media of a datagram quoted in an ICMP error right
        // under ICMP (the quoted IP and UDP are not counted).
        if d.in_error {
            d.top_protocols.push(RTCP);
        }
        if first {
            d.push_layer("rtcp");
            d.set_protocol("RTCP");
        }
        d.begin(item);
        if first {
            super::rtp::setup_items(d, link, [SETUP, SETUP_FRAME, SETUP_METHOD]);
            first = false;
        }
        let at = offset + pos;
        d.add(VERSION, at, 1, Value::UInt(u64::from(b0 >> 6)));
        d.add(PADDING, at, 1, Value::Bool(b0 & 0x20 != 0));
        let count_field = if pt == 202 || pt == 203 { SC } else { RC };
        d.add(count_field, at, 1, Value::UInt(u64::from(b0 & 0x1f)));
        d.add(PT, at + 1, 1, Value::UInt(u64::from(pt)));
        d.add(LENGTH, at + 2, 2, Value::UInt(u64::from(words)));
        if matches!(pt, 200 | 201)
            && let Some(ssrc) = bytes::be_u32(msg, pos + 4)
        {
            d.add(SENDERSSRC, at + 4, 4, Value::UInt(u64::from(ssrc)));
        }
        if pt == 200 {
            let sender = [NTP_MSW, NTP_LSW, RTP_TS, PACKETCOUNT, OCTETCOUNT];
            for (i, f) in sender.into_iter().enumerate() {
                if let Some(v) = bytes::be_u32(msg, pos + 8 + 4 * i) {
                    d.add(f, at + 8 + 4 * i, 4, Value::UInt(u64::from(v)));
                }
            }
        }
        d.end();
        let name = super::value::value_name(Some(TYPES), u64::from(pt)).unwrap_or("Unknown");
        info.push_str(name);
        info.push_str("   ");
        if len > avail {
            break;
        }
        pos += len;
        if pos >= msg.len() {
            break;
        }
    }
    d.set_info(move || info);
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dissect::ipv4::Addr;
    use crate::dissect::testing::field;
    use crate::wire::testing::hex;
    use std::sync::Arc;

    fn link() -> RtpLink {
        RtpLink {
            setup_frame: 9,
            rtcp: true,
            socket: (Addr::V4([10, 0, 0, 9]), 9001),
            method: "SDP",
            names: Arc::from(Vec::new()),
        }
    }

    /// sip_call.pcap frame 23: Receiver Report, Source description and Goodbye.
    const COMPOUND: &str = "80c9000100c0ffee81ca000300c0ffee010262390000000081cb000100c0ffee";

    #[test]
    fn compound_packet() {
        let bytes = hex(COMPOUND);
        let mut d = Dissection::new(crate::dissect::Want::All, true, true);
        assert!(dissect(&mut d, 0, &bytes, &link()));
        assert_eq!(d.columns.protocol, "RTCP");
        assert_eq!(
            d.columns.info,
            "Receiver Report   Source description   Goodbye   "
        );
        assert_eq!(field(&d, "rtcp.pt"), "201,202,203");
        assert_eq!(field(&d, "rtcp.setup-frame"), "9");
    }

    /// Every cut stops at the last whole header; a length past the end stops there.
    #[test]
    fn truncated_and_impossible_length() {
        let bytes = hex(COMPOUND);
        for len in 0..bytes.len() {
            let mut d = Dissection::new(crate::dissect::Want::All, true, true);
            assert_eq!(dissect(&mut d, 0, &bytes[..len], &link()), len >= 4);
        }
        let mut long = bytes.clone();
        long[2] = 0xff;
        let mut d = Dissection::new(crate::dissect::Want::All, true, true);
        assert!(dissect(&mut d, 0, &long, &link()));
        assert_eq!(d.columns.info, "Receiver Report   ");
    }
}
