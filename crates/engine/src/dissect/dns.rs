//! DNS (RFC 1035) over UDP and TCP: header, questions and resource records (A, AAAA,
//! CNAME, PTR, MX, NS, SOA, TXT, OPT), with name compression followed for at most
//! [`MAX_POINTER_JUMPS`] pointers so that a pointer loop cannot hang us.

use super::context::PacketContext;
use super::field::kinds::*;
use super::field::{Base, FieldId};
use super::ipv4::NetInfo;
use super::tree::Dissection;
use super::value::{Value, ipv4_text, ipv6_text};
use crate::bytes;
use std::borrow::Cow;

/// Compression pointers followed in one name before it is declared a loop.
pub const MAX_POINTER_JUMPS: usize = 64;
/// Longest name text we build (RFC 1035 allows 255 octets on the wire).
pub const MAX_NAME_LEN: usize = 1024;
/// Records dissected per section at most (a lying count must not make us loop long).
const MAX_RECORDS: usize = 512;

/// RR type names.
/// Record types by their short names (the Info column), as tshark names them.
#[rustfmt::skip]
pub const TYPES: &[(u64, &str)] = &[
    (1, "A"), (2, "NS"), (3, "MD"), (4, "MF"), (5, "CNAME"), (6, "SOA"), (7, "MB"), (8, "MG"), (9, "MR"), (10, "NULL"), (11, "WKS"), (12, "PTR"), (13, "HINFO"), (14, "MINFO"), (15, "MX"), (16, "TXT"), (17, "RP"), (18, "AFSDB"), (24, "SIG"), (25, "KEY"), (28, "AAAA"), (29, "LOC"), (33, "SRV"), (35, "NAPTR"), (36, "KX"), (37, "CERT"), (39, "DNAME"), (41, "OPT"), (42, "APL"), (43, "DS"), (44, "SSHFP"), (45, "IPSECKEY"), (46, "RRSIG"), (47, "NSEC"), (48, "DNSKEY"), (49, "DHCID"), (50, "NSEC3"), (51, "NSEC3PARAM"), (52, "TLSA"), (55, "HIP"), (59, "CDS"), (60, "CDNSKEY"), (61, "OPENPGPKEY"), (62, "CSYNC"), (64, "SVCB"), (65, "HTTPS"), (99, "SPF"), (249, "TKEY"), (250, "TSIG"), (251, "IXFR"), (252, "AXFR"), (253, "MAILA"), (254, "MAILB"), (255, "ANY"), (256, "URI"), (257, "CAA"),
];
/// The same types as the tree labels name them (`A (Host Address)`); a filter names a
/// type by these words, as in tshark.
#[rustfmt::skip]
const TYPE_DESCRIPTIONS: &[(u64, &str)] = &[
    (1, "A (Host Address)"),
    (2, "NS (authoritative Name Server)"),
    (3, "MD (Mail Destination)"),
    (4, "MF (Mail Forwarder)"),
    (5, "CNAME (Canonical NAME for an alias)"),
    (6, "SOA (Start Of a zone of Authority)"),
    (7, "MB (MailBox domain name)"),
    (8, "MG (Mail Group member)"),
    (9, "MR (Mail Rename domain)"),
    (10, "NULL RR"),
    (11, "WKS (Well Known Service)"),
    (12, "PTR (domain name PoinTeR)"),
    (13, "HINFO (host information)"),
    (14, "MINFO (Mailbox or mail list information)"),
    (15, "MX (Mail eXchange)"),
    (16, "TXT (Text strings)"),
    (17, "RP (Responsible Person)"),
    (18, "AFSDB (AFS Data Base location)"),
    (24, "SIG (security signature)"),
    (25, "KEY (security key)"),
    (28, "AAAA (IPv6 Address)"),
    (29, "LOC (Location Information)"),
    (33, "SRV (Server Selection)"),
    (35, "NAPTR (Naming Authority Pointer)"),
    (36, "KX (Key Exchanger)"),
    (37, "CERT"),
    (39, "DNAME"),
    (41, "OPT"),
    (42, "APL"),
    (43, "DS (Delegation Signer)"),
    (44, "SSHFP (SSH Key Fingerprint)"),
    (45, "IPSECKEY"),
    (46, "RRSIG (Resource Record Signature)"),
    (47, "NSEC (Next Secure)"),
    (48, "DNSKEY (DNS Public Key)"),
    (49, "DHCID"),
    (50, "NSEC3"),
    (51, "NSEC3PARAM"),
    (52, "TLSA"),
    (55, "HIP (Host Identity Protocol)"),
    (59, "CDS (Child DS)"),
    (60, "CDNSKEY (DNSKEY(s) the Child wants reflected in DS)"),
    (61, "OPENPGPKEY (OpenPGP Key)"),
    (62, "CSYNC (Child-to-Parent Synchronization)"),
    (64, "SVCB (General Purpose Service Endpoints)"),
    (65, "HTTPS (HTTPS Specific Service Endpoints)"),
    (99, "SPF"),
    (249, "TKEY (Transaction Key)"),
    (250, "TSIG (Transaction Signature)"),
    (251, "IXFR (incremental transfer)"),
    (252, "AXFR (transfer of an entire zone)"),
    (253, "MAILB (mailbox-related RRs)"),
    (254, "MAILA (mail agent RRs)"),
    (255, "* (A request for all records the server/cache has available)"),
    (256, "URI"),
    (257, "CAA (Certification Authority Restriction)"),
];
/// EDNS(0) option codes, as tshark names them.
#[rustfmt::skip]
const OPTION_CODES: &[(u64, &str)] = &[
    (3, "NSID - Name Server Identifier"), (5, "DAU - DNSSEC Algorithm Understood (RFC6975)"),
    (6, "DHU - DS Hash Understood (RFC6975)"), (7, "N3U - NSEC3 Hash Understood (RFC6975)"),
    (8, "CSUBNET - Client subnet"), (9, "EDNS EXPIRE (RFC7314)"), (10, "COOKIE"),
    (11, "EDNS TCP Keepalive"), (12, "PADDING"), (13, "CHAIN"),
];
const CLASSES: &[(u64, &str)] = &[(1, "IN"), (3, "CH"), (4, "HS"), (255, "ANY")];
#[rustfmt::skip]
const OPCODES: &[(u64, &str)] = &[
    (0, "Standard query"), (1, "Inverse query"), (2, "Server status request"),
    (4, "Zone change notification"), (5, "Dynamic update"),
];
#[rustfmt::skip]
const RCODES: &[(u64, &str)] = &[
    (0, "No error"), (1, "Format error"), (2, "Server failure"), (3, "No such name"),
    (4, "Not implemented"), (5, "Refused"), (6, "Name exists"), (7, "RRset exists"),
    (8, "RRset does not exist"), (9, "Not authoritative"), (10, "Name out of zone"),
];
const RESPONSE: &[(u64, &str)] = &[(0, "Message is a query"), (1, "Message is a response")];

