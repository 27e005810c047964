//! Which application protocol a TCP payload belongs to, how long its PDUs are, and the
//! hand-off of a segment's payload (whole, partial or reassembled) to HTTP, TLS or DNS.
//!
//! The load-time analysis decides, frame by frame in capture order as tshark does,
//! how payloads group into PDUs (`Pdu`); this module then dissects what it decided.

use super::context::{AppProto, Later, PacketContext, Pdu, TcpFrameInfo};
use super::ipv4::NetInfo;
use super::ports::{self, PortProto, Transport};
use super::tree::Dissection;
use super::value::Value;
use super::{data, dns, http, ssh, tcp, tls};
use super::{ftp, ftp_data, imap, msnms, nbss, pop, rmi, rtsp, sip, smtp, telnet, tpkt};
use crate::bytes;
use std::hint::cold_path;

/// How much of a byte stream one PDU takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PduLen {
    /// The first PDU is complete and takes this many bytes.
    Complete(usize),
    /// More bytes are needed (total needed, when known).
    NeedMore(Option<usize>),
    /// The bytes are not this protocol.
    NotMine,
}

/// Chooses the protocol for a conversation from its ports and its first payload, in
/// tshark's order: registered server port, lower port, higher port, then heuristics.
pub fn classify(
    server_port: Option<u16>,
    sport: u16,
    dport: u16,
    payload: &[u8],
) -> Option<AppProto> {
    classify_by_port(server_port, sport, dport)
        .or_else(|| classify_by_content_on(server_port, sport, dport, payload))
}

/// The protocol the ports are registered for, if any: the port table of `ports.rs`
/// (Decode As included), the server's port first, then the lower, then the higher.
pub fn classify_by_port(server_port: Option<u16>, sport: u16, dport: u16) -> Option<AppProto> {
    let named = server_port
        .and_then(|p| ports::lookup(Transport::Tcp, p))
        .or_else(|| ports::by_ports(Transport::Tcp, sport, dport));
    match named? {
        PortProto::Http => Some(AppProto::Http),
        PortProto::Tls => Some(AppProto::Tls),
        PortProto::Dns => Some(AppProto::Dns),
        PortProto::Nbss => Some(AppProto::Nbss),
        PortProto::Ssh => Some(AppProto::Ssh),
        PortProto::Tpkt => Some(AppProto::Tpkt),
        PortProto::Kerberos => Some(AppProto::Kerberos),
        _ => None,
    }
}

/// The heuristics' verdict on a payload, unless a port names a dissector that takes
/// every payload itself (SSH, Decode As `data`): tshark tries the heuristics
/// only when no port's dissector accepted the segment.
pub fn classify_by_content_on(
    server_port: Option<u16>,
    sport: u16,
    dport: u16,
    payload: &[u8],
) -> Option<AppProto> {
    // Heuristics first: most payloads fail their first-byte test, so the port table
    // is read only for the few that pass.
    let found = classify_by_content(payload)?;
    let named = server_port
        .and_then(|p| ports::lookup(Transport::Tcp, p))
        .or_else(|| ports::by_ports(Transport::Tcp, sport, dport));
    match named {
        None | Some(PortProto::Http | PortProto::Tls | PortProto::Dns | PortProto::Tpkt) => {
            Some(found)
        }
        Some(_) => None,
    }
}

/// The protocol the heuristics recognise in a payload (HTTP, then TLS).
pub fn classify_by_content(payload: &[u8]) -> Option<AppProto> {
    if http_heuristic_line(payload) {
        Some(AppProto::Http)
    } else if matches!(payload.first(), Some(22 | 23 | 0x80)) && tls::looks_like_tls(payload) {
        Some(AppProto::Tls)
    } else {
        None
    }
}

