//! The `synack` binary: no subcommand opens the desktop app, a subcommand runs the
//! same engine headless with tshark's flags.

fn main() -> std::process::ExitCode {
    synack::cli::main()
}
