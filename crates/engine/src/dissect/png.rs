//! PNG images (W3C PNG 2nd edition) as HTTP and mail bodies carry them: the
//! signature, then each chunk's length, type, property bits, the fields of the chunks
//! tshark 4.0 decodes (IHDR, bKGD, cHRM, gAMA, pHYs, sRGB, tEXt, tIME) and the CRC.

use super::field::kinds::*;
use super::field::{Base, FieldId};
use super::media::{Outcome, Thrown, ascii_text, be16, byte, need, string_field};
use super::tree::Dissection;
use super::value::Value;
use crate::bytes;
use std::borrow::Cow;

/// PNG's eight-byte signature (section 5.2).
const SIGNATURE: [u8; 8] = [137, 80, 78, 71, 13, 10, 26, 10];

/// The chunk types tshark names (section 4.3).
const CHUNK_NAMES: &[(&[u8; 4], &str)] = &[
    (b"IHDR", "Image Header"),
    (b"bKGD", "Background colour"),
    (b"gAMA", "Image gamma"),
    (b"iCCP", "Embedded ICC profile"),
    (b"cHRM", "Primary chromaticities and white point"),
    (b"pHYs", "Physical pixel dimensions"),
    (b"iTXt", "International textual data"),
    (b"tEXt", "Textual data"),
    (b"sBIT", "Significant bits"),
    (b"sRGB", "Standard RGB colour space"),
    (b"tIME", "Image last-modification time"),
    (b"IDAT", "Image data chunk"),
    (b"IEND", "Image Trailer"),
    (b"tRNS", "Transparency"),
    (b"PLTE", "Palette"),
];

const COLOUR_TYPES: &[(u64, &str)] = &[
    (0, "Greyscale"),
    (2, "Truecolour"),
    (3, "Indexed-colour"),
    (4, "Greyscale with alpha"),
    (6, "Truecolour with alpha"),
];
const COMPRESSION_METHODS: &[(u64, &str)] = &[(0, "Deflate")];
const FILTER_METHODS: &[(u64, &str)] = &[(0, "Adaptive")];
const INTERLACE_METHODS: &[(u64, &str)] = &[(0, "No interlace"), (1, "Adam7")];
const SRGB_INTENTS: &[(u64, &str)] = &[
    (0, "Perceptual"),
    (1, "Relative colorimetric"),
    (2, "Saturation"),
    (3, "Absolute colorimetric"),
];
const PHYS_UNITS: &[(u64, &str)] = &[(0, "Unit is unknown"), (1, "Unit is METRE")];

/// tshark's short name for the protocol, which its malformed marker names.
const SHORT_NAME: &str = "PNG";

