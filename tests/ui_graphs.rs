//! The Statistics windows of issue 19 driven as a user drives them, with
//! egui_kittest: Conversations, Endpoints, TCP Stream Graphs, I/O Graph, Plots and
//! the Flow Graph of all flows, each opened from the Statistics menu on a real
//! capture and checked against what tshark 4.0 prints for it.

mod snapshot_helpers;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use snapshot_helpers::{capture, settle};
use synack::ui::App;
use synack::ui::state::Settings;

fn opened(name: &str) -> Harness<'static, App> {
    let file = capture(name);
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .with_accessibility_check(false)
        .wgpu()
        .build_eframe(move |cc| {
            App::with_settings(cc.egui_ctx.clone(), Settings::default(), Some(file))
        });
    settle(&mut h);
    h
}

/// Opens Statistics ▸ `entry`.
fn open_window(h: &mut Harness<'static, App>, entry: &str) {
    h.get_by_label("Statistics").click();
    h.run_steps(2);
    h.get_by_label(entry).click();
    h.run_steps(2);
}

/// Steps frames until a label containing `text` shows (the window's worker has
/// reported), bounded.
fn wait_for(h: &mut Harness<'static, App>, text: &str) {
    for _ in 0..1500 {
        h.step();
        if h.query_all_by_label_contains(text).next().is_some() {
            h.run_steps(2);
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    panic!("\"{text}\" never showed");
}

fn has(h: &Harness<'static, App>, label: &str) -> bool {
    h.query_all_by_label(label).next().is_some()
}

fn snapshot(h: &mut Harness<'static, App>, name: &str) {
    // No hover label where the last click left the pointer.
    h.event(egui::Event::PointerGone);
    h.run_steps(3);
    // The status bar says how long loading took: hide it from the comparison.
    h.mask(egui::Rect::from_min_max(
        egui::pos2(0.0, 776.0),
        egui::pos2(1280.0, 800.0),
    ));
    if let Err(e) = h.try_snapshot(name) {
        panic!("snapshot {name}: {e}");
    }
}

#[test]
fn conversations_count_bytes_as_tshark_and_word_the_tcp_completeness() {
    let mut h = opened("http_keepalive.pcap");
    open_window(&mut h, "Conversations");
    // tshark -q -z conv,tcp: 10.10.0.1:33600 <-> 10.10.0.2:15759, 22 frames 4846
    // bytes; -> (A to B) 12 frames 1067 bytes, <- 10 frames 3779 bytes.
    wait_for(&mut h, "4846");
    for label in ["33600", "15759", "22", "1067", "3779", "1414", "924", "490"] {
        assert!(has(&h, label), "no cell {label}");
    }
    assert!(has(&h, "handshake, data, close"));
    assert!(has(&h, "TCP · 2"));
    snapshot(&mut h, "window_conversations");
}

#[test]
fn endpoints_sum_what_each_address_sent_and_received() {
    let mut h = opened("http_keepalive.pcap");
    open_window(&mut h, "Endpoints");
    // tshark -q -z endpoints,ip: 10.10.0.1 34 packets 6260 bytes, Tx 18/1557, Rx 16/4703.
    wait_for(&mut h, "6260");
    for label in ["10.10.0.1", "34", "1557", "4703"] {
        assert!(has(&h, label), "no cell {label}");
    }
    snapshot(&mut h, "window_endpoints");
}

#[test]
fn stream_graph_opens_on_the_data_sender_with_a_point_per_segment() {
    let mut h = opened("tcp_lossy_bulk_head.pcap");
    open_window(&mut h, "TCP Stream Graphs");
    // tshark: 375 segments from 10.10.0.1:54726 in stream 0 (the data sender, 564
    // kB), plus 23 duplicate ACKs and zero windows from the receiver.
    wait_for(&mut h, "points");
    assert!(has(
        &h,
        "Time-Sequence (Stevens) for 10.10.0.1:54726 → 10.10.0.2:51870"
    ));
    assert!(has(&h, "398 points"));
    snapshot(&mut h, "window_stream_graph_stevens");
}

#[test]
fn io_graph_counts_each_interval_as_io_stat() {
    let mut h = opened("http_keepalive.pcap");
    open_window(&mut h, "I/O Graph");
    h.run_steps(3);
    h.get_by_label("Values").click();
    // tshark -q -z io,stat,1: 4 frames in 0 <> 1, 36 in 1 <> Dur.
    wait_for(&mut h, "36");
    assert!(has(&h, "4"));
    assert!(has(&h, "1.000"));
    snapshot(&mut h, "window_io_graph");
}

#[test]
fn plots_draw_every_value_of_a_field() {
    let mut h = opened("tcp_lossy_bulk_head.pcap");
    open_window(&mut h, "Plots");
    // tshark -Y tcp.analysis.ack_rtt: 89 packets carry one.
    wait_for(&mut h, "values of");
    assert!(has(&h, "89 values of tcp.analysis.ack_rtt"));
    snapshot(&mut h, "window_plots");
}

#[test]
fn flow_graph_draws_every_tcp_udp_and_icmp_packet_between_sockets() {
    let mut h = opened("tcp_clean_close.pcap");
    open_window(&mut h, "Flow Graph");
    // tshark -Y "tcp or udp or icmp or icmpv6": 17 of the 19 packets (two are ARP).
    wait_for(&mut h, "item(s)");
    assert!(has(&h, "7 node(s), 17 item(s)"));
    snapshot(&mut h, "window_flow_graph_all");
}

/// Picks graph `to` in the TCP Stream Graphs window's type box.
fn pick_graph(h: &mut Harness<'static, App>, to: &str) {
    // The window is drawn after the panes: its type box is the last one.
    match h.query_all_by_role(egui::accesskit::Role::ComboBox).last() {
        Some(combo) => combo.click(),
        None => panic!("no graph type box"),
    }
    h.run_steps(2);
    h.get_by_label(to).click();
    h.run_steps(3);
}

#[test]
fn stream_graph_types_count_their_points() {
    let mut h = opened("tcp_clean_close.pcap");
    open_window(&mut h, "TCP Stream Graphs");
    wait_for(&mut h, "points");
    // The server sends the data (43 bytes to 18): SYN+ACK, ACK, the reply, FIN.
    assert!(has(
        &h,
        "Time-Sequence (Stevens) for 10.10.0.2:10805 → 10.10.0.1:59804"
    ));
    assert!(has(&h, "4 points"));
    // tcptrace: two segments as bars, the SYN and FIN marks, and the client's five
    // ACKs each with its window.
    pick_graph(&mut h, "Time-Sequence (tcptrace)");
    assert!(has(&h, "14 points"));
    // One data segment (frame 14), acknowledged exactly by frame 15: one sample.
    pick_graph(&mut h, "Round Trip Time");
    assert!(has(&h, "1 points"));
    pick_graph(&mut h, "Window Scaling");
    assert!(has(
        &h,
        "Window Scaling for 10.10.0.2:10805 → 10.10.0.1:59804"
    ));
}

#[test]
fn tcptrace_graph_of_a_lossy_transfer() {
    let mut h = opened("tcp_lossy_bulk_head.pcap");
    open_window(&mut h, "TCP Stream Graphs");
    wait_for(&mut h, "points");
    pick_graph(&mut h, "Time-Sequence (tcptrace)");
    snapshot(&mut h, "window_stream_graph_tcptrace");
}

#[test]
fn graph_this_field_adds_an_io_graph_of_it() {
    let mut h = opened("tcp_lossy_bulk_head.pcap");
    h.state_mut()
        .apply(synack::ui::action::Action::StatsRequest(
            synack::ui::windows::WindowRequest::GraphField("tcp.analysis.ack_rtt".into()),
        ));
    h.run_steps(3);
    wait_for(&mut h, "Interval");
    h.get_by_label("Values").click();
    // The new graph is named after the field: its column in the values.
    wait_for(&mut h, "tcp.analysis.ack_rtt");
}

#[test]
fn a_chart_saves_as_png_svg_and_csv_on_the_export_worker() {
    use synack::export::chart::{Chart, Series, Style};
    use synack::ui::windows::SaveChart;
    use synack::ui::windows::chart::ChartFormat;
    let mut h = opened("tcp_clean_close.pcap");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let chart = Chart {
        title: "I/O Graph".into(),
        x_label: "Time (s)".into(),
        y_label: "Packets per 1 s".into(),
        series: vec![Series {
            name: "All packets".into(),
            rgb: [31, 79, 208],
            style: Style::Line,
            points: vec![[0.0, 8.0], [1.0, 11.0]],
        }],
    };
    for (format, magic) in [
        (ChartFormat::Png, &b"\x89PNG"[..]),
        (ChartFormat::Svg, &b"<svg"[..]),
        (ChartFormat::Csv, &b"series,"[..]),
    ] {
        let path = dir.path().join(format!("chart.{}", format.extension()));
        h.state_mut()
            .apply(synack::ui::action::Action::SaveChart(SaveChart {
                name: "chart".into(),
                format,
                path: Some(path.clone()),
                chart: chart.clone(),
            }));
        // The message names the file (the toolbar has a "Saved" filters menu too).
        wait_for(&mut h, &format!("Saved {}", path.display()));
        let bytes = std::fs::read(&path).expect("the saved file");
        assert!(bytes.starts_with(magic), "{}", path.display());
        h.state_mut()
            .apply(synack::ui::action::Action::DismissMessage);
        h.run_steps(2);
    }
}

#[test]
fn conversations_limited_to_the_display_filter_keep_its_packets_only() {
    let mut h = opened("http_keepalive.pcap");
    h.state_mut().apply(synack::ui::action::Action::ApplyFilter(
        "tcp.stream == 1".into(),
    ));
    for _ in 0..500 {
        h.step();
        if !h.state().state.is_busy() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    open_window(&mut h, "Conversations");
    wait_for(&mut h, "TCP · 2");
    h.get_by_label("Limit to display filter").click();
    // tshark -q -z conv,tcp,tcp.stream==1: the one conversation on port 33610.
    wait_for(&mut h, "TCP · 1");
    assert!(has(&h, "1414"));
    assert!(!has(&h, "4846"));
}

#[test]
fn a_conversations_stream_graph_opens_on_that_stream() {
    let mut h = opened("http_keepalive.pcap");
    // What the TCP row's menu asks for ("Open its stream graph").
    h.state_mut()
        .apply(synack::ui::action::Action::StatsRequest(
            synack::ui::windows::WindowRequest::StreamGraph(1),
        ));
    wait_for(&mut h, "points");
    // The server sends the data: 924 bytes of frames to the client's 490.
    assert!(has(
        &h,
        "Time-Sequence (Stevens) for 10.10.0.2:15759 → 10.10.0.1:33610"
    ));
}
