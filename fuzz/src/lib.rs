//! What the fuzz targets share: turning fuzz input into packets and capture files, and
//! driving every consumer of a dissection (labels, summary columns, `-T fields` text,
//! tcpdump lines), so that a panic anywhere between the bytes and the pixels is found.

pub mod filter;
pub mod tcp_shape;

use std::hint::black_box;
use std::io::Write;
use std::path::Path;
use synack_engine::capture::writer::{self, ExportError, Format};
use synack_engine::capture::{
    BlockKind, CaptureSource, Interface, LinkType, PacketRecord, Scanner, Step,
};
use synack_engine::dissect::{Dissection, PacketContext, Want, dissect_packet, value};
use synack_engine::export::{flow, text};
use synack_engine::tcp::{LoadStats, Loaded, Loader, TcpResults, follow, ladder};

/// Link types `dissect_any` and `filter_eval` choose from with two input bytes. Every
/// value is allowed; these are the ones `dissect::frame`'s link-layer dispatch knows
/// (the rest fall back to data), plus PPI (192), which reaches that fallback and the
/// link type's name. New ones go at the end so that existing seeds keep their meaning.
pub const LINK_TYPES: &[u16] = &[
    0, 1, 9, 12, 14, 101, 108, 113, 129, 228, 229, 242, 276, 105, 127, 104, 192,
];

/// The link type named by the first two bytes of `data` (big-endian): a known one when
/// the value is small, so the fuzzer reaches every dissector easily, else the value.
pub fn link_type_of(pick: [u8; 2]) -> LinkType {
    let raw = u16::from_be_bytes(pick);
    match LINK_TYPES.get(usize::from(raw)) {
        Some(known) => LinkType(*known),
        None => LinkType(raw),
    }
}

/// The two bytes [`link_type_of`] maps to `link` (for writing seeds).
pub fn link_type_bytes(link: LinkType) -> [u8; 2] {
    let raw = match LINK_TYPES.iter().position(|l| *l == link.0) {
        Some(i) => i as u16,
        None => link.0,
    };
    raw.to_be_bytes()
}

/// A pcap-style interface of `link` with a microsecond clock.
pub fn interface(link: LinkType) -> Interface {
    Interface {
        snaplen: 262_144,
        ..Interface::new(link)
    }
}

/// The index record of a frame of `cap_len` bytes that had `orig_len` on the wire.
pub fn record(cap_len: usize, orig_len: u32) -> PacketRecord {
    PacketRecord::new(
        0,
        1_700_000_000_123_456_000,
        u32::try_from(cap_len).unwrap_or(u32::MAX),
        orig_len,
        0,
        BlockKind::PcapRecord,
        false,
    )
}

/// Reads everything a user can see of a finished dissection: every node's label and
/// `-T fields` text, the `-V` tree, `frame.protocols`, the summary line and the tcpdump
/// line.
pub fn exercise(
    d: &Dissection<'_>,
    number: usize,
    record: &PacketRecord,
    frame: &[u8],
    first_ts_nanos: i64,
    printer: &mut text::tcpdump::Printer,
) {
    for node in &d.nodes {
        black_box(node.label());
        black_box(value::field_text(node.def(), &node.value));
        black_box(d.source_bytes(frame, node.source));
    }
    black_box(d.layers_joined());
    for digits in [0, 6, 9] {
        let summary = text::Summary::new(number, record, first_ts_nanos, digits, d);
        black_box(summary.line());
    }
    assert!(text::write_tree(&mut std::io::sink(), d).is_ok());
    black_box(printer.line(record, frame, d));
}

/// Dissects one frame of `link` the way the detail pane does (every field, labels,
/// columns), once as captured whole and once as if a snapshot length had cut it, then
/// runs the load pass's first-pass analysis over it.
pub fn dissect_frame(link: LinkType, frame: &[u8]) {
    let iface = interface(link);
    let cap_len = u32::try_from(frame.len()).unwrap_or(u32::MAX);
    let mut printer = text::tcpdump::Printer::new(false, true);
    for orig_len in [cap_len, cap_len.saturating_add(1000)] {
        let rec = record(frame.len(), orig_len);
        let ctx = PacketContext {
            marked: true,
            ..PacketContext::alone(1, rec, &iface)
        };
        let mut d = Dissection::new(Want::All, true, true);
        dissect_packet(&mut d, &ctx, frame);
        exercise(&d, 1, &rec, frame, rec.ts_nanos, &mut printer);
    }
    let mut loader = Loader::new();
    let mut results = TcpResults::default();
    let mut stats = LoadStats::default();
    let mut rec = record(frame.len(), cap_len);
    loader.process(&mut results, &mut stats, 1, &mut rec, frame, &iface);
    black_box((results, stats));
}

/// Scans `data` as a capture file in memory and checks what every scanner promises:
/// each packet lies inside the file, after the previous one, on a known interface.
pub fn scan(data: &[u8]) {
    let Ok(mut scanner) = Scanner::new(data, Path::new("fuzz.pcap")) else {
        return;
    };
    black_box(scanner.format());
    let mut last_end = 0u64;
    loop {
        match scanner.next_step(data, false) {
            Step::Packet(rec) => {
                let end = rec.data_offset() + u64::from(rec.cap_len);
                assert!(end <= data.len() as u64, "packet past the end: {rec:?}");
                assert!(rec.data_offset() >= last_end, "packets overlap: {rec:?}");
                assert!(
                    usize::from(rec.iface()) < scanner.interfaces().len(),
                    "packet on an undeclared interface: {rec:?}"
                );
                last_end = end;
            }
            Step::End => break,
            Step::Damaged(error) => {
                black_box(error.to_string());
                break;
            }
            Step::Incomplete => panic!("a complete file was scanned as still growing"),
        }
    }
}

