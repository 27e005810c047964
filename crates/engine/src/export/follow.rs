//! "Follow TCP Stream" as text, the way `tshark -q -z follow,tcp,MODE,N` prints
//! it. The CLI prints it and the GUI's Follow window shows it.

use crate::tcp::{Loaded, follow};
use std::fmt::Write;

/// How the bytes are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Printable ASCII, other bytes as dots; each chunk preceded by its length.
    Ascii,
    /// Offset, 16 hex bytes and their ASCII per line.
    Hex,
    /// The bytes as one hex string per chunk.
    Raw,
}

impl Mode {
    /// tshark's name of the mode.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Ascii => "ascii",
            Mode::Hex => "hex",
            Mode::Raw => "raw",
        }
    }

    /// The mode named `name` (`ascii`, `hex`, `raw`).
    pub fn from_name(name: &str) -> Option<Mode> {
        [Mode::Ascii, Mode::Hex, Mode::Raw]
            .into_iter()
            .find(|m| m.name() == name)
    }
}

const RULE: &str = "===================================================================";

fn printable(b: u8) -> char {
    if b.is_ascii_graphic() || b == b' ' {
        char::from(b)
    } else {
        '.'
    }
}

/// The whole follow text of `stream`, or `None` when the capture has no such stream.
/// Lines from the second endpoint are indented with a tab, as tshark does.
pub fn render(loaded: &Loaded, stream: u32, mode: Mode) -> Option<String> {
    let info = loaded.tcp.streams.get(stream as usize)?;
    let endpoint =
        |(addr, port): (crate::dissect::ipv4::Addr, u16)| format!("{}:{port}", addr.text());
    let text = super::flow::written(|out| {
        writeln!(out, "\n{RULE}")?;
        writeln!(out, "Follow: tcp,{}", mode.name())?;
        writeln!(out, "Filter: tcp.stream eq {stream}")?;
        writeln!(out, "Node 0: {}", endpoint(info.first))?;
        writeln!(out, "Node 1: {}", endpoint(info.second))?;
        let mut offsets = [0usize; 2];
        for chunk in follow::chunks(loaded, stream) {
            let node = chunk.node.min(1);
            let indent = if node == 1 { "\t" } else { "" };
            match mode {
                Mode::Hex => {
                    for (k, line) in chunk.bytes.chunks(16).enumerate() {
                        let at = offsets[node] + k * 16;
                        let hex: Vec<String> = line.iter().map(|b| format!("{b:02x}")).collect();
                        let (a, b) = hex.split_at(hex.len().min(8));
                        let mut ascii = String::with_capacity(18);
                        for (j, c) in line.iter().enumerate() {
                            if j == 8 {
                                ascii.push(' ');
                            }
                            ascii.push(printable(*c));
                        }
                        let line = format!(
                            "{indent}{at:08X}  {:<23}  {:<23}  {ascii}",
                            a.join(" "),
                            b.join(" ")
                        );
                        writeln!(out, "{}", line.trim_end())?;
                    }
                    offsets[node] += chunk.bytes.len();
                }
                Mode::Raw => {
                    let hex: String = chunk.bytes.iter().map(|b| format!("{b:02x}")).collect();
                    writeln!(out, "{indent}{hex}")?;
                }
                Mode::Ascii => {
                    writeln!(out, "{indent}{}", chunk.bytes.len())?;
                    let text: String = chunk
                        .bytes
                        .iter()
                        .map(|b| match b {
                            b'\n' | b'\r' => char::from(*b),
                            other => printable(*other),
                        })
                        .collect();
                    writeln!(out, "{text}")?;
                }
            }
        }
        writeln!(out, "{RULE}")
    });
    Some(text)
}
