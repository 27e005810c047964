//! The teaching modes' controls in Ladder view: step mode's bar (First, Previous,
//! Next, Play at a pace), the explanation with what each side waits for and the
//! analysis events' lessons, predict mode's question, the reorder exercise and the
//! connection picker. Each returns [`Action`]s; nothing here changes state.

use crate::tcp::lessons;
use crate::ui::action::Action;
use crate::ui::model::Details;
use crate::ui::state::State;
use crate::ui::teach::{self, Ask, PACES, TeachAction};
use crate::ui::teach_words as words;
use eframe::egui::{self, RichText};

fn act(a: TeachAction) -> Action {
    Action::Teach(a)
}

/// The selected arrow's place in the ladder (1-based) and the arrow count.
fn position(state: &State) -> Option<(usize, usize)> {
    let ladder = state.flow_data.ladder.as_ref()?;
    let frame = state.session.as_ref()?.selected? + 1;
    let at = ladder
        .arrows
        .iter()
        .position(|a| a.frame as usize == frame)?;
    // A long connection's ladder holds a window of it: count the whole connection, or
    // "Packet 1 of 300" would say a 2322-packet transfer has 300.
    let (before, after) = state.flow_data.omitted;
    Some((before + at + 1, before + ladder.arrows.len() + after))
}

/// Step mode's buttons, the toggles and the position, on one row.
pub fn step_ui(ui: &mut egui::Ui, state: &State, actions: &mut Vec<Action>) {
    let t = &state.teach;
    if ui
        .button(words::first())
        .on_hover_text(words::first_hover())
        .clicked()
    {
        actions.push(act(TeachAction::First));
    }
    if ui
        .button(words::prev())
        .on_hover_text(words::prev_hover())
        .clicked()
    {
        actions.push(Action::MoveInConversation(-1));
    }
    if ui
        .button(words::next())
        .on_hover_text(words::next_hover())
        .clicked()
    {
        actions.push(Action::MoveInConversation(1));
    }
    let play = if t.playing {
        words::pause()
    } else {
        words::play()
    };
    if ui.button(play).on_hover_text(words::play_hover()).clicked() {
        actions.push(act(TeachAction::Play(!t.playing)));
    }
    egui::ComboBox::from_id_salt("pace")
        .selected_text(words::pace(t.pace_millis))
        .show_ui(ui, |ui| {
            for ms in PACES {
                if ui
                    .selectable_label(ms == t.pace_millis, words::pace(ms))
                    .clicked()
                {
                    actions.push(act(TeachAction::Pace(ms)));
                }
            }
        })
        .response
        .on_hover_text(words::pace_label());
    if let Some((at, of)) = position(state) {
        ui.label(RichText::new(words::position(at, of)).strong());
    }
    ui.separator();
    let mut predict = t.predict;
    if ui
        .toggle_value(&mut predict, words::predict())
        .on_hover_text(words::predict_hover())
        .changed()
    {
        actions.push(act(TeachAction::Predict(predict)));
    }
    if ui.button(words::reorder()).clicked() {
        actions.push(act(TeachAction::Shuffle));
    }
    let mut arithmetic = t.arithmetic;
    if ui
        .toggle_value(&mut arithmetic, words::arithmetic())
        .on_hover_text(words::arithmetic_hover())
        .changed()
    {
        actions.push(act(TeachAction::Arithmetic(arithmetic)));
    }
    let mut absolute = t.absolute_too;
    if ui
        .toggle_value(&mut absolute, words::absolute_too())
        .on_hover_text(words::absolute_too_hover())
        .changed()
    {
        actions.push(act(TeachAction::AbsoluteToo(absolute)));
    }
    let mut student = state.settings.teaching;
    if ui
        .toggle_value(&mut student, words::student())
        .on_hover_text(words::student_hover())
        .changed()
    {
        actions.push(Action::View(crate::ui::action::ViewChange::Teaching(
            student,
        )));
    }
    if ui.button(words::picker()).clicked() {
        actions.push(act(TeachAction::Picker(true)));
    }
}

/// Step mode's keys in Ladder view: ← and → step, Space plays or pauses.
pub fn keys(ctx: &egui::Context, state: &State) -> Vec<Action> {
    if !state.ladder_view || ctx.egui_wants_keyboard_input() {
        return Vec::new();
    }
    ctx.input(|i| {
        let mut out = Vec::new();
        if i.key_pressed(egui::Key::ArrowRight) {
            out.push(Action::MoveInConversation(1));
        }
        if i.key_pressed(egui::Key::ArrowLeft) {
            out.push(Action::MoveInConversation(-1));
        }
        if i.key_pressed(egui::Key::Space) {
            out.push(act(TeachAction::Play(!state.teach.playing)));
        }
        out
    })
}

