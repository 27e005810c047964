//! synack's engine: it reads captures, dissects them as tshark 4.0 does, analyses TCP
//! conversations, filters and exports. It knows no window and no libpcap and never
//! prints; the `synack` package puts the CLI and the window on top of it.

pub mod bytes;
pub mod capture;
pub mod dissect;
pub mod export;
pub mod filter;
pub mod i18n;
pub mod manuf;
pub mod pieces;
pub mod prefs;
pub mod resolve;
pub mod services;
pub mod stats;
pub mod tcp;
pub mod wire;
