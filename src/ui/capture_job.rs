//! The live-capture workers. `synack-capture` starts the helper process, follows the
//! pcapng file it writes with the loader (re-mapping it as it grows, `LoadJob::grow`)
//! and forwards its counters; `synack-interfaces` lists the devices and reads their
//! packet counters once a second for the sparklines. Neither holds capture rights:
//! only the helper does.

use super::jobs::{Event, LOAD_BATCH, Reporter, Shared};
use crate::capture::CaptureSource;
use crate::tcp::LoadJob;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::RecvTimeoutError;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use synack_capture::live;
use synack_capture::protocol::{self as helper, Line, Status};

/// How often the worker looks for new bytes in the file when nothing else happens.
const POLL: Duration = Duration::from_millis(50);
/// How often the device list is read again (cards come and go).
const DEVICES_EVERY: Duration = Duration::from_secs(10);
/// How often the interface counters are read.
const COUNTERS_EVERY: Duration = Duration::from_secs(1);

/// What the window asks to capture.
#[derive(Debug, Clone, PartialEq)]
pub struct CaptureRequest {
    /// Device name.
    pub device: String,
    /// BPF capture filter (empty: everything).
    pub filter: String,
    /// The pcapng file the helper writes (a new file in the temporary folder).
    pub output: PathBuf,
    /// The helper to run, if not the one [`helper::locate`] finds.
    pub helper: Option<PathBuf>,
    /// dumpcap's options the Capture options chose.
    pub options: CaptureOptions,
}

/// The kernel buffer of a capture the window starts, unless Capture options say
/// otherwise: larger than dumpcap's 2 MiB because the window's own load of the growing
/// file shares the laptop's cores with the helper, and 2 MiB holds only about 6 ms of
/// a flood of small packets. bench/capture.sh's window run at 420,000 packets a second
/// lost 0.1-0.5 % in about half its runs with 2 MiB (dumpcap beside it: none).
pub const WINDOW_BUFFER_MIB: u32 = 16;

/// The dumpcap options the window's Capture options offer: the kernel buffer,
/// promiscuous mode and when to stop by itself.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct CaptureOptions {
    /// Kernel buffer in MiB (`-B`).
    pub buffer_mib: u32,
    /// Promiscuous mode (off is `-p`).
    pub promiscuous: bool,
    /// Stop after this many packets (`-c`).
    pub stop_packets: Option<u64>,
    /// Stop after this many seconds (`-a duration:`).
    pub stop_seconds: Option<u32>,
    /// Stop once the file holds this many kB (`-a filesize:`).
    pub stop_kb: Option<u64>,
}

impl Default for CaptureOptions {
    fn default() -> Self {
        CaptureOptions {
            buffer_mib: WINDOW_BUFFER_MIB,
            promiscuous: true,
            stop_packets: None,
            stop_seconds: None,
            stop_kb: None,
        }
    }
}

