//! SMB (CIFS, [MS-CIFS] section 2.2): the 32-byte header and the commands a lab
//! trace shows, enough for tshark 4.0's Info column: Negotiate Protocol, Session
//! Setup AndX (its NTLMSSP security blob), Tree Connect AndX (the path), Logoff,
//! Tree Disconnect, Trans on `\PIPE\LANMAN` (the LANMAN remote API) and Trans2
//! subcommands. Responses find their request by multiplex id through
//! [`Analysis::transaction`](super::context::Analysis::transaction).

use super::context::{PacketContext, TransactionKey};
use super::field::kinds::*;
use super::ipv4::NetInfo;
use super::smb_codes::{COMMANDS, LANMAN_FUNCTIONS, QFSI_LEVELS, QPI_LEVELS, TRANS2_COMMANDS};
use super::smb_status::NT_STATUS;
use super::tree::Dissection;
use super::value::{Value, value_name};
use crate::bytes;
use std::borrow::Cow;

const NEGOTIATE: u8 = 0x72;
const SESSION_SETUP: u8 = 0x73;
const TREE_CONNECT: u8 = 0x75;
const TRANS: u8 = 0x25;
const TRANS2: u8 = 0x32;
const READ_ANDX: u8 = 0x2e;
const WRITE_ANDX: u8 = 0x2f;
const NT_CREATE_ANDX: u8 = 0xa2;

/// `TransactionKey::proto` of SMB requests: any command, a Trans on the LANMAN pipe,
/// a Trans2 (the response's Info names what the request asked).
const KEY_SMB: u8 = 139;
const KEY_LANMAN: u8 = 140;
const KEY_TRANS2: u8 = 141;
/// `TransactionKey::proto` of a tree: a Tree Connect response records its tree id,
/// later messages on that tree look it up (their path).
const KEY_TREE: u8 = 142;

/// The header's length ([MS-CIFS] 2.2.3.1).
const HEADER_LEN: usize = 32;
/// Flags2 bits: Unicode strings, NT status codes.
const FLAGS2_UNICODE: u16 = 0x8000;
const FLAGS2_NT_STATUS: u16 = 0x4000;

const NTLMSSP_TYPES: &[(u64, &str)] = &[
    (1, "NTLMSSP_NEGOTIATE"),
    (2, "NTLMSSP_CHALLENGE"),
    (3, "NTLMSSP_AUTH"),
];

crate::define_fields! { after super::nbss::END;
    SMB = "smb", "SMB (Server Message Block Protocol)", PROTO;
    SERVER_COMPONENT = "smb.server_component", "Server Component", hex(32);
    RESPONSE_TO = "smb.response_to", "Response to", FRAME;
    TIME = "smb.time", "Time from request", REL_TIME;
    CMD = "smb.cmd", "SMB Command", hex_named(8, COMMANDS);
    NT_STATUS_FIELD = "smb.nt_status", "NT Status", hex_named(32, NT_STATUS);
    ERROR_CLASS = "smb.error_class", "Error Class", hex(8);
    ERROR_CODE = "smb.error_code", "Error Code", hex(16);
    FLAGS = "smb.flags", "Flags", hex(8);
    FLAGS_RESPONSE = "smb.flags.response", "Request/Response", bool_words(8, 0x80, &["Message is a response to the client/redirector", "Message is a request to the server"]);
    FLAGS2 = "smb.flags2", "Flags2", hex(16);
    FLAGS2_STRING = "smb.flags2.string", "Unicode Strings", bool_words(16, 0x8000, &["Strings are Unicode", "Strings are ASCII"]);
    PID_HIGH = "smb.pid.high", "Process ID High", dec(16);
    SIGNATURE = "smb.signature", "Signature", BYTES;
    TID = "smb.tid", "Tree ID", dec(16);
    PID = "smb.pid", "Process ID", dec(16);
    UID = "smb.uid", "User ID", dec(16);
    MID = "smb.mid", "Multiplex ID", dec(16);
    WCT = "smb.wct", "Word Count (WCT)", dec(8);
    ANDXOFFSET = "smb.andxoffset", "AndXOffset", dec(16);
    DATA_OFFSET = "smb.data_offset", "Data Offset", dec(16);
    BCC = "smb.bcc", "Byte Count (BCC)", dec(16);
    DIALECT = "smb.dialect", "Dialect", STR;
    DIALECT_INDEX = "smb.dialect.index", "Selected Index", dec(16);
    SECURITY_BLOB_LEN = "smb.security_blob_len", "Security Blob Length", dec(16);
    SECURITY_BLOB = "smb.security_blob", "Security Blob", BYTES;
    PWLEN = "smb.pwlen", "Password Length", dec(16);
    PATH = "smb.path", "Path", STR;
    SERVICE = "smb.service", "Service", STR;
    TRANS_NAME = "smb.trans_name", "Transaction Name", STR;
    TRANS2_CMD = "smb.trans2.cmd", "Subcommand", hex_named(16, TRANS2_COMMANDS);
    QFSI_LOI = "smb.qfsi_loi", "Level of Interest", hex_named(16, QFSI_LEVELS);
    QPI_LOI = "smb.qpi_loi", "Level of Interest", dec_named(16, QPI_LEVELS);
    FID = "smb.fid", "FID", hex(16);
    FILE_NAME_LEN = "smb.file_name_len", "File Name Len", dec(32);
    OFFSET = "smb.offset", "Offset", dec(32);
    MAXCOUNT_LOW = "smb.maxcount_low", "Max Count Low", dec(16);
    COUNT_LOW = "smb.count_low", "Count Low", dec(16);
    NTLMSSP = "ntlmssp", "NTLM Secure Service Provider", PROTO;
    NTLMSSP_IDENTIFIER = "ntlmssp.identifier", "NTLMSSP identifier", STR;
    NTLMSSP_MESSAGETYPE = "ntlmssp.messagetype", "NTLM Message Type", hex_named(32, NTLMSSP_TYPES);
    NTLMSSP_FLAGS = "ntlmssp.negotiateflags", "Negotiate Flags", hex(32);
    NTLMSSP_DOMAIN = "ntlmssp.auth.domain", "Domain name", STR;
    NTLMSSP_USERNAME = "ntlmssp.auth.username", "User name", STR;
    NTLMSSP_HOSTNAME = "ntlmssp.auth.hostname", "Host name", STR;
    SMB_PIPE = "smb_pipe", "SMB Pipe Protocol", PROTO;
    LANMAN = "lanman", "Microsoft Windows Lanman Remote API Protocol", PROTO;
    LANMAN_FUNCTION = "lanman.function_code", "Function Code", dec_named(16, LANMAN_FUNCTIONS);
    LANMAN_PARAM_DESC = "lanman.param_desc", "Parameter Descriptor", STR;
    LANMAN_RET_DESC = "lanman.ret_desc", "Return Descriptor", STR;
    LANMAN_RECV_BUF_LEN = "lanman.recv_buf_len", "Receive Buffer Length", dec(16);
    LANMAN_STATUS = "lanman.status", "Status", dec(16);
    LANMAN_CONVERT = "lanman.convert", "Convert", dec(16);
    LANMAN_ENTRY_COUNT = "lanman.entry_count", "Entry Count", dec(16);
    LANMAN_AVAILABLE = "lanman.available_count", "Available Entries", dec(16);
}

