//! View models: the values a command assembles from the domain (a portfolio row, a row
//! of work, due text, state text) and every format draws, so that the table and the
//! `--json` shapes read the same values and neither imports the other.

use schemars::JsonSchema;
use serde::Serialize;

use crate::playbook::catalog::Listed;
use crate::playbook::model::Origin;
use crate::state::schedule::Timing;

/// One row per project of the portfolio (`status`, `status --json`).
pub(crate) struct PortfolioRow {
    /// The project's name; `repository/name` when several state directories have it.
    pub project: String,
    /// The label of the project's state directory, with several.
    pub repository: Option<String>,
    pub playbook: String,
    /// The current phase in words (`II Documents`, `finished`, `archived (finished)`).
    pub phase: String,
    pub phase_id: Option<String>,
    pub finished: usize,
    pub total: usize,
    /// The earliest due open work; `None` when no open work has a due.
    pub next_due: Option<NextDue>,
    pub overdue: usize,
    /// Finished work with a due moment: how much was on time, of how much.
    pub on_time: (usize, usize),
    /// An archived project, shown by `status --all`.
    pub archived: bool,
}

/// The open phase or step of a project due first.
pub(crate) struct NextDue {
    /// The phase or step id.
    pub id: String,
    /// `III.2`: its number, else its id.
    pub label: String,
    /// `2026-04-03 (in 2 business days)`: `due_text`.
    pub text: String,
    /// The due moment as `--json` writes it.
    pub due: String,
    pub overdue: bool,
}

impl NextDue {
    /// `III.2 2026-04-03 (in 2 business days)`, as the portfolio's table shows it.
    pub(crate) fn cell(&self) -> String {
        format!("{} {}", self.label, self.text)
    }
}

/// One phase or step of work in a list across projects (`check`, `next`).
pub(crate) struct WorkRow {
    pub project: String,
    /// `3.1 Contact list` (`next`), or ``III.2 `configure-production` `` (`check`).
    pub what: String,
    /// Role ids, joined.
    pub owner: String,
    /// The due day (or the day it becomes ready), short.
    pub due: String,
    /// `due soon: in 3 h`, `overdue by 2 business days`, what a scheduled step waits for.
    pub state: String,
    pub overdue: bool,
    pub soon: bool,
}

/// `2026-04-15 (in 3 business days)`; once finished, the date, and how late if it was.
pub(crate) fn due_text(timing: &Timing) -> String {
    let due = timing.due().short();
    match (&timing.left, &timing.late_by) {
        (Some(_), _) => format!("{due} ({})", state_text(timing)),
        (None, Some(late)) => format!("{due} (late by {late})"),
        (None, None) => due,
    }
}

/// `in 3 business days`, `due soon: today`, `overdue by 2 business days`.
pub(crate) fn state_text(timing: &Timing) -> String {
    urgency_text(timing.soon, timing.left.as_deref().unwrap_or_default())
}

/// `due soon: in 3 h` for work due soon, the time left (or how late) as it is otherwise.
pub(crate) fn urgency_text(soon: bool, left: &str) -> String {
    if soon { format!("due soon: {left}") } else { left.to_string() }
}

/// Where a listed playbook comes from, as `playbooks` shows it and `--json` writes it.
/// (Its schema has no description: the field of `playbooks --json` has none.)
#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
#[schemars(inline, description = "")]
pub(crate) enum Provenance {
    #[serde(rename = "bundled")]
    Bundled,
    #[serde(rename = "local")]
    Local,
    #[serde(rename = "local, overrides bundled")]
    Overriding,
}

impl Provenance {
    pub(crate) fn of(entry: &Listed) -> Provenance {
        match (&entry.origin, entry.overrides) {
            (Origin::Bundled, _) => Provenance::Bundled,
            (Origin::File(_), true) => Provenance::Overriding,
            (Origin::File(_), false) => Provenance::Local,
        }
    }
}

/// The name serde gives a unit variant: one spelling of an enum's values for the tables
/// and `--json` alike.
pub(crate) fn serde_name(value: &impl Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => String::new(),
    }
}

/// `done`, `ready (2 rounds)`, `not applicable`, and `done (!)` for a step done while a
/// prerequisite is open.
pub(crate) fn step_status_text(step: &crate::state::progress::StepView<'_>) -> String {
    if step.is_not_applicable() {
        return "not applicable".into();
    }
    let mut status = step.status.to_string();
    if !step.record.rounds.is_empty() {
        status.push_str(&format!(" ({})", crate::words::count(step.record.rounds.len() as i64, "round")));
    }
    if step.is_done_ahead() {
        status.push_str(" (!)");
    }
    status
}
