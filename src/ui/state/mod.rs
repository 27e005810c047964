//! The window's state: [`Settings`] kept between runs, and the runtime [`State`] (the
//! open capture, the panes' own state, the workers) that is never saved. Only
//! [`crate::ui::apply::apply`] changes it.

mod runtime;
mod session;
mod settings;

pub use runtime::State;
pub use session::{Displayed, LiveInfo, Session};
pub use settings::{PaneSizes, Settings};