/// The server-type bits of NetServerEnum2 as tshark's Info names them; bits without
/// a name print as `Unknown server type:N`.
#[rustfmt::skip]
const SERVER_TYPES: [(u32, &str); 25] = [
    (0, "Workstation"), (1, "Server"), (2, "SQL Server"), (3, "Domain Controller"),
    (4, "Backup Controller"), (5, "Time Source"), (6, "Apple Server"), (7, "Novell Server"),
    (8, "Domain Member Server"), (9, "Print Queue Server"), (10, "Dialin Server"),
    (11, "Xenix Server"), (12, "NT Workstation"), (13, "Windows for Workgroups"),
    (15, "NT Server"), (16, "Potential Browser"), (17, "Backup Browser"),
    (18, "Master Browser"), (19, "Domain Master Browser"), (20, "OSF"), (21, "VMS"),
    (22, "Windows 95 or above"), (23, "DFS server"), (30, "Local List Only"),
    (31, "Domain Enum"),
];

/// A view of the 32-byte SMB header ([MS-CIFS] 2.2.3.1) over a message that starts
/// with `\xffSMB`.
#[derive(Debug, Clone, Copy)]
pub struct SmbHeader<'a> {
    bytes: &'a [u8],
}

impl<'a> SmbHeader<'a> {
    /// The header, when the message holds all 32 bytes of it.
    pub fn new(bytes: &'a [u8]) -> Option<Self> {
        (bytes.len() >= HEADER_LEN && bytes.get(..4) == Some(b"\xffSMB".as_slice()))
            .then_some(SmbHeader { bytes })
    }
    fn u8(&self, at: usize) -> u8 {
        bytes::u8_at(self.bytes, at).unwrap_or(0)
    }
    fn u16(&self, at: usize) -> u16 {
        bytes::le_u16(self.bytes, at).unwrap_or(0)
    }
    /// The command code.
    pub fn command(&self) -> u8 {
        self.u8(4)
    }
    /// The status: an NT status, or DOS class (low byte) and code (high half).
    pub fn status(&self) -> u32 {
        bytes::le_u32(self.bytes, 5).unwrap_or(0)
    }
    /// Flags.
    pub fn flags(&self) -> u8 {
        self.u8(9)
    }
    /// Flags2.
    pub fn flags2(&self) -> u16 {
        self.u16(10)
    }
    /// Whether the message is a response (flags bit 7).
    pub fn is_response(&self) -> bool {
        self.flags() & 0x80 != 0
    }
    /// PIDHigh.
    pub fn pid_high(&self) -> u16 {
        self.u16(12)
    }
    /// Tree id.
    pub fn tid(&self) -> u16 {
        self.u16(24)
    }
    /// Process id (low half).
    pub fn pid(&self) -> u16 {
        self.u16(26)
    }
    /// User id.
    pub fn uid(&self) -> u16 {
        self.u16(28)
    }
    /// Multiplex id.
    pub fn mid(&self) -> u16 {
        self.u16(30)
    }
}

