//! What the load pass needs from a display filter, as a trait the `filter` layer
//! implements: `tcp` sits below `filter`, so it names the service it uses instead of
//! importing the filter (as `dissect` does with [`crate::dissect::context::Analysis`]).

use crate::dissect::{Dissection, FieldSet, Want};
use std::fmt::Debug;

/// A test on one dissected packet that the load can evaluate as it goes
/// ([`super::Loaded::open_matching`]) or afterwards ([`super::Loaded::matching`]).
pub trait PacketPredicate: Debug + Send + Sync {
    /// Every field and protocol the predicate reads; the dissection it is evaluated
    /// on must keep them.
    fn fields(&self) -> FieldSet;

    /// A dissection that keeps what this predicate reads and nothing else.
    fn dissection<'a>(&self) -> Dissection<'a> {
        Dissection::new(Want::Fields(self.fields()), false, false)
    }

    /// Whether the packet passes. `frame` is the packet's captured bytes.
    fn matches(&self, d: &Dissection<'_>, frame: &[u8]) -> bool;
}
