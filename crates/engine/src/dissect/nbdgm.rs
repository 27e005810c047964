//! NetBIOS Datagram Service (RFC 1002 section 4.4, UDP 138) and what rides on it in
//! every Windows LAN: an SMB Trans request writing a mailslot (`\MAILSLOT\BROWSE`),
//! and the Browser protocol's announcements and elections in that mailslot, with
//! tshark's Info (`Host Announcement NAME, Workstation, Server, ...`).

use super::field::kinds::*;
use super::nbns::{name_type_text, read_name};
use super::smb::{
    BCC as SMB_BCC, CMD as SMB_CMD, DATA_OFFSET as SMB_DATA_OFFSET, SMB,
    TRANS_NAME as SMB_TRANS_NAME, WCT as SMB_WCT,
};
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;

#[rustfmt::skip]
const MSG_TYPES: &[(u64, &str)] = &[
    (0x10, "Direct_unique datagram"), (0x11, "Direct_group datagram"),
    (0x12, "Broadcast datagram"), (0x13, "Datagram error"), (0x14, "Datagram query request"),
    (0x15, "Datagram positive query response"), (0x16, "Datagram negative query response"),
];
const NODE_TYPES: &[(u64, &str)] = &[(0, "B node"), (1, "P node"), (2, "M node"), (3, "NBDD")];
#[rustfmt::skip]
const BROWSER_COMMANDS: &[(u64, &str)] = &[
    (1, "Host Announcement"), (2, "Request Announcement"), (8, "Browser Election Request"),
    (9, "Get Backup List Request"), (10, "Get Backup List Response"),
    (11, "Become Backup Browser"), (12, "Domain/Workgroup Announcement"),
    (13, "Master Announcement"), (14, "Reset Browser State Announcement"),
    (15, "Local Master Announcement"),
];
/// The server-type bits, in bit order, as tshark names them in the Info column.
#[rustfmt::skip]
const SERVER_TYPES: [(u32, &str); 24] = [
    (0, "Workstation"), (1, "Server"), (2, "SQL Server"), (3, "Domain Controller"),
    (4, "Backup Controller"), (5, "Time Source"), (6, "Apple Server"), (7, "Novell Server"),
    (8, "Domain Member Server"), (9, "Print Queue Server"), (10, "Dialin Server"),
    (11, "Xenix Server"), (12, "NT Workstation"), (13, "Windows for Workgroups"),
    (15, "NT Server"), (16, "Potential Browser"), (17, "Backup Browser"),
    (18, "Master Browser"), (19, "Domain Master Browser"), (20, "OSF"), (21, "VMS"),
    (22, "Windows 95 or above"), (30, "Local List Only"), (31, "Domain Enum"),
];
#[rustfmt::skip]
const MAILSLOT_CLASSES: &[(u64, &str)] = &[(1, "Reliable"), (2, "Unreliable & Broadcast")];
const MAILSLOT_OPCODES: &[(u64, &str)] = &[(1, "Write Mail Slot")];

