//! Port names for tshark's `-N t` (transport name resolution): `http(80)` in the Info
//! column, `Destination Port: http (80)` in the tree. The names come from Wireshark's
//! `services` file, turned into a sorted array at build time (`build.rs`); tshark's
//! default leaves them off.

use std::sync::atomic::{AtomicBool, Ordering};

mod data {
    include!(concat!(env!("OUT_DIR"), "/services.rs"));
}

/// Whether port numbers are shown with names (off unless `-N t` asks).
static ENABLED: AtomicBool = AtomicBool::new(false);

/// Turns port-name resolution on or off for the whole process, as tshark's `-N t`.
pub fn set_enabled(on: bool) {
    ENABLED.store(on, Ordering::Relaxed);
}

/// Whether port numbers are shown with names.
pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

pub use crate::dissect::ports::Transport;

/// The transport's bit in the generated table.
fn bit(transport: Transport) -> u8 {
    match transport {
        Transport::Tcp => 0,
        Transport::Udp => 1,
    }
}

/// The service name of `port` on `transport` (`http` for TCP 80), whether or not
/// resolution is on.
pub fn name(transport: Transport, port: u16) -> Option<&'static str> {
    let key = (port, bit(transport));
    let i = data::PORTS
        .binary_search_by_key(&key, |&(p, bit, _)| (p, bit))
        .ok()?;
    let packed = data::PORTS.get(i)?.2 as usize;
    let (at, len) = (packed >> 8, packed & 0xff);
    data::SERVICE_NAMES.get(at..at.checked_add(len)?)
}

/// A port as the Info column writes it: `http(80)` when resolution is on and the port
/// has a name, else the number.
pub fn info_text(transport: Transport, port: u16) -> String {
    match name(transport, port).filter(|_| enabled()) {
        Some(service) => format!("{service}({port})"),
        None => port.to_string(),
    }
}

/// A port as the tree's labels write it: `http (80)` or `49328 (49328)` when
/// resolution is on, the number alone when it is off.
pub fn label_text(transport: Transport, port: u16) -> String {
    if !enabled() {
        return port.to_string();
    }
    match name(transport, port) {
        Some(service) => format!("{service} ({port})"),
        None => format!("{port} ({port})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_known_ports_have_wiresharks_names() {
        // Empty when the build found no services file (a warning says so).
        if data::PORTS.is_empty() {
            return;
        }
        assert_eq!(name(Transport::Tcp, 80), Some("http"));
        assert_eq!(name(Transport::Udp, 53), Some("domain"));
        assert_eq!(name(Transport::Udp, 5353), Some("mdns"));
        assert_eq!(name(Transport::Tcp, 49328), None);
    }
}
