//! Playbooks: the YAML description of one documented process, from raw text to the
//! checked model that the rest of the program trusts.

pub(crate) mod catalog;
pub(crate) mod condition;
pub(crate) mod diagnostic;
mod embedded;
pub(crate) mod introspect;
pub(crate) mod model;
pub(crate) mod raw;
pub(crate) mod rule;
pub(crate) mod validate;
pub(crate) mod value;

pub(crate) use diagnostic::PlaybookError;
pub(crate) use model::{Origin, Phase, Playbook, Step, Variable};
pub(crate) use validate::parse;
