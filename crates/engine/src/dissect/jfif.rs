//! JPEG images (JFIF and Exif files, ITU T.81 and JFIF 1.02) as HTTP and mail bodies
//! carry them: the markers, the marker segments tshark 4.0 decodes (APP0's JFIF
//! header, SOF, SOS, COM) and the entropy-coded data between them, undecoded.

use super::field::FieldId;
use super::field::kinds::*;
use super::media::{Outcome, Part, Thrown, ascii_text, be16, byte, string_field, string_label};
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;
use std::borrow::Cow;

/// Marker names (T.81 table B.1), as tshark names them.
const MARKERS: &[(u64, &str)] = &[
    (
        0xff01,
        "Reserved - For temporary private use in arithmetic coding",
    ),
    (
        0xffc0,
        "Start of Frame (non-differential, Huffman coding) - Baseline DCT",
    ),
    (
        0xffc1,
        "Start of Frame (non-differential, Huffman coding) - Extended sequential DCT",
    ),
    (
        0xffc2,
        "Start of Frame (non-differential, Huffman coding) - Progressive DCT",
    ),
    (
        0xffc3,
        "Start of Frame (non-differential, Huffman coding) - Lossless (sequential)",
    ),
    (0xffc4, "Define Huffman table(s)"),
    (
        0xffc5,
        "Start of Frame (differential, Huffman coding) - Differential sequential DCT",
    ),
    (
        0xffc6,
        "Start of Frame (differential, Huffman coding) - Differential progressive DCT",
    ),
    (
        0xffc7,
        "Start of Frame (differential, Huffman coding) - Differential lossless (sequential)",
    ),
    (
        0xffc8,
        "Start of Frame (non-differential, arithmetic coding) - Reserved for JPEG extensions",
    ),
    (
        0xffc9,
        "Start of Frame (non-differential, arithmetic coding) - Extended sequential DCT",
    ),
    (
        0xffca,
        "Start of Frame (non-differential, arithmetic coding) - Progressive DCT",
    ),
    (
        0xffcb,
        "Start of Frame (non-differential, arithmetic coding) - Lossless (sequential)",
    ),
    (0xffcc, "Define arithmetic coding conditioning(s)"),
    (
        0xffcd,
        "Start of Frame (differential, arithmetic coding) - Differential sequential DCT",
    ),
    (
        0xffce,
        "Start of Frame (differential, arithmetic coding) - Differential progressive DCT",
    ),
    (
        0xffcf,
        "Start of Frame (differential, arithmetic coding) - Differential lossless (sequential)",
    ),
    (
        0xffd0,
        "Restart interval termination - Restart with modulo 8 count 0",
    ),
    (
        0xffd1,
        "Restart interval termination - Restart with modulo 8 count 1",
    ),
    (
        0xffd2,
        "Restart interval termination - Restart with modulo 8 count 2",
    ),
    (
        0xffd3,
        "Restart interval termination - Restart with modulo 8 count 3",
    ),
    (
        0xffd4,
        "Restart interval termination - Restart with modulo 8 count 4",
    ),
    (
        0xffd5,
        "Restart interval termination - Restart with modulo 8 count 5",
    ),
    (
        0xffd6,
        "Restart interval termination - Restart with modulo 8 count 6",
    ),
    (
        0xffd7,
        "Restart interval termination - Restart with modulo 8 count 7",
    ),
    (0xffd8, "Start of Image"),
    (0xffd9, "End of Image"),
    (0xffda, "Start of Scan"),
    (0xffdb, "Define quantization table(s)"),
    (0xffdc, "Define number of lines"),
    (0xffdd, "Define restart interval"),
    (0xffde, "Define hierarchical progression"),
    (0xffdf, "Expand reference component(s)"),
    (0xffe0, "Reserved for application segments - 0"),
    (0xffe1, "Reserved for application segments - 1"),
    (0xffe2, "Reserved for application segments - 2"),
    (0xffe3, "Reserved for application segments - 3"),
    (0xffe4, "Reserved for application segments - 4"),
    (0xffe5, "Reserved for application segments - 5"),
    (0xffe6, "Reserved for application segments - 6"),
    (0xffe7, "Reserved for application segments - 7"),
    (0xffe8, "Reserved for application segments - 8"),
    (0xffe9, "Reserved for application segments - 9"),
    (0xffea, "Reserved for application segments - 10"),
    (0xffeb, "Reserved for application segments - 11"),
    (0xffec, "Reserved for application segments - 12"),
    (0xffed, "Reserved for application segments - 13"),
    (0xffee, "Reserved for application segments - 14"),
    (0xffef, "Reserved for application segments - 15"),
    (0xfff0, "Reserved for JPEG extensions - 0"),
    (0xfff1, "Reserved for JPEG extensions - 1"),
    (0xfff2, "Reserved for JPEG extensions - 2"),
    (0xfff3, "Reserved for JPEG extensions - 3"),
    (0xfff4, "Reserved for JPEG extensions - 4"),
    (0xfff5, "Reserved for JPEG extensions - 5"),
    (0xfff6, "Reserved for JPEG extensions - 6"),
    (0xfff7, "Reserved for JPEG extensions - 7"),
    (0xfff8, "Reserved for JPEG extensions - 8"),
    (0xfff9, "Reserved for JPEG extensions - 9"),
    (0xfffa, "Reserved for JPEG extensions - 10"),
    (0xfffb, "Reserved for JPEG extensions - 11"),
    (0xfffc, "Reserved for JPEG extensions - 12"),
    (0xfffd, "Reserved for JPEG extensions - 13"),
    (0xfffe, "Comment"),
];

