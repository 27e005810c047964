//! ICMP for IPv4 (RFC 792): echo with request/reply matching, errors with the quoted
//! datagram, and the other message types by name.

use super::checksum;
use super::context::{PacketContext, TransactionKey};
use super::field::FieldId;
use super::field::kinds::*;
use super::ipv4::{NetInfo, STATUS_NAMES};
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;

#[rustfmt::skip]
const TYPES: &[(u64, &str)] = &[
    (0, "Echo (ping) reply"), (3, "Destination unreachable"), (4, "Source quench (flow control)"),
    (5, "Redirect"), (8, "Echo (ping) request"), (9, "Router advertisement"),
    (10, "Router solicitation"), (11, "Time-to-live exceeded"), (12, "Parameter problem"),
    (13, "Timestamp request"), (14, "Timestamp reply"), (15, "Information request"),
    (16, "Information reply"), (17, "Address mask request"), (18, "Address mask reply"),
    (42, "Extended Echo request"), (43, "Extended Echo reply"),
];
#[rustfmt::skip]
const UNREACHABLE: &[(u64, &str)] = &[
    (0, "Network unreachable"), (1, "Host unreachable"), (2, "Protocol unreachable"),
    (3, "Port unreachable"), (4, "Fragmentation needed"), (5, "Source route failed"),
    (6, "Destination network unknown"), (7, "Destination host unknown"),
    (8, "Source host isolated"), (9, "Network administratively prohibited"),
    (10, "Host administratively prohibited"), (11, "Network unreachable for TOS"),
    (12, "Host unreachable for TOS"), (13, "Communication administratively filtered"),
    (14, "Host precedence violation"), (15, "Precedence cutoff in effect"),
];
const TIME_EXCEEDED: &[(u64, &str)] = &[
    (0, "Time to live exceeded in transit"),
    (1, "Fragment reassembly time exceeded"),
];
#[rustfmt::skip]
const REDIRECT: &[(u64, &str)] = &[
    (0, "Redirect for network"), (1, "Redirect for host"), (2, "Redirect for TOS and network"),
    (3, "Redirect for TOS and host"),
];

crate::define_fields! { after super::ipv6::END;
    ICMP = "icmp", "Internet Control Message Protocol", PROTO;
    TYPE = "icmp.type", "Type", dec_named(8, TYPES);
    CODE = "icmp.code", "Code", dec(8);
    CHECKSUM = "icmp.checksum", "Checksum", hex(16);
    CHECKSUM_STATUS = "icmp.checksum.status", "Checksum Status", named(8, STATUS_NAMES);
    IDENT = "icmp.ident", "Identifier (BE)", uint(16, super::field::Base::DecHex, 0, None);
    IDENT_LE = "icmp.ident_le", "Identifier (LE)", uint(16, super::field::Base::DecHex, 0, None);
    SEQ = "icmp.seq", "Sequence Number (BE)", uint(16, super::field::Base::DecHex, 0, None);
    SEQ_LE = "icmp.seq_le", "Sequence Number (LE)", uint(16, super::field::Base::DecHex, 0, None);
    RESP_TO = "icmp.resp_to", "Request frame", FRAME;
    RESP_IN = "icmp.resp_in", "Response frame", FRAME;
    RESPTIME = "icmp.resptime", "Response time", FLOAT;
    UNUSED = "icmp.unused", "Unused", BYTES;
    MTU = "icmp.mtu", "MTU of next hop", dec(16);
    REDIR_GW = "icmp.redir_gw", "Gateway Address", IPV4;
    NUM_ADDRS = "icmp.num_addrs", "Number of addresses", dec(8);
    ADDR_ENTRY_SIZE = "icmp.addr_entry_size", "Address entry size", dec(8);
    LIFETIME = "icmp.lifetime", "Lifetime", dec(16);
    ROUTER_ADDRESS = "icmp.router_address", "Router address", IPV4;
    PREF_LEVEL = "icmp.pref_level", "Preference level", int(32);
    ORIGINATE_TIMESTAMP = "icmp.originate_timestamp", "Originate Timestamp", dec(32);
    RECEIVE_TIMESTAMP = "icmp.receive_timestamp", "Receive Timestamp", dec(32);
    TRANSMIT_TIMESTAMP = "icmp.transmit_timestamp", "Transmit Timestamp", dec(32);
    ADDRESS_MASK = "icmp.address_mask", "Address Mask", IPV4;
    DATA_TIME = "icmp.data_time", "Timestamp from icmp data", ABS_TIME;
    DATA_TIME_RELATIVE = "icmp.data_time_relative", "Timestamp from icmp data (relative)", REL_TIME;
}

