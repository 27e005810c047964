//! RTP (RFC 3550) on a UDP conversation an SDP body announced (RTP is not heuristic
//! in tshark 4.0): the fixed header, the CSRC list, the payload, and the setup the
//! conversation came from. Payload type names are RFC 3551's as tshark writes them;
//! a dynamic type takes its `a=rtpmap` name, and `telephone-event` (RFC 4733) is
//! shown as tshark's RTP EVENT.

use super::context::RtpLink;
use super::field::kinds::*;
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;
use std::borrow::Cow;

crate::define_fields! { after super::sip::END;
    RTP = "rtp", "Real-Time Transport Protocol", PROTO;
    SETUP = "rtp.setup", "Stream setup", STR;
    SETUP_FRAME = "rtp.setup-frame", "Setup frame", FRAME;
    SETUP_METHOD = "rtp.setup-method", "Setup Method", STR;
    VERSION = "rtp.version", "Version", dec(8);
    PADDING = "rtp.padding", "Padding", flag_tf(8, 0x20);
    EXT = "rtp.ext", "Extension", flag_tf(8, 0x10);
    CC = "rtp.cc", "Contributing source identifiers count", dec(8);
    MARKER = "rtp.marker", "Marker", flag_tf(8, 0x80);
    P_TYPE = "rtp.p_type", "Payload type", dec(8);
    SEQ = "rtp.seq", "Sequence number", dec(16);
    TIMESTAMP = "rtp.timestamp", "Timestamp", dec(32);
    SSRC = "rtp.ssrc", "Synchronization Source identifier", hex_dec(32);
    CSRC_ITEM = "rtp.csrc.item", "CSRC item", hex_dec(32);
    PAYLOAD = "rtp.payload", "Payload", BYTES;
    RTPEVENT = "rtpevent", "RFC 2833 RTP Event", PROTO;
    EVENT_ID = "rtpevent.event_id", "Event ID", dec(8);
    END_OF_EVENT = "rtpevent.end_of_event", "End of Event", flag_tf(8, 0x80);
    VOLUME = "rtpevent.volume", "Volume", dec(8);
    DURATION = "rtpevent.duration", "Event Duration", dec(16);
}

/// RFC 3551's static payload types, as tshark names them.
#[rustfmt::skip]
const STATIC_TYPES: [&str; 35] = [
    "ITU-T G.711 PCMU", "USA Federal Standard FS-1016", "ITU-T G.721", "GSM 06.10",
    "ITU-T G.723", "DVI4 8000 samples/s", "DVI4 16000 samples/s",
    "Experimental linear predictive encoding from Xerox PARC", "ITU-T G.711 PCMA",
    "ITU-T G.722", "16-bit uncompressed audio, stereo", "16-bit uncompressed audio, monaural",
    "Qualcomm Code Excited Linear Predictive coding", "Comfort noise", "MPEG-I/II Audio",
    "ITU-T G.728", "DVI4 11025 samples/s", "DVI4 22050 samples/s", "ITU-T G.729",
    "Comfort noise (old)", "Unassigned", "Unassigned", "Unassigned", "Unassigned",
    "Unassigned", "Sun CellB video encoding", "JPEG-compressed video", "Unassigned",
    "'nv' program", "Unassigned", "Unassigned", "ITU-T H.261", "MPEG-I/II Video",
    "MPEG-II transport streams", "ITU-T H.263",
];

/// A payload type's name: a dynamic one's from the SDP that set the stream up.
pub fn payload_type_name(pt: u8, link: &RtpLink) -> Cow<'static, str> {
    if (96..=127).contains(&pt)
        && let Some((_, name)) = link.names.iter().find(|(p, _)| *p == pt)
    {
        return Cow::Owned(name.to_string());
    }
    static_name(pt)
}

/// RFC 3551's name of a payload type as tshark's table has it (`DynamicRTP-Type-96`
/// for the dynamic range).
pub fn static_name(pt: u8) -> Cow<'static, str> {
    if (96..=127).contains(&pt) {
        return Cow::Owned(format!("DynamicRTP-Type-{pt}"));
    }
    match STATIC_TYPES.get(usize::from(pt)) {
        Some(name) => Cow::Borrowed(name),
        None if (72..=76).contains(&pt) => Cow::Borrowed("Reserved for RTCP conflict avoidance"),
        None => Cow::Borrowed("Unassigned"),
    }
}

