//! Timestamps in the local time zone (the `TZ` variable), as Wireshark and tcpdump
//! print them.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use std::sync::OnceLock;

fn zone() -> &'static TimeZone {
    static ZONE: OnceLock<TimeZone> = OnceLock::new();
    ZONE.get_or_init(TimeZone::system)
}

/// Broken-down local time of `nanos` since the epoch.
struct Local {
    month: &'static str,
    day: i8,
    year: i16,
    hour: i8,
    minute: i8,
    second: i8,
    frac_nanos: u32,
    zone: String,
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn local(nanos: i64) -> Option<Local> {
    let ts = Timestamp::from_nanosecond(i128::from(nanos)).ok()?;
    let zoned = ts.to_zoned_datetime(zone().clone());
    let dt = zoned.datetime();
    let month = MONTHS
        .get(usize::try_from(dt.month() - 1).ok()?)
        .copied()
        .unwrap_or("???");
    let zone = zoned.strftime("%Z").to_string();
    Some(Local {
        month,
        day: dt.day(),
        year: dt.year(),
        hour: dt.hour(),
        minute: dt.minute(),
        second: dt.second(),
        frac_nanos: nanos.rem_euclid(1_000_000_000) as u32,
        zone,
    })
}

fn fraction(frac_nanos: u32, digits: u8) -> String {
    let digits = usize::from(digits.min(9));
    if digits == 0 {
        return String::new();
    }
    let text = format!("{frac_nanos:09}");
    format!(".{}", text.get(..digits).unwrap_or(&text))
}

/// Wireshark's absolute time: `Nov 24, 2026 23:56:20.177245000 UTC`.
pub fn local_time_text(nanos: i64, digits: u8) -> String {
    match local(nanos) {
        Some(t) => format!(
            "{} {:2}, {} {:02}:{:02}:{:02}{} {}",
            t.month,
            t.day,
            t.year,
            t.hour,
            t.minute,
            t.second,
            fraction(t.frac_nanos, digits),
            t.zone
        ),
        None => format!("(time {nanos} ns out of range)"),
    }
}

/// Wireshark's absolute time in UTC, whatever the local zone (NTP timestamps):
/// `Jun 19, 2017 14:12:09.516074047 UTC`.
pub fn utc_time_text(nanos: i64) -> String {
    let Ok(ts) = Timestamp::from_nanosecond(i128::from(nanos)) else {
        return format!("(time {nanos} ns out of range)");
    };
    let dt = ts.to_zoned_datetime(TimeZone::UTC).datetime();
    let month = MONTHS
        .get(usize::try_from(dt.month() - 1).unwrap_or(0))
        .copied()
        .unwrap_or("???");
    format!(
        "{month} {:2}, {} {:02}:{:02}:{:02}.{:09} UTC",
        dt.day(),
        dt.year(),
        dt.hour(),
        dt.minute(),
        dt.second(),
        nanos.rem_euclid(1_000_000_000)
    )
}

/// Time of day as tcpdump prints it: `23:56:21.345240`.
pub fn clock_text(nanos: i64, digits: u8) -> String {
    match local(nanos) {
        Some(t) => format!(
            "{:02}:{:02}:{:02}{}",
            t.hour,
            t.minute,
            t.second,
            fraction(t.frac_nanos, digits)
        ),
        None => format!("(time {nanos} ns out of range)"),
    }
}

/// A date and time as tshark's `-t ad`/`-t ud` print it (`2026-11-24 23:56:20.273339`),
/// or the time of day alone (`-t a`/`-t u`), in the local zone or in UTC.
pub fn date_time_text(nanos: i64, digits: u8, utc: bool, with_date: bool) -> String {
    let Ok(ts) = Timestamp::from_nanosecond(i128::from(nanos)) else {
        return format!("(time {nanos} ns out of range)");
    };
    let zone = if utc { TimeZone::UTC } else { zone().clone() };
    let dt = ts.to_zoned_datetime(zone).datetime();
    let frac = fraction(nanos.rem_euclid(1_000_000_000) as u32, digits);
    let clock = format!(
        "{:02}:{:02}:{:02}{frac}",
        dt.hour(),
        dt.minute(),
        dt.second()
    );
    if with_date {
        format!("{:04}-{:02}-{:02} {clock}", dt.year(), dt.month(), dt.day())
    } else {
        clock
    }
}

/// Seconds since the epoch with nine digits, as `frame.time_epoch` prints.
pub fn epoch_text(nanos: i64) -> String {
    super::value::rel_time_text(nanos)
}

/// Seconds with `digits` fraction digits (the summary's time column).
pub fn seconds_text(nanos: i64, digits: u8) -> String {
    let sign = if nanos < 0 { "-" } else { "" };
    let abs = nanos.unsigned_abs();
    format!(
        "{sign}{}{}",
        abs / 1_000_000_000,
        fraction((abs % 1_000_000_000) as u32, digits)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(seconds_text(1_500_000, 6), "0.001500");
        assert_eq!(seconds_text(1_000_000_000, 9), "1.000000000");
        assert_eq!(
            epoch_text(1_795_564_580_177_245_000),
            "1795564580.177245000"
        );
    }
}
