//! The memory budget of a load: past it, the load stops at a packet boundary and keeps
//! what it loaded, so a capture far larger than the machine's memory opens in part
//! instead of the kernel killing the program.
//!
//! What a load costs is measured as the growth of the process's anonymous resident
//! memory since the load started (the mapped capture file does not count: the kernel
//! can always drop its pages); where the system does not say, a model of the load's
//! records stands in.

use super::source::size_in_words;
use std::sync::atomic::{AtomicU64, Ordering};

/// The budget set by [`set_memory_budget`]; 0 means the default.
static BUDGET: AtomicU64 = AtomicU64::new(0);

/// What a packet costs a load, for when the system does not say how much memory is in
/// use: an upper bound (measured: 58 bytes a packet for ordinary traffic, 22 for
/// zero-length records, whose index takes about one byte and analysis record 20).
const MODEL_PER_PACKET: u64 = 64;

/// Sets the memory budget of the loads that start afterwards (`None`: the default,
/// half of the machine's memory).
pub fn set_memory_budget(bytes: Option<u64>) {
    BUDGET.store(bytes.unwrap_or(0), Ordering::Relaxed);
}

/// The memory budget of a load, in bytes (`None`: no limit known).
pub fn memory_budget() -> Option<u64> {
    match BUDGET.load(Ordering::Relaxed) {
        0 => machine_memory().map(|total| total / 2),
        set => Some(set),
    }
}

/// The machine's memory (`MemTotal`), if the system says.
pub fn machine_memory() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    kib.checked_mul(1024)
}

/// The process's anonymous resident memory (resident minus file-backed pages), if the
/// system says.
fn anonymous_resident() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/statm").ok()?;
    let mut fields = text.split_whitespace().skip(1);
    let resident: u64 = fields.next()?.parse().ok()?;
    let shared: u64 = fields.next()?.parse().ok()?;
    // statm counts pages; 4 KiB on every machine synack runs on.
    resident.saturating_sub(shared).checked_mul(4096)
}

/// Where a load stopped because of the budget, and what the rest would have needed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetCut {
    /// Packets loaded.
    pub kept: usize,
    /// Packets the whole file holds, estimated from the bytes read so far.
    pub about_total: u64,
    /// Memory the rest would need, estimated from what the kept packets took.
    pub more_bytes: u64,
    /// The budget.
    pub budget: u64,
}

impl std::fmt::Display for BudgetCut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "opened the first {} of about {} packets: the memory budget of {} was reached, and the rest would need {} more; use `synack dump -r FILE -c {}` or split the file (editcap -c), or raise --max-memory",
            thousands(self.kept as u64),
            thousands(self.about_total),
            size_in_words(self.budget),
            size_in_words(self.more_bytes),
            self.kept,
        )
    }
}

/// `n` with commas between thousands ("40,000,000").
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A load's watch on its budget.
#[derive(Debug, Clone, Copy)]
pub struct BudgetWatch {
    limit: Option<u64>,
    /// Anonymous memory when the load started.
    start: Option<u64>,
}

impl BudgetWatch {
    /// Starts watching with the budget in force now.
    pub fn start() -> Self {
        BudgetWatch {
            limit: memory_budget(),
            start: anonymous_resident(),
        }
    }

    /// What the load has cost so far, `packets` loaded.
    fn spent(&self, packets: usize) -> u64 {
        match (self.start, anonymous_resident()) {
            (Some(start), Some(now)) => now.saturating_sub(start),
            _ => (packets as u64).saturating_mul(MODEL_PER_PACKET),
        }
    }

    /// `Some` when the load, `packets` loaded and `bytes_done` of `bytes_total` read,
    /// has passed the budget: where it stops and what the rest would need.
    pub fn check(&self, packets: usize, bytes_done: u64, bytes_total: u64) -> Option<BudgetCut> {
        let limit = self.limit?;
        let spent = self.spent(packets);
        if spent <= limit || packets == 0 {
            return None;
        }
        let done = bytes_done.max(1) as f64;
        let about_total = ((packets as f64) * (bytes_total as f64) / done).round() as u64;
        let about_total = about_total.max(packets as u64);
        let rest = about_total - packets as u64;
        let more_bytes = ((spent as f64) * (rest as f64) / (packets as f64)) as u64;
        Some(BudgetCut {
            kept: packets,
            about_total,
            more_bytes,
            budget: limit,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_says_what_was_opened_and_what_the_rest_needs() {
        let cut = BudgetCut {
            kept: 40_000_000,
            about_total: 134_000_000,
            more_bytes: 6_000_000_000,
            budget: 4_000_000_000,
        };
        assert_eq!(
            cut.to_string(),
            "opened the first 40,000,000 of about 134,000,000 packets: the memory budget of 4.0 GB was reached, and the rest would need 6.0 GB more; use `synack dump -r FILE -c 40000000` or split the file (editcap -c), or raise --max-memory"
        );
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
    }

    #[test]
    fn a_watch_with_no_room_stops_at_once_and_estimates_the_rest() {
        let watch = BudgetWatch {
            limit: Some(1),
            start: None,
        };
        // 1,000 packets in the first quarter of the file: about 4,000, and the rest
        // three times what the first took (64 bytes a packet, the model).
        let cut = watch.check(1000, 250, 1000);
        assert_eq!(
            cut,
            Some(BudgetCut {
                kept: 1000,
                about_total: 4000,
                more_bytes: 3000 * MODEL_PER_PACKET,
                budget: 1,
            })
        );
        assert_eq!(watch.check(0, 0, 1000), None);
    }
}
