//! Text views of dissected packets, shared by the CLI and the GUI: the summary line
//! (`tshark -r`), the detail tree (`-V`) and the hex dump (`-x`).

pub mod tcpdump;
pub mod time;

use crate::capture::PacketRecord;
use crate::dissect::Dissection;
use crate::dissect::time::seconds_text;
use std::io::Write;

/// The seven summary columns of one packet, as tshark prints them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// No.
    pub number: String,
    /// Seconds since the first packet.
    pub time: String,
    /// Source address.
    pub source: String,
    /// Destination address.
    pub destination: String,
    /// Protocol.
    pub protocol: String,
    /// Length on the wire.
    pub length: String,
    /// Info.
    pub info: String,
}

impl Summary {
    /// The columns of packet `number` from its dissection (columns must be on).
    pub fn new(
        number: usize,
        record: &PacketRecord,
        first_ts: i64,
        digits: u8,
        d: &Dissection<'_>,
    ) -> Summary {
        Summary {
            number: number.to_string(),
            time: seconds_text(record.ts_nanos.saturating_sub(first_ts), digits),
            source: d.columns.source.clone(),
            destination: d.columns.destination.clone(),
            protocol: d.columns.protocol.to_string(),
            length: record.orig_len.to_string(),
            info: d.columns.info.clone(),
        }
    }

    /// The line `tshark -r` prints.
    pub fn line(&self) -> String {
        format!(
            "{:>5} {:>10} {:>12} → {:<12} {} {} {}",
            self.number,
            self.time,
            self.source,
            self.destination,
            self.protocol,
            self.length,
            self.info
        )
    }
}

/// Writes the detail tree as `tshark -V` does: one line per item, four spaces per level.
pub fn write_tree(out: &mut impl Write, d: &Dissection<'_>) -> std::io::Result<()> {
    write_tree_of(out, d, None, None)
}

/// Writes the detail tree as `tshark -O PROTOCOLS` does: every protocol's top line,
/// and the items below it only for the protocols named (all of them for `None`).
/// With the packet's bytes (`data_hex`: tshark -V without -x), each uninterpreted
/// `Data` item is followed by its bytes in hex, as tshark prints them.
pub fn write_tree_of(
    out: &mut impl Write,
    d: &Dissection<'_>,
    only: Option<&[String]>,
    data_hex: Option<&[u8]>,
) -> std::io::Result<()> {
    let mut expanded = true;
    for node in &d.nodes {
        if node.depth == 0 {
            expanded = only.is_none_or(|names| names.iter().any(|n| n == node.def().abbrev));
        } else if !expanded {
            continue;
        }
        if node.is_hidden() {
            continue;
        }
        let depth = usize::from(node.depth);
        match node.expert.as_deref() {
            Some(expert) if node.flags & crate::dissect::tree::EXPERT_ITEM != 0 => {
                write_expert(out, expert, depth)?;
            }
            Some(expert) => {
                writeln!(out, "{}{}", "    ".repeat(depth), node.label())?;
                write_expert(out, expert, depth + 1)?;
            }
            None => writeln!(out, "{}{}", "    ".repeat(depth), node.label())?,
        }
        if let Some(frame) = data_hex
            && node.field == crate::dissect::data::DATA
        {
            let bytes = d.source_bytes(frame, node.source);
            let (start, len) = (node.start as usize, node.len as usize);
            if let Some(data) = crate::bytes::slice(bytes, start, len) {
                write_hex(out, data, true)?;
            }
        }
    }
    Ok(())
}

/// An expert item as `tshark -V` prints it: the summary line, then the message,
/// severity and group one level below.
fn write_expert(
    out: &mut impl Write,
    expert: &crate::dissect::Expert,
    depth: usize,
) -> std::io::Result<()> {
    let indent = "    ".repeat(depth);
    let severity = expert.severity.name();
    writeln!(
        out,
        "{indent}[Expert Info ({severity}/{}): {}]",
        expert.group, expert.message
    )?;
    writeln!(out, "{indent}    [{}]", expert.message)?;
    writeln!(out, "{indent}    [Severity level: {severity}]")?;
    writeln!(out, "{indent}    [Group: {}]", expert.group)
}

/// Writes bytes as `tshark -x` does: offset, 16 hex bytes, ASCII.
pub fn write_hex(out: &mut impl Write, bytes: &[u8], after_tree: bool) -> std::io::Result<()> {
    if after_tree {
        writeln!(out)?;
    }
    for (i, chunk) in bytes.chunks(16).enumerate() {
        let hex: Vec<String> = chunk.iter().map(|b| format!("{b:02x}")).collect();
        let ascii: String = chunk
            .iter()
            .map(|b| {
                if b.is_ascii_graphic() || *b == b' ' {
                    char::from(*b)
                } else {
                    '.'
                }
            })
            .collect();
        writeln!(out, "{:04x}  {:<47}   {ascii}", i * 16, hex.join(" "))?;
    }
    if !after_tree {
        writeln!(out)?;
    }
    Ok(())
}
