//! I/O intervals (`tshark -z io,stat,INTERVAL,FILTER...`, the I/O graph's data):
//! packets and bytes per interval of capture time, one column per display filter.

use crate::dissect::Dissection;
use crate::tcp::{Loaded, PacketPredicate};

/// Intervals a column counts at most (48 days at 1 s, 64 MiB a column): a tiny
/// interval over a long capture (or a timestamp decades off) stops counting there
/// instead of exhausting memory; the rows beyond are printed empty.
const MAX_BUCKETS: usize = 1 << 22;

/// Packets and bytes of one interval.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IoBucket {
    /// Packets.
    pub frames: u64,
    /// Bytes on the wire.
    pub bytes: u64,
}

/// Intervals counted per column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IoStat {
    /// The capture's length: its latest packet's time after the first packet,
    /// microseconds (rounded as tshark rounds it).
    pub duration_micros: u64,
    /// The interval asked for, microseconds (0: the whole capture).
    pub interval_micros: u64,
    /// Per column, the counts of intervals 0, 1, ... (trailing empty ones left out).
    pub columns: Vec<Vec<IoBucket>>,
}

/// A packet time relative to the first packet in microseconds, rounded as tshark
/// rounds it (each part on its own); `None` before the first packet.
fn rel_micros(rel_nanos: i64) -> Option<u64> {
    let nanos = u64::try_from(rel_nanos).ok()?;
    let secs = nanos / 1_000_000_000;
    let sub = nanos % 1_000_000_000;
    Some(
        secs.saturating_mul(1_000_000)
            .saturating_add((sub + 500) / 1000),
    )
}

impl IoStat {
    /// Counts the packets of `loaded` per `interval_micros` (0: one interval for the
    /// whole capture), one column per entry of `columns` (`None` counts every
    /// packet). As in tshark, a packet whose time is before an interval already
    /// counted in its column (timestamps going back) is left out.
    pub fn compute(
        loaded: &Loaded,
        interval_micros: u64,
        columns: &[Option<&dyn PacketPredicate>],
    ) -> IoStat {
        let first_ts = loaded.capture.record(0).map_or(0, |r| r.ts_nanos);
        let analysis = loaded.analysis();
        let mut dissections: Vec<Option<Dissection<'_>>> =
            columns.iter().map(|c| c.map(|f| f.dissection())).collect();
        let mut out = IoStat {
            duration_micros: 0,
            interval_micros,
            columns: vec![Vec::new(); columns.len()],
        };
        let mut current: Vec<usize> = vec![0; columns.len()];
        for i in 0..loaded.len() {
            let Some(record) = loaded.capture.record(i) else {
                continue;
            };
            let Some(rel) = rel_micros(record.ts_nanos.saturating_sub(first_ts)) else {
                continue;
            };
            out.duration_micros = out.duration_micros.max(rel);
            let bucket = match interval_micros {
                0 => 0,
                n => usize::try_from(rel / n).unwrap_or(usize::MAX),
            };
            for (c, filter) in columns.iter().enumerate() {
                if let (Some(filter), Some(Some(d))) = (filter, dissections.get_mut(c)) {
                    d.clear();
                    let kept = loaded
                        .dissect_into(i, None, &analysis, d)
                        .is_some_and(|r| filter.matches(d, loaded.capture.bytes_of(&r)));
                    if !kept {
                        continue;
                    }
                }
                let (Some(cur), Some(col)) = (current.get_mut(c), out.columns.get_mut(c)) else {
                    continue;
                };
                if bucket < *cur {
                    continue;
                }
                *cur = bucket;
                if bucket >= MAX_BUCKETS {
                    continue;
                }
                if col.len() <= bucket {
                    // Interval numbers come from packet times: a gap of empty
                    // intervals is as long as the capture is, never more.
                    col.resize(bucket.saturating_add(1), IoBucket::default());
                }
                if let Some(b) = col.get_mut(bucket) {
                    b.frames = b.frames.saturating_add(1);
                    b.bytes = b.bytes.saturating_add(u64::from(record.orig_len));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn microseconds_round_the_nanoseconds() {
        assert_eq!(rel_micros(0), Some(0));
        assert_eq!(rel_micros(1_959_882_418), Some(1_959_882));
        assert_eq!(rel_micros(1_000_000_500), Some(1_000_001));
        assert_eq!(rel_micros(-1), None);
    }
}
