//! Exif's TIFF structure inside a JPEG's APP1 segment (Exif 2.32 section 4.6): the
//! byte order, the chain of image file directories and the Exif, GPS and
//! Interoperability directories their pointers name, each entry's tag, type, count
//! and value (inline, or at an offset from the TIFF header), as tshark 4.0 shows them.

use super::field::FieldId;
use super::jfif::*;
use super::media::{Part, Thrown};
use super::tree::{Dissection, Expert, Severity};
use super::value::Value;
use crate::bytes::Endian;
use std::borrow::Cow;

/// The header of a little-endian ("II") and a big-endian ("MM") TIFF structure.
const LITTLE: u16 = 0x4949;
const BIG: u16 = 0x4d4d;

/// Tags whose LONG value points to another directory, in IFD0 (Exif 2.32 4.6.3).
const EXIF_IFD_POINTER: u16 = 0x8769;
const GPS_IFD_POINTER: u16 = 0x8825;
const INTEROP_IFD_POINTER: u16 = 0xa005;

/// A warning as tshark's JFIF dissector raises them (group Protocol).
pub(super) fn warning(message: impl Into<Cow<'static, str>>) -> Expert {
    Expert {
        severity: Severity::Warning,
        group: "Protocol",
        protocol: SHORT_NAME,
        message: message.into(),
    }
}

/// The TIFF structure `tiff` (at `at`; its declared length, from the segment's
/// length field, is what offsets are checked against), added under the segment's
/// item.
pub(super) fn tiff(d: &mut Dissection<'_>, tiff: Part<'_>, at: usize) -> Result<(), Thrown> {
    let order = tiff.be16(0)?;
    let endian = match order {
        LITTLE => Endian::Little,
        BIG => Endian::Big,
        _ => {
            d.add_labeled(ENDIANNESS, at, 2, Value::UInt(u64::from(order)), || {
                format!(
                    "Endianness: Incorrect encoding 0x{order:04x}- skipping the remainder of this application marker"
                )
            });
            return Ok(());
        }
    };
    d.add_labeled(ENDIANNESS, at, 2, Value::UInt(u64::from(order)), || {
        let word = if endian == Endian::Little {
            "little"
        } else {
            "big"
        };
        format!("Endianness: {word} endian")
    });
    // Bytes 2-3 hold 42 (TIFF's magic number), which tshark skips.
    let start = tiff.u32(4, endian)?;
    let item = d.add_labeled(
        START_IFD_OFFSET,
        at + 4,
        4,
        Value::UInt(u64::from(start)),
        || {
            format!(
                "Start offset of IFD starting from the TIFF header start: {start} {}",
                bytes_word(start)
            )
        },
    );
    if start < 8 {
        d.expert(item, warning(" (bogus, should be >= 8)"));
        return Ok(());
    }
    let chain = Chain { tiff, at, endian };
    chain.directories(d, start, IFD_TAG, "Image File Directory")
}

/// "byte" or "bytes", as tshark's unit strings for the offset fields say.
fn bytes_word(n: u32) -> &'static str {
    if n == 1 { "byte" } else { "bytes" }
}

/// One TIFF structure being read.
struct Chain<'t> {
    tiff: Part<'t>,
    at: usize,
    endian: Endian,
}

