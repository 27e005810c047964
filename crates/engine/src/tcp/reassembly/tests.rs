//! Unit tests of the PDU decisions, on the segments of the test captures.

use super::*;
use crate::dissect::testing::{field, with_frame};
use crate::dissect::{Value, tcp as tcp_fields};

/// The raw sequence number and payload of a TCP frame of a test capture.
fn segment(name: &str, frame: usize) -> (u32, Vec<u8>) {
    with_frame(name, frame, |d| {
        let seq = field(d, "tcp.seq_raw").parse().unwrap_or(0);
        let payload = match d.first(tcp_fields::PAYLOAD) {
            Some(Value::Bytes(b)) => b.to_vec(),
            _ => Vec::new(),
        };
        (seq, payload)
    })
}

fn feed(app: &mut StreamApp, name: &str, frame: usize, side: usize, ports: (u16, u16)) -> Decision {
    let (seq, payload) = segment(name, frame);
    app.segment(
        side,
        frame as u32,
        seq,
        &payload,
        true,
        Some(ports.1.min(ports.0)),
        ports.0,
        ports.1,
    )
}

/// A TLS 1.2 server's segment of `len` bytes from raw `seq`: a record header
/// announcing `record` bytes (when given), then filler.
fn tls_segment(
    app: &mut StreamApp,
    frame: u32,
    seq: u32,
    record: Option<(usize, u16)>,
    len: usize,
) -> Decision {
    let mut payload = vec![0x5a; len];
    if let Some((at, record_len)) = record {
        let header = [23, 3, 3, (record_len >> 8) as u8, record_len as u8];
        payload.splice(at..at + 5, header);
    }
    app.tls_version = Some(0x0303);
    app.segment(1, frame, seq, &payload, true, Some(443), 443, 50000)
}

/// A record over segments, one lost: the segment past the gap joins it, the one
/// running past its end hands the rest on (a new record that needs more), and the
/// lost segment, fast-retransmitted later, still joins the abandoned record without
/// disturbing the new one.
#[test]
fn segments_of_a_record_a_gap_left_unfinished() {
    let mut app = StreamApp::default();
    // Record 1: 4,101 bytes from seq 1000 (to 5101).
    assert_eq!(
        tls_segment(&mut app, 1, 1000, Some((0, 4096)), 1000),
        Decision::PartialStart(AppProto::Tls, 0)
    );
    // Seq 2000-3000 lost.
    assert_eq!(
        tls_segment(&mut app, 2, 3000, None, 1000),
        Decision::PartialMore(AppProto::Tls, None)
    );
    // 4600-5600: 501 bytes end record 1, record 2 (1,029 bytes) starts at 5101.
    assert_eq!(
        tls_segment(&mut app, 3, 4600, Some((501, 1024)), 1000),
        Decision::PartialMore(AppProto::Tls, None)
    );
    // The lost segment joins record 1 (still short of 4000-4600).
    assert_eq!(
        tls_segment(&mut app, 4, 2000, None, 1000),
        Decision::PartialMore(AppProto::Tls, None)
    );
    // Record 2 goes on and ends: 5600 + 530 = 6130.
    let Decision::Completes(c) = tls_segment(&mut app, 5, 5600, None, 530) else {
        panic!("frame 5 completes record 2");
    };
    assert_eq!(
        (c.first_offset, c.end, c.parts.frames()),
        (501, 530, vec![3])
    );
}

