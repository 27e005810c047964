//! tshark 4.0's text layouts of the capture-wide tables: `-z conv,...`,
//! `-z endpoints,...` and `-z io,stat,...`, column for column (the layouts were read
//! from tshark's output on many captures).

use crate::stats::{ConversationTable, EndpointTable, IoStat, Kind};
use std::fmt::Write;
use std::io;

const RULE: &str =
    "================================================================================";

/// A byte count as tshark's tables write it: `315 bytes`, `17 kB`, `12 MB` (SI
/// units, whole numbers, a unit once the count reaches ten of it).
pub fn size_text(bytes: u64) -> String {
    const UNITS: [(u64, &str); 4] = [
        (1_000_000_000_000, "TB"),
        (1_000_000_000, "GB"),
        (1_000_000, "MB"),
        (1_000, "kB"),
    ];
    for (unit, name) in UNITS {
        if bytes / unit >= 10 {
            return format!("{} {name}", bytes / unit);
        }
    }
    format!("{bytes} bytes")
}

fn endpoint_text(kind: Kind, e: &crate::stats::Endpoint, numeric: bool) -> String {
    if kind.has_ports() {
        format!("{}:{}", e.addr.text_as(numeric), e.port)
    } else {
        e.addr.text_as(numeric)
    }
}

/// `tshark -q -z conv,KIND[,FILTER]` (`numeric`: `-n`, no MAC names).
pub fn conversations_text(
    kind: Kind,
    table: &ConversationTable,
    filter: Option<&str>,
    numeric: bool,
) -> String {
    let mut out = String::new();
    let pad = if kind.has_ports() { "            " } else { "" };
    out.push_str(RULE);
    out.push('\n');
    let _ = writeln!(out, "{} Conversations", kind.title());
    let _ = writeln!(out, "Filter:{}", filter.unwrap_or("<No Filter>"));
    let _ = writeln!(
        out,
        "{pad}                                               |       <-      | |       ->      | |     Total     |    Relative    |   Duration   |"
    );
    let _ = writeln!(
        out,
        "{pad}                                               | Frames  Bytes | | Frames  Bytes | | Frames  Bytes |      Start     |              |"
    );
    let width = if kind.has_ports() { 26 } else { 20 };
    for c in table.by_frames() {
        let _ = writeln!(
            out,
            "{:<width$} <-> {:<width$}  {:>6} {:<9}  {:>6} {:<9}  {:>6} {:<9}  {:>14.9}   {:>12.4}",
            endpoint_text(kind, &c.a, numeric),
            endpoint_text(kind, &c.b, numeric),
            c.frames_ba,
            size_text(c.bytes_ba),
            c.frames_ab,
            size_text(c.bytes_ab),
            c.frames(),
            size_text(c.bytes()),
            c.start_secs(),
            c.duration_secs(),
        );
    }
    out.push_str(RULE);
    out.push('\n');
    out
}

/// `tshark -q -z endpoints,KIND[,FILTER]` (`numeric`: `-n`, no MAC names).
pub fn endpoints_text(
    kind: Kind,
    table: &EndpointTable,
    filter: Option<&str>,
    numeric: bool,
) -> String {
    let mut out = String::new();
    out.push_str(RULE);
    out.push('\n');
    let _ = writeln!(out, "{} Endpoints", kind.title());
    let _ = writeln!(out, "Filter:{}", filter.unwrap_or("<No Filter>"));
    let _ = writeln!(
        out,
        "                       |{}  Packets  | |  Bytes  | | Tx Packets | | Tx Bytes | | Rx Packets | | Rx Bytes |",
        if kind.has_ports() { "  Port  ||" } else { "" }
    );
    for r in table.by_frames() {
        let _ = write!(out, "{:<20}", r.endpoint.addr.text_as(numeric));
        if kind.has_ports() {
            let _ = write!(out, "      {:>5}     ", r.endpoint.port);
        } else {
            out.push_str("      ");
        }
        let _ = writeln!(
            out,
            "{:>6}     {:>9}     {:>6}       {:>9}      {:>6}       {:>9}   ",
            r.frames(),
            r.bytes(),
            r.tx_frames,
            r.tx_bytes,
            r.rx_frames,
            r.rx_bytes,
        );
    }
    out.push_str(RULE);
    out.push('\n');
    out
}

/// Decimal digits of `n` (1 for 0), at most `max`.
fn magnitude(n: u64, max: usize) -> usize {
    let mut digits = 1;
    let mut n = n / 10;
    while n > 0 {
        digits += 1;
        n /= 10;
    }
    digits.min(max)
}

/// `text` centred in `width` (the extra space on the left), with a space each side
/// and a bar after.
fn centred(out: &mut dyn io::Write, text: &str, width: usize) -> io::Result<()> {
    let room = width.saturating_sub(text.len());
    let left = room.div_ceil(2);
    let right = room - left;
    write!(out, " {}{text}{} |", " ".repeat(left), " ".repeat(right))
}

