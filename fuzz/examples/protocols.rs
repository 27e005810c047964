//! Counts, for each protocol layer, how many seeds of a corpus reach it, so that one can
//! check a seeded corpus really holds frames of the dissectors being fuzzed (a protocol
//! missing here is one the fuzzer has to discover on its own).
//!
//! Usage: `protocols TARGET DIR`, TARGET being `dissect_any` (2 bytes of link type, then
//! a frame) or `tcp_analysis` (the format of `src/tcp_shape.rs`; every frame of a seed
//! is dissected alone, so a message spread over segments shows only as `tcp`).

use std::collections::{BTreeMap, BTreeSet};
use synack_engine::capture::LinkType;
use synack_engine::dissect::{Dissection, PacketContext, Want, dissect_packet};
use synack_fuzz::tcp_shape;

/// The layer names of `frame` dissected alone as `link`.
fn layers(link: LinkType, frame: &[u8], into: &mut BTreeSet<String>) {
    let iface = synack_fuzz::interface(link);
    let cap_len = u32::try_from(frame.len()).unwrap_or(u32::MAX);
    let ctx = PacketContext::alone(1, synack_fuzz::record(frame.len(), cap_len), &iface);
    let mut d = Dissection::new(Want::All, false, false);
    dissect_packet(&mut d, &ctx, frame);
    into.extend(d.layer_names().iter().map(|l| (*l).to_owned()));
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [target, dir] = args.as_slice() else {
        eprintln!("usage: protocols dissect_any|tcp_analysis DIR");
        std::process::exit(2);
    };
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            eprintln!("cannot read {dir}: {e}");
            std::process::exit(1);
        }
    };
    let mut seeds = 0usize;
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for entry in entries.flatten() {
        let Ok(data) = std::fs::read(entry.path()) else {
            continue;
        };
        let mut seen = BTreeSet::new();
        match target.as_str() {
            "dissect_any" => {
                if let Some((pick, frame)) = data.split_first_chunk::<2>() {
                    layers(synack_fuzz::link_type_of(*pick), frame, &mut seen);
                    seen.insert(format!(
                        "<link type {}>",
                        synack_fuzz::link_type_of(*pick).0
                    ));
                }
            }
            "tcp_analysis" => {
                if let Some((ports, segments)) = tcp_shape::decode(&data) {
                    for (n, s) in segments.iter().enumerate() {
                        let frame = tcp_shape::frame(s, &ports, n + 1);
                        layers(LinkType::ETHERNET, &frame, &mut seen);
                    }
                    for (client, server) in ports {
                        if client != 0 || server != 0 {
                            seen.insert(format!("<server port {server}>"));
                        }
                    }
                }
            }
            other => {
                eprintln!("unknown target {other}");
                std::process::exit(2);
            }
        }
        seeds += 1;
        for name in seen {
            *counts.entry(name).or_default() += 1;
        }
    }
    println!("{seeds} seeds");
    for (name, n) in counts {
        println!("{n:7}  {name}");
    }
}
