//! UDP (RFC 768) and the hand-off of its payload: conversation, port table
//! (`ports.rs`, lower port first), then heuristics, as tshark 4.0 decides.

use super::context::PacketContext;
use super::field::kinds::*;
use super::ipv4::{NetInfo, STATUS_NAMES};
use super::ports::{self, PortProto, Transport};
use super::tree::Dissection;
use super::value::Value;
use super::{
    data, dns, gquic, hsrp, nbdgm, nbns, ntp, quic, rip, rtcp, rtp, sip, ssdp, stun, tftp,
};
use crate::bytes;
use crate::services;
use crate::wire::UdpView;

crate::define_fields! { after super::icmpv6::END;
    UDP = "udp", "User Datagram Protocol", PROTO;
    SRCPORT = "udp.srcport", "Source Port", port(Transport::Udp);
    DSTPORT = "udp.dstport", "Destination Port", port(Transport::Udp);
    PORT = "udp.port", "Source or Destination Port", port(Transport::Udp);
    LENGTH = "udp.length", "Length", dec(16);
    CHECKSUM = "udp.checksum", "Checksum", hex(16);
    CHECKSUM_STATUS = "udp.checksum.status", "Checksum Status", named(8, STATUS_NAMES);
    STREAM = "udp.stream", "Stream index", dec(32);
    TIME_RELATIVE = "udp.time_relative", "Time since first frame", REL_TIME;
    TIME_DELTA = "udp.time_delta", "Time since previous frame", REL_TIME;
    PAYLOAD = "udp.payload", "UDP payload", BYTES;
}

