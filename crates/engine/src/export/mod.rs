//! Writing what the user selected: packets to pcap/pcapng files, and text views
//! (summary lines, the detail tree, hex, tcpdump-style lines, tshark's `-z` tables).

pub mod flow;
pub mod follow;
pub mod ranges;
pub mod raster;
pub mod tables;
pub mod text;
