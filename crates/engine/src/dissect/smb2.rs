//! SMB2/3 ([MS-SMB2] section 2.2): the 64-byte header of each message in a compound
//! chain and what tshark 4.0's Info column shows of the common commands: the error
//! status, NTLMSSP in Session Setup, the tree a Tree Connect names, the file a Create
//! opens, and (through the file id) the file a Read, Write or Close works on.

use super::context::{PacketContext, TransactionKey};
use super::field::kinds::*;
use super::field::{Base, FieldId};
use super::ipv4::NetInfo;
use super::smb_status::NT_STATUS;
use super::tree::Dissection;
use super::value::{Value, value_name};
use crate::bytes;

const HEADER_LEN: usize = 64;
const SESSION_SETUP: u16 = 1;
const TREE_CONNECT: u16 = 3;
const CREATE: u16 = 5;
const CLOSE: u16 = 6;
const READ: u16 = 8;
const WRITE: u16 = 9;
const IOCTL: u16 = 11;
const GET_INFO: u16 = 16;
/// [MS-FSCC] 2.3.31: FSCTL_PIPE_WAIT's input names the pipe waited for.
const FSCTL_PIPE_WAIT: u32 = 0x0011_0018;
/// [MS-DFSC] 2.2.2: a DFS referral request names the path it asks about.
const FSCTL_DFS_GET_REFERRALS: u32 = 0x0006_0194;
const FSCTL_DFS_GET_REFERRALS_EX: u32 = 0x0006_01b0;
const MORE_PROCESSING_REQUIRED: u32 = 0xc000_0016;
const BUFFER_OVERFLOW: u32 = 0x8000_0005;

/// `TransactionKey::proto` of SMB2 requests (by message id) and of files (by file id:
/// the Create response records it, later requests on the file look it up).
const KEY_MSG: u8 = 150;
const KEY_FILE: u8 = 151;
/// `TransactionKey::proto` of trees: the Tree Connect response records its tree id.
const KEY_TREE: u8 = 152;

/// At most this many messages of a compound chain are read.
const MAX_CHAIN: usize = 64;

#[rustfmt::skip]
const COMMANDS: &[(u64, &str)] = &[
    (0, "Negotiate Protocol"), (1, "Session Setup"), (2, "Session Logoff"), (3, "Tree Connect"),
    (4, "Tree Disconnect"), (5, "Create"), (6, "Close"), (7, "Flush"), (8, "Read"), (9, "Write"),
    (10, "Lock"), (11, "Ioctl"), (12, "Cancel"), (13, "KeepAlive"), (14, "Find"), (15, "Notify"),
    (16, "GetInfo"), (17, "SetInfo"), (18, "Break"),
];

/// The FSCTL and IOCTL codes of [MS-SMB2] 2.2.31 and [MS-FSCC] 2.3 under tshark's
/// names.
#[rustfmt::skip]
const FSCTLS: &[(u64, &str)] = &[
    (0x0006_0194, "FSCTL_DFS_GET_REFERRALS"), (0x0006_01b0, "FSCTL_DFS_GET_REFERRALS_EX"),
    (0x0009_003c, "FSCTL_GET_COMPRESSION"), (0x0009_00a4, "FSCTL_SET_REPARSE_POINT"),
    (0x0009_00a8, "FSCTL_GET_REPARSE_POINT"), (0x0009_00c0, "FSCTL_CREATE_OR_GET_OBJECT_ID"),
    (0x0009_00c4, "FSCTL_SET_SPARSE"), (0x0009_40cf, "FSCTL_QUERY_ALLOCATED_RANGES"),
    (0x0009_80c8, "FSCTL_SET_ZERO_DATA"), (0x0009_c040, "FSCTL_SET_COMPRESSION"),
    (0x0011_0018, "FSCTL_PIPE_WAIT"), (0x0011_400c, "FSCTL_PIPE_PEEK"),
    (0x0011_c017, "FSCTL_PIPE_TRANSCEIVE"), (0x0014_0078, "FSCTL_SRV_REQUEST_RESUME_KEY"),
    (0x0014_01d4, "FSCTL_LMR_REQUEST_RESILIENCY"), (0x0014_01fc, "FSCTL_QUERY_NETWORK_INTERFACE_INFO"),
    (0x0014_0204, "FSCTL_VALIDATE_NEGOTIATE_INFO"), (0x0014_4064, "FSCTL_SRV_ENUMERATE_SNAPSHOTS"),
    (0x0014_40f2, "FSCTL_SRV_COPYCHUNK"), (0x0014_41bb, "FSCTL_SRV_READ_HASH"),
    (0x0014_80f2, "FSCTL_SRV_COPYCHUNK_WRITE"),
];

