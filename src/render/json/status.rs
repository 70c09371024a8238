//! `status --json`: one project's phases and steps with their deadlines, or the portfolio
//! of every project.

use schemars::JsonSchema;
use serde::Serialize;

use super::{OnTime, Unreadable, Values, yaml_values};
use crate::playbook::Variable;
use crate::playbook::value::ValueKind;
use crate::render::view::PortfolioRow;
use crate::state::progress::{PhaseView, Progress, Status as Stage, StepView};
use crate::state::project::{ProjectFile, Timestamp};
use crate::state::schedule::{Entry, Schedule, Start, on_time};

/// `onboard status PROJECT --json`: where one project stands.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(title = "onboard status --json (one project)")]
pub(crate) struct Status {
    /// The project name.
    pub project: String,
    /// The playbook id.
    pub playbook: String,
    /// `sha256:<64 hex>` of the playbook version the project follows.
    pub playbook_hash: String,
    /// The current playbook differs from that version; the project still follows its own.
    pub playbook_changed: bool,
    /// The project's calendar id.
    pub calendar: String,
    /// When the project was started (RFC 3339).
    #[schemars(extend("format" = "date-time"))]
    pub started_at: String,
    /// Who started it.
    pub started_by: String,
    /// Every variable with a value: those given at start or defaulted, or changed with `onboard
    /// set`, and the field values of done steps (the latest recorded wins). Keys sorted.
    pub vars: Values,
    /// `{"on_time": integer, "finished": integer}`: the finished phases and steps that have a due
    /// moment, and how many of them were finished on time (see `late`).
    pub on_time: OnTime,
    /// In playbook order.
    pub phases: Vec<Phase>,
    /// For an archived project (`onboard status NAME` still shows one): `{"at": timestamp, "by":
    /// string, "reason": string or null}`, from its last `archive` record (`reason` is `--reason`;
    /// each is `null` for a file moved to `archive/` by hand); `null` for a project of the
    /// portfolio.
    pub archived: Option<Archived>,
}

/// When and by whom an archived project was archived, and why; each null for a file
/// moved to `archive/` by hand.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Archived {
    #[schemars(extend("format" = "date-time"))]
    pub at: Option<String>,
    pub by: Option<String>,
    /// `--reason`, for an abandoned project.
    pub reason: Option<String>,
}

/// A phase of `status --json`.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Phase {
    /// The phase id.
    pub id: String,
    /// The document's numbering (`III`), or null.
    pub number: Option<String>,
    /// The phase's title.
    pub title: String,
    /// `waiting`, `ready`, `scheduled`, `done`, `skipped` or `blocked`.
    pub status: Stage,
    /// When its prerequisites were complete; `null` while they are not.
    #[schemars(extend("format" = "date-time"))]
    pub started_at: Option<String>,
    #[serde(flatten)]
    pub deadline: Deadline,
    /// In playbook order.
    pub steps: Vec<Step>,
}

