//! The project file: the events that happened to a project, each stored once, laid out
//! so that git diffs read well and concurrent branches merge.
//!
//! Events are the only truth. A step's status, when and by whom it was done, its values
//! and the current value of each variable are derived from them when read
//! (`state::replay`). Events are grouped per step and per variable, each in its own
//! block, and blocks are separated by a blank line, so that git's default merge joins
//! two branches that touched different steps or different variables. A block for every
//! step and every declared variable is written from the start, so a change never inserts
//! a block next to another branch's insertion. Two branches that add events to the same
//! block meet at the same place; the merge driver (`state::merge`) joins those.
//!
//! What happens to the project as a whole (archived, unarchived, renamed, moved to
//! another version of its playbook) is kept in a `lifecycle:` list after the start,
//! written only once there is something in it: a file without it reads and writes as
//! format 2, byte for byte; a file with it declares format 3, so that an older onboard
//! says it is too old rather than that the file is broken.

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use anyhow::{Context as _, Result};
use chrono::{DateTime, FixedOffset, SecondsFormat};
use indexmap::IndexMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_yaml::Value as Yaml;

use super::unique;
use crate::clock::check_instant;

/// The version of the file layout that this program writes for a project without
/// lifecycle records.
pub(crate) const FORMAT: u32 = 2;

/// The version of the layout with a `lifecycle:` list; the newest this program reads.
pub(crate) const LIFECYCLE_FORMAT: u32 = 3;

/// The first line of every project file, for people who open it.
const HEADER: &str = "# onboard project file. Change it with onboard commands; review it like code.\n";

/// The key under `vars:` that holds `set calendar=ID` events.
pub(crate) const CALENDAR_KEY: &str = "calendar";

/// An instant as stored: RFC 3339 with the calendar's offset, to the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub DateTime<FixedOffset>);

/// The whole project file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectFile {
    pub format: u32,
    pub project: String,
    pub playbook: String,
    /// `sha256:` of the playbook version this project follows.
    pub playbook_hash: String,
    pub start: Start,
    /// Archived, unarchived, renamed, upgraded: in the order they were written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lifecycle: Vec<Record>,
    /// `set` events, per variable (and `calendar`), in the order they were written.
    #[serde(default, deserialize_with = "unique::keys")]
    pub vars: IndexMap<String, Vec<Event>>,
    /// Each step's events (done, round, skip, reopen), in the order they were written.
    #[serde(default, deserialize_with = "unique::keys")]
    pub steps: IndexMap<String, Vec<Event>>,
}

/// How the project started: when, by whom, on which calendar, with which variables.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Start {
    pub at: Timestamp,
    pub by: String,
    pub calendar: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty", deserialize_with = "unique::keys")]
    pub values: BTreeMap<String, Yaml>,
    /// The program that started it, e.g. `onboard 0.1.0`.
    pub tool: String,
}

/// One thing that happened to a step or a variable: who did what, when, with which tool.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    pub at: Timestamp,
    pub by: String,
    pub action: Action,
    /// The new value, for `set`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Yaml>,
    /// The fields recorded, for `done`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty", deserialize_with = "unique::keys")]
    pub values: BTreeMap<String, Yaml>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The program that made the change, e.g. `onboard 0.1.0`.
    pub tool: String,
    /// When it was recorded, for work recorded after it happened (`--at`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_at: Option<Timestamp>,
    /// For `retract`: the id (event file name) of the event of the same block that no
    /// longer counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retracts: Option<String>,
    /// The event's id: the name of the file that holds it in a project directory; none
    /// for an event not written yet or read from a single project file. Not stored in the
    /// event, and not part of what makes two events the same.
    #[serde(skip)]
    pub id: Option<String>,
}

impl PartialEq for Event {
    fn eq(&self, other: &Self) -> bool {
        // Everything but `id`: the same event read from a directory and made in memory
        // (or dropped by an upgrade and kept in its record) is one event.
        self.at == other.at
            && self.by == other.by
            && self.action == other.action
            && self.value == other.value
            && self.values == other.values
            && self.note == other.note
            && self.tool == other.tool
            && self.recorded_at == other.recorded_at
            && self.retracts == other.retracts
    }
}