/// Widest table a long filter makes (its text wraps beyond).
const MAX_BORDER: usize = 102;

/// A column's filter in the table's frame, cut at the last space that fits (or
/// anywhere, without one), continued on lines of its own.
fn wrapped_filter(out: &mut dyn io::Write, filter: &str, border: usize) -> io::Result<()> {
    let max_w = border.saturating_sub(11).max(1);
    let mut rest = filter;
    while rest.len() > max_w {
        let head = rest.get(..max_w).unwrap_or(rest);
        let (line, next) = match head.rfind(' ') {
            Some(at) => (head.get(..at).unwrap_or(head), at + 1),
            None => (head, head.len()),
        };
        writeln!(
            out,
            "{line}{}|",
            " ".repeat(border.saturating_sub(line.len() + 10))
        )?;
        out.write_all(b"|        ")?;
        rest = rest.get(next..).unwrap_or("");
    }
    writeln!(
        out,
        "{rest}{}|",
        " ".repeat(border.saturating_sub(rest.len() + 10))
    )
}

/// [`write_io_stat`] into a string.
pub fn io_stat_text(io: &IoStat, precision: usize, filters: &[Option<String>]) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    if write_io_stat(&mut out, io, precision, filters).is_err() {
        return String::new();
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Writes `tshark -q -z io,stat,INTERVAL[,FILTER...]` to `out` line by line (a long
/// capture at a short interval has millions of rows). `precision` is the number of
/// digits after the point in the interval as it was written (`0.01` → 2), `filters`
/// the column filters as written (`None` for an empty one).
pub fn write_io_stat(
    out: &mut dyn io::Write,
    io: &IoStat,
    precision: usize,
    filters: &[Option<String>],
) -> io::Result<()> {
    let mut duration = io.duration_micros;
    let whole = io.interval_micros == 0 || io.interval_micros > duration;
    let mut interval = if whole { duration } else { io.interval_micros };
    let dur_secs_orig = duration / 1_000_000;
    let dur_micros_orig = duration % 1_000_000;
    let mut dur_mag = magnitude(dur_secs_orig, 5);
    // Number widths keep the magnitude before rounding.
    let mag_w = dur_mag;
    let invl_mag = magnitude(interval / 1_000_000, 5);
    let (prec, mut border) = if whole {
        let prec = match dur_mag {
            m if m >= 2 => 1,
            1 => 3,
            _ => 6,
        };
        (prec, 30 + dur_mag + prec + 1)
    } else {
        let prec = precision.min(6);
        let frac = if prec == 0 { 0 } else { prec + 1 };
        (prec, 25 + invl_mag.max(dur_mag) + frac)
    };
    let rows = if interval == 0 || duration == 0 {
        0
    } else {
        duration.div_ceil(interval)
    };
    let dv = 10u64.pow(u32::try_from(6 - prec).unwrap_or(0));
    if duration % dv > 5 * (dv / 10) {
        duration += 5 * (dv / 10);
        dur_mag = magnitude(duration / 1_000_000, 5);
    }
    if whole {
        interval = duration;
    }
    let invl_col = if prec == 0 {
        2 * dur_mag + 8
    } else {
        2 * dur_mag + 2 * prec + 10
    }
    .max(12);
    border = border.max(invl_col);
    let widths: Vec<(usize, usize)> = io
        .columns
        .iter()
        .map(|col| {
            let frames = col.iter().map(|b| b.frames).max().unwrap_or(0);
            let bytes = col.iter().map(|b| b.bytes).max().unwrap_or(0);
            (magnitude(frames, 15).max(6), magnitude(bytes, 15).max(5))
        })
        .collect();
    let tabrow: usize = invl_col + widths.iter().map(|(f, v)| f + v + 6).sum::<usize>();
    border = border.max(tabrow);
    let filter_w = filters
        .iter()
        .map(|f| f.as_ref().map_or(26, |f| f.len() + 11))
        .max()
        .unwrap_or(0);
    // Long filters wrap instead of widening the table past 102 columns.
    if filter_w > border {
        border = filter_w.min(MAX_BORDER).max(border);
    }
    if border - tabrow == 1 {
        border += 1;
    }
    let spaces = |n: usize| " ".repeat(n);
    let filler = (tabrow < border).then(|| format!("{}|", spaces(border - tabrow - 1)));
    let filler = filler.as_deref().unwrap_or("");
    writeln!(out)?;
    writeln!(out, "{}", "=".repeat(border))?;
    writeln!(out, "| IO Statistics{}|", spaces(border.saturating_sub(16)))?;
    writeln!(out, "|{}|", spaces(border - 2))?;
    if prec == 0 {
        writeln!(
            out,
            "| Duration: {dur_secs_orig:>mag_w$}.{dur_micros_orig:>6} secs{}|",
            spaces(border.saturating_sub(25 + dur_mag))
        )?;
        writeln!(
            out,
            "| Interval: {:>mag_w$} secs{}|",
            interval / 1_000_000,
            spaces(border.saturating_sub(18 + dur_mag))
        )?;
    } else {
        let pad = spaces(border.saturating_sub(19 + dur_mag + prec));
        writeln!(
            out,
            "| Duration: {:>mag_w$}.{:0prec$} secs{pad}|",
            duration / 1_000_000,
            duration % 1_000_000 / dv
        )?;
        writeln!(
            out,
            "| Interval: {:>mag_w$}.{:0prec$} secs{pad}|",
            interval / 1_000_000,
            interval % 1_000_000 / dv
        )?;
    }
    writeln!(out, "|{}|", spaces(border - 2))?;
    for (j, filter) in filters.iter().enumerate() {
        if j == 0 {
            write!(out, "| Col{:>2}: ", j + 1)?;
        } else {
            write!(out, "|    {:>2}: ", j + 1)?;
        }
        match filter {
            None => {
                writeln!(
                    out,
                    "Frames and bytes{}|",
                    spaces(border.saturating_sub(26))
                )?;
            }
            Some(f) => wrapped_filter(out, f, border)?,
        }
    }
    writeln!(out, "|-{}|", "-".repeat(border - 3))?;
    write!(out, "|{}|", spaces(invl_col - 2))?;
    for (j, (fr, val)) in widths.iter().enumerate() {
        write!(out, "{:<2}{}|", j + 1, spaces(fr + val + 3))?;
    }
    out.write_all(filler.as_bytes())?;
    write!(out, "\n| Interval{}|", spaces(invl_col.saturating_sub(11)))?;
    for (fr, val) in &widths {
        centred(out, "Frames", *fr)?;
        centred(out, "Bytes", *val)?;
    }
    out.write_all(filler.as_bytes())?;
    writeln!(out, "\n|-{}|{filler}", "-".repeat(tabrow - 3))?;
    let lead = if prec == 0 && dur_mag == 1 {
        "|  "
    } else {
        "| "
    };
    for i in 0..rows {
        let t = i.saturating_mul(interval);
        let last = i + 1 == rows;
        let end = if last { duration } else { t + interval };
        if prec == 0 {
            if last {
                let maxw = if dur_mag >= 3 { dur_mag + 1 } else { 3 };
                write!(out, "{lead}{:>mag_w$} <> {:<maxw$}|", t / 1_000_000, "Dur")?;
            } else {
                let tail = if dur_mag == 1 { "  |" } else { " |" };
                write!(
                    out,
                    "{lead}{:>mag_w$} <> {:>mag_w$}{tail}",
                    t / 1_000_000,
                    end / 1_000_000
                )?;
            }
        } else {
            write!(
                out,
                "| {:>mag_w$}.{:0prec$} <> {:>mag_w$}.{:0prec$} |",
                t / 1_000_000,
                t % 1_000_000 / dv,
                end / 1_000_000,
                end % 1_000_000 / dv
            )?;
        }
        for (col, (fr, val)) in io.columns.iter().zip(&widths) {
            let b = usize::try_from(i)
                .ok()
                .and_then(|i| col.get(i))
                .copied()
                .unwrap_or_default();
            write!(out, " {:>fr$} | {:>val$} |", b.frames, b.bytes)?;
        }
        out.write_all(filler.as_bytes())?;
        writeln!(out)?;
    }
    writeln!(out, "{}", "=".repeat(border))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_switch_unit_at_ten() {
        assert_eq!(size_text(0), "0 bytes");
        assert_eq!(size_text(9999), "9999 bytes");
        assert_eq!(size_text(10_000), "10 kB");
        assert_eq!(size_text(17_325), "17 kB");
        assert_eq!(size_text(9_999_999), "9999 kB");
        assert_eq!(size_text(12_000_000), "12 MB");
    }

    #[test]
    fn io_stat_of_one_interval_matches_tshark() {
        // tcp_many_streams.pcap, `-z io,stat,1`: 558 packets in 0.959945 s.
        let io = IoStat {
            duration_micros: 959_945,
            interval_micros: 1_000_000,
            columns: vec![vec![crate::stats::IoBucket {
                frames: 558,
                bytes: 41199,
            }]],
        };
        let want = "
===================================
| IO Statistics                   |
|                                 |
| Duration: 0.960 secs            |
| Interval: 0.960 secs            |
|                                 |
| Col 1: Frames and bytes         |
|---------------------------------|
|                |1               |
| Interval       | Frames | Bytes |
|---------------------------------|
| 0.000 <> 0.960 |    558 | 41199 |
===================================
";
        assert_eq!(io_stat_text(&io, 0, &[None]), want);
    }
}