const UNITS: &[(u64, &str)] = &[
    (
        0,
        "No units; Xdensity and Ydensity specify the pixel aspect ratio",
    ),
    (1, "Dots per inch"),
    (2, "Dots per centimeter"),
];

const EXTENSION_CODES: &[(u64, &str)] = &[
    (0x10, "Thumbnail encoded using JPEG"),
    (0x11, "Thumbnail encoded using 1 byte (8 bits) per pixel"),
    (0x13, "Thumbnail encoded using 3 bytes (24 bits) per pixel"),
];

const SOI: u16 = 0xffd8;
const APP0: u16 = 0xffe0;
const APP1: u16 = 0xffe1;
const APP2: u16 = 0xffe2;
const SOS: u16 = 0xffda;
const COM: u16 = 0xfffe;
const DHT: u16 = 0xffc4;
const DAC: u16 = 0xffcc;

/// tshark's short name for the protocol, which its malformed marker names.
pub(crate) const SHORT_NAME: &str = "JFIF (JPEG) image";

crate::define_fields! { after super::http::END;
    JFIF = "image-jfif", "JPEG File Interchange Format", PROTO;
    MARKER = "image-jfif.marker", "Marker", hex_named(16, MARKERS);
    MARKER_SEGMENT = "image-jfif.marker_segment", "Marker segment", NONE;
    LENGTH = "image-jfif.length", "Length", dec(16);
    IDENTIFIER = "image-jfif.identifier", "Identifier", STR;
    VERSION = "image-jfif.version", "Version", NONE;
    VERSION_MAJOR = "image-jfif.version.major", "Major Version", dec(8);
    VERSION_MINOR = "image-jfif.version.minor", "Minor Version", dec(8);
    UNITS_FIELD = "image-jfif.units", "Units", dec_named(8, UNITS);
    XDENSITY = "image-jfif.Xdensity", "Xdensity", dec(16);
    YDENSITY = "image-jfif.Ydensity", "Ydensity", dec(16);
    XTHUMBNAIL = "image-jfif.Xthumbnail", "Xthumbnail", dec(16);
    YTHUMBNAIL = "image-jfif.Ythumbnail", "Ythumbnail", dec(16);
    RGB = "image-jfif.RGB", "RGB values of thumbnail pixels", BYTES;
    EXTENSION_CODE = "image-jfif.extension.code", "Extension code", hex_named(8, EXTENSION_CODES);
    SOF = "image-jfif.sof", "Start of Frame header", NONE;
    SOF_PRECISION = "image-jfif.sof.precision", "Sample Precision (bits)", dec(8);
    SOF_LINES = "image-jfif.sof.lines", "Lines", dec(16);
    SOF_SAMPLES_PER_LINE = "image-jfif.sof.samples_per_line", "Samples per line", dec(16);
    SOF_NF = "image-jfif.sof.nf", "Number of image components in frame", dec(8);
    SOF_C_I = "image-jfif.sof.c_i", "Component identifier", dec(8);
    SOF_H_I = "image-jfif.sof.h_i", "Horizontal sampling factor", uint(8, super::field::Base::Dec, 0xf0, None);
    SOF_V_I = "image-jfif.sof.v_i", "Vertical sampling factor", uint(8, super::field::Base::Dec, 0x0f, None);
    SOF_TQ_I = "image-jfif.sof.tq_i", "Quantization table destination selector", dec(8);
    SOS_HEADER = "image-jfif.header.sos", "Start of Segment header", NONE;
    SOS_NS = "image-jfif.sos.ns", "Number of image components in scan", dec(8);
    SOS_CS = "image-jfif.sos.component_selector", "Scan component selector", dec(8);
    SOS_TD = "image-jfif.sos.dc_entropy_selector", "DC entropy coding table destination selector", uint(8, super::field::Base::Dec, 0xf0, None);
    SOS_TA = "image-jfif.sos.ac_entropy_selector", "AC entropy coding table destination selector", uint(8, super::field::Base::Dec, 0x0f, None);
    SOS_SS = "image-jfif.sos.ss", "Start of spectral or predictor selection", dec(8);
    SOS_SE = "image-jfif.sos.se", "End of spectral selection", dec(8);
    SOS_AH = "image-jfif.sos.ah", "Successive approximation bit position high", uint(8, super::field::Base::Dec, 0xf0, None);
    SOS_AL = "image-jfif.sos.al", "Successive approximation bit position low or point transform", uint(8, super::field::Base::Dec, 0x0f, None);
    COMMENT_HEADER = "image-jfif.header.comment", "Comment header", NONE;
    COMMENT = "image-jfif.comment", "Comment", STR;
    REMAIN_SEG_DATA = "image-jfif.remain_seg_data", "Remaining segment data", BYTES;
    EXIF_FLASHPIX_MARKER = "image-jfif.exif_flashpix_marker", "Exif FlashPix APP2 application marker", NONE;
    ENTROPY_CODED_SEGMENT = "image-jfif.entropy_coded_segment", "Entropy-coded segment (dissection is not yet implemented)", BYTES;
    FILL_BYTES = "image-jfif.fill_bytes", "Fill bytes", BYTES;
    ENDIANNESS = "image-jfif.endianness", "Endianness", hex(16);
    START_IFD_OFFSET = "image-jfif.start_ifd_offset", "Start offset of IFD starting from the TIFF header start", dec(32);
    NEXT_IFD_OFFSET = "image-jfif.next_ifd_offset", "Offset to next IFD from start of TIFF header", dec(32);
    IFD_NUM_FIELDS = "image-jfif.ifd.num_fields", "Number of fields in this IFD", dec(16);
    IFD_TAG = "image-jfif.ifd.tag", "Tag", dec_named(16, super::jfif_exif::TIFF_TAGS);
    IFD_TAG_EXIF = "image-jfif.ifd.tag_exif", "Tag", dec_named(16, super::jfif_exif::EXIF_TAGS);
    IFD_TAG_GPS = "image-jfif.ifd.tag_gps", "Tag", dec_named(16, super::jfif_exif::GPS_TAGS);
    IFD_TAG_INTEROP = "image-jfif.ifd.tag_interop", "Tag", dec_named(16, super::jfif_exif::INTEROP_TAGS);
    IFD_TYPE = "image-jfif.ifd.type", "Type", dec_named(16, super::jfif_exif::TYPES);
    IFD_COUNT = "image-jfif.ifd.count", "Count", dec(32);
    IFD_OFFSET = "image-jfif.ifd.offset", "Value offset from start of TIFF header", dec(32);
    VALUE_BYTE = "image-jfif.ifd.value_byte", "Value", dec(8);
    VALUE_ASCII = "image-jfif.ifd.value_ascii", "Value", STR;
    VALUE_SHORT = "image-jfif.ifd.value_short", "Value", dec(16);
    VALUE_LONG = "image-jfif.ifd.value_long", "Value", dec(32);
    VALUE_RATIONAL = "image-jfif.ifd.value_rational", "Value", NONE;
    RATIONAL_NUMERATOR = "image-jfif.ifd.value_rational.numerator", "Numerator", dec(32);
    RATIONAL_DENOMINATOR = "image-jfif.ifd.value_rational.denominator", "Denominator", dec(32);
    VALUE_UNDEFINED = "image-jfif.ifd.value_undefined", "Value (raw)", BYTES;
    VALUE_SLONG = "image-jfif.ifd.value_slong", "Value", int(32);
    VALUE_SRATIONAL = "image-jfif.ifd.value_srational", "Value", NONE;
    SRATIONAL_NUMERATOR = "image-jfif.ifd.value_srational.numerator", "Numerator", int(32);
    SRATIONAL_DENOMINATOR = "image-jfif.ifd.value_srational.denominator", "Denominator", int(32);
}

