//! What the panes show, computed from the shared capture under a read lock and kept
//! as plain data, so the panes draw without touching the engine or any lock.

use crate::dissect::value::{Value, field_text};
use crate::dissect::{Dissection, FieldId, FieldSet, Severity, Want, registry, teach};
use crate::export::text::Summary;
use crate::filter::Filter;
use crate::tcp::Loaded;
use eframe::egui::Color32;
use std::collections::HashMap;

/// One row of the packet list.
#[derive(Debug, Clone, Default)]
pub struct Row {
    /// The seven columns (the Time column is printed from the times below).
    pub summary: Summary,
    /// Its timestamp.
    pub ts_nanos: i64,
    /// The capture's first timestamp.
    pub first_nanos: i64,
    /// The previous packet's timestamp in the file.
    pub prev_captured_nanos: Option<i64>,
    /// The file's timestamp digits (6 for a microsecond pcap).
    pub digits: u8,
    /// Its TCP stream.
    pub stream: Option<u32>,
    /// The frame this packet acknowledges (`tcp.analysis.acks_frame`).
    pub acks_frame: Option<u32>,
    /// Values of the columns added from the tree: (field name, text).
    pub fields: Vec<(String, String)>,
    /// The teaching step (`handshake-1`...), empty for non-TCP packets.
    pub step: String,
    /// Colouring-rule colours (background, foreground), if a rule matched.
    pub colors: Option<(Color32, Color32)>,
    /// Name of the colouring rule that matched.
    pub rule: Option<&'static str>,
}

/// Compiled colouring rules (those our filter language accepts).
#[derive(Debug)]
pub struct Coloring {
    rules: Vec<(&'static str, Filter, Color32, Color32)>,
    fields: FieldSet,
}

impl Coloring {
    /// Compiles Wireshark's default rules.
    pub fn new() -> Self {
        let mut rules = Vec::new();
        let mut fields = FieldSet::new();
        for (name, text, bg, fg) in super::theme::COLORING_RULES {
            if let Ok(f) = Filter::compile(text) {
                for id in registry::all().map(|(id, _)| id) {
                    if f.fields().contains(id) {
                        fields.insert(id);
                    }
                }
                rules.push((*name, f, *bg, *fg));
            }
        }
        Coloring { rules, fields }
    }

    fn apply(&self, d: &Dissection<'_>, frame: &[u8]) -> Option<(&'static str, Color32, Color32)> {
        self.rules
            .iter()
            .find(|(_, f, _, _)| f.matches(d, frame))
            .map(|(n, _, bg, fg)| (*n, *bg, *fg))
    }
}

impl Default for Coloring {
    fn default() -> Self {
        Self::new()
    }
}

/// Rows computed so far, by packet index (cleared when it grows too big).
#[derive(Debug, Default)]
pub struct RowCache {
    rows: HashMap<usize, Row>,
    /// The fields of the added columns: name and id.
    fields: Vec<(String, FieldId)>,
}

impl RowCache {
    /// Most rows kept.
    const LIMIT: usize = 20_000;

    /// Forgets every row (new capture, new time format).
    pub fn clear(&mut self) {
        self.rows.clear();
    }

    /// Shows the values of these fields (the added columns' names) in each row;
    /// rows computed for another set are forgotten.
    pub fn set_fields(&mut self, names: &[&str]) {
        let same = self.fields.len() == names.len()
            && self.fields.iter().zip(names).all(|((a, _), b)| a == b);
        if !same {
            self.fields = names
                .iter()
                .filter_map(|n| registry::lookup(n).map(|id| (n.to_string(), id)))
                .collect();
            self.rows.clear();
        }
    }