/// Writes `data` to a temporary file (in memory when `/dev/shm` exists), so that the
/// real open path (map, or inflate gzip, then scan) can read it.
pub fn temp_file(data: &[u8]) -> tempfile::NamedTempFile {
    let shm = Path::new("/dev/shm");
    let mut builder = tempfile::Builder::new();
    builder.prefix("synack-fuzz-");
    let file = if shm.is_dir() {
        builder.tempfile_in(shm)
    } else {
        builder.tempfile()
    };
    let mut file = match file {
        Ok(file) => file,
        Err(error) => panic!("the harness cannot create a temporary file: {error}"),
    };
    if let Err(error) = file.write_all(data).and_then(|()| file.flush()) {
        panic!("the harness cannot write a temporary file: {error}");
    }
    file
}

/// Opens `path` as the GUI and `synack dump -V` do: the load pass with the TCP
/// analysis, then every packet dissected again on demand with the recorded analysis,
/// a full tree, labels and columns; then the flow graph and Follow TCP Stream of every
/// stream.
pub fn open_and_dissect(path: &Path) {
    let Ok(source) = CaptureSource::open(path) else {
        return;
    };
    if let Some(damage) = source.gzip_damage() {
        black_box(damage.to_string());
    }
    scan(source.bytes());
    drop(source);
    let Ok(loaded) = Loaded::open(path) else {
        return;
    };
    dissect_loaded(&loaded, READER_PACKETS);
    round_trip(&loaded);
}

/// Exports every packet of `loaded` as pcapng, pcap and nanosecond pcap (as
/// `dump -w` and File > Export do), reads each file back and checks that the same
/// packets come out: what synack writes, synack must read.
pub fn round_trip(loaded: &Loaded) {
    let all: Vec<usize> = (0..loaded.len()).collect();
    for format in [Format::PcapNg, Format::Pcap, Format::PcapNanos] {
        let mut out = Vec::new();
        match writer::write(&loaded.capture, &all, format, &mut out) {
            Ok(()) => {}
            Err(ExportError::MixedLinkTypes(_)) => continue,
            Err(error) => panic!("export to memory failed: {error}"),
        }
        let mut scanner = match Scanner::new(&out, Path::new("export")) {
            Ok(scanner) => scanner,
            Err(error) => panic!("synack cannot open its own {format:?} export: {error}"),
        };
        for &i in &all {
            let Some((original, bytes)) = loaded.capture.packet(i) else {
                continue;
            };
            let rec = match scanner.next_step(&out, false) {
                Step::Packet(rec) => rec,
                other => panic!("the {format:?} export lost packet {i}: {other:?}"),
            };
            let start = usize::try_from(rec.data_offset()).unwrap_or(usize::MAX);
            let copy = start
                .checked_add(rec.cap_len as usize)
                .and_then(|end| out.get(start..end));
            assert_eq!(
                copy,
                Some(bytes),
                "the {format:?} export changed packet {i}"
            );
            assert_eq!(rec.orig_len, original.orig_len, "packet {i} length");
        }
        let end = scanner.next_step(&out, false);
        assert!(matches!(end, Step::End), "{format:?} export: {end:?}");
    }
}

/// Packets the reader targets dissect again after the load pass: enough for the
/// interfaces and timestamps a file can have, few enough to keep the fuzzer fast
/// (`tcp_analysis` covers long conversations).
pub const READER_PACKETS: usize = 32;

/// The first `max_packets` packets of `loaded` dissected again with a full tree, and
/// the ladder (text, JSON and SVG) and followed payload of the streams they start.
pub fn dissect_loaded(loaded: &Loaded, max_packets: usize) {
    let analysis = loaded.analysis();
    let first_ts = loaded.capture.record(0).map_or(0, |r| r.ts_nanos);
    let mut printer = text::tcpdump::Printer::new(false, false);
    let mut d = Dissection::new(Want::All, true, true);
    for i in 0..loaded.len().min(max_packets) {
        let mut dd = d.recycle();
        // Every other packet counts as displayed, as after a filter.
        let prev_displayed = i.checked_sub(2);
        if let Some(record) = loaded.dissect_into(i, prev_displayed, &analysis, &mut dd) {
            let frame = loaded.capture.bytes_of(&record);
            exercise(&dd, i + 1, &record, frame, first_ts, &mut printer);
        }
        d = dd.recycle();
    }
    black_box(loaded.stats.phs.len());
    black_box(loaded.stats.experts.len());
    let mut ladders = Vec::new();
    for (stream, info) in loaded.tcp.streams.iter().enumerate() {
        if info.first_frame as usize > max_packets {
            continue;
        }
        let stream = u32::try_from(stream).unwrap_or(u32::MAX);
        black_box(follow::chunks(loaded, stream));
        for absolute in [false, true] {
            if let Some(l) = ladder::build(loaded, stream, absolute, |i| i % 3 != 1) {
                black_box(flow::text(std::slice::from_ref(&l)));
            }
        }
        if let Some(l) = ladder::build(loaded, stream, false, |_| true) {
            ladders.push((l, format!("stream {stream}")));
        }
    }
    let first = ladders
        .first()
        .and_then(|(l, _)| l.arrows.first())
        .map(|a| a.frame);
    black_box(flow::svg(&ladders, first));
    let plain: Vec<_> = ladders.into_iter().map(|(l, _)| l).collect();
    black_box(flow::json(&plain));
}