crate::define_fields! { after super::rip::END;
    NBDGM = "nbdgm", "NetBIOS Datagram Service", PROTO;
    TYPE = "nbdgm.type", "Message Type", dec_named(8, MSG_TYPES);
    FLAGS = "nbdgm.flags", "Flags", hex(8);
    NEXT = "nbdgm.next", "More fragments follow", flag(8, 0x01);
    FIRST = "nbdgm.first", "This is first fragment", flag(8, 0x02);
    NODE_TYPE = "nbdgm.node_type", "Node Type", uint(8, super::field::Base::Dec, 0x0c, Some(NODE_TYPES));
    DGRAM_ID = "nbdgm.dgram_id", "Datagram ID", hex(16);
    SRC_IP = "nbdgm.src.ip", "Source IP", IPV4;
    SRC_PORT = "nbdgm.src.port", "Source Port", dec(16);
    DGRAM_LEN = "nbdgm.dgram_len", "Datagram length", dec(16);
    PKT_OFFSET = "nbdgm.pkt_offset", "Packet offset", dec(16);
    ERROR_CODE = "nbdgm.error_code", "Error code", hex(8);
    SOURCE_NAME = "nbdgm.source_name", "Source name", STR;
    DESTINATION_NAME = "nbdgm.destination_name", "Destination name", STR;
    MAILSLOT = "mailslot", "SMB MailSlot Protocol", PROTO;
    MAILSLOT_OPCODE = "mailslot.opcode", "Opcode", dec_named(16, MAILSLOT_OPCODES);
    MAILSLOT_PRIORITY = "mailslot.priority", "Priority", dec(16);
    MAILSLOT_CLASS = "mailslot.class", "Class", dec_named(16, MAILSLOT_CLASSES);
    MAILSLOT_SIZE = "mailslot.size", "Size", dec(16);
    MAILSLOT_NAME = "mailslot.name", "Mailslot Name", STR;
    BROWSER = "browser", "Microsoft Windows Browser Protocol", PROTO;
    BROWSER_COMMAND = "browser.command", "Command", hex_named(8, BROWSER_COMMANDS);
    BROWSER_UPDATE_COUNT = "browser.update_count", "Update Count", dec(8);
    BROWSER_PERIOD = "browser.period", "Update Periodicity", dec(32);
    BROWSER_SERVER = "browser.server", "Server Name", STR;
    BROWSER_OS_MAJOR = "browser.os_major", "OS Major Version", dec(8);
    BROWSER_OS_MINOR = "browser.os_minor", "OS Minor Version", dec(8);
    BROWSER_SERVER_TYPE = "browser.server_type", "Server Type", hex(32);
    BROWSER_PROTO_MAJOR = "browser.proto_major", "Browser Protocol Major Version", dec(8);
    BROWSER_PROTO_MINOR = "browser.proto_minor", "Browser Protocol Minor Version", dec(8);
    BROWSER_SIG = "browser.sig", "Signature", hex(16);
    BROWSER_COMMENT = "browser.comment", "Host Comment", STR;
    BROWSER_UNUSED = "browser.unused", "Unused flags", hex(8);
    BROWSER_RESPONSE_NAME = "browser.response_computer_name", "Response Computer Name", STR;
    BROWSER_MYSTERIOUS = "browser.mysterious_field", "Mysterious Field", hex(32);
    BROWSER_MB_SERVER = "browser.mb_server", "Master Browser Server Name", STR;
    BROWSER_ELECTION_VERSION = "browser.election.version", "Election Version", dec(8);
    BROWSER_ELECTION_CRITERIA = "browser.election.criteria", "Election Criteria", hex(32);
    BROWSER_UPTIME = "browser.uptime", "Uptime", dec(32);
}

/// A NUL-terminated string at `at` of `b` (the whole rest when unterminated) and the
/// bytes it took with its NUL.
fn cstring(b: &[u8], at: usize) -> (&[u8], usize) {
    let rest = bytes::tail(b, at);
    match rest.iter().position(|&c| c == 0) {
        Some(end) => (rest.get(..end).unwrap_or(rest), end + 1),
        None => (rest, rest.len()),
    }
}

