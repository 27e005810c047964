//! GIF images (GIF87a and GIF89a, W3C's spec-gif89a.txt) as HTTP and mail bodies
//! carry them: the header and logical screen, the colour maps, each extension and
//! image descriptor with its data sub-blocks, and the trailer, as tshark 4.0 shows
//! them.

use super::field::kinds::*;
use super::field::{Base, FieldId};
use super::media::{Outcome, Thrown, byte, need};
use super::tree::{Dissection, Expert, Severity};
use super::value::Value;
use crate::bytes;
use std::borrow::Cow;

const TRUE_FALSE: &[(u64, &str)] = &[(0, "False"), (1, "True")];

/// Extension labels (spec-gif89a.txt sections 23 to 26).
const EXTENSIONS: &[(u64, &str)] = &[
    (0xf9, "Graphics Control"),
    (0xfe, "Comment"),
    (0xff, "Application"),
    (0x01, "Plain Text"),
];

/// tshark's short name for the protocol, which its malformed marker names.
const SHORT_NAME: &str = "GIF image";

crate::define_fields! { after super::png::END;
    GIF = "image-gif", "Compuserve GIF", PROTO;
    VERSION = "image-gif.version", "Version", STR;
    SCREEN_WIDTH = "image-gif.screen.width", "Screen width", dec(16);
    SCREEN_HEIGHT = "image-gif.screen.height", "Screen height", dec(16);
    GLOBAL_MAP_PRESENT = "image-gif.global.color_map.present", "Global color map is present", uint(8, Base::Dec, 0x80, Some(TRUE_FALSE));
    GLOBAL_COLOR_BPP = "image-gif.global.color_bpp", "Bits per color minus 1", uint(8, Base::Dec, 0x70, None);
    GLOBAL_MAP_ORDERED = "image-gif.global.color_map.ordered", "Global color map is ordered", uint(8, Base::Dec, 0x08, Some(TRUE_FALSE));
    GLOBAL_BPP = "image-gif.global.bpp", "Image bits per pixel minus 1", uint(8, Base::Dec, 0x07, None);
    BACKGROUND = "image-gif.image_background_index", "Background color index", dec(8);
    PIXEL_ASPECT_RATIO = "image-gif.global.pixel_aspect_ratio", "Global pixel aspect ratio", dec(8);
    GLOBAL_MAP = "image-gif.global.color_map", "Global color map", BYTES;
    IMAGE_LEFT = "image-gif.image.left", "Image left position", dec(16);
    IMAGE_TOP = "image-gif.image.top", "Image top position", dec(16);
    IMAGE_WIDTH = "image-gif.image.width", "Image width", dec(16);
    IMAGE_HEIGHT = "image-gif.image.height", "Image height", dec(16);
    LOCAL_MAP_PRESENT = "image-gif.local.color_map.present", "Local color map is present", uint(8, Base::Dec, 0x80, Some(TRUE_FALSE));
    LOCAL_COLOR_BPP = "image-gif.local.color_bpp", "Bits per color minus 1", uint(8, Base::Dec, 0x70, None);
    LOCAL_MAP_ORDERED = "image-gif.local.color_map.ordered", "Local color map is ordered", uint(8, Base::Dec, 0x08, Some(TRUE_FALSE));
    LOCAL_BPP = "image-gif.local.bpp", "Image bits per pixel minus 1", uint(8, Base::Dec, 0x07, None);
    LOCAL_MAP = "image-gif.local.color_map", "Local color map", BYTES;
    EXTENSION = "image-gif.extension", "Extension", NONE;
    EXTENSION_LABEL = "image-gif.extension.label", "Extension label", hex_named(8, EXTENSIONS);
    IMAGE = "image-gif.image", "Image", NONE;
    CODE_SIZE = "image-gif.image.code_size", "LZW minimum code size", dec(8);
    TRAILER = "image-gif.end", "Trailer (End of the GIF stream)", NONE;
    DATA_BLOCK = "image-gif.data_block", "Data block", BYTES;
    UNKNOWN_BLOCK = "gif.data_block_type.unknown", "Unknown GIF data block type", NONE;
}

/// Dissects `body` (at `at` in the current data source) as a GIF image. Refused as
/// tshark refuses it: under 20 bytes, or neither `GIF87a` nor `GIF89a`.
pub(crate) fn dissect(d: &mut Dissection<'_>, body: &[u8], at: usize) -> Outcome {
    if !takes(body) {
        return Outcome::Refused;
    }
    let version = body.get(..6).unwrap_or(&[]);
    let text = String::from_utf8_lossy(version).into_owned();
    let top = d.add_labeled(GIF, at, body.len(), Value::None, || {
        format!("Compuserve GIF, Version: {text}")
    });
    d.push_layer("image-gif");
    d.begin(top);
    d.add(VERSION, at, 6, Value::Str(Cow::Owned(version.to_vec())));
    let result = blocks(d, body, at, version == b"GIF89a");
    d.end();
    Outcome::of(d, result, SHORT_NAME, at, body.len())
}

