//! Display filters in Wireshark 4.0's language.
//!
//! TODO(synack): the full language (issue 4). For now a filter is one field or
//! protocol name and matches the packets where it is present.

#![deny(clippy::indexing_slicing)]

use crate::dissect::{Dissection, FieldId, FieldSet, registry};

/// A filter rejected before it runs, with the position of the problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct FilterError {
    /// What is wrong, in Wireshark's words.
    pub message: String,
    /// Byte offset in the filter text.
    pub position: usize,
    /// Length of the offending part.
    pub len: usize,
}

/// A compiled display filter.
#[derive(Debug, Clone)]
pub struct Filter {
    field: FieldId,
}

impl Filter {
    /// Compiles `text`.
    pub fn compile(text: &str) -> Result<Filter, FilterError> {
        let name = text.trim();
        match registry::lookup(name) {
            Some(field) => Ok(Filter { field }),
            None => Err(FilterError {
                message: format!("\"{name}\" is neither a field nor a protocol name."),
                position: 0,
                len: name.len(),
            }),
        }
    }

    /// The fields the filter reads.
    pub fn fields(&self) -> FieldSet {
        let mut set = FieldSet::new();
        set.insert(self.field);
        set
    }

    /// Whether a dissected packet passes.
    pub fn matches(&self, d: &Dissection<'_>, _frame: &[u8]) -> bool {
        d.has(self.field)
    }
}
