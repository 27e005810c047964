//! Java RMI's wire protocol on TCP 1099, as tshark 4.0 reads each segment on its own:
//! a stream header (`JRMI`, version, protocol), a one-byte message (Call, Ping,
//! DgcAck; ProtocolAck, ReturnData, PingAck, ...), Java serialization data, or
//! `Continuation` for anything else (a Telnet session moved to port 1099 in a course
//! lab reads as RMI Continuation, as in Wireshark).

use super::field::kinds::*;
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;

/// RMI's registry port (tshark's `tcp.port` registration).
pub const PORT: u16 = 1099;

#[rustfmt::skip]
const PROTOCOLS: &[(u64, &str)] = &[
    (0x4b, "StreamProtocol"), (0x4c, "SingleOpProtocol"), (0x4d, "MultiPlexProtocol"),
];
#[rustfmt::skip]
const INPUT_MESSAGES: &[(u64, &str)] = &[
    (0x4e, "ProtocolAck"), (0x4f, "ProtocolNotSupported"), (0x51, "ReturnData"), (0x53, "PingAck"),
];
const OUTPUT_MESSAGES: &[(u64, &str)] = &[(0x50, "Call"), (0x52, "Ping"), (0x54, "DgcAck")];

/// Java serialization's stream magic.
const SERIALIZATION_MAGIC: u16 = 0xaced;

crate::define_fields! { after super::tpkt::END;
    RMI = "rmi", "Java RMI", PROTO;
    MAGIC = "rmi.magic", "Magic", hex(32);
    VERSION = "rmi.version", "Version", dec(16);
    PROTOCOL = "rmi.protocol", "Protocol", hex_named(8, PROTOCOLS);
    INPUT_MESSAGE = "rmi.inputstream.message", "Input Stream Message", hex_named(8, INPUT_MESSAGES);
    OUTPUT_MESSAGE = "rmi.outputstream.message", "Output Stream Message", hex_named(8, OUTPUT_MESSAGES);
    SER_MAGIC = "rmi.ser.magic", "Magic", hex(16);
    SER_VERSION = "rmi.ser.version", "Version", dec(16);
}

/// Dissects one TCP payload on the RMI port, lying at `offset` of the frame.
pub fn dissect(d: &mut Dissection<'_>, payload: &[u8], offset: usize) {
    d.set_protocol("RMI");
    // tshark types the segment by the bytes of its first line only.
    let line = memchr::memchr2(b'\r', b'\n', payload).unwrap_or(payload.len());
    let first = bytes::u8_at(payload, 0).filter(|_| line >= 1);
    let item = d.add(RMI, offset, payload.len(), Value::None);
    d.begin(item);
    let info = if line >= 2 && bytes::be_u16(payload, 0) == Some(SERIALIZATION_MAGIC) {
        let version = bytes::be_u16(payload, 2);
        d.add(
            SER_MAGIC,
            offset,
            2,
            Value::UInt(u64::from(SERIALIZATION_MAGIC)),
        );
        if let Some(v) = version {
            d.add(SER_VERSION, offset + 2, 2, Value::UInt(u64::from(v)));
        }
        format!("Serialization data, Version: {}", version.unwrap_or(0))
    } else if line >= 4 && payload.starts_with(b"JRMI") {
        d.add(MAGIC, offset, 4, Value::UInt(0x4a52_4d49));
        let version = bytes::be_u16(payload, 4);
        if let Some(v) = version {
            d.add(VERSION, offset + 4, 2, Value::UInt(u64::from(v)));
        }
        let protocol = bytes::u8_at(payload, 6);
        if let Some(p) = protocol {
            d.add(PROTOCOL, offset + 6, 1, Value::UInt(u64::from(p)));
        }
        let name = protocol
            .and_then(|p| super::value::value_name(Some(PROTOCOLS), u64::from(p)))
            .unwrap_or("Unknown protocol");
        format!("JRMI, Version: {}, {name}", version.unwrap_or(0))
    } else if let Some(m) = first.filter(|m| matches!(m, 0x4e | 0x4f | 0x51 | 0x53)) {
        d.add(INPUT_MESSAGE, offset, 1, Value::UInt(u64::from(m)));
        let name = super::value::value_name(Some(INPUT_MESSAGES), u64::from(m)).unwrap_or("");
        format!("JRMI, {name}")
    } else if let Some(m) = first.filter(|m| matches!(m, 0x50 | 0x52 | 0x54)) {
        d.add(OUTPUT_MESSAGE, offset, 1, Value::UInt(u64::from(m)));
        let name = super::value::value_name(Some(OUTPUT_MESSAGES), u64::from(m)).unwrap_or("");
        format!("JRMI, {name}")
    } else {
        "Continuation".to_string()
    };
    d.end();
    d.set_info(|| info);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info_of(payload: &[u8]) -> String {
        let mut d = Dissection::new(crate::dissect::Want::All, true, true);
        dissect(&mut d, payload, 54);
        assert_eq!(d.columns.protocol, "RMI");
        d.columns.info.clone()
    }

    /// Telnet's negotiation on port 1099 (cs_telnet_telnet_port_1099.pcap frame 4) is
    /// Continuation; RMI's own headers and messages by their first bytes; a line
    /// that ends before the bytes a type needs is Continuation too.
    #[test]
    fn types_by_first_line() {
        assert_eq!(
            info_of(&[0xff, 0xfd, 0x01, 0xff, 0xfd, 0x03]),
            "Continuation"
        );
        assert_eq!(info_of(b"\r\n"), "Continuation");
        assert_eq!(
            info_of(b"JRMI\x00\x02\x4b"),
            "JRMI, Version: 2, StreamProtocol"
        );
        assert_eq!(
            info_of(b"JRMI\x00\x02\x4a"),
            "JRMI, Version: 2, Unknown protocol"
        );
        assert_eq!(info_of(&[0x4e, 0, 9]), "JRMI, ProtocolAck");
        assert_eq!(info_of(&[0x50, 0xac, 0xed]), "JRMI, Call");
        assert_eq!(
            info_of(&[0xac, 0xed, 0, 5, 0x77]),
            "Serialization data, Version: 5"
        );
        assert_eq!(info_of(b"JR\nMI"), "Continuation");
        assert_eq!(info_of(&[0x50]), "JRMI, Call");
        assert_eq!(info_of(&[]), "Continuation");
        let header = b"JRMI\x00\x02\x4b";
        for cut in 0..=header.len() {
            let _ = info_of(&header[..cut]);
        }
    }
}
