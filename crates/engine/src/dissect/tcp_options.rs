//! The TCP options (RFC 9293 3.1, RFC 7323, RFC 2018) in the tree and the Info
//! column, and what the analysis needs from them, all from the view's one walk.

use super::context::TcpFrameInfo;
use super::tcp::{
    OPT_EOL, OPT_MSS, OPT_MSS_VAL, OPT_NOP, OPT_SACK, OPT_SACK_COUNT, OPT_SACK_DSACK,
    OPT_SACK_DSACK_LE, OPT_SACK_DSACK_RE, OPT_SACK_LE, OPT_SACK_PERM, OPT_SACK_RE, OPT_TIMESTAMP,
    OPT_TSECR, OPT_TSVAL, OPT_UNKNOWN, OPT_UNKNOWN_PAYLOAD, OPT_WSCALE, OPT_WSCALE_MULTIPLIER,
    OPT_WSCALE_SHIFT, OPTION_KIND, OPTION_KINDS, OPTION_LEN, OPTIONS, bits, tcp_expert,
};
use super::tree::{Dissection, Expert, Severity};
use super::value::Value;
use crate::bytes;
use crate::wire::{Limit, SackBlocks, SeqNumber, Short, TcpOption, TcpOptionValue, TcpOptions};

/// What the analysis and the expert items need from the options.
#[derive(Debug, Default, Clone, Copy)]
pub struct Summary {
    /// Window scale shift, if the option is there.
    pub wscale: Option<u8>,
    /// Bytes covered by the SACK blocks.
    pub sack_bytes: u32,
    /// Whether a Maximum Segment Size option is there.
    pub has_mss: bool,
    /// The Maximum Segment Size option's value, when it is well formed.
    pub mss: Option<u16>,
    /// Whether a SACK option with at least one block is there (a D-SACK needs one).
    pub has_sack_blocks: bool,
}

/// Reads the options for the analysis without building fields.
#[inline]
pub fn summary(bytes: &[u8], options: TcpOptions<'_>) -> Summary {
    // Nearly every segment of a connection carries NOP, NOP, Timestamps and nothing
    // else, which tells the analysis nothing: no walk for them.
    if bytes.len() == 12 && bytes.starts_with(&[1, 1, 8, 10]) {
        return Summary::default();
    }
    let mut out = Summary::default();
    for option in options.flatten() {
        out.has_mss |= option.kind == 2;
        match option.value() {
            TcpOptionValue::WindowScale(shift) => out.wscale = Some(shift),
            TcpOptionValue::MaxSegmentSize(mss) => out.mss = Some(mss),
            // RFC 2018 3: at least one block (length 10 and up).
            TcpOptionValue::Sack(blocks) if blocks.count() > 0 => {
                out.has_sack_blocks = true;
                out.sack_bytes = out.sack_bytes.wrapping_add(blocks.covered());
            }
            _ => {}
        }
    }
    out
}

/// RFC 2883: whether SACK `blocks` report a duplicate segment: the first block at or
/// below the cumulative ACK, or inside the second.
pub fn is_dsack(blocks: SackBlocks<'_>, flags: u16, ack: SeqNumber) -> bool {
    let mut iter = blocks.iter();
    let Some((_, left, right)) = iter.next() else {
        return false;
    };
    let below_ack = flags & bits::ACK != 0 && ack >= right;
    let inside_second = iter
        .next()
        .is_some_and(|(_, left2, right2)| left >= left2 && right2 >= right);
    below_ack || inside_second
}

/// The expert item of a D-SACK.
pub fn dsack_expert() -> Expert {
    tcp_expert(
        Severity::Warning,
        "Sequence",
        std::borrow::Cow::Borrowed("D-SACK Sequence"),
    )
}

/// The D-SACK expert items alone, when no option item is wanted.
pub fn dsack_experts(d: &mut Dissection<'_>, options: TcpOptions<'_>, flags: u16, ack: SeqNumber) {
    for option in options.flatten() {
        if let TcpOptionValue::Sack(blocks) = option.value()
            && is_dsack(blocks, flags, ack)
        {
            d.expert(usize::MAX, dsack_expert());
        }
    }
}

