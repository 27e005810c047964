//! How long the Statistics windows' computations take on a capture (the windows run
//! them on workers): `cargo run -p synack-engine --release --example graph_times --
//! CAPTURE`. Prints one line per computation; nothing asserts a time.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::time::Instant;
use synack_engine::stats::flows::FlowGraph;
use synack_engine::stats::io_graph::{self, Metric};
use synack_engine::stats::stream_graph::StreamGraph;
use synack_engine::stats::{Kind, Traffic};
use synack_engine::tcp::Loaded;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: graph_times CAPTURE");
        std::process::exit(2);
    };
    let t = Instant::now();
    let loaded = match Loaded::open(std::path::Path::new(&path)) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    println!(
        "load {:.3} s ({} packets)",
        t.elapsed().as_secs_f64(),
        loaded.len()
    );
    let t = Instant::now();
    let traffic = Traffic::compute(&loaded, &Kind::ALL, None);
    let rows: usize = Kind::ALL
        .iter()
        .filter_map(|k| traffic.table(*k))
        .map(|t| t.rows.len())
        .sum();
    println!(
        "conversations {:.3} s ({rows} rows)",
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let connections = synack_engine::tcp::connections::summarize(&loaded);
    println!(
        "tcp completeness {:.3} s ({} connections)",
        t.elapsed().as_secs_f64(),
        connections.len()
    );
    let biggest = loaded
        .tcp
        .streams
        .iter()
        .enumerate()
        .max_by_key(|(_, s)| s.frames)
        .map_or(0, |(k, _)| k as u32);
    let t = Instant::now();
    let g = StreamGraph::compute(&loaded, biggest);
    let segments = g.as_ref().map_or(0, |g| g.segments.len());
    println!(
        "stream graph {:.3} s (stream {biggest}, {segments} segments)",
        t.elapsed().as_secs_f64()
    );
    if let Some(g) = &g {
        let t = Instant::now();
        let rtt = g.rtt(g.data_direction()).len();
        println!("rtt {:.3} s ({rtt} samples)", t.elapsed().as_secs_f64());
    }
    for (interval, name) in [(1_000_000, "1 s"), (1_000, "1 ms")] {
        let t = Instant::now();
        let s = io_graph::compute(&loaded, interval, None, Metric::Packets);
        println!(
            "io graph packets per {name} {:.3} s ({} intervals)",
            t.elapsed().as_secs_f64(),
            s.values.len()
        );
    }
    if let Some(field) = synack_engine::dissect::registry::lookup("frame.len") {
        let t = Instant::now();
        let s = io_graph::compute(&loaded, 1_000_000, None, Metric::Avg(field));
        println!(
            "io graph AVG(frame.len) {:.3} s ({} intervals)",
            t.elapsed().as_secs_f64(),
            s.values.len()
        );
    }
    let t = Instant::now();
    let f = FlowGraph::compute(&loaded, None);
    println!(
        "flow graph {:.3} s ({} lanes, {} arrows, {} packets not examined)",
        t.elapsed().as_secs_f64(),
        f.lanes.len(),
        f.arrows.len(),
        f.unexamined
    );
}
