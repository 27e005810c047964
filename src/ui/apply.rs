//! The one place the window's state changes: [`apply`] takes an [`Action`] from a
//! pane, a window, the menu bar, the toolbar, the keyboard or a worker. Tests call it
//! without drawing anything. Work that takes time goes to the workers of `jobs`.

use super::action::{Action, ViewChange};
use super::capture_job::CaptureRequest;
use super::columns::{ColumnKind, ColumnSpec};
use super::state::{Displayed, LiveInfo, Session, State};
use super::windows::export_dialog::{Request, What};
use super::windows::quit::QuitChoice;
use super::{events, navigate, selection};
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
        Action::Open(path) if super::teach::is_quiz(&path) => super::teach::open_quiz(state, path),
        Action::Open(path) => open(state, path),
        Action::OpenDialog => {
            // rfd's dialog is the one modal pause the window accepts.
            if let Some(path) = rfd::FileDialog::new()
                .add_filter(
                    crate::tr!("file-captures"),
                    &["pcap", "pcapng", "cap", "gz", "pcap.gz", "pcapng.gz"],
                )
                .add_filter(crate::tr!("file-all"), &["*"])
                .pick_file()
            {
                open(state, path);
            }
        }
        Action::OpenSample => open_sample(state),
        Action::DiscardUnsaved(path) => {
            state.unsaved.retain(|u| u.path != path);
            state.jobs.discard_unsaved(path);
        }
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
        Action::StatsRequest(request) => state.windows.request(&request),
        Action::SaveChart(save) => save_chart(state, save),
        Action::Copy(text) => state.ctx.copy_text(text),
        Action::SelectLine(i) => state.tree.selected = Some(i),
        Action::SelectByte { source, offset } => selection::select_byte(state, source, offset),
        Action::CancelLoad => state.jobs.cancel_load(),
        Action::ExportDialog => state.windows.export.open = true,
        Action::Export(request) => start_export(state, request),
        Action::SaveFlow(svg) => {
            let (ext, name) = if svg {
                ("svg", crate::tr!("file-svg"))
            } else {
                ("png", crate::tr!("file-png"))
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
        Action::SaveDiagram(svg) => {
            let ext = if svg { "svg" } else { "png" };
            if let Some(details) = state.details.as_ref()
                && !details.diagrams.is_empty()
                && let Some(path) = rfd::FileDialog::new()
                    .add_filter(ext.to_uppercase(), &[ext])
                    .set_file_name(format!("packet-{}.{ext}", details.index + 1))
                    .save_file()
            {
                let text = crate::export::diagram::svg(&details.diagrams, details.index + 1);
                if let Err(e) = state.jobs.save_image(text, !svg, path) {
                    state.message = Some(e.words());
                }
            }
        }
        Action::StartCapture { device, filter } => start_capture(state, device, filter),
        Action::StopCapture => stop_capture(state),
        Action::SaveCaptureAs => save_capture_as(state, false),
        Action::View(change) => view(state, change),
        Action::CloseRequested => close_requested(state),
        Action::Quit(choice) => quit(state, choice),
        Action::DismissMessage => state.message = None,
        Action::DecodeAsDialog => state.windows.decode_as.show(),
        Action::DecodeAs(entries) => decode_as(state, entries),
        Action::Worker(event) => events::handle(state, event),
        Action::GoToPacket(frame) => navigate::go_to(state, frame),
        Action::Teach(a) => {
            super::teach::apply(state, a);
            // A window it opens or a verdict shows on the next frame, not at the next event.
            state.ctx.request_repaint();
        }
        Action::MoveInConversation(delta) => navigate::move_in_conversation(state, delta),
        Action::OpenSearch(mode) => state.search.open(mode),
        Action::CloseSearch => {
            state.search.mode = None;
            state.find = None;
        }
        Action::Find(request) => navigate::start_find(state, request),
        Action::LadderView(on) => {
            state.ladder_view = on && state.session.is_some();
            state.flow.scroll_to_selected = true;
            // The list (a strip in Ladder view) keeps the selected packet in sight.
            state.list.scroll_to = state
                .session
                .as_ref()
                .and_then(|s| s.selected.and_then(|i| s.row_of(i)));
        }
        Action::SetColumns(columns) => state.settings.columns = columns,
        Action::AddColumn(field) => {
            let kind = ColumnKind::Field(field);
            let columns = &mut state.settings.columns;
            if !columns.iter().any(|c| c.kind == kind) {
                // Before Info, which keeps the window's edge.
                let at = columns
                    .iter()
                    .position(|c| c.kind == ColumnKind::Info)
                    .unwrap_or(columns.len());
                columns.insert(at, ColumnSpec::new(kind));
            }
        }
    }
    // The Statistics windows that compute on their own workers read the session
    // through this copy.
    super::windows::sync(state);
}