/// Router advertisement codes (RFC 1256, RFC 5944).
const RTRADVERT: &[(u64, &str)] = &[
    (0, "Normal router advertisement"),
    (16, "Does not route common traffic"),
];
/// RFC 8335's extended echo request codes (ICMPv6's too).
pub(crate) const EXTECHO: &[(u64, &str)] = &[(0, "No error")];
/// RFC 8335's extended echo reply codes (ICMPv6's too).
#[rustfmt::skip]
pub(crate) const EXTECHO_REPLY: &[(u64, &str)] = &[
    (0, "No error"), (1, "Malformed Query"), (2, "No Such Interface"),
    (3, "No Such Table Entry"), (4, "Multiple Interfaces Satisfy Query"),
];
#[rustfmt::skip]
const PARAMPROB: &[(u64, &str)] = &[
    (0, "IP header bad"), (1, "Required option missing"),
];
/// Milliseconds in a day: ICMP timestamps count from midnight UTC.
const MS_PER_DAY: u32 = 86_400_000;

/// The message type's name.
pub fn type_name(kind: u8) -> Option<&'static str> {
    super::value::value_name(Some(TYPES), u64::from(kind))
}

fn code_name(kind: u8, code: u8) -> Option<&'static str> {
    let table = match kind {
        3 => UNREACHABLE,
        5 => REDIRECT,
        9 => RTRADVERT,
        11 => TIME_EXCEEDED,
        12 => PARAMPROB,
        42 => EXTECHO,
        43 => EXTECHO_REPLY,
        _ => return None,
    };
    super::value::value_name(Some(table), u64::from(code))
}

/// The types whose Info names the code too (tshark writes "Unknown code: N" for a
/// code it does not know).
fn names_code(kind: u8) -> bool {
    matches!(kind, 3 | 5 | 9 | 11 | 12 | 42 | 43)
}

/// The type's name as the Info column and the type item say it: tshark calls every
/// router advertisement of code 0 or 16 a Mobile IP one.
fn shown_type_name(kind: u8, code: u8) -> &'static str {
    match (kind, code) {
        (9, 0 | 16) => "Mobile IP Advertisement",
        _ => type_name(kind).unwrap_or("Unknown ICMP (obsolete or malformed?)"),
    }
}

/// tshark's Info: the type padded to 20 characters, then the code's name for the
/// types that have one.
fn info_text(kind: u8, code: u8, cname: Option<&str>) -> String {
    let tname = shown_type_name(kind, code);
    if !names_code(kind) {
        return format!("{tname:<20}");
    }
    match cname {
        Some(c) => format!("{tname:<20} ({c})"),
        None => format!("{tname:<20} (Unknown code: {code})"),
    }
}

/// A time of day in milliseconds as tshark writes it ("1 hour, 2 minutes,
/// 3.456 seconds").
fn msecs_text(ms: u32) -> String {
    let (hours, minutes) = (ms / 3_600_000, ms / 60_000 % 60);
    let (secs, frac) = (ms / 1000 % 60, ms % 1000);
    let mut parts = Vec::new();
    let plural = |n: u32, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    if hours > 0 {
        parts.push(plural(hours, "hour"));
    }
    if minutes > 0 {
        parts.push(plural(minutes, "minute"));
    }
    if frac != 0 {
        parts.push(format!("{secs}.{frac:03} seconds"));
    } else if secs > 0 || parts.is_empty() {
        parts.push(plural(secs, "second"));
    }
    parts.join(", ")
}

