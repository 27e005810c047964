//! The packet diagram: a header drawn as its RFC draws it, 32 bits a row, each field
//! in a box with its value, TCP's flag bits one box each (the set ones lit), options
//! in one box. The layouts are the RFCs' (791, 8200, 768, 9293, 792, IEEE 802.3), not
//! guessed from byte ranges, so every box sits on the bits the standard gives it; the
//! values come from the dissection, so each box knows its tree item. The window draws
//! the boxes itself and exports the same diagram through [`svg`].

use crate::dissect::field::Kind;
use crate::dissect::value::field_text;
use crate::dissect::{Dissection, Value};
use std::fmt::Write as _;

/// Bits in one row of the diagram.
pub const ROW_BITS: u32 = 32;

/// One field's box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldBox {
    /// The field's Wireshark name (`tcp.flags.syn`).
    pub abbrev: &'static str,
    /// The short name drawn in the box (`SYN`).
    pub name: &'static str,
    /// The value drawn under it.
    pub value: String,
    /// The tree item's whole label, for a tooltip.
    pub label: String,
    /// First bit, from the start of the header.
    pub bit: u32,
    /// Width in bits.
    pub bits: u32,
    /// The node of the dissection this box shows.
    pub node: usize,
    /// A flag bit that is set (drawn lit).
    pub lit: bool,
}

/// One protocol's header as boxes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagram {
    /// The protocol's name as the Protocol column writes it (`TCP`).
    pub protocol: &'static str,
    /// Bits of the whole header (a multiple of 8).
    pub bits: u32,
    /// The boxes, in bit order.
    pub boxes: Vec<FieldBox>,
}

/// A part of a box that lies on consecutive rows between the same two bit columns:
/// a box crossing row ends is drawn as up to three blocks (the end of its first row,
/// the full rows, the start of its last row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    /// First row.
    pub row: u32,
    /// Rows it spans.
    pub rows: u32,
    /// First bit column (0..32).
    pub from: u32,
    /// Bit column after its last (1..=32).
    pub to: u32,
}

/// The block with the most room, where a box's name and value are written.
pub fn widest(parts: &[Block]) -> Option<Block> {
    parts
        .iter()
        .copied()
        .max_by_key(|p| (p.to - p.from) * p.rows)
}

/// The blocks of the bits `[bit, bit + bits)`.
pub fn blocks(bit: u32, bits: u32) -> Vec<Block> {
    let mut out = Vec::new();
    let end = bit.saturating_add(bits);
    let mut at = bit;
    if !at.is_multiple_of(ROW_BITS) && at < end {
        let to = (at - at % ROW_BITS + ROW_BITS).min(end);
        out.push(Block {
            row: at / ROW_BITS,
            rows: 1,
            from: at % ROW_BITS,
            to: to - (at - at % ROW_BITS),
        });
        at = to;
    }
    let full = (end - at) / ROW_BITS;
    if full > 0 {
        out.push(Block {
            row: at / ROW_BITS,
            rows: full,
            from: 0,
            to: ROW_BITS,
        });
        at += full * ROW_BITS;
    }
    if at < end {
        out.push(Block {
            row: at / ROW_BITS,
            rows: 1,
            from: 0,
            to: end - at,
        });
    }
    out
}

/// One box of a layout: a field on fixed bits of the header.
struct Spec {
    abbrev: &'static str,
    name: &'static str,
    bit: u32,
    bits: u32,
}

const fn spec(abbrev: &'static str, name: &'static str, bit: u32, bits: u32) -> Spec {
    Spec {
        abbrev,
        name,
        bit,
        bits,
    }
}

/// What follows the fixed header: a box for the options up to the header length a
/// field gives, in bytes (`scale` turns the field's value into bytes).
struct Options {
    abbrev: &'static str,
    length_field: &'static str,
    scale: u64,
}

/// A protocol's layout.
struct Layout {
    protocol: &'static str,
    proto_abbrev: &'static str,
    fixed_bits: u32,
    specs: &'static [Spec],
    options: Option<Options>,
}