/// What the options add to the tree and the Info column.
pub struct TreeInput<'a, 'i> {
    /// The captured option bytes.
    pub bytes: &'a [u8],
    /// The walk over them.
    pub options: TcpOptions<'a>,
    /// Offset of the first option in the frame.
    pub start: usize,
    /// The analysis of the segment, for relative SACK edges and D-SACK.
    pub info: &'i Option<TcpFrameInfo>,
    /// The raw acknowledgment number.
    pub ack: SeqNumber,
    /// The 12 flag bits.
    pub flags: u16,
}

/// The `tcp.options` item and its children; appends the Info column's option text.
pub fn tree<'a>(d: &mut Dissection<'a>, input: TreeInput<'a, '_>, info_text: &mut String) {
    let TreeInput {
        bytes: options,
        start,
        info,
        ack,
        flags,
        ..
    } = input;
    let columns = d.columns_on();
    let labels = d.labels();
    let mut names = Vec::new();
    let item = d.add(OPTIONS, start, options.len(), Value::Bytes(options.into()));
    d.begin(item);
    let ack_base = info.as_ref().and_then(|i| i.ack_base).map(SeqNumber);
    let mut after_eol = None;
    for option in input.options {
        let option = match option {
            Ok(option) if option.is_complete() => option,
            Ok(option) => {
                // The capture cut the option's data.
                let short = Short {
                    layer: "TCP option",
                    offset: option.offset,
                    needed: usize::from(option.len),
                    available: option.data.len() + 2,
                    limit: Limit::Captured,
                };
                bogus(d, options, start, &short);
                break;
            }
            // A kind byte the capture cut ends the list without a word, as before.
            Err(short) if short.needed == 1 => break,
            Err(short) => {
                bogus(d, options, start, &short);
                break;
            }
        };
        let at = start + option.offset;
        let raw = bytes::slice(options, option.offset, usize::from(option.len)).unwrap_or(&[]);
        option_item(d, &option, at, raw, &mut names, (labels, flags));
        if option.kind == 0 {
            after_eol = option.offset.checked_add(1);
        }
        match option.value() {
            TcpOptionValue::MaxSegmentSize(mss) if columns => {
                info_text.push_str(&format!(" MSS={mss}"));
            }
            TcpOptionValue::WindowScale(shift) if columns => {
                info_text.push_str(&format!(" WS={}", 1u64 << shift.min(14)));
            }
            TcpOptionValue::SackPermitted if columns => info_text.push_str(" SACK_PERM"),
            TcpOptionValue::Sack(blocks) => {
                sack_item(
                    d, blocks, at, raw, ack_base, columns, info_text, labels, &mut names,
                );
                if info.is_some() && is_dsack(blocks, flags, ack) {
                    // tshark shows the duplicate block's edges, then the item that
                    // carries the expert.
                    if let Some((_, le, re)) = blocks.iter().next() {
                        let rel = |v: SeqNumber| ack_base.map_or(v.raw(), |b| v.distance_from(b));
                        let mark = if ack_base.is_some() {
                            " (relative)"
                        } else {
                            ""
                        };
                        let (le, re) = (rel(le), rel(re));
                        d.add_generated_labeled(
                            OPT_SACK_DSACK_LE,
                            Value::UInt(u64::from(le)),
                            || format!("D-SACK Left Edge = {le}{mark}"),
                        );
                        d.add_generated_labeled(
                            OPT_SACK_DSACK_RE,
                            Value::UInt(u64::from(re)),
                            || format!("D-SACK Right Edge = {re}{mark}"),
                        );
                    }
                    let ds = d.add(OPT_SACK_DSACK, 0, 0, Value::None);
                    d.expert(ds, dsack_expert());
                }
                d.end();
            }
            TcpOptionValue::Timestamps { tsval, tsecr } if columns => {
                info_text.push_str(&format!(" TSval={tsval} TSecr={tsecr}"));
            }
            _ => {}
        }
    }
    // tshark reads on after End of Option List: each zero byte of padding is one more
    // EOL item (a Mac's SYN ends "SACK permitted, EOL, EOL").
    let mut pos = after_eol.unwrap_or(options.len());
    while let Some(padding) = options.get(pos..).filter(|rest| rest.first() == Some(&0)) {
        if let Some(Ok(eol)) = TcpOptions::new(padding, padding.len()).next() {
            let raw = padding.get(..1).unwrap_or(&[]);
            option_item(d, &eol, start + pos, raw, &mut names, (labels, flags));
        }
        pos += 1;
    }
    d.end();
    let n = options.len();
    d.set_label(item, || {
        format!("Options: ({n} bytes), {}", names.join(", "))
    });
}