crate::define_fields! { after super::teach::END;
    DNS = "dns", "Domain Name System", PROTO;
    LENGTH = "dns.length", "Length", dec(16);
    ID = "dns.id", "Transaction ID", hex(16);
    FLAGS = "dns.flags", "Flags", hex(16);
    FLAGS_RESPONSE = "dns.flags.response", "Response", bool_words(16, 0x8000, &["Message is a response", "Message is a query"]);
    FLAGS_OPCODE = "dns.flags.opcode", "Opcode", uint(16, Base::Dec, 0x7800, Some(OPCODES));
    FLAGS_AUTHORITATIVE = "dns.flags.authoritative", "Authoritative", bool_words(16, 0x0400, &["Server is an authority for domain", "Server is not an authority for domain"]);
    FLAGS_TRUNCATED = "dns.flags.truncated", "Truncated", bool_words(16, 0x0200, &["Message is truncated", "Message is not truncated"]);
    FLAGS_RECDESIRED = "dns.flags.recdesired", "Recursion desired", bool_words(16, 0x0100, &["Do query recursively", "Don't do query recursively"]);
    FLAGS_RECAVAIL = "dns.flags.recavail", "Recursion available", bool_words(16, 0x0080, &["Server can do recursive queries", "Server can't do recursive queries"]);
    FLAGS_Z = "dns.flags.z", "Z", flag(16, 0x0040);
    FLAGS_AUTHENTICATED = "dns.flags.authenticated", "Answer authenticated", flag(16, 0x0020);
    FLAGS_CHECKDISABLE = "dns.flags.checkdisable", "Non-authenticated data", flag(16, 0x0010);
    FLAGS_RCODE = "dns.flags.rcode", "Reply code", uint(16, Base::Dec, 0x000f, Some(RCODES));
    COUNT_QUERIES = "dns.count.queries", "Questions", dec(16);
    COUNT_ANSWERS = "dns.count.answers", "Answer RRs", dec(16);
    COUNT_AUTH_RR = "dns.count.auth_rr", "Authority RRs", dec(16);
    COUNT_ADD_RR = "dns.count.add_rr", "Additional RRs", dec(16);
    QRY_NAME = "dns.qry.name", "Name", STR;
    QRY_NAME_LEN = "dns.qry.name.len", "Name Length", dec(16);
    COUNT_LABELS = "dns.count.labels", "Label Count", dec(16);
    QRY_TYPE = "dns.qry.type", "Type", dec_named(16, TYPE_DESCRIPTIONS);
    QRY_CLASS = "dns.qry.class", "Class", hex_named(16, CLASSES);
    RESP_NAME = "dns.resp.name", "Name", STR;
    RESP_TYPE = "dns.resp.type", "Type", dec_named(16, TYPE_DESCRIPTIONS);
    RESP_CLASS = "dns.resp.class", "Class", hex_named(16, CLASSES);
    RESP_TTL = "dns.resp.ttl", "Time to live", dec(32);
    RESP_LEN = "dns.resp.len", "Data length", dec(16);
    A = "dns.a", "Address", IPV4;
    AAAA = "dns.aaaa", "AAAA Address", IPV6;
    CNAME = "dns.cname", "CNAME", STR;
    PTR = "dns.ptr.domain_name", "Domain Name", STR;
    NSEC_NEXT = "dns.nsec.next_domain_name", "Next Domain Name", STR;
    NS = "dns.ns", "Name Server", STR;
    MX_PREFERENCE = "dns.mx.preference", "Preference", dec(16);
    MX_EXCHANGE = "dns.mx.mail_exchange", "Mail Exchange", STR;
    TXT = "dns.txt", "TXT", STR;
    TXT_LENGTH = "dns.txt.length", "TXT Length", dec(8);
    SOA_MNAME = "dns.soa.mname", "Primary name server", STR;
    SOA_RNAME = "dns.soa.rname", "Responsible authority's mailbox", STR;
    SOA_SERIAL = "dns.soa.serial_number", "Serial Number", dec(32);
    RR_UDP_PAYLOAD_SIZE = "dns.rr.udp_payload_size", "UDP payload size", dec(16);
    RESP_EXT_RCODE = "dns.resp.ext_rcode", "Higher bits in extended RCODE", hex(8);
    RESP_EDNS0_VERSION = "dns.resp.edns0_version", "EDNS0 version", dec(8);
    RESP_Z = "dns.resp.z", "Z", hex(16);
    RESP_Z_DO = "dns.resp.z.do", "DO bit", flag(16, 0x8000);
    RESP_Z_RESERVED = "dns.resp.z.reserved", "Reserved", uint(16, Base::Hex, 0x7fff, None);
    OPT = "dns.opt", "Option", NONE;
    OPT_CODE = "dns.opt.code", "Option Code", dec_named(16, OPTION_CODES);
    OPT_LEN = "dns.opt.len", "Option Length", dec(16);
    OPT_DATA = "dns.opt.data", "Option Data", BYTES;
    OPT_COOKIE_CLIENT = "dns.opt.cookie.client", "Client Cookie", BYTES;
    OPT_COOKIE_SERVER = "dns.opt.cookie.server", "Server Cookie", BYTES;
    RESPONSE_TO = "dns.response_to", "Request In", FRAME;
    RESPONSE_IN = "dns.response_in", "Response In", FRAME;
    TIME = "dns.time", "Time", REL_TIME;
    QUERY = "dns.qry", "Queries", NONE;
    ANSWER = "dns.answer", "Answers", NONE;
    MDNS = "mdns", "Multicast Domain Name System", PROTO;
    LLMNR = "llmnr", "Link-local Multicast Name Resolution", PROTO;
    FLAGS_CONFLICT = "dns.flags.conflict", "Conflict", bool_words(16, 0x0400, &["The sender received multiple responses", "None"]);
    FLAGS_TENTATIVE = "dns.flags.tentative", "Tentative", bool_words(16, 0x0100, &["Tentative", "Not tentative"]);
    QRY_QU = "dns.qry.qu", "\"QU\" question", flag_tf(16, 0x8000);
    RESP_CACHE_FLUSH = "dns.resp.cache_flush", "Cache flush", flag_tf(16, 0x8000);
    SRV_SERVICE = "dns.srv.service", "Service", STR;
    SRV_PROTO = "dns.srv.proto", "Protocol", STR;
    SRV_NAME = "dns.srv.name", "Name", STR;
    SRV_PRIORITY = "dns.srv.priority", "Priority", dec(16);
    SRV_WEIGHT = "dns.srv.weight", "Weight", dec(16);
    SRV_PORT = "dns.srv.port", "Port", dec(16);
    SRV_TARGET = "dns.srv.target", "Target", STR;
    UNSOLICITED = "dns.unsolicited", "Unsolicited", flag(0, 0);
}

