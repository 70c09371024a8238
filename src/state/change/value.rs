//! A change to a project as a value: one `Change` per writing command, applied in one
//! place (`Change::apply`), which returns what the change did (`Outcome`): the steps it
//! made ready or scheduled, the fixed dates left on closed days, and the commit's subject
//! and body. The command line's runner locks, applies, reports and commits it; this
//! module knows no lock, file or git.

use std::collections::BTreeMap;
use std::sync::Arc;

use anyhow::{Result, anyhow};
use chrono::NaiveDate;

use super::{ChangeError, SetValue, Stamp, complete, require_after_latest, require_ready, view};
use crate::calendar::{Calendar, Closed};
use crate::playbook::value::Value;
use crate::playbook::{Playbook, Step};
use crate::state::lifecycle::{self, Standing};
use crate::state::progress::{self, Status};
use crate::state::project::{Action, ProjectFile, counting, short_hash, yaml_text};
use crate::state::replay::StepRecord;
use crate::state::retraction::{self, Taken};
use crate::state::schedule::{Thresholds, closed_fixed_dates};
use crate::state::standing::standing;
use crate::state::upgrade;

/// One writing command's change. Steps are named by id, events by id.
#[derive(Debug, Clone)]
pub enum Change {
    /// Complete a ready step with its recorded fields.
    Complete {
        step: String,
        values: BTreeMap<String, Value>,
        note: Option<String>,
    },
    /// Record one round of a repeatable step.
    Round {
        step: String,
        note: Option<String>,
    },
    Skip {
        step: String,
        reason: String,
    },
    Reopen {
        step: String,
        reason: String,
    },
    /// Set a variable or the calendar.
    Set {
        value: SetValue,
        reason: String,
    },
    /// Take back the event of this id.
    Retract {
        event: String,
        reason: String,
    },
    /// Archive, finished or (with a reason) abandoned.
    Archive {
        reason: Option<String>,
    },
    Unarchive {
        reason: Option<String>,
    },
    /// Give the project known as `from` the name `to`.
    Rename {
        from: String,
        to: String,
    },
    /// Move to playbook version `to`; `force` drops the recorded work it has no place for.
    Upgrade {
        from: Arc<Playbook>,
        to: Arc<Playbook>,
        reason: Option<String>,
        force: bool,
    },
}

/// What applying a change reads besides the project: the playbook version it follows,
/// and the calendar of an id as the project counts on it (the team's override applied).
pub struct Ground<'a> {
    pub playbook: &'a Playbook,
    pub calendar: &'a dyn Fn(&str) -> Result<Calendar>,
}

/// What a change did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The commit's subject after `onboard: NAME: `, e.g. `done 3.2.1`.
    pub subject: String,
    /// The commit's body, `Key: value` lines in order (who is the runner's to add).
    pub body: Vec<(&'static str, String)>,
    /// The project's name from now on, when the change gave it a new one.
    pub renamed: Option<String>,
    /// What the report says beyond the change itself.
    pub detail: Detail,
    /// Steps the change made ready, by id.
    pub ready: Vec<String>,
    /// Steps the change made ready that wait for their earliest start: id, and when.
    pub scheduled: Vec<(String, String)>,
    /// Every step that applies is done or skipped (a completion that finished the project).
    pub finished: bool,
    /// Dates the playbook keeps although they fall on a closed day (the node named,
    /// the date, why it is closed): those a completion moved, or all of them after a `set`.
    pub fixed: Vec<(String, NaiveDate, Closed)>,
}

/// The facts a change's report line needs that the change itself does not hold.
#[derive(Debug, Default)]
pub enum Detail {
    #[default]
    Plain,
    /// A round, and its number.
    Round(usize),
    /// A `set`: the value it had, if any.
    Was(Option<String>),
    /// A retraction: the event it took back.
    Taken(Box<Taken>),
    /// An archive: whether the project was finished (else abandoned).
    Archived { finished: bool },
}

impl Change {
    /// Where the project must stand for the change to apply: unarchiving takes an
    /// archived project, every other change one of the portfolio.
    pub fn works_on(&self) -> Standing {
        match self {
            Change::Unarchive { .. } => Standing::Archived,
            _ => Standing::Active,
        }
    }

    /// The playbook version the project follows after the change, when it is another
    /// one (the store saves it before the change is written).
    pub fn version(&self) -> Option<&Playbook> {
        match self {
            Change::Upgrade { to, .. } => Some(to),
            _ => None,
        }
    }

