//! Project files of format 1 (onboard before the event layout): read, and converted in
//! memory to the current format. The next command that writes the project writes it in
//! the current format; nothing converts a file that is only read.
//!
//! Format 1 stored each step's facts twice (a `status`, `done_at`… block and a
//! `history`), and project-wide events (start, `set`) in one top-level `history`. The
//! history is the truth we keep; a step whose history is empty but whose status says
//! done or skipped (a hand edit) gets the event its fields describe.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use serde::Deserialize;
use serde_yaml::Value as Yaml;

use super::project::{Action, CALENDAR_KEY, Event, FORMAT, ProjectFile, Start, Timestamp, tool};
use super::unique;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileV1 {
    project: String,
    playbook: String,
    playbook_hash: String,
    calendar: String,
    started_at: Timestamp,
    started_by: String,
    #[serde(default, deserialize_with = "unique::keys")]
    vars: BTreeMap<String, Yaml>,
    #[serde(deserialize_with = "unique::keys")]
    steps: IndexMap<String, StepV1>,
    #[serde(default)]
    history: Vec<EventV1>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StepV1 {
    status: String,
    #[serde(default, rename = "ready_at")]
    _ready_at: Option<Timestamp>,
    #[serde(default)]
    done_at: Option<Timestamp>,
    #[serde(default)]
    done_by: Option<String>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default, deserialize_with = "unique::keys")]
    values: BTreeMap<String, Yaml>,
    /// Duplicates of the `iteration` events of `history`.
    #[serde(default, rename = "iterations")]
    _iterations: Vec<Yaml>,
    #[serde(default)]
    history: Vec<EventV1>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct EventV1 {
    at: Timestamp,
    by: String,
    action: String,
    #[serde(default)]
    note: Option<String>,
    #[serde(default, deserialize_with = "unique::keys")]
    values: BTreeMap<String, Yaml>,
    tool: String,
}

impl EventV1 {
    fn into_event(self) -> Event {
        Event {
            values: self.values,
            note: self.note,
            tool: self.tool,
            ..Event::new(self.at, self.by, Action::from(self.action))
        }
    }
}

/// What a format-1 file holds that the current format cannot keep: where (a path such as
/// `history[3].action`), and what. Converting would drop it, so the file is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unconvertible {
    pub at: String,
    pub message: String,
}

impl FileV1 {
    /// The same project in the current format; refused when something in it would be
    /// lost: a project-wide event other than a start or a `set`, or a step whose only
    /// record is a status the events cannot say.
    pub(crate) fn convert(self) -> Result<ProjectFile, Unconvertible> {
        self.check()?;
        Ok(self.converted())
    }

    fn check(&self) -> Result<(), Unconvertible> {
        for (i, event) in self.history.iter().enumerate() {
            if !matches!(event.action.as_str(), "start" | "set") {
                return Err(Unconvertible {
                    at: format!("history[{i}].action"),
                    message: format!(
                        "the project-wide event `{}` of this format-1 file cannot be converted: only `start` and `set` can",
                        event.action
                    ),
                });
            }
        }
        for (id, step) in &self.steps {
            if let Some(message) = step.unconvertible() {
                return Err(Unconvertible { at: format!("steps.{id}.status"), message });
            }
        }
        Ok(())
    }

    fn converted(self) -> ProjectFile {
        let started = self.history.iter().find(|e| e.action == "start");
        let start = Start {
            at: started.map_or(self.started_at, |e| e.at),
            by: started.map_or_else(|| self.started_by.clone(), |e| e.by.clone()),
            calendar: self.start_calendar(),
            values: started.map_or_else(|| self.vars.clone(), |e| e.values.clone()),
            tool: started.map_or_else(tool, |e| e.tool.clone()),
        };
        let mut vars: IndexMap<String, Vec<Event>> =
            self.vars.keys().map(|k| (k.clone(), Vec::new())).collect();
        for event in self.history.iter().filter(|e| e.action == "set") {
            for (name, value) in &event.values {
                let mut set = event.clone().into_event();
                set.values.clear();
                set.value = Some(value.clone());
                vars.entry(name.clone()).or_default().push(set);
            }
        }
        vars.sort_keys();
        let steps = self.steps.into_iter().map(|(id, step)| (id, step.events())).collect();
        ProjectFile {
            format: FORMAT,
            project: self.project,
            playbook: self.playbook,
            playbook_hash: self.playbook_hash,
            start,
            lifecycle: Vec::new(),
            vars,
            steps,
        }
    }

