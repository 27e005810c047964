//! `synack flow --format mermaid`: for every TCP stream of every test capture, the
//! text parses as a Mermaid sequence diagram (with Mermaid's own parser, run by node
//! from tests/mermaid, which packaging/install-deps.sh installs), and what the parser
//! understood holds every arrow of the ladder (`--format json`) from the right
//! participant to the right one, and every state change as a note over the endpoint
//! whose state changed. A structural check in Rust of the same lines runs even where
//! node is missing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

mod common;
use common::*;
use serde_json::Value;
use std::io::Write;
use std::process::{Command, Stdio};

/// One stream's ladder (from `--format json`) and its Mermaid text.
struct Case {
    what: String,
    ladder: Value,
    mermaid: String,
}

/// Every stream of every test capture with TCP.
fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for path in captures() {
        let file = path.to_str().unwrap();
        let json: Value =
            serde_json::from_str(&synack_ok(&["flow", "-r", file, "--format", "json"])).unwrap();
        for ladder in json["streams"].as_array().unwrap() {
            let stream = ladder["stream"].as_u64().unwrap().to_string();
            let mermaid = synack_ok(&[
                "flow", "-r", file, "--format", "mermaid", "--stream", &stream,
            ]);
            cases.push(Case {
                what: format!("{} stream {stream}", name(&path)),
                ladder: ladder.clone(),
                mermaid,
            });
        }
    }
    assert!(cases.len() > 60, "the test captures hold over 60 streams");
    cases
}

/// The participant ids the diagram gives the ladder's left and right endpoints.
fn ids(ladder: &Value) -> [&'static str; 2] {
    if ladder["roles"][0] == "host" {
        ["A", "B"]
    } else {
        ["C", "S"]
    }
}

/// What one message or note should be: (from, to, text starts with, is a note).
fn expected_items(ladder: &Value) -> Vec<(String, String, String, bool)> {
    let [l, r] = ids(ladder);
    let mut items = Vec::new();
    for a in ladder["arrows"].as_array().unwrap() {
        let (from, to) = if a["from"] == 0 { (l, r) } else { (r, l) };
        items.push((
            from.to_string(),
            to.to_string(),
            format!("{} ", a["frame"]),
            false,
        ));
        for (side, state) in [(0, &a["left_state"]), (1, &a["right_state"])] {
            if a["changed"][side] == true {
                let id = [l, r][side].to_string();
                items.push((id.clone(), id, state.as_str().unwrap().to_string(), true));
            }
        }
    }
    items
}

/// Runs Mermaid's parser on all texts at once; `None` (with the reason printed) when
/// node or the installed parser is missing.
fn mermaid_parse(texts: &[&str]) -> Option<Vec<Value>> {
    let dir = root().join("tests/mermaid");
    if !dir.join("node_modules/mermaid").is_dir() {
        eprintln!(
            "SKIPPED Mermaid's parser: tests/mermaid/node_modules is missing \
             (run packaging/install-deps.sh); the structural check still ran"
        );
        return None;
    }
    let child = Command::new("node")
        .arg(dir.join("parse.mjs"))
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => {
            eprintln!("SKIPPED Mermaid's parser: cannot run node ({e})");
            return None;
        }
    };
    let input = serde_json::to_string(texts).unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "node tests/mermaid/parse.mjs failed");
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