impl Event {
    /// An event of `action` at `at` by `by`, written by this program, with nothing else
    /// (no value, fields, note or retraction): callers add what theirs holds.
    pub fn new(at: Timestamp, by: impl Into<String>, action: Action) -> Event {
        Event {
            at,
            by: by.into(),
            action,
            value: None,
            values: BTreeMap::new(),
            note: None,
            tool: tool(),
            recorded_at: None,
            retracts: None,
            id: None,
        }
    }

    /// When the event became known: when it was recorded, for work recorded after it
    /// happened (`--at`), else when it happened.
    pub fn known(&self) -> Timestamp {
        self.recorded_at.unwrap_or(self.at)
    }
}

/// Something that happened to the project as a whole, by whom and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub at: Timestamp,
    pub by: String,
    pub action: Lifecycle,
    /// `rename`: the old name; `upgrade`: the playbook version left (`sha256:…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// `rename`: the new name; `upgrade`: the playbook version taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Why: an abandoned project's reason, an upgrade's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// What an upgrade with `--force` removed from the file, as it was, so that nothing
    /// recorded is lost.
    #[serde(default, skip_serializing_if = "Dropped::is_empty")]
    pub dropped: Dropped,
    pub tool: String,
}

/// What a lifecycle record did. Unknown values (from a newer onboard) are kept as written.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(from = "String")]
pub enum Lifecycle {
    Archive,
    Unarchive,
    Rename,
    Upgrade,
    /// The project is deleted: out of every listing until its files are pruned.
    Delete,
    Other(String),
}

impl Lifecycle {
    pub fn as_str(&self) -> &str {
        match self {
            Lifecycle::Archive => "archive",
            Lifecycle::Unarchive => "unarchive",
            Lifecycle::Rename => "rename",
            Lifecycle::Upgrade => "upgrade",
            Lifecycle::Delete => "delete",
            Lifecycle::Other(other) => other,
        }
    }
}

impl From<String> for Lifecycle {
    fn from(text: String) -> Self {
        match text.as_str() {
            "archive" => Lifecycle::Archive,
            "unarchive" => Lifecycle::Unarchive,
            "rename" => Lifecycle::Rename,
            "upgrade" => Lifecycle::Upgrade,
            "delete" => Lifecycle::Delete,
            _ => Lifecycle::Other(text),
        }
    }
}

impl Serialize for Lifecycle {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Recorded work that a new playbook version has no place for, removed by an upgrade
/// with `--force` and kept here as it was.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dropped {
    /// The whole blocks of steps the new version does not have.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty", deserialize_with = "unique::keys")]
    pub steps: IndexMap<String, Vec<Event>>,
    /// `set` events of variables the new version does not declare, or whose value its
    /// type refuses.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty", deserialize_with = "unique::keys")]
    pub vars: IndexMap<String, Vec<Event>>,
    /// Values given at start, or recorded by a step the new version keeps, that it has no
    /// place for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<DroppedValue>,
}

impl Dropped {
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty() && self.vars.is_empty() && self.values.is_empty()
    }
}

/// One value removed by an upgrade: where it was recorded, under which name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DroppedValue {
    /// The instant of the start, or of the step's `done` event, that recorded it.
    pub at: Timestamp,
    /// The step that recorded it; none when it was given at start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
    pub name: String,
    pub value: Yaml,
}

/// What an event did. Unknown values (from a newer onboard) are kept as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(from = "String")]
pub enum Action {
    Done,
    Round,
    Skip,
    Reopen,
    Set,
    /// An earlier event of the same block no longer counts (`retracts` names it).
    Retract,
    Other(String),
}

impl Action {
    pub fn as_str(&self) -> &str {
        match self {
            Action::Done => "done",
            Action::Round => "round",
            Action::Skip => "skip",
            Action::Reopen => "reopen",
            Action::Set => "set",
            Action::Retract => "retract",
            Action::Other(other) => other,
        }
    }
}