crate::define_fields! { after super::smb::END;
    SMB2 = "smb2", "SMB2 (Server Message Block Protocol version 2)", PROTO;
    PROTOCOL_ID = "smb2.protocol_id", "ProtocolId", hex(32);
    HEADER_LEN_FIELD = "smb2.header_len", "Header Length", dec(16);
    CREDIT_CHARGE = "smb2.credit.charge", "Credit Charge", dec(16);
    NT_STATUS_FIELD = "smb2.nt_status", "NT Status", hex_named(32, NT_STATUS);
    CMD = "smb2.cmd", "Command", dec_named(16, COMMANDS);
    CREDITS_REQUESTED = "smb2.credits.requested", "Credits requested", dec(16);
    CREDITS_GRANTED = "smb2.credits.granted", "Credits granted", dec(16);
    FLAGS = "smb2.flags", "Flags", hex(32);
    FLAGS_RESPONSE = "smb2.flags.response", "Response", bool_words(32, 0x1, &["This is a RESPONSE", "This is a REQUEST"]);
    FLAGS_ASYNC = "smb2.flags.async", "Async command", bool_words(32, 0x2, &["This is an ASYNC command", "This is a SYNC command"]);
    FLAGS_CHAINED = "smb2.flags.chained", "Chained", bool_words(32, 0x4, &["This pdu is a CHAINED command", "This pdu is NOT a chained command"]);
    FLAGS_SIGNATURE = "smb2.flags.signature", "Signing", bool_words(32, 0x8, &["This pdu is SIGNED", "This pdu is NOT signed"]);
    FLAGS_PRIORITY = "smb2.flags.priority_mask", "Priority", bool_words(32, 0x70, &["This pdu contains a PRIORITY", "This pdu does NOT contain a PRIORITY"]);
    FLAGS_DFS = "smb2.flags.dfs", "DFS operation", bool_words(32, 0x1000_0000, &["This is a DFS OPERATION", "This is a normal operation"]);
    FLAGS_REPLAY = "smb2.flags.replay", "Replay operation", bool_words(32, 0x2000_0000, &["This is a REPLAY OPERATION", "This is NOT a replay operation"]);
    AID = "smb2.aid", "Async Id", hex(64);
    SIGNATURE = "smb2.signature", "Signature", BYTES;
    CHAIN_OFFSET = "smb2.chain_offset", "Chain Offset", hex(32);
    MSG_ID = "smb2.msg_id", "Message ID", dec(64);
    PID = "smb2.pid", "Process Id", hex(32);
    TID = "smb2.tid", "Tree Id", hex(32);
    SESID = "smb2.sesid", "Session Id", hex(64);
    RESPONSE_TO = "smb2.response_to", "Response to", FRAME;
    TIME = "smb2.time", "Time from request", REL_TIME;
    BUFFER_CODE = "smb2.buffer_code", "StructureSize", hex(16);
    BUFFER_CODE_LENGTH = "smb2.buffer_code.length", "Fixed Part Length", uint(16, Base::Dec, 0xfffe, None);
    BUFFER_CODE_DYNAMIC = "smb2.buffer_code.dynamic", "Dynamic Part", bool_words(16, 0x1, &["True", "False"]);
    DIALECT = "smb2.dialect", "Dialect", hex(16);
    SECURITY_BLOB = "smb2.security_blob", "Security Blob", BYTES;
    TREE = "smb2.tree", "Tree", STR;
    FILENAME = "smb2.filename", "Filename", STR;
    READ_LENGTH = "smb2.read_length", "Read Length", dec(32);
    FILE_OFFSET = "smb2.file_offset", "File Offset", dec(64);
    IOCTL_FUNCTION = "smb2.ioctl.function", "Function", hex_named(32, FSCTLS);
    CLASS = "smb2.class", "Class", hex_named(8, INFO_CLASSES);
    FILE_INFO_LEVEL = "smb2.file_info.infolevel", "InfoLevel", hex_named(8, FILE_INFO_LEVELS);
    FS_INFO_LEVEL = "smb2.fs_info.infolevel", "InfoLevel", hex_named(8, FS_INFO_LEVELS);
    MAX_REFERRAL_LEVEL = "smb.max_referral_level", "Max Referral Level", dec(16);
    DFS_FILE = "smb.file", "File Name", STR;
}

/// A view of one SMB2 header ([MS-SMB2] 2.2.1) at the start of `bytes`.
#[derive(Debug, Clone, Copy)]
struct Header<'a> {
    bytes: &'a [u8],
}

impl<'a> Header<'a> {
    fn new(bytes: &'a [u8]) -> Option<Self> {
        (bytes.len() >= HEADER_LEN && bytes.get(..4) == Some(b"\xfeSMB".as_slice()))
            .then_some(Header { bytes })
    }
    fn u16(&self, at: usize) -> u16 {
        bytes::le_u16(self.bytes, at).unwrap_or(0)
    }
    fn u32(&self, at: usize) -> u32 {
        bytes::le_u32(self.bytes, at).unwrap_or(0)
    }
    fn u64(&self, at: usize) -> u64 {
        u64::from(self.u32(at)) | (u64::from(self.u32(at + 4)) << 32)
    }
    fn status(&self) -> u32 {
        self.u32(8)
    }
    fn command(&self) -> u16 {
        self.u16(12)
    }
    fn flags(&self) -> u32 {
        self.u32(16)
    }
    fn is_response(&self) -> bool {
        self.flags() & 1 != 0
    }
    fn next_command(&self) -> u32 {
        self.u32(20)
    }
    fn msg_id(&self) -> u64 {
        self.u64(24)
    }
}

