//! The I/O graph's data (Statistics ▸ I/O Graph) and the Plots window's: per interval
//! of capture time, packets, bytes or bits, or the SUM, MIN, MAX, AVG or COUNT of a
//! numeric field, for the packets a display filter keeps; and each value of a field
//! against time, per packet. Intervals follow `-z io,stat`'s rounding (see [`super::io`]).

use crate::dissect::{Dissection, FieldId, Value, Want};
use crate::tcp::{Loaded, PacketPredicate};

/// Intervals a graph holds at most (a 1 ms interval over an hour-long capture is
/// 3.6 M): beyond, the graph stops.
pub const MAX_INTERVALS: usize = 1 << 22;

/// What a graph counts per interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// Packets.
    Packets,
    /// Bytes on the wire.
    Bytes,
    /// Bits on the wire.
    Bits,
    /// Sum of a field's values.
    Sum(FieldId),
    /// Smallest value of a field.
    Min(FieldId),
    /// Largest value of a field.
    Max(FieldId),
    /// Mean of a field's values.
    Avg(FieldId),
    /// How many times the field occurs.
    Count(FieldId),
}

impl Metric {
    /// The field it reads, if any.
    pub fn field(self) -> Option<FieldId> {
        match self {
            Metric::Packets | Metric::Bytes | Metric::Bits => None,
            Metric::Sum(f)
            | Metric::Min(f)
            | Metric::Max(f)
            | Metric::Avg(f)
            | Metric::Count(f) => Some(f),
        }
    }

    /// Wireshark's name for the unit (`Packets`, `SUM(Y Field)`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Metric::Packets => "Packets",
            Metric::Bytes => "Bytes",
            Metric::Bits => "Bits",
            Metric::Sum(_) => "SUM(Y Field)",
            Metric::Min(_) => "MIN(Y Field)",
            Metric::Max(_) => "MAX(Y Field)",
            Metric::Avg(_) => "AVG(Y Field)",
            Metric::Count(_) => "COUNT(Y Field)",
        }
    }
}

/// One graph's values per interval.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IoSeries {
    /// Value of interval 0, 1, ... (`None`: nothing to aggregate there; packet and
    /// byte counts are 0 instead).
    pub values: Vec<Option<f64>>,
    /// The first packet counted in each interval (1-based frame; 0: none), where a
    /// click on the interval jumps to.
    pub first_frame: Vec<u32>,
}

/// A numeric value of a field, as the I/O graph and Plots read it (times as
/// seconds, like Wireshark's relative-time fields).
pub fn numeric(value: &Value<'_>) -> Option<f64> {
    match value {
        Value::UInt(v) => Some(*v as f64),
        Value::Int(v) => Some(*v as f64),
        Value::Float(v) => Some(*v),
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        Value::Time(n) => Some(super::conversations::nanos_to_secs(*n)),
        Value::Frame(f) => Some(f64::from(*f)),
        _ => None,
    }
}

/// A packet's time in microseconds after the first packet, rounded as tshark's
/// io,stat rounds it.
fn rel_micros(rel_nanos: i64) -> Option<u64> {
    let nanos = u64::try_from(rel_nanos).ok()?;
    let secs = nanos / 1_000_000_000;
    let sub = nanos % 1_000_000_000;
    Some(
        secs.saturating_mul(1_000_000)
            .saturating_add((sub + 500) / 1000),
    )
}

/// A dissection keeping what `filter` reads and `field`.
fn dissection_for<'a>(
    filter: Option<&dyn PacketPredicate>,
    field: Option<FieldId>,
) -> Dissection<'a> {
    let mut set = filter.map(|f| f.fields()).unwrap_or_default();
    if let Some(f) = field {
        set.insert(f);
    }
    Dissection::new(Want::Fields(set), false, false)
}

/// Packets a pass over the capture hands to the filling of the intervals, in order.
#[derive(Debug, Clone, Copy)]
enum Kept {
    /// A packet the filter keeps (0-based).
    Packet(usize),
    /// A value of the field in the packet before it.
    Value(f64),
}