fn owned(bytes: &[u8]) -> Value<'static> {
    Value::Bytes(Cow::Owned(bytes.to_vec()))
}

/// Dissects `body` (at `at` in the current data source) as a JPEG image. Refused
/// as tshark's dissector refuses it: under 20 bytes, no SOI, neither `JFIF` nor
/// `Exif` in the first segment.
pub(crate) fn dissect(d: &mut Dissection<'_>, body: &[u8], at: usize) -> Outcome {
    if !takes(body) {
        return Outcome::Refused;
    }
    let exif_first = body.get(6..11) == Some(b"Exif\0".as_slice());
    let top = d.add(JFIF, at, body.len(), Value::None);
    d.push_layer("image-jfif");
    d.begin(top);
    let mut tree_only = None;
    let result = markers(d, body, at, exif_first, &mut tree_only);
    d.end();
    if result.is_ok()
        && let Some(thrown) = tree_only
    {
        // What tshark's hierarchy (built with a tree) counts, and only that.
        super::packet::malformed_body_item(d, SHORT_NAME, thrown.detail(), at, body.len());
    }
    Outcome::of(d, result, SHORT_NAME, at, body.len())
}

/// Whether tshark's dissector takes `body`: 20 bytes or more, SOI, and `JFIF` or
/// `Exif` where the first segment's identifier lies.
pub(crate) fn takes(body: &[u8]) -> bool {
    body.len() >= 20
        && bytes::be_u16(body, 0) == Some(SOI)
        && matches!(body.get(6..11), Some(b"Exif\0" | b"JFIF\0"))
}