/// GetInfo's classes and their levels ([MS-SMB2] 2.2.37, [MS-FSCC] 2.4 and 2.5)
/// under tshark's names.
#[rustfmt::skip]
const INFO_CLASSES: &[(u64, &str)] = &[
    (1, "FILE_INFO"), (2, "FS_INFO"), (3, "SEC_INFO"), (4, "QUOTA_INFO"),
];
#[rustfmt::skip]
const FILE_INFO_LEVELS: &[(u64, &str)] = &[
    (4, "SMB2_FILE_BASIC_INFO"), (5, "SMB2_FILE_STANDARD_INFO"), (6, "SMB2_FILE_INTERNAL_INFO"),
    (7, "SMB2_FILE_EA_INFO"), (8, "SMB2_FILE_ACCESS_INFO"), (10, "SMB2_FILE_RENAME_INFO"),
    (13, "SMB2_FILE_DISPOSITION_INFO"), (14, "SMB2_FILE_POSITION_INFO"),
    (15, "SMB2_FILE_FULL_EA_INFO"), (16, "SMB2_FILE_MODE_INFO"), (17, "SMB2_FILE_ALIGNMENT_INFO"),
    (18, "SMB2_FILE_ALL_INFO"), (19, "SMB2_FILE_ALLOCATION_INFO"), (20, "SMB2_FILE_ENDOFFILE_INFO"),
    (21, "SMB2_FILE_ALTERNATE_NAME_INFO"), (22, "SMB2_FILE_STREAM_INFO"),
    (23, "SMB2_FILE_PIPE_INFO"), (28, "SMB2_FILE_COMPRESSION_INFO"),
    (34, "SMB2_FILE_NETWORK_OPEN_INFO"), (35, "SMB2_FILE_ATTRIBUTE_TAG_INFO"),
    (48, "SMB2_FILE_NORMALIZED_NAME_INFO"), (100, "SMB2_FILE_POSIX_INFO"),
];
#[rustfmt::skip]
const FS_INFO_LEVELS: &[(u64, &str)] = &[
    (1, "FileFsVolumeInformation"), (2, "FileFsLabelInformation"), (3, "FileFsSizeInformation"),
    (4, "FileFsDeviceInformation"), (5, "FileFsAttributeInformation"),
    (6, "FileFsControlInformation"), (7, "FileFsFullSizeInformation"),
    (8, "FileFsObjectIdInformation"), (9, "FileFsDriverPathInformation"),
    (10, "FileFsVolumeFlagsInformation"), (11, "FileFsSectorSizeInformation"),
];

/// Where a request's file id sits in its body, for the commands that work on a
/// file (Read, Write, Close, Ioctl, GetInfo); none when the id is all ones (an
/// Ioctl to the server, not to a file).
fn file_id_at(h: &Header<'_>) -> Option<usize> {
    let at = match h.command() {
        READ | WRITE => HEADER_LEN + 16,
        CLOSE | IOCTL => HEADER_LEN + 8,
        GET_INFO => HEADER_LEN + 24,
        _ => return None,
    };
    let fid = bytes::slice(h.bytes, at, 16)?;
    (!fid.iter().all(|b| *b == 0xff)).then_some(at)
}

/// A GetInfo request: the class and level asked for, as tshark's Info names them
/// (`FILE_INFO/SMB2_FILE_STANDARD_INFO`).
fn get_info_request(d: &mut Dissection<'_>, msg: &[u8], at: usize) {
    let (Some(class), Some(level)) = (
        bytes::u8_at(msg, HEADER_LEN + 2),
        bytes::u8_at(msg, HEADER_LEN + 3),
    ) else {
        return;
    };
    d.add(CLASS, at + HEADER_LEN + 2, 1, Value::UInt(u64::from(class)));
    let (field, levels) = match class {
        1 => (Some(FILE_INFO_LEVEL), FILE_INFO_LEVELS),
        2 => (Some(FS_INFO_LEVEL), FS_INFO_LEVELS),
        _ => (None, &[][..]),
    };
    if let Some(field) = field {
        d.add(field, at + HEADER_LEN + 3, 1, Value::UInt(u64::from(level)));
    }
    let class_name = value_name(Some(INFO_CLASSES), u64::from(class))
        .map_or_else(|| format!("Unknown (0x{class:02x})"), str::to_string);
    let level_name = value_name(Some(levels), u64::from(level))
        .map_or_else(|| format!("Unknown (0x{level:02x})"), str::to_string);
    d.append_info(&format!(" {class_name}/{level_name}"));
}