/// Whether tshark's dissector takes `body`: 20 bytes or more, starting `GIF87a` or
/// `GIF89a`.
pub(crate) fn takes(body: &[u8]) -> bool {
    body.len() >= 20 && matches!(body.get(..6), Some(b"GIF87a" | b"GIF89a"))
}

/// The text after `version` a GIF's Info column gets: ` (GIF89a)`.
pub(crate) fn info(body: &[u8]) -> String {
    format!(
        " ({})",
        String::from_utf8_lossy(body.get(..6).unwrap_or(&[]))
    )
}

/// The logical screen descriptor, the global colour map, then the blocks up to the
/// trailer (spec-gif89a.txt section 18 onwards).
fn blocks(d: &mut Dissection<'_>, body: &[u8], at: usize, gif89a: bool) -> Result<(), Thrown> {
    let width = bytes::le_u16(body, 6).ok_or(Thrown::Reported)?;
    d.add_uint(SCREEN_WIDTH, at + 6, 2, u64::from(width));
    let height = bytes::le_u16(body, 8).ok_or(Thrown::Reported)?;
    d.add_uint(SCREEN_HEIGHT, at + 8, 2, u64::from(height));
    let flags = byte(body, 10)?;
    let global = [
        GLOBAL_MAP_PRESENT,
        GLOBAL_COLOR_BPP,
        GLOBAL_MAP_ORDERED,
        GLOBAL_BPP,
    ];
    settings(d, flags, at + 10, "Global", global, gif89a);
    d.add_uint(BACKGROUND, at + 11, 1, u64::from(byte(body, 11)?));
    if gif89a {
        let ratio = byte(body, 12)?;
        if ratio != 0 {
            // Shown only when set: (15 + ratio) / 64 (spec section 18).
            let value = (15.0 + f64::from(ratio)) / 64.0;
            d.add_labeled(
                PIXEL_ASPECT_RATIO,
                at + 12,
                1,
                Value::UInt(u64::from(ratio)),
                || format!("{ratio}, yields an aspect ratio of (15 + {ratio}) / 64 = {value:.2}"),
            );
        }
    }
    let mut offset = 13;
    if flags & 0x80 != 0 {
        let len = 3usize << (1 + (flags & 0x07));
        let map = need(body, offset, len)?;
        d.add(GLOBAL_MAP, at + offset, len, owned(map));
        offset += len;
    }
    while offset < body.len() {
        match byte(body, offset)? {
            0x21 => {
                let item = d.add(EXTENSION, at + offset, 1, Value::None);
                d.begin(item);
                let end = extension(d, body, at, offset + 1, item);
                d.end();
                let end = end?;
                d.set_len(item, end - offset);
                offset = end;
            }
            0x2c => {
                let item = d.add(IMAGE, at + offset, 1, Value::None);
                d.begin(item);
                let end = image(d, body, at, offset + 1, gif89a);
                d.end();
                let end = end?;
                d.set_len(item, end - offset);
                offset = end;
            }
            0x3b => {
                d.add(TRAILER, at + offset, 1, Value::None);
                return Ok(());
            }
            _ => {
                let node = d.add(UNKNOWN_BLOCK, at + offset, 1, Value::None);
                d.expert(
                    node,
                    Expert {
                        severity: Severity::Warning,
                        group: "Protocol",
                        protocol: SHORT_NAME,
                        message: Cow::Borrowed("Unknown GIF data block type"),
                    },
                );
                offset += 1;
            }
        }
    }
    Ok(())
}

/// A global or local settings byte: its summary line and four bit lines (the
/// ordered bit only in GIF89a, where it is defined). `fields`: present, colour
/// resolution, ordered, bits per pixel.
fn settings(
    d: &mut Dissection<'_>,
    flags: u8,
    at: usize,
    scope: &str,
    fields: [FieldId; 4],
    gif89a: bool,
) {
    // tshark reads the colour resolution with mask 0x60 shifted by 4, so its summary
    // says 1, 3, 5 or 7 bits whatever the third bit; the bit line has the true value.
    let resolution = 1 + ((flags & 0x60) >> 4);
    let bpp = 1 + (flags & 0x07);
    let plural = |n: u8| if n == 1 { "" } else { "s" };
    let table = if flags & 0x80 != 0 {
        format!(" ({scope} color table present)")
    } else {
        String::new()
    };
    let item = d.text(at, 1, || {
        format!(
            "{scope} settings:{table} ({resolution} bit{} per color) ({bpp} bit{} per pixel)",
            plural(resolution),
            plural(bpp)
        )
    });
    d.begin(item);
    let [present, resolution_field, ordered, bpp_field] = fields;
    d.add_uint(present, at, 1, u64::from(flags >> 7));
    d.add_uint(resolution_field, at, 1, u64::from((flags >> 4) & 0x07));
    if gif89a {
        d.add_uint(ordered, at, 1, u64::from((flags >> 3) & 0x01));
    }
    d.add_uint(bpp_field, at, 1, u64::from(flags & 0x07));
    d.end();
}