/// Packets per piece of the passes split across cores.
const PIECE: usize = 16 * 1024;

/// Accumulates one interval of a field metric.
#[derive(Debug, Clone, Copy, Default)]
struct Acc {
    sum: f64,
    min: f64,
    max: f64,
    count: u64,
}

impl Acc {
    fn add(&mut self, v: f64) {
        if self.count == 0 {
            self.min = v;
            self.max = v;
        } else {
            self.min = self.min.min(v);
            self.max = self.max.max(v);
        }
        self.sum += v;
        self.count += 1;
    }
}

/// Computes one graph over `loaded`: `metric` per `interval_micros` (at least 1) for
/// the packets `filter` keeps (all without one).
pub fn compute(
    loaded: &Loaded,
    interval_micros: u64,
    filter: Option<&dyn PacketPredicate>,
    metric: Metric,
) -> IoSeries {
    compute_in_pieces(loaded, loaded.len(), interval_micros, filter, metric, PIECE)
}

/// [`compute`] over the first `packets` packets only, a window's first look at a
/// long capture: the intervals up to the one of the last of them (that one is left
/// out unless it is the only one, as it may hold more packets after them).
pub fn compute_first(
    loaded: &Loaded,
    packets: usize,
    interval_micros: u64,
    filter: Option<&dyn PacketPredicate>,
    metric: Metric,
) -> IoSeries {
    let upto = packets.min(loaded.len());
    let mut series = compute_in_pieces(loaded, upto, interval_micros, filter, metric, PIECE);
    if upto < loaded.len() {
        let first_ts = loaded.capture.record(0).map_or(0, |r| r.ts_nanos);
        let last = upto
            .checked_sub(1)
            .and_then(|i| loaded.capture.record(i))
            .and_then(|r| rel_micros(r.ts_nanos.saturating_sub(first_ts)))
            .map_or(0, |rel| {
                usize::try_from(rel / interval_micros.max(1)).unwrap_or(usize::MAX)
            });
        if last > 0 {
            series.values.truncate(last);
            series.first_frame.truncate(last);
        }
    }
    series
}

