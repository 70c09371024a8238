//! Retractions: a `retract` event says that an earlier event of the same block (a step's
//! or a variable's) no longer counts: a round recorded by a stray Enter, a value set by
//! mistake, a completion or a skip of the wrong step. Nothing is deleted; the retracted
//! event stays in the file and in the log, and every derived fact (a step's status, a
//! variable's value) is replayed from the events that still count.
//!
//! A retraction names its event by id (the event file's name), so it merges like every
//! other event: two branches each add a file. A retraction of a retraction does not
//! count (the command refuses to write one: record the event again instead). Which
//! events count is the model's to say (`project::counting`); this module makes the
//! change and refuses one that later work needed.

use super::change::{Stamp, StepName};
use super::progress::{self, Status};
use super::project::{Action, Event, ProjectFile, Subject};
use super::replay::StepRecord;
use crate::playbook::Playbook;

/// Why a retraction is refused. Each names the event by its id; what to do about it is
/// the command line's to say (`cli::refusal`).
#[derive(Debug, thiserror::Error)]
pub(crate) enum RetractError {
    #[error("event `{id}` is a retraction, and a retraction cannot be retracted")]
    Retraction { id: String },
    #[error("event `{id}` is retracted already")]
    Already { id: String },
    #[error("event `{id}` is a `{action}` that this onboard does not know, so it cannot be retracted")]
    Unknown { id: String, action: String },
    #[error("cannot retract `{id}`: step {step} was {verb} after it and needed it")]
    Needed { id: String, step: StepName, verb: &'static str, later: String },
}

/// What was retracted: the event, and the step or variable it was about.
#[derive(Debug, Clone)]
pub struct Taken {
    pub subject: String,
    pub is_step: bool,
    pub event: Event,
}

/// Records that event `id` of `file` no longer counts, with a reason: a `retract` event in
/// the same block. Refused for a retraction, an event retracted already, and an event a
/// later event of another step (or of the same one) needed: completing a step that only
/// became ready because of the retracted completion, reopening the retracted skip.
/// `None` if no step's or variable's event has that id.
pub(crate) fn retract(
    playbook: &Playbook,
    file: &mut ProjectFile,
    id: &str,
    reason: String,
    stamp: &Stamp,
) -> Option<Result<Taken, RetractError>> {
    let (subject, event) = file.all_events().find(|(_, e)| e.id.as_deref() == Some(id))?;
    let (key, is_step) = match subject {
        Subject::Step(step) => (step.to_string(), true),
        Subject::Var(name) => (name.to_string(), false),
    };
    let event = event.clone();
    if let Err(error) = check(playbook, file, id, &event) {
        return Some(Err(error));
    }
    let retraction = Event {
        note: Some(reason),
        retracts: Some(id.to_string()),
        ..Event::new(stamp.at, stamp.by.clone(), Action::Retract)
    };
    let blocks = if is_step { &mut file.steps } else { &mut file.vars };
    blocks.entry(key.clone()).or_default().push(retraction);
    Some(Ok(Taken { subject: key, is_step, event }))
}

/// Nothing, if event `id` (`event`) may be retracted; otherwise why not.
fn check(playbook: &Playbook, file: &ProjectFile, id: &str, event: &Event) -> Result<(), RetractError> {
    match &event.action {
        Action::Retract => return Err(RetractError::Retraction { id: id.to_string() }),
        Action::Other(action) => {
            return Err(RetractError::Unknown { id: id.to_string(), action: action.clone() });
        }
        _ => {}
    }
    if file.is_retracted(id) {
        return Err(RetractError::Already { id: id.to_string() });
    }
    match needed_by(playbook, file, id) {
        Some((step, later)) => Err(RetractError::Needed {
            id: id.to_string(),
            step: playbook.step(&step).map_or(StepName { id: step.clone(), number: None }, |(_, s)| s.into()),
            verb: past(&later.action),
            later: later.id.clone().unwrap_or_default(),
        }),
        None => Ok(()),
    }
}

/// What a step's event did, as the refusal says it.
fn past(action: &Action) -> &'static str {
    match action {
        Action::Done => "completed",
        Action::Round => "repeated",
        Action::Skip => "skipped",
        Action::Reopen => "reopened",
        _ => "changed",
    }
}

/// The first later step event that was allowed when it was recorded and would not have
/// been without event `id`: its step and the event.
fn needed_by(playbook: &Playbook, file: &ProjectFile, id: &str) -> Option<(String, Event)> {
    let target = file.all_events().find(|(_, e)| e.id.as_deref() == Some(id))?.1;
    let mut later: Vec<(&str, usize, &Event)> = Vec::new();
    for (step, events) in &file.steps {
        let gone = super::project::retracted(events);
        for (index, event) in events.iter().enumerate() {
            let counts = !event.id.as_deref().is_some_and(|i| gone.contains(i) || i == id);
            if counts && event.known() >= target.known() && is_step_work(&event.action) {
                later.push((step, index, event));
            }
        }
    }
    later.sort_by_key(|(_, _, e)| e.known());
    later.into_iter().find_map(|(step, index, event)| {
        let with = before(file, step, index, None);
        let without = before(file, step, index, Some(id));
        let needed = is_allowed(playbook, &with, step, &event.action)
            && !is_allowed(playbook, &without, step, &event.action);
        needed.then(|| (step.to_string(), event.clone()))
    })
}