/// Dissects a UDP datagram.
pub fn dissect<'a>(d: &mut Dissection<'a>, ctx: &PacketContext<'_>, data: &'a [u8], net: &NetInfo) {
    let at = net.payload_offset;
    let Some(udp) = super::view_or_cut(d, ctx, UdpView::new(bytes::tail(data, at)), at) else {
        return;
    };
    let sport = udp.src_port();
    let dport = udp.dst_port();
    let len = udp.length();
    let sum = udp.checksum();
    let item = d.add_labeled(UDP, at, 8, Value::None, || {
        format!(
            "User Datagram Protocol, Src Port: {}, Dst Port: {}",
            services::label_text(Transport::Udp, sport),
            services::label_text(Transport::Udp, dport)
        )
    });
    d.push_layer("udp");
    d.set_protocol("UDP");
    d.begin(item);
    let src_item = d.add(SRCPORT, at, 2, Value::UInt(u64::from(sport)));
    traceroute_port(d, src_item, sport);
    let dst_item = d.add(DSTPORT, at + 2, 2, Value::UInt(u64::from(dport)));
    traceroute_port(d, dst_item, dport);
    d.add_hidden(PORT, at, 2, Value::UInt(u64::from(sport)));
    d.add_hidden(PORT, at + 2, 2, Value::UInt(u64::from(dport)));
    // What IP carries for UDP: its own length, bounded by what the frame holds.
    let ip_payload = net.payload_len.min(data.len().saturating_sub(at));
    // A first fragment IP did not join (`-o ip.defragment:FALSE`, or no reassembly
    // at hand) carries only part of the datagram: tshark checks no length against it.
    let unjoined = net.fragment && !d.in_error;
    let bogus = usize::from(len) > net.payload_len && !unjoined;
    let length = d.add_labeled(LENGTH, at + 4, 2, Value::UInt(u64::from(len)), || {
        if bogus {
            format!("Length: {len} (bogus, payload length {ip_payload})")
        } else {
            format!("Length: {len}")
        }
    });
    if bogus {
        d.expert(
            length,
            super::packet::malformed_expert(
                "UDP",
                format!("Bad length value {len} > IP payload length"),
            ),
        );
    }
    if sum == 0 && matches!(net.src, super::ipv4::Addr::V4(_)) {
        // Over IPv4 a zero checksum means the sender computed none (RFC 768).
        let item = d.add_labeled(CHECKSUM, at + 6, 2, Value::UInt(0), || {
            "Checksum: 0x0000 [zero-value ignored]".to_string()
        });
        d.begin(item);
        d.add_generated(CHECKSUM_STATUS, at + 6, 0, Value::UInt(3));
        d.end();
    } else {
        d.add_labeled(CHECKSUM, at + 6, 2, Value::UInt(u64::from(sum)), || {
            format!("Checksum: 0x{sum:04x} [unverified]")
        });
        d.add_generated(CHECKSUM_STATUS, at + 6, 0, Value::UInt(2));
    }
    // A conversation an SDP body announced is RTP's or RTCP's (tshark 4.0 has no RTP
    // heuristic: only the setup makes a stream RTP); UDP then numbers the datagram by
    // that conversation, whose peer is left open.
    // (A header quoted in an ICMP error finds it too.)
    let rtp_link = ctx
        .analysis
        .and_then(|a| a.rtp(ctx.number, (net.src, sport), (net.dst, dport)));
    let key = match &rtp_link {
        Some(link) => super::context::UdpKey {
            a: link.socket,
            b: link.socket,
        },
        None => super::context::UdpKey::new((net.src, sport), (net.dst, dport)),
    };
    if let Some(conversation) = ctx
        .analysis
        .and_then(|a| a.udp(ctx.number, &key, d.in_error))
    {
        d.add_generated(STREAM, 0, 0, Value::UInt(u64::from(conversation.stream)));
        if let Some((relative, delta)) = conversation.times {
            let times = d.text(0, 0, || "[Timestamps]".into());
            d.begin(times);
            d.add_generated(TIME_RELATIVE, 0, 0, Value::Time(relative));
            d.add_generated(TIME_DELTA, 0, 0, Value::Time(delta));
            d.end();
        }
    }
    // The UDP length field, bounded by what IP reports, decides the payload (a bogus
    // one leaves all of IP's payload to UDP, as tshark does).
    let udp_len = if bogus || unjoined {
        ip_payload.max(8)
    } else {
        usize::from(len).clamp(8, net.payload_len.max(8))
    };
    let payload_len = udp_len - 8;
    let payload = bytes::clamped(data, at + 8, payload_len);
    if !payload.is_empty() {
        d.add_labeled(
            PAYLOAD,
            at + 8,
            payload.len(),
            Value::Bytes(payload.into()),
            || format!("UDP payload ({} bytes)", payload.len()),
        );
    }
    d.end();
    if bogus {
        // tshark names the lie; the payload still goes up (a DNS answer stays DNS).
        let claimed = len.saturating_sub(8);
        d.set_info(|| {
            format!(
                "{} → {} [BAD UDP LENGTH {len} > IP PAYLOAD LENGTH] Len={claimed}",
                services::info_text(Transport::Udp, sport),
                services::info_text(Transport::Udp, dport)
            )
        });
    } else {
        // Info gives the length the header claims, even of a fragment's part.
        let payload_len = usize::from(len).max(8) - 8;
        d.set_info(|| {
            format!(
                "{} → {} Len={payload_len}",
                services::info_text(Transport::Udp, sport),
                services::info_text(Transport::Udp, dport)
            )
        });
    }
    if unjoined {
        // The rest of the datagram is in other frames: the part here is data.
        super::data::dissect_len(d, data, at + 8, payload_len);
        return;
    }
    if payload_len == 0 || net.fragment {
        return;
    }
    let at = at + 8;
    // A conversation comes first, as in tshark: TFTP's transfer on ephemeral ports.
    if tftp::looks_like_tftp(payload)
        && let Some(request) = tftp::transfer_of(ctx, net, sport, dport)
    {
        tftp::dissect(d, ctx, data, at, payload_len, net, sport, Some(request));
        return;
    }
    // A conversation QUIC took earlier stays QUIC's.
    let quic_seen = |heuristic: bool| quic_seen(ctx, net, (sport, dport), payload, heuristic);
    if let Some(seen) = quic_seen(false) {
        quic::dissect(d, ctx, data, at, payload_len, sport, dport, Some(&seen));
        return;
    }
    if let Some(link) = rtp_link {
        let taken = if link.rtcp {
            rtcp::dissect(d, at, payload, &link)
        } else {
            rtp::dissect(d, at, payload, &link)
        };
        if taken {
            return;
        }
    }
    // Then the port table (Decode As included), lower port first; a dissector that
    // refuses the payload lets the next port, then the heuristics, try.
    for port in ports::in_order(sport, dport) {
        if let Some(proto) = ports::lookup(Transport::Udp, port)
            && by_port(
                d,
                ctx,
                data,
                at,
                payload,
                payload_len,
                net,
                (sport, dport),
                proto,
            )
        {
            return;
        }
    }
    // Heuristics, in tshark's order of registration.
    if (sport == quic::PORT || dport == quic::PORT) && gquic::is_gquic(payload) {
        gquic::dissect(d, ctx, data, at, payload_len);
        return;
    }
    // QUIC's heuristic: with the analysis, a long header of a known version or a
    // short header of a known connection; alone, what the first byte suggests.
    if ctx.analysis.is_some() {
        if let Some(seen) = quic_seen(true) {
            quic::dissect(d, ctx, data, at, payload_len, sport, dport, Some(&seen));
            return;
        }
    } else if quic::is_quic(sport, dport, payload) {
        quic::dissect(d, ctx, data, at, payload_len, sport, dport, None);
        return;
    }
    // SIP's heuristic (on by default): a request or status line.
    if sip::looks_like_sip(payload) && sip::dissect(d, ctx, net, at, payload) {
        return;
    }
    // STUN's (RFC 8489's magic cookie and a length that fills the datagram).
    if stun::looks_like_stun(payload, payload_len)
        && stun::dissect(d, ctx, net, at, payload, payload_len, false)
    {
        return;
    }
    if dns::looks_like_dns(payload)
        && dns::dissect(d, ctx, data, at, payload, net, (sport, dport), false)
    {
        return;
    }
    // The datagram's own payload (a datagram quoted by an ICMP error may be
    // followed by more of the error's bytes).
    data::dissect_bytes(d, payload, at);
}