/// RFC 9293 section 3.1.
const TCP: Layout = Layout {
    protocol: "TCP",
    proto_abbrev: "tcp",
    fixed_bits: 160,
    specs: &[
        spec("tcp.srcport", "Source Port", 0, 16),
        spec("tcp.dstport", "Destination Port", 16, 16),
        spec("tcp.seq_raw", "Sequence Number", 32, 32),
        spec("tcp.ack_raw", "Acknowledgment Number", 64, 32),
        spec("tcp.hdr_len", "Data Offset", 96, 4),
        spec("tcp.flags.res", "Reserved", 100, 3),
        spec("tcp.flags.ae", "AE", 103, 1),
        spec("tcp.flags.cwr", "CWR", 104, 1),
        spec("tcp.flags.ece", "ECE", 105, 1),
        spec("tcp.flags.urg", "URG", 106, 1),
        spec("tcp.flags.ack", "ACK", 107, 1),
        spec("tcp.flags.push", "PSH", 108, 1),
        spec("tcp.flags.reset", "RST", 109, 1),
        spec("tcp.flags.syn", "SYN", 110, 1),
        spec("tcp.flags.fin", "FIN", 111, 1),
        spec("tcp.window_size_value", "Window", 112, 16),
        spec("tcp.checksum", "Checksum", 128, 16),
        spec("tcp.urgent_pointer", "Urgent Pointer", 144, 16),
    ],
    options: Some(Options {
        abbrev: "tcp.options",
        length_field: "tcp.hdr_len",
        scale: 1,
    }),
};

/// RFC 791 section 3.1.
const IPV4: Layout = Layout {
    protocol: "IPv4",
    proto_abbrev: "ip",
    fixed_bits: 160,
    specs: &[
        spec("ip.version", "Version", 0, 4),
        spec("ip.hdr_len", "IHL", 4, 4),
        spec("ip.dsfield.dscp", "DSCP", 8, 6),
        spec("ip.dsfield.ecn", "ECN", 14, 2),
        spec("ip.len", "Total Length", 16, 16),
        spec("ip.id", "Identification", 32, 16),
        spec("ip.flags.rb", "0", 48, 1),
        spec("ip.flags.df", "DF", 49, 1),
        spec("ip.flags.mf", "MF", 50, 1),
        spec("ip.frag_offset", "Fragment Offset", 51, 13),
        spec("ip.ttl", "Time to Live", 64, 8),
        spec("ip.proto", "Protocol", 72, 8),
        spec("ip.checksum", "Header Checksum", 80, 16),
        spec("ip.src", "Source Address", 96, 32),
        spec("ip.dst", "Destination Address", 128, 32),
    ],
    options: Some(Options {
        abbrev: "ip.options",
        length_field: "ip.hdr_len",
        scale: 1,
    }),
};

/// RFC 8200 section 3.
const IPV6: Layout = Layout {
    protocol: "IPv6",
    proto_abbrev: "ipv6",
    fixed_bits: 320,
    specs: &[
        spec("ipv6.version", "Version", 0, 4),
        spec("ipv6.tclass.dscp", "DSCP", 4, 6),
        spec("ipv6.tclass.ecn", "ECN", 10, 2),
        spec("ipv6.flow", "Flow Label", 12, 20),
        spec("ipv6.plen", "Payload Length", 32, 16),
        spec("ipv6.nxt", "Next Header", 48, 8),
        spec("ipv6.hlim", "Hop Limit", 56, 8),
        spec("ipv6.src", "Source Address", 64, 128),
        spec("ipv6.dst", "Destination Address", 192, 128),
    ],
    options: None,
};

/// RFC 768.
const UDP: Layout = Layout {
    protocol: "UDP",
    proto_abbrev: "udp",
    fixed_bits: 64,
    specs: &[
        spec("udp.srcport", "Source Port", 0, 16),
        spec("udp.dstport", "Destination Port", 16, 16),
        spec("udp.length", "Length", 32, 16),
        spec("udp.checksum", "Checksum", 48, 16),
    ],
    options: None,
};