/// tshark's warning on an MSS option outside a SYN (RFC 9293 3.7.1: it is sent only
/// in SYNs).
pub(super) fn non_syn_mss_expert() -> Expert {
    tcp_expert(
        Severity::Warning,
        "Protocol",
        std::borrow::Cow::Borrowed("The non-SYN packet does contain a MSS option"),
    )
}

/// tshark's warning on a Window scale shift over 14, RFC 7323 2.3's limit (used as 14).
pub(super) fn wscale_expert() -> Expert {
    tcp_expert(
        Severity::Warning,
        "Protocol",
        std::borrow::Cow::Borrowed("Window scale shift exceeds 14"),
    )
}

/// The text item where the walk stopped, stating what the option needed and had.
fn bogus(d: &mut Dissection<'_>, options: &[u8], start: usize, short: &Short) {
    let len = options.len().saturating_sub(short.offset).max(1);
    let short = short.shifted(start);
    d.text(short.offset, len, || {
        format!("Bogus option length: {short}")
    });
}

/// One option's item with its kind, length and value (a SACK's blocks are left to
/// [`sack_item`], which closes it).
fn option_item<'a>(
    d: &mut Dissection<'a>,
    option: &TcpOption<'a>,
    at: usize,
    raw: &'a [u8],
    names: &mut Vec<&'static str>,
    (labels, flags): (bool, u16),
) {
    let len = usize::from(option.len);
    let kind_and_len = |d: &mut Dissection<'a>| {
        d.add(OPTION_KIND, at, 1, Value::UInt(u64::from(option.kind)));
        if len > 1 {
            d.add(OPTION_LEN, at + 1, 1, Value::UInt(u64::from(option.len)));
        }
    };
    let (name, node) = match option.value() {
        TcpOptionValue::EndOfList => (
            "End of Option List (EOL)",
            d.add_labeled(OPT_EOL, at, 1, Value::Bytes(raw.into()), || {
                "TCP Option - End of Option List (EOL)".to_string()
            }),
        ),
        TcpOptionValue::NoOperation => (
            "No-Operation (NOP)",
            d.add_labeled(OPT_NOP, at, 1, Value::Bytes(raw.into()), || {
                "TCP Option - No-Operation (NOP)".to_string()
            }),
        ),
        TcpOptionValue::MaxSegmentSize(mss) => (
            "Maximum segment size",
            d.add_labeled(OPT_MSS, at, len, Value::Bytes(raw.into()), || {
                format!("TCP Option - Maximum segment size: {mss} bytes")
            }),
        ),
        TcpOptionValue::WindowScale(shift) => {
            let mult = 1u64 << shift.min(14);
            (
                "Window scale",
                d.add_labeled(OPT_WSCALE, at, len, Value::Bytes(raw.into()), || {
                    format!("TCP Option - Window scale: {shift} (multiply by {mult})")
                }),
            )
        }
        TcpOptionValue::SackPermitted => (
            "SACK permitted",
            d.add_labeled(OPT_SACK_PERM, at, len, Value::Bytes(raw.into()), || {
                "TCP Option - SACK permitted".to_string()
            }),
        ),
        // The SACK item needs the analysis' base for its label: see `sack_item`.
        TcpOptionValue::Sack(_) => return,
        TcpOptionValue::Timestamps { tsval, tsecr } => (
            "Timestamps",
            d.add_labeled(OPT_TIMESTAMP, at, len, Value::Bytes(raw.into()), || {
                format!("TCP Option - Timestamps: TSval {tsval}, TSecr {tsecr}")
            }),
        ),
        TcpOptionValue::Other => {
            let kind = option.kind;
            let name = super::value::value_name(Some(OPTION_KINDS), u64::from(kind));
            let node = d.add_labeled(
                OPT_UNKNOWN,
                at,
                len,
                Value::Bytes(raw.into()),
                || match name {
                    Some(n) => format!("TCP Option - {n}"),
                    None => format!("TCP Option - Unknown (kind {kind}, {len} bytes)"),
                },
            );
            (name.unwrap_or("Unknown"), node)
        }
    };
    if labels {
        names.push(name);
    }
    d.begin(node);
    if let TcpOptionValue::MaxSegmentSize(_) = option.value()
        && flags & bits::SYN == 0
    {
        d.expert(node, non_syn_mss_expert());
    }
    kind_and_len(d);
    match option.value() {
        TcpOptionValue::MaxSegmentSize(mss) => {
            d.add(OPT_MSS_VAL, at + 2, 2, Value::UInt(u64::from(mss)));
        }
        TcpOptionValue::WindowScale(shift) => {
            let item = d.add(OPT_WSCALE_SHIFT, at + 2, 1, Value::UInt(u64::from(shift)));
            if shift > 14 {
                d.expert(item, wscale_expert());
            }
            let mult = 1u64 << shift.min(14);
            d.add_generated(OPT_WSCALE_MULTIPLIER, at + 2, 1, Value::UInt(mult));
        }
        TcpOptionValue::Timestamps { tsval, tsecr } => {
            d.add(OPT_TSVAL, at + 2, 4, Value::UInt(u64::from(tsval)));
            d.add(OPT_TSECR, at + 6, 4, Value::UInt(u64::from(tsecr)));
        }
        TcpOptionValue::Other if !option.data.is_empty() => {
            d.add(
                OPT_UNKNOWN_PAYLOAD,
                at + 2,
                option.data.len(),
                Value::Bytes(option.data.into()),
            );
        }
        _ => {}
    }
    d.end();
}

