//! `next --json`: the ready work across the portfolio, most urgent first.

use schemars::JsonSchema;
use serde::Serialize;

use super::{Span, Unreadable};

/// `onboard next --json`.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(title = "onboard next --json")]
pub(crate) struct Next {
    /// Ready and scheduled steps of every project (archived ones left out): overdue
    /// first, then by due moment, then those without one; ties by project and the
    /// playbook's order.
    pub steps: Vec<NextStep>,
    /// The project files that could not be read, sorted by name.
    pub errors: Vec<Unreadable>,
}

/// A step someone can work on, or soon can.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct NextStep {
    /// The project name; `repository/name` when several state directories have a project of that
    /// name.
    pub project: String,
    /// The label of the project's state directory; only with several (`--dir` repeated,
    /// `--workspace`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    /// The step id.
    pub id: String,
    /// The step's number, else its id.
    pub label: String,
    /// The step's title.
    pub title: String,
    /// Role ids.
    pub owner: Vec<String>,
    /// `ready`, or `scheduled` while its earliest start has not come.
    pub status: String,
    /// The due moment of the step, else of its phase: `YYYY-MM-DD` for day rules, RFC 3339
    /// for hour rules; null when neither has one (yet).
    pub due: Option<String>,
    /// Whether `due` is the phase's (the step has no deadline of its own).
    pub due_of_phase: bool,
    /// Past `due`: from the midnight after the due day, or after the due instant.
    pub overdue: bool,
    /// Due within the due-soon thresholds, not overdue.
    pub due_soon: bool,
    /// The time left or how late in words, as in `status`; null without a due.
    pub left: Option<String>,
    /// The time left exactly, as the rule counts (`{"amount": 3, "unit": "business_days"}`;
    /// `0` when due today); null once overdue, once done, without a due, and when too far
    /// to count.
    pub time_left: Option<Span>,
    /// For overdue work, how late exactly, as the rule counts; null otherwise.
    pub overdue_by: Option<Span>,
    /// For a scheduled step, what it waits for (`"ready on Mon 9 Nov 2026"`); `null` when ready.
    pub waiting_for: Option<String>,
}
