//! The TCP connection list (`synack flow --list`) as tab-separated lines or JSON.
//!
//! The tab-separated form has a header line, then one line per connection with seven
//! fields: `stream`, `client` and `server` (`addr:port`, IPv6 as `[addr]:port`),
//! `packets` (both ways), `duration` (seconds from the connection's first to its last
//! packet, six decimals like tshark's relative times, truncated as tshark truncates),
//! `badge`, and `notes` (comma-separated, `-` when there is none, as Zeek's logs mark an
//! empty field).

use crate::tcp::connections::Connection;
use serde::Serialize;
use std::fmt::Write as _;

/// The header line of the tab-separated list.
pub const TSV_HEADER: &str = "stream\tclient\tserver\tpackets\tduration\tbadge\tnotes";

/// Nanoseconds as seconds with six decimals, truncated (`0.104131`).
pub fn seconds6(nanos: i64) -> String {
    let micros = nanos / 1_000;
    let sign = if micros < 0 { "-" } else { "" };
    let micros = micros.unsigned_abs();
    format!("{sign}{}.{:06}", micros / 1_000_000, micros % 1_000_000)
}

/// The list as tab-separated lines, header first, each line ending in `\n`.
pub fn tsv(connections: &[Connection]) -> String {
    super::flow::written(|out| {
        writeln!(out, "{TSV_HEADER}")?;
        for c in connections {
            let notes = if c.notes.is_empty() {
                "-".to_string()
            } else {
                c.notes.to_string()
            };
            writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                c.stream,
                c.client,
                c.server,
                c.total_packets(),
                seconds6(c.duration_nanos()),
                c.badge.name(),
                notes
            )?;
        }
        Ok(())
    })
}

/// One connection as the JSON list writes it (fields in this order).
#[derive(Serialize)]
struct Row<'a> {
    stream: u32,
    client: String,
    server: String,
    roles_known: bool,
    packets: u64,
    packets_client_to_server: u32,
    packets_server_to_client: u32,
    bytes_client_to_server: u64,
    bytes_server_to_client: u64,
    first_frame: u32,
    last_frame: u32,
    duration: String,
    badge: &'a str,
    notes: Vec<&'a str>,
    client_state: &'a str,
    server_state: &'a str,
    /// Pure SYNs sent by the client and by the server.
    syns: [u32; 2],
    /// Whether each sent a SYN+ACK.
    syn_ack: [bool; 2],
    /// The first FIN frame of each.
    fin_frames: [Option<u32>; 2],
    /// The first RST frame of each.
    rst_frames: [Option<u32>; 2],
    /// Segments with payload sent by each.
    data_segments: [u32; 2],
}

/// The list as a JSON array: every field of each connection (packets and bytes each
/// way, frames, both final states, the frames that decided the badge).
pub fn json(connections: &[Connection]) -> String {
    let rows: Vec<Row<'_>> = connections
        .iter()
        .map(|c| Row {
            stream: c.stream,
            client: c.client.to_string(),
            server: c.server.to_string(),
            roles_known: c.roles_known,
            packets: c.total_packets(),
            packets_client_to_server: c.packets[0],
            packets_server_to_client: c.packets[1],
            bytes_client_to_server: c.bytes[0],
            bytes_server_to_client: c.bytes[1],
            first_frame: c.first_frame,
            last_frame: c.last_frame,
            duration: seconds6(c.duration_nanos()),
            badge: c.badge.name(),
            notes: c.notes.iter().map(|n| n.name()).collect(),
            client_state: c.final_states[0].name(),
            server_state: c.final_states[1].name(),
            syns: c.seen.syns,
            syn_ack: c.seen.syn_ack,
            fin_frames: c.seen.fin,
            rst_frames: c.seen.rst,
            data_segments: c.seen.data,
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".to_string());
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_keep_six_decimals_truncated() {
        assert_eq!(seconds6(0), "0.000000");
        assert_eq!(seconds6(104_131_999), "0.104131");
        assert_eq!(seconds6(12_000_001_000), "12.000001");
        assert_eq!(seconds6(-1_500_000), "-0.001500");
    }
}
