//! Splits a capture between the threads of a parallel load: each packet goes to the
//! partition of its outermost IP address pair, so that both directions of every
//! conversation between two hosts meet in one partition.
//!
//! An ICMP error goes with the datagram it quotes (its dissection looks up that
//! datagram's conversation).
//!
//! This is only a guess made from the first headers: the load pass checks that every
//! conversation and transaction it touches routes to its own partition (tunnels and
//! ICMP errors carry other addresses inside) and the load starts over on one thread
//! when one does not.

use super::ipv4::Addr;
use crate::bytes;
use crate::capture::LinkType;
use crate::wire::{Ieee80211View, Ipv4View, Ipv6View, wlan_flags, wlan_type};

/// Number of partitions a capture is split into.
pub const PARTITIONS: u8 = 2;

/// VLAN tags followed before giving up (QinQ and a little more).
const MAX_VLAN_TAGS: usize = 4;

/// The partition of the conversation between `a` and `b` (either order).
pub fn partition_of_pair(a: &Addr, b: &Addr) -> u8 {
    partition_of_words(Words::of(a), Words::of(b))
}

/// An address as integers, ordered as [`Addr`] orders (IPv4 first, then by bytes).
/// The packets' routing reads addresses straight into these: building [`Addr`]s
/// went through the stack byte by byte, and reading them back as words stalled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Words {
    v6: bool,
    high: u64,
    low: u64,
}

impl Words {
    fn v4(a: [u8; 4]) -> Self {
        Words {
            v6: false,
            high: 0,
            low: u64::from(u32::from_be_bytes(a)),
        }
    }

    fn v6(a: [u8; 16]) -> Self {
        let (high, low) = a.split_at(8);
        Words {
            v6: true,
            high: high.try_into().map_or(0, u64::from_be_bytes),
            low: low.try_into().map_or(0, u64::from_be_bytes),
        }
    }

    fn of(addr: &Addr) -> Self {
        match addr {
            Addr::V4(a) => Self::v4(*a),
            Addr::V6(a) => Self::v6(*a),
        }
    }

    fn fold(self) -> u64 {
        if self.v6 {
            self.high.rotate_left(17) ^ self.low
        } else {
            self.low
        }
    }
}

/// [`partition_of_pair`] on addresses already read as words.
fn partition_of_words(a: Words, b: Words) -> u8 {
    let (low, high) = if a <= b { (a, b) } else { (b, a) };
    let mix = low.fold().wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ high.fold();
    // The multiply carries every input bit into the high bits.
    let spread = mix.wrapping_mul(0xD6E8_FEB8_6659_FD93);
    ((spread >> 63) as u8) % PARTITIONS
}

/// The partition of a packet: that of its outermost IP address pair, or 0 when no IP
/// header is found where the link type puts one. An 802.11 frame without one goes by
/// its first two addresses instead (see [`wireless`]).
pub fn partition_of_packet(link: LinkType, data: &[u8]) -> u8 {
    let found = match link {
        LinkType::IEEE802_11_RADIOTAP => {
            let len = bytes::le_u16(data, 2).map_or(data.len(), usize::from);
            return wireless(bytes::tail(data, len));
        }
        LinkType(105) => return wireless(data),
        LinkType::PPI => match super::ppi::frame_start(data) {
            Some((at, 105)) => return wireless(bytes::tail(data, at)),
            Some((at, 1)) => addresses(LinkType::ETHERNET, bytes::tail(data, at)),
            _ => None,
        },
        _ => addresses(link, data),
    };
    match found {
        Some((a, b)) => partition_of_words(a, b),
        None => 0,
    }
}

