//! NTP (RFC 5905) on UDP port 123: time messages, control messages (mode 6) and
//! ntpd's private messages (mode 7), with tshark 4.0's Info column
//! ("NTP Version 4, client"; "NTP Version 2, private, Request, AUTHINFO").

use super::context::PacketContext;
use super::field::kinds::*;
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;
use crate::wire::{NtpControlView, NtpPrivateView, NtpView, ntp_mode_of};

/// Leap indicator names (RFC 5905 figure 9).
const LI_NAMES: &[(u64, &str)] = &[
    (0, "no warning"),
    (1, "last minute of the day has 61 seconds"),
    (2, "last minute of the day has 59 seconds"),
    (3, "unknown (clock unsynchronized)"),
];
/// Version names.
const VN_NAMES: &[(u64, &str)] = &[
    (0, "reserved"),
    (1, "NTP Version 1"),
    (2, "NTP Version 2"),
    (3, "NTP Version 3"),
    (4, "NTP Version 4"),
];
/// Mode names as the tree shows them.
const MODE_NAMES: &[(u64, &str)] = &[
    (0, "reserved"),
    (1, "symmetric active"),
    (2, "symmetric passive"),
    (3, "client"),
    (4, "server"),
    (5, "broadcast"),
    (6, "reserved for NTP control message"),
    (7, "reserved for private use"),
];
/// Mode names as the Info column and the protocol item show them.
const MODE_SHORT: [&str; 8] = [
    "reserved",
    "symmetric active",
    "symmetric passive",
    "client",
    "server",
    "broadcast",
    "control",
    "private",
];
/// Response bit names.
const RESPONSE_NAMES: &[(u64, &str)] = &[(0, "Request"), (1, "Response")];
/// Control opcodes (RFC 1305 appendix B).
const OPCODE_NAMES: &[(u64, &str)] = &[
    (0, "reserved"),
    (1, "read status"),
    (2, "read variables"),
    (3, "write variables"),
    (4, "read clock variables"),
    (5, "write clock variables"),
    (6, "set trap address/port"),
    (7, "trap response"),
    (8, "runtime configuration"),
    (9, "export configuration to file"),
    (10, "retrieve remote address stats"),
    (11, "retrieve ordered list"),
    (12, "request client-specific nonce"),
    (31, "unset trap address/port"),
];
/// Implementation numbers of mode 7.
const IMPL_NAMES: &[(u64, &str)] = &[(0, "UNIV"), (2, "XNTPD_OLD"), (3, "XNTPD")];
/// Request codes of mode 7 (ntpd's `ntp_request.h`).
const REQ_CODE_NAMES: &[(u64, &str)] = &[
    (0, "PEER_LIST"),
    (1, "PEER_LIST_SUM"),
    (2, "PEER_INFO"),
    (3, "PEER_STATS"),
    (4, "SYS_INFO"),
    (5, "SYS_STATS"),
    (6, "IO_STATS"),
    (7, "MEM_STATS"),
    (8, "LOOP_INFO"),
    (9, "TIMER_STATS"),
    (10, "CONFIG"),
    (11, "UNCONFIG"),
    (12, "SET_SYS_FLAG"),
    (13, "CLR_SYS_FLAG"),
    (14, "MONITOR"),
    (15, "NOMONITOR"),
    (16, "GET_RESTRICT"),
    (17, "RESADDFLAGS"),
    (18, "RESSUBFLAGS"),
    (19, "UNRESTRICT"),
    (20, "MON_GETLIST"),
    (21, "RESET_STATS"),
    (22, "RESET_PEER"),
    (23, "REREAD_KEYS"),
    (24, "DO_DIRTY_HACK"),
    (25, "DONT_DIRTY_HACK"),
    (26, "TRUSTKEY"),
    (27, "UNTRUSTKEY"),
    (28, "AUTHINFO"),
    (29, "TRAPS"),
    (30, "ADD_TRAP"),
    (31, "CLR_TRAP"),
    (32, "REQUEST_KEY"),
    (33, "CONTROL_KEY"),
    (34, "GET_CTLSTATS"),
    (35, "GET_LEAPINFO"),
    (36, "GET_CLOCKINFO"),
    (37, "SET_CLKFUDGE"),
    (38, "GET_KERNEL"),
    (39, "GET_CLKBUGINFO"),
    (41, "SET_PRECISION"),
    (42, "MON_GETLIST_1"),
    (43, "HOSTNAME_ASSOCID"),
    (44, "IF_STATS"),
    (45, "IF_RELOAD"),
];
/// Extension field types (RFC 8915 section 5.7 for NTS).
const EXT_TYPE_NAMES: &[(u64, &str)] = &[
    (0x0104, "Unique Identifier"),
    (0x0204, "NTS Cookie"),
    (0x0304, "NTS Cookie Placeholder"),
    (0x0404, "NTS Authenticator and Encrypted Extension Fields"),
];