crate::define_fields! { after super::jfif::END;
    PNG = "png", "Portable Network Graphics", PROTO;
    SIGNATURE_FIELD = "png.signature", "PNG Signature", BYTES;
    CHUNK_DATA = "png.chunk.data", "Data", NONE;
    CHUNK_TYPE = "png.chunk.type", "Chunk", STR;
    CHUNK_LEN = "png.chunk.len", "Len", dec(32);
    CHUNK_CRC = "png.chunk.crc", "CRC", hex(32);
    FLAG_ANCILLARY = "png.chunk.flag.ancillary", "Ancillary", flag(32, 0x2000_0000);
    FLAG_PRIVATE = "png.chunk.flag.private", "Private", flag(32, 0x0020_0000);
    FLAG_STC = "png.chunk.flag.stc", "Safe To Copy", flag(32, 0x0000_0020);
    IHDR_WIDTH = "png.ihdr.width", "Width", dec(32);
    IHDR_HEIGHT = "png.ihdr.height", "Height", dec(32);
    IHDR_BITDEPTH = "png.ihdr.bitdepth", "Bit Depth", dec(8);
    IHDR_COLOUR_TYPE = "png.ihdr.colour_type", "Colour Type", dec_named(8, COLOUR_TYPES);
    IHDR_COMPRESSION = "png.ihdr.compression_method", "Compression Method", dec_named(8, COMPRESSION_METHODS);
    IHDR_FILTER = "png.ihdr.filter_method", "Filter Method", dec_named(8, FILTER_METHODS);
    IHDR_INTERLACE = "png.ihdr.interlace_method", "Interlace Method", dec_named(8, INTERLACE_METHODS);
    SRGB_INTENT = "png.srgb.intent", "Intent", dec_named(8, SRGB_INTENTS);
    TEXT_KEYWORD = "png.text.keyword", "Keyword", STR;
    TEXT_STRING = "png.text.string", "String", STR;
    TIME_YEAR = "png.time.year", "Year", dec(16);
    TIME_MONTH = "png.time.month", "Month", dec(8);
    TIME_DAY = "png.time.day", "Day", dec(8);
    TIME_HOUR = "png.time.hour", "Hour", dec(8);
    TIME_MINUTE = "png.time.minute", "Minute", dec(8);
    TIME_SECOND = "png.time.second", "Second", dec(8);
    PHYS_HORIZ = "png.phys.horiz", "Horizontal pixels per unit", dec(32);
    PHYS_VERT = "png.phys.vert", "Vertical pixels per unit", dec(32);
    PHYS_UNIT = "png.phys.unit", "Unit", dec_named(8, PHYS_UNITS);
    BKGD_PALETTE_INDEX = "png.bkgd.palette_index", "Palette Index", dec(8);
    BKGD_GREYSCALE = "png.bkgd.greyscale", "Greyscale", uint(16, Base::Hex, 0, None);
    BKGD_RED = "png.bkgd.red", "Red", uint(16, Base::Hex, 0, None);
    BKGD_GREEN = "png.bkgd.green", "Green", uint(16, Base::Hex, 0, None);
    BKGD_BLUE = "png.bkgd.blue", "Blue", uint(16, Base::Hex, 0, None);
    CHRM_WHITE_X = "png.chrm.white.x", "White X", FLOAT;
    CHRM_WHITE_Y = "png.chrm.white.y", "White Y", FLOAT;
    CHRM_RED_X = "png.chrm.red.x", "Red X", FLOAT;
    CHRM_RED_Y = "png.chrm.red.y", "Red Y", FLOAT;
    CHRM_GREEN_X = "png.chrm.green.x", "Green X", FLOAT;
    CHRM_GREEN_Y = "png.chrm.green.y", "Green Y", FLOAT;
    CHRM_BLUE_X = "png.chrm.blue.x", "Blue X", FLOAT;
    CHRM_BLUE_Y = "png.chrm.blue.y", "Blue Y", FLOAT;
    GAMA_GAMMA = "png.gama.gamma", "Gamma", FLOAT;
    CHUNK_TOO_LARGE = "png.chunk_too_large", "chunk size too large, dissection of this chunk is not supported", NONE;
}

/// Dissects `body` (at `at` in the current data source) as a PNG image. Refused as
/// tshark refuses it: under 20 bytes or without the signature.
pub(crate) fn dissect(d: &mut Dissection<'_>, body: &[u8], at: usize) -> Outcome {
    if !takes(body) {
        return Outcome::Refused;
    }
    let top = d.add(PNG, at, body.len(), Value::None);
    d.push_layer("png");
    d.begin(top);
    d.add(
        SIGNATURE_FIELD,
        at,
        SIGNATURE.len(),
        Value::Bytes(Cow::Borrowed(&SIGNATURE)),
    );
    let result = chunks(d, body, at);
    d.end();
    Outcome::of(d, result, SHORT_NAME, at, body.len())
}

/// Whether tshark's dissector takes `body`: 20 bytes or more, starting with the
/// signature.
pub(crate) fn takes(body: &[u8]) -> bool {
    body.len() >= 20 && body.starts_with(&SIGNATURE)
}