/// tshark's HTTP heuristic on TCP: a first line (ended by CR or LF) that starts or
/// ends with the `HTTP/1.` token, whatever comes before it, and is not 8 bytes long
/// (so RTSP's `OPTIONS * RTSP/1.0` and SIP's `... SIP/2.0` stay off it, while a
/// binary payload with such a line, as in a Metasploit stage, reads as HTTP).
fn http_heuristic_line(payload: &[u8]) -> bool {
    let Some(end) = memchr::memchr2(b'\r', b'\n', payload) else {
        return false;
    };
    // A CR as the last byte may be half of a CR LF: tshark waits to know.
    if end + 1 == payload.len() && payload.get(end) == Some(&b'\r') {
        return false;
    }
    let line = payload.get(..end).unwrap_or(&[]);
    let token = |at: usize| {
        line.get(at..at + 7)
            .is_some_and(|t| t.eq_ignore_ascii_case(b"HTTP/1."))
    };
    line.len() != 8 && (token(0) || line.len().checked_sub(8).is_some_and(token))
}

/// A payload no PDU claimed: the protocol its port names (FTP and FTP-DATA, POP,
/// SMTP, IMAP, Telnet, RTSP, MSNMS, RMI, SIP), else data. Out of line: most such
/// payloads are bulk data that only reach the last arm.
#[inline(never)]
#[allow(clippy::too_many_arguments)]
fn by_port<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    net: &NetInfo,
    info: Option<&TcpFrameInfo>,
    payload: &'a [u8],
    payload_at: usize,
    (sport, dport): (u16, u16),
) {
    if payload.is_empty() {
        return;
    }
    let on = |port| sport == port || dport == port;
    if on(ftp_data::PORT) {
        let reported = reported_payload(net, payload_at, payload);
        ftp_data::dissect(d, payload, payload_at, reported, None);
    } else if ftp::is_ftp_port(sport, dport) {
        let request = to_server(info, dport, ftp::PORT);
        ftp::dissect(d, ctx, net, info, payload, payload_at, request);
    } else if pop::is_pop_port(sport, dport) {
        pop::dissect(
            d,
            ctx,
            info,
            payload,
            payload_at,
            to_server(info, dport, pop::PORT),
        );
    } else if smtp::is_smtp_port(sport, dport) {
        let request = to_server(info, dport, smtp::server_port(sport, dport));
        smtp::dissect(d, ctx, info, payload, payload_at, request);
    } else if on(imap::PORT) {
        let request = to_server(info, dport, imap::PORT);
        imap::dissect(
            d,
            ctx,
            net,
            info,
            payload,
            payload_at,
            request,
            (sport, dport),
        );
    } else if on(telnet::PORT) {
        telnet::dissect(d, payload, payload_at);
    } else if on(rtsp::PORT) {
        rtsp::dissect(d, ctx, net, payload_at, payload);
    } else if on(msnms::PORT) {
        msnms::dissect(d, payload, payload_at);
    } else if on(rmi::PORT) {
        rmi::dissect(d, payload, payload_at);
    } else if on(sip::PORT) {
        sip::dissect_tcp(d, ctx, net, payload_at, payload);
    } else {
        data::dissect_bytes(d, payload, payload_at);
    }
}

/// Length of the first PDU of `proto` in `bytes`; `tls_version`: the stream's TLS
/// version, when known (TLS then takes any valid content type as a record).
pub fn pdu_len(proto: AppProto, bytes: &[u8], tls_version: Option<u16>) -> PduLen {
    match proto {
        AppProto::Http => http::pdu_len(bytes),
        AppProto::Tls => tls::pdu_len(bytes, tls_version),
        AppProto::Dns => dns_tcp_pdu_len(bytes),
        AppProto::Nbss => nbss::pdu_len(bytes),
        // Without the connection's state (the load pass keeps an `SshFlow` per
        // stream), a segment is taken whole.
        AppProto::Ssh => PduLen::Complete(bytes.len()),
        AppProto::Tpkt => tpkt::pdu_len(bytes),
        AppProto::Kerberos => super::kerberos::pdu_len(bytes),
    }
}