/// What the parameter words and the bytes of the first command are, with their
/// offsets from the header's start.
struct Block<'a> {
    smb: &'a [u8],
    at: usize,
    wct: u8,
    bcc: u16,
    bytes_at: usize,
    unicode: bool,
}

impl Block<'_> {
    fn word(&self, i: usize) -> Option<u16> {
        bytes::le_u16(self.smb, HEADER_LEN + 1 + 2 * i)
    }
    fn word_at(&self, i: usize) -> usize {
        self.at + HEADER_LEN + 1 + 2 * i
    }
    /// The end of the byte block, within what was captured.
    fn bytes_end(&self) -> usize {
        (self.bytes_at + usize::from(self.bcc)).min(self.smb.len())
    }
}

/// A NUL-terminated string at `pos` (from the header's start): UTF-16LE aligned to an
/// even offset when `unicode`, else single bytes. Returns (text, start, end after the
/// terminator), bounded by `end`.
fn string_at(smb: &[u8], pos: usize, end: usize, unicode: bool) -> Option<(String, usize, usize)> {
    let end = end.min(smb.len());
    if unicode {
        let start = pos + (pos & 1);
        let region = smb.get(start..end)?;
        let mut units = Vec::new();
        let mut taken = region.len();
        for (i, pair) in region.chunks_exact(2).enumerate() {
            let u = u16::from_le_bytes([
                pair.first().copied().unwrap_or(0),
                pair.get(1).copied().unwrap_or(0),
            ]);
            if u == 0 {
                taken = 2 * i + 2;
                break;
            }
            units.push(u);
        }
        let text = char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect();
        Some((text, start, start + taken))
    } else {
        let region = smb.get(pos..end)?;
        let n = region.iter().position(|&c| c == 0);
        let text = region.get(..n.unwrap_or(region.len())).unwrap_or(region);
        let taken = n.map_or(region.len(), |n| n + 1);
        Some((String::from_utf8_lossy(text).into_owned(), pos, pos + taken))
    }
}

/// Dissects one SMB message `smb` at `at` of the frame. `ports` are the segment's
/// (source, destination). Each message sets the columns anew (a segment of two
/// SMBs shows the last one's Info, as tshark does).
pub fn dissect<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    net: &NetInfo,
    smb: &'a [u8],
    at: usize,
    ports: (u16, u16),
) {
    let item = d.add(SMB, at, smb.len(), Value::None);
    d.push_layer("smb");
    d.set_protocol("SMB");
    let Some(h) = SmbHeader::new(smb) else {
        d.set_info(|| "SMB [Malformed Packet]".into());
        return;
    };
    let cmd = h.command();
    let response = h.is_response();
    let name = value_name(Some(COMMANDS), u64::from(cmd))
        .map_or_else(|| format!("Unknown (0x{cmd:02x})"), str::to_string);
    let side = if response { "Response" } else { "Request" };
    d.set_info(|| format!("{name} {side}"));
    d.begin(item);
    let linked = header(d, ctx, net, &h, at, ports);
    let unicode = h.flags2() & FLAGS2_UNICODE != 0;
    let mut layers = After::None;
    if let Some(wct) = bytes::u8_at(smb, HEADER_LEN) {
        let bcc_at = HEADER_LEN + 1 + 2 * usize::from(wct);
        let bcc = bytes::le_u16(smb, bcc_at).unwrap_or(0);
        let block = Block {
            smb,
            at,
            wct,
            bcc,
            bytes_at: bcc_at + 2,
            unicode,
        };
        d.add(WCT, at + HEADER_LEN, 1, Value::UInt(u64::from(wct)));
        layers = command(d, ctx, &block, cmd, response, linked);
        if bcc_at + 2 <= smb.len() {
            d.add(BCC, at + bcc_at, 2, Value::UInt(u64::from(bcc)));
        }
    }
    d.end();
    if let After::Lanman(function, server_type) = layers {
        lanman(d, at, smb.len(), function, server_type, response);
    }
    if response && h.flags2() & FLAGS2_NT_STATUS != 0 && h.status() != 0 {
        let status = h.status();
        let text = value_name(Some(NT_STATUS), u64::from(status))
            .map_or_else(|| format!("Unknown (0x{status:08x})"), str::to_string);
        d.append_info(&format!(", Error: {text}"));
    }
}

