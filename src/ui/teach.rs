//! The teaching modes' state and its changes: step mode's Play (a pace and the
//! instant of the next step, so the UI never waits), the connection picker, and
//! predict mode's questions and per-connection scores. [`apply`] is called from
//! `apply.rs` for every [`TeachAction`].

use super::state::State;
use super::teach_words as words;
use crate::tcp::connections::Connection;
use crate::tcp::ladder::{Arrow, Ladder};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Paces Play offers, in milliseconds per packet.
pub const PACES: [u64; 4] = [500, 1000, 2000, 4000];

/// What a predict question hides of the next arrow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Ask {
    /// Its acknowledgment number.
    Ack,
    /// Its flags.
    Flags,
    /// Both endpoints' states after it.
    States,
}

/// A predict question about one arrow.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    /// The stream.
    pub stream: u32,
    /// The arrow asked about (its frame).
    pub frame: u32,
    /// What is hidden.
    pub ask: Ask,
    /// The student's answer so far (typed number, or picked text).
    pub answer: String,
    /// Once checked: right or wrong, and the explanation.
    pub verdict: Option<(bool, String)>,
}

/// The shuffled handshake and close to put back in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Shuffle {
    /// The stream.
    pub stream: u32,
    /// The cards (frame, label) in the shuffled order shown.
    pub cards: Vec<(u32, String)>,
    /// The frames the student placed so far, in order.
    pub placed: Vec<u32>,
    /// Once all are placed: right or wrong, and the explanation.
    pub verdict: Option<(bool, String)>,
}

/// The extension of a quiz file.
pub const QUIZ_EXTENSION: &str = "synack-quiz";

/// One question of a quiz file: the frame whose `ask` is hidden.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct QuizItem {
    /// The frame asked about.
    pub frame: u32,
    /// What of it is hidden.
    pub ask: Ask,
}

/// A quiz file a teacher exports and a student opens: the capture (a file beside
/// it, copied there on export) and which fields of which frames are hidden.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct QuizFile {
    /// The capture's file name, in the quiz file's folder.
    pub capture: String,
    /// The TCP stream the questions are about.
    pub stream: u32,
    /// The questions, in order.
    pub questions: Vec<QuizItem>,
}

/// A quiz being taken: its questions and the next one's place.
#[derive(Debug, Clone, PartialEq)]
pub struct QuizRun {
    /// The questions.
    pub questions: Vec<QuizItem>,
    /// The open question's index.
    pub at: usize,
    /// The question waits for the capture to load and its ladder to be built.
    pub waiting: bool,
}

/// The teaching modes' runtime state (never saved).
#[derive(Debug)]
pub struct Teach {
    /// Play is stepping through the connection.
    pub playing: bool,
    /// Milliseconds between two steps of Play.
    pub pace_millis: u64,
    /// When Play takes its next step.
    pub next_at: Option<Instant>,
    /// The connection picker window is open.
    pub picker_open: bool,
    /// The capture's connections, listed when the picker opened.
    pub connections: Vec<Connection>,
    /// Predict mode is on (the ladder hides the arrows after the selected one).
    pub predict: bool,
    /// The open question.
    pub question: Option<Question>,
    /// The open reordering exercise.
    pub shuffle: Option<Shuffle>,
    /// Right answers and questions asked, per stream, for this session.
    pub scores: HashMap<u32, (u32, u32)>,
    /// The ladder writes each arrow's arithmetic (ack = seq + len) and links an ACK to
    /// the segment it acknowledges.
    pub arithmetic: bool,
    /// The ladder shows absolute numbers beside the relative ones.
    pub absolute_too: bool,
    /// A quiz file's questions being taken.
    pub quiz: Option<QuizRun>,
}

impl Default for Teach {
    fn default() -> Self {
        Teach {
            playing: false,
            pace_millis: 1000,
            next_at: None,
            picker_open: false,
            connections: Vec::new(),
            predict: false,
            question: None,
            shuffle: None,
            scores: HashMap::new(),
            arithmetic: true,
            absolute_too: false,
            quiz: None,
        }
    }
}

