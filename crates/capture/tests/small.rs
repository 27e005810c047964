//! The helper holds the capture rights, so it links as little as it can: none of the
//! window's stack (eframe, egui, wgpu, winit, rfd, resvg) nor D-Bus (zbus).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

/// Crates the helper must never link.
const FORBIDDEN: [&str; 7] = ["eframe", "egui", "wgpu", "winit", "rfd", "resvg", "zbus"];

#[test]
fn the_helper_links_no_window_and_no_dbus() {
    // The workspace root, where Cargo.lock lives (`--locked` keeps this offline-safe).
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = Command::new(env!("CARGO"))
        .current_dir(&root)
        .args([
            "tree",
            "-p",
            "synack-capture",
            "-e",
            "normal",
            "--prefix",
            "none",
            "--locked",
        ])
        .output()
        .expect("run cargo tree");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("synack-capture"), "{text}");
    for line in text.lines() {
        // `name v1.2.3 ...`: compare the whole name (egui_* and wgpu-* count too).
        let name = line.split_whitespace().next().unwrap_or_default();
        for bad in FORBIDDEN {
            assert!(
                name != bad
                    && !name.starts_with(&format!("{bad}_"))
                    && !name.starts_with(&format!("{bad}-")),
                "the helper links {name}:\n{text}"
            );
        }
    }
}
