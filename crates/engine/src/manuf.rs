//! Ethernet and 802.11 address names as tshark 4.0 prints them by default
//! (`Intel_b7:f2:f5`, `Broadcast`, `IPv6mcast_16`): Wireshark's `manuf` and `wka`
//! tables, turned into sorted arrays at build time (`build.rs`), looked up by binary
//! search only when a column or a label is printed.

use std::sync::atomic::{AtomicBool, Ordering};

mod data {
    include!(concat!(env!("OUT_DIR"), "/manuf.rs"));
}

/// Whether names are resolved (tshark's default); `dump -n` turns it off.
static ENABLED: AtomicBool = AtomicBool::new(true);

/// Turns name resolution of link addresses on or off for the whole process, as
/// tshark's `-n` does.
pub fn set_enabled(on: bool) {
    ENABLED.store(on, Ordering::Relaxed);
}

/// Whether link addresses are shown with names.
pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// The name stored in `table` under `key`.
fn find(table: &'static [(u64, u32)], key: u64) -> Option<&'static str> {
    let i = table.binary_search_by_key(&key, |&(k, _)| k).ok()?;
    let packed = table.get(i)?.1 as usize;
    let (at, len) = (packed >> 8, packed & 0xff);
    data::NAMES.get(at..at.checked_add(len)?)
}

/// `addr` as a 48-bit number.
fn key(addr: &[u8; 6]) -> u64 {
    addr.iter().fold(0, |k, &b| (k << 8) | u64::from(b))
}

/// `key` with only its first `bits` bits kept.
fn masked(key: u64, bits: u32) -> u64 {
    let keep = (1u64 << 48) - (1u64 << (48 - bits.min(48)));
    key & keep
}

/// `name_` followed by the address bytes from byte `from` on, the first of them
/// cut to the bits the prefix did not cover (tshark's "dummy" names).
fn with_suffix(name: &str, addr: &[u8; 6], from: usize, spare_mask: u8) -> String {
    let mut out = String::with_capacity(name.len() + 18);
    out.push_str(name);
    let mut sep = '_';
    for (i, b) in addr.iter().enumerate().skip(from) {
        let b = if i == from { b & spare_mask } else { *b };
        out.push(sep);
        out.push_str(&format!("{b:02x}"));
        sep = ':';
    }
    out
}

/// The resolved name of a MAC address, as tshark shows it: a whole-address name,
/// else a prefix name followed by the remaining bytes, else the hex form.
///
/// tshark keys its prefix table by the masked address alone and tries prefix
/// lengths from the longest down (47..24, the OUI table, then 23..1), so an address
/// whose low bits are zero matches a shorter prefix's entry early ("IPv4mcast_01" for
/// 01:00:5e:00:00:01); this follows the same order, for the same output.
pub fn resolve(addr: &[u8; 6]) -> Option<String> {
    let k = key(addr);
    // The slot of a Fibonacci hash of the address.
    let slot = (k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58) as usize % CACHED;
    let hit = CACHE.with(|cache| {
        cache
            .borrow()
            .get(slot)
            .and_then(|e| e.as_ref())
            .filter(|(cached, _)| *cached == k)
            .map(|(_, name)| name.clone())
    });
    if let Some(name) = hit {
        return name;
    }
    let name = lookup(addr, k);
    CACHE.with(|cache| {
        if let Some(e) = cache.borrow_mut().get_mut(slot) {
            *e = Some((k, name.clone()));
        }
    });
    name
}

/// Addresses whose names each thread remembers: a capture holds few hosts'
/// addresses, each in thousands of packets, and a lookup tries up to 40 prefixes
/// (a fifth of the time of dissecting with columns, as the flow graph does).
const CACHED: usize = 64;

/// An address (as a number) and its name.
type Remembered = Option<(u64, Option<String>)>;

thread_local! {
    static CACHE: std::cell::RefCell<Vec<Remembered>> =
        std::cell::RefCell::new(vec![None; CACHED]);
}

/// [`resolve`] without the cache (`k`: `addr` as a number).
fn lookup(addr: &[u8; 6], k: u64) -> Option<String> {
    if let Some(name) = find(&data::EXACT, k) {
        return Some(name.to_string());
    }
    let masked_name = |level: u32, spare: u32| {
        let bits = level + spare;
        find(&data::MASKED, masked(k, bits))
            .map(|name| with_suffix(name, addr, (level / 8) as usize, 0xffu8 >> spare))
    };
    for level in [40, 32, 24] {
        for spare in (0..8).rev() {
            if let Some(s) = masked_name(level, spare) {
                return Some(s);
            }
        }
    }
    let oui = k >> 24;
    let manuf = find(&data::MANUF, oui).or_else(|| {
        // The group bit is not part of the OUI.
        (oui & 0x01_0000 != 0)
            .then(|| find(&data::MANUF, oui & 0xfe_ffff))
            .flatten()
    });
    if let Some(name) = manuf {
        return Some(with_suffix(name, addr, 3, 0xff));
    }
    for level in [16, 8] {
        for spare in (0..8).rev() {
            if let Some(s) = masked_name(level, spare) {
                return Some(s);
            }
        }
    }
    for spare in (1..8).rev() {
        if let Some(s) = masked_name(0, spare) {
            return Some(s);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{key, lookup, resolve};

    #[test]
    fn a_remembered_name_is_the_name_looked_up() {
        // More addresses than the cache holds, twice over: hits, misses and
        // evictions all give the name of a fresh lookup.
        for _ in 0..2 {
            for i in 0..300u32 {
                let b = i.to_be_bytes();
                for addr in [
                    [0, 0x1b, 0xc5, b[1], b[2], b[3]],
                    [0x33, 0x33, 0, 0, b[2], b[3]],
                ] {
                    assert_eq!(resolve(&addr), lookup(&addr, key(&addr)));
                }
            }
        }
    }

    fn name(text: &str) -> String {
        let mut addr = [0u8; 6];
        for (slot, part) in addr.iter_mut().zip(text.split(':')) {
            *slot = u8::from_str_radix(part, 16).unwrap_or(0);
        }
        resolve(&addr).unwrap_or_else(|| "-".into())
    }

    /// Each expected name is what tshark 4.0.17 printed in `eth.dst_resolved` for a
    /// frame sent to that address.
    #[test]
    fn names_as_tshark_prints_them() {
        for (addr, expected) in [
            ("33:33:00:00:00:16", "IPv6mcast_16"),
            ("33:33:ff:bb:ba:f6", "IPv6mcast_ff:bb:ba:f6"),
            ("33:33:00:01:00:02", "IPv6mcast_01:00:02"),
            ("01:00:5e:00:00:01", "IPv4mcast_01"),
            ("01:00:5e:7f:ff:fa", "IPv4mcast_7f:ff:fa"),
            ("01:00:5e:80:00:01", "IPv4mcast_80:00:01"),
            ("01:80:c2:00:00:00", "Spanning-tree-(for-bridges)_00"),
            ("01:80:c2:00:00:0e", "LLDP_Multicast"),
            ("01:80:c2:00:00:31", "OAM-Multicast-DA-Class-1_01"),
            ("00:1b:c5:00:00:01", "Convergi_01"),
            ("00:1b:c5:00:10:22", "OpenRBco_22"),
            ("00:00:0c:07:ac:05", "All-HSRP-routers_05"),
            ("00:bf:00:00:00:01", "MS-NLB-VirtServer_01"),
            ("01:00:3c:00:00:01", "Auspex-Systems-(Serverguard)_00:00:01"),
            ("00:00:00:00:00:00", "00:00:00_00:00:00"),
            ("02:00:00:00:00:01", "-"),
            ("ff:ff:ff:ff:ff:ff", "Broadcast"),
            ("01:00:0c:cc:cc:cc", "CDP/VTP/DTP/PAgP/UDLD"),
            ("33:33:00:00:00:00", "IPv6-Neighbor-Discovery"),
            ("09:00:2b:00:00:0f", "DEC-Local-Area-Transport-(LAT)"),
            ("00:50:b6:11:22:33", "GoodWayI_11:22:33"),
        ] {
            assert_eq!(name(addr), expected, "{addr}");
        }
    }
}
