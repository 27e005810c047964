//! The window on a big capture, driven headless with egui_kittest as a student drives
//! it: open the file, watch the first rows appear while the rest loads, scroll, walk
//! the list with the arrow keys (tree, bytes and flow graph follow), apply a filter and
//! change it. Prints one `name value` line per figure:
//!
//! - how soon the first rows show, and the whole load;
//! - how much anonymous memory the loaded capture added to the process;
//! - the UI thread's CPU time per frame (p50, p99, max) in each phase, read from
//!   the thread's own CPU clock so that the workers sharing the cores do not count
//!   (with the tessellation eframe does after each frame; not in runs before
//!   2026-12-07 06:00);
//! - the frames of End and Home (to the last packet and back);
//! - how long each filter takes to complete in the window;
//! - frames in which the list was blank once it had shown rows (must be 0);
//! - per Statistics window, how soon it shows data (a first look may come before
//!   the rest), how soon it is complete, and its frames while the user pans and
//!   zooms it (issue 19: data within 0.2 s, complete within 0.5 s, frames < 16 ms).
//!
//! `cargo bench --bench gui -- CAPTURE` (bench/run.py runs it);
//! `cargo bench --bench gui -- CAPTURE --windows-only` skips from the load to the
//! Statistics windows.
//!
//! `cargo bench --bench gui -- --follow-capture HELPER DEVICE FILTER SENDER ARGS...`
//! instead starts a live capture in the window (through `synack-capture` at HELPER),
//! runs the SENDER command two seconds later, follows the capture while it runs,
//! stops it two seconds after the sender ends and prints what the window kept and
//! the file it kept it in (bench/capture.sh counts that file with capinfos).

#![allow(clippy::print_stdout, clippy::print_stderr)]

use egui_kittest::Harness;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use synack::ui::App;
use synack::ui::action::Action;
use synack::ui::state::Settings;

/// Nanoseconds this thread has run on a CPU.
#[allow(unsafe_code)]
fn thread_cpu_nanos() -> u64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid, writable timespec for the duration of the call.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    if status != 0 {
        return 0;
    }
    (t.tv_sec as u64)
        .saturating_mul(1_000_000_000)
        .saturating_add(t.tv_nsec as u64)
}

/// The process's anonymous resident memory (the mapped capture does not count).
fn rss_anon_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("RssAnon:"))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .ok()
        })
        .map_or(0, |kb| kb * 1024)
}

/// Frame CPU times of one phase, and how many frames showed an empty list.
#[derive(Default)]
struct Phase {
    frames_ms: Vec<f64>,
    wall_ms: Vec<f64>,
    blank: usize,
}

impl Phase {
    /// The p99 and the longest frame's CPU time, and which frame (0-based) that was.
    fn tail(&self) -> (f64, f64, usize) {
        let mut sorted = self.frames_ms.clone();
        sorted.sort_by(f64::total_cmp);
        let p99 = sorted
            .get(((sorted.len().saturating_sub(1)) as f64 * 0.99) as usize)
            .copied()
            .unwrap_or(0.0);
        let (slowest, max) = self
            .frames_ms
            .iter()
            .copied()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap_or((0, 0.0));
        (p99, max, slowest)
    }

    fn report(&mut self, name: &str) {
        fn at(v: &[f64], q: f64) -> f64 {
            v.get(((v.len().saturating_sub(1)) as f64 * q) as usize)
                .copied()
                .unwrap_or(0.0)
        }
        self.frames_ms.sort_by(f64::total_cmp);
        self.wall_ms.sort_by(f64::total_cmp);
        let (cpu, wall) = (&self.frames_ms, &self.wall_ms);
        println!(
            "frame_cpu_{name} p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms (wall p50 {:.2}, p99 {:.2} ms; {} frames, {} with the list blank or a placeholder row)",
            at(cpu, 0.5),
            at(cpu, 0.99),
            at(cpu, 1.0),
            at(wall, 0.5),
            at(wall, 0.99),
            cpu.len(),
            self.blank
        );
    }
}

fn rows(h: &Harness<'static, App>) -> usize {
    h.state().state.session.as_ref().map_or(0, |s| s.rows())
}

