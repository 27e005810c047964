//! The teaching modes driven as a student drives them (egui_kittest on the real
//! `App`): step mode walks a connection from SYN to the last ACK, predict mode checks
//! a right and a wrong answer, the shuffled handshake and close go back in order, and
//! the connection picker opens a connection by its badge.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod snapshot_helpers;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use snapshot_helpers::{answer, capture, settle, snapshot, snapshot_after};
use synack::ui::App;
use synack::ui::action::Action;
use synack::ui::state::Settings;
use synack::ui::teach::{Ask, TeachAction};

fn opened(name: &str) -> Harness<'static, App> {
    let file = capture(name);
    let mut h = Harness::builder()
        .with_size([1366.0, 768.0])
        .with_accessibility_check(false)
        .build_eframe(move |cc| {
            App::with_settings(cc.egui_ctx.clone(), Settings::default(), Some(file))
        });
    settle(&mut h);
    h
}

fn selected_frame(h: &Harness<'static, App>) -> Option<usize> {
    h.state()
        .state
        .session
        .as_ref()
        .and_then(|s| s.selected)
        .map(|i| i + 1)
}

/// (step, left state, right state) of the selected packet's arrow in the ladder.
fn arrow_states(h: &Harness<'static, App>) -> (String, String, String) {
    let state = &h.state().state;
    let frame = selected_frame(h).unwrap() as u32;
    let ladder = state.flow_data.ladder.as_ref().expect("a ladder");
    let a = ladder
        .arrows
        .iter()
        .find(|a| a.frame == frame)
        .expect("the selected arrow");
    (a.step.clone(), a.left_state.clone(), a.right_state.clone())
}

/// Opens tcp_clean_close.pcap's connection (frames 9 to 18) in Ladder view at its SYN.
fn at_the_syn() -> Harness<'static, App> {
    let mut h = opened("tcp_clean_close.pcap");
    h.state_mut().apply(Action::Select(8));
    settle(&mut h);
    h.get_by_label_contains("Ladder view").click();
    h.run_steps(3);
    settle(&mut h);
    assert!(h.state().state.ladder_view);
    h
}

#[test]
fn step_mode_walks_the_clean_close_from_syn_to_the_last_ack() {
    let mut h = at_the_syn();
    // Each step as `synack flow` and tshark's flags say: frame, step, client, server.
    let expected = [
        (9, "handshake-1", "SYN-SENT", "SYN-RECEIVED"),
        (10, "handshake-2", "ESTABLISHED", "SYN-RECEIVED"),
        (11, "handshake-3", "ESTABLISHED", "ESTABLISHED"),
        (12, "data", "ESTABLISHED", "ESTABLISHED"),
        (13, "ack", "ESTABLISHED", "ESTABLISHED"),
        (14, "data", "ESTABLISHED", "ESTABLISHED"),
        (15, "ack", "ESTABLISHED", "ESTABLISHED"),
        (16, "close-1", "FIN-WAIT-1", "CLOSE-WAIT"),
        (17, "close-2+3", "TIME-WAIT", "LAST-ACK"),
        (18, "close-4", "TIME-WAIT", "CLOSED"),
    ];
    for (k, (frame, step, left, right)) in expected.iter().enumerate() {
        if k > 0 {
            h.get_by_label_contains("Next ▶").click();
            h.run_steps(4);
            settle(&mut h);
        }
        assert_eq!(selected_frame(&h), Some(*frame));
        let (s, l, r) = arrow_states(&h);
        assert_eq!((s.as_str(), l.as_str(), r.as_str()), (*step, *left, *right));
        // The list, the tree and the explanation moved too.
        let details = h.state().state.details.as_ref().expect("details");
        assert_eq!(details.index + 1, *frame);
        h.get_by_label_contains(&format!("Packet {} of 10", k + 1));
        h.get_by_label_contains(&format!("Now the client ({left}) waits for"));
        match *frame {
            10 => snapshot(&mut h, "teach_step_mid_handshake"),
            16 => snapshot(&mut h, "teach_step_mid_close"),
            _ => {}
        }
    }
    // Previous goes back one, First to the SYN.
    h.get_by_label_contains("◀ Previous").click();
    h.run_steps(4);
    settle(&mut h);
    assert_eq!(selected_frame(&h), Some(17));
    h.get_by_label_contains("⏮ First").click();
    h.run_steps(4);
    settle(&mut h);
    assert_eq!(selected_frame(&h), Some(9));
}

