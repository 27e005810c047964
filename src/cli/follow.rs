//! `synack follow`: the bytes of one TCP stream, as `tshark -q -z follow,tcp,MODE,N`.

use crate::tcp::{Loaded, follow};
use anyhow::Context;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `synack follow`.
#[derive(Debug, clap::Args)]
pub struct FollowArgs {
    /// Capture file to read.
    #[arg(short = 'r')]
    file: PathBuf,
    /// The TCP stream to follow.
    #[arg(long = "stream", default_value_t = 0)]
    stream: u32,
    /// How to show the bytes.
    #[arg(long = "format", default_value = "ascii", value_parser = ["ascii", "hex", "raw"])]
    format: String,
}

/// Runs `synack follow`.
pub fn run(args: &FollowArgs) -> anyhow::Result<ExitCode> {
    let loaded =
        Loaded::open(&args.file).with_context(|| format!("cannot open {}", args.file.display()))?;
    let Some(info) = loaded.tcp.streams.get(args.stream as usize) else {
        anyhow::bail!(
            "there is no TCP stream {} in {} (it has {})",
            args.stream,
            args.file.display(),
            loaded.tcp.streams.len()
        );
    };
    let endpoint =
        |(addr, port): (crate::dissect::ipv4::Addr, u16)| format!("{}:{port}", addr.text());
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    writeln!(out)?;
    writeln!(
        out,
        "==================================================================="
    )?;
    writeln!(out, "Follow: tcp,{}", args.format)?;
    writeln!(out, "Filter: tcp.stream eq {}", args.stream)?;
    writeln!(out, "Node 0: {}", endpoint(info.first))?;
    writeln!(out, "Node 1: {}", endpoint(info.second))?;
    let mut offsets = [0usize; 2];
    for chunk in follow::chunks(&loaded, args.stream) {
        let indent = if chunk.node == 1 { "\t" } else { "" };
        match args.format.as_str() {
            "hex" => {
                for (k, line) in chunk.bytes.chunks(16).enumerate() {
                    let at = offsets[chunk.node.min(1)] + k * 16;
                    let hex: Vec<String> = line.iter().map(|b| format!("{b:02x}")).collect();
                    let (a, b) = hex.split_at(hex.len().min(8));
                    let ascii: String = line
                        .iter()
                        .enumerate()
                        .map(|(j, c)| {
                            let ch = if c.is_ascii_graphic() || *c == b' ' {
                                char::from(*c)
                            } else {
                                '.'
                            };
                            if j == 8 {
                                format!(" {ch}")
                            } else {
                                ch.to_string()
                            }
                        })
                        .collect();
                    let line = format!(
                        "{indent}{at:08X}  {:<23}  {:<23}  {ascii}",
                        a.join(" "),
                        b.join(" ")
                    );
                    writeln!(out, "{}", line.trim_end())?;
                }
                offsets[chunk.node.min(1)] += chunk.bytes.len();
            }
            "raw" => {
                let hex: String = chunk.bytes.iter().map(|b| format!("{b:02x}")).collect();
                writeln!(out, "{indent}{hex}")?;
            }
            _ => {
                writeln!(out, "{indent}{}", chunk.bytes.len())?;
                let text: String = chunk
                    .bytes
                    .iter()
                    .map(|b| match b {
                        b'\n' | b'\r' => char::from(*b),
                        b if b.is_ascii_graphic() || *b == b' ' => char::from(*b),
                        _ => '.',
                    })
                    .collect();
                writeln!(out, "{text}")?;
            }
        }
    }
    writeln!(
        out,
        "==================================================================="
    )?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
