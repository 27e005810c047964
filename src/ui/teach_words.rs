//! Every sentence and label the teaching modes (step, predict, reorder, the
//! connection picker) show, in one place: each is a `teach-*` message of
//! `assets/i18n/*.ftl`, looked up in the window's language. Frame and sequence
//! numbers are passed as text, so they read as the packet shows them.

use super::teach::Ask;
use crate::tcp::ladder::Arrow;
use crate::tr;

/// Step bar buttons and their hover texts.
pub fn first() -> String {
    tr!("teach-first")
}
/// Hover text of First.
pub fn first_hover() -> String {
    tr!("teach-first-hover")
}
/// Previous.
pub fn prev() -> String {
    tr!("teach-prev")
}
/// Hover text of Previous.
pub fn prev_hover() -> String {
    tr!("teach-prev-hover")
}
/// Next.
pub fn next() -> String {
    tr!("teach-next")
}
/// Hover text of Next.
pub fn next_hover() -> String {
    tr!("teach-next-hover")
}
/// Play.
pub fn play() -> String {
    tr!("teach-play")
}
/// Pause.
pub fn pause() -> String {
    tr!("teach-pause")
}
/// Hover text of Play.
pub fn play_hover() -> String {
    tr!("teach-play-hover")
}
/// The pace choice.
pub fn pace_label() -> String {
    tr!("teach-pace")
}
/// Predict mode's toggle.
pub fn predict() -> String {
    tr!("teach-predict")
}
/// Hover text of Predict.
pub fn predict_hover() -> String {
    tr!("teach-predict-hover")
}
/// The reorder exercise's button.
pub fn reorder() -> String {
    tr!("teach-reorder")
}
/// The student/expert toggle.
pub fn student() -> String {
    tr!("teach-student")
}
/// Its hover text.
pub fn student_hover() -> String {
    tr!("teach-student-hover")
}
/// The picker's button and window title.
pub fn picker() -> String {
    tr!("teach-picker")
}
/// The picker's window title.
pub fn picker_title() -> String {
    tr!("teach-picker-title")
}
/// The arithmetic overlay's toggle.
pub fn arithmetic() -> String {
    tr!("teach-arithmetic")
}
/// Hover text of the arithmetic toggle.
pub fn arithmetic_hover() -> String {
    tr!("teach-arithmetic-hover")
}
/// The absolute numbers' toggle.
pub fn absolute_too() -> String {
    tr!("teach-absolute-too")
}
/// Hover text of that toggle.
pub fn absolute_too_hover() -> String {
    tr!("teach-absolute-too-hover")
}

/// The pace's label, e.g. `1 s per packet`.
pub fn pace(ms: u64) -> String {
    let seconds = if ms.is_multiple_of(1000) {
        (ms / 1000).to_string()
    } else {
        format!("{:.1}", ms as f64 / 1000.0)
    };
    tr!("teach-pace-seconds", seconds = seconds)
}

/// Where the student is in the connection, e.g. `Packet 3 of 10`.
pub fn position(at: usize, of: usize) -> String {
    tr!("teach-position", at = at.to_string(), of = of.to_string())
}

/// A score line, e.g. `Score for stream 0: 3 of 4`.
pub fn score(stream: u32, right: u32, asked: u32) -> String {
    tr!(
        "teach-score",
        stream = stream.to_string(),
        right = right.to_string(),
        asked = asked.to_string()
    )
}

/// The question asked about the next packet.
pub fn question(ask: Ask, frame: u32, sender: &str) -> String {
    let id = match ask {
        Ask::Ack => "teach-question-ack",
        Ask::Flags => "teach-question-flags",
        Ask::States => "teach-question-states",
    };
    tr!(id, frame = frame.to_string(), sender = sender)
}

/// The three kinds of question's buttons.
pub fn ask_label(ask: Ask) -> String {
    tr!(match ask {
        Ask::Ack => "teach-ask-ack",
        Ask::Flags => "teach-ask-flags",
        Ask::States => "teach-ask-states",
    })
}

/// Check button.
pub fn check() -> String {
    tr!("teach-check")
}

/// Whether the answer says "no acknowledgment" (in English, or as a Chinese or
/// German student types it).
pub fn is_no_ack(answer: &str) -> bool {
    matches!(
        answer.trim().to_lowercase().as_str(),
        "none" | "-" | "no" | "无" | "没有" | "keine" | "kein"
    )
}

