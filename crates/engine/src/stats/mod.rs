//! Capture-wide tables computed over a loaded capture, for the CLI's `-z` reports and
//! the Statistics windows: conversations, endpoints and I/O intervals.

pub mod conversations;
pub mod endpoints;
pub mod io;
pub mod taps;

pub use conversations::{Address, Conversation, ConversationTable, Endpoint, Kind, Traffic};
pub use endpoints::{EndpointRow, EndpointTable};
pub use io::{IoBucket, IoStat};