#[test]
fn play_steps_by_itself_and_stops_at_the_last_packet() {
    let mut h = at_the_syn();
    h.state_mut().apply(Action::Teach(TeachAction::Pace(100)));
    h.get_by_label_contains("▶ Play").click();
    h.run_steps(4);
    // The timer asks for repaints; each due tick is one step, never a wait.
    for _ in 0..400 {
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
        if !h.state().state.teach.playing {
            break;
        }
    }
    assert!(!h.state().state.teach.playing);
    assert_eq!(selected_frame(&h), Some(18));
}

#[test]
fn predict_the_ack_of_the_syn_ack_right_and_wrong() {
    let mut h = at_the_syn();
    h.get_by_label("Predict").click();
    h.run_steps(4);
    h.get_by_label("Ask its ack number").click();
    h.run_steps(4);
    // The next arrow (the SYN+ACK) is hidden from the ladder.
    h.get_by_label_contains("What acknowledgment number does the server send");
    answer(&mut h, "0", "Check");
    h.get_by_label_contains(
        "Not quite. Frame 10 carries ack 1 in relative numbers (4262667676 on the wire): seq=y ack=x+1. The server accepts",
    );
    snapshot(&mut h, "teach_predict_explained");
    answer(&mut h, "1", "Check");
    h.get_by_label_contains("Right. Frame 10 carries ack 1");
    h.get_by_label_contains("Score for stream 0: 1 right of 2");
    // A flags question picks among the connection's flags.
    h.state_mut()
        .apply(Action::Teach(TeachAction::Ask(Ask::Flags)));
    h.run_steps(4);
    h.get_by_label("SYN, ACK").click();
    h.run_steps(3);
    h.get_by_label("Check").click();
    h.run_steps(4);
    h.get_by_label_contains("Right. Frame 10 carries SYN, ACK");
    h.get_by_label_contains("Score for stream 0: 2 right of 3");
}

#[test]
fn an_absolute_ack_number_counts_as_right_too() {
    let mut h = at_the_syn();
    h.get_by_label("Predict").click();
    h.run_steps(4);
    h.get_by_label("Ask its ack number").click();
    h.run_steps(4);
    // tshark -o tcp.relative_sequence_numbers:FALSE: frame 10's Ack=4262667676 (x+1).
    answer(&mut h, "4262667676", "Check");
    // The strip grows to the verdict over a few frames.
    h.run_steps(8);
    h.get_by_label_contains("Right. Frame 10 carries ack 1 in relative numbers");
    h.get_by_label_contains("Score for stream 0: 1 right of 1");
}