/// The events of `file` a retraction can take back: work on a step and variables set,
/// that no retraction took back already.
pub(crate) fn retractable(file: &ProjectFile) -> Vec<&Event> {
    let retracted = file.retracted_ids();
    file.all_events()
        .map(|(_, e)| e)
        .filter(|e| {
            matches!(e.action, Action::Done | Action::Round | Action::Skip | Action::Reopen | Action::Set)
                && e.id.as_deref().is_some_and(|id| !retracted.contains(id))
        })
        .collect()
}

/// `file` as it stood when event `index` of step `step` was recorded: the events before it
/// in replay order, with every retraction of the file, since a retraction takes its event
/// back as if it never counted.
pub(crate) fn as_recorded_before(file: &ProjectFile, step: &str, index: usize) -> ProjectFile {
    let mut cut = before(file, step, index, None);
    for (blocks, cut_blocks) in [(&file.steps, &mut cut.steps), (&file.vars, &mut cut.vars)] {
        for (key, events) in blocks {
            let kept = cut_blocks.entry(key.clone()).or_default();
            let later = events.iter().filter(|e| e.action == Action::Retract && !kept.contains(e));
            let later: Vec<Event> = later.cloned().collect();
            kept.extend(later);
        }
    }
    cut
}

fn is_step_work(action: &Action) -> bool {
    matches!(action, Action::Done | Action::Round | Action::Skip | Action::Reopen)
}

/// `file` as it stood just before event `index` of step `step`: the events known earlier
/// (and those of the same second in other blocks), without event `without`.
fn before(file: &ProjectFile, step: &str, index: usize, without: Option<&str>) -> ProjectFile {
    let known = file.steps[step][index].known();
    let keep = |key: &str, is_step: bool, i: usize, e: &Event| {
        let not_gone = without.is_none() || e.id.as_deref() != without;
        let earlier = if is_step && key == step { i < index } else { e.known() <= known };
        not_gone && earlier && e.known() <= known
    };
    let mut cut = file.clone();
    for (key, events) in cut.steps.iter_mut() {
        let kept = events.iter().enumerate().filter(|(i, e)| keep(key, true, *i, e));
        *events = kept.map(|(_, e)| e.clone()).collect();
    }
    for (key, events) in cut.vars.iter_mut() {
        let kept = events.iter().enumerate().filter(|(i, e)| keep(key, false, *i, e));
        *events = kept.map(|(_, e)| e.clone()).collect();
    }
    cut
}

