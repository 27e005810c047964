//! `synack flow`: the ladder diagram of TCP streams (the answer to `tshark -z
//! flow,tcp`, but with phases, the seed's relations and both endpoints' states), or
//! with `--list` one line per connection with a badge for how it went.

use crate::export::{connections as list, flow, mermaid};
use crate::filter::Filter;
use crate::tcp::{Loaded, connections, ladder};
use anyhow::Context;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `synack flow`.
#[derive(Debug, clap::Args)]
pub struct FlowArgs {
    /// Capture file to read.
    #[arg(short = 'r')]
    pub(crate) file: PathBuf,
    /// The load's memory budget.
    #[command(flatten)]
    pub(crate) memory: super::MemoryArgs,
    /// Display filter: only the packets it keeps are drawn; with `--list`, only the
    /// connections with a packet it keeps are listed (each described whole).
    #[arg(short = 'Y')]
    filter: Option<String>,
    /// Only this TCP stream (repeatable; default: every stream).
    #[arg(long = "stream")]
    streams: Vec<u32>,
    /// Absolute sequence numbers instead of relative ones.
    #[arg(short = 'S')]
    absolute: bool,
    /// Output format. `mermaid` is a Mermaid sequence diagram (several streams: a
    /// Markdown document with one fenced diagram each). With `--list`: `text` (tab-
    /// separated) or `json`.
    #[arg(long = "format", default_value = "text", value_parser = ["text", "svg", "json", "mermaid"])]
    format: String,
    /// List the TCP connections instead of drawing them: a header line, then per
    /// connection `stream`, `client`, `server`, `packets`, `duration` (seconds, six
    /// decimals), `badge` (complete, reset, refused, syn-only, no-close, mid-stream)
    /// and `notes` (comma-separated, `-` for none), separated by tabs.
    #[arg(long = "list")]
    list: bool,
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
        record.is_some_and(|r| f.matches(&d, loaded.capture.bytes_of(&r)))
    };
    for s in &args.streams {
        if *s as usize >= loaded.tcp.streams.len() {
            anyhow::bail!(
                "there is no TCP stream {s} in {} (it has {})",
                args.file.display(),
                loaded.tcp.streams.len()
            );
        }
    }
    if args.list {
        let text = connection_list(args, &loaded, filter.as_ref())?;
        emit(args, &text)?;
        return Ok(super::finish(loaded));
    }
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
        if let Some(l) = ladder::build(&loaded, *s, args.absolute, &mut keep) {
            ladders.push(l);
        }
    }
    let titled = |ladders: Vec<ladder::Ladder>| -> Vec<_> {
        ladders
            .into_iter()
            .map(|l| {
                let title = crate::tr!(
                    "ladder-title",
                    stream = l.stream.to_string(),
                    file = title_file.as_str()
                );
                (l, title)
            })
            .collect()
    };
    let text = match args.format.as_str() {
        "svg" => flow::svg(&titled(ladders), args.select),
        "mermaid" => mermaid::mermaid(&titled(ladders)),
        "json" => flow::json(&ladders),
        _ => flow::text(&ladders),
    };
    emit(args, &text)?;
    Ok(super::finish(loaded))
}

/// The `--list` output: every connection (or those of `--stream`), those with a
/// packet the filter keeps when there is one.
fn connection_list(
    args: &FlowArgs,
    loaded: &Loaded,
    filter: Option<&Filter>,
) -> anyhow::Result<String> {
    if !matches!(args.format.as_str(), "text" | "json") {
        anyhow::bail!(
            "--list prints text or json, not {} (draw one stream with --stream N --format {})",
            args.format,
            args.format
        );
    }
    let mut all = if args.streams.is_empty() {
        connections::summarize(loaded)
    } else {
        args.streams
            .iter()
            .filter_map(|s| connections::summarize_one(loaded, *s))
            .collect()
    };
    if let Some(f) = filter {
        // A connection is listed when one of its packets matches; its line still
        // describes all of it (a filter must not turn a complete connection into a
        // syn-only one).
        let mut kept = vec![false; loaded.tcp.streams.len()];
        for i in loaded.matching(f, 0..loaded.len()) {
            let stream = loaded
                .capture
                .record(i as usize)
                .and_then(crate::tcp::results::stream_of);
            if let Some(slot) = stream.and_then(|s| kept.get_mut(s as usize)) {
                *slot = true;
            }
        }
        all.retain(|c| kept.get(c.stream as usize).copied().unwrap_or(false));
    }
    Ok(if args.format == "json" {
        list::json(&all)
    } else {
        list::tsv(&all)
    })
}

/// Writes `text` to `-o`'s file or to standard output.
fn emit(args: &FlowArgs, text: &str) -> anyhow::Result<()> {
    match &args.output {
        Some(path) => crate::capture::atomic::write_file(path, text.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
    }
    Ok(())
}