/// One frame; its UI-thread CPU time goes to `phase`. It includes the tessellation
/// of the frame's shapes into triangles, which eframe does on the UI thread after
/// each frame (the harness does not, until it renders).
fn frame(h: &mut Harness<'static, App>, phase: &mut Phase) {
    let before = thread_cpu_nanos();
    let wall = Instant::now();
    h.step();
    let shapes = h.output().shapes.clone();
    let triangles = h.ctx.tessellate(shapes, h.output().pixels_per_point);
    std::hint::black_box(triangles);
    phase.wall_ms.push(wall.elapsed().as_secs_f64() * 1e3);
    phase
        .frames_ms
        .push((thread_cpu_nanos().saturating_sub(before)) as f64 / 1e6);
    // A row still waiting for its text counts as blank: the list must show packets,
    // not placeholders.
    if !h.state().state.rows_shown_with_text() {
        phase.blank += 1;
    }
}

/// Steps frames (about 60 a second, as a screen would) until the app is idle.
fn until_idle(h: &mut Harness<'static, App>, phase: &mut Phase) -> Duration {
    let start = Instant::now();
    while h.state().state.is_busy() && start.elapsed() < Duration::from_secs(120) {
        frame(h, phase);
        std::thread::sleep(Duration::from_millis(16));
    }
    start.elapsed()
}

fn filter(h: &mut Harness<'static, App>, name: &str, text: &str) {
    let mut phase = Phase::default();
    let start = Instant::now();
    h.state_mut().apply(Action::ApplyFilter(text.to_owned()));
    let took = until_idle(h, &mut phase);
    frame(h, &mut phase);
    println!(
        "{name} {:.3} s until complete ({} rows; `{text}`)",
        took.as_secs_f64()
            .max(start.elapsed().as_secs_f64() - 0.016),
        rows(h)
    );
    phase.report(name);
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(k) = args.iter().position(|a| a == "--follow-capture") {
        follow_capture(args.get(k + 1..).unwrap_or_default());
        return;
    }
    let Some(path) = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
    else {
        eprintln!("usage: cargo bench --bench gui -- CAPTURE");
        std::process::exit(2);
    };
    // The window is up first (start page); the clock starts when the file is chosen,
    // as File > Open or a drop hands it over.
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .with_accessibility_check(false)
        .build_eframe(move |cc| App::with_settings(cc.egui_ctx.clone(), Settings::default(), None));
    for _ in 0..3 {
        h.step();
    }
    let rss_before = rss_anon_bytes();
    let start = Instant::now();
    h.state_mut().apply(Action::Open(path));

    // Loading: the first rows, then frames while the rest streams in.
    let mut loading = Phase::default();
    let mut first_rows = None;
    while start.elapsed() < Duration::from_secs(120) {
        let before = thread_cpu_nanos();
        let wall = Instant::now();
        h.step();
        let wall = wall.elapsed().as_secs_f64() * 1e3;
        let cpu = (thread_cpu_nanos().saturating_sub(before)) as f64 / 1e6;
        if first_rows.is_none() && rows(&h) > 0 {
            first_rows = Some(start.elapsed());
        }
        if first_rows.is_some() {
            loading.frames_ms.push(cpu);
            loading.wall_ms.push(wall);
            if !h.state().state.rows_shown_with_text() {
                loading.blank += 1;
            }
            // Scroll while it loads, as an impatient student does.
            h.key_press(egui::Key::PageDown);
        }
        if !h.state().state.is_busy() {
            break;
        }
        std::thread::sleep(Duration::from_millis(if first_rows.is_some() {
            16
        } else {
            1
        }));
    }
    let loaded_in = start.elapsed();
    let total = h
        .state()
        .state
        .session
        .as_ref()
        .map_or(0, |s| s.progress.packets);
    println!(
        "first_rows {:.3} s after choosing the file",
        first_rows.map_or(f64::NAN, |d| d.as_secs_f64())
    );
    println!(
        "load_in_window {:.3} s ({total} packets)",
        loaded_in.as_secs_f64()
    );
    loading.report("while_loading");
    // What the loaded capture costs the window's process (the renderer's own memory
    // was there before the file was chosen).
    let grown = rss_anon_bytes().saturating_sub(rss_before);
    println!(
        "memory_in_window {:.1} MB RssAnon more than before the file ({:.1} bytes a packet)",
        grown as f64 / 1e6,
        grown as f64 / total.max(1) as f64
    );

    if args.iter().any(|a| a == "--windows-only") {
        statistics_windows(&mut h);
        return;
    }
    let mut scrolling = Phase::default();
    h.key_press(egui::Key::Home);
    for _ in 0..120 {
        h.key_press(egui::Key::PageDown);
        frame(&mut h, &mut scrolling);
    }
    scrolling.report("scrolling");

    // To the last packet and back, as End and Home take a student.
    let mut ends = Phase::default();
    for _ in 0..10 {
        h.key_press(egui::Key::End);
        frame(&mut h, &mut ends);
        frame(&mut h, &mut ends);
        h.key_press(egui::Key::Home);
        frame(&mut h, &mut ends);
        frame(&mut h, &mut ends);
    }
    ends.report("end_and_home");

    let mut selecting = Phase::default();
    for _ in 0..120 {
        h.key_press(egui::Key::ArrowDown);
        frame(&mut h, &mut selecting);
    }
    selecting.report("selecting");

    filter(
        &mut h,
        "new_filter",
        "tcp.flags.syn == 1 || tcp.analysis.retransmission",
    );
    filter(
        &mut h,
        "changed_filter",
        "tcp.analysis.flags && !tcp.analysis.window_update",
    );
    filter(&mut h, "cleared_filter", "");
    statistics_windows(&mut h);
}