/// An Ioctl request ([MS-SMB2] 2.2.31): its function, which tshark's Info names,
/// and for a DFS referral request the path asked about (`, File: \\server\share`).
fn ioctl_request(d: &mut Dissection<'_>, msg: &[u8], at: usize) {
    let Some(function) = bytes::le_u32(msg, HEADER_LEN + 4) else {
        return;
    };
    d.add(
        IOCTL_FUNCTION,
        at + HEADER_LEN + 4,
        4,
        Value::UInt(u64::from(function)),
    );
    // TODO(lab2): tshark's text for a function it does not name.
    let Some(name) = value_name(Some(FSCTLS), u64::from(function)) else {
        return;
    };
    d.append_info(&format!(" {name}"));
    let (Some(off), Some(len)) = (
        bytes::le_u32(msg, HEADER_LEN + 24),
        bytes::le_u32(msg, HEADER_LEN + 28),
    ) else {
        return;
    };
    let (Ok(off), Ok(len)) = (usize::try_from(off), usize::try_from(len)) else {
        return;
    };
    if function == FSCTL_PIPE_WAIT {
        // Timeout (8 bytes), the name's length (4), a flag and a pad byte, the name.
        let name_len = bytes::le_u32(msg, off.saturating_add(8))
            .and_then(|n| usize::try_from(n).ok())
            .filter(|n| n.saturating_add(14) <= len);
        if let Some(name) = name_len.and_then(|n| utf16_at(msg, off.saturating_add(14), n)) {
            d.append_info(&format!(" Pipe: {name}"));
        }
        return;
    }
    if function != FSCTL_DFS_GET_REFERRALS && function != FSCTL_DFS_GET_REFERRALS_EX {
        return;
    }
    // [MS-DFSC] 2.2.2 REQ_GET_DFS_REFERRAL: MaxReferralLevel, then the path in
    // UTF-16LE up to its NUL.
    let Some(level) = bytes::le_u16(msg, off) else {
        return;
    };
    d.add(
        MAX_REFERRAL_LEVEL,
        at + off,
        2,
        Value::UInt(u64::from(level)),
    );
    let name_at = off.saturating_add(2);
    let room = len.saturating_sub(2);
    // A path the capture cut is not shown (tshark stops at the cut).
    let Some(raw) = bytes::slice(msg, name_at, room) else {
        return;
    };
    let units = raw.chunks_exact(2).take_while(|p| *p != [0, 0]).count();
    let Some(name) = utf16_at(msg, name_at, units * 2) else {
        return;
    };
    let taken = (units * 2 + 2).min(room);
    d.add(
        DFS_FILE,
        at + name_at,
        taken,
        Value::owned_str(name.as_bytes()),
    );
    d.append_info(&format!(", File: {name}"));
}

/// A UTF-16LE string of `len` bytes at `off` of `msg` (offsets from the header).
fn utf16_at(msg: &[u8], off: usize, len: usize) -> Option<String> {
    let raw = bytes::slice(msg, off, len)?;
    let units = raw.chunks_exact(2).map(|p| {
        u16::from_le_bytes([
            p.first().copied().unwrap_or(0),
            p.get(1).copied().unwrap_or(0),
        ])
    });
    Some(
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect(),
    )
}

/// Dissects the SMB2 messages (a compound chain) of `msg` at `at` of the frame.
pub fn dissect<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    net: &NetInfo,
    msg: &'a [u8],
    at: usize,
    ports: (u16, u16),
) {
    d.push_layer("smb2");
    d.set_protocol("SMB2");
    d.set_info(String::new);
    let mut off = 0usize;
    // The tree of the chain's first message, for the later ones on the same tree id
    // (the analysis links one message a frame).
    let mut tree: Option<(u32, Option<String>)> = None;
    for i in 0..MAX_CHAIN {
        let rest = bytes::tail(msg, off);
        let h = Header::new(rest);
        let next = h.map_or(0, |h| usize::try_from(h.next_command()).unwrap_or(0));
        // Each message of a chain is an SMB2 item of its own, as in tshark's tree.
        let len = if next == 0 {
            rest.len()
        } else {
            next.min(rest.len())
        };
        let item = d.add(SMB2, at + off, len, Value::None);
        let Some(h) = h else {
            break;
        };
        if i > 0 {
            // tshark joins the chain's messages with a bare semicolon.
            d.append_info(";");
        }
        d.begin(item);
        one(d, ctx, net, &h, at + off, ports, &mut tree);
        d.end();
        if next == 0 {
            break;
        }
        off = off.saturating_add(next);
    }
}

