//! TPKT (RFC 1006) on TCP 3389, with the X.224 (ISO 8073 COTP) connection request
//! and confirm that open a Remote Desktop connection and the RDP negotiation they
//! carry ([MS-RDPBCGR] 2.2.1.1 and 2.2.1.2). After the negotiation RDP runs TLS
//! inside the TPKT stream; tshark 4.0 shows those segments, which start with no TPKT
//! header, as `TPKT` `Continuation`, and so does this.

use super::apps::PduLen;
use super::field::kinds::*;
use super::field::{Base, FieldId};
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;

/// Remote Desktop's TCP port (tshark's `tcp.port` registration for TPKT).
pub const RDP_PORT: u16 = 3389;

/// COTP's TPDU codes (the high nibble of the type byte), as tshark names them.
#[rustfmt::skip]
const TPDU_TYPES: &[(u64, &str)] = &[
    (0x1, "ED Expedited Data"), (0x2, "EA Expedited Data Acknowledgement"), (0x5, "RJ Reject"),
    (0x6, "AK Data Acknowledgement"), (0x7, "ER TPDU Error"), (0x8, "DR Disconnect Request"),
    (0xc, "DC Disconnect Confirm"), (0xd, "CC Connect Confirm"), (0xe, "CR Connect Request"),
    (0xf, "DT Data"),
];
const CONNECT_REQUEST: u8 = 0xe;
const CONNECT_CONFIRM: u8 = 0xd;
/// Bytes of a connection request's or confirm's fixed part.
const CR_CC_FIXED: usize = 7;

#[rustfmt::skip]
const NEG_TYPES: &[(u64, &str)] = &[
    (1, "RDP Negotiation Request"), (2, "RDP Negotiation Response"),
    (3, "RDP Negotiation Failure"), (6, "RDP Correlation Info"),
];
#[rustfmt::skip]
const SELECTED_PROTOCOLS: &[(u64, &str)] = &[
    (0, "Standard RDP Security"), (1, "TLS"), (2, "CredSSP"), (4, "RDSTLS"),
    (8, "CredSSP with Early User Authorization Result PDU"),
];

crate::define_fields! { after super::esp::END;
    TPKT = "tpkt", "TPKT - ISO on TCP - RFC1006", PROTO;
    VERSION = "tpkt.version", "Version", dec(8);
    RESERVED = "tpkt.reserved", "Reserved", dec(8);
    LENGTH = "tpkt.length", "Length", dec(16);
    CONTINUATION = "tpkt.continuation_data", "Continuation data", BYTES;
    COTP = "cotp", "ISO 8073/X.224 COTP Connection-Oriented Transport Protocol", PROTO;
    COTP_LI = "cotp.li", "Length", dec(8);
    COTP_TYPE = "cotp.type", "PDU Type", hex_named(8, TPDU_TYPES);
    COTP_DESTREF = "cotp.destref", "Destination reference", hex(16);
    COTP_SRCREF = "cotp.srcref", "Source reference", hex(16);
    COTP_CLASS = "cotp.class", "Class", uint(8, Base::Dec, 0xf0, None);
    COTP_EXTENDED = "cotp.opts.extended_formats", "Extended formats", flag_tf(8, 0x02);
    COTP_NO_FLOW_CONTROL = "cotp.opts.no_explicit_flow_control", "No explicit flow control", flag_tf(8, 0x01);
    RDP = "rdp", "Remote Desktop Protocol", PROTO;
    RT_COOKIE = "rdp.rt_cookie", "Routing Token/Cookie", STR;
    NEG_TYPE = "rdp.neg_type", "Type", hex_named(8, NEG_TYPES);
    NEG_REQ_FLAGS = "rdp.negReq.flags", "Flags", hex(8);
    NEG_RSP_FLAGS = "rdp.negRsp.flags", "Flags", hex(8);
    NEG_LENGTH = "rdp.neg_length", "Length", dec(16);
    REQUESTED = "rdp.negReq.requestedProtocols", "requestedProtocols", hex(32);
    REQUESTED_SSL = "rdp.negReq.requestedProtocols.ssl", "TLS security supported", flag_tf(32, 0x1);
    REQUESTED_HYBRID = "rdp.negReq.requestedProtocols.hybrid", "CredSSP supported", flag_tf(32, 0x2);
    REQUESTED_RDSTLS = "rdp.negReq.requestedProtocols.rdstls", "RDSTLS supported", flag_tf(32, 0x4);
    REQUESTED_HYBRID_EX = "rdp.negReq.requestedProtocols.hybrid_ex", "CredSSP with Early User Authorization Result PDU supported", flag_tf(32, 0x8);
    SELECTED = "rdp.negReq.selectedProtocol", "selectedProtocol", hex_named(32, SELECTED_PROTOCOLS);
    FAILURE_CODE = "rdp.negFailure.failureCode", "failureCode", hex(32);
}

