//! tshark's flags that lab sheets use, held against tshark 4.0's own output: `-o`
//! preferences (what the engine computes with each off, reassembly included), `-2 -R`
//! (the read filter's renumbering), and their error messages and exit status. Expected files: `tests/expected/flags/`, made by `tshark -r FILE`
//! with the same flags.

mod common;
use common::*;

fn lossy() -> String {
    capture("tcp_lossy_bulk_head.pcap").display().to_string()
}

/// The first 60 summaries of the lossy capture with one preference set, against
/// tshark's with the same `-o`.
fn summary_with(pref: &str, expected_file: &str) {
    let f = lossy();
    let got = synack_ok(&["dump", "-r", &f, "-c", "60", "-o", pref]);
    assert_same_lines(&format!("-o {pref}"), &expected(expected_file), &got);
}

#[test]
fn raw_sequence_numbers_in_the_summary() {
    summary_with(
        "tcp.relative_sequence_numbers:false",
        "flags/lossy.norel.summary",
    );
}

#[test]
fn no_analysis_means_no_info_prefixes() {
    summary_with(
        "tcp.analyze_sequence_numbers:FALSE",
        "flags/lossy.noanalysis.summary",
    );
}

#[test]
fn several_o_flags_and_fields() {
    let f = lossy();
    let got = synack_ok(&[
        "dump",
        "-r",
        &f,
        "-c",
        "60",
        "-o",
        "tcp.calculate_timestamps:false",
        "-o",
        "tcp.relative_sequence_numbers: false",
        "-T",
        "fields",
        "-e",
        "frame.number",
        "-e",
        "tcp.seq",
        "-e",
        "tcp.ack",
        "-e",
        "tcp.seq_raw",
        "-e",
        "tcp.time_relative",
        "-e",
        "tcp.time_delta",
        "-e",
        "tcp.analysis.ack_rtt",
    ]);
    assert_same_lines(
        "-o timestamps off",
        &expected("flags/lossy.nots.fields"),
        &got,
    );
}

/// tshark 4.0's message (after its program name) and status for bad `-o` flags.
#[test]
fn bad_preferences_get_tsharks_messages() {
    let f = lossy();
    let cases = [
        (
            "foo.bar:1",
            "-o flag \"foo.bar:1\" specifies unknown preference",
        ),
        (
            "tcp.relative_sequence_numbers=false",
            "Invalid -o flag \"tcp.relative_sequence_numbers=false\"",
        ),
        (
            "tcp.Relative_sequence_numbers:false",
            "-o flag \"tcp.Relative_sequence_numbers:false\" specifies unknown preference",
        ),
    ];
    for (arg, message) in cases {
        let out = synack(&["dump", "-r", &f, "-o", arg]);
        assert_eq!(out.status.code(), Some(1), "{arg}");
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            format!("synack: {message}\n")
        );
        assert!(out.stdout.is_empty());
    }
    // Any value but "true" is false, as in tshark: accepted, status 0.
    let out = synack(&[
        "dump",
        "-r",
        &f,
        "-c",
        "1",
        "-o",
        "tcp.relative_sequence_numbers:maybe",
    ]);
    assert_eq!(out.status.code(), Some(0));
}