/// One message of the chain.
fn one<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    net: &NetInfo,
    h: &Header<'a>,
    at: usize,
    ports: (u16, u16),
    tree: &mut Option<(u32, Option<String>)>,
) {
    let cmd = h.command();
    let response = h.is_response();
    let name = value_name(Some(COMMANDS), u64::from(cmd))
        .map_or_else(|| format!("unknown-0x{cmd:02X}"), str::to_string);
    let side = if response { "Response" } else { "Request" };
    d.append_info(&format!("{name} {side}"));
    // tshark gathers the fixed header under a subtree of its own.
    let header = d.text(at, HEADER_LEN, || "SMB2 Header".to_string());
    d.begin(header);
    d.add(PROTOCOL_ID, at, 4, Value::UInt(0xfe53_4d42));
    d.add(
        HEADER_LEN_FIELD,
        at + 4,
        2,
        Value::UInt(u64::from(h.u16(4))),
    );
    d.add(CREDIT_CHARGE, at + 6, 2, Value::UInt(u64::from(h.u16(6))));
    if response {
        // A request's four bytes are the channel sequence instead.
        d.add(
            NT_STATUS_FIELD,
            at + 8,
            4,
            Value::UInt(u64::from(h.status())),
        );
    }
    d.add(CMD, at + 12, 2, Value::UInt(u64::from(cmd)));
    let credits = if response {
        CREDITS_GRANTED
    } else {
        CREDITS_REQUESTED
    };
    d.add(credits, at + 14, 2, Value::UInt(u64::from(h.u16(14))));
    flags_tree(d, at + 16, h.flags());
    d.add(
        CHAIN_OFFSET,
        at + 20,
        4,
        Value::UInt(u64::from(h.next_command())),
    );
    d.add(MSG_ID, at + 24, 8, Value::UInt(h.msg_id()));
    if h.flags() & 2 != 0 {
        d.add(AID, at + 32, 8, Value::UInt(h.u64(32)));
    } else {
        d.add(PID, at + 32, 4, Value::UInt(u64::from(h.u32(32))));
        let tid_item = d.add(TID, at + 36, 4, Value::UInt(u64::from(h.u32(36))));
        if d.wants(TREE) {
            let tid = h.u32(36);
            let name = match tree.as_ref() {
                Some((t, name)) if *t == tid => name.clone(),
                _ => {
                    let name = tree_of(ctx, h);
                    *tree = Some((tid, name.clone()));
                    name
                }
            };
            if let Some(name) = name {
                // Under the Tree Id, as tshark shows it.
                d.begin(tid_item);
                d.add_generated(TREE, at + 36, 4, Value::owned_str(name.as_bytes()));
                d.end();
            }
        }
    }
    d.add(SESID, at + 40, 8, Value::UInt(h.u64(40)));
    if let Some(signature) = bytes::slice(h.bytes, 48, 16) {
        d.add(SIGNATURE, at + 48, 16, Value::Bytes(signature.into()));
    }
    let linked = link(d, ctx, net, h, at, ports);
    d.end();
    // The command's body in a subtree named after it, as tshark shows it.
    let b = h.bytes;
    let body_len = match h.next_command() as usize {
        0 => b.len(),
        next => next.min(b.len()),
    }
    .saturating_sub(HEADER_LEN);
    let sub = d.text(at + HEADER_LEN, body_len, || {
        format!("{name} {side} (0x{cmd:02x})")
    });
    d.begin(sub);
    body(d, ctx, net, h, at, ports, linked);
    d.end();
}

