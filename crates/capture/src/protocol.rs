//! Running `synack-capture`, the helper that alone holds the capture rights (dumpcap's
//! role): finding it, starting it, its command line (one clap struct the helper parses
//! and its parents write), and the one-line status protocol it speaks on stderr to the
//! window and to `synack capture`, which only read what it writes.

use crate::live::Stats;
use std::ffi::OsString;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, Command, Stdio};
use std::sync::mpsc::Receiver;

/// The helper's file name.
pub const HELPER_NAME: &str = "synack-capture";
/// Environment variable naming the helper to run (tests, unusual installs).
pub const HELPER_ENV: &str = "SYNACK_CAPTURE";
/// Prefix of the helper's status lines on stderr (other lines are messages).
pub const STATUS_PREFIX: &str = "@synack-capture ";
/// Prefix of the helper's messages on stderr (`synack-capture: no permission ...`).
pub const MESSAGE_PREFIX: &str = "synack-capture: ";

/// A status line from the helper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// The device is open, the filter applied and the file header written.
    Ready {
        /// The device's link type.
        link_type: u16,
    },
    /// Counters so far.
    Stats(Stats),
}

impl Status {
    /// The line the helper prints for this status.
    pub fn line(&self) -> String {
        match self {
            Status::Ready { link_type } => format!("{STATUS_PREFIX}ready linktype={link_type}"),
            Status::Stats(s) => format!(
                "{STATUS_PREFIX}stats packets={} received={} dropped={} ifdropped={}",
                s.packets, s.received, s.dropped, s.if_dropped
            ),
        }
    }

    /// Reads a line the helper printed; `None` for a message line.
    pub fn parse(line: &str) -> Option<Status> {
        let rest = line.strip_prefix(STATUS_PREFIX)?;
        let mut words = rest.split_whitespace();
        let kind = words.next()?;
        let mut value = |key: &str| -> Option<u64> {
            let word = words.next()?;
            word.strip_prefix(key)?.strip_prefix('=')?.parse().ok()
        };
        match kind {
            "ready" => Some(Status::Ready {
                link_type: u16::try_from(value("linktype")?).ok()?,
            }),
            "stats" => Some(Status::Stats(Stats {
                packets: value("packets")?,
                received: value("received")?,
                dropped: value("dropped")?,
                if_dropped: value("ifdropped")?,
            })),
            _ => None,
        }
    }
}

/// A line the helper printed on stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// A status line.
    Status(Status),
    /// A message for the user, without the helper's `synack-capture: ` prefix.
    Message(String),
}

impl Line {
    /// Reads one line of the helper's stderr.
    pub fn parse(line: &str) -> Line {
        match Status::parse(line) {
            Some(status) => Line::Status(status),
            None => Line::Message(
                line.strip_prefix(MESSAGE_PREFIX)
                    .unwrap_or(line)
                    .to_string(),
            ),
        }
    }
}

/// The lines of the helper's stderr, until it closes (the helper exited) or a read
/// fails.
pub fn lines<R: BufRead>(stderr: R) -> impl Iterator<Item = Line> {
    stderr
        .lines()
        .map_while(Result::ok)
        .map(|line| Line::parse(&line))
}

/// Reads the helper's stderr on a thread of its own (a blocking read must not hold up
/// its parent's loop) and hands the lines over a bounded channel, which closes when
/// the helper exits.
pub fn read_lines(stderr: ChildStderr) -> std::io::Result<Receiver<Line>> {
    let (tx, rx) = std::sync::mpsc::sync_channel(256);
    std::thread::Builder::new()
        .name("synack-capture-status".into())
        .spawn(move || {
            for line in lines(std::io::BufReader::new(stderr)) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        })?;
    Ok(rx)
}

/// One of dumpcap's `-a` (stop) or `-b` (ring buffer) conditions, `KEY:NUM`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Condition {
    /// `duration:SECONDS`: stop (or switch files) after this many seconds.
    Duration(f64),
    /// `filesize:KB`: stop (or switch files) once the file holds this many kB (1000
    /// bytes, as dumpcap counts them).
    Filesize(u64),
    /// `files:N`: stop after N files (`-a`), or keep only the last N (`-b`).
    Files(u64),
    /// `packets:N`: stop after N packets (`-a`), or switch files after N (`-b`).
    Packets(u64),
}

