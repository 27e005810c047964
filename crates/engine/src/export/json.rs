//! tshark 4.0's `-T json` (one pretty-printed array of packets, the tree as nested
//! objects) and `-T ek` (Elasticsearch's bulk format: an index line and a flat
//! document line per packet), with `-e` field selection and `-j` protocol filters.

use crate::dissect::field::{Base, Kind};
use crate::dissect::tree::EXPERT_ITEM;
use crate::dissect::value::{field_text, hex_text};
use crate::dissect::{Dissection, Expert, FieldId, Node, Severity, Value, registry, ws};
use std::io::{self, Write};

/// What a JSON or EK document holds.
#[derive(Debug, Clone, Default)]
pub struct JsonOptions {
    /// `-e`: only these fields, as arrays of their values (empty: the whole tree).
    pub fields: Vec<FieldId>,
    /// `-j`: top-level protocols shown in full; the others are reduced to
    /// `{"filtered": NAME}` (empty: all in full).
    pub protocols: Vec<String>,
}

/// The index name tshark gives a packet: `packets-` and its UTC date.
fn index_name(ts_nanos: i64) -> String {
    let secs = ts_nanos.div_euclid(1_000_000_000);
    match jiff::Timestamp::from_second(secs) {
        Ok(t) => format!("packets-{}", t.strftime("%Y-%m-%d")),
        Err(_) => "packets-1970-01-01".to_string(),
    }
}

/// A JSON string literal.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

/// The top-level items of `nodes` (the layers), each with its index and where its
/// subtree ends (`ends`, from [`subtree_ends`]).
fn layers<'n, 'a>(
    nodes: &'n [Node<'a>],
    ends: &'n [usize],
) -> impl Iterator<Item = (usize, usize, &'n Node<'a>)> {
    let mut i = 0;
    std::iter::from_fn(move || {
        let node = nodes.get(i)?;
        let end = ends.get(i).copied().unwrap_or(nodes.len());
        let at = i;
        i = end.max(i + 1);
        Some((at, end, node))
    })
}

