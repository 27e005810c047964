//! Every sentence and label the teaching modes (step, predict, reorder, the
//! connection picker) show, in one place, so they can move to translation files.

use super::teach::Ask;
use crate::tcp::ladder::Arrow;

/// Step bar buttons and their hover texts.
pub const FIRST: &str = "⏮ First";
/// Hover text of First.
pub const FIRST_HOVER: &str = "Back to the connection's first packet";
/// Previous.
pub const PREV: &str = "◀ Previous";
/// Hover text of Previous.
pub const PREV_HOVER: &str = "Previous packet of this connection (← or Ctrl+,)";
/// Next.
pub const NEXT: &str = "Next ▶";
/// Hover text of Next.
pub const NEXT_HOVER: &str = "Next packet of this connection (→ or Ctrl+.)";
/// Play.
pub const PLAY: &str = "▶ Play";
/// Pause.
pub const PAUSE: &str = "⏸ Pause";
/// Hover text of Play.
pub const PLAY_HOVER: &str = "Step through the connection by itself (Space)";
/// The pace choice.
pub const PACE: &str = "Pace";
/// Predict mode's toggle.
pub const PREDICT: &str = "Predict";
/// Hover text of Predict.
pub const PREDICT_HOVER: &str =
    "Quiz: the ladder hides what comes next, you say what the next packet carries";
/// The reorder exercise's button.
pub const REORDER: &str = "Reorder handshake and close";
/// The student/expert toggle.
pub const STUDENT: &str = "Student";
/// Its hover text.
pub const STUDENT_HOVER: &str =
    "Explanations and lessons under the ladder (off: expert, the ladder alone)";
/// The picker's button and window title.
pub const PICKER: &str = "Connections…";
/// The picker's window title.
pub const PICKER_TITLE: &str = "Choose a connection";
/// The arithmetic overlay's toggle.
pub const ARITHMETIC: &str = "Arithmetic";
/// Hover text of the arithmetic toggle.
pub const ARITHMETIC_HOVER: &str =
    "Write ack = seq + len on each arrow and link each ACK to the segment it acknowledges";
/// The absolute numbers' toggle.
pub const ABSOLUTE_TOO: &str = "Absolute too";
/// Hover text of that toggle.
pub const ABSOLUTE_TOO_HOVER: &str =
    "Show the absolute numbers (tcpdump -S) beside the relative ones";

/// The pace's label, e.g. `1 s per packet`.
pub fn pace(ms: u64) -> String {
    if ms.is_multiple_of(1000) {
        format!("{} s per packet", ms / 1000)
    } else {
        format!("{:.1} s per packet", ms as f64 / 1000.0)
    }
}

/// Where the student is in the connection, e.g. `Packet 3 of 10`.
pub fn position(at: usize, of: usize) -> String {
    format!("Packet {at} of {of}")
}

/// A score line, e.g. `Score for stream 0: 3 of 4`.
pub fn score(stream: u32, right: u32, asked: u32) -> String {
    format!("Score for stream {stream}: {right} right of {asked}")
}

/// The question asked about the next packet.
pub fn question(ask: Ask, frame: u32, sender: &str) -> String {
    match ask {
        Ask::Ack => format!(
            "What acknowledgment number does the {sender} send in the next packet (frame {frame})? Type a number, or \"none\" if its ACK flag is off."
        ),
        Ask::Flags => {
            format!("Which flags does the next packet (frame {frame}, from the {sender}) carry?")
        }
        Ask::States => format!(
            "After the next packet (frame {frame}, from the {sender}), which states are the two endpoints in (left / right)?"
        ),
    }
}

/// The three kinds of question's buttons.
pub fn ask_label(ask: Ask) -> &'static str {
    match ask {
        Ask::Ack => "Ask its ack number",
        Ask::Flags => "Ask its flags",
        Ask::States => "Ask the next states",
    }
}

/// Check button.
pub const CHECK: &str = "Check";

/// Whether the answer says "no acknowledgment".
pub fn is_no_ack(answer: &str) -> bool {
    matches!(answer.trim().to_lowercase().as_str(), "none" | "-" | "no")
}

/// The verdict on a predict answer, with the right answer explained.
pub fn predict_verdict(right: bool, ask: Ask, a: &Arrow, roles: &[String; 2]) -> String {
    let head = if right { "Right." } else { "Not quite." };
    let sender = roles.get(a.from).map_or("host", String::as_str);
    let why = match ask {
        Ask::Ack => match a.ack {
            Some(ack) if a.relation.contains("ack=") => format!(
                "Frame {} carries ack {ack} ({}): {}",
                a.frame, a.relation, a.explain
            ),
            Some(ack) => format!(
                "Frame {} carries ack {ack}: the {sender} acknowledges every byte before {ack}, the next one it expects.",
                a.frame
            ),
            None => format!(
                "Frame {} has no ACK flag, so no acknowledgment number.",
                a.frame
            ),
        },
        Ask::Flags => format!("Frame {} carries {}: {}", a.frame, a.flags, a.explain),
        Ask::States => format!(
            "After frame {} the left endpoint is {} and the right one {}: {}",
            a.frame, a.left_state, a.right_state, a.explain
        ),
    };
    format!("{head} {why}")
}

/// A reorder card: who sends what, without its frame number or time.
pub fn card(a: &Arrow, roles: &[String; 2]) -> String {
    let sender = roles.get(a.from).map_or("host", String::as_str);
    format!("{sender} → {}   {}", a.flags, a.relation)
}

/// The reorder exercise's instructions.
pub const REORDER_HELP: &str = "These packets of the handshake and the close are shuffled: click them in the order they were sent.";
/// Why a quiz file could not be written or read.
pub fn quiz_error(what: &str, path: &std::path::Path) -> String {
    format!("Quiz file: {what}: {}", path.display())
}
/// The quiz export's button.
pub const EXPORT_QUIZ: &str = "Export quiz…";
/// Its hover text.
pub const EXPORT_QUIZ_HOVER: &str =
    "Save this connection as a quiz file (with a copy of the capture) that students open";
/// The quiz's next-question button.
pub const NEXT_QUESTION: &str = "Next question ▶";
/// Where the student is in a quiz file.
pub fn quiz_position(at: usize, of: usize) -> String {
    format!("Question {at} of {of}")
}

/// What Ladder view shows while the reorder exercise is open.
pub const LADDER_HIDDEN: &str =
    "The ladder is hidden while you put the handshake and the close back in order.";
/// Take the cards back.
pub const START_OVER: &str = "Start over";
/// Close the exercise.
pub const CLOSE: &str = "Close";

/// The verdict on a reordering.
pub fn order_verdict(right: bool) -> String {
    if right {
        "Right: x comes before x+1, y before y+1, u before u+1 and w before w+1, so this is the order the packets were sent.".into()
    } else {
        "Not quite: each ack must answer a seq already sent (ack=x+1 after seq=x, ack=u+1 after seq=u). Start over and try again.".into()
    }
}

/// The picker's column headers.
pub const PICKER_COLUMNS: [&str; 6] = ["stream", "client", "server", "packets", "how it went", ""];
/// The picker's hover text for a badge.
pub fn badge_hover(badge: &str) -> &'static str {
    match badge {
        "complete" => "handshake and close both seen",
        "reset" => "ended by RST after the handshake",
        "refused" => "the SYN was answered by RST: nothing listened",
        "syn-only" => "a SYN that nothing answered",
        "no-close" => "handshake seen, but no FIN or RST",
        "mid-stream" => "the capture started after the handshake",
        _ => "",
    }
}
/// The picker's open button.
pub const OPEN_LADDER: &str = "Open its ladder";
