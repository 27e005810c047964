//! `synack-capture`: the small program that captures for synack, as dumpcap does for
//! Wireshark. It alone holds CAP_NET_RAW and CAP_NET_ADMIN, so it does as little as
//! it can: open its devices, apply the BPF filter, open its output, give up every
//! capability (as dumpcap does), and only then read packets and write pcapng to a file
//! (or a ring of files) or to stdout. It never dissects a byte. `synack capture` and
//! the window start it.
//!
//! Exit status: 0 done, 1 other failure (the disk full, a device gone: the file keeps
//! every packet written before), 2 bad arguments, 3 no permission, 4 no such device,
//! 5 bad capture filter. Messages go to stderr; with `--status`, also the status lines
//! its parent reads (`synack_capture::protocol::Status`).

#![allow(clippy::print_stderr)]

use clap::Parser;
use std::collections::VecDeque;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use synack_capture::live::{self, LiveCapture, LiveError, Stats};
use synack_capture::pcapng_stream::{LiveInterface, PcapNgStream};
use synack_capture::privileges::{self, PrivilegeError};
use synack_capture::protocol::{DEFAULT_BUFFER_MIB, HelperArgs, Limits, RequestError, Status};

/// How often written packets are pushed to the file (a reader following it sees them
/// within this time) and status lines are printed.
const FLUSH_EVERY: Duration = Duration::from_millis(100);
/// Gathered bytes that are written at once, whatever the time.
const FLUSH_BYTES: usize = 256 * 1024;
/// Packets read from one device before the next device's turn.
const BATCH: usize = 64;
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
    /// A device failed during the capture (it went down or disappeared).
    #[error("{source}. The capture stopped; {} keeps the {kept} packets captured before", path.display())]
    Ended {
        /// What libpcap said.
        source: LiveError,
        /// The output.
        path: PathBuf,
        /// Packets the output keeps.
        kept: u64,
    },
    /// The request asks for what dumpcap refuses.
    #[error(transparent)]
    Request(#[from] RequestError),
    /// The output could not be written; it keeps the packets written before.
    #[error("{}", write_message(path, source, *kept))]
    Write {
        /// The output.
        path: PathBuf,
        /// The system's error.
        source: std::io::Error,
        /// Packets the output keeps, in whole blocks.
        kept: u64,
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
            Failure::Request(_) => 2,
            Failure::Privileges(_)
            | Failure::Ended { .. }
            | Failure::Write { .. }
            | Failure::Create { .. }
            | Failure::Setup { .. } => 1,
        }
    }
}

/// What a failed write says: a full disk in words, and what the file keeps.
fn write_message(path: &Path, source: &std::io::Error, kept: u64) -> String {
    let what = match source.kind() {
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => {
            "the disk is full".to_string()
        }
        _ => source.to_string(),
    };
    format!(
        "cannot write {}: {what}. The capture stopped; the file keeps the {kept} packets written before",
        path.display()
    )
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

/// The output: standard output, or a file (the one of `-w`, or the current one of a
/// ring buffer), which can be cut back to its last whole block after a failed write.
enum Sink {
    Stdout(std::io::StdoutLock<'static>),
    File(std::fs::File),
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Sink::Stdout(out) => out.write(buf),
            Sink::File(file) => file.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Stdout(out) => out.flush(),
            Sink::File(file) => file.flush(),
        }
    }
}

/// The files a capture writes: one, or a ring buffer's numbered series named as
/// dumpcap names them (`NAME_00001_20261206023000.pcapng`), the oldest deleted when
/// `files:N` says how many to keep.
struct Files {
    base: PathBuf,
    ring: bool,
    keep: Option<u64>,
    number: u64,
    current: PathBuf,
    written: VecDeque<PathBuf>,
    started: Instant,
    packets: u64,
}

impl Files {
    /// The name of file `number` of a ring buffer on `base`, opened at `now`.
    fn ring_name(base: &Path, number: u64, now: chrono::DateTime<chrono::Local>) -> PathBuf {
        let stem = base
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let ext = base
            .extension()
            .map(|e| format!(".{}", e.to_string_lossy()))
            .unwrap_or_default();
        base.with_file_name(format!(
            "{stem}_{number:05}_{}{ext}",
            now.format("%Y%m%d%H%M%S")
        ))
    }

    fn next_path(&mut self) -> PathBuf {
        self.number += 1;
        if self.ring {
            Self::ring_name(&self.base, self.number, chrono::Local::now())
        } else {
            self.base.clone()
        }
    }