/// Each chunk (section 5.3): length, type, data, CRC.
fn chunks(d: &mut Dissection<'_>, body: &[u8], at: usize) -> Result<(), Thrown> {
    let mut offset = SIGNATURE.len();
    while offset < body.len() {
        let len = bytes::be_u32(body, offset).ok_or(Thrown::Reported)?;
        let kind: [u8; 4] = bytes::array(body, offset + 4).ok_or(Thrown::Reported)?;
        // tshark's chunk item spans the whole chunk: one past the body throws first.
        let data_len = usize::try_from(len).map_err(|_| Thrown::Reported)?;
        let whole = data_len.checked_add(12).ok_or(Thrown::Reported)?;
        if len > i32::MAX as u32 - 12 || offset + whole > body.len() {
            return Err(Thrown::Reported);
        }
        let name = CHUNK_NAMES
            .iter()
            .find(|(k, _)| **k == kind)
            .map_or("unknown", |(_, n)| n);
        let type_text = String::from_utf8_lossy(&ascii_text(&kind)).into_owned();
        let item = d.text(at + offset, whole, || format!("{name} ({type_text})"));
        d.begin(item);
        let inside = chunk(d, body, at, offset, len, &kind);
        d.end();
        inside?;
        offset += whole;
    }
    Ok(())
}

/// One chunk's lines inside its item: length, type, property bits, data, CRC.
fn chunk(
    d: &mut Dissection<'_>,
    body: &[u8],
    at: usize,
    offset: usize,
    len: u32,
    kind: &[u8; 4],
) -> Result<(), Thrown> {
    d.add_uint(CHUNK_LEN, at + offset, 4, u64::from(len));
    string_field(
        d,
        CHUNK_TYPE,
        at + offset + 4,
        kind,
        ascii_text(kind),
        SHORT_NAME,
    );
    // The property bits are bit 5 of the type's first, second and fourth bytes.
    let word = u32::from_be_bytes(*kind);
    for (field, mask) in [
        (FLAG_ANCILLARY, 0x2000_0000u32),
        (FLAG_PRIVATE, 0x0020_0000),
        (FLAG_STC, 0x0000_0020),
    ] {
        let set = word & mask != 0;
        d.add_labeled(field, at + offset + 4, 4, Value::Bool(set), || {
            flag_label(field, mask, set)
        });
    }
    let data_at = offset + 8;
    let data_len = usize::try_from(len).map_err(|_| Thrown::Reported)?;
    let data = need(body, data_at, data_len)?;
    chunk_fields(d, kind, data, at + data_at)?;
    let crc = bytes::be_u32(body, data_at + data_len).ok_or(Thrown::Reported)?;
    d.add_uint(CHUNK_CRC, at + data_at + data_len, 4, u64::from(crc));
    Ok(())
}

/// A flag line as tshark writes it, with PNG's words for set and clear.
fn flag_label(field: FieldId, mask: u32, set: bool) -> String {
    let (name, words) = if field == FLAG_ANCILLARY {
        (
            "Ancillary",
            ["This is a CRITICAL chunk", "This is an ANCILLARY chunk"],
        )
    } else if field == FLAG_PRIVATE {
        (
            "Private",
            ["This is a PUBLIC chunk", "This is a PRIVATE chunk"],
        )
    } else {
        (
            "Safe To Copy",
            [
                "This chunk is NOT safe to copy",
                "This chunk is SAFE TO COPY",
            ],
        )
    };
    let chart = super::value::bit_chart(32, u64::from(mask), u64::from(set));
    let [clear_word, set_word] = words;
    let word = if set { set_word } else { clear_word };
    format!("{chart} = {name}: {word}")
}

