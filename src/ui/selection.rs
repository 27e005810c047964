//! The selected packet and what is built from the capture for it and for the
//! windows: its details, its stream's ladder, Follow TCP Stream and the Statistics
//! windows. The UI thread only tries the capture's lock: when a worker holds it, the
//! build waits for a later frame (`App::logic` calls [`build_waiting`]).

use super::panes::flow_graph::FlowData;
use super::state::State;
use crate::tcp::Loaded;

/// The ladder of `stream` around packet `index`: at most this many arrows.
const FLOW_WINDOW: usize = 300;

/// Selects packet `index` and rebuilds the panes that show it.
pub(super) fn select(state: &mut State, index: usize) {
    let Some(session) = state.session.as_mut() else {
        return;
    };
    session.selected = Some(index);
    state.tree.selected = None;
    if let Some(row) = session.row_of(index) {
        state.list.scroll_to = Some(row);
    }
    state.flow.scroll_to_selected = true;
    state.selection_stale = true;
    build_waiting(state);
}

/// Moves the selection by `delta` displayed rows (clamped; none selected: the first).
pub(super) fn move_by(state: &mut State, delta: isize) {
    let Some(session) = state.session.as_ref() else {
        return;
    };
    let Some((rows, current)) = session.rows_and_selected_row() else {
        return;
    };
    let target = match current {
        Some(r) => (r as isize)
            .saturating_add(delta)
            .clamp(0, rows as isize - 1) as usize,
        None => 0,
    };
    if let Some(index) = session.packet_of(target) {
        select(state, index);
    }
}

/// Selects the deepest detail line whose bytes hold byte `offset` of data source
/// `source`, and opens its ancestors so it can be seen.
pub(super) fn select_byte(state: &mut State, source: u8, offset: usize) {
    let Some(d) = &state.details else {
        return;
    };
    let best = d
        .lines
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            l.source == source && l.len > 0 && (l.start..l.start + l.len).contains(&offset)
        })
        .max_by_key(|(_, l)| (l.depth, std::cmp::Reverse(l.len)))
        .map(|(i, _)| i);
    if let Some(i) = best {
        reveal_line(state, i);
    }
}

/// Selects detail line `i` and opens its ancestors so it can be seen.
pub(super) fn reveal_line(state: &mut State, i: usize) {
    let Some(d) = &state.details else {
        return;
    };
    state.tree.selected = Some(i);
    let mut depth = d.lines.get(i).map_or(0, |l| l.depth);
    for l in d.lines.get(..i).unwrap_or(&[]).iter().rev() {
        if l.depth < depth {
            state.tree.open(l.depth, &l.label);
            depth = l.depth;
        }
    }
}

/// Whether something waits for an open capture: the selection's details or ladder,
/// or a window's contents (with no capture open there is nothing to wait for).
pub(super) fn waiting(state: &State) -> bool {
    let Some(session) = state.session.as_ref().filter(|s| s.shared.is_some()) else {
        return false;
    };
    state.selection_stale
        || state.windows.want_capture(session.progress.packets)
        || !session.loading && session.experts.is_none()
}

/// Builds what waits for the capture if its lock is free right now; otherwise it
/// stays waiting for the next call.
pub(super) fn build_waiting(state: &mut State) {
    if !waiting(state) {
        return;
    }
    let Some(shared) = state.session.as_ref().and_then(|s| s.shared.clone()) else {
        return;
    };
    let Some(loaded) = shared.try_read() else {
        return;
    };
    if state.selection_stale {
        refresh_selection(state, &loaded);
    }
    if let Some(session) = state.session.as_mut()
        && !session.loading
        && session.experts.is_none()
    {
        session.experts = Some(expert_counts(&loaded));
    }
    state.windows.build(&loaded);
}

/// Expert items of the capture by severity: errors, warnings, notes, chats.
fn expert_counts(loaded: &Loaded) -> [u64; 4] {
    use crate::dissect::Severity;
    let severities = [
        Severity::Error,
        Severity::Warning,
        Severity::Note,
        Severity::Chat,
    ];
    severities.map(|s| loaded.stats.experts_of(s).map(|e| e.count).sum())
}

fn refresh_selection(state: &mut State, loaded: &Loaded) {
    let Some(index) = state.session.as_ref().and_then(|s| s.selected) else {
        state.selection_stale = false;
        return;
    };
    if index >= loaded.len() {
        // Not loaded yet: wait for the loader (there is nothing to wait for once it
        // has finished).
        if !state.session.as_ref().is_some_and(|s| s.loading) {
            state.selection_stale = false;
        }
        return;
    }
    state.selection_stale = false;
    // Dissect only the selected packet, and only when the selection changed.
    if state.details.as_ref().is_none_or(|d| d.index != index) {
        state.details = super::model::details(loaded, index);
    }
    super::navigate::reveal_found(state);
    refresh_flow(state, loaded, index);
}

fn refresh_flow(state: &mut State, loaded: &Loaded, index: usize) {
    let Some(stream) = state.details.as_ref().and_then(|d| d.stream) else {
        state.flow_data = FlowData::default();
        state.flow_key = None;
        return;
    };
    // The ladder is rebuilt only when the selection leaves the window it draws or
    // the stream grew (while loading); walking a stream draws it once.
    let last_frame = loaded
        .tcp
        .streams
        .get(stream as usize)
        .map_or(0, |s| s.last_frame);
    let key = (stream, last_frame);
    let in_window = state
        .flow_data
        .ladder
        .as_ref()
        .is_some_and(|l| l.arrows.iter().any(|a| a.frame as usize == index + 1));
    if in_window && state.flow_key == Some(key) {
        return;
    }
    state.flow_key = Some(key);
    state.flow_data = flow_window(loaded, stream, index);
}

fn flow_window(loaded: &Loaded, stream: u32, index: usize) -> FlowData {
    let Some(info) = loaded.tcp.streams.get(stream as usize) else {
        return FlowData::default();
    };
    let start = (info.first_frame as usize).saturating_sub(1);
    let end = (info.last_frame as usize).min(loaded.len());
    let frames: Vec<usize> = (start..end)
        .filter(|i| {
            loaded
                .capture
                .record(*i)
                .is_some_and(|r| r.stream == stream)
        })
        .collect();
    let pos = frames.partition_point(|f| *f < index);
    let from = pos
        .saturating_sub(FLOW_WINDOW / 2)
        .min(frames.len().saturating_sub(FLOW_WINDOW));
    let to = (from + FLOW_WINDOW).min(frames.len());
    let window: Vec<usize> = frames.get(from..to).unwrap_or(&[]).to_vec();
    let ladder =
        crate::tcp::ladder::build(loaded, stream, false, |i| window.binary_search(&i).is_ok());
    FlowData {
        ladder,
        omitted: (from, frames.len() - to),
    }
}
