//! The command line: `synack [FILE]` asks for the desktop app (`main.rs` opens it);
//! subcommands run the engine headless with tshark's flags. Only this module prints
//! to stdout, and it never reaches the window.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod capture;
mod dump;
mod flow;
mod follow;
mod interfaces;
mod stats;
mod tables;

use crate::i18n::Lang;
use anyhow::Context as _;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// synack: a packet analyzer that explains TCP.
#[derive(Debug, Parser)]
#[command(
    name = "synack",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// A capture to open in the window.
    file: Option<PathBuf>,
    /// Capture on this device as soon as the window opens (with -k).
    #[arg(short = 'i', requires = "start")]
    interface: Option<String>,
    /// Start capturing at once on the -i device (Wireshark's -k).
    #[arg(short = 'k', requires = "interface")]
    start: bool,
    /// Capture filter in BPF syntax for -i.
    #[arg(short = 'f', default_value = "")]
    capture_filter: String,
    /// Language of explanations, ladders and the window (en-US, zh-CN, de); the
    /// default is the locale's (LC_ALL, LC_MESSAGES, LANG), else English.
    #[arg(long, global = true, value_parser = parse_lang)]
    lang: Option<Lang>,
}

/// `--lang`'s values: a tag or locale name of a shipped language.
fn parse_lang(text: &str) -> Result<Lang, String> {
    Lang::parse(text).ok_or_else(|| {
        let known: Vec<&str> = Lang::ALL.iter().map(|l| l.code()).collect();
        format!("synack speaks {}", known.join(", "))
    })
}

/// A headless command.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print packets as tshark does (summaries, fields, detail, hex) or export them.
    Dump(Box<dump::DumpArgs>),
    /// Read a whole capture and print counts, the protocol hierarchy or expert items.
    Stats(stats::StatsArgs),
    /// Draw the ladder of TCP streams: handshake, data and close with both states.
    Flow(flow::FlowArgs),
    /// Print the bytes of one TCP stream in order (Follow TCP Stream).
    Follow(follow::FollowArgs),
    /// List the devices you can capture on (as tshark -D, with state and addresses).
    Interfaces(interfaces::InterfacesArgs),
    /// Capture from a device into a pcapng file (dumpcap's flags; Ctrl-C stops).
    Capture(capture::CaptureArgs),
    /// Write captures as Parquet tables (packets, connections) for DuckDB or Spark.
    Tables(tables::TablesArgs),
}

/// What the command line asked for: the window, or a headless command.
#[derive(Debug)]
pub enum Invocation {
    /// Open the window, optionally on a file or capturing at once.
    Window {
        /// A capture to open.
        file: Option<PathBuf>,
        /// Device and BPF filter to capture on at once (`-i IFACE -k [-f FILTER]`).
        capture: Option<(String, String)>,
        /// `--lang`: the window's language for this run (else its setting).
        lang: Option<Lang>,
    },
    /// Run a subcommand.
    Command(Box<Command>),
}

/// Parses the process arguments (clap prints help and exits on `--help` or errors).
pub fn parse() -> Invocation {
    let cli = Cli::parse();
    match cli.command {
        None => {
            let capture = match (cli.interface, cli.start) {
                (Some(device), true) => Some((device, cli.capture_filter)),
                _ => None,
            };
            Invocation::Window {
                file: cli.file,
                capture,
                lang: cli.lang,
            }
        }
        Some(command) => {
            crate::i18n::set_current(cli.lang.unwrap_or_else(Lang::from_env));
            Invocation::Command(Box::new(command))
        }
    }
}

/// How much memory a load may take (`--max-memory`), shared by the commands that
/// read a capture.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct MemoryArgs {
    /// Memory budget of the load (e.g. 512M, 4G, 4GiB; default: half of the
    /// machine's memory). Past it the load stops at a packet boundary, keeps what it read, and
    /// says how much it opened and what the rest would need.
    #[arg(long = "max-memory", value_name = "SIZE", value_parser = parse_size)]
    max_memory: Option<u64>,
}

impl MemoryArgs {
    /// Puts the budget in force for the loads that follow.
    fn apply(&self) {
        crate::capture::set_memory_budget(self.max_memory);
    }
}

