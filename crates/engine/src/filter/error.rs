//! The one error a filter can have: Wireshark's message and where it points.

/// A filter rejected before it runs, with the position of the problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct FilterError {
    /// What is wrong, in Wireshark's words.
    pub message: String,
    /// Byte offset in the filter text.
    pub position: usize,
    /// Length of the offending part; 0 when tshark shows no location (for
    /// example `Unexpected end of filter expression.`).
    pub len: usize,
}

impl FilterError {
    /// An error pointing at `len` bytes from `position`.
    pub(crate) fn at(message: impl Into<String>, position: usize, len: usize) -> Self {
        Self {
            message: message.into(),
            position,
            len,
        }
    }

    /// An error without a location.
    pub(crate) fn nowhere(message: impl Into<String>) -> Self {
        Self::at(message, 0, 0)
    }

    /// The two lines tshark prints under the message: the filter indented four
    /// spaces, then a caret and tildes under the offending part. Empty when the
    /// error has no location.
    pub fn underline(&self, text: &str) -> String {
        if self.len == 0 {
            return String::new();
        }
        format!(
            "    {text}\n    {}^{}",
            " ".repeat(self.position),
            "~".repeat(self.len.saturating_sub(1))
        )
    }
}
