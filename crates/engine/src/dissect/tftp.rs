//! TFTP (RFC 1350): requests on UDP port 69, then the transfer between the two
//! ephemeral ports it opens, found as tshark finds it through the request's
//! conversation ("Data Packet, Block: 3 (last)").

use super::context::{PacketContext, TransactionKey};
use super::field::kinds::*;
use super::ipv4::NetInfo;
use super::tree::Dissection;
use super::value::Value;
use super::{data, field::Base};
use crate::bytes;
use crate::wire::TftpView;

/// Opcode names (RFC 1350 section 5, RFC 2347).
const OPCODE_NAMES: &[(u64, &str)] = &[
    (1, "Read Request"),
    (2, "Write Request"),
    (3, "Data Packet"),
    (4, "Acknowledgement"),
    (5, "Error Code"),
    (6, "Option Acknowledgement"),
];
/// Error codes (RFC 1350 appendix, RFC 2347).
const ERROR_NAMES: &[(u64, &str)] = &[
    (0, "Not defined"),
    (1, "File not found"),
    (2, "Access violation"),
    (3, "Disk full or allocation exceeded"),
    (4, "Illegal TFTP Operation"),
    (5, "Unknown transfer ID"),
    (6, "File already exists"),
    (7, "No such user"),
    (8, "Option negotiation failed"),
];

crate::define_fields! { after super::ntp::END;
    TFTP = "tftp", "Trivial File Transfer Protocol", PROTO;
    OPCODE = "tftp.opcode", "Opcode", dec_named(16, OPCODE_NAMES);
    SOURCE_FILE = "tftp.source_file", "Source File", STR;
    DESTINATION_FILE = "tftp.destination_file", "Destination File", STR;
    REQUEST_FRAME = "tftp.request_frame", "Request frame", FRAME;
    TYPE = "tftp.type", "Type", STR;
    BLOCK = "tftp.block", "Block", dec(16);
    BLOCK_FULL = "tftp.block.full", "Full Block Number", dec(32);
    ERROR_CODE = "tftp.error.code", "Error code", uint(16, Base::Dec, 0, Some(ERROR_NAMES));
    ERROR_MESSAGE = "tftp.error.message", "Error message", STR;
    OPTION_NAME = "tftp.option.name", "Option name", STR;
    OPTION_VALUE = "tftp.option.value", "Option value", STR;
}

/// The UDP port TFTP requests go to.
pub const PORT: u16 = 69;
/// The transaction "protocol" under which requests are recorded.
const KEY_PROTO: u8 = 69;
/// Default block size (RFC 1350); a shorter DATA block ends the transfer.
const BLOCK_SIZE: usize = 512;

/// Whether the first bytes could be a TFTP opcode (a cheap test before any lookup).
pub fn looks_like_tftp(payload: &[u8]) -> bool {
    matches!(payload, [0, 1..=6, ..])
}

fn key(client: &super::ipv4::Addr, server: &super::ipv4::Addr, client_port: u16) -> TransactionKey {
    TransactionKey {
        tag: 0,
        proto: KEY_PROTO,
        requester: *client,
        responder: *server,
        id: client_port,
        seq: 0,
    }
}

/// For a datagram between ports other than 69: the frame of the request that opened
/// its transfer, if any (either side may be the requester).
pub fn transfer_of(ctx: &PacketContext<'_>, net: &NetInfo, sport: u16, dport: u16) -> Option<u32> {
    let a = ctx.analysis?;
    a.transaction(ctx.number, &key(&net.src, &net.dst, sport), true)
        .or_else(|| a.transaction(ctx.number, &key(&net.dst, &net.src, dport), true))
        .map(|linked| linked.frame)
}

