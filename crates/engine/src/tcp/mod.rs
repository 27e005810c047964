//! TCP conversations: stream numbering, relative sequence numbers, tshark's analysis
//! flags, each packet's place in the handshake and the close, and the load pass that
//! computes them all in one pass over a capture; each connection summed up with a
//! badge for how it went.

pub mod analysis;
pub mod arp_link;
pub mod connections;
pub mod defrag;
pub mod follow;
pub mod ftp_link;
pub mod handshake;
pub mod ladder;
pub mod lessons;
mod load;
mod loaded;
mod parallel;
mod predicate;
pub mod quic_link;
pub mod read_filter;
pub mod reassembly;
mod recorded;
pub mod results;
pub mod rtp_link;
pub mod second_pass;
pub mod smtp_link;
pub mod stats;
pub mod stream;
mod streams;

pub use load::{FirstPass, Loader, PassState, answers_in_passing};
pub use loaded::{LoadJob, Loaded, Progress};
pub use predicate::PacketPredicate;
pub use recorded::Recorded;
pub use results::{PacketAnalysis, StreamInfo, TcpResults};
pub use stats::{ExpertCount, LoadStats, PhsNode};
pub use streams::Streams;
