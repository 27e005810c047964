//! Live capture when things go wrong, and dumpcap's long-capture options, on real
//! captures (root, as CI runs): a disk that fills, a helper killed with SIGKILL, a
//! device deleted under a capture; a ring buffer and two interfaces at once. Each
//! fault leaves a capture that opens with every packet written before it, and a
//! message that says what happened.

// A failed step should stop the test with its reason; skips say why on stderr.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

mod common;

use common::{helper, is_root};
use std::net::UdpSocket;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use synack::capture::Capture;

/// Generous bound on every wait: a slow CI machine is not a failure.
const PATIENCE: Duration = Duration::from_secs(30);

/// Captures on lo run one at a time (each filters on its own port anyway).
static LO: Mutex<()> = Mutex::new(());

fn lo() -> std::sync::MutexGuard<'static, ()> {
    LO.lock().unwrap_or_else(|e| e.into_inner())
}

/// Starts the helper with `args` and waits until it has opened its file.
fn start_helper(args: &[&str], file: &Path) -> Child {
    let child = Command::new(helper())
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the helper");
    let deadline = Instant::now() + PATIENCE;
    while std::fs::metadata(file).map_or(0, |m| m.len()) == 0 {
        assert!(Instant::now() < deadline, "the helper never wrote its file");
        std::thread::sleep(Duration::from_millis(20));
    }
    // The device is open before the file is written; a moment more for the filter.
    std::thread::sleep(Duration::from_millis(200));
    child
}

/// Sends `count` datagrams of `size` bytes to 127.0.0.1:`port`.
fn send(port: u16, count: usize, size: usize) {
    let socket = UdpSocket::bind("127.0.0.1:0").expect("bind");
    let payload = vec![0x5a; size];
    for _ in 0..count {
        // Nobody listens: the datagram is still on the wire of lo.
        socket.send_to(&payload, ("127.0.0.1", port)).ok();
    }
}

/// A port nobody uses for this test's datagrams.
fn free_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .and_then(|s| s.local_addr())
        .expect("a free port")
        .port()
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The number in "keeps the N packets" of a message.
fn kept(message: &str) -> u64 {
    let after = message
        .split("keeps the ")
        .nth(1)
        .unwrap_or_else(|| panic!("no packet count in: {message}"));
    after
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no packet count in: {message}"))
}

/// Runs `ip` with `args`, failing the test if it fails.
fn ip(args: &[&str]) {
    let status = Command::new("ip").args(args).status().expect("run ip");
    assert!(status.success(), "ip {args:?} failed");
}

/// A tmpfs of `kb` kB mounted on a fresh folder, unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(kb: u32) -> SmallDisk {
        let dir = tempfile::tempdir().expect("temp dir");
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={kb}k"), "tmpfs"])
            .arg(dir.path())
            .status()
            .expect("mount");
        assert!(status.success(), "cannot mount a tmpfs");
        SmallDisk { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        // A failed unmount leaves a tmpfs behind, nothing worse.
        Command::new("umount").arg(self.dir.path()).status().ok();
    }
}

#[test]
fn a_full_disk_stops_the_capture_and_the_file_keeps_every_packet_written() {
    if !is_root() {
        eprintln!("skipped: mounting a tmpfs and capturing on lo need root (CI runs as root)");
        return;
    }
    let _lo = lo();
    let disk = SmallDisk::mount(256);
    let file = disk.path("full.pcapng");
    let port = free_port();
    let filter = format!("udp dst port {port}");
    let child = start_helper(
        &["-i", "lo", "-f", &filter, "-w", &file.display().to_string()],
        &file,
    );
    // About 1.2 MB of datagrams for a 256 kB disk, sent until the helper gives up.
    let deadline = Instant::now() + PATIENCE;
    let mut child = child;
    let status = loop {
        send(port, 100, 1000);
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "the helper never noticed the full disk"
        );
    };
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut err).ok();
    assert_eq!(status.code(), Some(1), "{err}");
    assert!(err.contains("the disk is full"), "{err}");
    let kept = kept(&err);
    assert!(kept > 50, "{err}");
    let capture = Capture::open(&file).expect("the file opens");
    assert!(capture.damage().is_none(), "{:?}", capture.damage());
    assert_eq!(capture.len() as u64, kept);
}

#[test]
fn a_killed_helper_leaves_a_readable_file_and_synack_capture_says_what_happened() {
    if !is_root() {
        eprintln!("skipped: capturing on lo needs root (CI runs as root)");
        return;
    }
    let _lo = lo();
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("killed.pcapng");
    let port = free_port();
    let filter = format!("udp dst port {port}");
    let child = Command::new(env!("CARGO_BIN_EXE_synack"))
        .args(["capture", "-i", "lo", "-f", &filter, "-w"])
        .arg(&file)
        .env("SYNACK_CAPTURE", helper())
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start synack capture");
    let deadline = Instant::now() + PATIENCE;
    while std::fs::metadata(&file).map_or(0, |m| m.len()) == 0 {
        assert!(Instant::now() < deadline, "the helper never wrote its file");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(200));
    send(port, 50, 200);
    // The helper pushes its packets to the file every 100 ms.
    std::thread::sleep(Duration::from_millis(400));
    // The helper alone (`synack capture`'s own command line names the file too).
    let pattern = format!("synack-capture .*{}", file.display());
    let killed = Command::new("pkill")
        .args(["-KILL", "-f", &pattern])
        .status()
        .expect("pkill");
    assert!(killed.success(), "no helper to kill");
    let out = child.wait_with_output().expect("synack capture ends");
    let err = text(&out);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains("was killed by signal 9 (SIGKILL)") && err.contains("keeps every packet"),
        "{err}"
    );
    let capture = Capture::open(&file).expect("the file opens");
    assert_eq!(capture.len(), 50, "{:?}", capture.damage());
}