/// The SACK item, open for the D-SACK item: its blocks relative to the receiver's
/// base when the analysis knows it.
#[allow(clippy::too_many_arguments)]
fn sack_item<'a>(
    d: &mut Dissection<'a>,
    blocks: SackBlocks<'a>,
    at: usize,
    raw: &'a [u8],
    ack_base: Option<SeqNumber>,
    columns: bool,
    info_text: &mut String,
    labels: bool,
    names: &mut Vec<&'static str>,
) {
    if labels {
        names.push("SACK");
    }
    let rel = |v: SeqNumber| ack_base.map_or(v.raw(), |b| v.distance_from(b));
    let o = d.add_labeled(OPT_SACK, at, raw.len(), Value::Bytes(raw.into()), || {
        let parts: Vec<String> = blocks
            .iter()
            .map(|(_, le, re)| format!("{}-{}", rel(le), rel(re)))
            .collect();
        format!("TCP Option - SACK {}", parts.join(" "))
    });
    d.begin(o);
    d.add(OPTION_KIND, at, 1, Value::UInt(5));
    d.add(OPTION_LEN, at + 1, 1, Value::UInt(raw.len() as u64));
    for (offset, le, re) in blocks.iter() {
        let p = at + 2 + offset;
        // tshark writes the edges as "left edge = N", marked relative when they are.
        let mark = if ack_base.is_some() {
            " (relative)"
        } else {
            ""
        };
        d.add_labeled(OPT_SACK_LE, p, 4, Value::UInt(u64::from(rel(le))), || {
            format!("left edge = {}{mark}", rel(le))
        });
        d.add_labeled(
            OPT_SACK_RE,
            p + 4,
            4,
            Value::UInt(u64::from(rel(re))),
            || format!("right edge = {}{mark}", rel(re)),
        );
        if columns {
            info_text.push_str(&format!(" SLE={} SRE={}", rel(le), rel(re)));
        }
    }
    d.add_generated(OPT_SACK_COUNT, 0, 0, Value::UInt(blocks.count() as u64));
}