/// The loop over entropy-coded data and markers (T.81 B.1.1.2: a marker is 0xFF and
/// a byte other than 0x00 and 0xFF; 0xFF 0x00 is a stuffed data byte, and 0xFF bytes
/// before a marker are fill).
fn markers(
    d: &mut Dissection<'_>,
    body: &[u8],
    at: usize,
    mut exif_first: bool,
    tree_only: &mut Option<Thrown>,
) -> Result<(), Thrown> {
    // tshark's tree: the detail view and the fields asked of this protocol (not a
    // filter on other protocols, so that a load's filter never changes the counts).
    let tree = d.keeps_fields_of(JFIF);
    let mut entropy_at = 0usize;
    loop {
        // Past the end is an exception in tshark's search; at the end, the search ends.
        if entropy_at > body.len() {
            return Err(Thrown::Reported);
        }
        let mut fill_at = entropy_at;
        loop {
            match body
                .get(fill_at..)
                .and_then(|rest| rest.iter().position(|b| *b == 0xff))
            {
                None => {
                    fill_at = body.len();
                    break;
                }
                Some(p) => {
                    fill_at += p;
                    if fill_at + 1 == body.len() || body.get(fill_at + 1) != Some(&0) {
                        break;
                    }
                    fill_at += 2;
                }
            }
        }
        if fill_at != entropy_at {
            let data = body.get(entropy_at..fill_at).unwrap_or(&[]);
            d.add(
                ENTROPY_CODED_SEGMENT,
                at + entropy_at,
                data.len(),
                owned(data),
            );
        }
        if fill_at == body.len() {
            return Ok(());
        }
        let mut marker_at = fill_at;
        while byte(body, marker_at + 1)? == 0xff {
            marker_at += 1;
        }
        if marker_at != fill_at {
            let fill = body.get(fill_at..marker_at).unwrap_or(&[]);
            d.add(FILL_BYTES, at + fill_at, fill.len(), owned(fill));
        }
        let marker = be16(body, marker_at)?;
        let Some(name) = super::value::value_name(Some(MARKERS), u64::from(marker)) else {
            d.add_labeled(
                MARKER,
                at + marker_at,
                2,
                Value::UInt(u64::from(marker)),
                || format!("Marker: Unknown (0x{marker:04x}) (Reserved)"),
            );
            return Ok(());
        };
        if !has_length(marker) {
            d.add_uint(MARKER, at + marker_at, 2, u64::from(marker));
            entropy_at = marker_at + 2;
            continue;
        }
        let len = be16(body, marker_at + 2)?;
        let reported = 2 + usize::from(len);
        // tshark's segment is a sub-buffer: the bytes there are, up to its length.
        let seg = Part {
            data: bytes::clamped(body, marker_at, reported),
            reported,
        };
        let seg_at = at + marker_at;
        // tshark skips these segments' fields without a tree (a summary line, the
        // expert counts), so a read past their end throws only with one (-V, the
        // protocol hierarchy). Without a tree they are read all the same, and the
        // first such throw is remembered for the hierarchy's malformed count.
        let done = match marker {
            APP0 => app0(d, seg, seg_at, len, name),
            APP1 => {
                let r = app_identified(d, seg, seg_at, len, name, exif_first);
                exif_first = false;
                r
            }
            APP2 => app_identified(d, seg, seg_at, len, name, false),
            SOS => sos(d, seg, seg_at, name),
            COM => comment(d, seg, seg_at, len, name),
            m if is_sof(m) => sof(d, seg, seg_at, name),
            _ => segment(d, seg, seg_at, len, name),
        };
        match done {
            Err(thrown) if !tree && marker != APP1 => {
                tree_only.get_or_insert(thrown);
            }
            other => other?,
        }
        entropy_at = marker_at + reported;
    }
}