    /// Applies the change to `file`, stamped `stamp`: checks that it is allowed (a typed
    /// refusal otherwise), appends its event, and says what it did.
    pub fn apply(&self, ground: &Ground<'_>, file: &mut ProjectFile, stamp: &Stamp) -> Result<Outcome> {
        let playbook = ground.playbook;
        Ok(match self {
            Change::Complete { step, values, note } => completed(ground, file, step, values, note, stamp)?,
            // One round of a repeatable step, which stays ready.
            Change::Round { step, note } => {
                let step = step_of(playbook, step)?;
                if !step.repeatable {
                    return Err(ChangeError::NotRepeatable { step: step.into() }.into());
                }
                require_after_latest(file, step, stamp, "repeat")?;
                require_ready(playbook, file, step, stamp, "repeat")?;
                file.steps.entry(step.id.clone()).or_default().push(stamp.event(Action::Round, note.clone()));
                let number = rounds(file, step);
                let what = format!("round {number} of");
                Outcome {
                    detail: Detail::Round(number),
                    ..of_step(step, &what, note.as_ref().map(|n| ("Note", n)))
                }
            }
            // An optional step that is not done yet.
            Change::Skip { step, reason } => {
                let step = step_of(playbook, step)?;
                if !step.optional {
                    return Err(ChangeError::NotOptional { step: step.into() }.into());
                }
                require_after_latest(file, step, stamp, "skip")?;
                let view = view(playbook, file, step);
                if view.is_not_applicable() {
                    let why = view.reason.clone().unwrap_or_default();
                    return Err(ChangeError::NeedsNoSkip { step: step.into(), why }.into());
                }
                if matches!(view.status, Status::Done | Status::Skipped) {
                    return Err(
                        ChangeError::AlreadyFinished { step: step.into(), status: view.status }.into()
                    );
                }
                file.steps
                    .entry(step.id.clone())
                    .or_default()
                    .push(stamp.event(Action::Skip, Some(reason.clone())));
                of_step(step, "skipped", Some(("Reason", reason)))
            }
            // Undoes a done or skipped step; its values stop counting, its history stays.
            Change::Reopen { step, reason } => {
                let step = step_of(playbook, step)?;
                let Some(done_at) = StepRecord::replay(file.events_of(&step.id)).done_at() else {
                    return Err(ChangeError::NothingToReopen { step: step.into() }.into());
                };
                require_after_latest(file, step, stamp, "reopen")?;
                if stamp.at < done_at {
                    return Err(ChangeError::ReopenBeforeFinished {
                        step: step.into(),
                        at: stamp.at,
                        done_at,
                    }
                    .into());
                }
                file.steps
                    .entry(step.id.clone())
                    .or_default()
                    .push(stamp.event(Action::Reopen, Some(reason.clone())));
                of_step(step, "reopened", Some(("Reason", reason)))
            }
            Change::Set { value, reason } => set(ground, file, value, reason, stamp)?,
            Change::Retract { event, reason } => retracted(playbook, file, event, reason, stamp)?,
            Change::Archive { reason } => {
                let finished = lifecycle::archive(playbook, file, reason.clone(), stamp)?;
                Outcome {
                    subject: format!("archived, {}", lifecycle::ending(finished)),
                    body: reason.iter().map(|r| ("Reason", r.clone())).collect(),
                    detail: Detail::Archived { finished },
                    ..Outcome::default()
                }
            }
            Change::Unarchive { reason } => {
                lifecycle::unarchive(file, reason.clone(), stamp);
                let body = reason.iter().map(|r| ("Reason", r.clone())).collect();
                Outcome { subject: "unarchived".into(), body, ..Outcome::default() }
            }
            Change::Rename { from, to } => {
                lifecycle::rename(file, to, stamp);
                Outcome {
                    subject: format!("renamed from {from}"),
                    renamed: Some(to.clone()),
                    ..Outcome::default()
                }
            }
            Change::Upgrade { from, to, reason, force } => {
                let plan = upgrade::plan(file, from, to);
                upgrade::apply(file, &plan, stamp, reason.clone(), *force)?;
                let mut body = vec![("From", format!("{} {}", from.id, short_hash(&from.hash)))];
                body.extend(reason.iter().map(|r| ("Reason", r.clone())));
                Outcome {
                    subject: format!("upgraded to {} {}", to.id, short_hash(&to.hash)),
                    body,
                    ..Outcome::default()
                }
            }
        })
    }
}

