//! NAT Port Mapping Protocol (RFC 6886) and the Port Control Protocol that replaced
//! it (RFC 6887, options of RFC 7220 and 7225) on UDP 5350 and 5351: tshark's one
//! `portcontrol` dissector, which reads the version byte and hands version 0 to
//! NAT-PMP, 1 and 2 to PCP (Protocol column `NAT-PMP`, `PCP v1` or `PCP v2`).

use super::field::Base;
use super::field::kinds::*;
use super::node::{Expert, Severity};
use super::tree::Dissection;
use super::value::{self, Value};
use crate::bytes;

#[rustfmt::skip]
const NATPMP_OPCODES: &[(u64, &str)] = &[
    (0, "External Address Request"), (128, "External Address Response"),
    (1, "Map UDP Request"), (129, "Map UDP Response"),
    (2, "Map TCP Request"), (130, "Map TCP Response"),
];
#[rustfmt::skip]
const NATPMP_RESULTS: &[(u64, &str)] = &[
    (0, "Success"), (1, "Unsupported Version"), (2, "Not Authorized/Refused"),
    (3, "Network Failure"), (4, "Out of resources"), (5, "Unsupported opcode"),
];
const PCP_OPCODES: &[(u64, &str)] = &[(0, "Announce"), (1, "Map"), (2, "Peer")];
#[rustfmt::skip]
const PCP_ROPCODES: &[(u64, &str)] = &[
    (0, "Announce Request"), (1, "Map Request"), (2, "Peer Request"),
    (128, "Announce Response"), (129, "Map Response"), (130, "Peer Response"),
];
#[rustfmt::skip]
const PCP_RESULTS: &[(u64, &str)] = &[
    (0, "Success"), (1, "Unsupported Version"), (2, "Not Authorized/Refused"),
    (3, "Malformed Request"), (4, "Unsupported opcode"), (5, "Unsupported option"),
    (6, "Malformed option"), (7, "Network failure"), (8, "No resources"),
    (9, "Unsupported protocol"), (10, "User exceeds quota"),
    (11, "Cannot provide external port"), (12, "Address mismatch"),
    (13, "Excessive remote peers"),
];
#[rustfmt::skip]
const PCP_OPTIONS: &[(u64, &str)] = &[
    (0, "Reserved"), (1, "Third Party"), (2, "Prefer Failure"), (3, "Filter"),
    (128, "Description"), (129, "Prefix64"), (130, "Port Set"),
];
const RESPONSE_REQUEST: &[&str; 2] = &["Response", "Request"];

