//! Display filters in Wireshark 4.0's language (`tcp.port == 80 && !arp`).
//!
//! The pipeline: [`lexer`] splits the text as tshark's flex scanner does,
//! [`parser`] builds the syntax tree ([`ast`]), [`check`] resolves field names,
//! converts literals to the other side's type ([`literal`], [`types`]) and
//! rejects what tshark rejects with its messages, and [`eval`] runs the result
//! on a [`crate::dissect::Dissection`] that holds only the fields the filter
//! names ([`Filter::fields`]), using tshark's value rules ([`val`]).
//!
//! ```
//! use synack_engine::filter::Filter;
//! assert!(Filter::compile("tcp.flags.syn == 1 && !(tcp.port in {22, 80..90})").is_ok());
//! let err = Filter::compile("tcp.port == 70000").unwrap_err();
//! assert_eq!(err.message, "\"70000\" too big for this field, maximum 65535.");
//! ```

#![deny(clippy::indexing_slicing)]

mod ast;
mod check;
mod error;
mod eval;
mod fast;
mod lexer;
mod literal;
mod parser;
mod program;
mod types;
mod val;

pub use error::FilterError;
pub use eval::Filter;
