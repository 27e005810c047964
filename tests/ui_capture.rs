//! A live capture driven through the window's Capture menu with egui_kittest: choose
//! `lo`, type a capture filter, Start, see packets of a connection the test makes
//! arrive in the list, Stop. Capturing needs root (CI runs as root); elsewhere the
//! test says why it skips.

// A failed step should stop the test with its reason, as in tests/common; skips say
// why on stderr.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

mod common;

use common::is_root;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use synack::ui::App;
use synack::ui::action::Action;
use synack::ui::state::Settings;

/// The helper binary (see `common::helper`).
fn helper() -> PathBuf {
    PathBuf::from(common::helper())
}
const PATIENCE: Duration = Duration::from_secs(60);

fn harness() -> Harness<'static, App> {
    let sample = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/samples/handshake.pcap");
    Harness::builder()
        .with_size([1280.0, 800.0])
        .with_accessibility_check(false)
        .build_eframe(move |cc| {
            let mut app =
                App::with_settings(cc.egui_ctx.clone(), Settings::default(), Some(sample));
            app.state.capture_helper = Some(helper());
            app
        })
}

/// Steps frames until `done` holds (a hang fails the test, slowness does not).
fn step_until(
    h: &mut Harness<'static, App>,
    what: &str,
    done: impl Fn(&Harness<'static, App>) -> bool,
) {
    let deadline = Instant::now() + PATIENCE;
    while Instant::now() < deadline {
        h.step();
        if done(h) {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("waited in vain for {what}");
}

fn packets(h: &Harness<'static, App>) -> usize {
    h.state()
        .state
        .session
        .as_ref()
        .map_or(0, |s| s.progress.packets)
}

fn running(h: &Harness<'static, App>) -> Option<bool> {
    h.state()
        .state
        .session
        .as_ref()
        .and_then(|s| s.live.as_ref())
        .map(|l| l.running)
}

#[test]
fn a_capture_started_from_the_capture_menu_shows_packets_as_they_arrive() {
    if !is_root() {
        eprintln!("skipped: capturing on lo needs root (CI runs as root)");
        return;
    }
    let listener = TcpListener::bind("127.0.0.1:0").expect("listen");
    let port = listener.local_addr().expect("address").port();
    let mut h = harness();
    // The sample is open, so the device list is only in the menu.
    step_until(&mut h, "the sample to load", |h| {
        packets(h) == 11 && !h.state().state.is_busy()
    });

    h.get_by_label("Capture").click();
    step_until(&mut h, "the device list in the Capture menu", |h| {
        h.query_by_label("lo").is_some()
    });
    h.get_by_label("lo").click();
    h.run_steps(2);
    if h.query_by_label("▶ Start on lo").is_none() {
        h.get_by_label("Capture").click();
        h.run_steps(2);
    }
    let field = h.get_by_role_and_label(Role::TextInput, "Capture filter");
    field.focus();
    field.type_text(&format!("tcp port {port}"));
    h.run_steps(2);
    h.get_by_label("▶ Start on lo").click();
    step_until(&mut h, "the capture to start", |h| running(h) == Some(true));

    // Connections until the test has seen packets arrive.
    let stop = Arc::new(AtomicBool::new(false));
    let talker = {
        let stop = stop.clone();
        std::thread::Builder::new()
            .name("test-traffic".into())
            .spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    if let Ok(c) = TcpStream::connect(("127.0.0.1", port)) {
                        if let Ok((s, _)) = listener.accept() {
                            drop(s);
                        }
                        drop(c);
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
            })
            .expect("traffic thread")
    };
    step_until(&mut h, "captured packets in the list", |h| {
        packets(h) >= 3 && h.query_all_by_label("handshake-1").next().is_some()
    });
    assert_eq!(
        h.state().state.capture.filter,
        format!("tcp port {port}"),
        "the filter typed in the menu was used"
    );
    h.query_by_label_contains("Capturing on lo")
        .expect("the status bar says it is capturing");

    h.get_by_label("■ Stop").click();
    step_until(&mut h, "the capture to stop", |h| running(h) == Some(false));
    stop.store(true, Ordering::Relaxed);
    talker.join().expect("traffic thread");
    step_until(&mut h, "the rest of the file to load", |h| {
        !h.state().state.is_busy()
    });
    assert!(packets(&h) >= 3);
    h.query_by_label_contains("Capture on lo stopped, not saved")
        .expect("the status bar says the capture is not saved");
    let path = h.state().state.session.as_ref().map(|s| s.path.clone());
    if let Some(path) = path {
        std::fs::remove_file(path).ok();
    }
}

/// A capture on `device` left in a fresh folder by a window that died (a process that
/// has ended, so its PID runs no more), and a new window that looked in that folder
/// (as the next start looks in the temporary folder) and offers it.
fn offered(device: &str, load: u32) -> (tempfile::TempDir, PathBuf, Harness<'static, App>) {
    let mut gone = std::process::Command::new("true")
        .spawn()
        .expect("start a process");
    let pid = gone.id();
    gone.wait().expect("it ends");
    let dir = tempfile::tempdir().expect("temp dir");
    let left = dir.path().join(format!(
        "synack_{device}_20261206031500_{pid}_{load}.pcapng"
    ));
    std::fs::copy(common::capture("tcp_clean_close.pcap"), &left).expect("copy");
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .with_accessibility_check(false)
        .build_eframe(|cc| App::with_settings(cc.egui_ctx.clone(), Settings::default(), None));
    h.state().state.jobs.find_unsaved(dir.path().to_path_buf());
    step_until(&mut h, "the offer", |h| {
        h.query_by_label("Unsaved captures found").is_some()
    });
    (dir, left, h)
}

#[test]
fn a_capture_left_by_a_window_that_died_is_offered_at_the_next_start() {
    // The folder lives as long as the test (the binding keeps it).
    let (_dir, left, mut h) = offered("lo", 1);
    h.get_by_label_contains("lo · started 2026-12-06 03:15:00 UTC");
    h.get_by_label("Open").click();
    step_until(&mut h, "the capture to open", |h| {
        h.state()
            .state
            .session
            .as_ref()
            .is_some_and(|s| s.progress.done)
    });
    let written = synack::capture::Capture::open(&left).expect("opens").len();
    assert_eq!(packets(&h), written);
    assert!(
        left.exists(),
        "opening keeps the file until it is saved or discarded"
    );
}

#[test]
fn discarding_a_capture_left_unsaved_deletes_it() {
    // The folder lives as long as the test (the binding keeps it).
    let (_dir, left, mut h) = offered("eth0", 2);
    h.get_by_label("Discard").click();
    step_until(&mut h, "the file to go", |_| !left.exists());
    h.step();
    assert!(h.query_by_label("Unsaved captures found").is_none());
}

#[test]
fn capture_options_stop_a_window_capture_by_itself_after_its_packets() {
    if !is_root() {
        eprintln!("skipped: capturing on lo needs root (CI runs as root)");
        return;
    }
    let socket = std::net::UdpSocket::bind("127.0.0.1:0").expect("bind");
    let port = socket.local_addr().expect("address").port();
    let mut h = harness();
    step_until(&mut h, "the sample to load", |h| !h.state().state.is_busy());
    // Capture options: stop after 5 packets, a kernel buffer of 4 MiB, no
    // promiscuous mode (what the options' fields set).
    {
        let options = &mut h.state_mut().state.capture.options;
        options.stop_packets = Some(5);
        options.buffer_mib = 4;
        options.promiscuous = false;
    }
    h.state_mut().apply(Action::StartCapture {
        device: "lo".into(),
        filter: format!("udp dst port {port}"),
    });
    step_until(&mut h, "the capture to start", |h| running(h) == Some(true));
    let sender = std::net::UdpSocket::bind("127.0.0.1:0").expect("bind");
    let deadline = Instant::now() + PATIENCE;
    while running(&h) == Some(true) {
        assert!(Instant::now() < deadline, "-c 5 did not stop the capture");
        sender.send_to(b"hello", ("127.0.0.1", port)).ok();
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    step_until(&mut h, "the file to load", |h| !h.state().state.is_busy());
    assert_eq!(packets(&h), 5);
    assert_eq!(
        h.state().state.settings.capture_options.stop_packets,
        Some(5)
    );
    let path = h.state().state.session.as_ref().map(|s| s.path.clone());
    if let Some(path) = path {
        std::fs::remove_file(path).ok();
    }
}