impl Condition {
    /// The condition as dumpcap writes it.
    pub fn text(&self) -> String {
        match self {
            // `f64`'s `Display` is the shortest text that reads back to the same number.
            Condition::Duration(s) => format!("duration:{s}"),
            Condition::Filesize(kb) => format!("filesize:{kb}"),
            Condition::Files(n) => format!("files:{n}"),
            Condition::Packets(n) => format!("packets:{n}"),
        }
    }
}

/// A `-a` or `-b` condition that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConditionError {
    /// Not one of dumpcap's keys.
    #[error(
        "Invalid or unknown -{flag} flag \"{key}\": use duration:SECONDS, filesize:KB, files:N or packets:N"
    )]
    Unknown {
        /// `a` or `b`.
        flag: char,
        /// The key as written.
        key: String,
    },
    /// The number is not a positive number.
    #[error("'{number}' in '{text}' is not a number greater than 0")]
    Number {
        /// The number as written.
        number: String,
        /// The whole condition.
        text: String,
    },
}

fn parse_condition(flag: char, text: &str) -> Result<Condition, ConditionError> {
    let (key, number) = text.split_once(':').unwrap_or((text, ""));
    let bad = || ConditionError::Number {
        number: number.to_string(),
        text: text.to_string(),
    };
    let count = || match number.parse::<u64>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(bad()),
    };
    match key {
        "duration" => match number.parse::<f64>() {
            Ok(s) if s.is_finite() && s > 0.0 => Ok(Condition::Duration(s)),
            _ => Err(bad()),
        },
        "filesize" => count().map(Condition::Filesize),
        "files" => count().map(Condition::Files),
        "packets" => count().map(Condition::Packets),
        _ => Err(ConditionError::Unknown {
            flag,
            key: key.to_string(),
        }),
    }
}

/// Reads one of dumpcap's autostop conditions (`-a duration:5`).
pub fn parse_autostop(text: &str) -> Result<Condition, ConditionError> {
    parse_condition('a', text)
}

/// Reads one of dumpcap's ring-buffer conditions (`-b filesize:1000`).
pub fn parse_ring(text: &str) -> Result<Condition, ConditionError> {
    parse_condition('b', text)
}

/// When a capture stops and when it moves to its next file: the `-c`, `-a` and `-b`
/// conditions read together.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Limits {
    /// Stop after this many seconds.
    pub duration_secs: Option<f64>,
    /// Stop once a file holds this many kB.
    pub filesize_kb: Option<u64>,
    /// Stop after this many files.
    pub files: Option<u64>,
    /// Stop after this many packets (`-c` or `-a packets:`, the smaller).
    pub packets: Option<u64>,
    /// Next file after this many seconds.
    pub ring_duration_secs: Option<f64>,
    /// Next file once this one holds this many kB.
    pub ring_filesize_kb: Option<u64>,
    /// Next file after this many packets in this one.
    pub ring_packets: Option<u64>,
    /// Keep only the last this many files.
    pub ring_files: Option<u64>,
}

impl Limits {
    /// Whether the capture switches files at all (a ring buffer, or dumpcap's
    /// "multiple files" when `files:` is absent).
    pub fn switches_files(&self) -> bool {
        self.ring_duration_secs.is_some()
            || self.ring_filesize_kb.is_some()
            || self.ring_packets.is_some()
    }
}

/// A request dumpcap would refuse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// `-b` with the capture going to standard output.
    #[error("Ring buffer requested, but capture isn't being saved to a permanent file.")]
    RingToStdout,
    /// `-b files:N` alone.
    #[error(
        "Ring buffer requested, but no maximum capture file size, duration interval, or packets were specified."
    )]
    RingWithoutSwitch,
    /// `-B 0`.
    #[error("The specified buffer size is zero")]
    ZeroBuffer,
}

/// The helper could not be found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "cannot find {HELPER_NAME}, the program that captures for synack: it is not beside \
     synack ({}) nor on PATH. Install the synack package, or build it with `cargo build` \
     (it is crates/capture), or name it in {HELPER_ENV}",
    beside.display()
)]
pub struct LocateError {
    /// The folder of the running program, where it was looked for first.
    pub beside: PathBuf,
}

