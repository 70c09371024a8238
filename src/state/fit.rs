//! Whether a project fits the playbook version it follows: known steps and variables,
//! typed values, known calendars. A pure check of the model; the store names the file
//! that holds a problem.

use super::project::{Action, CALENDAR_KEY, ProjectFile, yaml_text};
use crate::playbook::Playbook;

/// Checks a project file against the playbook it follows: known steps and variables,
/// typed values. Every problem, one a line.
pub(crate) fn problems(file: &ProjectFile, playbook: &Playbook) -> Vec<String> {
    let mut found = Vec::new();
    for id in file.steps.keys().filter(|id| playbook.step(id).is_none()) {
        found.push(format!("step `{id}` is not in playbook `{}`", playbook.id));
    }
    for name in file.vars.keys().filter(|n| *n != CALENDAR_KEY && playbook.variable(n).is_none()) {
        found.push(format!("`{name}` is no variable of playbook `{}`", playbook.id));
    }
    let started = file.start.values.iter().map(|(k, v)| ("at start".to_string(), k, v));
    let set = file.vars.iter().filter(|(name, _)| *name != CALENDAR_KEY).flat_map(|(name, events)| {
        events.iter().filter_map(move |e| Some((format!("set on {}", e.at), name, e.value.as_ref()?)))
    });
    let recorded = file.steps.iter().flat_map(|(id, events)| {
        events.iter().flat_map(move |e| e.values.iter().map(move |(k, v)| (format!("in step `{id}`"), k, v)))
    });
    for (place, name, yaml) in started.chain(set).chain(recorded) {
        match playbook.kind_of(name) {
            None => {
                found.push(format!("`{name}` {place} is no variable or field of playbook `{}`", playbook.id));
            }
            Some(kind) => {
                if let Err(message) = kind.from_yaml(yaml) {
                    found.push(format!("bad value for `{name}` {place}: {message}"));
                }
            }
        }
    }
    let calendars = std::iter::once(file.start.calendar.clone()).chain(
        file.vars
            .get(CALENDAR_KEY)
            .into_iter()
            .flatten()
            .filter(|e| e.action == Action::Set)
            .map(|e| e.value.as_ref().map(yaml_text).unwrap_or_default()),
    );
    for id in calendars.filter(|id| crate::calendar::find(id).is_none()) {
        found.push(format!("unknown calendar `{id}`"));
    }
    found
}
