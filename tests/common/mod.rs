//! Helpers shared by the end-to-end tests: run the built binary, read fixtures.

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A capture in tests/captures.
pub fn capture(name: &str) -> PathBuf {
    root().join("tests/captures").join(name)
}

/// An expected-output file in tests/expected.
pub fn expected(name: &str) -> String {
    std::fs::read_to_string(root().join("tests/expected").join(name))
        .unwrap_or_else(|e| panic!("cannot read expected output {name}: {e}"))
}

/// Runs `synack` with `args` in the UTC time zone.
pub fn synack(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_synack"))
        .args(args)
        .env("TZ", "UTC")
        // English whatever the machine's locale (the language follows LANG and friends).
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C.UTF-8")
        .output()
        .expect("run synack")
}

/// Runs `synack` and returns its stdout, failing the test on a non-zero status.
pub fn synack_ok(args: &[&str]) -> String {
    let out = synack(args);
    assert!(
        out.status.success(),
        "synack {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// `bytes` in a temporary file whose name ends with `suffix` (removed when dropped).
pub fn write_temp(bytes: &[u8], suffix: &str) -> tempfile::NamedTempFile {
    use std::io::Write;
    let mut f = tempfile::Builder::new()
        .suffix(suffix)
        .tempfile()
        .expect("temp file");
    f.write_all(bytes).expect("write");
    f.flush().expect("flush");
    f
}

/// Whether `program arg` runs and succeeds (a tool the test needs is installed).
pub fn runs(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Every capture in tests/captures, sorted.
pub fn captures() -> Vec<PathBuf> {
    let mut list: Vec<PathBuf> = std::fs::read_dir(root().join("tests/captures"))
        .expect("tests/captures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        // Captures only, whatever else the folder comes to hold.
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "pcap" || e == "pcapng" || e == "gz")
        })
        .collect();
    list.sort();
    list
}

/// The file name of a path.
pub fn name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Compares two texts line by line and panics with the first differences.
pub fn assert_same_lines(what: &str, expected: &str, got: &str) {
    let e: Vec<&str> = expected.lines().collect();
    let g: Vec<&str> = got.lines().collect();
    let mut diffs = Vec::new();
    for i in 0..e.len().max(g.len()) {
        let (a, b) = (e.get(i).copied(), g.get(i).copied());
        if a != b {
            // Show the differing tab-separated cells, not whole lines.
            let (ea, gb) = (a.unwrap_or(""), b.unwrap_or(""));
            let cells: Vec<String> = ea
                .split('\t')
                .zip(gb.split('\t'))
                .enumerate()
                .filter(|(_, (x, y))| x != y)
                .map(|(c, (x, y))| format!("cell {}: expected {x:?} got {y:?}", c + 1))
                .collect();
            if cells.is_empty() || ea.split('\t').count() != gb.split('\t').count() {
                diffs.push(format!(
                    "line {}:\n  expected {:?}\n  got      {:?}",
                    i + 1,
                    a,
                    b
                ));
            } else {
                diffs.push(format!("line {}: {}", i + 1, cells.join("; ")));
            }
        }
    }
    assert!(
        diffs.is_empty(),
        "{what}: {} lines differ\n{}",
        diffs.len(),
        diffs.iter().take(5).cloned().collect::<Vec<_>>().join("\n")
    );
}

/// Asserts that two loads of one capture (`what`) made the same index, analysis
/// records, streams, side tables, counts and damage.
pub fn assert_same_loaded(what: &str, one: &synack::tcp::Loaded, two: &synack::tcp::Loaded) {
    use synack::tcp::Loaded;
    assert_eq!(one.len(), two.len(), "{what}: packets");
    let records = |l: &Loaded| l.capture.index().packets.iter().collect::<Vec<_>>();
    assert!(records(one) == records(two), "{what}: index records");
    let packets = |l: &Loaded| l.tcp.packets.iter().collect::<Vec<_>>();
    assert!(packets(one) == packets(two), "{what}: analysis records");
    // Every side table, as its debug text.
    let tables = |l: &Loaded| {
        let t = &l.tcp;
        [
            ("streams", format!("{:?}", t.streams)),
            ("dup acks", format!("{:?}", t.dup_acks)),
            ("rto", format!("{:?}", t.rto_frames)),
            ("pdus", format!("{:?}", t.completes)),
            ("offsets", format!("{:?}", t.partial_offsets)),
            ("requests", format!("{:?}", t.requests)),
        ]
    };
    for ((table, a), (_, b)) in tables(one).into_iter().zip(tables(two)) {
        assert_eq!(a, b, "{what}: {table}");
    }
    let phs = |l: &Loaded| {
        let mut lines = Vec::new();
        walk(&l.stats.phs, 0, 0, &mut lines);
        lines
    };
    assert_eq!(phs(one), phs(two), "{what}: protocol hierarchy");
    let experts = |l: &Loaded| {
        l.stats
            .experts
            .iter()
            .map(|e| format!("{:?} {}", e.expert, e.count))
            .collect::<Vec<_>>()
    };
    assert_eq!(experts(one), experts(two), "{what}: expert items");
    assert_eq!(
        (
            one.stats.packets,
            one.stats.bytes,
            one.stats.first_ts,
            one.stats.last_ts
        ),
        (
            two.stats.packets,
            two.stats.bytes,
            two.stats.first_ts,
            two.stats.last_ts
        ),
        "{what}: totals"
    );
    assert_eq!(
        one.capture.damage().map(|d| d.to_string()),
        two.capture.damage().map(|d| d.to_string()),
        "{what}: damage"
    );
}

/// The protocol hierarchy as indented lines.
fn walk(nodes: &[synack::tcp::PhsNode], at: usize, depth: usize, out: &mut Vec<String>) {
    let Some(node) = nodes.get(at) else { return };
    out.push(format!(
        "{depth} {} {} {}",
        node.name, node.frames, node.bytes
    ));
    for &c in &node.children {
        walk(nodes, c, depth + 1, out);
    }
}

/// Whether the tests run as root (live capture needs it; CI runs as root, and tests
/// that need it say why they skip elsewhere).
pub fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// The capture helper, built beside `synack` by `cargo test` (it is the
/// `synack-capture` crate's, which the workspace's default members include).
pub fn helper() -> String {
    let helper = Path::new(env!("CARGO_BIN_EXE_synack")).with_file_name("synack-capture");
    assert!(
        helper.exists(),
        "{} is not built: run the tests with `cargo test` at the workspace root",
        helper.display()
    );
    helper.display().to_string()
}

/// tcpdump's test corpus as tshark counts it: each file (under tests/corpus/tcpdump)
/// with the number of packets tshark lists (tests/expected/corpus-counts.tsv).
pub fn corpus_counts() -> Vec<(String, usize)> {
    expected("corpus-counts.tsv")
        .lines()
        .filter_map(|line| {
            let (file, count) = line.split_once('\t')?;
            Some((file.to_string(), count.trim().parse().expect("a count")))
        })
        .collect()
}