impl From<String> for Action {
    fn from(text: String) -> Self {
        match text.as_str() {
            "done" => Action::Done,
            // Files of format 1 called a round an iteration.
            "round" | "iteration" => Action::Round,
            "skip" => Action::Skip,
            "reopen" => Action::Reopen,
            "set" => Action::Set,
            "retract" => Action::Retract,
            _ => Action::Other(text),
        }
    }
}

impl Serialize for Action {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl ProjectFile {
    /// When the project started.
    pub fn started_at(&self) -> Timestamp {
        self.start.at
    }

    /// The project's calendar: the latest `set calendar=…`, else the one it started with.
    pub fn calendar(&self) -> &str {
        let set = self.vars.get(CALENDAR_KEY).and_then(|events| {
            counting(events).rev().filter(|e| e.action == Action::Set).find_map(|e| match &e.value {
                Some(Yaml::String(id)) => Some(id.as_str()),
                _ => None,
            })
        });
        set.unwrap_or(&self.start.calendar)
    }

    /// The last lifecycle record of a kind, if any.
    pub fn last(&self, action: &Lifecycle) -> Option<&Record> {
        self.lifecycle.iter().rev().find(|record| record.action == *action)
    }

    /// Appends a lifecycle record; the file then needs the format that has them.
    pub fn record(&mut self, record: Record) {
        self.format = self.format.max(LIFECYCLE_FORMAT);
        self.lifecycle.push(record);
    }

    /// When the latest event, lifecycle record or the start was recorded.
    pub fn latest_known(&self) -> Timestamp {
        let events = self.all_events().map(|(_, e)| e.known());
        let records = self.lifecycle.iter().map(|r| r.at);
        events.chain(records).fold(self.start.at, Timestamp::max)
    }

    /// Whether the event with id `id` is taken back by a retraction of its block.
    pub fn is_retracted(&self, id: &str) -> bool {
        self.retracted_ids().contains(id)
    }

    /// The ids of every event that a retraction takes back.
    pub fn retracted_ids(&self) -> HashSet<&str> {
        self.steps.values().chain(self.vars.values()).flat_map(|events| retracted(events)).collect()
    }

    /// A step's events, oldest first as written.
    pub fn events_of(&self, step: &str) -> &[Event] {
        self.steps.get(step).map_or(&[], Vec::as_slice)
    }

    /// Every event of the project with the step or variable it belongs to.
    pub fn all_events(&self) -> impl Iterator<Item = (Subject<'_>, &Event)> {
        let vars =
            self.vars.iter().flat_map(|(name, events)| events.iter().map(move |e| (Subject::Var(name), e)));
        let steps =
            self.steps.iter().flat_map(|(id, events)| events.iter().map(move |e| (Subject::Step(id), e)));
        vars.chain(steps)
    }

    /// The project as it was recorded at `instant`: only the events written by then
    /// (work recorded later with `--at` counts from when it was recorded, not from when
    /// it happened, because nobody knew of it before), only the lifecycle records made by
    /// then, and the playbook version it followed then. `None` if it had not started.
    /// Blocks of steps a later upgrade added stay, empty; `prune_unknown` drops them.
    pub fn known_at(&self, instant: Timestamp) -> Option<ProjectFile> {
        if self.start.at > instant {
            return None;
        }
        let cut = |blocks: &IndexMap<String, Vec<Event>>| -> IndexMap<String, Vec<Event>> {
            let known = |e: &&Event| e.recorded_at.unwrap_or(e.at) <= instant;
            blocks
                .iter()
                .map(|(key, events)| (key.clone(), events.iter().filter(known).cloned().collect()))
                .collect()
        };
        let (before, after): (Vec<&Record>, Vec<&Record>) =
            self.lifecycle.iter().partition(|r| r.at <= instant);
        // Upgraded since: it followed the version the first later upgrade left.
        let playbook_hash = after
            .iter()
            .find(|r| r.action == Lifecycle::Upgrade)
            .and_then(|r| r.from.clone())
            .unwrap_or_else(|| self.playbook_hash.clone());
        Some(ProjectFile {
            playbook_hash,
            lifecycle: before.into_iter().cloned().collect(),
            vars: cut(&self.vars),
            steps: cut(&self.steps),
            ..self.clone()
        })
    }

