//! `synack dump`: tshark's output modes over the same engine: one-line summaries,
//! `-T fields`, `-V` detail, `-x` hex, and tcpdump's lines with `--tcpdump`.

use crate::dissect::context::Analysis;
use crate::dissect::value::Value;
use crate::dissect::{Dissection, FieldId, Want, registry};
use crate::export::ranges::{RangeError, Ranges};
use crate::export::text;
use crate::filter::Filter;
use crate::resolve::{Resolve, VALID_FLAGS_HELP};
use crate::tcp::Loaded;
use crate::tcp::read_filter::{FirstPassNumbers, ReadFiltered};
use anyhow::Context;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `synack dump`.
#[derive(Debug, clap::Args)]
pub struct DumpArgs {
    /// Capture file to read.
    #[arg(short = 'r')]
    pub(crate) file: PathBuf,
    /// The load's memory budget.
    #[command(flatten)]
    pub(crate) memory: super::MemoryArgs,
    /// Display filter (may start with `-`, as in `-Y "-tcp.port < 0"`).
    #[arg(short = 'Y', allow_hyphen_values = true)]
    filter: Option<String>,
    /// Two-pass analysis, as tshark's -2: each packet also shows what later packets
    /// settle (the response to a request, the frame that completes a reassembled PDU
    /// or datagram, the conversation's final completeness).
    #[arg(short = '2')]
    two_pass: bool,
    /// Read filter, as tshark's -R (only with -2): run in the first pass; the packets
    /// it rejects are dropped and the kept ones numbered 1, 2, 3… as tshark does.
    #[arg(short = 'R', allow_hyphen_values = true)]
    read_filter: Option<String>,
    /// Output format: `fields`, `json`, `ek` (Elasticsearch bulk) or `text` (the
    /// default summary).
    #[arg(short = 'T')]
    format: Option<String>,
    /// With -T json or ek: only these top-level protocols in full, e.g. `"ip tcp"`
    /// (tshark's -j).
    #[arg(short = 'j')]
    json_protocols: Option<String>,
    /// A field to print with `-T fields` (repeatable).
    #[arg(short = 'e')]
    fields: Vec<String>,
    /// `-T fields` options: header=y, separator=, occurrence=, aggregator=, quote=.
    #[arg(short = 'E')]
    field_options: Vec<String>,
    /// Print the detail tree of each packet.
    #[arg(short = 'V')]
    detail: bool,
    /// Print each packet's bytes in hex and ASCII.
    #[arg(short = 'x')]
    hex: bool,
    /// Read only this many packets.
    #[arg(short = 'c')]
    count: Option<usize>,
    /// Print the lines `tcpdump -n` prints instead.
    #[arg(long = "tcpdump")]
    tcpdump: bool,
    /// With --tcpdump: absolute sequence numbers (tcpdump -S).
    #[arg(short = 'S')]
    absolute: bool,
    /// With --tcpdump: verbose (tcpdump -v).
    #[arg(short = 'v')]
    verbose: bool,
    /// Write the kept packets to this capture file instead of printing them.
    #[arg(short = 'w')]
    write: Option<PathBuf>,
    /// Output file format for -w: pcapng (default), pcap or nsecpcap.
    #[arg(short = 'F', default_value = "pcapng")]
    out_format: String,
    /// Only these frames, e.g. `1-10,42` (with -Y, both must hold).
    #[arg(long = "range")]
    range: Option<String>,
    /// Disable name resolution: link addresses print as hex, as with `tshark -n`.
    #[arg(short = 'n')]
    no_names: bool,
    /// Name resolution, as tshark's -N: `m` link addresses (the default), `t` port
    /// names (`http(80)`); `n`, `d`, `N` and `v` are accepted.
    #[arg(short = 'N')]
    resolve: Option<String>,
    /// Like -V, but the details of these protocols only (comma-separated, e.g. tcp,ip);
    /// the others show their top line.
    #[arg(short = 'O', value_delimiter = ',')]
    only_protocols: Vec<String>,
    /// Statistics to print after the packets, as tshark's -z (see `synack stats`).
    #[arg(short = 'z')]
    stats: Vec<String>,
    /// Quiet: print no packets (with -z, only the statistics).
    #[arg(short = 'q')]
    quiet: bool,
    /// Time column format, as tshark's `-t`: ad, a, r (default), d, dd, e, u, ud.
    #[arg(short = 't', default_value = "r")]
    time_format: String,
    /// How relative and delta times are written, as tshark's `-u`: s (seconds, the
    /// default) or hms (hours, minutes and seconds).
    #[arg(short = 'u', default_value = "s")]
    seconds_format: String,
    /// A preference, as tshark's `-o PREF:VALUE` (repeatable):
    /// `tcp.relative_sequence_numbers`, `tcp.analyze_sequence_numbers`,
    /// `tcp.calculate_timestamps`, `ip.defragment`, `tcp.desegment_tcp_streams`,
    /// `http.desegment_body`, each `TRUE` or `FALSE`.
    #[arg(short = 'o')]
    prefs: Vec<String>,
    /// Decode As: `tcp.port==8888,http` (or `udp.port==…`; a port, `A-B` or `A:COUNT`).
    #[arg(short = 'd')]
    decode_as: Vec<String>,
}

