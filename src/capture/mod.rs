//! Reading capture files (pcap, pcapng, gzip) into a compact per-packet index, writing
//! them back atomically, and live capture (`live`: libpcap; `helper`: the privileged
//! `synack-capture` process). This is the only module that knows libpcap.

#![deny(clippy::indexing_slicing)]

pub mod atomic;
mod chunked;
mod error;
mod file;
pub mod helper;
mod index;
mod linktype;
pub mod live;
pub mod pcap;
pub mod pcapng;
mod scanner;
mod source;
pub mod writer;

pub use chunked::{CHUNK_LEN, ChunkedVec};
pub use error::{OpenError, ReadError};
pub use file::Capture;
pub use index::{
    BlockKind, CaptureIndex, FALLBACK_INTERFACE, FileFormat, Interface, PacketRecord, TsResolution,
};
pub use linktype::LinkType;
pub use scanner::{Scanner, Step};
pub use source::CaptureSource;
