//! The desktop app driven as a user drives it, with egui_kittest: real frames of the
//! real `App`, real worker threads, rendered with wgpu (software Vulkan) for the
//! snapshots in `tests/snapshots/`.

mod snapshot_helpers;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use snapshot_helpers::{capture, repo_file, settle, snapshot, snapshot_after};
use std::path::PathBuf;
use synack::ui::App;
use synack::ui::action::Action;
use synack::ui::state::{Displayed, Settings};
use synack::ui::theme::Theme;
use synack_capture::live::{Device, DeviceAddress};

fn sample() -> PathBuf {
    repo_file("assets/samples/handshake.pcap")
}

/// The commonest student laptop's screen (and a projector's).
const LAPTOP: [f32; 2] = [1366.0, 768.0];
/// A desktop monitor.
const DESKTOP: [f32; 2] = [1920.0, 1080.0];

fn harness(file: Option<PathBuf>, settings: Settings) -> Harness<'static, App> {
    harness_sized(file, settings, LAPTOP)
}

fn harness_sized(
    file: Option<PathBuf>,
    settings: Settings,
    size: [f32; 2],
) -> Harness<'static, App> {
    Harness::builder()
        .with_size(size)
        .with_accessibility_check(false)
        .wgpu()
        .build_eframe(move |cc| {
            let mut app = App::with_settings(cc.egui_ctx.clone(), settings, file);
            // The start page lists capture devices: the same two on every machine.
            app.state.use_devices(fake_devices());
            app
        })
}

fn fake_devices() -> Vec<Device> {
    let device = |name: &str, loopback: bool, addr: [u8; 4], prefix: u8| Device {
        name: name.into(),
        description: None,
        addresses: vec![DeviceAddress {
            addr: std::net::IpAddr::from(addr),
            prefix: Some(prefix),
        }],
        up: true,
        running: true,
        loopback,
        wireless: false,
    };
    vec![
        device("eth0", false, [192, 0, 2, 2], 24),
        device("lo", true, [127, 0, 0, 1], 8),
    ]
}

fn opened(file: PathBuf) -> Harness<'static, App> {
    let mut h = harness(Some(file), Settings::default());
    settle(&mut h);
    h
}

/// The teaching step of the selected packet's details.
fn teaching_step(h: &Harness<'static, App>) -> Option<String> {
    h.state()
        .state
        .details
        .as_ref()
        .and_then(|d| d.teaching.as_ref())
        .map(|t| t[0].clone())
}

/// Types `text` into the text field that has the focus (`what` says which should)
/// and presses Enter, then waits for the work it starts.
fn enter_in_focused_field(h: &mut Harness<'static, App>, text: &str, what: &str) {
    let field = h
        .get_all_by_role(egui::accesskit::Role::TextInput)
        .find(|n| n.is_focused());
    let Some(field) = field else { panic!("{what}") };
    field.type_text(text);
    h.run_steps(1);
    h.key_press(egui::Key::Enter);
    settle(h);
}

fn selected(h: &Harness<'static, App>) -> Option<usize> {
    h.state().state.session.as_ref().and_then(|s| s.selected)
}

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

fn click_at(h: &mut Harness<'static, App>, pos: egui::Pos2) {
    h.event(egui::Event::PointerMoved(pos));
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
    }
    h.run_steps(2);
}