/// Applies the `-d` arguments as tshark does, or prints tshark's error for the first
/// bad one (its message, then the list it prints) and gives exit status 1.
pub(crate) fn apply_decode_as(args: &[String]) -> Result<(), ExitCode> {
    use crate::dissect::ports;
    let mut entries = Vec::new();
    for arg in args {
        match ports::parse(arg) {
            Ok(parsed) => {
                if parsed.single_equals {
                    let fixed = arg.replacen('=', "==", 1);
                    eprintln!(
                        "synack: WARNING: -d requires \"==\" instead of \"=\". Option will be treated as \"{fixed}\""
                    );
                }
                entries.push(parsed.entry);
            }
            Err(e) => {
                eprintln!("synack: {e}");
                if matches!(e, ports::DecodeAsError::Template(_, None)) {
                    eprintln!("synack: Invalid selector number \"\"");
                }
                if let Some(t) = e.lists_protocols_of() {
                    eprintln!(
                        "synack: Valid protocols for layer type \"{}\" are:",
                        t.table_name()
                    );
                    for (name, desc) in ports::valid_protocols(t) {
                        eprintln!("\t{name} ({desc})");
                    }
                }
                if e.lists_layer_types() {
                    eprintln!("synack: Valid layer types are:");
                    for (name, desc) in ports::LAYER_TYPES {
                        eprintln!("\t{name} ({desc})");
                    }
                }
                return Err(ExitCode::from(1));
            }
        }
    }
    ports::set_decode_as(entries);
    Ok(())
}

/// How `-T fields` joins values.
#[derive(Debug, Clone)]
struct FieldOptions {
    header: bool,
    separator: String,
    occurrence: char,
    aggregator: String,
    quote: Option<char>,
}

impl FieldOptions {
    fn parse(options: &[String]) -> anyhow::Result<FieldOptions> {
        let mut o = FieldOptions {
            header: false,
            separator: "\t".into(),
            occurrence: 'a',
            aggregator: ",".into(),
            quote: None,
        };
        for opt in options {
            let (key, value) = opt
                .split_once('=')
                .with_context(|| format!("invalid -E option {opt:?}: expected key=value"))?;
            let special = |v: &str| match v {
                "/t" => "\t".to_string(),
                "/s" => " ".to_string(),
                other => other.to_string(),
            };
            match key {
                "header" => o.header = value == "y",
                "separator" => o.separator = special(value),
                "aggregator" => o.aggregator = special(value),
                "occurrence" => o.occurrence = value.chars().next().unwrap_or('a'),
                "quote" => {
                    o.quote = match value {
                        "d" => Some('"'),
                        "s" => Some('\''),
                        _ => None,
                    }
                }
                "bom" => {}
                _ => anyhow::bail!("invalid -E option {opt:?}"),
            }
        }
        Ok(o)
    }
}