crate::define_fields! { after super::stun::END;
    NAT_PMP = "nat-pmp", "NAT Port Mapping Protocol", PROTO;
    VERSION = "nat-pmp.version", "Version", dec(8);
    OPCODE = "nat-pmp.opcode", "Opcode", dec_named(8, NATPMP_OPCODES);
    RESULT_CODE = "nat-pmp.result_code", "Result Code", dec_named(16, NATPMP_RESULTS);
    SSSOE = "nat-pmp.sssoe", "Seconds Since Start of Epoch", dec(32);
    EXTERNAL_IP = "nat-pmp.external_ip", "External IP Address", IPV4;
    RESERVED = "nat-pmp.reserved", "Reserved", dec(16);
    INTERNAL_PORT = "nat-pmp.internal_port", "Internal Port", dec(16);
    EXTERNAL_PORT = "nat-pmp.external_port", "Requested External Port", dec(16);
    EXTERNAL_PORT_MAPPED = "nat-pmp.external_port", "Mapped External Port", dec(16);
    RPMLIS = "nat-pmp.pml", "Requested Port Mapping Lifetime", dec(32);
    PMLIS = "nat-pmp.pml", "Port Mapping Lifetime", dec(32);
    OPCODE_UNKNOWN = "nat-pmp.opcode.unknown", "Unknown opcode", NONE;
    PCP = "portcontrol", "Port Control Protocol", PROTO;
    PCP_VERSION = "portcontrol.version", "Version", dec(8);
    REQUEST = "portcontrol.request", "Request", flag_tf(8, 0x01);
    RESPONSE = "portcontrol.response", "Response", flag_tf(8, 0x01);
    R = "portcontrol.r", "R", bool_words(8, 0x80, RESPONSE_REQUEST);
    PCP_OPCODE = "portcontrol.opcode", "Opcode", uint(8, Base::Dec, 0x7f, Some(PCP_OPCODES));
    PCP_RESULT_CODE = "portcontrol.result_code", "Result Code", dec_named(16, PCP_RESULTS);
    PCP_RESERVED = "portcontrol.reserved", "Reserved", dec(8);
    RSP_RESERVED = "portcontrol.rsp_reserved", "Reserved", BYTES;
    LIFETIME_REQ = "portcontrol.lifetime_req", "Requested Lifetime", dec(32);
    LIFETIME_RSP = "portcontrol.lifetime_rsp", "Lifetime", dec(32);
    CLIENT_IP = "portcontrol.client_ip", "Client IP Address", IPV6;
    EPOCH_TIME = "portcontrol.epoch_time", "Epoch Time", dec(32);
    MAP_NONCE = "portcontrol.map.nonce", "Mapping Nonce", BYTES;
    MAP_PROTOCOL = "portcontrol.map.protocol", "Protocol", dec(8);
    MAP_RESERVED = "portcontrol.map.reserved", "Reserved", dec(24);
    MAP_INTERNAL_PORT = "portcontrol.map.internal_port", "Internal Port", dec(16);
    MAP_SUG_PORT = "portcontrol.map.req_sug_external_port", "Suggested External Port", dec(16);
    MAP_SUG_IP = "portcontrol.map.req_sug_external_ip", "Suggested External IP Address", IPV6;
    MAP_ASSIGNED_PORT = "portcontrol.map.rsp_assigned_external_port", "Assigned External Port", dec(16);
    MAP_ASSIGNED_IP = "portcontrol.map.rsp_assigned_ext_ip", "Assigned External IP Address", IPV6;
    PEER_NONCE = "portcontrol.peer.nonce", "Mapping Nonce", BYTES;
    PEER_PROTOCOL = "portcontrol.peer.protocol", "Protocol", dec(8);
    PEER_RESERVED = "portcontrol.peer.reserved", "Reserved", BYTES;
    PEER_INTERNAL_PORT = "portcontrol.peer.internal_port", "Internal Port", dec(16);
    PEER_SUG_PORT = "portcontrol.peer.req_sug_external_port", "Suggested External Port", dec(16);
    PEER_SUG_IP = "portcontrol.peer.req_sug_external_ip", "Suggested External IP Address", IPV6;
    PEER_REMOTE_PORT = "portcontrol.peer.remote_peer_port", "Remote Peer Port", dec(16);
    PEER_REMOTE_IP = "portcontrol.peer.remote_peer_ip", "Remote Peer IP Address", IPV6;
    PEER_ASSIGNED_PORT = "portcontrol.peer.rsp_assigned_external_port", "Assigned External Port", dec(16);
    PEER_ASSIGNED_IP = "portcontrol.peer.rsp_assigned_ext_ip", "Assigned External IP Address", IPV6;
    OPTIONS = "portcontrol.options", "Options", NONE;
    OPTION = "portcontrol.option", "Option", NONE;
    OPTION_CODE = "portcontrol.option.code", "Option", dec_named(8, PCP_OPTIONS);
    OPTION_RESERVED = "portcontrol.option.reserved", "Reserved", dec(8);
    OPTION_LENGTH = "portcontrol.option.length", "Option Length", dec(16);
    THIRD_PARTY_IP = "portcontrol.option.third_party.internal_ip", "Internal IP Address", IPV6;
    FILTER_RESERVED = "portcontrol.option.filter.reserved", "Reserved", dec(8);
    FILTER_PREFIX_LENGTH = "portcontrol.option.filter.prefix_length", "Prefix Length", dec(8);
    FILTER_PEER_PORT = "portcontrol.option.filter.remote_peer_port", "Remote Peer Port", dec(16);
    FILTER_PEER_IP = "portcontrol.option.filter.remote_peer_ip", "Remote Peer IP Address", IPV6;
    DESCRIPTION = "portcontrol.option.description", "Description", STR;
    PCP_OPCODE_UNKNOWN = "portcontrol.opcode.unknown", "Unknown opcode", NONE;
    OPTION_UNKNOWN = "portcontrol.option.unknown", "Unknown option", NONE;
}

