//! `onboard`: a workflow tracker for long onboarding and integration processes.
//!
//! The layers point one way: the domain (`playbook`, `calendar`, `deadline`, `state`)
//! knows nothing of the command line; `render` turns domain views into text; `cli`
//! parses arguments, resolves the context and runs one command.

pub mod calendar;
pub mod cli;
pub mod clock;
pub mod deadline;
pub mod error;
pub mod fuzz;
pub mod hint;
pub mod insight;
pub mod playbook;
pub mod render;
pub mod safe_path;
pub mod state;
pub mod store;
pub mod text;
pub mod words;