/// The header's fields; for a response, the request it answers (frame).
fn header(
    d: &mut Dissection<'_>,
    ctx: &PacketContext<'_>,
    net: &NetInfo,
    h: &SmbHeader<'_>,
    at: usize,
    ports: (u16, u16),
) -> Option<(u32, u8)> {
    d.add(SERVER_COMPONENT, at, 4, Value::UInt(0x424d_53ff));
    let linked = link(d, ctx, net, h, at, ports);
    d.add(CMD, at + 4, 1, Value::UInt(u64::from(h.command())));
    if h.flags2() & FLAGS2_NT_STATUS != 0 {
        d.add(
            NT_STATUS_FIELD,
            at + 5,
            4,
            Value::UInt(u64::from(h.status())),
        );
    } else {
        let status = h.status();
        d.add(
            ERROR_CLASS,
            at + 5,
            1,
            Value::UInt(u64::from(status & 0xff)),
        );
        d.add(ERROR_CODE, at + 7, 2, Value::UInt(u64::from(status >> 16)));
    }
    let f = d.add(FLAGS, at + 9, 1, Value::UInt(u64::from(h.flags())));
    d.begin(f);
    d.add(FLAGS_RESPONSE, at + 9, 1, Value::Bool(h.is_response()));
    d.end();
    let f2 = d.add(FLAGS2, at + 10, 2, Value::UInt(u64::from(h.flags2())));
    d.begin(f2);
    d.add(
        FLAGS2_STRING,
        at + 10,
        2,
        Value::Bool(h.flags2() & FLAGS2_UNICODE != 0),
    );
    d.end();
    d.add(PID_HIGH, at + 12, 2, Value::UInt(u64::from(h.pid_high())));
    if let Some(sig) = h.bytes.get(14..22) {
        d.add(
            SIGNATURE,
            at + 14,
            8,
            Value::Bytes(Cow::Owned(sig.to_vec())),
        );
    }
    d.add(TID, at + 24, 2, Value::UInt(u64::from(h.tid())));
    if d.wants(PATH)
        && let Some(path) = tree_path(ctx, net, h, linked, ports)
    {
        d.add_generated(PATH, at + 24, 2, Value::owned_str(path.as_bytes()));
    }
    d.add(PID, at + 26, 2, Value::UInt(u64::from(h.pid())));
    d.add(UID, at + 28, 2, Value::UInt(u64::from(h.uid())));
    d.add(MID, at + 30, 2, Value::UInt(u64::from(h.mid())));
    linked
}

/// Records a request, or finds a response's request (`smb.response_to`, `smb.time`).
fn link(
    d: &mut Dissection<'_>,
    ctx: &PacketContext<'_>,
    net: &NetInfo,
    h: &SmbHeader<'_>,
    at: usize,
    ports: (u16, u16),
) -> Option<(u32, u8)> {
    let analysis = ctx.analysis?;
    let response = h.is_response();
    let key = |proto| {
        let (requester, responder, client_port) = if response {
            (net.dst, net.src, ports.1)
        } else {
            (net.src, net.dst, ports.0)
        };
        TransactionKey {
            tag: 0,
            proto,
            requester,
            responder,
            id: h.mid(),
            seq: client_port,
        }
    };
    let tree_key = TransactionKey {
        tag: 0,
        id: h.tid(),
        ..key(KEY_TREE)
    };
    if !response {
        let proto = match h.command() {
            TRANS if is_lanman_request(h.bytes) => KEY_LANMAN,
            TRANS2 => KEY_TRANS2,
            _ => KEY_SMB,
        };
        analysis.transaction(ctx.number, &key(proto), false);
        if h.tid() != 0 && h.command() != TREE_CONNECT {
            // The tree this request works on (a response finds it through its request).
            analysis.transaction(ctx.number, &tree_key, true);
        }
        return None;
    }
    if h.command() == TREE_CONNECT && h.status() == 0 {
        analysis.transaction(ctx.number, &tree_key, false);
    }
    let tries: &[u8] = match h.command() {
        TRANS => &[KEY_LANMAN, KEY_SMB],
        TRANS2 => &[KEY_TRANS2],
        _ => &[KEY_SMB],
    };
    let found = tries.iter().find_map(|p| {
        analysis
            .transaction(ctx.number, &key(*p), true)
            .map(|l| (*p, l))
    });
    let (proto, linked) = found?;
    d.add_generated(RESPONSE_TO, at, 0, Value::Frame(linked.frame));
    d.add_generated(
        TIME,
        at,
        0,
        Value::Time(ctx.record.ts_nanos.saturating_sub(linked.ts_nanos)),
    );
    // The key's proto says what the request was; its frame can be read again.
    Some((linked.frame, proto))
}

/// The path of the tree a message works on, as its Tree Connect request named it:
/// read again by the finished analysis (tree id to the Tree Connect response, to its
/// request).
fn tree_path(
    ctx: &PacketContext<'_>,
    net: &NetInfo,
    h: &SmbHeader<'_>,
    linked: Option<(u32, u8)>,
    ports: (u16, u16),
) -> Option<String> {
    let analysis = ctx.analysis?;
    if h.tid() == 0 || (h.command() == TREE_CONNECT && !h.is_response()) {
        return None;
    }
    // Only the finished analysis reads earlier frames; the load pass must not look
    // up frames other than its own.
    analysis.frame_bytes(ctx.number)?;
    let any = |proto| TransactionKey {
        tag: 0,
        proto,
        requester: net.src,
        responder: net.dst,
        id: 0,
        seq: ports.0,
    };
    let connect_request = if h.command() == TREE_CONNECT {
        linked?.0
    } else {
        let request = if h.is_response() {
            linked?.0
        } else {
            ctx.number
        };
        let connect_response = analysis.transaction(request, &any(KEY_TREE), true)?.frame;
        analysis
            .transaction(connect_response, &any(KEY_SMB), true)?
            .frame
    };
    let smb = bytes_of(ctx, connect_request)?;
    let at = smb.windows(4).position(|w| w == b"\xffSMB")?;
    tree_connect_path(bytes::tail(&smb, at))
}