/// The protocols a negotiation request offers, in the order tshark lists them.
const REQUESTED_BITS: [(FieldId, u32, &str); 4] = [
    (REQUESTED_SSL, 0x1, "TLS security supported"),
    (REQUESTED_HYBRID, 0x2, "CredSSP supported"),
    (REQUESTED_RDSTLS, 0x4, "RDSTLS supported"),
    (
        REQUESTED_HYBRID_EX,
        0x8,
        "CredSSP with Early User Authorization Result PDU supported",
    ),
];

/// Whether `payload` opens with a TPKT header (version 3, a length covering at least
/// the header), which is what makes TPKT take a conversation on the RDP port.
pub fn opens_pdu(payload: &[u8]) -> bool {
    bytes::u8_at(payload, 0) == Some(3) && bytes::be_u16(payload, 2).is_some_and(|len| len >= 4)
}

/// Length of the TPKT PDU at the start of `bytes` (reassembled across segments, as
/// tshark's TPKT desegments); bytes that open none are taken whole.
pub fn pdu_len(bytes: &[u8]) -> PduLen {
    match bytes::be_u16(bytes, 2) {
        Some(len) if opens_pdu(bytes) && bytes.len() >= usize::from(len) => {
            PduLen::Complete(usize::from(len))
        }
        Some(len) if opens_pdu(bytes) => PduLen::NeedMore(Some(usize::from(len))),
        None if bytes.first() == Some(&3) => PduLen::NeedMore(None),
        _ => PduLen::Complete(bytes.len()),
    }
}

/// Dissects a TCP payload on the RDP port, lying at `offset` of the frame.
pub fn dissect<'a>(d: &mut Dissection<'a>, payload: &'a [u8], offset: usize) {
    d.set_protocol("TPKT");
    let tpkt_len = match (bytes::u8_at(payload, 0), bytes::be_u16(payload, 2)) {
        (Some(3), Some(len)) if usize::from(len) >= 4 => usize::from(len),
        _ => {
            // No TPKT header: the rest of a PDU (or TLS inside the connection).
            let item = d.add_labeled(TPKT, offset, payload.len(), Value::None, || {
                "TPKT, Continuation".to_string()
            });
            d.begin(item);
            d.add(
                CONTINUATION,
                offset,
                payload.len(),
                Value::Bytes(payload.into()),
            );
            d.end();
            d.set_info(|| "Continuation".to_string());
            return;
        }
    };
    let version = 3u8;
    let reserved = bytes::u8_at(payload, 1).unwrap_or(0);
    let item = d.add_labeled(TPKT, offset, 4, Value::None, || {
        format!("TPKT, Version: {version}, Length: {tpkt_len}")
    });
    d.begin(item);
    d.add(VERSION, offset, 1, Value::UInt(u64::from(version)));
    d.add(RESERVED, offset + 1, 1, Value::UInt(u64::from(reserved)));
    d.add(LENGTH, offset + 2, 2, Value::UInt(tpkt_len as u64));
    d.end();
    let pdu = payload.get(4..tpkt_len.min(payload.len())).unwrap_or(&[]);
    cotp(d, pdu, offset + 4);
}

