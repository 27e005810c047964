//! Which fields a dissection keeps: all of them (the detail tree, `-V`) or a set of
//! field ids (a display filter, `-T fields`), tested a bit at a time.

use super::field::FieldId;

/// Which fields a dissection keeps.
#[derive(Debug, Clone)]
pub enum Want {
    /// Every field (detail tree, `-V`).
    All,
    /// Only the fields whose ids are set (filters, `-T fields`).
    Fields(FieldSet),
}

/// A set of field ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldSet {
    words: Vec<u64>,
}

impl FieldSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a field.
    pub fn insert(&mut self, field: FieldId) {
        let word = usize::from(field.0 / 64);
        if self.words.len() <= word {
            self.words.resize(word + 1, 0);
        }
        if let Some(w) = self.words.get_mut(word) {
            *w |= 1 << (field.0 % 64);
        }
    }

    /// Whether the field is in the set.
    #[inline(always)]
    pub fn contains(&self, field: FieldId) -> bool {
        self.words
            .get(usize::from(field.0 / 64))
            .is_some_and(|w| w & (1 << (field.0 % 64)) != 0)
    }

    /// True when no field is in the set.
    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|w| *w == 0)
    }

    /// The ids in the set, in order.
    pub fn ids(&self) -> impl Iterator<Item = FieldId> + '_ {
        self.words.iter().enumerate().flat_map(|(w, &word)| {
            // One step per set bit, not per bit.
            let mut rest = word;
            std::iter::from_fn(move || {
                if rest == 0 {
                    return None;
                }
                let bit = rest.trailing_zeros();
                rest &= rest - 1;
                u16::try_from(w * 64 + bit as usize).ok().map(FieldId)
            })
        })
    }

    /// Whether any id in `first..end` is in the set (a word at a time).
    pub fn any_in(&self, first: u16, end: u16) -> bool {
        let (first, end) = (usize::from(first), usize::from(end));
        let mut at = first;
        while at < end {
            let word_end = ((at / 64) + 1) * 64;
            let stop = word_end.min(end);
            let Some(word) = self.words.get(at / 64) else {
                return false;
            };
            // Bits at..stop of this word.
            let width = stop - at;
            let mask = if width >= 64 {
                u64::MAX
            } else {
                ((1u64 << width) - 1) << (at % 64)
            };
            if word & mask != 0 {
                return true;
            }
            at = stop;
        }
        false
    }
}
