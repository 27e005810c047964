//! synack: a packet analyzer for students. The library reads captures, dissects them
//! as tshark 4.0 does, analyses TCP conversations, filters and exports; the `synack`
//! binary puts a GUI (`ui`) and a tshark-like CLI (`cli`) on top of it.

pub mod bytes;
pub mod capture;
pub mod cli;
pub mod dissect;
pub mod export;
pub mod filter;
pub mod tcp;
pub mod ui;