/// RFC 792 (the echo messages' identifier and sequence number where present).
const ICMP: Layout = Layout {
    protocol: "ICMP",
    proto_abbrev: "icmp",
    fixed_bits: 64,
    specs: &[
        spec("icmp.type", "Type", 0, 8),
        spec("icmp.code", "Code", 8, 8),
        spec("icmp.checksum", "Checksum", 16, 16),
        spec("icmp.ident", "Identifier", 32, 16),
        spec("icmp.seq", "Sequence Number", 48, 16),
    ],
    options: None,
};

/// IEEE 802.3 (Ethernet II's MAC header).
const ETHERNET: Layout = Layout {
    protocol: "Ethernet",
    proto_abbrev: "eth",
    fixed_bits: 112,
    specs: &[
        spec("eth.dst", "Destination", 0, 48),
        spec("eth.src", "Source", 48, 48),
        spec("eth.type", "Type", 96, 16),
    ],
    options: None,
};

const LAYOUTS: [&Layout; 6] = [&ETHERNET, &IPV4, &IPV6, &UDP, &TCP, &ICMP];

/// The value a box shows: tshark's field text, with what a student needs beside it
/// (the relative sequence number, the header length in 32-bit words).
fn value_text(d: &Dissection<'_>, subtree: &[usize], abbrev: &str, node: usize) -> String {
    let Some(n) = d.nodes.get(node) else {
        return String::new();
    };
    let text = field_text(n.def(), &n.value);
    let relative = |name: &str| {
        find(d, subtree, name)
            .and_then(|i| d.nodes.get(i))
            .map(|r| field_text(r.def(), &r.value))
    };
    match abbrev {
        // Without the stream's analysis the relative number is the raw one.
        "tcp.seq_raw" | "tcp.ack_raw" => {
            match relative(if abbrev == "tcp.seq_raw" {
                "tcp.seq"
            } else {
                "tcp.ack"
            }) {
                Some(rel) if rel != text => format!("{text} (relative {rel})"),
                _ => text,
            }
        }
        // The header holds 32-bit words, the field counts bytes: both, so that a
        // student sees why 10 means a 40-byte header.
        "tcp.hdr_len" | "ip.hdr_len" => n
            .value
            .as_u64()
            .map_or(text, |v| format!("{} ({v} bytes)", v / 4)),
        _ => text,
    }
}

/// The first node named `abbrev` among `subtree`'s.
fn find(d: &Dissection<'_>, subtree: &[usize], abbrev: &str) -> Option<usize> {
    subtree
        .iter()
        .copied()
        .find(|&i| d.nodes.get(i).is_some_and(|n| n.def().abbrev == abbrev))
}