/// Dissects a NetBIOS datagram at `offset`; false when too short for its header.
pub fn dissect<'a>(d: &mut Dissection<'a>, offset: usize, msg: &'a [u8]) -> bool {
    let (Some(kind), Some(flags), Some(id), Some(ip), Some(port)) = (
        bytes::u8_at(msg, 0),
        bytes::u8_at(msg, 1),
        bytes::be_u16(msg, 2),
        bytes::array::<4>(msg, 4),
        bytes::be_u16(msg, 8),
    ) else {
        return false;
    };
    let item = d.add(NBDGM, offset, msg.len(), Value::None);
    d.push_layer("nbdgm");
    d.set_protocol("NBDS");
    let info = match super::value::value_name(Some(MSG_TYPES), u64::from(kind)) {
        Some(n) => n.to_string(),
        None => format!("Unknown message type (0x{kind:02X})"),
    };
    d.set_info(move || info);
    d.begin(item);
    d.add_uint(TYPE, offset, 1, kind);
    let f = d.add_labeled(FLAGS, offset + 1, 1, Value::UInt(u64::from(flags)), || {
        let mut label = format!("Flags: 0x{flags:02x}");
        if flags & 1 != 0 {
            label.push_str(", More fragments follow");
        }
        if flags & 2 != 0 {
            label.push_str(", This is first fragment");
        }
        let node = super::value::value_name(Some(NODE_TYPES), u64::from((flags >> 2) & 3));
        label.push_str(&format!(", Node Type: {}", node.unwrap_or("Unknown")));
        label
    });
    d.begin(f);
    d.add(NEXT, offset + 1, 1, Value::Bool(flags & 1 != 0));
    d.add(FIRST, offset + 1, 1, Value::Bool(flags & 2 != 0));
    d.add_uint(NODE_TYPE, offset + 1, 1, (flags >> 2) & 3);
    d.end();
    d.add_uint(DGRAM_ID, offset + 2, 2, id);
    d.add(SRC_IP, offset + 4, 4, Value::Ipv4(ip));
    d.add_uint(SRC_PORT, offset + 8, 2, port);
    let mut pos = 10usize;
    match kind {
        0x10..=0x12 => {
            if let (Some(len), Some(pkt)) = (bytes::be_u16(msg, 10), bytes::be_u16(msg, 12)) {
                d.add_labeled(
                    DGRAM_LEN,
                    offset + 10,
                    2,
                    Value::UInt(u64::from(len)),
                    || format!("Datagram length: {len} bytes"),
                );
                d.add_labeled(
                    PKT_OFFSET,
                    offset + 12,
                    2,
                    Value::UInt(u64::from(pkt)),
                    || format!("Packet offset: {pkt} bytes"),
                );
                pos = 14;
            }
            let mut names_ok = true;
            for (field, title) in [
                (SOURCE_NAME, "Source name"),
                (DESTINATION_NAME, "Destination name"),
            ] {
                let Some((name, t, after)) = read_name(msg, pos) else {
                    names_ok = false;
                    break;
                };
                let label = format!("{title}: {name} ({})", name_type_text(t));
                d.add_labeled(
                    field,
                    offset + pos,
                    after - pos,
                    Value::owned_str(name.as_bytes()),
                    || label,
                );
                pos = after;
            }
            d.set_len(item, pos);
            d.end();
            if names_ok && let Some(smb) = bytes::slice(msg, pos, msg.len().saturating_sub(pos)) {
                smb_trans(d, offset + pos, smb);
            }
            return true;
        }
        0x13 => {
            if let Some(code) = bytes::u8_at(msg, 10) {
                d.add_uint(ERROR_CODE, offset + 10, 1, code);
            }
        }
        0x14..=0x16 => {
            if let Some((name, t, after)) = read_name(msg, 10) {
                let label = format!("Destination name: {name} ({})", name_type_text(t));
                d.add_labeled(
                    DESTINATION_NAME,
                    offset + 10,
                    after - 10,
                    Value::owned_str(name.as_bytes()),
                    || label,
                );
            }
        }
        _ => {}
    }
    d.end();
    true
}