/// tls12_cert.pcap frames 6-8: Server Hello then the start of the Certificate
/// record; the Certificate's end and the start of Server Key Exchange; its end and
/// Server Hello Done.
#[test]
fn tls_records_over_segments() {
    let mut app = StreamApp::default();
    let ports = (443, 37250);
    assert_eq!(
        feed(&mut app, "tls12_cert.pcap", 6, 1, ports),
        Decision::WholeThenStart(AppProto::Tls, 70)
    );
    let Decision::Completes(c) = feed(&mut app, "tls12_cert.pcap", 7, 1, ports) else {
        panic!("frame 7 completes the Certificate");
    };
    assert_eq!((c.end, c.tail, c.first_offset), (400, Some(400), 70));
    assert_eq!(
        (c.parts.parts.clone(), c.parts.bytes.len()),
        (vec![(6, 478)], 478)
    );
    let Decision::Completes(c) = feed(&mut app, "tls12_cert.pcap", 8, 1, ports) else {
        panic!("frame 8 completes Server Key Exchange");
    };
    assert_eq!((c.end, c.tail), (157, None));
    assert_eq!(app.tls_version, Some(0x0303));
    // A keep-alive's byte inside Server Key Exchange (the last PDU reassembled)
    // overlaps it; past its end it does not.
    let (seq8, _) = segment("tls12_cert.pcap", 8);
    let overlaps = |at: u32| app.overlaps_reassembled(1, seq8.wrapping_add(at));
    assert_eq!(overlaps(156), Some(AppProto::Tls));
    assert_eq!(overlaps(157), None);
}

/// ssh_kex_split.pcapng: both banners whole, then the client's Key Exchange Init
/// over frames 8 and 9 (tshark: "[TCP segment of a reassembled PDU]", then
/// "Client: Key Exchange Init"); the server's Key Exchange Init whole.
#[test]
fn ssh_key_exchange_over_segments() {
    let name = "ssh_kex_split.pcapng";
    let mut app = StreamApp::default();
    let to_server = (34850, 22);
    let to_client = (22, 34850);
    let ssh = AppProto::Ssh;
    assert_eq!(feed(&mut app, name, 4, 0, to_server), Decision::Whole(ssh));
    assert_eq!(feed(&mut app, name, 6, 1, to_client), Decision::Whole(ssh));
    assert_eq!(
        feed(&mut app, name, 8, 0, to_server),
        Decision::PartialStart(ssh, 0)
    );
    let Decision::Completes(c) = feed(&mut app, name, 9, 0, to_server) else {
        panic!("frame 9 completes the Key Exchange Init");
    };
    assert_eq!((c.end, c.tail, c.first_offset), (224, None, 0));
    assert_eq!(feed(&mut app, name, 11, 1, to_client), Decision::Whole(ssh));
}

/// ssh_nmap_probes.pcapng: nmap's "SSH-1.5-" client banner makes the connection
/// SSH-1, whose packets tshark waits for; the server's "Protocol major versions
/// differ." reads as a huge SSH-1 length, so both its segments are kept for a PDU.
#[test]
fn ssh1_banner_changes_the_framing() {
    let name = "ssh_nmap_probes.pcapng";
    let mut app = StreamApp::default();
    let to_server = (55944, 22);
    let to_client = (22, 55944);
    let ssh = AppProto::Ssh;
    assert_eq!(feed(&mut app, name, 7, 1, to_client), Decision::Whole(ssh));
    assert_eq!(feed(&mut app, name, 11, 0, to_server), Decision::Whole(ssh));
    assert_eq!(
        feed(&mut app, name, 15, 1, to_client),
        Decision::PartialStart(ssh, 0)
    );
    assert_eq!(
        feed(&mut app, name, 18, 1, to_client),
        Decision::PartialMore(ssh, None)
    );
}

/// http_post.pcap: the POST starts in frame 4, continues to frame 20; the capture
/// cut from frame 6 on (http_midstream.pcap) starts inside its body.
#[test]
fn http_post_over_segments_and_mid_stream() {
    let mut app = StreamApp::default();
    let ports = (45700, 80);
    assert_eq!(
        feed(&mut app, "http_post.pcap", 4, 0, ports),
        Decision::PartialStart(AppProto::Http, 0)
    );
    for frame in [6, 8, 10, 12, 14, 16, 18] {
        assert_eq!(
            feed(&mut app, "http_post.pcap", frame, 0, ports),
            Decision::PartialMore(AppProto::Http, None)
        );
    }
    let Decision::Completes(c) = feed(&mut app, "http_post.pcap", 20, 0, ports) else {
        panic!("frame 20 completes the POST");
    };
    assert_eq!((c.end, c.tail, c.parts.parts.len()), (184, None, 8));
    // Text with a whole first line goes to HTTP, which (no request seen) sets no
    // column for it.
    let mut mid = StreamApp::default();
    assert_eq!(
        feed(&mut mid, "http_midstream.pcap", 1, 0, ports),
        Decision::Whole(AppProto::Http)
    );
}