fn displayed(h: &Harness<'static, App>) -> Vec<usize> {
    h.state().state.session.as_ref().map_or(Vec::new(), |s| {
        (0..s.rows()).filter_map(|r| s.packet_of(r)).collect()
    })
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

/// A capture of 1 408 packets: the sample's eleven records 128 times.
fn big_capture(dir: &std::path::Path) -> PathBuf {
    let bytes = std::fs::read(sample()).unwrap_or_default();
    let (header, records) = bytes.split_at(24.min(bytes.len()));
    let path = dir.join("big.pcap");
    let mut doubled = header.to_vec();
    for _ in 0..128 {
        doubled.extend_from_slice(records);
    }
    assert!(std::fs::write(&path, doubled).is_ok());
    path
}

#[test]
fn a_laptop_shows_twenty_rows_and_the_whole_info_of_a_syn() {
    let mut h = opened(capture("tcp_lossy_bulk_head.pcap"));
    h.run_steps(2);
    let rows = h.state().state.list.visible_rows;
    assert!(rows >= 20, "{rows} rows in view at 1366×768");
    // Row 20 is laid out, above the details area.
    let tree_top = h.get_by_label_contains("Frame 1:").rect().top();
    assert!(h.get_by_label("20").rect().bottom() <= tree_top);
    // The SYN's Info is drawn whole: its label is as wide as its text.
    let syn = "54726 → 51870 [SYN] Seq=0 Win=64240 Len=0 MSS=1460 SACK_PERM TSval=3115939604 TSecr=0 WS=1024";
    let node = h.get_by_label(syn);
    let font = egui::TextStyle::Body.resolve(&h.ctx.global_style());
    let width = h.ctx.fonts_mut(|f| {
        f.layout_no_wrap(syn.to_string(), font, egui::Color32::WHITE)
            .size()
            .x
    });
    assert!(
        node.rect().width() + 0.5 >= width,
        "Info cut: {} of {width} points",
        node.rect().width()
    );
    // ... and inside the window, left of the list's scroll bar.
    assert!(
        node.rect().right() <= LAPTOP[0] - 8.0,
        "Info ends at {} of {}",
        node.rect().right(),
        LAPTOP[0]
    );
    // No flow pane beside the list on a laptop: the SYN's ladder is a tab.
    h.state_mut().apply(Action::Select(7));
    settle(&mut h);
    assert!(h.query_by_label("TCP stream 0").is_none());
    h.get_by_label("Ladder").click();
    h.run_steps(2);
    h.get_by_label("TCP stream 0");
}

#[test]
fn ladder_view_shows_every_arrow_of_the_sample_on_a_laptop() {
    let mut h = opened(sample());
    let arrows = h
        .state()
        .state
        .flow_data
        .ladder
        .as_ref()
        .map(|l| l.arrows.len());
    assert_eq!(arrows, Some(11), "handshake, data and close");
    h.key_press(egui::Key::L);
    h.run_steps(3);
    assert!(h.state().state.ladder_view);
    // Each arrow's row wholly inside the ladder's visible part: nothing scrolls.
    assert_eq!(h.state().state.flow.arrows_in_view, 11);
    h.get_by_label("Ladder view");
    // Esc goes back to the packets.
    h.key_press(egui::Key::Escape);
    h.run_steps(2);
    assert!(!h.state().state.ladder_view);
    // The toolbar's button opens it too, with the last packet (the final ACK)
    // selected: the ladder stays whole.
    h.key_press(egui::Key::End);
    h.run_steps(2);
    h.get_by_role_and_label(egui::accesskit::Role::Button, "⛶ Ladder view")
        .click();
    h.run_steps(3);
    assert!(h.state().state.ladder_view);
    assert_eq!(h.state().state.flow.arrows_in_view, 11);
}

#[test]
fn go_to_packet_1234_of_a_big_capture() {
    let dir = tempfile::tempdir().ok();
    let path = big_capture(
        dir.as_ref()
            .map(|d| d.path())
            .unwrap_or(std::path::Path::new(".")),
    );
    let mut h = opened(path);
    assert_eq!(
        h.state().state.session.as_ref().map(|s| s.rows()),
        Some(1408)
    );
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::G);
    h.run_steps(2);
    enter_in_focused_field(&mut h, "1234", "Ctrl+G focuses the packet number");
    assert_eq!(selected(&h), Some(1233));
    // The list scrolled to it.
    h.get_by_label("1234");
}