    /// Drops empty blocks of steps and variables that `known` does not know: what a
    /// later upgrade added, when the project is read as it was before it.
    pub fn prune_unknown(&mut self, step_known: impl Fn(&str) -> bool, var_known: impl Fn(&str) -> bool) {
        self.steps.retain(|id, events| !events.is_empty() || step_known(id));
        self.vars.retain(|name, events| !events.is_empty() || name == CALENDAR_KEY || var_known(name));
    }

    /// Gives every step and variable of `names` a block, so that later changes on two
    /// branches edit existing blocks rather than insert new ones side by side.
    pub fn fill_blocks<'n>(
        &mut self,
        steps: impl Iterator<Item = &'n str>,
        vars: impl Iterator<Item = &'n str>,
    ) {
        for id in steps {
            self.steps.entry(id.to_string()).or_default();
        }
        for name in vars {
            self.vars.entry(name.to_string()).or_default();
        }
    }
}

/// The ids of the events of a block that a retraction in it takes back. A retraction
/// that names another retraction (only a hand-made file does) takes back nothing.
pub(crate) fn retracted(events: &[Event]) -> HashSet<&str> {
    let retractions: HashSet<&str> =
        events.iter().filter(|e| e.action == Action::Retract).filter_map(|e| e.id.as_deref()).collect();
    events
        .iter()
        .filter(|e| e.action == Action::Retract)
        .filter_map(|e| e.retracts.as_deref())
        .filter(|id| !retractions.contains(id))
        .collect()
}

/// The events of a block that count, in their order: neither retractions nor retracted.
pub(crate) fn counting(events: &[Event]) -> impl DoubleEndedIterator<Item = &Event> {
    let gone = retracted(events);
    events
        .iter()
        .filter(move |e| e.action != Action::Retract && !e.id.as_deref().is_some_and(|id| gone.contains(id)))
}

/// What an event is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject<'a> {
    Step(&'a str),
    Var(&'a str),
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // A visitor rather than a `String` first: the parser then places an error at the
        // value itself, not at the start of the mapping that holds it.
        struct Instant;
        impl serde::de::Visitor<'_> for Instant {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 date-time such as 2026-03-02T09:30:00-03:00")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Timestamp, E> {
                let at = DateTime::parse_from_rfc3339(text).map_err(|_| {
                    E::custom(format!(
                        "`{text}` is not an RFC 3339 date-time such as 2026-03-02T09:30:00-03:00"
                    ))
                })?;
                check_instant(at, &format!("`{text}`")).map_err(E::custom)?;
                Ok(Timestamp(at))
            }
        }
        deserializer.deserialize_str(Instant)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.to_rfc3339_opts(SecondsFormat::Secs, false))
    }
}

/// The tool that writes events.
pub(crate) fn tool() -> String {
    format!("onboard {}", env!("CARGO_PKG_VERSION"))
}

/// A content hash as version files are named: `sha256:` and its first 12 hex digits.
pub(crate) fn short_hash(hash: &str) -> String {
    let hex: String = hash.trim_start_matches("sha256:").chars().take(12).collect();
    format!("sha256:{hex}")
}

/// A stored YAML scalar as plain text (strings without quotes).
pub(crate) fn yaml_text(value: &Yaml) -> String {
    match value {
        Yaml::String(s) => s.clone(),
        other => crate::playbook::value::yaml_scalar(other),
    }
}