#[test]
fn the_shuffled_handshake_and_close_go_back_in_order() {
    let mut h = at_the_syn();
    h.get_by_label("Reorder handshake and close").click();
    h.run_steps(3);
    // The cards in capture order (who sends what and its relation).
    let order = [
        "client → SYN   seq=x",
        "server → SYN, ACK   seq=y ack=x+1",
        "client → ACK   seq=x+1 ack=y+1",
        "client → FIN, ACK   seq=u",
        "server → FIN, ACK   seq=w ack=u+1",
        "client → ACK   ack=w+1",
    ];
    let shown: Vec<String> = h
        .state()
        .state
        .teach
        .shuffle
        .as_ref()
        .unwrap()
        .cards
        .iter()
        .map(|c| c.1.clone())
        .collect();
    assert_ne!(shown, order, "the cards are shuffled");
    snapshot(&mut h, "teach_reorder_shuffled");
    // A wrong order first: the close's first card first.
    h.get_by_label_contains(order[3]).click();
    h.run_steps(3);
    for card in order.iter().filter(|c| **c != order[3]) {
        h.get_by_label_contains(card).click();
        h.run_steps(3);
    }
    h.get_by_label_contains("Not quite: each ack must answer a seq already sent");
    h.get_by_label("Start over").click();
    h.run_steps(4);
    for card in order {
        h.get_by_label_contains(card).click();
        h.run_steps(3);
    }
    h.get_by_label_contains("Right: x comes before x+1");
    assert_eq!(h.state().state.teach.scores.get(&0), Some(&(1, 2)));
}

#[test]
fn the_picker_opens_a_connection_by_its_badge() {
    let mut h = opened("tcp_refused.pcap");
    h.state_mut()
        .apply(Action::Teach(TeachAction::Picker(true)));
    h.run_steps(3);
    h.get_by_label_contains("Choose a connection");
    snapshot(&mut h, "teach_picker");
    h.get_by_label("refused").click();
    h.run_steps(4);
    settle(&mut h);
    let state = &h.state().state;
    assert!(state.ladder_view);
    assert!(!state.teach.picker_open);
    // tcp_refused.pcap: the SYN is frame 6, answered by RST in frame 7.
    assert_eq!(selected_frame(&h), Some(6));
    let ladder = h.state().state.flow_data.ladder.as_ref().unwrap();
    let rst = ladder.arrows.iter().find(|a| a.frame == 7).unwrap();
    assert_eq!(
        rst.lessons,
        [
            "Frame 7 answers the SYN of frame 6 with RST: nothing listens on port 57192, so the connection is refused."
        ]
    );
}

