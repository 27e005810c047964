//! What IPv4 and IPv6 show of a fragmented datagram: the Info text of a fragment the
//! reassembly keeps, and on the frame that completes the datagram the list of its
//! fragments (`[2 IPv4 Fragments (1408 bytes): #2(1256), #3(152)]`) and the
//! reassembled payload handed up to ICMP, UDP, TCP. The bookkeeping across frames
//! is the load pass's (`tcp::defrag`), reached through [`Analysis::fragment`].
//!
//! [`Analysis::fragment`]: super::context::Analysis::fragment

use super::context::{FragmentIn, PacketContext, Reassembly, frag_flag};
use super::field::FieldId;
use super::ipv4::NetInfo;
use super::tree::Dissection;
use super::value::Value;

/// The fields of one IP version's fragment list.
pub(crate) struct Fields {
    /// `IPv4` or `IPv6`, as the labels say.
    pub name: &'static str,
    /// `*.fragments` (bytes for IPv4, none for IPv6).
    pub fragments: FieldId,
    /// Whether `*.fragments` carries the payload as its value (IPv4's is FT_BYTES).
    pub fragments_bytes: bool,
    /// `*.fragment`.
    pub fragment: FieldId,
    /// `*.fragment.overlap`.
    pub overlap: FieldId,
    /// `*.fragment.overlap.conflict`.
    pub conflict: FieldId,
    /// `*.fragment.multipletails`.
    pub multiple_tails: FieldId,
    /// `*.fragment.toolongfragment`.
    pub too_long: FieldId,
    /// `*.fragment.error`.
    pub error: FieldId,
    /// `*.fragment.count`.
    pub count: FieldId,
    /// `*.reassembled.length`.
    pub length: FieldId,
    /// `*.reassembled.data`.
    pub data: FieldId,
    /// `ip.reassembled_in` / `ipv6.reassembled.in` (a second pass shows it).
    pub reassembled_in: FieldId,
}

/// The fields of a list of the frames a message was joined from (TCP's reassembled
/// segments, SMTP's DATA fragments).
pub(crate) struct PartFields {
    /// The list (`tcp.segments`, `smtp.data.fragments`).
    pub list: FieldId,
    /// One frame of it (`tcp.segment`, `smtp.data.fragment`).
    pub part: FieldId,
    /// How many frames (`*.count`).
    pub count: FieldId,
    /// The joined length (`*.reassembled.length`).
    pub length: FieldId,
}

/// Adds `[n NOUN (total bytes): #f(len), …]` at `at` with an item for each part
/// (frame, start in the joined bytes, length), then the count and the length, and
/// leaves the list open for the caller's own items (close it with `d.end()`).
pub(crate) fn part_list(
    d: &mut Dissection<'_>,
    fields: &PartFields,
    noun: &str,
    at: usize,
    parts: &[(u32, usize, usize)],
) {
    let total: usize = parts.iter().map(|(_, _, len)| len).sum();
    let item = d.add_labeled(fields.list, at, 0, Value::None, || {
        let list: Vec<String> = parts
            .iter()
            .map(|(f, _, len)| format!("#{f}({len})"))
            .collect();
        format!(
            "[{} {noun} ({total} bytes): {}]",
            parts.len(),
            list.join(", ")
        )
    });
    d.begin(item);
    for (frame, start, len) in parts {
        let (frame, start, len) = (*frame, *start, *len);
        d.add_generated_labeled(fields.part, Value::Frame(frame), || {
            if len == 0 {
                return format!("Frame: {frame} (no data)");
            }
            format!(
                "Frame: {frame}, payload: {start}-{} ({len} bytes)",
                (start + len).saturating_sub(1)
            )
        });
    }
    d.add_generated(fields.count, 0, 0, Value::UInt(parts.len() as u64));
    d.add_generated(fields.length, 0, 0, Value::UInt(total as u64));
}

/// On a second pass, the frame that completes the datagram `ctx`'s fragment belongs
/// to, added at the current position (the end of the IP tree).
pub(crate) fn reassembled_in(
    d: &mut Dissection<'_>,
    ctx: &PacketContext<'_>,
    fields: &Fields,
) -> Option<u32> {
    let frame = ctx
        .analysis?
        .later(ctx.number, super::context::Later::ReassembledDatagram)?;
    d.add_generated(fields.reassembled_in, 0, 0, Value::Frame(frame));
    Some(frame)
}