/// The command's body after the header at `at` (`linked`: the request's frame).
#[allow(clippy::too_many_arguments)]
fn body<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    net: &NetInfo,
    h: &Header<'a>,
    at: usize,
    ports: (u16, u16),
    linked: Option<u32>,
) {
    let cmd = h.command();
    let response = h.is_response();
    let status = h.status();
    let b = h.bytes;
    if response && status != 0 {
        buffer_code(d, b, at);
        let text = value_name(Some(NT_STATUS), u64::from(status))
            .map_or_else(|| format!("Unknown (0x{status:08x})"), str::to_string);
        d.append_info(&format!(", Error: {text}"));
        let normal = (cmd == SESSION_SETUP && status == MORE_PROCESSING_REQUIRED)
            || status == BUFFER_OVERFLOW;
        if !normal {
            return;
        }
    } else {
        buffer_code(d, b, at);
    }
    match (cmd, response) {
        (IOCTL, false) => {
            ioctl_request(d, b, at);
            if file_id_at(h).is_some() {
                file_of(d, ctx, net, h, ports, HEADER_LEN + 8);
            }
        }
        // An Ioctl response repeats the function; its file is its request's.
        (IOCTL, true) => {
            if let Some(function) = bytes::le_u32(b, HEADER_LEN + 4) {
                d.add(
                    IOCTL_FUNCTION,
                    at + HEADER_LEN + 4,
                    4,
                    Value::UInt(u64::from(function)),
                );
                if let Some(name) = value_name(Some(FSCTLS), u64::from(function)) {
                    d.append_info(&format!(" {name}"));
                }
            }
            if file_id_at(h).is_some()
                && let Some(name) = linked.and_then(|f| file_name_from(ctx, f))
            {
                d.append_info(&format!(" File: {name}"));
            }
        }
        (GET_INFO, false) => {
            get_info_request(d, b, at);
            if file_id_at(h).is_some() {
                file_of(d, ctx, net, h, ports, HEADER_LEN + 24);
            }
        }
        (0, false) => {
            let count = bytes::le_u16(b, HEADER_LEN + 2).unwrap_or(0);
            for i in 0..usize::from(count.min(64)) {
                let Some(dialect) = bytes::le_u16(b, HEADER_LEN + 36 + 2 * i) else {
                    break;
                };
                d.add(
                    DIALECT,
                    at + HEADER_LEN + 36 + 2 * i,
                    2,
                    Value::UInt(u64::from(dialect)),
                );
            }
        }
        (0, true) => {
            if let Some(dialect) = bytes::le_u16(b, HEADER_LEN + 4) {
                d.add(
                    DIALECT,
                    at + HEADER_LEN + 4,
                    2,
                    Value::UInt(u64::from(dialect)),
                );
            }
        }
        (SESSION_SETUP, _) => {
            let (off_at, len_at) = if response {
                (HEADER_LEN + 4, HEADER_LEN + 6)
            } else {
                (HEADER_LEN + 12, HEADER_LEN + 14)
            };
            let (Some(off), Some(len)) = (bytes::le_u16(b, off_at), bytes::le_u16(b, len_at))
            else {
                return;
            };
            let (off, len) = (usize::from(off), usize::from(len));
            if let Some(blob) = bytes::slice(b, off, len).filter(|s| !s.is_empty()) {
                let node = d.add(
                    SECURITY_BLOB,
                    at + off,
                    len,
                    Value::Bytes(std::borrow::Cow::Borrowed(blob)),
                );
                if let Some(start) = blob.windows(8).position(|w| w == b"NTLMSSP\0") {
                    d.begin(node);
                    super::smb::ntlmssp(d, bytes::tail(blob, start), at + off + start);
                    d.end();
                }
            }
        }
        (TREE_CONNECT, false) => {
            let (Some(off), Some(len)) = (
                bytes::le_u16(b, HEADER_LEN + 4),
                bytes::le_u16(b, HEADER_LEN + 6),
            ) else {
                return;
            };
            if let Some(tree) = utf16_at(b, usize::from(off), usize::from(len)) {
                d.add(
                    TREE,
                    at + usize::from(off),
                    usize::from(len),
                    Value::owned_str(tree.as_bytes()),
                );
                d.append_info(&format!(" Tree: {tree}"));
            }
        }
        (CREATE, false) => {
            if let Some(name) = create_name(b) {
                d.add(FILENAME, at, 0, Value::owned_str(name.as_bytes()));
                d.append_info(&format!(" File: {name}"));
            }
        }
        (CREATE, true) => {
            if let Some(name) = linked.and_then(|f| message_in(ctx, f, h.msg_id()))
                && let Some(name) = create_name(&name)
            {
                d.append_info(&format!(" File: {name}"));
            }
        }
        (READ, true) => {
            // The data goes to no dissector: tshark shows it as data.
            let (Some(off), Some(len)) = (
                bytes::u8_at(b, HEADER_LEN + 2),
                bytes::le_u32(b, HEADER_LEN + 4),
            ) else {
                return;
            };
            let off = usize::from(off);
            let len = usize::try_from(len).unwrap_or(usize::MAX);
            let data = bytes::tail(b, off);
            let data = data.get(..len.min(data.len())).unwrap_or(data);
            if !data.is_empty() {
                d.at_top_level(|d| super::data::dissect_bytes(d, data, at + off));
            }
        }
        (READ | WRITE, false) => {
            // Read and Write requests both hold the length at 4 and the offset at 8.
            let (len_at, off_at) = (HEADER_LEN + 4, HEADER_LEN + 8);
            if let (Some(len), Some(lo), Some(hi)) = (
                bytes::le_u32(b, len_at),
                bytes::le_u32(b, off_at),
                bytes::le_u32(b, off_at + 4),
            ) {
                let offset = u64::from(lo) | (u64::from(hi) << 32);
                if cmd == READ {
                    d.add(READ_LENGTH, at + len_at, 4, Value::UInt(u64::from(len)));
                }
                d.add(FILE_OFFSET, at + off_at, 8, Value::UInt(offset));
                d.append_info(&format!(" Len:{len} Off:{offset}"));
            }
            file_of(d, ctx, net, h, ports, HEADER_LEN + 16);
            if cmd == WRITE
                && let (Some(data_off), Some(len)) = (
                    bytes::le_u16(b, HEADER_LEN + 2),
                    bytes::le_u32(b, HEADER_LEN + 4),
                )
            {
                // The written data goes to no dissector: tshark shows it as data.
                let data_off = usize::from(data_off);
                let data = bytes::tail(b, data_off);
                let len = usize::try_from(len).unwrap_or(usize::MAX);
                let data = data.get(..len.min(data.len())).unwrap_or(data);
                if !data.is_empty() {
                    d.at_top_level(|d| super::data::dissect_bytes(d, data, at + data_off));
                }
            }
        }
        (CLOSE, false) => file_of(d, ctx, net, h, ports, HEADER_LEN + 8),
        _ => {}
    }
}

/// The name a Create request `msg` opens.
/// The body's StructureSize (after the header at `at` of message `b`) with its two
/// parts.
fn buffer_code(d: &mut Dissection<'_>, b: &[u8], at: usize) {
    let Some(code) = bytes::le_u16(b, HEADER_LEN) else {
        return;
    };
    let item = d.add(
        BUFFER_CODE,
        at + HEADER_LEN,
        2,
        Value::UInt(u64::from(code)),
    );
    d.begin(item);
    d.add(
        BUFFER_CODE_LENGTH,
        at + HEADER_LEN,
        2,
        Value::UInt(u64::from(code >> 1)),
    );
    d.add(
        BUFFER_CODE_DYNAMIC,
        at + HEADER_LEN,
        2,
        Value::Bool(code & 1 != 0),
    );
    d.end();
}