/// The QUIC connection the analysis gives this datagram: before the port table
/// (`heuristic` false) when the conversation is QUIC's already, after it by QUIC's
/// heuristic. `None`: not QUIC, or no analysis.
fn quic_seen(
    ctx: &PacketContext<'_>,
    net: &NetInfo,
    (sport, dport): (u16, u16),
    payload: &[u8],
    heuristic: bool,
) -> Option<super::context::QuicDatagram> {
    ctx.analysis.and_then(|a| {
        a.quic(
            ctx.number,
            (net.src, sport),
            (net.dst, dport),
            payload,
            heuristic,
        )
    })
}

/// Hands the payload to `proto` (what a port names); false when it refuses it.
#[allow(clippy::too_many_arguments)]
fn by_port<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    data: &'a [u8],
    at: usize,
    payload: &'a [u8],
    len: usize,
    net: &NetInfo,
    (sport, dport): (u16, u16),
    proto: PortProto,
) -> bool {
    match proto {
        PortProto::Data => data::dissect_bytes(d, payload, at),
        PortProto::Dns => {
            return dns::dissect(d, ctx, data, at, payload, net, (sport, dport), false);
        }
        PortProto::Mdns => {
            return dns::dissect_as(d, ctx, at, payload, net, (sport, dport), dns::Flavor::Mdns);
        }
        PortProto::Llmnr => {
            return dns::dissect_as(d, ctx, at, payload, net, (sport, dport), dns::Flavor::Llmnr);
        }
        PortProto::Nbns => return nbns::dissect(d, ctx, at, payload),
        PortProto::Nbdgm => return nbdgm::dissect(d, at, payload),
        PortProto::Ssdp => return ssdp::dissect(d, at, payload),
        PortProto::Rip => return rip::dissect(d, ctx, data, at, payload),
        PortProto::Hsrp => return hsrp::dissect(d, at, payload),
        PortProto::Udpencap => return super::udpencap::dissect(d, ctx, data, at, payload, len),
        PortProto::Isakmp => return super::isakmp::dissect(d, ctx, at, payload, len),
        PortProto::DbLspDisc => super::db_lsp_disc::dissect(d, at, payload),
        PortProto::Syslog => super::syslog::dissect(d, ctx, at, payload),
        PortProto::Ptp => super::ptp::dissect(d, ctx, data, at, payload),
        PortProto::Teredo => return super::teredo::dissect(d, ctx, data, at, payload, dport),
        PortProto::Kerberos => return super::kerberos::dissect_udp(d, at, payload),
        PortProto::Snmp => return super::snmp::dissect(d, ctx, net, at, payload, (sport, dport)),
        PortProto::Sip => return sip::dissect(d, ctx, net, at, payload),
        PortProto::PortControl => return super::nat_pmp::dissect(d, at, payload),
        PortProto::Stun => return stun::dissect(d, ctx, net, at, payload, len, true),
        PortProto::Vxlan => super::tunnel::vxlan(d, ctx, data, at),
        PortProto::Geneve => super::tunnel::geneve(d, ctx, data, at),
        PortProto::Llc => {
            let end = at
                .checked_add(len)
                .map_or(data.len(), |end| end.min(data.len()));
            super::llc::dissect(d, ctx, data.get(..end).unwrap_or(data), at);
        }
        PortProto::Dhcp => super::dhcp::dissect(d, ctx, data, at, payload),
        PortProto::Dhcpv6 => super::dhcpv6::dissect(d, at, payload),
        PortProto::Ntp => ntp::dissect(d, ctx, data, at, len),
        PortProto::Tftp => tftp::dissect(d, ctx, data, at, len, net, sport, None),
        PortProto::Gquic => gquic::dissect(d, ctx, data, at, len),
        PortProto::Quic => {
            let seen = quic_seen(ctx, net, (sport, dport), payload, true);
            quic::dissect(d, ctx, data, at, len, sport, dport, seen.as_ref());
        }
        // TCP-only dissectors are never named on a UDP port.
        PortProto::Nbss
        | PortProto::Http
        | PortProto::Tls
        | PortProto::Ssh
        | PortProto::Tpkt
        | PortProto::TcpPort => return false,
    }
    true
}

