//! `synack flow`: the ladder diagram of TCP streams (the answer to `tshark -z
//! flow,tcp`, but with phases, the seed's relations and both endpoints' states).

use crate::export::flow;
use crate::filter::Filter;
use crate::tcp::{Loaded, ladder};
use anyhow::Context;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `synack flow`.
#[derive(Debug, clap::Args)]
pub struct FlowArgs {
    /// Capture file to read.
    #[arg(short = 'r')]
    file: PathBuf,
    /// Display filter: only the packets it keeps are drawn.
    #[arg(short = 'Y')]
    filter: Option<String>,
    /// Only this TCP stream (repeatable; default: every stream).
    #[arg(long = "stream")]
    streams: Vec<u32>,
    /// Absolute sequence numbers instead of relative ones.
    #[arg(short = 'S')]
    absolute: bool,
    /// Output format.
    #[arg(long = "format", default_value = "text", value_parser = ["text", "svg", "json"])]
    format: String,
    /// Highlight and explain this frame (SVG).
    #[arg(long = "select")]
    select: Option<u32>,
    /// Write to this file instead of standard output.
    #[arg(short = 'o')]
    output: Option<PathBuf>,
}

/// Runs `synack flow`.
pub fn run(args: &FlowArgs) -> anyhow::Result<ExitCode> {
    let filter = match &args.filter {
        Some(text) => Some(
            Filter::compile(text)
                .map_err(|e| anyhow::anyhow!("{} (at {})", e.message, e.position))?,
        ),
        None => None,
    };
    let loaded =
        Loaded::open(&args.file).with_context(|| format!("cannot open {}", args.file.display()))?;
    let analysis = loaded.analysis();
    let mut keep = |i: usize| -> bool {
        let Some(f) = &filter else { return true };
        let mut d = f.dissection();
        let record = loaded.dissect_into(i, None, &analysis, &mut d);
        record.is_some_and(|r| f.matches(&d, loaded.capture.bytes_of(r)))
    };
    let streams: Vec<u32> = if args.streams.is_empty() {
        (0..loaded.tcp.streams.len() as u32).collect()
    } else {
        args.streams.clone()
    };
    let title_file = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut ladders = Vec::new();
    for s in &streams {
        if *s as usize >= loaded.tcp.streams.len() {
            anyhow::bail!(
                "there is no TCP stream {s} in {} (it has {})",
                args.file.display(),
                loaded.tcp.streams.len()
            );
        }
        if let Some(l) = ladder::build(&loaded, *s, args.absolute, &mut keep) {
            ladders.push(l);
        }
    }
    let text = match args.format.as_str() {
        "svg" => {
            let titled: Vec<_> = ladders
                .into_iter()
                .map(|l| {
                    let title = format!("TCP stream {} of {title_file}", l.stream);
                    (l, title)
                })
                .collect();
            flow::svg(&titled, args.select)
        }
        "json" => flow::json(&ladders),
        _ => flow::text(&ladders),
    };
    match &args.output {
        Some(path) => crate::capture::atomic::write_file(path, text.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
    }
    Ok(super::finish(&loaded))
}
