//! `synack tables`: a loaded capture as two Parquet tables, `packets.parquet` (one row
//! per packet) and `connections.parquet` (one row per conversation), in a Hive-style
//! partition directory `capture=NAME/` written as a temporary directory renamed into
//! place. Many captures run at once, one per core, each holding one capture's index
//! and one row group of rows at a time.

use super::columnar::{Cell, ColumnSpec, ColumnType, TableWriter};
use super::community_id::{self, proto};
use super::conn_table::{self, ANALYSIS_FLAGS, ConnRow, Flows, PacketFacts, Tally};
use crate::capture::OpenError;
use crate::dissect::field::Kind;
use crate::dissect::ipv4::Addr;
use crate::dissect::value::field_text;
use crate::dissect::{
    Dissection, FieldId, FieldSet, Value, Want, icmp, icmpv6, ipv4, ipv6, registry, tcp, udp,
};
use crate::tcp::Loaded;
use crate::tcp::connections::{self, Socket};
use crate::tcp::results::stream_of;
use parquet::errors::ParquetError;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Rows per row group of `packets.parquet`: 64 Ki packets make groups of a few MiB
/// on disk, large enough for scans to stream, while the rows a writer buffers before
/// encoding them (about 200 bytes each) stay near 13 MiB.
pub const PACKET_ROWS_PER_GROUP: usize = 64 * 1024;

/// What `synack tables` writes besides the fixed columns.
#[derive(Debug, Clone, Default)]
pub struct TablesOptions {
    /// Extra `packets.parquet` columns (`-e FIELD`), named and typed after the field.
    pub extra_fields: Vec<FieldId>,
}

/// One capture's tables, written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The partition directory (`OUT/capture=NAME`).
    pub dir: PathBuf,
    /// Rows of `packets.parquet`.
    pub packets: u64,
    /// Rows of `connections.parquet`.
    pub connections: u64,
}