/// A change to the teaching modes.
#[derive(Debug, Clone, PartialEq)]
pub enum TeachAction {
    /// Start (true) or pause Play.
    Play(bool),
    /// Play's pace, milliseconds per packet.
    Pace(u64),
    /// Play's timer ran out: the next step.
    Tick,
    /// Go to the connection's first packet.
    First,
    /// Open (true) or close the connection picker.
    Picker(bool),
    /// Open this connection (its first frame) in Ladder view.
    Pick {
        /// Stream.
        stream: u32,
        /// First frame number.
        first_frame: u32,
    },
    /// Predict mode on or off.
    Predict(bool),
    /// Ask about the next arrow, hiding this.
    Ask(Ask),
    /// The student's answer so far.
    Answer(String),
    /// Check the answer.
    Check,
    /// Shuffle the selected connection's handshake and close.
    Shuffle,
    /// Place this card (frame) next.
    Place(u32),
    /// Take every card back.
    Unplace,
    /// Close the reordering exercise.
    CloseShuffle,
    /// The ladder's arithmetic overlay on or off.
    Arithmetic(bool),
    /// Absolute numbers beside the relative ones, on or off.
    AbsoluteToo(bool),
    /// Ask where, then write the selected connection as a quiz file (and copy the
    /// capture beside it).
    ExportQuiz,
    /// The quiz file's next question.
    NextQuizQuestion,
}

/// The ladder's arrow after the selected packet's, if the selected one is in it.
pub fn next_arrow(state: &State) -> Option<&Arrow> {
    let ladder = state.flow_data.ladder.as_ref()?;
    let frame = state.selected_frame()?;
    let at = ladder.arrows.iter().position(|a| a.frame == frame)?;
    ladder.arrows.get(at + 1)
}

/// Applies `action` to the teaching modes.
pub fn apply(state: &mut State, action: TeachAction) {
    match action {
        TeachAction::Play(on) => {
            state.teach.playing = on;
            state.teach.next_at =
                on.then(|| Instant::now() + Duration::from_millis(state.teach.pace_millis));
        }
        TeachAction::Pace(ms) => {
            state.teach.pace_millis = ms.clamp(100, 60_000);
            if state.teach.playing {
                state.teach.next_at =
                    Some(Instant::now() + Duration::from_millis(state.teach.pace_millis));
            }
        }
        TeachAction::Tick => {
            let last = state
                .flow_data
                .ladder
                .as_ref()
                .and_then(|l| l.arrows.last())
                .map(|a| a.frame);
            // The ladder of a long connection is a window of it: its last arrow is
            // the connection's last only when nothing after it was left out.
            let at_end = last == state.selected_frame() && state.flow_data.omitted.1 == 0;
            if last.is_none() || at_end {
                state.teach.playing = false;
                state.teach.next_at = None;
            } else {
                super::navigate::move_in_conversation(state, 1);
                state.teach.next_at =
                    Some(Instant::now() + Duration::from_millis(state.teach.pace_millis));
            }
        }
        TeachAction::First => {
            // The connection's first packet, also when the ladder's window starts later.
            let stream = state.flow_data.ladder.as_ref().map(|l| l.stream);
            let shared = state.session.as_ref().and_then(|s| s.shared.clone());
            let first = stream.and_then(|s| {
                let loaded = shared.as_ref()?.try_read()?;
                loaded.tcp.streams.get(s as usize).map(|i| i.first_frame)
            });
            let first = first.or_else(|| {
                state
                    .flow_data
                    .ladder
                    .as_ref()
                    .and_then(|l| l.arrows.first())
                    .map(|a| a.frame)
            });
            if let Some(frame) = first {
                super::navigate::go_to(state, frame as usize);
            }
        }
        TeachAction::Picker(open) => {
            state.teach.picker_open = open;
            if open {
                let shared = state.session.as_ref().and_then(|s| s.shared.clone());
                if let Some(loaded) = shared.as_ref().and_then(|s| s.try_read()) {
                    state.teach.connections = crate::tcp::connections::summarize(&loaded);
                }
            }
        }
        TeachAction::Pick {
            stream: _,
            first_frame,
        } => {
            state.teach.picker_open = false;
            state.teach.playing = false;
            super::navigate::go_to(state, first_frame as usize);
            state.ladder_view = true;
        }
        TeachAction::Predict(on) => {
            state.teach.predict = on;
            state.teach.question = None;
            if on {
                state.ladder_view = true;
            }
        }
        TeachAction::Ask(ask) => {
            state.teach.question = next_arrow(state).map(|a| Question {
                stream: state.flow_data.ladder.as_ref().map_or(0, |l| l.stream),
                frame: a.frame,
                ask,
                answer: String::new(),
                verdict: None,
            });
        }
        TeachAction::Answer(text) => {
            if let Some(q) = state.teach.question.as_mut() {
                q.answer = text;
                q.verdict = None;
            }
        }
        TeachAction::Check => check(state),
        TeachAction::Shuffle => {
            state.teach.shuffle = state.flow_data.ladder.as_ref().and_then(shuffled);
        }
        TeachAction::Place(frame) => {
            if let Some(s) = state.teach.shuffle.as_mut()
                && !s.placed.contains(&frame)
                && s.verdict.is_none()
            {
                s.placed.push(frame);
                if s.placed.len() == s.cards.len() {
                    let right = s.placed.windows(2).all(|w| w[0] < w[1]);
                    let score = state.teach.scores.entry(s.stream).or_default();
                    score.1 += 1;
                    if right {
                        score.0 += 1;
                    }
                    s.verdict = Some((right, words::order_verdict(right)));
                }
            }
        }
        TeachAction::Unplace => {
            if let Some(s) = state.teach.shuffle.as_mut() {
                s.placed.clear();
                s.verdict = None;
            }
        }
        TeachAction::CloseShuffle => state.teach.shuffle = None,
        TeachAction::Arithmetic(on) => state.teach.arithmetic = on,
        TeachAction::AbsoluteToo(on) => state.teach.absolute_too = on,
        TeachAction::ExportQuiz => {
            let capture = state.session.as_ref().map(|s| s.path.clone());
            if let (Some(ladder), Some(capture)) = (state.flow_data.ladder.as_ref(), capture)
                && let Some(path) = rfd::FileDialog::new()
                    .add_filter(crate::tr!("teach-quiz-files"), &[QUIZ_EXTENSION])
                    .set_file_name(format!("stream-{}.{QUIZ_EXTENSION}", ladder.stream))
                    .save_file()
                && let Err(e) = export_quiz(ladder, &capture, &path)
            {
                state.message = Some(e);
            }
        }
        TeachAction::NextQuizQuestion => {
            if let Some(run) = state.teach.quiz.as_mut() {
                run.at += 1;
                run.waiting = run.at < run.questions.len();
            }
            state.teach.question = None;
            step_quiz(state);
        }
    }
}