/// Which protocol a DNS-format message belongs to: DNS itself, or the two that
/// reuse its format on their own ports with their own name and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// DNS (UDP/TCP 53 and the heuristic).
    Dns,
    /// Multicast DNS (RFC 6762, UDP 5353): class top bits are QU and cache-flush.
    Mdns,
    /// LLMNR (RFC 4795, UDP 5355): conflict and tentative flags.
    Llmnr,
}

impl Flavor {
    fn proto(self) -> (FieldId, &'static str, &'static str, &'static str) {
        match self {
            Flavor::Dns => (DNS, "dns", "DNS", "Domain Name System"),
            Flavor::Mdns => (MDNS, "mdns", "MDNS", "Multicast Domain Name System"),
            Flavor::Llmnr => (
                LLMNR,
                "llmnr",
                "LLMNR",
                "Link-local Multicast Name Resolution",
            ),
        }
    }
}

/// Dissects an mDNS or LLMNR message over UDP (DNS's code, their own protocol).
pub fn dissect_as<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    offset: usize,
    payload: &'a [u8],
    net: &NetInfo,
    ports: (u16, u16),
    flavor: Flavor,
) -> bool {
    dissect_flavored(d, ctx, offset, payload, (net, ports), false, flavor)
}

/// A conservative check that `payload` is a DNS message (for ports DNS is not
/// registered on): one question whose name parses, sane counts, a standard opcode.
pub fn looks_like_dns(payload: &[u8]) -> bool {
    let (Some(flags), Some(qd), Some(an), Some(ns), Some(ar)) = (
        bytes::be_u16(payload, 2),
        bytes::be_u16(payload, 4),
        bytes::be_u16(payload, 6),
        bytes::be_u16(payload, 8),
        bytes::be_u16(payload, 10),
    ) else {
        return false;
    };
    if qd != 1 || an > 50 || ns > 50 || ar > 50 || (flags >> 11) & 0xf > 5 || flags & 0x0040 != 0 {
        return false;
    }
    let Some((_, end, _)) = read_name(payload, 12) else {
        return false;
    };
    let (Some(qtype), Some(qclass)) =
        (bytes::be_u16(payload, end), bytes::be_u16(payload, end + 2))
    else {
        return false;
    };
    qtype != 0 && matches!(qclass & 0x7fff, 1 | 3 | 4 | 255)
}

/// Reads a possibly compressed name at `offset` of the message `msg`. Returns the name
/// text (`<Root>` for the root), the offset just after the name in the original
/// position, and the number of labels.
pub fn read_name(msg: &[u8], offset: usize) -> Option<(String, usize, usize)> {
    read_name_counted(msg, offset).map(|(name, after, labels, _)| (name, after, labels))
}

