//! `synack stats`: the work of File > Open (index, TCP analysis, counts), then a
//! summary, or tshark's `-z` reports: `io,phs` (protocol hierarchy), `expert`,
//! `conv,KIND`, `endpoints,KIND` and `io,stat,INTERVAL`.

use crate::dissect::Severity;
use crate::export::tables;
use crate::filter::Filter;
use crate::stats::{EndpointTable, IoStat, Kind, Traffic};
use crate::tcp::{Loaded, PacketPredicate, PhsNode};
use anyhow::Context;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `synack stats`.
#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// Capture file to read.
    #[arg(short = 'r')]
    pub(crate) file: PathBuf,
    /// The load's memory budget.
    #[command(flatten)]
    pub(crate) memory: super::MemoryArgs,
    /// Statistics to print, as tshark's -z: `io,phs`, `expert`, `conv,KIND[,FILTER]`,
    /// `endpoints,KIND[,FILTER]` (KIND: eth, ip, ipv6, tcp, udp) or
    /// `io,stat,INTERVAL[,FILTER...]` (default: summary and hierarchy).
    #[arg(short = 'z')]
    stats: Vec<String>,
    /// No name resolution (tshark's -n): MAC addresses as numbers in the tables.
    #[arg(short = 'n')]
    numeric: bool,
    /// Quiet: accepted for tshark compatibility (nothing else is printed anyway).
    #[arg(short = 'q')]
    quiet: bool,
}

/// One `-z` report, checked before the capture is read.
#[derive(Debug)]
enum Report {
    Phs,
    Expert,
    Conversations(Kind, Option<(String, Filter)>),
    Endpoints(Kind, Option<(String, Filter)>),
    IoStat {
        interval_micros: u64,
        precision: usize,
        columns: Vec<Option<(String, Filter)>>,
    },
}

/// The `-z` names synack knows, listed (as tshark lists its own) when one is unknown.
const KNOWN: &[&str] = &[
    "conv,eth",
    "conv,ip",
    "conv,ipv6",
    "conv,tcp",
    "conv,udp",
    "endpoints,eth",
    "endpoints,ip",
    "endpoints,ipv6",
    "endpoints,tcp",
    "endpoints,udp",
    "expert",
    "io,phs",
    "io,stat",
];

/// An interval in seconds as tshark takes it (`1`, `0.5`, `0.001`): microseconds and
/// the number of digits written after the point.
fn parse_interval(text: &str) -> Option<(u64, usize)> {
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() && frac.is_empty() {
        return None;
    }
    let digits_ok = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !digits_ok(whole) || !digits_ok(frac) {
        return None;
    }
    let secs: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let micros_text: String = frac.chars().chain("000000".chars()).take(6).collect();
    let micros: u64 = micros_text.parse().ok()?;
    Some((
        secs.checked_mul(1_000_000)?.checked_add(micros)?,
        frac.len(),
    ))
}

fn compile(text: &str) -> anyhow::Result<(String, Filter)> {
    let filter = Filter::compile(text)
        .map_err(|e| anyhow::anyhow!("invalid display filter {text:?}: {}", e.message))?;
    Ok((text.to_string(), filter))
}

/// Parses one `-z` argument; `None` when synack does not know it.
fn parse_report(z: &str) -> anyhow::Result<Option<Report>> {
    match z {
        "io,phs" => return Ok(Some(Report::Phs)),
        "expert" => return Ok(Some(Report::Expert)),
        _ => {}
    }
    if let Some(rest) = z.strip_prefix("io,stat,") {
        let mut parts = rest.split(',');
        let Some((interval_micros, precision)) = parts.next().and_then(parse_interval) else {
            anyhow::bail!("invalid -z io,stat interval in {z:?}: give seconds, as 1 or 0.01");
        };
        let mut columns = Vec::new();
        for text in parts {
            columns.push(if text.is_empty() {
                None
            } else {
                Some(compile(text)?)
            });
        }
        if columns.is_empty() {
            columns.push(None);
        }
        return Ok(Some(Report::IoStat {
            interval_micros,
            precision,
            columns,
        }));
    }
    for (prefix, endpoints) in [("conv,", false), ("endpoints,", true)] {
        let Some(rest) = z.strip_prefix(prefix) else {
            continue;
        };
        let (name, filter) = match rest.split_once(',') {
            Some((name, filter)) => (name, Some(filter)),
            None => (rest, None),
        };
        let Some(kind) = Kind::from_tshark_name(name) else {
            return Ok(None);
        };
        let filter = match filter {
            Some(text) => Some(compile(text)?),
            None => None,
        };
        return Ok(Some(if endpoints {
            Report::Endpoints(kind, filter)
        } else {
            Report::Conversations(kind, filter)
        }));
    }
    Ok(None)
}

