//! Changes to a project, as pure functions on the project file: start, complete a step,
//! and the checks every step's change makes (`Change::apply` records a round, a skip, a
//! reopen and a `set`). Each checks that it is allowed, says why not, and appends one
//! event to the step's or the variable's block. `value.rs` makes each
//! writing command's change one value (`Change`), which the command line's runner
//! applies under the store's lock.

mod value;

pub use value::{Change, Detail, Ground, Outcome, rounds};

use std::collections::BTreeMap;

use anyhow::Result;
use indexmap::IndexMap;

use super::progress::{self, Status, StepView};
use super::project::{Action, CALENDAR_KEY, Event, FORMAT, ProjectFile, Start, Timestamp, tool};
use crate::playbook::value::Value;
use crate::playbook::{Playbook, Step};

/// Why a change is refused. Each carries the step by id (`StepName`) and the instants
/// involved, and its message names the step as messages do (``step 3.1 `id` ``); what to
/// do about it is the command line's to say (`cli::refusal`).
#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    #[error("cannot complete step {step} before {words}")]
    TooEarly { step: StepName, words: String },
    #[error("cannot complete step {step}: its earliest start is not known yet")]
    EarliestUnknown { step: StepName, why: String },
    #[error("step {step} is not repeatable")]
    NotRepeatable { step: StepName },
    #[error("step {step} is not optional, so it cannot be skipped")]
    NotOptional { step: StepName },
    #[error("step {step} needs no skip, it is {why}")]
    NeedsNoSkip { step: StepName, why: String },
    #[error("step {step} is already {status}")]
    AlreadyFinished { step: StepName, status: Status },
    #[error("step {step} is not done or skipped, so there is nothing to reopen")]
    NothingToReopen { step: StepName },
    #[error("cannot reopen step {step} at {at}: it was only finished at {done_at}")]
    ReopenBeforeFinished { step: StepName, at: Timestamp, done_at: Timestamp },
    #[error("cannot {verb} step {step} at {at}: its latest event, a `{}`, is at {latest}", action.as_str())]
    BeforeLatest { verb: &'static str, step: StepName, at: Timestamp, action: Action, latest: Timestamp },
    #[error("cannot set `{name}` at {at}: it was set later, at {later}, to `{value}`")]
    SetBeforeLater { name: String, at: Timestamp, later: Timestamp, value: String },
    #[error("cannot {verb} step {step} at {at}: it only became ready at {ready}")]
    ReadyOnlyLater { verb: &'static str, step: StepName, at: Timestamp, ready: Timestamp },
    #[error("cannot {verb} step {step}: it is not ready")]
    Waiting { verb: &'static str, step: StepName, reason: String },
    #[error("cannot {verb} step {step}: it is blocked")]
    Blocked { verb: &'static str, step: StepName, reason: String },
    #[error("cannot {verb} step {step}: it was done on {} by {by}", when.map(|w| w.to_string()).unwrap_or_default())]
    Done { verb: &'static str, step: StepName, when: Option<Timestamp>, by: String },
    #[error("cannot {verb} step {step}: it is skipped ({reason})")]
    Skipped { verb: &'static str, step: StepName, reason: String },
    #[error("step {step} has no field `{field}`")]
    NoSuchField { step: StepName, field: String, fields: Vec<String> },
    #[error("step {step} needs the field `{field}`")]
    MissingField { step: StepName, field: String, placeholder: String },
    /// Archiving without a reason a project whose `open` steps are neither done nor skipped.
    #[error("project `{project}` is not finished: {}", unfinished(.open))]
    Unfinished { project: String, open: Vec<String> },
}

/// A step as a refusal names it: its id, and its number when the playbook numbers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepName {
    pub id: String,
    pub number: Option<String>,
}

impl From<&Step> for StepName {
    fn from(step: &Step) -> StepName {
        StepName { id: step.id.clone(), number: step.number.clone() }
    }
}

/// ``3.1 `contact-list` ``, or `` `client-request` ``, as `Step::named` says it.
impl std::fmt::Display for StepName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.number {
            Some(number) => write!(f, "{number} `{}`", self.id),
            None => write!(f, "`{}`", self.id),
        }
    }
}

/// `2 steps are open (step 1.1 `a`, step 1.2 `b`)`: the first three named.
fn unfinished(open: &[String]) -> String {
    let shown: Vec<&str> = open.iter().take(3).map(String::as_str).collect();
    let more = if open.len() > 3 { format!(" and {} more", open.len() - 3) } else { String::new() };
    format!(
        "{} {} open ({}{more})",
        crate::words::count(open.len() as i64, "step"),
        if open.len() == 1 { "is" } else { "are" },
        shown.join(", ")
    )
}

/// Who makes a change, and when.
#[derive(Debug, Clone)]
pub struct Stamp {
    /// When it happened: now, or the past instant given with `--at`.
    pub at: Timestamp,
    pub by: String,
    /// When it was recorded, when that is not `at` (`--at`).
    pub recorded: Option<Timestamp>,
}

/// When a step may be completed, from its `not_before` rule as the deadline layer
/// computed it (this module knows no calendar).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Earliest {
    /// It has no earliest start.
    Any,
    /// From this instant; the words say when and why (`Mon 9 Nov 2026: 30 days after …`).
    From(Timestamp, String),
    /// Its earliest start cannot be computed yet, and why.
    Unknown(String),
}

impl Stamp {
    fn event(&self, action: Action, note: Option<String>) -> Event {
        Event {
            at: self.at,
            by: self.by.clone(),
            action,
            value: None,
            values: BTreeMap::new(),
            note,
            tool: tool(),
            recorded_at: self.recorded,
            retracts: None,
            id: None,
        }
    }
}

/// A new project file: a block for every step and variable, the variables as resolved.
pub fn start(
    playbook: &Playbook,
    project: &str,
    calendar: &str,
    vars: &BTreeMap<String, Value>,
    stamp: &Stamp,
) -> ProjectFile {
    let start = Start {
        at: stamp.at,
        by: stamp.by.clone(),
        calendar: calendar.to_string(),
        values: vars.iter().map(|(k, v)| (k.clone(), v.to_yaml())).collect(),
        tool: tool(),
    };
    let mut file = ProjectFile {
        format: FORMAT,
        project: project.to_string(),
        playbook: playbook.id.clone(),
        playbook_hash: playbook.hash.clone(),
        start,
        lifecycle: Vec::new(),
        vars: IndexMap::new(),
        steps: IndexMap::new(),
    };
    fill_blocks(playbook, &mut file);
    file
}

/// Gives every step and declared variable of the playbook its block (see `project`).
pub fn fill_blocks(playbook: &Playbook, file: &mut ProjectFile) {
    let steps = playbook.steps().map(|(_, step)| step.id.as_str());
    file.fill_blocks(steps, playbook.variables.iter().map(|v| v.name.as_str()));
}

/// Puts the blocks of a project read from a directory (built in the order events came)
/// in the playbook's order, as a single file keeps them, so that events of one instant
/// list in the same order whichever way the project is stored. Blocks the playbook does
/// not know keep their place after the others.
pub fn order_blocks(playbook: &Playbook, file: &mut ProjectFile) {
    let mut steps = std::mem::take(&mut file.steps);
    for (_, step) in playbook.steps() {
        if let Some(events) = steps.shift_remove(&step.id) {
            file.steps.insert(step.id.clone(), events);
        }
    }
    file.steps.extend(steps);
    let mut vars = std::mem::take(&mut file.vars);
    for variable in &playbook.variables {
        if let Some(events) = vars.shift_remove(&variable.name) {
            file.vars.insert(variable.name.clone(), events);
        }
    }
    file.vars.extend(vars);
}

/// Completes a ready step, recording its values and note.
pub fn complete(
    playbook: &Playbook,
    file: &mut ProjectFile,
    step: &Step,
    values: &BTreeMap<String, Value>,
    note: Option<String>,
    stamp: &Stamp,
    earliest: &Earliest,
) -> Result<(), ChangeError> {
    require_after_latest(file, step, stamp, "complete")?;
    require_ready(playbook, file, step, stamp, "complete")?;
    match earliest {
        Earliest::From(from, words) if stamp.at < *from => {
            return Err(ChangeError::TooEarly { step: step.into(), words: words.clone() });
        }
        Earliest::Unknown(why) => {
            return Err(ChangeError::EarliestUnknown { step: step.into(), why: why.clone() });
        }
        _ => {}
    }
    check_values(step, values)?;
    let mut event = stamp.event(Action::Done, note);
    event.values = values.iter().map(|(k, v)| (k.clone(), v.to_yaml())).collect();
    file.steps.entry(step.id.clone()).or_default().push(event);
    Ok(())
}

/// What `set` changes: a declared variable, or the project's calendar.
#[derive(Debug, Clone)]
pub enum SetValue {
    Variable(String, Value),
    Calendar(String),
}

impl SetValue {
    /// The value as messages show it.
    pub fn text(&self) -> String {
        match self {
            SetValue::Variable(_, value) => value.to_string(),
            SetValue::Calendar(id) => id.clone(),
        }
    }

    /// The block under `vars:` that records it.
    pub fn key(&self) -> &str {
        match self {
            SetValue::Variable(name, _) => name,
            SetValue::Calendar(_) => CALENDAR_KEY,
        }
    }
}

fn view<'a>(playbook: &'a Playbook, file: &'a ProjectFile, step: &Step) -> StepView<'a> {
    progress::compute(playbook, file).step(&step.id).cloned().expect("the step belongs to the playbook")
}

/// Nothing, unless the change is recorded with `--at` before the step's latest event of
/// any kind: its events would then say one order and their instants another (a
/// completion before the reopen it follows, a round before the retraction it needs).
fn require_after_latest(
    file: &ProjectFile,
    step: &Step,
    stamp: &Stamp,
    verb: &'static str,
) -> Result<(), ChangeError> {
    if stamp.recorded.is_none() {
        return Ok(());
    }
    match file.events_of(&step.id).iter().max_by_key(|e| e.at) {
        Some(latest) if latest.at > stamp.at => Err(ChangeError::BeforeLatest {
            verb,
            step: step.into(),
            at: stamp.at,
            action: latest.action.clone(),
            latest: latest.at,
        }),
        _ => Ok(()),
    }
}

/// Nothing, if the step is ready (and, for work recorded with `--at`, was ready then);
/// otherwise an error that says why not.
fn require_ready(
    playbook: &Playbook,
    file: &ProjectFile,
    step: &Step,
    stamp: &Stamp,
    verb: &'static str,
) -> Result<(), ChangeError> {
    let view = view(playbook, file, step);
    let reason = view.reason.clone().unwrap_or_default();
    let step = StepName::from(step);
    match view.status {
        // Statuses alone never schedule a step (`standing` does, knowing the calendar and
        // now): a completion before the earliest start is `complete`'s `TooEarly`.
        Status::Ready | Status::Scheduled => match view.started_at.map(Timestamp) {
            Some(ready) if stamp.recorded.is_some() && stamp.at < ready => {
                Err(ChangeError::ReadyOnlyLater { verb, step, at: stamp.at, ready })
            }
            _ => Ok(()),
        },
        Status::Waiting => Err(ChangeError::Waiting { verb, step, reason }),
        Status::Blocked => Err(ChangeError::Blocked { verb, step, reason }),
        Status::Done => {
            let by = view.record.done_by().unwrap_or_default().to_string();
            Err(ChangeError::Done { verb, step, when: view.record.done_at(), by })
        }
        Status::Skipped => Err(ChangeError::Skipped { verb, step, reason }),
    }
}

fn check_values(step: &Step, values: &BTreeMap<String, Value>) -> Result<(), ChangeError> {
    for name in values.keys() {
        if !step.fields.iter().any(|f| &f.name == name) {
            let fields = step.fields.iter().map(|f| f.name.clone()).collect();
            return Err(ChangeError::NoSuchField { step: step.into(), field: name.clone(), fields });
        }
    }
    if let Some(field) = step.fields.iter().find(|f| f.required && !values.contains_key(&f.name)) {
        return Err(ChangeError::MissingField {
            step: step.into(),
            field: field.name.clone(),
            placeholder: field.kind.placeholder(),
        });
    }
    Ok(())
}
