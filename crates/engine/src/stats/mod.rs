//! Capture-wide tables computed over a loaded capture, for the CLI's `-z` reports and
//! the Statistics windows: conversations, endpoints, I/O intervals, the I/O graph
//! and Plots series, TCP stream graphs and the flow graph of all flows.

pub mod conversations;
pub mod endpoints;
pub mod flows;
pub mod io;
pub mod io_graph;
pub mod stream_graph;
pub mod taps;

pub use conversations::{Address, Conversation, ConversationTable, Endpoint, Kind, Traffic};
pub use endpoints::{EndpointRow, EndpointTable};
pub use io::{IoBucket, IoStat};
