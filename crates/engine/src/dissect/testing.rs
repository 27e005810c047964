//! Test helpers: dissect a real frame from tests/captures and read its fields.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::{Dissection, PacketContext, Want, dissect_packet, registry, value};
use crate::capture::{Capture, Interface, PacketRecord};

/// The path of `tests/captures/{name}` (at the workspace's root, two levels above
/// this crate).
pub fn capture_path(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/captures")
        .join(name)
}

/// Hands frame `number` (1-based) of `tests/captures/{name}`, its record and its
/// interface to `f`.
fn with_raw<R>(
    name: &str,
    number: usize,
    f: impl FnOnce(&PacketRecord, &Interface, &[u8]) -> R,
) -> R {
    let capture = Capture::open(&capture_path(name)).expect("test capture");
    let (record, bytes) = capture.packet(number - 1).expect("frame");
    f(&record, capture.interface_of(&record), bytes)
}

/// Loads `tests/captures/{name}` with its TCP analysis and hands `f` a function that
/// dissects frame `number` (1-based) with it, the full tree (labels and columns on).
pub fn with_analysed<R>(
    name: &str,
    f: impl for<'l> FnOnce(&'l dyn Fn(usize) -> Dissection<'l>) -> R,
) -> R {
    let loaded = crate::tcp::Loaded::open(&capture_path(name)).expect("test capture");
    let analysis = loaded.analysis();
    f(&|number| {
        let mut d = Dissection::full();
        loaded
            .dissect_into(number - 1, None, &analysis, &mut d)
            .expect("frame");
        d
    })
}

/// Dissects frame `number` (1-based) of `tests/captures/{name}` without TCP analysis
/// and hands the full tree (labels and columns on) to `f`.
pub fn with_frame<R>(name: &str, number: usize, f: impl FnOnce(&Dissection<'_>) -> R) -> R {
    with_raw(name, number, |record, iface, bytes| {
        with_bytes(record, iface, bytes, f)
    })
}

/// Dissects `bytes` (a frame of `record`'s interface) and hands the tree to `f`.
pub fn with_bytes<R>(
    record: &PacketRecord,
    iface: &Interface,
    bytes: &[u8],
    f: impl FnOnce(&Dissection<'_>) -> R,
) -> R {
    let ctx = PacketContext::alone(1, *record, iface);
    let mut d = Dissection::new(Want::All, true, true);
    dissect_packet(&mut d, &ctx, bytes);
    f(&d)
}

/// Dissects `bytes`, a whole Ethernet frame (a public capture's frame copied into
/// a test as a byte array), and hands the tree to `f`.
pub fn with_ethernet<R>(bytes: &[u8], f: impl FnOnce(&Dissection<'_>) -> R) -> R {
    with_ethernet_answered(bytes, None, f)
}

/// Dissects `bytes`, a whole Ethernet frame, with `analysis` answering the
/// dissectors' questions (a test's stand-in for the session state a load keeps).
pub fn with_ethernet_answered<R>(
    bytes: &[u8],
    analysis: Option<&dyn super::Analysis>,
    f: impl FnOnce(&Dissection<'_>) -> R,
) -> R {
    use crate::capture::{BlockKind, LinkType};
    let len = u32::try_from(bytes.len()).expect("a frame's length");
    let record = PacketRecord::new(0, 0, len, len, 0, BlockKind::PcapRecord, false);
    let iface = Interface::new(LinkType::ETHERNET);
    let mut ctx = PacketContext::alone(1, record, &iface);
    ctx.analysis = analysis;
    let mut d = Dissection::new(Want::All, true, true);
    dissect_packet(&mut d, &ctx, bytes);
    f(&d)
}

/// Dissects a truncated copy of frame `number`: its first `len` bytes, with the
/// record saying so (a capture cut at a snapshot length).
pub fn with_truncated<R>(
    name: &str,
    number: usize,
    len: usize,
    f: impl FnOnce(&Dissection<'_>) -> R,
) -> R {
    with_raw(name, number, |record, iface, bytes| {
        let mut cut = *record;
        cut.cap_len = len as u32;
        with_bytes(&cut, iface, &bytes[..len], f)
    })
}

/// Every value of field `name`, as `tshark -T fields` prints it.
pub fn values(d: &Dissection<'_>, name: &str) -> Vec<String> {
    let id = registry::lookup(name).unwrap_or_else(|| panic!("no field {name}"));
    let def = registry::def(id);
    d.values(id).map(|v| value::field_text(def, v)).collect()
}

/// The values of `name` joined with commas (empty when absent).
pub fn field(d: &Dissection<'_>, name: &str) -> String {
    values(d, name).join(",")
}

/// Dissects frame `number` after `patch` changed its bytes (impossible values).
pub fn with_patched<R>(
    name: &str,
    number: usize,
    patch: impl FnOnce(&mut Vec<u8>),
    f: impl FnOnce(&Dissection<'_>) -> R,
) -> R {
    with_raw(name, number, |record, iface, bytes| {
        let mut bytes = bytes.to_vec();
        patch(&mut bytes);
        let mut rec = *record;
        rec.cap_len = bytes.len() as u32;
        rec.orig_len = rec.orig_len.max(rec.cap_len);
        with_bytes(&rec, iface, &bytes, f)
    })
}