fn dns_tcp_pdu_len(bytes: &[u8]) -> PduLen {
    match crate::bytes::be_u16(bytes, 0) {
        Some(len) if bytes.len() >= 2 + usize::from(len) => PduLen::Complete(2 + usize::from(len)),
        Some(len) => PduLen::NeedMore(Some(2 + usize::from(len))),
        None => PduLen::NeedMore(None),
    }
}

/// Dissects one whole PDU (or several back to back) of `proto` in `bytes`, which lie at
/// `offset` of data source `source`.
#[allow(clippy::too_many_arguments)]
fn dissect_pdus<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    frame: &'a [u8],
    bytes: &'a [u8],
    offset: usize,
    proto: AppProto,
    net: &NetInfo,
    info: Option<&TcpFrameInfo>,
    ports: (u16, u16),
) {
    match proto {
        AppProto::Http => http::dissect(d, ctx, bytes, offset, info),
        AppProto::Tls => tls::dissect(d, bytes, offset, info, ctx.prefs.tcp_desegment, ports),
        AppProto::Dns => {
            if !dns::dissect(d, ctx, frame, offset, bytes, net, ports, true) {
                data::dissect_bytes(d, bytes, offset);
            }
        }
        AppProto::Nbss => nbss::dissect(d, ctx, net, bytes, offset, ports),
        AppProto::Ssh => ssh::dissect(d, frame, offset, bytes, net, info, ports.1),
        AppProto::Tpkt => tpkt::dissect(d, bytes, offset),
        AppProto::Kerberos => super::kerberos::dissect_tcp(d, bytes, offset),
    }
}

/// What tshark's reassembly says of bytes added to a PDU it has already reassembled.
const OVERLAPS: &str = "New fragment overlaps old data (retransmission?)";