/// An 802.11 frame's partition: that of the IP datagram a data frame carries after
/// LLC/SNAP; for any other frame (management, control, protected, not IP) that of
/// its receiver and transmitter addresses. Such a frame touches none of the load's
/// conversations, so either partition would do, and a Wi-Fi capture is mostly such
/// frames: sending them all to one partition left the other idle.
fn wireless(mac: &[u8]) -> u8 {
    const SNAP: [u8; 6] = [0xaa, 0xaa, 0x03, 0, 0, 0];
    let Ok(header) = Ieee80211View::new(mac) else {
        return 0;
    };
    let body = bytes::tail(mac, header.header_len());
    let carries_ip = header.frame_type() == wlan_type::DATA
        && header.flags() & wlan_flags::PROTECTED == 0
        && body.get(..6) == Some(&SNAP[..]);
    // ARP's duplicate address detection keeps one table for the capture, in
    // partition 0 (where Ethernet's ARP goes, having no IP header).
    if header.frame_type() == wlan_type::DATA
        && header.flags() & wlan_flags::PROTECTED == 0
        && body.get(..6) == Some(&SNAP[..])
        && bytes::be_u16(body, 6) == Some(0x0806)
    {
        return 0;
    }
    if carries_ip {
        let pair = match bytes::be_u16(body, 6) {
            Some(0x0800) => ipv4_pair(bytes::tail(body, 8), true),
            Some(0x86dd) => ipv6_pair(bytes::tail(body, 8), true),
            _ => None,
        };
        if let Some((a, b)) = pair {
            return partition_of_words(a, b);
        }
    }
    let station = |at: usize| {
        bytes::array::<6>(mac, at)
            .map_or(0, |a| a.iter().fold(0u64, |n, b| (n << 8) | u64::from(*b)))
    };
    let (low, high) = {
        let (a, b) = (station(4), station(10));
        if a <= b { (a, b) } else { (b, a) }
    };
    let spread =
        (low.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ high).wrapping_mul(0xD6E8_FEB8_6659_FD93);
    ((spread >> 63) as u8) % PARTITIONS
}

/// The outermost source and destination IP addresses.
fn addresses(link: LinkType, data: &[u8]) -> Option<(Words, Words)> {
    let (ethertype, at) = match link {
        LinkType::ETHERNET => ethernet(data)?,
        LinkType::LINUX_SLL => (bytes::be_u16(data, 14)?, 16),
        LinkType::LINUX_SLL2 => (bytes::be_u16(data, 0)?, 20),
        LinkType::NULL | LinkType::LOOP => {
            let family = match link {
                LinkType::LOOP => bytes::be_u32(data, 0)?,
                _ => bytes::le_u32(data, 0)?,
            };
            match family {
                2 => (0x0800, 4),
                24 | 28 | 30 => (0x86dd, 4),
                _ => return None,
            }
        }
        LinkType(12 | 14) | LinkType::RAW | LinkType::IPV4 | LinkType::IPV6 => {
            match bytes::u8_at(data, 0)? >> 4 {
                4 => (0x0800, 0),
                6 => (0x86dd, 0),
                _ => return None,
            }
        }
        _ => return None,
    };
    match ethertype {
        0x0800 => ipv4_pair(bytes::tail(data, at), true),
        0x86dd => ipv6_pair(bytes::tail(data, at), true),
        _ => None,
    }
}

/// An IPv4 packet's address pair; for an ICMP error (when `follow` is set), that of
/// the datagram it quotes, whose conversation its dissection looks up.
fn ipv4_pair(data: &[u8], follow: bool) -> Option<(Words, Words)> {
    let ip = Ipv4View::new(data).ok()?;
    let pair = (Words::v4(ip.src_addr()), Words::v4(ip.dst_addr()));
    if follow
        && ip.protocol() == 47
        && !ip.is_fragment()
        && let Some(inner) = gre_inner(bytes::tail(data, ip.header_len()))
    {
        return inner;
    }
    if follow && ip.protocol() == 1 && !ip.is_fragment() {
        let icmp = bytes::tail(data, ip.header_len());
        if matches!(bytes::u8_at(icmp, 0), Some(3 | 4 | 5 | 11 | 12))
            && let Some(quoted) = ipv4_pair(bytes::tail(icmp, 8), false)
        {
            return Some(quoted);
        }
    }
    Some(pair)
}

/// The IPv6 twin of [`ipv4_pair`] (an ICMPv6 error right after the fixed header).
fn ipv6_pair(data: &[u8], follow: bool) -> Option<(Words, Words)> {
    let ip = Ipv6View::new(data).ok()?;
    let pair = (Words::v6(ip.src_addr()), Words::v6(ip.dst_addr()));
    if follow
        && ip.next_header() == 47
        && let Some(inner) = gre_inner(bytes::tail(data, 40))
    {
        return inner;
    }
    if follow && ip.next_header() == 58 {
        let icmp = bytes::tail(data, 40);
        if matches!(bytes::u8_at(icmp, 0), Some(1..=4))
            && let Some(quoted) = ipv6_pair(bytes::tail(icmp, 8), false)
        {
            return Some(quoted);
        }
    }
    Some(pair)
}