crate::define_fields! { after super::wlan_radio::END;
    NTP = "ntp", "Network Time Protocol", PROTO;
    FLAGS = "ntp.flags", "Flags", hex(8);
    FLAGS_LI = "ntp.flags.li", "Leap Indicator", uint(8, super::field::Base::Dec, 0xc0, Some(LI_NAMES));
    FLAGS_VN = "ntp.flags.vn", "Version number", uint(8, super::field::Base::Dec, 0x38, Some(VN_NAMES));
    FLAGS_MODE = "ntp.flags.mode", "Mode", uint(8, super::field::Base::Dec, 0x07, Some(MODE_NAMES));
    STRATUM = "ntp.stratum", "Peer Clock Stratum", dec(8);
    PPOLL = "ntp.ppoll", "Peer Polling Interval", dec(8);
    PRECISION = "ntp.precision", "Peer Clock Precision", dec(8);
    ROOTDELAY = "ntp.rootdelay", "Root Delay", dec(32);
    ROOTDISPERSION = "ntp.rootdispersion", "Root Dispersion", dec(32);
    REFID = "ntp.refid", "Reference ID", BYTES;
    REFTIME = "ntp.reftime", "Reference Timestamp", STR;
    ORG = "ntp.org", "Origin Timestamp", STR;
    REC = "ntp.rec", "Receive Timestamp", STR;
    XMT = "ntp.xmt", "Transmit Timestamp", STR;
    EXT = "ntp.ext", "Extension", NONE;
    EXT_TYPE = "ntp.ext.type", "Field Type", hex_named(16, EXT_TYPE_NAMES);
    EXT_LENGTH = "ntp.ext.length", "Length", dec(16);
    EXT_VALUE = "ntp.ext.value", "Value", BYTES;
    KEYID = "ntp.keyid", "Key ID", BYTES;
    MAC = "ntp.mac", "Message Authentication Code", BYTES;
    CTRL_FLAGS2 = "ntp.ctrl.flags2", "Flags 2", hex(8);
    CTRL_R = "ntp.ctrl.flags2.r", "Response bit", uint(8, super::field::Base::Dec, 0x80, Some(RESPONSE_NAMES));
    CTRL_ERROR = "ntp.ctrl.flags2.error", "Error bit", uint(8, super::field::Base::Dec, 0x40, None);
    CTRL_MORE = "ntp.ctrl.flags2.more", "More bit", uint(8, super::field::Base::Dec, 0x20, None);
    CTRL_OPCODE = "ntp.ctrl.flags2.opcode", "Opcode", uint(8, super::field::Base::Dec, 0x1f, Some(OPCODE_NAMES));
    CTRL_SEQUENCE = "ntp.ctrl.sequence", "Sequence", dec(16);
    CTRL_STATUS = "ntp.ctrl.status", "Status", hex(16);
    CTRL_ASSOCID = "ntp.ctrl.associd", "AssociationID", dec(16);
    CTRL_OFFSET = "ntp.ctrl.offset", "Offset", dec(16);
    CTRL_COUNT = "ntp.ctrl.count", "Count", dec(16);
    CTRL_DATA = "ntp.ctrl.data", "Data", NONE;
    PRIV_R = "ntp.priv.flags.r", "Response bit", uint(8, super::field::Base::Dec, 0x80, Some(RESPONSE_NAMES));
    PRIV_MORE = "ntp.priv.flags.more", "More bit", uint(8, super::field::Base::Dec, 0x40, None);
    PRIV_AUTH_SEQ = "ntp.priv.auth_seq", "Auth, sequence", dec(8);
    PRIV_AUTH = "ntp.priv.auth", "Auth bit", uint(8, super::field::Base::Dec, 0x80, None);
    PRIV_SEQ = "ntp.priv.seq", "Sequence number", uint(8, super::field::Base::Dec, 0x7f, None);
    PRIV_IMPL = "ntp.priv.impl", "Implementation", dec_named(8, IMPL_NAMES);
    PRIV_REQCODE = "ntp.priv.reqcode", "Request code", dec_named(8, REQ_CODE_NAMES);
    PRIV_ERR = "ntp.priv.err", "Err", uint(8, super::field::Base::Hex, 0xf0, None);
    PRIV_NUMITEMS = "ntp.priv.numitems", "Number of data items", uint(16, super::field::Base::Dec, 0x0fff, None);
    PRIV_RESERVED = "ntp.priv.reserved", "Reserved", uint(8, super::field::Base::Hex, 0xf0, None);
    PRIV_ITEMSIZE = "ntp.priv.itemsize", "Size of data item", uint(16, super::field::Base::Dec, 0x0fff, None);
}

