//! The desktop app driven as a user drives it, with egui_kittest: real frames of the
//! real `App`, real worker threads, rendered with wgpu (software Vulkan) for the
//! snapshots in `tests/snapshots/`.

mod snapshot_helpers;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use snapshot_helpers::*;
use synack::ui::action::Action;
use synack::ui::state::{Displayed, Settings};
use synack::ui::theme::Theme;

#[test]
fn start_page_opens_the_sample_with_one_click() {
    let mut h = harness(None, Settings::default());
    h.run_steps(2);
    h.get_by_label_contains("Open the sample capture").click();
    settle(&mut h);
    let session = h.state().state.session.as_ref().map(|s| s.progress.packets);
    assert_eq!(session, Some(11));
}

#[test]
fn opening_a_file_lists_every_packet_and_selects_the_first() {
    let h = opened(sample());
    let s = h
        .state()
        .state
        .session
        .as_ref()
        .map(|s| (s.rows(), s.loading));
    assert_eq!(s, Some((11, false)));
    assert_eq!(selected(&h), Some(0));
    let tree = h.state().state.details.as_ref().map(|d| {
        d.lines
            .iter()
            .any(|l| l.label.starts_with("Transmission Control Protocol"))
    });
    assert_eq!(tree, Some(true));
    // The list shows the summary and the teaching step.
    h.get_by_label("handshake-1");
    h.get_by_label_contains("[SYN]");
}

#[test]
fn arrow_keys_walk_the_handshake_and_the_explanation_follows() {
    let mut h = opened(sample());
    h.key_press(egui::Key::ArrowDown);
    h.run_steps(2);
    assert_eq!(selected(&h), Some(1));
    let step = teaching_step(&h);
    assert_eq!(step.as_deref(), Some("handshake-2"));
    h.get_by_label_contains("#2 handshake-2");
    h.key_press(egui::Key::End);
    h.run_steps(2);
    assert_eq!(selected(&h), Some(10));
}

#[test]
fn clicking_a_row_selects_its_packet() {
    let mut h = opened(sample());
    h.get_by_label("close-1").click();
    h.run_steps(2);
    assert_eq!(selected(&h), Some(7));
    // A click is not a column drag: the widths stay as they were.
    assert_eq!(
        h.state().state.settings.columns,
        synack::ui::columns::default_columns()
    );
}

#[test]
fn a_filter_narrows_the_list_and_clearing_it_restores_every_packet() {
    let mut h = opened(capture("icmp_arp_ping.pcap"));
    let total = h.state().state.session.as_ref().map_or(0, |s| s.rows());
    h.state_mut().apply(Action::ApplyFilter("arp".into()));
    settle(&mut h);
    let shown = h.state().state.session.as_ref().map_or(0, |s| s.rows());
    assert!(shown > 0 && shown < total, "{shown} of {total}");
    h.state_mut().apply(Action::ApplyFilter(String::new()));
    h.run_steps(2);
    let session = h.state().state.session.as_ref();
    assert!(session.is_some_and(|s| matches!(s.displayed, Displayed::All) && s.rows() == total));
}

#[test]
fn a_bad_filter_is_refused_with_a_message() {
    let mut h = opened(sample());
    h.state_mut()
        .apply(Action::ApplyFilter("no.such.field".into()));
    h.run_steps(2);
    let message = h.state().state.message.clone().unwrap_or_default();
    assert!(message.contains("no.such.field"), "{message}");
    assert!(
        h.state()
            .state
            .session
            .as_ref()
            .is_some_and(|s| s.rows() == 11)
    );
}

