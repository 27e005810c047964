//! What the egui_kittest suites (tests/ui*.rs) share: the test captures, stepping
//! the real window until its workers are done, and snapshots laid out from the
//! defaults with the status bar masked.

#![allow(dead_code)]

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::path::PathBuf;
use synack::ui::App;
use synack::ui::action::Action;
use synack::ui::teach::TeachAction;

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