/// The UDP port NTP is registered on.
pub const PORT: u16 = 123;

/// Seconds between 1900-01-01 (NTP era 0) and the Unix epoch.
const NTP_TO_UNIX_SECS: i64 = 2_208_988_800;

/// A 64-bit NTP timestamp as tshark writes it: `NULL` when zero, else the UTC time.
/// RFC 4330 section 3: a clear top bit of the seconds means era 1 (from 2036).
pub fn timestamp_text((secs, frac): (u32, u32)) -> String {
    if secs == 0 && frac == 0 {
        return "NULL".to_string();
    }
    let era = if secs & 0x8000_0000 == 0 {
        1i64 << 32
    } else {
        0
    };
    let unix = i64::from(secs) + era - NTP_TO_UNIX_SECS;
    // tshark scales the fraction in floating point and truncates.
    let nanos = (f64::from(frac) / 4_294_967_296.0 * 1e9) as i64;
    super::time::utc_time_text(unix.saturating_mul(1_000_000_000).saturating_add(nanos))
}

/// Dissects the NTP message at `offset` of `data` (the UDP payload, `len` bytes).
pub fn dissect<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    data: &'a [u8],
    offset: usize,
    len: usize,
) {
    let msg = bytes::clamped(data, offset, len);
    let Some(&first) = msg.first() else {
        return;
    };
    let mode = ntp_mode_of(first);
    let version = (first >> 3) & 7;
    let mode_text = MODE_SHORT.get(usize::from(mode)).copied().unwrap_or("");
    d.push_layer("ntp");
    d.set_protocol("NTP");
    let item = d.add_labeled(NTP, offset, msg.len(), Value::None, || {
        format!("Network Time Protocol (NTP Version {version}, {mode_text})")
    });
    d.set_info(|| format!("NTP Version {version}, {mode_text}"));
    d.begin(item);
    match mode {
        6 => control(d, ctx, msg, offset),
        7 => private(d, ctx, msg, offset),
        _ => time_message(d, ctx, msg, offset),
    }
    d.end();
}

