//! `synack interfaces`: the devices libpcap can capture on, with their state and
//! addresses (what `tshark -D` lists, in a table a student can read).

use std::io::Write;
use std::process::ExitCode;
use synack_capture::live;

/// Arguments of `synack interfaces`.
#[derive(Debug, clap::Args)]
pub struct InterfacesArgs {
    /// Only the names, one per line (for scripts).
    #[arg(long)]
    names: bool,
}

/// Runs `synack interfaces`.
pub fn run(args: &InterfacesArgs) -> anyhow::Result<ExitCode> {
    let devices = live::devices()?;
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    if args.names {
        for d in &devices {
            writeln!(out, "{}", d.name)?;
        }
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    if devices.is_empty() {
        writeln!(
            out,
            "libpcap found no capture devices (on some systems it lists only those you may capture on)."
        )?;
    }
    let name_width = devices
        .iter()
        .map(|d| d.name.chars().count())
        .max()
        .unwrap_or(0)
        .max("Interface".len());
    let flags: Vec<String> = devices.iter().map(live::Device::flags_text).collect();
    let flags_width = flags
        .iter()
        .map(|f| f.len())
        .max()
        .unwrap_or(0)
        .max("State".len());
    writeln!(
        out,
        "{:>3}  {:<name_width$}  {:<flags_width$}  Addresses",
        "#", "Interface", "State"
    )?;
    for (i, (d, flags)) in devices.iter().zip(&flags).enumerate() {
        let addresses = d
            .addresses
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" ");
        writeln!(
            out,
            "{:>3}  {:<name_width$}  {:<flags_width$}  {}",
            i + 1,
            d.name,
            flags,
            if addresses.is_empty() {
                "-"
            } else {
                &addresses
            }
        )?;
        if let Some(desc) = &d.description {
            writeln!(out, "{:>3}  {:<name_width$}  {desc}", "", "")?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