/// A size in bytes: a number with an optional K, M, G or T (powers of 1000, as the
/// messages print sizes; KiB, MiB, GiB, TiB for powers of 1024; a trailing B is
/// allowed).
fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let (t, binary) = match t.strip_suffix("iB").or_else(|| t.strip_suffix('i')) {
        Some(rest) => (rest, true),
        None => (t.strip_suffix('B').unwrap_or(t), false),
    };
    let (digits, power) = match t.char_indices().last() {
        Some((i, c)) if "KMGTkmgt".contains(c) => {
            let power = match c.to_ascii_uppercase() {
                'K' => 1,
                'M' => 2,
                'G' => 3,
                _ => 4,
            };
            (t.get(..i).unwrap_or(""), power)
        }
        _ => (t, 0),
    };
    let value: f64 = digits
        .trim()
        .parse()
        .map_err(|_| format!("not a size: {text:?} (expected e.g. 512M or 4G)"))?;
    if !value.is_finite() || value <= 0.0 {
        return Err(format!("not a size: {text:?} (it must be more than 0)"));
    }
    let unit: f64 = if binary { 1024.0 } else { 1000.0 };
    Ok((value * unit.powi(power)) as u64)
}

/// Runs a subcommand and returns the exit status.
pub fn run(command: Command) -> ExitCode {
    match &command {
        Command::Dump(args) => args.memory.apply(),
        Command::Stats(args) => args.memory.apply(),
        Command::Flow(args) => args.memory.apply(),
        Command::Follow(args) => args.memory.apply(),
        _ => {}
    }
    let mut command = command;
    // `-r -` (tshark's: the capture on standard input, e.g. from `tcpdump -w -`): read
    // into a temporary file first, kept until the command ends, since a capture is
    // mapped and may be read more than once (a split load can start over).
    let file = match &mut command {
        Command::Dump(args) => Some(&mut args.file),
        Command::Stats(args) => Some(&mut args.file),
        Command::Flow(args) => Some(&mut args.file),
        Command::Follow(args) => Some(&mut args.file),
        _ => None,
    };
    let _stdin_copy = match file.map(stdin_capture).transpose() {
        Ok(copy) => copy.flatten(),
        Err(error) => return fail(error),
    };
    let result = match command {
        Command::Dump(args) => dump::run(&args),
        Command::Stats(args) => stats::run(&args),
        Command::Flow(args) => flow::run(&args),
        Command::Follow(args) => follow::run(&args),
        Command::Interfaces(args) => interfaces::run(&args),
        Command::Capture(args) => capture::run(&args),
        Command::Tables(args) => tables::run(&args),
    };
    result.unwrap_or_else(fail)
}

/// When `file` is `-`, copies standard input to a temporary file, points `file` at
/// it and returns the file (removed when dropped).
fn stdin_capture(file: &mut std::path::PathBuf) -> anyhow::Result<Option<tempfile::TempPath>> {
    if file.as_os_str() != "-" {
        return Ok(None);
    }
    let mut copy = tempfile::Builder::new()
        .prefix(".synack-stdin-")
        .tempfile()
        .context("cannot create a temporary file for the capture on standard input")?;
    let read = std::io::copy(&mut std::io::stdin().lock(), copy.as_file_mut())
        .context("cannot read the capture on standard input")?;
    if read == 0 {
        anyhow::bail!("no capture on standard input (-r -): it was empty");
    }
    let path = copy.into_temp_path();
    *file = path.to_path_buf();
    Ok(Some(path))
}

/// Prints a run-level error the way every synack command does, and gives status 2.
pub fn fail(error: anyhow::Error) -> ExitCode {
    eprintln!("synack: {error:#}");
    ExitCode::from(2)
}

/// Reports damage (if any) and gives the exit status of a command that read
/// `loaded`: 1 when the file is damaged before its first packet, else 0.
///
/// The command is done with `loaded` and the process exits next, so it is not
/// dropped: freeing a million packets' tables piece by piece only delays the exit
/// (~5 ms of a 0.25 s load on the 1M-packet benchmark capture), and the exit gives
/// the memory and the mapped file back at once.
pub(crate) fn finish(loaded: crate::tcp::Loaded) -> ExitCode {
    report_damage(&loaded);
    let code = if loaded.is_empty() && loaded.capture.damage().is_some() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    std::mem::forget(loaded);
    code
}

/// Prints the damage message the way tshark reports a cut-short file.
pub(crate) fn report_damage(loaded: &crate::tcp::Loaded) {
    if let Some(damage) = loaded.capture.damage() {
        eprintln!(
            "synack: damaged capture at byte {}: {}; the {} packets before it were read: {}",
            damage.offset,
            damage.what,
            loaded.len(),
            loaded.capture.source().path().display()
        );
    }
    if let Some(cut) = loaded.capture.cut() {
        eprintln!(
            "synack: {}: {cut}",
            loaded.capture.source().path().display()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_units() {
        assert_eq!(parse_size("512M"), Ok(512_000_000));
        assert_eq!(parse_size("4G"), Ok(4_000_000_000));
        assert_eq!(parse_size("1.5GB"), Ok(1_500_000_000));
        assert_eq!(parse_size("100000"), Ok(100_000));
        assert_eq!(parse_size("64KiB"), Ok(64 << 10));
        assert_eq!(parse_size("2Gi"), Ok(2 << 30));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("0").is_err());
    }
}