fn flags_item(d: &mut Dissection<'_>, offset: usize, flags: u8) {
    let li = (flags >> 6) & 3;
    let vn = (flags >> 3) & 7;
    let mode = flags & 7;
    let item = d.add_labeled(FLAGS, offset, 1, Value::UInt(u64::from(flags)), || {
        let name = |t: &[(u64, &'static str)], v: u8| {
            t.iter()
                .find(|(k, _)| *k == u64::from(v))
                .map_or("Unknown", |(_, n)| *n)
        };
        format!(
            "Flags: 0x{flags:02x}, Leap Indicator: {}, Version number: {}, Mode: {}",
            name(LI_NAMES, li),
            name(VN_NAMES, vn),
            name(MODE_NAMES, mode)
        )
    });
    d.begin(item);
    d.add(FLAGS_LI, offset, 1, Value::UInt(u64::from(li)));
    d.add(FLAGS_VN, offset, 1, Value::UInt(u64::from(vn)));
    d.add(FLAGS_MODE, offset, 1, Value::UInt(u64::from(mode)));
    d.end();
}

fn short_format_seconds(v: u32) -> String {
    format!("{:.6} seconds", f64::from(v) / 65536.0)
}

fn time_message<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, msg: &'a [u8], at: usize) {
    let Some(v) = super::view_or_cut(d, ctx, NtpView::new(msg), at) else {
        return;
    };
    flags_item(d, at, v.flags());
    let stratum = v.stratum();
    d.add_labeled(STRATUM, at + 1, 1, Value::UInt(u64::from(stratum)), || {
        let name = match stratum {
            0 => "unspecified or invalid",
            1 => "primary reference",
            2..=15 => "secondary reference",
            16 => "unsynchronized",
            _ => "reserved",
        };
        format!("Peer Clock Stratum: {name} ({stratum})")
    });
    let poll = v.poll();
    d.add_labeled(PPOLL, at + 2, 1, Value::UInt(u64::from(poll)), || {
        if (4..=17).contains(&poll) {
            format!("Peer Polling Interval: {poll} ({} seconds)", 1u64 << poll)
        } else {
            format!("Peer Polling Interval: invalid ({poll})")
        }
    });
    let precision = v.precision();
    d.add_labeled(
        PRECISION,
        at + 3,
        1,
        Value::UInt(u64::from(precision)),
        || {
            // A signed power of two (RFC 5905 section 7.3).
            let exp = i32::from(precision as i8);
            format!("Peer Clock Precision: {:.6} seconds", 2f64.powi(exp))
        },
    );
    let delay = v.root_delay();
    d.add_labeled(ROOTDELAY, at + 4, 4, Value::UInt(u64::from(delay)), || {
        format!("Root Delay: {}", short_format_seconds(delay))
    });
    let disp = v.root_dispersion();
    d.add_labeled(
        ROOTDISPERSION,
        at + 8,
        4,
        Value::UInt(u64::from(disp)),
        || format!("Root Dispersion: {}", short_format_seconds(disp)),
    );
    let refid = v.ref_id();
    d.add_labeled(
        REFID,
        at + 12,
        4,
        Value::Bytes(refid.to_vec().into()),
        || {
            if refid == [0; 4] {
                "Reference ID: NULL".to_string()
            } else if stratum <= 1 {
                let text: String = refid
                    .iter()
                    .take_while(|b| **b != 0)
                    .map(|b| char::from(*b))
                    .collect();
                format!("Reference ID: Unidentified reference source '{text}'")
            } else {
                format!(
                    "Reference ID: {}.{}.{}.{}",
                    refid[0], refid[1], refid[2], refid[3]
                )
            }
        },
    );
    for (field, name, ts, off) in [
        (REFTIME, "Reference Timestamp", v.ref_time(), 16),
        (ORG, "Origin Timestamp", v.origin_time(), 24),
        (REC, "Receive Timestamp", v.receive_time(), 32),
        (XMT, "Transmit Timestamp", v.transmit_time(), 40),
    ] {
        if d.wants(field) {
            let text = timestamp_text(ts);
            d.add_labeled(
                field,
                at + off,
                8,
                Value::Str(text.clone().into_bytes().into()),
                || format!("{name}: {text}"),
            );
        }
    }
    trailer(d, msg, at);
}