/// Runs one capture to its end (see the module doc). `stop` asks the helper to stop.
pub(super) fn run_capture(
    request: CaptureRequest,
    generation: u64,
    stop: &AtomicBool,
    report: &Reporter,
) {
    // The window frames every reason in its language; the reasons that are synack's
    // own words are translated, the helper's and the system's stay as they came.
    let fail = |reason: String| {
        report.result(Event::LoadFailed {
            generation,
            message: crate::tr!("message-capture-failed", reason = reason),
        })
    };
    if !request.filter.trim().is_empty()
        && let Err(e) = live::check_filter(&request.filter)
    {
        return fail(e.to_string());
    }
    let program = match helper::locate(request.helper.as_deref()) {
        Ok(p) => p,
        Err(e) => return fail(e.to_string()),
    };
    // Created here, exclusively, so that no other file is ever overwritten; the helper
    // then writes into it.
    if let Err(e) = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&request.output)
    {
        return fail(crate::tr!(
            "capture-cannot-create",
            path = request.output.display().to_string(),
            error = e.to_string()
        ));
    }
    let helper_request = helper::Request {
        devices: vec![request.device.clone()],
        filter: request.filter.clone(),
        count: request.options.stop_packets,
        autostop: request
            .options
            .stop_seconds
            .map(|s| helper::Condition::Duration(f64::from(s)))
            .into_iter()
            .chain(request.options.stop_kb.map(helper::Condition::Filesize))
            .collect(),
        ring: Vec::new(),
        snaplen: None,
        buffer_mib: Some(request.options.buffer_mib.max(1)),
        no_promiscuous: !request.options.promiscuous,
        output: request.output.clone(),
    };
    let mut child = match helper::spawn(&program, &helper_request) {
        Ok(c) => c,
        Err(e) => {
            remove_empty(&request.output);
            return fail(e.to_string());
        }
    };
    let mut stdin = child.stdin.take();
    let lines = match child.stderr.take().map(helper::read_lines) {
        Some(Ok(rx)) => rx,
        Some(Err(e)) => return fail(crate::tr!("capture-no-reader", error = e.to_string())),
        None => return fail(crate::tr!("capture-no-pipe")),
    };
    let mut messages = Vec::new();
    // Until the helper says the device is open, a failure is the whole outcome.
    loop {
        if stop.load(Ordering::Relaxed) {
            stdin = None;
        }
        match lines.recv_timeout(POLL) {
            Ok(Line::Status(Status::Ready { .. })) => break,
            Ok(Line::Status(Status::Stats(_))) | Err(RecvTimeoutError::Timeout) => {}
            Ok(Line::Message(m)) => messages.push(m),
            Err(RecvTimeoutError::Disconnected) => {
                let status = child.wait().map_err(|e| e.to_string());
                remove_empty(&request.output);
                let reason = if messages.is_empty() {
                    crate::tr!(
                        "capture-helper-ended",
                        program = program.display().to_string(),
                        status = format!("{status:?}")
                    )
                } else {
                    messages.join("\n")
                };
                return fail(reason);
            }
        }
    }
    let source = match CaptureSource::open(&request.output) {
        Ok(s) => Arc::new(s),
        Err(e) => return fail(e.to_string()),
    };
    let (mut job, loaded) = match LoadJob::start_on(source, true) {
        Ok(x) => x,
        Err(e) => return fail(e.to_string()),
    };
    let shared: Shared = super::jobs::SharedCapture::new(loaded);
    report.result(Event::LoadStarted {
        generation,
        shared: shared.clone(),
    });
    let mut exited = None;
    let mut mapped_len = 0u64;
    let mut last_packets = 0usize;
    loop {
        if stop.load(Ordering::Relaxed) {
            // Closing the helper's stdin is its signal to finish the file and exit.
            stdin = None;
        }
        match lines.recv_timeout(POLL) {
            Ok(Line::Status(Status::Stats(stats))) => {
                report.progress(Event::CaptureStats { generation, stats })
            }
            Ok(Line::Status(Status::Ready { .. })) | Err(RecvTimeoutError::Timeout) => {}
            Ok(Line::Message(m)) => messages.push(m),
            Err(RecvTimeoutError::Disconnected) => {
                exited = Some(child.wait().map_err(|e| e.to_string()));
            }
        }
        if let Err(message) = follow(&request.output, &mut mapped_len, &mut job, &shared) {
            messages.push(message);
            exited.get_or_insert(Err(crate::tr!("capture-unreadable")));
        }
        if exited.is_some() {
            job.finish_growing();
        }
        let progress = loop {
            let Ok(mut loaded) = shared.write() else {
                return;
            };
            let progress = job.run(&mut loaded, LOAD_BATCH);
            drop(loaded);
            // After the helper exited, read to the end before reporting.
            if exited.is_none() || progress.done {
                break progress;
            }
        };
        if let Some(status) = exited {
            // The helper wrote the whole file; damage would be the file system's.
            report.result(Event::LoadFinished {
                generation,
                progress,
                cancelled: false,
                damage: None,
            });
            let error = match status {
                Ok(s) => helper::ending(&s, &messages),
                Err(e) => Some(crate::tr!("capture-lost-helper", error = e)),
            }
            .map(|reason| crate::tr!("message-capture-ended", reason = reason));
            drop(stdin);
            report.result(Event::CaptureEnded { generation, error });
            return;
        }
        if progress.packets != last_packets {
            last_packets = progress.packets;
            report.progress(Event::LoadProgress {
                generation,
                progress,
            });
        }
    }
}

/// Re-maps the file when it has grown, so the loader sees the new packets.
fn follow(
    path: &Path,
    mapped_len: &mut u64,
    job: &mut LoadJob,
    shared: &Shared,
) -> Result<(), String> {
    let len = std::fs::metadata(path)
        .map_err(|e| {
            crate::tr!(
                "message-cannot-read",
                path = path.display().to_string(),
                error = e.to_string()
            )
        })?
        .len();
    if len == *mapped_len {
        return Ok(());
    }
    let source = CaptureSource::open(path).map_err(|e| e.to_string())?;
    *mapped_len = source.bytes().len() as u64;
    let Ok(mut loaded) = shared.write() else {
        return Err(crate::tr!("message-capture-gone"));
    };
    job.grow(&mut loaded, Arc::new(source));
    Ok(())
}

/// Removes the capture file the helper never wrote to (it failed before starting).
fn remove_empty(path: &Path) {
    if std::fs::metadata(path).is_ok_and(|m| m.len() == 0) {
        // Nothing is lost if this fails: the file is empty.
        std::fs::remove_file(path).ok();
    }
}

/// Sends the device list, then the interface counters every second, while the window
/// shows a device list (`wanted` is pushed forward each frame that draws one).
pub(super) fn run_interfaces(wanted: &Mutex<Instant>, report: &Reporter) {
    let mut devices_at: Option<Instant> = None;
    loop {
        let until = wanted.lock().map_or_else(|_| Instant::now(), |w| *w);
        if Instant::now() > until {
            return;
        }
        if devices_at.is_none_or(|t| t.elapsed() >= DEVICES_EVERY) {
            devices_at = Some(Instant::now());
            report.result(Event::Interfaces(live::devices().map_err(|e| {
                crate::tr!("capture-no-devices", reason = e.to_string())
            })));
        }
        report.progress(Event::InterfaceCounters {
            at: Instant::now(),
            counters: live::packet_counters(),
        });
        std::thread::sleep(COUNTERS_EVERY);
    }
}