/// Which byte order a timestamp was most likely written in, judged by how close each
/// reading comes to the frame's own time of day (`now_ms`): senders disagree, so
/// tshark guesses, and so do we, the same way. The high bit marks a non-standard
/// value (RFC 792) and is cleared first.
fn best_guess_msecs(raw: [u8; 4], now_ms: u32) -> u32 {
    let be = u32::from_be_bytes(raw) & 0x7fff_ffff;
    let le = u32::from_le_bytes(raw) & 0x7fff_ffff;
    match (be < MS_PER_DAY, le < MS_PER_DAY) {
        (true, false) => be,
        (false, true) => le,
        (true, true) => {
            // Near midnight a small value may belong to the next day.
            let roll = |t: u32| {
                if t < now_ms && t <= MS_PER_DAY / 4 && now_ms >= MS_PER_DAY - MS_PER_DAY / 4 {
                    t + MS_PER_DAY
                } else {
                    t
                }
            };
            if roll(be).wrapping_sub(now_ms) < roll(le).wrapping_sub(now_ms) {
                be
            } else {
                le
            }
        }
        (false, false) => {
            if be.wrapping_sub(now_ms) < le.wrapping_sub(now_ms) {
                be
            } else {
                le
            }
        }
    }
}

/// The field ids and names of the header ICMP and ICMPv6 share (type, code,
/// checksum), and of the echo reply's link to its request.
pub(crate) struct Common {
    /// The protocol item.
    pub proto: FieldId,
    /// The layer name (`icmp`) and the protocol column (`ICMP`).
    pub layer: &'static str,
    /// The protocol column, also the name of a truncated header's layer.
    pub name: &'static str,
    /// `*.type`, `*.code`, `*.checksum`, `*.checksum.status`, `*.resp_to`.
    pub kind: FieldId,
    /// See `kind`.
    pub code: FieldId,
    /// See `kind`.
    pub checksum: FieldId,
    /// See `kind`.
    pub checksum_status: FieldId,
    /// See `kind`.
    pub resp_to: FieldId,
    /// A request's link to its reply (`*.resp_in`), shown by a second pass.
    pub resp_in: FieldId,
    /// A reply's time since its request (`*.resptime`), and its label's words.
    pub resptime: FieldId,
    /// See `resptime`.
    pub resptime_label: &'static str,
    /// The IP protocol number, which keys echo transactions.
    pub ip_proto: u8,
    /// ICMP labels the type as `Type: 8 (Echo (ping) request)`, ICMPv6 as a named value.
    pub number_first: bool,
}

/// The header `begin` read.
pub(crate) struct Header<'a> {
    /// The message type.
    pub kind: u8,
    /// The message code.
    pub code: u8,
    /// The code's name, if the type names its codes.
    pub code_name: Option<&'static str>,
    /// The whole message (as much of it as was captured).
    pub message: &'a [u8],
    /// The checksum field.
    pub sum: u16,
}

