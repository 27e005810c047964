//! Export writes exactly the kept packets (original bytes, lengths, timestamps) in
//! pcap and pcapng, atomically: a failure leaves no file and an existing one intact.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;
use std::path::Path;
use std::process::Command;

fn fields(path: &Path) -> String {
    synack_ok(&[
        "dump",
        "-r",
        path.to_str().unwrap(),
        "-T",
        "fields",
        "-e",
        "frame.time_epoch",
        "-e",
        "frame.len",
        "-e",
        "frame.cap_len",
        "-e",
        "frame.encap_type",
    ])
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".part"))
        .collect()
}

#[test]
fn exported_packets_keep_bytes_lengths_and_times() {
    let dir = tempfile::tempdir().unwrap();
    for cap in [
        "tcp_clean_close.pcap",
        "multi_iface.pcapng",
        "tcp_nanosecond.pcap",
        "linux_cooked_any.pcap",
    ] {
        let input = capture(cap);
        let all = fields(&input);
        for fmt in ["pcapng", "pcap", "nsecpcap"] {
            let out = dir.path().join(format!("{cap}.{fmt}"));
            synack_ok(&[
                "dump",
                "-r",
                input.to_str().unwrap(),
                "-F",
                fmt,
                "-w",
                out.to_str().unwrap(),
            ]);
            let got = fields(&out);
            let expected_lines: Vec<String> = all
                .lines()
                .map(|l| {
                    if fmt == "pcap" {
                        // Microsecond pcap truncates nanoseconds, as tshark -F pcap does.
                        let (t, rest) = l.split_once('\t').unwrap();
                        format!("{}000\t{rest}", &t[..t.len() - 3])
                    } else {
                        l.to_string()
                    }
                })
                .collect();
            assert_same_lines(&format!("{cap} as {fmt}"), &expected_lines.join("\n"), &got);
            // The bytes themselves survive.
            let a = synack_ok(&["dump", "-r", input.to_str().unwrap(), "-x"]);
            let b = synack_ok(&["dump", "-r", out.to_str().unwrap(), "-x"]);
            let hex = |t: &str| {
                t.lines()
                    .filter(|l| l.starts_with(char::is_numeric) && l.contains("  "))
                    .map(str::to_string)
                    .filter(|l| l.len() > 6 && &l[4..6] == "  ")
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            assert_eq!(hex(&a), hex(&b), "{cap} as {fmt}: bytes differ");
        }
    }
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn filter_and_range_choose_the_packets() {
    let dir = tempfile::tempdir().unwrap();
    let input = capture("tcp_clean_close.pcap");
    let out = dir.path().join("syn.pcapng");
    synack_ok(&[
        "dump",
        "-r",
        input.to_str().unwrap(),
        "-Y",
        "tcp",
        "--range",
        "1-10,18",
        "-w",
        out.to_str().unwrap(),
    ]);
    let frames = synack_ok(&[
        "dump",
        "-r",
        out.to_str().unwrap(),
        "-T",
        "fields",
        "-e",
        "tcp.srcport",
    ]);
    assert_eq!(frames.lines().count(), 3, "frames 9, 10 and 18");
    // The section header names synack as the writing application.
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.windows(6).any(|w| w == b"synack"));
}

#[test]
fn failed_exports_leave_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let input = capture("tcp_clean_close.pcap");
    // A directory that does not exist.
    let missing = dir.path().join("no/such/dir/out.pcapng");
    let out = synack(&[
        "dump",
        "-r",
        input.to_str().unwrap(),
        "-w",
        missing.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(!missing.exists());
    // Onto the capture being read: refused, the input untouched.
    let copy = dir.path().join("in.pcap");
    std::fs::copy(&input, &copy).unwrap();
    let before = std::fs::read(&copy).unwrap();
    let out = synack(&[
        "dump",
        "-r",
        copy.to_str().unwrap(),
        "-Y",
        "tcp",
        "-w",
        copy.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("refusing to overwrite"));
    assert_eq!(std::fs::read(&copy).unwrap(), before);
    // An existing target stays as it was when the export fails (an unknown format).
    let existing = dir.path().join("keep.pcap");
    std::fs::write(&existing, b"precious").unwrap();
    let out = synack(&[
        "dump",
        "-r",
        input.to_str().unwrap(),
        "-F",
        "bogus",
        "-w",
        existing.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert_eq!(std::fs::read(&existing).unwrap(), b"precious");
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn pcap_cannot_hold_two_link_types() {
    use synack::capture::{Capture, writer};
    // A pcapng with an Ethernet and a Linux cooked interface, made from two captures.
    let dir = tempfile::tempdir().unwrap();
    let eth = Capture::open(&capture("tcp_clean_close.pcap")).unwrap();
    let sll = Capture::open(&capture("linux_cooked_any.pcap")).unwrap();
    let a = dir.path().join("a.pcapng");
    let b = dir.path().join("b.pcapng");
    writer::export(&eth, &[0, 1], writer::Format::PcapNg, &a).unwrap();
    writer::export(&sll, &[0, 1], writer::Format::PcapNg, &b).unwrap();
    // Two sections in one file: pcapng allows it.
    let mut both = std::fs::read(&a).unwrap();
    both.extend(std::fs::read(&b).unwrap());
    let mixed_path = dir.path().join("mixed.pcapng");
    std::fs::write(&mixed_path, both).unwrap();
    let mixed = Capture::open(&mixed_path).unwrap();
    assert_eq!(mixed.len(), 4);
    let target = dir.path().join("out.pcap");
    std::fs::write(&target, b"old").unwrap();
    let err = writer::export(&mixed, &[0, 1, 2, 3], writer::Format::Pcap, &target).unwrap_err();
    assert!(err.to_string().contains("link types"), "{err}");
    assert_eq!(std::fs::read(&target).unwrap(), b"old");
    // pcapng keeps both interfaces.
    let ng = dir.path().join("out.pcapng");
    writer::export(&mixed, &[0, 1, 2, 3], writer::Format::PcapNg, &ng).unwrap();
    let back = Capture::open(&ng).unwrap();
    assert_eq!(back.interfaces().len(), 2);
    assert_eq!(back.len(), 4);
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn a_dash_writes_to_standard_output_and_a_device_stays_a_device() {
    let input = capture("tcp_clean_close.pcap");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.pcapng");
    let to_file = synack(&[
        "dump",
        "-r",
        input.to_str().unwrap(),
        "-Y",
        "tcp",
        "-w",
        file.to_str().unwrap(),
    ]);
    assert!(to_file.status.success());
    // `-w -`, as tshark and dumpcap: the same bytes on stdout, no file named "-".
    let out = Command::new(env!("CARGO_BIN_EXE_synack"))
        .args([
            "dump",
            "-r",
            input.to_str().unwrap(),
            "-Y",
            "tcp",
            "-w",
            "-",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.stdout, std::fs::read(&file).unwrap());
    assert!(!dir.path().join("-").exists());
    // A device is written in place, never replaced by a renamed file.
    let out = synack(&["dump", "-r", input.to_str().unwrap(), "-w", "/dev/null"]);
    assert!(out.status.success());
    assert!(std::fs::metadata("/dev/null").is_ok_and(|m| !m.is_file()));
}

#[test]
fn a_capture_on_standard_input_reads_as_the_file() {
    let input = capture("tcp_clean_close.pcap");
    let from_file = synack_ok(&["dump", "-r", input.to_str().unwrap()]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_synack"))
        .args(["dump", "-r", "-"])
        .env("TZ", "UTC")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // A few kilobytes: the pipe holds them all before synack reads.
    let bytes = std::fs::read(&input).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    assert!(std::io::Write::write_all(&mut stdin, &bytes).is_ok());
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), from_file);
}