impl Chain<'_> {
    /// The directories from `first` on, each linked to the next by its last four
    /// bytes (0: the last), with tags named by `tag_field`'s table and `kind` in
    /// each directory's title.
    fn directories(
        &self,
        d: &mut Dissection<'_>,
        first: u32,
        tag_field: FieldId,
        kind: &'static str,
    ) -> Result<(), Thrown> {
        let mut next = first;
        for index in 0u32.. {
            let offset = usize::try_from(next).map_err(|_| Thrown::Reported)?;
            let count = self.tiff.u16(offset, self.endian)?;
            // tshark's directory item spans count entries of 12 bytes and 6 more.
            let span = usize::from(count) * 12 + 6;
            self.tiff.need(offset, span)?;
            let item = d.text(self.at + offset, span, || format!("{kind} #{index}"));
            // Values stored outside the directory, and the directories its pointers
            // name, go beside the directory's item, after it: built apart, added then.
            let mut beside = d.scratch();
            d.begin(item);
            let read = self.directory(d, &mut beside, offset, count, tag_field);
            d.end();
            d.absorb(beside);
            match read? {
                Some(following) => next = following,
                None => break,
            }
        }
        Ok(())
    }

    /// One directory at `offset` holding `count` entries: its lines inside the
    /// directory's item in `d`, values kept elsewhere in `beside`. Returns the next
    /// directory's offset, if any.
    fn directory(
        &self,
        d: &mut Dissection<'_>,
        beside: &mut Dissection<'_>,
        mut offset: usize,
        count: u16,
        tag_field: FieldId,
    ) -> Result<Option<u32>, Thrown> {
        d.add_uint(IFD_NUM_FIELDS, self.at + offset, 2, u64::from(count));
        offset += 2;
        for _ in 0..count {
            self.entry(d, beside, offset, tag_field)?;
            offset += 12;
        }
        let next = self.tiff.u32(offset, self.endian)?;
        let item = d.add_labeled(
            NEXT_IFD_OFFSET,
            self.at + offset,
            4,
            Value::UInt(u64::from(next)),
            || {
                format!(
                    "Offset to next IFD from start of TIFF header: {next} {}",
                    bytes_word(next)
                )
            },
        );
        offset += 4;
        if next == 0 {
            return Ok(None);
        }
        // A directory before the end of this one would loop.
        if usize::try_from(next).is_ok_and(|n| n < offset) {
            d.expert(item, warning(format!(" (bogus, should be >= {offset})")));
            return Ok(None);
        }
        Ok(Some(next))
    }

    /// One 12-byte entry at `offset`: tag, type, count, then the value or its offset.
    fn entry(
        &self,
        d: &mut Dissection<'_>,
        beside: &mut Dissection<'_>,
        offset: usize,
        tag_field: FieldId,
    ) -> Result<(), Thrown> {
        let tag = self.tiff.u16(offset, self.endian)?;
        d.add_uint(tag_field, self.at + offset, 2, u64::from(tag));
        let kind = self.tiff.u16(offset + 2, self.endian)?;
        d.add_uint(IFD_TYPE, self.at + offset + 2, 2, u64::from(kind));
        let count = self.tiff.u32(offset + 4, self.endian)?;
        d.add_uint(IFD_COUNT, self.at + offset + 4, 4, u64::from(count));
        let value_at = offset + 8;
        let size: u64 = match kind {
            1 | 2 | 7 => 1,
            3 => 2,
            4 | 9 => 4,
            5 | 10 => 8,
            _ => 0,
        };
        // Values of four bytes or fewer sit in the entry; others at an offset.
        if size != 0 && u64::from(count) * size <= 4 {
            let entry = Entry {
                tag,
                kind,
                count,
                tag_field,
            };
            return self.values(d, Some(beside), value_at, &entry);
        }
        let at = self.tiff.u32(value_at, self.endian)?;
        let item = d.add_uint(IFD_OFFSET, self.at + value_at, 4, u64::from(at));
        match usize::try_from(at).ok().filter(|a| *a < self.tiff.reported) {
            Some(at) if size != 0 => {
                let entry = Entry {
                    tag,
                    kind,
                    count,
                    tag_field,
                };
                self.values(beside, None, at, &entry)
            }
            Some(_) => Ok(()),
            None => {
                d.expert(
                    item,
                    warning(format!("bogus, should be < {}", self.tiff.reported)),
                );
                Ok(())
            }
        }
    }

    /// An entry's values at `offset`, added to `d`; a pointer to another directory
    /// (IFD0's Exif, GPS and Interoperability pointers) has that directory added to
    /// `pointed`.
    fn values(
        &self,
        d: &mut Dissection<'_>,
        mut pointed: Option<&mut Dissection<'_>>,
        mut offset: usize,
        entry: &Entry,
    ) -> Result<(), Thrown> {
        let at = self.at;
        match entry.kind {
            // ASCII and UNDEFINED: one item over all the bytes.
            2 | 7 => {
                let n = usize::try_from(entry.count).map_err(|_| Thrown::Reported)?;
                let data = self.tiff.need(offset, n)?;
                if entry.kind == 2 {
                    let text = data.split(|b| *b == 0).next().unwrap_or(&[]);
                    d.add(
                        VALUE_ASCII,
                        at + offset,
                        n,
                        Value::Str(Cow::Owned(text.to_vec())),
                    );
                } else {
                    let value = Value::Bytes(Cow::Owned(data.to_vec()));
                    // An empty byte field reads <MISSING> in tshark's label.
                    let shown = if data.is_empty() {
                        "<MISSING>".to_string()
                    } else {
                        super::value::label_value_text(
                            super::registry::def(VALUE_UNDEFINED),
                            &value,
                        )
                    };
                    d.add_labeled(VALUE_UNDEFINED, at + offset, n, value, || {
                        format!("Value (raw): {shown}")
                    });
                }
                return Ok(());
            }
            _ => {}
        }
        for _ in 0..entry.count {
            match entry.kind {
                1 => {
                    let v = self.tiff.byte(offset)?;
                    d.add_uint(VALUE_BYTE, at + offset, 1, u64::from(v));
                    offset += 1;
                }
                3 => {
                    let v = self.tiff.u16(offset, self.endian)?;
                    d.add_uint(VALUE_SHORT, at + offset, 2, u64::from(v));
                    offset += 2;
                }
                4 => {
                    let v = self.tiff.u32(offset, self.endian)?;
                    let item = d.add_uint(VALUE_LONG, at + offset, 4, u64::from(v));
                    if entry.count == 1
                        && entry.tag_field == IFD_TAG
                        && let Some(target) = pointed.as_deref_mut()
                    {
                        self.pointer(d, target, item, entry.tag, v)?;
                    }
                    offset += 4;
                }
                9 => {
                    let v = self.tiff.u32(offset, self.endian)?;
                    d.add(
                        VALUE_SLONG,
                        at + offset,
                        4,
                        Value::Int(i64::from(i32::from_be_bytes(v.to_be_bytes()))),
                    );
                    offset += 4;
                }
                5 | 10 => {
                    self.rational(d, offset, entry.kind == 10)?;
                    offset += 8;
                }
                _ => return Ok(()),
            }
        }
        Ok(())
    }

    /// A RATIONAL or SRATIONAL value at `offset`: tshark adds its item before reading
    /// the two halves, so a value cut short leaves the bare item and what was read.
    fn rational(&self, d: &mut Dissection<'_>, offset: usize, signed: bool) -> Result<(), Thrown> {
        let (field, num_field, den_field) = if signed {
            (VALUE_SRATIONAL, SRATIONAL_NUMERATOR, SRATIONAL_DENOMINATOR)
        } else {
            (VALUE_RATIONAL, RATIONAL_NUMERATOR, RATIONAL_DENOMINATOR)
        };
        let show = |v: u32| -> Value<'static> {
            if signed {
                Value::Int(i64::from(i32::from_be_bytes(v.to_be_bytes())))
            } else {
                Value::UInt(u64::from(v))
            }
        };
        let at = self.at + offset;
        let item = d.add(field, at, 8, Value::None);
        d.begin(item);
        let halves = self.tiff.u32(offset, self.endian).and_then(|num| {
            d.add(num_field, at, 4, show(num));
            let den = self.tiff.u32(offset + 4, self.endian)?;
            d.add(den_field, at + 4, 4, show(den));
            Ok((num, den))
        });
        d.end();
        let (num, den) = halves?;
        let text = format!("Value: {}/{}", text_of(&show(num)), text_of(&show(den)));
        d.set_label(item, || text);
        Ok(())
    }

    /// IFD0's pointer `tag` with value `to`: the directory it names, added to
    /// `target`, or tshark's warning on the value's `item` when it lies past the end.
    fn pointer(
        &self,
        d: &mut Dissection<'_>,
        target: &mut Dissection<'_>,
        item: usize,
        tag: u16,
        to: u32,
    ) -> Result<(), Thrown> {
        let (tag_field, kind) = match tag {
            EXIF_IFD_POINTER => (IFD_TAG_EXIF, "Exif IFD"),
            GPS_IFD_POINTER => (IFD_TAG_GPS, "GPS IFD"),
            INTEROP_IFD_POINTER => (IFD_TAG_INTEROP, "Interoperability IFD"),
            _ => return Ok(()),
        };
        if usize::try_from(to).map_or(true, |t| t >= self.tiff.reported) {
            d.expert(
                item,
                warning(format!("bogus, should be < {}", self.tiff.reported)),
            );
            return Ok(());
        }
        self.directories(target, to, tag_field, kind)
    }
}

