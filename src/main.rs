//! The `synack` binary: no subcommand opens the desktop app, a subcommand runs the
//! same engine headless with tshark's flags. This is the one place that knows both
//! faces: `cli` and `ui` never call each other.

use synack::cli::{self, Invocation};

fn main() -> std::process::ExitCode {
    match cli::parse() {
        Invocation::Window {
            file,
            capture,
            lang,
        } => synack::ui::run(file, capture, lang)
            .map_or_else(cli::fail, |()| std::process::ExitCode::SUCCESS),
        Invocation::Command(command) => cli::run(*command),
    }
}