/// Where each node's children end: `ends[i]` is one past node i's last descendant.
fn subtree_ends(nodes: &[Node<'_>]) -> Vec<usize> {
    let mut ends = vec![nodes.len(); nodes.len()];
    let mut open: Vec<usize> = Vec::new();
    for (i, n) in nodes.iter().enumerate() {
        while let Some(&top) = open.last() {
            let top_depth = nodes.get(top).map_or(0, |t| t.depth);
            if top_depth >= n.depth {
                if let Some(e) = ends.get_mut(top) {
                    *e = i;
                }
                open.pop();
            } else {
                break;
            }
        }
        open.push(i);
    }
    ends
}

/// A node's key in `-T json`: the field name, or a text item's label.
fn json_key(node: &Node<'_>) -> String {
    if node.field == ws::TEXT {
        node.label
            .clone()
            .unwrap_or_else(|| registry::def(node.field).name.to_string())
    } else {
        registry::def(node.field).abbrev.to_string()
    }
}

/// A node's value as tshark writes it in `-T json`: its `-T fields` text, but bytes
/// always with colons between them (the display form, where `-T fields` joins
/// some without).
fn json_value(node: &Node<'_>) -> String {
    let def = registry::def(node.field);
    match (def.kind, &node.value) {
        // The truncation notice carries its text as its label.
        (Kind::Protocol, _) if node.field == ws::SHORT => node.label(),
        (Kind::Protocol | Kind::None, _) => String::new(),
        (Kind::Bytes { .. }, Value::Bytes(b)) => hex_text(b, Some(':')),
        // The string itself (JSON escapes it), not `-T fields`' escaped text.
        (Kind::Str, Value::Str(b)) => String::from_utf8_lossy(b).into_owned(),
        _ => field_text(def, &node.value),
    }
}

/// Whether tshark knows the field as a boolean: a flag, or a one-bit field named by
/// its meaning (synack keeps those as numbers with names, for their labels).
fn is_boolean(kind: Kind) -> bool {
    match kind {
        Kind::Bool { .. } => true,
        Kind::UInt {
            base: Base::Names,
            mask,
            ..
        } => mask.count_ones() == 1,
        _ => false,
    }
}

/// tshark's numbers for an expert item's severity and group (`PI_*` in epan).
fn expert_codes(e: &Expert) -> (u32, u32) {
    let severity = match e.severity {
        Severity::Chat => 0x0020_0000,
        Severity::Note => 0x0040_0000,
        Severity::Warning => 0x0060_0000,
        Severity::Error => 0x0080_0000,
    };
    let group = match e.group {
        "Checksum" => 0x0100_0000,
        "Sequence" => 0x0200_0000,
        "Response" => 0x0300_0000,
        "Request" => 0x0400_0000,
        "Undecoded" => 0x0500_0000,
        "Reassemble" => 0x0600_0000,
        "Malformed" => 0x0700_0000,
        "Debug" => 0x0800_0000,
        "Protocol" => 0x0900_0000,
        "Security" => 0x0a00_0000,
        "Comment" => 0x0b00_0000,
        "Decryption" => 0x0c00_0000,
        "Assumption" => 0x0d00_0000,
        "Deprecated" => 0x0e00_0000,
        _ => 0,
    };
    (severity, group)
}

/// The expert item a node is itself (`proto_tree_add_expert`), which tshark writes as
/// a `_ws.expert` object holding the item's field, message, severity and group.
fn expert_item<'n>(node: &'n Node<'_>) -> Option<&'n Expert> {
    if node.flags & EXPERT_ITEM != 0 {
        node.expert.as_deref()
    } else {
        None
    }
}

/// Whether a node opens an object of its own (rather than a value and a `_tree`).
fn is_container(node: &Node<'_>) -> bool {
    node.field == ws::TEXT || matches!(registry::def(node.field).kind, Kind::Protocol | Kind::None)
}

fn indent(out: &mut impl Write, level: usize) -> io::Result<()> {
    write!(out, "{:width$}", "", width = level * 2)
}

/// Writes the members `range` of the tree (siblings at one depth and their
/// subtrees) as `-T json` object members at `level`.
fn json_members(
    out: &mut impl Write,
    nodes: &[Node<'_>],
    ends: &[usize],
    range: std::ops::Range<usize>,
    level: usize,
) -> io::Result<()> {
    let mut i = range.start;
    let mut first = true;
    while i < range.end {
        let Some(node) = nodes.get(i) else { break };
        let end = ends.get(i).copied().unwrap_or(range.end).min(range.end);
        if !first {
            writeln!(out, ",")?;
        }
        first = false;
        let key = json_key(node);
        indent(out, level)?;
        if let Some(e) = expert_item(node) {
            let (severity, group) = expert_codes(e);
            writeln!(out, "\"_ws.expert\": {{")?;
            let members = [
                (key.clone(), String::new()),
                ("_ws.expert.message".to_string(), e.message.to_string()),
                ("_ws.expert.severity".to_string(), severity.to_string()),
                ("_ws.expert.group".to_string(), group.to_string()),
            ];
            for (n, (k, v)) in members.iter().enumerate() {
                indent(out, level + 1)?;
                write!(out, "{}: {}", quoted(k), quoted(v))?;
                writeln!(out, "{}", if n + 1 < members.len() { "," } else { "" })?;
            }
            indent(out, level)?;
            write!(out, "}}")?;
        } else if end > i + 1 {
            if is_container(node) {
                writeln!(out, "{}: {{", quoted(&key))?;
            } else {
                writeln!(out, "{}: {},", quoted(&key), quoted(&json_value(node)))?;
                indent(out, level)?;
                writeln!(out, "{}: {{", quoted(&format!("{key}_tree")))?;
            }
            json_members(out, nodes, ends, i + 1..end, level + 1)?;
            writeln!(out)?;
            indent(out, level)?;
            write!(out, "}}")?;
        } else {
            write!(out, "{}: {}", quoted(&key), quoted(&json_value(node)))?;
        }
        i = end;
    }
    Ok(())
}

/// Whether `-j` shows this top-level protocol in full.
fn shown(options: &JsonOptions, node: &Node<'_>) -> bool {
    options.protocols.is_empty()
        || options
            .protocols
            .iter()
            .any(|p| p == registry::def(node.field).abbrev)
}

/// The values of `-e` fields in `d`, as tshark lists them.
fn selected<'d>(
    d: &'d Dissection<'_>,
    options: &'d JsonOptions,
) -> impl Iterator<Item = (FieldId, Vec<&'d Node<'d>>)> + 'd {
    options.fields.iter().filter_map(move |id| {
        let found: Vec<&Node<'_>> = d.nodes.iter().filter(|n| n.field == *id).collect();
        (!found.is_empty()).then_some((*id, found))
    })
}