/// Most options read from one PCP message (each takes at least 4 bytes).
const MAX_OPTIONS: usize = 16384;

/// The message ended before a field tshark reads (its exception: the packet is
/// malformed; the tree keeps what was read).
struct Cut;

/// Reads fields of `msg`, the datagram payload at `base` in the frame.
struct Reader<'m> {
    msg: &'m [u8],
    base: usize,
}

impl<'m> Reader<'m> {
    fn uint(&self, at: usize, len: usize) -> Result<u64, Cut> {
        let raw = bytes::slice(self.msg, at, len).ok_or(Cut)?;
        Ok(raw.iter().fold(0u64, |v, b| (v << 8) | u64::from(*b)))
    }
    fn add_uint(
        &self,
        d: &mut Dissection<'_>,
        f: super::field::FieldId,
        at: usize,
        len: usize,
    ) -> Result<u64, Cut> {
        let v = self.uint(at, len)?;
        d.add(f, self.base + at, len, Value::UInt(v));
        Ok(v)
    }
    fn add_ipv6(
        &self,
        d: &mut Dissection<'_>,
        f: super::field::FieldId,
        at: usize,
    ) -> Result<(), Cut> {
        let ip = bytes::array::<16>(self.msg, at).ok_or(Cut)?;
        d.add(f, self.base + at, 16, Value::Ipv6(ip));
        Ok(())
    }
    fn add_bytes(
        &self,
        d: &mut Dissection<'m>,
        f: super::field::FieldId,
        at: usize,
        len: usize,
    ) -> Result<(), Cut> {
        let raw = bytes::slice(self.msg, at, len).ok_or(Cut)?;
        d.add(f, self.base + at, len, Value::Bytes(raw.into()));
        Ok(())
    }
}

/// Dissects a datagram payload of UDP 5350/5351 at `offset`; false for a version
/// tshark hands to neither protocol.
pub fn dissect<'a>(d: &mut Dissection<'a>, offset: usize, msg: &'a [u8]) -> bool {
    // A datagram quoted in an ICMP error: tshark puts its payload's protocol at the
    // top level of the tree, after ICMP's item.
    if d.in_error {
        return d.at_top_level(|d| dissect_here(d, offset, msg));
    }
    dissect_here(d, offset, msg)
}

fn dissect_here<'a>(d: &mut Dissection<'a>, offset: usize, msg: &'a [u8]) -> bool {
    let r = Reader { msg, base: offset };
    let done = match bytes::u8_at(msg, 0) {
        Some(0) => nat_pmp(d, &r),
        Some(version @ (1 | 2)) => pcp(d, &r, version),
        _ => return false,
    };
    d.end();
    if done.is_err() {
        // tshark names the protocol whose handle was called: PCP's, for NAT-PMP too;
        // the Protocol column stays the version's.
        let column = d.columns.protocol.clone();
        super::packet::malformed_pdu(d, "Port Control", offset, msg.len());
        d.set_protocol(column);
    }
    true
}