/// Extension fields (RFC 7822) and the key ID and MAC after the fixed header.
fn trailer<'a>(d: &mut Dissection<'a>, msg: &'a [u8], at: usize) {
    let mut pos = NtpView::HEADER_LEN;
    // RFC 7822 section 7.5: with extensions, the MAC is the last 20 or 24 bytes; an
    // extension field is at least 16 bytes long and a multiple of 4.
    loop {
        let rest = msg.len().saturating_sub(pos);
        if rest <= 24 {
            break;
        }
        let (Some(kind), Some(ext_len)) = (bytes::be_u16(msg, pos), bytes::be_u16(msg, pos + 2))
        else {
            break;
        };
        let ext_len = usize::from(ext_len);
        if ext_len < 16 || ext_len % 4 != 0 || ext_len > rest {
            break;
        }
        let value = bytes::slice(msg, pos + 4, ext_len - 4).unwrap_or(&[]);
        let item = d.add(EXT, at + pos, ext_len, Value::None);
        d.begin(item);
        d.add(EXT_TYPE, at + pos, 2, Value::UInt(u64::from(kind)));
        d.add(EXT_LENGTH, at + pos + 2, 2, Value::UInt(ext_len as u64));
        d.add(
            EXT_VALUE,
            at + pos + 4,
            value.len(),
            Value::Bytes(value.into()),
        );
        d.end();
        pos += ext_len;
    }
    if let Some(key) = bytes::slice(msg, pos, 4) {
        d.add(KEYID, at + pos, 4, Value::Bytes(key.into()));
        let mac = bytes::tail(msg, pos + 4);
        if !mac.is_empty() {
            d.add(MAC, at + pos + 4, mac.len(), Value::Bytes(mac.into()));
        }
    }
}

fn control<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, msg: &'a [u8], at: usize) {
    let Some(v) = super::view_or_cut(d, ctx, NtpControlView::new(msg), at) else {
        return;
    };
    flags_item(d, at, v.flags());
    let f2 = v.flags2();
    let item = d.add_labeled(CTRL_FLAGS2, at + 1, 1, Value::UInt(u64::from(f2)), || {
        let op = OPCODE_NAMES
            .iter()
            .find(|(k, _)| *k == u64::from(f2 & 0x1f))
            .map_or("Unknown", |(_, n)| *n);
        let r = if f2 & 0x80 != 0 {
            "Response"
        } else {
            "Request"
        };
        format!("Flags 2: 0x{f2:02x}, Response bit: {r}, Opcode: {op}")
    });
    d.begin(item);
    d.add(CTRL_R, at + 1, 1, Value::UInt(u64::from(f2 >> 7)));
    d.add(CTRL_ERROR, at + 1, 1, Value::UInt(u64::from((f2 >> 6) & 1)));
    d.add(CTRL_MORE, at + 1, 1, Value::UInt(u64::from((f2 >> 5) & 1)));
    d.add(CTRL_OPCODE, at + 1, 1, Value::UInt(u64::from(f2 & 0x1f)));
    d.end();
    d.add(
        CTRL_SEQUENCE,
        at + 2,
        2,
        Value::UInt(u64::from(v.sequence())),
    );
    d.add(CTRL_STATUS, at + 4, 2, Value::UInt(u64::from(v.status())));
    d.add(
        CTRL_ASSOCID,
        at + 6,
        2,
        Value::UInt(u64::from(v.assoc_id())),
    );
    d.add(CTRL_OFFSET, at + 8, 2, Value::UInt(u64::from(v.offset())));
    let count = usize::from(v.count());
    d.add(CTRL_COUNT, at + 10, 2, Value::UInt(count as u64));
    let avail = msg.len().saturating_sub(NtpControlView::HEADER_LEN);
    if count > 0 {
        if count > avail {
            super::expert_malformed(
                d,
                at + NtpControlView::HEADER_LEN,
                avail,
                "NTP",
                format!("Count {count} exceeds the {avail} bytes after the header"),
            );
        } else {
            let start = at + NtpControlView::HEADER_LEN;
            let item = d.add(CTRL_DATA, start, count, Value::None);
            // A read-status response about the system (association 0) lists every
            // association as (ID, status) pairs.
            if f2 & 0x9f == 0x81 && v.assoc_id() == 0 {
                d.begin(item);
                let data = bytes::slice(msg, NtpControlView::HEADER_LEN, count).unwrap_or(&[]);
                for (i, pair) in data.chunks_exact(4).enumerate() {
                    let (Some(id), Some(status)) = (bytes::be_u16(pair, 0), bytes::be_u16(pair, 2))
                    else {
                        break;
                    };
                    let p = start + i * 4;
                    d.add(CTRL_ASSOCID, p, 2, Value::UInt(u64::from(id)));
                    d.add(CTRL_STATUS, p + 2, 2, Value::UInt(u64::from(status)));
                }
                d.end();
            }
        }
    }
}

