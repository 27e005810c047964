//! NetBIOS Frames (NetBEUI) on LLC's NetBIOS SAP (0xF0): the header's length,
//! delimiter and command, a datagram's two 16-byte names, then the SMB it carries
//! (a mailslot write: Browser or logon messages), as tshark 4.0 reads it.

use super::field::kinds::*;
use super::nbns::name_type_text;
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;

/// NetBIOS Frames commands (IBM's NetBIOS Frames Protocol) under tshark's names.
#[rustfmt::skip]
const COMMANDS: &[(u64, &str)] = &[
    (0x00, "Add Group Name Query"), (0x01, "Add Name Query"), (0x02, "Name In Conflict"),
    (0x03, "Status Query"), (0x07, "Terminate Trace"), (0x08, "Datagram"),
    (0x09, "Broadcast Datagram"), (0x0a, "Name Query"), (0x0d, "Add Name Response"),
    (0x0e, "Name Recognized"), (0x0f, "Status Response"), (0x13, "Terminate Trace"),
    (0x14, "Data Ack"), (0x15, "Data First Middle"), (0x16, "Data Only Last"),
    (0x17, "Session Confirm"), (0x18, "Session End"), (0x19, "Session Initialize"),
    (0x1a, "No Receive"), (0x1b, "Receive Outstanding"), (0x1c, "Receive Continue"),
    (0x1f, "Session Alive"),
];

/// The delimiter every NetBIOS Frames header carries after its length.
const DELIMITER_VALUE: u16 = 0xefff;
/// The datagram commands, whose header names a receiver and a sender and whose
/// payload is handed on.
const DATAGRAM: u8 = 0x08;
const BROADCAST_DATAGRAM: u8 = 0x09;
/// Where a datagram's receiver and sender names start, and each name's length.
const RECEIVER_AT: usize = 12;
const SENDER_AT: usize = 28;
const NAME_LEN: usize = 16;

crate::define_fields! { after super::smb_netlogon::END;
    NETBIOS = "netbios", "NetBIOS", PROTO;
    HDR_LEN = "netbios.hdr_len", "Length", dec(16);
    DELIMITER = "netbios.delimiter", "Delimiter", hex(16);
    COMMAND = "netbios.command", "Command", hex_named(8, COMMANDS);
    NB_NAME = "netbios.nb_name", "NetBIOS Name", STR;
    NB_NAME_TYPE = "netbios.nb_name_type", "NetBIOS Name Type", hex(8);
}

/// Dissects a NetBIOS Frames message at `offset` of `data`; without the delimiter
/// the bytes are data, as tshark refuses them.
pub fn dissect<'a>(d: &mut Dissection<'a>, data: &'a [u8], offset: usize) {
    let msg = bytes::tail(data, offset);
    let (Some(hdr_len), Some(delimiter), Some(cmd)) = (
        bytes::le_u16(msg, 0),
        bytes::le_u16(msg, 2),
        bytes::u8_at(msg, 4),
    ) else {
        super::data::dissect(d, data, offset);
        return;
    };
    if delimiter != DELIMITER_VALUE {
        super::data::dissect(d, data, offset);
        return;
    }
    let header = usize::from(hdr_len).min(msg.len());
    d.open_protocol(NETBIOS, (offset, header), "netbios", "NetBIOS");
    let name = super::value::value_name(Some(COMMANDS), u64::from(cmd)).unwrap_or("Unknown");
    d.set_info(|| name.to_string());
    d.add_labeled(HDR_LEN, offset, 2, Value::UInt(u64::from(hdr_len)), || {
        format!("Length: {hdr_len} bytes")
    });
    d.add_labeled(
        DELIMITER,
        offset + 2,
        2,
        Value::UInt(u64::from(delimiter)),
        || "Delimiter: EFFF (NetBIOS)".to_string(),
    );
    d.add(COMMAND, offset + 4, 1, Value::UInt(u64::from(cmd)));
    let datagram = cmd == DATAGRAM || cmd == BROADCAST_DATAGRAM;
    if datagram {
        if cmd == DATAGRAM {
            name_item(d, msg, offset, RECEIVER_AT, "Receiver's Name");
        }
        name_item(d, msg, offset, SENDER_AT, "Sender's Name");
    }
    d.end();
    let payload_at = offset.saturating_add(header);
    if !datagram || payload_at >= data.len() {
        return;
    }
    // tshark tries its heuristics on the payload: SMB's is the one that answers.
    let payload = bytes::tail(data, payload_at);
    if !super::nbdgm::smb_trans(d, payload_at, payload) {
        super::data::dissect(d, data, payload_at);
    }
}

/// A 16-byte NetBIOS name at `at` of the header: 15 characters padded with spaces,
/// then its type.
fn name_item(d: &mut Dissection<'_>, msg: &[u8], offset: usize, at: usize, title: &str) {
    let Some(raw) = bytes::slice(msg, at, NAME_LEN) else {
        return;
    };
    let (chars, kind) = raw.split_at(NAME_LEN - 1);
    let kind = kind.first().copied().unwrap_or(0);
    let trimmed = chars
        .iter()
        .rposition(|b| *b != b' ')
        .map_or(&[][..], |last| chars.get(..=last).unwrap_or(chars));
    let text = String::from_utf8_lossy(trimmed).into_owned();
    let node = d.text(offset + at, NAME_LEN, || {
        format!("{title}: {text}<{kind:02x}> ({})", name_type_text(kind))
    });
    d.begin(node);
    d.add_labeled(
        NB_NAME,
        offset + at,
        NAME_LEN - 1,
        Value::owned_str(trimmed),
        || text.clone(),
    );
    d.add_labeled(
        NB_NAME_TYPE,
        offset + at + NAME_LEN - 1,
        1,
        Value::UInt(u64::from(kind)),
        || format!("0x{kind:02x} ({})", name_type_text(kind)),
    );
    d.end();
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_frame, with_patched, with_truncated};

    /// netbios_llc.pcap frame 1 (dns-ethereal-trace-2 frame 23): a datagram to
    /// WORKGROUP<1c> from EDA2001 carrying a logon request.
    #[test]
    fn datagram_names_then_smb() {
        with_frame("netbios_llc.pcap", 1, |d| {
            assert_eq!(field(d, "netbios.hdr_len"), "44");
            assert_eq!(field(d, "netbios.command"), "0x08");
            assert_eq!(field(d, "netbios.nb_name"), "WORKGROUP,EDA2001");
            assert_eq!(field(d, "netbios.nb_name_type"), "0x1c,0x00");
            assert_eq!(d.columns.protocol, "SMB_NETLOGON");
        });
        // Cut inside the sender's name: the receiver's only, nothing past the cut.
        with_truncated("netbios_llc.pcap", 1, 50, |d| {
            assert_eq!(field(d, "netbios.nb_name"), "WORKGROUP");
            assert_eq!(d.columns.protocol, "NetBIOS");
            assert_eq!(d.columns.info, "Datagram");
        });
        // A wrong delimiter: not NetBIOS Frames, LLC's data.
        with_patched(
            "netbios_llc.pcap",
            1,
            |b| b[19] = 0,
            |d| {
                assert_eq!(field(d, "netbios.command"), "");
                assert_eq!(d.columns.protocol, "LLC");
            },
        );
    }
}
