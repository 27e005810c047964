//! The Time column in each of tshark's `-t` formats (`ad a r d dd e u ud`), shared by
//! `synack dump -t` and the window's View → Time Display Format, so both print alike.

use crate::dissect::time::{date_time_text, seconds_text};

/// How the Time column counts (tshark's `-t` letters, Wireshark's View menu).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum TimeFormat {
    /// `r`: seconds since the first packet of the capture.
    #[default]
    Relative,
    /// `d`: seconds since the previous captured packet.
    Delta,
    /// `dd`: seconds since the previous displayed packet.
    DeltaDisplayed,
    /// `a`: local time of day.
    Absolute,
    /// `ad`: local date and time of day.
    AbsoluteDate,
    /// `u`: UTC time of day.
    Utc,
    /// `ud`: UTC date and time of day.
    UtcDate,
    /// `e`: seconds since 1970-01-01 00:00:00 UTC.
    Epoch,
}

impl TimeFormat {
    /// Every format, in the order Wireshark's View menu lists them.
    pub const ALL: [TimeFormat; 8] = [
        TimeFormat::AbsoluteDate,
        TimeFormat::Absolute,
        TimeFormat::UtcDate,
        TimeFormat::Utc,
        TimeFormat::Epoch,
        TimeFormat::Relative,
        TimeFormat::Delta,
        TimeFormat::DeltaDisplayed,
    ];

    /// The format tshark's `-t` letter names.
    pub fn from_flag(flag: &str) -> Option<TimeFormat> {
        TimeFormat::ALL.into_iter().find(|f| f.flag() == flag)
    }

    /// tshark's `-t` letter for this format.
    pub fn flag(self) -> &'static str {
        match self {
            TimeFormat::Relative => "r",
            TimeFormat::Delta => "d",
            TimeFormat::DeltaDisplayed => "dd",
            TimeFormat::Absolute => "a",
            TimeFormat::AbsoluteDate => "ad",
            TimeFormat::Utc => "u",
            TimeFormat::UtcDate => "ud",
            TimeFormat::Epoch => "e",
        }
    }

    /// Wireshark's name for it (View → Time Display Format).
    pub fn label(self) -> String {
        crate::tr!(match self {
            TimeFormat::Relative => "time-relative",
            TimeFormat::Delta => "time-delta",
            TimeFormat::DeltaDisplayed => "time-delta-displayed",
            TimeFormat::Absolute => "time-absolute",
            TimeFormat::AbsoluteDate => "time-absolute-date",
            TimeFormat::Utc => "time-utc",
            TimeFormat::UtcDate => "time-utc-date",
            TimeFormat::Epoch => "time-epoch",
        })
    }
}

/// The timestamps a packet's time is counted from; a missing previous packet (the
/// first one) counts as the packet itself, so its delta is zero, as in tshark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeRefs {
    /// The first packet of the capture.
    pub first_nanos: i64,
    /// The previous packet in the file.
    pub prev_captured_nanos: Option<i64>,
    /// The previous packet the filter kept.
    pub prev_displayed_nanos: Option<i64>,
}

/// How spans of time are written (tshark's `-u`): plain seconds, or hours, minutes
/// and seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SecondsFormat {
    /// `s`: `3725.500000`.
    #[default]
    Seconds,
    /// `hms`: `1h  2m  5.500000s`.
    HoursMinutesSeconds,
}

impl SecondsFormat {
    /// The format tshark's `-u` word names.
    pub fn from_flag(flag: &str) -> Option<SecondsFormat> {
        match flag {
            "s" => Some(SecondsFormat::Seconds),
            "hms" => Some(SecondsFormat::HoursMinutesSeconds),
            _ => None,
        }
    }
}

/// A span of `nanos` as tshark's `-u hms` writes it: the larger units only when they
/// are not zero, minutes and seconds after a larger unit padded to two places, `- `
/// before a negative span (`- 1m  1.000000s`).
pub fn hms_text(nanos: i64, digits: u8) -> String {
    let sign = if nanos < 0 { "- " } else { "" };
    let abs = nanos.unsigned_abs();
    let whole = abs / 1_000_000_000;
    let fraction = seconds_text((abs % 1_000_000_000) as i64, digits);
    // `fraction` is "0.ffffff" (or "0" with no digits): keep what follows the 0.
    let fraction = fraction.get(1..).unwrap_or("");
    let (hours, minutes, seconds) = (whole / 3600, whole / 60 % 60, whole % 60);
    if hours > 0 {
        format!("{sign}{hours}h {minutes:2}m {seconds:2}{fraction}s")
    } else if minutes > 0 {
        format!("{sign}{minutes}m {seconds:2}{fraction}s")
    } else {
        format!("{sign}{seconds}{fraction}s")
    }
}