/// Asks where to save a chart (PNG or SVG) or its data (CSV), then renders and
/// writes it on the export worker.
fn save_chart(state: &mut State, save: super::windows::SaveChart) {
    let ext = save.format.extension();
    let path = match save.path.clone() {
        Some(p) => p,
        // rfd's dialog is the one modal pause the window accepts.
        None => match rfd::FileDialog::new()
            .add_filter(ext.to_uppercase(), &[ext])
            .set_file_name(format!("{}.{ext}", save.name))
            .save_file()
        {
            Some(p) => p,
            None => return,
        },
    };
    if let Err(e) = state.jobs.save_with(path, move || save.render()) {
        state.message = Some(e.words());
    }
}

/// Puts the Decode As entries in force and opens the capture again, so that the load
/// (TCP's protocol choice per stream included) sees them; a live capture keeps its
/// analysis and shows the change on rows dissected from now on.
fn decode_as(state: &mut State, entries: Vec<crate::dissect::ports::DecodeAs>) {
    crate::dissect::ports::set_decode_as(entries);
    state.rows = Default::default();
    let reopen = state
        .session
        .as_ref()
        .filter(|s| s.live.is_none())
        .map(|s| s.path.clone());
    if let Some(path) = reopen {
        open(state, path);
    }
}

fn view(state: &mut State, change: ViewChange) {
    let settings = &mut state.settings;
    match change {
        ViewChange::Colorize(on) => settings.colorize = on,
        ViewChange::Teaching(on) => settings.teaching = on,
        // Rows keep their timestamps: the Time column is printed when drawn.
        ViewChange::TimeFormat(format) => settings.time_display = format,
        ViewChange::TimePrecision(digits) => settings.time_precision = digits,
        ViewChange::Diagram(on) => settings.diagram = on,
        ViewChange::FontSize(delta) => {
            settings.font_size = (settings.font_size + delta).clamp(9.0, 24.0);
        }
        ViewChange::Theme(theme) => settings.theme = theme,
        ViewChange::Language(lang) => {
            // Everything is looked up as it is drawn, so the next frame speaks it; the
            // selected packet is dissected again for its explanation and ladder.
            crate::i18n::set_current(lang);
            settings.language = Some(lang.code().to_string());
            state.details = None;
            state.flow_key = None;
            state.selection_stale = true;
            super::selection::build_waiting(state);
        }
        ViewChange::Zoom(factor) => settings.zoom = (factor * 10.0).round().clamp(5.0, 30.0) / 10.0,
        ViewChange::Panes(sizes) => settings.panes = sizes,
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
            state.message = Some(crate::tr!(
                "message-sample-unwritable",
                path = path.display().to_string(),
                error = e.to_string()
            ))
        }
    }
}