/// [`read_name`], and the name's length in bytes as it came (labels and the dots
/// between them: `dns.qry.name.len`, which counts an escaped or replaced byte once).
fn read_name_counted(msg: &[u8], offset: usize) -> Option<(String, usize, usize, usize)> {
    let mut raw_len = 0usize;
    let mut name = String::new();
    let mut pos = offset;
    let mut end = None;
    let mut labels = 0usize;
    for _ in 0..=MAX_POINTER_JUMPS {
        loop {
            let len = bytes::u8_at(msg, pos)?;
            match len & 0xc0 {
                0x00 => {
                    if len == 0 {
                        let after = end.unwrap_or(pos + 1);
                        if name.is_empty() {
                            name.push_str("<Root>");
                        }
                        return Some((name, after, labels, raw_len));
                    }
                    let label = bytes::slice(msg, pos + 1, usize::from(len))?;
                    if !name.is_empty() {
                        name.push('.');
                        raw_len += 1;
                    }
                    raw_len += label.len();
                    push_label(&mut name, label);
                    if name.len() > MAX_NAME_LEN {
                        return None;
                    }
                    labels += 1;
                    pos += 1 + usize::from(len);
                }
                0xc0 => {
                    let low = bytes::u8_at(msg, pos + 1)?;
                    if end.is_none() {
                        end = Some(pos + 2);
                    }
                    pos = (usize::from(len & 0x3f) << 8) | usize::from(low);
                    break;
                }
                _ => return None,
            }
        }
    }
    None
}

/// A label as tshark 4.0 writes it: UTF-8 kept (mDNS's "Mohsin’s MacBook Pro"),
/// each invalid sequence one U+FFFD, ASCII control characters as octal escapes
/// (`\001`, `\177`); spaces, dots and backslashes inside a label as they are.
fn push_label(name: &mut String, label: &[u8]) {
    for c in String::from_utf8_lossy(label).chars() {
        if c.is_ascii_control() {
            name.push_str(&format!("\\{:03o}", u32::from(c)));
        } else {
            name.push(c);
        }
    }
}

fn name_value(name: &str) -> Value<'static> {
    Value::Str(Cow::Owned(name.as_bytes().to_vec()))
}

fn type_name(t: u16) -> String {
    match super::value::value_name(Some(TYPES), u64::from(t)) {
        Some(n) => n.to_string(),
        None => format!("Unknown ({t})"),
    }
}

/// Dissects a DNS message `payload` found at `offset` of the frame, sent from port
/// `ports.0` to `ports.1`. Over TCP the message starts with a two-byte length.
/// Returns false when it is not DNS after all.
#[allow(clippy::too_many_arguments)]
pub fn dissect<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    _frame: &'a [u8],
    offset: usize,
    payload: &'a [u8],
    net: &NetInfo,
    ports: (u16, u16),
    over_tcp: bool,
) -> bool {
    dissect_flavored(d, ctx, offset, payload, (net, ports), over_tcp, Flavor::Dns)
}

