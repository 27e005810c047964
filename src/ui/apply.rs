//! The one place the window's state changes: [`apply`] takes an [`Action`] from a
//! pane, a window, the menu bar, the toolbar, the keyboard or a worker. Tests call it
//! without drawing anything. Work that takes time goes to the workers of `jobs`.

use super::action::{Action, ViewChange};
use super::capture_job::CaptureRequest;
use super::state::{Displayed, LiveInfo, Session, State};
use super::windows::export_dialog::{Request, What};
use super::windows::quit::QuitChoice;
use super::{events, selection};
use crate::export::ranges::{RangeError, Ranges};
use crate::filter::Filter;
use eframe::egui;
use std::path::PathBuf;
use synack_capture::live::{self, Stats};

/// The bundled sample capture (a real handshake, request, reply and four-way close).
pub const SAMPLE: &[u8] = include_bytes!("../../assets/samples/handshake.pcap");

/// The sample's name in the temporary folder (never listed in Recent files).
const SAMPLE_NAME: &str = "synack-sample-handshake.pcap";

/// Applies `action` to `state`.
pub fn apply(state: &mut State, action: Action) {
    match action {
        Action::Open(path) => open(state, path),
        Action::OpenDialog => {
            // rfd's dialog is the one modal pause the window accepts.
            if let Some(path) = rfd::FileDialog::new()
                .add_filter(
                    "Captures",
                    &["pcap", "pcapng", "cap", "gz", "pcap.gz", "pcapng.gz"],
                )
                .add_filter("All files", &["*"])
                .pick_file()
            {
                open(state, path);
            }
        }
        Action::OpenSample => open_sample(state),
        Action::Select(i) => {
            // The user looks at a packet: stop following new ones.
            state.list.auto_scroll = false;
            selection::select(state, i);
        }
        Action::MoveSelection(delta) => selection::move_by(state, delta),
        Action::ApplyFilter(f) => apply_filter(state, f),
        Action::PrepareFilter(f) => {
            state.filter_bar.text = f;
            state.filter_bar.focus = true;
        }
        Action::FocusFilter => state.filter_bar.focus = true,
        Action::ToggleMark(i) => {
            if let Some(s) = state.session.as_mut()
                && !s.marked.remove(&i)
            {
                s.marked.insert(i);
            }
        }
        Action::FollowStream(stream) => {
            state.windows.follow_wanted = Some(stream);
            selection::build_waiting(state);
        }
        Action::CloseFollow => state.windows.follow = None,
        Action::OpenStats(k) => {
            if let Some(slot) = state.windows.stats.get_mut(k) {
                slot.open = true;
                slot.built_at = None;
            }
            selection::build_waiting(state);
        }
        Action::CloseStats(k) => {
            if let Some(slot) = state.windows.stats.get_mut(k) {
                slot.open = false;
            }
        }
        Action::Copy(text) => state.ctx.copy_text(text),
        Action::SelectLine(i) => state.tree.selected = Some(i),
        Action::SelectByte { source, offset } => selection::select_byte(state, source, offset),
        Action::CancelLoad => state.jobs.cancel_load(),
        Action::ExportDialog => state.windows.export.open = true,
        Action::Export(request) => start_export(state, request),
        Action::SaveFlow(svg) => {
            let (ext, name) = if svg {
                ("svg", "SVG image")
            } else {
                ("png", "PNG image")
            };
            if state.flow_data.ladder.is_some()
                && let Some(path) = rfd::FileDialog::new()
                    .add_filter(name, &[ext])
                    .set_file_name(format!("flow.{ext}"))
                    .save_file()
            {
                save_flow_to(state, svg, path);
            }
        }
        Action::SaveFlowTo { svg, path } => save_flow_to(state, svg, path),
        Action::StartCapture { device, filter } => start_capture(state, device, filter),
        Action::StopCapture => stop_capture(state),
        Action::SaveCaptureAs => save_capture_as(state, false),
        Action::View(change) => view(state, change),
        Action::CloseRequested => close_requested(state),
        Action::Quit(choice) => quit(state, choice),
        Action::DismissMessage => state.message = None,
        Action::Worker(event) => events::handle(state, event),
    }
}

fn view(state: &mut State, change: ViewChange) {
    let settings = &mut state.settings;
    match change {
        ViewChange::Colorize(on) => settings.colorize = on,
        ViewChange::Teaching(on) => settings.teaching = on,
        ViewChange::Dark(on) => settings.dark = on,
        ViewChange::TimeFormat(format) => {
            settings.time_format = format;
            // The Time column's text changes.
            state.rows.clear();
        }
        ViewChange::FontSize(delta) => {
            settings.font_size = (settings.font_size + delta).clamp(9.0, 24.0);
        }
    }
}