/// The pair of what a GRE packet carries (an IP packet, or an Ethernet frame bridged
/// or mirrored by ERSPAN): its dissection's conversations are the inner packet's. One
/// level only: the inner packet's own tunnels and ICMP errors are not followed.
/// `Some(None)`: a frame without IP inside, which goes where such a frame goes alone
/// (partition 0, with ARP's table); `None`: not followed (the outer pair decides).
fn gre_inner(gre: &[u8]) -> Option<Option<(Words, Words)>> {
    use super::{erspan, tunnel};
    let flags = bytes::be_u16(gre, 0)?;
    let proto = bytes::be_u16(gre, 2)?;
    // Source routes (RFC 1701) or PPTP's enhanced GRE: not followed.
    if flags & 0x4007 != 0 {
        return None;
    }
    // The dissector's reading of the header (WCCP 2's redirect header included).
    let header = tunnel::gre_header(gre, 0, flags, proto);
    let inner = bytes::tail(gre, header.len);
    let ip = |kind: u16, at: usize| match kind {
        0x0800 => ipv4_pair(bytes::tail(inner, at), false).map(Some),
        0x86dd => ipv6_pair(bytes::tail(inner, at), false).map(Some),
        _ => None,
    };
    let frame = |at: usize| {
        let frame = bytes::tail(inner, at);
        let (kind, start) = ethernet(frame)?;
        Some(match kind {
            0x0800 => ipv4_pair(bytes::tail(frame, start), false),
            0x86dd => ipv6_pair(bytes::tail(frame, start), false),
            _ => None,
        })
    };
    match proto {
        0x0800 | 0x86dd => ip(proto, 0),
        tunnel::WCCP => ip(0x0800, 0),
        // Cisco MetaData: the EtherType first, 8 bytes in all.
        tunnel::CISCO_METADATA => ip(bytes::be_u16(inner, 0)?, 8),
        tunnel::TEB => frame(0),
        erspan::GRE_TYPE_88BE | erspan::GRE_TYPE_22EB => {
            frame(erspan::frame_offset(proto, header.seq_at.is_some(), inner)?)
        }
        _ => None,
    }
}