/// Whether a marker starts a segment with a length (all but TEM, SOI, EOI, RSTn).
fn has_length(marker: u16) -> bool {
    !matches!(marker, 0xff01 | 0xffd8 | 0xffd9 | 0xffd0..=0xffd7)
}

/// Whether a marker is one of the SOFn (0xFFC0 to 0xFFCF but DHT and DAC).
fn is_sof(marker: u16) -> bool {
    (0xffc0..=0xffcf).contains(&marker) && marker != DHT && marker != DAC
}

/// Opens a segment's item (`field`, named after its marker) with the marker and
/// length lines that start every segment.
fn open(
    d: &mut Dissection<'_>,
    field: FieldId,
    seg: Part<'_>,
    seg_at: usize,
    name: &str,
) -> Result<(), Thrown> {
    let marker = bytes::be_u16(seg.data, 0).unwrap_or(0);
    let def_name = super::registry::def(field).name;
    let item = d.add_labeled(field, seg_at, seg.data.len(), Value::None, || {
        format!("{def_name}: {name} (0x{marker:04X})")
    });
    d.begin(item);
    let marker = seg.need(0, 2)?;
    d.add_uint(
        MARKER,
        seg_at,
        2,
        u64::from(bytes::be_u16(marker, 0).unwrap_or(0)),
    );
    let len = seg.need(2, 2)?;
    d.add_uint(
        LENGTH,
        seg_at + 2,
        2,
        u64::from(bytes::be_u16(len, 0).unwrap_or(0)),
    );
    Ok(())
}