#[test]
fn a_quiz_file_exported_by_the_teacher_opens_on_its_first_question() {
    let h = at_the_syn();
    let dir = tempfile::tempdir().unwrap();
    let quiz = dir.path().join("clean.synack-quiz");
    let ladder = h.state().state.flow_data.ladder.clone().unwrap();
    synack::ui::teach::export_quiz(&ladder, &capture("tcp_clean_close.pcap"), &quiz).unwrap();
    // The capture is copied beside the quiz file; the file names it and the questions.
    assert!(dir.path().join("tcp_clean_close.pcap").exists());
    let text = std::fs::read_to_string(&quiz).unwrap();
    assert!(
        text.contains("\"capture\": \"tcp_clean_close.pcap\""),
        "{text}"
    );
    assert!(text.contains("\"ask\": \"states\""), "{text}");

    // A student opens it: the first question (frame 10's states) waits at frame 9.
    let mut h = Harness::builder()
        .with_size([1366.0, 768.0])
        .with_accessibility_check(false)
        .build_eframe(|cc| App::with_settings(cc.egui_ctx.clone(), Settings::default(), None));
    h.run_steps(2);
    h.state_mut().apply(Action::Open(quiz));
    for _ in 0..200 {
        h.step();
        if h.state().state.teach.question.is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    h.run_steps(4);
    let q = h.state().state.teach.question.clone().expect("a question");
    assert_eq!((q.frame, q.ask), (10, Ask::States));
    assert_eq!(selected_frame(&h), Some(9));
    h.get_by_label_contains("Question 1 of 9");
    h.get_by_label("ESTABLISHED / SYN-RECEIVED").click();
    h.run_steps(3);
    h.get_by_label("Check").click();
    h.run_steps(4);
    h.get_by_label_contains("Right. After frame 10");
    h.get_by_label("Next question ▶").click();
    for _ in 0..50 {
        h.step();
    }
    let q = h
        .state()
        .state
        .teach
        .question
        .clone()
        .expect("the second question");
    assert_eq!(q.frame, 11);
    h.get_by_label_contains("Question 2 of 9");
}

/// Arithmetic with absolute numbers beside the relative ones, at the request (frame
/// 12 of tcp_clean_close.pcap): tcpdump -S's numbers next to the ladder's.
#[test]
fn the_arithmetic_overlay_with_absolute_numbers() {
    let mut h = at_the_syn();
    h.state_mut()
        .apply(Action::Teach(TeachAction::AbsoluteToo(true)));
    h.state_mut().apply(Action::Select(11));
    settle(&mut h);
    h.run_steps(4);
    assert!(h.state().state.teach.absolute_too);
    snapshot(&mut h, "teach_arithmetic_absolute");
}

/// The analysis events explained in the ladder (tcp_lossy_bulk_head.pcap): tshark
/// marks 46 to 78 [TCP Dup ACK 45#n] and 79 [TCP Fast Retransmission] of Seq=21721.
#[test]
fn the_events_of_a_lossy_transfer_are_explained() {
    let mut h = opened("tcp_lossy_bulk_head.pcap");
    h.state_mut().apply(Action::Select(78));
    settle(&mut h);
    h.get_by_label_contains("Ladder view").click();
    h.run_steps(3);
    settle(&mut h);
    let ladder = h.state().state.flow_data.ladder.as_ref().unwrap();
    let fast = ladder.arrows.iter().find(|a| a.frame == 79).unwrap();
    assert!(
        fast.lessons.iter().any(|l| l.starts_with("Frame 79 ")),
        "{:?}",
        fast.lessons
    );
    snapshot_after(&mut h, "teach_events_lossy", |h| {
        h.state_mut().apply(Action::Select(78));
        h.state_mut().apply(Action::LadderView(true));
    });
}

/// The offload notes in the packet view: tcp_tso_gso.pcap's frame 4 is a 7240-byte
/// segment on a path whose SYNs said MSS 1460 (TSO/GSO), frame 3 an ACK whose
/// checksum field holds only the pseudo-header sum (checksum offload).
#[test]
fn the_offload_notes_say_tso_and_checksum_offload() {
    let mut h = opened("tcp_tso_gso.pcap");
    h.state_mut().apply(Action::Select(3));
    settle(&mut h);
    h.run_steps(4);
    // The strip's text: the explanation, then the offload note.
    let strip = |h: &Harness<'static, App>| {
        h.state()
            .state
            .details
            .as_ref()
            .and_then(|d| d.teaching.as_ref())
            .map(|t| t[4].clone())
            .unwrap_or_default()
    };
    let text = strip(&h);
    assert!(
        text.starts_with("The client sends 7240 bytes of data")
            && text.contains("(TSO/GSO, segmentation offload)"),
        "{text}"
    );
    snapshot(&mut h, "teach_offload_tso");
    h.state_mut().apply(Action::Select(2));
    settle(&mut h);
    h.run_steps(4);
    let text = strip(&h);
    assert!(text.contains("(checksum offload)"), "{text}");
}

/// A long connection's ladder is a window of 300 arrows around the selected packet:
/// the position counts the whole connection and First goes to its SYN (frame 8 of
/// tcp_lossy_bulk_head.pcap, whose stream 0 has 693 packets), not the window's start.
#[test]
fn first_goes_to_the_syn_of_a_long_connection() {
    let mut h = opened("tcp_lossy_bulk_head.pcap");
    h.state_mut().apply(Action::Select(599));
    settle(&mut h);
    h.get_by_label_contains("Ladder view").click();
    h.run_steps(3);
    settle(&mut h);
    assert!(h.state().state.flow_data.omitted.0 > 0);
    h.get_by_label_contains("of 693");
    h.get_by_label_contains("⏮ First").click();
    h.run_steps(4);
    settle(&mut h);
    assert_eq!(selected_frame(&h), Some(8));
    h.get_by_label_contains("Packet 1 of 693");
}
