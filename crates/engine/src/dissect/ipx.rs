//! Novell IPX (behind 802.3 LLC SAP 0xe0, or raw 802.3) and the three protocols old
//! LAN traces carry on it: IPX RIP (socket 0x0453), SAP (0x0452) and NetBIOS over
//! IPX (0x0455). Addresses print as tshark's `network.node` (`00000000.0003471bc1a8`).

use super::context::PacketContext;
use super::field::kinds::*;
use super::nbns::{name_type_text, netbios_text};
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;
use std::borrow::Cow;

#[rustfmt::skip]
const PACKET_TYPES: &[(u64, &str)] = &[
    (0x00, "IPX"), (0x01, "RIP"), (0x02, "Echo"), (0x03, "Error"), (0x04, "PEP"),
    (0x05, "SPX"), (0x11, "NCP"), (0x14, "NetBIOS Broadcast"),
];
#[rustfmt::skip]
const SOCKETS: &[(u64, &str)] = &[
    (0x0451, "NCP"), (0x0452, "SAP"), (0x0453, "RIP"), (0x0455, "NetBIOS"),
    (0x0456, "Diagnostic"), (0x0457, "Serialization"), (0x0553, "NWLink SMB Name Query"),
    (0x0551, "NWLink SMB Datagram"), (0x4003, "NetWare 386"), (0x400c, "HP LaserJet/QuickSilver"),
];
#[rustfmt::skip]
const SAP_TYPES: &[(u64, &str)] = &[
    (1, "General Query"), (2, "General Response"), (3, "Nearest Query"), (4, "Nearest Response"),
];
const RIP_TYPES: &[(u64, &str)] = &[(1, "Request"), (2, "Response")];
#[rustfmt::skip]
const NBIPX_TYPES: &[(u64, &str)] = &[
    (1, "Find name"), (2, "Name recognized"), (3, "Add name"), (4, "Name in use"),
    (5, "Delete name"), (6, "Session data"), (7, "Session end"), (8, "Session end ack"),
];

crate::define_fields! { after super::cdp::END;
    IPX = "ipx", "Internetwork Packet eXchange", PROTO;
    CHECKSUM = "ipx.checksum", "Checksum", hex(16);
    SRC = "ipx.src", "Source Address", STR;
    DST = "ipx.dst", "Destination Address", STR;
    LEN = "ipx.len", "Length", dec(16);
    HOPS = "ipx.hops", "Transport Control (Hops)", dec(8);
    PACKET_TYPE = "ipx.packet_type", "Packet Type", hex_named(8, PACKET_TYPES);
    DST_NET = "ipx.dst.net", "Destination Network", hex(32);
    DST_NODE = "ipx.dst.node", "Destination Node", ETHER;
    DST_SOCKET = "ipx.dst.socket", "Destination Socket", hex_named(16, SOCKETS);
    SRC_NET = "ipx.src.net", "Source Network", hex(32);
    SRC_NODE = "ipx.src.node", "Source Node", ETHER;
    SRC_SOCKET = "ipx.src.socket", "Source Socket", hex_named(16, SOCKETS);
    IPXRIP = "ipxrip", "IPX Routing Information Protocol", PROTO;
    RIP_PACKET_TYPE = "ipxrip.packet_type", "RIP packet type", dec_named(16, RIP_TYPES);
    RIP_HOPS = "ipxrip.hops", "Hops", dec(16);
    RIP_TICKS = "ipxrip.ticks", "Ticks", dec(16);
    IPXSAP = "ipxsap", "Service Advertisement Protocol", PROTO;
    SAP_PACKET_TYPE = "ipxsap.packet_type", "SAP packet type", dec_named(16, SAP_TYPES);
    SAP_SERVER_TYPE = "ipxsap.server.type", "Server Type", hex(16);
    SAP_SERVER_NAME = "ipxsap.server.name", "Server Name", STR;
    SAP_SERVER_NODE = "ipxsap.server.node", "Node", ETHER;
    SAP_SERVER_SOCKET = "ipxsap.server.socket", "Socket", hex(16);
    SAP_INTERMEDIATE = "ipxsap.server.intermediate_networks", "Intermediate Networks", dec(16);
    NBIPX = "nbipx", "NetBIOS over IPX", PROTO;
    NMPI_NAME_FLAGS = "nmpi.name_flags", "Name type flag", hex(8);
    NMPI_PACKETTYPE = "nmpi.packettype", "Packet Type", hex_named(8, NBIPX_TYPES);
}

/// The IPX header's length (Novell's IPX specification).
const HEADER_LEN: usize = 30;
/// SAP records read at most (seven fit in one packet).
const MAX_SERVERS: usize = 64;
/// RIP entries read at most (fifty fit in one packet).
const MAX_ROUTES: usize = 64;

