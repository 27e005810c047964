//! `synack-capture`: the small program that captures for synack, as dumpcap does for
//! Wireshark. It alone holds CAP_NET_RAW and CAP_NET_ADMIN, so it does as little as
//! it can: open a device, apply the BPF filter, open its output, give up every
//! capability (as dumpcap does), and only then read packets and write pcapng to a file
//! or to stdout. It never dissects a byte. `synack capture` and the window start it.
//!
//! Exit status: 0 done, 1 other failure, 2 bad arguments, 3 no permission, 4 no such
//! device, 5 bad capture filter. Messages go to stderr; with `--status`, also the
//! status lines its parent reads (`synack_capture::protocol::Status`).

#![allow(clippy::print_stderr)]

use clap::Parser;
use std::io::{BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use synack_capture::live::{self, LiveCapture, LiveError, Stats};
use synack_capture::pcapng_stream::{LiveInterface, PcapNgStream};
use synack_capture::privileges::{self, PrivilegeError};
use synack_capture::protocol::{HelperArgs, Status};

/// How often written packets are pushed to the file (a reader following it sees them
/// within this time) and status lines are printed.
const FLUSH_EVERY: Duration = Duration::from_millis(100);
const STATUS_EVERY: Duration = Duration::from_millis(500);

/// Captures packets from one device into a pcapng file (dumpcap's flags).
#[derive(Debug, Parser)]
#[command(name = "synack-capture", version)]
struct Cli {
    #[command(flatten)]
    args: HelperArgs,
}

/// Why a capture failed; each kind has its exit status.
#[derive(Debug, thiserror::Error)]
enum Failure {
    /// The device could not be opened or read.
    #[error(transparent)]
    Live(#[from] LiveError),
    /// The capabilities could not be given up, so the helper does not capture.
    #[error(transparent)]
    Privileges(#[from] PrivilegeError),
    /// The output could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The output.
        path: PathBuf,
        /// The system's error.
        source: std::io::Error,
    },
    /// The output file could not be created.
    #[error("cannot write {}: {source}; choose a file in a folder you can write to", path.display())]
    Create {
        /// The output.
        path: PathBuf,
        /// The system's error.
        source: std::io::Error,
    },
    /// A thread or a signal handler could not be set up.
    #[error("cannot {what}: {source}")]
    Setup {
        /// What was tried.
        what: &'static str,
        /// The system's error.
        source: std::io::Error,
    },
}

impl Failure {
    fn exit_code(&self) -> u8 {
        match self {
            Failure::Live(e) => e.exit_code(),
            Failure::Privileges(_)
            | Failure::Write { .. }
            | Failure::Create { .. }
            | Failure::Setup { .. } => 1,
        }
    }
}

fn main() -> ExitCode {
    let Cli { args } = Cli::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("synack-capture: {failure}");
            ExitCode::from(failure.exit_code())
        }
    }
}