/// Dissects the TFTP packet at `offset` of `data` (`len` bytes of UDP payload).
/// `request` is the frame of the request this packet's transfer belongs to.
#[allow(clippy::too_many_arguments)]
pub fn dissect<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    data: &'a [u8],
    offset: usize,
    len: usize,
    net: &NetInfo,
    sport: u16,
    request: Option<u32>,
) {
    let msg = bytes::clamped(data, offset, len);
    d.push_layer("tftp");
    d.set_protocol("TFTP");
    let item = d.add(TFTP, offset, msg.len(), Value::None);
    d.begin(item);
    let Some(v) = super::view_or_cut(d, ctx, TftpView::new(msg), offset) else {
        d.end();
        return;
    };
    let op = v.opcode();
    d.add(OPCODE, offset, 2, Value::UInt(u64::from(op)));
    let op_name = OPCODE_NAMES
        .iter()
        .find(|(k, _)| *k == u64::from(op))
        .map_or("Unknown", |(_, n)| *n);
    d.set_info(|| op_name.to_string());
    if let Some(req) = request {
        d.add_generated(REQUEST_FRAME, 0, 0, Value::Frame(req));
    }
    match op {
        1 | 2 => {
            if let Some(a) = ctx.analysis {
                a.transaction(ctx.number, &key(&net.src, &net.dst, sport), false);
            }
            let file_field = if op == 1 {
                SOURCE_FILE
            } else {
                DESTINATION_FILE
            };
            let mut strings = v.strings(2);
            if let Some((at, name, _)) = strings.next() {
                d.add(
                    file_field,
                    offset + at,
                    name.len() + 1,
                    Value::Str(name.into()),
                );
                d.append_info(&format!(", File: {}", String::from_utf8_lossy(name)));
            }
            if let Some((at, mode, _)) = strings.next() {
                d.add(TYPE, offset + at, mode.len() + 1, Value::Str(mode.into()));
                d.append_info(&format!(
                    ", Transfer type: {}",
                    String::from_utf8_lossy(mode)
                ));
            }
            options(d, strings, offset);
        }
        3 | 4 => match v.word() {
            Ok(block) => {
                d.add(BLOCK, offset + 2, 2, Value::UInt(u64::from(block)));
                d.add_generated(BLOCK_FULL, 0, 0, Value::UInt(u64::from(block)));
                d.append_info(&format!(", Block: {block}"));
                if op == 3 {
                    let payload = v.data();
                    let on_wire = len.saturating_sub(4);
                    if on_wire < BLOCK_SIZE {
                        d.append_info(" (last)");
                    }
                    d.end();
                    data::dissect_bytes(d, payload, offset + 4);
                    return;
                }
            }
            Err(short) => super::cut_header(d, ctx, &short.shifted(offset)),
        },
        5 => match v.word() {
            Ok(code) => {
                d.add(ERROR_CODE, offset + 2, 2, Value::UInt(u64::from(code)));
                let name = ERROR_NAMES
                    .iter()
                    .find(|(k, _)| *k == u64::from(code))
                    .map_or("Unknown", |(_, n)| *n);
                d.append_info(&format!(", Code: {name}"));
                if let Some((at, text, _)) = v.strings(4).next() {
                    d.add(
                        ERROR_MESSAGE,
                        offset + at,
                        text.len() + 1,
                        Value::Str(text.into()),
                    );
                    d.append_info(&format!(", Message: {}", String::from_utf8_lossy(text)));
                }
            }
            Err(short) => super::cut_header(d, ctx, &short.shifted(offset)),
        },
        6 => options(d, v.strings(2), offset),
        _ => {}
    }
    d.end();
}

/// Option name/value pairs (RFC 2347), also appended to the Info column.
fn options<'a>(
    d: &mut Dissection<'a>,
    mut strings: impl Iterator<Item = (usize, &'a [u8], bool)>,
    offset: usize,
) {
    while let Some((at, name, _)) = strings.next() {
        d.add(
            OPTION_NAME,
            offset + at,
            name.len() + 1,
            Value::Str(name.into()),
        );
        let Some((vat, value, _)) = strings.next() else {
            break;
        };
        d.add(
            OPTION_VALUE,
            offset + vat,
            value.len() + 1,
            Value::Str(value.into()),
        );
        d.append_info(&format!(
            ", {}={}",
            String::from_utf8_lossy(name),
            String::from_utf8_lossy(value)
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_frame, with_patched, with_truncated};

    /// tftp.pcap frame 1: the read request.
    #[test]
    fn read_request() {
        with_frame("tftp.pcap", 1, |d| {
            assert_eq!(d.columns.protocol, "TFTP");
            assert_eq!(
                d.columns.info,
                "Read Request, File: file1, Transfer type: octet"
            );
            assert_eq!(field(d, "tftp.source_file"), "file1");
            assert_eq!(field(d, "tftp.type"), "octet");
        });
    }

    /// tftp.pcap frame 2 alone (no analysis links it to its request): ports 59557 →
    /// 44935 are nobody's, so it stays UDP; frame 1's request makes it TFTP in a load.
    #[test]
    fn data_without_its_request_is_udp() {
        with_frame("tftp.pcap", 2, |d| {
            assert_eq!(d.columns.protocol, "UDP");
        });
    }

    #[test]
    fn truncated_and_impossible() {
        // Frame 1 cut inside the opcode.
        with_truncated("tftp.pcap", 1, 43, |d| {
            assert_eq!(field(d, "tftp.opcode"), "");
        });
        // An unterminated file name runs to the end of the datagram.
        with_patched(
            "tftp.pcap",
            1,
            |b| {
                for x in b[44..].iter_mut() {
                    if *x == 0 {
                        *x = b'x';
                    }
                }
            },
            |d| assert_eq!(field(d, "tftp.opcode"), "1"),
        );
    }
}