/// http_post.pcap's POST with frame 6 lost: the later segments inside the POST's
/// length stay its segments (never completing), and frame 6 arriving out of order
/// joins it too, as tshark shows them.
#[test]
fn segments_past_a_gap_stay_in_the_pdu() {
    let mut app = StreamApp::default();
    let ports = (45700, 80);
    assert_eq!(
        feed(&mut app, "http_post.pcap", 4, 0, ports),
        Decision::PartialStart(AppProto::Http, 0)
    );
    for frame in [8, 10, 12, 14, 16, 18, 20] {
        assert_eq!(
            feed(&mut app, "http_post.pcap", frame, 0, ports),
            Decision::PartialMore(AppProto::Http, None),
            "frame {frame}"
        );
    }
    let (seq, payload) = segment("http_post.pcap", 6);
    assert_eq!(
        app.out_of_order(0, 6, seq, &payload, payload.len() as u32),
        None,
        "the last hole filled: the PDU is gone, the segment unmarked"
    );
    assert!(app.pending[0].is_none());
}

/// A chunked body: HTTP asks for one more segment each time, so tshark hands it
/// every segment and its first line shows on each.
#[test]
fn a_body_of_unknown_length_shows_the_first_line_on_each_segment() {
    let mut app = StreamApp::default();
    let head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123";
    let more = b"456789";
    assert_eq!(
        app.segment(1, 1, 100, head, true, Some(80), 80, 40000),
        Decision::PartialStart(AppProto::Http, 0)
    );
    let next = 100 + head.len() as u32;
    assert_eq!(
        app.segment(1, 2, next, more, true, Some(80), 80, 40000),
        Decision::PartialMore(AppProto::Http, Some("HTTP/1.1 200 OK ".into()))
    );
}

/// An HTTP proxy's CONNECT answered 200: the tunnel's bytes are TLS (kg_q4.pcapng,
/// a course trace through a proxy on port 8080).
#[test]
fn connect_tunnel_turns_to_tls() {
    let mut app = StreamApp::default();
    let connect = b"CONNECT www.ietf.org:443 HTTP/1.1\r\nHost: www.ietf.org:443\r\n\r\n";
    let ok = b"HTTP/1.1 200 Connection established\r\n\r\n";
    let hello = [22, 3, 1, 0, 2, 1, 0];
    let port = Some(8080);
    assert_eq!(
        app.segment(0, 1, 1, connect, true, port, 48998, 8080),
        Decision::Whole(AppProto::Http)
    );
    assert_eq!(
        app.segment(1, 2, 1, ok, true, port, 8080, 48998),
        Decision::Whole(AppProto::Http)
    );
    let next = 1 + connect.len() as u32;
    assert_eq!(
        app.segment(0, 3, next, &hello, true, port, 48998, 8080),
        Decision::Whole(AppProto::Tls)
    );
}

/// IMAP's STARTTLS and its tagged OK: the next segment is TLS (cs_mail_receiver_
/// server_3.pcapng); a refused STARTTLS leaves the stream to IMAP.
#[test]
fn starttls_turns_to_tls() {
    let hello = [22, 3, 1, 0, 2, 1, 0];
    let mut app = StreamApp::default();
    let port = Some(143);
    assert_eq!(
        app.segment(0, 1, 1, b"1 STARTTLS\r\n", true, port, 51147, 143),
        Decision::None
    );
    assert_eq!(
        app.segment(
            1,
            2,
            1,
            b"1 OK Begin TLS negotiation now.\r\n",
            true,
            port,
            143,
            51147
        ),
        Decision::None
    );
    assert_eq!(
        app.segment(0, 3, 13, &hello, true, port, 51147, 143),
        Decision::Whole(AppProto::Tls)
    );
    let mut refused = StreamApp::default();
    refused.segment(0, 1, 1, b"1 STARTTLS\r\n", true, port, 51147, 143);
    refused.segment(1, 2, 1, b"1 NO not now\r\n", true, port, 143, 51147);
    assert_eq!(
        refused.segment(0, 3, 13, &hello, true, port, 51147, 143),
        Decision::None
    );
}