    /// Opens the next file (the first: `-w`'s, which the window may have created).
    fn open(&mut self) -> Result<Sink, Failure> {
        let path = self.next_path();
        let file = std::fs::File::create(&path).map_err(|source| Failure::Create {
            path: path.clone(),
            source,
        })?;
        self.current = path.clone();
        self.written.push_back(path);
        self.started = Instant::now();
        self.packets = 0;
        if let Some(keep) = self.keep.and_then(|k| usize::try_from(k).ok()) {
            while self.written.len() > keep {
                if let Some(old) = self.written.pop_front() {
                    // A file that is already gone needs no deleting.
                    std::fs::remove_file(&old).ok();
                }
            }
        }
        Ok(Sink::File(file))
    }

    /// Whether the current file is full by the ring buffer's conditions.
    fn full(&self, limits: &Limits, bytes: u64) -> bool {
        self.ring
            && (limits
                .ring_filesize_kb
                .is_some_and(|kb| bytes >= kb.saturating_mul(1000))
                || limits.ring_packets.is_some_and(|n| self.packets >= n)
                || limits
                    .ring_duration_secs
                    .is_some_and(|s| self.started.elapsed().as_secs_f64() >= s))
    }
}

/// The microseconds since the epoch now.
fn now_micros() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_micros()).unwrap_or(u64::MAX))
}

/// Writes what `stream` gathered; on a failure cuts the file back to its last whole
/// block, so that it stays readable, and says how many packets it keeps.
fn flush(stream: &mut PcapNgStream<Sink>, path: &Path, before: u64) -> Result<(), Failure> {
    match stream.flush() {
        Ok(()) => Ok(()),
        Err(source) => {
            let committed = stream.committed();
            if let Sink::File(file) = stream.get_mut() {
                // Best effort: the message below says what the file holds either way.
                file.set_len(committed.bytes).ok();
            }
            Err(Failure::Write {
                path: path.to_path_buf(),
                source,
                kept: before.saturating_add(committed.packets),
            })
        }
    }
}

