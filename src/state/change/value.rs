//! A change to a project as a value: one `Change` per writing command, applied in one
//! place (`Change::apply`), which returns what the change did (`Outcome`): the steps it
//! made ready or scheduled, the fixed dates left on closed days, and the commit's subject
//! and body. The command line's runner locks, applies, reports and commits it; this
//! module knows no lock, file or git.

use std::collections::BTreeMap;
use std::sync::Arc;

use anyhow::{Result, anyhow};
use chrono::NaiveDate;

use super::{SetValue, Stamp, complete, reopen, round, set, skip};
use crate::calendar::{Calendar, Closed};
use crate::playbook::value::Value;
use crate::playbook::{Playbook, Step};
use crate::state::lifecycle::{self, Standing};
use crate::state::progress::{self, Status};
use crate::state::project::{Action, ProjectFile, counting, short_hash, yaml_text};
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
            Change::Round { step, note } => {
                let step = step_of(playbook, step)?;
                round(playbook, file, step, note.clone(), stamp)?;
                let number = rounds(file, step);
                let what = format!("round {number} of");
                Outcome {
                    detail: Detail::Round(number),
                    ..of_step(step, &what, note.as_ref().map(|n| ("Note", n)))
                }
            }
            Change::Skip { step, reason } => {
                let step = step_of(playbook, step)?;
                skip(playbook, file, step, reason.clone(), stamp)?;
                of_step(step, "skipped", Some(("Reason", reason)))
            }
            Change::Reopen { step, reason } => {
                let step = step_of(playbook, step)?;
                reopen(file, step, reason.clone(), stamp)?;
                of_step(step, "reopened", Some(("Reason", reason)))
            }
            Change::Set { value, reason } => {
                let was = set(playbook, file, value, reason.clone(), stamp)?;
                let calendar = (ground.calendar)(file.calendar())?;
                let change = match &was {
                    Some(old) => format!("{old} → {}", value.text()),
                    None => format!("→ {}", value.text()),
                };
                Outcome {
                    subject: format!("set {}", value.key()),
                    body: vec![("Value", change), ("Reason", reason.clone())],
                    detail: Detail::Was(was),
                    fixed: closed_fixed_dates(playbook, &progress::variables(playbook, file), &calendar),
                    ..Outcome::default()
                }
            }
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
    use crate::state::project::Timestamp;

    const PLAYBOOK: &str = "id: demo\ntitle: Demo\ncalendar: CH\nroles:\n  - id: PL\nvariables:\n  - {name: J, type: date, required: true}\nphases:\n  - id: one\n    title: One\n    steps:\n      - id: confirm\n        title: Confirm the go-live\n        owner: PL\n        fields:\n          - {name: J, type: date}\n      - {id: rehearse, title: Rehearse, owner: PL, optional: true, repeatable: true}\n      - {id: go-live, title: Go-live, owner: PL, after: [confirm]}\n";

    fn stamp(at: &str) -> Stamp {
        Stamp {
            at: Timestamp(chrono::DateTime::parse_from_rfc3339(at).unwrap()),
            by: "ana".into(),
            recorded: None,
        }
    }

    /// `change` applied to `file` at `at`, on the bundled calendar CH.
    fn apply(playbook: &Playbook, file: &mut ProjectFile, change: Change, at: &str) -> Result<Outcome> {
        let calendar = |id: &str| Calendar::with_override(id, None, None);
        change.apply(&Ground { playbook, calendar: &calendar }, file, &stamp(at))
    }

    #[test]
    fn a_completion_says_what_became_ready_and_its_commit() {
        let playbook = parse(PLAYBOOK, "demo.yaml", Origin::Bundled).unwrap();
        let j = |text| crate::playbook::value::ValueKind::Date.parse(text).unwrap();
        let vars = BTreeMap::from([("J".to_string(), j("2026-04-01"))]);
        let at = "2026-03-02T09:00:00+01:00";
        let mut file = start(&playbook, "p", "CH", &vars, &stamp(at));
        let values = BTreeMap::from([("J".to_string(), j("2026-04-15"))]);
        let change = Change::Complete { step: "confirm".into(), values, note: Some("agreed".into()) };
        let outcome = apply(&playbook, &mut file, change, at).unwrap();
        assert_eq!(outcome.subject, "done confirm");
        assert_eq!(
            outcome.body,
            [("Step", "`confirm`: Confirm the go-live".into()), ("Note", "agreed".into())]
        );
        assert_eq!(outcome.ready, ["rehearse", "go-live"]);
        assert!(!outcome.finished && outcome.fixed.is_empty() && outcome.scheduled.is_empty());
        let round = apply(&playbook, &mut file, Change::Round { step: "rehearse".into(), note: None }, at);
        assert!(matches!(round.unwrap().detail, Detail::Round(1)));
    }

    #[test]
    fn a_refusal_leaves_the_project_as_it_was_and_carries_the_step_and_instants() {
        let playbook = parse(PLAYBOOK, "demo.yaml", Origin::Bundled).unwrap();
        let vars = BTreeMap::new();
        let at = "2026-03-02T09:00:00+01:00";
        let mut file = start(&playbook, "p", "CH", &vars, &stamp(at));
        let before = file.clone();
        let change = Change::Reopen { step: "confirm".into(), reason: "again".into() };
        let error = apply(&playbook, &mut file, change, at).unwrap_err();
        match error.downcast_ref::<ChangeError>() {
            Some(ChangeError::NothingToReopen { step }) => assert_eq!(step.id, "confirm"),
            other => panic!("{other:?}"),
        }
        assert_eq!(error.to_string(), "step `confirm` is not done or skipped, so there is nothing to reopen");
        assert_eq!(format!("{file:?}"), format!("{before:?}"));
        let archive = apply(&playbook, &mut file, Change::Archive { reason: None }, at).unwrap_err();
        assert!(archive.to_string().starts_with("project `p` is not finished: 3 steps are open"));
    }
}
