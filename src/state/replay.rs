//! What a step's events add up to: its status, its completion, its recorded values and
//! its rounds. Nothing of this is stored; it is derived here, in one place, each time a
//! project is read, so two sources of truth cannot disagree.
//!
//! Events are replayed in the order the file holds them (the merge keeps that order by
//! instant). The rules, which also decide the outcome of a merge:
//! - `done` completes an open or skipped step; a second `done` (the same step completed
//!   on two branches) leaves it done once, at its first completion, and its values add to
//!   the first's, the later word winning;
//! - `skip` skips an open step, and does nothing to a done one: work done beats work
//!   waived;
//! - `reopen` makes the step open again, its values stop counting;
//! - `round` adds a round whatever the status; rounds are all kept;
//! - a retracted event and its retraction do nothing (`state::retraction`).

use std::collections::BTreeMap;

use serde_yaml::Value as Yaml;

use super::project::{Action, Event, Timestamp};

/// A step's derived status, before the playbook's order and conditions are applied.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Stored {
    #[default]
    Open,
    Done,
    Skipped,
}

/// One completion, or the skip, that counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub at: Timestamp,
    pub by: String,
    pub note: Option<String>,
    pub values: BTreeMap<String, Yaml>,
}

/// One round of a repeatable step (test, adjust, test again).
#[derive(Debug, Clone, PartialEq)]
pub struct Round {
    pub at: Timestamp,
    pub by: String,
    pub note: Option<String>,
}

/// Everything derived about one step.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StepRecord {
    pub status: Stored,
    /// The completions that count (since the last reopen), oldest first; or the skip.
    pub marks: Vec<Mark>,
    pub rounds: Vec<Round>,
}

impl StepRecord {
    /// Replays a step's events.
    pub fn replay(events: &[Event]) -> StepRecord {
        let mut record = StepRecord::default();
        for event in super::project::counting(events) {
            let mark = || Mark {
                at: event.at,
                by: event.by.clone(),
                note: event.note.clone(),
                values: event.values.clone(),
            };
            match (&event.action, record.status) {
                (Action::Done, Stored::Done) => record.marks.push(mark()),
                (Action::Done, _) => {
                    record.status = Stored::Done;
                    record.marks = vec![mark()];
                }
                (Action::Skip, Stored::Open) => {
                    record.status = Stored::Skipped;
                    record.marks = vec![mark()];
                }
                (Action::Reopen, _) => {
                    record.status = Stored::Open;
                    record.marks.clear();
                }
                (Action::Round, _) => {
                    record.rounds.push(Round {
                        at: event.at,
                        by: event.by.clone(),
                        note: event.note.clone(),
                    });
                }
                _ => {}
            }
        }
        record
    }

    /// When it was completed or skipped (the first completion that counts).
    pub fn done_at(&self) -> Option<Timestamp> {
        self.marks.first().map(|m| m.at)
    }

    pub fn done_by(&self) -> Option<&str> {
        self.marks.first().map(|m| m.by.as_str())
    }

    /// The note of the completion or the skip's reason.
    pub fn note(&self) -> Option<&str> {
        self.marks.first().and_then(|m| m.note.as_deref())
    }

    /// The recorded fields: every counting completion's, the later winning.
    pub fn values(&self) -> BTreeMap<String, Yaml> {
        let mut values = BTreeMap::new();
        for mark in self.marks.iter().filter(|_| self.status == Stored::Done) {
            values.extend(mark.values.clone());
        }
        values
    }