#[test]
fn a_damaged_capture_shows_where_it_breaks_and_keeps_the_packets_before() {
    let bytes = std::fs::read(sample()).unwrap_or_default();
    let dir = tempfile::tempdir().ok();
    let path = dir
        .as_ref()
        .map(|d| d.path().join("cut.pcap"))
        .unwrap_or_default();
    // Cut the last packet in half.
    assert!(std::fs::write(&path, bytes.get(..bytes.len() - 20).unwrap_or_default()).is_ok());
    let h = opened(path);
    let message = h.state().state.message.clone().unwrap_or_default();
    assert!(message.contains("damaged at byte"), "{message}");
    assert_eq!(h.state().state.session.as_ref().map(|s| s.rows()), Some(10));
}

#[test]
fn a_file_that_is_not_a_capture_gets_a_message_not_a_crash() {
    let dir = tempfile::tempdir().ok();
    let path = dir
        .as_ref()
        .map(|d| d.path().join("notes.txt"))
        .unwrap_or_default();
    assert!(std::fs::write(&path, b"hello, this is not a capture").is_ok());
    let mut h = harness(Some(path), Settings::default());
    for _ in 0..400 {
        h.step();
        if h.state().state.message.is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(h.state().state.message.is_some());
    assert!(h.state().state.session.is_none());
}

#[test]
fn follow_stream_shows_the_request_and_the_reply() {
    let mut h = opened(sample());
    h.state_mut().apply(Action::Select(3));
    h.run_steps(1);
    let stream = h.state().state.details.as_ref().and_then(|d| d.stream);
    assert_eq!(stream, Some(0));
    // The packet list's context menu sends this action; drive it directly.
    h.state_mut().apply(Action::FollowStream(0));
    h.run_steps(2);
    h.get_by_label_contains("Follow TCP Stream (tcp.stream eq 0)");
    // Once in the packet list's Info column, once in the follow window.
    assert!(h.get_all_by_label_contains("GET / HTTP/1.0").count() >= 2);
    assert!(h.get_all_by_label_contains("HTTP/1.0 200 OK").count() >= 2);
}

#[test]
fn export_marked_packets_writes_a_capture_with_just_those() {
    let mut h = opened(sample());
    for i in [0, 1, 2] {
        h.state_mut().apply(Action::ToggleMark(i));
    }
    let dir = tempfile::tempdir().ok();
    let path = dir
        .as_ref()
        .map(|d| d.path().join("marked.pcapng"))
        .unwrap_or_default();
    h.state_mut().apply(Action::Export(
        synack::ui::windows::export_dialog::Request {
            what: synack::ui::windows::export_dialog::What::Marked,
            format: synack::capture::writer::Format::PcapNg,
            path: path.clone(),
        },
    ));
    for _ in 0..400 {
        h.step();
        if h.state()
            .state
            .message
            .as_deref()
            .is_some_and(|m| m.starts_with("Exported"))
        {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let loaded = synack::tcp::Loaded::open(&path).map(|l| l.len()).ok();
    assert_eq!(loaded, Some(3));
}

#[test]
fn the_flow_pane_draws_the_handshake_with_both_states() {
    let h = opened(sample());
    let ladder = h.state().state.flow_data.ladder.clone();
    let arrows = ladder.map(|l| l.arrows).unwrap_or_default();
    assert_eq!(arrows.len(), 11);
    let first = arrows
        .first()
        .map(|a| (a.left_state.as_str(), a.right_state.as_str()));
    assert_eq!(first, Some(("SYN-SENT", "SYN-RECEIVED")));
    let last = arrows
        .last()
        .map(|a| (a.left_state.as_str(), a.right_state.as_str()));
    assert_eq!(last, Some(("TIME-WAIT", "CLOSED")));
}

#[test]
fn snapshot_start_page() {
    let mut h = harness(None, Settings::default());
    h.run_steps(3);
    snapshot(&mut h, "start_page");
}

/// The window in `theme` at `size` on tcp_lossy_bulk_head.pcap with the SYN (frame
/// 8) selected: what a student sees first.
fn theme_snapshot(theme: Theme, size: [f32; 2], name: &str) {
    let settings = Settings {
        theme,
        ..Settings::default()
    };
    let mut h = harness_sized(Some(capture("tcp_lossy_bulk_head.pcap")), settings, size);
    settle(&mut h);
    h.state_mut().apply(Action::Select(7));
    settle(&mut h);
    snapshot(&mut h, name);
}

/// One test per theme and screen, each with its own snapshot.
macro_rules! theme_snapshots {
    ($($test:ident: $theme:ident at $size:ident, $name:literal;)*) => {
        $(
            #[test]
            fn $test() {
                theme_snapshot(Theme::$theme, $size, $name);
            }
        )*
    };
}

theme_snapshots! {
    snapshot_laptop_light: Light at LAPTOP, "laptop_light";
    snapshot_laptop_dark: Dark at LAPTOP, "laptop_dark";
    snapshot_laptop_projector: Projector at LAPTOP, "laptop_projector";
    snapshot_desktop_light: Light at DESKTOP, "desktop_light";
    snapshot_desktop_dark: Dark at DESKTOP, "desktop_dark";
    snapshot_desktop_projector: Projector at DESKTOP, "desktop_projector";
}

#[test]
fn snapshot_ladder_view_of_the_sample() {
    let mut h = opened(sample());
    h.state_mut().apply(Action::Select(7));
    h.key_press(egui::Key::L);
    settle(&mut h);
    // The strip scrolls to the selected packet again.
    snapshot_after(&mut h, "ladder_view", |h| {
        h.state_mut().apply(Action::LadderView(true))
    });
}

#[test]
fn typing_a_filter_and_pressing_enter_keeps_the_syns() {
    let mut h = opened(capture("tcp_clean_close.pcap"));
    let bar = h.get_by_role(egui::accesskit::Role::TextInput);
    bar.focus();
    bar.type_text("tcp.flags.syn == 1");
    h.run_steps(1);
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    // tshark -Y 'tcp.flags.syn == 1' keeps frames 9 and 10.
    assert_eq!(displayed(&h), vec![8, 9]);
    h.get_by_label_contains("Displayed: 2");
}

#[test]
fn typing_an_invalid_filter_shows_tsharks_message_and_keeps_the_list() {
    let mut h = opened(capture("tcp_clean_close.pcap"));
    let total = displayed(&h).len();
    let bar = h.get_by_role(egui::accesskit::Role::TextInput);
    bar.focus();
    bar.type_text("tcp.port == 70000");
    h.run_steps(1);
    h.key_press(egui::Key::Enter);
    h.run_steps(2);
    h.get_by_label_contains("\"70000\" too big for this field, maximum 65535.");
    assert_eq!(displayed(&h).len(), total);
}

#[test]
fn expanding_the_tcp_flags_shows_each_bit() {
    let mut h = opened(sample());
    // The TCP header starts open; its Flags line starts closed.
    assert!(h.query_by_label_contains("= Syn: Set").is_none());
    let flags = h.get_by_label_contains("Flags: 0x002 (SYN)").rect();
    // The expand arrow on the same line as the label.
    let arrow = h
        .get_all_by_label("⏵")
        .find(|n| (n.rect().center().y - flags.center().y).abs() < 4.0);
    let Some(arrow) = arrow else {
        panic!("no expand arrow beside the Flags line")
    };
    // The line may be below the pane's visible part: click through accessibility,
    // as a screen reader would.
    arrow.click_accesskit();
    h.run_steps(2);
    h.get_by_label_contains("= Syn: Set");
    h.get_by_label_contains("= Acknowledgment: Not set");
    // Clicking the label selects the line; the bytes pane then highlights its bytes.
    h.get_by_label_contains("= Syn: Set").click_accesskit();
    h.run_steps(2);
    let selected = h.state().state.tree.selected.and_then(|i| {
        h.state()
            .state
            .details
            .as_ref()
            .and_then(|d| d.lines.get(i).map(|l| (l.start, l.len)))
    });
    assert_eq!(selected, Some((46, 2)));
}

#[test]
fn clicking_a_byte_selects_the_field_it_belongs_to() {
    let mut h = opened(sample());
    // The SYN's raw sequence number is at bytes 0x26..0x2a: the seventh byte of the
    // line at 0x20 (columns: offset 6, then three a byte).
    let line = h.get_by_label_contains("0020  ").rect();
    let columns = 6 + 16 * 3 + 1 + 2 + 16;
    let column_width = line.width() / columns as f32;
    let x = line.left() + column_width * (6.0 + 6.0 * 3.0 + 0.5);
    click_at(&mut h, egui::pos2(x, line.center().y));
    let selected = h.state().state.tree.selected.and_then(|i| {
        h.state()
            .state
            .details
            .as_ref()
            .and_then(|d| d.lines.get(i).map(|l| (l.start, l.len)))
    });
    assert_eq!(
        selected,
        Some((0x26, 4)),
        "the byte at 0x26 selects tcp.seq_raw"
    );
}

#[test]
fn clicking_an_arrow_in_the_flow_graph_selects_its_packet() {
    // Wide enough for the flow pane beside the list.
    let mut h = harness_sized(Some(sample()), Settings::default(), DESKTOP);
    settle(&mut h);
    let header = h.get_by_label("TCP stream 0").rect();
    // Row 3 (packet #4, the request) of the fitted layout: 64 px to the first row, 60 a row.
    let y = header.bottom() + 6.0 + 64.0 + 60.0 * 3.0 + 20.0;
    click_at(&mut h, egui::pos2(header.left() + 260.0, y));
    assert_eq!(selected(&h), Some(3));
    let step = teaching_step(&h);
    assert_eq!(step.as_deref(), Some("data"));
}

/// A harness that draws one pane alone, for its own snapshot.
fn pane(size: [f32; 2], mut draw: impl FnMut(&mut egui::Ui) + 'static) -> Harness<'static> {
    Harness::builder()
        .with_size(size)
        .with_accessibility_check(false)
        .with_context_setup(synack::ui::theme::install_fonts)
        .wgpu()
        .build_ui(move |ui| {
            egui::CentralPanel::default().show(ui, |ui| draw(ui));
        })
}

fn sample_loaded() -> synack::tcp::Loaded {
    synack::tcp::Loaded::open(&sample()).unwrap_or_else(|e| panic!("the sample opens: {e}"))
}

#[test]
fn snapshot_pane_flow_graph_of_the_close() {
    let loaded = sample_loaded();
    let data = synack::ui::panes::flow_graph::FlowData {
        ladder: synack::tcp::ladder::build(&loaded, 0, false, |_| true),
        omitted: (0, 0),
    };
    let mut flow = synack::ui::panes::flow_graph::FlowGraph::default();
    let mut h = pane([560.0, 900.0], move |ui| {
        let _ = flow.ui(ui, &data, Some(10));
    });
    h.run_steps(2);
    if let Err(e) = h.try_snapshot("pane_flow_graph") {
        panic!("{e}");
    }
}

#[test]
fn snapshot_pane_detail_tree_and_bytes_of_the_syn() {
    let loaded = sample_loaded();
    let details = synack::ui::model::details(&loaded, 0);
    let mut tree = synack::ui::panes::detail_tree::DetailTree::default();
    let mut hex = synack::ui::panes::hex_pane::HexPane::default();
    // The sequence number field selected: its four bytes are highlighted.
    let seq = details.as_ref().and_then(|d| {
        d.lines
            .iter()
            .position(|l| l.label.starts_with("Sequence Number (raw)"))
    });
    tree.selected = seq;
    let mut h = pane([1100.0, 560.0], move |ui| {
        let highlight = tree
            .selected
            .and_then(|i| details.as_ref().and_then(|d| d.lines.get(i)))
            .map(|l| (l.source, l.start, l.len));
        ui.columns(2, |cols| {
            if let [left, right] = cols {
                let _ = tree.ui(left, details.as_ref());
                let _ = hex.ui(right, details.as_ref(), highlight);
            }
        });
    });
    h.run_steps(2);
    if let Err(e) = h.try_snapshot("pane_detail_tree_and_bytes") {
        panic!("{e}");
    }
}

#[test]
fn snapshot_pane_packet_list_of_a_reset() {
    // A connection aborted by RST: SYN/FIN and RST rows in Wireshark's colours, the
    // Step column, and a marked row.
    let loaded = synack::tcp::Loaded::open(&capture("tcp_abort_rst.pcap"))
        .unwrap_or_else(|e| panic!("opens: {e}"));
    let mut list = synack::ui::panes::packet_list::PacketList::default();
    let mut cache = synack::ui::model::RowCache::default();
    let coloring = synack::ui::model::Coloring::default();
    let marked: std::collections::BTreeSet<usize> = [2].into_iter().collect();
    let columns = synack::ui::columns::default_columns();
    let rows = loaded.len();
    let mut h = pane([1100.0, 560.0], move |ui| {
        let packet_of = |r: usize| (r < rows).then_some(r);
        let view = synack::ui::panes::packet_list::ListView {
            rows,
            packet_of: &packet_of,
            loaded: Some(&loaded),
            cache: &mut cache,
            selected: Some(1),
            marked: &marked,
            colorize: true,
            time: synack::ui::columns::TimeStyle {
                format: synack::export::text::time::TimeFormat::Relative,
                precision: None,
            },
            coloring: &coloring,
            columns: &columns,
            show_step: true,
            selected_stream: None,
            related: &[],
        };
        let _ = list.ui(ui, view);
    });
    h.run_steps(2);
    if let Err(e) = h.try_snapshot("pane_packet_list") {
        panic!("{e}");
    }
}

#[test]
fn frames_keep_coming_while_a_worker_holds_the_capture_for_a_second() {
    let mut h = opened(capture("tcp_clean_close.pcap"));
    let Some(shared) = h
        .state()
        .state
        .session
        .as_ref()
        .and_then(|s| s.shared.clone())
    else {
        panic!("the capture is open");
    };
    let (held_tx, held_rx) = std::sync::mpsc::sync_channel(1);
    let holder = std::thread::Builder::new()
        .name("test-writer".into())
        .spawn(move || {
            let guard = shared.write();
            held_tx.send(()).ok();
            std::thread::sleep(std::time::Duration::from_secs(1));
            drop(guard);
        })
        .unwrap_or_else(|e| panic!("cannot start the writer thread: {e}"));
    assert!(held_rx.recv().is_ok(), "the writer holds the lock");
    let start = std::time::Instant::now();
    // A filter (its worker waits for the lock) and a new selection (its details
    // wait for the lock) while the capture is held.
    h.state_mut()
        .apply(Action::ApplyFilter("tcp.flags.syn == 1".into()));
    h.key_press(egui::Key::ArrowDown);
    let mut frames = 0;
    let mut longest = std::time::Duration::ZERO;
    while start.elapsed() < std::time::Duration::from_millis(900) {
        let frame = std::time::Instant::now();
        h.step();
        longest = longest.max(frame.elapsed());
        frames += 1;
    }
    // The status bar says what the window is waiting for.
    h.get_by_label_contains("filtering…");
    assert_eq!(selected(&h), Some(1));
    assert!(frames >= 5, "{frames} frames in 0.9 s");
    assert!(
        longest < std::time::Duration::from_millis(400),
        "a frame took {longest:?}"
    );
    assert!(holder.join().is_ok());
    settle(&mut h);
    assert_eq!(displayed(&h), vec![8, 9]);
    let details = h.state().state.details.as_ref().map(|d| d.index);
    assert_eq!(
        details,
        Some(1),
        "the selection's details are built once the lock is free"
    );
}