/// Adds the protocol item and opens it, then the type, the code (named by
/// `code_name`) and the checksum, verified over the message from `sum_start` (the
/// pseudo-header sum, for ICMPv6; given the message length). `None` (with a note)
/// when the four header bytes are not all there.
pub(crate) fn begin<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    data: &'a [u8],
    net: &NetInfo,
    common: &Common,
    code_name: fn(u8, u8) -> Option<&'static str>,
    sum_start: impl FnOnce(usize) -> u32,
) -> Option<Header<'a>> {
    let at = net.payload_offset;
    let (Some(kind), Some(code), Some(sum)) = (
        bytes::u8_at(data, at),
        bytes::u8_at(data, at + 1),
        bytes::be_u16(data, at + 2),
    ) else {
        super::truncated(d, ctx, data, at, common.name);
        return None;
    };
    let message = bytes::clamped(data, at, net.payload_len);
    let complete = message.len() == net.payload_len && !net.fragment;
    let item = d.add(common.proto, at, message.len(), Value::None);
    d.push_layer(common.layer);
    d.set_protocol(common.name);
    d.begin(item);
    if common.number_first {
        d.add_labeled(common.kind, at, 1, Value::UInt(u64::from(kind)), || {
            format!("Type: {kind} ({})", shown_type_name(kind, code))
        });
    } else {
        d.add(common.kind, at, 1, Value::UInt(u64::from(kind)));
    }
    let cname = code_name(kind, code);
    d.add_labeled(
        common.code,
        at + 1,
        1,
        Value::UInt(u64::from(code)),
        || match cname {
            Some(name) => format!("Code: {code} ({name})"),
            None => format!("Code: {code}"),
        },
    );
    let start = sum_start(message.len());
    let status = if common.ip_proto == 1 && (!complete || d.in_error) {
        // ICMP checks no quoted message, nor one cut short or fragmented, and says why.
        let why = if d.in_error {
            "in ICMP error packet"
        } else {
            "fragmented datagram"
        };
        d.add_labeled(
            common.checksum,
            at + 2,
            2,
            Value::UInt(u64::from(sum)),
            || format!("Checksum: 0x{sum:04x} [unverified] [{why}]"),
        );
        2
    } else if common.ip_proto == 1 {
        checksum::add_in_cksum(d, common.checksum, (at + 2, sum), message, "ICMP")
    } else {
        checksum::add_checked(d, common.checksum, (at + 2, sum), complete, start, message)
    };
    d.add_generated(common.checksum_status, at + 2, 0, Value::UInt(status));
    Some(Header {
        kind,
        code,
        code_name: cname,
        message,
        sum,
    })
}

/// Matches an echo request and its reply (`is_reply`) by identifier and sequence
/// number, and on the reply adds the link to the request's frame, which it returns.
pub(crate) fn echo_request(
    d: &mut Dissection<'_>,
    ctx: &PacketContext<'_>,
    net: &NetInfo,
    common: &Common,
    (id, seq, sum): (u16, u16, u16),
    is_reply: bool,
) -> Option<u32> {
    let (requester, responder) = if is_reply {
        (net.dst, net.src)
    } else {
        (net.src, net.dst)
    };
    let key = TransactionKey {
        proto: common.ip_proto,
        requester,
        responder,
        id,
        seq,
        tag: reply_checksum(common.ip_proto, sum, is_reply),
    };
    let request = ctx
        .analysis
        .and_then(|a| a.transaction(ctx.number, &key, is_reply));
    let linked = request?;
    if is_reply {
        d.add_generated(common.resp_to, 0, 0, Value::Frame(linked.frame));
        // The time since the request, in milliseconds to three places.
        let ms = ctx.record.ts_nanos.saturating_sub(linked.ts_nanos) as f64 / 1e6;
        let label = common.resptime_label;
        d.add_generated_labeled(common.resptime, Value::Float(ms), || {
            format!("{label}: {ms:.3} ms")
        });
    } else {
        d.add_generated(common.resp_in, 0, 0, Value::Frame(linked.frame));
    }
    Some(linked.frame)
}

/// The checksum an echo's reply carries, which tshark keys the pair by with its
/// identifier and sequence number: a reply's own; for a request, its checksum with the
/// type's change undone (ICMP's 8 -> 0 adds 0x0800 to the checksum, ICMPv6's 128 ->
/// 129 takes 0x0100 off), in ones' complement. A request and a reply that differ in
/// anything else then do not pair, as in tshark.
fn reply_checksum(ip_proto: u8, sum: u16, is_reply: bool) -> u16 {
    let diff: u16 = if ip_proto == 1 { 0x0800 } else { 0x0100 };
    let shifted = |a: u16, b: u16| {
        checksum::finish(checksum::add(0, &[!a, !b].map(u16::to_be_bytes).concat()))
    };
    match (ip_proto, is_reply) {
        (1, true) => {
            if sum == 0xffff {
                0
            } else {
                sum
            }
        }
        (1, false) => shifted(sum, diff),
        (_, false) => sum,
        (_, true) => match shifted(sum, diff) {
            0 => 0xffff,
            key => key,
        },
    }
}