/// Writes one packet of `-T json`; `first` is true for the first packet (the caller
/// writes `[` before it and `\n]\n` after the last: [`json_end`]).
pub fn write_json_packet(
    out: &mut impl Write,
    d: &Dissection<'_>,
    ts_nanos: i64,
    first: bool,
    options: &JsonOptions,
) -> io::Result<()> {
    if first {
        writeln!(out, "[")?;
    } else {
        writeln!(out, ",")?;
    }
    writeln!(out, "  {{")?;
    writeln!(out, "    \"_index\": {},", quoted(&index_name(ts_nanos)))?;
    writeln!(out, "    \"_type\": \"doc\",")?;
    writeln!(out, "    \"_score\": null,")?;
    writeln!(out, "    \"_source\": {{")?;
    writeln!(out, "      \"layers\": {{")?;
    if options.fields.is_empty() {
        let nodes = &d.nodes;
        let ends = subtree_ends(nodes);
        let mut first_layer = true;
        for (i, end, node) in layers(nodes, &ends) {
            if !first_layer {
                writeln!(out, ",")?;
            }
            first_layer = false;
            if shown(options, node) {
                json_members(out, nodes, &ends, i..end, 4)?;
            } else {
                let name = registry::def(node.field).abbrev;
                indent(out, 4)?;
                writeln!(out, "{}: {{", quoted(name))?;
                indent(out, 5)?;
                writeln!(out, "\"filtered\": {}", quoted(name))?;
                indent(out, 4)?;
                write!(out, "}}")?;
            }
        }
        if !first_layer {
            writeln!(out)?;
        }
    } else {
        let mut first_field = true;
        for (id, found) in selected(d, options) {
            if !first_field {
                writeln!(out, ",")?;
            }
            first_field = false;
            writeln!(out, "        {}: [", quoted(registry::def(id).abbrev))?;
            let values: Vec<String> = found
                .iter()
                .map(|n| format!("          {}", quoted(&n.fields_text())))
                .collect();
            writeln!(out, "{}", values.join(",\n"))?;
            write!(out, "        ]")?;
        }
        if !first_field {
            writeln!(out)?;
        }
    }
    writeln!(out, "      }}")?;
    writeln!(out, "    }}")?;
    write!(out, "  }}")
}

/// Ends a `-T json` output: `packets` is how many were written (none: `[]`? tshark
/// writes `[\n]` then).
pub fn json_end(out: &mut impl Write, packets: usize) -> io::Result<()> {
    if packets == 0 {
        writeln!(out, "[")?;
        writeln!(out, "]")
    } else {
        writeln!(out)?;
        writeln!(out, "]")
    }
}

/// A field's key in `-T ek`: its protocol's name and its own, dots as underscores
/// (a protocol item is its own name alone).
fn ek_key(node: &Node<'_>) -> String {
    let def = registry::def(node.field);
    let name = if def.is_protocol() {
        def.abbrev.to_string()
    } else {
        let proto = registry::def(registry::protocol_of(node.field)).abbrev;
        format!("{proto}_{}", def.abbrev)
    };
    name.replace('.', "_")
}

/// A node's value in `-T ek`: flags as booleans, labels without a value as null,
/// absolute times in ISO 8601, everything else as its `-T fields` text.
fn ek_value(node: &Node<'_>) -> String {
    let def = registry::def(node.field);
    match (def.kind, &node.value) {
        (Kind::None | Kind::Protocol, _) => "null".to_string(),
        (kind, v) if is_boolean(kind) => {
            let on = match v {
                Value::Bool(b) => *b,
                other => other.as_u64().is_some_and(|n| n != 0),
            };
            on.to_string()
        }
        (Kind::AbsTime | Kind::AbsTimeUtc, Value::Time(ns)) => {
            let secs = ns.div_euclid(1_000_000_000);
            let frac = ns.rem_euclid(1_000_000_000);
            match jiff::Timestamp::from_second(secs) {
                Ok(t) => quoted(&format!("{}.{frac:09}Z", t.strftime("%Y-%m-%dT%H:%M:%S"))),
                Err(_) => quoted(&field_text(def, &node.value)),
            }
        }
        _ => quoted(&json_value(node)),
    }
}

/// A node's key and value (JSON text) in `-T ek`; an expert item is a `_ws_expert`
/// object of its field, message, severity and group.
fn ek_entry(node: &Node<'_>) -> (String, String) {
    match expert_item(node) {
        Some(e) => {
            let (severity, group) = expert_codes(e);
            let value = format!(
                "{{{}:null,\"_ws_expert__ws_expert_message\":{},\"_ws_expert__ws_expert_severity\":\"{severity}\",\"_ws_expert__ws_expert_group\":\"{group}\"}}",
                quoted(&ek_key(node)),
                quoted(&e.message)
            );
            ("_ws_expert".to_string(), value)
        }
        None => (ek_key(node), ek_value(node)),
    }
}