/// The explanation under the ladder: the packet's sentence, what each side now waits
/// for, and (student mode) what its analysis marks mean.
pub fn explain_ui(ui: &mut egui::Ui, state: &State) {
    // An open question's answer is often in the explanation ("the server will
    // acknowledge 19"): it shows again once the answer is checked.
    if state.teach.predict
        && state
            .teach
            .question
            .as_ref()
            .is_some_and(|q| q.verdict.is_none())
    {
        return;
    }
    super::explanation::ui(ui, state.details.as_ref());
    let Some(ladder) = state.flow_data.ladder.as_ref() else {
        return;
    };
    let frame = state.details.as_ref().map(|d: &Details| d.index + 1);
    let Some(a) = ladder
        .arrows
        .iter()
        .find(|a| Some(a.frame as usize) == frame)
    else {
        return;
    };
    ui.label(lessons::waiting(
        &ladder.roles,
        [&a.left_state, &a.right_state],
    ));
    for lesson in &a.lessons {
        ui.label(RichText::new(lesson).strong());
    }
}

/// Predict mode's panel: the kinds of question, the open one, its verdict, the score.
pub fn predict_ui(ui: &mut egui::Ui, state: &State, actions: &mut Vec<Action>) {
    let t = &state.teach;
    let Some(ladder) = state.flow_data.ladder.as_ref() else {
        return;
    };
    ui.horizontal_wrapped(|ui| {
        for ask in [Ask::Ack, Ask::Flags, Ask::States] {
            if ui.button(words::ask_label(ask)).clicked() {
                actions.push(act(TeachAction::Ask(ask)));
            }
        }
        if let Some((right, asked)) = t.scores.get(&ladder.stream) {
            ui.label(RichText::new(words::score(ladder.stream, *right, *asked)).strong());
        }
        if let Some(run) = &t.quiz {
            ui.label(words::quiz_position(
                (run.at + 1).min(run.questions.len()),
                run.questions.len(),
            ));
            let answered = t.question.as_ref().is_some_and(|q| q.verdict.is_some());
            if answered
                && run.at + 1 < run.questions.len()
                && ui.button(words::next_question()).clicked()
            {
                actions.push(act(TeachAction::NextQuizQuestion));
            }
        }
        if ui
            .button(words::export_quiz())
            .on_hover_text(words::export_quiz_hover())
            .clicked()
        {
            actions.push(act(TeachAction::ExportQuiz));
        }
    });
    let Some(q) = &t.question else {
        return;
    };
    let Some(arrow) = ladder.arrows.iter().find(|a| a.frame == q.frame) else {
        return;
    };
    let sender = words::sender_of(arrow, &ladder.roles);
    ui.label(RichText::new(words::question(q.ask, q.frame, &sender)).strong());
    ui.horizontal_wrapped(|ui| {
        match q.ask {
            Ask::Ack => {
                let mut text = q.answer.clone();
                let r = ui.add(
                    egui::TextEdit::singleline(&mut text)
                        .desired_width(120.0)
                        .id_salt("predict answer"),
                );
                if r.changed() {
                    actions.push(act(TeachAction::Answer(text)));
                }
                if r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    actions.push(act(TeachAction::Check));
                }
            }
            Ask::Flags | Ask::States => {
                for choice in choices(q.ask, ladder, arrow) {
                    if ui.selectable_label(q.answer == choice, &choice).clicked() {
                        actions.push(act(TeachAction::Answer(choice.clone())));
                    }
                }
            }
        }
        if ui.button(words::check()).clicked() {
            actions.push(act(TeachAction::Check));
        }
    });
    verdict_ui(ui, q.verdict.as_ref());
}

/// A checked answer's verdict: why, in green when right, in red when wrong.
fn verdict_ui(ui: &mut egui::Ui, verdict: Option<&(bool, String)>) {
    if let Some((right, why)) = verdict {
        let color = if *right {
            egui::Color32::from_rgb(0x1b, 0x7f, 0x3b)
        } else {
            egui::Color32::from_rgb(0xb0, 0x20, 0x20)
        };
        ui.label(RichText::new(why).color(color));
    }
}