/// Whether a Trans request names `\PIPE\LANMAN`.
fn is_lanman_request(smb: &[u8]) -> bool {
    trans_name(smb).is_some_and(|(name, ..)| name.eq_ignore_ascii_case("\\PIPE\\LANMAN"))
}

/// A Trans request's name (after the setup words), its start and end.
fn trans_name(smb: &[u8]) -> Option<(String, usize, usize)> {
    let wct = usize::from(bytes::u8_at(smb, HEADER_LEN)?);
    let bcc_at = HEADER_LEN + 1 + 2 * wct;
    let bcc = usize::from(bytes::le_u16(smb, bcc_at)?);
    let unicode = bytes::le_u16(smb, 10)? & FLAGS2_UNICODE != 0;
    string_at(smb, bcc_at + 2, bcc_at + 2 + bcc, unicode)
}

/// What comes after the SMB tree.
enum After {
    None,
    /// The LANMAN protocol: the function code (when known) and a request's server type.
    Lanman(Option<u16>, Option<(usize, u32)>),
}

/// The command's words and bytes; adds to Info what tshark adds.
fn command<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    b: &Block<'a>,
    cmd: u8,
    response: bool,
    linked: Option<(u32, u8)>,
) -> After {
    // AndX commands: the next command (0xff: none) and its offset.
    if matches!(
        cmd,
        0x24 | 0x2d | 0x2e | 0x2f | SESSION_SETUP | 0x74 | TREE_CONNECT | 0xa2
    ) && b.wct >= 2
    {
        if let Some(next) = b.word(0) {
            d.add(CMD, b.word_at(0), 1, Value::UInt(u64::from(next & 0xff)));
        }
        if let Some(off) = b.word(1) {
            d.add(ANDXOFFSET, b.word_at(1), 2, Value::UInt(u64::from(off)));
        }
    }
    match (cmd, response) {
        (NEGOTIATE, false) => negotiate_request(d, b),
        (NEGOTIATE, true) => {
            if let Some(i) = b.word(0).filter(|_| b.wct > 0) {
                d.add(DIALECT_INDEX, b.word_at(0), 2, Value::UInt(u64::from(i)));
            }
        }
        (SESSION_SETUP, _) => session_setup(d, b, response),
        (TREE_CONNECT, false) => tree_connect(d, b),
        (TREE_CONNECT, true) => {
            let end = b.bytes_end();
            if let Some((service, start, after)) = string_at(b.smb, b.bytes_at, end, false) {
                d.add(
                    SERVICE,
                    b.at + start,
                    after - start,
                    Value::owned_str(service.as_bytes()),
                );
            }
        }
        (TRANS, false) => return trans_request(d, b),
        (TRANS, true) => {
            if let Some(off) = b.word(7).filter(|_| b.wct >= 10) {
                d.add(DATA_OFFSET, b.word_at(7), 2, Value::UInt(u64::from(off)));
            }
            if let Some((frame, KEY_LANMAN)) = linked {
                return After::Lanman(request_word(ctx, frame, b, 0), None);
            }
        }
        (NT_CREATE_ANDX, false) => nt_create_request(d, b),
        // NT Create AndX response: the oplock level, then the FID the file got.
        (NT_CREATE_ANDX, true) => {
            if let Some(fid) = bytes::le_u16(b.smb, HEADER_LEN + 1 + 5).filter(|_| b.wct >= 3) {
                d.add(FID, b.word_at(2) + 1, 2, Value::UInt(u64::from(fid)));
                d.append_info(&format!(", FID: 0x{fid:04x}"));
            }
        }
        // Read AndX request: the FID, the offset, then how many bytes at most.
        (READ_ANDX, false) => {
            if let (Some(fid), Some(offset), Some(max)) = (
                b.word(2),
                bytes::le_u32(b.smb, HEADER_LEN + 1 + 6),
                b.word(5).filter(|_| b.wct >= 6),
            ) {
                d.add(FID, b.word_at(2), 2, Value::UInt(u64::from(fid)));
                d.add(OFFSET, b.word_at(3), 4, Value::UInt(u64::from(offset)));
                d.add(MAXCOUNT_LOW, b.word_at(5), 2, Value::UInt(u64::from(max)));
                d.append_info(&format!(
                    ", FID: 0x{fid:04x}, {max} bytes at offset {offset}"
                ));
            }
        }
        // Write AndX request: the FID and the offset (its Info is the data's, which
        // tshark hands to DCE/RPC on a pipe).
        (WRITE_ANDX, false) => {
            if let (Some(fid), Some(offset)) = (
                b.word(2).filter(|_| b.wct >= 5),
                bytes::le_u32(b.smb, HEADER_LEN + 1 + 6),
            ) {
                d.add(FID, b.word_at(2), 2, Value::UInt(u64::from(fid)));
                d.add(OFFSET, b.word_at(3), 4, Value::UInt(u64::from(offset)));
            }
        }
        // Write AndX response: the request's FID and how many bytes were written
        // (Count Low, plus Count High in 64 KiB units).
        (WRITE_ANDX, true) => {
            if let Some(count_low) = b.word(2).filter(|_| b.wct >= 5) {
                let high = b.word(4).unwrap_or(0);
                let fid = linked.and_then(|(f, _)| request_param(ctx, f, b, 2));
                if let Some(fid) = fid {
                    d.add_generated(FID, b.at, 0, Value::UInt(u64::from(fid)));
                    d.append_info(&format!(", FID: 0x{fid:04x}"));
                }
                d.add(
                    COUNT_LOW,
                    b.word_at(2),
                    2,
                    Value::UInt(u64::from(count_low)),
                );
                let count = u32::from(count_low) | (u32::from(high) << 16);
                d.append_info(&format!(", {count} bytes"));
            }
        }
        (TRANS2, false) => trans2_request(d, b),
        (TRANS2, true) => {
            let sub = linked.and_then(|(f, _)| request_word(ctx, f, b, usize::MAX));
            match sub {
                Some(sub) => {
                    let name = value_name(Some(TRANS2_COMMANDS), u64::from(sub));
                    let name =
                        name.map_or_else(|| format!("Unknown (0x{sub:02x})"), str::to_string);
                    d.append_info(&format!(", {name}"));
                }
                None => d.append_info("<unknown>"),
            }
        }
        _ => {}
    }
    After::None
}