/// tshark's chat on a port of LBL traceroute's probes (33435 to 33464: three attempts
/// per hop counted from 33434).
fn traceroute_port(d: &mut Dissection<'_>, item: usize, port: u16) {
    if let Some(n) = port.checked_sub(33435).filter(|n| *n < 30) {
        let (hop, attempt) = (n / 3 + 1, n % 3 + 1);
        d.expert(
            item,
            super::tree::Expert {
                severity: super::tree::Severity::Chat,
                group: "Sequence",
                protocol: "UDP",
                message: format!("Possible traceroute: hop #{hop}, attempt #{attempt}").into(),
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::dissect::testing::{field, with_frame, with_patched};

    /// dns_udp.pcap frame 6: a DNS answer.
    #[test]
    fn header_fields() {
        with_frame("dns_udp.pcap", 6, |d| {
            assert_eq!(field(d, "udp.srcport"), "53");
            assert_eq!(field(d, "udp.dstport"), "36793");
            assert_eq!(field(d, "udp.length"), "69");
            assert_eq!(field(d, "udp.checksum.status"), "2");
        });
    }

    #[test]
    fn lying_length_does_not_read_past_the_packet() {
        with_patched(
            "dns_udp.pcap",
            6,
            |b| b[38..40].copy_from_slice(&[0xff, 0xff]),
            |d| {
                assert_eq!(field(d, "udp.length"), "65535");
                assert_eq!(field(d, "dns.id"), "0x7cd8");
            },
        );
    }
}