/// The fields of a chunk's data (section 11), or "Data" for the chunks tshark does
/// not decode. `data` is the chunk's data, at `at`.
fn chunk_fields(
    d: &mut Dissection<'_>,
    kind: &[u8; 4],
    data: &[u8],
    at: usize,
) -> Result<(), Thrown> {
    let u8_field = |d: &mut Dissection<'_>, field: FieldId, offset: usize| -> Result<(), Thrown> {
        d.add_uint(field, at + offset, 1, u64::from(byte(data, offset)?));
        Ok(())
    };
    let u16_field = |d: &mut Dissection<'_>, field: FieldId, offset: usize| -> Result<(), Thrown> {
        d.add_uint(field, at + offset, 2, u64::from(be16(data, offset)?));
        Ok(())
    };
    let u32_field = |d: &mut Dissection<'_>, field: FieldId, offset: usize| -> Result<(), Thrown> {
        let v = bytes::be_u32(data, offset).ok_or(Thrown::Reported)?;
        d.add_uint(field, at + offset, 4, u64::from(v));
        Ok(())
    };
    match kind {
        b"IHDR" => {
            u32_field(d, IHDR_WIDTH, 0)?;
            u32_field(d, IHDR_HEIGHT, 4)?;
            for (field, offset) in [
                (IHDR_BITDEPTH, 8),
                (IHDR_COLOUR_TYPE, 9),
                (IHDR_COMPRESSION, 10),
                (IHDR_FILTER, 11),
                (IHDR_INTERLACE, 12),
            ] {
                u8_field(d, field, offset)?;
            }
        }
        // bKGD's layout follows the colour type, which tshark infers from its length.
        b"bKGD" => match data.len() {
            1 => u8_field(d, BKGD_PALETTE_INDEX, 0)?,
            2 => u16_field(d, BKGD_GREYSCALE, 0)?,
            6 => {
                u16_field(d, BKGD_RED, 0)?;
                u16_field(d, BKGD_GREEN, 2)?;
                u16_field(d, BKGD_BLUE, 4)?;
            }
            _ => {}
        },
        b"cHRM" => {
            for (i, field) in [
                CHRM_WHITE_X,
                CHRM_WHITE_Y,
                CHRM_RED_X,
                CHRM_RED_Y,
                CHRM_GREEN_X,
                CHRM_GREEN_Y,
                CHRM_BLUE_X,
                CHRM_BLUE_Y,
            ]
            .into_iter()
            .enumerate()
            {
                hundred_thousandths(d, field, data, at, i * 4)?;
            }
        }
        b"gAMA" => hundred_thousandths(d, GAMA_GAMMA, data, at, 0)?,
        b"pHYs" => {
            u32_field(d, PHYS_HORIZ, 0)?;
            u32_field(d, PHYS_VERT, 4)?;
            u8_field(d, PHYS_UNIT, 8)?;
        }
        b"sRGB" => u8_field(d, SRGB_INTENT, 0)?,
        b"tEXt" => {
            // An empty keyword or none at all: tshark shows nothing of the text.
            if let Some(nul) = data.iter().position(|b| *b == 0).filter(|n| *n > 0) {
                let keyword = data.get(..nul).unwrap_or(&[]);
                string_field(d, TEXT_KEYWORD, at, keyword, latin1(keyword), SHORT_NAME);
                let text = bytes::tail(data, nul + 1);
                string_field(d, TEXT_STRING, at + nul + 1, text, latin1(text), SHORT_NAME);
            }
        }
        b"tIME" => {
            u16_field(d, TIME_YEAR, 0)?;
            for (field, offset) in [
                (TIME_MONTH, 2),
                (TIME_DAY, 3),
                (TIME_HOUR, 4),
                (TIME_MINUTE, 5),
                (TIME_SECOND, 6),
            ] {
                u8_field(d, field, offset)?;
            }
        }
        _ => {
            if !data.is_empty() {
                d.add(CHUNK_DATA, at, data.len(), Value::None);
            }
        }
    }
    Ok(())
}

/// A value stored in hundred-thousandths (cHRM, gAMA), shown as tshark shows the
/// single-precision float it computes (`%g` with 6 digits: 0.3127, 0.45455).
fn hundred_thousandths(
    d: &mut Dissection<'_>,
    field: FieldId,
    data: &[u8],
    at: usize,
    offset: usize,
) -> Result<(), Thrown> {
    let raw = bytes::be_u32(data, offset).ok_or(Thrown::Reported)?;
    // tshark divides in single precision; six significant digits hide the rest.
    let value = f64::from(raw) / 100_000.0;
    let text = g6(f64::from(value as f32));
    let shown: f64 = text.parse().unwrap_or(0.0);
    let name = super::registry::def(field).name;
    d.add_labeled(field, at + offset, 4, Value::Float(shown), || {
        format!("{name}: {text}")
    });
    Ok(())
}