    /// Fields that two counting completions recorded with different values.
    pub fn disagreements(&self) -> Vec<String> {
        let mut names = Vec::new();
        for (i, mark) in self.marks.iter().enumerate() {
            for later in &self.marks[i + 1..] {
                for (name, value) in &mark.values {
                    if later.values.get(name).is_some_and(|v| v != value) && !names.contains(name) {
                        names.push(name.clone());
                    }
                }
            }
        }
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(action: Action, at: &str, by: &str, values: &[(&str, &str)]) -> Event {
        let values = values.iter().map(|(k, v)| (k.to_string(), Yaml::String(v.to_string()))).collect();
        Event { values, ..crate::state::fixture::event(action, at, by) }
    }

    #[test]
    fn a_step_done_twice_is_done_once_at_its_first_completion() {
        let events = [
            event(Action::Done, "2026-03-02T09:00:00Z", "ana", &[("contactos", "Ana")]),
            event(Action::Done, "2026-03-03T09:00:00Z", "bob", &[("contactos", "Bob")]),
        ];
        let record = StepRecord::replay(&events);
        assert_eq!(record.status, Stored::Done);
        assert_eq!(record.done_by(), Some("ana"));
        assert_eq!(record.marks.len(), 2);
        assert_eq!(record.values()["contactos"], Yaml::String("Bob".into()));
        assert_eq!(record.disagreements(), vec!["contactos".to_string()]);
    }

    #[test]
    fn reopen_and_done_follow_their_order_and_done_beats_skip() {
        let at = "2026-03-02T09:00:00Z";
        let reopened =
            StepRecord::replay(&[event(Action::Done, at, "ana", &[]), event(Action::Reopen, at, "bob", &[])]);
        assert_eq!(reopened.status, Stored::Open);
        assert!(reopened.values().is_empty());
        let redone =
            StepRecord::replay(&[event(Action::Reopen, at, "bob", &[]), event(Action::Done, at, "ana", &[])]);
        assert_eq!(redone.status, Stored::Done);
        let skipped_then_done =
            StepRecord::replay(&[event(Action::Skip, at, "bob", &[]), event(Action::Done, at, "ana", &[])]);
        assert_eq!(skipped_then_done.status, Stored::Done);
        let done_then_skipped =
            StepRecord::replay(&[event(Action::Done, at, "ana", &[]), event(Action::Skip, at, "bob", &[])]);
        assert_eq!((done_then_skipped.status, done_then_skipped.done_by()), (Stored::Done, Some("ana")));
    }

    #[test]
    fn rounds_are_all_kept_and_unknown_actions_ignored() {
        let at = "2026-03-02T09:00:00Z";
        let events = [
            event(Action::Round, at, "ana", &[]),
            event(Action::Other("approve".into()), at, "ana", &[]),
            event(Action::Round, at, "bob", &[]),
        ];
        let record = StepRecord::replay(&events);
        assert_eq!((record.status, record.rounds.len()), (Stored::Open, 2));
    }

    #[test]
    fn a_retracted_event_and_its_retraction_do_nothing_in_either_order() {
        let at = "2026-03-02T09:00:00Z";
        let named = |mut e: Event, id: &str| {
            e.id = Some(id.into());
            e
        };
        let done = named(event(Action::Done, at, "ana", &[("contactos", "Ana")]), "a.yaml");
        let round = named(event(Action::Round, at, "ana", &[]), "b.yaml");
        let retract = |id: &str, own: &str| {
            let mut e = named(event(Action::Retract, at, "ana", &[]), own);
            e.retracts = Some(id.into());
            e
        };
        let record = StepRecord::replay(&[round.clone(), done.clone(), retract("a.yaml", "c.yaml")]);
        assert_eq!((record.status, record.rounds.len(), record.values().len()), (Stored::Open, 1, 0));
        // Merged from another branch, the retraction may come first: it still takes it back.
        let record = StepRecord::replay(&[retract("b.yaml", "c.yaml"), round.clone(), done.clone()]);
        assert_eq!((record.status, record.rounds.len()), (Stored::Done, 0));
        // A retraction of a retraction (only a hand-made file) takes back nothing.
        let record = StepRecord::replay(&[done, retract("a.yaml", "c.yaml"), retract("c.yaml", "d.yaml")]);
        assert_eq!(record.status, Stored::Open);
    }
}