/// What `Chain::values` needs of an entry.
struct Entry {
    tag: u16,
    kind: u16,
    count: u32,
    tag_field: FieldId,
}

/// A numerator's or denominator's text.
fn text_of(value: &Value<'_>) -> String {
    match value {
        Value::Int(v) => v.to_string(),
        Value::UInt(v) => v.to_string(),
        _ => String::new(),
    }
}
/// Tags of TIFF's IFD0 and IFD1 (Exif 2.32 section 4.6.4).
pub(super) const TIFF_TAGS: &[(u64, &str)] = &[
    (256, "ImageWidth"),
    (257, "ImageLength"),
    (258, "BitsPerSample"),
    (259, "Compression"),
    (262, "PhotometricInterpretation"),
    (274, "Orientation"),
    (277, "SamplesPerPixel"),
    (284, "PlanarConfiguration"),
    (530, "YCbCrSubSampling"),
    (531, "YCbCrPositioning"),
    (282, "XResolution"),
    (283, "YResolution"),
    (296, "ResolutionUnit"),
    (273, "StripOffsets"),
    (278, "RowsPerStrip"),
    (279, "StripByteCounts"),
    (513, "JPEGInterchangeFormat"),
    (514, "JPEGInterchangeFormatLength"),
    (301, "TransferFunction"),
    (318, "WhitePoint"),
    (319, "PrimaryChromaticities"),
    (529, "YCbCrCoefficients"),
    (532, "ReferenceBlackWhite"),
    (306, "DateTime"),
    (270, "ImageDescription"),
    (271, "Make"),
    (272, "Model"),
    (305, "Software"),
    (315, "Artist"),
    (33432, "Copyright"),
    (34665, "Exif IFD Pointer"),
    (34853, "GPS IFD Pointer"),
    (40965, "Interoperability IFD Pointer"),
];

