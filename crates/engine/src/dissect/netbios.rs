//! NetBIOS Frames (NetBEUI) on LLC's NetBIOS SAP (0xF0): the header's length,
//! delimiter and command, a datagram's two 16-byte names, then the SMB it carries
//! (a mailslot write: Browser or logon messages), as tshark 4.0 reads it.

use super::field::FieldId;
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
/// The name commands whose Info names a name.
const ADD_GROUP_NAME_QUERY: u8 = 0x00;
const ADD_NAME_QUERY: u8 = 0x01;
const NAME_QUERY: u8 = 0x0a;
const NAME_RECOGNIZED: u8 = 0x0e;
/// Where the correlators and the local session number sit in the header.
const LOCAL_SESSION_AT: usize = 6;
const XMIT_CORRL_AT: usize = 8;
const RESP_CORRL_AT: usize = 10;
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
    XMIT_CORRL = "netbios.xmit_corrl", "Transmit Correlator", hex(16);
    RESP_CORRL = "netbios.resp_corrl", "Response Correlator", hex(16);
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
    // The name commands name the name they are about: a Name Query the one it
    // looks for, the additions and Name Recognized the one in the sender's place.
    let named = |at: usize| {
        bytes::slice(msg, at, NAME_LEN)
            .and_then(|raw| <&[u8; NAME_LEN]>::try_from(raw).ok())
            .map(|raw| super::nbns::netbios_text(raw).0)
    };
    let info = match cmd {
        NAME_QUERY => named(RECEIVER_AT).map(|n| format!("{name} for {n}")),
        NAME_RECOGNIZED | ADD_NAME_QUERY | ADD_GROUP_NAME_QUERY => {
            named(SENDER_AT).map(|n| format!("{name} - {n}"))
        }
        _ => None,
    };
    d.set_info(|| info.unwrap_or_else(|| name.to_string()));
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
    command_items(d, msg, offset, cmd);
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

