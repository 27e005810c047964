//! The engine figures the window depends on, measured in-process on one capture:
//! how soon the first 10,000 packets are indexed and analysed, the whole load (as the
//! window runs it, in batches on one thread, and as the CLI runs it, on two cores),
//! the index alone (the floor: mapping and walking record headers), a new display
//! filter over every packet, and dissecting one packet for the detail tree.
//!
//! `cargo bench --bench engine -- CAPTURE` prints one `name value unit` line each
//! (bench/run.sh collects them into its table).

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;
use std::time::Instant;
use synack::capture::Capture;
use synack::dissect::{Dissection, Want};
use synack::filter::Filter;
use synack::tcp::{LoadJob, Loaded};

/// Filters a student types on a big capture: cheap, TCP analysis, application.
const FILTERS: &[(&str, &str)] = &[
    (
        "filter_syn_or_retransmission",
        "tcp.flags.syn == 1 || tcp.analysis.retransmission",
    ),
    ("filter_addr_len", "ip.addr == 10.10.0.2 && tcp.len > 1000"),
    ("filter_http", "http.request"),
];

fn main() {
    let Some(path) = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
    else {
        eprintln!("usage: cargo bench --bench engine -- CAPTURE");
        std::process::exit(2);
    };
    let start = Instant::now();
    let (mut job, mut loaded) = match LoadJob::start(&path) {
        Ok(x) => x,
        Err(error) => {
            eprintln!("{error}");
            std::process::exit(1);
        }
    };
    job.run(&mut loaded, 10_000);
    let first = start.elapsed();
    while !job.run(&mut loaded, usize::MAX).done {}
    let whole = start.elapsed();
    println!("first_10k_packets {:.4} s", first.as_secs_f64());
    println!(
        "load_in_batches {:.3} s ({} packets; the window's load, one thread)",
        whole.as_secs_f64(),
        loaded.len()
    );
    let t = Instant::now();
    let index = Capture::open(&path).map(|c| c.len()).unwrap_or(0);
    println!(
        "index_only {:.3} s ({index} packets: map the file, walk the record headers)",
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let parallel = Loaded::open(&path).map(|l| l.len()).unwrap_or(0);
    println!(
        "load_two_cores {:.3} s ({parallel} packets; Loaded::open, as the CLI)",
        t.elapsed().as_secs_f64()
    );

    for (name, text) in FILTERS {
        let Ok(filter) = Filter::compile(text) else {
            eprintln!("{text}: does not compile");
            continue;
        };
        let mut times = Vec::new();
        let mut kept = 0;
        for _ in 0..3 {
            let t = Instant::now();
            kept = loaded.matching(&filter, 0..loaded.len()).len();
            times.push(t.elapsed().as_secs_f64());
        }
        times.sort_by(f64::total_cmp);
        println!("{name} {:.3} s ({kept} kept, median of 3)", times[1]);
    }

    // One packet for the detail tree: every field with its label, as the window asks.
    let analysis = loaded.analysis();
    let mut times = Vec::new();
    let n = loaded.len().max(1);
    for k in 0..2_000usize {
        let i = k.wrapping_mul(7919) % n;
        let t = Instant::now();
        let mut d = Dissection::new(Want::All, true, true);
        loaded.dissect_into(i, i.checked_sub(1), &analysis, &mut d);
        let labels: usize = d.nodes.iter().map(|node| node.label().len()).sum();
        std::hint::black_box(labels);
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    println!(
        "dissect_one_packet {:.3} ms (p50; p99 {:.3} ms, max {:.3} ms, 2000 packets)",
        at(0.5),
        at(0.99),
        at(1.0)
    );
}