/// The YAML text of a project file: the header and start, then one block per variable
/// and per step, blocks separated by a blank line (see the module comment for why).
pub(crate) fn render(file: &ProjectFile) -> Result<String> {
    #[derive(Serialize)]
    struct Head<'a> {
        format: u32,
        project: &'a str,
        playbook: &'a str,
        playbook_hash: &'a str,
        start: &'a Start,
    }
    let head = Head {
        format: file.format,
        project: &file.project,
        playbook: &file.playbook,
        playbook_hash: &file.playbook_hash,
        start: &file.start,
    };
    let mut out = String::from(HEADER);
    out.push_str(&serde_yaml::to_string(&head).context("cannot serialize the project")?);
    if !file.lifecycle.is_empty() {
        out.push('\n');
        let records = BTreeMap::from([("lifecycle", &file.lifecycle)]);
        out.push_str(&serde_yaml::to_string(&records).context("cannot serialize the project")?);
    }
    for (section, blocks) in [("vars", &file.vars), ("steps", &file.steps)] {
        out.push('\n');
        if blocks.is_empty() {
            out.push_str(&format!("{section}: {{}}\n"));
            continue;
        }
        out.push_str(&format!("{section}:\n"));
        for (i, (key, events)) in blocks.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            let block = serde_yaml::to_string(&BTreeMap::from([(key, events)]))
                .context("cannot serialize the project")?;
            for line in block.lines() {
                if !line.is_empty() {
                    out.push_str("  ");
                }
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::fixture::{at, event, opera};

    fn sample() -> ProjectFile {
        let mut file = opera("2026-03-02T09:00:00+01:00");
        file.start.values.insert("J".into(), Yaml::String("2026-04-01".into()));
        let done = Event {
            note: Some("two lines\nof note".into()),
            ..event(Action::Done, "2026-03-03T10:00:00+01:00", "bob")
        };
        file.fill_blocks(["kick-off", "go-live"].into_iter(), ["J"].into_iter());
        file.steps["kick-off"].push(done);
        file
    }

    #[test]
    fn blocks_are_separated_by_blank_lines_and_read_back_the_same() {
        let text = render(&sample()).unwrap();
        let expected = "# onboard project file. Change it with onboard commands; review it like code.
format: 2
project: opera
playbook: data-import
playbook_hash: sha256:00
start:
  at: 2026-03-02T09:00:00+01:00
  by: ana
  calendar: CH
  values:
    J: 2026-04-01
  tool: onboard 0.1.0

vars:
  J: []

steps:
  kick-off:
  - at: 2026-03-03T10:00:00+01:00
    by: bob
    action: done
    note: |-
      two lines
      of note
    tool: onboard 0.1.0

  go-live: []
";
        assert_eq!(text, expected);
        let back: ProjectFile = serde_yaml::from_str(&text).unwrap();
        assert_eq!(back, sample());
    }

    #[test]
    fn the_calendar_is_the_latest_set_else_the_start() {
        let mut file = sample();
        assert_eq!(file.calendar(), "CH");
        let set = Event {
            value: Some(Yaml::String("CH-VD".into())),
            ..event(Action::Set, "2026-03-04T10:00:00+01:00", "ana")
        };
        file.vars.entry(CALENDAR_KEY.into()).or_default().push(set);
        assert_eq!(file.calendar(), "CH-VD");
    }
    #[test]
    fn known_at_keeps_what_was_recorded_by_then() {
        let mut file = sample();
        let late = Event {
            at: at("2026-03-02T15:00:00+01:00"),
            recorded_at: Some(at("2026-03-05T09:00:00+01:00")),
            ..file.steps["kick-off"][0].clone()
        };
        file.steps["go-live"].push(late);
        assert_eq!(file.known_at(at("2026-03-02T08:59:59+01:00")), None);
        let before = file.known_at(at("2026-03-03T09:59:59+01:00")).unwrap();
        assert!(before.steps["kick-off"].is_empty() && before.steps["go-live"].is_empty());
        assert_eq!(before.steps.len(), 2, "blocks stay, only events go");
        // Done at 10:00, so known from 10:00; the one recorded on the 5th is not known on the 4th.
        let on_4th = file.known_at(at("2026-03-04T00:00:00+01:00")).unwrap();
        assert_eq!(on_4th.steps["kick-off"].len(), 1);
        assert!(on_4th.steps["go-live"].is_empty());
        assert_eq!(file.known_at(at("2026-03-05T09:00:00+01:00")).unwrap(), file);
    }
}