/// RFC 4733's DTMF events and the first tones, as tshark names them.
#[rustfmt::skip]
const EVENTS: [&str; 17] = [
    "DTMF Zero 0", "DTMF One 1", "DTMF Two 2", "DTMF Three 3", "DTMF Four 4", "DTMF Five 5",
    "DTMF Six 6", "DTMF Seven 7", "DTMF Eight 8", "DTMF Nine 9", "DTMF Star *",
    "DTMF Pound #", "DTMF A", "DTMF B", "DTMF C", "DTMF D", "Hook Flash",
];

/// Adds the setup items (`rtp.setup`, `rtcp.setup`).
pub(super) fn setup_items(
    d: &mut Dissection<'_>,
    link: &RtpLink,
    [setup, frame, method]: [super::FieldId; 3],
) {
    let text = format!("{} (frame {})", link.method, link.setup_frame);
    let label = format!("Stream setup by {text}");
    let item = d.add_generated_labeled(setup, Value::owned_str(text.as_bytes()), || label);
    d.begin(item);
    d.add_generated(frame, 0, 0, Value::Frame(link.setup_frame));
    d.add_generated(
        method,
        0,
        0,
        Value::Str(Cow::Borrowed(link.method.as_bytes())),
    );
    d.end();
}

/// Dissects an RTP packet at `offset`; false when it is too short for the header.
pub fn dissect<'a>(d: &mut Dissection<'a>, offset: usize, msg: &'a [u8], link: &RtpLink) -> bool {
    let (Some(b0), Some(b1), Some(seq), Some(ts), Some(ssrc)) = (
        bytes::u8_at(msg, 0),
        bytes::u8_at(msg, 1),
        bytes::be_u16(msg, 2),
        bytes::be_u32(msg, 4),
        bytes::be_u32(msg, 8),
    ) else {
        return false;
    };
    let version = b0 >> 6;
    let item = d.add(RTP, offset, msg.len(), Value::None);
    // tshark's hierarchy counts the media of a datagram quoted in an ICMP error right
    // under ICMP (the quoted IP and UDP are not counted).
    if d.in_error {
        d.top_protocols.push(RTP);
    }
    d.push_layer("rtp");
    d.set_protocol("RTP");
    d.begin(item);
    setup_items(d, link, [SETUP, SETUP_FRAME, SETUP_METHOD]);
    d.add(VERSION, offset, 1, Value::UInt(u64::from(version)));
    if version != 2 {
        d.end();
        d.set_info(|| format!("Unknown RTP version {version}"));
        return true;
    }
    let pt = b1 & 0x7f;
    let marker = b1 & 0x80 != 0;
    let cc = b0 & 0x0f;
    d.add(PADDING, offset, 1, Value::Bool(b0 & 0x20 != 0));
    d.add(EXT, offset, 1, Value::Bool(b0 & 0x10 != 0));
    d.add(CC, offset, 1, Value::UInt(u64::from(cc)));
    d.add(MARKER, offset + 1, 1, Value::Bool(marker));
    let name = payload_type_name(pt, link);
    let label_name = name.clone();
    d.add_labeled(P_TYPE, offset + 1, 1, Value::UInt(u64::from(pt)), || {
        format!("Payload type: {label_name} ({pt})")
    });
    d.add(SEQ, offset + 2, 2, Value::UInt(u64::from(seq)));
    d.add(TIMESTAMP, offset + 4, 4, Value::UInt(u64::from(ts)));
    d.add(SSRC, offset + 8, 4, Value::UInt(u64::from(ssrc)));
    let mut at = 12usize;
    for _ in 0..cc {
        if let Some(csrc) = bytes::be_u32(msg, at) {
            d.add(CSRC_ITEM, offset + at, 4, Value::UInt(u64::from(csrc)));
        }
        at += 4;
    }
    if b0 & 0x10 != 0
        && let Some(words) = bytes::be_u16(msg, at + 2)
    {
        at += 4 + 4 * usize::from(words);
    }
    let mut payload = bytes::tail(msg, at);
    if b0 & 0x20 != 0
        && let Some(&pad) = payload.last()
    {
        payload = payload
            .get(..payload.len().saturating_sub(usize::from(pad)))
            .unwrap_or(&[]);
    }
    let event = name.eq_ignore_ascii_case("telephone-event");
    if !payload.is_empty() && !event {
        d.add(
            PAYLOAD,
            offset + at,
            payload.len(),
            Value::Bytes(payload.into()),
        );
    }
    d.end();
    let mark = if marker { ", Mark" } else { "" };
    let info_name = name.clone();
    d.set_info(|| format!("PT={info_name}, SSRC=0x{ssrc:X}, Seq={seq}, Time={ts}{mark}"));
    if event {
        rtp_event(d, offset + at, payload);
    }
    true
}