    /// The calendar before any `set calendar=…`: format 1 kept only the current one, and
    /// each such `set` noted the previous value as `(was ID)`.
    fn start_calendar(&self) -> String {
        let first_set =
            self.history.iter().find(|e| e.action == "set" && e.values.contains_key(CALENDAR_KEY));
        first_set
            .and_then(|e| e.note.as_deref())
            .and_then(|note| note.rsplit_once("(was ")?.1.strip_suffix(')').map(str::to_string))
            .unwrap_or_else(|| self.calendar.clone())
    }
}

impl StepV1 {
    /// Why this step's record cannot be converted: a status with no history that no event
    /// can say (one a newer onboard wrote), or `done`/`skipped` without when and by whom.
    fn unconvertible(&self) -> Option<String> {
        if !self.history.is_empty() {
            return None;
        }
        match self.status.as_str() {
            "pending" => None,
            "done" | "skipped" if self.done_at.is_some() && self.done_by.is_some() => None,
            "done" | "skipped" => Some(format!(
                "the step is `{}` with no history and no `done_at` and `done_by`: nothing says when and by whom",
                self.status
            )),
            other => {
                Some(format!("the status `{other}` with no history cannot be converted: no event says it"))
            }
        }
    }

    fn events(self) -> Vec<Event> {
        if !self.history.is_empty() {
            return self.history.into_iter().map(EventV1::into_event).collect();
        }
        let action = match self.status.as_str() {
            "done" => Action::Done,
            "skipped" => Action::Skip,
            _ => return Vec::new(),
        };
        let (Some(at), Some(by)) = (self.done_at, self.done_by) else { return Vec::new() };
        vec![Event { values: self.values, note: self.note, ..Event::new(at, by, action) }]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const V1: &str = "project: opera
playbook: data-import
playbook_hash: sha256:00
calendar: CH-VD
started_at: 2026-03-02T09:00:00+01:00
started_by: ana
vars:
  J: 2026-04-20
steps:
  kick-off:
    status: done
    ready_at: 2026-03-02T09:00:00+01:00
    done_at: 2026-03-02T10:00:00+01:00
    done_by: ana
    values:
      lead: Ana
    iterations:
    - at: 2026-03-02T09:30:00+01:00
      by: bob
    history:
    - at: 2026-03-02T09:30:00+01:00
      by: bob
      action: iteration
      tool: onboard 0.1.0
    - at: 2026-03-02T10:00:00+01:00
      by: ana
      action: done
      values:
        lead: Ana
      tool: onboard 0.1.0
  go-live:
    status: pending
history:
- at: 2026-03-02T09:00:00+01:00
  by: ana
  action: start
  values:
    J: 2026-04-01
  tool: onboard 0.1.0
- at: 2026-03-03T09:00:00+01:00
  by: bob
  action: set
  note: moved (was 2026-04-01)
  values:
    J: 2026-04-20
  tool: onboard 0.1.0
- at: 2026-03-04T09:00:00+01:00
  by: bob
  action: set
  note: team moved (was CH)
  values:
    calendar: CH-VD
  tool: onboard 0.1.0
";

    #[test]
    fn converts_every_event_once() {
        let file: FileV1 = serde_yaml::from_str(V1).unwrap();
        let file = file.convert().unwrap();
        assert_eq!(file.start.calendar, "CH");
        assert_eq!(file.calendar(), "CH-VD");
        assert_eq!(file.start.values["J"], Yaml::String("2026-04-01".into()));
        assert_eq!(file.vars["J"][0].value, Some(Yaml::String("2026-04-20".into())));
        let actions: Vec<&str> = file.steps["kick-off"].iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["round", "done"]);
        assert!(file.steps["go-live"].is_empty());
        assert_eq!(file.vars.keys().collect::<Vec<_>>(), ["J", "calendar"]);
    }

    #[test]
    fn what_the_current_format_cannot_keep_is_refused_where_it_stands() {
        let convert =
            |text: &str| serde_yaml::from_str::<FileV1>(text).unwrap().convert().map(|_| ()).unwrap_err();
        let archived = V1.replace("  action: start\n", "  action: archive\n");
        assert_eq!(
            convert(&archived),
            Unconvertible {
                at: "history[0].action".into(),
                message: "the project-wide event `archive` of this format-1 file cannot be converted: only `start` and `set` can".into()
            }
        );
        let blocked = V1.replace("  go-live:\n    status: pending", "  go-live:\n    status: on-hold");
        assert_eq!(
            convert(&blocked),
            Unconvertible {
                at: "steps.go-live.status".into(),
                message: "the status `on-hold` with no history cannot be converted: no event says it".into()
            }
        );
        let bare = V1.replace("  go-live:\n    status: pending", "  go-live:\n    status: done");
        assert_eq!(convert(&bare).at, "steps.go-live.status");
    }
}