/// C's `%g` (six significant digits, trailing zeros dropped) for the values PNG's
/// fixed-point fields can hold (0 and 0.00001 to 42949.67295).
fn g6(value: f64) -> String {
    if value == 0.0 {
        return "0".to_string();
    }
    if value < 1e-4 {
        // %g writes exponents under -4 as such: raw values 1 to 9 are 1e-05 to 9e-05.
        return format!("{}e-05", g6(value * 1e5));
    }
    // Digits after the point that leave six significant ones.
    let mut decimals = 5usize;
    let mut scaled = value;
    while scaled >= 10.0 && decimals > 0 {
        scaled /= 10.0;
        decimals -= 1;
    }
    while scaled < 1.0 {
        scaled *= 10.0;
        decimals += 1;
    }
    let mut text = format!("{value:.decimals$}");
    if text.contains('.') {
        while text.ends_with('0') {
            text.pop();
        }
        if text.ends_with('.') {
            text.pop();
        }
    }
    text
}

/// ISO 8859-1 text as UTF-8 (tEXt's encoding, section 11.3.4.3), up to a NUL as
/// tshark's strings end there.
fn latin1(bytes: &[u8]) -> Vec<u8> {
    let text: String = bytes
        .iter()
        .take_while(|b| **b != 0)
        .map(|b| char::from(*b))
        .collect();
    text.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dissect::testing::values;

    /// The PNG body of http_media.pcap frame 19: signature, IHDR (1x1 RGBA), IDAT
    /// and IEND.
    const BODY: [u8; 70] = [
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f,
        0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8,
        0xcf, 0xc0, 0xf0, 0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00,
        0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
    ];

    fn run(body: &[u8]) -> (Outcome, Dissection<'static>) {
        let mut d = Dissection::full();
        let outcome = dissect(&mut d, body, 0);
        (outcome, d)
    }

    #[test]
    fn chunks_of_a_real_image() {
        let (outcome, d) = run(&BODY);
        assert_eq!(outcome, Outcome::Dissected);
        assert_eq!(values(&d, "png.chunk.type"), ["IHDR", "IDAT", "IEND"]);
        assert_eq!(values(&d, "png.chunk.len"), ["13", "13", "0"]);
        assert_eq!(values(&d, "png.ihdr.colour_type"), ["6"]);
        assert_eq!(
            values(&d, "png.chunk.crc"),
            ["0x1f15c489", "0x89993d1d", "0xae426082"]
        );
        assert_eq!(values(&d, "png.chunk.flag.ancillary"), ["0", "0", "0"]);
    }

    #[test]
    fn cut_and_impossible_chunks() {
        assert_eq!(run(&BODY[..19]).0, Outcome::Refused);
        for n in 20..BODY.len() {
            // Cut between chunks (after IHDR, after IDAT) the image just ends.
            let whole = n == 33 || n == 58;
            let want = if whole {
                Outcome::Dissected
            } else {
                Outcome::Malformed(Thrown::Reported)
            };
            assert_eq!(run(&BODY[..n]).0, want, "{n} bytes");
        }
        // A length past any body (and past tshark's INT_MAX): malformed, no panic.
        let mut huge = BODY;
        huge[33..37].copy_from_slice(&[0xff, 0xff, 0xff, 0xf0]);
        let (outcome, d) = run(&huge);
        assert_eq!(outcome, Outcome::Malformed(Thrown::Reported));
        assert_eq!(values(&d, "png.chunk.type"), ["IHDR"]);
    }

    #[test]
    fn percent_g() {
        assert_eq!(g6(f64::from(0.3127_f32)), "0.3127");
        assert_eq!(g6(f64::from(0.45455_f32)), "0.45455");
        assert_eq!(g6(f64::from(0.06_f32)), "0.06");
        assert_eq!(g6(f64::from(3e-5_f32)), "3e-05");
        assert_eq!(g6(42949.67295), "42949.7");
        assert_eq!(g6(0.0), "0");
        assert_eq!(g6(1.0), "1");
    }
}