fn nat_pmp<'a>(d: &mut Dissection<'a>, r: &Reader<'a>) -> Result<(), Cut> {
    d.set_protocol("NAT-PMP");
    let opcode = bytes::u8_at(r.msg, 1);
    let op_name = opcode.map(|op| opcode_name(NATPMP_OPCODES, op));
    let item = d.add_labeled(
        NAT_PMP,
        r.base,
        r.msg.len(),
        Value::None,
        || match &op_name {
            Some(name) => format!("NAT Port Mapping Protocol, {name}"),
            None => "NAT Port Mapping Protocol".to_string(),
        },
    );
    // frame.protocols names the handle tshark called: PCP's.
    d.push_layer("portcontrol");
    d.begin(item);
    d.set_info(String::new);
    r.add_uint(d, VERSION, 0, 1)?;
    let (Some(opcode), Some(op_name)) = (opcode, op_name) else {
        return Err(Cut);
    };
    let op_item = d.add(OPCODE, r.base + 1, 1, Value::UInt(u64::from(opcode)));
    let info = op_name.clone();
    d.set_info(move || info);
    match opcode {
        0 => {}
        128 => {
            r.add_uint(d, RESULT_CODE, 2, 2)?;
            r.add_uint(d, SSSOE, 4, 4)?;
            let ip = bytes::array::<4>(r.msg, 8).ok_or(Cut)?;
            d.add(EXTERNAL_IP, r.base + 8, 4, Value::Ipv4(ip));
        }
        1 | 2 => {
            r.add_uint(d, RESERVED, 2, 2)?;
            r.add_uint(d, INTERNAL_PORT, 4, 2)?;
            r.add_uint(d, EXTERNAL_PORT, 6, 2)?;
            r.add_uint(d, RPMLIS, 8, 4)?;
        }
        129 | 130 => {
            r.add_uint(d, RESULT_CODE, 2, 2)?;
            r.add_uint(d, SSSOE, 4, 4)?;
            r.add_uint(d, INTERNAL_PORT, 8, 2)?;
            r.add_uint(d, EXTERNAL_PORT_MAPPED, 10, 2)?;
            r.add_uint(d, PMLIS, 12, 4)?;
        }
        _ => d.expert(
            op_item,
            warn("NAT-PMP", format!("Unknown opcode: {opcode}")),
        ),
    }
    Ok(())
}

fn pcp<'a>(d: &mut Dissection<'a>, r: &Reader<'a>, version: u8) -> Result<(), Cut> {
    d.set_protocol(if version == 1 { "PCP v1" } else { "PCP v2" });
    let ropcode = bytes::u8_at(r.msg, 1);
    let op_name = ropcode.map(|op| opcode_name(PCP_ROPCODES, op));
    let item = d.add_labeled(PCP, r.base, r.msg.len(), Value::None, || match &op_name {
        Some(name) => format!("Port Control Protocol, {name}"),
        None => "Port Control Protocol".to_string(),
    });
    d.push_layer("portcontrol");
    d.begin(item);
    d.set_info(String::new);
    r.add_uint(d, PCP_VERSION, 0, 1)?;
    let (Some(ropcode), Some(op_name)) = (ropcode, op_name) else {
        return Err(Cut);
    };
    let response = ropcode & 0x80 != 0;
    d.add(R, r.base + 1, 1, Value::Bool(response));
    let mut op_item = d.add(
        PCP_OPCODE,
        r.base + 1,
        1,
        Value::UInt(u64::from(ropcode & 0x7f)),
    );
    let info = op_name.clone();
    d.set_info(move || info);
    if response {
        d.add_hidden(RESPONSE, r.base + 1, 1, Value::Bool(true));
        r.add_uint(d, PCP_RESERVED, 2, 1)?;
        r.add_uint(d, PCP_RESULT_CODE, 3, 1)?;
        r.add_uint(d, LIFETIME_RSP, 4, 4)?;
        r.add_uint(d, EPOCH_TIME, 8, 4)?;
        r.add_bytes(d, RSP_RESERVED, 12, 12)?;
    } else {
        d.add_hidden(REQUEST, r.base + 1, 1, Value::Bool(true));
        r.add_uint(d, PCP_RESERVED, 2, 2)?;
        r.add_uint(d, LIFETIME_REQ, 4, 4)?;
        r.add_ipv6(d, CLIENT_IP, 8)?;
    }
    let known = value::value_name(Some(PCP_ROPCODES), u64::from(ropcode)).is_some();
    let start = 24usize;
    if known {
        // The opcode's own subtree, a text item named after it.
        op_item = d.text(r.base + start, 0, || op_name.clone());
        d.begin(op_item);
    }
    let mut pos = start;
    let mut body = opcode_body(d, r, ropcode, version, &mut pos);
    if body.is_ok() && known && r.msg.len() > pos {
        body = options(d, r, &mut pos);
    }
    if known {
        d.set_len(op_item, pos - start);
        d.end();
    } else {
        d.expert(
            op_item,
            warn("Port Control", format!("Unknown opcode: {ropcode}")),
        );
    }
    body
}

