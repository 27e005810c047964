//! Writing what the user selected: packets to pcap/pcapng files, and text views
//! (summary lines, the detail tree, hex, tcpdump-style lines, tshark's `-z` tables,
//! the ladder as text, SVG and Mermaid, the TCP connection list).

pub mod chart;
pub mod connections;
pub mod diagram;
pub mod flow;
pub mod follow;
pub mod mermaid;
pub mod ranges;
pub mod raster;
pub mod tables;
pub mod text;