/// The Info column's note on an echo's link: ` (request in N)` on a reply, and on a
/// request, when a second pass knows it, ` (reply in N)`.
pub(crate) fn echo_note(linked: Option<u32>, is_reply: bool) -> String {
    match (linked, is_reply) {
        (Some(f), true) => format!(" (request in {f})"),
        (Some(f), false) => format!(" (reply in {f})"),
        (None, _) => String::new(),
    }
}

/// Closes an error message's header and names it, then shows the datagram it
/// quotes (from `quoted_at`) as an IP packet of `ip_version`, perhaps truncated.
pub(crate) fn quoted_error<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    data: &'a [u8],
    header: &Header<'_>,
    type_name: &'static str,
    (quoted_at, ip_version): (usize, u8),
) {
    let cname = header.code_name;
    d.set_info(|| match cname {
        Some(c) => format!("{type_name} ({c})"),
        None => type_name.to_string(),
    });
    // The quoted datagram sits inside the ICMP tree, as tshark shows it.
    super::quoted::dissect(d, ctx, data, quoted_at, ip_version);
    d.end();
}

/// The fields ICMP shares with ICMPv6.
const COMMON: Common = Common {
    proto: ICMP,
    layer: "icmp",
    name: "ICMP",
    kind: TYPE,
    code: CODE,
    checksum: CHECKSUM,
    checksum_status: CHECKSUM_STATUS,
    resp_to: RESP_TO,
    resp_in: RESP_IN,
    resptime: RESPTIME,
    resptime_label: "Response time",
    ip_proto: 1,
    number_first: true,
};