/// Why a capture's tables could not be written.
#[derive(Debug, thiserror::Error)]
pub enum TablesError {
    /// The capture could not be read.
    #[error(transparent)]
    Open(#[from] OpenError),
    /// The file system refused a write or a rename.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The Parquet encoder failed.
    #[error("cannot encode {path}: {source}")]
    Parquet {
        /// The file.
        path: PathBuf,
        /// Why.
        source: ParquetError,
    },
}

/// The partition name of a capture: its file name without the capture extension
/// (`.pcap`, `.pcapng`, `.gz`, ...), with every byte other than letters, digits, `.`,
/// `-` and `_` replaced by `_` (a `=` or `/` would break the Hive layout).
pub fn partition_name(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut stem = name.as_str();
    for ext in [".gz", ".pcapng", ".pcap", ".cap", ".ntar"] {
        if let Some(s) = stem.strip_suffix(ext) {
            stem = s;
        }
    }
    let clean: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if clean.is_empty() || clean.starts_with('.') {
        format!("_{clean}")
    } else {
        clean
    }
}

/// The column type of an extra field: numbers as numbers, times as timestamps (or
/// seconds for a relative time), flags and bare protocol items as booleans (present),
/// everything else as tshark's text.
fn extra_type(id: FieldId) -> ColumnType {
    match registry::def(id).kind {
        Kind::Protocol | Kind::None | Kind::Bool { .. } => ColumnType::Bool,
        Kind::UInt { .. } | Kind::Int { .. } | Kind::FrameNum => ColumnType::Int64,
        Kind::Float | Kind::RelTime => ColumnType::Double,
        Kind::AbsTime | Kind::AbsTimeUtc => ColumnType::TimestampNanos,
        Kind::Ipv4 | Kind::Ipv6 | Kind::Ether | Kind::Bytes { .. } | Kind::Str => ColumnType::Str,
    }
}

/// The columns of `packets.parquet`, in order, the extras last.
pub fn packet_columns(extra: &[FieldId]) -> Vec<ColumnSpec> {
    use ColumnType::*;
    let mut c = vec![
        ColumnSpec::new("file", Str),
        ColumnSpec::new("frame", Int64),
        ColumnSpec::new("file_offset", Int64),
        ColumnSpec::new("ts", TimestampNanos),
        ColumnSpec::new("frame_len", Int64),
        ColumnSpec::new("cap_len", Int64),
        ColumnSpec::new("src", Str),
        ColumnSpec::new("dst", Str),
        ColumnSpec::new("src_port", Int32),
        ColumnSpec::new("dst_port", Int32),
        ColumnSpec::new("ip_proto", Int32),
        ColumnSpec::new("protocol", Str),
        ColumnSpec::new("tcp_stream", Int64),
        ColumnSpec::new("tcp_flags", Int32),
        ColumnSpec::new("tcp_len", Int64),
        ColumnSpec::new("seq_raw", Int64),
        ColumnSpec::new("seq", Int64),
        ColumnSpec::new("ack_raw", Int64),
        ColumnSpec::new("ack", Int64),
        ColumnSpec::new("window", Int32),
        ColumnSpec::new("window_size", Int64),
        ColumnSpec::new("analysis_flags", Int64),
    ];
    for (_, name) in ANALYSIS_FLAGS {
        c.push(ColumnSpec::new(name, Bool));
    }
    c.push(ColumnSpec::new("synack_step", Str));
    c.push(ColumnSpec::new("sender_state", Str));
    c.push(ColumnSpec::new("receiver_state", Str));
    for id in extra {
        c.push(ColumnSpec::new(registry::def(*id).abbrev, extra_type(*id)));
    }
    c
}

/// The fields the packet pass reads.
fn pass_fields(extra: &[FieldId]) -> FieldSet {
    let mut set = FieldSet::new();
    for id in [
        ipv4::SRC,
        ipv4::DST,
        ipv4::LEN,
        ipv4::HDR_LEN,
        ipv4::PROTO_FIELD,
        ipv6::SRC,
        ipv6::DST,
        ipv6::PLEN,
        ipv6::NXT,
        tcp::SRCPORT,
        tcp::DSTPORT,
        tcp::FLAGS,
        tcp::LEN,
        tcp::SEQ,
        tcp::SEQ_RAW,
        tcp::ACK,
        tcp::ACK_RAW,
        tcp::WINDOW_SIZE_VALUE,
        tcp::WINDOW_SIZE,
        udp::SRCPORT,
        udp::DSTPORT,
        udp::LENGTH,
        icmp::TYPE,
        icmp::CODE,
        icmpv6::TYPE,
        icmpv6::CODE,
    ] {
        set.insert(id);
    }
    for id in extra {
        set.insert(*id);
    }
    set
}

/// The outer headers of one packet, as the tables need them.
#[derive(Debug, Default)]
struct Headers {
    src: Option<Addr>,
    dst: Option<Addr>,
    ip_len: Option<u32>,
    ip_hdr_len: u32,
    ip_proto: Option<u8>,
    ports: Option<(u16, u16)>,
    udp_len: Option<u32>,
    icmp: Option<(u8, u8, u8)>,
    tcp_flags: Option<u16>,
    tcp_len: Option<u32>,
    seq_raw: Option<u64>,
    seq: Option<u64>,
    ack_raw: Option<u64>,
    ack: Option<u64>,
    window: Option<u64>,
    window_size: Option<u64>,
}

fn small<T: TryFrom<u64>>(v: &Value<'_>) -> Option<T> {
    v.as_u64().and_then(|n| T::try_from(n).ok())
}

/// The address an IPv4 or IPv6 address field holds.
fn ip_addr(v: &Value<'_>) -> Option<Addr> {
    match v {
        Value::Ipv4(a) => Some(Addr::V4(*a)),
        Value::Ipv6(a) => Some(Addr::V6(*a)),
        _ => None,
    }
}

impl Headers {
    /// Reads the first IP header and the transport header after it; stops at an ICMP
    /// message, whose quoted datagram belongs to another conversation (tshark's
    /// conversation tables skip it too).
    fn read(d: &Dissection<'_>) -> Headers {
        let mut h = Headers::default();
        let mut in_icmp: Option<u8> = None;
        for node in &d.nodes {
            let f = node.field;
            let v = &node.value;
            if let Some(icmp_proto) = in_icmp {
                let (ty, code) = if icmp_proto == proto::ICMP {
                    (icmp::TYPE, icmp::CODE)
                } else {
                    (icmpv6::TYPE, icmpv6::CODE)
                };
                if f == ty {
                    let t = small(v).unwrap_or(0);
                    h.icmp = Some((icmp_proto, t, h.icmp.map_or(0, |i| i.2)));
                } else if f == code {
                    let c = small(v).unwrap_or(0);
                    h.icmp = h.icmp.map(|(p, t, _)| (p, t, c));
                    break;
                }
                continue;
            }
            match f {
                _ if f == icmp::TYPE || f == icmpv6::TYPE => {
                    let p = if f == icmp::TYPE {
                        proto::ICMP
                    } else {
                        proto::ICMPV6
                    };
                    in_icmp = Some(p);
                    h.icmp = Some((p, small(v).unwrap_or(0), 0));
                }
                _ if (f == ipv4::SRC || f == ipv6::SRC) && h.src.is_none() => h.src = ip_addr(v),
                _ if (f == ipv4::DST || f == ipv6::DST) && h.dst.is_none() => h.dst = ip_addr(v),
                _ if f == ipv4::LEN && h.ip_len.is_none() => h.ip_len = small(v),
                _ if f == ipv4::HDR_LEN && h.ip_hdr_len == 0 => {
                    h.ip_hdr_len = small(v).unwrap_or(0);
                }
                _ if f == ipv6::PLEN && h.ip_len.is_none() => {
                    h.ip_hdr_len = 40;
                    h.ip_len = small::<u32>(v).map(|n| n.saturating_add(40));
                }
                _ if (f == ipv4::PROTO_FIELD || f == ipv6::NXT) && h.ip_proto.is_none() => {
                    h.ip_proto = small(v);
                }
                _ if (f == tcp::SRCPORT || f == udp::SRCPORT) && h.ports.is_none() => {
                    h.ports = Some((small(v).unwrap_or(0), 0));
                }
                _ if f == tcp::DSTPORT || f == udp::DSTPORT => {
                    if let Some((s, 0)) = h.ports {
                        h.ports = Some((s, small(v).unwrap_or(0)));
                    }
                }
                _ if f == udp::LENGTH && h.udp_len.is_none() => h.udp_len = small(v),
                _ if f == tcp::FLAGS && h.tcp_flags.is_none() => h.tcp_flags = small(v),
                _ if f == tcp::LEN && h.tcp_len.is_none() => h.tcp_len = small(v),
                _ if f == tcp::SEQ_RAW && h.seq_raw.is_none() => h.seq_raw = v.as_u64(),
                _ if f == tcp::SEQ && h.seq.is_none() => h.seq = v.as_u64(),
                _ if f == tcp::ACK_RAW && h.ack_raw.is_none() => h.ack_raw = v.as_u64(),
                _ if f == tcp::ACK && h.ack.is_none() => h.ack = v.as_u64(),
                _ if f == tcp::WINDOW_SIZE_VALUE && h.window.is_none() => h.window = v.as_u64(),
                _ if f == tcp::WINDOW_SIZE && h.window_size.is_none() => {
                    h.window_size = v.as_u64();
                }
                _ => {}
            }
        }
        h
    }
}

/// Address texts already made: a capture has few addresses and many packets, and
/// formatting an IPv6 address costs more than looking it up.
#[derive(Debug, Default)]
struct AddrNames {
    known: rustc_hash::FxHashMap<Addr, std::rc::Rc<str>>,
}

impl AddrNames {
    /// The text of `addr` (a shared string: one allocation per address).
    fn text(&mut self, addr: Addr) -> std::rc::Rc<str> {
        // A scan of a whole /16 would otherwise grow the table without bound.
        if self.known.len() >= 1 << 16 {
            self.known.clear();
        }
        self.known
            .entry(addr)
            .or_insert_with(|| addr.text().into())
            .clone()
    }
}

/// Zeek's service name for a packet's innermost application layer.
fn service(d: &Dissection<'_>) -> Option<&'static str> {
    let last = d.layer_names().last().copied()?;
    Some(match last {
        "http" => "http",
        "tls" => "ssl",
        "dns" | "mdns" => "dns",
        "dhcp" | "bootp" => "dhcp",
        "dhcpv6" => "dhcpv6",
        "ntp" => "ntp",
        "ssh" => "ssh",
        "quic" | "gquic" => "quic",
        "tftp" => "tftp",
        _ => return None,
    })
}

/// An extra column's cell: the first occurrence of the field in the packet.
fn extra_cell<'v>(id: FieldId, d: &'v Dissection<'_>, text: &'v mut String) -> Cell<'v> {
    let def = registry::def(id);
    let Some(v) = d.first(id) else {
        return match def.kind {
            Kind::Protocol | Kind::None => Cell::Bool(false),
            _ => Cell::Null,
        };
    };
    match (extra_type(id), v) {
        (ColumnType::Bool, Value::Bool(b)) => Cell::Bool(*b),
        (ColumnType::Bool, Value::UInt(n)) => Cell::Bool(*n != 0),
        (ColumnType::Bool, _) => Cell::Bool(true),
        (ColumnType::Int64, Value::Int(n)) => Cell::Int(*n),
        (ColumnType::Int64, Value::Frame(n)) => Cell::Int(i64::from(*n)),
        (ColumnType::Int64, v) => v
            .as_u64()
            .and_then(|n| i64::try_from(n).ok())
            .map_or(Cell::Null, Cell::Int),
        (ColumnType::Double, Value::Float(f)) => Cell::Float(*f),
        (ColumnType::Double, Value::Time(ns)) => Cell::Float(*ns as f64 / 1e9),
        (ColumnType::TimestampNanos, Value::Time(ns)) => Cell::Int(*ns),
        (ColumnType::Str, v) => {
            *text = field_text(def, v);
            Cell::Str(text.as_str())
        }
        _ => Cell::Null,
    }
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> TablesError + '_ {
    move |source| TablesError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn parquet_error(path: &Path) -> impl FnOnce(ParquetError) -> TablesError + '_ {
    move |source| TablesError::Parquet {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes the tables of `loaded` (read from a file named `file`) into
/// `out/capture=NAME/`, replacing what was there only once both files are complete.
pub fn write_capture(
    loaded: &Loaded,
    file: &str,
    name: &str,
    out: &Path,
    options: &TablesOptions,
) -> Result<Written, TablesError> {
    let temp = tempfile::Builder::new()
        .prefix(".synack-tables-")
        .tempdir_in(out)
        .map_err(io_error(out))?;
    let packets_path = temp.path().join("packets.parquet");
    let conns_path = temp.path().join("connections.parquet");
    let open = |path: &Path| -> Result<BufWriter<File>, TablesError> {
        let f = File::create(path).map_err(io_error(path))?;
        Ok(BufWriter::with_capacity(1 << 20, f))
    };
    let mut packets = TableWriter::new(
        open(&packets_path)?,
        &packet_columns(&options.extra_fields),
        PACKET_ROWS_PER_GROUP,
    )
    .map_err(parquet_error(&packets_path))?;

    let streams = &loaded.tcp.streams;
    let mut tcp_tallies = vec![Tally::default(); streams.len()];
    let mut flows = Flows::default();
    let analysis = loaded.analysis();
    let mut d: Dissection<'_> = Dissection::new(
        Want::Fields(pass_fields(&options.extra_fields)),
        false,
        true,
    );
    let mut text = String::new();
    let mut names = AddrNames::default();
    for i in 0..loaded.len() {
        d.clear();
        let Some(record) = loaded.dissect_into(i, i.checked_sub(1), &analysis, &mut d) else {
            continue;
        };
        let frame = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let h = Headers::read(&d);
        let stream = stream_of(record);
        let p = stream.and_then(|_| loaded.tcp.packets.get(i));
        let service = service(&d);
        let ip_len = h.ip_len.unwrap_or(0);
        // Conversation totals.
        let facts = |side, payload| PacketFacts {
            frame,
            ts_nanos: record.ts_nanos,
            side,
            frame_len: record.orig_len,
            ip_len,
            payload,
            service,
        };
        match (stream, p, h.src, h.dst) {
            (Some(s), Some(p), _, _) => {
                if let Some(t) = tcp_tallies.get_mut(s as usize) {
                    let side = usize::from(p.from_second());
                    let payload = h.tcp_len.unwrap_or(0);
                    t.add(&facts(side, payload));
                    t.add_flags(p.flags(), p.completeness());
                    let window = h.window.and_then(|w| u32::try_from(w).ok()).unwrap_or(1);
                    t.history.tcp_segment(
                        side,
                        h.tcp_flags.unwrap_or(0),
                        payload,
                        window,
                        p.flags(),
                    );
                }
            }
            (None, _, Some(src), Some(dst)) => {
                let flow = match (h.ip_proto, h.ports, h.udp_len, h.icmp) {
                    (_, _, _, Some((icmp_proto, ty, code))) => {
                        let (sp, dp, one_way) = community_id::icmp_ports(icmp_proto, ty, code);
                        let payload = ip_len.saturating_sub(h.ip_hdr_len).saturating_sub(8);
                        let first = Some((ty, code));
                        Some((icmp_proto, (src, sp), (dst, dp), one_way, payload, first))
                    }
                    (Some(proto::UDP), Some((sp, dp)), Some(len), None) => {
                        let payload = len.saturating_sub(8);
                        Some((proto::UDP, (src, sp), (dst, dp), false, payload, None))
                    }
                    _ => None,
                };
                if let Some((ip_proto, a, b, one_way, payload, icmp)) = flow
                    && let Some((flow, side)) = flows.flow_of(ip_proto, a, b, one_way, icmp)
                {
                    flow.tally.add(&facts(side, payload));
                    if payload > 0 {
                        flow.tally.history.mark(side, super::zeek::Mark::Data);
                    }
                }
            }
            _ => {}
        }
        // The packet's row.
        let int = |v: Option<u64>| {
            v.and_then(|n| i64::try_from(n).ok())
                .map_or(Cell::Null, Cell::Int)
        };
        packets.push(Cell::Str(file));
        packets.push(Cell::Int(i64::from(frame)));
        packets.push(int(Some(record.data_offset())));
        packets.push(Cell::Int(record.ts_nanos));
        packets.push(Cell::Int(i64::from(record.orig_len)));
        packets.push(Cell::Int(i64::from(record.cap_len)));
        let src_text = h.src.map(|a| names.text(a));
        packets.push(src_text.as_deref().map_or(Cell::Null, Cell::Str));
        let dst_text = h.dst.map(|a| names.text(a));
        packets.push(dst_text.as_deref().map_or(Cell::Null, Cell::Str));
        packets.push(h.ports.map_or(Cell::Null, |p| Cell::Int(i64::from(p.0))));
        packets.push(h.ports.map_or(Cell::Null, |p| Cell::Int(i64::from(p.1))));
        packets.push(h.ip_proto.map_or(Cell::Null, |p| Cell::Int(i64::from(p))));
        packets.push(Cell::Str(&d.columns.protocol));
        packets.push(stream.map_or(Cell::Null, |s| Cell::Int(i64::from(s))));
        packets.push(h.tcp_flags.map_or(Cell::Null, |f| Cell::Int(i64::from(f))));
        packets.push(int(h.tcp_len.map(u64::from)));
        packets.push(int(h.seq_raw));
        packets.push(int(h.seq));
        packets.push(int(h.ack_raw));
        packets.push(int(h.ack));
        packets.push(int(h.window));
        packets.push(int(h.window_size));
        match p {
            Some(p) => {
                let flags = p.flags();
                packets.push(Cell::Int(i64::from(
                    flags & crate::dissect::context::flag::ANY_ANALYSIS,
                )));
                for (bit, _) in ANALYSIS_FLAGS {
                    packets.push(Cell::Bool(flags & bit != 0));
                }
                let (sender, receiver) = p.states();
                let step = p.step().name();
                packets.push(if step.is_empty() {
                    Cell::Null
                } else {
                    Cell::Str(step)
                });
                packets.push(Cell::Str(sender.name()));
                packets.push(Cell::Str(receiver.name()));
            }
            None => {
                for _ in 0..ANALYSIS_FLAGS.len() + 4 {
                    packets.push(Cell::Null);
                }
            }
        }
        for id in &options.extra_fields {
            let cell = extra_cell(*id, &d, &mut text);
            packets.push(cell);
        }
        packets.end_row().map_err(parquet_error(&packets_path))?;
    }
    let packet_rows = loaded.len() as u64;
    finish_file(packets, &packets_path)?;

    // Connections: TCP from the load's per-stream summary, UDP and ICMP from the
    // flows, all in order of their first frame.
    let mut rows: Vec<ConnRow> = Vec::new();
    for c in connections::summarize(loaded) {
        let (Some(info), Some(tally)) = (
            streams.get(c.stream as usize),
            tcp_tallies.get(c.stream as usize),
        ) else {
            continue;
        };
        rows.push(ConnRow::tcp(file, &c, Socket::from(info.first), tally));
    }
    for f in &flows.flows {
        rows.push(ConnRow::flow(file, f));
    }
    rows.sort_by_key(ConnRow::first_frame);
    let mut conns = TableWriter::new(open(&conns_path)?, &conn_table::columns(), 64 * 1024)
        .map_err(parquet_error(&conns_path))?;
    for row in &rows {
        conn_table::push_row(&mut conns, file, row).map_err(parquet_error(&conns_path))?;
    }
    finish_file(conns, &conns_path)?;

    let dir = out.join(format!("capture={name}"));
    crate::capture::atomic::replace_dir(temp, &dir).map_err(io_error(&dir))?;
    Ok(Written {
        dir,
        packets: packet_rows,
        connections: rows.len() as u64,
    })
}

/// Writes a table's footer and flushes its file to disk.
fn finish_file(t: TableWriter<BufWriter<File>>, path: &Path) -> Result<(), TablesError> {
    let w = t.finish().map_err(parquet_error(path))?;
    let f = w.into_inner().map_err(|e| TablesError::Io {
        path: path.to_path_buf(),
        source: e.into_error(),
    })?;
    f.sync_all().map_err(io_error(path))
}

/// Loads each capture and writes its tables into `out`, `workers` captures at a
/// time (each on one core: a capture's own load then runs on its thread alone).
/// Results come back in the order of `captures`; `done` hears of each as it ends.
pub fn write_captures(
    captures: &[(PathBuf, String)],
    out: &Path,
    options: &TablesOptions,
    workers: usize,
    done: &(dyn Fn(usize, &Result<Written, TablesError>) + Sync),
) -> Vec<Result<Written, TablesError>> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<Written, TablesError>>>> =
        Mutex::new((0..captures.len()).map(|_| None).collect());
    let workers = workers.clamp(1, captures.len().max(1));
    let one = |path: &Path, name: &str| -> Result<Written, TablesError> {
        let loaded = if workers == 1 {
            Loaded::open(path)?
        } else {
            Loaded::open_sequential(path)?
        };
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        write_capture(&loaded, &file, name, out, options)
    };
    std::thread::scope(|scope| {
        for w in 0..workers {
            let work = || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((path, name)) = captures.get(i) else {
                        break;
                    };
                    let result = one(path, name);
                    done(i, &result);
                    if let Ok(mut r) = results.lock()
                        && let Some(slot) = r.get_mut(i)
                    {
                        *slot = Some(result);
                    }
                }
            };
            let spawned = std::thread::Builder::new()
                .name(format!("synack-tables-{w}"))
                .spawn_scoped(scope, work);
            if spawned.is_err() {
                // No thread: the others (or the loop below) take its share.
                continue;
            }
        }
    });
    let slots = results.into_inner().unwrap_or_default();
    slots
        .into_iter()
        .map(|r| {
            r.unwrap_or_else(|| {
                Err(TablesError::Io {
                    path: out.to_path_buf(),
                    source: std::io::Error::other("no worker thread could be started"),
                })
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partition_names_are_safe() {
        assert_eq!(
            partition_name(Path::new("/a/tcp_clean_close.pcap")),
            "tcp_clean_close"
        );
        assert_eq!(partition_name(Path::new("x y=1.pcapng.gz")), "x_y_1");
        assert_eq!(partition_name(Path::new(".pcap")), "_");
    }
}
