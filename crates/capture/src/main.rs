//! `synack-capture`: the small program that captures for synack, as dumpcap does for
//! Wireshark. It alone holds CAP_NET_RAW and CAP_NET_ADMIN, so it does as little as
//! it can: open a device, apply the BPF filter, and write pcapng to a file or to
//! stdout. It never dissects a byte. `synack capture` and the window start it.
//!
//! Exit status: 0 done, 1 other failure, 2 bad arguments, 3 no permission, 4 no such
//! device, 5 bad capture filter. Messages go to stderr; with `--status`, also the
//! status lines its parent reads (`synack_capture::protocol::Status`).

#![allow(clippy::print_stderr)]

use clap::Parser;
use std::io::{BufWriter, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use synack_capture::live::{self, LiveCapture, Stats};
use synack_capture::pcapng_stream::{LiveInterface, PcapNgStream};
use synack_capture::protocol::{Status, parse_autostop};

/// How often written packets are pushed to the file (a reader following it sees them
/// within this time) and status lines are printed.
const FLUSH_EVERY: Duration = Duration::from_millis(100);
const STATUS_EVERY: Duration = Duration::from_millis(500);

/// Captures packets from one device into a pcapng file (dumpcap's flags).
#[derive(Debug, Parser)]
#[command(name = "synack-capture", version)]
struct Args {
    /// Device to capture on (`synack interfaces` lists them).
    #[arg(short = 'i')]
    interface: String,
    /// Capture filter in BPF syntax, e.g. "tcp port 80".
    #[arg(short = 'f', default_value = "")]
    filter: String,
    /// Stop after this many packets.
    #[arg(short = 'c')]
    count: Option<u64>,
    /// Stop condition: duration:SECONDS.
    #[arg(short = 'a')]
    autostop: Option<String>,
    /// Bytes kept of each packet.
    #[arg(short = 's', default_value_t = live::DEFAULT_SNAPLEN)]
    snaplen: u32,
    /// pcapng file to write, or - for stdout.
    #[arg(short = 'w')]
    output: PathBuf,
    /// Print status lines for a parent process on stderr.
    #[arg(long)]
    status: bool,
    /// Stop when stdin closes (the parent asked to stop, or died).
    #[arg(long)]
    stop_on_stdin_eof: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err((code, message)) => {
            eprintln!("synack-capture: {message}");
            ExitCode::from(code)
        }
    }
}

fn run(args: &Args) -> Result<(), (u8, String)> {
    let deadline = match &args.autostop {
        Some(text) => {
            let secs = parse_autostop(text).map_err(|e| (2, e))?;
            Some(Duration::from_secs_f64(secs.min(1e9)))
        }
        None => None,
    };
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, stop.clone())
            .map_err(|e| (1, format!("cannot watch for Ctrl-C: {e}")))?;
    }
    if args.stop_on_stdin_eof {
        watch_stdin(stop.clone())?;
    }
    let config = live::Config {
        device: args.interface.clone(),
        filter: args.filter.clone(),
        snaplen: args.snaplen,
    };
    let mut capture = LiveCapture::open(&config).map_err(|e| (e.exit_code(), e.to_string()))?;
    let out: Box<dyn Write> = if args.output.as_os_str() == "-" {
        Box::new(std::io::stdout().lock())
    } else {
        let file = std::fs::File::create(&args.output).map_err(|e| {
            (
                1,
                format!(
                    "cannot write {}: {e}; choose a file in a folder you can write to",
                    args.output.display()
                ),
            )
        })?;
        Box::new(file)
    };
    let iface = LiveInterface {
        name: args.interface.clone(),
        link_type: capture.link_type(),
        snaplen: capture.snaplen(),
        filter: args.filter.clone(),
    };
    let write_error =
        |e: std::io::Error| (1, format!("cannot write {}: {e}", args.output.display()));
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
        eprintln!("Capturing on '{}'", args.interface);
    }
    let started = Instant::now();
    let mut packets = 0u64;
    let mut last_flush = Instant::now();
    let mut last_status = Instant::now();
    let mut failure = None;
    loop {
        let done = stop.load(Ordering::Relaxed)
            || args.count.is_some_and(|c| packets >= c)
            || deadline.is_some_and(|d| started.elapsed() >= d);
        if done {
            break;
        }
        match capture.next_packet() {
            Ok(Some(packet)) => {
                stream
                    .packet(packet.ts_micros, packet.orig_len, packet.data)
                    .map_err(write_error)?;
                packets += 1;
            }
            Ok(None) => {}
            Err(e) => {
                // The device went away: keep what was captured and say why it ended.
                failure = Some((1, e.to_string()));
                break;
            }
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
    if failure.is_none() && args.count.is_none_or(|c| packets < c) {
        // Packets the kernel already holds belong to the capture the user stopped.
        capture.stop_waiting();
        for _ in 0..capture.drain_limit() {
            match capture.next_packet() {
                Ok(Some(packet)) => {
                    stream
                        .packet(packet.ts_micros, packet.orig_len, packet.data)
                        .map_err(write_error)?;
                    packets += 1;
                }
                Ok(None) | Err(_) => break,
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

/// Prints the counters (a status line, or dumpcap's running count) and returns them.
fn report(args: &Args, capture: &mut LiveCapture, packets: u64) -> Stats {
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
fn watch_stdin(stop: Arc<AtomicBool>) -> Result<(), (u8, String)> {
    std::thread::Builder::new()
        .name("stdin-watch".into())
        .spawn(move || {
            let mut buf = [0u8; 64];
            let mut stdin = std::io::stdin().lock();
            while matches!(stdin.read(&mut buf), Ok(n) if n > 0) {}
            stop.store(true, Ordering::Relaxed);
        })
        .map(|_| ())
        .map_err(|e| (1, format!("cannot start the stdin watcher: {e}")))
}