/// Tags of the Exif IFD (Exif 2.32 section 4.6.5).
pub(super) const EXIF_TAGS: &[(u64, &str)] = &[
    (36864, "ExifVersion"),
    (40960, "FlashpixVersion"),
    (40961, "ColorSpace"),
    (42240, "Gamma"),
    (37121, "ComponentsConfiguration"),
    (37122, "CompressedBitsPerPixel"),
    (40962, "PixelXDimension"),
    (40963, "PixelYDimension"),
    (37500, "MakerNote"),
    (37510, "UserComment"),
    (40964, "RelatedSoundFile"),
    (36867, "DateTimeOriginal"),
    (36868, "DateTimeDigitized"),
    (36880, "OffsetTime"),
    (36881, "OffsetTimeOriginal"),
    (36882, "OffsetTimeDigitized"),
    (37520, "SubSecTime"),
    (37521, "SubSecTimeOriginal"),
    (37522, "SubSecTimeDigitized"),
    (33434, "ExposureTime"),
    (33437, "FNumber"),
    (34850, "ExposureProgram"),
    (34852, "SpectralSensitivity"),
    (34855, "PhotographicSensitivity"),
    (34856, "OECF"),
    (34864, "SensitivityType"),
    (34865, "StandardOutputSensitivity"),
    (34866, "RecommendedExposureIndex"),
    (34867, "ISOSpeed"),
    (34868, "ISOSpeedLatitudeyyy"),
    (34869, "ISOSpeedLatitudezzz"),
    (37377, "ShutterSpeedValue"),
    (37378, "ApertureValue"),
    (37379, "BrightnessValue"),
    (37380, "ExposureBiasValue"),
    (37381, "MaxApertureValue"),
    (37382, "SubjectDistance"),
    (37383, "MeteringMode"),
    (37384, "LightSource"),
    (37385, "Flash"),
    (37386, "FocalLength"),
    (37396, "SubjectArea"),
    (41483, "FlashEnergy"),
    (41484, "SpatialFrequencyResponse"),
    (41486, "FocalPlaneXResolution"),
    (41487, "FocalPlaneYResolution"),
    (41488, "FocalPlaneResolutionUnit"),
    (41492, "SubjectLocation"),
    (41493, "ExposureIndex"),
    (41495, "SensingMethod"),
    (41728, "FileSource"),
    (41729, "SceneType"),
    (41730, "CFAPattern"),
    (41985, "CustomRendered"),
    (41986, "ExposureMode"),
    (41987, "WhiteBalance"),
    (41988, "DigitalZoomRatio"),
    (41989, "FocalLengthIn35mmFilm"),
    (41990, "SceneCaptureType"),
    (41991, "GainControl"),
    (41992, "Contrast"),
    (41993, "Saturation"),
    (41994, "Sharpness"),
    (41995, "DeviceSettingDescription"),
    (41996, "SubjectDistanceRange"),
    (42080, "CompositeImage"),
    (42081, "SourceImageNumberOfCompositeImage"),
    (42082, "SourceExposureTimesOfCompositeImage"),
    (37888, "Temperature"),
    (37889, "Humidity"),
    (37890, "Pressure"),
    (37891, "WaterDepth"),
    (37892, "Acceleration"),
    (37893, "CameraElevationAngle"),
    (42016, "ImageUniqueID"),
    (42032, "CameraOwnerName"),
    (42033, "BodySerialNumber"),
    (42034, "LensSpecification"),
    (42035, "LensMake"),
    (42036, "LensModel"),
    (42037, "LensSerialNumber"),
];