/// Starts opening `path`.
fn open(state: &mut State, path: PathBuf) {
    let generation = state.jobs.load(path.clone());
    begin_session(state, path, generation, None);
}

/// Opens the bundled sample capture (written to a temporary file first).
fn open_sample(state: &mut State) {
    let path = std::env::temp_dir().join(SAMPLE_NAME);
    match crate::capture::atomic::write_file(&path, SAMPLE) {
        Ok(()) => open(state, path),
        Err(e) => {
            state.message = Some(format!(
                "cannot write the sample capture to {}: {e}",
                path.display()
            ))
        }
    }
}

/// The temporary file a capture on `device` writes: the device, the time, the
/// process and the load, so two windows or two captures never share one.
fn capture_path(device: &str, load: u64) -> PathBuf {
    let stamp = jiff::Timestamp::now().strftime("%Y%m%d%H%M%S").to_string();
    let safe: String = device
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    std::env::temp_dir().join(format!(
        "synack_{safe}_{stamp}_{}_{load}.pcapng",
        std::process::id()
    ))
}

/// Starts capturing on `device` with a BPF `filter`: the helper writes a pcapng
/// file in the temporary folder and the window follows it as it grows.
fn start_capture(state: &mut State, device: String, filter: String) {
    if !filter.is_empty()
        && let Err(e) = live::check_filter(&filter)
    {
        state.message = Some(e.to_string());
        return;
    }
    let path = capture_path(&device, state.jobs.load_generation + 1);
    state.settings.last_device = Some(device.clone());
    state.settings.capture_filter = filter.clone();
    state.capture.device = Some(device.clone());
    let generation = state.jobs.capture(CaptureRequest {
        device: device.clone(),
        filter,
        output: path.clone(),
        helper: state.capture_helper.clone(),
    });
    let live = LiveInfo {
        device,
        running: true,
        stats: Stats::default(),
        saved_packets: None,
    };
    begin_session(state, path, generation, Some(live));
    state.list.auto_scroll = true;
}

/// Stops the running capture; its packets stay.
fn stop_capture(state: &mut State) {
    if state.capturing() {
        state.jobs.cancel_load();
    }
}

fn begin_session(state: &mut State, path: PathBuf, generation: u64, live: Option<LiveInfo>) {
    state.list.auto_scroll = false;
    state.rows.clear();
    state.details = None;
    state.flow_data = Default::default();
    state.flow_key = None;
    state.selection_stale = false;
    state.tree.selected = None;
    state.message = None;
    if live.is_none() && path.file_name().is_some_and(|n| n != SAMPLE_NAME) {
        let recent = &mut state.settings.recent;
        recent.retain(|p| p != &path);
        recent.insert(0, path.clone());
        recent.truncate(12);
    }
    state.session = Some(Session::new(path, generation, live));
    let text = state.filter_bar.applied.clone();
    if !text.is_empty() {
        apply_filter(state, text);
    }
}

/// Applies a display filter (empty: show everything).
pub(super) fn apply_filter(state: &mut State, text: String) {
    state.filter_bar.text = text.clone();
    state.filter_bar.applied = text.clone();
    let Some(session) = state.session.as_mut() else {
        return;
    };
    if text.trim().is_empty() {
        state.jobs.cancel_filter();
        state.pending = None;
        session.displayed = Displayed::All;
        return;
    }
    let filter = match Filter::compile(&text) {
        Ok(f) => f,
        Err(e) => {
            state.message = Some(format!("{} (at character {})", e.message, e.position + 1));
            return;
        }
    };
    state.filter_bar.remember(&text);
    state.settings.filter_history = state.filter_bar.history.clone();
    let fresh = |generation| Displayed::Filtered {
        text: text.clone(),
        generation,
        list: Vec::new(),
        examined: 0,
        complete: false,
    };
    match session.shared.clone() {
        Some(shared) => {
            let generation = state.jobs.filter(shared, filter);
            state.pending = Some(fresh(generation));
        }
        // Not opened yet: the filter starts when the capture does.
        None => session.displayed = fresh(0),
    }
}