/// Dissects an ICMP message.
pub fn dissect<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, data: &'a [u8], net: &NetInfo) {
    let Some(header) = begin(d, ctx, data, net, &COMMON, code_name, |_| 0) else {
        return;
    };
    let (at, kind, code) = (net.payload_offset, header.kind, header.code);
    let tname = shown_type_name(kind, code);
    match kind {
        0 | 8 | 13 | 14 | 15 | 16 | 17 | 18 => {
            let id = bytes::be_u16(data, at + 4).unwrap_or(0);
            let seq = bytes::be_u16(data, at + 6).unwrap_or(0);
            d.add(IDENT, at + 4, 2, Value::UInt(u64::from(id)));
            d.add(IDENT_LE, at + 4, 2, Value::UInt(u64::from(id.swap_bytes())));
            d.add(SEQ, at + 6, 2, Value::UInt(u64::from(seq)));
            d.add(SEQ_LE, at + 6, 2, Value::UInt(u64::from(seq.swap_bytes())));
            let request = if kind == 0 || kind == 8 {
                echo_request(d, ctx, net, &COMMON, (id, seq, header.sum), kind == 0)
            } else {
                None
            };
            match kind {
                13 | 14 => timestamps(d, ctx, data, at),
                17 | 18 => {
                    if let Some(mask) = bytes::array::<4>(data, at + 8) {
                        d.add(ADDRESS_MASK, at + 8, 4, Value::Ipv4(mask));
                    }
                }
                // The data of the message alone (a quoted echo may be followed by
                // more of the error), in ICMP's own tree.
                0 | 8 => {
                    let skip = echo_timestamp(d, ctx, data, at + 8);
                    let rest = bytes::tail(header.message, 8 + skip);
                    super::data::dissect_nested(d, rest, at + 8 + skip);
                }
                _ => super::data::dissect_nested(d, bytes::tail(header.message, 8), at + 8),
            }
            d.end();
            let ttl = net.ttl;
            d.set_info(|| {
                let mut info = format!(
                    "{tname:<20} id=0x{id:04x}, seq={seq}/{}, ttl={ttl}",
                    seq.swap_bytes()
                );
                if kind == 0 || kind == 8 {
                    info.push_str(&echo_note(request, kind == 0));
                }
                info
            });
        }
        3 | 4 | 5 | 11 | 12 => {
            match kind {
                5 => {
                    if let Some(gw) = bytes::array::<4>(data, at + 4) {
                        d.add(REDIR_GW, at + 4, 4, Value::Ipv4(gw));
                    }
                }
                // Source quench has nothing tshark reads in its second word.
                4 => {}
                _ => super::icmp_ext::error_word(d, data, at, kind, code),
            }
            // ICMP pads the type to 20 characters and names unknown codes.
            d.set_info(|| info_text(kind, code, header.code_name));
            // The quoted datagram sits inside the ICMP tree, shown as an IPv4 packet
            // (perhaps truncated) of the length tshark gives it, then the extensions.
            let reported = net.payload_len;
            let quoted = super::icmp_ext::quoted_len(data, at, kind, reported);
            let quoted_data = data.get(..at + 8 + quoted).unwrap_or(data);
            super::quoted::dissect(d, ctx, quoted_data, at + 8, 4);
            let ext_start = d.item_count();
            super::icmp_ext::after_error(d, ctx, data, (at, kind), reported);
            d.end();
            // The extensions belong to ICMP's tree, ahead of the quoted datagram's
            // payload that tshark shows at the top level (and of any error mark).
            let ext_end = d.next_top_level(ext_start);
            d.move_span_behind(ext_start, ext_end, ICMP);
        }
        42 | 43 => {
            super::icmp_ext::extended_echo(
                d,
                ctx,
                data,
                (at, kind == 42),
                net.payload_len,
                &super::icmp_ext::ICMP_ECHO,
            );
            d.end();
            d.set_info(|| info_text(kind, code, header.code_name));
        }
        9 => {
            router_advertisement(d, data, at);
            d.end();
            d.set_info(|| info_text(kind, code, header.code_name));
        }
        10 => {
            d.end();
            d.set_info(|| info_text(kind, code, None));
        }
        _ => {
            d.end();
            d.set_info(|| info_text(kind, code, header.code_name));
            super::data::dissect(d, data, at + 4);
        }
    }
}

/// The send time ping programs put at the start of an echo's data (a 32-bit
/// timeval in either byte order), as tshark 4.0 recognises it: seconds no earlier
/// than the frame's and less than a day later, microseconds below a million. Returns
/// how many bytes it took (0 or 8).
fn echo_timestamp(
    d: &mut Dissection<'_>,
    ctx: &PacketContext<'_>,
    data: &[u8],
    at: usize,
) -> usize {
    let (Some(raw_secs), Some(raw_usecs)) =
        (bytes::array::<4>(data, at), bytes::array::<4>(data, at + 4))
    else {
        return 0;
    };
    // tshark compares the low 32 bits of the seconds, as unsigned.
    let frame_secs = ctx
        .record
        .ts_nanos
        .div_euclid(1_000_000_000)
        .rem_euclid(1 << 32);
    let frame_secs = u32::try_from(frame_secs).unwrap_or(0);
    let fits = |secs: u32, usecs: u32| secs.wrapping_sub(frame_secs) < 86_400 && usecs < 1_000_000;
    let (mut secs, mut usecs) = (u32::from_be_bytes(raw_secs), u32::from_be_bytes(raw_usecs));
    if !fits(secs, usecs) {
        (secs, usecs) = (u32::from_le_bytes(raw_secs), u32::from_le_bytes(raw_usecs));
    }
    if !fits(secs, usecs) {
        return 0;
    }
    let sent = i64::from(secs) * 1_000_000_000 + i64::from(usecs) * 1000;
    d.add(DATA_TIME, at, 8, Value::Time(sent));
    d.add_generated(
        DATA_TIME_RELATIVE,
        at,
        8,
        Value::Time(ctx.record.ts_nanos.saturating_sub(sent)),
    );
    8
}