#[test]
fn a_device_deleted_under_a_capture_is_said_and_the_file_kept() {
    if !is_root() {
        eprintln!("skipped: making a veth pair needs root (CI runs as root)");
        return;
    }
    let name = format!("synf{}", std::process::id() % 10_000);
    let peer = format!("{name}p");
    ip(&["link", "add", &name, "type", "veth", "peer", "name", &peer]);
    ip(&["link", "set", &name, "up"]);
    ip(&["link", "set", &peer, "up"]);
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("gone.pcapng");
    let mut child = start_helper(&["-i", &name, "-w", &file.display().to_string()], &file);
    // Whatever the new link sends (IPv6 router solicitations, ...) plus a flood of
    // raw frames is enough: the count in the message is what is checked.
    std::thread::sleep(Duration::from_millis(500));
    ip(&["link", "del", &name]);
    let deadline = Instant::now() + PATIENCE;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(Instant::now() < deadline, "the helper did not notice");
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut err).ok();
    assert_eq!(status.code(), Some(1), "{err}");
    assert!(err.contains(&format!("cannot capture on {name}")), "{err}");
    let kept = kept(&err);
    let capture = Capture::open(&file).expect("the file opens");
    assert_eq!(capture.len() as u64, kept, "{err}");
}

/// The packets tshark counts in `file`.
fn tshark_count(file: &Path) -> Option<usize> {
    let out = Command::new("tshark").arg("-r").arg(file).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).lines().count())
}

#[test]
fn a_ring_buffer_keeps_its_last_files_and_each_opens_with_its_count() {
    if !is_root() {
        eprintln!("skipped: capturing on lo needs root (CI runs as root)");
        return;
    }
    let _lo = lo();
    let dir = tempfile::tempdir().expect("temp dir");
    let base = dir.path().join("ring.pcapng");
    let port = free_port();
    let filter = format!("udp dst port {port}");
    let mut child = Command::new(helper())
        .args([
            "-i",
            "lo",
            "-f",
            &filter,
            "-b",
            "packets:5",
            "-b",
            "files:3",
        ])
        .args(["-a", "packets:23", "-w"])
        .arg(&base)
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the helper");
    std::thread::sleep(Duration::from_millis(700));
    send(port, 30, 100);
    let deadline = Instant::now() + PATIENCE;
    while child.try_wait().expect("wait").is_none() {
        assert!(Instant::now() < deadline, "-a packets:23 did not stop it");
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    let names: Vec<String> = files
        .iter()
        .map(|f| {
            f.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    // Five files of 5, 5, 5, 5 and 3 packets; the last three kept.
    assert_eq!(names.len(), 3, "{names:?}");
    for (name, number) in names.iter().zip(["00003", "00004", "00005"]) {
        assert!(
            name.starts_with(&format!("ring_{number}_")) && name.ends_with(".pcapng"),
            "{names:?}"
        );
    }
    let counts: Vec<usize> = files
        .iter()
        .map(|f| Capture::open(f).expect("opens").len())
        .collect();
    assert_eq!(counts, [5, 5, 3]);
    if let Some(first) = tshark_count(&files[0]) {
        assert_eq!(first, 5, "tshark's count");
    }
}

#[test]
fn two_interfaces_go_into_one_pcapng_that_names_both() {
    if !is_root() {
        eprintln!("skipped: capturing on lo needs root (CI runs as root)");
        return;
    }
    let _lo = lo();
    let name = format!("synm{}", std::process::id() % 10_000);
    let peer = format!("{name}p");
    ip(&["link", "add", &name, "type", "veth", "peer", "name", &peer]);
    ip(&["link", "set", &name, "up"]);
    ip(&["link", "set", &peer, "up"]);
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("two.pcapng");
    let port = free_port();
    let filter = format!("udp dst port {port} or ip6");
    let mut child = start_helper(
        &[
            "-i",
            "lo",
            "-i",
            &name,
            "-f",
            &filter,
            "-a",
            "duration:2",
            "-w",
            &file.display().to_string(),
        ],
        &file,
    );
    send(port, 7, 100);
    let status = child.wait().expect("wait");
    ip(&["link", "del", &name]);
    assert!(status.success());
    let capture = Capture::open(&file).expect("opens");
    let names: Vec<Option<String>> = capture
        .interfaces()
        .iter()
        .map(|i| i.name.clone())
        .collect();
    assert_eq!(names, [Some("lo".to_string()), Some(name.clone())]);
    assert!(capture.len() >= 7);
    if let Some(count) = tshark_count(&file) {
        assert_eq!(count, capture.len(), "tshark's count");
    }
}