/// Where the helper is: `explicit`, else `$SYNACK_CAPTURE`, else beside the running
/// program (an installed package, or `target/debug` after `cargo build`), else on
/// `PATH`.
pub fn locate(explicit: Option<&Path>) -> Result<PathBuf, LocateError> {
    if let Some(path) = explicit {
        return Ok(path.to_path_buf());
    }
    if let Some(path) = std::env::var_os(HELPER_ENV) {
        return Ok(PathBuf::from(path));
    }
    let dir = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf));
    if let Some(path) = dir.as_ref().map(|d| d.join(HELPER_NAME))
        && path.exists()
    {
        return Ok(path);
    }
    if let Some(path) = std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join(HELPER_NAME))
        .find(|p| p.exists())
    {
        return Ok(path);
    }
    Err(LocateError {
        beside: dir.unwrap_or_default(),
    })
}

/// What to capture: the flags (dumpcap's letters) that `synack capture` takes and
/// passes on to the helper, which parses the same struct. [`Request::to_args`]
/// writes them back, so the two sides cannot drift apart.
#[derive(Debug, Clone, PartialEq, clap::Args)]
pub struct Request {
    /// Device to capture on (`synack interfaces` lists them); repeat it to capture on
    /// several at once into one pcapng file.
    #[arg(short = 'i', value_name = "INTERFACE", required = true)]
    pub devices: Vec<String>,
    /// Capture filter in BPF syntax, e.g. "tcp port 80".
    #[arg(short = 'f', default_value = "")]
    pub filter: String,
    /// Stop after this many packets.
    #[arg(short = 'c')]
    pub count: Option<u64>,
    /// Stop condition: duration:SECONDS, filesize:KB, files:N or packets:N (repeatable).
    #[arg(short = 'a', value_name = "CONDITION", value_parser = parse_autostop)]
    pub autostop: Vec<Condition>,
    /// Ring buffer: next file after duration:SECONDS, filesize:KB or packets:N; keep
    /// the last files:N (repeatable).
    #[arg(short = 'b', value_name = "CONDITION", value_parser = parse_ring)]
    pub ring: Vec<Condition>,
    /// Bytes kept of each packet (default: whole packets).
    #[arg(short = 's')]
    pub snaplen: Option<u32>,
    /// Size of the kernel's capture buffer in MiB (dumpcap's default: 2).
    #[arg(short = 'B', value_name = "MiB")]
    pub buffer_mib: Option<u32>,
    /// Do not put the device into promiscuous mode.
    #[arg(short = 'p')]
    pub no_promiscuous: bool,
    /// pcapng file to write, or - for standard output (with a ring buffer, the first
    /// of files named NAME_00001_YYYYmmddHHMMSS.EXT).
    #[arg(short = 'w')]
    pub output: PathBuf,
}

/// dumpcap's kernel buffer when `-B` is not given.
pub const DEFAULT_BUFFER_MIB: u32 = 2;

impl Request {
    /// The command-line arguments that ask for this (what clap parses back into it).
    pub fn to_args(&self) -> Vec<OsString> {
        let mut args: Vec<OsString> = Vec::new();
        for device in &self.devices {
            args.extend(["-i".into(), device.clone().into()]);
        }
        if !self.filter.trim().is_empty() {
            args.extend(["-f".into(), self.filter.clone().into()]);
        }
        if let Some(count) = self.count {
            args.extend(["-c".into(), count.to_string().into()]);
        }
        for condition in &self.autostop {
            args.extend(["-a".into(), condition.text().into()]);
        }
        for condition in &self.ring {
            args.extend(["-b".into(), condition.text().into()]);
        }
        if let Some(snaplen) = self.snaplen {
            args.extend(["-s".into(), snaplen.to_string().into()]);
        }
        if let Some(mib) = self.buffer_mib {
            args.extend(["-B".into(), mib.to_string().into()]);
        }
        if self.no_promiscuous {
            args.push("-p".into());
        }
        args.extend(["-w".into(), self.output.clone().into()]);
        args
    }

    /// Whether the file goes to standard output (`-w -`).
    pub fn to_stdout(&self) -> bool {
        self.output.as_os_str() == "-"
    }