/// The temporary file a capture on `device` writes: the device, the time, the
/// process and a number no other capture of this process had, so two windows (of
/// two processes, or the test harness's several in one) never share one.
fn capture_path(device: &str) -> PathBuf {
    static CAPTURES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    let load = CAPTURES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
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
        state.message = Some(crate::tr!("message-capture-failed", reason = e.to_string()));
        return;
    }
    let path = capture_path(&device);
    state.settings.last_device = Some(device.clone());
    state.settings.capture_filter = filter.clone();
    state.settings.capture_options = state.capture.options.clone();
    state.capture.device = Some(device.clone());
    let generation = state.jobs.capture(CaptureRequest {
        device: device.clone(),
        filter,
        output: path.clone(),
        helper: state.capture_helper.clone(),
        options: state.capture.options.clone(),
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
            state.message = Some(crate::tr!(
                "filter-refused",
                message = e.message.as_str(),
                position = (e.position + 1).to_string()
            ));
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
        Err(e) => state.message = Some(e.words()),
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
        state.message = Some(e.words());
    }
}

/// The export dialog's words for a refused packet range.
fn range_message(error: &RangeError) -> String {
    match error {
        RangeError::Empty => crate::tr!("export-range-empty"),
        RangeError::Invalid { part, .. } => {
            crate::tr!("export-range-invalid", range = part.as_str())
        }
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
    let title = crate::tr!(
        "ladder-title",
        stream = ladder.stream.to_string(),
        file = session.map(Session::file_name).unwrap_or_default()
    );
    let selected = session.and_then(|s| s.selected).map(|i| (i + 1) as u32);
    let text = crate::export::flow::svg(&[(ladder, title)], selected);
    if let Err(e) = state.jobs.save_image(text, !svg, path) {
        state.message = Some(e.words());
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

#[cfg(test)]
mod tests {
    //! What actions do to the state, without drawing a frame.

    use super::*;
    use crate::export::text::time::TimeFormat;
    use crate::ui::jobs::Event;
    use crate::ui::state::Settings;
    use crate::ui::theme::Theme;
    use std::time::{Duration, Instant};

    fn capture(name: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/captures")
            .join(name)
    }

    fn state() -> State {
        State::new(egui::Context::default(), Settings::default())
    }

    /// Applies worker events as `App::logic` does until the workers are idle.
    fn settle(state: &mut State) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while state.is_busy() || state.selection_stale {
            assert!(Instant::now() < deadline, "the workers stayed busy");
            match state.jobs.try_recv() {
                Some(event) => apply(state, Action::Worker(event)),
                None => std::thread::sleep(Duration::from_millis(2)),
            }
            crate::ui::selection::build_waiting(state);
        }
    }

    fn shown(state: &State) -> Vec<usize> {
        state.session.as_ref().map_or(Vec::new(), |s| {
            (0..s.rows()).filter_map(|r| s.packet_of(r)).collect()
        })
    }

    #[test]
    fn opening_a_file_loads_it_and_selects_the_first_packet() {
        let mut state = state();
        let path = capture("tcp_clean_close.pcap");
        apply(&mut state, Action::Open(path.clone()));
        assert!(state.is_busy(), "the load runs on a worker");
        assert_eq!(state.settings.recent.first(), Some(&path));
        settle(&mut state);
        let session = state.session.as_ref();
        assert_eq!(session.map(|s| (s.rows(), s.selected)), Some((19, Some(0))));
        assert_eq!(state.details.as_ref().map(|d| d.index), Some(0));
        apply(&mut state, Action::MoveSelection(isize::MAX / 2));
        settle(&mut state);
        assert_eq!(state.details.as_ref().map(|d| d.index), Some(18));
    }

    #[test]
    fn a_filter_keeps_tsharks_packets_and_a_bad_one_keeps_the_list() {
        let mut state = state();
        apply(&mut state, Action::Open(capture("tcp_clean_close.pcap")));
        settle(&mut state);
        apply(&mut state, Action::ApplyFilter("tcp.flags.syn == 1".into()));
        // The old rows stay until the filter's first result arrives.
        assert_eq!(shown(&state).len(), 19);
        settle(&mut state);
        assert_eq!(shown(&state), vec![8, 9]);
        apply(&mut state, Action::ApplyFilter("tcp.port == 70000".into()));
        let message = state.message.clone().unwrap_or_default();
        assert!(message.contains("too big"), "{message}");
        assert_eq!(shown(&state), vec![8, 9]);
        apply(&mut state, Action::ApplyFilter(String::new()));
        assert_eq!(shown(&state).len(), 19);
    }

    #[test]
    fn worker_events_of_an_older_load_are_dropped_and_a_failure_closes_the_session() {
        let mut state = state();
        apply(&mut state, Action::Open(capture("tcp_clean_close.pcap")));
        settle(&mut state);
        let generation = state.session.as_ref().map_or(0, |s| s.generation);
        let failed = |generation| Event::LoadFailed {
            generation,
            message: "gone".into(),
        };
        apply(&mut state, Action::Worker(failed(generation - 1)));
        assert!(state.session.is_some() && state.message.is_none());
        apply(&mut state, Action::Worker(failed(generation)));
        assert!(state.session.is_none());
        assert_eq!(state.message.as_deref(), Some("gone"));
    }

    #[test]
    fn a_bad_export_range_is_worded_for_the_window() {
        let mut state = state();
        apply(&mut state, Action::Open(capture("tcp_clean_close.pcap")));
        settle(&mut state);
        let request = Request {
            what: What::Range("5-2".into()),
            format: crate::capture::writer::Format::PcapNg,
            path: std::env::temp_dir().join("synack-never-written.pcapng"),
        };
        apply(&mut state, Action::Export(request));
        let message = state.message.clone().unwrap_or_default();
        assert!(
            message.contains("\"5-2\" is not a packet range"),
            "{message}"
        );
        assert!(!message.contains("--range"), "{message}");
    }

    #[test]
    fn apply_as_column_adds_a_field_once_before_info_and_ladder_view_needs_a_capture() {
        let mut state = state();
        for _ in 0..2 {
            apply(&mut state, Action::AddColumn("tcp.window_size".into()));
        }
        let kinds: Vec<ColumnKind> = state
            .settings
            .columns
            .iter()
            .map(|c| c.kind.clone())
            .collect();
        let n = kinds.len();
        assert_eq!(
            kinds.get(n - 2..),
            Some(
                &[
                    ColumnKind::Field("tcp.window_size".into()),
                    ColumnKind::Info
                ][..]
            )
        );
        assert_eq!(n, crate::ui::columns::default_columns().len() + 1);
        apply(&mut state, Action::LadderView(true));
        assert!(!state.ladder_view, "no capture, no ladder");
        apply(&mut state, Action::Open(capture("tcp_clean_close.pcap")));
        settle(&mut state);
        apply(&mut state, Action::GoToPacket(16));
        settle(&mut state);
        apply(&mut state, Action::LadderView(true));
        assert!(state.ladder_view);
        // Frame 16 is in stream 0 (frames 9 to 18): the conversation walks it.
        apply(&mut state, Action::MoveInConversation(1));
        settle(&mut state);
        assert_eq!(state.session.as_ref().and_then(|s| s.selected), Some(16));
        apply(&mut state, Action::MoveInConversation(1));
        settle(&mut state);
        assert_eq!(state.session.as_ref().and_then(|s| s.selected), Some(17));
        apply(&mut state, Action::MoveInConversation(1));
        settle(&mut state);
        assert_eq!(
            state.session.as_ref().and_then(|s| s.selected),
            Some(17),
            "frame 19 is not in the conversation"
        );
    }

    #[test]
    fn view_changes_reach_the_settings() {
        let mut state = state();
        apply(&mut state, Action::View(ViewChange::FontSize(100.0)));
        apply(&mut state, Action::View(ViewChange::Theme(Theme::Dark)));
        let time = ViewChange::TimeFormat(TimeFormat::Absolute);
        apply(&mut state, Action::View(time));
        let s = &state.settings;
        assert_eq!(
            (s.font_size, s.theme, s.time_display),
            (24.0, Theme::Dark, TimeFormat::Absolute)
        );
    }
}
