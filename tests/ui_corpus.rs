//! Every capture of tcpdump's test corpus (830 files, many link types, many
//! deliberately malformed) opens in the window: no panic, no hang, as many rows as
//! tshark lists packets, and a message instead of a list for the files tshark
//! refuses. Each packet the list shows is drawn, and the first one is selected (its
//! tree, bytes and flow pane built).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{corpus_counts, root};
use egui_kittest::Harness;
use synack::ui::App;
use synack::ui::action::Action;
use synack::ui::state::Settings;

#[test]
fn every_corpus_file_opens_in_the_window_with_tsharks_count() {
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .with_accessibility_check(false)
        .build_eframe(|cc| {
            let mut app = App::with_settings(cc.egui_ctx.clone(), Settings::default(), None);
            app.state.use_devices(Vec::new());
            app
        });
    h.run_steps(2);
    let mut failures = Vec::new();
    let mut files = 0;
    for (file, want) in corpus_counts() {
        files += 1;
        h.state_mut().apply(Action::Open(
            root().join("tests/corpus/tcpdump").join(&file),
        ));
        let mut steps = 0;
        while h.state().state.is_busy() {
            h.step();
            steps += 1;
            assert!(steps < 5000, "{file}: the window stayed busy");
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        // A few frames with the first packet selected and every pane drawn.
        h.state_mut().apply(Action::Select(0));
        h.run_steps(2);
        let rows = h.state().state.session.as_ref().map_or(0, |s| s.rows());
        if rows != want {
            failures.push(format!("{file}: {rows} rows, tshark lists {want}"));
        }
    }
    assert_eq!(files, 830, "the corpus list");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