/// The diagram of the protocol whose tree item is node `top`, by `layout`.
fn diagram_of(d: &Dissection<'_>, top: usize, layout: &Layout) -> Option<Diagram> {
    let head = d.nodes.get(top)?;
    let subtree: Vec<usize> = d
        .nodes
        .iter()
        .enumerate()
        .skip(top + 1)
        .take_while(|(_, n)| n.depth > head.depth)
        .filter(|(_, n)| n.source == head.source)
        .map(|(i, _)| i)
        .collect();
    let mut boxes = Vec::new();
    for s in layout.specs {
        let Some(node) = find(d, &subtree, s.abbrev) else {
            continue;
        };
        let lit = d
            .nodes
            .get(node)
            .is_some_and(|n| s.bits == 1 && matches!(n.value, Value::Bool(true)));
        boxes.push(FieldBox {
            abbrev: s.abbrev,
            name: s.name,
            value: value_text(d, &subtree, s.abbrev, node),
            label: d.nodes.get(node).map(|n| n.label()).unwrap_or_default(),
            bit: s.bit,
            bits: s.bits,
            node,
            lit,
        });
    }
    if boxes.is_empty() {
        return None;
    }
    let mut bits = boxes
        .iter()
        .map(|b| b.bit + b.bits)
        .max()
        .unwrap_or(0)
        .max(layout.fixed_bits.min(head.len.saturating_mul(8)));
    if let Some(options) = &layout.options {
        let header_bytes = find(d, &subtree, options.length_field)
            .and_then(|i| d.nodes.get(i))
            .and_then(|n| n.value.as_u64())
            .map_or(0, |v| v.saturating_mul(options.scale));
        let header_bits = u32::try_from(header_bytes.saturating_mul(8)).unwrap_or(0);
        if header_bits > layout.fixed_bits {
            let node = find(d, &subtree, options.abbrev).unwrap_or(top);
            let names: Vec<String> = d
                .nodes
                .iter()
                .enumerate()
                .skip(node + 1)
                .take_while(|(_, n)| d.nodes.get(node).is_some_and(|o| n.depth > o.depth))
                .filter(|(_, n)| {
                    d.nodes
                        .get(node)
                        .is_some_and(|o| n.depth == o.depth + 1 && !n.is_hidden())
                })
                .map(|(_, n)| option_name(&n.label()))
                .collect();
            boxes.push(FieldBox {
                abbrev: options.abbrev,
                name: "Options",
                value: format!(
                    "{} bytes: {}",
                    (header_bits - layout.fixed_bits) / 8,
                    names.join(" · ")
                ),
                label: d.nodes.get(node).map(|n| n.label()).unwrap_or_default(),
                bit: layout.fixed_bits,
                bits: header_bits - layout.fixed_bits,
                node,
                lit: false,
            });
            bits = header_bits;
        }
    }
    Some(Diagram {
        protocol: layout.protocol,
        bits: bits.next_multiple_of(8),
        boxes,
    })
}

/// An option's label shortened for its box: `TCP Option - Maximum segment size: 1460
/// bytes` → `Maximum segment size: 1460 bytes`.
fn option_name(label: &str) -> String {
    label
        .strip_prefix("TCP Option - ")
        .or_else(|| label.strip_prefix("IP Option - "))
        .unwrap_or(label)
        .to_string()
}

/// The diagrams of every header in `d` that has a layout, outermost first (a quoted
/// header inside an ICMP error is drawn too, after its ICMP).
pub fn diagrams(d: &Dissection<'_>) -> Vec<Diagram> {
    d.nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| matches!(n.def().kind, Kind::Protocol) && !n.is_hidden())
        .filter_map(|(i, n)| {
            let layout = LAYOUTS.iter().find(|l| l.proto_abbrev == n.def().abbrev)?;
            diagram_of(d, i, layout)
        })
        .collect()
}

/// Pixels of one bit column and one row in the SVG.
const BIT_PX: u32 = 24;
const ROW_PX: u32 = 44;
const MARGIN: u32 = 16;
const RULER_PX: u32 = 18;

/// Height in pixels of one diagram with its title and ruler.
fn height_of(diagram: &Diagram) -> u32 {
    22 + RULER_PX + diagram.bits.div_ceil(ROW_BITS).max(1) * ROW_PX + MARGIN
}

/// The diagrams of packet `packet` (1-based) as one SVG image, each header under
/// the one that carries it, titled as the window titles them.
pub fn svg(diagrams: &[Diagram], packet: usize) -> String {
    let width = MARGIN * 2 + ROW_BITS * BIT_PX;
    let height = MARGIN + diagrams.iter().map(height_of).sum::<u32>();
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = writeln!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="DejaVu Sans, sans-serif"><rect width="{width}" height="{height}" fill="#ffffff"/>"##
    );
    let mut y = MARGIN;
    for diagram in diagrams {
        write_one(&mut out, diagram, packet, y);
        y += height_of(diagram);
    }
    out.push_str("</svg>\n");
    out
}