/// From the request in `frame` (read again from the capture): the LANMAN function
/// code (`which` 0) or the Trans2 subcommand (`usize::MAX`).
fn request_word(
    ctx: &PacketContext<'_>,
    frame: u32,
    resp: &Block<'_>,
    which: usize,
) -> Option<u16> {
    let mid = bytes::le_u16(resp.smb, 30)?;
    let smb = smb_in_frame(ctx, frame, mid)?;
    if which == usize::MAX {
        return bytes::le_u16(&smb, HEADER_LEN + 1 + 28);
    }
    let params_at = usize::from(bytes::le_u16(&smb, HEADER_LEN + 1 + 20)?);
    bytes::le_u16(&smb, params_at)
}

/// Parameter word `i` of the request in `frame` (read again from the capture).
fn request_param(ctx: &PacketContext<'_>, frame: u32, resp: &Block<'_>, i: usize) -> Option<u16> {
    let mid = bytes::le_u16(resp.smb, 30)?;
    let smb = smb_in_frame(ctx, frame, mid)?;
    let wct = bytes::u8_at(&smb, HEADER_LEN)?;
    if usize::from(wct) <= i {
        return None;
    }
    bytes::le_u16(&smb, HEADER_LEN + 1 + 2 * i)
}

/// An NT Create AndX request ([MS-CIFS] 2.2.4.64.1): the name's length among the
/// parameters, the name (the path opened) in the bytes.
fn nt_create_request<'a>(d: &mut Dissection<'a>, b: &Block<'a>) {
    // The AndX words and a reserved byte come before the name's length.
    let len_at = HEADER_LEN + 1 + 5;
    let Some(name_len) = bytes::le_u16(b.smb, len_at).filter(|_| b.wct >= 24) else {
        return;
    };
    d.add(
        FILE_NAME_LEN,
        b.at + len_at,
        2,
        Value::UInt(u64::from(name_len)),
    );
    let Some((name, start, after)) = string_at(b.smb, b.bytes_at, b.bytes_end(), b.unicode) else {
        return;
    };
    d.add(
        // One field for a file's name wherever SMB or SMB2 names one.
        super::smb2::DFS_FILE,
        b.at + start,
        after - start,
        Value::owned_str(name.as_bytes()),
    );
    d.append_info(&format!(", Path: {name}"));
}

/// The SMB message with multiplex id `mid` in the captured bytes of `frame` (the
/// finished analysis reads earlier frames again; the load pass cannot).
fn smb_in_frame(ctx: &PacketContext<'_>, frame: u32, mid: u16) -> Option<Vec<u8>> {
    let bytes = bytes_of(ctx, frame)?;
    let mut from = 0usize;
    for _ in 0..64 {
        let rel = bytes
            .get(from..)?
            .windows(4)
            .position(|w| w == b"\xffSMB")?;
        let start = from + rel;
        let smb = bytes.get(start..)?;
        if bytes::le_u16(smb, 30) == Some(mid) {
            return Some(smb.to_vec());
        }
        from = start + 4;
    }
    None
}

/// What an earlier `frame` carried for SMB: the PDU it completes (its earlier parts,
/// then its own payload) or its captured bytes.
pub(super) fn bytes_of(ctx: &PacketContext<'_>, frame: u32) -> Option<Vec<u8>> {
    let analysis = ctx.analysis?;
    match analysis.pdu_parts(frame) {
        Some(parts) => {
            let mut all = parts.bytes;
            all.extend_from_slice(&analysis.tcp_payload(frame)?);
            Some(all)
        }
        None => analysis.frame_bytes(frame),
    }
}

