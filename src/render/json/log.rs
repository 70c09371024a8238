//! `log --json`: a project's audit trail.

use schemars::JsonSchema;
use serde::Serialize;

use super::{Values, yaml_values};
use crate::playbook::Step;
use crate::state::history::LogEntry;
use crate::state::project::ProjectFile;

/// `onboard log --json`: every event of a project, oldest first.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(title = "onboard log --json")]
pub struct Log {
    /// The project name.
    pub project: String,
    /// By instant; events at one instant keep the file's order.
    pub events: Vec<Event>,
}

/// `onboard log --json` without a project, with several: the portfolio's activity.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(title = "onboard log --json (portfolio activity)")]
pub struct Activity {
    /// Every event of every project the filters let through, newest first.
    pub events: Vec<ProjectEvent>,
    /// The project files that could not be read, sorted by name.
    pub errors: Vec<super::Unreadable>,
}

/// An event of the portfolio's activity: the project, then the event as `log PROJECT`
/// gives it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ProjectEvent {
    /// The project name; `repository/name` when projects of several state directories
    /// share it.
    pub project: String,
    /// The label of the project's state directory; only with several (`--dir` repeated,
    /// `--workspace`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    #[serde(flatten)]
    pub event: Event,
}

/// One event of the trail.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Event {
    /// When (RFC 3339).
    #[schemars(extend("format" = "date-time"))]
    pub at: String,
    /// Who.
    pub by: String,
    /// `start`, `done`, `round`, `skip`, `reopen`, `set`, `retract`, the project's `archive`, `unarchive`, `rename`, `upgrade`, `delete`, or a newer onboard's word, as written.
    pub action: String,
    /// The step id; null for project events (`start`, `set`).
    pub step: Option<String>,
    /// The step's number.
    pub number: Option<String>,
    /// The note, or the reason of a skip, reopen or set.
    pub note: Option<String>,
    /// The variables at start, the fields recorded, or the variable set; `{}` otherwise.
    pub values: Values,
    /// For `set`, the value it replaced, as text; null otherwise.
    pub was: Option<String>,
    /// The program that made the change, e.g. `onboard 0.1.0`.
    pub tool: String,
    /// The event's id: the name of its file in the project directory, which
    /// `onboard retract` takes; null for the start, the project's lifecycle records and
    /// a project of an older single-file format.
    pub id: Option<String>,
    /// For `retract`, the id of the event it takes back; null otherwise.
    pub retracts: Option<String>,
    /// Whether a later `retract` took this event back: it no longer counts.
    pub retracted: bool,
}

pub fn log(file: &ProjectFile, events: &[(Option<&Step>, LogEntry<'_>)]) -> Log {
    let events = events
        .iter()
        .map(|(step, event)| Event {
            at: event.at.to_string(),
            by: event.by.to_string(),
            action: event.action.to_string(),
            step: step.map(|s| s.id.clone()),
            number: step.and_then(|s| s.number.clone()),
            note: event.note.map(str::to_string),
            values: yaml_values(&event.values),
            was: event.was.clone(),
            tool: event.tool.to_string(),
            id: event.id.map(str::to_string),
            retracts: event.retracts.map(str::to_string),
            retracted: event.retracted,
        })
        .collect();
    Log { project: file.project.clone(), events }
}

impl Log {
    /// Its events, each with the project's name (`project`, else the file's) and the
    /// label of its state directory, as the portfolio's activity lists them.
    pub fn into_events(self, project: Option<String>, repository: Option<String>) -> Vec<ProjectEvent> {
        let project = project.unwrap_or(self.project);
        let event = |event| ProjectEvent { project: project.clone(), repository: repository.clone(), event };
        self.events.into_iter().map(event).collect()
    }
}