#[test]
fn find_a_string_in_the_bytes_selects_the_reply() {
    let mut h = opened(sample());
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    h.run_steps(2);
    {
        let search = &mut h.state_mut().state.search;
        search.by = synack::ui::panes::search_bar::FindBy::String;
        search.within = synack::ui::panes::search_bar::FindIn::Bytes;
    }
    h.run_steps(1);
    enter_in_focused_field(&mut h, "200 ok", "Ctrl+F focuses the find text");
    // "HTTP/1.0 200 OK" is in frame 6's bytes (case does not matter by default).
    assert_eq!(selected(&h), Some(5));
    h.get_by_label_contains("Found packet 6");
    // The bytes that matched are selected: the HTTP status line's field.
    let line = h.state().state.tree.selected.and_then(|i| {
        h.state()
            .state
            .details
            .as_ref()
            .and_then(|d| d.lines.get(i).map(|l| l.abbrev))
    });
    assert!(line.is_some_and(|a| a.starts_with("http")), "{line:?}");
    // ... the one whose bytes the match starts at (http.response.code, "200"),
    // as Wireshark selects the field holding the found bytes.
    let found = h.state().state.details.as_ref().and_then(|d| {
        let line = d.lines.get(h.state().state.tree.selected?)?;
        let frame = &d.sources.first()?.1;
        frame
            .get(line.start..)
            .map(|b| String::from_utf8_lossy(b).into_owned())
    });
    assert!(
        found.as_deref().is_some_and(|b| b.starts_with("200 OK")),
        "{found:?}"
    );
}

#[test]
fn time_formats_print_as_tshark_t_does() {
    let mut h = opened(capture("tcp_clean_close.pcap"));
    use synack::export::text::time::TimeFormat;
    use synack::ui::action::ViewChange;
    // `tshark -t X`, frame 2 (the tests run with TZ unset: UTC).
    for (format, text) in [
        (TimeFormat::Relative, "0.096094"),
        (TimeFormat::Epoch, "1795564580.273339"),
        (TimeFormat::UtcDate, "2026-11-24 23:56:20.273339"),
        (TimeFormat::Delta, "0.096094"),
    ] {
        h.state_mut()
            .apply(Action::View(ViewChange::TimeFormat(format)));
        h.run_steps(2);
        h.get_by_label(text);
    }
    h.state_mut()
        .apply(Action::View(ViewChange::TimeFormat(TimeFormat::Relative)));
    h.state_mut()
        .apply(Action::View(ViewChange::TimePrecision(Some(3))));
    h.run_steps(2);
    assert!(h.get_all_by_label("0.096").count() >= 1);
}

#[test]
fn apply_as_column_from_the_tree_adds_the_field_to_the_list() {
    let mut h = opened(sample());
    h.get_by_label("Source Port: 41308").click_secondary();
    h.run_steps(2);
    h.get_by_label_contains("Apply as Column").click();
    h.run_steps(3);
    let has = h
        .state()
        .state
        .settings
        .columns
        .iter()
        .any(|c| c.kind == synack::ui::columns::ColumnKind::Field("tcp.srcport".into()));
    assert!(has, "the column is in the settings");
    h.get_by_label("tcp.srcport");
    // The client's port in its rows (the tree's line says "Source Port: 41308").
    assert!(h.get_all_by_label("41308").count() >= 5);
}

#[test]
fn ctrl_plus_zooms_the_whole_window_and_ctrl_0_resets() {
    let mut h = opened(sample());
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Plus);
    h.run_steps(3);
    assert!((h.state().state.settings.zoom - 1.1).abs() < 1e-4);
    assert!((h.ctx.zoom_factor() - 1.1).abs() < 1e-4);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num0);
    h.run_steps(3);
    assert!((h.ctx.zoom_factor() - 1.0).abs() < 1e-4);
}

#[test]
fn the_status_bar_shows_the_expert_summary_and_the_selected_field() {
    let mut h = opened(sample());
    h.get_by_label_contains("●");
    h.get_by_label("Source Port: 41308").click();
    h.run_steps(2);
    h.get_by_label("Source Port (tcp.srcport), 2 bytes");
}

#[test]
fn a_dragged_pane_edge_is_kept_in_the_settings() {
    let mut h = opened(sample());
    h.run_steps(2);
    assert_eq!(h.state().state.settings.panes.details_height, None);
    // A click is not a drag: nothing is stored.
    h.get_by_label("close-1").click();
    h.run_steps(2);
    assert_eq!(h.state().state.settings.panes.details_height, None);
    // The details area's top edge, just above the explanation line.
    let edge = h.get_by_label_contains("#8 close-1").rect().top() - 5.0;
    let (from, to) = (egui::pos2(600.0, edge), egui::pos2(600.0, edge - 120.0));
    h.hover_at(from);
    h.run_steps(1);
    h.drag_at(from);
    h.run_steps(1);
    h.hover_at(to);
    h.run_steps(1);
    h.drop_at(to);
    h.run_steps(3);
    let stored = h.state().state.settings.panes.details_height;
    assert!(stored.is_some_and(|v| v > 320.0), "{stored:?}");
}