fn dissect_flavored<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    offset: usize,
    payload: &'a [u8],
    (net, (sport, dport)): (&NetInfo, (u16, u16)),
    over_tcp: bool,
    flavor: Flavor,
) -> bool {
    let (base, msg) = if over_tcp {
        (offset + 2, bytes::tail(payload, 2))
    } else {
        (offset, payload)
    };
    let Some([id, flags, qd, an, ns, ar]) = bytes::be_u16s(msg, 0) else {
        return false;
    };
    let response = flags & 0x8000 != 0;
    let opcode = (flags >> 11) & 0xf;
    let rcode = flags & 0xf;
    let (proto, layer, column, title) = flavor.proto();
    let item = d.add_labeled(proto, offset, payload.len(), Value::None, || {
        format!("{title} ({})", if response { "response" } else { "query" })
    });
    d.push_layer(layer);
    d.set_protocol(column);
    d.begin(item);
    if over_tcp && let Some(l) = bytes::be_u16(payload, 0) {
        d.add(LENGTH, offset, 2, Value::UInt(u64::from(l)));
    }
    let id_item = d.add(ID, base, 2, Value::UInt(u64::from(id)));
    let flags_item = d.add_labeled(FLAGS, base + 2, 2, Value::UInt(u64::from(flags)), || {
        let op = super::value::value_name(Some(OPCODES), u64::from(opcode)).unwrap_or("Unknown");
        let mut label = format!("Flags: 0x{flags:04x} {op}");
        if response {
            label.push_str(" response");
            let rc = super::value::value_name(Some(RCODES), u64::from(rcode)).unwrap_or("Unknown");
            label.push_str(&format!(", {rc}"));
        }
        label
    });
    d.begin(flags_item);
    d.add_labeled(FLAGS_RESPONSE, base + 2, 2, Value::Bool(response), || {
        format!(
            "{} = Response: {}",
            super::value::bit_chart(16, 0x8000, u64::from(response)),
            super::value::value_name(Some(RESPONSE), u64::from(response)).unwrap_or("")
        )
    });
    d.add(FLAGS_OPCODE, base + 2, 2, Value::UInt(u64::from(opcode)));
    // (field, bit, shown in responses only), in the order tshark shows them.
    #[rustfmt::skip]
    const BITS: [(FieldId, u16, bool); 7] = [
        (FLAGS_AUTHORITATIVE, 0x0400, true), (FLAGS_TRUNCATED, 0x0200, false),
        (FLAGS_RECDESIRED, 0x0100, false), (FLAGS_RECAVAIL, 0x0080, true), (FLAGS_Z, 0x0040, false),
        (FLAGS_AUTHENTICATED, 0x0020, true), (FLAGS_CHECKDISABLE, 0x0010, false),
    ];
    // LLMNR's header (RFC 4795 section 2.1.1) has C and T where DNS has AA and RD.
    #[rustfmt::skip]
    const LLMNR_BITS: [(FieldId, u16, bool); 3] = [
        (FLAGS_CONFLICT, 0x0400, false), (FLAGS_TRUNCATED, 0x0200, false),
        (FLAGS_TENTATIVE, 0x0100, false),
    ];
    let bits: &[(FieldId, u16, bool)] = if flavor == Flavor::Llmnr {
        &LLMNR_BITS
    } else {
        &BITS
    };
    for &(field, bit, response_only) in bits {
        let set = flags & bit != 0;
        if field == FLAGS_AUTHENTICATED && !response && flavor != Flavor::Llmnr {
            // A query shows this bit too when set, as the "AD bit" (RFC 6840 5.7).
            if !set {
                continue;
            }
            d.add_labeled(field, base + 2, 2, Value::Bool(set), || {
                let chart = super::value::bit_chart(16, u64::from(bit), u64::from(set));
                format!("{chart} = AD bit: {}", if set { "Set" } else { "Not set" })
            });
        } else if response || !response_only {
            match flag_words(field, set) {
                Some(words) => d.add_labeled(field, base + 2, 2, Value::Bool(set), || {
                    let chart = super::value::bit_chart(16, u64::from(bit), u64::from(set));
                    format!("{chart} = {}: {words}", super::registry::def(field).name)
                }),
                None => d.add(field, base + 2, 2, Value::Bool(set)),
            };
        }
    }
    if response {
        d.add(FLAGS_RCODE, base + 2, 2, Value::UInt(u64::from(rcode)));
    }
    d.end();
    d.add(COUNT_QUERIES, base + 4, 2, Value::UInt(u64::from(qd)));
    d.add(COUNT_ANSWERS, base + 6, 2, Value::UInt(u64::from(an)));
    d.add(COUNT_AUTH_RR, base + 8, 2, Value::UInt(u64::from(ns)));
    d.add(COUNT_ADD_RR, base + 10, 2, Value::UInt(u64::from(ar)));

    let mut info = String::new();
    let op =
        super::value::value_name(Some(OPCODES), u64::from(opcode)).unwrap_or("Unknown operation");
    info.push_str(op);
    if response {
        info.push_str(" response");
    }
    info.push_str(&format!(" 0x{id:04x}"));
    if response && rcode != 0 {
        let rc =
            super::value::value_name(Some(RCODES), u64::from(rcode)).unwrap_or("Unknown error");
        info.push(' ');
        info.push_str(rc);
    }

    let mut pos = 12usize;
    // A question the message's bytes cannot hold (its name running past them, its
    // type or class cut) ends the dissection with tshark's exception.
    let mut question_cut = false;
    if qd > 0 {
        let q = d.add_labeled(QUERY, base + 12, 0, Value::None, || "Queries".into());
        d.begin(q);
        for _ in 0..usize::from(qd).min(MAX_RECORDS) {
            let read = read_name_counted(msg, pos).or_else(|| {
                // RFC 2673's extended label types: tshark names a question opening
                // with one (but a bit-string label) and reads on; anything else that
                // stops the name throws.
                let first = bytes::u8_at(msg, pos)?;
                (first & 0xc0 == 0x40 && first & 0x3f != 0x01)
                    .then(|| ("<Unknown extended label>".to_string(), pos + 1, 0, 0))
            });
            let Some((name, after, labels, raw_len)) = read else {
                question_cut = true;
                break;
            };
            let (Some(qtype), Some(raw_class)) =
                (bytes::be_u16(msg, after), bytes::be_u16(msg, after + 2))
            else {
                question_cut = true;
                break;
            };
            // RFC 6762 section 5.4: mDNS's top class bit asks for a unicast answer.
            let mdns = flavor == Flavor::Mdns;
            let qu = mdns && raw_class & 0x8000 != 0;
            let qclass = if mdns { raw_class & 0x7fff } else { raw_class };
            let question = match (mdns, qu) {
                (false, _) => "",
                (true, true) => ", \"QU\" question",
                (true, false) => ", \"QM\" question",
            };
            let tname = type_name(qtype);
            let entry_len = after + 4 - pos;
            let entry = d.add_labeled(super::ws::TEXT, base + pos, entry_len, Value::None, || {
                let class =
                    super::value::value_name(Some(CLASSES), u64::from(qclass)).unwrap_or("Unknown");
                format!("{name}: type {tname}, class {class}{question}")
            });
            d.begin(entry);
            let name_len = raw_len;
            d.add(QRY_NAME, base + pos, after - pos, name_value(&name));
            d.add_generated(
                QRY_NAME_LEN,
                base + pos,
                after - pos,
                Value::UInt(name_len as u64),
            );
            d.add_generated(
                COUNT_LABELS,
                base + pos,
                after - pos,
                Value::UInt(labels as u64),
            );
            d.add(QRY_TYPE, base + after, 2, Value::UInt(u64::from(qtype)));
            d.add(
                QRY_CLASS,
                base + after + 2,
                2,
                Value::UInt(u64::from(qclass)),
            );
            if mdns {
                d.add(QRY_QU, base + after + 2, 2, Value::Bool(qu));
            }
            d.end();
            info.push_str(&format!(" {tname} {name}{question}"));
            pos = after + 4;
        }
        d.end();
    }
    if question_cut {
        d.end();
        d.set_info(|| info);
        if ctx.record.cap_len < ctx.record.orig_len {
            super::packet::short(d, "DNS", None);
        } else {
            super::packet::malformed_pdu(d, "DNS", base + pos, msg.len().saturating_sub(pos));
        }
        return true;
    }
    for (count, section) in [
        (an, "Answers"),
        (ns, "Authoritative nameservers"),
        (ar, "Additional records"),
    ] {
        if count == 0 {
            continue;
        }
        let s = d.add_labeled(ANSWER, base + pos, 0, Value::None, || section.into());
        d.begin(s);
        for _ in 0..usize::from(count).min(MAX_RECORDS) {
            match record(d, msg, base, pos, &mut info, flavor) {
                Some(next) => pos = next,
                None => break,
            }
        }
        d.end();
    }
    super::dns_link::links(d, ctx, net, (sport, dport), id, response, (id_item, column));
    d.end();
    d.set_info(move || info);
    true
}

