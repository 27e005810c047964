//! The helper gives up its rights as dumpcap does: once it captures, `/proc` shows no
//! capability left in any of its threads, and the file it writes is still whole.
//! Opening `lo` needs root (CI runs as root); elsewhere the test says why it skips.

// A failed step stops the test with its reason; the capability masks are printed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

use std::io::BufReader;
use std::net::UdpSocket;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use synack_capture::protocol::{Line, Status};

const HELPER: &str = env!("CARGO_BIN_EXE_synack-capture");

/// Generous bound on every wait: a slow CI machine is not a failure.
const PATIENCE: Duration = Duration::from_secs(30);

/// CAP_SETPCAP's bit: with it the helper can empty its bounding set too.
const CAP_SETPCAP_BIT: u64 = 1 << 8;

/// The capability masks (`CapEff` and so on) of one `/proc/.../status`.
fn cap_masks(status: &str) -> Vec<(String, u64)> {
    status
        .lines()
        .filter_map(|line| {
            let (key, value) = line.split_once(':')?;
            let key = key.strip_prefix("Cap")?;
            let mask = u64::from_str_radix(value.trim(), 16).ok()?;
            Some((key.to_string(), mask))
        })
        .collect()
}

fn own_mask(key: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    cap_masks(&status)
        .into_iter()
        .find(|(k, _)| k == key)
        .map_or(0, |(_, m)| m)
}

fn is_root() -> bool {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|ids| ids.split_whitespace().nth(1))
        == Some("0")
}

#[test]
fn a_capturing_helper_holds_no_capability() {
    if !is_root() {
        eprintln!("skipped: opening lo needs root (CI runs as root)");
        return;
    }
    let can_drop_bounding = own_mask("Eff") & CAP_SETPCAP_BIT != 0;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("caps.pcapng");
    let receiver = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = receiver.local_addr().unwrap().port();
    let mut child = Command::new(HELPER)
        .args(["-i", "lo", "-f", &format!("udp dst port {port}"), "-w"])
        .arg(&file)
        .args(["--status", "--stop-on-stdin-eof"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdin = child.stdin.take();
    let mut lines = synack_capture::protocol::lines(BufReader::new(child.stderr.take().unwrap()));
    let mut seen = Vec::new();
    // Ready, then datagrams until a status line counts one: the helper is capturing.
    let sender = UdpSocket::bind("127.0.0.1:0").unwrap();
    let deadline = Instant::now() + PATIENCE;
    let mut ready = false;
    loop {
        assert!(Instant::now() < deadline, "no packet captured: {seen:?}");
        if ready {
            sender.send_to(b"synack", ("127.0.0.1", port)).unwrap();
        }
        match lines.next() {
            Some(Line::Status(Status::Ready { .. })) => ready = true,
            Some(Line::Status(Status::Stats(s))) if s.packets > 0 => break,
            Some(other) => seen.push(format!("{other:?}")),
            None => panic!("the helper ended: {seen:?}"),
        }
    }
    // Every thread, not only the main one: capabilities are per thread.
    let tasks = std::fs::read_dir(format!("/proc/{}/task", child.id())).unwrap();
    for task in tasks {
        let path = task.unwrap().path().join("status");
        let status = std::fs::read_to_string(&path).unwrap();
        let masks = cap_masks(&status);
        eprintln!("{}: {masks:x?}", path.display());
        for (key, mask) in &masks {
            let must_be_zero = match key.as_str() {
                "Eff" | "Prm" | "Inh" | "Amb" => true,
                "Bnd" => can_drop_bounding,
                _ => false,
            };
            if must_be_zero {
                assert_eq!(*mask, 0, "Cap{key} of {}: {status}", path.display());
            }
        }
        assert!(masks.iter().any(|(k, _)| k == "Eff"), "{status}");
    }
    // Closing stdin asks the helper to finish the file.
    drop(stdin);
    let rest: Vec<Line> = lines.collect();
    let exit = child.wait().unwrap();
    assert!(exit.success(), "{rest:?}");
    let capture = synack_engine::capture::Capture::open(&file).unwrap();
    assert!(capture.damage().is_none());
    assert!(!capture.is_empty());
    let (_, data) = capture.packet(0).unwrap();
    assert!(data.ends_with(b"synack"));
}