#[test]
fn a_zoomed_window_keeps_the_list_and_the_bytes() {
    let settings = Settings {
        zoom: 1.3,
        ..Settings::default()
    };
    let mut h = harness(Some(capture("tcp_clean_close.pcap")), settings);
    settle(&mut h);
    h.run_steps(3);
    let rows = h.state().state.list.visible_rows;
    assert!(rows >= 10, "{rows} rows at 130 %");
    h.get_by_label_contains("0000  ");
}

#[test]
fn clicking_a_flag_box_of_the_packet_diagram_selects_that_flag_in_the_tree() {
    let settings = Settings {
        diagram: true,
        ..Settings::default()
    };
    let mut h = harness(Some(capture("tcp_clean_close.pcap")), settings);
    settle(&mut h);
    // Frame 9 is the SYN.
    h.state_mut().apply(Action::Select(8));
    settle(&mut h);
    h.get_by_label("SYN: 1").click();
    h.run_steps(3);
    let state = &h.state().state;
    let line = state.tree.selected.expect("a tree line is selected");
    let details = state.details.as_ref().expect("the SYN's details");
    assert!(
        details.lines[line].label.contains("Syn: Set"),
        "{}",
        details.lines[line].label
    );
    assert_eq!(
        details.lines[line].filter.as_deref(),
        Some("tcp.flags.syn == 1")
    );
    // The other direction: the box of the selected line is the one outlined, and
    // the ACK bit of a SYN is not lit.
    h.get_by_label("ACK: 0");
    snapshot(&mut h, "packet_diagram_of_the_syn");
}

/// The mark (→ ← ✓ •) drawn in the No. cell of frame `frame`, if any.
fn mark_of(h: &Harness<'static, App>, frame: usize) -> Option<String> {
    let number = frame.to_string();
    let row = h
        .query_all_by_label(&number)
        .find(|n| n.rect().left() < 60.0)?
        .rect();
    ["→", "←", "✓", "•"]
        .into_iter()
        .find(|m| {
            h.query_all_by_label(m)
                .any(|n| (n.rect().center().y - row.center().y).abs() < 3.0)
        })
        .map(str::to_string)
}

fn select_and_settle(h: &mut Harness<'static, App>, index: usize) {
    h.state_mut().apply(Action::Select(index));
    settle(h);
    h.run_steps(2);
}

#[test]
fn a_request_marks_its_response_a_response_its_request_and_an_ack_its_segment() {
    let mut h = opened(capture("http_keepalive.pcap"));
    // Frame 10, GET /page0.html: its response is frame 14 (as Wireshark's window
    // shows it, which reads the file twice).
    select_and_settle(&mut h, 9);
    assert!(tree_has(&h, "[Response in frame: 14]"));
    assert_eq!(mark_of(&h, 14).as_deref(), Some("←"));
    // Frame 14, the response: its request.
    select_and_settle(&mut h, 13);
    assert_eq!(mark_of(&h, 10).as_deref(), Some("→"));
    // Frame 13, an ACK: the segment it acknowledges (tcp.analysis.acks_frame).
    select_and_settle(&mut h, 12);
    assert_eq!(mark_of(&h, 12).as_deref(), Some("✓"));
    // Frame 16, the second request: the first request is only "related", its own
    // response is frame 20.
    select_and_settle(&mut h, 15);
    assert_eq!(mark_of(&h, 10).as_deref(), Some("•"));
    assert_eq!(mark_of(&h, 20).as_deref(), Some("←"));
    // The second pass also settles the connection's completeness, as Wireshark's
    // tree shows it on every packet.
    assert!(tree_has(
        &h,
        "[Conversation completeness: Complete, WITH_DATA (31)]"
    ));
}