impl StatsArgs {
    /// The reports `synack dump -z` asks for after its packets.
    pub fn for_reports(file: PathBuf, stats: Vec<String>, numeric: bool) -> StatsArgs {
        StatsArgs {
            file,
            stats,
            numeric,
            quiet: true,
            memory: super::MemoryArgs::default(),
        }
    }
}

/// Reads the `-z` arguments; an unknown one gets tshark's message and exit status.
fn parse_all(args: &StatsArgs) -> anyhow::Result<Result<Vec<Report>, ExitCode>> {
    let mut reports = Vec::new();
    for z in &args.stats {
        match parse_report(z)? {
            Some(r) => reports.push(r),
            None => {
                // tshark's message and exit status for a -z it does not know.
                eprintln!("synack: Invalid -z argument \"{z}\"; it must be one of:");
                for name in KNOWN {
                    eprintln!("     {name}");
                }
                return Ok(Err(ExitCode::from(1)));
            }
        }
    }
    Ok(Ok(reports))
}

/// Checks the `-z` arguments before anything is read: the exit status to stop with
/// when one is unknown (its message printed).
pub fn reject_unknown(args: &StatsArgs) -> anyhow::Result<Option<ExitCode>> {
    Ok(parse_all(args)?.err())
}

/// Runs `synack stats`.
pub fn run(args: &StatsArgs) -> anyhow::Result<ExitCode> {
    let reports = match parse_all(args)? {
        Ok(reports) => reports,
        Err(code) => return Ok(code),
    };
    let loaded =
        Loaded::open(&args.file).with_context(|| format!("cannot open {}", args.file.display()))?;
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    if args.stats.is_empty() {
        summary(&mut out, &loaded)?;
        phs(&mut out, &loaded)?;
    }
    // tshark prints its reports in the reverse order of its -z arguments.
    for report in reports.iter().rev() {
        match report {
            Report::Phs => phs(&mut out, &loaded)?,
            Report::Expert => expert(&mut out, &loaded)?,
            Report::Conversations(kind, filter) | Report::Endpoints(kind, filter) => {
                let limit = filter.as_ref().map(|(_, f)| f as &dyn PacketPredicate);
                let traffic = Traffic::compute(&loaded, &[*kind], limit);
                let table = traffic.table(*kind).cloned().unwrap_or_default();
                let text = filter.as_ref().map(|(t, _)| t.as_str());
                let report = if matches!(report, Report::Endpoints(..)) {
                    let endpoints = EndpointTable::from_conversations(&table);
                    tables::endpoints_text(*kind, &endpoints, text, args.numeric)
                } else {
                    tables::conversations_text(*kind, &table, text, args.numeric)
                };
                out.write_all(report.as_bytes())?;
            }
            Report::IoStat {
                interval_micros,
                precision,
                columns,
            } => {
                let limits: Vec<Option<&dyn PacketPredicate>> = columns
                    .iter()
                    .map(|c| c.as_ref().map(|(_, f)| f as &dyn PacketPredicate))
                    .collect();
                let io = IoStat::compute(&loaded, *interval_micros, &limits);
                let names: Vec<Option<String>> = columns
                    .iter()
                    .map(|c| c.as_ref().map(|(t, _)| t.clone()))
                    .collect();
                tables::write_io_stat(&mut out, &io, *precision, &names)?;
            }
        }
    }
    out.flush()?;
    Ok(super::finish(loaded))
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
