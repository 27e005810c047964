//! Wireshark's Go menu beyond the arrow keys: Go to packet, previous and next packet
//! of the selected conversation, and Find packet. A find runs on the UI thread a
//! slice at a time (a few milliseconds a frame, the capture's lock only tried, never
//! waited for), so a search through a million packets never stalls a frame.

use super::panes::search_bar::{FindBy, FindIn, FindRequest};
use super::selection;
use super::state::State;
use crate::dissect::{Dissection, Want};
use crate::filter::Filter;
use crate::tcp::Loaded;
use std::time::{Duration, Instant};

/// Time a frame gives a running search.
const FIND_BUDGET: Duration = Duration::from_millis(6);

/// A search in progress: what it looks for and the displayed rows left to look at.
#[derive(Debug)]
pub struct FindRun {
    query: Query,
    backward: bool,
    /// The next displayed row to look at.
    next: usize,
    /// Rows left to look at (the search wraps around once).
    left: usize,
}

#[derive(Debug)]
enum Query {
    Filter(Box<Filter>),
    Bytes(Vec<u8>),
    Text {
        needle: String,
        case_sensitive: bool,
        within: FindIn,
    },
}

/// What a search found inside its packet, shown once the packet's details are built:
/// bytes (hex or a string in the bytes) or a detail line's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// These bytes (ASCII case ignored unless the flag).
    Bytes(Vec<u8>, bool),
    /// A detail line holding this text (lowercase unless the flag).
    Line(String, bool),
}

impl Query {
    fn found(&self) -> Option<Found> {
        match self {
            Query::Bytes(b) => Some(Found::Bytes(b.clone(), true)),
            Query::Text {
                needle,
                case_sensitive,
                within: FindIn::Bytes,
            } => Some(Found::Bytes(needle.as_bytes().to_vec(), *case_sensitive)),
            Query::Text {
                needle,
                case_sensitive,
                within: FindIn::Details,
            } => Some(Found::Line(needle.clone(), *case_sensitive)),
            _ => None,
        }
    }
}

/// Selects the field whose bytes or line the last search found in the selected
/// packet (its bytes highlighted, its line opened), once its details are built.
pub(super) fn reveal_found(state: &mut State) {
    let Some(found) = state.found.take() else {
        return;
    };
    let Some(d) = &state.details else {
        return;
    };
    match found {
        Found::Bytes(needle, case_sensitive) => {
            let at = d.sources.first().and_then(|(_, frame)| {
                frame.windows(needle.len().max(1)).position(|w| {
                    if case_sensitive {
                        w == needle.as_slice()
                    } else {
                        w.eq_ignore_ascii_case(&needle)
                    }
                })
            });
            if let Some(offset) = at {
                selection::select_byte(state, 0, offset);
            }
        }
        Found::Line(needle, case_sensitive) => {
            let line = d
                .lines
                .iter()
                .position(|l| text_has(&l.label, &needle, case_sensitive));
            if let Some(i) = line {
                selection::reveal_line(state, i);
            }
        }
    }
}

/// Selects packet number `frame` (1-based) if the list displays it.
pub(super) fn go_to(state: &mut State, frame: usize) {
    let Some(session) = state.session.as_ref() else {
        return;
    };
    let shown = frame
        .checked_sub(1)
        .filter(|i| session.row_of(*i).is_some());
    match shown {
        Some(index) => {
            state.search.status.clear();
            selection::select(state, index);
        }
        None if frame == 0 || frame > session.progress.packets => {
            state.search.status = crate::tr!("search-no-packet", frame = frame.to_string());
        }
        None => state.search.status = crate::tr!("search-not-displayed", frame = frame.to_string()),
    }
}