/// The Time column of a packet stamped `nanos`, with `digits` fraction digits (the
/// file's resolution, 6 for a microsecond pcap, unless the user chose another).
pub fn time_text(format: TimeFormat, nanos: i64, refs: &TimeRefs, digits: u8) -> String {
    time_text_in(format, SecondsFormat::Seconds, nanos, refs, digits)
}

/// [`time_text`] with the spans (relative and delta times) written as `seconds` says.
pub fn time_text_in(
    format: TimeFormat,
    seconds: SecondsFormat,
    nanos: i64,
    refs: &TimeRefs,
    digits: u8,
) -> String {
    let since = |earlier: Option<i64>| {
        let span = nanos.saturating_sub(earlier.unwrap_or(nanos));
        match seconds {
            SecondsFormat::Seconds => seconds_text(span, digits),
            SecondsFormat::HoursMinutesSeconds => hms_text(span, digits),
        }
    };
    match format {
        TimeFormat::Relative => since(Some(refs.first_nanos)),
        TimeFormat::Delta => since(refs.prev_captured_nanos),
        TimeFormat::DeltaDisplayed => since(refs.prev_displayed_nanos),
        TimeFormat::Absolute => date_time_text(nanos, digits, false, false),
        TimeFormat::AbsoluteDate => date_time_text(nanos, digits, false, true),
        TimeFormat::Utc => date_time_text(nanos, digits, true, false),
        TimeFormat::UtcDate => date_time_text(nanos, digits, true, true),
        TimeFormat::Epoch => seconds_text(nanos, digits),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Frame 2 of tests/captures/tcp_clean_close.pcap, 96 094 µs after frame 1.
    const FRAME_2: i64 = 1_795_564_580_273_339_000;
    const REFS: TimeRefs = TimeRefs {
        first_nanos: 1_795_564_580_177_245_000,
        prev_captured_nanos: Some(1_795_564_580_177_245_000),
        prev_displayed_nanos: None,
    };

    #[test]
    fn each_flag_prints_as_tshark_does() {
        // `tshark -r tcp_clean_close.pcap -t X`, frame 2 (UTC and local agree in TZ=UTC).
        let cases = [
            ("r", "0.096094"),
            ("d", "0.096094"),
            ("dd", "0.000000"),
            ("e", "1795564580.273339"),
            ("u", "23:56:20.273339"),
            ("ud", "2026-11-24 23:56:20.273339"),
        ];
        for (flag, want) in cases {
            let format = TimeFormat::from_flag(flag);
            let text = format.map(|f| time_text(f, FRAME_2, &REFS, 6));
            assert_eq!(text.as_deref(), Some(want), "-t {flag}");
        }
        assert_eq!(TimeFormat::from_flag("x"), None);
    }

    #[test]
    fn hms_writes_the_units_tshark_writes() {
        // `tshark -u hms` on packets at these offsets from the first (µs pcap).
        let s = 1_000_000_000i64;
        let cases = [
            (0, "0.000000s"),
            (9_250_000_000, "9.250000s"),
            (61_250_000_000, "1m  1.250000s"),
            (600 * s, "10m  0.000000s"),
            (3661 * s + s / 2, "1h  1m  1.500000s"),
            (36_000 * s + s / 10, "10h  0m  0.100000s"),
            (-s / 2, "- 0.500000s"),
            (-61 * s, "- 1m  1.000000s"),
            (-3700 * s, "- 1h  1m 40.000000s"),
        ];
        for (nanos, want) in cases {
            assert_eq!(hms_text(nanos, 6), want, "{nanos}");
        }
    }

    #[test]
    fn precision_cuts_or_pads_the_fraction() {
        let t = |digits| time_text(TimeFormat::Relative, FRAME_2, &REFS, digits);
        assert_eq!((t(0).as_str(), t(3).as_str()), ("0", "0.096"));
        assert_eq!(t(9), "0.096094000");
    }
}
