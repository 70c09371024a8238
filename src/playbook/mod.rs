//! Playbooks: the YAML description of one documented process, from raw text to the
//! checked model that the rest of the program trusts.

pub mod catalog;
pub mod condition;
pub mod diagnostic;
mod embedded;
pub mod introspect;
pub mod model;
pub mod raw;
pub mod rule;
pub mod validate;
pub mod value;

pub use diagnostic::PlaybookError;
pub use model::{Origin, Phase, Playbook, Step, Variable};
pub use validate::parse;
