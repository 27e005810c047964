//! Snapshots of the real window for the egui_kittest suites (tests/ui.rs,
//! tests/ui_teach.rs): laid out from the defaults, the status bar masked.

#![allow(dead_code)]

use egui_kittest::Harness;
use synack::ui::App;

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