/// A COTP TPDU at `offset`: connection requests and confirms in full (with the RDP
/// negotiation in their user data), other TPDUs by their header only.
fn cotp<'a>(d: &mut Dissection<'a>, tpdu: &'a [u8], offset: usize) {
    let (Some(li), Some(kind)) = (bytes::u8_at(tpdu, 0), bytes::u8_at(tpdu, 1)) else {
        return;
    };
    let code = kind >> 4;
    let header_len = usize::from(li) + 1;
    let item = d.add(COTP, offset, header_len.min(tpdu.len()), Value::None);
    d.begin(item);
    d.add(COTP_LI, offset, 1, Value::UInt(u64::from(li)));
    d.add_labeled(
        COTP_TYPE,
        offset + 1,
        1,
        Value::UInt(u64::from(code)),
        || {
            let name =
                super::value::value_name(Some(TPDU_TYPES), u64::from(code)).unwrap_or("Unknown");
            format!("PDU Type: {name} (0x{code:02x})")
        },
    );
    if !matches!(code, CONNECT_REQUEST | CONNECT_CONFIRM) {
        d.end();
        return;
    }
    let (Some(dst), Some(src), Some(class)) = (
        bytes::be_u16(tpdu, 2),
        bytes::be_u16(tpdu, 4),
        bytes::u8_at(tpdu, 6),
    ) else {
        d.end();
        return;
    };
    d.add(COTP_DESTREF, offset + 2, 2, Value::UInt(u64::from(dst)));
    d.add(COTP_SRCREF, offset + 4, 2, Value::UInt(u64::from(src)));
    d.add(
        COTP_CLASS,
        offset + 6,
        1,
        Value::UInt(u64::from(class >> 4)),
    );
    d.add(COTP_EXTENDED, offset + 6, 1, Value::Bool(class & 0x02 != 0));
    d.add(
        COTP_NO_FLOW_CONTROL,
        offset + 6,
        1,
        Value::Bool(class & 0x01 != 0),
    );
    d.end();
    d.set_protocol("COTP");
    let name = if code == CONNECT_REQUEST { "CR" } else { "CC" };
    d.set_info(|| format!("{name} TPDU src-ref: 0x{src:04x} dst-ref: 0x{dst:04x}"));
    // RDP's cookie and negotiation follow the 7 bytes of the fixed part (the length
    // indicator counts them as the variable part).
    let Some(user_data) = tpdu.get(CR_CC_FIXED..) else {
        return;
    };
    if !user_data.is_empty() {
        rdp(d, user_data, offset + CR_CC_FIXED, code == CONNECT_REQUEST);
    }
}

/// The user data of a connection request (`request`) or confirm: a routing token or
/// cookie line, then an RDP negotiation structure.
fn rdp<'a>(d: &mut Dissection<'a>, data: &'a [u8], offset: usize, request: bool) {
    let item = d.add(RDP, offset, data.len(), Value::None);
    d.begin(item);
    let mut at = 0;
    let mut info: Vec<String> = Vec::new();
    if request && (data.starts_with(b"Cookie:") || data.starts_with(b"Cookie: ")) {
        // The cookie runs to its CR LF.
        if let Some(end) = data.windows(2).position(|w| w == b"\r\n") {
            let cookie = data.get(..end).unwrap_or(&[]);
            d.add(RT_COOKIE, offset, end, Value::owned_str(cookie));
            info.push(String::from_utf8_lossy(cookie).into_owned());
            at = end + 2;
        }
    }
    if let (Some(kind), Some(flags), Some(len)) = (
        bytes::u8_at(data, at),
        bytes::u8_at(data, at + 1),
        bytes::le_u16(data, at + 2),
    ) {
        d.add(NEG_TYPE, offset + at, 1, Value::UInt(u64::from(kind)));
        let flags_field = if request {
            NEG_REQ_FLAGS
        } else {
            NEG_RSP_FLAGS
        };
        d.add(
            flags_field,
            offset + at + 1,
            1,
            Value::UInt(u64::from(flags)),
        );
        d.add(NEG_LENGTH, offset + at + 2, 2, Value::UInt(u64::from(len)));
        let value = bytes::le_u32(data, at + 4);
        match (kind, value) {
            (1, Some(protocols)) => {
                let names: Vec<&str> = REQUESTED_BITS
                    .iter()
                    .filter(|(_, bit, _)| protocols & bit != 0)
                    .map(|(_, _, name)| *name)
                    .collect();
                let node = d.add_labeled(
                    REQUESTED,
                    offset + at + 4,
                    4,
                    Value::UInt(u64::from(protocols)),
                    || {
                        let mut label = format!("requestedProtocols: 0x{protocols:08x}");
                        for name in &names {
                            label.push_str(", ");
                            label.push_str(name);
                        }
                        label
                    },
                );
                d.begin(node);
                for (field, bit, _) in REQUESTED_BITS {
                    d.add(field, offset + at + 4, 4, Value::Bool(protocols & bit != 0));
                }
                d.end();
                info.push("Negotiate Request".to_string());
            }
            (2, Some(selected)) => {
                d.add(
                    SELECTED,
                    offset + at + 4,
                    4,
                    Value::UInt(u64::from(selected)),
                );
                info.push("Negotiate Response".to_string());
            }
            (3, Some(code)) => {
                d.add(
                    FAILURE_CODE,
                    offset + at + 4,
                    4,
                    Value::UInt(u64::from(code)),
                );
                info.push("Negotiate Failure".to_string());
            }
            _ => {}
        }
    }
    d.end();
    if !info.is_empty() {
        d.set_protocol("RDP");
        d.set_info(|| info.join(", "));
    }
}