/// Hands a TCP segment's payload to the application layer as the analysis decided.
#[allow(clippy::too_many_arguments)]
pub fn tcp_payload<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    frame: &'a [u8],
    payload_at: usize,
    payload: &'a [u8],
    net: &NetInfo,
    info: Option<&TcpFrameInfo>,
    sport: u16,
    dport: u16,
) {
    if matches!(info.map(|i| &i.pdu), Some(Pdu::Overlaps(_))) {
        cold_path();
        super::packet::reassembly_error(d, "TCP", OVERLAPS);
        return;
    }
    if info.is_some_and(|i| i.flags & super::context::flag::KEEP_ALIVE != 0) {
        cold_path();
        // A keep-alive's byte is garbage to tshark: data, never the application.
        data::dissect_bytes(d, payload, payload_at);
        return;
    }
    let inside_pdu = matches!(info.map(|i| &i.pdu), Some(Pdu::Partial { .. }));
    if !tcp::payload_goes_up(info) && !inside_pdu {
        cold_path();
        // tshark hands retransmitted and out-of-order data to no dissector at all
        // (out-of-order data inside an unfinished PDU only joins that PDU); a plain
        // retransmission (not a fast or spurious one) shows its bytes under TCP.
        let retransmission =
            info.is_some_and(|i| i.flags & super::context::flag::RETRANSMISSION != 0);
        if retransmission && !payload.is_empty() {
            d.in_last_protocol(|d| {
                d.add_labeled(
                    tcp::SEGMENT_DATA,
                    payload_at,
                    payload.len(),
                    Value::Bytes(payload.into()),
                    || {
                        let unit = if payload.len() == 1 { "byte" } else { "bytes" };
                        format!("Retransmitted TCP segment data ({} {unit})", payload.len())
                    },
                )
            });
        }
        return;
    }
    if !payload.is_empty()
        && let Some(link) = ctx
            .analysis
            .and_then(|a| a.ftp_data(ctx.number, (net.src, sport), (net.dst, dport)))
    {
        cold_path();
        // A data connection an FTP control connection announced: tshark's
        // conversation dissector comes before the ports and the heuristics.
        let reported = reported_payload(net, payload_at, payload);
        ftp_data::dissect(d, payload, payload_at, reported, Some(&link));
        return;
    }
    if sport == super::rtsp::PORT {
        cold_path();
        super::rtsp::follow_reply(ctx, net, payload);
    }
    let pdu = match info {
        Some(i) => i.pdu.clone(),
        // Without an analysis (a lone frame), decide from this payload alone.
        None => match classify(None, sport, dport, payload) {
            Some(proto) => Pdu::Whole(proto),
            None => Pdu::None,
        },
    };
    // TLS on a conversation HTTP's port names came through an HTTP CONNECT tunnel
    // (HTTP refuses TLS bytes otherwise): tshark's HTTP hands the bytes on, so HTTP is
    // a layer of the frame.
    // (A segment only kept for later is not handed on: TCP alone.)
    let tls_pdu = matches!(
        pdu,
        Pdu::Whole(AppProto::Tls)
            | Pdu::WholeThenPartial {
                proto: AppProto::Tls,
                ..
            }
            | Pdu::Completes {
                proto: AppProto::Tls,
                ..
            }
    );
    // Read only for TLS (the port table is searched for every segment otherwise).
    let http_port =
        || classify_by_port(info.and_then(|i| i.server_port), sport, dport) == Some(AppProto::Http);
    let tunnel = tls_pdu && http_port();
    if tunnel {
        cold_path();
        d.push_layer("http");
    }
    match pdu {
        Pdu::None => by_port(d, ctx, net, info, payload, payload_at, (sport, dport)),
        // TLS refuses plain text; TCP hands it to the data dissector.
        Pdu::Rejected(AppProto::Tls) => data::dissect_bytes(d, payload, payload_at),
        // Handled before the ports are read (a keep-alive).
        Pdu::Rejected(_) | Pdu::Overlaps(_) => {}
        Pdu::Whole(proto) => dissect_pdus(
            d,
            ctx,
            frame,
            payload,
            payload_at,
            proto,
            net,
            info,
            (sport, dport),
        ),
        Pdu::Partial {
            proto,
            starts_at,
            shown,
        } => {
            let completed_in = reassembled_in(d, ctx);
            segment_data(d, payload, payload_at);
            // What the application left in Info when it was handed the bytes: HTTP its
            // first line once the headers are in, TLS nothing (it clears the column;
            // tshark then appends without a separator). A second pass that knows where
            // the PDU completes shows the message there only.
            let left: Option<String> = match (starts_at, shown) {
                _ if completed_in.is_some() => None,
                (Some(start), _) => match proto {
                    // Only the Info column reads HTTP's text (the load pass has none).
                    AppProto::Http if d.columns_on() => {
                        http::partial_info(crate::bytes::tail(payload, start as usize))
                    }
                    // Both clear the column before they ask for more.
                    AppProto::Tls | AppProto::Ssh | AppProto::Kerberos if start == 0 => {
                        Some(String::new())
                    }
                    AppProto::Nbss => {
                        nbss::partial_info(crate::bytes::tail(payload, start as usize))
                    }
                    _ => None,
                },
                (None, shown) => shown.map(|s| s.to_string()),
            };
            if proto == AppProto::Tls && left.as_deref() == Some("") {
                if http_port() {
                    d.push_layer("http");
                }
                tls::empty_layer(d, payload_at, payload.len());
            }
            if proto == AppProto::Ssh && left.as_deref() == Some("") {
                // SSH adds its item before it asks TCP for more.
                ssh::empty_layer(d, payload_at, payload.len());
            }
            d.set_protocol("TCP");
            match left {
                Some(text) if text.is_empty() => {
                    d.set_info(|| "[TCP segment of a reassembled PDU]".to_string());
                }
                Some(text) => {
                    d.set_info(|| text);
                    d.append_info(" [TCP segment of a reassembled PDU]");
                }
                None => d.append_info(" [TCP segment of a reassembled PDU]"),
            }
        }
        Pdu::WholeThenPartial { proto, tail } => {
            let tail = (tail as usize).min(payload.len());
            let (whole, rest) = payload.split_at(tail);
            reassembled_in(d, ctx);
            segment_data(d, rest, payload_at + tail);
            dissect_pdus(
                d,
                ctx,
                frame,
                whole,
                payload_at,
                proto,
                net,
                info,
                (sport, dport),
            );
        }
        Pdu::Completes {
            proto, end, tail, ..
        } => {
            let Some(parts_before) = ctx.analysis.and_then(|a| a.pdu_parts(ctx.number)) else {
                data::dissect_bytes(d, payload, payload_at);
                return;
            };
            let end = (end as usize).min(payload.len());
            let tail = tail.map_or(payload.len(), |t| (t as usize).clamp(end, payload.len()));
            let own = payload.get(..end).unwrap_or(payload);
            let (whole, mut parts) = parts_before.complete(ctx.number, own);
            if own.is_empty() {
                // A FIN that ended a body running to the end of the connection: tshark
                // lists its frame with no data.
                parts.push((ctx.number, whole.len(), 0));
            } else {
                segment_data(d, own, payload_at);
            }
            if tail < payload.len() {
                reassembled_in(d, ctx);
                segment_data(d, bytes::tail(payload, tail), payload_at + tail);
            }
            if own.is_empty() {
                // The FIN's reassembly lists the segments before it dissects the PDU
                // (the protocol hierarchy puts the PDU under tcp.segments).
                reassembled_tree(d, &parts, &whole);
            }
            let total = whole.len();
            let source = d.add_source_with(
                || format!("Reassembled TCP ({total} bytes)"),
                || whole.clone(),
            );
            d.set_source(source);
            dissect_owned(d, ctx, frame, &whole, proto, net, info, (sport, dport));
            d.set_source(0);
            if !own.is_empty() {
                // Added after the PDU's tree, as tshark's protocol hierarchy nests it,
                // and shown right behind TCP's tree, where tshark moves it.
                let start = d.nodes.len();
                reassembled_tree(d, &parts, &whole);
                d.move_behind(start, tcp::TCP);
            }
            // What follows the reassembled PDU in this segment: whole PDUs, dissected
            // as their own tree (TLS adds an empty one when only an unfinished record
            // follows, as tshark does).
            let between = payload.get(end..tail).unwrap_or(&[]);
            if !between.is_empty() || (end < payload.len() && proto == AppProto::Tls) {
                // The whole PDUs' Info joins the reassembled one's (even when the two
                // read the same: "Application Data, Application Data").
                if tunnel {
                    // Each hand-over through the tunnel is HTTP's.
                    d.push_layer("http");
                }
                let before = d.columns.info.clone();
                // tshark's TCP makes the Protocol column read-only once the
                // reassembled PDU is dissected: what follows does not change it.
                let protocol = d.columns.protocol.clone();
                d.set_info(String::new);
                let fenced = d.columns.info.len();
                dissect_pdus(
                    d,
                    ctx,
                    frame,
                    between,
                    payload_at + end,
                    proto,
                    net,
                    info,
                    (sport, dport),
                );
                d.columns.protocol = protocol;
                let after = d.columns.info.split_off(fenced.min(d.columns.info.len()));
                let after = after.trim_start_matches(", ");
                d.columns.info = match (before.len() > fenced, after.is_empty()) {
                    (_, true) => before,
                    (false, false) => format!("{before}{after}"),
                    (true, false) => format!("{before}, {after}"),
                };
            }
        }
    }
}