/// Runs `body` inside a segment's item, closing the item however it ends.
fn within(
    d: &mut Dissection<'_>,
    field: FieldId,
    seg: Part<'_>,
    seg_at: usize,
    name: &str,
    body: impl FnOnce(&mut Dissection<'_>) -> Result<(), Thrown>,
) -> Result<(), Thrown> {
    let result = open(d, field, seg, seg_at, name).and_then(|()| body(d));
    d.end();
    result
}

/// "Remaining segment data: N bytes" from `offset` to the segment's end; `count` is
/// tshark's figure (the length field less what was read), which wraps as its
/// unsigned arithmetic does.
fn remaining(
    d: &mut Dissection<'_>,
    seg: Part<'_>,
    seg_at: usize,
    offset: usize,
    count: u32,
) -> Result<(), Thrown> {
    // tshark's "to the end" item needs at least one byte there.
    seg.need(offset, 1)?;
    let rest = bytes::tail(seg.data, offset);
    d.add_labeled(
        REMAIN_SEG_DATA,
        seg_at + offset,
        rest.len(),
        owned(rest),
        || format!("Remaining segment data: {count} bytes"),
    );
    Ok(())
}

/// A segment tshark does not decode (DQT, DHT, DRI, APPn, ...).
fn segment(
    d: &mut Dissection<'_>,
    seg: Part<'_>,
    seg_at: usize,
    len: u16,
    name: &str,
) -> Result<(), Thrown> {
    within(d, MARKER_SEGMENT, seg, seg_at, name, |d| {
        remaining(d, seg, seg_at, 4, u32::from(len).wrapping_sub(2))
    })
}

/// The NUL-terminated identifier at offset 4 of an APPn segment: its text and its
/// size with the NUL (no NUL before the segment ends is an exception).
fn identifier<'s>(seg: Part<'s>) -> Result<(&'s [u8], usize), Thrown> {
    seg.need(4, 0)?;
    let rest = bytes::tail(seg.data, 4);
    // No NUL before the bytes end: tshark's search reads one past them.
    let nul = match rest.iter().position(|b| *b == 0) {
        Some(nul) => nul,
        None => {
            return Err(seg
                .need(seg.data.len(), 1)
                .err()
                .unwrap_or(Thrown::Reported));
        }
    };
    Ok((rest.get(..nul).unwrap_or(&[]), nul + 1))
}

/// APP0: the JFIF header (version, units, densities, thumbnail) or JFXX's extension
/// code (JFIF 1.02 section "JFIF APP0 marker segment").
fn app0(
    d: &mut Dissection<'_>,
    seg: Part<'_>,
    seg_at: usize,
    len: u16,
    name: &str,
) -> Result<(), Thrown> {
    within(d, MARKER_SEGMENT, seg, seg_at, name, |d| {
        let (ident, size) = identifier(seg)?;
        let item = d.add_labeled(
            IDENTIFIER,
            seg_at + 4,
            size,
            Value::Str(Cow::Owned(ascii_text(ident))),
            || string_label("Identifier", &ascii_text(ident), ""),
        );
        match ident {
            b"JFIF" => {
                let version = seg.need(9, 2)?;
                let (major, minor) = (
                    version.first().copied().unwrap_or(0),
                    version.get(1).copied().unwrap_or(0),
                );
                let v = d.add_labeled(VERSION, seg_at + 9, 2, Value::None, || {
                    format!("Version: {major}.{minor}")
                });
                d.begin(v);
                d.add_uint(VERSION_MAJOR, seg_at + 9, 1, u64::from(major));
                d.add_uint(VERSION_MINOR, seg_at + 10, 1, u64::from(minor));
                d.end();
                let units = seg.need(11, 1)?;
                d.add_uint(
                    UNITS_FIELD,
                    seg_at + 11,
                    1,
                    u64::from(units.first().copied().unwrap_or(0)),
                );
                for (field, offset) in [(XDENSITY, 12), (YDENSITY, 14)] {
                    let v = seg.be16(offset)?;
                    d.add_uint(field, seg_at + offset, 2, u64::from(v));
                }
                let x = seg.byte(16)?;
                d.add_uint(XTHUMBNAIL, seg_at + 16, 1, u64::from(x));
                let y = seg.byte(17)?;
                d.add_uint(YTHUMBNAIL, seg_at + 17, 1, u64::from(y));
                if x != 0 || y != 0 {
                    let n = 3 * usize::from(x) * usize::from(y);
                    let rgb = seg.need(18, n)?;
                    // An empty byte field reads <MISSING> in tshark's label.
                    d.add_labeled(RGB, seg_at + 18, n, owned(rgb), || {
                        let shown = if rgb.is_empty() {
                            "<MISSING>".to_string()
                        } else {
                            super::value::label_value_text(super::registry::def(RGB), &owned(rgb))
                        };
                        format!("RGB values of thumbnail pixels: {shown}")
                    });
                }
            }
            b"JFXX" => {
                let code = seg.byte(9)?;
                d.add_uint(EXTENSION_CODE, seg_at + 9, 1, u64::from(code));
            }
            _ => {
                let text = ascii_text(ident);
                d.set_label(item, || {
                    string_label("Identifier", &text, " (unknown identifier)")
                });
                let count = u32::from(len)
                    .wrapping_sub(2)
                    .wrapping_sub(u32::try_from(size).unwrap_or(0));
                remaining(d, seg, seg_at, 4 + size, count)?;
            }
        }
        Ok(())
    })
}