/// An extension after its introducer: the label, which names the extension's
/// `item`, and the data sub-blocks. Returns where the next block starts.
fn extension(
    d: &mut Dissection<'_>,
    body: &[u8],
    at: usize,
    offset: usize,
    item: usize,
) -> Result<usize, Thrown> {
    let label = byte(body, offset)?;
    d.add_uint(EXTENSION_LABEL, at + offset, 1, u64::from(label));
    let name = super::value::value_name(Some(EXTENSIONS), u64::from(label)).map_or_else(
        || format!("<Warning: Unknown extension 0x{label:02X}>"),
        str::to_string,
    );
    d.set_label(item, || format!("Extension: {name}"));
    sub_blocks(d, body, at, offset + 1)
}

/// An image descriptor after its separator (section 20), its local colour map, the
/// LZW code size and the data sub-blocks. Returns where the next block starts.
fn image(
    d: &mut Dissection<'_>,
    body: &[u8],
    at: usize,
    mut offset: usize,
    gif89a: bool,
) -> Result<usize, Thrown> {
    for field in [IMAGE_LEFT, IMAGE_TOP, IMAGE_WIDTH, IMAGE_HEIGHT] {
        let v = bytes::le_u16(body, offset).ok_or(Thrown::Reported)?;
        d.add_uint(field, at + offset, 2, u64::from(v));
        offset += 2;
    }
    let flags = byte(body, offset)?;
    // tshark 4.0 files the local bits-per-pixel line under the global field's name.
    let local = [
        LOCAL_MAP_PRESENT,
        LOCAL_COLOR_BPP,
        LOCAL_MAP_ORDERED,
        GLOBAL_BPP,
    ];
    settings(d, flags, at + offset, "Local", local, gif89a);
    offset += 1;
    if flags & 0x80 != 0 {
        let len = 3usize << (1 + (flags & 0x07));
        let map = need(body, offset, len)?;
        d.add(LOCAL_MAP, at + offset, len, owned(map));
        offset += len;
    }
    d.add_uint(CODE_SIZE, at + offset, 1, u64::from(byte(body, offset)?));
    sub_blocks(d, body, at, offset + 1)
}

/// Data sub-blocks (section 15): a length byte and that many bytes, until an empty
/// one. Returns where the next block starts.
fn sub_blocks(
    d: &mut Dissection<'_>,
    body: &[u8],
    at: usize,
    mut offset: usize,
) -> Result<usize, Thrown> {
    loop {
        let len = usize::from(byte(body, offset)?);
        let data = need(body, offset + 1, len)?;
        // tshark writes an empty block's value (FT_UINT_BYTES) as `<none>`, in
        // `-T fields` as in the label.
        let value = if data.is_empty() {
            Value::Str(Cow::Borrowed(b"<none>"))
        } else {
            owned(data)
        };
        d.add_labeled(DATA_BLOCK, at + offset, 1 + len, value, || {
            let shown = if data.is_empty() {
                "<none>".to_string()
            } else {
                super::value::label_value_text(
                    super::registry::def(DATA_BLOCK),
                    &Value::Bytes(Cow::Borrowed(data)),
                )
            };
            format!("Data block: {shown} (length = {len})")
        });
        offset += 1 + len;
        if len == 0 {
            return Ok(offset);
        }
    }
}

fn owned(bytes: &[u8]) -> Value<'static> {
    Value::Bytes(Cow::Owned(bytes.to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dissect::testing::values;

    /// The GIF body of http_media.pcap frame 24: a 1x1 GIF89a with a two-colour
    /// global map, a Graphics Control extension, one image and the trailer.
    const BODY: [u8; 43] = [
        0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00,
        0x00, 0xff, 0xff, 0xff, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00,
        0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
    ];

    fn run(body: &[u8]) -> (Outcome, Dissection<'static>) {
        let mut d = Dissection::full();
        let outcome = dissect(&mut d, body, 0);
        (outcome, d)
    }

    #[test]
    fn blocks_of_a_real_image() {
        let (outcome, d) = run(&BODY);
        assert_eq!(outcome, Outcome::Dissected);
        assert_eq!(values(&d, "image-gif.version"), ["GIF89a"]);
        assert_eq!(values(&d, "image-gif.global.color_map"), ["000000ffffff"]);
        assert_eq!(values(&d, "image-gif.extension.label"), ["0xf9"]);
        assert_eq!(
            values(&d, "image-gif.data_block"),
            ["01000000", "<none>", "4401", "<none>"]
        );
        assert!(d.has(TRAILER));
        assert_eq!(info(&BODY), " (GIF89a)");
    }

    #[test]
    fn cut_and_impossible_blocks() {
        assert_eq!(run(&BODY[..19]).0, Outcome::Refused);
        for n in 20..BODY.len() {
            assert_ne!(run(&BODY[..n]).0, Outcome::Refused, "{n} bytes");
        }
        // A sub-block longer than the body: malformed.
        let mut long = BODY;
        long[21] = 0xff;
        assert_eq!(run(&long).0, Outcome::Malformed(Thrown::Reported));
    }
}