/// The payload's length on the wire (the IP-reported transport length less the TCP
/// header), never less than what was captured.
fn reported_payload(net: &NetInfo, payload_at: usize, payload: &[u8]) -> usize {
    let header = payload_at.saturating_sub(net.payload_offset);
    net.payload_len.saturating_sub(header).max(payload.len())
}

/// Whether a segment to `dport` goes to the server: the handshake's server port when
/// the analysis knows it, else the protocol's well-known port.
fn to_server(info: Option<&TcpFrameInfo>, dport: u16, well_known: u16) -> bool {
    info.and_then(|i| i.server_port)
        .map_or(dport == well_known, |p| p == dport)
}

/// tshark's `[n Reassembled TCP Segments (… bytes): #f(len), …]` item with each
/// segment's frame and its place in the reassembled bytes.
fn reassembled_tree(d: &mut Dissection<'_>, parts: &[(u32, usize, usize)], whole: &[u8]) {
    let fields = super::fragments::PartFields {
        list: tcp::SEGMENTS,
        part: tcp::SEGMENT,
        count: tcp::SEGMENT_COUNT,
        length: tcp::REASSEMBLED_LENGTH,
    };
    super::fragments::part_list(d, &fields, "Reassembled TCP Segments", 0, parts);
    if d.wants(tcp::REASSEMBLED_DATA) {
        d.add_generated_labeled(
            tcp::REASSEMBLED_DATA,
            Value::Bytes(std::borrow::Cow::Owned(whole.to_vec())),
            || {
                // tshark's labels show at most 36 bytes of a byte string.
                let shown = whole.get(..whole.len().min(36)).unwrap_or(whole);
                let more = if whole.len() > 36 { "…" } else { "" };
                format!(
                    "Reassembled TCP Data: {}{more}",
                    super::value::hex_text(shown, None)
                )
            },
        );
    }
    d.end();
}