/// APP1 and APP2: an identifier, then Exif's TIFF directories (APP1), the FlashPix
/// marker (APP2) or the data undecoded. `exif_first`: the image started with this
/// APP1 rather than JFIF's APP0, which tshark warns of.
fn app_identified(
    d: &mut Dissection<'_>,
    seg: Part<'_>,
    seg_at: usize,
    len: u16,
    name: &str,
    exif_first: bool,
) -> Result<(), Thrown> {
    let marker = bytes::be_u16(seg.data, 0).unwrap_or(0);
    let mut flashpix = false;
    let result = within(d, MARKER_SEGMENT, seg, seg_at, name, |d| {
        let (ident, size) = identifier(seg)?;
        let item = d.add_labeled(
            IDENTIFIER,
            seg_at + 4,
            size,
            Value::Str(Cow::Owned(ascii_text(ident))),
            || string_label("Identifier", &ascii_text(ident), ""),
        );
        if exif_first && ident != b"JFIF" {
            d.expert(
                item,
                super::jfif_exif::warning(
                    "Initial App0 segment with \"JFIF\" Identifier not found",
                ),
            );
        }
        if marker == APP1 && ident == b"Exif" {
            // "Exif" and two NULs, then the TIFF header (Exif 2.32 section 4.5.4).
            let tiff_at = 4 + size + 1;
            let tiff = seg.from(tiff_at)?;
            return super::jfif_exif::tiff(d, tiff, seg_at + tiff_at);
        }
        if marker == APP2 && ident == b"FPXR" {
            flashpix = true;
            return Ok(());
        }
        let text = ascii_text(ident);
        let count = u32::from(len)
            .wrapping_sub(2)
            .wrapping_sub(u32::try_from(size).unwrap_or(0));
        remaining(d, seg, seg_at, 4 + size, count)?;
        d.set_label(item, || {
            string_label("Identifier", &text, " (Unknown identifier)")
        });
        Ok(())
    });
    if flashpix {
        // tshark adds this one beside the segment's item, not inside it.
        d.add(EXIF_FLASHPIX_MARKER, seg_at, seg.data.len(), Value::None);
    }
    result
}

/// SOFn: the frame header (T.81 B.2.2).
fn sof(d: &mut Dissection<'_>, seg: Part<'_>, seg_at: usize, name: &str) -> Result<(), Thrown> {
    within(d, SOF, seg, seg_at, name, |d| {
        let precision = seg.byte(4)?;
        d.add_uint(SOF_PRECISION, seg_at + 4, 1, u64::from(precision));
        let lines = seg.be16(5)?;
        d.add_uint(SOF_LINES, seg_at + 5, 2, u64::from(lines));
        let samples = seg.be16(7)?;
        d.add_uint(SOF_SAMPLES_PER_LINE, seg_at + 7, 2, u64::from(samples));
        let count = seg.byte(9)?;
        d.add_uint(SOF_NF, seg_at + 9, 1, u64::from(count));
        let mut offset = 10;
        for _ in 0..count {
            let c = seg.byte(offset)?;
            d.add_uint(SOF_C_I, seg_at + offset, 1, u64::from(c));
            let hv = seg.byte(offset + 1)?;
            d.add_uint(SOF_H_I, seg_at + offset + 1, 1, u64::from(hv >> 4));
            d.add_uint(SOF_V_I, seg_at + offset + 1, 1, u64::from(hv & 0x0f));
            let tq = seg.byte(offset + 2)?;
            d.add_uint(SOF_TQ_I, seg_at + offset + 2, 1, u64::from(tq));
            offset += 3;
        }
        Ok(())
    })
}

