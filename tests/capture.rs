//! Live capture end to end: `synack capture` on `lo` while the test itself opens,
//! uses and closes a TCP connection; clear failures for a device or filter that does
//! not exist; and the permission message for a user without capture rights (a user
//! the test creates). Capturing needs root or capabilities: CI runs as root, and
//! elsewhere these tests say why they skip.

// A failed step should stop the test with its reason, as in tests/common; skips say
// why on stderr.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

mod common;

use common::is_root;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The helper binary (see `common::helper`).
static HELPER: std::sync::LazyLock<String> = std::sync::LazyLock::new(common::helper);
const SYNACK: &str = env!("CARGO_BIN_EXE_synack");

/// Generous bound on every wait: a slow CI machine is not a failure.
const PATIENCE: Duration = Duration::from_secs(30);

/// Runs `synack` with the helper named explicitly.
fn synack(args: &[&str]) -> Output {
    Command::new(SYNACK)
        .args(args)
        .env("SYNACK_CAPTURE", &*HELPER)
        .env("TZ", "UTC")
        .output()
        .expect("run synack")
}

/// Starts `synack capture` and waits until the helper has the device open.
fn start_capture(args: &[&str]) -> (Child, std::sync::mpsc::Receiver<String>) {
    let mut child = Command::new(SYNACK)
        .arg("capture")
        .args(args)
        .env("SYNACK_CAPTURE", &*HELPER)
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start synack capture");
    let stderr = child.stderr.take().expect("stderr pipe");
    let (tx, rx) = std::sync::mpsc::sync_channel(1024);
    std::thread::Builder::new()
        .name("test-stderr".into())
        .spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        })
        .expect("reader thread");
    let deadline = Instant::now() + PATIENCE;
    let mut seen = Vec::new();
    while Instant::now() < deadline {
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(line) if line.starts_with("Capturing on") => return (child, rx),
            Ok(line) => seen.push(line),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            Err(_) => break,
        }
    }
    child.kill().ok();
    child.wait().ok();
    panic!("synack capture did not start: {seen:?}");
}

/// A connection with data both ways and a four-way close: the client closes first,
/// and the server closes only after a pause, so its ACK of the client's FIN travels
/// alone and the client passes through FIN-WAIT-2.
fn converse(listener: &TcpListener) {
    let port = listener.local_addr().expect("address").port();
    let mut client = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let (mut server, _) = listener.accept().expect("accept");
    client.write_all(b"GET / HTTP/1.0\r\n\r\n").expect("send");
    let mut buf = [0u8; 64];
    let n = server.read(&mut buf).expect("receive");
    assert!(n > 0);
    server
        .write_all(b"HTTP/1.0 200 OK\r\n\r\nhello")
        .expect("reply");
    let n = client.read(&mut buf).expect("read reply");
    assert!(n > 0);
    client.shutdown(Shutdown::Write).expect("client FIN");
    // The server sees the end of the stream, then waits before closing.
    while server.read(&mut buf).expect("read to end") > 0 {}
    std::thread::sleep(Duration::from_millis(300));
    drop(server);
    while client.read(&mut buf).expect("client reads the FIN") > 0 {}
    drop(client);
}