/// Whether `path` is a quiz file.
pub fn is_quiz(path: &std::path::Path) -> bool {
    path.extension().is_some_and(|e| e == QUIZ_EXTENSION)
}

/// The questions a teacher's export asks about a connection: every arrow after the
/// first, its next states where one changes, else its ack number, else its flags.
pub fn quiz_of(ladder: &Ladder) -> QuizFile {
    let questions = ladder
        .arrows
        .iter()
        .skip(1)
        .map(|a| QuizItem {
            frame: a.frame,
            ask: if a.changed.iter().any(|c| *c) {
                Ask::States
            } else if a.ack.is_some() {
                Ask::Ack
            } else {
                Ask::Flags
            },
        })
        .collect();
    QuizFile {
        capture: String::new(),
        stream: ladder.stream,
        questions,
    }
}

/// Writes `ladder`'s quiz to `path` and copies `capture` beside it.
pub fn export_quiz(
    ladder: &Ladder,
    capture: &std::path::Path,
    path: &std::path::Path,
) -> Result<(), String> {
    let quiz = quiz_of(ladder);
    let name = capture
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| words::quiz_error(&crate::tr!("teach-quiz-no-file-name"), capture))?;
    let dir = path.parent().unwrap_or(std::path::Path::new("."));
    let beside = dir.join(&name);
    if beside != capture {
        std::fs::copy(capture, &beside).map_err(|e| words::quiz_error(&e.to_string(), &beside))?;
    }
    let quiz = QuizFile {
        capture: name,
        ..quiz
    };
    let text = serde_json::to_string_pretty(&quiz).map_err(|e| e.to_string())?;
    std::fs::write(path, text).map_err(|e| words::quiz_error(&e.to_string(), path))
}

/// Opens a quiz file: its capture, then predict mode on its first question.
pub fn open_quiz(state: &mut State, path: std::path::PathBuf) {
    let quiz: Result<QuizFile, String> = std::fs::read_to_string(&path)
        .map_err(|e| e.to_string())
        .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()));
    match quiz {
        Ok(quiz) => {
            let dir = path.parent().unwrap_or(std::path::Path::new("."));
            let capture = dir.join(&quiz.capture);
            super::apply::apply(state, super::action::Action::Open(capture));
            state.teach.quiz = Some(QuizRun {
                questions: quiz.questions,
                at: 0,
                waiting: true,
            });
            state.teach.predict = true;
            state.ladder_view = true;
        }
        Err(e) => state.message = Some(words::quiz_error(&e, &path)),
    }
}