/// `tree` without synack's teaching items (`synack: …` and the lines under it).
fn without_teaching(tree: &str) -> String {
    let mut out = String::new();
    let mut inside: Option<usize> = None;
    for line in tree.lines() {
        let indent = line.len() - line.trim_start().len();
        if let Some(depth) = inside {
            if indent > depth {
                continue;
            }
            inside = None;
        }
        if line.trim_start().starts_with("synack: ") {
            inside = Some(indent);
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[test]
fn n_t_names_ports_in_the_summary_and_the_tree() {
    let course = capture("course_segments.pcapng").display().to_string();
    let got = synack_ok(&["dump", "-r", &course, "-N", "t", "-c", "60"]);
    assert_same_lines(
        "-N t summaries",
        &expected("flags/course.resolve_t.summary"),
        &got,
    );
    let got = synack_ok(&["dump", "-r", &course, "-N", "t", "-c", "2", "-O", "tcp"]);
    assert_same_lines(
        "-N t TCP tree",
        &expected("flags/course.resolve_t.tcp_tree"),
        &without_teaching(&got),
    );
    let lan = capture("lan_chatter.pcap").display().to_string();
    let got = synack_ok(&["dump", "-r", &lan, "-N", "t", "-c", "40", "-O", "udp"]);
    assert_same_lines(
        "-N t UDP tree",
        &expected("flags/lan.resolve_t.udp_tree"),
        &without_teaching(&got),
    );
}

#[test]
fn an_unknown_n_letter_gets_tsharks_message() {
    let out = synack(&["dump", "-r", &lossy(), "-N", "mx"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with(
            "synack: -N specifies unknown resolving option 'x'; valid options are:\n\t'd' to enable"
        ),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

/// `-o ip.defragment:FALSE`: no IPv4 datagram is joined; the first fragment's
/// payload goes to its protocol as it is (a ping, a UDP header), the others read
/// "Fragmented IP protocol", as tshark shows them. Summaries and fields against
/// tshark's on the fragment captures (clean and odd: overlaps, gaps, out of order).
#[test]
fn fragments_stay_apart_without_defragmentation() {
    for name in ["ip_fragments", "ip_fragments_odd"] {
        let f = capture(&format!("{name}.pcap")).display().to_string();
        let pref = "ip.defragment:FALSE";
        let got = synack_ok(&["dump", "-r", &f, "-o", pref]);
        assert_same_lines(
            &format!("{name} -o {pref}"),
            &expected(&format!("flags/{name}.nodefrag.summary")),
            &got,
        );
        let mut args = vec!["dump", "-r", &f, "-o", pref, "-T", "fields"];
        for field in [
            "frame.number",
            "ip.flags.mf",
            "ip.frag_offset",
            "icmp.type",
            "icmp.seq",
            "udp.length",
            "ip.reassembled_in",
            "data.len",
        ] {
            args.extend(["-e", field]);
        }
        let got = synack_ok(&args);
        assert_same_lines(
            &format!("{name} -o {pref} fields"),
            &expected(&format!("flags/{name}.nodefrag.fields")),
            &got,
        );
    }
}

/// Summaries with one reassembly preference off, against tshark's.
fn summaries_with(file: &str, pref: &str, count: Option<&str>, expected_file: &str) {
    let f = capture(file).display().to_string();
    let mut args = vec!["dump", "-r", &f, "-o", pref];
    if let Some(c) = count {
        args.extend(["-c", c]);
    }
    let got = synack_ok(&args);
    assert_same_lines(
        &format!("{file} -o {pref}"),
        &expected(&format!("flags/{expected_file}")),
        &got,
    );
}

/// The fields the reassembly tests print: which layers each frame has, the
/// reassembly links, HTTP's and TLS's messages.
const REASSEMBLY_FIELDS: [&str; 14] = [
    "frame.number",
    "frame.protocols",
    "tcp.reassembled_in",
    "tcp.segment",
    "http.request.uri",
    "http.response.code",
    "http.content_length",
    "http.request_in",
    "http.response_in",
    "tls.record.content_type",
    "tls.handshake.type",
    "tls.record.length",
    "data.len",
    "_ws.unreassembled",
];

fn fields_with(file: &str, pref: &str, count: Option<&str>, expected_file: &str) {
    let f = capture(file).display().to_string();
    let mut args = vec!["dump", "-r", &f, "-o", pref, "-T", "fields"];
    if let Some(c) = count {
        args.extend(["-c", c]);
    }
    for field in REASSEMBLY_FIELDS {
        args.extend(["-e", field]);
    }
    let got = synack_ok(&args);
    assert_same_lines(
        &format!("{file} -o {pref} fields"),
        &expected(&format!("flags/{expected_file}")),
        &got,
    );
}

/// `-o tcp.desegment_tcp_streams:FALSE`: each segment goes up on its own. HTTP shows
/// a request whose body continues as the message with the body it has, then
/// "Continuation" (binary data at once, text once a line ends, its lines with a
/// colon read as header lines with tshark's "Illegal characters" note); TLS skips the record
/// a segment cuts and shows a segment starting inside one as "Ignored Unknown
/// Record" (or nothing once the version is known); a chunk cut by the segment's end
/// is tshark's "[BoundErrorUnreassembled Packet]".
#[test]
fn each_segment_alone_without_tcp_desegmentation() {
    let pref = "tcp.desegment_tcp_streams:FALSE";
    for name in ["http_post", "http_media", "tls12_cert"] {
        summaries_with(
            &format!("{name}.pcap"),
            pref,
            None,
            &format!("{name}.nodeseg.summary"),
        );
    }
    summaries_with(
        "course_segments.pcapng",
        pref,
        Some("110"),
        "course.nodeseg.summary",
    );
    fields_with("tls12_cert.pcap", pref, None, "tls12_cert.nodeseg.fields");
    fields_with(
        "course_segments.pcapng",
        pref,
        Some("20"),
        "course.nodeseg.fields",
    );
    let f = capture("http_media.pcap").display().to_string();
    let got = synack_ok(&[
        "dump",
        "-r",
        &f,
        "-o",
        pref,
        "-V",
        "-Y",
        "(frame.number>=6 && frame.number<=12) || frame.number==29",
    ]);
    assert_same_lines(
        "http_media continuations -V",
        &expected("flags/http_media.nodeseg.tree"),
        &without_teaching(&got),
    );
}

/// `-o http.desegment_body:FALSE`: headers are still reassembled, the body is not:
/// a message ends with the body bytes its last header segment holds, the rest are
/// "Continuation" (shown only after a request was seen in the conversation).
#[test]
fn bodies_apart_without_http_body_desegmentation() {
    let pref = "http.desegment_body:FALSE";
    for name in ["http_post", "http_media", "http_midstream"] {
        summaries_with(
            &format!("{name}.pcap"),
            pref,
            None,
            &format!("{name}.nobody.summary"),
        );
    }
    summaries_with(
        "course_segments.pcapng",
        pref,
        Some("40"),
        "course.nobody.summary",
    );
    fields_with("http_post.pcap", pref, None, "http_post.nobody.fields");
    let f = capture("http_post.pcap").display().to_string();
    let got = synack_ok(&[
        "dump",
        "-r",
        &f,
        "-o",
        pref,
        "-V",
        "-Y",
        "frame.number>=4 && frame.number<=6",
    ]);
    assert_same_lines(
        "http_post body apart -V",
        &expected("flags/http_post.nobody.tree"),
        &without_teaching(&got),
    );
}

/// `synack dump -2 -R FILTER` with more arguments, against tshark's output.
fn read_filtered(file: &str, read_filter: &str, more: &[&str], expected_file: &str) {
    let f = capture(file).display().to_string();
    let mut args = vec!["dump", "-2", "-r", &f, "-R", read_filter];
    args.extend_from_slice(more);
    let got = synack_ok(&args);
    let got = if more.contains(&"-V") {
        without_teaching(&got)
    } else {
        got
    };
    assert_same_lines(
        &format!("{file} -2 -R {read_filter} {more:?}"),
        &expected(&format!("flags/{expected_file}")),
        &got,
    );
}

const READ_FILTER_FIELDS: [&str; 13] = [
    "frame.number",
    "frame.time_delta",
    "frame.time_delta_displayed",
    "tcp.stream",
    "tcp.analysis.acks_frame",
    "tcp.analysis.ack_rtt",
    "http.response_in",
    "http.request_in",
    "tcp.analysis.bytes_in_flight",
    "tcp.seq",
    "tcp.ack",
    "tcp.reassembled_in",
    "tcp.analysis.duplicate_ack_frame",
];

/// `-2 -R`: the read filter runs in the first pass and what it rejects is never
/// numbered, so the kept packets show as 1, 2, 3…, every frame a field names carries
/// the number the first pass gave it (shared by a rejected run and the packet kept
/// after it), a kept segment shows the TCP analysis entry the rejected segments with
/// its sequence and acknowledgment numbers left (a FIN, a GET: `acks_frame`), and the
/// second packet's time deltas count from the capture's first packet.
#[test]
fn read_filter_renumbers_as_tsharks_first_pass() {
    let syn_fin = "tcp.flags.syn==1 || tcp.flags.fin==1";
    let mut fields = vec!["-T", "fields"];
    for f in READ_FILTER_FIELDS {
        fields.extend(["-e", f]);
    }
    read_filtered(
        "tcp_clean_close.pcap",
        syn_fin,
        &[],
        "clean_close.read_filter.summary",
    );
    read_filtered(
        "tcp_clean_close.pcap",
        syn_fin,
        &fields,
        "clean_close.read_filter.fields",
    );
    // `-c 11`: the kept packets up to the number frame 11 got (the FIN, kept later,
    // shares it), as tshark shows them.
    read_filtered(
        "tcp_clean_close.pcap",
        syn_fin,
        &["-c", "11"],
        "clean_close.read_filter_c11.summary",
    );
    read_filtered(
        "tcp_clean_close.pcap",
        syn_fin,
        &["-V"],
        "clean_close.read_filter.tree",
    );
    read_filtered(
        "http_keepalive.pcap",
        "http",
        &fields,
        "keepalive.read_filter.fields",
    );
    read_filtered(
        "tcp_lossy_bulk_head.pcap",
        "tcp.analysis.flags",
        &[],
        "lossy.read_filter.summary",
    );
    read_filtered(
        "http_media.pcap",
        "http",
        &["-Y", "http.response"],
        "media.read_filter_display.summary",
    );
}

/// `-2 -R … -w`: the packets the read filter keeps are written.
#[test]
fn read_filter_writes_what_it_keeps() {
    let f = capture("http_keepalive.pcap").display().to_string();
    let dir = std::env::temp_dir().join(format!("synack-rf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let out = dir.join("kept.pcapng");
    let out_s = out.display().to_string();
    synack_ok(&[
        "dump",
        "-2",
        "-r",
        &f,
        "-R",
        "tcp.flags.syn==1 || http.request",
        "-w",
        &out_s,
    ]);
    let got = synack_ok(&["dump", "-r", &out_s]);
    assert_same_lines(
        "-2 -R -w",
        &expected("flags/keepalive.read_filter.written.summary"),
        &got,
    );
    std::fs::remove_dir_all(&dir).expect("remove temp dir");
}

/// `-R` without `-2`: tshark's message and status 1, nothing printed.
#[test]
fn read_filter_needs_two_passes() {
    let out = synack(&["dump", "-r", &lossy(), "-R", "tcp"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "synack: -R without -2 is deprecated. For single-pass filtering use -Y.\n"
    );
    assert!(out.stdout.is_empty());
}