/// A step of `status --json`.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Step {
    /// The step id.
    pub id: String,
    /// The document's numbering (`3.2.1`), or null.
    pub number: Option<String>,
    /// The step's title.
    pub title: String,
    /// Role ids.
    pub owner: Vec<String>,
    /// `waiting`, `ready`, `scheduled`, `done`, `skipped` or `blocked`.
    pub status: Stage,
    /// Why it is `waiting` (the missing prerequisites), `blocked` (the variables without a value)
    /// or `skipped` (the skip reason, or “not applicable: `…` is false”); `null` when `ready` or
    /// `done`.
    pub reason: Option<String>,
    /// When it became ready (its and its phase's prerequisites were complete), computed from the
    /// current facts; `null` while waiting.
    #[schemars(extend("format" = "date-time"))]
    pub started_at: Option<String>,
    /// The step's own rule: a step without one has no due, even when its phase has.
    #[serde(flatten)]
    pub deadline: Deadline,
    /// For open work with an earliest start (`not_before:` in the playbook), the day
    /// (`"2026-04-13"`) or instant from which it may be completed; the step is `scheduled` until
    /// then. `null` without one, when it cannot be computed yet, or once done or skipped.
    pub not_before: Option<String>,
    /// When it was completed or skipped; `null` otherwise. A step completed on two merged branches
    /// counts from its first completion.
    #[schemars(extend("format" = "date-time"))]
    pub done_at: Option<String>,
    /// Who completed or skipped it.
    pub done_by: Option<String>,
    /// The note given with `advance`, or the reason given with `skip`.
    pub note: Option<String>,
    /// For a done step, its prerequisites that are still open, as messages name them (``"3.1
    /// `contact-list`"``, ``"phase II `development`"``); `[]` otherwise, and in the usual case. A
    /// done step with open prerequisites is one a merge (or reopening a prerequisite) left ahead of
    /// its order: `status` marks it `done (!)` and `onboard doctor` reports it. (Skipping an
    /// optional step before it is ready is allowed, so skipped steps list none.)
    pub open_prerequisites: Vec<String>,
    /// The step's fields: `{"name": string, "type": string, "required": boolean, "choices": array
    /// of strings or null}`.
    pub fields: Vec<Field>,
    /// The field values recorded, when the step is done (after a merge that completed it twice, the
    /// later completion's value of each field); `{}` otherwise.
    pub values: Values,
    /// Rounds of a repeatable step: `{"at": timestamp, "by": string, "note": string or null}`,
    /// oldest first.
    pub iterations: Vec<Iteration>,
}

/// The deadline keys of a phase or step.
#[derive(Debug, Default, Serialize, JsonSchema)]
pub(crate) struct Deadline {
    /// The due moment: `YYYY-MM-DD` for day rules, RFC 3339 for hour rules; null without one.
    pub due: Option<String>,
    /// Open (not done) and past its due: from the midnight after the due day, or after the due
    /// instant.
    pub overdue: bool,
    /// Open, not overdue, and due within the `--soon-days` business days (default 2) or
    /// `--soon-hours` hours of the rule's own hours (default 1).
    pub due_soon: bool,
    /// The time left, in words, measured as the rule measures: `"in 10 business days"`, `"today"`,
    /// `"overdue by 1 business day"`, `"in 30 days"`, `"2 h left in business hours"`, `"3 business
    /// days 4 h left"` (business hours from one business day of the calendar's hours on, whole days
    /// from ten), `"3 d 17 h left"`, `"overdue since Fri"` ([the
    /// rules](deadlines.md#overdue-due-soon-time-left)); `null` once done, and without a due.
    pub left: Option<String>,
    /// The time left exactly, as the rule counts, measured once with `left`: `{"amount": integer,
    /// "unit": string}` (units as for `overdue_by`; `left` rounds it to words: `"in 3 business
    /// days"` is `{"amount": 3, "unit": "business_days"}`, `"today"` an amount of `0`). `null` once
    /// overdue, once done, without a due, and when too far to count (`"more than 100 years left"`).
    pub time_left: Option<super::Span>,
    /// For overdue work, how late exactly, as the rule counts: `{"amount": integer, "unit":
    /// string}`, `unit` one of `days`, `business_days`, `minutes` (of the rule's own hours: every
    /// hour, or six days of 24) and `business_minutes` (`left` rounds it to words: `"overdue by 46
    /// business days"` for 24,840 business minutes of 9-hour days). `null` when not overdue, and
    /// while late by no counted time (`"overdue since Fri"`).
    pub overdue_by: Option<super::Span>,
    /// Why there is no due yet, when the rule has one but cannot be computed: ``"`production` has
    /// not started yet"``, ``"the milestone `fecha_entrega` has no date yet"``; `null` otherwise
    /// (no rule, a due, or skipped and not-applicable work, which has no due).
    pub due_pending: Option<String>,
    /// For finished work with a due: `true` when finished after its due moment, `false` when on
    /// time; `null` while open or without a due.
    pub late: Option<bool>,
    /// How late, measured as the rule counts: `"1 business day"`, `"3 days"`, `"1 h 30 min in
    /// business hours"`, `"less than 1 business day"`; `null` unless `late` is `true`.
    pub late_by: Option<String>,
}