#[test]
fn every_ladder_parses_as_a_mermaid_sequence_diagram_with_every_arrow_and_state() {
    let cases = cases();
    let texts: Vec<&str> = cases.iter().map(|c| c.mermaid.as_str()).collect();
    let Some(parsed) = mermaid_parse(&texts) else {
        return;
    };
    assert_eq!(parsed.len(), cases.len());
    for (case, got) in cases.iter().zip(&parsed) {
        let what = &case.what;
        assert!(
            got["error"].is_null(),
            "{what}: {}\n{}",
            got["error"],
            case.mermaid
        );
        assert_eq!(got["type"], "sequence", "{what}");
        // The participants are the two sockets, described with their roles.
        let [l, r] = ids(&case.ladder);
        let actors = got["actors"].as_array().unwrap();
        assert_eq!(actors.len(), 2, "{what}: {actors:?}");
        for (actor, (id, side)) in actors.iter().zip([(l, 0), (r, 1)]) {
            assert_eq!(actor[0], id, "{what}");
            let description = actor[1].as_str().unwrap();
            let endpoint = case.ladder["endpoints"][side].as_str().unwrap();
            assert!(description.ends_with(endpoint), "{what}: {description}");
        }
        // Arrows (message types other than notes, 2) and state notes in ladder order;
        // the phase titles and the opening states are notes the ladder has no arrow
        // for, so notes are matched in order among the parser's notes.
        let messages = got["messages"].as_array().unwrap();
        let mut next = 0;
        for (from, to, text, note) in expected_items(&case.ladder) {
            let found = messages.iter().skip(next).position(|m| {
                m["from"] == from.as_str()
                    && m["to"] == to.as_str()
                    && (m["type"] == 2) == note
                    && m["message"].as_str().unwrap().starts_with(&text)
            });
            let Some(offset) = found else {
                panic!(
                    "{what}: no {} {from}->{to} {text:?} after message {next}\n{}",
                    if note { "note" } else { "arrow" },
                    case.mermaid
                );
            };
            next += offset + 1;
        }
        let arrows = messages.iter().filter(|m| m["type"] != 2).count();
        assert_eq!(
            arrows,
            case.ladder["arrows"].as_array().unwrap().len(),
            "{what}"
        );
    }
}

/// Without node: each arrow is one `X->>Y: frame ...` (or `X-xY:` for an RST) line,
/// each changed state a `Note over X: STATE` line right after it, and no statement
/// text holds `;` or `#`, which would end it or start an entity in Mermaid.
#[test]
fn every_ladder_has_one_arrow_line_per_packet_and_a_note_per_state_change() {
    for case in cases() {
        let what = &case.what;
        let mut lines = case.mermaid.lines();
        assert_eq!(lines.next(), Some("sequenceDiagram"), "{what}");
        for line in lines.clone() {
            let text = line.trim_start();
            assert!(!text.contains(';') && !text.contains('#'), "{what}: {line}");
            let known = [
                "title ",
                "participant ",
                "Note over ",
                "C->>",
                "S->>",
                "A->>",
                "B->>",
                "C-x",
                "S-x",
                "A-x",
                "B-x",
            ];
            assert!(known.iter().any(|k| text.starts_with(k)), "{what}: {line}");
        }
        let body: Vec<&str> = lines.map(str::trim_start).collect();
        let [l, r] = ids(&case.ladder);
        let mut at = 0;
        for a in case.ladder["arrows"].as_array().unwrap() {
            let (from, to) = if a["from"] == 0 { (l, r) } else { (r, l) };
            let arrow = if a["step"] == "reset" { "-x" } else { "->>" };
            let want = format!("{from}{arrow}{to}: {} ", a["frame"]);
            let offset = body[at..]
                .iter()
                .position(|line| line.starts_with(&want))
                .unwrap_or_else(|| panic!("{what}: no line {want:?}\n{}", case.mermaid));
            at += offset + 1;
            for (side, state) in [(0, &a["left_state"]), (1, &a["right_state"])] {
                if a["changed"][side] == true {
                    let note = format!("Note over {}: {}", [l, r][side], state.as_str().unwrap());
                    assert_eq!(
                        body.get(at),
                        Some(&note.as_str()),
                        "{what} frame {}",
                        a["frame"]
                    );
                    at += 1;
                }
            }
        }
    }
}

/// Several streams make one Markdown document with a fenced diagram each.
#[test]
fn several_streams_are_fenced_diagrams_under_headings() {
    let file = capture("gen1.pcap");
    let out = synack_ok(&["flow", "-r", file.to_str().unwrap(), "--format", "mermaid"]);
    assert_eq!(
        out.matches("```mermaid\nsequenceDiagram\n").count(),
        5,
        "{out}"
    );
    assert!(
        out.starts_with("## TCP stream 0 of gen1.pcap\n\n```mermaid\n"),
        "{out}"
    );
}