/// Appends one diagram whose title starts at `y`.
fn write_one(out: &mut String, diagram: &Diagram, packet: usize, y: u32) {
    let _ = writeln!(
        out,
        r##"<text x="{MARGIN}" y="{}" font-size="14" font-weight="bold" fill="#222">{} header of packet {packet} ({} bytes)</text>"##,
        y + 12,
        diagram.protocol,
        diagram.bits / 8
    );
    let top = y + 22 + RULER_PX;
    for bit in (0..ROW_BITS).step_by(4) {
        let _ = writeln!(
            out,
            r##"<text x="{}" y="{}" font-size="10" fill="#777">{bit}</text>"##,
            MARGIN + bit * BIT_PX + 2,
            top - 6
        );
    }
    for b in &diagram.boxes {
        let parts = blocks(b.bit, b.bits);
        let label_block = widest(&parts);
        for part in &parts {
            let x = MARGIN + part.from * BIT_PX;
            let y = top + part.row * ROW_PX;
            let w = (part.to - part.from) * BIT_PX;
            let h = part.rows * ROW_PX;
            let fill = if b.lit { "#ffe49a" } else { "#f2f6fb" };
            let _ = writeln!(
                out,
                r##"<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}" stroke="#5b7fa6"><title>{}</title></rect>"##,
                super::xml_escape(&b.label)
            );
            if Some(*part) == label_block {
                let cx = x + w / 2;
                let cy = y + h / 2;
                let size = if w < 40 { 9 } else { 11 };
                let _ = writeln!(
                    out,
                    r##"<text x="{cx}" y="{}" font-size="{size}" text-anchor="middle" fill="#222">{}</text><text x="{cx}" y="{}" font-size="{size}" text-anchor="middle" fill="#1d4f8c">{}</text>"##,
                    cy - 3,
                    super::xml_escape(b.name),
                    cy + 11,
                    super::xml_escape(&b.value)
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dissect::testing::with_frame;

    #[test]
    fn a_box_crossing_rows_is_split_where_rows_end() {
        assert_eq!(
            blocks(48, 48),
            vec![
                Block {
                    row: 1,
                    rows: 1,
                    from: 16,
                    to: 32
                },
                Block {
                    row: 2,
                    rows: 1,
                    from: 0,
                    to: 32
                }
            ]
        );
        assert_eq!(
            blocks(64, 128),
            vec![Block {
                row: 2,
                rows: 4,
                from: 0,
                to: 32
            }]
        );
        assert_eq!(blocks(110, 1).len(), 1);
    }

    /// tcp_clean_close.pcap frame 9: the SYN, its flag lit, its options in one box.
    #[test]
    fn the_syn_is_drawn_as_rfc_9293_draws_it() {
        with_frame("tcp_clean_close.pcap", 9, |d| {
            let all = diagrams(d);
            let names: Vec<_> = all.iter().map(|g| g.protocol).collect();
            assert_eq!(names, ["Ethernet", "IPv4", "TCP"]);
            let tcp = &all[2];
            let get = |abbrev: &str| tcp.boxes.iter().find(|b| b.abbrev == abbrev).unwrap();
            assert!(get("tcp.flags.syn").lit);
            assert!(!get("tcp.flags.ack").lit);
            assert_eq!(
                (get("tcp.flags.syn").bit, get("tcp.flags.syn").bits),
                (110, 1)
            );
            assert_eq!(get("tcp.hdr_len").value, "10 (40 bytes)");
            assert!(get("tcp.seq_raw").value.starts_with("4262667675"));
            let options = get("tcp.options");
            assert_eq!((options.bit, options.bits), (160, 160));
            assert!(options.value.starts_with("20 bytes: "), "{}", options.value);
            assert!(
                options.value.contains("Maximum segment size"),
                "{}",
                options.value
            );
            assert_eq!(tcp.bits, 320);
            let ip = &all[1];
            assert_eq!(ip.bits, 160);
            let svg = svg(&all, 9);
            assert!(svg.starts_with("<svg") && svg.contains(">SYN<") && svg.contains("#ffe49a"));
        });
    }

    /// A header cut short draws only the fields the capture holds.
    #[test]
    fn a_cut_header_draws_what_it_has() {
        crate::dissect::testing::with_truncated("tcp_clean_close.pcap", 9, 14 + 20 + 10, |d| {
            let all = diagrams(d);
            let tcp = all.iter().find(|g| g.protocol == "TCP");
            if let Some(tcp) = tcp {
                assert!(tcp.boxes.iter().all(|b| b.bit + b.bits <= 80));
            }
        });
    }
}