/// Dissects reassembled bytes the tree cannot borrow: fields are added with owned
/// values by dissecting into a scratch tree and moving its nodes over.
#[allow(clippy::too_many_arguments)]
fn dissect_owned<'a>(
    d: &mut Dissection<'a>,
    ctx: &PacketContext<'_>,
    frame: &[u8],
    bytes: &[u8],
    proto: AppProto,
    net: &NetInfo,
    info: Option<&TcpFrameInfo>,
    ports: (u16, u16),
) {
    let mut scratch = d.scratch();
    // SSH reads the segment's TCP header (which banner it is); DNS must not see the
    // frame (its reassembled message is its own data source).
    let frame = if proto == AppProto::Ssh { frame } else { &[] };
    dissect_pdus(&mut scratch, ctx, frame, bytes, 0, proto, net, info, ports);
    d.absorb(scratch);
}

/// The segment's own bytes, shown as TCP segment data before (or instead of) the PDU
/// they are part of.
/// On a second pass, `tcp.reassembled_in`: the frame that completes the PDU this
/// segment's unfinished part belongs to.
fn reassembled_in(d: &mut Dissection<'_>, ctx: &PacketContext<'_>) -> Option<u32> {
    let frame = ctx
        .analysis
        .and_then(|a| a.later(ctx.number, Later::ReassembledPdu))?;
    d.in_last_protocol(|d| {
        d.add_generated(tcp::REASSEMBLED_IN, 0, 0, Value::Frame(frame));
    });
    Some(frame)
}

fn segment_data<'a>(d: &mut Dissection<'a>, payload: &'a [u8], payload_at: usize) {
    d.in_last_protocol(|d| {
        d.add_labeled(
            tcp::SEGMENT_DATA,
            payload_at,
            payload.len(),
            Value::Bytes(payload.into()),
            || format!("TCP segment data ({} bytes)", payload.len()),
        )
    });
}

#[cfg(test)]
mod tests {
    use super::AppProto;
    use crate::dissect::testing::{field, with_analysed};
    use crate::tcp::reassembly::{Decision, StreamApp};