/// The EtherType after any VLAN tags, and where its payload starts.
pub(crate) fn ethernet(data: &[u8]) -> Option<(u16, usize)> {
    let mut at = 12;
    for _ in 0..MAX_VLAN_TAGS {
        let ethertype = bytes::be_u16(data, at)?;
        match ethertype {
            0x8100 | 0x88a8 | 0x9100 => at += 4,
            _ => return Some((ethertype, at + 2)),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_directions_share_a_partition() {
        let a = Addr::V4([10, 0, 0, 1]);
        let b = Addr::V4([10, 0, 0, 2]);
        assert_eq!(partition_of_pair(&a, &b), partition_of_pair(&b, &a));
    }

    #[test]
    fn many_hosts_spread_over_the_partitions() {
        let server = Addr::V4([10, 0, 0, 2]);
        let ones = (0..=255u8)
            .map(|i| partition_of_pair(&Addr::V4([10, 1, i, 1]), &server))
            .filter(|p| *p == 1)
            .count();
        assert!((64..192).contains(&ones), "{ones} of 256 in partition 1");
    }

    #[test]
    fn wireless_ip_routes_by_its_addresses_the_rest_by_stations() {
        // Radiotap (8 bytes, no fields), a To DS data frame, LLC/SNAP, IPv4's first 20.
        let mut frame = vec![0, 0, 8, 0, 0, 0, 0, 0, 0x08, 0x01, 0, 0];
        frame.extend_from_slice(&[2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 3, 0, 0]);
        frame.extend_from_slice(&[0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00]);
        frame.extend_from_slice(&[0x45, 0, 0, 40, 0, 0, 0x40, 0, 64, 17, 0, 0]);
        let mut both = [0u8; 2];
        for host in 0..=255u8 {
            frame.truncate(frame.len().min(52));
            frame.extend_from_slice(&[10, 0, 0, host, 10, 0, 0, 1]);
            let expected = partition_of_pair(&Addr::V4([10, 0, 0, host]), &Addr::V4([10, 0, 0, 1]));
            let got = partition_of_packet(LinkType::IEEE802_11_RADIOTAP, &frame);
            assert_eq!(got, expected);
            if let Some(n) = both.get_mut(usize::from(got)) {
                *n = 1;
            }
        }
        assert_eq!(both, [1, 1]);
        // A beacon (no IP): both directions between two stations meet.
        let beacon = |a: u8, b: u8| {
            let mut f = vec![0x80, 0, 0, 0, 2, 0, 0, 0, 0, a, 2, 0, 0, 0, 0, b];
            f.extend_from_slice(&[0u8; 8]);
            f
        };
        let spread: Vec<u8> = (0..64)
            .map(|i| {
                let p = partition_of_packet(LinkType(105), &beacon(i, 200));
                assert_eq!(p, partition_of_packet(LinkType(105), &beacon(200, i)));
                p
            })
            .collect();
        assert!(spread.contains(&0) && spread.contains(&1));
    }

    #[test]
    fn ethernet_vlan_ipv4_routes_by_its_addresses() {
        // Ethernet, one 802.1Q tag, then the first 20 bytes of an IPv4 header.
        let mut frame = vec![0u8; 12];
        frame.extend_from_slice(&[0x81, 0x00, 0x00, 0x05, 0x08, 0x00]);
        frame.extend_from_slice(&[0x45, 0, 0, 40, 0, 0, 0x40, 0, 64, 6, 0, 0]);
        frame.extend_from_slice(&[192, 168, 1, 1, 192, 168, 1, 2]);
        let expected = partition_of_pair(&Addr::V4([192, 168, 1, 2]), &Addr::V4([192, 168, 1, 1]));
        assert_eq!(partition_of_packet(LinkType::ETHERNET, &frame), expected);
        // Cut before the destination address: no pair, partition 0.
        assert_eq!(partition_of_packet(LinkType::ETHERNET, &frame[..34]), 0);
    }

    /// An IPv4 packet in GRE routes by the inner addresses, which its dissection's
    /// conversations use; an ARP frame mirrored by ERSPAN Type I goes to partition 0.
    #[test]
    fn gre_routes_by_what_it_carries() {
        let ipv4 = |proto: u8, src: [u8; 4], dst: [u8; 4]| {
            let mut h = vec![0x45, 0, 0, 60, 0, 0, 0x40, 0, 64, proto, 0, 0];
            h.extend_from_slice(&src);
            h.extend_from_slice(&dst);
            h
        };
        let (inner_src, inner_dst) = ([10, 9, 8, 5], [172, 16, 0, 1]);
        let mut frame = vec![0u8; 12];
        frame.extend_from_slice(&[0x08, 0x00]);
        frame.extend(ipv4(47, [192, 0, 2, 1], [192, 0, 2, 2]));
        frame.extend_from_slice(&[0x00, 0x00, 0x08, 0x00]);
        frame.extend(ipv4(6, inner_src, inner_dst));
        let expected = partition_of_pair(&Addr::V4(inner_src), &Addr::V4(inner_dst));
        // The outer pair goes to the other partition: the test tells them apart.
        let outer = partition_of_pair(&Addr::V4([192, 0, 2, 1]), &Addr::V4([192, 0, 2, 2]));
        assert_ne!(outer, expected);
        assert_eq!(partition_of_packet(LinkType::ETHERNET, &frame), expected);

        let mut erspan = vec![0u8; 12];
        erspan.extend_from_slice(&[0x08, 0x00]);
        erspan.extend(ipv4(47, [192, 0, 2, 1], [192, 0, 2, 2]));
        erspan.extend_from_slice(&[0x00, 0x00, 0x88, 0xbe]);
        erspan.extend_from_slice(&[0xff; 12]);
        erspan.extend_from_slice(&[0x08, 0x06, 0, 1, 0x08, 0x00, 6, 4, 0, 1]);
        assert_eq!(partition_of_packet(LinkType::ETHERNET, &erspan), 0);
    }
}
