//! The window on a laptop, driven as a student drives it (issue 18): rows and Info
//! that fit 1366x768, go to, find, time formats, Apply as Column, zoom, the status
//! bar, the related-packet marks, Open Recent, the Delta column, next and previous
//! in a conversation and the Ladder tab. The first part of the window's tests is
//! tests/ui.rs.

mod snapshot_helpers;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use snapshot_helpers::*;
use std::path::PathBuf;
use synack::ui::App;
use synack::ui::action::Action;
use synack::ui::state::Settings;

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
