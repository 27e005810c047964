//! Running `synack-capture`, the helper that alone holds the capture rights (dumpcap's
//! role): finding it, starting it, and the one-line status protocol it speaks on
//! stderr to the window and to `synack capture`, which only read what it writes.

use crate::live::Stats;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The helper's file name.
pub const HELPER_NAME: &str = "synack-capture";
/// Environment variable naming the helper to run (tests, unusual installs).
pub const HELPER_ENV: &str = "SYNACK_CAPTURE";
/// Prefix of the helper's status lines on stderr (other lines are messages).
pub const STATUS_PREFIX: &str = "@synack-capture ";

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

/// Reads dumpcap's autostop condition `duration:SECONDS` into seconds.
pub fn parse_autostop(text: &str) -> Result<f64, String> {
    let seconds = text
        .strip_prefix("duration:")
        .ok_or_else(|| format!("unknown autostop condition '{text}': use duration:SECONDS"))?;
    match seconds.parse::<f64>() {
        Ok(s) if s.is_finite() && s > 0.0 => Ok(s),
        _ => Err(format!(
            "'{seconds}' in '{text}' is not a number of seconds greater than 0"
        )),
    }
}

/// Where the helper is: `$SYNACK_CAPTURE`, else beside the running program (an
/// installed package, or `target/debug` after `cargo build`), else on `PATH`.
pub fn locate(explicit: Option<&Path>) -> Result<PathBuf, String> {
    if let Some(path) = explicit {
        return Ok(path.to_path_buf());
    }
    if let Some(path) = std::env::var_os(HELPER_ENV) {
        return Ok(PathBuf::from(path));
    }
    let beside = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(HELPER_NAME)));
    if let Some(path) = &beside
        && path.exists()
    {
        return Ok(path.clone());
    }
    if let Some(path) = std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join(HELPER_NAME))
        .find(|p| p.exists())
    {
        return Ok(path);
    }
    Err(format!(
        "cannot find {HELPER_NAME}, the program that captures for synack: it is not beside \
         synack ({}) nor on PATH. Install the synack package, or build it with `cargo build` \
         (it is crates/capture), or name it in {HELPER_ENV}",
        beside
            .as_deref()
            .and_then(Path::parent)
            .map(|d| d.display().to_string())
            .unwrap_or_default()
    ))
}

/// What to ask the helper for.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// Device name.
    pub device: String,
    /// BPF capture filter (empty: everything).
    pub filter: String,
    /// Stop after this many packets.
    pub count: Option<u64>,
    /// Stop after this many seconds.
    pub duration_secs: Option<f64>,
    /// Snapshot length.
    pub snaplen: Option<u32>,
    /// The pcapng file to write.
    pub output: PathBuf,
}

/// Starts the helper at `program` for `request`. Its stdin is a pipe: closing it asks
/// the helper to stop (and a parent that dies closes it too, so the file is always
/// finished); status lines and messages come on its stderr.
pub fn spawn(program: &Path, request: &Request) -> Result<Child, String> {
    let mut command = Command::new(program);
    command
        .arg("-i")
        .arg(&request.device)
        .arg("-w")
        .arg(&request.output)
        .arg("--status")
        .arg("--stop-on-stdin-eof");
    if !request.filter.trim().is_empty() {
        command.arg("-f").arg(&request.filter);
    }
    if let Some(count) = request.count {
        command.arg("-c").arg(count.to_string());
    }
    if let Some(secs) = request.duration_secs {
        command.arg("-a").arg(format!("duration:{secs}"));
    }
    if let Some(snaplen) = request.snaplen {
        command.arg("-s").arg(snaplen.to_string());
    }
    command
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| spawn_error(program, &e))
}

/// Explains why the helper could not be started.
fn spawn_error(program: &Path, error: &std::io::Error) -> String {
    let path = program.display();
    match error.kind() {
        std::io::ErrorKind::PermissionDenied => format!(
            "cannot run {path}: permission denied. It may only be run by members of the synack \
             group, because it holds the capture rights (CAP_NET_RAW, CAP_NET_ADMIN). To fix \
             it: sudo usermod -aG synack $USER, then log out and in again"
        ),
        std::io::ErrorKind::NotFound => format!(
            "cannot run {path}: no such file. Install the synack package, or build it with \
             `cargo build`, or name it in {HELPER_ENV}"
        ),
        _ => format!("cannot run {path}: {error}"),
    }
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
    fn autostop_takes_seconds() {
        assert_eq!(parse_autostop("duration:2.5"), Ok(2.5));
        assert!(parse_autostop("filesize:10").is_err());
        assert!(parse_autostop("duration:-1").is_err());
        assert!(parse_autostop("duration:NaN").is_err());
    }
}
