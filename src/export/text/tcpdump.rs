//! The lines `tcpdump -n [-S] [-v]` prints for TCP packets, so that students can put
//! synack's output beside a textbook's tcpdump walk-through.
//!
//! TODO(synack): not written yet.

use crate::capture::PacketRecord;
use crate::dissect::Dissection;

/// Fields the printer reads from a dissection.
pub const FIELDS: &[&str] = &[];

/// Prints packets one by one, keeping tcpdump's per-connection relative numbers.
#[derive(Debug, Default)]
pub struct Printer {
    absolute: bool,
    verbose: bool,
}

impl Printer {
    /// A printer for `-S` (absolute numbers) and `-v`.
    pub fn new(absolute: bool, verbose: bool) -> Self {
        Printer { absolute, verbose }
    }

    /// The line for one packet, or `None` when it is not one tcpdump would print.
    pub fn line(&mut self, _record: &PacketRecord, _d: &Dissection<'_>) -> Option<String> {
        let _ = (self.absolute, self.verbose);
        None
    }
}