/// SOS: the scan header (T.81 B.2.3).
fn sos(d: &mut Dissection<'_>, seg: Part<'_>, seg_at: usize, name: &str) -> Result<(), Thrown> {
    within(d, SOS_HEADER, seg, seg_at, name, |d| {
        let count = seg.byte(4)?;
        d.add_uint(SOS_NS, seg_at + 4, 1, u64::from(count));
        let mut offset = 5;
        for _ in 0..count {
            let cs = seg.byte(offset)?;
            d.add_uint(SOS_CS, seg_at + offset, 1, u64::from(cs));
            let t = seg.byte(offset + 1)?;
            d.add_uint(SOS_TD, seg_at + offset + 1, 1, u64::from(t >> 4));
            d.add_uint(SOS_TA, seg_at + offset + 1, 1, u64::from(t & 0x0f));
            offset += 2;
        }
        let ss = seg.byte(offset)?;
        d.add_uint(SOS_SS, seg_at + offset, 1, u64::from(ss));
        let se = seg.byte(offset + 1)?;
        d.add_uint(SOS_SE, seg_at + offset + 1, 1, u64::from(se));
        let a = seg.byte(offset + 2)?;
        d.add_uint(SOS_AH, seg_at + offset + 2, 1, u64::from(a >> 4));
        d.add_uint(SOS_AL, seg_at + offset + 2, 1, u64::from(a & 0x0f));
        Ok(())
    })
}

/// COM: the comment's text.
fn comment(
    d: &mut Dissection<'_>,
    seg: Part<'_>,
    seg_at: usize,
    len: u16,
    name: &str,
) -> Result<(), Thrown> {
    within(d, COMMENT_HEADER, seg, seg_at, name, |d| {
        // A length under 2 leaves tshark a negative item length: an exception.
        let n = usize::from(len).checked_sub(2).ok_or(Thrown::Reported)?;
        let text = seg.need(4, n)?;
        string_field(d, COMMENT, seg_at + 4, text, ascii_text(text), SHORT_NAME);
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dissect::testing::values;

    /// The first 96 bytes of the JPEG body of http_media.pcap frame 15: SOI, the JFIF
    /// APP0 segment, then data whose bytes 93-94 read as the reserved marker 0xFF06.
    const HEAD: &str = "ffd8ffe000104a4649460001010000010001000000070e151c232a31383f464d545b\
        626970777e858c939aa1a8afb6bdc4cbd2d9e0e7eef5fc030a11181f262d343b424950575e656c\
        737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d";

    fn head() -> Vec<u8> {
        crate::wire::testing::hex(HEAD)
    }

    fn run(body: &[u8]) -> (Outcome, Dissection<'static>) {
        let mut d = Dissection::full();
        let outcome = dissect(&mut d, body, 0);
        (outcome, d)
    }

    #[test]
    fn jfif_header_then_reserved_marker() {
        let (outcome, d) = run(&head());
        assert_eq!(outcome, Outcome::Dissected);
        assert_eq!(
            values(&d, "image-jfif.marker"),
            ["0xffd8", "0xffe0", "0xff06"]
        );
        assert_eq!(values(&d, "image-jfif.identifier"), ["JFIF"]);
        assert_eq!(values(&d, "image-jfif.Xdensity"), ["1"]);
        let entropy = values(&d, "image-jfif.entropy_coded_segment");
        assert_eq!(entropy.len(), 1);
        assert!(entropy[0].starts_with("00070e151c232a") && entropy[0].ends_with("f1f8"));
        assert!(!d.columns.info.contains("Malformed"));
    }

    #[test]
    fn refused_and_cut_bodies() {
        // Under 20 bytes, or no JFIF/Exif identifier: not this dissector's.
        let head = head();
        assert_eq!(run(&head[..19]).0, Outcome::Refused);
        let mut other = head.clone();
        other[6] = b'X';
        assert_eq!(run(&other).0, Outcome::Refused);
        // A segment length past the body's end: malformed, never a panic.
        let mut long = head[..20].to_vec();
        long.extend_from_slice(&[0xff, 0xdb, 0xff, 0xff, 0x00]);
        let (outcome, d) = run(&long);
        assert_eq!(outcome, Outcome::Malformed(Thrown::Reported));
        assert_eq!(values(&d, "image-jfif.length"), ["16", "65535"]);
        // Every prefix of at least 20 bytes decodes or is marked, without a panic.
        for n in 20..long.len() {
            run(long.get(..n).unwrap_or(&[]));
        }
    }
}