/// The header's Flags item, named by the flags set, and one item per flag in tshark's
/// order.
fn flags_tree(d: &mut Dissection<'_>, at: usize, flags: u32) {
    const BITS: [(FieldId, u32, &str); 7] = [
        (FLAGS_RESPONSE, 0x1, "Response"),
        (FLAGS_ASYNC, 0x2, "Async command"),
        (FLAGS_CHAINED, 0x4, "Chained"),
        (FLAGS_SIGNATURE, 0x8, "Signing"),
        (FLAGS_PRIORITY, 0x70, "Priority"),
        (FLAGS_DFS, 0x1000_0000, "DFS operation"),
        (FLAGS_REPLAY, 0x2000_0000, "Replay operation"),
    ];
    let f = d.add_labeled(FLAGS, at, 4, Value::UInt(u64::from(flags)), || {
        let mut label = format!("Flags: 0x{flags:08x}");
        for (_, mask, name) in BITS {
            if flags & mask != 0 {
                label.push_str(", ");
                label.push_str(name);
            }
        }
        label
    });
    d.begin(f);
    for (field, mask, _) in BITS {
        if mask == 0x70 {
            // Three bits: the chart shows their value, the words whether any is set.
            let value = (flags & mask) >> 4;
            d.add_labeled(field, at, 4, Value::Bool(value != 0), || {
                let chart = super::value::bit_chart(32, u64::from(mask), u64::from(value));
                let words = if value != 0 {
                    "This pdu contains a PRIORITY"
                } else {
                    "This pdu does NOT contain a PRIORITY"
                };
                format!("{chart} = Priority: {words}")
            });
        } else {
            d.add(field, at, 4, Value::Bool(flags & mask != 0));
        }
    }
    d.end();
}

fn create_name(msg: &[u8]) -> Option<String> {
    let off = bytes::le_u16(msg, HEADER_LEN + 44)?;
    let len = bytes::le_u16(msg, HEADER_LEN + 46)?;
    if len == 0 {
        return None;
    }
    utf16_at(msg, usize::from(off), usize::from(len))
}

/// The key of a request (by message id) or of a file (by its 16-byte id), in the
/// client's direction.
fn key(net: &NetInfo, response: bool, ports: (u16, u16), proto: u8, id: &[u8]) -> TransactionKey {
    let (requester, responder, client_port) = if response {
        (net.dst, net.src, ports.1)
    } else {
        (net.src, net.dst, ports.0)
    };
    let mut hash: u32 = 0x811c_9dc5;
    for b in client_port.to_be_bytes().iter().chain(id) {
        hash = (hash ^ u32::from(*b)).wrapping_mul(0x0100_0193);
    }
    TransactionKey {
        tag: 0,
        proto,
        requester,
        responder,
        id: (hash >> 16) as u16,
        seq: hash as u16,
    }
}

/// Records a request or finds a response's request (`smb2.response_to`, `smb2.time`);
/// a successful Create response records its file id.
fn link(
    d: &mut Dissection<'_>,
    ctx: &PacketContext<'_>,
    net: &NetInfo,
    h: &Header<'_>,
    at: usize,
    ports: (u16, u16),
) -> Option<u32> {
    let analysis = ctx.analysis?;
    let response = h.is_response();
    let k = key(net, response, ports, KEY_MSG, &h.msg_id().to_le_bytes());
    let tid = h.u32(36).to_le_bytes();
    if !response {
        analysis.transaction(ctx.number, &k, false);
        let has_fid = file_id_at(h).is_some();
        if h.u32(36) != 0 && h.flags() & 2 == 0 && !has_fid && h.command() != TREE_CONNECT {
            // The tree this request works on (a response finds it through its request,
            // a request on a file through the Create that opened it).
            analysis.transaction(ctx.number, &key(net, false, ports, KEY_TREE, &tid), true);
        }
        return None;
    }
    if h.command() == TREE_CONNECT && h.status() == 0 {
        analysis.transaction(ctx.number, &key(net, true, ports, KEY_TREE, &tid), false);
    }
    if h.command() == CREATE
        && h.status() == 0
        && let Some(fid) = bytes::slice(h.bytes, HEADER_LEN + 64, 16)
    {
        analysis.transaction(ctx.number, &key(net, true, ports, KEY_FILE, fid), false);
    }
    let linked = analysis.transaction(ctx.number, &k, true)?;
    d.add_generated(RESPONSE_TO, at, 0, Value::Frame(linked.frame));
    d.add_generated(
        TIME,
        at,
        0,
        Value::Time(ctx.record.ts_nanos.saturating_sub(linked.ts_nanos)),
    );
    Some(linked.frame)
}

