//! What the egui_kittest suites (tests/ui*.rs) share: the test captures, stepping
//! the real window until its workers are done, and snapshots laid out from the
//! defaults with the status bar masked.

#![allow(dead_code)]

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::path::PathBuf;
use synack::ui::App;
use synack::ui::action::Action;
use synack::ui::state::Settings;
use synack::ui::teach::TeachAction;
use synack_capture::live::{Device, DeviceAddress};

/// A file of the repository, by its path from the top.
pub fn repo_file(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// A capture of tests/captures.
pub fn capture(name: &str) -> PathBuf {
    repo_file("tests/captures").join(name)
}

/// Types `text` as the answer to the teaching bar's question and presses its
/// check button (labelled `check` in the language shown), then lets the verdict
/// grow in.
pub fn answer(h: &mut Harness<'static, App>, text: &str, check: &str) {
    h.state_mut()
        .apply(Action::Teach(TeachAction::Answer(text.into())));
    h.get_by_label(check).click();
    h.run_steps(8);
}

/// Steps frames until the workers are done (bounded: a hang fails the test).
pub fn settle(h: &mut Harness<'static, App>) {
    for _ in 0..2000 {
        h.step();
        if !h.state().state.is_busy() {
            h.run_steps(3);
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    panic!("the app stayed busy");
}

pub fn snapshot(h: &mut Harness<'static, App>, name: &str) {
    snapshot_after(h, name, |_| {});
}

/// A snapshot once `settle` has run on the freshly cleared memory (to scroll a view
/// back to what it showed).
pub fn snapshot_after(
    h: &mut Harness<'static, App>,
    name: &str,
    settle: impl FnOnce(&mut Harness<'static, App>),
) {
    // Forget pane sizes picked while the first frames were still settling (they
    // depend on thread timing), so every run lays out from the defaults. The
    // palette is kept: it is the app's, set when the theme changes.
    let palette = h
        .ctx
        .data(|d| d.get_temp::<synack::ui::theme::Palette>(egui::Id::unique("synack palette")));
    h.ctx.memory_mut(|m| m.data.clear());
    if let Some(p) = palette {
        p.install(&h.ctx);
    }
    settle(h);
    h.run_steps(3);
    // The status bar says how long loading took: hide it from the comparison.
    let screen = h.ctx.content_rect();
    h.mask(egui::Rect::from_min_max(
        egui::pos2(0.0, screen.bottom() - 24.0),
        screen.max,
    ));
    // Rendering differs a little between drivers; the threshold in kittest.toml
    // absorbs that, and a missing renderer must not hide the other checks.
    if let Err(e) = h.try_snapshot(name) {
        panic!("snapshot {name}: {e}");
    }
}

pub fn sample() -> PathBuf {
    repo_file("assets/samples/handshake.pcap")
}

/// The commonest student laptop's screen (and a projector's).
pub const LAPTOP: [f32; 2] = [1366.0, 768.0];
/// A desktop monitor.
pub const DESKTOP: [f32; 2] = [1920.0, 1080.0];

pub fn harness(file: Option<PathBuf>, settings: Settings) -> Harness<'static, App> {
    harness_sized(file, settings, LAPTOP)
}

pub fn harness_sized(
    file: Option<PathBuf>,
    settings: Settings,
    size: [f32; 2],
) -> Harness<'static, App> {
    // The start page lists capture devices: the same two on every machine.
    harness_with_devices(file, settings, size, fake_devices())
}

/// The real window at `size` with `file` open and `devices` as the machine's capture
/// devices (never the test machine's own).
pub fn harness_with_devices(
    file: Option<PathBuf>,
    settings: Settings,
    size: [f32; 2],
    devices: Vec<Device>,
) -> Harness<'static, App> {
    Harness::builder()
        .with_size(size)
        .with_accessibility_check(false)
        .wgpu()
        .build_eframe(move |cc| {
            let mut app = App::with_settings(cc.egui_ctx.clone(), settings, file);
            app.state.use_devices(devices);
            app
        })
}

pub fn fake_devices() -> Vec<Device> {
    let device = |name: &str, loopback: bool, addr: [u8; 4], prefix: u8| Device {
        name: name.into(),
        description: None,
        addresses: vec![DeviceAddress {
            addr: std::net::IpAddr::from(addr),
            prefix: Some(prefix),
        }],
        up: true,
        running: true,
        loopback,
        wireless: false,
    };
    vec![
        device("eth0", false, [192, 0, 2, 2], 24),
        device("lo", true, [127, 0, 0, 1], 8),
    ]
}

pub fn opened(file: PathBuf) -> Harness<'static, App> {
    let mut h = harness(Some(file), Settings::default());
    settle(&mut h);
    h
}

/// The teaching step of the selected packet's details.
pub fn teaching_step(h: &Harness<'static, App>) -> Option<String> {
    h.state()
        .state
        .details
        .as_ref()
        .and_then(|d| d.teaching.as_ref())
        .map(|t| t[0].clone())
}

/// Types `text` into the text field that has the focus (`what` says which should)
/// and presses Enter, then waits for the work it starts.
pub fn enter_in_focused_field(h: &mut Harness<'static, App>, text: &str, what: &str) {
    let field = h
        .get_all_by_role(egui::accesskit::Role::TextInput)
        .find(|n| n.is_focused());
    let Some(field) = field else { panic!("{what}") };
    field.type_text(text);
    h.run_steps(1);
    h.key_press(egui::Key::Enter);
    settle(h);
}

pub fn selected(h: &Harness<'static, App>) -> Option<usize> {
    h.state().state.session.as_ref().and_then(|s| s.selected)
}

pub fn click_at(h: &mut Harness<'static, App>, pos: egui::Pos2) {
    h.event(egui::Event::PointerMoved(pos));
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
    }
    h.run_steps(2);
}

pub fn displayed(h: &Harness<'static, App>) -> Vec<usize> {
    h.state().state.session.as_ref().map_or(Vec::new(), |s| {
        (0..s.rows()).filter_map(|r| s.packet_of(r)).collect()
    })
}