    /// The stop and file-switch conditions, checked as dumpcap checks them.
    pub fn limits(&self) -> Result<Limits, RequestError> {
        let mut limits = Limits {
            packets: self.count,
            ..Limits::default()
        };
        for condition in &self.autostop {
            match *condition {
                Condition::Duration(s) => limits.duration_secs = Some(s),
                Condition::Filesize(kb) => limits.filesize_kb = Some(kb),
                Condition::Files(n) => limits.files = Some(n),
                Condition::Packets(n) => {
                    limits.packets = Some(limits.packets.map_or(n, |c| c.min(n)));
                }
            }
        }
        for condition in &self.ring {
            match *condition {
                Condition::Duration(s) => limits.ring_duration_secs = Some(s),
                Condition::Filesize(kb) => limits.ring_filesize_kb = Some(kb),
                Condition::Files(n) => limits.ring_files = Some(n),
                Condition::Packets(n) => limits.ring_packets = Some(n),
            }
        }
        if self.buffer_mib == Some(0) {
            return Err(RequestError::ZeroBuffer);
        }
        if !self.ring.is_empty() {
            if self.to_stdout() {
                return Err(RequestError::RingToStdout);
            }
            if !limits.switches_files() {
                return Err(RequestError::RingWithoutSwitch);
            }
        }
        Ok(limits)
    }

    /// The devices as a message names them: `'lo'` or `'lo', 'eth0'`.
    pub fn devices_text(&self) -> String {
        self.devices
            .iter()
            .map(|d| format!("'{d}'"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The helper's whole command line: a [`Request`] and how to talk to its parent.
#[derive(Debug, Clone, PartialEq, clap::Args)]
pub struct HelperArgs {
    /// What to capture.
    #[command(flatten)]
    pub request: Request,
    /// Print status lines for a parent process on stderr.
    #[arg(long)]
    pub status: bool,
    /// Stop when stdin closes (the parent asked to stop, or died).
    #[arg(long)]
    pub stop_on_stdin_eof: bool,
}

impl HelperArgs {
    /// The command-line arguments that ask for this.
    pub fn to_args(&self) -> Vec<OsString> {
        let mut args = self.request.to_args();
        if self.status {
            args.push("--status".into());
        }
        if self.stop_on_stdin_eof {
            args.push("--stop-on-stdin-eof".into());
        }
        args
    }
}

/// Why the helper could not be started.
#[derive(Debug, thiserror::Error)]
pub enum SpawnError {
    /// The user may not run it.
    #[error(
        "cannot run {}: permission denied. It may only be run by members of the synack \
         group, because it holds the capture rights (CAP_NET_RAW, CAP_NET_ADMIN). To fix \
         it: sudo usermod -aG synack $USER, then log out and in again",
        program.display()
    )]
    Permission {
        /// The helper.
        program: PathBuf,
    },
    /// It is not there.
    #[error(
        "cannot run {}: no such file. Install the synack package, or build it with \
         `cargo build`, or name it in {HELPER_ENV}",
        program.display()
    )]
    NotFound {
        /// The helper.
        program: PathBuf,
    },
    /// Anything else the system reported.
    #[error("cannot run {}: {source}", program.display())]
    Other {
        /// The helper.
        program: PathBuf,
        /// The system's error.
        source: std::io::Error,
    },
}

/// What the parent of the helper says when it has ended: `None` after a clean end,
/// else the helper's own messages or, when it could not speak (killed, crashed), what
/// ended it. Either way the file keeps every packet written before the end.
pub fn ending(status: &std::process::ExitStatus, messages: &[String]) -> Option<String> {
    use std::os::unix::process::ExitStatusExt;
    if status.success() {
        return None;
    }
    if let Some(signal) = status.signal() {
        let name = match signal {
            2 => " (SIGINT)",
            6 => " (SIGABRT)",
            9 => " (SIGKILL)",
            11 => " (SIGSEGV)",
            15 => " (SIGTERM)",
            _ => "",
        };
        return Some(format!(
            "the capture helper {HELPER_NAME} was killed by signal {signal}{name}: the capture \
             stopped, and the file keeps every packet written before"
        ));
    }
    if messages.is_empty() {
        let code = status.code().unwrap_or(1);
        return Some(format!(
            "the capture helper {HELPER_NAME} ended with exit status {code}"
        ));
    }
    Some(messages.join("\n"))
}