    /// The row of packet `i`, computing it from `loaded` when needed.
    pub fn row(&mut self, loaded: Option<&Loaded>, i: usize, coloring: &Coloring) -> Option<&Row> {
        if !self.rows.contains_key(&i) {
            let loaded = loaded?;
            if self.rows.len() > Self::LIMIT {
                self.rows.clear();
            }
            let row = compute_row(loaded, i, coloring, &self.fields)?;
            self.rows.insert(i, row);
        }
        self.rows.get(&i)
    }
}

/// The text of every occurrence of `id` in `d`, joined by commas (as tshark's
/// `-T fields` aggregates them).
fn values_text(d: &Dissection<'_>, id: FieldId) -> String {
    let def = registry::def(id);
    let texts: Vec<String> = d
        .nodes
        .iter()
        .filter(|n| n.field == id)
        .map(|n| match &n.value {
            Value::Str(s) => String::from_utf8_lossy(s).into_owned(),
            Value::None => String::new(),
            v => field_text(def, v),
        })
        .collect();
    texts.join(",")
}

fn compute_row(
    loaded: &Loaded,
    i: usize,
    coloring: &Coloring,
    fields: &[(String, FieldId)],
) -> Option<Row> {
    let analysis = loaded.analysis();
    let mut want = coloring.fields.clone();
    want.insert(teach::STEP);
    let acks = registry::lookup("tcp.analysis.acks_frame");
    if let Some(id) = acks {
        want.insert(id);
    }
    for (_, id) in fields {
        want.insert(*id);
    }
    let mut d = Dissection::new(Want::Fields(want), false, true);
    let record = loaded.dissect_into(i, i.checked_sub(1), &analysis, &mut d)?;
    let first_nanos = loaded
        .capture
        .record(0)
        .map_or(record.ts_nanos, |r| r.ts_nanos);
    let digits = loaded.capture.time_digits(&record);
    let summary = Summary::new(i + 1, &record, first_nanos, digits, &d);
    let step = match d.first(teach::STEP) {
        Some(Value::Str(s)) => String::from_utf8_lossy(s).into_owned(),
        _ => String::new(),
    };
    let acks_frame = acks.and_then(|id| match d.first(id) {
        Some(Value::Frame(f)) => Some(*f),
        _ => None,
    });
    let matched = coloring.apply(&d, loaded.capture.bytes_of(&record));
    Some(Row {
        summary,
        ts_nanos: record.ts_nanos,
        first_nanos,
        prev_captured_nanos: i
            .checked_sub(1)
            .and_then(|p| loaded.capture.record(p))
            .map(|r| r.ts_nanos),
        digits,
        stream: crate::tcp::results::stream_of(record),
        acks_frame,
        fields: fields
            .iter()
            .map(|(name, id)| (name.clone(), values_text(&d, *id)))
            .collect(),
        step,
        colors: matched.map(|(_, bg, fg)| (bg, fg)),
        rule: matched.map(|(n, _, _)| n),
    })
}

/// One line of the detail tree.
#[derive(Debug, Clone)]
pub struct TreeLine {
    /// Nesting depth.
    pub depth: u8,
    /// The field's filter name (`tcp.seq`), for the status bar and Apply as Column.
    pub abbrev: &'static str,
    /// The field's name (`Sequence Number`).
    pub name: &'static str,
    /// The label as Wireshark shows it.
    pub label: String,
    /// Byte range in `source`.
    pub start: usize,
    /// Length of the range.
    pub len: usize,
    /// Data source (0: the frame).
    pub source: u8,
    /// A display filter that selects packets with this value (`tcp.flags.syn == 1`).
    pub filter: Option<String>,
    /// The value alone, for "copy value".
    pub value: String,
    /// Expert severity, if the item carries one.
    pub expert: Option<Severity>,
    /// Whether the next line is a child of this one.
    pub has_children: bool,
}

/// Everything the panes show about the selected packet.
#[derive(Debug, Clone, Default)]
pub struct Details {
    /// Packet index.
    pub index: usize,
    /// The tree.
    pub lines: Vec<TreeLine>,
    /// Data sources: the frame first, then reassembled data.
    pub sources: Vec<(String, Vec<u8>)>,
    /// TCP stream, if any.
    pub stream: Option<u32>,
    /// Teaching: step, sender state, receiver state, relation, sentence.
    pub teaching: Option<[String; 5]>,
    /// The summary line.
    pub summary: Summary,
    /// The packet diagrams of its headers, each box's node turned into its tree line.
    pub diagrams: Vec<crate::export::diagram::Diagram>,
    /// Frames this packet points to (its request or response, the segment it
    /// acknowledges...), for the markers in the list.
    pub related: Vec<(u32, Relation)>,
}

/// How a packet relates to the selected one (Wireshark's related-packet marks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// The request the selected packet answers.
    Request,
    /// The response to the selected packet.
    Response,
    /// The segment the selected packet acknowledges.
    Acked,
    /// Another frame the selected packet refers to (a retransmitted segment...).
    Other,
}

impl Relation {
    /// The relation a frame-number field names.
    /// The field's last name part decides, as Wireshark's frame-number types do:
    /// `http.prev_request_in` names an earlier request, not this one's.
    fn of(abbrev: &str) -> Relation {
        match abbrev.rsplit('.').next().unwrap_or(abbrev) {
            "acks_frame" => Relation::Acked,
            "response_to" | "resp_to" | "request_in" | "request_frame" => Relation::Request,
            "response_in" | "resp_in" => Relation::Response,
            _ => Relation::Other,
        }
    }