/// Plain text on a TLS port is not TLS (tshark's TLS refuses four printable bytes).
#[test]
fn tls_refuses_text() {
    let mut app = StreamApp::default();
    assert_eq!(
        app.segment(
            1,
            1,
            1,
            b"220-FileZilla Server\r\n",
            true,
            Some(443),
            443,
            1492
        ),
        Decision::Rejected(AppProto::Tls)
    );
}

/// A gap or a truncated segment drops the unfinished PDU; a record length past
/// what TLS allows is not TLS.
#[test]
fn gaps_and_impossible_lengths() {
    let mut app = StreamApp::default();
    let ports = (443, 37250);
    let (seq, payload) = segment("tls12_cert.pcap", 6);
    app.segment(1, 6, seq, &payload, true, Some(443), ports.0, ports.1);
    // The next segment arrives with a gap before it: the Certificate is abandoned.
    let (seq7, payload7) = segment("tls12_cert.pcap", 7);
    let d = app.segment(
        1,
        7,
        seq7.wrapping_add(1),
        &payload7,
        true,
        Some(443),
        ports.0,
        ports.1,
    );
    assert!(!matches!(d, Decision::Completes(_)));
    assert_eq!(
        crate::dissect::tls::first_record_len(&[22, 3, 3, 0xff, 0xff], None),
        PduLen::NotMine
    );
    let truncated = app.segment(1, 9, 0, &payload, false, Some(443), ports.0, ports.1);
    assert_eq!(truncated, Decision::Whole(AppProto::Tls));
}

/// A response whose body runs to the FIN (no Content-Length), its second segment
/// lost then arriving out of order after the third, as in the Practical Packet
/// Analysis `dns.cap` (frames 46, 47, 49, 51): the third segment past the gap and
/// the out-of-order one are the body's segments, and the FIN completes the body
/// with its parts in sequence order. A body whose gap never fills stays unfinished.
#[test]
fn a_body_to_the_fin_takes_segments_out_of_order() {
    let ports = (80u16, 3541u16);
    let headers = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>";
    let request = b"GET / HTTP/1.1\r\nHost: a\r\n\r\n";
    for fill in [true, false] {
        let mut app = StreamApp::default();
        let server = Some(80);
        app.segment(1, 1, 500, request, true, server, ports.1, ports.0);
        let start = 1000u32;
        assert_eq!(
            app.segment(0, 2, start, headers, true, server, ports.0, ports.1),
            Decision::PartialStart(AppProto::Http, 0)
        );
        let second = start + headers.len() as u32;
        let third = second + 100;
        assert_eq!(
            app.segment(0, 3, third, &[b'c'; 50], true, server, ports.0, ports.1),
            Decision::PartialMore(AppProto::Http, None),
            "past the gap"
        );
        if fill {
            assert_eq!(
                app.out_of_order(0, 4, second, &[b'b'; 100], 100),
                Some(AppProto::Http)
            );
        }
        let done = app.fin_completes(0, third + 50);
        if !fill {
            assert!(done.is_none(), "the gap never filled");
            continue;
        }
        let done = done.expect("the FIN completes the body");
        let frames: Vec<u32> = done.parts.parts.iter().map(|(f, _)| *f).collect();
        assert_eq!(frames, vec![2, 4, 3], "sequence order");
        assert_eq!(done.parts.bytes.len(), headers.len() + 150);
    }
}