/// The verdict on a predict answer, with the right answer explained.
pub fn predict_verdict(right: bool, ask: Ask, a: &Arrow, roles: &[String; 2]) -> String {
    let sender = sender_of(a, roles);
    let frame = a.frame.to_string();
    let frame = frame.as_str();
    let explain = a.explain.as_str();
    // The ladder counts relative numbers, the explanation of a handshake names the
    // absolute ones (x+1 = 4262667676): say both, so the two do not seem to disagree.
    let wire = match (a.ack, a.ack_raw) {
        (Some(ack), Some(raw)) if ack != raw => {
            tr!("teach-ack-on-the-wire", raw = raw.to_string())
        }
        _ => String::new(),
    };
    let why = match ask {
        Ask::Ack => match a.ack {
            Some(ack) if a.relation.contains("ack=") => tr!(
                "teach-why-ack-relation",
                frame = frame,
                ack = ack.to_string(),
                wire = wire,
                relation = a.relation.as_str(),
                explain = explain
            ),
            Some(ack) => tr!(
                "teach-why-ack",
                frame = frame,
                ack = ack.to_string(),
                wire = wire,
                sender = sender
            ),
            None => tr!("teach-why-no-ack", frame = frame),
        },
        Ask::Flags => tr!(
            "teach-why-flags",
            frame = frame,
            flags = a.flags.as_str(),
            explain = explain
        ),
        Ask::States => tr!(
            "teach-why-states",
            frame = frame,
            left = a.left_state.as_str(),
            right = a.right_state.as_str(),
            explain = explain
        ),
    };
    if right {
        tr!("teach-verdict-right", why = why)
    } else {
        tr!("teach-verdict-wrong", why = why)
    }
}

/// A reorder card: who sends what, without its frame number or time.
pub fn card(a: &Arrow, roles: &[String; 2]) -> String {
    format!("{} → {}   {}", sender_of(a, roles), a.flags, a.relation)
}

/// The role of an arrow's sender (`host` when the ladder has none for it).
pub fn sender_of(a: &Arrow, roles: &[String; 2]) -> String {
    roles
        .get(a.from)
        .cloned()
        .unwrap_or_else(|| tr!("role-host"))
}

/// The reorder exercise's instructions.
pub fn reorder_help() -> String {
    tr!("teach-reorder-help")
}
/// Why a quiz file could not be written or read.
pub fn quiz_error(what: &str, path: &std::path::Path) -> String {
    tr!(
        "teach-quiz-error",
        what = what,
        path = path.display().to_string()
    )
}
/// The quiz export's button.
pub fn export_quiz() -> String {
    tr!("teach-export-quiz")
}
/// Its hover text.
pub fn export_quiz_hover() -> String {
    tr!("teach-export-quiz-hover")
}
/// The quiz's next-question button.
pub fn next_question() -> String {
    tr!("teach-next-question")
}
/// Where the student is in a quiz file.
pub fn quiz_position(at: usize, of: usize) -> String {
    tr!(
        "teach-quiz-position",
        at = at.to_string(),
        of = of.to_string()
    )
}

/// What Ladder view shows while the reorder exercise is open.
pub fn ladder_hidden() -> String {
    tr!("teach-ladder-hidden")
}
/// Take the cards back.
pub fn start_over() -> String {
    tr!("teach-start-over")
}
/// Close the exercise.
pub fn close() -> String {
    tr!("teach-close")
}

/// The verdict on a reordering.
pub fn order_verdict(right: bool) -> String {
    if right {
        tr!("teach-order-right")
    } else {
        tr!("teach-order-wrong")
    }
}

/// The picker's column headers.
pub fn picker_columns() -> [String; 8] {
    [
        tr!("teach-col-stream"),
        tr!("teach-col-client"),
        tr!("teach-col-server"),
        tr!("teach-col-packets"),
        tr!("teach-col-duration"),
        tr!("teach-col-outcome"),
        tr!("teach-col-meaning"),
        String::new(),
    ]
}

/// A connection's duration in the picker, in seconds.
pub fn duration(nanos: i64) -> String {
    // Milliseconds are enough to tell connections apart by eye.
    let seconds = format!("{:.3}", nanos.max(0) as f64 / 1e9);
    tr!("teach-duration", seconds = seconds)
}

/// The badges the picker knows (`synack flows`' words for how a connection went).
const BADGES: [&str; 6] = [
    "complete",
    "reset",
    "refused",
    "syn-only",
    "no-close",
    "mid-stream",
];

/// A badge as the picker shows it: translated when it is one of synack's own, as it
/// is otherwise.
pub fn badge(badge: &str) -> String {
    if BADGES.contains(&badge) {
        tr!(&format!("teach-badge-{badge}"))
    } else {
        badge.to_string()
    }
}

/// A connection's notes as the picker shows them (`teach-note-NAME` each, joined
/// the language's way); empty when there are none.
pub fn notes(notes: crate::tcp::connections::Notes) -> String {
    notes
        .iter()
        .map(|n| tr!(&format!("teach-note-{}", n.name())))
        .collect::<Vec<_>>()
        .join(&tr!("teach-note-separator"))
}

/// The picker's hover text for a badge.
pub fn badge_hover(badge: &str) -> String {
    if BADGES.contains(&badge) {
        tr!(&format!("teach-badge-hover-{badge}"))
    } else {
        String::new()
    }
}
/// The picker's open button.
pub fn open_ladder() -> String {
    tr!("teach-open-ladder")
}
