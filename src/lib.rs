//! synack: a packet analyzer for students. This package is the two faces of the
//! engine (`synack_engine`): the window (`ui`) and a tshark-like CLI (`cli`). The
//! engine's modules are re-exported so both faces, the tests and the benches name
//! them as one API; live capture is `synack_capture`'s.

pub use synack_engine::{
    bytes, capture, dissect, export, filter, i18n, manuf, prefs, resolve, services, stats, tcp, tr,
    wire,
};

pub mod cli;
pub mod ui;
