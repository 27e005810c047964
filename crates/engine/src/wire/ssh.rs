//! The SSH binary packet (RFC 4253 section 6) before encryption starts, read in place.

use super::short::Short;

/// One unencrypted SSH binary packet: `uint32 packet_length`, `byte padding_length`,
/// the payload (first byte: message code), the padding. Its 6 first bytes are there.
#[derive(Debug, Clone, Copy)]
pub struct SshPacketView<'a> {
    data: &'a [u8],
}

impl<'a> SshPacketView<'a> {
    /// Length of the fixed part: packet length, padding length, message code.
    pub const HEADER_LEN: usize = 6;

    /// The packet at the start of `data`, or what it needed and had.
    pub fn new(data: &'a [u8]) -> Result<SshPacketView<'a>, Short> {
        super::fixed::<6>(data, "SSH")?;
        Ok(SshPacketView { data })
    }

    /// `packet_length`: bytes after this field, MAC excluded (may be impossible).
    pub fn packet_length(&self) -> u32 {
        crate::bytes::be_u32(self.data, 0).unwrap_or(0)
    }

    /// `padding_length`.
    pub fn padding_length(&self) -> u8 {
        crate::bytes::u8_at(self.data, 4).unwrap_or(0)
    }

    /// The message code (first payload byte).
    pub fn message_code(&self) -> u8 {
        crate::bytes::u8_at(self.data, 5).unwrap_or(0)
    }

    /// The whole packet's length on the wire (4 + packet_length), when its lengths are
    /// consistent: the padding (at least 4 bytes, RFC 4253) leaves room for a message
    /// code, and the packet is within `data`.
    pub fn wire_len(&self) -> Result<usize, Short> {
        let len = usize::try_from(self.packet_length()).unwrap_or(usize::MAX);
        let pad = usize::from(self.padding_length());
        let total = len.saturating_add(4);
        if pad < 4 || pad.saturating_add(1) > len {
            return Err(Short {
                limit: super::Limit::Declared,
                ..Short::captured("SSH", pad.saturating_add(5), total)
            });
        }
        if total > self.data.len() {
            return Err(Short::captured("SSH", total, self.data.len()));
        }
        Ok(total)
    }

    /// The payload after the message code (up to the padding), when the lengths hold.
    pub fn body(&self) -> &'a [u8] {
        let len = usize::try_from(self.packet_length()).unwrap_or(0);
        let end = len
            .saturating_add(4)
            .saturating_sub(usize::from(self.padding_length()));
        self.data.get(Self::HEADER_LEN..end).unwrap_or(&[])
    }

    /// The padding bytes, when the lengths hold.
    pub fn padding(&self) -> &'a [u8] {
        let len = usize::try_from(self.packet_length()).unwrap_or(0);
        let end = len.saturating_add(4);
        let start = end.saturating_sub(usize::from(self.padding_length()));
        self.data.get(start..end).unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    /// ssh.pcap frame 16: the client's New Keys (length 12, padding 10).
    const NEW_KEYS: [u8; 16] = [0, 0, 0, 12, 10, 21, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    #[test]
    fn new_keys() {
        let v = SshPacketView::new(&NEW_KEYS).unwrap();
        assert_eq!(v.message_code(), 21);
        assert_eq!(v.wire_len().unwrap(), 16);
        assert!(v.body().is_empty());
        assert_eq!(v.padding().len(), 10);
    }

    #[test]
    fn truncated_and_impossible() {
        assert!(SshPacketView::new(&NEW_KEYS[..5]).is_err());
        let v = SshPacketView::new(&NEW_KEYS[..10]).unwrap();
        assert_eq!(v.wire_len().unwrap_err().needed, 16);
        let mut bad = NEW_KEYS;
        bad[4] = 200;
        assert!(SshPacketView::new(&bad).unwrap().wire_len().is_err());
        bad[0] = 0xff;
        assert!(SshPacketView::new(&bad).unwrap().body().is_empty());
    }
}