#[cfg(test)]
mod tests {
    use crate::capture::{Capture, Interface, LinkType};
    use crate::dissect::testing::{field, with_bytes};

    /// Dissects `tcp_payload` behind the IPv4 and TCP headers of tcp_clean_close.pcap's
    /// frame 12, with the server port set to 3389 (raw IP link type).
    fn with_rdp_payload(tcp_payload: &[u8], f: impl FnOnce(&crate::dissect::tree::Dissection<'_>)) {
        let path = crate::dissect::testing::capture_path("tcp_clean_close.pcap");
        let capture = Capture::open(&path).unwrap();
        let (mut record, bytes) = capture.packet(11).unwrap();
        let mut iface: Interface = capture.interface_of(&record).clone();
        iface.link_type = LinkType::RAW;
        let ip_and_tcp = &bytes[14..];
        let header_len = 20 + usize::from(ip_and_tcp[32] >> 4) * 4;
        let mut packet = ip_and_tcp[..header_len].to_vec();
        packet.extend_from_slice(tcp_payload);
        let total = packet.len() as u16;
        packet[2..4].copy_from_slice(&total.to_be_bytes());
        packet[22..24].copy_from_slice(&3389u16.to_be_bytes());
        record.cap_len = packet.len() as u32;
        record.orig_len = record.cap_len;
        with_bytes(&record, &iface, &packet, f);
    }

    /// The X.224 Connection Request and Confirm of an RDP session (PCAP-ATTACK's
    /// LM_rdp_sharprdp.pcapng frames 4 and 6), then TLS inside the connection, a
    /// request cut inside its negotiation or after COTP's fixed part, and one whose
    /// TPKT length is too short for its header.
    #[test]
    fn rdp_negotiation_then_continuation() {
        let request = b"\x03\x00\x00\x2c\x27\xe0\x00\x00\x00\x00\x00Cookie: mstshash=IEUser\r\n\x01\x00\x08\x00\x0b\x00\x00\x00";
        with_rdp_payload(request, |d| {
            assert_eq!(d.columns.protocol, "RDP");
            assert_eq!(d.columns.info, "Cookie: mstshash=IEUser, Negotiate Request");
            assert_eq!(field(d, "tpkt.length"), "44");
            assert_eq!(field(d, "cotp.type"), "0x0e");
            assert_eq!(field(d, "rdp.rt_cookie"), "Cookie: mstshash=IEUser");
            assert_eq!(field(d, "rdp.negReq.requestedProtocols"), "0x0000000b");
            assert_eq!(field(d, "rdp.negReq.requestedProtocols.rdstls"), "0");
        });
        let confirm =
            b"\x03\x00\x00\x13\x0e\xd0\x00\x00\x12\x34\x00\x02\x1f\x08\x00\x08\x00\x00\x00";
        with_rdp_payload(confirm, |d| {
            assert_eq!(d.columns.info, "Negotiate Response");
            assert_eq!(field(d, "cotp.srcref"), "0x1234");
            assert_eq!(field(d, "rdp.negReq.selectedProtocol"), "0x00000008");
        });
        with_rdp_payload(&[0x16, 3, 1, 0, 0xa5, 1, 0, 0], |d| {
            assert_eq!(d.columns.protocol, "TPKT");
            assert_eq!(d.columns.info, "Continuation");
        });
        with_rdp_payload(&request[..40], |d| {
            assert_eq!(d.columns.info, "Cookie: mstshash=IEUser");
            assert_eq!(field(d, "rdp.negReq.requestedProtocols"), "");
        });
        // A request with no RDP in it: COTP's own Info.
        with_rdp_payload(&request[..11], |d| {
            assert_eq!(d.columns.protocol, "COTP");
            assert_eq!(d.columns.info, "CR TPDU src-ref: 0x0000 dst-ref: 0x0000");
        });
        with_rdp_payload(&[3, 0, 0, 1, 2, 0xe0], |d| {
            assert_eq!(d.columns.info, "Continuation");
        });
    }
}