/// A field a step records (or, in `status`, a variable without its default).
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Field {
    /// The variable's or field's name.
    pub name: String,
    /// `text`, `number`, `date`, `datetime`, `url`, `bool` or `choice`.
    #[serde(rename = "type")]
    pub kind: FieldType,
    /// `required: true`: a variable must have a value at `start`, a field when its step is
    /// done.
    pub required: bool,
    /// The choices of a `choice`; null for other types.
    pub choices: Option<Vec<String>>,
}

impl Field {
    pub(crate) fn of(variable: &Variable) -> Field {
        let choices = match &variable.kind {
            ValueKind::Choice(choices) => Some(choices.clone()),
            _ => None,
        };
        Field {
            name: variable.name.clone(),
            kind: FieldType::of(&variable.kind),
            required: variable.required,
            choices,
        }
    }
}

/// A field's type: its `ValueKind` without the choices.
#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(inline)]
pub(crate) enum FieldType {
    Text,
    Number,
    Date,
    DateTime,
    Url,
    Bool,
    Choice,
}

impl FieldType {
    fn of(kind: &ValueKind) -> FieldType {
        match kind {
            ValueKind::Text => FieldType::Text,
            ValueKind::Number => FieldType::Number,
            ValueKind::Date => FieldType::Date,
            ValueKind::DateTime => FieldType::DateTime,
            ValueKind::Url => FieldType::Url,
            ValueKind::Bool => FieldType::Bool,
            ValueKind::Choice(_) => FieldType::Choice,
        }
    }
}

/// One round of a repeatable step.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Iteration {
    #[schemars(extend("format" = "date-time"))]
    pub at: String,
    pub by: String,
    pub note: Option<String>,
}

/// The one-project status.
pub(crate) fn status(
    file: &ProjectFile,
    progress: &Progress<'_>,
    schedule: &Schedule,
    changed: bool,
) -> Status {
    Status {
        project: file.project.clone(),
        playbook: file.playbook.clone(),
        playbook_hash: file.playbook_hash.clone(),
        playbook_changed: changed,
        calendar: file.calendar().to_string(),
        started_at: file.started_at().to_string(),
        started_by: file.start.by.clone(),
        vars: progress.vars.iter().map(|(k, v)| (k.clone(), v.to_json())).collect(),
        on_time: on_time(schedule).into(),
        phases: progress.phases.iter().map(|p| phase(p, schedule)).collect(),
        archived: None,
    }
}

impl Deadline {
    /// The deadline of a phase or step in `schedule`.
    pub(crate) fn of(schedule: &Schedule, id: &str) -> Deadline {
        match schedule.get(id) {
            Some(Entry::Timed(t)) => Deadline {
                due: Some(t.due().text()),
                overdue: t.overdue,
                due_soon: t.soon,
                left: t.left.clone(),
                time_left: t.time_left.map(Into::into),
                overdue_by: t.late.map(Into::into),
                due_pending: None,
                late: t.late(),
                late_by: t.late_by.clone(),
            },
            Some(Entry::Pending(why)) => Deadline { due_pending: Some(why.clone()), ..Deadline::default() },
            None => Deadline::default(),
        }
    }
}

/// A step's earliest start still to come (`2026-11-09`, or RFC 3339 for hour rules).
fn not_before(schedule: &Schedule, id: &str) -> Option<String> {
    match schedule.starts.get(id) {
        Some(Start::Dated(wait)) => Some(wait.derivation.due.text()),
        _ => None,
    }
}

fn instant(at: Option<chrono::DateTime<chrono::FixedOffset>>) -> Option<String> {
    at.map(|t| Timestamp(t).to_string())
}

