//! `synack follow`: the bytes of one TCP stream, as `tshark -q -z follow,tcp,MODE,N`.

use crate::export::follow::{Mode, render};
use crate::tcp::Loaded;
use anyhow::Context;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `synack follow`.
#[derive(Debug, clap::Args)]
pub struct FollowArgs {
    /// Capture file to read.
    #[arg(short = 'r')]
    pub(crate) file: PathBuf,
    /// The load's memory budget.
    #[command(flatten)]
    pub(crate) memory: super::MemoryArgs,
    /// The TCP stream to follow.
    #[arg(long = "stream", default_value_t = 0)]
    stream: u32,
    /// How to show the bytes.
    #[arg(long = "format", default_value = "ascii", value_parser = ["ascii", "hex", "raw"])]
    format: String,
}

/// Runs `synack follow`.
pub fn run(args: &FollowArgs) -> anyhow::Result<ExitCode> {
    let loaded =
        Loaded::open(&args.file).with_context(|| format!("cannot open {}", args.file.display()))?;
    if loaded.tcp.streams.get(args.stream as usize).is_none() {
        super::report_damage(&loaded);
        anyhow::bail!(
            "there is no TCP stream {} in {} (it has {})",
            args.stream,
            args.file.display(),
            loaded.tcp.streams.len()
        );
    };
    let mode = Mode::from_name(&args.format).unwrap_or(Mode::Ascii);
    let text = render(&loaded, args.stream, mode).unwrap_or_default();
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(super::finish(loaded))
}