/// Selects the previous (`delta` < 0) or next displayed packet of the selected
/// packet's TCP stream; nothing happens when the capture is busy or there is none.
pub(super) fn move_in_conversation(state: &mut State, delta: isize) {
    let Some(stream) = state.details.as_ref().and_then(|d| d.stream) else {
        return;
    };
    let Some(session) = state.session.as_ref() else {
        return;
    };
    let Some(shared) = session.shared.clone() else {
        return;
    };
    let Some(current) = session.selected.and_then(|i| session.row_of(i)) else {
        return;
    };
    let Some(loaded) = shared.try_read() else {
        return;
    };
    let Some(info) = loaded.tcp.streams.get(stream as usize) else {
        return;
    };
    // Only the stream's own span of frames is walked.
    let (first, last) = (
        (info.first_frame as usize).saturating_sub(1),
        (info.last_frame as usize).saturating_sub(1),
    );
    let in_stream = |r: usize| {
        session
            .packet_of(r)
            .filter(|i| (first..=last).contains(i))
            .and_then(|i| {
                loaded
                    .capture
                    .record(i)
                    .map(|rec| (i, rec.stream == stream))
            })
    };
    let mut r = current;
    let found = loop {
        r = match (delta < 0, r.checked_sub(1)) {
            (true, Some(p)) => p,
            (true, None) => break None,
            (false, _) if r + 1 < session.rows() => r + 1,
            (false, _) => break None,
        };
        match in_stream(r) {
            Some((i, true)) => break Some(i),
            Some((_, false)) => {}
            None if session.packet_of(r).is_some_and(|i| i < first || i > last) => break None,
            None => {}
        }
    };
    drop(loaded);
    if let Some(i) = found {
        selection::select(state, i);
    }
}

/// Starts a search from the selected packet (the next one, or the previous one
/// going backward); a bad filter or hex text says so and starts nothing.
pub(super) fn start_find(state: &mut State, request: FindRequest) {
    let query = match request.by {
        FindBy::DisplayFilter => match Filter::compile(&request.text) {
            Ok(f) => Query::Filter(Box::new(f)),
            Err(e) => {
                state.search.status = crate::tr!(
                    "filter-refused",
                    message = e.message.as_str(),
                    position = (e.position + 1).to_string()
                );
                return;
            }
        },
        FindBy::Hex => match parse_hex(&request.text) {
            Some(bytes) => Query::Bytes(bytes),
            None => {
                state.search.status = crate::tr!("search-hex-help");
                return;
            }
        },
        FindBy::String if request.text.is_empty() => {
            state.search.status = crate::tr!("search-type-string");
            return;
        }
        FindBy::String => Query::Text {
            needle: if request.case_sensitive {
                request.text.clone()
            } else {
                request.text.to_lowercase()
            },
            case_sensitive: request.case_sensitive,
            within: request.within,
        },
    };
    let Some((rows, current)) = state
        .session
        .as_ref()
        .and_then(|s| s.rows_and_selected_row())
    else {
        return;
    };
    let next = match (current, request.backward) {
        (Some(r), false) => (r + 1) % rows,
        (Some(r), true) => (r + rows - 1) % rows,
        (None, _) => 0,
    };
    state.search.status = crate::tr!("search-searching");
    state.find = Some(FindRun {
        query,
        backward: request.backward,
        next,
        left: rows,
    });
    step_find(state);
}

/// Looks at displayed rows for the running search until its time budget is spent;
/// selects the first match. Called once a frame while a search runs.
pub(super) fn step_find(state: &mut State) {
    let Some(mut run) = state.find.take() else {
        return;
    };
    let Some(session) = state.session.as_ref() else {
        return;
    };
    let Some(shared) = session.shared.clone() else {
        state.find = Some(run);
        return;
    };
    let Some(loaded) = shared.try_read() else {
        state.find = Some(run);
        return;
    };
    let rows = session.rows();
    let start = Instant::now();
    let mut found = None;
    while run.left > 0 && rows > 0 {
        let r = run.next % rows;
        run.left -= 1;
        run.next = if run.backward {
            (r + rows - 1) % rows
        } else {
            (r + 1) % rows
        };
        if let Some(i) = session.packet_of(r)
            && matches(&loaded, i, &run.query)
        {
            found = Some(i);
            break;
        }
        if start.elapsed() > FIND_BUDGET {
            break;
        }
    }
    drop(loaded);
    match found {
        Some(i) => {
            state.search.status = crate::tr!("search-found", frame = (i + 1).to_string());
            state.found = run.query.found();
            selection::select(state, i);
        }
        None if run.left == 0 => state.search.status = crate::tr!("search-no-match"),
        None => state.find = Some(run),
    }
}