/// An SMB Trans request writing a mailslot: the header, the words tshark needs, the
/// transaction name, then the mailslot and (for `\MAILSLOT\BROWSE` and `\MAILSLOT\LANMAN`)
/// the Browser message, or (for `\MAILSLOT\NET\...`) the logon message. False when
/// the bytes are not SMB (NetBIOS Frames then shows them as data).
pub(super) fn smb_trans<'a>(d: &mut Dissection<'a>, offset: usize, smb: &'a [u8]) -> bool {
    // RFC-less, [MS-CIFS] 2.2.3.1: the 32-byte header starts 0xFF 'S' 'M' 'B'.
    if smb.get(..4) != Some(b"\xffSMB".as_slice()) {
        return false;
    }
    let Some(cmd) = bytes::u8_at(smb, 4) else {
        return false;
    };
    d.open_protocol(SMB, (offset, smb.len()), "smb", "SMB");
    d.add_uint(SMB_CMD, offset + 4, 1, cmd);
    let (Some(wct), Some(data_offset), Some(setup_count)) = (
        bytes::u8_at(smb, 32),
        bytes::le_u16(smb, 33 + 24),
        bytes::u8_at(smb, 33 + 26),
    ) else {
        d.end();
        return true;
    };
    d.set_info(|| "Trans Request".into());
    d.add_uint(SMB_WCT, offset + 32, 1, wct);
    d.add_uint(SMB_DATA_OFFSET, offset + 33 + 24, 2, data_offset);
    let setup_at = 33 + 28;
    let bcc_at = 33 + usize::from(wct) * 2;
    let Some(bcc) = bytes::le_u16(smb, bcc_at) else {
        d.end();
        return true;
    };
    d.add_uint(SMB_BCC, offset + bcc_at, 2, bcc);
    let (name, name_len) = cstring(smb, bcc_at + 2);
    d.add(
        SMB_TRANS_NAME,
        offset + bcc_at + 2,
        name_len,
        Value::owned_str(name),
    );
    d.end();
    if cmd != 0x25 || setup_count < 3 || !name.starts_with(b"\\MAILSLOT\\") {
        return true;
    }
    let (Some(op), Some(prio), Some(class)) = (
        bytes::le_u16(smb, setup_at),
        bytes::le_u16(smb, setup_at + 2),
        bytes::le_u16(smb, setup_at + 4),
    ) else {
        return true;
    };
    // tshark calls the mailslot dissector directly, not as a layer: its item counts in
    // the protocol hierarchy but `frame.protocols` skips it.
    let mailslot = d.add(MAILSLOT, offset + setup_at, 6, Value::None);
    d.set_protocol("SMB Mailslot");
    d.begin(mailslot);
    d.add_uint(MAILSLOT_OPCODE, offset + setup_at, 2, op);
    d.add_uint(MAILSLOT_PRIORITY, offset + setup_at + 2, 2, prio);
    d.add_uint(MAILSLOT_CLASS, offset + setup_at + 4, 2, class);
    d.add_uint(MAILSLOT_SIZE, offset + bcc_at, 2, bcc);
    d.add(
        MAILSLOT_NAME,
        offset + bcc_at + 2,
        name_len,
        Value::owned_str(name),
    );
    d.end();
    let at = usize::from(data_offset);
    let Some(body) = bytes::slice(smb, at, smb.len().saturating_sub(at)).filter(|b| !b.is_empty())
    else {
        return true;
    };
    if name == b"\\MAILSLOT\\BROWSE" || name == b"\\MAILSLOT\\LANMAN" {
        browser(d, offset + at, body);
    } else if name.starts_with(b"\\MAILSLOT\\NET\\")
        || name.starts_with(b"\\MAILSLOT\\TEMP\\NETLOGON")
    {
        // tshark's mailslot dissector hands both to the logon protocol.
        super::smb_netlogon::dissect(d, offset + at, body);
    }
    true
}

/// The Browser message of a mailslot write.
fn browser<'a>(d: &mut Dissection<'a>, offset: usize, b: &'a [u8]) {
    let Some(cmd) = bytes::u8_at(b, 0) else {
        return;
    };
    d.open_protocol(BROWSER, (offset, b.len()), "browser", "BROWSER");
    d.add_uint(BROWSER_COMMAND, offset, 1, cmd);
    let mut info = match super::value::value_name(Some(BROWSER_COMMANDS), u64::from(cmd)) {
        Some(n) => n.to_string(),
        None => format!("Unknown command:0x{cmd:02x}"),
    };
    match cmd {
        1 | 12 | 15 => announcement(d, offset, b, cmd, &mut info),
        8 => {
            // Election: version, criteria (4), uptime (4), reserved (4), server name.
            if let (Some(version), Some(criteria), Some(uptime)) =
                (bytes::u8_at(b, 1), bytes::le_u32(b, 2), bytes::le_u32(b, 6))
            {
                d.add_uint(BROWSER_ELECTION_VERSION, offset + 1, 1, version);
                d.add_uint(BROWSER_ELECTION_CRITERIA, offset + 2, 4, criteria);
                // The criteria's middle bytes are the browser protocol's version.
                let [_, major, minor, _] = criteria.to_le_bytes();
                d.add_uint(BROWSER_PROTO_MAJOR, offset + 3, 1, major);
                d.add_uint(BROWSER_PROTO_MINOR, offset + 4, 1, minor);
                d.add_uint(BROWSER_UPTIME, offset + 6, 4, uptime);
                let (name, len) = cstring(b, 14);
                d.add(BROWSER_SERVER, offset + 14, len, Value::owned_str(name));
            }
        }
        2 => {
            if let Some(flags) = bytes::u8_at(b, 1) {
                d.add_uint(BROWSER_UNUSED, offset + 1, 1, flags);
            }
            let (name, len) = cstring(b, 2);
            d.add(
                BROWSER_RESPONSE_NAME,
                offset + 2,
                len,
                Value::owned_str(name),
            );
            info.push(' ');
            info.push_str(&String::from_utf8_lossy(name));
        }
        _ => {}
    }
    d.end();
    d.set_info(move || info);
}

