//! `synack stats`: the work of File > Open (index, TCP analysis, counts), then a
//! summary, `-z io,phs` (protocol hierarchy) or `-z expert`.

use crate::dissect::Severity;
use crate::tcp::{Loaded, PhsNode};
use anyhow::Context;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `synack stats`.
#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// Capture file to read.
    #[arg(short = 'r')]
    file: PathBuf,
    /// Statistics to print: `io,phs` or `expert` (default: summary and hierarchy).
    #[arg(short = 'z')]
    stats: Vec<String>,
    /// Quiet: accepted for tshark compatibility (nothing else is printed anyway).
    #[arg(short = 'q')]
    quiet: bool,
}

/// Runs `synack stats`.
pub fn run(args: &StatsArgs) -> anyhow::Result<ExitCode> {
    let loaded =
        Loaded::open(&args.file).with_context(|| format!("cannot open {}", args.file.display()))?;
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    if args.stats.is_empty() {
        summary(&mut out, &loaded)?;
        phs(&mut out, &loaded)?;
    }
    for z in &args.stats {
        match z.as_str() {
            "io,phs" => phs(&mut out, &loaded)?,
            "expert" => expert(&mut out, &loaded)?,
            other => anyhow::bail!("unknown statistic {other:?}: use io,phs or expert"),
        }
    }
    out.flush()?;
    Ok(super::finish(&loaded))
}

fn summary(out: &mut impl Write, loaded: &Loaded) -> std::io::Result<()> {
    let s = &loaded.stats;
    let duration = match (s.first_ts, s.last_ts) {
        (Some(a), Some(b)) => crate::dissect::time::seconds_text(b.saturating_sub(a), 6),
        _ => "0.000000".into(),
    };
    writeln!(out, "Packets: {}", s.packets)?;
    writeln!(out, "Bytes: {}", s.bytes)?;
    writeln!(out, "Duration: {duration} s")?;
    writeln!(out, "TCP streams: {}", loaded.tcp.streams.len())?;
    Ok(())
}

fn phs(out: &mut impl Write, loaded: &Loaded) -> std::io::Result<()> {
    writeln!(out)?;
    writeln!(
        out,
        "==================================================================="
    )?;
    writeln!(out, "Protocol Hierarchy Statistics")?;
    writeln!(out, "Filter: ")?;
    writeln!(out)?;
    fn walk(
        out: &mut impl Write,
        nodes: &[PhsNode],
        node: usize,
        depth: usize,
    ) -> std::io::Result<()> {
        let Some(n) = nodes.get(node) else {
            return Ok(());
        };
        for child in &n.children {
            if let Some(c) = nodes.get(*child) {
                let name = format!("{}{}", "  ".repeat(depth), c.name);
                writeln!(out, "{name:<40} frames:{} bytes:{}", c.frames, c.bytes)?;
                walk(out, nodes, *child, depth + 1)?;
            }
        }
        Ok(())
    }
    walk(out, &loaded.stats.phs, 0, 0)?;
    writeln!(
        out,
        "==================================================================="
    )?;
    Ok(())
}

fn expert(out: &mut impl Write, loaded: &Loaded) -> std::io::Result<()> {
    for (severity, title) in [
        (Severity::Error, "Errors"),
        (Severity::Warning, "Warns"),
        (Severity::Note, "Notes"),
        (Severity::Chat, "Chats"),
    ] {
        let lines: Vec<_> = loaded.stats.experts_of(severity).collect();
        if lines.is_empty() {
            continue;
        }
        let total: u64 = lines.iter().map(|e| e.count).sum();
        writeln!(out)?;
        writeln!(out, "{title} ({total})")?;
        writeln!(out, "=============")?;
        writeln!(out, "   Frequency      Group           Protocol  Summary")?;
        for e in lines {
            writeln!(
                out,
                "{:>12} {:>10} {:>18}  {}",
                e.count, e.expert.group, e.expert.protocol, e.expert.message
            )?;
        }
    }
    Ok(())
}