/// Starts the helper at `program` for `request`. Its stdin is a pipe: closing it asks
/// the helper to stop (and a parent that dies closes it too, so the file is always
/// finished); status lines and messages come on its stderr ([`read_lines`]). Its
/// stdout is this process's when the file goes there (`-w -`).
pub fn spawn(program: &Path, request: &Request) -> Result<Child, SpawnError> {
    let args = HelperArgs {
        request: request.clone(),
        status: true,
        stop_on_stdin_eof: true,
    };
    Command::new(program)
        .args(args.to_args())
        .stdin(Stdio::piped())
        .stdout(if request.to_stdout() {
            Stdio::inherit()
        } else {
            Stdio::null()
        })
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| {
            let program = program.to_path_buf();
            match source.kind() {
                std::io::ErrorKind::PermissionDenied => SpawnError::Permission { program },
                std::io::ErrorKind::NotFound => SpawnError::NotFound { program },
                _ => SpawnError::Other { program, source },
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_lines_round_trip() {
        let stats = Status::Stats(Stats {
            packets: 5,
            received: 7,
            dropped: 1,
            if_dropped: 2,
        });
        assert_eq!(Status::parse(&stats.line()), Some(stats));
        let ready = Status::Ready { link_type: 1 };
        assert_eq!(Status::parse(&ready.line()), Some(ready));
        assert_eq!(Status::parse("synack-capture: no permission"), None);
        assert_eq!(Status::parse("@synack-capture stats packets=x"), None);
    }

    #[test]
    fn messages_lose_the_helpers_name() {
        let text = "@synack-capture ready linktype=1\nsynack-capture: no permission\nplain\n";
        let read: Vec<Line> = lines(text.as_bytes()).collect();
        assert_eq!(
            read,
            vec![
                Line::Status(Status::Ready { link_type: 1 }),
                Line::Message("no permission".into()),
                Line::Message("plain".into()),
            ]
        );
    }

    /// The helper's parser, as its `main` builds it.
    #[derive(Debug, clap::Parser)]
    struct Helper {
        #[command(flatten)]
        args: HelperArgs,
    }

    #[test]
    fn the_helper_parses_what_its_parent_writes() {
        use clap::Parser;
        let full = HelperArgs {
            request: Request {
                devices: vec!["lo".into(), "eth0".into()],
                filter: "tcp port 80".into(),
                count: Some(7),
                autostop: vec![Condition::Duration(0.1 + 0.2), Condition::Filesize(10)],
                ring: vec![Condition::Packets(5), Condition::Files(3)],
                snaplen: Some(96),
                buffer_mib: Some(8),
                no_promiscuous: true,
                output: "/tmp/a b.pcapng".into(),
            },
            status: true,
            stop_on_stdin_eof: true,
        };
        let bare = HelperArgs {
            request: Request {
                devices: vec!["eth0".into()],
                filter: String::new(),
                count: None,
                autostop: Vec::new(),
                ring: Vec::new(),
                snaplen: None,
                buffer_mib: None,
                no_promiscuous: false,
                output: "-".into(),
            },
            status: false,
            stop_on_stdin_eof: false,
        };
        for args in [full, bare] {
            let argv = std::iter::once(OsString::from(HELPER_NAME)).chain(args.to_args());
            assert_eq!(Helper::try_parse_from(argv).unwrap().args, args);
        }
        let bad = Helper::try_parse_from([HELPER_NAME, "-i", "lo", "-w", "x", "-a", "size:2"]);
        assert!(
            bad.unwrap_err()
                .to_string()
                .contains("Invalid or unknown -a flag \"size\"")
        );
    }

    #[test]
    fn conditions_read_as_dumpcaps() {
        assert_eq!(parse_autostop("duration:2.5"), Ok(Condition::Duration(2.5)));
        assert_eq!(parse_ring("filesize:10"), Ok(Condition::Filesize(10)));
        assert_eq!(parse_autostop("packets:3"), Ok(Condition::Packets(3)));
        assert!(parse_autostop("duration:-1").is_err());
        assert!(parse_autostop("duration:NaN").is_err());
        assert!(parse_ring("files:0").is_err());
        assert!(parse_ring("interval").is_err());
    }

    #[test]
    fn limits_refuse_what_dumpcap_refuses() {
        use clap::Parser;
        let parse = |extra: &[&str]| {
            let argv = [HELPER_NAME, "-i", "lo", "-w", "out.pcapng"]
                .into_iter()
                .chain(extra.iter().copied());
            Helper::try_parse_from(argv).unwrap().args.request.limits()
        };
        assert_eq!(
            parse(&["-b", "files:3"]),
            Err(RequestError::RingWithoutSwitch)
        );
        assert_eq!(parse(&["-B", "0"]), Err(RequestError::ZeroBuffer));
        let limits = parse(&["-c", "9", "-a", "packets:5", "-b", "filesize:2"]).unwrap();
        assert_eq!(limits.packets, Some(5));
        assert_eq!(limits.ring_filesize_kb, Some(2));
        assert!(limits.switches_files());
    }
}