/// A router advertisement (RFC 1256): its addresses with their preference levels
/// when each entry is two words, else the rest as data.
fn router_advertisement<'a>(d: &mut Dissection<'a>, data: &'a [u8], at: usize) {
    let (Some(count), Some(size), Some(lifetime)) = (
        bytes::u8_at(data, at + 4),
        bytes::u8_at(data, at + 5),
        bytes::be_u16(data, at + 6),
    ) else {
        return;
    };
    d.add(NUM_ADDRS, at + 4, 1, Value::UInt(u64::from(count)));
    d.add(ADDR_ENTRY_SIZE, at + 5, 1, Value::UInt(u64::from(size)));
    d.add_labeled(
        LIFETIME,
        at + 6,
        2,
        Value::UInt(u64::from(lifetime)),
        || {
            format!(
                "Lifetime: {lifetime} ({})",
                super::value::duration_text(u32::from(lifetime))
            )
        },
    );
    if size != 2 {
        super::data::dissect(d, data, at + 8);
        return;
    }
    for i in 0..usize::from(count) {
        let entry = at + 8 + i * 8;
        let (Some(addr), Some(pref)) = (
            bytes::array::<4>(data, entry),
            bytes::be_u32(data, entry + 4),
        ) else {
            break;
        };
        d.add(ROUTER_ADDRESS, entry, 4, Value::Ipv4(addr));
        d.add(
            PREF_LEVEL,
            entry + 4,
            4,
            Value::Int(i64::from(pref.cast_signed())),
        );
    }
}

