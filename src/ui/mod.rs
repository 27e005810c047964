//! The desktop app (eframe/egui), the only module that knows egui. The state
//! ([`state`]) changes only through [`apply::apply`], which takes the [`action::Action`]s
//! that panes, windows, menus, keys and workers return; [`app`] is the eframe glue.
//! Work runs on the named threads of [`jobs`]; panes draw plain data from [`model`].

pub mod action;
pub mod app;
pub mod apply;
pub mod capture_job;
pub mod columns;
mod events;
pub mod jobs;
pub mod layout;
pub mod menu_bar;
pub mod model;
pub mod navigate;
pub mod panes;
pub mod recovery;
mod selection;
pub mod state;
pub mod teach;
pub mod teach_words;
pub mod theme;
pub mod toolbar;
pub mod windows;

pub use app::App;

/// Starts the GUI, optionally on a capture file or capturing on a device at once
/// (`capture`: device and BPF filter, from `synack -i IFACE -k`).
pub fn run(
    file: Option<std::path::PathBuf>,
    capture: Option<(String, String)>,
    lang: Option<crate::i18n::Lang>,
) -> anyhow::Result<()> {
    let options = eframe::NativeOptions {
        viewport: eframe::egui::ViewportBuilder::default()
            .with_title("synack")
            .with_inner_size([1400.0, 860.0])
            .with_min_inner_size([800.0, 500.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    eframe::run_native(
        "synack",
        options,
        Box::new(|cc| Ok(Box::new(App::new(cc, file, capture, lang)))),
    )
    .map_err(|e| anyhow::anyhow!("cannot open the window: {e}"))
}
