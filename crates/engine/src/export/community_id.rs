//! Community ID v1 (corelight's flow hashing spec, which Zeek, Suricata and Arkime
//! share): a flow's addresses, ports and protocol, put in a canonical order and hashed
//! with SHA-1, so that the same conversation gets the same id in every tool's output.

use crate::dissect::ipv4::Addr;
use base64::Engine as _;
use sha1::{Digest, Sha1};

/// IP protocol numbers the spec treats specially.
pub mod proto {
    /// ICMP.
    pub const ICMP: u8 = 1;
    /// TCP.
    pub const TCP: u8 = 6;
    /// UDP.
    pub const UDP: u8 = 17;
    /// ICMPv6.
    pub const ICMPV6: u8 = 58;
    /// SCTP.
    pub const SCTP: u8 = 132;
}

/// The spec's stand-in ports for an ICMP message: the type, and either the type of
/// the message answering it (request/reply pairs hash as one flow both ways) or the
/// code (a message with no counterpart, whose flow is one-way). Returns
/// `(sport, dport, one_way)`.
pub fn icmp_ports(icmp_proto: u8, icmp_type: u8, code: u8) -> (u16, u16, bool) {
    // Request/reply pairs listed by the spec, both directions.
    let counterpart = if icmp_proto == proto::ICMPV6 {
        match icmp_type {
            128 => Some(129), // echo request / reply
            129 => Some(128),
            133 => Some(134), // router solicitation / advertisement
            134 => Some(133),
            135 => Some(136), // neighbor solicitation / advertisement
            136 => Some(135),
            130 => Some(131), // multicast listener query / report
            131 => Some(130),
            139 => Some(140), // node information query / reply
            140 => Some(139),
            144 => Some(145), // home agent address discovery request / reply
            145 => Some(144),
            _ => None,
        }
    } else {
        match icmp_type {
            8 => Some(0), // echo / echo reply
            0 => Some(8),
            13 => Some(14), // timestamp / reply
            14 => Some(13),
            15 => Some(16), // information request / reply
            16 => Some(15),
            10 => Some(9), // router solicitation / advertisement
            9 => Some(10),
            17 => Some(18), // address mask request / reply
            18 => Some(17),
            _ => None,
        }
    };
    match counterpart {
        Some(other) => (u16::from(icmp_type), other, false),
        None => (u16::from(icmp_type), u16::from(code), true),
    }
}

/// The address's bytes in network order (4 or 16).
fn addr_bytes(addr: &Addr) -> &[u8] {
    match addr {
        Addr::V4(a) => a,
        Addr::V6(a) => a,
    }
}

/// A flow's endpoints as the hash orders them: the smaller (address, port) first,
/// unless the flow is one-way (an ICMP message without a counterpart).
pub fn ordered(src: (Addr, u16), dst: (Addr, u16), one_way: bool) -> ((Addr, u16), (Addr, u16)) {
    let key = |e: &(Addr, u16)| (addr_bytes(&e.0).to_vec(), e.1);
    if one_way || key(&src) <= key(&dst) {
        (src, dst)
    } else {
        (dst, src)
    }
}

/// The Community ID v1 string (`1:` and the base64 of the SHA-1) of a flow with the
/// given seed. Ports are the transport ports, or [`icmp_ports`]' stand-ins (then
/// `one_way` as it says); for protocols without ports pass 0 and 0.
pub fn community_id(
    seed: u16,
    src: (Addr, u16),
    dst: (Addr, u16),
    ip_proto: u8,
    one_way: bool,
) -> String {
    let ((a, a_port), (b, b_port)) = ordered(src, dst, one_way);
    let mut h = Sha1::new();
    h.update(seed.to_be_bytes());
    h.update(addr_bytes(&a));
    h.update(addr_bytes(&b));
    // The protocol byte is followed by one byte of padding.
    h.update([ip_proto, 0]);
    let with_ports = matches!(
        ip_proto,
        proto::TCP | proto::UDP | proto::SCTP | proto::ICMP | proto::ICMPV6
    );
    if with_ports {
        h.update(a_port.to_be_bytes());
        h.update(b_port.to_be_bytes());
    }
    let digest = h.finalize();
    format!(
        "1:{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v4(a: [u8; 4]) -> Addr {
        Addr::V4(a)
    }

    /// The spec's README examples (`community-id-spec`, "Examples").
    #[test]
    fn matches_the_spec_examples() {
        // TCP 128.232.110.120:34855 -> 66.35.250.204:80
        let id = community_id(
            0,
            (v4([128, 232, 110, 120]), 34855),
            (v4([66, 35, 250, 204]), 80),
            proto::TCP,
            false,
        );
        assert_eq!(id, "1:LQU9qZlK+B5F3KDmev6m5PMibrg=");
        // The reverse direction hashes the same.
        let back = community_id(
            0,
            (v4([66, 35, 250, 204]), 80),
            (v4([128, 232, 110, 120]), 34855),
            proto::TCP,
            false,
        );
        assert_eq!(back, id);
    }

    #[test]
    fn echo_request_and_reply_are_one_flow() {
        let (s, d, one) = icmp_ports(proto::ICMP, 8, 0);
        let (rs, rd, rone) = icmp_ports(proto::ICMP, 0, 0);
        assert!(!one && !rone);
        let a = community_id(0, (v4([10, 0, 0, 1]), s), (v4([10, 0, 0, 2]), d), 1, one);
        let b = community_id(0, (v4([10, 0, 0, 2]), rs), (v4([10, 0, 0, 1]), rd), 1, rone);
        assert_eq!(a, b);
    }
}
