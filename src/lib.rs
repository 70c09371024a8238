//! `onboard`: a workflow tracker for long onboarding and integration processes.
//!
//! The layers point one way: the domain (`playbook`, `calendar`, `deadline`, `state`)
//! knows nothing of the command line; `render` turns domain views into text; `cli`
//! parses arguments, resolves the context and runs one command.
//!
//! Public: what the binary uses (`cli`, `error`), what the fuzz targets call (`fuzz`),
//! and `api`, the domain as the integration tests drive it in-process. The rest is the
//! crate's own, and the `unreachable_pub` lint keeps its items `pub(crate)`.

mod calendar;
pub mod cli;
mod clock;
mod deadline;
pub mod error;
pub mod fuzz;
mod hint;
mod insight;
mod playbook;
mod render;
mod safe_path;
mod state;
mod store;
mod text;
mod words;

/// The domain as a program drives it without the command line: find a playbook, start
/// a project, judge it at an instant, complete its steps, store it. The integration
/// tests play every branch of every bundled playbook to its end through it
/// (`tests/cli/play.rs`), where a process per step would cost too much.
pub mod api {
    pub use crate::calendar::find as find_calendar;
    pub use crate::clock::Clock;
    pub use crate::playbook::catalog::find as find_playbook;
    pub use crate::playbook::model::{Playbook, Step};
    pub use crate::playbook::validate::content_hash;
    pub use crate::playbook::value::{Value, ValueKind};
    pub use crate::state::change::{self, Stamp};
    pub use crate::state::lifecycle::Standing;
    pub use crate::state::progress::{Detail, Progress, Status};
    pub use crate::state::project::Timestamp;
    pub use crate::state::schedule::Thresholds;
    pub use crate::state::standing;
    pub use crate::store::{Store, check_against};
}