/// The correlators and names each command's header carries, in tshark's order
/// (IBM's NetBIOS Frames Protocol gives every command its own use of the fields).
fn command_items(d: &mut Dissection<'_>, msg: &[u8], offset: usize, cmd: u8) {
    const RECEIVER: &str = "Receiver's Name";
    const SENDER: &str = "Sender's Name";
    let session = bytes::u8_at(msg, LOCAL_SESSION_AT).unwrap_or(0);
    const X: (FieldId, usize) = (XMIT_CORRL, XMIT_CORRL_AT);
    const R: (FieldId, usize) = (RESP_CORRL, RESP_CORRL_AT);
    type Items = (
        &'static [(FieldId, usize)],
        &'static [(usize, &'static str)],
    );
    let (correlators, names): Items = match cmd {
        ADD_GROUP_NAME_QUERY => (&[R], &[(SENDER_AT, "Group name to add")]),
        ADD_NAME_QUERY => (&[R], &[(SENDER_AT, "Name to add")]),
        0x02 => (
            &[],
            &[(RECEIVER_AT, "Name In Conflict"), (SENDER_AT, SENDER)],
        ),
        0x03 => (&[R], &[(RECEIVER_AT, RECEIVER), (SENDER_AT, SENDER)]),
        DATAGRAM => (&[], &[(RECEIVER_AT, RECEIVER), (SENDER_AT, SENDER)]),
        BROADCAST_DATAGRAM => (&[], &[(SENDER_AT, SENDER)]),
        // A Name Query from a session (not a FIND.NAME) names its caller too.
        NAME_QUERY if session != 0 => (&[R], &[(RECEIVER_AT, "Query Name"), (SENDER_AT, SENDER)]),
        NAME_QUERY => (&[R], &[(RECEIVER_AT, "Query Name")]),
        0x0d => (
            &[X],
            &[
                (RECEIVER_AT, "Name to be added"),
                (SENDER_AT, "Name to be added"),
            ],
        ),
        // Name Recognized with a session number names the session's sender.
        NAME_RECOGNIZED if session != 0 && session != 0xff => {
            (&[X, R], &[(RECEIVER_AT, RECEIVER), (SENDER_AT, SENDER)])
        }
        NAME_RECOGNIZED => (&[X], &[(RECEIVER_AT, RECEIVER)]),
        0x0f => (&[X], &[(RECEIVER_AT, RECEIVER), (SENDER_AT, SENDER)]),
        // Data Ack and Receive Continue; the data and session commands.
        0x14 | 0x1c => (&[X], &[]),
        0x15..=0x17 => (&[X, R], &[]),
        0x19 => (&[R, X], &[]),
        _ => (&[], &[]),
    };
    for &(field, at) in correlators {
        if let Some(v) = bytes::le_u16(msg, at) {
            d.add(field, offset + at, 2, Value::UInt(u64::from(v)));
        }
    }
    for &(at, title) in names {
        name_item(d, msg, offset, at, title);
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
    use crate::dissect::testing::{field, with_ethernet, with_frame, with_patched, with_truncated};

    /// microsoft_npc_netbios.pcapng (realjimmy/sample-captures) frame 3: an Add
    /// Group Name Query for WORKGROUP<00>.
    #[rustfmt::skip]
    const ADD_GROUP: [u8; 61] = [
        0x03, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x0c, 0x29, 0xd4, 0x79, 0xb2,
        0x00, 0x2f, 0xf0, 0xf0, 0x03, 0x2c, 0x00, 0xff, 0xef, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x02, 0x00, 0x04, 0xb8, 0xfe, 0xff, 0x50, 0xe8, 0xa1,
        0xf7, 0x5b, 0x8d, 0x46, 0xe4, 0x16, 0x50, 0xe8, 0x5a, 0x57, 0x4f, 0x52,
        0x4b, 0x47, 0x52, 0x4f, 0x55, 0x50, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20,
        0x00,
    ];
    /// The same capture's frame 23: a Name Query for FOOBARMACHINE<7b> from
    /// HELLOWORLDAPP<7b>, local session 4.
    #[rustfmt::skip]
    const NAME_QUERY: [u8; 61] = [
        0x03, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x50, 0x56, 0x20, 0xca, 0x57,
        0x00, 0x2f, 0xf0, 0xf0, 0x03, 0x2c, 0x00, 0xff, 0xef, 0x0a, 0x00, 0x04,
        0x00, 0x00, 0x00, 0x04, 0x00, 0x46, 0x4f, 0x4f, 0x42, 0x41, 0x52, 0x4d,
        0x41, 0x43, 0x48, 0x49, 0x4e, 0x45, 0x20, 0x20, 0x7b, 0x48, 0x45, 0x4c,
        0x4c, 0x4f, 0x57, 0x4f, 0x52, 0x4c, 0x44, 0x41, 0x50, 0x50, 0x20, 0x20,
        0x7b,
    ];
    /// The same capture's frame 24: its Name Recognized answer.
    #[rustfmt::skip]
    const NAME_RECOGNIZED: [u8; 61] = [
        0x00, 0x50, 0x56, 0x20, 0xca, 0x57, 0x00, 0x0c, 0x29, 0xd4, 0x79, 0xb2,
        0x00, 0x2f, 0xf0, 0xf0, 0x03, 0x2c, 0x00, 0xff, 0xef, 0x0e, 0x00, 0x04,
        0x00, 0x04, 0x00, 0x04, 0x00, 0x48, 0x45, 0x4c, 0x4c, 0x4f, 0x57, 0x4f,
        0x52, 0x4c, 0x44, 0x41, 0x50, 0x50, 0x20, 0x20, 0x7b, 0x46, 0x4f, 0x4f,
        0x42, 0x41, 0x52, 0x4d, 0x41, 0x43, 0x48, 0x49, 0x4e, 0x45, 0x20, 0x20,
        0x7b,
    ];

    /// The name commands' Info names their name as tshark's does, and their
    /// correlators and names are the fields tshark gives.
    #[test]
    fn name_commands_name_their_name() {
        with_ethernet(&ADD_GROUP, |d| {
            assert_eq!(d.columns.info, "Add Group Name Query - WORKGROUP<00>");
            assert_eq!(field(d, "netbios.resp_corrl"), "0x0002");
            assert_eq!(field(d, "netbios.nb_name"), "WORKGROUP");
            assert_eq!(field(d, "netbios.nb_name_type"), "0x00");
        });
        with_ethernet(&NAME_QUERY, |d| {
            assert_eq!(d.columns.info, "Name Query for FOOBARMACHINE<7b>");
            assert_eq!(field(d, "netbios.resp_corrl"), "0x0004");
            assert_eq!(field(d, "netbios.nb_name"), "FOOBARMACHINE,HELLOWORLDAPP");
        });
        with_ethernet(&NAME_RECOGNIZED, |d| {
            assert_eq!(d.columns.info, "Name Recognized - FOOBARMACHINE<7b>");
            assert_eq!(field(d, "netbios.xmit_corrl"), "0x0004");
            assert_eq!(field(d, "netbios.resp_corrl"), "0x0004");
            assert_eq!(field(d, "netbios.nb_name"), "HELLOWORLDAPP,FOOBARMACHINE");
        });
        // Cut inside the sender's name: the command alone, as no name is whole.
        with_ethernet(&ADD_GROUP[..50], |d| {
            assert_eq!(d.columns.info, "Add Group Name Query");
            assert_eq!(field(d, "netbios.nb_name"), "");
        });
    }

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
