//! The desktop app (eframe/egui). The only module that knows egui. Panes are plain
//! functions of data the app computed ([`model`]); they return [`action::Action`]s
//! that the app applies after drawing. Work runs on the threads of [`jobs`].

pub mod action;
pub mod app;
pub mod capture_job;
pub mod capture_menu;
pub mod detail_tree;
pub mod export_dialog;
pub mod filter_bar;
pub mod flow_graph;
pub mod hex_pane;
pub mod jobs;
pub mod model;
pub mod packet_list;
pub mod start_page;
pub mod status_bar;
pub mod theme;
pub mod windows;

pub use app::App;

/// Starts the GUI, optionally on a capture file or capturing on a device at once
/// (`capture`: device and BPF filter, from `synack -i IFACE -k`).
pub fn run(
    file: Option<std::path::PathBuf>,
    capture: Option<(String, String)>,
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
        Box::new(|cc| Ok(Box::new(App::new(cc, file, capture)))),
    )
    .map_err(|e| anyhow::anyhow!("cannot open the window: {e}"))
}
