//! `synack tables -r CAP... -o DIR`: each capture as Parquet tables (`packets.parquet`,
//! `connections.parquet`) in a Hive-style partition `DIR/capture=NAME/`, for DuckDB,
//! Spark and the other engines that read a directory of them as one dataset.

use crate::dissect::registry;
use crate::export::dataset::{self, TablesOptions};
use anyhow::Context;
use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `synack tables`.
#[derive(Debug, clap::Args)]
pub struct TablesArgs {
    /// Capture files to read (repeatable; `-r a.pcap b.pcap` or `-r a -r b`).
    #[arg(short = 'r', required = true, num_args = 1..)]
    files: Vec<PathBuf>,
    /// Directory to write into (created if missing); each capture becomes
    /// `DIR/capture=NAME/` with `packets.parquet` and `connections.parquet`.
    #[arg(short = 'o')]
    out: PathBuf,
    /// An extra `packets.parquet` column: any field name (repeatable), typed as the
    /// field (numbers, booleans, timestamps, else text); the first occurrence.
    #[arg(short = 'e')]
    fields: Vec<String>,
    /// Captures processed at once (default: one per core).
    #[arg(short = 'j', long = "jobs")]
    jobs: Option<usize>,
}

/// Runs `synack tables`.
pub fn run(args: &TablesArgs) -> anyhow::Result<ExitCode> {
    let mut extra_fields = Vec::new();
    let mut unknown = Vec::new();
    for name in &args.fields {
        match registry::lookup(name) {
            Some(id) => extra_fields.push(id),
            None => unknown.push(name.as_str()),
        }
    }
    if !unknown.is_empty() {
        anyhow::bail!("unknown field for -e: {}", unknown.join(", "));
    }
    // No column shows link-layer names, and resolving them for the Source and
    // Destination columns (which Ethernet fills before IP replaces them) was a fifth
    // of the pass.
    crate::manuf::set_enabled(false);
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    // Two captures with one name would overwrite each other's partition.
    let mut seen: HashMap<String, &PathBuf> = HashMap::new();
    let mut captures = Vec::new();
    for path in &args.files {
        let name = dataset::partition_name(path);
        if let Some(first) = seen.insert(name.clone(), path) {
            anyhow::bail!(
                "two captures would both be written as capture={name}: rename one: {} and {}",
                first.display(),
                path.display()
            );
        }
        captures.push((path.clone(), name));
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let workers = args.jobs.unwrap_or(cores).max(1);
    let options = TablesOptions { extra_fields };
    let results = dataset::write_captures(&captures, &args.out, &options, workers, &|_, _| {});
    let mut failed = 0;
    for ((path, _), result) in captures.iter().zip(&results) {
        match result {
            Ok(w) => eprintln!(
                "{}: {} packets, {} connections -> {}",
                path.display(),
                w.packets,
                w.connections,
                w.dir.display()
            ),
            Err(e) => {
                failed += 1;
                eprintln!("synack: {e}");
            }
        }
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}