/// Moves a quiz on once the capture and the ladder are ready: selects the packet
/// before the question's and asks it (called every frame; nothing waits).
pub fn step_quiz(state: &mut State) {
    let Some(run) = state.teach.quiz.clone() else {
        return;
    };
    if !run.waiting || state.is_busy() {
        return;
    }
    let Some(item) = run.questions.get(run.at).copied() else {
        return;
    };
    // The ladder must hold the question's frame and the one before it.
    let before = state.flow_data.ladder.as_ref().and_then(|l| {
        let at = l.arrows.iter().position(|a| a.frame == item.frame)?;
        at.checked_sub(1)
            .and_then(|p| l.arrows.get(p))
            .map(|a| a.frame)
    });
    match before {
        Some(frame) if state.selected_frame() == Some(frame) => {
            state.teach.predict = true;
            state.ladder_view = true;
            apply(state, TeachAction::Ask(item.ask));
            if let Some(r) = state.teach.quiz.as_mut() {
                r.waiting = false;
            }
        }
        Some(frame) => super::navigate::go_to(state, frame as usize),
        // The question is about the connection's first packet: nothing to ask.
        None if state.selected_frame() == Some(item.frame) && state.flow_data.ladder.is_some() => {
            if let Some(r) = state.teach.quiz.as_mut() {
                r.waiting = false;
            }
        }
        // No ladder yet: select the question's frame, whose stream's ladder follows.
        None => super::navigate::go_to(state, item.frame as usize),
    }
}

/// Checks the open question against the capture's arrow.
fn check(state: &mut State) {
    let Some(q) = state.teach.question.clone() else {
        return;
    };
    let Some(ladder) = state.flow_data.ladder.as_ref() else {
        return;
    };
    let Some(arrow) = ladder.arrows.iter().find(|a| a.frame == q.frame) else {
        return;
    };
    let right = match q.ask {
        // Relative as the ladder counts, or absolute as the wire and tcpdump -S say.
        Ask::Ack => match arrow.ack {
            Some(ack) => q
                .answer
                .trim()
                .parse::<u32>()
                .is_ok_and(|n| n == ack || Some(n) == arrow.ack_raw),
            None => words::is_no_ack(&q.answer),
        },
        Ask::Flags => q.answer == arrow.flags,
        Ask::States => q.answer == states_text(arrow),
    };
    let explain = words::predict_verdict(right, q.ask, arrow, &ladder.roles);
    let score = state.teach.scores.entry(q.stream).or_default();
    score.1 += 1;
    if right {
        score.0 += 1;
    }
    if let Some(open) = state.teach.question.as_mut() {
        open.verdict = Some((right, explain));
    }
}

/// The two states after an arrow as a predict answer reads them.
pub fn states_text(a: &Arrow) -> String {
    format!("{} / {}", a.left_state, a.right_state)
}

/// The handshake's and the close's arrows as cards in a fixed shuffled order (the
/// same every time for a stream, so a class sees one exercise).
fn shuffled(ladder: &Ladder) -> Option<Shuffle> {
    let mut cards: Vec<(u32, String)> = ladder
        .arrows
        .iter()
        .filter(|a| a.phase != "data" && !a.relation.is_empty())
        .map(|a| (a.frame, words::card(a, &ladder.roles)))
        .collect();
    if cards.len() < 2 {
        return None;
    }
    // A rotation by half then a swap of neighbours: never the capture's order.
    let n = cards.len();
    cards.rotate_left(n / 2);
    for pair in cards.chunks_mut(2) {
        pair.reverse();
    }
    if cards.windows(2).all(|w| w[0].0 < w[1].0) {
        cards.reverse();
    }
    Some(Shuffle {
        stream: ladder.stream,
        cards,
        placed: Vec::new(),
        verdict: None,
    })
}

/// Play's next step is due: the step if so, and how long to wait otherwise.
pub fn due(state: &State, now: Instant) -> (bool, Option<Duration>) {
    match (state.teach.playing, state.teach.next_at) {
        (true, Some(at)) if at <= now => (true, None),
        (true, Some(at)) => (false, Some(at - now)),
        _ => (false, None),
    }
}