    /// http10_until_fin.pcap (Kurose-Ross ssl-ethereal-trace-1, frames 315-323): the
    /// HTTP/1.0 response in frame 5 has no Content-Length, so its body runs to the
    /// server's FIN in frame 6, which shows the response reassembled from both.
    #[test]
    fn a_body_without_length_ends_at_the_fin() {
        with_analysed("http10_until_fin.pcap", |dissect| {
            let d = dissect(5);
            assert_eq!(&*d.columns.protocol, "TCP");
            assert_eq!(
                &*d.columns.info,
                "HTTP/1.0 200  [TCP segment of a reassembled PDU]"
            );
            assert_eq!(field(&d, "http.response.code"), "");
            let d = dissect(6);
            assert_eq!(&*d.columns.protocol, "HTTP");
            assert_eq!(&*d.columns.info, "HTTP/1.0 200 ");
            assert_eq!(field(&d, "tcp.segment"), "5,6");
            assert_eq!(field(&d, "tcp.segment.count"), "2");
            assert_eq!(field(&d, "tcp.reassembled.length"), "44");
            assert_eq!(field(&d, "http.response.code"), "200");
            // "HTTP/1.0 200" has no phrase; its one-byte body is data.
            assert_eq!(field(&d, "http.response.phrase"), "");
            assert_eq!(field(&d, "data.len"), "1");
            let labels: Vec<String> = d.nodes.iter().map(|n| n.label()).collect();
            assert!(
                labels.iter().any(|l| l.contains("Frame: 6 (no data)")),
                "{labels:?}"
            );
            assert!(labels.iter().any(|l| l == "Data (1 byte)"));
            assert_eq!(field(&d, "tcp.segment_data"), "");
        });
    }

    /// http10_until_fin.pcap frame 5: an HTTP/1.0 response without Content-Length
    /// (its 44 bytes: headers, then a one-byte body), and the server's FIN (frame 6)
    /// at the next sequence number.
    const RESPONSE: &[u8] = b"HTTP/1.0 200\r\nX-PKT: 1\r\nX-V: 2\r\nX-TP: 2\r\n\r\n\0";
    const SEQ: u32 = 2415963072;

    fn response(app: &mut StreamApp, fin: bool) -> Decision {
        app.fin = fin;
        app.segment(1, 5, SEQ, RESPONSE, true, Some(80), 80, 2282)
    }

    #[test]
    fn a_response_without_length_waits_for_the_fin() {
        assert!(crate::dissect::http::body_runs_to_close(RESPONSE));
        assert!(!crate::dissect::http::body_runs_to_close(
            b"HTTP/1.1 304 Not Modified\r\n\r\n"
        ));
        assert!(!crate::dissect::http::body_runs_to_close(
            b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx"
        ));
        assert!(!crate::dissect::http::body_runs_to_close(
            b"GET / HTTP/1.0\r\n\r\n"
        ));
        let mut app = StreamApp::default();
        let http = AppProto::Http;
        assert_eq!(response(&mut app, false), Decision::PartialStart(http, 0));
        // A FIN elsewhere in the sequence space completes nothing.
        assert!(app.fin_completes(1, SEQ).is_none());
        let c = app
            .fin_completes(1, SEQ + 44)
            .expect("the FIN completes it");
        assert_eq!((c.end, c.tail, c.first_offset), (0, None, 0));
        assert_eq!(c.parts.parts, vec![(5, 44)]);
        assert_eq!(c.parts.bytes, RESPONSE);
        // The FIN on the response itself (tshark's end of stream): whole at once.
        let mut app = StreamApp::default();
        assert_eq!(response(&mut app, true), Decision::Whole(http));
        // The answer to HEAD has no body.
        let mut app = StreamApp::default();
        app.segment(
            0,
            4,
            1,
            b"HEAD / HTTP/1.0\r\n\r\n",
            true,
            Some(80),
            2282,
            80,
        );
        assert_eq!(response(&mut app, false), Decision::Whole(http));
    }
}
