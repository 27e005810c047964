//! tshark's duplicate IP address detection over a capture's ARP packets: the first
//! MAC address an IPv4 address is seen with stays its owner, and a later ARP packet
//! binding it to another MAC address is flagged, in capture order.

use crate::dissect::context::ArpDuplicate;
use rustc_hash::FxHashMap;

/// What the load pass remembers of each IPv4 address ARP has bound: its MAC
/// address, the last frame that confirmed it and that frame's capture second.
#[derive(Debug, Default)]
pub struct ArpTracker {
    bindings: FxHashMap<[u8; 4], ([u8; 6], u32, i64)>,
}

impl ArpTracker {
    /// Takes in the binding of `ip` to `mac` that ARP packet `frame` (captured at
    /// `secs`) shows. A binding to the MAC address already held renews it; one to
    /// another MAC address is a duplicate (the table keeps the first owner), as
    /// tshark's ARP checks it.
    pub fn check(
        &mut self,
        frame: u32,
        mac: [u8; 6],
        ip: [u8; 4],
        secs: i64,
    ) -> Option<ArpDuplicate> {
        match self.bindings.get_mut(&ip) {
            None => {
                self.bindings.insert(ip, (mac, frame, secs));
                None
            }
            Some(held) if frame > held.1 => {
                if held.0 == mac {
                    *held = (mac, frame, secs);
                    None
                } else {
                    Some(ArpDuplicate {
                        frame: held.1,
                        mac: held.0,
                        seconds: secs.saturating_sub(held.2),
                    })
                }
            }
            Some(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ArpTracker;

    /// ansgit1 lab-04_synscan: 192.168.8.102 first at 00:0c:29:e7:1b:92 (frame 105),
    /// then claimed by 08:6a:c5:f4:d6:11 (frame 4157).
    #[test]
    fn second_owner_is_a_duplicate() {
        let ip = [192, 168, 8, 102];
        let first = [0x00, 0x0c, 0x29, 0xe7, 0x1b, 0x92];
        let other = [0x08, 0x6a, 0xc5, 0xf4, 0xd6, 0x11];
        let mut arp = ArpTracker::default();
        assert_eq!(arp.check(105, first, ip, 10), None);
        assert_eq!(arp.check(106, first, ip, 11), None);
        let dup = arp
            .check(4157, other, ip, 26)
            .map(|d| (d.frame, d.mac, d.seconds));
        assert_eq!(dup, Some((106, first, 15)));
        // The first owner stays: the second one is flagged again.
        assert!(arp.check(4158, other, ip, 26).is_some());
    }
}
