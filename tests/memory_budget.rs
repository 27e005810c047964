//! Issue 22's memory limits, end to end: a port scan's streams kept compact still give
//! tshark's stream numbers and analysis; a load past `--max-memory` stops at a packet
//! boundary, keeps what it read and says how much it opened; a gzip capture that
//! would not fit in the temporary folder is refused before it fills it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{synack, write_temp};
use std::io::Write;
use std::process::Command;

/// A pcap of `n` zero-length records (the cheapest records a file can hold), record
/// `i` stamped `1,700,000,000 + i` microseconds.
fn tiny_records(n: u32) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(24 + 16 * n as usize);
    for word in [0xa1b2_c3d4u32, 0x0004_0002, 0, 0, 65535, 1] {
        bytes.extend_from_slice(&word.to_le_bytes());
    }
    for i in 0..n {
        let micros = 1_700_000_000u64 + u64::from(i);
        let sec = (micros / 1_000_000) as u32;
        let usec = (micros % 1_000_000) as u32;
        for word in [sec, usec, 0, 0] {
            bytes.extend_from_slice(&word.to_le_bytes());
        }
    }
    bytes
}

/// The number after `prefix` in `text` (commas between thousands allowed).
fn number_after(text: &str, prefix: &str) -> u64 {
    let start = text.find(prefix).expect(prefix) + prefix.len();
    let digits: String = text[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',')
        .filter(char::is_ascii_digit)
        .collect();
    digits.parse().expect("a number")
}

/// tests/memory/port_scan.pcap (`bench/make-port-scan.py 400`): 761 packets, most
/// streams of one or two segments (kept compact, then computed again), with SYNs sent
/// again (retransmissions) or with a new sequence number (port reuse), RSTs, SYN-ACKs
/// and a few requests. The expected fields are tshark's.
#[test]
fn a_port_scan_keeps_tsharks_streams_and_analysis() {
    const FIELDS: [&str; 12] = [
        "frame.number",
        "tcp.stream",
        "tcp.analysis.flags",
        "tcp.completeness",
        "tcp.seq",
        "tcp.ack",
        "tcp.analysis.retransmission",
        "tcp.analysis.reused_ports",
        "tcp.analysis.bytes_in_flight",
        "tcp.analysis.initial_rtt",
        "tcp.analysis.acks_frame",
        "tcp.time_delta",
    ];
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/memory");
    let capture = root.join("port_scan.pcap");
    let expected = std::fs::read_to_string(root.join("port_scan.fields")).unwrap();
    let mut args = vec!["dump", "-r", capture.to_str().unwrap(), "-T", "fields"];
    for field in FIELDS {
        args.extend(["-e", field]);
    }
    for threads in ["1", "2"] {
        let out = Command::new(env!("CARGO_BIN_EXE_synack"))
            .args(&args)
            .env("SYNACK_LOAD_THREADS", threads)
            .env("TZ", "UTC")
            .output()
            .expect("run synack");
        let got = String::from_utf8_lossy(&out.stdout);
        let differ: Vec<(&str, &str)> = expected
            .lines()
            .zip(got.lines())
            .filter(|(want, got)| want != got)
            .take(3)
            .collect();
        assert!(differ.is_empty(), "{threads} thread(s): {differ:?}");
        assert_eq!(got.lines().count(), expected.lines().count());
    }
}

#[test]
fn a_load_past_its_budget_keeps_the_first_packets_and_says_so() {
    let n = 300_000;
    let file = write_temp(&tiny_records(n), ".pcap");
    let path = file.path().to_str().unwrap();

    let out = synack(&["stats", "-r", path, "--max-memory", "4M"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stderr}");
    let kept = number_after(&stderr, "opened the first ");
    let about = number_after(&stderr, " of about ");
    assert!(kept > 0 && kept < u64::from(n), "{stderr}");
    // The records are all alike: the estimate of the whole is close.
    assert!(about.abs_diff(u64::from(n)) < u64::from(n) / 50, "{stderr}");
    assert!(
        stderr.contains("the memory budget of 4.0 MB was reached"),
        "{stderr}"
    );
    assert!(
        stderr.contains("more; use `synack dump -r FILE -c "),
        "{stderr}"
    );
    assert_eq!(number_after(&stdout, "Packets: "), kept, "{stdout}");

    // The packets kept are the file's first ones, in order, with their own times.
    let out = synack(&[
        "dump",
        "-r",
        path,
        "--max-memory",
        "4M",
        "-T",
        "fields",
        "-e",
        "frame.number",
        "-e",
        "frame.time_epoch",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let kept = number_after(&stderr, "opened the first ");
    let lines: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(lines.len() as u64, kept);
    for (i, line) in lines.iter().enumerate().step_by(997) {
        let micros = 1_700_000_000u64 + i as u64;
        let expected = format!(
            "{}\t{}.{:06}000",
            i + 1,
            micros / 1_000_000,
            micros % 1_000_000
        );
        assert_eq!(line, &expected);
    }

    // Without a budget that small, every packet.
    let out = synack(&["stats", "-r", path]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(number_after(&stdout, "Packets: "), u64::from(n), "{stdout}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("opened the first"));
}

#[test]
fn a_bad_size_is_refused() {
    let out = synack(&["stats", "-r", "/nonexistent", "--max-memory", "lots"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a size"));
}

/// Unmounts the folder when the test ends, however it ends.
struct Mounted(std::path::PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
        let _ = std::fs::remove_dir(&self.0);
    }
}

#[test]
fn a_gzip_capture_that_cannot_fit_in_the_temporary_folder_is_refused_first() {
    // A 2 MiB tmpfs as the temporary folder (mounting needs root: skipped without).
    let dir = std::env::temp_dir().join(format!("synack-small-tmp-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=2m", "tmpfs"])
        .arg(&dir)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        let _ = std::fs::remove_dir(&dir);
        eprintln!("skipped: cannot mount a tmpfs here (needs root)");
        return;
    }
    let guard = Mounted(dir.clone());

    // 4.8 MB of records, a few kB of gzip.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&tiny_records(300_000)).unwrap();
    let file = write_temp(&gz.finish().unwrap(), ".pcap.gz");
    let out = Command::new(env!("CARGO_BIN_EXE_synack"))
        .args(["stats", "-r", file.path().to_str().unwrap()])
        .env("TMPDIR", &guard.0)
        .output()
        .expect("run synack");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("inflates to 4.8 MB or more"), "{stderr}");
    assert!(
        stderr.contains("set TMPDIR to a folder with more room"),
        "{stderr}"
    );
    // Nothing was written there.
    assert_eq!(std::fs::read_dir(&guard.0).unwrap().count(), 0);

    // The same file opens where there is room.
    let out = synack(&["stats", "-r", file.path().to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(number_after(&stdout, "Packets: "), 300_000, "{stdout}");
}
