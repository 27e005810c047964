//! The window in Simplified Chinese (issue 23): menus, the teaching strip's sentence
//! for a SYN, View ▸ Language switching at once, and snapshots of the window and the
//! ladder drawn with the bundled CJK font. The language is one process-wide setting,
//! so these tests live in their own binary and take turns (`TURN`).

mod snapshot_helpers;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use snapshot_helpers::{LAPTOP, answer, capture, harness_with_devices, settle, snapshot};
use std::path::PathBuf;
use std::sync::Mutex;
use synack::i18n::{self, Lang};
use synack::ui::App;
use synack::ui::action::{Action, ViewChange};
use synack::ui::state::Settings;

/// One test at a time: each sets the process's language.
static TURN: Mutex<()> = Mutex::new(());

fn chinese() -> Settings {
    Settings {
        language: Some("zh-CN".into()),
        ..Settings::default()
    }
}

fn harness(file: Option<PathBuf>, settings: Settings) -> Harness<'static, App> {
    harness_with_devices(file, settings, LAPTOP, Vec::new())
}

/// tcp_clean_close.pcap in Chinese with its SYN (frame 9) selected.
fn clean_close_syn() -> Harness<'static, App> {
    let mut h = harness(Some(capture("tcp_clean_close.pcap")), chinese());
    settle(&mut h);
    h.state_mut().apply(Action::Select(8));
    settle(&mut h);
    h
}

fn explanation(h: &Harness<'static, App>) -> Option<String> {
    h.state()
        .state
        .details
        .as_ref()
        .and_then(|d| d.teaching.as_ref())
        .map(|t| t[4].clone())
}

#[test]
fn the_menus_and_the_syns_explanation_read_in_chinese() {
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    let h = clean_close_syn();
    for menu in ["文件", "视图", "捕获", "跳转", "分析", "统计", "帮助"] {
        h.get_by_label(menu);
    }
    // The sentence, with the SYN's real initial sequence number.
    let text = explanation(&h).unwrap_or_default();
    assert_eq!(
        text,
        "客户端请求建立连接，选定初始序列号 x = 4262667675；服务器将从 SYN-RECEIVED 状态作出应答。"
    );
    // In the teaching strip and in the tree's Explanation line.
    assert_eq!(h.get_all_by_label_contains("客户端请求建立连接").count(), 2);
    // Field values stay as Wireshark and RFC 9293 write them.
    h.get_by_label("handshake-1");
    h.get_by_label_contains("Transmission Control Protocol");
    h.get_by_label_contains("发送方 → SYN-SENT");
    // The teaching notes' tree line, open as in English.
    h.get_by_label("synack：handshake-1（发送方 SYN-SENT，接收方 SYN-RECEIVED），seq=x");
}

#[test]
fn view_language_switches_at_once_and_is_remembered() {
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    let mut h = clean_close_syn();
    h.state_mut()
        .apply(Action::View(ViewChange::Language(Lang::EnUs)));
    settle(&mut h);
    h.get_by_label("File");
    assert!(h.query_by_label("文件").is_none());
    assert_eq!(
        explanation(&h).as_deref(),
        Some(
            "The client asks to open a connection and picks its initial sequence number x = 4262667675; the server answers from SYN-RECEIVED."
        )
    );
    assert_eq!(h.state().state.settings.language.as_deref(), Some("en-US"));
    h.state_mut()
        .apply(Action::View(ViewChange::Language(Lang::ZhCn)));
    settle(&mut h);
    h.get_by_label("文件");
    assert_eq!(i18n::current(), Lang::ZhCn);
    assert_eq!(h.state().state.settings.language.as_deref(), Some("zh-CN"));
}

#[test]
fn snapshot_window_in_chinese() {
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    let mut h = clean_close_syn();
    snapshot(&mut h, "zh_cn_laptop");
}

#[test]
fn snapshot_ladder_view_in_chinese() {
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    let mut h = clean_close_syn();
    h.state_mut().apply(Action::LadderView(true));
    settle(&mut h);
    snapshot(&mut h, "zh_cn_ladder_view");
}

#[test]
fn snapshot_start_page_in_chinese() {
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    let mut h = harness(None, chinese());
    h.run_steps(3);
    snapshot(&mut h, "zh_cn_start_page");
}

/// tcp_clean_close.pcap in Chinese, in Ladder view at its SYN (frame 9).
fn chinese_ladder_at_the_syn() -> Harness<'static, App> {
    let mut h = clean_close_syn();
    h.state_mut().apply(Action::LadderView(true));
    settle(&mut h);
    h
}

#[test]
fn step_and_predict_speak_chinese() {
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    let mut h = chinese_ladder_at_the_syn();
    // The step bar and the lesson of what each end waits for.
    h.get_by_label("⏮ 第一个");
    h.get_by_label_contains("第 1 个分组，共 10 个");
    h.get_by_label_contains(
        "现在客户端（SYN-SENT）等待对其 SYN 的应答 SYN+ACK；服务器（SYN-RECEIVED）等待",
    );
    h.get_by_label("下一个 ▶").click();
    h.run_steps(4);
    settle(&mut h);
    h.get_by_label_contains("第 2 个分组，共 10 个");
    // Predict the ack of the SYN+ACK (frame 10), wrong then right: the verdict and
    // the explanation in Chinese, the numbers and field values as the packet has them.
    h.get_by_label("⏮ 第一个").click();
    h.run_steps(4);
    settle(&mut h);
    h.get_by_label("预测").click();
    h.run_steps(4);
    h.get_by_label("问它的确认号").click();
    h.run_steps(4);
    h.get_by_label_contains("服务器在下一个分组（帧 10）中发送的确认号是多少？");
    answer(&mut h, "0", "检查");
    h.get_by_label_contains(
        "不太对。帧 10 携带确认号 ack 1（相对序号；线路上为 4262667676）：seq=y ack=x+1。",
    );
    answer(&mut h, "1", "检查");
    h.get_by_label_contains("正确。帧 10 携带确认号 ack 1");
    h.get_by_label_contains("流 0 得分：2 题答对 1 题");
    // "无" answers a question about a packet without ACK as "none" does.
    assert!(synack::ui::teach_words::is_no_ack("无"));
}