/// `Change::Set`: records the value with its reason, and says the value it had, if any
/// (not stored again: the log derives it from earlier events) and every date left on a
/// closed day.
fn set(
    ground: &Ground<'_>,
    file: &mut ProjectFile,
    value: &SetValue,
    reason: &str,
    stamp: &Stamp,
) -> Result<Outcome> {
    let playbook = ground.playbook;
    let (was, yaml) = match value {
        SetValue::Variable(name, value) => {
            let was = progress::variables(playbook, file).get(name).map(std::string::ToString::to_string);
            (was, value.to_yaml())
        }
        SetValue::Calendar(id) => (Some(file.calendar().to_string()), serde_yaml::Value::String(id.clone())),
    };
    if stamp.recorded.is_some() {
        let events = file.vars.get(value.key()).map_or(&[][..], Vec::as_slice);
        let later = counting(events).filter(|e| e.action == Action::Set && e.at > stamp.at);
        if let Some(later) = later.max_by_key(|e| e.at) {
            return Err(ChangeError::SetBeforeLater {
                name: value.key().to_string(),
                at: stamp.at,
                later: later.at,
                value: later.value.as_ref().map(yaml_text).unwrap_or_default(),
            }
            .into());
        }
    }
    let mut event = stamp.event(Action::Set, Some(reason.to_string()));
    event.value = Some(yaml);
    file.vars.entry(value.key().to_string()).or_default().push(event);
    let calendar = (ground.calendar)(file.calendar())?;
    let change = match &was {
        Some(old) => format!("{old} → {}", value.text()),
        None => format!("→ {}", value.text()),
    };
    Ok(Outcome {
        subject: format!("set {}", value.key()),
        body: vec![("Value", change), ("Reason", reason.to_string())],
        detail: Detail::Was(was),
        fixed: closed_fixed_dates(playbook, &progress::variables(playbook, file), &calendar),
        ..Outcome::default()
    })
}

/// The step of id `id`, which the command line resolved in this playbook.
fn step_of<'a>(playbook: &'a Playbook, id: &str) -> Result<&'a Step> {
    playbook
        .step(id)
        .map(|(_, step)| step)
        .ok_or_else(|| anyhow!("playbook `{}` has no step `{id}`", playbook.id))
}

/// How many rounds of `step` count.
pub fn rounds(file: &ProjectFile, step: &Step) -> usize {
    counting(file.events_of(&step.id)).filter(|e| e.action == Action::Round).count()
}

/// A step's outcome: `onboard: coop: done 3.2.1` (the step's number, else its id), and in
/// the body the step's title and the note or reason.
fn of_step(step: &Step, what: &str, words: Option<(&'static str, &String)>) -> Outcome {
    let label = step.number.as_deref().unwrap_or(&step.id);
    let mut body = vec![("Step", format!("{}: {}", step.named(), step.title.trim()))];
    body.extend(words.map(|(key, text)| (key, text.clone())));
    Outcome { subject: format!("{what} {label}"), body, ..Outcome::default() }
}

/// Where a project stands when a change is recorded (now, even for work done `--at` an
/// earlier instant).
fn judged<'a>(
    playbook: &'a Playbook,
    file: &'a ProjectFile,
    calendar: &Calendar,
    stamp: &Stamp,
) -> crate::state::standing::Standing<'a> {
    let now = stamp.recorded.unwrap_or(stamp.at).0;
    standing(playbook, file, calendar, now, Thresholds::default(), progress::Detail::Full)
}

/// `Change::Complete`: the completion, then which steps it made ready or scheduled and
/// which dates it left on a closed day.
fn completed(
    ground: &Ground<'_>,
    file: &mut ProjectFile,
    id: &str,
    values: &BTreeMap<String, Value>,
    note: &Option<String>,
    stamp: &Stamp,
) -> Result<Outcome> {
    let playbook = ground.playbook;
    let step = step_of(playbook, id)?;
    let calendar = (ground.calendar)(file.calendar())?;
    let (earliest, open) = {
        let crate::state::standing::Standing { progress: view, schedule } =
            judged(playbook, file, &calendar, stamp);
        let open = view.steps().filter(|s| matches!(s.status, Status::Ready | Status::Scheduled));
        (schedule.earliest(&step.id, &calendar), open.map(|s| s.step.id.clone()).collect::<Vec<_>>())
    };
    // A field just recorded may be the date a step stays put on: say which dates this
    // completion moved onto a closed day, not the ones already known.
    let fixes =
        values.keys().any(|field| playbook.variable(field).is_some() || is_milestone(playbook, field));
    let known = fixes.then(|| closed_fixed_dates(playbook, &progress::variables(playbook, file), &calendar));
    complete(playbook, file, step, values, note.clone(), stamp, &earliest)?;
    let mut outcome = of_step(step, "done", note.as_ref().map(|n| ("Note", n)));
    let view = judged(playbook, file, &calendar, stamp).progress;
    if let Some(known) = known {
        let now = closed_fixed_dates(playbook, &view.vars, &calendar);
        outcome.fixed = now.into_iter().filter(|d| !known.contains(d)).collect();
    }
    for s in view.steps().filter(|s| !open.contains(&s.step.id)) {
        match s.status {
            Status::Ready => outcome.ready.push(s.step.id.clone()),
            Status::Scheduled => {
                outcome.scheduled.push((s.step.id.clone(), s.reason.clone().unwrap_or_default()));
            }
            _ => {}
        }
    }
    outcome.finished = view.steps().all(|s| matches!(s.status, Status::Done | Status::Skipped));
    Ok(outcome)
}