/// The options of an OPT record's data (RFC 6891 section 6.1.2), each with its code,
/// length and data, a cookie (RFC 7873) split into its client and server parts.
fn edns_options(d: &mut Dissection<'_>, rdata: &[u8], at: usize) {
    let mut p = 0usize;
    while let (Some(code), Some(len)) = (bytes::be_u16(rdata, p), bytes::be_u16(rdata, p + 2)) {
        let len = usize::from(len);
        let Some(data) = bytes::slice(rdata, p + 4, len) else {
            break;
        };
        let name =
            super::value::value_name(Some(OPTION_CODES), u64::from(code)).unwrap_or("Unknown");
        let item = d.add_labeled(OPT, at + p, 4 + len, Value::None, || {
            format!("Option: {name}")
        });
        d.begin(item);
        d.add(OPT_CODE, at + p, 2, Value::UInt(u64::from(code)));
        d.add(OPT_LEN, at + p + 2, 2, Value::UInt(len as u64));
        if len > 0 {
            d.add(
                OPT_DATA,
                at + p + 4,
                len,
                Value::Bytes(Cow::Owned(data.to_vec())),
            );
        }
        if code == 10 {
            let (client, server) = data.split_at(data.len().min(8));
            d.add(
                OPT_COOKIE_CLIENT,
                at + p + 4,
                client.len(),
                Value::Bytes(Cow::Owned(client.to_vec())),
            );
            if server.is_empty() {
                d.add_labeled(
                    OPT_COOKIE_SERVER,
                    at + p + 4 + len,
                    0,
                    Value::Bytes(Cow::Owned(Vec::new())),
                    || "Server Cookie: <MISSING>".into(),
                );
            } else {
                d.add(
                    OPT_COOKIE_SERVER,
                    at + p + 12,
                    server.len(),
                    Value::Bytes(Cow::Owned(server.to_vec())),
                );
            }
        }
        d.end();
        p += 4 + len;
    }
}

/// tshark's words for a DNS header flag's value (its true/false strings).
fn flag_words(field: FieldId, set: bool) -> Option<&'static str> {
    let (yes, no) = match field {
        FLAGS_AUTHORITATIVE => (
            "Server is an authority for domain",
            "Server is not an authority for domain",
        ),
        FLAGS_TRUNCATED => ("Message is truncated", "Message is not truncated"),
        FLAGS_RECDESIRED => ("Do query recursively", "Don't do query recursively"),
        FLAGS_RECAVAIL => (
            "Server can do recursive queries",
            "Server can't do recursive queries",
        ),
        FLAGS_Z => ("reserved - incorrect!", "reserved (0)"),
        FLAGS_AUTHENTICATED => (
            "Answer/authority portion was authenticated by the server",
            "Answer/authority portion was not authenticated by the server",
        ),
        FLAGS_CHECKDISABLE => ("Acceptable", "Unacceptable"),
        _ => return None,
    };
    Some(if set { yes } else { no })
}

