//! tshark's flags that lab sheets use, held against tshark 4.0's own output: `-o`
//! preferences (what the engine computes with each off) and its error messages and
//! exit status. Expected files: `tests/expected/flags/`, made by `tshark -r FILE`
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
