//! The IEEE 802.11 MAC header (IEEE Std 802.11-2020 clause 9.2): frame control,
//! duration, one to four addresses, sequence control, QoS and HT control, whose
//! presence depends on the frame's type, subtype and DS bits.

use super::short::Short;
use crate::bytes;

/// The layer name in a [`Short`].
const LAYER: &str = "IEEE 802.11";

/// Byte ranges of the header.
mod field {
    pub const FC: usize = 0;
    pub const DURATION: usize = 2;
    pub const ADDR1: usize = 4;
    pub const ADDR2: usize = 10;
    pub const ADDR3: usize = 16;
    pub const SEQ_CTL: usize = 22;
    pub const ADDR4: usize = 24;
}

/// Frame types (the 2-bit Type field).
pub mod frame_type {
    /// Management.
    pub const MANAGEMENT: u8 = 0;
    /// Control.
    pub const CONTROL: u8 = 1;
    /// Data.
    pub const DATA: u8 = 2;
    /// Extension.
    pub const EXTENSION: u8 = 3;
}

/// Frame control flag bits (the second byte).
pub mod flags {
    /// To DS.
    pub const TO_DS: u8 = 0x01;
    /// From DS.
    pub const FROM_DS: u8 = 0x02;
    /// More fragments.
    pub const MORE_FRAGMENTS: u8 = 0x04;
    /// Retry.
    pub const RETRY: u8 = 0x08;
    /// Power management.
    pub const PWR_MGT: u8 = 0x10;
    /// More data.
    pub const MORE_DATA: u8 = 0x20;
    /// Protected frame.
    pub const PROTECTED: u8 = 0x40;
    /// +HTC/Order.
    pub const ORDER: u8 = 0x80;
}

/// An 802.11 MAC header over captured bytes: every part its frame control announces
/// is there.
#[derive(Debug, Clone, Copy)]
pub struct Ieee80211View<'a> {
    data: &'a [u8],
    header_len: usize,
}