/// The path a Tree Connect AndX request `smb` names.
fn tree_connect_path(smb: &[u8]) -> Option<String> {
    if bytes::u8_at(smb, 4)? != TREE_CONNECT || bytes::u8_at(smb, HEADER_LEN)? < 4 {
        return None;
    }
    let unicode = bytes::le_u16(smb, 10)? & FLAGS2_UNICODE != 0;
    let pwlen = usize::from(bytes::le_u16(smb, HEADER_LEN + 1 + 6)?);
    let bcc_at = HEADER_LEN + 1 + 8;
    let bcc = usize::from(bytes::le_u16(smb, bcc_at)?);
    let start = bcc_at + 2;
    string_at(smb, start + pwlen, start + bcc, unicode).map(|(p, ..)| p)
}

fn negotiate_request<'a>(d: &mut Dissection<'a>, b: &Block<'a>) {
    let end = b.bytes_end();
    let mut pos = b.bytes_at;
    while pos < end {
        // Buffer format 2 (dialect), then an ASCII name.
        let Some((name, _, after)) = string_at(b.smb, pos + 1, end, false) else {
            break;
        };
        d.add(
            DIALECT,
            b.at + pos,
            after - pos,
            Value::owned_str(name.as_bytes()),
        );
        pos = after;
    }
}

fn session_setup<'a>(d: &mut Dissection<'a>, b: &Block<'a>, response: bool) {
    // Extended security: the request has 12 words, the response 4; the blob's
    // length is word 7 of a request, word 3 of a response.
    let len_word = match (response, b.wct) {
        (false, 12) => 7,
        (true, 4) => 3,
        _ => return,
    };
    let Some(len) = b.word(len_word) else {
        return;
    };
    d.add(
        SECURITY_BLOB_LEN,
        b.word_at(len_word),
        2,
        Value::UInt(u64::from(len)),
    );
    let Some(blob) = bytes::slice(b.smb, b.bytes_at, usize::from(len)).filter(|s| !s.is_empty())
    else {
        return;
    };
    let blob_at = b.at + b.bytes_at;
    let node = d.add(
        SECURITY_BLOB,
        blob_at,
        blob.len(),
        Value::Bytes(Cow::Borrowed(blob)),
    );
    // Raw NTLMSSP, or NTLMSSP inside SPNEGO: the message starts at its signature.
    if let Some(start) = blob.windows(8).position(|w| w == b"NTLMSSP\0") {
        d.begin(node);
        ntlmssp(d, bytes::tail(blob, start), blob_at + start);
        d.end();
    }
}

/// An NTLMSSP message: its type in Info, and for an AUTHENTICATE the user.
pub(super) fn ntlmssp<'a>(d: &mut Dissection<'a>, m: &'a [u8], at: usize) {
    let Some(kind) = bytes::le_u32(m, 8) else {
        return;
    };
    let item = d.add(NTLMSSP, at, m.len(), Value::None);
    d.push_layer("ntlmssp");
    d.begin(item);
    d.add(NTLMSSP_IDENTIFIER, at, 8, Value::owned_str(b"NTLMSSP"));
    d.add(NTLMSSP_MESSAGETYPE, at + 8, 4, Value::UInt(u64::from(kind)));
    if let Some(name) = value_name(Some(NTLMSSP_TYPES), u64::from(kind)) {
        d.append_info(&format!(", {name}"));
    }
    if kind == 3
        && let Some(flags) = bytes::le_u32(m, 60)
    {
        let unicode = flags & 1 != 0;
        let mut names = Vec::new();
        for (field, desc_at) in [
            (NTLMSSP_DOMAIN, 28),
            (NTLMSSP_USERNAME, 36),
            (NTLMSSP_HOSTNAME, 44),
        ] {
            let (Some(len), Some(off)) = (bytes::le_u16(m, desc_at), bytes::le_u32(m, desc_at + 4))
            else {
                break;
            };
            let off = usize::try_from(off).unwrap_or(usize::MAX);
            let raw = bytes::slice(m, off, usize::from(len)).unwrap_or(&[]);
            let text = if unicode {
                let units = raw.chunks_exact(2).map(|p| {
                    u16::from_le_bytes([
                        p.first().copied().unwrap_or(0),
                        p.get(1).copied().unwrap_or(0),
                    ])
                });
                char::decode_utf16(units)
                    .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                    .collect()
            } else {
                String::from_utf8_lossy(raw).into_owned()
            };
            // tshark's value for an empty name.
            let shown = if len == 0 { "NULL" } else { text.as_str() };
            let label = format!("{}: {shown}", super::registry::def(field).name);
            d.add_labeled(
                field,
                at + off.min(m.len()),
                raw.len(),
                Value::owned_str(shown.as_bytes()),
                || label,
            );
            names.push(text);
        }
        if let (Some(domain), Some(user)) = (names.first(), names.get(1)) {
            d.append_info(&format!(", User: {domain}\\{user}"));
        }
    }
    d.end();
}

fn tree_connect<'a>(d: &mut Dissection<'a>, b: &Block<'a>) {
    let Some(pwlen) = b.word(3).filter(|_| b.wct >= 4) else {
        return;
    };
    d.add(PWLEN, b.word_at(3), 2, Value::UInt(u64::from(pwlen)));
    let end = b.bytes_end();
    let path_from = b.bytes_at + usize::from(pwlen);
    let Some((path, start, after)) = string_at(b.smb, path_from, end, b.unicode) else {
        return;
    };
    d.add(
        PATH,
        b.at + start,
        after - start,
        Value::owned_str(path.as_bytes()),
    );
    d.append_info(&format!(", Path: {path}"));
    if let Some((service, start, after)) = string_at(b.smb, after, end, false) {
        d.add(
            SERVICE,
            b.at + start,
            after - start,
            Value::owned_str(service.as_bytes()),
        );
    }
}

