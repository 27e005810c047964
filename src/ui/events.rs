//! What the workers' reports do to the state (`Action::Worker`). Events of an older
//! load or filter run (a smaller generation) are dropped.

use super::apply::apply_filter;
use super::jobs::Event;
use super::panes::capture_menu::RATE_HISTORY;
use super::selection;
use super::state::{Displayed, Session, State};
use std::collections::HashMap;
use std::time::Instant;

/// Applies one worker event.
pub(super) fn handle(state: &mut State, event: Event) {
    match event {
        Event::Interfaces(devices) => {
            state.devices = Some(devices);
            return;
        }
        Event::Unsaved(found) => {
            state.unsaved = found;
            return;
        }
        Event::InterfaceCounters { at, counters } => {
            add_counters(state, at, counters);
            return;
        }
        Event::FlowSaved { result } => {
            state.message = Some(match result {
                Ok(path) => crate::tr!("message-saved-flow", path = path.display().to_string()),
                Err(e) => crate::tr!("message-save-flow-failed", error = e.to_string()),
            });
            return;
        }
        Event::ChartSaved { result } => {
            state.message = Some(match result {
                Ok(path) => crate::tr!("message-saved", path = path.display().to_string()),
                Err(e) => crate::tr!("message-save-failed", error = e.to_string()),
            });
            return;
        }
        _ => {}
    }
    let Some(session) = state.session.as_mut() else {
        return;
    };
    match event {
        Event::CaptureStats { generation, stats } if generation == session.generation => {
            if let Some(live) = session.live.as_mut() {
                live.stats = stats;
            }
        }
        Event::CaptureEnded { generation, error } if generation == session.generation => {
            if let Some(live) = session.live.as_mut() {
                live.running = false;
            }
            state.list.auto_scroll = false;
            if let Some(e) = error {
                state.message = Some(e);
            }
        }
        Event::LoadStarted { generation, shared } if generation == session.generation => {
            session.shared = Some(shared);
            if let Displayed::Filtered { text, .. } = &session.displayed {
                let text = text.clone();
                apply_filter(state, text);
            }
        }
        Event::LoadProgress {
            generation,
            progress,
        } if generation == session.generation => {
            session.progress = progress;
            // The selected stream's ladder grows while it loads.
            if session.selected.is_some() && state.flow_data.ladder.is_some() {
                state.selection_stale = true;
            }
        }
        Event::LoadFinished {
            generation,
            progress,
            cancelled,
            damage,
        } if generation == session.generation => {
            session.progress = progress;
            session.loading = false;
            session.cancelled = cancelled;
            session.finished_in = Some(session.started.elapsed());
            session.damage = damage;
            // The worker read the file a second time: rows drawn while loading
            // (one pass) may read otherwise now, as a segment of a PDU completed
            // later.
            if !cancelled {
                state.rows.clear();
            }
            if session.damage.is_some() {
                state.message = session.damage.clone();
            }
            if session.selected.is_some() {
                state.selection_stale = true;
            } else if let Some(first) = session.packet_of(0) {
                // A first selection shows the panes at once.
                selection::select(state, first);
            }
            selection::build_waiting(state);
        }
        Event::LoadFailed {
            generation,
            message,
        } if generation == session.generation => {
            state.message = Some(message);
            state.session = None;
        }
        Event::FilterProgress {
            generation,
            matches,
            examined,
        } => filter_result(
            &mut state.pending,
            session,
            generation,
            matches,
            examined,
            false,
        ),
        Event::FilterFinished {
            generation,
            examined,
        } => filter_result(
            &mut state.pending,
            session,
            generation,
            Vec::new(),
            examined,
            true,
        ),
        Event::ExportFinished { result } => {
            if let Some((packets, quit)) = state.saving.take()
                && let (Ok(_), Some(live)) = (&result, session.live.as_mut())
            {
                live.saved_packets = Some(packets);
                if quit {
                    state.quit_confirmed = true;
                }
            }
            state.message = Some(match result {
                Ok(path) => crate::tr!("message-exported", path = path.display().to_string()),
                Err(e) => crate::tr!("message-export-failed", error = e.to_string()),
            });
        }
        _ => {}
    }
}

/// Adds part of filter run `generation`'s result (`finished`: the last part).
fn filter_result(
    pending: &mut Option<Displayed>,
    session: &mut Session,
    generation: u64,
    matches: Vec<u32>,
    examined: usize,
    finished: bool,
) {
    take_fresh(pending, session, generation);
    if let Displayed::Filtered {
        generation: g,
        list,
        examined: e,
        complete,
        ..
    } = &mut session.displayed
        && *g == generation
    {
        list.extend(matches);
        *e = examined;
        *complete |= finished;
    }
}

/// The first result of filter run `generation` replaces the rows shown until then.
fn take_fresh(pending: &mut Option<Displayed>, session: &mut Session, generation: u64) {
    if let Some(Displayed::Filtered { generation: g, .. }) = pending
        && *g == generation
        && let Some(fresh) = pending.take()
    {
        session.displayed = fresh;
    }
}

/// Turns two counter samples into packets per second for the sparklines.
fn add_counters(state: &mut State, at: Instant, counters: Vec<(String, u64)>) {
    let now: HashMap<String, u64> = counters.into_iter().collect();
    if let Some((before, previous)) = &state.counters {
        let secs = at.duration_since(*before).as_secs_f32().max(0.001);
        for (name, count) in &now {
            let rate = previous
                .get(name)
                .map_or(0.0, |p| count.saturating_sub(*p) as f32 / secs);
            push_rate(state.rates.entry(name.clone()).or_default(), rate);
        }
        // `any` carries every interface's packets.
        let total: f32 = state
            .rates
            .iter()
            .filter(|(n, _)| n.as_str() != "any")
            .filter_map(|(_, h)| h.back())
            .sum();
        push_rate(state.rates.entry("any".into()).or_default(), total);
    }
    state.counters = Some((at, now));
}

fn push_rate(history: &mut std::collections::VecDeque<f32>, rate: f32) {
    history.push_back(rate);
    while history.len() > RATE_HISTORY {
        history.pop_front();
    }
}