/// Whether the selected packet's tree has a line reading `label` (open or not).
fn tree_has(h: &Harness<'static, App>, label: &str) -> bool {
    h.state()
        .state
        .details
        .as_ref()
        .is_some_and(|d| d.lines.iter().any(|l| l.label == label))
}

#[test]
fn the_window_title_names_the_file() {
    let h = opened(capture("http_keepalive.pcap"));
    assert_eq!(h.state().state.title(), "synack — http_keepalive.pcap");
}

#[test]
fn file_open_recent_opens_a_recent_capture() {
    let recent = capture("tcp_clean_close.pcap");
    let settings = Settings {
        recent: vec![recent.clone(), sample()],
        ..Settings::default()
    };
    // The sample open (the start page, which lists recent files too, gone).
    let mut h = harness(Some(sample()), settings);
    settle(&mut h);
    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label("Open Recent").click();
    h.run_steps(2);
    h.get_by_label(&recent.display().to_string()).click();
    settle(&mut h);
    assert_eq!(
        h.state().state.session.as_ref().map(|s| s.progress.packets),
        Some(19)
    );
    assert_eq!(h.state().state.title(), "synack — tcp_clean_close.pcap");
}

#[test]
fn the_delta_column_counts_from_the_previous_displayed_packet() {
    let mut h = opened(capture("tcp_clean_close.pcap"));
    // The header's right-click menu shows the built-in Delta column.
    h.get_by_label("Time").click_secondary();
    h.run_steps(2);
    h.get_by_role_and_label(egui::accesskit::Role::CheckBox, "Delta")
        .click();
    h.run_steps(3);
    let kinds: Vec<_> = h
        .state()
        .state
        .settings
        .columns
        .iter()
        .map(|c| c.kind.clone())
        .collect();
    assert!(kinds.contains(&synack::ui::columns::ColumnKind::Delta));
    h.get_by_label("Delta");
    // tshark -T fields -e frame.time_delta_displayed: frame 14 is 0.000626 after
    // frame 13 ...
    select_and_settle(&mut h, 13);
    h.get_by_label("0.000626");
    // ... and 0.000630 after frame 12 when only the segments with data are shown.
    h.state_mut()
        .apply(Action::ApplyFilter("tcp.len > 0".into()));
    settle(&mut h);
    assert_eq!(displayed(&h), vec![11, 13]);
    h.get_by_label("0.000630");
}

#[test]
fn the_flow_pane_opens_scrolled_to_the_selected_arrow() {
    // Wide enough for the flow pane beside the list; the first packet (ICMPv6) has
    // no ladder, so the pane appears with the click on frame 24, the 18th arrow.
    let mut h = harness_sized(
        Some(capture("http_keepalive.pcap")),
        Settings::default(),
        DESKTOP,
    );
    settle(&mut h);
    assert!(h.state().state.flow_data.ladder.is_none());
    select_and_settle(&mut h, 23);
    h.get_by_label("TCP stream 0");
    assert!(h.state().state.flow.selected_in_view);
}

#[test]
fn the_ladder_tab_on_a_laptop_shows_several_arrows_at_once() {
    let mut h = opened(sample());
    h.get_by_label("Ladder").click();
    h.run_steps(3);
    h.get_by_label("TCP stream 0");
    // One line an arrow in the short tab, under one line naming both ends: the
    // whole handshake at once (the roomy rows showed one arrow and a half).
    let flow = &h.state().state.flow;
    assert!(flow.arrows_in_view >= 3, "{} arrows", flow.arrows_in_view);
    assert!(flow.selected_in_view);
}

#[test]
fn go_next_and_previous_in_the_conversation_skip_the_other_streams() {
    // Stream 0 is frames 7-11, 17 and 18; stream 1 runs in between (12-16).
    let mut h = opened(capture("tcp_many_streams.pcap"));
    select_and_settle(&mut h, 10);
    h.get_by_label("Go").click();
    h.run_steps(2);
    h.get_by_label("Next Packet in Conversation  (Ctrl+.)")
        .click();
    settle(&mut h);
    assert_eq!(selected(&h), Some(16));
    // The keyboard's way back.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Comma);
    settle(&mut h);
    assert_eq!(selected(&h), Some(10));
}