/// MAP's and PEER's fields (RFC 6887 sections 11.1 and 12.1); `pos` ends after them.
fn opcode_body<'a>(
    d: &mut Dissection<'a>,
    r: &Reader<'a>,
    ropcode: u8,
    version: u8,
    pos: &mut usize,
) -> Result<(), Cut> {
    let peer = match ropcode {
        1 | 129 => false,
        2 | 130 => true,
        _ => return Ok(()),
    };
    let request = ropcode & 0x80 == 0;
    if version > 1 {
        r.add_bytes(d, if peer { PEER_NONCE } else { MAP_NONCE }, *pos, 12)?;
        *pos += 12;
    }
    r.add_uint(d, if peer { PEER_PROTOCOL } else { MAP_PROTOCOL }, *pos, 1)?;
    if peer {
        r.add_bytes(d, PEER_RESERVED, *pos + 1, 3)?;
    } else {
        r.add_uint(d, MAP_RESERVED, *pos + 1, 3)?;
    }
    r.add_uint(
        d,
        if peer {
            PEER_INTERNAL_PORT
        } else {
            MAP_INTERNAL_PORT
        },
        *pos + 4,
        2,
    )?;
    let (port, ip) = match (peer, request) {
        (false, true) => (MAP_SUG_PORT, MAP_SUG_IP),
        (false, false) => (MAP_ASSIGNED_PORT, MAP_ASSIGNED_IP),
        (true, true) => (PEER_SUG_PORT, PEER_SUG_IP),
        (true, false) => (PEER_ASSIGNED_PORT, PEER_ASSIGNED_IP),
    };
    r.add_uint(d, port, *pos + 6, 2)?;
    r.add_ipv6(d, ip, *pos + 8)?;
    *pos += 24;
    if peer {
        r.add_uint(d, PEER_REMOTE_PORT, *pos, 2)?;
        r.add_bytes(d, PEER_RESERVED, *pos + 2, 2)?;
        r.add_ipv6(d, PEER_REMOTE_IP, *pos + 4)?;
        *pos += 20;
    }
    Ok(())
}

/// The options after the opcode's fields, each code, reserved byte and length, with
/// the values of Third Party, Filter and Description.
fn options<'a>(d: &mut Dissection<'a>, r: &Reader<'a>, pos: &mut usize) -> Result<(), Cut> {
    let start = *pos;
    let all = d.add(OPTIONS, r.base + start, 0, Value::None);
    d.begin(all);
    let mut result = Ok(());
    for _ in 0..MAX_OPTIONS {
        if *pos >= r.msg.len() {
            break;
        }
        result = option(d, r, pos, all);
        if result.is_err() {
            break;
        }
    }
    d.end();
    d.set_len(
        all,
        pos.saturating_sub(start)
            .min(r.msg.len().saturating_sub(start)),
    );
    result
}