/// [`compute`] over the first `upto` packets, with the dissecting pass in pieces of
/// `piece` packets.
fn compute_in_pieces(
    loaded: &Loaded,
    upto: usize,
    interval_micros: u64,
    filter: Option<&dyn PacketPredicate>,
    metric: Metric,
    piece: usize,
) -> IoSeries {
    let upto = upto.min(loaded.len());
    let interval = interval_micros.max(1);
    let first_ts = loaded.capture.record(0).map_or(0, |r| r.ts_nanos);
    let field = metric.field();
    let needs_dissection = filter.is_some() || field.is_some();
    // The packets the filter keeps and their values of the field, found on every
    // core; the intervals are then filled in frame order.
    let kept: Vec<Vec<Kept>> = if needs_dissection {
        crate::pieces::in_order(0..upto, piece, |piece| {
            let analysis = loaded.analysis();
            let mut d = dissection_for(filter, field);
            let mut kept = Vec::new();
            for i in piece {
                d.clear();
                let passes = loaded
                    .dissect_into(i, None, &analysis, &mut d)
                    .is_some_and(|r| {
                        filter.is_none_or(|f| f.matches(&d, loaded.capture.bytes_of(&r)))
                    });
                if !passes {
                    continue;
                }
                kept.push(Kept::Packet(i));
                if let Some(f) = field {
                    for node in d.nodes.iter().filter(|n| n.field == f) {
                        match (metric, numeric(&node.value)) {
                            (Metric::Count(_), _) => kept.push(Kept::Value(0.0)),
                            (_, Some(v)) => kept.push(Kept::Value(v)),
                            (_, None) => {}
                        }
                    }
                }
            }
            kept
        })
    } else {
        Vec::new()
    };
    let mut accs: Vec<Acc> = Vec::new();
    let mut first_frame: Vec<u32> = Vec::new();
    let mut current = 0usize;
    // The interval of the packet being filled, `None` while it is left out.
    let mut filling: Option<usize> = None;
    let every_packet = (0..upto).map(Kept::Packet);
    let items: Box<dyn Iterator<Item = Kept>> = if needs_dissection {
        Box::new(kept.into_iter().flatten())
    } else {
        Box::new(every_packet)
    };
    for item in items {
        let i = match item {
            Kept::Packet(i) => i,
            Kept::Value(v) => {
                if let Some(acc) = filling.and_then(|b| accs.get_mut(b)) {
                    acc.add(v);
                }
                continue;
            }
        };
        filling = None;
        let Some(record) = loaded.capture.record(i) else {
            continue;
        };
        let Some(rel) = rel_micros(record.ts_nanos.saturating_sub(first_ts)) else {
            continue;
        };
        let bucket = usize::try_from(rel / interval).unwrap_or(usize::MAX);
        // As io,stat: a packet earlier than an interval already counted is left out.
        if bucket < current || bucket >= MAX_INTERVALS {
            continue;
        }
        current = bucket;
        if accs.len() <= bucket {
            accs.resize(bucket + 1, Acc::default());
            first_frame.resize(bucket + 1, 0);
        }
        let (Some(acc), Some(first)) = (accs.get_mut(bucket), first_frame.get_mut(bucket)) else {
            continue;
        };
        if *first == 0 {
            *first = (i + 1) as u32;
        }
        filling = Some(bucket);
        if field.is_none() {
            let bytes = f64::from(record.orig_len);
            acc.add(match metric {
                Metric::Packets => 1.0,
                Metric::Bits => bytes * 8.0,
                _ => bytes,
            });
        }
    }
    // Counts are 0 in the intervals without a packet, up to the capture's end (as
    // io,stat prints them); an aggregate of no value stays empty.
    if matches!(
        metric,
        Metric::Packets | Metric::Bytes | Metric::Bits | Metric::Count(_)
    ) {
        let last = upto
            .checked_sub(1)
            .and_then(|i| loaded.capture.record(i))
            .and_then(|r| rel_micros(r.ts_nanos.saturating_sub(first_ts)))
            .map_or(0, |rel| {
                usize::try_from(rel / interval).unwrap_or(usize::MAX)
            });
        let len = last.saturating_add(1).min(MAX_INTERVALS);
        if accs.len() < len {
            accs.resize(len, Acc::default());
            first_frame.resize(len, 0);
        }
    }
    let values = accs
        .iter()
        .map(|a| match metric {
            Metric::Packets | Metric::Bytes | Metric::Bits => Some(a.sum),
            Metric::Count(_) => Some(a.count as f64),
            _ if a.count == 0 => None,
            Metric::Sum(_) => Some(a.sum),
            Metric::Min(_) => Some(a.min),
            Metric::Max(_) => Some(a.max),
            Metric::Avg(_) => Some(a.sum / a.count as f64),
        })
        .collect();
    IoSeries {
        values,
        first_frame,
    }
}

/// One point of a plot: a packet's time and one value of the field.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlotPoint {
    /// Seconds after the first packet.
    pub time_secs: f64,
    /// The field's value.
    pub value: f64,
    /// Frame number (1-based).
    pub frame: u32,
}

/// Every value of `field` in the packets `filter` keeps, against time (the Plots
/// window, Wireshark 4.6).
pub fn plot(
    loaded: &Loaded,
    filter: Option<&dyn PacketPredicate>,
    field: FieldId,
) -> Vec<PlotPoint> {
    plot_first(loaded, loaded.len(), filter, field)
}