/// Asks where to save the captured packets and writes them there (all of them,
/// through the atomic export path); `quit` closes the window once saved.
fn save_capture_as(state: &mut State, quit: bool) {
    let Some(session) = state.session.as_ref() else {
        return;
    };
    let Some(shared) = session.shared.clone() else {
        return;
    };
    let name = session.live.as_ref().map_or_else(
        || "capture".to_string(),
        |l| format!("{}-capture", l.device),
    );
    let Some(path) = rfd::FileDialog::new()
        .add_filter("pcapng", &["pcapng"])
        .add_filter("pcap", &["pcap"])
        .set_file_name(format!("{name}.pcapng"))
        .save_file()
    else {
        return;
    };
    let format = if path.extension().is_some_and(|e| e == "pcap") {
        crate::capture::writer::Format::Pcap
    } else {
        crate::capture::writer::Format::PcapNg
    };
    let packets = session.progress.packets;
    match state
        .jobs
        .export(shared, (0..packets).collect(), format, path)
    {
        Ok(()) => state.saving = Some((packets, quit)),
        Err(e) => state.message = Some(e),
    }
}

/// Starts exporting what `request` names (the export dialog's "Save as…").
fn start_export(state: &mut State, request: Request) {
    let Some(session) = state.session.as_ref() else {
        return;
    };
    let Some(shared) = session.shared.clone() else {
        return;
    };
    let indices: Vec<usize> = match &request.what {
        What::Displayed => (0..session.rows())
            .filter_map(|r| session.packet_of(r))
            .collect(),
        What::Selected => session.selected.into_iter().collect(),
        What::Marked => session.marked.iter().copied().collect(),
        What::Range(text) => match Ranges::parse(text) {
            Ok(ranges) => (0..session.progress.packets)
                .filter(|i| ranges.contains(i + 1))
                .collect(),
            Err(e) => {
                state.message = Some(range_message(&e));
                return;
            }
        },
    };
    if let Err(e) = state
        .jobs
        .export(shared, indices, request.format, request.path)
    {
        state.message = Some(e);
    }
}

/// The export dialog's words for a refused packet range.
fn range_message(error: &RangeError) -> String {
    match error {
        RangeError::Empty => "Type the packets to export in the Range field, e.g. 1-10,15".into(),
        RangeError::Invalid { part, .. } => format!(
            "The range \"{part}\" is not a packet range: write N, N-M, N- or -M, e.g. 1-10,15"
        ),
    }
}

/// Saves the flow pane's ladder as SVG or PNG: the SVG text is made here (it is the
/// pane's ladder, a few hundred arrows at most); rasterising and writing run on the
/// export worker.
fn save_flow_to(state: &mut State, svg: bool, path: PathBuf) {
    let Some(ladder) = state.flow_data.ladder.clone() else {
        return;
    };
    let session = state.session.as_ref();
    let title = format!(
        "TCP stream {} of {}",
        ladder.stream,
        session.map(Session::file_name).unwrap_or_default()
    );
    let selected = session.and_then(|s| s.selected).map(|i| (i + 1) as u32);
    let text = crate::export::flow::svg(&[(ladder, title)], selected);
    if let Err(e) = state.jobs.save_image(text, !svg, path) {
        state.message = Some(e);
    }
}

/// The window's close button: an unsaved capture asks first.
fn close_requested(state: &mut State) {
    if state.quit_confirmed {
        remove_saved_capture(state);
    } else if state.session.as_ref().is_some_and(Session::unsaved_capture) {
        state
            .ctx
            .send_viewport_cmd(egui::ViewportCommand::CancelClose);
        state.quit_dialog = true;
    } else {
        remove_saved_capture(state);
    }
}

fn quit(state: &mut State, choice: QuitChoice) {
    state.quit_dialog = false;
    match choice {
        QuitChoice::Save => {
            stop_capture(state);
            save_capture_as(state, true);
        }
        QuitChoice::Discard => {
            stop_capture(state);
            if let Some(s) = &state.session
                && s.live.is_some()
            {
                // The user chose to throw these packets away.
                std::fs::remove_file(&s.path).ok();
            }
            state.quit_confirmed = true;
            state.ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        QuitChoice::Cancel => {}
    }
}

/// A live capture's temporary file is removed on quit once it was saved elsewhere
/// (an unsaved one stays, so a crash or a refused dialog never loses packets).
pub(super) fn remove_saved_capture(state: &State) {
    if let Some(s) = &state.session
        && let Some(live) = &s.live
        && !live.running
        && live.saved_packets == Some(s.progress.packets)
    {
        std::fs::remove_file(&s.path).ok();
    }
}