/// One resource record at `pos`; appends its Info text; returns the next offset.
fn record<'a>(
    d: &mut Dissection<'a>,
    msg: &[u8],
    base: usize,
    pos: usize,
    info: &mut String,
    flavor: Flavor,
) -> Option<usize> {
    let (name, after, _) = read_name(msg, pos)?;
    let rtype = bytes::be_u16(msg, after)?;
    let raw_class = bytes::be_u16(msg, after + 2)?;
    // RFC 6762 section 10.2: mDNS's top class bit is the cache-flush bit.
    let flush = flavor == Flavor::Mdns && rtype != 41 && raw_class & 0x8000 != 0;
    let class = if flavor == Flavor::Mdns && rtype != 41 {
        raw_class & 0x7fff
    } else {
        raw_class
    };
    let ttl = bytes::be_u32(msg, after + 4)?;
    let rdlen = usize::from(bytes::be_u16(msg, after + 8)?);
    let rdata_at = after + 10;
    let rdata = bytes::slice(msg, rdata_at, rdlen)?;
    let tname = type_name(rtype);
    let end = rdata_at + rdlen;
    let mut summary = String::new();
    let entry = d.add_labeled(
        super::ws::TEXT,
        base + pos,
        end - pos,
        Value::None,
        String::new,
    );
    d.begin(entry);
    let tag = if flush {
        format!(" {tname}, cache flush")
    } else {
        format!(" {tname}")
    };
    // An SRV owner name is shown split: _Service._Proto.Name (RFC 2782).
    let srv_parts = (rtype == 33)
        .then(|| {
            let mut it = name.splitn(3, '.');
            Some((it.next()?, it.next()?, it.next()?))
        })
        .flatten();
    if let Some((service, proto, rest)) = srv_parts {
        let at = base + pos;
        let len = after - pos;
        d.add(SRV_SERVICE, at, len, name_value(service));
        d.add(SRV_PROTO, at, len, name_value(proto));
        d.add(SRV_NAME, at, len, name_value(rest));
    } else {
        d.add(RESP_NAME, base + pos, after - pos, name_value(&name));
    }
    d.add(RESP_TYPE, base + after, 2, Value::UInt(u64::from(rtype)));
    if rtype == 41 {
        d.add(
            RR_UDP_PAYLOAD_SIZE,
            base + after + 2,
            2,
            Value::UInt(u64::from(class)),
        );
        d.add(
            RESP_EXT_RCODE,
            base + after + 4,
            1,
            Value::UInt(u64::from(ttl >> 24)),
        );
        d.add(
            RESP_EDNS0_VERSION,
            base + after + 5,
            1,
            Value::UInt(u64::from((ttl >> 16) & 0xff)),
        );
        let z = ttl & 0xffff;
        let z_item = d.add(RESP_Z, base + after + 6, 2, Value::UInt(u64::from(z)));
        d.begin(z_item);
        let dnssec_ok = z & 0x8000 != 0;
        d.add_labeled(
            RESP_Z_DO,
            base + after + 6,
            2,
            Value::Bool(dnssec_ok),
            || {
                format!(
                    "{} = DO bit: {}",
                    super::value::bit_chart(16, 0x8000, u64::from(dnssec_ok)),
                    if dnssec_ok {
                        "Accepts DNSSEC security RRs"
                    } else {
                        "Cannot handle DNSSEC security RRs"
                    }
                )
            },
        );
        let reserved = u64::from(z & 0x7fff);
        d.add(RESP_Z_RESERVED, base + after + 6, 2, Value::UInt(reserved));
        d.end();
    } else {
        d.add(
            RESP_CLASS,
            base + after + 2,
            2,
            Value::UInt(u64::from(class)),
        );
        if flavor == Flavor::Mdns {
            d.add(RESP_CACHE_FLUSH, base + after + 2, 2, Value::Bool(flush));
        }
        d.add_labeled(
            RESP_TTL,
            base + after + 4,
            4,
            Value::UInt(u64::from(ttl)),
            || format!("Time to live: {ttl} ({})", super::value::duration_text(ttl)),
        );
    }
    d.add(RESP_LEN, base + after + 8, 2, Value::UInt(rdlen as u64));
    let at = base + rdata_at;
    match rtype {
        1 if rdlen == 4 => {
            let a = bytes::array::<4>(rdata, 0)?;
            d.add(A, at, 4, Value::Ipv4(a));
            summary = format!("addr {}", ipv4_text(&a));
            info.push_str(&format!("{tag} {}", ipv4_text(&a)));
        }
        28 if rdlen == 16 => {
            let a = bytes::array::<16>(rdata, 0)?;
            d.add(AAAA, at, 16, Value::Ipv6(a));
            summary = format!("addr {}", ipv6_text(&a));
            info.push_str(&format!("{tag} {}", ipv6_text(&a)));
        }
        2 | 5 | 12 => {
            let (target, _, _) = read_name(msg, rdata_at)?;
            let field = match rtype {
                2 => NS,
                5 => CNAME,
                _ => PTR,
            };
            d.add(field, at, rdlen, name_value(&target));
            summary = format!("{} {target}", tname.to_lowercase());
            info.push_str(&format!("{tag} {target}"));
        }
        47 => {
            // NSEC (mDNS's negative answers): the next domain name, then type bitmaps.
            let (next, end, _) = read_name(msg, rdata_at)?;
            let len = end.saturating_sub(rdata_at).min(rdlen);
            d.add(NSEC_NEXT, at, len, name_value(&next));
            summary = format!("next domain name {next}");
            info.push_str(&format!("{tag} {next}"));
        }
        15 => {
            let pref = bytes::be_u16(rdata, 0)?;
            let (exchange, _, _) = read_name(msg, rdata_at + 2)?;
            d.add(MX_PREFERENCE, at, 2, Value::UInt(u64::from(pref)));
            d.add(
                MX_EXCHANGE,
                at + 2,
                rdlen.saturating_sub(2),
                name_value(&exchange),
            );
            summary = format!("preference {pref}, mx {exchange}");
            info.push_str(&format!("{tag} {pref} {exchange}"));
        }
        16 => {
            let mut p = 0usize;
            while let Some(len) = bytes::u8_at(rdata, p) {
                let text = bytes::slice(rdata, p + 1, usize::from(len))?;
                d.add(TXT_LENGTH, at + p, 1, Value::UInt(u64::from(len)));
                d.add(
                    TXT,
                    at + p + 1,
                    usize::from(len),
                    Value::Str(Cow::Owned(text.to_vec())),
                );
                p += 1 + usize::from(len);
            }
            info.push_str(&tag);
        }
        6 => {
            let (mname, next, _) = read_name(msg, rdata_at)?;
            let (rname, next2, _) = read_name(msg, next)?;
            d.add(SOA_MNAME, at, next - rdata_at, name_value(&mname));
            d.add(SOA_RNAME, base + next, next2 - next, name_value(&rname));
            if let Some(serial) = bytes::be_u32(msg, next2) {
                d.add(SOA_SERIAL, base + next2, 4, Value::UInt(u64::from(serial)));
            }
            summary = format!("mname {mname}");
            info.push_str(&format!("{tag} {mname}"));
        }
        33 => {
            let Some([prio, weight, port]) = bytes::be_u16s(rdata, 0) else {
                d.end();
                return Some(end);
            };
            let (target, _, _) = read_name(msg, rdata_at + 6)?;
            d.add(SRV_PRIORITY, at, 2, Value::UInt(u64::from(prio)));
            d.add(SRV_WEIGHT, at + 2, 2, Value::UInt(u64::from(weight)));
            d.add(SRV_PORT, at + 4, 2, Value::UInt(u64::from(port)));
            d.add(
                SRV_TARGET,
                at + 6,
                rdlen.saturating_sub(6),
                name_value(&target),
            );
            summary = format!("priority {prio}, weight {weight}, port {port}, target {target}");
            info.push_str(&format!("{tag} {prio} {weight} {port} {target}"));
        }
        41 => {
            edns_options(d, rdata, at);
            info.push_str(&tag);
        }
        _ => info.push_str(&tag),
    }
    d.end();
    let class_name = super::value::value_name(Some(CLASSES), u64::from(class)).unwrap_or("Unknown");
    let class_name = if flush {
        format!("{class_name}, cache flush")
    } else {
        class_name.to_string()
    };
    d.set_label(entry, || {
        if rtype == 41 {
            format!("{name}: type {tname}")
        } else if summary.is_empty() {
            format!("{name}: type {tname}, class {class_name}")
        } else {
            format!("{name}: type {tname}, class {class_name}, {summary}")
        }
    });
    Some(end)
}

