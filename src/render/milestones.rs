//! The dates a project's variables and recorded fields hold (J, a firm due date, the
//! technical meeting's date): what the Gantt chart and the calendar show as milestones.

use crate::deadline::evaluate::Due;
use crate::playbook::Playbook;
use crate::playbook::value::Value;
use crate::state::progress::Progress;

/// A date or instant a project holds in a variable.
#[derive(Debug, Clone)]
pub(crate) struct Milestone {
    pub name: String,
    /// The variable's description, from the playbook.
    pub description: Option<String>,
    /// The date (a whole day) or the instant (a `datetime` variable); charts draw it from
    /// `Due::start`, its day's midnight or its instant.
    pub when: Due,
}

/// Every `date` and `datetime` value the project holds, in the playbook's order: its
/// variables first, then the fields its steps record (a field two steps share, once).
pub(crate) fn milestones(playbook: &Playbook, progress: &Progress<'_>) -> Vec<Milestone> {
    let declared = playbook.variables.iter().chain(playbook.steps().flat_map(|(_, step)| step.fields.iter()));
    let mut found: Vec<Milestone> = Vec::new();
    for variable in declared {
        if found.iter().any(|m| m.name == variable.name) {
            continue;
        }
        let when = match progress.vars.get(&variable.name) {
            Some(Value::Date(date)) => Due::Day(*date),
            Some(Value::DateTime(at)) => Due::At(*at),
            _ => continue,
        };
        found.push(Milestone {
            name: variable.name.clone(),
            description: variable.description.clone(),
            when,
        });
    }
    found
}
