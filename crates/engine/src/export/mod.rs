//! Writing what the user selected: packets to pcap/pcapng files, and text views
//! (summary lines, the detail tree, hex, tcpdump-style lines, tshark's `-z` tables,
//! the ladder as text, SVG and Mermaid, the TCP connection list), and the Parquet
//! tables of `synack tables` (`dataset.rs`).

pub mod chart;
pub mod columnar;
pub mod community_id;
pub mod conn_table;
pub mod connections;
pub mod dataset;
pub mod diagram;
pub mod flow;
pub mod follow;
pub mod json;
pub mod mermaid;
pub mod ranges;
pub mod raster;
pub mod tables;
pub mod text;
pub mod zeek;

/// `text` safe inside SVG/XML text and attribute values (`&`, `<`, `>` and `"`
/// escaped): the ladder, chart and header-diagram SVGs.
pub(crate) fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
