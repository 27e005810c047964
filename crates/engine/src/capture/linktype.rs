//! Link-layer header types (tcpdump.org's LINKTYPE_ values) and which of them we read.

/// A LINKTYPE_ value from a pcap header or a pcapng Interface Description Block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LinkType(pub u16);

impl LinkType {
    /// BSD loopback: a 4-byte address family in the capturing host's byte order.
    pub const NULL: LinkType = LinkType(0);
    /// Ethernet II / 802.3.
    pub const ETHERNET: LinkType = LinkType(1);
    /// Raw IP (OpenBSD's value 12 and the Linux value 14 are also raw IP).
    pub const RAW: LinkType = LinkType(101);
    /// OpenBSD loopback: the address family in network byte order.
    pub const LOOP: LinkType = LinkType(108);
    /// Linux cooked capture v1 (SLL).
    pub const LINUX_SLL: LinkType = LinkType(113);
    /// 802.11 with a radiotap header.
    pub const IEEE802_11_RADIOTAP: LinkType = LinkType(127);
    /// CACE's Per-Packet Information header, then the link type it names.
    pub const PPI: LinkType = LinkType(192);
    /// Raw IPv4.
    pub const IPV4: LinkType = LinkType(228);
    /// Raw IPv6.
    pub const IPV6: LinkType = LinkType(229);
    /// Linux cooked capture v2 (SLL2).
    pub const LINUX_SLL2: LinkType = LinkType(276);

    /// Reads the 32-bit pcap `network` field: the low 16 bits are the link type, the
    /// high bits carry FCS information we do not need.
    pub fn from_pcap_network(network: u32) -> LinkType {
        LinkType((network & 0xFFFF) as u16)
    }

    /// Whether tshark 4.0 reads files of this link type. For the others it refuses the
    /// whole file ("contains record data that TShark doesn't support"), and so do we,
    /// so that packet counts agree. The list was measured by giving tshark one packet
    /// of each link type from 0 to 299.
    pub fn is_readable(self) -> bool {
        READABLE.binary_search(&self.0).is_ok() || self.0 >= 300
    }

    /// Wireshark's own encapsulation number (WTAP_ENCAP_*), which `frame.encap_type`
    /// shows: measured with tshark 4.0 on a file of each link type in tcpdump's test
    /// corpus; the link type itself where none was measured.
    pub fn wtap_encap(self) -> u16 {
        #[rustfmt::skip]
        const MEASURED: &[(u16, u16)] = &[
            (0, 15), (1, 1), (8, 3), (9, 4), (50, 4), (100, 10), (101, 7), (104, 28), (105, 20),
            (106, 11), (107, 26), (113, 25), (123, 13), (127, 23), (129, 9), (137, 67),
            (149, 47), (160, 58), (178, 83), (192, 97), (195, 104), (226, 124), (228, 129), (229, 130),
            (231, 146), (239, 141), (242, 180), (258, 171), (271, 185), (276, 210),
        ];
        MEASURED
            .iter()
            .find(|(link, _)| *link == self.0)
            .map_or(self.0, |&(_, encap)| encap)
    }

    /// Wireshark's name for the encapsulation, as `frame.encap_type`'s label shows it.
    pub fn name(self) -> &'static str {
        match self.0 {
            0 => "NULL/Loopback",
            1 => "Ethernet",
            6 => "Token Ring",
            9 | 50 => "PPP",
            12 | 14 | 101 => "Raw IP",
            104 => "Cisco HDLC",
            105 => "IEEE 802.11 Wireless LAN",
            108 => "OpenBSD loopback",
            113 => "Linux cooked-mode capture v1",
            127 => "IEEE 802.11 plus radiotap radio header",
            192 => "Per-Packet Information header",
            228 => "Raw IPv4",
            229 => "Raw IPv6",
            276 => "Linux cooked-mode capture v2",
            _ => "Unknown",
        }
    }
}

/// Link types below 300 that tshark 4.0 accepts (measured, see [`LinkType::is_readable`]).
const READABLE: &[u16] = &[
    0, 1, 2, 3, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 18, 19, 32, 50, 51, 99, 100, 101, 104, 105,
    106, 107, 108, 109, 112, 113, 114, 117, 118, 119, 121, 122, 123, 127, 128, 129, 130, 131, 133,
    135, 136, 137, 138, 139, 140, 141, 142, 143, 147, 148, 149, 150, 151, 152, 153, 154, 155, 156,
    157, 158, 159, 160, 161, 162, 163, 165, 167, 169, 170, 171, 172, 173, 178, 179, 180, 181, 183,
    184, 186, 187, 188, 189, 190, 192, 195, 196, 197, 199, 200, 201, 202, 203, 204, 209, 210, 211,
    212, 213, 214, 215, 220, 224, 225, 226, 227, 228, 229, 230, 231, 235, 236, 237, 239, 240, 241,
    242, 243, 245, 248, 249, 250, 251, 252, 253, 254, 255, 256, 258, 259, 260, 264, 266, 268, 270,
    271, 272, 273, 274, 275, 276, 279, 280, 283, 287, 288, 290, 292, 293, 294, 295,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readable_list_is_sorted_and_matches_tshark() {
        assert!(READABLE.windows(2).all(|w| w[0] < w[1]));
        assert!(LinkType::ETHERNET.is_readable());
        assert!(LinkType::LINUX_SLL2.is_readable());
        // kday6.pcap in tcpdump's tests: tshark refuses network type 182.
        assert!(!LinkType(182).is_readable());
        assert_eq!(LinkType::from_pcap_network(0x3000_0084), LinkType(132));
        // tshark -T fields -e frame.encap_type on ieee802.11_exthdr.pcap: 23.
        assert_eq!(LinkType::IEEE802_11_RADIOTAP.wtap_encap(), 23);
        assert_eq!(LinkType::ETHERNET.wtap_encap(), 1);
    }
}