#[test]
fn analysis_lessons_read_in_chinese() {
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    // tshark: frame 46 of tcp_lossy_bulk_head.pcap is "Dup ACK 45#1" (ack 21721),
    // frame 79 the fast retransmission of seq 21721, first sent in frame 36.
    let mut h = harness(Some(capture("tcp_lossy_bulk_head.pcap")), chinese());
    settle(&mut h);
    h.state_mut().apply(Action::Select(45));
    settle(&mut h);
    h.state_mut().apply(Action::LadderView(true));
    settle(&mut h);
    let ladder = h.state().state.flow_data.ladder.clone();
    let lessons = |frame: u32| -> Vec<String> {
        ladder
            .as_ref()
            .and_then(|l| l.arrows.iter().find(|a| a.frame == frame))
            .map(|a| a.lessons.clone())
            .unwrap_or_default()
    };
    assert_eq!(
        lessons(46),
        [
            "帧 46 重复了帧 45 的确认（ack 21721），即重复确认：服务器仍在等待字节 21721，说明后面的字节已经到达，但它们之前有一个报文段丢失了。"
        ]
    );
    assert_eq!(
        lessons(79),
        [
            "帧 79 立即重传字节 21721–23168（首次发送于帧 36），没有等待超时：服务器的重复确认（帧 46 至 78）表明它仍缺少字节 21721。这就是快速重传。"
        ]
    );
}

/// Every text the window exposes (labels and values of the accessibility tree).
fn texts(h: &Harness<'static, App>) -> Vec<String> {
    use egui_kittest::kittest::NodeT;
    h.query_all_by(|_| true)
        .flat_map(|n| {
            let node = n.accesskit_node();
            [node.label(), node.value()]
        })
        .flatten()
        .collect()
}

/// Steps a little while without waiting on `is_busy` (the Statistics windows compute
/// on their own workers).
fn run_a_while(h: &mut Harness<'static, App>) {
    for _ in 0..40 {
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    h.run_steps(3);
}

/// English words the windows showed before they were translated: none may remain.
const ENGLISH: [&str; 26] = [
    "Packets",
    "Packets A → B",
    "Bits/s B → A",
    "Bytes",
    "Address A",
    "Port A",
    "Address",
    "Name",
    "Display filter",
    "Colour",
    "Style",
    "Y axis",
    "Y field",
    "All packets",
    "TCP errors",
    "Severity",
    "Summary",
    "Protocol",
    "Percent packets",
    "Completeness",
    "Final states A / B",
    "Tx Packets",
    "Interval",
    "Stream",
    "Save as…",
    "Cancel",
];

/// Each Statistics window, Follow TCP Stream and the export dialog open in Chinese:
/// the title is Chinese, none of the English headings and words is left, and no
/// message id is missing (a string shown through the lookup without its message
/// reads in English and is caught here, which the completeness test cannot see).
#[test]
fn every_window_reads_in_chinese() {
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    let mut h = clean_close_syn();
    let mut problems = Vec::new();
    let mut check = |h: &Harness<'static, App>, title: String| {
        let shown = texts(h);
        if title.is_ascii() || !shown.iter().any(|t| t.contains(&title)) {
            problems.push(format!("no Chinese title {title:?}"));
        }
        for word in ENGLISH {
            if shown.iter().any(|t| t == word) {
                problems.push(format!("{title}: {word:?} in English"));
            }
        }
    };
    let windows = synack::ui::windows::statistics();
    for (k, w) in windows.iter().enumerate() {
        h.state_mut().apply(Action::OpenStats(k));
        run_a_while(&mut h);
        check(&h, synack::ui::windows::shown_title(w.title()));
        h.state_mut().apply(Action::CloseStats(k));
        run_a_while(&mut h);
    }
    h.state_mut().apply(Action::FollowStream(0));
    run_a_while(&mut h);
    check(&h, "追踪 TCP 流".into());
    h.state_mut().apply(Action::CloseFollow);
    h.state_mut().apply(Action::ExportDialog);
    run_a_while(&mut h);
    check(&h, synack::ui::windows::shown_title("Export"));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(i18n::unknown_ids(), Vec::<String>::new());
}

/// A file that is not a capture is refused in Chinese, with the file's first bytes and
/// its path as they are; a missing file says so in Chinese around the system's words.
#[test]
fn open_errors_read_in_chinese() {
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().ok();
    let path = dir
        .as_ref()
        .map(|d| d.path().join("notes.txt"))
        .unwrap_or_default();
    assert!(std::fs::write(&path, b"hello, this is not a capture").is_ok());
    for (file, words) in [
        (path.clone(), "不是捕获文件：开头为 68656c6c"),
        (path.with_file_name("missing.pcap"), "文件或目录不存在"),
    ] {
        let mut h = harness(Some(file), chinese());
        for _ in 0..400 {
            h.step();
            if h.state().state.message.is_some() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        let message = h.state().state.message.clone().unwrap_or_default();
        assert!(message.contains(words), "{message}");
    }
}
