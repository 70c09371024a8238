//! `onboard`: a workflow tracker for long onboarding and integration processes.
//!
//! The layers point one way: the domain (`playbook`, `calendar`, `deadline`, `state`)
//! knows nothing of the command line; `render` turns domain views into text; `cli`
//! parses arguments, resolves the context and runs one command.
//!
//! Public: what the binary (`cli`, `error`), the integration tests (which play
//! playbooks in-process through `state`, `store`, `playbook`, `calendar` and `clock`)
//! and the fuzz targets (`fuzz`) use. The rest is the crate's own, and the
//! `unreachable_pub` lint keeps its items `pub(crate)`.

pub mod calendar;
pub mod cli;
pub mod clock;
mod deadline;
pub mod error;
pub mod fuzz;
mod hint;
mod insight;
pub mod playbook;
mod render;
mod safe_path;
pub mod state;
pub mod store;
mod text;
mod words;