/// Whether some milestone rule counts from `name`.
fn is_milestone(playbook: &Playbook, name: &str) -> bool {
    use crate::playbook::rule::Rule;
    let rules = playbook.steps().flat_map(|(_, s)| [s.deadline.as_ref(), s.not_before.as_ref()]);
    let phases = playbook.phases.iter().map(|p| p.deadline.as_ref());
    rules
        .chain(phases)
        .flatten()
        .any(|d| matches!(&d.rule, Rule::Milestone { milestone, .. } if milestone == name))
}

/// `Change::Retract`: `onboard: coop: retracted round of 3.2.2`, or for a variable
/// `onboard: opera: retracted set J`, with the title or the value, and the reason.
fn retracted(
    playbook: &Playbook,
    file: &mut ProjectFile,
    id: &str,
    reason: &str,
    stamp: &Stamp,
) -> Result<Outcome> {
    let Some(taken) = retraction::retract(playbook, file, id, reason.to_string(), stamp) else {
        return Err(anyhow!("project `{}` has no event `{id}` any more", file.project));
    };
    let taken = taken?;
    let action = taken.event.action.as_str().to_string();
    let reason = reason.to_string();
    let outcome = match playbook.step(&taken.subject).filter(|_| taken.is_step) {
        Some((_, step)) => of_step(step, &format!("retracted {action} of"), Some(("Reason", &reason))),
        None => {
            let value = taken.event.value.as_ref().map(|v| ("Value", yaml_text(v)));
            Outcome {
                subject: format!("retracted {action} {}", taken.subject),
                body: value.into_iter().chain([("Reason", reason)]).collect(),
                ..Outcome::default()
            }
        }
    };
    Ok(Outcome { detail: Detail::Taken(Box::new(taken)), ..outcome })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playbook::Origin;
    use crate::playbook::validate::parse;
    use crate::state::change::{ChangeError, start};
    use crate::state::fixture::{apply, stamp};

    const PLAYBOOK: &str = "id: demo\ntitle: Demo\ncalendar: CH\nroles:\n  - id: PL\nvariables:\n  - {name: J, type: date, required: true}\nphases:\n  - id: one\n    title: One\n    steps:\n      - id: confirm\n        title: Confirm the go-live\n        owner: PL\n        fields:\n          - {name: J, type: date}\n      - {id: rehearse, title: Rehearse, owner: PL, optional: true, repeatable: true}\n      - {id: go-live, title: Go-live, owner: PL, after: [confirm]}\n";

    /// The demo playbook, and a project of it started at `at` with J on 1 April.
    fn project(at: &str) -> (Playbook, ProjectFile) {
        let playbook = parse(PLAYBOOK, "demo.yaml", Origin::Bundled).unwrap();
        let file = start(&playbook, "p", "CH", &j_is("2026-04-01"), &stamp(at));
        (playbook, file)
    }

    fn j_is(date: &str) -> BTreeMap<String, Value> {
        BTreeMap::from([("J".to_string(), crate::playbook::value::ValueKind::Date.parse(date).unwrap())])
    }

    fn done(values: BTreeMap<String, Value>) -> Change {
        Change::Complete { step: "confirm".into(), values, note: None }
    }

    fn set_j(date: &str, reason: &str) -> Change {
        let value = SetValue::Variable("J".into(), j_is(date).remove("J").unwrap());
        Change::Set { value, reason: reason.into() }
    }

    fn reopen(reason: &str) -> Change {
        Change::Reopen { step: "confirm".into(), reason: reason.into() }
    }

    fn j(playbook: &Playbook, file: &ProjectFile) -> String {
        progress::variables(playbook, file)["J"].to_string()
    }

    #[test]
    fn a_completion_says_what_became_ready_and_its_commit() {
        let at = "2026-03-02T09:00:00+01:00";
        let (playbook, mut file) = project(at);
        let change = Change::Complete {
            step: "confirm".into(),
            values: j_is("2026-04-15"),
            note: Some("agreed".into()),
        };
        let outcome = apply(&playbook, &mut file, change, &stamp(at)).unwrap();
        assert_eq!(outcome.subject, "done confirm");
        assert_eq!(
            outcome.body,
            [("Step", "`confirm`: Confirm the go-live".into()), ("Note", "agreed".into())]
        );
        assert_eq!(outcome.ready, ["rehearse", "go-live"]);
        assert!(!outcome.finished && outcome.fixed.is_empty() && outcome.scheduled.is_empty());
        let round =
            apply(&playbook, &mut file, Change::Round { step: "rehearse".into(), note: None }, &stamp(at));
        assert!(matches!(round.unwrap().detail, Detail::Round(1)));
    }

    #[test]
    fn a_refusal_leaves_the_project_as_it_was_and_carries_the_step_and_instants() {
        let at = "2026-03-02T09:00:00+01:00";
        let (playbook, mut file) = project(at);
        let before = file.clone();
        let error = apply(&playbook, &mut file, reopen("again"), &stamp(at)).unwrap_err();
        match error.downcast_ref::<ChangeError>() {
            Some(ChangeError::NothingToReopen { step }) => assert_eq!(step.id, "confirm"),
            other => panic!("{other:?}"),
        }
        assert_eq!(error.to_string(), "step `confirm` is not done or skipped, so there is nothing to reopen");
        assert_eq!(format!("{file:?}"), format!("{before:?}"));
        let archive = apply(&playbook, &mut file, Change::Archive { reason: None }, &stamp(at)).unwrap_err();
        assert!(archive.to_string().starts_with("project `p` is not finished: 3 steps are open"));
    }

    #[test]
    fn the_latest_of_start_set_and_recorded_values_wins() {
        let at = "2026-03-02T09:00:00+01:00";
        let (playbook, mut file) = project(at);
        // Recorded at the start's instant, the step's value is the later word.
        apply(&playbook, &mut file, done(j_is("2026-04-15")), &stamp(at)).unwrap();
        assert_eq!(j(&playbook, &file), "2026-04-15");
        // A later `set` corrects what the step recorded.
        let moved =
            apply(&playbook, &mut file, set_j("2026-05-04", "moved"), &stamp("2026-03-03T09:00:00+01:00"));
        assert!(matches!(moved.unwrap().detail, Detail::Was(Some(was)) if was == "2026-04-15"));
        assert_eq!(j(&playbook, &file), "2026-05-04");
        // Reopened and completed again later, the step speaks last.
        apply(&playbook, &mut file, reopen("again"), &stamp("2026-03-04T09:00:00+01:00")).unwrap();
        apply(&playbook, &mut file, done(j_is("2026-05-11")), &stamp("2026-03-04T10:00:00+01:00")).unwrap();
        assert_eq!(j(&playbook, &file), "2026-05-11");
    }

    #[test]
    fn at_before_the_steps_latest_event_or_a_later_set_is_refused() {
        let (playbook, mut file) = project("2026-03-02T09:00:00+01:00");
        apply(&playbook, &mut file, done(BTreeMap::new()), &stamp("2026-03-02T10:00:00+01:00")).unwrap();
        apply(&playbook, &mut file, reopen("again"), &stamp("2026-03-02T11:00:00+01:00")).unwrap();
        let late = |at: &str| Stamp { recorded: Some(stamp("2026-03-02T12:00:00+01:00").at), ..stamp(at) };
        let refused = apply(&playbook, &mut file, done(BTreeMap::new()), &late("2026-03-02T10:30:00+01:00"));
        assert_eq!(
            refused.unwrap_err().to_string(),
            "cannot complete step `confirm` at 2026-03-02T10:30:00+01:00: its latest event, a `reopen`, is at 2026-03-02T11:00:00+01:00"
        );
        apply(&playbook, &mut file, done(BTreeMap::new()), &late("2026-03-02T11:00:00+01:00")).unwrap();
        apply(&playbook, &mut file, set_j("2026-05-04", "moved"), &stamp("2026-03-02T11:30:00+01:00"))
            .unwrap();
        let refused =
            apply(&playbook, &mut file, set_j("2026-04-20", "was"), &late("2026-03-02T11:15:00+01:00"));
        assert_eq!(
            refused.unwrap_err().to_string(),
            "cannot set `J` at 2026-03-02T11:15:00+01:00: it was set later, at 2026-03-02T11:30:00+01:00, to `2026-05-04`"
        );
    }
}
