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

/// A stop condition the helper does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AutostopError {
    /// Not `duration:...` (dumpcap's `filesize:` and `files:` are not supported).
    #[error("unknown autostop condition '{0}': use duration:SECONDS")]
    Unknown(String),
    /// The duration is not a positive number.
    #[error("'{seconds}' in '{text}' is not a number of seconds greater than 0")]
    Seconds {
        /// The number as written.
        seconds: String,
        /// The whole condition.
        text: String,
    },
}

/// Reads dumpcap's autostop condition `duration:SECONDS` into seconds.
pub fn parse_autostop(text: &str) -> Result<f64, AutostopError> {
    let seconds = text
        .strip_prefix("duration:")
        .ok_or_else(|| AutostopError::Unknown(text.to_string()))?;
    match seconds.parse::<f64>() {
        Ok(s) if s.is_finite() && s > 0.0 => Ok(s),
        _ => Err(AutostopError::Seconds {
            seconds: seconds.to_string(),
            text: text.to_string(),
        }),
    }
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
    /// Device to capture on (`synack interfaces` lists them).
    #[arg(short = 'i', value_name = "INTERFACE")]
    pub device: String,
    /// Capture filter in BPF syntax, e.g. "tcp port 80".
    #[arg(short = 'f', default_value = "")]
    pub filter: String,
    /// Stop after this many packets.
    #[arg(short = 'c')]
    pub count: Option<u64>,
    /// Stop condition: duration:SECONDS.
    #[arg(short = 'a', value_name = "duration:SECONDS", value_parser = parse_autostop)]
    pub duration_secs: Option<f64>,
    /// Bytes kept of each packet (default: whole packets).
    #[arg(short = 's')]
    pub snaplen: Option<u32>,
    /// pcapng file to write, or - for standard output.
    #[arg(short = 'w')]
    pub output: PathBuf,
}

impl Request {
    /// The command-line arguments that ask for this (what clap parses back into it).
    pub fn to_args(&self) -> Vec<OsString> {
        let mut args: Vec<OsString> = vec!["-i".into(), self.device.clone().into()];
        if !self.filter.trim().is_empty() {
            args.extend(["-f".into(), self.filter.clone().into()]);
        }
        if let Some(count) = self.count {
            args.extend(["-c".into(), count.to_string().into()]);
        }
        if let Some(secs) = self.duration_secs {
            // `f64`'s `Display` is the shortest text that reads back to the same number.
            args.extend(["-a".into(), format!("duration:{secs}").into()]);
        }
        if let Some(snaplen) = self.snaplen {
            args.extend(["-s".into(), snaplen.to_string().into()]);
        }
        args.extend(["-w".into(), self.output.clone().into()]);
        args
    }

    /// Whether the file goes to standard output (`-w -`).
    pub fn to_stdout(&self) -> bool {
        self.output.as_os_str() == "-"
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
                device: "lo".into(),
                filter: "tcp port 80".into(),
                count: Some(7),
                duration_secs: Some(0.1 + 0.2),
                snaplen: Some(96),
                output: "/tmp/a b.pcapng".into(),
            },
            status: true,
            stop_on_stdin_eof: true,
        };
        let bare = HelperArgs {
            request: Request {
                device: "eth0".into(),
                filter: String::new(),
                count: None,
                duration_secs: None,
                snaplen: None,
                output: "-".into(),
            },
            status: false,
            stop_on_stdin_eof: false,
        };
        for args in [full, bare] {
            let argv = std::iter::once(OsString::from(HELPER_NAME)).chain(args.to_args());
            assert_eq!(Helper::try_parse_from(argv).unwrap().args, args);
        }
        let bad = Helper::try_parse_from([HELPER_NAME, "-i", "lo", "-w", "x", "-a", "files:2"]);
        assert!(
            bad.unwrap_err()
                .to_string()
                .contains("use duration:SECONDS")
        );
    }

    #[test]
    fn autostop_takes_seconds() {
        assert_eq!(parse_autostop("duration:2.5"), Ok(2.5));
        assert!(parse_autostop("filesize:10").is_err());
        assert!(parse_autostop("duration:-1").is_err());
        assert!(parse_autostop("duration:NaN").is_err());
    }
}