fn run(args: &HelperArgs) -> Result<(), Failure> {
    let request = &args.request;
    let deadline = request
        .duration_secs
        .map(|secs| Duration::from_secs_f64(secs.min(1e9)));
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, stop.clone()).map_err(|source| Failure::Setup {
            what: "watch for Ctrl-C",
            source,
        })?;
    }
    let config = live::Config {
        device: request.device.clone(),
        filter: request.filter.clone(),
        snaplen: request.snaplen.unwrap_or(live::DEFAULT_SNAPLEN),
    };
    let mut capture = LiveCapture::open(&config)?;
    let out: Box<dyn Write> = if request.to_stdout() {
        Box::new(std::io::stdout().lock())
    } else {
        let file = std::fs::File::create(&request.output).map_err(|source| Failure::Create {
            path: request.output.clone(),
            source,
        })?;
        Box::new(file)
    };
    // The device is open, its filter set and the output file open: nothing left needs
    // a capability, so none is kept while packets are read. The file is opened first
    // because root without CAP_DAC_OVERRIDE may not write a file another user owns
    // (the window creates it before starting the helper).
    privileges::drop_all()?;
    // Only now: capabilities are per thread, and a thread started earlier would keep them.
    if args.stop_on_stdin_eof {
        watch_stdin(stop.clone())?;
    }
    let iface = LiveInterface {
        name: request.device.clone(),
        link_type: capture.link_type(),
        snaplen: capture.snaplen(),
        filter: request.filter.clone(),
    };
    let write_error = |source| Failure::Write {
        path: request.output.clone(),
        source,
    };
    let mut stream = PcapNgStream::new(BufWriter::with_capacity(256 * 1024, out), &iface)
        .map_err(write_error)?;
    stream.flush().map_err(write_error)?;
    if args.status {
        eprintln!(
            "{}",
            Status::Ready {
                link_type: capture.link_type()
            }
            .line()
        );
    } else {
        eprintln!("Capturing on '{}'", request.device);
    }
    let started = Instant::now();
    let mut packets = 0u64;
    let mut last_flush = Instant::now();
    let mut last_status = Instant::now();
    let mut failure = None;
    loop {
        let done = stop.load(Ordering::Relaxed)
            || request.count.is_some_and(|c| packets >= c)
            || deadline.is_some_and(|d| started.elapsed() >= d);
        if done {
            break;
        }
        match copy_packet(&mut capture, &mut stream, &request.output) {
            Ok(true) => packets += 1,
            Ok(false) => {}
            Err(Failure::Live(e)) => {
                // The device went away: keep what was captured and say why it ended.
                failure = Some(Failure::Live(e));
                break;
            }
            Err(e) => return Err(e),
        }
        if last_flush.elapsed() >= FLUSH_EVERY {
            stream.flush().map_err(write_error)?;
            last_flush = Instant::now();
        }
        if last_status.elapsed() >= STATUS_EVERY {
            report(args, &mut capture, packets);
            last_status = Instant::now();
        }
    }
    if failure.is_none() && request.count.is_none_or(|c| packets < c) {
        // Packets the kernel already holds belong to the capture the user stopped.
        capture.stop_waiting();
        for _ in 0..capture.drain_limit() {
            match copy_packet(&mut capture, &mut stream, &request.output) {
                Ok(true) => packets += 1,
                Ok(false) | Err(Failure::Live(_)) => break,
                Err(e) => return Err(e),
            }
        }
    }
    let stats = report(args, &mut capture, packets);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_micros()).unwrap_or(u64::MAX));
    stream
        .statistics(now, stats.received, stats.dropped, stats.if_dropped)
        .map_err(write_error)?;
    stream.flush().map_err(write_error)?;
    if !args.status {
        eprintln!(
            "\rPackets captured: {packets} (received {}, dropped by the kernel {}, by the interface {})",
            stats.received, stats.dropped, stats.if_dropped
        );
    }
    match failure {
        Some(f) => Err(f),
        None => Ok(()),
    }
}

/// Copies the next packet, if one is waiting, from the device to the file; `false`
/// when none was.
fn copy_packet<W: Write>(
    capture: &mut LiveCapture,
    stream: &mut PcapNgStream<W>,
    output: &Path,
) -> Result<bool, Failure> {
    let Some(packet) = capture.next_packet()? else {
        return Ok(false);
    };
    stream
        .packet(packet.ts_micros, packet.orig_len, packet.data)
        .map_err(|source| Failure::Write {
            path: output.to_path_buf(),
            source,
        })?;
    Ok(true)
}

/// Prints the counters (a status line, or dumpcap's running count) and returns them.
fn report(args: &HelperArgs, capture: &mut LiveCapture, packets: u64) -> Stats {
    let mut stats = capture.stats().unwrap_or_default();
    stats.packets = packets;
    if args.status {
        eprintln!("{}", Status::Stats(stats).line());
    } else if std::io::stderr().is_terminal() {
        eprint!("\rPackets: {packets} ");
    }
    stats
}

/// Sets `stop` when stdin reaches its end: the parent closed its end of the pipe.
fn watch_stdin(stop: Arc<AtomicBool>) -> Result<(), Failure> {
    std::thread::Builder::new()
        .name("stdin-watch".into())
        .spawn(move || {
            let mut buf = [0u8; 64];
            let mut stdin = std::io::stdin().lock();
            while matches!(stdin.read(&mut buf), Ok(n) if n > 0) {}
            stop.store(true, Ordering::Relaxed);
        })
        .map(|_| ())
        .map_err(|source| Failure::Setup {
            what: "start the stdin watcher",
            source,
        })
}