/// Whether `action` on `step` was allowed in `file`, as the changes check it.
fn is_allowed(playbook: &Playbook, file: &ProjectFile, step: &str, action: &Action) -> bool {
    let progress = progress::compute(playbook, file);
    let Some(view) = progress.step(step) else { return true };
    match action {
        Action::Done | Action::Round => view.status == Status::Ready,
        Action::Skip => !view.is_not_applicable() && !matches!(view.status, Status::Done | Status::Skipped),
        Action::Reopen => StepRecord::replay(file.events_of(step)).done_at().is_some(),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playbook::Origin;
    use crate::playbook::validate::parse;
    use crate::state::change::{Change, Earliest, SetValue, complete, start};
    use crate::state::fixture::{apply, stamp};
    use crate::state::replay::Stored;
    use std::collections::BTreeMap;

    const PLAYBOOK: &str = "id: demo\ntitle: Demo\ncalendar: CH\nroles:\n  - id: PL\nvariables:\n  - {name: size, type: text}\nphases:\n  - id: one\n    title: One\n    steps:\n      - {id: kick-off, title: Kick-off, owner: PL}\n      - {id: tests, title: Tests, owner: PL, repeatable: true}\n      - {id: extra, title: Extra, owner: PL, optional: true}\n";

    /// Gives every event an id, as reading a directory does.
    fn name_all(file: &mut ProjectFile) {
        for (key, events) in file.steps.iter_mut().chain(file.vars.iter_mut()) {
            for (i, event) in events.iter_mut().enumerate().filter(|(_, e)| e.id.is_none()) {
                event.id = Some(format!("{key}-{i}.yaml"));
            }
        }
    }

    fn id_of(file: &ProjectFile, step: &str, index: usize) -> String {
        file.steps[step][index].id.clone().unwrap()
    }

    fn project() -> (Playbook, ProjectFile) {
        let playbook = parse(PLAYBOOK, "demo.yaml", Origin::Bundled).unwrap();
        let file = start(&playbook, "p", "CH", &BTreeMap::new(), &stamp("2026-03-02T09:00:00Z"));
        (playbook, file)
    }

    #[test]
    fn a_retracted_completion_no_longer_counts_and_the_step_is_ready_again() {
        let (playbook, mut file) = project();
        let kick_off = playbook.step("kick-off").unwrap().1.clone();
        let at = stamp("2026-03-02T10:00:00Z");
        complete(&playbook, &mut file, &kick_off, &BTreeMap::new(), None, &at, &Earliest::Any).unwrap();
        name_all(&mut file);
        let id = id_of(&file, "kick-off", 0);
        let taken = retract(&playbook, &mut file, &id, "wrong step".into(), &stamp("2026-03-02T11:00:00Z"))
            .unwrap()
            .unwrap();
        assert_eq!((taken.subject.as_str(), taken.is_step), ("kick-off", true));
        assert_eq!(file.steps["kick-off"].len(), 2, "nothing is deleted");
        assert_eq!(StepRecord::replay(&file.steps["kick-off"]).status, Stored::Open);
        assert_eq!(progress::compute(&playbook, &file).step("kick-off").unwrap().status, Status::Ready);
        name_all(&mut file);
        let again = retract(&playbook, &mut file, &id, "twice".into(), &at).unwrap().unwrap_err();
        assert!(matches!(again, RetractError::Already { .. }));
        let retraction = id_of(&file, "kick-off", 1);
        let of_retraction =
            retract(&playbook, &mut file, &retraction, "undo".into(), &at).unwrap().unwrap_err();
        assert!(matches!(of_retraction, RetractError::Retraction { .. }));
        assert!(retract(&playbook, &mut file, "nothing.yaml", "x".into(), &at).is_none());
    }

    #[test]
    fn a_completion_that_a_later_one_needed_is_refused_naming_it() {
        let (playbook, mut file) = project();
        let (kick_off, tests) = (playbook.step("kick-off").unwrap().1, playbook.step("tests").unwrap().1);
        let done = |file: &mut ProjectFile, step, at| {
            complete(&playbook, file, step, &BTreeMap::new(), None, &stamp(at), &Earliest::Any).unwrap();
        };
        done(&mut file, kick_off, "2026-03-02T10:00:00Z");
        let round = Change::Round { step: tests.id.clone(), note: None };
        apply(&playbook, &mut file, round, &stamp("2026-03-02T11:00:00Z")).unwrap();
        name_all(&mut file);
        let id = id_of(&file, "kick-off", 0);
        let refused = retract(&playbook, &mut file, &id, "no".into(), &stamp("2026-03-02T12:00:00Z"))
            .unwrap()
            .unwrap_err();
        assert_eq!(
            refused.to_string(),
            "cannot retract `kick-off-0.yaml`: step `tests` was repeated after it and needed it"
        );
        // The round retracted first, the completion can go.
        let round_id = id_of(&file, "tests", 0);
        retract(&playbook, &mut file, &round_id, "stray".into(), &stamp("2026-03-02T12:00:00Z"))
            .unwrap()
            .unwrap();
        name_all(&mut file);
        retract(&playbook, &mut file, &id, "no".into(), &stamp("2026-03-02T12:01:00Z")).unwrap().unwrap();
        assert_eq!(progress::compute(&playbook, &file).step("tests").unwrap().status, Status::Waiting);
    }

    #[test]
    fn a_retracted_set_gives_back_the_previous_value_and_a_retracted_skip_reopens() {
        let (playbook, mut file) = project();
        let set = |v: &str, reason: &str| Change::Set {
            value: SetValue::Variable("size".into(), crate::playbook::value::Value::Text(v.into())),
            reason: reason.into(),
        };
        apply(&playbook, &mut file, set("small", "first"), &stamp("2026-03-02T10:00:00Z")).unwrap();
        apply(&playbook, &mut file, set("huge", "typo"), &stamp("2026-03-02T11:00:00Z")).unwrap();
        let skip = Change::Skip { step: "extra".into(), reason: "not needed".into() };
        apply(&playbook, &mut file, skip, &stamp("2026-03-02T11:00:00Z")).unwrap();
        name_all(&mut file);
        let typo = file.vars["size"][1].id.clone().unwrap();
        retract(&playbook, &mut file, &typo, "typo".into(), &stamp("2026-03-02T12:00:00Z")).unwrap().unwrap();
        assert_eq!(progress::variables(&playbook, &file)["size"].to_string(), "small");
        let skipped = id_of(&file, "extra", 0);
        retract(&playbook, &mut file, &skipped, "needed".into(), &stamp("2026-03-02T12:00:00Z"))
            .unwrap()
            .unwrap();
        // Back to what it was before the skip: waiting for the kick-off.
        assert_eq!(progress::compute(&playbook, &file).step("extra").unwrap().status, Status::Waiting);
    }
}