/// Whether packet `i` matches the query.
fn matches(loaded: &Loaded, i: usize, query: &Query) -> bool {
    let analysis = loaded.analysis();
    match query {
        Query::Filter(f) => {
            let mut d = Dissection::new(Want::Fields(f.fields()), false, false);
            loaded
                .dissect_into(i, i.checked_sub(1), &analysis, &mut d)
                .is_some_and(|record| f.matches(&d, loaded.capture.bytes_of(&record)))
        }
        Query::Bytes(needle) => loaded
            .capture
            .record(i)
            .is_some_and(|r| contains(loaded.capture.bytes_of(&r), needle, true)),
        Query::Text {
            needle,
            case_sensitive,
            within,
        } => match within {
            FindIn::Bytes => loaded.capture.record(i).is_some_and(|r| {
                contains(
                    loaded.capture.bytes_of(&r),
                    needle.as_bytes(),
                    *case_sensitive,
                )
            }),
            FindIn::List => {
                let mut d = Dissection::new(Want::Fields(Default::default()), false, true);
                if loaded
                    .dissect_into(i, i.checked_sub(1), &analysis, &mut d)
                    .is_none()
                {
                    return false;
                }
                let c = &d.columns;
                [
                    c.source.as_str(),
                    c.destination.as_str(),
                    c.protocol.as_ref(),
                    c.info.as_str(),
                ]
                .iter()
                .any(|t| text_has(t, needle, *case_sensitive))
            }
            FindIn::Details => {
                let mut d = Dissection::new(Want::All, true, false);
                if loaded
                    .dissect_into(i, i.checked_sub(1), &analysis, &mut d)
                    .is_none()
                {
                    return false;
                }
                d.nodes
                    .iter()
                    .any(|n| !n.is_hidden() && text_has(&n.label(), needle, *case_sensitive))
            }
        },
    }
}

fn text_has(text: &str, needle: &str, case_sensitive: bool) -> bool {
    if case_sensitive {
        text.contains(needle)
    } else {
        text.to_lowercase().contains(needle)
    }
}

/// Whether `haystack` holds `needle` (ASCII letters in any case unless
/// `case_sensitive`).
fn contains(haystack: &[u8], needle: &[u8], case_sensitive: bool) -> bool {
    if needle.is_empty() {
        return false;
    }
    haystack.windows(needle.len()).any(|w| {
        if case_sensitive {
            w == needle
        } else {
            w.eq_ignore_ascii_case(needle)
        }
    })
}

/// Hex text as Wireshark's find accepts it: pairs of digits, optionally separated
/// by spaces, colons or dashes.
fn parse_hex(text: &str) -> Option<Vec<u8>> {
    let digits: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | ':' | '-' | '.'))
        .collect();
    if digits.is_empty() || !digits.len().is_multiple_of(2) {
        return None;
    }
    (0..digits.len())
        .step_by(2)
        .map(|k| {
            digits
                .get(k..k + 2)
                .and_then(|p| u8::from_str_radix(p, 16).ok())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_and_byte_search() {
        assert_eq!(parse_hex("47 45:54"), Some(b"GET".to_vec()));
        assert_eq!(parse_hex("4"), None);
        assert_eq!(parse_hex("zz"), None);
        assert!(contains(b"xxGETyy", b"get", false));
        assert!(!contains(b"xxGETyy", b"get", true));
    }
}
