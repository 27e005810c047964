//! tcpdump's IPv4 options (RFC 791): their list for `-v`, and the last hop of a
//! source route for the checksum's pseudo-header.

use super::name_of;
use crate::bytes;
use crate::dissect::value::ipv4_text;

/// IPv4 option names as tcpdump prints them.
const IP_OPTION_NAMES: &[(u8, &str)] = &[
    (0, "EOL"),
    (1, "NOP"),
    (68, "timestamp"),
    (130, "security"),
    (7, "RR"),
    (137, "SSRR"),
    (131, "LSRR"),
    (148, "RA"),
    (82, "traceroute"),
];
/// tcpdump's IPv4 option list; `None` when an option was not captured.
pub(super) fn ip_options(out: &mut String, area: &[u8], declared: usize) -> Option<()> {
    let mut pos = 0usize;
    let mut left = declared;
    let mut first = true;
    while left > 0 {
        if !first {
            out.push(',');
        }
        first = false;
        let code = bytes::u8_at(area, pos)?;
        match name_of(IP_OPTION_NAMES, code) {
            Some(name) => out.push_str(name),
            None => out.push_str(&format!("unknown {code}")),
        }
        let len = if code == 0 || code == 1 {
            1
        } else {
            let len = usize::from(bytes::u8_at(area, pos + 1)?);
            if len < 2 {
                out.push_str(&format!(" [bad length {len}]"));
                return Some(());
            }
            len
        };
        if len > left {
            out.push_str(&format!(" [bad length {len}]"));
            return Some(());
        }
        let option = bytes::slice(area, pos, len)?;
        match code {
            0 => return Some(()),
            68 => ip_timestamps(out, option),
            7 | 131 | 137 => ip_route(out, option),
            148 => {
                if len < 4 {
                    out.push_str(&format!(" [bad length {len}]"));
                } else if let Some(value) = bytes::be_u16(option, 2).filter(|v| *v != 0) {
                    out.push_str(&format!(" value {value}"));
                }
            }
            _ => {}
        }
        pos += len;
        left -= len;
    }
    Some(())
}

/// A recorded or source route (RFC 791): the addresses, a comma after those already
/// passed.
pub(super) fn ip_route(out: &mut String, option: &[u8]) {
    let len = option.len();
    if len < 3 {
        out.push_str(&format!(" [bad length {len}]"));
        return;
    }
    if (len + 1) & 3 != 0 {
        out.push_str(&format!(" [bad length {len}]"));
    }
    let pointer = bytes::u8_at(option, 2).unwrap_or(0);
    // tcpdump computes `pointer - 1` unsigned: a pointer of 0 wraps to the largest
    // value, which is bad and lies past every address (each gets a comma).
    let ptr = usize::from(pointer).checked_sub(1);
    if ptr.is_none_or(|p| p < 3 || (p + 1) & 3 != 0 || p > len + 1) {
        out.push_str(&format!(" [bad ptr {pointer}]"));
    }
    let mut at = 3;
    while at < len {
        let Some(addr) = bytes::array::<4>(option, at) else {
            break;
        };
        out.push_str(&format!(" {}", ipv4_text(&addr)));
        if ptr.is_none_or(|p| p > at) {
            out.push(',');
        }
        at += 4;
    }
}

/// The internet timestamp option (RFC 791).
fn ip_timestamps(out: &mut String, option: &[u8]) {
    let len = option.len();
    if len < 4 {
        out.push_str(&format!("[bad length {len}]"));
        return;
    }
    out.push_str(" TS{");
    let pointer = bytes::u8_at(option, 2).unwrap_or(0);
    let flags = bytes::u8_at(option, 3).unwrap_or(0);
    // Flag 1 and 3 carry an address before each stamp; 0 stamps only.
    let hop = if flags & 0x0f != 0 { 8 } else { 4 };
    if (len - 4) & (hop - 1) != 0 {
        out.push_str(&format!("[bad length {len}]"));
    }
    let ptr = usize::from(pointer).wrapping_sub(1);
    if ptr < 4 || (ptr.wrapping_sub(4)) & (hop - 1) != 0 || ptr > len + 1 {
        out.push_str(&format!("[bad ptr {pointer}]"));
    }
    let mut at = 4;
    match flags & 0x0f {
        0 => out.push_str("TSONLY"),
        1 => out.push_str("TS+ADDR"),
        3 => out.push_str("PRESPEC"),
        other => {
            out.push_str(&format!("[bad ts type {other}]"));
            at = 0;
        }
    }
    if at != 0 {
        while at < len {
            out.push_str(if ptr == at { " ^ " } else { " " });
            let stamp = bytes::be_u32(option, at + hop - 4).unwrap_or(0);
            let addr = if hop == 8 {
                bytes::array::<4>(option, at)
                    .map(|a| ipv4_text(&a))
                    .unwrap_or_default()
            } else {
                String::new()
            };
            out.push_str(&format!("{stamp}@{addr}"));
            at += hop;
        }
    }
    if ptr == at {
        out.push_str(" ^ ");
    }
    if flags >> 4 != 0 {
        out.push_str(&format!(" [{} hops not recorded]}} ", flags >> 4));
    } else {
        out.push('}');
    }
}
/// The final destination of a loose or strict source route (RFC 791), which the
/// transport checksum's pseudo-header uses instead of the header's destination.
pub(super) fn source_route_destination(options: &[u8]) -> Option<[u8; 4]> {
    let mut pos = 0usize;
    while let Some(code) = bytes::u8_at(options, pos) {
        let len = match code {
            0 => return None,
            1 => 1,
            _ => usize::from(bytes::u8_at(options, pos + 1)?),
        };
        if len < 2 && code != 1 {
            return None;
        }
        let option = bytes::slice(options, pos, len)?;
        if (code == 131 || code == 137) && len >= 7 {
            return bytes::array::<4>(option, len - 4);
        }
        pos += len;
    }
    None
}