fn option<'a>(
    d: &mut Dissection<'a>,
    r: &Reader<'a>,
    pos: &mut usize,
    all: usize,
) -> Result<(), Cut> {
    let at = *pos;
    let code = bytes::u8_at(r.msg, at).ok_or(Cut)?;
    let name = value::value_name(Some(PCP_OPTIONS), u64::from(code))
        .map_or_else(|| format!("Unknown option: {code}"), str::to_string);
    let item = d.add_labeled(OPTION, r.base + at, 1, Value::None, || {
        format!("Option: {name}")
    });
    d.begin(item);
    let done = (|| {
        r.add_uint(d, OPTION_CODE, at, 1)?;
        r.add_uint(d, OPTION_RESERVED, at + 1, 1)?;
        let len = r.add_uint(d, OPTION_LENGTH, at + 2, 2)? as usize;
        d.set_len(item, len + 4);
        let v = at + 4;
        if len > 0 {
            match code {
                1 => r.add_ipv6(d, THIRD_PARTY_IP, v)?,
                2 => {}
                3 => {
                    r.add_uint(d, FILTER_RESERVED, v, 1)?;
                    r.add_uint(d, FILTER_PREFIX_LENGTH, v + 1, 1)?;
                    r.add_uint(d, FILTER_PEER_PORT, v + 2, 2)?;
                    r.add_ipv6(d, FILTER_PEER_IP, v + 4)?;
                }
                128 => {
                    let text = bytes::slice(r.msg, v, len).ok_or(Cut)?;
                    d.add(DESCRIPTION, r.base + v, len, Value::Str(text.into()));
                }
                129 | 130 => {}
                _ => d.expert(all, warn("Port Control", format!("Unknown option: {code}"))),
            }
        }
        *pos = v + len;
        Ok(())
    })();
    d.end();
    done
}

fn opcode_name(table: &'static [(u64, &'static str)], op: u8) -> String {
    value::value_name(Some(table), u64::from(op))
        .map_or_else(|| format!("Unknown opcode: {op}"), str::to_string)
}

fn warn(protocol: &'static str, message: String) -> Expert {
    Expert {
        severity: Severity::Warning,
        group: "Response code",
        protocol,
        message: message.into(),
    }
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_frame, with_patched, with_truncated};

    /// stun_natpmp.pcapng frame 1 (rizztoy ip.pcapng frame 42): NAT-PMP's external
    /// address request.
    #[test]
    fn external_address_request() {
        with_frame("stun_natpmp.pcapng", 1, |d| {
            assert_eq!(d.columns.protocol, "NAT-PMP");
            assert_eq!(d.columns.info, "External Address Request");
            assert_eq!(field(d, "nat-pmp.version"), "0");
            assert_eq!(field(d, "nat-pmp.opcode"), "0");
        });
    }

    /// Frame 2 (ip.pcapng frame 43): PCP version 2's ANNOUNCE request.
    #[test]
    fn pcp_announce_request() {
        with_frame("stun_natpmp.pcapng", 2, |d| {
            assert_eq!(d.columns.protocol, "PCP v2");
            assert_eq!(d.columns.info, "Announce Request");
            assert_eq!(field(d, "portcontrol.version"), "2");
            assert_eq!(field(d, "portcontrol.r"), "0");
            assert_eq!(field(d, "portcontrol.opcode"), "0");
            assert_eq!(field(d, "portcontrol.request"), "1");
            assert_eq!(field(d, "portcontrol.lifetime_req"), "0");
            assert_eq!(field(d, "portcontrol.client_ip"), "::ffff:192.168.212.38");
        });
    }

    /// A MAP response opcode on the 24 bytes of an announce: the fields it needs are
    /// missing, so the packet is malformed; a cut request keeps what it has.
    #[test]
    fn short_and_truncated() {
        with_patched(
            "stun_natpmp.pcapng",
            2,
            |b| b[43] = 0x81,
            |d| {
                assert_eq!(d.columns.protocol, "PCP v2");
                assert_eq!(d.columns.info, "Map Response[Malformed Packet]");
                assert_eq!(field(d, "portcontrol.response"), "1");
            },
        );
        with_truncated("stun_natpmp.pcapng", 2, 50, |d| {
            assert_eq!(field(d, "portcontrol.lifetime_req"), "0");
            assert_eq!(field(d, "portcontrol.client_ip"), "");
        });
        // Version 3: neither protocol.
        with_patched(
            "stun_natpmp.pcapng",
            2,
            |b| b[42] = 3,
            |d| assert_eq!(d.columns.protocol, "UDP"),
        );
    }
}
