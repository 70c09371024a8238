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
pub(crate) struct Log {
    /// The project name.
    pub project: String,
    /// By instant; events at one instant keep the file's order.
    pub events: Vec<Event>,
}

/// `onboard log --json` without a project, with several: the portfolio's activity.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(title = "onboard log --json (portfolio activity)")]
pub(crate) struct Activity {
    /// Every event of every project the filters let through, newest first.
    pub events: Vec<ProjectEvent>,
    /// The project files that could not be read, sorted by name.
    pub errors: Vec<super::Unreadable>,
}

/// An event of the portfolio's activity: the project, then the event as `log PROJECT`
/// gives it.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct ProjectEvent {
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
pub(crate) struct Event {
    /// When (RFC 3339).
    #[schemars(extend("format" = "date-time"))]
    pub at: String,
    /// Who.
    pub by: String,
    /// `start`, `done`, `round`, `skip`, `reopen`, `set`, `retract`; for the project as a whole,
    /// `archive`, `unarchive`, `rename`, `upgrade` (or, from a newer `onboard`, another word, kept
    /// as written). Files of format 1 said `iteration` for a round; they read as `round`.
    pub action: String,
    /// The step id; `null` for project events (`start`, `set`, `archive`…).
    pub step: Option<String>,
    /// The step's number.
    pub number: Option<String>,
    /// The note (`advance --note`), or the reason (`skip`, `reopen`, `set`, `archive`, `unarchive`,
    /// `upgrade`).
    pub note: Option<String>,
    /// `start`: the variables the project started with; `done`: the field values recorded; `set`:
    /// the new value, `{"J": "2026-06-01"}` or `{"calendar": "CH-VD"}`; `rename`: `{"project":
    /// NEW}`; `upgrade`: `{"playbook_hash": "sha256:<12 hex>"}`, and `"dropped"`, the recorded work
    /// it dropped in words, when it dropped any (the file keeps that work whole); otherwise `{}`.
    pub values: Values,
    /// For `set`, the value it replaced (the previous `set`, else the start's value or calendar),
    /// as text; for `rename`, the old name; for `upgrade`, the version left (`sha256:<12 hex>`);
    /// `null` otherwise.
    pub was: Option<String>,
    /// The program that made the change, e.g. `onboard 0.1.0`.
    pub tool: String,
    /// The event's id: the name of its file in the project directory
    /// (`20260305T193000Z-round-vpn-follow-up-5f9da811.yaml`), which `onboard retract` takes. A
    /// project still in an old single file (formats 1–3) shows the ids its conversion will give.
    /// `null` for the start and the project's lifecycle records, which cannot be retracted.
    pub id: Option<String>,
    /// For `retract`, the id of the event it takes back; `null` otherwise.
    pub retracts: Option<String>,
    /// Whether a `retract` took this event back: it stays in the trail and no longer counts (a
    /// step's status, a variable's value and `was` are derived without it).
    pub retracted: bool,
}

pub(crate) fn log(file: &ProjectFile, events: &[(Option<&Step>, LogEntry<'_>)]) -> Log {
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
    pub(crate) fn into_events(
        self,
        project: Option<String>,
        repository: Option<String>,
    ) -> Vec<ProjectEvent> {
        let project = project.unwrap_or(self.project);
        let event = |event| ProjectEvent { project: project.clone(), repository: repository.clone(), event };
        self.events.into_iter().map(event).collect()
    }
}
