//! The desktop app (eframe/egui). The only module that knows egui.

/// Starts the GUI, optionally on a capture file.
pub fn run(_file: Option<std::path::PathBuf>) -> anyhow::Result<()> {
    anyhow::bail!("the desktop app is not built yet; use the subcommands (synack --help)")
}