/// Writes the flat members of one protocol layer: each descendant once, runs of
/// siblings with one key as an array; nested protocols as objects of their own.
fn ek_members(
    out: &mut Vec<u8>,
    nodes: &[Node<'_>],
    ends: &[usize],
    range: std::ops::Range<usize>,
    first: &mut bool,
) -> io::Result<()> {
    let mut i = range.start;
    while i < range.end {
        let Some(node) = nodes.get(i) else { break };
        let end = ends.get(i).copied().unwrap_or(range.end).min(range.end);
        let sep = |out: &mut Vec<u8>, first: &mut bool| -> io::Result<()> {
            if !*first {
                out.write_all(b",")?;
            }
            *first = false;
            Ok(())
        };
        let def = registry::def(node.field);
        if def.is_protocol() && end > i + 1 {
            sep(out, first)?;
            write!(out, "{}:{{", quoted(&ek_key(node)))?;
            let mut inner_first = true;
            ek_members(out, nodes, ends, i + 1..end, &mut inner_first)?;
            out.write_all(b"}")?;
            i = end;
            continue;
        }
        if node.field == ws::TEXT {
            sep(out, first)?;
            let label = node.label.clone().unwrap_or_default();
            write!(out, "\"text\":{}", quoted(&label))?;
        } else {
            // Leaf siblings with the same key make an array.
            let (key, value) = ek_entry(node);
            let mut values = vec![value];
            let mut j = end;
            if end == i + 1 {
                while j < range.end {
                    let Some(next) = nodes.get(j) else { break };
                    let next_end = ends.get(j).copied().unwrap_or(range.end);
                    if next.depth != node.depth || next_end != j + 1 {
                        break;
                    }
                    let (next_key, next_value) = ek_entry(next);
                    if next_key != key {
                        break;
                    }
                    values.push(next_value);
                    j += 1;
                }
            }
            sep(out, first)?;
            if values.len() > 1 {
                write!(out, "{}:[{}]", quoted(&key), values.join(","))?;
            } else {
                write!(out, "{}:{}", quoted(&key), values.join(""))?;
            }
            if j > end {
                i = j;
                continue;
            }
        }
        // The subtree is flattened into the same object.
        ek_members(out, nodes, ends, i + 1..end, first)?;
        i = end.max(i + 1);
    }
    Ok(())
}

/// Writes one packet of `-T ek`: the bulk index line, then the document.
pub fn write_ek_packet(
    out: &mut impl Write,
    d: &Dissection<'_>,
    ts_nanos: i64,
    options: &JsonOptions,
) -> io::Result<()> {
    writeln!(
        out,
        "{{\"index\":{{\"_index\":{},\"_type\":\"doc\"}}}}",
        quoted(&index_name(ts_nanos))
    )?;
    let millis = ts_nanos.div_euclid(1_000_000);
    let mut doc: Vec<u8> = Vec::with_capacity(4096);
    write!(doc, "{{\"timestamp\":\"{millis}\",\"layers\":{{")?;
    if options.fields.is_empty() {
        let nodes = &d.nodes;
        let ends = subtree_ends(nodes);
        let mut first_layer = true;
        for (i, end, node) in layers(nodes, &ends) {
            if !first_layer {
                doc.push(b',');
            }
            first_layer = false;
            let name = registry::def(node.field).abbrev;
            write!(doc, "{}:{{", quoted(&name.replace('.', "_")))?;
            if options.protocols.is_empty() {
                let mut first = true;
                ek_members(&mut doc, nodes, &ends, i + 1..end, &mut first)?;
            } else if shown(options, node) {
                // tshark 4.0's -j names each field of a matched protocol without
                // its value.
                let mut first = true;
                for child in nodes.get(i + 1..end).unwrap_or(&[]) {
                    if child.depth != node.depth + 1 || child.field == ws::TEXT {
                        continue;
                    }
                    if !first {
                        doc.push(b',');
                    }
                    first = false;
                    let abbrev = registry::def(child.field).abbrev;
                    write!(
                        doc,
                        "{}:{{\"filtered\":{}}}",
                        quoted(&ek_key(child)),
                        quoted(abbrev)
                    )?;
                }
            } else {
                write!(doc, "\"filtered\":{}", quoted(name))?;
            }
            doc.push(b'}');
        }
    } else {
        let mut first = true;
        for (id, found) in selected(d, options) {
            if !first {
                doc.push(b',');
            }
            first = false;
            let key = registry::def(id).abbrev.replace('.', "_");
            let values: Vec<String> = found.iter().map(|n| quoted(&n.fields_text())).collect();
            write!(doc, "{}:[{}]", quoted(&key), values.join(","))?;
        }
    }
    doc.extend_from_slice(b"}}\n");
    out.write_all(&doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_names_use_the_utc_date() {
        assert_eq!(index_name(1_795_564_580_177_245_000), "packets-2026-11-24");
    }
}