/// Host, Domain/Workgroup and Local Master announcements share one layout.
fn announcement(d: &mut Dissection<'_>, offset: usize, b: &[u8], cmd: u8, info: &mut String) {
    let (Some(count), Some(period), Some(server), Some(major), Some(minor), Some(kind)) = (
        bytes::u8_at(b, 1),
        bytes::le_u32(b, 2),
        bytes::slice(b, 6, 16),
        bytes::u8_at(b, 22),
        bytes::u8_at(b, 23),
        bytes::le_u32(b, 24),
    ) else {
        return;
    };
    let end = server.iter().position(|&c| c == 0).unwrap_or(server.len());
    let server = server.get(..end).unwrap_or(server);
    d.add_uint(BROWSER_UPDATE_COUNT, offset + 1, 1, count);
    d.add_labeled(
        BROWSER_PERIOD,
        offset + 2,
        4,
        Value::UInt(u64::from(period)),
        || {
            format!(
                "Update Periodicity: {}",
                super::value::duration_text(period / 1000)
            )
        },
    );
    d.add(BROWSER_SERVER, offset + 6, 16, Value::owned_str(server));
    d.add_uint(BROWSER_OS_MAJOR, offset + 22, 1, major);
    d.add_uint(BROWSER_OS_MINOR, offset + 23, 1, minor);
    let names: Vec<&str> = SERVER_TYPES
        .iter()
        .filter(|(bit, _)| kind & (1 << bit) != 0)
        .map(|(_, n)| *n)
        .collect();
    d.add_uint(BROWSER_SERVER_TYPE, offset + 24, 4, kind);
    info.push(' ');
    info.push_str(&String::from_utf8_lossy(server));
    for n in names {
        info.push_str(", ");
        info.push_str(n);
    }
    if cmd == 12 {
        // A domain announcement carries the master browser's name where the others
        // carry their versions and comment.
        if let Some(mysterious) = bytes::le_u32(b, 28) {
            d.add_uint(BROWSER_MYSTERIOUS, offset + 28, 4, mysterious);
        }
        let (mb, len) = cstring(b, 32);
        d.add(BROWSER_MB_SERVER, offset + 32, len, Value::owned_str(mb));
        return;
    }
    if let (Some(pmaj), Some(pmin), Some(sig)) = (
        bytes::u8_at(b, 28),
        bytes::u8_at(b, 29),
        bytes::le_u16(b, 30),
    ) {
        d.add_uint(BROWSER_PROTO_MAJOR, offset + 28, 1, pmaj);
        d.add_uint(BROWSER_PROTO_MINOR, offset + 29, 1, pmin);
        d.add_uint(BROWSER_SIG, offset + 30, 2, sig);
        let (comment, len) = cstring(b, 32);
        d.add(BROWSER_COMMENT, offset + 32, len, Value::owned_str(comment));
    }
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_frame, with_patched, with_truncated};

    const EAPON: &str = "../corpus/tcpdump/eapon1.pcap";

    /// eapon1.pcap frame 1: a Request Announcement in \MAILSLOT\BROWSE.
    #[test]
    fn request_announcement() {
        with_frame(EAPON, 1, |d| {
            assert_eq!(d.columns.protocol, "BROWSER");
            assert_eq!(d.columns.info, "Request Announcement DJP95S0J");
            assert_eq!(field(d, "nbdgm.type"), "17");
            assert_eq!(field(d, "nbdgm.src.ip"), "192.168.1.249");
            assert_eq!(field(d, "mailslot.name"), "\\MAILSLOT\\BROWSE");
            assert_eq!(field(d, "browser.response_computer_name"), "DJP95S0J");
        });
    }

    /// eapon1.pcap frame 7: a Local Master Announcement's server-type bits.
    #[test]
    fn local_master() {
        with_frame(EAPON, 7, |d| {
            assert_eq!(
                d.columns.info,
                "Local Master Announcement DJP95S0J, Workstation, Server, NT Workstation, Potential Browser, Master Browser"
            );
            assert_eq!(field(d, "browser.server_type"), "0x00051003");
        });
    }

    #[test]
    fn cut_and_lying() {
        // Cut inside the SMB header: NBDS remains.
        with_truncated(EAPON, 1, 130, |d| {
            assert_eq!(field(d, "nbdgm.dgram_id"), "0x891d");
        });
        // A data offset far past the end.
        with_patched(
            EAPON,
            1,
            |b| b[0x7c + 33 + 24] = 0xff,
            |d| {
                assert_eq!(field(d, "browser.command"), "");
            },
        );
    }
}