    /// The mark in the No. column.
    pub fn mark(self) -> &'static str {
        match self {
            Relation::Request => "→",
            Relation::Response => "←",
            Relation::Acked => "✓",
            Relation::Other => "•",
        }
    }
}

/// A filter expression selecting `value` of the field `def`.
pub fn filter_expression(
    abbrev: &str,
    def: &crate::dissect::FieldDef,
    value: &Value<'_>,
) -> Option<String> {
    use crate::dissect::field::Kind;
    Some(match (&def.kind, value) {
        (Kind::Protocol | Kind::None, _) => abbrev.to_string(),
        (_, Value::Str(s)) => {
            let text = String::from_utf8_lossy(s)
                .replace('\\', "\\\\")
                .replace('"', "\\\"");
            format!("{abbrev} == \"{text}\"")
        }
        (_, Value::Bytes(b)) if b.is_empty() => return None,
        (_, Value::Bytes(b)) => format!(
            "{abbrev} == {}",
            crate::dissect::value::hex_text(b, Some(':'))
        ),
        (Kind::AbsTime, Value::Time(t)) => format!(
            "{abbrev} == \"{}\"",
            crate::dissect::time::local_time_text(*t, 9)
        ),
        (_, v) => format!("{abbrev} == {}", field_text(def, v)),
    })
}

/// Dissects packet `index` fully for the detail tree and the bytes pane.
pub fn details(loaded: &Loaded, index: usize) -> Option<Details> {
    let analysis = loaded.analysis();
    let mut d = Dissection::new(Want::All, true, true);
    let record = loaded.dissect_into(index, index.checked_sub(1), &analysis, &mut d)?;
    let frame = loaded.capture.bytes_of(&record).to_vec();
    let mut lines: Vec<TreeLine> = Vec::with_capacity(d.nodes.len());
    let mut teaching: [String; 5] = Default::default();
    // The tree line of each node (hidden nodes have none).
    let mut line_of = Vec::with_capacity(d.nodes.len());
    let mut related = Vec::new();
    for node in &d.nodes {
        line_of.push(lines.len());
        let def = node.def();
        if let Value::Frame(f) = node.value
            && f as usize != index + 1
            && !def.abbrev.starts_with("frame.")
        {
            related.push((f, Relation::of(def.abbrev)));
        }
        let text = |v: &Value<'_>| match v {
            Value::Str(s) => String::from_utf8_lossy(s).into_owned(),
            other => field_text(def, other),
        };
        match def.abbrev {
            "synack.step" => teaching[0] = text(&node.value),
            "synack.sender_state" => teaching[1] = text(&node.value),
            "synack.receiver_state" => teaching[2] = text(&node.value),
            "synack.relation" => teaching[3] = text(&node.value),
            "synack.explain" => teaching[4] = text(&node.value),
            // The offload lesson follows the explanation in the teaching strip.
            "synack.offload" => {
                teaching[4].push(' ');
                teaching[4].push_str(&text(&node.value));
            }
            _ => {}
        }
        if node.is_hidden() {
            continue;
        }
        let is_text = node.field == crate::dissect::ws::TEXT;
        lines.push(TreeLine {
            depth: node.depth,
            abbrev: def.abbrev,
            name: def.name,
            label: node.label(),
            start: node.start as usize,
            len: node.len as usize,
            source: node.source,
            filter: if is_text {
                None
            } else {
                filter_expression(def.abbrev, def, &node.value)
            },
            value: if matches!(node.value, Value::None) {
                node.label()
            } else {
                text(&node.value)
            },
            expert: node.expert.as_ref().map(|e| e.severity),
            has_children: false,
        });
    }
    for k in 0..lines.len() {
        let next_depth = lines.get(k + 1).map(|l| l.depth);
        if let (Some(nd), Some(line)) = (next_depth, lines.get_mut(k)) {
            line.has_children = nd > line.depth;
        }
    }
    let mut sources = vec![("Frame".to_string(), frame.clone())];
    for (name, bytes) in &d.sources {
        sources.push((name.clone(), bytes.clone()));
    }
    let summary = Summary::new(
        index + 1,
        &record,
        loaded.capture.record(0).map_or(0, |r| r.ts_nanos),
        6,
        &d,
    );
    let mut diagrams = crate::export::diagram::diagrams(&d);
    for b in diagrams.iter_mut().flat_map(|g| g.boxes.iter_mut()) {
        b.node = line_of.get(b.node).copied().unwrap_or(0);
    }
    Some(Details {
        index,
        diagrams,
        lines,
        sources,
        stream: crate::tcp::results::stream_of(record),
        teaching: (!teaching[0].is_empty()).then_some(teaching),
        summary,
        related,
    })
}