fn run(args: &HelperArgs) -> Result<(), Failure> {
    let request = &args.request;
    let limits = request.limits()?;
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, stop.clone()).map_err(|source| Failure::Setup {
            what: "watch for Ctrl-C",
            source,
        })?;
    }
    let mut captures = Vec::with_capacity(request.devices.len());
    for device in &request.devices {
        let config = live::Config {
            device: device.clone(),
            filter: request.filter.clone(),
            snaplen: request.snaplen.unwrap_or(live::DEFAULT_SNAPLEN),
            buffer_mib: request.buffer_mib.unwrap_or(DEFAULT_BUFFER_MIB),
            promiscuous: !request.no_promiscuous,
        };
        captures.push(LiveCapture::open(&config)?);
    }
    let mut files = Files {
        base: request.output.clone(),
        ring: limits.switches_files(),
        keep: limits.ring_files,
        number: 0,
        current: request.output.clone(),
        written: VecDeque::new(),
        started: Instant::now(),
        packets: 0,
    };
    let sink = if request.to_stdout() {
        Sink::Stdout(std::io::stdout().lock())
    } else {
        files.open()?
    };
    // The devices are open, their filter set and the output file open: nothing left
    // needs a capability, so none is kept while packets are read. The file is opened
    // first because root without CAP_DAC_OVERRIDE may not write a file another user
    // owns (the window creates it before starting the helper); a ring buffer's later
    // files are created by this process in a folder the user chose.
    privileges::drop_all()?;
    // Only now: capabilities are per thread, and a thread started earlier would keep them.
    if args.stop_on_stdin_eof {
        watch_stdin(stop.clone())?;
    }
    let ifaces: Vec<LiveInterface> = captures
        .iter()
        .map(|c| LiveInterface {
            name: c.device().to_string(),
            link_type: c.link_type(),
            snaplen: c.snaplen(),
            filter: request.filter.clone(),
        })
        .collect();
    let mut stream = PcapNgStream::new(sink, &ifaces);
    flush(&mut stream, &files.current, 0)?;
    if args.status {
        eprintln!(
            "{}",
            Status::Ready {
                link_type: captures.first().map_or(0, LiveCapture::link_type)
            }
            .line()
        );
    } else {
        eprintln!("Capturing on {}", request.devices_text());
    }
    if !request.to_stdout() {
        eprintln!("File: {}", files.current.display());
    }
    let started = Instant::now();
    let mut packets = 0u64;
    let mut last_flush = Instant::now();
    let mut last_status = Instant::now();
    let mut failure = None;
    // Packets in the files before the current one (for what a failed write keeps).
    let mut before = 0u64;
    'capture: loop {
        let stop_now = stop.load(Ordering::Relaxed)
            || limits
                .duration_secs
                .is_some_and(|s| started.elapsed().as_secs_f64() >= s);
        if stop_now {
            break;
        }
        let mut got = 0usize;
        for (iface, capture) in captures.iter_mut().enumerate() {
            for _ in 0..BATCH {
                match copy_packet(capture, iface, &mut stream) {
                    Ok(true) => {
                        got += 1;
                        packets += 1;
                        files.packets += 1;
                    }
                    Ok(false) => break,
                    Err(e) => {
                        // The device went away: keep what was captured and say why.
                        failure = Some(e);
                        break 'capture;
                    }
                }
                if limits.packets.is_some_and(|n| packets >= n) {
                    break 'capture;
                }
                if limits
                    .filesize_kb
                    .is_some_and(|kb| stream.len() >= kb.saturating_mul(1000))
                {
                    break 'capture;
                }
                if files.full(&limits, stream.len()) {
                    flush(&mut stream, &files.current, before)?;
                    before = packets;
                    if limits.files.is_some_and(|n| files.number >= n) {
                        break 'capture;
                    }
                    let sink = files.open()?;
                    stream = PcapNgStream::new(sink, &ifaces);
                    eprintln!("File: {}", files.current.display());
                }
            }
        }
        if stream.pending_len() >= FLUSH_BYTES || last_flush.elapsed() >= FLUSH_EVERY {
            flush(&mut stream, &files.current, before)?;
            last_flush = Instant::now();
        }
        if last_status.elapsed() >= STATUS_EVERY {
            report(args, &mut captures, packets);
            last_status = Instant::now();
        }
        if got == 0 {
            live::wait_for_packets(&captures);
        }
    }
    let limit_reached = limits.packets.is_some_and(|n| packets >= n)
        || limits
            .filesize_kb
            .is_some_and(|kb| stream.len() >= kb.saturating_mul(1000));
    if failure.is_none() && !limit_reached {
        // Packets the kernel already holds belong to the capture the user stopped.
        for (iface, capture) in captures.iter_mut().enumerate() {
            for _ in 0..capture.drain_limit() {
                match copy_packet(capture, iface, &mut stream) {
                    Ok(true) => packets += 1,
                    Ok(false) | Err(_) => break,
                }
                if stream.pending_len() >= FLUSH_BYTES {
                    flush(&mut stream, &files.current, before)?;
                }
            }
        }
    }
    let stats = report(args, &mut captures, packets);
    if !files.ring {
        // dumpcap ends a single file with each interface's counters (a ring buffer's
        // files have none).
        let now = now_micros();
        for (iface, capture) in captures.iter_mut().enumerate() {
            let s = capture.stats().unwrap_or_default();
            let id = u32::try_from(iface).unwrap_or(u32::MAX);
            stream.statistics(id, now, s.received, s.dropped, s.if_dropped);
        }
    }
    flush(&mut stream, &files.current, before)?;
    if !args.status {
        eprintln!(
            "\rPackets captured: {packets} (received {}, dropped by the kernel {}, by the interface {})",
            stats.received, stats.dropped, stats.if_dropped
        );
    }
    match failure {
        Some(source) => Err(Failure::Ended {
            source,
            path: files.current.clone(),
            kept: stream.committed().packets,
        }),
        None => Ok(()),
    }
}

/// Copies the next packet of `capture`, if one is waiting, into the file as
/// interface `iface`'s; `false` when none was.
fn copy_packet(
    capture: &mut LiveCapture,
    iface: usize,
    stream: &mut PcapNgStream<Sink>,
) -> Result<bool, LiveError> {
    let Some(packet) = capture.next_packet()? else {
        return Ok(false);
    };
    let id = u32::try_from(iface).unwrap_or(u32::MAX);
    stream.packet(id, packet.ts_micros, packet.orig_len, packet.data);
    Ok(true)
}

/// Prints the counters of every device summed (a status line, or dumpcap's running
/// count) and returns them.
fn report(args: &HelperArgs, captures: &mut [LiveCapture], packets: u64) -> Stats {
    let mut stats = Stats {
        packets,
        ..Stats::default()
    };
    for capture in captures {
        let s = capture.stats().unwrap_or_default();
        stats.received = stats.received.saturating_add(s.received);
        stats.dropped = stats.dropped.saturating_add(s.dropped);
        stats.if_dropped = stats.if_dropped.saturating_add(s.if_dropped);
    }
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