#[cfg(test)]
mod tests {

    /// Labels as tshark 4.0 prints them (checked with tshark on crafted queries):
    /// UTF-8 kept, an invalid byte or cut sequence one U+FFFD, control characters in
    /// octal, dots and backslashes inside a label kept; the length counts raw bytes.
    #[test]
    fn label_bytes_print_as_tshark_prints_them() {
        let name = |labels: &[&[u8]]| {
            let mut msg = Vec::new();
            for l in labels {
                msg.push(l.len() as u8);
                msg.extend_from_slice(l);
            }
            msg.push(0);
            let (text, _, _, raw) = super::read_name_counted(&msg, 0).unwrap();
            (text, raw)
        };
        assert_eq!(
            name(&[b"Mohsin\xe2\x80\x99s", b"local"]),
            ("Mohsin\u{2019}s.local".into(), 16)
        );
        assert_eq!(name(&[b"a\xffb", b"com"]), ("a\u{fffd}b.com".into(), 7));
        assert_eq!(
            name(&[b"a\x01b\x7fc", b"com"]),
            ("a\\001b\\177c.com".into(), 9)
        );
        assert_eq!(name(&[b"a.b\\c d", b"com"]), ("a.b\\c d.com".into(), 11));
        assert_eq!(name(&[b"x\xe2\x80", b"com"]), ("x\u{fffd}.com".into(), 7));
    }

    use super::*;

    #[test]
    fn compression_and_loops() {
        // "a.b" at 12, then a pointer to it at 17.
        let mut msg = vec![0u8; 12];
        msg.extend_from_slice(&[1, b'a', 1, b'b', 0, 0xc0, 12]);
        assert_eq!(read_name(&msg, 12), Some(("a.b".to_string(), 17, 2)));
        assert_eq!(read_name(&msg, 17), Some(("a.b".to_string(), 19, 2)));
        // A pointer to itself loops: it must end with None, not hang.
        let looped = [0u8, 0, 0xc0, 2];
        assert_eq!(read_name(&looped, 2), None);
        assert_eq!(read_name(&[0u8], 0), Some(("<Root>".to_string(), 1, 0)));
        assert_eq!(read_name(&[5u8, b'a'], 0), None);
        // An mDNS instance name keeps its spaces, and tshark 4.0 a dot inside a label.
        let spaced = [4u8, b'H', b'P', b' ', b'x', 3, b'a', b'.', b'b', 0];
        assert_eq!(
            read_name(&spaced, 0).map(|(n, _, _)| n),
            Some("HP x.a.b".to_string())
        );
    }
}

#[cfg(test)]
mod frame_tests {
    use crate::dissect::testing::{field, with_frame, with_patched};

    /// dns_udp.pcap frames 6 and 8: an A and an AAAA answer.
    #[test]
    fn answers() {
        with_frame("dns_udp.pcap", 6, |d| {
            assert_eq!(field(d, "dns.id"), "0x7cd8");
            assert_eq!(field(d, "dns.flags.response"), "1");
            assert_eq!(field(d, "dns.qry.name"), "www.example.test");
            assert_eq!(field(d, "dns.a"), "10.10.0.2");
            assert_eq!(field(d, "dns.resp.name"), "www.example.test,<Root>");
            assert_eq!(
                d.columns.info,
                "Standard query response 0x7cd8 A www.example.test A 10.10.0.2 OPT"
            );
        });
        with_frame("dns_udp.pcap", 8, |d| {
            assert_eq!(field(d, "dns.aaaa"), "fd00::2");
        });
    }

    /// Port-53 bytes that are no DNS (cs_dns_DNS.pcap's tunnel traffic): a question
    /// count the message cannot hold, or a question whose name opens with a reserved
    /// label type, throw tshark's exception after the header's Info.
    #[test]
    fn questions_past_the_message_are_malformed() {
        // dns_udp.pcap frame 6 claims two questions, then all its records are read as
        // the second one's.
        with_patched(
            "dns_udp.pcap",
            6,
            |b| b[42 + 4..42 + 6].copy_from_slice(&[0, 40]),
            |d| {
                assert!(
                    d.columns.info.ends_with("[Malformed Packet]"),
                    "{}",
                    d.columns.info
                )
            },
        );
        with_patched(
            "dns_udp.pcap",
            6,
            |b| b[42 + 12] = 0x81,
            |d| {
                assert_eq!(
                    d.columns.info,
                    "Standard query response 0x7cd8[Malformed Packet]"
                );
            },
        );
    }

    #[test]
    fn pointer_loop_in_a_packet() {
        // Point the answer's name (at DNS offset 34) at itself.
        with_patched(
            "dns_udp.pcap",
            6,
            |b| b[42 + 34..42 + 36].copy_from_slice(&[0xc0, 34]),
            |d| {
                assert_eq!(field(d, "dns.qry.name"), "www.example.test");
                assert_eq!(field(d, "dns.a"), "");
            },
        );
    }
}
