//! Projects, pure: the stored file of events, what is derived from them (where a project
//! stands at a moment), the changes made to it, how two versions of it merge, how
//! projects end and move to another playbook version, and what a change between two
//! versions of a state directory means. Reading and writing files is `store`'s.

pub mod change;
pub(crate) mod conflict;
pub(crate) mod diff;
pub(crate) mod fit;
#[cfg(test)]
pub(crate) mod fixture;
pub(crate) mod history;
pub(crate) mod legacy;
pub(crate) mod lifecycle;
pub(crate) mod loaded;
pub(crate) mod merge;
pub(crate) mod progress;
pub(crate) mod project;
pub(crate) mod replay;
pub(crate) mod retraction;
pub(crate) mod schedule;
pub mod standing;
pub(crate) mod unique;
pub(crate) mod upgrade;

/// Project names: lowercase letters, digits and `-`, at most 64 characters.
pub(crate) fn check_project_name(name: &str) -> Result<(), String> {
    if crate::playbook::validate::is_slug(name) {
        return Ok(());
    }
    let why = if name.is_empty() {
        "it is empty".to_string()
    } else if name.len() > 64 {
        format!("it has {} characters, more than 64", name.len())
    } else {
        "only lowercase letters, digits and `-` are allowed, and it must not start with `-`".to_string()
    };
    Err(format!("`{name}` is not a valid project name: {why}"))
}
