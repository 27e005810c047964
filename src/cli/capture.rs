//! `synack capture`: captures from a device into a pcapng file with dumpcap's flags.
//! The capturing itself is done by the `synack-capture` helper (the only program with
//! capture rights); this command checks the request, starts the helper, prints its
//! running count, and on Ctrl-C lets it finish the file before exiting.

use anyhow::Context;
use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use synack_capture::live;
use synack_capture::protocol::{self as helper, HELPER_NAME, Line, Status};

/// Arguments of `synack capture`: dumpcap's letters, the very flags the helper takes
/// (one clap struct for both, [`helper::Request`]).
#[derive(Debug, clap::Args)]
pub struct CaptureArgs {
    #[command(flatten)]
    request: helper::Request,
}

/// Runs `synack capture`.
pub fn run(args: &CaptureArgs) -> anyhow::Result<ExitCode> {
    let request = &args.request;
    request.limits()?;
    for device in &request.devices {
        live::check_device(device)?;
    }
    if !request.filter.trim().is_empty() {
        live::check_filter(&request.filter)?;
    }
    let program = helper::locate(None)?;
    // Ctrl-C reaches the helper too (same process group) and it finishes the file;
    // this process must only outlive it. A stop sent to this process alone is passed
    // on by closing the helper's stdin.
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, stop.clone()).context("cannot watch for Ctrl-C")?;
    }
    let mut child = helper::spawn(&program, request)?;
    let mut stdin = child.stdin.take();
    let stderr = child
        .stderr
        .take()
        .context("the capture helper has no stderr pipe")?;
    let rx = helper::read_lines(stderr).context("cannot start the status reader thread")?;
    let terminal = std::io::stderr().is_terminal();
    let mut last = live::Stats::default();
    let mut shown = None;
    let mut ended_status = None;
    loop {
        if stop.load(Ordering::Relaxed) {
            // Dropping the pipe's write end is the helper's signal to stop.
            stdin = None;
        }
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(Line::Status(Status::Ready { .. })) => {
                eprintln!("Capturing on {}", request.devices_text());
            }
            Ok(Line::Status(Status::Stats(s))) => {
                last = s;
                if shown != Some(s.packets) {
                    shown = Some(s.packets);
                    if terminal {
                        eprint!("\rPackets: {} ", s.packets);
                    } else {
                        eprintln!("Packets: {}", s.packets);
                    }
                }
            }
            Ok(Line::Message(m)) => {
                if terminal && shown.is_some() {
                    eprintln!();
                }
                if m.starts_with("File: ") {
                    // Each file the helper starts (a ring buffer's several), as dumpcap says it.
                    eprintln!("{m}");
                } else {
                    eprintln!("{HELPER_NAME}: {m}");
                }
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                // The helper closed stderr: it is exiting.
                ended_status = Some(child.wait().context("waiting for the capture helper")?);
            }
        }
        if ended_status.is_some() {
            break;
        }
    }
    drop(stdin);
    let status = ended_status.context("the capture helper's status is unknown")?;
    if terminal && shown.is_some() {
        eprintln!();
    }
    if !status.success() {
        if status.code().is_none() {
            // Killed before it could say why: say it for it.
            if let Some(message) = helper::ending(&status, &[]) {
                eprintln!("{message} ({} packets counted)", last.packets);
            }
        }
        // The helper printed why; its code tells the cases apart.
        let code = status
            .code()
            .and_then(|c| u8::try_from(c).ok())
            .unwrap_or(1);
        return Ok(ExitCode::from(code.max(1)));
    }
    eprintln!(
        "{} packets captured (received {}, dropped by the kernel {}, dropped by the interface {}; {:.1}% kept)",
        last.packets,
        last.received,
        last.dropped,
        last.if_dropped,
        kept_percent(&last)
    );
    Ok(ExitCode::SUCCESS)
}

/// The share of packets the filter passed that reached the file, as dumpcap's
/// closing line gives it.
fn kept_percent(stats: &live::Stats) -> f64 {
    let lost = stats.dropped.saturating_add(stats.if_dropped);
    let total = stats.packets.saturating_add(lost);
    if total == 0 {
        100.0
    } else {
        stats.packets as f64 * 100.0 / total as f64
    }
}