/// Tags of the GPS IFD (Exif 2.32 section 4.6.6).
pub(super) const GPS_TAGS: &[(u64, &str)] = &[
    (0, "GPSVersionID"),
    (1, "GPSLatitudeRef"),
    (2, "GPSLatitude"),
    (3, "GPSLongitudeRef"),
    (4, "GPSLongitude"),
    (5, "GPSAltitudeRef"),
    (6, "GPSAltitude"),
    (7, "GPSTimeStamp"),
    (8, "GPSSatellites"),
    (9, "GPSStatus"),
    (10, "GPSMeasureMode"),
    (11, "GPSDOP"),
    (12, "GPSSpeedRef"),
    (13, "GPSSpeed"),
    (14, "GPSTrackRef"),
    (15, "GPSTrack"),
    (16, "GPSImgDirectionRef"),
    (17, "GPSImgDirection"),
    (18, "GPSMapDatum"),
    (19, "GPSDestLatitudeRef"),
    (20, "GPSDestLatitude"),
    (21, "GPSDestLongitudeRef"),
    (22, "GPSDestLongitude"),
    (23, "GPSDestBearingRef"),
    (24, "GPSDestBearing"),
    (25, "GPSDestDistanceRef"),
    (26, "GPSDestDistance"),
    (27, "GPSProcessingMethod"),
    (28, "GPSAreaInformation"),
    (29, "GPSDateStamp"),
    (30, "GPSDifferential"),
    (31, "GPSHPositioningError"),
];

/// Tags of the Interoperability IFD (Exif 2.32 section 4.6.7).
pub(super) const INTEROP_TAGS: &[(u64, &str)] = &[(1, "InteroperabilityIndex")];