/// The teaching steps of the packets in `file`, as `synack dump` prints them.
fn steps(file: &Path) -> Vec<String> {
    let out = synack(&[
        "dump",
        "-r",
        &file.display().to_string(),
        "-T",
        "fields",
        "-e",
        "synack.step",
    ]);
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

/// Captures on lo run one at a time (each filters on its own port anyway).
static LO: Mutex<()> = Mutex::new(());

#[test]
fn a_capture_on_lo_holds_the_whole_connection_and_flow_shows_every_state() {
    if !is_root() {
        eprintln!("skipped: capturing on lo needs root (CI runs as root)");
        return;
    }
    let _lo = LO.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("handshake.pcapng");
    let listener = TcpListener::bind("127.0.0.1:0").expect("listen");
    let port = listener.local_addr().expect("address").port();
    let filter = format!("tcp port {port}");
    let (mut child, rx) =
        start_capture(&["-i", "lo", "-f", &filter, "-w", &file.display().to_string()]);
    converse(&listener);
    // The helper flushes every 100 ms: wait until the last ACK is in the file.
    let deadline = Instant::now() + PATIENCE;
    while !steps(&file).iter().any(|s| s == "close-4") && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    // Ctrl-C, as a user would stop it.
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let status = child.wait().expect("wait");
    // The reader thread may still hold the last lines: read until it ends (the
    // helper and synack have exited, so stderr is at its end).
    let mut messages = Vec::new();
    while let Ok(line) = rx.recv_timeout(PATIENCE) {
        messages.push(line);
    }
    assert!(status.success(), "synack capture failed: {messages:?}");
    assert!(
        messages.iter().any(|m| m.contains("packets captured (")),
        "{messages:?}"
    );

    let steps = steps(&file);
    for step in [
        "handshake-1",
        "handshake-2",
        "handshake-3",
        "close-1",
        "close-2",
        "close-3",
        "close-4",
    ] {
        assert!(
            steps.iter().any(|s| s == step),
            "no {step} in the capture: {steps:?}"
        );
    }
    // The flags themselves, read by display filters.
    let count = |filter: &str| {
        let out = synack(&["dump", "-r", &file.display().to_string(), "-Y", filter]);
        String::from_utf8_lossy(&out.stdout).lines().count()
    };
    assert_eq!(count("tcp.flags == 0x002"), 1, "one SYN");
    assert_eq!(count("tcp.flags == 0x012"), 1, "one SYN+ACK");
    assert_eq!(count("tcp.flags.fin == 1"), 2, "a FIN each way");
    assert!(
        count("tcp.flags == 0x010") >= 2,
        "the handshake's and the last ACK"
    );

    let flow = synack(&["flow", "-r", &file.display().to_string()]);
    assert!(flow.status.success());
    let flow = String::from_utf8_lossy(&flow.stdout);
    for state in [
        "LISTEN",
        "SYN-SENT",
        "SYN-RECEIVED",
        "ESTABLISHED",
        "FIN-WAIT-1",
        "CLOSE-WAIT",
        "FIN-WAIT-2",
        "LAST-ACK",
        "TIME-WAIT",
        "CLOSED",
    ] {
        assert!(flow.contains(state), "flow lacks {state}:\n{flow}");
    }
}

#[test]
fn an_unknown_interface_is_named_with_the_devices_that_exist() {
    let out = synack(&[
        "capture",
        "-i",
        "nosuch0",
        "-w",
        "/tmp/never-written.pcapng",
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no capture device named 'nosuch0'") && err.contains("lo"),
        "{err}"
    );
    assert!(!Path::new("/tmp/never-written.pcapng").exists());
}

#[test]
fn a_bad_capture_filter_gets_libpcaps_message() {
    let out = synack(&[
        "capture",
        "-i",
        "lo",
        "-f",
        "tcp port",
        "-w",
        "/tmp/never.pcapng",
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("capture filter 'tcp port' is not valid BPF") && err.contains("syntax error"),
        "{err}"
    );
}

#[test]
fn the_helper_alone_reports_each_failure_with_its_own_exit_status() {
    if !is_root() {
        eprintln!("skipped: opening lo needs root (CI runs as root)");
        return;
    }
    let run = |args: &[&str]| Command::new(&*HELPER).args(args).output().expect("helper");
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("x.pcapng").display().to_string();
    let nosuch = run(&["-i", "nosuch0", "-w", &out]);
    assert_eq!(nosuch.status.code(), Some(4));
    let bad = run(&["-i", "lo", "-f", "ip proto nosuch", "-w", &out]);
    assert_eq!(
        bad.status.code(),
        Some(5),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
    let ok = run(&["-i", "lo", "-a", "duration:0.3", "-w", &out]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    // Even with no packets the file is a complete pcapng (header and statistics).
    let stats = synack(&["stats", "-r", &out]);
    assert!(
        stats.status.success(),
        "{}",
        String::from_utf8_lossy(&stats.stderr)
    );
}

/// A local user for the permission tests, created once.
fn test_user() -> Option<String> {
    const NAME: &str = "synack-test";
    let exists = Command::new("id")
        .arg(NAME)
        .output()
        .is_ok_and(|o| o.status.success());
    if !exists {
        let made = Command::new("useradd")
            .args([
                "--system",
                "--no-create-home",
                "--shell",
                "/usr/sbin/nologin",
                NAME,
            ])
            .output();
        match made {
            Ok(o) if o.status.success() => {}
            Ok(o) => {
                eprintln!(
                    "skipped: useradd failed: {}",
                    String::from_utf8_lossy(&o.stderr)
                );
                return None;
            }
            Err(e) => {
                eprintln!("skipped: no useradd here: {e}");
                return None;
            }
        }
    }
    Some(NAME.to_string())
}

/// Runs `program args` as `user` with no capabilities (setpriv drops them with the
/// change of user id) and the given environment.
fn run_as(user: &str, program: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new("setpriv");
    command.args([
        &format!("--reuid={user}"),
        &format!("--regid={user}"),
        "--clear-groups",
        "--",
        program,
    ]);
    command.args(args).env_clear().env("PATH", "/usr/bin:/bin");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("setpriv")
}

#[test]
fn a_user_without_capture_rights_is_told_how_to_get_them() {
    if !is_root() {
        eprintln!("skipped: creating a test user needs root (CI runs as root)");
        return;
    }
    let Some(user) = test_user() else { return };
    let _lo = LO.lock().unwrap_or_else(|e| e.into_inner());
    // A copy of the helper the user can reach (the build folder may be private).
    let dir = tempfile::tempdir().expect("temp dir");
    chmod(dir.path(), "0777");
    let helper = dir.path().join("synack-capture");
    std::fs::copy(&*HELPER, &helper).expect("copy the helper");
    chmod(&helper, "0755");
    let helper_s = helper.display().to_string();
    let out = dir.path().join("out.pcapng").display().to_string();

    let refused = run_as(&user, &helper_s, &["-i", "lo", "-c", "1", "-w", &out], &[]);
    let err = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(3), "{err}");
    for words in [
        "no permission to capture on lo",
        "CAP_NET_RAW",
        "join the synack group",
        "log out and in again",
        &format!("sudo setcap cap_net_raw,cap_net_admin+eip {helper_s}"),
    ] {
        assert!(err.contains(words), "the message lacks {words:?}: {err}");
    }
    // The same through `synack capture`, when the user can run the test build.
    let synack_reachable = run_as(&user, "/usr/bin/test", &["-x", SYNACK], &[])
        .status
        .success();
    if synack_reachable {
        let via = run_as(
            &user,
            SYNACK,
            &["capture", "-i", "lo", "-c", "1", "-w", &out],
            &[("SYNACK_CAPTURE", &helper_s)],
        );
        let err = String::from_utf8_lossy(&via.stderr);
        assert!(!via.status.success());
        assert!(err.contains("no permission to capture on lo"), "{err}");
    } else {
        eprintln!("note: {SYNACK} is not reachable by {user}; checked the helper alone");
    }

    // With the capabilities on the helper, the same user captures.
    let granted = Command::new("setcap")
        .args(["cap_net_raw,cap_net_admin+eip", &helper_s])
        .output();
    match granted {
        Ok(o) if o.status.success() => {}
        other => {
            eprintln!("skipped the capture with capabilities: setcap failed: {other:?}");
            return;
        }
    }
    let listener = TcpListener::bind("127.0.0.1:0").expect("listen");
    let port = listener.local_addr().expect("address").port();
    let filter = format!("tcp port {port}");
    let mut capture = Command::new("setpriv")
        .args([
            &format!("--reuid={user}"),
            &format!("--regid={user}"),
            "--clear-groups",
            "--",
            &helper_s,
            "-i",
            "lo",
            "-f",
            &filter,
            "-c",
            "3",
            "-a",
            "duration:25",
            "-w",
            &out,
        ])
        .env_clear()
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the helper as the user");
    // Connect until the helper has seen a handshake (it may start after the first).
    let deadline = Instant::now() + PATIENCE;
    while capture.try_wait().expect("poll").is_none() && Instant::now() < deadline {
        let _ = TcpStream::connect(("127.0.0.1", port));
        if let Ok((s, _)) = listener.accept() {
            drop(s);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let done = capture.wait_with_output().expect("helper");
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let packets = steps(Path::new(&out));
    assert!(packets.len() >= 3, "{packets:?}");
}

fn chmod(path: &Path, mode: &str) {
    let ok = Command::new("chmod")
        .arg(mode)
        .arg(path)
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "chmod {mode} {}", path.display());
}