/// A timestamp request or reply's three times, each labelled with the time of day
/// tshark guesses it means.
fn timestamps<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, data: &'a [u8], at: usize) {
    let day_ms = ctx
        .record
        .ts_nanos
        .div_euclid(1_000_000)
        .rem_euclid(i64::from(MS_PER_DAY));
    let now_ms = u32::try_from(day_ms).unwrap_or(0);
    let fields = [
        (ORIGINATE_TIMESTAMP, "Originate Timestamp"),
        (RECEIVE_TIMESTAMP, "Receive Timestamp"),
        (TRANSMIT_TIMESTAMP, "Transmit Timestamp"),
    ];
    for (i, (field, name)) in fields.into_iter().enumerate() {
        let pos = at + 8 + 4 * i;
        let Some(raw) = bytes::array::<4>(data, pos) else {
            break;
        };
        let value = u32::from_be_bytes(raw);
        d.add_labeled(field, pos, 4, Value::UInt(u64::from(value)), || {
            format!(
                "{name}: {value} ({} after midnight UTC)",
                msecs_text(best_guess_msecs(raw, now_ms))
            )
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_frame, with_truncated};

    /// icmp_arp_ping.pcap frame 9: an echo request.
    #[test]
    fn echo_request() {
        with_frame("icmp_arp_ping.pcap", 9, |d| {
            assert_eq!(field(d, "icmp.type"), "8");
            assert_eq!(field(d, "icmp.code"), "0");
            assert_eq!(field(d, "icmp.checksum.status"), "1");
            assert_eq!(field(d, "icmp.ident"), "13741");
            assert_eq!(field(d, "icmp.seq"), "1");
            assert_eq!(
                d.columns.info,
                "Echo (ping) request  id=0x35ad, seq=1/256, ttl=64"
            );
        });
    }

    #[test]
    fn truncated_message() {
        with_truncated("icmp_arp_ping.pcap", 9, 36, |d| {
            assert_eq!(field(d, "icmp.type"), "");
            assert!(d.has(crate::dissect::ws::SHORT));
        });
    }

    /// icmp_errors.pcap frame 2: a router's time exceeded quoting a traceroute probe.
    #[test]
    fn time_exceeded_quotes_the_probe_inside_the_icmp_tree() {
        with_frame("icmp_errors.pcap", 2, |d| {
            assert_eq!(
                d.columns.info,
                "Time-to-live exceeded (Time to live exceeded in transit)"
            );
            assert_eq!(d.layers_joined(), "eth:ethertype:ip:icmp:ip:udp:data");
            assert_eq!(field(d, "ip.ttl"), "64,1");
            assert_eq!(field(d, "udp.dstport"), "33434");
            // The quoted TTL note is shown, not counted.
            assert!(d.experts.is_empty());
            let icmp_depth = d
                .nodes
                .iter()
                .find(|n| n.field == super::ICMP)
                .map(|n| n.depth);
            let quoted_ip = d
                .nodes
                .iter()
                .filter(|n| n.field == crate::dissect::ipv4::IP)
                .nth(1);
            assert_eq!(quoted_ip.map(|n| n.depth), icmp_depth.map(|x| x + 1));
        });
    }

    /// icmp_errors.pcap frames 11 and 14: a timestamp request and a router
    /// advertisement.
    #[test]
    fn timestamp_and_router_advertisement() {
        with_frame("icmp_errors.pcap", 11, |d| {
            assert_eq!(field(d, "icmp.originate_timestamp"), "3600000");
            let label = d
                .nodes
                .iter()
                .find(|n| n.field == super::ORIGINATE_TIMESTAMP)
                .map(|n| n.label());
            // tshark reads it little-endian: closer to the frame's time of day.
            assert_eq!(
                label.as_deref(),
                Some(
                    "Originate Timestamp: 3600000 (4 hours, 20 minutes, 11.392 seconds after midnight UTC)"
                )
            );
            assert_eq!(field(d, "data.len"), "");
        });
        with_frame("icmp_errors.pcap", 14, |d| {
            assert_eq!(
                d.columns.info,
                "Mobile IP Advertisement (Normal router advertisement)"
            );
            assert_eq!(field(d, "icmp.lifetime"), "1800");
            assert_eq!(field(d, "icmp.router_address"), "10.20.1.254");
            assert_eq!(field(d, "icmp.pref_level"), "0");
        });
        // A cut advertisement: no address, no panic.
        with_truncated("icmp_errors.pcap", 14, 44, |d| {
            assert_eq!(field(d, "icmp.router_address"), "");
        });
    }

    /// icmp_arp_ping.pcap frame 9: iputils' send time in the echo data.
    #[test]
    fn echo_data_timestamp() {
        with_frame("icmp_arp_ping.pcap", 9, |d| {
            assert_eq!(field(d, "icmp.data_time_relative"), "0.617910000");
            assert_eq!(field(d, "data.len"), "48");
        });
    }
}

#[cfg(test)]
mod echo_key_tests {
    use super::reply_checksum;

    /// icmp_arp_ping.pcap frames 9 and 10: a ping and its reply key alike.
    #[test]
    fn a_request_keys_by_the_checksum_its_reply_carries() {
        assert_eq!(reply_checksum(1, 0xc182, false), 0xc982);
        assert_eq!(reply_checksum(1, 0xc982, true), 0xc982);
    }

    /// Practical Packet Analysis' activeosfingerprinting.pcapng frames 13 and 14: nmap's
    /// echo request with code 9 and its reply (code 0) do not pair, as in tshark.
    #[test]
    fn a_probe_with_another_code_does_not_pair() {
        assert_ne!(
            reply_checksum(1, 0xb8eb, false),
            reply_checksum(1, 0xc0f4, true)
        );
    }

    /// ICMPv6 keys by the request's checksum; the reply's type is one more.
    #[test]
    fn icmpv6_undoes_the_type_on_the_reply() {
        let request = 0x1234;
        // The reply's type adds 0x0100 to the sum: its checksum is 0x0100 less.
        let reply = 0x1134;
        assert_eq!(reply_checksum(58, request, false), request);
        assert_eq!(reply_checksum(58, reply, true), request);
    }
}