/// [`plot`] of the first `packets` packets only (a window's first look).
pub fn plot_first(
    loaded: &Loaded,
    packets: usize,
    filter: Option<&dyn PacketPredicate>,
    field: FieldId,
) -> Vec<PlotPoint> {
    let first_ts = loaded.capture.record(0).map_or(0, |r| r.ts_nanos);
    let upto = packets.min(loaded.len());
    let points = crate::pieces::in_order(0..upto, PIECE, |piece| {
        let analysis = loaded.analysis();
        let mut d = dissection_for(filter, Some(field));
        let mut out = Vec::new();
        for i in piece {
            d.clear();
            let Some(record) = loaded.dissect_into(i, None, &analysis, &mut d) else {
                continue;
            };
            if filter.is_some_and(|f| !f.matches(&d, loaded.capture.bytes_of(&record))) {
                continue;
            }
            let time_secs =
                super::conversations::nanos_to_secs(record.ts_nanos.saturating_sub(first_ts));
            for node in d.nodes.iter().filter(|n| n.field == field) {
                if let Some(value) = numeric(&node.value) {
                    out.push(PlotPoint {
                        time_secs,
                        value,
                        frame: (i + 1) as u32,
                    });
                }
            }
        }
        out
    });
    points.concat()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::IoStat;

    #[test]
    fn packets_and_bytes_per_second_equal_io_stat() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/captures/http_keepalive.pcap");
        let loaded = match Loaded::open(&path) {
            Ok(l) => l,
            Err(e) => panic!("{e}"),
        };
        let io = IoStat::compute(&loaded, 1_000_000, &[None]);
        let packets = compute(&loaded, 1_000_000, None, Metric::Packets);
        let bytes = compute(&loaded, 1_000_000, None, Metric::Bytes);
        let col = io.columns.first().cloned().unwrap_or_default();
        assert_eq!(col.len(), packets.values.len());
        for (k, b) in col.iter().enumerate() {
            assert_eq!(
                packets.values.get(k).copied().flatten(),
                Some(b.frames as f64)
            );
            assert_eq!(bytes.values.get(k).copied().flatten(), Some(b.bytes as f64));
        }
    }

    #[test]
    fn a_field_graph_split_across_cores_is_the_graph_of_one_pass() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/captures/tcp_lossy_bulk_head.pcap");
        let loaded = match Loaded::open(&path) {
            Ok(l) => l,
            Err(e) => panic!("{e}"),
        };
        let len = crate::dissect::frame::LEN;
        let filter = match crate::filter::Filter::compile("tcp.len > 0") {
            Ok(f) => f,
            Err(e) => panic!("{e}"),
        };
        for metric in [
            Metric::Sum(len),
            Metric::Min(len),
            Metric::Max(len),
            Metric::Avg(len),
            Metric::Count(len),
        ] {
            for limit in [None, Some(&filter as &dyn PacketPredicate)] {
                let n = loaded.len();
                let whole = compute_in_pieces(&loaded, n, 10_000, limit, metric, usize::MAX);
                let split = compute_in_pieces(&loaded, n, 10_000, limit, metric, 3);
                assert_eq!(whole, split, "{metric:?}");
            }
        }
        // Every packet's frame.len summed and counted: the bytes and packets (a sum
        // of no value is empty where a byte count is 0).
        let sum = compute(&loaded, 10_000, None, Metric::Sum(len));
        let bytes = compute(&loaded, 10_000, None, Metric::Bytes);
        let sum_or_0: Vec<Option<f64>> = sum.values.iter().map(|v| v.or(Some(0.0))).collect();
        assert_eq!(sum_or_0, bytes.values);
        assert_eq!(sum.first_frame, bytes.first_frame);
        let count = compute(&loaded, 10_000, None, Metric::Count(len));
        let packets = compute(&loaded, 10_000, None, Metric::Packets);
        assert_eq!(count, packets);
        // The first packets' graph: the whole graph's first intervals, up to the
        // one the last of them falls in; their plot, the whole plot's first points.
        let half = loaded.len() / 2;
        let first = compute_first(&loaded, half, 10_000, Some(&filter), Metric::Sum(len));
        let whole = compute(&loaded, 10_000, Some(&filter), Metric::Sum(len));
        assert!(!first.values.is_empty() && first.values.len() < whole.values.len());
        assert_eq!(
            first.values.as_slice(),
            whole.values.get(..first.values.len()).unwrap_or_default()
        );
        let points = plot_first(&loaded, half, None, len);
        assert_eq!(points.len(), half);
        assert_eq!(
            points.as_slice(),
            plot(&loaded, None, len).get(..half).unwrap_or_default()
        );
    }
}
