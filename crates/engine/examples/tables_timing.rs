//! Times `synack tables`' two stages on one capture, the load and the Parquet pass,
//! without the CLI (for profiling the pass alone):
//! `cargo run --release -p synack-engine --example tables_timing -- CAP OUT_DIR`.

#![allow(clippy::print_stdout)]

use std::path::PathBuf;
use std::time::Instant;
use synack_engine::export::dataset::{self, TablesOptions};
use synack_engine::tcp::Loaded;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args_os().skip(1);
    let (Some(cap), Some(out)) = (args.next(), args.next()) else {
        return Err("usage: tables_timing CAP OUT_DIR".into());
    };
    let (cap, out) = (PathBuf::from(cap), PathBuf::from(out));
    std::fs::create_dir_all(&out)?;
    // As `synack tables` does: no column shows link-layer vendor names.
    synack_engine::manuf::set_enabled(false);
    let start = Instant::now();
    let loaded = Loaded::open(&cap)?;
    let load = start.elapsed();
    let start = Instant::now();
    let name = dataset::partition_name(&cap);
    let written = dataset::write_capture(&loaded, "cap", &name, &out, &TablesOptions::default())?;
    let pass = start.elapsed();
    println!(
        "{} packets, {} connections: load {:.3} s, tables {:.3} s ({:.0} ns a packet)",
        written.packets,
        written.connections,
        load.as_secs_f64(),
        pass.as_secs_f64(),
        pass.as_nanos() as f64 / written.packets.max(1) as f64
    );
    Ok(())
}