/// Each Statistics window in turn, then a summary line per window.
fn statistics_windows(h: &mut Harness<'static, App>) {
    let mut summary = Vec::new();
    for title in [
        "Conversations",
        "Endpoints",
        "TCP Stream Graphs",
        "I/O Graph",
        "Plots",
        "Flow Graph",
    ] {
        summary.extend(statistics_window(h, title));
    }
    for line in summary {
        println!("{line}");
    }
}

/// Opens Statistics ▸ `title`, reports how long until it shows data and until its
/// content is complete, then the frames while the user drags (pans) and zooms across
/// it, and closes it. Returns the window's summary line.
fn statistics_window(h: &mut Harness<'static, App>, title: &str) -> Option<String> {
    let k = h
        .state()
        .state
        .windows
        .stats
        .iter()
        .position(|s| s.window.title() == title)?;
    let name = title.to_lowercase().replace([' ', '/'], "_");
    let mut opening = Phase::default();
    let start = Instant::now();
    h.state_mut().apply(Action::OpenStats(k));
    let ready = |h: &Harness<'static, App>| {
        h.state()
            .state
            .windows
            .stats
            .get(k)
            .is_some_and(|s| s.window.ready())
    };
    let shows_data = |h: &Harness<'static, App>| {
        h.state()
            .state
            .windows
            .stats
            .get(k)
            .is_some_and(|s| s.window.shows_data())
    };
    // The first frame draws the window with its controls (its data is computed by a
    // worker: a first look, then the rest). A frame takes what the worker has sent
    // before drawing, so data shows in the frame after which the window says so.
    frame(h, &mut opening);
    let first = start.elapsed();
    let mut data_at = shows_data(h).then_some(first);
    while !ready(h) && start.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(16));
        frame(h, &mut opening);
        if data_at.is_none() && shows_data(h) {
            data_at = Some(start.elapsed());
        }
    }
    let complete = start.elapsed();
    let data_at = data_at.unwrap_or(complete);
    println!(
        "window_{name} {:.3} s until complete, first data {:.3} s (first frame {:.3} s)",
        complete.as_secs_f64(),
        data_at.as_secs_f64(),
        first.as_secs_f64()
    );
    opening.report(&format!("opening_{name}"));
    // The events of a frame go into that frame's input, as eframe hands a window
    // what arrived since its last frame (`Harness::event` would run one whole frame
    // per event: a press with a zoom counted as four frames).
    let send = |h: &mut Harness<'static, App>, event: egui::Event| {
        h.input_mut().events.push(event);
    };
    let mut panning = Phase::default();
    let at = egui::pos2(500.0, 320.0);
    let passes = h.ctx.cumulative_pass_nr();
    send(h, egui::Event::PointerMoved(at));
    send(
        h,
        egui::Event::PointerButton {
            pos: at,
            button: egui::PointerButton::Primary,
            pressed: true,
            modifiers: egui::Modifiers::default(),
        },
    );
    for i in 0..60 {
        send(
            h,
            egui::Event::PointerMoved(at + egui::vec2(i as f32 * 4.0, 0.0)),
        );
        if i % 10 == 0 {
            send(h, egui::Event::Zoom(1.2));
        }
        frame(h, &mut panning);
    }
    let passes = h.ctx.cumulative_pass_nr() - passes;
    send(
        h,
        egui::Event::PointerButton {
            pos: at + egui::vec2(240.0, 0.0),
            button: egui::PointerButton::Primary,
            pressed: false,
            modifiers: egui::Modifiers::default(),
        },
    );
    h.step();
    let (p99, max, slowest) = panning.tail();
    panning.report(&format!("panning_{name}"));
    // More passes than frames: something asked egui to lay a frame out again.
    println!("passes_panning_{name} {passes} egui passes in 60 frames");
    h.state_mut().apply(Action::CloseStats(k));
    h.step();
    Some(format!(
        "summary_{name} first data {:.3} s, complete {:.3} s, pan/zoom frames p99 {p99:.2} ms, max {max:.2} ms (frame {slowest})",
        data_at.as_secs_f64(),
        complete.as_secs_f64()
    ))
}

