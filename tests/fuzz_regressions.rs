//! Inputs that made a fuzz target (`fuzz/`) panic, replayed on every `cargo test`.
//!
//! Each file in `tests/fuzz-regressions/` is a capture named after what it broke. It
//! goes through the path the reader targets drive (open, load pass, every packet
//! dissected again with the recorded analysis, a full tree, labels and columns, the
//! tcpdump line, every stream's ladder and followed bytes, an export in every format
//! read back), then through the CLI commands built on the same code. Nothing may
//! panic; a command may refuse a file.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;
use std::path::PathBuf;
use synack::capture::writer::{self, Format};
use synack::capture::{Scanner, Step};
use synack::dissect::{Dissection, Want};
use synack::export::text;
use synack::tcp::{Loaded, follow, ladder};

fn regressions() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("tests/fuzz-regressions"))
        .expect("tests/fuzz-regressions")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    assert!(!files.is_empty());
    files
}

#[test]
fn every_regression_loads_and_dissects_in_process() {
    for path in regressions() {
        let Ok(loaded) = Loaded::open(&path) else {
            continue;
        };
        let analysis = loaded.analysis();
        let first_ts = loaded.capture.record(0).map_or(0, |r| r.ts_nanos);
        let mut printer = text::tcpdump::Printer::new(false, true);
        for i in 0..loaded.len() {
            let mut d = Dissection::new(Want::All, true, true);
            let record = loaded
                .dissect_into(i, i.checked_sub(1), &analysis, &mut d)
                .expect("packet");
            for node in &d.nodes {
                node.label();
            }
            text::Summary::new(i + 1, &record, first_ts, 9, &d).line();
            printer.line(&record, loaded.capture.bytes_of(&record), &d);
        }
        for stream in 0..loaded.tcp.streams.len() as u32 {
            follow::chunks(&loaded, stream);
            ladder::build(&loaded, stream, false, |_| true);
        }
        let all: Vec<usize> = (0..loaded.len()).collect();
        for format in [Format::PcapNg, Format::Pcap, Format::PcapNanos] {
            let mut out = Vec::new();
            if writer::write(&loaded.capture, &all, format, &mut out).is_err() {
                continue;
            }
            let mut scanner = Scanner::new(&out, &path).expect("export reads back");
            let mut count = 0;
            while let Step::Packet(_) = scanner.next_step(&out, false) {
                count += 1;
            }
            assert_eq!(
                count,
                loaded.len(),
                "{format:?} export of {}",
                path.display()
            );
        }
    }
}

#[test]
fn every_regression_goes_through_the_cli() {
    let dir = tempfile::tempdir().expect("temp dir");
    let exported = dir.path().join("out");
    let exported = exported.to_str().expect("utf-8 path");
    for path in regressions() {
        let file = path.to_str().expect("utf-8 path");
        for args in [
            &["dump", "-r", file, "-w", exported][..],
            &["dump", "-r", file, "-w", exported, "-F", "pcap"],
            &["dump", "-r", file, "-w", exported, "-F", "nsecpcap"],
            &["dump", "-V", "-r", file],
            &["dump", "--tcpdump", "-v", "-r", file],
            &["stats", "-r", file],
            &["stats", "-z", "expert", "-r", file],
            &["flow", "--format", "svg", "-r", file],
            &["flow", "--format", "json", "-r", file],
            &["follow", "--format", "hex", "-r", file],
        ] {
            let out = synack(args);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                !stderr.contains("panicked") && out.status.code().is_some_and(|c| c != 101),
                "synack {args:?} crashed: {stderr}"
            );
        }
    }
}