/// Value types (TIFF 6.0 section 2; Exif 2.32 section 4.6.2).
pub(super) const TYPES: &[(u64, &str)] = &[
    (1, "BYTE"),
    (2, "ASCII"),
    (3, "SHORT"),
    (4, "LONG"),
    (5, "RATIONAL"),
    (7, "UNDEFINED"),
    (9, "SLONG"),
    (10, "SRATIONAL"),
];

#[cfg(test)]
mod tests {
    use super::super::jfif::dissect;
    use super::super::media::Outcome;
    use crate::dissect::testing::values;
    use crate::dissect::tree::Dissection;

    /// The APP1 segment of requests' `ext/flower-of-life.jpg` (shipped with gsutil):
    /// a big-endian TIFF structure whose IFD0 holds orientation, resolutions and
    /// units and points to an Exif IFD with the colour space and pixel dimensions.
    const APP1: &str = "ffe1008c4578696600004d4d002a000000080005011200030000000100010000011a00050000\
        00010000004a011b000500000001000000520128000300000001000200008769000400000001\
        0000005a00000000000000480000000100000048000000010003a00100030000000100010000\
        a002000400000001000000a1a003000400000001000000a100000000";

    /// The file's first 20 bytes (SOI, APP0), `app1`, then EOI.
    use crate::wire::testing::hex;

    fn image(app1: &[u8]) -> Vec<u8> {
        let mut out = hex("ffd8ffe000104a46494600010100004800480000");
        out.extend_from_slice(app1);
        out.extend_from_slice(&[0xff, 0xd9]);
        out
    }

    fn run(body: &[u8]) -> (Outcome, Dissection<'static>) {
        let mut d = Dissection::full();
        let outcome = dissect(&mut d, body, 0);
        (outcome, d)
    }

    #[test]
    fn directories_of_a_real_image() {
        let (outcome, d) = run(&image(&hex(APP1)));
        assert_eq!(outcome, Outcome::Dissected);
        assert_eq!(values(&d, "image-jfif.endianness"), ["0x4d4d"]);
        assert_eq!(
            values(&d, "image-jfif.ifd.tag"),
            ["274", "282", "283", "296", "34665"]
        );
        assert_eq!(
            values(&d, "image-jfif.ifd.tag_exif"),
            ["40961", "40962", "40963"]
        );
        assert_eq!(
            values(&d, "image-jfif.ifd.value_rational.numerator"),
            ["72", "72"]
        );
        assert_eq!(
            values(&d, "image-jfif.ifd.value_long"),
            ["90", "161", "161"]
        );
        assert_eq!(values(&d, "image-jfif.next_ifd_offset"), ["0", "0"]);
        assert_eq!(
            values(&d, "image-jfif.marker"),
            ["0xffd8", "0xffe0", "0xffe1", "0xffd9"]
        );
    }

    #[test]
    fn cut_and_impossible_directories() {
        let app1 = hex(APP1);
        // The segment cut anywhere inside the TIFF structure: malformed, no panic.
        for n in 12..app1.len() {
            let (outcome, _) = run(&image(app1.get(..n).unwrap_or(&[])));
            assert_ne!(outcome, Outcome::Refused, "{n} bytes");
        }
        // The Exif pointer past the segment: tshark's warning, no directory.
        let mut far = app1.clone();
        far[76..80].copy_from_slice(&[0x00, 0x00, 0xff, 0x00]);
        let (outcome, d) = run(&image(&far));
        assert_eq!(outcome, Outcome::Dissected);
        assert!(values(&d, "image-jfif.ifd.tag_exif").is_empty());
        assert!(
            d.experts
                .iter()
                .any(|e| e.message == "bogus, should be < 132")
        );
        // The next directory pointing back into this one: warned of, not followed.
        let mut back = app1;
        back[80..84].copy_from_slice(&[0x00, 0x00, 0x00, 0x02]);
        let (_, d) = run(&image(&back));
        assert!(
            d.experts
                .iter()
                .any(|e| e.message == " (bogus, should be >= 74)")
        );
    }
}