/// The answers offered for a flags or states question: the right one among the
/// other values this connection shows, in a fixed order.
fn choices(
    ask: Ask,
    ladder: &crate::tcp::ladder::Ladder,
    arrow: &crate::tcp::ladder::Arrow,
) -> Vec<String> {
    let mut all: Vec<String> = match ask {
        Ask::Flags => ladder.arrows.iter().map(|a| a.flags.clone()).collect(),
        _ => ladder.arrows.iter().map(teach::states_text).collect(),
    };
    all.sort();
    all.dedup();
    let right = match ask {
        Ask::Flags => arrow.flags.clone(),
        _ => teach::states_text(arrow),
    };
    if !all.contains(&right) {
        all.push(right);
    }
    all.truncate(8);
    all
}

/// The reorder exercise's window.
pub fn shuffle_ui(ctx: &egui::Context, state: &State, actions: &mut Vec<Action>) {
    let Some(s) = &state.teach.shuffle else {
        return;
    };
    let mut open = true;
    // Below the toolbars, so the bar's buttons and the note under them stay in view.
    let top = egui::pos2(ctx.content_rect().center().x, 140.0);
    egui::Window::new(words::reorder())
        .open(&mut open)
        .pivot(egui::Align2::CENTER_TOP)
        .default_pos(top)
        .default_width(560.0)
        .show(ctx, |ui| {
            ui.label(words::reorder_help());
            ui.add_space(6.0);
            for (frame, label) in &s.cards {
                let placed = s.placed.iter().position(|f| f == frame);
                let text = match placed {
                    Some(k) => format!("{}. {label}", k + 1),
                    None => format!("    {label}"),
                };
                let button =
                    egui::Button::new(RichText::new(text).monospace()).selected(placed.is_some());
                if ui.add_enabled(placed.is_none(), button).clicked() {
                    actions.push(act(TeachAction::Place(*frame)));
                }
            }
            verdict_ui(ui, s.verdict.as_ref());
            ui.horizontal(|ui| {
                if ui.button(words::start_over()).clicked() {
                    actions.push(act(TeachAction::Unplace));
                }
                if ui.button(words::close()).clicked() {
                    actions.push(act(TeachAction::CloseShuffle));
                }
            });
        });
    if !open {
        actions.push(act(TeachAction::CloseShuffle));
    }
}

/// The connection picker: every TCP connection with its badge; choosing one opens
/// its ladder.
pub fn picker_ui(ctx: &egui::Context, state: &State, actions: &mut Vec<Action>) {
    if !state.teach.picker_open {
        return;
    }
    let mut open = true;
    let top = egui::pos2(ctx.content_rect().center().x, 140.0);
    egui::Window::new(words::picker_title())
        .open(&mut open)
        .pivot(egui::Align2::CENTER_TOP)
        .default_pos(top)
        .default_size([1000.0, 360.0])
        .show(ctx, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                egui::Grid::new("connections")
                    .striped(true)
                    .spacing([14.0, 4.0])
                    .show(ui, |ui| {
                        for h in words::picker_columns() {
                            ui.strong(h);
                        }
                        ui.end_row();
                        for c in &state.teach.connections {
                            ui.label(c.stream.to_string());
                            ui.monospace(c.client.to_string());
                            ui.monospace(c.server.to_string());
                            ui.label(c.total_packets().to_string());
                            ui.label(words::duration(c.duration_nanos()));
                            let badge = c.badge.name();
                            let shown = words::badge(badge);
                            let text = if c.notes.is_empty() {
                                shown
                            } else {
                                tr_badge_notes(&shown, &words::notes(c.notes))
                            };
                            if ui
                                .button(RichText::new(text).strong())
                                .on_hover_text(words::badge_hover(badge))
                                .clicked()
                            {
                                actions.push(act(TeachAction::Pick {
                                    stream: c.stream,
                                    first_frame: c.first_frame,
                                }));
                            }
                            // What the badge means, written out: a student should not
                            // have to hover to learn what "refused" says.
                            ui.weak(words::badge_hover(badge));
                            if ui.small_button(words::open_ladder()).clicked() {
                                actions.push(act(TeachAction::Pick {
                                    stream: c.stream,
                                    first_frame: c.first_frame,
                                }));
                            }
                            ui.end_row();
                        }
                    });
            });
        });
    if !open {
        actions.push(act(TeachAction::Picker(false)));
    }
}

/// A badge with its notes, as the picker's button reads.
fn tr_badge_notes(badge: &str, notes: &str) -> String {
    crate::tr!("teach-badge-notes", badge = badge, notes = notes)
}
