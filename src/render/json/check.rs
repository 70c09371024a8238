//! `check --json`: overdue and due-soon work across projects, and the steps becoming ready.

use schemars::JsonSchema;
use serde::Serialize;

use super::Unreadable;

/// `onboard check --json`.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(title = "onboard check --json")]
pub(crate) struct Check {
    /// Overdue and due-soon phases and steps, most urgent first across every project.
    pub findings: Vec<Finding>,
    /// Steps whose earliest start comes today or within the due-soon threshold, soonest first.
    pub ready_soon: Vec<ReadySoon>,
    /// The project files that could not be read, sorted by name.
    pub errors: Vec<Unreadable>,
}

/// Which phase or step of which project an entry is about.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Work {
    /// The project name; `repository/name` when several state directories have a project of that
    /// name.
    pub project: String,
    /// The label of the project's state directory; only with several (`--dir` repeated,
    /// `--workspace`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    /// The phase or step id.
    pub id: String,
    /// How tables name it: the step's number (its id when it has none), or `phase ` and the phase's
    /// number or id.
    pub label: String,
    /// The phase's or step's title.
    pub title: String,
    /// Role ids; `[]` for a phase without owner.
    pub owner: Vec<String>,
}

/// An overdue or due-soon phase or step.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Finding {
    #[serde(flatten)]
    pub work: Work,
    /// The due moment: `YYYY-MM-DD` for day rules, RFC 3339 for hour rules.
    pub due: String,
    /// Past its due: from the midnight after the due day, or after the due instant.
    pub overdue: bool,
    /// Always the opposite of `overdue`: an entry is one or the other.
    pub due_soon: bool,
    /// The time left or how late, as in `status`.
    pub left: String,
    /// The time left exactly, as the rule counts (`{"amount": 3, "unit": "business_days"}`;
    /// `0` when due today); null once overdue, and when too far
    /// to count.
    pub time_left: Option<super::Span>,
    /// For overdue work, how late exactly, as the rule counts; null otherwise, and while
    /// late by no counted time (since a closed day).
    pub overdue_by: Option<super::Span>,
}

/// A step whose earliest start comes today or soon.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct ReadySoon {
    #[serde(flatten)]
    pub work: Work,
    /// The day (or, for hour rules, the instant) from which it may be completed.
    pub not_before: String,
    /// `in 2 business days`, or `ready now` once it has come today.
    pub left: String,
}