/// The file a request works on (its file id at `fid_at`), as the Create that opened
/// it named it: the load pass links the request to the Create response, the
/// finished analysis follows the links back to the Create request and reads it.
fn file_of(
    d: &mut Dissection<'_>,
    ctx: &PacketContext<'_>,
    net: &NetInfo,
    h: &Header<'_>,
    ports: (u16, u16),
    fid_at: usize,
) {
    let (Some(analysis), Some(fid)) = (ctx.analysis, bytes::slice(h.bytes, fid_at, 16)) else {
        return;
    };
    if analysis.frame_bytes(ctx.number).is_none() {
        // The load pass: record which Create response this request's file is from.
        analysis.transaction(ctx.number, &key(net, false, ports, KEY_FILE, fid), true);
        return;
    }
    if let Some(name) = file_name_from(ctx, ctx.number) {
        d.append_info(&format!(" File: {name}"));
    }
}

/// The name of the file the request in `frame` works on (the finished analysis):
/// its link to the Create response that gave the file id, that response's link to
/// its request, the name the request opened.
fn file_name_from(ctx: &PacketContext<'_>, frame: u32) -> Option<String> {
    let analysis = ctx.analysis?;
    let any = |proto| TransactionKey {
        tag: 0,
        proto,
        requester: super::ipv4::Addr::V4([0; 4]),
        responder: super::ipv4::Addr::V4([0; 4]),
        id: 0,
        seq: 0,
    };
    let create_response = analysis.transaction(frame, &any(KEY_FILE), true)?;
    let create_request = analysis.transaction(create_response.frame, &any(KEY_MSG), true)?;
    // The Create response's message id names the request's message.
    let resp = analysis.frame_bytes(create_response.frame)?;
    let msg_id = first_msg_id(&resp)?;
    let req = message_in(ctx, create_request.frame, msg_id)?;
    create_name(&req)
}

/// The tree a message works on, as its Tree Connect request named it (the finished
/// analysis only): a response through its request, a request on a file through the
/// Create response that opened it, any other request through the Tree Connect
/// response that gave its tree id, and that response through its request.
fn tree_of(ctx: &PacketContext<'_>, h: &Header<'_>) -> Option<String> {
    let analysis = ctx.analysis?;
    if h.u32(36) == 0 || h.command() == TREE_CONNECT {
        return None;
    }
    analysis.frame_bytes(ctx.number)?;
    let any = |proto| TransactionKey {
        tag: 0,
        proto,
        requester: super::ipv4::Addr::V4([0; 4]),
        responder: super::ipv4::Addr::V4([0; 4]),
        id: 0,
        seq: 0,
    };
    let (mut frame, mut command, mut response) = (ctx.number, h.command(), h.is_response());
    let mut file_bound = file_id_at(h).is_some();
    for _ in 0..6 {
        let (proto, next_is_response) = if response {
            (KEY_MSG, false)
        } else if command == TREE_CONNECT {
            let msg = message_first(ctx, frame)?;
            let off = usize::from(bytes::le_u16(&msg, HEADER_LEN + 4)?);
            let len = usize::from(bytes::le_u16(&msg, HEADER_LEN + 6)?);
            return utf16_at(&msg, off, len);
        } else if file_bound {
            (KEY_FILE, true)
        } else {
            (KEY_TREE, true)
        };
        frame = analysis.transaction(frame, &any(proto), true)?.frame;
        let msg = message_first(ctx, frame)?;
        let next = Header::new(&msg)?;
        command = next.command();
        file_bound = file_id_at(&next).is_some();
        response = next_is_response;
        if next.is_response() != next_is_response {
            return None;
        }
    }
    None
}

/// The first SMB2 message of an earlier `frame`.
fn message_first(ctx: &PacketContext<'_>, frame: u32) -> Option<Vec<u8>> {
    let bytes = super::smb::bytes_of(ctx, frame)?;
    let at = bytes.windows(4).position(|w| w == b"\xfeSMB")?;
    Some(bytes::tail(&bytes, at).to_vec())
}

/// The message id of the first SMB2 header in `bytes`.
fn first_msg_id(bytes: &[u8]) -> Option<u64> {
    let at = bytes.windows(4).position(|w| w == b"\xfeSMB")?;
    let h = Header::new(bytes::tail(bytes, at))?;
    Some(h.msg_id())
}

/// The SMB2 message with `msg_id` in an earlier `frame` (read again from the capture).
fn message_in(ctx: &PacketContext<'_>, frame: u32, msg_id: u64) -> Option<Vec<u8>> {
    let bytes = super::smb::bytes_of(ctx, frame)?;
    let mut from = 0usize;
    for _ in 0..MAX_CHAIN {
        let rel = bytes
            .get(from..)?
            .windows(4)
            .position(|w| w == b"\xfeSMB")?;
        let start = from + rel;
        let msg = bytes.get(start..)?;
        if Header::new(msg).is_some_and(|h| h.msg_id() == msg_id) {
            return Some(msg.to_vec());
        }
        from = start + 4;
    }
    None
}

#[cfg(test)]
mod tests;