fn phase(view: &PhaseView<'_>, schedule: &Schedule) -> Phase {
    Phase {
        id: view.phase.id.clone(),
        number: view.phase.number.clone(),
        title: view.phase.title.clone(),
        status: view.status,
        started_at: instant(view.started_at),
        deadline: Deadline::of(schedule, &view.phase.id),
        steps: view.steps.iter().map(|s| step(s, schedule)).collect(),
    }
}

fn step(view: &StepView<'_>, schedule: &Schedule) -> Step {
    let record = &view.record;
    let values = match view.status {
        Stage::Done => yaml_values(&record.values()),
        _ => Values::new(),
    };
    let finished = matches!(view.status, Stage::Done | Stage::Skipped);
    let mark = record.marks.first().filter(|_| finished);
    Step {
        id: view.step.id.clone(),
        number: view.step.number.clone(),
        title: view.step.title.clone(),
        owner: view.step.owners.clone(),
        status: view.status,
        reason: view.reason.clone(),
        started_at: instant(view.started_at),
        deadline: Deadline::of(schedule, &view.step.id),
        not_before: not_before(schedule, &view.step.id),
        done_at: mark.map(|m| m.at.to_string()),
        done_by: mark.map(|m| m.by.clone()),
        note: mark.and_then(|m| m.note.clone()),
        open_prerequisites: view.ahead_of.clone(),
        fields: view.step.fields.iter().map(Field::of).collect(),
        values,
        iterations: record
            .rounds
            .iter()
            .map(|i| Iteration { at: i.at.to_string(), by: i.by.clone(), note: i.note.clone() })
            .collect(),
    }
}

/// `onboard status --json` with several projects: one entry per readable project, and
/// the projects that could not be read.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(title = "onboard status --json (portfolio)")]
pub(crate) struct Portfolio {
    /// One entry per readable project, sorted by name.
    pub projects: Vec<PortfolioProject>,
    /// The project files that could not be read, sorted by name.
    pub errors: Vec<Unreadable>,
}

/// A project of the portfolio.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct PortfolioProject {
    /// The project name; `repository/name` when several state directories have a project of that
    /// name.
    pub project: String,
    /// The label of the project's state directory; only with several (`--dir` repeated,
    /// `--workspace`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    /// The playbook id.
    pub playbook: String,
    /// The id of the first phase that is `ready`, `blocked` or `waiting`; `null` when every phase
    /// is done or skipped.
    pub current_phase: Option<String>,
    /// Steps done or skipped by someone.
    pub finished: usize,
    /// Steps that apply to the project (not-applicable steps excluded).
    pub steps: usize,
    /// The open phase or step due first (earliest due moment; ties by id): `{"id": string, "due":
    /// string, "overdue": boolean}`; `null` when no open work has a due.
    pub next_due: Option<NextDue>,
    /// How many open phases and steps are overdue.
    pub overdue: usize,
    /// As in the one-project output: `{"on_time": integer, "finished": integer}`.
    pub on_time: OnTime,
    /// An archived project (`--all` only); its `current_phase` and `next_due` are `null` and
    /// `overdue` is `0`: nothing of it is due any more.
    pub archived: bool,
}

/// The open work due first in a project.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub(crate) struct NextDue {
    /// The phase or step id.
    pub id: String,
    /// Its due moment.
    pub due: String,
    pub overdue: bool,
}

/// The portfolio from its table rows.
pub(crate) fn portfolio(rows: &[PortfolioRow], errors: Vec<Unreadable>) -> Portfolio {
    let projects = rows
        .iter()
        .map(|row| PortfolioProject {
            project: row.project.clone(),
            repository: row.repository.clone(),
            playbook: row.playbook.clone(),
            current_phase: row.phase_id.clone(),
            finished: row.finished,
            steps: row.total,
            next_due: row.next_due.as_ref().map(|next| NextDue {
                id: next.id.clone(),
                due: next.due.clone(),
                overdue: next.overdue,
            }),
            overdue: row.overdue,
            on_time: row.on_time.into(),
            archived: row.archived,
        })
        .collect();
    Portfolio { projects, errors }
}