/// The window following a live capture of a flood (issue 15): frames stay short
/// while packets pour in, and the window's file keeps every packet the helper read.
fn follow_capture(args: &[String]) {
    let [helper, device, filter, sender, sender_args @ ..] = args else {
        eprintln!("usage: --follow-capture HELPER DEVICE FILTER SENDER [ARGS...]");
        std::process::exit(2);
    };
    let helper = PathBuf::from(helper);
    let mut h = Harness::builder()
        .with_size([1366.0, 768.0])
        .with_accessibility_check(false)
        .build_eframe(move |cc| {
            let mut app = App::with_settings(cc.egui_ctx.clone(), Settings::default(), None);
            app.state.capture_helper = Some(helper);
            app
        });
    h.run_steps(3);
    let running = |h: &Harness<'static, App>| h.state().state.capturing();
    h.state_mut().apply(Action::StartCapture {
        device: device.clone(),
        filter: filter.clone(),
    });
    let start = Instant::now();
    while !running(&h) && start.elapsed() < Duration::from_secs(30) {
        h.step();
        std::thread::sleep(Duration::from_millis(16));
    }
    if !running(&h) {
        eprintln!("the capture did not start: {:?}", h.state().state.message);
        std::process::exit(1);
    }
    let mut following = Phase::default();
    let mut frames_for = |h: &mut Harness<'static, App>, how_long: Duration| {
        let until = Instant::now() + how_long;
        while Instant::now() < until {
            frame(h, &mut following);
            std::thread::sleep(Duration::from_millis(16));
        }
    };
    frames_for(&mut h, Duration::from_secs(2));
    let mut flood = match std::process::Command::new(sender).args(sender_args).spawn() {
        Ok(child) => child,
        Err(e) => {
            eprintln!("cannot run {sender}: {e}");
            std::process::exit(1);
        }
    };
    let sent_at = Instant::now();
    while flood.try_wait().ok().flatten().is_none() {
        frames_for(&mut h, Duration::from_millis(50));
    }
    let sending = sent_at.elapsed();
    frames_for(&mut h, Duration::from_secs(2));
    h.state_mut().apply(Action::StopCapture);
    let stop = Instant::now();
    while (running(&h) || h.state().state.is_busy()) && stop.elapsed() < Duration::from_secs(120) {
        frame(&mut h, &mut following);
        std::thread::sleep(Duration::from_millis(16));
    }
    let state = &h.state().state;
    let (packets, path, dropped) = state.session.as_ref().map_or((0, None, None), |s| {
        (
            s.progress.packets,
            Some(s.path.clone()),
            s.live.as_ref().map(|l| l.stats),
        )
    });
    println!("window_packets {packets}");
    println!("window_sending {:.3} s", sending.as_secs_f64());
    println!("window_helper_stats {dropped:?}");
    if let Some(path) = path {
        println!("window_file {}", path.display());
    }
    following.report("following_capture");
}
