//! [`Short`]: what a header or an option needed, where, and how much it had.

/// What limited the bytes a header could have: the capture (a snapshot length cut
/// the packet) or a length field of the packet itself (an impossible value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// The bytes were on the wire but not captured.
    Captured,
    /// A length field of the packet allows fewer bytes than the header needs.
    Declared,
}

/// A header or option that does not fit, after etherparse's `LenError`: the layer,
/// where it starts, the bytes it needs and the bytes it had.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{layer} needed {needed} bytes at offset {offset}, had {available}")]
pub struct Short {
    /// The layer or item that did not fit, as tshark names it (`TCP`, `IPv4`).
    pub layer: &'static str,
    /// Where it starts, from the start of the bytes the view was given (see
    /// [`Short::shifted`]).
    pub offset: usize,
    /// Bytes it needs.
    pub needed: usize,
    /// Bytes it had.
    pub available: usize,
    /// What cut it.
    pub limit: Limit,
}

impl Short {
    /// A header of `layer` needing `needed` bytes where only `available` were captured.
    #[inline]
    pub fn captured(layer: &'static str, needed: usize, available: usize) -> Short {
        Short {
            layer,
            offset: 0,
            needed,
            available,
            limit: Limit::Captured,
        }
    }

    /// The same shortfall, with its offset counted from `base` bytes earlier (the view
    /// was given the frame from `base` on).
    #[inline]
    #[must_use]
    pub fn shifted(self, base: usize) -> Short {
        Short {
            offset: self.offset.saturating_add(base),
            ..self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_states_the_numbers() {
        let short = Short::captured("TCP", 20, 6).shifted(54);
        assert_eq!(short.to_string(), "TCP needed 20 bytes at offset 54, had 6");
    }
}
