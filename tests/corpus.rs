//! Every capture of tcpdump's test corpus (830 files, many link types, many
//! deliberately malformed) opens: no panic, no hang, and as many packets as tshark
//! lists (counts in tests/expected/corpus-counts.tsv, written by tshark). Every
//! packet is then dissected with its full tree and labels.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;
use std::sync::mpsc;
use std::time::Duration;
use synack::dissect::{Dissection, Want};
use synack::tcp::Loaded;

/// Opens `path`, dissects every packet fully, returns the packet count.
fn open_and_dissect(path: &std::path::Path) -> usize {
    let loaded = match Loaded::open(path) {
        Ok(l) => l,
        Err(_) => return 0,
    };
    let analysis = loaded.analysis();
    for i in 0..loaded.len() {
        let mut d = Dissection::new(Want::All, true, true);
        loaded.dissect_into(i, i.checked_sub(1), &analysis, &mut d);
        for node in &d.nodes {
            let _ = node.label();
        }
    }
    loaded.len()
}

#[test]
fn every_corpus_file_opens_with_tsharks_count() {
    let mut failures = Vec::new();
    let mut files = 0;
    for (file, want) in corpus_counts() {
        let path = root().join("tests/corpus/tcpdump").join(&file);
        files += 1;
        let (tx, rx) = mpsc::sync_channel(1);
        let p = path.clone();
        std::thread::Builder::new()
            .name(format!("corpus {file}"))
            .spawn(move || {
                let result = std::panic::catch_unwind(|| open_and_dissect(&p));
                let _ = tx.send(result.map_err(|_| ()));
            })
            .expect("spawn");
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(Ok(got)) if got == want => {}
            Ok(Ok(got)) => {
                failures.push(format!("{file}: tshark lists {want} packets, synack {got}"))
            }
            Ok(Err(())) => failures.push(format!("{file}: panicked")),
            Err(_) => failures.push(format!("{file}: did not finish within 60 s")),
        }
    }
    assert!(files >= 830, "only {files} corpus files listed");
    assert!(
        failures.is_empty(),
        "{} of {files} files failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