fn private<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, msg: &'a [u8], at: usize) {
    let Some(v) = super::view_or_cut(d, ctx, NtpPrivateView::new(msg), at) else {
        return;
    };
    let flags = v.flags();
    let response = flags & 0x80 != 0;
    let item = d.add_labeled(FLAGS, at, 1, Value::UInt(u64::from(flags)), || {
        format!(
            "Flags: 0x{flags:02x}, Response bit: {}, Version number: NTP Version {}, Mode: {}",
            if response { "Response" } else { "Request" },
            (flags >> 3) & 7,
            MODE_NAMES
                .iter()
                .find(|(k, _)| *k == u64::from(flags & 7))
                .map_or("Unknown", |(_, n)| *n)
        )
    });
    d.begin(item);
    d.add(PRIV_R, at, 1, Value::UInt(u64::from(flags >> 7)));
    d.add(PRIV_MORE, at, 1, Value::UInt(u64::from((flags >> 6) & 1)));
    d.add(FLAGS_VN, at, 1, Value::UInt(u64::from((flags >> 3) & 7)));
    d.add(FLAGS_MODE, at, 1, Value::UInt(u64::from(flags & 7)));
    d.end();
    let auth_seq = v.auth_seq();
    let item = d.add(PRIV_AUTH_SEQ, at + 1, 1, Value::UInt(u64::from(auth_seq)));
    d.begin(item);
    d.add(PRIV_AUTH, at + 1, 1, Value::UInt(u64::from(auth_seq >> 7)));
    d.add(PRIV_SEQ, at + 1, 1, Value::UInt(u64::from(auth_seq & 0x7f)));
    d.end();
    d.add(
        PRIV_IMPL,
        at + 2,
        1,
        Value::UInt(u64::from(v.implementation())),
    );
    let code = v.req_code();
    d.add(PRIV_REQCODE, at + 3, 1, Value::UInt(u64::from(code)));
    let err_items = v.err_items();
    d.add(PRIV_ERR, at + 4, 1, Value::UInt(u64::from(err_items >> 12)));
    d.add(
        PRIV_NUMITEMS,
        at + 4,
        2,
        Value::UInt(u64::from(err_items & 0x0fff)),
    );
    let mbz = v.mbz_item_size();
    d.add(PRIV_RESERVED, at + 6, 1, Value::UInt(u64::from(mbz >> 12)));
    d.add(
        PRIV_ITEMSIZE,
        at + 6,
        2,
        Value::UInt(u64::from(mbz & 0x0fff)),
    );
    let code_name = REQ_CODE_NAMES
        .iter()
        .find(|(k, _)| *k == u64::from(code))
        .map_or_else(|| format!("Unknown ({code})"), |(_, n)| (*n).to_string());
    d.append_info(&format!(
        ", {}, {code_name}",
        if response { "Response" } else { "Request" }
    ));
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_frame, with_patched, with_truncated};

    /// ntp.pcap frame 1: a client request with key ID and MAC.
    #[test]
    fn client_request() {
        with_frame("ntp.pcap", 1, |d| {
            assert_eq!(d.columns.protocol, "NTP");
            assert_eq!(d.columns.info, "NTP Version 4, client");
            assert_eq!(field(d, "ntp.flags"), "0x23");
            assert_eq!(field(d, "ntp.flags.mode"), "3");
            assert_eq!(field(d, "ntp.precision"), "32");
            assert_eq!(field(d, "ntp.reftime"), "NULL");
            assert_eq!(field(d, "ntp.xmt"), "Jul 25, 1987 21:08:33.007738396 UTC");
            assert_eq!(field(d, "ntp.keyid"), "00000008");
            assert_eq!(
                field(d, "ntp.mac"),
                "57ea530f6d74350cc5286bfec1ab8ca747c73584"
            );
        });
    }

    /// ntp.pcap frame 2: the server's answer, reference ID as text.
    #[test]
    fn server_reply() {
        with_frame("ntp.pcap", 2, |d| {
            assert_eq!(d.columns.info, "NTP Version 4, server");
            assert_eq!(field(d, "ntp.refid"), "53544550");
            assert_eq!(field(d, "ntp.rootdispersion"), "90");
            assert_eq!(field(d, "ntp.rec"), "Jun 19, 2017 14:12:09.516015118 UTC");
        });
    }

    /// ntp-control.pcap frame 4 (read status response) and ntp-mode7.pcap frame 1.
    #[test]
    fn control_and_private() {
        with_frame("ntp-control.pcap", 4, |d| {
            assert_eq!(d.columns.info, "NTP Version 2, control");
            assert_eq!(field(d, "ntp.ctrl.flags2"), "0x81");
            assert_eq!(
                field(d, "ntp.ctrl.associd"),
                "0,48829,48828,48827,48826,48825"
            );
        });
        with_frame("ntp-mode7.pcap", 1, |d| {
            assert_eq!(d.columns.info, "NTP Version 2, private, Request, AUTHINFO");
            assert_eq!(field(d, "ntp.priv.impl"), "3");
        });
    }

    #[test]
    fn truncated_header_is_noted() {
        // 42 bytes of headers, then 10 of the 48-byte NTP header.
        with_truncated("ntp.pcap", 1, 52, |d| {
            assert_eq!(field(d, "ntp.flags.mode"), "");
            assert!(d.columns.info.contains("NTP Version 4, client"));
            assert!(
                d.columns
                    .info
                    .contains("[Packet size limited during capture]")
            );
        });
    }

    #[test]
    fn impossible_control_count() {
        // ntp-control.pcap frame 4: Count says 0xffff data bytes.
        with_patched(
            "ntp-control.pcap",
            4,
            |b| {
                let at = 62 + 10;
                b[at] = 0xff;
                b[at + 1] = 0xff;
            },
            |d| {
                assert_eq!(field(d, "ntp.ctrl.count"), "65535");
                assert_eq!(d.columns.info, "NTP Version 2, control");
            },
        );
    }

    #[test]
    fn era_rule() {
        assert_eq!(super::timestamp_text((0, 0)), "NULL");
        // A clear top bit is era 1: 2036-02-07 06:28:16 UTC plus one second.
        assert_eq!(
            super::timestamp_text((1, 0)),
            "Feb  7, 2036 06:28:17.000000000 UTC"
        );
    }
}