/// A requested output field: a real field or a summary column.
#[derive(Debug, Clone, Copy)]
enum Column {
    Field(FieldId),
    Number,
    Time,
    Source,
    Destination,
    Protocol,
    Length,
    Info,
}

fn parse_column(name: &str) -> Option<Column> {
    let col = match name.to_ascii_lowercase().as_str() {
        "_ws.col.no." | "_ws.col.number" => Some(Column::Number),
        "_ws.col.time" => Some(Column::Time),
        "_ws.col.source" | "_ws.col.def_src" => Some(Column::Source),
        "_ws.col.destination" | "_ws.col.def_dst" => Some(Column::Destination),
        "_ws.col.protocol" => Some(Column::Protocol),
        "_ws.col.length" => Some(Column::Length),
        "_ws.col.info" => Some(Column::Info),
        _ => None,
    };
    col.or_else(|| registry::lookup(name).map(Column::Field))
}

/// Runs `synack dump`.
pub fn run(args: &DumpArgs) -> anyhow::Result<ExitCode> {
    let resolve = match args.resolve.as_deref().map(Resolve::parse) {
        Some(Ok(flags)) => flags,
        Some(Err(e)) => {
            eprintln!("synack: {e}; {VALID_FLAGS_HELP}");
            return Ok(ExitCode::from(1));
        }
        None if args.no_names => Resolve::NONE,
        None => Resolve::DEFAULT,
    };
    resolve.apply();
    let mut prefs = crate::prefs::Prefs::default();
    for arg in &args.prefs {
        if let Err(e) = prefs.set(arg) {
            eprintln!("synack: {e}");
            return Ok(ExitCode::from(1));
        }
    }
    // tshark checks its -z arguments before it reads a packet.
    let stats = (!args.stats.is_empty()).then(|| {
        super::stats::StatsArgs::for_reports(args.file.clone(), args.stats.clone(), !resolve.mac)
    });
    if let Some(stats) = &stats
        && let Some(code) = super::stats::reject_unknown(stats)?
    {
        return Ok(code);
    }
    if args.quiet && args.write.is_none() {
        return match &stats {
            Some(stats) => super::stats::run(stats),
            None => Ok(ExitCode::SUCCESS),
        };
    }
    let detail = args.detail || !args.only_protocols.is_empty();
    if let Err(code) = apply_decode_as(&args.decode_as) {
        return Ok(code);
    }
    let columns: Vec<Column> = {
        let mut bad = Vec::new();
        let mut cols = Vec::new();
        for name in &args.fields {
            match parse_column(name) {
                Some(c) => cols.push(c),
                None => bad.push(name.clone()),
            }
        }
        if !bad.is_empty() {
            eprintln!("synack: Some fields aren't valid:");
            for b in bad {
                eprintln!("\t{b}");
            }
            return Ok(ExitCode::from(1));
        }
        cols
    };
    if args.read_filter.is_some() && !args.two_pass {
        eprintln!("synack: -R without -2 is deprecated. For single-pass filtering use -Y.");
        return Ok(ExitCode::from(1));
    }
    // tshark's layout for a bad filter: the message, then (when it has a location)
    // the filter indented four spaces and a caret/tilde underline; status 2.
    let compile = |text: &Option<String>| match text {
        Some(text) => match Filter::compile(text) {
            Ok(f) => Ok(Some(f)),
            Err(e) => {
                eprintln!("synack: {}", e.message);
                let underline = e.underline(text);
                if !underline.is_empty() {
                    eprintln!("{underline}");
                }
                Err(ExitCode::from(2))
            }
        },
        None => Ok(None),
    };
    // With -2, the read filter runs in the first pass (see `tcp::read_filter`) and
    // the display filter in the second.
    let read_filter = match compile(&args.read_filter) {
        Ok(f) => f,
        Err(code) => return Ok(code),
    };
    let filter = match compile(&args.filter) {
        Ok(f) => f,
        Err(code) => return Ok(code),
    };
    let field_mode = args.format.as_deref() == Some("fields");
    let json_mode = match args.format.as_deref() {
        Some("json") => Some(false),
        Some("ek") => Some(true),
        _ => None,
    };
    if let Some(f) = args.format.as_deref()
        && f != "fields"
        && f != "text"
        && json_mode.is_none()
    {
        anyhow::bail!("unknown output format -T {f}: use fields, json, ek or text");
    }
    let json_options = crate::export::json::JsonOptions {
        fields: columns
            .iter()
            .filter_map(|c| match c {
                Column::Field(id) => Some(*id),
                _ => None,
            })
            .collect(),
        protocols: args
            .json_protocols
            .as_deref()
            .unwrap_or("")
            .split_whitespace()
            .map(str::to_string)
            .collect(),
    };
    let mut json_packets = 0usize;
    if field_mode && columns.is_empty() {
        anyhow::bail!("-T fields needs at least one -e FIELD");
    }
    let options = FieldOptions::parse(&args.field_options)?;
    let ranges = args
        .range
        .as_deref()
        .map(Ranges::parse)
        .transpose()
        .map_err(|e| match e {
            RangeError::Empty => anyhow::anyhow!("empty --range"),
            RangeError::Invalid { .. } => anyhow::anyhow!("--range: {e}"),
        })?;
    let out_format = match &args.write {
        Some(_) => Some(
            crate::capture::writer::Format::from_name(&args.out_format).with_context(|| {
                format!(
                    "unknown output format -F {}: use pcapng, pcap or nsecpcap",
                    args.out_format
                )
            })?,
        ),
        None => None,
    };

    let time_format = text::time::TimeFormat::from_flag(&args.time_format).with_context(|| {
        format!(
            "invalid -t format {:?}: use ad, a, r, d, dd, e, u or ud",
            args.time_format
        )
    })?;
    let Some(seconds_format) = text::time::SecondsFormat::from_flag(&args.seconds_format) else {
        eprintln!(
            "synack: Invalid seconds type \"{}\"; it must be one of:",
            args.seconds_format
        );
        eprintln!("\t\"s\"   for seconds");
        eprintln!("\t\"hms\" for hours, minutes and seconds");
        return Ok(ExitCode::from(1));
    };
    let writing = args.write.is_some();
    // Writing through a filter prints nothing, so the packets need not be examined
    // in order: the load evaluates the filter in passing. Not when the filter reads
    // the time since the previous *displayed* packet, which only a pass in order knows.
    // Nor with -2, whose filter may read links to later packets.
    let filter_in_load = match &filter {
        Some(f) if writing && ranges.is_none() && !args.two_pass && read_filter.is_none() => !f
            .fields()
            .contains(crate::dissect::frame::TIME_DELTA_DISPLAYED),
        _ => false,
    };
    let cannot_open = || format!("cannot open {}", args.file.display());
    // Every packet the filter keeps is written: the export can be written while the
    // load finds them, instead of after it.
    let mut streaming = match (&args.write, out_format) {
        (Some(path), Some(format)) if filter_in_load && args.count.is_none() => Some(
            crate::capture::writer::StreamingExport::create(&args.file, format, path)?,
        ),
        _ => None,
    };
    let (mut loaded, kept_in_load) = match &filter {
        Some(f) if filter_in_load => {
            let mut take = streaming
                .as_mut()
                .map(|s| move |packet: crate::capture::writer::PacketRef<'_>| s.packet(packet));
            let (loaded, kept, streamed) = Loaded::open_matching_into(
                &args.file,
                f,
                prefs,
                take.as_mut()
                    .map(|t| t as &mut dyn FnMut(crate::capture::writer::PacketRef<'_>)),
            )
            .with_context(cannot_open)?;
            if !streamed {
                // Loaded on one thread after all: the export is written afterwards.
                streaming = None;
            }
            (loaded, Some(kept))
        }
        _ => (
            Loaded::open_with(&args.file, prefs).with_context(cannot_open)?,
            None,
        ),
    };
    // `-2 -R`: the read filter's pass, over the first pass's answers.
    let read = match &read_filter {
        Some(rf) => {
            loaded.set_second_pass(false);
            let first = loaded.analysis();
            let noting = ReadFiltered::noting(&first);
            // TCP's analysis is asked for each segment only when its fields are wanted.
            let mut wanted = rf.fields();
            for name in ["tcp.stream", "tcp.analysis.acks_frame"] {
                if let Some(id) = registry::lookup(name) {
                    wanted.insert(id);
                }
            }
            let mut rd = Dissection::new(Want::Fields(wanted), false, false);
            let mut kept = FirstPassNumbers::default();
            let ts_of = |p: usize| loaded.capture.record(p).map(|r| r.ts_nanos);
            for i in 0..loaded.len() {
                rd.clear();
                let prev = i.checked_sub(1).and_then(ts_of);
                let Some(record) = loaded.dissect_with(i, (prev, prev), &noting, &mut rd) else {
                    continue;
                };
                // The filter reads the numbers the first pass gives: this packet's
                // is one more than the packets kept so far.
                renumber(&mut rd, &kept);
                if rf.matches(&rd, loaded.capture.bytes_of(&record)) {
                    kept.keep(u32::try_from(i).unwrap_or(u32::MAX));
                }
            }
            drop(rd);
            let notes = noting.into_notes();
            Some((kept, notes))
        }
        None => None,
    };
    loaded.set_second_pass(args.two_pass);
    let analysis = loaded.analysis();
    let (numbers, read_analysis) = match read {
        Some((numbers, notes)) => (Some(numbers), Some(notes)),
        None => (None, None),
    };
    let read_analysis = read_analysis
        .and_then(|notes| Some(ReadFiltered::numbered(&analysis, numbers.as_ref()?, notes)));
    let analysis_dyn: &dyn Analysis = match &read_analysis {
        Some(r) => r,
        None => &analysis,
    };
    // The time of the packet the second pass numbers `n`: tshark looks number 1 up
    // as its reference frame, the capture's first, whatever the read filter kept.
    let ts_of_number = |n: usize| -> Option<i64> {
        let i = match &numbers {
            _ if n == 0 => return None,
            Some(nums) if n > 1 => *nums.kept().get(n - 1)? as usize,
            Some(_) => 0,
            None => n - 1,
        };
        loaded.capture.record(i).map(|r| r.ts_nanos)
    };

    let want = if detail || json_mode.is_some() {
        Want::All
    } else {
        let mut set = filter.as_ref().map(Filter::fields).unwrap_or_default();
        for c in &columns {
            if let Column::Field(f) = c {
                set.insert(*f);
            }
        }
        if args.tcpdump {
            for f in text::tcpdump::FIELDS {
                if let Some(id) = registry::lookup(f) {
                    set.insert(id);
                }
            }
        }
        Want::Fields(set)
    };
    let need_columns = !field_mode || columns.iter().any(|c| !matches!(c, Column::Field(_)));
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    if field_mode && options.header {
        let names: Vec<String> = args.fields.clone();
        writeln!(out, "{}", names.join(&options.separator))?;
    }
    let limit = args.count.unwrap_or(usize::MAX).min(loaded.len());
    let mut prev_displayed = None;
    let mut tcpdump = text::tcpdump::Printer::new(args.absolute, args.verbose);
    let labels = detail
        || json_mode.is_some()
        || columns
            .iter()
            .any(|c| matches!(c, Column::Field(f) if registry::def(*f).is_protocol()));
    let need_columns = need_columns && !writing;
    let mut kept: Vec<usize> = kept_in_load
        .unwrap_or_default()
        .into_iter()
        .map(|i| i as usize)
        .take_while(|i| *i < limit)
        .collect();
    let sequential_end = if filter_in_load { 0 } else { limit };
    let order: Box<dyn Iterator<Item = usize>> = match &numbers {
        // tshark's `-c N` with `-2 -R` shows the kept packets up to the number its
        // first pass gave frame N.
        Some(nums) => {
            let shown = args.count.map_or(usize::MAX, |c| {
                nums.number_of(u32::try_from(c).unwrap_or(u32::MAX)) as usize
            });
            Box::new(nums.kept().iter().map(|k| *k as usize).take(shown))
        }
        None => Box::new(0..sequential_end),
    };
    let mut dd: Dissection<'_> = Dissection::new(want, labels, need_columns);
    for (place, i) in order.enumerate() {
        // The number shown: with a read filter, the place among the kept packets.
        let number = if numbers.is_some() { place + 1 } else { i + 1 };
        if let Some(r) = &ranges
            && !r.contains(number)
        {
            continue;
        }
        if writing && filter.is_none() {
            kept.push(i);
            continue;
        }
        dd.clear();
        let prev = (
            ts_of_number(number.saturating_sub(1)),
            prev_displayed.and_then(ts_of_number),
        );
        let Some(record) = loaded.dissect_with(i, prev, analysis_dyn, &mut dd) else {
            continue;
        };
        if let Some(nums) = &numbers {
            renumber(&mut dd, nums);
        }
        if filter
            .as_ref()
            .is_some_and(|f| !f.matches(&dd, loaded.capture.bytes_of(&record)))
        {
            continue;
        }
        if writing {
            kept.push(i);
            prev_displayed = Some(number);
            continue;
        }
        let first_ts = loaded.capture.record(0).map_or(0, |r| r.ts_nanos);
        let digits = loaded.capture.time_digits(&record);
        let mut summary = text::Summary::new(number, &record, first_ts, digits, &dd);
        let time_refs = text::time::TimeRefs {
            first_nanos: first_ts,
            prev_captured_nanos: number.checked_sub(1).and_then(ts_of_number),
            prev_displayed_nanos: prev_displayed.and_then(ts_of_number),
        };
        summary.time = text::time::time_text_in(
            time_format,
            seconds_format,
            record.ts_nanos,
            &time_refs,
            digits,
        );
        if let Some(ek) = json_mode {
            if ek {
                crate::export::json::write_ek_packet(
                    &mut out,
                    &dd,
                    record.ts_nanos,
                    &json_options,
                )?;
            } else {
                crate::export::json::write_json_packet(
                    &mut out,
                    &dd,
                    record.ts_nanos,
                    json_packets == 0,
                    &json_options,
                )?;
            }
            json_packets += 1;
        } else if args.tcpdump {
            if let Some(line) = tcpdump.line(&record, loaded.capture.bytes_of(&record), &dd) {
                writeln!(out, "{line}")?;
            }
        } else if field_mode {
            let cells: Vec<String> = columns
                .iter()
                .map(|c| cell(c, &dd, &summary, &options))
                .collect();
            writeln!(out, "{}", cells.join(&options.separator))?;
        } else {
            if detail {
                let only = (!args.only_protocols.is_empty()).then_some(&args.only_protocols[..]);
                // tshark -V dumps uninterpreted data in hex unless -x dumps it all.
                let data_hex = (!args.hex).then(|| loaded.capture.bytes_of(&record));
                text::write_tree_of(&mut out, &dd, only, data_hex)?;
            } else {
                writeln!(out, "{}", summary.line())?;
            }
            if args.hex {
                let (_, bytes) = loaded.capture.packet(i).unwrap_or((record, &[]));
                text::write_hex(&mut out, bytes, detail)?;
            }
            if detail {
                writeln!(out)?;
            }
        }
        prev_displayed = Some(number);
    }
    if json_mode == Some(false) {
        crate::export::json::json_end(&mut out, json_packets)?;
    }
    out.flush()?;
    if let Some(streamed) = streaming {
        streamed.commit(&loaded.capture)?;
    } else if let (Some(path), Some(format)) = (&args.write, out_format) {
        crate::capture::writer::export(&loaded.capture, &kept, format, path)?;
    }
    if let Some(stats) = &stats {
        return super::stats::run(stats);
    }
    Ok(super::finish(loaded))
}

/// Gives every frame number in `d` (the packet's own, the frames its fields link to)
/// the number tshark's `-2 -R` first pass gave that frame, in values and labels.
fn renumber(d: &mut Dissection<'_>, numbers: &FirstPassNumbers) {
    // The Info column names a duplicate ACK's original: "[TCP Dup ACK 31#2]".
    const DUP_ACK: &str = "[TCP Dup ACK ";
    if let Some(at) = d.columns.info.find(DUP_ACK) {
        let from = at + DUP_ACK.len();
        let rest = d.columns.info.get(from..).unwrap_or_default();
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if let Some(Ok(frame)) = rest.get(..digits).map(str::parse::<u32>) {
            let shown = numbers.number_of(frame).to_string();
            d.columns.info.replace_range(from..from + digits, &shown);
        }
    }
    for node in &mut d.nodes {
        if let Some(label) = &mut node.label {
            if node.field == crate::dissect::frame::FRAME {
                // "Frame 14: 468 bytes on wire …"
                *label = renumbered_after(label, "Frame ", numbers, 1);
            } else if label.contains("Reassembled") {
                // "[2 Reassembled TCP Segments (588 bytes): #12(186), #14(402)]"
                *label = renumbered_after(label, "#", numbers, usize::MAX);
            }
        }
        let frame = match node.value {
            Value::Frame(f) => f,
            Value::UInt(v) if node.field == crate::dissect::frame::NUMBER => {
                u32::try_from(v).unwrap_or(u32::MAX)
            }
            _ => continue,
        };
        let shown = numbers.number_of(frame);
        node.value = match node.value {
            Value::Frame(_) => Value::Frame(shown),
            _ => Value::UInt(u64::from(shown)),
        };
        if let Some(label) = &mut node.label {
            let old = frame.to_string();
            if let Some(head) = label.strip_suffix(&old) {
                *label = format!("{head}{shown}");
            } else {
                // "[Frame: 12, payload: 0-185 (186 bytes)]"
                *label = renumbered_after(label, "Frame: ", numbers, 1);
            }
        }
    }
}

/// `label` with the first `times` frame numbers that follow `marker` given their
/// `-2 -R` numbers.
fn renumbered_after(label: &str, marker: &str, numbers: &FirstPassNumbers, times: usize) -> String {
    let mut out = String::with_capacity(label.len());
    let mut rest = label;
    let mut done = 0;
    while done < times {
        let Some(at) = rest.find(marker) else {
            break;
        };
        let (head, tail) = rest.split_at(at + marker.len());
        out.push_str(head);
        let digits = tail.bytes().take_while(u8::is_ascii_digit).count();
        let (number, after) = tail.split_at(digits);
        match number.parse::<u32>() {
            Ok(frame) => out.push_str(&numbers.number_of(frame).to_string()),
            Err(_) => out.push_str(number),
        }
        rest = after;
        done += 1;
    }
    out.push_str(rest);
    out
}

fn cell(column: &Column, d: &Dissection<'_>, summary: &text::Summary, o: &FieldOptions) -> String {
    let values: Vec<String> = match column {
        Column::Field(id) => d
            .nodes
            .iter()
            .filter(|n| n.field == *id)
            .map(|n| n.fields_text())
            .collect(),
        Column::Number => vec![summary.number.clone()],
        Column::Time => vec![summary.time.clone()],
        Column::Source => vec![summary.source.clone()],
        Column::Destination => vec![summary.destination.clone()],
        Column::Protocol => vec![summary.protocol.clone()],
        Column::Length => vec![summary.length.clone()],
        Column::Info => vec![summary.info.clone()],
    };
    let chosen: Vec<String> = match o.occurrence {
        'f' => values.into_iter().take(1).collect(),
        'l' => values.into_iter().last().into_iter().collect(),
        _ => values,
    };
    let joined = chosen.join(&o.aggregator);
    match o.quote {
        Some(q) if !joined.is_empty() => format!("{q}{joined}{q}"),
        _ => joined,
    }
}