/// Hands a fragment whose payload is all captured to the reassembly; `None` when the
/// packet has no analysis, the fragment sits in a quoted datagram (tshark keeps those
/// out of its tables here) or it does not complete its datagram.
pub(crate) fn add(
    d: &Dissection<'_>,
    ctx: &PacketContext<'_>,
    fragment: &FragmentIn<'_>,
) -> Option<Reassembly> {
    if d.in_error {
        return None;
    }
    ctx.analysis?.fragment(ctx.number, fragment)
}

/// Adds the fragment list of `r` at the current position (inside the IP tree) and
/// returns the data source that holds the reassembled payload.
pub(crate) fn tree(d: &mut Dissection<'_>, fields: &Fields, r: &Reassembly) -> u8 {
    let total = r.data.len();
    let name = fields.name;
    let source = d.add_source_with(
        || format!("Reassembled {name} ({total} bytes)"),
        || r.data.clone(),
    );
    if !d.keeps_fields() {
        return source;
    }
    d.set_source(source);
    let value = if fields.fragments_bytes {
        Value::Bytes(r.data.clone().into())
    } else {
        Value::None
    };
    let item = d.add_generated_labeled_at(fields.fragments, (0, total), value, || {
        let list: Vec<String> = r
            .parts
            .iter()
            .map(|p| format!("#{}({})", p.frame, p.len))
            .collect();
        format!(
            "{} {name} Fragments ({total} bytes): {}",
            r.parts.len(),
            list.join(", ")
        )
    });
    d.begin(item);
    for part in &r.parts {
        let (frame, offset, len) = (part.frame, part.offset as usize, part.len as usize);
        let field = if part.flags & frag_flag::ERRORS != 0 {
            fields.error
        } else {
            fields.fragment
        };
        let range = (offset.min(total), len.min(total.saturating_sub(offset)));
        let node = d.add_generated_labeled_at(field, range, Value::Frame(frame), || {
            format!(
                "Frame: {frame}, payload: {offset}-{} ({len} bytes)",
                (offset + len).saturating_sub(1)
            )
        });
        if part.flags != 0 {
            d.begin(node);
            let flags = [
                (frag_flag::OVERLAP, fields.overlap, "Fragment overlap"),
                (
                    frag_flag::CONFLICT,
                    fields.conflict,
                    "Conflicting data in fragment overlap",
                ),
                (
                    frag_flag::MULTIPLE_TAILS,
                    fields.multiple_tails,
                    "Multiple tail fragments found",
                ),
                (frag_flag::TOO_LONG, fields.too_long, "Fragment too long"),
            ];
            for (bit, field, label) in flags {
                if part.flags & bit != 0 {
                    d.add_generated_labeled(field, Value::Bool(true), || format!("{label}: True"));
                }
            }
            d.end();
        }
    }
    d.add_generated(fields.count, 0, 0, Value::UInt(r.parts.len() as u64));
    d.add_generated_labeled(fields.length, Value::UInt(total as u64), || {
        format!("Reassembled {name} length: {total}")
    });
    d.add_generated(fields.data, 0, total, Value::Bytes(r.data.clone().into()));
    d.end();
    d.set_source(0);
    source
}

/// Dissects the reassembled payload of `r` (in data source `source`) as IP protocol
/// `proto`, after the IP layer's tree is closed.
pub(crate) fn payload(
    d: &mut Dissection<'_>,
    ctx: &PacketContext<'_>,
    r: &Reassembly,
    source: u8,
    net: &NetInfo,
    proto: u8,
) {
    let whole = NetInfo {
        payload_offset: 0,
        payload_len: r.data.len(),
        fragment: false,
        ..*net
    };
    let mut scratch = d.scratch();
    super::ipv4::transport(&mut scratch, ctx, &r.data, &whole, proto);
    d.set_source(source);
    d.absorb(scratch);
    d.set_source(0);
}