/// A Trans request: the name; on `\PIPE\LANMAN`, the remote API call that follows.
fn trans_request<'a>(d: &mut Dissection<'a>, b: &Block<'a>) -> After {
    if let Some(off) = b.word(12).filter(|_| b.wct >= 14) {
        d.add(DATA_OFFSET, b.word_at(12), 2, Value::UInt(u64::from(off)));
    }
    let Some((name, start, after)) = trans_name(b.smb) else {
        return After::None;
    };
    d.add(
        TRANS_NAME,
        b.at + start,
        after - start,
        Value::owned_str(name.as_bytes()),
    );
    if !name.eq_ignore_ascii_case("\\PIPE\\LANMAN") {
        return After::None;
    }
    let Some(params_at) = b.word(10).filter(|_| b.wct >= 14).map(usize::from) else {
        return After::None;
    };
    let function = bytes::le_u16(b.smb, params_at);
    // NetServerEnum2 (104): descriptors "WrLehDO", "B16BBDz", then the level, the
    // receive buffer's length and the server type.
    let mut server_type = None;
    if function == Some(104) {
        let end = b.smb.len();
        if let Some((_, _, p_end)) = string_at(b.smb, params_at + 2, end, false)
            && let Some((_, _, r_end)) = string_at(b.smb, p_end, end, false)
            && let Some(t) = bytes::le_u32(b.smb, r_end + 4)
        {
            server_type = Some((b.at + r_end + 4, t));
        }
    }
    After::Lanman(function, server_type)
}

/// The SMB Pipe and LANMAN items after the SMB tree, and LANMAN's columns.
fn lanman(
    d: &mut Dissection<'_>,
    at: usize,
    len: usize,
    function: Option<u16>,
    server_type: Option<(usize, u32)>,
    response: bool,
) {
    d.add(SMB_PIPE, at, 0, Value::None);
    let item = d.add(LANMAN, at, len, Value::None);
    d.set_protocol("LANMAN");
    let side = if response { "Response" } else { "Request" };
    let name = match function {
        Some(f) => value_name(Some(LANMAN_FUNCTIONS), u64::from(f))
            .map_or_else(|| format!("Unknown Command ({f})"), str::to_string),
        None => "Unknown Command".to_string(),
    };
    let mut info = format!("{name} {side}");
    if let Some((_, t)) = server_type {
        for bit in 0..32u32 {
            if t & (1 << bit) == 0 {
                continue;
            }
            match SERVER_TYPES.iter().find(|(b, _)| *b == bit) {
                Some((_, n)) => info.push_str(&format!(", {n}")),
                None => info.push_str(&format!(", Unknown server type:{bit}")),
            }
        }
    }
    d.set_info(|| info);
    if let Some(f) = function {
        d.begin(item);
        if response {
            d.add_generated(LANMAN_FUNCTION, at, 0, Value::UInt(u64::from(f)));
        } else {
            d.add(LANMAN_FUNCTION, at, 0, Value::UInt(u64::from(f)));
        }
        d.end();
    }
}

/// A Trans2 request: the subcommand and, for the information queries, the level.
fn trans2_request<'a>(d: &mut Dissection<'a>, b: &Block<'a>) {
    let (Some(sub), Some(params_at)) = (b.word(14).filter(|_| b.wct >= 15), b.word(10)) else {
        return;
    };
    d.add(TRANS2_CMD, b.word_at(14), 2, Value::UInt(u64::from(sub)));
    let name = value_name(Some(TRANS2_COMMANDS), u64::from(sub))
        .map_or_else(|| format!("Unknown (0x{sub:02x})"), str::to_string);
    d.append_info(&format!(", {name}"));
    let p = usize::from(params_at);
    match sub {
        // QUERY_FS_INFO: the level.
        3 => {
            if let Some(level) = bytes::le_u16(b.smb, p) {
                d.add(QFSI_LOI, b.at + p, 2, Value::UInt(u64::from(level)));
                let n = value_name(Some(QFSI_LEVELS), u64::from(level))
                    .map_or_else(|| format!("Unknown (0x{level:04x})"), str::to_string);
                d.append_info(&format!(", {n}"));
            }
        }
        // QUERY_FILE_INFO: the FID, then the level.
        7 => {
            if let Some(fid) = bytes::le_u16(b.smb, p) {
                d.add(FID, b.at + p, 2, Value::UInt(u64::from(fid)));
                d.append_info(&format!(", FID: 0x{fid:04x}"));
            }
            if let Some(level) = bytes::le_u16(b.smb, p + 2) {
                d.add(QPI_LOI, b.at + p + 2, 2, Value::UInt(u64::from(level)));
                let n = value_name(Some(QPI_LEVELS), u64::from(level))
                    .map_or_else(|| format!("Unknown (0x{level:04x})"), str::to_string);
                d.append_info(&format!(", {n}"));
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests;