impl<'a> Ieee80211View<'a> {
    /// The header at the start of `data`, or what it needed and had.
    pub fn new(data: &'a [u8]) -> Result<Ieee80211View<'a>, Short> {
        let fc = bytes::array::<2>(data, field::FC).ok_or(Short::captured(LAYER, 2, data.len()))?;
        let header_len = header_len(fc[0], fc[1]);
        if data.len() < header_len {
            return Err(Short::captured(LAYER, header_len, data.len()));
        }
        Ok(Ieee80211View { data, header_len })
    }

    /// Length of the MAC header (what the frame body follows).
    pub fn header_len(&self) -> usize {
        self.header_len
    }

    /// The frame control field as two bytes read big-endian (tshark's `wlan.fc`).
    pub fn fc(&self) -> u16 {
        bytes::be_u16(self.data, field::FC).unwrap_or(0)
    }

    /// Protocol version.
    pub fn version(&self) -> u8 {
        self.fc_byte() & 0x03
    }

    fn fc_byte(&self) -> u8 {
        bytes::u8_at(self.data, field::FC).unwrap_or(0)
    }

    /// Frame type (see [`frame_type`]).
    pub fn frame_type(&self) -> u8 {
        (self.fc_byte() >> 2) & 0x03
    }

    /// Subtype.
    pub fn subtype(&self) -> u8 {
        self.fc_byte() >> 4
    }

    /// Type and subtype as tshark numbers them (`wlan.fc.type_subtype`).
    pub fn type_subtype(&self) -> u16 {
        (u16::from(self.frame_type()) << 4) | u16::from(self.subtype())
    }

    /// The flag bits (see [`flags`]).
    pub fn flags(&self) -> u8 {
        bytes::u8_at(self.data, field::FC + 1).unwrap_or(0)
    }

    /// The DS bits (0: neither, 1: To DS, 2: From DS, 3: both).
    pub fn ds(&self) -> u8 {
        self.flags() & 0x03
    }

    /// Duration/ID.
    pub fn duration(&self) -> u16 {
        bytes::le_u16(self.data, field::DURATION).unwrap_or(0)
    }

    /// Address `n` (1 to 4) with its offset, if this frame has it.
    pub fn addr(&self, n: u8) -> Option<(usize, [u8; 6])> {
        let at = match n {
            1 => field::ADDR1,
            2 => field::ADDR2,
            3 => field::ADDR3,
            4 if self.frame_type() == frame_type::DATA && self.ds() == 3 => field::ADDR4,
            _ => return None,
        };
        if at.checked_add(6)? > self.header_len {
            return None;
        }
        bytes::array::<6>(self.data, at).map(|a| (at, a))
    }

    /// Sequence control (fragment number in the low 4 bits), if this frame has it.
    pub fn seq_ctl(&self) -> Option<u16> {
        if self.header_len < field::SEQ_CTL + 2 {
            return None;
        }
        bytes::le_u16(self.data, field::SEQ_CTL)
    }

    /// Offset of sequence control.
    pub const SEQ_CTL_OFFSET: usize = field::SEQ_CTL;

    /// QoS control and its offset (QoS data subtypes).
    pub fn qos(&self) -> Option<(usize, u16)> {
        if self.frame_type() != frame_type::DATA || self.subtype() & 0x08 == 0 {
            return None;
        }
        let at = if self.ds() == 3 { 30 } else { 24 };
        bytes::le_u16(self.data, at).map(|q| (at, q))
    }

    /// HT control and its offset (+HTC frames).
    pub fn ht_control(&self) -> Option<(usize, u32)> {
        let qos_end = match self.qos() {
            Some((at, _)) => at + 2,
            None if self.frame_type() == frame_type::MANAGEMENT => 24,
            None => return None,
        };
        if self.flags() & flags::ORDER == 0 {
            return None;
        }
        bytes::le_u32(self.data, qos_end).map(|h| (qos_end, h))
    }
}

/// The header length the frame control announces.
fn header_len(fc0: u8, fc1: u8) -> usize {
    let kind = (fc0 >> 2) & 0x03;
    let subtype = fc0 >> 4;
    let order = fc1 & flags::ORDER != 0;
    match kind {
        frame_type::MANAGEMENT => 24 + if order { 4 } else { 0 },
        frame_type::CONTROL => match subtype {
            // CTS, ACK: RA only.
            0x0c | 0x0d => 10,
            // Control wrapper: carried frame control and HT control.
            0x07 => 16,
            _ => 16,
        },
        frame_type::DATA => {
            let mut len = 24;
            if fc1 & 0x03 == 3 {
                len += 6;
            }
            if subtype & 0x08 != 0 {
                len += 2;
                if order {
                    len += 4;
                }
            }
            len
        }
        _ => 10,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;
    use crate::wire::testing::hex;

    /// ieee802.11_rx-stbc.pcap frame 1: a protected QoS data frame from the DS.
    const QOS_DATA: &str = "88 42 2c 00 68 a3 c4 03 46 da 20 7c 8f 50 3f 3a \
        20 7c 8f 50 3f 3a 20 01 00 00";

    #[test]
    fn qos_data_from_ds() {
        let bytes = hex(QOS_DATA);
        let h = Ieee80211View::new(&bytes).unwrap();
        assert_eq!(h.type_subtype(), 0x28);
        assert_eq!(h.ds(), 2);
        assert_eq!(h.duration(), 44);
        assert_eq!(h.header_len(), 26);
        assert_eq!(h.addr(1).unwrap().1, [0x68, 0xa3, 0xc4, 0x03, 0x46, 0xda]);
        assert_eq!(h.addr(4), None);
        assert_eq!(h.seq_ctl().map(|s| s >> 4), Some(18));
        assert_eq!(h.qos(), Some((24, 0)));
    }

    #[test]
    fn truncated_and_impossible() {
        let bytes = hex(QOS_DATA);
        assert_eq!(
            Ieee80211View::new(&bytes[..1]).unwrap_err(),
            Short::captured("IEEE 802.11", 2, 1)
        );
        assert_eq!(
            Ieee80211View::new(&bytes[..20]).unwrap_err(),
            Short::captured("IEEE 802.11", 26, 20)
        );
        // Both DS bits on a QoS frame with +HTC: 36 bytes, which 26 do not hold.
        let mut wds = bytes.clone();
        wds[1] = 0xc3;
        assert_eq!(Ieee80211View::new(&wds).unwrap_err().needed, 36);
    }
}
