//! Reading capture files (pcap, pcapng, gzip) into a compact per-packet index and
//! writing them back atomically. Live capture is the `synack-capture` crate's; a
//! capture being written is read here like any other file, as it grows.

#![deny(clippy::indexing_slicing)]

pub mod atomic;
pub mod budget;
mod chunked;
mod error;
mod file;
mod index;
mod linktype;
mod packed;
pub mod pcap;
pub mod pcapng;
mod scanner;
mod source;
pub mod writer;

pub use budget::{BudgetCut, BudgetWatch, set_memory_budget};
pub use chunked::{CHUNK_LEN, ChunkedVec};
pub use error::{OpenError, ReadError};
pub use file::{Capture, packet_bytes};
pub use index::{
    BlockKind, CaptureIndex, FALLBACK_INTERFACE, FileFormat, Interface, PacketRecord, TsResolution,
};
pub use linktype::LinkType;
pub use packed::{BLOCK_LEN, PacketIndex};
pub use scanner::{Scanner, Step};
pub use source::{CaptureSource, free_bytes, size_in_words};
