//! A live capture driven through the window's Capture menu with egui_kittest: choose
//! `lo`, type a capture filter, Start, see packets of a connection the test makes
//! arrive in the list, Stop. Capturing needs root (CI runs as root); elsewhere the
//! test says why it skips.

// A failed step should stop the test with its reason, as in tests/common; skips say
// why on stderr.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use synack::ui::App;
use synack::ui::state::Settings;

/// The helper binary, built beside `synack` by `cargo test` at the workspace root.
fn helper() -> PathBuf {
    let helper = Path::new(env!("CARGO_BIN_EXE_synack")).with_file_name("synack-capture");
    assert!(
        helper.exists(),
        "{} is not built: run `cargo test` at the workspace root",
        helper.display()
    );
    helper
}
const PATIENCE: Duration = Duration::from_secs(60);

fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

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