/// RFC 4733's event payload: tshark's "RTP EVENT".
fn rtp_event(d: &mut Dissection<'_>, offset: usize, payload: &[u8]) {
    let (Some(id), Some(flags), Some(duration)) = (
        bytes::u8_at(payload, 0),
        bytes::u8_at(payload, 1),
        bytes::be_u16(payload, 2),
    ) else {
        return;
    };
    d.open_protocol(RTPEVENT, (offset, payload.len()), "rtpevent", "RTP EVENT");
    let name = EVENTS
        .get(usize::from(id))
        .map_or_else(|| format!("Unknown ({id})"), |n| (*n).to_string());
    let end = flags & 0x80 != 0;
    d.add(EVENT_ID, offset, 1, Value::UInt(u64::from(id)));
    d.add(END_OF_EVENT, offset + 1, 1, Value::Bool(end));
    d.add(VOLUME, offset + 1, 1, Value::UInt(u64::from(flags & 0x3f)));
    d.add(DURATION, offset + 2, 2, Value::UInt(u64::from(duration)));
    d.end();
    let tail = if end { " (end)" } else { "" };
    d.set_info(|| format!("Payload type=RTP Event, {name}{tail}"));
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
            setup_frame: 7,
            rtcp: false,
            socket: (Addr::V4([10, 0, 0, 5]), 8000),
            method: "SDP",
            names: Arc::from(vec![
                (101, Box::from("telephone-event")),
                (97, Box::from("speex")),
            ]),
        }
    }

    fn run(bytes: &[u8]) -> (bool, Dissection<'_>) {
        let mut d = Dissection::new(crate::dissect::Want::All, true, true);
        let ok = dissect(&mut d, 0, bytes, &link());
        (ok, d)
    }

    /// sip_call.pcap frame 11's UDP payload (its first 20 bytes of PCMU): the
    /// marked first packet of the caller's stream.
    #[test]
    fn pcmu_with_marker() {
        let bytes = hex("80800064000000001234abcdffffffffffffffff");
        let (ok, d) = run(&bytes);
        assert!(ok);
        assert_eq!(d.columns.protocol, "RTP");
        assert_eq!(
            d.columns.info,
            "PT=ITU-T G.711 PCMU, SSRC=0x1234ABCD, Seq=100, Time=0, Mark"
        );
        assert_eq!(field(&d, "rtp.p_type"), "0");
        assert_eq!(field(&d, "rtp.marker"), "1");
        assert_eq!(field(&d, "rtp.setup-frame"), "7");
    }

    /// Frame 20: the end of a DTMF digit (telephone-event, dynamic type 101).
    #[test]
    fn dtmf_event_end() {
        let bytes = hex("80650069000002801234abcd058a0140");
        let (_, d) = run(&bytes);
        assert_eq!(d.columns.protocol, "RTP EVENT");
        assert_eq!(d.columns.info, "Payload type=RTP Event, DTMF Five 5 (end)");
        assert_eq!(field(&d, "rtpevent.duration"), "320");
    }

    /// Cut headers are refused; impossible CSRC counts and padding stay in bounds.
    #[test]
    fn short_and_impossible() {
        let bytes = hex("80650069000002801234abcd058a0140");
        for len in 0..12 {
            assert!(!run(&bytes[..len]).0);
        }
        let mut odd = bytes.clone();
        odd[0] = 0xbf; // padding, extension, 15 CSRCs in a 16-byte packet
        assert!(run(&odd).0);
        assert_eq!(
            payload_type_name(72, &link()),
            "Reserved for RTCP conflict avoidance"
        );
        assert_eq!(payload_type_name(99, &link()), "DynamicRTP-Type-99");
    }
}
