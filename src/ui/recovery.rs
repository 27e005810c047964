//! Captures a window left unsaved when it died: a live capture is written to
//! `synack_DEVICE_YYYYmmddHHMMSS_PID_LOAD.pcapng` in the temporary folder and removed
//! once saved or discarded, so a file of that name whose window (PID) is no longer
//! running holds packets nobody saved. The next window finds them (on a worker: the
//! UI thread never reads folders) and offers to open or discard them, as editors
//! recover unsaved files.

use std::path::{Path, PathBuf};

/// A capture file left behind by a window that is no longer running.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsaved {
    /// The file.
    pub path: PathBuf,
    /// The device it was captured on (as the file name keeps it).
    pub device: String,
    /// When the capture started, `YYYY-mm-dd HH:MM:SS` (UTC, as named).
    pub started: String,
    /// Its size in bytes.
    pub bytes: u64,
}

/// The parts of a capture file's name: device, start stamp and the window's PID.
fn parse_name(name: &str) -> Option<(String, String, u32)> {
    let rest = name.strip_prefix("synack_")?.strip_suffix(".pcapng")?;
    let mut parts = rest.rsplitn(4, '_');
    let load = parts.next()?;
    let pid = parts.next()?;
    let stamp = parts.next()?;
    let device = parts.next()?;
    load.parse::<u64>().ok()?;
    let pid = pid.parse::<u32>().ok()?;
    if stamp.len() != 14 || !stamp.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let started = format!(
        "{}-{}-{} {}:{}:{}",
        stamp.get(0..4)?,
        stamp.get(4..6)?,
        stamp.get(6..8)?,
        stamp.get(8..10)?,
        stamp.get(10..12)?,
        stamp.get(12..14)?
    );
    Some((device.to_string(), started, pid))
}

/// The non-empty capture files in `dir` whose window is not `alive`, oldest first.
pub fn find(dir: &Path, alive: impl Fn(u32) -> bool) -> Vec<Unsaved> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<Unsaved> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name();
            let (device, started, pid) = parse_name(name.to_str()?)?;
            let bytes = entry.metadata().ok()?.len();
            (bytes > 0 && !alive(pid)).then(|| Unsaved {
                path: entry.path(),
                device,
                started,
                bytes,
            })
        })
        .collect();
    found.sort_by(|a, b| a.started.cmp(&b.started).then(a.path.cmp(&b.path)));
    found
}

/// Whether a process `pid` is running (Linux: it has a /proc entry).
pub fn process_alive(pid: u32) -> bool {
    pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_back_with_devices_that_hold_underscores() {
        assert_eq!(
            parse_name("synack_wlp2s0_20261206031500_4242_3.pcapng"),
            Some(("wlp2s0".into(), "2026-12-06 03:15:00".into(), 4242))
        );
        assert_eq!(
            parse_name("synack_br_lan_20261206031500_7_1.pcapng"),
            Some(("br_lan".into(), "2026-12-06 03:15:00".into(), 7))
        );
        assert_eq!(parse_name("synack_lo_2026_1_1.pcapng"), None);
        assert_eq!(parse_name("other_lo_20261206031500_7_1.pcapng"), None);
        assert_eq!(parse_name("synack_lo_20261206031500_x_1.pcapng"), None);
    }

    #[test]
    fn only_files_of_windows_no_longer_running_with_packets_are_found() {
        let dir = tempfile::tempdir().unwrap();
        let write =
            |name: &str, bytes: usize| std::fs::write(dir.path().join(name), vec![0; bytes]);
        write("synack_lo_20261206031500_100_1.pcapng", 64).unwrap();
        write("synack_lo_20261206031000_200_1.pcapng", 64).unwrap();
        write("synack_lo_20261206032000_300_1.pcapng", 0).unwrap();
        write("notes.txt", 10).unwrap();
        let found = find(dir.path(), |pid| pid == 200);
        let names: Vec<_> = found
            .iter()
            .map(|u| u.path.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["synack_lo_20261206031500_100_1.pcapng"]);
        assert_eq!(found[0].bytes, 64);
    }
}