fn address(net: u32, node: &[u8; 6]) -> String {
    let mut s = format!("{net:08x}.");
    for b in node {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Dissects an IPX packet at `offset` of `data` (bounded by 802.3's length).
pub fn dissect<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, data: &'a [u8], offset: usize) {
    let b = bytes::tail(data, offset);
    let (Some(sum), Some(len), Some(hops), Some(kind)) = (
        bytes::be_u16(b, 0),
        bytes::be_u16(b, 2),
        bytes::u8_at(b, 4),
        bytes::u8_at(b, 5),
    ) else {
        super::truncated(d, ctx, data, offset, "IPX");
        return;
    };
    let (Some(dnet), Some(dnode), Some(dsock), Some(snet), Some(snode), Some(ssock)) = (
        bytes::be_u32(b, 6),
        bytes::array::<6>(b, 10),
        bytes::be_u16(b, 16),
        bytes::be_u32(b, 18),
        bytes::array::<6>(b, 22),
        bytes::be_u16(b, 28),
    ) else {
        super::truncated(d, ctx, data, offset, "IPX");
        return;
    };
    let (src, dst) = (address(snet, &snode), address(dnet, &dnode));
    let item = d.add(IPX, offset, HEADER_LEN, Value::None);
    d.push_layer("ipx");
    d.set_protocol("IPX");
    d.set_addresses(|| (src.clone(), dst.clone()));
    d.begin(item);
    d.add(CHECKSUM, offset, 2, Value::UInt(u64::from(sum)));
    d.add_hidden(
        SRC,
        offset + 18,
        12,
        Value::Str(Cow::Owned(src.clone().into_bytes())),
    );
    d.add_hidden(
        DST,
        offset + 6,
        12,
        Value::Str(Cow::Owned(dst.clone().into_bytes())),
    );
    d.add_labeled(LEN, offset + 2, 2, Value::UInt(u64::from(len)), || {
        format!("Length: {len} bytes")
    });
    d.add(HOPS, offset + 4, 1, Value::UInt(u64::from(hops)));
    d.add(PACKET_TYPE, offset + 5, 1, Value::UInt(u64::from(kind)));
    d.add(DST_NET, offset + 6, 4, Value::UInt(u64::from(dnet)));
    d.add(DST_NODE, offset + 10, 6, Value::Ether(dnode));
    d.add(DST_SOCKET, offset + 16, 2, Value::UInt(u64::from(dsock)));
    d.add(SRC_NET, offset + 18, 4, Value::UInt(u64::from(snet)));
    d.add(SRC_NODE, offset + 22, 6, Value::Ether(snode));
    d.add(SRC_SOCKET, offset + 28, 2, Value::UInt(u64::from(ssock)));
    d.end();
    let name = super::value::value_name(Some(SOCKETS), u64::from(dsock)).unwrap_or("Unknown");
    d.set_info(|| format!("{name} (0x{dsock:04x})"));
    // The length field must cover the header and stay inside the frame.
    let len = usize::from(len);
    if len < HEADER_LEN || len > b.len() {
        super::malformed(
            d,
            data,
            offset + HEADER_LEN,
            "IPX",
            len.saturating_sub(HEADER_LEN),
        );
        return;
    }
    let body = b.get(HEADER_LEN..len).unwrap_or(&[]);
    let at = offset + HEADER_LEN;
    match (dsock, ssock) {
        (0x0453, _) | (_, 0x0453) => rip(d, at, body),
        (0x0452, _) | (_, 0x0452) => sap(d, at, body),
        (0x0455, _) | (_, 0x0455) => nbipx(d, at, body),
        _ => {}
    }
}

fn rip(d: &mut Dissection<'_>, at: usize, b: &[u8]) {
    let Some(kind) = bytes::be_u16(b, 0) else {
        return;
    };
    d.open_protocol(IPXRIP, (at, b.len()), "ipxrip", "IPX RIP");
    d.add(RIP_PACKET_TYPE, at, 2, Value::UInt(u64::from(kind)));
    let mut pos = 2usize;
    for _ in 0..MAX_ROUTES {
        let (Some(net), Some(hops), Some(ticks)) = (
            bytes::be_u32(b, pos),
            bytes::be_u16(b, pos + 4),
            bytes::be_u16(b, pos + 6),
        ) else {
            break;
        };
        d.text(at + pos, 4, || format!("Route Vector: {net:08x}"));
        d.add(RIP_HOPS, at + pos + 4, 2, Value::UInt(u64::from(hops)));
        d.add_labeled(
            RIP_TICKS,
            at + pos + 6,
            2,
            Value::UInt(u64::from(ticks)),
            || format!("Ticks: {} ms", u32::from(ticks) * 1000 / 18),
        );
        pos += 8;
    }
    d.end();
    let text =
        super::value::value_name(Some(RIP_TYPES), u64::from(kind)).unwrap_or("Unknown Packet Type");
    d.set_info(|| text.to_string());
}

fn sap(d: &mut Dissection<'_>, at: usize, b: &[u8]) {
    let Some(kind) = bytes::be_u16(b, 0) else {
        return;
    };
    d.open_protocol(IPXSAP, (at, b.len()), "ipxsap", "IPX SAP");
    d.add(SAP_PACKET_TYPE, at, 2, Value::UInt(u64::from(kind)));
    // Responses carry 64-byte server records (Novell's SAP specification).
    if kind == 2 || kind == 4 {
        let mut pos = 2usize;
        for _ in 0..MAX_SERVERS {
            let (Some(stype), Some(name), Some(node), Some(sock), Some(hops)) = (
                bytes::be_u16(b, pos),
                bytes::slice(b, pos + 2, 48),
                bytes::array::<6>(b, pos + 54),
                bytes::be_u16(b, pos + 60),
                bytes::be_u16(b, pos + 62),
            ) else {
                break;
            };
            let end = name.iter().position(|&c| c == 0).unwrap_or(name.len());
            let name = name.get(..end).unwrap_or(name);
            let text = super::value::string_label_text(name);
            let node_item = d.text(at + pos, 64, || format!("Server: {text}"));
            d.begin(node_item);
            d.add(SAP_SERVER_TYPE, at + pos, 2, Value::UInt(u64::from(stype)));
            d.add(
                SAP_SERVER_NAME,
                at + pos + 2,
                48,
                Value::Str(Cow::Owned(name.to_vec())),
            );
            d.add(SAP_SERVER_NODE, at + pos + 54, 6, Value::Ether(node));
            d.add(
                SAP_SERVER_SOCKET,
                at + pos + 60,
                2,
                Value::UInt(u64::from(sock)),
            );
            d.add(
                SAP_INTERMEDIATE,
                at + pos + 62,
                2,
                Value::UInt(u64::from(hops)),
            );
            d.end();
            pos += 64;
        }
    }
    d.end();
    let text =
        super::value::value_name(Some(SAP_TYPES), u64::from(kind)).unwrap_or("Unknown Packet Type");
    d.set_info(|| text.to_string());
}

/// NetBIOS over IPX's name packets: 32 bytes of router networks, the name flags, the
/// packet type and a 16-byte NetBIOS name.
fn nbipx(d: &mut Dissection<'_>, at: usize, b: &[u8]) {
    let (Some(flags), Some(kind), Some(raw)) = (
        bytes::u8_at(b, 32),
        bytes::u8_at(b, 33),
        bytes::array::<16>(b, 34),
    ) else {
        return;
    };
    d.open_protocol(NBIPX, (at, b.len()), "nbipx", "NBIPX");
    d.add(NMPI_NAME_FLAGS, at + 32, 1, Value::UInt(u64::from(flags)));
    d.add(NMPI_PACKETTYPE, at + 33, 1, Value::UInt(u64::from(kind)));
    let (name, t) = netbios_text(&raw);
    let label = format!("Name: {name} ({})", name_type_text(t));
    d.text(at + 34, 16, || label);
    d.end();
    if let Some(text) = super::value::value_name(Some(NBIPX_TYPES), u64::from(kind)) {
        d.set_info(|| format!("{text} {name}"));
    }
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_frame, with_patched};

    const IPX: &str = "../corpus/tcpdump/ipx.pcap";

    /// ipx.pcap frames 6, 9 and 53: SAP, RIP and NetBIOS over IPX.
    #[test]
    fn sap_rip_nbipx() {
        with_frame(IPX, 6, |d| {
            assert_eq!(d.columns.protocol, "IPX SAP");
            assert_eq!(d.columns.info, "General Response");
            assert_eq!(d.columns.source, "00000000.0030c1bf5755");
            assert_eq!(field(d, "ipxsap.server.name"), "0030C1BF575580D0NPIBF5755");
        });
        with_frame(IPX, 9, |d| {
            assert_eq!(d.columns.protocol, "IPX RIP");
            assert_eq!(d.columns.info, "Response");
        });
        with_frame(IPX, 53, |d| {
            assert_eq!(d.columns.protocol, "NBIPX");
            assert_eq!(d.columns.info, "Find name RADIUS<1e>");
        });
    }

    #[test]
    fn lying_length() {
        // IPX length 0xffff: past the frame.
        with_patched(
            IPX,
            9,
            |b| b[19..21].copy_from_slice(&[0xff, 0xff]),
            |d| {
                assert!(d.columns.info.ends_with("[Malformed Packet]"));
            },
        );
    }
}
